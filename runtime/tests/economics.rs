//! The sybil economics of micro-rewards, played through the real Merit runtime with its real
//! constants and fees: each strategy's attacker spends real transaction fees and artifact deposits
//! (computed by `pallet_transaction_payment` for the calls it sends) and collects whatever the
//! pallets pay it; the test prints the balance sheet and asserts the profit is not positive.
//! Deposits that come back (a scored submission's) are counted as earned when they are settled.
mod common;

use codec::Encode;
use common::*;
use merit_metrics::{Score, Subset};
use pallet_merit_rewards::RewardTerms;
use polkadot_sdk::{
	frame_support::{assert_ok, dispatch::GetDispatchInfo},
	sp_runtime::Perbill,
};

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
	spend(who, submit_call(challenge, tag, vec![]))
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

/// Settles the deposits of `submissions` (anyone may) and returns what went back to their authors.
fn settle(submissions: impl IntoIterator<Item = u32>) -> Balance {
	let mut refunded = 0;
	for submission in submissions {
		let author = pallet_merit_challenges::Submissions::<Runtime>::get(submission).unwrap().author;
		let before = Balances::free_balance(&author);
		assert_ok!(dispatch(
			Sr25519Keyring::Eve,
			RuntimeCall::MeritChallenges(pallet_merit_challenges::Call::settle_deposit { submission })
		));
		refunded += Balances::free_balance(&author) - before;
	}
	refunded
}

/// Sends `call` as `who` and returns what it cost: its fee plus what it newly holds.
fn spend(who: &AccountId, call: RuntimeCall) -> Balance {
	let held = held_total(who);
	let fee = fee_of(&call);
	assert_ok!(dispatch_as(who.clone(), call));
	fee + held_total(who).saturating_sub(held)
}

/// What `who` got back from its holds since `held_before`.
fn released(who: &AccountId, held_before: Balance) -> Balance {
	held_before.saturating_sub(held_total(who))
}

/// `who`'s commitment to predictions `tag` in `challenge`, with `salt`.
fn commit_call(who: &AccountId, challenge: u32, tag: u8, salt: &[u8]) -> RuntimeCall {
	RuntimeCall::MeritChallenges(pallet_merit_challenges::Call::commit_submission {
		challenge,
		commitment: MeritChallenges::submission_commitment(&digest(tag), salt, who),
		parents: vec![],
		previous_version: None,
	})
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
		let mut slivers = Vec::new();
		for i in 0..20u8 {
			let sybil = id(60 + i);
			fund(&sybil);
			spent += submission_cost(&sybil, challenge, 0x50 + i);
			let score = Score::from_parts(Score::ONE.into_inner() - 400_000_000_000_000 * (u128::from(i) + 1));
			let submission = pallet_merit_challenges::NextSubmissionId::<Runtime>::get() - 1;
			agree(submission, Stage::Public, Outcome::Scored(score));
			slivers.push(submission);
		}
		assert_eq!(improvements() - earned_before, 0, "no sliver passed the step");
		// Scored files get their submission deposits back; the artifacts' deposits stay pinned.
		let earned = settle(slivers);
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
		let mut junk_files = Vec::new();
		for i in 0..10u8 {
			let sybil = id(80 + i);
			fund(&sybil);
			spent += submission_cost(&sybil, challenge, 0x70 + i);
			let submission = pallet_merit_challenges::NextSubmissionId::<Runtime>::get() - 1;
			agree(submission, Stage::Public, junk);
			assert_eq!(final_outcome(submission, Subset::Public), Some(junk));
			junk_files.push(submission);
		}
		let earned = MeritRewards::track_record(evaluator(attacker_evaluator)).earned.evaluations - fees_before;
		assert_eq!(earned, 0, "a failed file pays no fee");
		assert_eq!(settle(junk_files), 0, "a failed file's deposit is burnt");
		assert!(report("junk for fees (10 files, own evaluator)", spent, earned) < 0);
		check_invariants();
	});
}

#[test]
fn squatting_the_labels_digest_blocks_nothing_and_earns_nothing() {
	new_ext().execute_with(|| {
		let challenge = challenge_with(RewardTerms::default());
		submit(Sr25519Keyring::Charlie, challenge, 0x40, vec![]);
		let spec = pallet_merit_challenges::ChallengeSpecs::<Runtime>::get(challenge).unwrap();
		run_to_block(spec.schedule.open_until);
		// The squatter copies the labels digest from the owner's reveal in the pool and registers
		// it first, as a dataset at its own URI.
		let squatter = id(90);
		fund(&squatter);
		let register = RuntimeCall::MeritArtifacts(pallet_merit_artifacts::Call::register {
			digest: digest(LABELS),
			kind: ArtifactKind::Dataset,
			size: 4_096,
			uri: b"https://squatter.example/labels.csv".to_vec(),
			license: b"CC-BY-4.0".to_vec(),
			parents: vec![],
		});
		let held_before = held_total(&squatter);
		let spent = spend(&squatter, register.clone());
		let deposit = spent - fee_of(&register);
		// The owner's reveal goes through and the artifact is the owner's, at the owner's URI.
		reveal_labels(challenge);
		let info = pallet_merit_artifacts::Artifacts::<Runtime>::get(digest(LABELS)).unwrap();
		assert_eq!((info.owner, info.kind), (account(Sr25519Keyring::Alice), ArtifactKind::Labels));
		// The squatter's deposit came back; its fee did not.
		let earned = released(&squatter, held_before + deposit);
		assert_eq!(earned, deposit);
		assert!(report("labels squatting", spent, earned) < 0);
		check_invariants();
	});
}

#[test]
fn front_running_an_open_submission_costs_the_copier_its_deposit() {
	new_ext().execute_with(|| {
		let challenge = challenge_with(RewardTerms::default());
		// The victim commits, then reveals; the copier sees the reveal in the pool and submits the
		// same digest in one call ahead of it, with its own URI.
		let victim = account(Sr25519Keyring::Bob);
		let committed = pallet_merit_challenges::NextSubmissionId::<Runtime>::get();
		assert_ok!(dispatch_as(victim.clone(), commit_call(&victim, challenge, 0x41, b"victim salt")));
		let copier = id(91);
		fund(&copier);
		let held_before = held_total(&copier);
		let copy = pallet_merit_challenges::NextSubmissionId::<Runtime>::get();
		let spent = spend(&copier, submit_call(challenge, 0x41, vec![]));
		assert_ok!(dispatch_as(
			victim,
			RuntimeCall::MeritChallenges(pallet_merit_challenges::Call::reveal_submission {
				submission: committed,
				predictions: claim_of(digest(0x41)),
				salt: b"victim salt".to_vec(),
			})
		));
		assert_eq!(pallet_merit_challenges::SubmittedDigests::<Runtime>::get(challenge, digest(0x41)), Some(committed));
		// The copy is a duplicate: its deposit is burnt; its artifact deposit came back when the
		// victim's reveal took the registration over.
		let artifact_back = released(&copier, held_before + spent - fee_of(&submit_call(challenge, 0x41, vec![])));
		let earned = artifact_back + settle([copy]);
		assert!(report("front-running an open submission", spent, earned) < 0);
		check_invariants();
	});
}

#[test]
fn filling_a_challenge_with_sybil_commitments_burns_a_deposit_per_place() {
	new_ext().execute_with(|| {
		bond_evaluators(1..=5);
		let reveal_window = <<Runtime as pallet_merit_challenges::Config>::SubmissionRevealPeriod as
			polkadot_sdk::frame_support::traits::Get<BlockNumber>>::get();
		let open_until = now() + 50;
		let challenge = publish(SubmissionMode::Sealed, open_until, open_until + reveal_window + 100);
		let sybils = 50u8;
		let mut spent = 0;
		let mut commitments = Vec::new();
		for i in 0..sybils {
			let sybil = id(100 + i);
			fund(&sybil);
			commitments.push(pallet_merit_challenges::NextSubmissionId::<Runtime>::get());
			spent += spend(&sybil, commit_call(&sybil, challenge, 0x90 + i, b"never revealed"));
		}
		// They never reveal: once the reveal period is over their deposits are burnt.
		run_to_block(open_until + reveal_window);
		let earned = settle(commitments);
		assert_eq!(earned, 0);
		let places = <<Runtime as pallet_merit_challenges::Config>::MaxSubmissionsPerChallenge as
			polkadot_sdk::frame_support::traits::Get<u32>>::get();
		println!(
			"filling all {places} places of a challenge would cost {:.1} MERIT",
			(spent / sybils as Balance * places as Balance) as f64 / MERIT as f64
		);
		assert!(report(&format!("filling {sybils} places with commitments"), spent, earned) < 0);
		check_invariants();
	});
}

#[test]
fn sybils_with_unscorable_files_share_nothing_of_an_abandoned_pool() {
	new_ext().execute_with(|| {
		let challenge = challenge_with(RewardTerms::default());
		let honest = submit(Sr25519Keyring::Charlie, challenge, 0x40, vec![]);
		agree(honest, Stage::Public, Outcome::Scored(Score::ONE));
		let junk =
			Outcome::Failed(merit_primitives::FailureReason::Unparsable(merit_metrics::MetricError::InvalidInput));
		let mut spent = 0;
		let mut files = Vec::new();
		for i in 0..20u8 {
			let sybil = id(130 + i);
			fund(&sybil);
			spent += submission_cost(&sybil, challenge, 0xa0 + i);
			let submission = pallet_merit_challenges::NextSubmissionId::<Runtime>::get() - 1;
			agree(submission, Stage::Public, junk);
			files.push(submission);
		}
		// The owner never reveals the labels: the pool and bond go to the scored submission.
		let spec = pallet_merit_challenges::ChallengeSpecs::<Runtime>::get(challenge).unwrap();
		run_to_block(spec.schedule.reveal_deadline);
		let claim = RuntimeCall::MeritRewards(pallet_merit_rewards::Call::claim_refund { challenge });
		for i in 0..20u8 {
			assert!(dispatch_as(id(130 + i), claim.clone()).is_err(), "an unscored file earns no share");
		}
		let before = Balances::free_balance(account(Sr25519Keyring::Charlie));
		assert_ok!(dispatch(Sr25519Keyring::Charlie, claim));
		assert_eq!(Balances::free_balance(account(Sr25519Keyring::Charlie)) - before, POOL + POOL / 10);
		let earned = settle(files);
		assert!(report("20 sybil files sharing an abandoned pool", spent, earned) < 0);
		check_invariants();
	});
}

#[test]
fn reviews_from_accounts_without_a_track_record_are_refused() {
	new_ext().execute_with(|| {
		let terms = RewardTerms {
			micro_share: Perbill::from_percent(20),
			review_reward: 5 * MERIT,
			max_reviews_per_reviewer: 3,
			..Default::default()
		};
		let challenge = challenge_with(terms);
		let reviewed = submit(Sr25519Keyring::Charlie, challenge, 0x40, vec![]);
		let spec = pallet_merit_challenges::ChallengeSpecs::<Runtime>::get(challenge).unwrap();
		run_to_block(spec.schedule.open_until);
		let mut spent = 0;
		let mut earned = 0;
		for i in 0..10u8 {
			let sybil = id(160 + i);
			fund(&sybil);
			let report_digest = digest(0xc0 + i);
			spent += spend(
				&sybil,
				RuntimeCall::MeritArtifacts(pallet_merit_artifacts::Call::register {
					digest: report_digest,
					kind: ArtifactKind::Report,
					size: 512,
					uri: b"https://sybil.example/review".to_vec(),
					license: b"CC-BY-4.0".to_vec(),
					parents: vec![],
				}),
			);
			let review = RuntimeCall::MeritRewards(pallet_merit_rewards::Call::review {
				submission: reviewed,
				rating: 5,
				report: report_digest,
			});
			spent += fee_of(&review);
			let before = Balances::free_balance(&sybil);
			assert!(dispatch_as(sybil.clone(), review).is_err(), "no scored submission, no review");
			earned += Balances::free_balance(&sybil).saturating_sub(before);
		}
		assert!(report("10 sybil reviewers", spent, earned) < 0);
		check_invariants();
	});
}
