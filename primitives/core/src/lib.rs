//! Types and constants that the Merit runtime, node and client must agree on.
//!
//! They live here, not in the runtime, so the client and the off-chain tooling can use them without
//! compiling the runtime.
#![cfg_attr(not(feature = "std"), no_std)]

use polkadot_sdk::{sp_core, sp_runtime};
use sp_runtime::traits::{IdentifyAccount, Verify};

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

/// The sha256 digest that names an artifact's bytes (content addressing).
pub type Digest = sp_core::H256;

/// What an artifact is, so a pallet can insist that, say, a submission points at predictions.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
	codec::Encode,
	codec::Decode,
	codec::DecodeWithMemTracking,
	codec::MaxEncodedLen,
	scale_info::TypeInfo,
)]
pub enum ArtifactKind {
	/// Public training or validation data.
	Dataset,
	/// A hidden labels file (revealed after a challenge closes).
	Labels,
	/// A predictions file: what a participant submits.
	Predictions,
	/// Source code of a solution.
	Code,
	/// A trained model.
	Model,
	/// A write-up, a challenge description or a peer review.
	Report,
}

/// The artifact registry as other pallets see it: they check that an artifact exists and is of the
/// right kind, and pin it while they refer to it so its owner cannot remove it from under them.
pub trait ArtifactRegistry<AccountId> {
	/// The owner and kind of a registered artifact.
	fn artifact(digest: &Digest) -> Option<(AccountId, ArtifactKind)>;
	/// Pins an artifact; fails if it is not registered.
	fn add_reference(digest: &Digest) -> sp_runtime::DispatchResult;
	/// Unpins an artifact pinned with [`Self::add_reference`].
	fn remove_reference(digest: &Digest);
}
