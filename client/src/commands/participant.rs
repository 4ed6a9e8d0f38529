//! Participants: `merit submit`, `merit reveal`, `merit select`, `merit settle-deposit`, `merit
//! refund` and `merit eval` (local scoring).
use anyhow::Result;
use serde_json::json;
use std::time::Duration;

use crate::{
	args::{EvalArgs, SubmitArgs},
	digest::{digest_hex, read_file},
	eval::{self, parse_metric, parse_salt},
	output::Table,
	scoring,
	session::{Outcome, Session},
	submissions::{self, Lineage},
	units::parse_share,
};

/// `merit submit`: publishes and submits (or commits, if sealed) a predictions file; with
/// `--wait-score`, waits for the public score.
pub async fn submit(s: &Session, args: &SubmitArgs) -> Result<Outcome> {
	let predictions = read_file(&args.file)?;
	let (signer, chain) = (s.signer()?, s.chain().await?);
	let lineage = Lineage { parents: args.fork.clone(), previous_version: args.version_of };
	let submitted = submissions::submit(
		chain,
		signer,
		args.challenge,
		&predictions,
		&lineage,
		s.store(),
		&args.license,
		&s.state_file(),
	)
	.await?;
	let mut fields = vec![
		("challenge", json!(args.challenge)),
		("submission", json!(submitted.submission)),
		("digest", json!(digest_hex(&submitted.digest))),
		("sealed", json!(submitted.sealed)),
	];
	if submitted.sealed {
		eprintln!(
			"sealed: the salt is in {}; run `merit reveal {}` after the challenge closes",
			s.state_dir().display(),
			args.challenge
		);
	} else if args.wait_score {
		let outcome = scoring::wait_for_outcome(
			chain,
			submitted.submission,
			merit_metrics::Subset::Public,
			Duration::from_secs(args.score_timeout),
		)
		.await?;
		match outcome {
			Some(outcome) => fields.push(("public_score", json!(outcome.text()))),
			None => {
				eprintln!("no final public score after {} s (are evaluators running?)", args.score_timeout);
				fields.push(("public_score", json!(null)));
			}
		}
	}
	Ok(Table::record(fields).into())
}

/// `merit reveal`: reveals the signer's pending sealed submissions to a closed challenge.
pub async fn reveal(s: &Session, challenge: u32, license: &str) -> Result<Outcome> {
	let chain = s.chain().await?;
	let revealed =
		submissions::reveal_pending(chain, s.signer()?, challenge, &s.state_file(), s.store(), license).await?;
	let mut table = Table::new(&["challenge", "submission"]);
	for id in revealed {
		table.push(vec![json!(challenge), json!(id)]);
	}
	Ok(table.into())
}

/// `merit settle-deposit`: settles each submission's deposit; one that is not due yet is named in
/// the error after the others are settled.
pub async fn settle_deposits(s: &Session, ids: &[u32]) -> Result<Outcome> {
	let (signer, chain) = (s.signer()?, s.chain().await?);
	let mut table = Table::new(&["submission", "author", "deposit", "refunded"]);
	let mut failures = Vec::new();
	for &id in ids {
		match submissions::settle_deposit(chain, signer, id).await {
			Ok(settled) => table.push(vec![
				json!(id),
				json!(settled.author.to_string()),
				json!(crate::units::format_merit(settled.amount)),
				json!(settled.refunded),
			]),
			Err(e) => failures.push(format!("{id}: {e:#}")),
		}
	}
	if !failures.is_empty() {
		table.print(s.format())?;
		anyhow::bail!("could not settle {} deposit(s): {}", failures.len(), failures.join("; "));
	}
	Ok(table.into())
}

/// `merit select`: marks the signer's final selections (none: `--clear`).
pub async fn select(s: &Session, challenge: u32, submissions: &[u32]) -> Result<Outcome> {
	let (signer, chain) = (s.signer()?, s.chain().await?);
	let marked = crate::selections::select(chain, signer, challenge, submissions).await?;
	let mut table = Table::new(&["challenge", "final_selections"]);
	table.push(vec![json!(challenge), json!(marked)]);
	let mut outcome = Outcome::from(table);
	if marked.is_empty() {
		outcome.note = Some("no marks: your best public scores count on the private board".into());
	}
	Ok(outcome)
}

/// `merit refund`: claims the signer's refund from an abandoned challenge.
pub async fn refund(s: &Session, challenge: u32) -> Result<Outcome> {
	let (signer, chain) = (s.signer()?, s.chain().await?);
	let amount = submissions::claim_refund(chain, signer, challenge).await?;
	let mut table = Table::new(&["challenge", "refunded"]);
	table.push(vec![json!(challenge), json!(crate::units::format_merit(amount))]);
	Ok(table.into())
}

/// `merit eval`: scores predictions locally (no chain); fails if a subset cannot be scored.
pub fn eval(args: &EvalArgs) -> Result<Outcome> {
	let metric = parse_metric(&args.metric)?;
	let labels = read_file(&args.labels)?;
	let predictions = read_file(&args.predictions)?;
	let salt = args.salt.as_deref().map(parse_salt).transpose()?;
	let share = args.public_share.as_deref().map(parse_share).transpose()?;
	let split = salt.as_deref().zip(share);
	let scores = eval::evaluate(metric, &labels, &predictions, split);
	let scored = scores.iter().all(|s| s.score.is_ok());
	Ok(Outcome::from(eval::table(metric, &scores)).failed_unless(scored))
}
