//! `MeritRewards`: a challenge's reward terms (given at creation, see
//! [`crate::challenges::create`]), reviews, payout, and where its pool went
//! (`TrackRecordApi::pool`).
use anyhow::{bail, Context, Result};
use serde_json::json;
use subxt_signer::sr25519::Keypair;

use crate::{
	chain::{
		runtime,
		runtime_types::{
			merit_primitives::rewards::RewardTerms, pallet_merit_rewards::types::PoolLedger,
			sp_arithmetic::per_things::Perbill,
		},
		AccountId32, Chain, H256,
	},
	digest::digest_hex,
	output::Table,
	units::{format_merit, format_share, parse_merit, parse_share},
};

/// A challenge's reward terms in client types (shares in parts per billion, amounts in the
/// smallest unit).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Terms {
	/// Part of a prize passed to the forked work (hop 1).
	pub fork_share: u32,
	/// Decay of the passed part per further hop.
	pub fork_decay: u32,
	/// Hops fork credit travels (0: none).
	pub fork_depth: u32,
	/// Part of the pool set aside for micro-rewards.
	pub micro_share: u32,
	/// Paid for each public score that beats the last rewarded best by more than the step.
	pub improvement_reward: u128,
	/// Paid for each review.
	pub review_reward: u128,
	/// Reviews one account may give in the challenge (0: reviews are off).
	pub max_reviews: u32,
	/// Paid to each evaluator of a quorum, per final score.
	pub evaluator_fee: u128,
	/// How much a public score must beat the public best by to earn `improvement_reward` (score
	/// parts, 10^-18).
	pub improvement_step: u128,
	/// Whether the public board is a Ladder over `improvement_step`.
	pub ladder: bool,
}

/// The reward-terms flags as typed (`None`: not given, which means 0).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TermsInput {
	/// `--fork-share`.
	pub fork_share: Option<String>,
	/// `--fork-decay`.
	pub fork_decay: Option<String>,
	/// `--fork-depth`.
	pub fork_depth: Option<u32>,
	/// `--micro-share`.
	pub micro_share: Option<String>,
	/// `--improvement-reward` (MERIT).
	pub improvement_reward: Option<String>,
	/// `--review-reward` (MERIT).
	pub review_reward: Option<String>,
	/// `--max-reviews`.
	pub max_reviews: Option<u32>,
	/// `--evaluator-fee` (MERIT).
	pub evaluator_fee: Option<String>,
	/// `--improvement-step` (a score, e.g. `0.001`).
	pub improvement_step: Option<String>,
	/// `--ladder`.
	pub ladder: bool,
}

impl TermsInput {
	/// Whether any flag was given.
	pub fn any(&self) -> bool {
		self != &TermsInput::default()
	}

	/// The terms, unset fields 0; `None` if no flag was given. Errors name the flag.
	pub fn parse(&self) -> Result<Option<Terms>> {
		if !self.any() {
			return Ok(None);
		}
		let share = |flag: &str, v: &Option<String>| -> Result<u32> {
			v.as_deref()
				.map(parse_share)
				.transpose()
				.with_context(|| format!("--{flag}"))
				.map(Option::unwrap_or_default)
		};
		let amount = |flag: &str, v: &Option<String>| -> Result<u128> {
			v.as_deref()
				.map(parse_merit)
				.transpose()
				.with_context(|| format!("--{flag}"))
				.map(Option::unwrap_or_default)
		};
		Ok(Some(Terms {
			fork_share: share("fork-share", &self.fork_share)?,
			fork_decay: share("fork-decay", &self.fork_decay)?,
			fork_depth: self.fork_depth.unwrap_or(0),
			micro_share: share("micro-share", &self.micro_share)?,
			improvement_reward: amount("improvement-reward", &self.improvement_reward)?,
			review_reward: amount("review-reward", &self.review_reward)?,
			max_reviews: self.max_reviews.unwrap_or(0),
			evaluator_fee: amount("evaluator-fee", &self.evaluator_fee)?,
			improvement_step: self
				.improvement_step
				.as_deref()
				.map(|text| merit_metrics::Score::parse(text).map_err(|e| anyhow::anyhow!("--improvement-step: {e}")))
				.transpose()?
				.map_or(0, |score| score.into_inner()),
			ladder: self.ladder,
		}))
	}
}

impl Terms {
	/// As the runtime encodes them.
	pub fn to_runtime(&self) -> RewardTerms<u128> {
		RewardTerms {
			fork_share: Perbill(self.fork_share),
			fork_decay: Perbill(self.fork_decay),
			fork_depth: self.fork_depth,
			micro_share: Perbill(self.micro_share),
			improvement_reward: self.improvement_reward,
			review_reward: self.review_reward,
			max_reviews_per_reviewer: self.max_reviews,
			evaluator_fee: self.evaluator_fee,
			improvement_step: crate::chain::runtime_types::merit_metrics::Score(self.improvement_step),
			ladder: self.ladder,
		}
	}

	/// From the runtime's encoding.
	pub fn from_runtime(terms: &RewardTerms<u128>) -> Terms {
		Terms {
			fork_share: terms.fork_share.0,
			fork_decay: terms.fork_decay.0,
			fork_depth: terms.fork_depth,
			micro_share: terms.micro_share.0,
			improvement_reward: terms.improvement_reward,
			review_reward: terms.review_reward,
			max_reviews: terms.max_reviews_per_reviewer,
			evaluator_fee: terms.evaluator_fee,
			improvement_step: terms.improvement_step.0,
			ladder: terms.ladder,
		}
	}

	/// The fields as `(name, value)` pairs for a printed record.
	pub fn fields(&self) -> Vec<(&'static str, serde_json::Value)> {
		vec![
			("fork_share", json!(format_share(self.fork_share))),
			("fork_decay", json!(format_share(self.fork_decay))),
			("fork_depth", json!(self.fork_depth)),
			("micro_share", json!(format_share(self.micro_share))),
			("improvement_reward", json!(format_merit(self.improvement_reward))),
			("review_reward", json!(format_merit(self.review_reward))),
			("max_reviews", json!(self.max_reviews)),
			("evaluator_fee", json!(format_merit(self.evaluator_fee))),
			("improvement_step", json!(merit_metrics::Score::from_parts(self.improvement_step).to_string())),
			("public_board", json!(if self.ladder { "ladder" } else { "full" })),
		]
	}
}

/// What `finalize` paid back to the owner (the part of the pool no payout took: the `returned` of
/// `MeritRewards::Finalized`), if the chain reported it.
pub async fn finalize(chain: &Chain, signer: &Keypair, challenge: u32) -> Result<Option<u128>> {
	// Each call counts a page of the prize board (the runtime's `FinalizePageSize` submissions or
	// entrants); the call that completes it pays. A large challenge takes several.
	let mut counted = String::new();
	loop {
		let events = chain
			.submit(
				&runtime::tx().merit_rewards().finalize(challenge),
				signer,
				&format!("finalizing challenge {challenge}{counted}"),
			)
			.await?;
		if let Some(done) = events.find_first::<runtime::merit_rewards::events::Finalized>().transpose()? {
			return Ok(Some(done.returned));
		}
		let Some(progress) = events.find_first::<runtime::merit_rewards::events::PrizeCountProgressed>().transpose()?
		else {
			return Ok(None);
		};
		counted = format!(
			" (prize board: {} of {} submissions read, {} entrants ranked)",
			progress.read, progress.submissions, progress.ranked
		);
	}
}

/// Where a challenge's pool went, by kind of payment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ledger {
	/// Prizes.
	pub prizes: u128,
	/// Fork credit.
	pub fork_credit: u128,
	/// Improvement micro-rewards.
	pub improvements: u128,
	/// Review micro-rewards.
	pub reviews: u128,
	/// Evaluator fees.
	pub evaluations: u128,
	/// Returned to the owner (at finalization, or at a cancellation).
	pub returned: u128,
	/// Claimed by the participants of an abandoned challenge (the ledger counts it; it is part of
	/// [`Self::total`], not a printed field of its own).
	pub refunded: u128,
}

impl Ledger {
	/// From the runtime's encoding.
	pub fn from_runtime(ledger: &PoolLedger<u128>) -> Ledger {
		let paid = &ledger.paid;
		Ledger {
			prizes: paid.prizes,
			fork_credit: paid.fork_credit,
			improvements: paid.improvements,
			reviews: paid.reviews,
			evaluations: paid.evaluations,
			returned: ledger.returned,
			refunded: ledger.refunded,
		}
	}

	/// Everything paid to contributors.
	pub fn paid(&self) -> u128 {
		[self.prizes, self.fork_credit, self.improvements, self.reviews, self.evaluations]
			.iter()
			.fold(0u128, |sum, v| sum.saturating_add(*v))
	}

	/// Paid, returned and refunded: everything that left the pool, the whole pool once it is
	/// finalized (the chain's `PoolLedger::total`).
	pub fn total(&self) -> u128 {
		self.paid().saturating_add(self.returned).saturating_add(self.refunded)
	}
}

/// A challenge's pool ledger and terms (`TrackRecordApi::pool`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pool {
	/// The challenge.
	pub challenge: u32,
	/// Where the pool went.
	pub ledger: Ledger,
	/// The reward terms.
	pub terms: Terms,
}

impl Pool {
	/// One record: paid by kind, returned, total, then the terms.
	pub fn table(&self) -> Table {
		let l = &self.ledger;
		let mut fields = vec![
			("challenge", json!(self.challenge)),
			("prizes", json!(format_merit(l.prizes))),
			("fork_credit", json!(format_merit(l.fork_credit))),
			("improvements", json!(format_merit(l.improvements))),
			("reviews", json!(format_merit(l.reviews))),
			("evaluations", json!(format_merit(l.evaluations))),
			("paid", json!(format_merit(l.paid()))),
			("returned", json!(format_merit(l.returned))),
			("total", json!(format_merit(l.total()))),
		];
		fields.extend(self.terms.fields());
		Table::record(fields)
	}
}

/// A challenge's pool; an unknown challenge is an error that says so.
pub async fn pool(chain: &Chain, challenge: u32) -> Result<Pool> {
	let at = chain.at_finalized().await?;
	let call = runtime::runtime_apis().track_record_api().pool(challenge);
	let answer = at.runtime_apis().call(call).await.context("calling TrackRecordApi::pool")?;
	let (ledger, terms) =
		answer.with_context(|| format!("there is no challenge {challenge} on the chain at {}", chain.url))?;
	Ok(Pool { challenge, ledger: Ledger::from_runtime(&ledger), terms: Terms::from_runtime(&terms) })
}

/// A rating must be 1 to 5 (checked before any transaction).
pub fn check_rating(rating: u8) -> Result<u8> {
	if !(1..=5).contains(&rating) {
		bail!("a rating is 1 to 5 (5 the best), not {rating}");
	}
	Ok(rating)
}

/// A review as the chain recorded it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reviewed {
	/// The challenge of the submission.
	pub challenge: u32,
	/// The reviewed submission.
	pub submission: u32,
	/// The reviewer.
	pub reviewer: AccountId32,
	/// 1 to 5.
	pub rating: u8,
	/// The report artifact.
	pub report: H256,
	/// The micro-reward it earned.
	pub paid: u128,
}

impl Reviewed {
	/// As a printed record.
	pub fn table(&self) -> Table {
		Table::record(vec![
			("submission", json!(self.submission)),
			("challenge", json!(self.challenge)),
			("reviewer", json!(self.reviewer.to_string())),
			("rating", json!(self.rating)),
			("report", json!(digest_hex(&self.report))),
			("paid", json!(format_merit(self.paid))),
		])
	}
}

/// Reviews a submission (`MeritRewards.review`) with a report the signer registered.
pub async fn review(chain: &Chain, signer: &Keypair, submission: u32, rating: u8, report: H256) -> Result<Reviewed> {
	check_rating(rating)?;
	let events = chain
		.submit(
			&runtime::tx().merit_rewards().review(submission, rating, report),
			signer,
			&format!("reviewing submission {submission}"),
		)
		.await?;
	let event = events
		.find_first::<runtime::merit_rewards::events::Reviewed>()
		.context("the chain accepted the review but reported no Reviewed event")??;
	Ok(Reviewed {
		challenge: event.challenge,
		submission: event.submission,
		reviewer: event.reviewer,
		rating: event.rating,
		report: event.report,
		paid: event.paid,
	})
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::units::MERIT;

	#[test]
	fn terms_from_flags() {
		assert_eq!(TermsInput::default().parse().unwrap(), None);
		let input = TermsInput {
			fork_share: Some("20%".into()),
			fork_depth: Some(3),
			review_reward: Some("5".into()),
			evaluator_fee: Some("0.5".into()),
			..Default::default()
		};
		let terms = input.parse().unwrap().unwrap();
		assert_eq!(
			terms,
			Terms {
				fork_share: 200_000_000,
				fork_depth: 3,
				review_reward: 5 * MERIT,
				evaluator_fee: MERIT / 2,
				..Default::default()
			}
		);
		assert_eq!(Terms::from_runtime(&terms.to_runtime()), terms);
		let bad = TermsInput { micro_share: Some("120%".into()), ..Default::default() };
		assert!(format!("{:#}", bad.parse().unwrap_err()).contains("--micro-share"));
		let bad = TermsInput { improvement_reward: Some("ten".into()), ..Default::default() };
		assert!(format!("{:#}", bad.parse().unwrap_err()).contains("--improvement-reward"));
		// The step is a score: 0.01 is 10^16 parts of 10^-18.
		let stepped = TermsInput { improvement_step: Some("0.01".into()), ..Default::default() };
		assert_eq!(stepped.parse().unwrap().unwrap().improvement_step, 10_000_000_000_000_000);
		let bad = TermsInput { improvement_step: Some("-1".into()), ..Default::default() };
		assert!(format!("{:#}", bad.parse().unwrap_err()).contains("--improvement-step"));
		// --ladder alone is a choice of terms, and survives the runtime's encoding.
		let ladder = TermsInput { ladder: true, ..Default::default() }.parse().unwrap().unwrap();
		assert!(ladder.ladder && Terms::from_runtime(&ladder.to_runtime()).ladder);
		assert!(ladder.fields().contains(&("public_board", json!("ladder"))));
	}

	#[test]
	fn ledger_sums_and_table() {
		let ledger = Ledger {
			prizes: 900 * MERIT,
			fork_credit: 60 * MERIT,
			improvements: 20 * MERIT,
			reviews: 5 * MERIT,
			evaluations: 6 * MERIT,
			returned: 9 * MERIT,
			refunded: 0,
		};
		assert_eq!(ledger.paid(), 991 * MERIT);
		assert_eq!(ledger.total(), 1000 * MERIT);
		let pool = Pool { challenge: 4, ledger, terms: Terms { micro_share: 50_000_000, ..Default::default() } };
		let json: serde_json::Value = serde_json::from_str(&pool.table().render(crate::output::Format::Json)).unwrap();
		assert_eq!(json["total"], json!("1000 MERIT"));
		assert_eq!(json["fork_credit"], json!("60 MERIT"));
		assert_eq!(json["micro_share"], json!("5%"));
		assert_eq!(json["challenge"], json!(4));
		let fields: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
		assert_eq!(fields.len(), 19, "{fields:?}");
		assert_eq!(json["public_board"], json!("full"));
		assert!(!fields.contains(&"refunded"), "{fields:?}");
		// An abandoned challenge: what participants claimed is part of the total, as on chain.
		let abandoned = Ledger { returned: 1, refunded: 999 * MERIT - 1, ..Default::default() };
		assert_eq!((abandoned.paid(), abandoned.total()), (0, 999 * MERIT));
	}

	#[test]
	fn ratings() {
		assert_eq!(check_rating(1).unwrap(), 1);
		assert_eq!(check_rating(5).unwrap(), 5);
		assert!(check_rating(0).unwrap_err().to_string().contains("1 to 5"));
		assert!(check_rating(6).is_err());
	}
}
