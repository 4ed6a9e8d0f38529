//! Final outcomes, leaderboards, slashing and the pallet's invariants.
use crate::{
	pallet::*, weights::WeightInfo, BalanceOf, EvaluationStats, Evaluator, FinalOutcome, FinalSelection,
	LeaderboardEntry, Outcome, Stage,
};
use alloc::{
	collections::{
		btree_map::{BTreeMap, Entry},
		btree_set::BTreeSet,
	},
	vec::Vec,
};
use frame_support::{
	ensure,
	traits::{
		fungible::{BalancedHold, InspectHold, MutateHold},
		tokens::{imbalance::Imbalance, Precision},
		Get,
	},
};
use merit_metrics::{Score, Subset};
use merit_primitives::{
	ArtifactRegistry, ChallengeId, ChallengeInspect, LeaderboardPage, OutcomeInspect, Page, SubmissionId,
};
use polkadot_sdk::{frame_support, sp_runtime};
use sp_runtime::{traits::Saturating, DispatchError, Perbill};

impl<T: Config> Pallet<T> {
	/// The leaderboard of a challenge's public or private subset: each entrant's (an author, or
	/// a team under its account) best final score (ties between its own submissions: the
	/// earlier), sorted best first by the metric's direction, ties broken by the earlier
	/// submission (lower id). The public board is kept in storage as scores become final
	/// ([`crate::boards`]; a Ladder board shows only the rounded scores the Ladder released). On
	/// the private subset only each entrant's final selections count (see
	/// [`Self::final_selections`]). Failed submissions, superseded duplicates and those without a
	/// final score are not listed.
	pub fn leaderboard(challenge: ChallengeId, subset: Subset) -> Vec<LeaderboardEntry<T::AccountId>> {
		match subset {
			Subset::Public => Self::public_board(challenge, Page::ALL),
			_ if Self::prize_board_counted(challenge) => Self::private_board(challenge, Page::ALL),
			_ => Self::computed_private_board(challenge),
		}
	}

	/// One page of [`Self::leaderboard`], and the whole board's length. A public page reads
	/// `offset + limit` entries of the kept board, whatever its size.
	pub fn leaderboard_page(challenge: ChallengeId, subset: Subset, page: Page) -> LeaderboardPage<T::AccountId> {
		if subset == Subset::Public {
			return LeaderboardPage {
				total: BoardSizes::<T>::get(challenge),
				entries: Self::public_board(challenge, page),
			};
		}
		if Self::prize_board_counted(challenge) {
			return LeaderboardPage {
				total: PrivateBoardSizes::<T>::get(challenge),
				entries: Self::private_board(challenge, page),
			};
		}
		let board = Self::leaderboard(challenge, subset);
		LeaderboardPage { total: u32::try_from(board.len()).unwrap_or(u32::MAX), entries: page.window(board).collect() }
	}

	/// Where `entrant` stands on a challenge's board, and the board's length.
	pub fn placement(
		challenge: ChallengeId,
		subset: Subset,
		entrant: &T::AccountId,
	) -> Option<(LeaderboardEntry<T::AccountId>, u32)> {
		if subset == Subset::Public {
			return Self::public_placement(challenge, entrant);
		}
		if Self::prize_board_counted(challenge) {
			return Self::private_placement(challenge, entrant);
		}
		let board = Self::leaderboard(challenge, subset);
		let of = u32::try_from(board.len()).unwrap_or(u32::MAX);
		board.into_iter().find(|entry| entry.author == *entrant).map(|entry| (entry, of))
	}

	/// The private board computed in one pass over the challenge's submissions (before its
	/// prizes are counted; and for `try_state`, to check a count). It reads each submission's
	/// record once, the marks once per entrant that marked, and only the final outcomes the
	/// ranking needs (the public one only for entrants whose default selection it decides); each
	/// entrant's best is then found in O(log a), so ranking s submissions of a entrants is
	/// O(s log s) with at most three reads per submission.
	pub(crate) fn computed_private_board(challenge: ChallengeId) -> Vec<LeaderboardEntry<T::AccountId>> {
		let Some(record) = T::Challenges::challenge(challenge) else { return Vec::new() };
		let metric = record.metric;
		let selecting = record.final_selections > 0;
		let marks: BTreeMap<T::AccountId, Vec<SubmissionId>> =
			if selecting { T::Challenges::final_selections(challenge).into_iter().collect() } else { BTreeMap::new() };
		let rows = Self::ranking_rows(challenge, |entrant| selecting && !marks.contains_key(entrant), true);
		let counted: Option<BTreeSet<SubmissionId>> = selecting.then(|| {
			Self::selections_of(metric, record.final_selections, &rows, &marks)
				.into_iter()
				.flat_map(|selection| selection.submissions)
				.collect()
		});
		let scored: Vec<(SubmissionId, T::AccountId, Score)> = rows
			.into_iter()
			.filter(|row| counted.as_ref().is_none_or(|counted| counted.contains(&row.submission)))
			.filter_map(|row| row.private.map(|score| (row.submission, row.entrant, score)))
			.collect();
		// Submissions are in order of arrival, so the first best of an entrant is its earliest.
		let mut best_of: BTreeMap<T::AccountId, (SubmissionId, Score)> = BTreeMap::new();
		for (submission, author, score) in scored {
			match best_of.entry(author) {
				Entry::Occupied(mut entry) => {
					if metric.is_better(score, entry.get().1) {
						entry.insert((submission, score));
					}
				}
				Entry::Vacant(entry) => {
					entry.insert((submission, score));
				}
			}
		}
		let mut best: Vec<(SubmissionId, T::AccountId, Score)> =
			best_of.into_iter().map(|(author, (submission, score))| (submission, author, score)).collect();
		best.sort_by(|a, b| Self::rank_order(metric, (a.2, a.0), (b.2, b.0)));
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

	/// Each entrant's submissions that count on a challenge's private board, entrants in account
	/// order: those the entrant (any member of a team) marked, or by default the
	/// `final_selections` with the best final public scores (ties: the earlier), then, if fewer
	/// have one, the latest of the rest — as Kaggle selects for a team that chose none. Empty for
	/// a challenge without final selections (every submission counts). Superseded duplicates
	/// never count.
	///
	/// The default looks only at public scores, which every participant saw before the close;
	/// marks can only be made while the challenge is open, so neither can follow the hidden rows.
	pub fn final_selections(challenge: ChallengeId) -> Vec<FinalSelection<T::AccountId>> {
		let Some(record) = T::Challenges::challenge(challenge) else { return Vec::new() };
		if record.final_selections == 0 {
			return Vec::new();
		}
		let marks: BTreeMap<T::AccountId, Vec<SubmissionId>> =
			T::Challenges::final_selections(challenge).into_iter().collect();
		let rows = Self::ranking_rows(challenge, |entrant| !marks.contains_key(entrant), false);
		Self::selections_of(record.metric, record.final_selections, &rows, &marks)
	}

	/// Every submission of a challenge that is not a superseded duplicate, in order of arrival,
	/// with its entrant and, when revealed, its final public score (for the entrants `public`
	/// picks) and private outcome (if `private`).
	fn ranking_rows(
		challenge: ChallengeId,
		public: impl Fn(&T::AccountId) -> bool,
		private: bool,
	) -> Vec<RankingRow<T::AccountId>> {
		T::Challenges::ranking_entries(challenge)
			.into_iter()
			.filter_map(|(submission, entrant, content)| {
				let revealed = content.revealed().is_some();
				if !revealed && content.digest().is_some() {
					return None;
				}
				let public = match revealed && public(&entrant) {
					true => match FinalOutcomes::<T>::get(submission, Subset::Public) {
						Some(FinalOutcome { outcome: Outcome::Scored(score), .. }) => Some(score),
						_ => None,
					},
					false => None,
				};
				let private_outcome =
					if revealed && private { FinalOutcomes::<T>::get(submission, Subset::Private) } else { None };
				Some(RankingRow {
					submission,
					entrant,
					revealed,
					public,
					private: match private_outcome {
						Some(FinalOutcome { outcome: Outcome::Scored(score), .. }) => Some(score),
						_ => None,
					},
				})
			})
			.collect()
	}

	/// The final selections computed from a challenge's rows (with the public scores of the
	/// entrants that marked nothing) and its marks.
	fn selections_of(
		metric: merit_metrics::Metric,
		limit: u32,
		rows: &[RankingRow<T::AccountId>],
		marks: &BTreeMap<T::AccountId, Vec<SubmissionId>>,
	) -> Vec<FinalSelection<T::AccountId>> {
		let limit = limit as usize;
		let mut by_entrant: BTreeMap<T::AccountId, Vec<&RankingRow<T::AccountId>>> = BTreeMap::new();
		for row in rows {
			by_entrant.entry(row.entrant.clone()).or_default().push(row);
		}
		by_entrant
			.into_iter()
			.map(|(author, own)| {
				if let Some(marked) = marks.get(&author) {
					let mut counted: Vec<SubmissionId> =
						marked.iter().copied().filter(|id| own.iter().any(|row| row.submission == *id)).collect();
					counted.sort_unstable();
					return FinalSelection { author, submissions: counted, marked: true };
				}
				let mut public: Vec<(Score, SubmissionId)> = Vec::new();
				let mut unscored: Vec<SubmissionId> = Vec::new();
				for row in own.iter().filter(|row| row.revealed) {
					match row.public {
						Some(score) => public.push((score, row.submission)),
						None => unscored.push(row.submission),
					}
				}
				public.sort_by(|a, b| Self::rank_order(metric, (a.0, a.1), (b.0, b.1)));
				let mut counted: Vec<SubmissionId> = public.into_iter().map(|(_, id)| id).take(limit).collect();
				counted.extend(unscored.into_iter().rev().take(limit.saturating_sub(counted.len())));
				counted.sort_unstable();
				FinalSelection { author, submissions: counted, marked: false }
			})
			.collect()
	}

	/// Better score first; equal scores: the earlier submission first.
	fn rank_order(
		metric: merit_metrics::Metric,
		a: (Score, SubmissionId),
		b: (Score, SubmissionId),
	) -> core::cmp::Ordering {
		if metric.is_better(a.0, b.0) {
			core::cmp::Ordering::Less
		} else if metric.is_better(b.0, a.0) {
			core::cmp::Ordering::Greater
		} else {
			a.1.cmp(&b.1)
		}
	}

	/// The final outcome of a submission's subset, if a quorum agreed.
	pub fn final_outcome(submission: SubmissionId, subset: Subset) -> Option<Outcome> {
		FinalOutcomes::<T>::get(submission, subset).map(|f| f.outcome)
	}

	/// The revealed reports of the current round on a submission's subset (for the private
	/// subset, a recount's while a dispute is open).
	pub fn reports(submission: SubmissionId, subset: Subset) -> Vec<(T::AccountId, Outcome)> {
		let stage = match subset {
			Subset::Public => Stage::Public,
			_ if Jobs::<T>::contains_key(submission, Stage::Dispute) => Stage::Dispute,
			_ => Stage::Private,
		};
		Jobs::<T>::get(submission, stage).map(|job| job.reveals.into_inner()).unwrap_or_default()
	}

	/// Releases what is left of an evaluator's bond and removes it and its key.
	pub(crate) fn forget(who: &T::AccountId, info: &Evaluator<T>) -> Result<BalanceOf<T>, DispatchError> {
		let released =
			<T as Config>::Currency::release(&HoldReason::EvaluatorBond.into(), who, info.bond, Precision::BestEffort)?;
		EvaluatorKeys::<T>::remove(&info.key);
		LabelsKeys::<T>::remove(who);
		Evaluators::<T>::remove(who);
		EvaluatorCount::<T>::mutate(|n| *n = n.saturating_sub(1));
		Ok(released)
	}

	/// Takes `fraction` of an evaluator's current bond (nothing if it has already withdrawn) and
	/// records a disagreement; the caller decides where the credit goes.
	pub(crate) fn slash(evaluator: &T::AccountId, fraction: Perbill) -> CreditOf<T> {
		Evaluators::<T>::mutate(evaluator, |info| {
			let Some(info) = info else { return CreditOf::<T>::zero() };
			let amount = fraction.mul_floor(info.bond);
			let (credit, _missing) = <<T as Config>::Currency as BalancedHold<T::AccountId>>::slash(
				&HoldReason::EvaluatorBond.into(),
				evaluator,
				amount,
			);
			info.bond = info.bond.saturating_sub(credit.peek());
			info.disagreements = info.disagreements.saturating_add(1);
			EvaluationRecords::<T>::mutate(evaluator, |stats| stats.disagreed = stats.disagreed.saturating_add(1));
			credit
		})
	}

	/// Invariants: each evaluator's held bond equals its recorded bond and each disputer's held
	/// bond equals its open disputes' bonds; keys and evaluators map to each other; the count
	/// matches and stays within `MaxEvaluators`; in every round an evaluator commits or abstains
	/// once, reveals at most once and only what it committed, and belongs to the panel; a final
	/// outcome's quorum is made of distinct evaluators; a drawn panel has distinct members; labels
	/// keys belong to evaluators; labels are sealed only to a challenge's panel, once per member.
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
		let bonds = Self::dispute_bonds();
		for (who, bond) in bonds.iter() {
			ensure!(
				<T as Config>::Currency::balance_on_hold(&HoldReason::DisputeBond.into(), who) == *bond,
				"a disputer's held bond differs from its open disputes"
			);
		}
		let mut open: BTreeMap<ChallengeId, u32> = BTreeMap::new();
		for (submission, dispute) in Disputes::<T>::iter() {
			ensure!(
				T::Challenges::submission(submission).map(|s| s.challenge) == Some(dispute.challenge),
				"a dispute names another challenge than its submission's"
			);
			*open.entry(dispute.challenge).or_default() += 1;
		}
		for (challenge, exposure) in ChallengeExposure::<T>::iter() {
			ensure!(
				exposure.open_disputes == open.remove(&challenge).unwrap_or(0),
				"a challenge's open-dispute count differs from its disputes"
			);
		}
		ensure!(open.is_empty(), "open disputes not counted in their challenge's exposure");
		for (_, panel) in Panels::<T>::iter() {
			ensure!(distinct(&panel.members), "a panel draws an evaluator twice");
			ensure!(panel.members.len() as u32 <= T::MaxPanelSize::get(), "a panel is larger than MaxPanelSize");
		}
		for (submission, stage, job) in Jobs::<T>::iter() {
			let actors: Vec<&T::AccountId> =
				job.commits.iter().map(|(e, _)| e).chain(job.abstentions.iter().map(|(e, _)| e)).collect();
			ensure!(distinct(&actors), "an evaluator acted twice in a round");
			let revealers: Vec<&T::AccountId> = job.reveals.iter().map(|(e, _)| e).collect();
			ensure!(distinct(&revealers), "an evaluator revealed twice in a round");
			ensure!(
				revealers.iter().all(|r| job.commits.iter().any(|(c, _)| c == *r)),
				"a reveal without a commitment"
			);
			let panel = match stage {
				Stage::Dispute => Disputes::<T>::get(submission).and_then(|d| d.panel),
				_ => T::Challenges::submission(submission).and_then(|s| Panels::<T>::get(s.challenge)),
			};
			if let Some(panel) = panel {
				ensure!(actors.iter().all(|a| panel.members.contains(*a)), "a report from outside the panel");
			} else {
				ensure!(actors.is_empty(), "reports on a job without a panel");
			}
		}
		for (who, _) in LabelsKeys::<T>::iter() {
			ensure!(Evaluators::<T>::contains_key(&who), "a labels key of a missing evaluator");
		}
		for (challenge, delivery) in LabelsDeliveries::<T>::iter() {
			let panel = Panels::<T>::get(challenge).ok_or("labels delivered to a challenge without a panel")?;
			let addressed: Vec<&T::AccountId> = delivery.envelopes.iter().map(|(m, _)| m).collect();
			ensure!(distinct(&addressed), "labels sealed twice to one evaluator");
			ensure!(addressed.iter().all(|m| panel.members.contains(*m)), "labels sealed to a non-member");
			ensure!(
				T::Artifacts::location(&delivery.sealed.ciphertext).is_some(),
				"delivered labels whose ciphertext is no longer registered"
			);
		}
		for (_, _, done) in FinalOutcomes::<T>::iter() {
			ensure!(distinct(&done.agreeing), "a quorum counts an evaluator twice");
		}
		Self::boards_try_state()?;
		Self::prizes_try_state()
	}
}

#[cfg(any(feature = "try-runtime", feature = "std", test))]
fn distinct<A: PartialEq>(items: &[A]) -> bool {
	items.iter().enumerate().all(|(i, a)| !items[..i].contains(a))
}

impl<T: Config> OutcomeInspect<T::AccountId> for Pallet<T> {
	fn final_outcome(submission: SubmissionId, subset: Subset) -> Option<Outcome> {
		Self::final_outcome(submission, subset)
	}

	fn leaderboard(challenge: ChallengeId, subset: Subset) -> Vec<LeaderboardEntry<T::AccountId>> {
		Self::leaderboard(challenge, subset)
	}

	fn count_prize_board(
		challenge: ChallengeId,
		complete: bool,
		max: u32,
	) -> Result<(merit_primitives::PrizeProgress, frame_support::weights::Weight), ()> {
		Self::do_count_prize_board(challenge, complete, max)
	}

	fn count_prize_board_weight(max: u32) -> frame_support::weights::Weight {
		<T as Config>::WeightInfo::count_submissions(max).saturating_add(<T as Config>::WeightInfo::rank_entrants(max))
	}

	fn prize_winners(challenge: ChallengeId, n: u32) -> Vec<LeaderboardEntry<T::AccountId>> {
		Self::prize_winners(challenge, n)
	}

	fn placement(
		challenge: ChallengeId,
		subset: Subset,
		entrant: &T::AccountId,
	) -> Option<(LeaderboardEntry<T::AccountId>, u32)> {
		Self::placement(challenge, subset, entrant)
	}

	fn evaluation_stats(evaluator: &T::AccountId) -> EvaluationStats {
		EvaluationRecords::<T>::get(evaluator)
	}

	fn disputes_open(challenge: ChallengeId) -> bool {
		Self::challenge_disputable(challenge)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn set_final_outcome_for_benchmark(submission: SubmissionId, subset: Subset, outcome: Outcome) {
		// Final long enough ago that its dispute window is closed: the prizes may be paid.
		let finalized_at =
			polkadot_sdk::frame_system::Pallet::<T>::block_number().saturating_sub(<T as Config>::DisputeWindow::get());
		if subset == Subset::Private && !FinalOutcomes::<T>::contains_key(submission, subset) {
			if let Some(record) = T::Challenges::submission(submission) {
				PrivateFinals::<T>::mutate(record.challenge, |n| *n = n.saturating_add(1));
			}
		}
		FinalOutcomes::<T>::insert(
			submission,
			subset,
			FinalOutcome { outcome, finalized_at, agreeing: Default::default(), penalized: Default::default() },
		);
		if let (Subset::Public, Outcome::Scored(score), Some(record)) =
			(subset, outcome, T::Challenges::submission(submission))
		{
			Self::show_public_score(record.challenge, submission, &record.author, score);
		}
	}
}

/// One submission as the rankings read it.
struct RankingRow<AccountId> {
	submission: SubmissionId,
	entrant: AccountId,
	revealed: bool,
	public: Option<Score>,
	private: Option<Score>,
}
