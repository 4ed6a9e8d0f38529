//! merit-node: the validator and evaluator node of the Merit research ledger.
#![warn(missing_docs)]

mod chain_spec;
mod cli;
mod command;
mod merit_rpc;
mod rpc;
mod service;

fn main() -> polkadot_sdk::sc_cli::Result<()> {
	command::run()
}
