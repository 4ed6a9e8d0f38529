//! The command line: subcommands by role, parsed with clap, run against the library functions.
use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand};
use serde_json::json;
use std::{path::PathBuf, process::ExitCode, time::Duration};

use crate::{
	artifacts::{self, Kind, DEFAULT_LICENSE},
	account,
	challenges::{self, ArtifactSource, ChallengeInfo, DescriptionSource, Mode, NewChallenge, WaitState},
	chain::Chain,
	digest::{digest_hex, parse_digest, read_file},
	eval::{self, parse_metric, parse_salt},
	fetch::DEFAULT_IPFS_GATEWAY,
	keys,
	output::{Format, Table},
	record,
	rewards::{self, TermsInput},
	scoring,
	scoring::Board,
	state::{self, StateFile},
	store,
	submissions::{self, Lineage},
	units::{format_merit, parse_blocks, parse_merit, parse_share, parse_shares},
	verify,
};

/// merit: the command-line client of the Merit chain for open data-science challenges.
#[derive(Debug, Parser)]
#[command(name = "merit", version, about, propagate_version = true)]
pub struct Cli {
	#[command(flatten)]
	pub global: Global,
	#[command(subcommand)]
	pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct Global {
	/// The node's JSON-RPC endpoint.
	#[arg(long, global = true, env = "MERIT_URL", default_value = "ws://127.0.0.1:9944")]
	pub url: String,
	/// Output format of commands that print data.
	#[arg(long, global = true, value_enum, default_value = "table")]
	pub format: Format,
	/// The signing key as a secret URI: `//Alice` on a dev chain, or a seed phrase (with optional
	/// `//derivation`). Prefer --suri-file or MERIT_SURI for real keys.
	#[arg(long, global = true, env = "MERIT_SURI", hide_env_values = true)]
	pub suri: Option<String>,
	/// A file whose first line is the signing key's secret URI or seed phrase.
	#[arg(long, global = true)]
	pub suri_file: Option<PathBuf>,
	/// The artifact store that local files are uploaded to before they are registered
	/// (`http://HOST:PORT`, see `merit artifacts serve`).
	#[arg(long, global = true, env = "MERIT_STORE")]
	pub store: Option<String>,
	/// The HTTP gateway for `ipfs://` URIs.
	#[arg(long, global = true, env = "MERIT_IPFS_GATEWAY", default_value = DEFAULT_IPFS_GATEWAY)]
	pub ipfs_gateway: String,
	/// Where sealed submissions' salts are kept until their reveal [default: ~/.local/share/merit].
	#[arg(long, global = true, env = "MERIT_STATE_DIR")]
	pub state_dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
	/// Problem owners: publish, inspect and close out challenges.
	#[command(subcommand)]
	Challenge(ChallengeCommand),
	/// Participants: submit a predictions file to a challenge.
	Submit(SubmitArgs),
	/// Participants: reveal your sealed submissions to a closed challenge.
	Reveal {
		/// The challenge.
		challenge: u32,
	},
	/// Anyone: score predictions locally exactly as evaluators do.
	Eval(EvalArgs),
	/// Evaluator operators: register, insert the key, place hidden labels.
	#[command(subcommand)]
	Evaluator(EvaluatorCommand),
	/// Anyone: a challenge's leaderboard (ScoringApi).
	Leaderboard {
		/// The challenge.
		challenge: u32,
		/// Which rows' scores.
		#[arg(long, value_enum, default_value = "public")]
		subset: Board,
		/// Wait (spinner) until the leaderboard has at least this many entries, then print it.
		#[arg(long, value_name = "N")]
		wait_entries: Option<usize>,
		/// Seconds to wait for --wait-entries before failing [default: no limit].
		#[arg(long, value_name = "SECONDS", requires = "wait_entries")]
		timeout: Option<u64>,
	},
	/// Anyone: an account's balances (free, held, total) and nonce.
	Account {
		/// SS58 address or 0x-hex account id [default: the signer of --suri / --suri-file / MERIT_SURI].
		account: Option<String>,
	},
	/// Reviewers: review a revealed submission of a closed challenge (MeritRewards.review).
	Review(ReviewArgs),
	/// Auditors: an account's track record (TrackRecordApi of pallet-merit-rewards).
	Record {
		/// SS58 address or 0x-hex account id.
		account: String,
	},
	/// Auditors: recompute every score of a challenge from the revealed labels and compare.
	Verify {
		/// The challenge.
		challenge: u32,
	},
	/// Artifacts: run a store, register or inspect artifacts.
	#[command(subcommand)]
	Artifacts(ArtifactsCommand),
}

#[derive(Debug, Subcommand)]
pub enum ChallengeCommand {
	/// Publish a challenge; local files are hashed, uploaded to --store and registered first.
	Create(Box<CreateArgs>),
	/// Show one challenge.
	Show {
		/// The challenge.
		id: u32,
	},
	/// List every challenge.
	List,
	/// Reveal the labels of your closed challenge (uploads and registers the labels file).
	RevealLabels {
		/// The challenge.
		id: u32,
		/// The labels CSV committed to at creation.
		#[arg(long)]
		labels: PathBuf,
		/// The salt committed with (`0x...` = hex bytes, otherwise the text's UTF-8).
		#[arg(long)]
		salt: String,
		/// SPDX license of the labels artifact.
		#[arg(long, default_value = DEFAULT_LICENSE)]
		license: String,
	},
	/// Pay out a challenge whose scores are final (MeritRewards.finalize).
	Finalize {
		/// The challenge.
		id: u32,
	},
	/// Set the reward terms of your open challenge before its first submission
	/// (MeritRewards.set_reward_terms; unset fields are 0).
	Terms {
		/// The challenge.
		id: u32,
		#[command(flatten)]
		terms: TermsArgs,
	},
	/// Where a challenge's pool went (paid by kind, returned) and its reward terms.
	Pool {
		/// The challenge.
		id: u32,
	},
	/// Wait (spinner) until a challenge is in a state or a later one (open < closed <
	/// labels-revealed < finalized).
	Wait {
		/// The challenge.
		id: u32,
		/// The state to wait for.
		#[arg(long, value_enum)]
		state: WaitState,
		/// Seconds to wait before failing [default: no limit].
		#[arg(long, value_name = "SECONDS")]
		timeout: Option<u64>,
	},
}

/// The reward terms of a challenge (MeritRewards); flags not given are 0.
#[derive(Debug, Default, Args)]
pub struct TermsArgs {
	/// Part of a prize passed to the work the winning submission forked (`20%`).
	#[arg(long)]
	pub fork_share: Option<String>,
	/// How the passed part shrinks per further hop (`50%`).
	#[arg(long)]
	pub fork_decay: Option<String>,
	/// How many fork hops credit travels (0: none).
	#[arg(long)]
	pub fork_depth: Option<u32>,
	/// Part of the pool set aside for micro-rewards (improvements, reviews, evaluator fees).
	#[arg(long)]
	pub micro_share: Option<String>,
	/// MERIT paid for each new public best.
	#[arg(long)]
	pub improvement_reward: Option<String>,
	/// MERIT paid for each review.
	#[arg(long)]
	pub review_reward: Option<String>,
	/// Reviews one account may give in the challenge (0: reviews are off).
	#[arg(long)]
	pub max_reviews: Option<u32>,
	/// MERIT paid to each evaluator of a quorum, per final outcome.
	#[arg(long)]
	pub evaluator_fee: Option<String>,
}

impl TermsArgs {
	/// The flags as typed.
	pub fn input(&self) -> TermsInput {
		TermsInput {
			fork_share: self.fork_share.clone(),
			fork_decay: self.fork_decay.clone(),
			fork_depth: self.fork_depth,
			micro_share: self.micro_share.clone(),
			improvement_reward: self.improvement_reward.clone(),
			review_reward: self.review_reward.clone(),
			max_reviews: self.max_reviews,
			evaluator_fee: self.evaluator_fee.clone(),
		}
	}
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
	/// The submission.
	pub submission: u32,
	/// 1 (poor) to 5 (excellent).
	#[arg(long)]
	pub rating: u8,
	/// The review: a local file (uploaded to --store and registered as a report) or the digest
	/// of a report artifact you registered.
	#[arg(long)]
	pub report: String,
	/// SPDX license of the report artifact.
	#[arg(long, default_value = DEFAULT_LICENSE)]
	pub license: String,
}

#[derive(Debug, Args)]
pub struct CreateArgs {
	/// A short title.
	#[arg(long)]
	pub title: String,
	/// The task statement as text.
	#[arg(long, conflicts_with = "report", required_unless_present = "report")]
	pub description: Option<String>,
	/// The task statement as a report artifact: a local file or a registered digest.
	#[arg(long)]
	pub report: Option<String>,
	/// Training data: local files (uploaded and registered as datasets) or registered digests.
	#[arg(long = "training", required = true, num_args = 1..)]
	pub training: Vec<String>,
	/// rmse, mae, accuracy, macro_f1, log_loss or roc_auc.
	#[arg(long)]
	pub metric: String,
	/// The hidden labels CSV (only its hash goes on chain until the reveal).
	#[arg(long)]
	pub labels: PathBuf,
	/// The commitment salt; it also seeds the public/private split (`0x...` = hex bytes).
	#[arg(long)]
	pub salt: String,
	/// Share of hidden rows on the public leaderboard (`30%` or `0.3`).
	#[arg(long, default_value = "30%")]
	pub public_share: String,
	/// How long the challenge stays open: blocks (`600`) or time (`30m`, `2h`, `7d`; 3-s blocks).
	#[arg(long)]
	pub open_for: String,
	/// How long the owner has to reveal the labels once allowed (after close; for sealed
	/// challenges after the submission reveal period).
	#[arg(long, default_value = "1d")]
	pub reveal_within: String,
	/// Submissions per account per day.
	#[arg(long, default_value_t = 5)]
	pub per_day: u32,
	/// Submissions per account in total.
	#[arg(long, default_value_t = 100)]
	pub total: u32,
	/// Prize shares of ranks 1, 2, ... summing to 100% (`50%,30%,20%`).
	#[arg(long, default_value = "100%")]
	pub reward_shares: String,
	/// Evaluators that must agree on a score.
	#[arg(long, default_value_t = 1)]
	pub quorum: u32,
	/// The prize pool in MERIT (12 decimals), held from your balance.
	#[arg(long)]
	pub prize_pool: String,
	/// Open (digests visible at once) or sealed (commit, reveal after close).
	#[arg(long, value_enum, default_value = "open")]
	pub mode: Mode,
	/// SPDX license of the artifacts registered for the challenge.
	#[arg(long, default_value = DEFAULT_LICENSE)]
	pub license: String,
	/// Reward terms, set right after creation if any is given.
	#[command(flatten)]
	pub terms: TermsArgs,
}

#[derive(Debug, Args)]
pub struct SubmitArgs {
	/// The challenge.
	pub challenge: u32,
	/// The predictions CSV.
	pub file: PathBuf,
	/// Others' submissions this one forks (repeatable).
	#[arg(long = "fork", value_name = "SUBMISSION_ID")]
	pub fork: Vec<u32>,
	/// Your own earlier submission this one is a new version of.
	#[arg(long, value_name = "SUBMISSION_ID")]
	pub version_of: Option<u32>,
	/// SPDX license of the predictions artifact.
	#[arg(long, default_value = DEFAULT_LICENSE)]
	pub license: String,
	/// After inclusion, wait until evaluators agree on the public score and print it.
	#[arg(long)]
	pub wait_score: bool,
	/// Seconds to wait for the score.
	#[arg(long, default_value_t = 300)]
	pub score_timeout: u64,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
	/// rmse, mae, accuracy, macro_f1, log_loss or roc_auc.
	#[arg(long)]
	pub metric: String,
	/// The labels CSV.
	#[arg(long)]
	pub labels: PathBuf,
	/// The predictions CSV.
	#[arg(long)]
	pub predictions: PathBuf,
	/// The split's seed (the challenge's salt) to also score the public and private rows.
	#[arg(long, requires = "public_share")]
	pub salt: Option<String>,
	/// The challenge's public share (`30%` or `0.3`).
	#[arg(long, requires = "salt")]
	pub public_share: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum EvaluatorCommand {
	/// Bond as an evaluator (the signer) whose node signs with the key of --key-suri, and fund
	/// that key account.
	Register {
		/// The evaluator key's secret URI (the key inserted into the node).
		#[arg(long)]
		key_suri: String,
		/// MERIT sent to the key account for transaction fees.
		#[arg(long, default_value = "1")]
		fund: String,
	},
	/// Place a challenge's hidden labels in the node's offchain storage.
	SetLabels {
		/// The challenge.
		challenge: u32,
		/// The labels CSV.
		#[arg(long)]
		labels: PathBuf,
		/// The challenge's salt (`0x...` = hex bytes).
		#[arg(long)]
		salt: String,
		/// The evaluator node's RPC endpoint (unsafe methods allowed) [default: --url].
		#[arg(long)]
		node_rpc: Option<String>,
	},
	/// Insert the evaluator key (type mrev, sr25519) into the node's keystore.
	InsertKey {
		/// The key's secret URI [default: --suri / --suri-file / MERIT_SURI].
		#[arg(long)]
		key_suri: Option<String>,
		/// The evaluator node's RPC endpoint (unsafe methods allowed) [default: --url].
		#[arg(long)]
		node_rpc: Option<String>,
	},
}

#[derive(Debug, Subcommand)]
pub enum ArtifactsCommand {
	/// Run a content-addressed HTTP store: PUT/GET /sha256/<hex>.
	Serve {
		/// Where artifacts are kept.
		#[arg(long)]
		dir: PathBuf,
		/// Address to listen on.
		#[arg(long, default_value = "127.0.0.1:8000")]
		listen: String,
		/// Largest accepted artifact in bytes.
		#[arg(long, default_value_t = store::DEFAULT_MAX_SIZE)]
		max_size: u64,
	},
	/// Upload a file to --store and register it on chain.
	Register {
		/// The file.
		file: PathBuf,
		/// What it is.
		#[arg(long, value_enum)]
		kind: Kind,
		/// SPDX license id.
		#[arg(long, default_value = DEFAULT_LICENSE)]
		license: String,
	},
	/// Show a registered artifact.
	Show {
		/// Its sha256 digest (hex).
		digest: String,
	},
	/// Download an artifact from a URI (http, https, ipfs) or by digest, checking the hash.
	Fetch {
		/// A URI or a registered digest.
		source: String,
		/// Where to write it.
		#[arg(long, short)]
		output: PathBuf,
	},
}

/// Runs a parsed command line.
pub async fn run(cli: Cli) -> Result<ExitCode> {
	let g = &cli.global;
	match &cli.command {
		Command::Challenge(command) => challenge(g, command).await,
		Command::Submit(args) => submit(g, args).await,
		Command::Reveal { challenge } => {
			let chain = Chain::connect(&g.url).await?;
			let signer = signer(g)?;
			let revealed = submissions::reveal_pending(&chain, &signer, *challenge, &state_file(g)).await?;
			let mut table = Table::new(&["challenge", "submission"]);
			for id in revealed {
				table.push(vec![json!(challenge), json!(id)]);
			}
			table.print(g.format)?;
			Ok(ExitCode::SUCCESS)
		},
		Command::Eval(args) => {
			let metric = parse_metric(&args.metric)?;
			let labels = read_file(&args.labels)?;
			let predictions = read_file(&args.predictions)?;
			let salt = args.salt.as_deref().map(parse_salt).transpose()?;
			let share = args.public_share.as_deref().map(parse_share).transpose()?;
			let split = salt.as_deref().zip(share);
			let scores = eval::evaluate(metric, &labels, &predictions, split);
			eval::table(metric, &scores).print(g.format)?;
			Ok(if scores.iter().all(|s| s.score.is_ok()) { ExitCode::SUCCESS } else { ExitCode::FAILURE })
		},
		Command::Evaluator(command) => evaluator(g, command).await,
		Command::Leaderboard { challenge, subset, wait_entries, timeout } => {
			let chain = Chain::connect(&g.url).await?;
			challenges::get(&chain, *challenge).await?;
			let entries = match wait_entries {
				Some(n) => {
					let timeout = timeout.map(Duration::from_secs);
					scoring::wait_for_entries(&chain, *challenge, subset.subset(), *n, timeout).await?
				},
				None => scoring::leaderboard(&chain, *challenge, subset.subset()).await?,
			};
			scoring::leaderboard_table(&entries).print(g.format)?;
			Ok(ExitCode::SUCCESS)
		},
		Command::Account { account } => {
			let account = match account {
				Some(text) => keys::parse_account(text)?,
				None if g.suri.is_none() && g.suri_file.is_none() =>
					bail!("give an ACCOUNT (SS58 or 0x hex), or a signer (--suri, --suri-file, MERIT_SURI) to show its account"),
				None => keys::account_of(&signer(g)?),
			};
			let chain = Chain::connect(&g.url).await?;
			account::balances(&chain, &account).await?.table().print(g.format)?;
			Ok(ExitCode::SUCCESS)
		},
		Command::Review(args) => {
			let rating = rewards::check_rating(args.rating)?;
			let source = ArtifactSource::parse(&args.report)?;
			let signer = signer(g)?;
			let chain = Chain::connect(&g.url).await?;
			let report = source.resolve(&chain, &signer, Kind::Report, g.store.as_deref(), &args.license).await?;
			let owner = artifacts::require(&chain, report).await?.owner;
			let me = keys::account_of(&signer);
			if owner != me {
				bail!(
					"report {} was registered by {owner}, not by you ({me}): a review's report must be your own artifact",
					digest_hex(&report)
				);
			}
			let reviewed = rewards::review(&chain, &signer, args.submission, rating, report).await?;
			reviewed.table().print(g.format)?;
			Ok(ExitCode::SUCCESS)
		},
		Command::Record { account } => {
			let account = keys::parse_account(account)?;
			let chain = Chain::connect(&g.url).await?;
			let record = record::track_record(&chain, &account).await?;
			record::table(&record).print(g.format)?;
			Ok(ExitCode::SUCCESS)
		},
		Command::Verify { challenge } => {
			let chain = Chain::connect(&g.url).await?;
			let report = verify::verify(&chain, *challenge, &g.ipfs_gateway).await?;
			report.table().print(g.format)?;
			let differing = report.differing();
			if differing > 0 {
				eprintln!("{differing} final outcome(s) of challenge {challenge} differ from the recomputation");
				return Ok(ExitCode::FAILURE);
			}
			Ok(ExitCode::SUCCESS)
		},
		Command::Artifacts(command) => artifacts_command(g, command).await,
	}
}

fn signer(g: &Global) -> Result<subxt_signer::sr25519::Keypair> {
	keys::resolve_signer(g.suri.as_deref(), g.suri_file.as_deref())
}

fn state_file(g: &Global) -> StateFile {
	StateFile::new(&g.state_dir.clone().unwrap_or_else(state::default_dir))
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
	})
}

async fn challenge(g: &Global, command: &ChallengeCommand) -> Result<ExitCode> {
	match command {
		ChallengeCommand::Create(args) => {
			let spec = new_challenge(args)?;
			let terms = args.terms.input().parse()?;
			let signer = signer(g)?;
			let chain = Chain::connect(&g.url).await?;
			let id = challenges::create(&chain, &signer, &spec, g.store.as_deref(), &args.license).await?;
			if let Some(terms) = terms {
				rewards::set_terms(&chain, &signer, id, &terms).await.with_context(|| {
					format!("challenge {id} was created, but its reward terms were not set (retry with `merit challenge terms {id} ...`)")
				})?;
			}
			challenges::get(&chain, id).await?.table().print(g.format)?;
		},
		ChallengeCommand::Show { id } => {
			let chain = Chain::connect(&g.url).await?;
			challenges::get(&chain, *id).await?.table().print(g.format)?;
		},
		ChallengeCommand::List => {
			let chain = Chain::connect(&g.url).await?;
			let mut table = Table::new(&ChallengeInfo::SUMMARY_COLUMNS);
			for info in challenges::list(&chain).await? {
				table.push(info.summary_row());
			}
			table.print(g.format)?;
		},
		ChallengeCommand::RevealLabels { id, labels, salt, license } => {
			let labels = read_file(labels)?;
			let salt = parse_salt(salt)?;
			let signer = signer(g)?;
			let chain = Chain::connect(&g.url).await?;
			let digest =
				challenges::reveal_labels(&chain, &signer, *id, &labels, &salt, g.store.as_deref(), license).await?;
			Table::record(vec![("challenge", json!(id)), ("labels", json!(digest_hex(&digest))), ("state", json!("labels-revealed"))])
				.print(g.format)?;
		},
		ChallengeCommand::Finalize { id } => {
			let signer = signer(g)?;
			let chain = Chain::connect(&g.url).await?;
			if let Some(released) = rewards::finalize(&chain, &signer, *id).await? {
				eprintln!("challenge {id} finalized; {} went back to the owner", format_merit(released));
			}
			challenges::get(&chain, *id).await?.table().print(g.format)?;
		},
		ChallengeCommand::Terms { id, terms } => {
			let Some(terms) = terms.input().parse()? else {
				bail!(
					"give at least one of --fork-share, --fork-decay, --fork-depth, --micro-share, --improvement-reward, \
					 --review-reward, --max-reviews, --evaluator-fee (unset ones are 0; `merit challenge pool {id}` shows the current terms)"
				);
			};
			let signer = signer(g)?;
			let chain = Chain::connect(&g.url).await?;
			rewards::set_terms(&chain, &signer, *id, &terms).await?;
			rewards::pool(&chain, *id).await?.table().print(g.format)?;
		},
		ChallengeCommand::Pool { id } => {
			let chain = Chain::connect(&g.url).await?;
			rewards::pool(&chain, *id).await?.table().print(g.format)?;
		},
		ChallengeCommand::Wait { id, state, timeout } => {
			let chain = Chain::connect(&g.url).await?;
			let info = challenges::wait_for_state(&chain, *id, *state, timeout.map(Duration::from_secs)).await?;
			Table::record(vec![
				("challenge", json!(id)),
				("state", json!(challenges::state_name(&info.record.state))),
				("block", json!(chain.finalized_number().await?)),
			])
			.print(g.format)?;
		},
	}
	Ok(ExitCode::SUCCESS)
}

async fn submit(g: &Global, args: &SubmitArgs) -> Result<ExitCode> {
	let predictions = read_file(&args.file)?;
	let signer = signer(g)?;
	let chain = Chain::connect(&g.url).await?;
	let lineage = Lineage { parents: args.fork.clone(), previous_version: args.version_of };
	let submitted = submissions::submit(
		&chain,
		&signer,
		args.challenge,
		&predictions,
		&lineage,
		g.store.as_deref(),
		&args.license,
		&state_file(g),
	)
	.await?;
	let mut fields = vec![
		("challenge", json!(args.challenge)),
		("submission", json!(submitted.submission)),
		("digest", json!(digest_hex(&submitted.digest))),
		("sealed", json!(submitted.sealed)),
	];
	if submitted.sealed {
		eprintln!(
			"sealed: the salt is in {}; run `merit reveal {}` after the challenge closes",
			g.state_dir.clone().unwrap_or_else(state::default_dir).display(),
			args.challenge
		);
	} else if args.wait_score {
		let outcome = scoring::wait_for_outcome(
			&chain,
			submitted.submission,
			merit_metrics::Subset::Public,
			Duration::from_secs(args.score_timeout),
		)
		.await?;
		match outcome {
			Some(outcome) => fields.push(("public_score", json!(outcome.text()))),
			None => {
				eprintln!("no final public score after {} s (are evaluators running?)", args.score_timeout);
				fields.push(("public_score", json!(null)));
			},
		}
	}
	Table::record(fields).print(g.format)?;
	Ok(ExitCode::SUCCESS)
}

async fn evaluator(g: &Global, command: &EvaluatorCommand) -> Result<ExitCode> {
	match command {
		EvaluatorCommand::Register { key_suri, fund } => {
			let key = keys::account_of(&keys::keypair_from_suri(key_suri)?);
			let fund = parse_merit(fund)?;
			let signer = signer(g)?;
			let chain = Chain::connect(&g.url).await?;
			scoring::register_evaluator(&chain, &signer, &key, fund).await?;
			Table::record(vec![
				("evaluator", json!(keys::account_of(&signer).to_string())),
				("key", json!(key.to_string())),
				("funded", json!(format_merit(fund))),
			])
			.print(g.format)?;
		},
		EvaluatorCommand::SetLabels { challenge, labels, salt, node_rpc } => {
			let labels = read_file(labels)?;
			let salt = parse_salt(salt)?;
			let chain = Chain::connect(&g.url).await?;
			let node = match node_rpc {
				Some(url) if url != &g.url => Chain::connect(url).await?,
				_ => chain.clone(),
			};
			scoring::set_labels(&chain, &node, *challenge, &labels, &salt).await?;
			Table::record(vec![
				("challenge", json!(challenge)),
				("node", json!(node.url)),
				("key", json!(format!("0x{}", hex::encode(scoring::labels_storage_key(*challenge))))),
				("bytes", json!(labels.len())),
			])
			.print(g.format)?;
		},
		EvaluatorCommand::InsertKey { key_suri, node_rpc } => {
			let suri = match key_suri {
				Some(suri) => suri.clone(),
				None => match (&g.suri, &g.suri_file) {
					(Some(suri), None) => suri.clone(),
					(None, Some(path)) => keys::suri_from_file(path)?,
					_ => bail!("give the evaluator key with --key-suri, --suri or --suri-file"),
				},
			};
			let node = Chain::connect(node_rpc.as_deref().unwrap_or(&g.url)).await?;
			let account = scoring::insert_key(&node, &suri).await?;
			Table::record(vec![
				("node", json!(node.url)),
				("key_type", json!(scoring::KEY_TYPE)),
				("account", json!(account.to_string())),
			])
			.print(g.format)?;
		},
	}
	Ok(ExitCode::SUCCESS)
}

async fn artifacts_command(g: &Global, command: &ArtifactsCommand) -> Result<ExitCode> {
	match command {
		ArtifactsCommand::Serve { dir, listen, max_size } => {
			let store = store::Store::open(dir, *max_size)?;
			let (address, task) = store::spawn(listen, store).await?;
			eprintln!(
				"serving artifacts from {} at http://{address}/sha256/<hex> (Ctrl-C stops)",
				dir.display()
			);
			tokio::select! {
				result = task => result??,
				_ = tokio::signal::ctrl_c() => {},
			}
		},
		ArtifactsCommand::Register { file, kind, license } => {
			let bytes = read_file(file)?;
			let signer = signer(g)?;
			let chain = Chain::connect(&g.url).await?;
			let digest = artifacts::publish(&chain, &signer, &bytes, *kind, g.store.as_deref(), license).await?;
			artifacts::require(&chain, digest).await?.table().print(g.format)?;
		},
		ArtifactsCommand::Show { digest } => {
			let chain = Chain::connect(&g.url).await?;
			artifacts::require(&chain, parse_digest(digest)?).await?.table().print(g.format)?;
		},
		ArtifactsCommand::Fetch { source, output } => {
			let bytes = if source.contains("://") {
				let (uri, gateway) = (source.clone(), g.ipfs_gateway.clone());
				tokio::task::spawn_blocking(move || crate::fetch::fetch(&uri, &gateway, u64::MAX)).await??
			} else {
				let chain = Chain::connect(&g.url).await?;
				let artifact = artifacts::require(&chain, parse_digest(source)?).await?;
				artifacts::download(&artifact, &g.ipfs_gateway).await?
			};
			std::fs::write(output, &bytes).with_context(|| format!("cannot write {}", output.display()))?;
			Table::record(vec![
				("file", json!(output.display().to_string())),
				("sha256", json!(crate::digest::sha256_hex(&bytes))),
				("bytes", json!(bytes.len())),
			])
			.print(g.format)?;
		},
	}
	Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
	use super::*;
	use clap::CommandFactory;

	fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
		Cli::try_parse_from(std::iter::once("merit").chain(args.iter().copied()))
	}

	#[test]
	fn the_command_line_is_consistent() {
		Cli::command().debug_assert();
	}

	#[test]
	fn submit_and_globals() {
		let cli = parse(&["submit", "3", "p.csv", "--fork", "1", "--fork", "2", "--version-of", "0", "--format", "json", "--suri", "//Bob"])
			.unwrap();
		assert_eq!(cli.global.format, Format::Json);
		assert_eq!(cli.global.suri.as_deref(), Some("//Bob"));
		match cli.command {
			Command::Submit(args) => {
				assert_eq!(args.challenge, 3);
				assert_eq!(args.fork, vec![1, 2]);
				assert_eq!(args.version_of, Some(0));
				assert_eq!(args.license, "CC-BY-4.0");
			},
			other => panic!("{other:?}"),
		}
		assert!(parse(&["submit", "x", "p.csv"]).is_err());
		assert!(parse(&["leaderboard", "1", "--subset", "everything"]).is_err());
		assert!(parse(&["list"]).is_err());
	}

	#[test]
	fn eval_needs_salt_and_share_together() {
		assert!(parse(&["eval", "--metric", "mae", "--labels", "l", "--predictions", "p"]).is_ok());
		assert!(parse(&["eval", "--metric", "mae", "--labels", "l", "--predictions", "p", "--salt", "s"]).is_err());
		assert!(parse(&["eval", "--metric", "mae", "--labels", "l", "--predictions", "p", "--salt", "s", "--public-share", "30%"]).is_ok());
	}

	#[test]
	fn create_flags_become_params() {
		let dir = tempfile::tempdir().unwrap();
		let labels = dir.path().join("labels.csv");
		std::fs::write(&labels, "id,y\n1,2\n").unwrap();
		let train = dir.path().join("train.csv");
		std::fs::write(&train, "id,x\n1,2\n").unwrap();
		let digest = "ab".repeat(32);
		let cli = parse(&[
			"challenge", "create", "--title", "T", "--description", "D", "--training", train.to_str().unwrap(),
			"--training", &digest, "--metric", "rmse", "--labels", labels.to_str().unwrap(), "--salt", "s",
			"--open-for", "30m", "--prize-pool", "12.5", "--reward-shares", "60%,40%", "--mode", "sealed",
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
		assert_eq!(spec.training_data[0], ArtifactSource::File(train.clone()));
		assert_eq!(spec.training_data[1], ArtifactSource::Digest(parse_digest(&digest).unwrap()));
		// Neither description nor report; both; a missing training file.
		assert!(parse(&["challenge", "create", "--title", "T", "--training", "x", "--metric", "mae", "--labels", "l", "--salt", "s", "--open-for", "1", "--prize-pool", "1"]).is_err());
		assert!(parse(&["challenge", "create", "--title", "T", "--description", "D", "--report", "r", "--training", "x", "--metric", "mae", "--labels", "l", "--salt", "s", "--open-for", "1", "--prize-pool", "1"]).is_err());
		let missing = parse(&["challenge", "create", "--title", "T", "--description", "D", "--training", "/nonexistent.csv", "--metric", "mae", "--labels", labels.to_str().unwrap(), "--salt", "s", "--open-for", "1", "--prize-pool", "1"]).unwrap();
		let Command::Challenge(ChallengeCommand::Create(args)) = missing.command else { panic!() };
		assert!(new_challenge(&args).unwrap_err().to_string().contains("no such file"));
	}

	#[test]
	fn reward_terms_wait_and_review_flags() {
		let cli = parse(&[
			"challenge", "create", "--title", "T", "--description", "D", "--training", "x", "--metric", "mae",
			"--labels", "l", "--salt", "s", "--open-for", "1", "--prize-pool", "1", "--fork-share", "20%",
			"--fork-depth", "3", "--improvement-reward", "10", "--max-reviews", "3",
		])
		.unwrap();
		let Command::Challenge(ChallengeCommand::Create(args)) = cli.command else { panic!() };
		let terms = args.terms.input().parse().unwrap().unwrap();
		assert_eq!(terms.fork_share, 200_000_000);
		assert_eq!(terms.fork_depth, 3);
		assert_eq!(terms.improvement_reward, 10 * crate::units::MERIT);
		assert_eq!(terms.max_reviews, 3);
		assert_eq!((terms.fork_decay, terms.review_reward, terms.evaluator_fee), (0, 0, 0));
		let cli = parse(&["challenge", "create", "--title", "T", "--description", "D", "--training", "x", "--metric", "mae", "--labels", "l", "--salt", "s", "--open-for", "1", "--prize-pool", "1"]).unwrap();
		let Command::Challenge(ChallengeCommand::Create(args)) = cli.command else { panic!() };
		assert_eq!(args.terms.input().parse().unwrap(), None);

		let cli = parse(&["challenge", "terms", "2", "--evaluator-fee", "0.5"]).unwrap();
		let Command::Challenge(ChallengeCommand::Terms { id: 2, terms }) = cli.command else { panic!() };
		assert_eq!(terms.input().parse().unwrap().unwrap().evaluator_fee, crate::units::MERIT / 2);

		let cli = parse(&["challenge", "wait", "1", "--state", "labels-revealed", "--timeout", "60"]).unwrap();
		let Command::Challenge(ChallengeCommand::Wait { id: 1, state: WaitState::LabelsRevealed, timeout: Some(60) }) = cli.command
		else {
			panic!()
		};
		assert!(parse(&["challenge", "wait", "1", "--state", "done"]).is_err());
		assert!(parse(&["challenge", "wait", "1"]).is_err());

		let cli = parse(&["leaderboard", "0", "--subset", "private", "--wait-entries", "3", "--timeout", "180"]).unwrap();
		let Command::Leaderboard { wait_entries: Some(3), timeout: Some(180), .. } = cli.command else { panic!() };
		assert!(parse(&["leaderboard", "0", "--timeout", "5"]).is_err());

		let cli = parse(&["review", "7", "--rating", "5", "--report", "r.txt"]).unwrap();
		let Command::Review(args) = cli.command else { panic!() };
		assert_eq!((args.submission, args.rating, args.report.as_str(), args.license.as_str()), (7, 5, "r.txt", "CC-BY-4.0"));
		assert!(parse(&["review", "7", "--report", "r.txt"]).is_err());

		let cli = parse(&["account"]).unwrap();
		assert!(matches!(cli.command, Command::Account { account: None }));
	}
}
