//! Files attached to official letters, named by their SHA-256 so the receiver can prove it
//! holds the very file that was sent.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::validate::{Check, Checker, Text};
use crate::InvalidCode;

/// An attached file. The bytes travel beside the document; the document holds what
/// identifies them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Attachment {
    /// A file name without a directory: `invoice-1187.pdf`.
    pub name: String,
    /// The IANA media type: `application/pdf`.
    pub media_type: String,
    pub sha256: Sha256Digest,
    pub size_bytes: u64,
}

/// A SHA-256 digest, written as 64 lower-case hexadecimal digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sha256Digest([u8; 32]);

impl Sha256Digest {
    pub fn parse(s: &str) -> Result<Self, InvalidCode> {
        let invalid = || InvalidCode {
            value: s.to_owned(),
            list: "a SHA-256 digest in 64 lower-case hexadecimal digits",
        };
        let bytes = super::hex::decode(s.as_bytes()).ok_or_else(invalid)?;
        Ok(Sha256Digest(bytes))
    }

    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Sha256Digest(bytes)
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl std::fmt::Display for Sha256Digest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl std::str::FromStr for Sha256Digest {
    type Err = InvalidCode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Sha256Digest::parse(s)
    }
}

impl Serialize for Sha256Digest {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Sha256Digest {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Sha256Digest::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// `type/subtype`, each part an RFC 6838 restricted name: a letter or digit, then up to
/// 126 of letters, digits and `!#$&-^_.+`.
fn is_media_type(s: &str) -> bool {
    let name = |part: &str| {
        let mut bytes = part.bytes();
        bytes.next().is_some_and(|b| b.is_ascii_alphanumeric())
            && part.len() <= 127
            && bytes.all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b))
    };
    s.split_once('/')
        .is_some_and(|(kind, subtype)| name(kind) && name(subtype))
}

impl Check for Attachment {
    fn check(&self, c: &mut Checker) {
        c.at("name", |c| {
            c.check_text(&self.name, Text::Line);
            if self.name.contains(['/', '\\']) || matches!(self.name.as_str(), "." | "..") {
                c.report("must be a file name without a directory");
            }
        });
        if !is_media_type(&self.media_type) {
            c.report_at(
                "media_type",
                format!(
                    "{:?} is not a media type like application/pdf",
                    self.media_type
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_are_64_lower_case_hex_digits() {
        let hex = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        let d = Sha256Digest::parse(hex).expect("the digest of nothing");
        assert_eq!(d.to_string(), hex);
        assert_eq!(d.as_bytes()[0], 0xe3);
        for bad in [
            &hex[1..],
            &hex.to_uppercase(),
            &format!("{}g", &hex[1..]),
            "",
        ] {
            assert!(Sha256Digest::parse(bad).is_err(), "{bad}");
        }
        assert!(Sha256Digest::parse(&format!("{}Ж", &hex[..62])).is_err());
    }

    #[test]
    fn media_types() {
        for good in [
            "application/pdf",
            "image/jpeg",
            "application/vnd.ms-excel",
            "text/plain",
        ] {
            assert!(is_media_type(good), "{good}");
        }
        for bad in [
            "pdf",
            "application/",
            "/pdf",
            "application/pdf; charset=x",
            "a/b/c",
            "",
        ] {
            assert!(!is_media_type(bad), "{bad}");
        }
    }
}
