//! A whole challenge lifecycle through the real Merit runtime: artifacts are registered, a
//! challenge is published with its pool held, its evaluators are drawn, participants submit and
//! fork, the drawn panel seals and reveals public scores, the chain closes the challenge on
//! schedule, the owner reveals the labels, private scores follow, the dispute window passes and
//! the prizes are paid; and an abandoned challenge refunds its participants. Every call is
//! dispatched as a signed `RuntimeCall`, as a transaction would be.
mod common;

use common::*;
use merit_metrics::Subset;
use polkadot_sdk::frame_support::assert_ok;

#[test]
fn a_challenge_runs_from_publication_to_paid_prizes() {
	new_ext().execute_with(|| {
		// Five evaluators bond and warm up before the challenge is announced.
		bond_evaluators(1..=5);
		let open_until = now() + 100;
		let challenge = publish(SubmissionMode::Open, open_until, open_until + 200);
		assert_eq!(pool_held(Sr25519Keyring::Alice), POOL);
		let mut members = draw(challenge);
		assert_eq!(members.len(), 5, "a quorum of three is drawn with two spares");
		members.sort();
		assert_eq!(members, vec![1, 2, 3, 4, 5]);

		let bob = submit(Sr25519Keyring::Bob, challenge, 0x41, vec![]);
		let charlie = submit(Sr25519Keyring::Charlie, challenge, 0x51, vec![bob]);
		let record = pallet_merit_challenges::Submissions::<Runtime>::get(charlie).unwrap();
		assert_eq!(record.parents.to_vec(), vec![bob]);
		check_invariants();

		// The panel seals, then reveals Bob's public score; the first three identical reveals
		// make it final and the public leaderboard shows it.
		let rmse = merit_metrics::Score::from_parts(1_250_000_000_000_000_000);
		agree(bob, Stage::Public, Outcome::Scored(rmse));
		let board = MeritScoring::leaderboard(challenge, Subset::Public);
		assert_eq!(board.len(), 1);
		assert_eq!((board[0].rank, board[0].submission, board[0].score), (1, bob, rmse));
		assert_eq!(board[0].author, account(Sr25519Keyring::Bob));
		check_invariants();

		run_to_block(open_until);
		let state = pallet_merit_challenges::ChallengeStatuses::<Runtime>::get(challenge).unwrap().state;
		assert_eq!(state, ChallengeState::Closed);
		// Closed, labels hidden: nobody can score the private rows yet.
		assert!(commit(members[0], bob, Stage::Private, scored(1)).is_err());

		reveal_labels(challenge);
		let record = pallet_merit_challenges::ChallengeStatuses::<Runtime>::get(challenge).unwrap();
		assert_eq!(record.state, ChallengeState::LabelsRevealed);
		assert_eq!(record.participants, 2);
		// The pool stays held until the rewards are paid.
		assert_eq!(pool_held(Sr25519Keyring::Alice), POOL);
		check_invariants();

		// Private scores; prizes wait for the dispute window, then anyone finalizes: Charlie
		// ranks first and, with no reward terms set, keeps the whole 70%; Bob takes 30%.
		agree(bob, Stage::Private, scored(2));
		agree(charlie, Stage::Private, scored(1));
		let finalize = || {
			dispatch(Sr25519Keyring::Eve, RuntimeCall::MeritRewards(pallet_merit_rewards::Call::finalize { challenge }))
		};
		assert!(finalize().is_err(), "prizes wait for the dispute window");
		run_to_block(now() + dispute_window());
		let charlie_before = Balances::free_balance(account(Sr25519Keyring::Charlie));
		let bob_before = Balances::free_balance(account(Sr25519Keyring::Bob));
		assert_ok!(finalize());
		assert_eq!(Balances::free_balance(account(Sr25519Keyring::Charlie)), charlie_before + POOL / 10 * 7);
		assert_eq!(Balances::free_balance(account(Sr25519Keyring::Bob)), bob_before + POOL / 10 * 3);
		assert_eq!(pool_held(Sr25519Keyring::Alice), 0);
		let record = MeritRewards::track_record(account(Sr25519Keyring::Bob));
		assert_eq!(record.forks.times_forked, 1);
		assert_eq!(record.challenges[0].private.map(|p| p.rank), Some(2));
		let record = MeritRewards::track_record(account(Sr25519Keyring::Charlie));
		assert_eq!(record.earned.prizes, POOL / 10 * 7);
		assert_eq!(record.challenges[0].state, ChallengeState::Finalized);
		// Each of the three evaluators that revealed first made three outcomes final.
		let first = evaluators_of(bob, Stage::Public)[0];
		assert_eq!(MeritRewards::track_record(evaluator(first)).evaluations.reports, 3);
		check_invariants();
	});
}

#[test]
fn an_abandoned_challenge_refunds_every_scored_submission_exactly_and_deposits_follow_the_scores() {
	new_ext().execute_with(|| {
		bond_evaluators(1..=5);
		let challenge = publish(SubmissionMode::Open, now() + 100, now() + 140);
		draw(challenge);
		let bob = submit(Sr25519Keyring::Bob, challenge, 0x41, vec![]);
		let charlie = submit(Sr25519Keyring::Charlie, challenge, 0x51, vec![]);
		let charlie_again = submit(Sr25519Keyring::Charlie, challenge, 0x52, vec![]);
		// Dave's file cannot be scored (junk); Ferdie's is never scored at all.
		let dave = submit(Sr25519Keyring::Dave, challenge, 0x61, vec![]);
		submit(Sr25519Keyring::Ferdie, challenge, 0x71, vec![]);
		for submission in [bob, charlie, charlie_again] {
			agree(submission, Stage::Public, scored(1_000 + submission as u128));
		}
		agree(dave, Stage::Public, Outcome::Failed(merit_primitives::FailureReason::TooLarge));
		run_to_block(now() + 140);

		let record = pallet_merit_challenges::ChallengeStatuses::<Runtime>::get(challenge).unwrap();
		assert_eq!(record.state, ChallengeState::Cancelled(pallet_merit_challenges::CancelReason::MissedLabelsReveal));
		// The owner's reveal bond (a tenth of the pool) is shared with the pool, per scored file.
		let pool = pallet_merit_rewards::Pools::<Runtime>::get(challenge).unwrap();
		let share = pool.refund_per_scored_submission.expect("refunds are open");
		let micro_paid = pallet_merit_rewards::Ledger::<Runtime>::get(challenge).micro();
		assert_eq!(share, (POOL + POOL / 10 - micro_paid) / 3);
		assert_eq!(pool_held(Sr25519Keyring::Alice), 3 * share);

		for (who, files) in [(Sr25519Keyring::Bob, 1), (Sr25519Keyring::Charlie, 2)] {
			let before = Balances::free_balance(account(who));
			assert_ok!(dispatch(
				who,
				RuntimeCall::MeritRewards(pallet_merit_rewards::Call::claim_refund { challenge })
			));
			assert_eq!(Balances::free_balance(account(who)), before + files * share);
		}
		for who in [Sr25519Keyring::Dave, Sr25519Keyring::Ferdie] {
			assert!(dispatch(who, RuntimeCall::MeritRewards(pallet_merit_rewards::Call::claim_refund { challenge }))
				.is_err());
		}
		assert_eq!(pool_held(Sr25519Keyring::Alice), 0);

		// Deposits: scored files and Ferdie's (unscored, but the owner's fault) come back; the junk
		// file's is burnt.
		let settle = |submission| {
			dispatch(
				Sr25519Keyring::Eve,
				RuntimeCall::MeritChallenges(pallet_merit_challenges::Call::settle_deposit { submission }),
			)
		};
		let issuance = Balances::total_issuance();
		let dave_before = Balances::free_balance(account(Sr25519Keyring::Dave));
		assert_ok!(settle(dave));
		assert_eq!(Balances::free_balance(account(Sr25519Keyring::Dave)), dave_before);
		assert_eq!(Balances::total_issuance(), issuance - merit_runtime::configs::SubmissionDeposit::get());
		let bob_before = Balances::free_balance(account(Sr25519Keyring::Bob));
		assert_ok!(settle(bob));
		assert_eq!(
			Balances::free_balance(account(Sr25519Keyring::Bob)),
			bob_before + merit_runtime::configs::SubmissionDeposit::get()
		);
		check_invariants();
	});
}

#[test]
fn the_development_chain_starts_with_three_evaluators_drawn_once_their_nodes_register_labels_keys() {
	use polkadot_sdk::{
		frame_support::{genesis_builder_helper::build_state, traits::fungible::InspectHold},
		sp_genesis_builder::DEV_RUNTIME_PRESET,
		sp_io,
	};
	let preset = merit_runtime::genesis_config_presets::get_preset(&DEV_RUNTIME_PRESET.into()).expect("a dev preset");
	let mut ext = sp_io::TestExternalities::default();
	ext.execute_with(|| {
		// A preset patches the defaults, as the node's chain-spec builder merges it.
		let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).unwrap();
		json_patch(&mut config, serde_json::from_slice(&preset).unwrap());
		build_state::<RuntimeGenesisConfig>(serde_json::to_vec(&config).unwrap()).expect("the dev preset builds");
		System::set_block_number(1);
		let mut expected: Vec<AccountId> =
			[Sr25519Keyring::Dave, Sr25519Keyring::Ferdie, Sr25519Keyring::One].iter().map(|k| account(*k)).collect();
		expected.sort();
		// Each node's worker registers the labels key it generated on its first run; until then
		// nobody could seal public labels to it, so it is not drawn.
		assert_eq!(MeritScoring::eligible(1, &[]), Vec::<AccountId>::new());
		for (n, who) in expected.iter().enumerate() {
			let info = pallet_merit_scoring::Evaluators::<Runtime>::get(who).unwrap();
			assert_eq!(
				Balances::balance_on_hold(&pallet_merit_scoring::HoldReason::EvaluatorBond.into(), who),
				info.bond
			);
			let labels_key = merit_primitives::labels::labels_public_key(&[n as u8 + 1; 32]);
			assert_ok!(dispatch_as(
				info.key,
				RuntimeCall::MeritScoring(pallet_merit_scoring::Call::set_labels_key { key: labels_key })
			));
		}
		assert_eq!(MeritScoring::eligible(1, &[]), expected, "genesis evaluators need no warm-up");
		let challenge = publish(SubmissionMode::Open, 100, 300);
		run_to_block(now() + draw_delay());
		assert_eq!(pallet_merit_scoring::Panels::<Runtime>::get(challenge).unwrap().members.len(), 3);
		check_invariants();
	});
}

/// Merges a JSON patch into a JSON value: objects key by key, anything else replaced.
fn json_patch(base: &mut serde_json::Value, patch: serde_json::Value) {
	match (base, patch) {
		(serde_json::Value::Object(base), serde_json::Value::Object(patch)) => {
			for (key, value) in patch {
				json_patch(base.entry(key).or_insert(serde_json::Value::Null), value);
			}
		}
		(base, patch) => *base = patch,
	}
}
