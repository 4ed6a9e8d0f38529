//! `merit_metrics::score` exported from a `no_std` WASM module built like the runtime (wasm32v1-none,
//! release, panic = abort), with the runtime's memory model: every allocation goes to the host through
//! `ext_allocator_malloc_version_1` / `ext_allocator_free_version_1`, as sp-io's global allocator does,
//! so the host's allocator limits (power-of-two blocks, 32 MiB per allocation, a fixed heap) apply.
//!
//! Export: `bench_score(metric, labels_ptr, labels_len, preds_ptr, preds_len, out_ptr) -> u32`, scoring all
//! rows; on success (0) the score's inner u128 is written little-endian at `out_ptr`, otherwise the
//! returned code is 1 + the error's encoding length (the host only reports that it failed).

#![no_std]

extern crate alloc;

use core::alloc::{GlobalAlloc, Layout};

use merit_metrics::{score, Metric, Split};

#[link(wasm_import_module = "env")]
extern "C" {
	fn ext_allocator_malloc_version_1(size: u32) -> u32;
	fn ext_allocator_free_version_1(ptr: u32);
}

/// Host allocations are 8-byte aligned; larger alignments are padded and the pad is kept in the two bytes
/// before the returned pointer.
struct HostAllocator;

unsafe impl GlobalAlloc for HostAllocator {
	unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
		let pad = layout.align().saturating_sub(8);
		let raw = ext_allocator_malloc_version_1((layout.size() + pad) as u32) as usize as *mut u8;
		if raw.is_null() {
			return raw;
		}
		let shift = raw.align_offset(layout.align());
		let ptr = raw.add(shift);
		if shift > 0 {
			(ptr.sub(2) as *mut u16).write_unaligned(shift as u16);
		}
		ptr
	}

	unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
		let shift = if layout.align() > 8 { (ptr.sub(2) as *const u16).read_unaligned() as usize } else { 0 };
		ext_allocator_free_version_1(ptr.sub(shift) as usize as u32);
	}
}

#[global_allocator]
static ALLOCATOR: HostAllocator = HostAllocator;

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
	core::arch::wasm32::unreachable()
}

#[no_mangle]
pub extern "C" fn bench_score(metric: u32, lp: u32, ll: u32, pp: u32, pl: u32, out: u32) -> u32 {
	let Some(&metric) = Metric::ALL.get(metric as usize) else { return 1 };
	// SAFETY: the host wrote `ll` and `pl` bytes at these addresses and reserved 16 bytes at `out`.
	let (labels, preds) = unsafe {
		(
			core::slice::from_raw_parts(lp as usize as *const u8, ll as usize),
			core::slice::from_raw_parts(pp as usize as *const u8, pl as usize),
		)
	};
	match score(metric, labels, preds, &Split::all()) {
		Ok(s) => {
			let bytes = s.into_inner().to_le_bytes();
			unsafe { core::ptr::copy_nonoverlapping(bytes.as_ptr(), out as usize as *mut u8, 16) };
			0
		},
		Err(_) => 2,
	}
}
