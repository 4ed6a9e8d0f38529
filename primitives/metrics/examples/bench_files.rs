//! End-to-end timing of [`merit_metrics::score`] on the benchmark files of `bash scripts/bench metrics`.
//!
//! `cargo run --release -p merit-metrics --example bench_files -- DATA_DIR [REPEAT]`
//!
//! For each case: one untimed warm-up run, then REPEAT (default 11) timed runs of
//!   * `memory`: `score` on bytes already in memory (CSV parsing, id matching, metric), and
//!   * `file`:   reading both files with `std::fs::read` (page cache warm) plus the same `score` call,
//! reporting the median and the minimum of each. Output: one tab-separated line per case,
//! `case metric rows score memory_median_ms memory_min_ms file_median_ms file_min_ms`, read by
//! `primitives/metrics/bench/compare.py`. The case list is the same as in `sklearn_bench.py`.

use std::path::Path;
use std::time::Instant;

use merit_metrics::{score, Metric, Split};

/// `(case, metric, labels file, predictions file)`.
const CASES: [(&str, Metric, &str, &str); 7] = [
	("rmse", Metric::Rmse, "regression_labels.csv", "regression_predictions.csv"),
	("mae", Metric::Mae, "regression_labels.csv", "regression_predictions.csv"),
	("rmse_shuffled", Metric::Rmse, "regression_labels.csv", "shuffled_predictions.csv"),
	("accuracy", Metric::Accuracy, "classes_labels.csv", "classes_predictions.csv"),
	("macro_f1", Metric::MacroF1, "classes_labels.csv", "classes_predictions.csv"),
	("log_loss", Metric::LogLoss, "binary_labels.csv", "binary_predictions.csv"),
	("roc_auc", Metric::RocAuc, "binary_labels.csv", "binary_predictions.csv"),
];

/// Median and minimum in milliseconds.
fn summary(mut ms: Vec<f64>) -> (f64, f64) {
	ms.sort_by(f64::total_cmp);
	let n = ms.len();
	let median = if n % 2 == 1 { ms[n / 2] } else { (ms[n / 2 - 1] + ms[n / 2]) / 2.0 };
	(median, ms[0])
}

fn main() {
	let mut args = std::env::args().skip(1);
	let dir = args.next().expect("usage: bench_files DATA_DIR [REPEAT]");
	let repeat: usize = args.next().map(|s| s.parse().expect("REPEAT is a number")).unwrap_or(11).max(1);
	let dir = Path::new(&dir);
	let only: Option<String> = std::env::var("CASE").ok();
	for (case, metric, labels_name, preds_name) in CASES {
		if only.as_deref().is_some_and(|o| o != case) {
			continue;
		}
		let (labels_path, preds_path) = (dir.join(labels_name), dir.join(preds_name));
		let read = |p: &Path| std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
		let (labels, preds) = (read(&labels_path), read(&preds_path));
		let rows = labels.iter().filter(|&&b| b == b'\n').count() - 1;
		let run = |l: &[u8], p: &[u8]| {
			score(metric, l, p, &Split::all()).unwrap_or_else(|e| panic!("{case}: {e}"))
		};
		let value = run(&labels, &preds); // warm-up
		let mut memory = Vec::with_capacity(repeat);
		let mut file = Vec::with_capacity(repeat);
		for _ in 0..repeat {
			let t = Instant::now();
			let s = run(&labels, &preds);
			memory.push(t.elapsed().as_secs_f64() * 1e3);
			assert_eq!(s, value, "{case}: the score changed between runs");
			let t = Instant::now();
			let (l, p) = (read(&labels_path), read(&preds_path));
			let s = run(&l, &p);
			file.push(t.elapsed().as_secs_f64() * 1e3);
			assert_eq!(s, value, "{case}: the score changed between runs");
		}
		let (mem_median, mem_min) = summary(memory);
		let (file_median, file_min) = summary(file);
		println!(
			"{case}\t{metric}\t{rows}\t{value}\t{mem_median:.3}\t{mem_min:.3}\t{file_median:.3}\t{file_min:.3}"
		);
	}
}
