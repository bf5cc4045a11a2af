//! The external face: where other countries' nodes connect, over mutual TLS, to exchange
//! signed and receipted documents (DESIGN.md §3, `docs/exchange-protocol.md`).
//!
//! Its own listener (`external.listen`), its own TLS configuration ([`tls`]) that requires a
//! client certificate from a current member's CA ([`peers`]), and one access type for every
//! route, [`Peer`] ([`access`]), which names the member country. The rules of the exchange
//! (envelopes, receipts, trust list) are pure and live in `crates/exchange`, its log in
//! `crates/ledger`; here is only what does IO.

pub mod access;
pub mod arrivals;
pub mod delivery;
pub mod documents;
pub mod error;
pub mod exchange;
pub mod files;
pub mod inbox;
pub mod log;
mod log_routes;
pub mod peers;
pub mod start;
pub mod tls;
pub mod trust;
pub mod witness;

use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use sis_customs::CountryCode;

pub use access::{Peer, PeerCertificates};
pub use peers::{Member, Peers};

/// What the external face's handlers are handed.
#[derive(Debug, Clone)]
pub struct ExternalState {
    /// This node's country.
    pub country: CountryCode,
    pub peers: Arc<Peers>,
    pub max_body_bytes: usize,
    /// The node's exchange; none on a face that only says hello (tests of the transport).
    pub exchange: Option<Arc<exchange::Exchange>>,
}

/// The external face's routes.
pub fn app(state: ExternalState) -> Router {
    let limit = state.max_body_bytes;
    Router::new()
        .route("/external/v1/files/{sha256}", get(files::serve))
        .route("/external/v1/hello", get(hello))
        .route("/external/v1/envelopes", post(inbox::receive))
        .route("/external/v1/log/checkpoint", get(log_routes::checkpoint))
        .route("/external/v1/log/consistency", get(log_routes::consistency))
        .route(
            "/external/v1/log/cosignature",
            post(log_routes::cosignature),
        )
        .layer(DefaultBodyLimit::max(limit))
        .with_state(state)
}

/// Who is talking to whom: a peer checks its certificate and this node's country before it
/// sends anything.
async fn hello(State(state): State<ExternalState>, Peer(peer): Peer) -> Json<serde_json::Value> {
    Json(serde_json::json!({ "node": state.country, "peer": peer }))
}
