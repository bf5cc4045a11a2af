//! Reading the node's answer: a 2xx body is the endpoint's response, anything else is the
//! node's `{code, message}` or, when the body is not that (a proxy's error page), an
//! [`ApiError`] made from the HTTP status.

use serde::de::DeserializeOwned;
use sis_proto::{ApiError, ErrorCode};

/// A call that did not succeed, with the HTTP status when there was one (the desktop shell
/// only passes the error on).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub status: Option<u16>,
    pub error: ApiError,
}

impl Failure {
    pub fn without_status(error: ApiError) -> Self {
        Self {
            status: None,
            error,
        }
    }

    /// Whether the session is over, so the app must return to the login page: any 401, and
    /// the codes that mean the same where no status is seen.
    pub fn ends_session(&self) -> bool {
        self.status == Some(401)
            || matches!(
                self.error.code,
                ErrorCode::Unauthenticated | ErrorCode::SessionExpired | ErrorCode::AccountDisabled
            )
    }
}

/// The response for `status` and `body`, or the error they carry.
pub fn decode<T: DeserializeOwned>(status: u16, body: &str) -> Result<T, Failure> {
    if !(200..300).contains(&status) {
        return Err(Failure {
            status: Some(status),
            error: error_from(status, body),
        });
    }
    // Endpoints answering `()` may send no body at all (204).
    let body = if body.trim().is_empty() { "null" } else { body };
    serde_json::from_str(body).map_err(|_| Failure {
        status: Some(status),
        error: unreadable(),
    })
}

/// The node's error body, or one made from the status when the body is not the node's.
pub fn error_from(status: u16, body: &str) -> ApiError {
    if let Ok(error) = serde_json::from_str::<ApiError>(body) {
        return error;
    }
    let code = match status {
        400 | 422 => ErrorCode::BadRequest,
        401 => ErrorCode::Unauthenticated,
        403 => ErrorCode::Forbidden,
        404 => ErrorCode::NotFound,
        409 => ErrorCode::Conflict,
        413 => ErrorCode::PayloadTooLarge,
        429 => ErrorCode::TooManyAttempts,
        502..=504 => ErrorCode::Unavailable,
        _ => ErrorCode::Internal,
    };
    ApiError::new(
        code,
        format!("The node answered with HTTP status {status}."),
    )
}

/// The node could not be reached, or what came back is not what the endpoint promises.
pub fn unreadable() -> ApiError {
    ApiError::new(ErrorCode::Network, "The node's answer could not be read.")
}

#[cfg(test)]
mod tests {
    use super::*;
    use sis_proto::Officer;
    use sis_proto::audit::AuditPage;

    #[test]
    fn success_bodies_decode_into_the_endpoint_response() {
        let body = r#"{"entries":[{"id":7,"at":1700000000000,"actor":null,"action":"session.create","target":"a","address":"127.0.0.1","outcome":"ok"}]}"#;
        let page: AuditPage = decode(200, body).expect("a valid page decodes");
        assert_eq!(page.entries.len(), 1);
        assert_eq!(page.entries[0].actor, None);
    }

    #[test]
    fn an_empty_success_body_is_unit() {
        decode::<()>(204, "").expect("no content is ()");
        decode::<()>(200, "null").expect("null is ()");
    }

    #[test]
    fn a_success_body_of_the_wrong_shape_is_an_error_not_a_panic() {
        let f = decode::<Officer>(200, "<html>").expect_err("HTML is no officer");
        assert_eq!(f.error.code, ErrorCode::Network);
        assert!(!f.ends_session());
    }

    #[test]
    fn the_nodes_error_body_is_passed_on() {
        let f = decode::<Officer>(
            401,
            r#"{"code":"invalid_credentials","message":"Wrong login or password."}"#,
        )
        .expect_err("401 is an error");
        assert_eq!(f.error.code, ErrorCode::InvalidCredentials);
        assert_eq!(f.status, Some(401));
    }

    #[test]
    fn foreign_error_bodies_map_by_status() {
        assert_eq!(
            error_from(502, "<h1>Bad Gateway</h1>").code,
            ErrorCode::Unavailable
        );
        assert_eq!(error_from(404, "").code, ErrorCode::NotFound);
        assert_eq!(error_from(401, "").code, ErrorCode::Unauthenticated);
        assert_eq!(
            error_from(429, "slow down").code,
            ErrorCode::TooManyAttempts
        );
        assert_eq!(error_from(501, "").code, ErrorCode::Internal);
    }

    #[test]
    fn a_401_or_an_expired_session_ends_the_session() {
        let any_401 = Failure {
            status: Some(401),
            error: ApiError::new(ErrorCode::Unknown, "m"),
        };
        assert!(any_401.ends_session());
        let expired = Failure::without_status(ApiError::new(ErrorCode::SessionExpired, "m"));
        assert!(
            expired.ends_session(),
            "the desktop passes codes, not statuses"
        );
        let forbidden = Failure {
            status: Some(403),
            error: ApiError::new(ErrorCode::Forbidden, "m"),
        };
        assert!(
            !forbidden.ends_session(),
            "forbidden is about one call, not the session"
        );
    }
}
