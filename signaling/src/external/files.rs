//! Files that travel beside documents (a letter's attachments): the document names each by
//! its SHA-256; the receiver fetches the bytes from the sender's external face and keeps
//! them only if they hash to that name. A sender serves a file only to a member it sent a
//! document naming it.

use std::time::Duration;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use sqlx::Row;

use crate::external::ExternalState;
use crate::external::access::Peer;
use crate::external::delivery::Clients;
use crate::external::exchange::Exchange;

/// The largest file fetched from a peer (as the largest a letter may carry).
const MAX_FILE: u64 = sis_proto::letter::MAX_ATTACHMENT_BYTES;

/// # `GET /external/v1/files/{sha256}`
pub async fn serve(
    State(state): State<ExternalState>,
    Peer(peer): Peer,
    Path(sha256): Path<String>,
) -> Response {
    let Some(exchange) = &state.exchange else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Some(files) = &exchange.files else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let shared = sqlx::query(
        "SELECT 1 FROM letter_attachments a JOIN letter_recipients r ON r.letter_id = a.letter_id \
         WHERE a.sha256 = $1 AND r.country = $2 AND r.envelope_id IS NOT NULL LIMIT 1",
    )
    .bind(&sha256)
    .bind(peer.as_str())
    .fetch_optional(&exchange.store.pool)
    .await;
    match shared {
        Ok(Some(_)) => {}
        Ok(None) => {
            tracing::debug!(%peer, file = %sha256, "a file asked for by a member it was not sent to");
            return StatusCode::NOT_FOUND.into_response();
        }
        Err(e) => {
            tracing::error!("looking up a shared file: {e}");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    }
    match files.open(&sha256).await {
        Ok(file) => (
            [(header::CONTENT_TYPE, "application/octet-stream")],
            Body::from_stream(tokio_util::io::ReaderStream::new(file)),
        )
            .into_response(),
        Err(e) => {
            tracing::warn!(file = %sha256, "a shared file is not in the files folder: {e}");
            StatusCode::NOT_FOUND.into_response()
        }
    }
}

/// Fetches every file of a received letter that is not here yet, from the letter's sender.
/// Returns how many arrived.
pub async fn fetch_missing(exchange: &Exchange, clients: &Clients) -> usize {
    let (Some(files), Some(trust)) = (&exchange.files, &exchange.trust) else {
        return 0;
    };
    let rows = sqlx::query(
        "SELECT DISTINCT a.sha256, l.sender FROM letter_attachments a \
         JOIN letters l ON l.id = a.letter_id WHERE l.mailbox = 'inbox'",
    )
    .fetch_all(&exchange.store.pool)
    .await;
    let rows = match rows {
        Ok(rows) => rows,
        Err(e) => {
            tracing::warn!("listing received files: {e}");
            return 0;
        }
    };
    let trust = trust.current();
    let mut arrived = 0;
    for row in rows {
        let (Ok(sha256), Ok(sender)) = (
            row.try_get::<String, _>("sha256"),
            row.try_get::<String, _>("sender"),
        ) else {
            continue;
        };
        if tokio::fs::metadata(files.path(&sha256)).await.is_ok() {
            continue;
        }
        let Some(member) = sis_customs::CountryCode::parse(&sender)
            .ok()
            .and_then(|c| trust.member(c))
        else {
            continue;
        };
        let client = match clients.for_peer(
            exchange,
            member.country,
            trust.version(),
            &member.tls_ca_pem,
        ) {
            Ok(c) => c,
            Err(e) => {
                tracing::debug!(%sender, "file not fetched: {e}");
                continue;
            }
        };
        let url = format!(
            "{}/external/v1/files/{sha256}",
            member.external_url.trim_end_matches('/')
        );
        match fetch(files, &client, &url, &sha256).await {
            Ok(()) => arrived += 1,
            Err(e) => tracing::warn!(%sender, file = %sha256, "file not fetched: {e}"),
        }
    }
    arrived
}

async fn fetch(
    files: &crate::modules::letters::Files,
    client: &reqwest::Client,
    url: &str,
    sha256: &str,
) -> Result<(), String> {
    let resp = client.get(url).send().await.map_err(|e| e.to_string())?;
    if !resp.status().is_success() {
        return Err(format!("HTTP {}", resp.status()));
    }
    let body = Body::from_stream(resp.bytes_stream());
    let stored = files
        .store(body, MAX_FILE)
        .await
        .map_err(|e| e.to_string())?;
    if stored.sha256 != sha256 {
        // Kept under its own hash, never under the name it was asked for; nothing refers to it.
        let _ = tokio::fs::remove_file(files.path(&stored.sha256)).await;
        return Err(format!(
            "the bytes hash to {}, not to the name asked for",
            stored.sha256
        ));
    }
    Ok(())
}

/// Fetches missing files every `every`, and whenever woken, until the node stops.
pub fn spawn(exchange: std::sync::Arc<Exchange>, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let clients = Clients::default();
        loop {
            fetch_missing(&exchange, &clients).await;
            tokio::select! {
                _ = exchange.files_wanted() => {}
                _ = tokio::time::sleep(every) => {}
            }
        }
    })
}
