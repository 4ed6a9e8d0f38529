//! Public leaderboards kept in storage as scores become final, so reading the top of a board
//! costs what is read, not the challenge's size.
//!
//! A final public score is shown (on a Ladder board, only if the Ladder releases it, rounded),
//! filed under its author in rank order ([`AuthorScores`]), and its entrant's entry on the board
//! ([`PublicBoards`]) moves if it beats the entrant's best. Two things can change an entrant's best
//! afterwards, and both are told by the challenges pallet ([`BoardKeeper`]): a scored submission
//! superseded by an earlier commitment to the same digest (its entrant's best is found again
//! among its members' first keys: O(team size)), and entrants merging into a team (the better of
//! the two entries stays: O(1)).
//!
//! The Ladder is kept online: a score is compared with the last released score when it becomes
//! final, as Blum and Hardt's algorithm runs, so what a participant was shown stays shown.
use crate::{pallet::*, BoardPlace, LeaderboardEntry, WeightInfo};
use alloc::vec::Vec;
use frame_support::weights::Weight;
use merit_metrics::{Score, Subset};
use merit_primitives::{
	rank_key, rank_key_submission, BoardKeeper, ChallengeId, ChallengeInspect, Page, PublicBoardRules, RankKey,
	SubmissionId,
};
use polkadot_sdk::frame_support;

impl<T: Config> Pallet<T> {
	/// A public score became final: shows it on the board (a Ladder board only if the Ladder
	/// releases it) unless the submission no longer holds its digest.
	pub(crate) fn show_public_score(
		challenge: ChallengeId,
		submission: SubmissionId,
		author: &T::AccountId,
		score: Score,
	) {
		let Some(summary) = T::Challenges::challenge(challenge) else { return };
		let holds_digest =
			T::Challenges::submission(submission).is_some_and(|record| record.content.revealed().is_some());
		if !holds_digest {
			return;
		}
		let metric = summary.metric;
		let shown = match T::PublicBoard::ladder_step(challenge) {
			None => score,
			Some(step) => {
				let released = LadderBests::<T>::get(challenge)
					.is_none_or(|best| metric.is_better_by_more_than(score, best, step));
				if !released {
					return;
				}
				let rounded = score.rounded_to(step);
				LadderBests::<T>::insert(challenge, rounded);
				rounded
			}
		};
		PublicScores::<T>::insert(submission, shown);
		let key = rank_key(metric.higher_is_better(), shown, submission);
		AuthorScores::<T>::insert((challenge, author, key), ());
		let entrant = T::Challenges::entrant(challenge, author);
		let current = BoardKeys::<T>::get(challenge, &entrant);
		if current.is_none_or(|current| key < current) {
			Self::move_place(
				challenge,
				&entrant,
				current,
				Some((key, BoardPlace { entrant: entrant.clone(), submission, score: shown })),
			);
		}
	}

	/// Replaces `entrant`'s entry (at `from`) on a challenge's board with `to`.
	fn move_place(
		challenge: ChallengeId,
		entrant: &T::AccountId,
		from: Option<RankKey>,
		to: Option<(RankKey, BoardPlace<T::AccountId>)>,
	) {
		if let Some(from) = from {
			PublicBoards::<T>::remove((challenge, from));
		}
		match (from.is_some(), to) {
			(_, Some((key, place))) => {
				PublicBoards::<T>::insert((challenge, key), place);
				BoardKeys::<T>::insert(challenge, entrant, key);
				if from.is_none() {
					BoardSizes::<T>::mutate(challenge, |n| *n = n.saturating_add(1));
				}
			}
			(true, None) => {
				BoardKeys::<T>::remove(challenge, entrant);
				BoardSizes::<T>::mutate(challenge, |n| *n = n.saturating_sub(1));
			}
			(false, None) => {}
		}
	}

	/// Finds `entrant`'s best again among its members' shown scores (each member's first key).
	fn refresh_place(challenge: ChallengeId, entrant: &T::AccountId) {
		let best = T::Challenges::entrant_shares(challenge, entrant)
			.into_iter()
			.filter_map(|(member, _)| AuthorScores::<T>::iter_key_prefix((challenge, member)).next())
			.min();
		let place = best.and_then(|key| {
			let submission = rank_key_submission(&key);
			let score = PublicScores::<T>::get(submission)?;
			Some((key, BoardPlace { entrant: entrant.clone(), submission, score }))
		});
		Self::move_place(challenge, entrant, BoardKeys::<T>::get(challenge, entrant), place);
	}

	/// A challenge's kept public board, best first.
	pub(crate) fn public_board(challenge: ChallengeId, page: Page) -> Vec<LeaderboardEntry<T::AccountId>> {
		ranked_page(PublicBoards::<T>::iter_prefix_values((challenge,)), page)
	}

	/// Where `entrant` stands on a challenge's public board (O(rank)), and the board's size.
	pub(crate) fn public_placement(
		challenge: ChallengeId,
		entrant: &T::AccountId,
	) -> Option<(LeaderboardEntry<T::AccountId>, u32)> {
		let key = BoardKeys::<T>::get(challenge, entrant)?;
		let place = PublicBoards::<T>::get((challenge, key))?;
		let ahead = PublicBoards::<T>::iter_key_prefix((challenge,)).take_while(|other| *other < key).count();
		let rank = u32::try_from(ahead).unwrap_or(u32::MAX).saturating_add(1);
		let entry = LeaderboardEntry { rank, submission: place.submission, author: place.entrant, score: place.score };
		Some((entry, BoardSizes::<T>::get(challenge)))
	}

	/// The public board computed from every submission's shown score (for `try_state` and the
	/// migration's check): each entrant's best, ranked.
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	pub(crate) fn computed_public_board(challenge: ChallengeId) -> Vec<BoardPlace<T::AccountId>> {
		let Some(summary) = T::Challenges::challenge(challenge) else { return Vec::new() };
		let higher = summary.metric.higher_is_better();
		let mut best: alloc::collections::BTreeMap<T::AccountId, (RankKey, SubmissionId, Score)> = Default::default();
		for (submission, entrant, content) in T::Challenges::ranking_entries(challenge) {
			if content.revealed().is_none() {
				continue;
			}
			let Some(score) = PublicScores::<T>::get(submission) else { continue };
			let key = rank_key(higher, score, submission);
			let slot = best.entry(entrant).or_insert((key, submission, score));
			if key < slot.0 {
				*slot = (key, submission, score);
			}
		}
		let mut board: Vec<(RankKey, BoardPlace<T::AccountId>)> = best
			.into_iter()
			.map(|(entrant, (key, submission, score))| (key, BoardPlace { entrant, submission, score }))
			.collect();
		board.sort_by(|a, b| a.0.cmp(&b.0));
		board.into_iter().map(|(_, place)| place).collect()
	}

	/// Invariants of the kept boards: each board equals the board computed from the shown
	/// scores, its keys, places and size agree, and each shown score is the final public score
	/// (on a Ladder board, rounded to the step) of a submission that holds its digest, filed under
	/// its author; every final public score of a full board is shown.
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	pub(crate) fn boards_try_state() -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
		use frame_support::ensure;
		use merit_primitives::Outcome;
		let mut challenges: alloc::collections::BTreeSet<ChallengeId> = BoardSizes::<T>::iter_keys().collect();
		for (submission, shown) in PublicScores::<T>::iter() {
			let record = T::Challenges::submission(submission).ok_or("a shown score of an unknown submission")?;
			ensure!(record.content.revealed().is_some(), "a shown score of a submission that lost its digest");
			let summary = T::Challenges::challenge(record.challenge).ok_or("a shown score of an unknown challenge")?;
			let key = rank_key(summary.metric.higher_is_better(), shown, submission);
			ensure!(
				AuthorScores::<T>::contains_key((record.challenge, &record.author, key)),
				"a shown score not filed under its author"
			);
			let Some(Outcome::Scored(score)) = Self::final_outcome(submission, Subset::Public) else {
				return Err("a shown score without a final public score".into());
			};
			let expected = T::PublicBoard::ladder_step(record.challenge).map_or(score, |step| score.rounded_to(step));
			ensure!(expected == shown, "a shown score differs from its final public score");
			challenges.insert(record.challenge);
		}
		for (challenge, author, key) in AuthorScores::<T>::iter_keys() {
			let submission = rank_key_submission(&key);
			ensure!(
				T::Challenges::submission(submission).is_some_and(|r| r.author == author && r.challenge == challenge),
				"an author's score filed under another author or challenge"
			);
			ensure!(PublicScores::<T>::contains_key(submission), "an author's filed score that is not shown");
		}
		for (submission, subset, done) in FinalOutcomes::<T>::iter() {
			let (Subset::Public, Outcome::Scored(_)) = (subset, done.outcome) else { continue };
			let Some(record) = T::Challenges::submission(submission) else { continue };
			if record.content.revealed().is_some() && T::PublicBoard::ladder_step(record.challenge).is_none() {
				ensure!(PublicScores::<T>::contains_key(submission), "a final public score missing from its board");
			}
		}
		for challenge in challenges {
			let kept: Vec<(RankKey, BoardPlace<T::AccountId>)> = PublicBoards::<T>::iter_prefix((challenge,)).collect();
			for (key, place) in kept.iter() {
				ensure!(
					BoardKeys::<T>::get(challenge, &place.entrant) == Some(*key),
					"a board entry its entrant's key does not point to"
				);
			}
			ensure!(
				BoardKeys::<T>::iter_prefix(challenge).count() == kept.len(),
				"a board's keys and entries differ in number"
			);
			ensure!(BoardSizes::<T>::get(challenge) as usize == kept.len(), "a board's size is wrong");
			let places: Vec<BoardPlace<T::AccountId>> = kept.into_iter().map(|(_, place)| place).collect();
			ensure!(
				places == Self::computed_public_board(challenge),
				"a kept board differs from its submissions' scores"
			);
		}
		Ok(())
	}
}

impl<T: Config> BoardKeeper<T::AccountId> for Pallet<T> {
	fn superseded(challenge: ChallengeId, submission: SubmissionId, author: &T::AccountId) {
		let Some(shown) = PublicScores::<T>::take(submission) else { return };
		let Some(summary) = T::Challenges::challenge(challenge) else { return };
		let key = rank_key(summary.metric.higher_is_better(), shown, submission);
		AuthorScores::<T>::remove((challenge, author, key));
		let entrant = T::Challenges::entrant(challenge, author);
		if BoardKeys::<T>::get(challenge, &entrant) == Some(key) {
			Self::refresh_place(challenge, &entrant);
		}
	}

	fn entrants_merged(challenge: ChallengeId, from: &T::AccountId, into: &T::AccountId) {
		let Some(from_key) = BoardKeys::<T>::get(challenge, from) else { return };
		let Some(place) = PublicBoards::<T>::get((challenge, from_key)) else { return };
		Self::move_place(challenge, from, Some(from_key), None);
		let into_key = BoardKeys::<T>::get(challenge, into);
		if into_key.is_none_or(|into_key| from_key < into_key) {
			Self::move_place(
				challenge,
				into,
				into_key,
				Some((from_key, BoardPlace { entrant: into.clone(), ..place })),
			);
		}
	}

	fn superseded_weight() -> Weight {
		<T as Config>::WeightInfo::superseded(T::Challenges::max_team_size())
	}

	fn merge_weight() -> Weight {
		<T as Config>::WeightInfo::entrants_merged()
	}
}

/// A page of a kept board's places (read best first), ranked from the page's offset.
pub(crate) fn ranked_page<AccountId>(
	places: impl Iterator<Item = BoardPlace<AccountId>>,
	page: Page,
) -> Vec<LeaderboardEntry<AccountId>> {
	places
		.skip(page.offset as usize)
		.take(page.limit as usize)
		.zip(page.offset.saturating_add(1)..)
		.map(|(place, rank)| LeaderboardEntry {
			rank,
			submission: place.submission,
			author: place.entrant,
			score: place.score,
		})
		.collect()
}
