//! The prize pool as the challenge lifecycle drives it: one pallet holds the money, keeps its
//! ledger and pays it out; the lifecycle only tells it when a pool opens and how it ends.
use crate::ChallengeId;
use polkadot_sdk::{
	frame_support::weights::Weight,
	sp_runtime::{DispatchError, DispatchResult, Perbill},
};

/// How a challenge's owner shares the pool beyond the prizes, given at creation with the pool.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
	codec::Encode,
	codec::Decode,
	codec::DecodeWithMemTracking,
	codec::MaxEncodedLen,
	scale_info::TypeInfo,
)]
pub struct RewardTerms<Balance> {
	/// The part of a prize a winning submission passes to the work it forked (hop 1).
	pub fork_share: Perbill,
	/// How the passed part shrinks per further hop: hop *h* passes `fork_share × fork_decay^(h−1)`.
	pub fork_decay: Perbill,
	/// How many hops fork credit travels (0: none).
	pub fork_depth: u32,
	/// The part of the pool set aside for micro-rewards.
	pub micro_share: Perbill,
	/// Paid for each public score that beats the public best by more than `improvement_step`.
	pub improvement_reward: Balance,
	/// Paid for each review.
	pub review_reward: Balance,
	/// Reviews one account may give in the challenge (0: reviews are off).
	pub max_reviews_per_reviewer: u32,
	/// Paid to each evaluator of a quorum, per final score (not for a failed file).
	pub evaluator_fee: Balance,
	/// How much a public score must beat the public best by to earn `improvement_reward`
	/// (strictly more than this; required when that reward is not zero, so a sliver of an
	/// improvement earns nothing).
	pub improvement_step: merit_metrics::Score,
	/// Whether the public leaderboard is a Ladder (Blum and Hardt, 2015): it shows a score only
	/// when it beats the last shown one by more than `improvement_step`, rounded to it
	/// ([`merit_metrics::Metric::ladder`]), which limits how far probing can fit the public rows.
	pub ladder: bool,
}

/// How a pool ended when its challenge was cancelled.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct PoolSettlement<Balance> {
	/// What went back to the owner at once.
	pub released: Balance,
	/// How many submissions had a final public score: the shares the rest is split into.
	pub scored_submissions: u32,
	/// What each of those submissions' authors may claim per submission (zero after a
	/// cancellation by the owner, or when nothing was scored).
	pub refund_per_scored_submission: Balance,
}

/// The prize pool of each challenge (implemented by the rewards pallet). The lifecycle opens a
/// pool at creation and ends it when the challenge is cancelled; payouts and finalization belong
/// to the implementing pallet.
pub trait PrizePool<AccountId, Balance> {
	/// Checks the shares and terms and holds `amount` from `owner` as `challenge`'s pool. Fails,
	/// holding nothing, on bad shares or terms or when the owner cannot afford it.
	fn open(
		challenge: ChallengeId,
		owner: &AccountId,
		amount: Balance,
		reward_shares: &[Perbill],
		terms: &RewardTerms<Balance>,
	) -> DispatchResult;
	/// The owner withdrew the challenge: the whole pool goes back to them.
	/// The owner revealed the labels: the bond held against a missed reveal goes back to it.
	fn labels_revealed(challenge: ChallengeId) -> DispatchResult;
	/// What [`PrizePool::labels_revealed`] costs at most.
	fn reveal_weight() -> Weight;
	fn withdraw(challenge: ChallengeId) -> Result<PoolSettlement<Balance>, DispatchError>;
	/// The owner missed the labels reveal: the pool, with the owner's reveal bond, is split
	/// equally among the submissions that had a final public score, whose authors claim their
	/// shares; the indivisible remainder goes back. Without a scored submission the pool goes back
	/// and the bond is burnt: sharing it per account or per unscored file would pay sybils.
	fn abandon(challenge: ChallengeId) -> PoolSettlement<Balance>;
	/// The most [`Self::open`] may use with `winners` reward shares.
	fn open_weight(winners: u32) -> Weight;
	/// The most [`Self::withdraw`] or [`Self::abandon`] may use.
	fn end_weight() -> Weight;
}
