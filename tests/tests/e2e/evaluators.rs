//! Three evaluator nodes score a challenge over HTTP behind sealed reports, and an evaluator that
//! scored with the wrong labels is outvoted and slashed.
//!
//! Three of the local testnet's four validators (Alice, Bob, Charlie; three of four finalize) run
//! with four genesis evaluators: Dave, Ferdie
//! and One, whose keys sit in Alice's, Bob's and Charlie's keystores (one evaluator per node, each
//! node's off-chain worker fetching from the artifact store), and Two, who evaluates by hand with the
//! client from a labels file whose classes are swapped. The panel of a quorum-3 challenge is all
//! four; Eve seals only the public rows of the labels to their labels keys (each node's worker
//! registered its own, Two registered one from the client and opens its copy by hand). The three workers' identical reports make Bob's public score final at scikit-learn's value;
//! Two's report differs and costs 10% of its bond; the fees go to the three who agreed. After the
//! reveal, the private score is computed by the three nodes from the revealed labels file.
use merit_e2e::{
	decimal, expected_scores, merit_binary, planck, repo_root as root, run_client as merit,
	run_client_failing as merit_error, Node, NodeConfig, Running, MERIT,
};
use serde_json::{json, Value};
use std::{
	fs,
	path::{Path, PathBuf},
	process::{Command, Stdio},
	time::Duration,
};

const STARTUP: Duration = Duration::from_secs(120);
const SALT: &str = "merit-demo-salt-2026";

/// The demo labels with every class swapped: what the careless evaluator scores with.
fn swapped_labels(dir: &Path) -> PathBuf {
	let labels = fs::read_to_string(root().join("demo/labels.csv")).expect("demo/labels.csv");
	let swapped: String = labels
		.lines()
		.map(|line| match line.rsplit_once(',') {
			Some((id, "malignant")) => format!("{id},benign\n"),
			Some((id, "benign")) => format!("{id},malignant\n"),
			_ => format!("{line}\n"),
		})
		.collect();
	let path = dir.join("swapped_labels.csv");
	fs::write(&path, swapped).expect("a scratch file");
	path
}

#[test]
fn three_evaluator_nodes_outvote_and_slash_an_evaluator_with_wrong_labels() {
	let work = merit_e2e::scratch_dir("evaluators");
	let state = work.join("state");
	let store_port = merit_e2e::free_port();
	let store = format!("http://127.0.0.1:{store_port}");
	let _store = Running(
		Command::new(merit_binary())
			.args(["artifacts", "serve", "--dir"])
			.arg(work.join("store"))
			.args(["--listen", &format!("127.0.0.1:{store_port}")])
			.stdout(Stdio::null())
			.stderr(Stdio::null())
			.spawn()
			.expect("the artifact store starts"),
	);

	// Three validators, one evaluator key each; their off-chain workers run on every block.
	let mut alice = Node::start(NodeConfig::local_validator("eval-alice", "--alice"));
	let peer_id = alice.rpc("system_localPeerId", json!([]));
	let bootnode = format!("/ip4/127.0.0.1/tcp/{}/p2p/{}", alice.config.p2p_port, peer_id.as_str().unwrap());
	let start_peer = |name: &str, key: &str| {
		let mut config = NodeConfig::local_validator(name, key);
		config.extra_args.extend(["--bootnodes".to_string(), bootnode.clone()]);
		Node::start(config)
	};
	let mut bob = start_peer("eval-bob", "--bob");
	let mut charlie = start_peer("eval-charlie", "--charlie");
	for node in [&mut alice, &mut bob, &mut charlie] {
		node.wait_until("block 2 is finalized", STARTUP, |node| node.finalized_block() >= 2);
	}
	let urls: Vec<String> =
		[&alice, &bob, &charlie].iter().map(|n| format!("ws://127.0.0.1:{}", n.config.rpc_port)).collect();
	let url = urls[0].as_str();
	let run = |args: &[&str]| merit(url, &state, &store, args);
	for (node_url, evaluator) in urls.iter().zip(["Dave", "Ferdie", "One"]) {
		merit(
			node_url,
			&state,
			&store,
			&["evaluator", "insert-key", "--key-suri", &format!("//{evaluator}//evaluator")],
		);
	}

	// Two scores by hand: it registers a labels key from the client (the nodes' workers registered
	// theirs when `insert-key` waited for them).
	let two_key = run(&["--suri", "//Two//evaluator", "evaluator", "labels-key"]);
	assert!(two_key["labels_key"].as_str().is_some_and(|k| k.len() == 66), "{two_key}");

	// Eve publishes the demo challenge with a quorum of three; the panel is all four evaluators.
	let challenge = run(&[
		"--suri",
		"//Eve",
		"challenge",
		"create",
		"--title",
		"Breast cancer diagnosis (WDBC)",
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
		"40",
		"--reveal-within",
		"100",
		"--per-day",
		"5",
		"--total",
		"5",
		"--reward-shares",
		"100%",
		"--quorum",
		"3",
		"--prize-pool",
		"1000",
		"--micro-share",
		"5%",
		"--evaluator-fee",
		"1",
	]);
	let challenge_id = challenge["id"].as_u64().expect("the challenge's id").to_string();
	// Eve seals the public rows to the panel; the private rows stay with her until the reveal.
	let delivered = run(&[
		"--suri",
		"//Eve",
		"challenge",
		"deliver-labels",
		&challenge_id,
		"--labels",
		"demo/labels.csv",
		"--salt",
		SALT,
		"--timeout",
		"120",
	]);
	let panel = run(&["evaluator", "panel", &challenge_id]);
	assert_eq!(panel["members"].as_array().map(Vec::len), Some(4), "panel: {panel}");
	assert_eq!(delivered["addressed"].as_array().map(Vec::len), Some(4), "delivery: {delivered}");
	// What Two's secret opens: the public rows, every one a line of the labels file, and no more.
	let opened = work.join("two_public_labels.csv");
	let two_labels = run(&[
		"--suri",
		"//Two//evaluator",
		"evaluator",
		"public-labels",
		&challenge_id,
		"--out",
		opened.to_str().unwrap(),
	]);
	assert_eq!(two_labels["public_rows"], delivered["public_rows"], "{two_labels}");
	let all_rows = fs::read_to_string(root().join("demo/labels.csv")).expect("demo/labels.csv");
	let public_rows = fs::read_to_string(&opened).expect("the opened public labels");
	let rows = public_rows.lines().skip(1).collect::<Vec<_>>();
	assert!(!rows.is_empty() && rows.len() < all_rows.lines().count() - 1, "public rows: {}", rows.len());
	assert!(rows.iter().all(|row| all_rows.lines().any(|line| line == *row)), "rows not in the labels file");

	// Bob submits. Two scores it by hand with the swapped labels and seals what it found.
	let submitted = run(&["--suri", "//Bob", "submit", &challenge_id, "demo/predictions_bob.csv"]);
	let submission = submitted["submission"].as_u64().expect("a submission id").to_string();
	let wrong = run(&[
		"eval",
		"--metric",
		"log_loss",
		"--labels",
		swapped_labels(&work).to_str().unwrap(),
		"--predictions",
		"demo/predictions_bob.csv",
		"--salt",
		SALT,
		"--public-share",
		"40%",
	]);
	// `merit eval` prints one row per subset: all, public, private.
	let wrong_public = wrong
		.as_array()
		.and_then(|rows| rows.iter().find(|row| row["subset"] == "public"))
		.and_then(|row| row["score"].as_str())
		.unwrap_or_else(|| panic!("a public score in {wrong}"))
		.to_string();
	// Signed by Two's key, not by its bonded account; the report names the bonded account and is
	// saved before it is sent.
	let error = merit_error(
		url,
		&state,
		&store,
		&["--suri", "//Two", "evaluator", "report", &submission, "--stage", "public", "--score", &wrong_public],
	);
	assert!(error.contains("is not an evaluator's key"), "{error}");
	let two_id = run(&["--suri", "//Two", "account"])["account"].as_str().expect("an account").to_string();
	let sealed = run(&[
		"--suri",
		"//Two//evaluator",
		"evaluator",
		"report",
		&submission,
		"--stage",
		"public",
		"--score",
		&wrong_public,
	]);
	assert_eq!(
		(&sealed["evaluator"], &sealed["round"], &sealed["outcome"]),
		(&json!(two_id), &json!(0), &json!(wrong_public)),
		"report: {sealed}"
	);
	let saved = fs::read_to_string(state.join("reports.json")).expect("the saved report");
	assert!(saved.contains(sealed["commitment"].as_str().expect("a commitment")), "reports.json: {saved}");
	let revealed = run(&[
		"--suri",
		"//Two//evaluator",
		"evaluator",
		"reveal",
		&submission,
		"--stage",
		"public",
		"--wait",
		"--timeout",
		"180",
	]);
	eprintln!("Two's reveal: {revealed}");
	assert_eq!(revealed["outcome"], json!(wrong_public), "reveal: {revealed}");
	// Judged at once if the workers' quorum revealed first, otherwise when it does.
	match revealed["result"].as_str() {
		Some("disagreed") => assert_eq!(planck(&revealed["slashed_planck"]), 10 * MERIT, "reveal: {revealed}"),
		Some("no quorum yet") => assert_eq!(revealed["slashed"], Value::Null, "reveal: {revealed}"),
		_ => panic!("unexpected reveal: {revealed}"),
	}
	let again = merit_error(
		url,
		&state,
		&store,
		&["--suri", "//Two//evaluator", "evaluator", "reveal", &submission, "--stage", "public"],
	);
	assert!(again.contains("already revealed"), "{again}");

	// The three workers' reports make the score final at scikit-learn's value.
	let board = run(&["leaderboard", &challenge_id, "--subset", "public", "--wait-entries", "1", "--timeout", "240"]);
	let score = decimal(&board[0]["score"]);
	let want = expected_scores()[&("bob".into(), "public".into())];
	assert!(((score - want) / want).abs() < 1e-9, "public score {score}, scikit-learn {want}");
	assert!((decimal(&json!(wrong_public)) - want).abs() > 1.0, "the swapped labels must give another score");

	// Two was slashed 10% of its 100 MERIT bond; the three who agreed earned a fee each.
	let record_of = |who: &str| {
		let account = run(&["--suri", who, "account"])["account"].as_str().expect("an account").to_string();
		alice.rpc("merit_trackRecord", json!([account]))
	};
	let two = record_of("//Two");
	assert_eq!(two["evaluations"]["disagreed"], 1, "Two: {two}");
	assert_eq!(planck(&two["earned"]["total"]), 0, "Two: {two}");
	let two_account = run(&["--suri", "//Two", "account"]);
	assert_eq!(planck(&two_account["held_planck"]), 90 * MERIT, "Two's bond: {two_account}");
	for evaluator in ["//Dave", "//Ferdie", "//One"] {
		let record = record_of(evaluator);
		assert_eq!(record["evaluations"]["agreed"], 1, "{evaluator}: {record}");
		assert_eq!(planck(&record["earned"]["evaluations"]), MERIT, "{evaluator}: {record}");
	}

	// After the close and the reveal, the nodes score the private rows from the revealed file.
	run(&["challenge", "wait", &challenge_id, "--state", "closed", "--timeout", "300"]);
	run(&[
		"--suri",
		"//Eve",
		"challenge",
		"reveal-labels",
		&challenge_id,
		"--labels",
		"demo/labels.csv",
		"--salt",
		SALT,
	]);
	let board = run(&["leaderboard", &challenge_id, "--subset", "private", "--wait-entries", "1", "--timeout", "300"]);
	let score = decimal(&board[0]["score"]);
	let want = expected_scores()[&("bob".into(), "private".into())];
	assert!(((score - want) / want).abs() < 1e-9, "private score {score}, scikit-learn {want}");
	let verify = run(&["verify", &challenge_id]);
	assert!(!verify.to_string().contains("DIFFERS"), "verify: {verify}");
}
