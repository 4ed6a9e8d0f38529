//! Names (`Identity`, pallet-identity): a contributor's display name, ORCID iD and affiliation,
//! with registrars' judgements. `merit profile set|show|clear`; tables and the web portal show a
//! name where an account has one and a short address where it has none.
use anyhow::{bail, Context, Result};
use serde_json::json;
use std::collections::HashMap;
use subxt_signer::sr25519::Keypair;

use crate::{
	chain::{
		runtime,
		runtime_types::pallet_identity::{legacy::IdentityInfo, types::Data, types::Judgement},
		AccountId32, Chain,
	},
	output::Table,
	units::format_merit,
};

/// The `additional` key of the ORCID iD.
const ORCID: &str = "orcid";
/// The `additional` key of the affiliation.
const AFFILIATION: &str = "affiliation";

/// What an account says about itself, and what registrars judged.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Profile {
	pub name: String,
	pub orcid: Option<String>,
	pub affiliation: Option<String>,
	pub web: Option<String>,
	/// `(registrar, judgement)`, e.g. `(0, "KnownGood")`.
	pub judgements: Vec<(u32, String)>,
	/// Held for the stored bytes.
	pub deposit: u128,
}

/// Raw bytes of up to 32 as pallet-identity's `Data`.
fn data(text: &str) -> Result<Data> {
	let bytes = text.as_bytes();
	macro_rules! raw {
		($($n:literal => $variant:ident),*) => {
			match bytes.len() {
				$($n => Data::$variant(bytes.try_into().expect("the length was matched")),)*
				n => bail!("`{text}` is {n} bytes; a name field holds at most 32"),
			}
		};
	}
	Ok(raw!(0 => Raw0, 1 => Raw1, 2 => Raw2, 3 => Raw3, 4 => Raw4, 5 => Raw5, 6 => Raw6, 7 => Raw7, 8 => Raw8,
		9 => Raw9, 10 => Raw10, 11 => Raw11, 12 => Raw12, 13 => Raw13, 14 => Raw14, 15 => Raw15, 16 => Raw16,
		17 => Raw17, 18 => Raw18, 19 => Raw19, 20 => Raw20, 21 => Raw21, 22 => Raw22, 23 => Raw23, 24 => Raw24,
		25 => Raw25, 26 => Raw26, 27 => Raw27, 28 => Raw28, 29 => Raw29, 30 => Raw30, 31 => Raw31, 32 => Raw32))
}

/// The text of a `Data` field (`None` for an empty field or a hash).
fn text(data: &Data) -> Option<String> {
	macro_rules! raw {
		($($variant:ident),*) => {
			match data {
				$(Data::$variant(bytes) => Some(String::from_utf8_lossy(&bytes[..]).into_owned()),)*
				_ => None,
			}
		};
	}
	raw!(
		Raw1, Raw2, Raw3, Raw4, Raw5, Raw6, Raw7, Raw8, Raw9, Raw10, Raw11, Raw12, Raw13, Raw14, Raw15, Raw16, Raw17,
		Raw18, Raw19, Raw20, Raw21, Raw22, Raw23, Raw24, Raw25, Raw26, Raw27, Raw28, Raw29, Raw30, Raw31, Raw32
	)
	.filter(|t| !t.is_empty())
}

/// Checks an ORCID iD: `0000-0002-1825-0097`, four groups of four, the last character the ISO 7064
/// 11,2 check digit (`X` for 10) of the fifteen before it.
pub fn check_orcid(id: &str) -> Result<()> {
	let groups: Vec<&str> = id.split('-').collect();
	if groups.len() != 4 || groups.iter().any(|g| g.len() != 4) {
		bail!("`{id}` is not an ORCID iD: four groups of four characters, like 0000-0002-1825-0097");
	}
	let chars: Vec<char> = groups.concat().chars().collect();
	let mut total = 0u32;
	for c in &chars[..15] {
		let digit = c.to_digit(10).with_context(|| format!("`{id}` is not an ORCID iD: `{c}` is not a digit"))?;
		total = (total + digit) * 2;
	}
	let check = (12 - total % 11) % 11;
	let expected = if check == 10 { 'X' } else { char::from_digit(check, 10).expect("below 10") };
	if chars[15].to_ascii_uppercase() != expected {
		bail!("`{id}` is not an ORCID iD: its check digit should be {expected}");
	}
	Ok(())
}

/// Sets the signer's name, ORCID iD, affiliation and web page (`Identity.set_identity`; the
/// deposit for the bytes is held).
pub async fn set(
	chain: &Chain,
	signer: &Keypair,
	name: &str,
	orcid: Option<&str>,
	affiliation: Option<&str>,
	web: Option<&str>,
) -> Result<()> {
	if name.trim().is_empty() {
		bail!("a name must not be empty");
	}
	let mut additional = Vec::new();
	if let Some(orcid) = orcid {
		check_orcid(orcid)?;
		additional.push((data(ORCID)?, data(orcid)?));
	}
	if let Some(affiliation) = affiliation {
		additional.push((data(AFFILIATION)?, data(affiliation)?));
	}
	let info = IdentityInfo {
		additional: runtime_types_bounded(additional),
		display: data(name)?,
		legal: Data::None,
		web: web.map(data).transpose()?.unwrap_or(Data::None),
		riot: Data::None,
		email: Data::None,
		pgp_fingerprint: None,
		image: Data::None,
		twitter: Data::None,
	};
	chain.submit(&runtime::tx().identity().set_identity(info), signer, "setting your name").await?;
	Ok(())
}

fn runtime_types_bounded(
	items: Vec<(Data, Data)>,
) -> crate::chain::runtime_types::bounded_collections::bounded_vec::BoundedVec<(Data, Data)> {
	crate::chain::runtime_types::bounded_collections::bounded_vec::BoundedVec(items)
}

/// Clears the signer's name; the deposit comes back.
pub async fn clear(chain: &Chain, signer: &Keypair) -> Result<()> {
	chain.submit(&runtime::tx().identity().clear_identity(), signer, "clearing your name").await?;
	Ok(())
}

/// An account's profile, if it set one.
pub async fn profile(chain: &Chain, who: &AccountId32) -> Result<Option<Profile>> {
	let at = chain.at_finalized().await?;
	let Some(value) = at.storage().try_fetch(runtime::storage().identity().identity_of(), (who.clone(),)).await? else {
		return Ok(None);
	};
	let registration = value.decode()?;
	let info = registration.info;
	let extra =
		|key: &str| info.additional.0.iter().find(|(k, _)| text(k).as_deref() == Some(key)).and_then(|(_, v)| text(v));
	Ok(Some(Profile {
		name: text(&info.display).unwrap_or_default(),
		orcid: extra(ORCID),
		affiliation: extra(AFFILIATION),
		web: text(&info.web),
		judgements: registration
			.judgements
			.0
			.iter()
			.map(|(registrar, judgement)| (*registrar, judgement_name(judgement)))
			.collect(),
		deposit: registration.deposit,
	}))
}

fn judgement_name(judgement: &Judgement<u128>) -> String {
	match judgement {
		Judgement::Unknown => "Unknown".into(),
		Judgement::FeePaid(fee) => format!("FeePaid ({})", format_merit(*fee)),
		Judgement::Reasonable => "Reasonable".into(),
		Judgement::KnownGood => "KnownGood".into(),
		Judgement::OutOfDate => "OutOfDate".into(),
		Judgement::LowQuality => "LowQuality".into(),
		Judgement::Erroneous => "Erroneous".into(),
	}
}

/// The display names of those of `accounts` that set one.
pub async fn names<'a>(chain: &Chain, accounts: impl IntoIterator<Item = &'a AccountId32>) -> Result<Names> {
	let mut out = HashMap::new();
	for who in accounts {
		if out.contains_key(&who.to_string()) {
			continue;
		}
		if let Some(profile) = profile(chain, who).await? {
			if !profile.name.is_empty() {
				out.insert(who.to_string(), profile.name);
			}
		}
	}
	Ok(Names(out))
}

/// Display names by SS58 address.
#[derive(Clone, Debug, Default)]
pub struct Names(pub HashMap<String, String>);

impl Names {
	/// The name of `address`, if it has one.
	pub fn get(&self, address: &str) -> Option<&str> {
		self.0.get(address).map(String::as_str)
	}

	/// The names of every account-looking cell of `table`.
	pub async fn of_table(chain: &Chain, table: &Table) -> Result<Names> {
		let accounts: Vec<AccountId32> = table
			.rows
			.iter()
			.flatten()
			.filter_map(|v| v.as_str())
			.filter(|s| looks_like_address(s))
			.filter_map(|s| s.parse().ok())
			.collect();
		names(chain, &accounts).await
	}

	/// Adds a `name` column after every column of `table` that holds accounts with names (the
	/// CLI's tables for people; JSON and CSV get the column too, null where there is none).
	pub fn annotate(&self, table: &mut Table) {
		if self.0.is_empty() {
			return;
		}
		let account_columns: Vec<usize> = (0..table.columns.len())
			.filter(|&i| {
				table.rows.iter().any(|r| r.get(i).and_then(|v| v.as_str()).is_some_and(|s| self.get(s).is_some()))
			})
			.collect();
		for &i in account_columns.iter().rev() {
			let heading = if table.single { format!("{}_name", table.columns[i]) } else { "name".to_string() };
			table.columns.insert(i + 1, heading);
			for row in &mut table.rows {
				let name = row.get(i).and_then(|v| v.as_str()).and_then(|s| self.get(s)).map(str::to_string);
				row.insert(i + 1, name.map_or(serde_json::Value::Null, |n| json!(n)));
			}
		}
	}
}

/// Whether `text` looks like an SS58 address of this chain (prefix 42: 48 characters from `5`).
pub fn looks_like_address(text: &str) -> bool {
	(46..=49).contains(&text.len()) && text.starts_with('5') && text.chars().all(|c| c.is_ascii_alphanumeric())
}

/// A profile for people.
pub fn table(who: &AccountId32, profile: Option<&Profile>) -> Table {
	match profile {
		None => Table::record(vec![("account", json!(who.to_string())), ("name", serde_json::Value::Null)]),
		Some(p) => Table::record(vec![
			("account", json!(who.to_string())),
			("name", json!(p.name)),
			("orcid", json!(p.orcid)),
			("affiliation", json!(p.affiliation)),
			("web", json!(p.web)),
			("judgements", json!(p.judgements.iter().map(|(r, j)| format!("registrar {r}: {j}")).collect::<Vec<_>>())),
			("deposit", json!(format_merit(p.deposit))),
		]),
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn orcid_ids_are_checked_by_their_check_digit() {
		// ORCID's own examples.
		assert!(check_orcid("0000-0002-1825-0097").is_ok());
		assert!(check_orcid("0000-0001-5109-3700").is_ok());
		assert!(check_orcid("0000-0002-1694-233X").is_ok());
		assert!(check_orcid("0000-0002-1825-0098").unwrap_err().to_string().contains("check digit should be 7"));
		assert!(check_orcid("0000-0002-1825").is_err());
		assert!(check_orcid("0000-000a-1825-0097").is_err());
	}

	#[test]
	fn names_are_raw_data_of_at_most_32_bytes() {
		assert!(matches!(data("Ada").unwrap(), Data::Raw3(b) if &b == b"Ada"));
		assert_eq!(text(&data("Ada Lovelace").unwrap()).as_deref(), Some("Ada Lovelace"));
		assert_eq!(text(&data("").unwrap()), None);
		assert!(data(&"x".repeat(33)).unwrap_err().to_string().contains("at most 32"));
	}

	#[test]
	fn tables_gain_a_name_column_where_accounts_have_names() {
		let alice = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
		let bob = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";
		let names = Names(HashMap::from([(alice.to_string(), "Alice".to_string())]));
		let mut table = Table::new(&["rank", "author", "score"]);
		table.push(vec![json!(1), json!(alice), json!("0.9")]);
		table.push(vec![json!(2), json!(bob), json!("0.8")]);
		names.annotate(&mut table);
		assert_eq!(table.columns, ["rank", "author", "name", "score"]);
		assert_eq!(table.rows[0][2], json!("Alice"));
		assert_eq!(table.rows[1][2], serde_json::Value::Null);
	}
}
