//! The lineage graph as the other pallets see it.
use crate::{ChallengeId, SubmissionId};
use alloc::vec::Vec;
use polkadot_sdk::{frame_support::weights::Weight, sp_runtime::DispatchResult};

/// Where a submission sits in the lineage graph.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, Default, codec::Encode, codec::Decode, codec::MaxEncodedLen, scale_info::TypeInfo,
)]
pub struct LineageNode {
	/// The longest chain of forks behind the submission (0: built on nobody's work).
	pub fork_depth: u32,
	/// 0 for a first attempt, n for the author's n-th revision.
	pub version: u32,
}

/// How often one contributor's work was forked.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, Default, codec::Encode, codec::Decode, codec::MaxEncodedLen, scale_info::TypeInfo,
)]
pub struct ForkStat {
	/// Fork edges into the contributor's submissions.
	pub times_forked: u32,
	/// Distinct accounts that forked them.
	pub forkers: u32,
}

/// Told about every new submission before it is stored, so another pallet (attribution) can
/// record its lineage or refuse it (e.g. a fork chain deeper than it allows). An error aborts the
/// submission.
pub trait OnSubmission<AccountId> {
	/// `id` is the new submission; `parents` (each with its author, as the challenges pallet
	/// read them) and `previous_version` are already checked to be submissions to `challenge` by
	/// others and by `author` respectively.
	fn on_submission(
		id: SubmissionId,
		challenge: ChallengeId,
		author: &AccountId,
		parents: &[(SubmissionId, AccountId)],
		previous_version: Option<SubmissionId>,
	) -> DispatchResult;
	/// The most [`Self::on_submission`] may use for a submission with `parents` parents; the
	/// caller charges it.
	fn max_weight(parents: u32) -> Weight;
}

impl<AccountId> OnSubmission<AccountId> for () {
	fn on_submission(
		_: SubmissionId,
		_: ChallengeId,
		_: &AccountId,
		_: &[(SubmissionId, AccountId)],
		_: Option<SubmissionId>,
	) -> DispatchResult {
		Ok(())
	}
	fn max_weight(_: u32) -> Weight {
		Weight::zero()
	}
}

/// Read access to the lineage graph (implemented by the attribution pallet).
pub trait LineageInspect<AccountId> {
	/// A submission's place in the graph.
	fn node(submission: SubmissionId) -> Option<LineageNode>;
	/// The submissions that forked `submission`, in order of arrival.
	fn forks_of(submission: SubmissionId) -> Vec<SubmissionId>;
	/// Everyone who forked `author`'s work, with how often.
	fn forkers_of(author: &AccountId) -> Vec<(AccountId, u32)>;
	/// How often `author`'s work was forked.
	fn fork_stat(author: &AccountId) -> ForkStat;
	/// `author`'s submissions and their challenges, by submission id.
	fn submissions_of(author: &AccountId) -> Vec<(SubmissionId, ChallengeId)>;
}
