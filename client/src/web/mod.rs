//! `merit web`: the portal. A small HTTP server (hyper, as the artifact store) that reads the chain
//! through the same library as the CLI and serves server-rendered pages that work without
//! JavaScript; `portal.js` refreshes what changes (the block height, leaderboards) and runs the
//! browser's classify page, whose keys are made and kept by the browser (WebCrypto Ed25519, never
//! sent to the server): the page signs each feeless action and the server only relays it.
//!
//! Routes: `/` (challenges, campaigns, the chain's head, validators and evaluators),
//! `/challenge/{id}` (and `/challenge/{id}/boards`, the live fragment), `/submission/{id}`,
//! `/account/{account}` (and `.csv`, `.json`: exactly `merit record --format csv|json`),
//! `/campaign/{id}`, `/campaign/{id}/classify`, `/campaign/{id}/subject/{n}.svg`, and the JSON
//! the scripts use: `/api/head`, `/api/campaign/{id}/volunteer/{account}?subjects=..`,
//! `POST /api/campaign/{id}/act`.
use anyhow::{Context, Result};
use http_body_util::{BodyExt, Full, Limited};
use hyper::{
	body::{Bytes, Incoming},
	header, Method, Request, Response, StatusCode,
};
use hyper_util::rt::TokioIo;
use serde::Deserialize;
use serde_json::json;
use std::{convert::Infallible, net::SocketAddr, sync::Arc, time::Duration};
use tokio::net::TcpListener;

use crate::{chain::Chain, store::Body};

mod pages;

/// What a request failed with, as the page (or JSON) a person gets.
#[derive(Debug)]
pub enum Failure {
	/// Nothing at this address (an unknown challenge, say).
	NotFound(String),
	/// The address or body is malformed (a bad account, say).
	BadRequest(String),
	/// The node failed or refused.
	Chain(anyhow::Error),
}

impl From<anyhow::Error> for Failure {
	fn from(e: anyhow::Error) -> Failure {
		Failure::Chain(e)
	}
}

impl Failure {
	fn status(&self) -> StatusCode {
		match self {
			Failure::NotFound(_) => StatusCode::NOT_FOUND,
			Failure::BadRequest(_) => StatusCode::BAD_REQUEST,
			Failure::Chain(_) => StatusCode::BAD_GATEWAY,
		}
	}

	fn message(&self) -> String {
		match self {
			Failure::NotFound(m) | Failure::BadRequest(m) => m.clone(),
			Failure::Chain(e) => format!("{e:#}"),
		}
	}
}

/// The portal's state: the connection and how to name the node in "verify" commands.
pub struct Portal {
	pub chain: Chain,
}

/// Serves the portal on `listener` until the task is dropped.
pub async fn serve(listener: TcpListener, portal: Portal) -> Result<()> {
	let portal = Arc::new(portal);
	loop {
		let (stream, _) = listener.accept().await.context("the portal's listener failed")?;
		let portal = portal.clone();
		tokio::spawn(async move {
			let service = hyper::service::service_fn(move |request| handle(portal.clone(), request));
			let connection = hyper::server::conn::http1::Builder::new()
				.timer(hyper_util::rt::TokioTimer::new())
				.header_read_timeout(Duration::from_secs(10))
				.serve_connection(TokioIo::new(stream), service);
			let _ = tokio::time::timeout(Duration::from_secs(300), connection).await;
		});
	}
}

/// Binds `listen` and serves the portal in the background; returns the bound address.
pub async fn spawn(listen: &str, portal: Portal) -> Result<(SocketAddr, tokio::task::JoinHandle<Result<()>>)> {
	let listener = TcpListener::bind(listen).await.with_context(|| format!("cannot listen on {listen}"))?;
	let address = listener.local_addr()?;
	Ok((address, tokio::spawn(serve(listener, portal))))
}

/// One request: routes it, and turns a failure into a page (or JSON under `/api/`).
async fn handle(portal: Arc<Portal>, request: Request<Incoming>) -> Result<Response<Body>, Infallible> {
	let path = request.uri().path().to_string();
	let api = path.starts_with("/api/");
	let response = match route(&portal, request).await {
		Ok(response) => response,
		Err(failure) if api => json_response(failure.status(), &json!({ "error": failure.message() })),
		Err(failure) => html(failure.status(), pages::failure(&failure)),
	};
	Ok(response)
}

async fn route(portal: &Portal, request: Request<Incoming>) -> Result<Response<Body>, Failure> {
	let path = request.uri().path().to_string();
	let query = request.uri().query().unwrap_or("").to_string();
	let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
	let chain = &portal.chain;
	let get = request.method() == Method::GET;
	match segments.as_slice() {
		[] if get => Ok(html(StatusCode::OK, pages::home(chain).await?)),
		["challenge", id] if get => Ok(html(StatusCode::OK, pages::challenge(chain, number(id, "challenge")?).await?)),
		["challenge", id, "boards"] if get => {
			Ok(html(StatusCode::OK, pages::boards(chain, number(id, "challenge")?).await?))
		}
		["submission", id] if get => {
			Ok(html(StatusCode::OK, pages::submission(chain, number(id, "submission")?).await?))
		}
		["account", who] if get => {
			if let Some(who) = who.strip_suffix(".csv") {
				let table = pages::record_table(chain, who).await?;
				Ok(download(table.render(crate::output::Format::Csv), "text/csv", who, "csv"))
			} else if let Some(who) = who.strip_suffix(".json") {
				let table = pages::record_table(chain, who).await?;
				Ok(download(table.render(crate::output::Format::Json), "application/json", who, "json"))
			} else {
				Ok(html(StatusCode::OK, pages::account(chain, who).await?))
			}
		}
		["campaign", id] if get => Ok(html(StatusCode::OK, pages::campaign(chain, number(id, "campaign")?).await?)),
		["campaign", id, "classify"] if get => {
			Ok(html(StatusCode::OK, pages::classify(chain, number(id, "campaign")?).await?))
		}
		["campaign", id, "subject", file] if get => {
			let subject =
				file.strip_suffix(".svg").ok_or_else(|| Failure::NotFound("subjects are served as .svg".into()))?;
			let svg = pages::subject_svg(chain, number(id, "campaign")?, number(subject, "subject")?).await?;
			Ok(bytes_response(StatusCode::OK, "image/svg+xml", svg.into_bytes()))
		}
		["static", "portal.js"] if get => {
			Ok(bytes_response(StatusCode::OK, "text/javascript; charset=utf-8", PORTAL_JS.as_bytes().to_vec()))
		}
		["static", "portal.css"] if get => {
			Ok(bytes_response(StatusCode::OK, "text/css; charset=utf-8", PORTAL_CSS.as_bytes().to_vec()))
		}
		["api", "head"] if get => {
			let best = chain.best_number().await?;
			let finalized = chain.finalized_number().await?;
			Ok(json_response(StatusCode::OK, &json!({ "best": best, "finalized": finalized })))
		}
		["api", "campaign", id, "volunteer", who] if get => {
			let campaign = number(id, "campaign")?;
			let who = account(who)?;
			let subjects = query_list(&query, "subjects")?;
			let (assignment, seals) = crate::campaigns::volunteer_status(chain, campaign, &who, &subjects).await?;
			Ok(json_response(
				StatusCode::OK,
				&json!({ "account": who.to_string(), "assignment": assignment, "seals": seals }),
			))
		}
		["api", "campaign", id, "act"] if request.method() == Method::POST => {
			let campaign = number(id, "campaign")?;
			let body = Limited::new(request.into_body(), 4096)
				.collect()
				.await
				.map_err(|e| Failure::BadRequest(format!("cannot read the request: {e}")))?
				.to_bytes();
			let act: ActRequest = serde_json::from_slice(&body)
				.map_err(|e| Failure::BadRequest(format!("the action is not valid JSON of the expected shape: {e}")))?;
			let outcome = relay(chain, campaign, act).await?;
			Ok(json_response(StatusCode::OK, &outcome))
		}
		_ => Err(Failure::NotFound(format!("There is no page at {path}."))),
	}
}

/// A feeless action as the browser signed it.
#[derive(Debug, Deserialize)]
struct ActRequest {
	/// The volunteer's Ed25519 public key (its account), hex.
	volunteer: String,
	valid_until: u32,
	/// `next`, `classify`, `reveal` or `claim`.
	action: String,
	#[serde(default)]
	subject: u32,
	#[serde(default)]
	seal: String,
	#[serde(default)]
	answer: u8,
	#[serde(default)]
	salt: String,
	/// Ed25519 over `feeless_message`, hex.
	signature: String,
}

fn hex_array<const N: usize>(text: &str, what: &str) -> Result<[u8; N], Failure> {
	let bytes = hex::decode(text.trim_start_matches("0x"))
		.map_err(|_| Failure::BadRequest(format!("the {what} is not hex")))?;
	bytes.try_into().map_err(|_| Failure::BadRequest(format!("the {what} must be {N} bytes")))
}

/// Relays a browser's signed action; returns the subject now assigned (if the action assigned one).
async fn relay(chain: &Chain, campaign: u32, act: ActRequest) -> Result<serde_json::Value, Failure> {
	use crate::chain::runtime_types::sp_runtime::MultiSignature;
	use merit_primitives::campaigns::VolunteerAction;
	let volunteer = crate::chain::AccountId32(hex_array::<32>(&act.volunteer, "volunteer key")?);
	let signature = MultiSignature::Ed25519(hex_array::<64>(&act.signature, "signature")?);
	let action = match act.action.as_str() {
		"next" => VolunteerAction::NextSubject,
		"classify" => VolunteerAction::Classify { subject: act.subject, seal: hex_array::<32>(&act.seal, "seal")? },
		"reveal" => VolunteerAction::Reveal {
			subject: act.subject,
			answer: act.answer,
			salt: hex_array::<32>(&act.salt, "salt")?,
		},
		"claim" => VolunteerAction::Claim,
		other => return Err(Failure::BadRequest(format!("unknown action `{other}`: next, classify, reveal or claim"))),
	};
	let what = format!("relaying {}'s {} in campaign {campaign}", volunteer, act.action);
	let events = crate::campaigns::relay(chain, campaign, volunteer.clone(), act.valid_until, action, signature, &what)
		.await
		.map_err(|e| Failure::BadRequest(format!("{e:#}")))?;
	let assigned = events
		.find_first::<crate::chain::runtime::merit_campaigns::events::SubjectAssigned>()
		.transpose()
		.map_err(|e| Failure::Chain(e.into()))?
		.map(|e| e.subject);
	Ok(json!({ "ok": true, "account": volunteer.to_string(), "assigned": assigned }))
}

fn number(text: &str, what: &str) -> Result<u32, Failure> {
	text.parse().map_err(|_| Failure::BadRequest(format!("`{text}` is not a {what} number.")))
}

fn account(text: &str) -> Result<crate::chain::AccountId32, Failure> {
	crate::keys::parse_account(text).map_err(|e| Failure::BadRequest(format!("`{text}` is not an account: {e:#}")))
}

/// `name=1,2,3` from a query string.
fn query_list(query: &str, name: &str) -> Result<Vec<u32>, Failure> {
	let Some(value) = query.split('&').find_map(|pair| pair.strip_prefix(name).and_then(|v| v.strip_prefix('=')))
	else {
		return Ok(Vec::new());
	};
	let list: Result<Vec<u32>, _> = value.split(',').filter(|s| !s.is_empty()).map(|s| s.parse()).collect();
	let list = list.map_err(|_| Failure::BadRequest(format!("`{name}` must be numbers separated by commas")))?;
	if list.len() > 200 {
		return Err(Failure::BadRequest(format!("at most 200 {name} per request")));
	}
	Ok(list)
}

fn bytes_response(status: StatusCode, content_type: &str, body: Vec<u8>) -> Response<Body> {
	Response::builder()
		.status(status)
		.header(header::CONTENT_TYPE, content_type)
		.header(header::CACHE_CONTROL, "no-store")
		.body(Full::new(Bytes::from(body)).map_err(|never| match never {}).boxed_unsync())
		.expect("a response with a valid status and header")
}

fn html(status: StatusCode, page: String) -> Response<Body> {
	bytes_response(status, "text/html; charset=utf-8", page.into_bytes())
}

fn json_response(status: StatusCode, value: &serde_json::Value) -> Response<Body> {
	bytes_response(status, "application/json", value.to_string().into_bytes())
}

fn download(text: String, content_type: &str, who: &str, extension: &str) -> Response<Body> {
	let mut response = bytes_response(StatusCode::OK, content_type, text.into_bytes());
	let name: String = who.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
	if let Ok(value) = format!("attachment; filename=\"merit-record-{name}.{extension}\"").parse() {
		response.headers_mut().insert(header::CONTENT_DISPOSITION, value);
	}
	response
}

/// The portal's script: live updates and the classify page.
const PORTAL_JS: &str = include_str!("portal.js");
/// The portal's style sheet.
const PORTAL_CSS: &str = include_str!("portal.css");
