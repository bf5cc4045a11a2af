//! The one error shape clients see: a stable machine code and a sentence for a person.

use serde::{Deserialize, Serialize};

/// Stable error codes. Clients branch on these; their spelling never changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorCode {
    /// No bearer token, or one the node does not know.
    Unauthenticated,
    /// Login or password wrong (the node does not say which).
    InvalidCredentials,
    /// The session passed its lifetime or its idle timeout.
    SessionExpired,
    /// The account was disabled by an administrator.
    AccountDisabled,
    /// Too many failed logins; try again later.
    TooManyAttempts,
    /// Authenticated, but the role, agency or country does not allow this.
    Forbidden,
    /// The request is malformed (bad JSON, missing or invalid field).
    BadRequest,
    /// The body exceeds the endpoint's limit.
    PayloadTooLarge,
    NotFound,
    /// The request conflicts with what is stored (e.g. a login that exists).
    Conflict,
    /// The node could not reach something it needs (its database, a peer).
    Unavailable,
    /// A fault inside the node; details are in its log, never in the response.
    Internal,
    /// The desktop shell could not reach the node or read its answer.
    Network,
    /// A message that is valid on its own but not now (an offer before joining, an answer
    /// with no offer pending).
    OutOfOrder,
    /// The meeting has ended; it cannot be joined or changed.
    MeetingEnded,
    /// The node has no media server, or it could not take this participant's media.
    MediaUnavailable,
    /// Too many messages in a short time (chat); slow down and send again.
    RateLimited,
    /// A code from a newer node that this client does not know yet.
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Unauthenticated => "unauthenticated",
            ErrorCode::InvalidCredentials => "invalid_credentials",
            ErrorCode::SessionExpired => "session_expired",
            ErrorCode::AccountDisabled => "account_disabled",
            ErrorCode::TooManyAttempts => "too_many_attempts",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::BadRequest => "bad_request",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::NotFound => "not_found",
            ErrorCode::Conflict => "conflict",
            ErrorCode::Unavailable => "unavailable",
            ErrorCode::Internal => "internal",
            ErrorCode::Network => "network",
            ErrorCode::OutOfOrder => "out_of_order",
            ErrorCode::MeetingEnded => "meeting_ended",
            ErrorCode::MediaUnavailable => "media_unavailable",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::Unknown => "unknown",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Body of every error response: `{"code": "...", "message": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub code: ErrorCode,
    /// A sentence a person understands; never a database's or library's text.
    pub message: String,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialise_as_their_stable_spelling() {
        for code in [
            ErrorCode::Unauthenticated,
            ErrorCode::InvalidCredentials,
            ErrorCode::SessionExpired,
            ErrorCode::AccountDisabled,
            ErrorCode::TooManyAttempts,
            ErrorCode::Forbidden,
            ErrorCode::BadRequest,
            ErrorCode::PayloadTooLarge,
            ErrorCode::NotFound,
            ErrorCode::Conflict,
            ErrorCode::Unavailable,
            ErrorCode::Internal,
            ErrorCode::Network,
            ErrorCode::OutOfOrder,
            ErrorCode::MeetingEnded,
            ErrorCode::MediaUnavailable,
        ] {
            let json = serde_json::to_string(&code).expect("a unit variant serialises");
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
    }

    #[test]
    fn an_unknown_code_from_a_newer_node_is_kept_readable() {
        let e: ApiError = serde_json::from_str(r#"{"code":"quota_exceeded","message":"m"}"#)
            .expect("unknown codes map to Unknown");
        assert_eq!(e.code, ErrorCode::Unknown);
    }
}
