//! Benchmarks (frame-benchmarking v2) for the rewards pallet, each at its worst case. Challenges
//! and submissions are written straight to storage so large setups stay quick.
use super::*;
use alloc::vec::Vec;
use frame_support::{
	traits::{
		fungible::{Inspect, Mutate, MutateHold},
		Get,
	},
	BoundedVec,
};
use merit_primitives::ArtifactKind;
use pallet_merit_challenges::{
	BenchmarkHelper, Challenge, ChallengeState, Description, Schedule, Submission, SubmissionContent,
	SubmissionLimits, SubmissionMode,
};
use pallet_merit_scoring::{FinalOutcome, FinalOutcomes, Metric};
use polkadot_sdk::{frame_benchmarking::v2::*, frame_system::RawOrigin};
use sp_runtime::traits::{Saturating, Zero};

type CurrencyOf<T> = <T as pallet_merit_challenges::Config>::Currency;

fn unit<T: Config>() -> BalanceOf<T> {
	CurrencyOf::<T>::minimum_balance().max(1u32.into())
}

/// A challenge in `state` whose owner holds a pool of a million existential deposits, with
/// `winners` equal reward shares, written straight to storage.
fn challenge<T: Config>(state: ChallengeState, winners: u32) -> ChallengeId
where
	CurrencyOf<T>: Mutate<T::AccountId>,
{
	let now = frame_system::Pallet::<T>::block_number();
	let owner: T::AccountId = account("owner", 0, 0);
	let pool = unit::<T>().saturating_mul(1_000_000u32.into());
	CurrencyOf::<T>::set_balance(&owner, pool.saturating_mul(2u32.into()));
	CurrencyOf::<T>::hold(&pallet_merit_challenges::HoldReason::PrizePool.into(), &owner, pool).expect("holds");
	let mut shares: Vec<Perbill> = (0..winners).map(|_| Perbill::from_rational(1, winners.max(1))).collect();
	let rest = Perbill::one().saturating_sub(shares.iter().fold(Perbill::zero(), |a, s| a.saturating_add(*s)));
	if let Some(first) = shares.first_mut() {
		*first = first.saturating_add(rest);
	}
	pallet_merit_challenges::Challenges::<T>::insert(
		0,
		Challenge::<T> {
			owner,
			title: Default::default(),
			description: Description::Text(Default::default()),
			training_data: Default::default(),
			metric: Metric::Rmse,
			labels_commitment: Default::default(),
			public_share: Perbill::from_percent(30),
			schedule: Schedule { open_until: now, reveal_deadline: now + 1_000u32.into() },
			limits: SubmissionLimits { per_day: 1, total: 1 },
			reward_shares: BoundedVec::truncate_from(shares),
			quorum: 1,
			prize_pool: pool,
			held: pool,
			mode: SubmissionMode::Open,
			state,
			created_at: now,
			participants: 0,
			refund_per_participant: Zero::zero(),
			labels: None,
		},
	);
	0
}

/// Stores submission `id` by `author` with `parents` and a final private score `score`.
fn submission<T: Config>(id: SubmissionId, author: T::AccountId, parents: Vec<SubmissionId>, score: u128) {
	let now = frame_system::Pallet::<T>::block_number();
	pallet_merit_challenges::Submissions::<T>::insert(
		id,
		Submission::<T> {
			challenge: 0,
			author,
			content: SubmissionContent::Revealed(Digest::repeat_byte(id as u8)),
			parents: BoundedVec::truncate_from(parents),
			previous_version: None,
			submitted_at: now,
		},
	);
	pallet_merit_challenges::ChallengeSubmissions::<T>::try_append(0, id).expect("within MaxSubmissionsPerChallenge");
	FinalOutcomes::<T>::insert(
		id,
		Subset::Private,
		FinalOutcome { outcome: Outcome::Scored(Score::from_parts(score)), finalized_at: now },
	);
}

fn generous_terms<T: Config>() -> TermsOf<T> {
	RewardTerms {
		fork_share: Perbill::from_percent(50),
		fork_decay: Perbill::from_percent(50),
		fork_depth: T::MaxForkCreditDepth::get(),
		micro_share: Perbill::from_percent(50),
		improvement_reward: unit::<T>().saturating_mul(10u32.into()),
		review_reward: unit::<T>().saturating_mul(10u32.into()),
		max_reviews_per_reviewer: T::MaxReviewsPerReviewer::get(),
		evaluator_fee: unit::<T>().saturating_mul(10u32.into()),
	}
}

#[benchmarks(where CurrencyOf<T>: Mutate<T::AccountId>)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn set_reward_terms() {
		let id = challenge::<T>(ChallengeState::Open, 1);
		let owner = pallet_merit_challenges::Challenges::<T>::get(id).unwrap().owner;
		let terms = generous_terms::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id, terms);

		assert_eq!(Terms::<T>::get(id), Some(terms));
	}

	/// A paid review: the reviewer registered its report, the budget pays the reward.
	#[benchmark]
	fn review() {
		let id = challenge::<T>(ChallengeState::Closed, 1);
		Terms::<T>::insert(id, generous_terms::<T>());
		submission::<T>(0, account("author", 0, 0), Vec::new(), 1);
		let reviewer: T::AccountId = account("reviewer", 0, 0);
		let report = Digest::repeat_byte(0xee);
		<T as pallet_merit_challenges::Config>::BenchmarkHelper::register_artifact(&reviewer, report, ArtifactKind::Report);

		#[extrinsic_call]
		_(RawOrigin::Signed(reviewer.clone()), 0, 5, report);

		assert!(Reviews::<T>::get(0, &reviewer).is_some_and(|r| !r.paid.is_zero()));
	}

	/// `s` scored submissions to rank; `p` winners, each by a new account (so every payment
	/// creates an account); the remaining submissions share one author and score worse.
	#[benchmark]
	fn finalize(
		s: Linear<10, { <T as pallet_merit_challenges::Config>::MaxSubmissionsPerChallenge::get().min(1_000) }>,
		p: Linear<1, { <T as pallet_merit_challenges::Config>::MaxWinners::get() }>,
	) {
		let id = challenge::<T>(ChallengeState::LabelsRevealed, p);
		for i in 0..s {
			let author: T::AccountId = if i < p { account("winner", i, 0) } else { account("also-ran", 0, 0) };
			submission::<T>(i, author, Vec::new(), i as u128 + 1);
		}
		let caller: T::AccountId = account("caller", 0, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id);

		assert_eq!(pallet_merit_challenges::Challenges::<T>::get(id).unwrap().state, ChallengeState::Finalized);
	}

	/// A new public best whose quorum of `e` evaluators is paid a fee each.
	#[benchmark]
	fn on_outcome_final(e: Linear<1, { <T as pallet_merit_scoring::Config>::MaxEvaluators::get() }>) {
		let id = challenge::<T>(ChallengeState::Open, 1);
		Terms::<T>::insert(id, generous_terms::<T>());
		let author: T::AccountId = account("author", 0, 0);
		submission::<T>(0, author.clone(), Vec::new(), 1);
		let evaluators: Vec<T::AccountId> = (0..e).map(|i| account("evaluator", i, 0)).collect();
		let outcome = Outcome::Scored(Score::from_parts(1));

		#[block]
		{
			<Pallet<T> as pallet_merit_scoring::OnOutcomeFinal<T::AccountId>>::on_outcome_final(
				id,
				0,
				&author,
				Subset::Public,
				&outcome,
				&evaluators,
			);
		}

		assert_eq!(PublicBest::<T>::get(id).map(|(s, _)| s), Some(0));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
