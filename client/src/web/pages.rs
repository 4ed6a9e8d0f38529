//! The portal's pages, rendered on the server from the same library calls the CLI makes. Every
//! value from the chain is escaped; accounts show a short address linking to their record.
use serde_json::Value;
use std::fmt::Write as _;

use super::Failure;
use crate::{
	campaigns, challenges,
	chain::{AccountId32, Chain},
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

/// `5GrwvaEF…utQY`, linking to the account's page, the full address on hover.
pub fn account_link(who: &str) -> String {
	let short = if who.len() > 14 { format!("{}…{}", &who[..8], &who[who.len() - 4..]) } else { who.to_string() };
	format!("<a class=\"account\" href=\"/account/{0}\" title=\"{0}\">{1}</a>", escape(who), escape(&short))
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
fn cell(column: &str, value: &Value) -> String {
	let text = match value {
		Value::Null => String::new(),
		Value::String(s) => s.clone(),
		other => other.to_string(),
	};
	let looks_like_account = text.len() >= 46 && text.len() <= 49 && text.starts_with('5');
	match column {
		_ if looks_like_account => account_link(&text),
		"submission" | "previous_version" if !text.is_empty() => {
			format!("<a href=\"/submission/{0}\">{0}</a>", escape(&text))
		}
		"challenge" if !text.is_empty() && text.chars().all(|c| c.is_ascii_digit()) => {
			format!("<a href=\"/challenge/{0}\">{0}</a>", escape(&text))
		}
		_ => escape(&text),
	}
}

/// A table for people: columns as headings, or a record as label/value rows.
pub fn table_html(table: &Table, id: &str) -> String {
	let mut out = format!("<table id=\"{}\">", escape(id));
	let heading = |c: &str| escape(&c.replace('_', " "));
	if table.single {
		for (column, value) in table.columns.iter().zip(table.rows.first().into_iter().flatten()) {
			let _ = write!(out, "<tr><th>{}</th><td>{}</td></tr>", heading(column), cell(column, value));
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
				let _ = write!(out, "<td>{}</td>", cell(column, value));
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
	body.push_str(&linked_titles(&table_html(&table, "challenges"), "challenge"));
	body.push_str("<h2>Labelling campaigns</h2>");
	let mut table = Table::new(&["campaign", "title", "subjects", "retired", "classifications", "pool", "ends at", "state"]);
	for c in campaigns::list(chain).await? {
		table.push(vec![
			c.id.into(),
			c.title.clone().into(),
			(c.subjects - c.gold).into(),
			c.retired.into(),
			c.classifications.into(),
			format_merit(c.pool).into(),
			c.ends_at.into(),
			(if c.closed { "closed" } else if best > c.ends_at { "ended" } else { "running" }).into(),
		]);
	}
	body.push_str(&linked_titles(&table_html(&table, "campaigns"), "campaign"));
	let (validators, evaluators) = roles(&at).await?;
	body.push_str("<h2>Validators</h2><ul id=\"validators\">");
	for who in validators {
		let _ = write!(body, "<li>{}</li>", account_link(&who));
	}
	body.push_str("</ul><h2>Evaluators</h2><ul id=\"evaluators\">");
	if evaluators.is_empty() {
		body.push_str("<li class=\"empty\">none bonded</li>");
	}
	for who in evaluators {
		let _ = write!(body, "<li>{}</li>", account_link(&who));
	}
	body.push_str("</ul>");
	Ok(layout("Home", &body))
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

/// A challenge: its record, pool, and both leaderboards (refreshed live).
pub async fn challenge(chain: &Chain, id: u32) -> Result<String, Failure> {
	let info = challenges::try_get(chain, id)
		.await?
		.ok_or_else(|| Failure::NotFound(format!("There is no challenge {id} on this chain.")))?;
	let mut body = format!("<h1>Challenge {id}: {}</h1>", escape(&info.title()));
	body.push_str(&table_html(&info.table(), "challenge"));
	let _ = write!(body, "<h2>Leaderboards</h2><div id=\"boards\" data-live=\"/challenge/{id}/boards\">");
	body.push_str(&boards(chain, id).await?);
	body.push_str("</div>");
	if let Ok(pool) = rewards::pool(chain, id).await {
		body.push_str("<h2>Where the pool goes</h2>");
		body.push_str(&table_html(&pool.table(), "pool"));
	}
	body.push_str("<h2>Submissions</h2><p id=\"submissions\">");
	for submission in &info.submissions {
		let _ = write!(body, "<a href=\"/submission/{submission}\">{submission}</a> ");
	}
	if info.submissions.is_empty() {
		body.push_str("none yet");
	}
	body.push_str("</p>");
	Ok(layout(&info.title(), &body))
}

/// Both leaderboards of a challenge (the live fragment of its page).
pub async fn boards(chain: &Chain, id: u32) -> Result<String, Failure> {
	let mut out = String::new();
	for (subset, name) in [(Subset::Public, "public"), (Subset::Private, "private")] {
		let entries = scoring::leaderboard(chain, id, subset).await?;
		let _ = write!(out, "<h3>{name}</h3>");
		out.push_str(&table_html(&scoring::leaderboard_table(&entries), &format!("{name}-board")));
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
	let body = format!("<h1>Submission {id}</h1>{}", table_html(&table, "submission"));
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
	let table = record::table(&json);
	let address = account.to_string();
	let mut body = format!("<h1>Track record</h1><p>Account <code id=\"account\">{}</code></p>", escape(&address));
	let _ = write!(
		body,
		"<p><a id=\"csv\" href=\"/account/{0}.csv\">Download CSV</a> · <a id=\"json\" href=\"/account/{0}.json\">Download JSON</a></p>",
		escape(&address)
	);
	let Value::Object(fields) = &json else {
		return Err(Failure::Chain(anyhow::anyhow!("the track record is not an object")));
	};
	for (section, value) in fields {
		let _ = write!(body, "<h2>{}</h2>", escape(&section.replace('_', " ")));
		body.push_str(&value_html(value));
	}
	let _ = write!(
		body,
		"<h2>Verify this record</h2><p id=\"verify\">Read at block #{number} (<code>{hash:?}</code>). Any node of this \
		 chain gives the same answer: <code>merit --url ws://NODE:9944 record {}</code>, or the runtime API \
		 <code>TrackRecordApi_track_record</code> at that block.</p>",
		escape(&address)
	);
	let _ = table;
	Ok(layout("Track record", &body))
}

/// Nested JSON as readable HTML: arrays of objects as tables, objects as label/value rows.
fn value_html(value: &Value) -> String {
	match value {
		Value::Array(items) if items.is_empty() => "<p class=\"empty\">none</p>".into(),
		Value::Array(items) if items.iter().all(Value::is_object) => {
			let mut columns: Vec<String> = Vec::new();
			for item in items {
				for key in item.as_object().into_iter().flat_map(|o| o.keys()) {
					if !columns.contains(key) {
						columns.push(key.clone());
					}
				}
			}
			let mut table = Table::new(&columns.iter().map(String::as_str).collect::<Vec<_>>());
			for item in items {
				table.push(columns.iter().map(|c| flatten(item.get(c).unwrap_or(&Value::Null))).collect());
			}
			table_html(&table, "")
		}
		Value::Object(fields) => {
			let table = Table::record(fields.iter().map(|(k, v)| (k.as_str(), flatten(v))).collect());
			table_html(&table, "")
		}
		other => format!("<p>{}</p>", escape(&flatten(other).to_string())),
	}
}

fn flatten(value: &Value) -> Value {
	match value {
		Value::Array(_) | Value::Object(_) => Value::String(value.to_string()),
		other => other.clone(),
	}
}

/// A campaign: its record, a link to classify, and its subjects' consensus.
pub async fn campaign(chain: &Chain, id: u32) -> Result<String, Failure> {
	let summary = campaigns::summary(chain, id)
		.await?
		.ok_or_else(|| Failure::NotFound(format!("There is no campaign {id} on this chain.")))?;
	let mut body = format!("<h1>Campaign {id}: {}</h1>", escape(&summary.title));
	let _ = write!(body, "<p><a class=\"button\" id=\"classify-link\" href=\"/campaign/{id}/classify\">Classify subjects</a></p>");
	body.push_str(&table_html(&campaigns::show(chain, id).await?, "campaign"));
	body.push_str("<h2>Subjects</h2>");
	body.push_str(&table_html(&campaigns::subjects_table(&campaigns::labels(chain, id).await?), "subjects"));
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
		let _ = write!(svg, "<rect x=\"{}\" y=\"{}\" width=\"1\" height=\"1\" fill=\"rgb({level},{level},{level})\"/>", i % width, i / width);
	}
	svg.push_str("</svg>");
	Ok(svg)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn chain_text_is_escaped_and_accounts_are_short_links() {
		assert_eq!(escape("<script>\"x\" & 'y'</script>"), "&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;");
		let link = account_link("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY");
		assert!(link.contains("href=\"/account/5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY\""));
		assert!(link.contains(">5GrwvaEF…utQY<"));
		let mut table = Table::new(&["rank", "author", "title"]);
		table.push(vec![1.into(), "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY".into(), "<b>".into()]);
		let html = table_html(&table, "t");
		assert!(html.contains("&lt;b&gt;") && !html.contains("<b>"));
		assert!(linked_titles(&html, "challenge").contains("<a href=\"/challenge/1\">1</a>"));
	}
}
