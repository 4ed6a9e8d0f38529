//! Who signs: a secret URI given with `--suri` (e.g. `//Alice`, or a seed phrase with derivation
//! paths), read from a file with `--suri-file`, or taken from `MERIT_SURI`.
use anyhow::{bail, Context, Result};
use std::{path::Path, str::FromStr};
use subxt_signer::{sr25519::Keypair, SecretUri};

use crate::chain::AccountId32;

/// Parses a secret URI (`//Alice`, `<12 words>`, `<12 words>//hard/soft`, `0x<seed>`) into an
/// sr25519 key pair. The error never repeats the secret.
pub fn keypair_from_suri(suri: &str) -> Result<Keypair> {
	let uri = SecretUri::from_str(suri.trim()).map_err(|e| anyhow::anyhow!("the secret URI is malformed: {e}"))?;
	Keypair::from_uri(&uri).map_err(|e| anyhow::anyhow!("the secret URI gives no sr25519 key: {e}"))
}

/// Reads a secret URI (e.g. a seed phrase) from the first non-empty line of a file.
pub fn suri_from_file(path: &Path) -> Result<String> {
	let text = std::fs::read_to_string(path).with_context(|| format!("cannot read the key file {}", path.display()))?;
	match text.lines().map(str::trim).find(|l| !l.is_empty()) {
		Some(line) => Ok(line.to_string()),
		None => bail!("the key file {} is empty", path.display()),
	}
}

/// The signer from `--suri` or `--suri-file` (at most one), or `MERIT_SURI` (clap fills `suri`
/// from the environment).
pub fn resolve_signer(suri: Option<&str>, suri_file: Option<&Path>) -> Result<Keypair> {
	match (suri, suri_file) {
		(Some(_), Some(_)) => bail!("give either --suri or --suri-file, not both"),
		(Some(suri), None) => keypair_from_suri(suri),
		(None, Some(path)) => keypair_from_suri(&suri_from_file(path)?),
		(None, None) => bail!(
			"this command signs a transaction: give --suri (e.g. //Alice on a dev chain), --suri-file or set MERIT_SURI"
		),
	}
}

/// The account of a key pair.
pub fn account_of(keypair: &Keypair) -> AccountId32 {
	AccountId32(keypair.public_key().0)
}

/// Parses an account: an SS58 address or `0x` + 64 hex digits.
pub fn parse_account(text: &str) -> Result<AccountId32> {
	let t = text.trim();
	if let Some(hex_part) = t.strip_prefix("0x") {
		let bytes: [u8; 32] = hex::decode(hex_part)
			.ok()
			.and_then(|b| b.try_into().ok())
			.with_context(|| format!("`{text}` is not a 32-byte hex account id"))?;
		return Ok(AccountId32(bytes));
	}
	AccountId32::from_str(t).map_err(|e| anyhow::anyhow!("`{text}` is not an SS58 address: {e}"))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn dev_accounts_and_files() {
		let alice = keypair_from_suri("//Alice").unwrap();
		assert_eq!(account_of(&alice).to_string(), "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY");
		let dir = tempfile::tempdir().unwrap();
		let file = dir.path().join("key");
		std::fs::write(&file, "\n  //Bob  \n").unwrap();
		let bob = resolve_signer(None, Some(&file)).unwrap();
		assert_eq!(account_of(&bob), account_of(&keypair_from_suri("//Bob").unwrap()));
		assert!(resolve_signer(Some("//Alice"), Some(&file)).is_err());
		assert!(resolve_signer(None, None).is_err());
		assert!(resolve_signer(None, Some(&dir.path().join("missing"))).is_err());
		let phrase = "bottom drive obey lake curtain smoke basket hold race lonely fit walk";
		let from_phrase = keypair_from_suri(&format!("{phrase}//Alice")).unwrap();
		assert_eq!(account_of(&from_phrase), account_of(&alice));
	}

	#[test]
	fn accounts() {
		let alice = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
		let parsed = parse_account(alice).unwrap();
		assert_eq!(parse_account(&format!("0x{}", hex::encode(parsed.0))).unwrap(), parsed);
		assert!(parse_account("0x1234").is_err());
		assert!(parse_account("nonsense").is_err());
	}
}
