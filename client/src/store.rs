//! A content-addressed artifact store over HTTP, and the client side that uploads to it.
//!
//! - `PUT /sha256/<hex>` (or `POST`) stores the request body only if its sha256 is `<hex>`:
//!   `201 Created` for a new artifact, `200 OK` if it was already stored, `422` when the body
//!   hashes to something else, `400` for a malformed id, `413` above the size limit, `408` when
//!   the body stops arriving.
//! - `GET /sha256/<hex>` serves it (checked against its hash first), `HEAD` answers its length,
//!   `404` if absent.
//!
//! Ids are 64 lowercase hex digits. Bodies stream through in chunks both ways, hashed on the fly:
//! the store holds no artifact in memory, whatever its size. An upload is written to a temporary
//! file of its own in the same directory and linked into place only once its hash is checked, so
//! a reader never sees half an artifact and two uploads of the same bytes at once both succeed
//! (one `201`, one `200`). The URI to register on chain is `http://HOST:PORT/sha256/<hex>`.
use anyhow::{bail, Context, Result};
use http_body_util::{combinators::UnsyncBoxBody, BodyExt, Channel, Full};
use hyper::{
	body::{Bytes, Incoming},
	header, Method, Request, Response, StatusCode,
};
use hyper_util::rt::TokioIo;
use sha2::{Digest, Sha256};
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
use tokio::{
	io::{AsyncReadExt, AsyncWriteExt},
	net::TcpListener,
};

use crate::digest::{is_digest_hex, sha256_hex};

/// The default largest artifact the store accepts: 512 MiB.
pub const DEFAULT_MAX_SIZE: u64 = 512 * 1024 * 1024;
/// The chunk size in which stored files are served.
const CHUNK: usize = 256 * 1024;

/// A failed request: the status and a message naming the problem.
type Refusal = (StatusCode, String);

/// Where a store keeps its artifacts and how large they may be.
#[derive(Clone, Debug)]
pub struct Store {
	/// One file per artifact, named by its lowercase hex sha256.
	pub dir: PathBuf,
	/// The largest body accepted, in bytes.
	pub max_size: u64,
}

/// Removes a temporary upload unless it was committed (an upload that fails, times out or whose
/// client goes away leaves nothing behind).
struct TemporaryFile(PathBuf);

impl Drop for TemporaryFile {
	fn drop(&mut self) {
		let _ = std::fs::remove_file(&self.0);
	}
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

	fn temporary_for(&self, hex_id: &str) -> TemporaryFile {
		static COUNTER: AtomicU64 = AtomicU64::new(0);
		TemporaryFile(self.dir.join(format!(
			".tmp-{hex_id}-{}-{}",
			std::process::id(),
			COUNTER.fetch_add(1, Ordering::Relaxed)
		)))
	}

	/// Receives a body in chunks into a temporary file, hashing as it goes, and stores it under
	/// `hex_id` if it hashes to it. Returns whether it was new. A body above `max_size` is cut off
	/// at the first chunk past it; one that sends nothing for `idle` is dropped.
	pub async fn receive<B>(&self, hex_id: &str, mut body: B, idle: Duration) -> Result<bool, Refusal>
	where
		B: hyper::body::Body<Data = Bytes> + Unpin,
		B::Error: std::fmt::Display,
	{
		check_id(hex_id)?;
		let temporary = self.temporary_for(hex_id);
		let cannot_write = |e: std::io::Error| {
			(StatusCode::INTERNAL_SERVER_ERROR, format!("cannot store the artifact: {e}; nothing was stored\n"))
		};
		let mut file = tokio::fs::File::create(&temporary.0).await.map_err(cannot_write)?;
		let mut hasher = Sha256::new();
		let mut received: u64 = 0;
		loop {
			let frame = match tokio::time::timeout(idle, body.frame()).await {
				Err(_) => {
					return Err((
						StatusCode::REQUEST_TIMEOUT,
						format!("the body stopped arriving for {} s; nothing was stored\n", idle.as_secs()),
					))
				}
				Ok(None) => break,
				Ok(Some(Err(e))) => {
					return Err((
						StatusCode::BAD_REQUEST,
						format!("cannot read the request body: {e}; nothing was stored\n"),
					))
				}
				Ok(Some(Ok(frame))) => frame,
			};
			let Ok(data) = frame.into_data() else { continue };
			received = received.saturating_add(data.len() as u64);
			if received > self.max_size {
				return Err(too_large(self.max_size));
			}
			hasher.update(&data);
			file.write_all(&data).await.map_err(cannot_write)?;
		}
		file.flush().await.map_err(cannot_write)?;
		drop(file);
		let actual = hex::encode(hasher.finalize());
		if actual != hex_id {
			return Err((
				StatusCode::UNPROCESSABLE_ENTITY,
				format!("hash mismatch: the body's sha256 is {actual}, not {hex_id}; nothing was stored\n"),
			));
		}
		let store = self.clone();
		let id = hex_id.to_string();
		tokio::task::spawn_blocking(move || store.commit(&id, temporary))
			.await
			.map_err(|e| (StatusCode::INTERNAL_SERVER_ERROR, format!("{e}\n")))?
	}

	/// Links a checked upload into place. Linking (unlike renaming) fails if the name exists, so
	/// of two uploads of the same bytes exactly one reports it new; an existing copy that no
	/// longer matches its hash is replaced.
	fn commit(&self, hex_id: &str, temporary: TemporaryFile) -> Result<bool, Refusal> {
		let path = self.path_of(hex_id);
		let cannot_store =
			|e: std::io::Error| (StatusCode::INTERNAL_SERVER_ERROR, format!("cannot store the artifact: {e}\n"));
		match std::fs::hard_link(&temporary.0, &path) {
			Ok(()) => Ok(true),
			Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
				if self.checked_length(hex_id).is_ok() {
					Ok(false)
				} else {
					std::fs::rename(&temporary.0, &path).map_err(cannot_store)?;
					Ok(true)
				}
			}
			// A file system without hard links: a rename is atomic too (it may replace an identical copy).
			Err(_) => {
				let existed = path.exists();
				std::fs::rename(&temporary.0, &path).map_err(cannot_store)?;
				Ok(!existed)
			}
		}
	}

	/// The length of the copy stored under `hex_id`, read through (never whole in memory) and checked against
	/// its hash: a copy the disk corrupted is removed and never served (it would cost evaluators a
	/// fetch and the submitter its score).
	pub fn checked_length(&self, hex_id: &str) -> Result<u64, Refusal> {
		check_id(hex_id)?;
		let path = self.path_of(hex_id);
		let cannot_read = |e: std::io::Error| match e.kind() {
			std::io::ErrorKind::NotFound => (StatusCode::NOT_FOUND, format!("no artifact {hex_id} in this store\n")),
			_ => (StatusCode::INTERNAL_SERVER_ERROR, format!("cannot read artifact {hex_id}: {e}\n")),
		};
		let mut file = std::fs::File::open(&path).map_err(cannot_read)?;
		let mut hasher = Sha256::new();
		let length = std::io::copy(&mut file, &mut hasher).map_err(cannot_read)?;
		if hex::encode(hasher.finalize()) != hex_id {
			let _ = std::fs::remove_file(&path);
			return Err((
				StatusCode::INTERNAL_SERVER_ERROR,
				format!("the stored copy of {hex_id} no longer matches its hash: it was removed; upload it again\n"),
			));
		}
		Ok(length)
	}
}

fn too_large(max_size: u64) -> Refusal {
	(
		StatusCode::PAYLOAD_TOO_LARGE,
		format!("the body is larger than this store's limit of {max_size} bytes; nothing was stored\n"),
	)
}

fn check_id(hex_id: &str) -> Result<(), Refusal> {
	if is_digest_hex(hex_id) {
		Ok(())
	} else {
		Err((
			StatusCode::BAD_REQUEST,
			format!("`{hex_id}` is not an artifact id: use 64 lowercase hex digits (the sha256 of the bytes)\n"),
		))
	}
}

/// A response body: a short message in memory or a stored file streamed from disk.
pub type Body = UnsyncBoxBody<Bytes, std::io::Error>;

fn text(status: StatusCode, body: String) -> Response<Body> {
	Response::builder()
		.status(status)
		.header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
		.body(Full::new(Bytes::from(body)).map_err(|never| match never {}).boxed_unsync())
		.expect("a response with a valid status and header")
}

/// Streams the file at `path` in chunks (a bounded channel: a slow reader holds one chunk or
/// four, never the file).
fn stream_file(path: PathBuf) -> Body {
	let (mut sender, body) = Channel::<Bytes, std::io::Error>::new(4);
	tokio::spawn(async move {
		let mut file = match tokio::fs::File::open(&path).await {
			Ok(file) => file,
			Err(e) => return sender.abort(e),
		};
		loop {
			let mut buffer = vec![0u8; CHUNK];
			match file.read(&mut buffer).await {
				Ok(0) => return,
				Ok(read) => {
					buffer.truncate(read);
					if sender.send_data(Bytes::from(buffer)).await.is_err() {
						return; // the client went away
					}
				}
				Err(e) => return sender.abort(e),
			}
		}
	});
	body.boxed_unsync()
}

/// Answers one request.
pub async fn handle(
	store: Arc<Store>,
	request: Request<Incoming>,
	body_idle: Duration,
) -> Result<Response<Body>, Infallible> {
	let path = request.uri().path().to_string();
	let Some(hex_id) = path.strip_prefix("/sha256/").map(str::to_string) else {
		return Ok(if path == "/" && request.method() == Method::GET {
			text(StatusCode::OK, "Merit artifact store: PUT or GET /sha256/<64 lowercase hex digits>\n".into())
		} else {
			text(StatusCode::NOT_FOUND, format!("no such path {path}: artifacts are at /sha256/<hex>\n"))
		});
	};
	if let Err((status, message)) = check_id(&hex_id) {
		return Ok(text(status, message));
	}
	let method = request.method().clone();
	let response = match method {
		Method::PUT | Method::POST => {
			let declared = request
				.headers()
				.get(header::CONTENT_LENGTH)
				.and_then(|value| value.to_str().ok())
				.and_then(|value| value.parse::<u64>().ok());
			if declared.is_some_and(|length| length > store.max_size) {
				let (status, message) = too_large(store.max_size);
				return Ok(text(status, message));
			}
			match store.receive(&hex_id, request.into_body(), body_idle).await {
				Ok(true) => text(StatusCode::CREATED, format!("stored /sha256/{hex_id}\n")),
				Ok(false) => text(StatusCode::OK, format!("already stored /sha256/{hex_id}\n")),
				Err((status, message)) => text(status, message),
			}
		}
		Method::GET => {
			let checking = store.clone();
			let id = hex_id.clone();
			match tokio::task::spawn_blocking(move || checking.checked_length(&id)).await {
				Ok(Ok(length)) => Response::builder()
					.status(StatusCode::OK)
					.header(header::CONTENT_TYPE, "application/octet-stream")
					.header(header::CONTENT_LENGTH, length)
					.header(header::ETAG, format!("\"{hex_id}\""))
					.header(header::CACHE_CONTROL, "public, max-age=31536000, immutable")
					.body(stream_file(store.path_of(&hex_id)))
					.expect("valid response"),
				Ok(Err((status, message))) => text(status, message),
				Err(e) => text(StatusCode::INTERNAL_SERVER_ERROR, format!("{e}\n")),
			}
		}
		// The length only: reading a whole artifact through to answer a HEAD would let anyone make
		// the store hash 512 MiB for a few bytes of request.
		Method::HEAD => match tokio::fs::metadata(store.path_of(&hex_id)).await {
			Ok(metadata) => Response::builder()
				.status(StatusCode::OK)
				.header(header::CONTENT_TYPE, "application/octet-stream")
				.header(header::CONTENT_LENGTH, metadata.len())
				.header(header::ETAG, format!("\"{hex_id}\""))
				.body(Full::new(Bytes::new()).map_err(|never| match never {}).boxed_unsync())
				.expect("valid response"),
			Err(_) => text(StatusCode::NOT_FOUND, format!("no artifact {hex_id} in this store\n")),
		},
		other => {
			text(StatusCode::METHOD_NOT_ALLOWED, format!("{other} is not supported: use PUT, POST, GET or HEAD\n"))
		}
	};
	Ok(response)
}

/// How long each stage of a connection may take.
#[derive(Clone, Copy, Debug)]
pub struct Timeouts {
	/// To send a request's headers.
	pub header: Duration,
	/// Between two chunks of an upload's body.
	pub body_idle: Duration,
	/// The whole connection, idle or not (a 512 MiB upload at 1 MiB/s fits).
	pub connection: Duration,
}

impl Default for Timeouts {
	fn default() -> Self {
		Timeouts {
			header: Duration::from_secs(30),
			body_idle: Duration::from_secs(30),
			connection: Duration::from_secs(600),
		}
	}
}

/// Serves `store` on `listener` until the task is dropped, with the default [`Timeouts`]: a client
/// that sends its headers or its body too slowly, or keeps a connection too long, is dropped, so a
/// stranger cannot hold the store's connections open for good.
pub async fn serve(listener: TcpListener, store: Store) -> Result<()> {
	serve_with(listener, store, Timeouts::default()).await
}

/// [`serve`] with other timeouts (tests use short ones).
pub async fn serve_with(listener: TcpListener, store: Store, timeouts: Timeouts) -> Result<()> {
	let store = Arc::new(store);
	loop {
		let (stream, _) = listener.accept().await.context("the store's listener failed")?;
		let store = store.clone();
		tokio::spawn(async move {
			let service = hyper::service::service_fn(move |request| handle(store.clone(), request, timeouts.body_idle));
			let connection = hyper::server::conn::http1::Builder::new()
				.timer(hyper_util::rt::TokioTimer::new())
				.header_read_timeout(timeouts.header)
				.serve_connection(TokioIo::new(stream), service);
			let _ = tokio::time::timeout(timeouts.connection, connection).await;
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
		}
		Err(e) => {
			Err(anyhow::anyhow!("{e}")).with_context(|| format!("cannot reach the artifact store at {store_url}"))
		}
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
		let other =
			crate::fetch::fetch_verified(&uri, "https://ipfs.io", size, &sha256_hex(b"x")).unwrap_err().to_string();
		assert!(other.starts_with("hash mismatch"), "{other}");
		assert!(crate::fetch::fetch(&uri, "https://ipfs.io", size - 1).is_err());

		// Refused: wrong hash, malformed ids, too large, unknown.
		let wrong = sha256_hex(b"something else");
		match ureq::put(&format!("{url}/sha256/{wrong}")).send_bytes(&body) {
			Err(ureq::Error::Status(422, response)) => {
				assert!(response.into_string().unwrap().contains("hash mismatch"))
			}
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
			Err(ureq::Error::Status(413, _)) => {}
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
		let address = serve_quickly(&runtime, store);
		let url = format!("http://{address}");
		let body = b"id,y\n1,0.5\n".to_vec();
		let uri = upload(&url, &body).unwrap();
		let id = sha256_hex(&body);
		std::fs::write(dir.path().join(&id), b"id,y\n1,9.5\n").unwrap();
		match ureq::get(&uri).call() {
			Err(ureq::Error::Status(500, response)) => {
				let message = response.into_string().unwrap();
				assert!(message.contains("no longer matches its hash"), "{message}");
			}
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

	/// Serves `store` with one-second header and body timeouts; returns its address.
	fn serve_quickly(runtime: &tokio::runtime::Runtime, store: Store) -> SocketAddr {
		let timeouts = Timeouts {
			header: Duration::from_secs(1),
			body_idle: Duration::from_secs(1),
			connection: Duration::from_secs(60),
		};
		runtime.block_on(async {
			let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
			let address = listener.local_addr().unwrap();
			tokio::spawn(serve_with(listener, store, timeouts));
			address
		})
	}

	/// `length` pseudo-random bytes, made as they are read: the test never holds them either.
	struct Generated {
		remaining: u64,
		state: u64,
	}

	impl Generated {
		fn new(length: u64) -> Generated {
			Generated { remaining: length, state: 0x5EED }
		}
	}

	impl std::io::Read for Generated {
		fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
			let n = buffer.len().min(self.remaining as usize);
			for byte in &mut buffer[..n] {
				self.state = self.state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
				*byte = (self.state >> 56) as u8;
			}
			self.remaining -= n as u64;
			Ok(n)
		}
	}

	fn hash_of(mut reader: impl std::io::Read) -> String {
		let mut hasher = Sha256::new();
		std::io::copy(&mut reader, &mut hasher).unwrap();
		hex::encode(hasher.finalize())
	}

	/// The process's peak resident memory, in bytes (reset first where the kernel allows it).
	fn peak_memory() -> u64 {
		let status = std::fs::read_to_string("/proc/self/status").unwrap();
		let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
		line.split_whitespace().nth(1).unwrap().parse::<u64>().unwrap() * 1024
	}

	fn temporaries_in(dir: &Path) -> Vec<String> {
		std::fs::read_dir(dir)
			.unwrap()
			.map(|e| e.unwrap().file_name().into_string().unwrap())
			.filter(|name| name.starts_with(".tmp-"))
			.collect()
	}

	#[test]
	fn a_large_artifact_streams_through_without_being_held_in_memory() {
		const SIZE: u64 = 96 * 1024 * 1024;
		let dir = tempfile::tempdir().unwrap();
		let runtime = rt();
		let address = serve_quickly(&runtime, Store::open(dir.path(), SIZE).unwrap());
		let id = hash_of(Generated::new(SIZE));
		let uri = format!("http://{address}/sha256/{id}");
		let _ = std::fs::write("/proc/self/clear_refs", "5");
		let before = peak_memory();

		let stored = ureq::put(&uri).set("Content-Length", &SIZE.to_string()).send(Generated::new(SIZE)).unwrap();
		assert_eq!(stored.status(), 201);
		assert_eq!(std::fs::metadata(dir.path().join(&id)).unwrap().len(), SIZE);
		let served = ureq::get(&uri).call().unwrap();
		assert_eq!(served.header("Content-Length"), Some(SIZE.to_string().as_str()));
		assert_eq!(hash_of(served.into_reader()), id);
		let head = ureq::head(&uri).call().unwrap();
		assert_eq!(head.header("Content-Length"), Some(SIZE.to_string().as_str()));

		// The peak is the whole test process's, and the other tests of this binary run beside this
		// one: a third of the artifact leaves room for them (measured up to 26 MB in a loaded CI run)
		// and still fails a store that buffers it (one that did measured +108 MB).
		let grown = peak_memory().saturating_sub(before);
		assert!(grown < SIZE / 3, "a {SIZE}-byte artifact raised the peak memory by {grown} bytes");
		// One byte over the limit is refused, declared or not.
		let over = ureq::put(&format!("http://{address}/sha256/{}", hash_of(Generated::new(SIZE + 1))))
			.send(Generated::new(SIZE + 1));
		assert!(matches!(over, Err(ureq::Error::Status(413, _))), "{over:?}");
		assert_eq!(temporaries_in(dir.path()), Vec::<String>::new());
	}

	#[test]
	fn same_bytes_uploaded_at_once_are_stored_once_and_broken_uploads_leave_nothing() {
		use std::io::{Read, Write};
		let dir = tempfile::tempdir().unwrap();
		let runtime = rt();
		let address = serve_quickly(&runtime, Store::open(dir.path(), 1 << 24).unwrap());
		let body: Vec<u8> = {
			let mut bytes = Vec::new();
			Generated::new(4 << 20).read_to_end(&mut bytes).unwrap();
			bytes
		};
		let id = sha256_hex(&body);
		let uri = format!("http://{address}/sha256/{id}");
		let uploads: Vec<_> = (0..2)
			.map(|_| {
				let (uri, body) = (uri.clone(), body.clone());
				std::thread::spawn(move || ureq::put(&uri).send_bytes(&body).unwrap().status())
			})
			.collect();
		let mut statuses: Vec<u16> = uploads.into_iter().map(|u| u.join().unwrap()).collect();
		statuses.sort();
		assert_eq!(statuses, vec![200, 201], "exactly one of two simultaneous uploads stores the artifact");
		assert_eq!(std::fs::read(dir.path().join(&id)).unwrap(), body);

		// A body that stops arriving is answered 408 after the idle timeout.
		let other = sha256_hex(b"0123456789abcdef");
		let mut stalled = std::net::TcpStream::connect(address).unwrap();
		stalled.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
		write!(stalled, "PUT /sha256/{other} HTTP/1.1\r\nHost: x\r\nContent-Length: 16\r\n\r\n0123").unwrap();
		let mut answer = String::new();
		let _ = stalled.read_to_string(&mut answer);
		assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
		assert!(answer.contains("stopped arriving"), "{answer}");

		// A client that goes away mid-body leaves no temporary file.
		let mut gone = std::net::TcpStream::connect(address).unwrap();
		write!(gone, "PUT /sha256/{other} HTTP/1.1\r\nHost: x\r\nContent-Length: 16\r\n\r\n0123").unwrap();
		drop(gone);
		let deadline = std::time::Instant::now() + Duration::from_secs(10);
		while !temporaries_in(dir.path()).is_empty() && std::time::Instant::now() < deadline {
			std::thread::sleep(Duration::from_millis(50));
		}
		assert_eq!(temporaries_in(dir.path()), Vec::<String>::new());
		assert!(!dir.path().join(&other).exists());
		// A copy the disk corrupted is replaced by the next good upload.
		std::fs::write(dir.path().join(&id), b"rotten").unwrap();
		assert_eq!(ureq::put(&uri).send_bytes(&body).unwrap().status(), 201);
		assert_eq!(std::fs::read(dir.path().join(&id)).unwrap(), body);
	}

	#[test]
	fn unreachable_store_is_named() {
		let error = format!("{:#}", upload("http://127.0.0.1:1", b"x").unwrap_err());
		assert!(error.contains("http://127.0.0.1:1"), "{error}");
		assert!(upload("ftp://example", b"x").is_err());
	}
}
