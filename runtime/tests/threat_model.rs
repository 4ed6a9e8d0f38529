//! `docs/threat-model.md` names the test that performs each attack: every name must be a test
//! that exists, so the document cannot point at tests that were renamed or removed.
use std::{fs, path::Path};

#[test]
fn every_test_the_threat_model_names_exists() {
	let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").into());
	let root = Path::new(&manifest_dir).join("..");
	let doc = fs::read_to_string(root.join("docs/threat-model.md")).expect("docs/threat-model.md");
	let files = [
		("attacks.rs", "runtime/tests/attacks.rs"),
		("lifecycle.rs", "runtime/tests/lifecycle.rs"),
		("scoring.rs", "pallets/scoring/tests/scoring.rs"),
		("worker.rs", "pallets/scoring/tests/worker.rs"),
		("rewards.rs", "pallets/rewards/tests/rewards.rs"),
		("challenges.rs", "pallets/challenges/tests/challenges.rs"),
		("labels.rs", "primitives/core/src/labels.rs"),
		("delivery.rs", "client/src/delivery.rs"),
		("evaluators.rs", "tests/tests/e2e/evaluators.rs"),
		("client.rs", "tests/tests/e2e/client.rs"),
		("economics.rs", "runtime/tests/economics.rs"),
		("artifacts.rs", "pallets/artifacts/tests/artifacts.rs"),
		("teams.rs", "pallets/teams/tests/teams.rs"),
		("campaigns.rs", "pallets/campaigns/tests/campaigns.rs"),
		("campaigns_reference.rs", "primitives/core/tests/campaigns_reference.rs"),
		("weights.rs", "runtime/tests/weights.rs"),
		("merit-metrics", "primitives/metrics/src/lib.rs"),
		("store.rs", "client/src/store.rs"),
		("fetch.rs", "pallets/scoring/src/fetch.rs"),
		("merit_rpc.rs", "node/src/merit_rpc.rs"),
		("node.rs", "tests/tests/e2e/node.rs"),
		("servers.rs", "tests/tests/e2e/servers.rs"),
		("demo.rs", "tests/tests/e2e/demo.rs"),
		("files.rs", "primitives/metrics/tests/files.rs"),
		("fuzz.rs", "runtime/tests/fuzz.rs"),
		("metrics/tests/fuzz.rs", "primitives/metrics/tests/fuzz.rs"),
		("pages.rs", "client/src/web/pages.rs"),
		("web.rs", "tests/tests/e2e/web.rs"),
		("names.rs", "client/src/names.rs"),
	];
	let mut named = 0;
	for piece in doc.split('`') {
		let Some((file, test)) = piece.split_once("::") else { continue };
		let Some((_, path)) = files.iter().find(|(name, _)| *name == file) else { continue };
		let source = fs::read_to_string(root.join(path)).expect("a test file");
		assert!(
			source.contains(&format!("fn {test}()")),
			"docs/threat-model.md names {file}::{test}, which {path} lacks"
		);
		named += 1;
	}
	assert!(named >= 30, "only {named} tests named: the document's format changed?");
}
