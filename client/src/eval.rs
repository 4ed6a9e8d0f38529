//! Local scoring with `merit-metrics`, exactly as evaluators score: the same parser, the same
//! fixed-point arithmetic, the same public/private split seeded by the owner's salt.
use anyhow::{bail, Result};
use merit_metrics::{Metric, Score, Split, Subset};
use serde_json::json;

use crate::output::Table;

/// One subset's score, or why it could not be computed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubsetScore {
	/// Which rows.
	pub subset: Subset,
	/// The score, or the metric's error message (naming file and line).
	pub score: Result<Score, String>,
}

/// Parses a metric name (`rmse`, `mae`, `accuracy`, `macro_f1`, `log_loss`, `roc_auc`; `-` may
/// stand for `_`).
pub fn parse_metric(text: &str) -> Result<Metric> {
	let normal = text.trim().to_ascii_lowercase().replace('-', "_");
	match Metric::from_name(&normal) {
		Some(metric) => Ok(metric),
		None => bail!(
			"unknown metric `{text}`: use one of {}",
			Metric::ALL.iter().map(|m| m.name()).collect::<Vec<_>>().join(", ")
		),
	}
}

/// Parses a salt given on the command line: `0x`-prefixed hex is bytes, anything else its UTF-8.
pub fn parse_salt(text: &str) -> Result<Vec<u8>> {
	match text.strip_prefix("0x") {
		Some(hex_part) => hex::decode(hex_part).map_err(|e| anyhow::anyhow!("the salt `{text}` is not valid hex: {e}")),
		None => Ok(text.as_bytes().to_vec()),
	}
}

/// Scores `predictions` against `labels` on all rows and, given the split's seed (salt) and public
/// share (parts per billion), on the public rows (as evaluators do, from the public rows alone)
/// and the private rows.
pub fn evaluate(metric: Metric, labels: &[u8], predictions: &[u8], split: Option<(&[u8], u32)>) -> Vec<SubsetScore> {
	let run = |split: &Split<'_>| merit_metrics::score(metric, labels, predictions, split).map_err(|e| e.to_string());
	let mut scores = vec![SubsetScore { subset: Subset::All, score: run(&Split::all()) }];
	if let Some((seed, share)) = split {
		// As evaluators do: every row of the canonical public-rows file, other ids ignored.
		let public = merit_metrics::public_rows(labels, seed, share)
			.and_then(|rows| merit_metrics::score_listed(metric, &rows, predictions))
			.map_err(|e| e.to_string());
		scores.push(SubsetScore { subset: Subset::Public, score: public });
		scores.push(SubsetScore { subset: Subset::Private, score: run(&Split::private(seed, share)) });
	}
	scores
}

/// The scores as a table: subset, score, error.
pub fn table(metric: Metric, scores: &[SubsetScore]) -> Table {
	let mut table = Table::new(&["metric", "subset", "score", "error"]);
	for s in scores {
		let (score, error) = match &s.score {
			Ok(score) => (json!(score.to_string()), json!(null)),
			Err(e) => (json!(null), json!(e)),
		};
		table.push(vec![json!(metric.name()), json!(s.subset.name()), score, error]);
	}
	table
}

#[cfg(test)]
mod tests {
	use super::*;

	const LABELS: &[u8] = b"id,y\n1,1.0\n2,2.0\n3,3.0\n4,4.0\n5,5.0\n6,6.0\n7,7.0\n8,8.0\n";
	const PREDICTIONS: &[u8] = b"id,y\n8,8.0\n1,1.5\n2,2.0\n3,3.5\n4,4.0\n5,5.0\n6,6.5\n7,7.0\n";

	#[test]
	fn scores_all_public_private_like_the_evaluators() {
		let scores = evaluate(Metric::Mae, LABELS, PREDICTIONS, Some((b"salt", 500_000_000)));
		assert_eq!(scores.len(), 3);
		// 3 rows off by 0.5 of 8: MAE 0.1875.
		assert_eq!(scores[0].score, Ok(Score::parse("0.1875").unwrap()));
		for s in &scores[1..] {
			let split = if s.subset == Subset::Public {
				Split::public(b"salt", 500_000_000)
			} else {
				Split::private(b"salt", 500_000_000)
			};
			assert_eq!(
				s.score,
				merit_metrics::score(Metric::Mae, LABELS, PREDICTIONS, &split).map_err(|e| e.to_string())
			);
		}
		let text = table(Metric::Mae, &scores).render(crate::output::Format::Csv);
		assert!(text.starts_with("metric,subset,score,error\nmae,all,0.187500000000000000,\n"), "{text}");
	}

	#[test]
	fn errors_name_the_line() {
		let scores = evaluate(Metric::Rmse, LABELS, b"id,y\n1,NaN\n", None);
		let error = scores[0].score.clone().unwrap_err();
		assert!(error.contains("line 2"), "{error}");
	}

	#[test]
	fn metrics_and_salts() {
		assert_eq!(parse_metric("macro-f1").unwrap(), Metric::MacroF1);
		assert_eq!(parse_metric("ROC_AUC").unwrap(), Metric::RocAuc);
		assert!(parse_metric("f2").unwrap_err().to_string().contains("rmse"));
		assert_eq!(parse_salt("abc").unwrap(), b"abc");
		assert_eq!(parse_salt("0x00ff").unwrap(), vec![0, 255]);
		assert!(parse_salt("0xzz").is_err());
	}
}
