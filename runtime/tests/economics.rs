//! The sybil economics of micro-rewards, played through the real Merit runtime with its real
//! constants and fees: each strategy's attacker spends real transaction fees and artifact deposits
//! (computed by `pallet_transaction_payment` for the calls it sends) and collects whatever the
//! pallets pay it; the test prints the balance sheet and asserts the profit is not positive.
//! Issue 12's other strategies (squatting, deposits, reviews) are not played here yet.
mod common;

use codec::Encode;
use common::*;
use merit_metrics::{Score, Subset};
use pallet_merit_rewards::RewardTerms;
use polkadot_sdk::{frame_support::dispatch::GetDispatchInfo, sp_runtime::Perbill};

/// What a signed transaction of `call` costs its sender: the runtime's fee for its weight and
/// length (the call plus about 100 bytes of signature and extensions).
fn fee_of(call: &RuntimeCall) -> Balance {
	let len = call.encoded_size() as u32 + 100;
	polkadot_sdk::pallet_transaction_payment::Pallet::<Runtime>::compute_fee(len, &call.get_dispatch_info(), 0)
}

/// What submitting predictions `tag` costs: the fee of the `submit` call (which registers the
/// artifact in the same call), the artifact's deposit (a submitted file stays pinned, so it never
/// comes back) and the submission deposit (back only once the submission is scored).
fn submission_cost(who: &AccountId, challenge: u32, tag: u8) -> Balance {
	let submit = submit_call(challenge, tag, vec![]);
	let before = held_total(who);
	submit_as(who.clone(), challenge, tag, vec![]);
	fee_of(&submit) + (held_total(who) - before)
}

/// A fresh sybil account with 10 MERIT.
fn fund(who: &AccountId) {
	<Balances as polkadot_sdk::frame_support::traits::fungible::Mutate<AccountId>>::set_balance(who, 10 * MERIT);
}

fn held_total(who: &AccountId) -> Balance {
	polkadot_sdk::pallet_balances::Holds::<Runtime>::get(who).iter().map(|h| h.amount).sum()
}

/// An open challenge whose panel is evaluators 1..=5, with the given micro-reward terms.
fn challenge_with(terms: RewardTerms<Balance>) -> u32 {
	bond_evaluators(1..=5);
	let mut p = params(3, SubmissionMode::Open, now() + 200, now() + 400);
	p.terms = terms;
	let challenge = publish_with(p);
	draw(challenge);
	challenge
}

fn report(strategy: &str, spent: Balance, earned: Balance) -> i128 {
	let profit = earned as i128 - spent as i128;
	println!(
		"{strategy}: spent {:.4} MERIT, earned {:.4} MERIT, profit {:.4} MERIT",
		spent as f64 / MERIT as f64,
		earned as f64 / MERIT as f64,
		profit as f64 / MERIT as f64
	);
	profit
}

#[test]
fn farming_improvement_slivers_does_not_pay() {
	new_ext().execute_with(|| {
		// 10 MERIT per improvement of more than 0.01 (RMSE, lower is better).
		let step = Score::parse("0.01").unwrap();
		let terms = RewardTerms {
			micro_share: Perbill::from_percent(20),
			improvement_reward: 10 * MERIT,
			improvement_step: step,
			..Default::default()
		};
		let challenge = challenge_with(terms);
		// An honest participant sets the public best at 1.0.
		let honest = submit(Sr25519Keyring::Charlie, challenge, 0x40, vec![]);
		agree(honest, Stage::Public, Outcome::Scored(Score::ONE));
		// The attacker's twenty sybils each beat the best by 0.0004: together 0.008, under a step.
		let mut spent = 0;
		let improvements =
			|| -> Balance { (0..20u8).map(|i| MeritRewards::track_record(id(60 + i)).earned.improvements).sum() };
		let earned_before = improvements();
		for i in 0..20u8 {
			let sybil = id(60 + i);
			fund(&sybil);
			spent += submission_cost(&sybil, challenge, 0x50 + i);
			let score = Score::from_parts(Score::ONE.into_inner() - 400_000_000_000_000 * (u128::from(i) + 1));
			let submission = pallet_merit_challenges::NextSubmissionId::<Runtime>::get() - 1;
			agree(submission, Stage::Public, Outcome::Scored(score));
		}
		let earned = improvements() - earned_before;
		assert_eq!(earned, 0, "no sliver passed the step");
		assert!(report("sliver farming (20 sybils)", spent, earned) < 0);
		assert_eq!(
			pallet_merit_rewards::PublicBest::<Runtime>::get(challenge),
			Some((honest, Score::ONE)),
			"the rewarded best is still the honest one"
		);
		check_invariants();
	});
}

#[test]
fn junk_files_earn_the_attackers_evaluator_no_fees() {
	new_ext().execute_with(|| {
		let terms = RewardTerms { micro_share: Perbill::from_percent(20), evaluator_fee: MERIT, ..Default::default() };
		let challenge = challenge_with(terms);
		// The attacker runs a panel member and submits junk that every honest evaluator also
		// finds unparsable: final outcomes, agreed by the attacker's evaluator among others.
		let attacker_evaluator = panel(challenge)[0];
		let junk =
			Outcome::Failed(merit_primitives::FailureReason::Unparsable(merit_metrics::MetricError::InvalidInput));
		let fees_before = MeritRewards::track_record(evaluator(attacker_evaluator)).earned.evaluations;
		let mut spent = 0;
		for i in 0..10u8 {
			let sybil = id(80 + i);
			fund(&sybil);
			spent += submission_cost(&sybil, challenge, 0x70 + i);
			let submission = pallet_merit_challenges::NextSubmissionId::<Runtime>::get() - 1;
			agree(submission, Stage::Public, junk);
			assert_eq!(final_outcome(submission, Subset::Public), Some(junk));
		}
		let earned = MeritRewards::track_record(evaluator(attacker_evaluator)).earned.evaluations - fees_before;
		assert_eq!(earned, 0, "a failed file pays no fee");
		assert!(report("junk for fees (10 files, own evaluator)", spent, earned) < 0);
		check_invariants();
	});
}
