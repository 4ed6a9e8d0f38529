//! Weights of the scoring pallet's calls.
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
	fn register_evaluator() -> Weight;
	fn set_evaluator_key() -> Weight;
	fn unregister_evaluator() -> Weight;
	fn withdraw_bond() -> Weight;
	fn remove_evaluator() -> Weight;
	fn post_score(r: u32) -> Weight;
}

/// The measured formulas, on a given database's read and write costs.
mod formulas {
	use super::*;
	pub fn register_evaluator(db: RuntimeDbWeight) -> Weight {
		Weight::from_parts(70_000_000, 4_000).saturating_add(db.reads_writes(5, 5))
	}
	pub fn set_evaluator_key(db: RuntimeDbWeight) -> Weight {
		Weight::from_parts(40_000_000, 4_000).saturating_add(db.reads_writes(2, 3))
	}
	pub fn unregister_evaluator(db: RuntimeDbWeight) -> Weight {
		Weight::from_parts(30_000_000, 3_600).saturating_add(db.reads_writes(1, 1))
	}
	pub fn withdraw_bond(db: RuntimeDbWeight) -> Weight {
		Weight::from_parts(70_000_000, 4_000).saturating_add(db.reads_writes(4, 5))
	}
	pub fn remove_evaluator(db: RuntimeDbWeight) -> Weight {
		Weight::from_parts(70_000_000, 4_000).saturating_add(db.reads_writes(4, 5))
	}
	/// `r` reports already stored, each of which may be slashed by the report completing the quorum.
	pub fn post_score(db: RuntimeDbWeight, r: u32) -> Weight {
		Weight::from_parts(60_000_000, 8_000)
			.saturating_add(Weight::from_parts(65_000_000, 3_600).saturating_mul(r.into()))
			.saturating_add(db.reads_writes(6 + 2 * r as u64, 2 + 2 * r as u64))
	}
}

/// Weights on the runtime's own database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: polkadot_sdk::frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn register_evaluator() -> Weight {
		formulas::register_evaluator(T::DbWeight::get())
	}
	fn set_evaluator_key() -> Weight {
		formulas::set_evaluator_key(T::DbWeight::get())
	}
	fn unregister_evaluator() -> Weight {
		formulas::unregister_evaluator(T::DbWeight::get())
	}
	fn withdraw_bond() -> Weight {
		formulas::withdraw_bond(T::DbWeight::get())
	}
	fn remove_evaluator() -> Weight {
		formulas::remove_evaluator(T::DbWeight::get())
	}
	fn post_score(r: u32) -> Weight {
		formulas::post_score(T::DbWeight::get(), r)
	}
}

/// For tests: ParityDB's database weights, as the node uses.
impl WeightInfo for () {
	fn register_evaluator() -> Weight {
		formulas::register_evaluator(ParityDbWeight::get())
	}
	fn set_evaluator_key() -> Weight {
		formulas::set_evaluator_key(ParityDbWeight::get())
	}
	fn unregister_evaluator() -> Weight {
		formulas::unregister_evaluator(ParityDbWeight::get())
	}
	fn withdraw_bond() -> Weight {
		formulas::withdraw_bond(ParityDbWeight::get())
	}
	fn remove_evaluator() -> Weight {
		formulas::remove_evaluator(ParityDbWeight::get())
	}
	fn post_score(r: u32) -> Weight {
		formulas::post_score(ParityDbWeight::get(), r)
	}
}
