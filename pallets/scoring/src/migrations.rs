//! Storage migrations of the scoring pallet.
//!
//! Storage version history:
//! - 0: evaluators, keys, public reports and final outcomes per submission and subset; the first
//!   `quorum` identical reports of any registered evaluator were final.
//! - 1 ([`v1::MigrateToV1`]): drawn panels, sealed rounds ([`Jobs`]), abstentions, disputes.
//!   Evaluators gain `exposed_until`; lifetime records gain `abstained` and `missed`; a final
//!   outcome keeps the evaluators that agreed on it (from the v0 reports); v0's fetch failures and
//!   hash mismatches, which were slashable outcomes, become [`FailureReason::Unavailable`];
//!   v0 `Reports` are dropped; every live challenge gets a panel draw scheduled.
//! - 2 ([`v2::MigrateToV2`]): public leaderboards kept in storage ([`PublicScores`],
//!   [`AuthorScores`], [`PublicBoards`], [`BoardKeys`], [`BoardSizes`], [`LadderBests`]), built
//!   from every final public score, each challenge's in order of arrival (a Ladder board releases
//!   what it released when boards were computed in that order), and [`PrivateFinals`], each
//!   challenge's count of final private outcomes, which paged prize counts wait for.
use crate::{pallet::*, DrawFor, EvaluationStats, Evaluator, FailureReason, FinalOutcome, MembersOf, Outcome};
use codec::{Decode, Encode};
use frame_support::{
	migrations::VersionedMigration,
	traits::{Get, UncheckedOnRuntimeUpgrade},
	weights::Weight,
	BoundedVec, Twox64Concat,
};
use frame_system::pallet_prelude::BlockNumberFor;
use merit_metrics::{MetricError, Score, Subset};
use merit_primitives::{ChallengeInspect, SubmissionId};
use polkadot_sdk::{frame_support, frame_system};
use scale_info::TypeInfo;

/// The v0 layout, kept only to read it.
pub mod v0 {
	use super::*;

	/// v0's failure reasons: the first two were the submitter's server's doing yet slashable.
	#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
	pub enum FailureReason {
		FetchFailed,
		HashMismatch,
		TooLarge,
		Unparsable(MetricError),
	}

	/// v0's outcome.
	#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
	pub enum Outcome {
		Scored(Score),
		Failed(FailureReason),
	}

	impl Outcome {
		/// The v1 outcome it stands for.
		pub fn upgraded(self) -> super::Outcome {
			match self {
				Self::Scored(score) => super::Outcome::Scored(score),
				Self::Failed(FailureReason::FetchFailed | FailureReason::HashMismatch) => {
					super::Outcome::Failed(super::FailureReason::Unavailable)
				}
				Self::Failed(FailureReason::TooLarge) => super::Outcome::Failed(super::FailureReason::TooLarge),
				Self::Failed(FailureReason::Unparsable(e)) => {
					super::Outcome::Failed(super::FailureReason::Unparsable(e))
				}
			}
		}
	}

	/// v0's evaluator.
	#[derive(Encode, Decode, TypeInfo)]
	#[scale_info(skip_type_params(T))]
	pub struct Evaluator<T: Config> {
		pub key: T::AccountId,
		pub bond: crate::BalanceOf<T>,
		pub registered_at: BlockNumberFor<T>,
		pub leaving_until: Option<BlockNumberFor<T>>,
		pub disagreements: u32,
	}

	/// v0's final outcome.
	#[derive(Encode, Decode, TypeInfo)]
	pub struct FinalOutcome<BlockNumber> {
		pub outcome: Outcome,
		pub finalized_at: BlockNumber,
	}

	/// v0's lifetime counts.
	#[derive(Encode, Decode, TypeInfo)]
	pub struct EvaluationStats {
		pub reports: u32,
		pub agreed: u32,
		pub disagreed: u32,
	}

	/// v0's reports: evaluator and outcome per submission and subset, in order of arrival.
	#[frame_support::storage_alias]
	pub type Reports<T: Config> = StorageDoubleMap<
		Pallet<T>,
		Twox64Concat,
		SubmissionId,
		Twox64Concat,
		Subset,
		alloc::vec::Vec<(<T as frame_system::Config>::AccountId, Outcome)>,
	>;
}

pub mod v1 {
	use super::*;

	/// Rewrites evaluators, final outcomes and lifetime records in the v1 layout, drops v0 reports
	/// and schedules a panel draw for every live challenge.
	pub struct UncheckedMigrateToV1<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for UncheckedMigrateToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let now = frame_system::Pallet::<T>::block_number();
			let mut reads = 0u64;
			let mut writes = 0u64;
			Evaluators::<T>::translate::<v0::Evaluator<T>, _>(|_, old| {
				reads += 1;
				writes += 1;
				Some(Evaluator {
					key: old.key,
					bond: old.bond,
					registered_at: old.registered_at,
					leaving_until: old.leaving_until,
					disagreements: old.disagreements,
					exposed_until: now,
				})
			});
			FinalOutcomes::<T>::translate::<v0::FinalOutcome<BlockNumberFor<T>>, _>(|submission, subset, old| {
				reads += 2;
				writes += 1;
				let agreeing: alloc::vec::Vec<T::AccountId> = v0::Reports::<T>::get(submission, subset)
					.unwrap_or_default()
					.into_iter()
					.filter(|(_, reported)| *reported == old.outcome)
					.map(|(evaluator, _)| evaluator)
					.take(T::MaxPanelSize::get() as usize)
					.collect();
				Some(FinalOutcome {
					outcome: old.outcome.upgraded(),
					finalized_at: old.finalized_at,
					agreeing: MembersOf::<T>::try_from(agreeing).unwrap_or_else(|_| BoundedVec::new()),
					penalized: BoundedVec::new(),
				})
			});
			EvaluationRecords::<T>::translate::<v0::EvaluationStats, _>(|_, old| {
				reads += 1;
				writes += 1;
				Some(EvaluationStats {
					reports: old.reports,
					agreed: old.agreed,
					disagreed: old.disagreed,
					abstained: 0,
					missed: 0,
				})
			});
			let cleared = v0::Reports::<T>::clear(u32::MAX, None);
			writes += cleared.unique as u64;
			for challenge in T::Challenges::live_challenges() {
				reads += 1;
				writes += 1;
				if Pallet::<T>::schedule_draw(DrawFor::Challenge(challenge), now).is_err() {
					log::warn!(target: crate::LOG_TARGET, "no room to draw a panel for challenge {challenge}");
				}
			}
			T::DbWeight::get().reads_writes(reads, writes)
		}
	}

	/// [`UncheckedMigrateToV1`] run only on storage version 0, then setting version 1.
	pub type MigrateToV1<T> =
		VersionedMigration<0, 1, UncheckedMigrateToV1<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;
}

/// v1 → v2: the public boards, built from the final public scores.
pub mod v2 {
	use super::*;
	use alloc::collections::btree_set::BTreeSet;

	/// Builds every challenge's kept public board. Unbounded in one block, as the v1 migration:
	/// Merit's chains hold at most a few thousand final scores when it runs.
	pub struct UncheckedMigrateToV2<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for UncheckedMigrateToV2<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut reads = 0u64;
			let mut writes = 0u64;
			let mut challenges: BTreeSet<merit_primitives::ChallengeId> = BTreeSet::new();
			for (submission, subset, done) in FinalOutcomes::<T>::iter() {
				reads += 1;
				if let (Subset::Public, Outcome::Scored(_)) = (subset, done.outcome) {
					if let Some(record) = T::Challenges::submission(submission) {
						reads += 1;
						challenges.insert(record.challenge);
					}
				}
			}
			for challenge in challenges {
				for (submission, _, _) in T::Challenges::ranking_entries(challenge) {
					reads += 3;
					let Some(Outcome::Scored(score)) = Pallet::<T>::final_outcome(submission, Subset::Public) else {
						continue;
					};
					let Some(record) = T::Challenges::submission(submission) else { continue };
					Pallet::<T>::show_public_score(challenge, submission, &record.author, score);
					reads += 6;
					writes += 7;
				}
			}
			for (submission, subset, _) in FinalOutcomes::<T>::iter() {
				reads += 2;
				if subset != Subset::Private {
					continue;
				}
				if let Some(record) = T::Challenges::submission(submission) {
					PrivateFinals::<T>::mutate(record.challenge, |n| *n = n.saturating_add(1));
					writes += 1;
				}
			}
			T::DbWeight::get().reads_writes(reads, writes)
		}
	}

	/// [`UncheckedMigrateToV2`] run only on storage version 1, then setting version 2.
	pub type MigrateToV2<T> =
		VersionedMigration<1, 2, UncheckedMigrateToV2<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;
}
