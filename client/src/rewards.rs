//! `MeritRewards`: paying out a challenge whose scores are final. (Reviews and reward terms are
//! the pallet's other calls; the client does not offer them yet.)
use anyhow::Result;
use subxt_signer::sr25519::Keypair;

use crate::chain::{runtime, Chain};

/// What `finalize` paid back to the owner (the part of the pool no payout took), if the chain
/// reported it.
pub async fn finalize(chain: &Chain, signer: &Keypair, challenge: u32) -> Result<Option<u128>> {
	let events = chain
		.submit(&runtime::tx().merit_rewards().finalize(challenge), signer, &format!("finalizing challenge {challenge}"))
		.await?;
	let finalized = events.find_first::<runtime::merit_challenges::events::ChallengeFinalized>().transpose()?;
	Ok(finalized.map(|event| event.released))
}
