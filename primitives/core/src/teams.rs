//! Teams as the other pallets see them: who competes as whom in a challenge, and how an
//! entrant's earnings are shared. A team competes under its own account (derived, keyless), so
//! limits, final selections, leaderboards and prizes key on the entrant whoever of its members
//! signed.
use crate::ChallengeId;
use alloc::{vec, vec::Vec};
use polkadot_sdk::sp_runtime::{DispatchResult, Perbill};

/// A team's number, assigned in order of creation.
pub type TeamId = u32;

/// How a challenge's participants may team up, set by its owner at publication (Kaggle's team
/// size limit and merger deadline).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	codec::Encode,
	codec::Decode,
	codec::DecodeWithMemTracking,
	codec::MaxEncodedLen,
	scale_info::TypeInfo,
)]
pub struct TeamRules<BlockNumber> {
	/// The most members a team may have; 1: every participant competes alone.
	pub max_size: u32,
	/// The first block at which teams can no longer form, grow or merge (at most the close).
	/// A participant who joins brings its submissions; the team's combined submissions must fit
	/// the challenge's per-entrant total.
	pub merge_until: BlockNumber,
}

/// Who competes as whom (implemented by the teams pallet; `()` when every participant competes
/// alone).
pub trait TeamInspect<AccountId> {
	/// The entrant `who` competes as in `challenge`: its team's account, or `who` itself.
	fn entrant(challenge: ChallengeId, who: &AccountId) -> AccountId;
	/// The accounts behind an entrant and their shares of what it earns, summing to 100%: a
	/// team's members by their agreed shares, or the entrant itself alone.
	fn shares(challenge: ChallengeId, entrant: &AccountId) -> Vec<(AccountId, Perbill)>;
	/// The most members a team can have in this runtime (what payouts are weighed for).
	fn max_team_size() -> u32;
	/// The teams `who` is in: each team's challenge, its account and `who`'s share.
	fn teams_of(who: &AccountId) -> Vec<(ChallengeId, AccountId, Perbill)>;
	/// Makes a team of `members` (the first its captain) in `challenge` without any checks, for
	/// a benchmark's setup; returns its account.
	#[cfg(feature = "runtime-benchmarks")]
	fn insert_team_for_benchmark(challenge: ChallengeId, members: &[AccountId]) -> AccountId;
}

impl<AccountId: Clone> TeamInspect<AccountId> for () {
	fn entrant(_: ChallengeId, who: &AccountId) -> AccountId {
		who.clone()
	}
	fn shares(_: ChallengeId, entrant: &AccountId) -> Vec<(AccountId, Perbill)> {
		vec![(entrant.clone(), Perbill::one())]
	}
	fn max_team_size() -> u32 {
		1
	}
	fn teams_of(_: &AccountId) -> Vec<(ChallengeId, AccountId, Perbill)> {
		Vec::new()
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn insert_team_for_benchmark(_: ChallengeId, members: &[AccountId]) -> AccountId {
		members[0].clone()
	}
}

/// What the teams pallet asks of the challenges pallet when entrants merge (implemented by the
/// challenges pallet).
pub trait EntrantMerge<AccountId> {
	/// How many submissions `entrant` has made to `challenge`.
	fn submissions_of(challenge: ChallengeId, entrant: &AccountId) -> u32;
	/// Counts `from`'s submissions as `into`'s from now on (its participation moves; its final
	/// selections are dropped and `into`'s stay), refusing when the combined submissions exceed
	/// the challenge's total or today's limit.
	fn merge(challenge: ChallengeId, from: &AccountId, into: &AccountId) -> DispatchResult;
	/// The most [`Self::merge`] uses.
	fn merge_weight() -> polkadot_sdk::frame_support::weights::Weight;
}

/// Splits `amount` by `shares` (which sum to 100%): each gets its share rounded down, and the
/// rounding dust goes to the first, so the parts always add up to `amount`.
pub fn split_by_shares<AccountId: Clone, Balance>(
	amount: Balance,
	shares: &[(AccountId, Perbill)],
) -> Vec<(AccountId, Balance)>
where
	Balance: Copy + polkadot_sdk::sp_runtime::traits::AtLeast32BitUnsigned,
{
	let mut parts: Vec<(AccountId, Balance)> =
		shares.iter().map(|(who, share)| (who.clone(), share.mul_floor(amount))).collect();
	let given = parts.iter().fold(Balance::zero(), |sum, (_, part)| sum.saturating_add(*part));
	if let Some(first) = parts.first_mut() {
		first.1 = first.1.saturating_add(amount.saturating_sub(given));
	}
	parts
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_split_adds_up_to_the_amount_with_the_dust_to_the_first() {
		let shares = [(1u8, Perbill::from_percent(50)), (2, Perbill::from_percent(30)), (3, Perbill::from_percent(20))];
		assert_eq!(split_by_shares(1_000u128, &shares), vec![(1, 500), (2, 300), (3, 200)]);
		let thirds = [
			(1u8, Perbill::from_parts(333_333_334)),
			(2, Perbill::from_parts(333_333_333)),
			(3, Perbill::from_parts(333_333_333)),
		];
		let parts = split_by_shares(100u128, &thirds);
		assert_eq!(parts.iter().map(|(_, p)| p).sum::<u128>(), 100);
		assert_eq!(parts, vec![(1, 34), (2, 33), (3, 33)]);
		assert_eq!(split_by_shares(7u128, &[(9u8, Perbill::one())]), vec![(9, 7)]);
	}
}
