//! A test runtime: system, balances, artifacts, challenges and scoring, with `MultiSigner`
//! accounts (as the Merit runtime) so the off-chain worker signs real sr25519 transactions.
use crate as pallet_merit_scoring;
use crate::{FetchArtifact, FetchError};
use codec::Encode;
use core::cell::RefCell;
use polkadot_sdk::{
	frame_support::{
		derive_impl, parameter_types,
		traits::{ConstU32, ConstU64, Hooks},
	},
	frame_system::{
		self,
		offchain::{AppCrypto, CreateSignedTransaction, CreateTransactionBase, SigningTypes},
	},
	pallet_balances, sp_io,
	sp_runtime::{
		generic::UncheckedExtrinsic, traits::IdentityLookup, AccountId32, BuildStorage, MultiSignature, MultiSigner,
		Perbill,
	},
};
use std::collections::BTreeMap;

pub type AccountId = AccountId32;
type Block = frame_system::mocking::MockBlock<Test>;
/// The transactions the off-chain worker puts in the pool.
pub type Extrinsic = UncheckedExtrinsic<AccountId, RuntimeCall, MultiSignature, ()>;

#[polkadot_sdk::frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(RuntimeCall, RuntimeEvent, RuntimeError, RuntimeOrigin, RuntimeHoldReason, RuntimeFreezeReason, RuntimeTask)]
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
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId;
	type Lookup = IdentityLookup<AccountId>;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

impl pallet_merit_artifacts::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type DepositBase = ConstU64<1>;
	type DepositPerByte = ConstU64<0>;
	type MaxUriLength = ConstU32<64>;
	type MaxLicenseLength = ConstU32<16>;
	type MaxParents = ConstU32<3>;
	type WeightInfo = ();
}

parameter_types! {
	pub const MinPrizePool: u64 = 100;
}

impl pallet_merit_challenges::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Artifacts = MeritArtifacts;
	type OnSubmission = ();
	type MaxTitleLength = ConstU32<32>;
	type MaxDescriptionLength = ConstU32<64>;
	type MaxTrainingArtifacts = ConstU32<2>;
	type MaxWinners = ConstU32<3>;
	type MaxParents = ConstU32<2>;
	type MaxSubmissionsPerChallenge = ConstU32<16>;
	type MaxScheduledPerBlock = ConstU32<4>;
	type MaxSaltLength = ConstU32<32>;
	type MaxQuorum = ConstU32<5>;
	type MinPrizePool = MinPrizePool;
	type MaxOpenPeriod = ConstU64<1_000>;
	type SubmissionRevealPeriod = ConstU64<5>;
	type BlocksPerDay = ConstU64<10>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ArtifactsForBenchmarks;
}

/// Registers challenge benchmark artifacts straight into the artifacts pallet.
#[cfg(feature = "runtime-benchmarks")]
pub struct ArtifactsForBenchmarks;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_merit_challenges::BenchmarkHelper<AccountId> for ArtifactsForBenchmarks {
	fn register_artifact(owner: &AccountId, digest: merit_primitives::Digest, kind: merit_primitives::ArtifactKind) {
		use polkadot_sdk::frame_support::traits::fungible::Mutate;
		let _ = Balances::mint_into(owner, 1_000);
		MeritArtifacts::register(
			RuntimeOrigin::signed(owner.clone()),
			digest,
			kind,
			1,
			b"https://x".to_vec(),
			b"MIT".to_vec(),
			vec![],
		)
		.expect("benchmark artifact registers");
	}
}

pub const BOND: u64 = 1_000;

parameter_types! {
	pub const EvaluatorBond: u64 = BOND;
	pub const SlashFraction: Perbill = Perbill::from_percent(10);
}

impl pallet_merit_scoring::Config for Test {
	type AuthorityId = crate::crypto::EvaluatorAuthId;
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
	type OnOutcomeFinal = ();
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

thread_local! {
	/// What each URI answers in this test.
	static FILES: RefCell<BTreeMap<Vec<u8>, Result<Vec<u8>, FetchError>>> = RefCell::new(BTreeMap::new());
	/// URIs fetched, in order.
	static FETCHED: RefCell<Vec<Vec<u8>>> = RefCell::new(Vec::new());
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

pub fn account(n: u8) -> AccountId {
	AccountId32::new([n; 32])
}

/// Owner 1, participants 2, 3, 4 and evaluators 11 to 15 are funded; account 9 is poor.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut balances = vec![(account(1), 100_000), (account(2), 10_000), (account(3), 10_000), (account(4), 10_000)];
	balances.push((account(9), 50));
	for n in 11..=15 {
		balances.push((account(n), 10_000));
	}
	pallet_balances::GenesisConfig::<Test> { balances, ..Default::default() }
		.assimilate_storage(&mut storage)
		.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Advances to block `n`, running the challenges pallet's `on_initialize` on each block.
pub fn run_to_block(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		MeritChallenges::on_initialize(next);
	}
}
