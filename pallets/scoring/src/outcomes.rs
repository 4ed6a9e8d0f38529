//! Final outcomes, leaderboards, slashing and the pallet's invariants.
use crate::{pallet::*, EvaluationStats, LeaderboardEntry, Outcome};
use alloc::{
	collections::btree_map::{BTreeMap, Entry},
	vec::Vec,
};
use frame_support::{
	ensure,
	traits::{
		Get,
		fungible::{BalancedHold, InspectHold, MutateHold},
		tokens::{imbalance::Imbalance, Precision},
		OnUnbalanced,
	},
};
use merit_metrics::{Score, Subset};
use merit_primitives::{ChallengeId, ChallengeInspect, ChallengeState, OutcomeInspect, SubmissionId};
use polkadot_sdk::{frame_support, sp_runtime};
use sp_runtime::{
	traits::{Saturating, Zero},
	DispatchError, DispatchResult,
};

impl<T: Config> Pallet<T> {
	/// The leaderboard of a challenge's public or private subset: each author's best final
	/// score (ties between an author's own submissions: the earlier), sorted best first by the
	/// metric's direction, ties broken by the earlier submission (lower id). Failed
	/// submissions, superseded duplicates and those without a final score are not listed.
	pub fn leaderboard(challenge: ChallengeId, subset: Subset) -> Vec<LeaderboardEntry<T::AccountId>> {
		let Some(record) = T::Challenges::challenge(challenge) else { return Vec::new() };
		let metric = record.metric;
		// Submissions are in order of arrival, so the first best of an author is its earliest. Each
		// author's best is found in O(log a), so ranking s submissions of a authors is O(s log a).
		let mut best_of: BTreeMap<T::AccountId, (SubmissionId, Score)> = BTreeMap::new();
		for submission in T::Challenges::submissions(challenge) {
			let Some(FinalOutcome { outcome: Outcome::Scored(score), .. }) =
				FinalOutcomes::<T>::get(submission, subset)
			else {
				continue;
			};
			// A sealed submission superseded by an earlier commitment of the same digest is out.
			let Some(record) = T::Challenges::submission(submission) else { continue };
			if record.content.revealed().is_none() {
				continue;
			}
			match best_of.entry(record.author) {
				Entry::Occupied(mut entry) => {
					if metric.is_better(score, entry.get().1) {
						entry.insert((submission, score));
					}
				}
				Entry::Vacant(entry) => {
					entry.insert((submission, score));
				}
			}
		}
		let mut best: Vec<(SubmissionId, T::AccountId, Score)> =
			best_of.into_iter().map(|(author, (submission, score))| (submission, author, score)).collect();
		best.sort_by(|a, b| {
			if metric.is_better(a.2, b.2) {
				core::cmp::Ordering::Less
			} else if metric.is_better(b.2, a.2) {
				core::cmp::Ordering::Greater
			} else {
				a.0.cmp(&b.0)
			}
		});
		best.into_iter()
			.enumerate()
			.map(|(i, (submission, author, score))| LeaderboardEntry {
				rank: (i as u32).saturating_add(1),
				submission,
				author,
				score,
			})
			.collect()
	}

	/// The final outcome of a submission's subset, if a quorum agreed.
	pub fn final_outcome(submission: SubmissionId, subset: Subset) -> Option<Outcome> {
		FinalOutcomes::<T>::get(submission, subset).map(|f| f.outcome)
	}

	/// Every report on a submission's subset.
	pub fn reports(submission: SubmissionId, subset: Subset) -> Vec<(T::AccountId, Outcome)> {
		Reports::<T>::get(submission, subset).into_inner()
	}

	pub(crate) fn ensure_reporting_phase(state: ChallengeState, subset: Subset) -> DispatchResult {
		match (state, subset) {
			(ChallengeState::Open, Subset::Public) => Ok(()),
			(ChallengeState::Open, _) => Err(Error::<T>::ChallengeStillOpen.into()),
			(ChallengeState::Closed | ChallengeState::LabelsRevealed, Subset::Private) => Ok(()),
			(ChallengeState::Closed | ChallengeState::LabelsRevealed, _) => Err(Error::<T>::ChallengeNotOpen.into()),
			(ChallengeState::Finalized | ChallengeState::Cancelled(_), _) => {
				Err(Error::<T>::ChallengeNotScorable.into())
			}
		}
	}

	/// Releases what is left of an evaluator's bond and removes it and its key.
	pub(crate) fn forget(who: &T::AccountId, info: &Evaluator<T>) -> Result<BalanceOf<T>, DispatchError> {
		let released =
			<T as Config>::Currency::release(&HoldReason::EvaluatorBond.into(), who, info.bond, Precision::BestEffort)?;
		EvaluatorKeys::<T>::remove(&info.key);
		Evaluators::<T>::remove(who);
		EvaluatorCount::<T>::mutate(|n| *n = n.saturating_sub(1));
		Ok(released)
	}

	/// Takes `SlashFraction` of a disagreeing evaluator's current bond (nothing if it has
	/// already withdrawn or been removed) and records the disagreement.
	pub(crate) fn slash_disagreement(evaluator: &T::AccountId, submission: SubmissionId, subset: Subset, reported: Outcome) {
		let slashed = Evaluators::<T>::mutate(evaluator, |info| {
			let Some(info) = info else { return Zero::zero() };
			let amount = T::SlashFraction::get().mul_floor(info.bond);
			let (credit, _missing) = <<T as Config>::Currency as BalancedHold<T::AccountId>>::slash(
				&HoldReason::EvaluatorBond.into(),
				evaluator,
				amount,
			);
			let slashed = credit.peek();
			T::OnSlash::on_unbalanced(credit);
			info.bond = info.bond.saturating_sub(slashed);
			info.disagreements = info.disagreements.saturating_add(1);
			EvaluationRecords::<T>::mutate(evaluator, |stats| stats.disagreed = stats.disagreed.saturating_add(1));
			slashed
		});
		Self::deposit_event(Event::EvaluatorDisagreed {
			evaluator: evaluator.clone(),
			submission,
			subset,
			reported,
			slashed,
		});
	}

	/// Invariants: each evaluator's held bond equals its recorded bond; keys and evaluators
	/// map to each other; the count matches and stays within `MaxEvaluators`; no evaluator
	/// reported twice on a submission's subset.
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let mut count = 0u32;
		for (who, info) in Evaluators::<T>::iter() {
			count = count.saturating_add(1);
			ensure!(
				<T as Config>::Currency::balance_on_hold(&HoldReason::EvaluatorBond.into(), &who) == info.bond,
				"an evaluator's held bond differs from its recorded bond"
			);
			ensure!(EvaluatorKeys::<T>::get(&info.key) == Some(who.clone()), "an evaluator's key is not mapped to it");
		}
		for (key, who) in EvaluatorKeys::<T>::iter() {
			let info = Evaluators::<T>::get(&who).ok_or("a key maps to a missing evaluator")?;
			ensure!(info.key == key, "a key maps to an evaluator with another key");
		}
		ensure!(count == EvaluatorCount::<T>::get(), "the evaluator count is wrong");
		ensure!(count <= T::MaxEvaluators::get(), "more evaluators than MaxEvaluators");
		for (_, _, reports) in Reports::<T>::iter() {
			for (i, (evaluator, _)) in reports.iter().enumerate() {
				ensure!(
					!reports[..i].iter().any(|(e, _)| e == evaluator),
					"an evaluator reported twice on a submission's subset"
				);
			}
		}
		Ok(())
	}
}

impl<T: Config> OutcomeInspect<T::AccountId> for Pallet<T> {
	fn final_outcome(submission: SubmissionId, subset: Subset) -> Option<Outcome> {
		Self::final_outcome(submission, subset)
	}

	fn leaderboard(challenge: ChallengeId, subset: Subset) -> Vec<LeaderboardEntry<T::AccountId>> {
		Self::leaderboard(challenge, subset)
	}

	fn evaluation_stats(evaluator: &T::AccountId) -> EvaluationStats {
		EvaluationRecords::<T>::get(evaluator)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn set_final_outcome_for_benchmark(submission: SubmissionId, subset: Subset, outcome: Outcome) {
		let finalized_at = polkadot_sdk::frame_system::Pallet::<T>::block_number();
		FinalOutcomes::<T>::insert(submission, subset, FinalOutcome { outcome, finalized_at });
	}
}
