//! The one API every page uses, over two transports chosen at run time:
//!
//! - **desktop**: inside the Tauri shell (`window.__TAURI_INTERNALS__` exists) every call is
//!   a shell command; the shell holds the token in the OS keyring and talks to the node.
//! - **browser**: the page was served by the node, so calls are same-origin `fetch`es with
//!   the bearer token kept in `sessionStorage` (a reload keeps the session, closing the tab
//!   ends it).
//!
//! As in Leptos' `login_with_token_csr_only` example, an [`UnauthenticatedApi`] can only log
//! in or resume; it becomes an [`AuthenticatedApi`] on success, so a call that needs a
//! session cannot be written before there is one. Errors are [`sis_proto::ApiError`]
//! everywhere.
//!
//! The node's WebSocket (`AuthenticatedApi::socket`, `socket.rs`) carries what the node
//! pushes: opened by the page in the browser, held by the shell in the desktop app.
//!
//! A letter's files travel as raw bytes, not JSON (`AuthenticatedApi::put_file` and
//! `file`, `files.rs`): over `fetch` in the browser; in the desktop app as the raw body of
//! the shell's `file_put`, and `file_save` has the shell fetch a file and save it in the
//! downloads folder.
//!
//! An endpoint whose path has `{placeholders}` (`/api/v1/directories/{directory}`) is called
//! with `call_at` and an [`EndpointPath`] filled from that endpoint's own template; `call`
//! refuses such an endpoint rather than send its template.

mod request;
mod response;

#[cfg(target_arch = "wasm32")]
mod browser;
#[cfg(target_arch = "wasm32")]
mod desktop;
#[cfg(target_arch = "wasm32")]
mod files;
#[cfg(target_arch = "wasm32")]
mod session;
#[cfg(target_arch = "wasm32")]
mod socket;

#[cfg(test)]
pub use request::prepare_at;
pub use request::{EndpointPath, fill_path};
#[cfg(target_arch = "wasm32")]
pub use session::{AuthenticatedApi, DesktopShell, Fetched, UnauthenticatedApi};
#[cfg(target_arch = "wasm32")]
pub use socket::{Socket, SocketEvent};
