//! Integer helpers: a minimal 256-bit accumulator, rounded division, integer square root and a
//! deterministic fixed-point natural logarithm.
//!
//! Everything here is plain integer arithmetic, so results are bit-identical on every platform (native,
//! WASM) and every compiler version.

use crate::decimal::VALUE_SCALE;

/// Unsigned 256-bit integer, just enough for sums of squares. `hi` first so the derived order is numeric.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct U256 {
	pub hi: u128,
	pub lo: u128,
}

const MASK64: u128 = u64::MAX as u128;

impl U256 {
	pub fn from_u128(lo: u128) -> Self {
		U256 { hi: 0, lo }
	}

	/// Full product of two u128 values (never overflows).
	pub fn mul(a: u128, b: u128) -> Self {
		let (a1, a0) = (a >> 64, a & MASK64);
		let (b1, b0) = (b >> 64, b & MASK64);
		let p00 = a0 * b0;
		let p01 = a0 * b1;
		let p10 = a1 * b0;
		let p11 = a1 * b1;
		// Middle column: high half of p00 plus the low halves of the cross products (fits in 66 bits).
		let mid = (p00 >> 64) + (p01 & MASK64) + (p10 & MASK64);
		let lo = (p00 & MASK64) | (mid << 64);
		let hi = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
		U256 { hi, lo }
	}

	pub fn checked_add(self, other: U256) -> Option<U256> {
		let (lo, carry) = self.lo.overflowing_add(other.lo);
		let hi = self.hi.checked_add(other.hi)?.checked_add(carry as u128)?;
		Some(U256 { hi, lo })
	}

	pub fn checked_sub(self, other: U256) -> Option<U256> {
		let (lo, borrow) = self.lo.overflowing_sub(other.lo);
		let hi = self.hi.checked_sub(other.hi)?.checked_sub(borrow as u128)?;
		Some(U256 { hi, lo })
	}

	/// Quotient and remainder of a division by a non-zero u64 (schoolbook over 64-bit limbs).
	pub fn div_rem_u64(self, d: u64) -> (U256, u64) {
		let d = d as u128;
		let limbs = [self.hi >> 64, self.hi & MASK64, self.lo >> 64, self.lo & MASK64];
		let mut q = [0u128; 4];
		let mut rem: u128 = 0;
		for (i, limb) in limbs.iter().enumerate() {
			let cur = (rem << 64) | limb;
			q[i] = cur / d;
			rem = cur % d;
		}
		(U256 { hi: (q[0] << 64) | q[1], lo: (q[2] << 64) | q[3] }, rem as u64)
	}

	pub fn to_u128(self) -> Option<u128> {
		if self.hi == 0 {
			Some(self.lo)
		} else {
			None
		}
	}
}

/// `round(num / den)` with ties rounded up (inputs are non-negative). `None` when `den == 0` or the
/// quotient does not fit in u128.
pub(crate) fn div_round(num: U256, den: u64) -> Option<u128> {
	if den == 0 {
		return None;
	}
	let (q, r) = num.div_rem_u64(den);
	let q = q.to_u128()?;
	if u128::from(r) * 2 >= u128::from(den) {
		q.checked_add(1)
	} else {
		Some(q)
	}
}

/// `round(num / den)` for u128 operands, ties rounded up.
pub(crate) fn div_round_u128(num: u128, den: u128) -> Option<u128> {
	if den == 0 {
		return None;
	}
	let q = num / den;
	let r = num % den;
	if r >= den - r {
		q.checked_add(1)
	} else {
		Some(q)
	}
}

/// Largest `r` with `r² ≤ x` (bitwise search on the 128-bit root; `x` must be below 2^256).
pub(crate) fn isqrt_floor(x: U256) -> u128 {
	let mut r: u128 = 0;
	for bit in (0..128).rev() {
		let cand = r | (1u128 << bit);
		if U256::mul(cand, cand) <= x {
			r = cand;
		}
	}
	r
}

/// `sqrt(num / den)` rounded to the nearest integer (ties up), computed exactly.
///
/// With `q = ⌊num/den⌋`, `r = ⌊√q⌋ = ⌊√(num/den)⌋`, and `√(num/den) ≥ r + ½` iff
/// `num/den − r² − r ≥ ¼`. Writing `t = q − r²` (`0 ≤ t ≤ 2r`): `t > r` means yes, `t < r` no, and `t = r`
/// yes iff `4·(num mod den) ≥ den`.
pub(crate) fn sqrt_of_mean_round(num: U256, den: u64) -> Option<u128> {
	if den == 0 {
		return None;
	}
	let (q, rem) = num.div_rem_u64(den);
	let r = isqrt_floor(q);
	let t = q.checked_sub(U256::mul(r, r))?;
	let r_wide = U256::from_u128(r);
	let up = if t > r_wide {
		true
	} else if t < r_wide {
		false
	} else {
		4 * u128::from(rem) >= u128::from(den)
	};
	if up {
		r.checked_add(1)
	} else {
		Some(r)
	}
}

// ---------------------------------------------------------------------------------------------------------
// Natural logarithm.
//
// x (scaled by 10^18) = m · 2^e · 10^-18 with m in [1/√2, √2) as a Q64 fixed-point number (64 fractional
// bits). ln m = 2·atanh(z) with z = (m−1)/(m+1), |z| ≤ 0.1716, evaluated as z·Σ z^(2j)/(2j+1) by Horner's
// rule with 14 coefficients (truncation error below 1e-21). The constants ln 2 and 18·ln 10 are Q96 so that
// e·ln 2 stays accurate to ~1e-27 for every e; the final Q96 sum is rounded once to 18 decimals.
// ---------------------------------------------------------------------------------------------------------

/// ⌊√2 · 2^64⌋.
const SQRT2_Q64: u128 = 26_087_635_650_665_564_424;
/// round(ln 2 · 2^96).
const LN2_Q96: i128 = 54_916_777_467_707_473_351_141_471_128;
/// round(18 · ln 10 · 2^96) = round(ln(10^18) · 2^96).
const LN_1E18_Q96: i128 = 3_283_732_547_111_784_853_622_338_894_909;

const ATANH_TERMS: usize = 14;

/// round(2^64 / (2j + 1)) for j = 0..14.
const ATANH_COEFFS: [u128; ATANH_TERMS] = {
	let mut c = [0u128; ATANH_TERMS];
	let mut j = 0;
	while j < ATANH_TERMS {
		let d = 2 * j as u128 + 1;
		c[j] = ((1u128 << 64) + d / 2) / d;
		j += 1;
	}
	c
};

/// Natural logarithm of a positive fixed-point number: `ln(x / 10^18) · 10^18`, rounded to the nearest
/// integer (ties away from zero). Returns `None` for `x == 0`.
///
/// Why not `f64::ln`: libm implementations differ in the last bit across platforms, and evaluators must
/// agree exactly. This uses only integer operations; its error is below 2·10^-18 over the whole u128
/// domain (checked in the tests against 60-digit reference values).
pub fn ln(x: u128) -> Option<i128> {
	if x == 0 {
		return None;
	}
	let lz = x.leading_zeros();
	let n = x << lz; // top bit set: x = n · 2^-lz, n = f · 2^127 with f in [1, 2)
	let mut e = 127 - lz as i128;
	let mut m = n >> 63; // f in Q64: [2^64, 2^65)
	if m >= SQRT2_Q64 {
		m = n >> 64; // f / 2 in Q64
		e += 1;
	}
	let one = 1u128 << 64;
	let (num, negative) = if m >= one { (m - one, false) } else { (one - m, true) };
	let z = (num << 64) / (m + one);
	let z2 = (z * z) >> 64;
	let mut acc = ATANH_COEFFS[ATANH_TERMS - 1];
	let mut j = ATANH_TERMS - 1;
	while j > 0 {
		j -= 1;
		acc = ATANH_COEFFS[j] + ((acc * z2) >> 64);
	}
	let atanh = (acc * z) >> 64; // Q64
	let ln_m_q96 = ((2 * atanh) << 32) as i128;
	let ln_m_q96 = if negative { -ln_m_q96 } else { ln_m_q96 };
	let total = ln_m_q96 + e * LN2_Q96 - LN_1E18_Q96;
	Some(q96_to_scaled(total))
}

/// Convert a signed Q96 number to a 10^18-scaled integer, rounding half away from zero.
fn q96_to_scaled(v: i128) -> i128 {
	let mag = v.unsigned_abs();
	let int = mag >> 96;
	let frac = mag & ((1u128 << 96) - 1);
	let prod = U256::mul(frac, VALUE_SCALE);
	// (prod + 2^95) >> 96; prod < 2^156 so the sum cannot overflow.
	let rounded = prod.checked_add(U256::from_u128(1u128 << 95)).unwrap_or(prod);
	let frac_scaled = (rounded.hi << 32) | (rounded.lo >> 96);
	let out = (int * VALUE_SCALE + frac_scaled) as i128;
	if v < 0 {
		-out
	} else {
		out
	}
}

/// Lower clip bound of log-loss, ε = 2^-52 (the machine epsilon of f64, which scikit-learn uses for float64
/// input). Scaled probabilities `p ≤ 222` (i.e. p ≤ 2.22e-16 < ε) are clipped up to ε.
pub(crate) const EPS_CLIP_SCALED: u128 = 222;
/// −ln(2^-52) = 52·ln 2, scaled and rounded: the loss of a clipped-low probability.
pub(crate) const NEG_LN_EPS: u128 = 36_043_653_389_117_156_090;
/// −ln(1 − 2^-52) ≈ 2.2204460492503133e-16, scaled and rounded: the loss of a clipped-high probability.
pub(crate) const NEG_LN_ONE_MINUS_EPS: u128 = 222;

/// The per-row log-loss term −ln(clip(p, ε, 1−ε)) for a scaled probability `p ≤ 10^18`.
pub(crate) fn neg_ln_clipped(p: u128) -> u128 {
	if p <= EPS_CLIP_SCALED {
		NEG_LN_EPS
	} else if p >= VALUE_SCALE - EPS_CLIP_SCALED {
		NEG_LN_ONE_MINUS_EPS
	} else {
		// 0 < p < 1: ln is negative; the magnitude is at most ~36e18.
		ln(p).map(|v| v.unsigned_abs()).unwrap_or(NEG_LN_EPS)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn u256_mul_and_div() {
		let a = u128::MAX;
		let p = U256::mul(a, a); // (2^128-1)^2 = 2^256 - 2^129 + 1
		assert_eq!(p.lo, 1);
		assert_eq!(p.hi, u128::MAX - 1);
		let (q, r) = U256 { hi: 1, lo: 5 }.div_rem_u64(2);
		assert_eq!(q, U256 { hi: 0, lo: (1u128 << 127) + 2 });
		assert_eq!(r, 1);
		assert_eq!(U256::mul(3, 7), U256::from_u128(21));
		assert!(U256 { hi: u128::MAX, lo: 0 }.checked_add(U256 { hi: 1, lo: 0 }).is_none());
		assert!(U256::from_u128(1).checked_sub(U256::from_u128(2)).is_none());
	}

	#[test]
	fn rounding_helpers() {
		assert_eq!(div_round(U256::from_u128(7), 2), Some(4));
		assert_eq!(div_round(U256::from_u128(5), 3), Some(2));
		assert_eq!(div_round(U256::from_u128(4), 3), Some(1));
		assert_eq!(div_round(U256::from_u128(4), 0), None);
		assert_eq!(div_round(U256 { hi: 1, lo: 0 }, 1), None);
		assert_eq!(div_round_u128(1, 3), Some(0));
		assert_eq!(div_round_u128(2, 3), Some(1));
		assert_eq!(div_round_u128(3, 2), Some(2));
		assert_eq!(isqrt_floor(U256::from_u128(0)), 0);
		assert_eq!(isqrt_floor(U256::from_u128(15)), 3);
		assert_eq!(isqrt_floor(U256::from_u128(16)), 4);
		assert_eq!(isqrt_floor(U256::mul(u128::MAX, u128::MAX)), u128::MAX);
		// sqrt(6.25) = 2.5 -> 3 (ties up); sqrt(6.24) -> 2; sqrt(12.25) = 3.5 -> 4.
		assert_eq!(sqrt_of_mean_round(U256::from_u128(625), 100), Some(3));
		assert_eq!(sqrt_of_mean_round(U256::from_u128(624), 100), Some(2));
		assert_eq!(sqrt_of_mean_round(U256::from_u128(1225), 100), Some(4));
		assert_eq!(sqrt_of_mean_round(U256::from_u128(1224), 100), Some(3));
		assert_eq!(sqrt_of_mean_round(U256::from_u128(9), 1), Some(3));
		assert_eq!(sqrt_of_mean_round(U256::from_u128(13), 1), Some(4)); // 3.605...
	}

	/// Reference values computed with Python's `decimal` at 60 digits: round(ln(x / 1e18) * 1e18).
	#[test]
	fn ln_matches_high_precision_reference() {
		for &(x, want) in REF {
			let got = ln(x).unwrap();
			assert!((got - want).abs() <= 1, "ln({x}) = {got}, want {want}");
		}
		assert_eq!(ln(0), None);
		assert_eq!(ln(VALUE_SCALE), Some(0));
		assert_eq!(ln(VALUE_SCALE / 2), Some(-693_147_180_559_945_309));
	}

	/// (x, round(ln(x/1e18)*1e18)) from Python decimal with 60 significant digits.
	const REF: &[(u128, i128)] = &include!("ln_reference.in");

	#[test]
	fn ln_is_monotone_near_one() {
		let mut prev = ln(VALUE_SCALE - 1000).unwrap();
		for x in (VALUE_SCALE - 999)..(VALUE_SCALE + 1000) {
			let v = ln(x).unwrap();
			assert!(v >= prev);
			prev = v;
		}
	}

	#[test]
	fn clipping() {
		assert_eq!(neg_ln_clipped(0), NEG_LN_EPS);
		assert_eq!(neg_ln_clipped(222), NEG_LN_EPS);
		assert!(neg_ln_clipped(223) < NEG_LN_EPS);
		assert_eq!(neg_ln_clipped(VALUE_SCALE), 222);
		assert_eq!(neg_ln_clipped(VALUE_SCALE - 222), 222);
		assert_eq!(neg_ln_clipped(VALUE_SCALE / 2), 693_147_180_559_945_309);
		// 52 ln 2 through the generic path agrees with the constant.
		let e52 = 52 * LN2_Q96;
		assert_eq!(q96_to_scaled(e52) as u128, NEG_LN_EPS);
	}
}
