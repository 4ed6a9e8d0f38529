//! Benchmarks (frame-benchmarking v2) for the artifacts pallet's calls, worst cases first.
use super::*;
use alloc::vec::Vec;
use frame_support::traits::{fungible::Mutate, Get};
use polkadot_sdk::{frame_benchmarking::v2::*, frame_system::RawOrigin};
use sp_runtime::traits::Bounded;

fn funded<T: Config>(name: &'static str) -> T::AccountId
where
	T::Currency: Mutate<T::AccountId>,
{
	let who: T::AccountId = account(name, 0, 0);
	T::Currency::set_balance(&who, BalanceOf::<T>::max_value() / 4u32.into());
	who
}

fn digest_of(n: u32) -> Digest {
	let mut bytes = [0xabu8; 32];
	bytes[..4].copy_from_slice(&n.to_le_bytes());
	Digest::from(bytes)
}

/// A URI and license of the maximum length, the worst case for the deposit and storage.
fn longest_uri<T: Config>() -> Vec<u8> {
	let mut uri = b"https://".to_vec();
	uri.resize(T::MaxUriLength::get() as usize, b'a');
	uri
}

fn longest_license<T: Config>() -> Vec<u8> {
	alloc::vec![b'A'; T::MaxLicenseLength::get() as usize]
}

/// Registers `count` parent artifacts owned by `owner`.
fn parents<T: Config>(owner: &T::AccountId, count: u32) -> Vec<Digest> {
	(0..count)
		.map(|i| {
			let d = digest_of(1_000 + i);
			Pallet::<T>::register(
				RawOrigin::Signed(owner.clone()).into(),
				d,
				ArtifactKind::Dataset,
				1,
				b"https://p".to_vec(),
				b"MIT".to_vec(),
				Vec::new(),
			)
			.expect("parent registers");
			d
		})
		.collect()
}

#[benchmarks(where T::Currency: Mutate<T::AccountId>)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register(p: Linear<0, { T::MaxParents::get() }>) {
		let owner = funded::<T>("owner");
		let parents = parents::<T>(&owner, p);
		let digest = digest_of(1);

		#[extrinsic_call]
		_(
			RawOrigin::Signed(owner.clone()),
			digest,
			ArtifactKind::Predictions,
			u64::MAX,
			longest_uri::<T>(),
			longest_license::<T>(),
			parents,
		);

		assert!(Artifacts::<T>::contains_key(digest));
	}

	#[benchmark]
	fn remove(p: Linear<0, { T::MaxParents::get() }>) {
		let owner = funded::<T>("owner");
		let parents = parents::<T>(&owner, p);
		let digest = digest_of(1);
		Pallet::<T>::register(
			RawOrigin::Signed(owner.clone()).into(),
			digest,
			ArtifactKind::Predictions,
			1,
			longest_uri::<T>(),
			longest_license::<T>(),
			parents,
		)
		.expect("artifact registers");

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), digest);

		assert!(!Artifacts::<T>::contains_key(digest));
	}

	/// The worst claim: a squatter's registration with the most parents is taken over.
	#[benchmark]
	fn claim() {
		let squatter = funded::<T>("squatter");
		let claimant = funded::<T>("claimant");
		let parents = parents::<T>(&squatter, T::MaxParents::get());
		let digest = digest_of(1);
		Pallet::<T>::register(
			RawOrigin::Signed(squatter.clone()).into(),
			digest,
			ArtifactKind::Dataset,
			1,
			longest_uri::<T>(),
			longest_license::<T>(),
			parents,
		)
		.expect("the squatter registers");
		let squatted =
			ArtifactClaim { digest, size: u64::MAX, uri: longest_uri::<T>(), license: longest_license::<T>() };
		let committed_at = frame_system::Pallet::<T>::block_number();

		#[block]
		{
			Pallet::<T>::do_claim(&claimant, ArtifactKind::Labels, squatted, Some(committed_at)).expect("claims");
		}

		assert_eq!(Artifacts::<T>::get(digest).map(|info| info.owner), Some(claimant));
	}
}
