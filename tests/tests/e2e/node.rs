//! The node as a node operator runs it: it produces and finalizes blocks, survives a restart,
//! and a three-validator network keeps producing when one validator dies.

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
	assert_eq!(node.rpc("merit_leaderboard", json!([0, "public"])), json!([]));

	// Prometheus reports the same chain height.
	let metrics = node.prometheus_metrics().unwrap_or_else(|e| node.fail(&format!("prometheus: {e}")));
	assert!(
		metrics.contains("substrate_block_height{status=\"finalized\""),
		"prometheus metrics lack the finalized height:\n{}",
		&metrics[..metrics.len().min(2000)]
	);
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

#[test]
fn three_validators_finalize_and_survive_losing_one() {
	let mut alice = Node::start(NodeConfig::local_validator("local-alice", "--alice"));
	let peer_id = alice.rpc("system_localPeerId", json!([]));
	let bootnode = format!("/ip4/127.0.0.1/tcp/{}/p2p/{}", alice.config.p2p_port, peer_id.as_str().unwrap());

	let start_peer = |name: &str, key: &str| {
		let mut config = NodeConfig::local_validator(name, key);
		config.extra_args.extend(["--bootnodes".to_string(), bootnode.clone()]);
		Node::start(config)
	};
	let mut bob = start_peer("local-bob", "--bob");
	let mut charlie = start_peer("local-charlie", "--charlie");

	for node in [&mut alice, &mut bob, &mut charlie] {
		node.wait_until("it has two peers", STARTUP, |node| {
			node.rpc("system_health", json!([]))["peers"].as_u64().unwrap_or(0) >= 2
		});
	}
	// GRANDPA with three voters needs all three: finality proves the three are one network.
	for node in [&mut alice, &mut bob, &mut charlie] {
		node.wait_until("block 3 is finalized", STARTUP, |node| node.finalized_block() >= 3);
	}
	let hash = alice.rpc("chain_getBlockHash", json!([3]));
	assert_eq!(bob.rpc("chain_getBlockHash", json!([3])), hash, "bob disagrees on block 3");
	assert_eq!(charlie.rpc("chain_getBlockHash", json!([3])), hash, "charlie disagrees on block 3");

	// Charlie crashes. Aura gives his slots away to nobody, but Alice's and Bob's slots still
	// produce blocks; GRANDPA (3 of 3 needed) pauses until he is back.
	charlie.kill();
	let best_at_crash = alice.best_block().max(bob.best_block());
	for node in [&mut alice, &mut bob] {
		node.wait_until("it imports three blocks after charlie died", STARTUP, |node| {
			node.best_block() >= best_at_crash + 3
		});
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
