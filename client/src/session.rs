//! One command's context: the options every command takes (`--url`, `--suri`/`--suri-file`/
//! `MERIT_SURI`, `--format`, `--store`, ...), the connection to the node (made on first use, then
//! shared), the signer (resolved on first use) and how results are shown. Handlers in
//! [`crate::commands`] receive a [`Session`] and return an [`Outcome`]; the session prints it.
use anyhow::Result;
use std::{path::PathBuf, process::ExitCode, sync::OnceLock};
use subxt_signer::sr25519::Keypair;

use crate::{
	args::Global,
	chain::{AccountId32, Chain},
	keys,
	output::{Format, Table},
	state::{self, ReportFile, StateFile},
};

/// The context of one command.
pub struct Session {
	options: Global,
	chain: OnceLock<Chain>,
	signer: OnceLock<Keypair>,
}

impl Session {
	/// A session with these options; nothing is connected or resolved yet.
	pub fn new(options: Global) -> Session {
		Session { options, chain: OnceLock::new(), signer: OnceLock::new() }
	}

	/// The options as given.
	pub fn options(&self) -> &Global {
		&self.options
	}

	/// The node of `--url`, connected on the first call.
	pub async fn chain(&self) -> Result<&Chain> {
		if let Some(chain) = self.chain.get() {
			return Ok(chain);
		}
		let chain = Chain::connect(&self.options.url).await?;
		Ok(self.chain.get_or_init(|| chain))
	}

	/// Another node (an evaluator's `--node-rpc`): the session's own connection when `url` is not
	/// given or is `--url`.
	pub async fn node(&self, url: Option<&str>) -> Result<Chain> {
		match url {
			Some(url) if url != self.options.url => Chain::connect(url).await,
			_ => Ok(self.chain().await?.clone()),
		}
	}

	/// The signing key from `--suri`, `--suri-file` or `MERIT_SURI`, resolved on the first call; an
	/// error names the flags when none (or both) is given.
	pub fn signer(&self) -> Result<&Keypair> {
		if let Some(signer) = self.signer.get() {
			return Ok(signer);
		}
		let signer = keys::resolve_signer(self.options.suri.as_deref(), self.options.suri_file.as_deref())?;
		Ok(self.signer.get_or_init(|| signer))
	}

	/// The signer's account.
	pub fn signer_account(&self) -> Result<AccountId32> {
		Ok(keys::account_of(self.signer()?))
	}

	/// Whether a signer was given at all (`--suri`, `--suri-file` or `MERIT_SURI`).
	pub fn has_signer(&self) -> bool {
		self.options.suri.is_some() || self.options.suri_file.is_some()
	}

	/// The signer's secret URI as text (`--suri`, or `--suri-file`'s first line); `None` unless
	/// exactly one of them is given.
	pub fn signer_suri(&self) -> Result<Option<String>> {
		Ok(match (&self.options.suri, &self.options.suri_file) {
			(Some(suri), None) => Some(suri.clone()),
			(None, Some(path)) => Some(keys::suri_from_file(path)?),
			_ => None,
		})
	}

	/// The artifact store of `--store` / `MERIT_STORE`, if any.
	pub fn store(&self) -> Option<&str> {
		self.options.store.as_deref()
	}

	/// The gateway for `ipfs://` URIs.
	pub fn ipfs_gateway(&self) -> &str {
		&self.options.ipfs_gateway
	}

	/// Where the salts of sealed submissions and sealed reports are kept.
	pub fn state_dir(&self) -> PathBuf {
		self.options.state_dir.clone().unwrap_or_else(state::default_dir)
	}

	/// The sealed submissions file in [`Session::state_dir`].
	pub fn state_file(&self) -> StateFile {
		StateFile::new(&self.state_dir())
	}

	/// The sealed reports file (an evaluator's, by hand) in [`Session::state_dir`].
	pub fn report_file(&self) -> ReportFile {
		ReportFile::new(&self.state_dir())
	}

	/// How results are printed.
	pub fn format(&self) -> Format {
		self.options.format
	}

	/// Shows a command's outcome: its data on stdout in `--format`, then its note on stderr; returns
	/// the exit code.
	pub fn finish(&self, outcome: Outcome) -> Result<ExitCode> {
		if let Some(table) = &outcome.table {
			table.print(self.format())?;
		}
		if let Some(note) = &outcome.note {
			eprintln!("{note}");
		}
		Ok(if outcome.success { ExitCode::SUCCESS } else { ExitCode::FAILURE })
	}
}

/// What a command hands back: data to print, a note for stderr after it, and success or failure
/// (exit code 1).
#[derive(Debug)]
pub struct Outcome {
	/// Printed on stdout in the session's format.
	pub table: Option<Table>,
	/// Printed on stderr after the table.
	pub note: Option<String>,
	/// Exit code 0 if true, 1 otherwise.
	pub success: bool,
}

impl Outcome {
	/// Success with nothing to print.
	pub fn nothing() -> Outcome {
		Outcome { table: None, note: None, success: true }
	}

	/// The same outcome, failed unless `ok`.
	pub fn failed_unless(self, ok: bool) -> Outcome {
		Outcome { success: self.success && ok, ..self }
	}

	/// The same outcome, failed, with a note explaining why.
	pub fn failed_with(self, note: impl Into<String>) -> Outcome {
		Outcome { note: Some(note.into()), success: false, ..self }
	}
}

impl From<Table> for Outcome {
	fn from(table: Table) -> Outcome {
		Outcome { table: Some(table), note: None, success: true }
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::args::parse;
	use serde_json::json;
	use std::path::Path;

	fn session(args: &[&str]) -> Session {
		Session::new(parse(&[args, &["account"][..]].concat()).unwrap().global)
	}

	#[test]
	fn signer_and_options() {
		let s = session(&["--suri", "//Alice", "--state-dir", "/tmp/merit-state", "--format", "csv"]);
		assert!(s.has_signer());
		assert_eq!(s.signer_account().unwrap().to_string(), "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY");
		assert!(std::ptr::eq(s.signer().unwrap(), s.signer().unwrap()), "resolved once");
		assert_eq!(s.signer_suri().unwrap().as_deref(), Some("//Alice"));
		assert_eq!(s.state_dir(), PathBuf::from("/tmp/merit-state"));
		assert_eq!(s.report_file().path(), Path::new("/tmp/merit-state/reports.json"));
		assert_eq!(s.format(), Format::Csv);

		let dir = tempfile::tempdir().unwrap();
		let file = dir.path().join("key");
		std::fs::write(&file, "//Bob\n").unwrap();
		let s = session(&["--suri-file", file.to_str().unwrap()]);
		assert_eq!(s.signer_suri().unwrap().as_deref(), Some("//Bob"));
		let s = session(&["--suri", "//Alice", "--suri-file", file.to_str().unwrap()]);
		assert!(s.signer().is_err());
		assert_eq!(s.signer_suri().unwrap(), None);
	}

	#[test]
	fn outcomes() {
		let s = session(&[]);
		let table = Table::record(vec![("id", json!(1))]);
		assert!(Outcome::from(table.clone()).success);
		assert!(!Outcome::from(table.clone()).failed_unless(false).success);
		assert!(Outcome::from(table.clone()).failed_unless(true).success);
		let failed = Outcome::nothing().failed_with("why");
		assert_eq!((failed.success, failed.note.as_deref()), (false, Some("why")));
		assert!(s.finish(Outcome::nothing()).is_ok());
	}
}
