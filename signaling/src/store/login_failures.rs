//! Failed logins per (login, client address), for lockout.

use sqlx::Row;

use super::{Store, StoreError};

impl Store {
    pub async fn record_login_failure(
        &self,
        login: &str,
        address: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO login_failures (login, address, at) VALUES ($1, $2, $3)")
            .bind(login)
            .bind(address)
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Failures of `login` from `address` at or after `since`, and when the last one was.
    pub async fn login_failures_since(
        &self,
        login: &str,
        address: &str,
        since: i64,
    ) -> Result<(i64, Option<i64>), StoreError> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n, MAX(at) AS last FROM login_failures \
             WHERE login = $1 AND address = $2 AND at >= $3",
        )
        .bind(login)
        .bind(address)
        .bind(since)
        .fetch_one(&self.pool)
        .await?;
        Ok((row.try_get("n")?, row.try_get("last")?))
    }

    /// Failures from `address`, whatever the login, at or after `since`.
    pub async fn address_failures_since(
        &self,
        address: &str,
        since: i64,
    ) -> Result<i64, StoreError> {
        let row =
            sqlx::query("SELECT COUNT(*) AS n FROM login_failures WHERE address = $1 AND at >= $2")
                .bind(address)
                .bind(since)
                .fetch_one(&self.pool)
                .await?;
        Ok(row.try_get("n")?)
    }

    /// The oldest failure from `address` at or after `since`: when it leaves the window,
    /// the address has budget again.
    pub async fn oldest_address_failure_since(
        &self,
        address: &str,
        since: i64,
    ) -> Result<Option<i64>, StoreError> {
        let row = sqlx::query(
            "SELECT MIN(at) AS first FROM login_failures WHERE address = $1 AND at >= $2",
        )
        .bind(address)
        .bind(since)
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get("first")?)
    }

    /// Forgets the failures of a login from an address after it succeeded there.
    pub async fn clear_login_failures(&self, login: &str, address: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM login_failures WHERE login = $1 AND address = $2")
            .bind(login)
            .bind(address)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
