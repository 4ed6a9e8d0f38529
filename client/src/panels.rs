//! `MeritScoring`'s panels and rounds: `merit evaluator panel` (a challenge's drawn evaluators),
//! `merit evaluator jobs` (every submission's round at each stage: who committed, revealed,
//! abstained, when reveals open and the round ends, the final outcome) and `merit evaluator
//! conclude` (`conclude_round`).
//!
//! Reading is split from printing: [`panel`] and [`jobs`] read the chain into plain client types,
//! whose `table` methods are pure (tested without a chain).
use anyhow::{Context, Result};
use serde_json::{json, Value};
use std::time::Duration;
use subxt_signer::sr25519::Keypair;

use crate::{
	chain::{
		runtime,
		runtime_types::pallet_merit_scoring::types::{DrawFor, Job, Panel},
		AccountId32, AtBlock, Chain, H256,
	},
	challenges,
	output::Table,
	scoring::{abstain_reason_name, FinalOutcome, Stage},
	units::format_merit,
};

/// A drawn panel in client types.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PanelInfo {
	/// The drawn evaluators (bonded accounts), in the order of the draw: the quorum, then spares.
	pub members: Vec<AccountId32>,
	/// Identical revealed reports that make an outcome final.
	pub quorum: u32,
	/// The block of the draw.
	pub drawn_at: u32,
	/// The seed the draw used (anyone can replay the draw from it).
	pub seed: H256,
}

impl PanelInfo {
	/// From the runtime's panel.
	pub fn from_runtime(panel: &Panel) -> PanelInfo {
		PanelInfo { members: panel.members.0.clone(), quorum: panel.quorum, drawn_at: panel.drawn_at, seed: panel.seed }
	}

	/// Members beyond the quorum.
	pub fn spares(&self) -> u32 {
		(self.members.len() as u32).saturating_sub(self.quorum)
	}
}

/// A challenge's panel, or when it will be drawn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PanelView {
	/// The challenge.
	pub challenge: u32,
	/// The challenge's quorum.
	pub quorum: u32,
	/// The drawn panel, if drawn.
	pub panel: Option<PanelInfo>,
	/// The block a pending draw is scheduled for (postponed draws are rescheduled).
	pub draw_due: Option<u32>,
}

impl PanelView {
	/// The columns of [`Self::table`], the same whether drawn or not.
	pub const FIELDS: [&'static str; 8] =
		["challenge", "drawn", "quorum", "spares", "members", "drawn_at", "seed", "draw_due"];

	/// One record: `drawn`, the quorum, spares, members (SS58), the draw's block and seed (0x-hex);
	/// `members`, `drawn_at` and `seed` are null until drawn, `draw_due` only then.
	pub fn table(&self) -> Table {
		let p = self.panel.as_ref();
		let values = vec![
			json!(self.challenge),
			json!(p.is_some()),
			json!(p.map_or(self.quorum, |p| p.quorum)),
			p.map_or(Value::Null, |p| json!(p.spares())),
			p.map_or(Value::Null, |p| json!(p.members.iter().map(|m| m.to_string()).collect::<Vec<_>>())),
			p.map_or(Value::Null, |p| json!(p.drawn_at)),
			p.map_or(Value::Null, |p| json!(format!("0x{}", hex::encode(p.seed.0)))),
			json!(self.draw_due),
		];
		Table::record(Self::FIELDS.iter().copied().zip(values).collect())
	}

	/// What to say when the panel is not drawn yet (`None` once it is).
	pub fn note(&self) -> Option<String> {
		if self.panel.is_some() {
			return None;
		}
		let challenge = self.challenge;
		Some(match self.draw_due {
			Some(block) => format!(
				"the panel of challenge {challenge} is not drawn yet: the draw is due at block {block} (a draw waits \
				 for {} eligible evaluators and is retried later while there are fewer)",
				self.quorum
			),
			None => format!(
				"the panel of challenge {challenge} is not drawn yet, and no draw is scheduled (is the challenge still \
				 open?)"
			),
		})
	}
}

/// Reads a challenge's panel (an unknown challenge is an error).
pub async fn panel(chain: &Chain, challenge: u32) -> Result<PanelView> {
	let info = challenges::get(chain, challenge).await?;
	let at = chain.at_finalized().await?;
	let storage = runtime::storage().merit_scoring();
	let panel = match at.storage().try_fetch(storage.panels(), (challenge,)).await? {
		Some(panel) => Some(PanelInfo::from_runtime(&panel.decode()?)),
		None => None,
	};
	let draw_due = match panel {
		Some(_) => None,
		None => draw_due(&at, DrawFor::Challenge(challenge)).await?,
	};
	Ok(PanelView { challenge, quorum: info.spec.quorum, panel, draw_due })
}

/// The block a draw is scheduled for, if it is (`MeritScoring::DrawsDue`).
pub async fn draw_due(at: &AtBlock, draw: DrawFor) -> Result<Option<u32>> {
	let mut entries = at.storage().iter(runtime::storage().merit_scoring().draws_due(), ()).await?;
	let mut due = None;
	while let Some(entry) = entries.next().await {
		let entry = entry?;
		let draws = entry.value().decode()?;
		if draws.0.iter().any(|d| same_draw(d, &draw)) {
			let (block,) = entry.key()?.decode()?;
			due = Some(due.map_or(block, |b: u32| b.min(block)));
		}
	}
	Ok(due)
}

fn same_draw(a: &DrawFor, b: &DrawFor) -> bool {
	match (a, b) {
		(DrawFor::Challenge(a), DrawFor::Challenge(b)) | (DrawFor::Dispute(a), DrawFor::Dispute(b)) => a == b,
		_ => false,
	}
}

/// Polls [`panel`] at every new finalized block (spinner) until the panel is drawn; an error after
/// `timeout`.
pub async fn wait_for_panel(chain: &Chain, challenge: u32, timeout: Option<Duration>) -> Result<PanelView> {
	let spinner = crate::progress::spinner(format!("waiting for the panel of challenge {challenge} to be drawn"));
	let mut quorum = 0;
	let found = chain
		.each_block(timeout, async |block| {
			let view = panel(chain, challenge).await?;
			if view.panel.is_some() {
				return Ok(Some(view));
			}
			quorum = view.quorum;
			let due = view.draw_due.map(|b| format!(", due at block {b}")).unwrap_or_default();
			spinner.set_message(format!("challenge {challenge}: no panel at block {block}{due}"));
			Ok(None)
		})
		.await;
	spinner.finish_and_clear();
	found?.with_context(|| {
		format!(
			"the panel of challenge {challenge} is still not drawn after {} s (are at least {quorum} evaluators bonded \
			 and past their warm-up?)",
			timeout.unwrap_or_default().as_secs(),
		)
	})
}

/// One round of a submission's evaluation at one stage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Round {
	/// Counts from 0.
	pub round: u32,
	/// The block it began.
	pub opened_at: u32,
	/// The first block reveals are accepted (and no commitment is).
	pub reveal_from: u32,
	/// The first block after the reveal period: from then on anyone may conclude the round.
	pub round_end: u32,
	/// Who sealed a report.
	pub commits: Vec<AccountId32>,
	/// Who revealed what.
	pub reveals: Vec<(AccountId32, FinalOutcome)>,
	/// Who abstained, and why (as printed).
	pub abstentions: Vec<(AccountId32, String)>,
}

impl Round {
	/// From the runtime's job and the reveal period.
	pub fn from_runtime(job: &Job, reveal_period: u32) -> Round {
		Round {
			round: job.round,
			opened_at: job.opened_at,
			reveal_from: job.reveal_from,
			round_end: job.reveal_from.saturating_add(reveal_period),
			commits: job.commits.0.iter().map(|(e, _)| e.clone()).collect(),
			reveals: job.reveals.0.iter().map(|(e, o)| (e.clone(), FinalOutcome::from_runtime(o))).collect(),
			abstentions: job
				.abstentions
				.0
				.iter()
				.map(|(e, r)| (e.clone(), abstain_reason_name(r).to_string()))
				.collect(),
		}
	}

	/// What `evaluator` did in this round at block `now`, and its report (outcome or reason).
	pub fn status(&self, evaluator: &AccountId32, now: u32) -> (&'static str, Option<String>) {
		if let Some((_, outcome)) = self.reveals.iter().find(|(e, _)| e == evaluator) {
			return ("revealed", Some(outcome.text()));
		}
		if let Some((_, reason)) = self.abstentions.iter().find(|(e, _)| e == evaluator) {
			return ("abstained", Some(reason.clone()));
		}
		if self.commits.contains(evaluator) {
			return (if now >= self.round_end { "missed (never revealed)" } else { "committed (sealed)" }, None);
		}
		(if now >= self.reveal_from { "no report" } else { "pending" }, None)
	}
}

/// A submission's evaluation at one stage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StageJob {
	/// The submission.
	pub submission: u32,
	/// Its author (never one of its evaluators).
	pub author: AccountId32,
	/// Which evaluation.
	pub stage: Stage,
	/// Whether its predictions are revealed (sealed commitments and duplicates are not evaluated).
	pub revealed: bool,
	/// The panel that evaluates this stage (the challenge's, or the dispute's), empty if not drawn.
	pub members: Vec<AccountId32>,
	/// The current round, once one began.
	pub round: Option<Round>,
	/// The final outcome of the stage's subset and the block it became final.
	pub final_outcome: Option<(FinalOutcome, u32)>,
}

/// Every submission's rounds of a challenge, at one finalized block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Jobs {
	/// The challenge.
	pub challenge: u32,
	/// The finalized block read.
	pub now: u32,
	/// One entry per submission and stage.
	pub jobs: Vec<StageJob>,
}

impl Jobs {
	/// The columns of [`Self::table`].
	pub const COLUMNS: [&'static str; 11] = [
		"submission",
		"stage",
		"round",
		"evaluator",
		"status",
		"report",
		"opened_at",
		"reveal_from",
		"round_end",
		"final",
		"finalized_at",
	];

	/// One row per panel member (or evaluator that acted) of each submission's current round:
	/// `status` is revealed, abstained, committed (sealed), missed (never revealed), pending (may
	/// still commit), no report (reveals opened without one) or author (excluded); `report` the
	/// revealed outcome or the reason for abstaining. A submission with no round at a stage has
	/// one row: not revealed, final, panel not drawn or not started. Blocks are block numbers.
	pub fn table(&self) -> Table {
		let mut table = Table::new(&Self::COLUMNS);
		for job in &self.jobs {
			let (final_text, final_at) = match &job.final_outcome {
				Some((outcome, at)) => (json!(outcome.text()), json!(at)),
				None => (Value::Null, Value::Null),
			};
			let head = [json!(job.submission), json!(job.stage.name())];
			let Some(round) = job.round.as_ref().filter(|_| job.revealed) else {
				let status = if !job.revealed {
					"not revealed"
				} else if job.final_outcome.is_some() {
					"final"
				} else if job.members.is_empty() {
					"panel not drawn"
				} else {
					"not started"
				};
				let mut row = head.to_vec();
				row.extend([
					Value::Null,
					Value::Null,
					json!(status),
					Value::Null,
					Value::Null,
					Value::Null,
					Value::Null,
				]);
				row.extend([final_text, final_at]);
				table.push(row);
				continue;
			};
			let mut evaluators = job.members.clone();
			for acted in round
				.commits
				.iter()
				.chain(round.reveals.iter().map(|(e, _)| e))
				.chain(round.abstentions.iter().map(|(e, _)| e))
			{
				if !evaluators.contains(acted) {
					evaluators.push(acted.clone());
				}
			}
			for evaluator in evaluators {
				let (status, report) = if evaluator == job.author {
					("author (excluded)", None)
				} else {
					round.status(&evaluator, self.now)
				};
				let mut row = head.to_vec();
				row.extend([
					json!(round.round),
					json!(evaluator.to_string()),
					json!(status),
					json!(report),
					json!(round.opened_at),
					json!(round.reveal_from),
					json!(round.round_end),
				]);
				row.extend([final_text.clone(), final_at.clone()]);
				table.push(row);
			}
		}
		table
	}

	/// Rounds past their reveal period with no final outcome: `(submission, stage)`; anyone may
	/// conclude them.
	pub fn concludable(&self) -> Vec<(u32, Stage)> {
		self.jobs
			.iter()
			.filter(|j| j.final_outcome.is_none() || j.stage == Stage::Dispute)
			.filter(|j| j.round.as_ref().is_some_and(|r| self.now >= r.round_end))
			.map(|j| (j.submission, j.stage))
			.collect()
	}

	/// The note printed after the table: the block read, and the rounds anyone may conclude.
	pub fn note(&self) -> String {
		let mut note = format!("challenge {}, at finalized block {}", self.challenge, self.now);
		let due = self.concludable();
		if !due.is_empty() {
			let list: Vec<String> = due.iter().map(|(s, stage)| format!("{s} ({})", stage.name())).collect();
			note.push_str(&format!(
				"; rounds past their end without a final outcome: {} (anyone may run `merit evaluator conclude \
				 SUBMISSION --stage STAGE`)",
				list.join(", ")
			));
		}
		note
	}
}

/// Reads the rounds of every submission of a challenge at `stage`; without a stage, the public and
/// private ones and any dispute's recount. A dispute stage lists only disputed submissions.
pub async fn jobs(chain: &Chain, challenge: u32, stage: Option<Stage>) -> Result<Jobs> {
	let info = challenges::get(chain, challenge).await?;
	let at = chain.at_finalized().await?;
	let now = at.block_number() as u32;
	let reveal_period = at.constants().entry(runtime::constants().merit_scoring().reveal_period())?;
	let storage = runtime::storage().merit_scoring();
	let panel = match at.storage().try_fetch(storage.panels(), (challenge,)).await? {
		Some(panel) => panel.decode()?.members.0,
		None => Vec::new(),
	};
	let stages: Vec<Stage> = match stage {
		Some(stage) => vec![stage],
		None => Stage::ALL.to_vec(),
	};
	let mut jobs = Vec::new();
	for &submission in &info.submissions {
		let record = challenges::submission(chain, submission).await?;
		let dispute = match at.storage().try_fetch(storage.disputes(), (submission,)).await? {
			Some(dispute) => Some(dispute.decode()?),
			None => None,
		};
		for &stage in &stages {
			let job = match at.storage().try_fetch(storage.jobs(), (submission, stage.to_runtime())).await? {
				Some(job) => Some(Round::from_runtime(&job.decode()?, reveal_period)),
				None => None,
			};
			let members = match stage {
				Stage::Dispute => {
					if dispute.is_none() && job.is_none() {
						continue;
					}
					dispute.as_ref().and_then(|d| d.panel.as_ref()).map(|p| p.members.0.clone()).unwrap_or_default()
				}
				_ => panel.clone(),
			};
			let subset = crate::scoring::subset_to_runtime(stage.subset());
			let final_outcome = match stage {
				// A recount has no final outcome of its own until it settles the dispute.
				Stage::Dispute => None,
				_ => match at.storage().try_fetch(storage.final_outcomes(), (submission, subset)).await? {
					Some(done) => {
						let done = done.decode()?;
						Some((FinalOutcome::from_runtime(&done.outcome), done.finalized_at))
					}
					None => None,
				},
			};
			jobs.push(StageJob {
				submission,
				author: record.author().clone(),
				stage,
				revealed: record.revealed_digest().is_some(),
				members,
				round: job,
				final_outcome,
			});
		}
	}
	Ok(Jobs { challenge, now, jobs })
}

/// What `conclude_round` did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Concluded {
	/// The submission.
	pub submission: u32,
	/// The stage.
	pub stage: Stage,
	/// What happened: `unavailable`, `next round` or `dispute lapsed`.
	pub result: &'static str,
	/// The round that ended (a next round began).
	pub ended_round: Option<u32>,
	/// Who committed in the ended round and never revealed.
	pub missed: Vec<AccountId32>,
	/// The bond returned to the disputer of a lapsed dispute.
	pub returned: Option<u128>,
}

impl Concluded {
	/// One record.
	pub fn table(&self) -> Table {
		Table::record(vec![
			("submission", json!(self.submission)),
			("stage", json!(self.stage.name())),
			("result", json!(self.result)),
			("ended_round", json!(self.ended_round)),
			("missed", json!(self.missed.iter().map(|m| m.to_string()).collect::<Vec<_>>())),
			("returned", json!(self.returned.map(format_merit))),
			("returned_planck", json!(self.returned.map(|r| r.to_string()))),
		])
	}
}

/// Ends a round whose reveal period is over (`MeritScoring.conclude_round`, signed by anyone): the
/// submission becomes unavailable, the next round begins, or a dispute lapses.
pub async fn conclude(chain: &Chain, signer: &Keypair, submission: u32, stage: Stage) -> Result<Concluded> {
	let events = chain
		.submit(
			&runtime::tx().merit_scoring().conclude_round(submission, stage.to_runtime()),
			signer,
			&format!("concluding the {} round of submission {submission}", stage.name()),
		)
		.await?;
	let mut concluded =
		Concluded { submission, stage, result: "concluded", ended_round: None, missed: Vec::new(), returned: None };
	if let Some(ended) = events.find_first::<runtime::merit_scoring::events::RoundEnded>().transpose()? {
		concluded.result = "next round";
		concluded.ended_round = Some(ended.round);
		concluded.missed = ended.missed;
	} else if let Some(lapsed) = events.find_first::<runtime::merit_scoring::events::DisputeLapsed>().transpose()? {
		concluded.result = "dispute lapsed";
		concluded.returned = Some(lapsed.returned);
	} else if events.find_first::<runtime::merit_scoring::events::SubmissionFailed>().transpose()?.is_some() {
		concluded.result = "unavailable";
	}
	Ok(concluded)
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::{output::Format, scoring::Failure};
	use merit_metrics::Score;

	fn account(n: u8) -> AccountId32 {
		AccountId32([n; 32])
	}

	fn json_of(table: &Table) -> Value {
		serde_json::from_str(&table.render(Format::Json)).unwrap()
	}

	#[test]
	fn panel_drawn_or_not() {
		let drawn = PanelView {
			challenge: 4,
			quorum: 3,
			panel: Some(PanelInfo {
				members: vec![account(1), account(2), account(3), account(4), account(5)],
				quorum: 3,
				drawn_at: 12,
				seed: H256([0xab; 32]),
			}),
			draw_due: None,
		};
		let json = json_of(&drawn.table());
		assert_eq!(json["drawn"], json!(true));
		assert_eq!(
			(json["quorum"].clone(), json["spares"].clone(), json["drawn_at"].clone()),
			(json!(3), json!(2), json!(12))
		);
		assert_eq!(json["members"][0], json!(account(1).to_string()));
		assert_eq!(json["members"].as_array().unwrap().len(), 5);
		assert_eq!(json["seed"], json!(format!("0x{}", "ab".repeat(32))));
		assert_eq!(json["draw_due"], Value::Null);
		assert_eq!(drawn.note(), None);
		let text = drawn.table().render(Format::Table);
		assert!(text.contains(&format!("members    {} {}", account(1), account(2))), "{text}");

		let waiting = PanelView { challenge: 4, quorum: 3, panel: None, draw_due: Some(9) };
		let json = json_of(&waiting.table());
		assert_eq!(
			(json["drawn"].clone(), json["quorum"].clone(), json["draw_due"].clone()),
			(json!(false), json!(3), json!(9))
		);
		assert_eq!((json["members"].clone(), json["seed"].clone()), (Value::Null, Value::Null));
		let note = waiting.note().unwrap();
		assert!(note.contains("not drawn yet") && note.contains("block 9") && note.contains("3 eligible"), "{note}");
		// The same columns either way, so CSV from a script always has them.
		let header = |view: &PanelView| view.table().render(Format::Csv).lines().next().unwrap().to_string();
		assert_eq!(header(&drawn), header(&waiting));
		assert_eq!(header(&drawn), PanelView::FIELDS.join(","));
		let unscheduled = PanelView { draw_due: None, ..waiting };
		assert!(unscheduled.note().unwrap().contains("no draw is scheduled"));
	}

	fn round() -> Round {
		Round {
			round: 1,
			opened_at: 100,
			reveal_from: 110,
			round_end: 130,
			commits: vec![account(1), account(2), account(3)],
			reveals: vec![
				(account(1), FinalOutcome::Scored(Score::from_parts(500_000_000_000_000_000))),
				(account(2), FinalOutcome::Failed(Failure::TooLarge)),
			],
			abstentions: vec![(account(4), "fetch failed".into())],
		}
	}

	#[test]
	fn rounds_per_evaluator() {
		let r = round();
		assert_eq!(r.status(&account(1), 120), ("revealed", Some("0.500000000000000000".into())));
		assert_eq!(r.status(&account(4), 120), ("abstained", Some("fetch failed".into())));
		assert_eq!(r.status(&account(3), 120).0, "committed (sealed)");
		assert_eq!(r.status(&account(3), 130).0, "missed (never revealed)");
		assert_eq!(r.status(&account(6), 105).0, "pending");
		assert_eq!(r.status(&account(6), 110).0, "no report");
	}

	#[test]
	fn jobs_table() {
		let members = vec![account(1), account(2), account(3), account(4), account(9)];
		let jobs = Jobs {
			challenge: 2,
			now: 131,
			jobs: vec![
				StageJob {
					submission: 7,
					author: account(9),
					stage: Stage::Public,
					revealed: true,
					members: members.clone(),
					round: Some(round()),
					final_outcome: None,
				},
				StageJob {
					submission: 8,
					author: account(8),
					stage: Stage::Public,
					revealed: true,
					members: members.clone(),
					round: None,
					final_outcome: Some((FinalOutcome::Failed(Failure::Unavailable), 90)),
				},
				StageJob {
					submission: 8,
					author: account(8),
					stage: Stage::Private,
					revealed: true,
					members: members.clone(),
					round: None,
					final_outcome: None,
				},
				StageJob {
					submission: 9,
					author: account(8),
					stage: Stage::Public,
					revealed: false,
					members,
					round: None,
					final_outcome: None,
				},
			],
		};
		let table = jobs.table();
		assert_eq!(table.columns, Jobs::COLUMNS.map(String::from).to_vec());
		let json = json_of(&table);
		let rows = json.as_array().unwrap();
		// Submission 7: one row per panel member, its author excluded.
		assert_eq!(rows.len(), 5 + 3);
		let statuses: Vec<&str> = rows[..5].iter().map(|r| r["status"].as_str().unwrap()).collect();
		assert_eq!(statuses, ["revealed", "revealed", "missed (never revealed)", "abstained", "author (excluded)"]);
		assert_eq!(rows[0]["evaluator"], json!(account(1).to_string()));
		assert_eq!(rows[0]["report"], json!("0.500000000000000000"));
		assert_eq!(rows[1]["report"], json!("failed: too large (above the largest predictions file evaluators fetch)"));
		assert_eq!(rows[3]["report"], json!("fetch failed"));
		assert_eq!(
			(rows[0]["round"].clone(), rows[0]["reveal_from"].clone(), rows[0]["round_end"].clone()),
			(json!(1), json!(110), json!(130))
		);
		assert_eq!(rows[0]["stage"], json!("public"));
		assert_eq!(rows[0]["final"], Value::Null);
		// Submissions without a round: final, not started, not revealed.
		assert_eq!(
			(rows[5]["status"].clone(), rows[5]["final"].clone(), rows[5]["finalized_at"].clone()),
			(json!("final"), json!("failed: unavailable (too few evaluators could fetch it)"), json!(90))
		);
		assert_eq!(
			(rows[6]["stage"].clone(), rows[6]["status"].clone(), rows[6]["round"].clone()),
			(json!("private"), json!("not started"), Value::Null)
		);
		assert_eq!(rows[7]["status"], json!("not revealed"));
		let undrawn = Jobs {
			challenge: 2,
			now: 5,
			jobs: vec![StageJob { members: vec![], stage: Stage::Dispute, ..jobs.jobs[2].clone() }],
		};
		assert_eq!(json_of(&undrawn.table())[0]["status"], json!("panel not drawn"));
		// Exact CSV: one line per row, the header first.
		let csv = table.render(Format::Csv);
		assert_eq!(csv.lines().count(), 1 + 8);
		assert!(csv.lines().next().unwrap().starts_with("submission,stage,round,evaluator,status,report"));
		// Submission 7's round ended at block 130 without a final outcome: anyone may conclude it.
		assert_eq!(jobs.concludable(), vec![(7, Stage::Public)]);
		let note = jobs.note();
		assert!(
			note.contains("block 131") && note.contains("7 (public)") && note.contains("merit evaluator conclude"),
			"{note}"
		);
		let earlier = Jobs { now: 129, ..jobs };
		assert!(earlier.concludable().is_empty());
		assert!(!earlier.note().contains("conclude"));
	}

	#[test]
	fn concluded_rounds() {
		let next = Concluded {
			submission: 3,
			stage: Stage::Private,
			result: "next round",
			ended_round: Some(0),
			missed: vec![account(2)],
			returned: None,
		};
		let json = json_of(&next.table());
		assert_eq!(json["result"], json!("next round"));
		assert_eq!(json["stage"], json!("private"));
		assert_eq!(json["missed"], json!([account(2).to_string()]));
		assert_eq!((json["returned"].clone(), json["returned_planck"].clone()), (Value::Null, Value::Null));
		let lapsed = Concluded {
			stage: Stage::Dispute,
			result: "dispute lapsed",
			ended_round: None,
			missed: vec![],
			returned: Some(50 * crate::units::MERIT),
			..next
		};
		let json = json_of(&lapsed.table());
		assert_eq!(
			(json["returned"].clone(), json["returned_planck"].clone()),
			(json!("50 MERIT"), json!("50000000000000"))
		);
	}
}
