//! `merit account`: an account's balances and nonce (`System.Account`).
use anyhow::Result;
use serde_json::json;

use crate::{
	chain::{runtime, AccountId32, Chain},
	output::Table,
	units::format_merit,
};

/// An account's balances in the smallest unit, and its nonce.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Balances {
	/// The account.
	pub account: AccountId32,
	/// Free balance.
	pub free: u128,
	/// Reserved or on hold (prize pools, deposits, evaluator bonds).
	pub held: u128,
	/// Transactions sent.
	pub nonce: u32,
}

impl Balances {
	/// Free plus held.
	pub fn total(&self) -> u128 {
		self.free.saturating_add(self.held)
	}

	/// One record: MERIT amounts for people, `*_planck` integers (as strings) for scripts.
	pub fn table(&self) -> Table {
		Table::record(vec![
			("account", json!(self.account.to_string())),
			("free", json!(format_merit(self.free))),
			("held", json!(format_merit(self.held))),
			("total", json!(format_merit(self.total()))),
			("free_planck", json!(self.free.to_string())),
			("held_planck", json!(self.held.to_string())),
			("total_planck", json!(self.total().to_string())),
			("nonce", json!(self.nonce)),
		])
	}
}

/// The balances of `who` at the latest finalized block (zero for an unknown account).
pub async fn balances(chain: &Chain, who: &AccountId32) -> Result<Balances> {
	let at = chain.at_finalized().await?;
	let info = at.storage().fetch(runtime::storage().system().account(), (who.clone(),)).await?.decode()?;
	Ok(Balances { account: who.clone(), free: info.data.free, held: info.data.reserved, nonce: info.nonce })
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::{output::Format, units::MERIT};

	#[test]
	fn planck_fields_are_exact() {
		let b = Balances { account: AccountId32([1; 32]), free: 1_000_000 * MERIT + 1, held: MERIT / 4, nonce: 7 };
		let json: serde_json::Value = serde_json::from_str(&b.table().render(Format::Json)).unwrap();
		assert_eq!(json["free"], json!("1000000.000000000001 MERIT"));
		assert_eq!(json["held"], json!("0.25 MERIT"));
		assert_eq!(json["total_planck"], json!("1000000250000000001"));
		assert_eq!(json["nonce"], json!(7));
		assert_eq!(json["account"], json!(AccountId32([1; 32]).to_string()));
	}
}
