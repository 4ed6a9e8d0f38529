//! `merit_*` JSON-RPC methods: track records, leaderboards and pool accounts read straight from
//! the runtime APIs, as JSON a browser or a script reads without a SCALE decoder.
//!
//! - `merit_trackRecord(account, at?, page?)`: everything about one contributor, one page of each
//!   long list (submissions, reviews given and received) with each list's full length;
//! - `merit_leaderboard(challenge, "public" | "private", at?, page?)`: one page of a board and its
//!   length;
//! - `merit_finalSelections(challenge, at?)`: the submissions that count on the private board;
//! - `merit_pool(challenge, at?)`: where the pool went, and the reward terms.
//!
//! Accounts are SS58 strings or 0x-prefixed hex; balances are strings of the smallest unit
//! (12 decimals), scores decimal strings of the fixed-point value.
//!
//! `page` is `{"offset": n, "limit": m}` (both optional): `limit` items from the `offset`-th,
//! 0-based; the limit defaults to [`DEFAULT_PAGE_LIMIT`] and may not exceed [`MAX_PAGE_LIMIT`], so
//! no answer grows with the chain.
//!
//! Each call runs a runtime API (up to a whole leaderboard's ranking) on the RPC server's pool of
//! blocking threads, never on the async threads that serve every other connection; all four are
//! read-only, their work bounded by the runtime's limits (a leaderboard by
//! `MaxSubmissionsPerChallenge`) and their answers by the page, so they are safe to expose with
//! `--rpc-methods safe`.
use std::sync::Arc;

use jsonrpsee::{
	types::{ErrorObject, ErrorObjectOwned, Params},
	RpcModule,
};
use merit_metrics::{Score, Subset};
use merit_primitives::Page;
use merit_runtime::{opaque::Block, AccountId, Balance, BlockNumber};
use pallet_merit_rewards::{Earned, ReviewEntry, TrackRecordApi};
use pallet_merit_scoring::{runtime_api::ScoringApi, Outcome};
use polkadot_sdk::{
	sp_api::{ApiExt, ProvideRuntimeApi},
	sp_blockchain::HeaderBackend,
	sp_core::{crypto::Ss58Codec, H256},
};
use serde_json::{json, Value};

/// The items a page holds when the caller does not say.
pub const DEFAULT_PAGE_LIMIT: u32 = 100;
/// The most items a page may hold.
pub const MAX_PAGE_LIMIT: u32 = 1_000;

/// Invalid parameters (JSON-RPC code -32602).
const INVALID_PARAMS: i32 = -32602;
/// A runtime API call failed.
const RUNTIME_ERROR: i32 = 4000;

fn invalid(message: impl Into<String>) -> ErrorObjectOwned {
	ErrorObject::owned(INVALID_PARAMS, message.into(), None::<()>)
}

fn runtime_error(e: impl std::fmt::Debug) -> ErrorObjectOwned {
	ErrorObject::owned(RUNTIME_ERROR, format!("runtime API call failed: {e:?}"), None::<()>)
}

/// Parses an SS58 address or 0x-hex public key.
pub fn parse_account(text: &str) -> Result<AccountId, String> {
	if let Some(hex) = text.strip_prefix("0x") {
		let bytes = (0..hex.len())
			.step_by(2)
			.map(|i| hex.get(i..i + 2).and_then(|b| u8::from_str_radix(b, 16).ok()))
			.collect::<Option<Vec<u8>>>()
			.filter(|b| b.len() == 32)
			.ok_or_else(|| format!("`{text}` is not 32 bytes of hex"))?;
		let mut raw = [0u8; 32];
		raw.copy_from_slice(&bytes);
		return Ok(AccountId::from(raw));
	}
	AccountId::from_ss58check(text).map_err(|e| format!("`{text}` is not an SS58 address: {e:?}"))
}

fn score(s: Score) -> Value {
	json!(s.to_string())
}

fn outcome(o: &Option<Outcome>) -> Value {
	match o {
		None => Value::Null,
		Some(Outcome::Scored(s)) => json!({ "score": score(*s) }),
		Some(Outcome::Failed(reason)) => json!({ "failed": format!("{reason:?}") }),
	}
}

fn earned(e: &Earned<Balance>) -> Value {
	json!({
		"prizes": e.prizes.to_string(),
		"fork_credit": e.fork_credit.to_string(),
		"improvements": e.improvements.to_string(),
		"reviews": e.reviews.to_string(),
		"evaluations": e.evaluations.to_string(),
		"total": e.total().to_string(),
	})
}

fn review(r: &ReviewEntry<AccountId, Balance>) -> Value {
	json!({
		"submission": r.submission,
		"challenge": r.challenge,
		"reviewer": r.reviewer.to_ss58check(),
		"author": r.author.to_ss58check(),
		"rating": r.rating,
		"report": format!("{:?}", r.report),
		"paid": r.paid.to_string(),
	})
}

/// The track record as JSON.
pub fn track_record_json(record: &pallet_merit_rewards::TrackRecord<AccountId, Balance, BlockNumber>) -> Value {
	let placement = |p: &Option<pallet_merit_rewards::Placement>| match p {
		None => Value::Null,
		Some(p) => json!({ "rank": p.rank, "of": p.of, "submission": p.submission, "score": score(p.score) }),
	};
	json!({
		"account": record.account.to_ss58check(),
		"challenges": record.challenges.iter().map(|c| json!({
			"challenge": c.challenge,
			"title": String::from_utf8_lossy(&c.title),
			"state": format!("{:?}", c.state),
			"submissions": c.submissions,
			"public": placement(&c.public),
			"private": placement(&c.private),
			"earned": earned(&c.earned),
		})).collect::<Vec<_>>(),
		"submissions": record.submissions.iter().map(|s| json!({
			"submission": s.submission,
			"challenge": s.challenge,
			"digest": s.digest.map(|d| format!("{d:?}")),
			"parents": s.parents,
			"previous_version": s.previous_version,
			"version": s.version,
			"fork_depth": s.fork_depth,
			"submitted_at": s.submitted_at,
			"public": outcome(&s.public),
			"private": outcome(&s.private),
			"forked_by": s.forked_by,
		})).collect::<Vec<_>>(),
		"earned": earned(&record.earned),
		"forks": { "times_forked": record.forks.times_forked, "forkers": record.forks.forkers },
		"forked_by": record.forked_by.iter().map(|(who, n)| json!({ "account": who.to_ss58check(), "forks": n })).collect::<Vec<_>>(),
		"reviews_given": record.reviews_given.iter().map(review).collect::<Vec<_>>(),
		"reviews_received": record.reviews_received.iter().map(review).collect::<Vec<_>>(),
		"evaluations": {
			"reports": record.evaluations.reports,
			"agreed": record.evaluations.agreed,
			"disagreed": record.evaluations.disagreed,
		},
	})
}

/// Reads the optional block hash parameter at `index` (default: the best block).
fn at_block<C: HeaderBackend<Block>>(client: &C, params: &[Value], index: usize) -> Result<H256, ErrorObjectOwned> {
	match params.get(index) {
		None | Some(Value::Null) => Ok(client.info().best_hash),
		Some(Value::String(hash)) => hash.parse::<H256>().map_err(|_| invalid(format!("`{hash}` is not a block hash"))),
		Some(other) => Err(invalid(format!("`{other}` is not a block hash"))),
	}
}

/// Reads the optional page parameter at `index`: `{"offset": n, "limit": m}`, both optional.
fn page_param(params: &[Value], index: usize) -> Result<Page, ErrorObjectOwned> {
	let field = |page: &serde_json::Map<String, Value>, name: &str, default: u32| match page.get(name) {
		None | Some(Value::Null) => Ok(default),
		Some(value) => value
			.as_u64()
			.and_then(|n| u32::try_from(n).ok())
			.ok_or_else(|| invalid(format!("the page's `{name}` must be a whole number, not {value}"))),
	};
	let page = match params.get(index) {
		None | Some(Value::Null) => return Ok(Page { offset: 0, limit: DEFAULT_PAGE_LIMIT }),
		Some(Value::Object(page)) => page,
		Some(other) => {
			return Err(invalid(format!(
				"the page must be an object like {{\"offset\": 0, \"limit\": 100}}, not {other}"
			)))
		}
	};
	if let Some(unknown) = page.keys().find(|key| !matches!(key.as_str(), "offset" | "limit")) {
		return Err(invalid(format!("the page has no field `{unknown}`: use `offset` and `limit`")));
	}
	let limit = field(page, "limit", DEFAULT_PAGE_LIMIT)?;
	if !(1..=MAX_PAGE_LIMIT).contains(&limit) {
		return Err(invalid(format!("the page's `limit` must be 1 to {MAX_PAGE_LIMIT}, not {limit}")));
	}
	Ok(Page { offset: field(page, "offset", 0)?, limit })
}

fn page_json(page: Page) -> Value {
	json!({ "offset": page.offset, "limit": page.limit })
}

/// Refuses a block whose runtime predates paged reads (an API below version 2).
fn require_paging(version: Option<u32>, api: &str, at: H256) -> Result<(), ErrorObjectOwned> {
	if version.unwrap_or(0) >= 2 {
		Ok(())
	} else {
		Err(ErrorObject::owned(
			RUNTIME_ERROR,
			format!("the runtime at block {at:?} predates paged reads ({api} version 2)"),
			None::<()>,
		))
	}
}

fn positional(params: Params) -> Result<Vec<Value>, ErrorObjectOwned> {
	if params.as_str().is_none() {
		return Ok(Vec::new());
	}
	params.parse::<Vec<Value>>().map_err(|e| invalid(format!("expected positional parameters: {e}")))
}

fn challenge_param(params: &[Value]) -> Result<u32, ErrorObjectOwned> {
	params
		.first()
		.and_then(Value::as_u64)
		.and_then(|n| u32::try_from(n).ok())
		.ok_or_else(|| invalid("the first parameter must be a challenge id (a number)"))
}

/// The `merit_*` methods.
pub fn merit_module<C>(client: Arc<C>) -> Result<RpcModule<Arc<C>>, Box<dyn std::error::Error + Send + Sync>>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: TrackRecordApi<Block, AccountId, Balance, BlockNumber> + ScoringApi<Block, AccountId>,
{
	let mut module = RpcModule::new(client);
	module.register_blocking_method(
		"merit_trackRecord",
		|params, client: Arc<Arc<C>>, _| -> Result<Value, ErrorObjectOwned> {
			let params = positional(params)?;
			let account = params
				.first()
				.and_then(Value::as_str)
				.ok_or_else(|| invalid("the first parameter must be an account (SS58 or 0x hex)"))
				.and_then(|text| parse_account(text).map_err(invalid))?;
			let at = at_block(&**client, &params, 1)?;
			let page = page_param(&params, 2)?;
			let api = client.runtime_api();
			let version = api
				.api_version::<dyn TrackRecordApi<Block, AccountId, Balance, BlockNumber>>(at)
				.map_err(runtime_error)?;
			require_paging(version, "TrackRecordApi", at)?;
			let paged = api.track_record_page(at, account, page).map_err(runtime_error)?;
			let mut answer = track_record_json(&paged.record);
			answer["page"] = page_json(page);
			answer["totals"] = json!({
				"submissions": paged.totals.submissions,
				"reviews_given": paged.totals.reviews_given,
				"reviews_received": paged.totals.reviews_received,
			});
			Ok(answer)
		},
	)?;
	module.register_blocking_method(
		"merit_leaderboard",
		|params, client: Arc<Arc<C>>, _| -> Result<Value, ErrorObjectOwned> {
			let params = positional(params)?;
			let challenge = challenge_param(&params)?;
			let subset = match params.get(1).and_then(Value::as_str) {
				Some("public") => Subset::Public,
				Some("private") => Subset::Private,
				_ => return Err(invalid("the second parameter must be \"public\" or \"private\"")),
			};
			let at = at_block(&**client, &params, 2)?;
			let page = page_param(&params, 3)?;
			let api = client.runtime_api();
			let version = api.api_version::<dyn ScoringApi<Block, AccountId>>(at).map_err(runtime_error)?;
			require_paging(version, "ScoringApi", at)?;
			let board = api.leaderboard_page(at, challenge, subset, page).map_err(runtime_error)?;
			Ok(json!({
				"challenge": challenge,
				"subset": subset.name(),
				"total": board.total,
				"page": page_json(page),
				"entries": board
					.entries
					.iter()
					.map(|e| json!({
						"rank": e.rank,
						"submission": e.submission,
						"author": e.author.to_ss58check(),
						"score": score(e.score),
					}))
					.collect::<Vec<_>>(),
			}))
		},
	)?;
	module.register_blocking_method(
		"merit_finalSelections",
		|params, client: Arc<Arc<C>>, _| -> Result<Value, ErrorObjectOwned> {
			let params = positional(params)?;
			let challenge = challenge_param(&params)?;
			let at = at_block(&**client, &params, 1)?;
			let selections = client.runtime_api().final_selections(at, challenge).map_err(runtime_error)?;
			Ok(json!(selections
				.iter()
				.map(|s| json!({
					"author": s.author.to_ss58check(),
					"submissions": s.submissions,
					"marked": s.marked,
				}))
				.collect::<Vec<_>>()))
		},
	)?;
	module.register_blocking_method(
		"merit_pool",
		|params, client: Arc<Arc<C>>, _| -> Result<Value, ErrorObjectOwned> {
			let params = positional(params)?;
			let challenge = challenge_param(&params)?;
			let at = at_block(&**client, &params, 1)?;
			let (ledger, terms) = client
				.runtime_api()
				.pool(at, challenge)
				.map_err(runtime_error)?
				.ok_or_else(|| invalid(format!("unknown challenge {challenge}")))?;
			Ok(json!({
				"challenge": challenge,
				"paid": earned(&ledger.paid),
				"returned": ledger.returned.to_string(),
				"refunded": ledger.refunded.to_string(),
				"total": ledger.total().to_string(),
				"terms": {
					"fork_share_ppb": terms.fork_share.deconstruct(),
					"fork_decay_ppb": terms.fork_decay.deconstruct(),
					"fork_depth": terms.fork_depth,
					"micro_share_ppb": terms.micro_share.deconstruct(),
					"improvement_reward": terms.improvement_reward.to_string(),
					"review_reward": terms.review_reward.to_string(),
					"max_reviews_per_reviewer": terms.max_reviews_per_reviewer,
					"evaluator_fee": terms.evaluator_fee.to_string(),
					"improvement_step": terms.improvement_step.to_string(),
					"public_board": if terms.ladder { "ladder" } else { "full" },
				},
			}))
		},
	)?;
	Ok(module)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn accounts_parse_from_ss58_and_hex_and_bad_ones_are_named() {
		let alice = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
		let parsed = parse_account(alice).unwrap();
		assert_eq!(parsed.to_ss58check(), alice);
		let hex = format!("0x{}", "d4".repeat(32));
		assert_eq!(parse_account(&hex).unwrap(), AccountId::from([0xd4; 32]));
		assert!(parse_account("0x1234").unwrap_err().contains("not 32 bytes"));
		assert!(parse_account("bob").unwrap_err().contains("not an SS58 address"));
	}

	#[test]
	fn pages_default_are_bounded_and_bad_ones_are_named() {
		let page = |value: Value| page_param(&[Value::Null, value], 1).map_err(|e| e.message().to_string());
		assert_eq!(page(Value::Null).unwrap(), Page { offset: 0, limit: DEFAULT_PAGE_LIMIT });
		assert_eq!(page(json!({})).unwrap(), Page { offset: 0, limit: DEFAULT_PAGE_LIMIT });
		assert_eq!(page(json!({"offset": 200, "limit": 50})).unwrap(), Page { offset: 200, limit: 50 });
		assert_eq!(page(json!({"limit": MAX_PAGE_LIMIT})).unwrap().limit, MAX_PAGE_LIMIT);
		assert!(page(json!({"limit": MAX_PAGE_LIMIT + 1})).unwrap_err().contains("must be 1 to 1000"));
		assert!(page(json!({"limit": 0})).unwrap_err().contains("must be 1 to 1000"));
		assert!(page(json!({"offset": -1})).unwrap_err().contains("`offset` must be a whole number"));
		assert!(page(json!({"offset": 1u64 << 33})).unwrap_err().contains("`offset` must be a whole number"));
		assert!(page(json!({"size": 5})).unwrap_err().contains("no field `size`"));
		assert!(page(json!(7)).unwrap_err().contains("must be an object"));
		assert!(page_param(&[], 3).is_ok(), "an absent page is the default one");
	}

	#[test]
	fn a_runtime_without_paged_reads_is_named() {
		let at = H256::repeat_byte(1);
		assert!(require_paging(Some(2), "ScoringApi", at).is_ok());
		let error = require_paging(Some(1), "ScoringApi", at).unwrap_err();
		assert!(error.message().contains("predates paged reads (ScoringApi version 2)"), "{}", error.message());
		assert!(require_paging(None, "TrackRecordApi", at).is_err());
	}
}
