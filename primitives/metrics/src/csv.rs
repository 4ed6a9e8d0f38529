//! A strict, single-pass CSV reader for the three input shapes, borrowing ids and labels from the input
//! (no per-row allocation).
//!
//! Format rules (documented for participants): UTF-8/ASCII text, `,` separators; a header line whose first
//! column is `id`; `\n` or `\r\n` line ends; a final line terminator is optional; a leading UTF-8 byte-order
//! mark is ignored; ASCII spaces and tabs around a field are ignored; empty lines are errors. A field may be
//! wrapped in double quotes (RFC 4180, as R's `write.csv` and pandas' `QUOTE_ALL` write every field), whose
//! content then holds no comma, line break or quote ([`unquoted`]).

use alloc::borrow::Cow;
use alloc::collections::{BTreeMap, BTreeSet};
use alloc::vec::Vec;

use crate::decimal::{parse_decimal, VALUE_SCALE};
use crate::error::{FileKind, MetricError, RowProblem};

/// Largest accepted deviation of a probability row's sum from 1, scaled: 10^12, i.e. 1e-6.
///
/// Loose enough for probabilities written with 7+ decimals per class, tight enough that a row cannot
/// hide a materially unnormalised distribution. Rows are not renormalised (scikit-learn ≥ 1.5 does not
/// renormalise either; it only warns).
pub const PROBABILITY_SUM_TOLERANCE: u128 = 1_000_000_000_000;

/// The most classes a file may name: probability columns in a header, or distinct class labels.
///
/// A bound on what a stranger's file can make an evaluator's off-chain worker allocate and compute: a
/// batch of 64 probability rows takes 64 × classes × 16 bytes (10 MiB here, under the worker's 32 MiB
/// limit on one allocation), and class lookups are logarithmic in it. Fine-grained image benchmarks have
/// about this many classes.
pub const MAX_CLASSES: u32 = 10_000;

/// The longest header line, in bytes: [`MAX_CLASSES`] columns with names of 50 bytes fit.
pub const MAX_HEADER_BYTES: usize = 512 * 1024;

/// The file with every RFC 4180 quoted field unwrapped (`"a","1.5"` → `a,1.5`), or the file itself when it
/// has no double quote. A quoted field's content may not hold a comma, a line break or a quote (no id,
/// label or number needs one): that is [`RowProblem::QuotedSeparator`]; a quote that does not wrap a whole
/// field is [`RowProblem::QuotedField`]. Lines keep their numbers, and the copy is never longer than the
/// file.
pub(crate) fn unquoted(data: &[u8], file: FileKind) -> Result<Cow<'_, [u8]>, MetricError> {
	if find_byte(data, b'"').is_none() {
		return Ok(Cow::Borrowed(data));
	}
	let mut out = Vec::with_capacity(data.len());
	let mut line: u32 = 1;
	let err = |line: u32, problem| MetricError::row(file, line, problem);
	let n = data.len();
	let mut i = data.len() - strip_bom(data).len();
	out.extend_from_slice(&data[..i]);
	while i < n {
		// A field starts here: leading spaces are kept (trimmed later), then a quoted or a plain field.
		while i < n && matches!(data[i], b' ' | b'\t') {
			out.push(data[i]);
			i += 1;
		}
		if i < n && data[i] == b'"' {
			let start = i + 1;
			let Some(len) = data[start..].iter().position(|&b| matches!(b, b'"' | b',' | b'\n' | b'\r')) else {
				return Err(err(line, RowProblem::QuotedField));
			};
			if data[start + len] != b'"' {
				return Err(err(line, RowProblem::QuotedSeparator));
			}
			out.extend_from_slice(&data[start..start + len]);
			i = start + len + 1;
			while i < n && matches!(data[i], b' ' | b'\t') {
				out.push(data[i]);
				i += 1;
			}
			match data.get(i) {
				None | Some(b',' | b'\n' | b'\r') => {}
				Some(b'"') => return Err(err(line, RowProblem::QuotedSeparator)),
				Some(_) => return Err(err(line, RowProblem::QuotedField)),
			}
		} else {
			while i < n && !matches!(data[i], b',' | b'\n') {
				if data[i] == b'"' {
					return Err(err(line, RowProblem::QuotedField));
				}
				out.push(data[i]);
				i += 1;
			}
		}
		// The separator after the field, if any.
		if i < n {
			if data[i] == b'\n' {
				line = line.saturating_add(1);
			}
			out.push(data[i]);
			i += 1;
		}
	}
	Ok(Cow::Owned(out))
}

/// One data row: the id, its line and the parsed value.
#[cfg(test)]
#[derive(Clone, Copy, Debug)]
pub(crate) struct Entry<'a, T> {
	pub id: &'a [u8],
	/// The id's first 8 bytes, big-endian, zero-padded: orders like the id except on ties, which the full
	/// comparison breaks. Makes most comparisons in the sort a single integer compare.
	pub key: u64,
	pub line: u32,
	pub value: T,
}

#[cfg(test)]
impl<'a, T> Entry<'a, T> {
	#[inline]
	pub fn new(id: &'a [u8], line: u32, value: T) -> Self {
		let mut prefix = [0u8; 8];
		let n = core::cmp::min(8, id.len());
		prefix[..n].copy_from_slice(&id[..n]);
		Entry { id, key: u64::from_be_bytes(prefix), line, value }
	}

	/// Total order by id, then line (so equal ids sort deterministically).
	#[inline]
	fn order(&self, other: &Self) -> core::cmp::Ordering {
		self.key.cmp(&other.key).then_with(|| self.id.cmp(other.id)).then(self.line.cmp(&other.line))
	}
}

/// The input without a leading UTF-8 byte-order mark (what [`Lines`] reads; line starts are offsets in it).
#[inline]
pub(crate) fn strip_bom(data: &[u8]) -> &[u8] {
	data.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(data)
}

/// Iterator over lines: strips `\r`, numbers lines from 1, stops after a final terminator.
#[derive(Clone)]
pub(crate) struct Lines<'a> {
	rest: &'a [u8],
	line: u32,
	file: FileKind,
}

impl<'a> Lines<'a> {
	pub fn new(data: &'a [u8], file: FileKind) -> Self {
		Lines { rest: strip_bom(data), line: 0, file }
	}

	/// The next `(line number, content)`, or `None` at the end of the input.
	#[inline]
	pub fn next_line(&mut self) -> Result<Option<(u32, &'a [u8])>, MetricError> {
		if self.rest.is_empty() {
			return Ok(None);
		}
		self.line = self.line.checked_add(1).ok_or(MetricError::row(self.file, u32::MAX, RowProblem::TooManyLines))?;
		let (mut line, rest) = match find_byte(self.rest, b'\n') {
			Some(pos) => (&self.rest[..pos], &self.rest[pos + 1..]),
			None => (self.rest, &[][..]),
		};
		self.rest = rest;
		if let Some(stripped) = line.strip_suffix(b"\r") {
			line = stripped;
		}
		Ok(Some((self.line, line)))
	}

	/// The input not read yet (after the lines returned so far).
	pub fn rest(&self) -> &'a [u8] {
		self.rest
	}
}

const ONES: u64 = u64::from_le_bytes([0x01; 8]);
const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);
const LOWS: u64 = u64::from_le_bytes([0x7F; 8]);

/// Position of the first `needle` in `hay`, eight bytes at a time.
#[inline]
pub(crate) fn find_byte(hay: &[u8], needle: u8) -> Option<usize> {
	let pattern = u64::from_le_bytes([needle; 8]);
	let mut chunks = hay.chunks_exact(8);
	let mut base = 0;
	for chunk in &mut chunks {
		let mut word = [0u8; 8];
		word.copy_from_slice(chunk);
		let w = u64::from_le_bytes(word) ^ pattern;
		// High bit of each byte that is zero, plus possibly bytes above a zero byte (borrows only go up),
		// so the lowest flag is the first match.
		let zero = w.wrapping_sub(ONES) & !w & HIGHS;
		if zero != 0 {
			return Some(base + (zero.trailing_zeros() / 8) as usize);
		}
		base += 8;
	}
	chunks.remainder().iter().position(|&b| b == needle).map(|p| base + p)
}

/// Number of `\n` bytes in `data`, eight bytes at a time (exact: no borrow between bytes).
pub(crate) fn count_newlines(data: &[u8]) -> usize {
	let pattern = u64::from_le_bytes([b'\n'; 8]);
	let mut chunks = data.chunks_exact(8);
	let mut count = 0usize;
	for chunk in &mut chunks {
		let mut word = [0u8; 8];
		word.copy_from_slice(chunk);
		let w = u64::from_le_bytes(word) ^ pattern;
		let nonzero = (((w & LOWS) + LOWS) | w) & HIGHS;
		count += 8 - nonzero.count_ones() as usize;
	}
	count + chunks.remainder().iter().filter(|&&b| b == b'\n').count()
}

/// Strip ASCII spaces and tabs from both ends.
#[inline]
pub(crate) fn trim(mut s: &[u8]) -> &[u8] {
	while let [b' ' | b'\t', rest @ ..] = s {
		s = rest;
	}
	while let [rest @ .., b' ' | b'\t'] = s {
		s = rest;
	}
	s
}

pub(crate) fn count_columns(line: &[u8]) -> u32 {
	1 + line.iter().filter(|&&b| b == b',').count() as u32
}

/// Split a two-column line into trimmed `(id, value)`.
#[inline]
pub(crate) fn split_two(line: &[u8]) -> Result<(&[u8], &[u8]), RowProblem> {
	if line.is_empty() {
		return Err(RowProblem::EmptyLine);
	}
	let comma = line.iter().position(|&b| b == b',');
	let Some(comma) = comma else {
		return Err(RowProblem::WrongColumnCount { expected: 2, found: 1 });
	};
	let (id, value) = (&line[..comma], &line[comma + 1..]);
	if value.contains(&b',') {
		return Err(RowProblem::WrongColumnCount { expected: 2, found: count_columns(line) });
	}
	if line.contains(&b'"') {
		return Err(RowProblem::QuotedField);
	}
	let id = trim(id);
	if id.is_empty() {
		return Err(RowProblem::EmptyId);
	}
	Ok((id, trim(value)))
}

/// Read the header and check it has the `id` first column and, if given, the expected column count.
pub(crate) fn read_header<'a>(lines: &mut Lines<'a>, file: FileKind) -> Result<&'a [u8], MetricError> {
	let Some((line_no, header)) = lines.next_line()? else {
		return Err(MetricError::row(file, 1, RowProblem::MissingHeader));
	};
	if header.is_empty() {
		return Err(MetricError::row(file, line_no, RowProblem::MissingHeader));
	}
	if header.len() > MAX_HEADER_BYTES {
		return Err(MetricError::row(file, line_no, RowProblem::HeaderTooLong));
	}
	if header.contains(&b'"') {
		return Err(MetricError::row(file, line_no, RowProblem::QuotedField));
	}
	let first = header.split(|&b| b == b',').next().unwrap_or(&[]);
	if !trim(first).eq_ignore_ascii_case(b"id") {
		return Err(MetricError::row(file, line_no, RowProblem::HeaderFirstColumnNotId));
	}
	Ok(header)
}

pub(crate) fn check_two_column_header(header: &[u8], file: FileKind) -> Result<(), MetricError> {
	let found = count_columns(header);
	if found != 2 {
		return Err(MetricError::row(file, 1, RowProblem::WrongColumnCount { expected: 2, found }));
	}
	Ok(())
}

// The parsers and the id matching below, with rows stored as `Entry`s and sorted by id, are the general path
// as it was before `joined` (which needed a 48-byte `Entry` per row: out of the off-chain worker's heap at
// 1,000,000 rows). Kept for the tests only, as the oracle the general path is compared with.

#[cfg(test)]
/// Parse an `id,<value>` file of decimal numbers.
pub(crate) fn parse_values(data: &[u8], file: FileKind) -> Result<Vec<Entry<'_, i128>>, MetricError> {
	let mut lines = Lines::new(data, file);
	let header = read_header(&mut lines, file)?;
	check_two_column_header(header, file)?;
	let mut out = Vec::with_capacity(estimate_rows(data));
	while let Some((line, text)) = lines.next_line()? {
		let (id, value) = split_two(text).map_err(|p| MetricError::row(file, line, p))?;
		let value = parse_decimal(value).map_err(|p| MetricError::row(file, line, p))?;
		out.push(Entry::new(id, line, value));
	}
	Ok(out)
}

/// Interns class labels (strings) to small integers; remembers where each was first seen.
#[derive(Default)]
pub(crate) struct Interner<'a> {
	/// Labels of at most 7 bytes, packed ([`pack_short`]), while there are few labels: a linear scan of
	/// integers beats the map for the usual handful of classes.
	short: Vec<(u64, u32)>,
	map: BTreeMap<&'a [u8], u32>,
	/// `(label, file, first line)` by index.
	pub labels: Vec<(&'a [u8], FileKind, u32)>,
	last: Option<(&'a [u8], u32)>,
}

impl<'a> Interner<'a> {
	/// The label's index; a label beyond the first [`MAX_CLASSES`] distinct ones is refused.
	#[inline]
	pub fn intern(&mut self, label: &'a [u8], file: FileKind, line: u32) -> Result<u32, RowProblem> {
		// Labels repeat a lot; a one-entry cache skips the map for runs of the same label.
		if let Some((last, idx)) = self.last {
			if last == label {
				return Ok(idx);
			}
		}
		let packed = pack_short(label);
		if let Some(key) = packed {
			if let Some(&(_, idx)) = self.short.iter().find(|(k, _)| *k == key) {
				self.last = Some((label, idx));
				return Ok(idx);
			}
		}
		let next = self.labels.len() as u32;
		if next >= MAX_CLASSES && !self.map.contains_key(label) {
			return Err(RowProblem::TooManyClasses);
		}
		let idx = *self.map.entry(label).or_insert(next);
		if let Some(key) = packed {
			if self.short.len() < SHORT_LABELS {
				self.short.push((key, idx));
			}
		}
		if idx == next {
			self.labels.push((label, file, line));
		}
		self.last = Some((label, idx));
		Ok(idx)
	}

	pub fn len(&self) -> usize {
		self.labels.len()
	}
}

/// How many short labels [`Interner`] keeps in its linear table.
const SHORT_LABELS: usize = 32;

/// A label of at most 7 bytes as one integer: the bytes, then the length in the top byte (so labels that
/// differ only by trailing NUL bytes stay distinct).
#[inline]
fn pack_short(label: &[u8]) -> Option<u64> {
	if label.len() > 7 {
		return None;
	}
	let mut bytes = [0u8; 8];
	bytes[..label.len()].copy_from_slice(label);
	bytes[7] = label.len() as u8;
	Some(u64::from_le_bytes(bytes))
}

#[cfg(test)]
/// Parse an `id,<label>` file of class labels, interning the labels.
pub(crate) fn parse_labels<'a>(
	data: &'a [u8],
	file: FileKind,
	interner: &mut Interner<'a>,
) -> Result<Vec<Entry<'a, u32>>, MetricError> {
	let mut lines = Lines::new(data, file);
	let header = read_header(&mut lines, file)?;
	check_two_column_header(header, file)?;
	let mut out = Vec::with_capacity(estimate_rows(data));
	while let Some((line, text)) = lines.next_line()? {
		let (id, label) = split_two(text).map_err(|p| MetricError::row(file, line, p))?;
		if label.is_empty() {
			return Err(MetricError::row(file, line, RowProblem::EmptyValue));
		}
		let value = interner.intern(label, file, line).map_err(|p| MetricError::row(file, line, p))?;
		out.push(Entry::new(id, line, value));
	}
	Ok(out)
}

#[cfg(test)]
/// A parsed `id,p_<class>,...` file: class names in header order, rows (value = row index) and the
/// probabilities, row-major, scaled by 10^18.
pub(crate) struct ProbTable<'a> {
	pub classes: Vec<&'a [u8]>,
	pub rows: Vec<Entry<'a, u32>>,
	pub probs: Vec<u128>,
}

#[cfg(test)]
/// Parse a probabilities file. Each probability must be in [0, 1] and each row must sum to 1 within
/// [`PROBABILITY_SUM_TOLERANCE`].
pub(crate) fn parse_probabilities(data: &[u8], file: FileKind) -> Result<ProbTable<'_>, MetricError> {
	let mut lines = Lines::new(data, file);
	let classes = read_probability_header(&mut lines, file)?;
	let k = classes.len();
	let expected = (k + 1) as u32;
	let capacity = estimate_rows(data);
	let mut rows = Vec::with_capacity(capacity);
	let mut probs = Vec::with_capacity(capacity.saturating_mul(k));
	while let Some((line, text)) = lines.next_line()? {
		let err = |p| MetricError::row(file, line, p);
		if text.is_empty() {
			return Err(err(RowProblem::EmptyLine));
		}
		let found = count_columns(text);
		if found != expected {
			return Err(err(RowProblem::WrongColumnCount { expected, found }));
		}
		if text.contains(&b'"') {
			return Err(err(RowProblem::QuotedField));
		}
		let mut fields = text.split(|&b| b == b',');
		let id = trim(fields.next().unwrap_or(&[]));
		if id.is_empty() {
			return Err(err(RowProblem::EmptyId));
		}
		let mut sum: u128 = 0;
		for field in fields {
			let p = parse_probability(trim(field)).map_err(err)?;
			sum += p; // at most (u32::MAX columns) * 10^18: cannot overflow u128
			probs.push(p);
		}
		if sum.abs_diff(VALUE_SCALE) > PROBABILITY_SUM_TOLERANCE {
			return Err(err(RowProblem::ProbabilitiesDoNotSumToOne));
		}
		let index = rows.len() as u32;
		rows.push(Entry::new(id, line, index));
	}
	Ok(ProbTable { classes, rows, probs })
}

/// One probability: a decimal in [0, 1], scaled by 10^18.
#[inline]
pub(crate) fn parse_probability(field: &[u8]) -> Result<u128, RowProblem> {
	let p = parse_decimal(field)?;
	if p < 0 {
		return Err(RowProblem::NegativeProbability);
	}
	let p = p as u128;
	if p > VALUE_SCALE {
		return Err(RowProblem::ProbabilityAboveOne);
	}
	Ok(p)
}

/// Read a probabilities header: `id` and from two to [`MAX_CLASSES`] distinct `p_<class>` columns. Returns
/// the class names.
pub(crate) fn read_probability_header<'a>(lines: &mut Lines<'a>, file: FileKind) -> Result<Vec<&'a [u8]>, MetricError> {
	probability_classes(read_header(lines, file)?, file)
}

/// The class names of a probabilities header already read ([`read_probability_header`]).
pub(crate) fn probability_classes(header: &[u8], file: FileKind) -> Result<Vec<&[u8]>, MetricError> {
	if count_columns(header).saturating_sub(1) > MAX_CLASSES {
		return Err(MetricError::row(file, 1, RowProblem::TooManyClasses));
	}
	let mut classes: Vec<&[u8]> = Vec::new();
	let mut seen: BTreeSet<&[u8]> = BTreeSet::new();
	for col in header.split(|&b| b == b',').skip(1) {
		let col = trim(col);
		let Some(name) = col.strip_prefix(b"p_") else {
			return Err(MetricError::row(file, 1, RowProblem::NotAProbabilityColumn));
		};
		if name.is_empty() {
			return Err(MetricError::row(file, 1, RowProblem::EmptyClassName));
		}
		if !seen.insert(name) {
			return Err(MetricError::row(file, 1, RowProblem::DuplicateClass));
		}
		classes.push(name);
	}
	if classes.len() < 2 {
		return Err(MetricError::row(file, 1, RowProblem::TooFewClasses));
	}
	Ok(classes)
}

#[cfg(test)]
/// Capacity: the number of lines (an upper bound on the rows), so one allocation of the right size is
/// made; over-reserving matters in the off-chain worker, whose allocator caps each allocation at 32 MiB.
fn estimate_rows(data: &[u8]) -> usize {
	count_newlines(data) + 1
}

#[cfg(test)]
/// Reject duplicate ids and check that both files have exactly the same ids. On success the two slices
/// are aligned: `labels[i].id == predictions[i].id`.
///
/// Fast path: when both files list the same ids in the same order (the usual case: predictions written in
/// the order of the test set), the rows stay in file order and only the labels' ids are sorted (a copy) to
/// rule out duplicates. Otherwise both sides are sorted by id and merged. Either way the metric sums are
/// exact integer sums, so the order of accumulation cannot change a score.
///
/// Error precedence (deterministic, the same on both paths): duplicates in labels (smallest duplicated
/// id, reported on its second line), duplicates in predictions, then the smallest id (byte order) present
/// in only one file.
pub(crate) fn match_ids<A: Copy, B: Copy>(
	labels: &mut [Entry<'_, A>],
	predictions: &mut [Entry<'_, B>],
) -> Result<(), MetricError> {
	if labels.len() == predictions.len() && labels.iter().zip(predictions.iter()).all(|(a, b)| a.id == b.id) {
		if !labels.windows(2).all(|w| w[0].id < w[1].id) {
			let mut ids: Vec<Entry<'_, ()>> =
				labels.iter().map(|e| Entry { id: e.id, key: e.key, line: e.line, value: () }).collect();
			sort_and_check_duplicates(&mut ids, FileKind::Labels)?;
		}
		return Ok(());
	}
	sort_and_check_duplicates(labels, FileKind::Labels)?;
	sort_and_check_duplicates(predictions, FileKind::Predictions)?;
	let (n, m) = (labels.len(), predictions.len());
	let (mut i, mut j) = (0, 0);
	while i < n && j < m {
		match labels[i].id.cmp(predictions[j].id) {
			core::cmp::Ordering::Equal => {
				i += 1;
				j += 1;
			}
			core::cmp::Ordering::Less => {
				return Err(MetricError::row(FileKind::Labels, labels[i].line, RowProblem::MissingPrediction))
			}
			core::cmp::Ordering::Greater => {
				return Err(MetricError::row(FileKind::Predictions, predictions[j].line, RowProblem::UnknownId))
			}
		}
	}
	if i < n {
		return Err(MetricError::row(FileKind::Labels, labels[i].line, RowProblem::MissingPrediction));
	}
	if j < m {
		return Err(MetricError::row(FileKind::Predictions, predictions[j].line, RowProblem::UnknownId));
	}
	Ok(())
}

#[cfg(test)]
fn sort_and_check_duplicates<T>(rows: &mut [Entry<'_, T>], file: FileKind) -> Result<(), MetricError> {
	// Files are often already in id order; then this is a linear scan.
	if !rows.windows(2).all(|w| w[0].id < w[1].id) {
		rows.sort_unstable_by(|a, b| a.order(b));
	}
	for w in rows.windows(2) {
		if w[0].id == w[1].id {
			return Err(MetricError::row(file, w[1].line, RowProblem::DuplicateId { first_line: w[0].line }));
		}
	}
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn lines_handle_crlf_bom_and_final_newline() {
		let mut l = Lines::new(b"\xEF\xBB\xBFid,y\r\na,1\r\nb,2\r\n", FileKind::Labels);
		assert_eq!(l.next_line().unwrap(), Some((1, &b"id,y"[..])));
		assert_eq!(l.next_line().unwrap(), Some((2, &b"a,1"[..])));
		assert_eq!(l.next_line().unwrap(), Some((3, &b"b,2"[..])));
		assert_eq!(l.next_line().unwrap(), None);
		let mut l = Lines::new(b"id,y\na,1", FileKind::Labels);
		assert_eq!(l.next_line().unwrap(), Some((1, &b"id,y"[..])));
		assert_eq!(l.next_line().unwrap(), Some((2, &b"a,1"[..])));
		assert_eq!(l.next_line().unwrap(), None);
	}

	#[test]
	fn trimming() {
		assert_eq!(trim(b" \ta b\t "), b"a b");
		assert_eq!(trim(b"   "), b"");
		assert_eq!(trim(b""), b"");
	}

	#[test]
	fn byte_search_and_count() {
		let text = b"0123456789abcdef,\nxyz\n\n,";
		for needle in [b'0', b'7', b'8', b'f', b',', b'\n', b'z', b'#'] {
			assert_eq!(find_byte(text, needle), text.iter().position(|&b| b == needle), "{needle}");
		}
		for n in 0..text.len() {
			assert_eq!(count_newlines(&text[n..]), text[n..].iter().filter(|&&b| b == b'\n').count());
		}
		assert_eq!(find_byte(b"\x80\x81\x0b\x0a", b'\n'), Some(3));
		assert_eq!(count_newlines(&[b'\n'; 19]), 19);
	}

	#[test]
	fn interner_short_and_long_labels() {
		let mut i = Interner::default();
		let long = b"a-rather-long-label";
		assert_eq!(i.intern(b"a", FileKind::Labels, 2), Ok(0));
		assert_eq!(i.intern(b"a\0", FileKind::Labels, 3), Ok(1));
		assert_eq!(i.intern(long, FileKind::Labels, 4), Ok(2));
		assert_eq!(i.intern(b"b", FileKind::Predictions, 2), Ok(3));
		assert_eq!(i.intern(b"a", FileKind::Predictions, 3), Ok(0));
		assert_eq!(i.intern(long, FileKind::Predictions, 4), Ok(2));
		assert_eq!(i.intern(b"a\0", FileKind::Predictions, 5), Ok(1));
		assert_eq!(i.len(), 4);
		assert_eq!(i.labels[3], (&b"b"[..], FileKind::Predictions, 2));
	}
}
