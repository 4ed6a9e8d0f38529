//! What the challenges pallet takes and stores. A challenge is kept in three parts: its
//! immutable spec (read by every call), a small mutable status, and its description apart (read by
//! nobody on chain), so the records the hot paths read and write stay small.
use crate::{pallet::BalanceOf, Config};
use alloc::vec::Vec;
use frame_support::{pallet_prelude::*, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound};
use frame_system::pallet_prelude::BlockNumberFor;
pub use merit_primitives::{
	CancelReason, ChallengeId, ChallengeState, Digest, Metric, RewardTerms, Schedule, SubmissionContent, SubmissionId,
	SubmissionLimits, SubmissionMode, TeamRules,
};
use polkadot_sdk::{frame_support, frame_system, sp_core::H256, sp_runtime::Perbill};

/// A description given as text or as a registered report artifact.
#[derive(
	Clone, PartialEq, Eq, Debug, codec::Encode, codec::Decode, codec::DecodeWithMemTracking, scale_info::TypeInfo,
)]
pub enum DescriptionInput {
	/// Inline text (UTF-8), at most `MaxDescriptionLength` bytes.
	Text(Vec<u8>),
	/// A registered artifact (e.g. a report with the full task statement).
	Artifact(Digest),
}

/// What a problem owner specifies to publish a challenge: everything, including how the pool is
/// shared, so no challenge ever exists half-configured.
#[derive(
	Clone, PartialEq, Eq, Debug, codec::Encode, codec::Decode, codec::DecodeWithMemTracking, scale_info::TypeInfo,
)]
pub struct ChallengeParams<BlockNumber, Balance> {
	/// A short title, at most `MaxTitleLength` bytes.
	pub title: Vec<u8>,
	/// The task statement.
	pub description: DescriptionInput,
	/// The public training data, as registered dataset artifacts.
	pub training_data: Vec<Digest>,
	/// How predictions are scored; it implies whether lower or higher is better.
	pub metric: Metric,
	/// `sha256(labels_digest ‖ salt)`, where `labels_digest` is the sha256 of the labels file.
	pub labels_commitment: H256,
	/// The share of hidden rows scored on the public leaderboard while the challenge is open.
	pub public_share: Perbill,
	/// Closing block and labels reveal deadline.
	pub schedule: Schedule<BlockNumber>,
	/// Per-account limits.
	pub limits: SubmissionLimits,
	/// The prize shares of ranks 1, 2, ... on the private leaderboard; they sum to 100%.
	pub reward_shares: Vec<Perbill>,
	/// Fork credit and micro-rewards.
	pub terms: RewardTerms<Balance>,
	/// How many evaluators must agree on a score for it to be final.
	pub quorum: u32,
	/// The prize pool, held from the owner's balance.
	pub prize_pool: Balance,
	/// Open or sealed submissions.
	pub mode: SubmissionMode,
	/// How many submissions each participant may mark as final while the challenge is open
	/// (1 to `MaxFinalSelections`); only those rank on the private board, so sending many
	/// variants buys no best-of-many luck on the hidden rows.
	pub final_selections: u32,
	/// How participants may team up (`max_size: 1`: no teams).
	pub teams: TeamRules<BlockNumber>,
	/// The owner's earlier challenge this one is the next phase of (development, then final):
	/// it opens to submissions once that one has closed, and closes after it.
	pub previous_phase: Option<ChallengeId>,
}

/// The creation parameters as the call takes them.
pub type ChallengeParamsOf<T> = ChallengeParams<BlockNumberFor<T>, BalanceOf<T>>;

/// A description as stored.
#[derive(CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub enum Description<T: Config> {
	/// Inline text.
	Text(BoundedVec<u8, T::MaxDescriptionLength>),
	/// A registered artifact.
	Artifact(Digest),
}

/// The labels as revealed by the owner: anyone can now recompute every score.
#[derive(CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct RevealedLabels<T: Config> {
	/// The labels artifact's digest.
	pub digest: Digest,
	/// The salt of the commitment; it also seeds the public/private row split.
	pub salt: BoundedVec<u8, T::MaxSaltLength>,
}

/// What never changes after publication.
#[derive(CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct ChallengeSpec<T: Config> {
	/// The problem owner.
	pub owner: T::AccountId,
	/// A short title.
	pub title: BoundedVec<u8, T::MaxTitleLength>,
	/// Training data artifacts.
	pub training_data: BoundedVec<Digest, T::MaxTrainingArtifacts>,
	/// The metric.
	pub metric: Metric,
	/// `sha256(labels_digest ‖ salt)`.
	pub labels_commitment: H256,
	/// Share of hidden rows on the public leaderboard.
	pub public_share: Perbill,
	/// Closing block and reveal deadline.
	pub schedule: Schedule<BlockNumberFor<T>>,
	/// Per-account limits.
	pub limits: SubmissionLimits,
	/// Evaluators that must agree on a score.
	pub quorum: u32,
	/// The pool as published (the rewards pallet holds and pays it).
	pub prize_pool: BalanceOf<T>,
	/// Open or sealed.
	pub mode: SubmissionMode,
	/// The block it was published in.
	pub created_at: BlockNumberFor<T>,
	/// How many submissions each participant may mark as final (0 for challenges published
	/// before final selections: every submission ranks).
	pub final_selections: u32,
	/// How participants may team up.
	pub teams: TeamRules<BlockNumberFor<T>>,
	/// The phase before this one, if it is a later phase.
	pub previous_phase: Option<ChallengeId>,
}

/// What changes over a challenge's life.
#[derive(CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct ChallengeStatus<T: Config> {
	/// Where it is in its life.
	pub state: ChallengeState,
	/// Distinct entrants (accounts or teams) that submitted.
	pub participants: u32,
	/// The revealed labels.
	pub labels: Option<RevealedLabels<T>>,
}

/// A submission as stored.
#[derive(CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Submission<T: Config> {
	/// The challenge it was submitted to.
	pub challenge: ChallengeId,
	/// Who submitted it.
	pub author: T::AccountId,
	/// The commitment or the predictions digest.
	pub content: SubmissionContent,
	/// Others' submissions it forks (credit flows to their authors).
	pub parents: BoundedVec<SubmissionId, T::MaxParents>,
	/// The author's own earlier submission it improves on.
	pub previous_version: Option<SubmissionId>,
	/// The block that recorded it: its priority.
	pub submitted_at: BlockNumberFor<T>,
}

/// One entrant's (an account's or a team's) submissions to one challenge, for the limits.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Participation {
	/// Submissions over the whole challenge.
	pub total: u32,
	/// The day (block number / blocks per day) `today` counts.
	pub day: u32,
	/// Submissions on that day.
	pub today: u32,
}
