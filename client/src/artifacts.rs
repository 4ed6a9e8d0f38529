//! `MeritArtifacts`: registering files by their sha256 with the URI they can be fetched from.
use anyhow::{bail, Context, Result};
use serde_json::json;
use subxt_signer::sr25519::Keypair;

use crate::{
	chain::{
		runtime,
		runtime_types::merit_primitives::artifacts::{ArtifactClaim, ArtifactKind},
		AccountId32, Chain, H256,
	},
	digest::{digest_hex, sha256},
	output::Table,
	store,
};

/// The license artifacts are registered with unless told otherwise.
pub const DEFAULT_LICENSE: &str = "CC-BY-4.0";

/// What an artifact is (the pallet's `ArtifactKind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
	/// Public training or validation data.
	Dataset,
	/// A hidden labels file.
	Labels,
	/// A predictions file.
	Predictions,
	/// Source code.
	Code,
	/// A trained model.
	Model,
	/// A write-up or challenge description.
	Report,
}

impl Kind {
	/// The runtime's type.
	pub fn to_runtime(self) -> ArtifactKind {
		match self {
			Kind::Dataset => ArtifactKind::Dataset,
			Kind::Labels => ArtifactKind::Labels,
			Kind::Predictions => ArtifactKind::Predictions,
			Kind::Code => ArtifactKind::Code,
			Kind::Model => ArtifactKind::Model,
			Kind::Report => ArtifactKind::Report,
		}
	}

	/// From the runtime's type.
	pub fn from_runtime(kind: &ArtifactKind) -> Kind {
		match kind {
			ArtifactKind::Dataset => Kind::Dataset,
			ArtifactKind::Labels => Kind::Labels,
			ArtifactKind::Predictions => Kind::Predictions,
			ArtifactKind::Code => Kind::Code,
			ArtifactKind::Model => Kind::Model,
			ArtifactKind::Report => Kind::Report,
		}
	}

	/// Lower-case name.
	pub fn name(self) -> &'static str {
		match self {
			Kind::Dataset => "dataset",
			Kind::Labels => "labels",
			Kind::Predictions => "predictions",
			Kind::Code => "code",
			Kind::Model => "model",
			Kind::Report => "report",
		}
	}
}

/// A registered artifact as the chain records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Artifact {
	/// sha256 of its bytes.
	pub digest: H256,
	/// Who registered it.
	pub owner: AccountId32,
	/// What it is.
	pub kind: Kind,
	/// Bytes.
	pub size: u64,
	/// Where to fetch it.
	pub uri: String,
	/// SPDX license id.
	pub license: String,
	/// The block that registered it.
	pub registered_at: u32,
	/// The deposit held.
	pub deposit: u128,
	/// Records that pin it.
	pub references: u32,
}

impl Artifact {
	/// As a printable record.
	pub fn table(&self) -> Table {
		Table::record(vec![
			("digest", json!(digest_hex(&self.digest))),
			("owner", json!(self.owner.to_string())),
			("kind", json!(self.kind.name())),
			("size", json!(self.size)),
			("uri", json!(self.uri)),
			("license", json!(self.license)),
			("registered_at", json!(self.registered_at)),
			("deposit", json!(crate::units::format_merit(self.deposit))),
			("references", json!(self.references)),
		])
	}
}

/// The artifact registered under `digest`, if any.
pub async fn get(chain: &Chain, digest: H256) -> Result<Option<Artifact>> {
	let at = chain.at_finalized().await?;
	let Some(value) = at.storage().try_fetch(runtime::storage().merit_artifacts().artifacts(), (digest,)).await? else {
		return Ok(None);
	};
	let info = value.decode()?;
	Ok(Some(Artifact {
		digest,
		owner: info.owner,
		kind: Kind::from_runtime(&info.kind),
		size: info.size,
		uri: String::from_utf8_lossy(&info.uri.0).into_owned(),
		license: String::from_utf8_lossy(&info.license.0).into_owned(),
		registered_at: info.registered_at,
		deposit: info.deposit,
		references: info.references,
	}))
}

/// Like [`get`], but an unregistered digest is an error.
pub async fn require(chain: &Chain, digest: H256) -> Result<Artifact> {
	get(chain, digest).await?.with_context(|| format!("no artifact {} is registered on chain", digest_hex(&digest)))
}

/// Registers `digest` with `uri` (no upload).
pub async fn register(
	chain: &Chain,
	signer: &Keypair,
	digest: H256,
	kind: Kind,
	size: u64,
	uri: &str,
	license: &str,
) -> Result<()> {
	let call = runtime::tx().merit_artifacts().register(
		digest,
		kind.to_runtime(),
		size,
		uri.as_bytes().to_vec(),
		license.as_bytes().to_vec(),
		Vec::new(),
	);
	chain.submit(&call, signer, &format!("registering {} artifact {}", kind.name(), digest_hex(&digest))).await?;
	Ok(())
}

/// Makes sure the bytes of a local file are a registered artifact of `kind`: if the chain already
/// knows the digest (same kind) it is reused; otherwise the bytes are uploaded to the store at
/// `store_url` and registered with their store URI. Returns the digest.
pub async fn publish(
	chain: &Chain,
	signer: &Keypair,
	bytes: &[u8],
	kind: Kind,
	store_url: Option<&str>,
	license: &str,
) -> Result<H256> {
	let digest = H256(sha256(bytes));
	if bytes.is_empty() {
		bail!("an artifact must have at least one byte");
	}
	if let Some(existing) = get(chain, digest).await? {
		if existing.kind != kind {
			bail!(
				"artifact {} is already registered as {}, not {}",
				digest_hex(&digest),
				existing.kind.name(),
				kind.name()
			);
		}
		eprintln!("artifact {} ({}) is already registered: {}", digest_hex(&digest), kind.name(), existing.uri);
		return Ok(digest);
	}
	let store_url = store_url.context(
		"this file is not registered yet: give --store URL (an artifact store, see `merit artifacts serve`) to upload it",
	)?;
	let uri = upload(store_url, bytes).await?;
	register(chain, signer, digest, kind, bytes.len() as u64, &uri, license).await?;
	eprintln!("registered {} artifact {} at {uri}", kind.name(), digest_hex(&digest));
	Ok(digest)
}

/// The claim a call that registers its artifact in the same transaction (`reveal_labels`, `submit`,
/// `reveal_submission`) sends for these bytes: the signer's own registration's URI if they
/// registered the digest as `kind` already, otherwise a fresh upload to the store at `store_url`.
/// Nothing is registered here, so the digest reaches the chain only inside the call that uses it.
pub async fn claim(
	chain: &Chain,
	signer: &Keypair,
	bytes: &[u8],
	kind: Kind,
	store_url: Option<&str>,
	license: &str,
) -> Result<ArtifactClaim> {
	let digest = H256(sha256(bytes));
	if bytes.is_empty() {
		bail!("an artifact must have at least one byte");
	}
	let own = crate::keys::account_of(signer);
	let uri = match get(chain, digest).await? {
		Some(existing) if existing.owner == own && existing.kind == kind => existing.uri,
		Some(existing) if existing.owner == own => bail!(
			"you registered artifact {} as {}, not {}: remove it (`merit artifacts remove`) and try again",
			digest_hex(&digest),
			existing.kind.name(),
			kind.name()
		),
		_ => {
			let store_url = store_url.context(
				"these bytes need a URI of your own: give --store URL (an artifact store, see `merit artifacts serve`)",
			)?;
			upload(store_url, bytes).await?
		}
	};
	Ok(ArtifactClaim { digest, size: bytes.len() as u64, uri: uri.into_bytes(), license: license.as_bytes().to_vec() })
}

/// Uploads to a store without blocking the async runtime.
pub async fn upload(store_url: &str, bytes: &[u8]) -> Result<String> {
	let store_url = store_url.to_string();
	let bytes = bytes.to_vec();
	tokio::task::spawn_blocking(move || store::upload(&store_url, &bytes)).await?
}

/// Downloads a registered artifact and checks its hash, without blocking the async runtime.
pub async fn download(artifact: &Artifact, ipfs_gateway: &str) -> Result<Vec<u8>> {
	let uri = artifact.uri.clone();
	let gateway = ipfs_gateway.to_string();
	let expected = digest_hex(&artifact.digest);
	let size = artifact.size;
	tokio::task::spawn_blocking(move || crate::fetch::fetch_verified(&uri, &gateway, size, &expected)).await?
}
