//! Types and constants that the Merit runtime, node and client must agree on.
//!
//! They live here, not in the runtime, so the client and the off-chain tooling can use them without
//! compiling the runtime.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use polkadot_sdk::{sp_core, sp_runtime};
use sp_runtime::traits::{IdentifyAccount, Verify};

pub mod artifacts;
pub mod campaigns;
pub mod challenges;
pub mod labels;
pub mod lineage;
pub mod rewards;
pub mod scoring;
pub mod teams;

pub use artifacts::{ArtifactClaim, ArtifactKind, ArtifactLocation, ArtifactRegistry, Digest};
pub use challenges::{
	CancelReason, ChallengeId, ChallengeInspect, ChallengeLifecycle, ChallengeState, ChallengeSummary,
	OnChallengeCreated, RevealedLabels, Schedule, SubmissionContent, SubmissionId, SubmissionLimits, SubmissionMode,
	SubmissionSummary,
};
pub use lineage::{ForkStat, LineageInspect, LineageNode, OnSubmission};
pub use merit_metrics::{labels_commitment_of_digest, submission_commitment, Metric, MetricError, Score, Subset};
pub use rewards::{PoolSettlement, PrizePool, RewardTerms};
pub use scoring::{
	rank_key, rank_key_score, rank_key_submission, report_commitment, AbstainReason, BoardKeeper, EvaluationStats,
	FailureReason, FinalSelection, LeaderboardEntry, LeaderboardPage, OnOutcomeFinal, Outcome, OutcomeInspect, Page,
	PrizeProgress, PublicBoardRules, RankKey, Stage,
};
pub use teams::{split_by_shares, EntrantMerge, TeamId, TeamInspect, TeamRules};

/// A block number: u32 gives 800 years of 6-second blocks.
pub type BlockNumber = u32;

/// Signatures of extrinsics: sr25519, ed25519 or ecdsa.
pub type Signature = sp_runtime::MultiSignature;

/// An account is the public key behind its signature type.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;

/// A balance of MERIT in its smallest unit (10^-12 MERIT).
pub type Balance = u128;

/// An account's transaction index.
pub type Nonce = u32;

/// A block hash.
pub type Hash = sp_core::H256;

/// Token facts, in one place for the runtime's genesis, the chain spec's properties and the client's output.
pub mod token {
	use super::Balance;

	/// The ticker shown by wallets and the client.
	pub const SYMBOL: &str = "MERIT";
	/// MERIT has 12 decimals.
	pub const DECIMALS: u8 = 12;
	/// One MERIT in the smallest unit.
	pub const MERIT: Balance = 1_000_000_000_000;
	/// One thousandth of a MERIT.
	pub const MILLI_MERIT: Balance = MERIT / 1_000;
	/// One millionth of a MERIT.
	pub const MICRO_MERIT: Balance = MERIT / 1_000_000;
	/// The SS58 prefix of Merit addresses (the generic Substrate prefix).
	pub const SS58_PREFIX: u16 = 42;
}

/// Block timing, shared by the runtime (Aura slot) and the node (authoring deadlines).
pub mod time {
	use super::BlockNumber;

	/// Target block time. Three seconds keeps a scoring round trip short for participants.
	pub const MILLI_SECS_PER_BLOCK: u64 = 3_000;
	/// Aura slot length equals the block time.
	pub const SLOT_DURATION: u64 = MILLI_SECS_PER_BLOCK;
	/// Blocks per minute.
	pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);
	/// Blocks per hour.
	pub const HOURS: BlockNumber = MINUTES * 60;
	/// Blocks per day: the window of per-day submission limits.
	pub const DAYS: BlockNumber = HOURS * 24;
}
