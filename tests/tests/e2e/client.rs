//! The client against a real dev node: the dev chain's three evaluators (Dave, Ferdie and One,
//! bonded at genesis) get their keys into the node (whose worker registers their labels keys), an
//! owner publishes a challenge and seals its public rows to the drawn panel (files uploaded to an in-process artifact store), the chain draws its panel, two
//! participants submit, the off-chain workers score them behind sealed reports, the owner reveals
//! the labels, the private scores become final, `verify` recomputes every score, a private score
//! of a second challenge is disputed (its payout waits), and the first is paid out once its
//! dispute windows have closed. Everything goes through the library functions the CLI calls.
use merit_client::{
	account, artifacts,
	chain::Chain,
	challenges::{self, ArtifactSource, DescriptionSource, Mode, NewChallenge, WaitState},
	delivery,
	digest::digest_hex,
	disputes,
	keys::{account_of, keypair_from_suri},
	panels, record, rewards,
	scoring::{self, FinalOutcome, Stage},
	selections,
	state::StateFile,
	store::{self, Store},
	submissions::{self, Lineage},
	teams,
	units::MERIT,
	verify,
};
use merit_e2e::{Node, NodeConfig};
use merit_metrics::{Metric, Split, Subset};
use std::time::Duration;

const ROWS: usize = 24;

fn csv(values: impl Iterator<Item = f64>) -> Vec<u8> {
	let mut text = String::from("id,y\n");
	for (i, v) in values.enumerate() {
		text.push_str(&format!("r{i},{v}\n"));
	}
	text.into_bytes()
}

#[test]
fn publish_submit_score_reveal_verify() {
	let node = Node::start(NodeConfig::dev_instant("client-lifecycle"));
	let url = format!("ws://127.0.0.1:{}", node.config.rpc_port);
	let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
	runtime.block_on(async move {
		let store_dir = tempfile::tempdir().unwrap();
		let (address, _store) =
			store::spawn("127.0.0.1:0", Store::open(store_dir.path(), 1 << 20).unwrap()).await.unwrap();
		let store_url = format!("http://{address}");
		let store = Some(store_url.as_str());
		let state_dir = tempfile::tempdir().unwrap();
		let state = StateFile::new(state_dir.path());
		let chain = Chain::connect(&url).await.unwrap();
		let (alice, bob, eve, charlie) = (
			keypair_from_suri("//Alice").unwrap(),
			keypair_from_suri("//Bob").unwrap(),
			keypair_from_suri("//Eve").unwrap(),
			keypair_from_suri("//Charlie").unwrap(),
		);

		// An unreachable node is named.
		let error = format!("{:#}", Chain::connect("ws://127.0.0.1:1").await.err().unwrap());
		assert!(error.contains("ws://127.0.0.1:1"), "{error}");

		// The dev chain's evaluators, bonded at genesis, put their keys into the node.
		let evaluators: Vec<_> = ["Dave", "Ferdie", "One"]
			.iter()
			.map(|name| account_of(&keypair_from_suri(&format!("//{name}")).unwrap()))
			.collect();
		for name in ["Dave", "Ferdie", "One"] {
			let key = scoring::insert_key(&chain, &format!("//{name}//evaluator")).await.unwrap();
			// The node's worker generates the evaluator's labels key and registers it.
			let labels_key = delivery::wait_for_labels_key(&chain, &key, Duration::from_secs(60)).await.unwrap();
			assert!(labels_key.is_some(), "{name}'s labels key");
		}
		// Charlie registers another evaluator: bond, a fresh funded key, the key in the node's
		// keystore (it is drawn only after its warm-up, so the panels below are the genesis three).
		let key_suri = "//MeritClientEvaluator";
		let key = account_of(&keypair_from_suri(key_suri).unwrap());
		scoring::register_evaluator(&chain, &charlie, &key, MERIT).await.unwrap();
		assert_eq!(chain.free_balance(&key).await.unwrap(), MERIT);
		assert_eq!(scoring::insert_key(&chain, key_suri).await.unwrap(), key);

		// Alice publishes an open challenge, and a second one whose private score will be disputed.
		let labels = csv((0..ROWS).map(|i| i as f64));
		let salt = b"client-e2e-salt".to_vec();
		let training = tempfile::NamedTempFile::new().unwrap();
		std::fs::write(training.path(), b"id,x\nr0,1\n").unwrap();
		let spec = NewChallenge {
			title: "Client e2e".into(),
			description: DescriptionSource::Text("Predict y from the row id.".into()),
			training_data: vec![ArtifactSource::File(training.path().to_path_buf())],
			metric: Metric::Mae,
			labels: labels.clone(),
			salt: salt.clone(),
			public_share: 500_000_000,
			open_for: 75,
			reveal_within: 200,
			per_day: 5,
			total: 10,
			reward_shares: vec![700_000_000, 300_000_000],
			quorum: 3,
			prize_pool: 50 * MERIT,
			mode: Mode::Open,
			terms: rewards::Terms::default(),
			final_selections: 2,
			team_size: 2,
			merge_before_close: 0,
			previous_phase: None,
		};
		let id = challenges::create(&chain, &alice, &spec, store, "CC-BY-4.0").await.unwrap();
		// Eve and Charlie compete as a team: each founds one, Charlie's merges into Eve's once
		// both approved (shares scale by headcount: halves), and they confirm halves (early:
		// teams and final selections change only while the challenge is open).
		let team = teams::create(&chain, &eve, id, "Eve and Charlie").await.unwrap();
		let charlies = teams::create(&chain, &charlie, id, "Charlie").await.unwrap();
		teams::propose_merger(&chain, &charlie, charlies, team).await.unwrap();
		assert_eq!(teams::get(&chain, charlies).await.unwrap().merger, Some((team, vec![account_of(&charlie)])));
		let merged = teams::approve_merger(&chain, &eve, charlies).await.unwrap().expect("both teams approved");
		assert_eq!((merged.from, merged.into, merged.members, merged.submissions), (charlies, team, 1, 0));
		let gone = teams::get(&chain, charlies).await.unwrap_err().to_string();
		assert!(gone.contains("there is no team"), "{gone}");
		let halves = [(account_of(&eve), 500_000_000), (account_of(&charlie), 500_000_000)];
		assert_eq!(teams::get(&chain, team).await.unwrap().members, halves.to_vec());
		assert!(!teams::propose_shares(&chain, &charlie, team, &halves).await.unwrap());
		assert!(teams::approve_shares(&chain, &eve, team).await.unwrap());
		let team_info = teams::get(&chain, team).await.unwrap();
		assert_eq!(team_info.members, halves.to_vec());
		assert_eq!(team_info.proposal, None);
		let full = teams::invite(&chain, &eve, team, &account_of(&alice)).await.unwrap_err().to_string();
		assert!(full.contains("MeritTeams::TeamFull"), "{full}");
		let wait = Some(Duration::from_secs(60));
		let wrong = delivery::deliver_labels(&chain, &alice, id, &labels, b"other salt", store, "CC-BY-4.0", wait)
			.await
			.unwrap_err();
		assert!(wrong.to_string().contains("do not match"), "{wrong}");
		let delivered =
			delivery::deliver_labels(&chain, &alice, id, &labels, &salt, store, "CC-BY-4.0", wait).await.unwrap();
		assert_eq!((delivered.addressed.len(), delivered.skipped.len()), (3, 0));
		// Every row sealed to the panel is public, and some rows are not.
		assert!(delivered.public_rows > 0 && delivered.public_rows < ROWS, "{}", delivered.public_rows);
		let info = challenges::get(&chain, id).await.unwrap();
		let disputed_salt = b"client-e2e-disputed".to_vec();
		let disputed_spec = NewChallenge {
			title: "Client e2e disputed".into(),
			training_data: vec![ArtifactSource::Digest(info.spec.training_data.0[0])],
			salt: disputed_salt.clone(),
			..spec.clone()
		};
		let disputed_id = challenges::create(&chain, &alice, &disputed_spec, store, "CC-BY-4.0").await.unwrap();
		delivery::deliver_labels(&chain, &alice, disputed_id, &labels, &disputed_salt, store, "CC-BY-4.0", wait)
			.await
			.unwrap();

		assert_eq!(info.title(), "Client e2e");
		assert_eq!(info.metric(), Metric::Mae);
		assert_eq!(info.spec.prize_pool, 50 * MERIT);
		assert_eq!(info.spec.owner, account_of(&alice));
		assert_eq!(challenges::state_name(&info.status.state), "open");
		assert_eq!((info.held(), info.reward_shares()), (50 * MERIT, vec![700_000_000, 300_000_000]));
		assert!(challenges::list(&chain).await.unwrap().iter().any(|c| c.id == id));
		let missing = challenges::get(&chain, 999).await.unwrap_err().to_string();
		assert!(missing.contains("no challenge 999"), "{missing}");

		// The chain draws the panel two blocks after the creation: the three genesis evaluators.
		let view = panels::wait_for_panel(&chain, id, Some(Duration::from_secs(60))).await.unwrap();
		let panel = view.panel.clone().expect("drawn");
		assert_eq!((panel.quorum, panel.spares()), (3, 0));
		let mut members = panel.members.clone();
		members.sort();
		let mut expected_members = evaluators.clone();
		expected_members.sort();
		assert_eq!(members, expected_members);
		assert_eq!(view.note(), None);

		// Bob and Eve submit; Bob's second copy of the same file is refused with the pallet's words.
		let bob_predictions = csv((0..ROWS).map(|i| i as f64 + 0.5));
		let eve_predictions = csv((0..ROWS).map(|i| if i % 2 == 0 { i as f64 } else { i as f64 + 2.0 }));
		let lineage = Lineage::default();
		let bob_sub = submissions::submit(&chain, &bob, id, &bob_predictions, &lineage, store, "CC-BY-4.0", &state)
			.await
			.unwrap();
		assert!(!bob_sub.sealed);
		let forked = Lineage { parents: vec![bob_sub.submission], previous_version: None };
		let eve_sub =
			submissions::submit(&chain, &eve, id, &eve_predictions, &forked, store, "CC-BY-4.0", &state).await.unwrap();
		// The team marks Eve's file as its final selection; Bob cannot mark the team's.
		assert_eq!(
			selections::select(&chain, &charlie, id, &[eve_sub.submission]).await.unwrap(),
			vec![eve_sub.submission]
		);
		let not_ours = selections::select(&chain, &bob, id, &[eve_sub.submission]).await.unwrap_err().to_string();
		assert!(not_ours.contains("MeritChallenges::NotAuthor"), "{not_ours}");

		let eve_disputed =
			submissions::submit(&chain, &eve, disputed_id, &eve_predictions, &lineage, store, "CC-BY-4.0", &state)
				.await
				.unwrap();
		let duplicate = submissions::submit(&chain, &bob, id, &bob_predictions, &lineage, store, "CC-BY-4.0", &state)
			.await
			.unwrap_err()
			.to_string();
		assert!(duplicate.contains("MeritChallenges::DuplicateSubmission"), "{duplicate}");
		assert!(duplicate.contains("earlier submission has priority"), "{duplicate}");

		let stored = challenges::submission(&chain, eve_sub.submission).await.unwrap();
		assert_eq!(stored.revealed_digest(), Some(eve_sub.digest));
		assert_eq!(stored.record.parents.0, vec![bob_sub.submission]);
		assert_eq!(
			challenges::get(&chain, id).await.unwrap().submissions,
			vec![bob_sub.submission, eve_sub.submission]
		);

		// A sealed challenge: Bob commits now and reveals once it has closed.
		let sealed_spec = NewChallenge {
			title: "Client e2e sealed".into(),
			training_data: vec![ArtifactSource::Digest(info.spec.training_data.0[0])],
			open_for: 15,
			mode: Mode::Sealed,
			..spec.clone()
		};
		let sealed_id = challenges::create(&chain, &alice, &sealed_spec, store, "CC-BY-4.0").await.unwrap();
		// A later phase after the sealed challenge, without prizes (it holds the minimum pool as a
		// deposit instead): linked both ways, and closed to submissions until the sealed one closes.
		let phase_spec = NewChallenge {
			title: "Client e2e next phase".into(),
			training_data: vec![ArtifactSource::Digest(info.spec.training_data.0[0])],
			open_for: 40,
			prize_pool: 0,
			previous_phase: Some(sealed_id),
			..spec.clone()
		};
		let phase_id = challenges::create(&chain, &alice, &phase_spec, store, "CC-BY-4.0").await.unwrap();
		assert_eq!(challenges::get(&chain, phase_id).await.unwrap().spec.previous_phase, Some(sealed_id));
		assert_eq!(challenges::get(&chain, sealed_id).await.unwrap().next_phase, Some(phase_id));
		let phase_state = tempfile::tempdir().unwrap();
		let early = submissions::submit(
			&chain,
			&eve,
			phase_id,
			&eve_predictions,
			&lineage,
			store,
			"CC-BY-4.0",
			&StateFile::new(phase_state.path()),
		)
		.await
		.unwrap_err()
		.to_string();
		assert!(early.contains("MeritChallenges::PhaseNotStarted"), "{early}");
		let sealed_predictions = csv((0..ROWS).map(|i| i as f64 + 0.25));
		let sealed =
			submissions::submit(&chain, &bob, sealed_id, &sealed_predictions, &lineage, store, "CC-BY-4.0", &state)
				.await
				.unwrap();
		assert!(sealed.sealed);
		assert_eq!(challenges::submission(&chain, sealed.submission).await.unwrap().revealed_digest(), None);
		// Nothing but the commitment left Bob's machine: the file is not registered before the
		// close, so nobody can see its digest and commit it first.
		assert!(artifacts::get(&chain, sealed.digest).await.unwrap().is_none());
		let early = submissions::reveal_pending(&chain, &bob, sealed_id, &state, store, "CC-BY-4.0")
			.await
			.unwrap_err()
			.to_string();
		assert!(early.contains("still open"), "{early}");
		// As if Bob's client had stopped after sending the commitment, before it learnt the id:
		// the salt was saved first, and the reveal finds the submission by its commitment.
		let mut entries = state.load().unwrap();
		entries.iter_mut().filter(|e| e.digest == digest_hex(&sealed.digest)).for_each(|e| e.submission = None);
		state.save(&entries).unwrap();

		// The evaluators score the public rows while the challenge is open, as `merit eval` does:
		// three identical revealed reports make each score final.
		let expected = |predictions: &[u8], split: &Split<'_>| {
			FinalOutcome::Scored(merit_metrics::score(Metric::Mae, &labels, predictions, split).unwrap())
		};
		let public = Split::public(&salt, 500_000_000);
		let wait = Duration::from_secs(90);
		for (sub, predictions) in [(&bob_sub, &bob_predictions), (&eve_sub, &eve_predictions)] {
			let outcome = scoring::wait_for_outcome(&chain, sub.submission, Subset::Public, wait).await.unwrap();
			assert_eq!(outcome, Some(expected(predictions, &public)));
		}
		let board = scoring::leaderboard(&chain, id, Subset::Public).await.unwrap();
		assert_eq!(board.len(), 2);
		assert_eq!(board[0].rank, 1);
		// The team is ranked under its account.
		assert!(board.iter().any(|e| e.author == team_info.account), "{board:?}");
		let jobs = panels::jobs(&chain, id, Some(Stage::Public)).await.unwrap();
		let bob_public = expected(&bob_predictions, &public).text();
		let bob_rows: Vec<_> = jobs.jobs.iter().filter(|j| j.submission == bob_sub.submission).collect();
		assert_eq!(bob_rows.len(), 1);
		let round = bob_rows[0].round.as_ref().expect("a round");
		assert_eq!(round.reveals.len(), 3, "{jobs:?}");
		assert!(round.reveals.iter().all(|(_, outcome)| outcome.text() == bob_public), "{jobs:?}");
		assert_eq!(bob_rows[0].final_outcome.as_ref().map(|(o, _)| o.text()), Some(bob_public));
		let table = jobs.table().render(merit_client::output::Format::Csv);
		assert_eq!(table.matches(",revealed,").count(), 6, "{table}");

		// The sealed challenge closed: Bob's reveal matches his commitment.
		challenges::wait_for_state(&chain, sealed_id, WaitState::Closed, Some(Duration::from_secs(120))).await.unwrap();
		assert_eq!(
			submissions::reveal_pending(&chain, &bob, sealed_id, &state, store, "CC-BY-4.0").await.unwrap(),
			vec![sealed.submission]
		);
		assert_eq!(artifacts::get(&chain, sealed.digest).await.unwrap().map(|a| a.owner), Some(account_of(&bob)));
		assert_eq!(
			challenges::submission(&chain, sealed.submission).await.unwrap().revealed_digest(),
			Some(sealed.digest)
		);

		// After the close the owner reveals the labels; only then are private scores evaluated.
		challenges::wait_for_state(&chain, disputed_id, WaitState::Closed, Some(Duration::from_secs(300)))
			.await
			.unwrap();
		challenges::wait_for_state(&chain, id, WaitState::Closed, Some(Duration::from_secs(10))).await.unwrap();
		let early = verify::verify(&chain, id, "https://ipfs.io").await.unwrap_err().to_string();
		assert!(early.contains("closed"), "{early}");
		let bad =
			challenges::reveal_labels(&chain, &alice, id, &labels, b"wrong", store, "CC-BY-4.0").await.unwrap_err();
		assert!(bad.to_string().contains("do not match"), "{bad}");
		challenges::reveal_labels(&chain, &alice, id, &labels, &salt, store, "CC-BY-4.0").await.unwrap();
		challenges::reveal_labels(&chain, &alice, disputed_id, &labels, &disputed_salt, store, "CC-BY-4.0")
			.await
			.unwrap();

		// A private score of the second challenge is disputed while its window is open: Charlie's
		// bond is held, the recount's panel waits for enough evaluators outside the disputed quorum,
		// and the payout waits with it.
		let disputed_private = Split::private(&disputed_salt, 500_000_000);
		let outcome = scoring::wait_for_outcome(&chain, eve_disputed.submission, Subset::Private, wait).await.unwrap();
		assert_eq!(outcome, Some(expected(&eve_predictions, &disputed_private)));
		let held_before = account::balances(&chain, &account_of(&charlie)).await.unwrap().held;
		let dispute = disputes::open(&chain, &charlie, eve_disputed.submission).await.unwrap();
		assert_eq!(
			(dispute.bond, dispute.disputer.clone(), dispute.panel.clone()),
			(50 * MERIT, account_of(&charlie), None)
		);
		assert_eq!(dispute.disputed, expected(&eve_predictions, &disputed_private));
		let held_after = account::balances(&chain, &account_of(&charlie)).await.unwrap().held;
		assert_eq!(held_after - held_before, 50 * MERIT);
		assert_eq!(dispute.challenge, disputed_id);
		// The recount's draw is due (and retried while too few evaluators are eligible).
		assert!(dispute.draw_due.is_some_and(|due| due > dispute.opened_at), "{dispute:?}");
		let listed = disputes::list(&chain, disputed_id).await.unwrap();
		assert_eq!(listed.len(), 1);
		assert_eq!((listed[0].submission, listed[0].opened_at), (eve_disputed.submission, dispute.opened_at));
		assert!(disputes::list(&chain, id).await.unwrap().is_empty());
		let again = disputes::open(&chain, &charlie, eve_disputed.submission).await.unwrap_err().to_string();
		assert!(again.contains("MeritScoring::AlreadyDisputed"), "{again}");
		let (_, readiness) =
			disputes::challenge_readiness(&chain, disputed_id).await.unwrap().expect("labels revealed");
		assert_eq!(
			readiness,
			disputes::Readiness::Waiting { disputed: vec![eve_disputed.submission], windows: vec![], pending: vec![] }
		);
		let refused = rewards::finalize(&chain, &alice, disputed_id).await.unwrap_err().to_string();
		assert!(refused.contains("MeritRewards::DisputesOpen"), "{refused}");
		let early =
			panels::conclude(&chain, &charlie, eve_disputed.submission, Stage::Dispute).await.unwrap_err().to_string();
		assert!(early.contains("MeritScoring::DisputePanelNotDrawn"), "{early}");

		// The first challenge's private scores, and the check by anyone.
		let private = Split::private(&salt, 500_000_000);
		for (sub, predictions) in [(&bob_sub, &bob_predictions), (&eve_sub, &eve_predictions)] {
			let outcome = scoring::wait_for_outcome(&chain, sub.submission, Subset::Private, wait).await.unwrap();
			assert_eq!(outcome, Some(expected(predictions, &private)));
		}
		let report = verify::verify(&chain, id, "https://ipfs.io").await.unwrap();
		assert_eq!((report.differing(), report.not_fetched()), (0, 0), "{report:?}");
		assert_eq!(report.checks.iter().filter(|c| c.verdict == verify::Verdict::Match).count(), 4, "{report:?}");
		assert_eq!(report.delivery, verify::DeliveryCheck::Match, "the panel got the revealed labels' public rows");

		// The pool is paid out once no private score can be disputed, and Bob's track record shows
		// the challenge.
		disputes::wait_until_undisputable(&chain, id, Some(Duration::from_secs(180))).await.unwrap();
		let returned = rewards::finalize(&chain, &alice, id).await.unwrap().expect("MeritRewards::Finalized");
		let finalized = challenges::get(&chain, id).await.unwrap();
		assert_eq!(challenges::state_name(&finalized.status.state), "finalized");
		assert_eq!(finalized.held(), 0);
		let pool = rewards::pool(&chain, id).await.unwrap();
		assert_eq!(pool.ledger.returned, returned);
		assert_eq!(pool.ledger.total(), 50 * MERIT);
		// The team's winnings went to its account; anyone shares them out by the agreed halves.
		let paid = teams::distribute(&chain, &bob, team).await.unwrap();
		assert_eq!(paid.len(), 2, "{paid:?}");
		assert_eq!(paid[0].1, paid[1].1, "{paid:?}");
		assert!(paid[0].1 > 0, "{paid:?}");
		let marks = selections::final_selections(&chain, id).await.unwrap();
		assert!(marks.iter().any(|m| m.author == team_info.account && m.marked), "{marks:?}");
		let rows = selections::table(&chain, id).await.unwrap().render(merit_client::output::Format::Csv);
		assert_eq!(rows.matches("yes (marked)").count(), 1, "{rows}");
		assert_eq!(rows.matches("yes (default: best public)").count(), 1, "{rows}");
		// Charlie never submitted to it, yet his record shows the team's result and his share.
		let charlie_track = record::track_record(&chain, &account_of(&charlie)).await.unwrap();
		let entry = charlie_track["challenges"]
			.as_array()
			.unwrap()
			.iter()
			.find(|c| c["challenge"] == serde_json::json!(id))
			.cloned()
			.unwrap_or_else(|| panic!("{charlie_track}"));
		assert!(!entry["team"].is_null(), "{entry}");
		assert!(!entry["private"].is_null(), "{entry}");
		let release = teams::release_deposit(&chain, &bob, team).await.unwrap();
		assert_eq!(release, MERIT);
		let track = record::track_record(&chain, &account_of(&bob)).await.unwrap();
		assert_eq!(track["account"], serde_json::json!(account_of(&bob).to_string()), "{track}");
		assert!(track.to_string().contains("Client e2e"), "{track}");
		// An evaluator's record counts its reports, abstentions and missed reveals.
		let dave = record::track_record(&chain, &evaluators[0]).await.unwrap();
		let stats = &dave["evaluations"];
		assert!(stats["reports"].as_u64().unwrap() >= 4, "{dave}");
		assert_eq!(
			(stats["abstained"].clone(), stats["missed"].clone()),
			(serde_json::json!(0), serde_json::json!(0)),
			"{dave}"
		);
	});
	drop(node);
}
