//! The general path of [`crate::score`]: rows matched by id whatever their order, in bounded memory.
//!
//! Nothing is stored per row except what locates it in the input: the labels' line starts, in a hash table
//! keyed by id (one `usize` slot per row, at most half full: 8 MiB for 1,000,000 rows in the off-chain
//! worker, whose allocator refuses any single allocation above 32 MiB), plus ROC-AUC's points (8 bytes per
//! row). Values and labels are read again from the input when a row is matched.
//!
//! 1. The labels file is read in line order (any malformed line is reported at once) and each id goes into
//!    the table.
//! 2. The predictions file is read in line order (any malformed line is reported at once); each row's id is
//!    looked up and, when it finds a labels row not matched yet, the pair goes straight into the metric's
//!    accumulator.
//! 3. Header-level checks that come after the predictions' rows (ROC-AUC's two classes, a label class with
//!    no probability column), as before.
//! 4. When every predictions row found its own labels row and every labels row was found, the score is
//!    final. Otherwise (a duplicate, an unknown or a missing id, or a table whose probing exceeded its
//!    budget, which bounds the time adversarial ids could cost) the exact path decides: both files' line
//!    starts are sorted by (id, line), giving the same error, with the same precedence, as matching sorted
//!    rows always did: duplicates in labels (the smallest duplicated id, on its second line), duplicates in
//!    predictions, then the smallest id present in one file only. With no error there, it scores the pairs
//!    in id order (the sums are exact integers, so the order of accumulation cannot change a score).
//!
//! Memory for 1,000,000 rows: the 8 MiB table, or on the exact path two 4 MiB arrays (wasm32).
//!
//! **Listed mode** ([`crate::score_listed`]): the labels file lists the rows to score, and the predictions
//! may hold other rows too, which are skipped. Every predictions line is still read and checked in step 2
//! (a malformed line is the same error as above). In step 2 an id that is not in the table is skipped
//! instead of ending the fast path; each lookup then adds [`LOOKUP_BUDGET`] probes to the budget (the
//! predictions may have many more rows than the table), so the time stays bounded by the rows of both
//! files. The exact path skips predictions ids absent from the labels, and reports, in this order:
//! duplicates in labels, the smallest labels id that appears twice in the predictions (on its second
//! line), then the smallest labels id with no prediction.

use alloc::vec::Vec;

use crate::csv::{
	check_two_column_header, count_columns, count_newlines, find_byte, parse_probability, read_header,
	probability_classes, split_two, strip_bom, trim, Interner, Lines, PROBABILITY_SUM_TOLERANCE,
};
use crate::decimal::{parse_decimal, VALUE_SCALE};
use crate::error::{FileKind, MetricError, RowProblem};
use crate::metrics::{auc_of_packed, AccuracyAcc, F1Acc, LogLossAcc, RegressionAcc};
use crate::split::RowSelector;
use crate::{InputKind, Metric, Score};

/// Score with rows matched by id (see the module documentation); `listed`: predictions rows whose id is not
/// in the labels file are skipped (listed mode) instead of being an error.
pub(crate) fn score_joined(
	metric: Metric,
	labels_csv: &[u8],
	predictions_csv: &[u8],
	selector: &RowSelector,
	listed: bool,
) -> Result<Score, MetricError> {
	score_joined_with(metric, labels_csv, predictions_csv, selector, listed, true)
}

/// [`score_joined`], or with `hash_table` false (tests) always through the exact path.
fn score_joined_with(
	metric: Metric,
	labels_csv: &[u8],
	predictions_csv: &[u8],
	selector: &RowSelector,
	listed: bool,
	hash_table: bool,
) -> Result<Score, MetricError> {
	let kind = metric.input_kind();
	let label_base = strip_bom(labels_csv);
	let pred_base = strip_bom(predictions_csv);

	// 1. Labels, in line order, into the table.
	let mut lines = Lines::new(labels_csv, FileKind::Labels);
	let header = read_header(&mut lines, FileKind::Labels)?;
	check_two_column_header(header, FileKind::Labels)?;
	let mut table = if hash_table {
		IdTable::with_rows(count_newlines(lines.rest()) + 1, label_base.len())
	} else {
		IdTable::none()
	};
	let mut interner = Interner::default();
	let mut label_rows = 0usize;
	// Rows are added and looked up BATCH at a time, their table slots and labels lines read first in one
	// sweep, so the cache misses of a batch overlap instead of following one another.
	let mut inserts: Vec<(&[u8], usize, usize)> = Vec::with_capacity(BATCH);
	loop {
		let start = label_base.len() - lines.rest().len();
		let Some((line, text)) = lines.next_line()? else { break };
		let err = |p| MetricError::row(FileKind::Labels, line, p);
		let id = match kind {
			InputKind::Values => value_row(text).map_err(err)?.0,
			InputKind::Labels | InputKind::Probabilities => {
				let (id, label) = label_row(text).map_err(err)?;
				interner.intern(label, FileKind::Labels, line).map_err(err)?;
				id
			}
		};
		label_rows += 1;
		if table.alive {
			inserts.push((id, start, table.home(id)));
			if inserts.len() == BATCH {
				table.insert_all(label_base, &inserts);
				inserts.clear();
			}
		}
	}
	table.insert_all(label_base, &inserts);
	drop(inserts);
	if listed {
		table.skip_unknown();
	}

	// 2. Predictions, in line order: each row is checked, then matched and scored while the table holds.
	let mut lines = Lines::new(predictions_csv, FileKind::Predictions);
	let mut acc = Accumulator::new(metric, selector, label_rows);
	let mut probs: Vec<u128> = Vec::new();
	let mut expected_columns = 0;
	let mut classes = Vec::new();
	let mut single = false;
	if kind == InputKind::Probabilities {
		(classes, single) = probability_columns(&mut lines, &interner)?;
		expected_columns = if single { 2 } else { classes.len() as u32 + 1 };
		probs = Vec::with_capacity(classes.len());
		acc.set_classes(&classes, &interner);
	} else {
		let header = read_header(&mut lines, FileKind::Predictions)?;
		check_two_column_header(header, FileKind::Predictions)?;
	}
	let mut first_error: Option<MetricError> = None;
	let k = classes.len();
	let mut batch: Vec<(&[u8], Held, usize)> = Vec::with_capacity(BATCH);
	let mut batch_probs: Vec<u128> = Vec::with_capacity(BATCH * k);
	loop {
		let next = lines.next_line()?;
		if let Some((line, text)) = next {
			let err = |p| MetricError::row(FileKind::Predictions, line, p);
			let (id, held) = match kind {
				InputKind::Values => {
					let (id, v) = value_row(text).map_err(err)?;
					(id, Held::Value(v))
				}
				InputKind::Labels => {
					let (id, label) = label_row(text).map_err(err)?;
					(id, Held::Label(interner.intern(label, FileKind::Predictions, line).map_err(err)?))
				}
				InputKind::Probabilities => {
					let id = probability_row(text, expected_columns, single, &mut probs).map_err(err)?;
					let at = batch_probs.len();
					batch_probs.extend_from_slice(&probs);
					(id, Held::Probabilities(at))
				}
			};
			if table.alive {
				batch.push((id, held, table.home(id)));
			}
		}
		if batch.len() == BATCH || next.is_none() {
			table.prefetch(label_base, batch.iter().map(|b| b.2));
			for &(id, held, home) in &batch {
				let pred = match held {
					Held::Value(v) => Pred::Value(v),
					Held::Label(c) => Pred::Label(c),
					Held::Probabilities(at) => Pred::Probabilities(batch_probs.get(at..at + k).unwrap_or(&[])),
				};
				if let Some(start) = table.take(label_base, id, home) {
					if let Err(e) = acc.pair(&mut interner, id, line_at(label_base, start), pred) {
						first_error.get_or_insert(e);
					}
				}
			}
			batch.clear();
			batch_probs.clear();
		}
		if next.is_none() {
			break;
		}
	}
	drop(batch);

	// 3. Checks on the classes, after every row of both files was read.
	if kind == InputKind::Probabilities {
		if metric == Metric::RocAuc && classes.len() != 2 {
			return Err(MetricError::NotBinary { classes: classes.len() as u32 });
		}
		// Labels were interned in line order, so the first one without a column is on the earliest line.
		for &(name, file, line) in &interner.labels {
			if !classes.contains(&name) {
				return Err(MetricError::row(file, line, RowProblem::UnknownClass));
			}
		}
	}

	// 4. Every row matched once: the score. Otherwise the exact path finds the error, or scores the pairs.
	if table.complete(label_rows) {
		if let Some(e) = first_error {
			return Err(e);
		}
		return acc.finish();
	}
	drop(table);
	let mut acc = Accumulator::new(metric, selector, label_rows);
	acc.set_classes(&classes, &interner);
	match_sorted(label_base, predictions_csv, listed, |label_start, pred_start| {
		let pred_line = line_at(pred_base, pred_start);
		let (id, pred) = match kind {
			InputKind::Values => {
				let (id, v) = value_row(pred_line).map_err(|_| MetricError::InvalidInput)?;
				(id, Pred::Value(v))
			}
			InputKind::Labels => {
				let (id, label) = label_row(pred_line).map_err(|_| MetricError::InvalidInput)?;
				let class = interner
					.intern(label, FileKind::Predictions, 0)
					.map_err(|p| MetricError::row(FileKind::Predictions, 0, p))?;
				(id, Pred::Label(class))
			}
			InputKind::Probabilities => {
				let id = probability_row(pred_line, expected_columns, single, &mut probs)
					.map_err(|_| MetricError::InvalidInput)?;
				(id, Pred::Probabilities(&probs))
			}
		};
		acc.pair(&mut interner, id, line_at(label_base, label_start), pred)
	})?;
	acc.finish()
}

/// A checked `id,<number>` line: the trimmed id and the value.
#[inline]
fn value_row(text: &[u8]) -> Result<(&[u8], i128), RowProblem> {
	let (id, value) = split_two(text)?;
	Ok((id, parse_decimal(value)?))
}

/// A checked `id,<label>` line: the trimmed id and label.
#[inline]
fn label_row(text: &[u8]) -> Result<(&[u8], &[u8]), RowProblem> {
	let (id, label) = split_two(text)?;
	if label.is_empty() {
		return Err(RowProblem::EmptyValue);
	}
	Ok((id, label))
}

/// The classes of a probabilities file's columns, and whether it is the single-column binary form: `id,p_<c>`
/// (the probability of class `c`) or `id,<any name>` (the probability of the positive class, the greater of
/// the labels' two in byte order, as scikit-learn takes it). Its classes are then the labels' two, the
/// other one first: each row `p` reads as `1 − p, p`.
fn probability_columns<'a>(
	lines: &mut Lines<'a>,
	interner: &Interner<'a>,
) -> Result<(Vec<&'a [u8]>, bool), MetricError> {
	let header = read_header(lines, FileKind::Predictions)?;
	if count_columns(header) != 2 {
		return Ok((probability_classes(header, FileKind::Predictions)?, false));
	}
	let column = trim(header.split(|&b| b == b',').nth(1).unwrap_or(&[]));
	let not_binary = MetricError::row(FileKind::Predictions, 1, RowProblem::NotBinaryColumn);
	let [(a, _, _), (b, _, _)] = interner.labels[..] else { return Err(not_binary) };
	let (low, high) = if a < b { (a, b) } else { (b, a) };
	let named = match column.strip_prefix(b"p_") {
		Some(class) if class == low => low,
		Some(class) if class == high => high,
		Some(_) => return Err(not_binary),
		None => high,
	};
	let other = if named == high { low } else { high };
	Ok((alloc::vec![other, named], true))
}

/// A checked probabilities line with `expected` columns: the trimmed id; the probabilities go to `probs`.
/// The checks, and their order, are those of the general reader. `single`: the line holds one probability
/// `p`, which goes to `probs` as `1 − p, p`.
#[inline]
fn probability_row<'a>(
	text: &'a [u8],
	expected: u32,
	single: bool,
	probs: &mut Vec<u128>,
) -> Result<&'a [u8], RowProblem> {
	if text.is_empty() {
		return Err(RowProblem::EmptyLine);
	}
	let found = count_columns(text);
	if found != expected {
		return Err(RowProblem::WrongColumnCount { expected, found });
	}
	if text.contains(&b'"') {
		return Err(RowProblem::QuotedField);
	}
	let mut fields = text.split(|&b| b == b',');
	let id = trim(fields.next().unwrap_or(&[]));
	if id.is_empty() {
		return Err(RowProblem::EmptyId);
	}
	probs.clear();
	let mut sum: u128 = 0;
	for field in fields {
		let p = parse_probability(trim(field))?;
		sum += p; // at most (u32::MAX columns) * 10^18: cannot overflow u128
		probs.push(p);
	}
	if single {
		let p = probs.pop().unwrap_or(0);
		probs.push(VALUE_SCALE - p);
		probs.push(p);
		return Ok(id);
	}
	if sum.abs_diff(VALUE_SCALE) > PROBABILITY_SUM_TOLERANCE {
		return Err(RowProblem::ProbabilitiesDoNotSumToOne);
	}
	Ok(id)
}

/// The line starting at `start` (without its terminator and a trailing `\r`).
#[inline]
fn line_at(base: &[u8], start: usize) -> &[u8] {
	let rest = base.get(start..).unwrap_or(&[]);
	let mut line = match find_byte(rest, b'\n') {
		Some(end) => &rest[..end],
		None => rest,
	};
	if let [head @ .., b'\r'] = line {
		line = head;
	}
	line
}

/// The trimmed id of the (checked) row starting at `start`: its first field.
#[inline]
fn id_at(base: &[u8], start: usize) -> &[u8] {
	let rest = base.get(start..).unwrap_or(&[]);
	match find_byte(rest, b',') {
		Some(end) => trim(&rest[..end]),
		None => trim(line_at(base, start)),
	}
}

/// The 1-based line number of the line starting at `start`.
fn line_number(base: &[u8], start: usize) -> u32 {
	(count_newlines(&base[..start.min(base.len())]) + 1) as u32
}

/// Rows per batch of table accesses.
const BATCH: usize = 64;

/// A predictions row's parsed value while its batch fills (probabilities: the offset of its row).
#[derive(Clone, Copy)]
enum Held {
	Value(i128),
	Label(u32),
	Probabilities(usize),
}

/// A predictions row's parsed value.
#[derive(Clone, Copy)]
enum Pred<'p> {
	Value(i128),
	Label(u32),
	Probabilities(&'p [u128]),
}

/// The metric's accumulator, fed one matched pair at a time.
struct Accumulator<'s> {
	metric: Metric,
	selector: &'s RowSelector,
	regression: RegressionAcc,
	accuracy: AccuracyAcc,
	f1: F1Acc,
	log_loss: LogLossAcc,
	/// ROC-AUC: `score << 1 | is_positive` (probabilities ≤ 10^18 < 2^60).
	points: Vec<u64>,
	/// Probability column of each interned label (`None`: no column, an error reported before scoring).
	column: Vec<Option<usize>>,
	/// ROC-AUC's positive column: the greater class name.
	positive: usize,
	/// The labels' rows: ROC-AUC's points are reserved for that many.
	rows: usize,
}

impl<'s> Accumulator<'s> {
	fn new(metric: Metric, selector: &'s RowSelector, rows: usize) -> Self {
		Accumulator {
			metric,
			selector,
			regression: RegressionAcc::default(),
			accuracy: AccuracyAcc::default(),
			f1: F1Acc::new(0),
			log_loss: LogLossAcc::default(),
			points: Vec::new(),
			column: Vec::new(),
			positive: 0,
			rows,
		}
	}

	/// For probabilities: the column of each label interned so far (the labels file's) and the positive class.
	fn set_classes(&mut self, classes: &[&[u8]], interner: &Interner<'_>) {
		if classes.is_empty() {
			return;
		}
		let columns: alloc::collections::BTreeMap<&[u8], usize> =
			classes.iter().enumerate().map(|(column, name)| (*name, column)).collect();
		self.column = interner.labels.iter().map(|&(name, _, _)| columns.get(name).copied()).collect();
		self.positive = usize::from(classes.len() == 2 && classes[1] > classes[0]);
	}

	/// One matched pair: the labels row's line and the predictions row's parsed value.
	#[inline]
	fn pair<'a>(
		&mut self,
		interner: &mut Interner<'a>,
		id: &[u8],
		label_line: &'a [u8],
		pred: Pred<'_>,
	) -> Result<(), MetricError> {
		if !self.selector.keep(id) {
			return Ok(());
		}
		match pred {
			Pred::Value(y_hat) => {
				let y = value_row(label_line).map_err(|_| MetricError::InvalidInput)?.1;
				self.regression.push(y, y_hat)
			}
			Pred::Label(y_hat) => {
				let label = label_row(label_line).map_err(|_| MetricError::InvalidInput)?.1;
				let y = interner
					.intern(label, FileKind::Labels, 0)
					.map_err(|p| MetricError::row(FileKind::Labels, 0, p))?;
				if self.metric == Metric::Accuracy {
					self.accuracy.push(y == y_hat);
				} else {
					self.f1.grow(interner.len());
					self.f1.push(y, y_hat);
				}
				Ok(())
			}
			Pred::Probabilities(probs) => {
				let label = label_row(label_line).map_err(|_| MetricError::InvalidInput)?.1;
				let c = interner
					.intern(label, FileKind::Labels, 0)
					.map_err(|p| MetricError::row(FileKind::Labels, 0, p))? as usize;
				// A label without a column, or ROC-AUC without two classes, is an error reported before
				// the score is used; nothing to add meanwhile.
				let Some(Some(col)) = self.column.get(c).copied() else { return Ok(()) };
				if self.metric == Metric::LogLoss {
					self.log_loss.push(probs.get(col).copied().ok_or(MetricError::InvalidInput)?)
				} else {
					if probs.len() != 2 {
						return Ok(());
					}
					let positive = self.positive;
					if self.points.capacity() == 0 {
						// Once, not by doubling: at most one point per labels row.
						self.points.reserve_exact(self.rows);
					}
					self.points.push(((probs[positive] as u64) << 1) | u64::from(col == positive));
					Ok(())
				}
			}
		}
	}

	fn finish(mut self) -> Result<Score, MetricError> {
		match self.metric {
			Metric::Rmse => self.regression.rmse(),
			Metric::Mae => self.regression.mae(),
			Metric::Accuracy => self.accuracy.finish(),
			Metric::MacroF1 => self.f1.finish(),
			Metric::LogLoss => self.log_loss.finish(),
			Metric::RocAuc => auc_of_packed(&mut self.points),
		}
	}
}

/// Open-addressing hash table from the labels' ids to their line starts (stored `+ 1`, 0 marking an empty
/// slot; the top bit marks a labels row already matched). Linear probing, at most half full. Probing is
/// given a budget proportional to the rows; past it the table gives up (and the exact path decides), so
/// ids chosen to collide cost bounded time.
struct IdTable {
	slots: Vec<u32>,
	shift: u32,
	budget: usize,
	matched: usize,
	/// False once the fast path cannot finish: a duplicate or an unmatched id was seen, or the budget ran out.
	alive: bool,
	/// Listed mode: a looked-up id that is not in the table is skipped (the fast path goes on), and each
	/// lookup adds [`LOOKUP_BUDGET`] to the budget.
	skip_unknown: bool,
}

const MATCHED: u32 = 1 << 31;

/// Listed mode: probes added to the budget by each lookup. Looking up an id that is absent from a table at
/// most half full takes about 1.5 probes of occupied slots on average (linear probing), so honest files
/// never run out, while ids chosen to collide cost at most this many probes per predictions row (plus the
/// table's own budget) before the exact path takes over.
const LOOKUP_BUDGET: usize = 8;

impl IdTable {
	/// A table for `rows` rows of a labels file of `len` bytes (line starts below 2^31 - 1, else no table).
	fn with_rows(rows: usize, len: usize) -> Self {
		if len >= (MATCHED - 1) as usize {
			return IdTable::none();
		}
		let Some(size) = rows.checked_mul(2).and_then(usize::checked_next_power_of_two) else {
			return IdTable::none();
		};
		let size = size.max(16);
		IdTable {
			slots: alloc::vec![0; size],
			shift: 64 - size.trailing_zeros(),
			budget: size.saturating_mul(8),
			matched: 0,
			alive: true,
			skip_unknown: false,
		}
	}

	/// No table: everything goes through the exact path.
	fn none() -> Self {
		IdTable { slots: Vec::new(), shift: 0, budget: 0, matched: 0, alive: false, skip_unknown: false }
	}

	/// Listed mode, for the lookups that follow: an unknown id is skipped (see [`Self::take`]).
	fn skip_unknown(&mut self) {
		self.skip_unknown = true;
	}

	#[inline]
	fn home(&self, id: &[u8]) -> usize {
		(hash(id).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
	}

	/// Read the slots at `homes` and the labels lines they point to, so that the probing that follows finds
	/// them in the cache (the loads are independent: their misses overlap).
	#[inline]
	fn prefetch(&self, base: &[u8], homes: impl Iterator<Item = usize>) {
		let mut touched = 0u8;
		for home in homes {
			let slot = self.slots.get(home).copied().unwrap_or(0) & !MATCHED;
			if slot != 0 {
				touched ^= base.get(slot as usize - 1).copied().unwrap_or(0);
			}
		}
		core::hint::black_box(touched);
	}

	/// Add labels rows `(id, line start, home slot)`; a duplicate id ends the fast path.
	fn insert_all(&mut self, base: &[u8], rows: &[(&[u8], usize, usize)]) {
		self.prefetch(base, rows.iter().map(|r| r.2));
		for &(id, start, home) in rows {
			self.insert(base, id, start, home);
		}
	}

	#[inline]
	fn insert(&mut self, base: &[u8], id: &[u8], start: usize, home: usize) {
		if !self.alive {
			return;
		}
		let mask = self.slots.len() - 1;
		let mut i = home;
		loop {
			let slot = self.slots[i];
			if slot == 0 {
				self.slots[i] = start as u32 + 1;
				return;
			}
			if self.budget == 0 || id_at(base, slot as usize - 1) == id {
				self.alive = false;
				return;
			}
			self.budget -= 1;
			i = (i + 1) & mask;
		}
	}

	/// The line start of the labels row with this id (whose home slot is `home`), marked matched; `None`
	/// (and the fast path ends) when there is none, it was matched already, or the budget ran out. In
	/// listed mode an id that is not in the table is `None` too, but the fast path goes on.
	#[inline]
	fn take(&mut self, base: &[u8], id: &[u8], home: usize) -> Option<usize> {
		if !self.alive {
			return None;
		}
		if self.skip_unknown {
			self.budget = self.budget.saturating_add(LOOKUP_BUDGET);
		}
		let mask = self.slots.len() - 1;
		let mut i = home;
		loop {
			let slot = self.slots[i];
			if slot == 0 && self.skip_unknown {
				return None;
			}
			if slot == 0 || self.budget == 0 {
				self.alive = false;
				return None;
			}
			let start = (slot & !MATCHED) as usize - 1;
			if id_at(base, start) == id {
				if slot & MATCHED != 0 {
					self.alive = false;
					return None;
				}
				self.slots[i] = slot | MATCHED;
				self.matched += 1;
				return Some(start);
			}
			self.budget -= 1;
			i = (i + 1) & mask;
		}
	}

	/// Whether every one of the `rows` labels rows was matched exactly once, and nothing else was seen
	/// (listed mode: nothing else but ids absent from the table).
	fn complete(&self, rows: usize) -> bool {
		self.alive && self.matched == rows
	}
}

/// 64-bit hash of an id, eight bytes at a time (not keyed: collisions cost time, never correctness).
#[inline]
fn hash(id: &[u8]) -> u64 {
	const K: u64 = 0xF135_7AEA_2E62_A9C5;
	let mut h = id.len() as u64;
	let mut chunks = id.chunks_exact(8);
	for chunk in &mut chunks {
		let mut word = [0u8; 8];
		word.copy_from_slice(chunk);
		h = (h.rotate_left(26) ^ u64::from_le_bytes(word)).wrapping_mul(K);
	}
	let rest = chunks.remainder();
	if !rest.is_empty() {
		let mut word = [0u8; 8];
		word[..rest.len()].copy_from_slice(rest);
		h = (h.rotate_left(26) ^ u64::from_le_bytes(word)).wrapping_mul(K);
	}
	h ^ (h >> 32)
}

/// Line starts of a checked file's data rows (after the header).
fn row_starts(data: &[u8], file: FileKind) -> Vec<usize> {
	let base = strip_bom(data);
	let mut lines = Lines::new(data, file);
	let _ = lines.next_line();
	let mut starts = Vec::with_capacity(count_newlines(lines.rest()) + 1);
	loop {
		let start = base.len() - lines.rest().len();
		match lines.next_line() {
			Ok(Some(_)) => starts.push(start),
			_ => return starts,
		}
	}
}

/// A file's line starts sorted by (id, line).
fn sorted(data: &[u8], file: FileKind) -> Vec<usize> {
	let base = strip_bom(data);
	let mut starts = row_starts(data, file);
	// Files are often already in id order; then this is a linear scan.
	if !starts.windows(2).all(|w| id_at(base, w[0]) < id_at(base, w[1])) {
		starts.sort_unstable_by(|&a, &b| id_at(base, a).cmp(id_at(base, b)).then(a.cmp(&b)));
	}
	starts
}

/// The error for a repeated id: found on the line starting at `second`, first seen on the one at `first`.
fn duplicate(base: &[u8], file: FileKind, first: usize, second: usize) -> MetricError {
	let first_line = line_number(base, first);
	MetricError::row(file, line_number(base, second), RowProblem::DuplicateId { first_line })
}

/// A file's line starts sorted by (id, line); the first repeated id (the smallest, on its second line) is
/// an error.
fn sorted_unique(data: &[u8], file: FileKind) -> Result<Vec<usize>, MetricError> {
	let base = strip_bom(data);
	let starts = sorted(data, file);
	for w in starts.windows(2) {
		if id_at(base, w[0]) == id_at(base, w[1]) {
			return Err(duplicate(base, file, w[0], w[1]));
		}
	}
	Ok(starts)
}

/// For each labels row in id order (`labels`: line starts sorted by id), `each(labels line start, the
/// predictions rows with that id)` (`predictions`: line starts sorted by (id, line)). Predictions rows
/// whose id is not in `labels` are skipped.
fn for_each_listed(
	(label_base, labels): (&[u8], &[usize]),
	(pred_base, predictions): (&[u8], &[usize]),
	mut each: impl FnMut(usize, &[usize]) -> Result<(), MetricError>,
) -> Result<(), MetricError> {
	let mut j = 0;
	for &start in labels {
		let id = id_at(label_base, start);
		while j < predictions.len() && id_at(pred_base, predictions[j]) < id {
			j += 1;
		}
		let from = j;
		while j < predictions.len() && id_at(pred_base, predictions[j]) == id {
			j += 1;
		}
		each(start, &predictions[from..j])?;
	}
	Ok(())
}

/// The exact matching: duplicates in labels, duplicates in predictions, then the smallest id present in one
/// file only, as errors; otherwise `pair(label line start, prediction line start)` for every id, in id order.
///
/// `listed`: predictions ids that are not in the labels are skipped; the errors are duplicates in labels,
/// then the smallest labels id found twice in the predictions, then the smallest labels id with no
/// prediction; otherwise `pair` for every labels id, in id order.
fn match_sorted(
	labels: &[u8],
	predictions: &[u8],
	listed: bool,
	mut pair: impl FnMut(usize, usize) -> Result<(), MetricError>,
) -> Result<(), MetricError> {
	let (label_base, pred_base) = (strip_bom(labels), strip_bom(predictions));
	let l = sorted_unique(labels, FileKind::Labels)?;
	if listed {
		let p = sorted(predictions, FileKind::Predictions);
		let (labels, preds) = ((label_base, &l[..]), (pred_base, &p[..]));
		// Ids in increasing order: the first duplicate found is the smallest; missing rows come after.
		let mut missing = None;
		for_each_listed(labels, preds, |start, rows| match rows {
			[] => {
				missing.get_or_insert(start);
				Ok(())
			}
			[_] => Ok(()),
			[first, second, ..] => Err(duplicate(pred_base, FileKind::Predictions, *first, *second)),
		})?;
		if let Some(start) = missing {
			let line = line_number(label_base, start);
			return Err(MetricError::row(FileKind::Labels, line, RowProblem::MissingPrediction));
		}
		return for_each_listed(labels, preds, |start, rows| match rows.first() {
			Some(&pred) => pair(start, pred),
			None => Err(MetricError::InvalidInput), // checked above
		});
	}
	let p = sorted_unique(predictions, FileKind::Predictions)?;
	let (mut i, mut j) = (0, 0);
	while i < l.len() && j < p.len() {
		match id_at(label_base, l[i]).cmp(id_at(pred_base, p[j])) {
			core::cmp::Ordering::Equal => {
				i += 1;
				j += 1;
			}
			core::cmp::Ordering::Less => {
				let line = line_number(label_base, l[i]);
				return Err(MetricError::row(FileKind::Labels, line, RowProblem::MissingPrediction));
			}
			core::cmp::Ordering::Greater => {
				let line = line_number(pred_base, p[j]);
				return Err(MetricError::row(FileKind::Predictions, line, RowProblem::UnknownId));
			}
		}
	}
	if i < l.len() {
		let line = line_number(label_base, l[i]);
		return Err(MetricError::row(FileKind::Labels, line, RowProblem::MissingPrediction));
	}
	if j < p.len() {
		let line = line_number(pred_base, p[j]);
		return Err(MetricError::row(FileKind::Predictions, line, RowProblem::UnknownId));
	}
	for (&a, &b) in l.iter().zip(&p) {
		pair(a, b)?;
	}
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::{public_rows, score, score_listed, score_sorted_reference, Split, PPB};
	use alloc::collections::BTreeMap;
	use alloc::format;
	use alloc::string::String;
	use alloc::vec;

	/// A small deterministic generator (xorshift64*).
	struct Rng(u64);

	impl Rng {
		fn next(&mut self) -> u64 {
			self.0 ^= self.0 >> 12;
			self.0 ^= self.0 << 25;
			self.0 ^= self.0 >> 27;
			self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
		}
		fn below(&mut self, n: usize) -> usize {
			(self.next() % n as u64) as usize
		}
		fn chance(&mut self, percent: u64) -> bool {
			self.next() % 100 < percent
		}
		fn shuffle<T>(&mut self, v: &mut [T]) {
			for i in (1..v.len()).rev() {
				v.swap(i, self.below(i + 1));
			}
		}
	}

	/// Ids that exercise the byte order: numbers (whose byte order is not numeric), long ids sharing an
	/// 8-byte prefix, an id and the same id with a NUL, padding that trimming removes.
	const IDS: [&str; 14] = [
		"1",
		"2",
		"10",
		"9",
		"100",
		"abc",
		"abd",
		"B",
		"prefix-123456789",
		"prefix-123456780",
		"prefix-1234567",
		"a",
		"a\0",
		"Z z",
	];

	fn value(rng: &mut Rng) -> String {
		const ODD: [&str; 9] = ["nan", "abc", "1e999", "inf", "", "1.2.3", "-Infinity", "2e16", "\"1\""];
		if rng.chance(4) {
			return String::from(ODD[rng.below(ODD.len())]);
		}
		format!("{}.{}", rng.below(7) as i64 - 3, rng.below(100))
	}

	fn label(rng: &mut Rng, classes: &[&str]) -> String {
		if rng.chance(2) {
			return String::from(["", "x", " "][rng.below(3)]);
		}
		String::from(classes[rng.below(classes.len())])
	}

	fn probabilities(rng: &mut Rng, k: usize) -> String {
		let mut left = 100usize;
		let mut out = String::new();
		for c in 0..k {
			let p = if c + 1 == k { left } else { rng.below(left + 1) };
			left -= p;
			out.push_str(&format!(",{}", p as f64 / 100.0));
		}
		if rng.chance(3) {
			out.push_str([",0", "", ",nan"][rng.below(3)]);
			out = out.replacen(",", ",0.9", usize::from(rng.chance(50)));
		}
		out
	}

	/// A random pair of files for `metric`: the predictions mostly a permutation of the labels' ids, with
	/// duplicates, missing and unknown ids, malformed lines and odd values now and then.
	fn files(rng: &mut Rng, metric: Metric) -> (String, String) {
		let n = rng.below(9);
		let mut pool: Vec<&str> = IDS.to_vec();
		rng.shuffle(&mut pool);
		let mut ids: Vec<String> = pool[..n].iter().map(|s| String::from(*s)).collect();
		if rng.chance(10) && n > 1 {
			ids[rng.below(n)] = ids[rng.below(n)].clone(); // a duplicate in labels
		}
		let classes = ["0", "1", "cat"];
		let k = if rng.chance(10) { 3 } else { 2 };
		let kind = metric.input_kind();
		let label_line = |rng: &mut Rng, id: &str| match kind {
			InputKind::Values => format!("{id},{}", value(rng)),
			_ => {
				let known = if rng.chance(5) { 3 } else { 2 };
				format!("{id},{}", label(rng, &classes[..known]))
			}
		};
		let mut labels = String::from(if rng.chance(5) { "\u{feff}id,y\n" } else { "id,y\n" });
		for id in &ids {
			labels.push_str(&label_line(rng, id));
			labels.push('\n');
		}
		let mut pids = ids.clone();
		if rng.chance(70) {
			rng.shuffle(&mut pids);
		}
		if rng.chance(10) && !pids.is_empty() {
			let i = rng.below(pids.len());
			pids.remove(i);
		}
		if rng.chance(10) {
			pids.insert(rng.below(pids.len() + 1), String::from(IDS[rng.below(IDS.len())]));
		}
		if rng.chance(8) && !pids.is_empty() {
			let d = pids[rng.below(pids.len())].clone();
			pids.insert(rng.below(pids.len() + 1), d);
		}
		let mut preds = match kind {
			InputKind::Probabilities if k == 3 => String::from("id,p_0,p_1,p_cat\n"),
			InputKind::Probabilities => String::from("id,p_1,p_0\n"),
			_ => String::from("id,y\n"),
		};
		for id in &pids {
			let id = if rng.chance(5) { format!(" {id}\t") } else { id.clone() };
			let line = match kind {
				InputKind::Values => format!("{id},{}", value(rng)),
				InputKind::Labels => format!("{id},{}", label(rng, &classes)),
				InputKind::Probabilities => format!("{id}{}", probabilities(rng, k)),
			};
			preds.push_str(&line);
			preds.push_str(if rng.chance(5) { "\r\n" } else { "\n" });
		}
		if rng.chance(3) {
			let at = rng.below(preds.len() + 1);
			if preds.is_char_boundary(at) {
				preds.insert_str(at, ["\n", ",", "\n\n"][rng.below(3)]);
			}
		}
		if rng.chance(3) {
			let at = rng.below(labels.len() + 1);
			if labels.is_char_boundary(at) {
				labels.insert(at, '\n');
			}
		}
		(labels, preds)
	}

	/// Both files with quoted fields unwrapped, as [`score`] and [`score_listed`] read them.
	fn unquoted_pair(labels: &str, preds: &str) -> Result<(Vec<u8>, Vec<u8>), MetricError> {
		let l = crate::csv::unquoted(labels.as_bytes(), FileKind::Labels)?.into_owned();
		let p = crate::csv::unquoted(preds.as_bytes(), FileKind::Predictions)?.into_owned();
		Ok((l, p))
	}

	/// Every path gives the old general path's result, score or error, on random files.
	#[test]
	fn same_results_as_sorting_all_rows() {
		let mut rng = Rng(0x5EED_1234_ABCD_0001);
		let splits = [Split::all(), Split::public(b"salt", 500_000_000), Split::private(b"salt", 500_000_000)];
		let mut outcomes = [0usize; 2];
		for round in 0..30_000 {
			let metric = Metric::ALL[round % Metric::ALL.len()];
			let (labels, preds) = files(&mut rng, metric);
			let split = &splits[rng.below(3)];
			let selector = RowSelector::new(split);
			let context = || format!("{metric} {split:?}\nlabels {labels:?}\npredictions {preds:?}");
			// Quoted fields are unwrapped before any path reads the files.
			let (l, p) = match unquoted_pair(&labels, &preds) {
				Ok(pair) => pair,
				Err(e) => {
					assert_eq!(score(metric, labels.as_bytes(), preds.as_bytes(), split), Err(e), "{}", context());
					outcomes[0] += 1;
					continue;
				},
			};
			let (l, p) = (&l[..], &p[..]);
			// The single-column binary form is newer than the oracle: there the paths agree with each other.
			let header_columns = p.split(|&b| b == b'\n').next().map_or(0, count_columns);
			let single = metric.input_kind() == InputKind::Probabilities && header_columns == 2;
			let want = if single {
				score(metric, l, p, split)
			} else {
				score_sorted_reference(metric, (l, p), &selector)
			};
			assert_eq!(score(metric, labels.as_bytes(), preds.as_bytes(), split), want, "score: {}", context());
			assert_eq!(score_joined_with(metric, l, p, &selector, false, true), want, "table: {}", context());
			assert_eq!(score_joined_with(metric, l, p, &selector, false, false), want, "exact: {}", context());
			outcomes[usize::from(want.is_ok())] += 1;
		}
		// Both outcomes are well represented.
		assert!(outcomes[0] > 5_000 && outcomes[1] > 5_000, "{outcomes:?}");
	}

	/// Ids that are in none of the generated labels files (besides the ids of [`IDS`] a file leaves out).
	const UNKNOWN: [&str; 5] = ["u", "0", "1000", "prefix-12345678", "abc\0"];

	/// `preds` with `count` more well-formed rows (ids mostly not in the labels, some repeated) inserted at
	/// line starts after the header.
	fn with_extra_rows(rng: &mut Rng, metric: Metric, preds: &str, count: usize) -> String {
		let mut lines: Vec<String> = preds.split_inclusive('\n').map(String::from).collect();
		let columns = lines.first().map_or(2, |h| h.split(',').count());
		let mut ids: Vec<&str> = Vec::new();
		for _ in 0..count {
			let id = match rng.below(10) {
				0..=5 => UNKNOWN[rng.below(UNKNOWN.len())],
				6 | 7 if !ids.is_empty() => ids[rng.below(ids.len())], // a repeat
				_ => IDS[rng.below(IDS.len())],                        // in the labels, or not
			};
			ids.push(id);
			let row = match metric.input_kind() {
				InputKind::Values => format!("{id},{}.{}\n", rng.below(5), rng.below(10)),
				InputKind::Labels => format!("{id},{}\n", ["0", "1", "cat", "dog"][rng.below(4)]),
				InputKind::Probabilities => {
					let mut row = String::from(id);
					let mut left = 100;
					for c in 1..columns {
						let p = if c + 1 == columns { left } else { rng.below(left + 1) };
						left -= p;
						row.push_str(&format!(",{}", p as f64 / 100.0));
					}
					row + "\n"
				}
			};
			// At a line start: after the header, and never after a last line that has no terminator.
			let ends = lines.iter().take_while(|l| l.ends_with('\n')).count();
			let at = 1 + rng.below(ends.max(1));
			lines.insert(at.min(lines.len()), row);
		}
		lines.concat()
	}

	/// The trimmed first field of each data line (the id the scorer matches, on a well-formed line).
	fn data_ids(file: &str) -> Vec<&[u8]> {
		let file = file.strip_prefix('\u{feff}').unwrap_or(file);
		let text = file.strip_suffix('\n').unwrap_or(file);
		text.split('\n').skip(1).map(|l| trim(l.split(',').next().unwrap_or("").as_bytes())).collect()
	}

	/// Listed mode: the table and the exact path give the same result (score or error) on random files with
	/// unknown, repeated and missing ids, and so does `score_listed` (whose lockstep pass may answer first).
	/// When the predictions hold no id outside the labels, listed mode is `score` on every row; when `score`
	/// on the public rows succeeds, listed mode on `public_rows` gives the same score.
	#[test]
	fn listed_mode_table_and_exact_path_agree() {
		let mut rng = Rng(0x5EED_1234_ABCD_0002);
		let all = RowSelector::new(&Split::all());
		let (mut ok, mut skipped_ok, mut same_as_all, mut same_as_public) = (0, 0, 0, 0);
		let mut errors: BTreeMap<&str, usize> = BTreeMap::new();
		for round in 0..30_000 {
			let metric = Metric::ALL[round % Metric::ALL.len()];
			let (labels, preds) = files(&mut rng, metric);
			let extra = if rng.chance(70) { rng.below(6) } else { 0 };
			let preds = with_extra_rows(&mut rng, metric, &preds, extra);
			let context = || format!("{metric}\nlabels {labels:?}\npredictions {preds:?}");
			let (l, p) = match unquoted_pair(&labels, &preds) {
				Ok(pair) => pair,
				Err(e) => {
					assert_eq!(score_listed(metric, labels.as_bytes(), preds.as_bytes()), Err(e), "{}", context());
					continue;
				},
			};
			let (l, p) = (&l[..], &p[..]);
			let want = score_joined_with(metric, l, p, &all, true, true);
			assert_eq!(score_joined_with(metric, l, p, &all, true, false), want, "exact: {}", context());
			assert_eq!(score_listed(metric, labels.as_bytes(), preds.as_bytes()), want, "score_listed: {}", context());
			let label_ids = data_ids(&labels);
			let unknown = data_ids(&preds).iter().any(|id| !label_ids.contains(id));
			if !unknown {
				assert_eq!(score(metric, l, p, &Split::all()), want, "as score: {}", context());
				same_as_all += 1;
			}
			match &want {
				Ok(_) => {
					ok += 1;
					skipped_ok += usize::from(unknown);
				}
				Err(MetricError::Row { problem, .. }) => {
					let name = match problem {
						RowProblem::DuplicateId { .. } => "duplicate",
						RowProblem::MissingPrediction => "missing",
						RowProblem::UnknownId => "unknown",
						_ => "other row",
					};
					*errors.entry(name).or_default() += 1;
				}
				Err(_) => *errors.entry("other").or_default() += 1,
			}
			let (seed, share) = ([b'a' + rng.below(3) as u8], [0, 400_000_000, 700_000_000, PPB][rng.below(4)]);
			if let Ok(public) = score(metric, l, p, &Split::public(&seed, share)) {
				let rows = public_rows(l, &seed, share).expect("labels that score accepts");
				assert_eq!(score_listed(metric, &rows, p), Ok(public), "public rows: {}", context());
				same_as_public += 1;
			}
		}
		// Each case is well represented: scores with ids skipped, duplicates, missing ids; never UnknownId.
		assert!(ok > 5_000 && skipped_ok > 2_000, "{ok} {skipped_ok}");
		assert!(errors.get("duplicate").is_some_and(|&n| n > 500), "{errors:?}");
		assert!(errors.get("missing").is_some_and(|&n| n > 500), "{errors:?}");
		assert_eq!(errors.get("unknown"), None);
		assert!(same_as_all > 10_000 && same_as_public > 3_000, "{same_as_all} {same_as_public}");
	}

	/// A valid pair of files for `metric`: `n` distinct ids, the predictions holding each exactly once (in
	/// the labels' order or shuffled) and nothing else; spaces around ids, a BOM, `\r\n` now and then.
	fn valid_files(rng: &mut Rng, metric: Metric, n: usize) -> (String, String) {
		let mut ids: Vec<String> =
			(0..n).map(|i| if rng.chance(50) { format!("{i}") } else { format!("row-{}", i * 7919 % 1000) }).collect();
		ids.sort();
		ids.dedup();
		rng.shuffle(&mut ids);
		let k = if metric == Metric::RocAuc || rng.chance(50) { 2 } else { 3 };
		let classes = ["0", "1", "cat"];
		let newline = |rng: &mut Rng| if rng.chance(10) { "\r\n" } else { "\n" };
		let pad = |rng: &mut Rng, id: &str| if rng.chance(10) { format!(" {id}\t") } else { String::from(id) };
		let mut labels = String::from(if rng.chance(10) { "\u{feff}id,y" } else { "id , y" });
		let mut rows = Vec::new();
		for id in &ids {
			labels.push_str(newline(rng));
			let value = match metric.input_kind() {
				InputKind::Values => format!("{}.{}", rng.below(9) as i64 - 4, rng.below(1000)),
				_ => String::from(classes[rng.below(k)]),
			};
			labels.push_str(&format!("{},{value}", pad(rng, id)));
			let pred = match metric.input_kind() {
				InputKind::Values => format!(",{}.{}", rng.below(9) as i64 - 4, rng.below(1000)),
				InputKind::Labels => format!(",{}", ["0", "1", "cat", "dog"][rng.below(4)]),
				InputKind::Probabilities => {
					let mut left = 1000;
					let mut out = String::new();
					for c in 0..k {
						let p = if c + 1 == k { left } else { rng.below(left + 1) };
						left -= p;
						out.push_str(&format!(",{}", p as f64 / 1000.0));
					}
					out
				}
			};
			rows.push(format!("{}{pred}", pad(rng, id)));
		}
		if rng.chance(70) {
			labels.push_str(newline(rng));
		}
		if rng.chance(50) {
			rng.shuffle(&mut rows);
		}
		let mut preds = String::from(match (metric.input_kind(), k) {
			(InputKind::Probabilities, 2) => "id,p_1,p_0",
			(InputKind::Probabilities, _) => "id,p_cat,p_0,p_1",
			_ => "id,y",
		});
		for row in rows {
			preds.push_str(newline(rng));
			preds.push_str(&row);
		}
		preds.push_str(newline(rng));
		(labels, preds)
	}

	/// The key property: for valid files, scoring the public rows' labels file in listed mode is scoring the
	/// full labels file on the public rows, for every metric, row order and share.
	#[test]
	fn listed_public_rows_score_as_the_public_split() {
		let mut rng = Rng(0x5EED_1234_ABCD_0003);
		let shares = [0, 1, 100_000_000, 333_333_333, 500_000_000, 900_000_000, PPB - 1, PPB];
		let all = RowSelector::new(&Split::all());
		let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
		for round in 0..6_000 {
			let metric = Metric::ALL[round % Metric::ALL.len()];
			let n = [0, 1, 2, 5, 20, 40, 60, 60][rng.below(8)];
			let (labels, preds) = valid_files(&mut rng, metric, n);
			let seed = format!("seed-{}", rng.below(1000));
			let share = shares[rng.below(shares.len())];
			let (l, p) = (labels.as_bytes(), preds.as_bytes());
			let context = || format!("{metric} {seed} {share}\nlabels {labels:?}\npredictions {preds:?}");
			let public = public_rows(l, seed.as_bytes(), share).expect("valid labels");
			let want = score(metric, l, p, &Split::public(seed.as_bytes(), share));
			assert_eq!(score_listed(metric, &public, p), want, "{}", context());
			assert_eq!(score_joined_with(metric, &public, p, &all, true, false), want, "exact: {}", context());
			// On the full file, listed mode is `score` on every row.
			assert_eq!(score_listed(metric, l, p), score(metric, l, p, &Split::all()), "all: {}", context());
			let key = match &want {
				Ok(_) if data_ids(core::str::from_utf8(&public).unwrap()).len() < data_ids(&labels).len() => {
					"ok, some private"
				}
				Ok(_) => "ok, all public",
				Err(e) => match e {
					MetricError::EmptySubset => "empty",
					MetricError::SingleClass => "single class",
					_ => panic!("valid files gave {e:?}: {}", context()),
				},
			};
			*outcomes.entry(format!("{metric} {key}")).or_default() += 1;
		}
		for metric in Metric::ALL {
			let n = outcomes.get(&format!("{metric} ok, some private")).copied().unwrap_or(0);
			assert!(n > 150, "{outcomes:?}");
		}
	}

	/// Listed mode on small files, through the table, the exact path and `score_listed`.
	#[test]
	fn listed_mode_skips_unknown_ids_only() {
		let listed = |metric: Metric, labels: &str, preds: &str| {
			let (l, p) = (labels.as_bytes(), preds.as_bytes());
			let all = RowSelector::new(&Split::all());
			let want = score_joined_with(metric, l, p, &all, true, true);
			assert_eq!(score_joined_with(metric, l, p, &all, true, false), want, "{labels:?} {preds:?}");
			assert_eq!(score_listed(metric, l, p), want, "{labels:?} {preds:?}");
			want
		};
		let row = |file, line, problem| Err(MetricError::row(file, line, problem));
		let labels = "id,y\na,1\nb,2\nc,4\n";
		let exact = score(Metric::Rmse, labels.as_bytes(), b"id,y\nb,2.5\na,1\nc,3\n", &Split::all());
		assert!(exact.is_ok());
		// Unknown ids, even repeated, are skipped.
		assert_eq!(listed(Metric::Rmse, labels, "id,y\nx,9\nb,2.5\n  a ,1\nx,7\nc,3\nzz,0\n"), exact);
		assert_eq!(listed(Metric::Rmse, labels, "id,y\nb,2.5\na,1\nc,3"), exact);
		// A repeated labels id is an error, on its second line.
		let dup = |line, first_line| row(FileKind::Predictions, line, RowProblem::DuplicateId { first_line });
		assert_eq!(listed(Metric::Rmse, labels, "id,y\na,1\nb,2\nx,0\nb,2\nc,3\n"), dup(5, 3));
		// A missing labels id is an error, on its labels line.
		assert_eq!(
			listed(Metric::Rmse, labels, "id,y\na,1\nx,0\nc,3\n"),
			row(FileKind::Labels, 3, RowProblem::MissingPrediction)
		);
		// Repeats come before missing ids, the smallest first, whatever the order of the lines.
		assert_eq!(listed(Metric::Rmse, labels, "id,y\nc,3\nc,3\nb,2\nb,2\n"), dup(5, 4));
		// A malformed line is an error, even on an unknown id, as in `score`.
		let bad = "id,y\na,1\nb,2\nc,3\nx,nan\n";
		let as_score = score(Metric::Rmse, labels.as_bytes(), bad.as_bytes(), &Split::all());
		assert_eq!(as_score, row(FileKind::Predictions, 5, RowProblem::NotANumber));
		assert_eq!(listed(Metric::Rmse, labels, bad), as_score);
		assert_eq!(
			listed(Metric::Rmse, labels, "id,y\na,1\nb,2\n\nc,3\n"),
			row(FileKind::Predictions, 4, RowProblem::EmptyLine)
		);
		assert_eq!(
			listed(Metric::Rmse, labels, "id,y\na,1\nb,2\nc,3\nx\n"),
			row(FileKind::Predictions, 5, RowProblem::WrongColumnCount { expected: 2, found: 1 })
		);
		// A labels file with no rows: nothing to score, whatever the predictions.
		assert_eq!(listed(Metric::Accuracy, "id,y\n", "id,y\na,1\n"), Err(MetricError::EmptySubset));
		// Macro-F1 counts the classes of the scored rows only; predicted classes of skipped rows do not count.
		let f1 = listed(Metric::MacroF1, "id,y\na,1\nb,0\n", "id,y\na,1\nx,dog\nb,1\ny,cat\n");
		assert_eq!(f1, score(Metric::MacroF1, b"id,y\na,1\nb,0\n", b"id,y\na,1\nb,1\n", &Split::all()));
		// Probabilities: the labels' classes need columns; skipped rows only need to be well-formed.
		let probs = "id,p_0,p_1\nq,0.5,0.5\na,0.2,0.8\nb,0.9,0.1\n";
		assert!(listed(Metric::LogLoss, "id,y\na,1\nb,0\n", probs).is_ok());
		assert_eq!(
			listed(Metric::LogLoss, "id,y\na,1\nb,2\n", probs),
			row(FileKind::Labels, 3, RowProblem::UnknownClass)
		);
		assert_eq!(
			listed(Metric::RocAuc, "id,y\na,1\nb,0\n", probs),
			score(Metric::RocAuc, b"id,y\na,1\nb,0\n", b"id,p_0,p_1\na,0.2,0.8\nb,0.9,0.1\n", &Split::all())
		);
	}

	/// Listed mode's table: an unknown id is skipped and the fast path goes on; a repeat ends it; each lookup
	/// adds to the budget, so many unknown ids do not end it, but ids that probe far do.
	#[test]
	fn table_skips_unknown_ids_within_budget() {
		let base = b"x,1\nyy,2\n";
		let mut t = IdTable::with_rows(2, base.len());
		let (x, yy) = (t.home(b"x"), t.home(b"yy"));
		t.insert_all(base, &[(b"x", 0, x), (b"yy", 4, yy)]);
		t.skip_unknown();
		assert_eq!(t.take(base, b"z", t.home(b"z")), None);
		assert!(t.alive);
		assert_eq!(t.take(base, b"x", x), Some(0));
		assert_eq!(t.take(base, b"yy", yy), Some(4));
		assert!(t.complete(2));
		assert_eq!(t.take(base, b"x", x), None); // matched already
		assert!(!t.alive && !t.complete(2));

		// 1,000 rows, then 100 times as many unknown ids: the budget grows with the lookups.
		let data: String = (0..1000).map(|i| format!("{i},1\n")).collect();
		let starts = row_starts(format!("id,y\n{data}").as_bytes(), FileKind::Labels);
		let data = format!("id,y\n{data}");
		let mut t = IdTable::with_rows(1000, data.len());
		for &start in &starts {
			let id = id_at(data.as_bytes(), start);
			t.insert(data.as_bytes(), id, start, t.home(id));
		}
		t.skip_unknown();
		for i in 0..100_000 {
			let id = format!("u{i}");
			assert_eq!(t.take(data.as_bytes(), id.as_bytes(), t.home(id.as_bytes())), None);
		}
		assert!(t.alive);

		// 15 ids in 16 slots leave one empty slot: an unknown id probes every occupied slot from its home to
		// it. With no budget left, one that passes more than LOOKUP_BUDGET of them ends the fast path, one
		// that passes fewer does not.
		let text: String = (0..15).map(|i| format!("{i},1\n")).collect();
		let data = format!("id,y\n{text}");
		let starts = row_starts(data.as_bytes(), FileKind::Labels);
		let fresh = || {
			let mut t = IdTable::with_rows(1, data.len());
			assert_eq!(t.slots.len(), 16);
			t.budget = usize::MAX;
			for &start in &starts {
				let id = id_at(data.as_bytes(), start);
				t.insert(data.as_bytes(), id, start, t.home(id));
			}
			assert!(t.alive);
			t.skip_unknown();
			t.budget = 0;
			t
		};
		let empty = fresh().slots.iter().position(|&s| s == 0).unwrap();
		let distance = |home: usize| (empty + 16 - home) % 16; // occupied slots probed
		let (mut far, mut near) = (false, false);
		for i in 0..1000 {
			let id = format!("u{i}");
			let mut t = fresh();
			let home = t.home(id.as_bytes());
			assert_eq!(t.take(data.as_bytes(), id.as_bytes(), home), None);
			assert_eq!(t.alive, distance(home) <= LOOKUP_BUDGET, "{id} {home} {empty}");
			far |= !t.alive;
			near |= t.alive && distance(home) > 0;
		}
		assert!(far && near);
	}

	#[test]
	fn table_finds_gives_up_and_bounds_probing() {
		let base = b"x,1\nyy,2\nx,3\n";
		let mut t = IdTable::with_rows(3, base.len());
		let (x, yy) = (t.home(b"x"), t.home(b"yy"));
		t.insert_all(base, &[(b"x", 0, x), (b"yy", 4, yy)]);
		assert!(t.alive);
		assert_eq!(t.take(base, b"yy", yy), Some(4));
		assert_eq!(t.take(base, b"x", x), Some(0));
		assert!(t.complete(2));
		assert_eq!(t.take(base, b"x", x), None); // matched already
		assert!(!t.complete(2));
		let mut t = IdTable::with_rows(3, base.len());
		t.insert_all(base, &[(b"x", 0, x), (b"x", 9, x)]); // duplicate
		assert!(!t.alive);
		let mut t = IdTable::with_rows(3, base.len());
		t.insert(base, b"x", 0, x);
		assert_eq!(t.take(base, b"z", t.home(b"z")), None); // unknown
		assert!(!t.alive);
		assert!(!IdTable::with_rows(3, 1 << 31).alive);
		// Without probing budget, the first collision ends the fast path (17 ids in 16 slots collide).
		let text: String = (0..17).map(|i| format!("{i},1\n")).collect();
		let starts = row_starts(format!("id,y\n{text}").as_bytes(), FileKind::Labels);
		let data = format!("id,y\n{text}");
		let mut t = IdTable::with_rows(1, data.len());
		assert_eq!(t.slots.len(), 16);
		t.budget = 0;
		for &start in &starts {
			let id = id_at(data.as_bytes(), start);
			t.insert(data.as_bytes(), id, start, t.home(id));
		}
		assert!(!t.alive);
		assert_eq!(IdTable::none().take(base, b"x", 0), None);
		assert_ne!(hash(b"a"), hash(b"a\0"));
	}

	#[test]
	fn helpers_locate_lines_and_ids() {
		let base = b"id,y\n a ,1\r\nbb,2";
		assert_eq!(line_at(base, 5), b" a ,1");
		assert_eq!(id_at(base, 5), b"a");
		assert_eq!(id_at(base, 12), b"bb");
		assert_eq!(line_at(base, 12), b"bb,2");
		assert_eq!((line_number(base, 0), line_number(base, 5), line_number(base, 12)), (1, 2, 3));
		assert_eq!(row_starts(b"\xEF\xBB\xBFid,y\na,1\nb,2\n", FileKind::Labels), vec![5, 9]);
	}
}
