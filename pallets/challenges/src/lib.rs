//! # Challenges
//!
//! The lifecycle of an open research challenge, from publication to the labels' reveal.
//!
//! - A **problem owner** publishes a challenge ([`Pallet::create_challenge`]): title and
//!   description, training-data artifacts, the metric, a commitment to the hidden labels, the
//!   share of hidden rows on the public leaderboard, a schedule, submission limits, the evaluator
//!   quorum, and the prize pool with every rule of how it is shared. The pool itself is handed to
//!   [`Config::Pool`] (the rewards pallet), which holds, books and pays it: this pallet never
//!   touches money.
//! - **Participants** submit predictions artifacts. In an *open* challenge the digest is posted at
//!   once; in a *sealed* one the participant commits `sha256(digest ‖ salt ‖ account)` while the
//!   challenge is open and reveals after it closes, so nobody can copy predictions before the end.
//!   A digest already submitted to the challenge is rejected: the earlier submission has priority
//!   (for sealed challenges, the earlier commitment). A submission names the submissions it forks
//!   (`parents`, others' work) and its own `previous_version`; [`Config::OnSubmission`] (the
//!   attribution pallet) records the lineage.
//! - The chain **closes** the challenge at `open_until` in its `on_initialize` hook.
//! - The owner **reveals** the labels artifact and salt; the chain checks
//!   `sha256(labels_digest ‖ salt)` against the commitment made at creation.
//! - A missed reveal deadline **cancels** the challenge and tells the pool, which lets the
//!   participants claim equal shares. The owner may also cancel before the first submission.
//!
//! States: `Open → Closed → LabelsRevealed → Finalized`, or `Cancelled` from `Open` (owner) or
//! `Closed` (missed reveal). The last step belongs to the rewards pallet, which pays the pool and
//! then concludes the challenge through [`merit_primitives::ChallengeLifecycle`]. Other pallets
//! read challenges through [`merit_primitives::ChallengeInspect`], never this pallet's storage.
//!
//! Storage is split by temperature: [`ChallengeSpecs`] (immutable), [`ChallengeStatuses`] (small,
//! mutable), [`Descriptions`] (cold), and [`LiveChallenges`], the index that per-block work and
//! evaluators walk instead of the whole history.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod lifecycle;
pub mod migrations;
mod types;
pub mod weights;

pub use merit_primitives::{ArtifactClaim, ArtifactKind, ArtifactRegistry};
pub use polkadot_sdk::sp_core::H256;
use polkadot_sdk::{frame_support, frame_system, sp_runtime};

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{InspectHold, Mutate, MutateHold},
			tokens::{Fortitude, Precision},
		},
	};
	use frame_system::pallet_prelude::*;
	use merit_primitives::{OnChallengeCreated, OnSubmission, OutcomeInspect, PrizePool, TeamInspect};
	use sp_runtime::traits::{Saturating, Zero};

	/// The balance type of prize pools.
	pub type BalanceOf<T> = <T as Config>::Balance;

	/// The in-code storage version: 1 split the challenge record into spec, status and description
	/// and added the live index; 2 releases the pins of ended challenges; 3 adds final selections.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(4);

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A submission's (or sealed commitment's) deposit, returned once it is scored.
		#[codec(index = 0)]
		SubmissionDeposit,
		/// A challenge without prizes (a development phase) holds `MinPrizePool` from its owner
		/// while it lives.
		#[codec(index = 1)]
		ChallengeDeposit,
	}

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The balance type of prize pools.
		type Balance: Parameter + Member + MaxEncodedLen + Copy + Default + Ord + From<u32> + Zero + Saturating;
		/// Holds, books and pays each challenge's prize pool (the rewards pallet in Merit).
		type Pool: PrizePool<Self::AccountId, Self::Balance>;
		/// The currency submission deposits are held in.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason, Balance = Self::Balance>
			+ InspectHold<Self::AccountId>
			+ Mutate<Self::AccountId>;
		/// The runtime's hold reasons, which include this pallet's.
		type RuntimeHoldReason: From<HoldReason>;
		/// Final scores, which decide whether a submission's deposit comes back.
		type Outcomes: OutcomeInspect<Self::AccountId>;
		/// Where artifacts are registered and pinned.
		type Artifacts: ArtifactRegistry<Self::AccountId, BlockNumberFor<Self>>;
		/// Records each submission's lineage (the attribution pallet in the Merit runtime).
		type OnSubmission: OnSubmission<Self::AccountId>;
		/// Told about every new challenge, in the creating call (the scoring pallet schedules the
		/// draw of its evaluators).
		type OnChallengeCreated: OnChallengeCreated<Self::AccountId>;
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
		/// The most challenges live (open, closed or revealed) at once.
		#[pallet::constant]
		type MaxLiveChallenges: Get<u32>;
		/// The most challenges that may close (or hit their reveal deadline) in one block.
		#[pallet::constant]
		type MaxScheduledPerBlock: Get<u32>;
		/// The longest salt.
		#[pallet::constant]
		type MaxSaltLength: Get<u32>;
		/// The largest labels file, in bytes: every drawn evaluator downloads and parses it, so an
		/// owner cannot make them fetch more (`merit challenge create` checks it before publishing).
		#[pallet::constant]
		type MaxLabelsSize: Get<u64>;
		/// Who competes as whom: teams (the teams pallet in Merit; `()` for no teams).
		type Teams: merit_primitives::TeamInspect<Self::AccountId>;
		/// The keeper of the public leaderboards (the scoring pallet in Merit), told when a
		/// submission is superseded or entrants merge.
		type Boards: merit_primitives::BoardKeeper<Self::AccountId>;
		/// The most phases one competition may chain (`previous_phase` links).
		#[pallet::constant]
		type MaxPhases: Get<u32>;
		/// The most submissions a challenge may let each participant mark as final.
		#[pallet::constant]
		type MaxFinalSelections: Get<u32>;
		/// The largest evaluator quorum.
		#[pallet::constant]
		type MaxQuorum: Get<u32>;
		/// The smallest quorum of a challenge with a prize: one or two evaluators' word cannot
		/// decide money.
		#[pallet::constant]
		type MinQuorumWithPrize: Get<u32>;
		/// The longest the owner may take to reveal the labels after submissions end, so an owner
		/// cannot keep the pool and the participants waiting indefinitely.
		#[pallet::constant]
		type MaxRevealPeriod: Get<BlockNumberFor<Self>>;
		/// The smallest prize pool (also what keeps challenge spam expensive).
		#[pallet::constant]
		type MinPrizePool: Get<Self::Balance>;
		/// Held per submission or sealed commitment and returned once it is scored: filling a
		/// challenge, or committing without revealing, costs this per entry.
		#[pallet::constant]
		type SubmissionDeposit: Get<Self::Balance>;
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
		/// Funds the accounts a benchmark needs.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// Prepares what the benchmarks need from outside this pallet.
	#[cfg(feature = "runtime-benchmarks")]
	pub trait BenchmarkHelper<AccountId> {
		/// Gives `who` enough to pay any pool and deposit a benchmark needs.
		fn fund(who: &AccountId);
	}

	/// The next challenge's id.
	#[pallet::storage]
	pub type NextChallengeId<T> = StorageValue<_, ChallengeId, ValueQuery>;

	/// Every challenge's rules, fixed at publication.
	#[pallet::storage]
	pub type ChallengeSpecs<T: Config> = StorageMap<_, Twox64Concat, ChallengeId, ChallengeSpec<T>>;

	/// Every challenge's state, participants and revealed labels.
	#[pallet::storage]
	pub type ChallengeStatuses<T: Config> = StorageMap<_, Twox64Concat, ChallengeId, ChallengeStatus<T>>;

	/// Every challenge's task statement: read by people, never by the chain's own logic.
	#[pallet::storage]
	pub type Descriptions<T: Config> = StorageMap<_, Twox64Concat, ChallengeId, Description<T>>;

	/// Challenges that are open, closed or revealed: what evaluators and hooks walk.
	#[pallet::storage]
	pub type LiveChallenges<T: Config> = CountedStorageMap<_, Twox64Concat, ChallengeId, ()>;

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

	/// How many of each challenge's submissions hold their predictions digest (revealed and not
	/// superseded): each is owed a private score before prizes are paid without the grace period.
	#[pallet::storage]
	pub type RevealedCounts<T: Config> = StorageMap<_, Twox64Concat, ChallengeId, u32, ValueQuery>;

	/// Which submission holds a predictions digest in a challenge (priority: first wins).
	#[pallet::storage]
	pub type SubmittedDigests<T: Config> =
		StorageDoubleMap<_, Twox64Concat, ChallengeId, Identity, Digest, SubmissionId>;

	/// The deposit each submission holds on its author's account until [`Pallet::settle_deposit`].
	#[pallet::storage]
	pub type SubmissionDeposits<T: Config> = StorageMap<_, Twox64Concat, SubmissionId, BalanceOf<T>>;

	/// Which submission holds a sealed commitment in a challenge.
	#[pallet::storage]
	pub type SealedCommitments<T: Config> =
		StorageDoubleMap<_, Twox64Concat, ChallengeId, Identity, H256, SubmissionId>;

	/// Each account's submissions to each challenge.
	#[pallet::storage]
	pub type Participations<T: Config> =
		StorageDoubleMap<_, Twox64Concat, ChallengeId, Blake2_128Concat, T::AccountId, Participation>;

	/// The submissions each participant marked as final for a challenge (absent: none marked, the
	/// default applies). One entry per participant, at most the challenge's `final_selections`
	/// long, and only participants, who hold a deposit per submission, can write one.
	#[pallet::storage]
	pub type FinalSelections<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		ChallengeId,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<SubmissionId, T::MaxFinalSelections>,
		ValueQuery,
	>;

	/// The deposit a challenge without prizes holds from its owner while it lives.
	#[pallet::storage]
	pub type ChallengeDeposits<T: Config> = StorageMap<_, Twox64Concat, ChallengeId, BalanceOf<T>>;

	/// The phase that follows a challenge (at most one; the later one names the earlier in its
	/// spec).
	#[pallet::storage]
	pub type NextPhase<T: Config> = StorageMap<_, Twox64Concat, ChallengeId, ChallengeId>;

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
		ChallengeCreated {
			challenge: ChallengeId,
			owner: T::AccountId,
			prize_pool: BalanceOf<T>,
			open_until: BlockNumberFor<T>,
		},
		/// A challenge stopped accepting submissions.
		ChallengeClosed { challenge: ChallengeId },
		/// The owner revealed the labels and they match the commitment.
		LabelsRevealed { challenge: ChallengeId, labels: Digest },
		/// A challenge was cancelled; `released` went back to the owner, and the author of each of
		/// `scored_submissions` may claim `refund_per_scored_submission` for it.
		ChallengeCancelled {
			challenge: ChallengeId,
			reason: CancelReason,
			released: BalanceOf<T>,
			scored_submissions: u32,
			refund_per_scored_submission: BalanceOf<T>,
		},
		/// Predictions were submitted to an open challenge.
		Submitted { challenge: ChallengeId, submission: SubmissionId, author: T::AccountId, digest: Digest },
		/// A sealed commitment was recorded.
		SubmissionCommitted { challenge: ChallengeId, submission: SubmissionId, author: T::AccountId, commitment: H256 },
		/// A sealed submission was revealed.
		SubmissionRevealed { challenge: ChallengeId, submission: SubmissionId, digest: Digest },
		/// A revealed sealed submission lost its digest to an earlier commitment.
		SubmissionSuperseded { challenge: ChallengeId, submission: SubmissionId, by: SubmissionId },
		/// A submission's deposit was returned to its author (`refunded`) or burnt.
		DepositSettled { submission: SubmissionId, author: T::AccountId, amount: BalanceOf<T>, refunded: bool },
		/// A participant marked the submissions that count on the private board (none: the
		/// default applies again).
		FinalSelectionMade { challenge: ChallengeId, author: T::AccountId, submissions: Vec<SubmissionId> },
		/// The deposit of a challenge without prizes went back to its owner (`returned`) or was
		/// burnt (the owner missed the labels reveal).
		ChallengeDepositSettled { challenge: ChallengeId, amount: BalanceOf<T>, returned: bool },
		/// A challenge was published as the next phase of `previous`.
		PhaseLinked { challenge: ChallengeId, previous: ChallengeId },
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
		/// No training data, more than `MaxTrainingArtifacts`, or one named twice.
		BadTrainingData,
		/// The public share must be below 100% so a private leaderboard exists.
		BadPublicShare,
		/// `open_until` must be after now and within `MaxOpenPeriod`; the reveal deadline after it
		/// (and after the submission reveal period for sealed challenges).
		BadSchedule,
		/// Limits must be at least one, with the daily limit not above the total.
		BadLimits,
		/// The quorum must be between one and `MaxQuorum`.
		BadQuorum,
		/// A challenge with a prize needs a quorum of at least `MinQuorumWithPrize`.
		QuorumTooSmall,
		/// The labels reveal deadline is more than `MaxRevealPeriod` after submissions end.
		RevealPeriodTooLong,
		/// The prize pool is below `MinPrizePool`.
		PrizePoolTooSmall,
		/// `MaxLiveChallenges` challenges are open, closed or revealed; wait for one to end.
		TooManyLiveChallenges,
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
		/// A counter would overflow.
		Overflow,
		/// The author cannot afford the submission deposit.
		InsufficientBalanceForDeposit,
		/// The submission holds no deposit (settled already, or made before deposits existed).
		NoDeposit,
		/// The submission's deposit cannot be settled yet: it may still be revealed or scored.
		DepositNotDue,
		/// The number of final selections must be from 1 to `MaxFinalSelections`.
		BadFinalSelections,
		/// The challenge was published before final selections: every submission counts.
		FinalSelectionsNotUsed,
		/// More submissions marked than the challenge's `final_selections`.
		TooManyFinalSelections,
		/// A submission is marked twice.
		DuplicateFinalSelection,
		/// A marked submission belongs to another challenge.
		SubmissionOfAnotherChallenge,
		/// A marked submission was superseded by an earlier one with the same predictions.
		SupersededSubmission,
		/// A team size must be from 1 to the runtime's largest, and teams must stop merging by the
		/// close.
		BadTeamRules,
		/// The previous phase named does not exist.
		UnknownPreviousPhase,
		/// The previous phase belongs to another owner.
		PhaseOfAnotherOwner,
		/// The previous phase has ended (finalized or cancelled).
		PreviousPhaseEnded,
		/// The previous phase already has a next phase.
		PhaseAlreadyFollowed,
		/// A later phase must close after the phase before it.
		PhasesOutOfOrder,
		/// The competition would have more than `MaxPhases` phases.
		TooManyPhases,
		/// The phase before this one is still open: this phase opens when it closes.
		PhaseNotStarted,
		/// The owner cannot afford the deposit of a challenge without prizes.
		InsufficientBalanceForChallengeDeposit,
		/// The labels file is larger than `MaxLabelsSize`: evaluators would not fetch it.
		LabelsTooLarge,
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
				.saturating_add(T::Pool::end_weight().saturating_mul(expiring.len() as u64))
				.saturating_add(Self::unpin_weight().saturating_mul(expiring.len() as u64))
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
			assert!(T::MaxLiveChallenges::get() > 0, "MaxLiveChallenges must be positive");
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Publishes a challenge and hands its prize pool, with every rule of how it is shared, to
		/// the pool ([`Config::Pool`]), which holds it on the caller's account.
		///
		/// - Origin: signed, the problem owner.
		/// - Effects: stores the spec, status and description; pins the training data and a
		///   description artifact; schedules the close and the reveal deadline; adds the challenge
		///   to the live index; the pool holds `prize_pool`; [`Config::OnChallengeCreated`]
		///   schedules the draw of its evaluators (and may refuse when too many draws are due).
		///   A challenge without prizes (`prize_pool: 0`, e.g. a development phase) holds
		///   `MinPrizePool` from the owner as a deposit instead, returned when it ends (burnt if
		///   the owner misses the labels reveal). A later phase (`previous_phase`) is linked after
		///   the owner's earlier, live challenge and opens to submissions once that one closes.
		/// - Events: [`Event::ChallengeCreated`], [`Event::PhaseLinked`].
		/// - Errors: [`Error::BadTitle`], [`Error::BadDescription`], [`Error::BadTrainingData`],
		///   [`Error::UnknownArtifact`], [`Error::WrongArtifactKind`], [`Error::BadPublicShare`],
		///   [`Error::BadSchedule`], [`Error::RevealPeriodTooLong`], [`Error::BadLimits`],
		///   [`Error::BadQuorum`], [`Error::QuorumTooSmall`], [`Error::PrizePoolTooSmall`],
		///   [`Error::BadFinalSelections`], [`Error::BadTeamRules`], [`Error::UnknownPreviousPhase`],
		///   [`Error::PhaseOfAnotherOwner`], [`Error::PreviousPhaseEnded`],
		///   [`Error::PhaseAlreadyFollowed`], [`Error::PhasesOutOfOrder`], [`Error::TooManyPhases`],
		///   [`Error::InsufficientBalanceForChallengeDeposit`], [`Error::TooManyLiveChallenges`],
		///   [`Error::ScheduleFull`]; the pool's errors for bad shares or terms, or a pool the owner
		///   cannot afford.
		/// - Complexity: O(t + w + f), t training artifacts (each checked for duplicates: O(t²)
		///   with t ≤ `MaxTrainingArtifacts`), w reward shares, f ≤ `MaxPhases` earlier phases.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::create_challenge(
			params.training_data.len() as u32,
			params.reward_shares.len() as u32,
		).saturating_add(T::Pool::open_weight(params.reward_shares.len() as u32))
			.saturating_add(T::OnChallengeCreated::weight())
			.saturating_add(Pallet::<T>::phase_weight()))]
		pub fn create_challenge(origin: OriginFor<T>, params: ChallengeParamsOf<T>) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			let now = frame_system::Pallet::<T>::block_number();
			let reward_shares = params.reward_shares.clone();
			let terms = params.terms;
			let (spec, description) = Self::validated_challenge(&owner, params, now)?;
			let (owner_for_hook, quorum) = (owner.clone(), spec.quorum);
			ensure!(LiveChallenges::<T>::count() < T::MaxLiveChallenges::get(), Error::<T>::TooManyLiveChallenges);
			let id = NextChallengeId::<T>::get();
			let next = id.checked_add(1).ok_or(Error::<T>::Overflow)?;

			ClosingAt::<T>::try_append(spec.schedule.open_until, id).map_err(|_| Error::<T>::ScheduleFull)?;
			RevealDeadlineAt::<T>::try_append(spec.schedule.reveal_deadline, id)
				.map_err(|_| Error::<T>::ScheduleFull)?;
			if spec.prize_pool.is_zero() {
				let deposit = T::MinPrizePool::get();
				if !deposit.is_zero() {
					T::Currency::hold(&HoldReason::ChallengeDeposit.into(), &owner, deposit)
						.map_err(|_| Error::<T>::InsufficientBalanceForChallengeDeposit)?;
					ChallengeDeposits::<T>::insert(id, deposit);
				}
			}
			if let Some(previous) = spec.previous_phase {
				NextPhase::<T>::insert(previous, id);
				Self::deposit_event(Event::PhaseLinked { challenge: id, previous });
			}
			T::Pool::open(id, &owner, spec.prize_pool, &reward_shares, &terms)?;
			for digest in Self::pinned_artifacts(&spec, &description) {
				T::Artifacts::add_reference(&digest)?;
			}

			NextChallengeId::<T>::put(next);
			Self::deposit_event(Event::ChallengeCreated {
				challenge: id,
				owner,
				prize_pool: spec.prize_pool,
				open_until: spec.schedule.open_until,
			});
			ChallengeSpecs::<T>::insert(id, spec);
			ChallengeStatuses::<T>::insert(
				id,
				ChallengeStatus { state: ChallengeState::Open, participants: 0, labels: None },
			);
			Descriptions::<T>::insert(id, description);
			LiveChallenges::<T>::insert(id, ());
			T::OnChallengeCreated::on_challenge_created(id, &owner_for_hook, quorum)?;
			Ok(())
		}

		/// Withdraws a challenge nobody has submitted to yet; the pool goes back to the owner.
		///
		/// - Origin: signed, the challenge's owner.
		/// - Effects: unschedules it, unpins its artifacts, drops it from the live index, marks it
		///   `Cancelled(ByOwner)`; the pool releases everything to the owner.
		/// - Events: [`Event::ChallengeCancelled`].
		/// - Errors: [`Error::UnknownChallenge`], [`Error::NotOwner`], [`Error::ChallengeNotOpen`],
		///   [`Error::ChallengeHasSubmissions`].
		/// - Complexity: O(t + s), t pinned artifacts, s challenges scheduled at its two blocks.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::cancel_challenge(T::MaxTrainingArtifacts::get())
			.saturating_add(T::Pool::end_weight())
			.saturating_add(Pallet::<T>::unpin_weight()))]
		pub fn cancel_challenge(origin: OriginFor<T>, challenge: ChallengeId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let spec = ChallengeSpecs::<T>::get(challenge).ok_or(Error::<T>::UnknownChallenge)?;
			let mut status = ChallengeStatuses::<T>::get(challenge).ok_or(Error::<T>::UnknownChallenge)?;
			ensure!(spec.owner == who, Error::<T>::NotOwner);
			ensure!(status.state == ChallengeState::Open, Error::<T>::ChallengeNotOpen);
			ensure!(
				ChallengeSubmissions::<T>::decode_len(challenge).unwrap_or(0) == 0,
				Error::<T>::ChallengeHasSubmissions
			);

			let settlement = T::Pool::withdraw(challenge)?;
			ClosingAt::<T>::mutate(spec.schedule.open_until, |ids| ids.retain(|id| *id != challenge));
			RevealDeadlineAt::<T>::mutate(spec.schedule.reveal_deadline, |ids| ids.retain(|id| *id != challenge));
			Self::end_holdings(challenge, true);
			// A withdrawn later phase frees its place after the previous one.
			if let Some(previous) = spec.previous_phase {
				NextPhase::<T>::remove(previous);
			}
			status.state = ChallengeState::Cancelled(CancelReason::ByOwner);
			ChallengeStatuses::<T>::insert(challenge, status);
			LiveChallenges::<T>::remove(challenge);
			Self::deposit_event(Event::ChallengeCancelled {
				challenge,
				reason: CancelReason::ByOwner,
				released: settlement.released,
				scored_submissions: 0,
				refund_per_scored_submission: settlement.refund_per_scored_submission,
			});
			Ok(())
		}

		/// Submits predictions to an open challenge in one transaction, registering the artifact
		/// in the same call (or using the caller's own registration of it).
		///
		/// The digest is public from the moment this transaction is in the pool, so another
		/// account can copy it with a higher tip; `commit_submission` then `reveal_submission`
		/// (what `merit submit` does) cannot be front-run.
		///
		/// - Origin: signed, the author, who pays the submission deposit (and the artifact's).
		/// - Effects: registers the predictions artifact if unregistered, stores the submission,
		///   holds `SubmissionDeposit`, counts it against the author's limits, pins the artifact,
		///   records its lineage through [`Config::OnSubmission`].
		/// - Events: [`Event::Submitted`] (and the registry's and lineage pallet's).
		/// - Errors: [`Error::UnknownChallenge`], [`Error::ChallengeNotOpen`],
		///   [`Error::WrongSubmissionMode`], [`Error::DuplicateSubmission`],
		///   [`Error::TooManyParents`], [`Error::BadParent`], [`Error::ParentIsOwnSubmission`],
		///   [`Error::BadPreviousVersion`], [`Error::DailyLimitReached`],
		///   [`Error::TotalLimitReached`], [`Error::ChallengeFull`],
		///   [`Error::InsufficientBalanceForDeposit`]; the registry's when another account
		///   registered the digest first or the claim's URI, license or size is invalid.
		/// - Complexity: O(p²) in p parents (duplicate check), p ≤ `MaxParents`, plus one append
		///   to the challenge's submission index.
		#[pallet::call_index(2)]
		// The benchmark measures the costlier of the claim's two ways here (registering the
		// artifact with its deposit; a claim without a commitment never takes one over) and the
		// runtime's lineage hook.
		#[pallet::weight(T::WeightInfo::submit(parents.len() as u32))]
		pub fn submit(
			origin: OriginFor<T>,
			challenge: ChallengeId,
			predictions: ArtifactClaim,
			parents: Vec<SubmissionId>,
			previous_version: Option<SubmissionId>,
		) -> DispatchResult {
			let author = ensure_signed(origin)?;
			let (spec, status) = Self::open_challenge(challenge, Some(SubmissionMode::Open))?;
			let digest = predictions.digest;
			ensure!(!SubmittedDigests::<T>::contains_key(challenge, digest), Error::<T>::DuplicateSubmission);
			T::Artifacts::claim(&author, ArtifactKind::Predictions, predictions, None)?;
			let predictions = digest;
			let id = Self::record_submission(
				&spec,
				status,
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

		/// Commits to predictions: `commitment = sha256(digest ‖ salt ‖ SCALE(account))`
		/// ([`merit_primitives::submission_commitment`]). In a sealed challenge, reveal it with
		/// `reveal_submission` after the challenge closes; in an open one, reveal it while the
		/// challenge is open (the next block will do): the commitment, bound to the author's
		/// account, gives the submission its priority, so nobody who sees the digest at the reveal
		/// can take it.
		///
		/// - Origin: signed, the author, who pays the submission deposit.
		/// - Effects: stores the commitment as a submission, holds `SubmissionDeposit` (burnt if it
		///   is never revealed) and counts it against the limits.
		/// - Events: [`Event::SubmissionCommitted`].
		/// - Errors: as [`Pallet::submit`] for the challenge, lineage, limits and deposit, plus
		///   [`Error::DuplicateCommitment`].
		/// - Complexity: O(p²) in p parents.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::commit_submission(parents.len() as u32)
			.saturating_add(T::OnSubmission::max_weight(parents.len() as u32)))]
		pub fn commit_submission(
			origin: OriginFor<T>,
			challenge: ChallengeId,
			commitment: H256,
			parents: Vec<SubmissionId>,
			previous_version: Option<SubmissionId>,
		) -> DispatchResult {
			let author = ensure_signed(origin)?;
			let (spec, status) = Self::open_challenge(challenge, None)?;
			ensure!(!SealedCommitments::<T>::contains_key(challenge, commitment), Error::<T>::DuplicateCommitment);
			let id = Self::record_submission(
				&spec,
				status,
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

		/// Reveals a committed submission: a sealed challenge's after it closed (within
		/// `SubmissionRevealPeriod`), an open challenge's while it is open. The predictions
		/// artifact is registered or claimed in the same call: a registration of the digest by
		/// another account since the commitment is taken over (see
		/// [`ArtifactRegistry::claim`]), so nobody who copies the digest from this transaction
		/// can block it. If a later commitment already revealed the same digest, this earlier
		/// one takes the digest over.
		///
		/// - Origin: signed, the submission's author.
		/// - Effects: registers or claims the artifact; the submission holds the digest; a later
		///   holder of the same digest becomes a duplicate; the artifact is pinned.
		/// - Events: [`Event::SubmissionRevealed`], [`Event::SubmissionSuperseded`] (and the
		///   registry's).
		/// - Errors: [`Error::UnknownSubmission`], [`Error::NotAuthor`], [`Error::AlreadyRevealed`],
		///   [`Error::ChallengeNotClosed`], [`Error::ChallengeNotOpen`], [`Error::RevealPeriodOver`],
		///   [`Error::SaltTooLong`], [`Error::CommitmentMismatch`], [`Error::DuplicateSubmission`];
		///   the registry's for an invalid claim or a digest registered before the commitment as
		///   another kind.
		/// - Complexity: O(1).
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::reveal_submission()
			.saturating_add(T::Artifacts::claim_weight())
			.saturating_add(<T::Boards as merit_primitives::BoardKeeper<T::AccountId>>::superseded_weight()))]
		pub fn reveal_submission(
			origin: OriginFor<T>,
			submission: SubmissionId,
			predictions: ArtifactClaim,
			salt: Vec<u8>,
		) -> DispatchResult {
			let author = ensure_signed(origin)?;
			Self::do_reveal_submission(author, submission, predictions, salt)
		}

		/// Reveals the hidden labels of a closed challenge. The chain checks
		/// `sha256(labels ‖ salt)` (labels = the labels file's digest) against the commitment, and
		/// registers the labels artifact in the same call: a registration of the digest by another
		/// account since the challenge was created is taken over (the commitment proves the owner
		/// held the file first), so a squatter who copies the digest from this transaction can
		/// neither block the reveal nor put their URI in its place.
		///
		/// - Origin: signed, the challenge's owner, who pays the artifact's deposit.
		/// - Effects: registers or claims the labels artifact, stores the labels digest and salt,
		///   pins the artifact, cancels the reveal deadline, state `LabelsRevealed`; the pool gives
		///   the owner its reveal bond back.
		/// - Events: [`Event::LabelsRevealed`] (and the registry's).
		/// - Errors: [`Error::UnknownChallenge`], [`Error::NotOwner`], [`Error::ChallengeNotClosed`],
		///   [`Error::RevealPeriodNotOver`], [`Error::SaltTooLong`],
		///   [`Error::LabelsCommitmentMismatch`], [`Error::LabelsTooLarge`]; the registry's for an
		///   invalid claim or a digest registered before the challenge as another kind.
		/// - Complexity: O(s), s challenges scheduled at its reveal deadline.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::reveal_labels()
			.saturating_add(T::Pool::reveal_weight())
			.saturating_add(T::Artifacts::claim_weight()))]
		pub fn reveal_labels(
			origin: OriginFor<T>,
			challenge: ChallengeId,
			labels: ArtifactClaim,
			salt: Vec<u8>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_reveal_labels(who, challenge, labels, salt)
		}

		/// Settles a submission's deposit: returned to the author once the submission has a final
		/// score (or its challenge ended without any final outcome for it: the owner abandoned it,
		/// or the evaluators never agreed), burnt once it cannot be scored for the author's own
		/// reasons (never revealed in time, a duplicate, a final failure: unavailable or junk).
		/// Anyone may call it; nobody gains from the burn.
		///
		/// - Origin: signed, anyone.
		/// - Effects: releases or burns the deposit and forgets it.
		/// - Events: [`Event::DepositSettled`].
		/// - Errors: [`Error::UnknownSubmission`], [`Error::NoDeposit`], [`Error::UnknownChallenge`],
		///   [`Error::DepositNotDue`].
		/// - Complexity: O(1).
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::settle_deposit())]
		pub fn settle_deposit(origin: OriginFor<T>, submission: SubmissionId) -> DispatchResult {
			ensure_signed(origin)?;
			let record = Submissions::<T>::get(submission).ok_or(Error::<T>::UnknownSubmission)?;
			let amount = SubmissionDeposits::<T>::get(submission).ok_or(Error::<T>::NoDeposit)?;
			let refunded = Self::deposit_comes_back(submission, &record)?;
			let reason: T::RuntimeHoldReason = HoldReason::SubmissionDeposit.into();
			if refunded {
				T::Currency::release(&reason, &record.author, amount, Precision::Exact)?;
			} else {
				T::Currency::burn_held(&reason, &record.author, amount, Precision::Exact, Fortitude::Force)?;
			}
			SubmissionDeposits::<T>::remove(submission);
			Self::deposit_event(Event::DepositSettled { submission, author: record.author, amount, refunded });
			Ok(())
		}

		/// Marks which of the caller's submissions count on the challenge's private board, which
		/// decides prizes, ranks and track records; the private scores of the others are still
		/// computed and published, apart. Marking replaces the previous marks; marking none goes
		/// back to the default (the best public scores, see the scoring pallet's
		/// `final_selections`). Only while the challenge is open: nobody, the owner's reveal
		/// included, can have shown the hidden rows by then. Sealed commitments may be marked
		/// before they are revealed.
		///
		/// - Origin: signed, the submissions' author.
		/// - Effects: stores (or, for none, removes) the caller's selection for the challenge.
		/// - Events: [`Event::FinalSelectionMade`].
		/// - Errors: [`Error::UnknownChallenge`], [`Error::ChallengeNotOpen`],
		///   [`Error::FinalSelectionsNotUsed`], [`Error::TooManyFinalSelections`],
		///   [`Error::DuplicateFinalSelection`], [`Error::UnknownSubmission`],
		///   [`Error::SubmissionOfAnotherChallenge`], [`Error::NotAuthor`],
		///   [`Error::SupersededSubmission`].
		/// - Complexity: O(n²) in n marked submissions (duplicate check), n ≤ `MaxFinalSelections`.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::select_final(submissions.len() as u32))]
		pub fn select_final(
			origin: OriginFor<T>,
			challenge: ChallengeId,
			submissions: Vec<SubmissionId>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			// A team's members mark for the team.
			let author = T::Teams::entrant(challenge, &who);
			let (spec, _) = Self::open_challenge(challenge, None)?;
			ensure!(spec.final_selections > 0, Error::<T>::FinalSelectionsNotUsed);
			ensure!(submissions.len() as u32 <= spec.final_selections, Error::<T>::TooManyFinalSelections);
			for (i, submission) in submissions.iter().enumerate() {
				ensure!(!submissions[..i].contains(submission), Error::<T>::DuplicateFinalSelection);
				let record = Submissions::<T>::get(submission).ok_or(Error::<T>::UnknownSubmission)?;
				ensure!(record.challenge == challenge, Error::<T>::SubmissionOfAnotherChallenge);
				ensure!(T::Teams::entrant(challenge, &record.author) == author, Error::<T>::NotAuthor);
				ensure!(
					!matches!(record.content, SubmissionContent::Duplicate { .. }),
					Error::<T>::SupersededSubmission
				);
			}
			if submissions.is_empty() {
				FinalSelections::<T>::remove(challenge, &author);
			} else {
				let bounded: BoundedVec<SubmissionId, T::MaxFinalSelections> =
					submissions.clone().try_into().map_err(|_| Error::<T>::TooManyFinalSelections)?;
				FinalSelections::<T>::insert(challenge, &author, bounded);
			}
			Self::deposit_event(Event::FinalSelectionMade { challenge, author, submissions });
			Ok(())
		}
	}
}
