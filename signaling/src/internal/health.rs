//! Liveness and metrics.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;

use crate::internal::access::Scraper;
use crate::internal::error::AppError;
use crate::node::state::AppState;

/// # `GET /healthz` — open to probes: says only whether the node and its database answer.
pub async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ok\n"),
        Err(e) => {
            tracing::warn!("health check: database not answering: {e}");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n")
        }
    }
}

/// # `GET /metrics` — Prometheus text; for admins and system accounts (a scraper logs in
/// as a `system` account and sends its bearer token).
pub async fn metrics(
    _: Scraper,
    State(state): State<AppState>,
) -> Result<impl IntoResponse, AppError> {
    Ok((
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        state.metrics.encode(),
    ))
}
