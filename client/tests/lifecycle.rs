//! The client against a real dev node: an evaluator registers and loads the hidden labels, an
//! owner publishes a challenge (files uploaded to an in-process artifact store), two participants
//! submit, the off-chain worker scores them, the owner reveals the labels and `verify`
//! recomputes every score. Everything goes through the library functions the CLI calls.
use merit_client::{
	chain::{runtime_types::merit_primitives::challenges::ChallengeState, Chain},
	challenges::{self, ArtifactSource, DescriptionSource, Mode, NewChallenge},
	keys::{account_of, keypair_from_suri},
	record, rewards,
	scoring::{self, FinalOutcome},
	state::StateFile,
	store::{self, Store},
	submissions::{self, Lineage},
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
	let node = Node::start(NodeConfig::dev("client-lifecycle"));
	let url = format!("ws://127.0.0.1:{}", node.config.rpc_port);
	let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
	runtime.block_on(async move {
		let store_dir = tempfile::tempdir().unwrap();
		let (address, _store) = store::spawn("127.0.0.1:0", Store::open(store_dir.path(), 1 << 20).unwrap()).await.unwrap();
		let store_url = format!("http://{address}");
		let store = Some(store_url.as_str());
		let state_dir = tempfile::tempdir().unwrap();
		let state = StateFile::new(state_dir.path());
		let chain = Chain::connect(&url).await.unwrap();
		let (alice, bob, dave, charlie) = (
			keypair_from_suri("//Alice").unwrap(),
			keypair_from_suri("//Bob").unwrap(),
			keypair_from_suri("//Dave").unwrap(),
			keypair_from_suri("//Charlie").unwrap(),
		);

		// An unreachable node is named.
		let error = format!("{:#}", Chain::connect("ws://127.0.0.1:1").await.err().unwrap());
		assert!(error.contains("ws://127.0.0.1:1"), "{error}");

		// Charlie runs the evaluator: bond, a fresh funded key, the key in the node's keystore.
		let key_suri = "//MeritClientEvaluator";
		let key = account_of(&keypair_from_suri(key_suri).unwrap());
		scoring::register_evaluator(&chain, &charlie, &key, MERIT).await.unwrap();
		assert_eq!(chain.free_balance(&key).await.unwrap(), MERIT);
		assert_eq!(scoring::insert_key(&chain, key_suri).await.unwrap(), key);

		// Alice publishes an open challenge.
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
			open_for: 36,
			reveal_within: 200,
			per_day: 5,
			total: 10,
			reward_shares: vec![700_000_000, 300_000_000],
			quorum: 1,
			prize_pool: 50 * MERIT,
			mode: Mode::Open,
			terms: rewards::Terms::default(),
		};
		let id = challenges::create(&chain, &alice, &spec, store, "CC-BY-4.0").await.unwrap();
		scoring::set_labels(&chain, &chain, id, &labels, &salt).await.unwrap();
		let wrong = scoring::set_labels(&chain, &chain, id, &labels, b"other salt").await.unwrap_err();
		assert!(wrong.to_string().contains("do not match"), "{wrong}");

		let info = challenges::get(&chain, id).await.unwrap();
		assert_eq!(info.title(), "Client e2e");
		assert_eq!(info.metric(), Metric::Mae);
		assert_eq!(info.spec.prize_pool, 50 * MERIT);
		assert_eq!(info.spec.owner, account_of(&alice));
		assert_eq!(challenges::state_name(&info.status.state), "open");
		assert_eq!((info.held(), info.reward_shares()), (50 * MERIT, vec![700_000_000, 300_000_000]));
		assert!(challenges::list(&chain).await.unwrap().iter().any(|c| c.id == id));
		let missing = challenges::get(&chain, 999).await.unwrap_err().to_string();
		assert!(missing.contains("no challenge 999"), "{missing}");

		// Bob and Dave submit; Bob's second copy of the same file is refused with the pallet's words.
		let bob_predictions = csv((0..ROWS).map(|i| i as f64 + 0.5));
		let dave_predictions = csv((0..ROWS).map(|i| if i % 2 == 0 { i as f64 } else { i as f64 + 2.0 }));
		let lineage = Lineage::default();
		let bob_sub = submissions::submit(&chain, &bob, id, &bob_predictions, &lineage, store, "CC-BY-4.0", &state).await.unwrap();
		assert!(!bob_sub.sealed);
		let forked = Lineage { parents: vec![bob_sub.submission], previous_version: None };
		let dave_sub = submissions::submit(&chain, &dave, id, &dave_predictions, &forked, store, "CC-BY-4.0", &state).await.unwrap();
		let duplicate = submissions::submit(&chain, &bob, id, &bob_predictions, &lineage, store, "CC-BY-4.0", &state)
			.await
			.unwrap_err()
			.to_string();
		assert!(duplicate.contains("MeritChallenges::DuplicateSubmission"), "{duplicate}");
		assert!(duplicate.contains("earlier submission has priority"), "{duplicate}");

		let stored = challenges::submission(&chain, dave_sub.submission).await.unwrap();
		assert_eq!(stored.revealed_digest(), Some(dave_sub.digest));
		assert_eq!(stored.record.parents.0, vec![bob_sub.submission]);
		assert_eq!(challenges::get(&chain, id).await.unwrap().submissions, vec![bob_sub.submission, dave_sub.submission]);

		// A sealed challenge: Bob commits now and reveals once it has closed.
		let sealed_spec = NewChallenge {
			title: "Client e2e sealed".into(),
			training_data: vec![ArtifactSource::Digest(info.spec.training_data.0[0])],
			open_for: 15,
			mode: Mode::Sealed,
			..spec.clone()
		};
		let sealed_id = challenges::create(&chain, &alice, &sealed_spec, store, "CC-BY-4.0").await.unwrap();
		let sealed_predictions = csv((0..ROWS).map(|i| i as f64 + 0.25));
		let sealed = submissions::submit(&chain, &bob, sealed_id, &sealed_predictions, &lineage, store, "CC-BY-4.0", &state)
			.await
			.unwrap();
		assert!(sealed.sealed);
		assert_eq!(challenges::submission(&chain, sealed.submission).await.unwrap().revealed_digest(), None);
		let early = submissions::reveal_pending(&chain, &bob, sealed_id, &state).await.unwrap_err().to_string();
		assert!(early.contains("still open"), "{early}");

		// The evaluator scores the public rows while the challenge is open, as `merit eval` does.
		let expected = |predictions: &[u8], split: &Split<'_>| {
			FinalOutcome::Scored(merit_metrics::score(Metric::Mae, &labels, predictions, split).unwrap())
		};
		let public = Split::public(&salt, 500_000_000);
		let wait = Duration::from_secs(90);
		for (sub, predictions) in [(&bob_sub, &bob_predictions), (&dave_sub, &dave_predictions)] {
			let outcome = scoring::wait_for_outcome(&chain, sub.submission, Subset::Public, wait).await.unwrap();
			assert_eq!(outcome, Some(expected(predictions, &public)));
		}
		let board = scoring::leaderboard(&chain, id, Subset::Public).await.unwrap();
		assert_eq!(board.len(), 2);
		assert_eq!(board[0].rank, 1);

		// The sealed challenge closed: Bob's reveal matches his commitment.
		for _ in 0..60 {
			if matches!(challenges::get(&chain, sealed_id).await.unwrap().status.state, ChallengeState::Closed) {
				break;
			}
			tokio::time::sleep(Duration::from_secs(1)).await;
		}
		assert_eq!(submissions::reveal_pending(&chain, &bob, sealed_id, &state).await.unwrap(), vec![sealed.submission]);
		assert_eq!(
			challenges::submission(&chain, sealed.submission).await.unwrap().revealed_digest(),
			Some(sealed.digest)
		);

		// After the close: private scores, the labels' reveal, and the check by anyone.
		let private = Split::private(&salt, 500_000_000);
		for (sub, predictions) in [(&bob_sub, &bob_predictions), (&dave_sub, &dave_predictions)] {
			let outcome = scoring::wait_for_outcome(&chain, sub.submission, Subset::Private, wait).await.unwrap();
			assert_eq!(outcome, Some(expected(predictions, &private)));
		}
		let early = verify::verify(&chain, id, "https://ipfs.io").await.unwrap_err().to_string();
		assert!(early.contains("closed"), "{early}");
		let bad = challenges::reveal_labels(&chain, &alice, id, &labels, b"wrong", store, "CC-BY-4.0").await.unwrap_err();
		assert!(bad.to_string().contains("do not match"), "{bad}");
		challenges::reveal_labels(&chain, &alice, id, &labels, &salt, store, "CC-BY-4.0").await.unwrap();
		let report = verify::verify(&chain, id, "https://ipfs.io").await.unwrap();
		assert_eq!(report.differing(), 0, "{report:?}");
		assert_eq!(report.checks.iter().filter(|c| c.verdict == verify::Verdict::Match).count(), 4, "{report:?}");

		// The pool is paid out, and Bob's track record shows the challenge.
		let returned = rewards::finalize(&chain, &alice, id).await.unwrap().expect("MeritRewards::Finalized");
		let finalized = challenges::get(&chain, id).await.unwrap();
		assert_eq!(challenges::state_name(&finalized.status.state), "finalized");
		assert_eq!(finalized.held(), 0);
		let pool = rewards::pool(&chain, id).await.unwrap();
		assert_eq!(pool.ledger.returned, returned);
		assert_eq!(pool.ledger.total(), 50 * MERIT);
		let track = record::track_record(&chain, &account_of(&bob)).await.unwrap();
		assert_eq!(track["account"], serde_json::json!(account_of(&bob).to_string()), "{track}");
		assert!(track.to_string().contains("Client e2e"), "{track}");
	});
	drop(node);
}
