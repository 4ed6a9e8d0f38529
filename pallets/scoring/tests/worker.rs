//! The evaluator's off-chain worker against simulated fetches: it seals a report, reveals it once
//! reveals open, abstains on what the submitter's server controls, never reports its own problems,
//! scores private rows only from the revealed labels, and bounds and paces its transactions.
mod common;

use codec::Decode;
use common::*;
use merit_primitives::{
	labels::{
		encrypt_public_labels, labels_public_key, open_file_key, open_public_labels, public_labels_salt, seal_file_key,
		PublicLabels, SealedLabels,
	},
	ArtifactKind, Digest,
};
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok, traits::Hooks},
	sp_core::{
		offchain::{
			testing::{self, PendingRequest, PoolState, TestOffchainExt, TestTransactionPoolExt},
			OffchainDbExt, OffchainWorkerExt, StorageKind, TransactionPoolExt,
		},
		sr25519,
	},
	sp_io,
	sp_keystore::{testing::MemoryKeystore, Keystore, KeystoreExt},
	sp_runtime::{generic::Preamble, traits::IdentifyAccount, DispatchError, MultiSigner, Perbill},
};
use std::sync::Arc;

const GOOD_URI: &[u8] = b"https://files/good.csv";
/// The node's challenge stays open long enough for the worker's retries and in-flight waits.
const NODE_OPEN_UNTIL: u64 = 40;

struct Node {
	ext: sp_io::TestExternalities,
	pool: Arc<parking_lot::RwLock<PoolState>>,
	/// The account of the node's evaluator key (evaluator 1's).
	key: AccountId,
}

/// A node with off-chain and pool extensions and an `mrev` key registered as evaluator 1's key;
/// evaluators 2 to 4 too; a challenge (quorum 3) whose panel is all four, its public labels
/// sealed to them.
fn node() -> Node {
	let mut ext = world();
	let (offchain, _state) = TestOffchainExt::new();
	let (pool, pool_state) = TestTransactionPoolExt::new();
	let keystore = MemoryKeystore::new();
	let public: sr25519::Public = keystore.sr25519_generate_new(KEY_TYPE, Some("//Evaluator")).unwrap();
	let key_account = MultiSigner::from(public).into_account();
	ext.register_extension(OffchainDbExt::new(offchain.clone()));
	ext.register_extension(OffchainWorkerExt::new(offchain));
	ext.register_extension(TransactionPoolExt::new(pool));
	ext.register_extension(KeystoreExt::new(keystore));
	ext.execute_with(|| {
		assert_ok!(MeritScoring::register_evaluator(RuntimeOrigin::signed(ev(1)), key_account.clone()));
		// The node's worker generates its labels secret and registers the key.
		let labels_key = labels_public_key(&MeritScoring::labels_secret(&ev(1)));
		assert_ok!(MeritScoring::set_labels_key(RuntimeOrigin::signed(key_account.clone()), labels_key));
		register_evaluators(2..=4);
		let c = pallet_merit_challenges::NextChallengeId::<Test>::get();
		let mut p = params(3, SubmissionMode::Open);
		p.schedule = Schedule { open_until: NODE_OPEN_UNTIL, reveal_deadline: NODE_OPEN_UNTIL + 20 };
		assert_ok!(MeritChallenges::create_challenge(RuntimeOrigin::signed(account(OWNER)), p));
		assert_eq!(draw(c).len(), 4);
		deliver(c, SALT, &labels_csv());
	});
	Node { ext, pool: pool_state, key: key_account }
}

impl Node {
	/// Ends the test: every pallet's `try_state` on the node's chain state.
	fn finish(mut self) {
		self.ext.execute_with(assert_invariants);
	}
}

/// Where the owner serves the sealed public labels.
const SEALED_URI: &[u8] = b"https://files/public-labels.sealed";

/// The package the owner seals: the canonical public rows of `labels` under `salt`.
fn public_rows_of_labels(salt: &[u8], labels: &[u8]) -> PublicLabels {
	let ppb = Perbill::from_percent(50).deconstruct();
	PublicLabels {
		salt: public_labels_salt(salt),
		labels: merit_metrics::public_rows(labels, salt, ppb).expect("well-formed labels"),
	}
}

/// [`public_rows_of_labels`] of the node's challenge.
fn public_rows_of(salt: &[u8]) -> PublicLabels {
	public_rows_of_labels(salt, &labels_csv())
}

/// The owner seals the canonical public rows of `labels` (split by `salt`) to every panel member
/// of `challenge` that has a labels key, serves the ciphertext and delivers it on chain.
fn deliver(challenge: ChallengeId, salt: &[u8], labels: &[u8]) {
	let public = public_rows_of_labels(salt, labels);
	let commitment = merit_metrics::labels_commitment(&public.labels, &public.salt);
	let file_key = sp_io::hashing::sha2_256(b"file key");
	let ephemeral = sp_io::hashing::sha2_256(b"ephemeral");
	let ciphertext = encrypt_public_labels(&file_key, &public);
	let digest = sha(&ciphertext);
	if !merit_test_runtime::pallet_merit_artifacts::Artifacts::<Test>::contains_key(digest) {
		register(OWNER, digest, ArtifactKind::Labels, ciphertext.len() as u64, SEALED_URI);
	}
	serve(SEALED_URI, Ok(ciphertext));
	let members = pallet_merit_scoring::Panels::<Test>::get(challenge).expect("drawn").members.into_inner();
	let envelopes: Vec<_> = members
		.into_iter()
		.filter_map(|m| {
			let key = pallet_merit_scoring::LabelsKeys::<Test>::get(&m)?;
			Some((m, seal_file_key(challenge, &file_key, &ephemeral, &key).expect("a valid key")))
		})
		.collect();
	let sealed = SealedLabels { commitment, ciphertext: digest, sender: labels_public_key(&ephemeral) };
	assert_ok!(MeritScoring::deliver_labels(
		RuntimeOrigin::signed(account(OWNER)),
		challenge,
		sealed,
		envelopes.try_into().unwrap()
	));
}

/// The predictions files the worker fetched (the sealed labels it fetches with them are left out).
fn fetched() -> Vec<Vec<u8>> {
	common::fetched().into_iter().filter(|uri| uri != SEALED_URI).collect()
}

/// The calls the worker put in the pool, checking each is signed by the node's key.
fn pooled(node: &Node) -> Vec<Call<Test>> {
	let mut state = node.pool.write();
	let txs = std::mem::take(&mut state.transactions);
	txs.into_iter()
		.map(|tx| {
			let xt = Extrinsic::decode(&mut &tx[..]).expect("a transaction of the test runtime");
			match &xt.preamble {
				Preamble::Signed(who, _, _) => assert_eq!(who, &node.key),
				_ => panic!("an evaluator's transaction must be signed"),
			}
			match xt.function {
				RuntimeCall::MeritScoring(call) => call,
				other => panic!("unexpected call {other:?}"),
			}
		})
		.collect()
}

/// Dispatches the worker's calls as the node's key, as the pool would once they are included,
/// and moves the key's nonce on.
fn include(key: &AccountId, calls: Vec<Call<Test>>) {
	for call in calls {
		let result = polkadot_sdk::sp_runtime::traits::Dispatchable::dispatch(
			RuntimeCall::MeritScoring(call.clone()),
			RuntimeOrigin::signed(key.clone()),
		);
		assert!(result.is_ok(), "{call:?} failed: {result:?}");
		System::inc_account_nonce(key);
	}
}

fn expected_score(predictions: &[u8], subset: Subset) -> Score {
	let ppb = Perbill::from_percent(50).deconstruct();
	let split = match subset {
		Subset::Public => merit_metrics::Split::public(SALT, ppb),
		_ => merit_metrics::Split::private(SALT, ppb),
	};
	merit_metrics::score(Metric::Rmse, &labels_csv(), predictions, &split).unwrap()
}

/// Runs the worker at block `n`. A real worker's state changes (the signer bumps the nonce) are
/// discarded, so they are rolled back here too.
fn run_worker(n: u64) {
	run_to_block(n);
	let _ = polkadot_sdk::frame_support::storage::with_transaction(|| {
		MeritScoring::offchain_worker(n);
		polkadot_sdk::sp_runtime::TransactionOutcome::Rollback(Ok::<(), DispatchError>(()))
	});
}

/// What the node sealed for a submission at a stage in the current round.
fn sealed(s: SubmissionId, stage: Stage) -> Option<Outcome> {
	let record = pallet_merit_challenges::Submissions::<Test>::get(s).unwrap();
	let task = Task {
		challenge: record.challenge,
		submission: s,
		stage,
		round: round(s, stage),
		digest: record.content.digest().unwrap(),
	};
	MeritScoring::sealed(&ev(1), &task).map(|(outcome, _)| outcome)
}

fn now() -> u64 {
	System::block_number()
}

#[test]
fn the_worker_seals_its_score_and_reveals_it_once_the_panel_has_committed() {
	let mut node = node();
	let k = node.key.clone();
	node.ext.execute_with(|| {
		let body = predictions_csv(3);
		submit_file(ALICE, 0, &body, GOOD_URI);
		serve(GOOD_URI, Ok(body.clone()));
		run_worker(now() + 1);
		assert_eq!(fetched(), vec![GOOD_URI.to_vec()]);
	});
	let sent = pooled(&node);
	node.ext.execute_with(|| {
		let outcome = Outcome::Scored(expected_score(&predictions_csv(3), Subset::Public));
		assert_eq!(sealed(0, Stage::Public), Some(outcome));
		// Only a commitment is public: it hides the score.
		assert!(matches!(sent[..], [Call::commit_report { submission: 0, stage: Stage::Public, .. }]));
		include(&k, sent);
		// The others commit: reveals open; the next run reveals what was sealed.
		for n in 2..=4 {
			assert_ok!(commit(n, 0, Stage::Public, outcome));
		}
		run_worker(now() + 1);
		assert_eq!(fetched().len(), 1, "a sealed submission is not fetched again");
	});
	let sent = pooled(&node);
	node.ext.execute_with(|| {
		let outcome = Outcome::Scored(expected_score(&predictions_csv(3), Subset::Public));
		assert!(
			matches!(sent[..], [Call::reveal_report { submission: 0, stage: Stage::Public, outcome: o, .. }] if o == outcome)
		);
		include(&k, sent);
		for n in 2..=3 {
			assert_ok!(reveal(n, 0, Stage::Public, outcome));
		}
		assert_eq!(MeritScoring::final_outcome(0, Subset::Public), Some(outcome));
	});
	node.finish();
}

#[test]
fn the_worker_abstains_on_what_the_server_controls_and_seals_deterministic_failures() {
	let mut node = node();
	let k = node.key.clone();
	node.ext.execute_with(|| {
		// A wrong hash: the served bytes are not the registered ones.
		submit_file(ALICE, 0, &predictions_csv(1), b"https://files/swapped.csv");
		serve(b"https://files/swapped.csv", Ok(predictions_csv(2)));
		// An unparsable file: NaN on line 3.
		let bad = b"id,value\n0,0.0\n1,nan\n".to_vec();
		submit_file(BOB, 0, &bad, b"https://files/bad.csv");
		serve(b"https://files/bad.csv", Ok(bad));
		// Registered larger than MaxPredictionsSize: not even fetched.
		let huge = Digest::repeat_byte(0xee);
		register(CAROL, huge, ArtifactKind::Predictions, 5_000, b"https://files/huge.csv");
		assert_ok!(MeritChallenges::submit(RuntimeOrigin::signed(account(CAROL)), 0, claim(huge), vec![], None));
		run_worker(now() + 1);
		assert!(!fetched().contains(&b"https://files/huge.csv".to_vec()));
		assert_eq!(sealed(0, Stage::Public), None);
		assert_eq!(
			sealed(1, Stage::Public),
			Some(Outcome::Failed(FailureReason::Unparsable(MetricError::Row {
				file: merit_metrics::FileKind::Predictions,
				line: 3,
				problem: merit_metrics::RowProblem::NotANumber,
			})))
		);
		assert_eq!(sealed(2, Stage::Public), Some(Outcome::Failed(FailureReason::TooLarge)));
	});
	let sent = pooled(&node);
	assert_eq!(sent.len(), 3);
	assert_eq!(sent[0], Call::abstain { submission: 0, stage: Stage::Public, reason: AbstainReason::HashMismatch });
	assert!(matches!(sent[1], Call::commit_report { submission: 1, .. }));
	assert!(matches!(sent[2], Call::commit_report { submission: 2, .. }));
	node.ext.execute_with(|| include(&k, sent));
	node.finish();
}

#[test]
fn the_labels_are_fetched_once_and_kept_while_the_challenge_is_live() {
	let mut node = node();
	let k = node.key.clone();
	node.ext.execute_with(|| {
		submit_file(ALICE, 0, &predictions_csv(3), GOOD_URI);
		serve(GOOD_URI, Ok(predictions_csv(3)));
		run_worker(now() + 1);
	});
	let sent = pooled(&node);
	node.ext.execute_with(|| {
		include(&k, sent);
		submit_file(BOB, 0, &predictions_csv(4), b"https://files/other.csv");
		serve(b"https://files/other.csv", Ok(predictions_csv(4)));
		run_worker(now() + 1);
		// Both submissions scored, the sealed labels downloaded for the first only.
		assert!(sealed(0, Stage::Public).is_some() && sealed(1, Stage::Public).is_some());
		let sealed_fetches = common::fetched().into_iter().filter(|uri| uri == SEALED_URI).count();
		assert_eq!(sealed_fetches, 1);
		let ciphertext = pallet_merit_scoring::LabelsDeliveries::<Test>::get(0).unwrap().sealed.ciphertext;
		assert!(MeritScoring::labels_cached(&ciphertext));
		// Once the challenge has ended the copy goes (here the owner missed the labels reveal).
		run_worker(NODE_OPEN_UNTIL + 21);
		assert!(!pallet_merit_challenges::LiveChallenges::<Test>::contains_key(0));
		assert!(!MeritScoring::labels_cached(&ciphertext));
	});
	let _ = pooled(&node);
	node.finish();
}

/// Writes what a run that stopped while scoring leaves behind: its marker of unfinished scorings.
fn crashed_while_scoring(submission: SubmissionId, stage: Stage, times: u32) {
	let mut key = pallet_merit_scoring::SCORING_PREFIX.to_vec();
	codec::Encode::encode_to(&(submission, stage), &mut key);
	sp_io::offchain::local_storage_set(StorageKind::PERSISTENT, &key, &codec::Encode::encode(&times));
}

#[test]
fn a_file_that_stopped_the_worker_twice_is_reported_unscorable_instead_of_blocking_every_run() {
	let mut node = node();
	node.ext.execute_with(|| {
		let body = predictions_csv(3);
		submit_file(ALICE, 0, &body, GOOD_URI);
		serve(GOOD_URI, Ok(body.clone()));
		submit_file(BOB, 0, &predictions_csv(4), b"https://files/other.csv");
		serve(b"https://files/other.csv", Ok(predictions_csv(4)));
		// Once: the run may have been stopped by its operator; the file is scored again, and the
		// marker is gone when scoring finishes.
		crashed_while_scoring(0, Stage::Public, 1);
		// Twice: the file is what stops the worker; it is reported without being scored again,
		// and the submission after it is scored in the same run.
		crashed_while_scoring(1, Stage::Public, pallet_merit_scoring::SCORER_CRASHES);
		run_worker(now() + 1);
		assert_eq!(sealed(0, Stage::Public), Some(Outcome::Scored(expected_score(&body, Subset::Public))));
		assert_eq!(sealed(1, Stage::Public), Some(Outcome::Failed(FailureReason::ScorerCrashed)));
		assert_eq!(MeritScoring::unfinished_scorings(0, Stage::Public), 0);
		assert_eq!(MeritScoring::unfinished_scorings(1, Stage::Public), 0);
	});
	let sent = pooled(&node);
	assert!(matches!(sent[..], [Call::commit_report { submission: 0, .. }, Call::commit_report { submission: 1, .. }]));
	node.finish();
}

#[test]
fn a_body_longer_than_registered_is_abstained_from() {
	let mut node = node();
	node.ext.execute_with(|| {
		submit_file(ALICE, 0, &predictions_csv(1), b"https://files/long.csv");
		let mut longer = predictions_csv(1);
		longer.extend_from_slice(b"20,1.0\n");
		serve(b"https://files/long.csv", Ok(longer));
		run_worker(now() + 1);
	});
	assert_eq!(
		pooled(&node),
		vec![Call::abstain { submission: 0, stage: Stage::Public, reason: AbstainReason::HashMismatch }]
	);
	node.finish();
}

#[test]
fn a_failed_fetch_is_retried_before_the_worker_abstains() {
	let mut node = node();
	node.ext.execute_with(|| {
		submit_file(ALICE, 0, &predictions_csv(1), b"https://files/down.csv");
		serve(b"https://files/down.csv", Err(FetchError::HttpStatus(503)));
		let t = now() + 1;
		run_worker(t);
		assert_eq!(MeritScoring::fetch_attempts(&ev(1), 0, Stage::Public), Some((1, t + FETCH_RETRY_BLOCKS as u64)));
		// Not due yet: not fetched again.
		run_worker(t + 1);
		assert_eq!(fetched().len(), 1);
		serve(b"https://files/down.csv", Err(FetchError::Timeout));
		run_worker(t + FETCH_RETRY_BLOCKS as u64);
		assert_eq!(MeritScoring::fetch_attempts(&ev(1), 0, Stage::Public).map(|a| a.0), Some(2));
	});
	assert!(pooled(&node).is_empty());
	node.ext.execute_with(|| {
		run_worker(now() + FETCH_RETRY_BLOCKS as u64);
		assert_eq!(fetched().len(), 3);
		assert_eq!(MeritScoring::fetch_attempts(&ev(1), 0, Stage::Public), None);
	});
	assert_eq!(
		pooled(&node),
		vec![Call::abstain { submission: 0, stage: Stage::Public, reason: AbstainReason::FetchFailed }]
	);
	node.finish();
}

#[test]
fn a_failed_fetch_abstains_early_when_the_round_would_close_before_the_next_attempt() {
	let mut node = node();
	node.ext.execute_with(|| {
		submit_file(ALICE, 0, &predictions_csv(1), b"https://files/down.csv");
		serve(b"https://files/down.csv", Err(FetchError::Network));
		// Another member already committed: the round's commitments close in COMMIT_PERIOD (4)
		// blocks, before a retry 5 blocks later.
		assert_ok!(commit(2, 0, Stage::Public, scored(1)));
		run_worker(now());
	});
	assert_eq!(
		pooled(&node),
		vec![Call::abstain { submission: 0, stage: Stage::Public, reason: AbstainReason::FetchFailed }]
	);
	node.finish();
}

#[test]
fn a_fetch_that_recovers_is_scored() {
	let mut node = node();
	node.ext.execute_with(|| {
		let body = predictions_csv(4);
		submit_file(ALICE, 0, &body, GOOD_URI);
		serve(GOOD_URI, Err(FetchError::Network));
		run_worker(now() + 1);
		serve(GOOD_URI, Ok(body));
		run_worker(now() + FETCH_RETRY_BLOCKS as u64);
		assert_eq!(
			sealed(0, Stage::Public),
			Some(Outcome::Scored(expected_score(&predictions_csv(4), Subset::Public)))
		);
		assert_eq!(MeritScoring::fetch_attempts(&ev(1), 0, Stage::Public), None);
	});
	assert!(matches!(pooled(&node)[..], [Call::commit_report { submission: 0, .. }]));
	node.finish();
}

#[test]
fn the_evaluators_own_problems_are_never_reported() {
	let mut node = node();
	node.ext.execute_with(|| {
		// An URI this node cannot fetch.
		submit_file(ALICE, 0, &predictions_csv(1), b"ipfs://bafy");
		serve(b"ipfs://bafy", Err(FetchError::UnsupportedUri));
		run_worker_without_labels_copy(now() + 1);
		// The sealed labels cannot be fetched.
		serve(b"ipfs://bafy", Ok(predictions_csv(1)));
		serve(SEALED_URI, Err(FetchError::Network));
		run_worker_without_labels_copy(now() + 1);
		// The sealed labels are served altered: they do not match their digest.
		let delivery = LabelsDeliveries::<Test>::get(0).unwrap();
		serve(SEALED_URI, Ok(b"not the ciphertext".to_vec()));
		run_worker_without_labels_copy(now() + 1);
		// Sealed to another key than this node's (its secret changed since, say).
		serve(SEALED_URI, Ok(encrypt_public_labels(&sp_io::hashing::sha2_256(b"file key"), &public_rows_of(SALT))));
		let mut wrong = delivery.clone();
		let mine = wrong.envelopes.iter().position(|(m, _)| m == &ev(1)).unwrap();
		let (file_key, ephemeral) = (sp_io::hashing::sha2_256(b"file key"), sp_io::hashing::sha2_256(b"ephemeral"));
		wrong.envelopes[mine].1 = seal_file_key(0, &file_key, &ephemeral, &labels_public_key(&[9u8; 32])).unwrap();
		LabelsDeliveries::<Test>::insert(0, wrong);
		run_worker_without_labels_copy(now() + 1);
		// Not addressed at all.
		let mut skipped = delivery.clone();
		skipped.envelopes.retain(|(m, _)| m != &ev(1));
		LabelsDeliveries::<Test>::insert(0, skipped);
		run_worker_without_labels_copy(now() + 1);
		// Labels whose commitment is not the delivery's.
		let mut other_commitment = delivery.clone();
		other_commitment.sealed.commitment = [0; 32];
		LabelsDeliveries::<Test>::insert(0, other_commitment);
		run_worker_without_labels_copy(now() + 1);
		// No delivery at all.
		LabelsDeliveries::<Test>::remove(0);
		run_worker_without_labels_copy(now() + 1);
		assert_eq!(fetched().len(), 1);
		// Delivered as it should be: now it is scored.
		LabelsDeliveries::<Test>::insert(0, delivery);
		run_worker(now() + 1);
		assert_eq!(
			sealed(0, Stage::Public),
			Some(Outcome::Scored(expected_score(&predictions_csv(1), Subset::Public)))
		);
	});
	assert!(matches!(pooled(&node)[..], [Call::commit_report { submission: 0, stage: Stage::Public, .. }]));
	node.finish();
}

/// [`run_worker`] on a node that has no local copy of the sealed labels (so it fetches them).
fn run_worker_without_labels_copy(n: u64) {
	let index = sp_io::offchain::local_storage_get(StorageKind::PERSISTENT, pallet_merit_scoring::LABELS_CACHE_INDEX);
	let entries: Vec<(ChallengeId, Digest)> =
		index.map(|bytes| Decode::decode(&mut &bytes[..]).unwrap()).unwrap_or_default();
	for (_, digest) in entries {
		let mut key = pallet_merit_scoring::LABELS_CACHE_PREFIX.to_vec();
		key.extend_from_slice(&digest.0);
		sp_io::offchain::local_storage_clear(StorageKind::PERSISTENT, &key);
	}
	run_worker(n);
}

#[test]
fn the_worker_registers_its_labels_key_and_scores_only_the_sealed_public_rows() {
	let mut node = node();
	let k = node.key.clone();
	node.ext.execute_with(|| {
		// The node holds only the public rows: nothing of a private row's label reaches it.
		let delivery = LabelsDeliveries::<Test>::get(0).unwrap();
		let (_, envelope) = delivery.envelopes.iter().find(|(m, _)| m == &ev(1)).unwrap();
		let file_key =
			open_file_key(0, envelope, &MeritScoring::labels_secret(&ev(1)), &delivery.sealed.sender).unwrap();
		let ciphertext = <MockFetcher as FetchArtifact>::fetch(SEALED_URI, u64::MAX).unwrap();
		let public = open_public_labels(&file_key, &ciphertext, &delivery.sealed.commitment).unwrap();
		let ppb = Perbill::from_percent(50).deconstruct();
		let text = String::from_utf8(public.labels.clone()).unwrap();
		let ids: Vec<&str> = text.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
		assert!(!ids.is_empty() && ids.len() < 20, "some rows are public, not all: {ids:?}");
		assert!(ids.iter().all(|id| merit_metrics::is_public_row(SALT, id, ppb)));
		// A node whose secret is not the one on chain (another node of the evaluator registered
		// it) leaves the chain's key alone and cannot open the envelope: it sends nothing.
		let secret_key = labels_secret_storage_key(&ev(1));
		let original = MeritScoring::labels_secret(&ev(1));
		sp_io::offchain::local_storage_set(StorageKind::PERSISTENT, &secret_key, &codec::Encode::encode(&[9u8; 32]));
		let body = predictions_csv(2);
		submit_file(ALICE, 0, &body, GOOD_URI);
		serve(GOOD_URI, Ok(body));
		run_worker(now() + 1);
		assert_eq!(LabelsKeys::<Test>::get(ev(1)), Some(labels_public_key(&original)));
		assert_eq!(sealed(0, Stage::Public), None);
		// With the secret copied from the node that registered the key, it scores.
		sp_io::offchain::local_storage_set(StorageKind::PERSISTENT, &secret_key, &codec::Encode::encode(&original));
		run_worker(now() + 1);
		assert_eq!(
			sealed(0, Stage::Public),
			Some(Outcome::Scored(expected_score(&predictions_csv(2), Subset::Public)))
		);
		// Registering the same key again is refused.
		assert_noop!(
			MeritScoring::set_labels_key(RuntimeOrigin::signed(k.clone()), labels_public_key(&original)),
			Error::<Test>::LabelsKeyUnchanged
		);
	});
	assert!(matches!(pooled(&node)[..], [Call::commit_report { submission: 0, stage: Stage::Public, .. }]));
	node.finish();
}

#[test]
fn a_node_without_a_labels_key_on_chain_registers_its_own() {
	let mut node = node();
	let k = node.key.clone();
	node.ext.execute_with(|| {
		LabelsKeys::<Test>::remove(ev(1));
		run_worker(now() + 1);
	});
	let sent = pooled(&node);
	node.ext.execute_with(|| {
		let key = labels_public_key(&MeritScoring::labels_secret(&ev(1)));
		assert_eq!(sent, vec![Call::set_labels_key { key }]);
		include(&k, sent);
		assert_eq!(LabelsKeys::<Test>::get(ev(1)), Some(key));
	});
	node.finish();
}

#[test]
fn private_scores_come_only_from_the_revealed_labels_after_the_reveal() {
	let mut node = node();
	node.ext.execute_with(|| {
		let body = predictions_csv(2);
		submit_file(ALICE, 0, &body, GOOD_URI);
		serve(GOOD_URI, Ok(body));
		// Closed, labels not revealed: even with the labels on the node, no private score.
		run_worker(NODE_OPEN_UNTIL);
		assert!(fetched().is_empty());
	});
	assert!(pooled(&node).is_empty());
	node.ext.execute_with(|| {
		serve(LABELS_URI, Ok(labels_csv()));
		reveal_labels(0);
		run_worker(now() + 1);
		// The revealed labels file is fetched even though a local copy exists.
		assert_eq!(fetched(), vec![LABELS_URI.to_vec(), GOOD_URI.to_vec()]);
		assert_eq!(
			sealed(0, Stage::Private),
			Some(Outcome::Scored(expected_score(&predictions_csv(2), Subset::Private)))
		);
	});
	assert!(matches!(pooled(&node)[..], [Call::commit_report { submission: 0, stage: Stage::Private, .. }]));
	node.finish();
}

#[test]
fn the_worker_waits_for_its_batch_and_bounds_its_work() {
	let mut node = node();
	let k = node.key.clone();
	node.ext.execute_with(|| {
		for (who, delta) in [(ALICE, 1u32), (BOB, 2), (CAROL, 3), (ALICE, 4)] {
			let body = predictions_csv(delta);
			let uri = format!("https://files/{delta}.csv").into_bytes();
			submit_file(who, 0, &body, &uri);
			serve(&uri, Ok(body));
		}
		run_worker(now() + 1);
	});
	// MaxScoresPerRun = 3.
	let first = pooled(&node);
	let submissions = |calls: &[Call<Test>]| -> Vec<SubmissionId> {
		calls
			.iter()
			.map(|c| match c {
				Call::commit_report { submission, .. } => *submission,
				other => panic!("unexpected {other:?}"),
			})
			.collect()
	};
	assert_eq!(submissions(&first), vec![0, 1, 2]);
	node.ext.execute_with(|| {
		// The batch is not included yet: the next run sends nothing (it would reuse nonces).
		run_worker(now() + 1);
	});
	assert!(pooled(&node).is_empty());
	node.ext.execute_with(|| {
		include(&k, first);
		run_worker(now() + 1);
	});
	let second = pooled(&node);
	assert_eq!(submissions(&second), vec![3]);
	node.ext.execute_with(|| {
		// A batch that never lands is given up after IN_FLIGHT_BLOCKS.
		run_worker(now() + 1);
	});
	assert!(pooled(&node).is_empty());
	node.ext.execute_with(|| run_worker(now() + IN_FLIGHT_BLOCKS as u64));
	// Meanwhile the rounds of 0 to 2 ran out (the other members never committed): the worker
	// concludes them. Submission 3's commitment never landed, so it is sealed again.
	let last = pooled(&node);
	assert_eq!(
		last[..3],
		[
			Call::conclude_round { submission: 0, stage: Stage::Public },
			Call::conclude_round { submission: 1, stage: Stage::Public },
			Call::conclude_round { submission: 2, stage: Stage::Public },
		]
	);
	assert_eq!(submissions(&last[3..]), vec![3]);
	node.finish();
}

#[test]
fn slow_servers_cost_a_run_at_most_its_time_budget() {
	let mut node = node();
	let k = node.key.clone();
	node.ext.execute_with(|| {
		// Three submissions whose servers each take 40 s of the off-chain clock.
		for (who, delta) in [(ALICE, 1u32), (BOB, 2), (CAROL, 3)] {
			let body = predictions_csv(delta);
			let uri = format!("https://files/slow-{delta}.csv").into_bytes();
			submit_file(who, 0, &body, &uri);
			serve_slowly(&uri, Ok(body), 40_000);
		}
		run_worker(now() + 1);
		// Evaluations started at 0 s and 40 s; the third would start at 80 s, past RUN_BUDGET_MS
		// (60 s): it waits for the next run (MaxScoresPerRun, 3, would have allowed it).
		assert_eq!(RUN_BUDGET_MS, 60_000);
		assert!(sealed(1, Stage::Public).is_some() && sealed(2, Stage::Public).is_none());
	});
	let sent = pooled(&node);
	assert!(matches!(sent[..], [Call::commit_report { submission: 0, .. }, Call::commit_report { submission: 1, .. }]));
	node.ext.execute_with(|| {
		include(&k, sent);
		run_worker(now() + 1);
		assert!(sealed(2, Stage::Public).is_some());
	});
	assert!(matches!(pooled(&node)[..], [Call::commit_report { submission: 2, .. }]));
	node.finish();
}

#[test]
fn the_worker_concludes_a_round_past_its_end_and_skips_final_submissions() {
	let mut node = node();
	node.ext.execute_with(|| {
		let s0 = submit(ALICE, 0, 1);
		let s1 = submit(BOB, 0, 2);
		// s1: another member commits and the round runs out without a quorum.
		let t = now();
		assert_ok!(commit(2, s1, Stage::Public, scored(1)));
		// s0 is final without this node.
		report_all(s0, Stage::Public, &[(2, scored(1)), (3, scored(1)), (4, scored(1))]);
		assert!(MeritScoring::final_outcome(s0, Subset::Public).is_some());
		run_to_block(t + COMMIT_PERIOD + REVEAL_PERIOD);
		serve(b"https://p/x", Ok(vec![3; 8]));
		run_worker(now());
		assert!(fetched().is_empty());
	});
	assert_eq!(pooled(&node), vec![Call::conclude_round { submission: 1, stage: Stage::Public }]);
	node.finish();
}

#[test]
fn a_leaving_evaluator_reveals_what_it_sealed_but_takes_no_new_work() {
	let mut node = node();
	let k = node.key.clone();
	node.ext.execute_with(|| {
		let body = predictions_csv(1);
		submit_file(ALICE, 0, &body, GOOD_URI);
		serve(GOOD_URI, Ok(body));
		run_worker(now() + 1);
	});
	let sent = pooled(&node);
	node.ext.execute_with(|| {
		include(&k, sent);
		assert_ok!(MeritScoring::unregister_evaluator(RuntimeOrigin::signed(ev(1))));
		submit_file(BOB, 0, &predictions_csv(2), b"https://files/2.csv");
		serve(b"https://files/2.csv", Ok(predictions_csv(2)));
		for n in 2..=4 {
			assert_ok!(commit(n, 0, Stage::Public, scored(1)));
		}
		run_worker(now() + 1);
		assert_eq!(fetched().len(), 1);
	});
	assert!(matches!(pooled(&node)[..], [Call::reveal_report { submission: 0, .. }]));
	node.finish();
}

#[test]
fn a_node_whose_evaluator_is_not_drawn_or_not_registered_does_nothing() {
	let mut node = node();
	node.ext.execute_with(|| {
		// A second challenge drawn after evaluator 1 left: it is not on that panel.
		assert_ok!(MeritScoring::unregister_evaluator(RuntimeOrigin::signed(ev(1))));
		register_evaluators(5..=5);
		let c = create(3);
		assert!(!draw(c).contains(&1));
		let body = predictions_csv(1);
		submit_file(ALICE, c, &body, GOOD_URI);
		serve(GOOD_URI, Ok(body));
		run_worker(now() + 1);
		assert!(fetched().is_empty());
	});
	assert!(pooled(&node).is_empty());
	node.ext.execute_with(|| {
		run_to_block(now() + 10);
		assert_ok!(MeritScoring::withdraw_bond(RuntimeOrigin::signed(ev(1))));
		assert!(MeritScoring::local_evaluators().is_empty());
		assert_eq!(MeritScoring::run_evaluator(now()), Err("no registered evaluator key in the keystore"));
	});
	assert!(pooled(&node).is_empty());
	node.finish();
}

#[test]
fn a_held_lock_skips_the_run() {
	let mut node = node();
	node.ext.execute_with(|| {
		let body = predictions_csv(1);
		submit_file(ALICE, 0, &body, GOOD_URI);
		serve(GOOD_URI, Ok(body));
		let mut lock = polkadot_sdk::sp_runtime::offchain::storage_lock::StorageLock::<
			polkadot_sdk::sp_runtime::offchain::storage_lock::BlockAndTime<System>,
		>::with_block_and_time_deadline(
			LOCK_KEY, 5, polkadot_sdk::sp_core::offchain::Duration::from_millis(60_000)
		);
		let guard = lock.try_lock().unwrap();
		assert_eq!(MeritScoring::run_evaluator(now()), Err("another worker run holds the lock"));
		drop(guard);
		assert_eq!(MeritScoring::run_evaluator(now()), Ok(1));
	});
	node.finish();
}

// ---- the HTTP fetcher ----

fn http_ext() -> (sp_io::TestExternalities, Arc<parking_lot::RwLock<testing::OffchainState>>) {
	let mut ext = new_test_ext();
	let (offchain, state) = TestOffchainExt::new();
	ext.register_extension(OffchainDbExt::new(offchain.clone()));
	ext.register_extension(OffchainWorkerExt::new(offchain));
	(ext, state)
}

#[test]
fn the_http_fetcher_gets_the_body_and_enforces_the_size() {
	let (mut ext, state) = http_ext();
	let body = b"id,value\n1,2.0\n".to_vec();
	for _ in 0..2 {
		state.write().expect_request(PendingRequest {
			method: "GET".into(),
			uri: "https://files.example/p.csv".into(),
			response: Some(body.clone()),
			sent: true,
			..Default::default()
		});
	}
	ext.execute_with(|| {
		assert_eq!(HttpFetcher::fetch(b"https://files.example/p.csv", 100), Ok(body.clone()));
		assert_eq!(HttpFetcher::fetch(b"https://files.example/p.csv", 5), Err(FetchError::TooLarge));
	});
	ext.execute_with(assert_invariants);
}

#[test]
fn the_http_fetcher_refuses_private_hosts_unless_the_node_allows_them() {
	let (mut ext, state) = http_ext();
	ext.execute_with(|| {
		// No request leaves the node: the mock would fail the test on an unexpected one.
		for uri in [&b"http://169.254.169.254/latest/meta-data"[..], b"http://127.0.0.1:8000/x", b"http://nas.local/x"]
		{
			assert_eq!(HttpFetcher::fetch(uri, 100), Err(FetchError::ForbiddenHost));
		}
		// A development node sets the key at start (or an operator, with --evaluator-private-urls).
		sp_io::offchain::local_storage_set(
			StorageKind::PERSISTENT,
			pallet_merit_scoring::ALLOW_PRIVATE_HOSTS_KEY,
			b"1",
		);
	});
	state.write().expect_request(PendingRequest {
		method: "GET".into(),
		uri: "http://127.0.0.1:8000/x".into(),
		response: Some(b"x".to_vec()),
		sent: true,
		..Default::default()
	});
	ext.execute_with(|| assert_eq!(HttpFetcher::fetch(b"http://127.0.0.1:8000/x", 10), Ok(b"x".to_vec())));
	ext.execute_with(assert_invariants);
}

#[test]
fn the_http_fetcher_maps_ipfs_through_a_configured_gateway() {
	let (mut ext, state) = http_ext();
	ext.execute_with(|| {
		assert_eq!(HttpFetcher::url_of(b"http://a/b"), Some("http://a/b".into()));
		assert_eq!(HttpFetcher::url_of(b"ipfs://bafy"), None);
		assert_eq!(HttpFetcher::fetch(b"ipfs://bafy", 10), Err(FetchError::UnsupportedUri));
		assert_eq!(HttpFetcher::fetch(b"ftp://x", 10), Err(FetchError::UnsupportedUri));
		sp_io::offchain::local_storage_set(StorageKind::PERSISTENT, fetch::IPFS_GATEWAY_KEY, b"https://gw.example/");
		assert_eq!(HttpFetcher::url_of(b"ipfs://bafy"), Some("https://gw.example/ipfs/bafy".into()));
	});
	state.write().expect_request(PendingRequest {
		method: "GET".into(),
		uri: "https://gw.example/ipfs/bafy".into(),
		response: Some(b"x".to_vec()),
		sent: true,
		..Default::default()
	});
	ext.execute_with(|| assert_eq!(HttpFetcher::fetch(b"ipfs://bafy", 10), Ok(b"x".to_vec())));
	ext.execute_with(assert_invariants);
}

#[test]
fn the_local_storage_keys_are_as_documented() {
	build_and_execute(|| {
		assert_eq!(labels_secret_storage_key(&ev(1)), [LABELS_SECRET_PREFIX, ev(1).as_ref()].concat());
		assert_eq!(LABELS_SECRET_PREFIX, b"merit::scoring::labels-secret::");
		assert_eq!(KEY_TYPE.0, *b"mrev");
	});
}
