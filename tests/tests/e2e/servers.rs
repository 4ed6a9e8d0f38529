//! The evaluators' off-chain workers against a file server that misbehaves as a submitter's
//! server can: 404, 500, a stall past the fetch deadline, a truncated body, corrupted bytes, a
//! redirect to a loopback address, a body longer than registered. A dev node's worker acts for the
//! three genesis evaluators, and is killed (`kill -9`) and restarted mid-way. Each misbehaving
//! file ends `unavailable`, with no evaluator slashed; the honest file beside them is scored at
//! scikit-learn's value, from reports sealed before the crash and revealed after it.
use merit_e2e::{
	decimal, expected_scores, merit_binary, planck, repo_root, run_client, scratch_dir, Node, NodeConfig, MERIT,
};
use serde_json::Value;
use std::{
	collections::HashMap,
	fs,
	io::{BufRead, BufReader, Read, Write},
	net::{TcpListener, TcpStream},
	sync::{Arc, Mutex},
	thread,
	time::{Duration, Instant},
};

const STARTUP: Duration = Duration::from_secs(120);
/// The demo's salt: with it the public rows are the demo's, whose scores `demo/expected.csv` holds.
const SALT: &str = "merit-demo-salt-2026";

/// What the server does when a file is asked for.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Behaviour {
	Serve,
	Status(u16),
	/// Holds the connection open, silent, past the worker's 10 s deadline.
	Stall,
	/// Announces the whole length, sends half, hangs up.
	Truncate,
	/// The right length, one byte changed.
	Corrupt,
	/// A 302 to the same file on 127.0.0.1.
	RedirectToLoopback,
	/// The file and 4 KiB more.
	Longer,
}

type Files = Arc<Mutex<HashMap<String, Vec<u8>>>>;
type Behaviours = Arc<Mutex<HashMap<String, Behaviour>>>;

/// A content-addressed store (`PUT`/`GET /sha256/<hex>`, what the client uploads to) that
/// misbehaves on the files it is told to.
struct Server {
	url: String,
	behaviours: Behaviours,
}

impl Server {
	fn start() -> Server {
		let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
		let url = format!("http://{}", listener.local_addr().expect("an address"));
		let files: Files = Default::default();
		let behaviours: Behaviours = Default::default();
		let (f, b, base) = (files.clone(), behaviours.clone(), url.clone());
		thread::spawn(move || {
			for stream in listener.incoming().flatten() {
				let (f, b, base) = (f.clone(), b.clone(), base.clone());
				thread::spawn(move || {
					let _ = serve(stream, &f, &b, &base);
				});
			}
		});
		Server { url, behaviours }
	}

	fn misbehave(&self, bytes: &[u8], behaviour: Behaviour) {
		self.behaviours.lock().unwrap().insert(merit_client::digest::sha256_hex(bytes), behaviour);
	}
}

fn serve(stream: TcpStream, files: &Files, behaviours: &Behaviours, base: &str) -> std::io::Result<()> {
	let mut reader = BufReader::new(stream.try_clone()?);
	let mut request = String::new();
	reader.read_line(&mut request)?;
	let mut length = 0usize;
	loop {
		let mut header = String::new();
		reader.read_line(&mut header)?;
		if header.trim().is_empty() {
			break;
		}
		if let Some((name, value)) = header.split_once(':') {
			if name.eq_ignore_ascii_case("content-length") {
				length = value.trim().parse().unwrap_or(0);
			}
		}
	}
	let mut parts = request.split_whitespace();
	let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
	let id = path.strip_prefix("/sha256/").unwrap_or("").to_string();
	let mut out = stream;
	if method == "PUT" || method == "POST" {
		let mut body = vec![0; length];
		reader.read_exact(&mut body)?;
		files.lock().unwrap().insert(id, body);
		return out.write_all(b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
	}
	let Some(body) = files.lock().unwrap().get(&id).cloned() else {
		return out.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
	};
	let behaviour = behaviours.lock().unwrap().get(&id).copied().unwrap_or(Behaviour::Serve);
	let ok = |out: &mut TcpStream, announced: usize, bytes: &[u8]| -> std::io::Result<()> {
		write!(out, "HTTP/1.1 200 OK\r\nContent-Length: {announced}\r\nConnection: close\r\n\r\n")?;
		out.write_all(bytes)
	};
	match behaviour {
		Behaviour::Serve => ok(&mut out, body.len(), &body),
		Behaviour::Status(code) => {
			write!(out, "HTTP/1.1 {code} Misbehaving\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
		}
		Behaviour::Stall => {
			thread::sleep(Duration::from_secs(20));
			Ok(())
		}
		Behaviour::Truncate => ok(&mut out, body.len(), &body[..body.len() / 2]),
		Behaviour::Corrupt => {
			let mut bytes = body.clone();
			let middle = bytes.len() / 2;
			bytes[middle] ^= 0x20;
			ok(&mut out, bytes.len(), &bytes)
		}
		Behaviour::RedirectToLoopback => write!(
			out,
			"HTTP/1.1 302 Found\r\nLocation: {}/sha256/{id}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
			base.replace("127.0.0.1", "localhost")
		),
		Behaviour::Longer => {
			let mut bytes = body.clone();
			bytes.extend(std::iter::repeat_n(b'0', 4096));
			ok(&mut out, bytes.len(), &bytes)
		}
	}
}

#[test]
fn misbehaving_servers_end_unavailable_and_cost_no_evaluator_anything() {
	merit_binary();
	let server = Server::start();
	// Real 3-second Aura blocks: the worker's HTTP timeouts are wall-clock, the rounds' windows are
	// blocks, and this test is about how the two meet.
	let mut node = Node::start(NodeConfig::dev("servers"));
	let work = scratch_dir("servers");
	let state = work.join("state");
	let client = |node: &Node, args: &[&str]| {
		run_client(&format!("ws://127.0.0.1:{}", node.config.rpc_port), &state, &server.url, args)
	};
	let run = |args: &[&str]| client(&node, args);
	// The dev chain's genesis evaluators, all three keys in this node: its worker acts for each.
	for evaluator in ["Dave", "Ferdie", "One"] {
		run(&["evaluator", "insert-key", "--key-suri", &format!("//{evaluator}//evaluator")]);
	}
	let challenge = run(&[
		"--suri",
		"//Eve",
		"challenge",
		"create",
		"--title",
		"Breast cancer diagnosis (WDBC), served badly",
		"--description",
		"Predict p(benign) and p(malignant) for each test tumour.",
		"--training",
		"demo/train.csv",
		"--metric",
		"log_loss",
		"--labels",
		"demo/labels.csv",
		"--salt",
		SALT,
		"--public-share",
		"40%",
		"--open-for",
		"300",
		"--reveal-within",
		"100",
		"--per-day",
		"10",
		"--total",
		"10",
		"--reward-shares",
		"100%",
		"--quorum",
		"3",
		"--prize-pool",
		"100",
	]);
	let id = challenge["id"].as_u64().expect("the challenge's id").to_string();
	run(&[
		"--suri",
		"//Eve",
		"challenge",
		"deliver-labels",
		&id,
		"--labels",
		"demo/labels.csv",
		"--salt",
		SALT,
		"--timeout",
		"120",
	]);

	// Bob's predictions, served right, and seven distinct files (one more trailing space each)
	// served wrong.
	let honest = fs::read(repo_root().join("demo/predictions_bob.csv")).expect("demo/predictions_bob.csv");
	let cases = [
		("serve", Behaviour::Serve),
		("404", Behaviour::Status(404)),
		("500", Behaviour::Status(500)),
		("stall", Behaviour::Stall),
		("truncate", Behaviour::Truncate),
		("corrupt", Behaviour::Corrupt),
		("redirect", Behaviour::RedirectToLoopback),
		("longer", Behaviour::Longer),
	];
	let mut submissions: Vec<(String, &str)> = Vec::new();
	for (i, (name, behaviour)) in cases.iter().enumerate() {
		let mut bytes = honest.clone();
		bytes.extend(std::iter::repeat_n(b' ', i));
		server.misbehave(&bytes, *behaviour);
		let path = work.join(format!("{name}.csv"));
		fs::write(&path, &bytes).expect("a scratch file");
		let submitted = run(&["--suri", "//Bob", "submit", &id, path.to_str().unwrap()]);
		let submission = submitted["submission"].as_u64().expect("a submission id").to_string();
		submissions.push((submission, name));
	}

	// The node is killed (kill -9) while its worker has sealed reports waiting to be revealed and
	// fetches to retry, and restarts on the same base path: no block, no submission and none of
	// its local storage (the sealed outcomes and salts) is lost, and scoring goes on.
	let start = node.best_block();
	node.wait_until("the worker has had a few runs", STARTUP, |node| node.best_block() >= start + 4);
	let finalized = node.finalized_block();
	let finalized_hash = node.rpc("chain_getBlockHash", serde_json::json!([finalized]));
	node.kill();
	node.relaunch();
	assert!(node.best_block() >= finalized, "the restarted node lost finalized blocks");
	assert_eq!(node.rpc("chain_getBlockHash", serde_json::json!([finalized])), finalized_hash);
	let run = |args: &[&str]| client(&node, args);

	// Every public outcome settles: a score for the honest file, `unavailable` for the others.
	let deadline = Instant::now() + Duration::from_secs(420);
	let outcomes = loop {
		let rows = run(&["selections", &id]);
		let outcome_of = |submission: &str| -> Option<String> {
			rows.as_array()?.iter().find(|row| row["submission"].to_string() == submission)?["public"]
				.as_str()
				.filter(|outcome| *outcome != "pending")
				.map(String::from)
		};
		let outcomes: Vec<Option<String>> = submissions.iter().map(|(s, _)| outcome_of(s)).collect();
		if outcomes.iter().all(Option::is_some) {
			break outcomes;
		}
		assert!(Instant::now() < deadline, "not every outcome settled in 7 minutes: {rows}");
		thread::sleep(Duration::from_secs(5));
	};
	for ((submission, name), outcome) in submissions.iter().zip(&outcomes) {
		let outcome = outcome.as_deref().unwrap_or_default();
		if *name == "serve" {
			let want = expected_scores()[&("bob".into(), "public".into())];
			let score = decimal(&Value::String(outcome.to_string()));
			assert!(((score - want) / want).abs() < 1e-9, "the honest file scored {outcome}, scikit-learn {want}");
		} else {
			assert!(outcome.contains("unavailable"), "submission {submission} ({name}) ended {outcome}");
		}
	}
	// Abstaining cost nobody: every bond is whole.
	for evaluator in ["//Dave", "//Ferdie", "//One"] {
		let account = run(&["--suri", evaluator, "account"]);
		assert_eq!(planck(&account["held_planck"]), 100 * MERIT, "{evaluator}'s bond: {account}");
	}
}
