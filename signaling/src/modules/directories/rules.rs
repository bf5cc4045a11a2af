//! The directories' rules: which directory a path names, what a search may ask, and what
//! it finds. Pure functions over the committed code lists (`sis_customs::codelist`).

use sis_customs::codelist::{self, Entry, ListId};
use sis_customs::search::{self, MatchLang};
use sis_proto::directory::{Directory, DirectoryEntry, DirectoryHit, DirectoryQuery, MatchedOn};

const DEFAULT_LIMIT: u32 = 50;
pub const MAX_LIMIT: u32 = 500;
/// Longer queries are typing accidents or abuse; names are shorter than this.
pub const MAX_QUERY_CHARS: usize = 200;

/// Why a directory request was refused; each names the field it is about.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DirectoryError {
    #[error("directory: no directory {slug:?}; there are {}", all_slugs())]
    NoDirectory { slug: String },
    #[error("limit: must be between 1 and {MAX_LIMIT}")]
    Limit,
    #[error("q: must have at most {MAX_QUERY_CHARS} characters")]
    QueryTooLong,
    #[error("code: {code:?} is not {}", codelist::what(*list))]
    NoCode { list: Directory, code: String },
}

fn all_slugs() -> String {
    let all: Vec<_> = Directory::ALL.iter().map(|d| d.slug()).collect();
    all.join(", ")
}

/// The directory a path segment names.
pub fn directory(slug: &str) -> Result<Directory, DirectoryError> {
    Directory::from_slug(slug).ok_or_else(|| DirectoryError::NoDirectory {
        slug: slug.to_owned(),
    })
}

/// A search as asked: at most `limit` hits for `text`, or the first `limit` entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Search {
    pub limit: usize,
    pub text: Option<String>,
}

/// Checks a query string's `q` and `limit`.
pub fn search_of(query: &DirectoryQuery) -> Result<Search, DirectoryError> {
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    if limit == 0 || limit > MAX_LIMIT {
        return Err(DirectoryError::Limit);
    }
    let text = query.q.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if text.is_some_and(|t| t.chars().count() > MAX_QUERY_CHARS) {
        return Err(DirectoryError::QueryTooLong);
    }
    Ok(Search {
        limit: limit as usize,
        text: text.map(str::to_owned),
    })
}

/// What a search finds in `list`: the best matches of its text, or the list's first
/// entries when it has none.
pub fn hits(list: ListId, search: &Search) -> Vec<DirectoryHit> {
    match &search.text {
        Some(text) => search::index(list)
            .search(text, search.limit)
            .into_iter()
            .map(|h| DirectoryHit {
                entry: to_wire(list, h.entry),
                matched: Some(match h.lang {
                    MatchLang::Code => MatchedOn::Code,
                    MatchLang::Ru => MatchedOn::Ru,
                    _ => MatchedOn::En,
                }),
            })
            .collect(),
        None => codelist::list(list)
            .entries()
            .iter()
            .take(search.limit)
            .map(|e| DirectoryHit {
                entry: to_wire(list, e),
                matched: None,
            })
            .collect(),
    }
}

/// One entry of `list` by its code.
pub fn entry(list: ListId, code: &str) -> Result<DirectoryEntry, DirectoryError> {
    codelist::list(list)
        .get(code)
        .map(|e| to_wire(list, e))
        .ok_or_else(|| DirectoryError::NoCode {
            list,
            code: code.to_owned(),
        })
}

fn to_wire(list: ListId, e: &Entry) -> DirectoryEntry {
    DirectoryEntry {
        code: e.code.to_owned(),
        en: e.en.to_owned(),
        ru: e.ru.map(str::to_owned),
        zh: e.zh.map(str::to_owned),
        attribute: e.extra.to_owned(),
        parent: (list == ListId::Hs)
            .then(|| codelist::hs_parent(e.code))
            .flatten()
            .map(str::to_owned),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(q: Option<&str>, limit: Option<u32>) -> DirectoryQuery {
        DirectoryQuery {
            q: q.map(str::to_owned),
            limit,
        }
    }

    #[test]
    fn a_path_names_a_directory_or_the_error_lists_them_all() {
        assert_eq!(directory("package-types"), Ok(Directory::PackageTypes));
        let e = directory("hs2017").unwrap_err();
        assert_eq!(
            e.to_string(),
            "directory: no directory \"hs2017\"; there are countries, currencies, hs, units, \
             package-types, transport-modes, incoterms"
        );
    }

    #[test]
    fn limits_and_query_length_are_checked() {
        assert_eq!(search_of(&query(None, Some(0))), Err(DirectoryError::Limit));
        assert_eq!(
            search_of(&query(None, Some(501))),
            Err(DirectoryError::Limit)
        );
        let long = "x".repeat(201);
        assert_eq!(
            search_of(&query(Some(&long), None)),
            Err(DirectoryError::QueryTooLong)
        );
        // Blank text is no text: the first entries, 50 by default.
        let s = search_of(&query(Some("  "), None)).unwrap();
        assert_eq!((s.limit, s.text), (50, None));
    }

    #[test]
    fn without_text_the_first_entries_in_code_order() {
        let s = search_of(&query(None, Some(3))).unwrap();
        let codes: Vec<_> = hits(Directory::Countries, &s)
            .into_iter()
            .map(|h| h.entry.code)
            .collect();
        assert_eq!(codes, ["AD", "AE", "AF"]);
    }

    #[test]
    fn a_search_says_what_it_matched_on() {
        let s = search_of(&query(Some("Казахстан"), Some(5))).unwrap();
        let first = hits(Directory::Countries, &s).remove(0);
        assert_eq!(first.entry.code, "KZ");
        assert_eq!(first.matched, Some(MatchedOn::Ru));
    }

    #[test]
    fn an_hs_entry_names_its_parent_and_an_unknown_code_names_the_list() {
        let e = entry(Directory::Hs, "010121").unwrap();
        assert_eq!(e.parent.as_deref(), Some("0101"));
        let e = entry(Directory::Currencies, "XXX1").unwrap_err();
        assert_eq!(
            e.to_string(),
            "code: \"XXX1\" is not an active ISO 4217 currency code"
        );
    }
}
