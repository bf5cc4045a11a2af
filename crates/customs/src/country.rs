//! ISO 3166-1 alpha-2 country codes.

use serde::{Deserialize, Deserializer, Serialize};

/// All 249 ISO 3166-1 alpha-2 codes, two characters each, in code order.
const ALPHA2: &str = include_str!("../data/iso3166-alpha2.txt");

/// A value that is not in its code list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not {list}")]
pub struct InvalidCode {
    pub value: String,
    /// Which list it was checked against, for the message.
    pub list: &'static str,
}

/// An ISO 3166-1 alpha-2 country code. Only assigned codes can be constructed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(into = "String")]
pub struct CountryCode([u8; 2]);

/// The eleven members of the CAREC Customs Cooperation Committee.
pub const CAREC_MEMBERS: [CountryCode; 11] = [
    CountryCode(*b"AF"),
    CountryCode(*b"AZ"),
    CountryCode(*b"CN"),
    CountryCode(*b"GE"),
    CountryCode(*b"KG"),
    CountryCode(*b"KZ"),
    CountryCode(*b"MN"),
    CountryCode(*b"PK"),
    CountryCode(*b"TJ"),
    CountryCode(*b"TM"),
    CountryCode(*b"UZ"),
];

impl CountryCode {
    /// Parses an upper-case alpha-2 code (`"KZ"`); lower case is refused so that stored
    /// and signed values have one spelling.
    pub fn parse(s: &str) -> Result<Self, InvalidCode> {
        let invalid = || InvalidCode {
            value: s.to_owned(),
            list: "an ISO 3166-1 alpha-2 country code",
        };
        let bytes: [u8; 2] = s.as_bytes().try_into().map_err(|_| invalid())?;
        let known = ALPHA2
            .as_bytes()
            .chunks_exact(2)
            .any(|code| code == bytes.as_slice());
        if known {
            Ok(CountryCode(bytes))
        } else {
            Err(invalid())
        }
    }

    pub fn as_str(&self) -> &str {
        // Only codes from ALPHA2, which is ASCII, are ever constructed.
        std::str::from_utf8(&self.0).expect("country codes are ASCII")
    }

    pub fn is_carec_member(&self) -> bool {
        CAREC_MEMBERS.contains(self)
    }

    /// Every assigned code, in code order.
    pub fn all() -> impl Iterator<Item = CountryCode> {
        ALPHA2
            .as_bytes()
            .chunks_exact(2)
            .map(|c| CountryCode([c[0], c[1]]))
    }
}

impl std::fmt::Display for CountryCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for CountryCode {
    type Err = InvalidCode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CountryCode::parse(s)
    }
}

impl From<CountryCode> for String {
    fn from(c: CountryCode) -> String {
        c.as_str().to_owned()
    }
}

impl<'de> Deserialize<'de> for CountryCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        CountryCode::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_complete_and_sorted() {
        let all: Vec<_> = CountryCode::all().collect();
        assert_eq!(all.len(), 249, "ISO 3166-1 has 249 entries");
        assert!(
            all.windows(2).all(|w| w[0] < w[1]),
            "sorted without repeats"
        );
    }

    #[test]
    fn members_are_valid_codes() {
        for m in CAREC_MEMBERS {
            assert_eq!(CountryCode::parse(m.as_str()), Ok(m));
            assert!(m.is_carec_member());
        }
        assert!(
            !CountryCode::parse("DE")
                .expect("assigned")
                .is_carec_member()
        );
    }

    #[test]
    fn unassigned_or_misspelt_codes_are_refused() {
        for bad in ["", "K", "kz", "KZZ", "XX", "ZZ", "К3"] {
            let err = CountryCode::parse(bad).expect_err(bad);
            assert_eq!(err.value, bad);
        }
    }

    #[test]
    fn deserialising_an_invalid_code_says_why() {
        let err = serde_json::from_str::<CountryCode>("\"XX\"").expect_err("XX is unassigned");
        assert!(err.to_string().contains("ISO 3166-1"), "{err}");
    }
}
