//! The labelling arithmetic against an exact rational reference of the published equations
//! (`campaigns_reference.py`, Python's `fractions`): seeded random volunteers of every kind
//! (experts, random, contrary, newcomers) and subjects, every intermediate value compared.
use merit_primitives::campaigns::*;
use std::{fmt::Write as _, io::Write as _, process::Command};

/// xorshift64*: a seeded, dependency-free source of test cases.
struct Cases(u64);

impl Cases {
	fn next(&mut self) -> u64 {
		self.0 ^= self.0 >> 12;
		self.0 ^= self.0 << 25;
		self.0 ^= self.0 >> 27;
		self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
	}
	fn below(&mut self, n: u64) -> u64 {
		self.next() % n.max(1)
	}
	/// True with probability `permille`/1000.
	fn chance(&mut self, permille: u64) -> bool {
		self.below(1000) < permille
	}
}

fn opt(answer: Option<Answer>) -> String {
	answer.map_or("null".into(), |a| a.to_string())
}

fn pairs<A: std::fmt::Display, B: std::fmt::Display>(items: &[(A, B)]) -> String {
	let inner: Vec<String> = items.iter().map(|(a, b)| format!("[{a},{b}]")).collect();
	format!("[{}]", inner.join(","))
}

fn list<T: std::fmt::Display>(items: &[T]) -> String {
	format!("[{}]", items.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(","))
}

fn swap_case(id: usize, rng: &mut Cases) -> String {
	let skepticism = rng.below(4) as u32;
	let volunteers = 1 + rng.below(6) as usize;
	let mut gold = Vec::new();
	let mut skills = Vec::new();
	for _ in 0..volunteers {
		// Accuracy from contrary (10%) to expert (99%).
		let accuracy = [100, 500, 700, 900, 990][rng.below(5) as usize];
		let mut skill = SwapSkill::new(skepticism);
		let mut history = Vec::new();
		for _ in 0..rng.below(80) {
			let truth = rng.chance(500);
			let said = if rng.chance(accuracy) { truth } else { !truth };
			skill.learn(truth, said);
			history.push((truth, said));
		}
		gold.push(pairs(&history));
		skills.push(skill);
	}
	let prior = [ONE / 5_000, ONE / 100, ONE / 2, ONE / 10 * 9][rng.below(4) as usize];
	let (detect, reject) = (ONE / 100 * 95, ONE / 10_000_000);
	let truth = rng.chance(500);
	let mut p = prior;
	let (mut votes, mut posteriors, mut verdicts) = (Vec::new(), Vec::new(), Vec::new());
	for _ in 0..1 + rng.below(40) {
		let v = rng.below(volunteers as u64) as usize;
		let said = if rng.chance(700) { truth } else { !truth };
		p = swap_update(p, &skills[v], said);
		votes.push((v, said));
		posteriors.push(p);
		verdicts.push(opt(swap_verdict(p, detect, reject)));
	}
	let rust_skills: Vec<(Prob, Prob)> = skills.iter().map(|s| (s.p_l, s.p_d)).collect();
	format!(
		r#"{{"kind":"swap","id":{id},"skepticism":{skepticism},"gold":[{}],"rust_skills":{},"prior":{prior},"detect":{detect},"reject":{reject},"votes":{},"rust_posteriors":{},"rust_verdicts":[{}]}}"#,
		gold.join(","),
		pairs(&rust_skills),
		pairs(&votes),
		list(&posteriors),
		verdicts.join(","),
	)
}

fn gravity_case(id: usize, rng: &mut Cases) -> String {
	let k = 2 + rng.below(9) as u8;
	let volunteers = 1 + rng.below(5) as usize;
	let (mut gold, mut matrices) = (Vec::new(), Vec::new());
	for _ in 0..volunteers {
		let accuracy = [1000 / k as u64, 500, 800, 950][rng.below(4) as usize];
		let mut confusion = Confusion::new(k);
		let mut history = Vec::new();
		for _ in 0..rng.below(120) {
			let truth = rng.below(k as u64) as u8;
			let said = if rng.chance(accuracy) { truth } else { rng.below(k as u64) as u8 };
			confusion.learn(truth, said);
			history.push((truth, said));
		}
		gold.push(pairs(&history));
		matrices.push(confusion);
	}
	// A model's prior: random weights normalised, or uniform.
	let prior: Vec<Prob> = if rng.chance(500) {
		let raw: Vec<u64> = (0..k).map(|_| 1 + rng.below(1000)).collect();
		let total: u64 = raw.iter().sum();
		raw.iter().map(|r| (*r as u128 * ONE as u128 / total as u128) as Prob).collect()
	} else {
		vec![ONE / k as u64; k as usize]
	};
	let mut subject = Posterior::new(&prior);
	let truth = rng.below(k as u64) as u8;
	let (mut votes, mut tops) = (Vec::new(), Vec::new());
	for _ in 0..1 + rng.below(30) {
		let v = rng.below(volunteers as u64) as usize;
		let said = if rng.chance(600) { truth } else { rng.below(k as u64) as u8 };
		subject.vote(&matrices[v].likelihood(said));
		votes.push((v, said as usize));
		let (top, posterior) = subject.top();
		tops.push((top as u128, posterior as u128));
	}
	let skills: Vec<String> = matrices.iter().map(|m| list(&(0..k).map(|a| m.skill(a)).collect::<Vec<_>>())).collect();
	let weights: Vec<Prob> = matrices.iter().map(|m| m.weight()).collect();
	format!(
		r#"{{"kind":"gravity","id":{id},"answers":{k},"gold":[{}],"rust_skills":[{}],"rust_weights":{},"prior":{},"votes":{},"rust_tops":{}}}"#,
		gold.join(","),
		skills.join(","),
		list(&weights),
		list(&prior),
		pairs(&votes),
		pairs(&tops),
	)
}

fn counting_case(id: usize, rng: &mut Cases) -> String {
	let k = 2 + rng.below(5) as usize;
	let tally: Vec<u32> = (0..k).map(|_| rng.below(8) as u32).collect();
	let (rule, json) = if rng.chance(500) {
		let count = 1 + rng.below(20) as u32;
		(RetirementRule::FixedCount { count }, format!(r#"{{"kind":"fixed","count":{count}}}"#))
	} else {
		let min_votes = 1 + rng.below(10) as u32;
		let agreement = [ONE / 2, ONE / 5 * 4, ONE / 3 * 2, ONE][rng.below(4) as usize];
		(
			RetirementRule::Consensus { min_votes, agreement },
			format!(r#"{{"kind":"consensus","min_votes":{min_votes},"agreement":{agreement}}}"#),
		)
	};
	format!(
		r#"{{"kind":"counting","id":{id},"tally":{},"rule":{json},"rust_verdict":{}}}"#,
		list(&tally),
		opt(counting_verdict(&rule, &tally))
	)
}

fn schedule_case(id: usize, rng: &mut Cases) -> String {
	let mut steps = Vec::new();
	let mut below = 0u32;
	for _ in 0..1 + rng.below(4) {
		below += 1 + rng.below(30) as u32;
		steps.push((below, ONE / 100 * (1 + rng.below(60))));
	}
	let mut gold = 0;
	let mut due = Vec::new();
	for seen in 0..150 {
		let d = gold_due(&steps, seen, gold);
		gold += d as u32;
		due.push(d);
	}
	let mut out = String::new();
	write!(out, r#"{{"kind":"schedule","id":{id},"steps":{},"rust_due":{}}}"#, pairs(&steps), list(&due)).unwrap();
	out
}

#[test]
fn the_fixed_point_arithmetic_agrees_with_the_exact_equations() {
	let mut rng = Cases(0x9e37_79b9_7f4a_7c15);
	let mut cases = Vec::new();
	for id in 0..1200 {
		cases.push(match id % 4 {
			0 => swap_case(id, &mut rng),
			1 => gravity_case(id, &mut rng),
			2 => counting_case(id, &mut rng),
			_ => schedule_case(id, &mut rng),
		});
	}
	let json = format!("[{}]", cases.join(","));
	let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/campaigns_reference.py");
	let mut python = Command::new("python3")
		.arg(script)
		.stdin(std::process::Stdio::piped())
		.stdout(std::process::Stdio::piped())
		.spawn()
		.expect("python3 runs the reference");
	python.stdin.take().unwrap().write_all(json.as_bytes()).unwrap();
	let output = python.wait_with_output().unwrap();
	let report = String::from_utf8_lossy(&output.stdout);
	assert!(output.status.success(), "the reference disagrees:\n{report}");
	assert_eq!(report.trim(), format!("checked {} cases", cases.len()));
}
