//! The chains merit-node knows by name: `dev` and `local`.
use merit_primitives::token;
use merit_runtime::WASM_BINARY;
use polkadot_sdk::{sc_service, sc_service::ChainType, sp_genesis_builder};

/// A Merit chain spec; Merit needs no extensions.
pub type ChainSpec = sc_service::GenericChainSpec;

/// What wallets and the client show for the token.
fn token_properties() -> sc_service::Properties {
	let mut properties = sc_service::Properties::new();
	properties.insert("tokenSymbol".into(), token::SYMBOL.into());
	properties.insert("tokenDecimals".into(), token::DECIMALS.into());
	properties.insert("ss58Format".into(), token::SS58_PREFIX.into());
	properties
}

fn wasm_binary() -> Result<&'static [u8], String> {
	WASM_BINARY.ok_or_else(|| {
		"the WASM runtime is not in this build (built with SKIP_WASM_BUILD?); rebuild merit-node without it"
			.to_string()
	})
}

/// A Merit chain built from one of the runtime's genesis presets.
fn merit_chain_spec(name: &str, id: &str, chain_type: ChainType, preset: &str) -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm_binary()?, None)
		.with_name(name)
		.with_id(id)
		.with_chain_type(chain_type)
		.with_genesis_config_preset_name(preset)
		.with_properties(token_properties())
		.build())
}

/// One validator (Alice): for development and tests.
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	merit_chain_spec("Merit Development", "merit_dev", ChainType::Development, sp_genesis_builder::DEV_RUNTIME_PRESET)
}

/// Four validators (Alice, Bob, Charlie, Dave) on one machine: finality survives losing one.
pub fn local_testnet_chain_spec() -> Result<ChainSpec, String> {
	merit_chain_spec(
		"Merit Local Testnet",
		"merit_local_testnet",
		ChainType::Local,
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET,
	)
}
