//! Every success and failure path of the scoring pallet on chain: registration and leaving,
//! panel draws, sealed rounds, abstentions, quorum finalization and slashing, disputes,
//! leaderboards and the v0 → v1 migration. The off-chain worker is tested in `worker.rs`.
mod common;

use common::*;
use merit_primitives::{
	labels::{labels_public_key, SealedLabels},
	ArtifactKind,
};
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		dispatch::{GetDispatchInfo, Pays},
		traits::{fungible::Inspect, GetStorageVersion, OnRuntimeUpgrade, StorageVersion},
	},
	sp_core::H256,
	sp_runtime::DispatchError,
};

fn signed(n: u8) -> RuntimeOrigin {
	RuntimeOrigin::signed(key(n))
}

// ---- registration and leaving ----

#[test]
fn register_holds_the_bond_and_maps_the_key() {
	execute(|| {
		register_evaluator(1);
		let info = Evaluators::<Test>::get(ev(1)).unwrap();
		assert_eq!(info.key, key(1));
		assert_eq!(info.bond, BOND);
		assert_eq!(info.registered_at, 1);
		assert_eq!(info.leaving_until, None);
		assert_eq!(info.exposed_until, 1);
		assert_eq!(EvaluatorKeys::<Test>::get(key(1)), Some(ev(1)));
		assert_eq!(EvaluatorCount::<Test>::get(), 1);
		assert_eq!(bond_of(1), BOND);
		assert_eq!(Balances::balance(&ev(1)), 10_000 - BOND);
		System::assert_has_event(Event::EvaluatorRegistered { evaluator: ev(1), key: key(1), bond: BOND }.into());
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
		assert_noop!(MeritScoring::register_evaluator(RuntimeOrigin::signed(ev(2)), key(1)), Error::<Test>::KeyInUse);
		assert_noop!(
			MeritScoring::register_evaluator(RuntimeOrigin::signed(account(9)), key(9)),
			Error::<Test>::InsufficientBond
		);
		assert_noop!(MeritScoring::register_evaluator(RuntimeOrigin::none(), key(9)), DispatchError::BadOrigin);
		// MaxEvaluators = 12: accounts 30.. fill the rest.
		for n in 30..41u8 {
			let who = account(n);
			<Balances as polkadot_sdk::frame_support::traits::fungible::Mutate<_>>::mint_into(&who, BOND * 2).unwrap();
			assert_ok!(MeritScoring::register_evaluator(RuntimeOrigin::signed(who), account(n + 100)));
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
		assert_noop!(MeritScoring::set_evaluator_key(RuntimeOrigin::signed(ev(1)), key(2)), Error::<Test>::KeyInUse);
		assert_noop!(
			MeritScoring::set_evaluator_key(RuntimeOrigin::signed(ev(3)), key(3)),
			Error::<Test>::NotEvaluator
		);
		assert_noop!(MeritScoring::set_evaluator_key(RuntimeOrigin::none(), key(3)), DispatchError::BadOrigin);
	});
}

#[test]
fn a_leaving_evaluator_takes_no_new_work_and_withdraws_after_unbonding() {
	execute(|| {
		let c = setup(4);
		let s = submit(ALICE, c, 1);
		let now = System::block_number();
		assert_noop!(MeritScoring::withdraw_bond(RuntimeOrigin::signed(ev(1))), Error::<Test>::NotLeaving);
		assert_ok!(MeritScoring::unregister_evaluator(RuntimeOrigin::signed(ev(1))));
		System::assert_last_event(Event::EvaluatorLeaving { evaluator: ev(1), until: now + 10 }.into());
		assert_noop!(MeritScoring::unregister_evaluator(RuntimeOrigin::signed(ev(1))), Error::<Test>::AlreadyLeaving);
		assert_eq!(commit(1, s, Stage::Public, scored(1)), err(Error::<Test>::EvaluatorLeaving));
		assert_eq!(abstain(1, s, Stage::Public, AbstainReason::FetchFailed), err(Error::<Test>::EvaluatorLeaving));
		assert_noop!(MeritScoring::withdraw_bond(RuntimeOrigin::signed(ev(1))), Error::<Test>::StillUnbonding);
		// Still counted (and its bond still held) while unbonding; never drawn again.
		assert_eq!(EvaluatorCount::<Test>::get(), 4);
		assert!(!MeritScoring::eligible(now, &[]).contains(&ev(1)));

		run_to_block(now + 10);
		assert_ok!(MeritScoring::withdraw_bond(RuntimeOrigin::signed(ev(1))));
		System::assert_last_event(Event::EvaluatorWithdrawn { evaluator: ev(1), released: BOND }.into());
		assert_eq!(bond_of(1), 0);
		assert_eq!(Balances::balance(&ev(1)), 10_000);
		assert!(!Evaluators::<Test>::contains_key(ev(1)));
		assert_eq!(EvaluatorKeys::<Test>::get(key(1)), None);
		assert_eq!(EvaluatorCount::<Test>::get(), 3);
		assert_noop!(MeritScoring::withdraw_bond(RuntimeOrigin::signed(ev(1))), Error::<Test>::NotEvaluator);
		assert_noop!(MeritScoring::unregister_evaluator(RuntimeOrigin::signed(ev(1))), Error::<Test>::NotEvaluator);
		assert_noop!(MeritScoring::unregister_evaluator(RuntimeOrigin::none()), DispatchError::BadOrigin);
		assert_noop!(MeritScoring::withdraw_bond(RuntimeOrigin::none()), DispatchError::BadOrigin);
	});
}

#[test]
fn an_evaluator_cannot_unbond_away_from_a_score_that_can_still_be_disputed() {
	execute(|| {
		let c = setup(4);
		let s = submit(ALICE, c, 1);
		reveal_labels(c);
		agree(s, Stage::Private, scored(5));
		let first = evaluators_of(s, Stage::Private)[0];
		let revealed_at = System::block_number();
		let exposed = Evaluators::<Test>::get(ev(first)).unwrap().exposed_until;
		// The round's end, the dispute window, the draw and the recount.
		let round_end = Jobs::<Test>::get(s, Stage::Private).map(|j| MeritScoring::round_end(&j)).unwrap();
		assert_eq!(exposed, round_end + DISPUTE_WINDOW + DRAW_DELAY + DISPUTE_RESOLUTION);
		assert!(exposed > revealed_at + 10);
		assert_ok!(MeritScoring::unregister_evaluator(RuntimeOrigin::signed(ev(first))));
		run_to_block(revealed_at + 10);
		assert_noop!(MeritScoring::withdraw_bond(RuntimeOrigin::signed(ev(first))), Error::<Test>::StillUnbonding);
		run_to_block(exposed);
		assert_ok!(MeritScoring::withdraw_bond(RuntimeOrigin::signed(ev(first))));
	});
}

#[test]
fn root_ejects_an_evaluator_but_its_bond_stays_slashable_until_its_reports_settle() {
	execute(|| {
		let c = setup(4);
		let s = submit(ALICE, c, 1);
		reveal_labels(c);
		agree(s, Stage::Private, scored(5));
		let n = evaluators_of(s, Stage::Private)[0];
		assert_noop!(MeritScoring::remove_evaluator(RuntimeOrigin::signed(ev(n)), ev(n)), DispatchError::BadOrigin);
		assert_noop!(MeritScoring::remove_evaluator(RuntimeOrigin::root(), ev(9)), Error::<Test>::NotEvaluator);
		let exposed = Evaluators::<Test>::get(ev(n)).unwrap().exposed_until;
		assert_ok!(MeritScoring::remove_evaluator(RuntimeOrigin::root(), ev(n)));
		System::assert_last_event(Event::EvaluatorRemoved { evaluator: ev(n), until: exposed }.into());
		// Nothing is released at once: root cannot hand a bond back before it is settled.
		assert_eq!(bond_of(n), BOND);
		assert!(!MeritScoring::eligible(System::block_number(), &[]).contains(&ev(n)));
		assert_noop!(MeritScoring::withdraw_bond(RuntimeOrigin::signed(ev(n))), Error::<Test>::StillUnbonding);
		run_to_block(exposed);
		assert_ok!(MeritScoring::withdraw_bond(RuntimeOrigin::signed(ev(n))));
		assert_eq!(Balances::balance(&ev(n)), 10_000);
	});
}

// ---- draws ----

#[test]
fn a_panel_is_drawn_from_a_block_built_after_the_challenge() {
	execute(|| {
		evaluators(6);
		let c = create(3);
		let created = System::block_number();
		assert!(Panels::<Test>::get(c).is_none());
		assert_eq!(DrawsDue::<Test>::get(created + DRAW_DELAY).into_inner(), vec![DrawFor::Challenge(c)]);
		run_to_block(created + DRAW_DELAY - 1);
		assert!(Panels::<Test>::get(c).is_none());
		run_to_block(created + DRAW_DELAY);
		let drawn = Panels::<Test>::get(c).unwrap();
		// A quorum of three plus one spare, distinct, from the six eligible evaluators.
		assert_eq!(drawn.quorum, 3);
		assert_eq!(drawn.members.len(), 4);
		assert_eq!(drawn.drawn_at, created + DRAW_DELAY);
		// Anyone can replay the draw from its seed, which came from the parent block's hash.
		let eligible: Vec<AccountId> = (1..=6).map(ev).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
		assert_eq!(shuffle_prefix(eligible, drawn.seed, 4), drawn.members.to_vec());
		System::assert_has_event(
			Event::PanelDrawn {
				draw: DrawFor::Challenge(c),
				members: drawn.members.to_vec(),
				quorum: 3,
				seed: drawn.seed,
			}
			.into(),
		);
		assert!(DrawsDue::<Test>::get(created + DRAW_DELAY).is_empty());
	});
}

#[test]
fn different_blocks_draw_different_panels() {
	execute(|| {
		evaluators(9);
		let mut panels = std::collections::BTreeSet::new();
		for _ in 0..4 {
			let c = create(3);
			let mut members = draw(c);
			members.sort();
			panels.insert(members);
		}
		// Four draws of 4 out of 9 (126 possible panels) that were all alike would mean no randomness.
		assert!(panels.len() > 1, "every draw gave the same panel: {panels:?}");
	});
}

#[test]
fn only_warmed_up_sufficiently_bonded_staying_evaluators_other_than_the_owner_are_drawn() {
	execute(|| {
		// Evaluator 5 will be leaving and 6 slashed below the minimum; the owner bonds too.
		for n in [1, 2, 3, 5, 6] {
			register_evaluator(n);
		}
		assert_ok!(MeritScoring::register_evaluator(RuntimeOrigin::signed(account(OWNER)), account(OWNER + 100)));
		run_to_block(System::block_number() + WARM_UP);
		// Evaluator 7's node never registered a labels key: nobody could seal labels to it.
		assert_ok!(MeritScoring::register_evaluator(RuntimeOrigin::signed(ev(7)), key(7)));
		// Evaluator 4 bonds after the challenge is announced: too late for its warm-up.
		register_evaluator(4);
		assert_ok!(MeritScoring::unregister_evaluator(RuntimeOrigin::signed(ev(5))));
		Evaluators::<Test>::mutate(ev(6), |info| info.as_mut().unwrap().bond = BOND / 2 - 1);
		<Balances as polkadot_sdk::frame_support::traits::fungible::MutateHold<_>>::release(
			&HoldReason::EvaluatorBond.into(),
			&ev(6),
			BOND / 2 + 1,
			polkadot_sdk::frame_support::traits::tokens::Precision::Exact,
		)
		.unwrap();
		let c = create(3);
		let mut members = draw(c);
		members.sort();
		assert_eq!(members, vec![1, 2, 3]);
		assert!(!Panels::<Test>::get(c).unwrap().members.contains(&account(OWNER)));
	});
}

#[test]
fn an_evaluators_node_registers_its_labels_key_the_first_time_for_free() {
	execute(|| {
		assert_ok!(MeritScoring::register_evaluator(RuntimeOrigin::signed(ev(1)), key(1)));
		let first = labels_public_key(&labels_secret(1));
		// Only the evaluator's key signs for it (not its bonded account, not a stranger).
		assert_noop!(MeritScoring::set_labels_key(RuntimeOrigin::signed(ev(1)), first), Error::<Test>::NotEvaluator);
		assert_noop!(
			MeritScoring::set_labels_key(RuntimeOrigin::signed(account(9)), first),
			Error::<Test>::NotEvaluator
		);
		// A point of small order would receive nothing.
		assert_noop!(
			MeritScoring::set_labels_key(RuntimeOrigin::signed(key(1)), [0u8; 32]),
			Error::<Test>::InvalidLabelsKey
		);
		let info = MeritScoring::set_labels_key(RuntimeOrigin::signed(key(1)), first).unwrap();
		assert_eq!(info.pays_fee, Pays::No);
		System::assert_last_event(Event::LabelsKeySet { evaluator: ev(1), key: first }.into());
		assert_noop!(
			MeritScoring::set_labels_key(RuntimeOrigin::signed(key(1)), first),
			Error::<Test>::LabelsKeyUnchanged
		);
		// A replacement pays: a free call could be repeated without end.
		let second = labels_public_key(&[7u8; 32]);
		let info = MeritScoring::set_labels_key(RuntimeOrigin::signed(key(1)), second).unwrap();
		assert_eq!(info.pays_fee, Pays::Yes);
		assert_eq!(LabelsKeys::<Test>::get(ev(1)), Some(second));
		// Withdrawing forgets the key with the evaluator.
		assert_ok!(MeritScoring::unregister_evaluator(RuntimeOrigin::signed(ev(1))));
		run_to_block(System::block_number() + 10);
		assert_ok!(MeritScoring::withdraw_bond(RuntimeOrigin::signed(ev(1))));
		assert_eq!(LabelsKeys::<Test>::get(ev(1)), None);
	});
}

#[test]
fn delivered_labels_come_from_the_owner_reach_only_the_panel_and_never_change() {
	execute(|| {
		register_evaluators(1..=5);
		let c = create(3);
		let ciphertext = sha(b"sealed public labels");
		register(OWNER, ciphertext, ArtifactKind::Labels, 20, b"https://files/sealed");
		let sealed = SealedLabels { commitment: [1; 32], ciphertext, sender: labels_public_key(&[3u8; 32]) };
		let envelopes = |members: &[AccountId]| -> EnvelopesOf<Test> {
			members.iter().map(|m| (m.clone(), [5u8; 48])).collect::<Vec<_>>().try_into().unwrap()
		};
		let deliver = |who: u8, challenge: ChallengeId, sealed: &SealedLabels, to: &[AccountId]| {
			MeritScoring::deliver_labels(RuntimeOrigin::signed(account(who)), challenge, sealed.clone(), envelopes(to))
		};
		assert_noop!(deliver(OWNER, 9, &sealed, &[]), Error::<Test>::UnknownChallenge);
		assert_noop!(deliver(OWNER, c, &sealed, &[]), Error::<Test>::PanelNotDrawn);
		let members: Vec<AccountId> = draw(c).into_iter().map(ev).collect();
		let outsider = (1..=5).map(ev).find(|e| !members.contains(e)).unwrap();
		assert_noop!(deliver(ALICE, c, &sealed, &members), Error::<Test>::NotChallengeOwner);
		assert_noop!(deliver(OWNER, c, &sealed, &[outsider]), Error::<Test>::NotOnPanel);
		let twice = [members[0].clone(), members[1].clone(), members[0].clone()];
		assert_noop!(deliver(OWNER, c, &sealed, &twice), Error::<Test>::DuplicateEnvelope);
		let unregistered = SealedLabels { ciphertext: sha(b"nowhere"), ..sealed.clone() };
		assert_noop!(deliver(OWNER, c, &unregistered, &members), Error::<Test>::UnknownArtifact);
		// Larger than any worker fetches.
		let huge = sha(b"huge");
		register(OWNER, huge, ArtifactKind::Labels, 5_000, b"https://files/huge");
		let too_large = SealedLabels { ciphertext: huge, ..sealed.clone() };
		assert_noop!(deliver(OWNER, c, &too_large, &members), Error::<Test>::LabelsTooLarge);
		// Someone else's artifact, or not a labels artifact: not the owner's sealed labels.
		let alices = sha(b"alice's file");
		register(ALICE, alices, ArtifactKind::Labels, 20, b"https://files/alice");
		let squatted = SealedLabels { ciphertext: alices, ..sealed.clone() };
		assert_noop!(deliver(OWNER, c, &squatted, &members), Error::<Test>::NotOwnersLabelsArtifact);
		// The owner may not leave a member out: it would choose who scores.
		assert_noop!(deliver(OWNER, c, &sealed, &members[..2]), Error::<Test>::MissingEnvelope);
		assert_ok!(deliver(OWNER, c, &sealed, &members));
		let addressed = members.len() as u32;
		System::assert_last_event(Event::LabelsDelivered { challenge: c, ciphertext, addressed }.into());
		// The ciphertext is pinned: its owner cannot remove it from under the panel.
		assert!(MeritArtifacts::remove(RuntimeOrigin::signed(account(OWNER)), ciphertext).is_err());
		// Again (new envelopes): the same labels only.
		let other = SealedLabels { commitment: [2; 32], ..sealed.clone() };
		assert_noop!(deliver(OWNER, c, &other, &members), Error::<Test>::LabelsCommitmentChanged);
		assert_noop!(deliver(OWNER, c, &sealed, &members), Error::<Test>::EphemeralKeyReused);
		let resealed = SealedLabels { sender: labels_public_key(&[4u8; 32]), ..sealed.clone() };
		assert_ok!(deliver(OWNER, c, &resealed, &members));
		assert_eq!(LabelsDeliveries::<Test>::get(c).unwrap().envelopes.len(), members.len());
		// Once closed there is nothing left to score publicly.
		run_to_block(OPEN_UNTIL);
		assert_noop!(deliver(OWNER, c, &sealed, &members), Error::<Test>::ChallengeNotOpen);
	});
}

#[test]
fn a_draw_with_too_few_evaluators_is_retried_with_fresh_randomness() {
	execute(|| {
		evaluators(2);
		let c = create(3);
		let created = System::block_number();
		run_to_block(created + DRAW_DELAY);
		assert!(Panels::<Test>::get(c).is_none());
		let retry_at = created + 2 * DRAW_DELAY;
		System::assert_has_event(
			Event::DrawPostponed { draw: DrawFor::Challenge(c), eligible: 2, needed: 3, retry_at }.into(),
		);
		register_evaluator(3);
		// Still warming up at the retry.
		run_to_block(retry_at);
		assert!(Panels::<Test>::get(c).is_none());
		run_to_block(System::block_number() + WARM_UP + DRAW_DELAY);
		assert_eq!(Panels::<Test>::get(c).unwrap().members.len(), 3);
	});
}

#[test]
fn a_full_block_of_draws_moves_the_next_to_a_later_block() {
	execute(|| {
		evaluators(4);
		let now = System::block_number();
		// MaxDrawsPerBlock = 2.
		let ids: Vec<ChallengeId> = (0..3).map(|_| create(3)).collect();
		assert_eq!(DrawsDue::<Test>::get(now + DRAW_DELAY).len(), 2);
		assert_eq!(DrawsDue::<Test>::get(now + DRAW_DELAY + 1).into_inner(), vec![DrawFor::Challenge(ids[2])]);
		run_to_block(now + DRAW_DELAY + 1);
		assert!(ids.iter().all(|id| Panels::<Test>::contains_key(id)));
	});
}

// ---- sealed rounds ----

#[test]
fn commit_rejects_each_bad_input_by_name() {
	execute(|| {
		evaluators(5);
		let c = create(3);
		let s = submit(ALICE, c, 1);
		assert_eq!(commit(1, s, Stage::Public, scored(1)), err(Error::<Test>::PanelNotDrawn));
		let members = draw(c);
		let outsider = (1..=5).find(|n| !members.contains(n)).unwrap();
		let m = members[0];
		assert_noop!(
			MeritScoring::commit_report(RuntimeOrigin::none(), s, Stage::Public, H256::zero()),
			DispatchError::BadOrigin
		);
		// Reports are signed with the key, not the bonded account.
		assert_noop!(
			MeritScoring::commit_report(RuntimeOrigin::signed(ev(m)), s, Stage::Public, H256::zero()),
			Error::<Test>::NotEvaluator
		);
		assert_eq!(commit(outsider, s, Stage::Public, scored(1)), err(Error::<Test>::NotOnPanel));
		assert_eq!(commit(m, 99, Stage::Public, scored(1)), err(Error::<Test>::UnknownSubmission));
		assert_eq!(commit(m, s, Stage::Private, scored(1)), err(Error::<Test>::LabelsNotRevealed));
		assert_eq!(commit(m, s, Stage::Dispute, scored(1)), err(Error::<Test>::LabelsNotRevealed));
		assert_ok!(commit(m, s, Stage::Public, scored(1)));
		assert_eq!(commit(m, s, Stage::Public, scored(2)), err(Error::<Test>::AlreadyReported));
		assert_eq!(abstain(m, s, Stage::Public, AbstainReason::FetchFailed), err(Error::<Test>::AlreadyReported));
		// After the commit period, reveals are open and no commitment is accepted.
		run_to_block(System::block_number() + COMMIT_PERIOD);
		assert_eq!(commit(members[1], s, Stage::Public, scored(1)), err(Error::<Test>::CommitPhaseOver));
		// After the reveal period, the round must be concluded first.
		run_to_block(System::block_number() + REVEAL_PERIOD);
		assert_eq!(commit(members[1], s, Stage::Public, scored(1)), err(Error::<Test>::RoundOver));
		// Closed: public scores are over.
		run_to_block(OPEN_UNTIL);
		assert_eq!(commit(members[1], s, Stage::Public, scored(1)), err(Error::<Test>::ChallengeNotOpen));
	});
}

#[test]
fn reveals_open_once_every_member_acted_and_not_before() {
	execute(|| {
		let c = setup(4);
		let s = submit(ALICE, c, 1);
		let members = panel(c);
		let opened = System::block_number();
		assert_eq!(reveal(members[0], s, Stage::Public, scored(1)), err(Error::<Test>::NoJob));
		for (i, n) in members.iter().enumerate().take(3) {
			assert_ok!(commit(*n, s, Stage::Public, scored(1)));
			System::assert_last_event(
				Event::ReportCommitted { submission: s, stage: Stage::Public, round: 0, evaluator: ev(*n) }.into(),
			);
			if i < 2 {
				assert_eq!(reveal(*n, s, Stage::Public, scored(1)), err(Error::<Test>::StillSealed));
			}
		}
		// Three of four sealed: still sealed (nobody can copy the others' reports yet).
		assert_eq!(reveal(members[0], s, Stage::Public, scored(1)), err(Error::<Test>::StillSealed));
		assert_eq!(Jobs::<Test>::get(s, Stage::Public).unwrap().reveal_from, opened + COMMIT_PERIOD);
		assert_ok!(abstain(members[3], s, Stage::Public, AbstainReason::HashMismatch));
		assert_eq!(Jobs::<Test>::get(s, Stage::Public).unwrap().reveal_from, opened);
		assert_ok!(reveal(members[0], s, Stage::Public, scored(1)));
		System::assert_last_event(
			Event::ReportRevealed {
				submission: s,
				stage: Stage::Public,
				round: 0,
				evaluator: ev(members[0]),
				outcome: scored(1),
			}
			.into(),
		);
	});
}

#[test]
fn without_every_member_reveals_open_after_the_commit_period() {
	execute(|| {
		let c = setup(4);
		let s = submit(ALICE, c, 1);
		let members = panel(c);
		let opened = System::block_number();
		assert_ok!(commit(members[0], s, Stage::Public, scored(1)));
		run_to_block(opened + COMMIT_PERIOD - 1);
		assert_eq!(reveal(members[0], s, Stage::Public, scored(1)), err(Error::<Test>::StillSealed));
		run_to_block(opened + COMMIT_PERIOD);
		assert_ok!(reveal(members[0], s, Stage::Public, scored(1)));
		run_to_block(opened + COMMIT_PERIOD + REVEAL_PERIOD);
		assert_eq!(reveal(members[1], s, Stage::Public, scored(1)), err(Error::<Test>::RoundOver));
	});
}

#[test]
fn a_reveal_must_match_its_own_commitment() {
	execute(|| {
		let c = setup(4);
		let s = submit(ALICE, c, 1);
		let members = panel(c);
		let (a, b) = (members[0], members[1]);
		assert_ok!(commit(a, s, Stage::Public, scored(7)));
		// A lazy evaluator copies a's commitment, hoping to reveal what a reveals.
		let copied = commitment(a, s, Stage::Public, scored(7));
		assert_ok!(MeritScoring::commit_report(signed(b), s, Stage::Public, copied));
		for n in &members[2..] {
			assert_ok!(commit(*n, s, Stage::Public, scored(7)));
		}
		assert_eq!(
			MeritScoring::reveal_report(signed(a), s, Stage::Public, scored(8), salt(a)).map_err(|e| e.error),
			Err(Error::<Test>::CommitmentMismatch.into())
		);
		assert_eq!(
			MeritScoring::reveal_report(signed(a), s, Stage::Public, scored(7), salt(b)).map_err(|e| e.error),
			Err(Error::<Test>::CommitmentMismatch.into())
		);
		assert_ok!(reveal(a, s, Stage::Public, scored(7)));
		assert_eq!(reveal(a, s, Stage::Public, scored(7)), err(Error::<Test>::AlreadyRevealed));
		// Even with a's outcome and salt public now, the copy is bound to a's account.
		assert_eq!(
			MeritScoring::reveal_report(signed(b), s, Stage::Public, scored(7), salt(a)).map_err(|e| e.error),
			Err(Error::<Test>::CommitmentMismatch.into())
		);
		let outsider_key = account(98);
		assert_noop!(
			MeritScoring::reveal_report(RuntimeOrigin::signed(outsider_key), s, Stage::Public, scored(7), salt(a)),
			Error::<Test>::NotEvaluator
		);
	});
}

#[test]
fn reports_are_free_and_charged_their_actual_weight() {
	execute(|| {
		let c = setup(4);
		let s = submit(ALICE, c, 1);
		let m = panel(c)[0];
		let call = Call::<Test>::commit_report { submission: s, stage: Stage::Public, commitment: H256::zero() };
		assert_eq!(call.get_dispatch_info().call_weight, <() as WeightInfo>::commit_report(8));
		let info = MeritScoring::commit_report(signed(m), s, Stage::Public, commitment(m, s, Stage::Public, scored(5)))
			.unwrap();
		assert_eq!(info.pays_fee, Pays::No);
		assert_eq!(info.actual_weight, Some(<() as WeightInfo>::commit_report(4)));
	});
}

#[test]
fn a_quorum_of_identical_reveals_finalizes_and_every_revealed_dissent_is_slashed() {
	execute(|| {
		let c = setup(4);
		let s = submit(ALICE, c, 1);
		let m = panel(c);
		let issuance = Balances::total_issuance();
		for (n, outcome) in [(m[0], scored(7)), (m[1], scored(42)), (m[2], scored(42)), (m[3], scored(42))] {
			assert_ok!(commit(n, s, Stage::Public, outcome));
		}
		assert_ok!(reveal(m[0], s, Stage::Public, scored(7)));
		assert_ok!(reveal(m[1], s, Stage::Public, scored(42)));
		assert_ok!(reveal(m[2], s, Stage::Public, scored(42)));
		assert_eq!(MeritScoring::final_outcome(s, Subset::Public), None);
		assert_eq!(bond_of(m[0]), BOND);
		assert_ok!(reveal(m[3], s, Stage::Public, scored(42)));
		assert_eq!(MeritScoring::final_outcome(s, Subset::Public), Some(scored(42)));
		let done = FinalOutcomes::<Test>::get(s, Subset::Public).unwrap();
		assert_eq!(done.agreeing.to_vec(), vec![ev(m[1]), ev(m[2]), ev(m[3])]);
		System::assert_has_event(
			Event::ScoreFinalized { submission: s, subset: Subset::Public, score: Score::from_parts(42) }.into(),
		);
		// The dissent revealed earlier costs 10% of 1,000, burnt.
		System::assert_has_event(
			Event::EvaluatorDisagreed {
				evaluator: ev(m[0]),
				submission: s,
				subset: Subset::Public,
				reported: scored(7),
				slashed: 100,
			}
			.into(),
		);
		assert_eq!(bond_of(m[0]), 900);
		assert_eq!(Evaluators::<Test>::get(ev(m[0])).unwrap().disagreements, 1);
		assert_eq!(Balances::total_issuance(), issuance - 100);
		let stats = EvaluationRecords::<Test>::get(ev(m[0]));
		assert_eq!((stats.reports, stats.agreed, stats.disagreed), (1, 0, 1));
		assert_eq!(EvaluationRecords::<Test>::get(ev(m[1])).agreed, 1);
		assert_eq!(done.penalized.to_vec(), vec![(ev(m[0]), 100)]);
		// The private subset is separate; the public one takes no more commitments.
		assert_eq!(MeritScoring::final_outcome(s, Subset::Private), None);
		assert_eq!(commit(m[0], s, Stage::Public, scored(1)), err(Error::<Test>::AlreadyFinal));
	});
}

#[test]
fn a_reveal_after_the_quorum_is_still_judged_within_the_round() {
	execute(|| {
		let c = setup(4);
		let s = submit(ALICE, c, 1);
		let m = panel(c);
		for (n, outcome) in [(m[0], scored(42)), (m[1], scored(42)), (m[2], scored(42)), (m[3], scored(9))] {
			assert_ok!(commit(n, s, Stage::Public, outcome));
		}
		for n in &m[..3] {
			assert_ok!(reveal(*n, s, Stage::Public, scored(42)));
		}
		assert_eq!(MeritScoring::final_outcome(s, Subset::Public), Some(scored(42)));
		// The late dissent is slashed like an early one; withholding it instead only forfeits the fee.
		assert_ok!(reveal(m[3], s, Stage::Public, scored(9)));
		assert_eq!(bond_of(m[3]), 900);
		assert_eq!(FinalOutcomes::<Test>::get(s, Subset::Public).unwrap().penalized.to_vec(), vec![(ev(m[3]), 100)]);
		run_to_block(System::block_number() + REVEAL_PERIOD);
		assert_eq!(reveal(m[3], s, Stage::Public, scored(9)), err(Error::<Test>::RoundOver));
	});
}

#[test]
fn nobody_evaluates_their_own_submission() {
	execute(|| {
		let c = setup(4);
		let m = panel(c);
		// A drawn evaluator submits: the other three form the quorum.
		let author = m[0];
		let s = submit_file(10 + author, c, &[7; 8], b"https://p/own");
		assert_eq!(commit(author, s, Stage::Public, scored(0)), err(Error::<Test>::OwnSubmission));
		assert_eq!(evaluators_of(s, Stage::Public), m[1..].to_vec());
		for n in &m[1..] {
			assert_ok!(commit(*n, s, Stage::Public, scored(3)));
		}
		// Every member who may evaluate it has committed: reveals open at once.
		assert_eq!(Jobs::<Test>::get(s, Stage::Public).unwrap().reveal_from, System::block_number());
		for n in &m[1..] {
			assert_ok!(reveal(*n, s, Stage::Public, scored(3)));
		}
		assert_eq!(MeritScoring::final_outcome(s, Subset::Public), Some(scored(3)));
	});
}

#[test]
fn a_round_without_a_quorum_starts_the_next_and_records_who_never_revealed() {
	execute(|| {
		let c = setup(4);
		let s = submit(ALICE, c, 1);
		let m = panel(c);
		for n in &m {
			assert_ok!(commit(*n, s, Stage::Public, scored(1)));
		}
		// Only two reveal: no quorum of three.
		assert_ok!(reveal(m[0], s, Stage::Public, scored(1)));
		assert_ok!(reveal(m[1], s, Stage::Public, scored(1)));
		assert_eq!(conclude(s, Stage::Public), err(Error::<Test>::RoundNotOver));
		run_to_block(System::block_number() + REVEAL_PERIOD);
		assert_ok!(conclude(s, Stage::Public));
		System::assert_last_event(
			Event::RoundEnded { submission: s, stage: Stage::Public, round: 0, missed: vec![ev(m[2]), ev(m[3])] }
				.into(),
		);
		assert_eq!(EvaluationRecords::<Test>::get(ev(m[2])).missed, 1);
		assert_eq!(EvaluationRecords::<Test>::get(ev(m[0])).missed, 0);
		// Nobody is slashed for a round without a final outcome.
		assert!(m.iter().all(|n| bond_of(*n) == BOND));
		assert_eq!(round(s, Stage::Public), 1);
		// Round 0's commitments do not count in round 1: everyone commits again.
		let next = Jobs::<Test>::get(s, Stage::Public).unwrap();
		assert!(next.commits.is_empty() && next.reveals.is_empty() && next.abstentions.is_empty());
		agree(s, Stage::Public, scored(1));
		assert_eq!(MeritScoring::final_outcome(s, Subset::Public), Some(scored(1)));
		assert_eq!(conclude(s, Stage::Public), err(Error::<Test>::AlreadyFinal));
		assert_eq!(conclude(99, Stage::Public), err(Error::<Test>::UnknownSubmission));
	});
}

#[test]
fn a_file_too_few_evaluators_could_fetch_is_unavailable_and_costs_nobody_a_bond() {
	execute(|| {
		let c = setup(4);
		let s = submit(ALICE, c, 1);
		let m = panel(c);
		// The submitter's server served two evaluators and refused the others.
		assert_ok!(commit(m[0], s, Stage::Public, scored(4)));
		assert_ok!(commit(m[1], s, Stage::Public, scored(4)));
		assert_ok!(abstain(m[2], s, Stage::Public, AbstainReason::FetchFailed));
		System::assert_last_event(
			Event::Abstained {
				submission: s,
				stage: Stage::Public,
				round: 0,
				evaluator: ev(m[2]),
				reason: AbstainReason::FetchFailed,
			}
			.into(),
		);
		assert_ok!(abstain(m[3], s, Stage::Public, AbstainReason::HashMismatch));
		assert_ok!(reveal(m[0], s, Stage::Public, scored(4)));
		assert_ok!(reveal(m[1], s, Stage::Public, scored(4)));
		run_to_block(System::block_number() + REVEAL_PERIOD);
		assert_ok!(conclude(s, Stage::Public));
		let unavailable = Outcome::Failed(FailureReason::Unavailable);
		assert_eq!(MeritScoring::final_outcome(s, Subset::Public), Some(unavailable));
		System::assert_has_event(
			Event::SubmissionFailed { submission: s, subset: Subset::Public, reason: FailureReason::Unavailable }
				.into(),
		);
		assert!(m.iter().all(|n| bond_of(*n) == BOND));
		assert_eq!(EvaluationRecords::<Test>::get(ev(m[2])).abstained, 1);
		assert!(MeritScoring::leaderboard(c, Subset::Public).is_empty());
	});
}

#[test]
fn deterministic_failures_become_final_like_scores() {
	execute(|| {
		let c = setup(4);
		let reasons = [
			FailureReason::TooLarge,
			FailureReason::Unparsable(MetricError::Row {
				file: merit_metrics::FileKind::Predictions,
				line: 3,
				problem: merit_metrics::RowProblem::NotANumber,
			}),
		];
		for (i, reason) in reasons.into_iter().enumerate() {
			let s = submit(ALICE, c, i as u8 + 1);
			agree(s, Stage::Public, Outcome::Failed(reason));
			System::assert_has_event(Event::SubmissionFailed { submission: s, subset: Subset::Public, reason }.into());
			assert_eq!(MeritScoring::final_outcome(s, Subset::Public), Some(Outcome::Failed(reason)));
		}
		assert!(MeritScoring::leaderboard(c, Subset::Public).is_empty());
	});
}

#[test]
fn private_scores_wait_for_the_labels_reveal() {
	execute(|| {
		let c = setup(4);
		let s = submit(ALICE, c, 1);
		let m = panel(c)[0];
		assert_eq!(commit(m, s, Stage::Private, scored(1)), err(Error::<Test>::LabelsNotRevealed));
		run_to_block(OPEN_UNTIL);
		// Closed, labels not revealed: nobody can score (and so nobody can see) the private split.
		assert_eq!(commit(m, s, Stage::Private, scored(1)), err(Error::<Test>::LabelsNotRevealed));
		reveal_labels(c);
		assert_ok!(commit(m, s, Stage::Private, scored(1)));
	});
}

// ---- disputes ----

/// A challenge with nine evaluators, a private score `wrong` made final by its panel, and the
/// block it became final.
fn disputed_world(wrong: u128) -> (ChallengeId, SubmissionId) {
	let c = setup(9);
	let s = submit(ALICE, c, 1);
	reveal_labels(c);
	agree(s, Stage::Private, scored(wrong));
	(c, s)
}

#[test]
fn dispute_rejects_each_bad_input_by_name() {
	execute(|| {
		let c = setup(9);
		let s = submit(ALICE, c, 1);
		let s2 = submit(BOB, c, 2);
		let dispute = |who: u8, s| MeritScoring::dispute(RuntimeOrigin::signed(account(who)), s);
		assert_noop!(dispute(CAROL, 99), Error::<Test>::UnknownSubmission);
		assert_noop!(dispute(CAROL, s), Error::<Test>::LabelsNotRevealed);
		reveal_labels(c);
		assert_noop!(dispute(CAROL, s), Error::<Test>::NothingToDispute);
		assert_noop!(MeritScoring::dispute(RuntimeOrigin::none(), s), DispatchError::BadOrigin);
		agree(s, Stage::Private, scored(5));
		assert_noop!(dispute(9, s), Error::<Test>::InsufficientBond);
		assert_ok!(dispute(CAROL, s));
		assert_noop!(dispute(BOB, s), Error::<Test>::AlreadyDisputed);
		// An unavailable file had no quorum to be wrong.
		let m = evaluators_of(s2, Stage::Private);
		assert_ok!(commit(m[0], s2, Stage::Private, scored(1)));
		for n in &m[1..] {
			assert_ok!(abstain(*n, s2, Stage::Private, AbstainReason::FetchFailed));
		}
		run_to_block(System::block_number() + REVEAL_PERIOD);
		assert_ok!(conclude(s2, Stage::Private));
		assert_noop!(dispute(CAROL, s2), Error::<Test>::NotDisputable);
		// An open dispute keeps the score disputable past its window.
		run_to_block(System::block_number() + DISPUTE_WINDOW);
		assert!(MeritScoring::is_disputable(s));
	});
}

#[test]
fn the_dispute_window_closes() {
	execute(|| {
		let (_, s) = disputed_world(5);
		let finalized = FinalOutcomes::<Test>::get(s, Subset::Private).unwrap().finalized_at;
		assert!(MeritScoring::is_disputable(s));
		run_to_block(finalized + DISPUTE_WINDOW);
		assert!(!MeritScoring::is_disputable(s));
		assert_noop!(
			MeritScoring::dispute(RuntimeOrigin::signed(account(CAROL)), s),
			Error::<Test>::DisputeWindowClosed
		);
	});
}

#[test]
fn an_upheld_dispute_corrects_the_score_slashes_the_wrong_quorum_and_rewards_the_disputer() {
	execute(|| {
		let (_, s) = disputed_world(999);
		let wrong: Vec<AccountId> = FinalOutcomes::<Test>::get(s, Subset::Private).unwrap().agreeing.to_vec();
		assert_eq!(wrong.len(), 3);
		let carol_before = Balances::balance(&account(CAROL));
		let issuance = Balances::total_issuance();
		assert_ok!(MeritScoring::dispute(RuntimeOrigin::signed(account(CAROL)), s));
		System::assert_last_event(
			Event::Disputed { submission: s, disputer: account(CAROL), bond: DISPUTE_BOND, disputed: scored(999) }
				.into(),
		);
		assert_eq!(Balances::balance(&account(CAROL)), carol_before - DISPUTE_BOND);
		assert_eq!(commit(1, s, Stage::Dispute, scored(5)), err(Error::<Test>::DisputePanelNotDrawn));
		let c = pallet_merit_challenges::Submissions::<Test>::get(s).unwrap().challenge;
		assert_eq!(ChallengeExposure::<Test>::get(c).open_disputes, 1);
		// Past the score's own window, the open dispute still holds the challenge's prizes.
		run_to_block(FinalOutcomes::<Test>::get(s, Subset::Private).unwrap().finalized_at + DISPUTE_WINDOW);
		assert!(MeritScoring::challenge_disputable(c));
		run_to_block(System::block_number() + DRAW_DELAY);
		let recount = Disputes::<Test>::get(s).unwrap().panel.unwrap();
		// One more than the quorum, none of the disputed quorum.
		assert_eq!(recount.quorum, 4);
		assert_eq!(recount.members.len(), 5);
		assert!(recount.members.iter().all(|m| !wrong.contains(m)));
		assert!(MeritScoring::is_disputable(s));
		agree(s, Stage::Dispute, scored(5));
		assert_eq!(MeritScoring::final_outcome(s, Subset::Private), Some(scored(5)));
		assert!(!Disputes::<Test>::contains_key(s));
		// Each of the wrong quorum loses half its bond (500); the disputer gets half of the 1,500
		// and its bond back; the rest is burnt.
		for who in wrong.iter() {
			assert_eq!(Evaluators::<Test>::get(who).unwrap().bond, BOND / 2);
		}
		System::assert_has_event(
			Event::DisputeUpheld {
				submission: s,
				disputed: scored(999),
				corrected: scored(5),
				slashed: 1_500,
				reward: 750,
			}
			.into(),
		);
		assert_eq!(Balances::balance(&account(CAROL)), carol_before + 750);
		assert_eq!(Balances::total_issuance(), issuance - 750);
		// A corrected score has a fresh dispute window, and so does its challenge.
		assert!(MeritScoring::is_disputable(s));
		let exposure = ChallengeExposure::<Test>::get(c);
		assert_eq!((exposure.open_disputes, exposure.window_ends), (0, System::block_number() + DISPUTE_WINDOW));
		assert!(MeritScoring::challenge_disputable(c));
		run_to_block(System::block_number() + DISPUTE_WINDOW);
		assert!(!MeritScoring::challenge_disputable(c));
	});
}

#[test]
fn an_unfounded_dispute_forfeits_its_bond() {
	execute(|| {
		let (_, s) = disputed_world(5);
		let quorum = FinalOutcomes::<Test>::get(s, Subset::Private).unwrap().agreeing.to_vec();
		let carol_before = Balances::balance(&account(CAROL));
		let issuance = Balances::total_issuance();
		assert_ok!(MeritScoring::dispute(RuntimeOrigin::signed(account(CAROL)), s));
		run_to_block(System::block_number() + DRAW_DELAY);
		agree(s, Stage::Dispute, scored(5));
		System::assert_has_event(Event::DisputeRejected { submission: s, forfeited: DISPUTE_BOND }.into());
		assert_eq!(Balances::balance(&account(CAROL)), carol_before - DISPUTE_BOND);
		assert_eq!(Balances::total_issuance(), issuance - DISPUTE_BOND);
		assert!(quorum.iter().all(|who| Evaluators::<Test>::get(who).unwrap().bond == BOND));
		assert_eq!(MeritScoring::final_outcome(s, Subset::Private), Some(scored(5)));
	});
}

#[test]
fn a_recount_member_that_contradicts_the_recount_is_slashed() {
	execute(|| {
		let (_, s) = disputed_world(5);
		assert_ok!(MeritScoring::dispute(RuntimeOrigin::signed(account(CAROL)), s));
		run_to_block(System::block_number() + DRAW_DELAY);
		let m = evaluators_of(s, Stage::Dispute);
		let mut reports: Vec<(u8, Outcome)> = m.iter().map(|n| (*n, scored(5))).collect();
		reports[0].1 = scored(6);
		report_all(s, Stage::Dispute, &reports);
		assert!(!Disputes::<Test>::contains_key(s));
		assert_eq!(bond_of(m[0]), 900);
	});
}

#[test]
fn a_dispute_nobody_can_recount_lapses_and_returns_the_bond() {
	execute(|| {
		let (_, s) = disputed_world(5);
		let carol_before = Balances::balance(&account(CAROL));
		assert_ok!(MeritScoring::dispute(RuntimeOrigin::signed(account(CAROL)), s));
		let opened = System::block_number();
		run_to_block(opened + DRAW_DELAY);
		assert_eq!(conclude(s, Stage::Dispute), err(Error::<Test>::NoJob));
		run_to_block(opened + DRAW_DELAY + DISPUTE_RESOLUTION);
		assert_ok!(conclude(s, Stage::Dispute));
		System::assert_last_event(Event::DisputeLapsed { submission: s, returned: DISPUTE_BOND }.into());
		assert_eq!(Balances::balance(&account(CAROL)), carol_before);
		assert!(!Disputes::<Test>::contains_key(s));
		assert_eq!(conclude(s, Stage::Dispute), err(Error::<Test>::NoDispute));
	});
}

// ---- leaderboards ----

#[test]
fn the_leaderboard_shows_each_authors_best_and_breaks_ties_by_priority() {
	execute(|| {
		let c = setup(4);
		let a1 = submit(ALICE, c, 1);
		let a2 = submit(ALICE, c, 2);
		let b1 = submit(BOB, c, 3);
		let c1 = submit(CAROL, c, 4);
		let c2 = submit(CAROL, c, 5);
		let d = submit(ALICE, c, 6);
		agree(a1, Stage::Public, scored(50));
		agree(a2, Stage::Public, scored(30));
		agree(b1, Stage::Public, scored(30)); // ties with Alice's a2, submitted later
		agree(c1, Stage::Public, scored(20));
		agree(c2, Stage::Public, scored(20)); // Carol's own tie: the earlier c1 stands
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
		assert!(MeritScoring::leaderboard(c, Subset::Private).is_empty());
		reveal_labels(c);
		agree(b1, Stage::Private, scored(10));
		agree(a1, Stage::Private, scored(40));
		let private = MeritScoring::leaderboard(c, Subset::Private);
		assert_eq!(private.iter().map(|e| (e.rank, e.submission)).collect::<Vec<_>>(), vec![(1, b1), (2, a1)]);
		assert!(MeritScoring::leaderboard(99, Subset::Public).is_empty());
	});
}

/// The Ladder board (issue 12): a public score shows only when it beats the last shown score by
/// more than the step, rounded to it; the private board, which decides the prizes, is untouched.
#[test]
fn a_ladder_board_shows_only_clear_improvements_rounded_to_the_step() {
	execute(|| {
		evaluators(4);
		let c = pallet_merit_challenges::NextChallengeId::<Test>::get();
		let mut p = params(3, SubmissionMode::Open);
		p.terms.improvement_step = Score::from_parts(10);
		p.terms.ladder = true;
		assert_ok!(MeritChallenges::create_challenge(RuntimeOrigin::signed(account(OWNER)), p));
		draw(c);
		let a1 = submit(ALICE, c, 1);
		let b1 = submit(BOB, c, 2);
		let a2 = submit(ALICE, c, 3);
		let c1 = submit(CAROL, c, 4);
		agree(a1, Stage::Public, scored(104)); // first: shown as 100
		agree(b1, Stage::Public, scored(95)); // beats 100 by 5, not more than 10: withheld
		agree(a2, Stage::Public, scored(86)); // beats 100 by 14: shown as 90
		agree(c1, Stage::Public, scored(81)); // beats 90 by 9: withheld
		let board = MeritScoring::leaderboard(c, Subset::Public);
		assert_eq!(
			board,
			vec![LeaderboardEntry { rank: 1, submission: a2, author: account(ALICE), score: Score::from_parts(90) }]
		);
		// The final outcomes keep the exact scores, for audits and the private ranking.
		assert_eq!(MeritScoring::final_outcome(b1, Subset::Public), Some(scored(95)));
	});
}

/// The public board is kept in storage (issue 15): a scored submission that an earlier
/// commitment supersedes leaves it, and its author's entry falls back to its next best.
#[test]
fn a_scored_submission_superseded_by_an_earlier_commitment_leaves_the_kept_board() {
	execute(|| {
		let c = setup(4);
		let shared = [7u8; 8];
		let d = sha(&shared);
		// Bob commits to the predictions first; Alice submits the same file in the clear later.
		let bob = pallet_merit_challenges::NextSubmissionId::<Test>::get();
		assert_ok!(MeritChallenges::commit_submission(
			RuntimeOrigin::signed(account(BOB)),
			c,
			MeritChallenges::submission_commitment(&d, b"b", &account(BOB)),
			vec![],
			None
		));
		let copied = submit_file(ALICE, c, &shared, b"https://p/shared");
		let own = submit(ALICE, c, 2);
		let carol = submit(CAROL, c, 3);
		agree(copied, Stage::Public, scored(5));
		agree(own, Stage::Public, scored(20));
		agree(carol, Stage::Public, scored(10));
		let line = || {
			MeritScoring::leaderboard(c, Subset::Public)
				.into_iter()
				.map(|e| (e.rank, e.author, e.submission))
				.collect::<Vec<_>>()
		};
		assert_eq!(line(), vec![(1, account(ALICE), copied), (2, account(CAROL), carol)]);
		assert_ok!(MeritChallenges::reveal_submission(
			RuntimeOrigin::signed(account(BOB)),
			bob,
			claim(d),
			b"b".to_vec()
		));
		assert_eq!(line(), vec![(1, account(CAROL), carol), (2, account(ALICE), own)]);
		assert_eq!(pallet_merit_scoring::PublicScores::<Test>::get(copied), None);
		assert_eq!(
			MeritScoring::placement(c, Subset::Public, &account(ALICE)).map(|(e, of)| (e.rank, e.submission, of)),
			Some((2, own, 2))
		);
		let page = MeritScoring::leaderboard_page(c, Subset::Public, merit_primitives::Page { offset: 1, limit: 5 });
		assert_eq!(
			(page.total, page.entries.iter().map(|e| (e.rank, e.submission)).collect::<Vec<_>>()),
			(2, vec![(2, own)])
		);
	});
}

/// `try_state` compares each kept board with the board its scores make: a board edited behind
/// the pallet's back is caught.
#[test]
fn try_state_catches_a_kept_board_that_differs_from_its_scores() {
	execute(|| {
		let c = setup(4);
		let a = submit(ALICE, c, 1);
		let b = submit(BOB, c, 2);
		agree(a, Stage::Public, scored(10));
		agree(b, Stage::Public, scored(20));
		assert_ok!(MeritScoring::do_try_state());
		// Bob's entry claims a better score than his submission has.
		let key = pallet_merit_scoring::BoardKeys::<Test>::get(c, account(BOB)).expect("Bob is on the board");
		pallet_merit_scoring::PublicBoards::<Test>::mutate((c, key), |place| {
			if let Some(place) = place {
				place.score = Score::from_parts(1);
			}
		});
		assert!(MeritScoring::do_try_state().is_err());
		pallet_merit_scoring::PublicBoards::<Test>::mutate((c, key), |place| {
			if let Some(place) = place {
				place.score = Score::from_parts(20);
			}
		});
		// A size that does not count the entries.
		pallet_merit_scoring::BoardSizes::<Test>::insert(c, 3);
		assert!(MeritScoring::do_try_state().is_err());
		pallet_merit_scoring::BoardSizes::<Test>::insert(c, 2);
		assert_ok!(MeritScoring::do_try_state());
	});
}

/// The v1 → v2 migration builds the kept boards from the final public scores, a Ladder board
/// releasing in order of arrival.
#[test]
fn the_v2_migration_builds_the_kept_public_boards() {
	execute(|| {
		let c = setup(4);
		let a1 = submit(ALICE, c, 1);
		let b1 = submit(BOB, c, 2);
		let a2 = submit(ALICE, c, 3);
		agree(a1, Stage::Public, scored(30));
		agree(b1, Stage::Public, scored(20));
		agree(a2, Stage::Public, scored(10));
		let before = MeritScoring::leaderboard(c, Subset::Public);
		assert_eq!(before.len(), 2);
		// A v1 chain had no kept boards.
		let _ = pallet_merit_scoring::PublicScores::<Test>::clear(u32::MAX, None);
		let _ = pallet_merit_scoring::AuthorScores::<Test>::clear(u32::MAX, None);
		let _ = pallet_merit_scoring::PublicBoards::<Test>::clear(u32::MAX, None);
		let _ = pallet_merit_scoring::BoardKeys::<Test>::clear(u32::MAX, None);
		let _ = pallet_merit_scoring::BoardSizes::<Test>::clear(u32::MAX, None);
		StorageVersion::new(1).put::<MeritScoring>();
		assert!(MeritScoring::leaderboard(c, Subset::Public).is_empty());
		pallet_merit_scoring::migrations::v2::MigrateToV2::<Test>::on_runtime_upgrade();
		assert_eq!(MeritScoring::on_chain_storage_version(), StorageVersion::new(2));
		assert_eq!(MeritScoring::leaderboard(c, Subset::Public), before);
		assert_ok!(MeritScoring::do_try_state());
	});
}

#[test]
fn a_superseded_sealed_submission_is_never_evaluated() {
	execute(|| {
		evaluators(4);
		let c = pallet_merit_challenges::NextChallengeId::<Test>::get();
		assert_ok!(MeritChallenges::create_challenge(
			RuntimeOrigin::signed(account(OWNER)),
			params(3, SubmissionMode::Sealed)
		));
		draw(c);
		let d = sha(b"shared predictions");
		register(ALICE, d, ArtifactKind::Predictions, 18, b"https://p/shared");
		let seal = |who: u8, salt: &[u8]| {
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
		let bob = seal(BOB, b"b");
		let alice = seal(ALICE, b"a");
		run_to_block(OPEN_UNTIL);
		assert_ok!(MeritChallenges::reveal_submission(
			RuntimeOrigin::signed(account(ALICE)),
			alice,
			claim(d),
			b"a".to_vec()
		));
		// Bob's earlier commitment takes the digest over: Alice's submission is a duplicate now.
		assert_ok!(MeritChallenges::reveal_submission(
			RuntimeOrigin::signed(account(BOB)),
			bob,
			claim(d),
			b"b".to_vec()
		));
		run_to_block(OPEN_UNTIL + 5);
		reveal_labels(c);
		let m = panel(c)[0];
		assert_eq!(commit(m, alice, Stage::Private, scored(5)), err(Error::<Test>::SubmissionNotRevealed));
		agree(bob, Stage::Private, scored(5));
		assert_eq!(
			MeritScoring::leaderboard(c, Subset::Private).iter().map(|e| e.submission).collect::<Vec<_>>(),
			vec![bob]
		);
	});
}

#[test]
fn higher_is_better_metrics_rank_in_reverse() {
	execute(|| {
		evaluators(4);
		let c = create_with(3, Metric::Accuracy);
		draw(c);
		let a = submit(ALICE, c, 1);
		let b = submit(BOB, c, 2);
		let cc = submit(CAROL, c, 3);
		agree(a, Stage::Public, scored(70));
		agree(b, Stage::Public, scored(90));
		agree(cc, Stage::Public, scored(90));
		let board = MeritScoring::leaderboard(c, Subset::Public);
		assert_eq!(board.iter().map(|e| (e.rank, e.submission)).collect::<Vec<_>>(), vec![(1, b), (2, cc), (3, a)]);
	});
}

// ---- migration ----

#[test]
fn the_v0_layout_migrates_to_v1() {
	use pallet_merit_scoring::migrations::{v0, v1};
	use polkadot_sdk::frame_support::{storage::unhashed, Blake2_128Concat, StorageHasher, Twox64Concat};
	execute(|| {
		let c = create(3);
		StorageVersion::new(0).put::<MeritScoring>();
		// A v0 evaluator, outcomes and reports, written with v0's encoding.
		let prefix = |item: &str| {
			let mut key = polkadot_sdk::sp_io::hashing::twox_128(b"MeritScoring").to_vec();
			key.extend(polkadot_sdk::sp_io::hashing::twox_128(item.as_bytes()));
			key
		};
		let mut evaluator_key = prefix("Evaluators");
		evaluator_key.extend(Blake2_128Concat::hash(&codec::Encode::encode(&ev(1))));
		unhashed::put_raw(&evaluator_key, &codec::Encode::encode(&(key(1), BOND, 1u64, None::<u64>, 2u32)));
		let outcome_key = |s: SubmissionId, subset: Subset| {
			let mut k = prefix("FinalOutcomes");
			k.extend(Twox64Concat::hash(&codec::Encode::encode(&s)));
			k.extend(Twox64Concat::hash(&codec::Encode::encode(&subset)));
			k
		};
		let old_scored = v0::Outcome::Scored(Score::from_parts(9));
		let old_fetch = v0::Outcome::Failed(v0::FailureReason::HashMismatch);
		unhashed::put_raw(&outcome_key(0, Subset::Public), &codec::Encode::encode(&(old_scored, 3u64)));
		unhashed::put_raw(&outcome_key(1, Subset::Public), &codec::Encode::encode(&(old_fetch, 4u64)));
		v0::Reports::<Test>::insert(
			0,
			Subset::Public,
			vec![(ev(1), old_scored), (ev(2), v0::Outcome::Scored(Score::from_parts(1)))],
		);
		let mut stats_key = prefix("EvaluationRecords");
		stats_key.extend(Blake2_128Concat::hash(&codec::Encode::encode(&ev(1))));
		unhashed::put_raw(&stats_key, &codec::Encode::encode(&(5u32, 4u32, 1u32)));
		DrawsDue::<Test>::remove(System::block_number() + DRAW_DELAY);
		EvaluatorKeys::<Test>::insert(key(1), ev(1));
		EvaluatorCount::<Test>::put(1);

		v1::MigrateToV1::<Test>::on_runtime_upgrade();
		assert_eq!(MeritScoring::on_chain_storage_version(), StorageVersion::new(1));
		let info = Evaluators::<Test>::get(ev(1)).unwrap();
		assert_eq!(
			(info.key, info.bond, info.disagreements, info.exposed_until),
			(key(1), BOND, 2, System::block_number())
		);
		let done = FinalOutcomes::<Test>::get(0, Subset::Public).unwrap();
		assert_eq!((done.outcome, done.finalized_at, done.agreeing.to_vec()), (scored(9), 3, vec![ev(1)]));
		assert_eq!(MeritScoring::final_outcome(1, Subset::Public), Some(Outcome::Failed(FailureReason::Unavailable)));
		let stats = EvaluationRecords::<Test>::get(ev(1));
		assert_eq!((stats.reports, stats.agreed, stats.disagreed, stats.abstained, stats.missed), (5, 4, 1, 0, 0));
		assert!(v0::Reports::<Test>::iter().next().is_none());
		assert_eq!(
			DrawsDue::<Test>::get(System::block_number() + DRAW_DELAY).into_inner(),
			vec![DrawFor::Challenge(c)]
		);
		// Run twice, it does nothing.
		v1::MigrateToV1::<Test>::on_runtime_upgrade();
		assert_eq!(DrawsDue::<Test>::get(System::block_number() + DRAW_DELAY).len(), 1);
		// The held bond is what the v0 evaluator recorded.
		<Balances as polkadot_sdk::frame_support::traits::fungible::MutateHold<_>>::hold(
			&HoldReason::EvaluatorBond.into(),
			&ev(1),
			BOND,
		)
		.unwrap();
	});
}

// ---- pruning ----

/// Issue 12: an ended challenge's working state (every round's reports) is pruned in bounded
/// steps by anyone; what a track record is read from stays.
#[test]
fn an_ended_challenge_is_pruned_in_bounded_steps_and_its_summaries_stay() {
	execute(|| {
		let c = setup(4);
		let submissions = [submit(ALICE, c, 1), submit(BOB, c, 2), submit(CAROL, c, 3)];
		for (i, s) in submissions.iter().enumerate() {
			agree(*s, Stage::Public, scored(10 + i as u128));
		}
		let anyone = || RuntimeOrigin::signed(account(5));
		assert_noop!(MeritScoring::prune(anyone(), c, 5), Error::<Test>::ChallengeNotEnded);
		reveal_labels(c);
		for (i, s) in submissions.iter().enumerate() {
			agree(*s, Stage::Private, scored(20 + i as u128));
		}
		// Final, but still disputable: not yet.
		assert_noop!(MeritScoring::prune(anyone(), c, 5), Error::<Test>::ChallengeNotEnded);
		run_to_block(System::block_number() + DISPUTE_WINDOW);
		assert_ok!(MeritRewards::finalize(anyone(), c));
		let board = MeritScoring::leaderboard(c, Subset::Private);
		let record = MeritRewards::track_record(account(ALICE));

		// At most `MaxPrunePerCall` (2) submissions a call, from where the last call stopped.
		assert_ok!(MeritScoring::prune(anyone(), c, 5));
		System::assert_last_event(Event::Pruned { challenge: c, submissions: 2, done: false }.into());
		assert!(Jobs::<Test>::get(submissions[0], Stage::Public).is_none());
		assert!(Jobs::<Test>::get(submissions[1], Stage::Private).is_none());
		assert!(Jobs::<Test>::get(submissions[2], Stage::Private).is_some());
		assert_ok!(MeritScoring::prune(anyone(), c, 5));
		System::assert_last_event(Event::Pruned { challenge: c, submissions: 1, done: true }.into());
		assert!(Jobs::<Test>::iter().next().is_none());
		assert_noop!(MeritScoring::prune(anyone(), c, 5), Error::<Test>::NothingToPrune);

		// The summaries stay: final outcomes, leaderboards, track records, the panel.
		assert_eq!(MeritScoring::leaderboard(c, Subset::Private), board);
		assert_eq!(MeritScoring::final_outcome(submissions[0], Subset::Public), Some(scored(10)));
		assert_eq!(MeritRewards::track_record(account(ALICE)), record);
		assert!(Panels::<Test>::get(c).is_some());
	});
}

// ---- final selections (issue 13) ----

/// A challenge (quorum 3, RMSE, two final selections) with evaluators 1 to 4 and its panel drawn.
fn with_final_selections(final_selections: u32) -> ChallengeId {
	evaluators(4);
	let c = pallet_merit_challenges::NextChallengeId::<Test>::get();
	let mut p = params(3, SubmissionMode::Open);
	p.final_selections = final_selections;
	assert_ok!(MeritChallenges::create_challenge(RuntimeOrigin::signed(account(OWNER)), p));
	draw(c);
	c
}

fn mark(who: u8, c: ChallengeId, submissions: Vec<SubmissionId>) {
	assert_ok!(MeritChallenges::select_final(RuntimeOrigin::signed(account(who)), c, submissions));
}

fn private_board(c: ChallengeId) -> Vec<(u32, SubmissionId)> {
	MeritScoring::leaderboard(c, Subset::Private).iter().map(|e| (e.rank, e.submission)).collect()
}

#[test]
fn only_marked_submissions_rank_on_the_private_board_and_the_rest_are_shown_apart() {
	execute(|| {
		let c = with_final_selections(2);
		let a1 = submit(ALICE, c, 1);
		let a2 = submit(ALICE, c, 2);
		let a3 = submit(ALICE, c, 3);
		let b1 = submit(BOB, c, 4);
		mark(ALICE, c, vec![a3, a2]);
		for (s, public) in [(a1, 10), (a2, 30), (a3, 40), (b1, 20)] {
			agree(s, Stage::Public, scored(public));
		}
		reveal_labels(c);
		// a1 is Alice's best on the hidden rows, but she did not mark it: Bob wins.
		for (s, private) in [(a1, 5), (a2, 35), (a3, 25), (b1, 15)] {
			agree(s, Stage::Private, scored(private));
		}
		assert_eq!(private_board(c), vec![(1, b1), (2, a3)]);
		assert_eq!(
			MeritScoring::final_selections(c),
			vec![
				FinalSelection { author: account(ALICE), submissions: vec![a2, a3], marked: true },
				FinalSelection { author: account(BOB), submissions: vec![b1], marked: false },
			]
		);
		// The unmarked submission's private score is final and verifiable all the same.
		assert_eq!(MeritScoring::final_outcome(a1, Subset::Private), Some(scored(5)));
		// The public board is every submission's, as before.
		assert_eq!(MeritScoring::leaderboard(c, Subset::Public)[0].submission, a1);
	});
}

#[test]
fn without_marks_the_best_public_scores_count_then_the_latest_unscored() {
	execute(|| {
		let c = with_final_selections(2);
		let a1 = submit(ALICE, c, 1);
		let a2 = submit(ALICE, c, 2);
		let a3 = submit(ALICE, c, 3);
		let a4 = submit(ALICE, c, 4);
		let b1 = submit(BOB, c, 5);
		let b2 = submit(BOB, c, 6);
		let b3 = submit(BOB, c, 7);
		// Alice: a2 and a4 tie for the best public score with a1 after them; the earlier tie and
		// the next best count (RMSE: lower is better).
		for (s, public) in [(a1, 30), (a2, 20), (a3, 50), (a4, 20)] {
			agree(s, Stage::Public, scored(public));
		}
		// Bob: one public score; the other slot goes to his latest submission without one.
		agree(b1, Stage::Public, scored(40));
		let _ = b2;
		assert_eq!(
			MeritScoring::final_selections(c),
			vec![
				FinalSelection { author: account(ALICE), submissions: vec![a2, a4], marked: false },
				FinalSelection { author: account(BOB), submissions: vec![b1, b3], marked: false },
			]
		);
		// Marking and then clearing the marks goes back to the default.
		mark(ALICE, c, vec![a3]);
		assert_eq!(MeritScoring::final_selections(c)[0].submissions, vec![a3]);
		mark(ALICE, c, vec![]);
		assert_eq!(MeritScoring::final_selections(c)[0].submissions, vec![a2, a4]);
	});
}

#[test]
fn a_challenge_from_before_final_selections_ranks_every_submission() {
	execute(|| {
		let c = with_final_selections(1);
		// What the storage migration gives challenges published before final selections existed.
		pallet_merit_challenges::ChallengeSpecs::<Test>::mutate(c, |spec| {
			spec.as_mut().expect("challenge exists").final_selections = 0
		});
		let a1 = submit(ALICE, c, 1);
		let a2 = submit(ALICE, c, 2);
		assert_noop!(
			MeritChallenges::select_final(RuntimeOrigin::signed(account(ALICE)), c, vec![a1]),
			pallet_merit_challenges::Error::<Test>::FinalSelectionsNotUsed
		);
		agree(a1, Stage::Public, scored(10));
		agree(a2, Stage::Public, scored(20));
		reveal_labels(c);
		agree(a1, Stage::Private, scored(30));
		agree(a2, Stage::Private, scored(5));
		assert!(MeritScoring::final_selections(c).is_empty());
		assert_eq!(private_board(c), vec![(1, a2)]);
	});
}

/// 300 labelled rows for the best-of-many experiment: `id,label`, labels 0 or 1.
fn coin_labels(rng: &mut u64) -> Vec<u8> {
	let mut csv = String::from("id,label\n");
	for i in 0..300 {
		csv.push_str(&format!("r{i},{}\n", next(rng) % 2));
	}
	csv.into_bytes()
}

/// Predictions that copy the label of each row with probability `skill`% and guess at random
/// otherwise.
fn predictions_with_skill(labels: &[u8], skill: u64, rng: &mut u64) -> Vec<u8> {
	let mut csv = String::from("id,label\n");
	for line in std::str::from_utf8(labels).unwrap().lines().skip(1) {
		let (id, label) = line.split_once(',').unwrap();
		let predicted = if next(rng) % 100 < skill { label.to_string() } else { (next(rng) % 2).to_string() };
		csv.push_str(&format!("{id},{predicted}\n"));
	}
	csv.into_bytes()
}

/// splitmix64: a fixed, seeded sequence with well-mixed low bits, so the experiment is the same on
/// every run.
fn next(state: &mut u64) -> u64 {
	*state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
	let mut z = *state;
	z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
	z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
	z ^ (z >> 31)
}

/// One round of the best-of-many experiment: Carol sends one real model (right on `skill`% more
/// rows than chance), Bob 30 files of coin flips, all scored by the real metric on the real
/// public/private split of 300 rows; returns the private board's winner.
fn best_of_many_round(seed: u64, final_selections: u32) -> AccountId {
	let mut rng = seed;
	let labels = coin_labels(&mut rng);
	let carol = predictions_with_skill(&labels, 12, &mut rng);
	let bob: Vec<Vec<u8>> = (0..30).map(|_| predictions_with_skill(&labels, 0, &mut rng)).collect();
	let share = polkadot_sdk::sp_runtime::Perbill::from_percent(50);
	let score_on = |body: &[u8], subset: Subset| {
		let split = match subset {
			Subset::Public => merit_metrics::Split::public(SALT, share.deconstruct()),
			_ => merit_metrics::Split::private(SALT, share.deconstruct()),
		};
		merit_metrics::score(Metric::Accuracy, &labels, body, &split).expect("scores")
	};
	let mut winner = None;
	ExtBuilder::default().bounds(|b| b.max_submissions = 40).build_and_execute(|| {
		register_training_data();
		evaluators(4);
		let c = pallet_merit_challenges::NextChallengeId::<Test>::get();
		let mut p = params(3, SubmissionMode::Open);
		p.metric = Metric::Accuracy;
		p.public_share = share;
		p.limits = SubmissionLimits { per_day: 40, total: 40 };
		p.labels_commitment = MeritChallenges::labels_commitment(&sha(&labels), SALT);
		p.final_selections = final_selections.max(1);
		assert_ok!(MeritChallenges::create_challenge(RuntimeOrigin::signed(account(OWNER)), p));
		if final_selections == 0 {
			// Every submission ranks, as for a challenge published before final selections.
			pallet_merit_challenges::ChallengeSpecs::<Test>::mutate(c, |spec| {
				spec.as_mut().expect("challenge exists").final_selections = 0
			});
		}
		draw(c);
		let mut entries = vec![(submit_file(CAROL, c, &carol, b"https://p/carol"), carol.clone())];
		for (i, body) in bob.iter().enumerate() {
			let uri = format!("https://p/bob-{i}");
			entries.push((submit_file(BOB, c, body, uri.as_bytes()), body.clone()));
		}
		for (s, body) in entries.iter() {
			agree(*s, Stage::Public, Outcome::Scored(score_on(body, Subset::Public)));
		}
		register(OWNER, sha(&labels), ArtifactKind::Labels, labels.len() as u64, LABELS_URI);
		run_to_block(OPEN_UNTIL);
		assert_ok!(MeritChallenges::reveal_labels(
			RuntimeOrigin::signed(account(OWNER)),
			c,
			claim(sha(&labels)),
			SALT.to_vec()
		));
		for (s, body) in entries.iter() {
			agree(*s, Stage::Private, Outcome::Scored(score_on(body, Subset::Private)));
		}
		winner = Some(MeritScoring::leaderboard(c, Subset::Private)[0].author.clone());
	});
	winner.expect("the round ran")
}

/// Issue 13's best-of-many bias, over 20 seeded rounds. When every submission ranks, Bob's best
/// coin-flip file on the ~150 hidden rows (about two standard deviations above chance) usually
/// beats Carol's real but modest model: luck bought by volume. With two final selections, Bob's
/// picks are his best public scores, which are luck too and are scored on fresh rows: Carol
/// usually wins. The seeds fix the counts (17 and 7 of 20); the expected rates are about 4 in 5
/// and 1 in 3.
#[test]
fn many_random_submissions_win_without_final_selections_and_lose_with_them() {
	let rounds = 1..=20u64;
	let bob_wins = |final_selections: u32| {
		rounds.clone().filter(|seed| best_of_many_round(*seed, final_selections) == account(BOB)).count()
	};
	let without = bob_wins(0);
	let with = bob_wins(2);
	eprintln!("best of many: Bob won {without} of 20 rounds without final selections, {with} of 20 with two");
	assert!(without >= 14, "Bob won {without} of 20 rounds when every submission ranks");
	assert!(with <= 8, "Bob won {with} of 20 rounds with two final selections");
}

// ---- the prize board counted in pages (issue 15) ----

/// One seeded challenge: five authors with one to eight submissions each, random public and
/// private outcomes (scores with ties, failures, none), some marks, `selections` final
/// selections (0: every submission ranks). Counts its prize board `page` units a call, checking
/// every invariant between calls, and returns the counted board, the board computed in one pass
/// before counting started, and how many calls it took.
fn count_in_pages(
	seed: u64,
	selections: u32,
	page: u32,
) -> (Vec<LeaderboardEntry<AccountId>>, Vec<LeaderboardEntry<AccountId>>, u32) {
	use merit_primitives::OutcomeInspect;
	let mut rng = seed;
	let mut result = None;
	ExtBuilder::default().bounds(|b| b.max_submissions = 40).build_and_execute(|| {
		register_training_data();
		evaluators(4);
		let c = pallet_merit_challenges::NextChallengeId::<Test>::get();
		let mut p = params(3, SubmissionMode::Open);
		p.metric = if seed % 2 == 0 { Metric::Rmse } else { Metric::Accuracy };
		p.limits = SubmissionLimits { per_day: 10, total: 10 };
		p.final_selections = selections.max(1);
		assert_ok!(MeritChallenges::create_challenge(RuntimeOrigin::signed(account(OWNER)), p));
		if selections == 0 {
			pallet_merit_challenges::ChallengeSpecs::<Test>::mutate(c, |spec| {
				spec.as_mut().expect("challenge exists").final_selections = 0
			});
		}
		draw(c);
		// Few distinct scores, so ties between entrants and within one are common; `scored`% of
		// the outcomes are scores, the rest failures or none.
		let outcome = |rng: &mut u64, scored_pct: u64| {
			let roll = next(rng) % 100;
			if roll < scored_pct {
				Some(scored(u128::from(next(rng) % 6)))
			} else if roll % 3 == 0 {
				Some(Outcome::Failed(FailureReason::TooLarge))
			} else {
				None
			}
		};
		let mut all = Vec::new();
		for (i, who) in [ALICE, BOB, CAROL, 5, 6].into_iter().enumerate() {
			let mut own = Vec::new();
			// Some authors' files mostly go unscored in public: their default selection is made
			// up with their latest unscored submissions.
			let public_pct = [20, 50, 90][(next(&mut rng) % 3) as usize];
			for j in 0..1 + next(&mut rng) % 8 {
				let body = format!("seed {seed} author {i} file {j}");
				let uri = format!("https://p/{i}/{j}");
				own.push(submit_file(who, c, body.as_bytes(), uri.as_bytes()));
			}
			for s in own.iter() {
				if let Some(o) = outcome(&mut rng, public_pct) {
					agree(*s, Stage::Public, o);
				}
			}
			if selections > 0 && next(&mut rng) % 3 == 0 {
				let marked: Vec<SubmissionId> =
					own.iter().copied().filter(|_| next(&mut rng) % 2 == 0).take(selections as usize).collect();
				mark(who, c, marked);
			}
			all.extend(own);
		}
		run_to_block(OPEN_UNTIL);
		reveal_labels(c);
		for s in all.iter() {
			if let Some(o) = outcome(&mut rng, 80) {
				agree(*s, Stage::Private, o);
			}
		}
		let computed = MeritScoring::leaderboard(c, Subset::Private);
		let mut calls = 0u32;
		loop {
			calls += 1;
			let (progress, _) = MeritScoring::count_prize_board(c, false, page).expect("counting starts");
			assert_ok!(MeritScoring::do_try_state());
			if progress.done {
				break;
			}
			assert!(calls < 1_000, "a prize count that never ends");
		}
		result = Some((MeritScoring::leaderboard(c, Subset::Private), computed, calls));
	});
	result.expect("the world ran")
}

/// The paged prize count ranks exactly as the one-pass ranking does, whatever the page size:
/// with and without final selections, marks, ties, failures and missing scores, over 24 seeded
/// challenges and four page sizes (a page of one submission or entrant, up to all at once).
#[test]
fn a_prize_board_counted_in_pages_equals_the_board_computed_in_one_pass() {
	let mut nonempty = 0;
	for seed in 0..24u64 {
		let selections = (seed % 4) as u32;
		for page in [1, 2, 5, 1_000] {
			let (counted, computed, calls) = count_in_pages(seed, selections, page);
			assert_eq!(counted, computed, "seed {seed}, {selections} selections, page {page}");
			if page == 1 {
				assert!(calls > 5, "a page of one took {calls} calls");
			}
			if page == 1_000 {
				assert_eq!(calls, 1, "one large page counts the whole board");
			}
			nonempty += usize::from(!counted.is_empty());
		}
	}
	assert!(nonempty >= 80, "only {nonempty} of 96 counted boards had entries");
}
