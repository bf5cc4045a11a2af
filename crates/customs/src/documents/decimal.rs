//! Exact decimal numbers for money, quantities and weights. Floats cannot hold 0.1 and lose
//! cents when summed; a document's numbers are kept as the digits that were written and
//! compared or multiplied exactly.

use std::cmp::Ordering;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::InvalidCode;

/// At most this many digits in all. Products of two such numbers, and sums of many, fit a
/// `u128` with room to spare, so checking a document never overflows in practice.
const MAX_DIGITS: usize = 18;
/// At most this many digits after the point: prices and quantities need six at most.
const MAX_FRACTION_DIGITS: usize = 9;

/// A non-negative decimal number as written: `1250.50`, `0.125`, `7`. Digits, an optional
/// point followed by at least one digit; no sign, exponent, grouping or leading zeros
/// (except the single zero of `0.5`). Trailing zeros are kept (`10.50` stays `10.50`), so
/// equality (`==`) is of the spelling; [`Decimal::numeric_cmp`] compares values.
/// Serialised as a JSON string so no reader turns it into a float.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Decimal(String);

impl Decimal {
    pub fn parse(s: &str) -> Result<Self, InvalidCode> {
        let invalid = || InvalidCode {
            value: s.to_owned(),
            list: "a decimal number like 1250.50 (at most 18 digits, 9 after the point)",
        };
        let (int, frac) = match s.split_once('.') {
            Some((int, frac)) if !frac.is_empty() => (int, frac),
            Some(_) => return Err(invalid()),
            None => (s, ""),
        };
        let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
        let well_formed =
            !int.is_empty() && digits(int) && digits(frac) && (int == "0" || !int.starts_with('0'));
        if !well_formed || int.len() + frac.len() > MAX_DIGITS || frac.len() > MAX_FRACTION_DIGITS {
            return Err(invalid());
        }
        Ok(Decimal(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Digits after the point, as written (`10.50` has 2).
    pub fn scale(&self) -> u32 {
        self.0
            .split_once('.')
            .map_or(0, |(_, frac)| frac.len() as u32)
    }

    pub fn is_zero(&self) -> bool {
        self.0.bytes().all(|b| b == b'0' || b == b'.')
    }

    /// Compares values: `10.5` and `10.50` are equal.
    pub fn numeric_cmp(&self, other: &Decimal) -> Ordering {
        Exact::of(self).cmp(&Exact::of(other))
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for Decimal {
    type Err = InvalidCode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Decimal::parse(s)
    }
}

impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Decimal::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// An exact value `units / 10^scale`, for the arithmetic of validation. Operations that
/// could overflow are checked and give `None`, which a check reports rather than panics on.
#[derive(Debug, Clone, Copy)]
pub(super) struct Exact {
    units: u128,
    scale: u32,
}

impl Exact {
    pub(super) const ZERO: Exact = Exact { units: 0, scale: 0 };

    pub(super) fn of(d: &Decimal) -> Exact {
        // At most 18 digits (an invariant of `Decimal`), so `units` < 10^18: no overflow.
        let units =
            d.0.bytes()
                .filter(u8::is_ascii_digit)
                .fold(0u128, |acc, b| acc * 10 + u128::from(b - b'0'));
        Exact {
            units,
            scale: d.scale(),
        }
    }

    pub(super) fn from_integer(n: u64) -> Exact {
        Exact {
            units: u128::from(n),
            scale: 0,
        }
    }

    /// The same value written with `scale` digits after the point; `scale` must not be
    /// smaller than the current one.
    fn rescaled(self, scale: u32) -> Option<Exact> {
        let factor = 10u128.checked_pow(scale.checked_sub(self.scale)?)?;
        Some(Exact {
            units: self.units.checked_mul(factor)?,
            scale,
        })
    }

    pub(super) fn checked_add(self, other: Exact) -> Option<Exact> {
        let scale = self.scale.max(other.scale);
        let (a, b) = (self.rescaled(scale)?, other.rescaled(scale)?);
        Some(Exact {
            units: a.units.checked_add(b.units)?,
            scale,
        })
    }

    pub(super) fn checked_mul(self, other: Exact) -> Option<Exact> {
        Some(Exact {
            units: self.units.checked_mul(other.units)?,
            scale: self.scale.checked_add(other.scale)?,
        })
    }

    /// Rounded half away from zero (commercial rounding) to at most `scale` digits after the
    /// point; a value with fewer digits is returned as it is.
    pub(super) fn rounded(self, scale: u32) -> Exact {
        if self.scale <= scale {
            return self;
        }
        let Some(factor) = 10u128.checked_pow(self.scale - scale) else {
            // 10^39 and more exceed every `units`, so the value rounds to zero.
            return Exact { units: 0, scale };
        };
        let (quotient, remainder) = (self.units / factor, self.units % factor);
        // `factor` is a power of ten, so even.
        let up = remainder >= factor / 2;
        Exact {
            units: quotient + u128::from(up),
            scale,
        }
    }
}

impl PartialEq for Exact {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Exact {}

impl PartialOrd for Exact {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Exact {
    fn cmp(&self, other: &Self) -> Ordering {
        // Bring the one with fewer fraction digits to the other's scale. If that overflows,
        // its value is at least 2^128 / 10^scale, more than the other can hold.
        match self.scale.cmp(&other.scale) {
            Ordering::Equal => self.units.cmp(&other.units),
            Ordering::Less => self
                .rescaled(other.scale)
                .map_or(Ordering::Greater, |a| a.units.cmp(&other.units)),
            Ordering::Greater => other
                .rescaled(self.scale)
                .map_or(Ordering::Less, |b| self.units.cmp(&b.units)),
        }
    }
}

impl fmt::Display for Exact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.units.to_string();
        let scale = self.scale as usize;
        if scale == 0 {
            return f.write_str(&digits);
        }
        let padded = format!("{digits:0>width$}", width = scale + 1);
        let (int, frac) = padded.split_at(padded.len() - scale);
        write!(f, "{int}.{frac}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::parse(s).expect(s)
    }

    #[test]
    fn only_plain_non_negative_decimals_parse() {
        for good in ["0", "7", "0.5", "10.50", "1250.125", "123456789.123456789"] {
            assert_eq!(d(good).as_str(), good);
        }
        for bad in [
            "",
            ".",
            "1.",
            ".5",
            "-1",
            "+1",
            "1e3",
            "1,5",
            "1 000",
            "01",
            "00.5",
            "0x10",
            "NaN",
            "１",
            "1234567890.123456789",
            "0.1234567891",
        ] {
            let err = Decimal::parse(bad).expect_err(bad);
            assert_eq!(err.value, bad);
        }
    }

    #[test]
    fn values_compare_and_multiply_exactly() {
        assert_eq!(d("10.5").numeric_cmp(&d("10.50")), Ordering::Equal);
        assert_ne!(d("10.5"), d("10.50"), "equality is of the spelling");
        assert_eq!(d("9.99").numeric_cmp(&d("10")), Ordering::Less);
        assert_eq!(d("0.1").numeric_cmp(&d("0.09")), Ordering::Greater);
        assert!(d("0.000").is_zero() && !d("0.001").is_zero());

        let product = Exact::of(&d("0.1"))
            .checked_mul(Exact::of(&d("3")))
            .expect("small");
        assert_eq!(product, Exact::of(&d("0.3")), "no float error");
        assert_eq!(product.to_string(), "0.3");
        let sum = Exact::of(&d("0.1"))
            .checked_add(Exact::of(&d("0.2")))
            .expect("small");
        assert_eq!(sum, Exact::of(&d("0.3")));
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        let r = |s: &str, scale| Exact::of(&d(s)).rounded(scale).to_string();
        assert_eq!(r("0.125", 2), "0.13");
        assert_eq!(r("0.124", 2), "0.12");
        assert_eq!(r("2.5", 0), "3");
        assert_eq!(r("0.005", 2), "0.01");
        assert_eq!(r("0.0049", 2), "0.00");
        assert_eq!(r("7.1", 2), "7.1", "fewer digits are left alone");
    }

    #[test]
    fn the_largest_values_never_overflow_a_comparison() {
        let max = Exact::of(&d("999999999999999999"));
        let square = max.checked_mul(max).expect("fits in u128");
        let tiny = Exact::of(&d("0.000000001"));
        assert!(square > tiny);
        assert_eq!(tiny.cmp(&square), Ordering::Less);
        let cube = square.checked_mul(max);
        assert!(cube.is_none(), "10^54 does not fit and says so");
        assert_eq!(square.rounded(0), square);
        let deep = square.checked_mul(tiny).expect("fits");
        assert_eq!(deep.rounded(0).to_string(), "999999999999999998000000000");
    }

    #[test]
    fn json_is_a_string_never_a_number() {
        let v: Decimal = serde_json::from_str("\"12.30\"").expect("string");
        assert_eq!(serde_json::to_string(&v).expect("ser"), "\"12.30\"");
        assert!(serde_json::from_str::<Decimal>("12.3").is_err());
    }
}
