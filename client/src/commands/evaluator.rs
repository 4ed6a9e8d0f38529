//! Evaluator operators: `merit evaluator register|insert-key`, an evaluator by hand
//! (signed by its key): `merit evaluator labels-key|public-labels|report|reveal|abstain`, and anyone:
//! `merit evaluator panel|jobs|conclude`.
use anyhow::{bail, Context, Result};
use serde_json::json;
use std::time::Duration;

use crate::{
	args::EvaluatorCommand,
	delivery, keys,
	output::Table,
	panels, reports, scoring,
	session::{Outcome, Session},
	state::{LabelsSecret, LabelsSecretFile},
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
		EvaluatorCommand::LabelsKey => {
			let (signer, chain) = (s.signer()?, s.chain().await?);
			let evaluator = reports::evaluator_of(&chain.at_finalized().await?, &keys::account_of(signer)).await?;
			let file = LabelsSecretFile::new(&s.state_dir());
			let genesis = chain.genesis_hex();
			// Earlier secrets stay: what was sealed to them can still be opened.
			let mut secrets = file.load()?;
			let secret = crate::reports::random_salt()?;
			// Saved before it is registered: a registered key whose secret was lost opens nothing.
			secrets.push(LabelsSecret { genesis, evaluator: evaluator.to_string(), secret: hex::encode(secret) });
			file.save(&secrets)?;
			let key = delivery::register_labels_key(chain, signer, &secret).await?;
			Table::record(vec![
				("evaluator", json!(evaluator.to_string())),
				("labels_key", json!(format!("0x{}", hex::encode(key)))),
				("secret_file", json!(s.state_dir().join("labels-secrets.json").display().to_string())),
			])
		}
		EvaluatorCommand::PublicLabels { challenge, out } => {
			let (signer, chain) = (s.signer()?, s.chain().await?);
			let evaluator = reports::evaluator_of(&chain.at_finalized().await?, &keys::account_of(signer)).await?;
			let genesis = chain.genesis_hex();
			let secrets = LabelsSecretFile::new(&s.state_dir()).secrets_of(&genesis, &evaluator.to_string())?;
			if secrets.is_empty() {
				bail!("no labels secret of {evaluator} here: run `merit evaluator labels-key` first");
			}
			let mut opened = Err(anyhow::anyhow!("no secret"));
			for secret in &secrets {
				opened = delivery::open_delivered(chain, *challenge, &evaluator, secret, s.ipfs_gateway()).await;
				if opened.is_ok() {
					break;
				}
			}
			let public = opened?;
			std::fs::write(out, &public.labels).with_context(|| format!("cannot write {}", out.display()))?;
			let rows = delivery::data_rows(&public.labels);
			Table::record(vec![
				("challenge", json!(challenge)),
				("evaluator", json!(evaluator.to_string())),
				("public_rows", json!(rows)),
				("file", json!(out.display().to_string())),
			])
		}
		EvaluatorCommand::InsertKey { key_suri, node_rpc, wait_labels_key } => {
			let suri = match key_suri {
				Some(suri) => suri.clone(),
				None => s.signer_suri()?.context("give the evaluator key with --key-suri, --suri or --suri-file")?,
			};
			let node = s.node(node_rpc.as_deref()).await?;
			let account = scoring::insert_key(&node, &suri).await?;
			let labels_key = match *wait_labels_key {
				0 => None,
				seconds => delivery::wait_for_labels_key(&node, &account, Duration::from_secs(seconds)).await?,
			};
			Table::record(vec![
				("node", json!(node.url)),
				("key_type", json!(scoring::KEY_TYPE)),
				("account", json!(account.to_string())),
				("labels_key", json!(labels_key.map(|k| format!("0x{}", hex::encode(k))))),
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
