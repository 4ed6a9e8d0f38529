//! # Rewards
//!
//! Pays a challenge's held prize pool, in MERIT, to the people who earned it, and keeps the books
//! that track records read.
//!
//! **All the money of a challenge lives here.** The challenges pallet opens a pool at creation
//! through [`merit_primitives::PrizePool`] with the reward shares and [`RewardTerms`] the owner
//! gave in the same call (participants know the rules they play by from the first block); this
//! pallet holds it on the owner's account under its own hold reason, books every payment, pays
//! refunds of abandoned challenges ([`Pallet::claim_refund`]) and releases what nobody earned.
//!
//! **Micro-rewards** come from a part of the pool, `micro_share × prize_pool`, paid as they are
//! earned, while it lasts (a payment larger than what is left is cut to what is left):
//! - every **verified improvement**: a public score made final (by the evaluators' quorum) while
//!   the challenge is open that beats the last rewarded public best by more than the challenge's
//!   `improvement_step` (the first final public score included) earns its author
//!   `improvement_reward`;
//! - every **peer review** after close ([`Pallet::review`]: a rating 1–5 and a registered report
//!   artifact, one per reviewer and submission, at most `max_reviews_per_reviewer` per reviewer
//!   and challenge, never of one's own work) earns the reviewer `review_reward`;
//! - every **final score** pays `evaluator_fee` to each evaluator whose report formed the quorum
//!   (a failed file pays nobody, a dispute's recount that finds a failure neither: fees reward
//!   scores, so junk cannot mint them).
//!
//! **Prizes** are paid by [`Pallet::finalize`] once the labels are revealed and every revealed
//! submission has a final private score (or `ScoringGracePeriod` after the reveal deadline, for
//! submissions no quorum could score). What the pool still holds is split by the challenge's
//! `reward_shares` over the private leaderboard: rank *i* gets `share_i × held`, rounded down.
//! - The rounding remainder goes to the first-ranked winner.
//! - Shares of ranks nobody reached (fewer entries than shares) go back to the owner, as does
//!   everything when nobody has a final private score.
//! - **Fork credit**: a prize flows back along the winning submission's declared parents (others'
//!   work it forked). At hop *h* (1 = the winner), the submission keeps all but
//!   `fork_share × fork_decay^(h−1)` of what reached it and splits that part equally among its
//!   parents (division remainder: kept); this repeats for at most `fork_depth` hops (bounded by
//!   `MaxForkCreditDepth`). Credit that reaches the winner's own account stays with them.
//! - A payment that cannot be made (e.g. below the existential deposit of a new account) stays in
//!   the pool and goes back to the owner with everything else unpaid.
//!
//! **Every unit of the pool ends with someone**: the [`PoolLedger`] counts each kind of payment
//! and what went back to the owner; `try_state` checks that its total plus what is still held
//! equals the pool, and equals the pool exactly once the challenge is finalized. Each payment
//! emits [`Event::RewardPaid`].
//!
//! Track records ([`Pallet::track_record`], the [`TrackRecordApi`] runtime API and the node's
//! `merit_trackRecord` RPC) gather an account's challenges, submissions, scores and ranks,
//! earnings by kind, forks of their work, reviews and evaluations.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod migrations;
mod pool;
mod track_record;
mod types;
pub mod weights;

pub use merit_primitives::{ChallengeId, Digest, Outcome, RewardTerms, Score, SubmissionId, Subset};
pub use track_record::*;

use polkadot_sdk::{frame_support, frame_system, sp_runtime};

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::{collections::btree_map::BTreeMap, vec::Vec};
	use frame_support::{
		dispatch::DispatchResultWithPostInfo,
		pallet_prelude::*,
		storage::with_storage_layer,
		traits::{
			fungible::{Inspect, InspectHold, Mutate, MutateHold},
			tokens::Preservation,
		},
	};
	use frame_system::pallet_prelude::*;
	use merit_primitives::{
		ArtifactKind, ArtifactRegistry, ChallengeInspect, ChallengeLifecycle, ChallengeState, LineageInspect,
		OutcomeInspect,
	};
	use sp_runtime::{
		traits::{Saturating, Zero},
		Perbill,
	};

	/// The pool's balance type.
	pub type BalanceOf<T> = <<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
	/// Terms as stored.
	pub type TermsOf<T> = RewardTerms<BalanceOf<T>>;
	/// A review as stored.
	pub type ReviewOf<T> = Review<BalanceOf<T>, BlockNumberFor<T>>;

	/// The in-code storage version: 1 moved the pool (hold, shares, terms, refunds) here; 2 added
	/// `improvement_step` and 3 `ladder` to the terms (see [`crate::migrations`]).
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(3);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A challenge's prize pool, held on its owner's account until paid out or released.
		#[codec(index = 0)]
		PrizePool,
		/// The owner's bond that the labels will be revealed: released at the reveal, added to the
		/// participants' refunds if the reveal deadline passes.
		#[codec(index = 1)]
		RevealBond,
	}

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency prize pools are held in.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ InspectHold<Self::AccountId>
			+ Mutate<Self::AccountId>;
		/// The runtime's hold reasons, which include this pallet's.
		type RuntimeHoldReason: From<HoldReason>;
		/// The challenge lifecycle: read, and concluded after the payout.
		type Challenges: ChallengeInspect<Self::AccountId, BlockNumberFor<Self>> + ChallengeLifecycle;
		/// Final outcomes and leaderboards.
		type Outcomes: OutcomeInspect<Self::AccountId>;
		/// The owner's reveal bond, as a share of the prize pool, held at creation beside the pool.
		#[pallet::constant]
		type RevealBondShare: Get<Perbill>;
		/// The lineage graph fork credit follows.
		type Lineage: LineageInspect<Self::AccountId>;
		/// Where review reports are registered and pinned.
		type Artifacts: ArtifactRegistry<Self::AccountId, BlockNumberFor<Self>>;
		/// The most ranks with a prize share (the challenges pallet's bound).
		#[pallet::constant]
		type MaxWinners: Get<u32>;
		/// The most parents a submission names (the challenges pallet's bound).
		#[pallet::constant]
		type MaxParents: Get<u32>;
		/// The most submissions one challenge accepts (the challenges pallet's bound).
		#[pallet::constant]
		type MaxSubmissionsPerChallenge: Get<u32>;
		/// The most evaluators whose reports make one outcome final (the scoring pallet's panel size).
		#[pallet::constant]
		type MaxEvaluators: Get<u32>;
		/// The most hops fork credit may travel.
		#[pallet::constant]
		type MaxForkCreditDepth: Get<u32>;
		/// The most reviews per reviewer and challenge an owner may allow.
		#[pallet::constant]
		type MaxReviewsPerReviewer: Get<u32>;
		/// The largest part of a pool an owner may set aside for micro-rewards: the rest goes to
		/// prizes by private rank, which an owner's own accounts cannot farm.
		#[pallet::constant]
		type MaxMicroShare: Get<Perbill>;
		/// The most submissions (or entrants) one `finalize` call counts towards the prize board:
		/// a challenge of any size is finalized over as many calls as it needs, each within a
		/// block.
		#[pallet::constant]
		type FinalizePageSize: Get<u32>;
		/// After the labels reveal deadline, how long finalization waits for scores that no quorum
		/// reached.
		#[pallet::constant]
		type ScoringGracePeriod: Get<BlockNumberFor<Self>>;
		/// Weights of the calls, from this pallet's benchmarks.
		type WeightInfo: WeightInfo;
	}

	/// Each challenge's pool: who holds it, what is left, how it is shared.
	#[pallet::storage]
	pub type Pools<T: Config> = StorageMap<_, Twox64Concat, ChallengeId, Pool<T>>;

	/// Each live challenge's reveal bond, held on its owner's account until the labels are revealed.
	#[pallet::storage]
	pub type RevealBonds<T: Config> = StorageMap<_, Twox64Concat, ChallengeId, BalanceOf<T>>;

	/// Where each challenge's pool went.
	#[pallet::storage]
	pub type Ledger<T: Config> = StorageMap<_, Twox64Concat, ChallengeId, PoolLedger<BalanceOf<T>>, ValueQuery>;

	/// The last public best of an open challenge that earned an improvement reward: the
	/// submission and its score (the next improvement is measured from it).
	#[pallet::storage]
	pub type PublicBest<T: Config> = StorageMap<_, Twox64Concat, ChallengeId, (SubmissionId, Score)>;

	/// What each account earned in each challenge.
	#[pallet::storage]
	pub type Earnings<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		ChallengeId,
		Earned<BalanceOf<T>>,
		ValueQuery,
	>;

	/// Reviews by submission and reviewer.
	#[pallet::storage]
	pub type Reviews<T: Config> =
		StorageDoubleMap<_, Twox64Concat, SubmissionId, Blake2_128Concat, T::AccountId, ReviewOf<T>>;

	/// Reviews by reviewer: `(reviewer, submission)`.
	#[pallet::storage]
	pub type ReviewsGiven<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, SubmissionId, ChallengeId>;

	/// Reviews each account gave in each challenge, for the limit.
	#[pallet::storage]
	pub type ReviewCounts<T: Config> =
		StorageDoubleMap<_, Twox64Concat, ChallengeId, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// How many of each author's submissions to each challenge had a final public score: their
	/// shares of the pool if the owner abandons the challenge.
	#[pallet::storage]
	pub type ScoredSubmissions<T: Config> =
		StorageDoubleMap<_, Twox64Concat, ChallengeId, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// How many submissions each account has with a final public score, in any challenge: the
	/// track record a reviewer needs.
	#[pallet::storage]
	pub type ScoredByAccount<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// How many submissions to each challenge had a final public score.
	#[pallet::storage]
	pub type ScoredTotals<T: Config> = StorageMap<_, Twox64Concat, ChallengeId, u32, ValueQuery>;

	/// Refunds of abandoned challenges already claimed, by challenge and participant.
	#[pallet::storage]
	pub type RefundsClaimed<T: Config> =
		StorageDoubleMap<_, Twox64Concat, ChallengeId, Blake2_128Concat, T::AccountId, ()>;

	/// Teams whose winnings in a challenge were shared among their members.
	#[pallet::storage]
	pub type TeamWinningsDistributed<T: Config> =
		StorageDoubleMap<_, Twox64Concat, ChallengeId, Blake2_128Concat, T::AccountId, ()>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A challenge's pool is held, with the rules of how it is shared.
		PoolOpened { challenge: ChallengeId, owner: T::AccountId, amount: BalanceOf<T>, terms: TermsOf<T> },
		/// The owner's bond that the labels will be revealed is held.
		RevealBondHeld { challenge: ChallengeId, owner: T::AccountId, amount: BalanceOf<T> },
		/// The labels were revealed (or the challenge withdrawn): the bond went back to the owner.
		RevealBondReleased { challenge: ChallengeId, amount: BalanceOf<T> },
		/// The reveal deadline passed: the bond joined the pool the participants are refunded from.
		RevealBondForfeited { challenge: ChallengeId, amount: BalanceOf<T> },
		/// `amount` of a challenge's pool was paid to `to`.
		RewardPaid { challenge: ChallengeId, to: T::AccountId, kind: RewardKind, amount: BalanceOf<T> },
		/// A payment could not be made; the amount stays in the pool (and goes back to the owner
		/// at finalization if nothing else takes it).
		PaymentFailed { challenge: ChallengeId, to: T::AccountId, kind: RewardKind, amount: BalanceOf<T> },
		/// The micro-reward part of the pool is spent: `kind` was not paid to `to`.
		MicroBudgetSpent { challenge: ChallengeId, to: T::AccountId, kind: RewardKind },
		/// A submission set a new public best.
		PublicBestImproved { challenge: ChallengeId, submission: SubmissionId, score: Score },
		/// `reviewer` reviewed `submission`; `paid` is the micro-reward it earned.
		Reviewed {
			challenge: ChallengeId,
			submission: SubmissionId,
			reviewer: T::AccountId,
			rating: u8,
			report: Digest,
			paid: BalanceOf<T>,
		},
		/// A participant of an abandoned challenge claimed their refund.
		RefundClaimed { challenge: ChallengeId, who: T::AccountId, amount: BalanceOf<T> },
		/// A `finalize` call counted part of the prize board: `read` of the challenge's
		/// `submissions` are read and `ranked` entrants ranked so far; calling `finalize` again
		/// goes on.
		PrizeCountProgressed { challenge: ChallengeId, read: u32, submissions: u32, ranked: u32 },
		/// The pool was paid out and the challenge finalized; `returned` went back to the owner.
		Finalized { challenge: ChallengeId, winners: u32, returned: BalanceOf<T> },
		/// A member received its share of what its team won in a challenge.
		TeamSharePaid { challenge: ChallengeId, team: T::AccountId, member: T::AccountId, amount: BalanceOf<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No challenge with this id (or no pool for it).
		UnknownChallenge,
		/// No submission with this id.
		UnknownSubmission,
		/// Reward shares must be non-empty, at most `MaxWinners`, and sum to exactly 100%.
		BadRewardShares,
		/// `fork_depth` exceeds `MaxForkCreditDepth`.
		ForkDepthTooLarge,
		/// `max_reviews_per_reviewer` exceeds `MaxReviewsPerReviewer`.
		ReviewLimitTooLarge,
		/// `micro_share` exceeds `MaxMicroShare`: most of a pool must go to prizes.
		MicroShareTooLarge,
		/// An `improvement_reward` needs a non-zero `improvement_step`, or any sliver of an
		/// improvement would be paid.
		ImprovementStepRequired,
		/// The owner cannot afford the prize pool.
		InsufficientBalance,
		/// A pool for this challenge is already held.
		PoolExists,
		/// Reviews are taken after close and before finalization.
		NotInReviewPeriod,
		/// Only revealed submissions can be reviewed.
		SubmissionNotRevealed,
		/// Nobody reviews their own work.
		OwnSubmission,
		/// A rating is 1 to 5.
		BadRating,
		/// The review report is not a registered artifact.
		UnknownReport,
		/// The review report must be an artifact of kind `Report`.
		ReportNotAReport,
		/// The review report must be registered by the reviewer.
		ReportNotOwned,
		/// This account already reviewed this submission.
		AlreadyReviewed,
		/// The reviewer reached the challenge's review limit (0 when the owner's terms do not
		/// enable reviews).
		ReviewLimitReached,
		/// The labels are not revealed (or the challenge is already finalized or cancelled).
		LabelsNotRevealed,
		/// Some revealed submissions have no final private score yet, and the grace period after
		/// the reveal deadline is not over.
		ScoresPending,
		/// The challenge was not abandoned, so there is nothing to refund.
		NoRefund,
		/// This account has no submission with a final public score in the challenge.
		NoScoredSubmission,
		/// Reviewers need a track record: at least one submission with a final public score.
		ReviewerWithoutTrackRecord,
		/// A private score can still be disputed (its dispute window is open or a dispute is being
		/// recounted): prizes wait.
		DisputesOpen,
		/// The refund was already claimed.
		RefundAlreadyClaimed,
		/// The pool holds less than the payment.
		PoolExhausted,
		/// Team winnings are shared once the challenge is finalized.
		NotFinalized,
		/// The account is not a team of this challenge.
		NotATeam,
		/// The team's winnings in this challenge were shared already.
		AlreadyDistributed,
		/// The team won nothing to share in this challenge.
		NothingToDistribute,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}

		fn integrity_test() {
			assert!(T::MaxForkCreditDepth::get() <= 8, "fork credit walks must stay small");
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Reviews a revealed submission of a closed challenge: a rating 1–5 and a report
		/// artifact the reviewer registered. Earns `review_reward` from the micro-reward budget.
		///
		/// Reviews cost what a sybil cannot fake cheaply: the reviewer needs a track record (a
		/// submission with a final public score in any challenge, which cost its deposit and
		/// evaluators' work), the report's artifact deposit stays held while the review pins it,
		/// at most `max_reviews_per_reviewer` reviews per challenge are paid, and all of them come
		/// out of the capped micro-reward budget.
		///
		/// - Origin: signed, the reviewer (never the submission's author).
		/// - Effects: stores the review, pins the report, counts it against the reviewer's limit,
		///   pays the reward while the budget lasts.
		/// - Events: [`Event::Reviewed`], [`Event::RewardPaid`] or [`Event::MicroBudgetSpent`].
		/// - Errors: [`Error::UnknownSubmission`], [`Error::SubmissionNotRevealed`],
		///   [`Error::OwnSubmission`], [`Error::UnknownChallenge`], [`Error::NotInReviewPeriod`],
		///   [`Error::BadRating`], [`Error::UnknownReport`], [`Error::ReportNotAReport`],
		///   [`Error::ReportNotOwned`], [`Error::AlreadyReviewed`], [`Error::ReviewLimitReached`],
		///   [`Error::ReviewerWithoutTrackRecord`].
		/// - Complexity: O(1).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::review())]
		pub fn review(origin: OriginFor<T>, submission: SubmissionId, rating: u8, report: Digest) -> DispatchResult {
			let reviewer = ensure_signed(origin)?;
			let record = T::Challenges::submission(submission).ok_or(Error::<T>::UnknownSubmission)?;
			ensure!(record.content.revealed().is_some(), Error::<T>::SubmissionNotRevealed);
			// Neither the author nor a teammate reviews a submission for a reward.
			ensure!(
				record.author != reviewer && T::Challenges::entrant(record.challenge, &reviewer) != record.entrant,
				Error::<T>::OwnSubmission
			);
			let challenge = record.challenge;
			let summary = T::Challenges::challenge(challenge).ok_or(Error::<T>::UnknownChallenge)?;
			ensure!(
				matches!(summary.state, ChallengeState::Closed | ChallengeState::LabelsRevealed),
				Error::<T>::NotInReviewPeriod
			);
			ensure!((1..=5).contains(&rating), Error::<T>::BadRating);
			let (owner, kind) = T::Artifacts::artifact(&report).ok_or(Error::<T>::UnknownReport)?;
			ensure!(kind == ArtifactKind::Report, Error::<T>::ReportNotAReport);
			ensure!(owner == reviewer, Error::<T>::ReportNotOwned);
			ensure!(!Reviews::<T>::contains_key(submission, &reviewer), Error::<T>::AlreadyReviewed);
			let pool = Pools::<T>::get(challenge).ok_or(Error::<T>::UnknownChallenge)?;
			let given = ReviewCounts::<T>::get(challenge, &reviewer);
			ensure!(given < pool.terms.max_reviews_per_reviewer, Error::<T>::ReviewLimitReached);
			ensure!(ScoredByAccount::<T>::get(&reviewer) > 0, Error::<T>::ReviewerWithoutTrackRecord);

			T::Artifacts::add_reference(&report)?;
			ReviewCounts::<T>::insert(challenge, &reviewer, given.saturating_add(1));
			ReviewsGiven::<T>::insert(&reviewer, submission, challenge);
			let budget = pool.terms.micro_share.mul_floor(pool.amount);
			let paid = Self::pay_micro(
				challenge,
				budget,
				&reviewer,
				pool.terms.review_reward,
				RewardKind::Review { submission },
			);
			let at = frame_system::Pallet::<T>::block_number();
			Reviews::<T>::insert(submission, &reviewer, Review { rating, report, at, paid });
			Self::deposit_event(Event::Reviewed { challenge, submission, reviewer, rating, report, paid });
			Ok(())
		}

		/// Counts a challenge's prize board a page at a time and, once it is counted, pays the
		/// prizes and fork credit, returns the rest to the owner and concludes the challenge.
		/// Anyone may call it once the labels are revealed and every revealed submission has a
		/// final private outcome, or `ScoringGracePeriod` after the reveal deadline, and once no
		/// private score can still be disputed; each call counts up to `FinalizePageSize`
		/// submissions or entrants (from the first call on, no private outcome of the challenge
		/// becomes final), so a challenge of any size is finalized over as many calls as it needs,
		/// nothing paid until the board is whole.
		///
		/// - Origin: signed, anyone.
		/// - Effects: counts a page of the board; on the call that completes it, pays each prize
		///   along its fork chain, releases what is left to the owner, books it all in the
		///   [`Ledger`], marks the challenge finalized.
		/// - Events: [`Event::PrizeCountProgressed`] while the count goes on; then
		///   [`Event::RewardPaid`] / [`Event::PaymentFailed`] per payment and [`Event::Finalized`].
		/// - Errors: [`Error::UnknownChallenge`], [`Error::LabelsNotRevealed`],
		///   [`Error::ScoresPending`], [`Error::DisputesOpen`].
		/// - Complexity: O(`FinalizePageSize`) reads per call (⌈(s + a) / page⌉ calls for s
		///   submissions of a entrants), plus, on the last, O(w · Σ p^h) payments for w winners, p
		///   parents and h ≤ `MaxForkCreditDepth` hops.
		#[pallet::call_index(2)]
		#[pallet::weight(T::Outcomes::count_prize_board_weight(T::FinalizePageSize::get())
			.saturating_add(T::WeightInfo::finalize(Pallet::<T>::max_credit_payments()))
			.saturating_add(T::Challenges::conclude_weight()))]
		pub fn finalize(origin: OriginFor<T>, challenge: ChallengeId) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let summary = T::Challenges::challenge(challenge).ok_or(Error::<T>::UnknownChallenge)?;
			ensure!(summary.state == ChallengeState::LabelsRevealed, Error::<T>::LabelsNotRevealed);
			// Prizes follow the ranking only once no private score can still be disputed.
			ensure!(!T::Outcomes::disputes_open(challenge), Error::<T>::DisputesOpen);
			let now = frame_system::Pallet::<T>::block_number();
			let grace_over = now >= summary.schedule.reveal_deadline.saturating_add(T::ScoringGracePeriod::get());
			// Until the grace period is over, every revealed submission needs its final private
			// outcome before counting starts.
			let (progress, counting) =
				T::Outcomes::count_prize_board(challenge, !grace_over, T::FinalizePageSize::get())
					.map_err(|_| Error::<T>::ScoresPending)?;
			if !progress.done {
				Self::deposit_event(Event::PrizeCountProgressed {
					challenge,
					read: progress.read,
					submissions: progress.submissions,
					ranked: progress.ranked,
				});
				return Ok(Some(counting).into());
			}
			let pool = Pools::<T>::get(challenge).ok_or(Error::<T>::UnknownChallenge)?;
			let board = T::Outcomes::prize_winners(challenge, pool.reward_shares.len() as u32);
			let available = pool.held;
			let mut prizes: Vec<(u32, SubmissionId, BalanceOf<T>)> = Vec::new();
			let mut shared: BalanceOf<T> = Zero::zero();
			for (i, share) in pool.reward_shares.iter().enumerate() {
				let amount = share.mul_floor(available);
				shared = shared.saturating_add(amount);
				if let Some(entry) = board.get(i) {
					prizes.push((entry.rank, entry.submission, amount));
				}
			}
			// Rounding dust goes to the first-ranked winner.
			if let Some(first) = prizes.first_mut() {
				first.2 = first.2.saturating_add(available.saturating_sub(shared));
			}

			let mut payments = 0u32;
			for (rank, submission, amount) in prizes.iter().copied() {
				let mut credits: BTreeMap<(T::AccountId, u32, SubmissionId), BalanceOf<T>> = BTreeMap::new();
				Self::split_fork_credit(submission, amount, 1, &pool.terms, &mut credits);
				for ((to, hop, from), credit) in credits {
					if credit.is_zero() {
						continue;
					}
					let kind = if hop == 0 {
						RewardKind::Prize { rank }
					} else {
						RewardKind::ForkCredit { submission: from, hop }
					};
					// A team's credit goes to its account, shared by `distribute_team_winnings`:
					// finalization's cost stays one payment per credit whatever the teams' sizes.
					Self::pay(challenge, &to, credit, kind);
					payments = payments.saturating_add(1);
				}
			}

			let returned = Self::release_rest(challenge)?;
			T::Challenges::conclude(challenge)?;
			PublicBest::<T>::remove(challenge);
			Self::deposit_event(Event::Finalized { challenge, winners: prizes.len() as u32, returned });
			Ok(Some(
				counting
					.saturating_add(T::WeightInfo::finalize(payments))
					.saturating_add(T::Challenges::conclude_weight()),
			)
			.into())
		}

		/// Pays the author of scored submissions to an abandoned challenge (labels never revealed)
		/// one equal share of the pool per submission that had a final public score, from the
		/// hold on the owner's account. Per scored submission, not per account: sybil accounts
		/// and unscorable files earn nothing.
		///
		/// - Origin: signed, an author with a scored submission to the challenge.
		/// - Effects: moves the shares from the owner's hold to the caller; books them.
		/// - Events: [`Event::RefundClaimed`].
		/// - Errors: [`Error::UnknownChallenge`], [`Error::NoRefund`], [`Error::NoScoredSubmission`],
		///   [`Error::RefundAlreadyClaimed`], [`Error::PoolExhausted`].
		/// - Complexity: O(1).
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::claim_refund())]
		pub fn claim_refund(origin: OriginFor<T>, challenge: ChallengeId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let pool = Pools::<T>::get(challenge).ok_or(Error::<T>::UnknownChallenge)?;
			let per_submission = pool.refund_per_scored_submission.ok_or(Error::<T>::NoRefund)?;
			let scored = ScoredSubmissions::<T>::get(challenge, &who);
			ensure!(scored > 0, Error::<T>::NoScoredSubmission);
			ensure!(!RefundsClaimed::<T>::contains_key(challenge, &who), Error::<T>::RefundAlreadyClaimed);
			let amount = per_submission.saturating_mul(scored.into());
			Self::move_from_pool(challenge, &who, amount)?;
			Ledger::<T>::mutate(challenge, |ledger| ledger.refunded = ledger.refunded.saturating_add(amount));
			RefundsClaimed::<T>::insert(challenge, &who, ());
			Self::deposit_event(Event::RefundClaimed { challenge, who, amount });
			Ok(())
		}

		/// Shares what a team won in a finalized challenge (its prize and fork credit, paid to
		/// the team's account) among its members by the shares they agreed to, each kind split
		/// exactly (rounding dust to the captain). Anyone may call it, once per team and
		/// challenge. A member that cannot receive its part (an account below the existential
		/// deposit) leaves it to the captain.
		///
		/// - Origin: signed, anyone.
		/// - Effects: moves the team account's winnings to its members; moves the books with them
		///   (each member's part under its kind, so track records show it).
		/// - Events: [`Event::TeamSharePaid`] per member paid.
		/// - Errors: [`Error::UnknownChallenge`], [`Error::NotFinalized`], [`Error::NotATeam`],
		///   [`Error::AlreadyDistributed`], [`Error::NothingToDistribute`]; the currency's when
		///   the captain cannot receive.
		/// - Complexity: O(m), m members (at most the teams' largest size).
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::distribute_team_winnings(T::Challenges::max_team_size()))]
		pub fn distribute_team_winnings(
			origin: OriginFor<T>,
			challenge: ChallengeId,
			team: T::AccountId,
		) -> DispatchResult {
			ensure_signed(origin)?;
			let summary = T::Challenges::challenge(challenge).ok_or(Error::<T>::UnknownChallenge)?;
			ensure!(summary.state == ChallengeState::Finalized, Error::<T>::NotFinalized);
			let shares = T::Challenges::entrant_shares(challenge, &team);
			ensure!(shares.iter().all(|(member, _)| *member != team), Error::<T>::NotATeam);
			ensure!(!TeamWinningsDistributed::<T>::contains_key(challenge, &team), Error::<T>::AlreadyDistributed);
			let won = Earnings::<T>::get(&team, challenge);
			ensure!(!won.total().is_zero(), Error::<T>::NothingToDistribute);
			let prizes = merit_primitives::split_by_shares(won.prizes, &shares);
			let credit = merit_primitives::split_by_shares(won.fork_credit, &shares);
			let mut parts: Vec<(T::AccountId, Earned<BalanceOf<T>>)> = prizes
				.into_iter()
				.zip(credit)
				.map(|((member, prizes), (_, fork_credit))| {
					(member, Earned { prizes, fork_credit, ..Default::default() })
				})
				.collect();
			// Members first, the captain (listed first) last, so it can take what others cannot.
			let mut undelivered = Earned::<BalanceOf<T>>::default();
			for (member, part) in parts.iter_mut().skip(1) {
				let amount = part.total();
				if amount.is_zero() {
					continue;
				}
				let sent = with_storage_layer(|| {
					T::Currency::transfer(&team, member, amount, Preservation::Expendable).map(|_| ())
				});
				if sent.is_ok() {
					Earnings::<T>::mutate(&*member, challenge, |earned| earned.merge(part));
					Self::deposit_event(Event::TeamSharePaid {
						challenge,
						team: team.clone(),
						member: member.clone(),
						amount,
					});
				} else {
					undelivered.merge(part);
				}
			}
			if let Some((captain, part)) = parts.first_mut() {
				part.merge(&undelivered);
				let amount = part.total();
				T::Currency::transfer(&team, captain, amount, Preservation::Expendable)?;
				Earnings::<T>::mutate(&*captain, challenge, |earned| earned.merge(part));
				Self::deposit_event(Event::TeamSharePaid {
					challenge,
					team: team.clone(),
					member: captain.clone(),
					amount,
				});
			}
			// The winnings are the members' now: the books move with the money, so every unit paid
			// is still booked to exactly one account.
			let left = Earned { prizes: Zero::zero(), fork_credit: Zero::zero(), ..won };
			if left.total().is_zero() {
				Earnings::<T>::remove(&team, challenge);
			} else {
				Earnings::<T>::insert(&team, challenge, left);
			}
			TeamWinningsDistributed::<T>::insert(challenge, &team, ());
			Ok(())
		}
	}
}
