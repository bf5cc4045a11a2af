//! The common data standard of CAREC SIS: the code lists every document is checked against,
//! the documents of each module, and their XML and UN/EDIFACT forms. Pure: no IO, no clock
//! (callers pass `now`), compiles to wasm so the UI validates with the node's rules.
//!
//! # Layout
//! - [`codelist`]: the committed code lists, parsed once: countries, currencies, HS 2022,
//!   Rec 19/20/21, Incoterms 2020, each with English and (where known) Russian names.
//! - [`edifact`]: UN/EDIFACT interchanges: syntax (UNA/UNB/UNH/UNT/UNZ, release character,
//!   UNOC/UNOE) and the CUSCAR, INVOIC, CUSDEC, CUSRES mappings.
//! - [`xml`]: the XML form of every document, in one namespace, with one XSD per document
//!   type (`schemas/`), and a reader hardened against hostile input.
//! - [`search`]: ranked search of a list by code prefix or by English or Russian words.
//! - [`country`]: ISO 3166-1 country codes ([`CountryCode`]) and the CAREC members.
//! - [`codes`]: the other validated codes ([`CurrencyCode`], [`HsCode`], [`UnitCode`],
//!   [`PackageType`], [`TransportMode`], [`Incoterm`]).
//! - [`documents`]: the documents members exchange, their validation and examples.
//! - `data/`: the committed code lists, with their sources in `data/README.md`.

pub mod codelist;
pub mod codes;
pub mod country;
pub mod documents;
pub mod edifact;
pub mod search;
pub mod xml;

pub use codes::{CurrencyCode, HsCode, Incoterm, PackageType, TransportMode, UnitCode};
pub use country::{CAREC_MEMBERS, CountryCode, InvalidCode};

/// `s` as a number if it is ASCII digits only, and `None` if not or if it is out of `T`'s
/// range. `str::parse` alone would also take a leading `+`, which no count, date or code
/// of the standard is written with.
pub(crate) fn parse_digits<T: std::str::FromStr>(s: &str) -> Option<T> {
    s.bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| s.parse().ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::parse_digits;

    #[test]
    fn parse_digits_takes_ascii_digits_within_range_only() {
        assert_eq!(parse_digits::<u32>("0940"), Some(940));
        for refused in ["+940", "-1", "", " 9", "9 ", "٩", "1_000"] {
            assert_eq!(parse_digits::<u32>(refused), None, "{refused:?}");
        }
        assert_eq!(parse_digits::<u8>("256"), None, "out of range");
    }
}
