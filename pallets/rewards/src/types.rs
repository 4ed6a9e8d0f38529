//! What the rewards pallet stores: each challenge's pool and its ledger, earnings and reviews.
use crate::{pallet::BalanceOf, Config};
use frame_support::{pallet_prelude::*, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound};
use merit_primitives::{Digest, RewardTerms, SubmissionId};
use polkadot_sdk::{frame_support, sp_runtime};
use sp_runtime::Perbill;

/// A challenge's prize pool: held on its owner's account until paid out or released.
#[derive(CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Pool<T: Config> {
	/// Whose balance holds it; what nobody earns goes back to them.
	pub owner: T::AccountId,
	/// The pool as published.
	pub amount: BalanceOf<T>,
	/// What is still held for this challenge.
	pub held: BalanceOf<T>,
	/// The prize shares of ranks 1, 2, ... on the private leaderboard; they sum to 100%.
	pub reward_shares: BoundedVec<Perbill, T::MaxWinners>,
	/// Fork credit and micro-rewards.
	pub terms: RewardTerms<BalanceOf<T>>,
	/// After the owner missed the labels reveal: what each submission with a final public score
	/// earns its author.
	pub refund_per_scored_submission: Option<BalanceOf<T>>,
}

/// Why a payment was made.
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
pub enum RewardKind {
	/// A prize for a rank on the private leaderboard.
	Prize { rank: u32 },
	/// Credit for work a prize-winning submission built on.
	ForkCredit { submission: SubmissionId, hop: u32 },
	/// A public score that beat the last rewarded best by more than the step.
	Improvement { submission: SubmissionId },
	/// A review of a submission.
	Review { submission: SubmissionId },
	/// A report that formed the quorum on a submission's outcome.
	Evaluation { submission: SubmissionId },
}

/// Where a challenge's pool went. Its total plus what is still held is the pool.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, Default, codec::Encode, codec::Decode, codec::MaxEncodedLen, scale_info::TypeInfo,
)]
pub struct PoolLedger<Balance> {
	/// Payments, by kind.
	pub paid: Earned<Balance>,
	/// What went back to the owner (at finalization, or at a cancellation).
	pub returned: Balance,
	/// What participants of an abandoned challenge claimed.
	pub refunded: Balance,
}

/// What one account earned, by kind.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, Default, codec::Encode, codec::Decode, codec::MaxEncodedLen, scale_info::TypeInfo,
)]
pub struct Earned<Balance> {
	/// Prizes.
	pub prizes: Balance,
	/// Fork credit.
	pub fork_credit: Balance,
	/// Improvement micro-rewards.
	pub improvements: Balance,
	/// Review micro-rewards.
	pub reviews: Balance,
	/// Evaluator fees.
	pub evaluations: Balance,
}

impl<Balance: sp_runtime::Saturating + Copy> Earned<Balance> {
	/// Adds `amount` under `kind`.
	pub fn add(&mut self, kind: RewardKind, amount: Balance) {
		let slot = match kind {
			RewardKind::Prize { .. } => &mut self.prizes,
			RewardKind::ForkCredit { .. } => &mut self.fork_credit,
			RewardKind::Improvement { .. } => &mut self.improvements,
			RewardKind::Review { .. } => &mut self.reviews,
			RewardKind::Evaluation { .. } => &mut self.evaluations,
		};
		*slot = slot.saturating_add(amount);
	}

	/// Adds another record.
	pub fn merge(&mut self, other: &Self) {
		self.prizes = self.prizes.saturating_add(other.prizes);
		self.fork_credit = self.fork_credit.saturating_add(other.fork_credit);
		self.improvements = self.improvements.saturating_add(other.improvements);
		self.reviews = self.reviews.saturating_add(other.reviews);
		self.evaluations = self.evaluations.saturating_add(other.evaluations);
	}

	/// Everything.
	pub fn total(&self) -> Balance {
		self.prizes
			.saturating_add(self.fork_credit)
			.saturating_add(self.improvements)
			.saturating_add(self.reviews)
			.saturating_add(self.evaluations)
	}
}

impl<Balance: sp_runtime::Saturating + Copy> PoolLedger<Balance> {
	/// What the micro-rewards took.
	pub fn micro(&self) -> Balance {
		self.paid.improvements.saturating_add(self.paid.reviews).saturating_add(self.paid.evaluations)
	}

	/// Everything that left the pool.
	pub fn total(&self) -> Balance {
		self.paid.total().saturating_add(self.returned).saturating_add(self.refunded)
	}
}

/// A peer review of a submission.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, codec::Encode, codec::Decode, codec::MaxEncodedLen, scale_info::TypeInfo,
)]
pub struct Review<Balance, BlockNumber> {
	/// 1 (poor) to 5 (excellent).
	pub rating: u8,
	/// The review's report artifact.
	pub report: Digest,
	/// When it was given.
	pub at: BlockNumber,
	/// The micro-reward it earned.
	pub paid: Balance,
}
