//! # Rewards
//!
//! Pays a challenge's held prize pool, in MERIT, to the people who earned it, and keeps the books
//! that track records read.
//!
//! The owner sets the challenge's [`RewardTerms`] with [`Pallet::set_reward_terms`] before the
//! first submission (participants must know the rules they play by). Without terms, the whole
//! pool goes to the winners and nothing else is paid.
//!
//! **Micro-rewards** come from a part of the pool, `micro_share × prize_pool`, paid as they are
//! earned, while it lasts (a payment larger than what is left is cut to what is left):
//! - every **verified improvement**: a public score made final (by the evaluators' quorum) while
//!   the challenge is open that is strictly better than the public best so far (the first final
//!   public score included) earns its author `improvement_reward`;
//! - every **peer review** after close ([`Pallet::review`]: a rating 1–5 and a registered report
//!   artifact, one per reviewer and submission, at most `max_reviews_per_reviewer` per reviewer
//!   and challenge, never of one's own work) earns the reviewer `review_reward`;
//! - every **final outcome** (a score or a failure reason) pays `evaluator_fee` to each evaluator
//!   whose report formed the quorum.
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
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
mod track_record;
pub mod weights;

pub use track_record::*;

use merit_primitives::Digest;
use pallet_merit_challenges::{ChallengeId, SubmissionId};
use pallet_merit_scoring::{Outcome, Score, Subset};
use polkadot_sdk::{frame_support, frame_system, sp_runtime};
use sp_runtime::Perbill;

/// How a challenge's owner shares the pool beyond the prizes. Fixed before the first submission.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, Default, codec::Encode, codec::Decode, codec::DecodeWithMemTracking,
	codec::MaxEncodedLen, scale_info::TypeInfo,
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
	/// Paid for each new public best.
	pub improvement_reward: Balance,
	/// Paid for each review.
	pub review_reward: Balance,
	/// Reviews one account may give in the challenge (0: reviews are off).
	pub max_reviews_per_reviewer: u32,
	/// Paid to each evaluator of a quorum, per final outcome.
	pub evaluator_fee: Balance,
}

/// Why a payment was made.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, codec::Encode, codec::Decode, codec::DecodeWithMemTracking,
	codec::MaxEncodedLen, scale_info::TypeInfo,
)]
pub enum RewardKind {
	/// A prize for a rank on the private leaderboard.
	Prize { rank: u32 },
	/// Credit for work a prize-winning submission built on.
	ForkCredit { submission: SubmissionId, hop: u32 },
	/// A new public best.
	Improvement { submission: SubmissionId },
	/// A review of a submission.
	Review { submission: SubmissionId },
	/// A report that formed the quorum on a submission's outcome.
	Evaluation { submission: SubmissionId },
}

/// Where a challenge's pool went. Its total plus what is still held is the pool.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, Default, codec::Encode, codec::Decode, codec::MaxEncodedLen,
	scale_info::TypeInfo,
)]
pub struct PoolLedger<Balance> {
	/// Payments, by kind.
	pub paid: Earned<Balance>,
	/// What went back to the owner at finalization.
	pub returned: Balance,
}

/// What one account earned, by kind.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, Default, codec::Encode, codec::Decode, codec::MaxEncodedLen,
	scale_info::TypeInfo,
)]
pub struct Earned<Balance> {
	/// Prizes.
	pub prizes: Balance,
	/// Fork credit.
	pub fork_credit: Balance,
	/// Improvement micro-rewards.
	pub improvements: Balance,
	/// Review micro-rewards.
	pub reviews: Balance,
	/// Evaluator fees.
	pub evaluations: Balance,
}

impl<Balance: sp_runtime::Saturating + Copy> Earned<Balance> {
	/// Adds `amount` under `kind`.
	pub fn add(&mut self, kind: RewardKind, amount: Balance) {
		let slot = match kind {
			RewardKind::Prize { .. } => &mut self.prizes,
			RewardKind::ForkCredit { .. } => &mut self.fork_credit,
			RewardKind::Improvement { .. } => &mut self.improvements,
			RewardKind::Review { .. } => &mut self.reviews,
			RewardKind::Evaluation { .. } => &mut self.evaluations,
		};
		*slot = slot.saturating_add(amount);
	}

	/// Adds another record.
	pub fn merge(&mut self, other: &Self) {
		self.prizes = self.prizes.saturating_add(other.prizes);
		self.fork_credit = self.fork_credit.saturating_add(other.fork_credit);
		self.improvements = self.improvements.saturating_add(other.improvements);
		self.reviews = self.reviews.saturating_add(other.reviews);
		self.evaluations = self.evaluations.saturating_add(other.evaluations);
	}

	/// Everything.
	pub fn total(&self) -> Balance {
		self.prizes
			.saturating_add(self.fork_credit)
			.saturating_add(self.improvements)
			.saturating_add(self.reviews)
			.saturating_add(self.evaluations)
	}
}

impl<Balance: sp_runtime::Saturating + Copy> PoolLedger<Balance> {
	/// What the micro-rewards took.
	pub fn micro(&self) -> Balance {
		self.paid.improvements.saturating_add(self.paid.reviews).saturating_add(self.paid.evaluations)
	}

	/// Everything that left the pool.
	pub fn total(&self) -> Balance {
		self.paid.total().saturating_add(self.returned)
	}
}

/// A peer review of a submission.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, codec::Encode, codec::Decode, codec::MaxEncodedLen, scale_info::TypeInfo,
)]
pub struct Review<Balance, BlockNumber> {
	/// 1 (poor) to 5 (excellent).
	pub rating: u8,
	/// The review's report artifact.
	pub report: Digest,
	/// When it was given.
	pub at: BlockNumber,
	/// The micro-reward it earned.
	pub paid: Balance,
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::{collections::btree_map::BTreeMap, vec::Vec};
	use frame_support::{dispatch::DispatchResultWithPostInfo, pallet_prelude::*, storage::with_storage_layer};
	use frame_system::pallet_prelude::*;
	use merit_primitives::{ArtifactKind, ArtifactRegistry};
	use pallet_merit_challenges::{ChallengeState, SubmissionContent};
	use sp_runtime::traits::{CheckedDiv, CheckedMul, Saturating, Zero};

	/// The pool's balance type.
	pub type BalanceOf<T> = pallet_merit_challenges::BalanceOf<T>;
	/// Terms as stored.
	pub type TermsOf<T> = RewardTerms<BalanceOf<T>>;
	/// A review as stored.
	pub type ReviewOf<T> = Review<BalanceOf<T>, BlockNumberFor<T>>;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config:
		polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>>
		+ pallet_merit_challenges::Config
		+ pallet_merit_scoring::Config
		+ pallet_merit_attribution::Config
	{
		/// The most hops fork credit may travel.
		#[pallet::constant]
		type MaxForkCreditDepth: Get<u32>;
		/// The most reviews per reviewer and challenge an owner may allow.
		#[pallet::constant]
		type MaxReviewsPerReviewer: Get<u32>;
		/// After the labels reveal deadline, how long finalization waits for scores that no quorum
		/// reached.
		#[pallet::constant]
		type ScoringGracePeriod: Get<BlockNumberFor<Self>>;
		/// Weights of the calls, from this pallet's benchmarks.
		type WeightInfo: WeightInfo;
	}

	/// Each challenge's terms (absent: the defaults, prizes only).
	#[pallet::storage]
	pub type Terms<T: Config> = StorageMap<_, Twox64Concat, ChallengeId, TermsOf<T>>;

	/// Where each challenge's pool went.
	#[pallet::storage]
	pub type Ledger<T: Config> = StorageMap<_, Twox64Concat, ChallengeId, PoolLedger<BalanceOf<T>>, ValueQuery>;

	/// The public best of an open challenge: the submission and its score.
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

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// The owner fixed a challenge's reward terms.
		TermsSet { challenge: ChallengeId, terms: TermsOf<T> },
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
		/// The pool was paid out; `returned` went back to the owner.
		Finalized { challenge: ChallengeId, winners: u32, returned: BalanceOf<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No challenge with this id.
		UnknownChallenge,
		/// No submission with this id.
		UnknownSubmission,
		/// Only the challenge's owner may set its terms.
		NotOwner,
		/// Terms can only be set while the challenge is open and has no submissions.
		TermsLocked,
		/// `fork_depth` exceeds `MaxForkCreditDepth`.
		ForkDepthTooLarge,
		/// `max_reviews_per_reviewer` exceeds `MaxReviewsPerReviewer`.
		ReviewLimitTooLarge,
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
		/// Fixes a challenge's reward terms: owner only, while it is open and before anyone
		/// submitted.
		#[pallet::call_index(0)]
		#[pallet::weight(<T as Config>::WeightInfo::set_reward_terms())]
		pub fn set_reward_terms(origin: OriginFor<T>, challenge: ChallengeId, terms: TermsOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let record = pallet_merit_challenges::Challenges::<T>::get(challenge).ok_or(Error::<T>::UnknownChallenge)?;
			ensure!(record.owner == who, Error::<T>::NotOwner);
			ensure!(
				record.state == ChallengeState::Open &&
					pallet_merit_challenges::ChallengeSubmissions::<T>::decode_len(challenge).unwrap_or(0) == 0,
				Error::<T>::TermsLocked
			);
			ensure!(terms.fork_depth <= T::MaxForkCreditDepth::get(), Error::<T>::ForkDepthTooLarge);
			ensure!(
				terms.max_reviews_per_reviewer <= T::MaxReviewsPerReviewer::get(),
				Error::<T>::ReviewLimitTooLarge
			);
			Terms::<T>::insert(challenge, terms);
			Self::deposit_event(Event::TermsSet { challenge, terms });
			Ok(())
		}

		/// Reviews a revealed submission of a closed challenge: a rating 1–5 and a report
		/// artifact the reviewer registered. Earns `review_reward` from the micro-reward budget.
		#[pallet::call_index(1)]
		#[pallet::weight(<T as Config>::WeightInfo::review())]
		pub fn review(origin: OriginFor<T>, submission: SubmissionId, rating: u8, report: Digest) -> DispatchResult {
			let reviewer = ensure_signed(origin)?;
			let record = pallet_merit_challenges::Submissions::<T>::get(submission).ok_or(Error::<T>::UnknownSubmission)?;
			ensure!(matches!(record.content, SubmissionContent::Revealed(_)), Error::<T>::SubmissionNotRevealed);
			ensure!(record.author != reviewer, Error::<T>::OwnSubmission);
			let challenge = record.challenge;
			let record = pallet_merit_challenges::Challenges::<T>::get(challenge).ok_or(Error::<T>::UnknownChallenge)?;
			ensure!(
				matches!(record.state, ChallengeState::Closed | ChallengeState::LabelsRevealed),
				Error::<T>::NotInReviewPeriod
			);
			ensure!((1..=5).contains(&rating), Error::<T>::BadRating);
			let (owner, kind) = <T as pallet_merit_challenges::Config>::Artifacts::artifact(&report)
				.ok_or(Error::<T>::UnknownReport)?;
			ensure!(kind == ArtifactKind::Report, Error::<T>::ReportNotAReport);
			ensure!(owner == reviewer, Error::<T>::ReportNotOwned);
			ensure!(!Reviews::<T>::contains_key(submission, &reviewer), Error::<T>::AlreadyReviewed);
			let terms = Terms::<T>::get(challenge).unwrap_or_default();
			let given = ReviewCounts::<T>::get(challenge, &reviewer);
			ensure!(given < terms.max_reviews_per_reviewer, Error::<T>::ReviewLimitReached);

			<T as pallet_merit_challenges::Config>::Artifacts::add_reference(&report)?;
			ReviewCounts::<T>::insert(challenge, &reviewer, given.saturating_add(1));
			ReviewsGiven::<T>::insert(&reviewer, submission, challenge);
			let budget = terms.micro_share.mul_floor(record.prize_pool);
			let paid =
				Self::pay_micro(challenge, budget, &reviewer, terms.review_reward, RewardKind::Review { submission });
			let at = frame_system::Pallet::<T>::block_number();
			Reviews::<T>::insert(submission, &reviewer, Review { rating, report, at, paid });
			Self::deposit_event(Event::Reviewed { challenge, submission, reviewer, rating, report, paid });
			Ok(())
		}

		/// Pays a challenge's prizes and fork credit, returns the rest to the owner and marks it
		/// finalized. Anyone may call it once the labels are revealed and every revealed
		/// submission has a final private score, or `ScoringGracePeriod` after the reveal deadline.
		#[pallet::call_index(2)]
		#[pallet::weight(<T as Config>::WeightInfo::finalize(
			<T as pallet_merit_challenges::Config>::MaxSubmissionsPerChallenge::get(),
			Pallet::<T>::max_credit_payments(),
		))]
		pub fn finalize(origin: OriginFor<T>, challenge: ChallengeId) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let record = pallet_merit_challenges::Challenges::<T>::get(challenge).ok_or(Error::<T>::UnknownChallenge)?;
			ensure!(record.state == ChallengeState::LabelsRevealed, Error::<T>::LabelsNotRevealed);
			let submissions = pallet_merit_challenges::ChallengeSubmissions::<T>::get(challenge);
			let now = frame_system::Pallet::<T>::block_number();
			let grace_over = now >= record.schedule.reveal_deadline.saturating_add(T::ScoringGracePeriod::get());
			if !grace_over {
				for submission in submissions.iter() {
					let revealed = pallet_merit_challenges::Submissions::<T>::get(submission)
						.is_some_and(|s| matches!(s.content, SubmissionContent::Revealed(_)));
					ensure!(
						!revealed ||
							pallet_merit_scoring::FinalOutcomes::<T>::contains_key(submission, Subset::Private),
						Error::<T>::ScoresPending
					);
				}
			}

			let terms = Terms::<T>::get(challenge).unwrap_or_default();
			let board = pallet_merit_scoring::Pallet::<T>::leaderboard(challenge, Subset::Private);
			let pool = record.held;
			let mut prizes: Vec<(u32, SubmissionId, BalanceOf<T>)> = Vec::new();
			let mut shared: BalanceOf<T> = Zero::zero();
			for (i, share) in record.reward_shares.iter().enumerate() {
				let amount = share.mul_floor(pool);
				shared = shared.saturating_add(amount);
				if let Some(entry) = board.get(i) {
					prizes.push((entry.rank, entry.submission, amount));
				}
			}
			// Rounding dust goes to the first-ranked winner.
			if let Some(first) = prizes.first_mut() {
				first.2 = first.2.saturating_add(pool.saturating_sub(shared));
			}

			let mut payments = 0u32;
			for (rank, submission, amount) in prizes.iter().copied() {
				let mut credits: BTreeMap<(T::AccountId, u32, SubmissionId), BalanceOf<T>> = BTreeMap::new();
				Self::split_fork_credit(submission, amount, 1, &terms, &mut credits);
				for ((to, hop, from), credit) in credits {
					if credit.is_zero() {
						continue;
					}
					let kind =
						if hop == 0 { RewardKind::Prize { rank } } else { RewardKind::ForkCredit { submission: from, hop } };
					Self::pay(challenge, &to, credit, kind);
					payments = payments.saturating_add(1);
				}
			}

			let returned = pallet_merit_challenges::Pallet::<T>::finalize(challenge)?;
			Ledger::<T>::mutate(challenge, |ledger| ledger.returned = ledger.returned.saturating_add(returned));
			PublicBest::<T>::remove(challenge);
			Self::deposit_event(Event::Finalized { challenge, winners: prizes.len() as u32, returned });
			Ok(Some(<T as Config>::WeightInfo::finalize(submissions.len() as u32, payments)).into())
		}
	}

	impl<T: Config> pallet_merit_scoring::OnOutcomeFinal<T::AccountId> for Pallet<T> {
		fn on_outcome_final(
			challenge: ChallengeId,
			submission: SubmissionId,
			author: &T::AccountId,
			subset: Subset,
			outcome: &Outcome,
			agreeing: &[T::AccountId],
		) -> Weight {
			let Some(record) = pallet_merit_challenges::Challenges::<T>::get(challenge) else {
				return T::DbWeight::get().reads(1);
			};
			let terms = Terms::<T>::get(challenge).unwrap_or_default();
			let budget = terms.micro_share.mul_floor(record.prize_pool);
			for evaluator in agreeing {
				Self::pay_micro(challenge, budget, evaluator, terms.evaluator_fee, RewardKind::Evaluation { submission });
			}
			if let (Subset::Public, ChallengeState::Open, Outcome::Scored(score)) = (subset, record.state, outcome) {
				let improves = match PublicBest::<T>::get(challenge) {
					None => true,
					Some((_, best)) => record.metric.is_better(*score, best),
				};
				if improves {
					PublicBest::<T>::insert(challenge, (submission, *score));
					Self::deposit_event(Event::PublicBestImproved { challenge, submission, score: *score });
					Self::pay_micro(
						challenge,
						budget,
						author,
						terms.improvement_reward,
						RewardKind::Improvement { submission },
					);
				}
			}
			<T as Config>::WeightInfo::on_outcome_final(agreeing.len() as u32)
		}

		fn max_weight() -> Weight {
			<T as Config>::WeightInfo::on_outcome_final(<T as pallet_merit_scoring::Config>::MaxEvaluators::get())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The most payments one finalization makes: every winner and every submission fork
		/// credit can reach from it.
		pub fn max_credit_payments() -> u32 {
			let parents = <T as pallet_merit_challenges::Config>::MaxParents::get();
			let mut per_winner: u32 = 1;
			let mut width: u32 = 1;
			for _ in 0..T::MaxForkCreditDepth::get() {
				width = width.saturating_mul(parents);
				per_winner = per_winner.saturating_add(width);
			}
			per_winner.saturating_mul(<T as pallet_merit_challenges::Config>::MaxWinners::get())
		}

		/// The part of what reaches hop `hop` that is passed on to the parents.
		fn passed_share(terms: &TermsOf<T>, hop: u32) -> Perbill {
			let mut share = terms.fork_share;
			for _ in 1..hop {
				share = share * terms.fork_decay;
			}
			share
		}

		/// Splits `amount`, which reached `submission` at hop `hop`, between its author (key hop
		/// − 1: 0 for the winner's own share) and its parents, recursively.
		fn split_fork_credit(
			submission: SubmissionId,
			amount: BalanceOf<T>,
			hop: u32,
			terms: &TermsOf<T>,
			credits: &mut BTreeMap<(T::AccountId, u32, SubmissionId), BalanceOf<T>>,
		) {
			let Some(record) = pallet_merit_challenges::Submissions::<T>::get(submission) else { return };
			let mut kept = amount;
			let parents = record.parents.len() as u32;
			if hop <= terms.fork_depth && parents > 0 {
				let passed = Self::passed_share(terms, hop).mul_floor(amount);
				let each = passed.checked_div(&BalanceOf::<T>::from(parents)).unwrap_or_else(Zero::zero);
				if !each.is_zero() {
					let given = each.checked_mul(&BalanceOf::<T>::from(parents)).unwrap_or_else(Zero::zero);
					kept = amount.saturating_sub(given);
					for parent in record.parents.iter() {
						Self::split_fork_credit(*parent, each, hop.saturating_add(1), terms, credits);
					}
				}
			}
			let key = (record.author, hop.saturating_sub(1), submission);
			let slot = credits.entry(key).or_insert_with(Zero::zero);
			*slot = slot.saturating_add(kept);
		}

		/// Pays a micro-reward, cut to what is left of the challenge's micro `budget` (its
		/// `micro_share × prize_pool`, which the caller has read). Returns what was paid.
		fn pay_micro(
			challenge: ChallengeId,
			budget: BalanceOf<T>,
			to: &T::AccountId,
			want: BalanceOf<T>,
			kind: RewardKind,
		) -> BalanceOf<T> {
			if want.is_zero() {
				return Zero::zero();
			}
			let left = budget.saturating_sub(Ledger::<T>::get(challenge).micro());
			let amount = want.min(left);
			if amount.is_zero() {
				Self::deposit_event(Event::MicroBudgetSpent { challenge, to: to.clone(), kind });
				return Zero::zero();
			}
			if Self::pay(challenge, to, amount, kind) {
				amount
			} else {
				Zero::zero()
			}
		}

		/// Pays from the pool and books it; a failure moves nothing and is reported.
		fn pay(challenge: ChallengeId, to: &T::AccountId, amount: BalanceOf<T>, kind: RewardKind) -> bool {
			let paid =
				with_storage_layer(|| pallet_merit_challenges::Pallet::<T>::pay_from_pool(challenge, to, amount)).is_ok();
			if paid {
				Ledger::<T>::mutate(challenge, |ledger| ledger.paid.add(kind, amount));
				Earnings::<T>::mutate(to, challenge, |earned| earned.add(kind, amount));
				Self::deposit_event(Event::RewardPaid { challenge, to: to.clone(), kind, amount });
			} else {
				Self::deposit_event(Event::PaymentFailed { challenge, to: to.clone(), kind, amount });
			}
			paid
		}

		/// Invariants: for every challenge, what its ledger paid plus what it still holds is its
		/// pool (exactly the pool once finalized; at most the pool after a cancellation, whose
		/// refunds the challenges pallet books); micro-rewards stay within their budget; each
		/// challenge's earnings add up to its ledger's payments.
		#[cfg(any(feature = "try-runtime", feature = "std", test))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			let mut earned: BTreeMap<ChallengeId, Earned<BalanceOf<T>>> = BTreeMap::new();
			for (_, challenge, record) in Earnings::<T>::iter() {
				earned.entry(challenge).or_default().merge(&record);
			}
			for (id, record) in pallet_merit_challenges::Challenges::<T>::iter() {
				let ledger = Ledger::<T>::get(id);
				let accounted = ledger.total().saturating_add(record.held);
				match record.state {
					ChallengeState::Cancelled(_) =>
						ensure!(accounted <= record.prize_pool, "a cancelled challenge paid more than its pool"),
					ChallengeState::Finalized => {
						ensure!(record.held.is_zero(), "a finalized challenge still holds funds");
						ensure!(ledger.total() == record.prize_pool, "a finalized pool does not add up exactly");
					},
					_ => ensure!(accounted == record.prize_pool, "paid plus held differs from the pool"),
				}
				let terms = Terms::<T>::get(id).unwrap_or_default();
				ensure!(ledger.micro() <= terms.micro_share.mul_floor(record.prize_pool), "micro-rewards exceed their budget");
				let by_accounts = earned.remove(&id).unwrap_or_default();
				ensure!(
					by_accounts == ledger.paid,
					"earnings differ from the ledger's payments"
				);
			}
			ensure!(earned.is_empty(), "earnings in unknown challenges");
			Ok(())
		}
	}
}
