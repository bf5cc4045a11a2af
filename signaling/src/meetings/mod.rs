//! Video meetings: who is in which room and what they may do, the signaling that sets up
//! their media, and the signed minutes. The media itself is behind [`media::MediaServer`].
//!
//! # Layout
//! - [`room`]: one meeting as a pure state machine (inputs and `now` in, outputs out).
//! - [`minutes`]: the minutes' hash chain and the node's signature over it (pure).
//! - [`readers`]: which entries of the minutes each reader may see (pure).
//! - [`media`]: the trait a media server (SFU) implements, and [`media::NoMedia`].
//! - [`sfu_media`]: the node's SFU as the media server.
//! - [`registry`]: the live rooms of the node, opened from the store on demand.
//! - `actor`: the task around one room that carries out its outputs.

mod actor;
pub mod media;
pub mod minutes;
pub mod readers;
pub mod registry;
pub mod room;
pub mod sfu_media;

pub use media::{MediaError, MediaEvent, MediaEvents, MediaServer, NoMedia, SharedMedia};
pub use registry::{Conn, Meetings, OpenError};
pub use sfu_media::SfuMedia;
