//! The pure half of the directories page: each directory's name, the search request, and how
//! an entry reads in the interface language (which name comes first, what its attribute
//! means, what a hit matched on).

use sis_proto::ApiError;
use sis_proto::directory::{Directory, DirectoryEntry, DirectoryQuery, MatchedOn};
use sis_proto::endpoint::SearchDirectory;

use crate::api::EndpointPath;
use crate::i18n::{Key, Language, t};

/// Hits asked for per search: a screenful, the node's default.
pub const SEARCH_LIMIT: u32 = 50;

/// Typing pause after which a search goes out: short enough to feel immediate, long enough
/// that a word typed quickly is one request rather than one per letter.
pub const DEBOUNCE_MS: u64 = 150;

/// The directory's name in `lang`.
pub fn label(lang: Language, directory: Directory) -> &'static str {
    let key = match directory {
        Directory::Countries => Key::DirCountries,
        Directory::Currencies => Key::DirCurrencies,
        Directory::Hs => Key::DirHs,
        Directory::Units => Key::DirUnits,
        Directory::PackageTypes => Key::DirPackageTypes,
        Directory::TransportModes => Key::DirTransportModes,
        Directory::Incoterms => Key::DirIncoterms,
    };
    t(lang, key)
}

/// `GET /api/v1/directories/{directory}` for `directory`.
pub fn search_path(directory: Directory) -> Result<EndpointPath<SearchDirectory>, ApiError> {
    EndpointPath::fill(&[("directory", directory.slug())])
}

/// The search for what was typed: its words, or the first entries when nothing was.
pub fn search_query(typed: &str) -> DirectoryQuery {
    let typed = typed.trim();
    DirectoryQuery {
        q: (!typed.is_empty()).then(|| typed.to_owned()),
        limit: Some(SEARCH_LIMIT),
    }
}

/// An entry's names as shown: the one in the interface language first, the other beneath.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Names<'a> {
    pub primary: (&'a str, Language),
    pub secondary: Option<(&'a str, Language)>,
}

/// The Russian name first when the interface is Russian and the entry has one, else the
/// English one (every entry has it); the other language's name beneath when there is one.
pub fn names(lang: Language, entry: &DirectoryEntry) -> Names<'_> {
    let en = (entry.en.as_str(), Language::En);
    let ru = entry
        .ru
        .as_deref()
        .filter(|ru| !ru.trim().is_empty())
        .map(|ru| (ru, Language::Ru));
    match (lang, ru) {
        (Language::Ru, Some(ru)) => Names {
            primary: ru,
            secondary: Some(en),
        },
        (Language::Ru, None) => Names {
            primary: en,
            secondary: None,
        },
        (Language::En, ru) => Names {
            primary: en,
            secondary: ru,
        },
    }
}

/// The heading of the directory's attribute column; `None` where it has no attribute.
pub fn attribute_heading(directory: Directory) -> Option<Key> {
    match directory {
        Directory::Countries => Some(Key::DirAttrAlpha3),
        Directory::Currencies => Some(Key::DirAttrMinorUnits),
        Directory::Hs => Some(Key::DirAttrLevel),
        Directory::Units | Directory::PackageTypes => Some(Key::DirAttrStatus),
        Directory::Incoterms => Some(Key::DirAttrModes),
        Directory::TransportModes => None,
    }
}

/// An entry's attribute as read in `lang`: HS levels, code statuses and Incoterms modes are
/// words and get translated; codes and numbers stay as they are.
pub fn attribute_text(lang: Language, directory: Directory, attribute: &str) -> String {
    let key = match (directory, attribute) {
        (Directory::Hs, "section") => Key::HsSection,
        (Directory::Hs, "chapter") => Key::HsChapter,
        (Directory::Hs, "heading") => Key::HsHeading,
        (Directory::Hs, "subheading") => Key::HsSubheading,
        (Directory::Units | Directory::PackageTypes, "current") => Key::StatusCurrent,
        (Directory::Units | Directory::PackageTypes, "legacy") => Key::StatusLegacy,
        (Directory::Incoterms, "any") => Key::ModesAny,
        (Directory::Incoterms, "sea") => Key::ModesSea,
        // ISO 4217 writes `-` where minor units do not apply (gold, SDR, …).
        (Directory::Currencies, "-") => return "—".to_owned(),
        _ => return attribute.to_owned(),
    };
    t(lang, key).to_owned()
}

/// The badge of what a hit matched on (`code`, `en`, `ru`, the same in every language) and
/// its spelled-out explanation.
pub fn matched_badge(matched: MatchedOn) -> (&'static str, Key) {
    match matched {
        MatchedOn::Code => ("code", Key::MatchedCode),
        MatchedOn::En => ("en", Key::MatchedEn),
        MatchedOn::Ru => ("ru", Key::MatchedRu),
        _ => ("?", Key::MatchedOther),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::prepare_at;

    fn entry(en: &str, ru: Option<&str>) -> DirectoryEntry {
        DirectoryEntry {
            code: "KZT".into(),
            en: en.into(),
            ru: ru.map(str::to_owned),
            zh: None,
            attribute: "2".into(),
            parent: None,
        }
    }

    #[test]
    fn every_directory_is_named_in_every_language() {
        assert_eq!(label(Language::En, Directory::Hs), "Harmonized System 2022");
        assert_eq!(
            label(Language::Ru, Directory::Hs),
            "Гармонизированная система 2022"
        );
        assert_eq!(label(Language::Ru, Directory::Incoterms), "Инкотермс 2020");
        for lang in Language::ALL {
            let mut names: Vec<&str> = Directory::ALL.iter().map(|d| label(lang, *d)).collect();
            assert!(
                Directory::ALL.iter().all(|d| label(lang, *d) != d.slug()),
                "{lang:?}: every directory has a name, not its slug"
            );
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), Directory::ALL.len(), "{lang:?}: names differ");
        }
    }

    #[test]
    fn searches_go_to_the_directorys_path() {
        let path = search_path(Directory::PackageTypes).expect("slugs fill the template");
        assert_eq!(path.as_str(), "/api/v1/directories/package-types");
    }

    #[test]
    fn what_was_typed_becomes_the_query_and_nothing_lists_the_first_entries() {
        let listing = search_query("   ");
        assert_eq!((listing.q, listing.limit), (None, Some(SEARCH_LIMIT)));

        let p = prepare_at(
            &search_path(Directory::Hs).expect("fills"),
            &search_query(""),
        )
        .expect("encodes");
        assert_eq!(p.url(), "/api/v1/directories/hs?limit=50");

        let p = prepare_at(
            &search_path(Directory::Currencies).expect("fills"),
            &search_query(" тенге казахстана "),
        )
        .expect("encodes");
        assert_eq!(
            p.url(),
            "/api/v1/directories/currencies?limit=50&q=%D1%82%D0%B5%D0%BD%D0%B3%D0%B5\
             %20%D0%BA%D0%B0%D0%B7%D0%B0%D1%85%D1%81%D1%82%D0%B0%D0%BD%D0%B0",
            "trimmed, the inner space and the Cyrillic percent-encoded as UTF-8"
        );

        let p = prepare_at(
            &search_path(Directory::Hs).expect("fills"),
            &search_query("lithium ion"),
        )
        .expect("encodes");
        assert_eq!(p.url(), "/api/v1/directories/hs?limit=50&q=lithium%20ion");
    }

    #[test]
    fn names_come_in_the_interface_language_first() {
        let both = entry("Tenge", Some("Тенге"));
        assert_eq!(
            names(Language::Ru, &both),
            Names {
                primary: ("Тенге", Language::Ru),
                secondary: Some(("Tenge", Language::En)),
            }
        );
        assert_eq!(
            names(Language::En, &both),
            Names {
                primary: ("Tenge", Language::En),
                secondary: Some(("Тенге", Language::Ru)),
            }
        );

        for missing in [None, Some(""), Some("  ")] {
            let english_only = entry("lift", missing);
            for lang in Language::ALL {
                assert_eq!(
                    names(lang, &english_only),
                    Names {
                        primary: ("lift", Language::En),
                        secondary: None,
                    },
                    "{lang:?}, ru {missing:?}: English stands in, and is not shown twice"
                );
            }
        }
    }

    #[test]
    fn hs_levels_and_other_words_are_translated_codes_are_not() {
        assert_eq!(
            attribute_text(Language::Ru, Directory::Hs, "heading"),
            "товарная позиция"
        );
        assert_eq!(
            attribute_text(Language::Ru, Directory::Hs, "chapter"),
            "группа"
        );
        assert_eq!(
            attribute_text(Language::Ru, Directory::Hs, "section"),
            "раздел"
        );
        assert_eq!(
            attribute_text(Language::Ru, Directory::Hs, "subheading"),
            "субпозиция"
        );
        assert_eq!(
            attribute_text(Language::En, Directory::Hs, "subheading"),
            "subheading"
        );
        assert_ne!(
            attribute_text(Language::Ru, Directory::Units, "legacy"),
            "legacy"
        );
        assert_ne!(
            attribute_text(Language::Ru, Directory::Incoterms, "sea"),
            "sea"
        );
        assert_eq!(
            attribute_text(Language::Ru, Directory::Countries, "KAZ"),
            "KAZ"
        );
        assert_eq!(
            attribute_text(Language::Ru, Directory::Currencies, "2"),
            "2"
        );
        assert_eq!(
            attribute_text(Language::En, Directory::Currencies, "-"),
            "—"
        );
        assert_eq!(
            attribute_text(Language::Ru, Directory::Hs, "chapterette"),
            "chapterette",
            "an unknown level is shown as it came"
        );
    }

    #[test]
    fn only_transport_modes_have_no_attribute_column() {
        for directory in Directory::ALL {
            assert_eq!(
                attribute_heading(directory).is_none(),
                directory == Directory::TransportModes,
                "{directory:?}"
            );
        }
    }

    #[test]
    fn badges_say_what_matched() {
        assert_eq!(matched_badge(MatchedOn::Code).0, "code");
        assert_eq!(matched_badge(MatchedOn::En).0, "en");
        assert_eq!(matched_badge(MatchedOn::Ru).0, "ru");
        assert_eq!(
            t(Language::Ru, matched_badge(MatchedOn::Ru).1),
            "Совпало русское название"
        );
    }
}
