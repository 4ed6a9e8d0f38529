//! # merit-metrics
//!
//! Deterministic scoring for Merit challenges. The same code runs in the runtime's off-chain worker (WASM,
//! `no_std`) and in the command-line client, and evaluators must agree bit for bit so that a quorum of
//! identical scores can finalise a result. Hence:
//!
//! * **No floating point.** Input decimals are parsed straight into integers scaled by 10^18
//!   ([`parse_decimal`]); sums are exact (u128, or a 256-bit accumulator for squares); each metric divides
//!   once at the end and rounds to the nearest 10^-18. The natural logarithm for log-loss is an integer
//!   implementation ([`ln`]).
//! * **Strict input, as people write it.** CSV with a header (`id,<value>` or `id,p_<class>,...`; for a
//!   binary task also one column, `id,p_<class>` or `id,<name>`, the probability of that class or of the
//!   positive one, the greater label); RFC 4180 quoted fields (R's `write.csv`, pandas' `QUOTE_ALL`),
//!   byte-order marks and CRLF are read; NaN, infinities, huge values, duplicate / missing / unknown ids,
//!   bad column counts, unnormalised probabilities, and more than [`MAX_CLASSES`] classes or headers over
//!   [`MAX_HEADER_BYTES`] are rejected with a [`MetricError`] naming the file and the 1-based line.
//! * **Order independence.** Rows are matched by id after sorting by id (byte order), so the order of rows
//!   in either file never changes a score.
//! * **Same numbers as scikit-learn** (to ~1e-15 relative; see `reference/` and `tests/reference.rs`).
//!
//! Entry point: [`score`]. The public/private leaderboard split is [`is_public_row`], selected with
//! [`Split`]; the owner's commitment is [`labels_commitment`]. Evaluators that hold only the public rows'
//! labels ([`public_rows`]) score with [`score_listed`].

#![cfg_attr(not(feature = "std"), no_std)]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

extern crate alloc;

mod aligned;
mod csv;
mod decimal;
mod error;
mod fixed;
mod joined;
mod metrics;
mod split;

use core::fmt;

#[cfg(feature = "scale")]
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
#[cfg(feature = "scale")]
use scale_info::TypeInfo;

pub use crate::csv::{MAX_CLASSES, MAX_HEADER_BYTES, PROBABILITY_SUM_TOLERANCE};
pub use crate::decimal::{parse_decimal, MAX_ABS_VALUE, MAX_EXPONENT, VALUE_DECIMALS, VALUE_SCALE};
pub use crate::error::{FileKind, MetricError, RowProblem};
pub use crate::fixed::ln;
pub use crate::metrics::{accuracy, log_loss, macro_f1, mae, rmse, roc_auc};
pub use crate::split::{
	is_public_row, is_public_row_bytes, labels_commitment, labels_commitment_of_digest, public_rows,
	submission_commitment, Split, Subset, PPB,
};

use crate::split::RowSelector;

/// Log-loss clips probabilities to `[ε, 1 − ε]` with `ε = 2^-52 ≈ 2.220446049250313e-16`, the float64
/// machine epsilon that scikit-learn (≥ 1.5) uses, so a confident wrong answer costs `52·ln 2 ≈ 36.04`
/// instead of infinity. Stated here as a real number; internally a scaled probability `≤ 222` is clipped.
pub const LOG_LOSS_EPS_LOG2: i32 = -52;

/// The metric a challenge is scored with. Its direction (higher or lower is better) is part of it.
///
/// The SCALE encoding is the variant index in declaration order: do not reorder variants.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "scale", derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo))]
pub enum Metric {
	/// Root mean squared error, `√(mean((y − ŷ)²))`. Lower is better. Input: `id,<number>`.
	Rmse,
	/// Mean absolute error, `mean(|y − ŷ|)`. Lower is better. Input: `id,<number>`.
	Mae,
	/// Fraction of rows with `ŷ = y` (labels compared as strings). Higher is better. Input: `id,<label>`.
	Accuracy,
	/// Unweighted mean over the union of labels of `2TP / (2TP + FP + FN)`. Higher is better.
	/// Input: `id,<label>`.
	MacroF1,
	/// Mean `−ln p(true class)`, p clipped to `[2^-52, 1 − 2^-52]`. Lower is better.
	/// Labels `id,<class>`, predictions `id,p_<class>,...`.
	LogLoss,
	/// Binary ROC-AUC (Mann–Whitney U / (P·N), ties ½). Higher is better.
	/// Labels `id,<class>`, predictions `id,p_<a>,p_<b>`; the positive class is the greater class name in
	/// byte order (as scikit-learn's `classes_[1]` for string labels or single-digit numbers).
	RocAuc,
}

/// What a predictions file for a metric contains; lets the client validate a file before uploading it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputKind {
	/// `id,<decimal number>`.
	Values,
	/// `id,<class label>`.
	Labels,
	/// `id,p_<class>,...` (labels file: `id,<class label>`).
	Probabilities,
}

impl Metric {
	/// Every metric, in encoding order (for listings and tests).
	pub const ALL: [Metric; 6] =
		[Metric::Rmse, Metric::Mae, Metric::Accuracy, Metric::MacroF1, Metric::LogLoss, Metric::RocAuc];

	/// Whether larger scores are better (accuracy, macro-F1, ROC-AUC) or smaller ones (RMSE, MAE, log-loss).
	pub fn higher_is_better(&self) -> bool {
		matches!(self, Metric::Accuracy | Metric::MacroF1 | Metric::RocAuc)
	}

	/// Whether score `a` is strictly better than score `b` under this metric. Ties are not better, so the
	/// first submission to reach a score keeps priority.
	pub fn is_better(&self, a: Score, b: Score) -> bool {
		if self.higher_is_better() {
			a > b
		} else {
			a < b
		}
	}

	/// Whether `a` beats `b` by strictly more than `step` (the Ladder's η; `step = 0` is [`Self::is_better`]).
	/// Saturating, so it never overflows.
	pub fn is_better_by_more_than(&self, a: Score, b: Score, step: Score) -> bool {
		if self.higher_is_better() {
			a.0 > b.0.saturating_add(step.0)
		} else {
			a.0.saturating_add(step.0) < b.0
		}
	}

	/// The Ladder (Blum and Hardt, 2015) over public scores in order of arrival: a score is
	/// released only when it beats the last released score by more than `step`, and then rounded
	/// to the nearest multiple of `step` (halves up); every other score is withheld (`None`). The
	/// first score is always released. A board that shows only these values tells a participant
	/// nothing about a submission that did not clearly improve, which bounds how far anyone can
	/// fit the public rows by probing. With `step` zero every strict improvement is released as it is.
	pub fn ladder(&self, step: Score, scores: impl IntoIterator<Item = Score>) -> alloc::vec::Vec<Option<Score>> {
		let mut best: Option<Score> = None;
		scores
			.into_iter()
			.map(|score| {
				let released = match best {
					None => true,
					Some(best) => self.is_better_by_more_than(score, best, step),
				};
				released.then(|| {
					let rounded = score.rounded_to(step);
					best = Some(rounded);
					rounded
				})
			})
			.collect()
	}

	/// The shape of the predictions file.
	pub fn input_kind(&self) -> InputKind {
		match self {
			Metric::Rmse | Metric::Mae => InputKind::Values,
			Metric::Accuracy | Metric::MacroF1 => InputKind::Labels,
			Metric::LogLoss | Metric::RocAuc => InputKind::Probabilities,
		}
	}

	/// Stable lower-case name (`rmse`, `mae`, `accuracy`, `macro_f1`, `log_loss`, `roc_auc`), as used by
	/// the client's command line and scikit-learn's function names.
	pub fn name(&self) -> &'static str {
		match self {
			Metric::Rmse => "rmse",
			Metric::Mae => "mae",
			Metric::Accuracy => "accuracy",
			Metric::MacroF1 => "macro_f1",
			Metric::LogLoss => "log_loss",
			Metric::RocAuc => "roc_auc",
		}
	}

	/// Inverse of [`Self::name`].
	pub fn from_name(name: &str) -> Option<Metric> {
		Metric::ALL.into_iter().find(|m| m.name() == name)
	}
}

impl fmt::Display for Metric {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.pad(self.name())
	}
}

/// A metric value: a non-negative fixed-point number with 18 decimal places, stored as the u128
/// `value · 10^18` (so `Score::from_parts(1_500_000_000_000_000_000)` is 1.5).
///
/// Fixed point (not f64) so that scores are exact, totally ordered and identical on every evaluator;
/// 18 decimals so that scikit-learn's float64 results (≈ 16 significant digits) are represented without
/// loss of the digits that matter. All metrics are non-negative, so the type is unsigned.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "scale", derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo))]
pub struct Score(u128);

impl Score {
	/// Decimal places.
	pub const DECIMALS: u32 = VALUE_DECIMALS;
	/// The inner value of 1.0.
	pub const SCALE: u128 = VALUE_SCALE;
	/// 0.0
	pub const ZERO: Score = Score(0);
	/// 1.0
	pub const ONE: Score = Score(VALUE_SCALE);

	/// From the raw inner value (`value · 10^18`), e.g. as stored on chain.
	pub const fn from_parts(inner: u128) -> Self {
		Score(inner)
	}

	/// The raw inner value (`value · 10^18`).
	pub const fn into_inner(self) -> u128 {
		self.0
	}

	/// Integer part and the 18-digit fractional part (`0..10^18`).
	pub const fn split(self) -> (u128, u128) {
		(self.0 / VALUE_SCALE, self.0 % VALUE_SCALE)
	}

	/// Approximate value as f64, for display and plotting only (never for comparing scores).
	#[cfg(feature = "std")]
	pub fn to_f64(self) -> f64 {
		let (int, frac) = self.split();
		int as f64 + frac as f64 / VALUE_SCALE as f64
	}

	/// The nearest multiple of `step` (halves up; saturating); itself when `step` is zero.
	pub fn rounded_to(self, step: Score) -> Score {
		if step.0 == 0 {
			return self;
		}
		let (quotient, remainder) = (self.0 / step.0, self.0 % step.0);
		let units = if remainder >= step.0 - remainder { quotient.saturating_add(1) } else { quotient };
		Score(units.saturating_mul(step.0))
	}

	/// Parse a non-negative decimal (same grammar and rounding as [`parse_decimal`]), e.g. a Ladder step
	/// given on the command line.
	pub fn parse(s: &str) -> Result<Score, RowProblem> {
		let v = parse_decimal(s.trim().as_bytes())?;
		if v < 0 {
			return Err(RowProblem::MalformedNumber);
		}
		Ok(Score(v as u128))
	}
}

#[cfg(feature = "std")]
impl From<Score> for f64 {
	fn from(s: Score) -> f64 {
		s.to_f64()
	}
}

impl core::str::FromStr for Score {
	type Err = RowProblem;
	fn from_str(s: &str) -> Result<Self, Self::Err> {
		Score::parse(s)
	}
}

/// Shows the exact decimal: all 18 decimals by default (`1.500000000000000000`), or rounded half up to the
/// formatter's precision (`{:.4}` → `1.5000`), so the text round-trips and never misleads about ties.
impl fmt::Display for Score {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		let digits = f.precision().map(|p| p.min(VALUE_DECIMALS as usize)).unwrap_or(VALUE_DECIMALS as usize);
		let drop = VALUE_DECIMALS - digits as u32;
		let unit = 10u128.pow(drop);
		// Rounding up can only overflow at u128::MAX; saturate there (display only).
		let rounded = (self.0 / unit).saturating_add(u128::from(self.0 % unit >= unit.div_ceil(2) && drop > 0));
		let frac_unit = 10u128.pow(digits as u32);
		let int = rounded / frac_unit;
		let frac = rounded % frac_unit;
		if digits == 0 {
			write!(f, "{int}")
		} else {
			write!(f, "{int}.{frac:0width$}", width = digits)
		}
	}
}

/// Score a predictions file against a labels file.
///
/// * `metric` decides the expected file shapes ([`Metric::input_kind`]).
/// * Both files must contain exactly the same ids (each once); rows are matched by id.
/// * `split` selects all rows, or the public or private rows of the split seeded by the owner's salt.
///
/// When both files list the same ids in the same order, one lockstep pass over both files with no per-row
/// storage (except ROC-AUC's points); otherwise a pass over each file with the labels' ids in a hash table
/// (one word per row; values are read again from the input), and on any id problem a sort of both files'
/// line starts by id to report it. Both paths give the same scores and the same errors, and fit the
/// off-chain worker's heap at 1,000,000 rows in any order.
pub fn score(
	metric: Metric,
	labels_csv: &[u8],
	predictions_csv: &[u8],
	split: &Split<'_>,
) -> Result<Score, MetricError> {
	let selector = RowSelector::new(split);
	let labels_csv = csv::unquoted(labels_csv, FileKind::Labels)?;
	let predictions_csv = csv::unquoted(predictions_csv, FileKind::Predictions)?;
	// The usual input (same ids in the same order, all valid) in one lockstep pass; anything else, and
	// every error, goes through the general path below.
	if let Some(score) = aligned::score_aligned(metric, &labels_csv, &predictions_csv, &selector) {
		return Ok(score);
	}
	joined::score_joined(metric, &labels_csv, &predictions_csv, &selector, false)
}

/// Score a predictions file on the rows the labels file lists, ignoring the predictions' other rows.
///
/// For evaluators that hold only the public rows' labels ([`public_rows`] of the full labels file): the
/// predictions file is a whole submission (public and private rows), but only the rows of `labels_csv`
/// can be, and are, scored.
///
/// * Every row of the labels file is scored; it must be valid exactly as for [`score`].
/// * Every predictions line must be well-formed exactly as for [`score`] (a malformed line anywhere, even
///   on a row that is not scored, is the same error).
/// * A predictions row whose id is not in the labels file is ignored, even when that id repeats.
/// * A labels id found twice in the predictions is [`RowProblem::DuplicateId`]; a labels id with no
///   predictions row is [`RowProblem::MissingPrediction`]. Precedence: duplicates in labels, then the
///   smallest labels id repeated in the predictions, then the smallest labels id with no prediction.
///
/// For a full labels file and a valid submission (every id of the full file exactly once, nothing else),
/// `score_listed(m, &public_rows(labels, seed, share)?, predictions)` equals
/// `score(m, labels, predictions, &Split::public(seed, share))`. They differ only where [`score`] reports
/// an error in a row that the public file does not hold: a malformed, duplicated or (probabilities) unknown
/// class label on a private row, a private row missing from the predictions, or a predictions id (or
/// duplicate) that is in no labels row; [`score`] rejects these, `score_listed` cannot see them. Labels
/// errors name lines of the file given (the public file).
///
/// Same paths and bounds as [`score`]: a lockstep pass when both files list the same ids in the same
/// order, otherwise the labels' ids in a hash table (an unknown id is skipped; probing stays bounded by the
/// rows of both files) and, on any id problem, a sort of both files' line starts by id.
pub fn score_listed(metric: Metric, labels_csv: &[u8], predictions_csv: &[u8]) -> Result<Score, MetricError> {
	let selector = RowSelector::new(&Split::all());
	let labels_csv = csv::unquoted(labels_csv, FileKind::Labels)?;
	let predictions_csv = csv::unquoted(predictions_csv, FileKind::Predictions)?;
	// Same ids in the same order: listed mode and `Split::all()` agree, and the lockstep pass applies.
	if let Some(score) = aligned::score_aligned(metric, &labels_csv, &predictions_csv, &selector) {
		return Ok(score);
	}
	joined::score_joined(metric, &labels_csv, &predictions_csv, &selector, true)
}

/// The general path as it was before [`joined`] (rows stored and sorted by id): the oracle of the tests.
#[cfg(test)]
pub(crate) fn score_sorted_reference(
	metric: Metric,
	(labels_csv, predictions_csv): (&[u8], &[u8]),
	selector: &RowSelector,
) -> Result<Score, MetricError> {
	use crate::csv::{match_ids, parse_labels, parse_probabilities, parse_values, Interner};
	use crate::metrics::{auc_of_points, AccuracyAcc, F1Acc, LogLossAcc, RegressionAcc};
	use alloc::vec::Vec;
	match metric.input_kind() {
		InputKind::Values => {
			let mut labels = parse_values(labels_csv, FileKind::Labels)?;
			let mut preds = parse_values(predictions_csv, FileKind::Predictions)?;
			match_ids(&mut labels, &mut preds)?;
			let mut acc = RegressionAcc::default();
			for (l, p) in labels.iter().zip(&preds) {
				if selector.keep(l.id) {
					acc.push(l.value, p.value)?;
				}
			}
			if metric == Metric::Rmse {
				acc.rmse()
			} else {
				acc.mae()
			}
		}
		InputKind::Labels => {
			let mut interner = Interner::default();
			let mut labels = parse_labels(labels_csv, FileKind::Labels, &mut interner)?;
			let mut preds = parse_labels(predictions_csv, FileKind::Predictions, &mut interner)?;
			match_ids(&mut labels, &mut preds)?;
			let rows = labels.iter().zip(&preds).filter(|(l, _)| selector.keep(l.id));
			if metric == Metric::Accuracy {
				let mut acc = AccuracyAcc::default();
				rows.for_each(|(l, p)| acc.push(l.value == p.value));
				acc.finish()
			} else {
				let mut acc = F1Acc::new(interner.len());
				rows.for_each(|(l, p)| acc.push(l.value, p.value));
				acc.finish()
			}
		}
		InputKind::Probabilities => {
			let mut interner = Interner::default();
			let mut labels = parse_labels(labels_csv, FileKind::Labels, &mut interner)?;
			let table = parse_probabilities(predictions_csv, FileKind::Predictions)?;
			if metric == Metric::RocAuc && table.classes.len() != 2 {
				return Err(MetricError::NotBinary { classes: table.classes.len() as u32 });
			}
			// Column of each interned label; labels were interned in line order, so the first unknown
			// label found is the one on the earliest line.
			let mut column = Vec::with_capacity(interner.len());
			for &(name, file, line) in &interner.labels {
				match table.classes.iter().position(|c| *c == name) {
					Some(c) => column.push(c),
					None => return Err(MetricError::row(file, line, RowProblem::UnknownClass)),
				}
			}
			let mut rows = table.rows;
			match_ids(&mut labels, &mut rows)?;
			let k = table.classes.len();
			let pairs = labels.iter().zip(&rows).filter(|(l, _)| selector.keep(l.id));
			if metric == Metric::LogLoss {
				let mut acc = LogLossAcc::default();
				for (l, r) in pairs {
					acc.push(table.probs[r.value as usize * k + column[l.value as usize]])?;
				}
				acc.finish()
			} else {
				let positive = if table.classes[1] > table.classes[0] { 1 } else { 0 };
				let mut points: Vec<(u128, bool)> = pairs
					.map(|(l, r)| (table.probs[r.value as usize * k + positive], column[l.value as usize] == positive))
					.collect();
				auc_of_points(&mut points)
			}
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use alloc::format;
	use alloc::string::ToString;

	#[test]
	fn score_display_and_parts() {
		assert_eq!(Score::from_parts(1_500_000_000_000_000_000).to_string(), "1.500000000000000000");
		assert_eq!(Score::from_parts(1).to_string(), "0.000000000000000001");
		assert_eq!(format!("{:.4}", Score::from_parts(1_234_550_000_000_000_000)), "1.2346");
		assert_eq!(format!("{:.4}", Score::from_parts(1_234_449_999_999_999_999)), "1.2344");
		assert_eq!(format!("{:.0}", Score::from_parts(2_500_000_000_000_000_000)), "3");
		assert_eq!(format!("{:.2}", Score::from_parts(999_999_999_999_999_999)), "1.00");
		assert_eq!(Score::from_parts(42).into_inner(), 42);
		assert_eq!(Score::parse("0.75"), Ok(Score::from_parts(750_000_000_000_000_000)));
		assert_eq!("1e-18".parse::<Score>(), Ok(Score::from_parts(1)));
		assert_eq!(Score::parse("-1"), Err(RowProblem::MalformedNumber));
		assert_eq!(Score::from_parts(2_250_000_000_000_000_000).to_f64(), 2.25);
		let f: f64 = Score::ONE.into();
		assert_eq!(f, 1.0);
		assert_eq!(Score::from_parts(u128::MAX).split().0, u128::MAX / VALUE_SCALE);
	}

	#[test]
	fn metric_direction() {
		let (lo, hi) = (Score::from_parts(1), Score::from_parts(2));
		for m in Metric::ALL {
			assert_eq!(Metric::from_name(m.name()), Some(m));
			assert!(!m.is_better(lo, lo));
			assert_eq!(m.is_better(hi, lo), m.higher_is_better());
			assert_eq!(m.is_better(lo, hi), !m.higher_is_better());
		}
		assert!(Metric::Accuracy.higher_is_better());
		assert!(Metric::MacroF1.higher_is_better());
		assert!(Metric::RocAuc.higher_is_better());
		assert!(!Metric::Rmse.higher_is_better());
		assert!(!Metric::Mae.higher_is_better());
		assert!(!Metric::LogLoss.higher_is_better());
		let step = Score::from_parts(1);
		assert!(!Metric::Accuracy.is_better_by_more_than(hi, lo, step));
		assert!(Metric::Accuracy.is_better_by_more_than(Score::from_parts(3), lo, step));
		assert!(!Metric::Rmse.is_better_by_more_than(lo, hi, step));
		assert!(Metric::Rmse.is_better_by_more_than(lo, Score::from_parts(3), step));
		assert!(!Metric::Accuracy.is_better_by_more_than(
			Score::from_parts(u128::MAX),
			Score::from_parts(u128::MAX - 1),
			step
		));
		assert_eq!(Metric::from_name("f1"), None);
	}

	#[cfg(feature = "scale")]
	#[test]
	fn scale_round_trip() {
		use codec::{Decode, Encode, MaxEncodedLen};
		let s = Score::from_parts(123);
		assert_eq!(Score::decode(&mut &s.encode()[..]), Ok(s));
		assert_eq!(Score::max_encoded_len(), 16);
		assert_eq!(Metric::RocAuc.encode(), alloc::vec![5u8]);
		assert_eq!(Subset::Private.encode(), alloc::vec![2u8]);
		let e = MetricError::Row {
			file: FileKind::Predictions,
			line: 7,
			problem: RowProblem::DuplicateId { first_line: 3 },
		};
		assert_eq!(MetricError::decode(&mut &e.encode()[..]), Ok(e));
		assert!(MetricError::max_encoded_len() <= 16);
	}

	#[test]
	fn the_ladder_releases_only_clear_improvements_rounded_to_the_step() {
		let d = |s: &str| Score::parse(s).unwrap();
		let step = d("0.01");
		assert_eq!(d("0.9749").rounded_to(step), d("0.97"));
		assert_eq!(d("0.975").rounded_to(step), d("0.98"));
		assert_eq!(d("0.975").rounded_to(Score::ZERO), d("0.975"));
		assert_eq!(
			Score::from_parts(u128::MAX).rounded_to(Score::from_parts(u128::MAX - 1)),
			Score::from_parts(u128::MAX - 1)
		);
		// RMSE, lower is better: 1.0 is released; 0.995 and 0.9951 do not beat it by more than the
		// step; 0.9849 does and shows as 0.98; 0.975 does not beat 0.98 by more than 0.01.
		let scores = [d("1.0"), d("0.995"), d("0.9951"), d("0.9849"), d("0.975"), d("0.969")];
		assert_eq!(
			Metric::Rmse.ladder(step, scores),
			vec![Some(d("1.0")), None, None, Some(d("0.98")), None, Some(d("0.97"))]
		);
		// Accuracy, higher is better.
		let scores = [d("0.5"), d("0.505"), d("0.52")];
		assert_eq!(Metric::Accuracy.ladder(step, scores), vec![Some(d("0.5")), None, Some(d("0.52"))]);
		// A zero step releases every strict improvement unrounded.
		assert_eq!(
			Metric::Rmse.ladder(Score::ZERO, [d("1.0"), d("1.0"), d("0.9999")]),
			vec![Some(d("1.0")), None, Some(d("0.9999"))]
		);
	}
}
