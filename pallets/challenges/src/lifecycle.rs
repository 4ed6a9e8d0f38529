//! The lifecycle's steps behind the calls and hooks, and the traits other pallets use.
use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use codec::Encode;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::{InspectHold, MutateHold},
		tokens::{Fortitude, Precision},
	},
	BoundedVec,
};
use frame_system::pallet_prelude::BlockNumberFor;
use merit_primitives::{
	ArtifactClaim, ArtifactKind, ArtifactRegistry, BoardKeeper, ChallengeInspect, ChallengeLifecycle, ChallengeSummary,
	EntrantMerge, OnSubmission, Outcome, OutcomeInspect, PrizePool, SubmissionSummary, Subset, TeamInspect,
};
use polkadot_sdk::{frame_support, frame_system, sp_core::H256, sp_runtime};
use sp_runtime::{
	traits::{CheckedDiv, Saturating, Zero},
	DispatchError, DispatchResult, Perbill,
};

impl<T: Config> Pallet<T> {
	/// `sha256(labels_digest ‖ salt)`: the commitment a challenge's owner publishes.
	pub fn labels_commitment(labels: &Digest, salt: &[u8]) -> H256 {
		H256(merit_primitives::labels_commitment_of_digest(&labels.0, salt))
	}

	/// `sha256(digest ‖ salt ‖ SCALE(account))`: a sealed submission's commitment.
	pub fn submission_commitment(digest: &Digest, salt: &[u8], author: &T::AccountId) -> H256 {
		H256(merit_primitives::submission_commitment(&digest.0, salt, &author.encode()))
	}

	pub(crate) fn validated_challenge(
		owner: &T::AccountId,
		params: ChallengeParamsOf<T>,
		now: BlockNumberFor<T>,
	) -> Result<(ChallengeSpec<T>, Description<T>), DispatchError> {
		let title: BoundedVec<u8, T::MaxTitleLength> = params.title.try_into().map_err(|_| Error::<T>::BadTitle)?;
		ensure!(!title.is_empty(), Error::<T>::BadTitle);
		let description = match params.description {
			DescriptionInput::Text(text) => {
				ensure!(!text.is_empty(), Error::<T>::BadDescription);
				Description::Text(text.try_into().map_err(|_| Error::<T>::BadDescription)?)
			}
			DescriptionInput::Artifact(digest) => {
				Self::ensure_artifact_kind(&digest, ArtifactKind::Report)?;
				Description::Artifact(digest)
			}
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
		ensure!(
			reveal_deadline.saturating_sub(earliest_labels_reveal) <= T::MaxRevealPeriod::get(),
			Error::<T>::RevealPeriodTooLong
		);

		let limits = params.limits;
		ensure!(limits.per_day >= 1 && limits.per_day <= limits.total, Error::<T>::BadLimits);
		ensure!(params.quorum >= 1 && params.quorum <= T::MaxQuorum::get(), Error::<T>::BadQuorum);
		ensure!(
			params.prize_pool.is_zero() || params.quorum >= T::MinQuorumWithPrize::get(),
			Error::<T>::QuorumTooSmall
		);
		// A challenge without prizes (a development phase) holds `MinPrizePool` as a deposit
		// instead, so challenges stay as expensive to spam.
		ensure!(
			params.prize_pool.is_zero() || params.prize_pool >= T::MinPrizePool::get(),
			Error::<T>::PrizePoolTooSmall
		);
		if let Some(previous) = params.previous_phase {
			let earlier = ChallengeSpecs::<T>::get(previous).ok_or(Error::<T>::UnknownPreviousPhase)?;
			let earlier_status = ChallengeStatuses::<T>::get(previous).ok_or(Error::<T>::UnknownPreviousPhase)?;
			ensure!(&earlier.owner == owner, Error::<T>::PhaseOfAnotherOwner);
			ensure!(earlier_status.state.is_live(), Error::<T>::PreviousPhaseEnded);
			ensure!(!NextPhase::<T>::contains_key(previous), Error::<T>::PhaseAlreadyFollowed);
			ensure!(earlier.schedule.open_until < open_until, Error::<T>::PhasesOutOfOrder);
			let mut phases = 2u32;
			let mut cursor = earlier.previous_phase;
			while let Some(id) = cursor {
				phases = phases.saturating_add(1);
				ensure!(phases <= T::MaxPhases::get(), Error::<T>::TooManyPhases);
				cursor = ChallengeSpecs::<T>::get(id).and_then(|spec| spec.previous_phase);
			}
			ensure!(phases <= T::MaxPhases::get(), Error::<T>::TooManyPhases);
		}
		ensure!(
			params.final_selections >= 1 && params.final_selections <= T::MaxFinalSelections::get(),
			Error::<T>::BadFinalSelections
		);
		let teams = params.teams;
		ensure!(teams.max_size >= 1 && teams.max_size <= T::Teams::max_team_size(), Error::<T>::BadTeamRules);
		ensure!(teams.merge_until <= open_until, Error::<T>::BadTeamRules);

		let spec = ChallengeSpec {
			owner: owner.clone(),
			title,
			training_data,
			metric: params.metric,
			labels_commitment: params.labels_commitment,
			public_share: params.public_share,
			schedule: params.schedule,
			limits,
			quorum: params.quorum,
			prize_pool: params.prize_pool,
			mode: params.mode,
			created_at: now,
			final_selections: params.final_selections,
			teams,
			previous_phase: params.previous_phase,
		};
		Ok((spec, description))
	}

	/// The artifacts a challenge pins for its whole life.
	pub(crate) fn pinned_artifacts(spec: &ChallengeSpec<T>, description: &Description<T>) -> Vec<Digest> {
		let mut pinned = spec.training_data.to_vec();
		if let Description::Artifact(digest) = description {
			pinned.push(*digest);
		}
		pinned
	}

	/// Ends what a challenge holds while it lives: the deposit of a challenge without prizes goes
	/// back to its owner (`kept`), or is burnt when the owner broke its promise to reveal the
	/// labels; then the pins are released ([`Self::unpin_challenge_artifacts`]).
	pub(crate) fn end_holdings(challenge: ChallengeId, kept: bool) {
		if let (Some(amount), Some(spec)) =
			(ChallengeDeposits::<T>::take(challenge), ChallengeSpecs::<T>::get(challenge))
		{
			let reason: T::RuntimeHoldReason = HoldReason::ChallengeDeposit.into();
			let _ = if kept {
				T::Currency::release(&reason, &spec.owner, amount, Precision::BestEffort).map(|_| ())
			} else {
				T::Currency::burn_held(&reason, &spec.owner, amount, Precision::BestEffort, Fortitude::Force)
					.map(|_| ())
			};
			Self::deposit_event(Event::ChallengeDepositSettled { challenge, amount, returned: kept });
		}
		Self::unpin_challenge_artifacts(challenge);
	}

	/// Releases the pins a challenge holds while it lives (its training data and description
	/// artifact), so another owner's dataset named as training data is locked only that long.
	/// Returns how many it released.
	pub(crate) fn unpin_challenge_artifacts(challenge: ChallengeId) -> u32 {
		let (Some(spec), Some(description)) = (ChallengeSpecs::<T>::get(challenge), Descriptions::<T>::get(challenge))
		else {
			return 0;
		};
		let pinned = Self::pinned_artifacts(&spec, &description);
		for digest in pinned.iter() {
			T::Artifacts::remove_reference(digest);
		}
		pinned.len() as u32
	}

	/// What linking a phase and holding a deposit add to a creation beyond what the benchmark
	/// measured: walking up to `MaxPhases` earlier phases, the link, the hold.
	pub(crate) fn phase_weight() -> Weight {
		T::DbWeight::get().reads_writes(u64::from(T::MaxPhases::get()).saturating_add(4), 4)
	}

	/// The most [`Self::end_holdings`] uses beyond what the benchmarks measured: the pins, and
	/// a deposit's release (its record, the spec, the owner's holds and account).
	pub(crate) fn unpin_weight() -> Weight {
		let pins = u64::from(T::MaxTrainingArtifacts::get()).saturating_add(1);
		T::DbWeight::get().reads_writes(pins.saturating_add(6), pins.saturating_add(3))
	}

	pub(crate) fn ensure_artifact_kind(digest: &Digest, kind: ArtifactKind) -> DispatchResult {
		let (_, actual) = T::Artifacts::artifact(digest).ok_or(Error::<T>::UnknownArtifact)?;
		ensure!(actual == kind, Error::<T>::WrongArtifactKind);
		Ok(())
	}

	/// An open challenge's spec and status; `mode`, if given, must be the challenge's.
	pub(crate) fn open_challenge(
		challenge: ChallengeId,
		mode: Option<SubmissionMode>,
	) -> Result<(ChallengeSpec<T>, ChallengeStatus<T>), DispatchError> {
		let spec = ChallengeSpecs::<T>::get(challenge).ok_or(Error::<T>::UnknownChallenge)?;
		let status = ChallengeStatuses::<T>::get(challenge).ok_or(Error::<T>::UnknownChallenge)?;
		ensure!(status.state == ChallengeState::Open, Error::<T>::ChallengeNotOpen);
		ensure!(mode.is_none_or(|mode| spec.mode == mode), Error::<T>::WrongSubmissionMode);
		// Phases run in order: a later phase opens once the one before it has closed.
		if let Some(previous) = spec.previous_phase {
			let earlier = ChallengeStatuses::<T>::get(previous).map(|s| s.state);
			ensure!(earlier != Some(ChallengeState::Open), Error::<T>::PhaseNotStarted);
		}
		Ok((spec, status))
	}

	/// Whether a committed submission of this challenge can still be revealed now.
	pub(crate) fn reveal_open(spec: &ChallengeSpec<T>, state: ChallengeState, now: BlockNumberFor<T>) -> bool {
		match spec.mode {
			SubmissionMode::Open => state == ChallengeState::Open,
			SubmissionMode::Sealed => {
				matches!(state, ChallengeState::Open | ChallengeState::Closed) && now < Self::reveal_period_end(spec)
			}
		}
	}

	/// Whether a submission's deposit goes back to its author (`true`) or is burnt (`false`), or
	/// [`Error::DepositNotDue`] while it may still be revealed or scored.
	pub(crate) fn deposit_comes_back(submission: SubmissionId, record: &Submission<T>) -> Result<bool, DispatchError> {
		let spec = ChallengeSpecs::<T>::get(record.challenge).ok_or(Error::<T>::UnknownChallenge)?;
		let status = ChallengeStatuses::<T>::get(record.challenge).ok_or(Error::<T>::UnknownChallenge)?;
		let now = frame_system::Pallet::<T>::block_number();
		match record.content {
			SubmissionContent::Committed(_) => {
				ensure!(!Self::reveal_open(&spec, status.state, now), Error::<T>::DepositNotDue);
				// Never revealed: a commitment that only took a place, or a sybil's.
				Ok(false)
			}
			// Its digest belongs to an earlier submission: nothing new to score.
			SubmissionContent::Duplicate { .. } => Ok(false),
			SubmissionContent::Revealed(_) => {
				let outcomes = [Subset::Public, Subset::Private].map(|s| T::Outcomes::final_outcome(submission, s));
				if outcomes.iter().any(|o| matches!(o, Some(Outcome::Scored(_)))) {
					return Ok(true);
				}
				if outcomes.iter().any(|o| matches!(o, Some(Outcome::Failed(_)))) {
					// Unavailable, malformed or junk: evaluators worked for nothing.
					return Ok(false);
				}
				match status.state {
					// The owner never revealed the labels, or the evaluators never agreed on an
					// outcome (an unfetchable or junk file has a final `Failed` one): either way
					// not the author's doing.
					ChallengeState::Cancelled(_) | ChallengeState::Finalized => Ok(true),
					_ => Err(Error::<T>::DepositNotDue.into()),
				}
			}
		}
	}

	/// The first block at which sealed submissions can no longer be revealed.
	pub(crate) fn reveal_period_end(spec: &ChallengeSpec<T>) -> BlockNumberFor<T> {
		spec.schedule.open_until.saturating_add(T::SubmissionRevealPeriod::get())
	}

	/// Checks lineage and limits, then stores a new submission and counts it.
	pub(crate) fn record_submission(
		spec: &ChallengeSpec<T>,
		mut status: ChallengeStatus<T>,
		challenge_id: ChallengeId,
		author: &T::AccountId,
		content: SubmissionContent,
		parents: Vec<SubmissionId>,
		previous_version: Option<SubmissionId>,
	) -> Result<SubmissionId, DispatchError> {
		let parents: BoundedVec<SubmissionId, T::MaxParents> =
			parents.try_into().map_err(|_| Error::<T>::TooManyParents)?;
		// Limits, lineage and selections are the entrant's: a team's, whoever of it signed.
		let entrant = T::Teams::entrant(challenge_id, author);
		let mut parent_authors = Vec::with_capacity(parents.len());
		for (i, parent) in parents.iter().enumerate() {
			ensure!(!parents[..i].contains(parent), Error::<T>::BadParent);
			let parent_record = Submissions::<T>::get(parent).ok_or(Error::<T>::BadParent)?;
			ensure!(parent_record.challenge == challenge_id, Error::<T>::BadParent);
			ensure!(
				T::Teams::entrant(challenge_id, &parent_record.author) != entrant,
				Error::<T>::ParentIsOwnSubmission
			);
			parent_authors.push((*parent, parent_record.author));
		}
		if let Some(previous) = previous_version {
			let previous_record = Submissions::<T>::get(previous).ok_or(Error::<T>::BadPreviousVersion)?;
			ensure!(
				previous_record.challenge == challenge_id
					&& T::Teams::entrant(challenge_id, &previous_record.author) == entrant,
				Error::<T>::BadPreviousVersion
			);
		}

		let now = frame_system::Pallet::<T>::block_number();
		let day: u32 = now
			.checked_div(&T::BlocksPerDay::get())
			.unwrap_or_default()
			.try_into()
			.map_err(|_| Error::<T>::Overflow)?;
		let existing = Participations::<T>::get(challenge_id, &entrant);
		let mut participation = existing.unwrap_or_default();
		if participation.day != day {
			participation.day = day;
			participation.today = 0;
		}
		ensure!(participation.total < spec.limits.total, Error::<T>::TotalLimitReached);
		ensure!(participation.today < spec.limits.per_day, Error::<T>::DailyLimitReached);
		participation.total = participation.total.checked_add(1).ok_or(Error::<T>::Overflow)?;
		participation.today = participation.today.checked_add(1).ok_or(Error::<T>::Overflow)?;

		let id = NextSubmissionId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let deposit = T::SubmissionDeposit::get();
		if !deposit.is_zero() {
			T::Currency::hold(&HoldReason::SubmissionDeposit.into(), author, deposit)
				.map_err(|_| Error::<T>::InsufficientBalanceForDeposit)?;
			SubmissionDeposits::<T>::insert(id, deposit);
		}
		T::OnSubmission::on_submission(id, challenge_id, author, &parent_authors, previous_version)?;
		ChallengeSubmissions::<T>::try_append(challenge_id, id).map_err(|_| Error::<T>::ChallengeFull)?;
		if content.revealed().is_some() {
			RevealedCounts::<T>::mutate(challenge_id, |n| *n = n.saturating_add(1));
		}
		if existing.is_none() {
			status.participants = status.participants.checked_add(1).ok_or(Error::<T>::Overflow)?;
			ChallengeStatuses::<T>::insert(challenge_id, status);
		}
		Participations::<T>::insert(challenge_id, &entrant, participation);
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

	pub(crate) fn do_reveal_submission(
		author: T::AccountId,
		submission: SubmissionId,
		claim: ArtifactClaim,
		salt: Vec<u8>,
	) -> DispatchResult {
		let predictions = claim.digest;
		let mut record = Submissions::<T>::get(submission).ok_or(Error::<T>::UnknownSubmission)?;
		ensure!(record.author == author, Error::<T>::NotAuthor);
		let SubmissionContent::Committed(commitment) = record.content else {
			return Err(Error::<T>::AlreadyRevealed.into());
		};
		let spec = ChallengeSpecs::<T>::get(record.challenge).ok_or(Error::<T>::UnknownChallenge)?;
		let status = ChallengeStatuses::<T>::get(record.challenge).ok_or(Error::<T>::UnknownChallenge)?;
		let now = frame_system::Pallet::<T>::block_number();
		match spec.mode {
			SubmissionMode::Open => ensure!(status.state == ChallengeState::Open, Error::<T>::ChallengeNotOpen),
			SubmissionMode::Sealed => {
				ensure!(status.state == ChallengeState::Closed, Error::<T>::ChallengeNotClosed);
				ensure!(now < Self::reveal_period_end(&spec), Error::<T>::RevealPeriodOver);
			}
		}
		ensure!(salt.len() <= T::MaxSaltLength::get() as usize, Error::<T>::SaltTooLong);
		ensure!(
			Self::submission_commitment(&predictions, &salt, &author) == commitment,
			Error::<T>::CommitmentMismatch
		);
		// The commitment, which contains the author's account, proves this author held these
		// predictions since `submitted_at`; the digest was hidden until it could first be
		// revealed (the commitment's block in an open challenge, the close in a sealed one). A
		// registration by anyone else from then on may be a copy of this transaction's digest and
		// yields to the claim; an earlier one (a public file registered before it could leak
		// from here) is used as it is, so a commitment to a public file's digest cannot take over
		// its registration.
		let exposed_from = match spec.mode {
			SubmissionMode::Open => record.submitted_at,
			SubmissionMode::Sealed => record.submitted_at.max(spec.schedule.open_until),
		};
		T::Artifacts::claim(&author, ArtifactKind::Predictions, claim, Some(exposed_from))?;

		match SubmittedDigests::<T>::get(record.challenge, predictions) {
			// An earlier commitment already revealed this digest: it keeps priority.
			Some(holder) if holder < submission => return Err(Error::<T>::DuplicateSubmission.into()),
			Some(later) => {
				Submissions::<T>::mutate(later, |later_record| {
					if let Some(later_record) = later_record {
						later_record.content = SubmissionContent::Duplicate { digest: predictions, of: submission };
						RevealedCounts::<T>::mutate(later_record.challenge, |n| *n = n.saturating_sub(1));
						T::Boards::superseded(later_record.challenge, later, &later_record.author);
					}
				});
				Self::deposit_event(Event::SubmissionSuperseded {
					challenge: record.challenge,
					submission: later,
					by: submission,
				});
			}
			None => T::Artifacts::add_reference(&predictions)?,
		}
		SubmittedDigests::<T>::insert(record.challenge, predictions, submission);
		record.content = SubmissionContent::Revealed(predictions);
		let challenge_id = record.challenge;
		RevealedCounts::<T>::mutate(challenge_id, |n| *n = n.saturating_add(1));
		Submissions::<T>::insert(submission, record);
		Self::deposit_event(Event::SubmissionRevealed { challenge: challenge_id, submission, digest: predictions });
		Ok(())
	}

	pub(crate) fn do_reveal_labels(
		who: T::AccountId,
		challenge: ChallengeId,
		claim: ArtifactClaim,
		salt: Vec<u8>,
	) -> DispatchResult {
		let labels = claim.digest;
		let spec = ChallengeSpecs::<T>::get(challenge).ok_or(Error::<T>::UnknownChallenge)?;
		let mut status = ChallengeStatuses::<T>::get(challenge).ok_or(Error::<T>::UnknownChallenge)?;
		ensure!(spec.owner == who, Error::<T>::NotOwner);
		ensure!(status.state == ChallengeState::Closed, Error::<T>::ChallengeNotClosed);
		let now = frame_system::Pallet::<T>::block_number();
		if spec.mode == SubmissionMode::Sealed {
			ensure!(now >= Self::reveal_period_end(&spec), Error::<T>::RevealPeriodNotOver);
		}
		let salt: BoundedVec<u8, T::MaxSaltLength> = salt.try_into().map_err(|_| Error::<T>::SaltTooLong)?;
		ensure!(
			Self::labels_commitment(&labels, &salt) == spec.labels_commitment,
			Error::<T>::LabelsCommitmentMismatch
		);
		// The commitment at creation proves the owner held the labels; their digest can leak only
		// from the reveal, which the close allows at the earliest. A registration from then on
		// may be a squatter's and yields to the claim; an earlier one is used as it is.
		T::Artifacts::claim(&who, ArtifactKind::Labels, claim, Some(spec.schedule.open_until))?;
		// The registered size (an earlier registration's, if it was used as it is).
		let size = T::Artifacts::location(&labels).map_or(u64::MAX, |artifact| artifact.size);
		ensure!(size <= T::MaxLabelsSize::get(), Error::<T>::LabelsTooLarge);
		T::Artifacts::add_reference(&labels)?;

		RevealDeadlineAt::<T>::mutate(spec.schedule.reveal_deadline, |ids| ids.retain(|id| *id != challenge));
		T::Pool::labels_revealed(challenge)?;
		status.labels = Some(RevealedLabels { digest: labels, salt });
		status.state = ChallengeState::LabelsRevealed;
		ChallengeStatuses::<T>::insert(challenge, status);
		Self::deposit_event(Event::LabelsRevealed { challenge, labels });
		Ok(())
	}

	/// The hook's closing step.
	pub(crate) fn close(challenge: ChallengeId) {
		ChallengeStatuses::<T>::mutate(challenge, |status| {
			if let Some(status) = status {
				if status.state == ChallengeState::Open {
					status.state = ChallengeState::Closed;
					Self::deposit_event(Event::ChallengeClosed { challenge });
				}
			}
		});
	}

	/// The hook's reveal-deadline step: the owner broke their promise, so the pool goes to the
	/// participants (without participants, back to the owner).
	pub(crate) fn expire(challenge: ChallengeId) {
		let Some(mut status) = ChallengeStatuses::<T>::get(challenge) else { return };
		if status.state != ChallengeState::Closed {
			return;
		}
		let settlement = T::Pool::abandon(challenge);
		Self::end_holdings(challenge, false);
		status.state = ChallengeState::Cancelled(CancelReason::MissedLabelsReveal);
		ChallengeStatuses::<T>::insert(challenge, status);
		LiveChallenges::<T>::remove(challenge);
		Self::deposit_event(Event::ChallengeCancelled {
			challenge,
			reason: CancelReason::MissedLabelsReveal,
			released: settlement.released,
			scored_submissions: settlement.scored_submissions,
			refund_per_scored_submission: settlement.refund_per_scored_submission,
		});
	}

	/// Invariants: every challenge has a spec, a status and a description; the live index holds
	/// exactly the live challenges and stays within its bound; submissions and their index agree.
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let mut live = 0u32;
		for (id, status) in ChallengeStatuses::<T>::iter() {
			ensure!(ChallengeSpecs::<T>::contains_key(id), "a challenge status without a spec");
			ensure!(Descriptions::<T>::contains_key(id), "a challenge without a description");
			ensure!(
				status.state.is_live() == LiveChallenges::<T>::contains_key(id),
				"the live index disagrees with a challenge's state"
			);
			live = live.saturating_add(u32::from(status.state.is_live()));
			ensure!(
				status.labels.is_some()
					== matches!(status.state, ChallengeState::LabelsRevealed | ChallengeState::Finalized),
				"revealed labels disagree with the state"
			);
			let mut revealed = 0u32;
			for submission in ChallengeSubmissions::<T>::get(id).iter() {
				let stored = Submissions::<T>::get(submission).ok_or("an indexed submission is missing")?;
				ensure!(stored.challenge == id, "a submission is indexed under another challenge");
				revealed = revealed.saturating_add(u32::from(stored.content.revealed().is_some()));
			}
			ensure!(RevealedCounts::<T>::get(id) == revealed, "a challenge's count of revealed submissions is wrong");
		}
		ensure!(
			ChallengeSpecs::<T>::iter_keys().count() == ChallengeStatuses::<T>::iter_keys().count(),
			"a spec without a status"
		);
		ensure!(live == LiveChallenges::<T>::count(), "the live index counts more challenges than are live");
		let mut deposits: alloc::collections::BTreeMap<T::AccountId, BalanceOf<T>> = Default::default();
		for (submission, amount) in SubmissionDeposits::<T>::iter() {
			let record = Submissions::<T>::get(submission).ok_or("a deposit of a missing submission")?;
			let sum = deposits.entry(record.author).or_insert_with(Zero::zero);
			*sum = sum.saturating_add(amount);
		}
		for (author, sum) in deposits {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::SubmissionDeposit.into(), &author) == sum,
				"held submission deposits differ from the author's recorded deposits"
			);
		}
		ensure!(live <= T::MaxLiveChallenges::get(), "more live challenges than MaxLiveChallenges");
		let mut challenge_deposits: alloc::collections::BTreeMap<T::AccountId, BalanceOf<T>> = Default::default();
		for (challenge, amount) in ChallengeDeposits::<T>::iter() {
			let spec = ChallengeSpecs::<T>::get(challenge).ok_or("a deposit of a missing challenge")?;
			ensure!(spec.prize_pool.is_zero(), "a challenge with prizes holds a deposit");
			let state = ChallengeStatuses::<T>::get(challenge).map(|s| s.state);
			ensure!(state.is_some_and(|s| s.is_live()), "an ended challenge still holds its deposit");
			let sum = challenge_deposits.entry(spec.owner).or_insert_with(Zero::zero);
			*sum = sum.saturating_add(amount);
		}
		for (owner, sum) in challenge_deposits {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::ChallengeDeposit.into(), &owner) == sum,
				"held challenge deposits differ from the recorded ones"
			);
		}
		for (earlier, later) in NextPhase::<T>::iter() {
			let spec = ChallengeSpecs::<T>::get(later).ok_or("a next phase that does not exist")?;
			ensure!(spec.previous_phase == Some(earlier), "a next phase that names another previous phase");
			let first = ChallengeSpecs::<T>::get(earlier).ok_or("a phase after a missing challenge")?;
			ensure!(first.owner == spec.owner, "phases of different owners");
			ensure!(first.schedule.open_until < spec.schedule.open_until, "phases that close out of order");
		}
		for (challenge, author, selection) in FinalSelections::<T>::iter() {
			let spec = ChallengeSpecs::<T>::get(challenge).ok_or("final selections for a missing challenge")?;
			ensure!(!selection.is_empty(), "an empty final selection is stored");
			ensure!(selection.len() as u32 <= spec.final_selections, "more final selections than the challenge allows");
			for (i, submission) in selection.iter().enumerate() {
				ensure!(!selection[..i].contains(submission), "a submission selected twice");
				let record = Submissions::<T>::get(submission).ok_or("a selected submission is missing")?;
				ensure!(record.challenge == challenge, "a selected submission of another challenge");
				ensure!(
					T::Teams::entrant(challenge, &record.author) == author,
					"a selected submission of another entrant"
				);
			}
		}
		Ok(())
	}
}

impl<T: Config> ChallengeInspect<T::AccountId, BlockNumberFor<T>> for Pallet<T> {
	fn challenge(id: ChallengeId) -> Option<ChallengeSummary<T::AccountId, BlockNumberFor<T>>> {
		let spec = ChallengeSpecs::<T>::get(id)?;
		let status = ChallengeStatuses::<T>::get(id)?;
		Some(ChallengeSummary {
			owner: spec.owner,
			metric: spec.metric,
			public_share: spec.public_share,
			quorum: spec.quorum,
			mode: spec.mode,
			schedule: spec.schedule,
			labels_commitment: spec.labels_commitment,
			state: status.state,
			labels: status
				.labels
				.map(|l| merit_primitives::RevealedLabels { digest: l.digest, salt: l.salt.into_inner() }),
			final_selections: spec.final_selections,
			teams: spec.teams,
		})
	}

	fn title(id: ChallengeId) -> Option<Vec<u8>> {
		ChallengeSpecs::<T>::get(id).map(|spec| spec.title.into_inner())
	}

	fn submission(id: SubmissionId) -> Option<SubmissionSummary<T::AccountId, BlockNumberFor<T>>> {
		Submissions::<T>::get(id).map(|s| SubmissionSummary {
			challenge: s.challenge,
			entrant: T::Teams::entrant(s.challenge, &s.author),
			author: s.author,
			content: s.content,
			parents: s.parents.into_inner(),
			previous_version: s.previous_version,
			submitted_at: s.submitted_at,
		})
	}

	fn submissions(challenge: ChallengeId) -> Vec<SubmissionId> {
		ChallengeSubmissions::<T>::get(challenge).into_inner()
	}

	fn is_participant(challenge: ChallengeId, who: &T::AccountId) -> bool {
		Participations::<T>::contains_key(challenge, T::Teams::entrant(challenge, who))
	}

	fn entrant(challenge: ChallengeId, who: &T::AccountId) -> T::AccountId {
		T::Teams::entrant(challenge, who)
	}

	fn final_selections(challenge: ChallengeId) -> Vec<(T::AccountId, Vec<SubmissionId>)> {
		FinalSelections::<T>::iter_prefix(challenge).map(|(entrant, marks)| (entrant, marks.into_inner())).collect()
	}

	fn ranking_entries(challenge: ChallengeId) -> Vec<(SubmissionId, T::AccountId, SubmissionContent)> {
		Self::ranking_entries_page(challenge, 0, u32::MAX)
	}

	fn ranking_entries_page(
		challenge: ChallengeId,
		start: u32,
		max: u32,
	) -> Vec<(SubmissionId, T::AccountId, SubmissionContent)> {
		// Each author's entrant is looked up once; the lookups are bounded by the submissions,
		// each of which holds a deposit, so no number of empty teams can make a ranking heavier.
		let mut entrants: alloc::collections::BTreeMap<T::AccountId, T::AccountId> = Default::default();
		ChallengeSubmissions::<T>::get(challenge)
			.into_iter()
			.skip(start as usize)
			.take(max as usize)
			.filter_map(|id| {
				let record = Submissions::<T>::get(id)?;
				let entrant = entrants
					.entry(record.author.clone())
					.or_insert_with(|| T::Teams::entrant(challenge, &record.author))
					.clone();
				Some((id, entrant, record.content))
			})
			.collect()
	}

	fn submission_count(challenge: ChallengeId) -> u32 {
		ChallengeSubmissions::<T>::decode_len(challenge).unwrap_or(0) as u32
	}

	fn revealed_count(challenge: ChallengeId) -> u32 {
		RevealedCounts::<T>::get(challenge)
	}

	fn marks(challenge: ChallengeId, entrant: &T::AccountId) -> Vec<SubmissionId> {
		FinalSelections::<T>::get(challenge, entrant).into_inner()
	}

	fn entrant_shares(challenge: ChallengeId, entrant: &T::AccountId) -> Vec<(T::AccountId, Perbill)> {
		T::Teams::shares(challenge, entrant)
	}

	fn max_team_size() -> u32 {
		T::Teams::max_team_size()
	}

	fn teams_of(who: &T::AccountId) -> Vec<(ChallengeId, T::AccountId, Perbill)> {
		T::Teams::teams_of(who)
	}

	fn live_challenges() -> Vec<ChallengeId> {
		let mut live: Vec<ChallengeId> = LiveChallenges::<T>::iter_keys().collect();
		live.sort_unstable();
		live
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn insert_challenge_for_benchmark(owner: &T::AccountId, state: ChallengeState, quorum: u32) -> ChallengeId {
		let id = NextChallengeId::<T>::get();
		NextChallengeId::<T>::put(id.saturating_add(1));
		let now = frame_system::Pallet::<T>::block_number();
		ChallengeSpecs::<T>::insert(
			id,
			ChallengeSpec {
				owner: owner.clone(),
				title: Default::default(),
				training_data: Default::default(),
				metric: merit_primitives::Metric::Rmse,
				labels_commitment: Default::default(),
				public_share: Perbill::from_percent(30),
				schedule: Schedule { open_until: now, reveal_deadline: now.saturating_add(1_000u32.into()) },
				limits: SubmissionLimits { per_day: 1, total: 1 },
				quorum,
				prize_pool: Zero::zero(),
				mode: SubmissionMode::Open,
				created_at: now,
				final_selections: T::MaxFinalSelections::get(),
				previous_phase: None,
				teams: TeamRules {
					max_size: T::Teams::max_team_size(),
					merge_until: now.saturating_add(1_000u32.into()),
				},
			},
		);
		let labels = matches!(state, ChallengeState::LabelsRevealed | ChallengeState::Finalized)
			.then(|| RevealedLabels { digest: Default::default(), salt: Default::default() });
		ChallengeStatuses::<T>::insert(id, ChallengeStatus { state, participants: 0, labels });
		Descriptions::<T>::insert(id, Description::Text(Default::default()));
		if state.is_live() {
			LiveChallenges::<T>::insert(id, ());
		}
		id
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn insert_team_for_benchmark(challenge: ChallengeId, members: &[T::AccountId]) -> T::AccountId {
		T::Teams::insert_team_for_benchmark(challenge, members)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn insert_submission_for_benchmark(
		challenge: ChallengeId,
		author: &T::AccountId,
		parents: Vec<SubmissionId>,
	) -> SubmissionId {
		let id = NextSubmissionId::<T>::get();
		NextSubmissionId::<T>::put(id.saturating_add(1));
		let mut digest = [0u8; 32];
		digest[..4].copy_from_slice(&id.to_le_bytes());
		Submissions::<T>::insert(
			id,
			Submission {
				challenge,
				author: author.clone(),
				content: SubmissionContent::Revealed(H256(digest)),
				parents: BoundedVec::truncate_from(parents),
				previous_version: None,
				submitted_at: frame_system::Pallet::<T>::block_number(),
			},
		);
		let _ = ChallengeSubmissions::<T>::try_append(challenge, id);
		RevealedCounts::<T>::mutate(challenge, |n| *n = n.saturating_add(1));
		if !Participations::<T>::contains_key(challenge, author) {
			Participations::<T>::insert(challenge, author, Participation { total: 1, day: 0, today: 1 });
			ChallengeStatuses::<T>::mutate(challenge, |status| {
				if let Some(status) = status {
					status.participants = status.participants.saturating_add(1);
				}
			});
		}
		id
	}
}

impl<T: Config> EntrantMerge<T::AccountId> for Pallet<T> {
	fn submissions_of(challenge: ChallengeId, entrant: &T::AccountId) -> u32 {
		Participations::<T>::get(challenge, entrant).map_or(0, |p| p.total)
	}

	fn merge(challenge: ChallengeId, from: &T::AccountId, into: &T::AccountId) -> DispatchResult {
		let Some(moving) = Participations::<T>::get(challenge, from) else { return Ok(()) };
		let spec = ChallengeSpecs::<T>::get(challenge).ok_or(Error::<T>::UnknownChallenge)?;
		let mut status = ChallengeStatuses::<T>::get(challenge).ok_or(Error::<T>::UnknownChallenge)?;
		let staying = Participations::<T>::get(challenge, into);
		let day: u32 = frame_system::Pallet::<T>::block_number()
			.checked_div(&T::BlocksPerDay::get())
			.unwrap_or_default()
			.try_into()
			.map_err(|_| Error::<T>::Overflow)?;
		let today = |p: &Participation| if p.day == day { p.today } else { 0 };
		let base = staying.unwrap_or_default();
		let merged = Participation {
			total: base.total.checked_add(moving.total).ok_or(Error::<T>::Overflow)?,
			day,
			today: today(&base).checked_add(today(&moving)).ok_or(Error::<T>::Overflow)?,
		};
		ensure!(merged.total <= spec.limits.total, Error::<T>::TotalLimitReached);
		ensure!(merged.today <= spec.limits.per_day, Error::<T>::DailyLimitReached);
		Participations::<T>::remove(challenge, from);
		Participations::<T>::insert(challenge, into, merged);
		FinalSelections::<T>::remove(challenge, from);
		T::Boards::entrants_merged(challenge, from, into);
		if staying.is_some() {
			status.participants = status.participants.saturating_sub(1);
			ChallengeStatuses::<T>::insert(challenge, status);
		}
		Ok(())
	}

	fn merge_weight() -> Weight {
		T::DbWeight::get().reads_writes(4, 5).saturating_add(T::Boards::merge_weight())
	}
}

impl<T: Config> ChallengeLifecycle for Pallet<T> {
	fn conclude(challenge: ChallengeId) -> DispatchResult {
		ChallengeStatuses::<T>::try_mutate(challenge, |status| {
			let status = status.as_mut().ok_or(Error::<T>::UnknownChallenge)?;
			ensure!(status.state == ChallengeState::LabelsRevealed, Error::<T>::LabelsNotRevealed);
			status.state = ChallengeState::Finalized;
			Ok::<_, DispatchError>(())
		})?;
		LiveChallenges::<T>::remove(challenge);
		Self::end_holdings(challenge, true);
		Ok(())
	}

	fn conclude_weight() -> Weight {
		// The status and the live index, then the unpinning.
		Self::unpin_weight().saturating_add(T::DbWeight::get().reads_writes(2, 2))
	}
}
