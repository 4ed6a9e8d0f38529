//! Disputes of final private scores (`MeritScoring.dispute`, `MeritScoring::Disputes`) and the
//! wait before a challenge can be paid out: `merit dispute`, `merit disputes` and `merit challenge
//! finalize --wait-disputes`.
//!
//! A final private score can be disputed for `DisputeWindow` blocks; the prizes wait until no
//! private score of the challenge is disputed or young enough to be ([`readiness`], pure, mirrors
//! the checks of `MeritRewards.finalize`).
use anyhow::{bail, Context, Result};
use serde_json::{json, Value};
use std::time::Duration;
use subxt_signer::sr25519::Keypair;

use crate::{
	chain::{
		runtime,
		runtime_types::{merit_primitives::challenges::ChallengeState, pallet_merit_scoring::types::DrawFor},
		AccountId32, Chain,
	},
	challenges,
	output::Table,
	panels::{self, PanelInfo},
	scoring::{subset_to_runtime, Failure, FinalOutcome},
	units::format_merit,
};

/// An open dispute in client types.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisputeInfo {
	/// The disputed submission.
	pub submission: u32,
	/// Its challenge.
	pub challenge: u32,
	/// Who disputed; its bond is held.
	pub disputer: AccountId32,
	/// The bond held, in the smallest unit.
	pub bond: u128,
	/// The block of the dispute.
	pub opened_at: u32,
	/// The private outcome being disputed.
	pub disputed: FinalOutcome,
	/// The recounting panel, once drawn.
	pub panel: Option<PanelInfo>,
	/// Until then, the block its draw is scheduled for (a draw short of eligible evaluators, none
	/// of the disputed quorum, the author or the disputer, is retried later).
	pub draw_due: Option<u32>,
	/// From this block, anyone may conclude the dispute as lapsed (bond returned) if no recount
	/// settled it: `opened_at + DrawDelay + DisputeResolutionPeriod`.
	pub lapses_at: u32,
}

impl DisputeInfo {
	/// The fields of one dispute, as `(name, value)` pairs.
	fn fields(&self) -> Vec<(&'static str, Value)> {
		let p = self.panel.as_ref();
		vec![
			("submission", json!(self.submission)),
			("challenge", json!(self.challenge)),
			("disputer", json!(self.disputer.to_string())),
			("bond", json!(format_merit(self.bond))),
			("bond_planck", json!(self.bond.to_string())),
			("disputed", json!(self.disputed.text())),
			("opened_at", json!(self.opened_at)),
			("lapses_at", json!(self.lapses_at)),
			("panel_drawn", json!(p.is_some())),
			("quorum", p.map_or(Value::Null, |p| json!(p.quorum))),
			("members", p.map_or(Value::Null, |p| json!(p.members.iter().map(|m| m.to_string()).collect::<Vec<_>>()))),
			("drawn_at", p.map_or(Value::Null, |p| json!(p.drawn_at))),
			("draw_due", json!(self.draw_due)),
		]
	}

	/// One dispute as a record.
	pub fn table(&self) -> Table {
		Table::record(self.fields())
	}
}

/// Disputes as rows (the columns of [`DisputeInfo::table`]); `(none)` when there are none.
pub fn disputes_table(disputes: &[DisputeInfo]) -> Table {
	let template = DisputeInfo {
		submission: 0,
		challenge: 0,
		disputer: AccountId32([0; 32]),
		bond: 0,
		opened_at: 0,
		disputed: FinalOutcome::Failed(Failure::Unavailable),
		panel: None,
		draw_due: None,
		lapses_at: 0,
	};
	let columns: Vec<&str> = template.fields().into_iter().map(|(name, _)| name).collect();
	let mut table = Table::new(&columns);
	for dispute in disputes {
		table.push(dispute.fields().into_iter().map(|(_, value)| value).collect());
	}
	table
}

/// The open dispute of a submission, if any.
pub async fn get(chain: &Chain, submission: u32) -> Result<Option<DisputeInfo>> {
	let at = chain.at_finalized().await?;
	let constants = runtime::constants().merit_scoring();
	let delay = at.constants().entry(constants.draw_delay())?;
	let resolution = at.constants().entry(constants.dispute_resolution_period())?;
	let Some(dispute) = at.storage().try_fetch(runtime::storage().merit_scoring().disputes(), (submission,)).await?
	else {
		return Ok(None);
	};
	let dispute = dispute.decode()?;
	let challenge = challenges::submission(chain, submission).await?.record.challenge;
	let draw_due = match dispute.panel {
		Some(_) => None,
		None => panels::draw_due(&at, DrawFor::Dispute(submission)).await?,
	};
	Ok(Some(DisputeInfo {
		submission,
		challenge,
		draw_due,
		disputer: dispute.disputer,
		bond: dispute.bond,
		opened_at: dispute.opened_at,
		disputed: FinalOutcome::from_runtime(&dispute.disputed),
		panel: dispute.panel.as_ref().map(PanelInfo::from_runtime),
		lapses_at: dispute.opened_at.saturating_add(delay).saturating_add(resolution),
	}))
}

/// The open disputes of a challenge's submissions, in order of submission.
pub async fn list(chain: &Chain, challenge: u32) -> Result<Vec<DisputeInfo>> {
	let info = challenges::get(chain, challenge).await?;
	let mut disputes = Vec::new();
	for &submission in &info.submissions {
		if let Some(dispute) = get(chain, submission).await? {
			disputes.push(dispute);
		}
	}
	Ok(disputes)
}

/// Disputes a final private score (`MeritScoring.dispute`), holding the dispute bond from the
/// signer; returns the dispute as stored.
pub async fn open(chain: &Chain, signer: &Keypair, submission: u32) -> Result<DisputeInfo> {
	let events = chain
		.submit(
			&runtime::tx().merit_scoring().dispute(submission),
			signer,
			&format!("disputing the private score of submission {submission}"),
		)
		.await?;
	let event = events
		.find_first::<runtime::merit_scoring::events::Disputed>()
		.context("the chain accepted the dispute but reported no Disputed event")??;
	match get(chain, submission).await? {
		Some(dispute) => Ok(dispute),
		// Settled already (a recount cannot be this fast, but the chain decides): the event says
		// what was held.
		None => bail!(
			"the dispute of submission {submission} ({} held) is no longer open: see `merit evaluator jobs`",
			format_merit(event.bond)
		),
	}
}

/// Where one submission stands for the payout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PrivateState {
	/// The submission.
	pub submission: u32,
	/// Whether its predictions are revealed (only those are scored).
	pub revealed: bool,
	/// Its final private outcome: whether it is `Unavailable` (never disputable), and the block
	/// it became final.
	pub final_at: Option<(bool, u32)>,
	/// Whether a dispute of it is open.
	pub disputed: bool,
}

/// Whether a challenge can be finalized at a block, as `MeritRewards.finalize` decides.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Readiness {
	/// No private score can still be disputed and every revealed submission has one (or the
	/// grace period is over).
	Ready,
	/// What the payout waits for.
	Waiting {
		/// Submissions with an open dispute.
		disputed: Vec<u32>,
		/// Submissions whose dispute window is open, and the block it closes.
		windows: Vec<(u32, u32)>,
		/// Revealed submissions without a final private score.
		pending: Vec<u32>,
	},
}

impl Readiness {
	/// Whether `finalize` would pass these checks.
	pub fn is_ready(&self) -> bool {
		*self == Readiness::Ready
	}

	/// What it waits for, as a sentence (empty when ready).
	pub fn describe(&self) -> String {
		let Readiness::Waiting { disputed, windows, pending } = self else { return String::new() };
		let ids = |ids: &mut dyn Iterator<Item = u32>| ids.map(|i| i.to_string()).collect::<Vec<_>>().join(", ");
		let mut parts = Vec::new();
		if !disputed.is_empty() {
			parts.push(format!("open disputes on submissions {}", ids(&mut disputed.iter().copied())));
		}
		if let Some(last) = windows.iter().map(|(_, close)| *close).max() {
			parts.push(format!(
				"dispute windows of submissions {} (the last closes at block {last})",
				ids(&mut windows.iter().map(|(s, _)| *s))
			));
		}
		if !pending.is_empty() {
			parts.push(format!("private scores of submissions {}", ids(&mut pending.iter().copied())));
		}
		parts.join("; ")
	}
}

/// Whether a transaction included at block `next` would pass `finalize`'s dispute and
/// pending-score checks: no open dispute, no final private score younger than `window` blocks
/// (an unavailable submission is never disputable), and unless `grace_over` a final private
/// score for every revealed submission.
pub fn readiness(states: &[PrivateState], next: u32, window: u32, grace_over: bool) -> Readiness {
	let disputed: Vec<u32> = states.iter().filter(|s| s.disputed).map(|s| s.submission).collect();
	let windows: Vec<(u32, u32)> = states
		.iter()
		.filter(|s| !s.disputed)
		.filter_map(|s| match s.final_at {
			Some((false, at)) if next < at.saturating_add(window) => Some((s.submission, at.saturating_add(window))),
			_ => None,
		})
		.collect();
	let pending: Vec<u32> = if grace_over {
		Vec::new()
	} else {
		states.iter().filter(|s| s.revealed && s.final_at.is_none()).map(|s| s.submission).collect()
	};
	if disputed.is_empty() && windows.is_empty() && pending.is_empty() {
		Readiness::Ready
	} else {
		Readiness::Waiting { disputed, windows, pending }
	}
}

/// Reads what `finalize` checks for a challenge at the latest finalized block; `None` when the
/// challenge is not in the state where waiting helps (labels revealed): `finalize` reports why.
pub async fn challenge_readiness(chain: &Chain, challenge: u32) -> Result<Option<(u32, Readiness)>> {
	let info = challenges::get(chain, challenge).await?;
	if !matches!(info.status.state, ChallengeState::LabelsRevealed) {
		return Ok(None);
	}
	let at = chain.at_finalized().await?;
	let now = at.block_number() as u32;
	let window = at.constants().entry(runtime::constants().merit_scoring().dispute_window())?;
	let grace = at.constants().entry(runtime::constants().merit_rewards().scoring_grace_period())?;
	let storage = runtime::storage().merit_scoring();
	let mut states = Vec::new();
	for &submission in &info.submissions {
		let record = challenges::submission(chain, submission).await?;
		let final_at = match at
			.storage()
			.try_fetch(storage.final_outcomes(), (submission, subset_to_runtime(merit_metrics::Subset::Private)))
			.await?
		{
			Some(done) => {
				let done = done.decode()?;
				let unavailable =
					matches!(FinalOutcome::from_runtime(&done.outcome), FinalOutcome::Failed(Failure::Unavailable));
				Some((unavailable, done.finalized_at))
			}
			None => None,
		};
		let disputed = at.storage().try_fetch(storage.disputes(), (submission,)).await?.is_some();
		states.push(PrivateState { submission, revealed: record.revealed_digest().is_some(), final_at, disputed });
	}
	// The transaction lands in a block after the finalized one.
	let next = now.saturating_add(1);
	let grace_over = next >= info.spec.schedule.reveal_deadline.saturating_add(grace);
	Ok(Some((now, readiness(&states, next, window, grace_over))))
}

/// Waits (spinner, every finalized block) until `finalize` of the challenge would pass its dispute
/// and pending-score checks; returns at once if the challenge's labels are not revealed (then
/// `finalize` names the chain's reason). An error after `timeout`.
pub async fn wait_until_undisputable(chain: &Chain, challenge: u32, timeout: Option<Duration>) -> Result<()> {
	let spinner = crate::progress::spinner(format!("challenge {challenge}: waiting for the dispute windows to close"));
	let mut last = String::new();
	let done = chain
		.each_block(timeout, async |block| {
			let Some((_, readiness)) = challenge_readiness(chain, challenge).await? else { return Ok(Some(())) };
			if readiness.is_ready() {
				return Ok(Some(()));
			}
			last = readiness.describe();
			spinner.set_message(format!("challenge {challenge} at block {block}: waiting for {last}"));
			Ok(None)
		})
		.await;
	spinner.finish_and_clear();
	match done? {
		Some(()) => Ok(()),
		None => bail!(
			"challenge {challenge} still cannot be finalized after {} s: waiting for {last}",
			timeout.unwrap_or_default().as_secs()
		),
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::{chain::H256, output::Format, units::MERIT};
	use merit_metrics::Score;

	fn dispute(panel: Option<PanelInfo>) -> DisputeInfo {
		DisputeInfo {
			submission: 5,
			challenge: 2,
			disputer: AccountId32([3; 32]),
			bond: 50 * MERIT,
			opened_at: 40,
			disputed: FinalOutcome::Scored(Score::from_parts(250_000_000_000_000_000)),
			draw_due: if panel.is_none() { Some(44) } else { None },
			panel,
			lapses_at: 242,
		}
	}

	#[test]
	fn disputes_print_bond_outcome_and_panel() {
		let open = dispute(None);
		let json: Value = serde_json::from_str(&open.table().render(Format::Json)).unwrap();
		assert_eq!(json["bond"], json!("50 MERIT"));
		assert_eq!(json["bond_planck"], json!("50000000000000"));
		assert_eq!(json["disputed"], json!("0.250000000000000000"));
		assert_eq!(json["disputer"], json!(AccountId32([3; 32]).to_string()));
		assert_eq!((json["opened_at"].clone(), json["lapses_at"].clone()), (json!(40), json!(242)));
		assert_eq!((json["panel_drawn"].clone(), json["members"].clone()), (json!(false), Value::Null));
		assert_eq!((json["challenge"].clone(), json["draw_due"].clone()), (json!(2), json!(44)));

		let panel = PanelInfo {
			members: (10..14).map(|n| AccountId32([n; 32])).collect(),
			quorum: 4,
			drawn_at: 42,
			seed: H256([1; 32]),
		};
		let drawn = dispute(Some(panel));
		let table = disputes_table(&[open.clone(), drawn]);
		let rows: Value = serde_json::from_str(&table.render(Format::Json)).unwrap();
		assert_eq!(rows.as_array().unwrap().len(), 2);
		assert_eq!(
			(rows[1]["panel_drawn"].clone(), rows[1]["quorum"].clone(), rows[1]["drawn_at"].clone()),
			(json!(true), json!(4), json!(42))
		);
		assert_eq!(rows[1]["members"].as_array().unwrap().len(), 4);
		assert_eq!(rows[1]["draw_due"], Value::Null);
		// The list's columns are the record's fields.
		let record: Value = serde_json::from_str(&open.table().render(Format::Json)).unwrap();
		let mut columns = table.columns.clone();
		columns.sort();
		assert_eq!(columns, record.as_object().unwrap().keys().cloned().collect::<Vec<_>>());
		assert!(disputes_table(&[]).render(Format::Table).ends_with("(none)\n"));
		assert_eq!(disputes_table(&[]).render(Format::Csv).lines().count(), 1);
	}

	#[test]
	fn finalize_waits_for_disputes_windows_and_scores() {
		let final_at =
			|submission, at| PrivateState { submission, revealed: true, final_at: Some((false, at)), disputed: false };
		let window = 20;
		// Final at 100: disputable through block 119; a transaction in block 120 passes.
		let states = [final_at(1, 90), final_at(2, 100)];
		assert_eq!(
			readiness(&states, 119, window, false),
			Readiness::Waiting { disputed: vec![], windows: vec![(2, 120)], pending: vec![] }
		);
		assert!(readiness(&states, 120, window, false).is_ready());
		// An open dispute holds the payout whatever its age.
		let disputed = [PrivateState { disputed: true, ..final_at(1, 10) }, final_at(2, 10)];
		let waiting = readiness(&disputed, 500, window, true);
		assert_eq!(waiting, Readiness::Waiting { disputed: vec![1], windows: vec![], pending: vec![] });
		assert!(waiting.describe().contains("open disputes on submissions 1"), "{}", waiting.describe());
		// An unavailable submission is never disputable; a sealed, unrevealed one has no score.
		let quiet = [
			PrivateState { submission: 3, revealed: true, final_at: Some((true, 119)), disputed: false },
			PrivateState { submission: 4, revealed: false, final_at: None, disputed: false },
		];
		assert!(readiness(&quiet, 120, window, false).is_ready());
		// A revealed submission without a private score: pending until the grace period is over.
		let pending =
			[final_at(1, 10), PrivateState { submission: 6, revealed: true, final_at: None, disputed: false }];
		let waiting = readiness(&pending, 120, window, false);
		assert_eq!(waiting, Readiness::Waiting { disputed: vec![], windows: vec![], pending: vec![6] });
		assert!(waiting.describe().contains("private scores of submissions 6"));
		assert!(readiness(&pending, 120, window, true).is_ready());
		let both = readiness(&[final_at(1, 110), final_at(2, 115)], 116, window, false);
		assert_eq!(both.describe(), "dispute windows of submissions 1, 2 (the last closes at block 135)");
		assert_eq!(Readiness::Ready.describe(), "");
	}
}
