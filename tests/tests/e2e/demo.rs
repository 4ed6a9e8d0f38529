//! The demo scenario (`scripts/demo`) against a real merit-node: three drawn evaluators' off-chain
//! workers score three submissions over HTTP from the artifact store behind sealed reports, the
//! scores equal scikit-learn's, the leaderboards rank as they must, and every unit of the pool
//! lands where the rules say; meanwhile the web portal shows it in a headless browser (web.rs).
use merit_e2e::{decimal, expected_scores, merit_binary, planck, Node, NodeConfig, MERIT};
use serde_json::{json, Value};
use std::{fs, path::Path, process::Command};

fn read_json(dir: &Path, name: &str) -> Value {
	let path = dir.join(name);
	let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{} is missing: {e}", path.display()));
	serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}\n{text}", path.display()))
}

fn assert_close(what: &str, got: f64, want: f64) {
	assert!(((got - want) / want).abs() < 1e-9, "{what}: the chain says {got}, scikit-learn {want}");
}

#[test]
fn the_demo_scores_ranks_and_pays_out_exactly() {
	merit_binary();
	let node = Node::start(NodeConfig::dev_instant("demo"));
	let out = merit_e2e::scratch_dir("demo-out");
	let root = merit_e2e::repo_root();
	let url = format!("ws://127.0.0.1:{}", node.config.rpc_port);
	// The web portal watches the same chain in a headless browser (see web.rs).
	let portal = crate::web::Portal::start(&url);
	portal.check_empty_home();
	let demo = {
		let (url, out) = (url.clone(), out.clone());
		std::thread::spawn(move || {
			Command::new("bash")
				.arg(root.join("scripts/demo"))
				.env("MERIT_DEMO_URL", &url)
				.env("MERIT_DEMO_OUT", &out)
				.env("MERIT_DEMO_SKIP_BUILD", "1")
				.env("MERIT_NODE", merit_e2e::node_binary())
				.status()
				.expect("bash runs scripts/demo")
		})
	};
	portal.watch_private_board_fill_in();
	let status = demo.join().expect("the demo's thread");
	if !status.success() {
		node.fail(&format!("scripts/demo failed ({status})"));
	}

	let ids = read_json(&out, "ids.json");
	let id = |name: &str| ids[name].as_u64().unwrap_or_else(|| panic!("ids.json lacks {name}: {ids}"));
	let challenge = id("challenge");
	let name_of = |submission: u64| {
		["alice", "bob", "charlie"].into_iter().find(|n| id(n) == submission).expect("a demo submission")
	};
	let expected = expected_scores();

	// Leaderboards: Bob leads the public rows, Charlie's fork wins the private ones.
	for (subset, order) in [("public", ["bob", "charlie", "alice"]), ("private", ["charlie", "alice", "bob"])] {
		let answer = node.rpc("merit_leaderboard", json!([challenge, subset]));
		assert_eq!(answer["total"], 3, "{subset} leaderboard: {answer}");
		let board = &answer["entries"];
		let ranked: Vec<&str> =
			board.as_array().expect("an array").iter().map(|e| name_of(e["submission"].as_u64().unwrap())).collect();
		assert_eq!(ranked, order, "{subset} leaderboard: {answer}");
		// Read a page at a time, the board is the same.
		let paged: Vec<Value> = (0..3)
			.map(|n| node.rpc("merit_leaderboard", json!([challenge, subset, null, {"offset": n, "limit": 1}])))
			.inspect(|page| assert_eq!(page["total"], 3, "{page}"))
			.flat_map(|page| page["entries"].as_array().cloned().unwrap_or_default())
			.collect();
		assert_eq!(&json!(paged), board, "{subset} leaderboard read a row at a time");
		for entry in board.as_array().unwrap() {
			let who = name_of(entry["submission"].as_u64().unwrap());
			assert_close(&format!("{who} {subset}"), decimal(&entry["score"]), expected[&(who.into(), subset.into())]);
		}
		// The client printed the same board.
		let printed = read_json(&out, &format!("leaderboard_{subset}.json"));
		assert_eq!(printed.as_array().map(Vec::len), Some(3), "{printed}");
	}

	// Alice marked her submission; Bob and Charlie count by default (their best public score).
	let selections = node.rpc("merit_finalSelections", json!([challenge]));
	let marked: Vec<(&str, bool)> = selections
		.as_array()
		.expect("an array")
		.iter()
		.map(|s| {
			let ids = s["submissions"].as_array().expect("submissions");
			assert_eq!(ids.len(), 1, "one submission each: {selections}");
			(name_of(ids[0].as_u64().unwrap()), s["marked"].as_bool().unwrap())
		})
		.collect();
	for (who, was_marked) in [("alice", true), ("bob", false), ("charlie", false)] {
		assert!(marked.contains(&(who, was_marked)), "{who}: {selections}");
	}
	let printed = read_json(&out, "selections.json");
	let rows = printed.as_array().expect("one row per submission");
	assert_eq!(rows.len(), 3, "{printed}");
	assert!(rows.iter().all(|row| row["counts"].as_str().is_some_and(|c| c.starts_with("yes"))), "{printed}");

	// Every unit of the 1,000 MERIT pool: 20 for two public bests (Alice, then Bob), 18 evaluator
	// fees (six final outcomes, each agreed by Dave, Ferdie and One), 5 for Bob's review; 957
	// left for prizes 60/30/10; Charlie passes 20% of his prize to Alice, whose work he forked.
	let pool = node.rpc("merit_pool", json!([challenge]));
	let paid = |kind: &str| planck(&pool["paid"][kind]);
	assert_eq!(paid("improvements"), 20 * MERIT, "pool: {pool}");
	assert_eq!(paid("evaluations"), 18 * MERIT, "pool: {pool}");
	assert_eq!(paid("reviews"), 5 * MERIT, "pool: {pool}");
	assert_eq!(paid("prizes"), 842_160_000_000_000, "pool: {pool}");
	assert_eq!(paid("fork_credit"), 114_840_000_000_000, "pool: {pool}");
	assert_eq!(planck(&pool["returned"]), 0, "pool: {pool}");
	assert_eq!(planck(&pool["total"]), 1_000 * MERIT, "pool: {pool}");

	// Every submission was scored, so every deposit went back to its author.
	let deposits = read_json(&out, "deposits.json");
	let deposits = deposits.as_array().expect("one row per settled deposit");
	assert_eq!(deposits.len(), 3, "{deposits:?}");
	assert!(deposits.iter().all(|row| row["refunded"] == json!(true)), "{deposits:?}");
	// The reports were pruned before the boards and records were read (they stay, as checked above
	// and below).
	let prune = read_json(&out, "prune.json");
	let calls = prune.as_array().expect("one row per prune call");
	assert_eq!(calls.last().map(|row| row["done"].clone()), Some(json!(true)), "{prune}");
	assert_eq!(calls.iter().map(|row| row["submissions"].as_u64().unwrap()).sum::<u64>(), 3, "{prune}");

	// Track records, from the node's RPC, and balances, from the client, before and after.
	let before = read_json(&out, "balances_before.json");
	let after = read_json(&out, "balances_after.json");
	let total_of = |list: &Value, account: &str| {
		let entry = list.as_array().unwrap().iter().find(|e| e["account"] == account).expect("the account's balance");
		planck(&entry["total_planck"])
	};
	// (who, earned, sent elsewhere). The evaluators' keys are endowed at genesis, so they send
	// nothing to them.
	let earned = [
		("Alice", 411_940_000_000_000u128, 0u128),
		("Bob", 110_700_000_000_000, 0),
		("Charlie", 459_360_000_000_000, 0),
		("Dave", 6 * MERIT, 0),
		("Ferdie", 6 * MERIT, 0),
		("One", 6 * MERIT, 0),
	];
	for (who, amount, sent) in earned {
		let client_record = read_json(&out, &format!("record_{who}.json"));
		let account = client_record["account"].as_str().expect("the record names its account").to_string();
		let record = node.rpc("merit_trackRecord", json!([account]));
		assert_eq!(planck(&record["earned"]["total"]), amount, "{who}'s track record: {record}");
		// Balances moved by what was earned, less transaction fees (well under 1 MERIT).
		let gained = total_of(&after, &account) as i128 - total_of(&before, &account) as i128;
		let expected = amount as i128 - sent as i128;
		assert!(
			gained <= expected && gained > expected - MERIT as i128,
			"{who} gained {gained}, earned {amount}, sent {sent}"
		);
	}
	let alice = node.rpc("merit_trackRecord", json!([read_json(&out, "record_Alice.json")["account"]]));
	assert_eq!(alice["forks"]["times_forked"], 1, "{alice}");
	assert_eq!(alice["challenges"][0]["private"]["rank"], 2, "{alice}");
	assert_close(
		"alice private (record)",
		decimal(&alice["submissions"][0]["private"]["score"]),
		expected[&("alice".into(), "private".into())],
	);
	let charlie = node.rpc("merit_trackRecord", json!([read_json(&out, "record_Charlie.json")["account"]]));
	assert_eq!(charlie["submissions"][0]["parents"], json!([id("alice")]), "{charlie}");
	assert_eq!(charlie["reviews_received"][0]["rating"], 5, "{charlie}");
	assert_eq!(charlie["totals"], json!({"submissions": 1, "reviews_given": 0, "reviews_received": 1}), "{charlie}");
	assert_eq!(charlie["page"], json!({"offset": 0, "limit": 100}), "{charlie}");
	let past = node.rpc("merit_trackRecord", json!([charlie["account"], null, {"offset": 1}]));
	assert_eq!(past["submissions"], json!([]), "{past}");
	assert_eq!(past["totals"], charlie["totals"], "{past}");
	assert_eq!(past["challenges"], charlie["challenges"], "a page keeps every challenge: {past}");
	assert_eq!(charlie["challenges"][0]["state"], "Finalized", "{charlie}");
	for evaluator in ["Dave", "Ferdie", "One"] {
		let record =
			node.rpc("merit_trackRecord", json!([read_json(&out, &format!("record_{evaluator}.json"))["account"]]));
		assert_eq!(record["evaluations"]["agreed"], 6, "{evaluator}: {record}");
		assert_eq!(record["evaluations"]["disagreed"], 0, "{evaluator}: {record}");
	}

	// The owner (Eve, the well-known dev account) paid exactly the pool, plus fees.
	const EVE: &str = "5HGjWAeFDfFCWPsjFQdVV2Msvz2XtMktvgocEZcCj68kUMaw";
	let spent = total_of(&before, EVE) as i128 - total_of(&after, EVE) as i128;
	assert!(spent >= (1_000 * MERIT) as i128 && spent < (1_001 * MERIT) as i128, "Eve spent {spent}");

	// `merit verify` recomputed every score from the revealed labels and found no difference.
	let verify = read_json(&out, "verify.json");
	assert!(!verify.to_string().contains("DIFFERS"), "verify: {verify}");

	// The portal's pages of the finished demo.
	portal.check_demo_pages(&out, id("charlie"));
}
