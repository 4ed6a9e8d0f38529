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

/// Local off-chain storage key of an optional IPFS HTTP gateway (e.g. `https://ipfs.io`) through
/// which the worker fetches `ipfs://` URIs. Without it, `ipfs://` artifacts are skipped by this
/// evaluator (and never reported as the submission's failure).
pub const IPFS_GATEWAY_KEY: &[u8] = b"merit::ipfs-gateway";

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
		let mut bytes = Vec::new();
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
