//! Evaluators' outcomes as the other pallets see them.
use crate::{ChallengeId, SubmissionId};
use alloc::vec::Vec;
use merit_metrics::{MetricError, Score, Subset};
use polkadot_sdk::frame_support::weights::Weight;

/// Why a submission could not be scored, when that is the submission's fault. All of these are
/// deterministic for honest evaluators, so they can reach a quorum like scores.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	codec::Encode,
	codec::Decode,
	codec::DecodeWithMemTracking,
	codec::MaxEncodedLen,
	scale_info::TypeInfo,
)]
pub enum FailureReason {
	/// The predictions could not be fetched from the artifact's URI (HTTP error, timeout or
	/// network failure), on each of the worker's attempts.
	FetchFailed,
	/// The fetched bytes do not hash to the registered digest (or are longer than the
	/// registered size).
	HashMismatch,
	/// The artifact's registered size exceeds `MaxPredictionsSize`.
	TooLarge,
	/// The file could not be scored; the error names the file, the 1-based line and the problem.
	Unparsable(MetricError),
}

/// What an evaluator found for a submission on one subset of the hidden rows.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	codec::Encode,
	codec::Decode,
	codec::DecodeWithMemTracking,
	codec::MaxEncodedLen,
	scale_info::TypeInfo,
)]
pub enum Outcome {
	/// The metric's value.
	Scored(Score),
	/// The submission could not be scored.
	Failed(FailureReason),
}

/// One row of a leaderboard.
#[derive(
	Clone, PartialEq, Eq, Debug, codec::Encode, codec::Decode, codec::DecodeWithMemTracking, scale_info::TypeInfo,
)]
pub struct LeaderboardEntry<AccountId> {
	/// 1 for the best.
	pub rank: u32,
	/// The author's best submission.
	pub submission: SubmissionId,
	/// Its author.
	pub author: AccountId,
	/// Its final score.
	pub score: Score,
}

/// An evaluator's lifetime record, kept after it leaves: part of its track record.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, Default, codec::Encode, codec::Decode, codec::MaxEncodedLen, scale_info::TypeInfo,
)]
pub struct EvaluationStats {
	/// Reports accepted.
	pub reports: u32,
	/// Reports equal to the final outcome (the quorum's and later ones).
	pub agreed: u32,
	/// Reports that differed from a final outcome (each slashed).
	pub disagreed: u32,
}

/// Told when a quorum makes an outcome final, so another pallet (rewards) can pay for verified
/// improvements and for the evaluators' work. It cannot fail the report that completed the quorum.
pub trait OnOutcomeFinal<AccountId> {
	/// `agreeing` are the evaluators (bonded accounts) whose reports formed the quorum; returns
	/// the weight used.
	fn on_outcome_final(
		challenge: ChallengeId,
		submission: SubmissionId,
		author: &AccountId,
		subset: Subset,
		outcome: &Outcome,
		agreeing: &[AccountId],
	) -> Weight;
	/// The most [`Self::on_outcome_final`] may use, charged up front by the caller.
	fn max_weight() -> Weight;
}

impl<AccountId> OnOutcomeFinal<AccountId> for () {
	fn on_outcome_final(
		_: ChallengeId,
		_: SubmissionId,
		_: &AccountId,
		_: Subset,
		_: &Outcome,
		_: &[AccountId],
	) -> Weight {
		Weight::zero()
	}
	fn max_weight() -> Weight {
		Weight::zero()
	}
}

/// Read access to final outcomes and leaderboards (implemented by the scoring pallet).
pub trait OutcomeInspect<AccountId> {
	/// The final outcome of a submission's subset, if a quorum agreed.
	fn final_outcome(submission: SubmissionId, subset: Subset) -> Option<Outcome>;
	/// A challenge's leaderboard on a subset: each author's best final score, best first.
	fn leaderboard(challenge: ChallengeId, subset: Subset) -> Vec<LeaderboardEntry<AccountId>>;
	/// An evaluator's lifetime counts.
	fn evaluation_stats(evaluator: &AccountId) -> EvaluationStats;

	/// Records a final outcome without any reports, for a benchmark's setup.
	#[cfg(feature = "runtime-benchmarks")]
	fn set_final_outcome_for_benchmark(submission: SubmissionId, subset: Subset, outcome: Outcome);
}
