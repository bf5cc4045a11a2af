//! Wire types of CAREC SIS, shared by the country node (`signaling/`), the desktop shell
//! (`src-tauri/`) and the web frontend (`frontend/`). Serde only: this crate compiles to wasm
//! and does no IO.
//!
//! # Layout
//! - [`endpoint`]: the [`Endpoint`] trait: every HTTP endpoint's method and path beside its
//!   request and response types.
//! - [`error`]: [`ApiError`] and its stable [`ErrorCode`]s, the only error shape a client sees.
//! - [`session`]: login, logout, the signed-in officer ([`Officer`], [`Role`]).
//! - [`audit`]: the audit log as admins read it.
//! - [`directory`]: the code lists (countries, currencies, HS, units, …) and their search.
//! - [`ws`]: messages on the client's WebSocket.
//! - [`meeting`]: video meetings: REST types, minutes, and the meeting messages on the
//!   WebSocket.
//! - [`ledger`]: the node's log (proofs) and its peers, for officers and administrators.
//! - [`letter`]: official letters between member countries: compose, inbox, outbox.
//! - [`desktop`]: settings and types the desktop shell exchanges with its webview.

pub mod audit;
pub mod desktop;
pub mod directory;
pub mod endpoint;
pub mod error;
pub mod ledger;
pub mod letter;
pub mod meeting;
pub mod session;
pub mod ws;

pub use endpoint::{Endpoint, Method};
pub use error::{ApiError, ErrorCode};
pub use session::{LoginRequest, LoginResponse, Officer, Role};
