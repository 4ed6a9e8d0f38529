//! The portal's pages, rendered on the server from the same library calls the CLI makes. Every
//! value from the chain is escaped; accounts show a short address linking to their record.
use serde_json::Value;
use std::fmt::Write as _;

use super::Failure;
use crate::{
	campaigns,
	chain::{AccountId32, Chain},
	challenges,
	names::Names,
	output::Table,
	record, rewards,
	scoring::{self, FinalOutcome},
	units::format_merit,
};
use merit_metrics::Subset;

/// Escapes text for HTML.
pub fn escape(text: &str) -> String {
	let mut out = String::with_capacity(text.len());
	for c in text.chars() {
		match c {
			'&' => out.push_str("&amp;"),
			'<' => out.push_str("&lt;"),
			'>' => out.push_str("&gt;"),
			'"' => out.push_str("&quot;"),
			'\'' => out.push_str("&#39;"),
			c => out.push(c),
		}
	}
	out
}

/// The account's name where it set one (pallet-identity), else `5GrwvaEF…utQY`, linking to the
/// account's page, the full address on hover.
pub fn account_link(who: &str, names: &Names) -> String {
	let (class, shown) = match names.get(who) {
		Some(name) => ("account named", name.to_string()),
		None if who.len() > 14 => ("account", format!("{}…{}", &who[..8], &who[who.len() - 4..])),
		None => ("account", who.to_string()),
	};
	format!("<a class=\"{class}\" href=\"/account/{0}\" title=\"{0}\">{1}</a>", escape(who), escape(&shown))
}

/// A page around `body`.
fn layout(title: &str, body: &str) -> String {
	format!(
		"<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
		 <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
		 <title>{title} · Merit</title><link rel=\"stylesheet\" href=\"/static/portal.css\"></head>\
		 <body><header><a class=\"brand\" href=\"/\">Merit</a> <span class=\"head\" data-live-head>live chain</span></header>\
		 <main>{body}</main><script src=\"/static/portal.js\"></script></body></html>\n",
		title = escape(title),
	)
}

/// The page of a failure: what went wrong, in words.
pub fn failure(failure: &Failure) -> String {
	let heading = match failure {
		Failure::NotFound(_) => "Not found",
		Failure::BadRequest(_) => "That address is not right",
		Failure::Chain(_) => "The node could not answer",
	};
	layout(
		heading,
		&format!(
			"<h1>{heading}</h1><p class=\"error\" id=\"error\">{}</p><p><a href=\"/\">Back to the home page</a></p>",
			escape(&failure.message())
		),
	)
}

/// A cell: accounts become links, submissions and challenges too where the column says so.
fn cell(column: &str, value: &Value, names: &Names) -> String {
	let text = match value {
		Value::Null => String::new(),
		Value::String(s) => s.clone(),
		other => other.to_string(),
	};
	match column {
		_ if crate::names::looks_like_address(&text) => account_link(&text, names),
		"submission" | "previous_version" if !text.is_empty() => {
			format!("<a href=\"/submission/{0}\">{0}</a>", escape(&text))
		}
		"parents" if !text.is_empty() => text
			.split(", ")
			.map(|p| format!("<a href=\"/submission/{0}\">{0}</a>", escape(p)))
			.collect::<Vec<_>>()
			.join(", "),
		"challenge" if !text.is_empty() && text.chars().all(|c| c.is_ascii_digit()) => {
			format!("<a href=\"/challenge/{0}\">{0}</a>", escape(&text))
		}
		_ => escape(&text),
	}
}

/// A table for people: columns as headings, or a record as label/value rows.
pub fn table_html(table: &Table, id: &str, names: &Names) -> String {
	let mut out = format!("<table id=\"{}\">", escape(id));
	let heading = |c: &str| escape(&c.replace('_', " "));
	if table.single {
		for (column, value) in table.columns.iter().zip(table.rows.first().into_iter().flatten()) {
			let _ = write!(out, "<tr><th>{}</th><td>{}</td></tr>", heading(column), cell(column, value, names));
		}
	} else {
		out.push_str("<thead><tr>");
		for column in &table.columns {
			let _ = write!(out, "<th>{}</th>", heading(column));
		}
		out.push_str("</tr></thead><tbody>");
		if table.rows.is_empty() {
			let _ = write!(out, "<tr><td colspan=\"{}\" class=\"empty\">none yet</td></tr>", table.columns.len());
		}
		for row in &table.rows {
			out.push_str("<tr>");
			for (column, value) in table.columns.iter().zip(row) {
				let _ = write!(out, "<td>{}</td>", cell(column, value, names));
			}
			out.push_str("</tr>");
		}
		out.push_str("</tbody>");
	}
	out.push_str("</table>");
	out
}

/// Home: challenges, campaigns, the chain's head, validators and evaluators.
pub async fn home(chain: &Chain) -> Result<String, Failure> {
	let at = chain.at_finalized().await?;
	let best = chain.best_number().await?;
	let finalized = at.block_number();
	let mut body = String::from("<h1>Open research challenges on a ledger</h1>");
	let _ = write!(
		body,
		"<p>Best block <b id=\"best\">#{best}</b>, finalized <b id=\"finalized\">#{finalized}</b> (genesis <code>{}</code>).</p>",
		chain.genesis_hex()
	);
	let (validators, evaluators) = roles(&at).await?;
	let names = names_of_addresses(chain, validators.iter().chain(&evaluators)).await?;
	body.push_str("<h2>Challenges</h2>");
	let mut table = Table::new(&["challenge", "title", "state", "metric", "prize pool", "open until", "submissions"]);
	for info in challenges::list(chain).await? {
		let row = info.summary_row();
		table.push(vec![
			row[0].clone(),
			Value::String(info.title()),
			row[2].clone(),
			row[3].clone(),
			row[5].clone(),
			row[6].clone(),
			row[7].clone(),
		]);
	}
	body.push_str(&linked_titles(&table_html(&table, "challenges", &names), "challenge"));
	body.push_str("<h2>Labelling campaigns</h2>");
	let mut table =
		Table::new(&["campaign", "title", "subjects", "retired", "classifications", "pool", "ends at", "state"]);
	for c in campaigns::list(chain).await? {
		table.push(vec![
			c.id.into(),
			c.title.clone().into(),
			(c.subjects - c.gold).into(),
			c.retired.into(),
			c.classifications.into(),
			format_merit(c.pool).into(),
			c.ends_at.into(),
			(if c.closed {
				"closed"
			} else if best > c.ends_at {
				"ended"
			} else {
				"running"
			})
			.into(),
		]);
	}
	body.push_str(&linked_titles(&table_html(&table, "campaigns", &names), "campaign"));
	body.push_str("<h2>Validators</h2><ul id=\"validators\">");
	for who in validators {
		let _ = write!(body, "<li>{}</li>", account_link(&who, &names));
	}
	body.push_str("</ul><h2>Evaluators</h2><ul id=\"evaluators\">");
	if evaluators.is_empty() {
		body.push_str("<li class=\"empty\">none bonded</li>");
	}
	for who in evaluators {
		let _ = write!(body, "<li>{}</li>", account_link(&who, &names));
	}
	body.push_str("</ul>");
	Ok(layout("Home", &body))
}

/// The names of these addresses.
async fn names_of_addresses<'a>(chain: &Chain, addresses: impl Iterator<Item = &'a String>) -> Result<Names, Failure> {
	let accounts: Vec<AccountId32> = addresses.filter_map(|a| a.parse().ok()).collect();
	Ok(crate::names::names(chain, &accounts).await?)
}

/// The names of every account in these tables.
async fn names_of(chain: &Chain, tables: &[&Table]) -> Result<Names, Failure> {
	let mut names = Names::default();
	for table in tables {
		names.0.extend(Names::of_table(chain, table).await?.0);
	}
	Ok(names)
}

/// The block authors (Aura's authorities) and the bonded evaluators, as addresses.
async fn roles(at: &crate::chain::AtBlock) -> anyhow::Result<(Vec<String>, Vec<String>)> {
	let storage = crate::chain::runtime::storage();
	let authorities = at.storage().fetch(storage.aura().authorities(), ()).await?.decode()?;
	let validators = authorities.0.into_iter().map(|a| AccountId32(a.0).to_string()).collect();
	let mut entries = at.storage().iter(storage.merit_scoring().evaluators(), ()).await?;
	let mut evaluators = Vec::new();
	while let Some(entry) = entries.next().await {
		let (who,): (AccountId32,) = entry?.key()?.decode()?;
		evaluators.push(who.to_string());
	}
	evaluators.sort();
	Ok((validators, evaluators))
}

/// Turns the first cell of each row (an id) into a link to `/{kind}/{id}`.
fn linked_titles(table: &str, kind: &str) -> String {
	let mut out = String::new();
	let mut rest = table;
	while let Some(start) = rest.find("<tr><td>") {
		let (before, after) = rest.split_at(start + "<tr><td>".len());
		out.push_str(before);
		let end = after.find("</td>").unwrap_or(0);
		let id = &after[..end];
		if !id.is_empty() && id.chars().all(|c| c.is_ascii_digit()) {
			let _ = write!(out, "<a href=\"/{kind}/{id}\">{id}</a>");
		} else {
			out.push_str(id);
		}
		rest = &after[end..];
	}
	out.push_str(rest);
	out
}

/// Seconds per block on the chain's normal schedule (Aura, 3-second slots), for "time left".
const BLOCK_SECONDS: u64 = 3;

/// `2 h 5 min` for a number of blocks.
fn blocks_as_time(blocks: u64) -> String {
	let seconds = blocks * BLOCK_SECONDS;
	match seconds {
		s if s < 120 => format!("{s} s"),
		s if s < 7_200 => format!("{} min", s / 60),
		s if s < 172_800 => format!("{} h {} min", s / 3_600, s % 3_600 / 60),
		s => format!("{} days", s / 86_400),
	}
}

/// A challenge: what it asks, its data with licenses and links, its schedule, both leaderboards
/// (refreshed live), the best score over time, the fork lineage, where the pool went, and every
/// field as stored.
pub async fn challenge(chain: &Chain, id: u32) -> Result<String, Failure> {
	let info = challenges::try_get(chain, id)
		.await?
		.ok_or_else(|| Failure::NotFound(format!("There is no challenge {id} on this chain.")))?;
	let best = chain.best_number().await? as u64;
	let fields = info.table();
	let field = |name: &str| -> String {
		fields
			.columns
			.iter()
			.position(|c| c == name)
			.and_then(|i| fields.rows[0].get(i))
			.map(|v| match v {
				Value::String(s) => s.clone(),
				Value::Null => String::new(),
				other => other.to_string(),
			})
			.unwrap_or_default()
	};
	let mut body = format!("<h1>Challenge {id}: {}</h1>", escape(&info.title()));
	let _ = write!(body, "<p class=\"description\">{}</p>", escape(&field("description")));
	let open_until = info.spec.schedule.open_until as u64;
	let schedule = if best <= open_until {
		format!("open until block {open_until} (≈ {} left)", blocks_as_time(open_until - best))
	} else {
		format!("closed at block {open_until}")
	};
	let summary = Table::record(vec![
		("state", field("state").into()),
		(
			"metric",
			format!(
				"{} ({} is better)",
				field("metric"),
				if field("higher_is_better") == "true" { "higher" } else { "lower" }
			)
			.into(),
		),
		("schedule", schedule.into()),
		("prize_pool", field("prize_pool").into()),
		("owner", field("owner").into()),
		("submissions", info.submissions.len().into()),
	]);
	let pool = rewards::pool(chain, id).await.ok().map(|pool| pool.table());
	let mut with_accounts = vec![&summary];
	with_accounts.extend(pool.as_ref());
	let names = names_of(chain, &with_accounts).await?;
	body.push_str(&table_html(&summary, "summary", &names));

	body.push_str("<h2>Data</h2><table id=\"data\"><thead><tr><th>artifact</th><th>kind</th><th>license</th><th>size</th><th>digest</th></tr></thead><tbody>");
	for digest in &info.spec.training_data.0 {
		if let Some(artifact) = crate::artifacts::get(chain, *digest).await? {
			let link = if artifact.uri.starts_with("http://") || artifact.uri.starts_with("https://") {
				format!("<a href=\"{0}\">{0}</a>", escape(&artifact.uri))
			} else {
				escape(&artifact.uri)
			};
			let _ = write!(
				body,
				"<tr><td>{link}</td><td>{}</td><td>{}</td><td>{} bytes</td><td><code>{}</code></td></tr>",
				artifact.kind.name(),
				escape(&artifact.license),
				artifact.size,
				crate::digest::digest_hex(digest)
			);
		}
	}
	body.push_str("</tbody></table>");

	let _ = write!(body, "<h2>Leaderboards</h2><div id=\"boards\" data-live=\"/challenge/{id}/boards\">");
	body.push_str(&boards(chain, id).await?);
	body.push_str("</div>");

	// Each submission's record (parents, time) and public score, for the chart and the lineage.
	let mut nodes = Vec::new();
	for &submission in info.submissions.iter().take(MAX_DRAWN) {
		let record = challenges::submission(chain, submission).await?.record;
		let public = match scoring::final_outcome(chain, submission, Subset::Public).await? {
			Some(FinalOutcome::Scored(score)) => Some(score.to_string().parse::<f64>().unwrap_or(f64::NAN)),
			_ => None,
		};
		nodes.push((submission, record.submitted_at, record.parents.0.clone(), public));
	}
	body.push_str("<h2>Best public score over time</h2>");
	body.push_str(&score_chart(&nodes, field("higher_is_better") == "true"));
	body.push_str("<h2>Fork lineage</h2>");
	body.push_str(&lineage(&nodes));

	if let Some(pool) = &pool {
		body.push_str("<h2>Where the pool goes</h2>");
		body.push_str(&table_html(pool, "pool", &names));
	}
	body.push_str("<details><summary>Every field as stored</summary>");
	body.push_str(&table_html(&fields, "challenge", &names));
	body.push_str("</details>");
	Ok(layout(&info.title(), &body))
}

/// The most submissions a challenge page reads for its chart and lineage.
const MAX_DRAWN: usize = 500;

/// An SVG step chart of the best public score so far against the block it was submitted in.
fn score_chart(nodes: &[(u32, u32, Vec<u32>, Option<f64>)], higher_is_better: bool) -> String {
	let mut scored: Vec<(u32, f64)> =
		nodes.iter().filter_map(|(_, at, _, score)| score.filter(|s| s.is_finite()).map(|s| (*at, s))).collect();
	if scored.is_empty() {
		return "<p class=\"empty\" id=\"chart\">no final public score yet</p>".into();
	}
	scored.sort_by_key(|(at, _)| *at);
	let mut best: Vec<(u32, f64)> = Vec::new();
	for (at, score) in scored {
		let better = best.last().is_none_or(|(_, b)| if higher_is_better { score > *b } else { score < *b });
		if better {
			best.push((at, score));
		}
	}
	let (x0, x1) = (best[0].0 as f64, best.last().map_or(1.0, |b| b.0 as f64).max(best[0].0 as f64 + 1.0));
	let (lo, hi) = best.iter().fold((f64::MAX, f64::MIN), |(lo, hi), (_, s)| (lo.min(*s), hi.max(*s)));
	let span = if hi > lo { hi - lo } else { 1.0 };
	let (w, h, pad) = (560.0, 180.0, 40.0);
	let x = |at: f64| pad + (at - x0) / (x1 - x0) * (w - 2.0 * pad);
	let y = |s: f64| h - pad / 2.0 - (s - lo) / span * (h - pad);
	let mut points = String::new();
	for (i, (at, score)) in best.iter().enumerate() {
		if i > 0 {
			let _ = write!(points, "{:.1},{:.1} ", x(*at as f64), y(best[i - 1].1));
		}
		let _ = write!(points, "{:.1},{:.1} ", x(*at as f64), y(*score));
	}
	let mut svg = format!(
		"<svg id=\"chart\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"best public score by block\">\
		 <polyline fill=\"none\" stroke=\"#2251a8\" stroke-width=\"2\" points=\"{points}\"/>"
	);
	for (at, score) in &best {
		let _ = write!(
			svg,
			"<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"4\" fill=\"#2251a8\"><title>block {at}: {score}</title></circle>\
			 <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\">{score:.4}</text>",
			x(*at as f64),
			y(*score),
			x(*at as f64) + 6.0,
			y(*score) - 6.0
		);
	}
	let _ = write!(svg, "<text x=\"{pad}\" y=\"{h}\" font-size=\"11\">block {x0}</text><text x=\"{:.0}\" y=\"{h}\" font-size=\"11\">block {x1}</text></svg>", w - 2.0 * pad);
	svg
}

/// The fork lineage as an SVG graph: submissions in columns by fork depth, an arrow from each to
/// the work it forks.
fn lineage(nodes: &[(u32, u32, Vec<u32>, Option<f64>)]) -> String {
	use std::collections::BTreeMap;
	if nodes.iter().all(|(_, _, parents, _)| parents.is_empty()) {
		return "<p class=\"empty\" id=\"lineage\">no submission forks another</p>".into();
	}
	let mut depth: BTreeMap<u32, usize> = BTreeMap::new();
	for (id, _, parents, _) in nodes {
		let d = parents.iter().filter_map(|p| depth.get(p)).max().map_or(0, |d| d + 1);
		depth.insert(*id, d);
	}
	let mut rows: BTreeMap<usize, usize> = BTreeMap::new();
	let mut place: BTreeMap<u32, (f64, f64)> = BTreeMap::new();
	for (id, _, _, _) in nodes {
		let d = depth[id];
		let row = rows.entry(d).or_insert(0);
		place.insert(*id, (40.0 + d as f64 * 140.0, 30.0 + *row as f64 * 44.0));
		*row += 1;
	}
	let height = 30.0 + rows.values().max().copied().unwrap_or(1) as f64 * 44.0;
	let width = 80.0 + (rows.len() as f64) * 140.0;
	let mut svg = format!(
		"<svg id=\"lineage\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"fork lineage\">\
		 <defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"6\" markerHeight=\"6\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#667\"/></marker></defs>"
	);
	for (id, _, parents, _) in nodes {
		for parent in parents {
			if let (Some(from), Some(to)) = (place.get(id), place.get(parent)) {
				let _ = write!(
					svg,
					"<line x1=\"{:.0}\" y1=\"{:.0}\" x2=\"{:.0}\" y2=\"{:.0}\" stroke=\"#667\" marker-end=\"url(#arrow)\"/>",
					from.0 - 22.0,
					from.1,
					to.0 + 22.0,
					to.1
				);
			}
		}
	}
	for (id, (cx, cy)) in &place {
		let _ = write!(
			svg,
			"<a href=\"/submission/{id}\"><rect x=\"{:.0}\" y=\"{:.0}\" width=\"44\" height=\"26\" rx=\"4\" fill=\"#eef1f6\" stroke=\"#2251a8\"/>\
			 <text x=\"{cx:.0}\" y=\"{:.0}\" font-size=\"12\" text-anchor=\"middle\">#{id}</text></a>",
			cx - 22.0,
			cy - 13.0,
			cy + 4.0
		);
	}
	svg.push_str("</svg>");
	svg
}

/// Both leaderboards of a challenge (the live fragment of its page).
pub async fn boards(chain: &Chain, id: u32) -> Result<String, Failure> {
	let mut out = String::new();
	for (subset, name) in [(Subset::Public, "public"), (Subset::Private, "private")] {
		let entries = scoring::leaderboard(chain, id, subset).await?;
		let mut table = scoring::leaderboard_table(&entries);
		// When each entry was submitted (the board's "time"), as block and time ago.
		let best = chain.best_number().await?;
		table.columns.push("submitted".into());
		for (row, entry) in table.rows.iter_mut().zip(&entries) {
			let at = challenges::submission(chain, entry.submission).await?.record.submitted_at;
			row.push(Value::String(format!("block {at} (≈ {} ago)", blocks_as_time(best.saturating_sub(at) as u64))));
		}
		let names = names_of(chain, &[&table]).await?;
		let _ = write!(out, "<h3>{name}</h3>");
		out.push_str(&table_html(&table, &format!("{name}-board"), &names));
	}
	Ok(out)
}

/// A submission: what it holds, its author, parents and scores.
pub async fn submission(chain: &Chain, id: u32) -> Result<String, Failure> {
	let info = challenges::submission(chain, id)
		.await
		.map_err(|_| Failure::NotFound(format!("There is no submission {id} on this chain.")))?;
	let r = &info.record;
	let score = |outcome: Option<FinalOutcome>| outcome.map(|o| o.text()).unwrap_or_else(|| "not final yet".into());
	let public = score(scoring::final_outcome(chain, id, Subset::Public).await?);
	let private = score(scoring::final_outcome(chain, id, Subset::Private).await?);
	let table = Table::record(vec![
		("submission", id.into()),
		("challenge", r.challenge.into()),
		("author", r.author.to_string().into()),
		("content", info.content_text().into()),
		("parents", r.parents.0.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(", ").into()),
		("previous_version", r.previous_version.map_or(Value::Null, Into::into)),
		("submitted_at_block", r.submitted_at.into()),
		("public_score", public.into()),
		("private_score", private.into()),
	]);
	let mut reports = crate::panels::jobs(chain, r.challenge, None).await?;
	reports.jobs.retain(|job| job.submission == id);
	let reports = reports.table();
	let disputes: Vec<_> =
		crate::disputes::list(chain, r.challenge).await?.into_iter().filter(|d| d.submission == id).collect();
	let disputes = crate::disputes::disputes_table(&disputes);
	let names = names_of(chain, &[&table, &reports, &disputes]).await?;
	let mut body = format!("<h1>Submission {id}</h1>{}", table_html(&table, "submission", &names));
	body.push_str("<h2>Evaluators' reports</h2><p>Each evaluator of the drawn panel, per stage: its sealed or revealed report and the outcome the quorum made final (rounds are pruned once nothing can change; the final outcomes stay).</p>");
	body.push_str(&table_html(&reports, "reports", &names));
	body.push_str("<h2>Disputes</h2>");
	body.push_str(&table_html(&disputes, "disputes", &names));
	Ok(layout(&format!("Submission {id}"), &body))
}

/// An account's record exactly as `merit record` tables it.
pub async fn record_table(chain: &Chain, who: &str) -> Result<Table, Failure> {
	let account = super::account(who)?;
	let json = record::track_record(chain, &account).await?;
	Ok(record::table(&json))
}

/// An account: its whole track record as sections, downloads, and how to check it.
pub async fn account(chain: &Chain, who: &str) -> Result<String, Failure> {
	let account = super::account(who)?;
	let at = chain.at_finalized().await?;
	let (number, hash) = (at.block_number(), at.block_hash());
	let json = record::track_record(chain, &account).await?;
	let address = account.to_string();
	let sections = record::sections(&json);
	let names = names_of(chain, &sections.iter().map(|(_, t)| t).collect::<Vec<_>>()).await?;
	let profile = crate::names::profile(chain, &account).await?;
	let heading = match &profile {
		Some(p) if !p.name.is_empty() => format!("Track record of {}", p.name),
		_ => "Track record".to_string(),
	};
	let mut body = format!(
		"<h1 id=\"heading\">{}</h1><p>Account <code id=\"account\">{}</code></p>",
		escape(&heading),
		escape(&address)
	);
	if let Some(p) = &profile {
		let mut about = Vec::new();
		if let Some(orcid) = &p.orcid {
			about.push(format!("ORCID <a id=\"orcid\" href=\"https://orcid.org/{0}\">{0}</a>", escape(orcid)));
		}
		if let Some(affiliation) = &p.affiliation {
			about.push(format!("<span id=\"affiliation\">{}</span>", escape(affiliation)));
		}
		if let Some(web) = p.web.as_ref().filter(|w| w.starts_with("https://") || w.starts_with("http://")) {
			about.push(format!("<a href=\"{0}\">{0}</a>", escape(web)));
		}
		for (registrar, judgement) in &p.judgements {
			about.push(format!("registrar {registrar} judged it {}", escape(judgement)));
		}
		if !about.is_empty() {
			let _ = write!(body, "<p id=\"profile\">{}</p>", about.join(" · "));
		}
	}
	let _ = write!(
		body,
		"<p><a id=\"csv\" href=\"/account/{0}.csv\">Download CSV</a> · <a id=\"json\" href=\"/account/{0}.json\">Download JSON</a></p>",
		escape(&address)
	);
	for (title, table) in &sections {
		let _ = write!(body, "<h2>{}</h2>", escape(title));
		body.push_str(&table_html(table, "", &names));
	}
	let _ = write!(
		body,
		"<h2>Verify this record</h2><p id=\"verify\">Read at block #{number} (<code>{hash:?}</code>). Any node of this \
		 chain gives the same answer: <code>merit --url ws://NODE:9944 record {}</code>, or the runtime API \
		 <code>TrackRecordApi_track_record</code> at that block.</p>",
		escape(&address)
	);
	Ok(layout("Track record", &body))
}

/// A campaign: its record, a link to classify, and its subjects' consensus.
pub async fn campaign(chain: &Chain, id: u32) -> Result<String, Failure> {
	let summary = campaigns::summary(chain, id)
		.await?
		.ok_or_else(|| Failure::NotFound(format!("There is no campaign {id} on this chain.")))?;
	let mut body = format!("<h1>Campaign {id}: {}</h1>", escape(&summary.title));
	let _ = write!(
		body,
		"<p><a class=\"button\" id=\"classify-link\" href=\"/campaign/{id}/classify\">Classify subjects</a></p>"
	);
	let record = campaigns::show(chain, id).await?;
	let names = names_of(chain, &[&record]).await?;
	body.push_str(&table_html(&record, "campaign", &names));
	body.push_str("<h2>Subjects</h2>");
	body.push_str(&table_html(&campaigns::subjects_table(&campaigns::labels(chain, id).await?), "subjects", &names));
	Ok(layout(&summary.title, &body))
}

/// The classify page: the browser makes and keeps the volunteer's key, signs each action, and
/// the server relays it (see `portal.js`).
pub async fn classify(chain: &Chain, id: u32) -> Result<String, Failure> {
	let summary = campaigns::summary(chain, id)
		.await?
		.ok_or_else(|| Failure::NotFound(format!("There is no campaign {id} on this chain.")))?;
	let mut buttons = String::new();
	for answer in 0..summary.answers {
		let _ = write!(buttons, "<button class=\"answer\" data-answer=\"{answer}\" disabled>{answer}</button>");
	}
	let body = format!(
		"<h1>Classify: {title}</h1>\
		 <div id=\"classify\" data-campaign=\"{id}\" data-genesis=\"{genesis}\" data-answers=\"{answers}\">\
		 <p id=\"volunteer\">Your key lives in this browser only; nobody else can classify as you. <span id=\"me\"></span></p>\
		 <figure><img id=\"subject-image\" alt=\"the subject\" width=\"256\" height=\"256\"><figcaption id=\"subject\">loading…</figcaption></figure>\
		 <div id=\"answers\">{buttons}</div>\
		 <p id=\"status\" role=\"status\"></p><ul id=\"feedback\"></ul>\
		 <noscript>Classifying signs with a key kept in your browser, which needs JavaScript.</noscript></div>",
		title = escape(&summary.title),
		genesis = chain.genesis_hex(),
		answers = summary.answers,
	);
	Ok(layout(&format!("Classify: {}", summary.title), &body))
}

/// A subject's image as SVG (one square per pixel), fetched from the campaign's store and checked
/// against its digest.
pub async fn subject_svg(chain: &Chain, campaign: u32, subject: u32) -> Result<String, Failure> {
	let bytes = campaigns::subject_file(chain, campaign, subject)
		.await
		.map_err(|e| Failure::NotFound(format!("Subject {subject} of campaign {campaign}: {e:#}")))?;
	let (pixels, width, max) = campaigns::pgm_pixels(&bytes)
		.ok_or_else(|| Failure::NotFound(format!("Subject {subject} is not a small greyscale image.")))?;
	let height = pixels.len() / width;
	let mut svg = format!(
		"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" shape-rendering=\"crispEdges\">"
	);
	for (i, p) in pixels.iter().enumerate() {
		// Ink dark on white, as the digits were written.
		let level = 255 - ((*p).min(max) * 255 / max);
		let _ = write!(
			svg,
			"<rect x=\"{}\" y=\"{}\" width=\"1\" height=\"1\" fill=\"rgb({level},{level},{level})\"/>",
			i % width,
			i / width
		);
	}
	svg.push_str("</svg>");
	Ok(svg)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn chain_text_is_escaped_and_accounts_are_short_links() {
		assert_eq!(
			escape("<script>\"x\" & 'y'</script>"),
			"&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;"
		);
		let names = Names::default();
		let link = account_link("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY", &names);
		assert!(link.contains("href=\"/account/5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY\""));
		assert!(link.contains(">5GrwvaEF…utQY<"));
		let mut table = Table::new(&["rank", "author", "title"]);
		table.push(vec![1.into(), "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY".into(), "<b>".into()]);
		let html = table_html(&table, "t", &names);
		assert!(html.contains("&lt;b&gt;") && !html.contains("<b>"));
		assert!(linked_titles(&html, "challenge").contains("<a href=\"/challenge/1\">1</a>"));
	}
}
