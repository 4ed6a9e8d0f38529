//! The Merit runtime: the state machine every Merit node executes.
//!
//! It holds the native token MERIT, block production (Aura) and finality (GRANDPA), fees, and the
//! research-ledger pallets. The node executes the WASM build of this crate; the native build serves
//! unit tests and the genesis presets.
#![cfg_attr(not(feature = "std"), no_std)]
#![recursion_limit = "256"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;

pub mod apis;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarks;
pub mod configs;
pub mod genesis_config_presets;
pub mod migrations;

use alloc::vec::Vec;
use polkadot_sdk::{
	frame_executive, frame_support, frame_system, pallet_aura, pallet_balances, pallet_grandpa, pallet_identity,
	pallet_sudo, pallet_timestamp, pallet_transaction_payment, sp_runtime, sp_version,
};
use sp_runtime::{generic, impl_opaque_keys};
use sp_version::RuntimeVersion;

pub use merit_primitives::{
	time::{DAYS, HOURS, MILLI_SECS_PER_BLOCK, MINUTES, SLOT_DURATION},
	token::{MERIT, MICRO_MERIT, MILLI_MERIT},
	AccountId, Balance, BlockNumber, Hash, Nonce, Signature,
};

/// Types the node needs to know without depending on the runtime's call set.
pub mod opaque {
	use super::*;
	use sp_runtime::traits::{BlakeTwo256, Hash as HashT};

	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// The block header.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// A block, with extrinsics kept opaque.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// A block's id.
	pub type BlockId = generic::BlockId<Block>;
	/// The hash of a block.
	pub type BlockHash = <BlakeTwo256 as HashT>::Output;

	impl_opaque_keys! {
		/// The keys a validator registers for its session: block production and finality.
		pub struct SessionKeys {
			pub aura: super::Aura,
			pub grandpa: super::Grandpa,
		}
	}
}

pub use opaque::SessionKeys;

/// The runtime's identity; `spec_version` must rise with every change of behaviour.
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("merit"),
	impl_name: alloc::borrow::Cow::Borrowed("merit"),
	authoring_version: 1,
	spec_version: 117,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 3,
	system_version: 1,
};

/// The block header.
pub type Header = generic::Header<BlockNumber, sp_runtime::traits::BlakeTwo256>;

/// A block of this runtime.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;

/// The address format of extrinsics.
pub type Address = sp_runtime::MultiAddress<AccountId, ()>;

/// Checks every transaction passes before dispatch: the same list the client signs. The first
/// turns a general (unsigned) transaction whose call has an authorization (a volunteer's feeless
/// action) into the `Authorized` origin; the nonce and fee checks skip that origin.
pub type TxExtension = (
	frame_system::AuthorizeCall<Runtime>,
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
);

/// An extrinsic as it arrives from outside.
pub type UncheckedExtrinsic = generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;

/// The payload a signer signs.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

pub use migrations::Migrations;

/// Dispatches blocks and extrinsics to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;

	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;

	#[runtime::pallet_index(2)]
	pub type Aura = pallet_aura;

	#[runtime::pallet_index(3)]
	pub type Grandpa = pallet_grandpa;

	#[runtime::pallet_index(4)]
	pub type Balances = pallet_balances;

	#[runtime::pallet_index(5)]
	pub type TransactionPayment = pallet_transaction_payment;

	#[runtime::pallet_index(6)]
	pub type Sudo = pallet_sudo;

	/// Names: display name, ORCID and affiliation, with registrars' judgements.
	#[runtime::pallet_index(7)]
	pub type Identity = pallet_identity;

	/// Content-addressed research artifacts.
	#[runtime::pallet_index(10)]
	pub type MeritArtifacts = pallet_merit_artifacts;

	/// The challenge lifecycle.
	#[runtime::pallet_index(11)]
	pub type MeritChallenges = pallet_merit_challenges;

	/// Bonded evaluators, off-chain scoring, quorum and leaderboards.
	#[runtime::pallet_index(12)]
	pub type MeritScoring = pallet_merit_scoring;

	/// The lineage graph: forks, versions, who built on whose work.
	#[runtime::pallet_index(13)]
	pub type MeritAttribution = pallet_merit_attribution;

	/// Prizes, fork credit, micro-rewards and track records.
	#[runtime::pallet_index(14)]
	pub type MeritRewards = pallet_merit_rewards;

	/// Teams: participants competing together, with shares they agreed to.
	#[runtime::pallet_index(15)]
	pub type MeritTeams = pallet_merit_teams;

	/// Crowdsourced labelling campaigns: consensus, skill, retirement and micro-rewards.
	#[runtime::pallet_index(16)]
	pub type MeritCampaigns = pallet_merit_campaigns;
}
