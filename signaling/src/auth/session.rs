//! Logging in, authenticating a token, logging out, with lockout after repeated failures.
//! Every login attempt and logout is written to the audit log here, so no caller can
//! forget to.

use sis_proto::Officer;

use crate::auth::{password, token};
use crate::store::{NewAuditEntry, NewSession, SessionRecord, Store, StoreError};

/// Lifetimes and lockout limits (from the `[sessions]` and `[login]` configuration).
#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    /// A session ends this long after login at the latest.
    pub lifetime_ms: i64,
    /// A session ends after this long without a request.
    pub idle_ms: i64,
    /// Failed logins for one login name within the window before it is locked.
    pub max_failures: i64,
    /// The lockout window: failures older than this are forgotten.
    pub failure_window_ms: i64,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy {
            lifetime_ms: 12 * 3600 * 1000,
            idle_ms: 30 * 60 * 1000,
            max_failures: 5,
            failure_window_ms: 15 * 60 * 1000,
        }
    }
}

/// Why a login or a token is refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    #[error("login or password is wrong")]
    InvalidCredentials,
    #[error("the account is disabled")]
    AccountDisabled,
    #[error("too many failed logins; retry after {retry_after_s} s")]
    TooManyAttempts { retry_after_s: i64 },
    #[error("no valid session")]
    Unauthenticated,
    #[error("the session has expired")]
    SessionExpired,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("password hashing failed")]
    Hashing,
}

/// A verified caller: the account and the session the token belongs to.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub officer_id: i64,
    pub session_id: i64,
    pub officer: Officer,
}

/// Result of a successful login.
#[derive(Debug)]
pub struct LoggedIn {
    pub token: String,
    pub expires_at: i64,
    pub who: Authenticated,
}

/// Checks login and password and opens a session.
pub async fn login(
    store: &Store,
    policy: &SessionPolicy,
    login: &str,
    password: &str,
    address: Option<&str>,
    now: i64,
) -> Result<LoggedIn, AuthError> {
    let audit = |outcome: &'static str| NewAuditEntry {
        actor: Some(login),
        action: "session.create",
        target: Some(login),
        address,
        outcome,
    };
    let since = now - policy.failure_window_ms;
    if store.login_failures_since(login, since).await? >= policy.max_failures {
        store.append_audit(&audit("too_many_attempts"), now).await?;
        return Err(AuthError::TooManyAttempts {
            retry_after_s: policy.failure_window_ms / 1000,
        });
    }
    let record = store.officer_by_login(login).await?;
    let ok = match &record {
        Some(r) => {
            let (pw, hash) = (password.to_owned(), r.password_hash.clone());
            tokio::task::spawn_blocking(move || password::verify(&pw, &hash))
                .await
                .map_err(|_| AuthError::Hashing)?
        }
        None => {
            let pw = password.to_owned();
            tokio::task::spawn_blocking(move || password::verify_dummy(&pw))
                .await
                .map_err(|_| AuthError::Hashing)?;
            false
        }
    };
    let Some(record) = record.filter(|_| ok) else {
        store.record_login_failure(login, now).await?;
        store
            .append_audit(&audit("invalid_credentials"), now)
            .await?;
        return Err(AuthError::InvalidCredentials);
    };
    if record.officer.disabled {
        store.append_audit(&audit("account_disabled"), now).await?;
        return Err(AuthError::AccountDisabled);
    }
    store.clear_login_failures(login).await?;
    let token = token::new_token();
    let expires_at = now + policy.lifetime_ms;
    let session_id = store
        .insert_session(
            &NewSession {
                token_hash: &token::token_hash(&token),
                officer_id: record.id,
                expires_at,
                address,
            },
            now,
        )
        .await?;
    store.append_audit(&audit("ok"), now).await?;
    Ok(LoggedIn {
        token,
        expires_at,
        who: Authenticated {
            officer_id: record.id,
            session_id,
            officer: record.officer,
        },
    })
}

/// Resolves a bearer token to its caller, and records the activity for the idle timeout.
pub async fn authenticate(
    store: &Store,
    policy: &SessionPolicy,
    bearer: &str,
    now: i64,
) -> Result<Authenticated, AuthError> {
    let session = store
        .session_by_token_hash(&token::token_hash(bearer))
        .await?
        .ok_or(AuthError::Unauthenticated)?;
    check(store, policy, session, now).await
}

/// Re-checks a session already authenticated (an open WebSocket does this periodically).
pub async fn authenticate_session(
    store: &Store,
    policy: &SessionPolicy,
    session_id: i64,
    now: i64,
) -> Result<Authenticated, AuthError> {
    let session = store
        .session_by_id(session_id)
        .await?
        .ok_or(AuthError::Unauthenticated)?;
    check(store, policy, session, now).await
}

async fn check(
    store: &Store,
    policy: &SessionPolicy,
    session: SessionRecord,
    now: i64,
) -> Result<Authenticated, AuthError> {
    if session.revoked_at.is_some() {
        return Err(AuthError::Unauthenticated);
    }
    if now >= session.expires_at || now - session.last_seen_at >= policy.idle_ms {
        return Err(AuthError::SessionExpired);
    }
    let record = store
        .officer_by_id(session.officer_id)
        .await?
        .ok_or(AuthError::Unauthenticated)?;
    if record.officer.disabled {
        return Err(AuthError::AccountDisabled);
    }
    // One write a minute at most per session: enough precision for a 30-minute idle
    // timeout without turning every read into a write.
    if now - session.last_seen_at >= 60_000 {
        store.touch_session(session.id, now).await?;
    }
    Ok(Authenticated {
        officer_id: record.id,
        session_id: session.id,
        officer: record.officer,
    })
}

/// Ends a session at once.
pub async fn logout(
    store: &Store,
    who: &Authenticated,
    address: Option<&str>,
    now: i64,
) -> Result<(), AuthError> {
    store.revoke_session(who.session_id, now).await?;
    store
        .append_audit(
            &NewAuditEntry {
                actor: Some(&who.officer.login),
                action: "session.delete",
                target: Some(&who.officer.login),
                address,
                outcome: "ok",
            },
            now,
        )
        .await?;
    Ok(())
}
