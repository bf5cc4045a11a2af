//! The CAREC SIS country node ("signaling server"): the internal face for officers,
//! traders and the national system, its store, and (in later parts) the external platform
//! and meetings.
//!
//! # Layout
//! - [`config`]: the TOML file and `SIS_*` variables.
//! - [`store`]: sqlx over SQLite or PostgreSQL; migrations in `../migrations/`.
//! - [`auth`]: passwords (argon2id), session tokens, login with lockout.
//! - [`api`]: `app(state) -> Router`: one file per resource, plus extractors and errors.
//! - [`server`]: serving a handed listener with TLS or plain HTTP, graceful shutdown.
//! - [`tls`], [`metrics`], [`state`].
//! - [`meetings`]: video meeting rooms, their signaling and signed minutes;
//!   [`node_key`]: the node's Ed25519 key that signs them.
//! - [`officer`], [`cli`]: account administration from the command line.
//! - [`node`]: `serve` wiring it all together for the binary.
//! - [`sfu`]: the media server of meetings (selective forwarding on the `webrtc` crate).
//! - [`turn`]: the STUN and TURN servers handed to officers, with their TURN credentials.

pub mod api;
pub mod auth;
pub mod cli;
pub mod config;
pub mod convert;
pub mod meetings;
pub mod metrics;
pub mod node;
pub mod node_key;
pub mod officer;
pub mod server;
pub use sis_sfu as sfu;
pub mod state;
pub mod store;
pub mod text;
pub mod tls;
pub mod turn;
