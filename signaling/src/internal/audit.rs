//! The audit log, for administrators.

use axum::Json;
use axum::extract::State;
use sis_proto::audit::{AuditPage, AuditQuery};

use crate::internal::access::Admin;
use crate::internal::error::AppError;
use crate::internal::extract::ApiQuery;
use crate::node::state::AppState;

const DEFAULT_LIMIT: u32 = 100;
const MAX_LIMIT: u32 = 1000;

/// # `GET /api/v1/audit?limit=&before=`
pub async fn list(
    _: Admin,
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> Result<Json<AuditPage>, AppError> {
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
    if limit == 0 || limit > MAX_LIMIT {
        return Err(AppError::bad_request(format!(
            "limit: must be between 1 and {MAX_LIMIT}"
        )));
    }
    let entries = state.store.list_audit(limit, q.before).await?;
    Ok(Json(AuditPage { entries }))
}
