//! Runs real `merit-node` processes for end-to-end tests and talks to them over JSON-RPC.
//!
//! Every node gets its own free loopback ports and base path, and is killed when its handle drops,
//! so tests can run side by side and never leave processes behind. When a node misbehaves, the
//! tail of its log is printed so the failure explains itself.

use serde_json::{json, Value};
use std::{
	fs,
	io::{BufRead, BufReader},
	net::TcpListener,
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	sync::atomic::{AtomicU32, Ordering},
	thread,
	time::{Duration, Instant},
};

/// Where the `merit-node` binary is: `$MERIT_NODE`, else beside the test binary's `deps/` folder.
pub fn node_binary() -> PathBuf {
	if let Ok(path) = std::env::var("MERIT_NODE") {
		return PathBuf::from(path);
	}
	let test_exe = std::env::current_exe().expect("the test binary knows its own path");
	let profile_dir = test_exe.parent().and_then(Path::parent).expect("test binaries live in <target>/<profile>/deps");
	let binary = profile_dir.join("merit-node");
	assert!(
		binary.exists(),
		"merit-node not found at {}: build it first (`cargo build -p merit-node`) or set MERIT_NODE",
		binary.display()
	);
	binary
}

/// A free TCP port on loopback, never the same twice in one test process.
///
/// The ports come from below Linux's ephemeral range (32768 and up), from which the OS picks both
/// `bind(port 0)` answers and the local ports of outgoing connections: a port from there could be
/// handed out twice, or taken by some client socket, between this call and the node's bind. (A
/// node whose `--rpc-port` is taken would quietly listen on a random port instead, which is why
/// [`Node::start`] also reads the port back from the node's log.)
pub fn free_port() -> u16 {
	const FIRST: u32 = 20_000;
	const COUNT: u32 = 12_000;
	static NEXT: AtomicU32 = AtomicU32::new(0);
	// Test binaries of one run follow each other; a pid-derived start keeps them apart anyway.
	let start = std::process::id().wrapping_mul(7_919) % COUNT;
	loop {
		let n = NEXT.fetch_add(1, Ordering::Relaxed);
		assert!(n < COUNT, "no free loopback port left in {FIRST}..{}", FIRST + COUNT);
		let port = (FIRST + (start + n) % COUNT) as u16;
		if TcpListener::bind(("127.0.0.1", port)).is_ok() {
			return port;
		}
	}
}

/// A fresh, empty directory under the system's temp dir, unique to this process and call.
pub fn scratch_dir(label: &str) -> PathBuf {
	static COUNTER: AtomicU32 = AtomicU32::new(0);
	let dir = std::env::temp_dir().join(format!(
		"merit-e2e-{}-{}-{}",
		label,
		std::process::id(),
		COUNTER.fetch_add(1, Ordering::Relaxed)
	));
	let _ = fs::remove_dir_all(&dir);
	fs::create_dir_all(&dir).expect("temp dir is writable");
	dir
}

/// How to start one node.
#[derive(Clone, Debug)]
pub struct NodeConfig {
	/// A label for logs and directories.
	pub name: String,
	/// `dev`, `local` or a chain spec path.
	pub chain: String,
	/// Where the node keeps its database and keystore; reusing it restarts the same node.
	pub base_path: PathBuf,
	/// Extra arguments (e.g. `--alice`, `--bootnodes ...`).
	pub extra_args: Vec<String>,
	/// JSON-RPC port.
	pub rpc_port: u16,
	/// libp2p port.
	pub p2p_port: u16,
	/// Prometheus port.
	pub prometheus_port: u16,
}

impl NodeConfig {
	/// A single-validator development node (Alice) on free ports, with a new base path.
	pub fn dev(name: &str) -> Self {
		Self::new(name, "dev", vec!["--alice".into(), "--force-authoring".into()])
	}

	/// A development node (Alice) that seals a block as soon as a transaction is ready and at
	/// least every half second, each final at once (`--sealing instant`): for tests of Merit's
	/// lifecycle, which wait on the chain's blocks but do not test consensus.
	pub fn dev_instant(name: &str) -> Self {
		Self::new(
			name,
			"dev",
			vec!["--alice".into(), "--sealing".into(), "instant".into(), "--seal-interval".into(), "500".into()],
		)
	}

	/// A `--chain local` validator with the given dev key flag (`--alice`, `--bob`, `--charlie`).
	pub fn local_validator(name: &str, key_flag: &str) -> Self {
		Self::new(name, "local", vec![key_flag.into(), "--validator".into()])
	}

	/// A new base path gets a network key, the way an operator prepares a validator.
	fn new(name: &str, chain: &str, extra_args: Vec<String>) -> Self {
		let config = Self {
			name: name.into(),
			chain: chain.into(),
			base_path: scratch_dir(name),
			extra_args,
			rpc_port: free_port(),
			p2p_port: free_port(),
			prometheus_port: free_port(),
		};
		generate_node_key(&config);
		config
	}
}

/// A running merit-node process; killed on drop.
pub struct Node {
	/// How it was started (to restart it on the same base path).
	pub config: NodeConfig,
	child: Option<Child>,
	log_path: PathBuf,
}

impl Node {
	/// Starts the node and waits until its JSON-RPC server answers.
	pub fn start(config: NodeConfig) -> Node {
		let log_path = config.base_path.join(format!("{}.log", config.name));
		let log_start = fs::metadata(&log_path).map(|meta| meta.len()).unwrap_or(0);
		let log = fs::OpenOptions::new().create(true).append(true).open(&log_path).expect("log file is writable");
		let child = Command::new(node_binary())
			.arg("--chain")
			.arg(&config.chain)
			.arg("--base-path")
			.arg(&config.base_path)
			.args(["--rpc-port", &config.rpc_port.to_string()])
			.args(["--prometheus-port", &config.prometheus_port.to_string()])
			.args(["--listen-addr", &format!("/ip4/127.0.0.1/tcp/{}", config.p2p_port)])
			.args(["--no-mdns", "--no-telemetry", "--name", &config.name])
			.args(&config.extra_args)
			.stdin(Stdio::null())
			.stdout(log.try_clone().expect("log handle clones"))
			.stderr(log)
			.spawn()
			.expect("merit-node starts");
		let mut node = Node { config, child: Some(child), log_path };
		node.wait_until("the node logs its JSON-RPC address", Duration::from_secs(120), |node| {
			node.logged_rpc_port(log_start).is_some()
		});
		// A taken `--rpc-port` makes the node fall back to a random port: follow it there.
		if let Some(port) = node.logged_rpc_port(log_start) {
			node.config.rpc_port = port;
		}
		node.wait_until("the JSON-RPC server answers", Duration::from_secs(120), |node| {
			node.try_rpc("system_health", json!([])).is_ok()
		});
		node
	}

	/// The port in the node's `Running JSON-RPC server: addr=127.0.0.1:PORT,...` line, looking only
	/// at the log written since byte `from` (a restart appends to the same log).
	fn logged_rpc_port(&self, from: u64) -> Option<u16> {
		let text = fs::read(&self.log_path).ok()?;
		let since = String::from_utf8_lossy(text.get(from as usize..)?).into_owned();
		let line = since.lines().find(|line| line.contains("Running JSON-RPC server: addr="))?;
		let addresses = line.split("addr=").nth(1)?;
		let first = addresses.split([',', ' ']).next()?;
		first.rsplit(':').next()?.parse().ok()
	}

	/// The node's JSON-RPC endpoint.
	pub fn rpc_url(&self) -> String {
		format!("http://127.0.0.1:{}", self.config.rpc_port)
	}

	/// Calls a JSON-RPC method; an error names the method and what went wrong.
	pub fn try_rpc(&self, method: &str, params: Value) -> Result<Value, String> {
		let request = json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": params });
		let response: Value = ureq::post(&self.rpc_url())
			.timeout(Duration::from_secs(10))
			.send_json(request)
			.map_err(|e| format!("{method}: {e}"))?
			.into_json()
			.map_err(|e| format!("{method}: unreadable response: {e}"))?;
		match response.get("error") {
			Some(error) => Err(format!("{method}: {error}")),
			None => Ok(response["result"].clone()),
		}
	}

	/// Calls a JSON-RPC method that must succeed.
	pub fn rpc(&self, method: &str, params: Value) -> Value {
		self.try_rpc(method, params).unwrap_or_else(|e| self.fail(&e))
	}

	/// The number of the best block.
	pub fn best_block(&self) -> u64 {
		header_number(&self.rpc("chain_getHeader", json!([])))
	}

	/// The number of the last finalized block.
	pub fn finalized_block(&self) -> u64 {
		let hash = self.rpc("chain_getFinalizedHead", json!([]));
		header_number(&self.rpc("chain_getHeader", json!([hash])))
	}

	/// The text the node serves on its Prometheus endpoint.
	pub fn prometheus_metrics(&self) -> Result<String, String> {
		ureq::get(&format!("http://127.0.0.1:{}/metrics", self.config.prometheus_port))
			.timeout(Duration::from_secs(10))
			.call()
			.map_err(|e| e.to_string())?
			.into_string()
			.map_err(|e| e.to_string())
	}

	/// Polls `condition` every half second until it holds, or fails the test with the node's log.
	pub fn wait_until(&mut self, what: &str, timeout: Duration, mut condition: impl FnMut(&Node) -> bool) {
		let deadline = Instant::now() + timeout;
		loop {
			if let Some(child) = self.child.as_mut() {
				if let Ok(Some(status)) = child.try_wait() {
					self.fail(&format!("node exited ({status}) while waiting until {what}"));
				}
			}
			if condition(self) {
				return;
			}
			if Instant::now() >= deadline {
				self.fail(&format!("timed out after {timeout:?} waiting until {what}"));
			}
			thread::sleep(Duration::from_millis(500));
		}
	}

	/// Stops the node gracefully (SIGINT, as Ctrl-C would) and waits for it to exit.
	pub fn stop(&mut self) {
		if let Some(mut child) = self.child.take() {
			let _ = Command::new("kill").args(["-INT", &child.id().to_string()]).status();
			let deadline = Instant::now() + Duration::from_secs(60);
			while Instant::now() < deadline {
				if let Ok(Some(_)) = child.try_wait() {
					return;
				}
				thread::sleep(Duration::from_millis(200));
			}
			let _ = child.kill();
			let _ = child.wait();
			panic!("{} did not stop within 60 s of SIGINT\n{}", self.config.name, self.log_tail(40));
		}
	}

	/// Kills the node at once (SIGKILL), as a crash or a pulled plug would.
	pub fn kill(&mut self) {
		if let Some(mut child) = self.child.take() {
			let _ = child.kill();
			let _ = child.wait();
		}
	}

	/// Starts the same node again on the same base path and ports.
	pub fn restart(&mut self) {
		self.stop();
		self.relaunch();
	}

	/// Starts the node again on the same base path and ports after [`Node::kill`] or
	/// [`Node::stop`]. (The old handle is forgotten, not dropped: dropping it would delete the base
	/// path the new process uses.)
	pub fn relaunch(&mut self) {
		let again = Node::start(self.config.clone());
		let old = std::mem::replace(self, again);
		std::mem::forget(old);
	}

	/// The last `lines` lines of the node's log.
	pub fn log_tail(&self, lines: usize) -> String {
		let Ok(file) = fs::File::open(&self.log_path) else { return String::new() };
		let all: Vec<String> = BufReader::new(file).lines().map_while(Result::ok).collect();
		all[all.len().saturating_sub(lines)..].join("\n")
	}

	/// Fails the test, printing the node's recent log.
	pub fn fail(&self, message: &str) -> ! {
		panic!(
			"{}: {}\n--- last lines of {} ---\n{}",
			self.config.name,
			message,
			self.log_path.display(),
			self.log_tail(60)
		)
	}
}

impl Drop for Node {
	fn drop(&mut self) {
		self.kill();
		if !thread::panicking() {
			let _ = fs::remove_dir_all(&self.config.base_path);
		}
	}
}

/// Writes a network key into the node's base path unless it has one (validators need one).
fn generate_node_key(config: &NodeConfig) {
	let output = Command::new(node_binary())
		.args(["key", "generate-node-key", "--chain", &config.chain, "--base-path"])
		.arg(&config.base_path)
		.output()
		.expect("merit-node key generate-node-key runs");
	assert!(
		output.status.success(),
		"generating the node key of {} failed: {}",
		config.name,
		String::from_utf8_lossy(&output.stderr)
	);
}

/// The block number of a JSON-RPC header (hex string).
pub fn header_number(header: &Value) -> u64 {
	let hex = header["number"].as_str().unwrap_or_else(|| panic!("header without number: {header}"));
	u64::from_str_radix(hex.trim_start_matches("0x"), 16)
		.unwrap_or_else(|e| panic!("header number {hex} is not hex: {e}"))
}

/// One MERIT in its smallest unit (12 decimals).
pub const MERIT: u128 = 1_000_000_000_000;

/// The repository's root.
pub fn repo_root() -> PathBuf {
	// `cargo test` sets the variable when it runs the test too: that one names this clone even when
	// the library was built in another clone sharing the target directory (cargo then keeps it).
	let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
	manifest_dir.unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR"))).join("..")
}

/// The `merit` client built beside `merit-node`.
pub fn merit_binary() -> PathBuf {
	let merit = node_binary().with_file_name("merit");
	assert!(merit.exists(), "{} is missing: build the workspace first (cargo build --workspace)", merit.display());
	merit
}

/// A balance given as a JSON number or string of the smallest unit.
pub fn planck(value: &Value) -> u128 {
	match value {
		Value::String(s) => s.parse().unwrap_or_else(|_| panic!("`{s}` is not an amount")),
		Value::Number(n) => n.as_u64().map(u128::from).unwrap_or_else(|| panic!("`{n}` is not an amount")),
		other => panic!("`{other}` is not an amount"),
	}
}

/// A score given as a decimal string.
pub fn decimal(value: &Value) -> f64 {
	value.as_str().and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("`{value}` is not a decimal score"))
}

/// scikit-learn's log-loss per (participant, subset) of the demo, from demo/expected.csv.
pub fn expected_scores() -> std::collections::BTreeMap<(String, String), f64> {
	let path = repo_root().join("demo/expected.csv");
	fs::read_to_string(&path)
		.unwrap_or_else(|e| panic!("{} is not readable: {e}", path.display()))
		.lines()
		.filter(|l| !l.starts_with('#') && !l.starts_with("participant"))
		.map(|l| {
			let f: Vec<&str> = l.split(',').collect();
			((f[0].to_string(), f[1].to_string()), f[2].parse().expect("a float"))
		})
		.collect()
}

/// Kills a helper process when the test ends, however it ends.
pub struct Running(pub Child);

impl Drop for Running {
	fn drop(&mut self) {
		let _ = self.0.kill();
		let _ = self.0.wait();
	}
}

/// The `merit` client's output for `args` against `url` (`--format json`, with the store and the
/// state directory given).
fn client_output(url: &str, state: &Path, store: &str, args: &[&str]) -> std::process::Output {
	Command::new(merit_binary())
		.current_dir(repo_root())
		.args(["--url", url, "--format", "json"])
		.args(args)
		.env("MERIT_STORE", store)
		.env("MERIT_STATE_DIR", state)
		.output()
		.unwrap_or_else(|e| panic!("{} cannot run in {}: {e}", merit_binary().display(), repo_root().display()))
}

/// Runs the `merit` client against `url` with `args`, returning its JSON output; fails the test
/// with its stderr.
pub fn run_client(url: &str, state: &Path, store: &str, args: &[&str]) -> Value {
	let output = client_output(url, state, store, args);
	let stdout = String::from_utf8_lossy(&output.stdout);
	assert!(
		output.status.success(),
		"merit {} failed: {}\n{}",
		args.join(" "),
		String::from_utf8_lossy(&output.stderr),
		stdout
	);
	// Some commands print nothing but a confirmation: treat that as null.
	serde_json::from_str(stdout.trim()).unwrap_or(Value::Null)
}

/// Runs the client with `args`, which must fail; returns its stderr.
pub fn run_client_failing(url: &str, state: &Path, store: &str, args: &[&str]) -> String {
	let output = client_output(url, state, store, args);
	let stderr = String::from_utf8_lossy(&output.stderr).to_string();
	assert!(!output.status.success(), "merit {} should have failed: {stderr}", args.join(" "));
	stderr
}

/// A headless Chromium driven through chromedriver (W3C WebDriver over HTTP), for the web portal's
/// tests: both are Debian packages `scripts/setup` installs.
pub struct Browser {
	driver_url: String,
	session: String,
	_driver: Running,
	/// Where [`Browser::screenshot`] saves.
	pub screenshots: PathBuf,
}

impl Browser {
	/// Starts chromedriver on a free port and opens a headless session.
	pub fn start() -> Browser {
		let port = free_port();
		let driver = Command::new("chromedriver")
			.arg(format!("--port={port}"))
			.stdout(std::process::Stdio::null())
			.stderr(std::process::Stdio::null())
			.spawn()
			.expect("chromedriver runs (scripts/setup installs Debian's chromium-driver)");
		let driver = Running(driver);
		let driver_url = format!("http://127.0.0.1:{port}");
		let deadline = std::time::Instant::now() + Duration::from_secs(20);
		loop {
			let ready = ureq::get(&format!("{driver_url}/status"))
				.call()
				.ok()
				.and_then(|r| r.into_json::<Value>().ok())
				.is_some_and(|v| v["value"]["ready"] == true);
			if ready {
				break;
			}
			assert!(std::time::Instant::now() < deadline, "chromedriver did not become ready on port {port}");
			std::thread::sleep(Duration::from_millis(100));
		}
		let binary = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
			.into_iter()
			.find(|p| Path::new(p).exists())
			.expect("chromium is installed (scripts/setup)");
		let capabilities = serde_json::json!({ "capabilities": { "alwaysMatch": {
			"browserName": "chrome",
			"goog:chromeOptions": {
				"binary": binary,
				"args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1400"]
			}
		}}});
		let answer: Value = ureq::post(&format!("{driver_url}/session"))
			.send_json(capabilities)
			.unwrap_or_else(|e| panic!("chromedriver could not open a session: {e}"))
			.into_json()
			.expect("a JSON answer");
		let session = answer["value"]["sessionId"].as_str().expect("a session id").to_string();
		Browser { driver_url, session, _driver: driver, screenshots: scratch_dir("web-screenshots") }
	}

	fn command(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
		let url = format!("{}/session/{}{path}", self.driver_url, self.session);
		let request = ureq::request(method, &url);
		let response = match body {
			Some(body) => request.send_json(body),
			None => request.call(),
		};
		match response {
			Ok(r) => Ok(r.into_json::<Value>().map_err(|e| e.to_string())?["value"].clone()),
			Err(ureq::Error::Status(_, r)) => Err(r.into_string().unwrap_or_default()),
			Err(e) => Err(e.to_string()),
		}
	}

	/// Opens `url` and waits for the page to load.
	pub fn goto(&self, url: &str) {
		self.command("POST", "/url", Some(serde_json::json!({ "url": url })))
			.unwrap_or_else(|e| panic!("opening {url}: {e}"));
	}

	fn element(&self, css: &str) -> Option<String> {
		let found = self
			.command("POST", "/element", Some(serde_json::json!({ "using": "css selector", "value": css })))
			.ok()?;
		found.as_object()?.values().next()?.as_str().map(str::to_string)
	}

	/// The visible text of the first element matching `css`, if there is one.
	pub fn text(&self, css: &str) -> Option<String> {
		let element = self.element(css)?;
		self.command("GET", &format!("/element/{element}/text"), None).ok()?.as_str().map(str::to_string)
	}

	/// An attribute (or property) of the first element matching `css`.
	pub fn attribute(&self, css: &str, name: &str) -> Option<String> {
		let element = self.element(css)?;
		self.command("GET", &format!("/element/{element}/attribute/{name}"), None).ok()?.as_str().map(str::to_string)
	}

	/// Clicks the first element matching `css`.
	pub fn click(&self, css: &str) {
		let element = self.element(css).unwrap_or_else(|| panic!("no element matches {css}"));
		self.command("POST", &format!("/element/{element}/click"), Some(serde_json::json!({})))
			.unwrap_or_else(|e| panic!("clicking {css}: {e}"));
	}

	/// The page's whole text.
	pub fn page_text(&self) -> String {
		self.text("body").unwrap_or_default()
	}

	/// Waits up to `timeout` for `condition`, failing with `what` and the page's text.
	pub fn wait_for(&self, what: &str, timeout: Duration, mut condition: impl FnMut(&Browser) -> bool) {
		let deadline = std::time::Instant::now() + timeout;
		while !condition(self) {
			assert!(
				std::time::Instant::now() < deadline,
				"waited {timeout:?} for {what}; the page says:\n{}",
				self.page_text()
			);
			std::thread::sleep(Duration::from_millis(250));
		}
	}

	/// Saves a PNG of the window as `<name>.png` in [`Browser::screenshots`]; returns its path.
	pub fn screenshot(&self, name: &str) -> PathBuf {
		use base64::Engine;
		let data = self.command("GET", "/screenshot", None).unwrap_or_else(|e| panic!("screenshot: {e}"));
		let png =
			base64::engine::general_purpose::STANDARD.decode(data.as_str().expect("base64 text")).expect("base64");
		let path = self.screenshots.join(format!("{name}.png"));
		fs::write(&path, png).expect("the screenshot is written");
		path
	}
}

impl Drop for Browser {
	fn drop(&mut self) {
		let _ = self.command("DELETE", "", None);
	}
}
