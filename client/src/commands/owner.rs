//! Problem owners: `merit challenge ...` (create, show, list, deliver-labels, reveal-labels, finalize [after the
//! dispute windows], terms, pool, wait).
use anyhow::{anyhow, bail, Context, Result};
use serde_json::json;
use std::time::Duration;

use crate::{
	args::{ChallengeCommand, CommittedLabels, CreateArgs},
	chain::runtime,
	challenges::{self, ArtifactSource, ChallengeInfo, DescriptionSource, NewChallenge},
	delivery,
	digest::{digest_hex, read_file},
	disputes,
	eval::{parse_metric, parse_salt},
	output::Table,
	rewards,
	session::{Outcome, Session},
	units::{format_merit, parse_blocks, parse_merit, parse_share, parse_shares},
};

/// Runs a `merit challenge` subcommand.
pub async fn run(s: &Session, command: &ChallengeCommand) -> Result<Outcome> {
	let table = match command {
		ChallengeCommand::Create(args) => create(s, args).await?,
		ChallengeCommand::Show { id } => challenges::get(s.chain().await?, *id).await?.table(),
		ChallengeCommand::List => {
			let mut table = Table::new(&ChallengeInfo::SUMMARY_COLUMNS);
			for info in challenges::list(s.chain().await?).await? {
				table.push(info.summary_row());
			}
			table
		}
		ChallengeCommand::DeliverLabels { id, committed: CommittedLabels { labels, salt, license }, timeout } => {
			let labels = read_file(labels)?;
			let salt = parse_salt(salt)?;
			let (signer, chain) = (s.signer()?, s.chain().await?);
			let timeout = timeout.map(Duration::from_secs);
			delivery::deliver_labels(chain, signer, *id, &labels, &salt, s.store(), license, timeout).await?.table()
		}
		ChallengeCommand::RevealLabels { id, committed: CommittedLabels { labels, salt, license } } => {
			let labels = read_file(labels)?;
			let salt = parse_salt(salt)?;
			let (signer, chain) = (s.signer()?, s.chain().await?);
			let digest = challenges::reveal_labels(chain, signer, *id, &labels, &salt, s.store(), license).await?;
			Table::record(vec![
				("challenge", json!(id)),
				("labels", json!(digest_hex(&digest))),
				("state", json!("labels-revealed")),
			])
		}
		ChallengeCommand::Finalize { id, wait_disputes, timeout } => {
			let (signer, chain) = (s.signer()?, s.chain().await?);
			if *wait_disputes {
				disputes::wait_until_undisputable(chain, *id, timeout.map(Duration::from_secs)).await?;
			}
			let finalized = rewards::finalize(chain, signer, *id).await.map_err(|e| {
				if !*wait_disputes && format!("{e:#}").contains("DisputesOpen") {
					anyhow!("{e:#} (`merit challenge finalize {id} --wait-disputes` waits until none can be)")
				} else {
					e
				}
			})?;
			if let Some(released) = finalized {
				eprintln!("challenge {id} finalized; {} went back to the owner", format_merit(released));
			}
			challenges::get(chain, *id).await?.table()
		}
		ChallengeCommand::Terms { id, .. } => bail!(
			"the reward terms of challenge {id} cannot be changed: the chain takes them only with the challenge, in \
			 `merit challenge create` (--fork-share, --fork-decay, --fork-depth, --micro-share, --improvement-reward, \
			 --review-reward, --max-reviews, --evaluator-fee; MeritRewards.set_reward_terms is retired). \
			 `merit challenge pool {id}` shows the terms it has"
		),
		ChallengeCommand::Pool { id } => rewards::pool(s.chain().await?, *id).await?.table(),
		ChallengeCommand::Prune { id, per_call } => {
			let (signer, chain) = (s.signer()?, s.chain().await?);
			let mut table = Table::new(&["challenge", "submissions", "done"]);
			loop {
				let events = chain
					.submit(
						&runtime::tx().merit_scoring().prune(*id, *per_call),
						signer,
						&format!("pruning challenge {id}"),
					)
					.await?;
				let pruned = events
					.find_first::<runtime::merit_scoring::events::Pruned>()
					.context("the chain pruned but reported no Pruned event")??;
				table.push(vec![json!(id), json!(pruned.submissions), json!(pruned.done)]);
				if pruned.done {
					break table;
				}
			}
		}
		ChallengeCommand::Wait { id, state, timeout } => {
			let chain = s.chain().await?;
			let info = challenges::wait_for_state(chain, *id, *state, timeout.map(Duration::from_secs)).await?;
			Table::record(vec![
				("challenge", json!(id)),
				("state", json!(challenges::state_name(&info.status.state))),
				("block", json!(chain.finalized_number().await?)),
			])
		}
	};
	Ok(table.into())
}

/// `merit challenge create`: publishes the challenge with its reward terms in one transaction.
async fn create(s: &Session, args: &CreateArgs) -> Result<Table> {
	let spec = new_challenge(args)?;
	let (signer, chain) = (s.signer()?, s.chain().await?);
	let id = challenges::create(chain, signer, &spec, s.store(), &args.license).await?;
	Ok(challenges::get(chain, id).await?.table())
}

/// Parses `challenge create`'s flags into a [`NewChallenge`] (no chain access).
pub fn new_challenge(args: &CreateArgs) -> Result<NewChallenge> {
	let description = match (&args.description, &args.report) {
		(Some(text), None) => DescriptionSource::Text(text.clone()),
		(None, Some(report)) => DescriptionSource::Report(ArtifactSource::parse(report)?),
		_ => bail!("give --description TEXT or --report FILE|DIGEST"),
	};
	Ok(NewChallenge {
		title: args.title.clone(),
		description,
		training_data: args.training.iter().map(|t| ArtifactSource::parse(t)).collect::<Result<_>>()?,
		metric: parse_metric(&args.metric)?,
		labels: read_file(&args.labels).context("the labels file is hashed into the commitment")?,
		salt: parse_salt(&args.salt)?,
		public_share: parse_share(&args.public_share)?,
		open_for: parse_blocks(&args.open_for)?,
		reveal_within: parse_blocks(&args.reveal_within)?,
		per_day: args.per_day,
		total: args.total,
		reward_shares: parse_shares(&args.reward_shares)?,
		quorum: args.quorum,
		prize_pool: parse_merit(&args.prize_pool)?,
		mode: args.mode,
		final_selections: args.final_selections,
		team_size: args.team_size,
		merge_before_close: parse_blocks(&args.merge_before_close)?,
		previous_phase: args.previous_phase,
		// No terms flag: the default terms (all zero: no fork credit, no micro-rewards).
		terms: args.terms.input().parse()?.unwrap_or_default(),
	})
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::{
		args::{parse, Command},
		challenges::Mode,
		digest::parse_digest,
	};

	#[test]
	fn create_flags_become_params() {
		let dir = tempfile::tempdir().unwrap();
		let labels = dir.path().join("labels.csv");
		std::fs::write(&labels, "id,y\n1,2\n").unwrap();
		let train = dir.path().join("train.csv");
		std::fs::write(&train, "id,x\n1,2\n").unwrap();
		let digest = "ab".repeat(32);
		let cli = parse(&[
			"challenge",
			"create",
			"--title",
			"T",
			"--description",
			"D",
			"--training",
			train.to_str().unwrap(),
			"--training",
			&digest,
			"--metric",
			"rmse",
			"--labels",
			labels.to_str().unwrap(),
			"--salt",
			"s",
			"--open-for",
			"30m",
			"--prize-pool",
			"12.5",
			"--reward-shares",
			"60%,40%",
			"--mode",
			"sealed",
		])
		.unwrap();
		let Command::Challenge(ChallengeCommand::Create(args)) = cli.command else { panic!() };
		let spec = new_challenge(&args).unwrap();
		assert_eq!(spec.open_for, 600);
		assert_eq!(spec.reveal_within, 28_800);
		assert_eq!(spec.prize_pool, 12_500_000_000_000);
		assert_eq!(spec.reward_shares, vec![600_000_000, 400_000_000]);
		assert_eq!(spec.public_share, 300_000_000);
		assert_eq!(spec.mode, Mode::Sealed);
		assert_eq!(spec.quorum, 3, "a challenge with a prize needs a quorum of three");
		assert_eq!(spec.training_data[0], ArtifactSource::File(train.clone()));
		assert_eq!(spec.training_data[1], ArtifactSource::Digest(parse_digest(&digest).unwrap()));
		assert_eq!(spec.terms, crate::rewards::Terms::default());
		// Reward-terms flags go into the same parameters (one `create_challenge`).
		let with_terms = parse(&[
			"challenge",
			"create",
			"--title",
			"T",
			"--description",
			"D",
			"--training",
			&digest,
			"--metric",
			"mae",
			"--labels",
			labels.to_str().unwrap(),
			"--salt",
			"s",
			"--open-for",
			"1",
			"--prize-pool",
			"1",
			"--fork-share",
			"20%",
			"--max-reviews",
			"3",
		])
		.unwrap();
		let Command::Challenge(ChallengeCommand::Create(args)) = with_terms.command else { panic!() };
		let terms = new_challenge(&args).unwrap().terms;
		assert_eq!((terms.fork_share, terms.max_reviews, terms.review_reward), (200_000_000, 3, 0));
		assert_eq!(terms.to_runtime().fork_share.0, 200_000_000);
		// A training file that does not exist.
		let missing = parse(&[
			"challenge",
			"create",
			"--title",
			"T",
			"--description",
			"D",
			"--training",
			"/nonexistent.csv",
			"--metric",
			"mae",
			"--labels",
			labels.to_str().unwrap(),
			"--salt",
			"s",
			"--open-for",
			"1",
			"--prize-pool",
			"1",
		])
		.unwrap();
		let Command::Challenge(ChallengeCommand::Create(args)) = missing.command else { panic!() };
		assert!(new_challenge(&args).unwrap_err().to_string().contains("no such file"));
	}

	#[tokio::test]
	async fn terms_after_creation_are_refused_before_any_connection() {
		// No node listens on port 1: the command fails with its own words, not a connection error.
		let cli = parse(&["--url", "ws://127.0.0.1:1", "challenge", "terms", "4", "--fork-share", "20%"]).unwrap();
		let Command::Challenge(command) = cli.command else { panic!() };
		let error = run(&Session::new(cli.global), &command).await.err().unwrap().to_string();
		assert!(error.contains("cannot be changed") && error.contains("merit challenge create"), "{error}");
		assert!(error.contains("merit challenge pool 4"), "{error}");
	}
}
