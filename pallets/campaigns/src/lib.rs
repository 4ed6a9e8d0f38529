//! # Campaigns
//!
//! Crowdsourced labelling on the ledger, after Zooniverse's Panoptes and Caesar, Space Warps'
//! SWAP and Gravity Spy's confusion matrices: an owner publishes subjects (files named by digest) and one
//! single-choice task; volunteers classify the subjects the chain assigns them; each subject
//! retires by its campaign's rule; volunteers' skill comes from gold-standard subjects whose
//! answers stay behind a commitment until their batch ends; those who agreed with retired
//! consensus share the reward pool by skill. The arithmetic is [`merit_primitives::campaigns`].
//!
//! - **Assignment.** A volunteer does not pick subjects: [`Pallet::next_subject`] and
//!   [`Pallet::classify`] draw the next one (not retired, not in review, not seen, within the
//!   volunteer's level), gold when the campaign's schedule says so, at random or in the owner's
//!   priority order (active learning: the owner adds the subjects its model is least sure of
//!   first). Many accounts cannot pile onto one subject to force its label.
//! - **Sealed rounds.** A classification is a seal ([`answer_seal`]); a subject collects
//!   `round_size` seals, then goes into review: only then may its volunteers reveal, so nobody
//!   sees a round's answers before committing to its own. When every seal of the round is
//!   revealed (or its reveal window passes, [`Pallet::close_round`]) the rule is applied; a
//!   subject that does not retire opens another round. A second classification of the same
//!   subject by the same volunteer is refused.
//! - **Gold.** Gold subjects come in batches, each with a commitment to its answers
//!   ([`gold_commitment`]), revealed by the owner once the batch's `reveal_after` block has
//!   passed; a volunteer's sealed answers to a batch are revealed after that and move its
//!   confusion matrix (and SWAP skill), which promotes it through the campaign's levels. Gold
//!   subjects never retire. A newcomer, a random or a sybil classifier weighs 0 (see
//!   [`SwapSkill::weight`], [`Confusion::weight`]): it moves no posterior and earns nothing.
//! - **Money.** The pool is held from the owner at creation; the campaign's deposit and a
//!   per-subject deposit pay for every item volunteers' classifications store (bounded by
//!   `MaxVotesPerSubject` per subject). After the campaign, each volunteer claims pool ×
//!   (its agreements × its skill weight) / (everyone's); if the owner withheld a gold batch,
//!   skill cannot be known and the pool is shared by plain agreements instead, so withholding
//!   gold never returns the pool. What is unclaimed when the claim window ends goes back.
//! - **Feeless volunteering.** Volunteers need no tokens: [`Pallet::volunteer`] carries a
//!   [`VolunteerAction`] signed by the volunteer and is a general transaction authorized by that
//!   signature (`#[pallet::authorize]`, with `frame_system::AuthorizeCall` in the runtime's
//!   extensions), so nobody pays a fee. The authorization checks the action would succeed, so
//!   the pool only ever holds feeless transactions that do work; each account may act
//!   `MaxFeelessPerWindow` times per `FeelessWindow`, a block takes at most `MaxFeelessPerBlock`
//!   of them at the lowest priority, and a campaign admits at most `MaxVotesPerSubject` volunteers
//!   per subject (what its subject deposits pay for).
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod record;
pub mod weights;

pub use record::*;

pub use merit_primitives::campaigns::{
	answer_seal, feeless_message, gold_commitment, Answer, CampaignId, Confusion, Posterior, Prob, RetirementRule,
	SubjectIndex, SwapSkill, VolunteerAction, MAX_ANSWERS, ONE,
};
use merit_primitives::{
	campaigns::{counting_verdict, gold_due, plurality, swap_update, swap_verdict, RuleError},
	Digest,
};
#[cfg(feature = "runtime-benchmarks")]
use polkadot_sdk::sp_io;
use polkadot_sdk::{frame_support, frame_system, sp_runtime};

/// The most cells a confusion matrix has (`MAX_ANSWERS`²).
pub type MaxCells = frame_support::traits::ConstU32<100>;
/// The most answers, as a bound.
pub type MaxAnswers = frame_support::traits::ConstU32<10>;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use codec::DecodeWithMemTracking;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Inspect, InspectHold, MutateHold},
			tokens::{Fortitude, Precision, Restriction},
			Randomness,
		},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::{
		helpers_128bit::multiply_by_rational_with_rounding,
		traits::{IdentifyAccount, One, SaturatedConversion, Saturating, Verify, Zero},
		transaction_validity::{
			InvalidTransaction, TransactionPriority, TransactionValidityError, TransactionValidityWithRefund,
			ValidTransaction,
		},
		Rounding,
	};

	/// The balance type of pools and deposits.
	pub type BalanceOf<T> = <<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A campaign's reward pool, held from its owner.
		#[codec(index = 0)]
		CampaignPool,
		/// A campaign's storage deposit (the campaign and its subjects), held from its owner.
		#[codec(index = 1)]
		CampaignDeposit,
	}

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency pools and deposits are held in.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason> + InspectHold<Self::AccountId>;
		/// The runtime's hold reasons, which include this pallet's.
		type RuntimeHoldReason: From<HoldReason>;
		/// Where assignments draw from.
		type Randomness: Randomness<Self::Hash, BlockNumberFor<Self>>;
		/// Held per campaign.
		#[pallet::constant]
		type CampaignDeposit: Get<BalanceOf<Self>>;
		/// Held per subject (gold or not): pays for the subject and for everything its
		/// classifications store (at most `MaxVotesPerSubject` seals and volunteers).
		#[pallet::constant]
		type SubjectDeposit: Get<BalanceOf<Self>>;
		/// The most subjects (gold included) a campaign holds.
		#[pallet::constant]
		type MaxSubjects: Get<u32>;
		/// The most subjects one call adds.
		#[pallet::constant]
		type MaxBatch: Get<u32>;
		/// The most classifications a subject takes: a subject that reaches it retires with its
		/// plurality, a gold subject stops being shown.
		#[pallet::constant]
		type MaxVotesPerSubject: Get<u32>;
		/// Subjects an assignment looks at before giving up (each one storage read).
		#[pallet::constant]
		type MaxProbe: Get<u32>;
		/// The longest title and subjects URI, in bytes.
		#[pallet::constant]
		type MaxTextLength: Get<u32>;
		/// Blocks after the campaign's end during which volunteers claim; then the owner may close.
		#[pallet::constant]
		type ClaimWindow: Get<BlockNumberFor<Self>>;
		/// What volunteers sign feeless actions with; its signer is an account.
		type VolunteerSignature: Parameter
			+ Verify<Signer: IdentifyAccount<AccountId = Self::AccountId>>
			+ MaxEncodedLen;
		/// The blocks over which one account's feeless actions are counted.
		#[pallet::constant]
		type FeelessWindow: Get<BlockNumberFor<Self>>;
		/// Feeless actions one account may take per window.
		#[pallet::constant]
		type MaxFeelessPerWindow: Get<u32>;
		/// Feeless actions one block takes, so volunteers never crowd out paying transactions.
		#[pallet::constant]
		type MaxFeelessPerBlock: Get<u32>;
		/// Weights of the calls, from this pallet's benchmarks.
		type WeightInfo: WeightInfo;
		/// Makes volunteer keys for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId, Self::VolunteerSignature>;
	}

	/// Volunteer keys for the benchmarks.
	#[cfg(feature = "runtime-benchmarks")]
	pub trait BenchmarkHelper<AccountId, Signature> {
		/// A new volunteer whose key [`BenchmarkHelper::sign`] can use (the costliest kind to verify).
		fn volunteer() -> AccountId;
		/// `volunteer`'s signature over `message`.
		fn sign(volunteer: &AccountId, message: &[u8]) -> Signature;
	}

	/// Volunteers with ECDSA keys in the benchmark's keystore: of `MultiSignature`'s schemes the
	/// costliest to verify (a public-key recovery and a hash).
	#[cfg(feature = "runtime-benchmarks")]
	pub struct EcdsaVolunteers;

	#[cfg(feature = "runtime-benchmarks")]
	impl BenchmarkHelper<sp_runtime::AccountId32, sp_runtime::MultiSignature> for EcdsaVolunteers {
		fn volunteer() -> sp_runtime::AccountId32 {
			let public = sp_io::crypto::ecdsa_generate(BENCHMARK_KEYS, None);
			sp_runtime::MultiSigner::from(public).into_account()
		}

		fn sign(volunteer: &sp_runtime::AccountId32, message: &[u8]) -> sp_runtime::MultiSignature {
			let public = sp_io::crypto::ecdsa_public_keys(BENCHMARK_KEYS)
				.into_iter()
				.find(|public| &sp_runtime::MultiSigner::from(*public).into_account() == volunteer)
				.expect("the volunteer was made by EcdsaVolunteers::volunteer");
			sp_io::crypto::ecdsa_sign(BENCHMARK_KEYS, &public, message).expect("the key is in the keystore").into()
		}
	}

	/// The keystore type of benchmark volunteers.
	#[cfg(feature = "runtime-benchmarks")]
	const BENCHMARK_KEYS: sp_runtime::KeyTypeId = sp_runtime::KeyTypeId(*b"mrbv");

	/// An account's feeless actions in its current window.
	#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Encode, Decode, MaxEncodedLen, TypeInfo)]
	pub struct FeelessUse<BlockNumber> {
		/// The window's number (block ÷ `FeelessWindow`).
		pub window: BlockNumber,
		pub used: u32,
	}

	/// How the chain picks a volunteer's next regular subject.
	#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
	pub enum Selection {
		/// Uniformly among the open subjects.
		Random,
		/// The first open subject in the order the owner added them (most informative first).
		Priority,
	}

	/// A level of the campaign's ladder: reached when every class's skill on gold is at least
	/// `threshold` with at least `min_gold` gold classifications of that class.
	#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
	pub struct Level {
		pub threshold: Prob,
		pub min_gold: u32,
	}

	/// What an owner publishes.
	#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
	pub struct CampaignParams<BlockNumber, Balance> {
		/// For people.
		pub title: Vec<u8>,
		/// Where subjects are served by digest (`{uri}/{digest}`), e.g. an artifact store.
		pub subjects_uri: Vec<u8>,
		/// The task's answers, 2 ..= 10.
		pub answers: u8,
		/// How subjects retire.
		pub rule: RetirementRule,
		/// Seals a subject collects before they are revealed together, 1 ..= `MaxVotesPerSubject`.
		pub round_size: u32,
		/// Blocks a full round's volunteers have to reveal.
		pub reveal_window: BlockNumber,
		/// Random or priority order.
		pub selection: Selection,
		/// The gold schedule: `(seen_below, rate)` steps, the last rate a floor; at most 4.
		pub gold_steps: Vec<(u32, Prob)>,
		/// The level ladder, lowest first; at most 4.
		pub levels: Vec<Level>,
		/// SWAP's skepticism (extra pseudo-counts on a newcomer's ½).
		pub skepticism: u32,
		/// The reward pool, held from the owner.
		pub pool: Balance,
		/// The last block that accepts classifications.
		pub ends_at: BlockNumber,
	}

	/// A campaign.
	#[derive(CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo)]
	#[scale_info(skip_type_params(T))]
	#[codec(mel_bound())]
	pub struct Campaign<T: Config> {
		pub owner: T::AccountId,
		pub title: BoundedVec<u8, T::MaxTextLength>,
		pub subjects_uri: BoundedVec<u8, T::MaxTextLength>,
		pub answers: u8,
		pub rule: RetirementRule,
		pub round_size: u32,
		pub reveal_window: BlockNumberFor<T>,
		pub selection: Selection,
		pub gold_steps: BoundedVec<(u32, Prob), ConstU32<4>>,
		pub levels: BoundedVec<Level, ConstU32<4>>,
		pub skepticism: u32,
		pub ends_at: BlockNumberFor<T>,
		/// Subjects added, gold included (the next subject's index).
		pub subjects: u32,
		/// Of which gold.
		pub gold: u32,
		/// Regular subjects retired.
		pub retired: u32,
		/// Gold batches added, and how many of them are revealed.
		pub gold_batches: u32,
		pub gold_revealed: u32,
		/// Classifications revealed (regular and gold).
		pub classifications: u32,
		/// The pool as published, and what is still held.
		pub pool: BalanceOf<T>,
		pub pool_left: BalanceOf<T>,
		/// The storage deposit held.
		pub deposit: BalanceOf<T>,
		/// Σ agreements × skill weight over volunteers, and Σ agreements: what claims divide.
		pub total_weighted: u128,
		pub total_agreements: u32,
		/// The exported consensus labels, once recorded.
		pub labels: Option<Digest>,
		/// Whether the pool's rest went back (the campaign is over for good).
		pub closed: bool,
	}

	/// Why a subject retired.
	#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
	pub enum RetiredBy {
		/// The campaign's rule.
		Rule,
		/// `MaxVotesPerSubject` classifications without the rule deciding: its plurality.
		VoteCap,
	}

	/// A retired subject's consensus.
	#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
	pub struct Retirement<BlockNumber> {
		pub label: Answer,
		/// The label's posterior (the SWAP rules) or vote share (counting rules).
		pub confidence: Prob,
		pub by: RetiredBy,
		pub at: BlockNumber,
	}

	/// A subject.
	#[derive(CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo)]
	#[scale_info(skip_type_params(T))]
	#[codec(mel_bound())]
	pub struct Subject<T: Config> {
		pub digest: Digest,
		/// The gold batch it belongs to, if gold.
		pub gold_batch: Option<u32>,
		/// The lowest level that is shown it.
		pub min_level: u8,
		/// Seals taken (every round; for gold, every view).
		pub seals: u32,
		/// The current round, its seals and reveals; a full round is in review until
		/// `review_until`.
		pub round: u32,
		pub round_seals: u32,
		pub round_revealed: u32,
		pub review_until: Option<BlockNumberFor<T>>,
		/// Revealed votes per answer.
		pub tally: BoundedVec<u32, MaxAnswers>,
		/// SWAP's P(answer 1).
		pub swap: Prob,
		/// The multi-class posterior, starting at the prior.
		pub posterior: BoundedVec<u128, MaxAnswers>,
		pub posterior_votes: u32,
		pub retired: Option<Retirement<BlockNumberFor<T>>>,
	}

	/// A subject as the owner adds it.
	#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
	pub struct SubjectInput {
		pub digest: Digest,
		/// A model's predicted probabilities (summing to about 1), the subject's prior.
		pub prior: Option<Vec<Prob>>,
		/// Shown only from this level up (0: everyone).
		pub min_level: u8,
	}

	/// A gold batch.
	#[derive(CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo)]
	#[scale_info(skip_type_params(T))]
	#[codec(mel_bound())]
	pub struct GoldBatch<T: Config> {
		/// Its subjects are `first .. first + count`.
		pub first: SubjectIndex,
		pub count: u32,
		pub commitment: [u8; 32],
		/// Shown until this block; revealed by the owner from then.
		pub reveal_after: BlockNumberFor<T>,
		pub revealed: bool,
	}

	/// A volunteer's seal on a subject.
	#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
	pub struct SealEntry {
		pub seal: [u8; 32],
		/// The subject's round it belongs to (0 for gold).
		pub round: u32,
		/// Once revealed.
		pub answer: Option<Answer>,
	}

	/// A volunteer in a campaign.
	#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
	pub struct Volunteer<Balance> {
		/// Subjects sealed, and of which gold.
		pub seen: u32,
		pub gold_seen: u32,
		/// Classifications revealed.
		pub revealed: u32,
		/// Gold confusion counts, row-major, one pseudo-count per cell.
		pub confusion: BoundedVec<u32, MaxCells>,
		/// SWAP skill (two-answer campaigns).
		pub swap: SwapSkill,
		/// 0 until promoted.
		pub level: u8,
		/// Votes equal to their subject's retired label.
		pub agreements: u32,
		/// The skill weight its agreements are counted with.
		pub weight: Prob,
		/// What it was paid, once claimed.
		pub paid: Option<Balance>,
	}

	#[pallet::storage]
	pub type NextCampaignId<T> = StorageValue<_, CampaignId, ValueQuery>;

	#[pallet::storage]
	pub type Campaigns<T: Config> = StorageMap<_, Twox64Concat, CampaignId, Campaign<T>>;

	#[pallet::storage]
	pub type Subjects<T: Config> =
		StorageDoubleMap<_, Twox64Concat, CampaignId, Twox64Concat, SubjectIndex, Subject<T>>;

	#[pallet::storage]
	pub type GoldBatches<T: Config> = StorageDoubleMap<_, Twox64Concat, CampaignId, Twox64Concat, u32, GoldBatch<T>>;

	/// Revealed gold answers.
	#[pallet::storage]
	pub type GoldAnswers<T: Config> = StorageDoubleMap<_, Twox64Concat, CampaignId, Twox64Concat, SubjectIndex, Answer>;

	/// Every seal, which is also the record that a volunteer has seen a subject.
	#[pallet::storage]
	pub type Seals<T: Config> = StorageNMap<
		_,
		(
			NMapKey<Twox64Concat, CampaignId>,
			NMapKey<Twox64Concat, SubjectIndex>,
			NMapKey<Blake2_128Concat, T::AccountId>,
		),
		SealEntry,
	>;

	/// A regular subject's revealed votes, in reveal order: who is credited when it retires.
	#[pallet::storage]
	pub type Votes<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		CampaignId,
		Twox64Concat,
		SubjectIndex,
		BoundedVec<(T::AccountId, Answer), T::MaxVotesPerSubject>,
		ValueQuery,
	>;

	/// Volunteers, by account then campaign (a track record lists an account's campaigns).
	#[pallet::storage]
	pub type Volunteers<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, CampaignId, Volunteer<BalanceOf<T>>>;

	/// Each volunteer's current assignment.
	#[pallet::storage]
	pub type Assignments<T: Config> =
		StorageDoubleMap<_, Twox64Concat, CampaignId, Blake2_128Concat, T::AccountId, SubjectIndex>;

	/// The open regular subjects (not retired, not in review) as an indexable set: slot → subject.
	#[pallet::storage]
	pub type OpenSlots<T: Config> = StorageDoubleMap<_, Twox64Concat, CampaignId, Twox64Concat, u32, SubjectIndex>;

	/// Where an open subject sits in [`OpenSlots`].
	#[pallet::storage]
	pub type SlotOf<T: Config> = StorageDoubleMap<_, Twox64Concat, CampaignId, Twox64Concat, SubjectIndex, u32>;

	/// How many regular subjects are open.
	#[pallet::storage]
	pub type OpenCount<T: Config> = StorageMap<_, Twox64Concat, CampaignId, u32, ValueQuery>;

	/// The open gold subjects (batch not yet revealed, views below the cap): slot → subject.
	#[pallet::storage]
	pub type GoldSlots<T: Config> = StorageDoubleMap<_, Twox64Concat, CampaignId, Twox64Concat, u32, SubjectIndex>;

	/// Where an open gold subject sits in [`GoldSlots`].
	#[pallet::storage]
	pub type GoldSlotOf<T: Config> = StorageDoubleMap<_, Twox64Concat, CampaignId, Twox64Concat, SubjectIndex, u32>;

	/// How many gold subjects are open.
	#[pallet::storage]
	pub type GoldCount<T: Config> = StorageMap<_, Twox64Concat, CampaignId, u32, ValueQuery>;

	/// Priority order: no regular subject below this index is open.
	#[pallet::storage]
	pub type PriorityCursor<T: Config> = StorageMap<_, Twox64Concat, CampaignId, SubjectIndex, ValueQuery>;

	/// Each account's feeless actions in its current window. An account is only written here
	/// when it acts in a campaign that admitted it, so the map is bounded by admissions.
	#[pallet::storage]
	pub type FeelessUses<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, FeelessUse<BlockNumberFor<T>>, ValueQuery>;

	/// Feeless actions in the block being built: (block, count).
	#[pallet::storage]
	pub type FeelessInBlock<T: Config> = StorageValue<_, (BlockNumberFor<T>, u32), ValueQuery>;

	/// Accounts a campaign has admitted (given a first subject): at most `MaxVotesPerSubject` per
	/// subject, which the subject deposits pay for.
	#[pallet::storage]
	pub type Admitted<T: Config> = StorageMap<_, Twox64Concat, CampaignId, u32, ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A campaign was published; its pool and deposit are held.
		CampaignCreated { campaign: CampaignId, owner: T::AccountId, pool: BalanceOf<T> },
		/// Subjects `first .. first + count` were added.
		SubjectsAdded { campaign: CampaignId, first: SubjectIndex, count: u32 },
		/// A gold batch was added behind its commitment.
		GoldAdded { campaign: CampaignId, batch: u32, first: SubjectIndex, count: u32 },
		/// A gold batch's answers were revealed and matched the commitment.
		GoldRevealed { campaign: CampaignId, batch: u32 },
		/// A volunteer was given a subject.
		SubjectAssigned { campaign: CampaignId, volunteer: T::AccountId, subject: SubjectIndex },
		/// A volunteer sealed its answer.
		Classified { campaign: CampaignId, subject: SubjectIndex, volunteer: T::AccountId },
		/// A subject's round is full: its volunteers may reveal until `until`.
		RoundInReview { campaign: CampaignId, subject: SubjectIndex, round: u32, until: BlockNumberFor<T> },
		/// A sealed answer was revealed.
		AnswerRevealed { campaign: CampaignId, subject: SubjectIndex, volunteer: T::AccountId, answer: Answer },
		/// A round ended without retiring its subject: it is open again.
		RoundEnded { campaign: CampaignId, subject: SubjectIndex, round: u32, revealed: u32 },
		/// A subject retired with a consensus label.
		SubjectRetired { campaign: CampaignId, subject: SubjectIndex, label: Answer, confidence: Prob, by: RetiredBy },
		/// A volunteer reached a level.
		Promoted { campaign: CampaignId, volunteer: T::AccountId, level: u8 },
		/// A volunteer was paid its share of the pool.
		RewardClaimed { campaign: CampaignId, volunteer: T::AccountId, amount: BalanceOf<T> },
		/// The owner recorded the exported consensus labels.
		LabelsRecorded { campaign: CampaignId, digest: Digest },
		/// The owner ended the campaign early: `at` is the last block that accepted classifications.
		CampaignEnded { campaign: CampaignId, at: BlockNumberFor<T> },
		/// The campaign is over: the pool's rest went back to its owner.
		CampaignClosed { campaign: CampaignId, returned: BalanceOf<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No campaign has this id.
		UnknownCampaign,
		/// No subject has this index in the campaign.
		UnknownSubject,
		/// Only the campaign's owner may do this.
		NotOwner,
		/// The task needs 2 to 10 answers.
		BadAnswerCount,
		/// The retirement rule has a zero count or vote minimum, or a threshold outside (0, 1].
		RuleOutOfRange,
		/// SWAP is defined for two answers only.
		SwapNeedsTwoAnswers,
		/// SWAP's thresholds must satisfy reject < prior < detect.
		SwapThresholdsDisordered,
		/// A round must hold 1 to `MaxVotesPerSubject` seals.
		BadRoundSize,
		/// The reveal window must be at least one block.
		BadRevealWindow,
		/// The gold schedule has more than 4 steps, steps out of order, or a rate above 1.
		BadGoldSchedule,
		/// More than 4 levels, or a threshold above 1.
		BadLevels,
		/// The title or subjects URI is too long.
		TextTooLong,
		/// The campaign must end after this block.
		EndInThePast,
		/// The pool must be positive.
		EmptyPool,
		/// The owner cannot hold the pool and deposits.
		InsufficientBalance,
		/// The campaign no longer accepts this: it has ended.
		CampaignEnded,
		/// Nothing or more than `MaxBatch` subjects in one call.
		BadBatch,
		/// The campaign would hold more than `MaxSubjects` subjects.
		TooManySubjects,
		/// A prior must have one probability per answer, each at most 1.
		BadPrior,
		/// A gold batch must be revealable after now and by the campaign's end.
		BadRevealBlock,
		/// No gold batch has this number.
		UnknownBatch,
		/// The batch is already revealed.
		AlreadyRevealed,
		/// The batch is still being shown: reveal from its `reveal_after` block.
		TooEarly,
		/// The answers do not match the batch's commitment.
		CommitmentMismatch,
		/// One answer per gold subject, each below the answer count.
		BadAnswers,
		/// The volunteer already has a subject: classify it first.
		AlreadyAssigned,
		/// The volunteer has no subject: ask for one with `next_subject`.
		NotAssigned,
		/// No subject is available to this volunteer now.
		NothingToClassify,
		/// The volunteer has no seal on this subject.
		NoSeal,
		/// The seal is revealed already.
		AlreadyRevealed2,
		/// The answer and salt do not match the seal.
		SealMismatch,
		/// The answer is not one of the task's.
		BadAnswer,
		/// The round is still collecting seals (or the gold batch is unrevealed): reveal later.
		NotInReview,
		/// The seal belongs to a round that has ended.
		StaleSeal,
		/// The reveal window has passed.
		RevealWindowPassed,
		/// The subject's round is not in review, or its reveal window has not passed.
		RoundStillOpen,
		/// Claims open once the campaign has ended and its reveal window passed.
		NotSettled,
		/// The volunteer has claimed already.
		AlreadyClaimed,
		/// The volunteer has nothing to claim.
		NothingToClaim,
		/// The claim window has not passed (or the campaign is closed already).
		CannotCloseYet,
		/// The campaign is closed.
		Closed,
		/// The campaign has admitted as many volunteers as its subject deposits pay for.
		CampaignFull,
		/// The signature is not the volunteer's over this action on this chain.
		BadSignature,
		/// The account has used its feeless actions for this window: wait for the next.
		FeelessRateLimited,
		/// The subject is not the volunteer's current assignment.
		NotYourSubject,
		/// A balance or count would overflow.
		Overflow,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}

		fn integrity_test() {
			assert!(T::MaxVotesPerSubject::get() >= 1, "MaxVotesPerSubject must be positive");
			assert!(T::MaxProbe::get() >= 1, "MaxProbe must be positive");
			assert!(T::MaxBatch::get() >= 1, "MaxBatch must be positive");
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Publishes a campaign.
		///
		/// - Origin: signed, the owner, who holds the pool and `CampaignDeposit`.
		/// - Effects: stores the campaign; holds the pool and the deposit.
		/// - Events: [`Event::CampaignCreated`].
		/// - Errors: [`Error::BadAnswerCount`], the rule's errors, [`Error::BadRoundSize`],
		///   [`Error::BadRevealWindow`], [`Error::BadGoldSchedule`], [`Error::BadLevels`],
		///   [`Error::TextTooLong`], [`Error::EndInThePast`], [`Error::EmptyPool`],
		///   [`Error::InsufficientBalance`].
		/// - Complexity: O(1).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::create_campaign())]
		pub fn create_campaign(
			origin: OriginFor<T>,
			params: CampaignParams<BlockNumberFor<T>, BalanceOf<T>>,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			let campaign = Self::check_params(owner.clone(), params)?;
			let id = NextCampaignId::<T>::get();
			let next = id.checked_add(1).ok_or(Error::<T>::Overflow)?;
			T::Currency::hold(&HoldReason::CampaignPool.into(), &owner, campaign.pool)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
			T::Currency::hold(&HoldReason::CampaignDeposit.into(), &owner, campaign.deposit)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
			let pool = campaign.pool;
			Campaigns::<T>::insert(id, campaign);
			NextCampaignId::<T>::put(next);
			Self::deposit_event(Event::CampaignCreated { campaign: id, owner, pool });
			Ok(())
		}

		/// Adds regular subjects, in the order a `Priority` campaign serves them.
		///
		/// - Origin: signed, the owner, who holds `SubjectDeposit` per subject.
		/// - Effects: stores the subjects and opens them.
		/// - Events: [`Event::SubjectsAdded`].
		/// - Errors: [`Error::UnknownCampaign`], [`Error::NotOwner`], [`Error::CampaignEnded`],
		///   [`Error::BadBatch`], [`Error::TooManySubjects`], [`Error::BadPrior`],
		///   [`Error::InsufficientBalance`].
		/// - Complexity: O(subjects).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::add_subjects(subjects.len() as u32))]
		pub fn add_subjects(origin: OriginFor<T>, campaign: CampaignId, subjects: Vec<SubjectInput>) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			let mut record = Self::owned_and_running(campaign, &owner)?;
			let count = Self::check_batch(&record, subjects.len())?;
			let k = record.answers;
			for input in &subjects {
				if let Some(prior) = &input.prior {
					ensure!(prior.len() == k as usize && prior.iter().all(|p| *p <= ONE), Error::<T>::BadPrior);
				}
			}
			Self::hold_subject_deposits(&mut record, &owner, count)?;
			let first = record.subjects;
			for (offset, input) in subjects.into_iter().enumerate() {
				let index = first + offset as u32;
				let mut subject = Self::new_subject(&record, input.digest, None, input.min_level);
				if let Some(prior) = input.prior {
					subject.posterior = prior
						.into_iter()
						.map(u128::from)
						.collect::<Vec<_>>()
						.try_into()
						.map_err(|_| Error::<T>::BadPrior)?;
					if k == 2 {
						subject.swap = Self::swap_prior_of(&record, subject.posterior[1]);
					}
				}
				Subjects::<T>::insert(campaign, index, subject);
				Self::open(campaign, index);
			}
			record.subjects = first + count;
			Campaigns::<T>::insert(campaign, record);
			Self::deposit_event(Event::SubjectsAdded { campaign, first, count });
			Ok(())
		}

		/// Adds a batch of gold subjects behind `commitment` =
		/// [`gold_commitment`]`((index, answer) in index order, salt)`; they are shown until
		/// `reveal_after`, from when the owner reveals them.
		///
		/// - Origin: signed, the owner, who holds `SubjectDeposit` per subject.
		/// - Effects: stores the batch and its subjects and opens them as gold.
		/// - Events: [`Event::GoldAdded`].
		/// - Errors: [`Error::UnknownCampaign`], [`Error::NotOwner`], [`Error::CampaignEnded`],
		///   [`Error::BadBatch`], [`Error::TooManySubjects`], [`Error::BadRevealBlock`],
		///   [`Error::InsufficientBalance`].
		/// - Complexity: O(subjects).
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::add_gold(digests.len() as u32))]
		pub fn add_gold(
			origin: OriginFor<T>,
			campaign: CampaignId,
			digests: Vec<Digest>,
			commitment: [u8; 32],
			reveal_after: BlockNumberFor<T>,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			let mut record = Self::owned_and_running(campaign, &owner)?;
			let count = Self::check_batch(&record, digests.len())?;
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(reveal_after > now && reveal_after <= record.ends_at, Error::<T>::BadRevealBlock);
			Self::hold_subject_deposits(&mut record, &owner, count)?;
			let batch = record.gold_batches;
			let first = record.subjects;
			for (offset, digest) in digests.into_iter().enumerate() {
				let index = first + offset as u32;
				Subjects::<T>::insert(campaign, index, Self::new_subject(&record, digest, Some(batch), 0));
				Self::open_gold(campaign, index);
			}
			GoldBatches::<T>::insert(
				campaign,
				batch,
				GoldBatch { first, count, commitment, reveal_after, revealed: false },
			);
			record.subjects = first + count;
			record.gold = record.gold.saturating_add(count);
			record.gold_batches = batch.checked_add(1).ok_or(Error::<T>::Overflow)?;
			Campaigns::<T>::insert(campaign, record);
			Self::deposit_event(Event::GoldAdded { campaign, batch, first, count });
			Ok(())
		}

		/// Reveals a gold batch's answers (in subject order) and salt.
		///
		/// - Origin: signed, the owner.
		/// - Effects: checks them against the batch's commitment and stores them; from now on
		///   volunteers reveal their answers to the batch, which moves their skill.
		/// - Events: [`Event::GoldRevealed`].
		/// - Errors: [`Error::UnknownCampaign`], [`Error::NotOwner`], [`Error::UnknownBatch`],
		///   [`Error::AlreadyRevealed`], [`Error::TooEarly`], [`Error::BadAnswers`],
		///   [`Error::CommitmentMismatch`].
		/// - Complexity: O(answers).
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::reveal_gold(answers.len() as u32))]
		pub fn reveal_gold(
			origin: OriginFor<T>,
			campaign: CampaignId,
			batch: u32,
			answers: Vec<Answer>,
			salt: [u8; 32],
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			let mut record = Campaigns::<T>::get(campaign).ok_or(Error::<T>::UnknownCampaign)?;
			ensure!(record.owner == owner, Error::<T>::NotOwner);
			let mut gold = GoldBatches::<T>::get(campaign, batch).ok_or(Error::<T>::UnknownBatch)?;
			ensure!(!gold.revealed, Error::<T>::AlreadyRevealed);
			ensure!(frame_system::Pallet::<T>::block_number() >= gold.reveal_after, Error::<T>::TooEarly);
			ensure!(
				answers.len() == gold.count as usize && answers.iter().all(|a| *a < record.answers),
				Error::<T>::BadAnswers
			);
			let pairs: Vec<(SubjectIndex, Answer)> =
				answers.iter().enumerate().map(|(i, a)| (gold.first + i as u32, *a)).collect();
			ensure!(gold_commitment(&pairs, &salt) == gold.commitment, Error::<T>::CommitmentMismatch);
			for (index, answer) in pairs {
				GoldAnswers::<T>::insert(campaign, index, answer);
				Self::close_gold(campaign, index);
			}
			gold.revealed = true;
			GoldBatches::<T>::insert(campaign, batch, gold);
			record.gold_revealed = record.gold_revealed.saturating_add(1);
			Campaigns::<T>::insert(campaign, record);
			Self::deposit_event(Event::GoldRevealed { campaign, batch });
			Ok(())
		}

		/// Asks for a first subject (or a new one after the last was taken by others).
		///
		/// - Origin: signed, the volunteer.
		/// - Effects: assigns a subject.
		/// - Events: [`Event::SubjectAssigned`].
		/// - Errors: [`Error::UnknownCampaign`], [`Error::CampaignEnded`],
		///   [`Error::AlreadyAssigned`] (unless the assigned subject is no longer open),
		///   [`Error::NothingToClassify`].
		/// - Complexity: O(`MaxProbe`).
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::next_subject())]
		pub fn next_subject(origin: OriginFor<T>, campaign: CampaignId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_next_subject(&who, campaign)
		}

		/// Seals the answer to the volunteer's current subject, and assigns the next.
		///
		/// - Origin: signed, the volunteer.
		/// - Effects: stores the seal ([`answer_seal`] of the answer and a secret salt); a
		///   regular subject whose round is now full goes into review; a gold subject that
		///   reached `MaxVotesPerSubject` views stops being shown; draws the next subject (none
		///   when nothing is left, which is not an error).
		/// - Events: [`Event::Classified`], maybe [`Event::RoundInReview`],
		///   [`Event::SubjectAssigned`].
		/// - Errors: [`Error::UnknownCampaign`], [`Error::CampaignEnded`], [`Error::NotAssigned`],
		///   [`Error::NothingToClassify`] (the subject was taken into review by others meanwhile:
		///   ask `next_subject`).
		/// - Complexity: O(`MaxProbe`).
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::classify())]
		pub fn classify(origin: OriginFor<T>, campaign: CampaignId, seal: [u8; 32]) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_classify(&who, campaign, None, seal)
		}
		/// Reveals a sealed answer: for a regular subject once its round is in review (or the
		/// campaign has ended), for a gold subject once its batch is revealed.
		///
		/// - Origin: signed, the volunteer.
		/// - Effects: a regular subject's tally, SWAP probability and posterior take the vote
		///   (weighted by the volunteer's skill now); the last reveal of a round applies the
		///   rule and retires the subject (crediting every volunteer who agreed) or reopens it.
		///   A gold answer moves the volunteer's confusion matrix and SWAP skill, and may
		///   promote it.
		/// - Events: [`Event::AnswerRevealed`], maybe [`Event::SubjectRetired`] or
		///   [`Event::RoundEnded`], maybe [`Event::Promoted`].
		/// - Errors: [`Error::UnknownCampaign`], [`Error::NoSeal`], [`Error::AlreadyRevealed2`],
		///   [`Error::BadAnswer`], [`Error::SealMismatch`], [`Error::NotInReview`],
		///   [`Error::StaleSeal`], [`Error::RevealWindowPassed`].
		/// - Complexity: O(`MaxVotesPerSubject`) when it retires the subject, O(1) otherwise.
		#[pallet::call_index(6)]
		#[pallet::weight(Pallet::<T>::reveal_weight())]
		pub fn reveal(
			origin: OriginFor<T>,
			campaign: CampaignId,
			subject: SubjectIndex,
			answer: Answer,
			salt: [u8; 32],
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			Self::do_reveal(&who, campaign, subject, answer, salt)
		}

		/// Ends a round in review whose reveal window has passed: unrevealed seals do not count.
		///
		/// - Origin: signed, anyone.
		/// - Effects: applies the rule to what was revealed; retires the subject or reopens it.
		/// - Events: [`Event::SubjectRetired`] or [`Event::RoundEnded`].
		/// - Errors: [`Error::UnknownCampaign`], [`Error::UnknownSubject`],
		///   [`Error::RoundStillOpen`].
		/// - Complexity: O(`MaxVotesPerSubject`).
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::close_round(T::MaxVotesPerSubject::get()))]
		pub fn close_round(
			origin: OriginFor<T>,
			campaign: CampaignId,
			subject: SubjectIndex,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let mut record = Campaigns::<T>::get(campaign).ok_or(Error::<T>::UnknownCampaign)?;
			let mut state = Subjects::<T>::get(campaign, subject).ok_or(Error::<T>::UnknownSubject)?;
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(
				state.retired.is_none() && state.review_until.is_some_and(|until| now > until),
				Error::<T>::RoundStillOpen
			);
			let voters = Self::end_round(campaign, &mut record, subject, &mut state);
			Subjects::<T>::insert(campaign, subject, state);
			Campaigns::<T>::insert(campaign, record);
			Ok(Some(T::WeightInfo::close_round(voters)).into())
		}

		/// Pays a volunteer its share: pool × its agreements × its skill weight ÷ everyone's (by
		/// plain agreements if the owner withheld a gold batch).
		///
		/// - Origin: signed, the volunteer.
		/// - Effects: moves the share from the owner's held pool to the volunteer.
		/// - Events: [`Event::RewardClaimed`].
		/// - Errors: [`Error::UnknownCampaign`], [`Error::NotSettled`], [`Error::Closed`],
		///   [`Error::NoSeal`], [`Error::AlreadyClaimed`], [`Error::NothingToClaim`].
		/// - Complexity: O(1).
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::claim())]
		pub fn claim(origin: OriginFor<T>, campaign: CampaignId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_claim(&who, campaign)
		}

		/// Records the digest of the exported consensus labels (every retired subject's index,
		/// digest, label and confidence, as `merit campaign export` writes them), so a challenge
		/// can take them as its labels and anyone can check the file against the chain.
		///
		/// - Origin: signed, the owner.
		/// - Events: [`Event::LabelsRecorded`].
		/// - Errors: [`Error::UnknownCampaign`], [`Error::NotOwner`], [`Error::NotSettled`].
		/// - Complexity: O(1).
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::record_labels())]
		pub fn record_labels(origin: OriginFor<T>, campaign: CampaignId, digest: Digest) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			let mut record = Campaigns::<T>::get(campaign).ok_or(Error::<T>::UnknownCampaign)?;
			ensure!(record.owner == owner, Error::<T>::NotOwner);
			ensure!(Self::settled(&record), Error::<T>::NotSettled);
			record.labels = Some(digest);
			Campaigns::<T>::insert(campaign, record);
			Self::deposit_event(Event::LabelsRecorded { campaign, digest });
			Ok(())
		}

		/// Closes a campaign whose claim window has passed: the unclaimed pool goes back to the
		/// owner. The storage deposit stays held while the campaign's records are kept.
		///
		/// - Origin: signed, anyone.
		/// - Events: [`Event::CampaignClosed`].
		/// - Errors: [`Error::UnknownCampaign`], [`Error::CannotCloseYet`].
		/// - Complexity: O(1).
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::close_campaign())]
		pub fn close_campaign(origin: OriginFor<T>, campaign: CampaignId) -> DispatchResult {
			ensure_signed(origin)?;
			let mut record = Campaigns::<T>::get(campaign).ok_or(Error::<T>::UnknownCampaign)?;
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(!record.closed && now > Self::claims_end(&record), Error::<T>::CannotCloseYet);
			let returned = record.pool_left;
			T::Currency::release(&HoldReason::CampaignPool.into(), &record.owner, returned, Precision::Exact)?;
			record.pool_left = Zero::zero();
			record.closed = true;
			Campaigns::<T>::insert(campaign, record);
			Self::deposit_event(Event::CampaignClosed { campaign, returned });
			Ok(())
		}
		/// Ends a running campaign now (its subjects are labelled, say): no more subjects,
		/// assignments or seals; volunteers reveal during the reveal window from this block, then
		/// claims open. Gold batches not yet revealable stay so: if one is never revealed, the pool
		/// is shared by plain agreements.
		///
		/// - Origin: signed, the owner.
		/// - Events: [`Event::CampaignEnded`].
		/// - Errors: [`Error::UnknownCampaign`], [`Error::NotOwner`], [`Error::CampaignEnded`].
		/// - Complexity: O(1).
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::end_campaign())]
		pub fn end_campaign(origin: OriginFor<T>, campaign: CampaignId) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			let mut record = Self::owned_and_running(campaign, &owner)?;
			// The previous block was the last that accepted classifications.
			let last = frame_system::Pallet::<T>::block_number().saturating_sub(One::one());
			record.ends_at = last;
			Campaigns::<T>::insert(campaign, record);
			Self::deposit_event(Event::CampaignEnded { campaign, at: last });
			Ok(())
		}

		/// A volunteer's action without fees or tokens: a general transaction (no signed
		/// origin) that anyone may relay, authorized by `volunteer`'s `signature` over
		/// [`feeless_message`]. It does what [`Pallet::next_subject`], [`Pallet::classify`]
		/// (only for the subject it names), [`Pallet::reveal`] or [`Pallet::claim`] do.
		///
		/// - Origin: `Authorized`, by [`Pallet::authorize_volunteer`]: the signature (valid until
		///   the block `valid_until`, which makes each request distinct), the account's
		///   rate (`MaxFeelessPerWindow` per `FeelessWindow`), the block's share
		///   (`MaxFeelessPerBlock`) and the action's own checks, so the pool only keeps actions
		///   that will do work, at the lowest priority.
		/// - Effects: the action's; counts it against the account's window and the block.
		/// - Events and errors: the action's.
		/// - Complexity: the action's.
		#[pallet::call_index(12)]
		#[pallet::weight(Pallet::<T>::volunteer_weight(action))]
		#[pallet::authorize(Pallet::<T>::authorize_volunteer)]
		#[pallet::weight_of_authorize(T::WeightInfo::authorize_volunteer())]
		pub fn volunteer(
			origin: OriginFor<T>,
			campaign: CampaignId,
			volunteer: T::AccountId,
			valid_until: BlockNumberFor<T>,
			action: VolunteerAction,
			signature: T::VolunteerSignature,
		) -> DispatchResultWithPostInfo {
			frame_system::ensure_authorized(origin)?;
			let _ = (valid_until, signature);
			Self::note_feeless(&volunteer);
			// Only a reveal weighs less than declared (one that retires nothing); the others are
			// charged their declared weight (`None`).
			let actual = match action {
				VolunteerAction::NextSubject => Self::do_next_subject(&volunteer, campaign).map(|_| None)?,
				VolunteerAction::Classify { subject, seal } => {
					Self::do_classify(&volunteer, campaign, Some(subject), seal).map(|_| None)?
				}
				VolunteerAction::Reveal { subject, answer, salt } => {
					Self::do_reveal(&volunteer, campaign, subject, answer, salt)?
						.actual_weight
						.map(|weight| weight.saturating_add(Self::feeless_bookkeeping()))
				}
				VolunteerAction::Claim => Self::do_claim(&volunteer, campaign).map(|_| None)?,
			};
			Ok(actual.into())
		}
	}

	impl<T: Config> Pallet<T> {
		/// What [`Pallet::next_subject`] needs to hold for `who`: the campaign running, no open
		/// assignment, room for a newcomer. Returns the campaign and whether `who` is new to it.
		fn check_next_subject(who: &T::AccountId, campaign: CampaignId) -> Result<(Campaign<T>, bool), DispatchError> {
			let record = Self::running(campaign)?;
			let current = Assignments::<T>::get(campaign, who);
			if let Some(current) = current {
				ensure!(!Self::takes_seals(campaign, current), Error::<T>::AlreadyAssigned);
			}
			let newcomer = current.is_none() && !Volunteers::<T>::contains_key(who, campaign);
			if newcomer {
				ensure!(Admitted::<T>::get(campaign) < Self::admissions(&record), Error::<T>::CampaignFull);
			}
			Ok((record, newcomer))
		}

		/// [`Pallet::next_subject`] for `who`.
		fn do_next_subject(who: &T::AccountId, campaign: CampaignId) -> DispatchResult {
			let (record, newcomer) = Self::check_next_subject(who, campaign)?;
			let volunteer = Volunteers::<T>::get(who, campaign).unwrap_or_else(|| Self::newcomer(&record));
			Self::assign(campaign, &record, who, &volunteer)?;
			if newcomer {
				Admitted::<T>::mutate(campaign, |admitted| *admitted = admitted.saturating_add(1));
			}
			Ok(())
		}

		/// The most volunteers a campaign admits: `MaxVotesPerSubject` per subject, what the
		/// subject deposits pay for.
		pub fn admissions(record: &Campaign<T>) -> u32 {
			record.subjects.saturating_mul(T::MaxVotesPerSubject::get())
		}

		/// What [`Pallet::classify`] needs to hold for `who`: the campaign running and an
		/// assignment (`expected`, when a feeless action signed for one) still taking seals.
		fn check_classify(
			who: &T::AccountId,
			campaign: CampaignId,
			expected: Option<SubjectIndex>,
		) -> Result<(Campaign<T>, SubjectIndex), DispatchError> {
			let record = Self::running(campaign)?;
			let index = Assignments::<T>::get(campaign, who).ok_or(Error::<T>::NotAssigned)?;
			ensure!(expected.is_none_or(|subject| subject == index), Error::<T>::NotYourSubject);
			ensure!(Self::takes_seals(campaign, index), Error::<T>::NothingToClassify);
			ensure!(!Seals::<T>::contains_key((campaign, index, who)), Error::<T>::NothingToClassify);
			Ok((record, index))
		}

		/// [`Pallet::classify`] for `who`.
		fn do_classify(
			who: &T::AccountId,
			campaign: CampaignId,
			expected: Option<SubjectIndex>,
			seal: [u8; 32],
		) -> DispatchResult {
			let (record, index) = Self::check_classify(who, campaign, expected)?;
			let mut subject = Subjects::<T>::get(campaign, index).ok_or(Error::<T>::UnknownSubject)?;
			let mut volunteer = Volunteers::<T>::get(who, campaign).unwrap_or_else(|| Self::newcomer(&record));
			let round = if subject.gold_batch.is_some() { 0 } else { subject.round };
			Seals::<T>::insert((campaign, index, who), SealEntry { seal, round, answer: None });
			subject.seals = subject.seals.saturating_add(1);
			volunteer.seen = volunteer.seen.saturating_add(1);
			if subject.gold_batch.is_some() {
				volunteer.gold_seen = volunteer.gold_seen.saturating_add(1);
				if subject.seals >= T::MaxVotesPerSubject::get() {
					Self::close_gold(campaign, index);
				}
			} else {
				subject.round_seals = subject.round_seals.saturating_add(1);
				if subject.round_seals >= record.round_size || subject.seals >= T::MaxVotesPerSubject::get() {
					let until = frame_system::Pallet::<T>::block_number().saturating_add(record.reveal_window);
					subject.review_until = Some(until);
					Self::close(campaign, index);
					Self::deposit_event(Event::RoundInReview { campaign, subject: index, round: subject.round, until });
				}
			}
			Subjects::<T>::insert(campaign, index, subject);
			Assignments::<T>::remove(campaign, who);
			Self::deposit_event(Event::Classified { campaign, subject: index, volunteer: who.clone() });
			Volunteers::<T>::insert(who, campaign, &volunteer);
			// Running out of subjects is the campaign's success, not the volunteer's error.
			let _ = Self::assign(campaign, &record, who, &volunteer);
			Ok(())
		}

		/// What [`Pallet::reveal`] needs to hold for `who`: an unrevealed seal the answer and salt
		/// open, inside the reveal window, and its subject ready (a gold batch revealed, a
		/// regular round in review or the campaign ended).
		fn check_reveal(
			who: &T::AccountId,
			campaign: CampaignId,
			subject: SubjectIndex,
			answer: Answer,
			salt: &[u8; 32],
		) -> Result<(Campaign<T>, SealEntry, Subject<T>), DispatchError> {
			let record = Campaigns::<T>::get(campaign).ok_or(Error::<T>::UnknownCampaign)?;
			let entry = Seals::<T>::get((campaign, subject, who)).ok_or(Error::<T>::NoSeal)?;
			ensure!(entry.answer.is_none(), Error::<T>::AlreadyRevealed2);
			ensure!(answer < record.answers, Error::<T>::BadAnswer);
			ensure!(
				answer_seal(campaign, subject, who.encode().as_slice(), answer, salt) == entry.seal,
				Error::<T>::SealMismatch
			);
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(now <= record.ends_at.saturating_add(record.reveal_window), Error::<T>::RevealWindowPassed);
			let state = Subjects::<T>::get(campaign, subject).ok_or(Error::<T>::UnknownSubject)?;
			if state.gold_batch.is_some() {
				ensure!(GoldAnswers::<T>::contains_key(campaign, subject), Error::<T>::NotInReview);
			} else {
				ensure!(state.retired.is_none(), Error::<T>::StaleSeal);
				ensure!(entry.round == state.round, Error::<T>::StaleSeal);
				ensure!(state.review_until.is_some() || now > record.ends_at, Error::<T>::NotInReview);
			}
			Ok((record, entry, state))
		}

		/// [`Pallet::reveal`] for `who`.
		fn do_reveal(
			who: &T::AccountId,
			campaign: CampaignId,
			subject: SubjectIndex,
			answer: Answer,
			salt: [u8; 32],
		) -> DispatchResultWithPostInfo {
			let (mut record, mut entry, mut state) = Self::check_reveal(who, campaign, subject, answer, &salt)?;
			let mut volunteer = Volunteers::<T>::get(who, campaign).ok_or(Error::<T>::NoSeal)?;
			entry.answer = Some(answer);
			Seals::<T>::insert((campaign, subject, who), entry);
			record.classifications = record.classifications.saturating_add(1);
			volunteer.revealed = volunteer.revealed.saturating_add(1);
			Self::deposit_event(Event::AnswerRevealed { campaign, subject, volunteer: who.clone(), answer });

			if state.gold_batch.is_some() {
				let truth = GoldAnswers::<T>::get(campaign, subject).ok_or(Error::<T>::NotInReview)?;
				Self::learn(campaign, &mut record, who, &mut volunteer, truth, answer);
				Volunteers::<T>::insert(who, campaign, volunteer);
				Campaigns::<T>::insert(campaign, record);
				return Ok(Some(T::WeightInfo::reveal_gold_answer()).into());
			}

			Self::vote(&record, &mut state, &volunteer, answer);
			Votes::<T>::try_mutate(campaign, subject, |votes| votes.try_push((who.clone(), answer)))
				.map_err(|_| Error::<T>::Overflow)?;
			state.round_revealed = state.round_revealed.saturating_add(1);
			Volunteers::<T>::insert(who, campaign, volunteer);
			let mut voters = 0;
			if state.review_until.is_some() && state.round_revealed >= state.round_seals {
				voters = Self::end_round(campaign, &mut record, subject, &mut state);
			}
			Subjects::<T>::insert(campaign, subject, state);
			Campaigns::<T>::insert(campaign, record);
			Ok(Some(T::WeightInfo::reveal_retiring(voters)).into())
		}

		/// What [`Pallet::claim`] needs to hold for `who`: the campaign settled and open, an
		/// unpaid, positive share. Returns the campaign, the volunteer and the share.
		fn check_claim(
			who: &T::AccountId,
			campaign: CampaignId,
		) -> Result<(Campaign<T>, Volunteer<BalanceOf<T>>, BalanceOf<T>), DispatchError> {
			let record = Campaigns::<T>::get(campaign).ok_or(Error::<T>::UnknownCampaign)?;
			ensure!(Self::settled(&record), Error::<T>::NotSettled);
			ensure!(!record.closed, Error::<T>::Closed);
			let volunteer = Volunteers::<T>::get(who, campaign).ok_or(Error::<T>::NoSeal)?;
			ensure!(volunteer.paid.is_none(), Error::<T>::AlreadyClaimed);
			let amount = Self::share_of(&record, &volunteer);
			ensure!(!amount.is_zero(), Error::<T>::NothingToClaim);
			Ok((record, volunteer, amount))
		}

		/// [`Pallet::claim`] for `who`.
		fn do_claim(who: &T::AccountId, campaign: CampaignId) -> DispatchResult {
			let (mut record, mut volunteer, amount) = Self::check_claim(who, campaign)?;
			T::Currency::transfer_on_hold(
				&HoldReason::CampaignPool.into(),
				&record.owner,
				who,
				amount,
				Precision::Exact,
				Restriction::Free,
				Fortitude::Polite,
			)?;
			record.pool_left = record.pool_left.saturating_sub(amount);
			volunteer.paid = Some(amount);
			Volunteers::<T>::insert(who, campaign, volunteer);
			Campaigns::<T>::insert(campaign, record);
			Self::deposit_event(Event::RewardClaimed { campaign, volunteer: who.clone(), amount });
			Ok(())
		}

		/// Checks a feeless action before it enters the pool or a block: the volunteer's
		/// signature, that `valid_until` has not passed (it also bounds the pool's longevity), its rate, the block's share of feeless actions, and that the action would
		/// succeed now. Errors are this pallet's, as `InvalidTransaction::Custom(error index)`,
		/// except a full block's share, which is `ExhaustsResources` (the action waits for the
		/// next block).
		fn authorize_volunteer(
			_source: TransactionSource,
			campaign: &CampaignId,
			volunteer: &T::AccountId,
			valid_until: &BlockNumberFor<T>,
			action: &VolunteerAction,
			signature: &T::VolunteerSignature,
		) -> TransactionValidityWithRefund {
			let message = feeless_message(&Self::genesis(), *campaign, (*valid_until).saturated_into(), action);
			if !signature.verify(&message[..], volunteer) {
				return Err(Self::refusal(Error::<T>::BadSignature.into()));
			}
			let now = frame_system::Pallet::<T>::block_number();
			if *valid_until < now {
				return Err(InvalidTransaction::Stale.into());
			}
			let (block, in_block) = FeelessInBlock::<T>::get();
			if block == now && in_block >= T::MaxFeelessPerBlock::get() {
				return Err(InvalidTransaction::ExhaustsResources.into());
			}
			let window = Self::feeless_window(now);
			let used = FeelessUses::<T>::get(volunteer);
			if used.window == window && used.used >= T::MaxFeelessPerWindow::get() {
				return Err(Self::refusal(Error::<T>::FeelessRateLimited.into()));
			}
			let checked = match action {
				VolunteerAction::NextSubject => Self::check_next_subject(volunteer, *campaign).map(|_| ()),
				VolunteerAction::Classify { subject, .. } => {
					Self::check_classify(volunteer, *campaign, Some(*subject)).map(|_| ())
				}
				VolunteerAction::Reveal { subject, answer, salt } => {
					Self::check_reveal(volunteer, *campaign, *subject, *answer, salt).map(|_| ())
				}
				VolunteerAction::Claim => Self::check_claim(volunteer, *campaign).map(|_| ()),
			};
			checked.map_err(Self::refusal)?;
			let validity = ValidTransaction::with_tag_prefix("MeritVolunteer")
				// Paying transactions go first.
				.priority(TransactionPriority::MIN)
				// One copy of an action in the pool: its relays are the same transaction.
				.and_provides((volunteer, campaign, action))
				.longevity(valid_until.saturating_sub(now).saturated_into::<u64>().saturating_add(1))
				.propagate(true)
				.build()?;
			Ok((validity, Weight::zero()))
		}

		/// A refused feeless action: the pallet error's index as the custom code, which clients
		/// name from the metadata like a dispatch error.
		fn refusal(error: DispatchError) -> TransactionValidityError {
			let code = match error {
				DispatchError::Module(module) => module.error[0],
				_ => u8::MAX,
			};
			InvalidTransaction::Custom(code).into()
		}

		/// The genesis hash as feeless messages bind it (the runtime's hash is 32 bytes).
		pub fn genesis() -> [u8; 32] {
			let hash = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
			let mut bytes = [0u8; 32];
			let hash = hash.as_ref();
			let len = hash.len().min(32);
			bytes[..len].copy_from_slice(&hash[..len]);
			bytes
		}

		/// A feeless action's weight: its action's, and the rate bookkeeping.
		pub fn volunteer_weight(action: &VolunteerAction) -> Weight {
			let action = match action {
				VolunteerAction::NextSubject => T::WeightInfo::next_subject(),
				VolunteerAction::Classify { .. } => T::WeightInfo::classify(),
				VolunteerAction::Reveal { .. } => Self::reveal_weight(),
				VolunteerAction::Claim => T::WeightInfo::claim(),
			};
			action.saturating_add(Self::feeless_bookkeeping())
		}

		/// A reveal's worst case: one that retires a subject crediting `MaxVotesPerSubject` voters,
		/// or a gold answer through the level checks.
		pub fn reveal_weight() -> Weight {
			T::WeightInfo::reveal_retiring(T::MaxVotesPerSubject::get()).max(T::WeightInfo::reveal_gold_answer())
		}

		/// What [`Pallet::note_feeless`] reads and writes: the account's window and the block's count.
		fn feeless_bookkeeping() -> Weight {
			T::DbWeight::get().reads_writes(2, 2)
		}

		/// Which rate window `now` falls in.
		fn feeless_window(now: BlockNumberFor<T>) -> BlockNumberFor<T> {
			let length = T::FeelessWindow::get().max(One::one());
			now / length
		}

		/// Counts a feeless action against its account's window and its block.
		fn note_feeless(volunteer: &T::AccountId) {
			let now = frame_system::Pallet::<T>::block_number();
			let window = Self::feeless_window(now);
			FeelessUses::<T>::mutate(volunteer, |used| {
				if used.window != window {
					*used = FeelessUse { window, used: 0 };
				}
				used.used = used.used.saturating_add(1);
			});
			FeelessInBlock::<T>::mutate(|(block, count)| {
				if *block != now {
					*block = now;
					*count = 0;
				}
				*count = count.saturating_add(1);
			});
		}

		fn check_params(
			owner: T::AccountId,
			params: CampaignParams<BlockNumberFor<T>, BalanceOf<T>>,
		) -> Result<Campaign<T>, DispatchError> {
			let k = params.answers;
			ensure!((2..=MAX_ANSWERS as u8).contains(&k), Error::<T>::BadAnswerCount);
			params.rule.check(k).map_err(|e| match e {
				RuleError::OutOfRange => Error::<T>::RuleOutOfRange,
				RuleError::SwapNeedsTwoAnswers => Error::<T>::SwapNeedsTwoAnswers,
				RuleError::SwapThresholdsDisordered => Error::<T>::SwapThresholdsDisordered,
			})?;
			ensure!(
				params.round_size >= 1 && params.round_size <= T::MaxVotesPerSubject::get(),
				Error::<T>::BadRoundSize
			);
			ensure!(!params.reveal_window.is_zero(), Error::<T>::BadRevealWindow);
			ensure!(
				params.gold_steps.iter().all(|(_, rate)| *rate <= ONE)
					&& params.gold_steps.windows(2).all(|w| w[0].0 < w[1].0),
				Error::<T>::BadGoldSchedule
			);
			let gold_steps = params.gold_steps.try_into().map_err(|_| Error::<T>::BadGoldSchedule)?;
			ensure!(params.levels.iter().all(|l| l.threshold <= ONE), Error::<T>::BadLevels);
			let levels = params.levels.try_into().map_err(|_| Error::<T>::BadLevels)?;
			let title = params.title.try_into().map_err(|_| Error::<T>::TextTooLong)?;
			let subjects_uri = params.subjects_uri.try_into().map_err(|_| Error::<T>::TextTooLong)?;
			ensure!(params.ends_at > frame_system::Pallet::<T>::block_number(), Error::<T>::EndInThePast);
			ensure!(!params.pool.is_zero(), Error::<T>::EmptyPool);
			Ok(Campaign {
				owner,
				title,
				subjects_uri,
				answers: k,
				rule: params.rule,
				round_size: params.round_size,
				reveal_window: params.reveal_window,
				selection: params.selection,
				gold_steps,
				levels,
				skepticism: params.skepticism,
				ends_at: params.ends_at,
				subjects: 0,
				gold: 0,
				retired: 0,
				gold_batches: 0,
				gold_revealed: 0,
				classifications: 0,
				pool: params.pool,
				pool_left: params.pool,
				deposit: T::CampaignDeposit::get(),
				total_weighted: 0,
				total_agreements: 0,
				labels: None,
				closed: false,
			})
		}

		fn running(campaign: CampaignId) -> Result<Campaign<T>, DispatchError> {
			let record = Campaigns::<T>::get(campaign).ok_or(Error::<T>::UnknownCampaign)?;
			ensure!(frame_system::Pallet::<T>::block_number() <= record.ends_at, Error::<T>::CampaignEnded);
			Ok(record)
		}

		fn owned_and_running(campaign: CampaignId, owner: &T::AccountId) -> Result<Campaign<T>, DispatchError> {
			let record = Self::running(campaign)?;
			ensure!(&record.owner == owner, Error::<T>::NotOwner);
			Ok(record)
		}

		fn check_batch(record: &Campaign<T>, len: usize) -> Result<u32, DispatchError> {
			ensure!(len >= 1 && len <= T::MaxBatch::get() as usize, Error::<T>::BadBatch);
			let count = len as u32;
			ensure!(record.subjects.saturating_add(count) <= T::MaxSubjects::get(), Error::<T>::TooManySubjects);
			Ok(count)
		}

		fn hold_subject_deposits(record: &mut Campaign<T>, owner: &T::AccountId, count: u32) -> DispatchResult {
			let deposit = T::SubjectDeposit::get().saturating_mul(count.into());
			T::Currency::hold(&HoldReason::CampaignDeposit.into(), owner, deposit)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
			record.deposit = record.deposit.saturating_add(deposit);
			Ok(())
		}

		fn new_subject(record: &Campaign<T>, digest: Digest, gold_batch: Option<u32>, min_level: u8) -> Subject<T> {
			let k = record.answers;
			let uniform = Posterior::uniform(k);
			Subject {
				digest,
				gold_batch,
				min_level,
				seals: 0,
				round: 0,
				round_seals: 0,
				round_revealed: 0,
				review_until: None,
				tally: alloc::vec![0u32; k as usize].try_into().unwrap_or_default(),
				swap: Self::swap_prior_of(record, ONE as u128 / 2),
				posterior: uniform.probabilities.try_into().unwrap_or_default(),
				posterior_votes: 0,
				retired: None,
			}
		}

		/// A two-answer subject's starting P(answer 1): the SWAP rule's prior, or the model's.
		fn swap_prior_of(record: &Campaign<T>, model: u128) -> Prob {
			match record.rule {
				RetirementRule::Swap { prior, .. } if model == ONE as u128 / 2 => prior,
				_ => (model.min(ONE as u128) as Prob)
					.clamp(merit_primitives::campaigns::SWAP_FLOOR, ONE - merit_primitives::campaigns::SWAP_FLOOR),
			}
		}

		pub(crate) fn newcomer(record: &Campaign<T>) -> Volunteer<BalanceOf<T>> {
			Volunteer {
				seen: 0,
				gold_seen: 0,
				revealed: 0,
				confusion: Confusion::new(record.answers).counts.try_into().unwrap_or_default(),
				swap: SwapSkill::new(record.skepticism),
				level: 0,
				agreements: 0,
				weight: 0,
				paid: None,
			}
		}

		/// Whether a subject takes a seal now: open (regular) or shown (gold).
		fn takes_seals(campaign: CampaignId, index: SubjectIndex) -> bool {
			SlotOf::<T>::contains_key(campaign, index) || GoldSlotOf::<T>::contains_key(campaign, index)
		}

		fn open(campaign: CampaignId, index: SubjectIndex) {
			let slot = OpenCount::<T>::get(campaign);
			OpenSlots::<T>::insert(campaign, slot, index);
			SlotOf::<T>::insert(campaign, index, slot);
			OpenCount::<T>::insert(campaign, slot.saturating_add(1));
		}

		/// Takes a subject out of the open set (swap-remove).
		fn close(campaign: CampaignId, index: SubjectIndex) {
			let Some(slot) = SlotOf::<T>::take(campaign, index) else { return };
			let last = OpenCount::<T>::get(campaign).saturating_sub(1);
			if slot != last {
				if let Some(moved) = OpenSlots::<T>::get(campaign, last) {
					OpenSlots::<T>::insert(campaign, slot, moved);
					SlotOf::<T>::insert(campaign, moved, slot);
				}
			}
			OpenSlots::<T>::remove(campaign, last);
			OpenCount::<T>::insert(campaign, last);
		}

		fn open_gold(campaign: CampaignId, index: SubjectIndex) {
			let slot = GoldCount::<T>::get(campaign);
			GoldSlots::<T>::insert(campaign, slot, index);
			GoldSlotOf::<T>::insert(campaign, index, slot);
			GoldCount::<T>::insert(campaign, slot.saturating_add(1));
		}

		fn close_gold(campaign: CampaignId, index: SubjectIndex) {
			let Some(slot) = GoldSlotOf::<T>::take(campaign, index) else { return };
			let last = GoldCount::<T>::get(campaign).saturating_sub(1);
			if slot != last {
				if let Some(moved) = GoldSlots::<T>::get(campaign, last) {
					GoldSlots::<T>::insert(campaign, slot, moved);
					GoldSlotOf::<T>::insert(campaign, moved, slot);
				}
			}
			GoldSlots::<T>::remove(campaign, last);
			GoldCount::<T>::insert(campaign, last);
		}

		/// Draws and stores the volunteer's next subject: gold when the schedule says so and one
		/// is available, else a regular one, else gold.
		fn assign(
			campaign: CampaignId,
			record: &Campaign<T>,
			who: &T::AccountId,
			volunteer: &Volunteer<BalanceOf<T>>,
		) -> DispatchResult {
			let seed = (b"merit/campaign-assign", campaign, who, volunteer.seen).encode();
			let (random, _) = T::Randomness::random(&seed);
			let random = random.as_ref().iter().take(4).fold(0u32, |acc, b| (acc << 8) | *b as u32);
			let gold_first = gold_due(&record.gold_steps, volunteer.seen, volunteer.gold_seen);
			let found = if gold_first {
				Self::probe_gold(campaign, who, random)
					.or_else(|| Self::probe_regular(campaign, record, who, volunteer, random))
			} else {
				Self::probe_regular(campaign, record, who, volunteer, random)
					.or_else(|| Self::probe_gold(campaign, who, random))
			};
			let subject = found.ok_or(Error::<T>::NothingToClassify)?;
			Assignments::<T>::insert(campaign, who, subject);
			Self::deposit_event(Event::SubjectAssigned { campaign, volunteer: who.clone(), subject });
			Ok(())
		}

		fn probe_gold(campaign: CampaignId, who: &T::AccountId, random: u32) -> Option<SubjectIndex> {
			let count = GoldCount::<T>::get(campaign);
			if count == 0 {
				return None;
			}
			(0..T::MaxProbe::get().min(count)).find_map(|i| {
				let index = GoldSlots::<T>::get(campaign, random.wrapping_add(i) % count)?;
				(!Seals::<T>::contains_key((campaign, index, who))).then_some(index)
			})
		}

		fn probe_regular(
			campaign: CampaignId,
			record: &Campaign<T>,
			who: &T::AccountId,
			volunteer: &Volunteer<BalanceOf<T>>,
			random: u32,
		) -> Option<SubjectIndex> {
			let fits = |index: SubjectIndex| {
				!Seals::<T>::contains_key((campaign, index, who))
					&& Subjects::<T>::get(campaign, index).is_some_and(|s| s.min_level <= volunteer.level)
			};
			match record.selection {
				Selection::Random => {
					let count = OpenCount::<T>::get(campaign);
					if count == 0 {
						return None;
					}
					(0..T::MaxProbe::get().min(count)).find_map(|i| {
						let index = OpenSlots::<T>::get(campaign, random.wrapping_add(i) % count)?;
						fits(index).then_some(index)
					})
				}
				Selection::Priority => {
					// Skip the retired or gold prefix once, for everyone.
					let mut cursor = PriorityCursor::<T>::get(campaign);
					let mut skipped = 0;
					while cursor < record.subjects
						&& skipped < T::MaxProbe::get()
						&& !SlotOf::<T>::contains_key(campaign, cursor)
						&& Subjects::<T>::get(campaign, cursor)
							.is_some_and(|s| s.retired.is_some() || s.gold_batch.is_some())
					{
						cursor += 1;
						skipped += 1;
					}
					PriorityCursor::<T>::insert(campaign, cursor);
					(cursor..record.subjects.min(cursor.saturating_add(T::MaxProbe::get())))
						.find(|index| SlotOf::<T>::contains_key(campaign, index) && fits(*index))
				}
			}
		}

		/// Adds a revealed vote to a regular subject's tally, SWAP probability and posterior.
		fn vote(record: &Campaign<T>, subject: &mut Subject<T>, volunteer: &Volunteer<BalanceOf<T>>, answer: Answer) {
			if let Some(count) = subject.tally.get_mut(answer as usize) {
				*count = count.saturating_add(1);
			}
			if record.answers == 2 {
				subject.swap = swap_update(subject.swap, &volunteer.swap, answer == 1);
			}
			let confusion = Confusion { answers: record.answers, counts: volunteer.confusion.to_vec() };
			let mut posterior = Posterior { probabilities: subject.posterior.to_vec(), votes: subject.posterior_votes };
			posterior.vote(&confusion.likelihood(answer));
			subject.posterior = posterior.probabilities.try_into().unwrap_or_default();
			subject.posterior_votes = posterior.votes;
		}

		/// The rule's verdict on a subject: the label and its confidence, once it retires.
		fn verdict(record: &Campaign<T>, subject: &Subject<T>) -> Option<(Answer, Prob)> {
			let posterior = Posterior { probabilities: subject.posterior.to_vec(), votes: subject.posterior_votes };
			match record.rule {
				RetirementRule::FixedCount { .. } | RetirementRule::Consensus { .. } => {
					counting_verdict(&record.rule, &subject.tally).map(|label| (label, plurality(&subject.tally).1))
				}
				RetirementRule::Swap { detect, reject, .. } => swap_verdict(subject.swap, detect, reject)
					.map(|label| (label, if label == 1 { subject.swap } else { ONE - subject.swap })),
				RetirementRule::Posterior { threshold, min_votes } => {
					let (top, p) = posterior.top();
					(posterior.votes >= min_votes && p > threshold).then_some((top, p))
				}
			}
		}

		/// Ends a subject's round: retires it if the rule (or the vote cap) says so, crediting
		/// the voters who agreed, or reopens it. Returns the voters looked at.
		fn end_round(
			campaign: CampaignId,
			record: &mut Campaign<T>,
			index: SubjectIndex,
			subject: &mut Subject<T>,
		) -> u32 {
			let votes = Votes::<T>::get(campaign, index);
			let capped = subject.seals >= T::MaxVotesPerSubject::get();
			let decided = Self::verdict(record, subject).map(|v| (v, RetiredBy::Rule)).or_else(|| {
				capped.then(|| {
					let (label, share, _) = plurality(&subject.tally);
					((label, share), RetiredBy::VoteCap)
				})
			});
			subject.review_until = None;
			let Some(((label, confidence), by)) = decided else {
				let revealed = subject.round_revealed;
				Self::deposit_event(Event::RoundEnded { campaign, subject: index, round: subject.round, revealed });
				subject.round = subject.round.saturating_add(1);
				subject.round_seals = 0;
				subject.round_revealed = 0;
				if frame_system::Pallet::<T>::block_number() <= record.ends_at {
					Self::open(campaign, index);
				}
				return 0;
			};
			subject.retired = Some(Retirement { label, confidence, by, at: frame_system::Pallet::<T>::block_number() });
			record.retired = record.retired.saturating_add(1);
			for (voter, answer) in votes.iter() {
				if *answer != label {
					continue;
				}
				Volunteers::<T>::mutate(voter, campaign, |entry| {
					if let Some(volunteer) = entry {
						volunteer.agreements = volunteer.agreements.saturating_add(1);
						record.total_agreements = record.total_agreements.saturating_add(1);
						record.total_weighted = record.total_weighted.saturating_add(volunteer.weight as u128);
					}
				});
			}
			Self::deposit_event(Event::SubjectRetired { campaign, subject: index, label, confidence, by });
			votes.len() as u32
		}

		/// A gold answer: the confusion matrix and SWAP skill learn it; the skill weight of the
		/// volunteer's agreements follows; levels are checked.
		fn learn(
			campaign: CampaignId,
			record: &mut Campaign<T>,
			who: &T::AccountId,
			volunteer: &mut Volunteer<BalanceOf<T>>,
			truth: Answer,
			said: Answer,
		) {
			let mut confusion = Confusion { answers: record.answers, counts: volunteer.confusion.to_vec() };
			confusion.learn(truth, said);
			if record.answers == 2 {
				volunteer.swap.learn(truth == 1, said == 1);
			}
			let weight = match record.rule {
				RetirementRule::Swap { .. } => volunteer.swap.weight(),
				_ => confusion.weight(),
			};
			let agreements = volunteer.agreements as u128;
			record.total_weighted = record
				.total_weighted
				.saturating_sub(agreements.saturating_mul(volunteer.weight as u128))
				.saturating_add(agreements.saturating_mul(weight as u128));
			volunteer.weight = weight;
			while let Some(next) = record.levels.get(volunteer.level as usize) {
				if !confusion.qualifies(next.threshold, next.min_gold) {
					break;
				}
				volunteer.level = volunteer.level.saturating_add(1);
				Self::deposit_event(Event::Promoted { campaign, volunteer: who.clone(), level: volunteer.level });
			}
			volunteer.confusion = confusion.counts.try_into().unwrap_or_default();
		}

		/// The last block volunteers may reveal.
		pub fn reveals_end(record: &Campaign<T>) -> BlockNumberFor<T> {
			record.ends_at.saturating_add(record.reveal_window)
		}

		/// The last block volunteers may claim.
		pub fn claims_end(record: &Campaign<T>) -> BlockNumberFor<T> {
			Self::reveals_end(record).saturating_add(T::ClaimWindow::get())
		}

		/// Whether claims are open: every reveal is in.
		pub fn settled(record: &Campaign<T>) -> bool {
			frame_system::Pallet::<T>::block_number() > Self::reveals_end(record)
		}

		/// What a volunteer's claim pays.
		pub fn share_of(record: &Campaign<T>, volunteer: &Volunteer<BalanceOf<T>>) -> BalanceOf<T> {
			let gold_withheld = record.gold_revealed < record.gold_batches;
			let (mine, total) = if gold_withheld || record.total_weighted == 0 {
				// No skill can be known: the owner's withheld gold (or nobody's skill) does not
				// return the pool, it is shared by agreements.
				(volunteer.agreements as u128, record.total_agreements as u128)
			} else {
				((volunteer.agreements as u128).saturating_mul(volunteer.weight as u128), record.total_weighted)
			};
			let pool: u128 = record.pool.try_into().unwrap_or(u128::MAX);
			multiply_by_rational_with_rounding(pool, mine, total, Rounding::Down)
				.and_then(|amount| amount.try_into().ok())
				.unwrap_or_else(Zero::zero)
		}

		/// Checks that the pool and deposits match the holds, the open sets their counts, and
		/// each campaign's tallies its subjects.
		#[cfg(any(feature = "try-runtime", feature = "std"))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			use alloc::collections::BTreeMap;
			let mut held: BTreeMap<T::AccountId, (BalanceOf<T>, BalanceOf<T>)> = BTreeMap::new();
			for (id, record) in Campaigns::<T>::iter() {
				let entry = held.entry(record.owner.clone()).or_insert((Zero::zero(), Zero::zero()));
				entry.0 = entry.0.saturating_add(record.pool_left);
				entry.1 = entry.1.saturating_add(record.deposit);
				let paid: BalanceOf<T> = Volunteers::<T>::iter()
					.filter(|(_, c, _)| *c == id)
					.filter_map(|(_, _, v)| v.paid)
					.fold(Zero::zero(), |a: BalanceOf<T>, b| a.saturating_add(b));
				ensure!(
					record.closed || record.pool_left.saturating_add(paid) == record.pool,
					"a campaign's pool left and claims do not add up to its pool"
				);
				let expected_deposit = T::CampaignDeposit::get()
					.saturating_add(T::SubjectDeposit::get().saturating_mul(record.subjects.into()));
				ensure!(record.deposit == expected_deposit, "a campaign's deposit is not paid per subject");
				let mut retired = 0u32;
				let mut gold = 0u32;
				let mut open = 0u32;
				for (index, subject) in Subjects::<T>::iter_prefix(id) {
					ensure!(index < record.subjects, "a subject beyond the campaign's count");
					retired += subject.retired.is_some() as u32;
					gold += subject.gold_batch.is_some() as u32;
					ensure!(subject.seals <= T::MaxVotesPerSubject::get(), "a subject over its vote cap");
					let seals = Seals::<T>::iter_prefix((id, index)).count() as u32;
					ensure!(seals == subject.seals, "a subject's seal count is off");
					if let Some(slot) = SlotOf::<T>::get(id, index) {
						open += 1;
						ensure!(OpenSlots::<T>::get(id, slot) == Some(index), "an open slot points elsewhere");
						ensure!(
							subject.retired.is_none() && subject.review_until.is_none() && subject.gold_batch.is_none(),
							"a retired, gold or in-review subject is open"
						);
					}
					let tallied: u32 = subject.tally.iter().sum();
					if subject.gold_batch.is_none() {
						ensure!(
							Votes::<T>::get(id, index).len() as u32 == tallied,
							"a subject's votes and tally differ"
						);
					}
				}
				ensure!(retired == record.retired, "a campaign's retired count is off");
				ensure!(gold == record.gold, "a campaign's gold count is off");
				ensure!(open == OpenCount::<T>::get(id), "a campaign's open count is off");
				let (mut agreements, mut weighted) = (0u32, 0u128);
				for (_, _, volunteer) in Volunteers::<T>::iter().filter(|(_, c, _)| *c == id) {
					agreements += volunteer.agreements;
					weighted += volunteer.agreements as u128 * volunteer.weight as u128;
				}
				ensure!(agreements == record.total_agreements, "a campaign's agreements do not add up");
				ensure!(weighted == record.total_weighted, "a campaign's weighted agreements do not add up");
				let mut members: alloc::collections::BTreeSet<T::AccountId> =
					Volunteers::<T>::iter().filter(|(_, c, _)| *c == id).map(|(who, _, _)| who).collect();
				members.extend(Assignments::<T>::iter_prefix(id).map(|(who, _)| who));
				ensure!(
					members.len() as u32 == Admitted::<T>::get(id),
					"a campaign's admissions differ from its volunteers and assignees"
				);
				ensure!(Admitted::<T>::get(id) <= Self::admissions(&record), "a campaign admitted beyond its deposits");
			}
			let (block, in_block) = FeelessInBlock::<T>::get();
			ensure!(
				block != frame_system::Pallet::<T>::block_number() || in_block <= T::MaxFeelessPerBlock::get(),
				"a block took more feeless actions than its share"
			);
			for (_, used) in FeelessUses::<T>::iter() {
				ensure!(used.used <= T::MaxFeelessPerWindow::get(), "an account acted feelessly beyond its rate");
			}
			for (owner, (pool, deposit)) in held {
				ensure!(
					T::Currency::balance_on_hold(&HoldReason::CampaignPool.into(), &owner) == pool,
					"held pools differ from the campaigns' pools left"
				);
				ensure!(
					T::Currency::balance_on_hold(&HoldReason::CampaignDeposit.into(), &owner) == deposit,
					"held deposits differ from the campaigns' deposits"
				);
			}
			Ok(())
		}
	}
}
