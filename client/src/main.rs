//! `merit`: see `client/README.md`.
use clap::Parser;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
	let cli = merit_client::args::Cli::parse();
	match merit_client::commands::run(cli).await {
		Ok(code) => code,
		Err(error) => {
			eprintln!("error: {error:#}");
			ExitCode::FAILURE
		},
	}
}
