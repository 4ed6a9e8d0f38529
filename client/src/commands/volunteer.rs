//! Owners and volunteers of labelling campaigns: `merit campaign ...` and `merit classify`.
use anyhow::{bail, Context, Result};
use serde_json::json;
use std::io::{BufRead, Write};

use crate::{
	args::CampaignCommand,
	campaigns::{self, parse_prob, NewCampaign},
	keys,
	output::Table,
	session::{Outcome, Session},
	units::{format_merit, parse_merit},
};

/// Parses `15:0.33,40:0.2,0.1`: steps, the last one a rate alone (the floor).
fn parse_gold_steps(text: &str) -> Result<Vec<(u32, campaigns::Prob)>> {
	let mut steps = Vec::new();
	let parts: Vec<&str> = text.split(',').map(str::trim).filter(|p| !p.is_empty()).collect();
	for (i, part) in parts.iter().enumerate() {
		match part.split_once(':') {
			Some((below, rate)) => steps.push((
				below.parse().with_context(|| format!("`{below}` in --gold-steps is not a whole number"))?,
				parse_prob(rate)?,
			)),
			None if i + 1 == parts.len() => steps.push((u32::MAX, parse_prob(part)?)),
			None => bail!("--gold-steps: `{part}` needs SEEN_BELOW:RATE (only the last step is a rate alone)"),
		}
	}
	Ok(steps)
}

/// Parses `0.7:10,0.8:20`.
fn parse_levels(text: &str) -> Result<Vec<(campaigns::Prob, u32)>> {
	text.split(',')
		.map(str::trim)
		.filter(|p| !p.is_empty())
		.map(|part| {
			let (threshold, gold) =
				part.split_once(':').with_context(|| format!("--levels: `{part}` is not THRESHOLD:MIN_GOLD"))?;
			Ok((parse_prob(threshold)?, gold.parse().with_context(|| format!("`{gold}` is not a whole number"))?))
		})
		.collect()
}

/// Reads `path,answer` lines (relative paths from the list's directory).
fn read_gold_list(list: &std::path::Path) -> Result<(Vec<std::path::PathBuf>, Vec<u8>)> {
	let text = std::fs::read_to_string(list).with_context(|| format!("reading {}", list.display()))?;
	let base = list.parent().unwrap_or(std::path::Path::new("."));
	let (mut files, mut answers) = (Vec::new(), Vec::new());
	for (number, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
		let (path, answer) = line
			.rsplit_once(',')
			.with_context(|| format!("{} line {}: not PATH,ANSWER", list.display(), number + 1))?;
		if number == 0 && answer.trim().parse::<u8>().is_err() {
			continue;
		}
		files.push(base.join(path.trim()));
		answers.push(
			answer
				.trim()
				.parse()
				.with_context(|| format!("{} line {}: `{answer}` is not an answer", list.display(), number + 1))?,
		);
	}
	Ok((files, answers))
}

/// Runs a `merit campaign` subcommand.
pub async fn campaign(s: &Session, command: &CampaignCommand) -> Result<Outcome> {
	let chain = s.chain().await?;
	let store = || s.store().context("give --store URL (an artifact store, see `merit artifacts serve`)");
	match command {
		CampaignCommand::Create {
			title,
			answers,
			rule,
			round_size,
			reveal_window,
			priority,
			gold_steps,
			levels,
			pool,
			duration,
		} => {
			let new = NewCampaign {
				title: title.clone(),
				subjects_uri: store()?.to_string(),
				answers: *answers,
				rule: campaigns::parse_rule(rule)?,
				round_size: *round_size,
				reveal_window: *reveal_window,
				priority: *priority,
				gold_steps: match gold_steps {
					Some(text) => parse_gold_steps(text)?,
					None => campaigns::default_gold_steps(),
				},
				levels: parse_levels(levels)?,
				pool: parse_merit(pool)?,
				duration: *duration,
			};
			let id = campaigns::create(chain, s.signer()?, new).await?;
			Ok(campaigns::show(chain, id).await?.into())
		}
		CampaignCommand::AddSubjects { campaign, files, priors, by_uncertainty } => {
			let answers = campaigns::answer_count(chain, *campaign).await?;
			let priors = priors.as_deref().map(|p| campaigns::read_priors(p, answers)).transpose()?;
			let (first, count) =
				campaigns::add_subjects(chain, s.signer()?, store()?, *campaign, files, priors, *by_uncertainty)
					.await?;
			let mut table = Table::new(&["campaign", "first_subject", "subjects_added"]);
			table.push(vec![json!(campaign), json!(first), json!(count)]);
			Ok(table.into())
		}
		CampaignCommand::AddGold { campaign, list, reveal_after } => {
			let (files, answers) = read_gold_list(list)?;
			let (batch, first) = campaigns::add_gold(
				chain,
				s.signer()?,
				store()?,
				&s.state_dir(),
				*campaign,
				&files,
				&answers,
				*reveal_after,
			)
			.await?;
			let mut table = Table::new(&["campaign", "gold_batch", "first_subject", "gold_subjects", "reveal_after"]);
			table.push(vec![json!(campaign), json!(batch), json!(first), json!(files.len()), json!(reveal_after)]);
			Ok(table.into())
		}
		CampaignCommand::RevealGold { campaign, batch } => {
			campaigns::reveal_gold(chain, s.signer()?, &s.state_dir(), *campaign, *batch).await?;
			Ok(campaigns::show(chain, *campaign).await?.into())
		}
		CampaignCommand::Show { campaign } => Ok(campaigns::show(chain, *campaign).await?.into()),
		CampaignCommand::Volunteer { campaign, account } => {
			let who = match account {
				Some(text) => keys::parse_account(text)?,
				None => s.signer_account()?,
			};
			Ok(campaigns::volunteer(chain, *campaign, &who).await?.into())
		}
		CampaignCommand::Export { campaign, out, record } => {
			let labels = campaigns::labels(chain, *campaign).await?;
			let csv = campaigns::labels_csv(&labels);
			let digest = crate::digest::sha256_hex(csv.as_bytes());
			if *record {
				campaigns::record_labels(chain, s.signer()?, *campaign, &csv).await?;
			}
			match out {
				Some(path) => {
					std::fs::write(path, &csv).with_context(|| format!("writing {}", path.display()))?;
					let retired = labels.iter().filter(|l| !l.gold && l.label.is_some()).count();
					let mut table = Table::new(&["campaign", "labels", "file", "sha256", "recorded"]);
					table.push(vec![
						json!(campaign),
						json!(retired),
						json!(path.display().to_string()),
						json!(digest),
						json!(record),
					]);
					Ok(table.into())
				}
				None => {
					print!("{csv}");
					Ok(Outcome::nothing())
				}
			}
		}
		CampaignCommand::Subjects { campaign } => {
			Ok(campaigns::subjects_table(&campaigns::labels(chain, *campaign).await?).into())
		}
		CampaignCommand::Simulate { campaign, truth, crowd, per_volunteer } => {
			let crowd = campaigns::parse_crowd(crowd)?;
			let text = std::fs::read_to_string(truth).with_context(|| format!("reading {}", truth.display()))?;
			let mut labels = std::collections::HashMap::new();
			for (number, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
				let Some((subject, label)) = line.split_once(',') else {
					bail!("{} line {}: not SUBJECT,LABEL", truth.display(), number + 1)
				};
				match (subject.trim().parse::<u32>(), label.trim().parse::<u8>()) {
					(Ok(subject), Ok(label)) => {
						labels.insert(subject, label);
					}
					_ if number == 0 => {}
					_ => bail!("{} line {}: not SUBJECT,LABEL", truth.display(), number + 1),
				}
			}
			let uri = s.signer_suri()?.context("simulate derives its volunteers from --suri")?;
			let made =
				campaigns::simulate(chain, &uri, &s.state_dir(), *campaign, &labels, &crowd, *per_volunteer).await?;
			let mut table = Table::new(&["kind", "volunteer", "classified"]);
			for (kind, who, count) in made {
				table.push(vec![json!(kind), json!(who.to_string()), json!(count)]);
			}
			Ok(table.into())
		}
		CampaignCommand::End { campaign } => {
			campaigns::end(chain, s.signer()?, *campaign).await?;
			Ok(campaigns::show(chain, *campaign).await?.into())
		}
		CampaignCommand::Claim { campaign } => {
			let amount = campaigns::claim(chain, s.signer()?, *campaign).await?;
			let mut table = Table::new(&["campaign", "paid"]);
			table.push(vec![json!(campaign), json!(format_merit(amount))]);
			Ok(table.into())
		}
		CampaignCommand::Close { campaign } => {
			let returned = campaigns::close(chain, s.signer()?, *campaign).await?;
			let mut table = Table::new(&["campaign", "returned_to_owner"]);
			table.push(vec![json!(campaign), json!(format_merit(returned))]);
			Ok(table.into())
		}
	}
}

/// `merit classify`: a session at the terminal, or one answer with `--answer`.
pub async fn classify(s: &Session, campaign: u32, answer: Option<u8>, count: Option<u32>) -> Result<Outcome> {
	let chain = s.chain().await?;
	let signer = s.signer()?;
	let state_dir = s.state_dir();
	let answers = campaigns::answer_count(chain, campaign).await?;
	let limit = count.unwrap_or(if answer.is_some() { 1 } else { u32::MAX });
	let mut table = Table::new(&["subject", "answer", "gold_feedback"]);
	let mut done = 0;
	let stdin = std::io::stdin();
	let mut lines = stdin.lock().lines();
	let mut feedback_note = Vec::new();
	while done < limit {
		let (revealed, feedback) = campaigns::reveal_ready(chain, signer, &state_dir).await?;
		for f in &feedback {
			if answer.is_none() {
				eprintln!("{}", f.message());
			}
			feedback_note.push(f.message());
		}
		if revealed > 0 && answer.is_none() {
			eprintln!("revealed {revealed} earlier answers");
		}
		let Some(subject) = campaigns::current_subject(chain, signer, campaign).await? else {
			if done == 0 && answer.is_some() {
				bail!("nothing to classify in campaign {campaign} for you now");
			}
			eprintln!("nothing left to classify for you in campaign {campaign}");
			break;
		};
		let chosen = match answer {
			Some(a) => a,
			None => {
				let bytes = campaigns::subject_file(chain, campaign, subject).await?;
				match campaigns::render_pgm(&bytes) {
					Some(text) => eprintln!("\nsubject {subject}:\n{text}"),
					None => {
						eprintln!("\nsubject {subject}: {} bytes (not an image this terminal can show)", bytes.len())
					}
				}
				eprint!("your answer (0-{}), or q to stop: ", answers - 1);
				std::io::stderr().flush().ok();
				let Some(line) = lines.next() else { break };
				let line = line?;
				if line.trim() == "q" {
					break;
				}
				match line.trim().parse::<u8>() {
					Ok(a) if a < answers => a,
					_ => {
						eprintln!("`{}` is not an answer between 0 and {}", line.trim(), answers - 1);
						continue;
					}
				}
			}
		};
		if chosen >= answers {
			bail!("{chosen} is not an answer: the task has answers 0 to {}", answers - 1);
		}
		match campaigns::classify(chain, signer, &state_dir, campaign, subject, chosen).await {
			Ok(_) => {}
			Err(e) if format!("{e:#}").contains("NothingToClassify") => {
				eprintln!("others completed subject {subject}'s round first; here is another");
				continue;
			}
			Err(e) => return Err(e),
		}
		table.push(vec![json!(subject), json!(chosen), json!(null)]);
		done += 1;
	}
	// Reveal what became revealable with the last answer (a round it completed).
	let (_, feedback) = campaigns::reveal_ready(chain, signer, &state_dir).await?;
	feedback_note.extend(feedback.iter().map(campaigns::GoldFeedback::message));
	let mut outcome: Outcome = table.into();
	if !feedback_note.is_empty() && answer.is_some() {
		outcome.note = Some(feedback_note.join("\n"));
	}
	Ok(outcome)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn gold_steps_and_levels_parse() {
		assert_eq!(
			parse_gold_steps("15:0.33,40:0.2,0.1").unwrap(),
			vec![
				(15, parse_prob("0.33").unwrap()),
				(40, parse_prob("0.2").unwrap()),
				(u32::MAX, parse_prob("0.1").unwrap())
			]
		);
		assert!(parse_gold_steps("0.3,15:0.2").unwrap_err().to_string().contains("only the last step"));
		assert_eq!(parse_levels("0.7:10").unwrap(), vec![(parse_prob("0.7").unwrap(), 10)]);
		assert!(parse_levels("0.7").unwrap_err().to_string().contains("THRESHOLD:MIN_GOLD"));
	}
}
