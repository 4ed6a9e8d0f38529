//! The local state of sealed submissions: the salt of each commitment must survive until the
//! reveal after the challenge closes, so it is kept in `<state dir>/sealed.json`
//! (default `~/.local/share/merit`, or `$XDG_DATA_HOME/merit`, or `--state-dir`).
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// A sealed submission waiting for its reveal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingReveal {
	/// The node's genesis hash (hex), so two chains' ids never mix.
	pub genesis: String,
	/// The challenge.
	pub challenge: u32,
	/// The submission id the commitment got.
	pub submission: u32,
	/// The author's account (SS58).
	pub account: String,
	/// The predictions digest (hex).
	pub digest: String,
	/// The commitment salt (hex).
	pub salt: String,
	/// Where the predictions were uploaded.
	pub uri: String,
	/// Whether it has been revealed.
	pub revealed: bool,
}

/// The default state directory.
pub fn default_dir() -> PathBuf {
	if let Some(data) = std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
		return PathBuf::from(data).join("merit");
	}
	let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("."));
	home.join(".local/share/merit")
}

/// The sealed submissions file in `dir`.
pub struct StateFile {
	path: PathBuf,
}

impl StateFile {
	/// The file in `dir` (created on first save).
	pub fn new(dir: &Path) -> StateFile {
		StateFile { path: dir.join("sealed.json") }
	}

	/// Every recorded sealed submission.
	pub fn load(&self) -> Result<Vec<PendingReveal>> {
		match std::fs::read(&self.path) {
			Ok(bytes) => serde_json::from_slice(&bytes)
				.with_context(|| format!("the state file {} is not valid JSON", self.path.display())),
			Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
			Err(e) => Err(e).with_context(|| format!("cannot read the state file {}", self.path.display())),
		}
	}

	/// Replaces the file's content atomically (temporary file + rename).
	pub fn save(&self, entries: &[PendingReveal]) -> Result<()> {
		let dir = self.path.parent().expect("the state file has a directory");
		std::fs::create_dir_all(dir).with_context(|| format!("cannot create the state directory {}", dir.display()))?;
		let tmp = self.path.with_extension("json.tmp");
		std::fs::write(&tmp, serde_json::to_vec_pretty(entries)?)
			.and_then(|_| std::fs::rename(&tmp, &self.path))
			.with_context(|| format!("cannot write the state file {}", self.path.display()))
	}

	/// Adds or replaces the entry of one submission.
	pub fn upsert(&self, entry: PendingReveal) -> Result<()> {
		let mut entries = self.load()?;
		entries.retain(|e| !(e.genesis == entry.genesis && e.submission == entry.submission));
		entries.push(entry);
		self.save(&entries)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn round_trip() {
		let dir = tempfile::tempdir().unwrap();
		let file = StateFile::new(&dir.path().join("nested"));
		assert!(file.load().unwrap().is_empty());
		let entry = PendingReveal {
			genesis: "ab".into(),
			challenge: 1,
			submission: 7,
			account: "5Grw".into(),
			digest: "00".into(),
			salt: "11".into(),
			uri: "http://x/sha256/00".into(),
			revealed: false,
		};
		file.upsert(entry.clone()).unwrap();
		file.upsert(PendingReveal { revealed: true, ..entry.clone() }).unwrap();
		let loaded = file.load().unwrap();
		assert_eq!(loaded.len(), 1);
		assert!(loaded[0].revealed);
	}
}
