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

	/// How this node makes blocks. `aura`: one author per 3-second slot, finality by GRANDPA
	/// (every real chain). `instant` (development and local chains only, one node): a block as
	/// soon as a transaction is ready and at least every `--seal-interval` milliseconds, each final
	/// at once, so a demo or a test waits for nothing but its own work.
	#[arg(long, value_enum, default_value_t = Sealing::Aura)]
	pub sealing: Sealing,

	/// With `--sealing instant`: the longest time between two blocks, in milliseconds.
	#[arg(long, default_value_t = 1_000, value_parser = clap::value_parser!(u64).range(100..=60_000))]
	pub seal_interval: u64,
}

/// How a node makes blocks (see `--sealing`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Sealing {
	/// Aura slots and GRANDPA finality.
	Aura,
	/// A block per ready transaction and at least every `--seal-interval`, final at once.
	Instant,
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
