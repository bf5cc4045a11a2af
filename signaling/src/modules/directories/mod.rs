//! The international directories (countries, currencies, HS 2022, units, package types,
//! transport modes, Incoterms), searchable by every signed-in user. Read-only: the lists
//! are committed data (`crates/customs/data`), so the module has no store.

pub mod handlers;
pub mod rules;

use axum::http::Method;
use axum::routing::get;
use sis_proto::endpoint::{Endpoint, GetDirectoryEntry, SearchDirectory};

use super::Module;
use crate::internal::access::SignedIn;
use crate::internal::routes::{Route, route};

pub const MODULE: Module = Module {
    name: "directories",
    routes,
    audit_area: None,
};

fn routes() -> Vec<Route> {
    vec![
        route(
            Method::GET,
            SearchDirectory::PATH,
            SignedIn::ACCESS,
            get(handlers::search),
        ),
        route(
            Method::GET,
            GetDirectoryEntry::PATH,
            SignedIn::ACCESS,
            get(handlers::get),
        ),
    ]
}
