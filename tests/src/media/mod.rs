//! Synthetic media for meeting bots and load tests, and what a bot measures of what it
//! receives.
//!
//! Bots replay real pre-encoded frames (see `fixtures/README.md`) instead of encoding: on two
//! cores, encoding VP8 live in every bot costs more than the SFU under test.
//!
//! # Layout
//! - [`frames`]: the encoded frames, read from the IVF and Ogg fixtures.
//! - [`publisher`]: local tracks fed with those frames in real time.
//! - [`receiver`]: per remote track counts: packets, bytes, bitrate, loss, first packet.
//! - [`bot`]: a participant on the `webrtc` crate that publishes and receives.

pub mod bot;
pub mod frames;
pub mod publisher;
pub mod receiver;
