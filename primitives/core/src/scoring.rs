//! Evaluators' outcomes as the other pallets see them.
use crate::{ChallengeId, SubmissionId};
use alloc::vec::Vec;
use merit_metrics::{MetricError, Score, Subset};
use polkadot_sdk::frame_support::weights::Weight;

/// Why a submission could not be scored, when that is the submission's fault and every honest
/// evaluator finds the same from chain data and the digest-checked file, so a quorum can agree on
/// it. What the submitter's server controls (a failed fetch, bytes that do not hash to the
/// digest) is never a report: it is an [`AbstainReason`], and a submission that too few drawn
/// evaluators could fetch ends [`FailureReason::Unavailable`].
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
	/// Fewer than a quorum of the drawn evaluators could fetch the predictions by the deadline
	/// (at least one abstained): the submitter's file was not served. Nobody is slashed.
	#[codec(index = 0)]
	Unavailable,
	/// The artifact's registered size exceeds `MaxPredictionsSize`.
	#[codec(index = 2)]
	TooLarge,
	/// The file could not be scored; the error names the file, the 1-based line and the problem.
	#[codec(index = 3)]
	Unparsable(MetricError),
	/// Scoring the file stopped the evaluator's worker twice (it exceeded the worker's memory or
	/// time): a file no honest evaluator's worker can score, whatever its bytes claim to be.
	#[codec(index = 4)]
	ScorerCrashed,
}

/// Why a drawn evaluator could not evaluate a submission: things the submitter's server decides,
/// so they are recorded, never slashed.
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
pub enum AbstainReason {
	/// Every fetch attempt failed (HTTP error, timeout or network failure).
	FetchFailed,
	/// The bytes served do not hash to the registered digest (or exceed the registered size).
	HashMismatch,
}

/// Which evaluation of a submission a job is: its public-split score while the challenge is open,
/// its private-split score after the labels are revealed, or the recount of a disputed private
/// score by a fresh, larger draw.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
	codec::Encode,
	codec::Decode,
	codec::DecodeWithMemTracking,
	codec::MaxEncodedLen,
	scale_info::TypeInfo,
)]
pub enum Stage {
	/// The public split, scored while the challenge is open.
	Public,
	/// The private split, scored from the revealed labels.
	Private,
	/// A disputed private score, recounted.
	Dispute,
}

impl Stage {
	/// The subset of hidden rows this stage scores.
	pub fn subset(self) -> Subset {
		match self {
			Self::Public => Subset::Public,
			Self::Private | Self::Dispute => Subset::Private,
		}
	}
}

/// What an evaluator commits to before revealing a report: `blake2_256(SCALE((submission, stage,
/// round, outcome, salt, evaluator)))`. The evaluator's own account is inside, so a copied
/// commitment cannot be revealed by anyone else; the round is inside, so a report cannot be
/// replayed into a later round.
pub fn report_commitment<AccountId: codec::Encode>(
	submission: SubmissionId,
	stage: Stage,
	round: u32,
	outcome: &Outcome,
	salt: &[u8; 32],
	evaluator: &AccountId,
) -> polkadot_sdk::sp_core::H256 {
	use polkadot_sdk::sp_runtime::traits::{BlakeTwo256, Hash};
	BlakeTwo256::hash(&codec::Encode::encode(&(submission, stage, round, outcome, salt, evaluator)))
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
	/// Who it competes for: its author, or the author's team's account.
	pub author: AccountId,
	/// Its final score.
	pub score: Score,
}

/// A window of a long list for a reader (an RPC answer, a web page): `limit` items from the
/// `offset`-th, 0-based, so an answer's size is the reader's choice, not the list's.
#[derive(Clone, Copy, PartialEq, Eq, Debug, codec::Encode, codec::Decode, scale_info::TypeInfo)]
pub struct Page {
	/// How many items to skip.
	pub offset: u32,
	/// The most items to return.
	pub limit: u32,
}

impl Page {
	/// The whole list.
	pub const ALL: Page = Page { offset: 0, limit: u32::MAX };

	/// Whether the `index`-th item (0-based) is in the window.
	pub fn contains(self, index: usize) -> bool {
		let (offset, limit) = (self.offset as usize, self.limit as usize);
		index >= offset && index - offset < limit
	}

	/// The window's items of `items`, in order.
	pub fn window<I: IntoIterator>(self, items: I) -> impl Iterator<Item = I::Item> {
		items.into_iter().skip(self.offset as usize).take(self.limit as usize)
	}
}

/// One page of a leaderboard, and how many entrants the whole board ranks.
#[derive(Clone, PartialEq, Eq, Debug, codec::Encode, codec::Decode, scale_info::TypeInfo)]
pub struct LeaderboardPage<AccountId> {
	/// Entrants on the whole board.
	pub total: u32,
	/// The page's rows, best first.
	pub entries: Vec<LeaderboardEntry<AccountId>>,
}

/// The submissions of one entrant (an author, or a team) that count on a challenge's private board.
#[derive(
	Clone, PartialEq, Eq, Debug, codec::Encode, codec::Decode, codec::DecodeWithMemTracking, scale_info::TypeInfo,
)]
pub struct FinalSelection<AccountId> {
	/// The entrant: an author, or a team's account.
	pub author: AccountId,
	/// The submissions that count, in order of arrival.
	pub submissions: Vec<SubmissionId>,
	/// Whether the author marked them; otherwise they are the default (the best public scores).
	pub marked: bool,
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
	/// Jobs it abstained from, with a reason (a file it could not fetch or that did not match).
	pub abstained: u32,
	/// Reports it committed but never revealed before the round ended (no fee, no slash).
	pub missed: u32,
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
	/// A challenge's leaderboard on a subset: each author's best final score, best first (on
	/// the private subset, among the author's final selections only).
	fn leaderboard(challenge: ChallengeId, subset: Subset) -> Vec<LeaderboardEntry<AccountId>>;
	/// The board prizes follow (the private one); with `complete`, `Err` names the first
	/// revealed submission without a final private outcome (one pass over the submissions).
	/// Counts a challenge's prize board (its private one) a page at a time, `max` units of work
	/// per call (a submission read or an entrant ranked). The first call refuses (`Err`) while,
	/// with `complete`, a revealed submission has no final private outcome; from it on no private
	/// outcome of the challenge becomes final, so the count cannot go stale. Returns where the
	/// count stands and the weight this call used.
	fn count_prize_board(challenge: ChallengeId, complete: bool, max: u32) -> Result<(PrizeProgress, Weight), ()>;
	/// The most [`Self::count_prize_board`] uses for `max` units of work.
	fn count_prize_board_weight(max: u32) -> Weight;
	/// The best `n` entries of a counted prize board.
	fn prize_winners(challenge: ChallengeId, n: u32) -> Vec<LeaderboardEntry<AccountId>>;
	/// Where `entrant` stands on a challenge's board, and how many entries the board has.
	fn placement(
		challenge: ChallengeId,
		subset: Subset,
		entrant: &AccountId,
	) -> Option<(LeaderboardEntry<AccountId>, u32)>;
	/// An evaluator's lifetime counts.
	fn evaluation_stats(evaluator: &AccountId) -> EvaluationStats;
	/// Whether any private outcome of the challenge may still change: a dispute on one of its
	/// submissions is open, or a final private score's dispute window has not closed. Prizes wait
	/// until this is false.
	fn disputes_open(challenge: ChallengeId) -> bool;

	/// Records a final outcome without any reports, for a benchmark's setup.
	#[cfg(feature = "runtime-benchmarks")]
	fn set_final_outcome_for_benchmark(submission: SubmissionId, subset: Subset, outcome: Outcome);
}

/// Where a paged prize count stands after a call.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct PrizeProgress {
	/// Submissions read so far, of `submissions`.
	pub read: u32,
	/// The challenge's submissions.
	pub submissions: u32,
	/// Entrants ranked so far.
	pub ranked: u32,
	/// Whether the board is counted.
	pub done: bool,
}

/// How a challenge's public leaderboard releases scores (implemented by the rewards pallet, which
/// keeps each challenge's terms).
pub trait PublicBoardRules {
	/// The Ladder's step when the challenge's public board is a Ladder; `None` for the full board.
	fn ladder_step(challenge: ChallengeId) -> Option<Score>;
	/// Makes a challenge's public board a Ladder of `step`, for a benchmark's setup.
	#[cfg(feature = "runtime-benchmarks")]
	fn set_ladder_for_benchmark(_challenge: ChallengeId, _step: Score) {}
}

impl PublicBoardRules for () {
	fn ladder_step(_: ChallengeId) -> Option<Score> {
		None
	}
}

/// What the challenges pallet tells the keeper of the public boards (the scoring pallet) when a
/// scored submission stops counting or an entrant's submissions start counting for another, so
/// the boards kept in storage stay equal to what the submissions make them.
pub trait BoardKeeper<AccountId> {
	/// `submission` (by `author`) lost its digest to an earlier commitment: it leaves the boards.
	fn superseded(challenge: ChallengeId, submission: SubmissionId, author: &AccountId);
	/// `from`'s submissions to `challenge` count as `into`'s from now on.
	fn entrants_merged(challenge: ChallengeId, from: &AccountId, into: &AccountId);
	/// The most [`Self::superseded`] uses.
	fn superseded_weight() -> polkadot_sdk::frame_support::weights::Weight;
	/// The most [`Self::entrants_merged`] uses.
	fn merge_weight() -> polkadot_sdk::frame_support::weights::Weight;
}

impl<AccountId> BoardKeeper<AccountId> for () {
	fn superseded(_: ChallengeId, _: SubmissionId, _: &AccountId) {}
	fn entrants_merged(_: ChallengeId, _: &AccountId, _: &AccountId) {}
	fn superseded_weight() -> polkadot_sdk::frame_support::weights::Weight {
		Default::default()
	}
	fn merge_weight() -> polkadot_sdk::frame_support::weights::Weight {
		Default::default()
	}
}

/// The order of a public board in storage: 16 bytes of score, big-endian, complemented when
/// higher is better, then the submission's id, big-endian. Byte order is rank order (better
/// first, equal scores: the earlier submission first), so a board stored under these keys is
/// read best first by walking its prefix.
pub type RankKey = [u8; 20];

/// A score's raw value turned so that smaller is better, and back (the turn is its own inverse).
fn best_first(higher_is_better: bool, raw: u128) -> u128 {
	if higher_is_better {
		u128::MAX - raw
	} else {
		raw
	}
}

/// The score a [`RankKey`] was made of.
pub fn rank_key_score(higher_is_better: bool, key: &RankKey) -> Score {
	let mut raw = [0u8; 16];
	raw.copy_from_slice(&key[..16]);
	Score::from_parts(best_first(higher_is_better, u128::from_be_bytes(raw)))
}

/// The submission a [`RankKey`] ranks.
pub fn rank_key_submission(key: &RankKey) -> SubmissionId {
	let mut id = [0u8; 4];
	id.copy_from_slice(&key[16..]);
	SubmissionId::from_be_bytes(id)
}

/// The [`RankKey`] of `submission`'s `score` under a metric where higher is better or not.
pub fn rank_key(higher_is_better: bool, score: Score, submission: SubmissionId) -> RankKey {
	let mut key = [0u8; 20];
	key[..16].copy_from_slice(&best_first(higher_is_better, score.into_inner()).to_be_bytes());
	key[16..].copy_from_slice(&submission.to_be_bytes());
	key
}
