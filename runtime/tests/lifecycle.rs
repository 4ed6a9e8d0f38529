//! A whole challenge lifecycle through the real Merit runtime: artifacts are registered, a
//! challenge is published with its pool held, participants submit and fork, the chain closes the
//! challenge on schedule, the owner reveals the labels; and an abandoned challenge refunds its
//! participants. Every call is dispatched as a signed `RuntimeCall`, as a transaction would be.

use merit_runtime::{
	AccountId, AllPalletsWithSystem, Balance, Balances, BlockNumber, MeritArtifacts, MeritAttribution, MeritChallenges, MeritRewards, MeritScoring, Runtime,
	RuntimeCall, RuntimeEvent, RuntimeGenesisConfig, RuntimeOrigin, System, MERIT,
};
use pallet_merit_challenges::{
	ChallengeParams, ChallengeState, DescriptionInput, Metric, Schedule, SubmissionLimits, SubmissionMode,
};
use polkadot_sdk::{
	frame_support::{
		assert_ok,
		traits::{fungible::InspectHold, OnInitialize},
	},
	pallet_balances,
	sp_core::H256,
	sp_io,
	sp_keyring::Sr25519Keyring,
	sp_runtime::{traits::Dispatchable, BuildStorage, DispatchResultWithInfo, Perbill},
};
use merit_primitives::ArtifactKind;

fn account(k: Sr25519Keyring) -> AccountId {
	k.to_account_id()
}

fn new_ext() -> sp_io::TestExternalities {
	let endowed = [
		Sr25519Keyring::Alice,
		Sr25519Keyring::Bob,
		Sr25519Keyring::Charlie,
		Sr25519Keyring::Dave,
		Sr25519Keyring::Ferdie,
	];
	let storage = RuntimeGenesisConfig {
		balances: pallet_balances::GenesisConfig {
			balances: endowed.iter().map(|k| (account(*k), 10_000 * MERIT)).collect(),
			..Default::default()
		},
		..Default::default()
	}
	.build_storage()
	.expect("genesis builds");
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

fn dispatch(who: Sr25519Keyring, call: RuntimeCall) -> DispatchResultWithInfo<polkadot_sdk::frame_support::dispatch::PostDispatchInfo> {
	call.dispatch(RuntimeOrigin::signed(account(who)))
}

fn run_to_block(n: BlockNumber) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		<AllPalletsWithSystem as OnInitialize<BlockNumber>>::on_initialize(next);
	}
}

fn digest(tag: u8) -> H256 {
	H256::repeat_byte(tag)
}

fn register(who: Sr25519Keyring, d: H256, kind: ArtifactKind) {
	assert_ok!(dispatch(
		who,
		RuntimeCall::MeritArtifacts(pallet_merit_artifacts::Call::register {
			digest: d,
			kind,
			size: 4_096,
			uri: format!("https://store.merit.example/{d:?}").into_bytes(),
			license: b"CC-BY-4.0".to_vec(),
			parents: vec![],
		})
	));
}

fn pool_held(who: Sr25519Keyring) -> Balance {
	Balances::balance_on_hold(&pallet_merit_rewards::HoldReason::PrizePool.into(), &account(who))
}

fn check_invariants() {
	MeritScoring::do_try_state().expect("scoring invariants hold");
	MeritArtifacts::do_try_state().expect("artifacts invariants hold");
	MeritChallenges::do_try_state().expect("challenges invariants hold");
	MeritAttribution::do_try_state().expect("attribution invariants hold");
	MeritRewards::do_try_state().expect("rewards invariants hold");
}

const LABELS_SALT: &[u8] = b"a salt only the owner knows";
const POOL: Balance = 1_000 * MERIT;

fn publish(mode: SubmissionMode, open_until: BlockNumber, reveal_deadline: BlockNumber) -> u32 {
	let id = pallet_merit_challenges::NextChallengeId::<Runtime>::get();
	assert_ok!(dispatch(
		Sr25519Keyring::Alice,
		RuntimeCall::MeritChallenges(pallet_merit_challenges::Call::create_challenge {
			params: ChallengeParams {
				title: b"Predict house prices".to_vec(),
				description: DescriptionInput::Text(b"Regression on the Ames housing data.".to_vec()),
				training_data: vec![digest(0x10)],
				metric: Metric::Rmse,
				labels_commitment: MeritChallenges::labels_commitment(&digest(0x20), LABELS_SALT),
				public_share: Perbill::from_percent(30),
				schedule: Schedule { open_until, reveal_deadline },
				limits: SubmissionLimits { per_day: 5, total: 20 },
				reward_shares: vec![Perbill::from_percent(70), Perbill::from_percent(30)],
				terms: Default::default(),
				quorum: 1,
				prize_pool: POOL,
				mode,
			},
		})
	));
	id
}

fn submit(who: Sr25519Keyring, challenge: u32, tag: u8, parents: Vec<u32>) -> u32 {
	register(who, digest(tag), ArtifactKind::Predictions);
	let id = pallet_merit_challenges::NextSubmissionId::<Runtime>::get();
	assert_ok!(dispatch(
		who,
		RuntimeCall::MeritChallenges(pallet_merit_challenges::Call::submit {
			challenge,
			predictions: digest(tag),
			parents,
			previous_version: None,
		})
	));
	id
}

#[test]
fn a_challenge_runs_from_publication_to_revealed_labels() {
	new_ext().execute_with(|| {
		register(Sr25519Keyring::Alice, digest(0x10), ArtifactKind::Dataset);
		let challenge = publish(SubmissionMode::Open, 20, 200);
		assert_eq!(pool_held(Sr25519Keyring::Alice), POOL);

		let bob = submit(Sr25519Keyring::Bob, challenge, 0x41, vec![]);
		let charlie = submit(Sr25519Keyring::Charlie, challenge, 0x51, vec![bob]);
		let record = pallet_merit_challenges::Submissions::<Runtime>::get(charlie).unwrap();
		assert_eq!(record.parents.to_vec(), vec![bob]);
		check_invariants();

		// Dave bonds as an evaluator whose node signs with Ferdie's key; with quorum 1 his report
		// is final at once and the public leaderboard shows it.
		assert_ok!(dispatch(
			Sr25519Keyring::Dave,
			RuntimeCall::MeritScoring(pallet_merit_scoring::Call::register_evaluator {
				key: account(Sr25519Keyring::Ferdie),
			})
		));
		let rmse = merit_metrics::Score::from_parts(1_250_000_000_000_000_000);
		assert_ok!(dispatch(
			Sr25519Keyring::Ferdie,
			RuntimeCall::MeritScoring(pallet_merit_scoring::Call::post_score {
				submission: bob,
				subset: merit_metrics::Subset::Public,
				outcome: pallet_merit_scoring::Outcome::Scored(rmse),
			})
		));
		let board = MeritScoring::leaderboard(challenge, merit_metrics::Subset::Public);
		assert_eq!(board.len(), 1);
		assert_eq!((board[0].rank, board[0].submission, board[0].score), (1, bob, rmse));
		assert_eq!(board[0].author, account(Sr25519Keyring::Bob));
		MeritScoring::do_try_state().expect("scoring invariants hold");

		run_to_block(20);
		let state = pallet_merit_challenges::ChallengeStatuses::<Runtime>::get(challenge).unwrap().state;
		assert_eq!(state, ChallengeState::Closed);

		register(Sr25519Keyring::Alice, digest(0x20), ArtifactKind::Labels);
		assert_ok!(dispatch(
			Sr25519Keyring::Alice,
			RuntimeCall::MeritChallenges(pallet_merit_challenges::Call::reveal_labels {
				challenge,
				labels: digest(0x20),
				salt: LABELS_SALT.to_vec(),
			})
		));
		let record = pallet_merit_challenges::ChallengeStatuses::<Runtime>::get(challenge).unwrap();
		assert_eq!(record.state, ChallengeState::LabelsRevealed);
		assert_eq!(record.participants, 2);
		// The pool stays held until the rewards are paid.
		assert_eq!(pool_held(Sr25519Keyring::Alice), POOL);
		assert!(System::events().iter().any(|e| matches!(
			e.event,
			RuntimeEvent::MeritChallenges(pallet_merit_challenges::Event::LabelsRevealed { .. })
		)));
		check_invariants();

		// Private scores, then anyone finalizes: Charlie ranks first and, with no reward terms
		// set, keeps the whole 70% (fork credit is opt-in by the owner); Bob takes 30%.
		for (submission, score) in [(bob, 2u128), (charlie, 1)] {
			assert_ok!(dispatch(
				Sr25519Keyring::Ferdie,
				RuntimeCall::MeritScoring(pallet_merit_scoring::Call::post_score {
					submission,
					subset: merit_metrics::Subset::Private,
					outcome: pallet_merit_scoring::Outcome::Scored(merit_metrics::Score::from_parts(score)),
				})
			));
		}
		let charlie_before = Balances::free_balance(account(Sr25519Keyring::Charlie));
		let bob_before = Balances::free_balance(account(Sr25519Keyring::Bob));
		assert_ok!(dispatch(
			Sr25519Keyring::Eve,
			RuntimeCall::MeritRewards(pallet_merit_rewards::Call::finalize { challenge })
		));
		assert_eq!(Balances::free_balance(account(Sr25519Keyring::Charlie)), charlie_before + POOL / 10 * 7);
		assert_eq!(Balances::free_balance(account(Sr25519Keyring::Bob)), bob_before + POOL / 10 * 3);
		assert_eq!(pool_held(Sr25519Keyring::Alice), 0);
		let record = MeritRewards::track_record(account(Sr25519Keyring::Bob));
		assert_eq!(record.forks.times_forked, 1);
		assert_eq!(record.challenges[0].private.map(|p| p.rank), Some(2));
		let record = MeritRewards::track_record(account(Sr25519Keyring::Charlie));
		assert_eq!(record.earned.prizes, POOL / 10 * 7);
		assert_eq!(record.challenges[0].state, ChallengeState::Finalized);
		assert_eq!(MeritRewards::track_record(account(Sr25519Keyring::Dave)).evaluations.reports, 3);
		check_invariants();
	});
}

#[test]
fn an_abandoned_challenge_refunds_every_participant_exactly() {
	new_ext().execute_with(|| {
		register(Sr25519Keyring::Alice, digest(0x10), ArtifactKind::Dataset);
		let challenge = publish(SubmissionMode::Open, 20, 40);
		submit(Sr25519Keyring::Bob, challenge, 0x41, vec![]);
		submit(Sr25519Keyring::Charlie, challenge, 0x51, vec![]);
		submit(Sr25519Keyring::Dave, challenge, 0x61, vec![]);
		run_to_block(40);

		let record = pallet_merit_challenges::ChallengeStatuses::<Runtime>::get(challenge).unwrap();
		assert_eq!(
			record.state,
			ChallengeState::Cancelled(pallet_merit_challenges::CancelReason::MissedLabelsReveal)
		);
		let share = POOL / 3;
		assert_eq!(pallet_merit_rewards::Pools::<Runtime>::get(challenge).unwrap().refund_per_participant, Some(share));
		assert_eq!(pool_held(Sr25519Keyring::Alice), 3 * share);

		for who in [Sr25519Keyring::Bob, Sr25519Keyring::Charlie, Sr25519Keyring::Dave] {
			let before = Balances::free_balance(account(who));
			assert_ok!(dispatch(
				who,
				RuntimeCall::MeritRewards(pallet_merit_rewards::Call::claim_refund { challenge })
			));
			assert_eq!(Balances::free_balance(account(who)), before + share);
		}
		assert_eq!(pool_held(Sr25519Keyring::Alice), 0);
		check_invariants();
	});
}
