//! Attacks on scores and pools, each performed through the real Merit runtime with its real
//! constants, showing that it fails or costs the attacker more than it gains. Each test is named in
//! `docs/threat-model.md` next to the attack and its defence.
mod common;

use common::*;
use merit_metrics::Subset;
use pallet_merit_rewards::RewardTerms;
use polkadot_sdk::{frame_support::assert_ok, sp_runtime::Perbill};

fn scoring_error(e: pallet_merit_scoring::Error<Runtime>) -> polkadot_sdk::sp_runtime::DispatchError {
	e.into()
}

fn fee_terms() -> RewardTerms<Balance> {
	RewardTerms { micro_share: Perbill::from_percent(10), evaluator_fee: MERIT, ..Default::default() }
}

/// An open challenge (quorum 3, evaluator fee 1 MERIT) drawn from evaluators `1..=n`, bonded and
/// warmed up before it was announced.
fn challenge_with_evaluators(n: u8) -> u32 {
	bond_evaluators(1..=n);
	let mut p = params(3, SubmissionMode::Open, now() + 100, now() + 300);
	p.terms = fee_terms();
	let challenge = publish_with(p);
	draw(challenge);
	challenge
}

fn fees_of(n: u8) -> Balance {
	MeritRewards::track_record(evaluator(n)).earned.evaluations
}

#[test]
fn sybils_bonded_after_a_challenge_is_announced_are_never_drawn() {
	new_ext().execute_with(|| {
		bond_evaluators(1..=5);
		// The attacker sees the challenge coming and bonds fifteen evaluators in the same block.
		for n in 6..=20 {
			bond_evaluator(n);
		}
		let challenge = publish(SubmissionMode::Open, now() + 1_000, now() + 1_200);
		let members = draw(challenge);
		assert_eq!(members.len(), 5);
		assert!(members.iter().all(|n| (1..=5).contains(n)), "a sybil was drawn: {members:?}");
		// Once drawn, the panel is fixed: warming up later changes nothing for this challenge.
		run_to_block(now() + warm_up());
		assert_eq!(panel(challenge), members);
		// And the sybils' reports are refused.
		let bob = submit(Sr25519Keyring::Bob, challenge, 0x41, vec![]);
		assert_eq!(
			commit(6, bob, Stage::Public, scored(0)).map_err(|e| e.error),
			Err(scoring_error(pallet_merit_scoring::Error::NotOnPanel))
		);
		check_invariants();
	});
}

#[test]
fn no_prize_is_decided_by_fewer_than_three_evaluators() {
	new_ext().execute_with(|| {
		register(Sr25519Keyring::Alice, digest(0x10), ArtifactKind::Dataset);
		for quorum in [1, 2] {
			let result = dispatch(
				Sr25519Keyring::Alice,
				RuntimeCall::MeritChallenges(pallet_merit_challenges::Call::create_challenge {
					params: params(quorum, SubmissionMode::Open, now() + 100, now() + 200),
				}),
			);
			assert_eq!(
				result.map_err(|e| e.error),
				Err(pallet_merit_challenges::Error::<Runtime>::QuorumTooSmall.into()),
				"quorum {quorum}"
			);
		}
		assert_eq!(publish(SubmissionMode::Open, now() + 100, now() + 200), 0);
	});
}

#[test]
fn a_copied_report_can_neither_be_revealed_nor_made_after_the_reveals() {
	new_ext().execute_with(|| {
		let challenge = challenge_with_evaluators(5);
		let bob = submit(Sr25519Keyring::Bob, challenge, 0x41, vec![]);
		let m = panel(challenge);
		let (honest, lazy, late) = (m[0], m[1], m[2]);
		let truth = scored(7);
		assert_ok!(commit(honest, bob, Stage::Public, truth));
		// The lazy evaluator copies the honest commitment from the chain...
		let copied = commitment(honest, bob, Stage::Public, truth);
		assert_ok!(dispatch_as(
			key(lazy),
			RuntimeCall::MeritScoring(pallet_merit_scoring::Call::commit_report {
				submission: bob,
				stage: Stage::Public,
				commitment: copied,
			})
		));
		for n in &m[3..] {
			assert_ok!(commit(*n, bob, Stage::Public, truth));
		}
		// ...and the late one waits to copy the first reveal. The commit period ends.
		run_to_block(now() + 20);
		assert_ok!(reveal(honest, bob, Stage::Public, truth));
		assert_eq!(
			commit(late, bob, Stage::Public, truth).map_err(|e| e.error),
			Err(scoring_error(pallet_merit_scoring::Error::CommitPhaseOver))
		);
		// The copied commitment binds the honest account: the lazy one cannot open it.
		let opened = dispatch_as(
			key(lazy),
			RuntimeCall::MeritScoring(pallet_merit_scoring::Call::reveal_report {
				submission: bob,
				stage: Stage::Public,
				outcome: truth,
				salt: salt(honest),
			}),
		);
		assert_eq!(opened.map_err(|e| e.error), Err(scoring_error(pallet_merit_scoring::Error::CommitmentMismatch)));
		for n in &m[3..] {
			assert_ok!(reveal(*n, bob, Stage::Public, truth));
		}
		assert_eq!(final_outcome(bob, Subset::Public), Some(truth));
		// Neither copier earned a fee; the three who did the work did.
		assert_eq!((fees_of(lazy), fees_of(late)), (0, 0));
		assert_eq!([fees_of(honest), fees_of(m[3]), fees_of(m[4])], [MERIT; 3]);
		check_invariants();
	});
}

#[test]
fn serving_different_bytes_to_different_evaluators_costs_no_evaluator_anything() {
	new_ext().execute_with(|| {
		let challenge = challenge_with_evaluators(5);
		let bonds: Vec<Balance> = (1..=5).map(bond).collect();
		// Bob's server serves the real file to two drawn evaluators and a 404 or other bytes to the
		// rest: too few can evaluate it, so it is unavailable and nobody is slashed.
		let bob = submit(Sr25519Keyring::Bob, challenge, 0x41, vec![]);
		let m = panel(challenge);
		assert_ok!(commit(m[0], bob, Stage::Public, scored(3)));
		assert_ok!(commit(m[1], bob, Stage::Public, scored(3)));
		assert_ok!(abstain(m[2], bob, Stage::Public, AbstainReason::FetchFailed));
		assert_ok!(abstain(m[3], bob, Stage::Public, AbstainReason::HashMismatch));
		assert_ok!(abstain(m[4], bob, Stage::Public, AbstainReason::FetchFailed));
		assert_ok!(reveal(m[0], bob, Stage::Public, scored(3)));
		assert_ok!(reveal(m[1], bob, Stage::Public, scored(3)));
		run_to_block(now() + reveal_period());
		assert_ok!(conclude(bob, Stage::Public));
		assert_eq!(final_outcome(bob, Subset::Public), Some(Outcome::Failed(FailureReason::Unavailable)));
		// Served to three, refused to two: the three score it, the two are not slashed.
		let charlie = submit(Sr25519Keyring::Charlie, challenge, 0x51, vec![]);
		report_all(charlie, Stage::Public, &[(m[0], scored(5)), (m[1], scored(5)), (m[2], scored(5))]);
		assert_ok!(abstain(m[3], charlie, Stage::Public, AbstainReason::FetchFailed).or_else(|e| {
			// The round's commitments may already be closed: an absent evaluator is not slashed either.
			if e.error == scoring_error(pallet_merit_scoring::Error::AlreadyFinal) {
				Ok(Default::default())
			} else {
				Err(e)
			}
		}));
		assert_eq!(final_outcome(charlie, Subset::Public), Some(scored(5)));
		assert_eq!((1..=5).map(bond).collect::<Vec<_>>(), bonds);
		check_invariants();
	});
}

#[test]
fn an_evaluator_that_walks_away_mid_job_earns_nothing_and_a_spare_takes_over() {
	new_ext().execute_with(|| {
		let challenge = challenge_with_evaluators(5);
		let bob = submit(Sr25519Keyring::Bob, challenge, 0x41, vec![]);
		let m = panel(challenge);
		let outcome = scored(11);
		// m[0] seals its report, then its node goes away; m[1] never shows up at all.
		assert_ok!(commit(m[0], bob, Stage::Public, outcome));
		for n in &m[2..] {
			assert_ok!(commit(*n, bob, Stage::Public, outcome));
		}
		run_to_block(now() + 20);
		for n in &m[2..] {
			assert_ok!(reveal(*n, bob, Stage::Public, outcome));
		}
		// The spares completed the quorum; the absent ones earn nothing and lose nothing.
		assert_eq!(final_outcome(bob, Subset::Public), Some(outcome));
		assert_eq!((fees_of(m[0]), fees_of(m[1])), (0, 0));
		assert!(m[2..].iter().all(|n| fees_of(*n) == MERIT));
		assert!(m.iter().all(|n| bond(*n) == 100 * MERIT));
		check_invariants();
	});
}

#[test]
fn a_wrong_quorum_is_overturned_by_a_dispute_and_the_prizes_follow_the_corrected_ranking() {
	new_ext().execute_with(|| {
		let challenge = challenge_with_evaluators(12);
		let bob = submit(Sr25519Keyring::Bob, challenge, 0x41, vec![]);
		let charlie = submit(Sr25519Keyring::Charlie, challenge, 0x51, vec![]);
		reveal_labels(challenge);
		// Truth (RMSE, lower is better): Bob 9, Charlie 5. Three colluding panel members report 1
		// for Bob; the two honest ones report 9 first and are slashed when the lie becomes final.
		let m = evaluators_of(bob, Stage::Private);
		let (honest, colluders) = (&m[..2], &m[2..]);
		let mut reports: Vec<(u8, Outcome)> = honest.iter().map(|n| (*n, scored(9))).collect();
		reports.extend(colluders.iter().map(|n| (*n, scored(1))));
		report_all(bob, Stage::Private, &reports);
		assert_eq!(final_outcome(bob, Subset::Private), Some(scored(1)));
		assert!(honest.iter().all(|n| bond(*n) == 90 * MERIT));
		agree(charlie, Stage::Private, scored(5));
		let board = MeritScoring::leaderboard(challenge, Subset::Private);
		assert_eq!(board[0].submission, bob, "the lie ranks Bob first");

		// Charlie disputes within the window; a fresh panel of six, none of the colluders, recounts.
		let charlie_before = Balances::free_balance(account(Sr25519Keyring::Charlie));
		assert_ok!(dispatch(
			Sr25519Keyring::Charlie,
			RuntimeCall::MeritScoring(pallet_merit_scoring::Call::dispute { submission: bob })
		));
		run_to_block(now() + draw_delay());
		let recount = evaluators_of(bob, Stage::Dispute);
		assert_eq!(recount.len(), 6);
		assert!(recount.iter().all(|n| !colluders.contains(n)));
		agree(bob, Stage::Dispute, scored(9));
		assert_eq!(final_outcome(bob, Subset::Private), Some(scored(9)));
		// Each colluder lost half its bond (50 MERIT); the honest two got their 10 MERIT back; the
		// disputer got its 50 MERIT bond back and half of the remaining 130 MERIT.
		assert!(colluders.iter().all(|n| bond(*n) == 50 * MERIT));
		assert_eq!(Balances::free_balance(account(Sr25519Keyring::Charlie)), charlie_before + 65 * MERIT);
		// (Whatever else the honest two hold is their evaluation fees.)
		assert!(honest
			.iter()
			.all(|n| bond(*n) + Balances::free_balance(evaluator(*n)) == 10_000 * MERIT + fees_of(*n)));

		// Prizes wait for the corrected score's window, then follow the corrected ranking.
		let finalize = || {
			dispatch(Sr25519Keyring::Eve, RuntimeCall::MeritRewards(pallet_merit_rewards::Call::finalize { challenge }))
		};
		assert!(finalize().is_err());
		run_to_block(now() + dispute_window());
		let charlie_before = Balances::free_balance(account(Sr25519Keyring::Charlie));
		assert_ok!(finalize());
		let board = MeritScoring::leaderboard(challenge, Subset::Private);
		assert_eq!((board[0].submission, board[1].submission), (charlie, bob));
		assert_eq!(
			MeritRewards::track_record(account(Sr25519Keyring::Charlie)).challenges[0].private.map(|p| p.rank),
			Some(1)
		);
		let prize = MeritRewards::track_record(account(Sr25519Keyring::Charlie)).earned.prizes;
		assert!(prize > MeritRewards::track_record(account(Sr25519Keyring::Bob)).earned.prizes);
		assert_eq!(Balances::free_balance(account(Sr25519Keyring::Charlie)), charlie_before + prize);
		check_invariants();
	});
}

#[test]
fn an_owner_sees_nothing_private_and_cannot_stall_the_reveal() {
	new_ext().execute_with(|| {
		let challenge = challenge_with_evaluators(5);
		let bob = submit(Sr25519Keyring::Bob, challenge, 0x41, vec![]);
		agree(bob, Stage::Public, scored(3));
		let spec = pallet_merit_challenges::ChallengeSpecs::<Runtime>::get(challenge).unwrap();
		run_to_block(spec.schedule.open_until);
		// Closed: no evaluator can score the private rows, so there is no private ranking for the
		// owner to look at before deciding whether to reveal.
		for n in panel(challenge) {
			assert_eq!(
				commit(n, bob, Stage::Private, scored(1)).map_err(|e| e.error),
				Err(scoring_error(pallet_merit_scoring::Error::LabelsNotRevealed))
			);
		}
		assert!(MeritScoring::leaderboard(challenge, Subset::Private).is_empty());
		// An owner cannot keep participants waiting beyond 30 days after the close.
		let days = merit_primitives::time::DAYS;
		let result = dispatch(
			Sr25519Keyring::Alice,
			RuntimeCall::MeritChallenges(pallet_merit_challenges::Call::create_challenge {
				params: params(3, SubmissionMode::Open, now() + 10, now() + 10 + 30 * days + 1),
			}),
		);
		assert_eq!(
			result.map_err(|e| e.error),
			Err(pallet_merit_challenges::Error::<Runtime>::RevealPeriodTooLong.into())
		);
		// Abandoning hands the whole pool and the owner's reveal bond (a tenth of it) to the scored
		// submissions (less the evaluators' fees for scoring them).
		run_to_block(spec.schedule.reveal_deadline);
		let before = Balances::free_balance(account(Sr25519Keyring::Bob));
		assert_ok!(dispatch(
			Sr25519Keyring::Bob,
			RuntimeCall::MeritRewards(pallet_merit_rewards::Call::claim_refund { challenge })
		));
		let fees = pallet_merit_rewards::Ledger::<Runtime>::get(challenge).micro();
		assert_eq!(Balances::free_balance(account(Sr25519Keyring::Bob)), before + POOL + POOL / 10 - fees);
		check_invariants();
	});
}

#[test]
fn root_cannot_release_a_bond_whose_reports_can_still_be_disputed() {
	new_ext().execute_with(|| {
		let challenge = challenge_with_evaluators(5);
		let bob = submit(Sr25519Keyring::Bob, challenge, 0x41, vec![]);
		reveal_labels(challenge);
		agree(bob, Stage::Private, scored(4));
		let n = evaluators_of(bob, Stage::Private)[0];
		assert_ok!(polkadot_sdk::sp_runtime::traits::Dispatchable::dispatch(
			RuntimeCall::MeritScoring(pallet_merit_scoring::Call::remove_evaluator { evaluator: evaluator(n) }),
			RuntimeOrigin::root()
		));
		let withdraw =
			|| dispatch_as(evaluator(n), RuntimeCall::MeritScoring(pallet_merit_scoring::Call::withdraw_bond {}));
		assert_eq!(withdraw().map_err(|e| e.error), Err(scoring_error(pallet_merit_scoring::Error::StillUnbonding)));
		assert_eq!(bond(n), 100 * MERIT);
		let exposed = pallet_merit_scoring::Evaluators::<Runtime>::get(evaluator(n)).unwrap().exposed_until;
		run_to_block(exposed);
		assert_ok!(withdraw());
		check_invariants();
	});
}
