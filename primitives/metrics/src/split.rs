//! The public/private split of the hidden rows and the owner's labels commitment.
//!
//! Which rows are public must be decided identically by every evaluator and by the client, and must not be
//! choosable by the owner after the fact: it is derived from the salt inside the owner's commitment.

use alloc::vec::Vec;

use sha2::{Digest, Sha256};

use crate::csv::{check_two_column_header, count_newlines, read_header, split_two, Lines};
use crate::error::{FileKind, MetricError};

#[cfg(feature = "scale")]
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
#[cfg(feature = "scale")]
use scale_info::TypeInfo;

/// Parts per billion: `public_share_ppb = PPB` makes every row public.
pub const PPB: u32 = 1_000_000_000;

/// Which rows of the hidden set a score is computed on.
///
/// While a challenge is open only the public score is shown; the private score decides the prizes after
/// close (the Netflix Prize's quiz/test halves), so over-fitting the public leaderboard does not pay.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "scale", derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo))]
pub enum Subset {
	/// Every row.
	All,
	/// Rows for which [`is_public_row`] is true.
	Public,
	/// Rows for which [`is_public_row`] is false.
	Private,
}

impl Subset {
	/// Stable lower-case name (`all`, `public`, `private`), as the client and the RPC print and read it.
	pub fn name(&self) -> &'static str {
		match self {
			Subset::All => "all",
			Subset::Public => "public",
			Subset::Private => "private",
		}
	}
}

/// The subset to score plus what defines it: the seed (the owner's commitment salt) and the public share.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Split<'a> {
	/// Which rows to score.
	pub subset: Subset,
	/// The seed of the split: the salt the challenge owner committed with.
	pub seed: &'a [u8],
	/// Share of rows that are public, in parts per billion (values ≥ [`PPB`] make every row public).
	pub public_share_ppb: u32,
}

impl<'a> Split<'a> {
	/// Score every row (the seed and share are then irrelevant).
	pub const fn all() -> Split<'static> {
		Split { subset: Subset::All, seed: &[], public_share_ppb: PPB }
	}

	/// Score the public rows of a split.
	pub const fn public(seed: &'a [u8], public_share_ppb: u32) -> Self {
		Split { subset: Subset::Public, seed, public_share_ppb }
	}

	/// Score the private rows of a split.
	pub const fn private(seed: &'a [u8], public_share_ppb: u32) -> Self {
		Split { subset: Subset::Private, seed, public_share_ppb }
	}
}

/// Decides row membership with the seed's hash state computed once (one SHA-256 block per short id).
#[derive(Clone)]
pub(crate) struct RowSelector {
	subset: Subset,
	base: Sha256,
	share: u32,
}

impl RowSelector {
	pub fn new(split: &Split<'_>) -> Self {
		RowSelector { subset: split.subset, base: Sha256::new_with_prefix(split.seed), share: split.public_share_ppb }
	}

	/// Whether the row with this id belongs to the selected subset.
	#[inline]
	pub fn keep(&self, id: &[u8]) -> bool {
		match self.subset {
			Subset::All => true,
			Subset::Public => self.public(id),
			Subset::Private => !self.public(id),
		}
	}

	fn public(&self, id: &[u8]) -> bool {
		if self.share >= PPB {
			return true;
		}
		let digest = self.base.clone().chain_update(id).finalize();
		public_from_digest(&digest, self.share)
	}
}

/// Maps the first 8 bytes (big-endian u64 `h`) to `⌊h · 10^9 / 2^64⌋ ∈ [0, 10^9)`, an unbiased position in
/// parts per billion; the row is public when that position is below the share.
fn public_from_digest(digest: &[u8], public_share_ppb: u32) -> bool {
	let mut first = [0u8; 8];
	first.copy_from_slice(&digest[..8]);
	let h = u64::from_be_bytes(first);
	let position = ((u128::from(h) * u128::from(PPB)) >> 64) as u32;
	position < public_share_ppb
}

/// Whether the row `id` is public under a split with this seed and public share (parts per billion).
///
/// Rule: `h` = the first 8 bytes of `sha256(seed ‖ id)` read as a big-endian u64; the row is public iff
/// `⌊h · 10^9 / 2^64⌋ < public_share_ppb`. The id is hashed as the exact bytes of the CSV field (after
/// trimming spaces). Any implementation (the Python reference generator does this with `hashlib`) can
/// reproduce it, so owners, participants and evaluators agree on the split.
pub fn is_public_row(seed: &[u8], id: &str, public_share_ppb: u32) -> bool {
	is_public_row_bytes(seed, id.as_bytes(), public_share_ppb)
}

/// [`is_public_row`] for ids that are raw bytes (CSV fields need not be UTF-8).
pub fn is_public_row_bytes(seed: &[u8], id: &[u8], public_share_ppb: u32) -> bool {
	if public_share_ppb >= PPB {
		return true;
	}
	let digest = Sha256::new().chain_update(seed).chain_update(id).finalize();
	public_from_digest(&digest, public_share_ppb)
}

/// The public rows of a labels file: the canonical labels file an evaluator of the public leaderboard
/// holds (and scores with [`crate::score_listed`]), so that it never holds a private row's label.
///
/// The challenge owner produces it; after the full labels are revealed anyone can recompute it and
/// compare bytes, so the rule is exact:
///
/// 1. The input is bytes. A leading UTF-8 byte-order mark (`EF BB BF`) is dropped.
/// 2. Lines are split at `\n` only; a final `\n` ends the last line (it does not start an empty one);
///    one trailing `\r` is removed from each line (`\r\n` files give the same lines as `\n` files).
/// 3. The output is the first line (the header) followed by `\n`, then, in file order, each following line
///    whose id is public, followed by `\n`. The lines are copied as they are (spaces kept).
/// 4. A line's id is its text up to the first `,`, with ASCII spaces and tabs removed at both ends (exactly
///    the id [`crate::score`] matches); it is public iff [`is_public_row_bytes`]`(seed, id,
///    public_share_ppb)` (so `public_share_ppb = 0` gives the header alone, `≥ PPB` every line).
///
/// Errors ([`FileKind::Labels`], with the input's line number): no header (an empty file or empty first
/// line), a header that is quoted, does not start with `id` or has other than two columns, and a data
/// line that is empty, has other than two columns, is quoted or has an empty id: the structure every
/// labels file needs for [`crate::score`] whatever the metric, checked so that the id of every line is
/// well defined. The values are not checked (the metric is not known here), nor are duplicate ids; so a
/// labels file that [`crate::score`] accepts always succeeds.
///
/// The same in Python, for a file that succeeds:
///
/// ```text
/// import hashlib
///
/// def public_rows(data: bytes, seed: bytes, share_ppb: int) -> bytes:
///     if data.startswith(b"\xef\xbb\xbf"):
///         data = data[3:]
///     lines = data.split(b"\n")
///     if lines[-1] == b"":
///         lines.pop()
///     lines = [l[:-1] if l.endswith(b"\r") else l for l in lines]
///     def public(i):
///         h = int.from_bytes(hashlib.sha256(seed + i).digest()[:8], "big")
///         return share_ppb >= 10**9 or (h * 10**9) >> 64 < share_ppb
///     rows = [l for l in lines[1:] if public(l.split(b",")[0].strip(b" \t"))]
///     return b"".join(l + b"\n" for l in [lines[0]] + rows)
/// ```
///
/// Memory: the output (at most the input's size plus one byte), allocated once at its exact size, and one
/// bit per row.
pub fn public_rows(labels_csv: &[u8], seed: &[u8], public_share_ppb: u32) -> Result<Vec<u8>, MetricError> {
	let selector = RowSelector::new(&Split::public(seed, public_share_ppb));
	// Quoted fields are unwrapped: the public rows come out in the plain form.
	let labels_csv = crate::csv::unquoted(labels_csv, FileKind::Labels)?;
	let mut lines = Lines::new(&labels_csv, FileKind::Labels);
	let header = read_header(&mut lines, FileKind::Labels)?;
	check_two_column_header(header, FileKind::Labels)?;
	let data = lines.clone();
	// First pass: which rows are public (a bit each) and the output's size.
	let mut public: Vec<u64> = Vec::with_capacity((count_newlines(data.rest()) + 64) / 64);
	let mut size = header.len() + 1;
	let mut row = 0usize;
	while let Some((line, text)) = lines.next_line()? {
		let (id, _) = split_two(text).map_err(|p| MetricError::row(FileKind::Labels, line, p))?;
		if row / 64 == public.len() {
			public.push(0);
		}
		if selector.keep(id) {
			public[row / 64] |= 1 << (row % 64);
			size += text.len() + 1;
		}
		row += 1;
	}
	// Second pass: copy them.
	let mut out = Vec::with_capacity(size);
	out.extend_from_slice(header);
	out.push(b'\n');
	let mut lines = data;
	let mut row = 0usize;
	while let Some((_, text)) = lines.next_line()? {
		if public.get(row / 64).is_some_and(|bits| bits & (1 << (row % 64)) != 0) {
			out.extend_from_slice(text);
			out.push(b'\n');
		}
		row += 1;
	}
	Ok(out)
}

/// The owner's commitment to the hidden labels: `sha256(sha256(labels_file) ‖ salt)`.
///
/// Posted at challenge creation; after close the owner reveals the labels artifact (named on chain by
/// `sha256(labels_file)`) and the salt, and the chain itself checks them with
/// [`labels_commitment_of_digest`]. Committing to the file's digest rather than its bytes is what lets
/// the chain verify the reveal without ever storing the labels; it binds the labels just as firmly.
/// The salt also seeds the public/private split.
pub fn labels_commitment(labels: &[u8], salt: &[u8]) -> [u8; 32] {
	labels_commitment_of_digest(&Sha256::digest(labels).into(), salt)
}

/// [`labels_commitment`] from the labels file's sha256 digest: the form the chain checks.
pub fn labels_commitment_of_digest(labels_digest: &[u8; 32], salt: &[u8]) -> [u8; 32] {
	Sha256::new().chain_update(labels_digest).chain_update(salt).finalize().into()
}

/// `sha256(digest ‖ salt ‖ account)`: a sealed submission's commitment, where `account` is the
/// author's account SCALE-encoded (for a 32-byte account id, its raw bytes). The account is inside
/// so nobody can copy another's commitment and reveal it as their own. The chain checks it at the
/// reveal; the client computes it before committing.
pub fn submission_commitment(predictions_digest: &[u8; 32], salt: &[u8], account: &[u8]) -> [u8; 32] {
	Sha256::new().chain_update(predictions_digest).chain_update(salt).chain_update(account).finalize().into()
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn commitment_is_sha256_of_the_labels_digest_and_salt() {
		// sha256("abc"), the digest of a labels file "abc".
		let abc = [
			0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03,
			0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
		];
		let expected: [u8; 32] = Sha256::new().chain_update(abc).chain_update(b"salt").finalize().into();
		assert_eq!(labels_commitment_of_digest(&abc, b"salt"), expected);
		assert_eq!(labels_commitment(b"abc", b"salt"), expected);
		assert_ne!(labels_commitment(b"abc", b"pepper"), expected);
	}

	#[test]
	fn submission_commitment_binds_digest_salt_and_account() {
		let digest = [7u8; 32];
		let expected: [u8; 32] =
			Sha256::new().chain_update(digest).chain_update(b"salt").chain_update([2u8; 32]).finalize().into();
		assert_eq!(submission_commitment(&digest, b"salt", &[2; 32]), expected);
		assert_ne!(submission_commitment(&digest, b"salt", &[3; 32]), expected);
		assert_ne!(submission_commitment(&digest, b"pepper", &[2; 32]), expected);
	}

	#[test]
	fn split_shares_and_complement() {
		let seed = b"salt";
		let mut public = 0;
		for i in 0..10_000u32 {
			let id = alloc::format!("{i}");
			let p = is_public_row(seed, &id, 300_000_000);
			let sel = RowSelector::new(&Split::public(seed, 300_000_000));
			let priv_sel = RowSelector::new(&Split::private(seed, 300_000_000));
			assert_eq!(sel.keep(id.as_bytes()), p);
			assert_eq!(priv_sel.keep(id.as_bytes()), !p);
			public += p as u32;
			assert!(is_public_row(seed, &id, PPB));
			assert!(!is_public_row(seed, &id, 0));
		}
		assert!((2_800..3_200).contains(&public), "{public}");
	}

	/// Positions `⌊h · 10^9 / 2^64⌋` under seed `salt`, from Python's hashlib: 1 → 861584605,
	/// 2 → 858464694, 4 → 319838366, 7 → 166778853, 8 → 74938903, `a b` → 572701035.
	#[test]
	fn public_rows_by_hand() {
		let labels = b"\xEF\xBB\xBFid , y\r\n1,a\r\n 4 ,b\r\na b,c\r\n2,d\r\n7,e\r\n8,f";
		assert_eq!(public_rows(labels, b"salt", 500_000_000).unwrap(), b"id , y\n 4 ,b\n7,e\n8,f\n");
		assert_eq!(public_rows(labels, b"salt", 600_000_000).unwrap(), b"id , y\n 4 ,b\na b,c\n7,e\n8,f\n");
		assert_eq!(public_rows(labels, b"salt", 0).unwrap(), b"id , y\n");
		let every = b"id , y\n1,a\n 4 ,b\na b,c\n2,d\n7,e\n8,f\n";
		assert_eq!(public_rows(labels, b"salt", PPB).unwrap(), every);
		assert_eq!(public_rows(labels, b"salt", u32::MAX).unwrap(), every);
		// Only the one `\r` before `\n` goes; a final terminator ends the last line.
		assert_eq!(public_rows(b"id,y\r\n8,x\r\r\n", b"salt", PPB).unwrap(), b"id,y\n8,x\r\n");
		assert_eq!(public_rows(b"id,y", b"salt", PPB).unwrap(), b"id,y\n");
	}

	#[test]
	fn public_rows_select_the_public_ids_deterministically() {
		let mut text = alloc::string::String::from("id,y\n");
		for i in 0..2_000u32 {
			text.push_str(&alloc::format!("{}{i}\t,{}\n", if i % 3 == 0 { " " } else { "" }, i % 7));
		}
		let crlf = text.replace('\n', "\r\n");
		let bom = alloc::format!("\u{feff}{crlf}");
		for share in [0, 1, 10_000_000, 250_000_000, 990_000_000, 999_999_999, PPB] {
			let out = public_rows(text.as_bytes(), b"seed", share).unwrap();
			let want: alloc::string::String = text
				.split_inclusive('\n')
				.enumerate()
				.filter(|(i, line)| *i == 0 || is_public_row(b"seed", line.split(',').next().unwrap().trim(), share))
				.map(|(_, line)| line)
				.collect();
			assert_eq!(out, want.as_bytes(), "{share}");
			assert_eq!(public_rows(crlf.as_bytes(), b"seed", share).unwrap(), out);
			assert_eq!(public_rows(bom.as_bytes(), b"seed", share).unwrap(), out);
			assert_eq!(public_rows(text.as_bytes(), b"seed", share).unwrap(), out);
			// Another seed selects other rows (except at the extremes: none or all, almost surely at 1 and
			// PPB - 1 with 2,000 rows).
			let other = public_rows(text.as_bytes(), b"seeds", share).unwrap();
			assert_eq!(other == out, share <= 1 || share >= PPB - 1, "{share}");
		}
	}

	#[test]
	fn public_rows_reject_what_no_labels_file_may_hold() {
		use crate::error::RowProblem::*;
		let err = |data: &[u8]| match public_rows(data, b"s", PPB) {
			Err(MetricError::Row { file: FileKind::Labels, line, problem }) => (line, problem),
			other => panic!("{other:?}"),
		};
		assert_eq!(err(b""), (1, MissingHeader));
		assert_eq!(err(b"\xEF\xBB\xBF"), (1, MissingHeader));
		assert_eq!(err(b"\na,1\n"), (1, MissingHeader));
		assert_eq!(err(b"key,y\na,1\n"), (1, HeaderFirstColumnNotId));
		assert_eq!(err(b"id,y,z\na,1\n"), (1, WrongColumnCount { expected: 2, found: 3 }));
		assert_eq!(err(b"id,y\na,1\n\nb,2\n"), (3, EmptyLine));
		assert_eq!(err(b"id,y\na\n"), (2, WrongColumnCount { expected: 2, found: 1 }));
		assert_eq!(err(b"id,y\na,1,2\n"), (2, WrongColumnCount { expected: 2, found: 3 }));
		assert_eq!(err(b"id,y\na\"b,1\n"), (2, QuotedField));
		assert_eq!(err(b"id,y\n\"a,b\",1\n"), (2, QuotedSeparator));
		// Quoted fields are unwrapped: the public rows come out plain.
		let plain = public_rows(b"id,y\na,1\nb,2\nc,3\n", b"s", PPB).unwrap();
		assert_eq!(public_rows(b"\"id\",\"y\"\n\"a\",\"1\"\n\"b\",2\nc,\"3\"\n", b"s", PPB).unwrap(), plain);
		assert_eq!(err(b"id,y\n \t,1\n"), (2, EmptyId));
		// Values are not checked (the metric is not known).
		assert_eq!(public_rows(b"id,y\na,\n", b"s", PPB).unwrap(), b"id,y\na,\n");
	}
	#[test]
	fn threshold_mapping() {
		let mut d = [0u8; 32];
		assert!(public_from_digest(&d, 1));
		assert!(!public_from_digest(&d, 0));
		d[..8].copy_from_slice(&u64::MAX.to_be_bytes());
		assert!(!public_from_digest(&d, PPB - 1));
		assert!(public_from_digest(&d, PPB));
	}
}
