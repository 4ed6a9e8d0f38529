//! Migrations that cross pallets, and the runtime's list of migrations.
//!
//! Storage version 1 of the challenges and rewards pallets moved every prize pool from the
//! challenges pallet (which held it under its own hold reason and kept `held`, the reward shares
//! and refunds in the challenge record) to the rewards pallet (one `Pools` entry per challenge,
//! held under the rewards pallet's reason, with the terms that used to be a separate `Terms` map).
//! Neither pallet may read the other's storage, so the move is the runtime's job:
//! [`MovePoolsToRewards`] runs first and reads the v0 records, then the challenges pallet's own
//! v1 migration splits each record into spec, status and description.
use crate::*;
use alloc::vec::Vec;
use codec::{Decode, Encode};
use frame_support::{
	pallet_prelude::*,
	storage_alias,
	traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion},
	weights::Weight,
	Blake2_128Concat, BoundedVec, Twox64Concat,
};
use merit_primitives::{CancelReason, ChallengeId, ChallengeState};
use pallet_merit_challenges::migrations::v0 as challenges_v0;
use pallet_merit_rewards::{Earned, Pool, PoolLedger};

/// Every migration the next runtime upgrade runs, in order. Each checks the on-chain storage
/// version it starts from, so on a chain already at version 1 (every chain built from genesis with
/// this runtime) they only read two version keys.
pub type Migrations = (
	MovePoolsToRewards,
	pallet_merit_challenges::migrations::v1::MigrateToV1<Runtime>,
	// After the challenges' live index exists: it schedules a panel draw for each live challenge.
	pallet_merit_scoring::migrations::v1::MigrateToV1<Runtime>,
	pallet_merit_rewards::migrations::v2::MigrateToV2<Runtime>,
	pallet_merit_rewards::migrations::v3::MigrateToV3<Runtime>,
	pallet_merit_artifacts::migrations::v1::MigrateToV1<Runtime>,
	pallet_merit_challenges::migrations::v2::MigrateToV2<Runtime>,
	pallet_merit_challenges::migrations::v3::MigrateToV3<Runtime>,
	pallet_merit_challenges::migrations::v4::MigrateToV4<Runtime>,
	// After the rewards' Ladder terms exist: a Ladder board releases by them.
	pallet_merit_scoring::migrations::v2::MigrateToV2<Runtime>,
);

/// The pallet index of MeritChallenges and MeritRewards, the first byte of an encoded
/// `RuntimeHoldReason`; each pallet's `PrizePool` reason is its variant 0.
const CHALLENGES_PALLET_INDEX: u8 = 11;
const REWARDS_PALLET_INDEX: u8 = 14;

/// A hold as `pallet_balances` stores it, with the runtime's hold reason kept as its two raw bytes
/// (pallet index, variant): the v0 reason `MeritChallenges::PrizePool` no longer exists in the
/// runtime's enum, so it cannot be decoded as a `RuntimeHoldReason`.
#[derive(Encode, Decode, Clone, Copy, PartialEq, Eq, Debug)]
pub struct RawHold {
	/// `(pallet index, variant index)` of the hold reason.
	pub reason: [u8; 2],
	/// The amount held.
	pub amount: Balance,
}

/// Storage items as v0 laid them out (a storage alias is named after the item it reads).
pub mod v0 {
	use super::*;

	/// `Balances::Holds` read with raw reasons.
	#[storage_alias]
	pub type Holds = StorageMap<Balances, Blake2_128Concat, AccountId, Vec<RawHold>>;

	/// The rewards pallet's v0 terms, set by a second call after creation.
	#[storage_alias]
	pub type Terms =
		StorageMap<MeritRewards, Twox64Concat, ChallengeId, pallet_merit_rewards::migrations::v1::TermsV1<Balance>>;

	/// The rewards pallet's v0 ledger map.
	#[storage_alias]
	pub type Ledger = StorageMap<MeritRewards, Twox64Concat, ChallengeId, PoolLedgerV0>;

	/// The challenges pallet's v0 participations (with the refund flag).
	#[storage_alias]
	pub type Participations = StorageDoubleMap<
		MeritChallenges,
		Twox64Concat,
		ChallengeId,
		Blake2_128Concat,
		AccountId,
		challenges_v0::Participation,
	>;
}

/// The rewards pallet's v0 ledger, without refunds.
#[derive(Encode, Decode, Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct PoolLedgerV0 {
	/// Payments, by kind.
	pub paid: Earned<Balance>,
	/// What went back to the owner at finalization.
	pub returned: Balance,
}

/// Moves every v0 prize pool to the rewards pallet: the holds change reason, each challenge gets
/// a `Pools` entry with its shares, terms and refunds, the ledger gains its refunds and what a
/// cancellation gave back, claimed refunds are remembered; the rewards pallet is then at its
/// current version.
pub struct MovePoolsToRewards;

impl OnRuntimeUpgrade for MovePoolsToRewards {
	fn on_runtime_upgrade() -> Weight {
		if MeritRewards::on_chain_storage_version() >= 1 {
			return <Runtime as frame_system::Config>::DbWeight::get().reads(1);
		}
		let mut reads = 1u64;
		let mut writes = 1u64;

		v0::Holds::translate::<Vec<RawHold>, _>(|_, holds| {
			reads += 1;
			writes += 1;
			Some(
				holds
					.into_iter()
					.map(|hold| match hold.reason {
						[CHALLENGES_PALLET_INDEX, 0] => RawHold { reason: [REWARDS_PALLET_INDEX, 0], ..hold },
						_ => hold,
					})
					.collect(),
			)
		});

		for (id, old) in challenges_v0::Challenges::<Runtime>::iter() {
			reads += 3;
			writes += 2;
			let terms = v0::Terms::take(id).unwrap_or_default().upgrade().upgrade();
			let old_ledger = v0::Ledger::take(id).unwrap_or_default();
			let abandoned = old.state == ChallengeState::Cancelled(CancelReason::MissedLabelsReveal);
			let mut claimed = 0u32;
			for (who, participation) in v0::Participations::iter_prefix(id) {
				reads += 1;
				if participation.refund_claimed {
					claimed = claimed.saturating_add(1);
					pallet_merit_rewards::RefundsClaimed::<Runtime>::insert(id, who, ());
					writes += 1;
				} else if abandoned {
					// v0 refunded per participant: each one still owed counts as one share.
					pallet_merit_rewards::ScoredSubmissions::<Runtime>::insert(id, who, 1);
					writes += 1;
				}
			}
			let refunded = if abandoned { old.refund_per_participant.saturating_mul(claimed.into()) } else { 0 };
			// v0 booked only finalization's return; a cancellation's went back unbooked.
			let returned = old
				.prize_pool
				.saturating_sub(old.held)
				.saturating_sub(old_ledger.paid.total())
				.saturating_sub(refunded)
				.max(old_ledger.returned);
			pallet_merit_rewards::Ledger::<Runtime>::insert(
				id,
				PoolLedger { paid: old_ledger.paid, returned, refunded },
			);
			pallet_merit_rewards::Pools::<Runtime>::insert(
				id,
				Pool::<Runtime> {
					owner: old.owner,
					amount: old.prize_pool,
					held: old.held,
					reward_shares: BoundedVec::truncate_from(old.reward_shares.into_inner()),
					terms,
					refund_per_scored_submission: abandoned.then_some(old.refund_per_participant),
				},
			);
		}
		// The pools were written in the version 3 layout (with `improvement_step` and `ladder`):
		// the v1 → v2 and v2 → v3 steps must not rewrite them. A later version must run its own
		// step after this.
		StorageVersion::new(3).put::<MeritRewards>();
		<Runtime as frame_system::Config>::DbWeight::get().reads_writes(reads, writes)
	}
}
