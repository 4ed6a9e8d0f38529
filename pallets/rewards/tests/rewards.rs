//! Every payout rule of the rewards pallet through the real pallets: submissions by the
//! challenges pallet, lineage by attribution, final outcomes by the sealed reports of drawn
//! panels of evaluators in scoring (a quorum of three, drawn as a panel of four).
use merit_primitives::{ArtifactKind, Digest};
use merit_test_runtime::{evaluation::*, *};
use pallet_merit_challenges::{
	ChallengeParams, ChallengeParamsOf, ChallengeState, DescriptionInput, Metric, Schedule, SubmissionLimits,
	SubmissionMode,
};
use pallet_merit_rewards::{
	ChallengeId, Earnings, Error, Event, HoldReason, Ledger, Outcome, Pools, PublicBest, Reviews, RewardKind,
	RewardTerms, Score, SubmissionId, Subset,
};
use pallet_merit_scoring::{EvaluationRecords, EvaluationStats, Evaluators, FinalOutcomes, Stage};
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		traits::fungible::{Inspect, InspectHold},
	},
	sp_runtime::{DispatchError, Perbill},
};

const OWNER: u8 = 1;
const ALICE: u8 = 2;
const BOB: u8 = 3;
const CAROL: u8 = 4;
const DAVE: u8 = 5;
const EVE: u8 = 6;
const POOR: u8 = 9;
const SALT: &[u8] = b"owner-salt";
const TRAIN: u8 = 0x10;
const LABELS: u8 = 0x20;
const OPEN_UNTIL: u64 = 20;
const REVEAL_DEADLINE: u64 = 40;
/// The quorum of every challenge here: the least a challenge with a prize may have.
const QUORUM: u32 = 3;

fn d(n: u8) -> Digest {
	Digest::repeat_byte(n)
}

fn register(owner: u8, digest: Digest, kind: ArtifactKind) {
	assert_ok!(MeritArtifacts::register(
		RuntimeOrigin::signed(account(owner)),
		digest,
		kind,
		10,
		b"https://store/x".to_vec(),
		b"MIT".to_vec(),
		vec![]
	));
}

fn params(pool: u64, shares: Vec<Perbill>, quorum: u32, terms: RewardTerms<u64>) -> ChallengeParamsOf<Test> {
	ChallengeParams {
		title: b"House prices".to_vec(),
		description: DescriptionInput::Text(b"Predict the sale price.".to_vec()),
		training_data: vec![d(TRAIN)],
		metric: Metric::Mae,
		labels_commitment: MeritChallenges::labels_commitment(&d(LABELS), SALT),
		public_share: Perbill::from_percent(50),
		schedule: Schedule { open_until: OPEN_UNTIL, reveal_deadline: REVEAL_DEADLINE },
		limits: SubmissionLimits { per_day: 5, total: 5 },
		reward_shares: shares,
		terms,
		quorum,
		prize_pool: pool,
		mode: SubmissionMode::Open,
		final_selections: 2,
		teams: merit_primitives::TeamRules { max_size: 1, merge_until: OPEN_UNTIL },
		previous_phase: None,
	}
}

/// Runs `test` in a world with the training data registered and evaluators 1 to 4 (accounts 11 to
/// 14, keys 21 to 24) past their warm-up, so every panel of four is all of them in a random order;
/// then checks every pallet's invariants.
fn world(test: impl FnOnce()) {
	build_and_execute(|| {
		register(OWNER, d(TRAIN), ArtifactKind::Dataset);
		register_evaluators(1..=4);
		test();
	});
}

/// Creates a challenge with `terms` (given at creation, as the owner must).
fn create_with(pool: u64, shares: Vec<Perbill>, quorum: u32, terms: RewardTerms<u64>) -> ChallengeId {
	let id = pallet_merit_challenges::NextChallengeId::<Test>::get();
	assert_ok!(MeritChallenges::create_challenge(
		RuntimeOrigin::signed(account(OWNER)),
		params(pool, shares, quorum, terms)
	));
	id
}

/// Creates a challenge without reward terms (no fork credit, no micro-rewards, no reviews).
fn create(pool: u64, shares: Vec<Perbill>, quorum: u32) -> ChallengeId {
	create_with(pool, shares, quorum, RewardTerms::default())
}

fn terms(micro: u32, improvement: u64, review: u64, fee: u64) -> RewardTerms<u64> {
	RewardTerms {
		fork_share: Perbill::from_percent(50),
		fork_decay: Perbill::from_percent(50),
		fork_depth: 3,
		micro_share: Perbill::from_percent(micro),
		improvement_reward: improvement,
		review_reward: review,
		max_reviews_per_reviewer: 2,
		evaluator_fee: fee,
		improvement_step: STEP,
		ladder: false,
	}
}

/// The improvement step of [`terms`]: the smallest unit of a score, so any strict improvement pays.
const STEP: Score = Score::from_parts(1);

/// Registers predictions `tag` for `who` and submits them, forking `parents`.
fn submit(who: u8, challenge: ChallengeId, tag: u8, parents: Vec<SubmissionId>) -> SubmissionId {
	register(who, d(tag), ArtifactKind::Predictions);
	let id = pallet_merit_challenges::NextSubmissionId::<Test>::get();
	assert_ok!(MeritChallenges::submit(RuntimeOrigin::signed(account(who)), challenge, claim(d(tag)), parents, None));
	id
}

/// A score (MAE, lower is better).
fn scored(score: u128) -> Outcome {
	Outcome::Scored(Score::from_parts(score))
}

/// The panel agrees on `score` for `submission` at `stage`: it is final.
fn score(submission: SubmissionId, stage: Stage, score: u128) {
	agree(submission, stage, scored(score));
	assert_eq!(MeritScoring::final_outcome(submission, stage.subset()), Some(scored(score)));
}

/// Waits out the dispute window of private scores made final now.
fn wait_out_disputes() {
	run_to_block(System::block_number() + DISPUTE_WINDOW);
}

fn close_and_reveal(challenge: ChallengeId) {
	run_to_block(OPEN_UNTIL);
	register(OWNER, d(LABELS), ArtifactKind::Labels);
	assert_ok!(MeritChallenges::reveal_labels(
		RuntimeOrigin::signed(account(OWNER)),
		challenge,
		claim(d(LABELS)),
		SALT.to_vec()
	));
}

fn balance(who: u8) -> u64 {
	Balances::balance(&account(who))
}

fn held_by(who: u8) -> u64 {
	Balances::balance_on_hold(&HoldReason::PrizePool.into(), &account(who))
}

fn pool_held() -> u64 {
	held_by(OWNER)
}

fn paid(challenge: ChallengeId, who: u8, kind: RewardKind, amount: u64) {
	System::assert_has_event(Event::RewardPaid { challenge, to: account(who), kind, amount }.into());
}

/// Evaluator `n` (its bonded account) was paid `amount` for its report on `submission`.
fn fee_paid(challenge: ChallengeId, n: u8, submission: SubmissionId, amount: u64) {
	System::assert_has_event(
		Event::RewardPaid { challenge, to: ev(n), kind: RewardKind::Evaluation { submission }, amount }.into(),
	);
}

/// The free balances of evaluators 1 to 4.
fn evaluator_balances() -> Vec<u64> {
	(1..=4).map(|n| Balances::balance(&ev(n))).collect()
}

// ---- terms ----

#[test]
fn terms_given_at_creation_are_held_with_the_pool_and_never_change() {
	world(|| {
		let t = terms(10, 5, 5, 1);
		assert_noop!(
			MeritChallenges::create_challenge(RuntimeOrigin::none(), params(1_000, vec![Perbill::one()], QUORUM, t)),
			DispatchError::BadOrigin
		);
		assert_eq!(MeritRewards::pool(0), None);
		let id = create_with(1_000, vec![Perbill::one()], QUORUM, t);
		System::assert_has_event(
			Event::PoolOpened { challenge: id, owner: account(OWNER), amount: 1_000, terms: t }.into(),
		);
		assert_eq!(Pools::<Test>::get(id).unwrap().terms, t);
		assert_eq!(pool_held(), 1_000);
		assert_eq!(MeritRewards::pool(id), Some((Default::default(), t)));
		assert_eq!(MeritRewards::pool(9), None);
		// No call changes them: they are the rules from the first block to the payout.
		submit(ALICE, id, 0x41, vec![]);
		assert_eq!(Pools::<Test>::get(id).unwrap().terms, t);

		// The bounds themselves are allowed: `MaxForkCreditDepth` 3 and `MaxReviewsPerReviewer` 3.
		let widest = RewardTerms { fork_depth: 3, max_reviews_per_reviewer: 3, ..t };
		let id2 = create_with(1_000, vec![Perbill::one()], QUORUM, widest);
		assert_eq!(Pools::<Test>::get(id2).unwrap().terms, widest);
		assert_eq!(pool_held(), 2_000);
	});
}

#[test]
fn terms_beyond_the_bounds_fail_the_creation_and_nothing_is_held_or_stored() {
	world(|| {
		let t = terms(10, 5, 5, 1);
		let owner = balance(OWNER);
		let create = |who: u8, pool: u64, t: RewardTerms<u64>| {
			let params = params(pool, vec![Perbill::one()], QUORUM, t);
			MeritChallenges::create_challenge(RuntimeOrigin::signed(account(who)), params)
		};
		let nothing_stored = || {
			assert_eq!(pallet_merit_challenges::NextChallengeId::<Test>::get(), 0);
			assert!(pallet_merit_challenges::ChallengeSpecs::<Test>::get(0).is_none());
			assert!(pallet_merit_challenges::ChallengeStatuses::<Test>::get(0).is_none());
			assert_eq!(pallet_merit_challenges::LiveChallenges::<Test>::count(), 0);
			assert!(Pools::<Test>::get(0).is_none());
			assert_eq!(Ledger::<Test>::get(0), Default::default());
			assert_eq!(pool_held(), 0);
			assert_eq!(balance(OWNER), owner);
		};

		// One hop more than `MaxForkCreditDepth` (3).
		assert_noop!(create(OWNER, 1_000, RewardTerms { fork_depth: 4, ..t }), Error::<Test>::ForkDepthTooLarge);
		nothing_stored();
		// One review more than `MaxReviewsPerReviewer` (3).
		assert_noop!(
			create(OWNER, 1_000, RewardTerms { max_reviews_per_reviewer: 4, ..t }),
			Error::<Test>::ReviewLimitTooLarge
		);
		nothing_stored();
		assert_noop!(
			create(OWNER, 1_000, RewardTerms { fork_depth: u32::MAX, max_reviews_per_reviewer: u32::MAX, ..t }),
			Error::<Test>::ForkDepthTooLarge
		);
		nothing_stored();
		// More than `MaxMicroShare` (50% here) for micro-rewards: an owner could route the pool
		// to its own accounts' reviews and improvements instead of prizes.
		assert_noop!(
			create(OWNER, 1_000, RewardTerms { micro_share: Perbill::from_percent(51), ..t }),
			Error::<Test>::MicroShareTooLarge
		);
		nothing_stored();
		// An improvement reward without a step would pay for any sliver of an improvement.
		assert_noop!(
			create(OWNER, 1_000, RewardTerms { improvement_step: Score::ZERO, ..t }),
			Error::<Test>::ImprovementStepRequired
		);
		nothing_stored();

		// The challenges pallet checks its own parameters first: a pool below `MinPrizePool`.
		assert_noop!(
			create(OWNER, 99, RewardTerms { fork_depth: 4, ..t }),
			pallet_merit_challenges::Error::<Test>::PrizePoolTooSmall
		);
		// The pool checks the terms before it holds anything: the poor account (50) could not
		// pay 1,000, but the terms fail first.
		assert_noop!(create(POOR, 1_000, RewardTerms { fork_depth: 4, ..t }), Error::<Test>::ForkDepthTooLarge);
		assert_noop!(
			create(POOR, 1_000, RewardTerms { max_reviews_per_reviewer: 4, ..t }),
			Error::<Test>::ReviewLimitTooLarge
		);
		assert_noop!(create(POOR, 1_000, t), Error::<Test>::InsufficientBalance);
		assert_eq!(held_by(POOR), 0);
		nothing_stored();

		// Within the bounds, the same call succeeds.
		assert_ok!(create(OWNER, 1_000, t));
		assert_eq!(Pools::<Test>::get(0).unwrap().terms, t);
		assert_eq!(pool_held(), 1_000);
	});
}

// ---- micro-rewards while open ----

#[test]
fn each_verified_improvement_of_the_public_best_is_paid_until_the_budget_runs_out() {
	world(|| {
		// Budget: 10% of 1,000 = 100; 40 per improvement, no evaluator fee.
		let id = create_with(1_000, vec![Perbill::one()], QUORUM, terms(10, 40, 0, 0));
		assert_eq!(draw(id).len(), 4);
		let a = submit(ALICE, id, 0x41, vec![]);
		let b = submit(BOB, id, 0x42, vec![]);
		let c = submit(CAROL, id, 0x43, vec![]);
		let a2 = submit(ALICE, id, 0x44, vec![]);
		let (alice, bob, carol) = (balance(ALICE), balance(BOB), balance(CAROL));

		score(a, Stage::Public, 50); // the first public best
		score(b, Stage::Public, 60); // worse: nothing
		score(c, Stage::Public, 50); // a tie is not an improvement
		assert_eq!((balance(ALICE), balance(BOB), balance(CAROL)), (alice + 40, bob, carol));
		score(a2, Stage::Public, 30); // better again: 40 more
		assert_eq!(balance(ALICE), alice + 80);
		assert_eq!(PublicBest::<Test>::get(id), Some((a2, Score::from_parts(30))));
		paid(id, ALICE, RewardKind::Improvement { submission: a }, 40);
		paid(id, ALICE, RewardKind::Improvement { submission: a2 }, 40);

		let d2 = submit(DAVE, id, 0x45, vec![]);
		let dave = balance(DAVE);
		score(d2, Stage::Public, 10); // only 20 of the budget is left
		assert_eq!(balance(DAVE), dave + 20);
		let e = submit(EVE, id, 0x46, vec![]);
		score(e, Stage::Public, 5);
		System::assert_has_event(
			Event::MicroBudgetSpent {
				challenge: id,
				to: account(EVE),
				kind: RewardKind::Improvement { submission: e },
			}
			.into(),
		);
		assert_eq!(PublicBest::<Test>::get(id), Some((e, Score::from_parts(5))));
		let ledger = Ledger::<Test>::get(id);
		assert_eq!((ledger.paid.improvements, ledger.paid.evaluations), (100, 0));
		assert_eq!(pool_held(), 900);
	});
}

#[test]
fn an_improvement_by_no_more_than_the_step_earns_nothing() {
	world(|| {
		// Budget 100; 10 per improvement of more than 5 (score parts); lower is better (RMSE).
		let id = create_with(
			1_000,
			vec![Perbill::one()],
			QUORUM,
			RewardTerms { improvement_step: Score::from_parts(5), ..terms(10, 10, 0, 0) },
		);
		assert_eq!(draw(id).len(), 4);
		let subs: Vec<_> = (0..4u8).map(|i| submit(ALICE, id, 0x41 + i, vec![])).collect();
		let alice = balance(ALICE);
		score(subs[0], Stage::Public, 100); // the first public best: paid
									  // Better by exactly the step, then by less: nothing, and the best that earned a reward
									  // stays 100.
		score(subs[1], Stage::Public, 95);
		score(subs[2], Stage::Public, 97);
		assert_eq!(balance(ALICE), alice + 10);
		assert_eq!(PublicBest::<Test>::get(id), Some((subs[0], Score::from_parts(100))));
		// Better by 6 than the rewarded best: paid (improvements are measured from the last
		// rewarded best, so a series of slivers pays once together they pass the step).
		score(subs[3], Stage::Public, 94);
		assert_eq!(balance(ALICE), alice + 20);
		assert_eq!(PublicBest::<Test>::get(id), Some((subs[3], Score::from_parts(94))));
		assert_eq!(Ledger::<Test>::get(id).paid.improvements, 20);
	});
}

#[test]
fn a_failed_file_earns_its_evaluators_no_fee() {
	world(|| {
		let id = create_with(1_000, vec![Perbill::one()], QUORUM, terms(10, 0, 0, 7));
		assert_eq!(draw(id).len(), 4);
		let junk = submit(ALICE, id, 0x41, vec![]);
		let good = submit(BOB, id, 0x42, vec![]);
		let before = evaluator_balances();
		// A junk file the quorum agrees is unparsable: final, but no evaluator earns a fee for it.
		let failed =
			Outcome::Failed(merit_primitives::FailureReason::Unparsable(merit_primitives::MetricError::InvalidInput));
		agree(junk, Stage::Public, failed);
		assert_eq!(MeritScoring::final_outcome(junk, Subset::Public), Some(failed));
		assert_eq!(evaluator_balances(), before);
		assert_eq!(Ledger::<Test>::get(id).paid.evaluations, 0);
		// A score earns the quorum its fees.
		score(good, Stage::Public, 50);
		assert_eq!(Ledger::<Test>::get(id).paid.evaluations, 21);
	});
}

#[test]
fn evaluators_in_the_quorum_earn_a_fee_per_final_outcome_and_dissenters_do_not() {
	world(|| {
		let id = create_with(1_000, vec![Perbill::one()], QUORUM, terms(10, 0, 0, 7));
		let panel = draw(id);
		let mut sorted = panel.clone();
		sorted.sort();
		assert_eq!(sorted, vec![1, 2, 3, 4], "a quorum of three is drawn as a panel of four");
		let a = submit(ALICE, id, 0x41, vec![]);
		let before = evaluator_balances();
		// The second member disagrees; the others reveal 50 in turn, the last completing the quorum.
		let (x, dissenter, y, z) = (panel[0], panel[1], panel[2], panel[3]);
		report_all(a, Stage::Public, &[(x, scored(50)), (dissenter, scored(51)), (y, scored(50)), (z, scored(50))]);
		assert_eq!(MeritScoring::final_outcome(a, Subset::Public), Some(scored(50)));
		let agreeing = FinalOutcomes::<Test>::get(a, Subset::Public).unwrap().agreeing.to_vec();
		assert_eq!(agreeing, vec![ev(x), ev(y), ev(z)]);

		// Each of the three in the quorum earns the fee; the dissenter earns nothing and loses 10%
		// of its bond (held, so its free balance does not move).
		for n in [x, y, z] {
			assert_eq!(Balances::balance(&ev(n)), before[n as usize - 1] + 7);
			fee_paid(id, n, a, 7);
			assert_eq!(Earnings::<Test>::get(ev(n), id).evaluations, 7);
			assert_eq!(
				EvaluationRecords::<Test>::get(ev(n)),
				EvaluationStats { reports: 1, agreed: 1, ..Default::default() }
			);
		}
		assert_eq!(Balances::balance(&ev(dissenter)), before[dissenter as usize - 1]);
		assert_eq!(Earnings::<Test>::get(ev(dissenter), id).evaluations, 0);
		assert_eq!(
			EvaluationRecords::<Test>::get(ev(dissenter)),
			EvaluationStats { reports: 1, disagreed: 1, ..Default::default() }
		);
		assert_eq!(Evaluators::<Test>::get(ev(dissenter)).unwrap().bond, BOND - BOND / 10);
		assert_eq!(
			Balances::balance_on_hold(&pallet_merit_scoring::HoldReason::EvaluatorBond.into(), &ev(dissenter)),
			BOND - BOND / 10
		);
		System::assert_has_event(
			pallet_merit_scoring::Event::<Test>::EvaluatorDisagreed {
				evaluator: ev(dissenter),
				submission: a,
				subset: Subset::Public,
				reported: scored(51),
				slashed: BOND / 10,
			}
			.into(),
		);
		assert_eq!(Ledger::<Test>::get(id).paid.evaluations, 21);
		assert_eq!(pool_held(), 1_000 - 21);
	});
}

// ---- reviews ----

#[test]
fn reviews_follow_every_rule_and_are_paid_from_the_budget() {
	world(|| {
		let id = create_with(1_000, vec![Perbill::one()], QUORUM, terms(10, 0, 15, 0));
		let a = submit(ALICE, id, 0x41, vec![]);
		let b = submit(BOB, id, 0x42, vec![]);
		let c = submit(CAROL, id, 0x43, vec![]);
		// DAVE's track record: a scored submission to another challenge.
		let other = create_with(1_000, vec![Perbill::one()], QUORUM, terms(10, 0, 15, 0));
		draw(other);
		let own = submit(DAVE, other, 0x44, vec![]);
		score(own, Stage::Public, 7);
		register(DAVE, d(0x70), ArtifactKind::Report);
		register(DAVE, d(0x71), ArtifactKind::Dataset);
		register(EVE, d(0x72), ArtifactKind::Report);
		let review = |who: u8, s: SubmissionId, rating: u8, report: u8| {
			MeritRewards::review(RuntimeOrigin::signed(account(who)), s, rating, d(report))
		};
		assert_noop!(review(DAVE, a, 4, 0x70), Error::<Test>::NotInReviewPeriod);
		run_to_block(OPEN_UNTIL);
		assert_noop!(review(DAVE, 99, 4, 0x70), Error::<Test>::UnknownSubmission);
		assert_noop!(review(ALICE, a, 4, 0x70), Error::<Test>::OwnSubmission);
		assert_noop!(review(DAVE, a, 0, 0x70), Error::<Test>::BadRating);
		assert_noop!(review(DAVE, a, 6, 0x70), Error::<Test>::BadRating);
		assert_noop!(review(DAVE, a, 4, 0x7f), Error::<Test>::UnknownReport);
		assert_noop!(review(DAVE, a, 4, 0x71), Error::<Test>::ReportNotAReport);
		assert_noop!(review(DAVE, a, 4, 0x72), Error::<Test>::ReportNotOwned);
		// EVE (a fresh account, a sybil) has no track record: no scored submission anywhere.
		register(EVE, d(0x73), ArtifactKind::Report);
		assert_noop!(review(EVE, a, 4, 0x73), Error::<Test>::ReviewerWithoutTrackRecord);

		let dave = balance(DAVE);
		assert_ok!(review(DAVE, a, 4, 0x70));
		assert_noop!(review(DAVE, a, 5, 0x70), Error::<Test>::AlreadyReviewed);
		assert_ok!(review(DAVE, b, 2, 0x70));
		assert_noop!(review(DAVE, c, 3, 0x70), Error::<Test>::ReviewLimitReached);
		assert_eq!(balance(DAVE), dave + 30);
		System::assert_has_event(
			Event::Reviewed {
				challenge: id,
				submission: b,
				reviewer: account(DAVE),
				rating: 2,
				report: d(0x70),
				paid: 15,
			}
			.into(),
		);
		assert_eq!(Reviews::<Test>::get(a, account(DAVE)).map(|r| (r.rating, r.paid)), Some((4, 15)));
		assert_eq!(Ledger::<Test>::get(id).paid.reviews, 30);
	});
}

#[test]
fn without_terms_reviews_are_off() {
	world(|| {
		let id = create(1_000, vec![Perbill::one()], QUORUM);
		let a = submit(ALICE, id, 0x41, vec![]);
		run_to_block(OPEN_UNTIL);
		register(DAVE, d(0x70), ArtifactKind::Report);
		assert_noop!(
			MeritRewards::review(RuntimeOrigin::signed(account(DAVE)), a, 4, d(0x70)),
			Error::<Test>::ReviewLimitReached
		);
	});
}

// ---- finalization ----

#[test]
fn a_prize_flows_three_hops_up_a_fork_chain_and_an_uneven_pool_is_paid_to_the_unit() {
	world(|| {
		// 10,007 does not divide by the shares: 60% → 6,004 and 40% → 4,002 leave 1 unit of dust,
		// which goes to the first-ranked winner.
		let id =
			create_with(10_007, vec![Perbill::from_percent(60), Perbill::from_percent(40)], QUORUM, terms(0, 0, 0, 0));
		draw(id);
		let a = submit(ALICE, id, 0x41, vec![]);
		let b = submit(BOB, id, 0x42, vec![a]);
		let c = submit(CAROL, id, 0x43, vec![b]);
		let dd = submit(DAVE, id, 0x44, vec![c]);
		let e = submit(EVE, id, 0x45, vec![]);
		close_and_reveal(id);
		for (s, private) in [(a, 10), (b, 9), (c, 8), (dd, 1), (e, 2)] {
			score(s, Stage::Private, private);
		}
		wait_out_disputes();
		let before: Vec<u64> = [ALICE, BOB, CAROL, DAVE, EVE].iter().map(|w| balance(*w)).collect();
		let issuance = Balances::total_issuance();
		assert_ok!(MeritRewards::finalize(RuntimeOrigin::signed(account(POOR)), id));

		// Dave's 6,005: he passes 50% (3,002) to Carol; Carol passes 25% of that (750) to Bob;
		// Bob passes 12.5% of 750 (93) to Alice; Alice is three hops up and keeps hers.
		let gained: Vec<u64> =
			[ALICE, BOB, CAROL, DAVE, EVE].iter().zip(&before).map(|(w, b)| balance(*w) - b).collect();
		assert_eq!(gained, vec![93, 657, 2_252, 3_003, 4_002]);
		assert_eq!(gained.iter().sum::<u64>(), 10_007);
		paid(id, DAVE, RewardKind::Prize { rank: 1 }, 3_003);
		paid(id, CAROL, RewardKind::ForkCredit { submission: c, hop: 1 }, 2_252);
		paid(id, BOB, RewardKind::ForkCredit { submission: b, hop: 2 }, 657);
		paid(id, ALICE, RewardKind::ForkCredit { submission: a, hop: 3 }, 93);
		paid(id, EVE, RewardKind::Prize { rank: 2 }, 4_002);
		System::assert_has_event(Event::Finalized { challenge: id, winners: 2, returned: 0 }.into());
		assert_eq!(Balances::total_issuance(), issuance);
		assert_eq!(pool_held(), 0);
		let ledger = Ledger::<Test>::get(id);
		assert_eq!((ledger.paid.prizes, ledger.paid.fork_credit, ledger.returned), (7_005, 3_002, 0));
		assert_eq!(
			pallet_merit_challenges::ChallengeStatuses::<Test>::get(id).unwrap().state,
			ChallengeState::Finalized
		);
	});
}

#[test]
fn fork_credit_stops_at_the_terms_depth() {
	world(|| {
		let id = create_with(1_000, vec![Perbill::one()], QUORUM, RewardTerms { fork_depth: 1, ..terms(0, 0, 0, 0) });
		draw(id);
		let a = submit(ALICE, id, 0x41, vec![]);
		let b = submit(BOB, id, 0x42, vec![a]);
		let c = submit(CAROL, id, 0x43, vec![b]);
		close_and_reveal(id);
		for (s, private) in [(a, 10), (b, 9), (c, 1)] {
			score(s, Stage::Private, private);
		}
		wait_out_disputes();
		let (alice, bob, carol) = (balance(ALICE), balance(BOB), balance(CAROL));
		assert_ok!(MeritRewards::finalize(RuntimeOrigin::signed(account(POOR)), id));
		// One hop: Carol passes half to Bob, who keeps it all.
		assert_eq!((balance(ALICE) - alice, balance(BOB) - bob, balance(CAROL) - carol), (0, 500, 500));
	});
}

#[test]
fn unreached_ranks_and_unpaid_micro_budget_go_back_to_the_owner() {
	world(|| {
		let id = create_with(
			1_000,
			vec![Perbill::from_percent(50), Perbill::from_percent(30), Perbill::from_percent(20)],
			QUORUM,
			terms(10, 40, 0, 0),
		);
		draw(id);
		let a = submit(ALICE, id, 0x41, vec![]);
		score(a, Stage::Public, 5); // 40 from the micro budget
		close_and_reveal(id);
		score(a, Stage::Private, 5);
		wait_out_disputes();
		let (alice, owner) = (balance(ALICE), balance(OWNER));
		assert_ok!(MeritRewards::finalize(RuntimeOrigin::signed(account(POOR)), id));
		// 960 held: Alice is rank 1 of one (50% = 480); ranks 2 and 3 (480) go back to the owner.
		assert_eq!(balance(ALICE) - alice, 480);
		assert_eq!(balance(OWNER) - owner, 480);
		let ledger = Ledger::<Test>::get(id);
		assert_eq!((ledger.paid.improvements, ledger.paid.prizes, ledger.returned), (40, 480, 480));
		assert_eq!(ledger.total(), 1_000);
	});
}

#[test]
fn finalization_waits_for_private_scores_the_dispute_window_or_the_grace_period() {
	world(|| {
		let id = create(1_000, vec![Perbill::one()], QUORUM);
		draw(id);
		let a = submit(ALICE, id, 0x41, vec![]);
		let b = submit(BOB, id, 0x42, vec![]);
		let fin = || MeritRewards::finalize(RuntimeOrigin::signed(account(POOR)), id);
		assert_noop!(fin(), Error::<Test>::LabelsNotRevealed);
		assert_noop!(MeritRewards::finalize(RuntimeOrigin::signed(account(POOR)), 7), Error::<Test>::UnknownChallenge);
		close_and_reveal(id);
		score(a, Stage::Private, 5);
		let scored_at = System::block_number();
		// Alice's score can be disputed for `DISPUTE_WINDOW` blocks: until then nothing is paid.
		assert_noop!(fin(), Error::<Test>::DisputesOpen);
		run_to_block(scored_at + DISPUTE_WINDOW - 1);
		assert_noop!(fin(), Error::<Test>::DisputesOpen);
		run_to_block(scored_at + DISPUTE_WINDOW);
		// Then Bob's submission still waits for its score.
		assert_noop!(fin(), Error::<Test>::ScoresPending);
		run_to_block(REVEAL_DEADLINE + 20);
		// Bob's submission never reached a quorum: after the grace period Alice takes the pool.
		let alice = balance(ALICE);
		assert_ok!(fin());
		assert_eq!(balance(ALICE) - alice, 1_000);
		assert_noop!(fin(), Error::<Test>::LabelsNotRevealed);
		assert_eq!(MeritScoring::final_outcome(b, Subset::Private), None);
	});
}

/// A challenge larger than a page is finalized over several calls (issue 15): each call counts
/// a page and pays nothing, the books and every invariant hold between calls, no private score
/// becomes final once counting has started, and the last call pays by the whole board.
#[test]
fn a_challenge_larger_than_a_page_is_finalized_over_several_calls() {
	ExtBuilder::default().bounds(|b| b.finalize_page = 2).build_and_execute(|| {
		register(OWNER, d(TRAIN), ArtifactKind::Dataset);
		register_evaluators(1..=4);
		let id = create(1_000, vec![Perbill::from_percent(60), Perbill::from_percent(40)], QUORUM);
		draw(id);
		let entries = [(ALICE, 0x41, 7), (ALICE, 0x42, 3), (BOB, 0x43, 5), (CAROL, 0x44, 9), (DAVE, 0x45, 1)];
		let submissions: Vec<SubmissionId> =
			entries.iter().map(|(who, tag, _)| submit(*who, id, *tag, vec![])).collect();
		for s in submissions.iter() {
			score(*s, Stage::Public, 1);
		}
		close_and_reveal(id);
		// Dave's file never reaches a private quorum before the grace period ends.
		for (s, (_, _, private)) in submissions.iter().zip(entries.iter()).take(4) {
			score(*s, Stage::Private, *private);
		}
		run_to_block(REVEAL_DEADLINE + 20);
		let held = pool_held();
		let fin = || MeritRewards::finalize(RuntimeOrigin::signed(account(POOR)), id);
		// Five submissions two a page, then four entrants two a page: the third call reads the
		// last submission and ranks one entrant, the fourth ranks two, the fifth the last and pays.
		let mut calls = 0;
		let late = submissions[4];
		loop {
			System::reset_events();
			assert_ok!(fin());
			calls += 1;
			if calls == 1 {
				// Dave's panel agrees now: too late, the count has started.
				let reports: Vec<(u8, Outcome)> =
					evaluators_of(late, Stage::Private).into_iter().map(|n| (n, scored(1))).collect();
				report_all(late, Stage::Private, &reports);
				assert_eq!(MeritScoring::final_outcome(late, Subset::Private), None);
			}
			let finalized =
				System::events().iter().any(|r| matches!(r.event, RuntimeEvent::MeritRewards(Event::Finalized { .. })));
			if finalized {
				break;
			}
			assert!(System::events().iter().any(|r| matches!(
				r.event,
				RuntimeEvent::MeritRewards(Event::PrizeCountProgressed { challenge, submissions: 5, .. }) if challenge == id
			)));
			assert_eq!(Ledger::<Test>::get(id), Default::default(), "nothing is paid before the board is whole");
			assert_eq!(pool_held(), held);
			assert_invariants();
		}
		assert_eq!(calls, 5);
		// Alice's best (3) wins 60%, Bob (5) 40%; Carol (9) and Dave (unscored) nothing.
		paid(id, ALICE, RewardKind::Prize { rank: 1 }, 600);
		paid(id, BOB, RewardKind::Prize { rank: 2 }, 400);
		assert_eq!(Ledger::<Test>::get(id).paid.prizes, 1_000);
		let board = MeritScoring::leaderboard(id, Subset::Private);
		assert_eq!(
			board.iter().map(|e| (e.rank, e.submission)).collect::<Vec<_>>(),
			vec![(1, submissions[1]), (2, submissions[2]), (3, submissions[3])]
		);
		assert_noop!(fin(), Error::<Test>::LabelsNotRevealed);
	});
}

#[test]
fn an_open_dispute_holds_the_prizes_after_the_window_until_it_ends() {
	world(|| {
		let id = create(1_000, vec![Perbill::one()], QUORUM);
		draw(id);
		let a = submit(ALICE, id, 0x41, vec![]);
		close_and_reveal(id);
		score(a, Stage::Private, 5);
		let scored_at = System::block_number();
		let fin = || MeritRewards::finalize(RuntimeOrigin::signed(account(POOR)), id);
		// Dave disputes in the window's last block.
		run_to_block(scored_at + DISPUTE_WINDOW - 1);
		let disputed_at = System::block_number();
		assert_ok!(MeritScoring::dispute(RuntimeOrigin::signed(account(DAVE)), a));
		// The window is over, but the dispute is open: the prize waits.
		run_to_block(scored_at + DISPUTE_WINDOW);
		assert_noop!(fin(), Error::<Test>::DisputesOpen);
		// No recount panel can be drawn (of four evaluators, three formed the disputed quorum), so
		// the dispute lapses after its resolution period, the score stands and the bond returns.
		run_to_block(disputed_at + DRAW_DELAY + DISPUTE_RESOLUTION - 1);
		assert_noop!(fin(), Error::<Test>::DisputesOpen);
		run_to_block(disputed_at + DRAW_DELAY + DISPUTE_RESOLUTION);
		let dave = balance(DAVE);
		assert_ok!(conclude(a, Stage::Dispute));
		assert_eq!(balance(DAVE), dave + DISPUTE_BOND);
		let alice = balance(ALICE);
		assert_ok!(fin());
		assert_eq!(balance(ALICE) - alice, 1_000);
		System::assert_has_event(Event::Finalized { challenge: id, winners: 1, returned: 0 }.into());
	});
}

#[test]
fn with_no_final_private_score_the_whole_pool_goes_back() {
	world(|| {
		let id = create(1_000, vec![Perbill::one()], QUORUM);
		close_and_reveal(id);
		let owner = balance(OWNER);
		assert_ok!(MeritRewards::finalize(RuntimeOrigin::signed(account(POOR)), id));
		assert_eq!(balance(OWNER) - owner, 1_000);
		System::assert_has_event(Event::Finalized { challenge: id, winners: 0, returned: 1_000 }.into());
	});
}

// ---- track records ----

#[test]
fn track_records_and_leaderboards_are_read_a_page_at_a_time() {
	use merit_primitives::Page;
	world(|| {
		let id = create_with(1_000, vec![Perbill::one()], QUORUM, terms(10, 0, 15, 0));
		draw(id);
		let alice: Vec<SubmissionId> = (0..5u8).map(|n| submit(ALICE, id, 0x41 + n, vec![])).collect();
		let bob = submit(BOB, id, 0x50, vec![]);
		let carol = submit(CAROL, id, 0x51, vec![]);
		for (submission, mae) in [(alice[0], 8), (bob, 4), (carol, 6)] {
			score(submission, Stage::Public, mae);
		}
		run_to_block(OPEN_UNTIL);
		for (reviewer, report, reviewed) in [(BOB, 0x70, &alice[..2]), (CAROL, 0x71, &alice[2..3])] {
			register(reviewer, d(report), ArtifactKind::Report);
			for &submission in reviewed {
				assert_ok!(MeritRewards::review(RuntimeOrigin::signed(account(reviewer)), submission, 4, d(report)));
			}
		}

		let full = MeritRewards::track_record(account(ALICE));
		let all = MeritRewards::track_record_page(account(ALICE), Page::ALL);
		assert_eq!(all.record, full);
		assert_eq!((all.totals.submissions, all.totals.reviews_given, all.totals.reviews_received), (5, 0, 3));
		let page = |offset, limit| MeritRewards::track_record_page(account(ALICE), Page { offset, limit });
		let middle = page(1, 2);
		let ids: Vec<SubmissionId> = middle.record.submissions.iter().map(|s| s.submission).collect();
		assert_eq!(ids, alice[1..3].to_vec());
		assert_eq!(middle.record.reviews_received, full.reviews_received[1..3].to_vec());
		assert_eq!(middle.totals, all.totals, "a page still reports every list's full length");
		assert_eq!(middle.record.challenges, full.challenges, "every submission counts for its challenge");
		let joined: Vec<_> = (0..3).flat_map(|n| page(2 * n, 2).record.submissions).collect();
		assert_eq!(joined, full.submissions);
		let past_the_end = page(5, 2);
		assert!(past_the_end.record.submissions.is_empty() && past_the_end.record.reviews_received.is_empty());
		assert_eq!(past_the_end.totals.submissions, 5);
		let bob_given = MeritRewards::track_record_page(account(BOB), Page { offset: 1, limit: 1 });
		assert_eq!(bob_given.totals.reviews_given, 2);
		assert_eq!(
			bob_given.record.reviews_given,
			MeritRewards::track_record(account(BOB)).reviews_given[1..].to_vec()
		);

		let board = MeritScoring::leaderboard(id, Subset::Public);
		assert_eq!(board.len(), 3);
		let second = MeritScoring::leaderboard_page(id, Subset::Public, Page { offset: 1, limit: 1 });
		assert_eq!((second.total, second.entries.clone()), (3, board[1..2].to_vec()));
		assert_eq!(second.entries[0].author, account(CAROL));
		let beyond = MeritScoring::leaderboard_page(id, Subset::Public, Page { offset: 3, limit: 10 });
		assert_eq!((beyond.total, beyond.entries.len()), (3, 0));
		assert_eq!(MeritScoring::leaderboard_page(id, Subset::Public, Page::ALL).entries, board);
	});
}

#[test]
fn a_track_record_gathers_submissions_ranks_earnings_forks_reviews_and_evaluations() {
	world(|| {
		let id = create_with(
			1_000,
			vec![Perbill::from_percent(70), Perbill::from_percent(30)],
			QUORUM,
			terms(10, 20, 10, 3),
		);
		let panel = draw(id);
		let a = submit(ALICE, id, 0x41, vec![]);
		let b = submit(BOB, id, 0x42, vec![a]);
		score(a, Stage::Public, 8);
		score(b, Stage::Public, 4);
		run_to_block(OPEN_UNTIL);
		// Closed is not enough for private scores: the labels must be public.
		assert_eq!(
			commit(panel[0], a, Stage::Private, scored(9)),
			err(pallet_merit_scoring::Error::<Test>::LabelsNotRevealed)
		);
		register(ALICE, d(0x70), ArtifactKind::Report);
		assert_ok!(MeritRewards::review(RuntimeOrigin::signed(account(ALICE)), b, 5, d(0x70)));
		register(OWNER, d(LABELS), ArtifactKind::Labels);
		assert_ok!(MeritChallenges::reveal_labels(
			RuntimeOrigin::signed(account(OWNER)),
			id,
			claim(d(LABELS)),
			SALT.to_vec()
		));
		score(a, Stage::Private, 9);
		score(b, Stage::Private, 3);
		wait_out_disputes();
		assert_ok!(MeritRewards::finalize(RuntimeOrigin::signed(account(POOR)), id));

		let alice = MeritRewards::track_record(account(ALICE));
		assert_eq!(alice.submissions.len(), 1);
		assert_eq!(alice.submissions[0].forked_by, vec![b]);
		assert_eq!(alice.submissions[0].private, Some(scored(9)));
		assert_eq!(alice.forks, pallet_merit_attribution::ForkStat { times_forked: 1, forkers: 1 });
		assert_eq!(alice.forked_by, vec![(account(BOB), 1)]);
		assert_eq!(alice.reviews_given.len(), 1);
		assert_eq!((alice.reviews_given[0].submission, alice.reviews_given[0].rating), (b, 5));
		let entry = &alice.challenges[0];
		assert_eq!((entry.challenge, entry.state, entry.submissions), (id, ChallengeState::Finalized, 1));
		assert_eq!(entry.private.map(|p| (p.rank, p.of)), Some((2, 2)));
		assert_eq!(entry.public.map(|p| (p.rank, p.submission)), Some((2, a)));

		let bob = MeritRewards::track_record(account(BOB));
		assert_eq!(bob.submissions[0].parents, vec![a]);
		assert_eq!(bob.submissions[0].fork_depth, 1);
		assert_eq!(bob.challenges[0].private.map(|p| p.rank), Some(1));
		assert_eq!(bob.reviews_received.len(), 1);
		assert_eq!(bob.reviews_received[0].reviewer, account(ALICE));

		// Pool after micro: 1,000 − 20 − 20 (two improvements) − 10 (review) − 36 (four final
		// outcomes, a fee of 3 to each of their three evaluators) = 914. Bob: 70% of 914 = 639
		// (639.8), plus dust 1 (914 − 639 − 274) = 640, of which he passes 50% (320) to Alice's
		// forked work. Alice: 30% = 274 as rank 2.
		assert_eq!(Ledger::<Test>::get(id).paid.evaluations, 36);
		assert_eq!(bob.earned.prizes, 320);
		assert_eq!(bob.earned.improvements, 20);
		assert_eq!(alice.earned.prizes, 274);
		assert_eq!(alice.earned.fork_credit, 320);
		assert_eq!(alice.earned.improvements, 20);
		assert_eq!(alice.earned.reviews, 10);
		// Every outcome was made final by the first three members of the panel to reveal: each of
		// them reported and agreed four times and earned four fees; the spare committed each time
		// and never needed to reveal, so it earned nothing and has no challenge in its record.
		for n in &panel[..3] {
			let evaluator = MeritRewards::track_record(ev(*n));
			assert_eq!(evaluator.evaluations, EvaluationStats { reports: 4, agreed: 4, ..Default::default() });
			assert_eq!(evaluator.earned.evaluations, 12);
			assert_eq!(evaluator.challenges.len(), 1);
			assert_eq!(evaluator.challenges[0].earned.evaluations, 12);
		}
		let spare = MeritRewards::track_record(ev(panel[3]));
		assert_eq!(spare.evaluations, EvaluationStats::default());
		assert_eq!(spare.earned.evaluations, 0);
		assert!(spare.challenges.is_empty());
		assert_eq!(Ledger::<Test>::get(id).total(), 1_000);
	});
}
