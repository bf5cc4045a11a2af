//! Login sessions. Only the SHA-256 of a token is stored, so a copy of the database
//! does not let anyone act as an officer.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Store, StoreError};
use crate::ids::{OfficerId, SessionId};

#[derive(Debug, Clone)]
pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub officer_id: OfficerId,
    pub expires_at: i64,
    pub address: Option<&'a str>,
}

#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub id: SessionId,
    pub officer_id: OfficerId,
    pub created_at: i64,
    pub expires_at: i64,
    pub last_seen_at: i64,
    pub revoked_at: Option<i64>,
}

fn from_row(row: &AnyRow) -> Result<SessionRecord, StoreError> {
    Ok(SessionRecord {
        id: SessionId(row.try_get("id")?),
        officer_id: OfficerId(row.try_get("officer_id")?),
        created_at: row.try_get("created_at")?,
        expires_at: row.try_get("expires_at")?,
        last_seen_at: row.try_get("last_seen_at")?,
        revoked_at: row.try_get("revoked_at")?,
    })
}

impl Store {
    pub async fn insert_session(
        &self,
        s: &NewSession<'_>,
        now: i64,
    ) -> Result<SessionId, StoreError> {
        let row = sqlx::query(
            "INSERT INTO sessions (token_hash, officer_id, created_at, expires_at, last_seen_at, address) \
             VALUES ($1, $2, $3, $4, $3, $5) RETURNING id",
        )
        .bind(s.token_hash)
        .bind(s.officer_id.0)
        .bind(now)
        .bind(s.expires_at)
        .bind(s.address)
        .fetch_one(&self.pool)
        .await
        .map_err(|e| StoreError::from_insert(e, "token"))?;
        Ok(SessionId(row.try_get("id")?))
    }

    pub async fn session_by_token_hash(
        &self,
        token_hash: &str,
    ) -> Result<Option<SessionRecord>, StoreError> {
        sqlx::query(
            "SELECT id, officer_id, created_at, expires_at, last_seen_at, revoked_at \
             FROM sessions WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
    }

    pub async fn session_by_id(&self, id: SessionId) -> Result<Option<SessionRecord>, StoreError> {
        sqlx::query(
            "SELECT id, officer_id, created_at, expires_at, last_seen_at, revoked_at \
             FROM sessions WHERE id = $1",
        )
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
    }

    pub async fn touch_session(&self, id: SessionId, now: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id = $2 AND last_seen_at < $1")
            .bind(now)
            .bind(id.0)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Revokes one session; revoking twice keeps the first time.
    pub async fn revoke_session(&self, id: SessionId, now: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(now)
            .bind(id.0)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
