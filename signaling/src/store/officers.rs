//! Officer accounts.

use sis_proto::{Officer, Role};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Store, StoreError};
use crate::ids::{CountryCode, Login, OfficerId};

/// An account as stored, with its password hash (never sent to a client).
#[derive(Debug, Clone)]
pub struct OfficerRecord {
    pub id: OfficerId,
    /// The officer's login and country, parsed; the same as in `officer`.
    pub login: Login,
    pub country: CountryCode,
    pub officer: Officer,
    pub password_hash: String,
}

/// What `officer add` inserts.
#[derive(Debug, Clone)]
pub struct NewOfficer<'a> {
    pub login: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub agency: &'a str,
    pub country: &'a str,
    pub password_hash: &'a str,
}

const COLUMNS: &str = "id, login, name, role, agency, country, password_hash, disabled";

fn from_row(row: &AnyRow) -> Result<OfficerRecord, StoreError> {
    let role: String = row.try_get("role")?;
    let role = Role::parse(&role)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown role {role:?} in officers")))?;
    let login: String = row.try_get("login")?;
    let country: String = row.try_get("country")?;
    Ok(OfficerRecord {
        id: OfficerId(row.try_get("id")?),
        login: Login::parse(&login)
            .map_err(|e| StoreError::Corrupt(format!("in officers: {e}")))?,
        country: CountryCode::parse(&country)
            .map_err(|e| StoreError::Corrupt(format!("in officers: {e}")))?,
        password_hash: row.try_get("password_hash")?,
        officer: Officer {
            login,
            name: row.try_get("name")?,
            role,
            agency: row.try_get("agency")?,
            country,
            disabled: row.try_get::<i64, _>("disabled")? != 0,
        },
    })
}

impl Store {
    pub async fn insert_officer(&self, o: &NewOfficer<'_>, now: i64) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "INSERT INTO officers (login, name, role, agency, country, password_hash, disabled, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $7) RETURNING id",
        )
        .bind(o.login)
        .bind(o.name)
        .bind(o.role.as_str())
        .bind(o.agency)
        .bind(o.country)
        .bind(o.password_hash)
        .bind(now)
        .fetch_one(&self.pool)
        .await
        .map_err(|e| StoreError::from_insert(e, "login"))?;
        Ok(row.try_get("id")?)
    }

    pub async fn officer_by_login(
        &self,
        login: &Login,
    ) -> Result<Option<OfficerRecord>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM officers WHERE login = $1");
        sqlx::query(&sql)
            .bind(login.as_str())
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(from_row)
            .transpose()
    }

    pub async fn officer_by_id(&self, id: OfficerId) -> Result<Option<OfficerRecord>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM officers WHERE id = $1");
        sqlx::query(&sql)
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(from_row)
            .transpose()
    }

    pub async fn list_officers(&self) -> Result<Vec<OfficerRecord>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM officers ORDER BY login");
        sqlx::query(&sql)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(from_row)
            .collect()
    }

    /// Disables or re-enables an account. Disabling also revokes its sessions, in one
    /// transaction, so no request is served for it afterwards.
    pub async fn set_officer_disabled(
        &self,
        login: &Login,
        disabled: bool,
        now: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(
            "UPDATE officers SET disabled = $1, updated_at = $2 WHERE login = $3 RETURNING id",
        )
        .bind(i64::from(disabled))
        .bind(now)
        .bind(login.as_str())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound("officer"))?;
        if disabled {
            let id = OfficerId(row.try_get("id")?);
            sessions_revoke_all(&mut tx, id, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Sets a new password hash and revokes the account's sessions.
    pub async fn set_officer_password(
        &self,
        login: &Login,
        password_hash: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(
            "UPDATE officers SET password_hash = $1, updated_at = $2 WHERE login = $3 RETURNING id",
        )
        .bind(password_hash)
        .bind(now)
        .bind(login.as_str())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound("officer"))?;
        let id = OfficerId(row.try_get("id")?);
        sessions_revoke_all(&mut tx, id, now).await?;
        tx.commit().await?;
        Ok(())
    }
}

async fn sessions_revoke_all(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    officer_id: OfficerId,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE officer_id = $2 AND revoked_at IS NULL")
        .bind(now)
        .bind(officer_id.0)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
