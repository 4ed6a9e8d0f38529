//! Issue 15's size, through the real calls: a challenge of `MERIT_SCALE_SUBMISSIONS` (20,000 by
//! default, 100,000 in `bash scripts/bench scale`) submissions by as many authors, each with a
//! final public and private score, is finalized by `finalize` calls of a page each, every call
//! within its declared weight; the prizes go to the best three private scores; the kept public
//! board answers its top 100 from storage. The submissions and outcomes are written with the
//! pallets' benchmark helpers (a real submission would need its artifact, its deposit and three
//! evaluators' reports: the cost measured elsewhere, not here).
#![cfg(feature = "runtime-benchmarks")]

use merit_primitives::{
	ChallengeInspect, ChallengeState, Outcome, OutcomeInspect, Page, PrizePool, RewardTerms, Score, Subset,
};
use merit_test_runtime::*;
use polkadot_sdk::{
	frame_support::{
		assert_ok,
		dispatch::GetDispatchInfo,
		traits::fungible::{Inspect, Mutate},
	},
	sp_runtime::Perbill,
};

const PAGE: u32 = 1_000;

/// How many submissions (and authors) the challenge gets.
fn submissions() -> u32 {
	std::env::var("MERIT_SCALE_SUBMISSIONS").ok().and_then(|n| n.parse().ok()).unwrap_or(20_000)
}

/// The `i`-th author: a distinct account for every submission.
fn author(i: u32) -> AccountId {
	let mut bytes = [0xa5; 32];
	bytes[..4].copy_from_slice(&i.to_le_bytes());
	AccountId::new(bytes)
}

#[test]
fn a_challenge_of_many_submissions_by_as_many_authors_is_finalized_a_page_a_call() {
	let submissions = submissions();
	assert!(submissions >= 3 * PAGE, "the scale test needs several pages");
	ExtBuilder::default()
		.bounds(|b| {
			b.max_submissions = submissions;
			b.finalize_page = PAGE;
		})
		.build_and_execute(|| {
			let owner = account(1);
			let pool: Balance = 3_000_000;
			Balances::set_balance(&owner, pool * 2);
			let id = <MeritChallenges as ChallengeInspect<_, _>>::insert_challenge_for_benchmark(
				&owner,
				ChallengeState::LabelsRevealed,
				3,
			);
			let shares = [Perbill::from_percent(50), Perbill::from_percent(30), Perbill::from_percent(20)];
			assert_ok!(<MeritRewards as PrizePool<_, _>>::open(id, &owner, pool, &shares, &RewardTerms::default()));
			// The reveal happened: the owner's reveal bond is back.
			assert_ok!(<MeritRewards as PrizePool<_, _>>::labels_revealed(id));
			// Private scores: submission i scores (i · 7,919) mod n (RMSE: lower is better; 7,919
			// is prime, so every score appears once), so the best three are spread over the
			// challenge: scores 0, 1 and 2 belong to i = 0, 7,919⁻¹ and 2 · 7,919⁻¹ (mod n).
			let started = std::time::Instant::now();
			let private = |i: u32| u128::from(i) * 7_919 % u128::from(submissions);
			for i in 0..submissions {
				let submission = <MeritChallenges as ChallengeInspect<_, _>>::insert_submission_for_benchmark(
					id,
					&author(i),
					Vec::new(),
				);
				for (subset, score) in [(Subset::Public, u128::from(i)), (Subset::Private, private(i))] {
					<MeritScoring as OutcomeInspect<_>>::set_final_outcome_for_benchmark(
						submission,
						subset,
						Outcome::Scored(Score::from_parts(score)),
					);
				}
			}
			assert_eq!(<MeritChallenges as ChallengeInspect<_, _>>::submission_count(id), submissions);
			eprintln!("scale: {submissions} submissions written in {:?}", started.elapsed());

			// The kept public board: its top 100 read from storage, its size kept.
			let top = MeritScoring::leaderboard_page(id, Subset::Public, Page { offset: 0, limit: 100 });
			assert_eq!(top.total, submissions);
			assert_eq!(top.entries.len(), 100);
			assert_eq!(top.entries[99].author, author(99));

			let caller = account(9);
			let call = RuntimeCall::MeritRewards(pallet_merit_rewards::Call::finalize { challenge: id });
			let declared = call.get_dispatch_info().call_weight;
			let mut calls = 0;
			loop {
				calls += 1;
				let info = MeritRewards::finalize(RuntimeOrigin::signed(caller.clone()), id).expect("finalize goes on");
				let used = info.actual_weight.expect("finalize reports its weight");
				assert!(used.all_lte(declared), "call {calls} used {used:?}, more than the declared {declared:?}");
				if <MeritChallenges as ChallengeInspect<_, _>>::challenge(id).map(|c| c.state)
					== Some(ChallengeState::Finalized)
				{
					break;
				}
				assert!(calls <= 2 * submissions / PAGE + 1, "the count does not end");
			}
			eprintln!("scale: finalized in {calls} calls, {:?} since the start", started.elapsed());
			// 100 pages of submissions read; 100 of entrants ranked (the last also pays).
			assert_eq!(calls, 2 * submissions.div_ceil(PAGE));
			let inverse = (1..submissions).find(|i| private(*i) == 1).expect("7,919 is invertible mod n");
			let winners = [0u32, inverse, (2 * u64::from(inverse) % u64::from(submissions)) as u32];
			for (i, (who, share)) in winners.iter().zip(shares).enumerate() {
				assert_eq!(private(*who), i as u128, "the test's arithmetic");
				assert_eq!(Balances::balance(&author(*who)), share.mul_floor(pool), "rank {}", i + 1);
			}
			let board = MeritScoring::leaderboard_page(id, Subset::Private, Page { offset: 0, limit: 3 });
			assert_eq!(board.total, submissions);
			assert_eq!(board.entries.iter().map(|e| e.author.clone()).collect::<Vec<_>>(), winners.map(author));
		});
}
