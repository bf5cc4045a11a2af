//! The node itself, apart from what it does: its configuration, the state handed to every
//! request, the HTTP server with its limits, TLS, the node's signing key, metrics and the
//! TURN credentials it hands out. Modules and the two faces stand on this; it knows none
//! of their rules.

pub mod config;
pub mod key;
pub mod metrics;
pub mod server;
mod start;
pub mod state;
pub mod tls;
pub mod turn;

pub use start::{DEFAULT_LOG_FILTER, init_logging, open_store, serve};
