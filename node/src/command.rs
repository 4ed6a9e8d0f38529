//! Dispatches merit-node's command line to the service or a maintenance command.
use crate::{
	chain_spec,
	cli::{Cli, Subcommand},
	service,
};
use merit_runtime::opaque::Block;
use polkadot_sdk::{sc_cli, sc_cli::SubstrateCli, sc_network, sc_service::PartialComponents};

impl SubstrateCli for Cli {
	fn impl_name() -> String {
		"Merit Node".into()
	}

	fn impl_version() -> String {
		env!("SUBSTRATE_CLI_IMPL_VERSION").into()
	}

	fn description() -> String {
		env!("CARGO_PKG_DESCRIPTION").into()
	}

	fn author() -> String {
		env!("CARGO_PKG_AUTHORS").into()
	}

	fn support_url() -> String {
		"https://example.invalid/merit/issues".into()
	}

	fn copyright_start_year() -> i32 {
		2026
	}

	fn load_spec(&self, id: &str) -> Result<Box<dyn sc_cli::ChainSpec>, String> {
		Ok(match id {
			"dev" => Box::new(chain_spec::development_chain_spec()?),
			"" | "local" => Box::new(chain_spec::local_testnet_chain_spec()?),
			path => Box::new(chain_spec::ChainSpec::from_json_file(std::path::PathBuf::from(path))?),
		})
	}
}

/// The web origins a node's RPC answers unless `--rpc-cors` names others (Substrate's default
/// outside `--dev`).
const LOCAL_ORIGINS: [&str; 5] = [
	"http://localhost:*",
	"http://127.0.0.1:*",
	"https://localhost:*",
	"https://127.0.0.1:*",
	"https://polkadot.js.org",
];

/// Parses the command line and runs what it asks for.
pub fn run() -> sc_cli::Result<()> {
	let cli = Cli::from_args();

	match &cli.subcommand {
		Some(Subcommand::Key(cmd)) => cmd.run(&cli),
		Some(Subcommand::ExportChainSpec(cmd)) => {
			let chain_spec = cli.load_spec(&cmd.chain)?;
			cmd.run(chain_spec)
		}
		Some(Subcommand::CheckBlock(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, import_queue, .. } = service::new_partial(&config)?;
				Ok((cmd.run(client, import_queue), task_manager))
			})
		}
		Some(Subcommand::ExportBlocks(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, .. } = service::new_partial(&config)?;
				Ok((cmd.run(client, config.database), task_manager))
			})
		}
		Some(Subcommand::ExportState(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, .. } = service::new_partial(&config)?;
				Ok((cmd.run(client, config.chain_spec), task_manager))
			})
		}
		Some(Subcommand::ImportBlocks(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, import_queue, .. } = service::new_partial(&config)?;
				Ok((cmd.run(client, import_queue), task_manager))
			})
		}
		Some(Subcommand::PurgeChain(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run(config.database))
		}
		Some(Subcommand::Revert(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, backend, .. } = service::new_partial(&config)?;
				let aux_revert = Box::new(|client, _, blocks| {
					polkadot_sdk::sc_consensus_grandpa::revert(client, blocks)?;
					Ok(())
				});
				Ok((cmd.run(client, backend, Some(aux_revert)), task_manager))
			})
		}
		#[cfg(feature = "runtime-benchmarks")]
		Some(Subcommand::Benchmark(cmd)) => {
			use polkadot_sdk::{frame_benchmarking_cli::BenchmarkCmd, sp_runtime::traits::HashingFor};
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| match cmd {
				BenchmarkCmd::Pallet(cmd) => cmd.run_with_spec::<HashingFor<Block>, ()>(Some(config.chain_spec)),
				_ => Err("merit-node supports `benchmark pallet` only".into()),
			})
		}
		Some(Subcommand::ChainInfo(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run::<Block>(&config))
		}
		None => {
			// `--dev` alone would accept RPC calls from every web origin, so any page the operator
			// opens could read the node's off-chain storage (an evaluator's labels) through the
			// browser. Keep Substrate's usual origins unless `--rpc-cors` says otherwise.
			let default_origins = cli.run.rpc_params.rpc_cors.is_none();
			let private_urls = cli.evaluator_private_urls;
			let sealing = match cli.sealing {
				crate::cli::Sealing::Aura => service::Sealing::Aura,
				crate::cli::Sealing::Instant => {
					service::Sealing::Instant { interval: std::time::Duration::from_millis(cli.seal_interval) }
				}
			};
			let runner = cli.create_runner(&cli.run)?;
			runner.run_node_until_exit(|mut config| async move {
				if default_origins {
					let local: Vec<String> = LOCAL_ORIGINS.iter().map(|origin| origin.to_string()).collect();
					// The CLI also bakes the origins into each endpoint it listens on.
					for endpoint in config.rpc.addr.iter_mut().flatten() {
						if endpoint.cors.is_none() {
							endpoint.cors = Some(local.clone());
						}
					}
					if config.rpc.cors.is_none() {
						config.rpc.cors = Some(local);
					}
				}
				match config.network.network_backend {
					sc_network::config::NetworkBackendType::Libp2p => service::new_full::<
						sc_network::NetworkWorker<Block, <Block as polkadot_sdk::sp_runtime::traits::Block>::Hash>,
					>(config, private_urls, sealing)
					.map_err(sc_cli::Error::Service),
					sc_network::config::NetworkBackendType::Litep2p => {
						service::new_full::<sc_network::Litep2pNetworkBackend>(config, private_urls, sealing)
							.map_err(sc_cli::Error::Service)
					}
				}
			})
		}
	}
}
