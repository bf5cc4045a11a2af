//! The international directories, searchable by every signed-in user.

use axum::Json;
use axum::extract::Path;
use sis_customs::codelist::{self, Entry, ListId};
use sis_customs::search::{self, MatchLang};
use sis_proto::directory::{
    Directory, DirectoryEntry, DirectoryHit, DirectoryPage, DirectoryQuery, MatchedOn,
};

use crate::api::access::SignedIn;
use crate::api::error::AppError;
use crate::api::extract::ApiQuery;

const DEFAULT_LIMIT: u32 = 50;
const MAX_LIMIT: u32 = 500;
/// Longer queries are typing accidents or abuse; names are shorter than this.
const MAX_QUERY_CHARS: usize = 200;

fn list_of(slug: &str) -> Result<ListId, AppError> {
    let dir = Directory::from_slug(slug).ok_or_else(|| {
        let all: Vec<_> = Directory::ALL.iter().map(|d| d.slug()).collect();
        AppError::not_found_with(format!(
            "directory: no directory {slug:?}; there are {}",
            all.join(", ")
        ))
    })?;
    Ok(match dir {
        Directory::Countries => ListId::Countries,
        Directory::Currencies => ListId::Currencies,
        Directory::Hs => ListId::Hs,
        Directory::Units => ListId::Units,
        Directory::PackageTypes => ListId::PackageTypes,
        Directory::TransportModes => ListId::TransportModes,
        Directory::Incoterms => ListId::Incoterms,
        _ => return Err(AppError::not_found()),
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

/// # `GET /api/v1/directories/{directory}?q=&limit=`
pub async fn search(
    _: SignedIn,
    Path(slug): Path<String>,
    ApiQuery(q): ApiQuery<DirectoryQuery>,
) -> Result<Json<DirectoryPage>, AppError> {
    let list = list_of(&slug)?;
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
    if limit == 0 || limit > MAX_LIMIT {
        return Err(AppError::bad_request(format!(
            "limit: must be between 1 and {MAX_LIMIT}"
        )));
    }
    let hits = match q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(text) if text.chars().count() > MAX_QUERY_CHARS => {
            return Err(AppError::bad_request(format!(
                "q: must have at most {MAX_QUERY_CHARS} characters"
            )));
        }
        Some(text) => search::index(list)
            .search(text, limit as usize)
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
            .take(limit as usize)
            .map(|e| DirectoryHit {
                entry: to_wire(list, e),
                matched: None,
            })
            .collect(),
    };
    Ok(Json(DirectoryPage { hits }))
}

/// # `GET /api/v1/directories/{directory}/{code}`
pub async fn get(
    _: SignedIn,
    Path((slug, code)): Path<(String, String)>,
) -> Result<Json<DirectoryEntry>, AppError> {
    let list = list_of(&slug)?;
    codelist::list(list)
        .get(&code)
        .map(|e| Json(to_wire(list, e)))
        .ok_or_else(|| AppError::not_found_with(format!("code: {code:?} is not {}", list.what())))
}
