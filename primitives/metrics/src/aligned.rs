//! The fast path of [`crate::score`] for the usual input: both files list the same ids in the same order.
//!
//! The two files are read in lockstep, one row of each at a time, and each matched row goes straight into
//! the metric's accumulator, so nothing is stored per row except what the metric needs (ROC-AUC's points)
//! and, only when the labels' ids are neither increasing numbers nor increasing in byte order, a copy of
//! them as numbers for the duplicate check. That is faster than the general path, and small enough for
//! the off-chain worker's heap (whose allocator refuses any single allocation above 32 MiB).
//!
//! It only ever returns a score: at the first thing that is not plainly valid (a malformed or quoted
//! field, an empty line, a different id, a duplicate, an unknown class, an accumulator error...) it gives
//! up with `None` and [`crate::score`] runs the general path, which finds and reports the error exactly as
//! before. The sums are exact integers, so reading in lockstep cannot change a score.

use alloc::vec::Vec;

use crate::csv::{
	check_two_column_header, find_byte, parse_probability, read_header, read_probability_header, trim, Interner, Lines,
	PROBABILITY_SUM_TOLERANCE,
};
use crate::decimal::{parse_decimal, VALUE_SCALE};
use crate::error::FileKind;
use crate::metrics::{auc_of_packed, AccuracyAcc, F1Acc, LogLossAcc, RegressionAcc};
use crate::split::RowSelector;
use crate::{InputKind, Metric, Score};

/// Data rows after a header, as the general reader splits them (`\n`, then one trailing `\r` removed).
struct Rows<'a> {
	rest: &'a [u8],
	rows: u32,
}

impl<'a> Rows<'a> {
	fn after_header(lines: &Lines<'a>) -> Self {
		Rows { rest: lines.rest(), rows: 0 }
	}

	/// The next line, or `None` at the end of the input.
	#[inline]
	fn next_line(&mut self) -> Option<&'a [u8]> {
		if self.rest.is_empty() {
			return None;
		}
		let (mut line, rest) = match find_byte(self.rest, b'\n') {
			Some(pos) => (&self.rest[..pos], &self.rest[pos + 1..]),
			None => (self.rest, &[][..]),
		};
		self.rest = rest;
		if let [head @ .., b'\r'] = line {
			line = head;
		}
		self.rows += 1;
		Some(line)
	}

	/// Whether the line count stays below the general reader's limit (u32 line numbers).
	fn fits(&self) -> bool {
		self.rows < u32::MAX - 1
	}
}

/// A valid `id,value` line split into its trimmed id and value; `None` for anything else.
#[inline]
fn two_fields(line: &[u8]) -> Option<(&[u8], &[u8])> {
	let mut comma = None;
	for (i, &b) in line.iter().enumerate() {
		if b == b',' {
			if comma.is_some() {
				return None;
			}
			comma = Some(i);
		} else if b == b'"' {
			return None;
		}
	}
	let comma = comma?;
	let id = trim(&line[..comma]);
	let value = trim(&line[comma + 1..]);
	if id.is_empty() || value.is_empty() {
		return None;
	}
	Some((id, value))
}

#[inline]
fn same(a: &[u8], b: &[u8]) -> bool {
	a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

/// A canonical decimal integer id (no sign, no leading zero, at most 19 digits): distinct ids are
/// distinct numbers, so ids can be checked for duplicates as numbers.
#[inline]
fn numeric_id(id: &[u8]) -> Option<u64> {
	if id.is_empty() || id.len() > 19 || (id[0] == b'0' && id.len() > 1) {
		return None;
	}
	let mut n: u64 = 0;
	for &b in id {
		let d = b.wrapping_sub(b'0');
		if d >= 10 {
			return None;
		}
		n = n * 10 + u64::from(d);
	}
	Some(n)
}

/// Whether the labels' ids are all different, watched row by row.
struct Uniqueness<'a> {
	count: u64,
	previous: &'a [u8],
	bytes_increasing: bool,
	numeric: bool,
	previous_number: u64,
	numbers_increasing: bool,
}

impl<'a> Uniqueness<'a> {
	fn new() -> Self {
		Uniqueness {
			count: 0,
			previous: &[],
			bytes_increasing: true,
			numeric: true,
			previous_number: 0,
			numbers_increasing: true,
		}
	}

	#[inline]
	fn push(&mut self, id: &'a [u8]) {
		if self.count > 0 && self.bytes_increasing && id <= self.previous {
			self.bytes_increasing = false;
		}
		if self.numeric {
			match numeric_id(id) {
				Some(n) => {
					if self.count > 0 && n <= self.previous_number {
						self.numbers_increasing = false;
					}
					self.previous_number = n;
				}
				None => self.numeric = false,
			}
		}
		self.previous = id;
		self.count += 1;
	}

	/// Whether every id was different; reads the labels' ids again (as numbers) only when neither order
	/// settles it. `None` (give up) for unordered non-numeric ids.
	fn all_different(&self, labels: Rows<'_>) -> Option<bool> {
		if self.bytes_increasing || (self.numeric && self.numbers_increasing) {
			return Some(true);
		}
		if !self.numeric {
			return None;
		}
		let mut rows = labels;
		let mut numbers = Vec::with_capacity(self.count as usize);
		while let Some(line) = rows.next_line() {
			numbers.push(numeric_id(two_fields(line)?.0)?);
		}
		numbers.sort_unstable();
		Some(numbers.windows(2).all(|w| w[0] != w[1]))
	}
}

/// Score in lockstep, or `None` to let the general path decide (see the module documentation).
pub(crate) fn score_aligned(
	metric: Metric,
	labels_csv: &[u8],
	predictions_csv: &[u8],
	selector: &RowSelector,
) -> Option<Score> {
	let mut label_lines = Lines::new(labels_csv, FileKind::Labels);
	let header = read_header(&mut label_lines, FileKind::Labels).ok()?;
	check_two_column_header(header, FileKind::Labels).ok()?;
	let labels = Rows::after_header(&label_lines);
	let mut pred_lines = Lines::new(predictions_csv, FileKind::Predictions);
	match metric.input_kind() {
		InputKind::Values => {
			let header = read_header(&mut pred_lines, FileKind::Predictions).ok()?;
			check_two_column_header(header, FileKind::Predictions).ok()?;
			let preds = Rows::after_header(&pred_lines);
			let mut acc = RegressionAcc::default();
			lockstep_two(labels, preds, |id, l, p| {
				let (y, y_hat) = (parse_decimal(l).ok()?, parse_decimal(p).ok()?);
				if selector.keep(id) {
					acc.push(y, y_hat).ok()?;
				}
				Some(())
			})?;
			if metric == Metric::Rmse {
				acc.rmse().ok()
			} else {
				acc.mae().ok()
			}
		}
		InputKind::Labels => {
			let header = read_header(&mut pred_lines, FileKind::Predictions).ok()?;
			check_two_column_header(header, FileKind::Predictions).ok()?;
			let preds = Rows::after_header(&pred_lines);
			let mut interner = Interner::default();
			let (mut accuracy, mut f1) = (AccuracyAcc::default(), F1Acc::new(0));
			lockstep_two(labels, preds, |id, l, p| {
				// Line numbers only matter for errors, which the general path reports.
				let y = interner.intern(l, FileKind::Labels, 0).ok()?;
				let y_hat = interner.intern(p, FileKind::Predictions, 0).ok()?;
				if selector.keep(id) {
					if metric == Metric::Accuracy {
						accuracy.push(y == y_hat);
					} else {
						f1.grow(interner.len());
						f1.push(y, y_hat);
					}
				}
				Some(())
			})?;
			if metric == Metric::Accuracy {
				accuracy.finish().ok()
			} else {
				f1.finish().ok()
			}
		}
		InputKind::Probabilities => {
			let classes = read_probability_header(&mut pred_lines, FileKind::Predictions).ok()?;
			let k = classes.len();
			if metric == Metric::RocAuc && k != 2 {
				return None;
			}
			let positive = usize::from(metric == Metric::RocAuc && classes[1] > classes[0]);
			let mut preds = Rows::after_header(&pred_lines);
			let mut labels = labels;
			let first_labels = Rows { rest: labels.rest, rows: 0 };
			let mut interner = Interner::default();
			let columns: alloc::collections::BTreeMap<&[u8], usize> =
				classes.iter().enumerate().map(|(column, name)| (*name, column)).collect();
			// Column of each interned label.
			let mut column: Vec<usize> = Vec::new();
			let mut probs: Vec<u128> = Vec::with_capacity(k);
			let mut log_loss = LogLossAcc::default();
			let mut points: Vec<u64> = Vec::new();
			let mut ids = Uniqueness::new();
			while let Some((l, p)) = next_pair(&mut labels, &mut preds)? {
				let (id, label) = two_fields(l)?;
				if p.contains(&b'"') {
					return None;
				}
				let mut fields = p.split(|&b| b == b',');
				if !same(id, trim(fields.next()?)) {
					return None;
				}
				probs.clear();
				let mut sum: u128 = 0;
				for field in fields {
					let v = parse_probability(trim(field)).ok()?;
					sum += v;
					probs.push(v);
				}
				if probs.len() != k || sum.abs_diff(VALUE_SCALE) > PROBABILITY_SUM_TOLERANCE {
					return None;
				}
				let c = interner.intern(label, FileKind::Labels, 0).ok()? as usize;
				if c == column.len() {
					column.push(*columns.get(label)?);
				}
				ids.push(id);
				if selector.keep(id) {
					let col = column[c];
					if metric == Metric::LogLoss {
						log_loss.push(probs[col]).ok()?;
					} else {
						// p ≤ 10^18 < 2^60: the score and the truth packed in one integer.
						points.push(((probs[positive] as u64) << 1) | u64::from(col == positive));
					}
				}
			}
			if !ids.all_different(first_labels)? {
				return None;
			}
			if metric == Metric::LogLoss {
				log_loss.finish().ok()
			} else {
				auc_of_packed(&mut points).ok()
			}
		}
	}
}

/// Read two `id,value` files in lockstep, calling `row(id, label value, prediction value)` for each row.
/// `None` when the files differ in length or ids, a line is not a plain valid row, `row` gives up, or
/// the labels' ids are not all different.
#[inline]
fn lockstep_two<'a>(
	mut labels: Rows<'a>,
	mut preds: Rows<'a>,
	mut row: impl FnMut(&'a [u8], &'a [u8], &'a [u8]) -> Option<()>,
) -> Option<()> {
	let first_labels = Rows { rest: labels.rest, rows: 0 };
	let mut ids = Uniqueness::new();
	while let Some((l, p)) = next_pair(&mut labels, &mut preds)? {
		let (id, l) = two_fields(l)?;
		let (pid, p) = two_fields(p)?;
		if !same(id, pid) {
			return None;
		}
		ids.push(id);
		row(id, l, p)?;
	}
	ids.all_different(first_labels)?.then_some(())
}

/// The next line of each file: `Some(None)` when both end together, `None` (give up) when one ends first
/// or the line count reaches the general reader's limit.
#[inline]
fn next_pair<'a>(labels: &mut Rows<'a>, preds: &mut Rows<'a>) -> Option<Option<(&'a [u8], &'a [u8])>> {
	match (labels.next_line(), preds.next_line()) {
		(None, None) => Some(None),
		(Some(l), Some(p)) if labels.fits() => Some(Some((l, p))),
		_ => None,
	}
}
