//! `MeritRewards` (being added to the runtime): paying out a challenge whose scores are final.
//!
//! Until `client/metadata.scale` includes the pallet, `finalize` builds the call dynamically by
//! name (`MeritRewards.finalize(challenge)`) and checks the node's metadata first, so it works as
//! soon as a node runs the new runtime. After `scripts/metadata` picks the pallet up, switch to
//! the generated `runtime::tx().merit_rewards().finalize(challenge)` here.
use anyhow::{bail, Result};
use subxt::dynamic::Value;
use subxt_signer::sr25519::Keypair;

use crate::chain::Chain;

/// The pallet's name in the runtime.
pub const PALLET: &str = "MeritRewards";
/// The call that pays out a challenge.
pub const FINALIZE: &str = "finalize";

/// Calls `MeritRewards.finalize(challenge)`.
pub async fn finalize(chain: &Chain, signer: &Keypair, challenge: u32) -> Result<()> {
	let at = chain.at_finalized().await?;
	let metadata = at.metadata();
	let Some(pallet) = metadata.pallet_by_name(PALLET) else {
		bail!("the node at {} runs a runtime without the {PALLET} pallet: challenges cannot be finalized there yet", chain.url);
	};
	if pallet.call_variant_by_name(FINALIZE).is_none() {
		bail!("the {PALLET} pallet of the node at {} has no `{FINALIZE}` call", chain.url);
	}
	let call = subxt::dynamic::tx(PALLET, FINALIZE, vec![Value::u128(challenge as u128)]);
	chain.submit(&call, signer, &format!("finalizing challenge {challenge}")).await?;
	Ok(())
}
