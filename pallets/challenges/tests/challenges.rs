//! Every success and failure path of the challenges pallet, and the end of its lifecycle through
//! the pool (the rewards pallet): refunds of an abandoned challenge and finalization.
use codec::Encode;
use merit_primitives::ChallengeLifecycle;
use merit_test_runtime::*;
use pallet_merit_challenges::*;
use pallet_merit_rewards::{Ledger, Pools};
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		traits::fungible::{Inspect, InspectHold},
	},
	sp_runtime::{AccountId32, DispatchError, DispatchResult, Perbill},
};

const OWNER: AccountId = AccountId32::new([1; 32]);
const ALICE: AccountId = AccountId32::new([2; 32]);
const BOB: AccountId = AccountId32::new([3; 32]);
const CAROL: AccountId = AccountId32::new([4; 32]);
const POOL: u64 = 1_000;

/// The shared runtime with this pallet's old bounds: 8 submissions per challenge, 2 challenges
/// scheduled per block.
fn ext() -> ExtBuilder {
	ExtBuilder::default().bounds(|b| {
		b.max_submissions = 8;
		b.max_scheduled_per_block = 2;
	})
}

fn digest(n: u8) -> Digest {
	Digest::repeat_byte(n)
}

fn register(owner: AccountId, d: Digest, kind: ArtifactKind) {
	assert_ok!(MeritArtifacts::register(
		RuntimeOrigin::signed(owner),
		d,
		kind,
		10,
		b"https://store/x".to_vec(),
		b"MIT".to_vec(),
		vec![]
	));
}

const TRAIN: u8 = 0x10;
const LABELS: u8 = 0x20;
const SALT: &[u8] = b"owner-salt";

fn params(mode: SubmissionMode) -> ChallengeParamsOf<Test> {
	ChallengeParams {
		title: b"House prices".to_vec(),
		description: DescriptionInput::Text(b"Predict the sale price.".to_vec()),
		training_data: vec![digest(TRAIN)],
		metric: Metric::Rmse,
		labels_commitment: MeritChallenges::labels_commitment(&digest(LABELS), SALT),
		public_share: Perbill::from_percent(30),
		schedule: Schedule { open_until: 20, reveal_deadline: 40 },
		limits: SubmissionLimits { per_day: 2, total: 3 },
		reward_shares: vec![Perbill::from_percent(60), Perbill::from_percent(40)],
		terms: Default::default(),
		quorum: 3,
		prize_pool: POOL,
		mode,
		final_selections: 2,
		teams: TeamRules { max_size: 1, merge_until: 20 },
		previous_phase: None,
	}
}

/// Runs `test` in a world with the training data registered, then every pallet's invariants.
fn world(test: impl FnOnce()) {
	ext().build_and_execute(|| {
		register(OWNER, digest(TRAIN), ArtifactKind::Dataset);
		test();
	})
}

fn create(mode: SubmissionMode) -> ChallengeId {
	let id = NextChallengeId::<Test>::get();
	assert_ok!(MeritChallenges::create_challenge(RuntimeOrigin::signed(OWNER), params(mode)));
	id
}

/// What the pool holds on `who`'s account (the rewards pallet holds every prize pool).
fn held(who: AccountId) -> u64 {
	Balances::balance_on_hold(&pallet_merit_rewards::HoldReason::PrizePool.into(), &who)
}

fn spec(id: ChallengeId) -> ChallengeSpec<Test> {
	ChallengeSpecs::<Test>::get(id).expect("challenge exists")
}

fn status(id: ChallengeId) -> ChallengeStatus<Test> {
	ChallengeStatuses::<Test>::get(id).expect("challenge exists")
}

fn pool(id: ChallengeId) -> pallet_merit_rewards::Pool<Test> {
	Pools::<Test>::get(id).expect("pool exists")
}

/// Registers predictions `n` for `who` and submits them to an open challenge.
fn submit(who: AccountId, id: ChallengeId, n: u8) -> SubmissionId {
	register(who.clone(), digest(n), ArtifactKind::Predictions);
	let sid = NextSubmissionId::<Test>::get();
	assert_ok!(MeritChallenges::submit(RuntimeOrigin::signed(who), id, claim(digest(n)), vec![], None));
	sid
}

fn create_with(f: impl FnOnce(&mut ChallengeParamsOf<Test>)) -> DispatchResult {
	let mut p = params(SubmissionMode::Open);
	f(&mut p);
	MeritChallenges::create_challenge(RuntimeOrigin::signed(OWNER), p)
}

// ---- creation ----

#[test]
fn create_holds_the_pool_and_records_everything() {
	world(|| {
		let id = create(SubmissionMode::Open);
		assert_eq!(spec(id).owner, OWNER);
		assert_eq!(status(id).state, ChallengeState::Open);
		assert_eq!(spec(id).metric, Metric::Rmse);
		assert_eq!(pool(id).held, POOL);
		assert_eq!(held(OWNER), POOL);
		// Beside the pool, a tenth of it is held as the owner's bond that the labels will be revealed.
		assert_eq!(pallet_merit_rewards::RevealBonds::<Test>::get(id), Some(POOL / 10));
		assert_eq!(Balances::balance(&OWNER), 100_000 - POOL - POOL / 10 - 1);
		assert_eq!(ClosingAt::<Test>::get(20).to_vec(), vec![id]);
		assert_eq!(RevealDeadlineAt::<Test>::get(40).to_vec(), vec![id]);
		// The training data is pinned: its owner cannot remove it while the challenge uses it.
		assert_noop!(
			MeritArtifacts::remove(RuntimeOrigin::signed(OWNER), digest(TRAIN)),
			pallet_merit_artifacts::Error::<Test>::StillReferenced
		);
		System::assert_last_event(
			Event::ChallengeCreated { challenge: id, owner: OWNER, prize_pool: POOL, open_until: 20 }.into(),
		);
	});
}

#[test]
fn create_accepts_a_report_artifact_as_description() {
	world(|| {
		register(OWNER, digest(0x30), ArtifactKind::Report);
		assert_ok!(create_with(|p| p.description = DescriptionInput::Artifact(digest(0x30))));
	});
}

#[test]
fn create_rejects_each_bad_parameter_by_name() {
	world(|| {
		register(OWNER, digest(0x31), ArtifactKind::Predictions);
		// The challenges pallet checks its own parameters; the pool (the rewards pallet) checks the
		// shares and holds the pool.
		let cases: Vec<(Box<dyn Fn(&mut ChallengeParamsOf<Test>)>, DispatchError)> = vec![
			(Box::new(|p| p.title = vec![]), Error::<Test>::BadTitle.into()),
			(Box::new(|p| p.title = vec![b'x'; 33]), Error::<Test>::BadTitle.into()),
			(Box::new(|p| p.description = DescriptionInput::Text(vec![])), Error::<Test>::BadDescription.into()),
			(
				Box::new(|p| p.description = DescriptionInput::Text(vec![b'x'; 65])),
				Error::<Test>::BadDescription.into(),
			),
			(
				Box::new(|p| p.description = DescriptionInput::Artifact(digest(0x99))),
				Error::<Test>::UnknownArtifact.into(),
			),
			(
				Box::new(|p| p.description = DescriptionInput::Artifact(digest(TRAIN))),
				Error::<Test>::WrongArtifactKind.into(),
			),
			(Box::new(|p| p.training_data = vec![]), Error::<Test>::BadTrainingData.into()),
			(Box::new(|p| p.training_data = vec![digest(TRAIN); 3]), Error::<Test>::BadTrainingData.into()),
			(Box::new(|p| p.training_data = vec![digest(TRAIN), digest(TRAIN)]), Error::<Test>::BadTrainingData.into()),
			(Box::new(|p| p.training_data = vec![digest(0x99)]), Error::<Test>::UnknownArtifact.into()),
			(Box::new(|p| p.training_data = vec![digest(0x31)]), Error::<Test>::WrongArtifactKind.into()),
			(Box::new(|p| p.public_share = Perbill::one()), Error::<Test>::BadPublicShare.into()),
			(Box::new(|p| p.schedule.open_until = 1), Error::<Test>::BadSchedule.into()),
			(Box::new(|p| p.schedule.open_until = 1_002), Error::<Test>::BadSchedule.into()),
			(Box::new(|p| p.schedule.reveal_deadline = 20), Error::<Test>::BadSchedule.into()),
			(Box::new(|p| p.limits = SubmissionLimits { per_day: 0, total: 3 }), Error::<Test>::BadLimits.into()),
			(Box::new(|p| p.limits = SubmissionLimits { per_day: 4, total: 3 }), Error::<Test>::BadLimits.into()),
			(Box::new(|p| p.reward_shares = vec![]), pallet_merit_rewards::Error::<Test>::BadRewardShares.into()),
			(
				Box::new(|p| p.reward_shares = vec![Perbill::from_percent(50)]),
				pallet_merit_rewards::Error::<Test>::BadRewardShares.into(),
			),
			(
				Box::new(|p| p.reward_shares = vec![Perbill::from_percent(25); 4]),
				pallet_merit_rewards::Error::<Test>::BadRewardShares.into(),
			),
			(
				Box::new(|p| p.reward_shares = vec![Perbill::one(), Perbill::one()]),
				pallet_merit_rewards::Error::<Test>::BadRewardShares.into(),
			),
			(Box::new(|p| p.quorum = 0), Error::<Test>::BadQuorum.into()),
			(Box::new(|p| p.final_selections = 0), Error::<Test>::BadFinalSelections.into()),
			(Box::new(|p| p.final_selections = 4), Error::<Test>::BadFinalSelections.into()),
			(Box::new(|p| p.quorum = 6), Error::<Test>::BadQuorum.into()),
			// Every challenge here has a prize (`MinPrizePool` is 100): it needs a quorum of at
			// least `MinQuorumWithPrize` (3).
			(Box::new(|p| p.quorum = 2), Error::<Test>::QuorumTooSmall.into()),
			// The labels are due at most `MaxRevealPeriod` (100) after submissions end (20), or after
			// the submission reveals (25) of a sealed challenge.
			(Box::new(|p| p.schedule.reveal_deadline = 121), Error::<Test>::RevealPeriodTooLong.into()),
			(
				Box::new(|p| {
					p.mode = SubmissionMode::Sealed;
					p.schedule.reveal_deadline = 126;
				}),
				Error::<Test>::RevealPeriodTooLong.into(),
			),
			(Box::new(|p| p.prize_pool = 99), Error::<Test>::PrizePoolTooSmall.into()),
			(Box::new(|p| p.prize_pool = 1_000_000), pallet_merit_rewards::Error::<Test>::InsufficientBalance.into()),
		];
		for (change, error) in cases {
			assert_noop!(create_with(|p| change(p)), error);
		}
		// The bounds themselves are accepted: the least quorum with a prize, the longest reveal period.
		assert_ok!(create_with(|p| p.quorum = 3));
		assert_ok!(create_with(|p| p.schedule = Schedule { open_until: 21, reveal_deadline: 121 }));
		assert_ok!(create_with(|p| {
			p.mode = SubmissionMode::Sealed;
			p.schedule = Schedule { open_until: 22, reveal_deadline: 127 };
		}));
	});
}

#[test]
fn a_sealed_challenge_needs_room_for_submission_reveals_before_the_deadline() {
	world(|| {
		let mut p = params(SubmissionMode::Sealed);
		p.schedule = Schedule { open_until: 20, reveal_deadline: 25 };
		assert_noop!(
			MeritChallenges::create_challenge(RuntimeOrigin::signed(OWNER), p.clone()),
			Error::<Test>::BadSchedule
		);
		p.schedule.reveal_deadline = 26;
		assert_ok!(MeritChallenges::create_challenge(RuntimeOrigin::signed(OWNER), p));
	});
}

#[test]
fn a_full_schedule_block_is_refused() {
	world(|| {
		create(SubmissionMode::Open);
		create(SubmissionMode::Open);
		// Block 20 is full for closing, block 40 for reveal deadlines.
		assert_noop!(create_with(|p| p.schedule.reveal_deadline = 41), Error::<Test>::ScheduleFull);
		assert_noop!(create_with(|p| p.schedule.open_until = 21), Error::<Test>::ScheduleFull);
		assert_ok!(create_with(|p| p.schedule = Schedule { open_until: 21, reveal_deadline: 41 }));
	});
}

// ---- cancellation by the owner ----

#[test]
fn the_owner_cancels_before_any_submission_and_gets_the_pool_back() {
	world(|| {
		let id = create(SubmissionMode::Open);
		assert_ok!(MeritChallenges::cancel_challenge(RuntimeOrigin::signed(OWNER), id));
		assert_eq!(status(id).state, ChallengeState::Cancelled(CancelReason::ByOwner));
		assert_eq!(pool(id).held, 0);
		assert_eq!(held(OWNER), 0);
		assert!(ClosingAt::<Test>::get(20).is_empty());
		assert!(RevealDeadlineAt::<Test>::get(40).is_empty());
		// The training data is unpinned again.
		assert_ok!(MeritArtifacts::remove(RuntimeOrigin::signed(OWNER), digest(TRAIN)));
		System::assert_last_event(
			pallet_merit_artifacts::Event::<Test>::Removed { digest: digest(TRAIN), owner: OWNER, deposit: 1 }.into(),
		);
	});
}

#[test]
fn cancel_is_refused_after_a_submission_to_others_and_when_not_open() {
	world(|| {
		assert_noop!(
			MeritChallenges::cancel_challenge(RuntimeOrigin::signed(OWNER), 7),
			Error::<Test>::UnknownChallenge
		);
		let id = create(SubmissionMode::Open);
		assert_noop!(MeritChallenges::cancel_challenge(RuntimeOrigin::signed(ALICE), id), Error::<Test>::NotOwner);
		submit(ALICE, id, 0x41);
		assert_noop!(
			MeritChallenges::cancel_challenge(RuntimeOrigin::signed(OWNER), id),
			Error::<Test>::ChallengeHasSubmissions
		);
		let other = create(SubmissionMode::Open);
		run_to_block(20);
		assert_noop!(
			MeritChallenges::cancel_challenge(RuntimeOrigin::signed(OWNER), other),
			Error::<Test>::ChallengeNotOpen
		);
	});
}

// ---- open submissions ----

#[test]
fn submit_records_the_submission_and_pins_the_predictions() {
	world(|| {
		let id = create(SubmissionMode::Open);
		let sid = submit(ALICE, id, 0x41);
		let s = Submissions::<Test>::get(sid).unwrap();
		assert_eq!(s.author, ALICE);
		assert_eq!(s.content, SubmissionContent::Revealed(digest(0x41)));
		assert_eq!(s.submitted_at, 1);
		assert_eq!(ChallengeSubmissions::<Test>::get(id).to_vec(), vec![sid]);
		assert_eq!(SubmittedDigests::<Test>::get(id, digest(0x41)), Some(sid));
		assert_eq!(status(id).participants, 1);
		System::assert_last_event(
			Event::Submitted { challenge: id, submission: sid, author: ALICE, digest: digest(0x41) }.into(),
		);
		assert_noop!(
			MeritArtifacts::remove(RuntimeOrigin::signed(ALICE), digest(0x41)),
			pallet_merit_artifacts::Error::<Test>::StillReferenced
		);
	});
}

#[test]
fn submit_rejects_bad_artifacts_states_and_modes() {
	world(|| {
		assert_noop!(
			MeritChallenges::submit(RuntimeOrigin::signed(ALICE), 9, claim(digest(0x41)), vec![], None),
			Error::<Test>::UnknownChallenge
		);
		let id = create(SubmissionMode::Open);
		assert_noop!(
			MeritChallenges::submit(RuntimeOrigin::signed(ALICE), id, claim_at(digest(0x41), b"ftp://x"), vec![], None),
			pallet_merit_artifacts::Error::<Test>::InvalidUri
		);
		register(ALICE, digest(0x42), ArtifactKind::Code);
		assert_noop!(
			MeritChallenges::submit(RuntimeOrigin::signed(ALICE), id, claim(digest(0x42)), vec![], None),
			pallet_merit_artifacts::Error::<Test>::ClaimedKindDiffers
		);
		// Another account's registration, with no commitment before it: the one-call `submit`
		// cannot take it (the commit-and-reveal path can, see the front-running tests).
		register(BOB, digest(0x43), ArtifactKind::Predictions);
		assert_noop!(
			MeritChallenges::submit(RuntimeOrigin::signed(ALICE), id, claim(digest(0x43)), vec![], None),
			pallet_merit_artifacts::Error::<Test>::RegisteredByAnother
		);
		let sealed = create_sealed_at(21);
		register(ALICE, digest(0x44), ArtifactKind::Predictions);
		assert_noop!(
			MeritChallenges::submit(RuntimeOrigin::signed(ALICE), sealed, claim(digest(0x44)), vec![], None),
			Error::<Test>::WrongSubmissionMode
		);
		run_to_block(20);
		assert_noop!(
			MeritChallenges::submit(RuntimeOrigin::signed(ALICE), id, claim(digest(0x44)), vec![], None),
			Error::<Test>::ChallengeNotOpen
		);
	});
}

fn create_sealed_at(open_until: u64) -> ChallengeId {
	let id = NextChallengeId::<Test>::get();
	let mut p = params(SubmissionMode::Sealed);
	p.schedule.open_until = open_until;
	assert_ok!(MeritChallenges::create_challenge(RuntimeOrigin::signed(OWNER), p));
	id
}

#[test]
fn a_digest_is_submitted_once_per_challenge_and_the_first_keeps_it() {
	world(|| {
		let id = create(SubmissionMode::Open);
		let first = submit(ALICE, id, 0x41);
		assert_noop!(
			MeritChallenges::submit(RuntimeOrigin::signed(ALICE), id, claim(digest(0x41)), vec![], None),
			Error::<Test>::DuplicateSubmission
		);
		assert_eq!(SubmittedDigests::<Test>::get(id, digest(0x41)), Some(first));
		// The same predictions may go to another challenge.
		let other = create(SubmissionMode::Open);
		assert_ok!(MeritChallenges::submit(RuntimeOrigin::signed(ALICE), other, claim(digest(0x41)), vec![], None));
	});
}

#[test]
fn daily_and_total_limits_are_enforced_per_account() {
	world(|| {
		let id = create(SubmissionMode::Open);
		submit(ALICE, id, 0x41);
		submit(ALICE, id, 0x42);
		register(ALICE, digest(0x43), ArtifactKind::Predictions);
		assert_noop!(
			MeritChallenges::submit(RuntimeOrigin::signed(ALICE), id, claim(digest(0x43)), vec![], None),
			Error::<Test>::DailyLimitReached
		);
		// Bob has his own allowance.
		submit(BOB, id, 0x51);
		// A new day (10 blocks) resets the daily count, not the total.
		run_to_block(10);
		assert_ok!(MeritChallenges::submit(RuntimeOrigin::signed(ALICE), id, claim(digest(0x43)), vec![], None));
		register(ALICE, digest(0x44), ArtifactKind::Predictions);
		assert_noop!(
			MeritChallenges::submit(RuntimeOrigin::signed(ALICE), id, claim(digest(0x44)), vec![], None),
			Error::<Test>::TotalLimitReached
		);
		assert_eq!(status(id).participants, 2);
	});
}

#[test]
fn a_challenge_accepts_at_most_max_submissions() {
	world(|| {
		let mut p = params(SubmissionMode::Open);
		p.limits = SubmissionLimits { per_day: 100, total: 100 };
		assert_ok!(MeritChallenges::create_challenge(RuntimeOrigin::signed(OWNER), p));
		for n in 0..8 {
			submit(ALICE, 0, 0x60 + n);
		}
		register(ALICE, digest(0x70), ArtifactKind::Predictions);
		assert_noop!(
			MeritChallenges::submit(RuntimeOrigin::signed(ALICE), 0, claim(digest(0x70)), vec![], None),
			Error::<Test>::ChallengeFull
		);
	});
}

#[test]
fn forks_name_others_work_and_versions_name_ones_own() {
	world(|| {
		let id = create(SubmissionMode::Open);
		let alice_v1 = submit(ALICE, id, 0x41);
		let bob_v1 = submit(BOB, id, 0x51);
		register(CAROL, digest(0x61), ArtifactKind::Predictions);
		let carol = NextSubmissionId::<Test>::get();
		assert_ok!(MeritChallenges::submit(
			RuntimeOrigin::signed(CAROL),
			id,
			claim(digest(0x61)),
			vec![alice_v1, bob_v1],
			None
		));
		assert_eq!(Submissions::<Test>::get(carol).unwrap().parents.to_vec(), vec![alice_v1, bob_v1]);

		register(ALICE, digest(0x42), ArtifactKind::Predictions);
		let alice_v2 = NextSubmissionId::<Test>::get();
		assert_ok!(MeritChallenges::submit(
			RuntimeOrigin::signed(ALICE),
			id,
			claim(digest(0x42)),
			vec![carol],
			Some(alice_v1)
		));
		let v2 = Submissions::<Test>::get(alice_v2).unwrap();
		assert_eq!(v2.previous_version, Some(alice_v1));
		assert_eq!(v2.parents.to_vec(), vec![carol]);
	});
}

#[test]
fn bad_lineage_is_rejected_by_name() {
	world(|| {
		let id = create(SubmissionMode::Open);
		let other = create(SubmissionMode::Open);
		let alice = submit(ALICE, id, 0x41);
		let bob_elsewhere = submit(BOB, other, 0x51);
		let bob = submit(BOB, id, 0x52);
		register(CAROL, digest(0x61), ArtifactKind::Predictions);
		let attempt = |parents: Vec<SubmissionId>, previous: Option<SubmissionId>| {
			MeritChallenges::submit(RuntimeOrigin::signed(CAROL), id, claim(digest(0x61)), parents, previous)
		};
		assert_noop!(attempt(vec![alice, bob, alice], None), Error::<Test>::TooManyParents);
		assert_noop!(attempt(vec![alice, alice], None), Error::<Test>::BadParent);
		assert_noop!(attempt(vec![99], None), Error::<Test>::BadParent);
		assert_noop!(attempt(vec![bob_elsewhere], None), Error::<Test>::BadParent);
		assert_noop!(attempt(vec![], Some(alice)), Error::<Test>::BadPreviousVersion);
		assert_noop!(attempt(vec![], Some(99)), Error::<Test>::BadPreviousVersion);
		register(ALICE, digest(0x42), ArtifactKind::Predictions);
		assert_noop!(
			MeritChallenges::submit(RuntimeOrigin::signed(ALICE), id, claim(digest(0x42)), vec![alice], None),
			Error::<Test>::ParentIsOwnSubmission
		);
	});
}

// ---- closing by schedule ----

#[test]
fn the_hook_closes_the_challenge_at_open_until() {
	world(|| {
		let id = create(SubmissionMode::Open);
		run_to_block(19);
		assert_eq!(status(id).state, ChallengeState::Open);
		run_to_block(20);
		assert_eq!(status(id).state, ChallengeState::Closed);
		System::assert_has_event(Event::ChallengeClosed { challenge: id }.into());
		assert!(ClosingAt::<Test>::get(20).is_empty());
	});
}

// ---- sealed submissions ----

fn commit(who: AccountId, id: ChallengeId, n: u8, salt: &[u8]) -> SubmissionId {
	let sid = NextSubmissionId::<Test>::get();
	let commitment = MeritChallenges::submission_commitment(&digest(n), salt, &who);
	assert_ok!(MeritChallenges::commit_submission(RuntimeOrigin::signed(who), id, commitment, vec![], None));
	sid
}

#[test]
fn sealed_submissions_commit_while_open_and_reveal_after_close() {
	world(|| {
		let id = create(SubmissionMode::Sealed);
		let sid = commit(ALICE, id, 0x41, b"s1");
		let commitment = MeritChallenges::submission_commitment(&digest(0x41), b"s1", &ALICE);
		assert_eq!(Submissions::<Test>::get(sid).unwrap().content, SubmissionContent::Committed(commitment));
		System::assert_last_event(
			Event::SubmissionCommitted { challenge: id, submission: sid, author: ALICE, commitment }.into(),
		);
		register(ALICE, digest(0x41), ArtifactKind::Predictions);
		assert_noop!(
			MeritChallenges::reveal_submission(RuntimeOrigin::signed(ALICE), sid, claim(digest(0x41)), b"s1".to_vec()),
			Error::<Test>::ChallengeNotClosed
		);
		run_to_block(20);
		assert_ok!(MeritChallenges::reveal_submission(
			RuntimeOrigin::signed(ALICE),
			sid,
			claim(digest(0x41)),
			b"s1".to_vec()
		));
		assert_eq!(Submissions::<Test>::get(sid).unwrap().content, SubmissionContent::Revealed(digest(0x41)));
		assert_eq!(SubmittedDigests::<Test>::get(id, digest(0x41)), Some(sid));
		System::assert_last_event(
			Event::SubmissionRevealed { challenge: id, submission: sid, digest: digest(0x41) }.into(),
		);
	});
}

#[test]
fn sealed_reveal_rejects_each_bad_input_by_name() {
	world(|| {
		let id = create(SubmissionMode::Sealed);
		let sid = commit(ALICE, id, 0x41, b"s1");
		assert_noop!(
			MeritChallenges::commit_submission(
				RuntimeOrigin::signed(BOB),
				id,
				MeritChallenges::submission_commitment(&digest(0x41), b"s1", &ALICE),
				vec![],
				None
			),
			Error::<Test>::DuplicateCommitment
		);
		run_to_block(20);
		let reveal = |who: AccountId, sid: SubmissionId, n: u8, salt: &[u8]| {
			MeritChallenges::reveal_submission(RuntimeOrigin::signed(who), sid, claim(digest(n)), salt.to_vec())
		};
		assert_noop!(reveal(ALICE, 99, 0x41, b"s1"), Error::<Test>::UnknownSubmission);
		assert_noop!(reveal(BOB, sid, 0x41, b"s1"), Error::<Test>::NotAuthor);
		assert_noop!(reveal(ALICE, sid, 0x41, b"wrong"), Error::<Test>::CommitmentMismatch);
		assert_noop!(reveal(ALICE, sid, 0x41, &[0u8; 33]), Error::<Test>::SaltTooLong);
		register(ALICE, digest(0x41), ArtifactKind::Code);
		assert_noop!(reveal(ALICE, sid, 0x41, b"s1"), pallet_merit_artifacts::Error::<Test>::ClaimedKindDiffers);
		// After close, new commitments are refused.
		assert_noop!(
			MeritChallenges::commit_submission(RuntimeOrigin::signed(BOB), id, H256::repeat_byte(7), vec![], None),
			Error::<Test>::ChallengeNotOpen
		);
		run_to_block(25);
		assert_noop!(reveal(ALICE, sid, 0x41, b"s1"), Error::<Test>::RevealPeriodOver);
	});
}

#[test]
fn a_revealed_submission_cannot_be_revealed_again() {
	world(|| {
		let id = create(SubmissionMode::Sealed);
		let sid = commit(ALICE, id, 0x41, b"s1");
		register(ALICE, digest(0x41), ArtifactKind::Predictions);
		run_to_block(20);
		assert_ok!(MeritChallenges::reveal_submission(
			RuntimeOrigin::signed(ALICE),
			sid,
			claim(digest(0x41)),
			b"s1".to_vec()
		));
		assert_noop!(
			MeritChallenges::reveal_submission(RuntimeOrigin::signed(ALICE), sid, claim(digest(0x41)), b"s1".to_vec()),
			Error::<Test>::AlreadyRevealed
		);
	});
}

#[test]
fn the_earlier_commitment_keeps_a_digest_whoever_reveals_first() {
	world(|| {
		let id = create(SubmissionMode::Sealed);
		// Alice commits first; Bob, who got hold of her file, commits to it later, registers the
		// artifact himself and reveals first. Alice's earlier commitment still wins the digest.
		let alice = commit(ALICE, id, 0x41, b"a");
		let bob = commit(BOB, id, 0x41, b"b");
		register(BOB, digest(0x41), ArtifactKind::Predictions);
		run_to_block(20);
		assert_ok!(MeritChallenges::reveal_submission(
			RuntimeOrigin::signed(BOB),
			bob,
			claim(digest(0x41)),
			b"b".to_vec()
		));
		assert_eq!(SubmittedDigests::<Test>::get(id, digest(0x41)), Some(bob));
		assert_ok!(MeritChallenges::reveal_submission(
			RuntimeOrigin::signed(ALICE),
			alice,
			claim(digest(0x41)),
			b"a".to_vec()
		));
		assert_eq!(SubmittedDigests::<Test>::get(id, digest(0x41)), Some(alice));
		assert_eq!(
			Submissions::<Test>::get(bob).unwrap().content,
			SubmissionContent::Duplicate { digest: digest(0x41), of: alice }
		);
		System::assert_has_event(Event::SubmissionSuperseded { challenge: id, submission: bob, by: alice }.into());
	});
}

#[test]
fn an_earlier_commitment_revealed_later_supersedes_a_later_one() {
	world(|| {
		let id = create(SubmissionMode::Sealed);
		let early = commit(ALICE, id, 0x41, b"a1");
		let late = commit(ALICE, id, 0x41, b"a2");
		register(ALICE, digest(0x41), ArtifactKind::Predictions);
		run_to_block(20);
		assert_ok!(MeritChallenges::reveal_submission(
			RuntimeOrigin::signed(ALICE),
			late,
			claim(digest(0x41)),
			b"a2".to_vec()
		));
		assert_ok!(MeritChallenges::reveal_submission(
			RuntimeOrigin::signed(ALICE),
			early,
			claim(digest(0x41)),
			b"a1".to_vec()
		));
		assert_eq!(SubmittedDigests::<Test>::get(id, digest(0x41)), Some(early));
		assert_eq!(
			Submissions::<Test>::get(late).unwrap().content,
			SubmissionContent::Duplicate { digest: digest(0x41), of: early }
		);
		System::assert_has_event(Event::SubmissionSuperseded { challenge: id, submission: late, by: early }.into());
		// And a later commitment revealed after the earlier one is simply refused.
		let id2 = create_sealed_at(21);
		let first = commit(ALICE, id2, 0x41, b"x1");
		let second = commit(ALICE, id2, 0x41, b"x2");
		run_to_block(21);
		assert_ok!(MeritChallenges::reveal_submission(
			RuntimeOrigin::signed(ALICE),
			first,
			claim(digest(0x41)),
			b"x1".to_vec()
		));
		assert_noop!(
			MeritChallenges::reveal_submission(
				RuntimeOrigin::signed(ALICE),
				second,
				claim(digest(0x41)),
				b"x2".to_vec()
			),
			Error::<Test>::DuplicateSubmission
		);
	});
}

// ---- labels ----

#[test]
fn the_owner_reveals_labels_matching_the_commitment() {
	world(|| {
		let id = create(SubmissionMode::Open);
		register(OWNER, digest(LABELS), ArtifactKind::Labels);
		assert_noop!(
			MeritChallenges::reveal_labels(RuntimeOrigin::signed(OWNER), id, claim(digest(LABELS)), SALT.to_vec()),
			Error::<Test>::ChallengeNotClosed
		);
		run_to_block(20);
		assert_ok!(MeritChallenges::reveal_labels(
			RuntimeOrigin::signed(OWNER),
			id,
			claim(digest(LABELS)),
			SALT.to_vec()
		));
		let c = status(id);
		assert_eq!(c.state, ChallengeState::LabelsRevealed);
		assert_eq!(c.labels.as_ref().unwrap().digest, digest(LABELS));
		assert_eq!(c.labels.unwrap().salt.to_vec(), SALT.to_vec());
		assert!(RevealDeadlineAt::<Test>::get(40).is_empty());
		System::assert_last_event(Event::LabelsRevealed { challenge: id, labels: digest(LABELS) }.into());
		// The promise is kept: the reveal bond goes back to the owner.
		System::assert_has_event(
			pallet_merit_rewards::Event::<Test>::RevealBondReleased { challenge: id, amount: POOL / 10 }.into(),
		);
		assert_eq!(pallet_merit_rewards::RevealBonds::<Test>::get(id), None);
		assert_eq!(Balances::balance(&OWNER), 100_000 - POOL - 2);
		// The deadline passing later changes nothing.
		run_to_block(40);
		assert_eq!(status(id).state, ChallengeState::LabelsRevealed);
	});
}

#[test]
fn labels_reveal_rejects_each_bad_input_by_name() {
	world(|| {
		let id = create(SubmissionMode::Open);
		run_to_block(20);
		let reveal = |who: AccountId, labels: u8, salt: &[u8]| {
			MeritChallenges::reveal_labels(RuntimeOrigin::signed(who), id, claim(digest(labels)), salt.to_vec())
		};
		assert_noop!(
			MeritChallenges::reveal_labels(RuntimeOrigin::signed(OWNER), 9, claim(digest(LABELS)), SALT.to_vec()),
			Error::<Test>::UnknownChallenge
		);
		assert_noop!(reveal(ALICE, LABELS, SALT), Error::<Test>::NotOwner);
		assert_noop!(reveal(OWNER, LABELS, &[0u8; 33]), Error::<Test>::SaltTooLong);
		assert_noop!(reveal(OWNER, LABELS, b"another salt"), Error::<Test>::LabelsCommitmentMismatch);
		assert_noop!(reveal(OWNER, 0x21, SALT), Error::<Test>::LabelsCommitmentMismatch);
		assert_noop!(
			MeritChallenges::reveal_labels(
				RuntimeOrigin::signed(OWNER),
				id,
				claim_at(digest(LABELS), b"https://bad uri"),
				SALT.to_vec()
			),
			pallet_merit_artifacts::Error::<Test>::InvalidUri
		);
		// Labels larger than every evaluator fetches (the test runtime's MaxLabelsSize is 100,000).
		let mut too_large = claim(digest(LABELS));
		too_large.size = 100_001;
		assert_noop!(
			MeritChallenges::reveal_labels(RuntimeOrigin::signed(OWNER), id, too_large, SALT.to_vec()),
			Error::<Test>::LabelsTooLarge
		);
		register(OWNER, digest(LABELS), ArtifactKind::Dataset);
		assert_noop!(reveal(OWNER, LABELS, SALT), pallet_merit_artifacts::Error::<Test>::ClaimedKindDiffers);
	});
}

#[test]
fn sealed_challenges_wait_for_submission_reveals_before_labels() {
	world(|| {
		let id = create(SubmissionMode::Sealed);
		register(OWNER, digest(LABELS), ArtifactKind::Labels);
		run_to_block(20);
		assert_noop!(
			MeritChallenges::reveal_labels(RuntimeOrigin::signed(OWNER), id, claim(digest(LABELS)), SALT.to_vec()),
			Error::<Test>::RevealPeriodNotOver
		);
		run_to_block(25);
		assert_ok!(MeritChallenges::reveal_labels(
			RuntimeOrigin::signed(OWNER),
			id,
			claim(digest(LABELS)),
			SALT.to_vec()
		));
	});
}

// ---- missed reveal deadline ----

#[test]
fn a_missed_reveal_with_nothing_scored_returns_the_pool_and_burns_the_bond() {
	world(|| {
		let id = create(SubmissionMode::Open);
		// Submissions that were never scored (the owner never let the panel score them, or they
		// are sybils' files) earn no share.
		submit(ALICE, id, 0x41);
		submit(BOB, id, 0x51);
		let issuance = Balances::total_issuance();
		run_to_block(40);
		assert_eq!(status(id).state, ChallengeState::Cancelled(CancelReason::MissedLabelsReveal));
		assert_eq!(pool(id).held, 0);
		assert_eq!(held(OWNER), 0);
		// The pool goes back; the reveal bond is burnt, so abandoning still costs the owner it.
		System::assert_has_event(
			pallet_merit_rewards::Event::<Test>::RevealBondForfeited { challenge: id, amount: 100 }.into(),
		);
		System::assert_has_event(
			Event::ChallengeCancelled {
				challenge: id,
				reason: CancelReason::MissedLabelsReveal,
				released: POOL,
				scored_submissions: 0,
				refund_per_scored_submission: 0,
			}
			.into(),
		);
		assert_eq!(Balances::total_issuance(), issuance - POOL / 10);
		assert_noop!(
			MeritRewards::claim_refund(RuntimeOrigin::signed(ALICE), id),
			pallet_merit_rewards::Error::<Test>::NoScoredSubmission
		);
	});
}

/// What the scoring pallet tells the pool when a public score becomes final (these tests have no
/// panel; the scoring and rewards pallets' own tests make scores final through real reports).
fn public_score_final(id: ChallengeId, submission: SubmissionId, author: &AccountId) {
	<MeritRewards as merit_primitives::OnOutcomeFinal<AccountId>>::on_outcome_final(
		id,
		submission,
		author,
		merit_primitives::Subset::Public,
		&merit_primitives::Outcome::Scored(merit_primitives::Score::from_parts(1)),
		&[],
	);
}

#[test]
fn a_missed_reveal_splits_the_pool_per_scored_submission_remainder_to_the_owner() {
	world(|| {
		let id = create(SubmissionMode::Open);
		let a1 = submit(ALICE, id, 0x41);
		let a2 = submit(ALICE, id, 0x42);
		let b1 = submit(BOB, id, 0x51);
		// CAROL's file was never scored (junk, or a sybil's): it earns nothing.
		submit(CAROL, id, 0x61);
		for (sid, who) in [(a1, &ALICE), (a2, &ALICE), (b1, &BOB)] {
			public_score_final(id, sid, who);
		}
		run_to_block(40);
		// The owner's reveal bond (100) joins the pool: 1,100 / 3 scored submissions = 366 each;
		// 2 units of remainder go back to the owner.
		System::assert_has_event(
			pallet_merit_rewards::Event::<Test>::RevealBondForfeited { challenge: id, amount: 100 }.into(),
		);
		assert_eq!(pool(id).refund_per_scored_submission, Some(366));
		assert_eq!(pool(id).held, 1_098);
		assert_eq!(held(OWNER), 1_098);
		System::assert_has_event(
			Event::ChallengeCancelled {
				challenge: id,
				reason: CancelReason::MissedLabelsReveal,
				released: 2,
				scored_submissions: 3,
				refund_per_scored_submission: 366,
			}
			.into(),
		);
		assert_invariants();

		// The refunds are paid by the pool's pallet (rewards): ALICE's two scored files earn two shares.
		let before = Balances::balance(&ALICE);
		assert_ok!(MeritRewards::claim_refund(RuntimeOrigin::signed(ALICE), id));
		assert_eq!(Balances::balance(&ALICE), before + 732);
		System::assert_last_event(
			pallet_merit_rewards::Event::<Test>::RefundClaimed { challenge: id, who: ALICE, amount: 732 }.into(),
		);
		assert_noop!(
			MeritRewards::claim_refund(RuntimeOrigin::signed(ALICE), id),
			pallet_merit_rewards::Error::<Test>::RefundAlreadyClaimed
		);
		for nobody in [OWNER, CAROL] {
			assert_noop!(
				MeritRewards::claim_refund(RuntimeOrigin::signed(nobody), id),
				pallet_merit_rewards::Error::<Test>::NoScoredSubmission
			);
		}
		assert_ok!(MeritRewards::claim_refund(RuntimeOrigin::signed(BOB), id));
		assert_eq!(pool(id).held, 0);
		assert_eq!(held(OWNER), 0);
		// Every unit of the pool and bond ended with someone: 3 × 366 to scored files, 2 to the owner.
		assert_eq!(Balances::balance(&OWNER), 100_000 - 1 - POOL - POOL / 10 + 2);
		let ledger = Ledger::<Test>::get(id);
		assert_eq!((ledger.refunded, ledger.returned), (1_098, 2));
	});
}

#[test]
fn refunds_exist_only_for_abandoned_challenges() {
	world(|| {
		assert_noop!(
			MeritRewards::claim_refund(RuntimeOrigin::signed(ALICE), 5),
			pallet_merit_rewards::Error::<Test>::UnknownChallenge
		);
		let id = create(SubmissionMode::Open);
		submit(ALICE, id, 0x41);
		assert_noop!(
			MeritRewards::claim_refund(RuntimeOrigin::signed(ALICE), id),
			pallet_merit_rewards::Error::<Test>::NoRefund
		);
	});
}

// ---- finalization entry point ----

#[test]
fn finalize_requires_revealed_labels() {
	world(|| {
		let id = create(SubmissionMode::Open);
		// The lifecycle's last step, as the rewards pallet drives it after paying the pool.
		assert_noop!(<MeritChallenges as ChallengeLifecycle>::conclude(id), Error::<Test>::LabelsNotRevealed);
		assert_noop!(<MeritChallenges as ChallengeLifecycle>::conclude(77), Error::<Test>::UnknownChallenge);
		// Finalization itself is the rewards pallet's call.
		assert_noop!(
			MeritRewards::finalize(RuntimeOrigin::signed(ALICE), id),
			pallet_merit_rewards::Error::<Test>::LabelsNotRevealed
		);
		assert_noop!(
			MeritRewards::finalize(RuntimeOrigin::signed(ALICE), 77),
			pallet_merit_rewards::Error::<Test>::UnknownChallenge
		);
		register(OWNER, digest(LABELS), ArtifactKind::Labels);
		run_to_block(20);
		assert_ok!(MeritChallenges::reveal_labels(
			RuntimeOrigin::signed(OWNER),
			id,
			claim(digest(LABELS)),
			SALT.to_vec()
		));
		let free_before = Balances::balance(&OWNER);
		// Nobody submitted: the whole pool goes back to the owner.
		assert_ok!(MeritRewards::finalize(RuntimeOrigin::signed(ALICE), id));
		assert_eq!(status(id).state, ChallengeState::Finalized);
		assert!(!LiveChallenges::<Test>::contains_key(id));
		assert_eq!((held(OWNER), Balances::balance(&OWNER)), (0, free_before + POOL));
		System::assert_last_event(
			pallet_merit_rewards::Event::<Test>::Finalized { challenge: id, winners: 0, returned: POOL }.into(),
		);
		assert_noop!(
			MeritRewards::finalize(RuntimeOrigin::signed(ALICE), id),
			pallet_merit_rewards::Error::<Test>::LabelsNotRevealed
		);
		assert_noop!(<MeritChallenges as ChallengeLifecycle>::conclude(id), Error::<Test>::LabelsNotRevealed);
	});
}

/// `pay_from_pool` is gone: the rewards pallet pays from the pool, reached here through review
/// micro-rewards (a budget of 40% of the pool, 300 per review): 300 to Alice, then the 100 left of
/// the budget to the owner, then nothing.
#[test]
fn the_pool_pays_exactly_what_it_holds_and_only_while_live() {
	world(|| {
		let id = NextChallengeId::<Test>::get();
		assert_ok!(create_with(|p| {
			p.terms = RewardTerms {
				micro_share: Perbill::from_percent(40),
				review_reward: 300,
				max_reviews_per_reviewer: 1,
				..Default::default()
			}
		}));
		let bob = submit(BOB, id, 0x51);
		// Reviewers need a track record: each has a submission, scored once the challenge closed.
		let own: Vec<_> = [(ALICE, 0x61), (OWNER, 0x62), (CAROL, 0x63)]
			.into_iter()
			.map(|(who, tag)| (submit(who.clone(), id, tag), who))
			.collect();
		run_to_block(20);
		for (sid, who) in own {
			public_score_final(id, sid, &who);
		}
		for (who, report) in [(ALICE, 0x81), (OWNER, 0x82), (CAROL, 0x83)] {
			register(who, digest(report), ArtifactKind::Report);
		}
		let alice_before = Balances::balance(&ALICE);
		assert_ok!(MeritRewards::review(RuntimeOrigin::signed(ALICE), bob, 5, digest(0x81)));
		assert_eq!(
			(held(OWNER), pool(id).held, Balances::balance(&ALICE)),
			(POOL - 300, POOL - 300, alice_before + 300)
		);
		// Paying the owner releases the hold instead of transferring to itself.
		let owner_before = Balances::balance(&OWNER);
		assert_ok!(MeritRewards::review(RuntimeOrigin::signed(OWNER), bob, 4, digest(0x82)));
		assert_eq!((held(OWNER), Balances::balance(&OWNER)), (POOL - 400, owner_before + 100));
		// The budget is spent: nothing more is paid.
		let carol_before = Balances::balance(&CAROL);
		assert_ok!(MeritRewards::review(RuntimeOrigin::signed(CAROL), bob, 3, digest(0x83)));
		assert_eq!((held(OWNER), Balances::balance(&CAROL)), (POOL - 400, carol_before));
		System::assert_has_event(
			pallet_merit_rewards::Event::<Test>::MicroBudgetSpent {
				challenge: id,
				to: CAROL,
				kind: pallet_merit_rewards::RewardKind::Review { submission: bob },
			}
			.into(),
		);
		assert_noop!(
			MeritRewards::review(RuntimeOrigin::signed(ALICE), 77, 5, digest(0x81)),
			pallet_merit_rewards::Error::<Test>::UnknownSubmission
		);
		assert_invariants();
		// Once the challenge is finalized (every unscored submission waits for the grace period),
		// the rest goes back to the owner and the pool pays nothing more.
		register(OWNER, digest(LABELS), ArtifactKind::Labels);
		assert_ok!(MeritChallenges::reveal_labels(
			RuntimeOrigin::signed(OWNER),
			id,
			claim(digest(LABELS)),
			SALT.to_vec()
		));
		run_to_block(60);
		assert_ok!(MeritRewards::finalize(RuntimeOrigin::signed(ALICE), id));
		assert_eq!(held(OWNER), 0);
		assert_eq!(Ledger::<Test>::get(id).returned, POOL - 400);
		assert_noop!(
			MeritRewards::review(RuntimeOrigin::signed(account(5)), bob, 5, digest(0x84)),
			pallet_merit_rewards::Error::<Test>::NotInReviewPeriod
		);
	});
}

#[test]
fn unsigned_origins_are_rejected_everywhere() {
	world(|| {
		let none = || RuntimeOrigin::none();
		assert_noop!(MeritChallenges::create_challenge(none(), params(SubmissionMode::Open)), DispatchError::BadOrigin);
		assert_noop!(MeritChallenges::cancel_challenge(none(), 0), DispatchError::BadOrigin);
		assert_noop!(MeritChallenges::submit(none(), 0, claim(digest(1)), vec![], None), DispatchError::BadOrigin);
		assert_noop!(
			MeritChallenges::commit_submission(none(), 0, H256::zero(), vec![], None),
			DispatchError::BadOrigin
		);
		assert_noop!(MeritChallenges::reveal_submission(none(), 0, claim(digest(1)), vec![]), DispatchError::BadOrigin);
		assert_noop!(MeritChallenges::reveal_labels(none(), 0, claim(digest(1)), vec![]), DispatchError::BadOrigin);
		assert_noop!(MeritRewards::claim_refund(none(), 0), DispatchError::BadOrigin);
	});
}

#[test]
fn the_commitment_helpers_match_their_documented_preimages() {
	world(|| {
		let mut preimage = digest(LABELS).as_bytes().to_vec();
		preimage.extend_from_slice(SALT);
		assert_eq!(
			MeritChallenges::labels_commitment(&digest(LABELS), SALT).0,
			polkadot_sdk::sp_io::hashing::sha2_256(&preimage)
		);
		let mut preimage = digest(0x41).as_bytes().to_vec();
		preimage.extend_from_slice(b"s");
		preimage.extend_from_slice(&ALICE.encode());
		assert_eq!(
			MeritChallenges::submission_commitment(&digest(0x41), b"s", &ALICE).0,
			polkadot_sdk::sp_io::hashing::sha2_256(&preimage)
		);
	});
}

// ---- atomic claims: squatters and front-runners ----

/// The registry's record of `d`: (owner, kind, uri).
fn registration(d: Digest) -> (AccountId, ArtifactKind, Vec<u8>) {
	let info = pallet_merit_artifacts::Artifacts::<Test>::get(d).expect("registered");
	(info.owner, info.kind, info.uri.into_inner())
}

fn artifact_deposit_held(who: &AccountId) -> u64 {
	Balances::balance_on_hold(&pallet_merit_artifacts::HoldReason::StorageDeposit.into(), who)
}

#[test]
fn a_labels_squatter_neither_blocks_the_reveal_nor_keeps_its_uri() {
	for squatted_kind in [ArtifactKind::Dataset, ArtifactKind::Labels] {
		world(|| {
			let id = create(SubmissionMode::Open);
			run_to_block(20);
			// BOB copies the digest from the owner's reveal in the transaction pool and registers it
			// first, under his own URI (as another kind, or as labels).
			assert_ok!(MeritArtifacts::register(
				RuntimeOrigin::signed(BOB),
				digest(LABELS),
				squatted_kind,
				10,
				b"https://squatter.example/gone".to_vec(),
				b"MIT".to_vec(),
				vec![]
			));
			assert_eq!(artifact_deposit_held(&BOB), 1);
			// A claim that fails its own checks takes nothing over.
			assert_noop!(
				MeritChallenges::reveal_labels(
					RuntimeOrigin::signed(OWNER),
					id,
					claim_at(digest(LABELS), b"ftp://owner.example/labels.csv"),
					SALT.to_vec()
				),
				pallet_merit_artifacts::Error::<Test>::InvalidUri
			);
			assert_ok!(MeritChallenges::reveal_labels(
				RuntimeOrigin::signed(OWNER),
				id,
				claim_at(digest(LABELS), b"https://owner.example/labels.csv"),
				SALT.to_vec()
			));
			assert_eq!(status(id).state, ChallengeState::LabelsRevealed);
			// The artifact is the owner's, at the owner's URI; the squatter got his deposit back and
			// nothing else.
			assert_eq!(
				registration(digest(LABELS)),
				(OWNER, ArtifactKind::Labels, b"https://owner.example/labels.csv".to_vec())
			);
			assert_eq!(artifact_deposit_held(&BOB), 0);
			System::assert_has_event(
				pallet_merit_artifacts::Event::<Test>::Reclaimed {
					digest: digest(LABELS),
					from: BOB,
					to: OWNER,
					kind: ArtifactKind::Labels,
					deposit: 1,
				}
				.into(),
			);
			// The squatter cannot remove it; the owner cannot while the challenge pins it.
			assert_noop!(
				MeritArtifacts::remove(RuntimeOrigin::signed(BOB), digest(LABELS)),
				pallet_merit_artifacts::Error::<Test>::NotOwner
			);
			assert_noop!(
				MeritArtifacts::remove(RuntimeOrigin::signed(OWNER), digest(LABELS)),
				pallet_merit_artifacts::Error::<Test>::StillReferenced
			);
		});
	}
}

#[test]
fn a_sealed_reveal_takes_its_digest_back_from_a_front_runner() {
	world(|| {
		let id = create(SubmissionMode::Sealed);
		let sid = commit(ALICE, id, 0x41, b"s1");
		run_to_block(20);
		// BOB sees ALICE's reveal in the pool and registers the digest ahead of it.
		register(BOB, digest(0x41), ArtifactKind::Predictions);
		assert_ok!(MeritChallenges::reveal_submission(
			RuntimeOrigin::signed(ALICE),
			sid,
			claim_at(digest(0x41), b"https://alice.example/p.csv"),
			b"s1".to_vec()
		));
		assert_eq!(Submissions::<Test>::get(sid).unwrap().content, SubmissionContent::Revealed(digest(0x41)));
		assert_eq!(
			registration(digest(0x41)),
			(ALICE, ArtifactKind::Predictions, b"https://alice.example/p.csv".to_vec())
		);
	});
}

#[test]
fn an_open_challenge_takes_commit_and_reveal_so_copying_the_digest_earns_nothing() {
	world(|| {
		let id = create(SubmissionMode::Open);
		let alice = commit(ALICE, id, 0x41, b"a");
		// The front-runner sees ALICE's reveal and submits the same digest in one call, with a
		// higher tip: it lands first and registers the artifact as BOB's.
		let bob = NextSubmissionId::<Test>::get();
		assert_ok!(MeritChallenges::submit(
			RuntimeOrigin::signed(BOB),
			id,
			claim_at(digest(0x41), b"https://bob.example/copy"),
			vec![],
			None
		));
		assert_ok!(MeritChallenges::reveal_submission(
			RuntimeOrigin::signed(ALICE),
			alice,
			claim_at(digest(0x41), b"https://alice.example/p.csv"),
			b"a".to_vec()
		));
		// ALICE's earlier commitment has priority: BOB's copy is a duplicate and the artifact and
		// its location are ALICE's.
		assert_eq!(SubmittedDigests::<Test>::get(id, digest(0x41)), Some(alice));
		assert_eq!(
			Submissions::<Test>::get(bob).unwrap().content,
			SubmissionContent::Duplicate { digest: digest(0x41), of: alice }
		);
		assert_eq!(registration(digest(0x41)).0, ALICE);
		// Open challenges reveal while open; after the close a commitment can no longer be revealed.
		let late = commit(CAROL, id, 0x42, b"c");
		run_to_block(20);
		assert_noop!(
			MeritChallenges::reveal_submission(RuntimeOrigin::signed(CAROL), late, claim(digest(0x42)), b"c".to_vec()),
			Error::<Test>::ChallengeNotOpen
		);
	});
}

#[test]
fn an_earlier_registration_by_another_account_is_used_not_taken() {
	world(|| {
		// BOB published these predictions before ALICE committed to them: his registration is
		// older than her commitment, so it stays his.
		register(BOB, digest(0x41), ArtifactKind::Predictions);
		run_to_block(2);
		let id = create(SubmissionMode::Sealed);
		let sid = commit(ALICE, id, 0x41, b"s1");
		run_to_block(20);
		assert_ok!(MeritChallenges::reveal_submission(
			RuntimeOrigin::signed(ALICE),
			sid,
			claim_at(digest(0x41), b"https://alice.example/p.csv"),
			b"s1".to_vec()
		));
		assert_eq!(registration(digest(0x41)), (BOB, ArtifactKind::Predictions, b"https://store/x".to_vec()));
	});
}

// ---- submission deposits ----

/// [`world`] with a deposit of 5 per submission.
fn with_deposit(test: impl FnOnce()) {
	ext().bounds(|b| b.submission_deposit = 5).build_and_execute(|| {
		register(OWNER, digest(TRAIN), ArtifactKind::Dataset);
		test();
	})
}

fn deposit_held(who: &AccountId) -> u64 {
	Balances::balance_on_hold(&HoldReason::SubmissionDeposit.into(), who)
}

#[test]
fn sybils_filling_a_challenge_with_commitments_lose_every_deposit() {
	with_deposit(|| {
		let id = create(SubmissionMode::Sealed);
		let issuance = Balances::total_issuance();
		// Eight sybils take every place with commitments they never reveal.
		let sybils: Vec<AccountId> = (0..8u8).map(|i| AccountId32::new([100 + i; 32])).collect();
		for (i, sybil) in sybils.iter().enumerate() {
			assert_ok!(Balances::transfer_allow_death(RuntimeOrigin::signed(ALICE), sybil.clone(), 100));
			let sid = commit(sybil.clone(), id, 0x50 + i as u8, b"x");
			assert_eq!(SubmissionDeposits::<Test>::get(sid), Some(5));
			assert_eq!(deposit_held(sybil), 5);
		}
		assert_noop!(
			MeritChallenges::commit_submission(RuntimeOrigin::signed(BOB), id, H256::repeat_byte(9), vec![], None),
			Error::<Test>::ChallengeFull
		);
		// Not due while they may still reveal.
		assert_noop!(MeritChallenges::settle_deposit(RuntimeOrigin::signed(BOB), 0), Error::<Test>::DepositNotDue);
		run_to_block(25);
		for sid in 0..8 {
			assert_ok!(MeritChallenges::settle_deposit(RuntimeOrigin::signed(BOB), sid));
			System::assert_last_event(
				Event::DepositSettled {
					submission: sid,
					author: sybils[sid as usize].clone(),
					amount: 5,
					refunded: false,
				}
				.into(),
			);
		}
		for sybil in &sybils {
			assert_eq!(deposit_held(sybil), 0);
			assert_eq!(Balances::balance(sybil), 95);
		}
		// The deposits are burnt: nobody, not the owner and not the caller, gains from them.
		assert_eq!(Balances::total_issuance(), issuance - 8 * 5);
		assert_noop!(MeritChallenges::settle_deposit(RuntimeOrigin::signed(BOB), 0), Error::<Test>::NoDeposit);
	});
}

#[test]
fn a_submission_without_the_deposit_is_refused_by_name() {
	with_deposit(|| {
		let id = create(SubmissionMode::Open);
		let poor = AccountId32::new([99; 32]);
		assert_ok!(Balances::transfer_allow_death(RuntimeOrigin::signed(ALICE), poor.clone(), 4));
		assert_noop!(
			MeritChallenges::commit_submission(RuntimeOrigin::signed(poor), id, H256::repeat_byte(1), vec![], None),
			Error::<Test>::InsufficientBalanceForDeposit
		);
	});
}

#[test]
fn duplicates_forfeit_and_abandoned_revealed_submissions_get_their_deposit_back() {
	with_deposit(|| {
		let id = create(SubmissionMode::Sealed);
		let first = commit(ALICE, id, 0x41, b"a");
		let copy = commit(BOB, id, 0x41, b"b");
		run_to_block(20);
		assert_ok!(MeritChallenges::reveal_submission(
			RuntimeOrigin::signed(BOB),
			copy,
			claim(digest(0x41)),
			b"b".to_vec()
		));
		assert_ok!(MeritChallenges::reveal_submission(
			RuntimeOrigin::signed(ALICE),
			first,
			claim(digest(0x41)),
			b"a".to_vec()
		));
		// The duplicate's deposit is burnt at once; the revealed one waits for a score.
		assert_ok!(MeritChallenges::settle_deposit(RuntimeOrigin::signed(CAROL), copy));
		assert_eq!(deposit_held(&BOB), 0);
		assert_noop!(
			MeritChallenges::settle_deposit(RuntimeOrigin::signed(CAROL), first),
			Error::<Test>::DepositNotDue
		);
		// The owner never reveals the labels: not ALICE's fault, her deposit comes back.
		run_to_block(40);
		assert_eq!(status(id).state, ChallengeState::Cancelled(CancelReason::MissedLabelsReveal));
		let before = Balances::balance(&ALICE);
		assert_ok!(MeritChallenges::settle_deposit(RuntimeOrigin::signed(CAROL), first));
		assert_eq!(Balances::balance(&ALICE), before + 5);
		assert_eq!(deposit_held(&ALICE), 0);
	});
}

// ---- pins ----

/// Issue 12's attack: naming someone else's dataset as training data pinned it for good, locking
/// its owner's deposit. A challenge pins it only while it lives.
#[test]
fn a_challenge_pins_someone_elses_dataset_only_while_it_lives() {
	world(|| {
		register(ALICE, digest(0x30), ArtifactKind::Dataset);
		let id = NextChallengeId::<Test>::get();
		assert_ok!(create_with(|p| p.training_data = vec![digest(TRAIN), digest(0x30)]));
		assert_noop!(
			MeritArtifacts::remove(RuntimeOrigin::signed(ALICE), digest(0x30)),
			pallet_merit_artifacts::Error::<Test>::StillReferenced
		);
		// The owner walks away: at the reveal deadline the challenge ends and lets go.
		run_to_block(40);
		assert_eq!(status(id).state, ChallengeState::Cancelled(CancelReason::MissedLabelsReveal));
		assert_ok!(MeritArtifacts::remove(RuntimeOrigin::signed(ALICE), digest(0x30)));
		assert_ok!(MeritArtifacts::remove(RuntimeOrigin::signed(OWNER), digest(TRAIN)));
	});
}

#[test]
fn a_finalized_challenge_releases_its_training_data() {
	world(|| {
		let id = create(SubmissionMode::Open);
		register(OWNER, digest(LABELS), ArtifactKind::Labels);
		run_to_block(20);
		assert_ok!(MeritChallenges::reveal_labels(
			RuntimeOrigin::signed(OWNER),
			id,
			claim(digest(LABELS)),
			SALT.to_vec()
		));
		assert_ok!(MeritRewards::finalize(RuntimeOrigin::signed(ALICE), id));
		assert_eq!(status(id).state, ChallengeState::Finalized);
		assert_ok!(MeritArtifacts::remove(RuntimeOrigin::signed(OWNER), digest(TRAIN)));
		// The revealed labels stay pinned: they are the evidence every score is checked against.
		assert_noop!(
			MeritArtifacts::remove(RuntimeOrigin::signed(OWNER), digest(LABELS)),
			pallet_merit_artifacts::Error::<Test>::StillReferenced
		);
	});
}

/// The takeover is only for digests this transaction could have leaked: a sealed commitment to a
/// public file's digest does not take over a registration of that file made before the close (it
/// could not have been copied from the reveal), so nobody can hijack others' registrations by
/// committing to the digests of public files.
#[test]
fn a_sealed_commitment_cannot_take_over_a_registration_made_before_the_close() {
	world(|| {
		let id = create(SubmissionMode::Sealed);
		let sid = commit(ALICE, id, 0x41, b"s1");
		run_to_block(5);
		// BOB registers the same (public) bytes in the meantime, before the close.
		register(BOB, digest(0x41), ArtifactKind::Predictions);
		run_to_block(20);
		assert_ok!(MeritChallenges::reveal_submission(
			RuntimeOrigin::signed(ALICE),
			sid,
			claim_at(digest(0x41), b"https://alice.example/p.csv"),
			b"s1".to_vec()
		));
		assert_eq!(registration(digest(0x41)), (BOB, ArtifactKind::Predictions, b"https://store/x".to_vec()));
		// Labels likewise: a registration before the close is not taken over.
		let other = NextChallengeId::<Test>::get();
		run_to_block(21);
		assert_ok!(create_with(|p| {
			p.schedule = Schedule { open_until: 30, reveal_deadline: 50 };
		}));
		register(CAROL, digest(LABELS), ArtifactKind::Labels);
		run_to_block(30);
		assert_ok!(MeritChallenges::reveal_labels(
			RuntimeOrigin::signed(OWNER),
			other,
			claim_at(digest(LABELS), b"https://owner.example/labels.csv"),
			SALT.to_vec()
		));
		assert_eq!(registration(digest(LABELS)).0, CAROL);
	});
}

/// A submission the evaluators never agreed on (no final outcome at all) was not its author's
/// doing: its deposit comes back at finalization.
#[test]
fn a_submission_without_any_final_outcome_gets_its_deposit_back_at_finalization() {
	with_deposit(|| {
		let id = create(SubmissionMode::Open);
		let sid = submit(ALICE, id, 0x41);
		assert_noop!(MeritChallenges::settle_deposit(RuntimeOrigin::signed(BOB), sid), Error::<Test>::DepositNotDue);
		register(OWNER, digest(LABELS), ArtifactKind::Labels);
		run_to_block(20);
		assert_ok!(MeritChallenges::reveal_labels(
			RuntimeOrigin::signed(OWNER),
			id,
			claim(digest(LABELS)),
			SALT.to_vec()
		));
		run_to_block(60);
		assert_ok!(MeritRewards::finalize(RuntimeOrigin::signed(BOB), id));
		let before = Balances::balance(&ALICE);
		assert_ok!(MeritChallenges::settle_deposit(RuntimeOrigin::signed(BOB), sid));
		assert_eq!(Balances::balance(&ALICE), before + 5);
	});
}

// ---- final selections (issue 13) ----

/// An open challenge that takes three submissions a day from each account.
fn create_for_selections() -> ChallengeId {
	let id = NextChallengeId::<Test>::get();
	assert_ok!(create_with(|p| p.limits = SubmissionLimits { per_day: 3, total: 3 }));
	id
}

fn select(who: AccountId, id: ChallengeId, submissions: Vec<SubmissionId>) -> DispatchResult {
	MeritChallenges::select_final(RuntimeOrigin::signed(who), id, submissions)
}

#[test]
fn a_participant_marks_replaces_and_clears_final_selections_while_open() {
	world(|| {
		let id = create_for_selections();
		let a1 = submit(ALICE, id, 0x41);
		let a2 = submit(ALICE, id, 0x42);
		let a3 = submit(ALICE, id, 0x43);
		assert_ok!(select(ALICE, id, vec![a3, a1]));
		assert_eq!(FinalSelections::<Test>::get(id, &ALICE).into_inner(), vec![a3, a1]);
		System::assert_last_event(
			Event::FinalSelectionMade { challenge: id, author: ALICE, submissions: vec![a3, a1] }.into(),
		);
		assert_eq!(
			<MeritChallenges as merit_primitives::ChallengeInspect<_, _>>::final_selections(id),
			vec![(ALICE, vec![a3, a1])]
		);
		// Marking again replaces the marks.
		assert_ok!(select(ALICE, id, vec![a2]));
		assert_eq!(FinalSelections::<Test>::get(id, &ALICE).into_inner(), vec![a2]);
		// Marking none forgets them: the default applies again, and nothing is left stored.
		assert_ok!(select(ALICE, id, vec![]));
		assert!(!FinalSelections::<Test>::contains_key(id, &ALICE));
	});
}

#[test]
fn final_selections_reject_each_bad_input_by_name() {
	world(|| {
		let id = create_for_selections();
		let other = create(SubmissionMode::Open);
		let a1 = submit(ALICE, id, 0x41);
		let a2 = submit(ALICE, id, 0x42);
		let a3 = submit(ALICE, id, 0x43);
		let b1 = submit(BOB, id, 0x51);
		let elsewhere = submit(ALICE, other, 0x61);
		assert_noop!(select(ALICE, 99, vec![a1]), Error::<Test>::UnknownChallenge);
		assert_noop!(select(ALICE, id, vec![a1, a2, a3]), Error::<Test>::TooManyFinalSelections);
		assert_noop!(select(ALICE, id, vec![a1, a1]), Error::<Test>::DuplicateFinalSelection);
		assert_noop!(select(ALICE, id, vec![a1, 999]), Error::<Test>::UnknownSubmission);
		assert_noop!(select(ALICE, id, vec![elsewhere]), Error::<Test>::SubmissionOfAnotherChallenge);
		// Someone else's submission cannot be marked, to help or to hurt them.
		assert_noop!(select(ALICE, id, vec![b1]), Error::<Test>::NotAuthor);
		assert_noop!(select(BOB, id, vec![a1]), Error::<Test>::NotAuthor);
		// After the close, marks are frozen: the labels reveal could show the hidden rows.
		assert_ok!(select(ALICE, id, vec![a1]));
		run_to_block(20);
		assert_noop!(select(ALICE, id, vec![a2]), Error::<Test>::ChallengeNotOpen);
		assert_noop!(select(ALICE, id, vec![]), Error::<Test>::ChallengeNotOpen);
		assert_eq!(FinalSelections::<Test>::get(id, &ALICE).into_inner(), vec![a1]);
	});
}

#[test]
fn a_superseded_submission_cannot_be_marked_and_a_commitment_can() {
	world(|| {
		let id = create(SubmissionMode::Open);
		// Alice commits first; Bob commits to the same file later and reveals it first, while the
		// challenge is open. Alice's reveal takes the digest over: Bob's entry is a duplicate.
		let alice = commit(ALICE, id, 0x41, b"a");
		let bob = commit(BOB, id, 0x41, b"b");
		// A commitment not yet revealed may be marked (a sealed challenge has nothing else).
		assert_ok!(select(BOB, id, vec![bob]));
		register(BOB, digest(0x41), ArtifactKind::Predictions);
		run_to_block(2);
		assert_ok!(MeritChallenges::reveal_submission(
			RuntimeOrigin::signed(BOB),
			bob,
			claim(digest(0x41)),
			b"b".to_vec()
		));
		assert_ok!(MeritChallenges::reveal_submission(
			RuntimeOrigin::signed(ALICE),
			alice,
			claim(digest(0x41)),
			b"a".to_vec()
		));
		assert_noop!(select(BOB, id, vec![bob]), Error::<Test>::SupersededSubmission);
		assert_ok!(select(ALICE, id, vec![alice]));
	});
}

// ---- phases (issue 13) ----

/// The test runtime's `MinPrizePool`: what a challenge without prizes holds as its deposit.
const CHALLENGE_DEPOSIT: u64 = 100;

fn challenge_deposit_held(who: AccountId) -> u64 {
	Balances::balance_on_hold(&HoldReason::ChallengeDeposit.into(), &who)
}

/// A development phase without prizes, then a final phase with the pool after it.
fn two_phases() -> (ChallengeId, ChallengeId) {
	let dev = NextChallengeId::<Test>::get();
	assert_ok!(create_with(|p| p.prize_pool = 0));
	let last = NextChallengeId::<Test>::get();
	assert_ok!(create_with(|p| {
		p.previous_phase = Some(dev);
		p.schedule = Schedule { open_until: 30, reveal_deadline: 50 };
	}));
	(dev, last)
}

#[test]
fn a_later_phase_opens_when_the_earlier_closes_and_each_phase_keeps_its_own_board() {
	world(|| {
		let (dev, last) = two_phases();
		System::assert_has_event(Event::PhaseLinked { challenge: last, previous: dev }.into());
		assert_eq!(NextPhase::<Test>::get(dev), Some(last));
		assert_eq!(spec(last).previous_phase, Some(dev));
		// The prizes follow the phase the owner gave the pool: the final one.
		assert_eq!((pool(dev).held, pool(last).held), (0, POOL));
		assert_eq!(challenge_deposit_held(OWNER), CHALLENGE_DEPOSIT);
		let d1 = submit(ALICE, dev, 0x41);
		register(ALICE, digest(0x42), ArtifactKind::Predictions);
		assert_noop!(
			MeritChallenges::submit(RuntimeOrigin::signed(ALICE), last, claim(digest(0x42)), vec![], None),
			Error::<Test>::PhaseNotStarted
		);
		assert_noop!(
			MeritChallenges::commit_submission(
				RuntimeOrigin::signed(ALICE),
				last,
				polkadot_sdk::sp_core::H256::repeat_byte(7),
				vec![],
				None
			),
			Error::<Test>::PhaseNotStarted
		);
		run_to_block(20);
		// The development phase is over; the final one is open.
		assert_noop!(
			MeritChallenges::submit(RuntimeOrigin::signed(ALICE), dev, claim(digest(0x42)), vec![], None),
			Error::<Test>::ChallengeNotOpen
		);
		let f1 = NextSubmissionId::<Test>::get();
		assert_ok!(MeritChallenges::submit(RuntimeOrigin::signed(ALICE), last, claim(digest(0x42)), vec![], None));
		assert_eq!(ChallengeSubmissions::<Test>::get(dev).to_vec(), vec![d1]);
		assert_eq!(ChallengeSubmissions::<Test>::get(last).to_vec(), vec![f1]);
		// A submission in one phase cannot be forked from the other (each phase its own board).
		register(BOB, digest(0x51), ArtifactKind::Predictions);
		assert_noop!(
			MeritChallenges::submit(RuntimeOrigin::signed(BOB), last, claim(digest(0x51)), vec![d1], None),
			Error::<Test>::BadParent
		);
	});
}

#[test]
fn phases_reject_each_bad_link_by_name() {
	world(|| {
		let later = |p: &mut ChallengeParamsOf<Test>| p.schedule = Schedule { open_until: 30, reveal_deadline: 50 };
		assert_noop!(
			create_with(|p| {
				later(p);
				p.previous_phase = Some(99);
			}),
			Error::<Test>::UnknownPreviousPhase
		);
		let dev = create(SubmissionMode::Open);
		// Someone else cannot append a phase to the owner's competition.
		let mut foreign = params(SubmissionMode::Open);
		later(&mut foreign);
		foreign.previous_phase = Some(dev);
		register(ALICE, digest(TRAIN + 1), ArtifactKind::Dataset);
		foreign.training_data = vec![digest(TRAIN + 1)];
		assert_noop!(
			MeritChallenges::create_challenge(RuntimeOrigin::signed(ALICE), foreign),
			Error::<Test>::PhaseOfAnotherOwner
		);
		// Phases close in order.
		assert_noop!(create_with(|p| p.previous_phase = Some(dev)), Error::<Test>::PhasesOutOfOrder);
		let second = NextChallengeId::<Test>::get();
		assert_ok!(create_with(|p| {
			later(p);
			p.previous_phase = Some(dev);
		}));
		assert_noop!(
			create_with(|p| {
				later(p);
				p.schedule.open_until = 31;
				p.previous_phase = Some(dev);
			}),
			Error::<Test>::PhaseAlreadyFollowed
		);
		// A third phase fits `MaxPhases` (3); a fourth does not.
		let third = NextChallengeId::<Test>::get();
		assert_ok!(create_with(|p| {
			p.schedule = Schedule { open_until: 40, reveal_deadline: 60 };
			p.previous_phase = Some(second);
		}));
		assert_noop!(
			create_with(|p| {
				p.schedule = Schedule { open_until: 50, reveal_deadline: 70 };
				p.previous_phase = Some(third);
			}),
			Error::<Test>::TooManyPhases
		);
		// A phase cannot follow one that has ended.
		let ended = create(SubmissionMode::Open);
		assert_ok!(MeritChallenges::cancel_challenge(RuntimeOrigin::signed(OWNER), ended));
		assert_noop!(
			create_with(|p| {
				later(p);
				p.previous_phase = Some(ended);
			}),
			Error::<Test>::PreviousPhaseEnded
		);
		// Withdrawing a later phase frees its place after the earlier one.
		assert_ok!(MeritChallenges::cancel_challenge(RuntimeOrigin::signed(OWNER), third));
		assert_eq!(NextPhase::<Test>::get(second), None);
	});
}

#[test]
fn a_challenge_without_prizes_holds_a_deposit_back_at_its_end_and_burnt_at_a_missed_reveal() {
	world(|| {
		// Below the minimum pool, a challenge with prizes is still refused.
		assert_noop!(create_with(|p| p.prize_pool = CHALLENGE_DEPOSIT - 1), Error::<Test>::PrizePoolTooSmall);
		let total_before = Balances::total_balance(&OWNER);
		let withdrawn = NextChallengeId::<Test>::get();
		assert_ok!(create_with(|p| p.prize_pool = 0));
		assert_eq!(ChallengeDeposits::<Test>::get(withdrawn), Some(CHALLENGE_DEPOSIT));
		assert_ok!(MeritChallenges::cancel_challenge(RuntimeOrigin::signed(OWNER), withdrawn));
		System::assert_has_event(
			Event::ChallengeDepositSettled { challenge: withdrawn, amount: CHALLENGE_DEPOSIT, returned: true }.into(),
		);
		assert_eq!(challenge_deposit_held(OWNER), 0);

		// Revealed and finalized: the deposit comes back.
		let kept = NextChallengeId::<Test>::get();
		assert_ok!(create_with(|p| p.prize_pool = 0));
		// Abandoned at the reveal deadline: the deposit is burnt.
		let abandoned = NextChallengeId::<Test>::get();
		assert_ok!(create_with(|p| p.prize_pool = 0));
		assert_eq!(challenge_deposit_held(OWNER), 2 * CHALLENGE_DEPOSIT);
		run_to_block(20);
		register(OWNER, digest(LABELS), ArtifactKind::Labels);
		assert_ok!(MeritChallenges::reveal_labels(
			RuntimeOrigin::signed(OWNER),
			kept,
			claim(digest(LABELS)),
			SALT.to_vec()
		));
		assert_ok!(MeritRewards::finalize(RuntimeOrigin::signed(BOB), kept));
		System::assert_has_event(
			Event::ChallengeDepositSettled { challenge: kept, amount: CHALLENGE_DEPOSIT, returned: true }.into(),
		);
		run_to_block(40);
		System::assert_has_event(
			Event::ChallengeDepositSettled { challenge: abandoned, amount: CHALLENGE_DEPOSIT, returned: false }.into(),
		);
		assert_eq!(challenge_deposit_held(OWNER), 0);
		// All the owner lost is the burnt deposit (the labels' artifact deposit is still its own).
		assert_eq!(Balances::total_balance(&OWNER), total_before - CHALLENGE_DEPOSIT);
	});
}
