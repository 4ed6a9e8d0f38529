//! The prize board counted a page at a time, so finalizing a challenge of any size fits blocks.
//!
//! A count reads the challenge's submissions in order of arrival, `max` per call, and keeps per
//! entrant only what its best counted private score needs ([`EntrantCount`]: the best of the rows
//! that count whatever happens, or, for an entrant that marked nothing in a challenge with final
//! selections, its `k` best public scores and `k` latest unscored submissions, each with its
//! private score: the default selection of [`Pallet::final_selections`] is made of those alone).
//! Then it ranks the entrants into [`PrivateBoards`], keyed by [`RankKey`], which the payout reads
//! best first. `try_state` checks a finished count against the board computed in one pass.
//!
//! From the first page on no private outcome of the challenge becomes final (late reports are
//! still judged, but a quorum no longer decides): the rows already read cannot change under the
//! count. Disputes cannot either: counting starts only when no private score can be disputed, and
//! no new one becomes final.
use crate::{pallet::*, weights::WeightInfo, BoardPlace, EntrantCount, LeaderboardEntry, PrizeCount};
use alloc::vec::Vec;
use frame_support::{traits::Get, weights::Weight};
use merit_metrics::Subset;
use merit_primitives::{
	rank_key, rank_key_score, rank_key_submission, ChallengeId, ChallengeInspect, Outcome, Page, PrizeProgress, RankKey,
};
use polkadot_sdk::frame_support;

impl<T: Config> Pallet<T> {
	/// One page of a challenge's prize count: reads up to `max` submissions, then ranks entrants
	/// with what is left of `max`. See [`merit_primitives::OutcomeInspect::count_prize_board`].
	pub(crate) fn do_count_prize_board(
		challenge: ChallengeId,
		complete: bool,
		max: u32,
	) -> Result<(PrizeProgress, Weight), ()> {
		let summary = T::Challenges::challenge(challenge).ok_or(())?;
		let submissions = T::Challenges::submission_count(challenge);
		let mut count = match PrizeCounts::<T>::get(challenge) {
			Some(count) => count,
			None => {
				if complete && PrivateFinals::<T>::get(challenge) < T::Challenges::revealed_count(challenge) {
					return Err(());
				}
				PrizeCount::default()
			}
		};
		let higher = summary.metric.higher_is_better();
		let selections = summary.final_selections;
		let (mut read, mut ranked) = (0u32, 0u32);
		if count.read < submissions {
			let page = max.min(submissions.saturating_sub(count.read));
			for (submission, entrant, content) in T::Challenges::ranking_entries_page(challenge, count.read, page) {
				if content.revealed().is_none() {
					continue;
				}
				let private = match Self::final_outcome(submission, Subset::Private) {
					Some(Outcome::Scored(score)) => Some(rank_key(higher, score, submission)),
					_ => None,
				};
				let mut entry = EntrantCounts::<T>::get(challenge, &entrant).unwrap_or_default();
				let marks = if selections > 0 { T::Challenges::marks(challenge, &entrant) } else { Vec::new() };
				if selections == 0 || marks.contains(&submission) {
					entry.best = min_key(entry.best, private);
				} else if marks.is_empty() {
					let limit = selections.min(T::MaxFinalSelections::get()) as usize;
					match Self::final_outcome(submission, Subset::Public) {
						Some(Outcome::Scored(score)) => {
							let key = rank_key(higher, score, submission);
							let mut top = entry.top_public.into_inner();
							let at = top.partition_point(|(other, _)| *other < key);
							top.insert(at, (key, private));
							top.truncate(limit);
							entry.top_public = frame_support::BoundedVec::truncate_from(top);
						}
						_ => {
							let mut latest = entry.latest_unscored.into_inner();
							latest.push((submission, private));
							if latest.len() > limit {
								latest.remove(0);
							}
							entry.latest_unscored = frame_support::BoundedVec::truncate_from(latest);
						}
					}
				}
				EntrantCounts::<T>::insert(challenge, &entrant, entry);
			}
			read = page;
			count.read = count.read.saturating_add(page);
		}
		if count.read >= submissions {
			let left = max.saturating_sub(read);
			for (entrant, entry) in EntrantCounts::<T>::drain_prefix(challenge).take(left as usize) {
				ranked = ranked.saturating_add(1);
				let Some(key) = Self::counted_best(&entry, selections) else { continue };
				let place =
					BoardPlace { entrant, submission: rank_key_submission(&key), score: rank_key_score(higher, &key) };
				PrivateBoards::<T>::insert((challenge, key), place);
				PrivateBoardSizes::<T>::mutate(challenge, |n| *n = n.saturating_add(1));
			}
			count.ranked = count.ranked.saturating_add(ranked);
			count.done = ranked < left || EntrantCounts::<T>::iter_key_prefix(challenge).next().is_none();
		}
		PrizeCounts::<T>::insert(challenge, count);
		let weight = <T as Config>::WeightInfo::count_submissions(read)
			.saturating_add(<T as Config>::WeightInfo::rank_entrants(ranked));
		Ok((PrizeProgress { read: count.read, submissions, ranked: count.ranked, done: count.done }, weight))
	}

	/// An entrant's best counted private score: its `best`, or among its default selection (its
	/// best public scores, then its latest unscored submissions to make up the number).
	fn counted_best(entry: &EntrantCount<T>, selections: u32) -> Option<RankKey> {
		let need = (selections as usize).saturating_sub(entry.top_public.len());
		let default = entry
			.top_public
			.iter()
			.map(|(_, private)| *private)
			.chain(entry.latest_unscored.iter().rev().take(need).map(|(_, private)| *private))
			.fold(None, min_key);
		min_key(entry.best, default)
	}

	/// The best `n` entries of a counted prize board.
	pub(crate) fn prize_winners(challenge: ChallengeId, n: u32) -> Vec<LeaderboardEntry<T::AccountId>> {
		Self::private_board(challenge, Page { offset: 0, limit: n })
	}

	/// A page of a counted private board, best first.
	pub(crate) fn private_board(challenge: ChallengeId, page: Page) -> Vec<LeaderboardEntry<T::AccountId>> {
		crate::boards::ranked_page(PrivateBoards::<T>::iter_prefix_values((challenge,)), page)
	}

	/// Whether a challenge's private board is counted (and so read from storage).
	pub(crate) fn prize_board_counted(challenge: ChallengeId) -> bool {
		PrizeCounts::<T>::get(challenge).is_some_and(|count| count.done)
	}

	/// Where `entrant` stands on a counted private board (O(rank)), and the board's size.
	pub(crate) fn private_placement(
		challenge: ChallengeId,
		entrant: &T::AccountId,
	) -> Option<(LeaderboardEntry<T::AccountId>, u32)> {
		let mut rank = 0u32;
		for place in PrivateBoards::<T>::iter_prefix_values((challenge,)) {
			rank = rank.saturating_add(1);
			if place.entrant == *entrant {
				let entry =
					LeaderboardEntry { rank, submission: place.submission, author: place.entrant, score: place.score };
				return Some((entry, PrivateBoardSizes::<T>::get(challenge)));
			}
		}
		None
	}

	/// Invariants of prize counts: a finished count's board equals the private board computed in
	/// one pass and its size is right; entrants are kept only while a count reads; the count of
	/// final private outcomes is right.
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	pub(crate) fn prizes_try_state() -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
		use frame_support::ensure;
		for (challenge, count) in PrizeCounts::<T>::iter() {
			let kept: Vec<LeaderboardEntry<T::AccountId>> = Self::private_board(challenge, Page::ALL);
			ensure!(PrivateBoardSizes::<T>::get(challenge) as usize == kept.len(), "a private board's size is wrong");
			if count.done {
				ensure!(
					EntrantCounts::<T>::iter_prefix(challenge).next().is_none(),
					"a finished prize count still keeps entrants"
				);
				ensure!(
					kept == Self::computed_private_board(challenge),
					"a counted prize board differs from its scores"
				);
			}
		}
		for (challenge, _, _) in EntrantCounts::<T>::iter() {
			ensure!(
				PrizeCounts::<T>::get(challenge).is_some_and(|count| !count.done),
				"entrants kept for no running prize count"
			);
		}
		let mut finals: alloc::collections::BTreeMap<ChallengeId, u32> = Default::default();
		for (submission, subset, _) in FinalOutcomes::<T>::iter() {
			if subset != Subset::Private {
				continue;
			}
			if let Some(record) = T::Challenges::submission(submission) {
				*finals.entry(record.challenge).or_default() += 1;
			}
		}
		for (challenge, n) in PrivateFinals::<T>::iter() {
			ensure!(
				finals.remove(&challenge).unwrap_or(0) == n,
				"a challenge's count of final private outcomes is wrong"
			);
		}
		ensure!(finals.values().all(|n| *n == 0), "final private outcomes not counted");
		Ok(())
	}
}

/// The better (smaller) of two optional keys.
fn min_key(a: Option<RankKey>, b: Option<RankKey>) -> Option<RankKey> {
	match (a, b) {
		(Some(a), Some(b)) => Some(a.min(b)),
		(a, None) => a,
		(None, b) => b,
	}
}
