//! The node's store: one sqlx [`AnyPool`] over SQLite (the embedded default) or PostgreSQL
//! (production). Queries are written once in the SQL both backends read alike (`$n`
//! parameters, `RETURNING`, BIGINT times); each backend keeps its own migrations folder, so
//! no script silently means different things on the two.

mod audit;
mod login_failures;
mod officers;
mod private;
mod sessions;

use std::str::FromStr;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, migrate::Migrator};

pub use audit::{AuditAction, NewAuditEntry};
pub use officers::{NewOfficer, OfficerRecord};
pub use private::private_dir;
use private::private_files;
pub use sessions::{NewSession, SessionRecord};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/postgres");

/// Which database the node runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Errors of the store. The database's own text stays in the log; clients get a code.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    #[error("unsupported database URL scheme in {0:?}: use sqlite:// or postgres://")]
    UnsupportedUrl(String),
    #[error("a record with this {field} already exists")]
    Duplicate { field: &'static str },
    #[error("no such {0}")]
    NotFound(&'static str),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl StoreError {
    /// Maps a unique-constraint violation to [`StoreError::Duplicate`].
    pub(crate) fn from_insert(e: sqlx::Error, field: &'static str) -> StoreError {
        match &e {
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                StoreError::Duplicate { field }
            }
            _ => StoreError::Database(e),
        }
    }
}

/// Handle to the database; cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    /// Modules' stores (`modules/*/store.rs`) query through it too.
    pub(crate) pool: AnyPool,
    backend: Backend,
}

impl Store {
    /// Connects and brings the schema up to date. For SQLite the file and its folder are
    /// created on first start and the database is put in WAL mode.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(StoreError::UnsupportedUrl(redact_url(url)));
        };
        let pool = match backend {
            Backend::Sqlite => {
                let opts = sqlx::sqlite::SqliteConnectOptions::from_str(url)?;
                let file = opts.get_filename().to_owned();
                if let Some(parent) = file.parent()
                    && !parent.as_os_str().is_empty()
                {
                    private_dir(parent).map_err(sqlx::Error::Io)?;
                }
                // The file is created on first start unless the URL says otherwise.
                let url = if url.contains("mode=") {
                    url.to_owned()
                } else if url.contains('?') {
                    format!("{url}&mode=rwc")
                } else {
                    format!("{url}?mode=rwc")
                };
                // WAL lets readers go on while one writer writes; SQLite still has one
                // writer at a time, so a small pool is enough.
                let pool = AnyPoolOptions::new()
                    .max_connections(8)
                    .after_release(|conn, _| Box::pin(leaves_no_transaction(conn)))
                    .connect(&url)
                    .await?;
                // Persistent in the file: set once, every later connection uses it.
                sqlx::query("PRAGMA journal_mode = WAL")
                    .execute(&pool)
                    .await?;
                // The database holds password hashes and sessions: the node's user only.
                private_files(&file).map_err(sqlx::Error::Io)?;
                pool
            }
            Backend::Postgres => {
                AnyPoolOptions::new()
                    .max_connections(16)
                    .connect(url)
                    .await?
            }
        };
        let migrator = match backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&pool).await?;
        Ok(Store { pool, backend })
    }

    /// A transaction that writes. On SQLite it takes the write lock at once (`BEGIN
    /// IMMEDIATE`): a transaction that reads first and writes later fails, rather than
    /// waits, when another connection wrote in between (SQLITE_BUSY_SNAPSHOT).
    ///
    /// The begin runs in a task of its own: sqlx's begin with a custom statement awaits
    /// twice, and a caller dropped between the two (a client gone, a timeout) would leave a
    /// pooled connection inside a transaction that no one ends, holding SQLite's write lock
    /// (every other writer then fails with "database is locked"). Run to its end, the
    /// transaction it makes is dropped, so rolled back, if no one is waiting for it.
    pub async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, StoreError> {
        let pool = self.pool.clone();
        let backend = self.backend;
        let begun = tokio::spawn(async move {
            match backend {
                Backend::Sqlite => pool.begin_with("BEGIN IMMEDIATE").await,
                Backend::Postgres => pool.begin().await,
            }
        })
        .await
        .map_err(|_| sqlx::Error::WorkerCrashed)?;
        Ok(begun?)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Succeeds when the database answers; for `/healthz`.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Whether a connection given back to the pool may be lent again: not if it is still
/// inside a transaction once the rollbacks queued on it have run (a future dropped half-way
/// through a begin or a commit). Closing it ends the transaction and frees the write lock.
async fn leaves_no_transaction(conn: &mut sqlx::AnyConnection) -> Result<bool, sqlx::Error> {
    use sqlx::Connection;
    // The ping runs after whatever the connection's worker has queued, rollbacks included.
    conn.ping().await?;
    let clean = !conn.is_in_transaction();
    if !clean {
        tracing::warn!("a pooled SQLite connection came back inside a transaction; closing it");
    }
    Ok(clean)
}

/// A database URL without its password, for messages and logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}://{}:***@{}", &url[..scheme_end], user, &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn passwords_in_urls_are_hidden() {
        assert_eq!(
            redact_url("postgres://sis:s3cret@db:5432/sis"),
            "postgres://sis:***@db:5432/sis"
        );
        assert_eq!(
            redact_url("sqlite://data/sis.sqlite"),
            "sqlite://data/sis.sqlite"
        );
    }
}
