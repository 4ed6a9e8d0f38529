//! Artifacts: `merit artifacts serve|register|show|fetch`.
use anyhow::{Context, Result};
use serde_json::json;

use crate::{
	args::ArtifactsCommand,
	artifacts,
	digest::{parse_digest, read_file, sha256_hex},
	fetch,
	output::Table,
	session::{Outcome, Session},
	store,
};

/// Runs a `merit artifacts` subcommand.
pub async fn run(s: &Session, command: &ArtifactsCommand) -> Result<Outcome> {
	let table = match command {
		ArtifactsCommand::Serve { dir, listen, max_size } => {
			let store = store::Store::open(dir, *max_size)?;
			let (address, task) = store::spawn(listen, store).await?;
			eprintln!("serving artifacts from {} at http://{address}/sha256/<hex> (Ctrl-C stops)", dir.display());
			tokio::select! {
				result = task => result??,
				_ = tokio::signal::ctrl_c() => {},
			}
			return Ok(Outcome::nothing());
		}
		ArtifactsCommand::Register { file, kind, license } => {
			let bytes = read_file(file)?;
			let (signer, chain) = (s.signer()?, s.chain().await?);
			let digest = artifacts::publish(chain, signer, &bytes, *kind, s.store(), license).await?;
			artifacts::require(chain, digest).await?.table()
		}
		ArtifactsCommand::Show { digest } => artifacts::require(s.chain().await?, parse_digest(digest)?).await?.table(),
		ArtifactsCommand::Fetch { source, output } => {
			let bytes = if source.contains("://") {
				let (uri, gateway) = (source.clone(), s.ipfs_gateway().to_string());
				tokio::task::spawn_blocking(move || fetch::fetch(&uri, &gateway, u64::MAX)).await??
			} else {
				let artifact = artifacts::require(s.chain().await?, parse_digest(source)?).await?;
				artifacts::download(&artifact, s.ipfs_gateway()).await?
			};
			std::fs::write(output, &bytes).with_context(|| format!("cannot write {}", output.display()))?;
			Table::record(vec![
				("file", json!(output.display().to_string())),
				("sha256", json!(sha256_hex(&bytes))),
				("bytes", json!(bytes.len())),
			])
		}
	};
	Ok(table.into())
}
