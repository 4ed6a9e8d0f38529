//! Drawing panels of evaluators at random.
use crate::{pallet::*, DrawFor, Panel, WeightInfo};
use alloc::vec::Vec;
use codec::Encode;
use frame_support::{
	traits::{Get, Randomness},
	weights::Weight,
	BoundedVec,
};
use frame_system::pallet_prelude::BlockNumberFor;
use merit_primitives::{ChallengeId, ChallengeInspect, OnChallengeCreated};
use polkadot_sdk::{frame_support, frame_system, sp_core::H256, sp_io, sp_runtime};
use sp_runtime::{
	traits::{Hash, Saturating, Zero},
	DispatchResult,
};

/// How many later blocks a draw may be pushed to when its block is full.
const DRAW_SLOTS_TRIED: u32 = 16;

/// Randomness for a chain without a VRF (Aura): the hash of the parent block mixed with the
/// subject. A draw made at block `n` uses block `n - 1`, which its author built; see the crate
/// documentation for that author's bias and why Merit accepts it.
pub struct ParentBlockRandomness<T>(core::marker::PhantomData<T>);

impl<T: frame_system::Config> Randomness<T::Hash, BlockNumberFor<T>> for ParentBlockRandomness<T> {
	fn random(subject: &[u8]) -> (T::Hash, BlockNumberFor<T>) {
		let parent = frame_system::Pallet::<T>::parent_hash();
		let known_since = frame_system::Pallet::<T>::block_number().saturating_sub(1u32.into());
		(T::Hashing::hash_of(&(parent, subject)), known_since)
	}
}

/// What one draw found.
pub(crate) enum DrawResult {
	/// The panel was stored.
	Drawn,
	/// Too few eligible evaluators: try again later.
	TooFew { eligible: u32, needed: u32 },
	/// The challenge or dispute is gone: nothing to draw.
	Gone,
}

impl<T: Config> Pallet<T> {
	/// Schedules a draw `DrawDelay` blocks from now, or in the first later block with room.
	pub(crate) fn schedule_draw(draw: DrawFor, now: BlockNumberFor<T>) -> Result<BlockNumberFor<T>, Error<T>> {
		let first = now.saturating_add(T::DrawDelay::get());
		for offset in 0..DRAW_SLOTS_TRIED {
			let at = first.saturating_add(offset.into());
			if DrawsDue::<T>::try_mutate(at, |due| due.try_push(draw)).is_ok() {
				return Ok(at);
			}
		}
		Err(Error::<T>::TooManyDraws)
	}

	/// Makes the draws due at `now`; returns their weight.
	pub(crate) fn draw_due(now: BlockNumberFor<T>) -> Weight {
		let due = DrawsDue::<T>::take(now);
		let mut weight = T::DbWeight::get().reads_writes(1, 1);
		for draw in due {
			weight = weight.saturating_add(<T as Config>::WeightInfo::draw_panel(T::MaxEvaluators::get()));
			match Self::draw(draw, now) {
				DrawResult::Drawn | DrawResult::Gone => {}
				DrawResult::TooFew { eligible, needed } => match Self::schedule_draw(draw, now) {
					Ok(retry_at) => Self::deposit_event(Event::DrawPostponed { draw, eligible, needed, retry_at }),
					Err(_) => log::warn!(target: crate::LOG_TARGET, "no room to retry the draw {draw:?}"),
				},
			}
		}
		weight
	}

	/// Draws the panel for a challenge or a dispute from the evaluators eligible now.
	pub(crate) fn draw(draw: DrawFor, now: BlockNumberFor<T>) -> DrawResult {
		let (quorum, excluded) = match draw {
			DrawFor::Challenge(id) => {
				let Some(challenge) = T::Challenges::challenge(id) else { return DrawResult::Gone };
				if !challenge.state.is_live() {
					return DrawResult::Gone;
				}
				(challenge.quorum, alloc::vec![challenge.owner])
			}
			DrawFor::Dispute(submission) => {
				let Some(dispute) = Disputes::<T>::get(submission) else { return DrawResult::Gone };
				let Some(record) = T::Challenges::submission(submission) else { return DrawResult::Gone };
				let Some(challenge) = T::Challenges::challenge(record.challenge) else { return DrawResult::Gone };
				let mut excluded = Self::stakeholders(record.challenge, &record.author, &record.entrant);
				excluded.extend([dispute.disputer.clone(), challenge.owner]);
				if let Some(disputed) = FinalOutcomes::<T>::get(submission, merit_metrics::Subset::Private) {
					excluded.extend(disputed.agreeing);
				}
				(Self::dispute_quorum(challenge.quorum), excluded)
			}
		};
		// A recount scores from the revealed labels: it needs no labels key.
		let eligible = Self::eligible_for(now, &excluded, matches!(draw, DrawFor::Challenge(_)));
		let needed = quorum;
		if (eligible.len() as u32) < needed {
			return DrawResult::TooFew { eligible: eligible.len() as u32, needed };
		}
		let size = Self::panel_size(quorum).min(eligible.len() as u32);
		let (seed, _) = T::Randomness::random(&(b"merit::draw", draw).encode());
		let seed = H256::from_slice(seed.as_ref().get(..32).unwrap_or(&[0u8; 32]));
		let members = shuffle_prefix(eligible, seed, size);
		let Ok(members) = BoundedVec::try_from(members) else { return DrawResult::Gone };
		let panel = Panel { members: members.clone(), quorum, drawn_at: now, seed };
		match draw {
			DrawFor::Challenge(id) => Panels::<T>::insert(id, panel),
			DrawFor::Dispute(submission) => Disputes::<T>::mutate(submission, |dispute| {
				if let Some(dispute) = dispute {
					dispute.panel = Some(panel);
				}
			}),
		}
		Self::deposit_event(Event::PanelDrawn { draw, members: members.into_inner(), quorum, seed });
		DrawResult::Drawn
	}

	/// A panel's size for a quorum: the quorum plus `PanelSpares`, fewer than `2 · quorum` so two
	/// outcomes can never both reach the quorum, and at most `MaxPanelSize`.
	pub fn panel_size(quorum: u32) -> u32 {
		quorum.saturating_add(T::PanelSpares::get().min(quorum.saturating_sub(1))).min(T::MaxPanelSize::get())
	}

	/// The quorum of a dispute's recount: one more than the disputed quorum.
	pub fn dispute_quorum(quorum: u32) -> u32 {
		quorum.saturating_add(1).min(T::MaxPanelSize::get())
	}

	/// Evaluators that may be drawn now, in account order: past their warm-up (genesis evaluators,
	/// registered at block 0, have none), bonded at least `MinEvaluatorBond`, not leaving, with a
	/// labels key (so the owner can seal the public labels to them) and not `excluded`.
	pub fn eligible(now: BlockNumberFor<T>, excluded: &[T::AccountId]) -> Vec<T::AccountId> {
		Self::eligible_for(now, excluded, true)
	}

	/// [`Pallet::eligible`], with the labels key required only if `needs_labels_key`.
	pub fn eligible_for(
		now: BlockNumberFor<T>,
		excluded: &[T::AccountId],
		needs_labels_key: bool,
	) -> Vec<T::AccountId> {
		let warm_up = T::WarmUpPeriod::get();
		let min_bond = T::MinEvaluatorBond::get();
		let mut eligible: Vec<T::AccountId> = Evaluators::<T>::iter()
			.filter(|(who, info)| {
				info.leaving_until.is_none()
					&& (info.registered_at.is_zero() || info.registered_at.saturating_add(warm_up) <= now)
					&& info.bond >= min_bond
					&& !excluded.contains(who)
					// Read for every draw, so one benchmark (a dispute's) covers both kinds.
					&& (LabelsKeys::<T>::contains_key(who) || !needs_labels_key)
			})
			.map(|(who, _)| who)
			.collect();
		eligible.sort();
		eligible
	}
}

/// The first `size` of `candidates` after a Fisher–Yates shuffle driven by `seed`: every subset of
/// that size is equally likely, and anyone can replay it from the seed.
pub fn shuffle_prefix<A>(mut candidates: Vec<A>, seed: H256, size: u32) -> Vec<A> {
	let n = candidates.len();
	let size = (size as usize).min(n);
	for i in 0..size {
		let word = sp_io::hashing::blake2_256(&(seed, i as u32).encode());
		let draw = u64::from_le_bytes([word[0], word[1], word[2], word[3], word[4], word[5], word[6], word[7]]);
		let j = i + (draw % (n - i) as u64) as usize;
		candidates.swap(i, j);
	}
	candidates.truncate(size);
	candidates
}

impl<T: Config> OnChallengeCreated<T::AccountId> for Pallet<T> {
	fn on_challenge_created(challenge: ChallengeId, _owner: &T::AccountId, _quorum: u32) -> DispatchResult {
		let now = frame_system::Pallet::<T>::block_number();
		Self::schedule_draw(DrawFor::Challenge(challenge), now)?;
		Ok(())
	}

	fn weight() -> Weight {
		<T as Config>::WeightInfo::schedule_draw()
	}
}
