//! Storage migrations.
//!
//! - v0 → v1 ([`v1::MigrateToV1`]): one `Challenges` record per challenge, rewritten on every
//!   payment, became an immutable [`ChallengeSpecs`] entry, a small [`ChallengeStatuses`] entry and a
//!   cold [`Descriptions`] entry, and the [`LiveChallenges`] index was added. The pool's fields
//!   (`held`, `reward_shares`, `refund_per_participant`) left this pallet for the rewards pallet,
//!   which holds the money since v1. Moving them crosses pallets, so the runtime does it
//!   (`merit_runtime::migrations::MovePoolsToRewards`, which reads [`v0`] and must run before this
//!   migration drains it); `runtime/tests/migrations.rs` runs both on a v0 state.
//! - v1 → v2 ([`v2::MigrateToV2`]): a challenge pins its training data and description only while
//!   it lives; the pins of challenges that already ended (finalized, or cancelled at the reveal
//!   deadline) are released, so their owners can remove those artifacts.
//! - v2 → v3 ([`v3::MigrateToV3`]): a challenge's spec gains `final_selections`, `teams` and
//!   `previous_phase`; challenges published before have none of them (0 selections: every
//!   submission ranks on the private board; teams of one; a single phase), the rules their
//!   participants entered under.
//! - v3 → v4 ([`v4::MigrateToV4`]): [`RevealedCounts`], each challenge's submissions that hold their
//!   digest, counted from its submissions (what the paged prize count waits for).
use crate::{pallet::*, types::*};
use frame_support::{
	migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade, weights::Weight,
};
use frame_system::pallet_prelude::BlockNumberFor;
use polkadot_sdk::{frame_support, frame_system, sp_core::H256, sp_runtime::Perbill};

/// The v0 layout, kept only to read it.
pub mod v0 {
	use super::*;

	/// A challenge as v0 stored it.
	#[derive(Encode, Decode, TypeInfo)]
	#[scale_info(skip_type_params(T))]
	pub struct Challenge<T: Config> {
		pub owner: T::AccountId,
		pub title: BoundedVec<u8, T::MaxTitleLength>,
		pub description: Description<T>,
		pub training_data: BoundedVec<Digest, T::MaxTrainingArtifacts>,
		pub metric: Metric,
		pub labels_commitment: H256,
		pub public_share: Perbill,
		pub schedule: Schedule<BlockNumberFor<T>>,
		pub limits: SubmissionLimits,
		pub reward_shares: BoundedVec<Perbill, T::MaxWinners>,
		pub quorum: u32,
		pub prize_pool: BalanceOf<T>,
		pub held: BalanceOf<T>,
		pub mode: SubmissionMode,
		pub state: ChallengeState,
		pub created_at: BlockNumberFor<T>,
		pub participants: u32,
		pub refund_per_participant: BalanceOf<T>,
		pub labels: Option<RevealedLabels<T>>,
	}

	/// v0's single challenge map.
	#[frame_support::storage_alias]
	pub type Challenges<T: Config> = StorageMap<Pallet<T>, Twox64Concat, ChallengeId, Challenge<T>>;

	/// A participation as v0 stored it (with the refund flag the rewards pallet now keeps).
	#[derive(Encode, Decode, TypeInfo)]
	pub struct Participation {
		pub total: u32,
		pub day: u32,
		pub today: u32,
		pub refund_claimed: bool,
	}
}

pub mod v1 {
	use super::*;

	/// Splits every v0 challenge record into spec, status and description, builds the live
	/// index, and drops the refund flag from participations.
	pub struct UncheckedMigrateToV1<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for UncheckedMigrateToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut reads = 0u64;
			let mut writes = 0u64;
			for (id, old) in v0::Challenges::<T>::drain() {
				reads += 1;
				writes += 4;
				v2::ChallengeSpecs::<T>::insert(
					id,
					v2::ChallengeSpec {
						owner: old.owner,
						title: old.title,
						training_data: old.training_data,
						metric: old.metric,
						labels_commitment: old.labels_commitment,
						public_share: old.public_share,
						schedule: old.schedule,
						limits: old.limits,
						quorum: old.quorum,
						prize_pool: old.prize_pool,
						mode: old.mode,
						created_at: old.created_at,
					},
				);
				ChallengeStatuses::<T>::insert(
					id,
					ChallengeStatus { state: old.state, participants: old.participants, labels: old.labels },
				);
				Descriptions::<T>::insert(id, old.description);
				if old.state.is_live() {
					LiveChallenges::<T>::insert(id, ());
					writes += 1;
				}
			}
			Participations::<T>::translate::<v0::Participation, _>(|_, _, old| {
				reads += 1;
				writes += 1;
				Some(Participation { total: old.total, day: old.day, today: old.today })
			});
			T::DbWeight::get().reads_writes(reads, writes)
		}
	}

	/// [`UncheckedMigrateToV1`], run only on a chain at storage version 0, which it sets to 1.
	pub type MigrateToV1<T> =
		VersionedMigration<0, 1, UncheckedMigrateToV1<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;
}

pub mod v2 {
	use super::*;

	/// A challenge's spec as v1 and v2 stored it (before final selections).
	#[derive(Encode, Decode, TypeInfo)]
	#[scale_info(skip_type_params(T))]
	pub struct ChallengeSpec<T: Config> {
		pub owner: T::AccountId,
		pub title: BoundedVec<u8, T::MaxTitleLength>,
		pub training_data: BoundedVec<Digest, T::MaxTrainingArtifacts>,
		pub metric: Metric,
		pub labels_commitment: H256,
		pub public_share: Perbill,
		pub schedule: Schedule<BlockNumberFor<T>>,
		pub limits: SubmissionLimits,
		pub quorum: u32,
		pub prize_pool: BalanceOf<T>,
		pub mode: SubmissionMode,
		pub created_at: BlockNumberFor<T>,
	}

	/// v1's and v2's spec map.
	#[frame_support::storage_alias]
	pub type ChallengeSpecs<T: Config> = StorageMap<Pallet<T>, Twox64Concat, ChallengeId, ChallengeSpec<T>>;

	/// Unpins the training data and description of every challenge that has ended.
	pub struct UncheckedMigrateToV2<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for UncheckedMigrateToV2<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut reads = 0u64;
			let mut writes = 0u64;
			for (id, status) in ChallengeStatuses::<T>::iter() {
				reads += 1;
				if !matches!(
					status.state,
					ChallengeState::Finalized | ChallengeState::Cancelled(CancelReason::MissedLabelsReveal)
				) {
					continue;
				}
				reads += 2;
				// The spec is read in its v2 layout: v3 translates it later in the same upgrade.
				let (Some(spec), Some(description)) = (ChallengeSpecs::<T>::get(id), Descriptions::<T>::get(id)) else {
					continue;
				};
				let mut pinned = spec.training_data.into_inner();
				if let Description::Artifact(digest) = description {
					pinned.push(digest);
				}
				for digest in pinned.iter() {
					<T::Artifacts as merit_primitives::ArtifactRegistry<_, _>>::remove_reference(digest);
				}
				writes += pinned.len() as u64;
			}
			T::DbWeight::get().reads_writes(reads.saturating_add(writes), writes)
		}
	}

	/// [`UncheckedMigrateToV2`], run only on a chain at storage version 1, which it sets to 2.
	pub type MigrateToV2<T> =
		VersionedMigration<1, 2, UncheckedMigrateToV2<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;
}

pub mod v3 {
	use super::*;

	/// Gives every challenge's spec `final_selections: 0` and teams of one.
	pub struct UncheckedMigrateToV3<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for UncheckedMigrateToV3<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut migrated = 0u64;
			ChallengeSpecs::<T>::translate::<v2::ChallengeSpec<T>, _>(|_, old| {
				migrated += 1;
				Some(ChallengeSpec {
					owner: old.owner,
					title: old.title,
					training_data: old.training_data,
					metric: old.metric,
					labels_commitment: old.labels_commitment,
					public_share: old.public_share,
					schedule: old.schedule,
					limits: old.limits,
					quorum: old.quorum,
					prize_pool: old.prize_pool,
					mode: old.mode,
					created_at: old.created_at,
					final_selections: 0,
					teams: TeamRules { max_size: 1, merge_until: old.schedule.open_until },
					previous_phase: None,
				})
			});
			T::DbWeight::get().reads_writes(migrated, migrated)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, polkadot_sdk::sp_runtime::TryRuntimeError> {
			Ok((v2::ChallengeSpecs::<T>::iter_keys().count() as u32).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			let before = u32::decode(&mut &state[..]).map_err(|_| "the pre-upgrade count does not decode")?;
			ensure!(ChallengeSpecs::<T>::iter().count() as u32 == before, "a challenge spec was lost");
			ensure!(
				ChallengeSpecs::<T>::iter_values().all(|spec| spec.final_selections == 0 && spec.teams.max_size == 1),
				"a migrated challenge has final selections or teams"
			);
			Ok(())
		}
	}

	/// [`UncheckedMigrateToV3`], run only on a chain at storage version 2, which it sets to 3.
	pub type MigrateToV3<T> =
		VersionedMigration<2, 3, UncheckedMigrateToV3<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;
}

/// v3 → v4: each challenge's count of submissions that hold their digest.
pub mod v4 {
	use super::*;

	/// Counts every challenge's revealed (not superseded) submissions into [`RevealedCounts`].
	pub struct UncheckedMigrateToV4<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for UncheckedMigrateToV4<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut reads = 0u64;
			let mut writes = 0u64;
			for (challenge, submissions) in ChallengeSubmissions::<T>::iter() {
				reads += 1;
				let mut revealed = 0u32;
				for submission in submissions {
					reads += 1;
					if Submissions::<T>::get(submission).is_some_and(|record| record.content.revealed().is_some()) {
						revealed = revealed.saturating_add(1);
					}
				}
				RevealedCounts::<T>::insert(challenge, revealed);
				writes += 1;
			}
			T::DbWeight::get().reads_writes(reads, writes)
		}
	}

	/// [`UncheckedMigrateToV4`], run only on a chain at storage version 3, which it sets to 4.
	pub type MigrateToV4<T> =
		VersionedMigration<3, 4, UncheckedMigrateToV4<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;
}
