//! What commands print: one [`Table`] rendered as an aligned text table, JSON or CSV
//! (`--format table|json|csv`).
use anyhow::Result;
use serde_json::{Map, Value};
use std::io::Write;

/// How a command prints its data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
	/// Aligned columns for people.
	Table,
	/// A JSON array of objects (or one object for a single record).
	Json,
	/// Comma-separated values with a header row (RFC 4180 quoting).
	Csv,
}

/// Rows of named columns.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
	/// Column names.
	pub columns: Vec<String>,
	/// Rows of cells, one per column.
	pub rows: Vec<Vec<Value>>,
	/// Whether this is one record (JSON prints an object, the text table prints `key: value` lines).
	pub single: bool,
	/// What `--format table` prints instead of the columns, for data people read as sections
	/// (a track record); JSON and CSV still print the exact columns.
	pub text: Option<String>,
}

impl Table {
	/// A table with these columns and no rows.
	pub fn new(columns: &[&str]) -> Table {
		Table { columns: columns.iter().map(|c| c.to_string()).collect(), rows: Vec::new(), single: false, text: None }
	}

	/// One record of `(field, value)` pairs.
	pub fn record(fields: Vec<(&str, Value)>) -> Table {
		let (columns, row): (Vec<_>, Vec<_>) = fields.into_iter().map(|(k, v)| (k.to_string(), v)).unzip();
		Table { columns, rows: vec![row], single: true, text: None }
	}

	/// The same table, printed for people as `text` with `--format table`.
	pub fn with_text(self, text: String) -> Table {
		Table { text: Some(text), ..self }
	}

	/// Appends a row.
	pub fn push(&mut self, row: Vec<Value>) {
		debug_assert_eq!(row.len(), self.columns.len());
		self.rows.push(row);
	}

	/// Renders in `format`.
	pub fn render(&self, format: Format) -> String {
		match format {
			Format::Table => self.render_text(),
			Format::Json => self.render_json(),
			Format::Csv => self.render_csv(),
		}
	}

	/// Prints to stdout in `format`.
	pub fn print(&self, format: Format) -> Result<()> {
		let mut out = std::io::stdout().lock();
		out.write_all(self.render(format).as_bytes())?;
		Ok(())
	}

	fn render_text(&self) -> String {
		if let Some(text) = &self.text {
			return text.clone();
		}
		if self.single {
			let width = self.columns.iter().map(|c| c.chars().count()).max().unwrap_or(0);
			let mut out = String::new();
			for (column, value) in self.columns.iter().zip(&self.rows[0]) {
				out.push_str(&format!("{column:<width$}  {}\n", cell_text(value)));
			}
			return out;
		}
		let cells: Vec<Vec<String>> = self.rows.iter().map(|r| r.iter().map(cell_text).collect()).collect();
		let widths: Vec<usize> = (0..self.columns.len())
			.map(|i| {
				cells.iter().map(|r| r[i].chars().count()).chain([self.columns[i].chars().count()]).max().unwrap_or(0)
			})
			.collect();
		let line = |row: &[String]| {
			let padded: Vec<String> = row.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}")).collect();
			format!("{}\n", padded.join("  ").trim_end())
		};
		let mut out = line(&self.columns);
		out.push_str(&line(&widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>()));
		for row in &cells {
			out.push_str(&line(row));
		}
		if self.rows.is_empty() {
			out.push_str("(none)\n");
		}
		out
	}

	fn render_json(&self) -> String {
		let objects: Vec<Value> = self
			.rows
			.iter()
			.map(|row| {
				let map: Map<String, Value> = self.columns.iter().cloned().zip(row.iter().cloned()).collect();
				Value::Object(map)
			})
			.collect();
		let value = if self.single { objects.into_iter().next().unwrap_or(Value::Null) } else { Value::Array(objects) };
		format!("{}\n", serde_json::to_string_pretty(&value).expect("JSON values serialize"))
	}

	fn render_csv(&self) -> String {
		let mut out = csv_line(self.columns.iter().map(String::as_str));
		for row in &self.rows {
			let cells: Vec<String> = row.iter().map(cell_text).collect();
			out.push_str(&csv_line(cells.iter().map(String::as_str)));
		}
		out
	}
}

/// A cell as text: strings without quotes, null as empty, arrays joined with spaces.
fn cell_text(value: &Value) -> String {
	match value {
		Value::Null => String::new(),
		Value::String(s) => s.clone(),
		Value::Array(items) => items.iter().map(cell_text).collect::<Vec<_>>().join(" "),
		other => other.to_string(),
	}
}

fn csv_line<'a>(cells: impl Iterator<Item = &'a str>) -> String {
	let quoted: Vec<String> =
		cells
			.map(|c| {
				if c.contains([',', '"', '\n', '\r']) {
					format!("\"{}\"", c.replace('"', "\"\""))
				} else {
					c.to_string()
				}
			})
			.collect();
	format!("{}\n", quoted.join(","))
}

#[cfg(test)]
mod tests {
	use super::*;
	use serde_json::json;

	#[test]
	fn formats() {
		let mut table = Table::new(&["rank", "author", "score"]);
		table.push(vec![json!(1), json!("5Grw"), json!("0.5")]);
		table.push(vec![json!(2), json!("a,\"b\""), Value::Null]);
		assert_eq!(table.render(Format::Csv), "rank,author,score\n1,5Grw,0.5\n2,\"a,\"\"b\"\"\",\n");
		assert_eq!(
			table.render(Format::Table),
			"rank  author  score\n----  ------  -----\n1     5Grw    0.5\n2     a,\"b\"\n"
		);
		let parsed: Value = serde_json::from_str(&table.render(Format::Json)).unwrap();
		assert_eq!(parsed[0]["score"], json!("0.5"));
		assert_eq!(parsed[1]["rank"], json!(2));
		let record = Table::record(vec![("id", json!(3)), ("title", json!("Iris"))]);
		assert_eq!(record.render(Format::Table), "id     3\ntitle  Iris\n");
		assert_eq!(
			serde_json::from_str::<Value>(&record.render(Format::Json)).unwrap(),
			json!({"id": 3, "title": "Iris"})
		);
		assert!(Table::new(&["a"]).render(Format::Table).ends_with("(none)\n"));
	}
}
