//! Official letters between member countries' customs services (electronic document
//! management, seed §3): an officer writes to one or more countries, the letter is
//! registered under an outgoing number, carried as a signed envelope over the external
//! platform, registered again under an incoming number at each recipient, and followed there
//! until it is answered.
//!
//! # Layout
//! - [`handlers`]: compose, inbox and outbox, open, send a draft, files (thin).
//! - [`rules`]: what a letter must carry, registration numbers, statuses, search (pure).
//! - [`store`]: letters, files, recipients and the registration counters.
//! - [`files`]: files stored once by content hash in the data folder.
//! - `view`: a stored letter as the API shows it.

pub mod acknowledge;
pub mod files;
pub mod handlers;
pub mod incoming;
pub mod outgoing;
pub mod rules;
pub mod store;
mod view;

pub use files::Files;

/// The inbox line of the letter `envelope_id` brought, as pushed to officers' sockets.
pub async fn pushed(
    state: &crate::node::state::AppState,
    envelope_id: &str,
) -> Option<sis_proto::ws::ServerMessage> {
    let letter = state.store.letter_by_envelope(envelope_id).await.ok()??;
    let today = handlers::today(crate::node::state::now_ms());
    let summary = view::summary(&letter, &[], today).ok()?;
    Some(sis_proto::ws::ServerMessage::Letter { letter: summary })
}

use axum::http::Method;
use axum::routing::{get, post, put};
use sis_proto::endpoint::{CreateLetter, Endpoint, GetLetter, ListLetters, SendLetter};
use sis_proto::letter::ATTACHMENT_PATH;

use super::Module;
use crate::internal::access::Staff;
use crate::internal::routes::{Route, route};

pub const MODULE: Module = Module {
    name: "letters",
    routes,
    audit_area: Some("letter"),
};

/// Letters are the customs service's: its staff write and read them.
fn routes() -> Vec<Route> {
    use Method as M;
    vec![
        route(
            M::POST,
            CreateLetter::PATH,
            Staff::ACCESS,
            post(handlers::create),
        ),
        route(
            M::GET,
            ListLetters::PATH,
            Staff::ACCESS,
            get(handlers::list),
        ),
        route(M::GET, GetLetter::PATH, Staff::ACCESS, get(handlers::get)),
        route(
            M::POST,
            SendLetter::PATH,
            Staff::ACCESS,
            post(handlers::send),
        ),
        route(
            M::PUT,
            ATTACHMENT_PATH,
            Staff::ACCESS,
            put(handlers::put_attachment),
        ),
        route(
            M::GET,
            ATTACHMENT_PATH,
            Staff::ACCESS,
            get(handlers::get_attachment),
        ),
    ]
}
