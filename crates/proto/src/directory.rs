//! The international directories (code lists) as the node serves them.

use serde::{Deserialize, Serialize};

/// A directory, named in the path as `/api/v1/directories/{directory}`; the node's code
/// lists (`sis_customs::codelist`) are keyed by it too.
///
/// Exhaustive on purpose: a directory is data the node reads and clients show, and the
/// compiler then finds every place a new one must be handled, in every crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Directory {
    /// ISO 3166-1 countries.
    Countries,
    /// ISO 4217 currencies.
    Currencies,
    /// Harmonized System 2022: sections, chapters, headings, subheadings.
    Hs,
    /// UN/ECE Rec 20 units of measure.
    Units,
    /// UN/ECE Rec 21 package types.
    PackageTypes,
    /// UN/ECE Rec 19 transport modes.
    TransportModes,
    /// Incoterms 2020 rules.
    Incoterms,
}

impl Directory {
    pub const ALL: [Directory; 7] = [
        Directory::Countries,
        Directory::Currencies,
        Directory::Hs,
        Directory::Units,
        Directory::PackageTypes,
        Directory::TransportModes,
        Directory::Incoterms,
    ];

    /// The path segment.
    pub const fn slug(self) -> &'static str {
        match self {
            Directory::Countries => "countries",
            Directory::Currencies => "currencies",
            Directory::Hs => "hs",
            Directory::Units => "units",
            Directory::PackageTypes => "package-types",
            Directory::TransportModes => "transport-modes",
            Directory::Incoterms => "incoterms",
        }
    }

    pub fn from_slug(s: &str) -> Option<Directory> {
        Directory::ALL.into_iter().find(|d| d.slug() == s)
    }
}

/// One entry of a directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryEntry {
    pub code: String,
    pub en: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ru: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zh: Option<String>,
    /// The directory's own attribute: HS level (`section` … `subheading`), a currency's
    /// minor units, a unit's status (`current`, `legacy`), an Incoterms rule's modes
    /// (`any`, `sea`), a country's alpha-3 code.
    pub attribute: String,
    /// The enclosing HS code (heading of a subheading, …); absent elsewhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

/// What a search hit matched on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum MatchedOn {
    Code,
    En,
    Ru,
}

/// Query of `GET /api/v1/directories/{directory}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryQuery {
    /// A code prefix or words in English or Russian; without it, entries in code order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    /// At most this many (default 50, at most 500).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryHit {
    pub entry: DirectoryEntry,
    /// Absent when listing without a query.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matched: Option<MatchedOn>,
}

/// Answer of `GET /api/v1/directories/{directory}`, best first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryPage {
    pub hits: Vec<DirectoryHit>,
}
