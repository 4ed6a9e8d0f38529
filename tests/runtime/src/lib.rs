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
		}
	}
}

thread_local! {
	static BOUNDS: RefCell<Bounds> = RefCell::new(Bounds::default());
	/// What each URI answers in this test.
	static FILES: RefCell<BTreeMap<Vec<u8>, Result<Vec<u8>, FetchError>>> = RefCell::new(BTreeMap::new());
	/// URIs fetched, in order.
	static FETCHED: RefCell<Vec<Vec<u8>>> = RefCell::new(Vec::new());
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
	type Artifacts = MeritArtifacts;
	type OnSubmission = MeritAttribution;
	type MaxTitleLength = ConstU32<32>;
	type MaxDescriptionLength = ConstU32<64>;
	type MaxTrainingArtifacts = ConstU32<2>;
	type MaxWinners = ConstU32<3>;
	type MaxParents = MaxParents;
	type MaxSubmissionsPerChallenge = MaxSubmissionsPerChallenge;
	type MaxLiveChallenges = MaxLiveChallenges;
	type MaxScheduledPerBlock = MaxScheduledPerBlock;
	type MaxSaltLength = ConstU32<32>;
	type MaxQuorum = ConstU32<5>;
	type MinPrizePool = MinPrizePool;
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

/// An evaluator's bond in this runtime.
pub const BOND: Balance = 1_000;

parameter_types! {
	pub const EvaluatorBond: Balance = BOND;
	pub const SlashFraction: Perbill = Perbill::from_percent(10);
}

impl pallet_merit_scoring::Config for Test {
	type AuthorityId = pallet_merit_scoring::crypto::EvaluatorAuthId;
	type Challenges = MeritChallenges;
	type Artifacts = MeritArtifacts;
	type ForceOrigin = EnsureRoot<AccountId>;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type OnSlash = ();
	type EvaluatorBond = EvaluatorBond;
	type SlashFraction = SlashFraction;
	type MaxEvaluators = ConstU32<4>;
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
	type MaxEvaluators = ConstU32<4>;
	type MaxForkCreditDepth = ConstU32<3>;
	type MaxReviewsPerReviewer = ConstU32<3>;
	type ScoringGracePeriod = ConstU64<20>;
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

/// The URIs fetched so far.
pub fn fetched() -> Vec<Vec<u8>> {
	FETCHED.with(|f| f.borrow().clone())
}

/// The test account numbered `n` (its 32 bytes are all `n`).
pub fn account(n: u8) -> AccountId {
	AccountId32::new([n; 32])
}

/// Builds a test world: balances, bounds, and block 1.
pub struct ExtBuilder {
	balances: Vec<(AccountId, Balance)>,
	bounds: Bounds,
}

impl Default for ExtBuilder {
	/// Owner 1 has 100,000; participants 2 to 6 and evaluators 11 to 15 have 10,000 each;
	/// account 9 is poor (50).
	fn default() -> Self {
		let mut balances = vec![(account(1), 100_000)];
		balances.extend((2..=6).map(|n| (account(n), 10_000)));
		balances.push((account(9), 50));
		balances.extend((11..=15).map(|n| (account(n), 10_000)));
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
	MeritScoring::do_try_state().expect("scoring invariants");
	MeritAttribution::do_try_state().expect("attribution invariants");
	MeritRewards::do_try_state().expect("rewards invariants");
}

/// Advances to block `n`, running the challenges pallet's `on_initialize` on each block.
pub fn run_to_block(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		MeritChallenges::on_initialize(next);
	}
}

/// The events emitted so far, newest last.
pub fn events() -> Vec<RuntimeEvent> {
	System::events().into_iter().map(|r| r.event).collect()
}
