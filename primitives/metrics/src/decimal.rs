//! Decimal text straight to scaled integers, without floating point.
//!
//! Floats would make a score depend on the parser's rounding (and are unavailable or non-deterministic in
//! some WASM settings); an exact decimal-to-integer conversion gives every evaluator the same bits.

use crate::error::RowProblem;

/// Number of decimal places of every parsed value (and of [`crate::Score`]).
pub const VALUE_DECIMALS: u32 = 18;

/// `10^VALUE_DECIMALS`: the integer that represents 1.0.
pub const VALUE_SCALE: u128 = 1_000_000_000_000_000_000;

/// Largest accepted magnitude, scaled: 10^15 (i.e. 1e15 as a value).
///
/// The bound keeps a difference (≤ 2·10^33 scaled) squared below 2^223, so a sum of squares over
/// billions of rows fits the 256-bit accumulator with room to spare.
pub const MAX_ABS_VALUE: i128 = 1_000_000_000_000_000 * VALUE_SCALE as i128;

/// Largest accepted exponent magnitude in `1.5e-3` notation. Larger exponents are rejected even when the
/// value would be zero, to bound the work per field.
pub const MAX_EXPONENT: u32 = 400;

/// Parse one decimal number into an integer scaled by [`VALUE_SCALE`].
///
/// Accepted grammar: `[+-]digits[.digits][(e|E)[+-]digits]` where either the integer or the fractional
/// digits may be empty (but not both), e.g. `3`, `-0.25`, `.5`, `7.`, `1.5e-3`, `2E+4`. Surrounding ASCII
/// spaces and tabs are not accepted here (the CSV reader trims them).
///
/// Rounding rule: digits below the 18th decimal place are **rounded to the nearest scaled integer, ties to
/// even**, taking every dropped digit into account. So `1e-19` parses to 0 and `1.5e-18` to 2 (scaled),
/// exactly as converting the exact decimal value would. Rounding, rather than rejecting, lets files written
/// with Python's `repr` (up to 17 significant digits, e.g. `1.2345678901234567e-05`) be read.
///
/// Errors: `nan` → [`RowProblem::NotANumber`], `inf`/`infinity` → [`RowProblem::Infinite`] (any case, any
/// sign), magnitude above 1e15 → [`RowProblem::TooLarge`], `|exponent| > 400` →
/// [`RowProblem::ExponentOutOfRange`], anything else → [`RowProblem::MalformedNumber`] (or
/// [`RowProblem::EmptyValue`] for an empty field).
pub fn parse_decimal(s: &[u8]) -> Result<i128, RowProblem> {
	if let Some(v) = parse_short_decimal(s) {
		return Ok(v);
	}
	parse_decimal_general(s)
}

/// The common case, `[+-]digits[.digits]` with at most 19 digits and at most 18 decimals: every digit is
/// kept, so the value is exactly `digits · 10^(18 − decimals)` with no rounding. `None` for anything else
/// (including magnitudes above [`MAX_ABS_VALUE`]), which [`parse_decimal_general`] then decides; for the
/// inputs it accepts this gives the same value as the general path.
#[inline]
fn parse_short_decimal(s: &[u8]) -> Option<i128> {
	let (negative, body) = match s.first()? {
		b'-' => (true, &s[1..]),
		b'+' => (false, &s[1..]),
		_ => (false, s),
	};
	let mut mantissa: u64 = 0;
	let mut digits = 0u32;
	let mut decimals: Option<u32> = None;
	for &b in body {
		let d = b.wrapping_sub(b'0');
		if d < 10 {
			if digits == 19 {
				return None;
			}
			mantissa = mantissa * 10 + u64::from(d);
			digits += 1;
			if let Some(n) = decimals.as_mut() {
				*n += 1;
			}
		} else if b == b'.' && decimals.is_none() {
			decimals = Some(0);
		} else {
			return None;
		}
	}
	let decimals = decimals.unwrap_or(0);
	if digits == 0 || decimals > VALUE_DECIMALS {
		return None;
	}
	let magnitude = u128::from(mantissa) * POW10[(VALUE_DECIMALS - decimals) as usize];
	if magnitude > MAX_ABS_VALUE as u128 {
		return None;
	}
	let value = magnitude as i128;
	Some(if negative { -value } else { value })
}

/// 10^0 ..= 10^18.
const POW10: [u128; 19] = {
	let mut t = [1u128; 19];
	let mut i = 1;
	while i < 19 {
		t[i] = t[i - 1] * 10;
		i += 1;
	}
	t
};

/// Every input: the grammar, the rounding and the errors documented on [`parse_decimal`].
fn parse_decimal_general(s: &[u8]) -> Result<i128, RowProblem> {
	if s.is_empty() {
		return Err(RowProblem::EmptyValue);
	}
	let len = s.len();
	let mut i = 0;
	let mut negative = false;
	if s[0] == b'+' || s[0] == b'-' {
		negative = s[0] == b'-';
		i = 1;
	}
	if i < len && s[i].is_ascii_alphabetic() {
		let word = &s[i..];
		if word.eq_ignore_ascii_case(b"nan") {
			return Err(RowProblem::NotANumber);
		}
		if word.eq_ignore_ascii_case(b"inf") || word.eq_ignore_ascii_case(b"infinity") {
			return Err(RowProblem::Infinite);
		}
		return Err(RowProblem::MalformedNumber);
	}
	let int_start = i;
	while i < len && s[i].is_ascii_digit() {
		i += 1;
	}
	let int_digits = &s[int_start..i];
	let mut frac_digits: &[u8] = &[];
	if i < len && s[i] == b'.' {
		i += 1;
		let frac_start = i;
		while i < len && s[i].is_ascii_digit() {
			i += 1;
		}
		frac_digits = &s[frac_start..i];
	}
	if int_digits.is_empty() && frac_digits.is_empty() {
		return Err(RowProblem::MalformedNumber);
	}
	let mut exponent: i64 = 0;
	if i < len && (s[i] == b'e' || s[i] == b'E') {
		i += 1;
		let mut exp_negative = false;
		if i < len && (s[i] == b'+' || s[i] == b'-') {
			exp_negative = s[i] == b'-';
			i += 1;
		}
		let exp_start = i;
		while i < len && s[i].is_ascii_digit() {
			exponent = exponent * 10 + i64::from(s[i] - b'0');
			if exponent > i64::from(MAX_EXPONENT) {
				return Err(RowProblem::ExponentOutOfRange);
			}
			i += 1;
		}
		if i == exp_start {
			return Err(RowProblem::MalformedNumber);
		}
		if exp_negative {
			exponent = -exponent;
		}
	}
	if i != len {
		return Err(RowProblem::MalformedNumber);
	}

	// The digit string D = int_digits ++ frac_digits; digit k has scaled place value
	// 10^(int_len - 1 - k + exponent + 18). Digits with a non-negative place are kept.
	let total = int_digits.len() + frac_digits.len();
	let keep_boundary = int_digits.len() as i64 + exponent + i64::from(VALUE_DECIMALS);
	let digit_at = |k: usize| -> u8 {
		if k < int_digits.len() {
			int_digits[k] - b'0'
		} else {
			frac_digits[k - int_digits.len()] - b'0'
		}
	};
	let mut magnitude: u128 = 0;
	let limit = MAX_ABS_VALUE as u128;
	if keep_boundary > 0 {
		let kept = core::cmp::min(keep_boundary as usize, total);
		for k in 0..kept {
			magnitude = magnitude * 10 + u128::from(digit_at(k));
			if magnitude > limit {
				return Err(RowProblem::TooLarge);
			}
		}
		// Trailing zeros implied by a positive exponent.
		let missing = keep_boundary as usize - kept;
		if magnitude != 0 {
			for _ in 0..missing {
				magnitude *= 10;
				if magnitude > limit {
					return Err(RowProblem::TooLarge);
				}
			}
		}
		if kept < total {
			let round_digit = digit_at(kept);
			let sticky = (kept + 1..total).any(|k| digit_at(k) != 0);
			if round_digit > 5 || (round_digit == 5 && (sticky || magnitude & 1 == 1)) {
				magnitude += 1;
			}
		}
	} else if keep_boundary == 0 && total > 0 {
		// Every digit is below the last kept place; the first one decides the rounding of 0.
		let round_digit = digit_at(0);
		let sticky = (1..total).any(|k| digit_at(k) != 0);
		if round_digit > 5 || (round_digit == 5 && sticky) {
			magnitude = 1;
		}
	}
	if magnitude > limit {
		return Err(RowProblem::TooLarge);
	}
	let value = magnitude as i128;
	Ok(if negative { -value } else { value })
}

#[cfg(test)]
mod tests {
	use super::*;

	fn p(s: &str) -> Result<i128, RowProblem> {
		parse_decimal(s.as_bytes())
	}

	const S: i128 = VALUE_SCALE as i128;

	#[test]
	fn plain_numbers() {
		assert_eq!(p("0"), Ok(0));
		assert_eq!(p("1"), Ok(S));
		assert_eq!(p("-1"), Ok(-S));
		assert_eq!(p("+2.5"), Ok(5 * S / 2));
		assert_eq!(p(".5"), Ok(S / 2));
		assert_eq!(p("7."), Ok(7 * S));
		assert_eq!(p("-0"), Ok(0));
		assert_eq!(p("0.000000000000000001"), Ok(1));
		assert_eq!(p("123456789.123456789123456789"), Ok(123_456_789_123_456_789_123_456_789));
		assert_eq!(p("000012.50"), Ok(125 * S / 10));
	}

	#[test]
	fn exponents() {
		assert_eq!(p("1.5e-3"), Ok(1_500_000_000_000_000));
		assert_eq!(p("2E+4"), Ok(20_000 * S));
		assert_eq!(p("2e4"), Ok(20_000 * S));
		assert_eq!(p("1e-18"), Ok(1));
		assert_eq!(p("1e-19"), Ok(0));
		assert_eq!(p("1e15"), Ok(MAX_ABS_VALUE));
		assert_eq!(p("0.001e18"), Ok(1_000_000_000_000_000 * S));
		assert_eq!(p("0e400"), Ok(0));
		assert_eq!(p("1e-400"), Ok(0));
		assert_eq!(p("12345e-22"), Ok(1));
		assert_eq!(p("1.2345678901234567e-05"), Ok(12_345_678_901_235));
	}

	#[test]
	fn rounding_half_to_even() {
		assert_eq!(p("0.0000000000000000005"), Ok(0)); // 0.5 ulp -> even 0
		assert_eq!(p("0.0000000000000000015"), Ok(2)); // 1.5 ulp -> even 2
		assert_eq!(p("0.0000000000000000025"), Ok(2)); // 2.5 ulp -> even 2
		assert_eq!(p("0.00000000000000000250001"), Ok(3)); // above half
		assert_eq!(p("0.0000000000000000024999"), Ok(2));
		assert_eq!(p("5e-19"), Ok(0));
		assert_eq!(p("5.1e-19"), Ok(1));
		assert_eq!(p("6e-19"), Ok(1));
		assert_eq!(p("-6e-19"), Ok(-1));
		assert_eq!(p("0.9999999999999999999"), Ok(S));
	}

	#[test]
	fn short_path_agrees_with_the_general_path() {
		let cases = [
			"0", "-0", "+7", "7.", ".5", "-.5", "71.49545052214839", "-0.000000000000000001", "1e3",
			"1234567890123456789", "12345678901234567890", "0.1234567890123456789", "999999999999999.9",
			"1000000000000000", "1000000000000000.000000000000000001", "1000000000000001", "00000000000000000001.5",
			"1.2.3", "-", "", ".", "1,5", " 1",
		];
		for c in cases {
			let short = parse_short_decimal(c.as_bytes());
			let general = parse_decimal_general(c.as_bytes());
			if let Some(v) = short {
				assert_eq!(Ok(v), general, "{c}");
			}
			assert_eq!(p(c), general, "{c}");
		}
	}

	#[test]
	fn rejections() {
		assert_eq!(p(""), Err(RowProblem::EmptyValue));
		assert_eq!(p("nan"), Err(RowProblem::NotANumber));
		assert_eq!(p("-NaN"), Err(RowProblem::NotANumber));
		assert_eq!(p("inf"), Err(RowProblem::Infinite));
		assert_eq!(p("-Infinity"), Err(RowProblem::Infinite));
		assert_eq!(p("1e401"), Err(RowProblem::ExponentOutOfRange));
		assert_eq!(p("0e-401"), Err(RowProblem::ExponentOutOfRange));
		assert_eq!(p("1e16"), Err(RowProblem::TooLarge));
		assert_eq!(p("1000000000000000.000000000000000001"), Err(RowProblem::TooLarge));
		assert_eq!(p("99999999999999999999999999999999999999999"), Err(RowProblem::TooLarge));
		for bad in ["-", "+", ".", "1.2.3", "1e", "1e+", "e5", "1,5", "0x10", "1 ", " 1", "--1", "1f", "abc"] {
			assert_eq!(p(bad), Err(RowProblem::MalformedNumber), "{bad}");
		}
	}
}
