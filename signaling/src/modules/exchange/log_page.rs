//! This node's own log for its administrators: size and root, the newest checkpoint with
//! the cosignatures peers made of it, the newest checkpoints, and the entries a page at a
//! time, newest first. Read-only: unlike the external face, reading never signs a
//! checkpoint.

use axum::Json;
use axum::extract::State;
use sis_proto::ledger::{
    CheckpointSummary, LedgerCheckpoint, LedgerCosignature, LedgerEntry, LedgerPage, LedgerQuery,
};
use sqlx::Row;

use super::handlers::log_error;
use crate::external::exchange::witness_country;
use crate::internal::access::Admin;
use crate::internal::error::AppError;
use crate::internal::extract::ApiQuery;
use crate::node::state::AppState;
use crate::store::StoreError;

const DEFAULT_LIMIT: u32 = 50;
const MAX_LIMIT: u32 = 200;
/// The newest checkpoints listed: enough to see the cosignatures follow the log's growth.
const CHECKPOINTS_SHOWN: i64 = 10;

/// # `GET /api/v1/exchange/log?before=&limit=`
pub async fn log(
    _: Admin,
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<LedgerQuery>,
) -> Result<Json<LedgerPage>, AppError> {
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
    if limit == 0 || limit > MAX_LIMIT {
        return Err(AppError::bad_request(format!(
            "limit: must be between 1 and {MAX_LIMIT}"
        )));
    }
    // Leaf indexes are stored as BIGINT: a larger `before` is the same as no bound.
    let before = q.before.map(|b| i64::try_from(b).unwrap_or(i64::MAX));
    let log = &state.exchange.log;
    let tree_size = log.size().await.map_err(log_error)?;
    let root = log.root(tree_size).await.map_err(log_error)?;
    let checkpoints = checkpoints(&state).await?;
    let checkpoint = match checkpoints.first() {
        Some(latest) => Some(latest_checkpoint(&state, latest.tree_size).await?),
        None => None,
    };
    let entries = entries(&state, before, limit).await?;
    let next_before = entries
        .last()
        .filter(|e| entries.len() == limit as usize && e.index > 0)
        .map(|e| e.index);
    Ok(Json(LedgerPage {
        origin: log.origin().to_owned(),
        tree_size,
        root_hash: hex::encode(root),
        checkpoint,
        checkpoints,
        entries,
        next_before,
    }))
}

/// The checkpoint of `size` as stored, with its cosignatures.
async fn latest_checkpoint(state: &AppState, size: u64) -> Result<LedgerCheckpoint, AppError> {
    let log = &state.exchange.log;
    let row = sqlx::query("SELECT note, signed_at FROM log_checkpoints WHERE tree_size = $1")
        .bind(size as i64)
        .fetch_one(&state.store.pool)
        .await
        .map_err(StoreError::from)?;
    let note: String = row.try_get("note").map_err(StoreError::from)?;
    let signed_at: i64 = row.try_get("signed_at").map_err(StoreError::from)?;
    let cosignatures = log
        .cosignatures_received(size)
        .await
        .map_err(log_error)?
        .into_iter()
        .map(|(cosignature, received_at)| LedgerCosignature {
            witness: cosignature.name().to_owned(),
            peer: witness_country(cosignature.name()).map(|c| c.as_str().to_owned()),
            cosigned_at: i64::try_from(cosignature.timestamp())
                .unwrap_or(i64::MAX)
                .saturating_mul(1000),
            received_at,
            line: cosignature.to_note_signature().to_string(),
        })
        .collect();
    Ok(LedgerCheckpoint {
        tree_size: size,
        note,
        signed_at,
        cosignatures,
    })
}

/// The newest checkpoints with the number of cosignatures kept for each.
async fn checkpoints(state: &AppState) -> Result<Vec<CheckpointSummary>, AppError> {
    let rows = sqlx::query(
        "SELECT c.tree_size, c.note, c.signed_at, COUNT(s.witness) AS n \
         FROM log_checkpoints c LEFT JOIN log_cosignatures s ON s.tree_size = c.tree_size \
         GROUP BY c.tree_size, c.note, c.signed_at ORDER BY c.tree_size DESC LIMIT $1",
    )
    .bind(CHECKPOINTS_SHOWN)
    .fetch_all(&state.store.pool)
    .await
    .map_err(StoreError::from)?;
    let verifier = state.exchange.log.verifier();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let size: i64 = row.try_get("tree_size").map_err(StoreError::from)?;
        let note: String = row.try_get("note").map_err(StoreError::from)?;
        // Opened with the log's own key: a damaged row is reported, not shown as signed.
        let signed = sis_ledger::SignedCheckpoint::open(note.as_bytes(), verifier)
            .map_err(|e| AppError::internal(anyhow::anyhow!("stored checkpoint {size}: {e}")))?;
        out.push(CheckpointSummary {
            tree_size: size as u64,
            root_hash: hex::encode(signed.checkpoint().root()),
            signed_at: row.try_get("signed_at").map_err(StoreError::from)?,
            cosignatures: row.try_get::<i64, _>("n").map_err(StoreError::from)? as u64,
        });
    }
    Ok(out)
}

/// Up to `limit` leaves below `before`, newest first, with what the node stored of their
/// envelopes.
async fn entries(
    state: &AppState,
    before: Option<i64>,
    limit: u32,
) -> Result<Vec<LedgerEntry>, AppError> {
    let rows = sqlx::query(
        "SELECT l.idx, l.envelope_id, l.entry, e.doc_type, e.recipients, e.stored_at \
         FROM log_leaves l LEFT JOIN envelopes e ON e.id = l.envelope_id \
         WHERE l.idx < $1 ORDER BY l.idx DESC LIMIT $2",
    )
    .bind(before.unwrap_or(i64::MAX))
    .bind(i64::from(limit))
    .fetch_all(&state.store.pool)
    .await
    .map_err(StoreError::from)?;
    let db = StoreError::from;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let index = row.try_get::<i64, _>("idx").map_err(db)? as u64;
        let entry: Vec<u8> = row.try_get("entry").map_err(db)?;
        let logged = Logged::parse(&entry);
        let recipients: Option<String> = row.try_get("recipients").map_err(db)?;
        out.push(LedgerEntry {
            index,
            envelope_id: row.try_get("envelope_id").map_err(db)?,
            direction: logged.direction.to_owned(),
            sender: logged.sender.to_owned(),
            envelope_sha256: logged.sha256.to_owned(),
            doc_type: row.try_get("doc_type").map_err(db)?,
            recipients: recipients
                .as_deref()
                .map(split_recipients)
                .unwrap_or_default(),
            logged_at: row.try_get("stored_at").map_err(db)?,
        });
    }
    Ok(out)
}

/// The lines of a logged entry the page shows. The entry is what the tree commits to, so
/// direction and sender come from it, not from the envelope row beside it.
#[derive(Debug, PartialEq, Eq)]
struct Logged<'a> {
    direction: &'a str,
    sender: &'a str,
    sha256: &'a str,
}

impl<'a> Logged<'a> {
    /// Lines 3 to 5 of a `carec-sis/log-entry/v1` entry; empty fields for bytes of another
    /// form, which the page shows as they are rather than failing the whole page.
    fn parse(entry: &'a [u8]) -> Logged<'a> {
        let empty = Logged {
            direction: "",
            sender: "",
            sha256: "",
        };
        let Ok(text) = std::str::from_utf8(entry) else {
            return empty;
        };
        let lines: Vec<&str> = text.split_terminator('\n').collect();
        match lines[..] {
            [header, _id, direction, sender, sha256]
                if header == sis_ledger::entry::ENTRY_HEADER =>
            {
                Logged {
                    direction,
                    sender,
                    sha256,
                }
            }
            _ => empty,
        }
    }
}

/// The stored recipients (`KZ,UZ`, or `*` for all members) as a list.
fn split_recipients(stored: &str) -> Vec<String> {
    stored
        .split(',')
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_logged_entry_gives_its_direction_sender_and_hash() {
        let entry = sis_ledger::log_entry(
            "0190b0c4-8d5e-7a3b-9c1d-2e3f4a5b6c7d",
            sis_ledger::Direction::Accepted,
            "UZ",
            b"{}",
        )
        .expect("entry");
        let logged = Logged::parse(&entry);
        assert_eq!((logged.direction, logged.sender), ("accepted", "UZ"));
        assert_eq!(logged.sha256.len(), 64);
    }

    #[test]
    fn bytes_of_another_form_give_empty_fields() {
        for bytes in [&b"forged 1\n"[..], b"", &[0xff, 0xfe]] {
            let logged = Logged::parse(bytes);
            assert_eq!(
                (logged.direction, logged.sender, logged.sha256),
                ("", "", "")
            );
        }
    }

    #[test]
    fn recipients_split_on_commas() {
        assert_eq!(split_recipients("KZ,UZ"), ["KZ", "UZ"]);
        assert_eq!(split_recipients("*"), ["*"]);
        assert!(split_recipients("").is_empty());
    }
}
