//! What the scoring pallet stores.
use crate::{pallet::Config, AbstainReason, Outcome};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{BoundedVec, CloneNoBound, DebugNoBound, DefaultNoBound, EqNoBound, PartialEqNoBound};
use frame_system::pallet_prelude::BlockNumberFor;
use merit_primitives::{ChallengeId, SubmissionId};
use polkadot_sdk::{frame_support, frame_system, sp_core::H256};
use scale_info::TypeInfo;

/// The balance type of the bond currency.
pub type BalanceOf<T> = <<T as Config>::Currency as frame_support::traits::fungible::Inspect<
	<T as frame_system::Config>::AccountId,
>>::Balance;

/// The drawn evaluators of a panel, in the order of the draw.
pub type MembersOf<T> = BoundedVec<<T as frame_system::Config>::AccountId, <T as Config>::MaxPanelSize>;

/// A registered evaluator.
#[derive(CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Evaluator<T: Config> {
	/// The account its off-chain worker signs reports with.
	pub key: T::AccountId,
	/// What is still held (the registration bond minus slashes).
	pub bond: BalanceOf<T>,
	/// The block it registered in: it is drawn only `WarmUpPeriod` later.
	pub registered_at: BlockNumberFor<T>,
	/// Once leaving (or removed): the first block at which the unbonding period is over.
	pub leaving_until: Option<BlockNumberFor<T>>,
	/// Reports that disagreed with a final outcome.
	pub disagreements: u32,
	/// Until this block a report it revealed may still be found wrong (by the end of its round,
	/// or by a dispute), so its bond stays held at least this long.
	pub exposed_until: BlockNumberFor<T>,
}

/// What a pending draw is for.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub enum DrawFor {
	/// The panel that evaluates every submission of a challenge.
	Challenge(ChallengeId),
	/// The panel that recounts a disputed private score.
	Dispute(SubmissionId),
}

/// Evaluators drawn at random from the eligible bonded set.
#[derive(CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Panel<T: Config> {
	/// The drawn evaluators: `quorum` of them plus spares (fewer than `quorum` spares, so two
	/// different outcomes can never both reach the quorum).
	pub members: MembersOf<T>,
	/// How many identical revealed reports make an outcome final.
	pub quorum: u32,
	/// The block of the draw.
	pub drawn_at: BlockNumberFor<T>,
	/// The random seed the draw used (anyone can replay the draw from it).
	pub seed: H256,
}

/// One round of the evaluation of a submission at one stage: sealed commitments first, then
/// reveals.
#[derive(CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Job<T: Config> {
	/// Counts from 0; a round that ended without a final outcome starts the next.
	pub round: u32,
	/// The block the round began (its first commitment or abstention, or the end of the last).
	pub opened_at: BlockNumberFor<T>,
	/// The first block reveals are accepted: `CommitPeriod` after the round began, or earlier once
	/// every panel member who may evaluate the submission has committed or abstained. No
	/// commitment is accepted from then on, so no report can be copied.
	pub reveal_from: BlockNumberFor<T>,
	/// Sealed reports: evaluator and commitment, in order of arrival.
	pub commits: BoundedVec<(T::AccountId, H256), T::MaxPanelSize>,
	/// Revealed reports, in order of arrival.
	pub reveals: BoundedVec<(T::AccountId, Outcome), T::MaxPanelSize>,
	/// Evaluators that could not evaluate the submission, and why.
	pub abstentions: BoundedVec<(T::AccountId, AbstainReason), T::MaxPanelSize>,
}

/// A final outcome, when it became final and the evaluators whose reports made it so.
#[derive(CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct FinalOutcome<T: Config> {
	/// The outcome the quorum agreed on.
	pub outcome: Outcome,
	/// The block of the report that completed the quorum (or of the dispute that corrected it).
	pub finalized_at: BlockNumberFor<T>,
	/// The evaluators whose revealed reports formed the quorum: slashed if a dispute overturns it.
	pub agreeing: MembersOf<T>,
	/// The evaluators slashed for contradicting it, and how much: repaid from the quorum's slash
	/// if a dispute shows they were right.
	pub penalized: BoundedVec<(T::AccountId, BalanceOf<T>), T::MaxPanelSize>,
}

/// Whether a challenge's private scores may still change: its open disputes, and the block until
/// which its latest final private score can be disputed. Kept per challenge so that paying the
/// prizes checks it once, not once per submission.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, Default, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct DisputeExposure<BlockNumber> {
	/// Disputes of its submissions being recounted.
	pub open_disputes: u32,
	/// The first block at which no final private score of it can be disputed any more.
	pub window_ends: BlockNumber,
}

/// An open dispute of a final private outcome.
#[derive(CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Dispute<T: Config> {
	/// Who disputed, and whose bond is held.
	pub disputer: T::AccountId,
	/// The submission's challenge.
	pub challenge: ChallengeId,
	/// The bond held from the disputer.
	pub bond: BalanceOf<T>,
	/// The block of the dispute: it lapses `DisputeResolutionPeriod` later.
	pub opened_at: BlockNumberFor<T>,
	/// The outcome being disputed.
	pub disputed: Outcome,
	/// The fresh panel that recounts, once drawn.
	pub panel: Option<Panel<T>>,
}

/// The public-row labels of a challenge, sealed to its panel (see [`merit_primitives::labels`]).
#[derive(CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct LabelsDelivery<T: Config> {
	/// The ciphertext's digest, the commitment inside it and the ephemeral key of the envelopes.
	pub sealed: merit_primitives::labels::SealedLabels,
	/// The file key sealed to each addressed panel member.
	pub envelopes: EnvelopesOf<T>,
	/// The block of the (last) delivery.
	pub delivered_at: BlockNumberFor<T>,
}

/// One sealed file key per addressed panel member.
pub type EnvelopesOf<T> = BoundedVec<
	(<T as frame_system::Config>::AccountId, merit_primitives::labels::SealedFileKey),
	<T as Config>::MaxPanelSize,
>;

/// One entrant's entry on a kept public board: its best shown score and the submission that
/// made it.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct BoardPlace<AccountId> {
	/// Who it competes for: an author, or a team's account.
	pub entrant: AccountId,
	/// The entrant's best submission (ties: its earliest).
	pub submission: SubmissionId,
	/// The score the board shows.
	pub score: merit_metrics::Score,
}

/// Where a challenge's prize count stands.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct PrizeCount {
	/// How many of the challenge's submissions (in order of arrival) have been read.
	pub read: u32,
	/// How many entrants have been ranked.
	pub ranked: u32,
	/// Whether every submission was read and every entrant ranked: the board is final.
	pub done: bool,
}

/// What a prize count keeps of one entrant while it reads the submissions: enough to find the
/// entrant's best counted private score without reading its submissions again. Private scores
/// are kept as [`merit_primitives::RankKey`]s (the score and the submission in rank order).
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, DefaultNoBound, Encode, Decode, MaxEncodedLen, TypeInfo,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct EntrantCount<T: Config> {
	/// The best private score among the submissions that count whatever the public scores say:
	/// all of them in a challenge without final selections, the marked ones of an entrant that
	/// marked.
	pub best: Option<merit_primitives::RankKey>,
	/// An entrant that marked nothing: its best final public scores so far (at most the
	/// challenge's `final_selections`, best first), each with its private score.
	pub top_public: BoundedVec<(merit_primitives::RankKey, Option<merit_primitives::RankKey>), T::MaxFinalSelections>,
	/// An entrant that marked nothing: its latest revealed submissions without a final public
	/// score (at most `final_selections`, oldest first), each with its private score.
	pub latest_unscored: BoundedVec<(SubmissionId, Option<merit_primitives::RankKey>), T::MaxFinalSelections>,
}
