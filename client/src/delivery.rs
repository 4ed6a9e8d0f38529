//! The public-row labels a challenge's owner seals to the drawn panel (`merit challenge
//! deliver-labels`), and the check anyone runs after the reveal that the panel was given exactly
//! the canonical public rows (see `merit_primitives::labels`).
use anyhow::{bail, Context, Result};
use merit_primitives::labels::{
	encrypt_public_labels, labels_public_key, public_labels_salt, seal_file_key, LabelsKey, PublicLabels,
};
use serde_json::json;
use std::time::Duration;
use subxt_signer::sr25519::Keypair;

use crate::{
	artifacts::{self, Kind},
	chain::{runtime, runtime_types, AccountId32, Chain, H256},
	challenges::{self, state_name},
	digest::digest_hex,
	output::Table,
	panels,
};

/// What a delivery sealed, and to whom.
#[derive(Clone, Debug)]
pub struct Delivered {
	pub challenge: u32,
	/// Data rows of the public-rows file.
	pub public_rows: usize,
	pub ciphertext: H256,
	pub commitment: [u8; 32],
	/// Panel members the file key was sealed to.
	pub addressed: Vec<AccountId32>,
	/// Panel members without a labels key (their nodes have not registered one).
	pub skipped: Vec<AccountId32>,
}

impl Delivered {
	pub fn table(&self) -> Table {
		let accounts = |list: &[AccountId32]| json!(list.iter().map(|a| a.to_string()).collect::<Vec<_>>());
		Table::record(vec![
			("challenge", json!(self.challenge)),
			("public_rows", json!(self.public_rows)),
			("ciphertext", json!(digest_hex(&self.ciphertext))),
			("commitment", json!(format!("0x{}", hex::encode(self.commitment)))),
			("addressed", accounts(&self.addressed)),
			("skipped", accounts(&self.skipped)),
		])
	}
}

/// The package an owner seals: the canonical public rows of `labels` and the derived salt.
pub fn public_labels(labels: &[u8], salt: &[u8], public_share_ppb: u32) -> Result<PublicLabels> {
	let rows = merit_metrics::public_rows(labels, salt, public_share_ppb)
		.map_err(|e| anyhow::anyhow!("the labels file cannot be split into public rows: {e}"))?;
	Ok(PublicLabels { salt: public_labels_salt(salt), labels: rows })
}

/// A member's registered labels key, if its node registered one.
pub async fn labels_key(chain: &Chain, member: &AccountId32) -> Result<Option<LabelsKey>> {
	let at = chain.at_finalized().await?;
	let storage = runtime::storage().merit_scoring();
	Ok(match at.storage().try_fetch(storage.labels_keys(), (member.clone(),)).await? {
		Some(value) => Some(value.decode()?),
		None => None,
	})
}

/// The commitment of the delivery on chain, if the owner delivered.
pub async fn delivered_commitment(chain: &Chain, challenge: u32) -> Result<Option<[u8; 32]>> {
	let at = chain.at_finalized().await?;
	let storage = runtime::storage().merit_scoring();
	Ok(match at.storage().try_fetch(storage.labels_deliveries(), (challenge,)).await? {
		Some(value) => Some(value.decode()?.sealed.commitment),
		None => None,
	})
}

/// Data rows of a labels CSV (lines after the header).
pub fn data_rows(csv: &[u8]) -> usize {
	csv.iter().filter(|&&b| b == b'\n').count().saturating_sub(1)
}

/// Waits for the challenge's panel (up to `timeout`), seals the public rows of `labels` to every
/// member with a labels key, publishes the ciphertext through `store` and delivers it on chain.
/// The labels and salt are checked against the challenge's commitment first.
#[allow(clippy::too_many_arguments)]
pub async fn deliver_labels(
	chain: &Chain,
	signer: &Keypair,
	challenge: u32,
	labels: &[u8],
	salt: &[u8],
	store: Option<&str>,
	license: &str,
	timeout: Option<Duration>,
) -> Result<Delivered> {
	let info = challenges::get(chain, challenge).await?;
	if merit_metrics::labels_commitment(labels, salt) != info.spec.labels_commitment.0 {
		bail!(
			"these labels and salt do not match challenge {challenge}'s commitment ({}): check the file and the salt",
			digest_hex(&info.spec.labels_commitment)
		);
	}
	if !matches!(info.status.state, runtime_types::merit_primitives::challenges::ChallengeState::Open) {
		bail!(
			"challenge {challenge} is {}: public labels are delivered only while it is open",
			state_name(&info.status.state)
		);
	}
	let public = public_labels(labels, salt, info.spec.public_share.0)?;
	let public_rows = data_rows(&public.labels);
	let commitment = merit_metrics::labels_commitment(&public.labels, &public.salt);
	let panel = panels::wait_for_panel(chain, challenge, timeout).await?.panel.context("the panel is drawn")?;

	let file_key = crate::reports::random_salt()?;
	let ephemeral = crate::reports::random_salt()?;
	let (mut envelopes, mut addressed, mut skipped) = (Vec::new(), Vec::new(), Vec::new());
	for member in &panel.members {
		let sealed = match labels_key(chain, member).await? {
			Some(key) => seal_file_key(challenge, &file_key, &ephemeral, &key),
			None => None,
		};
		match sealed {
			Some(envelope) => {
				envelopes.push((member.clone(), envelope));
				addressed.push(member.clone());
			}
			None => {
				eprintln!("panel member {member} has no usable labels key: its node cannot score public rows");
				skipped.push(member.clone());
			}
		}
	}
	let ciphertext_bytes = encrypt_public_labels(&file_key, &public);
	let ciphertext = artifacts::publish(chain, signer, &ciphertext_bytes, Kind::Labels, store, license).await?;
	// Between the upload and the registration someone may have registered the digest first.
	let registered = artifacts::require(chain, ciphertext).await?;
	if registered.owner != crate::keys::account_of(signer) {
		bail!(
			"the sealed labels {} were registered by {} first (front-running): run the command again, which seals \
			 them under a fresh key",
			digest_hex(&ciphertext),
			registered.owner
		);
	}
	let sealed = runtime_types::merit_primitives::labels::SealedLabels {
		commitment,
		ciphertext,
		sender: labels_public_key(&ephemeral),
	};
	chain
		.submit(
			&runtime::tx().merit_scoring().deliver_labels(
				challenge,
				sealed,
				runtime_types::bounded_collections::bounded_vec::BoundedVec(envelopes),
			),
			signer,
			&format!("sealing the public labels of challenge {challenge} to its panel"),
		)
		.await?;
	Ok(Delivered { challenge, public_rows, ciphertext, commitment, addressed, skipped })
}

/// After an evaluator key went into a node: waits until the node's worker registered the labels
/// key of the key's evaluator (`None` at once if the key is not an evaluator's).
pub async fn wait_for_labels_key(node: &Chain, key: &AccountId32, timeout: Duration) -> Result<Option<LabelsKey>> {
	let at = node.at_finalized().await?;
	let storage = runtime::storage().merit_scoring();
	let Some(evaluator) = at.storage().try_fetch(storage.evaluator_keys(), (key.clone(),)).await? else {
		eprintln!("{key} is not (yet) a registered evaluator's key: not waiting for a labels key");
		return Ok(None);
	};
	let evaluator: AccountId32 = evaluator.decode()?;
	let spinner =
		crate::progress::spinner(format!("waiting for the node's worker to register {evaluator}'s labels key"));
	let found = node.each_block(Some(timeout), async |_| labels_key(node, &evaluator).await).await;
	spinner.finish_and_clear();
	let found = found?.with_context(|| {
		format!(
			"the node did not register {evaluator}'s labels key within {} s: is its off-chain worker running, and \
			 can the key account pay?",
			timeout.as_secs()
		)
	})?;
	Ok(Some(found))
}

/// Registers `secret`'s labels key for the evaluator whose key signs (an evaluator who scores by
/// hand; a node's worker registers its own).
pub async fn register_labels_key(chain: &Chain, key_signer: &Keypair, secret: &[u8; 32]) -> Result<LabelsKey> {
	let key = labels_public_key(secret);
	chain
		.submit(
			&runtime::tx().merit_scoring().set_labels_key(key),
			key_signer,
			"registering the evaluator's labels key",
		)
		.await?;
	Ok(key)
}

/// Opens the public labels sealed to `evaluator` for `challenge` with its secret: downloads the
/// ciphertext, decrypts it and checks it against the delivery's commitment.
pub async fn open_delivered(
	chain: &Chain,
	challenge: u32,
	evaluator: &AccountId32,
	secret: &[u8; 32],
	ipfs_gateway: &str,
) -> Result<PublicLabels> {
	let at = chain.at_finalized().await?;
	let storage = runtime::storage().merit_scoring();
	let delivery = at
		.storage()
		.try_fetch(storage.labels_deliveries(), (challenge,))
		.await?
		.with_context(|| format!("the owner of challenge {challenge} has not delivered its public labels yet"))?
		.decode()?;
	let envelope =
		delivery
			.envelopes
			.0
			.iter()
			.find(|(member, _)| member == evaluator)
			.map(|(_, envelope)| *envelope)
			.with_context(|| format!("the public labels of challenge {challenge} are not sealed to {evaluator}"))?;
	let file_key = merit_primitives::labels::open_file_key(challenge, &envelope, secret, &delivery.sealed.sender)
		.context("the envelope does not open with this labels secret (was another key registered since?)")?;
	let artifact = artifacts::require(chain, delivery.sealed.ciphertext).await?;
	let ciphertext = artifacts::download(&artifact, ipfs_gateway).await?;
	merit_primitives::labels::open_public_labels(&file_key, &ciphertext, &delivery.sealed.commitment)
		.map_err(|e| anyhow::anyhow!("the delivered public labels are unusable: {e:?}"))
}

/// Whether a delivery's commitment is that of the canonical public rows of the revealed labels.
pub fn delivery_matches(delivered: &[u8; 32], revealed_labels: &[u8], salt: &[u8], public_share_ppb: u32) -> bool {
	public_labels(revealed_labels, salt, public_share_ppb)
		.map(|public| merit_metrics::labels_commitment(&public.labels, &public.salt) == *delivered)
		.unwrap_or(false)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_delivery_check_recomputes_the_canonical_public_rows() {
		let labels = b"id,y\n1,a\n2,b\n3,a\n4,b\n5,a\n6,b\n";
		let ppb = 500_000_000;
		let public = public_labels(labels, b"salt", ppb).unwrap();
		let commitment = merit_metrics::labels_commitment(&public.labels, &public.salt);
		assert!(delivery_matches(&commitment, labels, b"salt", ppb));
		// A public row's label changed: the owner gave the panel something else. A private row's
		// label is no part of what the panel got.
		let flip = |id: &str| {
			let text = std::str::from_utf8(labels).unwrap();
			text.lines()
				.map(|l| match l.split_once(',') {
					Some((i, y)) if i == id => format!("{i},{}\n", if y == "a" { "b" } else { "a" }),
					_ => format!("{l}\n"),
				})
				.collect::<String>()
		};
		let ids = ["1", "2", "3", "4", "5", "6"];
		let public = ids.iter().find(|id| merit_metrics::is_public_row(b"salt", id, ppb)).unwrap();
		let private = ids.iter().find(|id| !merit_metrics::is_public_row(b"salt", id, ppb)).unwrap();
		assert!(!delivery_matches(&commitment, flip(public).as_bytes(), b"salt", ppb));
		assert!(delivery_matches(&commitment, flip(private).as_bytes(), b"salt", ppb));
		// Another salt or another share.
		assert!(!delivery_matches(&commitment, labels, b"salt2", ppb));
		assert!(!delivery_matches(&commitment, labels, b"salt", 0));
	}
}
