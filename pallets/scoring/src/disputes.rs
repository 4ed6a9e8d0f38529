//! Disputes of final private scores, recounted by a fresh, larger draw.
use crate::{pallet::*, BalanceOf, DrawFor, FailureReason, FinalOutcome, MembersOf, Outcome, Stage};
use alloc::vec::Vec;
use frame_support::{
	ensure,
	traits::{
		fungible::{Balanced, BalancedHold, MutateHold},
		tokens::{imbalance::Imbalance, Precision},
		Get, OnUnbalanced,
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use merit_metrics::Subset;
use merit_primitives::{ChallengeId, ChallengeInspect, ChallengeState, SubmissionId};
use polkadot_sdk::{frame_support, frame_system, sp_runtime};
use sp_runtime::{
	traits::{Saturating, Zero},
	DispatchError, DispatchResult,
};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_dispute(who: T::AccountId, submission: SubmissionId) -> DispatchResult {
		let record = T::Challenges::submission(submission).ok_or(Error::<T>::UnknownSubmission)?;
		let challenge = T::Challenges::challenge(record.challenge).ok_or(Error::<T>::UnknownChallenge)?;
		ensure!(challenge.state == ChallengeState::LabelsRevealed, Error::<T>::LabelsNotRevealed);
		let disputed = FinalOutcomes::<T>::get(submission, Subset::Private).ok_or(Error::<T>::NothingToDispute)?;
		ensure!(disputed.outcome != Outcome::Failed(FailureReason::Unavailable), Error::<T>::NotDisputable);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now < disputed.finalized_at.saturating_add(T::DisputeWindow::get()), Error::<T>::DisputeWindowClosed);
		ensure!(!Disputes::<T>::contains_key(submission), Error::<T>::AlreadyDisputed);
		let bond = T::DisputeBond::get();
		Self::schedule_draw(DrawFor::Dispute(submission), now)?;
		<T as Config>::Currency::hold(&HoldReason::DisputeBond.into(), &who, bond)
			.map_err(|_| Error::<T>::InsufficientBond)?;
		Disputes::<T>::insert(
			submission,
			crate::Dispute {
				disputer: who.clone(),
				challenge: record.challenge,
				bond,
				opened_at: now,
				disputed: disputed.outcome,
				panel: None,
			},
		);
		ChallengeExposure::<T>::mutate(record.challenge, |exposure| {
			exposure.open_disputes = exposure.open_disputes.saturating_add(1)
		});
		Self::deposit_event(Event::Disputed { submission, disputer: who, bond, disputed: disputed.outcome });
		Ok(())
	}

	/// The recount's quorum agreed on `recount`: correct the outcome and slash the wrong quorum,
	/// or forfeit the disputer's bond. Every recount reveal that differs is slashed as usual.
	pub(crate) fn settle_dispute(
		submission: SubmissionId,
		recount: Outcome,
		reveals: &[(T::AccountId, Outcome)],
	) -> DispatchResult {
		let dispute = Disputes::<T>::take(submission).ok_or(Error::<T>::NoDispute)?;
		Self::dispute_closed(dispute.challenge);
		Jobs::<T>::remove(submission, Stage::Dispute);
		let mut penalized = frame_support::BoundedVec::new();
		for (evaluator, reported) in reveals {
			if let Some(slashed) = Self::judge(evaluator, submission, Subset::Private, *reported, recount) {
				let _ = penalized.try_push((evaluator.clone(), slashed));
			}
		}
		let now = frame_system::Pallet::<T>::block_number();
		let reason = HoldReason::DisputeBond.into();
		if recount != dispute.disputed {
			let disputed = FinalOutcomes::<T>::get(submission, Subset::Private).ok_or(Error::<T>::NothingToDispute)?;
			let mut slashed = CreditOf::<T>::zero();
			for evaluator in disputed.agreeing.iter() {
				let credit = Self::slash(evaluator, T::DisputeSlashFraction::get());
				Self::deposit_event(Event::EvaluatorDisagreed {
					evaluator: evaluator.clone(),
					submission,
					subset: Subset::Private,
					reported: dispute.disputed,
					slashed: credit.peek(),
				});
				slashed = slashed.merge(credit);
			}
			let total = slashed.peek();
			// Who was slashed for contradicting the wrong outcome, and reported what the recount
			// found, is repaid first.
			let right: Vec<T::AccountId> = Jobs::<T>::get(submission, Stage::Private)
				.map(|job| job.reveals.iter().filter(|(_, o)| *o == recount).map(|(e, _)| e.clone()).collect())
				.unwrap_or_default();
			for (evaluator, amount) in disputed.penalized.iter() {
				if !right.contains(evaluator) {
					continue;
				}
				let (repaid, remaining) = slashed.split(*amount);
				slashed = remaining;
				let repaid_amount = repaid.peek();
				if let Err(unpaid) = <T as Config>::Currency::resolve(evaluator, repaid) {
					slashed = slashed.merge(unpaid);
				} else {
					Self::deposit_event(Event::SlashRepaid {
						evaluator: evaluator.clone(),
						submission,
						amount: repaid_amount,
					});
				}
			}
			let left = slashed.peek();
			let (reward, rest) = slashed.split(T::DisputerShare::get().mul_floor(left));
			let reward_amount = reward.peek();
			if let Err(unpaid) = <T as Config>::Currency::resolve(&dispute.disputer, reward) {
				T::OnSlash::on_unbalanced(unpaid);
			}
			T::OnSlash::on_unbalanced(rest);
			<T as Config>::Currency::release(&reason, &dispute.disputer, dispute.bond, Precision::BestEffort)?;
			let agreeing: Vec<T::AccountId> =
				reveals.iter().filter(|(_, o)| *o == recount).map(|(e, _)| e.clone()).collect();
			let agreeing = MembersOf::<T>::try_from(agreeing).map_err(|_| Error::<T>::Overflow)?;
			FinalOutcomes::<T>::insert(
				submission,
				Subset::Private,
				FinalOutcome { outcome: recount, finalized_at: now, agreeing, penalized },
			);
			Self::open_dispute_window(dispute.challenge, now);
			Self::deposit_event(match recount {
				Outcome::Scored(score) => Event::ScoreFinalized { submission, subset: Subset::Private, score },
				Outcome::Failed(reason) => Event::SubmissionFailed { submission, subset: Subset::Private, reason },
			});
			Self::deposit_event(Event::DisputeUpheld {
				submission,
				disputed: dispute.disputed,
				corrected: recount,
				slashed: total,
				reward: reward_amount,
			});
		} else {
			let (forfeited, _) = <<T as Config>::Currency as BalancedHold<T::AccountId>>::slash(
				&reason,
				&dispute.disputer,
				dispute.bond,
			);
			let amount = forfeited.peek();
			T::OnSlash::on_unbalanced(forfeited);
			Self::deposit_event(Event::DisputeRejected { submission, forfeited: amount });
		}
		Ok(())
	}

	/// No recount in time: the disputed outcome stands and the bond goes back.
	pub(crate) fn lapse_dispute(submission: SubmissionId) -> Result<BalanceOf<T>, DispatchError> {
		let dispute = Disputes::<T>::take(submission).ok_or(Error::<T>::NoDispute)?;
		Self::dispute_closed(dispute.challenge);
		let returned = <T as Config>::Currency::release(
			&HoldReason::DisputeBond.into(),
			&dispute.disputer,
			dispute.bond,
			Precision::BestEffort,
		)?;
		Self::deposit_event(Event::DisputeLapsed { submission, returned });
		Ok(returned)
	}

	/// A private score of `challenge` became final at `now`: it can be disputed for `DisputeWindow`.
	pub(crate) fn open_dispute_window(challenge: ChallengeId, now: BlockNumberFor<T>) {
		let ends = now.saturating_add(T::DisputeWindow::get());
		ChallengeExposure::<T>::mutate(challenge, |exposure| exposure.window_ends = exposure.window_ends.max(ends));
	}

	fn dispute_closed(challenge: ChallengeId) {
		ChallengeExposure::<T>::mutate(challenge, |exposure| {
			exposure.open_disputes = exposure.open_disputes.saturating_sub(1)
		});
	}

	/// Whether any private outcome of a challenge may still change (one storage read).
	/// Clears the jobs of up to `max` more submissions of an ended challenge; returns how many.
	pub(crate) fn do_prune(challenge: ChallengeId, max: u32) -> Result<u32, DispatchError> {
		let summary = T::Challenges::challenge(challenge).ok_or(Error::<T>::UnknownChallenge)?;
		ensure!(
			matches!(summary.state, ChallengeState::Finalized | ChallengeState::Cancelled(_))
				&& !Self::challenge_disputable(challenge),
			Error::<T>::ChallengeNotEnded
		);
		let submissions = T::Challenges::submissions(challenge);
		let start = PruneCursors::<T>::get(challenge).unwrap_or(0) as usize;
		ensure!(start < submissions.len(), Error::<T>::NothingToPrune);
		let end = start.saturating_add(max as usize).min(submissions.len());
		for submission in &submissions[start..end] {
			// Public, Private and Dispute: at most three jobs a submission.
			let _ = Jobs::<T>::clear_prefix(submission, 3, None);
		}
		PruneCursors::<T>::insert(challenge, end as u32);
		let cleared = (end - start) as u32;
		Self::deposit_event(Event::Pruned { challenge, submissions: cleared, done: end == submissions.len() });
		Ok(cleared)
	}

	pub fn challenge_disputable(challenge: ChallengeId) -> bool {
		let exposure = ChallengeExposure::<T>::get(challenge);
		exposure.open_disputes > 0 || frame_system::Pallet::<T>::block_number() < exposure.window_ends
	}

	/// Whether a submission's private outcome may still change.
	pub fn is_disputable(submission: SubmissionId) -> bool {
		if Disputes::<T>::contains_key(submission) {
			return true;
		}
		let now = frame_system::Pallet::<T>::block_number();
		FinalOutcomes::<T>::get(submission, Subset::Private).is_some_and(|done| {
			done.outcome != Outcome::Failed(FailureReason::Unavailable)
				&& now < done.finalized_at.saturating_add(T::DisputeWindow::get())
		})
	}

	/// The total held for open disputes, by disputer (for `try_state`).
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	pub(crate) fn dispute_bonds() -> alloc::collections::btree_map::BTreeMap<T::AccountId, BalanceOf<T>> {
		let mut held = alloc::collections::btree_map::BTreeMap::new();
		for (_, dispute) in Disputes::<T>::iter() {
			let entry: &mut BalanceOf<T> = held.entry(dispute.disputer).or_insert_with(Zero::zero);
			*entry = entry.saturating_add(dispute.bond);
		}
		held
	}
}
