//! `POST /external/v1/envelopes`: a peer delivers an envelope. The sender it claims is
//! checked against its certificate before the body is read; the body is screened, looked up
//! and decided by `sis_exchange::inbox`; an accepted envelope is recorded, logged and handed
//! to its module in one transaction, and answered with a signed receipt; a refusal is a
//! signed error. An exact duplicate gets its first receipt again and changes nothing.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sis_exchange::{
    Arrival, Decision, Envelope, ErrorBody, ErrorCode, Held, Receipt, ReceiptBody, Refusal,
    SignedError, UnverifiedEnvelope, screen,
};
use sqlx::Row;
use time::OffsetDateTime;

use crate::external::ExternalState;
use crate::external::access::Peer;
use crate::external::documents;
use crate::external::exchange::{Exchange, ExchangeError};
use crate::node::state::now_ms;

/// The header naming the sending country, checked before the body is read.
pub const SENDER_HEADER: &str = "carec-sender";
const JOSE: &str = "application/jose+json";

fn status_of(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::SenderMismatch
        | ErrorCode::NotMember
        | ErrorCode::RemovedMember
        | ErrorCode::PolicyRefused => StatusCode::FORBIDDEN,
        ErrorCode::DuplicateConflict => StatusCode::CONFLICT,
        ErrorCode::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::Internal => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::BAD_REQUEST,
    }
}

fn now() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(now_ms()) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// A signed error answering the request.
fn refuse(exchange: &Exchange, refusal: &Refusal) -> Response {
    let body = ErrorBody::from_refusal(refusal, exchange.country, now());
    let signed = SignedError::seal(body, exchange.kid(), exchange.signing_key());
    (
        status_of(refusal.code),
        [(header::CONTENT_TYPE, JOSE)],
        signed.bytes().to_vec(),
    )
        .into_response()
}

fn receipt(bytes: Vec<u8>) -> Response {
    (StatusCode::OK, [(header::CONTENT_TYPE, JOSE)], bytes).into_response()
}

fn internal(exchange: &Exchange, e: impl std::fmt::Display) -> Response {
    tracing::error!("receiving an envelope: {e}");
    refuse(
        exchange,
        &Refusal::new(
            ErrorCode::Internal,
            "the receiver could not store it; retry later",
        ),
    )
}

/// # `POST /external/v1/envelopes`
pub async fn receive(
    State(state): State<ExternalState>,
    Peer(peer): Peer,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let Some(exchange) = state.exchange.clone() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let claimed = headers.get(SENDER_HEADER).and_then(|v| v.to_str().ok());
    if claimed != Some(peer.as_str()) {
        let refusal = Refusal::new(
            ErrorCode::SenderMismatch,
            format!(
                "{SENDER_HEADER} is {:?}; the client certificate is of {peer}",
                claimed.unwrap_or("")
            ),
        );
        return refuse(&exchange, &refusal);
    }
    let max = exchange.max_envelope_bytes;
    let bytes = match axum::body::to_bytes(body, max).await {
        Ok(bytes) => bytes,
        Err(_) => {
            let message = format!("the envelope is larger than {max} bytes");
            return refuse(&exchange, &Refusal::new(ErrorCode::TooLarge, message));
        }
    };
    match decide(&exchange, peer, &bytes).await {
        Ok(response) => response,
        Err(e) => internal(&exchange, e),
    }
}

async fn decide(
    exchange: &Arc<Exchange>,
    peer: sis_customs::CountryCode,
    bytes: &[u8],
) -> Result<Response, ExchangeError> {
    let Some(trust) = &exchange.trust else {
        let refusal = Refusal::new(ErrorCode::NotMember, "this node is in no network");
        return Ok(refuse(exchange, &refusal));
    };
    let trust = trust.current();
    let arrival = Arrival {
        trust: &trust,
        peer: sis_exchange::Peer(peer),
        us: exchange.country,
        bytes,
        max_size: exchange.max_envelope_bytes,
        policy: &exchange.policy,
    };
    let screened = match screen(arrival) {
        Ok(screened) => screened,
        Err(refusal) => return Ok(refuse(exchange, &refusal)),
    };
    let id = screened.id().to_string();
    let held = held(exchange, &id).await?;
    if let Some((_, None)) = &held {
        // Recorded, but the receipt was not kept (the node stopped in between).
        return reissue(exchange, &id, &trust).await;
    }
    let held = held.and_then(|(sha, receipt)| {
        Some(Held {
            envelope_sha256: sha,
            receipt: receipt?,
        })
    });
    match screened.decide(held.as_ref(), documents::validate) {
        Decision::Duplicate { receipt: bytes } => Ok(receipt(bytes)),
        Decision::Refuse(refusal) => Ok(refuse(exchange, &refusal)),
        Decision::Accept(envelope) => accept(exchange, *envelope).await,
        #[allow(unreachable_patterns)]
        _ => Ok(StatusCode::INTERNAL_SERVER_ERROR.into_response()),
    }
}

/// What this node holds under `id`, accepted: the hash of its bytes and its receipt.
async fn held(
    exchange: &Exchange,
    id: &str,
) -> Result<Option<([u8; 32], Option<Vec<u8>>)>, ExchangeError> {
    let row = sqlx::query("SELECT sha256, receipt FROM envelopes WHERE id = $1")
        .bind(id)
        .fetch_optional(&exchange.store.pool)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let sha: String = row.try_get("sha256")?;
    let sha: [u8; 32] = hex::decode(&sha)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| crate::store::StoreError::Corrupt(format!("envelope {id} hash")))?;
    let receipt: Option<String> = row.try_get("receipt")?;
    Ok(Some((sha, receipt.map(String::into_bytes))))
}

/// Hands the envelope to the writer, which records it with the others arriving now
/// ([`super::arrivals`]); its signed receipt.
async fn accept(exchange: &Arc<Exchange>, envelope: Envelope) -> Result<Response, ExchangeError> {
    let (reply, answer) = tokio::sync::oneshot::channel();
    let arrival = super::arrivals::Arrival { envelope, reply };
    if exchange.arrivals().send(arrival).await.is_err() {
        return Ok(internal(exchange, "the writer stopped"));
    }
    match answer.await {
        Ok(Ok(bytes)) => Ok(receipt(bytes)),
        Ok(Err(why)) => Ok(internal(exchange, why)),
        Err(_) => Ok(internal(exchange, "the writer stopped")),
    }
}

/// The signed receipt for an envelope recorded at `index` under `checkpoint`.
pub(crate) fn receipt_for(
    exchange: &Exchange,
    envelope: &Envelope,
    index: u64,
    checkpoint: &sis_ledger::SignedCheckpoint,
) -> Vec<u8> {
    let body = ReceiptBody::for_envelope(
        envelope,
        exchange.country,
        now(),
        index,
        String::from_utf8_lossy(&checkpoint.to_bytes()).into_owned(),
    );
    Receipt::seal(body, exchange.kid(), exchange.signing_key())
        .bytes()
        .to_vec()
}

/// Keeps the receipt given for an envelope, to give it again for a duplicate.
pub(crate) async fn keep_receipt<'e>(
    exec: impl sqlx::Executor<'e, Database = sqlx::Any>,
    envelope: &Envelope,
    bytes: &[u8],
) -> Result<(), ExchangeError> {
    sqlx::query("UPDATE envelopes SET receipt = $1 WHERE id = $2 AND receipt IS NULL")
        .bind(String::from_utf8_lossy(bytes).into_owned())
        .bind(envelope.id().to_string())
        .execute(exec)
        .await?;
    Ok(())
}

async fn reissue(
    exchange: &Exchange,
    id: &str,
    trust: &sis_exchange::TrustList,
) -> Result<Response, ExchangeError> {
    let Some((bytes, index)) = exchange.stored(id).await? else {
        return Ok(StatusCode::SERVICE_UNAVAILABLE.into_response());
    };
    let envelope = UnverifiedEnvelope::parse(&bytes)
        .map_err(|e| ExchangeError::Seal(e.to_string()))?
        .verify(trust)
        .map_err(|r| ExchangeError::Seal(r.message))?;
    let checkpoint = exchange.log.checkpoint_covering(index + 1).await?;
    let bytes = receipt_for(exchange, &envelope, index, &checkpoint);
    keep_receipt(&exchange.store.pool, &envelope, &bytes).await?;
    Ok(receipt(bytes))
}
