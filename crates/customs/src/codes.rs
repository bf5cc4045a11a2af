//! Validated code newtypes: a value exists only if its list has it, so a document that
//! holds one cannot carry an unknown currency, unit or HS code.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::codelist::{self, CodeList, Entry};
use crate::country::InvalidCode;

macro_rules! code_newtype {
    ($(#[$doc:meta])* $name:ident, $list:path, $what:literal, $accept:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(&'static str);

        impl $name {
            pub fn parse(s: &str) -> Result<Self, InvalidCode> {
                let list: &'static CodeList = $list();
                let accept: fn(&Entry) -> bool = $accept;
                match list.get(s) {
                    Some(e) if accept(e) => Ok($name(e.code)),
                    _ => Err(InvalidCode { value: s.to_owned(), list: $what }),
                }
            }

            pub fn as_str(&self) -> &'static str {
                self.0
            }

            /// The list entry (names in English and Russian).
            pub fn entry(&self) -> &'static Entry {
                // Constructed only from an entry of this list.
                $list().get(self.0).expect("a parsed code is in its list")
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = InvalidCode;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $name::parse(s)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                $name::parse(&s).map_err(serde::de::Error::custom)
            }
        }
    };
}

code_newtype!(
    /// An active ISO 4217 currency code (`KZT`, `USD`).
    CurrencyCode,
    codelist::currencies,
    "an active ISO 4217 currency code",
    |_| true
);

code_newtype!(
    /// A six-digit HS 2022 subheading (`847130`): the level every member's tariff shares.
    HsCode,
    codelist::hs,
    "an HS 2022 subheading",
    |e| e.extra == "subheading"
);

code_newtype!(
    /// A current UN/ECE Rec 20 unit code (`KGM`, `H87`); codes Rec 20 has deleted, such as
    /// `PK`, are refused, as EN 16931's list does.
    UnitCode,
    codelist::units,
    "a current UN/ECE Rec 20 unit code",
    |e| e.extra == "current"
);

code_newtype!(
    /// A current UN/ECE Rec 21 package type (`BX`, `PK`).
    PackageType,
    codelist::package_types,
    "a current UN/ECE Rec 21 package type",
    |e| e.extra == "current"
);

code_newtype!(
    /// A UN/ECE Rec 19 transport mode (`1` maritime … `9`).
    TransportMode,
    codelist::transport_modes,
    "a UN/ECE Rec 19 transport mode (0-9)",
    |_| true
);

code_newtype!(
    /// An Incoterms 2020 rule (`FCA`, `DAP`).
    Incoterm,
    codelist::incoterms,
    "an Incoterms 2020 rule",
    |_| true
);

impl CurrencyCode {
    /// Digits after the decimal point; `None` where ISO 4217 says "not applicable".
    pub fn minor_units(&self) -> Option<u8> {
        self.entry().extra.parse().ok()
    }
}

impl HsCode {
    /// The four-digit heading.
    pub fn heading(&self) -> &'static str {
        &self.0[..4]
    }

    /// The two-digit chapter.
    pub fn chapter(&self) -> &'static str {
        &self.0[..2]
    }
}

impl Incoterm {
    /// Whether the rule is for sea and inland waterway transport only (FAS, FOB, CFR, CIF).
    pub fn sea_only(&self) -> bool {
        self.entry().extra == "sea"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_codes_parse_and_invalid_ones_say_why() {
        assert_eq!(
            CurrencyCode::parse("KZT").map(|c| c.minor_units()),
            Ok(Some(2))
        );
        assert_eq!(
            CurrencyCode::parse("XAU").map(|c| c.minor_units()),
            Ok(None)
        );
        let err = CurrencyCode::parse("kzt").expect_err("lower case");
        assert_eq!(
            err.to_string(),
            "\"kzt\" is not an active ISO 4217 currency code"
        );

        let hs = HsCode::parse("240411").expect("new in HS 2022");
        assert_eq!((hs.chapter(), hs.heading()), ("24", "2404"));
        for bad in ["2404", "24", "I", "999999", "84713", "8471300000"] {
            let err = HsCode::parse(bad).expect_err(bad);
            assert_eq!(
                err.to_string(),
                format!("{bad:?} is not an HS 2022 subheading")
            );
        }

        assert!(UnitCode::parse("H87").is_ok());
        assert!(UnitCode::parse("KGM").is_ok());
        assert!(
            UnitCode::parse("PK").is_err(),
            "PK (pack) was deleted from Rec 20"
        );
        assert!(UnitCode::parse("XX").is_err());
        assert!(PackageType::parse("BX").is_ok());
        assert!(TransportMode::parse("3").is_ok());
        assert!(TransportMode::parse("10").is_err());
        assert!(Incoterm::parse("FOB").is_ok_and(|i| i.sea_only()));
        assert!(Incoterm::parse("DAP").is_ok_and(|i| !i.sea_only()));
        assert!(Incoterm::parse("DAT").is_err(), "DAT is Incoterms 2010");
    }

    #[test]
    fn serde_round_trips_and_refuses_unknown_codes() {
        let c: CurrencyCode = serde_json::from_str("\"UZS\"").expect("valid");
        assert_eq!(serde_json::to_string(&c).expect("ser"), "\"UZS\"");
        let err = serde_json::from_str::<HsCode>("\"847199\"").expect_err("unknown");
        assert!(err.to_string().contains("HS 2022 subheading"), "{err}");
    }
}
