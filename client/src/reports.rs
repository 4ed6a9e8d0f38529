//! An evaluator's own reports, sent by hand (an evaluator that scores outside the node's off-chain
//! worker), signed by the evaluator's key: `merit evaluator report` seals an outcome
//! (`MeritScoring.commit_report`), `merit evaluator reveal` reveals it once the round's reveals
//! open (`reveal_report`), `merit evaluator abstain` records why it could not evaluate (`abstain`).
//!
//! A report is sealed as [`merit_primitives::report_commitment`] of the submission, the stage, the
//! round, the outcome, a random 32-byte salt and the *bonded* evaluator account (found on chain from
//! the signing key, `MeritScoring::EvaluatorKeys`). The outcome and salt are saved in the state
//! directory ([`ReportFile`], `reports.json`) before the commitment is sent, and the reveal picks the
//! saved report whose commitment the chain holds.
use anyhow::{bail, Context, Result};
use merit_metrics::Score;
use serde_json::{json, Value};
use std::time::Duration;
use subxt_signer::sr25519::Keypair;

use crate::{
	chain::{
		runtime,
		runtime_types::{merit_primitives::scoring::AbstainReason, pallet_merit_scoring::types::Job},
		AccountId32, AtBlock, Chain, H256,
	},
	keys::account_of,
	output::Table,
	scoring::{self, abstain_reason_name, Failure, FinalOutcome, Stage},
	state::{ReportFile, SavedReport},
	units::format_merit,
};

/// A failure reported instead of a score (`--failure`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFailure {
	/// The artifact's registered size exceeds `MeritScoring::MaxPredictionsSize`.
	TooLarge,
}

/// Why an evaluator abstains (`--reason`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Abstention {
	/// Every fetch of the predictions failed.
	FetchFailed,
	/// The bytes served do not hash to the registered digest (or exceed the registered size).
	HashMismatch,
}

impl Abstention {
	/// As the runtime encodes it.
	pub fn to_runtime(self) -> AbstainReason {
		match self {
			Abstention::FetchFailed => AbstainReason::FetchFailed,
			Abstention::HashMismatch => AbstainReason::HashMismatch,
		}
	}
}

/// The outcome a report states: `--score DECIMAL` (parsed like every score, `merit_metrics::Score`:
/// 18 decimals) or `--failure too-large`.
pub fn report_outcome(score: Option<&str>, failure: Option<ReportFailure>) -> Result<FinalOutcome> {
	match (score, failure) {
		(Some(text), None) => Ok(FinalOutcome::Scored(parse_score(text)?)),
		(None, Some(ReportFailure::TooLarge)) => Ok(FinalOutcome::Failed(Failure::TooLarge)),
		_ => bail!("give the outcome with either --score DECIMAL or --failure too-large"),
	}
}

/// Parses a score as the metrics crate does (a non-negative decimal, 18 decimals kept).
pub fn parse_score(text: &str) -> Result<Score> {
	Score::parse(text).map_err(|problem| {
		anyhow::anyhow!("`{text}` is not a score ({problem}): give a non-negative decimal such as 0.25")
	})
}

/// How a report's outcome is saved: the score with 18 decimals, or `too-large`.
pub fn outcome_to_saved(outcome: &FinalOutcome) -> Result<String> {
	match outcome {
		FinalOutcome::Scored(score) => Ok(score.to_string()),
		FinalOutcome::Failed(Failure::TooLarge) => Ok("too-large".into()),
		FinalOutcome::Failed(other) => bail!("a report of `{other}` cannot be saved: report a score or too-large"),
	}
}

/// Reads a saved outcome back.
pub fn outcome_from_saved(text: &str) -> Result<FinalOutcome> {
	match text {
		"too-large" => Ok(FinalOutcome::Failed(Failure::TooLarge)),
		score => Ok(FinalOutcome::Scored(parse_score(score).context("the saved report's outcome is damaged")?)),
	}
}

/// What the chain checks a reveal against: [`merit_primitives::report_commitment`] of the
/// submission, stage, round, outcome, salt and bonded evaluator account.
pub fn commitment(
	submission: u32,
	stage: Stage,
	round: u32,
	outcome: &FinalOutcome,
	salt: &[u8; 32],
	evaluator: &AccountId32,
) -> H256 {
	let hash = merit_primitives::report_commitment(
		submission,
		stage.to_primitives(),
		round,
		&outcome.to_primitives(),
		salt,
		&evaluator.0,
	);
	H256(hash.0)
}

/// 32 random bytes for a report's salt.
pub fn random_salt() -> Result<[u8; 32]> {
	let salt = crate::submissions::random_salt()?;
	Ok(salt.try_into().expect("random_salt gives 32 bytes"))
}

/// The bonded evaluator whose key is `key` (`MeritScoring::EvaluatorKeys`).
pub async fn evaluator_of(at: &AtBlock, key: &AccountId32) -> Result<AccountId32> {
	let storage = runtime::storage().merit_scoring();
	match at.storage().try_fetch(storage.evaluator_keys(), (key.clone(),)).await? {
		Some(evaluator) => Ok(evaluator.decode()?),
		None => bail!(
			"{key} is not an evaluator's key (MeritScoring::EvaluatorKeys has no entry): sign with the key the \
			 evaluator registered, e.g. --suri //Dave//evaluator, not with the bonded account"
		),
	}
}

/// The current round of a submission's evaluation at `stage` (`MeritScoring::Jobs`), if one began.
pub async fn job(at: &AtBlock, submission: u32, stage: Stage) -> Result<Option<Job>> {
	let storage = runtime::storage().merit_scoring();
	Ok(match at.storage().try_fetch(storage.jobs(), (submission, stage.to_runtime())).await? {
		Some(job) => Some(job.decode()?),
		None => None,
	})
}

/// `submission 3 (public, round 0)`, as errors name a job.
fn job_name(submission: u32, stage: Stage, round: u32) -> String {
	format!("submission {submission} ({}, round {round})", stage.name())
}

/// A sealed report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Committed {
	/// The submission.
	pub submission: u32,
	/// The stage.
	pub stage: Stage,
	/// The round it is sealed in.
	pub round: u32,
	/// The bonded evaluator.
	pub evaluator: AccountId32,
	/// The outcome sealed.
	pub outcome: FinalOutcome,
	/// The commitment sent.
	pub commitment: H256,
	/// The first block reveals are accepted, as the chain has it after the commitment (earlier once
	/// every panel member acted).
	pub reveal_from: Option<u32>,
}

impl Committed {
	/// One record.
	pub fn table(&self) -> Table {
		Table::record(vec![
			("submission", json!(self.submission)),
			("stage", json!(self.stage.name())),
			("round", json!(self.round)),
			("evaluator", json!(self.evaluator.to_string())),
			("outcome", json!(self.outcome.text())),
			("commitment", json!(format!("0x{}", hex::encode(self.commitment.0)))),
			("reveal_from", json!(self.reveal_from)),
		])
	}
}

/// Seals `outcome` as the signer's report on `submission` at `stage` in the current round: the
/// outcome and a fresh salt are saved in `file` first, then `commit_report` is sent.
pub async fn report(
	chain: &Chain,
	signer: &Keypair,
	submission: u32,
	stage: Stage,
	outcome: FinalOutcome,
	file: &ReportFile,
) -> Result<Committed> {
	let key = account_of(signer);
	let at = chain.at_finalized().await?;
	let evaluator = evaluator_of(&at, &key).await?;
	let current = job(&at, submission, stage).await?;
	let round = current.as_ref().map_or(0, |j| j.round);
	if let Some(job) = &current {
		if job.commits.0.iter().any(|(e, _)| *e == evaluator) {
			bail!(
				"evaluator {evaluator} already sealed a report on {}: reveal it with `merit evaluator reveal {submission} \
				 --stage {}`",
				job_name(submission, stage, round),
				stage.name()
			);
		}
		if job.abstentions.0.iter().any(|(e, _)| *e == evaluator) {
			bail!("evaluator {evaluator} already abstained from {}", job_name(submission, stage, round));
		}
	}
	let salt = random_salt()?;
	let commitment = commitment(submission, stage, round, &outcome, &salt, &evaluator);
	file.upsert(SavedReport {
		genesis: chain.genesis_hex(),
		submission,
		stage: stage.name().to_string(),
		round,
		evaluator: evaluator.to_string(),
		key: key.to_string(),
		outcome: outcome_to_saved(&outcome)?,
		salt: hex::encode(salt),
		commitment: format!("0x{}", hex::encode(commitment.0)),
		revealed: false,
	})
	.context("the report is not sent: its salt could not be saved")?;
	let events = chain
		.submit(
			&runtime::tx().merit_scoring().commit_report(submission, stage.to_runtime(), commitment),
			signer,
			&format!("sealing the report of {evaluator} on {}", job_name(submission, stage, round)),
		)
		.await?;
	let event = events
		.find_first::<runtime::merit_scoring::events::ReportCommitted>()
		.context("the chain accepted the report but reported no ReportCommitted event")??;
	if event.round != round {
		bail!(
			"the chain sealed the report in round {}, but it was computed for round {round} (a round ended meanwhile): \
			 it can never be revealed; wait for the next round and report again",
			event.round
		);
	}
	let reveal_from = job(&chain.at_finalized().await?, submission, stage).await?.map(|j| j.reveal_from);
	Ok(Committed { submission, stage, round, evaluator, outcome, commitment, reveal_from })
}

/// What a reveal found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revealed {
	/// The submission.
	pub submission: u32,
	/// The stage.
	pub stage: Stage,
	/// The round.
	pub round: u32,
	/// The bonded evaluator.
	pub evaluator: AccountId32,
	/// The outcome revealed.
	pub outcome: FinalOutcome,
	/// `made final` (this reveal completed the quorum), `agreed` or `disagreed` (judged against an
	/// outcome already final), `no quorum yet`, `dispute upheld` or `dispute rejected` (a recount's
	/// quorum).
	pub result: &'static str,
	/// The final outcome, if there is one (for a recount: the one the dispute settled on).
	pub final_outcome: Option<FinalOutcome>,
	/// What the evaluator's bond lost, if its report differs from the final outcome.
	pub slashed: Option<u128>,
}

impl Revealed {
	/// One record.
	pub fn table(&self) -> Table {
		Table::record(vec![
			("submission", json!(self.submission)),
			("stage", json!(self.stage.name())),
			("round", json!(self.round)),
			("evaluator", json!(self.evaluator.to_string())),
			("outcome", json!(self.outcome.text())),
			("result", json!(self.result)),
			("final", self.final_outcome.as_ref().map_or(Value::Null, |o| json!(o.text()))),
			("slashed", json!(self.slashed.map(format_merit))),
			("slashed_planck", json!(self.slashed.map(|s| s.to_string()))),
		])
	}
}

/// The saved report the chain holds the commitment of: among `saved`, the one for this job and
/// evaluator whose commitment is `on_chain`. Errors name what is missing and where it was looked for.
pub fn pick_saved<'a>(
	saved: &'a [SavedReport],
	genesis: &str,
	(submission, stage, round): (u32, Stage, u32),
	evaluator: &AccountId32,
	on_chain: Option<&H256>,
	file: &ReportFile,
) -> Result<&'a SavedReport> {
	let evaluator_text = evaluator.to_string();
	let candidates: Vec<&SavedReport> =
		saved.iter().filter(|r| r.is_for(genesis, submission, stage.name(), round, &evaluator_text)).collect();
	let job = job_name(submission, stage, round);
	if candidates.is_empty() {
		bail!("no saved report for {job} in {} (of evaluator {evaluator})", file.path().display());
	}
	let Some(on_chain) = on_chain else {
		bail!(
			"evaluator {evaluator} has no sealed report on {job} on chain: the report saved in {} was never included \
			 (seal it again with `merit evaluator report`)",
			file.path().display()
		);
	};
	let on_chain_hex = format!("0x{}", hex::encode(on_chain.0));
	candidates.into_iter().rev().find(|r| r.commitment == on_chain_hex).with_context(|| {
		format!(
			"no report saved in {} for {job} matches the commitment on chain ({on_chain_hex})",
			file.path().display()
		)
	})
}

/// The reveal's result from its events, in the terms of [`Revealed::result`].
struct RevealEvents {
	result: &'static str,
	final_outcome: Option<FinalOutcome>,
	slashed: Option<u128>,
}

fn read_reveal_events(events: &crate::chain::Events, evaluator: &AccountId32) -> Result<RevealEvents> {
	use runtime::merit_scoring::events as ev;
	let mut read = RevealEvents { result: "no quorum yet", final_outcome: None, slashed: None };
	if let Some(done) = events.find_first::<ev::ScoreFinalized>().transpose()? {
		read.result = "made final";
		read.final_outcome = Some(FinalOutcome::Scored(Score::from_parts(done.score.0)));
	} else if let Some(failed) = events.find_first::<ev::SubmissionFailed>().transpose()? {
		read.result = "made final";
		read.final_outcome = Some(FinalOutcome::Failed(Failure::from_runtime(&failed.reason)));
	} else if let Some(upheld) = events.find_first::<ev::DisputeUpheld>().transpose()? {
		read.result = "dispute upheld";
		read.final_outcome = Some(FinalOutcome::from_runtime(&upheld.corrected));
	} else if events.find_first::<ev::DisputeRejected>().transpose()?.is_some() {
		read.result = "dispute rejected";
	}
	for disagreed in events.find::<ev::EvaluatorDisagreed>() {
		let disagreed = disagreed?;
		if disagreed.evaluator == *evaluator {
			read.slashed = Some(disagreed.slashed);
		}
	}
	Ok(read)
}

/// Waits (spinner) until the chain's best block reaches the reveals of the round: `reveal_from`
/// moves earlier once every panel member acted. Returns the round; an error after `timeout`.
pub async fn wait_for_reveals(
	chain: &Chain,
	submission: u32,
	stage: Stage,
	round: u32,
	timeout: Option<Duration>,
) -> Result<Job> {
	let job_text = job_name(submission, stage, round);
	let spinner = crate::progress::spinner(format!("waiting for the reveals of {job_text} to open"));
	let mut last = (0, 0);
	let found = chain
		.each_block(timeout, async |_| {
			let current = job(&chain.at_finalized().await?, submission, stage)
				.await?
				.with_context(|| format!("the round of {job_text} is gone"))?;
			let best = chain.best_number().await?;
			if best >= current.reveal_from || current.round != round {
				return Ok(Some(current));
			}
			last = (current.reveal_from, best);
			spinner.set_message(format!("{job_text}: reveals open at block {}, now block {best}", current.reveal_from));
			Ok(None)
		})
		.await;
	spinner.finish_and_clear();
	found?.with_context(|| {
		format!(
			"the reveals of {job_text} are still closed after {} s: they open at block {} (the chain is at block {}), \
			 once every panel member sealed a report or abstained, or after the commit period",
			timeout.unwrap_or_default().as_secs(),
			last.0,
			last.1
		)
	})
}

/// Reveals the signer's saved report on `submission` at `stage` in the current round; with `wait`
/// (and its timeout) first waits until reveals open.
pub async fn reveal(
	chain: &Chain,
	signer: &Keypair,
	submission: u32,
	stage: Stage,
	file: &ReportFile,
	wait: Option<Option<Duration>>,
) -> Result<Revealed> {
	let key = account_of(signer);
	let genesis = chain.genesis_hex();
	let at = chain.at_finalized().await?;
	let evaluator = evaluator_of(&at, &key).await?;
	let Some(mut current) = job(&at, submission, stage).await? else {
		bail!(
			"no round of submission {submission} at the {} stage has begun (MeritScoring::Jobs has none): nothing to \
			 reveal",
			stage.name()
		);
	};
	let round = current.round;
	let saved = file.load()?;
	let on_chain = |job: &Job| job.commits.0.iter().find(|(e, _)| *e == evaluator).map(|(_, c)| *c);
	pick_saved(&saved, &genesis, (submission, stage, round), &evaluator, on_chain(&current).as_ref(), file)?;
	if let Some(wait) = wait {
		current = wait_for_reveals(chain, submission, stage, round, wait).await?;
		if current.round != round {
			bail!(
				"{} ended while waiting (round {} began): the sealed report can no longer be revealed",
				job_name(submission, stage, round),
				current.round
			);
		}
	} else {
		let best = chain.best_number().await?;
		if best + 1 < current.reveal_from {
			bail!(
				"the reveals of {} open at block {}, and the chain is at block {best}: run this again then, or with \
				 --wait",
				job_name(submission, stage, round),
				current.reveal_from
			);
		}
	}
	if current.reveals.0.iter().any(|(e, _)| *e == evaluator) {
		bail!("evaluator {evaluator} already revealed its report on {}", job_name(submission, stage, round));
	}
	let entry =
		pick_saved(&saved, &genesis, (submission, stage, round), &evaluator, on_chain(&current).as_ref(), file)?;
	let outcome = outcome_from_saved(&entry.outcome)?;
	let salt: [u8; 32] = hex::decode(&entry.salt)
		.ok()
		.and_then(|s| s.try_into().ok())
		.with_context(|| format!("the salt saved in {} is not 32 bytes of hex", file.path().display()))?;
	let events = chain
		.submit(
			&runtime::tx().merit_scoring().reveal_report(submission, stage.to_runtime(), outcome.to_runtime(), salt),
			signer,
			&format!("revealing the report of {evaluator} on {}", job_name(submission, stage, round)),
		)
		.await?;
	file.upsert(SavedReport { revealed: true, ..entry.clone() })?;
	let read = read_reveal_events(&events, &evaluator)?;
	let mut revealed = Revealed {
		submission,
		stage,
		round,
		evaluator,
		outcome,
		result: read.result,
		final_outcome: read.final_outcome,
		slashed: read.slashed,
	};
	if revealed.result == "no quorum yet" && stage != Stage::Dispute {
		// Judged against an outcome that was already final.
		if let Some(done) = scoring::final_outcome(chain, submission, stage.subset()).await? {
			revealed.result =
				if revealed.slashed.is_some() || done != revealed.outcome { "disagreed" } else { "agreed" };
			revealed.final_outcome = Some(done);
		}
	} else if revealed.result == "dispute rejected" {
		// The disputed private outcome stands.
		revealed.final_outcome = scoring::final_outcome(chain, submission, stage.subset()).await?;
	}
	Ok(revealed)
}

/// An abstention.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Abstained {
	/// The submission.
	pub submission: u32,
	/// The stage.
	pub stage: Stage,
	/// The round.
	pub round: u32,
	/// The bonded evaluator.
	pub evaluator: AccountId32,
	/// Why.
	pub reason: Abstention,
}

impl Abstained {
	/// One record.
	pub fn table(&self) -> Table {
		Table::record(vec![
			("submission", json!(self.submission)),
			("stage", json!(self.stage.name())),
			("round", json!(self.round)),
			("evaluator", json!(self.evaluator.to_string())),
			("reason", json!(abstain_reason_name(&self.reason.to_runtime()))),
		])
	}
}

/// Records that the signer's evaluator could not evaluate `submission` at `stage` (never slashed).
pub async fn abstain(
	chain: &Chain,
	signer: &Keypair,
	submission: u32,
	stage: Stage,
	reason: Abstention,
) -> Result<Abstained> {
	let evaluator = evaluator_of(&chain.at_finalized().await?, &account_of(signer)).await?;
	let events = chain
		.submit(
			&runtime::tx().merit_scoring().abstain(submission, stage.to_runtime(), reason.to_runtime()),
			signer,
			&format!("abstaining from submission {submission} ({})", stage.name()),
		)
		.await?;
	let event = events
		.find_first::<runtime::merit_scoring::events::Abstained>()
		.context("the chain accepted the abstention but reported no Abstained event")??;
	Ok(Abstained { submission, stage, round: event.round, evaluator, reason })
}

#[cfg(test)]
mod tests {
	use super::*;
	use subxt::ext::codec::Encode;

	fn json_of(table: &Table) -> Value {
		serde_json::from_str(&table.render(crate::output::Format::Json)).unwrap()
	}

	#[test]
	fn outcomes_parse_and_save() {
		let score = report_outcome(Some("0.25"), None).unwrap();
		assert_eq!(score, FinalOutcome::Scored(Score::from_parts(250_000_000_000_000_000)));
		// The digits `merit eval` prints are kept exactly.
		let exact = report_outcome(Some("5.171931285425358231"), None).unwrap();
		assert_eq!(exact, FinalOutcome::Scored(Score::from_parts(5_171_931_285_425_358_231)));
		assert_eq!(
			report_outcome(None, Some(ReportFailure::TooLarge)).unwrap(),
			FinalOutcome::Failed(Failure::TooLarge)
		);
		let error = report_outcome(Some("-1"), None).unwrap_err().to_string();
		assert!(error.contains("`-1` is not a score"), "{error}");
		assert!(report_outcome(Some("abc"), None).is_err());
		assert!(report_outcome(None, None).is_err());
		for outcome in [exact, FinalOutcome::Failed(Failure::TooLarge)] {
			assert_eq!(outcome_from_saved(&outcome_to_saved(&outcome).unwrap()).unwrap(), outcome);
		}
		assert_eq!(outcome_to_saved(&score).unwrap(), "0.250000000000000000");
		assert!(outcome_to_saved(&FinalOutcome::Failed(Failure::Unavailable)).is_err());
		assert!(outcome_from_saved("nonsense").unwrap_err().to_string().contains("damaged"));
	}

	#[test]
	fn commitments_are_the_chains() {
		let evaluator = AccountId32([7; 32]);
		let outcome = FinalOutcome::Scored(Score::from_parts(1_500_000_000_000_000_000));
		let salt = [9u8; 32];
		let c = commitment(3, Stage::Public, 0, &outcome, &salt, &evaluator);
		// merit-primitives' function on its own types, as the pallet calls it.
		let expected = merit_primitives::report_commitment(
			3u32,
			merit_primitives::Stage::Public,
			0u32,
			&merit_primitives::Outcome::Scored(Score::from_parts(1_500_000_000_000_000_000)),
			&salt,
			&[7u8; 32],
		);
		assert_eq!(c.0, expected.0);
		// blake2_256(SCALE((submission, stage, round, outcome, salt, evaluator))), spelled out.
		let mut bytes = 3u32.encode();
		bytes.push(0); // Stage::Public
		bytes.extend(0u32.encode());
		bytes.push(0); // Outcome::Scored
		bytes.extend(1_500_000_000_000_000_000u128.to_le_bytes());
		bytes.extend(salt);
		bytes.extend([7u8; 32]);
		assert_eq!(c.0, sp_hash(&bytes));
		// Every part changes it.
		assert_ne!(commitment(4, Stage::Public, 0, &outcome, &salt, &evaluator), c);
		assert_ne!(commitment(3, Stage::Private, 0, &outcome, &salt, &evaluator), c);
		assert_ne!(commitment(3, Stage::Public, 1, &outcome, &salt, &evaluator), c);
		assert_ne!(commitment(3, Stage::Public, 0, &FinalOutcome::Failed(Failure::TooLarge), &salt, &evaluator), c);
		assert_ne!(commitment(3, Stage::Public, 0, &outcome, &[8; 32], &evaluator), c);
		assert_ne!(commitment(3, Stage::Public, 0, &outcome, &salt, &AccountId32([6; 32])), c);
		let (a, b) = (random_salt().unwrap(), random_salt().unwrap());
		assert_ne!(a, b);
	}

	fn sp_hash(bytes: &[u8]) -> [u8; 32] {
		use subxt::config::{substrate::BlakeTwo256, Hasher};
		BlakeTwo256.hash(bytes).0
	}

	#[test]
	fn saved_reports_are_found_by_their_commitment() {
		let dir = tempfile::tempdir().unwrap();
		let file = ReportFile::new(dir.path());
		let evaluator = AccountId32([7; 32]);
		let report = SavedReport {
			genesis: "aa".into(),
			submission: 3,
			stage: "public".into(),
			round: 0,
			evaluator: evaluator.to_string(),
			key: AccountId32([8; 32]).to_string(),
			outcome: "0.500000000000000000".into(),
			salt: hex::encode([1u8; 32]),
			commitment: format!("0x{}", hex::encode([2u8; 32])),
			revealed: false,
		};
		file.upsert(report.clone()).unwrap();
		let other = SavedReport { commitment: format!("0x{}", hex::encode([5u8; 32])), ..report.clone() };
		file.upsert(other.clone()).unwrap();
		let saved = file.load().unwrap();
		let job = (3, Stage::Public, 0);
		let found = pick_saved(&saved, "aa", job, &evaluator, Some(&H256([2; 32])), &file).unwrap();
		assert_eq!(found, &report);
		let found = pick_saved(&saved, "aa", job, &evaluator, Some(&H256([5; 32])), &file).unwrap();
		assert_eq!(found, &other);
		let missing = pick_saved(&saved, "aa", (3, Stage::Public, 1), &evaluator, None, &file).unwrap_err();
		assert_eq!(
			missing.to_string(),
			format!(
				"no saved report for submission 3 (public, round 1) in {} (of evaluator {evaluator})",
				file.path().display()
			)
		);
		let other_chain = pick_saved(&saved, "bb", job, &evaluator, Some(&H256([2; 32])), &file).unwrap_err();
		assert!(other_chain.to_string().starts_with("no saved report"), "{other_chain}");
		let never_sent = pick_saved(&saved, "aa", job, &evaluator, None, &file).unwrap_err();
		assert!(never_sent.to_string().contains("never included"), "{never_sent}");
		let mismatch = pick_saved(&saved, "aa", job, &evaluator, Some(&H256([9; 32])), &file).unwrap_err();
		assert!(mismatch.to_string().contains("matches the commitment on chain (0x0909"), "{mismatch}");
	}

	#[test]
	fn tables() {
		let evaluator = AccountId32([7; 32]);
		let committed = Committed {
			submission: 3,
			stage: Stage::Public,
			round: 0,
			evaluator: evaluator.clone(),
			outcome: FinalOutcome::Scored(Score::from_parts(250_000_000_000_000_000)),
			commitment: H256([0xab; 32]),
			reveal_from: Some(40),
		};
		let json = json_of(&committed.table());
		assert_eq!(json["evaluator"], json!(evaluator.to_string()));
		assert_eq!((json["stage"].clone(), json["round"].clone()), (json!("public"), json!(0)));
		assert_eq!(json["outcome"], json!("0.250000000000000000"));
		assert_eq!(json["commitment"], json!(format!("0x{}", "ab".repeat(32))));
		assert_eq!(json["reveal_from"], json!(40));
		let revealed = Revealed {
			submission: 3,
			stage: Stage::Public,
			round: 0,
			evaluator: evaluator.clone(),
			outcome: FinalOutcome::Scored(Score::from_parts(250_000_000_000_000_000)),
			result: "disagreed",
			final_outcome: Some(FinalOutcome::Scored(Score::from_parts(1))),
			slashed: Some(10 * crate::units::MERIT),
		};
		let json = json_of(&revealed.table());
		assert_eq!(json["result"], json!("disagreed"));
		assert_eq!(json["final"], json!("0.000000000000000001"));
		assert_eq!(
			(json["slashed"].clone(), json["slashed_planck"].clone()),
			(json!("10 MERIT"), json!("10000000000000"))
		);
		let pending = Revealed { result: "no quorum yet", final_outcome: None, slashed: None, ..revealed };
		let json = json_of(&pending.table());
		assert_eq!((json["final"].clone(), json["slashed"].clone()), (Value::Null, Value::Null));
		let abstained =
			Abstained { submission: 3, stage: Stage::Private, round: 1, evaluator, reason: Abstention::HashMismatch };
		let json = json_of(&abstained.table());
		assert_eq!((json["reason"].clone(), json["round"].clone()), (json!("hash mismatch"), json!(1)));
		assert!(matches!(Abstention::FetchFailed.to_runtime(), AbstainReason::FetchFailed));
		assert!(matches!(Abstention::HashMismatch.to_runtime(), AbstainReason::HashMismatch));
	}
}
