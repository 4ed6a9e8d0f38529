//! Labelling campaigns (`MeritCampaigns`): `merit campaign create|add-subjects|add-gold|reveal-gold|
//! show|export|claim|close` and `merit classify`.
//!
//! Subjects are files in an artifact store, named by their sha256 (the campaign's subjects URI is
//! the store's address). A volunteer's answers are sealed ([`answer_seal`]) with a fresh salt kept
//! in the state directory (`campaign-seals.json`) until the subject's round is in review (or the
//! gold batch revealed); every `merit classify` call first reveals whatever has become revealable.
//! Gold answers and their salt are kept in `campaign-gold.json` until `reveal-gold`.
//!
//! Volunteers need no tokens: asking for a subject, classifying, revealing and claiming are
//! feeless actions ([`act`]), signed by the volunteer's key and sent as general transactions.
use anyhow::{bail, Context, Result};
use merit_primitives::campaigns::{answer_seal, feeless_message, gold_commitment, Answer, VolunteerAction};
pub use merit_primitives::campaigns::{Prob, ONE};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use subxt_signer::sr25519::Keypair;

use crate::{
	chain::{
		runtime,
		runtime_types::{
			merit_primitives::campaigns::RetirementRule,
			pallet_merit_campaigns::pallet::{CampaignParams, Level, Selection, SubjectInput},
		},
		AccountId32, Chain, Events, H256,
	},
	digest::sha256_hex,
	keys::account_of,
	output::Table,
	state,
	units::format_merit,
};

/// Blocks a feeless request stays valid.
const FEELESS_VALIDITY: u32 = 20;

/// Sends a volunteer's feeless action: `signer` signs it for this chain and campaign, and the
/// node takes it as a general transaction without fees (the volunteer may hold no tokens).
pub async fn act(
	chain: &Chain,
	signer: &Keypair,
	campaign: u32,
	action: VolunteerAction,
	what: &str,
) -> Result<Events> {
	use crate::chain::runtime_types::sp_runtime::MultiSignature;
	// Valid for a rate window (20 blocks): long enough to wait out a full block, short enough
	// that a request nobody included does not linger.
	let valid_until = chain.best_number().await?.saturating_add(FEELESS_VALIDITY);
	let message = feeless_message(&chain.api.genesis_hash().0, campaign, valid_until as u64, &action);
	let signature = MultiSignature::Sr25519(signer.sign(&message).0);
	relay(chain, campaign, account_of(signer), valid_until, action, signature, what).await
}

/// Sends a feeless action someone else signed (a browser's key, for `merit web`): the node checks
/// the signature; a relay can change nothing in it.
pub async fn relay(
	chain: &Chain,
	campaign: u32,
	volunteer: AccountId32,
	valid_until: u32,
	action: VolunteerAction,
	signature: crate::chain::runtime_types::sp_runtime::MultiSignature,
	what: &str,
) -> Result<Events> {
	use crate::chain::runtime_types::merit_primitives::campaigns::VolunteerAction as Call;
	let action = match action {
		VolunteerAction::NextSubject => Call::NextSubject,
		VolunteerAction::Classify { subject, seal } => Call::Classify { subject, seal },
		VolunteerAction::Reveal { subject, answer, salt } => Call::Reveal { subject, answer, salt },
		VolunteerAction::Claim => Call::Claim,
	};
	let call = runtime::tx().merit_campaigns().volunteer(campaign, volunteer, valid_until, action, signature);
	chain.submit_authorized(&call, what).await
}

/// A campaign in a list.
#[derive(Clone, Debug, Serialize)]
pub struct CampaignSummary {
	pub id: u32,
	pub title: String,
	pub answers: u8,
	pub subjects: u32,
	pub gold: u32,
	pub retired: u32,
	pub classifications: u32,
	pub pool: u128,
	pub ends_at: u32,
	pub closed: bool,
}

/// Every campaign, in order of creation.
pub async fn list(chain: &Chain) -> Result<Vec<CampaignSummary>> {
	let at = chain.at_finalized().await?;
	let mut out = Vec::new();
	let mut entries = at.storage().iter(runtime::storage().merit_campaigns().campaigns(), ()).await?;
	while let Some(entry) = entries.next().await {
		let entry = entry?;
		let (id,): (u32,) = entry.key()?.decode()?;
		let c = entry.value().decode()?;
		out.push(CampaignSummary {
			id,
			title: String::from_utf8_lossy(&c.title.0).into_owned(),
			answers: c.answers,
			subjects: c.subjects,
			gold: c.gold,
			retired: c.retired,
			classifications: c.classifications,
			pool: c.pool,
			ends_at: c.ends_at,
			closed: c.closed,
		});
	}
	out.sort_by_key(|c| c.id);
	Ok(out)
}

/// A campaign by id (`None` if there is none).
pub async fn summary(chain: &Chain, campaign: u32) -> Result<Option<CampaignSummary>> {
	Ok(list(chain).await?.into_iter().find(|c| c.id == campaign))
}

/// Where a volunteer's seal on a subject stands, for a browser deciding what to reveal.
#[derive(Clone, Debug, Serialize)]
pub struct SealStatus {
	pub subject: u32,
	/// `none` (no seal on chain), `sealed` (waiting for its round or batch), `ready` (revealable
	/// now), `revealed`, or `closed` (its round ended without it).
	pub state: &'static str,
	/// A gold subject's answer, once its batch is revealed.
	pub truth: Option<u8>,
}

/// A volunteer's open assignment (if any) and the state of its seals on `subjects`.
pub async fn volunteer_status(
	chain: &Chain,
	campaign: u32,
	who: &AccountId32,
	subjects: &[u32],
) -> Result<(Option<u32>, Vec<SealStatus>)> {
	let at = chain.at_finalized().await?;
	let ended = chain.best_number().await? > stored_campaign(&at, campaign).await?.ends_at;
	let mut out = Vec::new();
	for &subject in subjects {
		out.push(seal_status(&at, campaign, subject, who, ended).await?.1);
	}
	Ok((open_assignment(&at, campaign, who).await?, out))
}

/// The volunteer's assignment, if it still takes seals (not in review, retired or a closed gold
/// subject since it was assigned).
async fn open_assignment(at: &crate::chain::AtBlock, campaign: u32, who: &AccountId32) -> Result<Option<u32>> {
	let storage = runtime::storage().merit_campaigns();
	let assigned = at
		.storage()
		.try_fetch(storage.assignments(), (campaign, who.clone()))
		.await?
		.map(|v| v.decode())
		.transpose()?;
	let Some(subject) = assigned else { return Ok(None) };
	let open = at.storage().try_fetch(storage.slot_of(), (campaign, subject)).await?.is_some()
		|| at.storage().try_fetch(storage.gold_slot_of(), (campaign, subject)).await?.is_some();
	Ok(open.then_some(subject))
}

/// `who`'s seal on `subject` as stored, and where it stands (`ended`: the campaign has passed its
/// last block, so every round's seals may be revealed): what `merit classify` and the browser
/// decide their reveals by.
async fn seal_status(
	at: &crate::chain::AtBlock,
	campaign: u32,
	subject: u32,
	who: &AccountId32,
	ended: bool,
) -> Result<(Option<crate::chain::runtime_types::pallet_merit_campaigns::pallet::SealEntry>, SealStatus)> {
	let storage = runtime::storage().merit_campaigns();
	let seal = at
		.storage()
		.try_fetch(storage.seals(), (campaign, subject, who.clone()))
		.await?
		.map(|v| v.decode())
		.transpose()?;
	let Some(seal) = seal else {
		return Ok((None, SealStatus { subject, state: "none", truth: None }));
	};
	let state = at
		.storage()
		.try_fetch(storage.subjects(), (campaign, subject))
		.await?
		.context("a sealed subject vanished")?
		.decode()?;
	let truth = if state.gold_batch.is_some() {
		at.storage().try_fetch(storage.gold_answers(), (campaign, subject)).await?.map(|v| v.decode()).transpose()?
	} else {
		None
	};
	let status = if seal.answer.is_some() {
		"revealed"
	} else if state.gold_batch.is_some() {
		if truth.is_some() {
			"ready"
		} else {
			"sealed"
		}
	} else if state.retired.is_some() || seal.round != state.round {
		// The round ended without this reveal: it can never count.
		"closed"
	} else if state.review_until.is_some() || ended {
		"ready"
	} else {
		"sealed"
	};
	Ok((Some(seal), SealStatus { subject, state: status, truth }))
}

/// A campaign as stored at `at`; an unknown id is an error that says so.
async fn stored_campaign(
	at: &crate::chain::AtBlock,
	campaign: u32,
) -> Result<crate::chain::runtime_types::pallet_merit_campaigns::pallet::Campaign> {
	at.storage()
		.try_fetch(runtime::storage().merit_campaigns().campaigns(), (campaign,))
		.await?
		.with_context(|| format!("there is no campaign {campaign}"))?
		.decode()
		.map_err(Into::into)
}

/// A probability as people write it (`0.95`, `2e-4`) in parts of [`ONE`].
pub fn parse_prob(text: &str) -> Result<Prob> {
	let value: f64 = text.trim().parse().with_context(|| format!("`{text}` is not a probability"))?;
	if !(0.0..=1.0).contains(&value) {
		bail!("`{text}` is not a probability between 0 and 1");
	}
	Ok((value * ONE as f64).round() as Prob)
}

/// A probability for people.
pub fn format_prob(p: Prob) -> String {
	let text = format!("{:.6}", p as f64 / ONE as f64);
	let text = text.trim_end_matches('0').trim_end_matches('.');
	if text == "0" && p > 0 {
		format!("{:.1e}", p as f64 / ONE as f64)
	} else {
		text.to_string()
	}
}

/// Parses a retirement rule: `count:15`, `consensus:5:0.8`, `swap:PRIOR:DETECT:REJECT`
/// (e.g. `swap:2e-4:0.95:1e-7`) or `posterior:0.9:3`.
pub fn parse_rule(text: &str) -> Result<RetirementRule> {
	let parts: Vec<&str> = text.split(':').collect();
	let number = |s: &str| -> Result<u32> { s.parse().with_context(|| format!("`{s}` is not a whole number")) };
	Ok(match parts.as_slice() {
		["count", count] => RetirementRule::FixedCount { count: number(count)? },
		["consensus", votes, agreement] => {
			RetirementRule::Consensus { min_votes: number(votes)?, agreement: parse_prob(agreement)? }
		}
		["swap", prior, detect, reject] => {
			RetirementRule::Swap { prior: parse_prob(prior)?, detect: parse_prob(detect)?, reject: parse_prob(reject)? }
		}
		["posterior", threshold, votes] => {
			RetirementRule::Posterior { threshold: parse_prob(threshold)?, min_votes: number(votes)? }
		}
		_ => bail!(
			"`{text}` is not a rule: count:N, consensus:VOTES:AGREEMENT, swap:PRIOR:DETECT:REJECT or posterior:THRESHOLD:VOTES"
		),
	})
}

fn rule_text(rule: &RetirementRule) -> String {
	match rule {
		RetirementRule::FixedCount { count } => format!("fixed count: {count} classifications"),
		RetirementRule::Consensus { min_votes, agreement } => {
			format!("consensus: at least {min_votes} votes agreeing {}", format_prob(*agreement))
		}
		RetirementRule::Swap { prior, detect, reject } => format!(
			"SWAP: prior {}, retire at P ≥ {} or P ≤ {}",
			format_prob(*prior),
			format_prob(*detect),
			format_prob(*reject)
		),
		RetirementRule::Posterior { threshold, min_votes } => {
			format!("posterior: top class above {} after {min_votes} votes", format_prob(*threshold))
		}
	}
}

/// What `merit campaign create` publishes.
#[derive(Debug)]
pub struct NewCampaign {
	pub title: String,
	pub subjects_uri: String,
	pub answers: u8,
	pub rule: RetirementRule,
	pub round_size: u32,
	pub reveal_window: u32,
	pub priority: bool,
	/// `(seen_below, rate)`; the last rate holds after.
	pub gold_steps: Vec<(u32, Prob)>,
	/// `(threshold, min_gold)` per level.
	pub levels: Vec<(Prob, u32)>,
	pub pool: u128,
	/// Blocks from now.
	pub duration: u32,
}

/// Zooniverse's designator: a third of the first 15 subjects gold, a fifth up to 40, then a tenth.
pub fn default_gold_steps() -> Vec<(u32, Prob)> {
	vec![(15, ONE / 3), (40, ONE / 5), (u32::MAX, ONE / 10)]
}

/// Publishes a campaign; returns its id.
pub async fn create(chain: &Chain, signer: &Keypair, new: NewCampaign) -> Result<u32> {
	let ends_at = chain.best_number().await?.saturating_add(new.duration);
	let params = CampaignParams {
		title: new.title.into_bytes(),
		subjects_uri: new.subjects_uri.into_bytes(),
		answers: new.answers,
		rule: new.rule,
		round_size: new.round_size,
		reveal_window: new.reveal_window,
		selection: if new.priority { Selection::Priority } else { Selection::Random },
		gold_steps: new.gold_steps,
		levels: new.levels.into_iter().map(|(threshold, min_gold)| Level { threshold, min_gold }).collect(),
		skepticism: 0,
		pool: new.pool,
		ends_at,
	};
	let events = chain
		.submit(&runtime::tx().merit_campaigns().create_campaign(params), signer, "publishing the campaign")
		.await?;
	let created = events
		.find_first::<runtime::merit_campaigns::events::CampaignCreated>()
		.context("the chain accepted the campaign but reported no CampaignCreated event")??;
	Ok(created.campaign)
}

/// The most subjects one `add_subjects` or `add_gold` call carries.
pub async fn max_batch(chain: &Chain) -> Result<u32> {
	let at = chain.at_finalized().await?;
	Ok(at.constants().entry(runtime::constants().merit_campaigns().max_batch())?)
}

/// Uploads each file to the store and returns its digest.
async fn upload_all(store: &str, files: &[PathBuf]) -> Result<Vec<H256>> {
	let mut digests = Vec::with_capacity(files.len());
	let bar = crate::progress::bar(files.len() as u64, "uploading subjects");
	for file in files {
		let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
		crate::artifacts::upload(store, &bytes).await?;
		let hex = sha256_hex(&bytes);
		digests.push(H256::from_slice(&hex::decode(hex)?));
		bar.inc(1);
	}
	bar.finish_and_clear();
	Ok(digests)
}

/// Reads model priors: one line per subject (in the files' order), K probabilities separated by
/// commas; a header line is skipped.
pub fn read_priors(path: &Path, answers: u8) -> Result<Vec<Vec<Prob>>> {
	let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
	let mut priors = Vec::new();
	for (number, line) in text.lines().enumerate() {
		let cells: Vec<&str> = line.split(',').map(str::trim).collect();
		if number == 0 && cells.iter().any(|c| c.parse::<f64>().is_err()) {
			continue;
		}
		if cells.len() != answers as usize {
			bail!(
				"{} line {}: {} probabilities, the task has {answers} answers",
				path.display(),
				number + 1,
				cells.len()
			);
		}
		priors.push(cells.iter().map(|c| parse_prob(c)).collect::<Result<Vec<_>>>()?);
	}
	Ok(priors)
}

/// Uploads and adds subjects in batches; with priors, each subject starts at its model's
/// probabilities and, with `--by-uncertainty`, the least certain are added (served) first.
pub async fn add_subjects(
	chain: &Chain,
	signer: &Keypair,
	store: &str,
	campaign: u32,
	files: &[PathBuf],
	priors: Option<Vec<Vec<Prob>>>,
	by_uncertainty: bool,
) -> Result<(u32, u32)> {
	if let Some(priors) = &priors {
		if priors.len() != files.len() {
			bail!("{} priors for {} subjects", priors.len(), files.len());
		}
	}
	let digests = upload_all(store, files).await?;
	let mut subjects: Vec<SubjectInput> = digests
		.into_iter()
		.enumerate()
		.map(|(i, digest)| SubjectInput { digest, prior: priors.as_ref().map(|p| p[i].clone()), min_level: 0 })
		.collect();
	if by_uncertainty {
		// Active learning: the subjects whose model's top probability is lowest teach most.
		subjects.sort_by_key(|s| s.prior.as_ref().map_or(0, |p| p.iter().copied().max().unwrap_or(0)));
	}
	let batch = max_batch(chain).await? as usize;
	let mut first = None;
	let total = subjects.len() as u32;
	let batches = subjects.len().div_ceil(batch);
	let mut rest = subjects;
	for i in 0..batches {
		let tail = rest.split_off(batch.min(rest.len()));
		let chunk = std::mem::replace(&mut rest, tail);
		let events = chain
			.submit(
				&runtime::tx().merit_campaigns().add_subjects(campaign, chunk),
				signer,
				&format!("adding subjects (batch {} of {batches})", i + 1),
			)
			.await?;
		let added = events
			.find_first::<runtime::merit_campaigns::events::SubjectsAdded>()
			.context("no SubjectsAdded event")??;
		first.get_or_insert(added.first);
	}
	Ok((first.unwrap_or(0), total))
}

/// The gold answers and salt of a batch, kept by its owner until `reveal-gold`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoldSecret {
	pub genesis: String,
	pub campaign: u32,
	pub batch: u32,
	pub answers: Vec<u8>,
	pub salt: String,
}

fn gold_file(dir: &Path) -> PathBuf {
	dir.join("campaign-gold.json")
}

/// Uploads and adds a gold batch behind a commitment; the answers and salt go to the state
/// directory first, so a crash cannot lose them.
pub async fn add_gold(
	chain: &Chain,
	signer: &Keypair,
	store: &str,
	state_dir: &Path,
	campaign: u32,
	files: &[PathBuf],
	answers: &[Answer],
	reveal_after: u32,
) -> Result<(u32, u32)> {
	if files.len() != answers.len() {
		bail!("{} gold answers for {} gold subjects", answers.len(), files.len());
	}
	let digests = upload_all(store, files).await?;
	let at = chain.at_finalized().await?;
	let record = stored_campaign(&at, campaign).await?;
	let (batch, first) = (record.gold_batches, record.subjects);
	let pairs: Vec<(u32, Answer)> = answers.iter().enumerate().map(|(i, a)| (first + i as u32, *a)).collect();
	let salt = crate::reports::random_salt()?;
	let secret = GoldSecret {
		genesis: chain.genesis_hex(),
		campaign,
		batch,
		answers: answers.to_vec(),
		salt: hex::encode(salt),
	};
	let mut secrets: Vec<GoldSecret> = state::load_list(&gold_file(state_dir))?;
	secrets.retain(|s| !(s.genesis == secret.genesis && s.campaign == campaign && s.batch == batch));
	secrets.push(secret);
	state::save_list(&gold_file(state_dir), &secrets)?;
	chain
		.submit(
			&runtime::tx().merit_campaigns().add_gold(campaign, digests, gold_commitment(&pairs, &salt), reveal_after),
			signer,
			&format!("adding gold batch {batch}"),
		)
		.await?;
	Ok((batch, first))
}

/// Reveals a gold batch from the state directory.
pub async fn reveal_gold(chain: &Chain, signer: &Keypair, state_dir: &Path, campaign: u32, batch: u32) -> Result<()> {
	let secrets: Vec<GoldSecret> = state::load_list(&gold_file(state_dir))?;
	let genesis = chain.genesis_hex();
	let secret = secrets
		.into_iter()
		.find(|s| s.genesis == genesis && s.campaign == campaign && s.batch == batch)
		.with_context(|| format!("no gold answers of campaign {campaign} batch {batch} in {}", state_dir.display()))?;
	let salt: [u8; 32] = hex::decode(&secret.salt)?.try_into().map_err(|_| anyhow::anyhow!("a salt is 32 bytes"))?;
	chain
		.submit(
			&runtime::tx().merit_campaigns().reveal_gold(campaign, batch, secret.answers, salt),
			signer,
			&format!("revealing gold batch {batch}"),
		)
		.await?;
	Ok(())
}

/// A campaign as stored, with its open counts.
pub async fn show(chain: &Chain, campaign: u32) -> Result<Table> {
	let at = chain.at_finalized().await?;
	let c = stored_campaign(&at, campaign).await?;
	let open = at
		.storage()
		.try_fetch(runtime::storage().merit_campaigns().open_count(), (campaign,))
		.await?
		.map(|v| v.decode())
		.transpose()?
		.unwrap_or(0);
	let regular = c.subjects - c.gold;
	Ok(Table::record(vec![
		("campaign", json!(campaign)),
		("title", json!(String::from_utf8_lossy(&c.title.0))),
		("owner", json!(c.owner.to_string())),
		("answers", json!(c.answers)),
		("rule", json!(rule_text(&c.rule))),
		("round_size", json!(c.round_size)),
		(
			"selection",
			json!(match c.selection {
				Selection::Random => "random",
				Selection::Priority => "priority",
			}),
		),
		("subjects", json!(regular)),
		("open", json!(open)),
		("retired", json!(c.retired)),
		("gold", json!(c.gold)),
		("gold_batches", json!(format!("{} of {} revealed", c.gold_revealed, c.gold_batches))),
		("classifications", json!(c.classifications)),
		("pool", json!(format_merit(c.pool))),
		("pool_left", json!(format_merit(c.pool_left))),
		("ends_at_block", json!(c.ends_at)),
		("subjects_uri", json!(String::from_utf8_lossy(&c.subjects_uri.0))),
		("labels", c.labels.map_or(Value::Null, |d| json!(format!("0x{}", hex::encode(d.0))))),
		("closed", json!(c.closed)),
	]))
}

/// One subject's consensus as exported.
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
	pub subject: u32,
	pub digest: H256,
	pub label: Option<u8>,
	pub confidence: Prob,
	pub votes: u32,
	/// Revealed votes per answer.
	pub tally: Vec<u32>,
	pub gold: bool,
}

/// Every subject's consensus, in index order (unretired subjects: no label).
pub async fn labels(chain: &Chain, campaign: u32) -> Result<Vec<Label>> {
	let at = chain.at_finalized().await?;
	let mut out = Vec::new();
	let mut entries = at.storage().iter(runtime::storage().merit_campaigns().subjects(), (campaign,)).await?;
	while let Some(entry) = entries.next().await {
		let entry = entry?;
		let (_, subject): (u32, u32) = entry.key()?.decode()?;
		let s = entry.value().decode()?;
		out.push(Label {
			subject,
			digest: s.digest,
			label: s.retired.as_ref().map(|r| r.label),
			confidence: s.retired.as_ref().map_or(0, |r| r.confidence),
			votes: s.tally.0.iter().sum(),
			tally: s.tally.0.clone(),
			gold: s.gold_batch.is_some(),
		});
	}
	out.sort_by_key(|l| l.subject);
	Ok(out)
}

/// Every subject with its tally and consensus, for `merit campaign subjects`.
pub fn subjects_table(labels: &[Label]) -> Table {
	let mut table = Table::new(&["subject", "digest", "gold", "votes", "tally", "label", "confidence"]);
	for l in labels {
		table.push(vec![
			json!(l.subject),
			json!(format!("0x{}", hex::encode(l.digest.0))),
			json!(l.gold),
			json!(l.votes),
			json!(l.tally),
			l.label.map_or(Value::Null, |a| json!(a)),
			json!(format_prob(l.confidence)),
		]);
	}
	table
}

/// The labels artifact: `subject,digest,label,confidence` for every retired regular subject, in
/// index order; its sha256 is what `record_labels` records, so anyone can rebuild and check it.
pub fn labels_csv(labels: &[Label]) -> String {
	let mut out = String::from("subject,digest,label,confidence\n");
	for l in labels.iter().filter(|l| !l.gold) {
		if let Some(label) = l.label {
			out.push_str(&format!(
				"{},0x{},{label},{}\n",
				l.subject,
				hex::encode(l.digest.0),
				format_prob(l.confidence)
			));
		}
	}
	out
}

/// Records the labels artifact's digest on chain.
pub async fn record_labels(chain: &Chain, signer: &Keypair, campaign: u32, csv: &str) -> Result<String> {
	let hex = sha256_hex(csv.as_bytes());
	let digest = H256::from_slice(&hex::decode(&hex)?);
	chain
		.submit(&runtime::tx().merit_campaigns().record_labels(campaign, digest), signer, "recording the labels")
		.await?;
	Ok(hex)
}

/// A sealed answer waiting for its reveal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedAnswer {
	pub genesis: String,
	pub campaign: u32,
	pub subject: u32,
	pub volunteer: String,
	pub answer: u8,
	pub salt: String,
}

fn seals_file(dir: &Path) -> PathBuf {
	dir.join("campaign-seals.json")
}

/// The volunteer's current subject, asking for one if it has none (or a stale one); `None` when
/// nothing is left for it. Others' classifications move subjects in and out of review meanwhile,
/// so an assignment that reopened before the request arrived is read again.
pub async fn current_subject(chain: &Chain, signer: &Keypair, campaign: u32) -> Result<Option<u32>> {
	let who = account_of(signer);
	let mut attempts = 0;
	loop {
		let at = chain.at_finalized().await?;
		if let Some(subject) = open_assignment(&at, campaign, &who).await? {
			return Ok(Some(subject));
		}
		let result = act(chain, signer, campaign, VolunteerAction::NextSubject, "asking for a subject").await;
		match result {
			Ok(events) => {
				return Ok(events
					.find_first::<runtime::merit_campaigns::events::SubjectAssigned>()
					.transpose()?
					.map(|e| e.subject))
			}
			Err(e) if format!("{e:#}").contains("NothingToClassify") => return Ok(None),
			Err(e)
				if (format!("{e:#}").contains("AlreadyAssigned") || lost_track(&e) || invalidated(&e))
					&& attempts < 3 =>
			{
				attempts += 1
			}
			Err(e) => return Err(e),
		}
	}
}

/// The subject's file, fetched from the campaign's store and checked against its digest.
pub async fn subject_file(chain: &Chain, campaign: u32, subject: u32) -> Result<Vec<u8>> {
	let at = chain.at_finalized().await?;
	let c = stored_campaign(&at, campaign).await?;
	let s = at
		.storage()
		.try_fetch(runtime::storage().merit_campaigns().subjects(), (campaign, subject))
		.await?
		.with_context(|| format!("campaign {campaign} has no subject {subject}"))?
		.decode()?;
	let hex = hex::encode(s.digest.0);
	let uri = crate::store::artifact_uri(&String::from_utf8_lossy(&c.subjects_uri.0), &hex);
	tokio::task::spawn_blocking(move || crate::fetch::fetch_verified(&uri, "", 16 * 1024 * 1024, &hex)).await?
}

/// Seals `answer` to the volunteer's current subject (the salt saved first); returns the next
/// subject, if any.
pub async fn classify(
	chain: &Chain,
	signer: &Keypair,
	state_dir: &Path,
	campaign: u32,
	subject: u32,
	answer: Answer,
) -> Result<Option<u32>> {
	let who = account_of(signer);
	let salt = crate::reports::random_salt()?;
	let mut seals: Vec<SealedAnswer> = state::load_list(&seals_file(state_dir))?;
	seals.push(SealedAnswer {
		genesis: chain.genesis_hex(),
		campaign,
		subject,
		volunteer: who.to_string(),
		answer,
		salt: hex::encode(salt),
	});
	state::save_list(&seals_file(state_dir), &seals)?;
	let seal = answer_seal(campaign, subject, &who.0, answer, &salt);
	let classify = VolunteerAction::Classify { subject, seal };
	let result = act(chain, signer, campaign, classify, &format!("classifying subject {subject}")).await;
	match result {
		Ok(events) => {
			Ok(events.find_first::<runtime::merit_campaigns::events::SubjectAssigned>().transpose()?.map(|e| e.subject))
		}
		// The RPC connection resent the transaction after a hiccup, so its watch saw the copy:
		// the chain's seals say whether it landed.
		Err(e) if lost_track(&e) => {
			if sealed_on_chain(chain, campaign, subject, &who, &seal).await? {
				Ok(None)
			} else {
				Err(e)
			}
		}
		// Accepted, then dropped when others' seals took the subject into review first; or the
		// finalized view this client read trails a block that already moved the assignment on.
		Err(e) if invalidated(&e) || format!("{e:#}").contains("NotYourSubject") => Err(e.context(format!(
			"NothingToClassify: subject {subject} went into review before this classification was included"
		))),
		Err(e) => Err(e),
	}
}

/// Whether a submission's outcome is unknown because its watch saw a resent copy.
fn lost_track(error: &anyhow::Error) -> bool {
	format!("{error:#}").contains("already imported")
}

/// Whether the pool dropped a feeless action it had accepted because a block changed what it
/// depended on (others filled the subject's round, say): it will never be included.
fn invalidated(error: &anyhow::Error) -> bool {
	format!("{error:#}").contains("marked as invalid")
}

/// Waits (up to 30 s) for `seal` to be `who`'s seal on `subject`.
async fn sealed_on_chain(
	chain: &Chain,
	campaign: u32,
	subject: u32,
	who: &AccountId32,
	seal: &[u8; 32],
) -> Result<bool> {
	for _ in 0..60 {
		let at = chain.at_finalized().await?;
		let entry = at
			.storage()
			.try_fetch(runtime::storage().merit_campaigns().seals(), (campaign, subject, who.clone()))
			.await?
			.map(|v| v.decode())
			.transpose()?;
		if entry.is_some_and(|e| &e.seal == seal) {
			return Ok(true);
		}
		tokio::time::sleep(std::time::Duration::from_millis(500)).await;
	}
	Ok(false)
}

/// What a reveal taught the volunteer about a gold subject.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoldFeedback {
	pub subject: u32,
	pub said: u8,
	pub truth: u8,
}

impl GoldFeedback {
	/// What `merit classify` tells the volunteer.
	pub fn message(&self) -> String {
		let verdict =
			if self.said == self.truth { "right".to_string() } else { format!("the answer was {}", self.truth) };
		format!("gold subject {}: you said {}, {verdict}", self.subject, self.said)
	}
}

/// The number of answers of a campaign's task.
pub async fn answer_count(chain: &Chain, campaign: u32) -> Result<u8> {
	let at = chain.at_finalized().await?;
	Ok(stored_campaign(&at, campaign).await?.answers)
}

/// Reveals every sealed answer of the signer that the chain now accepts; returns how many and the
/// gold feedback they brought. Seals that can no longer be revealed (a closed round) are dropped.
pub async fn reveal_ready(chain: &Chain, signer: &Keypair, state_dir: &Path) -> Result<(u32, Vec<GoldFeedback>)> {
	let who = account_of(signer);
	let genesis = chain.genesis_hex();
	let mut seals: Vec<SealedAnswer> = state::load_list(&seals_file(state_dir))?;
	let mut keep = Vec::new();
	let (mut revealed, mut feedback) = (0, Vec::new());
	let best = chain.best_number().await?;
	let mut ended = std::collections::HashMap::new();
	for sealed in seals.drain(..) {
		if sealed.genesis != genesis || sealed.volunteer != who.to_string() {
			keep.push(sealed);
			continue;
		}
		// Each seal at the latest finalized block (this pass's own reveals move the chain on), but
		// whether its campaign has ended once per campaign per pass.
		let at = chain.at_finalized().await?;
		let ended = match ended.get(&sealed.campaign) {
			Some(ended) => *ended,
			None => {
				let record = stored_campaign(&at, sealed.campaign).await?;
				*ended.entry(sealed.campaign).or_insert(best > record.ends_at)
			}
		};
		let (entry, status) = seal_status(&at, sealed.campaign, sealed.subject, &who, ended).await?;
		let Some(entry) = entry else {
			// Not on chain (the classify failed): nothing to reveal.
			continue;
		};
		let salt: [u8; 32] =
			hex::decode(&sealed.salt)?.try_into().map_err(|_| anyhow::anyhow!("a salt is 32 bytes"))?;
		// A saved answer whose classify never landed (others filled the round first) does not
		// open the seal that is on chain: it is dropped.
		if answer_seal(sealed.campaign, sealed.subject, &who.0, sealed.answer, &salt) != entry.seal {
			continue;
		}
		match status.state {
			"revealed" | "closed" => continue,
			"ready" => {}
			_ => {
				keep.push(sealed);
				continue;
			}
		}
		let gold = status.truth;
		let reveal = VolunteerAction::Reveal { subject: sealed.subject, answer: sealed.answer, salt };
		let result = act(
			chain,
			signer,
			sealed.campaign,
			reveal,
			&format!("revealing your answer to subject {}", sealed.subject),
		)
		.await;
		// The finalized state read above can trail the node by a block: a seal revealed a moment
		// ago, or a round that ended meanwhile, is done with; one not yet in review waits.
		match result {
			Ok(_) => {}
			Err(e) if format!("{e:#}").contains("AlreadyRevealed2") || format!("{e:#}").contains("StaleSeal") => {
				continue
			}
			// Not yet revealable, or a resent copy whose fate the next pass reads from the chain.
			Err(e) if format!("{e:#}").contains("NotInReview") || lost_track(&e) || invalidated(&e) => {
				keep.push(sealed);
				continue;
			}
			Err(e) => return Err(e),
		}
		revealed += 1;
		if let Some(truth) = gold {
			feedback.push(GoldFeedback { subject: sealed.subject, said: sealed.answer, truth });
		}
	}
	state::save_list(&seals_file(state_dir), &keep)?;
	Ok((revealed, feedback))
}

/// A volunteer's standing in a campaign.
pub async fn volunteer(chain: &Chain, campaign: u32, who: &AccountId32) -> Result<Table> {
	let at = chain.at_finalized().await?;
	let v = at
		.storage()
		.try_fetch(runtime::storage().merit_campaigns().volunteers(), (who.clone(), campaign))
		.await?
		.with_context(|| format!("{who} has not classified in campaign {campaign}"))?
		.decode()?;
	let k = (v.confusion.0.len() as f64).sqrt().round() as usize;
	let skill: Vec<String> = (0..k)
		.map(|i| {
			let row = &v.confusion.0[i * k..(i + 1) * k];
			let total: u32 = row.iter().sum();
			format!("{i}: {:.2} ({} gold)", row[i] as f64 / total.max(1) as f64, total.saturating_sub(k as u32))
		})
		.collect();
	Ok(Table::record(vec![
		("volunteer", json!(who.to_string())),
		("campaign", json!(campaign)),
		("classified", json!(v.seen)),
		("gold_seen", json!(v.gold_seen)),
		("revealed", json!(v.revealed)),
		("level", json!(v.level)),
		("skill_per_class", json!(skill)),
		("weight", json!(format_prob(v.weight))),
		("agreements", json!(v.agreements)),
		("paid", v.paid.map_or(Value::Null, |p| json!(format_merit(p)))),
	]))
}

/// Ends the signer's campaign now.
pub async fn end(chain: &Chain, signer: &Keypair, campaign: u32) -> Result<()> {
	chain
		.submit(&runtime::tx().merit_campaigns().end_campaign(campaign), signer, &format!("ending campaign {campaign}"))
		.await?;
	Ok(())
}

/// Claims the signer's share; returns it.
pub async fn claim(chain: &Chain, signer: &Keypair, campaign: u32) -> Result<u128> {
	let events =
		act(chain, signer, campaign, VolunteerAction::Claim, &format!("claiming from campaign {campaign}")).await?;
	Ok(events
		.find_first::<runtime::merit_campaigns::events::RewardClaimed>()
		.context("no RewardClaimed event")??
		.amount)
}

/// Closes a campaign; returns what went back to its owner.
pub async fn close(chain: &Chain, signer: &Keypair, campaign: u32) -> Result<u128> {
	let events = chain
		.submit(
			&runtime::tx().merit_campaigns().close_campaign(campaign),
			signer,
			&format!("closing campaign {campaign}"),
		)
		.await?;
	Ok(events
		.find_first::<runtime::merit_campaigns::events::CampaignClosed>()
		.context("no CampaignClosed event")??
		.returned)
}

/// A small grayscale image (PGM, `P2` or `P5`) as text, darker pixels denser: what `merit
/// classify` shows in a terminal. `None` for anything else.
pub fn render_pgm(bytes: &[u8]) -> Option<String> {
	let ramp = [' ', '.', ':', '-', '=', '+', '*', '#', '%', '@'];
	let (pixels, width, max) = pgm_pixels(bytes)?;
	let mut out = String::new();
	for row in pixels.chunks(width) {
		for p in row {
			let c = ramp[((*p).min(max) as usize * (ramp.len() - 1)) / max as usize];
			out.push(c);
			out.push(c);
		}
		out.push('\n');
	}
	Some(out)
}

/// A small PGM image's grey levels (row-major), width and maximum level; `None` for anything else
/// (or wider than 128 pixels).
pub fn pgm_pixels(bytes: &[u8]) -> Option<(Vec<u32>, usize, u32)> {
	let text_header = |n: usize| -> Option<(Vec<u32>, usize)> {
		// Magic, width, height, maxval: whitespace-separated tokens, then the pixels.
		let mut tokens = Vec::new();
		let mut i = 2;
		while tokens.len() < n {
			while i < bytes.len() && bytes[i].is_ascii_whitespace() {
				i += 1;
			}
			let start = i;
			while i < bytes.len() && bytes[i].is_ascii_digit() {
				i += 1;
			}
			tokens.push(std::str::from_utf8(&bytes[start..i]).ok()?.parse().ok()?);
		}
		Some((tokens, i + 1))
	};
	let (pixels, width, max) = match bytes.get(..2)? {
		b"P2" => {
			// Plain PGM: tokens after the magic, `#` comments to the end of their line skipped.
			let text = std::str::from_utf8(bytes).ok()?;
			let tokens: Vec<u32> = text
				.lines()
				.map(|line| line.split('#').next().unwrap_or(""))
				.flat_map(str::split_whitespace)
				.skip(1)
				.map(|t| t.parse().ok())
				.collect::<Option<Vec<u32>>>()?;
			let (header, pixels) = tokens.split_at(3.min(tokens.len()));
			if header.len() < 3 {
				return None;
			}
			(pixels.to_vec(), header[0] as usize, header[2])
		}
		b"P5" => {
			let (header, start) = text_header(3)?;
			(bytes.get(start..)?.iter().map(|b| *b as u32).collect(), header[0] as usize, header[2])
		}
		_ => return None,
	};
	if width == 0 || width > 128 || max == 0 {
		return None;
	}
	Some((pixels, width, max))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn rules_and_probabilities_parse_and_print() {
		assert!(matches!(parse_rule("count:15").unwrap(), RetirementRule::FixedCount { count: 15 }));
		assert!(matches!(
			parse_rule("swap:2e-4:0.95:1e-7").unwrap(),
			RetirementRule::Swap { prior, detect, reject }
				if prior == ONE / 5_000 && detect == ONE / 100 * 95 && reject == ONE / 10_000_000
		));
		assert!(matches!(
			parse_rule("consensus:5:0.8").unwrap(),
			RetirementRule::Consensus { min_votes: 5, agreement } if agreement == ONE / 10 * 8
		));
		assert!(parse_rule("majority").unwrap_err().to_string().contains("is not a rule"));
		assert!(parse_prob("1.5").unwrap_err().to_string().contains("between 0 and 1"));
		assert_eq!(format_prob(ONE / 100 * 95), "0.95");
		assert_eq!(format_prob(ONE / 10_000_000), "1.0e-7");
	}

	#[test]
	fn a_small_image_renders_as_text() {
		let pgm = b"P2\n# a comment\n2 2\n16\n0 16\n8 0\n";
		assert_eq!(render_pgm(pgm).unwrap(), "  @@\n==  \n");
		let binary = [b"P5\n2 1\n255\n".as_slice(), &[255, 0]].concat();
		assert_eq!(render_pgm(&binary).unwrap(), "@@  \n");
		assert_eq!(render_pgm(b"not an image"), None);
	}

	#[test]
	fn the_labels_file_lists_retired_regular_subjects_in_order() {
		let l = |subject, label, gold| Label {
			subject,
			digest: H256::repeat_byte(subject as u8),
			label,
			confidence: ONE / 10 * 9,
			votes: 3,
			tally: vec![0, 3],
			gold,
		};
		let csv = labels_csv(&[l(0, Some(3), false), l(1, None, false), l(2, Some(1), true), l(3, Some(0), false)]);
		assert_eq!(
			csv,
			format!("subject,digest,label,confidence\n0,0x{},3,0.9\n3,0x{},0,0.9\n", "00".repeat(32), "03".repeat(32))
		);
	}
}

/// How a simulated volunteer answers (`merit campaign simulate`, for demos and tests).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Behaviour {
	/// The truth with this probability, else a uniformly random other answer.
	Accurate(f64),
	/// Uniformly at random.
	Random,
	/// Always a wrong answer: the truth plus one.
	Adversarial,
}

/// A crowd: `(kind, how many, behaviour)`; parsed from `expert:4:0.95,novice:6:0.7,random:3,adversarial:2`.
pub fn parse_crowd(text: &str) -> Result<Vec<(String, u32, Behaviour)>> {
	text.split(',')
		.map(str::trim)
		.filter(|p| !p.is_empty())
		.map(|part| {
			let cells: Vec<&str> = part.split(':').collect();
			let count = |c: &str| -> Result<u32> { c.parse().with_context(|| format!("`{c}` is not a count")) };
			Ok(match cells.as_slice() {
				["random", n] => ("random".to_string(), count(n)?, Behaviour::Random),
				["adversarial", n] => ("adversarial".to_string(), count(n)?, Behaviour::Adversarial),
				[name, n, accuracy] => {
					let accuracy: f64 = accuracy.parse().with_context(|| format!("`{accuracy}` is not an accuracy"))?;
					if !(0.0..=1.0).contains(&accuracy) {
						bail!("accuracy `{accuracy}` is not between 0 and 1");
					}
					(name.to_string(), count(n)?, Behaviour::Accurate(accuracy))
				}
				_ => bail!("`{part}` is not NAME:COUNT:ACCURACY, random:COUNT or adversarial:COUNT"),
			})
		})
		.collect()
}

/// xorshift64*: each simulated volunteer's own reproducible choices.
struct Dice(u64);

impl Dice {
	fn next(&mut self) -> u64 {
		self.0 ^= self.0 >> 12;
		self.0 ^= self.0 << 25;
		self.0 ^= self.0 >> 27;
		self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
	}
	fn unit(&mut self) -> f64 {
		(self.next() >> 11) as f64 / (1u64 << 53) as f64
	}
	fn below(&mut self, n: u64) -> u64 {
		self.next() % n.max(1)
	}
}

impl Behaviour {
	fn answer(self, truth: u8, answers: u8, dice: &mut Dice) -> u8 {
		match self {
			Behaviour::Accurate(p) if dice.unit() < p => truth,
			Behaviour::Accurate(_) => (truth + 1 + dice.below(answers as u64 - 1) as u8) % answers,
			Behaviour::Random => dice.below(answers as u64) as u8,
			Behaviour::Adversarial => (truth + 1) % answers,
		}
	}
}

/// The `index`-th simulated volunteer of `kind`: `<funder's URI>//merit-campaign//<kind>//<index>`.
pub fn simulated_volunteer(funder_uri: &str, kind: &str, index: u32) -> Result<Keypair> {
	use std::str::FromStr;
	let uri = subxt_signer::SecretUri::from_str(&format!("{funder_uri}//merit-campaign//{kind}//{index}"))
		.map_err(|e| anyhow::anyhow!("cannot derive volunteer {kind} {index}: {e}"))?;
	Keypair::from_uri(&uri).map_err(|e| anyhow::anyhow!("cannot derive volunteer {kind} {index}: {e}"))
}

/// Runs a simulated crowd on a campaign: each volunteer (an account derived from `funder_uri`,
/// holding no tokens: its actions are feeless) reveals what it can, then classifies up to
/// `per_volunteer` subjects the chain assigns it, answering from `truth` (subject → label) by its
/// behaviour; all volunteers at once. Returns, per volunteer, its kind, account and
/// classifications made.
pub async fn simulate(
	chain: &Chain,
	funder_uri: &str,
	state_dir: &Path,
	campaign: u32,
	truth: &std::collections::HashMap<u32, u8>,
	crowd: &[(String, u32, Behaviour)],
	per_volunteer: u32,
) -> Result<Vec<(String, AccountId32, u32)>> {
	use subxt::ext::futures::future::try_join_all;
	let at = chain.at_finalized().await?;
	let answers = stored_campaign(&at, campaign).await?.answers;
	let mut volunteers = Vec::new();
	for (kind, count, behaviour) in crowd {
		for index in 0..*count {
			let keypair = simulated_volunteer(funder_uri, kind, index)?;
			volunteers.push((kind.clone(), index, *behaviour, keypair));
		}
	}
	let runs = volunteers.into_iter().map(|(kind, index, behaviour, keypair)| async move {
		let dir = state_dir.join(format!("sim-{kind}-{index}"));
		let mut dice = Dice(0x9e37_79b9_7f4a_7c15 ^ ((index as u64 + 1) << 20) ^ kind.len() as u64);
		let mut made = 0;
		reveal_ready(chain, &keypair, &dir).await?;
		while made < per_volunteer {
			let Some(subject) = current_subject(chain, &keypair, campaign).await? else { break };
			let truth = *truth.get(&subject).with_context(|| format!("no truth for subject {subject}"))?;
			let answer = behaviour.answer(truth, answers, &mut dice);
			match classify(chain, &keypair, &dir, campaign, subject, answer).await {
				Ok(_) => made += 1,
				// Others filled the subject's round first: ask for another.
				Err(e) if format!("{e:#}").contains("NothingToClassify") => continue,
				Err(e) => return Err(e),
			}
			reveal_ready(chain, &keypair, &dir).await?;
		}
		Ok::<_, anyhow::Error>((kind, account_of(&keypair), made))
	});
	try_join_all(runs).await
}
