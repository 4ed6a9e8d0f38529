//! End-to-end behaviour of `score` on small hand-written files: every row error, the format tolerances,
//! and each metric on hand-checked inputs.

use merit_metrics::{
	score, FileKind, Metric, MetricError, RowProblem, Score, Split, MAX_CLASSES, MAX_HEADER_BYTES,
	PROBABILITY_SUM_TOLERANCE, VALUE_SCALE,
};

fn all(metric: Metric, labels: &str, predictions: &str) -> Result<Score, MetricError> {
	score(metric, labels.as_bytes(), predictions.as_bytes(), &Split::all())
}

fn row(file: FileKind, line: u32, problem: RowProblem) -> Result<Score, MetricError> {
	Err(MetricError::Row { file, line, problem })
}

use FileKind::{Labels, Predictions};

const REG_LABELS: &str = "id,y\na,1\nb,2\nc,3\n";
const CLS_LABELS: &str = "id,label\n1,cat\n2,dog\n3,cat\n";
const PROB_LABELS: &str = "id,label\n1,0\n2,1\n3,1\n";

// ----- metrics on hand-checked inputs -------------------------------------------------------------------

#[test]
fn regression_by_hand() {
	// diffs 0.5, -1, 0 -> MAE 0.5; RMSE sqrt(1.25/3) = 0.645497224367902814...
	let preds = "id,y\nc,3\na,0.5\nb,3e0\n";
	assert_eq!(all(Metric::Mae, REG_LABELS, preds), Ok(Score::from_parts(VALUE_SCALE / 2)));
	assert_eq!(all(Metric::Rmse, REG_LABELS, preds), Ok(Score::from_parts(645_497_224_367_902_814)));
}

#[test]
fn classes_by_hand() {
	// y = cat dog cat, ŷ = cat cat bird: accuracy 1/3; F1 cat 2/(2+1+1)=1/2, dog 0, bird 0 -> 1/6.
	let preds = "id,label\n3,bird\n1,cat\n2,cat\n";
	assert_eq!(all(Metric::Accuracy, CLS_LABELS, preds), Ok(Score::from_parts(333_333_333_333_333_333)));
	assert_eq!(all(Metric::MacroF1, CLS_LABELS, preds), Ok(Score::from_parts(166_666_666_666_666_667)));
}

#[test]
fn probabilities_by_hand() {
	// Rows: (p0, p1) = (0.5,0.5) true 0; (0.2,0.8) true 1; (0.9,0.1) true 1.
	let preds = "id,p_0,p_1\n1,0.5,0.5\n2,0.2,0.8\n3,0.9,0.1\n";
	// log-loss = (ln 2 + -ln 0.8 + -ln 0.1) / 3 = (0.693147.. + 0.223143.. + 2.302585..)/3 = 1.07295860828940025...
	let ll = all(Metric::LogLoss, PROB_LABELS, preds).unwrap();
	assert_eq!(ll, Score::from_parts(1_072_958_608_289_400_250));
	// AUC with positive class "1": positives have 0.8 and 0.1, negative 0.5 -> (1 + 0) / 2.
	assert_eq!(all(Metric::RocAuc, PROB_LABELS, preds), Ok(Score::from_parts(VALUE_SCALE / 2)));
	// Column order does not matter, and the positive class is the greater name ("pos" > "neg").
	let labels = "id,c\n1,neg\n2,pos\n3,pos\n4,neg\n";
	let preds = "id,p_pos,p_neg\n1,0.3,0.7\n2,0.6,0.4\n3,0.3,0.7\n4,0.1,0.9\n";
	// positives 0.6, 0.3 vs negatives 0.3, 0.1: pairs 1 + 1 + 0.5 + 1 = 3.5 / 4.
	assert_eq!(all(Metric::RocAuc, labels, preds), Ok(Score::from_parts(875_000_000_000_000_000)));
}

#[test]
fn order_of_rows_does_not_matter() {
	let labels = "id,y\n10,1.5\n9,2\n100,-3\n1,4\n";
	let a = "id,y\n1,4.25\n9,1\n10,2\n100,-2.5\n";
	let b = "id,y\n100,-2.5\n10,2\n1,4.25\n9,1\n";
	let same_order = "id,y\n10,2\n9,1\n100,-2.5\n1,4.25\n"; // fast path: ids in the labels' order
	for m in [Metric::Rmse, Metric::Mae] {
		assert_eq!(all(m, labels, a), all(m, labels, b));
		assert_eq!(all(m, labels, a), all(m, labels, same_order));
	}
	// Duplicates are found on the fast path too, and reported the same way.
	let dup = "id,y\nb,1\na,2\nb,3\n";
	assert_eq!(all(Metric::Mae, dup, dup), row(Labels, 4, RowProblem::DuplicateId { first_line: 2 }));
	assert_eq!(
		all(Metric::Mae, dup, "id,y\na,2\nb,1\nb,3\n"),
		row(Labels, 4, RowProblem::DuplicateId { first_line: 2 })
	);
}

// ----- format tolerances ----------------------------------------------------------------------------------

#[test]
fn crlf_bom_spaces_and_missing_final_newline_are_accepted() {
	let labels = "\u{feff}id,y\r\na, 1\r\nb,2 \r\nc,\t3\r\n";
	let preds = "ID , y\nc,3\na,1\nb,2";
	assert_eq!(all(Metric::Rmse, labels, preds), Ok(Score::ZERO));
}

#[test]
fn probability_sum_tolerance_is_inclusive() {
	let tol = PROBABILITY_SUM_TOLERANCE as f64 / VALUE_SCALE as f64;
	assert_eq!(tol, 1e-6);
	let ok = "id,p_0,p_1\n1,0.5,0.499999\n2,0.2,0.800001\n3,0.9,0.1\n";
	assert!(all(Metric::LogLoss, PROB_LABELS, ok).is_ok());
	let bad = "id,p_0,p_1\n1,0.5,0.5\n2,0.2,0.8000010000000001\n3,0.9,0.1\n";
	assert_eq!(all(Metric::LogLoss, PROB_LABELS, bad), row(Predictions, 3, RowProblem::ProbabilitiesDoNotSumToOne));
}

// ----- every row error ------------------------------------------------------------------------------------

#[test]
fn header_errors() {
	let preds = "id,y\na,1\nb,2\nc,3\n";
	assert_eq!(all(Metric::Rmse, "", preds), row(Labels, 1, RowProblem::MissingHeader));
	assert_eq!(all(Metric::Rmse, "\n", preds), row(Labels, 1, RowProblem::MissingHeader));
	assert_eq!(all(Metric::Rmse, REG_LABELS, "key,y\n"), row(Predictions, 1, RowProblem::HeaderFirstColumnNotId));
	assert_eq!(
		all(Metric::Rmse, "id,y,z\na,1\n", preds),
		row(Labels, 1, RowProblem::WrongColumnCount { expected: 2, found: 3 })
	);
	assert_eq!(
		all(Metric::Accuracy, "id\n", preds),
		row(Labels, 1, RowProblem::WrongColumnCount { expected: 2, found: 1 })
	);
	assert_eq!(all(Metric::Rmse, "\"i\"d,y\n", preds), row(Labels, 1, RowProblem::QuotedField));
	let p = |h: &str| all(Metric::LogLoss, PROB_LABELS, h);
	assert_eq!(p("id,q_0,p_1\n"), row(Predictions, 1, RowProblem::NotAProbabilityColumn));
	assert_eq!(p("id,p_,p_1\n"), row(Predictions, 1, RowProblem::EmptyClassName));
	assert_eq!(p("id,p_1,p_1\n"), row(Predictions, 1, RowProblem::DuplicateClass));
	// One column is the single-column binary form: a header without rows misses every prediction.
	assert_eq!(p("id,p_1\n"), row(Labels, 2, RowProblem::MissingPrediction));
	assert_eq!(p("id\n"), row(Predictions, 1, RowProblem::TooFewClasses));
}

/// A probabilities file with `classes` columns `p_0`, `p_1`, ... whose rows put all the mass on `p_0`.
fn many_columns(classes: u32) -> String {
	let mut file = String::from("id");
	for c in 0..classes {
		file.push_str(&format!(",p_{c}"));
	}
	for id in 1..=3 {
		file.push_str(&format!("\n{id},1"));
		file.push_str(&",0".repeat(classes as usize - 1));
	}
	file.push('\n');
	file
}

#[test]
fn hostile_headers_and_class_counts_are_refused_by_name() {
	// 40,000 `p_<class>` columns made every evaluator's off-chain worker trap (a 40 MB allocation
	// after a quadratic duplicate check); now the header is refused before any row is read.
	let p = |preds: &str| all(Metric::LogLoss, PROB_LABELS, preds);
	assert_eq!(p(&many_columns(40_000)), row(Predictions, 1, RowProblem::TooManyClasses));
	assert_eq!(p(&many_columns(MAX_CLASSES + 1)), row(Predictions, 1, RowProblem::TooManyClasses));
	// The cap itself is allowed.
	assert!(p(&many_columns(MAX_CLASSES)).is_ok());
	// A duplicate among the last of 10,000 columns is found (by a set, not a scan per column).
	let mut duplicated = String::from("id");
	for c in 0..MAX_CLASSES - 1 {
		duplicated.push_str(&format!(",p_{c}"));
	}
	duplicated.push_str(",p_17\n");
	assert_eq!(p(&duplicated), row(Predictions, 1, RowProblem::DuplicateClass));
	// One enormous class name: the header is too long, whatever the file.
	let long = format!("id,p_0,p_{}\n1,1,0\n", "x".repeat(MAX_HEADER_BYTES));
	assert_eq!(p(&long), row(Predictions, 1, RowProblem::HeaderTooLong));
	assert_eq!(all(Metric::Rmse, &long, REG_LABELS), row(Labels, 1, RowProblem::HeaderTooLong));
	// Distinct class labels are capped too, in either file, on the line of the first one over.
	let mut labels = String::from("id,label\n");
	let mut preds = String::from("id,label\n");
	for i in 0..=MAX_CLASSES {
		labels.push_str(&format!("{i},c{}\n", i % 2));
		preds.push_str(&format!("{i},guess{i}\n"));
	}
	assert_eq!(
		all(Metric::MacroF1, &labels, &preds),
		row(Predictions, MAX_CLASSES, RowProblem::TooManyClasses),
		"the labels' two classes and 9,998 guesses fit; the 9,999th guess does not"
	);
	assert_eq!(all(Metric::Accuracy, &preds, &labels), row(Labels, MAX_CLASSES + 2, RowProblem::TooManyClasses));
	assert_eq!(RowProblem::TooManyClasses.to_string(), format!("more than {MAX_CLASSES} classes"),);
}

#[test]
fn line_shape_errors() {
	let r = |preds: &str| all(Metric::Rmse, REG_LABELS, preds);
	assert_eq!(r("id,y\na,1\n\nb,2\n"), row(Predictions, 3, RowProblem::EmptyLine));
	assert_eq!(r("id,y\na,1\nb,2\nc,3\n\n"), row(Predictions, 5, RowProblem::EmptyLine));
	assert_eq!(r("id,y\na,1\nb\n"), row(Predictions, 3, RowProblem::WrongColumnCount { expected: 2, found: 1 }));
	assert_eq!(r("id,y\na,1,2\n"), row(Predictions, 2, RowProblem::WrongColumnCount { expected: 2, found: 3 }));
	assert_eq!(r("id,y\na\"x\",1\n"), row(Predictions, 2, RowProblem::QuotedField));
	assert_eq!(r("id,y\n ,1\n"), row(Predictions, 2, RowProblem::EmptyId));
	assert_eq!(r("id,y\na,\n"), row(Predictions, 2, RowProblem::EmptyValue));
	assert_eq!(
		all(Metric::Accuracy, CLS_LABELS, "id,label\n1,cat\n2, \n"),
		row(Predictions, 3, RowProblem::EmptyValue)
	);
	let p = |preds: &str| all(Metric::LogLoss, PROB_LABELS, preds);
	assert_eq!(p("id,p_0,p_1\n1,0.5\n"), row(Predictions, 2, RowProblem::WrongColumnCount { expected: 3, found: 2 }));
	assert_eq!(p("id,p_0,p_1\n\n"), row(Predictions, 2, RowProblem::EmptyLine));
	assert_eq!(p("id,p_0,p_1\n,0.5,0.5\n"), row(Predictions, 2, RowProblem::EmptyId));
	assert_eq!(p("id,p_0,p_1\n1,\"0.5\"x,0.5\n"), row(Predictions, 2, RowProblem::QuotedField));
}

#[test]
fn rfc_4180_quoted_fields_score_as_the_plain_file() {
	// R's write.csv quotes the header and every string; pandas' QUOTE_ALL every field; spaces around.
	let labels = "\"id\",\"label\"\n\"1\",\"cat\"\n\"2\",\"dog\"\n\"3\",\"cat\"\n";
	let preds = "\"id\",\"label\"\r\n\"1\",\"cat\"\r\n \"2\" ,\"cat\"\r\n3,cat\r\n";
	let plain = all(Metric::Accuracy, CLS_LABELS, "id,label\n1,cat\n2,cat\n3,cat\n");
	assert!(plain.is_ok());
	assert_eq!(all(Metric::Accuracy, labels, preds), plain);
	let bom = format!("\u{feff}{preds}");
	assert_eq!(all(Metric::Accuracy, labels, &bom), plain);
	let values = "\"id\",\"y\"\n\"a\",\"1.5\"\n\"b\",2\nc,\"3e0\"\n";
	assert_eq!(all(Metric::Rmse, REG_LABELS, values), all(Metric::Rmse, REG_LABELS, "id,y\na,1.5\nb,2\nc,3\n"));
	let probs = "\"id\",\"p_0\",\"p_1\"\n\"1\",0.9,0.1\n\"2\",0.2,0.8\n\"3\",0.5,0.5\n";
	let plain_probs = "id,p_0,p_1\n1,0.9,0.1\n2,0.2,0.8\n3,0.5,0.5\n";
	assert_eq!(all(Metric::LogLoss, PROB_LABELS, probs), all(Metric::LogLoss, PROB_LABELS, plain_probs));
	// What quoting cannot carry here: a comma, a line break or a quote inside; stray or unclosed quotes.
	let r = |preds: &str| all(Metric::Rmse, REG_LABELS, preds);
	assert_eq!(r("id,y\n\"a,b\",1\n"), row(Predictions, 2, RowProblem::QuotedSeparator));
	assert_eq!(r("id,y\na,\"1\nb\",2\n"), row(Predictions, 2, RowProblem::QuotedSeparator));
	assert_eq!(r("id,y\n\"a\"\"b\",1\n"), row(Predictions, 2, RowProblem::QuotedSeparator));
	assert_eq!(r("id,y\na,1\n\"b\"2,2\n"), row(Predictions, 3, RowProblem::QuotedField));
	assert_eq!(r("id,y\na,1\nb,2\nc,\"3"), row(Predictions, 4, RowProblem::QuotedField));
	assert_eq!(all(Metric::Rmse, "id,y\n\"a,1\n", "id,y\na,1\n"), row(Labels, 2, RowProblem::QuotedSeparator));
}

#[test]
fn a_single_probability_column_scores_as_the_two_column_file() {
	// Kaggle's usual binary format: one column, the probability of the positive class (the greater
	// label, `1`, as scikit-learn takes it), under any name; or `p_<class>` naming either class.
	let two = "id,p_0,p_1\n1,0.8,0.2\n2,0.3,0.7\n3,0.4,0.6\n";
	let positive = "id,target\n1,0.2\n2,0.7\n3,0.6\n";
	let p_one = "id,p_1\n3,0.6\n1,0.2\n2,0.7\n";
	let p_zero = "id,p_0\n1,0.8\n2,0.3\n3,0.4\n";
	for metric in [Metric::LogLoss, Metric::RocAuc] {
		let expected = all(metric, PROB_LABELS, two);
		assert!(expected.is_ok(), "{metric:?}");
		for single in [positive, p_one, p_zero] {
			assert_eq!(all(metric, PROB_LABELS, single), expected, "{metric:?} {single}");
		}
	}
	// The positive class of named labels is the greater one in byte order (`yes` over `no`).
	let named = "id,label\n1,no\n2,yes\n3,yes\n";
	assert_eq!(
		all(Metric::LogLoss, named, "id,prob\n1,0.2\n2,0.7\n3,0.6\n"),
		all(Metric::LogLoss, named, "id,p_no,p_yes\n1,0.8,0.2\n2,0.3,0.7\n3,0.4,0.6\n")
	);
	// Only for two classes, naming one of them; the value is still a probability.
	let three = "id,label\n1,0\n2,1\n3,2\n";
	assert_eq!(all(Metric::LogLoss, three, positive), row(Predictions, 1, RowProblem::NotBinaryColumn));
	assert_eq!(all(Metric::LogLoss, PROB_LABELS, "id,p_7\n1,0.2\n"), row(Predictions, 1, RowProblem::NotBinaryColumn));
	assert_eq!(
		all(Metric::LogLoss, PROB_LABELS, "id,target\n1,0.2\n2,1.7\n3,0.6\n"),
		row(Predictions, 3, RowProblem::ProbabilityAboveOne)
	);
	assert_eq!(
		all(Metric::RocAuc, PROB_LABELS, "id,target\n1,0.2\n2,0.7,0.3\n3,0.6\n"),
		row(Predictions, 3, RowProblem::WrongColumnCount { expected: 2, found: 3 })
	);
}

#[test]
fn number_errors() {
	let r = |value: &str| all(Metric::Mae, REG_LABELS, &format!("id,y\na,1\nb,{value}\nc,3\n"));
	assert_eq!(r("abc"), row(Predictions, 3, RowProblem::MalformedNumber));
	assert_eq!(r("1.2.3"), row(Predictions, 3, RowProblem::MalformedNumber));
	assert_eq!(r("NaN"), row(Predictions, 3, RowProblem::NotANumber));
	assert_eq!(r("-inf"), row(Predictions, 3, RowProblem::Infinite));
	assert_eq!(r("Infinity"), row(Predictions, 3, RowProblem::Infinite));
	assert_eq!(r("1e16"), row(Predictions, 3, RowProblem::TooLarge));
	assert_eq!(r("1e999"), row(Predictions, 3, RowProblem::ExponentOutOfRange));
	assert_eq!(all(Metric::Mae, "id,y\na,nan\n", "id,y\na,1\n"), row(Labels, 2, RowProblem::NotANumber));
}

#[test]
fn probability_errors() {
	let p = |preds: &str| all(Metric::LogLoss, PROB_LABELS, preds);
	assert_eq!(p("id,p_0,p_1\n1,-0.1,1.1\n"), row(Predictions, 2, RowProblem::NegativeProbability));
	assert_eq!(p("id,p_0,p_1\n1,1.5,-0.5\n"), row(Predictions, 2, RowProblem::ProbabilityAboveOne));
	assert_eq!(p("id,p_0,p_1\n1,0.5,0.4\n"), row(Predictions, 2, RowProblem::ProbabilitiesDoNotSumToOne));
	assert_eq!(p("id,p_0,p_1\n1,nan,0.4\n"), row(Predictions, 2, RowProblem::NotANumber));
	// A label whose class has no column: reported on the first labels line with that class.
	let labels = "id,label\n1,0\n2,2\n3,2\n";
	assert_eq!(
		all(Metric::LogLoss, labels, "id,p_0,p_1\n1,1,0\n2,1,0\n3,1,0\n"),
		row(Labels, 3, RowProblem::UnknownClass)
	);
}

#[test]
fn id_errors() {
	let r = |labels: &str, preds: &str| all(Metric::Rmse, labels, preds);
	assert_eq!(
		r("id,y\na,1\nb,2\na,3\n", "id,y\na,1\nb,2\n"),
		row(Labels, 4, RowProblem::DuplicateId { first_line: 2 })
	);
	assert_eq!(
		r(REG_LABELS, "id,y\nc,1\nb,2\nc,3\na,1\n"),
		row(Predictions, 4, RowProblem::DuplicateId { first_line: 2 })
	);
	assert_eq!(r(REG_LABELS, "id,y\na,1\nc,3\n"), row(Labels, 3, RowProblem::MissingPrediction));
	assert_eq!(r(REG_LABELS, "id,y\na,1\nb,2\n"), row(Labels, 4, RowProblem::MissingPrediction));
	assert_eq!(r(REG_LABELS, "id,y\na,1\nb,2\nc,3\nd,4\n"), row(Predictions, 5, RowProblem::UnknownId));
	assert_eq!(r(REG_LABELS, "id,y\na,1\nb,2\nB,3\nc,3\n"), row(Predictions, 4, RowProblem::UnknownId));
	// Labels-file problems are reported before predictions-file problems.
	assert_eq!(r("id,y\na,x\n", "id,y\na,y\n"), row(Labels, 2, RowProblem::MalformedNumber));
	// The same checks for label and probability files.
	assert_eq!(
		all(Metric::MacroF1, CLS_LABELS, "id,label\n1,cat\n2,dog\n"),
		row(Labels, 4, RowProblem::MissingPrediction)
	);
	assert_eq!(
		all(Metric::RocAuc, PROB_LABELS, "id,p_0,p_1\n1,1,0\n2,1,0\n3,1,0\n3,1,0\n"),
		row(Predictions, 5, RowProblem::DuplicateId { first_line: 4 })
	);
}

#[test]
fn metric_level_errors() {
	let one_class = "id,label\n1,1\n2,1\n";
	assert_eq!(all(Metric::RocAuc, one_class, "id,p_0,p_1\n1,0.5,0.5\n2,0.1,0.9\n"), Err(MetricError::SingleClass));
	assert_eq!(
		all(Metric::RocAuc, PROB_LABELS, "id,p_0,p_1,p_2\n1,1,0,0\n"),
		Err(MetricError::NotBinary { classes: 3 })
	);
	assert_eq!(all(Metric::Rmse, "id,y\n", "id,y\n"), Err(MetricError::EmptySubset));
	// A subset with no rows: nothing is public at share 0.
	let s = Split::public(b"seed", 0);
	assert_eq!(score(Metric::Mae, REG_LABELS.as_bytes(), REG_LABELS.as_bytes(), &s), Err(MetricError::EmptySubset));
}

#[test]
fn error_messages_name_file_line_and_problem() {
	let e = all(Metric::Rmse, REG_LABELS, "id,y\nc,1\nb,2\nc,3\na,1\n").unwrap_err();
	assert_eq!(e.to_string(), "predictions file, line 4: duplicate id (first seen on line 2)");
	let e = all(Metric::Rmse, "id,y\na,inf\n", "id,y\n").unwrap_err();
	assert_eq!(e.to_string(), "labels file, line 2: infinite values are not allowed");
	let e = all(Metric::Rmse, REG_LABELS, "id,y\na,1,2\n").unwrap_err();
	assert_eq!(e.to_string(), "predictions file, line 2: expected 2 columns, found 3");
	assert_eq!(MetricError::SingleClass.to_string(), "ROC-AUC is undefined: the selected rows contain only one class");
}

// ----- predictions in another order than the labels (matched by id) --------------------------------------

/// `text` with its data lines (after the header) in the order `order` (0-based data line indices).
fn reorder(text: &str, order: &[usize]) -> String {
	let mut lines = text.lines();
	let header = lines.next().unwrap();
	let rows: Vec<&str> = lines.collect();
	let mut out = format!("{header}\n");
	for &i in order {
		out.push_str(rows[i]);
		out.push('\n');
	}
	out
}

#[test]
fn shuffled_ids_score_as_in_order() {
	// Numeric ids (byte order differs from numeric order) and non-numeric ids of all lengths.
	for ids in [
		(1..=40).map(|i| i.to_string()).collect::<Vec<_>>(),
		(0..40).map(|i| format!("row-{}-{}", ["x", "yy", "a-long-shared-prefix"][i % 3], i * 7919 % 97)).collect(),
	] {
		let n = ids.len();
		let labels: String = std::iter::once("id,y\n".to_string())
			.chain(ids.iter().enumerate().map(|(i, id)| format!("{id},{}.{}\n", i % 7, i % 3)))
			.collect();
		let preds: String = std::iter::once("id,y\n".to_string())
			.chain(ids.iter().enumerate().map(|(i, id)| format!("{id},{}.5\n", (i * 3) % 11)))
			.collect();
		let shuffle: Vec<usize> = (0..n).map(|i| (i * 17 + 5) % n).collect();
		let shuffled = reorder(&preds, &shuffle);
		assert_ne!(shuffled, preds);
		for m in [Metric::Rmse, Metric::Mae] {
			assert_eq!(all(m, &labels, &shuffled), all(m, &labels, &preds), "{m}");
			assert!(all(m, &labels, &shuffled).is_ok());
		}
		let cls = |f: &dyn Fn(usize) -> String| -> String {
			std::iter::once("id,label\n".to_string())
				.chain(ids.iter().enumerate().map(|(i, id)| format!("{id},{}\n", f(i))))
				.collect()
		};
		let (cl, cp) =
			(cls(&|i| ["cat", "dog", "bird"][i % 3].to_string()), cls(&|i| ["cat", "dog"][i % 2].to_string()));
		for m in [Metric::Accuracy, Metric::MacroF1] {
			assert_eq!(all(m, &cl, &reorder(&cp, &shuffle)), all(m, &cl, &cp), "{m}");
		}
		let bl = cls(&|i| (i % 2).to_string());
		let bp: String = std::iter::once("id,p_0,p_1\n".to_string())
			.chain(
				ids.iter()
					.enumerate()
					.map(|(i, id)| format!("{id},0.{:02},0.{:02}\n", 100 - (i * 13 % 99 + 1), i * 13 % 99 + 1)),
			)
			.collect();
		for m in [Metric::LogLoss, Metric::RocAuc] {
			assert_eq!(all(m, &bl, &reorder(&bp, &shuffle)), all(m, &bl, &bp), "{m}");
			assert!(all(m, &bl, &bp).is_ok());
		}
	}
}

#[test]
fn errors_name_the_same_line_when_shuffled() {
	// Each predictions file has one problem on data line 3 (file line 4), here in the labels' order and
	// then shuffled with that line kept third: the error, and the line it names, are the same.
	let labels = "id,y\nk1,1\nk2,2\nk3,3\nk4,4\nk5,5\n";
	let shuffle = [4, 0, 2, 3, 1];
	let cases = [
		("k3,abc", RowProblem::MalformedNumber),
		("k3,NaN", RowProblem::NotANumber),
		("k3,inf", RowProblem::Infinite),
		("k3,1,2", RowProblem::WrongColumnCount { expected: 2, found: 3 }),
		("k3,", RowProblem::EmptyValue),
		("k0,3", RowProblem::UnknownId), // k0 < k3, the labels id it replaces
	];
	for (bad, problem) in cases {
		let ordered = format!("id,y\nk1,1\nk2,2\n{bad}\nk4,4\nk5,5\n");
		let shuffled = reorder(&ordered, &shuffle);
		assert_eq!(all(Metric::Rmse, labels, &ordered), row(Predictions, 4, problem), "{bad}");
		assert_eq!(all(Metric::Rmse, labels, &shuffled), row(Predictions, 4, problem), "{bad} shuffled");
	}
	// Duplicate: k1 again on line 4 (first on line 2) in both orders.
	let ordered = "id,y\nk1,1\nk2,2\nk1,3\nk4,4\nk5,5\nk3,3\n";
	let shuffled = "id,y\nk1,1\nk5,5\nk1,3\nk4,4\nk2,2\nk3,3\n";
	for p in [ordered, shuffled] {
		assert_eq!(all(Metric::Rmse, labels, p), row(Predictions, 4, RowProblem::DuplicateId { first_line: 2 }));
	}
	// Missing: k3 (labels line 4) has no prediction, whatever the predictions' order.
	for p in ["id,y\nk1,1\nk2,2\nk4,4\nk5,5\n", "id,y\nk5,5\nk2,2\nk1,1\nk4,4\n"] {
		assert_eq!(all(Metric::Rmse, labels, p), row(Labels, 4, RowProblem::MissingPrediction));
	}
	// A duplicate in the labels is reported before anything about the predictions' ids.
	let dup_labels = "id,y\nk1,1\nk2,2\nk1,3\n";
	assert_eq!(
		all(Metric::Mae, dup_labels, "id,y\nk2,1\nk9,2\n"),
		row(Labels, 4, RowProblem::DuplicateId { first_line: 2 })
	);
	// Probabilities: not summing to 1 on line 3, in either order; an unknown class in the labels.
	let pl = "id,label\n1,0\n2,1\n3,1\n";
	for p in ["id,p_0,p_1\n1,0.5,0.5\n2,0.5,0.4\n3,0.9,0.1\n", "id,p_0,p_1\n3,0.9,0.1\n2,0.5,0.4\n1,0.5,0.5\n"] {
		assert_eq!(all(Metric::LogLoss, pl, p), row(Predictions, 3, RowProblem::ProbabilitiesDoNotSumToOne));
	}
	assert_eq!(
		all(Metric::LogLoss, "id,label\n1,0\n2,2\n3,2\n", "id,p_0,p_1\n3,1,0\n1,1,0\n2,1,0\n"),
		row(Labels, 3, RowProblem::UnknownClass)
	);
	// Label files: a label on line 3 is empty, in either order.
	for p in ["id,label\n1,cat\n2, \n3,dog\n", "id,label\n3,dog\n2, \n1,cat\n"] {
		assert_eq!(all(Metric::Accuracy, CLS_LABELS, p), row(Predictions, 3, RowProblem::EmptyValue));
	}
}
