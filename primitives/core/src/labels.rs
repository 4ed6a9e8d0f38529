//! Delivering a challenge's public-row labels to its drawn evaluators, and to nobody else.
//!
//! Evaluators score public rows while the challenge is open, so they need those rows' labels then;
//! they must never hold the private rows' labels before the owner reveals them. The owner therefore
//! hands the panel only the canonical public-rows file ([`merit_metrics::public_rows`]), sealed so
//! that only the drawn evaluators can read it, with the chain as the only channel:
//!
//! 1. Each evaluator's node generates an X25519 key pair in its own off-chain storage and registers
//!    the public half on chain; the secret never leaves the node.
//! 2. The owner packs `SCALE(PublicLabels { salt, labels })` with `salt = public_labels_salt(challenge
//!    salt)` and encrypts it once with a fresh random file key (ChaCha20-Poly1305, zero nonce: the key
//!    encrypts one message), publishes the ciphertext as an artifact, and posts on chain its digest,
//!    the commitment `labels_commitment(labels, salt)` and, per panel member, the file key sealed to
//!    the member's key ([`seal_file_key`]) under one ephemeral X25519 key.
//! 3. A member's worker opens its envelope ([`open_file_key`]), fetches and decrypts the file and
//!    checks it against the commitment; every member reads the same ciphertext, so the owner cannot
//!    give different members different labels (a bad envelope only fails to open).
//! 4. After the reveal anyone recomputes the canonical public file from the revealed labels and the
//!    derived salt and checks the commitment: the owner cannot have given the panel other rows.
//!
//! The sealing is X25519 key agreement, then `sha256(domain ‖ challenge ‖ shared ‖ sender ‖ recipient)`
//! as the key-encryption key (libsodium's sealed boxes do the same with BLAKE2b), then
//! ChaCha20-Poly1305. Binding the challenge id and both public keys stops an envelope from being
//! replayed for another challenge or another recipient.

use alloc::vec::Vec;
use chacha20poly1305::{
	aead::{Aead, KeyInit},
	ChaCha20Poly1305, Key, Nonce,
};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

use crate::ChallengeId;

fn sha2_256(data: &[u8]) -> [u8; 32] {
	use sha2::Digest as _;
	sha2::Sha256::digest(data).into()
}

/// An X25519 public key (Montgomery u-coordinate).
pub type LabelsKey = [u8; 32];

/// A file key sealed to one evaluator: the 32-byte key encrypted, then the 16-byte tag.
pub type SealedFileKey = [u8; 48];

/// What the owner encrypts: the canonical public-rows labels file and the salt of its commitment.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub struct PublicLabels {
	/// [`public_labels_salt`] of the challenge's salt.
	pub salt: [u8; 32],
	/// [`merit_metrics::public_rows`] of the labels file.
	pub labels: Vec<u8>,
}

/// The public half of what the owner posts on chain for a challenge (the envelopes are per member).
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct SealedLabels {
	/// `labels_commitment(public labels, salt)` of the [`PublicLabels`] inside the ciphertext.
	pub commitment: [u8; 32],
	/// sha256 of the ciphertext, an artifact whose location the artifact registry knows.
	pub ciphertext: crate::Digest,
	/// The ephemeral X25519 public key the envelopes were sealed with.
	pub sender: LabelsKey,
}

const ENVELOPE_DOMAIN: &[u8] = b"merit/labels-envelope/v1";
const PUBLIC_SALT_DOMAIN: &[u8] = b"merit/public-labels-salt/v1";

/// The salt of the public-rows commitment: derived from the challenge's secret salt, so it is secret
/// until the reveal and recomputable after it, and reveals nothing about the salt itself.
pub fn public_labels_salt(challenge_salt: &[u8]) -> [u8; 32] {
	let mut input = PUBLIC_SALT_DOMAIN.to_vec();
	input.extend_from_slice(challenge_salt);
	sha2_256(&input)
}

/// The X25519 public key of a secret (the secret is clamped as X25519 requires).
pub fn labels_public_key(secret: &[u8; 32]) -> LabelsKey {
	x25519_dalek::x25519(*secret, x25519_dalek::X25519_BASEPOINT_BYTES)
}

/// Whether a labels key can receive envelopes: not a point of small order (whose shared secret
/// with any sender is all zero).
pub fn is_usable_labels_key(key: &LabelsKey) -> bool {
	// A clamped scalar is a multiple of the cofactor: a small-order point times it is the identity.
	let probe = x25519_dalek::x25519([0x55; 32], *key);
	probe.iter().any(|&b| b != 0)
}

fn key_encryption_key(
	challenge: ChallengeId,
	shared: &[u8; 32],
	sender: &LabelsKey,
	recipient: &LabelsKey,
) -> Option<ChaCha20Poly1305> {
	// An all-zero shared secret means a low-order point: the key agreement contributed nothing.
	if shared.iter().all(|&b| b == 0) {
		return None;
	}
	let mut input = Vec::with_capacity(ENVELOPE_DOMAIN.len() + 4 + 96);
	input.extend_from_slice(ENVELOPE_DOMAIN);
	input.extend_from_slice(&challenge.to_le_bytes());
	input.extend_from_slice(shared);
	input.extend_from_slice(sender);
	input.extend_from_slice(recipient);
	Some(ChaCha20Poly1305::new(Key::from_slice(&sha2_256(&input))))
}

/// Seals `file_key` to `recipient` for `challenge`, from the ephemeral secret whose public key is
/// posted as [`SealedLabels::sender`]. `None` if the recipient's key is a low-order point.
pub fn seal_file_key(
	challenge: ChallengeId,
	file_key: &[u8; 32],
	sender_secret: &[u8; 32],
	recipient: &LabelsKey,
) -> Option<SealedFileKey> {
	let sender = labels_public_key(sender_secret);
	let shared = x25519_dalek::x25519(*sender_secret, *recipient);
	let cipher = key_encryption_key(challenge, &shared, &sender, recipient)?;
	let sealed = cipher.encrypt(Nonce::from_slice(&[0u8; 12]), &file_key[..]).ok()?;
	sealed.try_into().ok()
}

/// Opens an envelope with the recipient's secret: the file key, or `None` if it was not sealed to
/// this key for this challenge.
pub fn open_file_key(
	challenge: ChallengeId,
	envelope: &SealedFileKey,
	recipient_secret: &[u8; 32],
	sender: &LabelsKey,
) -> Option<[u8; 32]> {
	let recipient = labels_public_key(recipient_secret);
	let shared = x25519_dalek::x25519(*recipient_secret, *sender);
	let cipher = key_encryption_key(challenge, &shared, sender, &recipient)?;
	let key = cipher.decrypt(Nonce::from_slice(&[0u8; 12]), &envelope[..]).ok()?;
	key.try_into().ok()
}

/// Encrypts the packed public labels under a fresh file key.
pub fn encrypt_public_labels(file_key: &[u8; 32], labels: &PublicLabels) -> Vec<u8> {
	let cipher = ChaCha20Poly1305::new(Key::from_slice(file_key));
	// Encryption only fails for messages beyond ChaCha20's 256 GiB limit.
	cipher.encrypt(Nonce::from_slice(&[0u8; 12]), &labels.encode()[..]).unwrap_or_default()
}

/// Why a worker could not read the public labels delivered to it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum OpenLabelsError {
	/// The ciphertext does not decrypt under the file key (or was altered).
	Undecryptable,
	/// The plaintext is not a `SCALE(PublicLabels)`.
	Undecodable,
	/// The labels and salt do not match the commitment on chain.
	CommitmentMismatch,
}

/// Decrypts a delivered ciphertext and checks it against the commitment on chain.
pub fn open_public_labels(
	file_key: &[u8; 32],
	ciphertext: &[u8],
	commitment: &[u8; 32],
) -> Result<PublicLabels, OpenLabelsError> {
	let cipher = ChaCha20Poly1305::new(Key::from_slice(file_key));
	let plain =
		cipher.decrypt(Nonce::from_slice(&[0u8; 12]), ciphertext).map_err(|_| OpenLabelsError::Undecryptable)?;
	let labels =
		codec::DecodeAll::decode_all(&mut &plain[..]).map_err(|_: codec::Error| OpenLabelsError::Undecodable)?;
	let labels: PublicLabels = labels;
	if merit_metrics::labels_commitment(&labels.labels, &labels.salt) != *commitment {
		return Err(OpenLabelsError::CommitmentMismatch);
	}
	Ok(labels)
}

#[cfg(test)]
mod tests {
	use super::*;

	fn secret(seed: u8) -> [u8; 32] {
		sha2_256(&[seed])
	}

	#[test]
	fn a_member_opens_its_envelope_and_nobody_else_does() {
		let (owner, dave, eve) = (secret(1), secret(2), secret(3));
		let file_key = secret(9);
		let envelope = seal_file_key(7, &file_key, &owner, &labels_public_key(&dave)).unwrap();
		let sender = labels_public_key(&owner);
		assert_eq!(open_file_key(7, &envelope, &dave, &sender), Some(file_key));
		// Another evaluator, another challenge, another sender, a flipped bit: nothing opens.
		assert_eq!(open_file_key(7, &envelope, &eve, &sender), None);
		assert_eq!(open_file_key(8, &envelope, &dave, &sender), None);
		assert_eq!(open_file_key(7, &envelope, &dave, &labels_public_key(&eve)), None);
		let mut flipped = envelope;
		flipped[0] ^= 1;
		assert_eq!(open_file_key(7, &flipped, &dave, &sender), None);
	}

	#[test]
	fn low_order_keys_are_refused() {
		assert!(!is_usable_labels_key(&[0u8; 32]));
		let mut one = [0u8; 32];
		one[0] = 1;
		assert!(!is_usable_labels_key(&one));
		assert!(is_usable_labels_key(&labels_public_key(&secret(1))));
		// The u-coordinate 0 is a point of small order: the shared secret is all zero.
		assert_eq!(seal_file_key(1, &secret(9), &secret(1), &[0u8; 32]), None);
		let envelope = [0u8; 48];
		assert_eq!(open_file_key(1, &envelope, &secret(2), &[0u8; 32]), None);
	}

	#[test]
	fn public_labels_round_trip_and_are_checked_against_the_commitment() {
		let salt = public_labels_salt(b"challenge salt");
		assert_ne!(salt, public_labels_salt(b"challenge salt!"));
		let labels = PublicLabels { salt, labels: b"id,y\n1,a\n".to_vec() };
		let commitment = merit_metrics::labels_commitment(&labels.labels, &salt);
		let file_key = secret(5);
		let ciphertext = encrypt_public_labels(&file_key, &labels);
		assert!(!ciphertext.windows(4).any(|w| w == b"id,y"), "the labels are not in the clear");
		assert_eq!(open_public_labels(&file_key, &ciphertext, &commitment), Ok(labels.clone()));
		assert_eq!(open_public_labels(&secret(6), &ciphertext, &commitment), Err(OpenLabelsError::Undecryptable));
		assert_eq!(open_public_labels(&file_key, &ciphertext, &[0; 32]), Err(OpenLabelsError::CommitmentMismatch));
		let mut altered = ciphertext.clone();
		altered[3] ^= 0x80;
		assert_eq!(open_public_labels(&file_key, &altered, &commitment), Err(OpenLabelsError::Undecryptable));
	}
}
