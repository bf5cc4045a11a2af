//! Extractors: the client's address, and JSON/query bodies whose rejections become our
//! `{code, message}` errors. Who the caller is and what it may do: [`crate::internal::access`].

use std::net::SocketAddr;

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use sis_proto::ErrorCode;

use crate::auth::Authenticated;
use crate::internal::error::AppError;
use crate::node::state::AppState;

/// The bearer token of a request, if it has one.
pub fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// The caller, when its account belongs to this node: an account belongs to the node of
/// its country, and a record from elsewhere (a restored backup of another node, say) must
/// not act here. HTTP requests and WebSockets both pass through this.
pub fn of_this_node(state: &AppState, who: Authenticated) -> Result<Authenticated, AppError> {
    if who.country != state.country {
        return Err(AppError::forbidden(
            "This account belongs to another country's node.",
        ));
    }
    Ok(who)
}

/// The client's address, for the audit log. Absent when the app runs without a socket.
#[derive(Debug, Clone)]
pub struct ClientAddr(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(a)| a.ip().to_string()),
        ))
    }
}

/// A JSON body; a malformed one is a `bad_request` that says what is wrong, an oversized
/// one `payload_too_large`.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

fn json_rejection(r: JsonRejection) -> AppError {
    if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return AppError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::PayloadTooLarge,
            "The request body is larger than this endpoint accepts.",
        );
    }
    match r {
        JsonRejection::JsonDataError(e) => {
            AppError::bad_request(format!("The request body does not fit: {}", e.body_text()))
        }
        JsonRejection::JsonSyntaxError(_) => {
            AppError::bad_request("The request body is not valid JSON.")
        }
        JsonRejection::MissingJsonContentType(_) => {
            AppError::bad_request("Send the body as JSON with Content-Type: application/json.")
        }
        other => AppError::bad_request(format!("The request body could not be read: {other}")),
    }
}

/// A query string; an invalid one is a `bad_request` naming the problem.
#[derive(Debug)]
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(ApiQuery(v)),
            Err(QueryRejection::FailedToDeserializeQueryString(e)) => Err(AppError::bad_request(
                format!("The query string does not fit: {}", e.body_text()),
            )),
            Err(other) => Err(AppError::bad_request(other.body_text())),
        }
    }
}
