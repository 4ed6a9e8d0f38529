//! The web portal (`merit web`) against a real node, in a real headless Chromium driven through
//! chromedriver: every page renders the chain's data (screenshots saved), a challenge's private
//! leaderboard fills in on an open page as the demo's scores become final, the account page's CSV
//! is exactly `merit record --format csv`, names replace addresses, bad addresses get a clear
//! page, and a volunteer with a key made and kept by the browser classifies a subject that lands
//! on chain, feelessly. The challenge pages are checked on the demo's chain, inside
//! `demo.rs`'s test (one demo run serves both: CI's time is the budget), through [`Portal`].
use merit_e2e::{free_port, merit_binary, run_client, scratch_dir, Browser, Node, NodeConfig, Running};
use serde_json::Value;
use std::{
	fs,
	path::Path,
	process::{Command, Stdio},
	thread,
	time::{Duration, Instant},
};

/// Alice, the dev chain's block author.
const ALICE: &str = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";

fn get(url: &str) -> (u16, String) {
	match ureq::get(url).call() {
		Ok(r) => (r.status(), r.into_string().unwrap_or_default()),
		Err(ureq::Error::Status(code, r)) => (code, r.into_string().unwrap_or_default()),
		Err(e) => (0, e.to_string()),
	}
}

fn wait_http(url: &str, timeout: Duration) {
	let deadline = Instant::now() + timeout;
	while get(url).0 != 200 {
		assert!(Instant::now() < deadline, "{url} did not answer 200 within {timeout:?}: {:?}", get(url));
		thread::sleep(Duration::from_millis(250));
	}
}

/// An 8×8 plain PGM: a bar in column `n`.
fn pgm(n: usize) -> String {
	let mut out = format!("P2\n# web test subject {n}\n8 8\n16\n");
	for _ in 0..8 {
		let row: Vec<String> = (0..8).map(|x| if x == n { "16".into() } else { "0".into() }).collect();
		out.push_str(&row.join(" "));
		out.push('\n');
	}
	out
}

fn merit(url: &str, state: &Path, store: &str, suri: Option<&str>, args: &[&str]) -> Value {
	let mut all: Vec<&str> = Vec::new();
	if let Some(suri) = suri {
		all.extend(["--suri", suri]);
	}
	all.extend(args);
	run_client(url, state, store, &all)
}

/// A running `merit web` for a node, and a browser on it.
pub struct Portal {
	pub site: String,
	pub url: String,
	pub browser: Browser,
	_web: Running,
}

impl Portal {
	/// Starts the portal for the node at `url` (WebSocket) and a headless browser.
	pub fn start(url: &str) -> Portal {
		let web_port = free_port();
		let site = format!("http://127.0.0.1:{web_port}");
		let web = Running(
			Command::new(merit_binary())
				.args(["--url", url, "web", "--listen", &format!("127.0.0.1:{web_port}")])
				.stdout(Stdio::null())
				.stderr(Stdio::null())
				.spawn()
				.expect("merit web starts"),
		);
		wait_http(&format!("{site}/api/head"), Duration::from_secs(30));
		Portal { site, url: url.to_string(), browser: Browser::start(), _web: web }
	}

	/// Home before anything is published: the live head, the block author, no challenge.
	pub fn check_empty_home(&self) {
		let browser = &self.browser;
		browser.goto(&self.site);
		browser.wait_for("the live block height", Duration::from_secs(15), |b| {
			b.text("[data-live-head]").is_some_and(|t| t.starts_with("best #"))
		});
		assert_eq!(browser.attribute("#validators a", "title").as_deref(), Some(ALICE), "{}", browser.page_text());
		assert!(browser.text("#challenges").is_some_and(|t| t.contains("none yet")), "{}", browser.page_text());
		browser.screenshot("home-empty");
	}

	/// Opens challenge 0 as soon as it exists and watches its private board fill in without a
	/// reload, as the scores become final.
	pub fn watch_private_board_fill_in(&self) {
		let browser = &self.browser;
		wait_http(&format!("{}/challenge/0", self.site), Duration::from_secs(120));
		browser.goto(&format!("{}/challenge/0", self.site));
		assert!(
			browser.text("#private-board").is_some_and(|t| t.contains("none yet")),
			"nothing is final on the private board of an open challenge: {}",
			browser.page_text()
		);
		browser.wait_for("the private board to fill in live", Duration::from_secs(600), |b| {
			b.text("#private-board").is_some_and(|t| t.lines().filter(|l| l.starts_with(['1', '2', '3'])).count() == 3)
		});
	}

	/// After the demo: the challenge, a submission, an account (its CSV is the CLI's), names, and
	/// the error pages.
	pub fn check_demo_pages(&self, out: &Path, charlie_submission: u64) {
		let (browser, site, url) = (&self.browser, &self.site, &self.url);
		browser.goto(&format!("{site}/challenge/0"));
		let page = browser.page_text();
		for needed in ["Challenge 0", "public", "private", "Where the pool goes", "log_loss"] {
			assert!(page.contains(needed), "the challenge page lacks {needed}: {page}");
		}
		assert!(browser.text("#data").is_some_and(|t| t.contains("bytes") && t.contains("http://")), "{page}");
		assert_eq!(browser.attribute("#chart", "aria-label").as_deref(), Some("best public score by block"), "{page}");
		// Charlie forked Alice: the lineage is drawn.
		assert_eq!(browser.attribute("#lineage", "aria-label").as_deref(), Some("fork lineage"), "{page}");
		browser.screenshot("challenge");

		browser.goto(&format!("{site}/submission/{charlie_submission}"));
		let page = browser.page_text();
		for needed in [&format!("Submission {charlie_submission}"), "private score", "Evaluators' reports", "Disputes"]
		{
			assert!(page.contains(needed), "the submission page lacks {needed}: {page}");
		}
		// Charlie forked Alice's submission: its parent links to it.
		assert!(browser.attribute("#submission a[href^=\"/submission/\"]", "href").is_some(), "{page}");
		let author = browser.attribute("#submission a.account", "title").expect("the author's link");
		browser.screenshot("submission");
		browser.goto(&format!("{site}/account/{author}"));
		let page = browser.page_text();
		for needed in [
			"Track record",
			"Earnings",
			"Challenges (1",
			"Submissions (",
			"Verify this record",
			&format!("record {author}"),
		] {
			assert!(page.contains(needed), "the account page lacks {needed}: {page}");
		}
		browser.screenshot("account");
		let (status, csv) = get(&format!("{site}/account/{author}.csv"));
		assert_eq!(status, 200);
		let cli = Command::new(merit_binary())
			.args(["--url", url, "--format", "csv", "record", &author])
			.output()
			.expect("merit record");
		assert_eq!(
			csv.trim(),
			String::from_utf8_lossy(&cli.stdout).trim(),
			"the page's CSV is `merit record --format csv`"
		);

		// Names: Alice sets hers (pallet-identity) once the demo's balances are checked; the
		// portal shows it instead of her address, and a bad ORCID iD is refused by its check digit.
		let state = scratch_dir("web-state");
		let set = merit(
			url,
			&state,
			"http://127.0.0.1:1",
			Some("//Alice"),
			&["profile", "set", "--name", "Alice Liddell", "--orcid", "0000-0002-1825-0097", "--affiliation", "Oxford"],
		);
		assert_eq!(set["name"], "Alice Liddell", "{set}");
		assert_eq!(set["orcid"], "0000-0002-1825-0097", "{set}");
		let refused = merit_e2e::run_client_failing(
			url,
			&state,
			"http://127.0.0.1:1",
			&["--suri", "//Bob", "profile", "set", "--name", "Bob", "--orcid", "0000-0002-1825-0098"],
		);
		assert!(refused.contains("check digit"), "{refused}");
		browser.goto(site);
		assert_eq!(browser.text("#validators a").as_deref(), Some("Alice Liddell"), "{}", browser.page_text());
		browser.goto(&format!("{site}/account/{ALICE}"));
		assert_eq!(browser.text("#heading").as_deref(), Some("Track record of Alice Liddell"));
		assert!(browser.text("#profile").is_some_and(|t| t.contains("0000-0002-1825-0097") && t.contains("Oxford")));
		browser.screenshot("account-named");
		let _ = out;

		// Bad addresses get a page that says what is wrong.
		browser.goto(&format!("{site}/challenge/999"));
		assert!(
			browser.text("#error").is_some_and(|t| t.contains("There is no challenge 999")),
			"{}",
			browser.page_text()
		);
		browser.screenshot("unknown-challenge");
		browser.goto(&format!("{site}/account/not-an-account"));
		assert!(browser.text("#error").is_some_and(|t| t.contains("is not an account")), "{}", browser.page_text());
		assert_eq!(get(&format!("{site}/account/not-an-account")).0, 400);
		assert_eq!(get(&format!("{site}/no/such/page")).0, 404);
		eprintln!("web: screenshots in {}", browser.screenshots.display());
	}
}

#[test]
fn a_volunteer_classifies_in_the_browser_with_a_key_the_server_never_sees() {
	let node = Node::start(NodeConfig::dev_instant("web"));
	let url = format!("ws://127.0.0.1:{}", node.config.rpc_port);
	let portal = Portal::start(&url);
	let (browser, site) = (&portal.browser, &portal.site);
	let state = scratch_dir("web-state");

	// A campaign of three subjects in an artifact store; a volunteer classifies in the browser.
	let store_dir = scratch_dir("web-store");
	let store_port = free_port();
	let store = format!("http://127.0.0.1:{store_port}");
	let _store = Running(
		Command::new(merit_binary())
			.args([
				"artifacts",
				"serve",
				"--dir",
				store_dir.to_str().unwrap(),
				"--listen",
				&format!("127.0.0.1:{store_port}"),
			])
			.stdout(Stdio::null())
			.stderr(Stdio::null())
			.spawn()
			.expect("the store starts"),
	);
	thread::sleep(Duration::from_millis(500));
	let files = scratch_dir("web-subjects");
	let paths: Vec<String> = (0..3)
		.map(|n| {
			let path = files.join(format!("subject-{n}.pgm"));
			fs::write(&path, pgm(n + 2)).unwrap();
			path.to_string_lossy().into_owned()
		})
		.collect();
	let created = merit(
		&url,
		&state,
		&store,
		Some("//Eve"),
		&[
			"campaign",
			"create",
			"--title",
			"Bars",
			"--answers",
			"3",
			"--rule",
			"count:1",
			"--round-size",
			"1",
			"--reveal-window",
			"20",
			"--gold-steps",
			"0",
			"--pool",
			"5",
			"--duration",
			"10000",
		],
	);
	let campaign = created["campaign"].as_u64().expect("a campaign id").to_string();
	let mut add = vec!["campaign", "add-subjects", campaign.as_str()];
	add.extend(paths.iter().map(String::as_str));
	merit(&url, &state, &store, Some("//Eve"), &add);

	browser.goto(site);
	assert!(browser.text("#campaigns").is_some_and(|t| t.contains("Bars")), "{}", browser.page_text());
	browser.goto(&format!("{site}/campaign/{campaign}"));
	browser.click("#classify-link");
	browser.wait_for("a subject to classify", Duration::from_secs(60), |b| {
		b.attribute("#answers button[data-answer=\"1\"]", "disabled").is_none()
			&& b.text("#subject").is_some_and(|t| t.starts_with("subject "))
	});
	browser.screenshot("classify");
	let subject: u64 = browser.attribute("#classify", "data-subject").expect("the subject shown").parse().unwrap();
	browser.click("#answers button[data-answer=\"1\"]");
	browser.wait_for("the classification to be sealed on chain", Duration::from_secs(60), |b| {
		b.text("#status").is_some_and(|t| t.contains("sealed on chain"))
	});
	let volunteer = browser.text("#my-account").expect("the volunteer's account");
	let record = merit(&url, &state, &store, None, &["campaign", "volunteer", &campaign, &volunteer]);
	assert_eq!(record["classified"], 1, "the browser's classification is on chain: {record}");
	let account = merit(&url, &state, &store, None, &["account", &volunteer]);
	assert_eq!(account["total_planck"], "0", "the volunteer holds no tokens: {account}");
	// Its round held one seal, so the page reveals it on the next subject and the subject retires
	// with the volunteer's answer.
	let deadline = Instant::now() + Duration::from_secs(60);
	loop {
		let subjects = merit(&url, &state, &store, None, &["campaign", "subjects", &campaign]);
		let retired = subjects
			.as_array()
			.expect("subjects")
			.iter()
			.find(|s| s["subject"].as_u64() == Some(subject))
			.and_then(|s| s["label"].as_u64());
		if retired == Some(1) {
			break;
		}
		assert!(Instant::now() < deadline, "subject {subject} did not retire with the browser's answer: {subjects}");
		thread::sleep(Duration::from_millis(500));
	}
	browser.goto(&format!("{site}/campaign/{campaign}"));
	browser.screenshot("campaign");
	eprintln!("web: screenshots in {}", browser.screenshots.display());
}
