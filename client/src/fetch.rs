//! Downloads artifacts from the URIs registered on chain: `http://`, `https://`, and `ipfs://CID`
//! through an HTTP gateway (`--ipfs-gateway`, default <https://ipfs.io>), like evaluators do.
use anyhow::{bail, Context, Result};
use std::{io::Read, time::Duration};

/// The default IPFS gateway.
pub const DEFAULT_IPFS_GATEWAY: &str = "https://ipfs.io";

/// The HTTP URL to fetch `uri` from: itself for http(s), `<gateway>/ipfs/<CID>[/path]` for ipfs.
pub fn http_url(uri: &str, ipfs_gateway: &str) -> Result<String> {
	if uri.starts_with("http://") || uri.starts_with("https://") {
		Ok(uri.to_string())
	} else if let Some(rest) = uri.strip_prefix("ipfs://") {
		let rest = rest.strip_prefix("ipfs/").unwrap_or(rest);
		if rest.is_empty() {
			bail!("`{uri}` names no IPFS content");
		}
		Ok(format!("{}/ipfs/{rest}", ipfs_gateway.trim_end_matches('/')))
	} else {
		bail!("cannot fetch `{uri}`: only http://, https:// and ipfs:// URIs are supported")
	}
}

/// Downloads at most `limit + 1` bytes of `uri` (one more than allowed, so the caller can tell an
/// oversized body). Blocking.
fn fetch_up_to(uri: &str, ipfs_gateway: &str, limit: u64) -> Result<Vec<u8>> {
	let url = http_url(uri, ipfs_gateway)?;
	let response = match ureq::get(&url).timeout(Duration::from_secs(300)).call() {
		Ok(response) => response,
		Err(ureq::Error::Status(status, _)) => bail!("fetching {url} failed: HTTP {status}"),
		Err(e) => return Err(anyhow::anyhow!("{e}")).with_context(|| format!("cannot fetch {url}")),
	};
	let mut body = Vec::new();
	response
		.into_reader()
		.take(limit.saturating_add(1))
		.read_to_end(&mut body)
		.with_context(|| format!("reading {url} failed"))?;
	Ok(body)
}

/// Downloads `uri`, refusing more than `max_size` bytes. Blocking.
pub fn fetch(uri: &str, ipfs_gateway: &str, max_size: u64) -> Result<Vec<u8>> {
	let body = fetch_up_to(uri, ipfs_gateway, max_size)?;
	if body.len() as u64 > max_size {
		bail!("{uri} is larger than {max_size} bytes");
	}
	Ok(body)
}

/// Downloads a registered artifact of `size` bytes from `uri` and checks that its sha256 is
/// `expected` (hex). As for evaluators, a body longer than the registered size is a hash mismatch.
pub fn fetch_verified(uri: &str, ipfs_gateway: &str, size: u64, expected: &str) -> Result<Vec<u8>> {
	let body = fetch_up_to(uri, ipfs_gateway, size)?;
	if body.len() as u64 > size {
		bail!("hash mismatch: {uri} is longer than the registered {size} bytes");
	}
	let actual = crate::digest::sha256_hex(&body);
	if actual != expected {
		bail!("hash mismatch: {uri} has sha256 {actual}, but the chain registered {expected}");
	}
	Ok(body)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn uris() {
		assert_eq!(http_url("https://x.org/a", DEFAULT_IPFS_GATEWAY).unwrap(), "https://x.org/a");
		assert_eq!(http_url("ipfs://bafyabc", "https://gw.example/").unwrap(), "https://gw.example/ipfs/bafyabc");
		assert_eq!(http_url("ipfs://ipfs/Qm1/file.csv", "http://127.0.0.1:8080").unwrap(), "http://127.0.0.1:8080/ipfs/Qm1/file.csv");
		assert!(http_url("ftp://x", DEFAULT_IPFS_GATEWAY).is_err());
		assert!(http_url("ipfs://", DEFAULT_IPFS_GATEWAY).is_err());
	}
}
