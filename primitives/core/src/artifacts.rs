//! Content-addressed artifacts as the other pallets see them.
use alloc::vec::Vec;
use polkadot_sdk::{sp_core, sp_runtime};

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

/// Where an artifact's bytes can be fetched, and how many there are.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ArtifactLocation {
	/// An http, https or ipfs URI.
	pub uri: Vec<u8>,
	/// The registered size in bytes: a fetcher refuses to read more.
	pub size: u64,
}

/// The artifact registry as other pallets see it: they check that an artifact exists and is of the
/// right kind, pin it while they refer to it so its owner cannot remove it from under them, and
/// (off chain) find where to fetch it.
pub trait ArtifactRegistry<AccountId> {
	/// The owner and kind of a registered artifact.
	fn artifact(digest: &Digest) -> Option<(AccountId, ArtifactKind)>;
	/// Where a registered artifact can be fetched.
	fn location(digest: &Digest) -> Option<ArtifactLocation>;
	/// Pins an artifact; fails if it is not registered.
	fn add_reference(digest: &Digest) -> sp_runtime::DispatchResult;
	/// Unpins an artifact pinned with [`Self::add_reference`].
	fn remove_reference(digest: &Digest);
	/// Registers an artifact of `kind` owned by `owner` for a benchmark's setup.
	#[cfg(feature = "runtime-benchmarks")]
	fn register_for_benchmark(owner: &AccountId, digest: Digest, kind: ArtifactKind);
}
