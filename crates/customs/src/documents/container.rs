//! ISO 6346 freight container numbers, with their check digit: a mistyped number would
//! match no container at the checkpoint, so it is refused where it is typed.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A container number: three letters of owner code, a category letter (`U` freight
/// container, `J` detachable equipment, `Z` trailer or chassis), six digits of serial
/// number and a check digit, written without spaces: `CSQU3054383`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ContainerNumber([u8; 11]);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidContainerNumber {
    #[error(
        "{0:?} is not an ISO 6346 container number (three letters, U, J or Z, six digits, \
         a check digit)"
    )]
    Format(String),
    #[error("{value:?} has check digit {found}; ISO 6346 gives {expected}")]
    CheckDigit {
        value: String,
        found: u8,
        expected: u8,
    },
}

/// The ISO 6346 value of a letter: A = 10 upwards, skipping the multiples of 11.
fn letter_value(letter: u8) -> u32 {
    let n = u32::from(letter - b'A') + 10;
    n + (n - 1) / 10
}

/// The check digit of the first ten characters: each value weighted by 2^position, the sum
/// taken modulo 11, and a remainder of 10 written as 0.
fn check_digit(first_ten: &[u8]) -> u8 {
    let sum: u32 = first_ten
        .iter()
        .enumerate()
        .map(|(i, &b)| {
            let value = if b.is_ascii_digit() {
                u32::from(b - b'0')
            } else {
                letter_value(b)
            };
            value << i
        })
        .sum();
    // The remainder is below 11, so the cast keeps it whole.
    (sum % 11 % 10) as u8
}

impl ContainerNumber {
    pub fn parse(s: &str) -> Result<Self, InvalidContainerNumber> {
        let bytes: [u8; 11] = s
            .as_bytes()
            .try_into()
            .map_err(|_| InvalidContainerNumber::Format(s.to_owned()))?;
        let well_formed = bytes[..3].iter().all(u8::is_ascii_uppercase)
            && matches!(bytes[3], b'U' | b'J' | b'Z')
            && bytes[4..].iter().all(u8::is_ascii_digit);
        if !well_formed {
            return Err(InvalidContainerNumber::Format(s.to_owned()));
        }
        let expected = check_digit(&bytes[..10]);
        let found = bytes[10] - b'0';
        if found != expected {
            return Err(InvalidContainerNumber::CheckDigit {
                value: s.to_owned(),
                found,
                expected,
            });
        }
        Ok(ContainerNumber(bytes))
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII letters and digits are ever stored.
        std::str::from_utf8(&self.0).expect("container numbers are ASCII")
    }

    /// The owner code with its category letter (`CSQU`), as BIC registers it.
    pub fn owner(&self) -> &str {
        &self.as_str()[..4]
    }
}

impl std::fmt::Display for ContainerNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for ContainerNumber {
    type Err = InvalidContainerNumber;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ContainerNumber::parse(s)
    }
}

impl Serialize for ContainerNumber {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ContainerNumber {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        ContainerNumber::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_check_digit_is_verified() {
        let valid = ContainerNumber::parse("CSQU3054383").expect("the ISO 6346 example");
        assert_eq!((valid.as_str(), valid.owner()), ("CSQU3054383", "CSQU"));
        assert_eq!(
            ContainerNumber::parse("CSQU3054384"),
            Err(InvalidContainerNumber::CheckDigit {
                value: "CSQU3054384".to_owned(),
                found: 4,
                expected: 3
            })
        );
        assert_eq!(
            ContainerNumber::parse("CSQU3054384")
                .expect_err("wrong digit")
                .to_string(),
            "\"CSQU3054384\" has check digit 4; ISO 6346 gives 3"
        );
        // Another, and one whose sum leaves 10, written as 0.
        for good in ["MSKU9070323", "HLXU0000050"] {
            assert!(ContainerNumber::parse(good).is_ok(), "{good}");
        }
    }

    #[test]
    fn malformed_numbers_are_refused() {
        for bad in [
            "",
            "CSQU305438",
            "CSQU30543833",
            "csqu3054383",
            "CSQX3054383",
            "CSQU305438A",
            "CSQ U3054383",
            "CSQU 305438 3",
            "ЖSQU3054383",
            "1SQU3054383",
        ] {
            assert_eq!(
                ContainerNumber::parse(bad),
                Err(InvalidContainerNumber::Format(bad.to_owned())),
                "{bad}"
            );
        }
    }

    #[test]
    fn serde_checks_the_digit() {
        let c: ContainerNumber = serde_json::from_str("\"CSQU3054383\"").expect("valid");
        assert_eq!(serde_json::to_string(&c).expect("ser"), "\"CSQU3054383\"");
        let err = serde_json::from_str::<ContainerNumber>("\"CSQU3054384\"").expect_err("bad");
        assert!(err.to_string().contains("ISO 6346 gives 3"), "{err}");
    }
}
