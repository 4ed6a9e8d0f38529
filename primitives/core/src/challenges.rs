//! Challenges and submissions as the other pallets see them, and the traits through which they
//! read the challenge lifecycle and drive its last step.
use crate::Digest;
use alloc::vec::Vec;
use merit_metrics::Metric;
use polkadot_sdk::{sp_core::H256, sp_runtime};
use sp_runtime::{DispatchResult, Perbill};

/// A challenge's number, assigned in order of creation.
pub type ChallengeId = u32;
/// A submission's number, assigned in order of arrival across all challenges: a lower number
/// means an earlier submission.
pub type SubmissionId = u32;

/// How participants submit.
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
pub enum SubmissionMode {
	/// The predictions digest is posted at once and visible to all.
	Open,
	/// A commitment is posted while open and the digest revealed after close.
	Sealed,
}

/// Why a challenge was cancelled.
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
pub enum CancelReason {
	/// The owner withdrew it before anyone submitted.
	ByOwner,
	/// The owner did not reveal the labels by the deadline.
	MissedLabelsReveal,
}

/// Where a challenge is in its life.
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
pub enum ChallengeState {
	/// Accepting submissions.
	Open,
	/// Past `open_until`: sealed submissions are revealed, then the owner reveals the labels.
	Closed,
	/// The labels are public: final scores can be computed and checked by anyone.
	LabelsRevealed,
	/// Scores are final and the pool has been paid out.
	Finalized,
	/// Withdrawn or abandoned.
	Cancelled(CancelReason),
}

impl ChallengeState {
	/// Open, closed or revealed: evaluators still work on it and its pool can still pay.
	pub fn is_live(&self) -> bool {
		matches!(self, Self::Open | Self::Closed | Self::LabelsRevealed)
	}
}

/// Per-account submission limits (Netflix: one a day, "to dissuade you from just training on the
/// scoring oracle").
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
pub struct SubmissionLimits {
	/// Submissions per account per day.
	pub per_day: u32,
	/// Submissions per account over the whole challenge.
	pub total: u32,
}

/// When the challenge closes and by when the owner must reveal the labels.
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
pub struct Schedule<BlockNumber> {
	/// The first block at which the challenge no longer accepts submissions.
	pub open_until: BlockNumber,
	/// The block at which a challenge whose labels are still hidden is cancelled.
	pub reveal_deadline: BlockNumber,
}

/// What a submission holds.
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
pub enum SubmissionContent {
	/// A sealed commitment `sha256(digest ‖ salt ‖ account)`, not yet revealed.
	Committed(H256),
	/// The predictions artifact's digest.
	Revealed(Digest),
	/// A sealed submission whose revealed digest an earlier submission already holds.
	Duplicate {
		/// The digest it revealed.
		digest: Digest,
		/// The earlier submission that has priority.
		of: SubmissionId,
	},
}

impl SubmissionContent {
	/// The predictions digest of a revealed submission that holds it (not a duplicate).
	pub fn revealed(&self) -> Option<Digest> {
		match self {
			Self::Revealed(digest) => Some(*digest),
			_ => None,
		}
	}

	/// The predictions digest once revealed, duplicate or not.
	pub fn digest(&self) -> Option<Digest> {
		match self {
			Self::Revealed(digest) | Self::Duplicate { digest, .. } => Some(*digest),
			Self::Committed(_) => None,
		}
	}
}

/// The labels as the owner revealed them.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct RevealedLabels {
	/// The labels artifact's digest.
	pub digest: Digest,
	/// The commitment's salt; it also seeds the public/private row split.
	pub salt: Vec<u8>,
}

/// What the other pallets read of a challenge: its rules and where it is, not its description.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ChallengeSummary<AccountId, BlockNumber> {
	/// The problem owner.
	pub owner: AccountId,
	/// How predictions are scored.
	pub metric: Metric,
	/// Share of hidden rows on the public leaderboard.
	pub public_share: Perbill,
	/// Evaluators that must agree on a score.
	pub quorum: u32,
	/// Open or sealed submissions.
	pub mode: SubmissionMode,
	/// Closing block and reveal deadline.
	pub schedule: Schedule<BlockNumber>,
	/// `sha256(labels_digest ‖ salt)`.
	pub labels_commitment: H256,
	/// Where it is in its life.
	pub state: ChallengeState,
	/// The labels, once revealed.
	pub labels: Option<RevealedLabels>,
	/// How many submissions each author may mark as final: only those rank on the private board
	/// (0: every submission ranks, for challenges created before final selections existed).
	pub final_selections: u32,
	/// How participants may team up.
	pub teams: crate::TeamRules<BlockNumber>,
}

/// What the other pallets read of a submission.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SubmissionSummary<AccountId, BlockNumber> {
	/// The challenge it was submitted to.
	pub challenge: ChallengeId,
	/// Who submitted it.
	pub author: AccountId,
	/// Who it competes for: the author's team's account, or the author.
	pub entrant: AccountId,
	/// The commitment or the predictions digest.
	pub content: SubmissionContent,
	/// Others' submissions it forks.
	pub parents: Vec<SubmissionId>,
	/// The author's own earlier submission it improves on.
	pub previous_version: Option<SubmissionId>,
	/// The block that recorded it.
	pub submitted_at: BlockNumber,
}

/// Read access to challenges and submissions (implemented by the challenges pallet).
pub trait ChallengeInspect<AccountId, BlockNumber> {
	/// A challenge's rules and state.
	fn challenge(id: ChallengeId) -> Option<ChallengeSummary<AccountId, BlockNumber>>;
	/// A challenge's title.
	fn title(id: ChallengeId) -> Option<Vec<u8>>;
	/// A submission.
	fn submission(id: SubmissionId) -> Option<SubmissionSummary<AccountId, BlockNumber>>;
	/// A challenge's submissions in order of arrival.
	fn submissions(challenge: ChallengeId) -> Vec<SubmissionId>;
	/// Whether `who` submitted to `challenge`.
	fn is_participant(challenge: ChallengeId, who: &AccountId) -> bool;
	/// Every entrant's marks for `challenge` (entrants that marked none are absent): one read per
	/// entrant that marked.
	fn final_selections(challenge: ChallengeId) -> Vec<(AccountId, Vec<SubmissionId>)>;
	/// A challenge's submissions in order of arrival, each with its entrant and content: what a
	/// ranking needs, one read per submission and one per distinct author.
	fn ranking_entries(challenge: ChallengeId) -> Vec<(SubmissionId, AccountId, SubmissionContent)>;
	/// Up to `max` of [`Self::ranking_entries`] from the `start`-th (0-based): what one page of a
	/// paged ranking reads.
	fn ranking_entries_page(
		challenge: ChallengeId,
		start: u32,
		max: u32,
	) -> Vec<(SubmissionId, AccountId, SubmissionContent)>;
	/// How many submissions a challenge has (any content).
	fn submission_count(challenge: ChallengeId) -> u32;
	/// How many of a challenge's submissions hold their predictions digest (revealed and not
	/// superseded): each is owed a private score.
	fn revealed_count(challenge: ChallengeId) -> u32;
	/// The submissions `entrant` marked as final in `challenge` (empty: none, the default applies).
	fn marks(challenge: ChallengeId, entrant: &AccountId) -> Vec<SubmissionId>;
	/// The entrant `who` competes as in `challenge`: its team's account, or itself.
	fn entrant(challenge: ChallengeId, who: &AccountId) -> AccountId;
	/// The accounts behind an entrant and their shares of what it earns (summing to 100%).
	fn entrant_shares(challenge: ChallengeId, entrant: &AccountId) -> Vec<(AccountId, Perbill)>;
	/// The most accounts an entrant can stand for (a team's largest size; 1 without teams).
	fn max_team_size() -> u32;
	/// The teams `who` is in: each team's challenge, its account and `who`'s share.
	fn teams_of(who: &AccountId) -> Vec<(ChallengeId, AccountId, Perbill)>;
	/// Challenges that are open, closed or revealed, in order of creation: what per-block work and
	/// evaluators walk instead of the whole history.
	fn live_challenges() -> Vec<ChallengeId>;

	/// Stores a challenge owned by `owner` in `state` with `quorum` (scored by RMSE) without any
	/// checks, for a benchmark's setup.
	#[cfg(feature = "runtime-benchmarks")]
	fn insert_challenge_for_benchmark(owner: &AccountId, state: ChallengeState, quorum: u32) -> ChallengeId;
	/// Makes a team of `members` (the first its captain, equal shares) in `challenge` without
	/// any checks, for a benchmark's setup; returns the team's account.
	#[cfg(feature = "runtime-benchmarks")]
	fn insert_team_for_benchmark(challenge: ChallengeId, members: &[AccountId]) -> AccountId;
	/// Stores a revealed submission without any checks, for a benchmark's setup.
	#[cfg(feature = "runtime-benchmarks")]
	fn insert_submission_for_benchmark(
		challenge: ChallengeId,
		author: &AccountId,
		parents: Vec<SubmissionId>,
	) -> SubmissionId;
}

/// The step of the lifecycle the pool's owner drives: once the pool is paid out, the challenge is
/// finalized (implemented by the challenges pallet, called by the rewards pallet).
pub trait ChallengeLifecycle {
	/// Marks a challenge whose labels are revealed as finalized, drops it from the live index and
	/// releases the pins it held while it lived.
	fn conclude(challenge: ChallengeId) -> DispatchResult;
	/// The most [`Self::conclude`] may use.
	fn conclude_weight() -> polkadot_sdk::frame_support::weights::Weight;
}

/// Told when a challenge is created, inside the creating call (the scoring pallet schedules the
/// draw of its evaluators). An error fails the creation, so nothing exists half set up.
pub trait OnChallengeCreated<AccountId> {
	/// `owner` created `challenge` asking for `quorum` agreeing evaluators.
	fn on_challenge_created(challenge: ChallengeId, owner: &AccountId, quorum: u32) -> DispatchResult;
	/// The most the hook costs, charged in the creating call's weight.
	fn weight() -> polkadot_sdk::frame_support::weights::Weight;
}

impl<AccountId> OnChallengeCreated<AccountId> for () {
	fn on_challenge_created(_: ChallengeId, _: &AccountId, _: u32) -> DispatchResult {
		Ok(())
	}
	fn weight() -> polkadot_sdk::frame_support::weights::Weight {
		polkadot_sdk::frame_support::weights::Weight::zero()
	}
}
