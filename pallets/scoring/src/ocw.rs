//! The evaluator's off-chain worker: find the work, fetch, check, score, report.
use crate::{
	labels_storage_key, pallet::*, report_commitment, AbstainReason, FailureReason, FetchArtifact, FetchError, Outcome,
	Stage,
};
use alloc::{vec, vec::Vec};
use codec::Encode;
use frame_support::traits::Get;
use frame_system::{
	offchain::{SendSignedTransaction, Signer},
	pallet_prelude::BlockNumberFor,
};
use merit_metrics::Metric;
use merit_primitives::{ArtifactRegistry, ChallengeId, ChallengeInspect, ChallengeState, SubmissionId};
use polkadot_sdk::{frame_support, frame_system, sp_core::H256, sp_io, sp_runtime};
use sp_runtime::{
	offchain::{
		storage::StorageValueRef,
		storage_lock::{BlockAndTime, StorageLock},
		Duration,
	},
	traits::Saturating,
};

/// A challenge as the worker reads it.
pub type ChallengeSummaryOf<T> =
	merit_primitives::ChallengeSummary<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;

/// Log target of the off-chain worker.
pub const LOG_TARGET: &str = "runtime::merit-scoring";
/// The off-chain lock that keeps two worker runs from overlapping.
pub const LOCK_KEY: &[u8] = b"merit::scoring::lock";
/// Prefix of the local record of a batch of reports waiting for inclusion.
pub const IN_FLIGHT_PREFIX: &[u8] = b"merit::scoring::in-flight::";
/// Prefix of the local record of a sealed report (outcome and salt) until its reveal.
pub const SEALED_PREFIX: &[u8] = b"merit::scoring::sealed::";
/// Prefix of the local count of failed fetches of a submission.
pub const ATTEMPTS_PREFIX: &[u8] = b"merit::scoring::fetch-attempts::";
/// Fetch attempts (in distinct worker runs) before the evaluator abstains with
/// [`AbstainReason::FetchFailed`]: one transient network problem must not leave a submission
/// unscored.
pub const FETCH_ATTEMPTS: u32 = 3;
/// Blocks between two fetch attempts of the same submission.
pub const FETCH_RETRY_BLOCKS: u32 = 5;
/// Blocks the worker waits for a batch of reports to be included before it assumes they
/// were dropped and starts again from the on-chain nonce.
pub const IN_FLIGHT_BLOCKS: u32 = 10;
/// Blocks after which a lock left by a crashed run expires.
pub const LOCK_BLOCKS: u32 = 5;
/// Milliseconds after which a lock left by a crashed run expires.
pub const LOCK_MILLIS: u64 = 60_000;

/// Why a worker cannot use a challenge's hidden labels: always the evaluator's problem, never
/// reported on chain.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum LabelsProblem {
	/// Nothing under [`labels_storage_key`] (public scores), or the labels are not revealed
	/// (private scores).
	Missing,
	/// The stored value is not `SCALE((salt, labels))`.
	Undecodable,
	/// `sha256(sha256(labels) ‖ salt)` differs from the challenge's commitment.
	CommitmentMismatch,
	/// The revealed labels artifact could not be fetched or does not match its digest.
	RevealedUnavailable,
}

/// A piece of work the worker found.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Task {
	/// The challenge.
	pub challenge: ChallengeId,
	/// The submission.
	pub submission: SubmissionId,
	/// Which evaluation.
	pub stage: Stage,
	/// The round the work is for.
	pub round: u32,
	/// The predictions artifact.
	pub digest: merit_primitives::Digest,
}

/// What evaluating a submission found.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Verdict {
	/// An outcome to commit to.
	Report(Outcome),
	/// The submitter's file could not be evaluated.
	Abstain(AbstainReason),
}

/// A transaction the worker sends for its evaluator.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Action {
	/// Seal a report (the outcome and salt are kept in local storage until the reveal).
	Commit { submission: SubmissionId, stage: Stage, commitment: H256 },
	/// Reveal a sealed report.
	Reveal { submission: SubmissionId, stage: Stage, outcome: Outcome, salt: [u8; 32] },
	/// Abstain with a reason.
	Abstain { submission: SubmissionId, stage: Stage, reason: AbstainReason },
	/// End a round whose reveal period is over.
	Conclude { submission: SubmissionId, stage: Stage },
}

impl Action {
	fn into_call<T: Config>(self) -> Call<T> {
		match self {
			Self::Commit { submission, stage, commitment } => Call::commit_report { submission, stage, commitment },
			Self::Reveal { submission, stage, outcome, salt } => {
				Call::reveal_report { submission, stage, outcome, salt }
			}
			Self::Abstain { submission, stage, reason } => Call::abstain { submission, stage, reason },
			Self::Conclude { submission, stage } => Call::conclude_round { submission, stage },
		}
	}
}

impl<T: Config> Pallet<T> {
	/// One worker run for every registered evaluator key in the keystore: returns how many
	/// transactions were sent to the pool.
	pub fn run_evaluator(now: BlockNumberFor<T>) -> Result<u32, &'static str> {
		let evaluators = Self::local_evaluators();
		if evaluators.is_empty() {
			return Err("no registered evaluator key in the keystore");
		}
		let mut lock = StorageLock::<BlockAndTime<frame_system::Pallet<T>>>::with_block_and_time_deadline(
			LOCK_KEY,
			LOCK_BLOCKS,
			Duration::from_millis(LOCK_MILLIS),
		);
		let _guard = lock.try_lock().map_err(|_| "another worker run holds the lock")?;
		let mut sent = 0u32;
		for (account, evaluator) in evaluators {
			sent = sent.saturating_add(Self::run_for(&account, &evaluator, now));
		}
		Ok(sent)
	}

	/// One run for one evaluator: returns how many transactions were sent.
	fn run_for(account: &frame_system::offchain::Account<T>, evaluator: &T::AccountId, now: BlockNumberFor<T>) -> u32 {
		// The signer takes the nonce from chain state: while an earlier batch waits for
		// inclusion, a new one would reuse its nonces (and resend its transactions).
		let chain_nonce = frame_system::Pallet::<T>::account_nonce(&account.id);
		let mut in_flight_key = IN_FLIGHT_PREFIX.to_vec();
		account.id.encode_to(&mut in_flight_key);
		let in_flight = StorageValueRef::persistent(&in_flight_key);
		if let Ok(Some((expected, until))) = in_flight.get::<(T::Nonce, BlockNumberFor<T>)>() {
			if chain_nonce < expected && now < until {
				log::debug!(target: LOG_TARGET, "an earlier batch of {evaluator:?} is not included yet");
				return 0;
			}
		}
		let signer = Signer::<T, <T as Config>::AuthorityId>::all_accounts().with_filter(vec![account.public.clone()]);
		let mut sent = 0u32;
		for action in Self::pending_actions(evaluator, now) {
			let described = alloc::format!("{action:?}");
			match signer.send_single_signed_transaction(account, action.into_call::<T>()) {
				Some(Ok(())) => sent = sent.saturating_add(1),
				_ => log::warn!(target: LOG_TARGET, "could not send {described}"),
			}
		}
		if sent > 0 {
			let until = now.saturating_add(IN_FLIGHT_BLOCKS.into());
			in_flight.set(&(chain_nonce.saturating_add(sent.into()), until));
		}
		sent
	}

	/// Every key in the keystore that belongs to a registered evaluator, with that evaluator
	/// (leaving ones too: they still reveal what they committed).
	pub fn local_evaluators() -> Vec<(frame_system::offchain::Account<T>, T::AccountId)> {
		Signer::<T, <T as Config>::AuthorityId>::keystore_accounts()
			.filter_map(|account| {
				let evaluator = EvaluatorKeys::<T>::get(&account.id)?;
				Evaluators::<T>::contains_key(&evaluator).then_some((account, evaluator))
			})
			.collect()
	}

	/// The transactions the evaluator owes now: conclude rounds past their end, reveal sealed
	/// reports once reveals are open, and evaluate (at most `MaxScoresPerRun`) submissions it has
	/// not acted on in the current round.
	pub fn pending_actions(evaluator: &T::AccountId, now: BlockNumberFor<T>) -> Vec<Action> {
		let leaving = Evaluators::<T>::get(evaluator).is_none_or(|info| info.leaving_until.is_some());
		let mut budget = T::MaxScoresPerRun::get();
		let mut actions = Vec::new();
		let mut work: Vec<(ChallengeId, ChallengeSummaryOf<T>, Stage, Vec<SubmissionId>)> = Vec::new();
		for challenge_id in T::Challenges::live_challenges() {
			let Some(challenge) = T::Challenges::challenge(challenge_id) else { continue };
			let stage = match challenge.state {
				ChallengeState::Open => Stage::Public,
				ChallengeState::LabelsRevealed => Stage::Private,
				_ => continue,
			};
			if !Panels::<T>::get(challenge_id).is_some_and(|panel| panel.members.contains(evaluator)) {
				continue;
			}
			work.push((challenge_id, challenge, stage, T::Challenges::submissions(challenge_id)));
		}
		for (submission, dispute) in Disputes::<T>::iter() {
			if !dispute.panel.as_ref().is_some_and(|panel| panel.members.contains(evaluator)) {
				continue;
			}
			let Some(record) = T::Challenges::submission(submission) else { continue };
			let Some(challenge) = T::Challenges::challenge(record.challenge) else { continue };
			work.push((record.challenge, challenge, Stage::Dispute, alloc::vec![submission]));
		}

		for (challenge_id, challenge, stage, submissions) in work {
			let mut labels: Option<Result<(Vec<u8>, Vec<u8>), LabelsProblem>> = None;
			for submission in submissions {
				let Some(task) = Self::task_of(challenge_id, submission, stage, evaluator) else { continue };
				let job = Jobs::<T>::get(submission, stage);
				if let Some(job) = job.as_ref() {
					if now >= Self::round_end(job) {
						actions.push(Action::Conclude { submission, stage });
						continue;
					}
					let committed = job.commits.iter().any(|(e, _)| e == evaluator);
					let abstained = job.abstentions.iter().any(|(e, _)| e == evaluator);
					if committed {
						let revealed = job.reveals.iter().any(|(e, _)| e == evaluator);
						if !revealed && now >= job.reveal_from {
							match Self::sealed(evaluator, &task) {
								Some((outcome, salt)) => {
									actions.push(Action::Reveal { submission, stage, outcome, salt })
								}
								None => log::warn!(
									target: LOG_TARGET,
									"submission {submission}: no local record of the sealed report to reveal"
								),
							}
						}
						continue;
					}
					if abstained || now >= job.reveal_from {
						continue;
					}
				}
				if leaving || budget == 0 {
					continue;
				}
				let (salt, labels) =
					match labels.get_or_insert_with(|| Self::labels_for(challenge_id, &challenge, stage)) {
						Ok(found) => found.clone(),
						Err(problem) => {
							log::warn!(target: LOG_TARGET, "challenge {challenge_id}: no usable labels ({problem:?})");
							break;
						}
					};
				budget = budget.saturating_sub(1);
				let ppb = challenge.public_share.deconstruct();
				let split = match stage {
					Stage::Public => merit_metrics::Split::public(&salt, ppb),
					_ => merit_metrics::Split::private(&salt, ppb),
				};
				let commit_closes = job.as_ref().map(|job| job.reveal_from);
				match Self::evaluate(&task, challenge.metric, &labels, &split, now, commit_closes) {
					Some(Verdict::Report(outcome)) => {
						let salt: [u8; 32] = sp_io::offchain::random_seed();
						let commitment = report_commitment(submission, stage, task.round, &outcome, &salt, evaluator);
						Self::keep_sealed(evaluator, &task, outcome, salt);
						actions.push(Action::Commit { submission, stage, commitment });
					}
					Some(Verdict::Abstain(reason)) => actions.push(Action::Abstain { submission, stage, reason }),
					None => {}
				}
			}
		}
		actions
	}

	/// The task for a submission the evaluator may evaluate at `stage`: revealed, not its own,
	/// without a final outcome.
	fn task_of(
		challenge: ChallengeId,
		submission: SubmissionId,
		stage: Stage,
		evaluator: &T::AccountId,
	) -> Option<Task> {
		let record = T::Challenges::submission(submission)?;
		let digest = record.content.revealed()?;
		if &record.author == evaluator {
			return None;
		}
		if stage != Stage::Dispute && FinalOutcomes::<T>::contains_key(submission, stage.subset()) {
			return None;
		}
		let round = Jobs::<T>::get(submission, stage).map_or(0, |job| job.round);
		Some(Task { challenge, submission, stage, round, digest })
	}

	fn sealed_key(evaluator: &T::AccountId, task: &Task) -> Vec<u8> {
		let mut key = SEALED_PREFIX.to_vec();
		(evaluator, task.submission, task.stage, task.round).encode_to(&mut key);
		key
	}

	/// Keeps a sealed report's outcome and salt until its reveal.
	fn keep_sealed(evaluator: &T::AccountId, task: &Task, outcome: Outcome, salt: [u8; 32]) {
		StorageValueRef::persistent(&Self::sealed_key(evaluator, task)).set(&(outcome, salt));
	}

	/// The outcome and salt of the evaluator's sealed report on a task, if this node sealed it.
	pub fn sealed(evaluator: &T::AccountId, task: &Task) -> Option<(Outcome, [u8; 32])> {
		StorageValueRef::persistent(&Self::sealed_key(evaluator, task)).get().ok().flatten()
	}

	/// The salt and labels to score a stage with. Public scores use the operator's local copy,
	/// checked against the commitment; private scores and recounts only ever use the revealed
	/// labels artifact, fetched from its URI and checked against its digest.
	pub fn labels_for(
		challenge_id: ChallengeId,
		challenge: &ChallengeSummaryOf<T>,
		stage: Stage,
	) -> Result<(Vec<u8>, Vec<u8>), LabelsProblem> {
		if stage != Stage::Public {
			let revealed = challenge.labels.as_ref().ok_or(LabelsProblem::Missing)?;
			let artifact = T::Artifacts::location(&revealed.digest).ok_or(LabelsProblem::RevealedUnavailable)?;
			let labels =
				T::Fetcher::fetch(&artifact.uri, artifact.size).map_err(|_| LabelsProblem::RevealedUnavailable)?;
			if sp_io::hashing::sha2_256(&labels) != revealed.digest.0 {
				return Err(LabelsProblem::RevealedUnavailable);
			}
			return Ok((revealed.salt.clone(), labels));
		}
		let key = labels_storage_key(challenge_id);
		match StorageValueRef::persistent(&key).get::<(Vec<u8>, Vec<u8>)>() {
			Ok(Some((salt, labels))) => {
				let digest = sp_io::hashing::sha2_256(&labels);
				let commitment = merit_metrics::labels_commitment_of_digest(&digest, &salt);
				if commitment != challenge.labels_commitment.0 {
					return Err(LabelsProblem::CommitmentMismatch);
				}
				Ok((salt, labels))
			}
			Err(_) => Err(LabelsProblem::Undecodable),
			Ok(None) => Err(LabelsProblem::Missing),
		}
	}

	fn attempts_key(submission: SubmissionId, stage: Stage) -> Vec<u8> {
		let mut key = ATTEMPTS_PREFIX.to_vec();
		(submission, stage).encode_to(&mut key);
		key
	}

	/// Failed fetches of a submission at a stage so far and the block of the next attempt.
	pub fn fetch_attempts(submission: SubmissionId, stage: Stage) -> Option<(u32, BlockNumberFor<T>)> {
		StorageValueRef::persistent(&Self::attempts_key(submission, stage)).get().ok().flatten()
	}

	/// Fetches, checks and scores one submission. `None` when there is nothing to send yet (a
	/// fetch to retry) or the problem is this evaluator's. A fetch that keeps failing ends in an
	/// abstention after [`FETCH_ATTEMPTS`], or earlier if the round's commitments close before the
	/// next attempt (`commit_closes`).
	fn evaluate(
		task: &Task,
		metric: Metric,
		labels: &[u8],
		split: &merit_metrics::Split<'_>,
		now: BlockNumberFor<T>,
		commit_closes: Option<BlockNumberFor<T>>,
	) -> Option<Verdict> {
		let artifact = T::Artifacts::location(&task.digest)?;
		if artifact.size > T::MaxPredictionsSize::get() {
			return Some(Verdict::Report(Outcome::Failed(FailureReason::TooLarge)));
		}
		let attempts_key = Self::attempts_key(task.submission, task.stage);
		let mut attempts = StorageValueRef::persistent(&attempts_key);
		if let Ok(Some((_, retry_at))) = attempts.get::<(u32, BlockNumberFor<T>)>() {
			if now < retry_at {
				return None;
			}
		}
		let started = sp_io::offchain::timestamp();
		let body = match T::Fetcher::fetch(&artifact.uri, artifact.size) {
			Ok(body) => body,
			Err(FetchError::TooLarge) => return Some(Verdict::Abstain(AbstainReason::HashMismatch)),
			Err(FetchError::UnsupportedUri) => {
				log::warn!(target: LOG_TARGET, "submission {}: this node cannot fetch its URI", task.submission);
				return None;
			}
			Err(e) => {
				let failed = attempts.get::<(u32, BlockNumberFor<T>)>().ok().flatten().map_or(0, |(n, _)| n);
				let failed = failed.saturating_add(1);
				log::info!(target: LOG_TARGET, "submission {}: fetch attempt {failed} failed: {e:?}", task.submission);
				let retry_at = now.saturating_add(FETCH_RETRY_BLOCKS.into());
				if failed >= FETCH_ATTEMPTS || commit_closes.is_some_and(|closes| retry_at >= closes) {
					attempts.clear();
					return Some(Verdict::Abstain(AbstainReason::FetchFailed));
				}
				attempts.set(&(failed, retry_at));
				return None;
			}
		};
		attempts.clear();
		let fetched = sp_io::offchain::timestamp();
		if sp_io::hashing::sha2_256(&body) != task.digest.0 {
			return Some(Verdict::Abstain(AbstainReason::HashMismatch));
		}
		let hashed = sp_io::offchain::timestamp();
		let outcome = match merit_metrics::score(metric, labels, &body, split) {
			Ok(score) => Outcome::Scored(score),
			Err(e) => Outcome::Failed(FailureReason::Unparsable(e)),
		};
		let scored = sp_io::offchain::timestamp();
		// Operators (and `scripts/bench ocw`) read the cost of each step from this line.
		log::info!(
			target: LOG_TARGET,
			"submission {} ({:?}): {} bytes fetched in {} ms, sha256 in {} ms, scored in {} ms: {:?}",
			task.submission,
			task.stage,
			body.len(),
			fetched.diff(&started).millis(),
			hashed.diff(&fetched).millis(),
			scored.diff(&hashed).millis(),
			outcome,
		);
		Some(Verdict::Report(outcome))
	}
}
