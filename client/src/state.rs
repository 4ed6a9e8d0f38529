//! The local state of sealed commitments: the salt of each must survive until its reveal, so it is
//! kept in the state directory (default `~/.local/share/merit`, or `$XDG_DATA_HOME/merit`, or
//! `--state-dir`): sealed submissions in `sealed.json` (revealed after the challenge closes), an
//! evaluator's sealed reports in `reports.json` (revealed once the round's reveals open), a
//! hand evaluator's labels secrets in `labels-secrets.json`. All are JSON arrays, replaced
//! atomically.
use anyhow::{Context, Result};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// A sealed submission waiting for its reveal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingReveal {
	/// The node's genesis hash (hex), so two chains' ids never mix.
	pub genesis: String,
	/// The challenge.
	pub challenge: u32,
	/// The submission id the commitment got (`None` while the commitment is on its way: the
	/// entry is saved before it is sent, so a crash cannot lose the salt).
	pub submission: Option<u32>,
	/// The commitment (hex), by which a crashed client finds its submission again.
	#[serde(default)]
	pub commitment: String,
	/// The author's account (SS58).
	pub account: String,
	/// The predictions digest (hex).
	pub digest: String,
	/// The commitment salt (hex).
	pub salt: String,
	/// Where the predictions were uploaded (empty until the reveal: a sealed file is published
	/// only after the close, so nobody learns its digest early).
	pub uri: String,
	/// Whether it has been revealed.
	pub revealed: bool,
}

impl PendingReveal {
	/// Whether two entries are for the same commitment (entries of older clients have no
	/// commitment: their submission id identifies them).
	fn same_commitment(&self, other: &PendingReveal) -> bool {
		if !self.commitment.is_empty() || !other.commitment.is_empty() {
			self.commitment == other.commitment
		} else {
			self.submission == other.submission
		}
	}
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
		load_list(&self.path)
	}

	/// Replaces the file's content atomically (temporary file + rename).
	pub fn save(&self, entries: &[PendingReveal]) -> Result<()> {
		save_list(&self.path, entries)
	}

	/// Adds or replaces the entry of one commitment.
	pub fn upsert(&self, entry: PendingReveal) -> Result<()> {
		let mut entries = self.load()?;
		entries.retain(|e| !(e.genesis == entry.genesis && e.same_commitment(&entry)));
		entries.push(entry);
		self.save(&entries)
	}

	/// Where the bytes of a sealed submission wait for its reveal (in the state directory, so
	/// moving or editing the original file cannot break the reveal).
	pub fn predictions_path(&self, digest_hex: &str) -> PathBuf {
		self.path.with_file_name("sealed").join(format!("{digest_hex}.csv"))
	}

	/// Keeps a copy of a sealed submission's bytes until its reveal.
	pub fn keep_predictions(&self, digest_hex: &str, bytes: &[u8]) -> Result<()> {
		let path = self.predictions_path(digest_hex);
		let dir = path.parent().expect("a file in the state directory");
		std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
		// A temporary file renamed into place: an interrupted write never damages a copy that
		// another entry with the same digest (the same file, another challenge) still needs.
		let tmp = path.with_extension("csv.tmp");
		std::fs::write(&tmp, bytes)
			.and_then(|_| std::fs::rename(&tmp, &path))
			.with_context(|| format!("cannot keep a copy of the predictions in {}", path.display()))
	}
}

/// The entries of a state file (none if it does not exist yet).
pub fn load_list<T: DeserializeOwned>(path: &Path) -> Result<Vec<T>> {
	match std::fs::read(path) {
		Ok(bytes) => serde_json::from_slice(&bytes)
			.with_context(|| format!("the state file {} is not valid JSON", path.display())),
		Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
		Err(e) => Err(e).with_context(|| format!("cannot read the state file {}", path.display())),
	}
}

/// Replaces a state file's content atomically (temporary file + rename), creating its directory.
pub fn save_list<T: Serialize>(path: &Path, entries: &[T]) -> Result<()> {
	let dir = path.parent().expect("a state file has a directory");
	std::fs::create_dir_all(dir).with_context(|| format!("cannot create the state directory {}", dir.display()))?;
	let tmp = path.with_extension("json.tmp");
	std::fs::write(&tmp, serde_json::to_vec_pretty(entries)?)
		.and_then(|_| std::fs::rename(&tmp, path))
		.with_context(|| format!("cannot write the state file {}", path.display()))
}

/// An evaluator's sealed report (`merit evaluator report`), saved before its commitment is sent
/// and kept until (and after) its reveal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedReport {
	/// The node's genesis hash (hex), so two chains' reports never mix.
	pub genesis: String,
	/// The submission.
	pub submission: u32,
	/// The stage's name (`public`, `private`, `dispute`).
	pub stage: String,
	/// The round the commitment is for (part of the commitment).
	pub round: u32,
	/// The bonded evaluator account (SS58), part of the commitment.
	pub evaluator: String,
	/// The key that signs (SS58).
	pub key: String,
	/// The outcome: a score with 18 decimals, or `too-large`.
	pub outcome: String,
	/// The 32-byte salt (hex).
	pub salt: String,
	/// The commitment sent (0x-hex), to pick the report the chain holds.
	pub commitment: String,
	/// Whether it has been revealed.
	pub revealed: bool,
}

impl SavedReport {
	/// Whether this is a report of `evaluator` on `submission` at `stage` in `round` on `genesis`.
	pub fn is_for(&self, genesis: &str, submission: u32, stage: &str, round: u32, evaluator: &str) -> bool {
		self.genesis == genesis
			&& self.submission == submission
			&& self.stage == stage
			&& self.round == round
			&& self.evaluator == evaluator
	}
}

/// The sealed reports file in `dir`.
pub struct ReportFile {
	path: PathBuf,
}

impl ReportFile {
	/// The file in `dir` (created on first save).
	pub fn new(dir: &Path) -> ReportFile {
		ReportFile { path: dir.join("reports.json") }
	}

	/// Where it is.
	pub fn path(&self) -> &Path {
		&self.path
	}

	/// Every saved report.
	pub fn load(&self) -> Result<Vec<SavedReport>> {
		load_list(&self.path)
	}

	/// Adds a report, or replaces the one with the same commitment (e.g. once revealed). Reports
	/// with other commitments are kept: a commitment sent earlier may be the one on chain.
	pub fn upsert(&self, entry: SavedReport) -> Result<()> {
		let mut entries = self.load()?;
		entries.retain(|e| !(e.genesis == entry.genesis && e.commitment == entry.commitment));
		entries.push(entry);
		save_list(&self.path, &entries)
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
			submission: None,
			commitment: "cc".into(),
			account: "5Grw".into(),
			digest: "00".into(),
			salt: "11".into(),
			uri: "http://x/sha256/00".into(),
			revealed: false,
		};
		// Saved before the commitment is sent, then with its id, then revealed: one entry.
		file.upsert(entry.clone()).unwrap();
		file.upsert(PendingReveal { submission: Some(7), ..entry.clone() }).unwrap();
		file.upsert(PendingReveal { submission: Some(7), revealed: true, ..entry.clone() }).unwrap();
		let loaded = file.load().unwrap();
		assert_eq!(loaded.len(), 1);
		assert!(loaded[0].revealed);
		assert_eq!(loaded[0].submission, Some(7));
		// The copy of the bytes waits in the state directory.
		file.keep_predictions("00", b"id,y\n").unwrap();
		assert_eq!(std::fs::read(file.predictions_path("00")).unwrap(), b"id,y\n");
		assert_eq!(file.predictions_path("00"), dir.path().join("nested/sealed/00.csv"));
	}

	#[test]
	fn entries_of_older_clients_still_load() {
		let dir = tempfile::tempdir().unwrap();
		let file = StateFile::new(dir.path());
		let old = r#"[{"genesis":"ab","challenge":1,"submission":7,"account":"5Grw","digest":"00","salt":"11","uri":"u","revealed":false}]"#;
		std::fs::write(dir.path().join("sealed.json"), old).unwrap();
		let loaded = file.load().unwrap();
		assert_eq!((loaded[0].submission, loaded[0].commitment.as_str()), (Some(7), ""));
	}

	#[test]
	fn reports_round_trip() {
		let dir = tempfile::tempdir().unwrap();
		let file = ReportFile::new(&dir.path().join("nested"));
		assert_eq!(file.path(), dir.path().join("nested/reports.json"));
		assert!(file.load().unwrap().is_empty());
		let report = SavedReport {
			genesis: "ab".into(),
			submission: 3,
			stage: "public".into(),
			round: 0,
			evaluator: "5Two".into(),
			key: "5Key".into(),
			outcome: "0.500000000000000000".into(),
			salt: "11".repeat(32),
			commitment: "0x01".into(),
			revealed: false,
		};
		file.upsert(report.clone()).unwrap();
		// Another commitment for the same job is kept beside the first; the same one is replaced.
		file.upsert(SavedReport { commitment: "0x02".into(), ..report.clone() }).unwrap();
		file.upsert(SavedReport { revealed: true, ..report.clone() }).unwrap();
		let loaded = file.load().unwrap();
		assert_eq!(loaded.len(), 2);
		let first = loaded.iter().find(|r| r.commitment == "0x01").unwrap();
		assert!(first.revealed);
		assert!(first.is_for("ab", 3, "public", 0, "5Two"));
		assert!(!first.is_for("ab", 3, "private", 0, "5Two"));
		assert!(!first.is_for("ab", 3, "public", 1, "5Two"));
		// The sealed submissions file beside it is another file.
		assert!(StateFile::new(&dir.path().join("nested")).load().unwrap().is_empty());
	}
}

/// An evaluator's labels secret, for an evaluator who scores by hand (a node's worker keeps its
/// own in the node).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelsSecret {
	/// The node's genesis hash (hex).
	pub genesis: String,
	/// The bonded evaluator (SS58).
	pub evaluator: String,
	/// The X25519 secret (hex).
	pub secret: String,
}

/// The labels secrets file in `dir` (`labels-secrets.json`).
pub struct LabelsSecretFile {
	path: PathBuf,
}

impl LabelsSecretFile {
	/// The file in `dir` (created on first save).
	pub fn new(dir: &Path) -> LabelsSecretFile {
		LabelsSecretFile { path: dir.join("labels-secrets.json") }
	}

	/// Every recorded secret.
	pub fn load(&self) -> Result<Vec<LabelsSecret>> {
		load_list(&self.path)
	}

	/// Replaces the file's content atomically; only its owner may read it.
	pub fn save(&self, entries: &[LabelsSecret]) -> Result<()> {
		save_list(&self.path, entries)?;
		#[cfg(unix)]
		{
			use std::os::unix::fs::PermissionsExt;
			std::fs::set_permissions(&self.path, std::fs::Permissions::from_mode(0o600))
				.with_context(|| format!("cannot restrict {} to its owner", self.path.display()))?;
		}
		Ok(())
	}

	/// The secrets saved for `evaluator` on the chain `genesis`, newest first.
	pub fn secrets_of(&self, genesis: &str, evaluator: &str) -> Result<Vec<[u8; 32]>> {
		Ok(self
			.load()?
			.into_iter()
			.rev()
			.filter(|e| e.genesis == genesis && e.evaluator == evaluator)
			.filter_map(|e| hex::decode(&e.secret).ok().and_then(|b| b.try_into().ok()))
			.collect())
	}
}
