//! The one test runtime of Merit's pallet tests.
//!
//! System, balances and the five Merit pallets wired exactly as the Merit runtime wires them
//! (through the traits in `merit-primitives`), with `MultiSigner` accounts so the off-chain worker
//! signs real sr25519 transactions, a fetcher that answers from a table, and small bounds a test
//! may change with [`ExtBuilder`]. [`ExtBuilder::build_and_execute`] runs every pallet's
//! `try_state` after the test body, so no test can leave the books inconsistent unnoticed.
use codec::Encode;
use core::cell::RefCell;
use pallet_merit_scoring::{FetchArtifact, FetchError};
use polkadot_sdk::{
	frame_support::{
		derive_impl, parameter_types,
		traits::{ConstU32, ConstU64, Get, Hooks},
	},
	frame_system::{
		self,
		offchain::{AppCrypto, CreateSignedTransaction, CreateTransactionBase, SigningTypes},
		EnsureRoot,
	},
	pallet_balances, sp_io,
	sp_runtime::{
		generic::UncheckedExtrinsic, traits::IdentityLookup, AccountId32, BuildStorage, MultiSignature, MultiSigner,
		Perbill,
	},
};
use std::collections::BTreeMap;

pub use pallet_merit_artifacts;
pub use pallet_merit_attribution;
pub use pallet_merit_challenges;
pub use pallet_merit_rewards;
pub use pallet_merit_scoring;
pub use pallet_merit_teams;

pub type AccountId = AccountId32;
pub type Balance = u64;
type Block = frame_system::mocking::MockBlock<Test>;
/// The transactions the off-chain worker puts in the pool.
pub type Extrinsic = UncheckedExtrinsic<AccountId, RuntimeCall, MultiSignature, ()>;

#[polkadot_sdk::frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeHoldReason,
		RuntimeFreezeReason,
		RuntimeTask
	)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(2)]
	pub type MeritArtifacts = pallet_merit_artifacts;
	#[runtime::pallet_index(3)]
	pub type MeritChallenges = pallet_merit_challenges;
	#[runtime::pallet_index(4)]
	pub type MeritScoring = pallet_merit_scoring;
	#[runtime::pallet_index(5)]
	pub type MeritAttribution = pallet_merit_attribution;
	#[runtime::pallet_index(6)]
	pub type MeritRewards = pallet_merit_rewards;
	#[runtime::pallet_index(7)]
	pub type MeritTeams = pallet_merit_teams;
	#[runtime::pallet_index(8)]
	pub type MeritCampaigns = pallet_merit_campaigns;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId;
	type Lookup = IdentityLookup<AccountId>;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

/// The bounds a test may change; the defaults are small so limits are easy to reach.
#[derive(Clone, Copy, Debug)]
pub struct Bounds {
	/// Artifacts: the deposit for any artifact.
	pub artifact_deposit_base: Balance,
	/// Artifacts: the deposit per stored byte.
	pub artifact_deposit_per_byte: Balance,
	/// Challenges (and rewards): parents per submission.
	pub max_parents: u32,
	/// Challenges (and rewards): submissions per challenge.
	pub max_submissions: u32,
	/// Challenges: challenges closing or expiring in one block.
	pub max_scheduled_per_block: u32,
	/// Challenges: live challenges at once.
	pub max_live_challenges: u32,
	/// Attribution: the longest fork chain.
	pub max_fork_depth: u32,
	/// Challenges: the deposit per submission (zero by default, so the other pallets' tests
	/// keep their balance sheets; the deposit tests set it).
	pub submission_deposit: Balance,
	/// Rewards: submissions or entrants one `finalize` call counts.
	pub finalize_page: u32,
}

impl Default for Bounds {
	fn default() -> Self {
		Self {
			artifact_deposit_base: 1,
			artifact_deposit_per_byte: 0,
			max_parents: 2,
			max_submissions: 16,
			max_scheduled_per_block: 4,
			max_live_challenges: 8,
			max_fork_depth: 8,
			submission_deposit: 0,
			finalize_page: 1_000,
		}
	}
}

thread_local! {
	static BOUNDS: RefCell<Bounds> = RefCell::new(Bounds::default());
	/// What each URI answers in this test.
	static FILES: RefCell<BTreeMap<Vec<u8>, Result<Vec<u8>, FetchError>>> = RefCell::new(BTreeMap::new());
	/// URIs fetched, in order.
	static FETCHED: RefCell<Vec<Vec<u8>>> = RefCell::new(Vec::new());
	/// How long each slow URI takes to answer, in milliseconds of the off-chain clock.
	static DELAYS: RefCell<BTreeMap<Vec<u8>, u64>> = RefCell::new(BTreeMap::new());
}

macro_rules! bound {
	($name:ident, $field:ident, $ty:ty) => {
		/// A bound read from this test's [`Bounds`].
		pub struct $name;
		impl Get<$ty> for $name {
			fn get() -> $ty {
				BOUNDS.with(|b| b.borrow().$field)
			}
		}
	};
}

bound!(ArtifactDepositBase, artifact_deposit_base, Balance);
bound!(ArtifactDepositPerByte, artifact_deposit_per_byte, Balance);
bound!(MaxParents, max_parents, u32);
bound!(MaxSubmissionsPerChallenge, max_submissions, u32);
bound!(MaxScheduledPerBlock, max_scheduled_per_block, u32);
bound!(MaxLiveChallenges, max_live_challenges, u32);
bound!(MaxForkDepth, max_fork_depth, u32);
bound!(SubmissionDeposit, submission_deposit, Balance);
bound!(FinalizePageSize, finalize_page, u32);

impl pallet_merit_artifacts::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type DepositBase = ArtifactDepositBase;
	type DepositPerByte = ArtifactDepositPerByte;
	type MaxUriLength = ConstU32<64>;
	type MaxLicenseLength = ConstU32<16>;
	type MaxParents = ConstU32<3>;
	type WeightInfo = ();
}

parameter_types! {
	pub const MinPrizePool: Balance = 100;
}

impl pallet_merit_challenges::Config for Test {
	type Balance = Balance;
	type Pool = MeritRewards;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Outcomes = MeritScoring;
	type Artifacts = MeritArtifacts;
	type OnSubmission = MeritAttribution;
	type OnChallengeCreated = MeritScoring;
	type MaxTitleLength = ConstU32<32>;
	type MaxDescriptionLength = ConstU32<64>;
	type MaxTrainingArtifacts = ConstU32<2>;
	type MaxWinners = ConstU32<3>;
	type MaxParents = MaxParents;
	type MaxSubmissionsPerChallenge = MaxSubmissionsPerChallenge;
	type MaxLiveChallenges = MaxLiveChallenges;
	type MaxScheduledPerBlock = MaxScheduledPerBlock;
	type MaxSaltLength = ConstU32<32>;
	type MaxLabelsSize = ConstU64<100_000>;
	type Teams = MeritTeams;
	type Boards = MeritScoring;
	type MaxPhases = ConstU32<3>;
	type MaxFinalSelections = ConstU32<3>;
	type MaxQuorum = ConstU32<5>;
	type MinQuorumWithPrize = ConstU32<3>;
	type MaxRevealPeriod = ConstU64<100>;
	type MinPrizePool = MinPrizePool;
	type SubmissionDeposit = SubmissionDeposit;
	type MaxOpenPeriod = ConstU64<1_000>;
	type SubmissionRevealPeriod = ConstU64<5>;
	type BlocksPerDay = ConstU64<10>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = Funding;
}

/// Funds benchmark accounts.
#[cfg(feature = "runtime-benchmarks")]
pub struct Funding;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_merit_challenges::BenchmarkHelper<AccountId> for Funding {
	fn fund(who: &AccountId) {
		use polkadot_sdk::frame_support::traits::fungible::Mutate;
		let _ = Balances::mint_into(who, Balance::MAX / 1_024);
	}
}

parameter_types! {
	pub const TeamsPalletId: polkadot_sdk::frame_support::PalletId = polkadot_sdk::frame_support::PalletId(*b"mrt/team");
}

impl pallet_merit_teams::Config for Test {
	type Challenges = MeritChallenges;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type PalletId = TeamsPalletId;
	type MaxTeamSize = ConstU32<4>;
	type MaxNameLength = ConstU32<16>;
	type TeamDeposit = ConstU64<50>;
	type WeightInfo = ();
}

/// The campaigns pallet's deposits in this runtime: per campaign and per subject.
pub const CAMPAIGN_DEPOSIT: Balance = 20;
pub const SUBJECT_DEPOSIT: Balance = 2;

impl pallet_merit_campaigns::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Randomness = pallet_merit_scoring::ParentBlockRandomness<Test>;
	type CampaignDeposit = ConstU64<CAMPAIGN_DEPOSIT>;
	type SubjectDeposit = ConstU64<SUBJECT_DEPOSIT>;
	type MaxSubjects = ConstU32<2_000>;
	type MaxBatch = ConstU32<200>;
	type MaxVotesPerSubject = ConstU32<20>;
	type MaxProbe = ConstU32<32>;
	type MaxTextLength = ConstU32<64>;
	type ClaimWindow = ConstU64<10>;
	type VolunteerSignature = MultiSignature;
	type FeelessWindow = ConstU64<10>;
	type MaxFeelessPerWindow = ConstU32<12>;
	type MaxFeelessPerBlock = ConstU32<50>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = pallet_merit_campaigns::EcdsaVolunteers;
}

/// An evaluator's bond in this runtime.
pub const BOND: Balance = 1_000;

/// Blocks before a new evaluator can be drawn in this runtime.
pub const WARM_UP: u64 = 5;
/// Blocks between a request and its draw.
pub const DRAW_DELAY: u64 = 2;
/// Blocks a round accepts commitments, then reveals.
pub const COMMIT_PERIOD: u64 = 4;
pub const REVEAL_PERIOD: u64 = 4;
/// Blocks a final private score can be disputed.
pub const DISPUTE_WINDOW: u64 = 10;
/// Blocks a recount may take.
pub const DISPUTE_RESOLUTION: u64 = 20;
/// A disputer's bond.
pub const DISPUTE_BOND: Balance = 200;

parameter_types! {
	pub const EvaluatorBond: Balance = BOND;
	pub const MinEvaluatorBond: Balance = BOND / 2;
	pub const SlashFraction: Perbill = Perbill::from_percent(10);
	pub const DisputeSlashFraction: Perbill = Perbill::from_percent(50);
	pub const DisputerShare: Perbill = Perbill::from_percent(50);
	pub const RevealBondShare: Perbill = Perbill::from_percent(10);
	pub const MaxMicroShare: Perbill = Perbill::from_percent(50);
}

impl pallet_merit_scoring::Config for Test {
	type AuthorityId = pallet_merit_scoring::crypto::EvaluatorAuthId;
	type Challenges = MeritChallenges;
	type Artifacts = MeritArtifacts;
	type PublicBoard = MeritRewards;
	type ForceOrigin = EnsureRoot<AccountId>;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type OnSlash = ();
	type Randomness = pallet_merit_scoring::ParentBlockRandomness<Test>;
	type EvaluatorBond = EvaluatorBond;
	type MinEvaluatorBond = MinEvaluatorBond;
	type WarmUpPeriod = ConstU64<WARM_UP>;
	type DrawDelay = ConstU64<DRAW_DELAY>;
	/// A quorum of three is drawn as four.
	type PanelSpares = ConstU32<1>;
	type MaxPanelSize = ConstU32<8>;
	type MaxDrawsPerBlock = ConstU32<2>;
	type MaxPrunePerCall = ConstU32<2>;
	type MaxFinalSelections = ConstU32<3>;
	type CommitPeriod = ConstU64<COMMIT_PERIOD>;
	type RevealPeriod = ConstU64<REVEAL_PERIOD>;
	type SlashFraction = SlashFraction;
	type DisputeWindow = ConstU64<DISPUTE_WINDOW>;
	type DisputeResolutionPeriod = ConstU64<DISPUTE_RESOLUTION>;
	type DisputeBond = ConstU64<DISPUTE_BOND>;
	type DisputeSlashFraction = DisputeSlashFraction;
	type DisputerShare = DisputerShare;
	type MaxEvaluators = ConstU32<12>;
	type MaxScoresPerRun = ConstU32<3>;
	type MaxPredictionsSize = ConstU64<1_000>;
	type UnbondingPeriod = ConstU64<10>;
	type Fetcher = MockFetcher;
	type OnOutcomeFinal = MeritRewards;
	type WeightInfo = ();
}

impl pallet_merit_attribution::Config for Test {
	type Challenges = MeritChallenges;
	type MaxForkDepth = MaxForkDepth;
}

impl pallet_merit_rewards::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Challenges = MeritChallenges;
	type Outcomes = MeritScoring;
	type Lineage = MeritAttribution;
	type Artifacts = MeritArtifacts;
	type MaxWinners = ConstU32<3>;
	type MaxParents = MaxParents;
	type MaxSubmissionsPerChallenge = MaxSubmissionsPerChallenge;
	type MaxEvaluators = ConstU32<8>;
	type MaxForkCreditDepth = ConstU32<3>;
	type RevealBondShare = RevealBondShare;
	type MaxReviewsPerReviewer = ConstU32<3>;
	type MaxMicroShare = MaxMicroShare;
	type ScoringGracePeriod = ConstU64<20>;
	type FinalizePageSize = FinalizePageSize;
	type WeightInfo = ();
}

impl SigningTypes for Test {
	type Public = MultiSigner;
	type Signature = MultiSignature;
}

impl<LocalCall> CreateTransactionBase<LocalCall> for Test
where
	RuntimeCall: From<LocalCall>,
{
	type RuntimeCall = RuntimeCall;
	type Extrinsic = Extrinsic;
}

impl<LocalCall> CreateSignedTransaction<LocalCall> for Test
where
	RuntimeCall: From<LocalCall>,
{
	fn create_signed_transaction<C: AppCrypto<Self::Public, Self::Signature>>(
		call: RuntimeCall,
		public: MultiSigner,
		account: AccountId,
		nonce: <Test as frame_system::Config>::Nonce,
	) -> Option<Extrinsic> {
		let signature = C::sign(&(&call, nonce).encode(), public)?;
		Some(Extrinsic::new_signed(call, account, signature, ()))
	}
}

/// A fetcher that answers from [`serve`]'s table (unknown URIs: a network failure).
pub struct MockFetcher;

impl FetchArtifact for MockFetcher {
	fn fetch(uri: &[u8], max_len: u64) -> Result<Vec<u8>, FetchError> {
		FETCHED.with(|f| f.borrow_mut().push(uri.to_vec()));
		if let Some(delay) = DELAYS.with(|d| d.borrow().get(uri).copied()) {
			let until = sp_io::offchain::timestamp().add(polkadot_sdk::sp_core::offchain::Duration::from_millis(delay));
			sp_io::offchain::sleep_until(until);
		}
		let answer = FILES.with(|f| f.borrow().get(uri).cloned()).unwrap_or(Err(FetchError::Network))?;
		if answer.len() as u64 > max_len {
			return Err(FetchError::TooLarge);
		}
		Ok(answer)
	}
}

/// Makes `uri` answer `answer`.
pub fn serve(uri: &[u8], answer: Result<Vec<u8>, FetchError>) {
	FILES.with(|f| f.borrow_mut().insert(uri.to_vec(), answer));
}

/// Makes `uri` answer `answer` after `millis` of the off-chain clock (a slow server; the test's
/// off-chain extension moves its clock on).
pub fn serve_slowly(uri: &[u8], answer: Result<Vec<u8>, FetchError>, millis: u64) {
	serve(uri, answer);
	DELAYS.with(|d| d.borrow_mut().insert(uri.to_vec(), millis));
}

/// The URIs fetched so far.
pub fn fetched() -> Vec<Vec<u8>> {
	FETCHED.with(|f| f.borrow().clone())
}

/// The test account numbered `n` (its 32 bytes are all `n`).
/// A claim of `digest` as `submit`, `reveal_submission` and `reveal_labels` take it: 10 bytes at
/// `https://store/x` under MIT, what the tests' registrations use.
pub fn claim(digest: merit_primitives::Digest) -> merit_primitives::ArtifactClaim {
	claim_at(digest, b"https://store/x")
}

/// A claim of `digest` at `uri`.
pub fn claim_at(digest: merit_primitives::Digest, uri: &[u8]) -> merit_primitives::ArtifactClaim {
	merit_primitives::ArtifactClaim { digest, size: 10, uri: uri.to_vec(), license: b"MIT".to_vec() }
}

pub fn account(n: u8) -> AccountId {
	AccountId32::new([n; 32])
}

/// Builds a test world: balances, bounds, and block 1.
pub struct ExtBuilder {
	balances: Vec<(AccountId, Balance)>,
	bounds: Bounds,
}

impl Default for ExtBuilder {
	/// Owner 1 has 100,000; participants 2 to 6 and evaluators 11 to 19 have 10,000 each;
	/// account 9 is poor (50).
	fn default() -> Self {
		let mut balances = vec![(account(1), 100_000)];
		balances.extend((2..=6).map(|n| (account(n), 10_000)));
		balances.push((account(9), 50));
		balances.extend((11..=19).map(|n| (account(n), 10_000)));
		Self { balances, bounds: Bounds::default() }
	}
}

impl ExtBuilder {
	/// Replaces the genesis balances.
	pub fn balances(mut self, balances: Vec<(AccountId, Balance)>) -> Self {
		self.balances = balances;
		self
	}

	/// Changes this test's bounds.
	pub fn bounds(mut self, change: impl FnOnce(&mut Bounds)) -> Self {
		change(&mut self.bounds);
		self
	}

	/// The externalities, at block 1, without the final invariant check.
	pub fn build(self) -> sp_io::TestExternalities {
		BOUNDS.with(|b| *b.borrow_mut() = self.bounds);
		FILES.with(|f| f.borrow_mut().clear());
		FETCHED.with(|f| f.borrow_mut().clear());
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		pallet_balances::GenesisConfig::<Test> { balances: self.balances, ..Default::default() }
			.assimilate_storage(&mut storage)
			.unwrap();
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.execute_with(|| System::set_block_number(1));
		ext
	}

	/// Runs `test`, then every pallet's `try_state`.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		let mut ext = self.build();
		ext.execute_with(|| {
			test();
			assert_invariants();
		});
	}
}

/// The default world, at block 1 (for tests that need the externalities themselves, e.g. with an
/// off-chain worker registered: call [`assert_invariants`] at the end).
pub fn new_test_ext() -> sp_io::TestExternalities {
	ExtBuilder::default().build()
}

/// Runs `test` in the default world, then every pallet's `try_state`.
pub fn build_and_execute(test: impl FnOnce()) {
	ExtBuilder::default().build_and_execute(test)
}

/// Every pallet's invariants (`try_state`).
pub fn assert_invariants() {
	MeritArtifacts::do_try_state().expect("artifacts invariants");
	MeritChallenges::do_try_state().expect("challenges invariants");
	MeritTeams::do_try_state().expect("teams invariants");
	MeritScoring::do_try_state().expect("scoring invariants");
	MeritAttribution::do_try_state().expect("attribution invariants");
	MeritRewards::do_try_state().expect("rewards invariants");
	MeritCampaigns::do_try_state().expect("campaigns invariants");
}

/// Advances to block `n`, running the challenges pallet's `on_initialize` on each block.
pub fn run_to_block(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		// Each block has its own parent hash, as on a chain: draws take their randomness from it.
		System::set_parent_hash(polkadot_sdk::sp_core::H256(sp_io::hashing::blake2_256(&(next - 1).to_le_bytes())));
		System::set_block_number(next);
		MeritChallenges::on_initialize(next);
		MeritScoring::on_initialize(next);
	}
}

/// The events emitted so far, newest last.
pub fn events() -> Vec<RuntimeEvent> {
	System::events().into_iter().map(|r| r.event).collect()
}

/// Evaluators, their draws and their sealed reports, as tests drive them.
pub mod evaluation {
	use super::*;
	use pallet_merit_scoring::{
		report_commitment, AbstainReason, ChallengeId, Disputes, FinalOutcomes, Jobs, Outcome, Panels, Stage,
		SubmissionId,
	};
	use polkadot_sdk::{
		frame_support::assert_ok,
		sp_core::H256,
		sp_runtime::{DispatchError, DispatchResult},
	};

	/// Evaluator `n` bonds as account `10 + n`.
	pub fn ev(n: u8) -> AccountId {
		account(10 + n)
	}

	/// Evaluator `n`'s node signs with account `20 + n`.
	pub fn key(n: u8) -> AccountId {
		account(20 + n)
	}

	/// The number of an evaluator's bonded account.
	pub fn number(who: &AccountId) -> u8 {
		let bytes: &[u8; 32] = who.as_ref();
		bytes[0] - 10
	}

	/// Evaluator `n`'s report salt.
	pub fn salt(n: u8) -> [u8; 32] {
		[n; 32]
	}

	/// Evaluator `n`'s node's labels secret (a real node generates its own).
	pub fn labels_secret(n: u8) -> [u8; 32] {
		sp_io::hashing::sha2_256(&[b'l', n])
	}

	/// Registers evaluator `n`, and its node registers its labels key.
	pub fn register_evaluator(n: u8) {
		assert_ok!(MeritScoring::register_evaluator(RuntimeOrigin::signed(ev(n)), key(n)));
		let labels_key = merit_primitives::labels::labels_public_key(&labels_secret(n));
		assert_ok!(MeritScoring::set_labels_key(RuntimeOrigin::signed(key(n)), labels_key));
	}

	/// Registers evaluators `ns` and waits out their warm-up.
	pub fn register_evaluators(ns: impl IntoIterator<Item = u8>) {
		for n in ns {
			register_evaluator(n);
		}
		run_to_block(System::block_number() + WARM_UP);
	}

	/// Runs to the block at which a challenge created now is drawn, and returns its panel.
	pub fn draw(challenge: ChallengeId) -> Vec<u8> {
		run_to_block(System::block_number() + DRAW_DELAY);
		panel(challenge)
	}

	/// A challenge's drawn evaluators, in the order of the draw.
	pub fn panel(challenge: ChallengeId) -> Vec<u8> {
		Panels::<Test>::get(challenge).map(|p| p.members.iter().map(number).collect()).unwrap_or_default()
	}

	/// The drawn evaluators that may evaluate a submission at a stage (all but its author and the
	/// author's teammates).
	pub fn evaluators_of(submission: SubmissionId, stage: Stage) -> Vec<u8> {
		use merit_primitives::TeamInspect;
		let record = pallet_merit_challenges::Submissions::<Test>::get(submission).expect("a submission");
		let members = match stage {
			Stage::Dispute => Disputes::<Test>::get(submission).and_then(|d| d.panel).map(|p| p.members),
			_ => Panels::<Test>::get(record.challenge).map(|p| p.members),
		};
		let entrant = MeritTeams::entrant(record.challenge, &record.author);
		let team: Vec<AccountId> =
			MeritTeams::shares(record.challenge, &entrant).into_iter().map(|(who, _)| who).collect();
		members.unwrap_or_default().iter().filter(|m| **m != record.author && !team.contains(m)).map(number).collect()
	}

	/// The current round of a submission's evaluation at a stage.
	pub fn round(submission: SubmissionId, stage: Stage) -> u32 {
		Jobs::<Test>::get(submission, stage).map_or(0, |job| job.round)
	}

	/// Evaluator `n`'s commitment to `outcome` in the current round.
	pub fn commitment(n: u8, submission: SubmissionId, stage: Stage, outcome: Outcome) -> H256 {
		report_commitment(submission, stage, round(submission, stage), &outcome, &salt(n), &ev(n))
	}

	fn unwrap_post(result: polkadot_sdk::frame_support::dispatch::DispatchResultWithPostInfo) -> DispatchResult {
		result.map(|_| ()).map_err(|e| e.error)
	}

	/// Evaluator `n` seals `outcome`.
	pub fn commit(n: u8, submission: SubmissionId, stage: Stage, outcome: Outcome) -> DispatchResult {
		let commitment = commitment(n, submission, stage, outcome);
		unwrap_post(MeritScoring::commit_report(RuntimeOrigin::signed(key(n)), submission, stage, commitment))
	}

	/// Evaluator `n` reveals `outcome` with its salt.
	pub fn reveal(n: u8, submission: SubmissionId, stage: Stage, outcome: Outcome) -> DispatchResult {
		unwrap_post(MeritScoring::reveal_report(RuntimeOrigin::signed(key(n)), submission, stage, outcome, salt(n)))
	}

	/// Evaluator `n` abstains.
	pub fn abstain(n: u8, submission: SubmissionId, stage: Stage, reason: AbstainReason) -> DispatchResult {
		unwrap_post(MeritScoring::abstain(RuntimeOrigin::signed(key(n)), submission, stage, reason))
	}

	/// Anyone ends a round past its reveal period.
	pub fn conclude(submission: SubmissionId, stage: Stage) -> DispatchResult {
		unwrap_post(MeritScoring::conclude_round(RuntimeOrigin::signed(account(99)), submission, stage))
	}

	/// Whether the stage's evaluation is over (a final outcome, or a settled dispute).
	pub fn settled(submission: SubmissionId, stage: Stage) -> bool {
		match stage {
			Stage::Dispute => !Disputes::<Test>::contains_key(submission),
			_ => FinalOutcomes::<Test>::contains_key(submission, stage.subset()),
		}
	}

	/// Each of `reports` (evaluator, outcome) is committed, then revealed in that order until the
	/// stage is settled.
	pub fn report_all(submission: SubmissionId, stage: Stage, reports: &[(u8, Outcome)]) {
		for (n, outcome) in reports {
			assert_ok!(commit(*n, submission, stage, *outcome));
		}
		if let Some(job) = Jobs::<Test>::get(submission, stage) {
			run_to_block(job.reveal_from.max(System::block_number()));
		}
		for (n, outcome) in reports {
			if settled(submission, stage) {
				break;
			}
			assert_ok!(reveal(*n, submission, stage, *outcome));
		}
	}

	/// Every drawn evaluator that may evaluate the submission reports `outcome`.
	pub fn agree(submission: SubmissionId, stage: Stage, outcome: Outcome) {
		let reports: Vec<(u8, Outcome)> = evaluators_of(submission, stage).into_iter().map(|n| (n, outcome)).collect();
		assert!(!reports.is_empty(), "no panel for submission {submission} at {stage:?}");
		report_all(submission, stage, &reports);
		assert!(settled(submission, stage), "the panel's reports did not settle submission {submission}");
	}

	/// `Err` as a `DispatchError` for comparisons.
	pub fn err<E: Into<DispatchError>>(e: E) -> DispatchResult {
		Err(e.into())
	}
}
