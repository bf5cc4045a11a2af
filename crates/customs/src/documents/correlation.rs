//! The correlation id: one id that follows a consignment or case across countries, so each
//! node can put together what it sent and received about it.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::InvalidCode;

/// A UUID, written in its canonical lower-case hyphenated form
/// (`0195903c-7a4e-7c1d-9b2f-4c8e1a2b3c4d`). Whoever opens the case makes one (a UUIDv7 so
/// ids sort by creation); everyone else copies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CorrelationId([u8; 16]);

/// Byte positions of the hyphens in the text form.
const HYPHENS: [usize; 4] = [8, 13, 18, 23];

impl CorrelationId {
    pub fn parse(s: &str) -> Result<Self, InvalidCode> {
        let invalid = || InvalidCode {
            value: s.to_owned(),
            list: "a UUID written in lower-case hexadecimal with hyphens (8-4-4-4-12)",
        };
        if s.len() != 36 || HYPHENS.iter().any(|&i| s.as_bytes()[i] != b'-') {
            return Err(invalid());
        }
        let digits: Vec<u8> = s.bytes().filter(|&b| b != b'-').collect();
        let bytes = super::hex::decode(&digits).ok_or_else(invalid)?;
        Ok(CorrelationId(bytes))
    }

    pub fn from_bytes(bytes: [u8; 16]) -> Self {
        CorrelationId(bytes)
    }

    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }
}

impl std::fmt::Display for CorrelationId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, byte) in self.0.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                f.write_str("-")?;
            }
            write!(f, "{byte:02x}")?;
        }
        Ok(())
    }
}

impl std::str::FromStr for CorrelationId {
    type Err = InvalidCode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CorrelationId::parse(s)
    }
}

impl Serialize for CorrelationId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for CorrelationId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        CorrelationId::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_uuids_round_trip_and_others_are_refused() {
        let text = "0195903c-7a4e-7c1d-9b2f-4c8e1a2b3c4d";
        let id = CorrelationId::parse(text).expect("canonical");
        assert_eq!(id.to_string(), text);
        assert_eq!(CorrelationId::from_bytes(*id.as_bytes()), id);
        for bad in [
            "",
            "0195903C-7A4E-7C1D-9B2F-4C8E1A2B3C4D",
            "0195903c7a4e7c1d9b2f4c8e1a2b3c4d",
            "{0195903c-7a4e-7c1d-9b2f-4c8e1a2b3c4d}",
            "0195903c-7a4e-7c1d-9b2f-4c8e1a2b3c4g",
            "0195903c-7a4e-7c1d-9b2f4-c8e1a2b3c4d",
            "0195903c-7a4e-7c1d-9b2f-4c8e1a2b3cЖ",
        ] {
            assert_eq!(CorrelationId::parse(bad).expect_err(bad).value, bad);
        }
    }
}
