//! The internal face's HTTP API: `fn app(state) -> Router`, so tests can serve it on a
//! port-0 listener. One file per resource; each handler names its method and path.

pub mod access;
pub mod audit;
pub mod error;
pub mod extract;
pub mod health;
pub mod routes;
pub mod session;
pub mod ws;

use std::path::Path;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::node::metrics::RequestLabels;
use crate::node::state::AppState;
use error::AppError;

/// What the browser may load for the served UI: its own files and wasm, nothing else.
/// `connect-src 'self'` covers the node's own WebSocket (same host, ws: or wss:).
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
     frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
/// Browsers that reached the node over TLS keep to TLS for a year.
const HSTS: &str = "max-age=31536000";

/// The internal face: API under `/api/v1`, health and metrics, and the web UI from
/// `web_dir` at `/` (when it exists).
pub fn app(state: AppState, web_dir: Option<&Path>) -> Router {
    let mut api = Router::new();
    for r in routes::api() {
        api = api.route(r.path, r.handler);
    }
    let api = api
        .layer(DefaultBodyLimit::max(state.max_body_bytes))
        // API answers carry tokens, credentials and officers' data: never kept by a cache.
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ));

    let mut router = Router::new().merge(api);
    for r in routes::probes() {
        router = router.route(r.path, r.handler);
    }
    router = match web_dir {
        Some(dir) if dir.join("index.html").is_file() => {
            // Unknown paths get the app, which routes on the client.
            // No redirect from a folder to its index: a path such as `//assets` would
            // otherwise be answered with `Location: //assets/`, a link to another host.
            router.fallback_service(
                ServeDir::new(dir)
                    .append_index_html_on_directories(false)
                    .fallback(ServeFile::new(dir.join("index.html"))),
            )
        }
        _ => router.fallback(|| async { AppError::not_found() }),
    };
    if state.tls {
        router = router.layer(SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        ));
    }
    router
        .layer(middleware::from_fn_with_state(
            state.clone(),
            count_requests,
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .with_state(state)
}

async fn count_requests(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let method = crate::node::metrics::method_label(req.method());
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "other".to_owned());
    let response = next.run(req).await;
    state
        .metrics
        .requests
        .get_or_create(&RequestLabels {
            method,
            route,
            status: response.status().as_u16(),
        })
        .inc();
    response.into_response()
}
