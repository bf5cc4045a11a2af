//! The audit log: append-only; nothing in the node updates or deletes a row.

use sis_proto::audit::AuditEntry;
use sqlx::Row;

use super::{Store, StoreError};

#[derive(Debug, Clone)]
pub struct NewAuditEntry<'a> {
    pub actor: Option<&'a str>,
    pub action: &'a str,
    pub target: Option<&'a str>,
    pub address: Option<&'a str>,
    pub outcome: &'a str,
}

impl Store {
    pub async fn append_audit(&self, e: &NewAuditEntry<'_>, now: i64) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "INSERT INTO audit_log (at, actor, action, target, address, outcome) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(now)
        .bind(e.actor)
        .bind(e.action)
        .bind(e.target)
        .bind(e.address)
        .bind(e.outcome)
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get("id")?)
    }

    /// Newest first; `before` pages backwards by id.
    pub async fn list_audit(
        &self,
        limit: u32,
        before: Option<i64>,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, at, actor, action, target, address, outcome FROM audit_log \
             WHERE id < $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(before.unwrap_or(i64::MAX))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditEntry {
                    id: r.try_get("id")?,
                    at: r.try_get("at")?,
                    actor: r.try_get("actor")?,
                    action: r.try_get("action")?,
                    target: r.try_get("target")?,
                    address: r.try_get("address")?,
                    outcome: r.try_get("outcome")?,
                })
            })
            .collect()
    }
}
