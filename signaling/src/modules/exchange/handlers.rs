//! The log's proofs and the peers' state over HTTP.

use axum::Json;
use axum::extract::{Path, State};
use base64::Engine;
use sis_proto::ledger::{LedgerProof, PeerList, PeerState};
use sqlx::Row;

use crate::external::log::LogError;
use crate::internal::access::{Admin, Staff};
use crate::internal::error::AppError;
use crate::node::state::AppState;

pub(super) fn log_error(e: LogError) -> AppError {
    match e {
        LogError::Store(store) => store.into(),
        other => AppError::internal(other),
    }
}

/// # `GET /api/v1/ledger/proof/{envelope_id}`
pub async fn proof(
    _: Staff,
    State(state): State<AppState>,
    Path(envelope_id): Path<String>,
) -> Result<Json<LedgerProof>, AppError> {
    let exchange = &state.exchange;
    let row = sqlx::query(
        "SELECT l.idx, e.direction FROM log_leaves l JOIN envelopes e ON e.id = l.envelope_id \
         WHERE l.envelope_id = $1",
    )
    .bind(&envelope_id)
    .fetch_optional(&state.store.pool)
    .await
    .map_err(crate::store::StoreError::from)?;
    let Some(row) = row else {
        return Err(AppError::not_found_with(
            "This node's log holds no such envelope.",
        ));
    };
    let index = row
        .try_get::<i64, _>("idx")
        .map_err(crate::store::StoreError::from)? as u64;
    let direction: String = row
        .try_get("direction")
        .map_err(crate::store::StoreError::from)?;
    let log = &exchange.log;
    let signed = log
        .checkpoint_covering(index + 1)
        .await
        .map_err(log_error)?;
    let size = signed.checkpoint().size();
    let inclusion = log.inclusion(index, size).await.map_err(log_error)?;
    let leaf = log
        .entry(index)
        .await
        .map_err(log_error)?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("log entry {index} is missing")))?;
    let plain = String::from_utf8_lossy(&signed.to_bytes()).into_owned();
    let mut cosigned = signed.clone();
    for cosignature in log.cosignatures(size).await.map_err(log_error)? {
        cosigned.add_cosignature(&cosignature);
    }
    let cosigned = String::from_utf8_lossy(&cosigned.to_bytes()).into_owned();
    let cosignatures = cosigned
        .lines()
        .filter(|line| line.starts_with('\u{2014}') && !plain.lines().any(|p| p == *line))
        .map(String::from)
        .collect();
    Ok(Json(LedgerProof {
        envelope_id,
        direction,
        leaf_index: index,
        tree_size: size,
        leaf: base64::engine::general_purpose::STANDARD.encode(&leaf),
        audit_path: inclusion.path.iter().map(hex::encode).collect(),
        root_hash: hex::encode(signed.checkpoint().root()),
        checkpoint: plain,
        cosignatures,
    }))
}

/// # `GET /api/v1/exchange/peers`
pub async fn peers(_: Admin, State(state): State<AppState>) -> Result<Json<PeerList>, AppError> {
    let Some(trust) = &state.exchange.trust else {
        return Ok(Json(PeerList {
            trust_list_version: None,
            peers: Vec::new(),
        }));
    };
    let trust = trust.current();
    let mut peers = Vec::new();
    for member in &trust.content().members {
        if member.country == state.country {
            continue;
        }
        peers.push(peer_state(&state, member).await?);
    }
    Ok(Json(PeerList {
        trust_list_version: Some(trust.version()),
        peers,
    }))
}

async fn peer_state(
    state: &AppState,
    member: &sis_exchange::Member,
) -> Result<PeerState, AppError> {
    let pool = &state.store.pool;
    let country = member.country.as_str();
    let db = crate::store::StoreError::from;
    let counts =
        sqlx::query("SELECT state, COUNT(*) AS n FROM outbox WHERE recipient = $1 GROUP BY state")
            .bind(country)
            .fetch_all(pool)
            .await
            .map_err(db)?;
    let mut by_state = std::collections::HashMap::new();
    for row in counts {
        let s: String = row.try_get("state").map_err(db)?;
        let n: i64 = row.try_get("n").map_err(db)?;
        by_state.insert(s, n as u64);
    }
    let last_error: Option<String> = sqlx::query(
        "SELECT last_error FROM outbox WHERE recipient = $1 AND state IN ('queued', 'in_flight') \
         AND last_error IS NOT NULL ORDER BY updated_at DESC LIMIT 1",
    )
    .bind(country)
    .fetch_optional(pool)
    .await
    .map_err(db)?
    .map(|r| r.try_get("last_error"))
    .transpose()
    .map_err(db)?;
    let cosigned = sqlx::query("SELECT tree_size, seen_at FROM peer_logs WHERE country = $1")
        .bind(country)
        .fetch_optional(pool)
        .await
        .map_err(db)?;
    let forks: i64 = sqlx::query("SELECT COUNT(*) FROM log_forks WHERE country = $1")
        .bind(country)
        .fetch_one(pool)
        .await
        .map_err(db)?
        .try_get(0)
        .map_err(db)?;
    let count = |s: &str| by_state.get(s).copied().unwrap_or(0);
    Ok(PeerState {
        country: country.to_owned(),
        name: member.name.clone(),
        external_url: member.external_url.clone(),
        queued: count("queued"),
        in_flight: count("in_flight"),
        delivered: count("delivered"),
        refused: count("refused"),
        last_error,
        cosigned_size: cosigned
            .as_ref()
            .map(|r| r.try_get::<i64, _>("tree_size").map(|n| n as u64))
            .transpose()
            .map_err(db)?,
        cosigned_at: cosigned
            .as_ref()
            .map(|r| r.try_get::<i64, _>("seen_at"))
            .transpose()
            .map_err(db)?,
        forks: forks as u64,
    })
}
