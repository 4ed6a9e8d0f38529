//! The runtime API through which clients read leaderboards and outcomes. The runtime implements
//! it by calling [`crate::Pallet::leaderboard`], [`crate::Pallet::leaderboard_page`], [`crate::Pallet::final_selections`], [`crate::Pallet::final_outcome`] and
//! [`crate::Pallet::reports`].
use crate::{ChallengeId, FinalSelection, LeaderboardEntry, Outcome, SubmissionId, Subset};
use alloc::vec::Vec;
use merit_primitives::{LeaderboardPage, Page};
use polkadot_sdk::sp_api;

sp_api::decl_runtime_apis! {
	/// Leaderboards and outcomes of Merit's scoring. Version 2 reads a leaderboard a page at a time.
	#[api_version(2)]
	pub trait ScoringApi<AccountId> where AccountId: codec::Codec {
		/// A challenge's public or private leaderboard: each author's best final score, best
		/// first by the metric's direction, ties broken by the earlier submission (on the private
		/// board, among the author's final selections only).
		fn leaderboard(challenge: ChallengeId, subset: Subset) -> Vec<LeaderboardEntry<AccountId>>;
		/// Each author's submissions that count on the private board, marked or by default; empty
		/// for a challenge on which every submission counts.
		fn final_selections(challenge: ChallengeId) -> Vec<FinalSelection<AccountId>>;
		/// The final outcome (score or failure reason) of a submission's subset, if a quorum agreed.
		fn final_outcome(submission: SubmissionId, subset: Subset) -> Option<Outcome>;
		/// Every evaluator's report on a submission's subset, in order of arrival.
		fn reports(submission: SubmissionId, subset: Subset) -> Vec<(AccountId, Outcome)>;
		/// One page of a challenge's leaderboard (ranked as [`Self::leaderboard`]) and its length.
		#[api_version(2)]
		fn leaderboard_page(challenge: ChallengeId, subset: Subset, page: Page) -> LeaderboardPage<AccountId>;
	}
}
