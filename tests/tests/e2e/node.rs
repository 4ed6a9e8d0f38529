//! The node as a node operator runs it: it produces and finalizes blocks, survives a restart,
//! and the four-validator network keeps finalizing when any one validator dies, catches up a
//! validator that comes back, and neither finalizes nor reverts a finalized block when split two
//! and two.

use merit_e2e::{Node, NodeConfig};
use serde_json::json;
use std::time::Duration;

const STARTUP: Duration = Duration::from_secs(120);

#[test]
fn dev_node_finalizes_blocks_and_serves_rpc_and_metrics() {
	let mut node = Node::start(NodeConfig::dev("dev-finality"));

	node.wait_until("block 2 is finalized", STARTUP, |node| node.finalized_block() >= 2);

	// The chain presents itself as Merit with the MERIT token (12 decimals).
	let properties = node.rpc("system_properties", json!([]));
	assert_eq!(properties["tokenSymbol"], "MERIT", "properties: {properties}");
	assert_eq!(properties["tokenDecimals"], 12, "properties: {properties}");
	assert_eq!(node.rpc("state_getRuntimeVersion", json!([]))["specName"], "merit");

	// Alice is endowed at genesis and her nonce is served by the node's own RPC.
	let alice = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
	assert_eq!(node.rpc("system_accountNextIndex", json!([alice])), json!(0));

	// Merit's own RPC serves track records and names bad input.
	let record = node.rpc("merit_trackRecord", json!([alice]));
	assert_eq!(record["account"], alice, "track record: {record}");
	assert_eq!(record["earned"]["total"], "0", "track record: {record}");
	let error = node.try_rpc("merit_trackRecord", json!(["not-an-account"])).unwrap_err();
	assert!(error.contains("not an SS58 address"), "error: {error}");
	let error = node.try_rpc("merit_pool", json!([42])).unwrap_err();
	assert!(error.contains("unknown challenge 42"), "error: {error}");
	let empty = node.rpc("merit_leaderboard", json!([0, "public"]));
	assert_eq!((&empty["total"], &empty["entries"]), (&json!(0), &json!([])), "{empty}");
	let error = node.try_rpc("merit_leaderboard", json!([0, "public", null, {"limit": 5000}])).unwrap_err();
	assert!(error.contains("`limit` must be 1 to 1000"), "error: {error}");
	let error = node.try_rpc("merit_trackRecord", json!([alice, null, {"from": 3}])).unwrap_err();
	assert!(error.contains("no field `from`"), "error: {error}");

	// Prometheus reports the same chain height.
	let metrics = node.prometheus_metrics().unwrap_or_else(|e| node.fail(&format!("prometheus: {e}")));
	assert!(
		metrics.contains("substrate_block_height{status=\"finalized\""),
		"prometheus metrics lack the finalized height:\n{}",
		&metrics[..metrics.len().min(2000)]
	);
}

#[test]
fn instant_sealing_seals_on_demand_finalizes_at_once_and_only_on_a_test_chain() {
	let mut node = Node::start(NodeConfig::dev_instant("dev-instant"));
	// Blocks come at least every half second and are final as soon as they are sealed.
	node.wait_until("ten instantly sealed blocks", Duration::from_secs(60), |n| n.finalized_block() >= 10);
	let best = node.best_block();
	assert!(node.finalized_block() + 1 >= best, "finalized {} of {best}", node.finalized_block());
	// A transaction is included and final as soon as it is sent: registering an artifact returns
	// once its transaction is finalized.
	let work = merit_e2e::scratch_dir("dev-instant-client");
	let store_address = format!("127.0.0.1:{}", merit_e2e::free_port());
	let mut store = std::process::Command::new(merit_e2e::merit_binary())
		.args(["artifacts", "serve", "--dir", work.join("store").to_str().unwrap(), "--listen", &store_address])
		.spawn()
		.expect("merit runs");
	std::thread::sleep(Duration::from_secs(1));
	std::fs::write(work.join("data.csv"), "id,x\n1,0.5\n").unwrap();
	let before = node.best_block();
	let started = std::time::Instant::now();
	let registered = merit_e2e::run_client(
		&node.rpc_url(),
		&work.join("state"),
		&format!("http://{store_address}"),
		&["--suri", "//Alice", "artifacts", "register", work.join("data.csv").to_str().unwrap(), "--kind", "dataset"],
	);
	let took = started.elapsed();
	assert!(node.finalized_block() > before, "registered: {registered}");
	assert!(took < Duration::from_secs(15), "a finalized registration took {took:?}");

	// The load tool fills the node and counts what each block held.
	let store_url = format!("http://{store_address}");
	let client = |args: &[&str]| merit_e2e::run_client(&node.rpc_url(), &work.join("state"), &store_url, args);
	let challenge = client(&[
		"--suri",
		"//Eve",
		"challenge",
		"create",
		"--title",
		"Load",
		"--description",
		"load test",
		"--training",
		"demo/train.csv",
		"--metric",
		"log_loss",
		"--labels",
		"demo/labels.csv",
		"--salt",
		"s",
		"--open-for",
		"2000",
		"--reveal-within",
		"1000",
		"--per-day",
		"1000",
		"--total",
		"1000",
		"--prize-pool",
		"100",
	]);
	let id = challenge["id"].as_u64().expect("a challenge id").to_string();
	// Plans the challenge cannot take are refused before anything is signed.
	let state = work.join("state");
	for (args, refusal) in [
		(vec!["--challenge", "99"], "there is no challenge 99"),
		(vec!["--challenge", &id, "--accounts", "1", "--submissions", "1001"], "above challenge"),
	] {
		let mut command = vec!["--suri", "//Alice", "load"];
		command.extend(args);
		let error = merit_e2e::run_client_failing(&node.rpc_url(), &state, &store_url, &command);
		assert!(error.contains(refusal), "{error}");
	}
	let load = client(&[
		"--suri",
		"//Alice",
		"load",
		"--challenge",
		&id,
		"--accounts",
		"4",
		"--submissions",
		"40",
		"--transfers",
		"40",
	]);
	let _ = store.kill();
	for row in load.as_array().expect("one row per phase") {
		assert_eq!(row["included"], 40, "{load}");
		assert!(row["most in a block"].as_u64().unwrap() >= 1, "{load}");
	}
	let board = node.rpc("merit_leaderboard", json!([challenge["id"], "public"]));
	assert_eq!(board["total"], 0, "nobody scores the load's submissions: {board}");
	// Restarted on the same base path, it goes on from where it was.
	node.restart();
	node.wait_until("blocks after the restart", Duration::from_secs(60), |n| n.finalized_block() > best + 5);

	// Refused where it would be a disaster: on a live chain, and without an authority key.
	let spec = merit_e2e::scratch_dir("dev-instant-live").join("live.json");
	let exported = std::process::Command::new(merit_e2e::node_binary())
		.args(["export-chain-spec", "--chain", "dev"])
		.output()
		.expect("merit-node runs");
	let mut live: serde_json::Value = serde_json::from_slice(&exported.stdout).expect("a chain spec");
	live["chainType"] = json!("Live");
	std::fs::write(&spec, live.to_string()).unwrap();
	for (chain, extra, refusal) in [
		(spec.to_str().unwrap(), "--alice", "for development and local chains only"),
		("local", "--no-mdns", "needs an authority"),
	] {
		let output = std::process::Command::new(merit_e2e::node_binary())
			.args(["--chain", chain, extra, "--sealing", "instant", "--tmp", "--rpc-port", "0", "--port", "0"])
			.args(["--no-prometheus", "--no-telemetry", "--node-key", &"01".repeat(32)])
			.output()
			.expect("merit-node runs");
		let stderr = String::from_utf8_lossy(&output.stderr);
		assert!(!output.status.success() && stderr.contains(refusal), "{chain}: {stderr}");
	}
}

#[test]
fn restart_on_the_same_base_path_loses_no_blocks() {
	let mut node = Node::start(NodeConfig::dev("dev-restart"));
	node.wait_until("block 3 is produced", STARTUP, |node| node.best_block() >= 3);
	// The state is kept in ParityDB (RocksDB is not built into merit-node).
	let database = node.config.base_path.join("chains/merit_dev/paritydb");
	assert!(database.is_dir(), "no ParityDB database at {}", database.display());
	let best_before = node.best_block();
	let genesis_before = node.rpc("chain_getBlockHash", json!([0]));
	let block3_before = node.rpc("chain_getBlockHash", json!([3]));

	node.restart();

	let best_after = node.best_block();
	assert!(best_after >= best_before, "best block went back from {best_before} to {best_after}");
	assert_eq!(node.rpc("chain_getBlockHash", json!([0])), genesis_before, "genesis changed");
	assert_eq!(node.rpc("chain_getBlockHash", json!([3])), block3_before, "block 3 changed");

	// And the restarted node goes on producing and finalizing.
	node.wait_until("the restarted node produces two more blocks", STARTUP, |node| node.best_block() >= best_after + 2);
	node.wait_until("the restarted node finalizes past its old best", STARTUP, |node| {
		node.finalized_block() >= best_before
	});
}

/// The `local` testnet's four validators, connected only to their reserved peers
/// (`--reserved-only`: [`link`] adds them), with the RPC methods that change a node's peers.
fn four_validators() -> Vec<Node> {
	[("local-alice", "--alice"), ("local-bob", "--bob"), ("local-charlie", "--charlie"), ("local-dave", "--dave")]
		.iter()
		.map(|(name, key)| {
			let mut config = NodeConfig::local_validator(name, key);
			config.extra_args.extend(["--reserved-only", "--rpc-methods", "unsafe"].map(String::from));
			Node::start(config)
		})
		.collect()
}

/// The node's libp2p address with its peer id.
fn address(node: &Node) -> String {
	let peer = node.rpc("system_localPeerId", json!([]));
	format!("/ip4/127.0.0.1/tcp/{}/p2p/{}", node.config.p2p_port, peer.as_str().expect("a peer id"))
}

/// Connects nodes `a` and `b`, both ways: a reserved-only node talks to its reserved peers only.
fn link(nodes: &[Node], a: usize, b: usize) {
	for (from, to) in [(a, b), (b, a)] {
		nodes[from].rpc("system_addReservedPeer", json!([address(&nodes[to])]));
	}
}

fn peers(node: &Node) -> u64 {
	node.rpc("system_health", json!([]))["peers"].as_u64().unwrap_or(0)
}

#[test]
fn four_validators_finalize_without_any_one_and_never_revert_across_a_split() {
	let mut nodes = four_validators();
	for a in 0..4 {
		for b in a + 1..4 {
			link(&nodes, a, b);
		}
	}
	for node in nodes.iter_mut() {
		node.wait_until("it has three peers", STARTUP, |node| peers(node) >= 3);
		node.wait_until("block 3 is finalized", STARTUP, |node| node.finalized_block() >= 3);
	}

	// 1. Dave's process is killed (kill -9): three of four still finalize.
	nodes[3].kill();
	let finalized = nodes[0].finalized_block();
	for node in nodes[..3].iter_mut() {
		node.wait_until("three validators finalize on without Dave", STARTUP, |node| {
			node.finalized_block() >= finalized + 3
		});
	}

	// 2. Dave restarts on the same base path, catches up and votes again: with Charlie killed
	// too, finality goes on only if Dave's votes count.
	nodes[3].relaunch();
	for other in 0..3 {
		link(&nodes, 3, other);
	}
	let target = nodes[0].finalized_block();
	nodes[3].wait_until("Dave catches up with the finalized chain", STARTUP, |node| node.finalized_block() >= target);
	nodes[2].kill();
	let finalized = nodes[0].finalized_block();
	for i in [0, 1, 3] {
		nodes[i].wait_until("Alice, Bob and Dave finalize without Charlie", STARTUP, |node| {
			node.finalized_block() >= finalized + 3
		});
	}
	nodes[2].relaunch();
	for other in [0, 1, 3] {
		link(&nodes, 2, other);
	}
	let target = nodes[0].finalized_block();
	nodes[2].wait_until("Charlie catches up", STARTUP, |node| node.finalized_block() >= target);

	// 3. The network splits two and two: every validator restarts knowing only its half's peer
	// (`--reserved-nodes`, reserved-only). Both halves go on producing, neither finalizes.
	let addresses: Vec<String> = nodes.iter().map(address).collect();
	for node in nodes.iter_mut() {
		node.stop();
	}
	for (i, partner) in [(0, 1), (1, 0), (2, 3), (3, 2)] {
		nodes[i].config.extra_args.extend(["--reserved-nodes".to_string(), addresses[partner].clone()]);
		nodes[i].relaunch();
	}
	for node in nodes.iter_mut() {
		node.wait_until("it is connected to its half", STARTUP, |node| peers(node) == 1);
	}
	// Rounds under way when the split came may still complete: let them.
	std::thread::sleep(Duration::from_secs(9));
	let split: Vec<(u64, serde_json::Value)> = nodes
		.iter()
		.map(|node| {
			let height = node.finalized_block();
			(height, node.rpc("chain_getBlockHash", json!([height])))
		})
		.collect();
	let best: Vec<u64> = nodes.iter().map(Node::best_block).collect();
	std::thread::sleep(Duration::from_secs(24));
	for (i, node) in nodes.iter().enumerate() {
		assert_eq!(node.finalized_block(), split[i].0, "node {i} finalized with half the validators");
		assert!(node.best_block() > best[i], "node {i}'s half stopped producing blocks");
	}

	// 4. Healed: finality resumes, and every block finalized before or during the split stays.
	for a in [0, 1] {
		for b in [2, 3] {
			link(&nodes, a, b);
		}
	}
	let highest = split.iter().map(|(height, _)| *height).max().unwrap_or(0);
	for node in nodes.iter_mut() {
		node.wait_until("finality resumes after the split heals", STARTUP, |node| {
			node.finalized_block() >= highest + 3
		});
	}
	for node in &nodes {
		for (height, hash) in &split {
			assert_eq!(&node.rpc("chain_getBlockHash", json!([height])), hash, "block {height} was reverted");
		}
	}
	let height = nodes.iter().map(Node::finalized_block).min().unwrap_or(0);
	let agreed = nodes[0].rpc("chain_getBlockHash", json!([height]));
	for node in &nodes[1..] {
		assert_eq!(
			node.rpc("chain_getBlockHash", json!([height])),
			agreed,
			"the validators disagree on block {height}"
		);
	}
}

/// What a browser asks before posting JSON to the node from a page of `origin` (a CORS preflight);
/// returns the reply's headers, lower-cased.
fn preflight(port: u16, origin: &str) -> String {
	use std::io::{Read, Write};
	let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("the RPC port accepts connections");
	stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
	write!(
		stream,
		"OPTIONS / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: {origin}\r\nAccess-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: content-type\r\nConnection: close\r\n\r\n"
	)
	.unwrap();
	let mut reply = String::new();
	let _ = stream.read_to_string(&mut reply);
	reply.split("\r\n\r\n").next().unwrap_or_default().to_lowercase()
}

#[test]
fn a_dev_node_answers_listed_web_origins_only() {
	// `--dev` on its own would let any web page the operator opens call the node (and read an
	// evaluator's labels from its off-chain storage); merit-node keeps Substrate's usual origins.
	let mut config = NodeConfig::dev("dev-cors");
	config.extra_args.push("--dev".into());
	let node = Node::start(config);
	let port = node.config.rpc_port;
	// Substrate's usual list (exact origins) admits polkadot.js.org's apps.
	let listed = preflight(port, "https://polkadot.js.org");
	assert!(
		listed.contains("access-control-allow-origin: https://polkadot.js.org"),
		"a listed page is refused:\n{listed}"
	);
	let foreign = preflight(port, "https://evil.example");
	assert!(!foreign.contains("access-control-allow-origin"), "a foreign page may call the node:\n{foreign}");
}
