//! # Artifacts
//!
//! A registry of content-addressed research artifacts. An artifact is named by the sha256 of its
//! bytes, so anyone who fetches it from its URI can check they got exactly what was registered.
//! The chain records who registered it and when, which gives priority: the block that first
//! recorded a digest.
//!
//! Registering holds a storage deposit from the owner, proportional to the bytes stored; removing
//! the artifact releases it. Other pallets pin artifacts they refer to (a live challenge's data, a
//! submission's predictions, revealed labels, a review's report) through [`ArtifactRegistry`], and
//! a pinned artifact cannot be removed. Naming a parent records provenance and pins nothing: if
//! it did, anyone could lock anyone's deposit for good by registering a child of their artifact.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod weights;

pub mod migrations;

pub use merit_primitives::{ArtifactClaim, ArtifactKind, ArtifactLocation, ArtifactRegistry, Digest};
use polkadot_sdk::{frame_support, frame_system, sp_runtime};

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Inspect, InspectHold, MutateHold},
			tokens::Precision,
		},
	};
	use frame_system::pallet_prelude::*;
	use alloc::vec::Vec;
	use sp_runtime::traits::Saturating;
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	use sp_runtime::traits::Zero;

	/// The balance type of the currency deposits are held in.
	pub type BalanceOf<T> =
		<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

	/// Where an artifact can be fetched: an http, https or ipfs URI.
	pub type UriOf<T> = BoundedVec<u8, <T as Config>::MaxUriLength>;
	/// An SPDX license identifier such as `CC-BY-4.0` or `MIT`.
	pub type LicenseOf<T> = BoundedVec<u8, <T as Config>::MaxLicenseLength>;
	/// The artifacts this one was derived from.
	pub type ParentsOf<T> = BoundedVec<Digest, <T as Config>::MaxParents>;

	/// What the chain knows about one artifact.
	#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
	#[scale_info(skip_type_params(T))]
	pub struct ArtifactInfo<T: Config> {
		/// Who registered it and holds its deposit.
		pub owner: T::AccountId,
		/// What it is.
		pub kind: ArtifactKind,
		/// Its size in bytes, so a fetcher can refuse oversized downloads early.
		pub size: u64,
		/// Where to fetch it.
		pub uri: UriOf<T>,
		/// Its SPDX license id.
		pub license: LicenseOf<T>,
		/// The artifacts it was derived from.
		pub parents: ParentsOf<T>,
		/// The block that registered it: its priority.
		pub registered_at: BlockNumberFor<T>,
		/// The deposit held from the owner.
		pub deposit: BalanceOf<T>,
		/// How many records of other pallets pin it; it can only be removed at zero.
		pub references: u32,
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The storage deposit of a registered artifact.
		#[codec(index = 0)]
		StorageDeposit,
	}

	/// The in-code storage version (see [`crate::migrations`]): 1 stopped parents from pinning.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency deposits are held in.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ InspectHold<Self::AccountId>
			+ frame_support::traits::fungible::Mutate<Self::AccountId>;
		/// The runtime's hold reasons, which include this pallet's.
		type RuntimeHoldReason: From<HoldReason>;
		/// The deposit for any artifact.
		#[pallet::constant]
		type DepositBase: Get<BalanceOf<Self>>;
		/// The deposit per byte of URI, license and parent list.
		#[pallet::constant]
		type DepositPerByte: Get<BalanceOf<Self>>;
		/// The longest URI accepted.
		#[pallet::constant]
		type MaxUriLength: Get<u32>;
		/// The longest license id accepted.
		#[pallet::constant]
		type MaxLicenseLength: Get<u32>;
		/// The most parents an artifact may name.
		#[pallet::constant]
		type MaxParents: Get<u32>;
		/// Weights of the calls, from this pallet's benchmarks.
		type WeightInfo: WeightInfo;
	}

	/// Every registered artifact, by digest.
	#[pallet::storage]
	pub type Artifacts<T: Config> = StorageMap<_, Blake2_128Concat, Digest, ArtifactInfo<T>>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An artifact was registered and its deposit held.
		Registered { digest: Digest, owner: T::AccountId, kind: ArtifactKind, deposit: BalanceOf<T> },
		/// An artifact was removed and its deposit released.
		Removed { digest: Digest, owner: T::AccountId, deposit: BalanceOf<T> },
		/// A call that proved earlier knowledge of the bytes (a commitment) took over a later
		/// registration of the same digest: `from` got their deposit back, `to` holds it now.
		Reclaimed { digest: Digest, from: T::AccountId, to: T::AccountId, kind: ArtifactKind, deposit: BalanceOf<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// An artifact with this digest is already registered (the earlier registration has priority).
		AlreadyRegistered,
		/// No artifact with this digest is registered.
		UnknownArtifact,
		/// A named parent artifact is not registered.
		UnknownParent,
		/// A parent is named twice, or the artifact names itself.
		DuplicateParent,
		/// Only the artifact's owner may do this.
		NotOwner,
		/// Other artifacts or records still refer to this artifact.
		StillReferenced,
		/// The URI is longer than `MaxUriLength`.
		UriTooLong,
		/// The URI does not start with http://, https:// or ipfs://, has nothing after the scheme,
		/// or contains whitespace or control characters.
		InvalidUri,
		/// The license id is longer than `MaxLicenseLength`.
		LicenseTooLong,
		/// The license id is empty or has characters SPDX ids do not use.
		InvalidLicense,
		/// More than `MaxParents` parents.
		TooManyParents,
		/// An artifact must have at least one byte.
		EmptyArtifact,
		/// The owner cannot afford the deposit.
		InsufficientBalanceForDeposit,
		/// A reference count would overflow.
		TooManyReferences,
		/// Another account registered this digest and the claim has no earlier commitment to it.
		RegisteredByAnother,
		/// The digest is registered (by the claimant, or before their commitment) as another kind.
		ClaimedKindDiffers,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Registers an artifact by the sha256 `digest` of its bytes and holds the deposit.
		///
		/// - Origin: signed, the owner, who pays the deposit.
		/// - Effects: stores the artifact, holds `DepositBase + DepositPerByte × bytes stored`.
		///   Parents must be registered now; they are provenance and are not pinned.
		/// - Events: [`Event::Registered`].
		/// - Errors: [`Error::AlreadyRegistered`], [`Error::EmptyArtifact`], [`Error::UriTooLong`],
		///   [`Error::InvalidUri`], [`Error::LicenseTooLong`], [`Error::InvalidLicense`],
		///   [`Error::TooManyParents`], [`Error::DuplicateParent`], [`Error::UnknownParent`],
		///   [`Error::InsufficientBalanceForDeposit`], [`Error::TooManyReferences`].
		/// - Complexity: O(p²) in p parents (duplicate check), p ≤ `MaxParents`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register(parents.len() as u32))]
		pub fn register(
			origin: OriginFor<T>,
			digest: Digest,
			kind: ArtifactKind,
			size: u64,
			uri: Vec<u8>,
			license: Vec<u8>,
			parents: Vec<Digest>,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			ensure!(!Artifacts::<T>::contains_key(digest), Error::<T>::AlreadyRegistered);
			Self::do_register(owner, digest, kind, size, uri, license, parents, 0)
		}

		/// Removes an artifact nothing refers to and releases its deposit to the owner.
		///
		/// - Origin: signed, the artifact's owner.
		/// - Effects: removes the artifact and releases its deposit (children that name it keep
		///   its digest as their provenance).
		/// - Events: [`Event::Removed`].
		/// - Errors: [`Error::UnknownArtifact`], [`Error::NotOwner`], [`Error::StillReferenced`].
		/// - Complexity: O(p) in p parents.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::remove(T::MaxParents::get()))]
		pub fn remove(origin: OriginFor<T>, digest: Digest) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let info = Artifacts::<T>::get(digest).ok_or(Error::<T>::UnknownArtifact)?;
			ensure!(info.owner == who, Error::<T>::NotOwner);
			ensure!(info.references == 0, Error::<T>::StillReferenced);

			T::Currency::release(&HoldReason::StorageDeposit.into(), &who, info.deposit, Precision::Exact)?;
			Artifacts::<T>::remove(digest);
			Self::deposit_event(Event::Removed { digest, owner: who, deposit: info.deposit });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// Checks and stores a new registration of `digest` (which must be free), holding its
		/// deposit from `owner`; `references` carries over the pins of a registration it replaces.
		#[allow(clippy::too_many_arguments)]
		fn do_register(
			owner: T::AccountId,
			digest: Digest,
			kind: ArtifactKind,
			size: u64,
			uri: Vec<u8>,
			license: Vec<u8>,
			parents: Vec<Digest>,
			references: u32,
		) -> DispatchResult {
			ensure!(size > 0, Error::<T>::EmptyArtifact);
			let uri = Self::checked_uri(uri)?;
			let license = Self::checked_license(license)?;
			let parents = Self::checked_parents(&digest, parents)?;

			let deposit = Self::deposit_for(&uri, &license, &parents);
			T::Currency::hold(&HoldReason::StorageDeposit.into(), &owner, deposit)
				.map_err(|_| Error::<T>::InsufficientBalanceForDeposit)?;

			Artifacts::<T>::insert(
				digest,
				ArtifactInfo {
					owner: owner.clone(),
					kind,
					size,
					uri,
					license,
					parents,
					registered_at: frame_system::Pallet::<T>::block_number(),
					deposit,
					references,
				},
			);
			Self::deposit_event(Event::Registered { digest, owner, kind, deposit });
			Ok(())
		}

		/// The registry's side of [`ArtifactRegistry::claim`].
		pub fn do_claim(
			owner: &T::AccountId,
			kind: ArtifactKind,
			claim: ArtifactClaim,
			committed_at: Option<BlockNumberFor<T>>,
		) -> DispatchResult {
			let ArtifactClaim { digest, size, uri, license } = claim;
			let Some(existing) = Artifacts::<T>::get(digest) else {
				return Self::do_register(owner.clone(), digest, kind, size, uri, license, Vec::new(), 0);
			};
			if &existing.owner == owner {
				ensure!(existing.kind == kind, Error::<T>::ClaimedKindDiffers);
				return Ok(());
			}
			let committed_at = committed_at.ok_or(Error::<T>::RegisteredByAnother)?;
			if existing.registered_at < committed_at {
				ensure!(existing.kind == kind, Error::<T>::ClaimedKindDiffers);
				return Ok(());
			}
			// A squatter's registration: they get their deposit back and lose the digest. A claim
			// that fails the new registration's checks fails the whole call, whose storage
			// transaction then undoes the release.
			T::Currency::release(
				&HoldReason::StorageDeposit.into(),
				&existing.owner,
				existing.deposit,
				Precision::Exact,
			)?;
			Artifacts::<T>::remove(digest);
			Self::do_register(owner.clone(), digest, kind, size, uri, license, Vec::new(), existing.references)?;
			let deposit = Artifacts::<T>::get(digest).map(|info| info.deposit).unwrap_or_default();
			Self::deposit_event(Event::Reclaimed { digest, from: existing.owner, to: owner.clone(), kind, deposit });
			Ok(())
		}

		/// The deposit for an artifact: a base plus a price per stored byte.
		pub fn deposit_for(uri: &UriOf<T>, license: &LicenseOf<T>, parents: &ParentsOf<T>) -> BalanceOf<T> {
			let bytes = uri.len().saturating_add(license.len()).saturating_add(parents.len().saturating_mul(32));
			let bytes: BalanceOf<T> = (bytes as u32).into();
			T::DepositBase::get().saturating_add(T::DepositPerByte::get().saturating_mul(bytes))
		}

		fn checked_uri(uri: Vec<u8>) -> Result<UriOf<T>, Error<T>> {
			let uri: UriOf<T> = uri.try_into().map_err(|_| Error::<T>::UriTooLong)?;
			let rest = [&b"https://"[..], b"http://", b"ipfs://"]
				.iter()
				.find_map(|scheme| uri.strip_prefix(*scheme))
				.ok_or(Error::<T>::InvalidUri)?;
			ensure!(!rest.is_empty(), Error::<T>::InvalidUri);
			ensure!(rest.iter().all(|b| b.is_ascii_graphic()), Error::<T>::InvalidUri);
			Ok(uri)
		}

		fn checked_license(license: Vec<u8>) -> Result<LicenseOf<T>, Error<T>> {
			let license: LicenseOf<T> = license.try_into().map_err(|_| Error::<T>::LicenseTooLong)?;
			ensure!(!license.is_empty(), Error::<T>::InvalidLicense);
			ensure!(
				license.iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'+')),
				Error::<T>::InvalidLicense
			);
			Ok(license)
		}

		fn checked_parents(digest: &Digest, parents: Vec<Digest>) -> Result<ParentsOf<T>, Error<T>> {
			let parents: ParentsOf<T> = parents.try_into().map_err(|_| Error::<T>::TooManyParents)?;
			for (i, parent) in parents.iter().enumerate() {
				ensure!(parent != digest && !parents[..i].contains(parent), Error::<T>::DuplicateParent);
				ensure!(Artifacts::<T>::contains_key(parent), Error::<T>::UnknownParent);
			}
			Ok(parents)
		}

		fn pin(digest: &Digest) -> DispatchResult {
			Artifacts::<T>::try_mutate(digest, |info| {
				let info = info.as_mut().ok_or(Error::<T>::UnknownArtifact)?;
				info.references = info.references.checked_add(1).ok_or(Error::<T>::TooManyReferences)?;
				Ok(())
			})
		}

		fn unpin(digest: &Digest) {
			Artifacts::<T>::mutate(digest, |info| {
				if let Some(info) = info {
					info.references = info.references.saturating_sub(1);
				}
			});
		}

		/// Invariants: every owner's held deposit equals the sum of their artifacts' deposits.
		/// (Pins belong to the pallets that hold them; each checks its own.)
		#[cfg(any(feature = "try-runtime", feature = "std", test))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			use alloc::collections::btree_map::BTreeMap;
			let mut deposits: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
			for (_, info) in Artifacts::<T>::iter() {
				let sum = deposits.entry(info.owner.clone()).or_insert_with(Zero::zero);
				*sum = sum.saturating_add(info.deposit);
			}
			for (owner, sum) in deposits {
				ensure!(
					T::Currency::balance_on_hold(&HoldReason::StorageDeposit.into(), &owner) == sum,
					"held artifact deposits differ from the sum of the owner's artifact deposits"
				);
			}
			Ok(())
		}
	}

	impl<T: Config> ArtifactRegistry<T::AccountId, BlockNumberFor<T>> for Pallet<T> {
		fn artifact(digest: &Digest) -> Option<(T::AccountId, ArtifactKind)> {
			Artifacts::<T>::get(digest).map(|info| (info.owner, info.kind))
		}

		fn location(digest: &Digest) -> Option<ArtifactLocation> {
			Artifacts::<T>::get(digest).map(|info| ArtifactLocation { uri: info.uri.into_inner(), size: info.size })
		}

		fn add_reference(digest: &Digest) -> DispatchResult {
			Self::pin(digest)
		}

		fn remove_reference(digest: &Digest) {
			Self::unpin(digest)
		}

		fn claim(
			owner: &T::AccountId,
			kind: ArtifactKind,
			claim: ArtifactClaim,
			committed_at: Option<BlockNumberFor<T>>,
		) -> DispatchResult {
			Self::do_claim(owner, kind, claim, committed_at)
		}

		fn claim_weight() -> Weight {
			T::WeightInfo::claim()
		}

		#[cfg(feature = "runtime-benchmarks")]
		fn register_for_benchmark(owner: &T::AccountId, digest: Digest, kind: ArtifactKind) {
			use frame_support::traits::fungible::Mutate;
			let uri: UriOf<T> = BoundedVec::truncate_from(b"https://benchmark.invalid/a".to_vec());
			let license: LicenseOf<T> = BoundedVec::truncate_from(b"MIT".to_vec());
			let deposit = Self::deposit_for(&uri, &license, &Default::default());
			let spare = T::Currency::minimum_balance().saturating_add(deposit);
			let _ = T::Currency::mint_into(owner, spare);
			let _ = T::Currency::hold(&HoldReason::StorageDeposit.into(), owner, deposit);
			Artifacts::<T>::insert(
				digest,
				ArtifactInfo {
					owner: owner.clone(),
					kind,
					size: 1,
					uri,
					license,
					parents: Default::default(),
					registered_at: frame_system::Pallet::<T>::block_number(),
					deposit,
					references: 0,
				},
			);
		}
	}
}
