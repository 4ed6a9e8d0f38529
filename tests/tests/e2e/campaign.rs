//! The labelling campaign scenario (`scripts/campaign-demo`) against a real merit-node: a gold
//! batch behind its commitment, a simulated crowd of experts, good and novice volunteers, random
//! and adversarial ones, sealed rounds, multi-class SWAP retirement, claims by agreement × skill,
//! the exported labels recorded on chain and used as a challenge's hidden labels.
use merit_e2e::{merit_binary, Node, NodeConfig};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::{collections::HashMap, fs, path::Path, process::Command};

fn read_json(dir: &Path, name: &str) -> Value {
	let path = dir.join(name);
	let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{} is missing: {e}", path.display()));
	serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}\n{text}", path.display()))
}

#[test]
fn a_crowd_labels_digits_as_well_as_majority_vote_for_less_than_a_fixed_count_and_is_paid_by_skill() {
	let merit = merit_binary();
	let node = Node::start(NodeConfig::dev_instant("campaign"));
	let out = merit_e2e::scratch_dir("campaign-out");
	let root = merit_e2e::repo_root();
	let url = format!("ws://127.0.0.1:{}", node.config.rpc_port);
	let status = Command::new("bash")
		.arg(root.join("scripts/campaign-demo"))
		.env("MERIT_DEMO_URL", &url)
		.env("MERIT_DEMO_OUT", &out)
		.env("MERIT_DEMO_SKIP_BUILD", "1")
		.env("MERIT_CAMPAIGN_SUBJECTS", "80")
		.env("MERIT_CAMPAIGN_GOLD", "50")
		.env("MERIT_NODE", merit_e2e::node_binary())
		.status()
		.expect("bash runs scripts/campaign-demo");
	if !status.success() {
		node.fail(&format!("scripts/campaign-demo failed ({status})"));
	}

	// The rule's labels are right where they retired, at least as often as majority vote over the
	// same votes, for well under a fixed count's classifications.
	let report = read_json(&out, "report.json");
	let rule = report["rule_accuracy"].as_f64().unwrap();
	let majority = report["majority_accuracy"].as_f64().unwrap();
	assert!(rule >= 0.95, "multi-class SWAP labels {rule} of retired subjects right: {report}");
	// Assignments follow block hashes, so runs differ a little: within two points of majority vote
	// (which also counts the subjects the rule left open, the hardest).
	assert!(rule + 0.02 >= majority, "the rule ({rule}) is no worse than majority vote ({majority}): {report}");
	assert!(report["retired"].as_u64().unwrap() >= 70, "most subjects retire: {report}");
	assert!(
		report["classifications"].as_u64().unwrap() * 2 < report["fixed_count_classifications"].as_u64().unwrap(),
		"less than half of a fixed count of 15: {report}"
	);

	// Every retired subject's label in the exported file is the chain's, and the file's sha256
	// is the digest recorded on chain.
	let labels = fs::read_to_string(out.join("labels.csv")).expect("the exported labels");
	let digest = hex::encode(Sha256::digest(labels.as_bytes()));
	let export = read_json(&out, "export.json");
	assert_eq!(export[0]["sha256"].as_str(), Some(digest.as_str()), "{export}");
	let shown = Command::new(&merit)
		.args(["--url", &url, "--format", "json", "campaign", "show", "0"])
		.output()
		.expect("merit campaign show");
	let shown: Value = serde_json::from_slice(&shown.stdout).expect("JSON");
	assert_eq!(shown["labels"].as_str(), Some(format!("0x{digest}").as_str()), "recorded on chain: {shown}");
	let subjects = read_json(&out, "subjects.json");
	let on_chain: HashMap<u64, u64> = subjects
		.as_array()
		.unwrap()
		.iter()
		.filter(|s| !s["gold"].as_bool().unwrap() && !s["label"].is_null())
		.map(|s| (s["subject"].as_u64().unwrap(), s["label"].as_u64().unwrap()))
		.collect();
	let exported: HashMap<u64, u64> = labels
		.lines()
		.skip(1)
		.map(|line| {
			let cells: Vec<&str> = line.split(',').collect();
			(cells[0].parse().unwrap(), cells[2].parse().unwrap())
		})
		.collect();
	assert_eq!(exported, on_chain);

	// Pay follows skill: the experts claimed, the adversarial volunteers could not.
	let claims_text = fs::read_to_string(out.join("claims.jsonl")).expect("claims");
	let claims: Vec<Value> = serde_json::Deserializer::from_str(&claims_text)
		.into_iter::<Value>()
		.map(|claim| claim.expect("each claim is JSON"))
		.flat_map(|claim| claim.as_array().cloned().unwrap_or_default())
		.collect();
	assert!(claims.len() >= 10, "most of the 18 volunteers were paid: {claims:?}");
	let gold_phase = read_json(&out, "gold_phase.json");
	let adversarial: Vec<&str> = gold_phase
		.as_array()
		.unwrap()
		.iter()
		.filter(|v| v["kind"] == "adversarial")
		.map(|v| v["volunteer"].as_str().unwrap())
		.collect();
	assert_eq!(adversarial.len(), 2);
	for who in adversarial {
		let record = Command::new(&merit)
			.args(["--url", &url, "--format", "json", "campaign", "volunteer", "0", who])
			.output()
			.expect("merit campaign volunteer");
		let record: Value = serde_json::from_slice(&record.stdout).expect("JSON");
		assert_eq!(record["weight"], "0", "an adversarial volunteer has no skill weight: {record}");
		assert!(record["paid"].is_null(), "and was paid nothing: {record}");
	}

	// The expert's track record lists the campaign with its skill, level and pay.
	let record = read_json(&out, "record_expert.json");
	let campaigns = record["campaigns"].as_array().unwrap_or_else(|| panic!("no campaigns in {record}"));
	assert_eq!(campaigns.len(), 1, "{record}");
	assert_eq!(campaigns[0]["skill"].as_array().map(Vec::len), Some(10), "{record}");
	assert!(campaigns[0]["classified"].as_u64().unwrap() >= 30, "{record}");
	assert!(!campaigns[0]["paid"].is_null(), "the expert was paid: {record}");

	// The challenge took the exported labels as its hidden labels.
	let challenge = read_json(&out, "challenge.json");
	assert_eq!(challenge["metric"], "accuracy", "{challenge}");
	assert_eq!(challenge["state"], "open", "{challenge}");
}
