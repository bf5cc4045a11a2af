//! Every route of the internal face with the access it asks for, in one table: the node's
//! own routes here, each module's from its `routes()` through [`crate::modules`]. The
//! router is built from the table, and a test walks it, so a route cannot exist without an
//! access type.

use axum::http::Method;
use axum::routing::{MethodRouter, any, delete, get, post};
use sis_proto::endpoint::{CreateSession, Endpoint, ListAudit, Me, WS_PATH};

use super::access::{Access, Admin, Scraper, SignedIn};
use super::error::AppError;
use super::{audit, health, session, ws};
use crate::node::state::AppState;

/// One method on one path.
pub struct Route {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
    pub(crate) handler: MethodRouter<AppState>,
}

impl std::fmt::Debug for Route {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} ({:?})", self.method, self.path, self.access)
    }
}

/// A route of the table; modules build theirs with it.
pub fn route(
    method: Method,
    path: &'static str,
    access: Access,
    handler: MethodRouter<AppState>,
) -> Route {
    Route {
        method,
        path,
        access,
        handler,
    }
}

/// The API's routes (under `/api`): the node's own, then every module's.
pub fn api() -> Vec<Route> {
    use Method as M;
    let mut routes = vec![
        route(
            M::POST,
            CreateSession::PATH,
            Access::Public,
            post(session::create),
        ),
        route(
            M::DELETE,
            CreateSession::PATH,
            SignedIn::ACCESS,
            delete(session::delete),
        ),
        route(M::GET, Me::PATH, SignedIn::ACCESS, get(session::me)),
        route(M::GET, ListAudit::PATH, Admin::ACCESS, get(audit::list)),
        // The session is the socket's first message.
        route(M::GET, WS_PATH, Access::InBand, get(ws::upgrade)),
        // Unknown API paths answer in JSON, not with the UI's index page.
        route(
            M::GET,
            "/api/{*rest}",
            Access::Public,
            any(|| async { AppError::not_found() }),
        ),
    ];
    // Modules' fixed paths and the catch-all above do not overlap: the router matches the
    // most specific path whatever the order.
    routes.extend(crate::modules::routes());
    routes
}

/// Health and metrics (outside `/api`).
pub fn probes() -> Vec<Route> {
    vec![
        route(
            Method::GET,
            "/healthz",
            Access::Public,
            get(health::healthz),
        ),
        route(
            Method::GET,
            "/metrics",
            Scraper::ACCESS,
            get(health::metrics),
        ),
    ]
}

/// Every route, API and probes.
pub fn all() -> Vec<Route> {
    let mut all = api();
    all.extend(probes());
    all
}
