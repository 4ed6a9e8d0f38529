//! `MeritScoring`: leaderboards and final outcomes through the `ScoringApi` runtime API, the
//! stages of an evaluation and how outcomes read, and the steps of operating an evaluator node
//! (pallets/scoring/README.md). Panels and rounds are in [`crate::panels`], disputes in
//! [`crate::disputes`].
use anyhow::{Context, Result};
use merit_metrics::{Score, Subset};
use serde_json::json;
use std::time::Duration;
use subxt::rpcs::rpc_params;
use subxt_signer::sr25519::Keypair;

use crate::{
	chain::{
		runtime,
		runtime_types::{
			merit_metrics::split::Subset as RuntimeSubset,
			merit_primitives::scoring::{AbstainReason, FailureReason, Outcome, Stage as RuntimeStage},
		},
		AccountId32, Chain,
	},
	output::Table,
};

/// The evaluator key type: the node's keystore holds the key under it.
pub const KEY_TYPE: &str = "mrev";
/// The subset as the runtime encodes it.
pub fn subset_to_runtime(subset: Subset) -> RuntimeSubset {
	match subset {
		Subset::All => RuntimeSubset::All,
		Subset::Public => RuntimeSubset::Public,
		Subset::Private => RuntimeSubset::Private,
	}
}

/// A leaderboard's subset on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Board {
	/// Scores on the public rows (shown while the challenge is open).
	Public,
	/// Scores on the private rows (decide the prizes after close).
	Private,
}

impl Board {
	/// The metrics crate's subset.
	pub fn subset(self) -> Subset {
		match self {
			Board::Public => Subset::Public,
			Board::Private => Subset::Private,
		}
	}
}

/// Which evaluation of a submission: its public score while the challenge is open, its private
/// score after the labels are revealed, or the recount of a disputed private score.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Stage {
	/// The public rows, scored while the challenge is open.
	Public,
	/// The private rows, scored from the revealed labels.
	Private,
	/// A disputed private score, recounted by a fresh panel.
	Dispute,
}

impl Stage {
	/// Every stage, in order.
	pub const ALL: [Stage; 3] = [Stage::Public, Stage::Private, Stage::Dispute];

	/// The name as printed and parsed.
	pub fn name(self) -> &'static str {
		match self {
			Stage::Public => "public",
			Stage::Private => "private",
			Stage::Dispute => "dispute",
		}
	}

	/// The subset of hidden rows the stage scores (a recount scores the private rows).
	pub fn subset(self) -> Subset {
		match self {
			Stage::Public => Subset::Public,
			Stage::Private | Stage::Dispute => Subset::Private,
		}
	}

	/// As the runtime encodes it.
	pub fn to_runtime(self) -> RuntimeStage {
		match self {
			Stage::Public => RuntimeStage::Public,
			Stage::Private => RuntimeStage::Private,
			Stage::Dispute => RuntimeStage::Dispute,
		}
	}

	/// From the runtime's encoding.
	pub fn from_runtime(stage: &RuntimeStage) -> Stage {
		match stage {
			RuntimeStage::Public => Stage::Public,
			RuntimeStage::Private => Stage::Private,
			RuntimeStage::Dispute => Stage::Dispute,
		}
	}

	/// As `merit-primitives` has it (for [`merit_primitives::report_commitment`]).
	pub fn to_primitives(self) -> merit_primitives::Stage {
		match self {
			Stage::Public => merit_primitives::Stage::Public,
			Stage::Private => merit_primitives::Stage::Private,
			Stage::Dispute => merit_primitives::Stage::Dispute,
		}
	}
}

/// Why a submission has no score (`FailureReason` on chain).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
	/// Fewer than a quorum of the drawn evaluators could fetch the predictions (at least one
	/// abstained): the submitter's server did not serve the file.
	Unavailable,
	/// The registered size is above the largest predictions file evaluators fetch.
	TooLarge,
	/// The file cannot be scored: the metric's error (file, line, problem), as every evaluator
	/// finds it.
	Unparsable(merit_metrics::MetricError),
	/// Scoring the file stopped the evaluators' workers (beyond their memory or time).
	ScorerCrashed,
}

impl Failure {
	/// From the runtime's reason.
	pub fn from_runtime(reason: &FailureReason) -> Failure {
		match reason {
			FailureReason::Unavailable => Failure::Unavailable,
			FailureReason::TooLarge => Failure::TooLarge,
			FailureReason::Unparsable(error) => Failure::Unparsable(error.0),
			FailureReason::ScorerCrashed => Failure::ScorerCrashed,
		}
	}

	/// As the runtime encodes it.
	pub fn to_runtime(&self) -> FailureReason {
		match self {
			Failure::Unavailable => FailureReason::Unavailable,
			Failure::TooLarge => FailureReason::TooLarge,
			Failure::Unparsable(error) => FailureReason::Unparsable(subxt::utils::Static(*error)),
			Failure::ScorerCrashed => FailureReason::ScorerCrashed,
		}
	}

	/// As `merit-primitives` has it.
	pub fn to_primitives(&self) -> merit_primitives::FailureReason {
		match self {
			Failure::Unavailable => merit_primitives::FailureReason::Unavailable,
			Failure::TooLarge => merit_primitives::FailureReason::TooLarge,
			Failure::Unparsable(error) => merit_primitives::FailureReason::Unparsable(*error),
			Failure::ScorerCrashed => merit_primitives::FailureReason::ScorerCrashed,
		}
	}
}

impl std::fmt::Display for Failure {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			Failure::Unavailable => f.write_str("unavailable (too few evaluators could fetch it)"),
			Failure::TooLarge => f.write_str("too large (above the largest predictions file evaluators fetch)"),
			Failure::Unparsable(error) => write!(f, "unparsable: {error}"),
			Failure::ScorerCrashed => f.write_str("crashed the evaluators' scorer (beyond its memory or time)"),
		}
	}
}

/// Why a drawn evaluator did not evaluate a submission, as printed.
pub fn abstain_reason_name(reason: &AbstainReason) -> &'static str {
	match reason {
		AbstainReason::FetchFailed => "fetch failed",
		AbstainReason::HashMismatch => "hash mismatch",
	}
}

/// A final outcome in client types.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FinalOutcome {
	/// The quorum's score.
	Scored(Score),
	/// The submission has no score, and why.
	Failed(Failure),
}

impl FinalOutcome {
	/// From the runtime's outcome.
	pub fn from_runtime(outcome: &Outcome) -> FinalOutcome {
		match outcome {
			Outcome::Scored(score) => FinalOutcome::Scored(Score::from_parts(score.0)),
			Outcome::Failed(reason) => FinalOutcome::Failed(Failure::from_runtime(reason)),
		}
	}

	/// As the runtime encodes it (a report's outcome).
	pub fn to_runtime(&self) -> Outcome {
		match self {
			FinalOutcome::Scored(score) => {
				Outcome::Scored(crate::chain::runtime_types::merit_metrics::Score(score.into_inner()))
			}
			FinalOutcome::Failed(reason) => Outcome::Failed(reason.to_runtime()),
		}
	}

	/// As `merit-primitives` has it (for [`merit_primitives::report_commitment`]).
	pub fn to_primitives(&self) -> merit_primitives::Outcome {
		match self {
			FinalOutcome::Scored(score) => merit_primitives::Outcome::Scored(*score),
			FinalOutcome::Failed(reason) => merit_primitives::Outcome::Failed(reason.to_primitives()),
		}
	}

	/// As text: the score with 18 decimals, or `failed: <reason>`.
	pub fn text(&self) -> String {
		match self {
			FinalOutcome::Scored(score) => score.to_string(),
			FinalOutcome::Failed(reason) => format!("failed: {reason}"),
		}
	}
}

/// One row of a leaderboard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
	/// 1 for the best.
	pub rank: u32,
	/// The author's best submission.
	pub submission: u32,
	/// The author.
	pub author: AccountId32,
	/// Its final score.
	pub score: Score,
}

/// A challenge's leaderboard on `subset`, best first.
pub async fn leaderboard(chain: &Chain, challenge: u32, subset: Subset) -> Result<Vec<Entry>> {
	let at = chain.at_finalized().await?;
	let call = runtime::runtime_apis().scoring_api().leaderboard(challenge, subset_to_runtime(subset));
	let entries = at.runtime_apis().call(call).await.context("calling ScoringApi::leaderboard")?;
	Ok(entries
		.into_iter()
		.map(|e| Entry {
			rank: e.rank,
			submission: e.submission,
			author: e.author,
			score: Score::from_parts(e.score.0),
		})
		.collect())
}

/// The leaderboard as a table.
pub fn leaderboard_table(entries: &[Entry]) -> Table {
	let mut table = Table::new(&["rank", "submission", "author", "score"]);
	for e in entries {
		table.push(vec![json!(e.rank), json!(e.submission), json!(e.author.to_string()), json!(e.score.to_string())]);
	}
	table
}

/// The final outcome of a submission's subset, if a quorum agreed.
pub async fn final_outcome(chain: &Chain, submission: u32, subset: Subset) -> Result<Option<FinalOutcome>> {
	let at = chain.at_finalized().await?;
	let call = runtime::runtime_apis().scoring_api().final_outcome(submission, subset_to_runtime(subset));
	let outcome = at.runtime_apis().call(call).await.context("calling ScoringApi::final_outcome")?;
	Ok(outcome.as_ref().map(FinalOutcome::from_runtime))
}

/// Polls [`final_outcome`] once per block until it is final or `timeout` passes (then `None`).
pub async fn wait_for_outcome(
	chain: &Chain,
	submission: u32,
	subset: Subset,
	timeout: Duration,
) -> Result<Option<FinalOutcome>> {
	let spinner = crate::progress::spinner(format!(
		"waiting for evaluators to agree on the {} score of submission {submission}",
		subset.name()
	));
	let outcome = chain.each_block(Some(timeout), async |_| final_outcome(chain, submission, subset).await).await;
	spinner.finish_and_clear();
	outcome
}

/// Polls the leaderboard at every new finalized block (spinner) until it has at least `entries`
/// rows; returns it then. An error after `timeout`.
pub async fn wait_for_entries(
	chain: &Chain,
	challenge: u32,
	subset: Subset,
	entries: usize,
	timeout: Option<Duration>,
) -> Result<Vec<Entry>> {
	let name = subset.name();
	let spinner = crate::progress::spinner(format!(
		"waiting for {entries} entries on the {name} leaderboard of challenge {challenge}"
	));
	let mut have = 0;
	let found = chain
		.each_block(timeout, async |block| {
			let board = leaderboard(chain, challenge, subset).await?;
			if board.len() >= entries {
				return Ok(Some(board));
			}
			have = board.len();
			spinner.set_message(format!(
				"{name} leaderboard of challenge {challenge}: {have} of {entries} entries at block {block}"
			));
			Ok(None)
		})
		.await;
	spinner.finish_and_clear();
	found?.with_context(|| {
		format!(
			"the {name} leaderboard of challenge {challenge} has {have} entries, not {entries}, after {} s (are evaluators running, and do they have the labels?)",
			timeout.unwrap_or_default().as_secs()
		)
	})
}

/// Registers the signer as an evaluator whose node signs with `key`, and sends the key account
/// `fund` (for the fee withdrawn before each report is refunded).
pub async fn register_evaluator(chain: &Chain, signer: &Keypair, key: &AccountId32, fund: u128) -> Result<()> {
	chain
		.submit(&runtime::tx().merit_scoring().register_evaluator(key.clone()), signer, "registering the evaluator")
		.await?;
	if fund > 0 {
		chain.transfer(signer, key, fund).await.context("funding the evaluator key account")?;
	}
	Ok(())
}

/// Inserts an evaluator key (sr25519, key type `mrev`) into the node's keystore.
pub async fn insert_key(node: &Chain, suri: &str) -> Result<AccountId32> {
	let keypair = crate::keys::keypair_from_suri(suri)?;
	let public = format!("0x{}", hex::encode(keypair.public_key().0));
	let _: serde_json::Value = node
		.request("author_insertKey", rpc_params![KEY_TYPE, suri, public])
		.await
		.context("inserting a key needs the node's unsafe RPC methods (on localhost they are on by default)")?;
	Ok(crate::keys::account_of(&keypair))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn outcomes_read_as_people_say_them() {
		let runtime_failed = |reason| FinalOutcome::from_runtime(&Outcome::Failed(reason)).text();
		assert_eq!(
			runtime_failed(FailureReason::Unavailable),
			"failed: unavailable (too few evaluators could fetch it)"
		);
		assert_eq!(
			runtime_failed(FailureReason::TooLarge),
			"failed: too large (above the largest predictions file evaluators fetch)"
		);
		// The metric's own message, decoded from the chain's encoding.
		let error = merit_metrics::MetricError::Row {
			file: merit_metrics::FileKind::Predictions,
			line: 3,
			problem: merit_metrics::RowProblem::WrongColumnCount { expected: 2, found: 3 },
		};
		let unparsable =
			FinalOutcome::from_runtime(&Outcome::Failed(FailureReason::Unparsable(subxt::utils::Static(error))));
		assert_eq!(unparsable, FinalOutcome::Failed(Failure::Unparsable(error)));
		assert_eq!(unparsable.text(), format!("failed: unparsable: {error}"));
		assert!(unparsable.text().contains("line 3"), "{}", unparsable.text());
		let score = Score::from_parts(1_500_000_000_000_000_000);
		let scored = FinalOutcome::from_runtime(&Outcome::Scored(crate::chain::runtime_types::merit_metrics::Score(
			score.into_inner(),
		)));
		assert_eq!(scored.text(), "1.500000000000000000");
		for outcome in [scored.clone(), unparsable.clone(), FinalOutcome::Failed(Failure::TooLarge)] {
			assert_eq!(FinalOutcome::from_runtime(&outcome.to_runtime()), outcome);
		}
		// merit-primitives' types, for the commitment of a report.
		use merit_primitives::{FailureReason as P, Outcome as O};
		assert_eq!(scored.to_primitives(), O::Scored(score));
		assert_eq!(unparsable.to_primitives(), O::Failed(P::Unparsable(error)));
		assert_eq!(FinalOutcome::Failed(Failure::TooLarge).to_primitives(), O::Failed(P::TooLarge));
		assert_eq!(FinalOutcome::Failed(Failure::Unavailable).to_primitives(), O::Failed(P::Unavailable));
		assert_eq!(abstain_reason_name(&AbstainReason::FetchFailed), "fetch failed");
		assert_eq!(abstain_reason_name(&AbstainReason::HashMismatch), "hash mismatch");
	}

	#[test]
	fn stages() {
		for stage in Stage::ALL {
			assert_eq!(Stage::from_runtime(&stage.to_runtime()), stage);
			assert_eq!(<Stage as clap::ValueEnum>::from_str(stage.name(), false).unwrap(), stage);
		}
		assert_eq!(
			Stage::ALL.map(Stage::to_primitives),
			[merit_primitives::Stage::Public, merit_primitives::Stage::Private, merit_primitives::Stage::Dispute]
		);
		assert_eq!(Stage::Public.subset(), Subset::Public);
		assert_eq!(Stage::Dispute.subset(), Subset::Private);
	}
}
