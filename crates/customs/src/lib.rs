//! The common data standard of CAREC SIS: the code lists every document is checked against,
//! the documents of each module, and their XML and UN/EDIFACT forms. Pure: no IO, no clock
//! (callers pass `now`), compiles to wasm so the UI validates with the node's rules.
//!
//! # Layout
//! - [`country`]: ISO 3166-1 country codes ([`CountryCode`]) and the CAREC members.
//! - `data/`: the committed code lists, with their sources in `data/README.md`.

pub mod country;

pub use country::{CAREC_MEMBERS, CountryCode, InvalidCode};
