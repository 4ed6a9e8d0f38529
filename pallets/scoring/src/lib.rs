//! # Scoring
//!
//! Bonded evaluators, drawn at random, score submissions off chain behind sealed reports; a
//! score is final when a quorum of revealed reports agree, and it can be disputed after the
//! labels are public.
//!
//! - An **evaluator** registers with a bond, **held** on its account, and names the account of the
//!   key its off-chain worker signs with (key type [`KEY_TYPE`] = `mrev`, sr25519). It may rotate
//!   its key, or leave: it stops being drawn at once and withdraws its bond after `UnbondingPeriod`
//!   and after every report it revealed can no longer be found wrong (`exposed_until`). Root
//!   removal ejects it the same way; it never releases a bond early.
//! - **Draws.** A challenge's panel is drawn `DrawDelay` blocks after its creation from the
//!   randomness of a block nobody knew when the challenge was created ([`Config::Randomness`]):
//!   `quorum` evaluators plus spares (fewer than `quorum`, so two outcomes can never both reach it),
//!   among those registered at least `WarmUpPeriod` ago, bonded at least `MinEvaluatorBond`, not
//!   leaving and not the owner. Nobody evaluates their own submission. With too few eligible
//!   evaluators the draw is retried later, with fresh randomness.
//! - **Sealed reports.** A panel member commits `report_commitment(submission, stage, round,
//!   outcome, salt, evaluator)` ([`merit_primitives::report_commitment`]), and reveals the outcome
//!   and salt only once every member that may evaluate the submission committed or abstained, or
//!   `CommitPeriod` after the round began. No commitment is accepted after that, so nobody can copy
//!   a report, and a copied commitment cannot be revealed by anyone else.
//! - **Final outcomes.** The first `quorum` identical reveals make an outcome final; every revealed
//!   report that differs (before or after) costs `SlashFraction` of its evaluator's bond. The
//!   quorum's evaluators are told to [`Config::OnOutcomeFinal`] (the rewards pallet pays their
//!   fees); an evaluator that committed and never revealed earns nothing and a spare's report
//!   counts instead.
//! - **Abstentions.** A file the evaluator could not fetch, or whose bytes do not match the
//!   digest, is an abstention with a reason ([`AbstainReason`]), never slashed: the submitter's
//!   server decides what each evaluator receives. When a round ends (`RevealPeriod` after reveals
//!   opened) with fewer than `quorum` commitments and at least one abstention, the submission is
//!   [`FailureReason::Unavailable`]; any other round that ends without a final outcome starts the
//!   next round ([`Pallet::conclude_round`]).
//! - **Phases.** Public scores are reported while the challenge is open; private scores only
//!   after the owner revealed the labels, from the revealed labels file, which anyone can check.
//! - **Disputes.** While a final private score is younger than `DisputeWindow`, anyone may dispute
//!   it with `DisputeBond`. A fresh panel (the quorum plus one, none of the disputed quorum, the
//!   author or the disputer) recounts. If it finds another outcome, the outcome is corrected, each
//!   member of the wrong quorum loses `DisputeSlashFraction` of its bond; from that, evaluators who
//!   were slashed for reporting what the recount found are repaid, and the disputer gets its bond
//!   back and `DisputerShare` of the rest. If it confirms, the bond is forfeited. A dispute that
//!   cannot be recounted within `DisputeResolutionPeriod` lapses and the bond is returned. Prizes
//!   wait for every dispute window ([`OutcomeInspect::disputes_open`], O(1) per challenge).
//! - **Leaderboards** ([`Pallet::leaderboard`], [`runtime_api::ScoringApi`]): final scores of a
//!   subset, each author's best submission only, ordered by the metric's direction, ties broken
//!   by the earlier submission (lower id). A public board is kept in storage as its scores become
//!   final (`boards.rs`); a private board is counted a page at a time when the prizes are paid
//!   (`prizes.rs`) and kept from then on.
//!
//! ## Randomness and its bias
//!
//! The Merit runtime runs Aura, which has no VRF; draws use [`ParentBlockRandomness`]: the hash
//! of the block before the draw, which was built after the challenge (or dispute) was submitted.
//! The one party with influence is the author of that block, who can reorder or drop its
//! extrinsics (or skip its slot) to try other hashes. That is acceptable while block authors are
//! the chain's known, permissioned validators, which Merit's proof-of-authority network has; a
//! validator caught grinding is removed by governance. Switching `Config::Randomness` to
//! `pallet_babe::RandomnessFromOneEpochAgo` once the chain runs BABE removes the bias to one
//! bit per slot (an author may only withhold its block).
//!
//! ## Labels
//!
//! Evaluators never hold a private row's label before the owner reveals the labels. For public
//! scores, each evaluator's worker generates an X25519 key pair in its node's local storage
//! (`merit::scoring::labels-secret::` ++ SCALE(evaluator)) and registers the public key
//! ([`Pallet::set_labels_key`]); only evaluators with one are drawn. Once the panel is drawn, the
//! owner seals the canonical public-rows file ([`merit_metrics::public_rows`]) to the members'
//! keys ([`Pallet::deliver_labels`], [`merit_primitives::labels`]); each member's worker opens its
//! envelope, fetches and decrypts the one ciphertext all members share, checks it against the
//! commitment in the delivery and scores every row of it ([`merit_metrics::score_listed`]).
//! Private scores and recounts use only the revealed labels artifact. After the reveal anyone can
//! check that the delivered rows were the canonical public rows (`merit verify` does). The
//! evaluator key is inserted with `author_insertKey` (`["mrev", "<seed>", "0x<public>"]`) or
//! `merit-node key insert --key-type mrev`.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod boards;
mod disputes;
pub mod fetch;
mod jobs;
mod labels;
pub mod migrations;
mod ocw;
mod outcomes;
mod panels;
mod prizes;
pub mod runtime_api;
pub mod types;
pub mod weights;

pub use fetch::{is_private_host, FetchArtifact, FetchError, HttpFetcher, ALLOW_PRIVATE_HOSTS_KEY};
pub use merit_metrics::{Metric, MetricError, Score, Subset};
pub use merit_primitives::{
	rank_key, report_commitment, AbstainReason, ChallengeId, EvaluationStats, FailureReason, FinalSelection,
	LeaderboardEntry, OnOutcomeFinal, Outcome, RankKey, Stage, SubmissionId,
};
pub use ocw::*;
pub use panels::{shuffle_prefix, ParentBlockRandomness};
use polkadot_sdk::{frame_support, frame_system, sp_core, sp_runtime};
use sp_core::crypto::KeyTypeId;
pub use types::*;

/// The key type of evaluator keys: the off-chain worker signs score reports with it.
pub const KEY_TYPE: KeyTypeId = KeyTypeId(*b"mrev");

/// The application crypto of evaluator keys: sr25519 under [`KEY_TYPE`].
pub mod crypto {
	use super::KEY_TYPE;
	use polkadot_sdk::{
		frame_system::offchain::AppCrypto,
		sp_core::sr25519,
		sp_runtime::{
			app_crypto::{app_crypto, sr25519 as app_sr25519},
			MultiSignature, MultiSigner,
		},
	};

	app_crypto!(app_sr25519, KEY_TYPE);

	/// Signs score reports for a runtime whose accounts are `MultiSigner`s with `MultiSignature`s:
	/// the runtime's `AuthorityId`.
	pub struct EvaluatorAuthId;

	impl AppCrypto<MultiSigner, MultiSignature> for EvaluatorAuthId {
		type RuntimeAppPublic = Public;
		type GenericSignature = sr25519::Signature;
		type GenericPublic = sr25519::Public;
	}
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		dispatch::{DispatchResultWithPostInfo, PostDispatchInfo},
		pallet_prelude::*,
		traits::{
			fungible::{BalancedHold, Credit, InspectHold, MutateHold},
			OnUnbalanced, Randomness,
		},
	};
	use frame_system::{
		offchain::{AppCrypto, CreateSignedTransaction},
		pallet_prelude::*,
	};
	use merit_primitives::{ArtifactRegistry, ChallengeInspect};
	use sp_core::H256;
	use sp_runtime::{
		traits::{Saturating, Zero},
		Perbill,
	};

	/// Slashed funds, handed to `OnSlash`.
	pub type CreditOf<T> = Credit<<T as frame_system::Config>::AccountId, <T as Config>::Currency>;

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// An evaluator's bond.
		#[codec(index = 0)]
		EvaluatorBond,
		/// A disputer's bond, forfeited if the dispute is unfounded.
		#[codec(index = 1)]
		DisputeBond,
	}

	/// The in-code storage version (see [`crate::migrations`]).
	pub(crate) const STORAGE_VERSION: StorageVersion = StorageVersion::new(2);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config:
		polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>> + CreateSignedTransaction<Call<Self>>
	{
		/// Where challenges and submissions are read.
		type Challenges: ChallengeInspect<Self::AccountId, BlockNumberFor<Self>>;
		/// Where predictions and labels artifacts are found.
		type Artifacts: ArtifactRegistry<Self::AccountId, BlockNumberFor<Self>>;
		/// Whether a challenge's public board is a Ladder (the rewards pallet keeps the terms).
		type PublicBoard: merit_primitives::PublicBoardRules;
		/// Who may eject an evaluator at once (root in Merit).
		type ForceOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// The evaluator key's crypto, e.g. [`crate::crypto::EvaluatorAuthId`].
		type AuthorityId: AppCrypto<Self::Public, Self::Signature>;
		/// The currency bonds are held in.
		type Currency: MutateHold<Self::AccountId, Reason = <Self as Config>::RuntimeHoldReason>
			+ InspectHold<Self::AccountId>
			+ BalancedHold<Self::AccountId>;
		/// The runtime's hold reasons, which include this pallet's.
		type RuntimeHoldReason: From<HoldReason>;
		/// Where slashed bonds go (after a disputer's share); `()` burns them.
		type OnSlash: OnUnbalanced<CreditOf<Self>>;
		/// The randomness panels are drawn with: a value fixed by a block built after the request,
		/// e.g. [`crate::ParentBlockRandomness`] on Aura, BABE's on BABE.
		type Randomness: Randomness<Self::Hash, BlockNumberFor<Self>>;
		/// The bond an evaluator registers with.
		#[pallet::constant]
		type EvaluatorBond: Get<BalanceOf<Self>>;
		/// An evaluator whose bond fell below this (through slashes) is no longer drawn.
		#[pallet::constant]
		type MinEvaluatorBond: Get<BalanceOf<Self>>;
		/// Blocks after registering before an evaluator can be drawn, so sybils bonded just before
		/// a challenge cannot be.
		#[pallet::constant]
		type WarmUpPeriod: Get<BlockNumberFor<Self>>;
		/// Blocks between a challenge's creation (or a dispute) and its draw, so the randomness comes
		/// from a block built after the request.
		#[pallet::constant]
		type DrawDelay: Get<BlockNumberFor<Self>>;
		/// Spare evaluators drawn beyond the quorum (capped at `quorum - 1`).
		#[pallet::constant]
		type PanelSpares: Get<u32>;
		/// The most evaluators on a panel, and so the most reports in a round.
		#[pallet::constant]
		type MaxPanelSize: Get<u32>;
		/// The most draws scheduled for one block.
		#[pallet::constant]
		type MaxDrawsPerBlock: Get<u32>;
		/// The most submissions one `prune` call clears.
		#[pallet::constant]
		type MaxPrunePerCall: Get<u32>;
		/// The most submissions a challenge lets each entrant mark as final (the challenges
		/// pallet's bound): what a prize count keeps per entrant.
		#[pallet::constant]
		type MaxFinalSelections: Get<u32>;
		/// Blocks a round accepts commitments before reveals open.
		#[pallet::constant]
		type CommitPeriod: Get<BlockNumberFor<Self>>;
		/// Blocks reveals are accepted once they open.
		#[pallet::constant]
		type RevealPeriod: Get<BlockNumberFor<Self>>;
		/// The share of its current bond an evaluator loses per revealed report that differs from a
		/// final outcome.
		#[pallet::constant]
		type SlashFraction: Get<Perbill>;
		/// Blocks after a private score became final during which anyone may dispute it.
		#[pallet::constant]
		type DisputeWindow: Get<BlockNumberFor<Self>>;
		/// Blocks a dispute may take to be recounted before it lapses (bond returned).
		#[pallet::constant]
		type DisputeResolutionPeriod: Get<BlockNumberFor<Self>>;
		/// The bond a disputer posts.
		#[pallet::constant]
		type DisputeBond: Get<BalanceOf<Self>>;
		/// The share of its current bond each member of an overturned quorum loses.
		#[pallet::constant]
		type DisputeSlashFraction: Get<Perbill>;
		/// The share of an overturned quorum's slash paid to the disputer.
		#[pallet::constant]
		type DisputerShare: Get<Perbill>;
		/// The most evaluators registered at once.
		#[pallet::constant]
		type MaxEvaluators: Get<u32>;
		/// The most submissions an off-chain worker run evaluates (fetch and score).
		#[pallet::constant]
		type MaxScoresPerRun: Get<u32>;
		/// The largest predictions file evaluators fetch, in bytes; a larger registered size is
		/// the submission's failure ([`FailureReason::TooLarge`]).
		#[pallet::constant]
		type MaxPredictionsSize: Get<u64>;
		/// How long a leaving evaluator's bond stays held at least.
		#[pallet::constant]
		type UnbondingPeriod: Get<BlockNumberFor<Self>>;
		/// How the off-chain worker fetches artifacts: [`crate::HttpFetcher`] in a runtime.
		type Fetcher: FetchArtifact;
		/// Told about every final outcome (the rewards pallet in the Merit runtime).
		type OnOutcomeFinal: OnOutcomeFinal<Self::AccountId>;
		/// Weights of the calls, from this pallet's benchmarks.
		type WeightInfo: WeightInfo;
	}

	/// Registered evaluators, by bonded account.
	#[pallet::storage]
	pub type Evaluators<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, Evaluator<T>>;

	/// The evaluator each signing key belongs to.
	#[pallet::storage]
	pub type EvaluatorKeys<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, T::AccountId>;

	/// Every evaluator's lifetime counts, by bonded account.
	#[pallet::storage]
	pub type EvaluationRecords<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, EvaluationStats, ValueQuery>;

	/// How many evaluators are registered (leaving ones included, until they withdraw).
	#[pallet::storage]
	pub type EvaluatorCount<T> = StorageValue<_, u32, ValueQuery>;

	/// Draws to make at the start of a block.
	#[pallet::storage]
	pub type DrawsDue<T: Config> =
		StorageMap<_, Twox64Concat, BlockNumberFor<T>, BoundedVec<DrawFor, T::MaxDrawsPerBlock>, ValueQuery>;

	/// Each challenge's drawn panel.
	#[pallet::storage]
	pub type Panels<T: Config> = StorageMap<_, Twox64Concat, ChallengeId, Panel<T>>;

	/// The current round of each submission's evaluation at each stage.
	#[pallet::storage]
	pub type Jobs<T: Config> = StorageDoubleMap<_, Twox64Concat, SubmissionId, Twox64Concat, Stage, Job<T>>;

	/// The final outcome of a submission's subset.
	#[pallet::storage]
	pub type FinalOutcomes<T: Config> =
		StorageDoubleMap<_, Twox64Concat, SubmissionId, Twox64Concat, Subset, FinalOutcome<T>>;

	/// Open disputes, by submission.
	#[pallet::storage]
	pub type Disputes<T: Config> = StorageMap<_, Twox64Concat, SubmissionId, Dispute<T>>;

	/// Each evaluator's X25519 key, generated by its node, to which owners seal the public-row
	/// labels. Only evaluators with one are drawn for a challenge.
	#[pallet::storage]
	pub type LabelsKeys<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, merit_primitives::labels::LabelsKey>;

	/// The public-row labels each challenge's owner sealed to its panel.
	#[pallet::storage]
	pub type LabelsDeliveries<T: Config> = StorageMap<_, Twox64Concat, ChallengeId, LabelsDelivery<T>>;

	/// Per ended challenge: how many of its submissions (in the challenge's order) have had their
	/// jobs pruned.
	#[pallet::storage]
	pub type PruneCursors<T: Config> = StorageMap<_, Twox64Concat, ChallengeId, u32>;

	/// Per challenge: open disputes and the end of its private scores' dispute windows.
	#[pallet::storage]
	pub type ChallengeExposure<T: Config> =
		StorageMap<_, Twox64Concat, ChallengeId, DisputeExposure<BlockNumberFor<T>>, ValueQuery>;

	/// The public score each submission shows on its challenge's board: its final public score,
	/// or on a Ladder board the rounded score the Ladder released (a withheld score is absent).
	/// A superseded duplicate's is removed.
	#[pallet::storage]
	pub type PublicScores<T: Config> = StorageMap<_, Twox64Concat, SubmissionId, Score>;

	/// Every shown public score of each author in each challenge, best first by [`RankKey`]
	/// (iterating an author's prefix walks its scores in rank order): its best is the first key.
	#[pallet::storage]
	pub type AuthorScores<T: Config> = StorageNMap<
		_,
		(NMapKey<Twox64Concat, ChallengeId>, NMapKey<Blake2_128Concat, T::AccountId>, NMapKey<Identity, RankKey>),
		(),
	>;

	/// Each challenge's public leaderboard, kept as scores become final: one entry per entrant
	/// (its best), keyed by [`RankKey`], so walking a challenge's prefix reads the board best
	/// first and the top `n` cost `n` reads whatever the board's size.
	#[pallet::storage]
	pub type PublicBoards<T: Config> =
		StorageNMap<_, (NMapKey<Twox64Concat, ChallengeId>, NMapKey<Identity, RankKey>), BoardPlace<T::AccountId>>;

	/// Where each entrant stands on a challenge's public board (the key of its entry).
	#[pallet::storage]
	pub type BoardKeys<T: Config> =
		StorageDoubleMap<_, Twox64Concat, ChallengeId, Blake2_128Concat, T::AccountId, RankKey>;

	/// How many entrants each challenge's public board lists.
	#[pallet::storage]
	pub type BoardSizes<T: Config> = StorageMap<_, Twox64Concat, ChallengeId, u32, ValueQuery>;

	/// How many of each challenge's submissions have a final private outcome (a score or a
	/// failure): prizes are counted without the grace period once it reaches the challenge's
	/// revealed submissions.
	#[pallet::storage]
	pub type PrivateFinals<T: Config> = StorageMap<_, Twox64Concat, ChallengeId, u32, ValueQuery>;

	/// Each challenge's prize count, from its first page on: from then no private outcome of
	/// the challenge becomes final.
	#[pallet::storage]
	pub type PrizeCounts<T: Config> = StorageMap<_, Twox64Concat, ChallengeId, PrizeCount>;

	/// What a prize count has gathered of each entrant so far (removed as the entrant is ranked).
	#[pallet::storage]
	pub type EntrantCounts<T: Config> =
		StorageDoubleMap<_, Twox64Concat, ChallengeId, Blake2_128Concat, T::AccountId, EntrantCount<T>>;

	/// Each counted challenge's private leaderboard, the one prizes follow, keyed by [`RankKey`]
	/// (best first), as the prize count left it.
	#[pallet::storage]
	pub type PrivateBoards<T: Config> =
		StorageNMap<_, (NMapKey<Twox64Concat, ChallengeId>, NMapKey<Identity, RankKey>), BoardPlace<T::AccountId>>;

	/// How many entrants each counted private board lists.
	#[pallet::storage]
	pub type PrivateBoardSizes<T: Config> = StorageMap<_, Twox64Concat, ChallengeId, u32, ValueQuery>;

	/// The last score a Ladder board released, rounded (the next is measured from it).
	#[pallet::storage]
	pub type LadderBests<T: Config> = StorageMap<_, Twox64Concat, ChallengeId, Score>;

	/// Evaluators bonded from the first block, named in the chain spec.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// `(bonded account, key)`: `EvaluatorBond` is held from each bonded account's genesis
		/// balance. They may be drawn from the first block, without a warm-up: whoever writes the
		/// chain spec vouches for them, as for its validators.
		pub evaluators: Vec<(T::AccountId, T::AccountId)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			let bond = T::EvaluatorBond::get();
			for (who, key) in self.evaluators.iter() {
				assert!(!Evaluators::<T>::contains_key(who), "a genesis evaluator is listed twice");
				assert!(!EvaluatorKeys::<T>::contains_key(key), "a genesis evaluator key is listed twice");
				<T as Config>::Currency::hold(&HoldReason::EvaluatorBond.into(), who, bond)
					.expect("a genesis evaluator must afford its bond");
				EvaluatorKeys::<T>::insert(key, who);
				Evaluators::<T>::insert(
					who,
					Evaluator {
						key: key.clone(),
						bond,
						registered_at: Zero::zero(),
						leaving_until: None,
						disagreements: 0,
						exposed_until: Zero::zero(),
					},
				);
			}
			let count = self.evaluators.len() as u32;
			assert!(count <= T::MaxEvaluators::get(), "more genesis evaluators than MaxEvaluators");
			EvaluatorCount::<T>::put(count);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An evaluator registered and its bond is held.
		EvaluatorRegistered { evaluator: T::AccountId, key: T::AccountId, bond: BalanceOf<T> },
		/// An evaluator's signing key changed.
		EvaluatorKeyChanged { evaluator: T::AccountId, old: T::AccountId, new: T::AccountId },
		/// An evaluator stopped being drawn; its bond can be withdrawn from `until`.
		EvaluatorLeaving { evaluator: T::AccountId, until: BlockNumberFor<T> },
		/// A leaving evaluator withdrew what is left of its bond.
		EvaluatorWithdrawn { evaluator: T::AccountId, released: BalanceOf<T> },
		/// Root ejected an evaluator: it is no longer drawn and its bond stays slashable until
		/// `until`.
		EvaluatorRemoved { evaluator: T::AccountId, until: BlockNumberFor<T> },
		/// A panel was drawn: for a challenge, or to recount a disputed submission.
		PanelDrawn { draw: DrawFor, members: Vec<T::AccountId>, quorum: u32, seed: H256 },
		/// Too few eligible evaluators for a panel: the draw is retried at `retry_at`.
		DrawPostponed { draw: DrawFor, eligible: u32, needed: u32, retry_at: BlockNumberFor<T> },
		/// An evaluator sealed its report on a submission.
		ReportCommitted { submission: SubmissionId, stage: Stage, round: u32, evaluator: T::AccountId },
		/// An evaluator revealed its report.
		ReportRevealed { submission: SubmissionId, stage: Stage, round: u32, evaluator: T::AccountId, outcome: Outcome },
		/// An evaluator could not evaluate a submission (the submitter's server's doing).
		Abstained { submission: SubmissionId, stage: Stage, round: u32, evaluator: T::AccountId, reason: AbstainReason },
		/// A quorum agreed on a score.
		ScoreFinalized { submission: SubmissionId, subset: Subset, score: Score },
		/// A quorum agreed that the submission cannot be scored, or too few evaluators could fetch
		/// it ([`FailureReason::Unavailable`]).
		SubmissionFailed { submission: SubmissionId, subset: Subset, reason: FailureReason },
		/// A round ended without a final outcome; the next one begins. `missed` committed and never
		/// revealed.
		RoundEnded { submission: SubmissionId, stage: Stage, round: u32, missed: Vec<T::AccountId> },
		/// An evaluator's revealed report differs from the final outcome; `slashed` was taken from
		/// its bond.
		EvaluatorDisagreed {
			evaluator: T::AccountId,
			submission: SubmissionId,
			subset: Subset,
			reported: Outcome,
			slashed: BalanceOf<T>,
		},
		/// An evaluator slashed for contradicting an outcome that a dispute then overturned (it had
		/// reported what the recount found) was repaid from the wrong quorum's slash.
		SlashRepaid { evaluator: T::AccountId, submission: SubmissionId, amount: BalanceOf<T> },
		/// A final private score was disputed; a fresh panel will recount it.
		Disputed { submission: SubmissionId, disputer: T::AccountId, bond: BalanceOf<T>, disputed: Outcome },
		/// The recount found another outcome: it replaces the disputed one, the wrong quorum was
		/// slashed `slashed` in all and the disputer received `reward` and its bond back.
		DisputeUpheld {
			submission: SubmissionId,
			disputed: Outcome,
			corrected: Outcome,
			slashed: BalanceOf<T>,
			reward: BalanceOf<T>,
		},
		/// The recount confirmed the disputed outcome; the disputer's bond is forfeited.
		DisputeRejected { submission: SubmissionId, forfeited: BalanceOf<T> },
		/// No recount was possible in time; the disputer's bond was returned.
		DisputeLapsed { submission: SubmissionId, returned: BalanceOf<T> },
		/// An evaluator's node registered the key public-row labels are sealed to.
		LabelsKeySet { evaluator: T::AccountId, key: merit_primitives::labels::LabelsKey },
		/// A challenge's owner sealed its public-row labels to `addressed` panel members.
		LabelsDelivered { challenge: ChallengeId, ciphertext: merit_primitives::Digest, addressed: u32 },
		/// The jobs (every round's sealed and revealed reports) of `submissions` more submissions
		/// of an ended challenge were removed; `done` once none is left.
		Pruned { challenge: ChallengeId, submissions: u32, done: bool },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account is already a registered evaluator.
		AlreadyEvaluator,
		/// The account is not a registered evaluator (or, for reports, not an evaluator's key).
		NotEvaluator,
		/// The key already belongs to an evaluator.
		KeyInUse,
		/// `MaxEvaluators` evaluators are registered.
		TooManyEvaluators,
		/// The account cannot afford the bond.
		InsufficientBond,
		/// The evaluator is leaving and no longer takes new work.
		EvaluatorLeaving,
		/// The evaluator is already leaving.
		AlreadyLeaving,
		/// Only a leaving evaluator withdraws its bond.
		NotLeaving,
		/// The unbonding period is not over, or a report it revealed may still be found wrong.
		StillUnbonding,
		/// No submission with this id.
		UnknownSubmission,
		/// The submission's challenge does not exist.
		UnknownChallenge,
		/// The submission is a sealed commitment not yet revealed, or a superseded duplicate.
		SubmissionNotRevealed,
		/// Public scores are evaluated only while the challenge is open.
		ChallengeNotOpen,
		/// Private scores are evaluated only after the owner revealed the labels.
		LabelsNotRevealed,
		/// The challenge's panel is not drawn yet.
		PanelNotDrawn,
		/// The evaluator was not drawn for this challenge (or dispute).
		NotOnPanel,
		/// Nobody evaluates their own submission.
		OwnSubmission,
		/// This stage's outcome is already final.
		AlreadyFinal,
		/// The evaluator already committed or abstained in this round.
		AlreadyReported,
		/// Reveals have opened: no new commitment is accepted in this round.
		CommitPhaseOver,
		/// Reveals open once every panel member committed or abstained, or after `CommitPeriod`.
		StillSealed,
		/// The round's reveal period is over: conclude the round.
		RoundOver,
		/// The round's reveal period is not over yet.
		RoundNotOver,
		/// The evaluator did not commit in this round.
		NoCommitment,
		/// The evaluator already revealed in this round.
		AlreadyRevealed,
		/// The revealed outcome and salt do not hash to the commitment.
		CommitmentMismatch,
		/// No round of this evaluation has begun.
		NoJob,
		/// Too many draws are scheduled in the coming blocks: try again later.
		TooManyDraws,
		/// Only a final private score can be disputed.
		NothingToDispute,
		/// An unavailable submission cannot be disputed: there was no quorum to be wrong.
		NotDisputable,
		/// The dispute window of this score is closed.
		DisputeWindowClosed,
		/// The score is already disputed.
		AlreadyDisputed,
		/// No open dispute on this submission.
		NoDispute,
		/// The dispute's panel is not drawn yet.
		DisputePanelNotDrawn,
		/// A counter would overflow.
		Overflow,
		/// Only the challenge's owner delivers its labels.
		NotChallengeOwner,
		/// An envelope is addressed to the same evaluator twice.
		DuplicateEnvelope,
		/// The sealed labels' ciphertext is not a registered artifact.
		UnknownArtifact,
		/// A new delivery must seal the same public labels (the same commitment) as the first.
		LabelsCommitmentChanged,
		/// The labels key is the one already registered.
		LabelsKeyUnchanged,
		/// The sealed labels are larger than `MaxPredictionsSize`: no worker would fetch them.
		LabelsTooLarge,
		/// The sealed labels' artifact is not a labels artifact registered by the challenge's owner.
		NotOwnersLabelsArtifact,
		/// A panel member with a labels key has no envelope: the owner may not choose who scores.
		MissingEnvelope,
		/// The labels key is a point of small order: nothing could be sealed to it.
		InvalidLabelsKey,
		/// A new delivery must seal its envelopes with a fresh ephemeral key.
		EphemeralKeyReused,
		/// Only a finalized or cancelled challenge whose scores can no longer be disputed is pruned.
		ChallengeNotEnded,
		/// Every submission of the challenge was pruned already.
		NothingToPrune,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Draws the panels due this block.
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::draw_due(now)
		}

		/// Evaluates submissions if this node holds a drawn evaluator's key.
		fn offchain_worker(now: BlockNumberFor<T>) {
			match Self::run_evaluator(now) {
				Ok(sent) if sent > 0 => log::info!(target: LOG_TARGET, "sent {sent} evaluation transactions"),
				Ok(_) => {}
				Err(e) => log::debug!(target: LOG_TARGET, "evaluator run skipped: {e}"),
			}
		}

		fn integrity_test() {
			assert!(
				!T::DrawDelay::get().is_zero(),
				"DrawDelay must be at least 1: a draw needs a later block's randomness"
			);
			assert!(T::MaxPanelSize::get() >= 2, "a panel must fit a quorum and a spare");
			assert!(T::MaxDrawsPerBlock::get() >= 1, "at least one draw per block");
			assert!(!T::CommitPeriod::get().is_zero() && !T::RevealPeriod::get().is_zero(), "rounds need time");
			assert!(T::MinEvaluatorBond::get() <= T::EvaluatorBond::get(), "a fresh evaluator must be eligible");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Registers the caller as an evaluator whose off-chain worker signs with `key`, and holds
		/// `EvaluatorBond` from the caller. It can be drawn `WarmUpPeriod` later.
		///
		/// - Origin: signed, the account that bonds (not the node's hot key).
		/// - Effects: holds the bond, stores the evaluator and maps `key` to it.
		/// - Events: [`Event::EvaluatorRegistered`].
		/// - Errors: [`Error::AlreadyEvaluator`], [`Error::KeyInUse`], [`Error::TooManyEvaluators`],
		///   [`Error::InsufficientBond`].
		/// - Complexity: O(1).
		#[pallet::call_index(0)]
		#[pallet::weight(<T as Config>::WeightInfo::register_evaluator())]
		pub fn register_evaluator(origin: OriginFor<T>, key: T::AccountId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(!Evaluators::<T>::contains_key(&who), Error::<T>::AlreadyEvaluator);
			ensure!(!EvaluatorKeys::<T>::contains_key(&key), Error::<T>::KeyInUse);
			let count = EvaluatorCount::<T>::get();
			ensure!(count < T::MaxEvaluators::get(), Error::<T>::TooManyEvaluators);
			let next = count.checked_add(1).ok_or(Error::<T>::Overflow)?;
			let bond = T::EvaluatorBond::get();
			<T as Config>::Currency::hold(&HoldReason::EvaluatorBond.into(), &who, bond)
				.map_err(|_| Error::<T>::InsufficientBond)?;

			let now = frame_system::Pallet::<T>::block_number();
			EvaluatorKeys::<T>::insert(&key, &who);
			Evaluators::<T>::insert(
				&who,
				Evaluator {
					key: key.clone(),
					bond,
					registered_at: now,
					leaving_until: None,
					disagreements: 0,
					exposed_until: now,
				},
			);
			EvaluatorCount::<T>::put(next);
			Self::deposit_event(Event::EvaluatorRegistered { evaluator: who, key, bond });
			Ok(())
		}

		/// Replaces the caller's evaluator key (e.g. after a node moved or a key leaked).
		///
		/// - Origin: signed, a registered evaluator.
		/// - Effects: the old key no longer signs for it; `key` does.
		/// - Events: [`Event::EvaluatorKeyChanged`].
		/// - Errors: [`Error::NotEvaluator`], [`Error::KeyInUse`].
		/// - Complexity: O(1).
		#[pallet::call_index(1)]
		#[pallet::weight(<T as Config>::WeightInfo::set_evaluator_key())]
		pub fn set_evaluator_key(origin: OriginFor<T>, key: T::AccountId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut info = Evaluators::<T>::get(&who).ok_or(Error::<T>::NotEvaluator)?;
			ensure!(!EvaluatorKeys::<T>::contains_key(&key), Error::<T>::KeyInUse);
			let old = core::mem::replace(&mut info.key, key.clone());
			EvaluatorKeys::<T>::remove(&old);
			EvaluatorKeys::<T>::insert(&key, &who);
			Evaluators::<T>::insert(&who, info);
			Self::deposit_event(Event::EvaluatorKeyChanged { evaluator: who, old, new: key });
			Ok(())
		}

		/// Stops the caller from being drawn and from taking new work at once; it may still reveal
		/// what it committed. Its bond stays held for `UnbondingPeriod` and until every report it
		/// revealed can no longer be found wrong; then `withdraw_bond` releases it.
		///
		/// - Origin: signed, a registered evaluator that is not leaving.
		/// - Effects: marks it leaving until now + `UnbondingPeriod`.
		/// - Events: [`Event::EvaluatorLeaving`].
		/// - Errors: [`Error::NotEvaluator`], [`Error::AlreadyLeaving`].
		/// - Complexity: O(1).
		#[pallet::call_index(2)]
		#[pallet::weight(<T as Config>::WeightInfo::unregister_evaluator())]
		pub fn unregister_evaluator(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut info = Evaluators::<T>::get(&who).ok_or(Error::<T>::NotEvaluator)?;
			ensure!(info.leaving_until.is_none(), Error::<T>::AlreadyLeaving);
			let until = frame_system::Pallet::<T>::block_number().saturating_add(T::UnbondingPeriod::get());
			info.leaving_until = Some(until);
			Evaluators::<T>::insert(&who, info);
			Self::deposit_event(Event::EvaluatorLeaving { evaluator: who, until });
			Ok(())
		}

		/// Releases a leaving evaluator's remaining bond once the unbonding period is over and no
		/// report it revealed can still be found wrong, and forgets the evaluator (its record
		/// stays).
		///
		/// - Origin: signed, a leaving (or ejected) evaluator.
		/// - Effects: releases what is left of the bond; forgets the evaluator and its key.
		/// - Events: [`Event::EvaluatorWithdrawn`].
		/// - Errors: [`Error::NotEvaluator`], [`Error::NotLeaving`], [`Error::StillUnbonding`].
		/// - Complexity: O(1).
		#[pallet::call_index(3)]
		#[pallet::weight(<T as Config>::WeightInfo::withdraw_bond())]
		pub fn withdraw_bond(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let info = Evaluators::<T>::get(&who).ok_or(Error::<T>::NotEvaluator)?;
			let until = info.leaving_until.ok_or(Error::<T>::NotLeaving)?;
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(now >= until && now >= info.exposed_until, Error::<T>::StillUnbonding);
			let released = Self::forget(&who, &info)?;
			Self::deposit_event(Event::EvaluatorWithdrawn { evaluator: who, released });
			Ok(())
		}

		/// `ForceOrigin` ejects an evaluator at once: it is no longer drawn and takes no new work.
		/// Its bond is not released early: it stays slashable until every report it revealed is
		/// settled, then the evaluator withdraws it.
		///
		/// - Origin: [`Config::ForceOrigin`] (root in Merit).
		/// - Effects: marks it leaving with no unbonding period beyond its exposure.
		/// - Events: [`Event::EvaluatorRemoved`].
		/// - Errors: [`Error::NotEvaluator`].
		/// - Complexity: O(1).
		#[pallet::call_index(4)]
		#[pallet::weight(<T as Config>::WeightInfo::remove_evaluator())]
		pub fn remove_evaluator(origin: OriginFor<T>, evaluator: T::AccountId) -> DispatchResult {
			T::ForceOrigin::ensure_origin(origin)?;
			let mut info = Evaluators::<T>::get(&evaluator).ok_or(Error::<T>::NotEvaluator)?;
			let now = frame_system::Pallet::<T>::block_number();
			let until = info.exposed_until.max(now);
			info.leaving_until = Some(info.leaving_until.map_or(until, |u| u.min(until)));
			Evaluators::<T>::insert(&evaluator, info);
			Self::deposit_event(Event::EvaluatorRemoved { evaluator, until });
			Ok(())
		}

		/// Seals a panel member's report on a submission: `commitment` is
		/// [`merit_primitives::report_commitment`] of the outcome, a 32-byte secret salt and the
		/// evaluator's bonded account. The round begins with its first commitment or abstention.
		/// Accepted commitments are free (`Pays::No`): evaluation is a service to the chain.
		///
		/// - Origin: signed by the key (`mrev`) of a drawn evaluator that is not leaving.
		/// - Effects: stores the commitment; opens reveals once every member who may evaluate the
		///   submission committed or abstained.
		/// - Events: [`Event::ReportCommitted`].
		/// - Errors: [`Error::NotEvaluator`], [`Error::EvaluatorLeaving`], [`Error::UnknownSubmission`],
		///   [`Error::SubmissionNotRevealed`], [`Error::UnknownChallenge`], [`Error::ChallengeNotOpen`],
		///   [`Error::LabelsNotRevealed`], [`Error::PanelNotDrawn`], [`Error::NoDispute`],
		///   [`Error::DisputePanelNotDrawn`], [`Error::NotOnPanel`], [`Error::OwnSubmission`],
		///   [`Error::AlreadyFinal`], [`Error::RoundOver`], [`Error::CommitPhaseOver`],
		///   [`Error::AlreadyReported`].
		/// - Complexity: O(m) in the m members of the panel.
		#[pallet::call_index(5)]
		#[pallet::weight(<T as Config>::WeightInfo::commit_report(T::MaxPanelSize::get()))]
		pub fn commit_report(
			origin: OriginFor<T>,
			submission: SubmissionId,
			stage: Stage,
			commitment: H256,
		) -> DispatchResultWithPostInfo {
			let key = ensure_signed(origin)?;
			let members = Self::do_commit(&key, submission, stage, Some(commitment), None)?;
			Ok(PostDispatchInfo {
				actual_weight: Some(<T as Config>::WeightInfo::commit_report(members)),
				pays_fee: Pays::No,
			})
		}

		/// Reveals a committed report, once reveals are open and before the round's reveal period
		/// ends. The first `quorum` identical reveals make the outcome final; every revealed report
		/// that differs from a final outcome is slashed. On a dispute's recount, the dispute's
		/// quorum decides it.
		///
		/// - Origin: signed by the key of the evaluator that committed (leaving ones too).
		/// - Effects: stores the reveal; on the quorum's last reveal stores the final outcome,
		///   slashes every differing reveal and calls [`Config::OnOutcomeFinal`] (the rewards pallet
		///   pays the quorum's fees and any improvement reward), or settles the dispute; extends the
		///   evaluator's exposure to the end of the dispute window.
		/// - Events: [`Event::ReportRevealed`], then [`Event::ScoreFinalized`] or
		///   [`Event::SubmissionFailed`], [`Event::EvaluatorDisagreed`] per slash, or
		///   [`Event::DisputeUpheld`] / [`Event::DisputeRejected`].
		/// - Errors: as [`Pallet::commit_report`] (but a leaving evaluator may reveal), and
		///   [`Error::NoJob`], [`Error::StillSealed`], [`Error::RoundOver`], [`Error::NoCommitment`],
		///   [`Error::AlreadyRevealed`], [`Error::CommitmentMismatch`].
		/// - Complexity: O(m) in the m members of the panel, plus the hook's declared maximum.
		#[pallet::call_index(6)]
		#[pallet::weight(<T as Config>::WeightInfo::reveal_report(T::MaxPanelSize::get())
			.saturating_add(<T as Config>::WeightInfo::show_public_score())
			.saturating_add(T::OnOutcomeFinal::max_weight()))]
		pub fn reveal_report(
			origin: OriginFor<T>,
			submission: SubmissionId,
			stage: Stage,
			outcome: Outcome,
			salt: [u8; 32],
		) -> DispatchResultWithPostInfo {
			let key = ensure_signed(origin)?;
			let (members, hook_weight) = Self::do_reveal(&key, submission, stage, outcome, salt)?;
			Ok(PostDispatchInfo {
				actual_weight: Some(<T as Config>::WeightInfo::reveal_report(members).saturating_add(hook_weight)),
				pays_fee: Pays::No,
			})
		}

		/// Records that a panel member could not evaluate a submission: every fetch failed, or the
		/// bytes served did not match the digest. Abstentions are never slashed; a round that ends
		/// with fewer than `quorum` commitments and an abstention makes the submission
		/// [`FailureReason::Unavailable`].
		///
		/// - Origin: signed by the key of a drawn evaluator that is not leaving.
		/// - Effects: stores the abstention; opens reveals once every member acted.
		/// - Events: [`Event::Abstained`].
		/// - Errors: as [`Pallet::commit_report`].
		/// - Complexity: O(m) in the m members of the panel.
		#[pallet::call_index(7)]
		#[pallet::weight(<T as Config>::WeightInfo::abstain(T::MaxPanelSize::get()))]
		pub fn abstain(
			origin: OriginFor<T>,
			submission: SubmissionId,
			stage: Stage,
			reason: AbstainReason,
		) -> DispatchResultWithPostInfo {
			let key = ensure_signed(origin)?;
			let members = Self::do_commit(&key, submission, stage, None, Some(reason))?;
			Ok(PostDispatchInfo {
				actual_weight: Some(<T as Config>::WeightInfo::abstain(members)),
				pays_fee: Pays::No,
			})
		}

		/// Ends a round whose reveal period is over without a final outcome: with fewer than
		/// `quorum` commitments and at least one abstention the submission is
		/// [`FailureReason::Unavailable`] (a dispute's recount lapses instead); otherwise the next
		/// round begins, and whoever committed without revealing is recorded as having missed it.
		/// A dispute past its `DisputeResolutionPeriod` lapses. Anyone may call it; it is free when
		/// it ends something.
		///
		/// - Origin: signed, anyone.
		/// - Effects: as above.
		/// - Events: [`Event::SubmissionFailed`], [`Event::RoundEnded`] or [`Event::DisputeLapsed`].
		/// - Errors: [`Error::NoJob`], [`Error::AlreadyFinal`], [`Error::RoundNotOver`],
		///   [`Error::NoDispute`], [`Error::UnknownSubmission`].
		/// - Complexity: O(m) in the m members of the panel, plus the hook's declared maximum.
		#[pallet::call_index(8)]
		#[pallet::weight(<T as Config>::WeightInfo::conclude_round(T::MaxPanelSize::get())
			.saturating_add(T::OnOutcomeFinal::max_weight()))]
		pub fn conclude_round(
			origin: OriginFor<T>,
			submission: SubmissionId,
			stage: Stage,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let (members, hook_weight) = Self::do_conclude_round(submission, stage)?;
			Ok(PostDispatchInfo {
				actual_weight: Some(<T as Config>::WeightInfo::conclude_round(members).saturating_add(hook_weight)),
				pays_fee: Pays::No,
			})
		}

		/// Disputes a final private score while it is younger than `DisputeWindow`, holding
		/// `DisputeBond` from the caller. A fresh panel, drawn `DrawDelay` blocks later, recounts.
		///
		/// - Origin: signed, anyone (the author too).
		/// - Effects: holds the bond, stores the dispute, schedules the draw.
		/// - Events: [`Event::Disputed`].
		/// - Errors: [`Error::UnknownSubmission`], [`Error::NothingToDispute`],
		///   [`Error::NotDisputable`], [`Error::LabelsNotRevealed`], [`Error::DisputeWindowClosed`],
		///   [`Error::AlreadyDisputed`], [`Error::InsufficientBond`], [`Error::TooManyDraws`].
		/// - Complexity: O(1).
		#[pallet::call_index(9)]
		#[pallet::weight(<T as Config>::WeightInfo::dispute())]
		pub fn dispute(origin: OriginFor<T>, submission: SubmissionId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_dispute(who, submission)
		}

		/// Registers the X25519 key the evaluator's node generated, to which challenge owners seal
		/// the public-row labels. The worker sends it by itself; an evaluator without one is not
		/// drawn. The first key is free, a replacement pays (so it cannot be spammed for free).
		///
		/// - Origin: signed by an evaluator's key (`mrev`).
		/// - Effects: stores the key; earlier deliveries stay sealed to the old one.
		/// - Events: [`Event::LabelsKeySet`].
		/// - Errors: [`Error::NotEvaluator`], [`Error::InvalidLabelsKey`], [`Error::LabelsKeyUnchanged`].
		/// - Complexity: O(1).
		#[pallet::call_index(10)]
		#[pallet::weight(<T as Config>::WeightInfo::set_labels_key())]
		pub fn set_labels_key(
			origin: OriginFor<T>,
			key: merit_primitives::labels::LabelsKey,
		) -> DispatchResultWithPostInfo {
			let signer = ensure_signed(origin)?;
			let (evaluator, _) = Self::evaluator_of(&signer)?;
			ensure!(merit_primitives::labels::is_usable_labels_key(&key), Error::<T>::InvalidLabelsKey);
			let old = LabelsKeys::<T>::get(&evaluator);
			ensure!(old != Some(key), Error::<T>::LabelsKeyUnchanged);
			LabelsKeys::<T>::insert(&evaluator, key);
			Self::deposit_event(Event::LabelsKeySet { evaluator, key });
			Ok(PostDispatchInfo { actual_weight: None, pays_fee: if old.is_none() { Pays::No } else { Pays::Yes } })
		}

		/// The owner hands the public-row labels to the drawn panel: `sealed` names the encrypted
		/// [`merit_primitives::labels::PublicLabels`] (a labels artifact the owner registered,
		/// pinned from now on) and the commitment inside it; `envelopes` seal its file key to every
		/// member's labels key (every member with a key must have one: the owner does not choose
		/// who scores). Only the panel can read it, and every member reads the same file. The owner may deliver again (new
		/// envelopes, e.g. after a member's node changed keys), but only the same labels. The
		/// stored delivery (bounded by `MaxPanelSize`) stays as the audit trail that `merit verify`
		/// checks against the revealed labels.
		///
		/// - Origin: signed, the challenge's owner.
		/// - Effects: stores (or replaces) the delivery; pins the ciphertext (unpins a replaced one).
		/// - Events: [`Event::LabelsDelivered`].
		/// - Errors: [`Error::UnknownChallenge`], [`Error::NotChallengeOwner`],
		///   [`Error::ChallengeNotOpen`], [`Error::PanelNotDrawn`], [`Error::NotOnPanel`],
		///   [`Error::DuplicateEnvelope`], [`Error::MissingEnvelope`], [`Error::UnknownArtifact`],
		///   [`Error::NotOwnersLabelsArtifact`], [`Error::LabelsTooLarge`],
		///   [`Error::LabelsCommitmentChanged`], [`Error::EphemeralKeyReused`].
		/// - Complexity: O(e · m) in the e envelopes and the m panel members (both ≤ `MaxPanelSize`).
		#[pallet::call_index(11)]
		#[pallet::weight(<T as Config>::WeightInfo::deliver_labels(T::MaxPanelSize::get()))]
		pub fn deliver_labels(
			origin: OriginFor<T>,
			challenge: ChallengeId,
			sealed: merit_primitives::labels::SealedLabels,
			envelopes: EnvelopesOf<T>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let addressed = envelopes.len() as u32;
			Self::do_deliver_labels(who, challenge, sealed, envelopes)?;
			Ok(Some(<T as Config>::WeightInfo::deliver_labels(addressed)).into())
		}

		/// Removes the working state of an ended challenge: each submission's jobs (every round's
		/// sealed and revealed reports), which nothing reads once no score can change. What a
		/// track record is read from stays: final outcomes with their quorums, leaderboards,
		/// evaluators' records, the panel and the labels delivery. Clears up to `max_submissions`
		/// (at most `MaxPrunePerCall`) submissions from where the last call stopped, so any
		/// challenge is pruned in bounded steps; anyone may call it.
		///
		/// - Origin: signed, anyone.
		/// - Effects: removes the jobs of the next submissions; advances the challenge's cursor.
		/// - Events: [`Event::Pruned`].
		/// - Errors: [`Error::UnknownChallenge`], [`Error::ChallengeNotEnded`],
		///   [`Error::NothingToPrune`].
		/// - Complexity: O(n) in the n ≤ `max_submissions` submissions cleared (three stages each).
		#[pallet::call_index(12)]
		#[pallet::weight(<T as Config>::WeightInfo::prune((*max_submissions).min(T::MaxPrunePerCall::get())))]
		pub fn prune(origin: OriginFor<T>, challenge: ChallengeId, max_submissions: u32) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let cleared = Self::do_prune(challenge, max_submissions.min(T::MaxPrunePerCall::get()))?;
			Ok(Some(<T as Config>::WeightInfo::prune(cleared)).into())
		}
	}
}
