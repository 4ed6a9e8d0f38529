//! Storage migrations of the rewards pallet.
//!
//! Storage version history:
//! - 0: reward terms in their own `Terms` map, set by a second call after creation; the pool was
//!   held by the challenges pallet.
//! - 1: each challenge's [`crate::Pools`] entry holds the pool (under this pallet's hold reason),
//!   its reward shares, its terms (given at creation) and its refunds. No chain ran version 0 with
//!   lasting state (every network so far was a development chain with temporary storage), so no
//!   v0 → v1 migration is shipped; a chain that needs one would move each v0 pool's hold from the
//!   challenges pallet's reason to this pallet's and build `Pools` from the v0 challenge records.
//! - 2: [`RewardTerms`] gained `improvement_step` (an improvement must beat the public best by
//!   more than it). [`v2::MigrateToV2`] rewrites each pool's terms with a zero step, which keeps the
//!   rule those pools were opened under (any strict improvement).
//! - 3: [`RewardTerms`] gained `ladder` (a Ladder public leaderboard). [`v3::MigrateToV3`] rewrites
//!   each pool's terms with `ladder` off, the board they were opened with.

use crate::{pallet::*, types::Pool, BalanceOf};
use frame_support::{
	migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade, weights::Weight, BoundedVec,
};
use merit_primitives::{RewardTerms, Score};
use polkadot_sdk::{frame_support, frame_system, sp_runtime::Perbill};

/// The number of pools, counted by key (their values may still be in an older layout).
#[cfg(feature = "try-runtime")]
fn pool_count<T: Config>() -> alloc::vec::Vec<u8> {
	(crate::Pools::<T>::iter_keys().count() as u32).encode()
}

/// Every pool counted by [`pool_count`] before a step decodes after it (`decoded` of them): none
/// was dropped, or its money would stay held with no pool to account for it.
#[cfg(feature = "try-runtime")]
fn ensure_no_pool_lost(
	before: alloc::vec::Vec<u8>,
	decoded: usize,
	lost: &'static str,
) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
	let before = u32::decode(&mut &before[..]).map_err(|_| "the pool count does not decode")?;
	ensure!(decoded as u32 == before, lost);
	Ok(())
}

/// The layout of version 1, kept only to read it.
pub mod v1 {
	use super::*;

	/// [`RewardTerms`] before `improvement_step`.
	#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Encode, Decode, MaxEncodedLen, TypeInfo)]
	pub struct TermsV1<Balance> {
		pub fork_share: Perbill,
		pub fork_decay: Perbill,
		pub fork_depth: u32,
		pub micro_share: Perbill,
		pub improvement_reward: Balance,
		pub review_reward: Balance,
		pub max_reviews_per_reviewer: u32,
		pub evaluator_fee: Balance,
	}

	impl<Balance> TermsV1<Balance> {
		/// The same terms with a zero step: any strict improvement, the rule they were given under.
		pub fn upgrade(self) -> v2::TermsV2<Balance> {
			v2::TermsV2 {
				fork_share: self.fork_share,
				fork_decay: self.fork_decay,
				fork_depth: self.fork_depth,
				micro_share: self.micro_share,
				improvement_reward: self.improvement_reward,
				review_reward: self.review_reward,
				max_reviews_per_reviewer: self.max_reviews_per_reviewer,
				evaluator_fee: self.evaluator_fee,
				improvement_step: Score::default(),
			}
		}
	}

	/// A pool as version 1 stored it.
	#[derive(Encode, Decode, TypeInfo)]
	#[scale_info(skip_type_params(T))]
	pub struct PoolV1<T: Config> {
		pub owner: T::AccountId,
		pub amount: BalanceOf<T>,
		pub held: BalanceOf<T>,
		pub reward_shares: BoundedVec<Perbill, T::MaxWinners>,
		pub terms: TermsV1<BalanceOf<T>>,
		pub refund_per_participant: Option<BalanceOf<T>>,
	}
}

pub mod v2 {
	use super::*;

	/// [`RewardTerms`] of version 2, before `ladder`.
	#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Encode, Decode, MaxEncodedLen, TypeInfo)]
	pub struct TermsV2<Balance> {
		pub fork_share: Perbill,
		pub fork_decay: Perbill,
		pub fork_depth: u32,
		pub micro_share: Perbill,
		pub improvement_reward: Balance,
		pub review_reward: Balance,
		pub max_reviews_per_reviewer: u32,
		pub evaluator_fee: Balance,
		pub improvement_step: Score,
	}

	impl<Balance> TermsV2<Balance> {
		/// The same terms with the full public board they were given under.
		pub fn upgrade(self) -> RewardTerms<Balance> {
			RewardTerms {
				fork_share: self.fork_share,
				fork_decay: self.fork_decay,
				fork_depth: self.fork_depth,
				micro_share: self.micro_share,
				improvement_reward: self.improvement_reward,
				review_reward: self.review_reward,
				max_reviews_per_reviewer: self.max_reviews_per_reviewer,
				evaluator_fee: self.evaluator_fee,
				improvement_step: self.improvement_step,
				ladder: false,
			}
		}
	}

	/// A pool as version 2 stored it.
	#[derive(Encode, Decode, TypeInfo)]
	#[scale_info(skip_type_params(T))]
	pub struct PoolV2<T: Config> {
		pub owner: T::AccountId,
		pub amount: BalanceOf<T>,
		pub held: BalanceOf<T>,
		pub reward_shares: BoundedVec<Perbill, T::MaxWinners>,
		pub terms: TermsV2<BalanceOf<T>>,
		pub refund_per_scored_submission: Option<BalanceOf<T>>,
	}

	/// The pools in the version 2 layout.
	#[frame_support::storage_alias]
	pub type Pools<T: Config> = StorageMap<Pallet<T>, Twox64Concat, merit_primitives::ChallengeId, PoolV2<T>>;

	/// Rewrites every pool with its terms' `improvement_step` zero.
	pub struct UncheckedMigrateToV2<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for UncheckedMigrateToV2<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut count = 0u64;
			Pools::<T>::translate::<v1::PoolV1<T>, _>(|_, old| {
				count += 1;
				Some(PoolV2 {
					owner: old.owner,
					amount: old.amount,
					held: old.held,
					reward_shares: old.reward_shares,
					terms: old.terms.upgrade(),
					refund_per_scored_submission: old.refund_per_participant,
				})
			});
			T::DbWeight::get().reads_writes(count, count)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, polkadot_sdk::sp_runtime::TryRuntimeError> {
			Ok(pool_count::<T>())
		}

		/// Every pool decodes in the version 2 layout.
		#[cfg(feature = "try-runtime")]
		fn post_upgrade(before: alloc::vec::Vec<u8>) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			ensure_no_pool_lost(before, Pools::<T>::iter().count(), "a pool was lost by the v1 -> v2 migration")
		}
	}

	/// [`UncheckedMigrateToV2`], run only on a chain at storage version 1, which it sets to 2.
	pub type MigrateToV2<T> =
		VersionedMigration<1, 2, UncheckedMigrateToV2<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;
}

pub mod v3 {
	use super::*;

	/// Rewrites every pool with its terms' `ladder` off.
	pub struct UncheckedMigrateToV3<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for UncheckedMigrateToV3<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut count = 0u64;
			crate::Pools::<T>::translate::<v2::PoolV2<T>, _>(|_, old| {
				count += 1;
				Some(Pool {
					owner: old.owner,
					amount: old.amount,
					held: old.held,
					reward_shares: old.reward_shares,
					terms: old.terms.upgrade(),
					refund_per_scored_submission: old.refund_per_scored_submission,
				})
			});
			T::DbWeight::get().reads_writes(count, count)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, polkadot_sdk::sp_runtime::TryRuntimeError> {
			Ok(pool_count::<T>())
		}

		/// Every pool decodes in the current layout.
		#[cfg(feature = "try-runtime")]
		fn post_upgrade(before: alloc::vec::Vec<u8>) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			ensure_no_pool_lost(before, crate::Pools::<T>::iter().count(), "a pool was lost by the v2 -> v3 migration")
		}
	}

	/// [`UncheckedMigrateToV3`], run only on a chain at storage version 2, which it sets to 3.
	pub type MigrateToV3<T> =
		VersionedMigration<2, 3, UncheckedMigrateToV3<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;
}
