//! Builds the WASM runtime that the node executes and ships in its chain specs.
fn main() {
	#[cfg(feature = "std")]
	substrate_wasm_builder::WasmBuilder::build_using_defaults();
}
