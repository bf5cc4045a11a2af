//! The API's error response: a status, a stable code and a sentence; the cause goes to
//! the log, never to the client.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use sis_proto::{ApiError, ErrorCode};

use crate::auth::{AuthError, HashingError};
use crate::store::StoreError;

#[derive(Debug)]
pub struct AppError {
    pub status: StatusCode,
    pub body: ApiError,
    /// Logged, not sent.
    pub cause: Option<anyhow::Error>,
    /// Seconds for a `Retry-After` header (busy, locked).
    pub retry_after_s: Option<u64>,
}

impl AppError {
    pub fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> AppError {
        AppError {
            status,
            body: ApiError::new(code, message),
            cause: None,
            retry_after_s: None,
        }
    }

    pub fn bad_request(message: impl Into<String>) -> AppError {
        AppError::new(StatusCode::BAD_REQUEST, ErrorCode::BadRequest, message)
    }

    pub fn forbidden(message: impl Into<String>) -> AppError {
        AppError::new(StatusCode::FORBIDDEN, ErrorCode::Forbidden, message)
    }

    pub fn not_found() -> AppError {
        AppError::new(
            StatusCode::NOT_FOUND,
            ErrorCode::NotFound,
            "There is nothing at this address.",
        )
    }

    pub fn not_found_with(message: impl Into<String>) -> AppError {
        AppError::new(StatusCode::NOT_FOUND, ErrorCode::NotFound, message)
    }

    pub fn internal(cause: impl Into<anyhow::Error>) -> AppError {
        AppError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            body: ApiError::new(
                ErrorCode::Internal,
                "The node could not complete the request; the fault is recorded in its log.",
            ),
            cause: Some(cause.into()),
            retry_after_s: None,
        }
    }

    /// With a `Retry-After` header of `seconds`.
    pub fn retry_after(mut self, seconds: u64) -> AppError {
        self.retry_after_s = Some(seconds);
        self
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let Some(cause) = &self.cause {
            tracing::error!(code = %self.body.code, "{cause:#}");
        }
        let mut response = (self.status, Json(self.body)).into_response();
        if let Some(seconds) = self.retry_after_s {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        match e {
            StoreError::Database(
                sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_),
            ) => AppError {
                status: StatusCode::SERVICE_UNAVAILABLE,
                body: ApiError::new(
                    ErrorCode::Unavailable,
                    "The node's database is not answering; try again shortly.",
                ),
                cause: Some(e.into()),
                retry_after_s: Some(5),
            },
            other => AppError::internal(other),
        }
    }
}

impl From<AuthError> for AppError {
    fn from(e: AuthError) -> AppError {
        use StatusCode as S;
        match e {
            AuthError::InvalidCredentials => AppError::new(
                S::UNAUTHORIZED,
                ErrorCode::InvalidCredentials,
                "The login or the password is wrong.",
            ),
            AuthError::AccountDisabled => AppError::new(
                S::FORBIDDEN,
                ErrorCode::AccountDisabled,
                "This account is disabled; ask your node's administrator.",
            ),
            AuthError::TooManyAttempts { retry_after_s } => AppError::new(
                S::TOO_MANY_REQUESTS,
                ErrorCode::TooManyAttempts,
                format!(
                    "Too many failed logins from this address; try again in {} minute(s).",
                    (retry_after_s + 59) / 60
                ),
            )
            .retry_after(retry_after_s.max(1) as u64),
            AuthError::Unauthenticated => AppError::new(
                S::UNAUTHORIZED,
                ErrorCode::Unauthenticated,
                "Log in first: the request carries no valid session.",
            ),
            AuthError::SessionExpired => AppError::new(
                S::UNAUTHORIZED,
                ErrorCode::SessionExpired,
                "Your session has expired; log in again.",
            ),
            AuthError::Store(e) => e.into(),
            AuthError::Hashing(HashingError::Busy { retry_after_s }) => AppError::new(
                S::SERVICE_UNAVAILABLE,
                ErrorCode::Unavailable,
                "The node is busy checking other logins; try again in a moment.",
            )
            .retry_after(retry_after_s),
            AuthError::Hashing(e) => AppError::internal(e),
        }
    }
}
