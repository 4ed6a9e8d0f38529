//! What the scoring tests share: a challenge with files, labels and evaluators.
#![allow(dead_code)]
use merit_primitives::{ArtifactKind, Digest};
pub use merit_test_runtime::{
	evaluation::*,
	pallet_merit_challenges::{
		self, ChallengeParams, ChallengeParamsOf, DescriptionInput, Schedule, SubmissionLimits, SubmissionMode,
	},
	*,
};
pub use pallet_merit_scoring::*;
use polkadot_sdk::{
	frame_support::{assert_ok, traits::fungible::InspectHold},
	sp_io,
	sp_runtime::Perbill,
};

pub const OWNER: u8 = 1;
pub const ALICE: u8 = 2;
pub const BOB: u8 = 3;
pub const CAROL: u8 = 4;
pub const POOL: u64 = 1_000;
pub const SALT: &[u8] = b"owner-salt";
pub const TRAIN: u8 = 0x10;

pub fn sha(bytes: &[u8]) -> Digest {
	Digest::from(sp_io::hashing::sha2_256(bytes))
}

/// 20 rows, `id,value`.
pub fn labels_csv() -> Vec<u8> {
	let mut csv = String::from("id,value\n");
	for i in 0..20 {
		csv.push_str(&format!("{i},{}.0\n", i % 7));
	}
	csv.into_bytes()
}

/// Predictions off by `delta` tenths on every row.
pub fn predictions_csv(delta: u32) -> Vec<u8> {
	let mut csv = String::from("id,value\n");
	for i in 0..20 {
		csv.push_str(&format!("{i},{}.{delta}\n", i % 7));
	}
	csv.into_bytes()
}

pub fn register(owner: u8, d: Digest, kind: ArtifactKind, size: u64, uri: &[u8]) {
	assert_ok!(MeritArtifacts::register(
		RuntimeOrigin::signed(account(owner)),
		d,
		kind,
		size,
		uri.to_vec(),
		b"MIT".to_vec(),
		vec![]
	));
}

pub fn params(quorum: u32, mode: SubmissionMode) -> ChallengeParamsOf<Test> {
	ChallengeParams {
		title: b"House prices".to_vec(),
		description: DescriptionInput::Text(b"Predict the sale price.".to_vec()),
		training_data: vec![Digest::repeat_byte(TRAIN)],
		metric: Metric::Rmse,
		labels_commitment: MeritChallenges::labels_commitment(&sha(&labels_csv()), SALT),
		public_share: Perbill::from_percent(50),
		schedule: Schedule { open_until: 20, reveal_deadline: 40 },
		limits: SubmissionLimits { per_day: 5, total: 5 },
		reward_shares: vec![Perbill::one()],
		terms: Default::default(),
		quorum,
		prize_pool: POOL,
		mode,
		final_selections: 2,
		teams: merit_primitives::TeamRules { max_size: 1, merge_until: 20 },
		previous_phase: None,
	}
}

pub fn register_training_data() {
	register(OWNER, Digest::repeat_byte(TRAIN), ArtifactKind::Dataset, 10, b"https://d/train");
}

/// A test world with the training data registered (for tests that need the externalities).
pub fn world() -> sp_io::TestExternalities {
	let mut ext = ExtBuilder::default().build();
	ext.execute_with(register_training_data);
	ext
}

/// Runs `test` in a world with the training data registered, then every pallet's `try_state`.
pub fn execute(test: impl FnOnce()) {
	build_and_execute(|| {
		register_training_data();
		test();
	});
}

pub fn create_with(quorum: u32, metric: Metric) -> ChallengeId {
	let id = pallet_merit_challenges::NextChallengeId::<Test>::get();
	let mut p = params(quorum, SubmissionMode::Open);
	p.metric = metric;
	assert_ok!(MeritChallenges::create_challenge(RuntimeOrigin::signed(account(OWNER)), p));
	id
}

pub fn create(quorum: u32) -> ChallengeId {
	create_with(quorum, Metric::Rmse)
}

/// Registers `body` as `who`'s predictions at `uri` and submits it.
pub fn submit_file(who: u8, challenge: ChallengeId, body: &[u8], uri: &[u8]) -> SubmissionId {
	let d = sha(body);
	register(who, d, ArtifactKind::Predictions, body.len() as u64, uri);
	let sid = pallet_merit_challenges::NextSubmissionId::<Test>::get();
	assert_ok!(MeritChallenges::submit(RuntimeOrigin::signed(account(who)), challenge, claim(d), vec![], None));
	sid
}

/// Submits a placeholder predictions artifact (content `tag`).
pub fn submit(who: u8, challenge: ChallengeId, tag: u8) -> SubmissionId {
	submit_file(who, challenge, &[tag; 8], b"https://p/x")
}

pub fn scored(n: u128) -> Outcome {
	Outcome::Scored(Score::from_parts(n))
}

pub fn bond_of(n: u8) -> u64 {
	Balances::balance_on_hold(&HoldReason::EvaluatorBond.into(), &ev(n))
}

/// The block submissions close at.
pub const OPEN_UNTIL: u64 = 20;

/// Registers evaluators `1..=n` and waits out their warm-up.
pub fn evaluators(n: u8) {
	register_evaluators(1..=n);
}

/// With evaluators `1..=n` warmed up, creates a challenge (quorum 3) and draws its panel.
pub fn setup(n: u8) -> ChallengeId {
	evaluators(n);
	let c = create(3);
	draw(c);
	c
}

/// Registers the labels file and, at the close, reveals it.
pub fn reveal_labels(challenge: ChallengeId) {
	let labels = labels_csv();
	register(OWNER, sha(&labels), ArtifactKind::Labels, labels.len() as u64, LABELS_URI);
	run_to_block(System::block_number().max(OPEN_UNTIL));
	assert_ok!(MeritChallenges::reveal_labels(
		RuntimeOrigin::signed(account(OWNER)),
		challenge,
		claim(sha(&labels)),
		SALT.to_vec()
	));
}

/// Where the revealed labels are served.
pub const LABELS_URI: &[u8] = b"https://files/labels.csv";
