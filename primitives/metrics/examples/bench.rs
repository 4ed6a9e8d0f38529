//! Timing on generated 1,000,000-row files: `cargo run --release --example bench [rows]`.
//!
//! Why: evaluators score every submission, and the client re-scores locally; this checks the cost of a
//! full parse + match + score stays well under a second per file.

use std::time::Instant;

use merit_metrics::{score, Metric, Split};

fn main() {
	let rows: usize = std::env::args().nth(1).map(|s| s.parse().unwrap()).unwrap_or(1_000_000);
	// Cheap deterministic pseudo-random numbers (xorshift), no dependency.
	let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
	let mut next = move || {
		state ^= state << 13;
		state ^= state >> 7;
		state ^= state << 17;
		state
	};
	let mut reg_l = String::from("id,y\n");
	let mut reg_p = String::from("id,y\n");
	let mut cls_l = String::from("id,label\n");
	let mut cls_p = String::from("id,label\n");
	let mut prob_p = String::from("id,p_0,p_1\n");
	for i in 0..rows {
		let y = (next() % 1_000_000) as f64 / 1000.0;
		let e = (next() % 20_000) as f64 / 1000.0 - 10.0;
		let i = if std::env::var("PAD").is_ok() { format!("{i:07}") } else { i.to_string() };
		reg_l.push_str(&format!("{i},{y}\n"));
		reg_p.push_str(&format!("{i},{}\n", y + e));
		let c = next() % 2;
		cls_l.push_str(&format!("{i},{c}\n"));
		let guess = if next() % 10 < 7 { c } else { 1 - c };
		cls_p.push_str(&format!("{i},{guess}\n"));
		let p1 = (next() % 1_000_001) as f64 / 1_000_000.0;
		prob_p.push_str(&format!("{i},{:.6},{:.6}\n", 1.0 - p1, p1));
	}
	let seed = b"bench-salt";
	let cases: [(Metric, &str, &str); 6] = [
		(Metric::Rmse, &reg_l, &reg_p),
		(Metric::Mae, &reg_l, &reg_p),
		(Metric::Accuracy, &cls_l, &cls_p),
		(Metric::MacroF1, &cls_l, &cls_p),
		(Metric::LogLoss, &cls_l, &prob_p),
		(Metric::RocAuc, &cls_l, &prob_p),
	];
	for (metric, labels, preds) in cases {
		for split in [Split::all(), Split::public(seed, 500_000_000)] {
			let t = Instant::now();
			let s = score(metric, labels.as_bytes(), preds.as_bytes(), &split).unwrap();
			println!("{metric:>9} {:>7?} {rows} rows: {s} in {:?}", split.subset, t.elapsed());
		}
	}
}
