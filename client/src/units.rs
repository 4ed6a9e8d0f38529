//! Amounts of MERIT, shares and durations as people type them on the command line.
use anyhow::{bail, Context, Result};

/// MERIT has 12 decimals: one MERIT is 10^12 of the smallest unit.
pub const DECIMALS: u32 = 12;
/// One MERIT in the smallest unit.
pub const MERIT: u128 = 1_000_000_000_000;
/// The ticker.
pub const SYMBOL: &str = "MERIT";
/// Blocks per minute (3-second blocks).
pub const BLOCKS_PER_MINUTE: u32 = 20;
/// Parts per billion of 100% (Perbill).
pub const PERBILL: u32 = 1_000_000_000;

/// Parses an amount of MERIT (`1000`, `0.5`, `1_000.25`, optionally followed by `MERIT`) into the
/// smallest unit, exactly (no floating point). More than 12 decimals is an error, not a rounding.
pub fn parse_merit(text: &str) -> Result<u128> {
	let cleaned: String = text.trim().trim_end_matches(SYMBOL).trim().chars().filter(|c| *c != '_').collect();
	let (int, frac) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
	if int.is_empty() && frac.is_empty() {
		bail!("`{text}` is not an amount of MERIT (write e.g. 100 or 0.25)");
	}
	if !int.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
		bail!("`{text}` is not an amount of MERIT (digits and one decimal point only, e.g. 100 or 0.25)");
	}
	if frac.len() > DECIMALS as usize {
		bail!("`{text}` has more than {DECIMALS} decimals; MERIT has {DECIMALS}");
	}
	let int: u128 = if int.is_empty() { 0 } else { int.parse().with_context(|| format!("`{text}` is too large"))? };
	let frac_units: u128 =
		if frac.is_empty() { 0 } else { format!("{frac:0<width$}", width = DECIMALS as usize).parse()? };
	int.checked_mul(MERIT)
		.and_then(|v| v.checked_add(frac_units))
		.with_context(|| format!("`{text}` MERIT does not fit in a balance"))
}

/// Formats the smallest unit as MERIT without trailing zeros: `1500000000000` → `1.5 MERIT`.
pub fn format_merit(units: u128) -> String {
	let int = units / MERIT;
	let frac = units % MERIT;
	if frac == 0 {
		format!("{int} {SYMBOL}")
	} else {
		let frac = format!("{frac:0width$}", width = DECIMALS as usize);
		format!("{int}.{} {SYMBOL}", frac.trim_end_matches('0'))
	}
}

/// Parses a share: `12.5%` or a fraction `0.125`, into parts per billion (a `Perbill`).
pub fn parse_share(text: &str) -> Result<u32> {
	let t = text.trim();
	let (number, scale) = match t.strip_suffix('%') {
		Some(p) => (p.trim(), 100u128),
		None => (t, 1u128),
	};
	let (int, frac) = number.split_once('.').unwrap_or((number, ""));
	if number.is_empty() || !int.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
		bail!("`{text}` is not a share (write 25% or 0.25)");
	}
	if frac.len() > 9 {
		bail!("`{text}` is finer than one part per billion");
	}
	let int: u128 = if int.is_empty() { 0 } else { int.parse().with_context(|| format!("`{text}` is too large"))? };
	let frac_ppb: u128 = if frac.is_empty() { 0 } else { format!("{frac:0<9}").parse()? };
	let value_ppb = int * 1_000_000_000 + frac_ppb;
	if value_ppb % scale != 0 {
		bail!("`{text}` is finer than one part per billion");
	}
	let ppb = value_ppb / scale;
	if ppb > PERBILL as u128 {
		bail!("`{text}` is more than 100% (write 25% or 0.25)");
	}
	Ok(ppb as u32)
}

/// Formats parts per billion as a percentage without trailing zeros: `125_000_000` → `12.5%`.
pub fn format_share(ppb: u32) -> String {
	let int = ppb / 10_000_000;
	let frac = ppb % 10_000_000;
	if frac == 0 {
		format!("{int}%")
	} else {
		format!("{int}.{}%", format!("{frac:07}").trim_end_matches('0'))
	}
}

/// Parses a list of shares separated by commas (`50%,30%,20%`).
pub fn parse_shares(text: &str) -> Result<Vec<u32>> {
	let shares = text.split(',').map(parse_share).collect::<Result<Vec<_>>>()?;
	let total: u64 = shares.iter().map(|s| *s as u64).sum();
	if total != PERBILL as u64 {
		bail!("the reward shares `{text}` add up to {}, not 100%", format_share(total.min(u32::MAX as u64) as u32));
	}
	Ok(shares)
}

/// A span of time on the chain: a number of blocks, or minutes/hours/days turned into blocks.
/// `300` or `300b` = 300 blocks; `90m` (or `90min`), `2h`, `7d` use 3-second blocks.
pub fn parse_blocks(text: &str) -> Result<u32> {
	let t = text.trim().to_ascii_lowercase();
	let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
	let (number, unit) = t.split_at(split);
	let n: u32 = number.parse().with_context(|| format!("`{text}` is not a duration (write 300 blocks as 300, or 90m, 2h, 7d)"))?;
	let per: u32 = match unit.trim() {
		"" | "b" | "block" | "blocks" => 1,
		"m" | "min" | "mins" | "minute" | "minutes" => BLOCKS_PER_MINUTE,
		"h" | "hour" | "hours" => BLOCKS_PER_MINUTE * 60,
		"d" | "day" | "days" => BLOCKS_PER_MINUTE * 60 * 24,
		other => bail!("`{text}`: unknown unit `{other}` (use b, m, h or d)"),
	};
	n.checked_mul(per).with_context(|| format!("`{text}` is too long"))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn merit_amounts() {
		assert_eq!(parse_merit("1").unwrap(), MERIT);
		assert_eq!(parse_merit("0.5").unwrap(), MERIT / 2);
		assert_eq!(parse_merit(".25").unwrap(), MERIT / 4);
		assert_eq!(parse_merit("1_000 MERIT").unwrap(), 1000 * MERIT);
		assert_eq!(parse_merit("0.000000000001").unwrap(), 1);
		assert!(parse_merit("0.0000000000001").is_err());
		assert!(parse_merit("-1").is_err());
		assert!(parse_merit("1e3").is_err());
		assert!(parse_merit("").is_err());
		assert!(parse_merit("1.2.3").is_err());
		assert!(parse_merit("999999999999999999999999999999").is_err());
		assert_eq!(format_merit(1_500_000_000_000), "1.5 MERIT");
		assert_eq!(format_merit(10 * MERIT), "10 MERIT");
		assert_eq!(format_merit(1), "0.000000000001 MERIT");
		for text in ["3", "0.1", "12345.678901234567"] {
			assert_eq!(format_merit(parse_merit(text).unwrap()), format!("{text} MERIT"));
		}
	}

	#[test]
	fn shares() {
		assert_eq!(parse_share("25%").unwrap(), 250_000_000);
		assert_eq!(parse_share("0.25").unwrap(), 250_000_000);
		assert_eq!(parse_share("12.5%").unwrap(), 125_000_000);
		assert_eq!(parse_share("100%").unwrap(), PERBILL);
		assert_eq!(parse_share("0%").unwrap(), 0);
		assert!(parse_share("101%").is_err());
		assert!(parse_share("2").is_err());
		assert!(parse_share("abc").is_err());
		assert_eq!(format_share(125_000_000), "12.5%");
		assert_eq!(format_share(PERBILL), "100%");
		assert_eq!(parse_shares("50%,30%,20%").unwrap(), vec![500_000_000, 300_000_000, 200_000_000]);
		assert!(parse_shares("50%,30%").is_err());
	}

	#[test]
	fn durations() {
		assert_eq!(parse_blocks("300").unwrap(), 300);
		assert_eq!(parse_blocks("300b").unwrap(), 300);
		assert_eq!(parse_blocks("90m").unwrap(), 1800);
		assert_eq!(parse_blocks("2h").unwrap(), 2400);
		assert_eq!(parse_blocks("1d").unwrap(), 28_800);
		assert!(parse_blocks("5y").is_err());
		assert!(parse_blocks("m").is_err());
	}
}
