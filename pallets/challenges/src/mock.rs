//! A test runtime: system, balances, the artifacts registry and challenges.
use crate as pallet_merit_challenges;
use polkadot_sdk::{
	frame_support::{derive_impl, parameter_types, traits::{ConstU32, Hooks}},
	frame_system, pallet_balances, sp_io,
	sp_runtime::BuildStorage,
};

type Block = frame_system::mocking::MockBlock<Test>;

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
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
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

use polkadot_sdk::frame_support::traits::ConstU64;

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
	type MaxSubmissionsPerChallenge = ConstU32<8>;
	type MaxScheduledPerBlock = ConstU32<2>;
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

/// Registers benchmark artifacts straight into the artifacts pallet.
#[cfg(feature = "runtime-benchmarks")]
pub struct ArtifactsForBenchmarks;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64> for ArtifactsForBenchmarks {
	fn register_artifact(owner: &u64, digest: crate::Digest, kind: crate::ArtifactKind) {
		use polkadot_sdk::frame_support::traits::fungible::Mutate;
		let _ = Balances::mint_into(owner, 1_000);
		MeritArtifacts::register(RuntimeOrigin::signed(*owner), digest, kind, 1, b"https://x".to_vec(), b"MIT".to_vec(), vec![])
			.expect("benchmark artifact registers");
	}
}

/// Owner 1 and participants 2, 3, 4 are funded; account 9 is poor.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(1, 100_000), (2, 10_000), (3, 10_000), (4, 10_000), (9, 50)],
		..Default::default()
	}
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
