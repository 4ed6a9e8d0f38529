//! The money: opening, paying from and ending each challenge's held pool, and the invariants
//! that reconcile the books with the real holds.
use crate::{pallet::*, types::*, WeightInfo};
use alloc::collections::btree_map::BTreeMap;
use frame_support::{
	ensure,
	pallet_prelude::*,
	storage::with_storage_layer,
	traits::{
		fungible::{InspectHold, MutateHold},
		tokens::{Fortitude, Precision, Restriction},
	},
	BoundedVec,
};
use merit_primitives::{
	ChallengeId, ChallengeInspect, ChallengeState, OnOutcomeFinal, Outcome, OutcomeInspect, PoolSettlement, PrizePool,
	RewardTerms, Score, SubmissionId, Subset,
};
use polkadot_sdk::{frame_support, sp_runtime};
use sp_runtime::{
	traits::{CheckedDiv, CheckedMul, CheckedSub, Saturating, Zero},
	DispatchError, DispatchResult, Perbill,
};

impl<T: Config> Pallet<T> {
	/// The most payments one finalization makes: every winner and every submission fork
	/// credit can reach from it.
	pub fn max_credit_payments() -> u32 {
		let parents = T::MaxParents::get();
		let mut per_winner: u32 = 1;
		let mut width: u32 = 1;
		for _ in 0..T::MaxForkCreditDepth::get() {
			width = width.saturating_mul(parents);
			per_winner = per_winner.saturating_add(width);
		}
		per_winner.saturating_mul(T::MaxWinners::get())
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
	pub(crate) fn split_fork_credit(
		submission: SubmissionId,
		amount: BalanceOf<T>,
		hop: u32,
		terms: &TermsOf<T>,
		credits: &mut BTreeMap<(T::AccountId, u32, SubmissionId), BalanceOf<T>>,
	) {
		let Some(record) = T::Challenges::submission(submission) else { return };
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
		// Credit goes to the entrant: a team's submission pays the team, shared by its members.
		let key = (record.entrant, hop.saturating_sub(1), submission);
		let slot = credits.entry(key).or_insert_with(Zero::zero);
		*slot = slot.saturating_add(kept);
	}

	/// Pays a micro-reward, cut to what is left of the challenge's micro `budget` (its
	/// `micro_share × prize_pool`, which the caller has read). Returns what was paid.
	pub(crate) fn pay_micro(
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
	pub(crate) fn pay(challenge: ChallengeId, to: &T::AccountId, amount: BalanceOf<T>, kind: RewardKind) -> bool {
		let paid = with_storage_layer(|| Self::move_from_pool(challenge, to, amount)).is_ok();
		if paid {
			Ledger::<T>::mutate(challenge, |ledger| ledger.paid.add(kind, amount));
			Earnings::<T>::mutate(to, challenge, |earned| earned.add(kind, amount));
			Self::deposit_event(Event::RewardPaid { challenge, to: to.clone(), kind, amount });
		} else {
			Self::deposit_event(Event::PaymentFailed { challenge, to: to.clone(), kind, amount });
		}
		paid
	}

	/// Moves `amount` of a challenge's held pool to `to` (released in place when `to` is the
	/// owner). Fails, moving nothing, if the pool holds less or the transfer is impossible (e.g.
	/// below the existential deposit of a new account).
	pub(crate) fn move_from_pool(challenge: ChallengeId, to: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		Pools::<T>::try_mutate(challenge, |pool| {
			let pool = pool.as_mut().ok_or(Error::<T>::UnknownChallenge)?;
			let left = pool.held.checked_sub(&amount).ok_or(Error::<T>::PoolExhausted)?;
			if to != &pool.owner {
				T::Currency::transfer_on_hold(
					&HoldReason::PrizePool.into(),
					&pool.owner,
					to,
					amount,
					Precision::Exact,
					Restriction::Free,
					Fortitude::Polite,
				)?;
			} else {
				T::Currency::release(&HoldReason::PrizePool.into(), &pool.owner, amount, Precision::Exact)?;
			}
			pool.held = left;
			Ok(())
		})
	}

	/// Releases everything still held for a challenge to its owner and books it as returned.
	pub(crate) fn release_rest(challenge: ChallengeId) -> Result<BalanceOf<T>, DispatchError> {
		let released = Pools::<T>::try_mutate(challenge, |pool| {
			let pool = pool.as_mut().ok_or(Error::<T>::UnknownChallenge)?;
			let released =
				T::Currency::release(&HoldReason::PrizePool.into(), &pool.owner, pool.held, Precision::BestEffort)?;
			pool.held = pool.held.saturating_sub(released);
			Ok::<_, DispatchError>(released)
		})?;
		Ledger::<T>::mutate(challenge, |ledger| ledger.returned = ledger.returned.saturating_add(released));
		Ok(released)
	}

	/// Invariants: each owner's held prize pools equal the sum of `held` over their pools (the
	/// real holds reconcile with the books); for every challenge, what its ledger paid, refunded
	/// and returned plus what it still holds is its pool, and nothing is held once it is finalized
	/// or withdrawn; micro-rewards stay within their budget; earnings add up to the ledger.
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let mut earned: BTreeMap<ChallengeId, Earned<BalanceOf<T>>> = BTreeMap::new();
		for (_, challenge, record) in Earnings::<T>::iter() {
			earned.entry(challenge).or_default().merge(&record);
		}
		let mut held_by_owner: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		for (id, pool) in Pools::<T>::iter() {
			let summary = T::Challenges::challenge(id).ok_or("a pool of an unknown challenge")?;
			let ledger = Ledger::<T>::get(id);
			ensure!(ledger.total().saturating_add(pool.held) == pool.amount, "paid plus held differs from the pool");
			if matches!(
				summary.state,
				ChallengeState::Finalized | ChallengeState::Cancelled(merit_primitives::CancelReason::ByOwner)
			) {
				ensure!(pool.held.is_zero(), "a finalized or withdrawn challenge still holds funds");
			}
			ensure!(
				pool.refund_per_scored_submission.is_some()
					== (summary.state == ChallengeState::Cancelled(merit_primitives::CancelReason::MissedLabelsReveal)),
				"refunds are open for a challenge that was not abandoned"
			);
			ensure!(
				ledger.micro() <= pool.terms.micro_share.mul_floor(pool.amount),
				"micro-rewards exceed their budget"
			);
			let by_accounts = earned.remove(&id).unwrap_or_default();
			ensure!(by_accounts == ledger.paid, "earnings differ from the ledger's payments");
			let sum = held_by_owner.entry(pool.owner.clone()).or_insert_with(Zero::zero);
			*sum = sum.saturating_add(pool.held);
		}
		ensure!(earned.is_empty(), "earnings in unknown challenges");
		let mut bonds_by_owner: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		for (id, bond) in RevealBonds::<T>::iter() {
			let pool = Pools::<T>::get(id).ok_or("a reveal bond without a pool")?;
			let summary = T::Challenges::challenge(id).ok_or("a reveal bond of an unknown challenge")?;
			ensure!(
				matches!(summary.state, ChallengeState::Open | ChallengeState::Closed),
				"a reveal bond outlived its challenge's reveal"
			);
			let sum = bonds_by_owner.entry(pool.owner).or_insert_with(Zero::zero);
			*sum = sum.saturating_add(bond);
		}
		let owners: alloc::collections::btree_set::BTreeSet<T::AccountId> =
			Pools::<T>::iter().map(|(_, pool)| pool.owner).collect();
		for owner in owners {
			let held = T::Currency::balance_on_hold(&HoldReason::RevealBond.into(), &owner);
			ensure!(
				held == bonds_by_owner.get(&owner).copied().unwrap_or_else(Zero::zero),
				"an owner's held reveal bonds differ from its challenges' bonds"
			);
		}
		for (owner, sum) in held_by_owner {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::PrizePool.into(), &owner) == sum,
				"held prize pools differ from the sum of the owner's live pools"
			);
		}
		// The rewarded public best is one of the challenge's submissions, with the final public
		// score it was rewarded for.
		for (id, (submission, score)) in PublicBest::<T>::iter() {
			ensure!(Pools::<T>::contains_key(id), "a public best without a pool");
			ensure!(
				T::Challenges::submission(submission).map(|s| s.challenge) == Some(id),
				"a public best of another challenge's submission"
			);
			ensure!(
				T::Outcomes::final_outcome(submission, Subset::Public) == Some(Outcome::Scored(score)),
				"a public best that is not the submission's final public score"
			);
		}
		Ok(())
	}
}

impl<T: Config> Pallet<T> {
	/// Gives the owner its reveal bond back (nothing if there is none).
	pub(crate) fn release_reveal_bond(challenge: ChallengeId) -> DispatchResult {
		let Some(bond) = RevealBonds::<T>::take(challenge) else { return Ok(()) };
		let owner = Pools::<T>::get(challenge).map(|pool| pool.owner).ok_or(Error::<T>::UnknownChallenge)?;
		let amount = T::Currency::release(&HoldReason::RevealBond.into(), &owner, bond, Precision::BestEffort)?;
		Self::deposit_event(Event::RevealBondReleased { challenge, amount });
		Ok(())
	}
}

impl<T: Config> PrizePool<T::AccountId, BalanceOf<T>> for Pallet<T> {
	fn open(
		challenge: ChallengeId,
		owner: &T::AccountId,
		amount: BalanceOf<T>,
		reward_shares: &[Perbill],
		terms: &RewardTerms<BalanceOf<T>>,
	) -> DispatchResult {
		ensure!(!Pools::<T>::contains_key(challenge), Error::<T>::PoolExists);
		let shares: BoundedVec<Perbill, T::MaxWinners> =
			reward_shares.to_vec().try_into().map_err(|_| Error::<T>::BadRewardShares)?;
		let total_parts = shares
			.iter()
			.try_fold(0u32, |sum, share| sum.checked_add(share.deconstruct()))
			.ok_or(Error::<T>::BadRewardShares)?;
		ensure!(total_parts == Perbill::one().deconstruct(), Error::<T>::BadRewardShares);
		ensure!(terms.fork_depth <= T::MaxForkCreditDepth::get(), Error::<T>::ForkDepthTooLarge);
		ensure!(terms.max_reviews_per_reviewer <= T::MaxReviewsPerReviewer::get(), Error::<T>::ReviewLimitTooLarge);
		ensure!(terms.micro_share <= T::MaxMicroShare::get(), Error::<T>::MicroShareTooLarge);
		ensure!(
			terms.improvement_reward.is_zero() || terms.improvement_step > Score::default(),
			Error::<T>::ImprovementStepRequired
		);
		T::Currency::hold(&HoldReason::PrizePool.into(), owner, amount).map_err(|_| Error::<T>::InsufficientBalance)?;
		let bond = T::RevealBondShare::get().mul_floor(amount);
		if !bond.is_zero() {
			T::Currency::hold(&HoldReason::RevealBond.into(), owner, bond)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
			RevealBonds::<T>::insert(challenge, bond);
			Self::deposit_event(Event::RevealBondHeld { challenge, owner: owner.clone(), amount: bond });
		}
		Pools::<T>::insert(
			challenge,
			Pool {
				owner: owner.clone(),
				amount,
				held: amount,
				reward_shares: shares,
				terms: *terms,
				refund_per_scored_submission: None,
			},
		);
		Self::deposit_event(Event::PoolOpened { challenge, owner: owner.clone(), amount, terms: *terms });
		Ok(())
	}

	fn withdraw(challenge: ChallengeId) -> Result<PoolSettlement<BalanceOf<T>>, DispatchError> {
		PublicBest::<T>::remove(challenge);
		Self::release_reveal_bond(challenge)?;
		let released = Self::release_rest(challenge)?;
		Ok(PoolSettlement { released, scored_submissions: 0, refund_per_scored_submission: Zero::zero() })
	}

	fn abandon(challenge: ChallengeId) -> PoolSettlement<BalanceOf<T>> {
		PublicBest::<T>::remove(challenge);
		let scored = ScoredTotals::<T>::get(challenge);
		let Some(mut pool) = Pools::<T>::get(challenge) else {
			return PoolSettlement {
				released: Zero::zero(),
				scored_submissions: 0,
				refund_per_scored_submission: Zero::zero(),
			};
		};
		// The owner broke its promise: its reveal bond joins what the scored submissions share,
		// or, when nobody's work was scored, is burnt, so the owner loses it and no account,
		// sybil or not, can claim it.
		if let Some(bond) = RevealBonds::<T>::take(challenge) {
			let reason = HoldReason::RevealBond.into();
			let forfeited = if scored == 0 {
				T::Currency::burn_held(&reason, &pool.owner, bond, Precision::BestEffort, Fortitude::Force)
					.unwrap_or_else(|_| Zero::zero())
			} else {
				let moved = T::Currency::release(&reason, &pool.owner, bond, Precision::BestEffort)
					.and_then(|released| {
						T::Currency::hold(&HoldReason::PrizePool.into(), &pool.owner, released).map(|_| released)
					})
					.unwrap_or_else(|_| Zero::zero());
				pool.amount = pool.amount.saturating_add(moved);
				pool.held = pool.held.saturating_add(moved);
				Pools::<T>::insert(challenge, &pool);
				moved
			};
			Self::deposit_event(Event::RevealBondForfeited { challenge, amount: forfeited });
		}
		// Zero shares (everything goes back) when nothing was scored: the division fails.
		let per_submission = pool.held.checked_div(&BalanceOf::<T>::from(scored)).unwrap_or_else(Zero::zero);
		let kept = per_submission.checked_mul(&BalanceOf::<T>::from(scored)).unwrap_or_else(Zero::zero);
		let remainder = pool.held.saturating_sub(kept);
		let released =
			T::Currency::release(&HoldReason::PrizePool.into(), &pool.owner, remainder, Precision::BestEffort)
				.unwrap_or_else(|_| Zero::zero());
		Pools::<T>::mutate(challenge, |pool| {
			if let Some(pool) = pool {
				pool.held = pool.held.saturating_sub(released);
				pool.refund_per_scored_submission = Some(per_submission);
			}
		});
		Ledger::<T>::mutate(challenge, |ledger| ledger.returned = ledger.returned.saturating_add(released));
		PoolSettlement { released, scored_submissions: scored, refund_per_scored_submission: per_submission }
	}

	fn labels_revealed(challenge: ChallengeId) -> DispatchResult {
		Self::release_reveal_bond(challenge)
	}

	fn open_weight(_winners: u32) -> Weight {
		// The pool check and insert, the reveal bond, the owner's holds and account.
		T::DbWeight::get().reads_writes(4, 4)
	}

	fn end_weight() -> Weight {
		// The pool, the ledger, the reveal bond, the owner's holds and account, the public best.
		T::DbWeight::get().reads_writes(6, 7)
	}

	fn reveal_weight() -> Weight {
		// The reveal bond, the pool's owner, the owner's holds and account.
		T::DbWeight::get().reads_writes(4, 3)
	}
}

impl<T: Config> OnOutcomeFinal<T::AccountId> for Pallet<T> {
	fn on_outcome_final(
		challenge: ChallengeId,
		submission: SubmissionId,
		author: &T::AccountId,
		subset: Subset,
		outcome: &Outcome,
		agreeing: &[T::AccountId],
	) -> Weight {
		let (Some(pool), Some(summary)) = (Pools::<T>::get(challenge), T::Challenges::challenge(challenge)) else {
			return T::DbWeight::get().reads(2);
		};
		let budget = pool.terms.micro_share.mul_floor(pool.amount);
		// A fee for a score only: a failed file (junk, or too large) must not mint fees for the
		// evaluators a junk submitter may run.
		if matches!(outcome, Outcome::Scored(_)) {
			for evaluator in agreeing {
				Self::pay_micro(
					challenge,
					budget,
					evaluator,
					pool.terms.evaluator_fee,
					RewardKind::Evaluation { submission },
				);
			}
		}
		if let (Subset::Public, Outcome::Scored(_)) = (subset, outcome) {
			// The shares of the pool should the owner abandon the challenge.
			ScoredSubmissions::<T>::mutate(challenge, author, |n| *n = n.saturating_add(1));
			ScoredTotals::<T>::mutate(challenge, |n| *n = n.saturating_add(1));
			ScoredByAccount::<T>::mutate(author, |n| *n = n.saturating_add(1));
		}
		if let (Subset::Public, ChallengeState::Open, Outcome::Scored(score)) = (subset, summary.state, outcome) {
			let improves = match PublicBest::<T>::get(challenge) {
				None => true,
				Some((_, best)) => summary.metric.is_better_by_more_than(*score, best, pool.terms.improvement_step),
			};
			if improves {
				PublicBest::<T>::insert(challenge, (submission, *score));
				Self::deposit_event(Event::PublicBestImproved { challenge, submission, score: *score });
				Self::pay_micro(
					challenge,
					budget,
					author,
					pool.terms.improvement_reward,
					RewardKind::Improvement { submission },
				);
			}
		}
		T::WeightInfo::on_outcome_final(agreeing.len() as u32)
	}

	fn max_weight() -> Weight {
		T::WeightInfo::on_outcome_final(T::MaxEvaluators::get())
	}
}

impl<T: Config> merit_primitives::PublicBoardRules for Pallet<T> {
	fn ladder_step(challenge: ChallengeId) -> Option<Score> {
		Pools::<T>::get(challenge).filter(|pool| pool.terms.ladder).map(|pool| pool.terms.improvement_step)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn set_ladder_for_benchmark(challenge: ChallengeId, step: Score) {
		Pools::<T>::mutate(challenge, |pool| {
			if let Some(pool) = pool {
				pool.terms.ladder = true;
				pool.terms.improvement_step = step;
			}
		});
	}
}
