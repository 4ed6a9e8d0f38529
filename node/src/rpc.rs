//! The node's JSON-RPC methods beyond Substrate's defaults: account nonces, fee estimates, and
//! Merit's track records, leaderboards and pool accounts (`merit_*`, see [`crate::merit_rpc`]).
use std::sync::Arc;

use jsonrpsee::RpcModule;
use merit_runtime::{opaque::Block, AccountId, Balance, BlockNumber, Nonce};
use polkadot_sdk::{
	pallet_transaction_payment_rpc,
	sc_transaction_pool_api::TransactionPool,
	sp_api::ProvideRuntimeApi,
	sp_block_builder::BlockBuilder,
	sp_blockchain::{Error as BlockChainError, HeaderBackend, HeaderMetadata},
	substrate_frame_rpc_system,
};

/// What the RPC handlers need from the node.
pub struct FullDeps<C, P> {
	/// The client, to call runtime APIs.
	pub client: Arc<C>,
	/// The transaction pool, to count pending nonces.
	pub pool: Arc<P>,
	/// An instantly sealing node's seal requests (`engine_createBlock`, `engine_finalizeBlock`).
	/// Development and local chains only: whoever reaches the RPC port can seal blocks, so such a
	/// node keeps its RPC on localhost.
	pub seal_requests: Option<
		futures::channel::mpsc::Sender<
			polkadot_sdk::sc_consensus_manual_seal::EngineCommand<
				<Block as polkadot_sdk::sp_runtime::traits::Block>::Hash,
			>,
		>,
	>,
}

/// Builds the node's RPC module.
pub fn create_full<C, P>(deps: FullDeps<C, P>) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>>
where
	C: ProvideRuntimeApi<Block>
		+ HeaderBackend<Block>
		+ HeaderMetadata<Block, Error = BlockChainError>
		+ Send
		+ Sync
		+ 'static,
	C::Api: substrate_frame_rpc_system::AccountNonceApi<Block, AccountId, Nonce>
		+ pallet_transaction_payment_rpc::TransactionPaymentRuntimeApi<Block, Balance>
		+ BlockBuilder<Block>
		+ pallet_merit_rewards::TrackRecordApi<Block, AccountId, Balance, BlockNumber>
		+ pallet_merit_scoring::runtime_api::ScoringApi<Block, AccountId>,
	P: TransactionPool + 'static,
{
	use pallet_transaction_payment_rpc::{TransactionPayment, TransactionPaymentApiServer};
	use substrate_frame_rpc_system::{System, SystemApiServer};

	let mut module = RpcModule::new(());
	let FullDeps { client, pool, seal_requests } = deps;
	if let Some(requests) = seal_requests {
		use polkadot_sdk::sc_consensus_manual_seal::rpc::{ManualSeal, ManualSealApiServer};
		module.merge(ManualSeal::new(requests).into_rpc())?;
	}

	module.merge(System::new(client.clone(), pool).into_rpc())?;
	module.merge(TransactionPayment::new(client.clone()).into_rpc())?;
	module.merge(crate::merit_rpc::merit_module(client)?)?;

	Ok(module)
}
