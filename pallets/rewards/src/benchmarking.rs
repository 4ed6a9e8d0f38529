//! Benchmarks (frame-benchmarking v2) for the rewards pallet, each at its worst case. Challenges,
//! submissions and outcomes are stored through the other pallets' benchmark hooks
//! (`insert_*_for_benchmark`), so large setups stay quick and no other pallet's storage is named.
use super::*;
use alloc::vec::Vec;
use frame_support::traits::{
	fungible::{Inspect, Mutate},
	Get,
};
use merit_primitives::{
	ArtifactKind, ArtifactRegistry, ChallengeInspect, ChallengeState, OnOutcomeFinal, OutcomeInspect, PrizePool,
};
use polkadot_sdk::{frame_benchmarking::v2::*, frame_system::RawOrigin};
use sp_runtime::{
	traits::{Saturating, Zero},
	Perbill,
};

fn unit<T: Config>() -> BalanceOf<T> {
	T::Currency::minimum_balance().max(1u32.into())
}

fn generous_terms<T: Config>() -> TermsOf<T> {
	RewardTerms {
		fork_share: Perbill::from_percent(50),
		fork_decay: Perbill::from_percent(50),
		fork_depth: T::MaxForkCreditDepth::get(),
		micro_share: T::MaxMicroShare::get(),
		improvement_reward: unit::<T>().saturating_mul(10u32.into()),
		review_reward: unit::<T>().saturating_mul(10u32.into()),
		max_reviews_per_reviewer: T::MaxReviewsPerReviewer::get(),
		evaluator_fee: unit::<T>().saturating_mul(10u32.into()),
		improvement_step: merit_primitives::Score::from_parts(1),
		ladder: true,
	}
}

/// A challenge in `state` whose owner holds a pool of a million existential deposits, with
/// `winners` equal reward shares and generous terms.
fn challenge<T: Config>(state: ChallengeState, winners: u32) -> ChallengeId
where
	T::Currency: Mutate<T::AccountId>,
{
	let owner: T::AccountId = account("owner", 0, 0);
	let pool = unit::<T>().saturating_mul(1_000_000u32.into());
	T::Currency::set_balance(&owner, pool.saturating_mul(2u32.into()));
	let id = T::Challenges::insert_challenge_for_benchmark(&owner, state, 1);
	let mut shares: Vec<Perbill> = (0..winners).map(|_| Perbill::from_rational(1, winners.max(1))).collect();
	let rest = Perbill::one().saturating_sub(shares.iter().fold(Perbill::zero(), |a, s| a.saturating_add(*s)));
	if let Some(first) = shares.first_mut() {
		*first = first.saturating_add(rest);
	}
	<Pallet<T> as PrizePool<_, _>>::open(id, &owner, pool, &shares, &generous_terms::<T>()).expect("owner can pay");
	id
}

/// Stores a submission by `author` with `parents` and a final private score `score`.
fn submission<T: Config>(
	challenge: ChallengeId,
	author: T::AccountId,
	parents: Vec<SubmissionId>,
	score: u128,
) -> SubmissionId {
	let id = T::Challenges::insert_submission_for_benchmark(challenge, &author, parents);
	T::Outcomes::set_final_outcome_for_benchmark(id, Subset::Private, Outcome::Scored(Score::from_parts(score)));
	id
}

#[benchmarks(where T::Currency: Mutate<T::AccountId>)]
mod benchmarks {
	use super::*;

	/// The author of a scored submission to an abandoned challenge claims its share.
	#[benchmark]
	fn claim_refund() {
		let id = challenge::<T>(ChallengeState::Cancelled(merit_primitives::CancelReason::MissedLabelsReveal), 1);
		let participant: T::AccountId = account("participant", 0, 0);
		submission::<T>(id, participant.clone(), Vec::new(), 1);
		ScoredSubmissions::<T>::insert(id, &participant, 1);
		ScoredTotals::<T>::insert(id, 1);
		<Pallet<T> as PrizePool<_, _>>::abandon(id);

		#[extrinsic_call]
		_(RawOrigin::Signed(participant.clone()), id);

		assert!(RefundsClaimed::<T>::contains_key(id, &participant));
	}

	/// A paid review: the reviewer registered its report, the budget pays the reward.
	#[benchmark]
	fn review() {
		let id = challenge::<T>(ChallengeState::Closed, 1);
		let reviewed = submission::<T>(id, account("author", 0, 0), Vec::new(), 1);
		let reviewer: T::AccountId = account("reviewer", 0, 0);
		let report = Digest::repeat_byte(0xee);
		T::Artifacts::register_for_benchmark(&reviewer, report, ArtifactKind::Report);
		// The reviewer's track record: a scored submission elsewhere.
		ScoredByAccount::<T>::insert(&reviewer, 1);

		#[extrinsic_call]
		_(RawOrigin::Signed(reviewer.clone()), reviewed, 5, report);

		assert!(Reviews::<T>::get(reviewed, &reviewer).is_some_and(|r| !r.paid.is_zero()));
	}

	/// The call that completes a counted prize board pays it: the `p` best of as many scored
	/// submissions, each by a different author, win, each paid to a new account (every payment
	/// creates one). Counting the board is the scoring pallet's benchmarks (`count_submissions`,
	/// `rank_entrants`), charged on top.
	#[benchmark]
	fn finalize(p: Linear<1, { T::MaxWinners::get() }>) {
		// Late enough that scores set now are past their dispute window.
		polkadot_sdk::frame_system::Pallet::<T>::set_block_number(1_000_000u32.into());
		let id = challenge::<T>(ChallengeState::LabelsRevealed, p);
		for i in 0..p {
			let sid = submission::<T>(id, account("winner", i, 0), Vec::new(), i as u128 + 1);
			// Public scores too: the private board reads them to apply the default selections.
			T::Outcomes::set_final_outcome_for_benchmark(sid, Subset::Public, Outcome::Scored(Score::from_parts(1)));
		}
		let counted = T::Outcomes::count_prize_board(id, true, u32::MAX).map(|(progress, _)| progress.done);
		assert_eq!(counted, Ok(true));
		let caller: T::AccountId = account("caller", 0, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id);

		assert_eq!(T::Challenges::challenge(id).map(|c| c.state), Some(ChallengeState::Finalized));
	}

	/// A team of `m` members shares a prize and fork credit it won.
	#[benchmark]
	fn distribute_team_winnings(m: Linear<1, { T::Challenges::max_team_size().max(1) }>) {
		let id = challenge::<T>(ChallengeState::Finalized, 1);
		let members: Vec<T::AccountId> = (0..m)
			.map(|i| {
				let member: T::AccountId = account("member", i, 0);
				T::Currency::set_balance(&member, unit::<T>());
				member
			})
			.collect();
		let team = T::Challenges::insert_team_for_benchmark(id, &members);
		let won = unit::<T>().saturating_mul(1_000u32.into());
		T::Currency::set_balance(&team, won.saturating_mul(2u32.into()));
		Earnings::<T>::mutate(&team, id, |earned| {
			earned.prizes = won;
			earned.fork_credit = won;
		});
		let caller: T::AccountId = account("caller", 0, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id, team.clone());

		assert!(TeamWinningsDistributed::<T>::contains_key(id, &team));
	}

	/// A new public best whose quorum of `e` evaluators is paid a fee each.
	#[benchmark]
	fn on_outcome_final(e: Linear<1, { T::MaxEvaluators::get() }>) {
		let id = challenge::<T>(ChallengeState::Open, 1);
		let author: T::AccountId = account("author", 0, 0);
		let scored = submission::<T>(id, author.clone(), Vec::new(), 1);
		let evaluators: Vec<T::AccountId> = (0..e).map(|i| account("evaluator", i, 0)).collect();
		let outcome = Outcome::Scored(Score::from_parts(1));

		#[block]
		{
			<Pallet<T> as OnOutcomeFinal<T::AccountId>>::on_outcome_final(
				id,
				scored,
				&author,
				Subset::Public,
				&outcome,
				&evaluators,
			);
		}

		assert_eq!(PublicBest::<T>::get(id).map(|(s, _)| s), Some(scored));
	}
}
