//! The committed code lists (`data/*.tsv`), parsed once on first use into sorted tables.
//! Codes and names borrow from the embedded text, so a lookup allocates nothing.

use std::sync::OnceLock;

/// One entry of a code list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub code: &'static str,
    pub en: &'static str,
    /// Russian name, where the source or our translation has one.
    pub ru: Option<&'static str>,
    /// Chinese name (countries only).
    pub zh: Option<&'static str>,
    /// A list-specific attribute: the HS level and parent, a currency's minor units, the
    /// modes an Incoterms rule applies to, a unit's status.
    pub extra: &'static str,
}

/// Which list: the directory API's own name for it, so the list a client asks for and
/// the list the node reads cannot drift apart.
pub use sis_proto::directory::Directory as ListId;

/// What a valid value of `list` is, as a phrase for error messages.
pub const fn what(list: ListId) -> &'static str {
    match list {
        ListId::Countries => "an ISO 3166-1 alpha-2 country code",
        ListId::Currencies => "an active ISO 4217 currency code",
        ListId::Hs => "an HS 2022 code",
        ListId::Units => "a UN/ECE Rec 20 unit code",
        ListId::PackageTypes => "a UN/ECE Rec 21 package type code",
        ListId::TransportModes => "a UN/ECE Rec 19 transport mode code",
        ListId::Incoterms => "an Incoterms 2020 rule",
    }
}

/// A parsed code list, sorted by code.
#[derive(Debug)]
pub struct CodeList {
    pub id: ListId,
    entries: Vec<Entry>,
}

impl CodeList {
    pub fn get(&self, code: &str) -> Option<&Entry> {
        self.entries
            .binary_search_by(|e| e.code.cmp(code))
            .ok()
            .map(|i| &self.entries[i])
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

fn non_empty(s: Option<&'static str>) -> Option<&'static str> {
    s.filter(|s| !s.is_empty())
}

/// Parses TSV lines; `shape` maps the fields of a line to an entry. The files are ours and
/// checked by the tests below, so a malformed line is a build defect, not input.
fn parse(id: ListId, text: &'static str, shape: fn(&[&'static str]) -> Entry) -> CodeList {
    let mut entries: Vec<Entry> = text
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| shape(&l.split('\t').collect::<Vec<_>>()))
        .collect();
    entries.sort_by(|a, b| a.code.cmp(b.code));
    CodeList { id, entries }
}

fn field(f: &[&'static str], i: usize) -> &'static str {
    f.get(i).copied().unwrap_or("")
}

macro_rules! list {
    ($fn_name:ident, $id:expr, $file:literal, $shape:expr) => {
        pub fn $fn_name() -> &'static CodeList {
            static LIST: OnceLock<CodeList> = OnceLock::new();
            LIST.get_or_init(|| parse($id, include_str!(concat!("../data/", $file)), $shape))
        }
    };
}

// iso3166.tsv: alpha2 alpha3 numeric English Russian Chinese
list!(countries, ListId::Countries, "iso3166.tsv", |f| Entry {
    code: field(f, 0),
    en: field(f, 3),
    ru: non_empty(Some(field(f, 4))),
    zh: non_empty(Some(field(f, 5))),
    extra: field(f, 1),
});

// iso4217.tsv: alpha3 numeric minor-units English Russian
list!(currencies, ListId::Currencies, "iso4217.tsv", |f| Entry {
    code: field(f, 0),
    en: field(f, 3),
    ru: non_empty(Some(field(f, 4))),
    zh: None,
    extra: field(f, 2),
});

// hs2022.tsv: code level parent English (Russian from hs2022-ru.tsv, joined in `hs()`)
fn hs_shape(f: &[&'static str]) -> Entry {
    Entry {
        code: field(f, 0),
        en: field(f, 3),
        ru: None,
        zh: None,
        extra: field(f, 1),
    }
}

/// The Harmonized System 2022: sections (roman numerals), chapters, headings, subheadings.
pub fn hs() -> &'static CodeList {
    static LIST: OnceLock<CodeList> = OnceLock::new();
    LIST.get_or_init(|| {
        let mut list = parse(ListId::Hs, include_str!("../data/hs2022.tsv"), hs_shape);
        // Sections and chapters (code, Russian), then headings (code, Russian, origin).
        let russian = include_str!("../data/hs2022-ru.tsv")
            .lines()
            .chain(include_str!("../data/hs2022-ru-headings.tsv").lines());
        for line in russian {
            let mut fields = line.split('\t');
            if let (Some(code), Some(ru)) = (fields.next(), fields.next())
                && let Ok(i) = list.entries.binary_search_by(|e| e.code.cmp(code))
            {
                list.entries[i].ru = Some(ru);
            }
        }
        list
    })
}

/// The parent code of an HS entry (section numeral of a chapter, chapter of a heading,
/// heading of a subheading); `None` for a section.
pub fn hs_parent(code: &str) -> Option<&'static str> {
    static PARENTS: OnceLock<Vec<(&'static str, &'static str)>> = OnceLock::new();
    let parents = PARENTS.get_or_init(|| {
        let mut v: Vec<_> = include_str!("../data/hs2022.tsv")
            .lines()
            .filter_map(|l| {
                let f: Vec<&'static str> = l.split('\t').collect();
                (field(&f, 1) != "section").then(|| (field(&f, 0), field(&f, 2)))
            })
            .collect();
        v.sort();
        v
    });
    parents
        .binary_search_by(|(c, _)| (*c).cmp(code))
        .ok()
        .map(|i| parents[i].1)
}

// rec20.tsv / rec21.tsv: code English Russian status
fn status_shape(f: &[&'static str]) -> Entry {
    Entry {
        code: field(f, 0),
        en: field(f, 1),
        ru: non_empty(Some(field(f, 2))),
        zh: None,
        extra: field(f, 3),
    }
}
list!(units, ListId::Units, "rec20.tsv", status_shape);
list!(
    package_types,
    ListId::PackageTypes,
    "rec21.tsv",
    status_shape
);

// rec19.tsv: code English Russian
list!(transport_modes, ListId::TransportModes, "rec19.tsv", |f| {
    Entry {
        code: field(f, 0),
        en: field(f, 1),
        ru: non_empty(Some(field(f, 2))),
        zh: None,
        extra: "",
    }
});

// incoterms2020.tsv: code English Russian modes
list!(incoterms, ListId::Incoterms, "incoterms2020.tsv", |f| {
    Entry {
        code: field(f, 0),
        en: field(f, 1),
        ru: non_empty(Some(field(f, 2))),
        zh: None,
        extra: field(f, 3),
    }
});

/// The list behind an id.
pub fn list(id: ListId) -> &'static CodeList {
    match id {
        ListId::Countries => countries(),
        ListId::Currencies => currencies(),
        ListId::Hs => hs(),
        ListId::Units => units(),
        ListId::PackageTypes => package_types(),
        ListId::TransportModes => transport_modes(),
        ListId::Incoterms => incoterms(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(list: &CodeList, extra: &str) -> usize {
        list.entries().iter().filter(|e| e.extra == extra).count()
    }

    #[test]
    fn every_list_is_complete() {
        assert_eq!(countries().len(), 249);
        assert_eq!(currencies().len(), 178);
        let hs = hs();
        // 96 chapters: chapter 77 is reserved by the WCO and has no content; UN Comtrade's
        // chapter 99 is not part of the HS (see data/README.md).
        assert_eq!(
            (
                count(hs, "section"),
                count(hs, "chapter"),
                count(hs, "heading"),
                count(hs, "subheading")
            ),
            (21, 96, 1228, 5612)
        );
        assert_eq!(units().len(), 2136);
        assert_eq!(count(units(), "current"), 1756);
        assert_eq!(package_types().len(), 406);
        assert_eq!(transport_modes().len(), 10);
        assert_eq!(incoterms().len(), 11);
    }

    #[test]
    fn every_entry_has_a_code_and_an_english_name_and_codes_are_unique() {
        for id in ListId::ALL {
            let list = list(id);
            for e in list.entries() {
                assert!(!e.code.is_empty() && !e.en.is_empty(), "{id:?}: {e:?}");
            }
            let mut codes: Vec<_> = list.entries().iter().map(|e| e.code).collect();
            codes.dedup();
            assert_eq!(codes.len(), list.len(), "{id:?} has duplicate codes");
        }
    }

    #[test]
    fn lookups_find_known_entries() {
        assert_eq!(countries().get("KZ").map(|e| e.ru), Some(Some("Казахстан")));
        assert_eq!(currencies().get("UZS").map(|e| e.extra), Some("2"));
        for new_in_2022 in ["8524", "8549", "8806", "240411"] {
            assert!(hs().get(new_in_2022).is_some(), "{new_in_2022}");
        }
        assert_eq!(hs_parent("010121"), Some("0101"));
        assert_eq!(hs_parent("0101"), Some("01"));
        assert_eq!(hs_parent("01"), Some("I"));
        assert_eq!(hs_parent("I"), None);
        assert!(
            hs().get("01").and_then(|e| e.ru).is_some(),
            "chapters have Russian names"
        );
        // Every section, chapter and heading has a Russian name; subheadings have none yet.
        let by_level = |level: &'static str| hs().entries.iter().filter(move |e| e.extra == level);
        for level in ["section", "chapter", "heading"] {
            let missing: Vec<_> = by_level(level)
                .filter(|e| e.ru.is_none())
                .map(|e| e.code)
                .collect();
            assert!(
                missing.is_empty(),
                "{level}s without a Russian name: {missing:?}"
            );
        }
        assert_eq!(by_level("heading").count(), 1228);
        assert_eq!(
            hs().get("8507")
                .and_then(|e| e.ru)
                .map(|ru| ru.starts_with("Аккумуляторы электрические")),
            Some(true)
        );
        assert_eq!(units().get("H87").map(|e| e.extra), Some("current"));
        assert_eq!(incoterms().get("FOB").map(|e| e.extra), Some("sea"));
        assert!(hs().get("847130").is_some());
        assert!(hs().get("999999").is_none());
    }
}
