//! sha256 digests: how artifacts are named on chain (`Digest` = `H256`) and in the store (hex).
use anyhow::{Context, Result};
use sha2::{Digest as _, Sha256};
use std::path::Path;

use crate::chain::H256;

/// sha256 of `bytes`.
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
	Sha256::digest(bytes).into()
}

/// sha256 of `bytes` as 64 lowercase hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
	hex::encode(sha256(bytes))
}

/// Whether `text` is 64 lowercase hex digits.
pub fn is_digest_hex(text: &str) -> bool {
	text.len() == 64 && text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Parses a digest given as hex (with or without `0x`, any case).
pub fn parse_digest(text: &str) -> Result<H256> {
	let t = text.trim().trim_start_matches("0x").to_ascii_lowercase();
	if !is_digest_hex(&t) {
		anyhow::bail!("`{text}` is not a sha256 digest (64 hex digits)");
	}
	let mut bytes = [0u8; 32];
	hex::decode_to_slice(&t, &mut bytes)?;
	Ok(H256(bytes))
}

/// A digest as `0x`-less lowercase hex.
pub fn digest_hex(digest: &H256) -> String {
	hex::encode(digest.0)
}

/// Reads a file, naming it in the error.
pub fn read_file(path: &Path) -> Result<Vec<u8>> {
	std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn digests() {
		let empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
		assert_eq!(sha256_hex(b""), empty);
		assert!(is_digest_hex(empty));
		assert!(!is_digest_hex(&empty.to_uppercase()));
		assert!(!is_digest_hex(&empty[1..]));
		assert_eq!(digest_hex(&parse_digest(&format!("0x{}", empty.to_uppercase())).unwrap()), empty);
		assert!(parse_digest("0x12").is_err());
		let missing = read_file(Path::new("/nonexistent/labels.csv")).unwrap_err();
		assert!(missing.to_string().contains("/nonexistent/labels.csv"));
	}
}
