//! Final selections: the submissions of each participant that count on a challenge's private
//! board (MeritChallenges.select_final, ScoringApi::final_selections), and every submission's
//! place among them for `merit selections`.
use crate::chain::AccountId32;
use anyhow::{Context, Result};
use serde_json::json;
use subxt_signer::sr25519::Keypair;

use crate::{
	chain::{runtime, Chain},
	challenges,
	output::Table,
	scoring::{self, FinalOutcome},
};
use merit_metrics::Subset;

/// Marks `submissions` as the signer's final selections for `challenge` (none: back to the
/// default); returns what the chain recorded.
pub async fn select(chain: &Chain, signer: &Keypair, challenge: u32, submissions: &[u32]) -> Result<Vec<u32>> {
	let what = if submissions.is_empty() {
		format!("clearing your final selections for challenge {challenge}")
	} else {
		format!("marking submissions {submissions:?} as final for challenge {challenge}")
	};
	let events = chain
		.submit(&runtime::tx().merit_challenges().select_final(challenge, submissions.to_vec()), signer, &what)
		.await?;
	let event = events
		.find_first::<runtime::merit_challenges::events::FinalSelectionMade>()
		.context("the chain accepted the selection but reported no FinalSelectionMade event")??;
	Ok(event.submissions)
}

/// One participant's submissions that count on the private board.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Selection {
	/// The participant.
	pub author: AccountId32,
	/// The submissions that count, in order of arrival.
	pub submissions: Vec<u32>,
	/// Whether the participant marked them (otherwise the default: the best public scores).
	pub marked: bool,
}

/// Each participant's final selections (empty when every submission counts).
pub async fn final_selections(chain: &Chain, challenge: u32) -> Result<Vec<Selection>> {
	let at = chain.at_finalized().await?;
	let call = runtime::runtime_apis().scoring_api().final_selections(challenge);
	let selections = at.runtime_apis().call(call).await.context("calling ScoringApi::final_selections")?;
	Ok(selections
		.into_iter()
		.map(|s| Selection { author: s.author, submissions: s.submissions, marked: s.marked })
		.collect())
}

/// Whether a submission counts on the private board, and why.
pub fn counted(selections: &[Selection], every_submission_counts: bool, submission: u32) -> &'static str {
	if every_submission_counts {
		return "yes (every submission counts)";
	}
	match selections.iter().find(|s| s.submissions.contains(&submission)) {
		Some(s) if s.marked => "yes (marked)",
		Some(_) => "yes (default: best public)",
		None => "no",
	}
}

/// Every submission of a challenge with its author, whether it counts on the private board and
/// its final public and private outcomes: the unselected submissions' private scores are final
/// and verifiable too, shown apart from the ranking.
pub async fn table(chain: &Chain, challenge: u32) -> Result<Table> {
	let info = challenges::get(chain, challenge).await?;
	let every_submission_counts = info.final_selections() == 0;
	let selections = final_selections(chain, challenge).await?;
	let mut table = Table::new(&["submission", "author", "counts", "public", "private"]);
	for id in info.submissions.iter().copied() {
		let submission = challenges::submission(chain, id).await?;
		let outcome = |o: Option<FinalOutcome>| o.map(|o| o.text()).unwrap_or_else(|| "pending".into());
		table.push(vec![
			json!(id),
			json!(submission.author().to_string()),
			json!(counted(&selections, every_submission_counts, id)),
			json!(outcome(scoring::final_outcome(chain, id, Subset::Public).await?)),
			json!(outcome(scoring::final_outcome(chain, id, Subset::Private).await?)),
		]);
	}
	Ok(table)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_submission_counts_when_marked_by_default_or_on_a_challenge_without_selections() {
		let alice = AccountId32([1; 32]);
		let bob = AccountId32([2; 32]);
		let selections = vec![
			Selection { author: alice, submissions: vec![3, 5], marked: true },
			Selection { author: bob, submissions: vec![4], marked: false },
		];
		assert_eq!(counted(&selections, false, 5), "yes (marked)");
		assert_eq!(counted(&selections, false, 4), "yes (default: best public)");
		assert_eq!(counted(&selections, false, 6), "no");
		assert_eq!(counted(&[], true, 6), "yes (every submission counts)");
	}
}
