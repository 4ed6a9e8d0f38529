//! `MeritChallenges`: publishing challenges, reading them, revealing their labels.
use anyhow::{bail, Context, Result};
use merit_metrics::Metric;
use serde_json::{json, Value};
use std::path::PathBuf;
use subxt_signer::sr25519::Keypair;

use crate::{
	artifacts::{self, Kind},
	chain::{
		runtime,
		runtime_types::{
			self,
			merit_primitives::challenges::{
				CancelReason, ChallengeState, Schedule, SubmissionContent, SubmissionLimits, SubmissionMode,
			},
			merit_primitives::teams::TeamRules,
			pallet_merit_challenges::types::{
				ChallengeParams, ChallengeSpec, ChallengeStatus, Description, DescriptionInput, Submission,
			},
			pallet_merit_rewards::types::Pool,
			sp_arithmetic::per_things::Perbill,
		},
		AccountId32, Chain, H256,
	},
	digest::{digest_hex, parse_digest, read_file},
	output::Table,
	rewards::Terms,
	units::{format_merit, format_share},
};

/// Open or sealed submissions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Mode {
	/// Digests are posted at once.
	Open,
	/// Commitments while open, reveals after close.
	Sealed,
}

/// The metric as the runtime encodes it.
pub fn metric_to_runtime(metric: Metric) -> runtime_types::merit_metrics::Metric {
	use runtime_types::merit_metrics::Metric as M;
	match metric {
		Metric::Rmse => M::Rmse,
		Metric::Mae => M::Mae,
		Metric::Accuracy => M::Accuracy,
		Metric::MacroF1 => M::MacroF1,
		Metric::LogLoss => M::LogLoss,
		Metric::RocAuc => M::RocAuc,
	}
}

/// The metric from the runtime's encoding.
pub fn metric_from_runtime(metric: &runtime_types::merit_metrics::Metric) -> Metric {
	use runtime_types::merit_metrics::Metric as M;
	match metric {
		M::Rmse => Metric::Rmse,
		M::Mae => Metric::Mae,
		M::Accuracy => Metric::Accuracy,
		M::MacroF1 => Metric::MacroF1,
		M::LogLoss => Metric::LogLoss,
		M::RocAuc => Metric::RocAuc,
	}
}

/// A state's name as printed: `open`, `closed`, `labels-revealed`, `finalized`, `cancelled (...)`.
pub fn state_name(state: &ChallengeState) -> String {
	match state {
		ChallengeState::Open => "open".into(),
		ChallengeState::Closed => "closed".into(),
		ChallengeState::LabelsRevealed => "labels-revealed".into(),
		ChallengeState::Finalized => "finalized".into(),
		ChallengeState::Cancelled(CancelReason::ByOwner) => "cancelled (by the owner)".into(),
		ChallengeState::Cancelled(CancelReason::MissedLabelsReveal) => "cancelled (labels not revealed in time)".into(),
	}
}

/// A training-data argument: a local file (hashed, uploaded, registered) or a registered digest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArtifactSource {
	/// A local file.
	File(PathBuf),
	/// A digest already registered on chain.
	Digest(H256),
}

impl ArtifactSource {
	/// An existing file wins; otherwise 64 hex digits are a digest; otherwise the file is missing.
	pub fn parse(text: &str) -> Result<ArtifactSource> {
		let path = PathBuf::from(text);
		if path.exists() {
			return Ok(ArtifactSource::File(path));
		}
		match parse_digest(text) {
			Ok(digest) => Ok(ArtifactSource::Digest(digest)),
			Err(_) => bail!("{text}: no such file (and not a 64-hex-digit artifact digest)"),
		}
	}

	/// The registered digest, publishing a file first if needed.
	pub async fn resolve(
		&self,
		chain: &Chain,
		signer: &Keypair,
		kind: Kind,
		store: Option<&str>,
		license: &str,
	) -> Result<H256> {
		match self {
			ArtifactSource::Digest(digest) => {
				let artifact = artifacts::require(chain, *digest).await?;
				if artifact.kind != kind {
					bail!(
						"artifact {} is registered as {}, not {}",
						digest_hex(digest),
						artifact.kind.name(),
						kind.name()
					);
				}
				Ok(*digest)
			}
			ArtifactSource::File(path) => {
				let bytes = read_file(path)?;
				artifacts::publish(chain, signer, &bytes, kind, store, license)
					.await
					.with_context(|| format!("publishing {}", path.display()))
			}
		}
	}
}

/// The task statement: inline text, or a report artifact.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DescriptionSource {
	/// Inline text.
	Text(String),
	/// A report file or digest.
	Report(ArtifactSource),
}

/// Everything `challenge create` needs, already parsed.
#[derive(Clone, Debug)]
pub struct NewChallenge {
	/// Title.
	pub title: String,
	/// Task statement.
	pub description: DescriptionSource,
	/// Training data.
	pub training_data: Vec<ArtifactSource>,
	/// Metric.
	pub metric: Metric,
	/// The hidden labels file (only hashed: it stays private until `reveal-labels`).
	pub labels: Vec<u8>,
	/// The commitment salt, which also seeds the public/private split.
	pub salt: Vec<u8>,
	/// Public share, parts per billion.
	pub public_share: u32,
	/// Blocks from now until the challenge closes.
	pub open_for: u32,
	/// Blocks the owner has to reveal the labels, counted from the first block it may.
	pub reveal_within: u32,
	/// Submissions per account per day.
	pub per_day: u32,
	/// Submissions per account in total.
	pub total: u32,
	/// Prize shares by rank, parts per billion, summing to 100%.
	pub reward_shares: Vec<u32>,
	/// Evaluators that must agree.
	pub quorum: u32,
	/// Prize pool in the smallest unit.
	pub prize_pool: u128,
	/// Open or sealed.
	pub mode: Mode,
	/// Submissions each participant may mark as final.
	pub final_selections: u32,
	/// The largest team (1: no teams).
	pub team_size: u32,
	/// Blocks before the close at which teams stop changing.
	pub merge_before_close: u32,
	/// The owner's earlier challenge this one is the next phase of.
	pub previous_phase: Option<u32>,
	/// Fork credit and micro-rewards (the default, all zero: neither).
	pub terms: Terms,
}

/// Publishes a challenge with its reward terms in one transaction (registering its files first);
/// returns its id.
pub async fn create(
	chain: &Chain,
	signer: &Keypair,
	spec: &NewChallenge,
	store: Option<&str>,
	license: &str,
) -> Result<u32> {
	let description = match &spec.description {
		DescriptionSource::Text(text) => DescriptionInput::Text(text.as_bytes().to_vec()),
		DescriptionSource::Report(source) => {
			DescriptionInput::Artifact(source.resolve(chain, signer, Kind::Report, store, license).await?)
		}
	};
	let mut training_data = Vec::new();
	for source in &spec.training_data {
		training_data.push(source.resolve(chain, signer, Kind::Dataset, store, license).await?);
	}
	if spec.open_for == 0 || spec.reveal_within == 0 {
		bail!("--open-for and --reveal-within must be at least one block");
	}
	let at = chain.at_finalized().await?;
	// The reveal would be refused, and the prize pool lost, if the labels were too large to reveal.
	let max_labels = at.constants().entry(runtime::constants().merit_challenges().max_labels_size())?;
	if spec.labels.len() as u64 > max_labels {
		bail!(
			"the labels file is {} bytes, above the {max_labels} bytes evaluators fetch (MaxLabelsSize): \
			 its reveal would be refused",
			spec.labels.len()
		);
	}
	let reveal_period = at.constants().entry(runtime::constants().merit_challenges().submission_reveal_period())?;
	// The transaction lands in a later block than the best one now; `open_for` counts from there.
	let now = chain.best_number().await?;
	let open_until = now.saturating_add(spec.open_for);
	let earliest_reveal = match spec.mode {
		Mode::Open => open_until,
		Mode::Sealed => open_until.saturating_add(reveal_period),
	};
	let params = ChallengeParams {
		title: spec.title.as_bytes().to_vec(),
		description,
		training_data,
		metric: metric_to_runtime(spec.metric),
		labels_commitment: H256(merit_metrics::labels_commitment(&spec.labels, &spec.salt)),
		public_share: Perbill(spec.public_share),
		schedule: Schedule { open_until, reveal_deadline: earliest_reveal.saturating_add(spec.reveal_within) },
		limits: SubmissionLimits { per_day: spec.per_day, total: spec.total },
		reward_shares: spec.reward_shares.iter().map(|s| Perbill(*s)).collect(),
		terms: spec.terms.to_runtime(),
		quorum: spec.quorum,
		prize_pool: spec.prize_pool,
		mode: match spec.mode {
			Mode::Open => SubmissionMode::Open,
			Mode::Sealed => SubmissionMode::Sealed,
		},
		final_selections: spec.final_selections,
		teams: TeamRules { max_size: spec.team_size, merge_until: open_until.saturating_sub(spec.merge_before_close) },
		previous_phase: spec.previous_phase,
	};
	let events = chain
		.submit(&runtime::tx().merit_challenges().create_challenge(params), signer, "creating the challenge")
		.await?;
	let created = events
		.find_first::<runtime::merit_challenges::events::ChallengeCreated>()
		.context("the chain accepted the challenge but reported no ChallengeCreated event")??;
	Ok(created.challenge)
}

/// A challenge as stored: its parts in the challenges pallet and its pool in the rewards pallet.
#[derive(Debug)]
pub struct ChallengeInfo {
	/// Its id.
	pub id: u32,
	/// What never changes after publication (`MeritChallenges::ChallengeSpecs`).
	pub spec: ChallengeSpec,
	/// State, participants and revealed labels (`MeritChallenges::ChallengeStatuses`).
	pub status: ChallengeStatus,
	/// The task statement (`MeritChallenges::Descriptions`).
	pub description: Option<Description>,
	/// The prize pool: held, reward shares, terms (`MeritRewards::Pools`).
	pub pool: Option<Pool>,
	/// Its submissions, in order of arrival.
	pub submissions: Vec<u32>,
	/// The phase after it, if any (`MeritChallenges::NextPhase`).
	pub next_phase: Option<u32>,
}

impl ChallengeInfo {
	/// The metric.
	pub fn metric(&self) -> Metric {
		metric_from_runtime(&self.spec.metric)
	}

	/// The title as text.
	pub fn title(&self) -> String {
		String::from_utf8_lossy(&self.spec.title.0).into_owned()
	}

	/// How many submissions each participant may mark as final (0: every submission ranks, a
	/// challenge published before final selections).
	pub fn final_selections(&self) -> u32 {
		self.spec.final_selections
	}

	/// Whether submissions are sealed.
	pub fn sealed(&self) -> bool {
		matches!(self.spec.mode, SubmissionMode::Sealed)
	}

	/// A one-line summary for `challenge list`.
	pub fn summary_row(&self) -> Vec<Value> {
		vec![
			json!(self.id),
			json!(self.title()),
			json!(state_name(&self.status.state)),
			json!(self.metric().name()),
			json!(if self.sealed() { "sealed" } else { "open" }),
			json!(format_merit(self.spec.prize_pool)),
			json!(self.spec.schedule.open_until),
			json!(self.submissions.len()),
		]
	}

	/// The columns of [`Self::summary_row`].
	pub const SUMMARY_COLUMNS: [&'static str; 8] =
		["id", "title", "state", "metric", "mode", "prize_pool", "open_until", "submissions"];

	/// What the rewards pallet still holds of the pool (0 without a pool).
	pub fn held(&self) -> u128 {
		self.pool.as_ref().map_or(0, |pool| pool.held)
	}

	/// The prize shares of ranks 1, 2, ..., parts per billion (kept with the pool).
	pub fn reward_shares(&self) -> Vec<u32> {
		self.pool.as_ref().map(|pool| pool.reward_shares.0.iter().map(|s| s.0).collect()).unwrap_or_default()
	}

	/// Every field, for `challenge show`.
	pub fn table(&self) -> Table {
		let (r, status) = (&self.spec, &self.status);
		let description = match &self.description {
			Some(Description::Text(text)) => json!(String::from_utf8_lossy(&text.0)),
			Some(Description::Artifact(digest)) => json!(format!("report artifact {}", digest_hex(digest))),
			None => Value::Null,
		};
		let labels = match &status.labels {
			Some(labels) => json!({
				"digest": digest_hex(&labels.digest),
				"salt": String::from_utf8(labels.salt.0.clone()).unwrap_or_else(|_| format!("0x{}", hex::encode(&labels.salt.0))),
			}),
			None => Value::Null,
		};
		Table::record(vec![
			("id", json!(self.id)),
			("title", json!(self.title())),
			("owner", json!(r.owner.to_string())),
			("state", json!(state_name(&status.state))),
			("description", description),
			("training_data", json!(r.training_data.0.iter().map(digest_hex).collect::<Vec<_>>())),
			("metric", json!(self.metric().name())),
			("higher_is_better", json!(self.metric().higher_is_better())),
			("labels_commitment", json!(digest_hex(&r.labels_commitment))),
			("public_share", json!(format_share(r.public_share.0))),
			("mode", json!(if self.sealed() { "sealed" } else { "open" })),
			("created_at", json!(r.created_at)),
			("open_until", json!(r.schedule.open_until)),
			("reveal_deadline", json!(r.schedule.reveal_deadline)),
			("per_day_limit", json!(r.limits.per_day)),
			("total_limit", json!(r.limits.total)),
			("final_selections", json!(r.final_selections)),
			("previous_phase", json!(r.previous_phase)),
			("next_phase", json!(self.next_phase)),
			("team_size", json!(r.teams.max_size)),
			("merge_until", json!(r.teams.merge_until)),
			("reward_shares", json!(self.reward_shares().iter().map(|s| format_share(*s)).collect::<Vec<_>>())),
			("quorum", json!(r.quorum)),
			("prize_pool", json!(format_merit(r.prize_pool))),
			("held", json!(format_merit(self.held()))),
			("participants", json!(status.participants)),
			("submissions", json!(self.submissions.len())),
			("labels", labels),
		])
	}
}

/// Reads one challenge; an unknown id is an error that says so.
pub async fn get(chain: &Chain, id: u32) -> Result<ChallengeInfo> {
	try_get(chain, id).await?.with_context(|| format!("there is no challenge {id} on the chain at {}", chain.url))
}

/// Reads one challenge, `None` if there is none with this id.
pub async fn try_get(chain: &Chain, id: u32) -> Result<Option<ChallengeInfo>> {
	let at = chain.at_finalized().await?;
	let storage = runtime::storage().merit_challenges();
	let Some(spec) = at.storage().try_fetch(storage.challenge_specs(), (id,)).await? else {
		return Ok(None);
	};
	let spec = spec.decode()?;
	let status = at
		.storage()
		.try_fetch(storage.challenge_statuses(), (id,))
		.await?
		.with_context(|| format!("challenge {id} has a spec but no status on the chain at {}", chain.url))?
		.decode()?;
	let description = match at.storage().try_fetch(storage.descriptions(), (id,)).await? {
		Some(description) => Some(description.decode()?),
		None => None,
	};
	let pool = match at.storage().try_fetch(runtime::storage().merit_rewards().pools(), (id,)).await? {
		Some(pool) => Some(pool.decode()?),
		None => None,
	};
	let submissions = match at.storage().try_fetch(storage.challenge_submissions(), (id,)).await? {
		Some(list) => list.decode()?.0,
		None => Vec::new(),
	};
	let next_phase = match at.storage().try_fetch(storage.next_phase(), (id,)).await? {
		Some(next) => Some(next.decode()?),
		None => None,
	};
	Ok(Some(ChallengeInfo { id, spec, status, description, pool, submissions, next_phase }))
}

/// Every challenge, in order of creation.
pub async fn list(chain: &Chain) -> Result<Vec<ChallengeInfo>> {
	let at = chain.at_finalized().await?;
	let next = at.storage().fetch(runtime::storage().merit_challenges().next_challenge_id(), ()).await?.decode()?;
	let mut challenges = Vec::new();
	for id in 0..next {
		if let Some(info) = try_get(chain, id).await? {
			challenges.push(info);
		}
	}
	Ok(challenges)
}

/// A submission as stored.
#[derive(Debug)]
pub struct SubmissionInfo {
	/// Its id.
	pub id: u32,
	/// The stored record.
	pub record: Submission,
}

impl SubmissionInfo {
	/// The predictions digest, once revealed (and not superseded).
	pub fn revealed_digest(&self) -> Option<H256> {
		match &self.record.content {
			SubmissionContent::Revealed(digest) => Some(*digest),
			_ => None,
		}
	}

	/// What it holds, as text.
	pub fn content_text(&self) -> String {
		match &self.record.content {
			SubmissionContent::Committed(c) => format!("sealed commitment {}", digest_hex(c)),
			SubmissionContent::Revealed(d) => digest_hex(d),
			SubmissionContent::Duplicate { digest, of } => {
				format!("duplicate of submission {of} ({})", digest_hex(digest))
			}
		}
	}

	/// The author.
	pub fn author(&self) -> &AccountId32 {
		&self.record.author
	}
}

/// Reads one submission.
pub async fn submission(chain: &Chain, id: u32) -> Result<SubmissionInfo> {
	let at = chain.at_finalized().await?;
	let record = at
		.storage()
		.try_fetch(runtime::storage().merit_challenges().submissions(), (id,))
		.await?
		.with_context(|| format!("there is no submission {id}"))?
		.decode()?;
	Ok(SubmissionInfo { id, record })
}

/// Reveals the labels of a closed challenge: the labels file is uploaded (now that it may be public)
/// and `reveal_labels` registers it as a labels artifact in the same transaction, so nobody who
/// sees the digest can register it first and block the reveal. The commitment is checked locally
/// first, so a wrong file or salt fails before any transaction.
pub async fn reveal_labels(
	chain: &Chain,
	signer: &Keypair,
	id: u32,
	labels: &[u8],
	salt: &[u8],
	store: Option<&str>,
	license: &str,
) -> Result<H256> {
	let info = get(chain, id).await?;
	let commitment = merit_metrics::labels_commitment(labels, salt);
	if commitment != info.spec.labels_commitment.0 {
		bail!(
			"these labels and salt do not match challenge {id}'s commitment ({}): check the file and the salt",
			digest_hex(&info.spec.labels_commitment)
		);
	}
	match info.status.state {
		ChallengeState::Closed => {}
		ChallengeState::Open => bail!(
			"challenge {id} is still open (until block {}); reveal the labels after it closes",
			info.spec.schedule.open_until
		),
		ref other => bail!("challenge {id} is {}: only a closed challenge's labels can be revealed", state_name(other)),
	}
	let claim = artifacts::claim(chain, signer, labels, Kind::Labels, store, license).await?;
	let digest = claim.digest;
	chain
		.submit(
			&runtime::tx().merit_challenges().reveal_labels(id, claim, salt.to_vec()),
			signer,
			&format!("revealing the labels of challenge {id}"),
		)
		.await?;
	Ok(digest)
}

/// A state `challenge wait` can wait for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum WaitState {
	/// Open for submissions.
	Open,
	/// Closed: no more submissions; private scores are computed.
	Closed,
	/// The owner revealed the labels.
	LabelsRevealed,
	/// Paid out.
	Finalized,
	/// Cancelled (by the owner, or because the labels were not revealed in time).
	Cancelled,
}

impl WaitState {
	/// The name as on the command line.
	pub fn name(self) -> &'static str {
		match self {
			WaitState::Open => "open",
			WaitState::Closed => "closed",
			WaitState::LabelsRevealed => "labels-revealed",
			WaitState::Finalized => "finalized",
			WaitState::Cancelled => "cancelled",
		}
	}
}

/// A state's place in the lifecycle Open < Closed < LabelsRevealed < Finalized (`None`: cancelled).
fn lifecycle_rank(state: &ChallengeState) -> Option<u8> {
	match state {
		ChallengeState::Open => Some(0),
		ChallengeState::Closed => Some(1),
		ChallengeState::LabelsRevealed => Some(2),
		ChallengeState::Finalized => Some(3),
		ChallengeState::Cancelled(_) => None,
	}
}

/// Whether a challenge in `state` has reached `target` (that state or a later one). An error
/// when it never will: it was cancelled, or it was finalized while waiting for a cancellation.
pub fn reached(id: u32, target: WaitState, state: &ChallengeState) -> Result<bool> {
	let want = match target {
		WaitState::Open => 0,
		WaitState::Closed => 1,
		WaitState::LabelsRevealed => 2,
		WaitState::Finalized => 3,
		WaitState::Cancelled => {
			return match state {
				ChallengeState::Cancelled(_) => Ok(true),
				ChallengeState::Finalized => bail!("challenge {id} is finalized: it will never be cancelled"),
				_ => Ok(false),
			};
		}
	};
	match lifecycle_rank(state) {
		Some(rank) => Ok(rank >= want),
		None => bail!("challenge {id} is {}: it will never be {}", state_name(state), target.name()),
	}
}

/// Polls the challenge at every new finalized block (spinner with its state and the block) until
/// it has reached `target`; returns the challenge then. Errors on `timeout` or when `target` can
/// no longer be reached.
pub async fn wait_for_state(
	chain: &Chain,
	id: u32,
	target: WaitState,
	timeout: Option<std::time::Duration>,
) -> Result<ChallengeInfo> {
	let spinner = crate::progress::spinner(format!("challenge {id}: waiting to be {}", target.name()));
	let mut seen = String::from("unknown");
	let found = chain
		.each_block(timeout, async |block| {
			let info = get(chain, id).await?;
			if reached(id, target, &info.status.state)? {
				return Ok(Some(info));
			}
			seen = format!("{} at block {block}", state_name(&info.status.state));
			let until = match info.status.state {
				ChallengeState::Open => format!(" (open until block {})", info.spec.schedule.open_until),
				_ => String::new(),
			};
			spinner.set_message(format!("challenge {id} is {seen}, waiting for {}{until}", target.name()));
			Ok(None)
		})
		.await;
	spinner.finish_and_clear();
	match found? {
		Some(info) => Ok(info),
		None => bail!(
			"challenge {id} is still not {} after {} s (last seen {seen})",
			target.name(),
			timeout.unwrap_or_default().as_secs()
		),
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn lifecycle_order() {
		use ChallengeState as S;
		let cancelled = S::Cancelled(CancelReason::ByOwner);
		assert!(reached(0, WaitState::Closed, &S::Closed).unwrap());
		assert!(reached(0, WaitState::Closed, &S::LabelsRevealed).unwrap());
		assert!(reached(0, WaitState::Closed, &S::Finalized).unwrap());
		assert!(!reached(0, WaitState::Closed, &S::Open).unwrap());
		assert!(reached(0, WaitState::Open, &S::Open).unwrap());
		assert!(!reached(0, WaitState::Finalized, &S::LabelsRevealed).unwrap());
		let err = reached(3, WaitState::Finalized, &cancelled).unwrap_err().to_string();
		assert!(err.contains("challenge 3 is cancelled") && err.contains("never be finalized"), "{err}");
		assert!(reached(0, WaitState::Cancelled, &cancelled).unwrap());
		assert!(!reached(0, WaitState::Cancelled, &S::Closed).unwrap());
		assert!(reached(0, WaitState::Cancelled, &S::Finalized).is_err());
	}
}
