//! Errors. Every problem with an input file names the file and the 1-based line, so a participant whose
//! submission was rejected by the evaluators (or by the client before upload) can find and fix the row.

use core::fmt;

#[cfg(feature = "scale")]
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
#[cfg(feature = "scale")]
use scale_info::TypeInfo;

/// Which of the two input files a problem was found in.
///
/// Kept separate from the line number so the chain can record *whose* fault a failed evaluation was:
/// a problem in the labels file is the challenge owner's, one in the predictions file the participant's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "scale", derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo))]
pub enum FileKind {
	/// The hidden labels (ground truth) file published by the challenge owner.
	Labels,
	/// The participant's predictions file.
	Predictions,
}

impl FileKind {
	/// Lower-case name used in messages ("labels" / "predictions").
	pub fn name(&self) -> &'static str {
		match self {
			FileKind::Labels => "labels",
			FileKind::Predictions => "predictions",
		}
	}
}

/// What is wrong with one line of an input file.
///
/// Carries no strings (only numbers), so it is cheap, `no_std` friendly and has a bounded SCALE encoding
/// that a pallet can store next to a rejected submission.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "scale", derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo))]
pub enum RowProblem {
	/// The file is empty: a header line is required.
	MissingHeader,
	/// The header's first column is not `id`.
	HeaderFirstColumnNotId,
	/// A probability file's header column does not start with `p_`.
	NotAProbabilityColumn,
	/// A probability column is named `p_` with nothing after it.
	EmptyClassName,
	/// Two probability columns name the same class.
	DuplicateClass,
	/// A probability file must have at least two class columns.
	TooFewClasses,
	/// An empty line (only the very end of the file may have a single line terminator).
	EmptyLine,
	/// The line has the wrong number of comma-separated columns.
	WrongColumnCount {
		/// Columns the header defines.
		expected: u32,
		/// Columns found on this line.
		found: u32,
	},
	/// A double quote that does not wrap a whole field (`"a"b`, `a"b`, or an unclosed quote).
	QuotedField,
	/// The id column is empty.
	EmptyId,
	/// A value column is empty.
	EmptyValue,
	/// A number is not a decimal of the form `[+-]digits[.digits][(e|E)[+-]digits]`.
	MalformedNumber,
	/// A number is NaN.
	NotANumber,
	/// A number is infinite.
	Infinite,
	/// A number's magnitude exceeds [`crate::MAX_ABS_VALUE`].
	TooLarge,
	/// A number's exponent exceeds [`crate::MAX_EXPONENT`] in magnitude.
	ExponentOutOfRange,
	/// A probability is below 0.
	NegativeProbability,
	/// A probability is above 1.
	ProbabilityAboveOne,
	/// The probabilities on this row do not sum to 1 within [`crate::PROBABILITY_SUM_TOLERANCE`].
	ProbabilitiesDoNotSumToOne,
	/// The id already appeared on an earlier line of the same file.
	DuplicateId {
		/// The line where the id first appeared.
		first_line: u32,
	},
	/// A labels row whose id has no row in the predictions file.
	MissingPrediction,
	/// A predictions row whose id is not in the labels file.
	UnknownId,
	/// A labels row whose class has no `p_<class>` column in the predictions file.
	UnknownClass,
	/// The file has more than `u32::MAX` lines.
	TooManyLines,
	/// More probability columns, or more distinct class labels, than [`crate::MAX_CLASSES`].
	TooManyClasses,
	/// The header line is longer than [`crate::MAX_HEADER_BYTES`].
	HeaderTooLong,
	/// A quoted field holds a comma, a line break or a quote: ids, labels and numbers cannot.
	QuotedSeparator,
	/// A single probability column needs exactly two classes in the labels, and a `p_<class>`
	/// column must name one of them.
	NotBinaryColumn,
}

impl fmt::Display for RowProblem {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		use RowProblem::*;
		match self {
			MissingHeader => f.write_str("the file is empty; a header line is required"),
			HeaderFirstColumnNotId => f.write_str("the header's first column must be `id`"),
			NotAProbabilityColumn => f.write_str("probability columns must be named `p_<class>`"),
			EmptyClassName => f.write_str("a probability column has an empty class name"),
			DuplicateClass => f.write_str("two probability columns name the same class"),
			TooFewClasses => f.write_str("at least two probability columns are required"),
			EmptyLine => f.write_str("empty line"),
			WrongColumnCount { expected, found } => {
				write!(f, "expected {expected} columns, found {found}")
			},
			QuotedField => f.write_str("a double quote must wrap a whole field"),
			EmptyId => f.write_str("empty id"),
			EmptyValue => f.write_str("empty value"),
			MalformedNumber => f.write_str("malformed number"),
			NotANumber => f.write_str("NaN is not allowed"),
			Infinite => f.write_str("infinite values are not allowed"),
			TooLarge => f.write_str("value too large (magnitude above 1e15)"),
			ExponentOutOfRange => f.write_str("exponent out of range"),
			NegativeProbability => f.write_str("probability below 0"),
			ProbabilityAboveOne => f.write_str("probability above 1"),
			ProbabilitiesDoNotSumToOne => f.write_str("probabilities do not sum to 1"),
			DuplicateId { first_line } => write!(f, "duplicate id (first seen on line {first_line})"),
			MissingPrediction => f.write_str("id has no row in the predictions file"),
			UnknownId => f.write_str("id is not in the labels file"),
			UnknownClass => f.write_str("class has no `p_<class>` column in the predictions file"),
			TooManyLines => f.write_str("too many lines"),
			TooManyClasses => write!(f, "more than {} classes", crate::MAX_CLASSES),
			HeaderTooLong => write!(f, "the header is longer than {} bytes", crate::MAX_HEADER_BYTES),
			QuotedSeparator => f.write_str("a quoted field holds a comma, a line break or a quote"),
			NotBinaryColumn => f.write_str(
				"a single probability column needs labels of exactly two classes (and a `p_<class>` column one of them)",
			),
		}
	}
}

/// Why a score could not be computed.
///
/// Scoring never panics: malformed input, undefined metrics and arithmetic overflow are all reported here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "scale", derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo))]
pub enum MetricError {
	/// A problem with one line of one file.
	Row {
		/// The file the line is in.
		file: FileKind,
		/// 1-based line number (the header is line 1).
		line: u32,
		/// What is wrong.
		problem: RowProblem,
	},
	/// The selected subset (all, public or private rows) contains no rows, so a mean is undefined.
	EmptySubset,
	/// ROC-AUC is undefined when the selected rows contain only one class.
	SingleClass,
	/// ROC-AUC is defined here for binary problems only: the predictions must have exactly two class columns.
	NotBinary {
		/// Number of class columns found.
		classes: u32,
	},
	/// An intermediate value overflowed the integer arithmetic (inputs are far outside sensible ranges).
	Overflow,
	/// Lower-level functions: the input slices have inconsistent lengths.
	LengthMismatch,
	/// Lower-level functions: a value is outside its domain (a probability above 1, a class index out of range).
	InvalidInput,
}

impl MetricError {
	/// Shorthand used by the parsers.
	pub(crate) fn row(file: FileKind, line: u32, problem: RowProblem) -> Self {
		MetricError::Row { file, line, problem }
	}
}

impl fmt::Display for MetricError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			MetricError::Row { file, line, problem } => {
				write!(f, "{} file, line {}: {}", file.name(), line, problem)
			}
			MetricError::EmptySubset => f.write_str("no rows in the selected subset"),
			MetricError::SingleClass => f.write_str("ROC-AUC is undefined: the selected rows contain only one class"),
			MetricError::NotBinary { classes } => {
				write!(f, "ROC-AUC needs exactly two probability columns, found {classes}")
			}
			MetricError::Overflow => f.write_str("arithmetic overflow"),
			MetricError::LengthMismatch => f.write_str("inputs have different lengths"),
			MetricError::InvalidInput => f.write_str("input value out of range"),
		}
	}
}

#[cfg(feature = "std")]
impl std::error::Error for MetricError {}
