//! How failures reach the webview: always as an [`ApiError`], a stable code and a sentence
//! for a person.
//!
//! The node's own `{code, message}` bodies pass through untouched, so the page shows the same
//! sentence a browser client would. The shell's own failures (an unreachable node, an answer
//! it cannot read, a file it cannot write) get a sentence here; their technical cause goes to
//! the log, never to the page.

use sis_proto::{ApiError, ErrorCode};

/// A request that never got a readable answer: refused, timed out, cut off.
pub fn network(err: &reqwest::Error) -> ApiError {
    // The URL in reqwest's text is ours and carries no token (that travels in a header).
    tracing::warn!(error = %error_chain(err), "request to the node failed");
    let message = if err.is_timeout() {
        "The node did not answer in time. Check the network connection and try again."
    } else if err.is_connect() {
        "The node cannot be reached. Check the network connection and the node address in \
         the settings."
    } else if err.is_body() || err.is_decode() {
        "The connection to the node broke off while it was answering. Try again."
    } else {
        "The request to the node failed. Check the network connection and try again."
    };
    ApiError::new(ErrorCode::Network, message)
}

/// An error status from the node. Its body is normally an [`ApiError`] and is passed on as
/// it is; anything else (a proxy's HTML page, an empty body) did not come from the node's
/// API, so the shell says it could not read the answer.
pub fn from_node_response(status: u16, body: &[u8]) -> ApiError {
    match serde_json::from_slice::<ApiError>(body) {
        Ok(err) => err,
        Err(_) => {
            tracing::warn!(status, "the node's error answer is not an API error body");
            ApiError::new(
                ErrorCode::Network,
                format!(
                    "The node answered with HTTP status {status} and no explanation the app \
                     can read. Check the node address in the settings, or ask the node's \
                     administrator."
                ),
            )
        }
    }
}

/// A success status whose body is not what the endpoint promises.
pub fn unreadable_answer(cause: &serde_json::Error) -> ApiError {
    tracing::warn!(error = %cause, "the node's answer does not match the expected shape");
    ApiError::new(
        ErrorCode::Network,
        "The node's answer could not be read. The node may run a different version of the \
         system; ask its administrator.",
    )
}

/// A value from the page that the shell refuses; the message starts with the field's name
/// so the page can point at it.
pub fn bad_request(field: &str, reason: &str) -> ApiError {
    ApiError::new(ErrorCode::BadRequest, format!("{field}: {reason}"))
}

/// An authenticated call without a session in the shell.
pub fn not_signed_in() -> ApiError {
    ApiError::new(ErrorCode::Unauthenticated, "You are not signed in.")
}

/// A fault on this computer (a file or the keyring). `what` is the sentence for the person;
/// the cause is logged.
pub fn local(what: &str, cause: &dyn std::error::Error) -> ApiError {
    tracing::error!(error = %error_chain(cause), "{what}");
    ApiError::new(ErrorCode::Internal, what)
}

/// Whether an error from the node means the token is dead, so the shell should drop it.
pub fn ends_session(err: &ApiError) -> bool {
    matches!(
        err.code,
        ErrorCode::Unauthenticated | ErrorCode::SessionExpired | ErrorCode::AccountDisabled
    )
}

/// `error: cause: cause` on one line, for the log.
fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nodes_error_body_passes_through_unchanged() {
        let body = br#"{"code":"session_expired","message":"Your session has ended."}"#;
        let err = from_node_response(401, body);
        assert_eq!(
            err,
            ApiError::new(ErrorCode::SessionExpired, "Your session has ended."),
            "the page must see the node's own code and sentence"
        );
    }

    #[test]
    fn a_code_from_a_newer_node_arrives_as_unknown_with_its_sentence() {
        let body = br#"{"code":"quota_exceeded","message":"Too many documents today."}"#;
        let err = from_node_response(429, body);
        assert_eq!(err.code, ErrorCode::Unknown);
        assert_eq!(err.message, "Too many documents today.");
    }

    #[test]
    fn a_body_that_is_not_an_api_error_becomes_a_network_error_naming_the_status() {
        for body in [
            &b"<html><body>Bad Gateway</body></html>"[..],
            b"",
            b"{\"error\":1}",
        ] {
            let err = from_node_response(502, body);
            assert_eq!(err.code, ErrorCode::Network, "body {body:?}");
            assert!(err.message.contains("502"), "message: {}", err.message);
            assert!(
                !err.message.contains("html"),
                "the proxy's page must not reach the person: {}",
                err.message
            );
        }
    }

    #[test]
    fn a_bad_request_names_its_field_first() {
        let err = bad_request("node_url", "use https.");
        assert_eq!(err.code, ErrorCode::BadRequest);
        assert_eq!(err.message, "node_url: use https.");
    }

    #[test]
    fn only_codes_about_the_token_end_the_session() {
        for code in [
            ErrorCode::Unauthenticated,
            ErrorCode::SessionExpired,
            ErrorCode::AccountDisabled,
        ] {
            assert!(ends_session(&ApiError::new(code, "")), "{code}");
        }
        for code in [
            ErrorCode::Forbidden,
            ErrorCode::Network,
            ErrorCode::Unavailable,
            ErrorCode::InvalidCredentials,
        ] {
            assert!(
                !ends_session(&ApiError::new(code, "")),
                "{code} keeps the session"
            );
        }
    }

    #[tokio::test]
    async fn a_refused_connection_becomes_a_network_error_for_a_person() {
        // A port that was free a moment ago: nothing listens there, so the connection is refused.
        let port = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind port 0");
            listener.local_addr().expect("bound address").port()
        };
        let failure = reqwest::get(format!("http://127.0.0.1:{port}/api/v1/me"))
            .await
            .expect_err("nothing listens on the port");
        let err = network(&failure);
        assert_eq!(err.code, ErrorCode::Network);
        assert!(
            err.message.contains("cannot be reached"),
            "message: {}",
            err.message
        );
        assert!(
            !err.message.contains("127.0.0.1"),
            "library text must stay in the log: {}",
            err.message
        );
    }
}
