//! `merit verify`: after the labels are revealed anyone can recompute every score. This downloads
//! the labels and every submission's predictions from their registered URIs, checks their
//! hashes, scores them with `merit-metrics` on the public and private rows and compares with the
//! chain's final outcomes.
use anyhow::{bail, Context, Result};
use merit_metrics::{Split, Subset};
use serde_json::json;

use crate::{
	artifacts,
	chain::{runtime_types::merit_primitives::challenges::ChallengeState, Chain},
	challenges::{self, state_name},
	eval::subset_name,
	output::Table,
	scoring::{self, FinalOutcome},
};

/// How a recomputed outcome compares with the chain's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
	/// Identical.
	Match,
	/// Different: the chain's final outcome is not what the revealed data gives.
	Differs,
	/// No final outcome on chain (nothing to check).
	NotFinal,
}

impl Verdict {
	fn name(self) -> &'static str {
		match self {
			Verdict::Match => "match",
			Verdict::Differs => "DIFFERS",
			Verdict::NotFinal => "not final",
		}
	}
}

/// One checked (submission, subset).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
	/// The submission.
	pub submission: u32,
	/// Its author (SS58).
	pub author: String,
	/// Which rows.
	pub subset: Subset,
	/// The chain's final outcome.
	pub on_chain: Option<FinalOutcome>,
	/// What the revealed data gives.
	pub recomputed: FinalOutcome,
	/// The comparison.
	pub verdict: Verdict,
}

/// The result of verifying a challenge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
	/// Every check.
	pub checks: Vec<Check>,
}

impl Report {
	/// How many final outcomes differ from the recomputation.
	pub fn differing(&self) -> usize {
		self.checks.iter().filter(|c| c.verdict == Verdict::Differs).count()
	}

	/// As a table.
	pub fn table(&self) -> Table {
		let mut table = Table::new(&["submission", "author", "subset", "on_chain", "recomputed", "verdict"]);
		for c in &self.checks {
			table.push(vec![
				json!(c.submission),
				json!(c.author),
				json!(subset_name(c.subset)),
				json!(c.on_chain.as_ref().map(FinalOutcome::text)),
				json!(c.recomputed.text()),
				json!(c.verdict.name()),
			]);
		}
		table
	}
}

/// Compares a recomputed outcome with the chain's. Failures agree when both sides failed for the
/// same kind of reason (a file the metric cannot parse, a hash mismatch).
pub fn compare(on_chain: Option<&FinalOutcome>, recomputed: &FinalOutcome) -> Verdict {
	match (on_chain, recomputed) {
		(None, _) => Verdict::NotFinal,
		(Some(FinalOutcome::Scored(a)), FinalOutcome::Scored(b)) if a == b => Verdict::Match,
		(Some(FinalOutcome::Failed(a)), FinalOutcome::Failed(b))
			if a.split(':').next() == b.split(':').next() => Verdict::Match,
		_ => Verdict::Differs,
	}
}

/// Verifies every final outcome of a challenge whose labels are revealed.
pub async fn verify(chain: &Chain, challenge: u32, ipfs_gateway: &str) -> Result<Report> {
	let info = challenges::get(chain, challenge).await?;
	if !matches!(info.status.state, ChallengeState::LabelsRevealed | ChallengeState::Finalized) {
		bail!(
			"challenge {challenge} is {}: scores can be verified once the owner revealed the labels",
			state_name(&info.status.state)
		);
	}
	let revealed = info.status.labels.as_ref().context("the challenge has no revealed labels")?;
	let labels_artifact = artifacts::require(chain, revealed.digest).await?;
	let spinner = crate::progress::spinner(format!("downloading the labels from {}", labels_artifact.uri));
	let labels = artifacts::download(&labels_artifact, ipfs_gateway)
		.await
		.with_context(|| format!("downloading the labels of challenge {challenge}"))?;
	let salt = revealed.salt.0.clone();
	let share = info.spec.public_share.0;
	let metric = info.metric();
	let mut checks = Vec::new();
	for &id in &info.submissions {
		let submission = challenges::submission(chain, id).await?;
		let Some(digest) = submission.revealed_digest() else { continue };
		spinner.set_message(format!("checking submission {id}"));
		let predictions = match artifacts::require(chain, digest).await {
			Ok(artifact) => artifacts::download(&artifact, ipfs_gateway).await,
			Err(e) => Err(e),
		};
		for subset in [Subset::Public, Subset::Private] {
			let split = match subset {
				Subset::Public => Split::public(&salt, share),
				_ => Split::private(&salt, share),
			};
			let recomputed = match &predictions {
				Ok(bytes) => match merit_metrics::score(metric, &labels, bytes, &split) {
					Ok(score) => FinalOutcome::Scored(score),
					Err(e) => FinalOutcome::Failed(format!("unparsable: {e}")),
				},
				Err(e) if format!("{e:#}").contains("hash mismatch") => FinalOutcome::Failed(format!("hash mismatch: {e:#}")),
				Err(e) => FinalOutcome::Failed(format!("fetch failed: {e:#}")),
			};
			let on_chain = scoring::final_outcome(chain, id, subset).await?;
			let verdict = compare(on_chain.as_ref(), &recomputed);
			checks.push(Check {
				submission: id,
				author: submission.author().to_string(),
				subset,
				on_chain,
				recomputed,
				verdict,
			});
		}
	}
	spinner.finish_and_clear();
	Ok(Report { checks })
}

#[cfg(test)]
mod tests {
	use super::*;
	use merit_metrics::Score;

	#[test]
	fn verdicts() {
		let a = FinalOutcome::Scored(Score::from_parts(5));
		let b = FinalOutcome::Scored(Score::from_parts(6));
		assert_eq!(compare(Some(&a), &a), Verdict::Match);
		assert_eq!(compare(Some(&a), &b), Verdict::Differs);
		assert_eq!(compare(None, &a), Verdict::NotFinal);
		let unparsable = FinalOutcome::Failed("unparsable: line 3".into());
		assert_eq!(compare(Some(&FinalOutcome::Failed("unparsable: Row {..}".into())), &unparsable), Verdict::Match);
		assert_eq!(compare(Some(&FinalOutcome::Failed("fetch failed".into())), &a), Verdict::Differs);
		let report = Report {
			checks: vec![Check {
				submission: 1,
				author: "5Grw".into(),
				subset: Subset::Private,
				on_chain: Some(a.clone()),
				recomputed: b,
				verdict: Verdict::Differs,
			}],
		};
		assert_eq!(report.differing(), 1);
		assert!(report.table().render(crate::output::Format::Csv).contains("DIFFERS"));
	}
}
