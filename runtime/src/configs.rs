//! How each pallet is configured for Merit.

use crate::*;
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstBool, ConstU128, ConstU32, ConstU64, ConstU8, VariantCountOf},
	weights::{constants::WEIGHT_REF_TIME_PER_SECOND, IdentityFee, Weight},
};
use frame_system::limits::{BlockLength, BlockWeights};
use pallet_transaction_payment::{ConstFeeMultiplier, FungibleAdapter, Multiplier};
use polkadot_sdk::{sp_consensus_aura::sr25519::AuthorityId as AuraId, sp_runtime::Perbill};
use sp_runtime::traits::One;

/// A block may use 75% of its weight for normal transactions; the rest is kept for operational ones.
const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);

parameter_types! {
	pub const BlockHashCount: BlockNumber = 2400;
	pub const Version: RuntimeVersion = VERSION;

	/// Two seconds of compute in a three-second block, leaving time to propagate and import it.
	pub RuntimeBlockWeights: BlockWeights = BlockWeights::with_sensible_defaults(
		Weight::from_parts(2u64 * WEIGHT_REF_TIME_PER_SECOND, u64::MAX),
		NORMAL_DISPATCH_RATIO,
	);
	/// Blocks are at most 5 MiB.
	pub RuntimeBlockLength: BlockLength = BlockLength::builder()
		.max_length(5 * 1024 * 1024)
		.modify_max_length_for_class(frame_support::dispatch::DispatchClass::Normal, |max| {
			*max = NORMAL_DISPATCH_RATIO * *max
		})
		.build();
	pub const SS58Prefix: u16 = merit_primitives::token::SS58_PREFIX;
}

/// The node stores state in ParityDB (RocksDB is kept out of the build), so storage weights are ParityDB's.
pub type MeritDbWeight = frame_support::weights::constants::ParityDbWeight;

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type Block = Block;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	type BlockHashCount = BlockHashCount;
	type DbWeight = MeritDbWeight;
	type Version = Version;
	type AccountData = pallet_balances::AccountData<Balance>;
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = ConstU32<16>;
}

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	type DisabledValidators = ();
	type MaxAuthorities = ConstU32<32>;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = ConstU32<32>;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<0>;
	type KeyOwnerProof = polkadot_sdk::sp_core::Void;
	type EquivocationReportSystem = ();
}

impl pallet_timestamp::Config for Runtime {
	/// Milliseconds since the Unix epoch.
	type Moment = u64;
	type OnTimestampSet = Aura;
	type MinimumPeriod = ConstU64<{ SLOT_DURATION / 2 }>;
	type WeightInfo = ();
}

/// Accounts below one milli-MERIT are reaped, so dust cannot bloat state.
pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_MERIT;

impl pallet_balances::Config for Runtime {
	type MaxLocks = ConstU32<50>;
	type MaxReserves = ();
	type ReserveIdentifier = [u8; 8];
	type Balance = Balance;
	type RuntimeEvent = RuntimeEvent;
	type DustRemoval = ();
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = System;
	type WeightInfo = pallet_balances::weights::SubstrateWeight<Runtime>;
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type DoneSlashHandler = ();
}

parameter_types! {
	pub FeeMultiplier: Multiplier = Multiplier::one();
}

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type OnChargeTransaction = FungibleAdapter<Balances, ()>;
	type OperationalFeeMultiplier = ConstU8<5>;
	type WeightToFee = IdentityFee<Balance>;
	type LengthToFee = IdentityFee<Balance>;
	type FeeMultiplierUpdate = ConstFeeMultiplier<FeeMultiplier>;
	type WeightInfo = pallet_transaction_payment::weights::SubstrateWeight<Runtime>;
}

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// Registering an artifact holds 0.01 MERIT plus 10 micro-MERIT per stored byte.
	pub const ArtifactDepositBase: Balance = 10 * MILLI_MERIT;
	pub const ArtifactDepositPerByte: Balance = 10 * MICRO_MERIT;
}

impl pallet_merit_artifacts::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type DepositBase = ArtifactDepositBase;
	type DepositPerByte = ArtifactDepositPerByte;
	type MaxUriLength = ConstU32<512>;
	type MaxLicenseLength = ConstU32<64>;
	type MaxParents = ConstU32<16>;
	type WeightInfo = pallet_merit_artifacts::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// A challenge's pool is at least 10 MERIT: prizes worth competing for, and spam made costly.
	pub const MinPrizePool: Balance = 10 * MERIT;
	/// Each submission or sealed commitment holds 0.1 MERIT until it is scored: filling a
	/// challenge's 8,000 places with junk or unrevealed commitments burns 800 MERIT.
	pub const SubmissionDeposit: Balance = 100 * MILLI_MERIT;
	/// A challenge stays open for at most a year.
	pub const MaxOpenPeriod: BlockNumber = 365 * DAYS;
	/// Owners reveal the labels within 30 days of the end of submissions.
	pub const MaxRevealPeriod: BlockNumber = 30 * DAYS;
	/// Sealed submissions are revealed within an hour of the close.
	pub const SubmissionRevealPeriod: BlockNumber = HOURS;
	pub const BlocksPerDay: BlockNumber = DAYS;
	/// Prize shares for at most ten ranks.
	pub const MaxWinners: u32 = 10;
	/// Fork credit travels three hops, so a prize pays up to 1 + 5 + 25 + 125 accounts: eight
	/// parents (585 per prize) would cost 0.68 s of payments alone, more than half a block.
	pub const MaxParents: u32 = 5;
	/// Finalization counts the prize board in pages (`FinalizePageSize` submissions or entrants
	/// a call), so a challenge's size no longer meets a block's: 100,000, as a popular Kaggle
	/// competition gets. Its index of submissions is one value of 400 KB at most, read once per
	/// page.
	pub const MaxSubmissionsPerChallenge: u32 = 100_000;
	/// Each `finalize` call reads this many submissions (up to five reads each) or ranks this
	/// many entrants: a fraction of a block (`runtime/tests/weights.rs` checks it fits).
	pub const FinalizePageSize: u32 = 1_000;
	/// Up to 256 bonded evaluators: a larger set makes capturing a panel by registering sybils
	/// cost more bonds, and a draw over all of them stays cheap (it reads each once).
	pub const MaxEvaluators: u32 = 256;
	/// The most evaluators on one panel (a quorum of 16 plus spares is capped here): the most
	/// that can share an outcome's fees.
	pub const MaxPanelSize: u32 = 16;
}

impl pallet_merit_challenges::Config for Runtime {
	type Balance = Balance;
	/// The rewards pallet holds, books and pays every pool.
	type Pool = MeritRewards;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	/// The scoring pallet's final outcomes decide whether a submission's deposit comes back.
	type Outcomes = MeritScoring;
	type Artifacts = MeritArtifacts;
	type OnSubmission = MeritAttribution;
	/// The scoring pallet schedules each challenge's evaluator draw.
	type OnChallengeCreated = MeritScoring;
	type MaxTitleLength = ConstU32<128>;
	type MaxDescriptionLength = ConstU32<4096>;
	type MaxTrainingArtifacts = ConstU32<16>;
	type MaxWinners = MaxWinners;
	/// With release-build weights, five parents and 8,000 submissions keep the worst-case
	/// finalization (rank every submission, then pay up to 10 winners × 156 forked submissions)
	/// within half a block's normal dispatch weight; `runtime/tests/weights.rs` checks it.
	type MaxParents = MaxParents;
	type MaxSubmissionsPerChallenge = MaxSubmissionsPerChallenge;
	/// Evaluators' workers and the hooks walk the live challenges only.
	type MaxLiveChallenges = ConstU32<1_000>;
	type MaxScheduledPerBlock = ConstU32<16>;
	type MaxSaltLength = ConstU32<64>;
	// A labels file has the rows of a predictions file and fewer columns.
	type MaxLabelsSize = MaxPredictionsSize;
	type Teams = MeritTeams;
	type Boards = MeritScoring;
	/// Development, validation and final, with one more to spare.
	type MaxPhases = ConstU32<4>;
	type MaxFinalSelections = ConstU32<5>;
	type MaxQuorum = ConstU32<16>;
	/// Every challenge has a prize (`MinPrizePool`), so every one needs three agreeing evaluators.
	type MinQuorumWithPrize = ConstU32<3>;
	type MaxRevealPeriod = MaxRevealPeriod;
	type MinPrizePool = MinPrizePool;
	type SubmissionDeposit = SubmissionDeposit;
	type MaxOpenPeriod = MaxOpenPeriod;
	type SubmissionRevealPeriod = SubmissionRevealPeriod;
	type BlocksPerDay = BlocksPerDay;
	type WeightInfo = pallet_merit_challenges::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = FundingForBenchmarks;
}

/// Funds the accounts the challenges benchmarks use.
#[cfg(feature = "runtime-benchmarks")]
pub struct FundingForBenchmarks;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_merit_challenges::BenchmarkHelper<AccountId> for FundingForBenchmarks {
	fn fund(who: &AccountId) {
		use frame_support::traits::fungible::Mutate;
		let _ = Balances::mint_into(who, 1_000_000 * MERIT);
	}
}

parameter_types! {
	/// An evaluator bonds 100 MERIT: enough that posting wrong scores costs more than it could win.
	pub const EvaluatorBond: Balance = 100 * MERIT;
	/// A disagreement with the final score costs 10% of the current bond.
	pub const EvaluatorSlashFraction: Perbill = Perbill::from_percent(10);
	/// Predictions files above 30 MiB are not fetched: the off-chain worker's heap is 128 MiB and
	/// its allocator refuses single allocations over 32 MiB (the body is one). A 1,000,000-row
	/// `id,value` file is about 20 MiB (`bash scripts/bench metrics`).
	pub const MaxPredictionsSize: u64 = 30 * 1024 * 1024;
	/// A leaving evaluator's bond stays slashable for a day (and until its reports are settled).
	pub const EvaluatorUnbondingPeriod: BlockNumber = DAYS;
	/// Slashes that leave less than half the bond make an evaluator ineligible for draws.
	pub const MinEvaluatorBond: Balance = 50 * MERIT;
	/// An evaluator is drawn only 10 minutes after bonding: a challenge's draw happens 2 blocks
	/// after its creation, so accounts bonded after seeing it are never on its panel.
	pub const EvaluatorWarmUp: BlockNumber = 10 * MINUTES;
	/// Commitments are open for 20 blocks (a minute), enough for three fetch attempts 5 blocks
	/// apart; reveals for another 20.
	pub const CommitPeriod: BlockNumber = 20;
	pub const RevealPeriod: BlockNumber = 20;
	/// A final private score can be disputed for a minute (20 blocks); prizes wait that long after
	/// the last private score. Like the commit and reveal periods, this is sized for development
	/// chains and their tests; a public network would set hours.
	pub const DisputeWindow: BlockNumber = MINUTES;
	/// A recount that is not over within ten minutes lapses (the bond is returned).
	pub const DisputeResolutionPeriod: BlockNumber = 10 * MINUTES;
	/// A dispute costs 50 MERIT if the recount confirms the score.
	pub const DisputeBond: Balance = 50 * MERIT;
	/// Each member of an overturned quorum loses half its bond; the disputer gets half of that.
	pub const DisputeSlashFraction: Perbill = Perbill::from_percent(50);
	pub const DisputerShare: Perbill = Perbill::from_percent(50);
}

impl pallet_merit_scoring::Config for Runtime {
	type AuthorityId = pallet_merit_scoring::crypto::EvaluatorAuthId;
	type Challenges = MeritChallenges;
	type Artifacts = MeritArtifacts;
	type PublicBoard = MeritRewards;
	/// Root (sudo) ejects an evaluator at once (its bond stays slashable).
	type ForceOrigin = frame_system::EnsureRoot<AccountId>;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	/// Slashed bonds are burnt: nobody gains from an evaluator's mistake.
	type OnSlash = ();
	/// Aura has no VRF: see the scoring pallet's documentation for the block author's bias.
	type Randomness = pallet_merit_scoring::ParentBlockRandomness<Runtime>;
	type EvaluatorBond = EvaluatorBond;
	type MinEvaluatorBond = MinEvaluatorBond;
	type WarmUpPeriod = EvaluatorWarmUp;
	/// Drawn two blocks after the request, from the hash of a block built after it.
	type DrawDelay = ConstU32<2>;
	/// Two spares: a quorum of three is drawn as five, so two may miss a round.
	type PanelSpares = ConstU32<2>;
	type MaxPanelSize = MaxPanelSize;
	type MaxDrawsPerBlock = ConstU32<8>;
	/// Pruning 500 ended submissions (1,500 jobs) in one call stays a small part of a block.
	type MaxPrunePerCall = ConstU32<500>;
	type MaxFinalSelections = ConstU32<5>;
	type CommitPeriod = CommitPeriod;
	type RevealPeriod = RevealPeriod;
	type SlashFraction = EvaluatorSlashFraction;
	type DisputeWindow = DisputeWindow;
	type DisputeResolutionPeriod = DisputeResolutionPeriod;
	type DisputeBond = DisputeBond;
	type DisputeSlashFraction = DisputeSlashFraction;
	type DisputerShare = DisputerShare;
	type MaxEvaluators = MaxEvaluators;
	type MaxScoresPerRun = ConstU32<8>;
	type MaxPredictionsSize = MaxPredictionsSize;
	type UnbondingPeriod = EvaluatorUnbondingPeriod;
	type Fetcher = pallet_merit_scoring::HttpFetcher;
	type OnOutcomeFinal = MeritRewards;
	type WeightInfo = pallet_merit_scoring::weights::SubstrateWeight<Runtime>;
}

impl pallet_merit_attribution::Config for Runtime {
	type Challenges = MeritChallenges;
	/// Fork chains up to 32 deep: far beyond real lineages, and it keeps every walk bounded.
	type MaxForkDepth = ConstU32<32>;
}

parameter_types! {
	pub const RevealBondShare: Perbill = Perbill::from_percent(10);
	pub const MaxMicroShare: Perbill = Perbill::from_percent(20);
	/// After the labels reveal deadline, finalization waits a day for scores no quorum reached.
	pub const ScoringGracePeriod: BlockNumber = DAYS;
}

parameter_types! {
	pub const TeamsPalletId: frame_support::PalletId = frame_support::PalletId(*b"mrt/team");
	/// A team holds 1 MERIT from its captain until its challenge ends: it pays for the team's
	/// record, its invitations and its pending share proposal.
	pub const TeamDeposit: Balance = MERIT;
}

impl pallet_merit_teams::Config for Runtime {
	type Challenges = MeritChallenges;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type PalletId = TeamsPalletId;
	/// Kaggle's usual limit; it also bounds how many members a prize or a fork credit is split
	/// among.
	type MaxTeamSize = ConstU32<5>;
	type MaxNameLength = ConstU32<64>;
	type TeamDeposit = TeamDeposit;
	type WeightInfo = pallet_merit_teams::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// A campaign holds 1 MERIT from its owner for its record.
	pub const CampaignDeposit: Balance = MERIT;
	/// And 0.1 MERIT per subject (a submission's deposit): it pays for the subject and for what
	/// its at most 30 classifications store (seals, votes, new volunteers' records: ~20 KB).
	pub const SubjectDeposit: Balance = 100 * MILLI_MERIT;
	/// Volunteers claim their share for a week after the last reveal.
	pub const CampaignClaimWindow: BlockNumber = 7 * DAYS;
}

impl pallet_merit_campaigns::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Randomness = pallet_merit_scoring::ParentBlockRandomness<Runtime>;
	type CampaignDeposit = CampaignDeposit;
	type SubjectDeposit = SubjectDeposit;
	/// Galaxy Zoo-sized campaigns; each subject is an O(1) record.
	type MaxSubjects = ConstU32<1_000_000>;
	type MaxBatch = ConstU32<500>;
	/// Twice Zooniverse's default retirement count of 15.
	type MaxVotesPerSubject = ConstU32<30>;
	type MaxProbe = ConstU32<32>;
	type MaxTextLength = ConstU32<256>;
	type ClaimWindow = CampaignClaimWindow;
	type VolunteerSignature = Signature;
	/// A minute: a volunteer classifies and reveals at most once every 1.5 s on average.
	type FeelessWindow = ConstU32<20>;
	type MaxFeelessPerWindow = ConstU32<40>;
	/// About half of what a block's normal class holds at the worst-case weights.
	type MaxFeelessPerBlock = ConstU32<200>;
	type WeightInfo = pallet_merit_campaigns::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = pallet_merit_campaigns::EcdsaVolunteers;
}

impl pallet_merit_rewards::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Challenges = MeritChallenges;
	type Outcomes = MeritScoring;
	type Lineage = MeritAttribution;
	type Artifacts = MeritArtifacts;
	type MaxWinners = MaxWinners;
	type MaxParents = MaxParents;
	type MaxSubmissionsPerChallenge = MaxSubmissionsPerChallenge;
	/// Fees go to the evaluators that agreed on an outcome: at most a panel.
	type MaxEvaluators = MaxPanelSize;
	/// A prize's credit travels at most three forks up: enough for a fork of a fork of a fork,
	/// and at most 10 × (1 + 5 + 25 + 125) payments per finalization.
	type MaxForkCreditDepth = ConstU32<3>;
	/// An owner bonds a tenth of the pool that it will reveal the labels; a missed reveal hands it
	/// to the participants with the pool.
	type RevealBondShare = RevealBondShare;
	type MaxReviewsPerReviewer = ConstU32<20>;
	/// At most a fifth of a pool for micro-rewards: the rest goes to prizes by private rank.
	type MaxMicroShare = MaxMicroShare;
	type ScoringGracePeriod = ScoringGracePeriod;
	type FinalizePageSize = FinalizePageSize;
	type WeightInfo = pallet_merit_rewards::weights::SubstrateWeight<Runtime>;
}

impl frame_system::offchain::SigningTypes for Runtime {
	type Public = <Signature as sp_runtime::traits::Verify>::Signer;
	type Signature = Signature;
}

impl<LocalCall> frame_system::offchain::CreateTransactionBase<LocalCall> for Runtime
where
	RuntimeCall: From<LocalCall>,
{
	type Extrinsic = UncheckedExtrinsic;
	type RuntimeCall = RuntimeCall;
}

/// How an evaluator's off-chain worker signs its score reports: the same transaction extensions a
/// wallet signs, with a mortal era and the nonce the worker read from chain state.
impl<LocalCall> frame_system::offchain::CreateSignedTransaction<LocalCall> for Runtime
where
	RuntimeCall: From<LocalCall>,
{
	fn create_signed_transaction<C: frame_system::offchain::AppCrypto<Self::Public, Self::Signature>>(
		call: RuntimeCall,
		public: <Signature as sp_runtime::traits::Verify>::Signer,
		account: AccountId,
		nonce: Nonce,
	) -> Option<UncheckedExtrinsic> {
		use codec::Encode;
		let period = u64::from(BlockHashCount::get()).checked_next_power_of_two().map(|p| p / 2).unwrap_or(2);
		let current_block = u64::from(System::block_number().saturating_sub(1));
		let extension: TxExtension = (
			frame_system::AuthorizeCall::<Runtime>::new(),
			frame_system::CheckNonZeroSender::<Runtime>::new(),
			frame_system::CheckSpecVersion::<Runtime>::new(),
			frame_system::CheckTxVersion::<Runtime>::new(),
			frame_system::CheckGenesis::<Runtime>::new(),
			frame_system::CheckEra::<Runtime>::from(sp_runtime::generic::Era::mortal(period, current_block)),
			frame_system::CheckNonce::<Runtime>::from(nonce),
			frame_system::CheckWeight::<Runtime>::new(),
			pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(0),
		);
		let payload = SignedPayload::new(call, extension).ok()?;
		let signature = payload.using_encoded(|bytes| C::sign(bytes, public))?;
		let (call, extension, _) = payload.deconstruct();
		Some(UncheckedExtrinsic::new_signed(call, sp_runtime::MultiAddress::Id(account), signature, extension))
	}
}

/// Contributors' names (issue 17): pallet-identity with its classic fields, where `display` is the
/// name shown everywhere and two `additional` fields carry the ORCID iD and the affiliation (`merit
/// profile set`). Registrars (added by root: a university, an ORCID-checking service) give
/// judgements anyone can read. Every byte stored is paid by a deposit, returned when cleared.
impl pallet_identity::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	/// A name costs 0.1 MERIT plus 1 milli-MERIT per byte of information.
	type BasicDeposit = ConstU128<{ MERIT / 10 }>;
	type ByteDeposit = ConstU128<{ MILLI_MERIT }>;
	type UsernameDeposit = ConstU128<{ MERIT / 10 }>;
	type SubAccountDeposit = ConstU128<{ MERIT / 10 }>;
	type MaxSubAccounts = ConstU32<16>;
	/// The classic fields; ORCID and affiliation are two of the four `additional` pairs.
	type IdentityInformation = pallet_identity::legacy::IdentityInfo<ConstU32<4>>;
	type MaxRegistrars = ConstU32<16>;
	/// Slashed deposits (a registrar's `Erroneous` judgement of a forced clearance) are burned.
	type Slashed = ();
	type ForceOrigin = frame_system::EnsureRoot<AccountId>;
	type RegistrarOrigin = frame_system::EnsureRoot<AccountId>;
	type OffchainSignature = Signature;
	type SigningPublicKey = <Signature as sp_runtime::traits::Verify>::Signer;
	type UsernameAuthorityOrigin = frame_system::EnsureRoot<AccountId>;
	type PendingUsernameExpiration = ConstU32<{ 7 * DAYS }>;
	type UsernameGracePeriod = ConstU32<{ 30 * DAYS }>;
	type MaxSuffixLength = ConstU32<7>;
	type MaxUsernameLength = ConstU32<32>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
	/// Parity's benchmarked weights for the pallet (substrate's reference machine).
	type WeightInfo = pallet_identity::weights::SubstrateWeight<Runtime>;
}
