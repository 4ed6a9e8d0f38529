//! Evaluator operators: `merit evaluator register|set-labels|insert-key`, an evaluator by hand
//! (signed by its key): `merit evaluator report|reveal|abstain`, and anyone:
//! `merit evaluator panel|jobs|conclude`.
use anyhow::{Context, Result};
use serde_json::json;
use std::time::Duration;

use crate::{
	args::EvaluatorCommand,
	digest::read_file,
	eval::parse_salt,
	keys,
	output::Table,
	panels, reports, scoring,
	session::{Outcome, Session},
	units::{format_merit, parse_merit},
};

/// Runs a `merit evaluator` subcommand.
pub async fn run(s: &Session, command: &EvaluatorCommand) -> Result<Outcome> {
	let table = match command {
		EvaluatorCommand::Register { key_suri, fund } => {
			let key = keys::account_of(&keys::keypair_from_suri(key_suri)?);
			let fund = parse_merit(fund)?;
			let (signer, chain) = (s.signer()?, s.chain().await?);
			scoring::register_evaluator(chain, signer, &key, fund).await?;
			Table::record(vec![
				("evaluator", json!(keys::account_of(signer).to_string())),
				("key", json!(key.to_string())),
				("funded", json!(format_merit(fund))),
			])
		}
		EvaluatorCommand::SetLabels { challenge, labels, salt, node_rpc } => {
			let labels = read_file(labels)?;
			let salt = parse_salt(salt)?;
			let chain = s.chain().await?;
			let node = s.node(node_rpc.as_deref()).await?;
			scoring::set_labels(chain, &node, *challenge, &labels, &salt).await?;
			Table::record(vec![
				("challenge", json!(challenge)),
				("node", json!(node.url)),
				("key", json!(format!("0x{}", hex::encode(scoring::labels_storage_key(*challenge))))),
				("bytes", json!(labels.len())),
			])
		}
		EvaluatorCommand::InsertKey { key_suri, node_rpc } => {
			let suri = match key_suri {
				Some(suri) => suri.clone(),
				None => s.signer_suri()?.context("give the evaluator key with --key-suri, --suri or --suri-file")?,
			};
			let node = s.node(node_rpc.as_deref()).await?;
			let account = scoring::insert_key(&node, &suri).await?;
			Table::record(vec![
				("node", json!(node.url)),
				("key_type", json!(scoring::KEY_TYPE)),
				("account", json!(account.to_string())),
			])
		}
		EvaluatorCommand::Panel { challenge, wait, timeout } => {
			let chain = s.chain().await?;
			let view = if *wait {
				panels::wait_for_panel(chain, *challenge, timeout.map(Duration::from_secs)).await?
			} else {
				panels::panel(chain, *challenge).await?
			};
			let mut outcome = Outcome::from(view.table());
			outcome.note = view.note();
			return Ok(outcome);
		}
		EvaluatorCommand::Jobs { challenge, stage } => {
			let jobs = panels::jobs(s.chain().await?, *challenge, *stage).await?;
			let mut outcome = Outcome::from(jobs.table());
			outcome.note = Some(jobs.note());
			return Ok(outcome);
		}
		EvaluatorCommand::Report(args) => {
			let outcome = reports::report_outcome(args.score.as_deref(), args.failure)?;
			let (signer, chain) = (s.signer()?, s.chain().await?);
			let file = s.report_file();
			let committed = reports::report(chain, signer, args.submission, args.stage, outcome, &file).await?;
			let mut outcome = Outcome::from(committed.table());
			outcome.note = Some(format!(
				"sealed: the outcome and salt are in {}; run `merit evaluator reveal {} --stage {} --wait` to reveal it",
				file.path().display(),
				args.submission,
				args.stage.name()
			));
			return Ok(outcome);
		}
		EvaluatorCommand::Reveal { submission, stage, wait, timeout } => {
			let (signer, chain) = (s.signer()?, s.chain().await?);
			let wait = wait.then(|| timeout.map(Duration::from_secs));
			reports::reveal(chain, signer, *submission, *stage, &s.report_file(), wait).await?.table()
		}
		EvaluatorCommand::Abstain { submission, stage, reason } => {
			let (signer, chain) = (s.signer()?, s.chain().await?);
			reports::abstain(chain, signer, *submission, *stage, *reason).await?.table()
		}
		EvaluatorCommand::Conclude { submission, stage } => {
			let (signer, chain) = (s.signer()?, s.chain().await?);
			panels::conclude(chain, signer, *submission, *stage).await?.table()
		}
	};
	Ok(table.into())
}
