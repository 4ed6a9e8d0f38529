//! Benchmarks (frame-benchmarking v2) for the challenges pallet, each at its worst case.
use super::*;
use alloc::{vec, vec::Vec};
use frame_support::traits::{Get, Hooks};
use frame_system::pallet_prelude::BlockNumberFor;
use merit_primitives::TeamInspect;
use polkadot_sdk::{frame_benchmarking::v2::*, frame_system::RawOrigin};
use sp_runtime::Perbill;

const SALT: &[u8] = b"benchmark labels salt";

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	T::BenchmarkHelper::fund(&who);
	who
}

fn digest_of(tag: u8, n: u32) -> Digest {
	let mut bytes = [tag; 32];
	bytes[..4].copy_from_slice(&n.to_le_bytes());
	Digest::from(bytes)
}

fn labels_digest() -> Digest {
	digest_of(0x1a, 0)
}

/// Creation parameters with `t` training artifacts and `w` reward shares (registered for `owner`).
fn params<T: Config>(owner: &T::AccountId, t: u32, w: u32, mode: SubmissionMode) -> ChallengeParamsOf<T> {
	let training_data: Vec<Digest> = (0..t)
		.map(|i| {
			let d = digest_of(0xda, i);
			if T::Artifacts::artifact(&d).is_none() {
				T::Artifacts::register_for_benchmark(owner, d, ArtifactKind::Dataset);
			}
			d
		})
		.collect();
	let mut reward_shares = vec![Perbill::from_parts(Perbill::one().deconstruct() / w); w as usize];
	let assigned: u32 = reward_shares.iter().map(|s| s.deconstruct()).sum();
	reward_shares[0] = Perbill::from_parts(reward_shares[0].deconstruct() + Perbill::one().deconstruct() - assigned);
	let now = frame_system::Pallet::<T>::block_number();
	let open_until = now + 10u32.into();
	ChallengeParams {
		title: vec![b't'; T::MaxTitleLength::get() as usize],
		description: DescriptionInput::Text(vec![b'd'; T::MaxDescriptionLength::get() as usize]),
		training_data,
		metric: Metric::Rmse,
		labels_commitment: Pallet::<T>::labels_commitment(&labels_digest(), SALT),
		public_share: Perbill::from_percent(30),
		schedule: Schedule {
			open_until,
			reveal_deadline: open_until + T::SubmissionRevealPeriod::get() + 10u32.into(),
		},
		limits: SubmissionLimits { per_day: u32::MAX, total: u32::MAX },
		reward_shares,
		terms: Default::default(),
		quorum: 3,
		prize_pool: T::MinPrizePool::get().max(1_000u32.into()),
		mode,
		final_selections: T::MaxFinalSelections::get(),
		teams: TeamRules { max_size: T::Teams::max_team_size(), merge_until: open_until },
		previous_phase: None,
	}
}

fn create<T: Config>(owner: &T::AccountId, t: u32, mode: SubmissionMode) -> ChallengeId {
	let id = NextChallengeId::<T>::get();
	Pallet::<T>::create_challenge(RawOrigin::Signed(owner.clone()).into(), params::<T>(owner, t, 1, mode))
		.expect("challenge is created");
	id
}

/// `p` submissions to `challenge` by distinct authors, to be forked.
fn parent_submissions<T: Config>(challenge: ChallengeId, p: u32) -> Vec<SubmissionId> {
	(0..p)
		.map(|i| {
			let author = funded::<T>("parent", i);
			let d = digest_of(0xab, i);
			T::Artifacts::register_for_benchmark(&author, d, ArtifactKind::Predictions);
			let id = NextSubmissionId::<T>::get();
			Pallet::<T>::submit(RawOrigin::Signed(author).into(), challenge, claim_of(d), Vec::new(), None)
				.expect("parent submission");
			id
		})
		.collect()
}

/// A claim of `digest` as the calls take it.
fn claim_of(digest: Digest) -> ArtifactClaim {
	ArtifactClaim { digest, size: 1, uri: b"https://benchmark.invalid/a".to_vec(), license: b"MIT".to_vec() }
}

fn advance_to<T: Config>(n: BlockNumberFor<T>) {
	frame_system::Pallet::<T>::set_block_number(n);
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create_challenge(t: Linear<1, { T::MaxTrainingArtifacts::get() }>, w: Linear<1, { T::MaxWinners::get() }>) {
		let owner = funded::<T>("owner", 0);
		let p = params::<T>(&owner, t, w, SubmissionMode::Open);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), p);

		assert!(ChallengeSpecs::<T>::contains_key(0));
	}

	#[benchmark]
	fn cancel_challenge(t: Linear<1, { T::MaxTrainingArtifacts::get() }>) {
		let owner = funded::<T>("owner", 0);
		let id = create::<T>(&owner, t, SubmissionMode::Open);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id);

		assert_eq!(ChallengeStatuses::<T>::get(id).unwrap().state, ChallengeState::Cancelled(CancelReason::ByOwner));
	}

	/// A submission with `p` parents whose artifact the call registers (holding its deposit): the
	/// costlier way of its claim, since one without a commitment never takes a registration over.
	#[benchmark]
	fn submit(p: Linear<0, { T::MaxParents::get() }>) {
		let owner = funded::<T>("owner", 0);
		let id = create::<T>(&owner, 1, SubmissionMode::Open);
		let parents = parent_submissions::<T>(id, p);
		let author = funded::<T>("author", 0);
		let d = digest_of(0xaa, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(author), id, claim_of(d), parents, None);

		assert!(SubmittedDigests::<T>::contains_key(id, d));
	}

	#[benchmark]
	fn commit_submission(p: Linear<0, { T::MaxParents::get() }>) {
		let owner = funded::<T>("owner", 0);
		let id = create::<T>(&owner, 1, SubmissionMode::Sealed);
		// Parents in a sealed challenge are commitments by others.
		let parents: Vec<SubmissionId> = (0..p)
			.map(|i| {
				let author = funded::<T>("parent", i);
				let sid = NextSubmissionId::<T>::get();
				Pallet::<T>::commit_submission(
					RawOrigin::Signed(author).into(),
					id,
					H256::repeat_byte(i as u8 + 1),
					Vec::new(),
					None,
				)
				.expect("parent commitment");
				sid
			})
			.collect();
		let author = funded::<T>("author", 0);
		let commitment = H256::repeat_byte(0xcc);

		#[extrinsic_call]
		_(RawOrigin::Signed(author), id, commitment, parents, None);

		assert!(SealedCommitments::<T>::contains_key(id, commitment));
	}

	#[benchmark]
	fn reveal_submission() {
		let owner = funded::<T>("owner", 0);
		let id = create::<T>(&owner, 1, SubmissionMode::Sealed);
		let author = funded::<T>("author", 0);
		let d = digest_of(0xaa, 0);
		let salt = vec![7u8; T::MaxSaltLength::get() as usize];
		let sid = NextSubmissionId::<T>::get();
		Pallet::<T>::commit_submission(
			RawOrigin::Signed(author.clone()).into(),
			id,
			Pallet::<T>::submission_commitment(&d, &salt, &author),
			Vec::new(),
			None,
		)
		.expect("commitment");
		T::Artifacts::register_for_benchmark(&author, d, ArtifactKind::Predictions);
		let open_until = ChallengeSpecs::<T>::get(id).unwrap().schedule.open_until;
		advance_to::<T>(open_until);
		Pallet::<T>::on_initialize(open_until);

		#[extrinsic_call]
		_(RawOrigin::Signed(author), sid, claim_of(d), salt);

		assert_eq!(SubmittedDigests::<T>::get(id, d), Some(sid));
	}

	#[benchmark]
	fn reveal_labels() {
		let owner = funded::<T>("owner", 0);
		let id = create::<T>(&owner, 1, SubmissionMode::Open);
		T::Artifacts::register_for_benchmark(&owner, labels_digest(), ArtifactKind::Labels);
		let open_until = ChallengeSpecs::<T>::get(id).unwrap().schedule.open_until;
		advance_to::<T>(open_until);
		Pallet::<T>::on_initialize(open_until);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id, claim_of(labels_digest()), SALT.to_vec());

		assert_eq!(ChallengeStatuses::<T>::get(id).unwrap().state, ChallengeState::LabelsRevealed);
	}

	/// A scored submission's deposit comes back (both subsets' outcomes are read).
	#[benchmark]
	fn settle_deposit() {
		let owner = funded::<T>("owner", 0);
		let id = create::<T>(&owner, 1, SubmissionMode::Open);
		let author = funded::<T>("author", 0);
		let d = digest_of(0xaa, 0);
		T::Artifacts::register_for_benchmark(&author, d, ArtifactKind::Predictions);
		let sid = NextSubmissionId::<T>::get();
		Pallet::<T>::submit(RawOrigin::Signed(author.clone()).into(), id, claim_of(d), Vec::new(), None)
			.expect("submits");
		<T::Outcomes as merit_primitives::OutcomeInspect<T::AccountId>>::set_final_outcome_for_benchmark(
			sid,
			merit_primitives::Subset::Private,
			merit_primitives::Outcome::Scored(Default::default()),
		);

		#[extrinsic_call]
		_(RawOrigin::Signed(author), sid);

		assert!(!SubmissionDeposits::<T>::contains_key(sid));
	}

	/// `n` of the caller's submissions marked, over an earlier selection.
	#[benchmark]
	fn select_final(n: Linear<0, { T::MaxFinalSelections::get() }>) {
		let owner = funded::<T>("owner", 0);
		let id = create::<T>(&owner, 1, SubmissionMode::Open);
		let author = funded::<T>("author", 0);
		let marked: Vec<SubmissionId> = (0..T::MaxFinalSelections::get())
			.map(|i| {
				let d = digest_of(0xaa, i);
				T::Artifacts::register_for_benchmark(&author, d, ArtifactKind::Predictions);
				let sid = NextSubmissionId::<T>::get();
				Pallet::<T>::submit(RawOrigin::Signed(author.clone()).into(), id, claim_of(d), Vec::new(), None)
					.expect("submits");
				sid
			})
			.collect();
		Pallet::<T>::select_final(RawOrigin::Signed(author.clone()).into(), id, marked.clone())
			.expect("a first selection");
		let chosen: Vec<SubmissionId> = marked.iter().rev().take(n as usize).copied().collect();

		#[extrinsic_call]
		_(RawOrigin::Signed(author.clone()), id, chosen.clone());

		assert_eq!(FinalSelections::<T>::get(id, &author).into_inner(), chosen);
	}

	#[benchmark]
	fn on_initialize(
		c: Linear<0, { T::MaxScheduledPerBlock::get() }>,
		e: Linear<0, { T::MaxScheduledPerBlock::get() }>,
	) {
		let owner = funded::<T>("owner", 0);
		let now = frame_system::Pallet::<T>::block_number();
		let target = now + 10u32.into();
		// `c` challenges close at `target`; `e` others (already closed, each with a participant)
		// hit their reveal deadline there too.
		let mut expiring = Vec::new();
		for i in 0..e {
			let mut p = params::<T>(&owner, 1, 1, SubmissionMode::Open);
			p.schedule = Schedule { open_until: now + 1u32.into(), reveal_deadline: target };
			p.teams.merge_until = p.schedule.open_until;
			let id = NextChallengeId::<T>::get();
			Pallet::<T>::create_challenge(RawOrigin::Signed(owner.clone()).into(), p).expect("expiring");
			let author = funded::<T>("expiring-author", i);
			let d = digest_of(0xee, i);
			T::Artifacts::register_for_benchmark(&author, d, ArtifactKind::Predictions);
			Pallet::<T>::submit(RawOrigin::Signed(author).into(), id, claim_of(d), Vec::new(), None).expect("submits");
			expiring.push(id);
		}
		Pallet::<T>::on_initialize(now + 1u32.into());
		let mut closing = Vec::new();
		for _ in 0..c {
			let mut p = params::<T>(&owner, 1, 1, SubmissionMode::Open);
			p.schedule = Schedule { open_until: target, reveal_deadline: target + 10u32.into() };
			closing.push(NextChallengeId::<T>::get());
			Pallet::<T>::create_challenge(RawOrigin::Signed(owner.clone()).into(), p).expect("closing");
		}
		advance_to::<T>(target);

		#[block]
		{
			Pallet::<T>::on_initialize(target);
		}

		for id in closing {
			assert_eq!(ChallengeStatuses::<T>::get(id).unwrap().state, ChallengeState::Closed);
		}
		for id in expiring {
			assert_eq!(
				ChallengeStatuses::<T>::get(id).unwrap().state,
				ChallengeState::Cancelled(CancelReason::MissedLabelsReveal)
			);
		}
	}
}
