//! Genesis presets: the starting state of a development chain and of a local four-validator testnet.

use crate::*;
use alloc::{vec, vec::Vec};
use polkadot_sdk::{
	sp_consensus_aura::sr25519::AuthorityId as AuraId,
	sp_consensus_grandpa::AuthorityId as GrandpaId,
	sp_genesis_builder::{self, PresetId},
	sp_keyring::{Ed25519Keyring, Sr25519Keyring},
};
use serde_json::Value;

/// Every endowed development account starts with one million MERIT.
pub const ENDOWMENT: Balance = 1_000_000 * MERIT;

/// The keys `//Dave//evaluator`, `//Ferdie//evaluator` and `//One//evaluator` (sr25519), which the
/// development chain's evaluators sign with (`merit evaluator insert-key --key-suri ...`).
pub const DEV_EVALUATOR_KEYS: [[u8; 32]; 3] = [
	[
		216, 143, 147, 148, 94, 88, 12, 82, 151, 215, 11, 33, 199, 194, 155, 112, 109, 254, 65, 215, 253, 131, 49, 113,
		178, 147, 216, 197, 172, 222, 117, 65,
	],
	[
		28, 51, 44, 39, 242, 51, 132, 191, 210, 18, 35, 197, 48, 236, 0, 124, 179, 167, 33, 10, 82, 213, 87, 205, 232,
		113, 36, 1, 248, 254, 203, 47,
	],
	[
		140, 134, 222, 186, 6, 19, 121, 171, 52, 47, 50, 49, 247, 28, 82, 136, 57, 102, 221, 159, 34, 197, 146, 205,
		42, 111, 187, 239, 24, 99, 126, 114,
	],
];

/// The key `//Two//evaluator`: the local testnet's fourth evaluator signs with it.
pub const LOCAL_EXTRA_EVALUATOR_KEY: [u8; 32] = [
	192, 228, 51, 223, 195, 84, 12, 164, 181, 36, 109, 168, 65, 255, 174, 171, 248, 31, 42, 209, 25, 248, 49, 249, 158,
	124, 60, 202, 75, 44, 146, 0,
];

/// The development evaluators: Dave, Ferdie and One, bonded at genesis with the keys above, so a
/// dev chain can draw a quorum of three from its first block.
pub fn dev_evaluators() -> Vec<(AccountId, AccountId)> {
	[Sr25519Keyring::Dave, Sr25519Keyring::Ferdie, Sr25519Keyring::One]
		.into_iter()
		.zip(DEV_EVALUATOR_KEYS)
		.map(|(bonded, key)| (bonded.to_account_id(), AccountId::from(key)))
		.collect()
}

/// The local testnet's evaluators: the development ones and Two, so a quorum of three is drawn
/// with a spare.
pub fn local_evaluators() -> Vec<(AccountId, AccountId)> {
	let mut evaluators = dev_evaluators();
	evaluators.push((Sr25519Keyring::Two.to_account_id(), AccountId::from(LOCAL_EXTRA_EVALUATOR_KEY)));
	evaluators
}

/// Every endowed account: the well-known ones, One and Two (evaluators) and the evaluators' keys
/// (their workers' transactions pay fees up front, refunded when accepted).
fn dev_accounts() -> Vec<AccountId> {
	Sr25519Keyring::well_known()
		.chain([Sr25519Keyring::One, Sr25519Keyring::Two])
		.map(|k| k.to_account_id())
		.chain(DEV_EVALUATOR_KEYS.into_iter().chain([LOCAL_EXTRA_EVALUATOR_KEY]).map(AccountId::from))
		.collect()
}

/// The genesis state: who validates, who holds MERIT, who evaluates, and who is sudo.
fn merit_genesis(
	validators: Vec<(AuraId, GrandpaId)>,
	endowed_accounts: Vec<AccountId>,
	evaluators: Vec<(AccountId, AccountId)>,
	root: AccountId,
) -> Value {
	// Only the fields named here are patched over the runtime's defaults.
	frame_support::build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed_accounts.iter().cloned().map(|account| (account, ENDOWMENT)).collect(),
		},
		aura: AuraConfig { authorities: validators.iter().map(|(aura, _)| aura.clone()).collect() },
		grandpa: GrandpaConfig { authorities: validators.iter().map(|(_, grandpa)| (grandpa.clone(), 1)).collect() },
		sudo: SudoConfig { key: Some(root) },
		merit_scoring: MeritScoringConfig { evaluators: evaluators },
	})
}

/// The block-production and finality keys of a well-known development validator.
fn validator_keys(sr: Sr25519Keyring, ed: Ed25519Keyring) -> (AuraId, GrandpaId) {
	(sr.public().into(), ed.public().into())
}

/// `development`: Alice alone validates and is sudo; the well-known accounts, One and Two are
/// endowed; Dave, Ferdie and One are evaluators.
pub fn development_config_genesis() -> Value {
	merit_genesis(
		vec![validator_keys(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		dev_accounts(),
		dev_evaluators(),
		Sr25519Keyring::Alice.to_account_id(),
	)
}

/// `local_testnet`: Alice, Bob, Charlie and Dave validate (GRANDPA's two thirds are three of four,
/// so finality survives one of them dying); Alice is sudo; the development accounts and
/// evaluators, and Two as a fourth evaluator.
pub fn local_config_genesis() -> Value {
	merit_genesis(
		vec![
			validator_keys(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			validator_keys(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
			validator_keys(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
			validator_keys(Sr25519Keyring::Dave, Ed25519Keyring::Dave),
		],
		dev_accounts(),
		local_evaluators(),
		Sr25519Keyring::Alice.to_account_id(),
	)
}

/// The preset with this name, as JSON bytes.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_config_genesis(),
		_ => return None,
	};
	Some(serde_json::to_string(&patch).expect("serialization to a JSON string never fails; qed").into_bytes())
}

/// The names of the presets this runtime offers.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
	]
}
