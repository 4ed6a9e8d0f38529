//! Content-addressed artifacts as the other pallets see them.
use alloc::vec::Vec;
use polkadot_sdk::{frame_support::weights::Weight, sp_core, sp_runtime};

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

/// An artifact a call registers (or claims) in the same transaction that uses it: nobody who sees
/// the digest first can block that call or put their own location in its place.
#[derive(
	Clone, PartialEq, Eq, Debug, codec::Encode, codec::Decode, codec::DecodeWithMemTracking, scale_info::TypeInfo,
)]
pub struct ArtifactClaim {
	/// The sha256 of the bytes.
	pub digest: Digest,
	/// The size in bytes.
	pub size: u64,
	/// Where the bytes can be fetched: an http, https or ipfs URI.
	pub uri: Vec<u8>,
	/// The SPDX license id.
	pub license: Vec<u8>,
}

/// The artifact registry as other pallets see it: they check that an artifact exists and is of the
/// right kind, register or claim the artifacts their calls use, pin them while they refer to them
/// so their owner cannot remove them from under them, and (off chain) find where to fetch them.
pub trait ArtifactRegistry<AccountId, BlockNumber> {
	/// The owner and kind of a registered artifact.
	fn artifact(digest: &Digest) -> Option<(AccountId, ArtifactKind)>;
	/// Where a registered artifact can be fetched.
	fn location(digest: &Digest) -> Option<ArtifactLocation>;
	/// Pins an artifact; fails if it is not registered.
	fn add_reference(digest: &Digest) -> sp_runtime::DispatchResult;
	/// Unpins an artifact pinned with [`Self::add_reference`].
	fn remove_reference(digest: &Digest);
	/// Makes `claim` an artifact of `kind` that `owner` can use, in the caller's transaction:
	///
	/// - unregistered: it is registered to `owner`, who pays the deposit;
	/// - registered by `owner` with `kind`: kept;
	/// - registered by another account in or after block `committed_at` (the first block the
	///   caller's transactions could have exposed the digest, `owner` having committed to it
	///   before): taken over, so a squatter who copied the digest from the caller's transaction
	///   gets their deposit back and nothing else; the claim's location replaces theirs and pins
	///   are kept;
	/// - registered by another account before `committed_at`, with `kind`: kept (the registration
	///   cannot be a reaction to the caller's transaction, so a commitment to a public file's
	///   digest cannot take it over);
	/// - otherwise (another account's, with no commitment or of another kind): an error.
	fn claim(
		owner: &AccountId,
		kind: ArtifactKind,
		claim: ArtifactClaim,
		committed_at: Option<BlockNumber>,
	) -> sp_runtime::DispatchResult;
	/// The worst-case weight of [`Self::claim`].
	fn claim_weight() -> Weight;
	/// Registers an artifact of `kind` owned by `owner` for a benchmark's setup.
	#[cfg(feature = "runtime-benchmarks")]
	fn register_for_benchmark(owner: &AccountId, digest: Digest, kind: ArtifactKind);
}
