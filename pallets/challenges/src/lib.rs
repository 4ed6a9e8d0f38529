//! # Challenges
//!
//! The lifecycle of an open research challenge, from publication to the labels' reveal.
//!
//! - A **problem owner** publishes a challenge: title and description, training-data artifacts,
//!   the metric, a commitment to the hidden labels, the share of hidden rows on the public
//!   leaderboard, a schedule, submission limits, a reward rule, the evaluator quorum, and a prize
//!   pool that is **held** on the owner's account (a fungible hold: the funds stay visible and
//!   accounted for, and cannot be spent elsewhere).
//! - **Participants** submit predictions artifacts. In an *open* challenge the digest is posted at
//!   once; in a *sealed* one the participant commits `sha256(digest ‖ salt ‖ account)` while the
//!   challenge is open and reveals after it closes, so nobody can copy predictions before the end.
//!   A digest already submitted to the challenge is rejected: the earlier submission has priority
//!   (for sealed challenges, the earlier commitment). A submission names the submissions it forks
//!   (`parents`, others' work) and its own `previous_version`.
//! - The chain **closes** the challenge at `open_until` in its `on_initialize` hook.
//! - The owner **reveals** the labels artifact and salt; the chain checks
//!   `sha256(labels_digest ‖ salt)` against the commitment made at creation.
//! - A missed reveal deadline **cancels** the challenge: the pool is split equally among the
//!   participants (each claims their share), the indivisible remainder goes back to the owner.
//!   With no participants, the whole pool goes back to the owner. The owner may also cancel before
//!   the first submission, which releases the pool.
//!
//! States: `Open → Closed → LabelsRevealed → Finalized`, or `Cancelled` from `Open` (owner) or
//! `Closed` (missed reveal). Scores and payouts (finalization) belong to the scoring and rewards
//! pallets, which drive the last step through [`Pallet::finalize`].
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod weights;

pub use merit_metrics::Metric;
pub use merit_primitives::{ArtifactKind, ArtifactRegistry, Digest};
use polkadot_sdk::{frame_support, frame_system, sp_io, sp_runtime};

/// A challenge's number, assigned in order of creation.
pub type ChallengeId = u32;
/// A submission's number, assigned in order of arrival across all challenges: a lower number
/// means an earlier submission.
pub type SubmissionId = u32;

/// How participants submit.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, codec::Encode, codec::Decode, codec::DecodeWithMemTracking,
	codec::MaxEncodedLen, scale_info::TypeInfo,
)]
pub enum SubmissionMode {
	/// The predictions digest is posted at once and visible to all.
	Open,
	/// A commitment is posted while open and the digest revealed after close.
	Sealed,
}

/// Why a challenge was cancelled.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, codec::Encode, codec::Decode, codec::DecodeWithMemTracking,
	codec::MaxEncodedLen, scale_info::TypeInfo,
)]
pub enum CancelReason {
	/// The owner withdrew it before anyone submitted.
	ByOwner,
	/// The owner did not reveal the labels by the deadline.
	MissedLabelsReveal,
}

/// Where a challenge is in its life.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, codec::Encode, codec::Decode, codec::DecodeWithMemTracking,
	codec::MaxEncodedLen, scale_info::TypeInfo,
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

/// Per-account submission limits (Netflix: one a day, "to dissuade you from just training on the
/// scoring oracle").
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, codec::Encode, codec::Decode, codec::DecodeWithMemTracking,
	codec::MaxEncodedLen, scale_info::TypeInfo,
)]
pub struct SubmissionLimits {
	/// Submissions per account per day.
	pub per_day: u32,
	/// Submissions per account over the whole challenge.
	pub total: u32,
}

/// When the challenge closes and by when the owner must reveal the labels.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, codec::Encode, codec::Decode, codec::DecodeWithMemTracking,
	codec::MaxEncodedLen, scale_info::TypeInfo,
)]
pub struct Schedule<BlockNumber> {
	/// The first block at which the challenge no longer accepts submissions.
	pub open_until: BlockNumber,
	/// The block at which a challenge whose labels are still hidden is cancelled.
	pub reveal_deadline: BlockNumber,
}

/// A description given as text or as a registered report artifact.
#[derive(
	Clone, PartialEq, Eq, Debug, codec::Encode, codec::Decode, codec::DecodeWithMemTracking,
	scale_info::TypeInfo,
)]
pub enum DescriptionInput {
	/// Inline text (UTF-8), at most `MaxDescriptionLength` bytes.
	Text(alloc::vec::Vec<u8>),
	/// A registered artifact (e.g. a report with the full task statement).
	Artifact(Digest),
}

/// What a problem owner specifies to publish a challenge.
#[derive(
	Clone, PartialEq, Eq, Debug, codec::Encode, codec::Decode, codec::DecodeWithMemTracking,
	scale_info::TypeInfo,
)]
pub struct ChallengeParams<BlockNumber, Balance> {
	/// A short title, at most `MaxTitleLength` bytes.
	pub title: alloc::vec::Vec<u8>,
	/// The task statement.
	pub description: DescriptionInput,
	/// The public training data, as registered dataset artifacts.
	pub training_data: alloc::vec::Vec<Digest>,
	/// How predictions are scored; it implies whether lower or higher is better.
	pub metric: Metric,
	/// `sha256(labels_digest ‖ salt)`, where `labels_digest` is the sha256 of the labels file.
	pub labels_commitment: sp_core_hash::H256,
	/// The share of hidden rows scored on the public leaderboard while the challenge is open.
	pub public_share: sp_runtime::Perbill,
	/// Closing block and labels reveal deadline.
	pub schedule: Schedule<BlockNumber>,
	/// Per-account limits.
	pub limits: SubmissionLimits,
	/// The prize shares of ranks 1, 2, ... on the private leaderboard; they sum to 100%.
	pub reward_shares: alloc::vec::Vec<sp_runtime::Perbill>,
	/// How many evaluators must agree on a score for it to be final.
	pub quorum: u32,
	/// The prize pool, held from the owner's balance.
	pub prize_pool: Balance,
	/// Open or sealed submissions.
	pub mode: SubmissionMode,
}

/// Re-exported so the params type names its hash type without a long path.
mod sp_core_hash {
	pub use polkadot_sdk::sp_core::H256;
}
pub use sp_core_hash::H256;

/// What a submission holds.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, codec::Encode, codec::Decode, codec::DecodeWithMemTracking,
	codec::MaxEncodedLen, scale_info::TypeInfo,
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

/// Told about every new submission before it is stored, so another pallet (attribution) can
/// record its lineage or refuse it (e.g. a fork chain deeper than it allows). An error aborts the
/// submission.
pub trait OnSubmission<AccountId> {
	/// `id` is the new submission; `parents` (each with its author, as the challenges pallet
	/// read them) and `previous_version` are already checked to be submissions to `challenge` by
	/// others and by `author` respectively.
	fn on_submission(
		id: SubmissionId,
		challenge: ChallengeId,
		author: &AccountId,
		parents: &[(SubmissionId, AccountId)],
		previous_version: Option<SubmissionId>,
	) -> sp_runtime::DispatchResult;
}

impl<AccountId> OnSubmission<AccountId> for () {
	fn on_submission(
		_: SubmissionId,
		_: ChallengeId,
		_: &AccountId,
		_: &[(SubmissionId, AccountId)],
		_: Option<SubmissionId>,
	) -> sp_runtime::DispatchResult {
		Ok(())
	}
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Inspect, InspectHold, MutateHold},
			tokens::{Fortitude, Precision, Restriction},
		},
		CloneNoBound, EqNoBound, PartialEqNoBound, DebugNoBound,
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::{
		traits::{CheckedDiv, CheckedMul, CheckedSub, Saturating, Zero},
		Perbill,
	};

	/// The balance type of the prize pool's currency.
	pub type BalanceOf<T> =
		<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
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

	/// A challenge as stored.
	#[derive(CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo)]
	#[scale_info(skip_type_params(T))]
	#[codec(mel_bound())]
	pub struct Challenge<T: Config> {
		/// The problem owner.
		pub owner: T::AccountId,
		/// A short title.
		pub title: BoundedVec<u8, T::MaxTitleLength>,
		/// The task statement.
		pub description: Description<T>,
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
		/// Prize shares by rank.
		pub reward_shares: BoundedVec<Perbill, T::MaxWinners>,
		/// Evaluators that must agree on a score.
		pub quorum: u32,
		/// The pool as published.
		pub prize_pool: BalanceOf<T>,
		/// What is still held on the owner's account for this challenge.
		pub held: BalanceOf<T>,
		/// Open or sealed.
		pub mode: SubmissionMode,
		/// Where it is in its life.
		pub state: ChallengeState,
		/// The block it was published in.
		pub created_at: BlockNumberFor<T>,
		/// Distinct accounts that submitted.
		pub participants: u32,
		/// After a missed reveal: what each participant may claim.
		pub refund_per_participant: BalanceOf<T>,
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

	/// One account's submissions to one challenge, for the limits and refunds.
	#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Encode, Decode, MaxEncodedLen, TypeInfo)]
	pub struct Participation {
		/// Submissions over the whole challenge.
		pub total: u32,
		/// The day (block number / blocks per day) `today` counts.
		pub day: u32,
		/// Submissions on that day.
		pub today: u32,
		/// Whether the participant claimed a refund of an abandoned challenge.
		pub refund_claimed: bool,
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A challenge's prize pool, held on its owner's account until paid out or released.
		#[codec(index = 0)]
		PrizePool,
	}

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency prize pools are held in.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ InspectHold<Self::AccountId>;
		/// The runtime's hold reasons, which include this pallet's.
		type RuntimeHoldReason: From<HoldReason>;
		/// Where artifacts are registered and pinned.
		type Artifacts: ArtifactRegistry<Self::AccountId>;
		/// Records each submission's lineage (the attribution pallet in the Merit runtime).
		type OnSubmission: OnSubmission<Self::AccountId>;
		/// The longest title.
		#[pallet::constant]
		type MaxTitleLength: Get<u32>;
		/// The longest inline description.
		#[pallet::constant]
		type MaxDescriptionLength: Get<u32>;
		/// The most training artifacts.
		#[pallet::constant]
		type MaxTrainingArtifacts: Get<u32>;
		/// The most ranks with a prize share.
		#[pallet::constant]
		type MaxWinners: Get<u32>;
		/// The most parents a submission names.
		#[pallet::constant]
		type MaxParents: Get<u32>;
		/// The most submissions one challenge accepts.
		#[pallet::constant]
		type MaxSubmissionsPerChallenge: Get<u32>;
		/// The most challenges that may close (or hit their reveal deadline) in one block.
		#[pallet::constant]
		type MaxScheduledPerBlock: Get<u32>;
		/// The longest salt.
		#[pallet::constant]
		type MaxSaltLength: Get<u32>;
		/// The largest evaluator quorum.
		#[pallet::constant]
		type MaxQuorum: Get<u32>;
		/// The smallest prize pool (also what keeps challenge spam expensive).
		#[pallet::constant]
		type MinPrizePool: Get<BalanceOf<Self>>;
		/// The longest a challenge may stay open, in blocks.
		#[pallet::constant]
		type MaxOpenPeriod: Get<BlockNumberFor<Self>>;
		/// After a sealed challenge closes, how long participants have to reveal before the owner
		/// may reveal the labels.
		#[pallet::constant]
		type SubmissionRevealPeriod: Get<BlockNumberFor<Self>>;
		/// Blocks per day, the window of the per-day limit.
		#[pallet::constant]
		type BlocksPerDay: Get<BlockNumberFor<Self>>;
		/// Weights of the calls and hooks, from this pallet's benchmarks.
		type WeightInfo: WeightInfo;
		/// Registers artifacts for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// Creates the artifacts a benchmark needs.
	#[cfg(feature = "runtime-benchmarks")]
	pub trait BenchmarkHelper<AccountId> {
		/// Registers an artifact of `kind` owned by `owner`.
		fn register_artifact(owner: &AccountId, digest: Digest, kind: ArtifactKind);
	}

	/// The next challenge's id.
	#[pallet::storage]
	pub type NextChallengeId<T> = StorageValue<_, ChallengeId, ValueQuery>;

	/// Every challenge.
	#[pallet::storage]
	pub type Challenges<T: Config> = StorageMap<_, Twox64Concat, ChallengeId, Challenge<T>>;

	/// The next submission's id.
	#[pallet::storage]
	pub type NextSubmissionId<T> = StorageValue<_, SubmissionId, ValueQuery>;

	/// Every submission.
	#[pallet::storage]
	pub type Submissions<T: Config> = StorageMap<_, Twox64Concat, SubmissionId, Submission<T>>;

	/// A challenge's submissions in order of arrival (for evaluators and leaderboards).
	#[pallet::storage]
	pub type ChallengeSubmissions<T: Config> =
		StorageMap<_, Twox64Concat, ChallengeId, BoundedVec<SubmissionId, T::MaxSubmissionsPerChallenge>, ValueQuery>;

	/// Which submission holds a predictions digest in a challenge (priority: first wins).
	#[pallet::storage]
	pub type SubmittedDigests<T: Config> =
		StorageDoubleMap<_, Twox64Concat, ChallengeId, Identity, Digest, SubmissionId>;

	/// Which submission holds a sealed commitment in a challenge.
	#[pallet::storage]
	pub type SealedCommitments<T: Config> =
		StorageDoubleMap<_, Twox64Concat, ChallengeId, Identity, H256, SubmissionId>;

	/// Each account's submissions to each challenge.
	#[pallet::storage]
	pub type Participations<T: Config> =
		StorageDoubleMap<_, Twox64Concat, ChallengeId, Blake2_128Concat, T::AccountId, Participation>;

	/// Challenges that close at a block.
	#[pallet::storage]
	pub type ClosingAt<T: Config> =
		StorageMap<_, Twox64Concat, BlockNumberFor<T>, BoundedVec<ChallengeId, T::MaxScheduledPerBlock>, ValueQuery>;

	/// Challenges whose labels reveal deadline falls at a block.
	#[pallet::storage]
	pub type RevealDeadlineAt<T: Config> =
		StorageMap<_, Twox64Concat, BlockNumberFor<T>, BoundedVec<ChallengeId, T::MaxScheduledPerBlock>, ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A challenge was published and its prize pool held.
		ChallengeCreated { challenge: ChallengeId, owner: T::AccountId, prize_pool: BalanceOf<T>, open_until: BlockNumberFor<T> },
		/// A challenge stopped accepting submissions.
		ChallengeClosed { challenge: ChallengeId },
		/// The owner revealed the labels and they match the commitment.
		LabelsRevealed { challenge: ChallengeId, labels: Digest },
		/// A challenge was cancelled; `released` went back to the owner, `refund_per_participant`
		/// may be claimed by each of `participants`.
		ChallengeCancelled {
			challenge: ChallengeId,
			reason: CancelReason,
			released: BalanceOf<T>,
			participants: u32,
			refund_per_participant: BalanceOf<T>,
		},
		/// A participant of an abandoned challenge claimed their refund.
		RefundClaimed { challenge: ChallengeId, who: T::AccountId, amount: BalanceOf<T> },
		/// A challenge's scores are final and its pool paid out; `released` (what no payout took)
		/// went back to the owner.
		ChallengeFinalized { challenge: ChallengeId, released: BalanceOf<T> },
		/// Predictions were submitted to an open challenge.
		Submitted { challenge: ChallengeId, submission: SubmissionId, author: T::AccountId, digest: Digest },
		/// A sealed commitment was recorded.
		SubmissionCommitted { challenge: ChallengeId, submission: SubmissionId, author: T::AccountId, commitment: H256 },
		/// A sealed submission was revealed.
		SubmissionRevealed { challenge: ChallengeId, submission: SubmissionId, digest: Digest },
		/// A revealed sealed submission lost its digest to an earlier commitment.
		SubmissionSuperseded { challenge: ChallengeId, submission: SubmissionId, by: SubmissionId },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No challenge with this id.
		UnknownChallenge,
		/// No submission with this id.
		UnknownSubmission,
		/// Only the challenge's owner may do this.
		NotOwner,
		/// Only the submission's author may do this.
		NotAuthor,
		/// The challenge is not open for submissions.
		ChallengeNotOpen,
		/// The challenge has not closed yet.
		ChallengeNotClosed,
		/// The labels have not been revealed.
		LabelsNotRevealed,
		/// The owner may cancel only before the first submission.
		ChallengeHasSubmissions,
		/// The title is empty or longer than `MaxTitleLength`.
		BadTitle,
		/// The description is empty or longer than `MaxDescriptionLength`.
		BadDescription,
		/// A referenced artifact is not registered.
		UnknownArtifact,
		/// A referenced artifact has the wrong kind (e.g. a submission that is not predictions).
		WrongArtifactKind,
		/// A submitted or revealed artifact must be registered by the submitter.
		ArtifactNotOwned,
		/// No training data, more than `MaxTrainingArtifacts`, or one named twice.
		BadTrainingData,
		/// The public share must be below 100% so a private leaderboard exists.
		BadPublicShare,
		/// `open_until` must be after now and within `MaxOpenPeriod`; the reveal deadline after it
		/// (and after the submission reveal period for sealed challenges).
		BadSchedule,
		/// Limits must be at least one, with the daily limit not above the total.
		BadLimits,
		/// Reward shares must be non-empty, at most `MaxWinners`, and sum to exactly 100%.
		BadRewardShares,
		/// The quorum must be between one and `MaxQuorum`.
		BadQuorum,
		/// The prize pool is below `MinPrizePool`.
		PrizePoolTooSmall,
		/// The owner cannot afford the prize pool.
		InsufficientBalance,
		/// Too many challenges are scheduled at that block already; pick another block.
		ScheduleFull,
		/// This digest was already submitted to the challenge; the earlier submission has priority.
		DuplicateSubmission,
		/// This commitment was already posted to the challenge.
		DuplicateCommitment,
		/// The account reached the challenge's daily submission limit.
		DailyLimitReached,
		/// The account reached the challenge's total submission limit.
		TotalLimitReached,
		/// The challenge reached `MaxSubmissionsPerChallenge`.
		ChallengeFull,
		/// More than `MaxParents` parents.
		TooManyParents,
		/// A parent is not a submission to the same challenge, or is named twice.
		BadParent,
		/// Parents are others' work; name your own earlier submission as `previous_version`.
		ParentIsOwnSubmission,
		/// The previous version is not the author's own submission to the same challenge.
		BadPreviousVersion,
		/// Open challenges take `submit`, sealed ones `commit_submission`.
		WrongSubmissionMode,
		/// The submission is already revealed.
		AlreadyRevealed,
		/// The digest and salt do not match the submission's commitment.
		CommitmentMismatch,
		/// The salt is longer than `MaxSaltLength`.
		SaltTooLong,
		/// The submission reveal period is over.
		RevealPeriodOver,
		/// Participants still have time to reveal sealed submissions.
		RevealPeriodNotOver,
		/// The labels and salt do not match the commitment made at creation.
		LabelsCommitmentMismatch,
		/// The challenge was not abandoned, so there is nothing to refund.
		NoRefund,
		/// This account did not take part in the challenge.
		NotAParticipant,
		/// The refund was already claimed.
		RefundAlreadyClaimed,
		/// A counter would overflow.
		Overflow,
		/// The challenge is finalized or cancelled: its pool can no longer pay.
		ChallengeNotLive,
		/// The pool holds less than the payment.
		PoolExhausted,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Closes the challenges due now and cancels those whose labels were not revealed in time.
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			let closing = ClosingAt::<T>::take(now);
			let expiring = RevealDeadlineAt::<T>::take(now);
			for challenge in closing.iter() {
				Self::close(*challenge);
			}
			for challenge in expiring.iter() {
				Self::expire(*challenge);
			}
			T::WeightInfo::on_initialize(closing.len() as u32, expiring.len() as u32)
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}

		/// A runtime whose constants make challenges impossible fails its integrity tests.
		fn integrity_test() {
			assert!(!T::BlocksPerDay::get().is_zero(), "BlocksPerDay must be positive");
			assert!(T::MaxWinners::get() > 0, "MaxWinners must be positive");
			assert!(T::MaxQuorum::get() > 0, "MaxQuorum must be positive");
			assert!(T::MaxScheduledPerBlock::get() > 0, "MaxScheduledPerBlock must be positive");
			assert!(T::MaxSubmissionsPerChallenge::get() > 0, "MaxSubmissionsPerChallenge must be positive");
			assert!(T::MaxTrainingArtifacts::get() > 0, "MaxTrainingArtifacts must be positive");
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Publishes a challenge and holds its prize pool on the caller's account.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::create_challenge(
			params.training_data.len() as u32,
			params.reward_shares.len() as u32,
		))]
		pub fn create_challenge(origin: OriginFor<T>, params: ChallengeParamsOf<T>) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			let now = frame_system::Pallet::<T>::block_number();
			let challenge = Self::validated_challenge(&owner, params, now)?;
			let id = NextChallengeId::<T>::get();
			let next = id.checked_add(1).ok_or(Error::<T>::Overflow)?;

			ClosingAt::<T>::try_append(challenge.schedule.open_until, id).map_err(|_| Error::<T>::ScheduleFull)?;
			RevealDeadlineAt::<T>::try_append(challenge.schedule.reveal_deadline, id)
				.map_err(|_| Error::<T>::ScheduleFull)?;
			T::Currency::hold(&HoldReason::PrizePool.into(), &owner, challenge.prize_pool)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
			for digest in Self::pinned_artifacts(&challenge) {
				T::Artifacts::add_reference(&digest)?;
			}

			NextChallengeId::<T>::put(next);
			Self::deposit_event(Event::ChallengeCreated {
				challenge: id,
				owner,
				prize_pool: challenge.prize_pool,
				open_until: challenge.schedule.open_until,
			});
			Challenges::<T>::insert(id, challenge);
			Ok(())
		}

		/// Withdraws a challenge nobody has submitted to yet and releases its pool.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::cancel_challenge(T::MaxTrainingArtifacts::get()))]
		pub fn cancel_challenge(origin: OriginFor<T>, challenge: ChallengeId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut record = Challenges::<T>::get(challenge).ok_or(Error::<T>::UnknownChallenge)?;
			ensure!(record.owner == who, Error::<T>::NotOwner);
			ensure!(record.state == ChallengeState::Open, Error::<T>::ChallengeNotOpen);
			ensure!(ChallengeSubmissions::<T>::decode_len(challenge).unwrap_or(0) == 0, Error::<T>::ChallengeHasSubmissions);

			let released = Self::release_all(&mut record)?;
			ClosingAt::<T>::mutate(record.schedule.open_until, |ids| ids.retain(|id| *id != challenge));
			RevealDeadlineAt::<T>::mutate(record.schedule.reveal_deadline, |ids| ids.retain(|id| *id != challenge));
			for digest in Self::pinned_artifacts(&record) {
				T::Artifacts::remove_reference(&digest);
			}
			record.state = ChallengeState::Cancelled(CancelReason::ByOwner);
			Challenges::<T>::insert(challenge, record);
			Self::deposit_event(Event::ChallengeCancelled {
				challenge,
				reason: CancelReason::ByOwner,
				released,
				participants: 0,
				refund_per_participant: Zero::zero(),
			});
			Ok(())
		}

		/// Submits a predictions artifact (registered by the caller) to an open challenge.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::submit(parents.len() as u32))]
		pub fn submit(
			origin: OriginFor<T>,
			challenge: ChallengeId,
			predictions: Digest,
			parents: Vec<SubmissionId>,
			previous_version: Option<SubmissionId>,
		) -> DispatchResult {
			let author = ensure_signed(origin)?;
			let record = Self::open_challenge(challenge, SubmissionMode::Open)?;
			Self::ensure_own_predictions(&author, &predictions)?;
			ensure!(!SubmittedDigests::<T>::contains_key(challenge, predictions), Error::<T>::DuplicateSubmission);
			let id = Self::record_submission(
				record,
				challenge,
				&author,
				SubmissionContent::Revealed(predictions),
				parents,
				previous_version,
			)?;
			T::Artifacts::add_reference(&predictions)?;
			SubmittedDigests::<T>::insert(challenge, predictions, id);
			Self::deposit_event(Event::Submitted { challenge, submission: id, author, digest: predictions });
			Ok(())
		}

		/// Commits to predictions in a sealed challenge: `commitment = sha256(digest ‖ salt ‖
		/// SCALE(account))`. Reveal it with `reveal_submission` after the challenge closes.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::commit_submission(parents.len() as u32))]
		pub fn commit_submission(
			origin: OriginFor<T>,
			challenge: ChallengeId,
			commitment: H256,
			parents: Vec<SubmissionId>,
			previous_version: Option<SubmissionId>,
		) -> DispatchResult {
			let author = ensure_signed(origin)?;
			let record = Self::open_challenge(challenge, SubmissionMode::Sealed)?;
			ensure!(!SealedCommitments::<T>::contains_key(challenge, commitment), Error::<T>::DuplicateCommitment);
			let id = Self::record_submission(
				record,
				challenge,
				&author,
				SubmissionContent::Committed(commitment),
				parents,
				previous_version,
			)?;
			SealedCommitments::<T>::insert(challenge, commitment, id);
			Self::deposit_event(Event::SubmissionCommitted { challenge, submission: id, author, commitment });
			Ok(())
		}

		/// Reveals a sealed submission after its challenge closed. If a later commitment already
		/// revealed the same digest, this earlier one takes the digest over.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::reveal_submission())]
		pub fn reveal_submission(
			origin: OriginFor<T>,
			submission: SubmissionId,
			predictions: Digest,
			salt: Vec<u8>,
		) -> DispatchResult {
			let author = ensure_signed(origin)?;
			let mut record = Submissions::<T>::get(submission).ok_or(Error::<T>::UnknownSubmission)?;
			ensure!(record.author == author, Error::<T>::NotAuthor);
			let SubmissionContent::Committed(commitment) = record.content else {
				return Err(Error::<T>::AlreadyRevealed.into());
			};
			let challenge = Challenges::<T>::get(record.challenge).ok_or(Error::<T>::UnknownChallenge)?;
			ensure!(challenge.state == ChallengeState::Closed, Error::<T>::ChallengeNotClosed);
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(now < Self::reveal_period_end(&challenge), Error::<T>::RevealPeriodOver);
			ensure!(salt.len() <= T::MaxSaltLength::get() as usize, Error::<T>::SaltTooLong);
			ensure!(
				Self::submission_commitment(&predictions, &salt, &author) == commitment,
				Error::<T>::CommitmentMismatch
			);
			// Anyone may have registered the artifact: the commitment, which contains the author's
			// account, is what proves this author held these predictions before the close.
			Self::ensure_artifact_kind(&predictions, ArtifactKind::Predictions)?;

			match SubmittedDigests::<T>::get(record.challenge, predictions) {
				Some(holder) if holder < submission => {
					// An earlier commitment already revealed this digest: it keeps priority.
					return Err(Error::<T>::DuplicateSubmission.into());
				},
				Some(later) => {
					Submissions::<T>::mutate(later, |later_record| {
						if let Some(later_record) = later_record {
							later_record.content = SubmissionContent::Duplicate { digest: predictions, of: submission };
						}
					});
					Self::deposit_event(Event::SubmissionSuperseded {
						challenge: record.challenge,
						submission: later,
						by: submission,
					});
				},
				None => T::Artifacts::add_reference(&predictions)?,
			}
			SubmittedDigests::<T>::insert(record.challenge, predictions, submission);
			record.content = SubmissionContent::Revealed(predictions);
			let challenge_id = record.challenge;
			Submissions::<T>::insert(submission, record);
			Self::deposit_event(Event::SubmissionRevealed { challenge: challenge_id, submission, digest: predictions });
			Ok(())
		}

		/// Reveals the hidden labels of a closed challenge. The chain checks
		/// `sha256(labels ‖ salt)` (labels = the labels artifact's digest) against the commitment.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::reveal_labels())]
		pub fn reveal_labels(
			origin: OriginFor<T>,
			challenge: ChallengeId,
			labels: Digest,
			salt: Vec<u8>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut record = Challenges::<T>::get(challenge).ok_or(Error::<T>::UnknownChallenge)?;
			ensure!(record.owner == who, Error::<T>::NotOwner);
			ensure!(record.state == ChallengeState::Closed, Error::<T>::ChallengeNotClosed);
			let now = frame_system::Pallet::<T>::block_number();
			if record.mode == SubmissionMode::Sealed {
				ensure!(now >= Self::reveal_period_end(&record), Error::<T>::RevealPeriodNotOver);
			}
			let salt: BoundedVec<u8, T::MaxSaltLength> = salt.try_into().map_err(|_| Error::<T>::SaltTooLong)?;
			ensure!(
				Self::labels_commitment(&labels, &salt) == record.labels_commitment,
				Error::<T>::LabelsCommitmentMismatch
			);
			let (_, kind) = T::Artifacts::artifact(&labels).ok_or(Error::<T>::UnknownArtifact)?;
			ensure!(kind == ArtifactKind::Labels, Error::<T>::WrongArtifactKind);
			T::Artifacts::add_reference(&labels)?;

			RevealDeadlineAt::<T>::mutate(record.schedule.reveal_deadline, |ids| ids.retain(|id| *id != challenge));
			record.labels = Some(RevealedLabels { digest: labels, salt });
			record.state = ChallengeState::LabelsRevealed;
			Challenges::<T>::insert(challenge, record);
			Self::deposit_event(Event::LabelsRevealed { challenge, labels });
			Ok(())
		}

		/// Pays a participant of an abandoned challenge (labels never revealed) their equal share
		/// of the pool, from the hold on the owner's account.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::claim_refund())]
		pub fn claim_refund(origin: OriginFor<T>, challenge: ChallengeId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut record = Challenges::<T>::get(challenge).ok_or(Error::<T>::UnknownChallenge)?;
			ensure!(
				record.state == ChallengeState::Cancelled(CancelReason::MissedLabelsReveal),
				Error::<T>::NoRefund
			);
			let mut participation = Participations::<T>::get(challenge, &who).ok_or(Error::<T>::NotAParticipant)?;
			ensure!(!participation.refund_claimed, Error::<T>::RefundAlreadyClaimed);

			let amount = record.refund_per_participant;
			T::Currency::transfer_on_hold(
				&HoldReason::PrizePool.into(),
				&record.owner,
				&who,
				amount,
				Precision::Exact,
				Restriction::Free,
				Fortitude::Polite,
			)?;
			record.held = record.held.checked_sub(&amount).ok_or(Error::<T>::Overflow)?;
			participation.refund_claimed = true;
			Participations::<T>::insert(challenge, &who, participation);
			Challenges::<T>::insert(challenge, record);
			Self::deposit_event(Event::RefundClaimed { challenge, who, amount });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// `sha256(labels_digest ‖ salt)`: the commitment a challenge's owner publishes.
		pub fn labels_commitment(labels: &Digest, salt: &[u8]) -> H256 {
			let mut preimage = Vec::with_capacity(32 + salt.len());
			preimage.extend_from_slice(labels.as_bytes());
			preimage.extend_from_slice(salt);
			H256(sp_io::hashing::sha2_256(&preimage))
		}

		/// `sha256(digest ‖ salt ‖ SCALE(account))`: a sealed submission's commitment. The account
		/// is inside so nobody can copy another's commitment and reveal it as their own.
		pub fn submission_commitment(digest: &Digest, salt: &[u8], author: &T::AccountId) -> H256 {
			let mut preimage = Vec::with_capacity(32 + salt.len() + 32);
			preimage.extend_from_slice(digest.as_bytes());
			preimage.extend_from_slice(salt);
			author.encode_to(&mut preimage);
			H256(sp_io::hashing::sha2_256(&preimage))
		}

		/// Pays `amount` from a live challenge's held pool to `to` (the rewards pallet's only way
		/// to move the pool). Fails, moving nothing, if the pool holds less or the transfer is
		/// impossible (e.g. below the existential deposit of a new account).
		pub fn pay_from_pool(challenge: ChallengeId, to: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
			Challenges::<T>::try_mutate(challenge, |record| {
				let record = record.as_mut().ok_or(Error::<T>::UnknownChallenge)?;
				ensure!(
					matches!(record.state, ChallengeState::Open | ChallengeState::Closed | ChallengeState::LabelsRevealed),
					Error::<T>::ChallengeNotLive
				);
				let left = record.held.checked_sub(&amount).ok_or(Error::<T>::PoolExhausted)?;
				if to != &record.owner {
					T::Currency::transfer_on_hold(
						&HoldReason::PrizePool.into(),
						&record.owner,
						to,
						amount,
						Precision::Exact,
						Restriction::Free,
						Fortitude::Polite,
					)?;
				} else {
					T::Currency::release(&HoldReason::PrizePool.into(), &record.owner, amount, Precision::Exact)?;
				}
				record.held = left;
				Ok(())
			})
		}

		/// Marks a challenge whose labels are revealed as finalized and releases what is still
		/// held back to the owner; the rewards pallet calls this after paying the pool out.
		/// Returns what went back to the owner.
		pub fn finalize(challenge: ChallengeId) -> Result<BalanceOf<T>, DispatchError> {
			let released = Challenges::<T>::try_mutate(challenge, |record| {
				let record = record.as_mut().ok_or(Error::<T>::UnknownChallenge)?;
				ensure!(record.state == ChallengeState::LabelsRevealed, Error::<T>::LabelsNotRevealed);
				let released = Self::release_all(record)?;
				record.state = ChallengeState::Finalized;
				Ok::<_, DispatchError>(released)
			})?;
			Self::deposit_event(Event::ChallengeFinalized { challenge, released });
			Ok(released)
		}

		fn validated_challenge(
			owner: &T::AccountId,
			params: ChallengeParamsOf<T>,
			now: BlockNumberFor<T>,
		) -> Result<Challenge<T>, DispatchError> {
			let title: BoundedVec<u8, T::MaxTitleLength> = params.title.try_into().map_err(|_| Error::<T>::BadTitle)?;
			ensure!(!title.is_empty(), Error::<T>::BadTitle);
			let description = match params.description {
				DescriptionInput::Text(text) => {
					ensure!(!text.is_empty(), Error::<T>::BadDescription);
					Description::Text(text.try_into().map_err(|_| Error::<T>::BadDescription)?)
				},
				DescriptionInput::Artifact(digest) => {
					Self::ensure_artifact_kind(&digest, ArtifactKind::Report)?;
					Description::Artifact(digest)
				},
			};
			let training_data: BoundedVec<Digest, T::MaxTrainingArtifacts> =
				params.training_data.try_into().map_err(|_| Error::<T>::BadTrainingData)?;
			ensure!(!training_data.is_empty(), Error::<T>::BadTrainingData);
			for (i, digest) in training_data.iter().enumerate() {
				ensure!(!training_data[..i].contains(digest), Error::<T>::BadTrainingData);
				Self::ensure_artifact_kind(digest, ArtifactKind::Dataset)?;
			}
			ensure!(params.public_share < Perbill::one(), Error::<T>::BadPublicShare);

			let Schedule { open_until, reveal_deadline } = params.schedule;
			ensure!(open_until > now, Error::<T>::BadSchedule);
			ensure!(open_until.saturating_sub(now) <= T::MaxOpenPeriod::get(), Error::<T>::BadSchedule);
			let earliest_labels_reveal = match params.mode {
				SubmissionMode::Open => open_until,
				SubmissionMode::Sealed => open_until.saturating_add(T::SubmissionRevealPeriod::get()),
			};
			ensure!(reveal_deadline > earliest_labels_reveal, Error::<T>::BadSchedule);

			let limits = params.limits;
			ensure!(limits.per_day >= 1 && limits.per_day <= limits.total, Error::<T>::BadLimits);

			let reward_shares: BoundedVec<Perbill, T::MaxWinners> =
				params.reward_shares.try_into().map_err(|_| Error::<T>::BadRewardShares)?;
			let total_parts = reward_shares
				.iter()
				.try_fold(0u32, |sum, share| sum.checked_add(share.deconstruct()))
				.ok_or(Error::<T>::BadRewardShares)?;
			ensure!(total_parts == Perbill::one().deconstruct(), Error::<T>::BadRewardShares);
			ensure!(params.quorum >= 1 && params.quorum <= T::MaxQuorum::get(), Error::<T>::BadQuorum);
			ensure!(params.prize_pool >= T::MinPrizePool::get(), Error::<T>::PrizePoolTooSmall);

			Ok(Challenge {
				owner: owner.clone(),
				title,
				description,
				training_data,
				metric: params.metric,
				labels_commitment: params.labels_commitment,
				public_share: params.public_share,
				schedule: params.schedule,
				limits,
				reward_shares,
				quorum: params.quorum,
				prize_pool: params.prize_pool,
				held: params.prize_pool,
				mode: params.mode,
				state: ChallengeState::Open,
				created_at: now,
				participants: 0,
				refund_per_participant: Zero::zero(),
				labels: None,
			})
		}

		/// The artifacts a challenge pins for its whole life.
		fn pinned_artifacts(challenge: &Challenge<T>) -> Vec<Digest> {
			let mut pinned = challenge.training_data.to_vec();
			if let Description::Artifact(digest) = challenge.description {
				pinned.push(digest);
			}
			pinned
		}

		fn ensure_artifact_kind(digest: &Digest, kind: ArtifactKind) -> DispatchResult {
			let (_, actual) = T::Artifacts::artifact(digest).ok_or(Error::<T>::UnknownArtifact)?;
			ensure!(actual == kind, Error::<T>::WrongArtifactKind);
			Ok(())
		}

		fn ensure_own_predictions(author: &T::AccountId, digest: &Digest) -> DispatchResult {
			let (owner, kind) = T::Artifacts::artifact(digest).ok_or(Error::<T>::UnknownArtifact)?;
			ensure!(kind == ArtifactKind::Predictions, Error::<T>::WrongArtifactKind);
			ensure!(&owner == author, Error::<T>::ArtifactNotOwned);
			Ok(())
		}

		fn open_challenge(challenge: ChallengeId, mode: SubmissionMode) -> Result<Challenge<T>, DispatchError> {
			let record = Challenges::<T>::get(challenge).ok_or(Error::<T>::UnknownChallenge)?;
			ensure!(record.state == ChallengeState::Open, Error::<T>::ChallengeNotOpen);
			ensure!(record.mode == mode, Error::<T>::WrongSubmissionMode);
			Ok(record)
		}

		/// The first block at which sealed submissions can no longer be revealed.
		fn reveal_period_end(challenge: &Challenge<T>) -> BlockNumberFor<T> {
			challenge.schedule.open_until.saturating_add(T::SubmissionRevealPeriod::get())
		}

		/// Checks lineage and limits, then stores a new submission and counts it.
		fn record_submission(
			mut challenge: Challenge<T>,
			challenge_id: ChallengeId,
			author: &T::AccountId,
			content: SubmissionContent,
			parents: Vec<SubmissionId>,
			previous_version: Option<SubmissionId>,
		) -> Result<SubmissionId, DispatchError> {
			let parents: BoundedVec<SubmissionId, T::MaxParents> =
				parents.try_into().map_err(|_| Error::<T>::TooManyParents)?;
			let mut parent_authors = Vec::with_capacity(parents.len());
			for (i, parent) in parents.iter().enumerate() {
				ensure!(!parents[..i].contains(parent), Error::<T>::BadParent);
				let parent_record = Submissions::<T>::get(parent).ok_or(Error::<T>::BadParent)?;
				ensure!(parent_record.challenge == challenge_id, Error::<T>::BadParent);
				ensure!(&parent_record.author != author, Error::<T>::ParentIsOwnSubmission);
				parent_authors.push((*parent, parent_record.author));
			}
			if let Some(previous) = previous_version {
				let previous_record = Submissions::<T>::get(previous).ok_or(Error::<T>::BadPreviousVersion)?;
				ensure!(
					previous_record.challenge == challenge_id && &previous_record.author == author,
					Error::<T>::BadPreviousVersion
				);
			}

			let now = frame_system::Pallet::<T>::block_number();
			let day: u32 = now
				.checked_div(&T::BlocksPerDay::get())
				.unwrap_or_default()
				.try_into()
				.map_err(|_| Error::<T>::Overflow)?;
			let existing = Participations::<T>::get(challenge_id, author);
			let mut participation = existing.unwrap_or_default();
			if participation.day != day {
				participation.day = day;
				participation.today = 0;
			}
			ensure!(participation.total < challenge.limits.total, Error::<T>::TotalLimitReached);
			ensure!(participation.today < challenge.limits.per_day, Error::<T>::DailyLimitReached);
			participation.total = participation.total.checked_add(1).ok_or(Error::<T>::Overflow)?;
			participation.today = participation.today.checked_add(1).ok_or(Error::<T>::Overflow)?;

			let id = NextSubmissionId::<T>::get();
			let next = id.checked_add(1).ok_or(Error::<T>::Overflow)?;
			T::OnSubmission::on_submission(id, challenge_id, author, &parent_authors, previous_version)?;
			ChallengeSubmissions::<T>::try_append(challenge_id, id).map_err(|_| Error::<T>::ChallengeFull)?;
			if existing.is_none() {
				challenge.participants = challenge.participants.checked_add(1).ok_or(Error::<T>::Overflow)?;
				Challenges::<T>::insert(challenge_id, challenge);
			}
			Participations::<T>::insert(challenge_id, author, participation);
			Submissions::<T>::insert(
				id,
				Submission {
					challenge: challenge_id,
					author: author.clone(),
					content,
					parents,
					previous_version,
					submitted_at: now,
				},
			);
			NextSubmissionId::<T>::put(next);
			Ok(id)
		}

		/// Releases everything still held for a challenge back to its owner.
		fn release_all(record: &mut Challenge<T>) -> Result<BalanceOf<T>, DispatchError> {
			let released = T::Currency::release(
				&HoldReason::PrizePool.into(),
				&record.owner,
				record.held,
				Precision::BestEffort,
			)?;
			record.held = Zero::zero();
			Ok(released)
		}

		/// The hook's closing step.
		fn close(challenge: ChallengeId) {
			Challenges::<T>::mutate(challenge, |record| {
				if let Some(record) = record {
					if record.state == ChallengeState::Open {
						record.state = ChallengeState::Closed;
						Self::deposit_event(Event::ChallengeClosed { challenge });
					}
				}
			});
		}

		/// The hook's reveal-deadline step: the owner broke their promise, so the participants
		/// share the pool; without participants the owner gets it back.
		fn expire(challenge: ChallengeId) {
			let Some(mut record) = Challenges::<T>::get(challenge) else { return };
			if record.state != ChallengeState::Closed {
				return;
			}
			let participants = record.participants;
			let per_participant = if participants == 0 {
				Zero::zero()
			} else {
				record.held.checked_div(&BalanceOf::<T>::from(participants)).unwrap_or_else(Zero::zero)
			};
			let kept = per_participant.checked_mul(&BalanceOf::<T>::from(participants)).unwrap_or_else(Zero::zero);
			let remainder = record.held.saturating_sub(kept);
			let released = T::Currency::release(&HoldReason::PrizePool.into(), &record.owner, remainder, Precision::BestEffort)
				.unwrap_or_else(|_| Zero::zero());
			record.held = record.held.saturating_sub(released);
			record.refund_per_participant = per_participant;
			record.state = ChallengeState::Cancelled(CancelReason::MissedLabelsReveal);
			Challenges::<T>::insert(challenge, record);
			Self::deposit_event(Event::ChallengeCancelled {
				challenge,
				reason: CancelReason::MissedLabelsReveal,
				released,
				participants,
				refund_per_participant: per_participant,
			});
		}

		/// Invariants: each owner's held prize pools equal the sum of `held` over their challenges;
		/// a challenge never holds more than its pool; submissions and their index agree.
		#[cfg(any(feature = "try-runtime", feature = "std", test))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			use alloc::collections::btree_map::BTreeMap;
			let mut held_by_owner: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
			for (id, record) in Challenges::<T>::iter() {
				ensure!(record.held <= record.prize_pool, "a challenge holds more than its pool");
				if matches!(record.state, ChallengeState::Cancelled(CancelReason::ByOwner) | ChallengeState::Finalized) {
					ensure!(record.held.is_zero(), "a cancelled or finalized challenge still holds funds");
				}
				let sum = held_by_owner.entry(record.owner.clone()).or_insert_with(Zero::zero);
				*sum = sum.saturating_add(record.held);
				let submissions = ChallengeSubmissions::<T>::get(id);
				for submission in submissions.iter() {
					let stored = Submissions::<T>::get(submission).ok_or("an indexed submission is missing")?;
					ensure!(stored.challenge == id, "a submission is indexed under another challenge");
				}
			}
			for (owner, sum) in held_by_owner {
				ensure!(
					T::Currency::balance_on_hold(&HoldReason::PrizePool.into(), &owner) == sum,
					"held prize pools differ from the sum of the owner's live pools"
				);
			}
			Ok(())
		}
	}
}
