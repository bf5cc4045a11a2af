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
    match exchange.log.cosigned_checkpoint().await {
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

/// # `POST /external/v1/log/cosignature`: the body is one of this log's checkpoints, as
/// signed by it, with the caller's cosignature line added.
pub async fn cosignature(
    State(state): State<ExternalState>,
    Peer(peer): Peer,
    body: String,
) -> Response {
    let Some(exchange) = &state.exchange else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match keep(exchange, peer, &body).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(Kept::Refused(why)) => (StatusCode::BAD_REQUEST, why).into_response(),
        Err(Kept::Failed(e)) => {
            tracing::error!("keeping a cosignature: {e}");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

enum Kept {
    Refused(String),
    Failed(crate::external::log::LogError),
}

async fn keep(
    exchange: &crate::external::exchange::Exchange,
    peer: sis_customs::CountryCode,
    body: &str,
) -> Result<(), Kept> {
    let refused = |why: String| Kept::Refused(why);
    let trust = exchange
        .trust
        .as_ref()
        .ok_or_else(|| refused("this node is in no network".into()))?
        .current();
    let member = trust
        .member(peer)
        .ok_or_else(|| refused(format!("{peer} is not a member")))?;
    let witness = crate::external::exchange::witness_verifier(peer, &member.log_key)
        .map_err(|e| refused(format!("the trust list's log_key of {peer}: {e}")))?;
    let note = sis_ledger::Note::parse(body.as_bytes())
        .map_err(|e| refused(format!("not a signed note: {e} ({})", e.code())))?;
    let checkpoint = sis_ledger::Checkpoint::parse_text(note.text())
        .map_err(|e| refused(format!("not a checkpoint: {e}")))?;
    let ours = exchange
        .log
        .checkpoint_at(checkpoint.size())
        .await
        .map_err(Kept::Failed)?
        .ok_or_else(|| {
            refused(format!(
                "this log signed no checkpoint of size {}",
                checkpoint.size()
            ))
        })?;
    if ours.checkpoint().to_text() != checkpoint.to_text() {
        return Err(refused("not a checkpoint this log signed".into()));
    }
    let mut kept = false;
    for sig in note.signatures().iter().filter(|s| s.is_by(&witness)) {
        let cosignature = sis_ledger::Cosignature::from_note_signature(sig)
            .map_err(|e| refused(format!("the cosignature line: {e}")))?;
        cosignature
            .verify(ours.checkpoint(), &witness)
            .map_err(|e| refused(format!("the cosignature of {peer} does not verify: {e}")))?;
        exchange
            .log
            .keep_cosignature(checkpoint.size(), &cosignature)
            .await
            .map_err(Kept::Failed)?;
        kept = true;
    }
    if kept {
        Ok(())
    } else {
        Err(refused(format!("no cosignature by {}", witness.name())))
    }
}
