//! `MeritScoring`: leaderboards and final outcomes through the `ScoringApi` runtime API, and the
//! steps of operating an evaluator node (pallets/scoring/README.md).
use anyhow::{bail, Context, Result};
use merit_metrics::{Score, Subset};
use serde_json::json;
use std::time::Duration;
use subxt::{ext::codec::Encode, rpcs::rpc_params};
use subxt_signer::sr25519::Keypair;

use crate::{
	chain::{
		runtime,
		runtime_types::{
			merit_metrics::split::Subset as RuntimeSubset,
			merit_primitives::scoring::{FailureReason, Outcome},
		},
		AccountId32, Chain,
	},
	output::Table,
};

/// The evaluator key type: the node's keystore holds the key under it.
pub const KEY_TYPE: &str = "mrev";
/// Prefix of the offchain storage key of a challenge's hidden labels.
pub const LABELS_KEY_PREFIX: &[u8] = b"merit::labels::";

/// The offchain storage key of a challenge's hidden labels: `b"merit::labels::" ++ SCALE(u32)`.
pub fn labels_storage_key(challenge: u32) -> Vec<u8> {
	let mut key = LABELS_KEY_PREFIX.to_vec();
	challenge.encode_to(&mut key);
	key
}

/// The value stored under [`labels_storage_key`]: `SCALE((salt, labels_csv))`.
pub fn encode_local_labels(salt: &[u8], labels_csv: &[u8]) -> Vec<u8> {
	(salt, labels_csv).encode()
}

/// The subset as the runtime encodes it.
pub fn subset_to_runtime(subset: Subset) -> RuntimeSubset {
	match subset {
		Subset::All => RuntimeSubset::All,
		Subset::Public => RuntimeSubset::Public,
		Subset::Private => RuntimeSubset::Private,
	}
}

/// A leaderboard's subset on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Board {
	/// Scores on the public rows (shown while the challenge is open).
	Public,
	/// Scores on the private rows (decide the prizes after close).
	Private,
}

impl Board {
	/// The metrics crate's subset.
	pub fn subset(self) -> Subset {
		match self {
			Board::Public => Subset::Public,
			Board::Private => Subset::Private,
		}
	}
}

/// A final outcome in client types.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FinalOutcome {
	/// The quorum's score.
	Scored(Score),
	/// The quorum agreed the submission cannot be scored, and why.
	Failed(String),
}

impl FinalOutcome {
	/// From the runtime's outcome.
	pub fn from_runtime(outcome: &Outcome) -> FinalOutcome {
		match outcome {
			Outcome::Scored(score) => FinalOutcome::Scored(Score::from_parts(score.0)),
			Outcome::Failed(reason) => FinalOutcome::Failed(match reason {
				FailureReason::FetchFailed => "fetch failed".into(),
				FailureReason::HashMismatch => "hash mismatch".into(),
				FailureReason::TooLarge => "too large".into(),
				FailureReason::Unparsable(error) => format!("unparsable: {error:?}"),
			}),
		}
	}

	/// As text: the score with 18 decimals, or `failed: <reason>`.
	pub fn text(&self) -> String {
		match self {
			FinalOutcome::Scored(score) => score.to_string(),
			FinalOutcome::Failed(reason) => format!("failed: {reason}"),
		}
	}
}

/// One row of a leaderboard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
	/// 1 for the best.
	pub rank: u32,
	/// The author's best submission.
	pub submission: u32,
	/// The author.
	pub author: AccountId32,
	/// Its final score.
	pub score: Score,
}

/// A challenge's leaderboard on `subset`, best first.
pub async fn leaderboard(chain: &Chain, challenge: u32, subset: Subset) -> Result<Vec<Entry>> {
	let at = chain.at_finalized().await?;
	let call = runtime::runtime_apis().scoring_api().leaderboard(challenge, subset_to_runtime(subset));
	let entries = at.runtime_apis().call(call).await.context("calling ScoringApi::leaderboard")?;
	Ok(entries
		.into_iter()
		.map(|e| Entry { rank: e.rank, submission: e.submission, author: e.author, score: Score::from_parts(e.score.0) })
		.collect())
}

/// The leaderboard as a table.
pub fn leaderboard_table(entries: &[Entry]) -> Table {
	let mut table = Table::new(&["rank", "submission", "author", "score"]);
	for e in entries {
		table.push(vec![json!(e.rank), json!(e.submission), json!(e.author.to_string()), json!(e.score.to_string())]);
	}
	table
}

/// The final outcome of a submission's subset, if a quorum agreed.
pub async fn final_outcome(chain: &Chain, submission: u32, subset: Subset) -> Result<Option<FinalOutcome>> {
	let at = chain.at_finalized().await?;
	let call = runtime::runtime_apis().scoring_api().final_outcome(submission, subset_to_runtime(subset));
	let outcome = at.runtime_apis().call(call).await.context("calling ScoringApi::final_outcome")?;
	Ok(outcome.as_ref().map(FinalOutcome::from_runtime))
}

/// Polls [`final_outcome`] once per block until it is final or `timeout` passes (then `None`).
pub async fn wait_for_outcome(
	chain: &Chain,
	submission: u32,
	subset: Subset,
	timeout: Duration,
) -> Result<Option<FinalOutcome>> {
	let spinner = crate::progress::spinner(format!(
		"waiting for evaluators to agree on the {} score of submission {submission}",
		crate::eval::subset_name(subset)
	));
	let outcome = chain.each_block(Some(timeout), async |_| final_outcome(chain, submission, subset).await).await;
	spinner.finish_and_clear();
	outcome
}

/// Polls the leaderboard at every new finalized block (spinner) until it has at least `entries`
/// rows; returns it then. An error after `timeout`.
pub async fn wait_for_entries(
	chain: &Chain,
	challenge: u32,
	subset: Subset,
	entries: usize,
	timeout: Option<Duration>,
) -> Result<Vec<Entry>> {
	let name = crate::eval::subset_name(subset);
	let spinner =
		crate::progress::spinner(format!("waiting for {entries} entries on the {name} leaderboard of challenge {challenge}"));
	let mut have = 0;
	let found = chain
		.each_block(timeout, async |block| {
			let board = leaderboard(chain, challenge, subset).await?;
			if board.len() >= entries {
				return Ok(Some(board));
			}
			have = board.len();
			spinner.set_message(format!(
				"{name} leaderboard of challenge {challenge}: {have} of {entries} entries at block {block}"
			));
			Ok(None)
		})
		.await;
	spinner.finish_and_clear();
	found?.with_context(|| {
		format!(
			"the {name} leaderboard of challenge {challenge} has {have} entries, not {entries}, after {} s (are evaluators running, and do they have the labels?)",
			timeout.unwrap_or_default().as_secs()
		)
	})
}

/// Registers the signer as an evaluator whose node signs with `key`, and sends the key account
/// `fund` (for the fee withdrawn before each report is refunded).
pub async fn register_evaluator(chain: &Chain, signer: &Keypair, key: &AccountId32, fund: u128) -> Result<()> {
	chain
		.submit(&runtime::tx().merit_scoring().register_evaluator(key.clone()), signer, "registering the evaluator")
		.await?;
	if fund > 0 {
		chain.transfer(signer, key, fund).await.context("funding the evaluator key account")?;
	}
	Ok(())
}

/// Places a challenge's hidden labels in the node's persistent offchain storage. Unless
/// `skip_check`, the labels and salt are first checked against the challenge's commitment
/// (the worker would otherwise skip the challenge).
pub async fn set_labels(
	chain: &Chain,
	node: &Chain,
	challenge: u32,
	labels: &[u8],
	salt: &[u8],
) -> Result<()> {
	let info = crate::challenges::get(chain, challenge).await?;
	if merit_metrics::labels_commitment(labels, salt) != info.spec.labels_commitment.0 {
		bail!(
			"these labels and salt do not match challenge {challenge}'s commitment: the evaluator would skip it"
		);
	}
	let key = format!("0x{}", hex::encode(labels_storage_key(challenge)));
	let value = format!("0x{}", hex::encode(encode_local_labels(salt, labels)));
	let _: serde_json::Value = node
		.request("offchain_localStorageSet", rpc_params!["PERSISTENT", key, value])
		.await
		.context("writing the labels needs the node's unsafe RPC methods (on localhost they are on by default)")?;
	Ok(())
}

/// Inserts an evaluator key (sr25519, key type `mrev`) into the node's keystore.
pub async fn insert_key(node: &Chain, suri: &str) -> Result<AccountId32> {
	let keypair = crate::keys::keypair_from_suri(suri)?;
	let public = format!("0x{}", hex::encode(keypair.public_key().0));
	let _: serde_json::Value = node
		.request("author_insertKey", rpc_params![KEY_TYPE, suri, public])
		.await
		.context("inserting a key needs the node's unsafe RPC methods (on localhost they are on by default)")?;
	Ok(crate::keys::account_of(&keypair))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn local_labels_match_the_pallet_readme() {
		assert_eq!(hex::encode(labels_storage_key(7)), "6d657269743a3a6c6162656c733a3a07000000");
		// SCALE((Vec<u8>, Vec<u8>)): compact lengths then bytes.
		assert_eq!(encode_local_labels(b"ab", b"id,y\n"), [&[8u8][..], b"ab", &[20u8], b"id,y\n"].concat());
	}
}
