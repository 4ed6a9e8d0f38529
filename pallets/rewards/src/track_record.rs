//! Track records: everything the chain knows about one contributor, gathered for auditors
//! (universities, employers) through the [`TrackRecordApi`] runtime API.
use crate::{pallet::*, Earned, PoolLedger, RewardTerms};
use alloc::{collections::btree_map::BTreeMap, vec::Vec};
use merit_primitives::{
	ChallengeId, ChallengeInspect, ChallengeState, Digest, EvaluationStats, ForkStat, LineageInspect, Outcome,
	OutcomeInspect, Page, Score, SubmissionId, Subset,
};
use polkadot_sdk::{frame_system::pallet_prelude::BlockNumberFor, sp_api};

/// A place on a leaderboard.
#[derive(Clone, Copy, PartialEq, Eq, Debug, codec::Encode, codec::Decode, scale_info::TypeInfo)]
pub struct Placement {
	/// 1 for the best.
	pub rank: u32,
	/// Of how many ranked contributors.
	pub of: u32,
	/// The submission that placed.
	pub submission: SubmissionId,
	/// Its score.
	pub score: Score,
}

/// The team an account competed in.
#[derive(Clone, PartialEq, Eq, Debug, codec::Encode, codec::Decode, scale_info::TypeInfo)]
pub struct TeamEntry<AccountId> {
	/// The team's account: the name its results are ranked under.
	pub account: AccountId,
	/// The member's agreed share of what the team earns.
	pub share: polkadot_sdk::sp_runtime::Perbill,
}

/// One challenge in a track record.
#[derive(Clone, PartialEq, Eq, Debug, codec::Encode, codec::Decode, scale_info::TypeInfo)]
pub struct ChallengeEntry<AccountId, Balance> {
	/// The challenge.
	pub challenge: ChallengeId,
	/// Its title.
	pub title: Vec<u8>,
	/// Where it is in its life.
	pub state: ChallengeState,
	/// The account's own submissions to it.
	pub submissions: u32,
	/// The team the account competed in, with its share; `None` when it competed alone.
	pub team: Option<TeamEntry<AccountId>>,
	/// The account's (or its team's) place on the public leaderboard.
	pub public: Option<Placement>,
	/// The account's (or its team's) place on the private leaderboard (the one prizes follow).
	pub private: Option<Placement>,
	/// What the account earned in it.
	pub earned: Earned<Balance>,
}

/// One submission in a track record.
#[derive(Clone, PartialEq, Eq, Debug, codec::Encode, codec::Decode, scale_info::TypeInfo)]
pub struct SubmissionEntry<BlockNumber> {
	/// The submission.
	pub submission: SubmissionId,
	/// Its challenge.
	pub challenge: ChallengeId,
	/// The predictions digest, once revealed.
	pub digest: Option<Digest>,
	/// Others' submissions it forked.
	pub parents: Vec<SubmissionId>,
	/// The author's submission it revised.
	pub previous_version: Option<SubmissionId>,
	/// Its version number (0: a first attempt).
	pub version: u32,
	/// The longest fork chain behind it.
	pub fork_depth: u32,
	/// The block that recorded it.
	pub submitted_at: BlockNumber,
	/// The final public outcome.
	pub public: Option<Outcome>,
	/// The final private outcome.
	pub private: Option<Outcome>,
	/// Submissions that forked it.
	pub forked_by: Vec<SubmissionId>,
}

/// One review, given or received.
#[derive(Clone, PartialEq, Eq, Debug, codec::Encode, codec::Decode, scale_info::TypeInfo)]
pub struct ReviewEntry<AccountId, Balance> {
	/// The reviewed submission.
	pub submission: SubmissionId,
	/// Its challenge.
	pub challenge: ChallengeId,
	/// Who reviewed.
	pub reviewer: AccountId,
	/// Who wrote the submission.
	pub author: AccountId,
	/// 1 to 5.
	pub rating: u8,
	/// The review's report artifact.
	pub report: Digest,
	/// The micro-reward it earned.
	pub paid: Balance,
}

/// Everything about one account.
#[derive(Clone, PartialEq, Eq, Debug, codec::Encode, codec::Decode, scale_info::TypeInfo)]
pub struct TrackRecord<AccountId, Balance, BlockNumber> {
	/// Whose record.
	pub account: AccountId,
	/// Challenges entered or earned from, by id.
	pub challenges: Vec<ChallengeEntry<AccountId, Balance>>,
	/// Submissions, by id.
	pub submissions: Vec<SubmissionEntry<BlockNumber>>,
	/// Earnings over all challenges, by kind.
	pub earned: Earned<Balance>,
	/// How often their work was forked.
	pub forks: ForkStat,
	/// Who forked their work, and how often.
	pub forked_by: Vec<(AccountId, u32)>,
	/// Reviews given.
	pub reviews_given: Vec<ReviewEntry<AccountId, Balance>>,
	/// Reviews of their submissions.
	pub reviews_received: Vec<ReviewEntry<AccountId, Balance>>,
	/// Evaluations as an evaluator.
	pub evaluations: EvaluationStats,
}

/// The track record type of a runtime.
/// How many items each paged list of a track record holds in full.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, codec::Encode, codec::Decode, scale_info::TypeInfo)]
pub struct ListTotals {
	/// The account's submissions.
	pub submissions: u32,
	/// Reviews the account wrote.
	pub reviews_given: u32,
	/// Reviews of the account's submissions.
	pub reviews_received: u32,
}

/// A track record whose long lists (submissions, reviews given, reviews received) each hold one
/// [`Page`] of their items, with each list's full length: what an RPC answers, so an account's
/// thousandth submission costs its reader nothing until asked for.
#[derive(Clone, PartialEq, Eq, Debug, codec::Encode, codec::Decode, scale_info::TypeInfo)]
pub struct TrackRecordPage<AccountId, Balance, BlockNumber> {
	/// The record, its long lists cut to the page.
	pub record: TrackRecord<AccountId, Balance, BlockNumber>,
	/// Each long list's full length.
	pub totals: ListTotals,
}

pub type TrackRecordOf<T> =
	TrackRecord<<T as polkadot_sdk::frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;
pub type TrackRecordPageOf<T> =
	TrackRecordPage<<T as polkadot_sdk::frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;

/// A list's length as the `u32` the API reports (lists are bounded far below `u32::MAX`).
fn saturated_len(length: usize) -> u32 {
	u32::try_from(length).unwrap_or(u32::MAX)
}

sp_api::decl_runtime_apis! {
	/// Track records and pool accounts of Merit's rewards. Version 2 pages the long lists.
	#[api_version(2)]
	pub trait TrackRecordApi<AccountId, Balance, BlockNumber>
	where
		AccountId: codec::Codec,
		Balance: codec::Codec,
		BlockNumber: codec::Codec,
	{
		/// Everything the chain knows about `account` as a contributor, reviewer and evaluator.
		fn track_record(account: AccountId) -> TrackRecord<AccountId, Balance, BlockNumber>;
		/// Where a challenge's pool went, and its reward terms; `None` for an unknown challenge.
		fn pool(challenge: ChallengeId) -> Option<(PoolLedger<Balance>, RewardTerms<Balance>)>;
		/// `account`'s track record with one page of each long list (see [`TrackRecordPage`]).
		#[api_version(2)]
		fn track_record_page(account: AccountId, page: Page) -> TrackRecordPage<AccountId, Balance, BlockNumber>;
	}
}

impl<T: Config> Pallet<T> {
	/// `account`'s whole track record.
	pub fn track_record(account: T::AccountId) -> TrackRecordOf<T> {
		Self::track_record_page(account, Page::ALL).record
	}

	/// `account`'s track record with one page of each long list. Every submission is counted
	/// (for its challenge's entry) but only the page's are read in full.
	pub fn track_record_page(account: T::AccountId, page: Page) -> TrackRecordPageOf<T> {
		let mut per_challenge: BTreeMap<ChallengeId, (u32, Earned<BalanceOf<T>>)> = BTreeMap::new();
		let mut submissions = Vec::new();
		let own_submissions = T::Lineage::submissions_of(&account);
		for (index, &(id, challenge)) in own_submissions.iter().enumerate() {
			per_challenge.entry(challenge).or_default().0 += 1;
			if !page.contains(index) {
				continue;
			}
			let Some(record) = T::Challenges::submission(id) else { continue };
			let node = T::Lineage::node(id).unwrap_or_default();
			submissions.push(SubmissionEntry {
				submission: id,
				challenge,
				digest: record.content.digest(),
				parents: record.parents,
				previous_version: record.previous_version,
				version: node.version,
				fork_depth: node.fork_depth,
				submitted_at: record.submitted_at,
				public: T::Outcomes::final_outcome(id, Subset::Public),
				private: T::Outcomes::final_outcome(id, Subset::Private),
				forked_by: T::Lineage::forks_of(id),
			});
		}
		// A member's record shows its teams' challenges even where it did not submit itself.
		let mut teams: BTreeMap<ChallengeId, TeamEntry<T::AccountId>> = BTreeMap::new();
		for (challenge, team, share) in T::Challenges::teams_of(&account) {
			per_challenge.entry(challenge).or_default();
			teams.insert(challenge, TeamEntry { account: team, share });
		}
		let mut earned_total = Earned::default();
		for (challenge, earned) in Earnings::<T>::iter_prefix(&account) {
			earned_total.merge(&earned);
			per_challenge.entry(challenge).or_default().1 = earned;
		}
		let challenges = per_challenge
			.into_iter()
			.filter_map(|(challenge, (count, earned))| {
				let summary = T::Challenges::challenge(challenge)?;
				let title = T::Challenges::title(challenge).unwrap_or_default();
				let entrant = T::Challenges::entrant(challenge, &account);
				let place = |subset| {
					T::Outcomes::placement(challenge, subset, &entrant).map(|(e, of)| Placement {
						rank: e.rank,
						of,
						submission: e.submission,
						score: e.score,
					})
				};
				Some(ChallengeEntry {
					challenge,
					title,
					state: summary.state,
					submissions: count,
					team: teams.remove(&challenge),
					public: place(Subset::Public),
					private: place(Subset::Private),
					earned,
				})
			})
			.collect();
		let review_entry = |submission: SubmissionId, reviewer: T::AccountId| {
			let review = Reviews::<T>::get(submission, &reviewer)?;
			let record = T::Challenges::submission(submission)?;
			Some(ReviewEntry {
				submission,
				challenge: record.challenge,
				reviewer,
				author: record.author,
				rating: review.rating,
				report: review.report,
				paid: review.paid,
			})
		};
		let given: Vec<SubmissionId> = ReviewsGiven::<T>::iter_key_prefix(&account).collect();
		let received: Vec<(SubmissionId, T::AccountId)> = own_submissions
			.iter()
			.flat_map(|&(submission, _)| {
				Reviews::<T>::iter_key_prefix(submission).map(move |reviewer| (submission, reviewer))
			})
			.collect();
		let totals = ListTotals {
			submissions: saturated_len(own_submissions.len()),
			reviews_given: saturated_len(given.len()),
			reviews_received: saturated_len(received.len()),
		};
		let reviews_given =
			page.window(given).filter_map(|submission| review_entry(submission, account.clone())).collect();
		let reviews_received =
			page.window(received).filter_map(|(submission, reviewer)| review_entry(submission, reviewer)).collect();
		let record = TrackRecord {
			forks: T::Lineage::fork_stat(&account),
			forked_by: T::Lineage::forkers_of(&account),
			evaluations: T::Outcomes::evaluation_stats(&account),
			account,
			challenges,
			submissions,
			earned: earned_total,
			reviews_given,
			reviews_received,
		};
		TrackRecordPage { record, totals }
	}

	/// Where a challenge's pool went, and its terms; `None` for an unknown challenge.
	pub fn pool(challenge: ChallengeId) -> Option<(PoolLedger<BalanceOf<T>>, RewardTerms<BalanceOf<T>>)> {
		Pools::<T>::get(challenge).map(|pool| (Ledger::<T>::get(challenge), pool.terms))
	}
}
