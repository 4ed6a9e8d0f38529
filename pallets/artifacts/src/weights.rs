//! Weights of the artifacts pallet's calls.
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
	fn register(p: u32) -> Weight;
	fn remove(p: u32) -> Weight;
}

/// The measured formulas, on a given database's read and write costs.
mod formulas {
	use super::*;
	pub fn register(db: RuntimeDbWeight, p: u32) -> Weight {
		Weight::from_parts(60_000_000, 4_000)
			.saturating_add(Weight::from_parts(12_000_000, 2_600).saturating_mul(p.into()))
			.saturating_add(db.reads_writes(3 + p as u64, 3 + p as u64))
	}
	pub fn remove(db: RuntimeDbWeight, p: u32) -> Weight {
		Weight::from_parts(55_000_000, 4_000)
			.saturating_add(Weight::from_parts(12_000_000, 2_600).saturating_mul(p.into()))
			.saturating_add(db.reads_writes(3 + p as u64, 3 + p as u64))
	}
}

/// Weights on the runtime's own database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: polkadot_sdk::frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn register(p: u32) -> Weight {
		formulas::register(T::DbWeight::get(), p)
	}
	fn remove(p: u32) -> Weight {
		formulas::remove(T::DbWeight::get(), p)
	}
}

/// For tests: ParityDB's database weights, as the node uses.
impl WeightInfo for () {
	fn register(p: u32) -> Weight {
		formulas::register(ParityDbWeight::get(), p)
	}
	fn remove(p: u32) -> Weight {
		formulas::remove(ParityDbWeight::get(), p)
	}
}
