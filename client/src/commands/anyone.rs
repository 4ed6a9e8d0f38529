//! Anyone and auditors: `merit leaderboard`, `merit selections`, `merit dispute`, `merit
//! disputes`, `merit account`, `merit record`, `merit verify`.
use anyhow::{bail, Result};
use std::time::Duration;

use crate::{
	account, challenges, disputes, keys, record,
	scoring::{self, Board},
	session::{Outcome, Session},
	verify,
};

/// `merit leaderboard`: ScoringApi's board, after waiting for `wait_entries` entries if given.
pub async fn leaderboard(
	s: &Session,
	challenge: u32,
	subset: Board,
	wait_entries: Option<usize>,
	timeout: Option<u64>,
) -> Result<Outcome> {
	let chain = s.chain().await?;
	let info = challenges::get(chain, challenge).await?;
	let entries = match wait_entries {
		Some(n) => {
			let timeout = timeout.map(Duration::from_secs);
			scoring::wait_for_entries(chain, challenge, subset.subset(), n, timeout).await?
		}
		None => scoring::leaderboard(chain, challenge, subset.subset()).await?,
	};
	let mut table = scoring::leaderboard_table(&entries);
	crate::names::Names::of_table(chain, &table).await?.annotate(&mut table);
	let mut outcome = Outcome::from(table);
	if subset.subset() == merit_metrics::Subset::Private && info.final_selections() > 0 {
		outcome.note = Some(format!(
			"only final selections rank here (up to {} per participant); `merit selections {challenge}` shows every \
			 submission's private score",
			info.final_selections()
		));
	}
	Ok(outcome)
}

/// `merit selections`: every submission, whether it counts on the private board, and its scores.
pub async fn selections(s: &Session, challenge: u32) -> Result<Outcome> {
	Ok(crate::selections::table(s.chain().await?, challenge).await?.into())
}

/// `merit dispute`: disputes a final private score, signed by the caller; prints the dispute and
/// the bond held.
pub async fn dispute(s: &Session, submission: u32) -> Result<Outcome> {
	let (signer, chain) = (s.signer()?, s.chain().await?);
	let dispute = disputes::open(chain, signer, submission).await?;
	let mut outcome = Outcome::from(dispute.table());
	outcome.note = Some(format!(
		"{} is held from {} while a fresh panel recounts; `merit disputes {challenge}` shows the dispute, `merit \
		 evaluator jobs {challenge} --stage dispute` the recount",
		crate::units::format_merit(dispute.bond),
		dispute.disputer,
		challenge = dispute.challenge,
	));
	Ok(outcome)
}

/// `merit disputes`: a challenge's open disputes.
pub async fn disputes(s: &Session, challenge: u32) -> Result<Outcome> {
	let open = disputes::list(s.chain().await?, challenge).await?;
	Ok(disputes::disputes_table(&open).into())
}

/// `merit account`: balances and nonce of an account, by default the signer's.
pub async fn account(s: &Session, account: Option<&str>) -> Result<Outcome> {
	let account = match account {
		Some(text) => keys::parse_account(text)?,
		None if !s.has_signer() => {
			bail!("give an ACCOUNT (SS58 or 0x hex), or a signer (--suri, --suri-file, MERIT_SURI) to show its account")
		}
		None => s.signer_account()?,
	};
	Ok(account::balances(s.chain().await?, &account).await?.table().into())
}

/// `merit record`: an account's track record (TrackRecordApi).
pub async fn record(s: &Session, account: &str) -> Result<Outcome> {
	let account = keys::parse_account(account)?;
	let chain = s.chain().await?;
	let record = record::track_record(chain, &account).await?;
	let mut table = record::table(&record);
	// People read the name first; JSON and CSV stay exactly the track record.
	if let (Some(profile), Some(text)) = (crate::names::profile(chain, &account).await?, table.text.take()) {
		let mut about = vec![profile.name.clone()];
		about.extend(profile.orcid.iter().map(|o| format!("ORCID {o}")));
		about.extend(profile.affiliation.iter().cloned());
		table.text = Some(format!("{}\n{text}", about.join(", ")));
	}
	Ok(table.into())
}

/// `merit verify`: recomputes every score of a challenge; fails if any differs from the chain's or
/// could not be checked.
pub async fn verify(s: &Session, challenge: u32) -> Result<Outcome> {
	let report = verify::verify(s.chain().await?, challenge, s.ipfs_gateway()).await?;
	let (differing, not_fetched) = (report.differing(), report.not_fetched());
	let outcome = Outcome::from(report.table());
	let mut problems = Vec::new();
	match report.delivery {
		verify::DeliveryCheck::Match => {
			eprintln!("the public rows sealed to the panel are the revealed labels' public rows")
		}
		verify::DeliveryCheck::NotDelivered => eprintln!("the owner sealed no public labels to the panel"),
		verify::DeliveryCheck::Differs => problems.push(format!(
			"the public labels challenge {challenge}'s owner sealed to its panel are not the public rows of the revealed \
			 labels"
		)),
	}
	if differing > 0 {
		problems.push(format!("{differing} final outcome(s) of challenge {challenge} differ from the recomputation"));
	}
	if not_fetched > 0 {
		problems.push(format!("{not_fetched} could not be checked: their files could not be fetched here"));
	}
	Ok(if problems.is_empty() { outcome } else { outcome.failed_with(problems.join("; ")) })
}

/// `merit load`: fills the node with submissions and transfers and reports what each block held.
pub async fn load(s: &Session, plan: &crate::load::LoadPlan) -> Result<Outcome> {
	let uri = s
		.signer_suri()?
		.ok_or_else(|| anyhow::anyhow!("give the funding account's --suri (its key derives the load accounts)"))?;
	let report = crate::load::run(s.chain().await?, s.signer()?, &uri, plan).await?;
	Ok(report.table().into())
}

/// `merit web`: serves the portal until Ctrl-C.
pub async fn web(s: &Session, listen: &str) -> Result<Outcome> {
	let chain = s.chain().await?.clone();
	let (address, task) = crate::web::spawn(listen, crate::web::Portal { chain }).await?;
	eprintln!("the Merit portal is at http://{address}/ (reading {}; Ctrl-C stops)", s.options().url);
	tokio::select! {
		result = task => result??,
		_ = tokio::signal::ctrl_c() => {},
	}
	Ok(Outcome::nothing())
}

/// `merit profile set|show|clear`.
pub async fn profile(s: &Session, command: &crate::args::ProfileCommand) -> Result<Outcome> {
	use crate::{args::ProfileCommand, names};
	let chain = s.chain().await?;
	let who = match command {
		ProfileCommand::Set { name, orcid, affiliation, web } => {
			names::set(chain, s.signer()?, name, orcid.as_deref(), affiliation.as_deref(), web.as_deref()).await?;
			s.signer_account()?
		}
		ProfileCommand::Clear => {
			names::clear(chain, s.signer()?).await?;
			s.signer_account()?
		}
		ProfileCommand::Show { account: Some(text) } => keys::parse_account(text)?,
		ProfileCommand::Show { account: None } if s.has_signer() => s.signer_account()?,
		ProfileCommand::Show { account: None } => bail!("give an ACCOUNT, or a signer (--suri) to show its profile"),
	};
	let profile = names::profile(chain, &who).await?;
	Ok(names::table(&who, profile.as_ref()).into())
}
