//! What each command does: [`run`] opens a [`Session`] for the parsed command line, hands it to the
//! command's handler (one module per role) and shows the [`Outcome`] it returns. Handlers take
//! the connection, the signer and the options from the session and return what to print.
use anyhow::Result;
use std::process::ExitCode;

use crate::{
	args::{Cli, Command},
	session::{Outcome, Session},
};

pub mod anyone;
pub mod artifact;
pub mod evaluator;
pub mod owner;
pub mod participant;
pub mod reviewer;
pub mod team;
pub mod volunteer;

/// Runs a parsed command line.
pub async fn run(cli: Cli) -> Result<ExitCode> {
	let session = Session::new(cli.global);
	let outcome = dispatch(&session, &cli.command).await?;
	session.finish(outcome)
}

/// The handler of each command.
async fn dispatch(s: &Session, command: &Command) -> Result<Outcome> {
	match command {
		Command::Challenge(command) => owner::run(s, command).await,
		Command::Submit(args) => participant::submit(s, args).await,
		Command::Reveal { challenge, license } => participant::reveal(s, *challenge, license).await,
		Command::SettleDeposit { submissions } => participant::settle_deposits(s, submissions).await,
		Command::Refund { challenge } => participant::refund(s, *challenge).await,
		Command::Select { challenge, submissions, clear: _ } => participant::select(s, *challenge, submissions).await,
		Command::Selections { challenge } => anyone::selections(s, *challenge).await,
		Command::Eval(args) => participant::eval(args),
		Command::Evaluator(command) => evaluator::run(s, command).await,
		Command::Leaderboard { challenge, subset, wait_entries, timeout } => {
			anyone::leaderboard(s, *challenge, *subset, *wait_entries, *timeout).await
		}
		Command::Dispute { submission } => anyone::dispute(s, *submission).await,
		Command::Disputes { challenge } => anyone::disputes(s, *challenge).await,
		Command::Account { account } => anyone::account(s, account.as_deref()).await,
		Command::Review(args) => reviewer::review(s, args).await,
		Command::Record { account } => anyone::record(s, account).await,
		Command::Verify { challenge } => anyone::verify(s, *challenge).await,
		Command::Artifacts(command) => artifact::run(s, command).await,
		Command::Team(command) => team::run(s, command).await,
		Command::Campaign(command) => volunteer::campaign(s, command).await,
		Command::Classify { campaign, answer, count } => volunteer::classify(s, *campaign, *answer, *count).await,
		Command::Web { listen } => anyone::web(s, listen).await,
		Command::Profile(command) => anyone::profile(s, command).await,
		Command::Load { challenge, accounts, submissions, transfers, timeout } => {
			let plan = crate::load::LoadPlan {
				challenge: *challenge,
				accounts: *accounts,
				submissions: *submissions,
				transfers: *transfers,
				timeout_secs: *timeout,
			};
			anyone::load(s, &plan).await
		}
	}
}
