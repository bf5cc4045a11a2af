//! Money: a decimal value in a currency, never with more decimals than the currency has.

use serde::{Deserialize, Serialize};

use super::decimal::Decimal;
use crate::CurrencyCode;

/// A sum of money. The value has no more digits after the point than ISO 4217 gives the
/// currency (2 for USD and KZT, 0 for JPY); a currency without minor units (gold, funds)
/// takes any.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "AmountFields")]
pub struct Amount {
    value: Decimal,
    currency: CurrencyCode,
}

/// A value written with more decimals than its currency has.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value} has too many decimals for {currency}, which allows {allowed}")]
pub struct TooManyDecimals {
    pub value: Decimal,
    pub scale: u32,
    pub currency: CurrencyCode,
    pub allowed: u8,
}

/// Checks a value written in `currency`, for [`Amount`] and for the invoice's line values.
pub fn check_minor_units(value: &Decimal, currency: CurrencyCode) -> Result<(), TooManyDecimals> {
    match currency.minor_units() {
        Some(allowed) if value.scale() > u32::from(allowed) => Err(TooManyDecimals {
            value: value.clone(),
            scale: value.scale(),
            currency,
            allowed,
        }),
        _ => Ok(()),
    }
}

impl Amount {
    pub fn new(value: Decimal, currency: CurrencyCode) -> Result<Self, TooManyDecimals> {
        check_minor_units(&value, currency)?;
        Ok(Amount { value, currency })
    }

    pub fn value(&self) -> &Decimal {
        &self.value
    }

    pub fn currency(&self) -> CurrencyCode {
        self.currency
    }
}

impl std::fmt::Display for Amount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.value, self.currency)
    }
}

/// The serialised form, checked on the way in.
#[derive(Deserialize)]
struct AmountFields {
    value: Decimal,
    currency: CurrencyCode,
}

impl TryFrom<AmountFields> for Amount {
    type Error = TooManyDecimals;
    fn try_from(f: AmountFields) -> Result<Self, Self::Error> {
        Amount::new(f.value, f.currency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amount(value: &str, currency: &str) -> Result<Amount, TooManyDecimals> {
        Amount::new(
            Decimal::parse(value).expect(value),
            CurrencyCode::parse(currency).expect(currency),
        )
    }

    #[test]
    fn decimals_are_limited_by_the_currency() {
        assert!(amount("14050.00", "USD").is_ok());
        assert!(amount("14050", "USD").is_ok());
        assert!(amount("1500", "JPY").is_ok());
        assert!(amount("12.125", "BHD").is_ok(), "the dinar has 3");
        assert!(amount("1.123456", "XAU").is_ok(), "gold has no minor units");
        let err = amount("10.505", "USD").expect_err("3 decimals");
        assert_eq!(
            err.to_string(),
            "10.505 has too many decimals for USD, which allows 2"
        );
        let err = amount("1500.5", "JPY").expect_err("yen has none");
        assert_eq!(
            err.to_string(),
            "1500.5 has too many decimals for JPY, which allows 0"
        );
    }

    #[test]
    fn deserialising_checks_the_decimals_too() {
        let ok: Amount =
            serde_json::from_str(r#"{"value":"3840.00","currency":"USD"}"#).expect("valid");
        assert_eq!(ok.to_string(), "3840.00 USD");
        assert_eq!(
            serde_json::to_string(&ok).expect("ser"),
            r#"{"value":"3840.00","currency":"USD"}"#
        );
        let err = serde_json::from_str::<Amount>(r#"{"value":"1.001","currency":"USD"}"#)
            .expect_err("too many decimals");
        assert!(err.to_string().contains("USD, which allows 2"), "{err}");
    }
}
