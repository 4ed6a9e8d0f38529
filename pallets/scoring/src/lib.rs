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
pub mod migrations;
mod ocw;
mod outcomes;
pub mod runtime_api;
pub mod weights;

pub use fetch::{FetchArtifact, FetchError, HttpFetcher};
pub use ocw::*;
pub use merit_metrics::{Metric, MetricError, Score, Subset};
pub use merit_primitives::{
	ChallengeId, EvaluationStats, FailureReason, LeaderboardEntry, OnOutcomeFinal, Outcome, SubmissionId,
};
use polkadot_sdk::{frame_support, frame_system, sp_core, sp_runtime};
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

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		dispatch::{DispatchResultWithPostInfo, PostDispatchInfo},
		pallet_prelude::*,
		traits::{
			fungible::{BalancedHold, Credit, Inspect, InspectHold, MutateHold},
			OnUnbalanced,
		},
		CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
	};
	use frame_system::{
		offchain::{AppCrypto, CreateSignedTransaction},
		pallet_prelude::*,
	};
	use merit_primitives::{ArtifactRegistry, ChallengeInspect};
	use sp_runtime::{traits::Saturating, Perbill};

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

	/// The in-code storage version (see [`crate::migrations`]).
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

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
		type Artifacts: ArtifactRegistry<Self::AccountId>;
		/// Who may remove an evaluator at once (root in Merit).
		type ForceOrigin: EnsureOrigin<Self::RuntimeOrigin>;
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

		/// Stops the caller's reporting at once; its bond stays held (and slashable for reports
		/// that turn out to disagree) for `UnbondingPeriod`, then `withdraw_bond` releases it.
		///
		/// - Origin: signed, a registered evaluator that is not leaving.
		/// - Effects: marks it leaving until now + `UnbondingPeriod`; its reports are refused.
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

		/// Releases a leaving evaluator's remaining bond after the unbonding period and forgets
		/// the evaluator (its reports stay on record).
		///
		/// - Origin: signed, a leaving evaluator.
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
			ensure!(frame_system::Pallet::<T>::block_number() >= until, Error::<T>::StillUnbonding);
			let released = Self::forget(&who, &info)?;
			Self::deposit_event(Event::EvaluatorWithdrawn { evaluator: who, released });
			Ok(())
		}

		/// `ForceOrigin` removes an evaluator at once and releases what is left of its bond.
		///
		/// - Origin: [`Config::ForceOrigin`] (root in Merit).
		/// - Effects: as [`Pallet::withdraw_bond`], without the unbonding period.
		/// - Events: [`Event::EvaluatorRemoved`].
		/// - Errors: [`Error::NotEvaluator`].
		/// - Complexity: O(1).
		#[pallet::call_index(4)]
		#[pallet::weight(<T as Config>::WeightInfo::remove_evaluator())]
		pub fn remove_evaluator(origin: OriginFor<T>, evaluator: T::AccountId) -> DispatchResult {
			T::ForceOrigin::ensure_origin(origin)?;
			let info = Evaluators::<T>::get(&evaluator).ok_or(Error::<T>::NotEvaluator)?;
			let released = Self::forget(&evaluator, &info)?;
			Self::deposit_event(Event::EvaluatorRemoved { evaluator, released });
			Ok(())
		}

		/// Reports an evaluator's outcome for a submission's public (while the challenge is open)
		/// or private (after it closes) subset; signed with the evaluator's key. Finalizes the
		/// outcome when `quorum` reports agree and slashes every report that differs from a final
		/// outcome. Accepted reports are free (`Pays::No`): evaluation is a service to the chain.
		///
		/// - Origin: signed by an evaluator's key (`mrev`), not leaving.
		/// - Effects: stores the report; on the `quorum`-th identical report stores the final
		///   outcome, slashes every differing report (earlier and later ones too) and calls
		///   [`Config::OnOutcomeFinal`] (the rewards pallet pays the quorum's fees and any
		///   improvement reward); updates each evaluator's lifetime record.
		/// - Events: [`Event::ScoreReported`], then [`Event::ScoreFinalized`] or
		///   [`Event::SubmissionFailed`] and [`Event::EvaluatorDisagreed`] per slash.
		/// - Errors: [`Error::NotEvaluator`], [`Error::EvaluatorLeaving`], [`Error::UnsupportedSubset`],
		///   [`Error::UnknownSubmission`], [`Error::SubmissionNotRevealed`], [`Error::UnknownChallenge`],
		///   [`Error::ChallengeStillOpen`], [`Error::ChallengeNotOpen`], [`Error::ChallengeNotScorable`],
		///   [`Error::AlreadyReported`], [`Error::TooManyReports`].
		/// - Complexity: O(r) in the r reports already on the submission's subset (r ≤
		///   `MaxEvaluators`), plus the hook's declared maximum.
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
			let record = T::Challenges::submission(submission).ok_or(Error::<T>::UnknownSubmission)?;
			ensure!(record.content.revealed().is_some(), Error::<T>::SubmissionNotRevealed);
			let challenge = T::Challenges::challenge(record.challenge).ok_or(Error::<T>::UnknownChallenge)?;
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
}
