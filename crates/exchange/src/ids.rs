//! The validated names an envelope carries: document types, key ids, recipients, and the
//! peer a TLS handshake proved.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};
use sis_customs::CountryCode;

/// A document type (`letter`, `carrier-event`, `risk-alert`): 1 to 64 of `a-z`, `0-9`
/// and `-`, starting with a letter, so it can name a policy table key and a file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(into = "String")]
pub struct DocType(String);

/// A name that is not a valid [`DocType`] or [`KeyId`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not {what}")]
pub struct InvalidName {
    pub value: String,
    pub what: &'static str,
}

impl DocType {
    pub fn parse(s: &str) -> Result<Self, InvalidName> {
        let ok = (1..=64).contains(&s.len())
            && s.starts_with(|c: char| c.is_ascii_lowercase())
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if ok {
            Ok(DocType(s.to_owned()))
        } else {
            Err(InvalidName {
                value: s.to_owned(),
                what: "a document type (a-z, 0-9 and -, starting with a letter, up to 64)",
            })
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A key id from the trust list: 1 to 128 printable ASCII characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(into = "String")]
pub struct KeyId(String);

impl KeyId {
    pub fn parse(s: &str) -> Result<Self, InvalidName> {
        if (1..=128).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_graphic()) {
            Ok(KeyId(s.to_owned()))
        } else {
            Err(InvalidName {
                value: s.to_owned(),
                what: "a key id (1 to 128 printable ASCII characters)",
            })
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

macro_rules! string_newtype {
    ($t:ty) => {
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl From<$t> for String {
            fn from(v: $t) -> String {
                v.0
            }
        }
        impl std::str::FromStr for $t {
            type Err = InvalidName;
            fn from_str(s: &str) -> Result<Self, InvalidName> {
                <$t>::parse(s)
            }
        }
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                <$t>::parse(&s).map_err(serde::de::Error::custom)
            }
        }
    };
}
string_newtype!(DocType);
string_newtype!(KeyId);

/// Who an envelope is for: named members, or every member (`["*"]` on the wire).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Recipients {
    /// Broadcast: every member of the trust list.
    All,
    /// These countries, at least one, none twice.
    Countries(Vec<CountryCode>),
}

impl Recipients {
    pub fn includes(&self, country: CountryCode) -> bool {
        match self {
            Recipients::All => true,
            Recipients::Countries(list) => list.contains(&country),
        }
    }

    /// The `to` array as it is written.
    pub fn to_strings(&self) -> Vec<String> {
        match self {
            Recipients::All => vec!["*".to_owned()],
            Recipients::Countries(list) => list.iter().map(|c| c.to_string()).collect(),
        }
    }

    /// Reads the `to` array; the reason names what is wrong with it.
    pub(crate) fn from_strings<'a>(
        items: impl IntoIterator<Item = &'a str>,
    ) -> Result<Recipients, String> {
        let items: Vec<&str> = items.into_iter().collect();
        if items == ["*"] {
            return Ok(Recipients::All);
        }
        if items.is_empty() {
            return Err("must name at least one recipient".into());
        }
        let mut list = Vec::with_capacity(items.len());
        for item in items {
            if item == "*" {
                return Err("`*` must be the only entry".into());
            }
            let c = CountryCode::parse(item).map_err(|e| e.to_string())?;
            if list.contains(&c) {
                return Err(format!("names {c} twice"));
            }
            list.push(c);
        }
        Ok(Recipients::Countries(list))
    }
}

/// The country a peer's TLS client certificate proved, verified against its member's CA
/// in the trust list. Only the node's TLS layer should construct one: everything the
/// inbox trusts about the sender starts here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Peer(pub CountryCode);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_types_are_lower_kebab() {
        for ok in ["letter", "carrier-event", "risk-alert", "a1"] {
            DocType::parse(ok).expect(ok);
        }
        for bad in [
            "",
            "Letter",
            "1letter",
            "risk_alert",
            "a/b",
            &"x".repeat(65),
        ] {
            DocType::parse(bad).expect_err(bad);
        }
    }

    #[test]
    fn recipients_read_as_the_protocol_writes_them() {
        assert_eq!(Recipients::from_strings(["*"]), Ok(Recipients::All));
        let two = Recipients::from_strings(["KZ", "UZ"]).unwrap();
        assert!(two.includes(CountryCode::parse("UZ").unwrap()));
        assert!(!two.includes(CountryCode::parse("KG").unwrap()));
        assert_eq!(two.to_strings(), ["KZ", "UZ"]);
        for bad in [&[][..], &["*", "KZ"], &["KZ", "KZ"], &["kz"], &["XX"]] {
            Recipients::from_strings(bad.iter().copied()).expect_err(&format!("{bad:?}"));
        }
    }
}
