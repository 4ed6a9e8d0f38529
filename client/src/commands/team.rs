//! Participants: `merit team create|invite|uninvite|accept|leave|shares|approve|merge|approve-merger|
//! withdraw-merger|show|distribute|release-deposit`.
use anyhow::Result;
use serde_json::json;

use crate::{
	args::TeamCommand,
	keys,
	output::Table,
	session::{Outcome, Session},
	teams,
	units::format_merit,
};

/// Runs a `merit team` subcommand; each prints the team as it is afterwards (or what moved).
pub async fn run(s: &Session, command: &TeamCommand) -> Result<Outcome> {
	let chain = s.chain().await?;
	let (team, note) = match command {
		TeamCommand::Create { challenge, name } => {
			let team = teams::create(chain, s.signer()?, *challenge, name).await?;
			(
				team,
				Some(format!(
					"team {team} competes under its own account; invite with `merit team invite {team} ACCOUNT`"
				)),
			)
		}
		TeamCommand::Invite { team, account } => {
			teams::invite(chain, s.signer()?, *team, &keys::parse_account(account)?).await?;
			(*team, None)
		}
		TeamCommand::Uninvite { team, account } => {
			let signer = s.signer()?;
			let who = match account {
				Some(text) => keys::parse_account(text)?,
				None => keys::account_of(signer),
			};
			teams::withdraw_invitation(chain, signer, *team, &who).await?;
			(*team, None)
		}
		TeamCommand::Accept { team } => {
			let brought = teams::accept(chain, s.signer()?, *team).await?;
			let note = (brought > 0).then(|| format!("{brought} of your submissions are the team's now"));
			(*team, note)
		}
		TeamCommand::Leave { team } => {
			if teams::leave(chain, s.signer()?, *team).await? {
				let mut table = Table::new(&["team", "dissolved"]);
				table.push(vec![json!(team), json!(true)]);
				return Ok(table.into());
			}
			(*team, None)
		}
		TeamCommand::Shares { team, shares } => {
			let shares = teams::parse_member_shares(shares)?;
			let applied = teams::propose_shares(chain, s.signer()?, *team, &shares).await?;
			(*team, (!applied).then(|| "proposed: the shares apply once every member ran `merit team approve`".into()))
		}
		TeamCommand::Approve { team } => {
			let applied = teams::approve_shares(chain, s.signer()?, *team).await?;
			(
				*team,
				Some(
					if applied { "every member approved: the shares apply" } else { "approved; others still have to" }
						.into(),
				),
			)
		}
		TeamCommand::Merge { from, into } => {
			teams::propose_merger(chain, s.signer()?, *from, *into).await?;
			(
				*from,
				Some(format!(
					"proposed: team {from} joins team {into} once every member of both ran `merit team approve-merger {from}`"
				)),
			)
		}
		TeamCommand::ApproveMerger { from } => match teams::approve_merger(chain, s.signer()?, *from).await? {
			Some(merged) => (
				merged.into,
				Some(format!(
					"every member approved: team {from} joined team {} with {} member(s) and {} submission(s); \
					 shares scaled by headcount",
					merged.into, merged.members, merged.submissions
				)),
			),
			None => (*from, Some("approved; others still have to".into())),
		},
		TeamCommand::WithdrawMerger { from } => {
			let into = teams::withdraw_merger(chain, s.signer()?, *from).await?;
			(*from, Some(format!("team {from} no longer merges into team {into}")))
		}
		TeamCommand::Show { team } => (*team, None),
		TeamCommand::Distribute { team } => {
			let paid = teams::distribute(chain, s.signer()?, *team).await?;
			let mut table = Table::new(&["team", "member", "paid"]);
			for (member, amount) in paid {
				table.push(vec![json!(team), json!(member.to_string()), json!(format_merit(amount))]);
			}
			return Ok(table.into());
		}
		TeamCommand::ReleaseDeposit { team } => {
			let amount = teams::release_deposit(chain, s.signer()?, *team).await?;
			let mut table = Table::new(&["team", "released"]);
			table.push(vec![json!(team), json!(format_merit(amount))]);
			return Ok(table.into());
		}
	};
	let mut outcome = Outcome::from(teams::get(chain, team).await?.table());
	outcome.note = note;
	Ok(outcome)
}
