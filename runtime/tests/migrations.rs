//! The storage migrations of the real runtime, run on a v0 state written the way the v0 runtime
//! wrote it: a live challenge whose pool is held under the challenges pallet's reason with terms in
//! the rewards pallet's `Terms`, and an abandoned one with one of two refunds claimed. After the
//! upgrade the money is held under the rewards pallet's reason, every pool and ledger adds up
//! exactly, and every pallet's invariants hold. Also the rewards pallet's v1 → v2 → v3 steps (reward
//! terms gained `improvement_step`, then `ladder`) and the artifacts pallet's v0 → v1 step (parents
//! stopped pinning).

use merit_primitives::{CancelReason, ChallengeState, Metric, Schedule, SubmissionLimits, SubmissionMode};
use merit_runtime::{
	migrations::{v0 as runtime_v0, Migrations, PoolLedgerV0, RawHold},
	AccountId, Balance, Balances, MeritArtifacts, MeritAttribution, MeritChallenges, MeritRewards, MeritScoring,
	Runtime, RuntimeGenesisConfig, RuntimeHoldReason, System, MERIT,
};
use pallet_merit_challenges::{migrations::v0, Description};
use polkadot_sdk::{
	frame_support::{
		traits::{fungible::InspectHold, fungible::MutateHold, GetStorageVersion, OnRuntimeUpgrade, StorageVersion},
		BoundedVec,
	},
	pallet_balances,
	sp_core::H256,
	sp_io,
	sp_keyring::Sr25519Keyring,
	sp_runtime::{BuildStorage, Perbill},
};

const POOL: Balance = 1_000 * MERIT;

fn account(k: Sr25519Keyring) -> AccountId {
	k.to_account_id()
}

fn v0_state() -> sp_io::TestExternalities {
	let endowed = [Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie, Sr25519Keyring::Eve];
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
	ext.execute_with(|| {
		System::set_block_number(1);
		let alice = account(Sr25519Keyring::Alice);
		let eve = account(Sr25519Keyring::Eve);
		// Challenge 0: open, 1,000 MERIT held, terms set by the v0 second call.
		v0::Challenges::<Runtime>::insert(0, old_challenge(alice.clone(), ChallengeState::Open, POOL, 0));
		let terms = pallet_merit_rewards::migrations::v1::TermsV1 {
			fork_share: Perbill::from_percent(20),
			micro_share: Perbill::from_percent(5),
			..Default::default()
		};
		runtime_v0::Terms::insert(0, terms);
		// Challenge 1: abandoned by Eve with two participants; Bob claimed his 500, Charlie not yet.
		let refund = POOL / 2;
		v0::Challenges::<Runtime>::insert(
			1,
			old_challenge(
				eve.clone(),
				ChallengeState::Cancelled(CancelReason::MissedLabelsReveal),
				POOL - refund,
				refund,
			),
		);
		for (who, claimed) in [(Sr25519Keyring::Bob, true), (Sr25519Keyring::Charlie, false)] {
			runtime_v0::Participations::insert(
				1,
				account(who),
				v0::Participation { total: 1, day: 0, today: 1, refund_claimed: claimed },
			);
		}
		runtime_v0::Ledger::insert(1, PoolLedgerV0::default());
		// The holds as v0 had them: placed under today's reason, then relabelled with the v0
		// reason's bytes (MeritChallenges = pallet 11, PrizePool = variant 0).
		let reason = RuntimeHoldReason::MeritRewards(pallet_merit_rewards::HoldReason::PrizePool);
		Balances::hold(&reason, &alice, POOL).expect("alice holds her pool");
		Balances::hold(&reason, &eve, POOL - refund).expect("eve holds what is left");
		for who in [&alice, &eve] {
			let holds: Vec<RawHold> = runtime_v0::Holds::get(who).unwrap();
			runtime_v0::Holds::insert(
				who,
				holds.into_iter().map(|h| RawHold { reason: [11, 0], ..h }).collect::<Vec<_>>(),
			);
		}
		StorageVersion::new(0).put::<MeritChallenges>();
		StorageVersion::new(0).put::<MeritRewards>();
		StorageVersion::new(0).put::<MeritScoring>();
	});
	ext
}

fn old_challenge(owner: AccountId, state: ChallengeState, held: Balance, refund: Balance) -> v0::Challenge<Runtime> {
	v0::Challenge {
		owner,
		title: BoundedVec::truncate_from(b"Old challenge".to_vec()),
		description: Description::Text(BoundedVec::truncate_from(b"From before v1".to_vec())),
		training_data: BoundedVec::truncate_from(vec![H256::repeat_byte(0x10)]),
		metric: Metric::Rmse,
		labels_commitment: H256::repeat_byte(0x20),
		public_share: Perbill::from_percent(30),
		schedule: Schedule { open_until: 20, reveal_deadline: 40 },
		limits: SubmissionLimits { per_day: 1, total: 2 },
		reward_shares: BoundedVec::truncate_from(vec![Perbill::from_percent(70), Perbill::from_percent(30)]),
		quorum: 3,
		prize_pool: POOL,
		held,
		mode: SubmissionMode::Open,
		state,
		created_at: 1,
		participants: if refund > 0 { 2 } else { 0 },
		refund_per_participant: refund,
		labels: None,
	}
}

#[test]
fn v0_pools_move_to_the_rewards_pallet_and_every_unit_is_accounted() {
	v0_state().execute_with(|| {
		Migrations::on_runtime_upgrade();

		// v0 -> v1 -> v2 -> v3: the specs v1 wrote in the v2 layout gain `final_selections: 0`;
		// v4 counts the revealed submissions.
		assert_eq!(MeritChallenges::on_chain_storage_version(), 4);
		// The pools were written in the current layout, so the rewards v1 → v2 → v3 steps do not run.
		assert_eq!(MeritRewards::on_chain_storage_version(), 3);
		// v0 -> v1 -> v2: panels and rounds, then the kept boards.
		assert_eq!(MeritScoring::on_chain_storage_version(), 2);
		// The live challenge gets a panel draw; the cancelled one does not.
		let due: Vec<_> =
			pallet_merit_scoring::DrawsDue::<Runtime>::iter().flat_map(|(_, due)| due.into_inner()).collect();
		assert_eq!(due, vec![pallet_merit_scoring::DrawFor::Challenge(0)]);
		let reason = RuntimeHoldReason::MeritRewards(pallet_merit_rewards::HoldReason::PrizePool);
		assert_eq!(Balances::balance_on_hold(&reason, &account(Sr25519Keyring::Alice)), POOL);
		assert_eq!(Balances::balance_on_hold(&reason, &account(Sr25519Keyring::Eve)), POOL / 2);

		let open = pallet_merit_rewards::Pools::<Runtime>::get(0).expect("pool 0 moved");
		assert_eq!((open.amount, open.held, open.refund_per_scored_submission), (POOL, POOL, None));
		assert_eq!(open.terms.fork_share, Perbill::from_percent(20));
		assert_eq!(open.reward_shares.len(), 2);
		assert!(runtime_v0::Terms::get(0).is_none());

		let abandoned = pallet_merit_rewards::Pools::<Runtime>::get(1).expect("pool 1 moved");
		assert_eq!(abandoned.refund_per_scored_submission, Some(POOL / 2));
		let ledger = pallet_merit_rewards::Ledger::<Runtime>::get(1);
		assert_eq!((ledger.refunded, ledger.returned), (POOL / 2, 0));
		assert!(pallet_merit_rewards::RefundsClaimed::<Runtime>::contains_key(1, account(Sr25519Keyring::Bob)));
		assert!(!pallet_merit_rewards::RefundsClaimed::<Runtime>::contains_key(1, account(Sr25519Keyring::Charlie)));

		let status = pallet_merit_challenges::ChallengeStatuses::<Runtime>::get(1).expect("status split off");
		assert_eq!(
			(status.state, status.participants),
			(ChallengeState::Cancelled(CancelReason::MissedLabelsReveal), 2)
		);
		let spec = pallet_merit_challenges::ChallengeSpecs::<Runtime>::get(0).expect("spec in the v3 layout");
		assert_eq!(spec.title.to_vec(), b"Old challenge");
		// Challenges published before final selections keep ranking every submission.
		assert_eq!(spec.final_selections, 0);
		assert!(pallet_merit_challenges::Descriptions::<Runtime>::contains_key(0));
		assert!(pallet_merit_challenges::LiveChallenges::<Runtime>::contains_key(0));
		assert!(!pallet_merit_challenges::LiveChallenges::<Runtime>::contains_key(1));
		assert!(v0::Challenges::<Runtime>::iter().next().is_none());

		MeritArtifacts::do_try_state().expect("artifacts invariants");
		MeritScoring::do_try_state().expect("scoring invariants");
		MeritAttribution::do_try_state().expect("attribution invariants");
		MeritRewards::do_try_state().expect("rewards invariants: pools and holds reconcile");

		// Charlie's refund is still there to claim, from the moved hold.
		let before = Balances::free_balance(account(Sr25519Keyring::Charlie));
		assert!(MeritRewards::claim_refund(merit_runtime::RuntimeOrigin::signed(account(Sr25519Keyring::Charlie)), 1)
			.is_ok());
		assert_eq!(Balances::free_balance(account(Sr25519Keyring::Charlie)), before + POOL / 2);
		MeritRewards::do_try_state().expect("rewards invariants after the claim");
	});
}

/// Version 1 pools as the rewards pallet stored them before `improvement_step`.
mod rewards_v1 {
	use super::*;
	use polkadot_sdk::frame_support::{storage_alias, Twox64Concat};

	#[storage_alias]
	pub type Pools = StorageMap<MeritRewards, Twox64Concat, u32, pallet_merit_rewards::migrations::v1::PoolV1<Runtime>>;
}

#[test]
fn rewards_v1_pools_gain_a_zero_improvement_step_and_a_full_board_and_keep_everything_else() {
	let storage = RuntimeGenesisConfig::default().build_storage().expect("genesis builds");
	sp_io::TestExternalities::new(storage).execute_with(|| {
		StorageVersion::new(1).put::<MeritRewards>();
		let terms = pallet_merit_rewards::migrations::v1::TermsV1 {
			micro_share: Perbill::from_percent(5),
			improvement_reward: 10 * MERIT,
			evaluator_fee: MERIT,
			..Default::default()
		};
		let old = pallet_merit_rewards::migrations::v1::PoolV1::<Runtime> {
			owner: account(Sr25519Keyring::Alice),
			amount: POOL,
			held: POOL - 7,
			reward_shares: BoundedVec::truncate_from(vec![Perbill::one()]),
			terms,
			refund_per_participant: None,
		};
		rewards_v1::Pools::insert(3, old);

		Migrations::on_runtime_upgrade();

		// v1 -> v2 -> v3.
		assert_eq!(MeritRewards::on_chain_storage_version(), 3);
		let pool = pallet_merit_rewards::Pools::<Runtime>::get(3).expect("the pool decodes in the new layout");
		assert_eq!((pool.amount, pool.held, pool.refund_per_scored_submission), (POOL, POOL - 7, None));
		assert_eq!(pool.terms, terms.upgrade().upgrade());
		assert!(!pool.terms.ladder, "pools keep the full board they were opened with");
		assert_eq!(pool.terms.improvement_step, merit_primitives::Score::default());
		assert_eq!((pool.terms.improvement_reward, pool.terms.evaluator_fee), (10 * MERIT, MERIT));
		// Run again: the version gate makes it a no-op.
		Migrations::on_runtime_upgrade();
		assert_eq!(pallet_merit_rewards::Pools::<Runtime>::get(3), Some(pool));
	});
}

#[test]
fn the_migrations_do_nothing_on_a_chain_already_at_the_current_versions() {
	let storage = RuntimeGenesisConfig::default().build_storage().expect("genesis builds");
	sp_io::TestExternalities::new(storage).execute_with(|| {
		assert_eq!(MeritChallenges::on_chain_storage_version(), 4);
		assert_eq!(MeritRewards::on_chain_storage_version(), 3);
		assert_eq!(MeritScoring::on_chain_storage_version(), 2);
		assert_eq!(MeritArtifacts::on_chain_storage_version(), 1);
		let weight = Migrations::on_runtime_upgrade();
		assert!(weight.ref_time() > 0);
		assert!(pallet_merit_rewards::Pools::<Runtime>::iter().next().is_none());
	});
}

/// Version 0 of the artifacts pallet pinned parents: the v0 -> v1 step takes exactly those pins
/// out of the counts and leaves the pins of other pallets.
#[test]
fn artifact_parents_stop_pinning_and_other_pins_stay() {
	let storage = RuntimeGenesisConfig::default().build_storage().expect("genesis builds");
	sp_io::TestExternalities::new(storage).execute_with(|| {
		System::set_block_number(1);
		StorageVersion::new(0).put::<MeritArtifacts>();
		let parent = H256::repeat_byte(1);
		let child = H256::repeat_byte(2);
		// As v0 wrote them: the parent counts one pin from the child and one from a challenge.
		for (digest, parents, references) in [(parent, vec![], 2), (child, vec![parent], 0)] {
			pallet_merit_artifacts::Artifacts::<Runtime>::insert(
				digest,
				pallet_merit_artifacts::ArtifactInfo::<Runtime> {
					owner: account(Sr25519Keyring::Alice),
					kind: merit_primitives::ArtifactKind::Dataset,
					size: 1,
					uri: BoundedVec::truncate_from(b"https://x".to_vec()),
					license: BoundedVec::truncate_from(b"MIT".to_vec()),
					parents: BoundedVec::truncate_from(parents),
					registered_at: 1,
					deposit: 0,
					references,
				},
			);
		}

		Migrations::on_runtime_upgrade();

		assert_eq!(MeritArtifacts::on_chain_storage_version(), 1);
		assert_eq!(pallet_merit_artifacts::Artifacts::<Runtime>::get(parent).unwrap().references, 1);
		assert_eq!(pallet_merit_artifacts::Artifacts::<Runtime>::get(child).unwrap().references, 0);
	});
}
