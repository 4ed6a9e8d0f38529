//! Teams (`MeritTeams`): found, invite, accept or decline, leave, agree shares, and share out a
//! team's winnings (`MeritRewards.distribute_team_winnings`): `merit team ...`.
use anyhow::{bail, Context, Result};
use serde_json::{json, Value};
use subxt_signer::sr25519::Keypair;

use crate::{
	chain::{runtime, runtime_types::sp_arithmetic::per_things::Perbill, AccountId32, Chain},
	keys,
	output::Table,
	units::{format_merit, format_share, parse_share, PERBILL},
};

/// A team as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TeamInfo {
	/// Its number.
	pub id: u32,
	/// The challenge it competes in.
	pub challenge: u32,
	/// Its name.
	pub name: String,
	/// The account it competes under (leaderboards list it).
	pub account: AccountId32,
	/// Who invites.
	pub captain: AccountId32,
	/// Members and their shares (parts per billion).
	pub members: Vec<(AccountId32, u32)>,
	/// Invitations not yet answered.
	pub invited: Vec<AccountId32>,
	/// The deposit still held from the captain.
	pub deposit: u128,
	/// A pending share proposal: shares and who approved.
	pub proposal: Option<(Vec<(AccountId32, u32)>, Vec<AccountId32>)>,
	/// A pending merger into another team: that team and who approved.
	pub merger: Option<(u32, Vec<AccountId32>)>,
}

impl TeamInfo {
	/// Every field, for `merit team show`.
	pub fn table(&self) -> Table {
		let shares = |list: &[(AccountId32, u32)]| -> Value {
			json!(list
				.iter()
				.map(|(who, share)| json!({"member": who.to_string(), "share": format_share(*share)}))
				.collect::<Vec<_>>())
		};
		Table::record(vec![
			("team", json!(self.id)),
			("challenge", json!(self.challenge)),
			("name", json!(self.name)),
			("account", json!(self.account.to_string())),
			("captain", json!(self.captain.to_string())),
			("members", shares(&self.members)),
			("invited", json!(self.invited.iter().map(|a| a.to_string()).collect::<Vec<_>>())),
			("deposit", json!(format_merit(self.deposit))),
			("proposed_shares", self.proposal.as_ref().map_or(Value::Null, |(s, _)| shares(s))),
			(
				"approved_by",
				self.proposal
					.as_ref()
					.map_or(Value::Null, |(_, a)| json!(a.iter().map(|a| a.to_string()).collect::<Vec<_>>())),
			),
			("merging_into", self.merger.as_ref().map_or(Value::Null, |(into, _)| json!(into))),
			(
				"merger_approved_by",
				self.merger
					.as_ref()
					.map_or(Value::Null, |(_, a)| json!(a.iter().map(|a| a.to_string()).collect::<Vec<_>>())),
			),
		])
	}
}

/// Reads a team; an unknown number is an error that says so.
pub async fn get(chain: &Chain, id: u32) -> Result<TeamInfo> {
	let at = chain.at_finalized().await?;
	let team = at
		.storage()
		.try_fetch(runtime::storage().merit_teams().teams(), (id,))
		.await?
		.with_context(|| format!("there is no team {id}"))?
		.decode()?;
	let mut invited = Vec::new();
	let mut entries = at.storage().iter(runtime::storage().merit_teams().invitations(), (id,)).await?;
	while let Some(entry) = entries.next().await {
		let (_, who): (u32, AccountId32) = entry?.key()?.decode()?;
		invited.push(who);
	}
	let proposal = match at.storage().try_fetch(runtime::storage().merit_teams().share_proposals(), (id,)).await? {
		Some(p) => {
			let p = p.decode()?;
			Some((p.shares.0.into_iter().map(|(a, s)| (a, s.0)).collect(), p.approvals.0))
		}
		None => None,
	};
	let merger = at
		.storage()
		.try_fetch(runtime::storage().merit_teams().merger_proposals(), (id,))
		.await?
		.map(|p| p.decode())
		.transpose()?
		.map(|p| (p.into, p.approvals.0));
	Ok(TeamInfo {
		id,
		challenge: team.challenge,
		name: String::from_utf8_lossy(&team.name.0).into_owned(),
		account: team.account,
		captain: team.captain,
		members: team.members.0.into_iter().map(|(a, s)| (a, s.0)).collect(),
		invited,
		deposit: team.deposit,
		proposal,
		merger,
	})
}

/// Founds a team in `challenge`; returns its number.
pub async fn create(chain: &Chain, signer: &Keypair, challenge: u32, name: &str) -> Result<u32> {
	let events = chain
		.submit(
			&runtime::tx().merit_teams().create_team(challenge, name.as_bytes().to_vec()),
			signer,
			&format!("founding team `{name}` in challenge {challenge}"),
		)
		.await?;
	let created = events
		.find_first::<runtime::merit_teams::events::TeamCreated>()
		.context("the chain accepted the team but reported no TeamCreated event")??;
	Ok(created.team)
}

/// Invites `who` (captain only).
pub async fn invite(chain: &Chain, signer: &Keypair, team: u32, who: &AccountId32) -> Result<()> {
	chain
		.submit(
			&runtime::tx().merit_teams().invite(team, who.clone()),
			signer,
			&format!("inviting {who} to team {team}"),
		)
		.await?;
	Ok(())
}

/// Withdraws (the captain) or declines (the invited account) an invitation.
pub async fn withdraw_invitation(chain: &Chain, signer: &Keypair, team: u32, who: &AccountId32) -> Result<()> {
	chain
		.submit(
			&runtime::tx().merit_teams().withdraw_invitation(team, who.clone()),
			signer,
			&format!("withdrawing the invitation of {who} to team {team}"),
		)
		.await?;
	Ok(())
}

/// Accepts an invitation; returns how many of the signer's submissions the team took on.
pub async fn accept(chain: &Chain, signer: &Keypair, team: u32) -> Result<u32> {
	let events =
		chain.submit(&runtime::tx().merit_teams().accept(team), signer, &format!("joining team {team}")).await?;
	let joined = events
		.find_first::<runtime::merit_teams::events::Joined>()
		.context("the chain accepted the membership but reported no Joined event")??;
	Ok(joined.submissions)
}

/// Leaves a team (the captain last, which dissolves it).
pub async fn leave(chain: &Chain, signer: &Keypair, team: u32) -> Result<bool> {
	let events =
		chain.submit(&runtime::tx().merit_teams().leave(team), signer, &format!("leaving team {team}")).await?;
	Ok(events.find_first::<runtime::merit_teams::events::Dissolved>().transpose()?.is_some())
}

/// Parses `ACCOUNT=SHARE` pairs (`5Grw...=60%`), which must add up to exactly 100%.
pub fn parse_member_shares(pairs: &[String]) -> Result<Vec<(AccountId32, u32)>> {
	let mut shares = Vec::new();
	for pair in pairs {
		let (who, share) =
			pair.split_once('=').with_context(|| format!("`{pair}` is not ACCOUNT=SHARE (e.g. 5Grw...=60%)"))?;
		shares.push((keys::parse_account(who)?, parse_share(share)?));
	}
	let total: u64 = shares.iter().map(|(_, s)| *s as u64).sum();
	if total != PERBILL as u64 {
		bail!("the shares add up to {}, not 100%", format_share(total.min(u32::MAX as u64) as u32));
	}
	Ok(shares)
}

/// Proposes new shares; returns whether they applied at once (a team of one).
pub async fn propose_shares(chain: &Chain, signer: &Keypair, team: u32, shares: &[(AccountId32, u32)]) -> Result<bool> {
	let shares: Vec<(AccountId32, Perbill)> = shares.iter().map(|(a, s)| (a.clone(), Perbill(*s))).collect();
	let events = chain
		.submit(
			&runtime::tx().merit_teams().propose_shares(team, shares),
			signer,
			&format!("proposing shares for team {team}"),
		)
		.await?;
	Ok(events.find_first::<runtime::merit_teams::events::SharesAgreed>().transpose()?.is_some())
}

/// Approves the pending shares; returns whether this approval applied them.
pub async fn approve_shares(chain: &Chain, signer: &Keypair, team: u32) -> Result<bool> {
	let events = chain
		.submit(&runtime::tx().merit_teams().approve_shares(team), signer, &format!("approving team {team}'s shares"))
		.await?;
	Ok(events.find_first::<runtime::merit_teams::events::SharesAgreed>().transpose()?.is_some())
}

/// Proposes merging team `from` (the signer's) into team `into`.
pub async fn propose_merger(chain: &Chain, signer: &Keypair, from: u32, into: u32) -> Result<()> {
	chain
		.submit(
			&runtime::tx().merit_teams().propose_merger(from, into),
			signer,
			&format!("proposing to merge team {from} into team {into}"),
		)
		.await?;
	Ok(())
}

/// Approves the pending merger of team `from`; returns the merger when this approval completed
/// it.
pub async fn approve_merger(
	chain: &Chain,
	signer: &Keypair,
	from: u32,
) -> Result<Option<runtime::merit_teams::events::TeamsMerged>> {
	let events = chain
		.submit(
			&runtime::tx().merit_teams().approve_merger(from),
			signer,
			&format!("approving the merger of team {from}"),
		)
		.await?;
	Ok(events.find_first::<runtime::merit_teams::events::TeamsMerged>().transpose()?)
}

/// Withdraws or declines the pending merger of team `from`; returns the team it was into.
pub async fn withdraw_merger(chain: &Chain, signer: &Keypair, from: u32) -> Result<u32> {
	let events = chain
		.submit(
			&runtime::tx().merit_teams().withdraw_merger(from),
			signer,
			&format!("withdrawing the merger of team {from}"),
		)
		.await?;
	let withdrawn = events
		.find_first::<runtime::merit_teams::events::MergerWithdrawn>()
		.context("the chain withdrew the merger but reported no MergerWithdrawn event")??;
	Ok(withdrawn.into)
}

/// Shares a team's winnings in a finalized challenge among its members; returns each payment.
pub async fn distribute(chain: &Chain, signer: &Keypair, team: u32) -> Result<Vec<(AccountId32, u128)>> {
	let info = get(chain, team).await?;
	let events = chain
		.submit(
			&runtime::tx().merit_rewards().distribute_team_winnings(info.challenge, info.account.clone()),
			signer,
			&format!("sharing team {team}'s winnings in challenge {}", info.challenge),
		)
		.await?;
	let mut paid = Vec::new();
	for event in events.find::<runtime::merit_rewards::events::TeamSharePaid>() {
		let event = event?;
		paid.push((event.member, event.amount));
	}
	Ok(paid)
}

/// Releases a team's deposit once its challenge has ended; returns the amount.
pub async fn release_deposit(chain: &Chain, signer: &Keypair, team: u32) -> Result<u128> {
	let events = chain
		.submit(&runtime::tx().merit_teams().release_deposit(team), signer, &format!("releasing team {team}'s deposit"))
		.await?;
	let released = events
		.find_first::<runtime::merit_teams::events::DepositReleased>()
		.context("the chain released the deposit but reported no DepositReleased event")??;
	Ok(released.amount)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn member_shares_are_account_share_pairs_adding_up_to_the_whole() {
		let alice = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
		let bob = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";
		let shares = parse_member_shares(&[format!("{alice}=60%"), format!("{bob}=0.4")]).unwrap();
		assert_eq!(shares.iter().map(|(_, s)| *s).collect::<Vec<_>>(), vec![600_000_000, 400_000_000]);
		assert_eq!(shares[0].0.to_string(), alice);
		let short = parse_member_shares(&[format!("{alice}=60%"), format!("{bob}=30%")]).unwrap_err();
		assert!(short.to_string().contains("not 100%"), "{short}");
		assert!(parse_member_shares(&[alice.to_string()]).unwrap_err().to_string().contains("ACCOUNT=SHARE"));
		assert!(parse_member_shares(&[format!("nobody=100%")]).is_err());
	}
}
