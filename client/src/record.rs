//! Track records (`merit record ACCOUNT`): everything an account did, read from the
//! `TrackRecordApi::track_record` runtime API of pallet-merit-rewards.
//!
//! The API is called by name and its answer decoded with the node's own metadata into a generic
//! value, so the command works with any runtime that has the API, whatever the record's exact
//! shape, and says so plainly when the runtime has none. Once the record's type has settled,
//! decoding into the generated `runtime_types::pallet_merit_rewards::...` types and printing
//! dedicated tables is the next step; nothing here is made up: every field is the node's answer.
use anyhow::{bail, Context, Result};
use scale_info::{PortableRegistry, TypeDef};
use serde_json::{json, Map, Value as Json};
use subxt::ext::{
	codec::Encode,
	scale_value::{self, Composite, Primitive, Value, ValueDef},
};

use crate::{
	chain::{AccountId32, Chain},
	output::Table,
};

/// The runtime API the track record comes from.
pub const RUNTIME_API: &str = "TrackRecordApi";
/// Its method.
pub const METHOD: &str = "track_record";

/// The track record of `account` as JSON (field names as in the runtime's type), with its
/// labelling campaigns (`CampaignsApi::volunteer_record`) under `campaigns` when the runtime has them.
pub async fn track_record(chain: &Chain, account: &AccountId32) -> Result<Json> {
	let at = chain.at_finalized().await?;
	if at.metadata().runtime_api_trait_by_name(RUNTIME_API).is_none() {
		bail!(
			"the node at {} has no {RUNTIME_API} runtime API (it comes with pallet-merit-rewards): no track record can be read there",
			chain.url
		);
	}
	let mut record = call_api(&at, RUNTIME_API, METHOD, account).await?;
	if at.metadata().runtime_api_trait_by_name(CAMPAIGNS_API).is_some() {
		let campaigns = call_api(&at, CAMPAIGNS_API, CAMPAIGNS_METHOD, account).await?;
		if let Json::Object(fields) = &mut record {
			fields.insert("campaigns".into(), campaigns);
		}
	}
	Ok(record)
}

/// The labelling campaigns' runtime API and its method.
pub const CAMPAIGNS_API: &str = "CampaignsApi";
pub const CAMPAIGNS_METHOD: &str = "volunteer_record";

/// Calls a runtime API method taking one account, decoding the answer with the node's metadata.
async fn call_api(at: &crate::chain::AtBlock, api: &str, method: &str, account: &AccountId32) -> Result<Json> {
	let metadata = at.metadata();
	let trait_ = metadata.runtime_api_trait_by_name(api).with_context(|| format!("the node has no {api}"))?;
	let Some(method_meta) = trait_.method_by_name(method) else {
		bail!("the node's {api} has no `{method}` method");
	};
	let output = method_meta.output_ty();
	let bytes = at
		.runtime_apis()
		.call_raw(&format!("{api}_{method}"), Some(&account.0.encode()))
		.await
		.with_context(|| format!("calling {api}::{method}"))?;
	let types = metadata.types();
	let value = scale_value::scale::decode_as_type(&mut &bytes[..], output, types)
		.map_err(|e| anyhow::anyhow!("cannot decode {api}::{method}: {e}"))?;
	Ok(to_json(&value, types))
}

/// The record as a table: one row per top-level field, nested values as exact compact JSON for
/// `--format json|csv`, and for `--format table` readable sections ([`for_people`]).
pub fn table(record: &Json) -> Table {
	let table = match record {
		Json::Object(fields) => Table::record(fields.iter().map(|(k, v)| (k.as_str(), v.clone())).collect()),
		other => Table::record(vec![("record", other.clone())]),
	};
	table.with_text(for_people(record))
}

/// A balance field (a JSON number, or a string beyond 2^53) in planck.
fn planck(value: &Json) -> u128 {
	match value {
		Json::Number(n) => n.as_u64().map(u128::from).unwrap_or(0),
		Json::String(s) => s.parse().unwrap_or(0),
		_ => 0,
	}
}

/// A probability field (parts of 10^18, a number or a string) as a `Prob`.
fn prob(value: &Json) -> crate::campaigns::Prob {
	planck(value).min(u64::MAX as u128) as crate::campaigns::Prob
}

/// An amount for people: `290.7 MERIT`, `-` for nothing.
fn merit(value: &Json) -> String {
	match planck(value) {
		0 => "-".into(),
		units => crate::units::format_merit(units),
	}
}

/// A final outcome for people: the score, or the variant's name (`Pending`, `Failed: …`).
fn outcome(value: &Json) -> String {
	match value {
		Json::Null => "-".into(),
		Json::String(name) => name.clone(),
		Json::Object(map) => match map.iter().next() {
			Some((name, inner)) if name == "Scored" => plain(inner),
			Some((name, Json::String(reason))) => format!("{name}: {reason}"),
			Some((name, Json::Null)) | Some((name, _)) => name.clone(),
			None => "-".into(),
		},
		other => plain(other),
	}
}

/// A placement for people: `1 of 3 (0.0521)`.
fn placement(value: &Json) -> String {
	match value {
		Json::Object(p) => format!("{} of {} ({})", plain(&p["rank"]), plain(&p["of"]), plain(&p["score"])),
		_ => "-".into(),
	}
}

/// Text of a JSON scalar without quotes; lists joined by spaces; `-` for nothing.
fn plain(value: &Json) -> String {
	match value {
		Json::Null => "-".into(),
		Json::String(s) => s.clone(),
		Json::Array(items) if items.is_empty() => "-".into(),
		Json::Array(items) => items.iter().map(plain).collect::<Vec<_>>().join(" "),
		other => other.to_string(),
	}
}

/// An account shortened for a table: first and last six characters.
fn short(value: &Json) -> String {
	let text = plain(value);
	if text.chars().count() > 16 {
		let chars: Vec<char> = text.chars().collect();
		format!("{}…{}", chars[..6].iter().collect::<String>(), chars[chars.len() - 6..].iter().collect::<String>())
	} else {
		text
	}
}

fn items(value: &Json) -> &[Json] {
	value.as_array().map(Vec::as_slice).unwrap_or(&[])
}

/// The record as people read it: who, what they earned in MERIT by kind, then one section per
/// list (challenges with ranks and earnings, submissions with outcomes and forks, forks of their
/// work, reviews, evaluations). Exact values stay in `--format json|csv`.
pub fn for_people(record: &Json) -> String {
	let Json::Object(_) = record else { return format!("{}\n", plain(record)) };
	let mut out = format!("Track record of {}\n", plain(&record["account"]));
	for (title, table) in sections(record) {
		out.push_str(&format!("\n{title}\n"));
		for line in table.render(crate::output::Format::Table).lines() {
			out.push_str(&format!("  {line}\n"));
		}
	}
	out
}

/// The sections of [`for_people`], each a title and a table (the web portal renders them too).
pub fn sections(record: &Json) -> Vec<(String, Table)> {
	let mut out = Vec::new();

	let earned = &record["earned"];
	let kinds = [
		("prizes", "prizes"),
		("fork credit", "fork_credit"),
		("improvement rewards", "improvements"),
		("review rewards", "reviews"),
		("evaluation fees", "evaluations"),
	];
	let total: u128 = kinds.iter().map(|(_, field)| planck(&earned[*field])).sum();
	let mut by_kind = Table::new(&["kind", "earned"]);
	for (name, field) in kinds {
		by_kind.push(vec![json!(name), json!(merit(&earned[field]))]);
	}
	by_kind.push(vec![json!("in all"), json!(merit(&json!(total.to_string())))]);
	out.push(("Earnings".to_string(), by_kind));

	let challenges = items(&record["challenges"]);
	let mut table = Table::new(&["id", "title", "state", "team (share)", "submissions", "public", "private", "earned"]);
	for entry in challenges {
		let earned: u128 = kinds.iter().map(|(_, field)| planck(&entry["earned"][*field])).sum();
		let team = match &entry["team"] {
			Json::Object(team) => format!("{} ({})", short(&team["account"]), plain(&team["share"])),
			_ => "alone".into(),
		};
		table.push(vec![
			entry["challenge"].clone(),
			json!(plain(&entry["title"])),
			json!(outcome(&entry["state"])),
			json!(team),
			entry["submissions"].clone(),
			json!(placement(&entry["public"])),
			json!(placement(&entry["private"])),
			json!(merit(&json!(earned.to_string()))),
		]);
	}
	out.push((format!("Challenges ({}; ranks as rank of ranked (score))", challenges.len()), table));

	let submissions = items(&record["submissions"]);
	let mut table =
		Table::new(&["id", "challenge", "version", "forks of", "public", "private", "forked by", "block", "digest"]);
	for entry in submissions {
		table.push(vec![
			entry["submission"].clone(),
			entry["challenge"].clone(),
			entry["version"].clone(),
			json!(plain(&entry["parents"])),
			json!(outcome(&entry["public"])),
			json!(outcome(&entry["private"])),
			json!(plain(&entry["forked_by"])),
			entry["submitted_at"].clone(),
			json!(short(&entry["digest"])),
		]);
	}
	out.push((format!("Submissions ({})", submissions.len()), table));

	let forks = &record["forks"];
	let mut table = Table::new(&["account", "forks"]);
	for pair in items(&record["forked_by"]) {
		table.push(vec![pair[0].clone(), pair[1].clone()]);
	}
	out.push((
		format!(
			"Forks of their work ({} times, by {} accounts)",
			plain(&forks["times_forked"]),
			plain(&forks["forkers"])
		),
		table,
	));

	for (title, field, who, whose) in [
		("Reviews given", "reviews_given", "author", "author"),
		("Reviews received", "reviews_received", "reviewer", "reviewer"),
	] {
		let reviews = items(&record[field]);
		let mut table = Table::new(&["submission", "challenge", whose, "rating", "paid", "report"]);
		for review in reviews {
			table.push(vec![
				review["submission"].clone(),
				review["challenge"].clone(),
				json!(short(&review[who])),
				json!(format!("{}/5", plain(&review["rating"]))),
				json!(merit(&review["paid"])),
				json!(short(&review["report"])),
			]);
		}
		out.push((format!("{title} ({})", reviews.len()), table));
	}

	let campaigns = items(&record["campaigns"]);
	let mut table =
		Table::new(&["campaign", "title", "classified", "gold", "level", "skill per class", "agreed", "paid"]);
	for c in campaigns {
		let skill: Vec<String> = items(&c["skill"])
			.iter()
			.enumerate()
			.map(|(class, pair)| format!("{class}:{}", crate::campaigns::format_prob(prob(&pair[0]))))
			.collect();
		table.push(vec![
			c["campaign"].clone(),
			json!(plain(&c["title"])),
			c["classified"].clone(),
			c["gold_seen"].clone(),
			c["level"].clone(),
			json!(skill.join(" ")),
			c["agreements"].clone(),
			json!(merit(&c["paid"])),
		]);
	}
	out.push((format!("Labelling campaigns ({})", campaigns.len()), table));

	let evaluations = &record["evaluations"];
	let mut table = Table::new(&["reports", "agreed", "disagreed (slashed)", "abstained", "missed"]);
	table.push(
		["reports", "agreed", "disagreed", "abstained", "missed"].iter().map(|f| evaluations[*f].clone()).collect(),
	);
	out.push(("Evaluations".to_string(), table));
	out
}

/// A decoded SCALE value as JSON, guided by its type: structs are objects, sequences arrays,
/// newtypes their content, `Option`s null or their content, unit enum variants their name and
/// other variants `{name: fields}`; accounts are SS58 addresses, `H256` digests 0x-hex, `Score`s
/// decimals, `Perbill`s percentages, byte strings text when printable; integers beyond 2^53 are
/// strings so no JSON reader rounds them (balances stay in the smallest unit, 10^-12 MERIT).
pub fn to_json(value: &Value<u32>, types: &PortableRegistry) -> Json {
	let Some(ty) = types.resolve(value.context) else { return untyped(value, types) };
	let name = ty.path.segments.last().map(String::as_str).unwrap_or("");
	match name {
		"AccountId32" => {
			if let Some(bytes) = bytes_of(value).filter(|b| b.len() == 32) {
				let mut raw = [0u8; 32];
				raw.copy_from_slice(&bytes);
				return json!(AccountId32(raw).to_string());
			}
		}
		"H256" => {
			if let Some(bytes) = bytes_of(value) {
				return json!(format!("0x{}", hex::encode(bytes)));
			}
		}
		"Score" => {
			if let Some(n) = first_u128(value) {
				return json!(merit_metrics::Score::from_parts(n).to_string());
			}
		}
		"Perbill" => {
			if let Some(n) = first_u128(value) {
				return json!(crate::units::format_share(n as u32));
			}
		}
		"Option" => {
			if let ValueDef::Variant(variant) = &value.value {
				return match variant.values.values().next() {
					Some(inner) if variant.name == "Some" => to_json(inner, types),
					_ => Json::Null,
				};
			}
		}
		_ => {}
	}
	match (&ty.type_def, &value.value) {
		(TypeDef::Sequence(_) | TypeDef::Array(_), ValueDef::Composite(composite)) => {
			let values: Vec<&Value<u32>> = composite.values().collect();
			let element = match &ty.type_def {
				TypeDef::Sequence(sequence) => sequence.type_param.id,
				TypeDef::Array(array) => array.type_param.id,
				_ => unreachable!("matched above"),
			};
			let of_bytes = matches!(
				types.resolve(element).map(|t| &t.type_def),
				Some(TypeDef::Primitive(scale_info::TypeDefPrimitive::U8))
			);
			if let Some(bytes) = bytes_of(value).filter(|b| of_bytes && !b.is_empty()) {
				return match String::from_utf8(bytes.clone()) {
					Ok(text) if !text.chars().any(char::is_control) => json!(text),
					_ => json!(format!("0x{}", hex::encode(bytes))),
				};
			}
			Json::Array(values.into_iter().map(|v| to_json(v, types)).collect())
		}
		(TypeDef::Composite(def), ValueDef::Composite(composite))
			if def.fields.len() == 1 && def.fields[0].name.is_none() =>
		{
			composite.values().next().map(|v| to_json(v, types)).unwrap_or(Json::Null)
		}
		_ => untyped(value, types),
	}
}

/// The shape of a value without special types.
fn untyped(value: &Value<u32>, types: &PortableRegistry) -> Json {
	match &value.value {
		ValueDef::Composite(composite) => composite_json(composite, types),
		ValueDef::Variant(variant) if variant.values.is_empty() => json!(variant.name),
		ValueDef::Variant(variant) => {
			let mut map = Map::new();
			let fields = match &variant.values {
				Composite::Unnamed(values) if values.len() == 1 => to_json(&values[0], types),
				other => composite_json(other, types),
			};
			map.insert(variant.name.clone(), fields);
			Json::Object(map)
		}
		ValueDef::BitSequence(bits) => json!(bits.iter().map(|b| if b { '1' } else { '0' }).collect::<String>()),
		ValueDef::Primitive(primitive) => match primitive {
			Primitive::Bool(b) => json!(b),
			Primitive::Char(c) => json!(c.to_string()),
			Primitive::String(s) => json!(s),
			Primitive::U128(n) if *n <= (1u128 << 53) => json!(*n as u64),
			Primitive::U128(n) => json!(n.to_string()),
			Primitive::I128(n) if n.unsigned_abs() <= (1u128 << 53) => json!(*n as i64),
			Primitive::I128(n) => json!(n.to_string()),
			Primitive::U256(bytes) | Primitive::I256(bytes) => json!(format!("0x{}", hex::encode(bytes))),
		},
	}
}

fn composite_json(composite: &Composite<u32>, types: &PortableRegistry) -> Json {
	match composite {
		Composite::Named(fields) => {
			Json::Object(fields.iter().map(|(name, value)| (name.clone(), to_json(value, types))).collect())
		}
		Composite::Unnamed(values) => Json::Array(values.iter().map(|v| to_json(v, types)).collect()),
	}
}

/// The bytes of a value that is (a newtype around) a sequence of u8.
fn bytes_of<T>(value: &Value<T>) -> Option<Vec<u8>> {
	match &value.value {
		ValueDef::Composite(composite) => {
			let values: Vec<&Value<T>> = composite.values().collect();
			if values.len() == 1 {
				if let ValueDef::Composite(_) = values[0].value {
					return bytes_of(values[0]);
				}
			}
			values
				.iter()
				.map(|v| match &v.value {
					ValueDef::Primitive(Primitive::U128(n)) if *n <= 255 => Some(*n as u8),
					_ => None,
				})
				.collect()
		}
		_ => None,
	}
}

/// The number inside a (newtype around a) number.
fn first_u128<T>(value: &Value<T>) -> Option<u128> {
	match &value.value {
		ValueDef::Primitive(Primitive::U128(n)) => Some(*n),
		ValueDef::Composite(composite) => composite.values().next().and_then(first_u128),
		_ => None,
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use subxt::ext::codec;

	#[derive(codec::Encode, scale_info::TypeInfo)]
	#[codec(crate = codec)]
	struct AccountId32([u8; 32]);
	#[derive(codec::Encode, scale_info::TypeInfo)]
	#[codec(crate = codec)]
	struct H256([u8; 32]);
	#[derive(codec::Encode, scale_info::TypeInfo)]
	#[codec(crate = codec)]
	struct Score(u128);
	#[derive(codec::Encode, scale_info::TypeInfo)]
	#[codec(crate = codec)]
	enum Outcome {
		#[allow(dead_code)]
		Pending,
		Scored(Score),
	}
	#[derive(codec::Encode, scale_info::TypeInfo)]
	#[codec(crate = codec)]
	struct Entry {
		title: Vec<u8>,
		digest: Option<H256>,
		review: Option<u32>,
		forked_by: Vec<u32>,
		outcome: Outcome,
		earned: u128,
	}
	#[derive(codec::Encode, scale_info::TypeInfo)]
	#[codec(crate = codec)]
	struct EvaluationStats {
		reports: u32,
		agreed: u32,
		disagreed: u32,
		abstained: u32,
		missed: u32,
	}
	#[derive(codec::Encode, scale_info::TypeInfo)]
	#[codec(crate = codec)]
	struct Record {
		account: AccountId32,
		entries: Vec<Entry>,
		forkers: Vec<(AccountId32, u32)>,
		evaluations: EvaluationStats,
	}

	#[test]
	fn typed_values_become_readable_json() {
		let record = Record {
			account: AccountId32([7; 32]),
			entries: vec![Entry {
				title: b"Iris".to_vec(),
				digest: Some(H256([1; 32])),
				review: None,
				forked_by: vec![3],
				outcome: Outcome::Scored(Score(1_500_000_000_000_000_000)),
				earned: 5_000_000_000_000_000_000,
			}],
			forkers: vec![(AccountId32([7; 32]), 2)],
			evaluations: EvaluationStats { reports: 9, agreed: 8, disagreed: 1, abstained: 2, missed: 1 },
		};
		let mut registry = scale_info::Registry::new();
		let id = registry.register_type(&scale_info::meta_type::<Record>()).id;
		let types: PortableRegistry = registry.into();
		let bytes = codec::Encode::encode(&record);
		let value = scale_value::scale::decode_as_type(&mut &bytes[..], id, &types).unwrap();
		let account = crate::chain::AccountId32([7; 32]).to_string();
		let json = to_json(&value, &types);
		assert_eq!(
			json,
			json!({
				"account": account,
				"entries": [{
					"title": "Iris",
					"digest": format!("0x{}", "01".repeat(32)),
					"review": null,
					"forked_by": [3],
					"outcome": {"Scored": "1.500000000000000000"},
					"earned": "5000000000000000000",
				}],
				"forkers": [[account, 2]],
				"evaluations": {"reports": 9, "agreed": 8, "disagreed": 1, "abstained": 2, "missed": 1},
			})
		);
		// JSON and CSV keep the exact fields; CSV cells hold nested values as compact JSON.
		let csv = table(&json).render(crate::output::Format::Csv);
		assert!(csv.starts_with("account,entries,evaluations,forkers\n"), "{csv}");
		assert!(csv.contains(r#"{""abstained"":2,""agreed"":8,""disagreed"":1,""missed"":1,""reports"":9}"#), "{csv}");
	}

	#[test]
	fn a_record_reads_as_sections_with_merit_amounts() {
		let alice = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
		let bob = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";
		let record = json!({
			"account": alice,
			"challenges": [{
				"challenge": 0, "title": "WDBC diagnosis", "state": "Finalized", "submissions": 2, "team": null,
				"public": {"rank": 1, "of": 3, "submission": 1, "score": "0.052100000000000000"},
				"private": {"rank": 2, "of": 3, "submission": 1, "score": "0.061000000000000000"},
				"earned": {"prizes": 290700000000000u64, "fork_credit": 0, "improvements": 5000000000000u64, "reviews": 0, "evaluations": 0},
			}],
			"submissions": [{
				"submission": 1, "challenge": 0, "digest": null, "parents": [], "previous_version": null, "version": 0,
				"fork_depth": 0, "submitted_at": 12, "public": {"Scored": "0.052100000000000000"}, "private": "Pending",
				"forked_by": [3],
			}],
			"earned": {"prizes": 290700000000000u64, "fork_credit": "12000000000000000000", "improvements": 5000000000000u64, "reviews": 0, "evaluations": 0},
			"forks": {"times_forked": 1, "forkers": 1},
			"forked_by": [[bob, 1]],
			"reviews_given": [],
			"reviews_received": [{"submission": 1, "challenge": 0, "reviewer": bob, "author": alice, "rating": 4, "report": format!("0x{}", "ab".repeat(32)), "paid": 1000000000000u64}],
			"evaluations": {"reports": 9, "agreed": 8, "disagreed": 1, "abstained": 0, "missed": 0},
			"campaigns": [{
				"campaign": 0, "title": "Digits", "answers": 2, "classified": 40, "gold_seen": 30, "revealed": 40,
				"skill": [["750000000000000000", 2], ["500000000000000000", 2]], "level": 1,
				"weight": "250000000000000000", "agreements": 12, "paid": 2500000000000u64,
			}],
		});
		let text = table(&record).render(crate::output::Format::Table);
		assert!(text.starts_with(&format!("Track record of {alice}\n")), "{text}");
		assert!(text.contains("  prizes               290.7 MERIT\n"), "{text}");
		assert!(
			text.contains("  fork credit          12000000 MERIT\n"),
			"a balance beyond 2^53 arrives as a string: {text}"
		);
		assert!(text.contains("  in all               12000295.7 MERIT\n"), "{text}");
		assert!(text.contains("WDBC diagnosis  Finalized  alone"), "{text}");
		assert!(text.contains("1 of 3 (0.052100000000000000)  2 of 3 (0.061000000000000000)  295.7 MERIT"), "{text}");
		assert!(text.contains("0.052100000000000000  Pending  3"), "{text}");
		assert!(text.contains(&format!("  {bob}  1\n")), "{text}");
		assert!(text.contains("Reviews given (0)\n  submission  challenge  author  rating  paid  report\n"), "{text}");
		assert!(text.contains("1           0          5FHneW…M694ty  4/5     1 MERIT  0xabab…ababab"), "{text}");
		assert!(text.contains("  9        8       1                    0          0\n"), "{text}");
		assert!(text.contains("Labelling campaigns (1)\n"), "{text}");
		assert!(
			text.contains("0         Digits  40          30    1      0:0.75 1:0.5     12      2.5 MERIT"),
			"{text}"
		);
		assert!(!text.contains("000000000000u"), "no planck in the people's view");
		// JSON keeps the exact planck values.
		let exact: Json = serde_json::from_str(&table(&record).render(crate::output::Format::Json)).unwrap();
		assert_eq!(exact["earned"]["prizes"], json!(290700000000000u64));
	}
}
