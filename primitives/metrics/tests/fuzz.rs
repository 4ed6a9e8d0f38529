//! Fuzzing the file parsers the way a stranger would: valid files of every metric, mutated at random
//! (bytes flipped, separators, quotes and line breaks inserted, headers blown up, rows duplicated or cut),
//! scored under the off-chain worker's limit of 32 MiB per allocation. Any panic, any larger allocation
//! or a result that changes between two runs of the same input fails the test with the seed that
//! reproduces it.
//!
//! `MERIT_FUZZ_FILES` sets how many files (default 1,000: seconds); `MERIT_FUZZ_SEED` the first
//! seed. `bash scripts/fuzz` runs it for longer.
use merit_metrics::{public_rows, score, score_listed, Metric, Split};
use std::{
	alloc::{GlobalAlloc, Layout, System},
	sync::atomic::{AtomicUsize, Ordering},
};

/// The largest single allocation the off-chain worker's allocator grants.
const WORKER_ALLOCATION_LIMIT: usize = 32 * 1024 * 1024;

/// The system allocator, recording the largest single allocation.
struct Watched;

static LARGEST: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Watched {
	unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
		LARGEST.fetch_max(layout.size(), Ordering::Relaxed);
		System.alloc(layout)
	}
	unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
		System.dealloc(ptr, layout)
	}
	unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
		LARGEST.fetch_max(new_size, Ordering::Relaxed);
		System.realloc(ptr, layout, new_size)
	}
}

#[global_allocator]
static GLOBAL: Watched = Watched;

/// SplitMix64: small, fast, and the same sequence everywhere for a seed.
struct Rng(u64);

impl Rng {
	fn next(&mut self) -> u64 {
		self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
		let mut z = self.0;
		z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
		z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
		z ^ (z >> 31)
	}
	fn below(&mut self, n: usize) -> usize {
		(self.next() % n.max(1) as u64) as usize
	}
	fn chance(&mut self, percent: u64) -> bool {
		self.next() % 100 < percent
	}
}

/// A valid labels file and predictions file for `metric`, `rows` rows.
fn valid_pair(rng: &mut Rng, metric: Metric, rows: usize) -> (Vec<u8>, Vec<u8>) {
	let classes = ["0", "1", "cat", "dog"];
	let k = if matches!(metric, Metric::RocAuc) || rng.chance(50) { 2 } else { 2 + rng.below(3) };
	let mut labels = String::from("id,y\n");
	let mut preds = match metric {
		Metric::LogLoss | Metric::RocAuc => {
			let mut header = String::from("id");
			for class in &classes[..k] {
				header.push_str(&format!(",p_{class}"));
			}
			header + "\n"
		}
		_ => String::from("id,y\n"),
	};
	for row in 0..rows {
		let id = format!("r{row}");
		match metric {
			Metric::Rmse | Metric::Mae => {
				labels.push_str(&format!("{id},{}.{}\n", rng.below(100), rng.below(1000)));
				preds.push_str(&format!("{id},{}e-{}\n", rng.below(100_000), rng.below(4)));
			}
			Metric::Accuracy | Metric::MacroF1 => {
				labels.push_str(&format!("{id},{}\n", classes[rng.below(k)]));
				preds.push_str(&format!("{id},{}\n", classes[rng.below(k)]));
			}
			Metric::LogLoss | Metric::RocAuc => {
				labels.push_str(&format!("{id},{}\n", classes[rng.below(k)]));
				let first = rng.below(1001);
				preds.push_str(&format!("{id},{}", first as f64 / 1000.0));
				let mut left = 1000 - first;
				for c in 1..k {
					let p = if c + 1 == k { left } else { rng.below(left + 1) };
					left -= p;
					preds.push_str(&format!(",{}", p as f64 / 1000.0));
				}
				preds.push('\n');
			}
		}
	}
	(labels.into_bytes(), preds.into_bytes())
}

/// One random change of the kinds that break parsers.
fn mutate(rng: &mut Rng, file: &mut Vec<u8>) {
	let at = rng.below(file.len() + 1);
	match rng.below(12) {
		0 if !file.is_empty() => {
			let last = file.len() - 1;
			file[at.min(last)] = rng.next() as u8;
		}
		1 => file.insert(at, b','),
		2 => file.insert(at, b'"'),
		3 => file.insert(at, b'\n'),
		4 => file.insert(at, b'\r'),
		5 => file.truncate(at),
		6 => {
			// A header of thousands of class columns (the attack that stopped every worker).
			let columns: String = (0..rng.below(60_000)).map(|c| format!(",p_{c}")).collect();
			let end = file.iter().position(|&b| b == b'\n').unwrap_or(file.len());
			file.splice(end..end, columns.into_bytes());
		}
		7 => {
			// Duplicate a stretch of rows.
			let end = (at + rng.below(200)).min(file.len());
			let copy = file[at..end].to_vec();
			file.splice(at..at, copy);
		}
		8 => {
			let words: [&[u8]; 8] = [b"nan", b"inf", b"-1e400", b"1e18", b"\xEF\xBB\xBF", b"p_", b"\"\"", b" \t"];
			let word = words[rng.below(words.len())];
			file.splice(at..at, word.iter().copied());
		}
		9 => {
			// Many distinct labels.
			let rows: String = (0..rng.below(20_000)).map(|i| format!("x{i},c{i}\n")).collect();
			file.extend_from_slice(rows.as_bytes());
		}
		10 if !file.is_empty() => {
			let end = (at + rng.below(50)).min(file.len());
			file.drain(at..end);
		}
		_ => file.insert(at, b' '),
	}
}

#[test]
fn mutated_files_never_panic_stay_under_the_worker_allocation_limit_and_score_deterministically() {
	let files: u64 = std::env::var("MERIT_FUZZ_FILES").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000);
	let first: u64 = std::env::var("MERIT_FUZZ_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(1);
	let (mut scored, mut refused) = (0u64, 0u64);
	for seed in first..first + files {
		let mut rng = Rng(seed);
		let metric = Metric::ALL[rng.below(Metric::ALL.len())];
		let rows = 1 + rng.below(300);
		let (mut labels, mut preds) = valid_pair(&mut rng, metric, rows);
		for _ in 0..rng.below(4) {
			mutate(&mut rng, &mut preds);
		}
		if rng.chance(20) {
			mutate(&mut rng, &mut labels);
		}
		let split = Split::private(b"fuzz salt", 500_000_000);
		LARGEST.store(0, Ordering::Relaxed);
		let run = || {
			(
				score(metric, &labels, &preds, &split),
				score_listed(metric, &labels, &preds),
				public_rows(&labels, b"fuzz salt", 500_000_000),
			)
		};
		let first_run = std::panic::catch_unwind(run).unwrap_or_else(|_| {
			panic!("seed {seed}: scoring panicked ({metric:?}, {} + {} bytes)", labels.len(), preds.len())
		});
		let largest = LARGEST.load(Ordering::Relaxed);
		assert!(
			largest <= WORKER_ALLOCATION_LIMIT,
			"seed {seed}: one allocation of {largest} bytes, above the worker's 32 MiB ({metric:?})"
		);
		assert_eq!(first_run, run(), "seed {seed}: the same files scored differently");
		if first_run.0.is_ok() {
			scored += 1;
		} else {
			refused += 1;
		}
	}
	println!("{files} mutated file pairs from seed {first}: {scored} scored, {refused} refused by name, 0 panics");
	assert!(scored > 0 && refused > 0, "the mutations should leave some files valid and break others");
}
