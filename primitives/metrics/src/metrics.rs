//! The metric formulas on already-parsed, already-matched data.
//!
//! Each metric accumulates exact integers (sums, counts) and divides once at the end, rounding to the
//! nearest 10^-18 (ties up). The public functions here are the building blocks of [`crate::score`] and are
//! also usable on their own (e.g. by the client on data it already holds).

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use crate::decimal::{MAX_ABS_VALUE, VALUE_SCALE};
use crate::error::MetricError;
use crate::fixed::{div_round, div_round_u128, neg_ln_clipped, sqrt_of_mean_round, U256};
use crate::Score;

/// Sums for RMSE and MAE: `Σ|y−ŷ|` (scale 10^18) and `Σ(y−ŷ)²` (scale 10^36), both 256-bit.
#[derive(Default)]
pub(crate) struct RegressionAcc {
	n: u64,
	sum_abs: U256,
	sum_sq: U256,
}

impl RegressionAcc {
	#[inline]
	pub fn push(&mut self, y: i128, y_hat: i128) -> Result<(), MetricError> {
		let d = y.checked_sub(y_hat).ok_or(MetricError::Overflow)?.unsigned_abs();
		self.sum_abs = self.sum_abs.checked_add(U256::from_u128(d)).ok_or(MetricError::Overflow)?;
		self.sum_sq = self.sum_sq.checked_add(U256::mul(d, d)).ok_or(MetricError::Overflow)?;
		self.n = self.n.checked_add(1).ok_or(MetricError::Overflow)?;
		Ok(())
	}

	pub fn mae(&self) -> Result<Score, MetricError> {
		if self.n == 0 {
			return Err(MetricError::EmptySubset);
		}
		div_round(self.sum_abs, self.n).map(Score).ok_or(MetricError::Overflow)
	}

	/// `√(Σd²/n)`: the sum is at scale 10^36, so its root is at scale 10^18, rounded to nearest exactly.
	pub fn rmse(&self) -> Result<Score, MetricError> {
		if self.n == 0 {
			return Err(MetricError::EmptySubset);
		}
		sqrt_of_mean_round(self.sum_sq, self.n).map(Score).ok_or(MetricError::Overflow)
	}
}

/// Count of correct predictions over the count of rows.
#[derive(Default)]
pub(crate) struct AccuracyAcc {
	n: u64,
	correct: u64,
}

impl AccuracyAcc {
	#[inline]
	pub fn push(&mut self, equal: bool) {
		self.n += 1;
		self.correct += equal as u64;
	}

	pub fn finish(&self) -> Result<Score, MetricError> {
		ratio(u128::from(self.correct), u128::from(self.n))
	}
}

/// `round(num / den · 10^18)`.
fn ratio(num: u128, den: u128) -> Result<Score, MetricError> {
	if den == 0 {
		return Err(MetricError::EmptySubset);
	}
	let scaled = num.checked_mul(VALUE_SCALE).ok_or(MetricError::Overflow)?;
	div_round_u128(scaled, den).map(Score).ok_or(MetricError::Overflow)
}

/// Per-label true-positive, false-positive and false-negative counts over interned label indices.
pub(crate) struct F1Acc {
	tp: Vec<u64>,
	fp: Vec<u64>,
	fn_: Vec<u64>,
	n: u64,
}

/// Internal precision of each per-label F1 before averaging: 10^27 (nine digits beyond the result's).
const F1_TERM_SCALE: u128 = 1_000_000_000_000_000_000_000_000_000;

impl F1Acc {
	pub fn new(labels: usize) -> Self {
		F1Acc { tp: alloc::vec![0; labels], fp: alloc::vec![0; labels], fn_: alloc::vec![0; labels], n: 0 }
	}

	/// Make room for label indices below `labels` (no-op when there is room already).
	#[inline]
	pub fn grow(&mut self, labels: usize) {
		if labels > self.tp.len() {
			self.tp.resize(labels, 0);
			self.fp.resize(labels, 0);
			self.fn_.resize(labels, 0);
		}
	}

	#[inline]
	pub fn push(&mut self, y: u32, y_hat: u32) {
		self.n += 1;
		if y == y_hat {
			self.tp[y as usize] += 1;
		} else {
			self.fn_[y as usize] += 1;
			self.fp[y_hat as usize] += 1;
		}
	}

	/// Unweighted mean over the labels present in y or ŷ (of the scored rows) of `2TP / (2TP + FP + FN)`.
	///
	/// Each label's F1 is an exact ratio rounded to 10^-27; their sum is divided once by the label count
	/// and rounded to 10^-18. (An exact common denominator would need arbitrary precision; the 10^-27
	/// intermediate keeps the result within one unit of the last place of the exact mean, and is
	/// deterministic.)
	pub fn finish(&self) -> Result<Score, MetricError> {
		if self.n == 0 {
			return Err(MetricError::EmptySubset);
		}
		let mut sum: u128 = 0;
		let mut labels: u128 = 0;
		for i in 0..self.tp.len() {
			let two_tp = u128::from(self.tp[i]) * 2;
			let den = two_tp + u128::from(self.fp[i]) + u128::from(self.fn_[i]);
			if den == 0 {
				continue; // label not present in the scored rows: not part of the union
			}
			labels += 1;
			let num = two_tp.checked_mul(F1_TERM_SCALE).ok_or(MetricError::Overflow)?;
			let term = div_round_u128(num, den).ok_or(MetricError::Overflow)?;
			sum = sum.checked_add(term).ok_or(MetricError::Overflow)?;
		}
		let den = labels.checked_mul(F1_TERM_SCALE / VALUE_SCALE).ok_or(MetricError::Overflow)?;
		div_round_u128(sum, den).map(Score).ok_or(MetricError::Overflow)
	}
}

/// `Σ −ln(clip(p_true))` at scale 10^18.
#[derive(Default)]
pub(crate) struct LogLossAcc {
	n: u64,
	sum: u128,
}

impl LogLossAcc {
	#[inline]
	pub fn push(&mut self, p_true: u128) -> Result<(), MetricError> {
		self.sum = self.sum.checked_add(neg_ln_clipped(p_true)).ok_or(MetricError::Overflow)?;
		self.n += 1;
		Ok(())
	}

	pub fn finish(&self) -> Result<Score, MetricError> {
		if self.n == 0 {
			return Err(MetricError::EmptySubset);
		}
		div_round(U256::from_u128(self.sum), self.n).map(Score).ok_or(MetricError::Overflow)
	}
}

/// ROC-AUC from `(score, is_positive)` points: the Mann–Whitney U statistic over `P·N`, ties counting ½.
///
/// Sorted by score; for each group of equal scores with `pos` positives and `neg` negatives and `below`
/// negatives with lower scores, `2U += pos · (2·below + neg)`. AUC = `2U / (2·P·N)`, divided once.
pub(crate) fn auc_of_points(points: &mut [(u128, bool)]) -> Result<Score, MetricError> {
	if points.is_empty() {
		return Err(MetricError::EmptySubset);
	}
	points.sort_unstable_by_key(|p| p.0);
	mann_whitney(points.iter().copied())
}

/// [`auc_of_points`] for points packed as `score << 1 | is_positive` (scores below 2^63): the same
/// statistic, with a sort of plain integers. Equal scores sort next to each other whatever their truth.
pub(crate) fn auc_of_packed(points: &mut [u64]) -> Result<Score, MetricError> {
	if points.is_empty() {
		return Err(MetricError::EmptySubset);
	}
	points.sort_unstable();
	mann_whitney(points.iter().map(|&p| (p >> 1, p & 1 == 1)))
}

/// AUC from `(score, is_positive)` points in ascending score order (see [`auc_of_points`]).
fn mann_whitney<S: PartialEq>(points: impl Iterator<Item = (S, bool)>) -> Result<Score, MetricError> {
	let mut points = points.peekable();
	let mut two_u: u128 = 0;
	let (mut positives, mut negatives): (u128, u128) = (0, 0);
	while let Some((score, first)) = points.next() {
		// The group of points with this score.
		let (mut pos, mut neg) = (u128::from(first), u128::from(!first));
		while let Some((_, is_positive)) = points.next_if(|(s, _)| *s == score) {
			if is_positive {
				pos += 1;
			} else {
				neg += 1;
			}
		}
		let add = pos.checked_mul(2 * negatives + neg).ok_or(MetricError::Overflow)?;
		two_u = two_u.checked_add(add).ok_or(MetricError::Overflow)?;
		positives += pos;
		negatives += neg;
	}
	if positives == 0 || negatives == 0 {
		return Err(MetricError::SingleClass);
	}
	let den = positives.checked_mul(negatives).and_then(|v| v.checked_mul(2)).ok_or(MetricError::Overflow)?;
	ratio(two_u, den)
}

fn check_len(a: usize, b: usize) -> Result<(), MetricError> {
	if a != b {
		return Err(MetricError::LengthMismatch);
	}
	Ok(())
}

fn check_value(v: i128) -> Result<(), MetricError> {
	if v.unsigned_abs() > MAX_ABS_VALUE as u128 {
		return Err(MetricError::InvalidInput);
	}
	Ok(())
}

/// Root mean squared error of values scaled by 10^18 (as returned by [`crate::parse_decimal`]).
///
/// Errors: different lengths, empty input, a magnitude above [`crate::MAX_ABS_VALUE`].
pub fn rmse(y: &[i128], y_hat: &[i128]) -> Result<Score, MetricError> {
	regression(y, y_hat)?.rmse()
}

/// Mean absolute error of values scaled by 10^18.
pub fn mae(y: &[i128], y_hat: &[i128]) -> Result<Score, MetricError> {
	regression(y, y_hat)?.mae()
}

fn regression(y: &[i128], y_hat: &[i128]) -> Result<RegressionAcc, MetricError> {
	check_len(y.len(), y_hat.len())?;
	let mut acc = RegressionAcc::default();
	for (&a, &b) in y.iter().zip(y_hat) {
		check_value(a)?;
		check_value(b)?;
		acc.push(a, b)?;
	}
	Ok(acc)
}

/// Fraction of positions where `y_hat` equals `y`.
pub fn accuracy<T: PartialEq>(y: &[T], y_hat: &[T]) -> Result<Score, MetricError> {
	check_len(y.len(), y_hat.len())?;
	let mut acc = AccuracyAcc::default();
	for (a, b) in y.iter().zip(y_hat) {
		acc.push(a == b);
	}
	acc.finish()
}

/// Macro-averaged F1 over the union of labels in `y` and `y_hat` (scikit-learn's `average="macro"`).
pub fn macro_f1<T: Ord>(y: &[T], y_hat: &[T]) -> Result<Score, MetricError> {
	check_len(y.len(), y_hat.len())?;
	let mut index: BTreeMap<&T, u32> = BTreeMap::new();
	for v in y.iter().chain(y_hat) {
		let next = index.len() as u32;
		index.entry(v).or_insert(next);
	}
	let mut acc = F1Acc::new(index.len());
	for (a, b) in y.iter().zip(y_hat) {
		acc.push(index[a], index[b]);
	}
	acc.finish()
}

/// Mean negative log-likelihood of the true classes, with each probability clipped to [ε, 1−ε],
/// ε = 2^-52 (as scikit-learn does for float64 input).
///
/// `probabilities` is row-major, `n_classes` per row, scaled by 10^18; `true_class[i]` indexes row `i`.
/// Row sums are not checked here (the CSV reader checks them).
pub fn log_loss(true_class: &[usize], probabilities: &[u128], n_classes: usize) -> Result<Score, MetricError> {
	if n_classes == 0 || Some(probabilities.len()) != true_class.len().checked_mul(n_classes) {
		return Err(MetricError::LengthMismatch);
	}
	let mut acc = LogLossAcc::default();
	for (row, &c) in true_class.iter().enumerate() {
		if c >= n_classes {
			return Err(MetricError::InvalidInput);
		}
		let p = probabilities[row * n_classes + c];
		if p > VALUE_SCALE {
			return Err(MetricError::InvalidInput);
		}
		acc.push(p)?;
	}
	acc.finish()
}

/// Binary ROC-AUC of scores (any fixed-point scale) against positive/negative truth.
///
/// Errors: different lengths, empty input, or only one class present ([`MetricError::SingleClass`]).
pub fn roc_auc(is_positive: &[bool], scores: &[u128]) -> Result<Score, MetricError> {
	check_len(is_positive.len(), scores.len())?;
	let mut points: Vec<(u128, bool)> = scores.iter().copied().zip(is_positive.iter().copied()).collect();
	auc_of_points(&mut points)
}

#[cfg(test)]
mod tests {
	use super::*;
	use alloc::vec;

	const S: i128 = VALUE_SCALE as i128;

	fn v(x: &[f64]) -> Vec<i128> {
		// Test helper only: exact for the short decimals used below.
		x.iter().map(|f| crate::parse_decimal(alloc::format!("{f}").as_bytes()).unwrap()).collect()
	}

	#[test]
	fn rmse_and_mae_by_hand() {
		// diffs 1, -2, 3 -> MAE 2, RMSE sqrt(14/3) = 2.160246899469286744...
		let y = v(&[1.0, 2.0, 3.0]);
		let yh = v(&[0.0, 4.0, 0.0]);
		assert_eq!(mae(&y, &yh).unwrap(), Score(2 * VALUE_SCALE));
		assert_eq!(rmse(&y, &yh).unwrap(), Score(2_160_246_899_469_286_744));
		assert_eq!(rmse(&y, &y).unwrap(), Score(0));
		// MAE rounding: diffs 1e-18 and 0 -> 0.5e-18 rounds up to 1e-18.
		assert_eq!(mae(&[1, 0], &[0, 0]).unwrap(), Score(1));
		assert_eq!(mae(&[], &[]), Err(MetricError::EmptySubset));
		assert_eq!(mae(&[1], &[]), Err(MetricError::LengthMismatch));
		assert_eq!(rmse(&[MAX_ABS_VALUE + 1], &[0]), Err(MetricError::InvalidInput));
		// Extremes do not overflow: |d| = 2e15 -> RMSE 2e15.
		assert_eq!(rmse(&[MAX_ABS_VALUE, MAX_ABS_VALUE], &[-MAX_ABS_VALUE, -MAX_ABS_VALUE]).unwrap(), Score(2 * MAX_ABS_VALUE as u128));
		let _ = S;
	}

	#[test]
	fn accuracy_by_hand() {
		assert_eq!(accuracy(&["a", "b", "c"], &["a", "x", "c"]).unwrap(), Score(666_666_666_666_666_667));
		assert_eq!(accuracy::<u8>(&[], &[]), Err(MetricError::EmptySubset));
	}

	#[test]
	fn macro_f1_by_hand() {
		// y = [a, a, b, c], ŷ = [a, b, b, d]:
		// a: TP1 FP0 FN1 -> 2/3; b: TP1 FP1 FN0 -> 2/3; c: TP0 FN1 -> 0; d: FP1 -> 0. Mean = 1/3.
		let f = macro_f1(&["a", "a", "b", "c"], &["a", "b", "b", "d"]).unwrap();
		assert_eq!(f, Score(333_333_333_333_333_333));
		assert_eq!(macro_f1(&[1, 2], &[1, 2]).unwrap(), Score::ONE);
		assert_eq!(macro_f1(&[1, 1], &[2, 2]).unwrap(), Score::ZERO);
	}

	#[test]
	fn log_loss_by_hand() {
		let half = VALUE_SCALE / 2;
		// -ln(0.5) = 0.693147180559945309...
		assert_eq!(log_loss(&[0, 1], &[half, half, half, half], 2).unwrap(), Score(693_147_180_559_945_309));
		// p = 1 -> clipped to 1-eps -> 2.22e-16 -> 222 scaled; p = 0 -> 52 ln 2.
		assert_eq!(log_loss(&[0], &[VALUE_SCALE, 0], 2).unwrap(), Score(222));
		assert_eq!(log_loss(&[1], &[VALUE_SCALE, 0], 2).unwrap(), Score(36_043_653_389_117_156_090));
		assert_eq!(log_loss(&[2], &[half, half], 2), Err(MetricError::InvalidInput));
		assert_eq!(log_loss(&[0], &[half], 2), Err(MetricError::LengthMismatch));
		assert_eq!(log_loss(&[0], &[VALUE_SCALE + 1, 0], 2), Err(MetricError::InvalidInput));
		assert_eq!(log_loss(&[], &[], 2), Err(MetricError::EmptySubset));
	}

	#[test]
	fn roc_auc_by_hand() {
		// Perfect, inverted, all tied.
		assert_eq!(roc_auc(&[false, true], &[1, 2]).unwrap(), Score::ONE);
		assert_eq!(roc_auc(&[false, true], &[2, 1]).unwrap(), Score::ZERO);
		assert_eq!(roc_auc(&[false, true, true], &[5, 5, 5]).unwrap(), Score(VALUE_SCALE / 2));
		// y = [0,0,1,1], s = [0.1,0.4,0.35,0.8] -> 0.75 (scikit-learn's doc example).
		assert_eq!(roc_auc(&[false, false, true, true], &[10, 40, 35, 80]).unwrap(), Score(750_000_000_000_000_000));
		// One tie between a positive and a negative: pairs (p1>n1)=1, (p1=n2)=1/2, (p2>n1)=1, (p2>n2)=1 -> 3.5/4.
		assert_eq!(roc_auc(&[false, false, true, true], &[1, 3, 3, 4]).unwrap(), Score(875_000_000_000_000_000));
		assert_eq!(roc_auc(&[true, true], &[1, 2]), Err(MetricError::SingleClass));
		assert_eq!(roc_auc(&[false], &[1]), Err(MetricError::SingleClass));
		assert_eq!(roc_auc(&[], &[]), Err(MetricError::EmptySubset));
		assert_eq!(roc_auc(&[true], &[]), Err(MetricError::LengthMismatch));
		// The packed form gives the same statistic.
		for (truth, scores) in [
			(&[false, false, true, true][..], &[10u128, 40, 35, 80][..]),
			(&[false, false, true, true][..], &[1, 3, 3, 4][..]),
			(&[false, true, true][..], &[5, 5, 5][..]),
			(&[true, false, true, false, true][..], &[7, 7, 2, 9, 9][..]),
		] {
			let mut packed: Vec<u64> = scores.iter().zip(truth).map(|(&s, &t)| ((s as u64) << 1) | t as u64).collect();
			assert_eq!(auc_of_packed(&mut packed), roc_auc(truth, scores));
		}
		assert_eq!(auc_of_packed(&mut [4, 6]), Err(MetricError::SingleClass));
		assert_eq!(auc_of_packed(&mut []), Err(MetricError::EmptySubset));
		let _ = vec![0u8];
	}
}
