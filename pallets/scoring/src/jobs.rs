//! Rounds of sealed reports: commit, reveal, abstain, conclude.
use crate::{
	pallet::*, weights::WeightInfo, AbstainReason, BalanceOf, FailureReason, FinalOutcome, Job, MembersOf, Outcome,
	Panel, Stage,
};
use alloc::vec::Vec;
use frame_support::{
	ensure,
	traits::{tokens::imbalance::Imbalance, Get, OnUnbalanced},
	weights::Weight,
	BoundedVec,
};
use frame_system::pallet_prelude::BlockNumberFor;
use merit_metrics::Subset;
use merit_primitives::{report_commitment, ChallengeInspect, ChallengeState, OnOutcomeFinal, SubmissionId};
use polkadot_sdk::{frame_support, frame_system, sp_core::H256, sp_runtime};
use sp_runtime::{traits::Saturating, DispatchError};

/// What a report on a submission at a stage is checked against.
pub(crate) struct JobContext<T: Config> {
	/// The submission's author.
	pub author: T::AccountId,
	/// The author and every account behind its entrant (its team's members): never evaluators
	/// of the submission.
	pub stakeholders: alloc::vec::Vec<T::AccountId>,
	/// The submission's challenge.
	pub challenge: merit_primitives::ChallengeId,
	/// The panel that evaluates this stage.
	pub panel: Panel<T>,
}

impl<T: Config> JobContext<T> {
	/// Panel members who may evaluate the submission: all but its author and teammates.
	pub(crate) fn evaluators(&self) -> u32 {
		self.panel.members.iter().filter(|m| !self.stakeholders.contains(m)).count() as u32
	}
}

impl<T: Config> Pallet<T> {
	/// The evaluator whose key signed, if registered.
	pub(crate) fn evaluator_of(key: &T::AccountId) -> Result<(T::AccountId, crate::Evaluator<T>), Error<T>> {
		let evaluator = EvaluatorKeys::<T>::get(key).ok_or(Error::<T>::NotEvaluator)?;
		let info = Evaluators::<T>::get(&evaluator).ok_or(Error::<T>::NotEvaluator)?;
		Ok((evaluator, info))
	}

	/// Checks that the submission can be evaluated at `stage` now and finds its panel. Reveals
	/// (`after_final`) are still accepted once the outcome is final, and judged against it.
	pub(crate) fn job_context(
		submission: SubmissionId,
		stage: Stage,
		after_final: bool,
	) -> Result<JobContext<T>, DispatchError> {
		let record = T::Challenges::submission(submission).ok_or(Error::<T>::UnknownSubmission)?;
		ensure!(record.content.revealed().is_some(), Error::<T>::SubmissionNotRevealed);
		let challenge = T::Challenges::challenge(record.challenge).ok_or(Error::<T>::UnknownChallenge)?;
		let panel = match stage {
			Stage::Public | Stage::Private => {
				// Public rows are scored while the challenge is open, private ones once its labels are out.
				let (scorable, too_early_or_late) = match stage {
					Stage::Public => (ChallengeState::Open, Error::<T>::ChallengeNotOpen),
					_ => (ChallengeState::LabelsRevealed, Error::<T>::LabelsNotRevealed),
				};
				ensure!(challenge.state == scorable, too_early_or_late);
				ensure!(
					after_final || !FinalOutcomes::<T>::contains_key(submission, stage.subset()),
					Error::<T>::AlreadyFinal
				);
				Panels::<T>::get(record.challenge).ok_or(Error::<T>::PanelNotDrawn)?
			}
			Stage::Dispute => {
				ensure!(challenge.state == ChallengeState::LabelsRevealed, Error::<T>::LabelsNotRevealed);
				let dispute = Disputes::<T>::get(submission).ok_or(Error::<T>::NoDispute)?;
				dispute.panel.ok_or(Error::<T>::DisputePanelNotDrawn)?
			}
		};
		let stakeholders = Self::stakeholders(record.challenge, &record.author, &record.entrant);
		Ok(JobContext { author: record.author, stakeholders, challenge: record.challenge, panel })
	}

	/// Who gains from a submission's score: its author and the accounts behind its entrant (a
	/// team's members), none of whom may evaluate it.
	pub(crate) fn stakeholders(
		challenge: merit_primitives::ChallengeId,
		author: &T::AccountId,
		entrant: &T::AccountId,
	) -> alloc::vec::Vec<T::AccountId> {
		let mut accounts: alloc::vec::Vec<T::AccountId> =
			T::Challenges::entrant_shares(challenge, entrant).into_iter().map(|(who, _)| who).collect();
		if !accounts.contains(author) {
			accounts.push(author.clone());
		}
		accounts
	}

	/// A fresh round beginning now.
	fn new_round(round: u32, now: BlockNumberFor<T>) -> Job<T> {
		Job {
			round,
			opened_at: now,
			reveal_from: now.saturating_add(T::CommitPeriod::get()),
			commits: BoundedVec::new(),
			reveals: BoundedVec::new(),
			abstentions: BoundedVec::new(),
		}
	}

	/// The last block of a round's reveal period, plus one.
	pub fn round_end(job: &Job<T>) -> BlockNumberFor<T> {
		job.reveal_from.saturating_add(T::RevealPeriod::get())
	}

	/// A commitment (`commitment`) or an abstention (`reason`) of the evaluator whose key signed;
	/// returns the panel's size.
	pub(crate) fn do_commit(
		key: &T::AccountId,
		submission: SubmissionId,
		stage: Stage,
		commitment: Option<H256>,
		reason: Option<AbstainReason>,
	) -> Result<u32, DispatchError> {
		let (evaluator, info) = Self::evaluator_of(key)?;
		ensure!(info.leaving_until.is_none(), Error::<T>::EvaluatorLeaving);
		let context = Self::job_context(submission, stage, false)?;
		ensure!(context.panel.members.contains(&evaluator), Error::<T>::NotOnPanel);
		ensure!(!context.stakeholders.contains(&evaluator), Error::<T>::OwnSubmission);
		let now = frame_system::Pallet::<T>::block_number();
		let mut job = Jobs::<T>::get(submission, stage).unwrap_or_else(|| Self::new_round(0, now));
		ensure!(now < Self::round_end(&job), Error::<T>::RoundOver);
		ensure!(now < job.reveal_from, Error::<T>::CommitPhaseOver);
		ensure!(
			!job.commits.iter().any(|(e, _)| *e == evaluator) && !job.abstentions.iter().any(|(e, _)| *e == evaluator),
			Error::<T>::AlreadyReported
		);
		let round = job.round;
		match (commitment, reason) {
			(Some(commitment), _) => {
				job.commits.try_push((evaluator.clone(), commitment)).map_err(|_| Error::<T>::NotOnPanel)?;
				Self::deposit_event(Event::ReportCommitted { submission, stage, round, evaluator });
			}
			(None, Some(reason)) => {
				job.abstentions.try_push((evaluator.clone(), reason)).map_err(|_| Error::<T>::NotOnPanel)?;
				EvaluationRecords::<T>::mutate(&evaluator, |stats| stats.abstained = stats.abstained.saturating_add(1));
				Self::deposit_event(Event::Abstained { submission, stage, round, evaluator, reason });
			}
			(None, None) => return Err(Error::<T>::NoCommitment.into()),
		}
		let acted = (job.commits.len() + job.abstentions.len()) as u32;
		if acted >= context.evaluators() {
			job.reveal_from = now;
		}
		Jobs::<T>::insert(submission, stage, job);
		Ok(context.panel.members.len() as u32)
	}

	/// A reveal; returns the panel's size and the hook's weight.
	pub(crate) fn do_reveal(
		key: &T::AccountId,
		submission: SubmissionId,
		stage: Stage,
		outcome: Outcome,
		salt: [u8; 32],
	) -> Result<(u32, Weight), DispatchError> {
		let (evaluator, mut info) = Self::evaluator_of(key)?;
		let context = Self::job_context(submission, stage, true)?;
		let now = frame_system::Pallet::<T>::block_number();
		let mut job = Jobs::<T>::get(submission, stage).ok_or(Error::<T>::NoJob)?;
		ensure!(now >= job.reveal_from, Error::<T>::StillSealed);
		ensure!(now < Self::round_end(&job), Error::<T>::RoundOver);
		let (_, commitment) = job.commits.iter().find(|(e, _)| *e == evaluator).ok_or(Error::<T>::NoCommitment)?;
		ensure!(!job.reveals.iter().any(|(e, _)| *e == evaluator), Error::<T>::AlreadyRevealed);
		ensure!(
			*commitment == report_commitment(submission, stage, job.round, &outcome, &salt, &evaluator),
			Error::<T>::CommitmentMismatch
		);
		job.reveals.try_push((evaluator.clone(), outcome)).map_err(|_| Error::<T>::NoCommitment)?;
		EvaluationRecords::<T>::mutate(&evaluator, |stats| stats.reports = stats.reports.saturating_add(1));
		// The report may be found wrong until the round ends, then (private scores) by a dispute.
		let mut exposed = Self::round_end(&job);
		if stage != Stage::Public {
			exposed = exposed
				.saturating_add(T::DisputeWindow::get())
				.saturating_add(T::DrawDelay::get())
				.saturating_add(T::DisputeResolutionPeriod::get());
		}
		info.exposed_until = info.exposed_until.max(exposed);
		Evaluators::<T>::insert(&evaluator, info);
		Self::deposit_event(Event::ReportRevealed {
			submission,
			stage,
			round: job.round,
			evaluator: evaluator.clone(),
			outcome,
		});
		let members = context.panel.members.len() as u32;
		let quorum = context.panel.quorum;
		let agreeing: Vec<T::AccountId> =
			job.reveals.iter().filter(|(_, o)| *o == outcome).map(|(e, _)| e.clone()).collect();
		let reveals = job.reveals.clone();
		Jobs::<T>::insert(submission, stage, job);

		let subset = stage.subset();
		let mut hook_weight = Weight::zero();
		if stage == Stage::Dispute {
			if agreeing.len() as u32 >= quorum {
				Self::settle_dispute(submission, outcome, &reveals)?;
				// The recount's quorum is paid for its work like any other.
				hook_weight = T::OnOutcomeFinal::on_outcome_final(
					context.challenge,
					submission,
					&context.author,
					subset,
					&outcome,
					&agreeing,
				);
			}
			return Ok((members, hook_weight));
		}
		match FinalOutcomes::<T>::get(submission, subset) {
			// A reveal after the quorum, still within the round, is judged like the others.
			Some(mut done) => {
				if let Some(slashed) = Self::judge(&evaluator, submission, subset, outcome, done.outcome) {
					if done.penalized.try_push((evaluator, slashed)).is_ok() {
						FinalOutcomes::<T>::insert(submission, subset, done);
					}
				}
			}
			// Once the challenge's prizes are being counted, no private outcome becomes final.
			None if agreeing.len() as u32 >= quorum && !Self::private_frozen(context.challenge, subset) => {
				let Ok(agreeing_bounded) = MembersOf::<T>::try_from(agreeing.clone()) else {
					return Err(Error::<T>::Overflow.into());
				};
				Self::deposit_event(match outcome {
					Outcome::Scored(score) => Event::ScoreFinalized { submission, subset, score },
					Outcome::Failed(reason) => Event::SubmissionFailed { submission, subset, reason },
				});
				let mut penalized = BoundedVec::new();
				for (other, reported) in reveals.iter() {
					if let Some(slashed) = Self::judge(other, submission, subset, *reported, outcome) {
						let _ = penalized.try_push((other.clone(), slashed));
					}
				}
				FinalOutcomes::<T>::insert(
					submission,
					subset,
					FinalOutcome { outcome, finalized_at: now, agreeing: agreeing_bounded, penalized },
				);
				if subset == Subset::Private {
					PrivateFinals::<T>::mutate(context.challenge, |n| *n = n.saturating_add(1));
					Self::open_dispute_window(context.challenge, now);
				}
				if let (Subset::Public, Outcome::Scored(score)) = (subset, outcome) {
					Self::show_public_score(context.challenge, submission, &context.author, score);
					hook_weight = <T as Config>::WeightInfo::show_public_score();
				}
				hook_weight = hook_weight.saturating_add(T::OnOutcomeFinal::on_outcome_final(
					context.challenge,
					submission,
					&context.author,
					subset,
					&outcome,
					&agreeing,
				));
			}
			None => {}
		}
		Ok((members, hook_weight))
	}

	/// Records whether a revealed report agrees with the final outcome; slashes it if not and
	/// returns what was slashed.
	pub(crate) fn judge(
		evaluator: &T::AccountId,
		submission: SubmissionId,
		subset: Subset,
		reported: Outcome,
		final_outcome: Outcome,
	) -> Option<BalanceOf<T>> {
		if reported == final_outcome {
			EvaluationRecords::<T>::mutate(evaluator, |stats| stats.agreed = stats.agreed.saturating_add(1));
			None
		} else {
			let credit = Self::slash(evaluator, T::SlashFraction::get());
			let amount = credit.peek();
			T::OnSlash::on_unbalanced(credit);
			Self::deposit_event(Event::EvaluatorDisagreed {
				evaluator: evaluator.clone(),
				submission,
				subset,
				reported,
				slashed: amount,
			});
			Some(amount)
		}
	}

	/// Ends a round past its reveal period; returns the panel's size and the hook's weight.
	pub(crate) fn do_conclude_round(submission: SubmissionId, stage: Stage) -> Result<(u32, Weight), DispatchError> {
		let now = frame_system::Pallet::<T>::block_number();
		if stage == Stage::Dispute {
			let dispute = Disputes::<T>::get(submission).ok_or(Error::<T>::NoDispute)?;
			let lapse_at =
				dispute.opened_at.saturating_add(T::DrawDelay::get()).saturating_add(T::DisputeResolutionPeriod::get());
			if now >= lapse_at {
				let members = dispute.panel.as_ref().map_or(0, |p| p.members.len() as u32);
				Self::lapse_dispute(submission)?;
				Jobs::<T>::remove(submission, Stage::Dispute);
				return Ok((members, Weight::zero()));
			}
		}
		let context = Self::job_context(submission, stage, false)?;
		let job = Jobs::<T>::get(submission, stage).ok_or(Error::<T>::NoJob)?;
		ensure!(now >= Self::round_end(&job), Error::<T>::RoundNotOver);
		let members = context.panel.members.len() as u32;
		let missed: Vec<T::AccountId> = job
			.commits
			.iter()
			.filter(|(e, _)| !job.reveals.iter().any(|(r, _)| r == e))
			.map(|(e, _)| e.clone())
			.collect();
		for evaluator in missed.iter() {
			EvaluationRecords::<T>::mutate(evaluator, |stats| stats.missed = stats.missed.saturating_add(1));
		}
		let unavailable = (job.commits.len() as u32) < context.panel.quorum && !job.abstentions.is_empty();
		let mut hook_weight = Weight::zero();
		if unavailable && stage == Stage::Dispute {
			Self::lapse_dispute(submission)?;
			Jobs::<T>::remove(submission, Stage::Dispute);
		} else if unavailable && !Self::private_frozen(context.challenge, stage.subset()) {
			let subset = stage.subset();
			if subset == Subset::Private && !FinalOutcomes::<T>::contains_key(submission, subset) {
				PrivateFinals::<T>::mutate(context.challenge, |n| *n = n.saturating_add(1));
			}
			let outcome = Outcome::Failed(FailureReason::Unavailable);
			FinalOutcomes::<T>::insert(
				submission,
				subset,
				FinalOutcome { outcome, finalized_at: now, agreeing: BoundedVec::new(), penalized: BoundedVec::new() },
			);
			Self::deposit_event(Event::SubmissionFailed { submission, subset, reason: FailureReason::Unavailable });
			hook_weight = T::OnOutcomeFinal::on_outcome_final(
				context.challenge,
				submission,
				&context.author,
				subset,
				&outcome,
				&[],
			);
		} else {
			let round = job.round;
			let next = round.checked_add(1).ok_or(Error::<T>::Overflow)?;
			Jobs::<T>::insert(submission, stage, Self::new_round(next, now));
			Self::deposit_event(Event::RoundEnded { submission, stage, round, missed });
		}
		Ok((members, hook_weight))
	}

	/// Whether `subset` of a challenge's submissions can no longer become final: the private one
	/// once the challenge's prizes are being counted.
	pub(crate) fn private_frozen(challenge: merit_primitives::ChallengeId, subset: Subset) -> bool {
		subset == Subset::Private && PrizeCounts::<T>::contains_key(challenge)
	}
}
