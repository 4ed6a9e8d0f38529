//! Reviewers: `merit review` (MeritRewards.review with a report artifact of one's own).
use anyhow::{bail, Result};

use crate::{
	args::ReviewArgs,
	artifacts::{self, Kind},
	challenges::ArtifactSource,
	digest::digest_hex,
	rewards,
	session::{Outcome, Session},
};

/// `merit review`: resolves the report (a local file is uploaded and registered), checks that the
/// signer owns it, then reviews the submission.
pub async fn review(s: &Session, args: &ReviewArgs) -> Result<Outcome> {
	let rating = rewards::check_rating(args.rating)?;
	let source = ArtifactSource::parse(&args.report)?;
	let (signer, chain) = (s.signer()?, s.chain().await?);
	let report = source.resolve(chain, signer, Kind::Report, s.store(), &args.license).await?;
	let owner = artifacts::require(chain, report).await?.owner;
	let me = s.signer_account()?;
	if owner != me {
		bail!(
			"report {} was registered by {owner}, not by you ({me}): a review's report must be your own artifact",
			digest_hex(&report)
		);
	}
	Ok(rewards::review(chain, signer, args.submission, rating, report).await?.table().into())
}
