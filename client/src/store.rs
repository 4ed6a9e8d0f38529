//! A content-addressed artifact store over HTTP, and the client side that uploads to it.
//!
//! - `PUT /sha256/<hex>` (or `POST`) stores the request body only if its sha256 is `<hex>`:
//!   `201 Created` for a new artifact, `200 OK` if it was already stored, `422` when the body
//!   hashes to something else, `400` for a malformed id, `413` above the size limit.
//! - `GET /sha256/<hex>` (and `HEAD`) serves it, `404` if absent.
//!
//! Ids are 64 lowercase hex digits. Files are written to a temporary file in the same
//! directory and renamed into place, so a reader never sees half an artifact. The URI to
//! register on chain is `http://HOST:PORT/sha256/<hex>`.
use anyhow::{bail, Context, Result};
use http_body_util::{BodyExt, Full, Limited};
use hyper::{
	body::{Bytes, Incoming},
	header, Method, Request, Response, StatusCode,
};
use hyper_util::rt::TokioIo;
use std::{
	convert::Infallible,
	net::SocketAddr,
	path::{Path, PathBuf},
	sync::{
		atomic::{AtomicU64, Ordering},
		Arc,
	},
	time::Duration,
};
use tokio::net::TcpListener;

use crate::digest::{is_digest_hex, sha256_hex};

/// The default largest artifact the store accepts: 512 MiB.
pub const DEFAULT_MAX_SIZE: u64 = 512 * 1024 * 1024;

/// Where a store keeps its artifacts and how large they may be.
#[derive(Clone, Debug)]
pub struct Store {
	/// One file per artifact, named by its lowercase hex sha256.
	pub dir: PathBuf,
	/// The largest body accepted, in bytes.
	pub max_size: u64,
}

impl Store {
	/// A store in `dir` (created if missing).
	pub fn open(dir: &Path, max_size: u64) -> Result<Store> {
		std::fs::create_dir_all(dir).with_context(|| format!("cannot create the store directory {}", dir.display()))?;
		Ok(Store { dir: dir.to_path_buf(), max_size })
	}

	fn path_of(&self, hex_id: &str) -> PathBuf {
		self.dir.join(hex_id)
	}

	/// Stores `body` under `hex_id` if it hashes to it. Returns whether it was new.
	pub fn put(&self, hex_id: &str, body: &[u8]) -> Result<bool, (StatusCode, String)> {
		check_id(hex_id)?;
		let actual = sha256_hex(body);
		if actual != hex_id {
			return Err((
				StatusCode::UNPROCESSABLE_ENTITY,
				format!("hash mismatch: the body's sha256 is {actual}, not {hex_id}; nothing was stored\n"),
			));
		}
		let path = self.path_of(hex_id);
		if path.exists() {
			return Ok(false);
		}
		static COUNTER: AtomicU64 = AtomicU64::new(0);
		let tmp = self.dir.join(format!(
			".tmp-{hex_id}-{}-{}",
			std::process::id(),
			COUNTER.fetch_add(1, Ordering::Relaxed)
		));
		let written = std::fs::write(&tmp, body).and_then(|_| std::fs::rename(&tmp, &path));
		if let Err(e) = written {
			let _ = std::fs::remove_file(&tmp);
			return Err((StatusCode::INTERNAL_SERVER_ERROR, format!("cannot store the artifact: {e}\n")));
		}
		Ok(true)
	}

	/// The bytes stored under `hex_id`, checked against it: a copy the disk corrupted is removed
	/// and never served (it would cost evaluators a fetch and the submitter its score).
	pub fn get(&self, hex_id: &str) -> Result<Vec<u8>, (StatusCode, String)> {
		check_id(hex_id)?;
		let path = self.path_of(hex_id);
		let bytes = std::fs::read(&path).map_err(|e| match e.kind() {
			std::io::ErrorKind::NotFound => (StatusCode::NOT_FOUND, format!("no artifact {hex_id} in this store\n")),
			_ => (StatusCode::INTERNAL_SERVER_ERROR, format!("cannot read artifact {hex_id}: {e}\n")),
		})?;
		if sha256_hex(&bytes) != hex_id {
			let _ = std::fs::remove_file(&path);
			return Err((
				StatusCode::INTERNAL_SERVER_ERROR,
				format!("the stored copy of {hex_id} no longer matches its hash: it was removed; upload it again\n"),
			));
		}
		Ok(bytes)
	}
}

fn check_id(hex_id: &str) -> Result<(), (StatusCode, String)> {
	if is_digest_hex(hex_id) {
		Ok(())
	} else {
		Err((
			StatusCode::BAD_REQUEST,
			format!("`{hex_id}` is not an artifact id: use 64 lowercase hex digits (the sha256 of the bytes)\n"),
		))
	}
}

fn text(status: StatusCode, body: String) -> Response<Full<Bytes>> {
	Response::builder()
		.status(status)
		.header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
		.body(Full::new(Bytes::from(body)))
		.expect("a response with a valid status and header")
}

/// Answers one request.
pub async fn handle(store: Arc<Store>, request: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
	let path = request.uri().path().to_string();
	let Some(hex_id) = path.strip_prefix("/sha256/").map(str::to_string) else {
		return Ok(if path == "/" && request.method() == Method::GET {
			text(StatusCode::OK, "Merit artifact store: PUT or GET /sha256/<64 lowercase hex digits>\n".into())
		} else {
			text(StatusCode::NOT_FOUND, format!("no such path {path}: artifacts are at /sha256/<hex>\n"))
		});
	};
	let method = request.method().clone();
	let response = match method {
		Method::PUT | Method::POST => {
			if let Err((status, message)) = check_id(&hex_id) {
				return Ok(text(status, message));
			}
			let body = match Limited::new(request.into_body(), store.max_size as usize).collect().await {
				Ok(collected) => collected.to_bytes(),
				Err(e) => {
					let message = e.to_string();
					return Ok(if e.downcast_ref::<http_body_util::LengthLimitError>().is_some() {
						text(
							StatusCode::PAYLOAD_TOO_LARGE,
							format!("the body is larger than this store's limit of {} bytes\n", store.max_size),
						)
					} else {
						text(StatusCode::BAD_REQUEST, format!("cannot read the request body: {message}\n"))
					});
				},
			};
			let put_store = store.clone();
			let id = hex_id.clone();
			let stored = tokio::task::spawn_blocking(move || put_store.put(&id, &body)).await;
			match stored {
				Ok(Ok(true)) => text(StatusCode::CREATED, format!("stored /sha256/{hex_id}\n")),
				Ok(Ok(false)) => text(StatusCode::OK, format!("already stored /sha256/{hex_id}\n")),
				Ok(Err((status, message))) => text(status, message),
				Err(e) => text(StatusCode::INTERNAL_SERVER_ERROR, format!("{e}\n")),
			}
		},
		Method::GET | Method::HEAD => {
			let get_store = store.clone();
			let id = hex_id.clone();
			match tokio::task::spawn_blocking(move || get_store.get(&id)).await {
				Ok(Ok(bytes)) => {
					let length = bytes.len();
					let body = if method == Method::HEAD { Bytes::new() } else { Bytes::from(bytes) };
					Response::builder()
						.status(StatusCode::OK)
						.header(header::CONTENT_TYPE, "application/octet-stream")
						.header(header::CONTENT_LENGTH, length)
						.header(header::ETAG, format!("\"{hex_id}\""))
						.header(header::CACHE_CONTROL, "public, max-age=31536000, immutable")
						.body(Full::new(body))
						.expect("valid response")
				},
				Ok(Err((status, message))) => text(status, message),
				Err(e) => text(StatusCode::INTERNAL_SERVER_ERROR, format!("{e}\n")),
			}
		},
		other => text(StatusCode::METHOD_NOT_ALLOWED, format!("{other} is not supported: use PUT, POST, GET or HEAD\n")),
	};
	Ok(response)
}

/// How long a client may take to send a request's headers.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(30);
/// The longest a connection may stay open, idle or not (a 512 MiB upload at 1 MiB/s fits).
pub const CONNECTION_TIMEOUT: Duration = Duration::from_secs(600);

/// Serves `store` on `listener` until the task is dropped. A client that sends its headers too
/// slowly, or keeps a connection longer than [`CONNECTION_TIMEOUT`], is dropped: a stranger cannot
/// hold the store's connections open for good.
pub async fn serve(listener: TcpListener, store: Store) -> Result<()> {
	serve_with(listener, store, HEADER_TIMEOUT, CONNECTION_TIMEOUT).await
}

/// [`serve`] with other timeouts (tests use short ones).
pub async fn serve_with(
	listener: TcpListener,
	store: Store,
	header_timeout: Duration,
	connection_timeout: Duration,
) -> Result<()> {
	let store = Arc::new(store);
	loop {
		let (stream, _) = listener.accept().await.context("the store's listener failed")?;
		let store = store.clone();
		tokio::spawn(async move {
			let service = hyper::service::service_fn(move |request| handle(store.clone(), request));
			let connection = hyper::server::conn::http1::Builder::new()
				.timer(hyper_util::rt::TokioTimer::new())
				.header_read_timeout(header_timeout)
				.serve_connection(TokioIo::new(stream), service);
			let _ = tokio::time::timeout(connection_timeout, connection).await;
		});
	}
}

/// Binds `listen` and serves `store` in the background; returns the bound address (useful with
/// port 0) and the task.
pub async fn spawn(listen: &str, store: Store) -> Result<(SocketAddr, tokio::task::JoinHandle<Result<()>>)> {
	let listener = TcpListener::bind(listen).await.with_context(|| format!("cannot listen on {listen}"))?;
	let address = listener.local_addr()?;
	Ok((address, tokio::spawn(serve(listener, store))))
}

/// The URI of an artifact in the store at `store_url` (e.g. `http://127.0.0.1:8000`).
pub fn artifact_uri(store_url: &str, hex_id: &str) -> String {
	format!("{}/sha256/{hex_id}", store_url.trim_end_matches('/'))
}

/// Uploads `bytes` to the store at `store_url` and returns the artifact's URI. Blocking.
pub fn upload(store_url: &str, bytes: &[u8]) -> Result<String> {
	if !(store_url.starts_with("http://") || store_url.starts_with("https://")) {
		bail!("the store URL `{store_url}` must start with http:// or https://");
	}
	let hex_id = sha256_hex(bytes);
	let uri = artifact_uri(store_url, &hex_id);
	let result = ureq::put(&uri)
		.timeout(Duration::from_secs(600))
		.set("Content-Type", "application/octet-stream")
		.send_bytes(bytes);
	match result {
		Ok(_) => Ok(uri),
		Err(ureq::Error::Status(status, response)) => {
			let message = response.into_string().unwrap_or_default();
			bail!("the store at {store_url} refused the upload ({status}): {}", message.trim())
		},
		Err(e) => Err(anyhow::anyhow!("{e}")).with_context(|| format!("cannot reach the artifact store at {store_url}")),
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn rt() -> tokio::runtime::Runtime {
		tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
	}

	#[test]
	fn upload_accepted_refused_and_downloaded() {
		let dir = tempfile::tempdir().unwrap();
		let runtime = rt();
		let store = Store::open(dir.path(), 1024).unwrap();
		let (address, _task) = runtime.block_on(spawn("127.0.0.1:0", store)).unwrap();
		let url = format!("http://{address}");
		let body = b"id,y\n1,0.5\n2,1.5\n".to_vec();
		let id = sha256_hex(&body);

		// Accepted, then idempotent.
		let uri = upload(&url, &body).unwrap();
		assert_eq!(uri, format!("{url}/sha256/{id}"));
		assert_eq!(std::fs::read(dir.path().join(&id)).unwrap(), body);
		assert_eq!(upload(&url, &body).unwrap(), uri);
		let post = ureq::post(&uri).send_bytes(&body).unwrap();
		assert_eq!(post.status(), 200);

		// Downloaded, by the store's GET and by the fetcher.
		let got = ureq::get(&uri).call().unwrap();
		assert_eq!(got.header("Content-Length"), Some(body.len().to_string().as_str()));
		assert_eq!(crate::fetch::fetch(&uri, "https://ipfs.io", 1 << 20).unwrap(), body);
		let size = body.len() as u64;
		assert_eq!(crate::fetch::fetch_verified(&uri, "https://ipfs.io", size, &id).unwrap(), body);
		let longer = crate::fetch::fetch_verified(&uri, "https://ipfs.io", size - 1, &id).unwrap_err().to_string();
		assert!(longer.starts_with("hash mismatch"), "{longer}");
		let other = crate::fetch::fetch_verified(&uri, "https://ipfs.io", size, &sha256_hex(b"x")).unwrap_err().to_string();
		assert!(other.starts_with("hash mismatch"), "{other}");
		assert!(crate::fetch::fetch(&uri, "https://ipfs.io", size - 1).is_err());

		// Refused: wrong hash, malformed ids, too large, unknown.
		let wrong = sha256_hex(b"something else");
		match ureq::put(&format!("{url}/sha256/{wrong}")).send_bytes(&body) {
			Err(ureq::Error::Status(422, response)) =>
				assert!(response.into_string().unwrap().contains("hash mismatch")),
			other => panic!("expected 422, got {other:?}"),
		}
		assert!(!dir.path().join(&wrong).exists());
		match ureq::put(&format!("{url}/sha256/{}", id.to_uppercase())).send_bytes(&body) {
			Err(ureq::Error::Status(400, response)) => assert!(response.into_string().unwrap().contains("lowercase")),
			other => panic!("expected 400, got {other:?}"),
		}
		assert!(matches!(ureq::get(&format!("{url}/sha256/abc")).call(), Err(ureq::Error::Status(400, _))));
		let big = vec![b'x'; 2048];
		match ureq::put(&format!("{url}/sha256/{}", sha256_hex(&big))).send_bytes(&big) {
			Err(ureq::Error::Status(413, _)) => {},
			other => panic!("expected 413, got {other:?}"),
		}
		assert!(matches!(ureq::get(&format!("{url}/sha256/{wrong}")).call(), Err(ureq::Error::Status(404, _))));
		assert!(matches!(ureq::delete(&uri).call(), Err(ureq::Error::Status(405, _))));
		let error = upload(&url, &big).unwrap_err().to_string();
		assert!(error.contains("refused"), "{error}");

		// No temporary files left behind.
		let names: Vec<String> =
			std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
		assert_eq!(names, vec![id]);
	}

	#[test]
	fn a_copy_the_disk_corrupted_is_removed_not_served_and_a_silent_client_is_dropped() {
		let dir = tempfile::tempdir().unwrap();
		let runtime = rt();
		let store = Store::open(dir.path(), 1024).unwrap();
		let header_timeout = Duration::from_secs(1);
		let (address, _task) = runtime
			.block_on(async {
				let listener = TcpListener::bind("127.0.0.1:0").await?;
				let address = listener.local_addr()?;
				Ok::<_, anyhow::Error>((
					address,
					tokio::spawn(serve_with(listener, store, header_timeout, Duration::from_secs(60))),
				))
			})
			.unwrap();
		let url = format!("http://{address}");
		let body = b"id,y\n1,0.5\n".to_vec();
		let uri = upload(&url, &body).unwrap();
		let id = sha256_hex(&body);
		std::fs::write(dir.path().join(&id), b"id,y\n1,9.5\n").unwrap();
		match ureq::get(&uri).call() {
			Err(ureq::Error::Status(500, response)) => {
				let message = response.into_string().unwrap();
				assert!(message.contains("no longer matches its hash"), "{message}");
			},
			other => panic!("a corrupted copy was answered with {other:?}"),
		}
		assert!(!dir.path().join(&id).exists(), "the corrupted copy is still there");
		assert!(matches!(ureq::get(&uri).call(), Err(ureq::Error::Status(404, _))));
		// Uploaded again, it is served again.
		upload(&url, &body).unwrap();
		assert_eq!(ureq::get(&uri).call().unwrap().into_string().unwrap().into_bytes(), body);

		// A client that opens a connection and sends nothing is dropped after the header timeout.
		use std::io::Read;
		let mut silent = std::net::TcpStream::connect(address).unwrap();
		silent.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
		let started = std::time::Instant::now();
		let mut buffer = [0u8; 256];
		let read = silent.read(&mut buffer);
		assert!(started.elapsed() < Duration::from_secs(10), "the connection outlived the header timeout");
		assert!(matches!(read, Ok(_)), "the store closes the connection (or answers 408): {read:?}");
	}

	#[test]
	fn unreachable_store_is_named() {
		let error = format!("{:#}", upload("http://127.0.0.1:1", b"x").unwrap_err());
		assert!(error.contains("http://127.0.0.1:1"), "{error}");
		assert!(upload("ftp://example", b"x").is_err());
	}
}
