//! Logging in and out, and who am I.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use sis_proto::{LoginRequest, LoginResponse, Officer};

use crate::auth::{self, AuthError};
use crate::internal::access::SignedIn;
use crate::internal::error::AppError;
use crate::internal::extract::{ApiJson, ClientAddr};
use crate::node::metrics::LoginLabels;
use crate::node::state::{AppState, HubEvent, now_ms};

/// Longest login name; anything longer cannot exist and is not worth a lookup.
const MAX_LOGIN_LEN: usize = 64;

/// # `POST /api/v1/session`
pub async fn create(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<Json<LoginResponse>, AppError> {
    if req.login.is_empty() || req.login.len() > MAX_LOGIN_LEN {
        return Err(AppError::bad_request(format!(
            "login: must have 1 to {MAX_LOGIN_LEN} characters"
        )));
    }
    if req.password.is_empty() || req.password.len() > auth::password::MAX_LEN * 4 {
        return Err(AppError::bad_request(
            "password: must not be empty or oversized",
        ));
    }
    let result = auth::login(
        &state.store,
        &state.policy,
        &state.passwords,
        &req.login,
        &req.password,
        addr.as_deref(),
        now_ms(),
    )
    .await;
    let outcome = match &result {
        Ok(_) => "ok",
        Err(AuthError::InvalidCredentials) => "invalid_credentials",
        Err(AuthError::AccountDisabled) => "account_disabled",
        Err(AuthError::TooManyAttempts { .. }) => "too_many_attempts",
        Err(AuthError::Hashing(auth::HashingError::Busy { .. })) => {
            state.metrics.logins_shed.inc();
            "busy"
        }
        Err(_) => "error",
    };
    state
        .metrics
        .logins
        .get_or_create(&LoginLabels {
            outcome: outcome.into(),
        })
        .inc();
    let done = result?;
    tracing::info!(login = %done.who.login, "logged in");
    Ok(Json(LoginResponse {
        token: done.token,
        officer: done.who.officer,
        expires_at: done.expires_at,
    }))
}

/// # `DELETE /api/v1/session`
pub async fn delete(
    SignedIn(who): SignedIn,
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
) -> Result<StatusCode, AppError> {
    auth::logout(&state.store, &who, addr.as_deref(), now_ms()).await?;
    // No socket listening is fine: nothing to close.
    let _ = state.hub.send(HubEvent::SessionEnded {
        session_id: who.session_id,
    });
    Ok(StatusCode::NO_CONTENT)
}

/// # `GET /api/v1/me`
pub async fn me(SignedIn(who): SignedIn) -> Json<Officer> {
    Json(who.officer)
}
