//! `merit load`: fills a node with signed transactions from many accounts and measures what the
//! chain includes: first submissions to an open challenge, then as many balance transfers, each
//! phase counted block by block from the blocks themselves, so the two figures come from the same
//! node in the same run and can be set side by side.
//!
//! Every transaction is signed offline with an explicit nonce and sent without waiting, the way a
//! busy competition's participants would send them; a phase ends when every one of its
//! transactions is in a block (or the timeout passes, which is an error naming how many were
//! missing).
use anyhow::{anyhow, bail, Context, Result};
use serde_json::json;
use std::{str::FromStr, time::Instant};
use subxt::{config::DefaultExtrinsicParamsBuilder, rpcs::rpc_params, utils::MultiAddress};
use subxt_signer::{sr25519::Keypair, SecretUri};

use crate::{
	chain::{
		runtime,
		runtime_types::merit_primitives::{artifacts::ArtifactClaim, challenges::ChallengeState},
		AccountId32, AtBlock, Chain, MeritConfig,
	},
	keys::account_of,
	output::Table,
	units::MERIT,
};

/// What to send.
#[derive(Clone, Debug)]
pub struct LoadPlan {
	/// The open challenge the submissions go to.
	pub challenge: u32,
	/// Accounts the transactions come from (derived from the funder's key, funded first).
	pub accounts: u32,
	/// Submissions to send.
	pub submissions: u32,
	/// Transfers to send.
	pub transfers: u32,
	/// The longest a phase may take to be included, in seconds.
	pub timeout_secs: u64,
}

/// How one phase went.
#[derive(Clone, Debug, PartialEq)]
pub struct Phase {
	/// What was sent.
	pub kind: &'static str,
	/// Transactions sent.
	pub sent: u32,
	/// Seconds to sign and send them all.
	pub send_secs: f64,
	/// Transactions per block that held any, in chain order.
	pub per_block: Vec<u32>,
	/// Milliseconds of chain time from the block before the first that held any to the last.
	pub chain_millis: u64,
}

impl Phase {
	/// Transactions included.
	pub fn included(&self) -> u32 {
		self.per_block.iter().sum()
	}

	/// The most any one block held.
	pub fn best_block(&self) -> u32 {
		self.per_block.iter().copied().max().unwrap_or(0)
	}

	/// Per second of chain time.
	pub fn per_second(&self) -> f64 {
		if self.chain_millis == 0 {
			return 0.0;
		}
		self.included() as f64 * 1000.0 / self.chain_millis as f64
	}
}

/// The measured run.
#[derive(Clone, Debug)]
pub struct LoadReport {
	pub submissions: Phase,
	pub transfers: Phase,
}

impl LoadReport {
	/// Submissions per transfer in the fullest block of each phase.
	pub fn ratio(&self) -> f64 {
		if self.transfers.best_block() == 0 {
			return 0.0;
		}
		self.submissions.best_block() as f64 / self.transfers.best_block() as f64
	}

	pub fn table(&self) -> Table {
		let mut table = Table::new(&[
			"transactions",
			"sent",
			"included",
			"blocks",
			"most in a block",
			"per second (chain time)",
			"seconds to send",
		]);
		for phase in [&self.submissions, &self.transfers] {
			table.push(vec![
				json!(phase.kind),
				json!(phase.sent),
				json!(phase.included()),
				json!(phase.per_block.len()),
				json!(phase.best_block()),
				json!((phase.per_second() * 10.0).round() / 10.0),
				json!((phase.send_secs * 100.0).round() / 100.0),
			]);
		}
		table
	}
}

/// The `index`-th load account of `funder`: `<funder's URI>//merit-load//<index>`.
fn load_account(funder_uri: &str, index: u32) -> Result<Keypair> {
	let uri = SecretUri::from_str(&format!("{funder_uri}//merit-load//{index}"))
		.map_err(|e| anyhow!("cannot derive load account {index}: {e}"))?;
	Keypair::from_uri(&uri).map_err(|e| anyhow!("cannot derive load account {index}: {e}"))
}

/// `call` signed as `signer` with `nonce` (immortal), ready to send.
fn sign<Call: subxt::transactions::Payload>(
	at: &AtBlock,
	call: &Call,
	signer: &Keypair,
	nonce: u64,
) -> Result<Vec<u8>> {
	let params = DefaultExtrinsicParamsBuilder::<MeritConfig>::new().nonce(nonce).immortal().build();
	let mut signable = at.transactions().create_signable_offline(call, params).map_err(|e| anyhow!("{e}"))?;
	Ok(signable.sign(signer).map_err(|e| anyhow!("{e}"))?.into_encoded())
}

/// Hands signed transactions to the node without waiting for blocks, each account's in nonce order
/// and up to 64 accounts at a time: the node's pool, not the sender's round trips, should be what
/// limits the blocks. (Out of order, most would wait in the pool's small queue of future
/// transactions, and be dropped from it.)
async fn send_all(at: &AtBlock, by_account: Vec<Vec<Vec<u8>>>) -> Result<()> {
	use subxt::ext::futures::{stream, StreamExt, TryStreamExt};
	stream::iter(by_account)
		.map(|transactions| async move {
			for bytes in transactions {
				at.transactions().from_bytes(bytes).submit().await.map_err(|e| anyhow!("{e}"))?;
			}
			Ok::<_, anyhow::Error>(())
		})
		.buffer_unordered(64)
		.try_collect::<Vec<_>>()
		.await
		.context("the node refused a load transaction")?;
	Ok(())
}

async fn nonce_of(chain: &Chain, who: &AccountId32) -> Result<u64> {
	let at = chain.api.at_current_block().await.map_err(|e| anyhow!("{e}"))?;
	at.transactions().account_nonce(who).await.map_err(|e| anyhow!("{e}"))
}

/// The block hash at `number` on the best chain.
async fn hash_at(chain: &Chain, number: u32) -> Result<Option<String>> {
	chain.request("chain_getBlockHash", rpc_params![number]).await
}

/// Signed transactions in block `hash` (every extrinsic but the timestamp inherent), and its
/// timestamp in milliseconds.
async fn block_contents(chain: &Chain, hash: &str) -> Result<(u32, u64)> {
	let block: serde_json::Value = chain.request("chain_getBlock", rpc_params![hash]).await?;
	let extrinsics = block["block"]["extrinsics"].as_array().context("chain_getBlock without extrinsics")?.len();
	let at = chain.api.at_block(subxt::utils::H256::from_str(hash)?).await.map_err(|e| anyhow!("{e}"))?;
	let now = at.storage().fetch(runtime::storage().timestamp().now(), ()).await?.decode()?;
	Ok((extrinsics.saturating_sub(1) as u32, now))
}

/// Watches blocks from `first` until `expected` signed transactions were included, then returns
/// the per-block counts and the chain time they spanned.
async fn count_inclusions(chain: &Chain, first: u32, expected: u32, timeout_secs: u64) -> Result<(Vec<u32>, u64)> {
	let started = Instant::now();
	let mut per_block = Vec::new();
	let mut included = 0u32;
	let mut next = first;
	let start_time = match hash_at(chain, first.saturating_sub(1)).await? {
		Some(hash) => block_contents(chain, &hash).await?.1,
		None => bail!("block {} is not on the chain", first.saturating_sub(1)),
	};
	let mut last_time = start_time;
	while included < expected {
		if started.elapsed().as_secs() > timeout_secs {
			bail!("only {included} of {expected} transactions were included in {timeout_secs} s");
		}
		if next > chain.best_number().await? {
			tokio::time::sleep(std::time::Duration::from_millis(200)).await;
			continue;
		}
		let Some(hash) = hash_at(chain, next).await? else { continue };
		let (count, time) = block_contents(chain, &hash).await?;
		if count > 0 {
			per_block.push(count);
			included += count;
			last_time = time;
		} else if !per_block.is_empty() {
			// An empty block in the middle of a phase (the pool ran dry or refused the rest) counts;
			// the phase ends on the block that completes it, so none trails.
			per_block.push(0);
		}
		next += 1;
	}
	Ok((per_block, last_time.saturating_sub(start_time)))
}

/// Sends one phase's signed transactions (by account) and counts them into blocks from `first`.
async fn measure(
	chain: &Chain,
	at: &AtBlock,
	kind: &'static str,
	signed: Vec<Vec<Vec<u8>>>,
	first: u32,
	timeout_secs: u64,
	progress: &indicatif::ProgressBar,
) -> Result<Phase> {
	let sent = signed.iter().map(Vec::len).sum::<usize>() as u32;
	progress.set_message(format!("sending {sent} {kind}"));
	let sending = Instant::now();
	send_all(at, signed).await?;
	let send_secs = sending.elapsed().as_secs_f64();
	progress.set_message(format!("{kind} sent; counting them block by block"));
	let (per_block, chain_millis) = count_inclusions(chain, first, sent, timeout_secs).await?;
	progress.finish_and_clear();
	Ok(Phase { kind, sent, send_secs, per_block, chain_millis })
}

/// Runs the plan with `funder` (who pays every account's balance) as `funder_uri`.
pub async fn run(chain: &Chain, funder: &Keypair, funder_uri: &str, plan: &LoadPlan) -> Result<LoadReport> {
	if plan.accounts == 0 {
		bail!("--accounts must be at least 1");
	}
	// Every submission the chain would refuse in dispatch still fills a block and costs fees:
	// refuse a plan the challenge cannot take before anything is signed.
	let info = crate::challenges::get(chain, plan.challenge).await?;
	if !matches!(info.status.state, ChallengeState::Open) {
		bail!(
			"challenge {} is {}: it accepts no submissions",
			plan.challenge,
			crate::challenges::state_name(&info.status.state)
		);
	}
	if info.sealed() {
		bail!(
			"challenge {} takes sealed submissions (commit, then reveal); the load sends open ones: \
			 publish one with --mode open",
			plan.challenge
		);
	}
	let limits = &info.spec.limits;
	let each = plan.submissions.div_ceil(plan.accounts);
	if each > limits.per_day.min(limits.total) {
		bail!(
			"each of the {} accounts would submit {each} times, above challenge {}'s limits ({} a day, {} in all): \
			 give more --accounts or use a challenge with higher limits",
			plan.accounts,
			plan.challenge,
			limits.per_day,
			limits.total
		);
	}
	let accounts: Vec<Keypair> = (0..plan.accounts).map(|i| load_account(funder_uri, i)).collect::<Result<_>>()?;
	let per_account = plan.submissions.div_ceil(plan.accounts).max(plan.transfers.div_ceil(plan.accounts));
	// Each submission holds its deposit and its artifact's; fees on top. 1 MERIT each is ample.
	let endowment = (per_account as u128 + 10) * MERIT;
	let funder_account = account_of(funder);
	let mut funder_nonce = nonce_of(chain, &funder_account).await?;
	let at = chain.at_finalized().await?;
	let progress = crate::progress::spinner(format!("funding {} accounts", plan.accounts));
	let mut funding = Vec::new();
	for account in &accounts {
		let call = runtime::tx().balances().transfer_keep_alive(MultiAddress::Id(account_of(account)), endowment);
		funding.push(sign(&at, &call, funder, funder_nonce)?);
		funder_nonce += 1;
	}
	send_all(&at, vec![funding]).await?;
	let funded = Instant::now();
	while nonce_of(chain, &funder_account).await? < funder_nonce {
		if funded.elapsed().as_secs() > plan.timeout_secs {
			bail!("the funding transfers were not included in {} s", plan.timeout_secs);
		}
		tokio::time::sleep(std::time::Duration::from_millis(300)).await;
	}
	progress.finish_and_clear();

	let mut nonces = Vec::new();
	for account in &accounts {
		nonces.push(nonce_of(chain, &account_of(account)).await?);
	}
	// Distinct digests in every run: a run id from the clock.
	let run_id = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_nanos();
	let first = chain.best_number().await? + 1;
	let progress = crate::progress::spinner(format!("signing {} submissions", plan.submissions));
	let mut signed = vec![Vec::new(); accounts.len()];
	for i in 0..plan.submissions {
		let slot = (i % plan.accounts) as usize;
		let digest = crate::digest::sha256(format!("merit load {run_id} {i}").as_bytes());
		let claim = ArtifactClaim {
			digest: subxt::utils::H256(digest),
			size: 64,
			uri: format!("http://127.0.0.1:9/load/{i}").into_bytes(),
			license: b"CC-BY-4.0".to_vec(),
		};
		let call = runtime::tx().merit_challenges().submit(plan.challenge, claim, Vec::new(), None);
		signed[slot].push(sign(&at, &call, &accounts[slot], nonces[slot])?);
		nonces[slot] += 1;
	}
	let submissions = measure(chain, &at, "submissions", signed, first, plan.timeout_secs, &progress).await?;

	let first = chain.best_number().await? + 1;
	let progress = crate::progress::spinner(format!("signing {} transfers", plan.transfers));
	let mut signed = vec![Vec::new(); accounts.len()];
	for i in 0..plan.transfers {
		let slot = (i % plan.accounts) as usize;
		let to = account_of(&accounts[(slot + 1) % accounts.len()]);
		let call = runtime::tx().balances().transfer_keep_alive(MultiAddress::Id(to), MERIT / 1000);
		signed[slot].push(sign(&at, &call, &accounts[slot], nonces[slot])?);
		nonces[slot] += 1;
	}
	let transfers = measure(chain, &at, "transfers", signed, first, plan.timeout_secs, &progress).await?;
	Ok(LoadReport { submissions, transfers })
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_phase_reports_what_its_blocks_held() {
		let phase =
			Phase { kind: "submissions", sent: 10, send_secs: 0.5, per_block: vec![4, 0, 6], chain_millis: 9_000 };
		assert_eq!((phase.included(), phase.best_block()), (10, 6));
		assert!((phase.per_second() - 10.0 / 9.0).abs() < 1e-9);
		let transfers = Phase { kind: "transfers", per_block: vec![3], chain_millis: 3_000, ..phase.clone() };
		let report = LoadReport { submissions: phase, transfers };
		assert!((report.ratio() - 2.0).abs() < 1e-9);
		let none = Phase { per_block: vec![], chain_millis: 0, ..report.transfers.clone() };
		assert_eq!((none.per_second(), LoadReport { submissions: none.clone(), transfers: none }.ratio()), (0.0, 0.0));
	}

	#[test]
	fn load_accounts_are_derived_from_the_funder_and_distinct() {
		let a = account_of(&load_account("//Alice", 0).unwrap());
		let b = account_of(&load_account("//Alice", 1).unwrap());
		let other = account_of(&load_account("//Bob", 0).unwrap());
		assert!(a != b && a != other);
		assert_eq!(a, account_of(&load_account("//Alice", 0).unwrap()));
	}
}
