//! The CAREC SIS country node ("signaling server"): the internal face for officers,
//! traders and the national system, the external face for other countries' nodes, and the
//! modules that do the customs work between them. `docs/architecture.md` draws the rooms.
//!
//! # Layout
//! - [`node`]: configuration, shared state, the HTTP server and its limits, TLS, the node's
//!   signing key, metrics, TURN credentials; `node::serve` wires it all together.
//! - [`store`]: sqlx over SQLite or PostgreSQL, the node's own tables (officers, sessions,
//!   audit); migrations in `../migrations/`. Modules keep their tables in their own room.
//! - [`auth`]: passwords (argon2id on a bounded pool), session tokens, login with lockout.
//! - [`internal`]: the officers' face, `app(state) -> Router`: the route table with each
//!   route's access type, the extractors, one error path, the WebSocket.
//! - [`external`]: the face for other countries' nodes (mutual TLS), named, not yet built.
//! - [`modules`]: one room per module (`directories`, `meetings`) and the registry that
//!   mounts their routes, WebSocket messages and audit actions.
//! - [`officer`], [`cli`], [`convert`]: the command line (accounts, documents).
//! - [`sfu`]: the media server of meetings (its own crate, `sis-sfu`).

pub mod auth;
pub mod cli;
pub mod convert;
pub mod external;
pub mod ids;
pub mod internal;
pub mod modules;
pub mod node;
pub mod officer;
pub use sis_sfu as sfu;
pub mod store;
pub mod text;
