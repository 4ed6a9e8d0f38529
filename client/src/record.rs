//! Track records (`merit record ACCOUNT`): every contribution of an account, read from the
//! `TrackRecordApi` runtime API of pallet-merit-rewards.
//!
//! That runtime API does not exist yet. Once the runtime has it and `scripts/metadata` has
//! regenerated `client/metadata.scale`, implement [`track_record`] with
//! `runtime::runtime_apis().track_record_api()...` and print it through [`crate::output::Table`].
//! Until then the command says so instead of printing anything made up.
use anyhow::{bail, Result};

use crate::chain::{AccountId32, Chain};

/// The runtime API the track record comes from.
pub const RUNTIME_API: &str = "TrackRecordApi";

/// The track record of `account`.
pub async fn track_record(chain: &Chain, account: &AccountId32) -> Result<crate::output::Table> {
	let at = chain.at_finalized().await?;
	let available = at.metadata().runtime_api_trait_by_name(RUNTIME_API).is_some();
	if available {
		bail!(
			"the node at {} offers {RUNTIME_API}, but this client was generated before it existed: \
			 run scripts/metadata and implement client/src/record.rs (account {account})",
			chain.url
		);
	}
	bail!(
		"the node at {} has no {RUNTIME_API} runtime API yet (it comes with pallet-merit-rewards): no track record of {account} can be read",
		chain.url
	)
}
