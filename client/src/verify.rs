//! `merit verify`: after the labels are revealed anyone can recompute every score. This downloads
//! the labels and every submission's predictions from their registered URIs, checks their
//! hashes, scores them with `merit-metrics` on the public and private rows and compares with the
//! chain's final outcomes. It also checks that the public rows the owner sealed to the panel were
//! the canonical public rows of the revealed labels. A submission the evaluators could not fetch (`unavailable`) has nothing
//! to compare; one whose registered size is above `MeritScoring::MaxPredictionsSize` is `too
//! large` without a download, as on chain.
use anyhow::{bail, Context, Result};
use merit_metrics::{Split, Subset};
use serde_json::json;

use crate::{
	artifacts,
	chain::{runtime, runtime_types::merit_primitives::challenges::ChallengeState, Chain},
	challenges::{self, state_name},
	output::Table,
	scoring::{self, Failure, FinalOutcome},
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
	/// Unavailable on chain: too few evaluators could fetch the file, so no quorum judged it
	/// (nothing to check).
	Unavailable,
	/// The file could not be downloaded or does not match its digest here: not checked.
	NotFetched,
}

impl Verdict {
	fn name(self) -> &'static str {
		match self {
			Verdict::Match => "match",
			Verdict::Differs => "DIFFERS",
			Verdict::NotFinal => "not final",
			Verdict::Unavailable => "unavailable",
			Verdict::NotFetched => "NOT FETCHED",
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
	/// What the revealed data gives, or why the file could not be fetched here.
	pub recomputed: Result<FinalOutcome, String>,
	/// The comparison.
	pub verdict: Verdict,
}

/// Whether the public rows the owner sealed to the panel were the revealed labels' public rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeliveryCheck {
	/// The owner delivered no public labels (no public scores could be computed).
	NotDelivered,
	/// The delivery's commitment is that of the canonical public rows of the revealed labels.
	Match,
	/// The panel was given other rows or labels: every public score is suspect.
	Differs,
}

/// The result of verifying a challenge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
	/// Every check.
	pub checks: Vec<Check>,
	/// The check of the public labels sealed to the panel.
	pub delivery: DeliveryCheck,
}

impl Report {
	/// How many final outcomes differ from the recomputation.
	pub fn differing(&self) -> usize {
		self.checks.iter().filter(|c| c.verdict == Verdict::Differs).count()
	}

	/// How many final outcomes could not be checked because the file could not be fetched here.
	pub fn not_fetched(&self) -> usize {
		self.checks.iter().filter(|c| c.verdict == Verdict::NotFetched).count()
	}

	/// As a table.
	pub fn table(&self) -> Table {
		let mut table = Table::new(&["submission", "author", "subset", "on_chain", "recomputed", "verdict"]);
		for c in &self.checks {
			table.push(vec![
				json!(c.submission),
				json!(c.author),
				json!(c.subset.name()),
				json!(c.on_chain.as_ref().map(FinalOutcome::text)),
				json!(match &c.recomputed {
					Ok(outcome) => outcome.text(),
					Err(why) => format!("not fetched: {why}"),
				}),
				json!(c.verdict.name()),
			]);
		}
		table
	}
}

/// Compares a recomputed outcome with the chain's: identical scores, or identical failures (too
/// large; unparsable with the same file, line and problem) match.
pub fn compare(on_chain: Option<&FinalOutcome>, recomputed: &Result<FinalOutcome, String>) -> Verdict {
	match (on_chain, recomputed) {
		(None, _) => Verdict::NotFinal,
		(Some(FinalOutcome::Failed(Failure::Unavailable)), _) => Verdict::Unavailable,
		(Some(_), Err(_)) => Verdict::NotFetched,
		(Some(a), Ok(b)) if a == b => Verdict::Match,
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
	// Public scores were computed from the canonical public rows only (`score_listed`).
	let public = crate::delivery::public_labels(&labels, &salt, share)?;
	let delivery = match crate::delivery::delivered_commitment(chain, challenge).await? {
		None => DeliveryCheck::NotDelivered,
		Some(c) if c == merit_metrics::labels_commitment(&public.labels, &public.salt) => DeliveryCheck::Match,
		Some(_) => DeliveryCheck::Differs,
	};
	let max_size =
		chain.at_finalized().await?.constants().entry(runtime::constants().merit_scoring().max_predictions_size())?;
	let mut checks = Vec::new();
	for &id in &info.submissions {
		let submission = challenges::submission(chain, id).await?;
		let Some(digest) = submission.revealed_digest() else { continue };
		spinner.set_message(format!("checking submission {id}"));
		// `None`: too large for evaluators, who do not fetch it.
		let predictions: Result<Option<Vec<u8>>, String> = match artifacts::require(chain, digest).await {
			Ok(artifact) if artifact.size > max_size => Ok(None),
			Ok(artifact) => artifacts::download(&artifact, ipfs_gateway).await.map(Some).map_err(|e| format!("{e:#}")),
			Err(e) => Err(format!("{e:#}")),
		};
		for subset in [Subset::Public, Subset::Private] {
			let score = |bytes: &[u8]| match subset {
				Subset::Public => merit_metrics::score_listed(metric, &public.labels, bytes),
				_ => merit_metrics::score(metric, &labels, bytes, &Split::private(&salt, share)),
			};
			let recomputed = match &predictions {
				Ok(Some(bytes)) => Ok(match score(bytes) {
					Ok(score) => FinalOutcome::Scored(score),
					Err(e) => FinalOutcome::Failed(Failure::Unparsable(e)),
				}),
				Ok(None) => Ok(FinalOutcome::Failed(Failure::TooLarge)),
				Err(why) => Err(why.clone()),
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
	Ok(Report { checks, delivery })
}

#[cfg(test)]
mod tests {
	use super::*;
	use merit_metrics::Score;

	#[test]
	fn verdicts() {
		let a = FinalOutcome::Scored(Score::from_parts(5));
		let b = FinalOutcome::Scored(Score::from_parts(6));
		assert_eq!(compare(Some(&a), &Ok(a.clone())), Verdict::Match);
		assert_eq!(compare(Some(&a), &Ok(b.clone())), Verdict::Differs);
		assert_eq!(compare(None, &Ok(a.clone())), Verdict::NotFinal);
		// Unparsable: the same error (file, line, problem) as every evaluator finds.
		let unparsable = |line| {
			FinalOutcome::Failed(Failure::Unparsable(merit_metrics::MetricError::Row {
				file: merit_metrics::FileKind::Predictions,
				line,
				problem: merit_metrics::RowProblem::EmptyLine,
			}))
		};
		assert_eq!(compare(Some(&unparsable(3)), &Ok(unparsable(3))), Verdict::Match);
		assert_eq!(compare(Some(&unparsable(3)), &Ok(unparsable(4))), Verdict::Differs);
		let too_large = FinalOutcome::Failed(Failure::TooLarge);
		assert_eq!(compare(Some(&too_large), &Ok(too_large.clone())), Verdict::Match);
		assert_eq!(compare(Some(&too_large), &Ok(a.clone())), Verdict::Differs);
		// Unavailable on chain: no quorum judged the file, whatever a download gives now.
		let unavailable = FinalOutcome::Failed(Failure::Unavailable);
		assert_eq!(compare(Some(&unavailable), &Ok(a.clone())), Verdict::Unavailable);
		assert_eq!(compare(Some(&unavailable), &Err("HTTP 404".into())), Verdict::Unavailable);
		// A file this machine cannot fetch is not checked, never a match.
		assert_eq!(compare(Some(&a), &Err("connection refused".into())), Verdict::NotFetched);
		let check = |recomputed, verdict| Check {
			submission: 1,
			author: "5Grw".into(),
			subset: Subset::Private,
			on_chain: Some(a.clone()),
			recomputed,
			verdict,
		};
		let report = Report {
			checks: vec![
				check(Ok(b), Verdict::Differs),
				check(Err("connection refused".into()), Verdict::NotFetched),
				check(Ok(a.clone()), Verdict::Match),
			],
			delivery: DeliveryCheck::Match,
		};
		assert_eq!((report.differing(), report.not_fetched()), (1, 1));
		let csv = report.table().render(crate::output::Format::Csv);
		assert!(csv.contains("DIFFERS") && csv.contains("not fetched: connection refused,NOT FETCHED"), "{csv}");
	}
}
