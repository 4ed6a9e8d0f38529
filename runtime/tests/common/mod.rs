//! What the runtime's integration tests share: genesis, signed dispatch, blocks with their own
//! parent hashes, challenges, submissions, and evaluators that seal and reveal reports.
#![allow(dead_code, unused_imports)]

pub use merit_primitives::ArtifactKind;
pub use merit_runtime::{
	AccountId, AllPalletsWithSystem, Balance, Balances, BlockNumber, MeritArtifacts, MeritAttribution, MeritChallenges,
	MeritRewards, MeritScoring, MeritTeams, Runtime, RuntimeCall, RuntimeEvent, RuntimeGenesisConfig, RuntimeOrigin, System, MERIT,
};
pub use pallet_merit_challenges::{
	ChallengeParams, ChallengeState, DescriptionInput, Metric, Schedule, SubmissionLimits, SubmissionMode,
};
pub use pallet_merit_scoring::{AbstainReason, FailureReason, Outcome, Stage};
pub use polkadot_sdk::sp_keyring::Sr25519Keyring;
use polkadot_sdk::{
	frame_support::{
		assert_ok,
		dispatch::PostDispatchInfo,
		traits::{fungible::InspectHold, Get, OnInitialize},
	},
	pallet_balances,
	sp_core::H256,
	sp_io,
	sp_runtime::{traits::Dispatchable, BuildStorage, DispatchResultWithInfo, Perbill},
};

pub fn account(k: Sr25519Keyring) -> AccountId {
	k.to_account_id()
}

/// A plain account: `[n; 32]`.
pub fn id(n: u8) -> AccountId {
	AccountId::from([n; 32])
}

/// Evaluator `n` (1..=20) bonds from account `[100 + n; 32]`.
pub fn evaluator(n: u8) -> AccountId {
	id(100 + n)
}

/// Evaluator `n`'s node signs with account `[150 + n; 32]`.
pub fn key(n: u8) -> AccountId {
	id(150 + n)
}

/// The evaluator number of a bonded account.
pub fn number(who: &AccountId) -> u8 {
	let bytes: &[u8; 32] = who.as_ref();
	bytes[0] - 100
}

/// Alice to Ferdie.
pub fn keyring_accounts() -> Vec<AccountId> {
	[
		Sr25519Keyring::Alice,
		Sr25519Keyring::Bob,
		Sr25519Keyring::Charlie,
		Sr25519Keyring::Dave,
		Sr25519Keyring::Eve,
		Sr25519Keyring::Ferdie,
	]
	.iter()
	.map(|k| account(*k))
	.collect()
}

/// The keyring accounts and twenty evaluators, 10,000 MERIT each, at block 1.
pub fn new_ext() -> sp_io::TestExternalities {
	let mut endowed = keyring_accounts();
	endowed.extend((1..=20).map(evaluator));
	let storage = RuntimeGenesisConfig {
		balances: pallet_balances::GenesisConfig {
			balances: endowed.into_iter().map(|who| (who, 10_000 * MERIT)).collect(),
			..Default::default()
		},
		..Default::default()
	}
	.build_storage()
	.expect("genesis builds");
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

pub fn dispatch_as(who: AccountId, call: RuntimeCall) -> DispatchResultWithInfo<PostDispatchInfo> {
	call.dispatch(RuntimeOrigin::signed(who))
}

pub fn dispatch(who: Sr25519Keyring, call: RuntimeCall) -> DispatchResultWithInfo<PostDispatchInfo> {
	dispatch_as(account(who), call)
}

/// Runs every pallet's `on_initialize` up to block `n`; each block gets its own parent hash, as
/// on a chain (draws take their randomness from it).
pub fn run_to_block(n: BlockNumber) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_parent_hash(H256(sp_io::hashing::blake2_256(&next.to_le_bytes())));
		System::set_block_number(next);
		<AllPalletsWithSystem as OnInitialize<BlockNumber>>::on_initialize(next);
	}
}

pub fn now() -> BlockNumber {
	System::block_number()
}

pub fn digest(tag: u8) -> H256 {
	H256::repeat_byte(tag)
}

pub fn register_as(who: AccountId, d: H256, kind: ArtifactKind) {
	assert_ok!(dispatch_as(
		who,
		RuntimeCall::MeritArtifacts(pallet_merit_artifacts::Call::register {
			digest: d,
			kind,
			size: 4_096,
			uri: format!("https://store.merit.example/{d:?}").into_bytes(),
			license: b"CC-BY-4.0".to_vec(),
			parents: vec![],
		})
	));
}

pub fn register(who: Sr25519Keyring, d: H256, kind: ArtifactKind) {
	register_as(account(who), d, kind)
}

pub fn pool_held(who: Sr25519Keyring) -> Balance {
	Balances::balance_on_hold(&pallet_merit_rewards::HoldReason::PrizePool.into(), &account(who))
}

pub fn bond(n: u8) -> Balance {
	Balances::balance_on_hold(&pallet_merit_scoring::HoldReason::EvaluatorBond.into(), &evaluator(n))
}

pub fn check_invariants() {
	MeritScoring::do_try_state().expect("scoring invariants hold");
	MeritArtifacts::do_try_state().expect("artifacts invariants hold");
	MeritChallenges::do_try_state().expect("challenges invariants hold");
	MeritAttribution::do_try_state().expect("attribution invariants hold");
	MeritRewards::do_try_state().expect("rewards invariants hold");
	MeritTeams::do_try_state().expect("teams invariants hold");
}

pub const LABELS_SALT: &[u8] = b"a salt only the owner knows";
pub const LABELS: u8 = 0x20;
pub const POOL: Balance = 1_000 * MERIT;

pub fn params(
	quorum: u32,
	mode: SubmissionMode,
	open_until: BlockNumber,
	reveal_deadline: BlockNumber,
) -> pallet_merit_challenges::ChallengeParamsOf<Runtime> {
	ChallengeParams {
		title: b"Predict house prices".to_vec(),
		description: DescriptionInput::Text(b"Regression on the Ames housing data.".to_vec()),
		training_data: vec![digest(0x10)],
		metric: Metric::Rmse,
		labels_commitment: MeritChallenges::labels_commitment(&digest(LABELS), LABELS_SALT),
		public_share: Perbill::from_percent(30),
		schedule: Schedule { open_until, reveal_deadline },
		limits: SubmissionLimits { per_day: 5, total: 20 },
		reward_shares: vec![Perbill::from_percent(70), Perbill::from_percent(30)],
		terms: Default::default(),
		quorum,
		prize_pool: POOL,
		mode,
		final_selections: 2,
		teams: merit_primitives::TeamRules { max_size: 1, merge_until: open_until },
		previous_phase: None,
	}
}

/// Alice publishes a challenge with quorum 3 (the training data registered first).
pub fn publish(mode: SubmissionMode, open_until: BlockNumber, reveal_deadline: BlockNumber) -> u32 {
	publish_with(params(3, mode, open_until, reveal_deadline))
}

pub fn publish_with(params: pallet_merit_challenges::ChallengeParamsOf<Runtime>) -> u32 {
	if pallet_merit_artifacts::Artifacts::<Runtime>::get(digest(0x10)).is_none() {
		register(Sr25519Keyring::Alice, digest(0x10), ArtifactKind::Dataset);
	}
	let id = pallet_merit_challenges::NextChallengeId::<Runtime>::get();
	assert_ok!(dispatch(
		Sr25519Keyring::Alice,
		RuntimeCall::MeritChallenges(pallet_merit_challenges::Call::create_challenge { params })
	));
	id
}

/// A claim of `d` as the calls take it, at the URI [`register_as`] uses.
pub fn claim_of(d: H256) -> merit_primitives::ArtifactClaim {
	merit_primitives::ArtifactClaim {
		digest: d,
		size: 4_096,
		uri: format!("https://store.merit.example/{d:?}").into_bytes(),
		license: b"CC-BY-4.0".to_vec(),
	}
}

/// The `submit` call of predictions `tag`, which registers them in the same call.
pub fn submit_call(challenge: u32, tag: u8, parents: Vec<u32>) -> RuntimeCall {
	RuntimeCall::MeritChallenges(pallet_merit_challenges::Call::submit {
		challenge,
		predictions: claim_of(digest(tag)),
		parents,
		previous_version: None,
	})
}

pub fn submit_as(who: AccountId, challenge: u32, tag: u8, parents: Vec<u32>) -> u32 {
	let id = pallet_merit_challenges::NextSubmissionId::<Runtime>::get();
	assert_ok!(dispatch_as(who, submit_call(challenge, tag, parents)));
	id
}

pub fn submit(who: Sr25519Keyring, challenge: u32, tag: u8, parents: Vec<u32>) -> u32 {
	submit_as(account(who), challenge, tag, parents)
}

/// The close, then Alice reveals the labels.
pub fn reveal_labels(challenge: u32) {
	let spec = pallet_merit_challenges::ChallengeSpecs::<Runtime>::get(challenge).unwrap();
	run_to_block(now().max(spec.schedule.open_until));
	assert_ok!(dispatch(
		Sr25519Keyring::Alice,
		RuntimeCall::MeritChallenges(pallet_merit_challenges::Call::reveal_labels {
			challenge,
			labels: claim_of(digest(LABELS)),
			salt: LABELS_SALT.to_vec(),
		})
	));
}

pub fn scored(parts: u128) -> Outcome {
	Outcome::Scored(merit_metrics::Score::from_parts(parts))
}

// ---- evaluators ----

pub fn warm_up() -> BlockNumber {
	<<Runtime as pallet_merit_scoring::Config>::WarmUpPeriod as Get<BlockNumber>>::get()
}

pub fn draw_delay() -> BlockNumber {
	<<Runtime as pallet_merit_scoring::Config>::DrawDelay as Get<BlockNumber>>::get()
}

pub fn dispute_window() -> BlockNumber {
	<<Runtime as pallet_merit_scoring::Config>::DisputeWindow as Get<BlockNumber>>::get()
}

pub fn reveal_period() -> BlockNumber {
	<<Runtime as pallet_merit_scoring::Config>::RevealPeriod as Get<BlockNumber>>::get()
}

/// Evaluator `n` bonds, its node signing with `key(n)`; the node registers its labels key.
pub fn bond_evaluator(n: u8) {
	assert_ok!(dispatch_as(
		evaluator(n),
		RuntimeCall::MeritScoring(pallet_merit_scoring::Call::register_evaluator { key: key(n) })
	));
	let labels_key = merit_primitives::labels::labels_public_key(&sp_io::hashing::sha2_256(&[b'l', n]));
	assert_ok!(dispatch_as(
		key(n),
		RuntimeCall::MeritScoring(pallet_merit_scoring::Call::set_labels_key { key: labels_key })
	));
}

/// Evaluators `ns` bond and wait out the warm-up.
pub fn bond_evaluators(ns: impl IntoIterator<Item = u8>) {
	for n in ns {
		bond_evaluator(n);
	}
	run_to_block(now() + warm_up());
}

/// Runs to the draw of a challenge published now; returns its panel.
pub fn draw(challenge: u32) -> Vec<u8> {
	run_to_block(now() + draw_delay());
	panel(challenge)
}

pub fn panel(challenge: u32) -> Vec<u8> {
	pallet_merit_scoring::Panels::<Runtime>::get(challenge)
		.map(|p| p.members.iter().map(number).collect())
		.unwrap_or_default()
}

/// The drawn evaluators that may evaluate a submission at a stage (all but its author).
pub fn evaluators_of(submission: u32, stage: Stage) -> Vec<u8> {
	let record = pallet_merit_challenges::Submissions::<Runtime>::get(submission).expect("a submission");
	let members = match stage {
		Stage::Dispute => {
			pallet_merit_scoring::Disputes::<Runtime>::get(submission).and_then(|d| d.panel).map(|p| p.members)
		}
		_ => pallet_merit_scoring::Panels::<Runtime>::get(record.challenge).map(|p| p.members),
	};
	members.unwrap_or_default().iter().filter(|m| **m != record.author).map(number).collect()
}

pub fn round(submission: u32, stage: Stage) -> u32 {
	pallet_merit_scoring::Jobs::<Runtime>::get(submission, stage).map_or(0, |job| job.round)
}

pub fn salt(n: u8) -> [u8; 32] {
	[n; 32]
}

pub fn commitment(n: u8, submission: u32, stage: Stage, outcome: Outcome) -> H256 {
	merit_primitives::report_commitment(submission, stage, round(submission, stage), &outcome, &salt(n), &evaluator(n))
}

pub fn commit(n: u8, submission: u32, stage: Stage, outcome: Outcome) -> DispatchResultWithInfo<PostDispatchInfo> {
	let commitment = commitment(n, submission, stage, outcome);
	dispatch_as(
		key(n),
		RuntimeCall::MeritScoring(pallet_merit_scoring::Call::commit_report { submission, stage, commitment }),
	)
}

pub fn reveal(n: u8, submission: u32, stage: Stage, outcome: Outcome) -> DispatchResultWithInfo<PostDispatchInfo> {
	dispatch_as(
		key(n),
		RuntimeCall::MeritScoring(pallet_merit_scoring::Call::reveal_report {
			submission,
			stage,
			outcome,
			salt: salt(n),
		}),
	)
}

pub fn abstain(
	n: u8,
	submission: u32,
	stage: Stage,
	reason: AbstainReason,
) -> DispatchResultWithInfo<PostDispatchInfo> {
	dispatch_as(key(n), RuntimeCall::MeritScoring(pallet_merit_scoring::Call::abstain { submission, stage, reason }))
}

pub fn conclude(submission: u32, stage: Stage) -> DispatchResultWithInfo<PostDispatchInfo> {
	dispatch(
		Sr25519Keyring::Ferdie,
		RuntimeCall::MeritScoring(pallet_merit_scoring::Call::conclude_round { submission, stage }),
	)
}

pub fn settled(submission: u32, stage: Stage) -> bool {
	match stage {
		Stage::Dispute => !pallet_merit_scoring::Disputes::<Runtime>::contains_key(submission),
		_ => pallet_merit_scoring::FinalOutcomes::<Runtime>::contains_key(submission, stage.subset()),
	}
}

/// Each of `reports` is committed, then revealed in order until the stage is settled.
pub fn report_all(submission: u32, stage: Stage, reports: &[(u8, Outcome)]) {
	for (n, outcome) in reports {
		assert_ok!(commit(*n, submission, stage, *outcome));
	}
	if let Some(job) = pallet_merit_scoring::Jobs::<Runtime>::get(submission, stage) {
		run_to_block(job.reveal_from.max(now()));
	}
	for (n, outcome) in reports {
		if settled(submission, stage) {
			break;
		}
		assert_ok!(reveal(*n, submission, stage, *outcome));
	}
}

/// Every drawn evaluator that may evaluate the submission reports `outcome`.
pub fn agree(submission: u32, stage: Stage, outcome: Outcome) {
	let reports: Vec<(u8, Outcome)> = evaluators_of(submission, stage).into_iter().map(|n| (n, outcome)).collect();
	report_all(submission, stage, &reports);
	assert!(settled(submission, stage), "the panel's reports did not settle submission {submission}");
}

pub fn final_outcome(submission: u32, subset: merit_metrics::Subset) -> Option<Outcome> {
	MeritScoring::final_outcome(submission, subset)
}
