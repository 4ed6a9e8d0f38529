//! Times the merit-metrics WASM guest under wasmtime, configured as the node's executor runs the runtime
//! (and so the off-chain worker): sc-executor-wasmtime's settings for `WasmExecutionMethod::Compiled`
//! (Cranelift `SpeedAndSize`, no NaN canonicalisation, no SIMD / bulk-memory / multi-value /
//! reference-types), the default heap of 2048 extra pages (128 MiB) served by a freeing-bump allocator
//! on the host side with power-of-two blocks and a 32 MiB cap per allocation, and a fresh instance per call.
//!
//! `merit-metrics-bench-runner GUEST.wasm DATA_DIR [REPEAT]`: for each case, one warm-up and REPEAT timed
//! runs of (copy both files into the instance's heap + `bench_score`), median and minimum. Output: one
//! tab-separated line per case, `case metric rows score median_ms min_ms` (or `case metric rows ERROR
//! message`), after a `# compile_ms` comment line.

use std::path::Path;
use std::time::Instant;

use wasmtime::{Caller, Config, Engine, Extern, Instance, Linker, Memory, Module, OptLevel, Store};

/// sc-executor-common's `DEFAULT_HEAP_ALLOC_PAGES`.
const HEAP_PAGES: u64 = 2048;
/// sp-core's `MAX_POSSIBLE_ALLOCATION`: 32 MiB.
const MAX_ALLOCATION: u32 = 1 << 25;
const ORDERS: usize = 23; // 8 B .. 32 MiB

/// The order of each case's metric is its index in `Metric::ALL` (rmse, mae, accuracy, macro_f1,
/// log_loss, roc_auc). Same cases as `examples/bench_files.rs`.
const CASES: [(&str, u32, &str, &str, &str); 7] = [
	("rmse", 0, "rmse", "regression_labels.csv", "regression_predictions.csv"),
	("mae", 1, "mae", "regression_labels.csv", "regression_predictions.csv"),
	("rmse_shuffled", 0, "rmse", "regression_labels.csv", "shuffled_predictions.csv"),
	("accuracy", 2, "accuracy", "classes_labels.csv", "classes_predictions.csv"),
	("macro_f1", 3, "macro_f1", "classes_labels.csv", "classes_predictions.csv"),
	("log_loss", 4, "log_loss", "binary_labels.csv", "binary_predictions.csv"),
	("roc_auc", 5, "roc_auc", "binary_labels.csv", "binary_predictions.csv"),
];

/// Host-side heap in the instance's memory: blocks of 8·2^order bytes behind an 8-byte header (the order
/// while in use, the next free block while free), one free list per order, a bump pointer, no growth.
struct Heap {
	bump: u32,
	end: u32,
	free: [u32; ORDERS],
	used: u64,
	peak: u64,
	failed: Option<u32>,
}

const NIL: u32 = u32::MAX;

impl Heap {
	fn new(start: u32, end: u32) -> Self {
		Heap { bump: start.next_multiple_of(8), end, free: [NIL; ORDERS], used: 0, peak: 0, failed: None }
	}

	fn malloc(&mut self, mem: &mut [u8], size: u32) -> u32 {
		if size > MAX_ALLOCATION {
			self.failed.get_or_insert(size);
			return 0;
		}
		let block = size.max(8).next_power_of_two();
		let order = (block.trailing_zeros() - 3) as usize;
		let header = if self.free[order] != NIL {
			let h = self.free[order];
			self.free[order] = read_u32(mem, h);
			h
		} else {
			let h = self.bump;
			match h.checked_add(8 + block) {
				Some(next) if next <= self.end => self.bump = next,
				_ => {
					self.failed.get_or_insert(size);
					return 0;
				},
			}
			h
		};
		mem[header as usize..header as usize + 4].copy_from_slice(&(order as u32).to_le_bytes());
		self.used += u64::from(block) + 8;
		self.peak = self.peak.max(self.used);
		header + 8
	}

	fn free(&mut self, mem: &mut [u8], ptr: u32) {
		if ptr == 0 {
			return;
		}
		let header = ptr - 8;
		let order = read_u32(mem, header) as usize;
		mem[header as usize..header as usize + 4].copy_from_slice(&self.free[order].to_le_bytes());
		self.free[order] = header;
		self.used -= (8u64 << order) + 8;
	}
}

fn read_u32(mem: &[u8], at: u32) -> u32 {
	u32::from_le_bytes(mem[at as usize..at as usize + 4].try_into().unwrap())
}

fn engine() -> Engine {
	let mut config = Config::new();
	config.cranelift_opt_level(OptLevel::SpeedAndSize);
	config.cranelift_nan_canonicalization(false);
	// (Reference types and parallel compilation need wasmtime features this runner leaves out; the guest,
	// built for wasm32v1-none, uses neither, and compilation is not timed.)
	config.wasm_simd(false);
	config.wasm_relaxed_simd(false);
	config.wasm_bulk_memory(false);
	config.wasm_multi_value(false);
	config.wasm_multi_memory(false);
	config.wasm_memory64(false);
	config.wasm_tail_call(false);
	config.wasm_extended_const(false);
	Engine::new(&config).expect("wasmtime engine")
}

struct Run {
	instance: Instance,
	memory: Memory,
}

fn instantiate(engine: &Engine, module: &Module, linker: &Linker<Heap>) -> (Store<Heap>, Run) {
	let mut store = Store::new(engine, Heap::new(0, 0));
	let instance = linker.instantiate(&mut store, module).expect("instantiate");
	let memory = instance.get_memory(&mut store, "memory").expect("memory export");
	let heap_base = match instance.get_export(&mut store, "__heap_base") {
		Some(Extern::Global(g)) => g.get(&mut store).i32().expect("i32 __heap_base") as u32,
		_ => panic!("the guest exports no __heap_base"),
	};
	memory.grow(&mut store, HEAP_PAGES).expect("heap pages");
	let end = memory.data_size(&store) as u32;
	*store.data_mut() = Heap::new(heap_base, end);
	(store, Run { instance, memory })
}

fn put(store: &mut Store<Heap>, run: &Run, bytes: &[u8]) -> Result<u32, String> {
	let (mem, heap) = run.memory.data_and_store_mut(&mut *store);
	let ptr = heap.malloc(mem, bytes.len() as u32);
	if ptr == 0 {
		return Err(format!("the host heap refused {} bytes", bytes.len()));
	}
	mem[ptr as usize..ptr as usize + bytes.len()].copy_from_slice(bytes);
	Ok(ptr)
}

/// One scoring call in a fresh instance: (score, milliseconds, peak heap bytes).
fn score_once(
	engine: &Engine,
	module: &Module,
	linker: &Linker<Heap>,
	metric: u32,
	labels: &[u8],
	preds: &[u8],
) -> Result<(u128, f64, u64), String> {
	let (mut store, run) = instantiate(engine, module, linker);
	let f = run
		.instance
		.get_typed_func::<(u32, u32, u32, u32, u32, u32), u32>(&mut store, "bench_score")
		.expect("bench_score export");
	let t = Instant::now();
	let lp = put(&mut store, &run, labels)?;
	let pp = put(&mut store, &run, preds)?;
	let out = put(&mut store, &run, &[0u8; 16])?;
	let code = f.call(&mut store, (metric, lp, labels.len() as u32, pp, preds.len() as u32, out));
	let ms = t.elapsed().as_secs_f64() * 1e3;
	let heap = store.data();
	if let Some(size) = heap.failed {
		return Err(format!(
			"out of heap: an allocation of {size} bytes failed (cap {MAX_ALLOCATION} per allocation, {HEAP_PAGES} pages in all)"
		));
	}
	match code {
		Ok(0) => {},
		Ok(c) => return Err(format!("bench_score returned {c} (a scoring error)")),
		Err(e) => return Err(format!("trap: {e}")),
	}
	let mem = run.memory.data(&store);
	let value = u128::from_le_bytes(mem[out as usize..out as usize + 16].try_into().unwrap());
	Ok((value, ms, heap.peak))
}

fn main() {
	let mut args = std::env::args().skip(1);
	let (guest, dir) = (args.next().expect("GUEST.wasm"), args.next().expect("DATA_DIR"));
	let repeat: usize = args.next().map(|s| s.parse().expect("REPEAT")).unwrap_or(11).max(1);
	let only = std::env::var("CASE").ok();
	let engine = engine();
	let wasm = std::fs::read(&guest).unwrap_or_else(|e| panic!("{guest}: {e}"));
	let t = Instant::now();
	let module = Module::new(&engine, &wasm).expect("compile the guest");
	println!("# compile_ms\t{:.1}", t.elapsed().as_secs_f64() * 1e3);
	let mut linker = Linker::new(&engine);
	linker
		.func_wrap("env", "ext_allocator_malloc_version_1", |mut caller: Caller<'_, Heap>, size: u32| -> u32 {
			let Some(Extern::Memory(m)) = caller.get_export("memory") else { return 0 };
			let (mem, heap) = m.data_and_store_mut(&mut caller);
			heap.malloc(mem, size)
		})
		.unwrap();
	linker
		.func_wrap("env", "ext_allocator_free_version_1", |mut caller: Caller<'_, Heap>, ptr: u32| {
			let Some(Extern::Memory(m)) = caller.get_export("memory") else { return };
			let (mem, heap) = m.data_and_store_mut(&mut caller);
			heap.free(mem, ptr)
		})
		.unwrap();
	let dir = Path::new(&dir);
	for (case, metric, name, lf, pf) in CASES {
		if only.as_deref().is_some_and(|o| o != case) {
			continue;
		}
		let read = |f: &str| std::fs::read(dir.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"));
		let (labels, preds) = (read(lf), read(pf));
		let rows = labels.iter().filter(|&&b| b == b'\n').count() - 1;
		let first = score_once(&engine, &module, &linker, metric, &labels, &preds);
		let (value, _, peak) = match first {
			Ok(v) => v,
			Err(e) => {
				println!("{case}\t{name}\t{rows}\tERROR\t{e}");
				continue;
			},
		};
		let mut ms = Vec::with_capacity(repeat);
		for _ in 0..repeat {
			let (v, t, _) = score_once(&engine, &module, &linker, metric, &labels, &preds).expect("repeat run");
			assert_eq!(v, value, "{case}: the score changed between runs");
			ms.push(t);
		}
		ms.sort_by(f64::total_cmp);
		let n = ms.len();
		let median = if n % 2 == 1 { ms[n / 2] } else { (ms[n / 2 - 1] + ms[n / 2]) / 2.0 };
		let scale = 1_000_000_000_000_000_000u128;
		println!(
			"{case}\t{name}\t{rows}\t{}.{:018}\t{median:.3}\t{:.3}\t{:.1}",
			value / scale,
			value % scale,
			ms[0],
			peak as f64 / (1 << 20) as f64
		);
	}
}
