//! Crowdsourced labelling: the consensus, skill and retirement arithmetic of Zooniverse-style
//! campaigns, in deterministic fixed point, shared by the campaigns pallet, the client and the tests.
//!
//! Probabilities are [`Prob`]: parts of [`ONE`] = 10^18, so SWAP's 2·10^-8 floor and 10^-7 rejection
//! threshold keep ten significant digits. Every division rounds down; `tests/campaigns_reference.rs`
//! checks each formula against an exact rational Python implementation of the published equations
//! (`primitives/core/tests/campaigns_reference.py`).
//!
//! - **SWAP** (Marshall et al. 2016, Space Warps), for two answers: a volunteer's skill is
//!   `(P_L, P_D)` = P(says L | L), P(says N | N), starting at ½ with pseudo-counts `2 + skepticism`
//!   and moved by each gold subject; a subject's probability of being L starts at the prior and is
//!   updated by Bayes' rule with the classifier's skill from before its own update.
//! - **Multi-class SWAP** with Gravity Spy's confusion matrices (Zevin et al. 2017), for K
//!   answers: a volunteer's confusion matrix comes from gold subjects (counts, one pseudo-count in
//!   every cell, so a newcomer's likelihoods are uniform and its vote carries no information); a
//!   subject's posterior starts at a prior (uniform, or a model's predicted probabilities) and each
//!   vote applies Bayes' rule, p_i ← P(said | truth = i)·p_i / Σ_j P(said | truth = j)·p_j, with
//!   P(said | truth) from the voter's row-normalised matrix.
//! - **Consensus** (Caesar): retire when at least `min_votes` and the top answer's share reaches the
//!   agreement; **fixed count** (Panoptes' default 15).

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// A probability in parts of [`ONE`].
pub type Prob = u64;

/// 1.0 as a [`Prob`].
pub const ONE: Prob = 1_000_000_000_000_000_000;

/// An answer to a campaign's one single-choice task: 0 .. answers.
pub type Answer = u8;

/// The most answers a task may have.
pub const MAX_ANSWERS: usize = 10;

/// A subject's index within its campaign.
pub type SubjectIndex = u32;

/// A campaign's id.
pub type CampaignId = u32;

/// `a·b / c` rounded down, exactly (256-bit intermediate); 0 when `c` is 0.
fn mul_div(a: u128, b: u128, c: u128) -> u128 {
	use polkadot_sdk::sp_runtime::{helpers_128bit::multiply_by_rational_with_rounding, Rounding};
	multiply_by_rational_with_rounding(a, b, c, Rounding::Down).unwrap_or(0)
}

/// Clamps `p` to `[low, high]`.
fn clamp(p: u128, low: Prob, high: Prob) -> Prob {
	p.clamp(low as u128, high as u128) as Prob
}

/// How a subject leaves the pool of subjects still shown to volunteers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub enum RetirementRule {
	/// After this many counted classifications (Zooniverse's default: 15).
	FixedCount { count: u32 },
	/// When at least `min_votes` and the top answer's share is at least `agreement` (Caesar).
	Consensus { min_votes: u32, agreement: Prob },
	/// SWAP, two answers (0 = "not L", 1 = "L"): retire when P(L) ≥ `detect` or P(L) ≤ `reject`;
	/// every subject starts at `prior` unless the campaign gives model priors.
	Swap { prior: Prob, detect: Prob, reject: Prob },
	/// Multi-class SWAP with confusion matrices, K answers: retire when the top class's posterior
	/// exceeds `threshold` after at least `min_votes` votes.
	Posterior { threshold: Prob, min_votes: u32 },
}

/// Why a rule is unusable, named for the error a call returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleError {
	/// A count or vote minimum of zero, or a threshold outside (0, 1].
	OutOfRange,
	/// SWAP is defined for two answers only.
	SwapNeedsTwoAnswers,
	/// SWAP's thresholds must satisfy reject < prior < detect.
	SwapThresholdsDisordered,
}

impl RetirementRule {
	/// Checks the rule for a task of `answers` answers.
	pub fn check(&self, answers: u8) -> Result<(), RuleError> {
		match *self {
			Self::FixedCount { count } if count == 0 => Err(RuleError::OutOfRange),
			Self::FixedCount { .. } => Ok(()),
			Self::Consensus { min_votes, agreement } => {
				if min_votes == 0 || agreement == 0 || agreement > ONE {
					Err(RuleError::OutOfRange)
				} else {
					Ok(())
				}
			}
			Self::Swap { prior, detect, reject } => {
				if answers != 2 {
					return Err(RuleError::SwapNeedsTwoAnswers);
				}
				if detect > ONE || reject == 0 {
					return Err(RuleError::OutOfRange);
				}
				if !(reject < prior && prior < detect) {
					return Err(RuleError::SwapThresholdsDisordered);
				}
				Ok(())
			}
			Self::Posterior { threshold, min_votes } => {
				if min_votes == 0 || threshold == 0 || threshold > ONE {
					Err(RuleError::OutOfRange)
				} else {
					Ok(())
				}
			}
		}
	}

	/// Whether the rule needs volunteers' skill (so gold answers must be known to apply it).
	pub fn weighs_skill(&self) -> bool {
		matches!(self, Self::Swap { .. } | Self::Posterior { .. })
	}
}

/// SWAP's lower and upper bound on a volunteer's P_L and P_D.
pub const SWAP_SKILL_MIN: Prob = ONE / 100;
/// See [`SWAP_SKILL_MIN`].
pub const SWAP_SKILL_MAX: Prob = ONE - ONE / 100;
/// SWAP's floor (and 1 − ceiling) on a subject's probability.
pub const SWAP_FLOOR: Prob = 20_000_000_000;

/// A volunteer's SWAP skill: P(says L | L) and P(says N | N), each with its (pseudo-)count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct SwapSkill {
	pub p_l: Prob,
	pub p_d: Prob,
	pub n_l: u32,
	pub n_d: u32,
}

impl SwapSkill {
	/// A newcomer: ½ and ½, pseudo-counts `2 + skepticism`.
	pub fn new(skepticism: u32) -> Self {
		let n = 2u32.saturating_add(skepticism);
		Self { p_l: ONE / 2, p_d: ONE / 2, n_l: n, n_d: n }
	}

	/// Learns from one gold subject whose true answer is `truth_is_l` and to which the volunteer
	/// said `said_l`: P_X ← (P_X·N_X + [said X]) / (N_X + 1), N_X += 1, clipped to [0.01, 0.99].
	pub fn learn(&mut self, truth_is_l: bool, said_l: bool) {
		let (p, n) = if truth_is_l { (&mut self.p_l, &mut self.n_l) } else { (&mut self.p_d, &mut self.n_d) };
		let hit = if said_l == truth_is_l { ONE as u128 } else { 0 };
		let moved = ((*p as u128) * (*n as u128) + hit) / (*n as u128 + 1);
		*p = clamp(moved, SWAP_SKILL_MIN, SWAP_SKILL_MAX);
		*n = n.saturating_add(1);
	}

	/// Youden's J = P_L + P_D − 1, floored at 0: 0 for a random or contrary classifier (and a
	/// newcomer), 1 for a perfect one. The weight of the volunteer's rewards.
	pub fn weight(&self) -> Prob {
		(self.p_l as u128 + self.p_d as u128).saturating_sub(ONE as u128).min(ONE as u128) as Prob
	}
}

/// A subject's P(L) after one more classification by a volunteer of skill `skill` (its skill from
/// before this classification's own gold update), floored at [`SWAP_FLOOR`] and capped at
/// 1 − [`SWAP_FLOOR`].
///
/// said L: p ← P_L·p / (P_L·p + (1−P_D)(1−p)); said N: p ← (1−P_L)·p / ((1−P_L)·p + P_D·(1−p)).
pub fn swap_update(p: Prob, skill: &SwapSkill, said_l: bool) -> Prob {
	let one = ONE as u128;
	let (p, p_l, p_d) = (p as u128, skill.p_l as u128, skill.p_d as u128);
	// Both terms are products of two probabilities, so each is at most 10^36.
	let (yes, no) = if said_l { (p_l * p, (one - p_d) * (one - p)) } else { ((one - p_l) * p, p_d * (one - p)) };
	let total = yes + no;
	if total == 0 {
		return clamp(p, SWAP_FLOOR, ONE - SWAP_FLOOR);
	}
	// Exact: the quotient is at most ONE, so it fits whatever the operands.
	let posterior = mul_div(yes, one, total);
	clamp(posterior, SWAP_FLOOR, ONE - SWAP_FLOOR)
}

/// What a SWAP subject's probability says under `rule` (`Swap` only): `Some(answer)` once retired.
pub fn swap_verdict(p: Prob, detect: Prob, reject: Prob) -> Option<Answer> {
	if p >= detect {
		Some(1)
	} else if p <= reject {
		Some(0)
	} else {
		None
	}
}

/// A volunteer's K×K confusion counts from gold subjects: `counts[truth][said]`, each starting at
/// one pseudo-count.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct Confusion {
	pub answers: u8,
	/// Row-major, `answers × answers`.
	pub counts: Vec<u32>,
}

impl Confusion {
	/// A newcomer: one pseudo-count in every cell.
	pub fn new(answers: u8) -> Self {
		let k = answers as usize;
		Self { answers, counts: alloc::vec![1; k * k] }
	}

	fn k(&self) -> usize {
		self.answers as usize
	}

	/// Counts one gold classification.
	pub fn learn(&mut self, truth: Answer, said: Answer) {
		let k = self.k();
		if let Some(cell) = self.counts.get_mut(truth as usize * k + said as usize) {
			*cell = cell.saturating_add(1);
		}
	}

	/// Gold classifications of subjects whose truth is `truth` (pseudo-counts excluded).
	pub fn gold_seen(&self, truth: Answer) -> u32 {
		let k = self.k();
		let row = truth as usize * k;
		self.counts
			.get(row..row + k)
			.map_or(0, |r| r.iter().fold(0u32, |s, c| s.saturating_add(*c)))
			.saturating_sub(k as u32)
	}

	/// Per-class skill (Gravity Spy): diagonal / row sum, pseudo-counts included.
	pub fn skill(&self, truth: Answer) -> Prob {
		let k = self.k();
		let row = truth as usize * k;
		let Some(cells) = self.counts.get(row..row + k) else { return 0 };
		let total: u128 = cells.iter().map(|c| *c as u128).sum();
		mul_div(cells[truth as usize] as u128, ONE as u128, total) as Prob
	}

	/// The volunteer's likelihood of saying `said` given each truth: `P(said | truth = i)` for
	/// every i, from its row-normalised matrix (a newcomer's are all 1/K).
	pub fn likelihood(&self, said: Answer) -> Vec<Prob> {
		let k = self.k();
		(0..k)
			.map(|i| {
				let row = self.counts.get(i * k..(i + 1) * k).unwrap_or(&[]);
				let total: u128 = row.iter().map(|c| *c as u128).sum();
				mul_div(row.get(said as usize).copied().unwrap_or(0) as u128, ONE as u128, total) as Prob
			})
			.collect()
	}

	/// The weight of the volunteer's rewards: mean per-class skill above chance, scaled to [0, 1]
	/// ((mean − 1/K) / (1 − 1/K), floored at 0). A newcomer, a random and a sybil classifier get 0.
	pub fn weight(&self) -> Prob {
		let k = self.k() as u128;
		if k < 2 {
			return 0;
		}
		let one = ONE as u128;
		let mean = (0..self.answers).map(|a| self.skill(a) as u128).sum::<u128>() / k;
		let chance = one / k;
		mul_div(mean.saturating_sub(chance), one, one - chance).min(one) as Prob
	}

	/// Whether every class has reached `threshold` with at least `min_gold` gold classifications.
	pub fn qualifies(&self, threshold: Prob, min_gold: u32) -> bool {
		(0..self.answers).all(|a| self.gold_seen(a) >= min_gold && self.skill(a) >= threshold)
	}
}

/// A subject's posterior over K answers (probabilities in parts of [`ONE`]) and the votes it took.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct Posterior {
	pub probabilities: Vec<u128>,
	pub votes: u32,
}

impl Posterior {
	/// Starts at `prior` (probabilities summing to about [`ONE`]), no votes.
	pub fn new(prior: &[Prob]) -> Self {
		Self { probabilities: prior.iter().map(|p| *p as u128).collect(), votes: 0 }
	}

	/// A uniform prior over `answers`.
	pub fn uniform(answers: u8) -> Self {
		Self::new(&alloc::vec![ONE / answers.max(1) as u64; answers as usize])
	}

	/// Applies one vote by Bayes' rule with the voter's likelihoods of its answer. A vote that
	/// every class explains with probability 0 (impossible with pseudo-counts) changes nothing.
	pub fn vote(&mut self, likelihood: &[Prob]) {
		let joint: Vec<u128> =
			self.probabilities.iter().zip(likelihood).map(|(p, l)| p.saturating_mul(*l as u128)).collect();
		let total: u128 = joint.iter().fold(0u128, |s, j| s.saturating_add(*j));
		if total > 0 {
			self.probabilities = joint.iter().map(|j| mul_div(*j, ONE as u128, total)).collect();
		}
		self.votes = self.votes.saturating_add(1);
	}

	/// The top class (the lowest index among ties) and its posterior.
	pub fn top(&self) -> (Answer, Prob) {
		let mut best = (0usize, 0u128);
		for (i, p) in self.probabilities.iter().enumerate() {
			if *p > best.1 {
				best = (i, *p);
			}
		}
		(best.0 as Answer, best.1.min(ONE as u128) as Prob)
	}
}

/// Votes per answer under the plain counting rules; the top answer (lowest among ties) and its share.
pub fn plurality(tally: &[u32]) -> (Answer, Prob, u32) {
	let total: u32 = tally.iter().fold(0u32, |s, c| s.saturating_add(*c));
	let mut best = (0usize, 0u32);
	for (i, c) in tally.iter().enumerate() {
		if *c > best.1 {
			best = (i, *c);
		}
	}
	let share = if total == 0 { 0 } else { mul_div(best.1 as u128, ONE as u128, total as u128) as Prob };
	(best.0 as Answer, share, total)
}

/// The verdict of the counting rules (`FixedCount`, `Consensus`) on a tally: `Some(label)` once the
/// subject retires.
pub fn counting_verdict(rule: &RetirementRule, tally: &[u32]) -> Option<Answer> {
	let (top, share, total) = plurality(tally);
	match *rule {
		RetirementRule::FixedCount { count } => (total >= count).then_some(top),
		RetirementRule::Consensus { min_votes, agreement } => (total >= min_votes && share >= agreement).then_some(top),
		_ => None,
	}
}

/// The share of gold subjects among the next subjects a volunteer sees, by how many subjects it
/// has classified: each step is `(seen_below, rate)`, and past the last step the last rate holds
/// (the floor). Zooniverse's designator: 1/3 below 15 seen, 1/5 below 40, then 1/10.
pub fn gold_rate(steps: &[(u32, Prob)], seen: u32) -> Prob {
	for (below, rate) in steps {
		if seen < *below {
			return *rate;
		}
	}
	steps.last().map_or(0, |(_, rate)| *rate)
}

/// Whether the subject shown after `seen` others (of which `gold_seen` were gold) is a gold one:
/// gold is due while the gold shown is below the schedule's running target, Σ rate × subjects over
/// the steps passed plus the current step's rate × its subjects so far including this one, so each
/// step serves its own rate exactly, not only on average.
pub fn gold_due(steps: &[(u32, Prob)], seen: u32, gold_seen: u32) -> bool {
	let mut target: u128 = 0;
	let mut start = 0u32;
	for (below, rate) in steps {
		let end = (*below).min(seen.saturating_add(1));
		target = target.saturating_add((*rate as u128) * (end.saturating_sub(start) as u128));
		if seen < *below {
			return (gold_seen as u128) * (ONE as u128) < target;
		}
		start = (*below).max(start);
	}
	let floor = steps.last().map_or(0, |(_, rate)| *rate as u128);
	target = target.saturating_add(floor * (seen.saturating_add(1).saturating_sub(start) as u128));
	(gold_seen as u128) * (ONE as u128) < target
}

/// A campaign's commitment to its gold answers: sha256(domain ‖ SCALE(answers) ‖ salt), where
/// `answers` lists `(subject, answer)` in subject order.
pub fn gold_commitment(answers: &[(SubjectIndex, Answer)], salt: &[u8; 32]) -> [u8; 32] {
	use sha2::{Digest as _, Sha256};
	let mut hasher = Sha256::new();
	hasher.update(b"merit/campaign-gold/v1");
	hasher.update(answers.encode());
	hasher.update(salt);
	hasher.finalize().into()
}

/// A volunteer's sealed answer: sha256(domain ‖ campaign ‖ subject ‖ volunteer ‖ answer ‖ salt).
/// Binding the campaign, the subject and the volunteer stops a seal from being copied to another
/// subject or by another account.
pub fn answer_seal(
	campaign: CampaignId,
	subject: SubjectIndex,
	volunteer: &[u8],
	answer: Answer,
	salt: &[u8; 32],
) -> [u8; 32] {
	use sha2::{Digest as _, Sha256};
	let mut hasher = Sha256::new();
	hasher.update(b"merit/campaign-answer/v1");
	hasher.update(campaign.to_le_bytes());
	hasher.update(subject.to_le_bytes());
	hasher.update(volunteer);
	hasher.update([answer]);
	hasher.update(salt);
	hasher.finalize().into()
}

/// What a volunteer may do without fees or tokens (a general transaction authorized by the
/// volunteer's signature over [`feeless_message`]). Each action names the state it consumes (the
/// assigned subject, the unrevealed seal, the unpaid claim), so a relayed or replayed copy is
/// refused once the original has run.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub enum VolunteerAction {
	/// Be given a subject (the first, or a new one when the last was taken into review).
	NextSubject,
	/// Seal the answer to `subject`, which must be the volunteer's assignment.
	Classify { subject: SubjectIndex, seal: [u8; 32] },
	/// Reveal a sealed answer.
	Reveal { subject: SubjectIndex, answer: Answer, salt: [u8; 32] },
	/// Take the volunteer's share of the pool.
	Claim,
}

/// The bytes a volunteer signs for a feeless action: domain ‖ genesis hash ‖ campaign ‖
/// valid_until ‖ SCALE(action). The genesis hash keeps a signature from being replayed on another
/// chain; `valid_until` (the last block that may include it) makes each request distinct and
/// short-lived, as a signed transaction's nonce and era do.
pub fn feeless_message(
	genesis: &[u8; 32],
	campaign: CampaignId,
	valid_until: u64,
	action: &VolunteerAction,
) -> Vec<u8> {
	let mut message = Vec::with_capacity(FEELESS_DOMAIN.len() + 32 + 4 + 8 + 1 + 4 + 33);
	message.extend_from_slice(FEELESS_DOMAIN);
	message.extend_from_slice(genesis);
	message.extend_from_slice(&campaign.to_le_bytes());
	message.extend_from_slice(&valid_until.to_le_bytes());
	action.encode_to(&mut message);
	message
}

/// The domain of [`feeless_message`].
pub const FEELESS_DOMAIN: &[u8] = b"merit/volunteer/v1";

#[cfg(test)]
mod tests {
	use super::*;

	const fn p(millionths: u64) -> Prob {
		millionths * (ONE / 1_000_000)
	}

	#[test]
	fn a_perfect_classifier_moves_a_subject_and_a_random_one_does_not() {
		let mut expert = SwapSkill::new(0);
		for _ in 0..50 {
			expert.learn(true, true);
			expert.learn(false, false);
		}
		assert!(expert.p_l > p(950_000) && expert.p_d > p(950_000));
		let prior = p(200);
		let after = swap_update(prior, &expert, true);
		assert!(after > prior * 10, "an expert's L multiplies the odds: {after}");
		assert_eq!(swap_update(prior, &SwapSkill::new(0), true), prior, "½/½ carries no information");
		assert_eq!(SwapSkill::new(0).weight(), 0);
		assert!(expert.weight() > p(900_000));
	}

	#[test]
	fn skill_is_clipped_and_the_posterior_floored() {
		let mut contrary = SwapSkill::new(0);
		for _ in 0..500 {
			contrary.learn(true, false);
		}
		assert_eq!(contrary.p_l, SWAP_SKILL_MIN);
		let mut q = p(200);
		for _ in 0..50 {
			q = swap_update(q, &SwapSkill { p_l: SWAP_SKILL_MAX, p_d: SWAP_SKILL_MAX, n_l: 3, n_d: 3 }, false);
		}
		assert_eq!(q, SWAP_FLOOR);
		assert_eq!(swap_verdict(q, p(950_000), ONE / 10_000_000), Some(0));
	}

	#[test]
	fn rules_are_checked() {
		assert_eq!(RetirementRule::FixedCount { count: 0 }.check(3), Err(RuleError::OutOfRange));
		assert_eq!(
			RetirementRule::Swap { prior: p(200), detect: p(950_000), reject: ONE / 10_000_000 }.check(3),
			Err(RuleError::SwapNeedsTwoAnswers)
		);
		assert_eq!(
			RetirementRule::Swap { prior: p(960_000), detect: p(950_000), reject: ONE / 10_000_000 }.check(2),
			Err(RuleError::SwapThresholdsDisordered)
		);
		assert_eq!(RetirementRule::Consensus { min_votes: 5, agreement: ONE + 1 }.check(3), Err(RuleError::OutOfRange));
		assert!(RetirementRule::Posterior { threshold: p(900_000), min_votes: 3 }.check(10).is_ok());
	}

	#[test]
	fn a_newcomers_vote_adds_no_information_and_an_experts_does() {
		let newcomer = Confusion::new(3);
		assert_eq!(newcomer.weight(), 0);
		assert!(newcomer.likelihood(2).iter().all(|c| *c == ONE / 3));
		let mut expert = Confusion::new(3);
		for truth in 0..3 {
			for _ in 0..20 {
				expert.learn(truth, truth);
			}
		}
		assert!(expert.qualifies(p(700_000), 10));
		assert!(!newcomer.qualifies(p(300_000), 1));
		let mut subject = Posterior::uniform(3);
		subject.vote(&newcomer.likelihood(1));
		assert_eq!(subject.probabilities, vec![ONE as u128 / 3; 3], "a newcomer's vote changes nothing");
		for _ in 0..3 {
			subject.vote(&expert.likelihood(1));
		}
		let (top, posterior) = subject.top();
		assert_eq!(top, 1);
		assert!(posterior > p(600_000), "{posterior}");
	}

	#[test]
	fn counting_rules_and_the_gold_schedule() {
		assert_eq!(counting_verdict(&RetirementRule::FixedCount { count: 3 }, &[1, 1, 0]), None);
		assert_eq!(counting_verdict(&RetirementRule::FixedCount { count: 3 }, &[1, 1, 1]), Some(0));
		let consensus = RetirementRule::Consensus { min_votes: 5, agreement: p(800_000) };
		assert_eq!(counting_verdict(&consensus, &[0, 4, 0]), None, "too few votes");
		assert_eq!(counting_verdict(&consensus, &[1, 4, 0]), Some(1), "4/5 = 0.8");
		assert_eq!(counting_verdict(&consensus, &[2, 4, 0]), None, "4/6 < 0.8");
		let steps = [(15, ONE / 3), (40, ONE / 5), (u32::MAX, ONE / 10)];
		let mut gold = 0;
		let mut shown_gold = [0u32; 3];
		for seen in 0..100 {
			if gold_due(&steps, seen, gold) {
				gold += 1;
				shown_gold[if seen < 15 {
					0
				} else if seen < 40 {
					1
				} else {
					2
				}] += 1;
			}
		}
		assert_eq!(shown_gold, [5, 5, 6], "a third of 15, a fifth of the next 25, a tenth of the last 60");
	}
}
