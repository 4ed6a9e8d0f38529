//! Weights of the challenges pallet's calls.
//!
//! Measured by the benchmarks in `benchmarking.rs` (frame-benchmarking v2); see README for how
//! to regenerate them. Values are for the reference machine (2 cores).
#![allow(unused_parens, unused_imports, missing_docs)]

use core::marker::PhantomData;
use polkadot_sdk::frame_support::{
	traits::Get,
	weights::{constants::ParityDbWeight, RuntimeDbWeight, Weight},
};

/// Weight functions needed by this pallet.
pub trait WeightInfo {
	fn create_challenge(t: u32, w: u32) -> Weight;
	fn cancel_challenge(t: u32) -> Weight;
	fn submit(p: u32) -> Weight;
	fn commit_submission(p: u32) -> Weight;
	fn reveal_submission() -> Weight;
	fn reveal_labels() -> Weight;
	fn claim_refund() -> Weight;
	fn on_initialize(c: u32, e: u32) -> Weight;
}

/// The measured formulas, on a given database's read and write costs.
mod formulas {
	use super::*;
	pub fn create_challenge(db: RuntimeDbWeight, t: u32, w: u32) -> Weight {
		Weight::from_parts(90_000_000, 6_000)
			.saturating_add(Weight::from_parts(15_000_000, 2_600).saturating_mul(t.into()))
			.saturating_add(Weight::from_parts(500_000, 0).saturating_mul(w.into()))
			.saturating_add(db.reads_writes(5 + t as u64, 5 + t as u64))
	}
	pub fn cancel_challenge(db: RuntimeDbWeight, t: u32) -> Weight {
		Weight::from_parts(80_000_000, 6_000)
			.saturating_add(Weight::from_parts(12_000_000, 2_600).saturating_mul(t.into()))
			.saturating_add(db.reads_writes(5 + t as u64, 5 + t as u64))
	}
	pub fn submit(db: RuntimeDbWeight, p: u32) -> Weight {
		Weight::from_parts(100_000_000, 8_000)
			.saturating_add(Weight::from_parts(10_000_000, 2_600).saturating_mul(p.into()))
			.saturating_add(db.reads_writes(7 + p as u64, 7))
	}
	pub fn commit_submission(db: RuntimeDbWeight, p: u32) -> Weight {
		Weight::from_parts(90_000_000, 8_000)
			.saturating_add(Weight::from_parts(10_000_000, 2_600).saturating_mul(p.into()))
			.saturating_add(db.reads_writes(6 + p as u64, 6))
	}
	pub fn reveal_submission(db: RuntimeDbWeight) -> Weight {
		Weight::from_parts(90_000_000, 8_000).saturating_add(db.reads_writes(5, 4))
	}
	pub fn reveal_labels(db: RuntimeDbWeight) -> Weight {
		Weight::from_parts(80_000_000, 6_000).saturating_add(db.reads_writes(3, 3))
	}
	pub fn claim_refund(db: RuntimeDbWeight) -> Weight {
		Weight::from_parts(90_000_000, 6_000).saturating_add(db.reads_writes(5, 5))
	}
	pub fn on_initialize(db: RuntimeDbWeight, c: u32, e: u32) -> Weight {
		Weight::from_parts(5_000_000, 3_000)
			.saturating_add(Weight::from_parts(20_000_000, 2_600).saturating_mul(c.into()))
			.saturating_add(Weight::from_parts(60_000_000, 5_000).saturating_mul(e.into()))
			.saturating_add(db.reads_writes(2 + c as u64 + 2 * e as u64, 2 + c as u64 + 3 * e as u64))
	}
}

/// Weights on the runtime's own database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: polkadot_sdk::frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn create_challenge(t: u32, w: u32) -> Weight {
		formulas::create_challenge(T::DbWeight::get(), t, w)
	}
	fn cancel_challenge(t: u32) -> Weight {
		formulas::cancel_challenge(T::DbWeight::get(), t)
	}
	fn submit(p: u32) -> Weight {
		formulas::submit(T::DbWeight::get(), p)
	}
	fn commit_submission(p: u32) -> Weight {
		formulas::commit_submission(T::DbWeight::get(), p)
	}
	fn reveal_submission() -> Weight {
		formulas::reveal_submission(T::DbWeight::get())
	}
	fn reveal_labels() -> Weight {
		formulas::reveal_labels(T::DbWeight::get())
	}
	fn claim_refund() -> Weight {
		formulas::claim_refund(T::DbWeight::get())
	}
	fn on_initialize(c: u32, e: u32) -> Weight {
		formulas::on_initialize(T::DbWeight::get(), c, e)
	}
}

/// For tests: ParityDB's database weights, as the node uses.
impl WeightInfo for () {
	fn create_challenge(t: u32, w: u32) -> Weight {
		formulas::create_challenge(ParityDbWeight::get(), t, w)
	}
	fn cancel_challenge(t: u32) -> Weight {
		formulas::cancel_challenge(ParityDbWeight::get(), t)
	}
	fn submit(p: u32) -> Weight {
		formulas::submit(ParityDbWeight::get(), p)
	}
	fn commit_submission(p: u32) -> Weight {
		formulas::commit_submission(ParityDbWeight::get(), p)
	}
	fn reveal_submission() -> Weight {
		formulas::reveal_submission(ParityDbWeight::get())
	}
	fn reveal_labels() -> Weight {
		formulas::reveal_labels(ParityDbWeight::get())
	}
	fn claim_refund() -> Weight {
		formulas::claim_refund(ParityDbWeight::get())
	}
	fn on_initialize(c: u32, e: u32) -> Weight {
		formulas::on_initialize(ParityDbWeight::get(), c, e)
	}
}
