//! Every benchmark of the benchmarked Merit pallets, run once against the test runtime with
//! verification, as `frame_benchmarking::impl_benchmark_test_suite!` would (the pallets cannot
//! host that macro: their tests use this external runtime).
//!
//! Each benchmark runs through the public [`Benchmarking`] trait of its pallet, at its lowest
//! component values, at its highest, and (with several components) with each component at its
//! lowest and the others at their highest, as the macro's suite does at the ends of each range;
//! every run gets fresh externalities (the default world with a submission deposit, as the runtime has).
//!
//! [`Benchmarking::run_benchmark`] also calls the benchmarking host functions (commit and wipe the
//! database, read/write counts, whitelist, proof size), which only the node's benchmarking state
//! implements: plain `TestExternalities` panic on them ("not implemented"). [`BenchExt`] wraps the
//! test externalities and answers them: commits and wipes do nothing (each run has its own fresh
//! state, and nothing is read after it), counts are zero and the whitelist is kept.
#![cfg(feature = "runtime-benchmarks")]

use merit_test_runtime::*;
use polkadot_sdk::{
	frame_benchmarking::{BenchmarkError, BenchmarkParameter, Benchmarking},
	sp_core::storage::{ChildInfo, StateVersion, TrackedStorageKey},
	sp_externalities::{self, Extension, ExtensionStore, Externalities, MultiRemovalResults},
	sp_keystore::{testing::MemoryKeystore, KeystoreExt},
};
use std::{
	any::{Any, TypeId},
	panic::{catch_unwind, AssertUnwindSafe},
};

/// Test externalities that also answer the benchmarking host functions.
struct BenchExt<E> {
	inner: E,
	whitelist: Vec<TrackedStorageKey>,
}

impl<E: Externalities> ExtensionStore for BenchExt<E> {
	fn extension_by_type_id(&mut self, type_id: TypeId) -> Option<&mut dyn Any> {
		self.inner.extension_by_type_id(type_id)
	}

	fn register_extension_with_type_id(
		&mut self,
		type_id: TypeId,
		extension: Box<dyn Extension>,
	) -> Result<(), sp_externalities::Error> {
		self.inner.register_extension_with_type_id(type_id, extension)
	}

	fn deregister_extension_by_type_id(&mut self, type_id: TypeId) -> Result<(), sp_externalities::Error> {
		self.inner.deregister_extension_by_type_id(type_id)
	}
}

impl<E: Externalities> Externalities for BenchExt<E> {
	fn set_offchain_storage(&mut self, key: &[u8], value: Option<&[u8]>) {
		self.inner.set_offchain_storage(key, value)
	}

	fn storage(&mut self, key: &[u8]) -> Option<Vec<u8>> {
		self.inner.storage(key)
	}

	fn storage_hash(&mut self, key: &[u8]) -> Option<Vec<u8>> {
		self.inner.storage_hash(key)
	}

	fn child_storage_hash(&mut self, child_info: &ChildInfo, key: &[u8]) -> Option<Vec<u8>> {
		self.inner.child_storage_hash(child_info, key)
	}

	fn child_storage(&mut self, child_info: &ChildInfo, key: &[u8]) -> Option<Vec<u8>> {
		self.inner.child_storage(child_info, key)
	}

	fn next_storage_key(&mut self, key: &[u8]) -> Option<Vec<u8>> {
		self.inner.next_storage_key(key)
	}

	fn next_child_storage_key(&mut self, child_info: &ChildInfo, key: &[u8]) -> Option<Vec<u8>> {
		self.inner.next_child_storage_key(child_info, key)
	}

	fn kill_child_storage(
		&mut self,
		child_info: &ChildInfo,
		maybe_limit: Option<u32>,
		maybe_cursor: Option<&[u8]>,
	) -> MultiRemovalResults {
		self.inner.kill_child_storage(child_info, maybe_limit, maybe_cursor)
	}

	fn clear_prefix(
		&mut self,
		prefix: &[u8],
		maybe_limit: Option<u32>,
		maybe_cursor: Option<&[u8]>,
	) -> MultiRemovalResults {
		self.inner.clear_prefix(prefix, maybe_limit, maybe_cursor)
	}

	fn clear_child_prefix(
		&mut self,
		child_info: &ChildInfo,
		prefix: &[u8],
		maybe_limit: Option<u32>,
		maybe_cursor: Option<&[u8]>,
	) -> MultiRemovalResults {
		self.inner.clear_child_prefix(child_info, prefix, maybe_limit, maybe_cursor)
	}

	fn place_storage(&mut self, key: Vec<u8>, value: Option<Vec<u8>>) {
		self.inner.place_storage(key, value)
	}

	fn place_child_storage(&mut self, child_info: &ChildInfo, key: Vec<u8>, value: Option<Vec<u8>>) {
		self.inner.place_child_storage(child_info, key, value)
	}

	fn storage_root(&mut self, state_version: StateVersion) -> Vec<u8> {
		self.inner.storage_root(state_version)
	}

	fn child_storage_root(&mut self, child_info: &ChildInfo, state_version: StateVersion) -> Vec<u8> {
		self.inner.child_storage_root(child_info, state_version)
	}

	fn storage_append(&mut self, key: Vec<u8>, value: Vec<u8>) {
		self.inner.storage_append(key, value)
	}

	fn storage_start_transaction(&mut self) {
		self.inner.storage_start_transaction()
	}

	fn storage_rollback_transaction(&mut self) -> Result<(), ()> {
		self.inner.storage_rollback_transaction()
	}

	fn storage_commit_transaction(&mut self) -> Result<(), ()> {
		self.inner.storage_commit_transaction()
	}

	fn storage_index_transaction(&mut self, index: u32, hash: &[u8], size: u32) {
		self.inner.storage_index_transaction(index, hash, size)
	}

	fn storage_renew_transaction_index(&mut self, index: u32, hash: &[u8]) {
		self.inner.storage_renew_transaction_index(index, hash)
	}

	/// Nothing to reset: every run starts from fresh externalities and is dropped after.
	fn wipe(&mut self) {}

	/// Nothing to flush: the changes stay in the overlay, where every read sees them.
	fn commit(&mut self) {}

	fn read_write_count(&self) -> (u32, u32, u32, u32) {
		(0, 0, 0, 0)
	}

	fn reset_read_write_count(&mut self) {}

	fn get_whitelist(&self) -> Vec<TrackedStorageKey> {
		self.whitelist.clone()
	}

	fn set_whitelist(&mut self, new: Vec<TrackedStorageKey>) {
		self.whitelist = new;
	}

	fn get_read_and_written_keys(&self) -> Vec<(Vec<u8>, u32, u32, bool)> {
		Vec::new()
	}
}

/// The component values each benchmark runs with: all lowest, all highest and, with several
/// components, each one lowest with the others highest.
fn selections(components: &[(BenchmarkParameter, u32, u32)]) -> Vec<Vec<(BenchmarkParameter, u32)>> {
	let lowest: Vec<_> = components.iter().map(|(c, low, _)| (*c, *low)).collect();
	let highest: Vec<_> = components.iter().map(|(c, _, high)| (*c, *high)).collect();
	let mut all = vec![lowest, highest];
	if components.len() > 1 {
		for (i, (c, low, _)) in components.iter().enumerate() {
			let mut mixed = all[1].clone();
			mixed[i] = (*c, *low);
			all.push(mixed);
		}
	}
	let mut unique: Vec<Vec<(BenchmarkParameter, u32)>> = Vec::new();
	for selection in all {
		if !unique.contains(&selection) {
			unique.push(selection);
		}
	}
	unique
}

/// Runs one benchmark once, with verification, in fresh externalities.
fn run_once<P: Benchmarking>(name: &[u8], selection: &[(BenchmarkParameter, u32)]) -> Result<(), String> {
	// The runtime holds a deposit per submission: so do the benchmarks' worlds.
	let mut test_ext = ExtBuilder::default().bounds(|b| b.submission_deposit = 5).build();
	// Benchmarks that sign (feeless volunteers) keep their keys where the node's benchmark CLI would.
	test_ext.register_extension(KeystoreExt::new(MemoryKeystore::new()));
	let mut bench = BenchExt { inner: test_ext.ext(), whitelist: Vec::new() };
	let outcome = catch_unwind(AssertUnwindSafe(|| {
		sp_externalities::set_and_run_with_externalities(&mut bench, || P::run_benchmark(name, selection, &[], true, 1))
	}));
	match outcome {
		Err(panic) => {
			let message = panic
				.downcast_ref::<String>()
				.cloned()
				.or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
				.unwrap_or_else(|| "a panic without a message".into());
			Err(format!("panicked: {message}"))
		}
		Ok(Err(BenchmarkError::Stop(reason))) => Err(format!("failed: {reason}")),
		// As in the macro's suite, these are allowed outcomes (the weight is decided otherwise).
		Ok(Err(BenchmarkError::Override(_) | BenchmarkError::Skip | BenchmarkError::Weightless)) => Ok(()),
		Ok(Ok(results)) if results.is_empty() => Err("returned no results".into()),
		Ok(Ok(_)) => Ok(()),
	}
}

/// Runs every benchmark of pallet `P` (extra ones included); returns the failures and how many
/// runs passed.
fn run_pallet<P: Benchmarking>(pallet: &str) -> (Vec<String>, u32) {
	let benchmarks = P::benchmarks(true);
	assert!(!benchmarks.is_empty(), "{pallet} has no benchmarks");
	let mut failures = Vec::new();
	let mut passed = 0;
	for metadata in benchmarks {
		let name = String::from_utf8_lossy(&metadata.name).into_owned();
		for selection in selections(&metadata.components) {
			match run_once::<P>(&metadata.name, &selection) {
				Ok(()) => {
					println!("ok   {pallet}::{name} {selection:?}");
					passed += 1;
				}
				Err(error) => {
					println!("FAIL {pallet}::{name} {selection:?}: {error}");
					failures.push(format!("{pallet}::{name} {selection:?}: {error}"));
				}
			}
		}
	}
	(failures, passed)
}

#[test]
fn every_benchmark_runs_and_verifies_against_the_test_runtime() {
	let mut failures = Vec::new();
	let mut passed = 0;
	for (mut failed, ok) in [
		run_pallet::<MeritArtifacts>("MeritArtifacts"),
		run_pallet::<MeritChallenges>("MeritChallenges"),
		run_pallet::<MeritScoring>("MeritScoring"),
		run_pallet::<MeritRewards>("MeritRewards"),
		run_pallet::<MeritTeams>("MeritTeams"),
		run_pallet::<MeritCampaigns>("MeritCampaigns"),
	] {
		failures.append(&mut failed);
		passed += ok;
	}
	let count = failures.len();
	assert!(failures.is_empty(), "{count} benchmark runs failed ({passed} passed):\n{}", failures.join("\n"));
}
