//! Failed logins per login name, for lockout.

use sqlx::Row;

use super::{Store, StoreError};

impl Store {
    pub async fn record_login_failure(&self, login: &str, now: i64) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO login_failures (login, at) VALUES ($1, $2)")
            .bind(login)
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Failures for `login` at or after `since`.
    pub async fn login_failures_since(&self, login: &str, since: i64) -> Result<i64, StoreError> {
        let row =
            sqlx::query("SELECT COUNT(*) AS n FROM login_failures WHERE login = $1 AND at >= $2")
                .bind(login)
                .bind(since)
                .fetch_one(&self.pool)
                .await?;
        Ok(row.try_get("n")?)
    }

    /// Forgets the failures of a login after it succeeded.
    pub async fn clear_login_failures(&self, login: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM login_failures WHERE login = $1")
            .bind(login)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
