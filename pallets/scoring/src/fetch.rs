//! Fetching artifacts from the off-chain worker.
//!
//! The worker fetches through [`FetchArtifact`] rather than calling the HTTP host functions
//! directly, so tests can simulate failures and timeouts (the off-chain test externalities answer
//! every request with status 200 and ignore deadlines). The runtime uses [`HttpFetcher`].
use alloc::{string::String, vec::Vec};
use polkadot_sdk::{
	sp_core::offchain::{Duration, HttpError, StorageKind},
	sp_io,
	sp_runtime::offchain::http,
};

/// How long one fetch may take, from sending the request to the last byte of the body.
pub const FETCH_TIMEOUT_MS: u64 = 10_000;

/// The most a fetch reserves up front: a registered size beyond it (refused before any fetch by
/// `MaxPredictionsSize`) grows the buffer instead.
const MAX_PREALLOCATION: usize = 32 * 1024 * 1024 - 64;

/// Local off-chain storage key of an optional IPFS HTTP gateway (e.g. `https://ipfs.io`) through
/// which the worker fetches `ipfs://` URIs. Without it, `ipfs://` artifacts are skipped by this
/// evaluator (and never reported as the submission's failure).
pub const IPFS_GATEWAY_KEY: &[u8] = b"merit::ipfs-gateway";

/// Local off-chain storage key that, when set, lets the worker fetch from IP literals and
/// loopback, private and link-local host names. The node sets it on development and local chains
/// (whose test files are served from 127.0.0.1) and, on others, only with
/// `--evaluator-private-urls`.
pub const ALLOW_PRIVATE_HOSTS_KEY: &[u8] = b"merit::fetch::allow-private-hosts";

/// Whether an evaluator on a public chain must not fetch `url`: its host is an IP literal (v4 in
/// any notation, or v6), or a name that only resolves inside a network (no dot, or under
/// `localhost`, `local`, `localdomain`, `internal`, `lan`, `intranet`, `corp`, `home.arpa`).
/// A stranger's URI must not make an evaluator's node probe its own LAN or a cloud metadata
/// service and publish, through its report, what answered. (A public name that resolves to a
/// private address is beyond what the worker can see; the node's operator firewalls that.)
pub fn is_private_host(url: &str) -> bool {
	let Some((_, rest)) = url.split_once("://") else { return true };
	let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
	let host_port = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
	if host_port.starts_with('[') {
		return true; // an IPv6 literal
	}
	let host = host_port.split(':').next().unwrap_or("").trim_end_matches('.').to_ascii_lowercase();
	// No dot: a LAN name (or a bare number, an address).
	let Some((_, last)) = host.rsplit_once('.') else { return true };
	// No top-level domain starts with a digit: `127.0.0.1` and `0x7f.1` are addresses.
	if last.starts_with(|c: char| c.is_ascii_digit()) {
		return true;
	}
	const INTERNAL: [&str; 8] =
		["localhost", "local", "localdomain", "internal", "lan", "intranet", "corp", "home.arpa"];
	INTERNAL.iter().any(|suffix| host == *suffix || host.ends_with(&alloc::format!(".{suffix}")))
}

/// Why a fetch did not produce the artifact's bytes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum FetchError {
	/// The request or the body did not complete before the deadline.
	Timeout,
	/// The request could not be sent or the connection failed.
	Network,
	/// The server answered with a status other than 200.
	HttpStatus(u16),
	/// The body is longer than the size the artifact was registered with.
	TooLarge,
	/// This node cannot fetch this kind of URI (e.g. `ipfs://` without a gateway): the evaluator's
	/// limitation, not the submission's fault.
	UnsupportedUri,
	/// The URI names a host evaluators do not fetch from on this chain ([`is_private_host`]).
	ForbiddenHost,
}

/// Fetches an artifact's bytes from its URI.
pub trait FetchArtifact {
	/// Fetches `uri`, reading at most `max_len` bytes of body: a longer body is
	/// [`FetchError::TooLarge`].
	fn fetch(uri: &[u8], max_len: u64) -> Result<Vec<u8>, FetchError>;
}

/// Fetches `http://` and `https://` URIs with the off-chain HTTP host functions, and `ipfs://`
/// URIs through the gateway configured under [`IPFS_GATEWAY_KEY`], with a deadline of
/// [`FETCH_TIMEOUT_MS`].
pub struct HttpFetcher;

impl HttpFetcher {
	/// The HTTP URL to request for an artifact URI, or `None` if this node cannot fetch it.
	pub fn url_of(uri: &[u8]) -> Option<String> {
		let uri = core::str::from_utf8(uri).ok()?;
		if uri.starts_with("https://") || uri.starts_with("http://") {
			return Some(uri.into());
		}
		let cid = uri.strip_prefix("ipfs://")?;
		let gateway = sp_io::offchain::local_storage_get(StorageKind::PERSISTENT, IPFS_GATEWAY_KEY)?;
		let gateway = String::from_utf8(gateway).ok()?;
		let mut url = String::from(gateway.trim_end_matches('/'));
		url.push_str("/ipfs/");
		url.push_str(cid);
		Some(url)
	}
}

impl FetchArtifact for HttpFetcher {
	fn fetch(uri: &[u8], max_len: u64) -> Result<Vec<u8>, FetchError> {
		let url = Self::url_of(uri).ok_or(FetchError::UnsupportedUri)?;
		let allowed = sp_io::offchain::local_storage_get(StorageKind::PERSISTENT, ALLOW_PRIVATE_HOSTS_KEY).is_some();
		if !allowed && is_private_host(&url) {
			return Err(FetchError::ForbiddenHost);
		}
		let deadline = sp_io::offchain::timestamp().add(Duration::from_millis(FETCH_TIMEOUT_MS));
		let pending = http::Request::get(&url).deadline(deadline).send().map_err(|_| FetchError::Network)?;
		let response = pending.try_wait(deadline).map_err(|_| FetchError::Timeout)?.map_err(|e| match e {
			http::Error::DeadlineReached => FetchError::Timeout,
			_ => FetchError::Network,
		})?;
		if response.code != 200 {
			return Err(FetchError::HttpStatus(response.code));
		}
		let mut body = response.body();
		body.deadline(deadline);
		// One allocation of the most that may come (below the worker's 32 MiB per allocation):
		// doubling a growing buffer could ask for more than that.
		let mut bytes = Vec::with_capacity(usize::try_from(max_len).unwrap_or(usize::MAX).min(MAX_PREALLOCATION));
		for byte in body.by_ref() {
			if bytes.len() as u64 >= max_len {
				return Err(FetchError::TooLarge);
			}
			bytes.push(byte);
		}
		match body.error() {
			None => Ok(bytes),
			Some(HttpError::DeadlineReached) => Err(FetchError::Timeout),
			Some(_) => Err(FetchError::Network),
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn addresses_and_internal_names_are_private_public_names_are_not() {
		for url in [
			"http://127.0.0.1:8000/sha256/ab",
			"http://2130706433/x",
			"http://0x7f.1/x",
			"http://[::1]:9000/x",
			"http://169.254.169.254/latest/meta-data",
			"https://10.0.0.7/x",
			"http://localhost:8000/x",
			"http://LOCALHOST./x",
			"http://printer/x",
			"http://metadata.google.internal/computeMetadata/v1",
			"http://nas.local/x",
			"http://router.home.arpa/x",
			"http://user:pw@127.0.0.1/x",
			"http://files.example.com@192.168.1.1/x",
			"not a url",
		] {
			assert!(is_private_host(url), "{url} must be refused");
		}
		for url in [
			"https://files.example.com/sha256/ab",
			"http://data.merit.org:8080/x?y=1",
			"https://user@storage.googleapis.com/bucket/file.csv",
			"https://a.b.c.d.example/x#local",
			"https://localhost.example.com/x",
		] {
			assert!(!is_private_host(url), "{url} must be allowed");
		}
	}
}
