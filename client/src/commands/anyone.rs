//! Anyone and auditors: `merit leaderboard`, `merit account`, `merit record`, `merit verify`.
use anyhow::{bail, Result};
use std::time::Duration;

use crate::{
	account, challenges, keys, record,
	scoring::{self, Board},
	session::{Outcome, Session},
	verify,
};

/// `merit leaderboard`: ScoringApi's board, after waiting for `wait_entries` entries if given.
pub async fn leaderboard(
	s: &Session,
	challenge: u32,
	subset: Board,
	wait_entries: Option<usize>,
	timeout: Option<u64>,
) -> Result<Outcome> {
	let chain = s.chain().await?;
	challenges::get(chain, challenge).await?;
	let entries = match wait_entries {
		Some(n) => {
			let timeout = timeout.map(Duration::from_secs);
			scoring::wait_for_entries(chain, challenge, subset.subset(), n, timeout).await?
		},
		None => scoring::leaderboard(chain, challenge, subset.subset()).await?,
	};
	Ok(scoring::leaderboard_table(&entries).into())
}

/// `merit account`: balances and nonce of an account, by default the signer's.
pub async fn account(s: &Session, account: Option<&str>) -> Result<Outcome> {
	let account = match account {
		Some(text) => keys::parse_account(text)?,
		None if !s.has_signer() =>
			bail!("give an ACCOUNT (SS58 or 0x hex), or a signer (--suri, --suri-file, MERIT_SURI) to show its account"),
		None => s.signer_account()?,
	};
	Ok(account::balances(s.chain().await?, &account).await?.table().into())
}

/// `merit record`: an account's track record (TrackRecordApi).
pub async fn record(s: &Session, account: &str) -> Result<Outcome> {
	let account = keys::parse_account(account)?;
	let record = record::track_record(s.chain().await?, &account).await?;
	Ok(record::table(&record).into())
}

/// `merit verify`: recomputes every score of a challenge; fails if any differs from the chain's.
pub async fn verify(s: &Session, challenge: u32) -> Result<Outcome> {
	let report = verify::verify(s.chain().await?, challenge, s.ipfs_gateway()).await?;
	let differing = report.differing();
	let outcome = Outcome::from(report.table());
	Ok(if differing > 0 {
		outcome.failed_with(format!("{differing} final outcome(s) of challenge {challenge} differ from the recomputation"))
	} else {
		outcome
	})
}
