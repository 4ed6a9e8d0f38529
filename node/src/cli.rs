//! Command-line arguments of merit-node.
use polkadot_sdk::sc_cli;

/// merit-node: run a Merit validator, an evaluator or a full node.
#[derive(Debug, clap::Parser)]
pub struct Cli {
	/// A maintenance subcommand; without one, the node runs.
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	/// Node options (chain, base path, ports, validator, off-chain workers...).
	#[clap(flatten)]
	pub run: sc_cli::RunCmd,

	/// Let this node's evaluators fetch artifacts from IP addresses and loopback, private or
	/// link-local host names. Development and local chains always may (their test files are
	/// served from 127.0.0.1); on other chains a stranger's URI must not make the node probe its
	/// own network.
	#[arg(long)]
	pub evaluator_private_urls: bool,
}

/// Maintenance subcommands.
#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management: generate, inspect and insert keys (e.g. an evaluator key into the keystore).
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Export the chain specification of a chain as JSON.
	ExportChainSpec(sc_cli::ExportChainSpecCmd),

	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a given block into a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove the whole chain.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),

	/// Database meta columns information.
	ChainInfo(sc_cli::ChainInfoCmd),

	/// Measure the weights of the runtime's pallets (built with `--features runtime-benchmarks`).
	#[cfg(feature = "runtime-benchmarks")]
	#[command(subcommand)]
	Benchmark(polkadot_sdk::frame_benchmarking_cli::BenchmarkCmd),
}
