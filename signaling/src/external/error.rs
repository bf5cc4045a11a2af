//! The external face's refusals, each with the stable code of `docs/exchange-protocol.md`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// Why a peer's request was refused before a module saw it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExternalError {
    #[error("no client certificate on this connection")]
    NoCertificate,
    #[error("the client certificate is not one of a current member's node certificates")]
    NotMember,
    #[error("the request claims sender {claimed}, the certificate is of {peer}")]
    SenderMismatch { claimed: String, peer: String },
}

impl ExternalError {
    pub fn code(&self) -> &'static str {
        match self {
            ExternalError::NoCertificate | ExternalError::NotMember => "not_member",
            ExternalError::SenderMismatch { .. } => "sender_mismatch",
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            ExternalError::NoCertificate => StatusCode::UNAUTHORIZED,
            ExternalError::NotMember | ExternalError::SenderMismatch { .. } => {
                StatusCode::FORBIDDEN
            }
        }
    }
}

impl IntoResponse for ExternalError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "code": self.code(), "message": self.to_string() });
        (self.status(), axum::Json(body)).into_response()
    }
}
