//! Benchmarks (frame-benchmarking v2) for the campaigns pallet, each at its worst case: ten
//! answers (the largest tallies, posteriors and confusion matrices), four levels, priors on every
//! subject, assignments that probe `MaxProbe` subjects, retirements that credit
//! `MaxVotesPerSubject` voters.
use super::*;
use alloc::{vec, vec::Vec};
use codec::Encode;
use frame_support::traits::{
	fungible::{Inspect, Mutate},
	Get,
};
use frame_system::pallet_prelude::BlockNumberFor;
use polkadot_sdk::{frame_benchmarking::v2::*, frame_system::RawOrigin};
use sp_runtime::traits::{Bounded, SaturatedConversion, Saturating, Zero};

const K: u8 = MAX_ANSWERS as u8;

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId
where
	T::Currency: Mutate<T::AccountId>,
{
	let who: T::AccountId = account(name, index, 0);
	T::Currency::set_balance(&who, BalanceOf::<T>::max_value() / 100u32.into());
	who
}

/// A distinct digest per number (no_std has no `H256::from_low_u64_be`).
fn digest_of(n: u64) -> Digest {
	let mut bytes = [0u8; 32];
	bytes[24..].copy_from_slice(&n.to_be_bytes());
	Digest::from(bytes)
}

fn salt(i: u32) -> [u8; 32] {
	let mut salt = [0u8; 32];
	salt[..4].copy_from_slice(&i.to_le_bytes());
	salt
}

fn params<T: Config>(rule: RetirementRule, round_size: u32) -> CampaignParams<BlockNumberFor<T>, BalanceOf<T>> {
	let text = T::MaxTextLength::get() as usize;
	CampaignParams {
		title: vec![b't'; text],
		subjects_uri: vec![b'u'; text],
		answers: K,
		rule,
		round_size,
		reveal_window: 10u32.into(),
		selection: Selection::Random,
		gold_steps: vec![(15, ONE / 3), (40, ONE / 5), (100, ONE / 8), (u32::MAX, ONE / 10)],
		levels: (1..=4).map(|i| Level { threshold: ONE / 10 * (5 + i as u64), min_gold: 1 }).collect(),
		skepticism: 0,
		pool: T::Currency::minimum_balance().saturating_mul(1_000_000u32.into()).max(1_000_000u32.into()),
		ends_at: 1_000u32.into(),
	}
}

/// The posterior rule: every reveal updates the ten-class posterior.
fn posterior_rule() -> RetirementRule {
	RetirementRule::Posterior { threshold: ONE / 10 * 9, min_votes: 1 }
}

fn campaign<T: Config>(owner: &T::AccountId, rule: RetirementRule, round_size: u32) -> CampaignId
where
	T::Currency: Mutate<T::AccountId>,
{
	let id = NextCampaignId::<T>::get();
	Pallet::<T>::create_campaign(RawOrigin::Signed(owner.clone()).into(), params::<T>(rule, round_size))
		.expect("a valid campaign");
	id
}

fn inputs(from: u32, count: u32) -> Vec<SubjectInput> {
	(from..from + count)
		.map(|i| SubjectInput {
			digest: digest_of(i as u64 + 1),
			prior: Some(vec![ONE / K as u64; K as usize]),
			min_level: 0,
		})
		.collect()
}

fn add<T: Config>(owner: &T::AccountId, id: CampaignId, count: u32) {
	let mut added = 0;
	while added < count {
		let batch = (count - added).min(T::MaxBatch::get());
		Pallet::<T>::add_subjects(RawOrigin::Signed(owner.clone()).into(), id, inputs(added, batch))
			.expect("subjects fit");
		added += batch;
	}
}

/// A gold batch of `count` subjects answered `i % K`, shown until block 2; returns its answers and salt.
fn gold<T: Config>(owner: &T::AccountId, id: CampaignId, count: u32) -> (u32, Vec<Answer>, [u8; 32]) {
	let record = Campaigns::<T>::get(id).expect("the campaign");
	let answers: Vec<Answer> = (0..count).map(|i| (i % K as u32) as Answer).collect();
	let pairs: Vec<(SubjectIndex, Answer)> =
		answers.iter().enumerate().map(|(i, a)| (record.subjects + i as u32, *a)).collect();
	let gold_salt = [7u8; 32];
	let digests = (0..count).map(|i| digest_of(1_000_000 + i as u64)).collect();
	Pallet::<T>::add_gold(
		RawOrigin::Signed(owner.clone()).into(),
		id,
		digests,
		gold_commitment(&pairs, &gold_salt),
		2u32.into(),
	)
	.expect("a gold batch");
	(record.gold_batches, answers, gold_salt)
}

/// Seals `subject` for `who` as `classify` would, without an assignment (setting up others' votes).
fn seal_as<T: Config>(id: CampaignId, subject: SubjectIndex, who: &T::AccountId, answer: Answer, i: u32) {
	Assignments::<T>::insert(id, who, subject);
	Pallet::<T>::classify(
		RawOrigin::Signed(who.clone()).into(),
		id,
		answer_seal(id, subject, who.encode().as_slice(), answer, &salt(i)),
	)
	.expect("the subject takes the seal");
}

/// A volunteer with gold history in every class (a full confusion matrix and non-zero weight).
fn skilled<T: Config>(id: CampaignId, who: &T::AccountId) {
	let record = Campaigns::<T>::get(id).expect("the campaign");
	let mut volunteer = Pallet::<T>::newcomer(&record);
	let mut confusion = Confusion::new(K);
	for class in 0..K {
		for _ in 0..3 {
			confusion.learn(class, class);
		}
	}
	volunteer.weight = confusion.weight();
	volunteer.confusion = confusion.counts.try_into().expect("K² cells");
	Volunteers::<T>::insert(who, id, volunteer);
}

#[benchmarks(where T::Currency: Mutate<T::AccountId>)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create_campaign() {
		let owner = funded::<T>("owner", 0);
		let p = params::<T>(posterior_rule(), 1);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner.clone()), p);
		assert!(Campaigns::<T>::get(0).is_some_and(|c| c.owner == owner));
	}

	#[benchmark]
	fn add_subjects(n: Linear<1, { T::MaxBatch::get() }>) {
		let owner = funded::<T>("owner", 0);
		let id = campaign::<T>(&owner, posterior_rule(), 1);
		let batch = inputs(0, n);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id, batch);
		assert_eq!(OpenCount::<T>::get(id), n);
	}

	#[benchmark]
	fn add_gold(n: Linear<1, { T::MaxBatch::get() }>) {
		let owner = funded::<T>("owner", 0);
		let id = campaign::<T>(&owner, posterior_rule(), 1);
		let digests: Vec<Digest> = (0..n).map(|i| digest_of(i as u64)).collect();
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id, digests, [1u8; 32], 2u32.into());
		assert_eq!(GoldCount::<T>::get(id), n);
	}

	#[benchmark]
	fn reveal_gold(n: Linear<1, { T::MaxBatch::get() }>) {
		let owner = funded::<T>("owner", 0);
		let id = campaign::<T>(&owner, posterior_rule(), 1);
		let (batch, answers, gold_salt) = gold::<T>(&owner, id, n);
		frame_system::Pallet::<T>::set_block_number(2u32.into());
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id, batch, answers, gold_salt);
		assert_eq!(GoldCount::<T>::get(id), 0);
	}

	/// Every subject the probe looks at but the last was seen by the volunteer already.
	#[benchmark]
	fn next_subject() {
		let owner = funded::<T>("owner", 0);
		let id = campaign::<T>(&owner, posterior_rule(), T::MaxVotesPerSubject::get());
		let probe = T::MaxProbe::get().min(T::MaxSubjects::get());
		add::<T>(&owner, id, probe);
		let who: T::AccountId = whitelisted_caller();
		for subject in 0..probe.saturating_sub(1) {
			seal_as::<T>(id, subject, &who, 0, subject);
		}
		Assignments::<T>::remove(id, &who);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), id);
		assert!(Assignments::<T>::get(id, &who).is_some());
	}

	/// The seal fills its subject's round (into review) and the next draw probes `MaxProbe`.
	#[benchmark]
	fn classify() {
		let owner = funded::<T>("owner", 0);
		let id = campaign::<T>(&owner, posterior_rule(), 2);
		let probe = T::MaxProbe::get().min(T::MaxSubjects::get().saturating_sub(1));
		add::<T>(&owner, id, probe + 1);
		let who: T::AccountId = whitelisted_caller();
		let other = funded::<T>("other", 0);
		seal_as::<T>(id, 0, &other, 0, 0);
		for subject in 1..probe {
			seal_as::<T>(id, subject, &who, 0, subject);
		}
		Assignments::<T>::insert(id, &who, 0);
		let seal = answer_seal(id, 0, who.encode().as_slice(), 1, &salt(0));
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), id, seal);
		assert!(Subjects::<T>::get(id, 0).is_some_and(|s| s.review_until.is_some()));
	}

	/// A gold answer that moves a ten-class confusion matrix through the level checks.
	#[benchmark]
	fn reveal_gold_answer() {
		let owner = funded::<T>("owner", 0);
		let id = campaign::<T>(&owner, posterior_rule(), 1);
		let (batch, answers, gold_salt) = gold::<T>(&owner, id, 1);
		let who: T::AccountId = whitelisted_caller();
		skilled::<T>(id, &who);
		seal_as::<T>(id, 0, &who, answers[0], 0);
		frame_system::Pallet::<T>::set_block_number(2u32.into());
		Pallet::<T>::reveal_gold(RawOrigin::Signed(owner).into(), id, batch, answers.clone(), gold_salt)
			.expect("the batch reveals");
		#[extrinsic_call]
		reveal(RawOrigin::Signed(who.clone()), id, 0, answers[0], salt(0));
		assert!(Volunteers::<T>::get(&who, id).is_some_and(|v| v.revealed == 1));
	}

	/// The last reveal of a subject's round, which retires it and credits `v` voters.
	#[benchmark]
	fn reveal_retiring(v: Linear<1, { T::MaxVotesPerSubject::get() }>) {
		let owner = funded::<T>("owner", 0);
		let rule = RetirementRule::FixedCount { count: v };
		let id = campaign::<T>(&owner, rule, v);
		add::<T>(&owner, id, 1);
		let voters: Vec<T::AccountId> = (0..v).map(|i| account("voter", i, 0)).collect();
		for (i, voter) in voters.iter().enumerate() {
			skilled::<T>(id, voter);
			seal_as::<T>(id, 0, voter, 3, i as u32);
		}
		for (i, voter) in voters.iter().enumerate().skip(1) {
			Pallet::<T>::reveal(RawOrigin::Signed(voter.clone()).into(), id, 0, 3, salt(i as u32))
				.expect("the round is in review");
		}
		#[extrinsic_call]
		reveal(RawOrigin::Signed(voters[0].clone()), id, 0, 3, salt(0));
		assert!(Subjects::<T>::get(id, 0).is_some_and(|s| s.retired.is_some()));
	}

	/// A round past its window, one seal never revealed, whose revealed votes retire the subject
	/// and credit `v − 1` voters.
	#[benchmark]
	fn close_round(v: Linear<1, { T::MaxVotesPerSubject::get() }>) {
		let owner = funded::<T>("owner", 0);
		let rule = RetirementRule::FixedCount { count: v.saturating_sub(1).max(1) };
		let id = campaign::<T>(&owner, rule, v);
		add::<T>(&owner, id, 1);
		for i in 0..v {
			let voter: T::AccountId = account("voter", i, 0);
			skilled::<T>(id, &voter);
			seal_as::<T>(id, 0, &voter, 3, i);
		}
		for i in 1..v {
			let voter: T::AccountId = account("voter", i, 0);
			Pallet::<T>::reveal(RawOrigin::Signed(voter).into(), id, 0, 3, salt(i)).expect("in review");
		}
		frame_system::Pallet::<T>::set_block_number(20u32.into());
		let anyone = funded::<T>("anyone", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(anyone), id, 0);
		assert!(Subjects::<T>::get(id, 0).is_some_and(|s| s.review_until.is_none()));
	}

	#[benchmark]
	fn claim() {
		let owner = funded::<T>("owner", 0);
		let id = campaign::<T>(&owner, RetirementRule::FixedCount { count: 1 }, 1);
		add::<T>(&owner, id, 1);
		let who: T::AccountId = whitelisted_caller();
		skilled::<T>(id, &who);
		seal_as::<T>(id, 0, &who, 3, 0);
		Pallet::<T>::reveal(RawOrigin::Signed(who.clone()).into(), id, 0, 3, salt(0)).expect("reveals");
		let record = Campaigns::<T>::get(id).expect("the campaign");
		frame_system::Pallet::<T>::set_block_number(Pallet::<T>::reveals_end(&record) + 1u32.into());
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), id);
		assert!(!T::Currency::balance(&who).is_zero());
	}

	#[benchmark]
	fn record_labels() {
		let owner = funded::<T>("owner", 0);
		let id = campaign::<T>(&owner, posterior_rule(), 1);
		let record = Campaigns::<T>::get(id).expect("the campaign");
		frame_system::Pallet::<T>::set_block_number(Pallet::<T>::reveals_end(&record) + 1u32.into());
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id, Digest::repeat_byte(9));
		assert!(Campaigns::<T>::get(id).is_some_and(|c| c.labels.is_some()));
	}

	#[benchmark]
	fn end_campaign() {
		let owner = funded::<T>("owner", 0);
		let id = campaign::<T>(&owner, posterior_rule(), 1);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id);
		assert!(Campaigns::<T>::get(id).is_some_and(|c| c.ends_at < frame_system::Pallet::<T>::block_number()));
	}

	#[benchmark]
	fn close_campaign() {
		let owner = funded::<T>("owner", 0);
		let id = campaign::<T>(&owner, posterior_rule(), 1);
		let record = Campaigns::<T>::get(id).expect("the campaign");
		frame_system::Pallet::<T>::set_block_number(Pallet::<T>::claims_end(&record) + 1u32.into());
		let anyone = funded::<T>("anyone", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(anyone), id);
		assert!(Campaigns::<T>::get(id).is_some_and(|c| c.closed));
	}

	/// Authorizing a feeless reveal: the costliest signature to verify (ECDSA), the rate reads
	/// and every check of a reveal into a round in review.
	#[benchmark]
	fn authorize_volunteer() -> Result<(), BenchmarkError> {
		let owner = funded::<T>("owner", 0);
		let id = campaign::<T>(&owner, posterior_rule(), 2);
		add::<T>(&owner, id, 1);
		let who = T::BenchmarkHelper::volunteer();
		let other = funded::<T>("other", 0);
		seal_as::<T>(id, 0, &who, 3, 0);
		seal_as::<T>(id, 0, &other, 3, 1);
		let action = VolunteerAction::Reveal { subject: 0, answer: 3, salt: salt(0) };
		let valid_until = frame_system::Pallet::<T>::block_number() + 10u32.into();
		let message = feeless_message(&Pallet::<T>::genesis(), id, valid_until.saturated_into(), &action);
		let signature = T::BenchmarkHelper::sign(&who, &message);
		let call = Call::<T>::volunteer { campaign: id, volunteer: who, valid_until, action, signature };
		#[block]
		{
			use frame_support::{pallet_prelude::TransactionSource, traits::Authorize};
			call.authorize(TransactionSource::External)
				.ok_or("the call has an authorization")?
				.map_err(|_| BenchmarkError::Stop("the reveal is authorized"))?;
		}
		Ok(())
	}
}
