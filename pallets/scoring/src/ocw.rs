//! The evaluator's off-chain worker: find the work, fetch, check, score, report.
use crate::{labels_storage_key, pallet::*, FailureReason, FetchArtifact, FetchError, Outcome};
use alloc::{vec, vec::Vec};
use codec::Encode;
use frame_support::traits::Get;
use frame_system::{
	offchain::{SendSignedTransaction, Signer},
	pallet_prelude::BlockNumberFor,
};
use merit_metrics::{Metric, Subset};
use merit_primitives::{ArtifactRegistry, ChallengeId, ChallengeInspect, ChallengeState, SubmissionId};
use polkadot_sdk::{frame_support, frame_system, sp_io, sp_runtime};
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
/// Prefix of the local count of failed fetches of a submission.
pub const ATTEMPTS_PREFIX: &[u8] = b"merit::scoring::fetch-attempts::";
/// Fetch attempts (in distinct worker runs) before a submission is reported as
/// [`FailureReason::FetchFailed`]: one transient network problem must not cost a bond.
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
	/// Nothing under [`labels_storage_key`], and the labels are not revealed.
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
	/// Which rows to score.
	pub subset: Subset,
	/// The predictions artifact.
	pub digest: merit_primitives::Digest,
}

impl<T: Config> Pallet<T> {
	/// One worker run: returns how many reports were sent to the pool.
	pub fn run_evaluator(now: BlockNumberFor<T>) -> Result<u32, &'static str> {
		let (account, evaluator) = Self::local_evaluator().ok_or("no registered evaluator key in the keystore")?;
		let mut lock = StorageLock::<BlockAndTime<frame_system::Pallet<T>>>::with_block_and_time_deadline(
			LOCK_KEY,
			LOCK_BLOCKS,
			Duration::from_millis(LOCK_MILLIS),
		);
		let _guard = lock.try_lock().map_err(|_| "another worker run holds the lock")?;

		// The signer takes the nonce from chain state: while an earlier batch waits for
		// inclusion, a new one would reuse its nonces (and resend its reports).
		let chain_nonce = frame_system::Pallet::<T>::account_nonce(&account.id);
		let mut in_flight_key = IN_FLIGHT_PREFIX.to_vec();
		account.id.encode_to(&mut in_flight_key);
		let in_flight = StorageValueRef::persistent(&in_flight_key);
		if let Ok(Some((expected, until))) = in_flight.get::<(T::Nonce, BlockNumberFor<T>)>() {
			if chain_nonce < expected && now < until {
				return Err("an earlier batch of reports is not included yet");
			}
		}

		let signer = Signer::<T, <T as Config>::AuthorityId>::all_accounts().with_filter(vec![account.public.clone()]);
		let mut posted = 0u32;
		for (task, outcome) in Self::evaluate_pending(&evaluator, now) {
			let call = Call::<T>::post_score { submission: task.submission, subset: task.subset, outcome };
			match signer.send_single_signed_transaction(&account, call) {
				Some(Ok(())) => posted = posted.saturating_add(1),
				_ => log::warn!(target: LOG_TARGET, "could not submit the report on submission {}", task.submission),
			}
		}
		if posted > 0 {
			let until = now.saturating_add(IN_FLIGHT_BLOCKS.into());
			in_flight.set(&(chain_nonce.saturating_add(posted.into()), until));
		}
		Ok(posted)
	}

	/// The first key in the keystore that belongs to a registered evaluator that is not
	/// leaving, with that evaluator.
	pub fn local_evaluator() -> Option<(frame_system::offchain::Account<T>, T::AccountId)> {
		Signer::<T, <T as Config>::AuthorityId>::keystore_accounts().find_map(|account| {
			let evaluator = EvaluatorKeys::<T>::get(&account.id)?;
			let info = Evaluators::<T>::get(&evaluator)?;
			info.leaving_until.is_none().then_some((account, evaluator))
		})
	}

	/// Finds up to `MaxScoresPerRun` submissions the evaluator has not reported on and
	/// evaluates them; returns the outcomes to post (fetch failures being retried and
	/// evaluator-side problems are left out).
	pub fn evaluate_pending(evaluator: &T::AccountId, now: BlockNumberFor<T>) -> Vec<(Task, Outcome)> {
		let mut budget = T::MaxScoresPerRun::get();
		let mut results = Vec::new();
		for (challenge_id, challenge) in
			T::Challenges::live_challenges().into_iter().filter_map(|id| Some((id, T::Challenges::challenge(id)?)))
		{
			if budget == 0 {
				break;
			}
			let subset = match challenge.state {
				ChallengeState::Open => Subset::Public,
				ChallengeState::Closed | ChallengeState::LabelsRevealed => Subset::Private,
				_ => continue,
			};
			let tasks = Self::tasks_of(challenge_id, subset, evaluator, now, budget);
			if tasks.is_empty() {
				continue;
			}
			let (salt, labels) = match Self::labels_for(challenge_id, &challenge) {
				Ok(found) => found,
				Err(problem) => {
					log::warn!(target: LOG_TARGET, "challenge {challenge_id}: no usable labels ({problem:?})");
					continue;
				}
			};
			let ppb = challenge.public_share.deconstruct();
			for task in tasks {
				budget = budget.saturating_sub(1);
				let split = match subset {
					Subset::Public => merit_metrics::Split::public(&salt, ppb),
					_ => merit_metrics::Split::private(&salt, ppb),
				};
				if let Some(outcome) = Self::evaluate(&task, challenge.metric, &labels, &split, now) {
					results.push((task, outcome));
				}
			}
		}
		results
	}

	/// Revealed submissions of a challenge without a final outcome and without this
	/// evaluator's report, whose next fetch attempt is due; at most `limit`.
	fn tasks_of(
		challenge: ChallengeId,
		subset: Subset,
		evaluator: &T::AccountId,
		now: BlockNumberFor<T>,
		limit: u32,
	) -> Vec<Task> {
		let mut tasks = Vec::new();
		for submission in T::Challenges::submissions(challenge) {
			if tasks.len() as u32 >= limit {
				break;
			}
			let Some(record) = T::Challenges::submission(submission) else { continue };
			let Some(digest) = record.content.revealed() else { continue };
			if FinalOutcomes::<T>::contains_key(submission, subset)
				|| Reports::<T>::get(submission, subset).iter().any(|(e, _)| e == evaluator)
			{
				continue;
			}
			if let Some((_, retry_at)) = Self::fetch_attempts(submission, subset) {
				if now < retry_at {
					continue;
				}
			}
			tasks.push(Task { challenge, submission, subset, digest });
		}
		tasks
	}

	/// The salt and labels to score a challenge with: the operator's local copy, checked
	/// against the commitment, or (once revealed) the labels artifact fetched from its URI.
	pub fn labels_for(
		challenge_id: ChallengeId,
		challenge: &ChallengeSummaryOf<T>,
	) -> Result<(Vec<u8>, Vec<u8>), LabelsProblem> {
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
			Ok(None) => {
				let revealed = challenge.labels.as_ref().ok_or(LabelsProblem::Missing)?;
				let artifact = T::Artifacts::location(&revealed.digest).ok_or(LabelsProblem::RevealedUnavailable)?;
				let labels =
					T::Fetcher::fetch(&artifact.uri, artifact.size).map_err(|_| LabelsProblem::RevealedUnavailable)?;
				if sp_io::hashing::sha2_256(&labels) != revealed.digest.0 {
					return Err(LabelsProblem::RevealedUnavailable);
				}
				Ok((revealed.salt.clone(), labels))
			}
		}
	}

	fn attempts_key(submission: SubmissionId, subset: Subset) -> Vec<u8> {
		let mut key = ATTEMPTS_PREFIX.to_vec();
		(submission, subset).encode_to(&mut key);
		key
	}

	/// Failed fetches of a submission's subset so far and the block of the next attempt.
	pub fn fetch_attempts(submission: SubmissionId, subset: Subset) -> Option<(u32, BlockNumberFor<T>)> {
		StorageValueRef::persistent(&Self::attempts_key(submission, subset)).get().ok().flatten()
	}

	/// Fetches, checks and scores one submission. `None` when there is nothing to report
	/// yet (a fetch to retry) or the problem is this evaluator's.
	fn evaluate(
		task: &Task,
		metric: Metric,
		labels: &[u8],
		split: &merit_metrics::Split<'_>,
		now: BlockNumberFor<T>,
	) -> Option<Outcome> {
		let artifact = T::Artifacts::location(&task.digest)?;
		if artifact.size > T::MaxPredictionsSize::get() {
			return Some(Outcome::Failed(FailureReason::TooLarge));
		}
		let attempts_key = Self::attempts_key(task.submission, task.subset);
		let mut attempts = StorageValueRef::persistent(&attempts_key);
		let started = sp_io::offchain::timestamp();
		let body = match T::Fetcher::fetch(&artifact.uri, artifact.size) {
			Ok(body) => body,
			Err(FetchError::TooLarge) => return Some(Outcome::Failed(FailureReason::HashMismatch)),
			Err(FetchError::UnsupportedUri) => {
				log::warn!(target: LOG_TARGET, "submission {}: this node cannot fetch its URI", task.submission);
				return None;
			}
			Err(e) => {
				let failed = attempts.get::<(u32, BlockNumberFor<T>)>().ok().flatten().map_or(0, |(n, _)| n);
				let failed = failed.saturating_add(1);
				log::info!(target: LOG_TARGET, "submission {}: fetch attempt {failed} failed: {e:?}", task.submission);
				if failed >= FETCH_ATTEMPTS {
					attempts.clear();
					return Some(Outcome::Failed(FailureReason::FetchFailed));
				}
				attempts.set(&(failed, now.saturating_add(FETCH_RETRY_BLOCKS.into())));
				return None;
			}
		};
		attempts.clear();
		let fetched = sp_io::offchain::timestamp();
		if sp_io::hashing::sha2_256(&body) != task.digest.0 {
			return Some(Outcome::Failed(FailureReason::HashMismatch));
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
			task.subset,
			body.len(),
			fetched.diff(&started).millis(),
			hashed.diff(&fetched).millis(),
			scored.diff(&hashed).millis(),
			outcome,
		);
		Some(outcome)
	}
}
