//! Every route of the internal face with the access it asks for, in one table: the router
//! is built from it, and a test walks it, so a route cannot exist without an access type.

use axum::http::Method;
use axum::routing::{MethodRouter, any, delete, get, post};
use sis_proto::endpoint::{
    CreateMeeting, CreateSession, EndMeeting, Endpoint, GetDirectoryEntry, GetIceServers,
    GetMeeting, GetMinutes, ListAudit, ListMeetings, Me, SearchDirectory, WS_PATH,
};

use super::access::{Access, Admin, Scraper, SignedIn, Staff};
use super::error::AppError;
use super::{audit, directories, health, meetings, session, ws};
use crate::state::AppState;

/// One method on one path.
pub struct Route {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
    pub(super) handler: MethodRouter<AppState>,
}

impl std::fmt::Debug for Route {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} ({:?})", self.method, self.path, self.access)
    }
}

fn route(
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

/// The API's routes (under `/api`).
pub fn api() -> Vec<Route> {
    use Method as M;
    vec![
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
        route(
            M::GET,
            SearchDirectory::PATH,
            SignedIn::ACCESS,
            get(directories::search),
        ),
        route(
            M::GET,
            GetDirectoryEntry::PATH,
            SignedIn::ACCESS,
            get(directories::get),
        ),
        route(
            M::POST,
            CreateMeeting::PATH,
            Staff::ACCESS,
            post(meetings::create),
        ),
        route(
            M::GET,
            ListMeetings::PATH,
            Staff::ACCESS,
            get(meetings::list),
        ),
        // A fixed segment, so it wins over `{id}` whatever the order.
        route(
            M::GET,
            GetIceServers::PATH,
            Staff::ACCESS,
            get(meetings::ice_servers),
        ),
        route(M::GET, GetMeeting::PATH, Staff::ACCESS, get(meetings::get)),
        route(
            M::POST,
            EndMeeting::PATH,
            Staff::ACCESS,
            post(meetings::end),
        ),
        route(
            M::GET,
            GetMinutes::PATH,
            Staff::ACCESS,
            get(meetings::minutes),
        ),
        // The session is the socket's first message.
        route(M::GET, WS_PATH, Access::InBand, get(ws::upgrade)),
        // Unknown API paths answer in JSON, not with the UI's index page.
        route(
            M::GET,
            "/api/{*rest}",
            Access::Public,
            any(|| async { AppError::not_found() }),
        ),
    ]
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
