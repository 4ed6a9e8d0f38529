//! Every rule of the campaigns pallet through the test runtime: assignment, sealed rounds,
//! retirement by each rule, gold commitments and skill, levels, rewards by skill, and the money
//! (the runtime's `try_state` runs after every test and reconciles pools and deposits with the
//! holds).
use merit_primitives::Digest;
use merit_test_runtime::*;
use pallet_merit_campaigns::{
	answer_seal, gold_commitment, Assignments, CampaignParams, Campaigns, Error, Event, HoldReason, Level, RetiredBy,
	RetirementRule, Selection, SubjectInput, Subjects, Volunteers, ONE,
};
use polkadot_sdk::frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
};

const OWNER: u8 = 1;
const POOL: Balance = 1_000;
const ENDS_AT: u64 = 100;
const WINDOW: u64 = 5;

fn params(answers: u8, rule: RetirementRule, round_size: u32) -> CampaignParams<u64, Balance> {
	CampaignParams {
		title: b"Digits".to_vec(),
		subjects_uri: b"http://store".to_vec(),
		answers,
		rule,
		round_size,
		reveal_window: WINDOW,
		selection: Selection::Random,
		gold_steps: vec![],
		levels: vec![],
		skepticism: 0,
		pool: POOL,
		ends_at: ENDS_AT,
	}
}

fn digest(n: u32) -> Digest {
	Digest::from_low_u64_be(n as u64 + 1)
}

fn subjects(from: u32, count: u32) -> Vec<SubjectInput> {
	(from..from + count).map(|n| SubjectInput { digest: digest(n), prior: None, min_level: 0 }).collect()
}

fn salt(who: u8) -> [u8; 32] {
	[who; 32]
}

fn create(p: CampaignParams<u64, Balance>) -> u32 {
	let id = pallet_merit_campaigns::NextCampaignId::<Test>::get();
	assert_ok!(MeritCampaigns::create_campaign(RuntimeOrigin::signed(account(OWNER)), p));
	id
}

fn assigned(campaign: u32, who: u8) -> Option<u32> {
	Assignments::<Test>::get(campaign, account(who))
}

/// Seals `answer` to `who`'s current subject; returns that subject.
fn classify(campaign: u32, who: u8, answer: impl FnOnce(u32) -> u8) -> u32 {
	if assigned(campaign, who).is_none() {
		assert_ok!(MeritCampaigns::next_subject(RuntimeOrigin::signed(account(who)), campaign));
	}
	let subject = assigned(campaign, who).expect("assigned");
	let a = answer(subject);
	let seal = answer_seal(campaign, subject, account(who).as_ref(), a, &salt(who));
	assert_ok!(MeritCampaigns::classify(RuntimeOrigin::signed(account(who)), campaign, seal));
	subject
}

fn reveal(campaign: u32, who: u8, subject: u32, answer: u8) {
	assert_ok!(MeritCampaigns::reveal(RuntimeOrigin::signed(account(who)), campaign, subject, answer, salt(who)));
}

fn volunteer(campaign: u32, who: u8) -> pallet_merit_campaigns::Volunteer<Balance> {
	Volunteers::<Test>::get(account(who), campaign).expect("a volunteer")
}

fn retired(campaign: u32, subject: u32) -> Option<(u8, RetiredBy)> {
	Subjects::<Test>::get(campaign, subject).and_then(|s| s.retired).map(|r| (r.label, r.by))
}

/// A gold batch with these answers, shown until `reveal_after`; returns (batch, first subject).
fn add_gold(campaign: u32, answers: &[u8], reveal_after: u64) -> (u32, u32, [u8; 32]) {
	let record = Campaigns::<Test>::get(campaign).unwrap();
	let first = record.subjects;
	let pairs: Vec<(u32, u8)> = answers.iter().enumerate().map(|(i, a)| (first + i as u32, *a)).collect();
	let gold_salt = [0xAB; 32];
	let digests = (0..answers.len() as u32).map(|i| digest(10_000 + first + i)).collect();
	assert_ok!(MeritCampaigns::add_gold(
		RuntimeOrigin::signed(account(OWNER)),
		campaign,
		digests,
		gold_commitment(&pairs, &gold_salt),
		reveal_after
	));
	(record.gold_batches, first, gold_salt)
}

#[test]
fn publishing_checks_every_parameter_and_holds_the_pool_and_deposits() {
	build_and_execute(|| {
		let owner = RuntimeOrigin::signed(account(OWNER));
		let fixed = RetirementRule::FixedCount { count: 3 };
		let bad = |p: CampaignParams<u64, Balance>, e: Error<Test>| {
			assert_noop!(MeritCampaigns::create_campaign(owner.clone(), p), e);
		};
		bad(params(1, fixed, 3), Error::BadAnswerCount);
		bad(params(11, fixed, 3), Error::BadAnswerCount);
		bad(params(3, RetirementRule::FixedCount { count: 0 }, 3), Error::RuleOutOfRange);
		let swap = RetirementRule::Swap { prior: ONE / 5_000, detect: ONE / 100 * 95, reject: ONE / 10_000_000 };
		bad(params(3, swap, 3), Error::SwapNeedsTwoAnswers);
		bad(
			params(2, RetirementRule::Swap { prior: ONE, detect: ONE / 100 * 95, reject: ONE / 10_000_000 }, 3),
			Error::SwapThresholdsDisordered,
		);
		bad(params(3, fixed, 0), Error::BadRoundSize);
		bad(params(3, fixed, 21), Error::BadRoundSize);
		bad(CampaignParams { reveal_window: 0, ..params(3, fixed, 3) }, Error::BadRevealWindow);
		bad(
			CampaignParams { gold_steps: vec![(15, ONE / 3), (10, ONE / 5)], ..params(3, fixed, 3) },
			Error::BadGoldSchedule,
		);
		bad(CampaignParams { gold_steps: vec![(15, ONE + 1)], ..params(3, fixed, 3) }, Error::BadGoldSchedule);
		bad(
			CampaignParams { levels: vec![Level { threshold: ONE + 1, min_gold: 1 }], ..params(3, fixed, 3) },
			Error::BadLevels,
		);
		bad(CampaignParams { title: vec![b'x'; 65], ..params(3, fixed, 3) }, Error::TextTooLong);
		bad(CampaignParams { ends_at: 1, ..params(3, fixed, 3) }, Error::EndInThePast);
		bad(CampaignParams { pool: 0, ..params(3, fixed, 3) }, Error::EmptyPool);
		assert_noop!(
			MeritCampaigns::create_campaign(RuntimeOrigin::signed(account(9)), params(3, fixed, 3)),
			Error::<Test>::InsufficientBalance
		);

		let id = create(params(3, fixed, 3));
		assert_eq!(Balances::balance_on_hold(&HoldReason::CampaignPool.into(), &account(OWNER)), POOL);
		assert_eq!(Balances::balance_on_hold(&HoldReason::CampaignDeposit.into(), &account(OWNER)), CAMPAIGN_DEPOSIT);
		assert_noop!(
			MeritCampaigns::add_subjects(RuntimeOrigin::signed(account(2)), id, subjects(0, 3)),
			Error::<Test>::NotOwner
		);
		assert_noop!(MeritCampaigns::add_subjects(owner.clone(), id, vec![]), Error::<Test>::BadBatch);
		assert_noop!(MeritCampaigns::add_subjects(owner.clone(), id, subjects(0, 201)), Error::<Test>::BadBatch);
		let bad_prior = vec![SubjectInput { digest: digest(0), prior: Some(vec![ONE / 2, ONE / 2]), min_level: 0 }];
		assert_noop!(MeritCampaigns::add_subjects(owner.clone(), id, bad_prior), Error::<Test>::BadPrior);
		assert_ok!(MeritCampaigns::add_subjects(owner.clone(), id, subjects(0, 10)));
		assert_eq!(
			Balances::balance_on_hold(&HoldReason::CampaignDeposit.into(), &account(OWNER)),
			CAMPAIGN_DEPOSIT + 10 * SUBJECT_DEPOSIT
		);
		assert!(events().contains(&RuntimeEvent::MeritCampaigns(Event::SubjectsAdded {
			campaign: id,
			first: 0,
			count: 10
		})));
		assert_noop!(
			MeritCampaigns::add_gold(owner.clone(), id, vec![digest(99)], [0; 32], 1),
			Error::<Test>::BadRevealBlock
		);
		assert_noop!(
			MeritCampaigns::add_gold(owner.clone(), id, vec![digest(99)], [0; 32], ENDS_AT + 1),
			Error::<Test>::BadRevealBlock
		);
		run_to_block(ENDS_AT + 1);
		assert_noop!(MeritCampaigns::add_subjects(owner, id, subjects(10, 1)), Error::<Test>::CampaignEnded);
	});
}

#[test]
fn a_round_is_sealed_until_full_then_the_rule_retires_the_subject_and_credits_agreement() {
	build_and_execute(|| {
		let id = create(params(3, RetirementRule::FixedCount { count: 3 }, 3));
		assert_ok!(MeritCampaigns::add_subjects(RuntimeOrigin::signed(account(OWNER)), id, subjects(0, 1)));
		// Three volunteers seal; the first cannot reveal before the round is full.
		let s = classify(id, 2, |_| 1);
		assert_noop!(
			MeritCampaigns::reveal(RuntimeOrigin::signed(account(2)), id, s, 1, salt(2)),
			Error::<Test>::NotInReview
		);
		// The same volunteer is never given the subject again: nothing is left for it.
		assert_eq!(assigned(id, 2), None);
		assert_noop!(
			MeritCampaigns::next_subject(RuntimeOrigin::signed(account(2)), id),
			Error::<Test>::NothingToClassify
		);
		assert_eq!(classify(id, 3, |_| 1), s);
		assert_eq!(classify(id, 4, |_| 2), s);
		assert!(events()
			.iter()
			.any(|e| matches!(e, RuntimeEvent::MeritCampaigns(Event::RoundInReview { subject: 0, round: 0, .. }))));
		// In review, nobody else gets it.
		assert_noop!(
			MeritCampaigns::next_subject(RuntimeOrigin::signed(account(5)), id),
			Error::<Test>::NothingToClassify
		);
		// A wrong salt or answer does not open the seal; a second reveal is refused.
		assert_noop!(
			MeritCampaigns::reveal(RuntimeOrigin::signed(account(2)), id, s, 2, salt(2)),
			Error::<Test>::SealMismatch
		);
		assert_noop!(
			MeritCampaigns::reveal(RuntimeOrigin::signed(account(2)), id, s, 1, salt(3)),
			Error::<Test>::SealMismatch
		);
		assert_noop!(
			MeritCampaigns::reveal(RuntimeOrigin::signed(account(2)), id, s, 7, salt(2)),
			Error::<Test>::BadAnswer
		);
		assert_noop!(
			MeritCampaigns::reveal(RuntimeOrigin::signed(account(5)), id, s, 1, salt(5)),
			Error::<Test>::NoSeal
		);
		reveal(id, 2, s, 1);
		assert_noop!(
			MeritCampaigns::reveal(RuntimeOrigin::signed(account(2)), id, s, 1, salt(2)),
			Error::<Test>::AlreadyRevealed2
		);
		reveal(id, 3, s, 1);
		assert_eq!(retired(id, s), None, "the rule waits for the whole round");
		reveal(id, 4, s, 2);
		assert_eq!(retired(id, s), Some((1, RetiredBy::Rule)));
		assert_eq!(volunteer(id, 2).agreements, 1);
		assert_eq!(volunteer(id, 3).agreements, 1);
		assert_eq!(volunteer(id, 4).agreements, 0);
		assert_eq!(Campaigns::<Test>::get(id).unwrap().retired, 1);
	});
}

#[test]
fn consensus_opens_another_round_until_agreement_and_an_unrevealed_seal_does_not_count() {
	build_and_execute(|| {
		let rule = RetirementRule::Consensus { min_votes: 4, agreement: ONE / 4 * 3 };
		let id = create(params(2, rule, 2));
		assert_ok!(MeritCampaigns::add_subjects(RuntimeOrigin::signed(account(OWNER)), id, subjects(0, 1)));
		let s = classify(id, 2, |_| 1);
		classify(id, 3, |_| 0);
		reveal(id, 2, s, 1);
		reveal(id, 3, s, 0);
		assert_eq!(retired(id, s), None);
		assert!(events().contains(&RuntimeEvent::MeritCampaigns(Event::RoundEnded {
			campaign: id,
			subject: s,
			round: 0,
			revealed: 2
		})));
		// Round 1: volunteer 4 reveals, volunteer 5 never does; the round closes after its window.
		classify(id, 4, |_| 1);
		classify(id, 5, |_| 1);
		reveal(id, 4, s, 1);
		assert_noop!(
			MeritCampaigns::close_round(RuntimeOrigin::signed(account(6)), id, s),
			Error::<Test>::RoundStillOpen
		);
		run_to_block(System::block_number() + WINDOW + 1);
		assert_ok!(MeritCampaigns::close_round(RuntimeOrigin::signed(account(6)), id, s));
		assert_eq!(retired(id, s), None, "3 revealed votes are fewer than 4");
		assert_noop!(
			MeritCampaigns::reveal(RuntimeOrigin::signed(account(5)), id, s, 1, salt(5)),
			Error::<Test>::StaleSeal
		);
		// Round 2: two more agree: 4 of 5 = 0.8 ≥ 0.75.
		classify(id, 11, |_| 1);
		classify(id, 12, |_| 1);
		reveal(id, 11, s, 1);
		reveal(id, 12, s, 1);
		assert_eq!(retired(id, s), Some((1, RetiredBy::Rule)));
		let record = Campaigns::<Test>::get(id).unwrap();
		assert_eq!(record.total_agreements, 4);
	});
}

#[test]
fn gold_answers_stay_committed_until_their_batch_ends_and_move_skill_and_levels() {
	build_and_execute(|| {
		let rule = RetirementRule::Posterior { threshold: ONE / 10 * 9, min_votes: 2 };
		let p = CampaignParams {
			gold_steps: vec![(u32::MAX, ONE)],
			levels: vec![Level { threshold: ONE / 10 * 6, min_gold: 2 }],
			..params(2, rule, 1)
		};
		let id = create(p);
		let (batch, first, gold_salt) = add_gold(id, &[0, 1, 0, 1], 10);
		let truth = |s: u32| [0u8, 1, 0, 1][(s - first) as usize];
		// Volunteer 2 answers every gold subject right; volunteer 3 always says 0.
		for _ in 0..4 {
			classify(id, 2, truth);
			classify(id, 3, |_| 0);
		}
		assert_eq!(volunteer(id, 2).gold_seen, 4);
		// Before the batch is revealed the answers cannot be checked, and the owner cannot
		// reveal early or differently.
		assert_noop!(
			MeritCampaigns::reveal(RuntimeOrigin::signed(account(2)), id, first, 0, salt(2)),
			Error::<Test>::NotInReview
		);
		let owner = RuntimeOrigin::signed(account(OWNER));
		assert_noop!(
			MeritCampaigns::reveal_gold(owner.clone(), id, batch, vec![0, 1, 0, 1], gold_salt),
			Error::<Test>::TooEarly
		);
		run_to_block(10);
		assert_noop!(
			MeritCampaigns::reveal_gold(owner.clone(), id, batch, vec![1, 1, 0, 1], gold_salt),
			Error::<Test>::CommitmentMismatch
		);
		assert_noop!(
			MeritCampaigns::reveal_gold(owner.clone(), id, batch, vec![0, 1, 0], gold_salt),
			Error::<Test>::BadAnswers
		);
		assert_ok!(MeritCampaigns::reveal_gold(owner.clone(), id, batch, vec![0, 1, 0, 1], gold_salt));
		assert_noop!(
			MeritCampaigns::reveal_gold(owner, id, batch, vec![0, 1, 0, 1], gold_salt),
			Error::<Test>::AlreadyRevealed
		);
		for s in first..first + 4 {
			reveal(id, 2, s, truth(s));
			reveal(id, 3, s, 0);
		}
		let expert = volunteer(id, 2);
		let biased = volunteer(id, 3);
		assert_eq!(expert.level, 1, "3/4 in each class with 2 gold each");
		assert_eq!(biased.level, 0);
		assert!(expert.weight > ONE / 3, "{}", expert.weight);
		assert_eq!(biased.weight, 0, "always saying 0 is no skill");
		assert!(events().contains(&RuntimeEvent::MeritCampaigns(Event::Promoted {
			campaign: id,
			volunteer: account(2),
			level: 1
		})));
		// The track record shows it: classifications, skill per class with its gold, level, weight.
		let record = MeritCampaigns::volunteer_record(account(2));
		assert_eq!(record.len(), 1);
		assert_eq!((record[0].campaign, record[0].classified, record[0].gold_seen, record[0].revealed), (id, 4, 4, 4));
		assert_eq!(record[0].skill, vec![(ONE / 4 * 3, 2), (ONE / 4 * 3, 2)]);
		assert_eq!((record[0].level, record[0].weight, record[0].paid), (1, expert.weight, None));
		assert!(MeritCampaigns::volunteer_record(account(5)).is_empty());
	});
}

#[test]
fn swap_retires_on_two_skilled_votes_while_newcomers_move_nothing() {
	build_and_execute(|| {
		let rule = RetirementRule::Swap { prior: ONE / 10, detect: ONE / 10 * 9, reject: ONE / 1_000 };
		let p = CampaignParams { gold_steps: vec![(20, ONE), (u32::MAX, 0)], ..params(2, rule, 1) };
		let id = create(p);
		let gold: Vec<u8> = (0..20).map(|i| (i % 2) as u8).collect();
		let (batch, first, gold_salt) = add_gold(id, &gold, 30);
		let experts = [2u8, 6];
		for who in experts {
			for _ in 0..20 {
				classify(id, who, |s| gold[(s - first) as usize]);
			}
		}
		run_to_block(30);
		assert_ok!(MeritCampaigns::reveal_gold(
			RuntimeOrigin::signed(account(OWNER)),
			id,
			batch,
			gold.clone(),
			gold_salt
		));
		for who in experts {
			for s in first..first + 20 {
				reveal(id, who, s, gold[(s - first) as usize]);
			}
		}
		// (0.5·2 + 10) / 12 after ten right answers of each kind.
		let expert = volunteer(id, 2);
		assert_eq!(expert.swap.n_l, 12);
		assert!(expert.swap.p_l.abs_diff(ONE / 12 * 11) <= 10, "11/12 to the last digits: {}", expert.swap.p_l);
		assert_ok!(MeritCampaigns::add_subjects(RuntimeOrigin::signed(account(OWNER)), id, subjects(0, 1)));
		let s = first + 20;
		let p_of = || Subjects::<Test>::get(id, s).unwrap().swap;
		// Newcomers leave the subject exactly at its prior, however many say 1.
		for who in [3u8, 4, 5] {
			assert_eq!(classify(id, who, |_| 1), s);
			reveal(id, who, s, 1);
			assert_eq!(p_of(), ONE / 10);
		}
		assert_eq!(retired(id, s), None);
		// One expert: 0.1 → 11/12·0.1 / (11/12·0.1 + 1/12·0.9) = 0.55.
		assert_eq!(classify(id, 2, |_| 1), s);
		reveal(id, 2, s, 1);
		assert!(p_of() > ONE / 100 * 54 && p_of() < ONE / 100 * 56, "{}", p_of());
		assert_eq!(retired(id, s), None);
		// A second: 0.93 ≥ 0.9, retired as 1.
		assert_eq!(classify(id, 6, |_| 1), s);
		reveal(id, 6, s, 1);
		assert_eq!(retired(id, s), Some((1, RetiredBy::Rule)));
		assert_eq!(volunteer(id, 3).agreements, 1, "agreeing newcomers are credited, with weight 0");
		assert_eq!(volunteer(id, 3).weight, 0);
	});
}

#[test]
fn try_state_catches_books_that_do_not_add_up() {
	build_and_execute(|| {
		let id = create(params(3, RetirementRule::FixedCount { count: 3 }, 3));
		assert_ok!(MeritCampaigns::add_subjects(RuntimeOrigin::signed(account(OWNER)), id, subjects(0, 3)));
		assert_ok!(MeritCampaigns::do_try_state());
		pallet_merit_campaigns::OpenCount::<Test>::insert(id, 2);
		assert!(MeritCampaigns::do_try_state().is_err(), "an open count off by one");
		pallet_merit_campaigns::OpenCount::<Test>::insert(id, 3);
		Campaigns::<Test>::mutate(id, |c| c.as_mut().unwrap().pool_left -= 1);
		assert!(MeritCampaigns::do_try_state().is_err(), "a pool that differs from its hold");
		Campaigns::<Test>::mutate(id, |c| c.as_mut().unwrap().pool_left += 1);
	});
}

#[test]
fn rewards_follow_agreement_times_skill_and_the_rest_goes_back() {
	build_and_execute(|| {
		let p = CampaignParams {
			gold_steps: vec![(4, ONE), (u32::MAX, 0)],
			selection: Selection::Priority,
			..params(2, RetirementRule::FixedCount { count: 2 }, 2)
		};
		let id = create(p);
		let gold = [0u8, 1, 0, 1];
		let (batch, first, gold_salt) = add_gold(id, &gold, 20);
		assert_ok!(MeritCampaigns::add_subjects(RuntimeOrigin::signed(account(OWNER)), id, subjects(0, 4)));
		// Volunteer 2 is right on all gold, 3 on three of four, 4 (a sybil) on two (always 0).
		for _ in 0..4 {
			classify(id, 2, |s| gold[(s - first) as usize]);
			classify(id, 3, |s| if s == first + 3 { 0 } else { gold[(s - first) as usize] });
			classify(id, 4, |_| 0);
		}
		// Then everybody labels the regular subjects 1 (sybil: 0).
		let mut sealed = vec![];
		for _ in 0..4 {
			for who in [2u8, 3] {
				if let Some(s) = assigned(id, who) {
					if s >= first + 4 {
						sealed.push((who, classify(id, who, |_| 1)));
					}
				}
			}
		}
		for (who, s) in &sealed {
			reveal(id, *who, *s, 1);
		}
		let retired_count = Campaigns::<Test>::get(id).unwrap().retired;
		assert!(retired_count >= 1, "two agreeing votes retire a subject");
		run_to_block(20);
		assert_ok!(MeritCampaigns::reveal_gold(
			RuntimeOrigin::signed(account(OWNER)),
			id,
			batch,
			gold.to_vec(),
			gold_salt
		));
		for s in first..first + 4 {
			reveal(id, 2, s, gold[(s - first) as usize]);
			reveal(id, 3, s, if s == first + 3 { 0 } else { gold[(s - first) as usize] });
			reveal(id, 4, s, 0);
		}
		assert_noop!(MeritCampaigns::claim(RuntimeOrigin::signed(account(2)), id), Error::<Test>::NotSettled);
		// Everything is labelled: the owner ends the campaign early; nothing more is assigned.
		assert_noop!(MeritCampaigns::end_campaign(RuntimeOrigin::signed(account(2)), id), Error::<Test>::NotOwner);
		assert_ok!(MeritCampaigns::end_campaign(RuntimeOrigin::signed(account(OWNER)), id));
		assert!(events().contains(&RuntimeEvent::MeritCampaigns(Event::CampaignEnded { campaign: id, at: 19 })));
		assert_noop!(MeritCampaigns::next_subject(RuntimeOrigin::signed(account(5)), id), Error::<Test>::CampaignEnded);
		assert_noop!(
			MeritCampaigns::end_campaign(RuntimeOrigin::signed(account(OWNER)), id),
			Error::<Test>::CampaignEnded
		);
		run_to_block(19 + WINDOW + 1);
		let (expert, good) = (volunteer(id, 2), volunteer(id, 3));
		assert!(expert.weight > good.weight && good.weight > 0);
		let before = (Balances::balance(&account(2)), Balances::balance(&account(3)));
		assert_ok!(MeritCampaigns::claim(RuntimeOrigin::signed(account(2)), id));
		assert_ok!(MeritCampaigns::claim(RuntimeOrigin::signed(account(3)), id));
		assert_noop!(MeritCampaigns::claim(RuntimeOrigin::signed(account(3)), id), Error::<Test>::AlreadyClaimed);
		assert_noop!(MeritCampaigns::claim(RuntimeOrigin::signed(account(4)), id), Error::<Test>::NothingToClaim);
		let paid = (Balances::balance(&account(2)) - before.0, Balances::balance(&account(3)) - before.1);
		let record = Campaigns::<Test>::get(id).unwrap();
		// Each share is pool × agreements × weight / Σ; their sum is the pool up to rounding.
		let share = |v: &pallet_merit_campaigns::Volunteer<Balance>| {
			(POOL as u128 * v.agreements as u128 * v.weight as u128 / record.total_weighted) as Balance
		};
		assert_eq!(paid, (share(&expert), share(&good)));
		assert!(POOL - paid.0 - paid.1 <= 2);
		assert!(paid.0 > paid.1);
		assert_noop!(
			MeritCampaigns::close_campaign(RuntimeOrigin::signed(account(5)), id),
			Error::<Test>::CannotCloseYet
		);
		run_to_block(ENDS_AT + WINDOW + 11);
		let owner_before = Balances::balance(&account(OWNER));
		assert_ok!(MeritCampaigns::close_campaign(RuntimeOrigin::signed(account(5)), id));
		assert_eq!(Balances::balance(&account(OWNER)) - owner_before, POOL - paid.0 - paid.1);
		assert_noop!(MeritCampaigns::claim(RuntimeOrigin::signed(account(2)), id), Error::<Test>::Closed);
	});
}

#[test]
fn an_owner_who_withholds_gold_pays_by_plain_agreement() {
	build_and_execute(|| {
		let p = CampaignParams {
			gold_steps: vec![(1, ONE), (u32::MAX, 0)],
			..params(2, RetirementRule::FixedCount { count: 2 }, 2)
		};
		let id = create(p);
		add_gold(id, &[1], 20);
		assert_ok!(MeritCampaigns::add_subjects(RuntimeOrigin::signed(account(OWNER)), id, subjects(0, 1)));
		classify(id, 2, |_| 1);
		classify(id, 3, |_| 1);
		let s = classify(id, 2, |_| 0);
		assert_eq!(classify(id, 3, |_| 0), s);
		reveal(id, 2, s, 0);
		reveal(id, 3, s, 0);
		assert_eq!(retired(id, s), Some((0, RetiredBy::Rule)));
		run_to_block(ENDS_AT + WINDOW + 1);
		assert_ok!(MeritCampaigns::claim(RuntimeOrigin::signed(account(2)), id));
		assert_ok!(MeritCampaigns::claim(RuntimeOrigin::signed(account(3)), id));
		assert_eq!(volunteer(id, 2).paid, Some(POOL / 2));
		assert_eq!(volunteer(id, 3).paid, Some(POOL / 2));
	});
}

#[test]
fn priority_order_and_levels_decide_what_a_volunteer_is_shown() {
	build_and_execute(|| {
		let p =
			CampaignParams { selection: Selection::Priority, ..params(3, RetirementRule::FixedCount { count: 1 }, 1) };
		let id = create(p);
		let mut batch = subjects(0, 4);
		batch[1].min_level = 1;
		assert_ok!(MeritCampaigns::add_subjects(RuntimeOrigin::signed(account(OWNER)), id, batch));
		// In order, skipping the level-1 subject for a level-0 volunteer.
		assert_eq!(classify(id, 2, |_| 0), 0);
		assert_eq!(assigned(id, 2), Some(2));
		// Volunteer 3 takes subject 2 into review first: 2's assignment is stale and it asks again.
		assert_eq!(classify(id, 3, |_| 0), 2);
		assert_noop!(
			MeritCampaigns::classify(RuntimeOrigin::signed(account(2)), id, [0; 32]),
			Error::<Test>::NothingToClassify
		);
		assert_ok!(MeritCampaigns::next_subject(RuntimeOrigin::signed(account(2)), id));
		assert_eq!(assigned(id, 2), Some(3));
		reveal(id, 2, 0, 0);
		assert_eq!(retired(id, 0), Some((0, RetiredBy::Rule)));
		assert_eq!(classify(id, 2, |_| 0), 3);
		assert_noop!(
			MeritCampaigns::next_subject(RuntimeOrigin::signed(account(2)), id),
			Error::<Test>::NothingToClassify
		);
		assert_eq!(Subjects::<Test>::get(id, 1).unwrap().seals, 0, "only level 1 sees subject 1");
	});
}

#[test]
fn the_gold_schedule_mixes_gold_in_at_its_rates() {
	build_and_execute(|| {
		let p = CampaignParams {
			gold_steps: vec![(6, ONE / 2), (u32::MAX, ONE / 4)],
			..params(2, RetirementRule::FixedCount { count: 20 }, 20)
		};
		let id = create(p);
		let (_, first, _) = add_gold(id, &[0; 10], 50);
		assert_ok!(MeritCampaigns::add_subjects(RuntimeOrigin::signed(account(OWNER)), id, subjects(0, 30)));
		let mut gold = vec![];
		for _ in 0..14 {
			let s = classify(id, 2, |_| 0);
			gold.push(s >= first && s < first + 10);
		}
		assert_eq!(gold.iter().take(6).filter(|g| **g).count(), 3, "half of the first 6: {gold:?}");
		assert_eq!(gold.iter().skip(6).filter(|g| **g).count(), 2, "a quarter of the next 8: {gold:?}");
		assert_eq!(volunteer(id, 2).gold_seen, 5);
	});
}

#[test]
fn a_subject_that_reaches_the_vote_cap_retires_with_its_plurality() {
	build_and_execute(|| {
		let rule = RetirementRule::Consensus { min_votes: 20, agreement: ONE };
		let id = create(params(2, rule, 20));
		assert_ok!(MeritCampaigns::add_subjects(RuntimeOrigin::signed(account(OWNER)), id, subjects(0, 1)));
		// Volunteers hold no tokens.
		let volunteers: Vec<u8> = (30..50).collect();
		let said = |i: usize| (i % 3 == 0) as u8;
		for (i, who) in volunteers.iter().enumerate() {
			classify(id, *who, |_| said(i));
		}
		for (i, who) in volunteers.iter().enumerate() {
			reveal(id, *who, 0, said(i));
		}
		assert_eq!(retired(id, 0), Some((0, RetiredBy::VoteCap)));
		assert_eq!(Subjects::<Test>::get(id, 0).unwrap().seals, 20);
	});
}

#[test]
fn a_models_priors_start_each_subject_and_a_confident_model_needs_fewer_votes() {
	build_and_execute(|| {
		let rule = RetirementRule::Posterior { threshold: ONE / 10 * 9, min_votes: 1 };
		let p = CampaignParams { gold_steps: vec![(4, ONE), (u32::MAX, 0)], ..params(2, rule, 1) };
		let id = create(p);
		let gold = [0u8, 1, 0, 1];
		let (batch, first, gold_salt) = add_gold(id, &gold, 10);
		for _ in 0..4 {
			classify(id, 2, |s| gold[(s - first) as usize]);
		}
		run_to_block(10);
		assert_ok!(MeritCampaigns::reveal_gold(
			RuntimeOrigin::signed(account(OWNER)),
			id,
			batch,
			gold.to_vec(),
			gold_salt
		));
		for s in first..first + 4 {
			reveal(id, 2, s, gold[(s - first) as usize]);
		}
		// The model is sure of subject A (0.8 for answer 1) and unsure of B (0.5).
		let sure = SubjectInput { digest: digest(0), prior: Some(vec![ONE / 5, ONE / 5 * 4]), min_level: 0 };
		let unsure = SubjectInput { digest: digest(1), prior: Some(vec![ONE / 2, ONE / 2]), min_level: 0 };
		assert_ok!(MeritCampaigns::add_subjects(RuntimeOrigin::signed(account(OWNER)), id, vec![sure, unsure]));
		let (a, b) = (first + 4, first + 5);
		assert_eq!(
			Subjects::<Test>::get(id, a).unwrap().posterior.to_vec(),
			vec![ONE as u128 / 5, ONE as u128 / 5 * 4]
		);
		// One vote for 1 by a volunteer right on both gold subjects of each class (P(says 1) is 3/4
		// given 1, 1/4 given 0):
		// 0.8 → 12/13 > 0.9 retires A; 0.5 → 3/4 leaves B open.
		for _ in 0..2 {
			let s = classify(id, 2, |_| 1);
			reveal(id, 2, s, 1);
		}
		assert_eq!(retired(id, a), Some((1, RetiredBy::Rule)));
		assert_eq!(retired(id, b), None);
		let posterior_b = Subjects::<Test>::get(id, b).unwrap().posterior[1];
		assert!(posterior_b.abs_diff(ONE as u128 / 4 * 3) <= 2, "{posterior_b}");
	});
}

mod feeless {
	//! Volunteers without tokens: general transactions authorized by the volunteer's signature,
	//! run through the call's `authorize` exactly as the runtime's `AuthorizeCall` extension does.
	use super::*;
	use pallet_merit_campaigns::{feeless_message, Admitted, Call, FeelessUses, VolunteerAction};
	use polkadot_sdk::{
		frame_support::{
			dispatch::DispatchResultWithPostInfo,
			pallet_prelude::TransactionSource,
			traits::{Authorize, Get, UnfilteredDispatchable},
		},
		frame_system,
		sp_core::{sr25519, Pair},
		sp_runtime::{
			traits::IdentifyAccount,
			transaction_validity::{InvalidTransaction, TransactionValidityError},
			AccountId32, MultiSignature, MultiSigner,
		},
	};

	fn pair(n: u8) -> sr25519::Pair {
		sr25519::Pair::from_seed(&[n.wrapping_add(100); 32])
	}

	fn id_of(pair: &sr25519::Pair) -> AccountId32 {
		MultiSigner::from(pair.public()).into_account()
	}

	fn signed(campaign: u32, pair: &sr25519::Pair, action: VolunteerAction) -> Call<Test> {
		let valid_until = System::block_number() + 5;
		let message = feeless_message(&MeritCampaigns::genesis(), campaign, valid_until, &action);
		Call::volunteer {
			campaign,
			volunteer: id_of(pair),
			valid_until,
			action,
			signature: MultiSignature::from(pair.sign(&message)),
		}
	}

	/// Authorizes then dispatches, as a block does with a general transaction.
	fn act(call: Call<Test>) -> Result<DispatchResultWithPostInfo, TransactionValidityError> {
		call.authorize(TransactionSource::External).expect("the call has an authorization")?;
		Ok(call.dispatch_bypass_filter(frame_system::RawOrigin::Authorized.into()))
	}

	fn refused_with(error: Error<Test>) -> TransactionValidityError {
		let index = match polkadot_sdk::sp_runtime::DispatchError::from(error) {
			polkadot_sdk::sp_runtime::DispatchError::Module(m) => m.error[0],
			_ => unreachable!(),
		};
		InvalidTransaction::Custom(index).into()
	}

	#[test]
	fn a_volunteer_without_tokens_classifies_reveals_and_claims_by_signature() {
		build_and_execute(|| {
			let id = create(params(3, RetirementRule::FixedCount { count: 3 }, 3));
			assert_ok!(MeritCampaigns::add_subjects(RuntimeOrigin::signed(account(OWNER)), id, subjects(0, 1)));
			let crowd: Vec<sr25519::Pair> = (1..=3).map(pair).collect();
			for p in &crowd {
				assert_eq!(Balances::balance(&id_of(p)), 0, "the volunteer holds no tokens");
				assert_ok!(act(signed(id, p, VolunteerAction::NextSubject)).unwrap());
				let subject = Assignments::<Test>::get(id, id_of(p)).expect("assigned");
				let seal = answer_seal(id, subject, id_of(p).as_ref(), 2, &[7; 32]);
				assert_ok!(act(signed(id, p, VolunteerAction::Classify { subject, seal })).unwrap());
			}
			assert_eq!(Admitted::<Test>::get(id), 3);
			for p in &crowd {
				let reveal = VolunteerAction::Reveal { subject: 0, answer: 2, salt: [7; 32] };
				assert_ok!(act(signed(id, p, reveal)).unwrap());
			}
			assert_eq!(retired(id, 0), Some((2, RetiredBy::Rule)));
			assert_ok!(MeritCampaigns::end_campaign(RuntimeOrigin::signed(account(OWNER)), id));
			run_to_block(1 + WINDOW + 1);
			for p in &crowd {
				assert_ok!(act(signed(id, p, VolunteerAction::Claim)).unwrap());
				assert_eq!(Balances::balance(&id_of(p)), POOL / 3, "paid into an account that held nothing");
			}
			// Each action ran once: its copy is refused before it reaches a block.
			assert_eq!(
				act(signed(id, &crowd[0], VolunteerAction::Claim)).unwrap_err(),
				refused_with(Error::AlreadyClaimed)
			);
		});
	}

	#[test]
	fn forged_replayed_or_premature_actions_never_reach_a_block() {
		build_and_execute(|| {
			let id = create(params(3, RetirementRule::FixedCount { count: 3 }, 3));
			assert_ok!(MeritCampaigns::add_subjects(RuntimeOrigin::signed(account(OWNER)), id, subjects(0, 3)));
			let (alice, mallory) = (pair(1), pair(2));
			// Mallory signs for Alice's account: refused.
			let message = feeless_message(&MeritCampaigns::genesis(), id, 5, &VolunteerAction::NextSubject);
			let forged = Call::<Test>::volunteer {
				campaign: id,
				volunteer: id_of(&alice),
				valid_until: 5,
				action: VolunteerAction::NextSubject,
				signature: MultiSignature::from(mallory.sign(&message)),
			};
			assert_eq!(act(forged).unwrap_err(), refused_with(Error::BadSignature));
			// A signature for another chain (genesis) or another campaign does not carry over.
			let elsewhere = feeless_message(&[9; 32], id, 5, &VolunteerAction::NextSubject);
			let replayed = Call::<Test>::volunteer {
				campaign: id,
				volunteer: id_of(&alice),
				valid_until: 5,
				action: VolunteerAction::NextSubject,
				signature: MultiSignature::from(alice.sign(&elsewhere)),
			};
			assert_eq!(act(replayed).unwrap_err(), refused_with(Error::BadSignature));
			let mut other_campaign = signed(id, &alice, VolunteerAction::NextSubject);
			if let Call::volunteer { campaign, .. } = &mut other_campaign {
				*campaign = id + 1;
			}
			assert_eq!(act(other_campaign).unwrap_err(), refused_with(Error::BadSignature));
			// A request kept past its last block is stale, and stretching its deadline breaks the signature.
			let late = signed(id, &alice, VolunteerAction::NextSubject);
			let mut stretched = late.clone();
			if let Call::volunteer { valid_until, .. } = &mut stretched {
				*valid_until += 100;
			}
			assert_eq!(act(stretched).unwrap_err(), refused_with(Error::BadSignature));
			run_to_block(System::block_number() + 6);
			assert_eq!(act(late).unwrap_err(), TransactionValidityError::Invalid(InvalidTransaction::Stale));
			// Nothing to reveal or claim yet, and no subject to classify before one is assigned.
			let seal = answer_seal(id, 0, id_of(&alice).as_ref(), 1, &[1; 32]);
			assert_eq!(
				act(signed(id, &alice, VolunteerAction::Classify { subject: 0, seal })).unwrap_err(),
				refused_with(Error::NotAssigned)
			);
			assert_eq!(act(signed(id, &alice, VolunteerAction::Claim)).unwrap_err(), refused_with(Error::NotSettled));
			// The real thing, then its replay: the assignment it named has moved on.
			assert_ok!(act(signed(id, &alice, VolunteerAction::NextSubject)).unwrap());
			assert_eq!(
				act(signed(id, &alice, VolunteerAction::NextSubject)).unwrap_err(),
				refused_with(Error::AlreadyAssigned)
			);
			let subject = Assignments::<Test>::get(id, id_of(&alice)).unwrap();
			let seal = answer_seal(id, subject, id_of(&alice).as_ref(), 1, &[1; 32]);
			let classify = signed(id, &alice, VolunteerAction::Classify { subject, seal });
			assert_ok!(act(classify.clone()).unwrap());
			assert_eq!(act(classify).unwrap_err(), refused_with(Error::NotYourSubject));
			// A reveal before the round is full, or with the wrong answer, is refused.
			let early = VolunteerAction::Reveal { subject, answer: 1, salt: [1; 32] };
			assert_eq!(act(signed(id, &alice, early)).unwrap_err(), refused_with(Error::NotInReview));
			let wrong = VolunteerAction::Reveal { subject, answer: 2, salt: [1; 32] };
			assert_eq!(act(signed(id, &alice, wrong)).unwrap_err(), refused_with(Error::SealMismatch));
			// The call cannot be made with a signed (fee-paying) origin pretending to be authorized.
			assert_noop!(
				signed(id, &alice, VolunteerAction::NextSubject)
					.dispatch_bypass_filter(RuntimeOrigin::signed(account(2))),
				polkadot_sdk::sp_runtime::DispatchError::BadOrigin
			);
		});
	}

	#[test]
	fn feeless_actions_are_rate_limited_per_account_per_block_and_per_campaign() {
		build_and_execute(|| {
			// Round size 1, so a volunteer can classify back to back.
			let id = create(params(3, RetirementRule::FixedCount { count: 1 }, 1));
			assert_ok!(MeritCampaigns::add_subjects(RuntimeOrigin::signed(account(OWNER)), id, subjects(0, 60)));
			let alice = pair(1);
			let per_window: u32 = <Test as pallet_merit_campaigns::Config>::MaxFeelessPerWindow::get();
			let window: u64 = <Test as pallet_merit_campaigns::Config>::FeelessWindow::get();
			assert_ok!(act(signed(id, &alice, VolunteerAction::NextSubject)).unwrap());
			for _ in 1..per_window {
				let subject = Assignments::<Test>::get(id, id_of(&alice)).unwrap();
				let seal = answer_seal(id, subject, id_of(&alice).as_ref(), 0, &[1; 32]);
				assert_ok!(act(signed(id, &alice, VolunteerAction::Classify { subject, seal })).unwrap());
			}
			let subject = Assignments::<Test>::get(id, id_of(&alice)).unwrap();
			let seal = answer_seal(id, subject, id_of(&alice).as_ref(), 0, &[1; 32]);
			let next = signed(id, &alice, VolunteerAction::Classify { subject, seal });
			assert_eq!(act(next.clone()).unwrap_err(), refused_with(Error::FeelessRateLimited));
			assert_eq!(FeelessUses::<Test>::get(id_of(&alice)).used, per_window);
			// The next window lets it act again.
			run_to_block(window * (1 + 1));
			assert_eq!(act(next).unwrap_err(), TransactionValidityError::Invalid(InvalidTransaction::Stale));
			assert_ok!(act(signed(id, &alice, VolunteerAction::Classify { subject, seal })).unwrap());

			// A block takes at most its share; the rest waits (ExhaustsResources keeps it in the pool).
			let per_block: u32 = <Test as pallet_merit_campaigns::Config>::MaxFeelessPerBlock::get();
			for n in 0..per_block - 1 {
				assert_ok!(act(signed(id, &pair(10 + n as u8), VolunteerAction::NextSubject)).unwrap());
			}
			assert_eq!(
				act(signed(id, &pair(200), VolunteerAction::NextSubject)).unwrap_err(),
				TransactionValidityError::Invalid(InvalidTransaction::ExhaustsResources)
			);
			run_to_block(window * 2 + 1);
			assert_ok!(act(signed(id, &pair(200), VolunteerAction::NextSubject)).unwrap());
		});
	}

	#[test]
	fn a_campaign_admits_no_more_volunteers_than_its_subject_deposits_pay_for() {
		build_and_execute(|| {
			let id = create(params(3, RetirementRule::FixedCount { count: 20 }, 20));
			assert_ok!(MeritCampaigns::add_subjects(RuntimeOrigin::signed(account(OWNER)), id, subjects(0, 1)));
			let cap = MeritCampaigns::admissions(&Campaigns::<Test>::get(id).unwrap());
			assert_eq!(cap, 20, "one subject pays for MaxVotesPerSubject volunteers");
			for n in 0..cap {
				// Spread over blocks so the block share is not what stops them.
				run_to_block(2 + n as u64 / 10);
				assert_ok!(act(signed(id, &pair(n as u8), VolunteerAction::NextSubject)).unwrap());
			}
			assert_eq!(
				act(signed(id, &pair(250), VolunteerAction::NextSubject)).unwrap_err(),
				refused_with(Error::CampaignFull)
			);
			// The owner adding subjects (and their deposits) makes room.
			assert_ok!(MeritCampaigns::add_subjects(RuntimeOrigin::signed(account(OWNER)), id, subjects(1, 1)));
			assert_ok!(act(signed(id, &pair(250), VolunteerAction::NextSubject)).unwrap());
		});
	}
}
