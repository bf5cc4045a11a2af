//! End-to-end harness: real processes driven as users drive them. A country node from the
//! built `sis-signaling` binary on a loopback port, an X server (Xvfb) for the desktop app,
//! WebDriver servers (tauri-driver + WebKitWebDriver for the desktop's webview,
//! chromedriver for Chromium), and one UI flow both front ends must pass.
//!
//! The binaries come from `cargo xtask test`, which builds them and sets
//! `SIS_E2E_NODE_BIN`, `SIS_E2E_DESKTOP_BIN`, `SIS_E2E_WEB_DIR` and `SIS_E2E_ARTIFACTS`.
//!
//! # Layout
//! - [`process`]: child processes that stop when dropped, free ports, waiting for a port.
//! - [`node`]: a node with officers, started from the binary.
//! - [`display`]: an Xvfb server on a free display.
//! - [`webdriver`]: the WebDriver servers and a connected client.
//! - [`flow`]: the login / language / logout flow, with its screenshots.
//! - [`socket`]: an officer on the node's WebSocket, as a program.
//! - [`meeting_flow`]: a meeting hosted in the browser with a guest on a socket.

pub mod display;
pub mod flow;
pub mod meeting_flow;
pub mod node;
pub mod process;
pub mod socket;
pub mod webdriver;

/// A required environment variable, with the reason it is needed in the error.
pub fn env_path(name: &str) -> anyhow::Result<std::path::PathBuf> {
    std::env::var_os(name).map(Into::into).ok_or_else(|| {
        anyhow::anyhow!("{name} is not set: run the UI tests through `cargo xtask test`")
    })
}
