//! Logging in, authenticating a token, logging out, with lockout after repeated failures.
//! Every login attempt and logout is written to the audit log here, so no caller can
//! forget to.

use sis_proto::Officer;

use crate::auth::hashing::{HashingError, PasswordPool};
use crate::auth::token;
use crate::ids::{CountryCode, Login, OfficerId, SessionId};
use crate::store::{
    AuditAction, NewAuditEntry, NewSession, OfficerRecord, SessionRecord, Store, StoreError,
};

/// Lifetimes and lockout limits (from the `[sessions]` and `[login]` configuration).
#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    /// A session ends this long after login at the latest.
    pub lifetime_ms: i64,
    /// A session ends after this long without a request.
    pub idle_ms: i64,
    /// Failed logins for one login from one address within the window before that pair
    /// is locked; each further failure doubles the wait (from one minute, up to the window).
    /// Counted per address so that a stranger's guesses cannot lock the real user out.
    pub max_failures: i64,
    /// Failed logins from one address, whatever the login, within the window before the
    /// address is locked: one client cannot try many logins.
    pub address_budget: i64,
    /// The lockout window: failures older than this are forgotten.
    pub failure_window_ms: i64,
}

/// The wait after the first lock; it doubles with every further failure.
const FIRST_LOCK_MS: i64 = 60_000;

impl SessionPolicy {
    /// How long a (login, address) pair with `failures` recent failures must wait after its
    /// last one; zero below the threshold.
    pub fn lock_for(&self, failures: i64) -> i64 {
        if failures < self.max_failures {
            return 0;
        }
        let doublings = (failures - self.max_failures).min(20) as u32;
        FIRST_LOCK_MS
            .saturating_mul(1 << doublings)
            .min(self.failure_window_ms)
    }
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy {
            lifetime_ms: 12 * 3600 * 1000,
            idle_ms: 30 * 60 * 1000,
            max_failures: 5,
            address_budget: 50,
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
    #[error(transparent)]
    Hashing(#[from] HashingError),
}

/// A verified caller: the account and the session the token belongs to.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub officer_id: OfficerId,
    pub session_id: SessionId,
    pub login: Login,
    pub country: CountryCode,
    /// The account as clients see it.
    pub officer: Officer,
}

impl Authenticated {
    fn of(record: OfficerRecord, session_id: SessionId) -> Authenticated {
        Authenticated {
            officer_id: record.id,
            session_id,
            login: record.login,
            country: record.country,
            officer: record.officer,
        }
    }
}

/// Result of a successful login.
#[derive(Debug)]
pub struct LoggedIn {
    pub token: String,
    pub expires_at: i64,
    pub who: Authenticated,
}

/// Checks login and password and opens a session. `address` is the client's; a login
/// without one (the command line, tests) counts as one address of its own.
pub async fn login(
    store: &Store,
    policy: &SessionPolicy,
    pool: &PasswordPool,
    login: &str,
    password: &str,
    address: Option<&str>,
    now: i64,
) -> Result<LoggedIn, AuthError> {
    let audit = |action: AuditAction, outcome: &'static str| NewAuditEntry {
        actor: Some(login),
        action,
        target: Some(login),
        address,
        outcome,
    };
    let from = address.unwrap_or(LOCAL);
    if let Some(retry_after_s) = locked(store, policy, login, from, now).await? {
        store
            .append_audit(&audit(AuditAction::SessionCreate, "too_many_attempts"), now)
            .await?;
        return Err(AuthError::TooManyAttempts { retry_after_s });
    }
    // A name no account can have is a wrong login, answered as slowly as any other.
    let record = match Login::parse(login) {
        Ok(login) => store.officer_by_login(&login).await?,
        Err(_) => None,
    };
    let ok = match &record {
        Some(r) => pool.verify(password, &r.password_hash).await?,
        None => {
            pool.verify_dummy(password).await?;
            false
        }
    };
    let Some(record) = record.filter(|_| ok) else {
        store.record_login_failure(login, from, now).await?;
        store
            .append_audit(
                &audit(AuditAction::SessionCreate, "invalid_credentials"),
                now,
            )
            .await?;
        // The failure that reaches a threshold is the lockout: recorded once, as such.
        let since = now - policy.failure_window_ms;
        let (pair, _) = store.login_failures_since(login, from, since).await?;
        if pair == policy.max_failures {
            store
                .append_audit(
                    &audit(AuditAction::SessionLockout, "login_from_address"),
                    now,
                )
                .await?;
        }
        if store.address_failures_since(from, since).await? == policy.address_budget {
            store
                .append_audit(&audit(AuditAction::SessionLockout, "address"), now)
                .await?;
        }
        return Err(AuthError::InvalidCredentials);
    };
    if record.officer.disabled {
        store
            .append_audit(&audit(AuditAction::SessionCreate, "account_disabled"), now)
            .await?;
        return Err(AuthError::AccountDisabled);
    }
    store.clear_login_failures(login, from).await?;
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
    store
        .append_audit(&audit(AuditAction::SessionCreate, "ok"), now)
        .await?;
    Ok(LoggedIn {
        token,
        expires_at,
        who: Authenticated::of(record, session_id),
    })
}

/// The address recorded for logins that came without one.
const LOCAL: &str = "local";

/// Seconds to wait when `login` from `address` is locked, by its own failures or by the
/// address's budget.
async fn locked(
    store: &Store,
    policy: &SessionPolicy,
    login: &str,
    address: &str,
    now: i64,
) -> Result<Option<i64>, AuthError> {
    let since = now - policy.failure_window_ms;
    let (failures, last) = store.login_failures_since(login, address, since).await?;
    let pair_wait = last.map_or(0, |last| last + policy.lock_for(failures) - now);
    let address_wait =
        if store.address_failures_since(address, since).await? >= policy.address_budget {
            store
                .oldest_address_failure_since(address, since)
                .await?
                .map_or(0, |oldest| oldest + policy.failure_window_ms - now)
        } else {
            0
        };
    let wait = pair_wait.max(address_wait);
    Ok((wait > 0).then(|| (wait + 999) / 1000))
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
    let who = check(store, policy, &session, now).await?;
    touch(store, &session, now).await?;
    Ok(who)
}

/// Re-checks a session already authenticated (an open WebSocket does this periodically).
/// The check is not activity: a socket left open does not keep its session alive; what the
/// client sends over it does ([`touch_session`]).
pub async fn authenticate_session(
    store: &Store,
    policy: &SessionPolicy,
    session_id: SessionId,
    now: i64,
) -> Result<Authenticated, AuthError> {
    let session = store
        .session_by_id(session_id)
        .await?
        .ok_or(AuthError::Unauthenticated)?;
    check(store, policy, &session, now).await
}

/// Records activity on a session (a message over its WebSocket), as a request would.
pub async fn touch_session(
    store: &Store,
    session_id: SessionId,
    now: i64,
) -> Result<(), AuthError> {
    if let Some(session) = store.session_by_id(session_id).await? {
        touch(store, &session, now).await?;
    }
    Ok(())
}

async fn touch(store: &Store, session: &SessionRecord, now: i64) -> Result<(), AuthError> {
    // One write a minute at most per session: enough precision for a 30-minute idle
    // timeout without turning every read into a write.
    if now - session.last_seen_at >= 60_000 {
        store.touch_session(session.id, now).await?;
    }
    Ok(())
}

async fn check(
    store: &Store,
    policy: &SessionPolicy,
    session: &SessionRecord,
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
    Ok(Authenticated::of(record, session.id))
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
                actor: Some(who.login.as_str()),
                action: AuditAction::SessionDelete,
                target: Some(who.login.as_str()),
                address,
                outcome: "ok",
            },
            now,
        )
        .await?;
    Ok(())
}
