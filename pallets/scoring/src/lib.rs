//! # Scoring
//!
//! Bonded evaluators score submissions off chain; a score is final when a challenge's quorum of
//! evaluators posted the same outcome.
//!
//! - An **evaluator** registers with a bond, **held** on its account, and names the account of the
//!   key its off-chain worker signs with (key type [`KEY_TYPE`] = `mrev`, sr25519). The key is
//!   separate from the bonded account, so the hot key on the node does not control the bond. An
//!   evaluator may rotate its key, leave (it stops reporting at once and withdraws its bond after
//!   `UnbondingPeriod`, so disagreements found meanwhile are still slashed), or be removed by root.
//! - The **off-chain worker** of an evaluator node finds revealed submissions its evaluator has not
//!   reported on, fetches each predictions file from its artifact's URI ([`fetch::FetchArtifact`]),
//!   checks its sha256 against the on-chain digest, scores it against the hidden labels the
//!   operator placed in the node's local off-chain storage (see [`labels_storage_key`]), and posts
//!   the [`Outcome`] with [`Pallet::post_score`] in a signed transaction. While a challenge is open
//!   it posts public-split scores; after it closes, private-split scores.
//! - **Finalization**: the first time `quorum` reports on a (submission, subset) are identical,
//!   that outcome is final. Every report that differs from the final outcome (earlier or later)
//!   is recorded in [`Event::EvaluatorDisagreed`] and costs its evaluator `SlashFraction` of its
//!   current bond, handed to `OnSlash` (burnt with `()`).
//! - **Failures** that are the submission's fault are outcomes too (fetch failed after retries,
//!   hash mismatch, too large, unparsable file: [`FailureReason`]); once final they are visible to
//!   the author in [`FinalOutcomes`], events and the runtime API. Problems that are the evaluator's
//!   own (no local labels, labels not matching the commitment, an URI scheme the node cannot
//!   fetch) are never posted: the worker skips the work and logs why.
//! - **Leaderboards** ([`Pallet::leaderboard`], [`runtime_api::ScoringApi`]): final scores of a
//!   subset, each author's best submission only, ordered by the metric's direction, ties broken
//!   by the earlier submission (lower id).
//!
//! ## Hidden labels on an evaluator node
//!
//! Key: `b"merit::labels::" ++ SCALE(challenge_id as u32)` (little-endian, [`labels_storage_key`]);
//! value: `SCALE((salt: Vec<u8>, labels_csv: Vec<u8>))` ([`encode_local_labels`]), in the
//! `PERSISTENT` local storage. With the node's unsafe RPC methods enabled on localhost:
//!
//! ```text
//! curl -s -H 'Content-Type: application/json' http://127.0.0.1:9944 -d '{"id":1,"jsonrpc":"2.0",
//!   "method":"offchain_localStorageSet","params":["PERSISTENT","0x<key hex>","0x<value hex>"]}'
//! ```
//!
//! The worker checks `sha256(sha256(labels_csv) ‖ salt)` against the challenge's commitment
//! before scoring. After the owner reveals the labels, a node without local labels fetches the
//! revealed labels artifact instead. The evaluator key is inserted with `author_insertKey`
//! (`["mrev", "<seed>", "0x<public>"]`) or `merit-node key insert --key-type mrev`.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod fetch;
#[cfg(test)]
mod mock;
pub mod runtime_api;
#[cfg(test)]
mod tests;
pub mod weights;

pub use fetch::{FetchArtifact, FetchError, HttpFetcher};
pub use merit_metrics::{Metric, MetricError, Score, Subset};
pub use pallet_merit_challenges::{ChallengeId, SubmissionId};
use polkadot_sdk::{frame_support, frame_system, sp_core, sp_io, sp_runtime};
use sp_core::crypto::KeyTypeId;

/// The key type of evaluator keys: the off-chain worker signs score reports with it.
pub const KEY_TYPE: KeyTypeId = KeyTypeId(*b"mrev");

/// Prefix of the local off-chain storage key under which an operator places a challenge's
/// hidden labels.
pub const LABELS_KEY_PREFIX: &[u8] = b"merit::labels::";

/// The local off-chain storage key of a challenge's hidden labels:
/// `b"merit::labels::" ++ SCALE(challenge)`.
pub fn labels_storage_key(challenge: ChallengeId) -> alloc::vec::Vec<u8> {
	let mut key = LABELS_KEY_PREFIX.to_vec();
	codec::Encode::encode_to(&challenge, &mut key);
	key
}

/// The value an operator stores under [`labels_storage_key`]: `SCALE((salt, labels_csv))`.
pub fn encode_local_labels(salt: &[u8], labels_csv: &[u8]) -> alloc::vec::Vec<u8> {
	codec::Encode::encode(&(salt, labels_csv))
}

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

/// Why a submission could not be scored, when that is the submission's fault. All of these are
/// deterministic for honest evaluators, so they can reach a quorum like scores.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, codec::Encode, codec::Decode, codec::DecodeWithMemTracking,
	codec::MaxEncodedLen, scale_info::TypeInfo,
)]
pub enum FailureReason {
	/// The predictions could not be fetched from the artifact's URI (HTTP error, timeout or
	/// network failure), on each of the worker's attempts.
	FetchFailed,
	/// The fetched bytes do not hash to the registered digest (or are longer than the
	/// registered size).
	HashMismatch,
	/// The artifact's registered size exceeds `MaxPredictionsSize`.
	TooLarge,
	/// The file could not be scored; the error names the file, the 1-based line and the problem.
	Unparsable(MetricError),
}

/// What an evaluator found for a submission on one subset of the hidden rows.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, codec::Encode, codec::Decode, codec::DecodeWithMemTracking,
	codec::MaxEncodedLen, scale_info::TypeInfo,
)]
pub enum Outcome {
	/// The metric's value.
	Scored(Score),
	/// The submission could not be scored.
	Failed(FailureReason),
}

/// One row of a leaderboard.
#[derive(
	Clone, PartialEq, Eq, Debug, codec::Encode, codec::Decode, codec::DecodeWithMemTracking,
	scale_info::TypeInfo,
)]
pub struct LeaderboardEntry<AccountId> {
	/// 1 for the best.
	pub rank: u32,
	/// The author's best submission.
	pub submission: SubmissionId,
	/// Its author.
	pub author: AccountId,
	/// Its final score.
	pub score: Score,
}

/// Told when a quorum makes an outcome final, so another pallet (rewards) can pay for verified
/// improvements and for the evaluators' work. It cannot fail the report that completed the quorum.
pub trait OnOutcomeFinal<AccountId> {
	/// `agreeing` are the evaluators (bonded accounts) whose reports formed the quorum; returns
	/// the weight used.
	fn on_outcome_final(
		challenge: ChallengeId,
		submission: SubmissionId,
		author: &AccountId,
		subset: Subset,
		outcome: &Outcome,
		agreeing: &[AccountId],
	) -> polkadot_sdk::frame_support::weights::Weight;
	/// The most [`Self::on_outcome_final`] may use, charged up front by `post_score`.
	fn max_weight() -> polkadot_sdk::frame_support::weights::Weight;
}

impl<AccountId> OnOutcomeFinal<AccountId> for () {
	fn on_outcome_final(
		_: ChallengeId,
		_: SubmissionId,
		_: &AccountId,
		_: Subset,
		_: &Outcome,
		_: &[AccountId],
	) -> polkadot_sdk::frame_support::weights::Weight {
		Default::default()
	}
	fn max_weight() -> polkadot_sdk::frame_support::weights::Weight {
		Default::default()
	}
}

/// An evaluator's lifetime record, kept after it leaves: part of its track record.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, Default, codec::Encode, codec::Decode, codec::MaxEncodedLen,
	scale_info::TypeInfo,
)]
pub struct EvaluationStats {
	/// Reports accepted.
	pub reports: u32,
	/// Reports equal to the final outcome (the quorum's and later ones).
	pub agreed: u32,
	/// Reports that differed from a final outcome (each slashed).
	pub disagreed: u32,
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::{vec, vec::Vec};
	use frame_support::{
		dispatch::{DispatchResultWithPostInfo, PostDispatchInfo},
		pallet_prelude::*,
		traits::{
			fungible::{BalancedHold, Credit, Inspect, InspectHold, MutateHold},
			tokens::{imbalance::Imbalance, Precision},
			OnUnbalanced,
		},
		CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
	};
	use frame_system::{
		offchain::{AppCrypto, CreateSignedTransaction, SendSignedTransaction, Signer},
		pallet_prelude::*,
	};
	use pallet_merit_challenges::{ChallengeState, SubmissionContent};
	use sp_runtime::{
		offchain::{
			storage::StorageValueRef,
			storage_lock::{BlockAndTime, StorageLock},
			Duration,
		},
		traits::{Saturating, Zero},
		Perbill,
	};

	/// The balance type of the bond currency.
	pub type BalanceOf<T> =
		<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
	/// Slashed funds, handed to `OnSlash`.
	pub type CreditOf<T> = Credit<<T as frame_system::Config>::AccountId, <T as Config>::Currency>;
	/// The reports on one (submission, subset): evaluator and outcome, in order of arrival.
	pub type ReportsOf<T> =
		BoundedVec<(<T as frame_system::Config>::AccountId, Outcome), <T as Config>::MaxEvaluators>;

	/// A registered evaluator.
	#[derive(CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo)]
	#[scale_info(skip_type_params(T))]
	#[codec(mel_bound())]
	pub struct Evaluator<T: Config> {
		/// The account its off-chain worker signs reports with.
		pub key: T::AccountId,
		/// What is still held (the registration bond minus slashes).
		pub bond: BalanceOf<T>,
		/// The block it registered in.
		pub registered_at: BlockNumberFor<T>,
		/// Once leaving: the first block at which it may withdraw its bond.
		pub leaving_until: Option<BlockNumberFor<T>>,
		/// Reports that disagreed with a final outcome.
		pub disagreements: u32,
	}

	/// A final outcome and when it became final.
	#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
	pub struct FinalOutcome<BlockNumber> {
		/// The outcome the quorum agreed on.
		pub outcome: Outcome,
		/// The block of the report that completed the quorum.
		pub finalized_at: BlockNumber,
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// An evaluator's bond.
		#[codec(index = 0)]
		EvaluatorBond,
	}

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config:
		polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>>
		+ pallet_merit_challenges::Config
		+ pallet_merit_artifacts::Config
		+ CreateSignedTransaction<Call<Self>>
	{
		/// The evaluator key's crypto, e.g. [`crate::crypto::EvaluatorAuthId`].
		type AuthorityId: AppCrypto<Self::Public, Self::Signature>;
		/// The currency bonds are held in.
		type Currency: MutateHold<Self::AccountId, Reason = <Self as Config>::RuntimeHoldReason>
			+ InspectHold<Self::AccountId>
			+ BalancedHold<Self::AccountId>;
		/// The runtime's hold reasons, which include this pallet's.
		type RuntimeHoldReason: From<HoldReason>;
		/// Where slashed bonds go; `()` burns them.
		type OnSlash: OnUnbalanced<CreditOf<Self>>;
		/// The bond an evaluator registers with.
		#[pallet::constant]
		type EvaluatorBond: Get<BalanceOf<Self>>;
		/// The share of its current bond an evaluator loses per report that disagrees with a final
		/// outcome.
		#[pallet::constant]
		type SlashFraction: Get<Perbill>;
		/// The most evaluators registered at once (and so the most reports per submission and
		/// subset).
		#[pallet::constant]
		type MaxEvaluators: Get<u32>;
		/// The most submissions an off-chain worker run evaluates (fetch and score).
		#[pallet::constant]
		type MaxScoresPerRun: Get<u32>;
		/// The largest predictions file evaluators fetch, in bytes; a larger registered size is
		/// the submission's failure ([`FailureReason::TooLarge`]).
		#[pallet::constant]
		type MaxPredictionsSize: Get<u64>;
		/// How long a leaving evaluator's bond stays held (and slashable).
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

	/// Every report on a submission's subset, one per evaluator, in order of arrival.
	#[pallet::storage]
	pub type Reports<T: Config> =
		StorageDoubleMap<_, Twox64Concat, SubmissionId, Twox64Concat, Subset, ReportsOf<T>, ValueQuery>;

	/// The final outcome of a submission's subset.
	#[pallet::storage]
	pub type FinalOutcomes<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		SubmissionId,
		Twox64Concat,
		Subset,
		FinalOutcome<BlockNumberFor<T>>,
	>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An evaluator registered and its bond is held.
		EvaluatorRegistered { evaluator: T::AccountId, key: T::AccountId, bond: BalanceOf<T> },
		/// An evaluator's signing key changed.
		EvaluatorKeyChanged { evaluator: T::AccountId, old: T::AccountId, new: T::AccountId },
		/// An evaluator stopped reporting; its bond can be withdrawn from `until`.
		EvaluatorLeaving { evaluator: T::AccountId, until: BlockNumberFor<T> },
		/// A leaving evaluator withdrew what is left of its bond.
		EvaluatorWithdrawn { evaluator: T::AccountId, released: BalanceOf<T> },
		/// Root removed an evaluator and released what is left of its bond.
		EvaluatorRemoved { evaluator: T::AccountId, released: BalanceOf<T> },
		/// An evaluator reported an outcome.
		ScoreReported { submission: SubmissionId, subset: Subset, evaluator: T::AccountId, outcome: Outcome },
		/// A quorum agreed on a score.
		ScoreFinalized { submission: SubmissionId, subset: Subset, score: Score },
		/// A quorum agreed that the submission cannot be scored, and why.
		SubmissionFailed { submission: SubmissionId, subset: Subset, reason: FailureReason },
		/// An evaluator's report differs from the final outcome; `slashed` was taken from its bond.
		EvaluatorDisagreed {
			evaluator: T::AccountId,
			submission: SubmissionId,
			subset: Subset,
			reported: Outcome,
			slashed: BalanceOf<T>,
		},
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
		/// The evaluator is leaving and no longer reports.
		EvaluatorLeaving,
		/// The evaluator is already leaving.
		AlreadyLeaving,
		/// Only a leaving evaluator withdraws its bond.
		NotLeaving,
		/// The unbonding period is not over.
		StillUnbonding,
		/// Reports are on the public or the private subset.
		UnsupportedSubset,
		/// No submission with this id.
		UnknownSubmission,
		/// The submission's challenge does not exist.
		UnknownChallenge,
		/// The submission is a sealed commitment not yet revealed, or a superseded duplicate.
		SubmissionNotRevealed,
		/// Public scores are reported only while the challenge is open.
		ChallengeNotOpen,
		/// Private scores are reported only after the challenge closes.
		ChallengeStillOpen,
		/// The challenge is finalized or cancelled.
		ChallengeNotScorable,
		/// This evaluator already reported on this submission's subset.
		AlreadyReported,
		/// `MaxEvaluators` reports exist on this submission's subset.
		TooManyReports,
		/// A counter would overflow.
		Overflow,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Evaluates submissions if this node holds a registered evaluator key.
		fn offchain_worker(now: BlockNumberFor<T>) {
			match Self::run_evaluator(now) {
				Ok(posted) if posted > 0 => log::info!(target: LOG_TARGET, "posted {posted} score reports"),
				Ok(_) => {},
				Err(e) => log::debug!(target: LOG_TARGET, "evaluator run skipped: {e}"),
			}
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Registers the caller as an evaluator whose off-chain worker signs with `key`, and holds
		/// `EvaluatorBond` from the caller.
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

			EvaluatorKeys::<T>::insert(&key, &who);
			Evaluators::<T>::insert(
				&who,
				Evaluator {
					key: key.clone(),
					bond,
					registered_at: frame_system::Pallet::<T>::block_number(),
					leaving_until: None,
					disagreements: 0,
				},
			);
			EvaluatorCount::<T>::put(next);
			Self::deposit_event(Event::EvaluatorRegistered { evaluator: who, key, bond });
			Ok(())
		}

		/// Replaces the caller's evaluator key (e.g. after a node moved or a key leaked).
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

		/// Stops the caller's reporting at once; its bond stays held (and slashable for reports
		/// that turn out to disagree) for `UnbondingPeriod`, then `withdraw_bond` releases it.
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

		/// Releases a leaving evaluator's remaining bond after the unbonding period and forgets
		/// the evaluator (its reports stay on record).
		#[pallet::call_index(3)]
		#[pallet::weight(<T as Config>::WeightInfo::withdraw_bond())]
		pub fn withdraw_bond(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let info = Evaluators::<T>::get(&who).ok_or(Error::<T>::NotEvaluator)?;
			let until = info.leaving_until.ok_or(Error::<T>::NotLeaving)?;
			ensure!(frame_system::Pallet::<T>::block_number() >= until, Error::<T>::StillUnbonding);
			let released = Self::forget(&who, &info)?;
			Self::deposit_event(Event::EvaluatorWithdrawn { evaluator: who, released });
			Ok(())
		}

		/// Root removes an evaluator at once and releases what is left of its bond.
		#[pallet::call_index(4)]
		#[pallet::weight(<T as Config>::WeightInfo::remove_evaluator())]
		pub fn remove_evaluator(origin: OriginFor<T>, evaluator: T::AccountId) -> DispatchResult {
			ensure_root(origin)?;
			let info = Evaluators::<T>::get(&evaluator).ok_or(Error::<T>::NotEvaluator)?;
			let released = Self::forget(&evaluator, &info)?;
			Self::deposit_event(Event::EvaluatorRemoved { evaluator, released });
			Ok(())
		}

		/// Reports an evaluator's outcome for a submission's public (while the challenge is open)
		/// or private (after it closes) subset; signed with the evaluator's key. Finalizes the
		/// outcome when `quorum` reports agree and slashes every report that differs from a final
		/// outcome. Accepted reports are free (`Pays::No`): evaluation is a service to the chain.
		#[pallet::call_index(5)]
		#[pallet::weight(<T as Config>::WeightInfo::post_score(T::MaxEvaluators::get())
			.saturating_add(T::OnOutcomeFinal::max_weight()))]
		pub fn post_score(
			origin: OriginFor<T>,
			submission: SubmissionId,
			subset: Subset,
			outcome: Outcome,
		) -> DispatchResultWithPostInfo {
			let key = ensure_signed(origin)?;
			let evaluator = EvaluatorKeys::<T>::get(&key).ok_or(Error::<T>::NotEvaluator)?;
			let info = Evaluators::<T>::get(&evaluator).ok_or(Error::<T>::NotEvaluator)?;
			ensure!(info.leaving_until.is_none(), Error::<T>::EvaluatorLeaving);
			ensure!(subset != Subset::All, Error::<T>::UnsupportedSubset);
			let record =
				pallet_merit_challenges::Submissions::<T>::get(submission).ok_or(Error::<T>::UnknownSubmission)?;
			ensure!(matches!(record.content, SubmissionContent::Revealed(_)), Error::<T>::SubmissionNotRevealed);
			let challenge =
				pallet_merit_challenges::Challenges::<T>::get(record.challenge).ok_or(Error::<T>::UnknownChallenge)?;
			Self::ensure_reporting_phase(challenge.state, subset)?;

			let mut reports = Reports::<T>::get(submission, subset);
			ensure!(!reports.iter().any(|(e, _)| e == &evaluator), Error::<T>::AlreadyReported);
			let existing = reports.len() as u32;
			reports.try_push((evaluator.clone(), outcome)).map_err(|_| Error::<T>::TooManyReports)?;
			Self::deposit_event(Event::ScoreReported { submission, subset, evaluator: evaluator.clone(), outcome });
			EvaluationRecords::<T>::mutate(&evaluator, |stats| stats.reports = stats.reports.saturating_add(1));
			let mut hook_weight = Weight::zero();

			match FinalOutcomes::<T>::get(submission, subset) {
				Some(done) =>
					if done.outcome != outcome {
						Self::slash_disagreement(&evaluator, submission, subset, outcome);
					} else {
						EvaluationRecords::<T>::mutate(&evaluator, |stats| stats.agreed = stats.agreed.saturating_add(1));
					},
				None => {
					let agreeing = reports.iter().filter(|(_, o)| *o == outcome).count() as u32;
					if agreeing >= challenge.quorum {
						let finalized_at = frame_system::Pallet::<T>::block_number();
						FinalOutcomes::<T>::insert(submission, subset, FinalOutcome { outcome, finalized_at });
						Self::deposit_event(match outcome {
							Outcome::Scored(score) => Event::ScoreFinalized { submission, subset, score },
							Outcome::Failed(reason) => Event::SubmissionFailed { submission, subset, reason },
						});
						let mut agreeing = Vec::with_capacity(reports.len());
						for (other, reported) in reports.iter() {
							if *reported != outcome {
								Self::slash_disagreement(other, submission, subset, *reported);
							} else {
								EvaluationRecords::<T>::mutate(other, |stats| stats.agreed = stats.agreed.saturating_add(1));
								agreeing.push(other.clone());
							}
						}
						hook_weight = T::OnOutcomeFinal::on_outcome_final(
							record.challenge,
							submission,
							&record.author,
							subset,
							&outcome,
							&agreeing,
						);
					}
				},
			}
			Reports::<T>::insert(submission, subset, reports);
			Ok(PostDispatchInfo {
				actual_weight: Some(<T as Config>::WeightInfo::post_score(existing).saturating_add(hook_weight)),
				pays_fee: Pays::No,
			})
		}
	}

	/// Log target of the off-chain worker.
	pub const LOG_TARGET: &str = "runtime::merit-scoring";
	/// The off-chain lock that keeps two worker runs from overlapping.
	pub const LOCK_KEY: &[u8] = b"merit::scoring::lock";
	/// Prefix of the local record of a batch of reports waiting for inclusion.
	pub const IN_FLIGHT_PREFIX: &[u8] = b"merit::scoring::in-flight::";
	/// Prefix of the local count of failed fetches of a submission.
	pub const ATTEMPTS_PREFIX: &[u8] = b"merit::scoring::fetch-attempts::";
	/// Fetch attempts (in distinct worker runs) before a submission is reported as
	/// [`FailureReason::FetchFailed`]: one transient network problem must not cost a bond.
	pub const FETCH_ATTEMPTS: u32 = 3;
	/// Blocks between two fetch attempts of the same submission.
	pub const FETCH_RETRY_BLOCKS: u32 = 5;
	/// Blocks the worker waits for a batch of reports to be included before it assumes they
	/// were dropped and starts again from the on-chain nonce.
	pub const IN_FLIGHT_BLOCKS: u32 = 10;
	/// Blocks after which a lock left by a crashed run expires.
	pub const LOCK_BLOCKS: u32 = 5;
	/// Milliseconds after which a lock left by a crashed run expires.
	pub const LOCK_MILLIS: u64 = 60_000;

	/// Why a worker cannot use a challenge's hidden labels: always the evaluator's problem, never
	/// reported on chain.
	#[derive(Clone, Copy, PartialEq, Eq, Debug)]
	pub enum LabelsProblem {
		/// Nothing under [`labels_storage_key`], and the labels are not revealed.
		Missing,
		/// The stored value is not `SCALE((salt, labels))`.
		Undecodable,
		/// `sha256(sha256(labels) ‖ salt)` differs from the challenge's commitment.
		CommitmentMismatch,
		/// The revealed labels artifact could not be fetched or does not match its digest.
		RevealedUnavailable,
	}

	/// A piece of work the worker found.
	#[derive(Clone, PartialEq, Eq, Debug)]
	pub struct Task {
		/// The challenge.
		pub challenge: ChallengeId,
		/// The submission.
		pub submission: SubmissionId,
		/// Which rows to score.
		pub subset: Subset,
		/// The predictions artifact.
		pub digest: merit_primitives::Digest,
	}

	impl<T: Config> Pallet<T> {
		/// The leaderboard of a challenge's public or private subset: each author's best final
		/// score (ties between an author's own submissions: the earlier), sorted best first by the
		/// metric's direction, ties broken by the earlier submission (lower id). Failed
		/// submissions, superseded duplicates and those without a final score are not listed.
		pub fn leaderboard(challenge: ChallengeId, subset: Subset) -> Vec<LeaderboardEntry<T::AccountId>> {
			let Some(record) = pallet_merit_challenges::Challenges::<T>::get(challenge) else { return Vec::new() };
			let metric = record.metric;
			// Submissions are in order of arrival, so the first best of an author is its earliest.
			let mut best: Vec<(SubmissionId, T::AccountId, Score)> = Vec::new();
			for submission in pallet_merit_challenges::ChallengeSubmissions::<T>::get(challenge) {
				let Some(FinalOutcome { outcome: Outcome::Scored(score), .. }) =
					FinalOutcomes::<T>::get(submission, subset)
				else {
					continue;
				};
				// A sealed submission superseded by an earlier commitment of the same digest is out.
				let Some(pallet_merit_challenges::Submission {
					author, content: SubmissionContent::Revealed(_), ..
				}) = pallet_merit_challenges::Submissions::<T>::get(submission)
				else {
					continue;
				};
				match best.iter_mut().find(|(_, a, _)| *a == author) {
					Some(entry) =>
						if metric.is_better(score, entry.2) {
							*entry = (submission, author, score);
						},
					None => best.push((submission, author, score)),
				}
			}
			best.sort_by(|a, b| {
				if metric.is_better(a.2, b.2) {
					core::cmp::Ordering::Less
				} else if metric.is_better(b.2, a.2) {
					core::cmp::Ordering::Greater
				} else {
					a.0.cmp(&b.0)
				}
			});
			best.into_iter()
				.enumerate()
				.map(|(i, (submission, author, score))| LeaderboardEntry {
					rank: (i as u32).saturating_add(1),
					submission,
					author,
					score,
				})
				.collect()
		}

		/// The final outcome of a submission's subset, if a quorum agreed.
		pub fn final_outcome(submission: SubmissionId, subset: Subset) -> Option<Outcome> {
			FinalOutcomes::<T>::get(submission, subset).map(|f| f.outcome)
		}

		/// Every report on a submission's subset.
		pub fn reports(submission: SubmissionId, subset: Subset) -> Vec<(T::AccountId, Outcome)> {
			Reports::<T>::get(submission, subset).into_inner()
		}

		fn ensure_reporting_phase(state: ChallengeState, subset: Subset) -> DispatchResult {
			match (state, subset) {
				(ChallengeState::Open, Subset::Public) => Ok(()),
				(ChallengeState::Open, _) => Err(Error::<T>::ChallengeStillOpen.into()),
				(ChallengeState::Closed | ChallengeState::LabelsRevealed, Subset::Private) => Ok(()),
				(ChallengeState::Closed | ChallengeState::LabelsRevealed, _) => Err(Error::<T>::ChallengeNotOpen.into()),
				(ChallengeState::Finalized | ChallengeState::Cancelled(_), _) =>
					Err(Error::<T>::ChallengeNotScorable.into()),
			}
		}

		/// Releases what is left of an evaluator's bond and removes it and its key.
		fn forget(who: &T::AccountId, info: &Evaluator<T>) -> Result<BalanceOf<T>, DispatchError> {
			let released = <T as Config>::Currency::release(
				&HoldReason::EvaluatorBond.into(),
				who,
				info.bond,
				Precision::BestEffort,
			)?;
			EvaluatorKeys::<T>::remove(&info.key);
			Evaluators::<T>::remove(who);
			EvaluatorCount::<T>::mutate(|n| *n = n.saturating_sub(1));
			Ok(released)
		}

		/// Takes `SlashFraction` of a disagreeing evaluator's current bond (nothing if it has
		/// already withdrawn or been removed) and records the disagreement.
		fn slash_disagreement(evaluator: &T::AccountId, submission: SubmissionId, subset: Subset, reported: Outcome) {
			let slashed = Evaluators::<T>::mutate(evaluator, |info| {
				let Some(info) = info else { return Zero::zero() };
				let amount = T::SlashFraction::get().mul_floor(info.bond);
				let (credit, _missing) =
					<<T as Config>::Currency as BalancedHold<T::AccountId>>::slash(
						&HoldReason::EvaluatorBond.into(),
						evaluator,
						amount,
					);
				let slashed = credit.peek();
				T::OnSlash::on_unbalanced(credit);
				info.bond = info.bond.saturating_sub(slashed);
				info.disagreements = info.disagreements.saturating_add(1);
				EvaluationRecords::<T>::mutate(evaluator, |stats| stats.disagreed = stats.disagreed.saturating_add(1));
				slashed
			});
			Self::deposit_event(Event::EvaluatorDisagreed {
				evaluator: evaluator.clone(),
				submission,
				subset,
				reported,
				slashed,
			});
		}

		// ---- the off-chain worker ----

		/// One worker run: returns how many reports were sent to the pool.
		pub fn run_evaluator(now: BlockNumberFor<T>) -> Result<u32, &'static str> {
			let (account, evaluator) = Self::local_evaluator().ok_or("no registered evaluator key in the keystore")?;
			let mut lock = StorageLock::<BlockAndTime<frame_system::Pallet<T>>>::with_block_and_time_deadline(
				LOCK_KEY,
				LOCK_BLOCKS,
				Duration::from_millis(LOCK_MILLIS),
			);
			let _guard = lock.try_lock().map_err(|_| "another worker run holds the lock")?;

			// The signer takes the nonce from chain state: while an earlier batch waits for
			// inclusion, a new one would reuse its nonces (and resend its reports).
			let chain_nonce = frame_system::Pallet::<T>::account_nonce(&account.id);
			let mut in_flight_key = IN_FLIGHT_PREFIX.to_vec();
			account.id.encode_to(&mut in_flight_key);
			let in_flight = StorageValueRef::persistent(&in_flight_key);
			if let Ok(Some((expected, until))) = in_flight.get::<(T::Nonce, BlockNumberFor<T>)>() {
				if chain_nonce < expected && now < until {
					return Err("an earlier batch of reports is not included yet");
				}
			}

			let signer = Signer::<T, <T as Config>::AuthorityId>::all_accounts().with_filter(vec![account.public.clone()]);
			let mut posted = 0u32;
			for (task, outcome) in Self::evaluate_pending(&evaluator, now) {
				let call = Call::<T>::post_score { submission: task.submission, subset: task.subset, outcome };
				match signer.send_single_signed_transaction(&account, call) {
					Some(Ok(())) => posted = posted.saturating_add(1),
					_ => log::warn!(target: LOG_TARGET, "could not submit the report on submission {}", task.submission),
				}
			}
			if posted > 0 {
				let until = now.saturating_add(IN_FLIGHT_BLOCKS.into());
				in_flight.set(&(chain_nonce.saturating_add(posted.into()), until));
			}
			Ok(posted)
		}

		/// The first key in the keystore that belongs to a registered evaluator that is not
		/// leaving, with that evaluator.
		pub fn local_evaluator() -> Option<(frame_system::offchain::Account<T>, T::AccountId)> {
			Signer::<T, <T as Config>::AuthorityId>::keystore_accounts().find_map(|account| {
				let evaluator = EvaluatorKeys::<T>::get(&account.id)?;
				let info = Evaluators::<T>::get(&evaluator)?;
				info.leaving_until.is_none().then_some((account, evaluator))
			})
		}

		/// Finds up to `MaxScoresPerRun` submissions the evaluator has not reported on and
		/// evaluates them; returns the outcomes to post (fetch failures being retried and
		/// evaluator-side problems are left out).
		pub fn evaluate_pending(evaluator: &T::AccountId, now: BlockNumberFor<T>) -> Vec<(Task, Outcome)> {
			let mut budget = T::MaxScoresPerRun::get();
			let mut results = Vec::new();
			for (challenge_id, challenge) in pallet_merit_challenges::Challenges::<T>::iter() {
				if budget == 0 {
					break;
				}
				let subset = match challenge.state {
					ChallengeState::Open => Subset::Public,
					ChallengeState::Closed | ChallengeState::LabelsRevealed => Subset::Private,
					_ => continue,
				};
				let tasks = Self::tasks_of(challenge_id, subset, evaluator, now, budget);
				if tasks.is_empty() {
					continue;
				}
				let (salt, labels) = match Self::labels_for(challenge_id, &challenge) {
					Ok(found) => found,
					Err(problem) => {
						log::warn!(target: LOG_TARGET, "challenge {challenge_id}: no usable labels ({problem:?})");
						continue;
					},
				};
				let ppb = challenge.public_share.deconstruct();
				for task in tasks {
					budget = budget.saturating_sub(1);
					let split = match subset {
						Subset::Public => merit_metrics::Split::public(&salt, ppb),
						_ => merit_metrics::Split::private(&salt, ppb),
					};
					if let Some(outcome) = Self::evaluate(&task, challenge.metric, &labels, &split, now) {
						results.push((task, outcome));
					}
				}
			}
			results
		}

		/// Revealed submissions of a challenge without a final outcome and without this
		/// evaluator's report, whose next fetch attempt is due; at most `limit`.
		fn tasks_of(
			challenge: ChallengeId,
			subset: Subset,
			evaluator: &T::AccountId,
			now: BlockNumberFor<T>,
			limit: u32,
		) -> Vec<Task> {
			let mut tasks = Vec::new();
			for submission in pallet_merit_challenges::ChallengeSubmissions::<T>::get(challenge) {
				if tasks.len() as u32 >= limit {
					break;
				}
				let Some(record) = pallet_merit_challenges::Submissions::<T>::get(submission) else { continue };
				let SubmissionContent::Revealed(digest) = record.content else { continue };
				if FinalOutcomes::<T>::contains_key(submission, subset) ||
					Reports::<T>::get(submission, subset).iter().any(|(e, _)| e == evaluator)
				{
					continue;
				}
				if let Some((_, retry_at)) = Self::fetch_attempts(submission, subset) {
					if now < retry_at {
						continue;
					}
				}
				tasks.push(Task { challenge, submission, subset, digest });
			}
			tasks
		}

		/// The salt and labels to score a challenge with: the operator's local copy, checked
		/// against the commitment, or (once revealed) the labels artifact fetched from its URI.
		pub fn labels_for(
			challenge_id: ChallengeId,
			challenge: &pallet_merit_challenges::Challenge<T>,
		) -> Result<(Vec<u8>, Vec<u8>), LabelsProblem> {
			let key = labels_storage_key(challenge_id);
			match StorageValueRef::persistent(&key).get::<(Vec<u8>, Vec<u8>)>() {
				Ok(Some((salt, labels))) => {
					let digest = sp_io::hashing::sha2_256(&labels);
					let commitment = merit_metrics::labels_commitment_of_digest(&digest, &salt);
					if commitment != challenge.labels_commitment.0 {
						return Err(LabelsProblem::CommitmentMismatch);
					}
					Ok((salt, labels))
				},
				Err(_) => Err(LabelsProblem::Undecodable),
				Ok(None) => {
					let revealed = challenge.labels.as_ref().ok_or(LabelsProblem::Missing)?;
					let artifact = pallet_merit_artifacts::Artifacts::<T>::get(revealed.digest)
						.ok_or(LabelsProblem::RevealedUnavailable)?;
					let labels = T::Fetcher::fetch(&artifact.uri, artifact.size)
						.map_err(|_| LabelsProblem::RevealedUnavailable)?;
					if sp_io::hashing::sha2_256(&labels) != revealed.digest.0 {
						return Err(LabelsProblem::RevealedUnavailable);
					}
					Ok((revealed.salt.to_vec(), labels))
				},
			}
		}

		fn attempts_key(submission: SubmissionId, subset: Subset) -> Vec<u8> {
			let mut key = ATTEMPTS_PREFIX.to_vec();
			(submission, subset).encode_to(&mut key);
			key
		}

		/// Failed fetches of a submission's subset so far and the block of the next attempt.
		pub fn fetch_attempts(submission: SubmissionId, subset: Subset) -> Option<(u32, BlockNumberFor<T>)> {
			StorageValueRef::persistent(&Self::attempts_key(submission, subset)).get().ok().flatten()
		}

		/// Fetches, checks and scores one submission. `None` when there is nothing to report
		/// yet (a fetch to retry) or the problem is this evaluator's.
		fn evaluate(
			task: &Task,
			metric: Metric,
			labels: &[u8],
			split: &merit_metrics::Split<'_>,
			now: BlockNumberFor<T>,
		) -> Option<Outcome> {
			let artifact = pallet_merit_artifacts::Artifacts::<T>::get(task.digest)?;
			if artifact.size > T::MaxPredictionsSize::get() {
				return Some(Outcome::Failed(FailureReason::TooLarge));
			}
			let attempts_key = Self::attempts_key(task.submission, task.subset);
			let mut attempts = StorageValueRef::persistent(&attempts_key);
			let started = sp_io::offchain::timestamp();
			let body = match T::Fetcher::fetch(&artifact.uri, artifact.size) {
				Ok(body) => body,
				Err(FetchError::TooLarge) => return Some(Outcome::Failed(FailureReason::HashMismatch)),
				Err(FetchError::UnsupportedUri) => {
					log::warn!(target: LOG_TARGET, "submission {}: this node cannot fetch its URI", task.submission);
					return None;
				},
				Err(e) => {
					let failed = attempts.get::<(u32, BlockNumberFor<T>)>().ok().flatten().map_or(0, |(n, _)| n);
					let failed = failed.saturating_add(1);
					log::info!(target: LOG_TARGET, "submission {}: fetch attempt {failed} failed: {e:?}", task.submission);
					if failed >= FETCH_ATTEMPTS {
						attempts.clear();
						return Some(Outcome::Failed(FailureReason::FetchFailed));
					}
					attempts.set(&(failed, now.saturating_add(FETCH_RETRY_BLOCKS.into())));
					return None;
				},
			};
			attempts.clear();
			let fetched = sp_io::offchain::timestamp();
			if sp_io::hashing::sha2_256(&body) != task.digest.0 {
				return Some(Outcome::Failed(FailureReason::HashMismatch));
			}
			let hashed = sp_io::offchain::timestamp();
			let outcome = match merit_metrics::score(metric, labels, &body, split) {
				Ok(score) => Outcome::Scored(score),
				Err(e) => Outcome::Failed(FailureReason::Unparsable(e)),
			};
			let scored = sp_io::offchain::timestamp();
			// Operators (and `scripts/bench ocw`) read the cost of each step from this line.
			log::info!(
				target: LOG_TARGET,
				"submission {} ({:?}): {} bytes fetched in {} ms, sha256 in {} ms, scored in {} ms: {:?}",
				task.submission,
				task.subset,
				body.len(),
				fetched.diff(&started).millis(),
				hashed.diff(&fetched).millis(),
				scored.diff(&hashed).millis(),
				outcome,
			);
			Some(outcome)
		}

		/// Invariants: each evaluator's held bond equals its recorded bond; keys and evaluators
		/// map to each other; the count matches and stays within `MaxEvaluators`; no evaluator
		/// reported twice on a submission's subset.
		#[cfg(any(feature = "try-runtime", feature = "std", test))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			let mut count = 0u32;
			for (who, info) in Evaluators::<T>::iter() {
				count = count.saturating_add(1);
				ensure!(
					<T as Config>::Currency::balance_on_hold(&HoldReason::EvaluatorBond.into(), &who) == info.bond,
					"an evaluator's held bond differs from its recorded bond"
				);
				ensure!(EvaluatorKeys::<T>::get(&info.key) == Some(who.clone()), "an evaluator's key is not mapped to it");
			}
			for (key, who) in EvaluatorKeys::<T>::iter() {
				let info = Evaluators::<T>::get(&who).ok_or("a key maps to a missing evaluator")?;
				ensure!(info.key == key, "a key maps to an evaluator with another key");
			}
			ensure!(count == EvaluatorCount::<T>::get(), "the evaluator count is wrong");
			ensure!(count <= T::MaxEvaluators::get(), "more evaluators than MaxEvaluators");
			for (_, _, reports) in Reports::<T>::iter() {
				for (i, (evaluator, _)) in reports.iter().enumerate() {
					ensure!(
						!reports[..i].iter().any(|(e, _)| e == evaluator),
						"an evaluator reported twice on a submission's subset"
					);
				}
			}
			Ok(())
		}
	}
}
