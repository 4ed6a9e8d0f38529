//! The lineage rules: forks, versions, the depth bound and the per-contributor counts.
use merit_primitives::{ArtifactKind, Digest, LineageInspect};
use merit_test_runtime::*;
use pallet_merit_attribution::*;
use pallet_merit_challenges::{ChallengeParams, DescriptionInput, Metric, Schedule, SubmissionLimits, SubmissionMode};
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok},
	sp_runtime::{AccountId32, Perbill},
};

const OWNER: AccountId = AccountId32::new([1; 32]);
const ALICE: AccountId = AccountId32::new([2; 32]);
const BOB: AccountId = AccountId32::new([3; 32]);
const CAROL: AccountId = AccountId32::new([4; 32]);

/// The shared runtime with this pallet's old bounds: 3 parents per submission, 32 submissions per
/// challenge, 2 challenges scheduled per block, fork chains at most 3 deep.
fn ext() -> ExtBuilder {
	ExtBuilder::default().bounds(|b| {
		b.max_parents = 3;
		b.max_submissions = 32;
		b.max_scheduled_per_block = 2;
		b.max_fork_depth = 3;
	})
}

fn digest(n: u8) -> Digest {
	Digest::repeat_byte(n)
}

fn register(owner: AccountId, n: u8, kind: ArtifactKind) {
	assert_ok!(MeritArtifacts::register(
		RuntimeOrigin::signed(owner),
		digest(n),
		kind,
		10,
		b"https://store/x".to_vec(),
		b"MIT".to_vec(),
		vec![]
	));
}

/// Runs `test` in a world with one open challenge (id 0) that allows ten submissions per account,
/// then every pallet's invariants.
fn world(test: impl FnOnce()) {
	ext().build_and_execute(|| {
		register(OWNER, 0x10, ArtifactKind::Dataset);
		assert_ok!(MeritChallenges::create_challenge(
			RuntimeOrigin::signed(OWNER),
			ChallengeParams {
				title: b"Lineage".to_vec(),
				description: DescriptionInput::Text(b"Forks.".to_vec()),
				training_data: vec![digest(0x10)],
				metric: Metric::Mae,
				labels_commitment: Default::default(),
				public_share: Perbill::from_percent(50),
				schedule: Schedule { open_until: 100, reveal_deadline: 200 },
				limits: SubmissionLimits { per_day: 10, total: 10 },
				reward_shares: vec![Perbill::one()],
				terms: Default::default(),
				quorum: 3,
				prize_pool: 1_000,
				mode: SubmissionMode::Open,
				final_selections: 2,
				teams: merit_primitives::TeamRules { max_size: 1, merge_until: 100 },
				previous_phase: None,
			}
		));
		test();
	})
}

fn submit(who: AccountId, n: u8, parents: Vec<SubmissionId>, previous: Option<SubmissionId>) -> SubmissionId {
	register(who.clone(), n, ArtifactKind::Predictions);
	let id = pallet_merit_challenges::NextSubmissionId::<Test>::get();
	assert_ok!(MeritChallenges::submit(RuntimeOrigin::signed(who), 0, claim(digest(n)), parents, previous));
	id
}

#[test]
fn forks_record_depth_reverse_edges_and_who_forked_whom() {
	world(|| {
		let a = submit(ALICE, 0x41, vec![], None);
		let b = submit(BOB, 0x42, vec![a], None);
		let c = submit(CAROL, 0x43, vec![b, a], None);
		assert_eq!(Lineage::<Test>::get(a), Some(LineageNode { fork_depth: 0, version: 0 }));
		assert_eq!(Lineage::<Test>::get(b), Some(LineageNode { fork_depth: 1, version: 0 }));
		// The longest chain behind c is a → b → c.
		assert_eq!(Lineage::<Test>::get(c), Some(LineageNode { fork_depth: 2, version: 0 }));
		assert_eq!(MeritAttribution::forks_of(a), vec![b, c]);
		assert_eq!(MeritAttribution::forks_of(b), vec![c]);
		assert_eq!(ForkStats::<Test>::get(ALICE), ForkStat { times_forked: 2, forkers: 2 });
		assert_eq!(ForkStats::<Test>::get(BOB), ForkStat { times_forked: 1, forkers: 1 });
		assert_eq!(ForkStats::<Test>::get(CAROL), ForkStat::default());
		let mut forkers = MeritAttribution::forkers_of(&ALICE);
		forkers.sort();
		assert_eq!(forkers, vec![(BOB, 1), (CAROL, 1)]);
		System::assert_has_event(Event::Forked { parent: a, submission: b, author: ALICE, forker: BOB }.into());
	});
}

#[test]
fn repeated_forks_by_one_account_count_once_as_a_forker() {
	world(|| {
		let a = submit(ALICE, 0x41, vec![], None);
		submit(BOB, 0x42, vec![a], None);
		submit(BOB, 0x43, vec![a], None);
		assert_eq!(ForkStats::<Test>::get(ALICE), ForkStat { times_forked: 2, forkers: 1 });
		assert_eq!(ForkedBy::<Test>::get(ALICE, BOB), 2);
	});
}

#[test]
fn versions_count_up_and_keep_their_predecessors_depth() {
	world(|| {
		let a = submit(ALICE, 0x41, vec![], None);
		let b1 = submit(BOB, 0x42, vec![a], None);
		let b2 = submit(BOB, 0x43, vec![], Some(b1));
		let b3 = submit(BOB, 0x44, vec![], Some(b2));
		assert_eq!(Lineage::<Test>::get(b2), Some(LineageNode { fork_depth: 1, version: 1 }));
		assert_eq!(Lineage::<Test>::get(b3), Some(LineageNode { fork_depth: 1, version: 2 }));
		assert!(Versions::<Test>::contains_key(b1, b2) && Versions::<Test>::contains_key(b2, b3));
		// A version is not a fork: Bob's own revisions do not count as forks of his work.
		assert_eq!(ForkStats::<Test>::get(BOB), ForkStat::default());
		System::assert_has_event(Event::Revised { previous: b2, submission: b3, version: 2 }.into());
		assert_eq!(MeritAttribution::submissions_of(&BOB), vec![(b1, 0), (b2, 0), (b3, 0)]);
	});
}

#[test]
fn a_fork_chain_beyond_the_depth_bound_is_refused_and_nothing_is_stored() {
	world(|| {
		// MaxForkDepth is 3 here: depths 0, 1, 2, 3 are allowed.
		let s0 = submit(ALICE, 0x41, vec![], None);
		let s1 = submit(BOB, 0x42, vec![s0], None);
		let s2 = submit(ALICE, 0x43, vec![s1], None);
		let s3 = submit(BOB, 0x44, vec![s2], None);
		assert_eq!(Lineage::<Test>::get(s3).unwrap().fork_depth, 3);
		register(ALICE, 0x45, ArtifactKind::Predictions);
		let next = pallet_merit_challenges::NextSubmissionId::<Test>::get();
		assert_noop!(
			MeritChallenges::submit(RuntimeOrigin::signed(ALICE), 0, claim(digest(0x45)), vec![s3], None),
			Error::<Test>::LineageTooDeep
		);
		assert_eq!(pallet_merit_challenges::NextSubmissionId::<Test>::get(), next);
		assert!(Lineage::<Test>::get(next).is_none());
		// Forking a shallower ancestor instead is fine.
		assert_ok!(MeritChallenges::submit(RuntimeOrigin::signed(ALICE), 0, claim(digest(0x45)), vec![s1], None));
	});
}

#[test]
fn try_state_catches_inconsistent_counts() {
	world(|| {
		let a = submit(ALICE, 0x41, vec![], None);
		submit(BOB, 0x42, vec![a], None);
		MeritAttribution::do_try_state().unwrap();
		ForkStats::<Test>::mutate(ALICE, |s| s.times_forked += 1);
		assert!(MeritAttribution::do_try_state().is_err());
		// Repaired, so the final check of every pallet passes.
		ForkStats::<Test>::mutate(ALICE, |s| s.times_forked -= 1);
	});
}
