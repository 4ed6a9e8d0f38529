//! Benchmarks (frame-benchmarking v2) for the scoring pallet, each at its worst case. Challenges
//! and submissions are stored through the challenges pallet's benchmark hooks
//! (`insert_*_for_benchmark`); panels, rounds, final outcomes and disputes are stored directly, so
//! every setup is quick and reaches the most expensive branch of its call.
//!
//! Where a call has a cheaper and a costlier branch for the same component, the costlier is
//! measured: a dispute's recount is settled by a reveal (it slashes the overturned quorum on top of
//! the recount's disagreeing members), a recount that ends unavailable releases the disputer's
//! bond, and a dispute's draw reads the dispute, the submission and the disputed quorum on top of
//! what a challenge's draw reads. [`Config::OnOutcomeFinal`] is charged by the calls on top of
//! these weights, so its cost is not part of them.
use super::*;
use crate::panels::DrawResult;
use alloc::vec::Vec;
use frame_support::{
	traits::{
		fungible::{Inspect, InspectHold, Mutate, MutateHold},
		EnsureOrigin, Get,
	},
	BoundedVec,
};
use frame_system::pallet_prelude::BlockNumberFor;
use merit_primitives::{
	ArtifactRegistry, BoardKeeper, ChallengeInspect, ChallengeState, OutcomeInspect, PublicBoardRules,
};
use polkadot_sdk::sp_io;
use polkadot_sdk::{frame_benchmarking::v2::*, frame_system::RawOrigin};
use sp_core::H256;
use sp_runtime::traits::{Saturating, Zero};

/// A funded account: ten evaluator bonds and ten dispute bonds, enough for every benchmark, and
/// small enough that funding hundreds of accounts cannot overflow the total issuance.
fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId
where
	<T as Config>::Currency: Mutate<T::AccountId>,
{
	let who: T::AccountId = account(name, index, 0);
	let amount = <T as Config>::EvaluatorBond::get()
		.saturating_add(T::DisputeBond::get())
		.saturating_add(<T as Config>::Currency::minimum_balance())
		.saturating_mul(10u32.into());
	<T as Config>::Currency::set_balance(&who, amount);
	who
}

/// Registers evaluator `index` through `register_evaluator`; its key is the account
/// `("key", index)`. Returns (evaluator, key).
fn evaluator<T: Config>(index: u32) -> (T::AccountId, T::AccountId)
where
	<T as Config>::Currency: Mutate<T::AccountId>,
{
	let who = funded::<T>("evaluator", index);
	let key: T::AccountId = account("key", index, 0);
	Pallet::<T>::register_evaluator(RawOrigin::Signed(who.clone()).into(), key.clone()).expect("registers");
	LabelsKeys::<T>::insert(&who, labels_key(index));
	(who, key)
}

/// Evaluators `0..count`, registered through `register_evaluator`, in order.
fn evaluators<T: Config>(count: u32) -> Vec<(T::AccountId, T::AccountId)>
where
	<T as Config>::Currency: Mutate<T::AccountId>,
{
	(0..count).map(evaluator::<T>).collect()
}

/// An evaluator `(name, index)` stored without `register_evaluator`'s checks, its bond held all the
/// same: an overturned quorum next to a full recount panel may need more evaluators than a small
/// test runtime's `MaxEvaluators`.
fn stored_evaluator<T: Config>(name: &'static str, index: u32) -> T::AccountId
where
	<T as Config>::Currency: Mutate<T::AccountId>,
{
	let who = funded::<T>(name, index);
	let key: T::AccountId = account("stored-key", index, 0);
	let bond = <T as Config>::EvaluatorBond::get();
	<T as Config>::Currency::hold(&HoldReason::EvaluatorBond.into(), &who, bond).expect("funded");
	let now = frame_system::Pallet::<T>::block_number();
	EvaluatorKeys::<T>::insert(&key, &who);
	Evaluators::<T>::insert(
		&who,
		Evaluator { key, bond, registered_at: now, leaving_until: None, disagreements: 0, exposed_until: now },
	);
	EvaluatorCount::<T>::mutate(|n| *n = n.saturating_add(1));
	LabelsKeys::<T>::insert(&who, labels_key(index));
	who
}

/// A valid X25519 public key, distinct per index.
fn labels_key(index: u32) -> merit_primitives::labels::LabelsKey {
	let secret = sp_io::hashing::sha2_256(&index.to_le_bytes());
	merit_primitives::labels::labels_public_key(&secret)
}

/// A challenge in `state` with `quorum`, owned by `("owner", 0)`, and one revealed submission by
/// `("author", 0)` (neither is an evaluator), stored without checks.
fn submission<T: Config>(state: ChallengeState, quorum: u32) -> SubmissionId {
	let owner: T::AccountId = account("owner", 0, 0);
	let challenge = T::Challenges::insert_challenge_for_benchmark(&owner, state, quorum);
	T::Challenges::insert_submission_for_benchmark(challenge, &account("author", 0, 0), Vec::new())
}

/// A panel of `members` with `quorum`, drawn now.
fn panel<T: Config>(members: Vec<T::AccountId>, quorum: u32) -> Panel<T> {
	Panel {
		members: BoundedVec::try_from(members).expect("at most MaxPanelSize"),
		quorum,
		drawn_at: frame_system::Pallet::<T>::block_number(),
		seed: H256::zero(),
	}
}

/// Stores `outcome` as the final private outcome of `submission`, made final now by `agreeing`, with
/// `penalized` slashed for contradicting it.
fn final_private<T: Config>(
	submission: SubmissionId,
	outcome: Outcome,
	agreeing: Vec<T::AccountId>,
	penalized: Vec<(T::AccountId, BalanceOf<T>)>,
) {
	FinalOutcomes::<T>::insert(
		submission,
		Subset::Private,
		FinalOutcome {
			outcome,
			finalized_at: frame_system::Pallet::<T>::block_number(),
			agreeing: BoundedVec::try_from(agreeing).expect("at most MaxPanelSize"),
			penalized: BoundedVec::try_from(penalized).expect("at most MaxPanelSize"),
		},
	);
}

/// A final private outcome as large as it gets: `MaxPanelSize` accounts in its quorum and as many
/// penalized (none of them an evaluator).
fn largest_final_private<T: Config>(submission: SubmissionId) {
	let max = T::MaxPanelSize::get();
	let agreeing = (0..max).map(|i| account("agreeing", i, 0)).collect();
	let penalized = (0..max).map(|i| (account("penalized", i, 0), <T as Config>::EvaluatorBond::get())).collect();
	final_private::<T>(submission, Outcome::Scored(Score::ZERO), agreeing, penalized);
}

/// Gives the open dispute of `submission` its recount panel.
fn set_recount_panel<T: Config>(submission: SubmissionId, recount: Panel<T>) {
	Disputes::<T>::mutate(submission, |dispute| {
		if let Some(dispute) = dispute {
			dispute.panel = Some(recount);
		}
	});
}

/// A funded disputer disputes `submission` through `dispute` (its final private outcome must be
/// stored); returns the disputer.
fn open_dispute<T: Config>(submission: SubmissionId) -> T::AccountId
where
	<T as Config>::Currency: Mutate<T::AccountId>,
{
	let disputer = funded::<T>("disputer", 0);
	Pallet::<T>::dispute(RawOrigin::Signed(disputer.clone()).into(), submission).expect("disputes");
	disputer
}

/// Fills every block `schedule_draw` tries from `now` (until it refuses a draw), then frees one
/// place in the last of them, so the next draw scans every other block first. Returns that block.
fn fill_draw_slots<T: Config>(now: BlockNumberFor<T>) -> BlockNumberFor<T> {
	let mut filler = u32::MAX;
	while Pallet::<T>::schedule_draw(DrawFor::Challenge(filler), now).is_ok() {
		filler = filler.saturating_sub(1);
	}
	let first = now.saturating_add(T::DrawDelay::get());
	let mut last = first;
	while DrawsDue::<T>::decode_len(last.saturating_add(1u32.into())).unwrap_or(0) > 0 {
		last = last.saturating_add(1u32.into());
	}
	DrawsDue::<T>::mutate(last, |due| due.pop());
	last
}

/// A round of `stage` that began now with the given commitments, reveals and abstentions; reveals
/// open at `reveal_from`.
fn job<T: Config>(
	reveal_from: BlockNumberFor<T>,
	commits: Vec<(T::AccountId, H256)>,
	reveals: Vec<(T::AccountId, Outcome)>,
	abstentions: Vec<(T::AccountId, AbstainReason)>,
) -> Job<T> {
	Job {
		round: 0,
		opened_at: reveal_from.saturating_sub(T::CommitPeriod::get()),
		reveal_from,
		commits: BoundedVec::try_from(commits).expect("at most MaxPanelSize"),
		reveals: BoundedVec::try_from(reveals).expect("at most MaxPanelSize"),
		abstentions: BoundedVec::try_from(abstentions).expect("at most MaxPanelSize"),
	}
}

/// A panel of `m` evaluators for an open challenge's submission, whose first `m - 1` members
/// committed in the current public round: the last member's report is the last one the round
/// waits for. Returns (submission, the last member's key).
fn last_report_pending<T: Config>(m: u32) -> (SubmissionId, T::AccountId)
where
	<T as Config>::Currency: Mutate<T::AccountId>,
{
	let submission = submission::<T>(ChallengeState::Open, m);
	let challenge = T::Challenges::submission(submission).expect("stored").challenge;
	let members = evaluators::<T>(m);
	Panels::<T>::insert(challenge, panel::<T>(members.iter().map(|(who, _)| who.clone()).collect(), m));
	let now = frame_system::Pallet::<T>::block_number();
	let commits = members[..members.len() - 1]
		.iter()
		.enumerate()
		.map(|(i, (who, _))| (who.clone(), H256::repeat_byte(i as u8)))
		.collect();
	Jobs::<T>::insert(
		submission,
		Stage::Public,
		job::<T>(now.saturating_add(T::CommitPeriod::get()), commits, Vec::new(), Vec::new()),
	);
	let (_, key) = members.last().cloned().expect("m >= 2");
	(submission, key)
}

/// The smallest quorum whose panel is `MaxPanelSize`.
fn quorum_of_largest_panel<T: Config>() -> u32 {
	let max = T::MaxPanelSize::get();
	(1..=max).find(|q| Pallet::<T>::panel_size(*q) >= max).unwrap_or(max)
}

#[benchmarks(where <T as Config>::Currency: Mutate<T::AccountId>)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_evaluator() {
		let who = funded::<T>("evaluator", 0);
		let key: T::AccountId = account("key", 0, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), key.clone());

		assert_eq!(EvaluatorKeys::<T>::get(&key), Some(who.clone()));
		assert_eq!(
			<T as Config>::Currency::balance_on_hold(&HoldReason::EvaluatorBond.into(), &who),
			<T as Config>::EvaluatorBond::get()
		);
	}

	#[benchmark]
	fn set_evaluator_key() {
		let (who, old) = evaluator::<T>(0);
		let key: T::AccountId = account("new-key", 0, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), key.clone());

		assert_eq!(EvaluatorKeys::<T>::get(&key), Some(who));
		assert!(!EvaluatorKeys::<T>::contains_key(&old));
	}

	#[benchmark]
	fn unregister_evaluator() {
		let (who, _) = evaluator::<T>(0);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert!(Evaluators::<T>::get(&who).expect("still registered").leaving_until.is_some());
	}

	/// A leaving evaluator whose exposure outlasts its unbonding period withdraws at the end of it.
	#[benchmark]
	fn withdraw_bond() {
		let (who, _) = evaluator::<T>(0);
		Pallet::<T>::unregister_evaluator(RawOrigin::Signed(who.clone()).into()).expect("leaves");
		let until = Evaluators::<T>::get(&who).and_then(|info| info.leaving_until).expect("leaving");
		let exposed_until = until.saturating_add(1u32.into());
		Evaluators::<T>::mutate(&who, |info| {
			if let Some(info) = info {
				info.exposed_until = exposed_until;
			}
		});
		frame_system::Pallet::<T>::set_block_number(exposed_until);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert!(!Evaluators::<T>::contains_key(&who));
		assert!(<T as Config>::Currency::balance_on_hold(&HoldReason::EvaluatorBond.into(), &who).is_zero());
	}

	/// An evaluator already leaving, exposed beyond now, is ejected.
	#[benchmark]
	fn remove_evaluator() -> Result<(), BenchmarkError> {
		let (who, _) = evaluator::<T>(0);
		Pallet::<T>::unregister_evaluator(RawOrigin::Signed(who.clone()).into()).expect("leaves");
		let now = frame_system::Pallet::<T>::block_number();
		let exposed_until = now.saturating_add(1u32.into());
		Evaluators::<T>::mutate(&who, |info| {
			if let Some(info) = info {
				info.exposed_until = exposed_until;
			}
		});
		let origin = T::ForceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());

		let info = Evaluators::<T>::get(&who).expect("still registered");
		assert_eq!(info.leaving_until.map(|until| until <= exposed_until), Some(true));
		Ok(())
	}

	/// A panel of `m`, of whom `m - 1` committed: the last member's commitment scans the longest
	/// lists and opens reveals (it is the report the round waits for).
	#[benchmark]
	fn commit_report(m: Linear<2, { T::MaxPanelSize::get() }>) {
		let (submission, key) = last_report_pending::<T>(m);
		let commitment = H256::repeat_byte(0xff);

		#[extrinsic_call]
		_(RawOrigin::Signed(key), submission, Stage::Public, commitment);

		let job = Jobs::<T>::get(submission, Stage::Public).expect("round");
		assert_eq!(job.commits.len() as u32, m);
		assert_eq!(job.reveal_from, frame_system::Pallet::<T>::block_number());
	}

	/// A panel of `m`, of whom `m - 1` committed: the last member abstains, which opens reveals.
	#[benchmark]
	fn abstain(m: Linear<2, { T::MaxPanelSize::get() }>) {
		let (submission, key) = last_report_pending::<T>(m);

		#[extrinsic_call]
		_(RawOrigin::Signed(key), submission, Stage::Public, AbstainReason::HashMismatch);

		let job = Jobs::<T>::get(submission, Stage::Public).expect("round");
		assert_eq!(job.abstentions.len(), 1);
		assert_eq!(job.reveal_from, frame_system::Pallet::<T>::block_number());
	}

	/// The reveal that settles a dispute and overturns the disputed outcome, a reveal's heaviest
	/// branch. The recount panel has `m` members, quorum one, and `m - 1` earlier reveals that each
	/// differ from every other: all `m - 1` are slashed. The overturned outcome is as large as it
	/// gets whatever `m`: `MaxPanelSize` bonded evaluators in its quorum (each slashed) and
	/// `MaxPanelSize` evaluators penalized for contradicting it, each of whom had reported what the
	/// recount finds (each repaid from the quorum's slash). The disputer is paid its share and its
	/// bond is released. A reveal that makes a score final does less: the same finalization and
	/// slashes without an overturned quorum (its `OnOutcomeFinal` hook is charged on top of this
	/// weight).
	#[benchmark]
	fn reveal_report(m: Linear<2, { T::MaxPanelSize::get() }>) {
		let max = T::MaxPanelSize::get();
		let submission = submission::<T>(ChallengeState::LabelsRevealed, m);
		// The recount panel registers first: the disputed quorum is stored past `MaxEvaluators`.
		let members = evaluators::<T>(m);
		let corrected = Outcome::Scored(Score::ZERO);
		let disputed = Outcome::Scored(Score::from_parts(u128::MAX));
		// The private round that made the disputed outcome final: its quorum, and the evaluators
		// slashed for reporting what the recount will find.
		let quorum: Vec<T::AccountId> = (0..max).map(|i| stored_evaluator::<T>("disputed-quorum", i)).collect();
		let bond = <T as Config>::EvaluatorBond::get();
		let slashed = T::SlashFraction::get().mul_floor(bond).min(T::DisputeSlashFraction::get().mul_floor(bond));
		let right: Vec<T::AccountId> = (0..max).map(|i| funded::<T>("penalized", i)).collect();
		let right_balance = <T as Config>::Currency::balance(&right[0]);
		final_private::<T>(
			submission,
			disputed,
			quorum.clone(),
			right.iter().map(|who| (who.clone(), slashed)).collect(),
		);
		let now = frame_system::Pallet::<T>::block_number();
		Jobs::<T>::insert(
			submission,
			Stage::Private,
			job::<T>(
				now,
				right.iter().map(|who| (who.clone(), H256::zero())).collect(),
				right.iter().map(|who| (who.clone(), corrected)).collect(),
				Vec::new(),
			),
		);
		let disputer = open_dispute::<T>(submission);
		set_recount_panel::<T>(submission, panel::<T>(members.iter().map(|(who, _)| who.clone()).collect(), 1));
		// Member i reports score i + 1 with salt [i; 32]; the last member reveals the corrected
		// score, zero.
		let report = |i: usize| {
			let outcome =
				if i + 1 == members.len() { corrected } else { Outcome::Scored(Score::from_parts(i as u128 + 1)) };
			(outcome, [i as u8; 32])
		};
		let commits = members
			.iter()
			.enumerate()
			.map(|(i, (who, _))| {
				let (outcome, salt) = report(i);
				(who.clone(), report_commitment(submission, Stage::Dispute, 0, &outcome, &salt, who))
			})
			.collect();
		let reveals =
			members[..members.len() - 1].iter().enumerate().map(|(i, (who, _))| (who.clone(), report(i).0)).collect();
		Jobs::<T>::insert(submission, Stage::Dispute, job::<T>(now, commits, reveals, Vec::new()));
		let (_, key) = members.last().cloned().expect("m >= 2");
		let (_, salt) = report(members.len() - 1);

		#[extrinsic_call]
		_(RawOrigin::Signed(key), submission, Stage::Dispute, corrected, salt);

		assert!(!Disputes::<T>::contains_key(submission));
		assert!(!Jobs::<T>::contains_key(submission, Stage::Dispute));
		assert_eq!(Pallet::<T>::final_outcome(submission, Subset::Private), Some(corrected));
		assert_eq!(Evaluators::<T>::get(&members[0].0).map(|info| info.disagreements), Some(1));
		assert_eq!(Evaluators::<T>::get(&quorum[0]).map(|info| info.disagreements), Some(1));
		assert_eq!(<T as Config>::Currency::balance(&right[0]), right_balance.saturating_add(slashed));
		assert!(<T as Config>::Currency::balance_on_hold(&HoldReason::DisputeBond.into(), &disputer).is_zero());
	}

	/// A dispute's recount round ends unavailable: `m - 1` members of a panel of `m` (quorum `m`)
	/// committed and never revealed (each recorded as having missed it), the last abstained. The
	/// dispute lapses: its bond is released and the dispute and its round are removed. This branch
	/// writes more than a round that restarts with `m` missed members, or a submission made
	/// unavailable (whose `OnOutcomeFinal` hook is charged on top of this weight).
	#[benchmark]
	fn conclude_round(m: Linear<2, { T::MaxPanelSize::get() }>) {
		// The round ends while the dispute is still within its resolution period.
		let now = T::CommitPeriod::get().saturating_add(T::RevealPeriod::get()).saturating_add(1u32.into());
		frame_system::Pallet::<T>::set_block_number(now);
		let submission = submission::<T>(ChallengeState::LabelsRevealed, m);
		final_private::<T>(submission, Outcome::Scored(Score::ZERO), Vec::new(), Vec::new());
		let disputer = open_dispute::<T>(submission);
		let members = evaluators::<T>(m);
		set_recount_panel::<T>(submission, panel::<T>(members.iter().map(|(who, _)| who.clone()).collect(), m));
		let commits = members[..members.len() - 1]
			.iter()
			.enumerate()
			.map(|(i, (who, _))| (who.clone(), H256::repeat_byte(i as u8)))
			.collect();
		let (last, _) = members.last().cloned().expect("m >= 2");
		let abstentions = alloc::vec![(last, AbstainReason::FetchFailed)];
		let job = job::<T>(now.saturating_sub(T::RevealPeriod::get()), commits, Vec::new(), abstentions);
		assert_eq!(Pallet::<T>::round_end(&job), now);
		Jobs::<T>::insert(submission, Stage::Dispute, job);
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), submission, Stage::Dispute);

		assert!(!Disputes::<T>::contains_key(submission));
		assert!(!Jobs::<T>::contains_key(submission, Stage::Dispute));
		assert_eq!(EvaluationRecords::<T>::get(&members[0].0).missed, 1);
		assert!(<T as Config>::Currency::balance_on_hold(&HoldReason::DisputeBond.into(), &disputer).is_zero());
	}

	/// A final private score as large as it gets (a quorum and penalized evaluators of
	/// `MaxPanelSize` each) is disputed while every block but the last that `schedule_draw` tries
	/// is full.
	#[benchmark]
	fn dispute() {
		let submission = submission::<T>(ChallengeState::LabelsRevealed, 1);
		largest_final_private::<T>(submission);
		let now = frame_system::Pallet::<T>::block_number();
		let at = fill_draw_slots::<T>(now);
		let disputer = funded::<T>("disputer", 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(disputer.clone()), submission);

		assert_eq!(Disputes::<T>::get(submission).map(|d| d.disputer), Some(disputer.clone()));
		assert_eq!(
			<T as Config>::Currency::balance_on_hold(&HoldReason::DisputeBond.into(), &disputer),
			T::DisputeBond::get()
		);
		assert!(DrawsDue::<T>::get(at).contains(&DrawFor::Dispute(submission)));
	}

	/// A dispute's recount panel is drawn from `n` eligible evaluators (those bonded at genesis
	/// count: only the rest are registered): every one of them past its warm-up, none of them
	/// excluded, each checked against the author, the disputer, the owner and a disputed quorum of
	/// `MaxPanelSize`; the quorum is as large as `n` allows up to the smallest one whose panel is
	/// `MaxPanelSize`, so the largest panel `n` allows is shuffled and stored.
	#[benchmark]
	fn draw_panel(n: Linear<1, { T::MaxEvaluators::get() }>) {
		evaluators::<T>(n.saturating_sub(EvaluatorCount::<T>::get()));
		let eligible = EvaluatorCount::<T>::get();
		let now = frame_system::Pallet::<T>::block_number().saturating_add(T::WarmUpPeriod::get());
		frame_system::Pallet::<T>::set_block_number(now);
		// The recount's quorum is one more than the challenge's.
		let quorum = eligible.min(quorum_of_largest_panel::<T>());
		let submission = submission::<T>(ChallengeState::LabelsRevealed, quorum.saturating_sub(1));
		largest_final_private::<T>(submission);
		open_dispute::<T>(submission);
		let result;

		#[block]
		{
			result = Pallet::<T>::draw(DrawFor::Dispute(submission), now);
		}

		assert!(matches!(result, DrawResult::Drawn));
		let drawn = Disputes::<T>::get(submission).and_then(|d| d.panel).expect("drawn");
		assert_eq!(drawn.quorum, quorum);
		assert_eq!(drawn.members.len() as u32, Pallet::<T>::panel_size(quorum).min(eligible));
	}

	/// A draw is scheduled while every block but the last that it tries is full.
	#[benchmark]
	fn schedule_draw() {
		let owner: T::AccountId = account("owner", 0, 0);
		let challenge = T::Challenges::insert_challenge_for_benchmark(&owner, ChallengeState::Open, 1);
		let now = frame_system::Pallet::<T>::block_number();
		let at = fill_draw_slots::<T>(now);
		let scheduled;

		#[block]
		{
			scheduled = Pallet::<T>::schedule_draw(DrawFor::Challenge(challenge), now);
		}

		assert_eq!(scheduled.ok(), Some(at));
		assert!(DrawsDue::<T>::get(at).contains(&DrawFor::Challenge(challenge)));
	}

	/// The worker replaces its evaluator's labels key (the costlier, paying branch).
	#[benchmark]
	fn set_labels_key() {
		let (who, key) = evaluator::<T>(0);
		let new = labels_key(1_000);

		#[extrinsic_call]
		_(RawOrigin::Signed(key), new);

		assert_eq!(LabelsKeys::<T>::get(&who), Some(new));
	}

	/// A second delivery of the same labels in a new ciphertext (the first is read and compared,
	/// the new one pinned and the old unpinned) with `e` envelopes to a panel of `MaxPanelSize`
	/// whose first `e` members have labels keys: each envelope is checked against every member
	/// and every earlier envelope, each member's key is read.
	#[benchmark]
	fn deliver_labels(e: Linear<0, { T::MaxPanelSize::get() }>) {
		let owner: T::AccountId = account("owner", 0, 0);
		let challenge = T::Challenges::insert_challenge_for_benchmark(&owner, ChallengeState::Open, 1);
		let members: Vec<T::AccountId> = (0..T::MaxPanelSize::get()).map(|i| account("member", i, 0)).collect();
		for (i, member) in members.iter().enumerate().take(e as usize) {
			LabelsKeys::<T>::insert(member, labels_key(i as u32));
		}
		Panels::<T>::insert(challenge, panel::<T>(members.clone(), 1));
		let first = merit_primitives::Digest::from(sp_io::hashing::sha2_256(b"sealed public labels"));
		let second = merit_primitives::Digest::from(sp_io::hashing::sha2_256(b"sealed again"));
		for digest in [first, second] {
			T::Artifacts::register_for_benchmark(&owner, digest, merit_primitives::ArtifactKind::Labels);
		}
		let sealed =
			merit_primitives::labels::SealedLabels { commitment: [7; 32], ciphertext: first, sender: labels_key(0) };
		let envelopes: Vec<_> = members.iter().take(e as usize).map(|m| (m.clone(), [3u8; 48])).collect();
		let envelopes: EnvelopesOf<T> = BoundedVec::try_from(envelopes).expect("at most MaxPanelSize");
		Pallet::<T>::deliver_labels(
			RawOrigin::Signed(owner.clone()).into(),
			challenge,
			sealed.clone(),
			envelopes.clone(),
		)
		.expect("the first delivery");
		let again = merit_primitives::labels::SealedLabels { ciphertext: second, sender: labels_key(1), ..sealed };

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), challenge, again, envelopes);

		let delivered = LabelsDeliveries::<T>::get(challenge).expect("delivered");
		assert_eq!(delivered.envelopes.len() as u32, e);
		assert_eq!(delivered.sealed.ciphertext, second);
	}

	/// `n` submissions of a finalized challenge, each with a public and a private job, cleared.
	#[benchmark]
	fn prune(n: Linear<1, { T::MaxPrunePerCall::get() }>) {
		let owner: T::AccountId = account("owner", 0, 0);
		let challenge = T::Challenges::insert_challenge_for_benchmark(&owner, ChallengeState::Finalized, 3);
		let now = frame_system::Pallet::<T>::block_number();
		for i in 0..n {
			let author: T::AccountId = account("author", i, 0);
			let submission = T::Challenges::insert_submission_for_benchmark(challenge, &author, Vec::new());
			for stage in [Stage::Public, Stage::Private] {
				Jobs::<T>::insert(submission, stage, job::<T>(now, Vec::new(), Vec::new(), Vec::new()));
			}
		}
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), challenge, n);

		assert_eq!(PruneCursors::<T>::get(challenge), Some(n));
	}

	/// A public score becomes final on a Ladder board (its release read and written) and beats
	/// the standing entry of its entrant, a team of the largest size: the entry moves.
	#[benchmark]
	fn show_public_score() {
		let (challenge, members, team) = team_challenge::<T>();
		T::PublicBoard::set_ladder_for_benchmark(challenge, Score::from_parts(1));
		let (worse, better) = worse_and_better::<T>(challenge);
		let earlier = T::Challenges::insert_submission_for_benchmark(challenge, &members[0], Vec::new());
		Pallet::<T>::show_public_score(challenge, earlier, &members[0], worse);
		let author = members.last().cloned().expect("a team has members");
		let later = T::Challenges::insert_submission_for_benchmark(challenge, &author, Vec::new());

		#[block]
		{
			Pallet::<T>::show_public_score(challenge, later, &author, better);
		}

		assert_eq!(
			PublicBoards::<T>::iter_prefix_values((challenge,)).next().map(|p| (p.entrant, p.submission)),
			Some((team, later))
		);
		assert_eq!(BoardSizes::<T>::get(challenge), 1);
	}

	/// The best shown score of a team of `t` members is superseded: each member's best is read
	/// to find the team's again (the first member's, the only other shown score).
	#[benchmark]
	fn superseded(t: Linear<1, { T::Challenges::max_team_size().max(1) }>) {
		let (challenge, members, team) = team_challenge::<T>();
		let members = &members[..(t as usize).min(members.len()).max(1)];
		let (worse, better) = worse_and_better::<T>(challenge);
		let kept = T::Challenges::insert_submission_for_benchmark(challenge, &members[0], Vec::new());
		Pallet::<T>::show_public_score(challenge, kept, &members[0], worse);
		let author = members.last().cloned().expect("a team has members");
		let best = T::Challenges::insert_submission_for_benchmark(challenge, &author, Vec::new());
		Pallet::<T>::show_public_score(challenge, best, &author, better);

		#[block]
		{
			<Pallet<T> as BoardKeeper<T::AccountId>>::superseded(challenge, best, &author);
		}

		let entrant = T::Challenges::entrant(challenge, &members[0]);
		assert_eq!(
			PublicBoards::<T>::iter_prefix_values((challenge,)).next().map(|p| (p.entrant, p.submission)),
			Some((entrant, kept))
		);
		let _ = team;
	}

	/// An entrant whose entry beats the team it joins merges into it: both entries move.
	#[benchmark]
	fn entrants_merged() {
		let owner: T::AccountId = account("owner", 0, 0);
		let challenge = T::Challenges::insert_challenge_for_benchmark(&owner, ChallengeState::Open, 3);
		let (worse, better) = worse_and_better::<T>(challenge);
		let (from, into): (T::AccountId, T::AccountId) = (account("from", 0, 0), account("into", 0, 0));
		let theirs = T::Challenges::insert_submission_for_benchmark(challenge, &into, Vec::new());
		Pallet::<T>::show_public_score(challenge, theirs, &into, worse);
		let ours = T::Challenges::insert_submission_for_benchmark(challenge, &from, Vec::new());
		Pallet::<T>::show_public_score(challenge, ours, &from, better);

		#[block]
		{
			<Pallet<T> as BoardKeeper<T::AccountId>>::entrants_merged(challenge, &from, &into);
		}

		assert_eq!(BoardSizes::<T>::get(challenge), 1);
		assert_eq!(
			PublicBoards::<T>::iter_prefix_values((challenge,)).next().map(|p| (p.entrant, p.submission)),
			Some((into, ours))
		);
	}

	/// One page of a prize count reads `n` submissions, each by a different author (so each
	/// entrant is looked up), unmarked in a challenge with the most final selections (so its
	/// marks, public and private outcomes are read), each with a final public and private score.
	#[benchmark]
	fn count_submissions(n: Linear<1, 1_000>) {
		let owner: T::AccountId = account("owner", 0, 0);
		let challenge = T::Challenges::insert_challenge_for_benchmark(&owner, ChallengeState::LabelsRevealed, 3);
		for i in 0..n {
			let author: T::AccountId = account("author", i, 0);
			let submission = T::Challenges::insert_submission_for_benchmark(challenge, &author, Vec::new());
			for subset in [Subset::Public, Subset::Private] {
				let score = Outcome::Scored(Score::from_parts(u128::from(i) + 1));
				<Pallet<T> as OutcomeInspect<T::AccountId>>::set_final_outcome_for_benchmark(submission, subset, score);
			}
		}
		let read;

		#[block]
		{
			read = Pallet::<T>::do_count_prize_board(challenge, true, n).map(|(progress, _)| progress.read);
		}

		assert_eq!(read, Ok(T::Challenges::submission_count(challenge)));
	}

	/// One page of a prize count ranks `n` entrants, each kept with the most public scores and
	/// latest unscored submissions a default selection reads, onto the private board.
	#[benchmark]
	fn rank_entrants(n: Linear<1, 1_000>) {
		let owner: T::AccountId = account("owner", 0, 0);
		let challenge = T::Challenges::insert_challenge_for_benchmark(&owner, ChallengeState::LabelsRevealed, 3);
		let higher = T::Challenges::challenge(challenge).map(|c| c.metric.higher_is_better()).unwrap_or(false);
		let k = T::MaxFinalSelections::get();
		PrizeCounts::<T>::insert(challenge, PrizeCount::default());
		for i in 0..n {
			let entrant: T::AccountId = account("entrant", i, 0);
			let key = |j: u32| merit_primitives::rank_key(higher, Score::from_parts(u128::from(j)), i * 2 * k + j);
			let count = EntrantCount::<T> {
				best: None,
				top_public: BoundedVec::truncate_from((0..k).map(|j| (key(j), Some(key(j)))).collect()),
				latest_unscored: BoundedVec::truncate_from(
					(0..k).map(|j| (i * 2 * k + k + j, Some(key(k + j)))).collect(),
				),
			};
			EntrantCounts::<T>::insert(challenge, entrant, count);
		}

		#[block]
		{
			let _ = Pallet::<T>::do_count_prize_board(challenge, false, n);
		}

		assert_eq!(PrivateBoardSizes::<T>::get(challenge), n);
		assert!(PrizeCounts::<T>::get(challenge).is_some_and(|count| count.done));
	}
}

/// An open challenge and a team of the largest size in it: the members and the team's account.
fn team_challenge<T: Config>() -> (ChallengeId, Vec<T::AccountId>, T::AccountId) {
	let owner: T::AccountId = account("owner", 0, 0);
	let challenge = T::Challenges::insert_challenge_for_benchmark(&owner, ChallengeState::Open, 3);
	let members: Vec<T::AccountId> =
		(0..T::Challenges::max_team_size().max(1)).map(|i| account("member", i, 0)).collect();
	let team = T::Challenges::insert_team_for_benchmark(challenge, &members);
	(challenge, members, team)
}

/// Two scores of a challenge's metric, the second better than the first by far more than a
/// Ladder step of one part.
fn worse_and_better<T: Config>(challenge: ChallengeId) -> (Score, Score) {
	let (low, high) = (Score::from_parts(1_000), Score::from_parts(1_000_000));
	match T::Challenges::challenge(challenge).map(|summary| summary.metric.higher_is_better()) {
		Some(false) => (high, low),
		_ => (low, high),
	}
}
