//! A minimal runtime for the artifacts pallet's tests: system and balances.
use crate as pallet_merit_artifacts;
use polkadot_sdk::{
	frame_support::{derive_impl, parameter_types, traits::ConstU32},
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
	pub type Artifacts = pallet_merit_artifacts;
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

parameter_types! {
	pub const DepositBase: u64 = 100;
	pub const DepositPerByte: u64 = 1;
}

impl pallet_merit_artifacts::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type DepositBase = DepositBase;
	type DepositPerByte = DepositPerByte;
	type MaxUriLength = ConstU32<64>;
	type MaxLicenseLength = ConstU32<16>;
	type MaxParents = ConstU32<3>;
	type WeightInfo = ();
}

/// Accounts 1 and 2 are rich; account 3 can pay for nothing.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(1, 10_000), (2, 10_000), (3, 10)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}
