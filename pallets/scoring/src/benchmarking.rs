//! Benchmarks (frame-benchmarking v2) for the scoring pallet, each at its worst case.
use super::*;
use alloc::vec::Vec;
use frame_support::{
	traits::{fungible::Mutate, Get},
	BoundedVec,
};
use merit_primitives::{ChallengeInspect, ChallengeState};
use frame_support::traits::EnsureOrigin;
use polkadot_sdk::{frame_benchmarking::v2::*, frame_system::RawOrigin};
use sp_runtime::traits::Saturating;

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId
where
	<T as Config>::Currency: Mutate<T::AccountId>,
{
	let who: T::AccountId = account(name, index, 0);
	// Ten bonds each: enough for every benchmark, and small enough that funding `MaxEvaluators`
	// accounts cannot overflow the total issuance (a fraction of `max_value` per account would).
	let amount = <T as Config>::EvaluatorBond::get()
		.saturating_add(
			<<T as Config>::Currency as frame_support::traits::fungible::Inspect<T::AccountId>>::minimum_balance(),
		)
		.saturating_mul(10u32.into());
	<T as Config>::Currency::set_balance(&who, amount);
	who
}

/// Registers evaluator `index`, whose key is the account `("key", index)`; returns (evaluator, key).
fn evaluator<T: Config>(index: u32) -> (T::AccountId, T::AccountId)
where
	<T as Config>::Currency: Mutate<T::AccountId>,
{
	let who = funded::<T>("evaluator", index);
	let key: T::AccountId = account("key", index, 0);
	Pallet::<T>::register_evaluator(RawOrigin::Signed(who.clone()).into(), key.clone()).expect("registers");
	(who, key)
}

/// An open challenge with `quorum` and one revealed submission, stored without checks.
fn challenge_with_submission<T: Config>(quorum: u32) -> SubmissionId {
	let owner: T::AccountId = account("owner", 0, 0);
	let challenge = T::Challenges::insert_challenge_for_benchmark(&owner, ChallengeState::Open, quorum);
	T::Challenges::insert_submission_for_benchmark(challenge, &account("author", 0, 0), Vec::new())
}

#[benchmarks(where <T as Config>::Currency: Mutate<T::AccountId>)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_evaluator() {
		let who = funded::<T>("evaluator", 0);
		let key: T::AccountId = account("key", 0, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), key);

		assert!(Evaluators::<T>::contains_key(&who));
	}

	#[benchmark]
	fn set_evaluator_key() {
		let (who, _) = evaluator::<T>(0);
		let key: T::AccountId = account("new-key", 0, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), key.clone());

		assert_eq!(EvaluatorKeys::<T>::get(&key), Some(who));
	}

	#[benchmark]
	fn unregister_evaluator() {
		let (who, _) = evaluator::<T>(0);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert!(Evaluators::<T>::get(&who).unwrap().leaving_until.is_some());
	}

	#[benchmark]
	fn withdraw_bond() {
		let (who, _) = evaluator::<T>(0);
		Pallet::<T>::unregister_evaluator(RawOrigin::Signed(who.clone()).into()).expect("leaves");
		let until = Evaluators::<T>::get(&who).unwrap().leaving_until.unwrap();
		frame_system::Pallet::<T>::set_block_number(until);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert!(!Evaluators::<T>::contains_key(&who));
	}

	#[benchmark]
	fn remove_evaluator() -> Result<(), BenchmarkError> {
		let (who, _) = evaluator::<T>(0);
		let origin = T::ForceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());

		assert!(!Evaluators::<T>::contains_key(&who));
		Ok(())
	}

	/// `r` reports are stored: the first agrees with the call's outcome, the others disagree with
	/// each other and with it; the call completes a quorum of two and slashes `r - 1` evaluators.
	#[benchmark]
	fn post_score(r: Linear<0, { T::MaxEvaluators::get().saturating_sub(1) }>) {
		let submission = challenge_with_submission::<T>(if r == 0 { 1 } else { 2 });
		let good = Outcome::Scored(Score::ZERO);
		let reports: Vec<(T::AccountId, Outcome)> = (0..r)
			.map(|i| {
				let (who, _) = evaluator::<T>(i);
				let outcome = if i == 0 { good } else { Outcome::Scored(Score::from_parts(i as u128)) };
				(who, outcome)
			})
			.collect();
		let reports: ReportsOf<T> = BoundedVec::try_from(reports).expect("fewer than MaxEvaluators");
		Reports::<T>::insert(submission, Subset::Public, reports);
		let (_, key) = evaluator::<T>(r);

		#[extrinsic_call]
		_(RawOrigin::Signed(key), submission, Subset::Public, good);

		assert_eq!(Pallet::<T>::final_outcome(submission, Subset::Public), Some(good));
	}
}
