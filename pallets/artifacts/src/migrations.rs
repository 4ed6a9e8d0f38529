//! Storage migrations of the artifacts pallet.
//!
//! Storage version history:
//! - 0: [`crate::Artifacts`] by digest; registering pinned every parent (one reference each).
//! - 1: the same layout, but parents are provenance and pin nothing, so anyone naming your
//!   artifact as a parent can no longer keep you from removing it. [`v1::MigrateToV1`] takes the
//!   parents' pins out of every reference count.

use crate::pallet::*;
use alloc::collections::btree_map::BTreeMap;
use frame_support::{
	migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade, weights::Weight,
};
use merit_primitives::Digest;
use polkadot_sdk::{frame_support, frame_system};

pub mod v1 {
	use super::*;

	/// Subtracts from each artifact's reference count one per registered child naming it.
	pub struct UncheckedMigrateToV1<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for UncheckedMigrateToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut children: BTreeMap<Digest, u32> = BTreeMap::new();
			let mut reads = 0u64;
			for (_, info) in Artifacts::<T>::iter() {
				reads += 1;
				for parent in info.parents.iter() {
					*children.entry(*parent).or_default() += 1;
				}
			}
			let writes = children.len() as u64;
			for (parent, count) in children {
				Artifacts::<T>::mutate(parent, |info| {
					if let Some(info) = info {
						info.references = info.references.saturating_sub(count);
					}
				});
			}
			T::DbWeight::get().reads_writes(reads.saturating_add(writes), writes)
		}

		/// The total of reference counts and of parent links before the migration.
		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, polkadot_sdk::sp_runtime::TryRuntimeError> {
			let (mut references, mut links) = (0u64, 0u64);
			for (_, info) in Artifacts::<T>::iter() {
				references += u64::from(info.references);
				links += info.parents.len() as u64;
			}
			Ok((references, links).encode())
		}

		/// Exactly the parents' pins left the counts (none had fewer than its children).
		#[cfg(feature = "try-runtime")]
		fn post_upgrade(before: alloc::vec::Vec<u8>) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			let (references, links) =
				<(u64, u64)>::decode(&mut &before[..]).map_err(|_| "the reference totals do not decode")?;
			let after: u64 = Artifacts::<T>::iter().map(|(_, info)| u64::from(info.references)).sum();
			ensure!(after == references.saturating_sub(links), "the v0 -> v1 migration removed other pins");
			Ok(())
		}
	}

	/// [`UncheckedMigrateToV1`], run only on a chain at storage version 0, which it sets to 1.
	pub type MigrateToV1<T> =
		VersionedMigration<0, 1, UncheckedMigrateToV1<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;
}
