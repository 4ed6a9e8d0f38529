//! The command line's shape: clap's definitions of every subcommand and flag (no behaviour; the
//! handlers are in [`crate::commands`]).
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

use crate::{
	artifacts::{Kind, DEFAULT_LICENSE},
	challenges::{Mode, WaitState},
	fetch::DEFAULT_IPFS_GATEWAY,
	output::Format,
	reports::{Abstention, ReportFailure},
	rewards::TermsInput,
	scoring::{Board, Stage},
	store,
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
	/// Where the salts of sealed submissions and of an evaluator's sealed reports are kept until their
	/// reveal [default: ~/.local/share/merit].
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
	/// Participants: reveal your committed submissions (a sealed challenge's after it closes, an open
	/// one's while it is open, if `submit` could not); each file is uploaded and registered now,
	/// from the copy kept since the commitment.
	Reveal {
		/// The challenge.
		challenge: u32,
		/// SPDX license of the predictions artifacts.
		#[arg(long, default_value = DEFAULT_LICENSE)]
		license: String,
	},
	/// Anyone: settle submissions' deposits (MeritChallenges.settle_deposit): each comes back to its
	/// author once scored, or is burnt once it can no longer be.
	SettleDeposit {
		/// The submissions.
		#[arg(required = true)]
		submissions: Vec<u32>,
	},
	/// Participants: mark which of your submissions count on the private board, which decides
	/// prizes and track records (MeritChallenges.select_final), while the challenge is open.
	/// Marking replaces earlier marks; without marks your best public scores count.
	Select {
		/// The challenge.
		challenge: u32,
		/// Your submissions to count, at most the challenge's final_selections.
		#[arg(required_unless_present = "clear", conflicts_with = "clear")]
		submissions: Vec<u32>,
		/// Drop your marks: your best public scores count again.
		#[arg(long)]
		clear: bool,
	},
	/// Anyone: every submission of a challenge, whether it counts on the private board (marked,
	/// by default, or not) and its final public and private scores.
	Selections {
		/// The challenge.
		challenge: u32,
	},
	/// Participants: claim your share of an abandoned challenge's pool, one per submission with a
	/// final public score (MeritRewards.claim_refund).
	Refund {
		/// The challenge.
		challenge: u32,
	},
	/// Anyone: score predictions locally exactly as evaluators do.
	Eval(EvalArgs),
	/// Evaluator operators: register, insert the key; panels and rounds; an evaluator by hand
	/// (labels key, public labels, report, reveal, abstain).
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
	/// Anyone: dispute a final private score (MeritScoring.dispute); holds the dispute bond from the
	/// signer while a fresh panel recounts.
	Dispute {
		/// The submission whose final private score is disputed.
		submission: u32,
	},
	/// Anyone: a challenge's open disputes, with their recounting panel once drawn.
	Disputes {
		/// The challenge.
		challenge: u32,
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
	/// Participants: teams (MeritTeams): found, invite, accept, leave, agree shares, share out
	/// winnings.
	#[command(subcommand)]
	Team(TeamCommand),
	/// Problem owners: crowdsourced labelling campaigns (MeritCampaigns): publish, add subjects and
	/// gold, reveal gold, export the consensus labels.
	#[command(subcommand)]
	Campaign(CampaignCommand),
	/// Volunteers: classify a campaign's subjects in a terminal session: shows each subject the
	/// chain assigns you (small images as text), takes your answer, seals it, reveals earlier
	/// answers once their round is in review and tells you how you did on gold subjects.
	Classify {
		/// The campaign.
		campaign: u32,
		/// Answer the current subject with this, without asking (one classification).
		#[arg(long)]
		answer: Option<u8>,
		/// Stop after this many classifications.
		#[arg(long)]
		count: Option<u32>,
	},
	/// Everyone: your name, ORCID iD and affiliation on chain (pallet-identity), shown by tables and
	/// the web portal instead of a bare address.
	#[command(subcommand)]
	Profile(ProfileCommand),
	/// Everyone: the web portal. Serves pages for challenges (leaderboards live), submissions,
	/// accounts' track records (with CSV and JSON downloads), campaigns and a classify page whose
	/// volunteer keys stay in the browser, read from the node at --url. Defaults to loopback.
	Web {
		/// Where to listen.
		#[arg(long, default_value = "127.0.0.1:8080")]
		listen: String,
	},
	/// Node operators: fill a node with signed submissions to an open challenge from many
	/// accounts (funded by the signer), then with as many balance transfers, and measure what
	/// each block held. For a development chain: it spends the signer's balance.
	Load {
		/// The open challenge to submit to (its per-account limits must allow the load).
		#[arg(long)]
		challenge: u32,
		/// Accounts the transactions come from, derived from the signer's key.
		#[arg(long, default_value_t = 100)]
		accounts: u32,
		/// Submissions to send.
		#[arg(long, default_value_t = 2_000)]
		submissions: u32,
		/// Transfers to send.
		#[arg(long, default_value_t = 2_000)]
		transfers: u32,
		/// The longest a phase may take, in seconds.
		#[arg(long, default_value_t = 300)]
		timeout: u64,
	},
}

#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
	/// Set the signer's name (and ORCID iD, affiliation, web page); holds a deposit for the bytes
	/// (Identity.set_identity).
	Set {
		/// The name shown for the account, up to 32 bytes.
		#[arg(long)]
		name: String,
		/// An ORCID iD, e.g. 0000-0002-1825-0097 (its check digit is checked).
		#[arg(long)]
		orcid: Option<String>,
		/// A university, institute or company, up to 32 bytes.
		#[arg(long)]
		affiliation: Option<String>,
		/// A web page, up to 32 bytes.
		#[arg(long)]
		web: Option<String>,
	},
	/// Show an account's profile and registrars' judgements [default: the signer].
	Show { account: Option<String> },
	/// Clear the signer's profile; the deposit comes back (Identity.clear_identity).
	Clear,
}

#[derive(Debug, Subcommand)]
pub enum CampaignCommand {
	/// Publish a campaign; its pool is held from you (MeritCampaigns.create_campaign). Subjects
	/// are served by the artifact store given with --store.
	Create {
		/// For people.
		#[arg(long)]
		title: String,
		/// The task's answers (2 to 10).
		#[arg(long)]
		answers: u8,
		/// How subjects retire: count:N, consensus:VOTES:AGREEMENT, swap:PRIOR:DETECT:REJECT
		/// (two answers) or posterior:THRESHOLD:VOTES.
		#[arg(long, default_value = "count:15")]
		rule: String,
		/// Seals a subject collects before they are revealed together.
		#[arg(long, default_value_t = 3)]
		round_size: u32,
		/// Blocks a full round has to reveal.
		#[arg(long, default_value_t = 20)]
		reveal_window: u32,
		/// Serve subjects in the order added (most informative first) instead of at random.
		#[arg(long)]
		priority: bool,
		/// The gold schedule, `SEEN_BELOW:RATE,...,RATE` [default: 15:0.33,40:0.2,0.1].
		#[arg(long)]
		gold_steps: Option<String>,
		/// Levels, `THRESHOLD:MIN_GOLD,...` (Gravity Spy: 0.7:10).
		#[arg(long, default_value = "")]
		levels: String,
		/// The reward pool, in MERIT.
		#[arg(long)]
		pool: String,
		/// How long it accepts classifications, in blocks.
		#[arg(long, default_value_t = 1_200)]
		duration: u32,
	},
	/// Upload subjects to --store and add them (MeritCampaigns.add_subjects, in batches).
	AddSubjects {
		campaign: u32,
		/// The subject files, in order.
		#[arg(required = true)]
		files: Vec<PathBuf>,
		/// A model's probabilities per subject: one CSV line of K numbers per file, in order.
		#[arg(long)]
		priors: Option<PathBuf>,
		/// Add the subjects the model is least sure of first (with --priors and a priority campaign).
		#[arg(long, requires = "priors")]
		by_uncertainty: bool,
	},
	/// Upload a gold batch and add it behind a commitment; the answers and salt stay in the state
	/// directory until `reveal-gold` (MeritCampaigns.add_gold).
	AddGold {
		campaign: u32,
		/// A CSV of `path,answer` lines.
		list: PathBuf,
		/// The block from which the batch is revealed (it is shown until then).
		#[arg(long)]
		reveal_after: u32,
	},
	/// Reveal a gold batch from the state directory (MeritCampaigns.reveal_gold).
	RevealGold { campaign: u32, batch: u32 },
	/// A campaign's rule, counts, pool and labels.
	Show { campaign: u32 },
	/// A volunteer's classifications, skill per class, level, agreements and pay.
	Volunteer {
		campaign: u32,
		/// SS58 address [default: the signer].
		account: Option<String>,
	},
	/// Write the consensus labels (subject, digest, label, confidence of every retired subject);
	/// with --record, record the file's digest on chain (owner, after the campaign).
	Export {
		campaign: u32,
		/// Where to write the CSV [default: stdout].
		#[arg(long)]
		out: Option<PathBuf>,
		#[arg(long)]
		record: bool,
	},
	/// Every subject: gold or not, revealed votes per answer, consensus label and confidence.
	Subjects { campaign: u32 },
	/// Development chains: run simulated volunteers (accounts derived from the signer's key and
	/// funded by it for their fees) that answer from known true labels with a given accuracy, at
	/// random or adversarially; each reveals what it can, then classifies what the chain assigns.
	Simulate {
		campaign: u32,
		/// A CSV of `subject,label` lines: the truth the volunteers answer from.
		#[arg(long)]
		truth: PathBuf,
		/// The crowd: `NAME:COUNT:ACCURACY`, `random:COUNT`, `adversarial:COUNT`, comma-separated.
		#[arg(long)]
		crowd: String,
		/// Classifications per volunteer at most.
		#[arg(long, default_value_t = 1_000)]
		per_volunteer: u32,
	},
	/// End your campaign now, e.g. once every subject is labelled: no more classifications;
	/// volunteers reveal during the reveal window, then claim (MeritCampaigns.end_campaign).
	End { campaign: u32 },
	/// Claim your share of the pool once the campaign is over (MeritCampaigns.claim).
	Claim { campaign: u32 },
	/// Return the unclaimed pool to the owner after the claim window (MeritCampaigns.close_campaign).
	Close { campaign: u32 },
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
	/// Seal the public rows of your open challenge's labels to its drawn evaluators: waits for the
	/// panel, encrypts the canonical public-rows file so only panel members' nodes can read it,
	/// uploads the ciphertext and delivers it on chain. The private rows never leave your machine
	/// before the reveal.
	DeliverLabels {
		/// The challenge.
		id: u32,
		#[command(flatten)]
		committed: CommittedLabels,
		/// Seconds to wait for the panel's draw [default: no limit].
		#[arg(long, value_name = "SECONDS")]
		timeout: Option<u64>,
	},
	/// Reveal the labels of your closed challenge (uploads and registers the labels file).
	RevealLabels {
		/// The challenge.
		id: u32,
		#[command(flatten)]
		committed: CommittedLabels,
	},
	/// Pay out a challenge whose scores are final (MeritRewards.finalize).
	Finalize {
		/// The challenge.
		id: u32,
		/// First wait (spinner) until every revealed submission has a final private score and no
		/// private score can still be disputed (no open dispute, every dispute window closed).
		#[arg(long)]
		wait_disputes: bool,
		/// Seconds to wait for --wait-disputes before failing [default: no limit].
		#[arg(long, value_name = "SECONDS", requires = "wait_disputes")]
		timeout: Option<u64>,
	},
	/// Anyone: remove an ended challenge's reports (MeritScoring.prune), call after call until none
	/// is left; final outcomes, leaderboards and track records stay.
	Prune {
		/// The challenge.
		id: u32,
		/// Submissions per transaction (the runtime caps it).
		#[arg(long, default_value_t = 500)]
		per_call: u32,
	},
	/// Retired: the chain takes the reward terms only with the challenge (`challenge create`'s
	/// terms flags); this says so and changes nothing.
	#[command(hide = true)]
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
	/// MERIT paid for each public score that beats the public best by more than --improvement-step.
	#[arg(long)]
	pub improvement_reward: Option<String>,
	/// MERIT paid for each review.
	#[arg(long)]
	pub review_reward: Option<String>,
	/// Reviews one account may give in the challenge (0: reviews are off).
	#[arg(long)]
	pub max_reviews: Option<u32>,
	/// MERIT paid to each evaluator of a quorum, per final score (not for a failed file).
	#[arg(long)]
	pub evaluator_fee: Option<String>,
	/// How much a public score must beat the public best by to earn --improvement-reward (a
	/// score, e.g. `0.001`; required with a reward).
	#[arg(long)]
	pub improvement_step: Option<String>,
	/// Make the public leaderboard a Ladder (Blum and Hardt, 2015): it shows a score only when it
	/// beats the last shown one by more than --improvement-step, rounded to it.
	#[arg(long)]
	pub ladder: bool,
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
			improvement_step: self.improvement_step.clone(),
			ladder: self.ladder,
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
	/// Evaluators that must agree on a score (a challenge with a prize needs at least
	/// MeritChallenges::MinQuorumWithPrize, 3 in Merit).
	#[arg(long, default_value_t = 3)]
	pub quorum: u32,
	/// The prize pool in MERIT (12 decimals), held from your balance.
	#[arg(long)]
	pub prize_pool: String,
	/// Open (digests visible at once) or sealed (commit, reveal after close).
	#[arg(long, value_enum, default_value = "open")]
	pub mode: Mode,
	/// Submissions each participant may mark as final (`merit select`) while the challenge is
	/// open; only those rank on the private board (without marks: the best public scores).
	#[arg(long, default_value_t = 2)]
	pub final_selections: u32,
	/// The largest team (1: everyone competes alone).
	#[arg(long, default_value_t = 1)]
	pub team_size: u32,
	/// How long before the close teams stop forming, growing and merging: blocks or time
	/// (`1d`) [default: 0, teams may change until the close].
	#[arg(long, default_value = "0")]
	pub merge_before_close: String,
	/// Publish this challenge as the next phase of your challenge ID (e.g. the final phase after
	/// a development phase): it opens to submissions when that one closes, and must close after
	/// it. Give the prize pool to the phase that should pay prizes; a phase without prizes
	/// (`--prize-pool 0`) holds the minimum pool as a deposit instead, returned at its end.
	#[arg(long, value_name = "ID")]
	pub previous_phase: Option<u32>,
	/// SPDX license of the artifacts registered for the challenge.
	#[arg(long, default_value = DEFAULT_LICENSE)]
	pub license: String,
	/// Reward terms, part of the challenge (unset ones are 0; none: no fork credit, no
	/// micro-rewards).
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
	/// For an evaluator who scores by hand: generate a labels secret (kept in the state
	/// directory) and register its key, so owners can seal public labels to you (a node's worker
	/// does this by itself). Sign with the evaluator key (e.g. --suri //Dave//evaluator).
	LabelsKey,
	/// For an evaluator who scores by hand: decrypt the public labels a challenge's owner sealed
	/// to you (with the secret of `merit evaluator labels-key`) into a file. Sign with the
	/// evaluator key.
	PublicLabels {
		/// The challenge.
		challenge: u32,
		/// Where to write the public-rows labels CSV.
		#[arg(long)]
		out: PathBuf,
	},
	/// A challenge's drawn panel: members (quorum first, then spares), quorum, block and seed of the
	/// draw; or when the draw is due.
	Panel {
		/// The challenge.
		challenge: u32,
		/// Wait (spinner) until the panel is drawn, then print it.
		#[arg(long)]
		wait: bool,
		/// Seconds to wait for --wait before failing [default: no limit].
		#[arg(long, value_name = "SECONDS", requires = "wait")]
		timeout: Option<u64>,
	},
	/// Each submission's current round of sealed reports: who committed, revealed (with the
	/// outcome) or abstained (with the reason), when reveals open and the round ends, the final
	/// outcome.
	Jobs {
		/// The challenge.
		challenge: u32,
		/// Only this stage [default: public, private and any dispute's recount].
		#[arg(long, value_enum)]
		stage: Option<Stage>,
	},
	/// End a round whose reveal period is over without a final outcome (MeritScoring.conclude_round,
	/// anyone may): the submission becomes unavailable, the next round begins, or a dispute lapses.
	Conclude {
		/// The submission.
		submission: u32,
		/// The round's stage.
		#[arg(long, value_enum)]
		stage: Stage,
	},
	/// Seal a report on a submission by hand (MeritScoring.commit_report), signed by the
	/// evaluator's key (--suri): the outcome and a random salt are saved in the state directory
	/// first, for `merit evaluator reveal`.
	Report(ReportArgs),
	/// Reveal the signer's sealed report on a submission (MeritScoring.reveal_report) from the state
	/// directory, once the round's reveals are open.
	Reveal {
		/// The submission.
		submission: u32,
		/// The round's stage.
		#[arg(long, value_enum)]
		stage: Stage,
		/// First wait (spinner) until the chain reaches the block reveals open at.
		#[arg(long)]
		wait: bool,
		/// Seconds to wait for --wait before failing [default: no limit].
		#[arg(long, value_name = "SECONDS", requires = "wait")]
		timeout: Option<u64>,
	},
	/// Abstain from a submission the evaluator could not evaluate (MeritScoring.abstain, never
	/// slashed), signed by the evaluator's key (--suri).
	Abstain {
		/// The submission.
		submission: u32,
		/// The round's stage.
		#[arg(long, value_enum)]
		stage: Stage,
		/// Why: every fetch failed, or the bytes served do not match the registered digest.
		#[arg(long, value_enum)]
		reason: Abstention,
	},
	/// Insert the evaluator key (type mrev, sr25519) into the node's keystore.
	InsertKey {
		/// The key's secret URI [default: --suri / --suri-file / MERIT_SURI].
		#[arg(long)]
		key_suri: Option<String>,
		/// The evaluator node's RPC endpoint (unsafe methods allowed) [default: --url].
		#[arg(long)]
		node_rpc: Option<String>,
		/// Seconds to wait (spinner) for the node's worker to register the evaluator's labels key,
		/// without which it is not drawn; 0 does not wait.
		#[arg(long, value_name = "SECONDS", default_value = "120")]
		wait_labels_key: u64,
	},
}

/// The labels file and salt a challenge committed to at creation, and the license of the artifact
/// made from them (`challenge deliver-labels`, `challenge reveal-labels`).
#[derive(Debug, Args)]
pub struct CommittedLabels {
	/// The labels CSV committed to at creation.
	#[arg(long)]
	pub labels: PathBuf,
	/// The salt committed with (`0x...` = hex bytes, otherwise the text's UTF-8).
	#[arg(long)]
	pub salt: String,
	/// SPDX license of the artifact (the labels, or their sealed public rows).
	#[arg(long, default_value = DEFAULT_LICENSE)]
	pub license: String,
}

/// `merit evaluator report`: the submission, the stage and one outcome.
#[derive(Debug, Args)]
pub struct ReportArgs {
	/// The submission.
	pub submission: u32,
	/// The round's stage.
	#[arg(long, value_enum)]
	pub stage: Stage,
	/// The score found (a decimal, 18 decimals kept, e.g. what `merit eval` prints).
	#[arg(long, value_name = "DECIMAL", conflicts_with = "failure", required_unless_present = "failure")]
	pub score: Option<String>,
	/// A failure found instead of a score.
	#[arg(long, value_enum)]
	pub failure: Option<ReportFailure>,
}

#[derive(Debug, Subcommand)]
pub enum TeamCommand {
	/// Found a team in an open challenge that allows teams, before its merge deadline; you are
	/// its captain with 100% of the shares and your submissions so far become the team's
	/// (MeritTeams.create_team, holds the team deposit).
	Create {
		/// The challenge.
		challenge: u32,
		/// The team's name.
		name: String,
	},
	/// Captain: invite an account (MeritTeams.invite).
	Invite {
		/// The team.
		team: u32,
		/// SS58 address or 0x-hex account id.
		account: String,
	},
	/// Captain: withdraw an invitation; invited account: decline it
	/// (MeritTeams.withdraw_invitation).
	Uninvite {
		/// The team.
		team: u32,
		/// The invited account [default: the signer, declining].
		account: Option<String>,
	},
	/// Join a team you are invited to, with 0% of the shares, bringing your submissions
	/// (MeritTeams.accept).
	Accept {
		/// The team.
		team: u32,
	},
	/// Leave a team that has not submitted; the captain leaves last, dissolving it
	/// (MeritTeams.leave).
	Leave {
		/// The team.
		team: u32,
	},
	/// Propose new shares, every member once, adding up to 100%; they apply once every member
	/// approved (MeritTeams.propose_shares).
	Shares {
		/// The team.
		team: u32,
		/// ACCOUNT=SHARE for each member (`5Grw...=60%`).
		#[arg(required = true, value_name = "ACCOUNT=SHARE")]
		shares: Vec<String>,
	},
	/// Approve the pending shares (MeritTeams.approve_shares).
	Approve {
		/// The team.
		team: u32,
	},
	/// Member of team FROM: propose merging it into team INTO of the same challenge; it happens
	/// once every member of both teams approved (MeritTeams.propose_merger).
	Merge {
		/// The team that joins the other and dissolves.
		from: u32,
		/// The team that stays, with its captain and number.
		into: u32,
	},
	/// Member of either team: approve the pending merger of team FROM; the last approval merges
	/// them (MeritTeams.approve_merger).
	ApproveMerger {
		/// The team that would join the other.
		from: u32,
	},
	/// Member of either team: withdraw or decline the pending merger of team FROM
	/// (MeritTeams.withdraw_merger).
	WithdrawMerger {
		/// The team that would join the other.
		from: u32,
	},
	/// A team: members and shares, invitations, pending shares and merger, deposit.
	Show {
		/// The team.
		team: u32,
	},
	/// Anyone, once the challenge is finalized: share the team's winnings among its members by
	/// their shares (MeritRewards.distribute_team_winnings).
	Distribute {
		/// The team.
		team: u32,
	},
	/// Anyone, once the challenge has ended: release the team deposit to the captain
	/// (MeritTeams.release_deposit).
	ReleaseDeposit {
		/// The team.
		team: u32,
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

/// Parses a command line given without the program name (tests).
#[cfg(test)]
pub(crate) fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
	Cli::try_parse_from(std::iter::once("merit").chain(args.iter().copied()))
}

#[cfg(test)]
mod tests {
	use super::*;
	use clap::CommandFactory;

	#[test]
	fn the_command_line_is_consistent() {
		Cli::command().debug_assert();
	}

	#[test]
	fn submit_and_globals() {
		let cli = parse(&[
			"submit",
			"3",
			"p.csv",
			"--fork",
			"1",
			"--fork",
			"2",
			"--version-of",
			"0",
			"--format",
			"json",
			"--suri",
			"//Bob",
		])
		.unwrap();
		assert_eq!(cli.global.format, Format::Json);
		assert_eq!(cli.global.suri.as_deref(), Some("//Bob"));
		match cli.command {
			Command::Submit(args) => {
				assert_eq!(args.challenge, 3);
				assert_eq!(args.fork, vec![1, 2]);
				assert_eq!(args.version_of, Some(0));
				assert_eq!(args.license, "CC-BY-4.0");
			}
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
		assert!(parse(&[
			"eval",
			"--metric",
			"mae",
			"--labels",
			"l",
			"--predictions",
			"p",
			"--salt",
			"s",
			"--public-share",
			"30%"
		])
		.is_ok());
	}

	#[test]
	fn create_needs_one_description_and_training() {
		// Neither description nor report; both.
		assert!(parse(&[
			"challenge",
			"create",
			"--title",
			"T",
			"--training",
			"x",
			"--metric",
			"mae",
			"--labels",
			"l",
			"--salt",
			"s",
			"--open-for",
			"1",
			"--prize-pool",
			"1"
		])
		.is_err());
		assert!(parse(&[
			"challenge",
			"create",
			"--title",
			"T",
			"--description",
			"D",
			"--report",
			"r",
			"--training",
			"x",
			"--metric",
			"mae",
			"--labels",
			"l",
			"--salt",
			"s",
			"--open-for",
			"1",
			"--prize-pool",
			"1"
		])
		.is_err());
		assert!(parse(&[
			"challenge",
			"create",
			"--title",
			"T",
			"--description",
			"D",
			"--metric",
			"mae",
			"--labels",
			"l",
			"--salt",
			"s",
			"--open-for",
			"1",
			"--prize-pool",
			"1"
		])
		.is_err());
	}

	#[test]
	fn reward_terms_wait_and_review_flags() {
		let cli = parse(&[
			"challenge",
			"create",
			"--title",
			"T",
			"--description",
			"D",
			"--training",
			"x",
			"--metric",
			"mae",
			"--labels",
			"l",
			"--salt",
			"s",
			"--open-for",
			"1",
			"--prize-pool",
			"1",
			"--fork-share",
			"20%",
			"--fork-depth",
			"3",
			"--improvement-reward",
			"10",
			"--max-reviews",
			"3",
		])
		.unwrap();
		let Command::Challenge(ChallengeCommand::Create(args)) = cli.command else { panic!() };
		let terms = args.terms.input().parse().unwrap().unwrap();
		assert_eq!(terms.fork_share, 200_000_000);
		assert_eq!(terms.fork_depth, 3);
		assert_eq!(terms.improvement_reward, 10 * crate::units::MERIT);
		assert_eq!(terms.max_reviews, 3);
		assert_eq!((terms.fork_decay, terms.review_reward, terms.evaluator_fee), (0, 0, 0));
		let cli = parse(&[
			"challenge",
			"create",
			"--title",
			"T",
			"--description",
			"D",
			"--training",
			"x",
			"--metric",
			"mae",
			"--labels",
			"l",
			"--salt",
			"s",
			"--open-for",
			"1",
			"--prize-pool",
			"1",
		])
		.unwrap();
		let Command::Challenge(ChallengeCommand::Create(args)) = cli.command else { panic!() };
		assert_eq!(args.terms.input().parse().unwrap(), None);

		let cli = parse(&["challenge", "terms", "2", "--evaluator-fee", "0.5"]).unwrap();
		let Command::Challenge(ChallengeCommand::Terms { id: 2, terms }) = cli.command else { panic!() };
		assert_eq!(terms.input().parse().unwrap().unwrap().evaluator_fee, crate::units::MERIT / 2);

		let cli = parse(&["challenge", "wait", "1", "--state", "labels-revealed", "--timeout", "60"]).unwrap();
		let Command::Challenge(ChallengeCommand::Wait { id: 1, state: WaitState::LabelsRevealed, timeout: Some(60) }) =
			cli.command
		else {
			panic!()
		};
		assert!(parse(&["challenge", "wait", "1", "--state", "done"]).is_err());
		assert!(parse(&["challenge", "wait", "1"]).is_err());

		let cli =
			parse(&["leaderboard", "0", "--subset", "private", "--wait-entries", "3", "--timeout", "180"]).unwrap();
		let Command::Leaderboard { wait_entries: Some(3), timeout: Some(180), .. } = cli.command else { panic!() };
		assert!(parse(&["leaderboard", "0", "--timeout", "5"]).is_err());

		let cli = parse(&["review", "7", "--rating", "5", "--report", "r.txt"]).unwrap();
		let Command::Review(args) = cli.command else { panic!() };
		assert_eq!(
			(args.submission, args.rating, args.report.as_str(), args.license.as_str()),
			(7, 5, "r.txt", "CC-BY-4.0")
		);
		assert!(parse(&["review", "7", "--report", "r.txt"]).is_err());

		let cli = parse(&["account"]).unwrap();
		assert!(matches!(cli.command, Command::Account { account: None }));
	}

	#[test]
	fn select_takes_submissions_or_clear_but_not_both_nor_neither() {
		let cli = parse(&["select", "3", "7", "9"]).unwrap();
		assert!(
			matches!(cli.command, Command::Select { challenge: 3, ref submissions, clear: false } if submissions == &[7, 9])
		);
		let cli = parse(&["select", "3", "--clear"]).unwrap();
		assert!(
			matches!(cli.command, Command::Select { challenge: 3, ref submissions, clear: true } if submissions.is_empty())
		);
		assert!(parse(&["select", "3"]).is_err(), "nothing to mark");
		assert!(parse(&["select", "3", "7", "--clear"]).is_err(), "marks and --clear");
		assert!(matches!(parse(&["selections", "3"]).unwrap().command, Command::Selections { challenge: 3 }));
	}

	#[test]
	fn panels_jobs_disputes_and_finalize_flags() {
		let cli = parse(&["evaluator", "panel", "4"]).unwrap();
		let Command::Evaluator(EvaluatorCommand::Panel { challenge: 4, wait: false, timeout: None }) = cli.command
		else {
			panic!()
		};
		let cli = parse(&["evaluator", "panel", "4", "--wait", "--timeout", "30", "--format", "json"]).unwrap();
		let Command::Evaluator(EvaluatorCommand::Panel { wait: true, timeout: Some(30), .. }) = cli.command else {
			panic!()
		};
		assert_eq!(cli.global.format, Format::Json);
		assert!(parse(&["evaluator", "panel", "4", "--timeout", "30"]).is_err(), "--timeout needs --wait");
		assert!(parse(&["evaluator", "panel"]).is_err());

		let cli = parse(&["evaluator", "jobs", "2"]).unwrap();
		let Command::Evaluator(EvaluatorCommand::Jobs { challenge: 2, stage: None }) = cli.command else { panic!() };
		let cli = parse(&["evaluator", "jobs", "2", "--stage", "private", "--format", "csv"]).unwrap();
		let Command::Evaluator(EvaluatorCommand::Jobs { stage: Some(Stage::Private), .. }) = cli.command else {
			panic!()
		};
		assert!(parse(&["evaluator", "jobs", "2", "--stage", "all"]).is_err());

		let cli = parse(&["--suri", "//Eve", "evaluator", "conclude", "9", "--stage", "dispute"]).unwrap();
		let Command::Evaluator(EvaluatorCommand::Conclude { submission: 9, stage: Stage::Dispute }) = cli.command
		else {
			panic!()
		};
		assert!(parse(&["evaluator", "conclude", "9"]).is_err(), "the stage is required");

		let cli =
			parse(&["--suri", "//Two//evaluator", "evaluator", "report", "3", "--stage", "public", "--score", "0.125"])
				.unwrap();
		let Command::Evaluator(EvaluatorCommand::Report(args)) = cli.command else { panic!() };
		assert_eq!(
			(args.submission, args.stage, args.score.as_deref(), args.failure),
			(3, Stage::Public, Some("0.125"), None)
		);
		let cli = parse(&["evaluator", "report", "3", "--stage", "private", "--failure", "too-large"]).unwrap();
		let Command::Evaluator(EvaluatorCommand::Report(args)) = cli.command else { panic!() };
		assert_eq!((args.score, args.failure), (None, Some(ReportFailure::TooLarge)));
		assert!(parse(&["evaluator", "report", "3", "--stage", "public"]).is_err(), "an outcome is required");
		assert!(
			parse(&["evaluator", "report", "3", "--stage", "public", "--score", "1", "--failure", "too-large"])
				.is_err(),
			"one outcome"
		);
		assert!(parse(&["evaluator", "report", "3", "--score", "1"]).is_err(), "the stage is required");
		assert!(parse(&["evaluator", "report", "3", "--stage", "public", "--failure", "unavailable"]).is_err());

		let cli = parse(&["evaluator", "reveal", "3", "--stage", "public", "--wait", "--timeout", "180"]).unwrap();
		let Command::Evaluator(EvaluatorCommand::Reveal {
			submission: 3,
			stage: Stage::Public,
			wait: true,
			timeout: Some(180),
		}) = cli.command
		else {
			panic!()
		};
		let cli = parse(&["evaluator", "reveal", "3", "--stage", "dispute"]).unwrap();
		let Command::Evaluator(EvaluatorCommand::Reveal { stage: Stage::Dispute, wait: false, timeout: None, .. }) =
			cli.command
		else {
			panic!()
		};
		assert!(
			parse(&["evaluator", "reveal", "3", "--stage", "public", "--timeout", "5"]).is_err(),
			"--timeout needs --wait"
		);

		let cli = parse(&["evaluator", "abstain", "3", "--stage", "public", "--reason", "fetch-failed"]).unwrap();
		let Command::Evaluator(EvaluatorCommand::Abstain { submission: 3, reason: Abstention::FetchFailed, .. }) =
			cli.command
		else {
			panic!()
		};
		let cli = parse(&["evaluator", "abstain", "3", "--stage", "private", "--reason", "hash-mismatch"]).unwrap();
		let Command::Evaluator(EvaluatorCommand::Abstain { reason: Abstention::HashMismatch, .. }) = cli.command else {
			panic!()
		};
		assert!(parse(&["evaluator", "abstain", "3", "--stage", "public"]).is_err(), "the reason is required");
		assert!(parse(&["evaluator", "abstain", "3", "--stage", "public", "--reason", "lazy"]).is_err());

		let cli = parse(&["--suri", "//Charlie", "dispute", "7"]).unwrap();
		assert!(matches!(cli.command, Command::Dispute { submission: 7 }));
		assert_eq!(cli.global.suri.as_deref(), Some("//Charlie"));
		assert!(parse(&["dispute"]).is_err());
		let cli = parse(&["disputes", "3", "--format", "json"]).unwrap();
		assert!(matches!(cli.command, Command::Disputes { challenge: 3 }));

		let cli = parse(&["challenge", "finalize", "1"]).unwrap();
		let Command::Challenge(ChallengeCommand::Finalize { id: 1, wait_disputes: false, timeout: None }) = cli.command
		else {
			panic!()
		};
		let cli = parse(&["challenge", "finalize", "1", "--wait-disputes", "--timeout", "600"]).unwrap();
		let Command::Challenge(ChallengeCommand::Finalize { wait_disputes: true, timeout: Some(600), .. }) =
			cli.command
		else {
			panic!()
		};
		assert!(parse(&["challenge", "finalize", "1", "--timeout", "600"]).is_err(), "--timeout needs --wait-disputes");
		let cli = parse(&["challenge", "prune", "4", "--per-call", "2"]).unwrap();
		assert!(matches!(cli.command, Command::Challenge(ChallengeCommand::Prune { id: 4, per_call: 2 })));
	}
}
