//! Every success and failure path of the scoring pallet, quorum finalization and slashing,
//! leaderboards, and the off-chain worker against simulated fetches.
use codec::Decode;
use merit_primitives::{ArtifactKind, Digest};
use merit_test_runtime::{
	pallet_merit_challenges::{
		self, ChallengeParams, ChallengeParamsOf, DescriptionInput, Schedule, SubmissionLimits, SubmissionMode,
	},
	*,
};
use pallet_merit_scoring::*;
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		dispatch::{GetDispatchInfo, Pays},
		traits::{
			fungible::{Inspect, InspectHold},
			Hooks,
		},
	},
	sp_core::{
		offchain::{
			testing::{self, PendingRequest, PoolState, TestOffchainExt, TestTransactionPoolExt},
			OffchainDbExt, OffchainWorkerExt, StorageKind, TransactionPoolExt,
		},
		sr25519,
	},
	sp_io,
	sp_keystore::{testing::MemoryKeystore, Keystore, KeystoreExt},
	sp_runtime::{generic::Preamble, traits::IdentifyAccount, DispatchError, MultiSigner, Perbill},
};
use std::sync::Arc;

const OWNER: u8 = 1;
const ALICE: u8 = 2;
const BOB: u8 = 3;
const CAROL: u8 = 4;
const POOL: u64 = 1_000;
const SALT: &[u8] = b"owner-salt";
const TRAIN: u8 = 0x10;

/// Evaluator `n` (1..=5) is account `10 + n` with key account `20 + n`.
fn ev(n: u8) -> AccountId {
	account(10 + n)
}
fn key(n: u8) -> AccountId {
	account(20 + n)
}

fn sha(bytes: &[u8]) -> Digest {
	Digest::from(sp_io::hashing::sha2_256(bytes))
}

/// 20 rows, `id,value`.
fn labels_csv() -> Vec<u8> {
	let mut csv = String::from("id,value\n");
	for i in 0..20 {
		csv.push_str(&format!("{i},{}.0\n", i % 7));
	}
	csv.into_bytes()
}

/// Predictions off by `delta` tenths on every row.
fn predictions_csv(delta: u32) -> Vec<u8> {
	let mut csv = String::from("id,value\n");
	for i in 0..20 {
		csv.push_str(&format!("{i},{}.{delta}\n", i % 7));
	}
	csv.into_bytes()
}

fn register(owner: u8, d: Digest, kind: ArtifactKind, size: u64, uri: &[u8]) {
	assert_ok!(MeritArtifacts::register(
		RuntimeOrigin::signed(account(owner)),
		d,
		kind,
		size,
		uri.to_vec(),
		b"MIT".to_vec(),
		vec![]
	));
}

fn params(quorum: u32, mode: SubmissionMode) -> ChallengeParamsOf<Test> {
	ChallengeParams {
		title: b"House prices".to_vec(),
		description: DescriptionInput::Text(b"Predict the sale price.".to_vec()),
		training_data: vec![Digest::repeat_byte(TRAIN)],
		metric: Metric::Rmse,
		labels_commitment: MeritChallenges::labels_commitment(&sha(&labels_csv()), SALT),
		public_share: Perbill::from_percent(50),
		schedule: Schedule { open_until: 20, reveal_deadline: 40 },
		limits: SubmissionLimits { per_day: 5, total: 5 },
		reward_shares: vec![Perbill::one()],
		terms: Default::default(),
		quorum,
		prize_pool: POOL,
		mode,
	}
}

fn register_training_data() {
	register(OWNER, Digest::repeat_byte(TRAIN), ArtifactKind::Dataset, 10, b"https://d/train");
}

/// A test world with the training data registered (for tests that need the externalities).
fn world() -> sp_io::TestExternalities {
	let mut ext = ExtBuilder::default().build();
	ext.execute_with(register_training_data);
	ext
}

/// Runs `test` in a world with the training data registered, then every pallet's `try_state`.
fn execute(test: impl FnOnce()) {
	build_and_execute(|| {
		register_training_data();
		test();
	});
}

fn create_with(quorum: u32, metric: Metric) -> ChallengeId {
	let id = pallet_merit_challenges::NextChallengeId::<Test>::get();
	let mut p = params(quorum, SubmissionMode::Open);
	p.metric = metric;
	assert_ok!(MeritChallenges::create_challenge(RuntimeOrigin::signed(account(OWNER)), p));
	id
}

fn create(quorum: u32) -> ChallengeId {
	create_with(quorum, Metric::Rmse)
}

/// Registers `body` as `who`'s predictions at `uri` and submits it.
fn submit_file(who: u8, challenge: ChallengeId, body: &[u8], uri: &[u8]) -> SubmissionId {
	let d = sha(body);
	register(who, d, ArtifactKind::Predictions, body.len() as u64, uri);
	let sid = pallet_merit_challenges::NextSubmissionId::<Test>::get();
	assert_ok!(MeritChallenges::submit(RuntimeOrigin::signed(account(who)), challenge, d, vec![], None));
	sid
}

/// Submits a placeholder predictions artifact (content `tag`).
fn submit(who: u8, challenge: ChallengeId, tag: u8) -> SubmissionId {
	submit_file(who, challenge, &[tag; 8], b"https://p/x")
}

fn register_evaluator(n: u8) {
	assert_ok!(MeritScoring::register_evaluator(RuntimeOrigin::signed(ev(n)), key(n)));
}

fn post(n: u8, submission: SubmissionId, subset: Subset, outcome: Outcome) -> DispatchResult {
	MeritScoring::post_score(RuntimeOrigin::signed(key(n)), submission, subset, outcome)
		.map(|_| ())
		.map_err(|e| e.error)
}

fn scored(n: u128) -> Outcome {
	Outcome::Scored(Score::from_parts(n))
}

fn bond_of(n: u8) -> u64 {
	Balances::balance_on_hold(&HoldReason::EvaluatorBond.into(), &ev(n))
}

use polkadot_sdk::sp_runtime::DispatchResult;

// ---- registration ----

#[test]
fn register_holds_the_bond_and_maps_the_key() {
	execute(|| {
		register_evaluator(1);
		let info = Evaluators::<Test>::get(ev(1)).unwrap();
		assert_eq!(info.key, key(1));
		assert_eq!(info.bond, BOND);
		assert_eq!(info.registered_at, 1);
		assert_eq!(info.leaving_until, None);
		assert_eq!(EvaluatorKeys::<Test>::get(key(1)), Some(ev(1)));
		assert_eq!(EvaluatorCount::<Test>::get(), 1);
		assert_eq!(bond_of(1), BOND);
		assert_eq!(Balances::balance(&ev(1)), 10_000 - BOND);
		System::assert_last_event(Event::EvaluatorRegistered { evaluator: ev(1), key: key(1), bond: BOND }.into());
	});
}

#[test]
fn register_rejects_each_bad_input_by_name() {
	execute(|| {
		register_evaluator(1);
		assert_noop!(
			MeritScoring::register_evaluator(RuntimeOrigin::signed(ev(1)), key(2)),
			Error::<Test>::AlreadyEvaluator
		);
		assert_noop!(
			MeritScoring::register_evaluator(RuntimeOrigin::signed(ev(2)), key(1)),
			Error::<Test>::KeyInUse
		);
		assert_noop!(
			MeritScoring::register_evaluator(RuntimeOrigin::signed(account(9)), key(9)),
			Error::<Test>::InsufficientBond
		);
		assert_noop!(MeritScoring::register_evaluator(RuntimeOrigin::none(), key(9)), DispatchError::BadOrigin);
		for n in 2..=4 {
			register_evaluator(n);
		}
		assert_noop!(
			MeritScoring::register_evaluator(RuntimeOrigin::signed(ev(5)), key(5)),
			Error::<Test>::TooManyEvaluators
		);
	});
}

#[test]
fn an_evaluator_rotates_its_key() {
	execute(|| {
		register_evaluator(1);
		register_evaluator(2);
		assert_ok!(MeritScoring::set_evaluator_key(RuntimeOrigin::signed(ev(1)), key(5)));
		assert_eq!(EvaluatorKeys::<Test>::get(key(1)), None);
		assert_eq!(EvaluatorKeys::<Test>::get(key(5)), Some(ev(1)));
		assert_eq!(Evaluators::<Test>::get(ev(1)).unwrap().key, key(5));
		System::assert_last_event(Event::EvaluatorKeyChanged { evaluator: ev(1), old: key(1), new: key(5) }.into());
		assert_noop!(
			MeritScoring::set_evaluator_key(RuntimeOrigin::signed(ev(1)), key(2)),
			Error::<Test>::KeyInUse
		);
		assert_noop!(
			MeritScoring::set_evaluator_key(RuntimeOrigin::signed(ev(3)), key(3)),
			Error::<Test>::NotEvaluator
		);
		assert_noop!(MeritScoring::set_evaluator_key(RuntimeOrigin::none(), key(3)), DispatchError::BadOrigin);
	});
}

#[test]
fn a_leaving_evaluator_stops_reporting_and_withdraws_after_unbonding() {
	execute(|| {
		let c = create(1);
		let s = submit(ALICE, c, 1);
		register_evaluator(1);
		assert_noop!(MeritScoring::withdraw_bond(RuntimeOrigin::signed(ev(1))), Error::<Test>::NotLeaving);
		assert_ok!(MeritScoring::unregister_evaluator(RuntimeOrigin::signed(ev(1))));
		System::assert_last_event(Event::EvaluatorLeaving { evaluator: ev(1), until: 11 }.into());
		assert_noop!(MeritScoring::unregister_evaluator(RuntimeOrigin::signed(ev(1))), Error::<Test>::AlreadyLeaving);
		assert_noop!(post(1, s, Subset::Public, scored(1)), Error::<Test>::EvaluatorLeaving);
		assert_noop!(MeritScoring::withdraw_bond(RuntimeOrigin::signed(ev(1))), Error::<Test>::StillUnbonding);
		// Still counted (and its bond still held) while unbonding.
		assert_eq!(EvaluatorCount::<Test>::get(), 1);
		MeritScoring::do_try_state().unwrap();

		run_to_block(11);
		assert_ok!(MeritScoring::withdraw_bond(RuntimeOrigin::signed(ev(1))));
		System::assert_last_event(Event::EvaluatorWithdrawn { evaluator: ev(1), released: BOND }.into());
		assert_eq!(bond_of(1), 0);
		assert_eq!(Balances::balance(&ev(1)), 10_000);
		assert!(!Evaluators::<Test>::contains_key(ev(1)));
		assert_eq!(EvaluatorKeys::<Test>::get(key(1)), None);
		assert_eq!(EvaluatorCount::<Test>::get(), 0);
		assert_noop!(MeritScoring::withdraw_bond(RuntimeOrigin::signed(ev(1))), Error::<Test>::NotEvaluator);
		assert_noop!(MeritScoring::unregister_evaluator(RuntimeOrigin::signed(ev(1))), Error::<Test>::NotEvaluator);
		assert_noop!(MeritScoring::unregister_evaluator(RuntimeOrigin::none()), DispatchError::BadOrigin);
		assert_noop!(MeritScoring::withdraw_bond(RuntimeOrigin::none()), DispatchError::BadOrigin);
	});
}

#[test]
fn root_removes_an_evaluator_and_releases_its_bond() {
	execute(|| {
		register_evaluator(1);
		assert_noop!(
			MeritScoring::remove_evaluator(RuntimeOrigin::signed(ev(1)), ev(1)),
			DispatchError::BadOrigin
		);
		assert_noop!(MeritScoring::remove_evaluator(RuntimeOrigin::root(), ev(2)), Error::<Test>::NotEvaluator);
		assert_ok!(MeritScoring::remove_evaluator(RuntimeOrigin::root(), ev(1)));
		System::assert_last_event(Event::EvaluatorRemoved { evaluator: ev(1), released: BOND }.into());
		assert_eq!(bond_of(1), 0);
		assert!(!Evaluators::<Test>::contains_key(ev(1)));
		assert_eq!(EvaluatorKeys::<Test>::get(key(1)), None);
		assert_eq!(EvaluatorCount::<Test>::get(), 0);
	});
}

// ---- reports ----

#[test]
fn post_score_rejects_each_bad_input_by_name() {
	execute(|| {
		let c = create(3);
		let s = submit(ALICE, c, 1);
		register_evaluator(1);
		assert_noop!(
			MeritScoring::post_score(RuntimeOrigin::none(), s, Subset::Public, scored(1)),
			DispatchError::BadOrigin
		);
		// Reports are signed with the key, not the bonded account.
		assert_noop!(
			MeritScoring::post_score(RuntimeOrigin::signed(ev(1)), s, Subset::Public, scored(1)),
			Error::<Test>::NotEvaluator
		);
		assert_noop!(post(1, s, Subset::All, scored(1)), Error::<Test>::UnsupportedSubset);
		assert_noop!(post(1, 99, Subset::Public, scored(1)), Error::<Test>::UnknownSubmission);
		assert_noop!(post(1, s, Subset::Private, scored(1)), Error::<Test>::ChallengeStillOpen);
		assert_ok!(post(1, s, Subset::Public, scored(1)));
		assert_noop!(post(1, s, Subset::Public, scored(1)), Error::<Test>::AlreadyReported);
		assert_noop!(post(1, s, Subset::Public, scored(2)), Error::<Test>::AlreadyReported);

		// A sealed commitment is not scorable until revealed.
		let sealed = pallet_merit_challenges::NextChallengeId::<Test>::get();
		assert_ok!(MeritChallenges::create_challenge(
			RuntimeOrigin::signed(account(OWNER)),
			params(1, SubmissionMode::Sealed)
		));
		let committed = pallet_merit_challenges::NextSubmissionId::<Test>::get();
		assert_ok!(MeritChallenges::commit_submission(
			RuntimeOrigin::signed(account(BOB)),
			sealed,
			polkadot_sdk::sp_core::H256::repeat_byte(7),
			vec![],
			None
		));
		assert_noop!(post(1, committed, Subset::Public, scored(1)), Error::<Test>::SubmissionNotRevealed);

		// A submission whose challenge is missing (cannot happen through the challenges pallet).
		let mut orphan = pallet_merit_challenges::Submissions::<Test>::get(s).unwrap();
		orphan.challenge = 77;
		pallet_merit_challenges::Submissions::<Test>::insert(50, orphan);
		assert_noop!(post(1, 50, Subset::Public, scored(1)), Error::<Test>::UnknownChallenge);

		// After the close: private only.
		run_to_block(20);
		assert_noop!(post(1, s, Subset::Public, scored(1)), Error::<Test>::ChallengeNotOpen);
		assert_ok!(post(1, s, Subset::Private, scored(1)));

		// A challenge abandoned by its owner is no longer scorable.
		run_to_block(40);
		assert!(matches!(
			pallet_merit_challenges::ChallengeStatuses::<Test>::get(c).unwrap().state,
			pallet_merit_challenges::ChallengeState::Cancelled(_)
		));
		register_evaluator(2);
		assert_noop!(post(2, s, Subset::Private, scored(1)), Error::<Test>::ChallengeNotScorable);
	});
}

#[test]
fn a_report_is_recorded_free_of_charge_with_its_actual_weight() {
	execute(|| {
		let c = create(3);
		let s = submit(ALICE, c, 1);
		register_evaluator(1);
		let call = Call::<Test>::post_score { submission: s, subset: Subset::Public, outcome: scored(5) };
		let declared = call.get_dispatch_info().call_weight;
		let info = MeritScoring::post_score(RuntimeOrigin::signed(key(1)), s, Subset::Public, scored(5)).unwrap();
		assert_eq!(info.pays_fee, Pays::No);
		assert_eq!(info.actual_weight, Some(<() as WeightInfo>::post_score(0)));
		assert!(info.actual_weight.unwrap().all_lte(declared));
		assert_eq!(MeritScoring::reports(s, Subset::Public), vec![(ev(1), scored(5))]);
		assert_eq!(MeritScoring::final_outcome(s, Subset::Public), None);
		System::assert_last_event(
			Event::ScoreReported { submission: s, subset: Subset::Public, evaluator: ev(1), outcome: scored(5) }.into(),
		);
	});
}

#[test]
fn reports_are_bounded_by_max_evaluators() {
	execute(|| {
		let c = create(5);
		let s = submit(ALICE, c, 1);
		for n in 1..=4 {
			register_evaluator(n);
			assert_ok!(post(n, s, Subset::Public, scored(n as u128)));
		}
		// An evaluator leaves for good; a new one takes its place but the submission's reports are full.
		assert_ok!(MeritScoring::remove_evaluator(RuntimeOrigin::root(), ev(4)));
		register_evaluator(5);
		assert_noop!(post(5, s, Subset::Public, scored(5)), Error::<Test>::TooManyReports);
	});
}

#[test]
fn a_quorum_of_identical_reports_finalizes_the_score() {
	execute(|| {
		let c = create(2);
		let s = submit(ALICE, c, 1);
		for n in 1..=3 {
			register_evaluator(n);
		}
		assert_ok!(post(1, s, Subset::Public, scored(42)));
		assert_eq!(MeritScoring::final_outcome(s, Subset::Public), None);
		assert_ok!(post(2, s, Subset::Public, scored(42)));
		assert_eq!(MeritScoring::final_outcome(s, Subset::Public), Some(scored(42)));
		assert_eq!(FinalOutcomes::<Test>::get(s, Subset::Public).unwrap().finalized_at, 1);
		// The rewards pallet, told of the final score, records the challenge's first public best.
		let all = events();
		assert_eq!(
			all[all.len() - 2..],
			[
				RuntimeEvent::from(Event::ScoreFinalized {
					submission: s,
					subset: Subset::Public,
					score: Score::from_parts(42)
				}),
				RuntimeEvent::from(pallet_merit_rewards::Event::PublicBestImproved {
					challenge: c,
					submission: s,
					score: Score::from_parts(42)
				}),
			]
		);
		// A late agreeing report is recorded and costs nothing.
		assert_ok!(post(3, s, Subset::Public, scored(42)));
		for n in 1..=3 {
			assert_eq!(bond_of(n), BOND);
		}
		// The private subset is separate.
		assert_eq!(MeritScoring::final_outcome(s, Subset::Private), None);
	});
}

#[test]
fn disagreeing_evaluators_are_slashed_at_finalization_and_later() {
	execute(|| {
		let c = create(2);
		let s = submit(ALICE, c, 1);
		for n in 1..=4 {
			register_evaluator(n);
		}
		let issuance = Balances::total_issuance();
		assert_ok!(post(1, s, Subset::Public, scored(7)));
		assert_ok!(post(2, s, Subset::Public, scored(42)));
		assert_eq!(bond_of(1), BOND);
		// The report completing the quorum slashes the earlier disagreeing one: 10% of 1,000.
		assert_ok!(post(3, s, Subset::Public, scored(42)));
		System::assert_has_event(
			Event::EvaluatorDisagreed {
				evaluator: ev(1),
				submission: s,
				subset: Subset::Public,
				reported: scored(7),
				slashed: 100,
			}
			.into(),
		);
		assert_eq!(bond_of(1), 900);
		assert_eq!(Evaluators::<Test>::get(ev(1)).unwrap().bond, 900);
		assert_eq!(Evaluators::<Test>::get(ev(1)).unwrap().disagreements, 1);
		assert_eq!(bond_of(2), BOND);
		assert_eq!(bond_of(3), BOND);
		// Slashes are burnt (`OnSlash = ()`).
		assert_eq!(Balances::total_issuance(), issuance - 100);

		// A later disagreeing report is slashed at once, a failure reason as much as a score.
		assert_ok!(post(4, s, Subset::Public, Outcome::Failed(FailureReason::FetchFailed)));
		System::assert_last_event(
			Event::EvaluatorDisagreed {
				evaluator: ev(4),
				submission: s,
				subset: Subset::Public,
				reported: Outcome::Failed(FailureReason::FetchFailed),
				slashed: 100,
			}
			.into(),
		);
		assert_eq!(bond_of(4), 900);

		// Slashes are a share of the current bond: the second costs 90.
		let s2 = submit(BOB, c, 2);
		assert_ok!(post(1, s2, Subset::Public, scored(1)));
		assert_ok!(post(2, s2, Subset::Public, scored(2)));
		assert_ok!(post(3, s2, Subset::Public, scored(2)));
		assert_eq!(bond_of(1), 810);
		assert_eq!(Evaluators::<Test>::get(ev(1)).unwrap().disagreements, 2);
		assert_eq!(Balances::total_issuance(), issuance - 290);
	});
}

#[test]
fn a_gone_evaluator_is_recorded_but_has_nothing_to_slash() {
	execute(|| {
		let c = create(2);
		let s = submit(ALICE, c, 1);
		for n in 1..=3 {
			register_evaluator(n);
		}
		assert_ok!(post(1, s, Subset::Public, scored(7)));
		assert_ok!(MeritScoring::remove_evaluator(RuntimeOrigin::root(), ev(1)));
		assert_ok!(post(2, s, Subset::Public, scored(42)));
		assert_ok!(post(3, s, Subset::Public, scored(42)));
		System::assert_has_event(
			Event::EvaluatorDisagreed {
				evaluator: ev(1),
				submission: s,
				subset: Subset::Public,
				reported: scored(7),
				slashed: 0,
			}
			.into(),
		);
		assert_eq!(Balances::balance(&ev(1)), 10_000);
	});
}

#[test]
fn failure_reasons_become_final_and_visible_to_the_author() {
	execute(|| {
		let c = create(1);
		let reasons = [
			FailureReason::FetchFailed,
			FailureReason::HashMismatch,
			FailureReason::TooLarge,
			FailureReason::Unparsable(MetricError::Row {
				file: merit_metrics::FileKind::Predictions,
				line: 3,
				problem: merit_metrics::RowProblem::NotANumber,
			}),
		];
		register_evaluator(1);
		for (i, reason) in reasons.into_iter().enumerate() {
			let s = submit(ALICE, c, i as u8 + 1);
			assert_ok!(post(1, s, Subset::Public, Outcome::Failed(reason)));
			System::assert_last_event(Event::SubmissionFailed { submission: s, subset: Subset::Public, reason }.into());
			assert_eq!(MeritScoring::final_outcome(s, Subset::Public), Some(Outcome::Failed(reason)));
		}
		// Failed submissions are not on the leaderboard.
		assert!(MeritScoring::leaderboard(c, Subset::Public).is_empty());
	});
}

// ---- leaderboards ----

fn finalize(s: SubmissionId, subset: Subset, score: u128) {
	assert_ok!(post(1, s, subset, scored(score)));
}

#[test]
fn the_leaderboard_shows_each_authors_best_and_breaks_ties_by_priority() {
	execute(|| {
		let c = create(1);
		register_evaluator(1);
		let a1 = submit(ALICE, c, 1);
		let a2 = submit(ALICE, c, 2);
		let b1 = submit(BOB, c, 3);
		let c1 = submit(CAROL, c, 4);
		let c2 = submit(CAROL, c, 5);
		let d = submit(ALICE, c, 6);
		finalize(a1, Subset::Public, 50);
		finalize(a2, Subset::Public, 30);
		finalize(b1, Subset::Public, 30); // ties with Alice's a2, submitted later
		finalize(c1, Subset::Public, 20);
		finalize(c2, Subset::Public, 20); // Carol's own tie: the earlier c1 stands
		let _ = d; // no final score: not listed
		let board = MeritScoring::leaderboard(c, Subset::Public);
		assert_eq!(
			board,
			vec![
				LeaderboardEntry { rank: 1, submission: c1, author: account(CAROL), score: Score::from_parts(20) },
				LeaderboardEntry { rank: 2, submission: a2, author: account(ALICE), score: Score::from_parts(30) },
				LeaderboardEntry { rank: 3, submission: b1, author: account(BOB), score: Score::from_parts(30) },
			]
		);
		// The private board is separate and empty until private scores are final.
		assert!(MeritScoring::leaderboard(c, Subset::Private).is_empty());
		run_to_block(20);
		finalize(b1, Subset::Private, 10);
		finalize(a1, Subset::Private, 40);
		let private = MeritScoring::leaderboard(c, Subset::Private);
		assert_eq!(private.iter().map(|e| (e.rank, e.submission)).collect::<Vec<_>>(), vec![(1, b1), (2, a1)]);
		assert!(MeritScoring::leaderboard(99, Subset::Public).is_empty());
	});
}

#[test]
fn a_superseded_sealed_submission_leaves_the_leaderboard() {
	execute(|| {
		register_evaluator(1);
		let c = pallet_merit_challenges::NextChallengeId::<Test>::get();
		assert_ok!(MeritChallenges::create_challenge(
			RuntimeOrigin::signed(account(OWNER)),
			params(1, SubmissionMode::Sealed)
		));
		let d = sha(b"shared predictions");
		register(ALICE, d, ArtifactKind::Predictions, 18, b"https://p/shared");
		let commit = |who: u8, salt: &[u8]| {
			let sid = pallet_merit_challenges::NextSubmissionId::<Test>::get();
			assert_ok!(MeritChallenges::commit_submission(
				RuntimeOrigin::signed(account(who)),
				c,
				MeritChallenges::submission_commitment(&d, salt, &account(who)),
				vec![],
				None
			));
			sid
		};
		let bob = commit(BOB, b"b");
		let alice = commit(ALICE, b"a");
		run_to_block(20);
		assert_ok!(MeritChallenges::reveal_submission(RuntimeOrigin::signed(account(ALICE)), alice, d, b"a".to_vec()));
		finalize(alice, Subset::Private, 5);
		assert_eq!(MeritScoring::leaderboard(c, Subset::Private).iter().map(|e| e.submission).collect::<Vec<_>>(), vec![alice]);
		// Bob's earlier commitment takes the digest over: Alice's submission is a duplicate now.
		assert_ok!(MeritChallenges::reveal_submission(RuntimeOrigin::signed(account(BOB)), bob, d, b"b".to_vec()));
		finalize(bob, Subset::Private, 5);
		assert_eq!(MeritScoring::leaderboard(c, Subset::Private).iter().map(|e| e.submission).collect::<Vec<_>>(), vec![bob]);
	});
}

#[test]
fn higher_is_better_metrics_rank_in_reverse() {
	execute(|| {
		let c = create_with(1, Metric::Accuracy);
		register_evaluator(1);
		let a = submit(ALICE, c, 1);
		let b = submit(BOB, c, 2);
		let cc = submit(CAROL, c, 3);
		finalize(a, Subset::Public, 70);
		finalize(b, Subset::Public, 90);
		finalize(cc, Subset::Public, 90);
		let board = MeritScoring::leaderboard(c, Subset::Public);
		assert_eq!(board.iter().map(|e| (e.rank, e.submission)).collect::<Vec<_>>(), vec![(1, b), (2, cc), (3, a)]);
	});
}

// ---- the off-chain worker ----

const GOOD_URI: &[u8] = b"https://files/good.csv";

struct Node {
	ext: sp_io::TestExternalities,
	pool: Arc<parking_lot::RwLock<PoolState>>,
	/// The account of the node's evaluator key.
	key: AccountId,
}

/// A node with off-chain and pool extensions and an `mrev` key, whose account is registered as
/// evaluator 1's key; a challenge (quorum 2) with local labels in place.
fn node() -> Node {
	let mut ext = world();
	let (offchain, _state) = TestOffchainExt::new();
	let (pool, pool_state) = TestTransactionPoolExt::new();
	let keystore = MemoryKeystore::new();
	let public: sr25519::Public = keystore.sr25519_generate_new(KEY_TYPE, Some("//Evaluator")).unwrap();
	let key_account = MultiSigner::from(public).into_account();
	ext.register_extension(OffchainDbExt::new(offchain.clone()));
	ext.register_extension(OffchainWorkerExt::new(offchain));
	ext.register_extension(TransactionPoolExt::new(pool));
	ext.register_extension(KeystoreExt::new(keystore));
	ext.execute_with(|| {
		assert_ok!(MeritScoring::register_evaluator(RuntimeOrigin::signed(ev(1)), key_account.clone()));
		create(2);
		place_labels(0, SALT, &labels_csv());
	});
	Node { ext, pool: pool_state, key: key_account }
}

impl Node {
	/// Ends the test: every pallet's `try_state` on the node's chain state.
	fn finish(mut self) {
		self.ext.execute_with(assert_invariants);
	}
}

fn place_labels(challenge: ChallengeId, salt: &[u8], labels: &[u8]) {
	sp_io::offchain::local_storage_set(
		StorageKind::PERSISTENT,
		&labels_storage_key(challenge),
		&encode_local_labels(salt, labels),
	);
}

/// The `post_score` calls the worker put in the pool, checking each is signed by `key`.
fn pooled(node: &Node) -> Vec<(SubmissionId, Subset, Outcome)> {
	let mut state = node.pool.write();
	let txs = std::mem::take(&mut state.transactions);
	txs.into_iter()
		.map(|tx| {
			let xt = Extrinsic::decode(&mut &tx[..]).expect("a transaction of the test runtime");
			match &xt.preamble {
				Preamble::Signed(who, _, _) => assert_eq!(who, &node.key),
				_ => panic!("the report must be a signed transaction"),
			}
			match xt.function {
				RuntimeCall::MeritScoring(Call::post_score { submission, subset, outcome }) =>
					(submission, subset, outcome),
				other => panic!("unexpected call {other:?}"),
			}
		})
		.collect()
}

fn expected_score(predictions: &[u8], subset: Subset) -> Score {
	let ppb = Perbill::from_percent(50).deconstruct();
	let split = match subset {
		Subset::Public => merit_metrics::Split::public(SALT, ppb),
		_ => merit_metrics::Split::private(SALT, ppb),
	};
	merit_metrics::score(Metric::Rmse, &labels_csv(), predictions, &split).unwrap()
}

/// Runs the worker at block `n`. A real worker's state changes (the signer bumps the nonce) are
/// discarded, so they are rolled back here too.
fn run_worker(n: u64) {
	run_to_block(n);
	let _ = polkadot_sdk::frame_support::storage::with_transaction(|| {
		MeritScoring::offchain_worker(n);
		polkadot_sdk::sp_runtime::TransactionOutcome::Rollback(Ok::<(), DispatchError>(()))
	});
}

/// Pretends the pool's transactions were included: the key's nonce moves on.
fn include(key: &AccountId, count: u32) {
	for _ in 0..count {
		System::inc_account_nonce(key);
	}
}

#[test]
fn the_worker_scores_a_good_file_and_posts_a_signed_public_report() {
	let mut node = node();
	node.ext.execute_with(|| {
		let body = predictions_csv(3);
		submit_file(ALICE, 0, &body, GOOD_URI);
		serve(GOOD_URI, Ok(body.clone()));
		run_worker(2);
	});
	let posted = pooled(&node);
	node.ext.execute_with(|| {
		let body = predictions_csv(3);
		assert_eq!(posted, vec![(0, Subset::Public, Outcome::Scored(expected_score(&body, Subset::Public)))]);
		assert_eq!(fetched(), vec![GOOD_URI.to_vec()]);
		// The transaction the pool holds dispatches: the report is recorded.
		let (s, subset, outcome) = posted[0];
		assert_ok!(MeritScoring::post_score(RuntimeOrigin::signed(node.key.clone()), s, subset, outcome));
		assert_eq!(MeritScoring::reports(s, subset), vec![(ev(1), outcome)]);
	});
	node.finish();
}

#[test]
fn the_worker_reports_each_failure_that_is_the_submissions_fault() {
	let mut node = node();
	node.ext.execute_with(|| {
		// A wrong hash: the served bytes are not the registered ones.
		let s_hash = submit_file(ALICE, 0, &predictions_csv(1), b"https://files/swapped.csv");
		serve(b"https://files/swapped.csv", Ok(predictions_csv(2)));
		// An unparsable file: NaN on line 3.
		let bad = b"id,value\n0,0.0\n1,nan\n".to_vec();
		let s_bad = submit_file(BOB, 0, &bad, b"https://files/bad.csv");
		serve(b"https://files/bad.csv", Ok(bad));
		// Registered larger than MaxPredictionsSize: not even fetched.
		let huge = Digest::repeat_byte(0xee);
		register(CAROL, huge, ArtifactKind::Predictions, 5_000, b"https://files/huge.csv");
		let s_huge = pallet_merit_challenges::NextSubmissionId::<Test>::get();
		assert_ok!(MeritChallenges::submit(RuntimeOrigin::signed(account(CAROL)), 0, huge, vec![], None));
		run_worker(2);
		assert!(!fetched().contains(&b"https://files/huge.csv".to_vec()));
		assert_eq!((s_hash, s_bad, s_huge), (0, 1, 2));
	});
	let posted = pooled(&node);
	assert_eq!(
		posted,
		vec![
			(0, Subset::Public, Outcome::Failed(FailureReason::HashMismatch)),
			(
				1,
				Subset::Public,
				Outcome::Failed(FailureReason::Unparsable(MetricError::Row {
					file: merit_metrics::FileKind::Predictions,
					line: 3,
					problem: merit_metrics::RowProblem::NotANumber,
				}))
			),
			(2, Subset::Public, Outcome::Failed(FailureReason::TooLarge)),
		]
	);
	node.finish();
}

#[test]
fn a_body_longer_than_registered_is_a_hash_mismatch() {
	let mut node = node();
	node.ext.execute_with(|| {
		submit_file(ALICE, 0, &predictions_csv(1), b"https://files/long.csv");
		let mut longer = predictions_csv(1);
		longer.extend_from_slice(b"20,1.0\n");
		serve(b"https://files/long.csv", Ok(longer));
		run_worker(2);
	});
	assert_eq!(pooled(&node), vec![(0, Subset::Public, Outcome::Failed(FailureReason::HashMismatch))]);
	node.finish();
}

#[test]
fn a_failed_fetch_is_retried_before_it_is_reported() {
	let mut node = node();
	node.ext.execute_with(|| {
		submit_file(ALICE, 0, &predictions_csv(1), b"https://files/down.csv");
		serve(b"https://files/down.csv", Err(FetchError::HttpStatus(503)));
		run_worker(2);
		assert_eq!(MeritScoring::fetch_attempts(0, Subset::Public), Some((1, 2 + FETCH_RETRY_BLOCKS as u64)));
		// Not due yet: not fetched again.
		run_worker(3);
		assert_eq!(fetched().len(), 1);
		serve(b"https://files/down.csv", Err(FetchError::Timeout));
		run_worker(7);
		assert_eq!(MeritScoring::fetch_attempts(0, Subset::Public).map(|a| a.0), Some(2));
	});
	assert!(pooled(&node).is_empty());
	node.ext.execute_with(|| {
		run_worker(12);
		assert_eq!(fetched().len(), 3);
		assert_eq!(MeritScoring::fetch_attempts(0, Subset::Public), None);
	});
	assert_eq!(pooled(&node), vec![(0, Subset::Public, Outcome::Failed(FailureReason::FetchFailed))]);
	node.finish();
}

#[test]
fn a_fetch_that_recovers_is_scored() {
	let mut node = node();
	node.ext.execute_with(|| {
		let body = predictions_csv(4);
		submit_file(ALICE, 0, &body, GOOD_URI);
		serve(GOOD_URI, Err(FetchError::Network));
		run_worker(2);
		serve(GOOD_URI, Ok(body));
		run_worker(7);
	});
	let posted = pooled(&node);
	node.ext.execute_with(|| {
		assert_eq!(
			posted,
			vec![(0, Subset::Public, Outcome::Scored(expected_score(&predictions_csv(4), Subset::Public)))]
		);
		assert_eq!(MeritScoring::fetch_attempts(0, Subset::Public), None);
	});
	node.finish();
}

#[test]
fn the_evaluators_own_problems_are_never_reported() {
	let mut node = node();
	node.ext.execute_with(|| {
		// An URI this node cannot fetch.
		submit_file(ALICE, 0, &predictions_csv(1), b"ipfs://bafy");
		serve(b"ipfs://bafy", Err(FetchError::UnsupportedUri));
		run_worker(2);
		// Labels that do not match the commitment.
		serve(b"ipfs://bafy", Ok(predictions_csv(1)));
		place_labels(0, b"another-salt", &labels_csv());
		run_worker(3);
		// No labels at all (the challenge's labels are not revealed).
		sp_io::offchain::local_storage_clear(StorageKind::PERSISTENT, &labels_storage_key(0));
		run_worker(4);
		// Labels that do not decode.
		sp_io::offchain::local_storage_set(StorageKind::PERSISTENT, &labels_storage_key(0), &[0xff]);
		run_worker(5);
		assert_eq!(fetched().len(), 1);
	});
	assert!(pooled(&node).is_empty());
	node.finish();
}

#[test]
fn after_the_close_the_worker_posts_private_scores() {
	let mut node = node();
	node.ext.execute_with(|| {
		let body = predictions_csv(2);
		submit_file(ALICE, 0, &body, GOOD_URI);
		serve(GOOD_URI, Ok(body));
		run_worker(20);
	});
	let posted = pooled(&node);
	node.ext.execute_with(|| {
		assert_eq!(
			posted,
			vec![(0, Subset::Private, Outcome::Scored(expected_score(&predictions_csv(2), Subset::Private)))]
		);
	});
	node.finish();
}

#[test]
fn after_the_reveal_a_node_without_local_labels_fetches_the_revealed_ones() {
	let mut node = node();
	node.ext.execute_with(|| {
		let body = predictions_csv(2);
		submit_file(ALICE, 0, &body, GOOD_URI);
		serve(GOOD_URI, Ok(body));
		sp_io::offchain::local_storage_clear(StorageKind::PERSISTENT, &labels_storage_key(0));
		let labels = labels_csv();
		register(OWNER, sha(&labels), ArtifactKind::Labels, labels.len() as u64, b"https://files/labels.csv");
		serve(b"https://files/labels.csv", Ok(labels.clone()));
		run_to_block(20);
		assert_ok!(MeritChallenges::reveal_labels(RuntimeOrigin::signed(account(OWNER)), 0, sha(&labels), SALT.to_vec()));
		run_worker(21);
	});
	let posted = pooled(&node);
	node.ext.execute_with(|| {
		assert_eq!(
			posted,
			vec![(0, Subset::Private, Outcome::Scored(expected_score(&predictions_csv(2), Subset::Private)))]
		);
	});
	node.finish();
}

#[test]
fn the_worker_waits_for_its_batch_and_bounds_its_work() {
	let mut node = node();
	node.ext.execute_with(|| {
		for (who, delta) in [(ALICE, 1u32), (BOB, 2), (CAROL, 3), (ALICE, 4)] {
			let body = predictions_csv(delta);
			let uri = format!("https://files/{delta}.csv").into_bytes();
			submit_file(who, 0, &body, &uri);
			serve(&uri, Ok(body));
		}
		run_worker(2);
	});
	// MaxScoresPerRun = 3.
	let first = pooled(&node);
	assert_eq!(first.iter().map(|p| p.0).collect::<Vec<_>>(), vec![0, 1, 2]);
	node.ext.execute_with(|| {
		// The batch is not included yet: the next run posts nothing (it would reuse nonces).
		run_worker(3);
	});
	assert!(pooled(&node).is_empty());
	node.ext.execute_with(|| {
		// The batch lands: its reports are on chain and the nonce moved on.
		for (s, subset, outcome) in first.iter() {
			assert_ok!(MeritScoring::post_score(RuntimeOrigin::signed(node.key.clone()), *s, *subset, *outcome));
		}
		include(&node.key, 3);
		run_worker(4);
	});
	assert_eq!(pooled(&node).iter().map(|p| p.0).collect::<Vec<_>>(), vec![3]);
	node.ext.execute_with(|| {
		// A batch that never lands is given up after IN_FLIGHT_BLOCKS.
		let body = predictions_csv(5);
		submit_file(BOB, 0, &body, b"https://files/5.csv");
		serve(b"https://files/5.csv", Ok(body));
		run_worker(5);
	});
	assert!(pooled(&node).is_empty());
	node.ext.execute_with(|| run_worker(4 + IN_FLIGHT_BLOCKS as u64));
	// Submission 3's report never landed, so it is evaluated again, with submission 4.
	assert_eq!(pooled(&node).iter().map(|p| p.0).collect::<Vec<_>>(), vec![3, 4]);
	node.finish();
}

#[test]
fn the_worker_skips_reported_and_final_submissions() {
	let mut node = node();
	node.ext.execute_with(|| {
		for n in 2..=3 {
			register_evaluator(n);
		}
		let s0 = submit(ALICE, 0, 1);
		let s1 = submit(BOB, 0, 2);
		let s2 = submit(CAROL, 0, 3);
		// s0 is final without this node; this node already reported on s1.
		assert_ok!(post(2, s0, Subset::Public, scored(1)));
		assert_ok!(post(3, s0, Subset::Public, scored(1)));
		assert_ok!(MeritScoring::post_score(RuntimeOrigin::signed(node.key.clone()), s1, Subset::Public, scored(1)));
		serve(b"https://p/x", Ok(vec![3; 8]));
		run_worker(2);
		assert_eq!(fetched(), vec![b"https://p/x".to_vec()]);
		assert_eq!(s2, 2);
	});
	let posted = pooled(&node);
	assert_eq!(posted.len(), 1);
	assert_eq!(posted[0].0, 2);
	assert!(matches!(
		posted[0].2,
		Outcome::Failed(FailureReason::Unparsable(MetricError::Row {
			file: merit_metrics::FileKind::Predictions,
			..
		}))
	));
	node.finish();
}

#[test]
fn a_node_without_a_registered_key_does_nothing() {
	let mut node = node();
	node.ext.execute_with(|| {
		let body = predictions_csv(1);
		submit_file(ALICE, 0, &body, GOOD_URI);
		serve(GOOD_URI, Ok(body));
		// The evaluator is leaving: its key no longer reports.
		assert_ok!(MeritScoring::unregister_evaluator(RuntimeOrigin::signed(ev(1))));
		assert_eq!(MeritScoring::run_evaluator(2), Err("no registered evaluator key in the keystore"));
		assert!(fetched().is_empty());
	});
	assert!(pooled(&node).is_empty());
	node.ext.execute_with(|| {
		// The key belongs to nobody any more.
		assert_ok!(MeritScoring::remove_evaluator(RuntimeOrigin::root(), ev(1)));
		assert!(MeritScoring::local_evaluator().is_none());
		MeritScoring::offchain_worker(3);
		assert!(fetched().is_empty());
	});
	assert!(pooled(&node).is_empty());
	node.finish();
}

#[test]
fn a_held_lock_skips_the_run() {
	let mut node = node();
	node.ext.execute_with(|| {
		let body = predictions_csv(1);
		submit_file(ALICE, 0, &body, GOOD_URI);
		serve(GOOD_URI, Ok(body));
		let mut lock = polkadot_sdk::sp_runtime::offchain::storage_lock::StorageLock::<
			polkadot_sdk::sp_runtime::offchain::storage_lock::BlockAndTime<System>,
		>::with_block_and_time_deadline(LOCK_KEY, 5, polkadot_sdk::sp_core::offchain::Duration::from_millis(60_000));
		let guard = lock.try_lock().unwrap();
		assert_eq!(MeritScoring::run_evaluator(2), Err("another worker run holds the lock"));
		drop(guard);
		assert_eq!(MeritScoring::run_evaluator(2), Ok(1));
	});
	node.finish();
}

// ---- the HTTP fetcher ----

fn http_ext() -> (sp_io::TestExternalities, Arc<parking_lot::RwLock<testing::OffchainState>>) {
	let mut ext = new_test_ext();
	let (offchain, state) = TestOffchainExt::new();
	ext.register_extension(OffchainDbExt::new(offchain.clone()));
	ext.register_extension(OffchainWorkerExt::new(offchain));
	(ext, state)
}

#[test]
fn the_http_fetcher_gets_the_body_and_enforces_the_size() {
	let (mut ext, state) = http_ext();
	let body = b"id,value\n1,2.0\n".to_vec();
	for _ in 0..2 {
		state.write().expect_request(PendingRequest {
			method: "GET".into(),
			uri: "https://files/p.csv".into(),
			response: Some(body.clone()),
			sent: true,
			..Default::default()
		});
	}
	ext.execute_with(|| {
		assert_eq!(HttpFetcher::fetch(b"https://files/p.csv", 100), Ok(body.clone()));
		assert_eq!(HttpFetcher::fetch(b"https://files/p.csv", 5), Err(FetchError::TooLarge));
	});
	ext.execute_with(assert_invariants);
}

#[test]
fn the_http_fetcher_maps_ipfs_through_a_configured_gateway() {
	let (mut ext, state) = http_ext();
	ext.execute_with(|| {
		assert_eq!(HttpFetcher::url_of(b"http://a/b"), Some("http://a/b".into()));
		assert_eq!(HttpFetcher::url_of(b"ipfs://bafy"), None);
		assert_eq!(HttpFetcher::fetch(b"ipfs://bafy", 10), Err(FetchError::UnsupportedUri));
		assert_eq!(HttpFetcher::fetch(b"ftp://x", 10), Err(FetchError::UnsupportedUri));
		sp_io::offchain::local_storage_set(StorageKind::PERSISTENT, fetch::IPFS_GATEWAY_KEY, b"https://gw.example/");
		assert_eq!(HttpFetcher::url_of(b"ipfs://bafy"), Some("https://gw.example/ipfs/bafy".into()));
	});
	state.write().expect_request(PendingRequest {
		method: "GET".into(),
		uri: "https://gw.example/ipfs/bafy".into(),
		response: Some(b"x".to_vec()),
		sent: true,
		..Default::default()
	});
	ext.execute_with(|| assert_eq!(HttpFetcher::fetch(b"ipfs://bafy", 10), Ok(b"x".to_vec())));
	ext.execute_with(assert_invariants);
}

#[test]
fn the_labels_key_and_value_are_as_documented() {
	build_and_execute(|| {
		assert_eq!(labels_storage_key(0x0102_0304), b"merit::labels::\x04\x03\x02\x01".to_vec());
		let value = encode_local_labels(b"s", b"id,v\n");
		assert_eq!(value, [&[4u8][..], b"s", &[20u8], b"id,v\n"].concat());
		assert_eq!(<(Vec<u8>, Vec<u8>)>::decode(&mut &value[..]).unwrap(), (b"s".to_vec(), b"id,v\n".to_vec()));
		assert_eq!(KEY_TYPE.0, *b"mrev");
	});
}
