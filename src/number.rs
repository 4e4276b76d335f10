//! Exact rational numbers, fast where they are small.
//!
//! Quantities are decided exactly (a plot ratio of exactly 1.0 passes
//! `≥ 1.0`, 1 公顷 is exactly 15 亩). Almost every value of a submission is a
//! short decimal, so a number is a reduced fraction of two `i128`s, and only
//! falls back to arbitrary precision when an operation would overflow. The
//! representation is canonical (a value that fits is always `Small`), so
//! equality and hashing are structural.

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};
use std::cmp::Ordering;
use std::fmt;

/// An exact rational number.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Number(Repr);

#[derive(Clone, PartialEq, Eq, Hash)]
enum Repr {
    /// `num / den`, reduced, `den > 0`.
    Small(i128, i128),
    /// A value whose reduced numerator or denominator does not fit an `i128`.
    Big(BigRational),
}

/// Written exactly, as `numerator/denominator` in decimal.
impl serde::Serialize for Number {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.to_big();
        s.serialize_str(&format!("{}/{}", r.numer(), r.denom()))
    }
}

impl<'de> serde::Deserialize<'de> for Number {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let text = String::deserialize(d)?;
        let (n, m) = text
            .split_once('/')
            .ok_or_else(|| D::Error::custom("a number is written n/d"))?;
        // Almost every number of a pack fits 128 bits: no big integers to
        // parse when a pre-checked pack is loaded (cold start, issue 15).
        if let (Ok(n), Ok(m)) = (n.parse::<i128>(), m.parse::<i128>()) {
            if let Some(small) = Number::small(n, m) {
                return Ok(small);
            }
        }
        let n: BigInt = n.parse().map_err(D::Error::custom)?;
        let m: BigInt = m.parse().map_err(D::Error::custom)?;
        if m.is_zero() {
            return Err(D::Error::custom("a zero denominator"));
        }
        Ok(Number::from_big(BigRational::new(n, m)))
    }
}

fn gcd(a: u128, b: u128) -> u128 {
    use num_integer::Integer;
    // A unit's scale or an integer's denominator is often 1.
    if a == 1 || b == 1 {
        return 1;
    }
    // Submitted values are short decimals: their parts almost always fit 64 bits.
    match (u64::try_from(a), u64::try_from(b)) {
        (Ok(x), Ok(y)) => u128::from(x.gcd(&y)),
        _ => a.gcd(&b),
    }
}

/// `a / g` for a positive divisor `g` of `a`: nothing to do for 1, and in
/// 64 bits where both fit (a 128-bit division is a slow library call).
#[inline]
fn div_exact(a: i128, g: i128) -> i128 {
    if g == 1 {
        return a;
    }
    match (i64::try_from(a), i64::try_from(g)) {
        (Ok(x), Ok(y)) if y > 0 => i128::from(x / y),
        _ => a / g,
    }
}

impl Number {
    /// `num / den` reduced, or `None` when it does not fit (or `den` is zero).
    fn small(num: i128, den: i128) -> Option<Number> {
        if den == 0 || num == i128::MIN || den == i128::MIN {
            return None;
        }
        // An integer is reduced as it is (and most submitted values are).
        if den == 1 {
            return Some(Number(Repr::Small(num, 1)));
        }
        let g = gcd(num.unsigned_abs(), den.unsigned_abs());
        let g = i128::try_from(g).ok()?;
        let (mut n, mut d) = (div_exact(num, g), div_exact(den, g));
        if d < 0 {
            n = -n;
            d = -d;
        }
        Some(Number(Repr::Small(n, d)))
    }

    fn from_big(r: BigRational) -> Number {
        match (r.numer().to_i128(), r.denom().to_i128()) {
            (Some(n), Some(d)) => Number::small(n, d).unwrap_or(Number(Repr::Big(r))),
            _ => Number(Repr::Big(r)),
        }
    }

    fn to_big(&self) -> BigRational {
        match &self.0 {
            Repr::Small(n, d) => BigRational::new_raw(BigInt::from(*n), BigInt::from(*d)),
            Repr::Big(r) => r.clone(),
        }
    }

    /// Zero.
    pub fn zero() -> Self {
        Number(Repr::Small(0, 1))
    }
    /// One.
    pub fn one() -> Self {
        Number(Repr::Small(1, 1))
    }
    /// An integer.
    pub fn int(n: i64) -> Self {
        Number(Repr::Small(i128::from(n), 1))
    }
    /// `num / den`; `None` when `den` is zero.
    pub fn ratio(num: i64, den: i64) -> Option<Self> {
        Number::small(i128::from(num), i128::from(den))
    }

    /// Parses a decimal such as `-12.5`, `0.92` or `1e5` exactly.
    pub fn parse(text: &str) -> Option<Self> {
        Number::parse_short_decimal(text).or_else(|| Number::parse_long(text))
    }

    /// Any decimal [`Number::parse`] reads, exponent, spaces and all.
    fn parse_long(text: &str) -> Option<Self> {
        let text = text.trim();
        let (mantissa, exponent) = match text.find(['e', 'E']) {
            Some(i) => (text.get(..i)?, text.get(i + 1..)?.parse::<i32>().ok()?),
            None => (text, 0),
        };
        // Bound the exponent so that absurd inputs cannot allocate huge integers.
        if exponent.abs() > 400 {
            return None;
        }
        let (negative, digits) = match mantissa.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, mantissa.strip_prefix('+').unwrap_or(mantissa)),
        };
        let (int_part, frac_part) = digits.split_once('.').unwrap_or((digits, ""));
        if (int_part.is_empty() && frac_part.is_empty()) || int_part.len() + frac_part.len() > 60 {
            return None;
        }
        if !int_part.bytes().all(|b| b.is_ascii_digit())
            || !frac_part.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let scale = exponent - i32::try_from(frac_part.len()).ok()?;
        // The fast path: up to 36 digits and a small scale fit an i128.
        if int_part.len() + frac_part.len() <= 36 && (-36..=0).contains(&scale) {
            let mut n: i128 = 0;
            for b in int_part.bytes().chain(frac_part.bytes()) {
                n = n * 10 + i128::from(b - b'0');
            }
            if negative {
                n = -n;
            }
            return Number::small(n, 10i128.pow(scale.unsigned_abs()));
        }
        let all = format!("{int_part}{frac_part}");
        let mut num: BigInt = if all.is_empty() {
            BigInt::zero()
        } else {
            all.parse().ok()?
        };
        if negative {
            num = -num;
        }
        let ten = BigInt::from(10);
        let value = if scale >= 0 {
            BigRational::from_integer(num * num_traits::pow(ten, scale.unsigned_abs() as usize))
        } else {
            BigRational::new(num, num_traits::pow(ten, scale.unsigned_abs() as usize))
        };
        Some(Number::from_big(value))
    }

    /// The usual number of a submission in one pass: an optional `-`, up to
    /// 18 characters of digits and at most one `.`, nothing else (`None`
    /// for anything else, which [`Number::parse`] reads the long way).
    #[inline]
    fn parse_short_decimal(text: &str) -> Option<Self> {
        let bytes = text.as_bytes();
        let (negative, digits) = match bytes.split_first() {
            Some((b'-', rest)) => (true, rest),
            _ => (false, bytes),
        };
        if digits.is_empty() || digits.len() > 18 {
            return None;
        }
        let mut n: i64 = 0;
        let mut seen_digit = false;
        let mut frac_digits: Option<u32> = None;
        for &b in digits {
            match b {
                b'0'..=b'9' => {
                    n = n * 10 + i64::from(b - b'0');
                    seen_digit = true;
                    if let Some(f) = frac_digits.as_mut() {
                        *f += 1;
                    }
                }
                b'.' if frac_digits.is_none() => frac_digits = Some(0),
                _ => return None,
            }
        }
        if !seen_digit {
            return None;
        }
        let n = i128::from(if negative { -n } else { n });
        match frac_digits {
            None | Some(0) => Some(Number(Repr::Small(n, 1))),
            Some(f) => Number::small(n, 10i128.pow(f)),
        }
    }

    /// Whether below zero.
    pub fn is_negative(&self) -> bool {
        match &self.0 {
            Repr::Small(n, _) => *n < 0,
            Repr::Big(r) => r.is_negative(),
        }
    }
    /// Whether zero.
    pub fn is_zero(&self) -> bool {
        matches!(self.0, Repr::Small(0, _))
    }
    /// Absolute value.
    pub fn abs(&self) -> Self {
        match &self.0 {
            Repr::Small(n, d) => Number(Repr::Small(n.abs(), *d)),
            Repr::Big(r) => Number::from_big(r.abs()),
        }
    }
    /// `self / other`; `None` for division by zero.
    pub fn checked_div(&self, other: &Number) -> Option<Number> {
        if other.is_zero() {
            return None;
        }
        if let (Repr::Small(a, b), Repr::Small(c, d)) = (&self.0, &other.0) {
            if let Some(n) = mul_small(*a, *b, *d, *c) {
                return Some(n);
            }
        }
        Some(Number::from_big(self.to_big() / other.to_big()))
    }
    /// Integer power.
    pub fn pow(&self, exp: u32) -> Number {
        let mut out = Number::one();
        for _ in 0..exp {
            out = &out * self;
        }
        out
    }
    /// Nearest `f64`, for display and JSON output only.
    pub fn to_f64(&self) -> f64 {
        match &self.0 {
            Repr::Small(n, d) => *n as f64 / *d as f64,
            Repr::Big(r) => r.to_f64().unwrap_or(f64::NAN),
        }
    }
    /// The value as an integer, if it is one.
    pub fn to_i64(&self) -> Option<i64> {
        match &self.0 {
            Repr::Small(n, 1) => i64::try_from(*n).ok(),
            _ => None,
        }
    }
    /// Formats with at most `max_decimals` decimals (rounded half away from
    /// zero), trailing zeros removed.
    pub fn format(&self, max_decimals: usize) -> String {
        let digits = u32::try_from(max_decimals.min(30)).unwrap_or(30);
        if let Repr::Small(n, d) = &self.0 {
            // Shown values are small: in 64 bits where they fit (a 128-bit
            // division is a slow library call).
            if let (Ok(num), Ok(den), Some(scale)) = (
                u64::try_from(n.unsigned_abs()),
                u64::try_from(d.unsigned_abs()),
                10u64.checked_pow(digits),
            ) {
                if let Some(scaled) = num.checked_mul(scale).and_then(|x| x.checked_add(den / 2)) {
                    let q = scaled / den;
                    return render(
                        n.is_negative(),
                        u128::from(q / scale),
                        u128::from(q % scale),
                        digits,
                    );
                }
            }
            let scale = 10u128.pow(digits);
            let (num, den) = (n.unsigned_abs(), d.unsigned_abs());
            if let Some(scaled) = num.checked_mul(scale).and_then(|x| x.checked_add(den / 2)) {
                let q = scaled / den;
                // Exact halves round up: (2·num·scale + den) / (2·den) is the same rounding.
                return render(n.is_negative(), q / scale, q % scale, digits);
            }
        }
        let r = self.to_big();
        let neg = r.is_negative();
        let scale = num_traits::pow(BigInt::from(10), digits as usize);
        let half = BigRational::new(BigInt::one(), BigInt::from(2));
        let scaled = (r.abs() * BigRational::from_integer(scale.clone()) + half)
            .floor()
            .to_integer();
        let int = (&scaled / &scale).to_u128().unwrap_or(u128::MAX);
        let frac = (&scaled % &scale).to_u128().unwrap_or(0);
        render(neg, int, frac, digits)
    }
    /// Whether the value has at most `decimals` decimal digits.
    pub fn fits_decimals(&self, decimals: usize) -> bool {
        // A reduced fraction has at most `decimals` decimals exactly when its
        // denominator divides 10^decimals: only 2s and 5s, each at most
        // `decimals` times.
        if let Repr::Small(_, d) = &self.0 {
            let d = d.unsigned_abs();
            let twos = d.trailing_zeros() as usize;
            let mut rest = d >> twos;
            let mut fives = 0usize;
            while rest > 1 && rest.is_multiple_of(5) {
                rest /= 5;
                fives += 1;
            }
            return rest == 1 && twos.max(fives) <= decimals;
        }
        let scale = Number::int(10).pow(u32::try_from(decimals).unwrap_or(u32::MAX).min(40));
        match (self * &scale).0 {
            Repr::Small(_, d) => d == 1,
            Repr::Big(r) => r.is_integer(),
        }
    }
}

fn render(negative: bool, int: u128, frac: u128, digits: u32) -> String {
    let mut s = int.to_string();
    if digits > 0 && frac != 0 {
        let f = format!("{:0>width$}", frac, width = digits as usize);
        s.push('.');
        s.push_str(f.trim_end_matches('0'));
    }
    if negative && (int != 0 || frac != 0) {
        s.insert(0, '-');
    }
    s
}

/// `(a/b)·(c/d)` with cross-reduction, if it fits.
fn mul_small(a: i128, b: i128, c: i128, d: i128) -> Option<Number> {
    if b == 1 && d == 1 {
        return Some(Number(Repr::Small(a.checked_mul(c)?, 1)));
    }
    let g1 = i128::try_from(gcd(a.unsigned_abs(), d.unsigned_abs()))
        .ok()?
        .max(1);
    let g2 = i128::try_from(gcd(c.unsigned_abs(), b.unsigned_abs()))
        .ok()?
        .max(1);
    let n = div_exact(a, g1).checked_mul(div_exact(c, g2))?;
    let m = div_exact(b, g2).checked_mul(div_exact(d, g1))?;
    // Reduced fractions, cross-reduced: the product is in lowest terms
    // already (no third gcd); only a divisor's sign may sit below.
    let (n, m) = if m < 0 {
        (n.checked_neg()?, m.checked_neg()?)
    } else {
        (n, m)
    };
    if n == i128::MIN || m == 0 {
        return None;
    }
    Some(Number(Repr::Small(n, m)))
}

/// `a/b + c/d`, if it fits.
fn add_small(a: i128, b: i128, c: i128, d: i128) -> Option<Number> {
    if b == d {
        return Number::small(a.checked_add(c)?, b);
    }
    let g = i128::try_from(gcd(b.unsigned_abs(), d.unsigned_abs()))
        .ok()?
        .max(1);
    let n = a
        .checked_mul(div_exact(d, g))?
        .checked_add(c.checked_mul(div_exact(b, g))?)?;
    let m = div_exact(b, g).checked_mul(d)?;
    Number::small(n, m)
}

impl std::ops::Add for &Number {
    type Output = Number;
    fn add(self, rhs: &Number) -> Number {
        if let (Repr::Small(a, b), Repr::Small(c, d)) = (&self.0, &rhs.0) {
            if let Some(n) = add_small(*a, *b, *c, *d) {
                return n;
            }
        }
        Number::from_big(self.to_big() + rhs.to_big())
    }
}
impl std::ops::Sub for &Number {
    type Output = Number;
    fn sub(self, rhs: &Number) -> Number {
        self + &(-rhs)
    }
}
impl std::ops::Mul for &Number {
    type Output = Number;
    fn mul(self, rhs: &Number) -> Number {
        if let (Repr::Small(a, b), Repr::Small(c, d)) = (&self.0, &rhs.0) {
            if let Some(n) = mul_small(*a, *b, *c, *d) {
                return n;
            }
        }
        Number::from_big(self.to_big() * rhs.to_big())
    }
}
impl std::ops::Neg for &Number {
    type Output = Number;
    fn neg(self) -> Number {
        match &self.0 {
            // `n` is never i128::MIN, so the negation fits.
            Repr::Small(n, d) => Number(Repr::Small(-n, *d)),
            Repr::Big(r) => Number::from_big(-r),
        }
    }
}

impl Ord for Number {
    fn cmp(&self, other: &Self) -> Ordering {
        if let (Repr::Small(a, b), Repr::Small(c, d)) = (&self.0, &other.0) {
            if b == d {
                return a.cmp(c);
            }
            if let (Some(x), Some(y)) = (a.checked_mul(*d), c.checked_mul(*b)) {
                return x.cmp(&y);
            }
        }
        self.to_big().cmp(&other.to_big())
    }
}
impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Number {
    /// Exact when it fits four decimals, else rounded to four.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format(4))
    }
}

impl fmt::Debug for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Small(n, 1) => write!(f, "{n}"),
            Repr::Small(n, d) => write!(f, "{n}/{d}"),
            Repr::Big(r) => write!(f, "{r}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn n(s: &str) -> Number {
        Number::parse(s).expect("number")
    }

    #[test]
    fn small_and_big_agree_across_overflow() {
        let big = n("123456789012345678901234567890");
        let sum = &big + &big;
        assert_eq!(sum, n("246913578024691357802469135780"));
        let q = sum.checked_div(&big).expect("nonzero");
        assert_eq!(q, Number::int(2), "a result that fits is small again");
        assert!(n("1e40") > n("9.99e39"));
        assert_eq!(n("1e-40").format(2), "0");
    }

    #[test]
    fn written_and_read_back_exactly() {
        for text in [
            "0",
            "-2.005",
            "1e40",
            "123456789012345678901234567890.5",
            "1e-40",
            "0.6667",
        ] {
            let x = n(text);
            let json = serde_json::to_string(&x).expect("written");
            let back: Number = serde_json::from_str(&json).expect("read back");
            assert_eq!(back, x, "{text}");
        }
        let third: Number = serde_json::from_str("\"2/6\"").expect("read");
        assert_eq!(
            third,
            Number::ratio(1, 3).expect("ratio"),
            "reduced when read"
        );
        assert!(serde_json::from_str::<Number>("\"1/0\"").is_err());
    }

    #[test]
    fn rounding_and_formatting() {
        assert_eq!(n("2.005").format(2), "2.01");
        assert_eq!(n("-2.005").format(2), "-2.01");
        assert_eq!(n("0.125").format(2), "0.13");
        assert_eq!(Number::ratio(2, 3).expect("ratio").format(4), "0.6667");
        assert!(n("0.792").fits_decimals(3));
        assert!(!n("0.792").fits_decimals(2));
    }

    fn big(x: &Number) -> BigRational {
        x.to_big()
    }

    proptest! {
        #[test]
        fn decimals_and_formatting_agree_with_arbitrary_precision(a in -1_000_000_000_000i64..1_000_000_000_000, b in 1i64..100_000_000, d in 0usize..8) {
            let x = Number::ratio(a, b).expect("ratio");
            let scaled = big(&x) * BigRational::from_integer(num_traits::pow(BigInt::from(10), d));
            prop_assert_eq!(x.fits_decimals(d), scaled.is_integer());
            let big_form = Number(Repr::Big(big(&x)));
            prop_assert_eq!(x.format(d), big_form.format(d));
        }

        #[test]
        fn short_decimals_read_as_the_long_way_does(text in "[-+ ]?[0-9]{0,20}[.]?[0-9]{0,20}[eE]?[0-9]{0,2}") {
            if let Some(fast) = Number::parse_short_decimal(&text) {
                prop_assert_eq!(Some(fast), Number::parse_long(&text));
            }
            prop_assert_eq!(Number::parse(&text), Number::parse_long(&text));
        }

        #[test]
        fn arithmetic_matches_arbitrary_precision(a in -1_000_000_000_000i64..1_000_000_000_000, b in 1i64..1_000_000, c in -1_000_000_000_000i64..1_000_000_000_000, d in 1i64..1_000_000) {
            let x = Number::ratio(a, b).expect("ratio");
            let y = Number::ratio(c, d).expect("ratio");
            prop_assert_eq!(big(&(&x + &y)), big(&x) + big(&y));
            prop_assert_eq!(big(&(&x - &y)), big(&x) - big(&y));
            prop_assert_eq!(big(&(&x * &y)), big(&x) * big(&y));
            if !y.is_zero() {
                prop_assert_eq!(big(&x.checked_div(&y).expect("nonzero")), big(&x) / big(&y));
            }
            prop_assert_eq!(x.cmp(&y), big(&x).cmp(&big(&y)));
            let p = x.pow(5);
            prop_assert_eq!(big(&p), num_traits::pow(big(&x), 5));
        }
    }

    /// A number built from any integers, near the edges of `i128` too.
    fn arb_number() -> impl proptest::strategy::Strategy<Value = (BigInt, BigInt)> {
        use proptest::prelude::*;
        let part = prop_oneof![
            any::<i64>().prop_map(BigInt::from),
            any::<i128>().prop_map(BigInt::from),
            (any::<i128>(), any::<i64>()).prop_map(|(a, b)| BigInt::from(a) * BigInt::from(b)),
            (-1000i64..1000).prop_map(BigInt::from),
        ];
        (
            part.clone(),
            part.prop_filter("a denominator", |d| !d.is_zero()),
        )
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// The small-fraction path against plain `BigRational` arithmetic:
        /// same values, and a value that fits is always held small.
        #[test]
        fn small_and_big_paths_agree(a in arb_number(), b in arb_number()) {
            let ra = BigRational::new(a.0, a.1);
            let rb = BigRational::new(b.0, b.1);
            let na = Number::from_big(ra.clone());
            let nb = Number::from_big(rb.clone());
            // Small means reduced, with a positive denominator (equality
            // and hashing compare the parts).
            let canonical = |n: &Number| match &n.0 {
                Repr::Small(n, d) => *d > 0 && gcd(n.unsigned_abs(), d.unsigned_abs()) == 1,
                Repr::Big(r) => r.numer().to_i128().is_none() || r.denom().to_i128().is_none(),
            };
            for (got, want) in [
                (&na + &nb, &ra + &rb),
                (&na - &nb, &ra - &rb),
                (&na * &nb, &ra * &rb),
                (-&na, -ra.clone()),
            ] {
                proptest::prop_assert_eq!(got.to_big(), want);
                proptest::prop_assert!(canonical(&got));
            }
            if !rb.is_zero() {
                let q = na.checked_div(&nb).expect("a quotient");
                proptest::prop_assert_eq!(q.to_big(), &ra / &rb);
                proptest::prop_assert!(canonical(&q));
            }
            proptest::prop_assert_eq!(na.cmp(&nb), ra.cmp(&rb));
            proptest::prop_assert_eq!(na == nb, ra == rb);
        }
    }
}
