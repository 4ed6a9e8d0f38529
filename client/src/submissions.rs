//! Submitting predictions: every submission is a commitment `sha256(digest ‖ salt ‖
//! SCALE(account))` first, then a reveal that uploads the file and registers it in the same call.
//! Open challenges get the reveal at once, sealed ones after the close. The commitment, bound to
//! the author's account, is what gives the submission its priority, so nobody who sees the digest
//! in the reveal can take it. The salt and a copy of the file are kept in the local state
//! directory in between (saved before the commitment is sent).
use anyhow::{bail, Context, Result};
use std::io::Read;
use subxt_signer::sr25519::Keypair;

use crate::{
	artifacts::{self, Kind},
	chain::{
		runtime,
		runtime_types::merit_primitives::{artifacts::ArtifactClaim, challenges::ChallengeState},
		Chain, H256,
	},
	challenges::{self, state_name},
	digest::{digest_hex, parse_digest},
	keys::account_of,
	state::{PendingReveal, StateFile},
};

/// Lineage of a submission.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lineage {
	/// Others' submissions it forks.
	pub parents: Vec<u32>,
	/// The author's own earlier submission it improves on.
	pub previous_version: Option<u32>,
}

/// What `submit` did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Submitted {
	/// The submission's id.
	pub submission: u32,
	/// The predictions digest.
	pub digest: H256,
	/// Whether only a commitment was posted (sealed challenge; reveal after close).
	pub sealed: bool,
}

/// `sha256(digest ‖ salt ‖ SCALE(account))`, a sealed submission's commitment: the formula of
/// [`merit_metrics::submission_commitment`], which the chain checks at the reveal.
pub fn submission_commitment(digest: &H256, salt: &[u8], account: &[u8; 32]) -> H256 {
	H256(merit_metrics::submission_commitment(&digest.0, salt, account))
}

/// 32 random bytes from the operating system.
pub fn random_salt() -> Result<Vec<u8>> {
	let mut salt = vec![0u8; 32];
	std::fs::File::open("/dev/urandom")
		.and_then(|mut f| f.read_exact(&mut salt))
		.context("cannot read random bytes for the commitment salt from /dev/urandom")?;
	Ok(salt)
}

/// Submits predictions to a challenge. Nothing about the file leaves the machine but its
/// commitment: the salt, digest and a copy of the bytes are saved in the state directory *before*
/// `commit_submission` is sent (a crash or a lost connection cannot lose them). An open
/// challenge's submission is revealed right after the commitment is final (upload, then
/// `reveal_submission`, which registers the file); a sealed one's at [`reveal_pending`], after
/// the close. If the reveal of an open submission fails, `merit reveal` retries it while the
/// challenge is open.
#[allow(clippy::too_many_arguments)]
pub async fn submit(
	chain: &Chain,
	signer: &Keypair,
	challenge: u32,
	predictions: &[u8],
	lineage: &Lineage,
	store: Option<&str>,
	license: &str,
	state: &StateFile,
) -> Result<Submitted> {
	let info = challenges::get(chain, challenge).await?;
	if !matches!(info.status.state, ChallengeState::Open) {
		bail!("challenge {challenge} is {}: it no longer accepts submissions", state_name(&info.status.state));
	}
	let tx = runtime::tx().merit_challenges();
	if predictions.is_empty() {
		bail!("an artifact must have at least one byte");
	}
	let digest = H256(crate::digest::sha256(predictions));
	// A known duplicate would only burn its deposit: refuse it before anything is sent.
	let at = chain.at_finalized().await?;
	let holder =
		at.storage().try_fetch(runtime::storage().merit_challenges().submitted_digests(), (challenge, digest)).await?;
	if let Some(holder) = holder {
		bail!(
			"these predictions ({}) are already submission {} of challenge {challenge} \
			 (MeritChallenges::DuplicateSubmission: the earlier submission has priority)",
			digest_hex(&digest),
			holder.decode()?
		);
	}
	let salt = random_salt()?;
	let account = account_of(signer);
	let commitment = submission_commitment(&digest, &salt, &account.0);
	let mut entry = PendingReveal {
		genesis: chain.genesis_hex(),
		challenge,
		submission: None,
		commitment: digest_hex(&commitment),
		account: account.to_string(),
		digest: digest_hex(&digest),
		salt: hex::encode(&salt),
		uri: String::new(),
		revealed: false,
	};
	state.keep_predictions(&entry.digest, predictions)?;
	state.upsert(entry.clone())?;
	let events = chain
		.submit(
			&tx.commit_submission(challenge, commitment, lineage.parents.clone(), lineage.previous_version),
			signer,
			&format!("committing to challenge {challenge}"),
		)
		.await?;
	let event = events
		.find_first::<runtime::merit_challenges::events::SubmissionCommitted>()
		.context("the chain accepted the commitment but reported no SubmissionCommitted event")??;
	entry.submission = Some(event.submission);
	state.upsert(entry.clone())?;
	if !info.sealed() {
		reveal_one(chain, signer, challenge, state, entry, store, license).await.with_context(|| {
			format!(
				"submission {} is committed; `merit reveal {challenge}` retries the reveal while the challenge is open",
				event.submission
			)
		})?;
	}
	Ok(Submitted { submission: event.submission, digest, sealed: info.sealed() })
}

/// Reveals one pending entry; `None` if its commitment never reached the chain.
async fn reveal_one(
	chain: &Chain,
	signer: &Keypair,
	challenge: u32,
	state: &StateFile,
	mut entry: PendingReveal,
	store: Option<&str>,
	license: &str,
) -> Result<Option<u32>> {
	let digest = parse_digest(&entry.digest)?;
	let submission = match entry.submission {
		Some(id) => id,
		None => match committed_submission(chain, challenge, parse_digest(&entry.commitment)?).await? {
			Some(id) => {
				entry.submission = Some(id);
				state.upsert(entry.clone())?;
				id
			}
			None => {
				eprintln!(
					"the commitment {} never reached challenge {challenge}: nothing to reveal for it",
					entry.commitment
				);
				return Ok(None);
			}
		},
	};
	// Revealed already (an earlier run whose confirmation was lost): only the state is behind.
	if challenges::submission(chain, submission).await?.revealed_digest() == Some(digest) {
		state.upsert(PendingReveal { revealed: true, ..entry })?;
		return Ok(Some(submission));
	}
	let salt = hex::decode(&entry.salt).context("the state file's salt is not hex")?;
	let path = state.predictions_path(&entry.digest);
	let claim = match std::fs::read(&path) {
		Ok(bytes) => {
			if H256(crate::digest::sha256(&bytes)) != digest {
				bail!("the copy {} no longer hashes to the committed digest {}", path.display(), entry.digest);
			}
			artifacts::claim(chain, signer, &bytes, Kind::Predictions, store, license).await?
		}
		// Entries of older clients were registered at the commit and kept no copy.
		Err(e) => match artifacts::get(chain, digest).await? {
			Some(own) if own.owner == account_of(signer) && own.kind == Kind::Predictions => {
				ArtifactClaim { digest, size: own.size, uri: own.uri.into_bytes(), license: own.license.into_bytes() }
			}
			_ => bail!("the copy of committed submission {submission} is missing: {}: {e}", path.display()),
		},
	};
	entry.uri = String::from_utf8_lossy(&claim.uri).into_owned();
	chain
		.submit(
			&runtime::tx().merit_challenges().reveal_submission(submission, claim, salt),
			signer,
			&format!("revealing submission {submission}"),
		)
		.await?;
	state.upsert(PendingReveal { revealed: true, ..entry })?;
	Ok(Some(submission))
}

/// The submission that holds `commitment` in `challenge`, if the chain has it.
async fn committed_submission(chain: &Chain, challenge: u32, commitment: H256) -> Result<Option<u32>> {
	let at = chain.at_finalized().await?;
	let storage = runtime::storage().merit_challenges();
	Ok(match at.storage().try_fetch(storage.sealed_commitments(), (challenge, commitment)).await? {
		Some(value) => Some(value.decode()?),
		None => None,
	})
}

/// Reveals the signer's pending submissions to a challenge (a sealed one after it closed, an open
/// one while it is open): uploads each file from the copy in the state directory, checked against
/// its digest, and reveals it with `reveal_submission`, which registers it in the same call. An entry saved by a client that stopped before it learnt its submission id is
/// found by its commitment; one whose commitment never reached the chain is skipped with a note;
/// one already revealed on chain is only marked so. One entry's failure does not stop the others;
/// they are all named in the error. Returns the revealed ids.
pub async fn reveal_pending(
	chain: &Chain,
	signer: &Keypair,
	challenge: u32,
	state: &StateFile,
	store: Option<&str>,
	license: &str,
) -> Result<Vec<u32>> {
	let info = challenges::get(chain, challenge).await?;
	match info.status.state {
		ChallengeState::Closed => {}
		ChallengeState::Open if !info.sealed() => {}
		ChallengeState::Open => bail!(
			"challenge {challenge} is still open until block {}: sealed submissions are revealed after it closes",
			info.spec.schedule.open_until
		),
		ref other => bail!("challenge {challenge} is {}: the reveal period is over", state_name(other)),
	}
	let genesis = chain.genesis_hex();
	let account = account_of(signer).to_string();
	let pending: Vec<PendingReveal> = state
		.load()?
		.into_iter()
		.filter(|p| p.genesis == genesis && p.challenge == challenge && p.account == account && !p.revealed)
		.collect();
	if pending.is_empty() {
		bail!("no sealed submissions of {account} to challenge {challenge} are waiting for a reveal in the state file");
	}
	let mut revealed = Vec::new();
	let mut failures = Vec::new();
	for entry in pending {
		match reveal_one(chain, signer, challenge, state, entry.clone(), store, license).await {
			Ok(Some(submission)) => revealed.push(submission),
			Ok(None) => {}
			Err(e) => {
				failures.push(format!("{}: {e:#}", entry.submission.map_or(entry.commitment, |id| id.to_string())))
			}
		}
	}
	if !failures.is_empty() {
		bail!(
			"revealed {:?}; could not reveal {} sealed submission(s): {}",
			revealed,
			failures.len(),
			failures.join("; ")
		);
	}
	Ok(revealed)
}

/// A settled submission deposit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettledDeposit {
	/// The submission's author.
	pub author: crate::chain::AccountId32,
	/// The deposit, in the smallest unit.
	pub amount: u128,
	/// Whether it went back to the author (otherwise it was burnt).
	pub refunded: bool,
}

/// Settles a submission's deposit (`settle_deposit`): back to its author once scored, burnt once
/// it can no longer be.
pub async fn settle_deposit(chain: &Chain, signer: &Keypair, submission: u32) -> Result<SettledDeposit> {
	let events = chain
		.submit(
			&runtime::tx().merit_challenges().settle_deposit(submission),
			signer,
			&format!("settling the deposit of submission {submission}"),
		)
		.await?;
	let event = events
		.find_first::<runtime::merit_challenges::events::DepositSettled>()
		.context("the chain settled the deposit but reported no DepositSettled event")??;
	Ok(SettledDeposit { author: event.author, amount: event.amount, refunded: event.refunded })
}

/// Claims the signer's refund from an abandoned challenge (`claim_refund`); returns the amount.
pub async fn claim_refund(chain: &Chain, signer: &Keypair, challenge: u32) -> Result<u128> {
	let events = chain
		.submit(
			&runtime::tx().merit_rewards().claim_refund(challenge),
			signer,
			&format!("claiming the refund of challenge {challenge}"),
		)
		.await?;
	let event = events
		.find_first::<runtime::merit_rewards::events::RefundClaimed>()
		.context("the chain paid the refund but reported no RefundClaimed event")??;
	Ok(event.amount)
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::digest::sha256;

	#[test]
	fn commitments_and_salts() {
		// The commitment the pallet checks at the reveal: sha256 of digest, salt and the raw
		// 32-byte account, in that order; every part changes it.
		let digest = H256([1; 32]);
		let c = submission_commitment(&digest, b"salt", &[2; 32]);
		let expected = sha256(&[&[1u8; 32][..], b"salt", &[2u8; 32]].concat());
		assert_eq!(c.0, expected);
		assert_ne!(submission_commitment(&H256([3; 32]), b"salt", &[2; 32]), c);
		assert_ne!(submission_commitment(&digest, b"pepper", &[2; 32]), c);
		assert_ne!(submission_commitment(&digest, b"salt", &[4; 32]), c);
		let (a, b) = (random_salt().unwrap(), random_salt().unwrap());
		assert_eq!(a.len(), 32);
		assert_ne!(a, b);
	}
}
