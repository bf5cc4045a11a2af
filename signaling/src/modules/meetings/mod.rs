//! Video meetings: who is in which room and what they may do, the signaling that sets up
//! their media, and the signed minutes. The media itself is behind [`media::MediaServer`].
//!
//! # Layout
//! - [`handlers`]: create, list, get, end, minutes and ICE servers over HTTP (thin).
//! - [`rules`]: who may be invited, see, end; what a new meeting must carry (pure).
//! - [`store`]: meetings, invitations, attendance and minutes rows.
//! - [`room`]: one meeting as a pure state machine (inputs and `now` in, outputs out).
//! - [`minutes`]: the minutes' hash chain and the node's signature over it (pure).
//! - [`readers`]: which entries of the minutes each reader may see (pure).
//! - [`media`]: the trait a media server (SFU) implements, and [`media::NoMedia`].
//! - [`sfu_media`]: the node's SFU as the media server.
//! - [`registry`]: the live rooms of the node, opened from the store on demand.
//! - `actor`: the task around one room that carries out its outputs.

mod actor;
pub mod handlers;
pub mod media;
pub mod minutes;
pub mod readers;
pub mod registry;
pub mod room;
pub mod rules;
pub mod sfu_media;
pub mod store;

pub use media::{MediaError, MediaEvent, MediaEvents, MediaServer, NoMedia, SharedMedia};
pub use registry::{Conn, Meetings, OpenError};
pub use sfu_media::SfuMedia;

use axum::http::Method;
use axum::routing::{get, post};
use sis_proto::endpoint::{
    CreateMeeting, EndMeeting, Endpoint, GetIceServers, GetMeeting, GetMinutes, ListMeetings,
};

use super::Module;
use crate::internal::access::Staff;
use crate::internal::routes::{Route, route};

pub const MODULE: Module = Module {
    name: "meetings",
    routes,
    audit_area: Some("meeting"),
};

/// Meetings are for staff: traders and the national system have none.
fn routes() -> Vec<Route> {
    use Method as M;
    vec![
        route(
            M::POST,
            CreateMeeting::PATH,
            Staff::ACCESS,
            post(handlers::create),
        ),
        route(
            M::GET,
            ListMeetings::PATH,
            Staff::ACCESS,
            get(handlers::list),
        ),
        // A fixed segment, so it wins over `{id}` whatever the order.
        route(
            M::GET,
            GetIceServers::PATH,
            Staff::ACCESS,
            get(handlers::ice_servers),
        ),
        route(M::GET, GetMeeting::PATH, Staff::ACCESS, get(handlers::get)),
        route(
            M::POST,
            EndMeeting::PATH,
            Staff::ACCESS,
            post(handlers::end),
        ),
        route(
            M::GET,
            GetMinutes::PATH,
            Staff::ACCESS,
            get(handlers::minutes),
        ),
    ]
}
