//! The exchange as the node's own people see it: an officer checks that an envelope is in
//! the log (the "verified" badge), an administrator watches the peers. The exchange itself
//! (envelopes, delivery, the log) is in `crate::external`; the log page reads it.

pub mod handlers;
pub mod log_page;

use axum::http::Method;
use axum::routing::get;
use sis_proto::endpoint::{Endpoint, GetExchangeLog, GetLedgerProof, ListPeers};

use super::Module;
use crate::internal::access::{Admin, Staff};
use crate::internal::routes::{Route, route};

pub const MODULE: Module = Module {
    name: "exchange",
    routes,
    audit_area: None,
};

fn routes() -> Vec<Route> {
    vec![
        route(
            Method::GET,
            GetLedgerProof::PATH,
            Staff::ACCESS,
            get(handlers::proof),
        ),
        route(
            Method::GET,
            ListPeers::PATH,
            Admin::ACCESS,
            get(handlers::peers),
        ),
        route(
            Method::GET,
            GetExchangeLog::PATH,
            Admin::ACCESS,
            get(log_page::log),
        ),
    ]
}
