//! The directories over HTTP: thin handlers over [`super::rules`].

use axum::Json;
use axum::extract::Path;
use sis_proto::directory::{DirectoryEntry, DirectoryPage, DirectoryQuery};

use super::rules::{self, DirectoryError};
use crate::internal::access::SignedIn;
use crate::internal::error::AppError;
use crate::internal::extract::ApiQuery;

impl From<DirectoryError> for AppError {
    fn from(e: DirectoryError) -> AppError {
        match e {
            DirectoryError::NoDirectory { .. } | DirectoryError::NoCode { .. } => {
                AppError::not_found_with(e.to_string())
            }
            _ => AppError::bad_request(e.to_string()),
        }
    }
}

/// # `GET /api/v1/directories/{directory}?q=&limit=`
pub async fn search(
    _: SignedIn,
    Path(slug): Path<String>,
    ApiQuery(q): ApiQuery<DirectoryQuery>,
) -> Result<Json<DirectoryPage>, AppError> {
    let list = rules::directory(&slug)?;
    let search = rules::search_of(&q)?;
    Ok(Json(DirectoryPage {
        hits: rules::hits(list, &search),
    }))
}

/// # `GET /api/v1/directories/{directory}/{code}`
pub async fn get(
    _: SignedIn,
    Path((slug, code)): Path<(String, String)>,
) -> Result<Json<DirectoryEntry>, AppError> {
    let list = rules::directory(&slug)?;
    Ok(Json(rules::entry(list, &code)?))
}
