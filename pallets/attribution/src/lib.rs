//! # Attribution
//!
//! The lineage graph of submissions, so credit can flow to the people whose work others build on.
//!
//! Every submission names the submissions it **forks** (`parents`: others' work in the same
//! challenge) and the author's own **previous version**. The challenges pallet checks those
//! references; this pallet, told of every new submission through
//! [`merit_primitives::OnSubmission`], records:
//!
//! - each submission's **fork depth** (the longest chain of forks behind it; a new version keeps
//!   its predecessor's depth) and **version number** (0 for a first attempt);
//! - the reverse edges: which submissions forked a submission ([`Forks`]) and which versions
//!   followed it ([`Versions`]);
//! - per contributor: how often their work was forked and by whom ([`ForkStats`], [`ForkedBy`]);
//! - per contributor: their submissions ([`AuthorSubmissions`]), the index track records read.
//!
//! Other pallets (rewards, for payouts and track records) read the graph through
//! [`merit_primitives::LineageInspect`].
//!
//! Bounds: breadth is the challenges pallet's `MaxParents` per submission; depth is
//! [`Config::MaxForkDepth`]: a submission that would extend a fork chain beyond it is refused with
//! [`Error::LineageTooDeep`]. Both keep every walk over the graph (payouts, track records) bounded.
//!
//! The pallet has no calls: lineage is declared once, at submission, and never edited.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;


pub mod migrations;

pub use merit_primitives::{ChallengeId, ForkStat, LineageNode, SubmissionId};
use merit_primitives::{ChallengeInspect, LineageInspect, OnSubmission};
use polkadot_sdk::{frame_support, frame_system, sp_runtime};

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;

	/// The in-code storage version (see [`crate::migrations`]).
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// Where submissions are read (for the invariants only: lineage arrives through
		/// [`OnSubmission`]).
		type Challenges: ChallengeInspect<Self::AccountId, BlockNumberFor<Self>>;
		/// The longest chain of forks a submission may extend.
		#[pallet::constant]
		type MaxForkDepth: Get<u32>;
	}

	/// Each submission's place in the graph.
	#[pallet::storage]
	pub type Lineage<T: Config> = StorageMap<_, Twox64Concat, SubmissionId, LineageNode>;

	/// Fork edges, reversed: `(parent, child)` exists when `child` forked `parent`.
	#[pallet::storage]
	pub type Forks<T: Config> = StorageDoubleMap<_, Twox64Concat, SubmissionId, Twox64Concat, SubmissionId, ()>;

	/// Version edges, reversed: `(previous, next)` exists when `next` revised `previous`.
	#[pallet::storage]
	pub type Versions<T: Config> = StorageDoubleMap<_, Twox64Concat, SubmissionId, Twox64Concat, SubmissionId, ()>;

	/// Each contributor's submissions, by challenge.
	#[pallet::storage]
	pub type AuthorSubmissions<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, SubmissionId, ChallengeId>;

	/// How often each contributor's work was forked.
	#[pallet::storage]
	pub type ForkStats<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, ForkStat, ValueQuery>;

	/// `(author, forker) → forks`: who built on whose work, and how often.
	#[pallet::storage]
	pub type ForkedBy<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// `submission` by `forker` builds on `parent` by `author`.
		Forked { parent: SubmissionId, submission: SubmissionId, author: T::AccountId, forker: T::AccountId },
		/// `submission` is version `version` of its author's work, revising `previous`.
		Revised { previous: SubmissionId, submission: SubmissionId, version: u32 },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The submission would extend a chain of forks beyond `MaxForkDepth`.
		LineageTooDeep,
		/// A referenced submission has no lineage record.
		UnknownAncestor,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	impl<T: Config> OnSubmission<T::AccountId> for Pallet<T> {
		/// Reads each parent's and the previous version's node; writes the node, the author
		/// index, and per parent a fork edge, the forker count and the fork stats.
		fn max_weight(parents: u32) -> Weight {
			let parents = u64::from(parents);
			T::DbWeight::get().reads_writes(1 + 2 * parents + 1, 2 + 3 * parents + 1)
		}

		fn on_submission(
			id: SubmissionId,
			challenge: ChallengeId,
			author: &T::AccountId,
			parents: &[(SubmissionId, T::AccountId)],
			previous_version: Option<SubmissionId>,
		) -> DispatchResult {
			let mut node = LineageNode::default();
			for (parent, _) in parents {
				let parent_node = Lineage::<T>::get(parent).ok_or(Error::<T>::UnknownAncestor)?;
				let depth = parent_node.fork_depth.checked_add(1).ok_or(Error::<T>::LineageTooDeep)?;
				node.fork_depth = node.fork_depth.max(depth);
			}
			if let Some(previous) = previous_version {
				let previous_node = Lineage::<T>::get(previous).ok_or(Error::<T>::UnknownAncestor)?;
				node.fork_depth = node.fork_depth.max(previous_node.fork_depth);
				node.version = previous_node.version.saturating_add(1);
			}
			ensure!(node.fork_depth <= T::MaxForkDepth::get(), Error::<T>::LineageTooDeep);

			Lineage::<T>::insert(id, node);
			AuthorSubmissions::<T>::insert(author, id, challenge);
			for (parent, parent_author) in parents {
				let parent = *parent;
				Forks::<T>::insert(parent, id, ());
				let first_time = ForkedBy::<T>::get(parent_author, author) == 0;
				ForkedBy::<T>::mutate(parent_author, author, |n| *n = n.saturating_add(1));
				ForkStats::<T>::mutate(parent_author, |stat| {
					stat.times_forked = stat.times_forked.saturating_add(1);
					if first_time {
						stat.forkers = stat.forkers.saturating_add(1);
					}
				});
				Self::deposit_event(Event::Forked {
					parent,
					submission: id,
					author: parent_author.clone(),
					forker: author.clone(),
				});
			}
			if let Some(previous) = previous_version {
				Versions::<T>::insert(previous, id, ());
				Self::deposit_event(Event::Revised { previous, submission: id, version: node.version });
			}
			Ok(())
		}
	}

	impl<T: Config> LineageInspect<T::AccountId> for Pallet<T> {
		fn node(submission: SubmissionId) -> Option<LineageNode> {
			Lineage::<T>::get(submission)
		}

		fn forks_of(submission: SubmissionId) -> Vec<SubmissionId> {
			Forks::<T>::iter_key_prefix(submission).collect()
		}

		fn forkers_of(author: &T::AccountId) -> Vec<(T::AccountId, u32)> {
			ForkedBy::<T>::iter_prefix(author).collect()
		}

		fn fork_stat(author: &T::AccountId) -> ForkStat {
			ForkStats::<T>::get(author)
		}

		fn submissions_of(author: &T::AccountId) -> Vec<(SubmissionId, ChallengeId)> {
			let mut all: Vec<_> = AuthorSubmissions::<T>::iter_prefix(author).collect();
			all.sort_unstable();
			all
		}
	}

	impl<T: Config> Pallet<T> {

		/// Invariants: every recorded submission exists; depths respect the bound and exceed each
		/// parent's; every fork edge has a forward edge in the submission; fork counts add up.
		#[cfg(any(feature = "try-runtime", feature = "std", test))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			use alloc::collections::btree_map::BTreeMap;
			for (id, node) in Lineage::<T>::iter() {
				let submission = T::Challenges::submission(id).ok_or("lineage of a missing submission")?;
				ensure!(node.fork_depth <= T::MaxForkDepth::get(), "a fork chain exceeds MaxForkDepth");
				for parent in submission.parents.iter() {
					let parent_node = Lineage::<T>::get(parent).ok_or("a parent has no lineage")?;
					ensure!(node.fork_depth > parent_node.fork_depth, "a fork is not deeper than its parent");
					ensure!(Forks::<T>::contains_key(parent, id), "a fork edge is not indexed");
				}
				ensure!(
					AuthorSubmissions::<T>::get(&submission.author, id) == Some(submission.challenge),
					"a submission is missing from its author's index"
				);
			}
			let mut counted: BTreeMap<T::AccountId, u32> = BTreeMap::new();
			for (parent, child, ()) in Forks::<T>::iter() {
				let child_record = T::Challenges::submission(child).ok_or("a fork of nothing")?;
				ensure!(child_record.parents.contains(&parent), "an indexed fork edge was not declared");
				let author = T::Challenges::submission(parent).ok_or("a forked submission is missing")?.author;
				let n = counted.entry(author).or_default();
				*n = n.saturating_add(1);
			}
			for (author, stat) in ForkStats::<T>::iter() {
				ensure!(counted.remove(&author).unwrap_or(0) == stat.times_forked, "fork counts differ from the edges");
				let by: u32 = ForkedBy::<T>::iter_prefix_values(&author).fold(0u32, |a, n| a.saturating_add(n));
				ensure!(by == stat.times_forked, "forks by forker do not add up");
			}
			ensure!(counted.is_empty(), "forked authors without fork counts");
			Ok(())
		}
	}
}
