//! Vehicle registration plates, by which a checkpoint finds the advance record of a truck.

use serde::{Deserialize, Serialize};

use super::validate::{Check, Checker, Text};
use crate::CountryCode;

/// A registration plate and the country that issued it: the same number can be issued in
/// two countries.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Plate {
    /// As written on the plate: letters (of any script), digits, spaces and hyphens.
    pub number: String,
    pub country: CountryCode,
}

impl Plate {
    /// The number as a checkpoint looks it up: upper case, without spaces or hyphens, so
    /// `123 abz-02` finds `123 ABZ 02`.
    pub fn search_key(&self) -> String {
        self.number
            .chars()
            .filter(|ch| ch.is_alphanumeric())
            .flat_map(char::to_uppercase)
            .collect()
    }
}

impl Check for Plate {
    fn check(&self, c: &mut Checker) {
        c.at("number", |c| {
            c.check_text(&self.number, Text::Id);
            let allowed = |ch: char| ch.is_alphanumeric() || ch == ' ' || ch == '-';
            if !self.number.chars().all(allowed) {
                c.report("may hold only letters, digits, spaces and hyphens");
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_keys_ignore_spacing_and_case() {
        let plate = |number: &str| Plate {
            number: number.to_owned(),
            country: CountryCode::parse("KZ").expect("assigned"),
        };
        assert_eq!(plate("123 abz-02").search_key(), "123ABZ02");
        assert_eq!(
            plate("123 ABZ 02").search_key(),
            plate("123ABZ02").search_key()
        );
        assert_eq!(
            plate("а 123 вс").search_key(),
            "А123ВС",
            "Cyrillic plates too"
        );
    }
}
