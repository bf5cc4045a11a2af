//! The log as peers read it: the latest signed checkpoint and consistency proofs between
//! two of its sizes (`docs/exchange-protocol.md`).

use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::external::ExternalState;
use crate::external::access::Peer;

/// # `GET /external/v1/log/checkpoint`
pub async fn checkpoint(State(state): State<ExternalState>, _: Peer) -> Response {
    let Some(exchange) = &state.exchange else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match exchange.log.checkpoint_covering(0).await {
        Ok(signed) => (
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            signed.to_bytes(),
        )
            .into_response(),
        Err(e) => {
            tracing::error!("reading the log's checkpoint: {e}");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct Sizes {
    old: u64,
    new: u64,
}

/// # `GET /external/v1/log/consistency?old=&new=`
pub async fn consistency(
    State(state): State<ExternalState>,
    _: Peer,
    Query(sizes): Query<Sizes>,
) -> Response {
    let Some(exchange) = &state.exchange else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let size = match exchange.log.size().await {
        Ok(size) => size,
        Err(e) => {
            tracing::error!("reading the log's size: {e}");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    if sizes.old == 0 || sizes.old > sizes.new || sizes.new > size {
        let message = format!(
            "old and new must satisfy 0 < old <= new <= {size} (the log's size); got {} and {}",
            sizes.old, sizes.new
        );
        return (StatusCode::BAD_REQUEST, message).into_response();
    }
    match exchange.log.consistency(sizes.old, sizes.new).await {
        Ok(proof) => axum::Json(serde_json::json!({
            "old_size": sizes.old,
            "new_size": sizes.new,
            "path": proof.path.iter().map(hex::encode).collect::<Vec<_>>(),
        }))
        .into_response(),
        Err(e) => {
            tracing::error!("a consistency proof: {e}");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}
