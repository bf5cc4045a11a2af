//! End-to-end harness: real processes driven as users drive them. A country node from the
//! built `sis-signaling` binary on a loopback port, an X server (Xvfb) for the desktop app,
//! WebDriver servers (tauri-driver + WebKitWebDriver for the desktop's webview,
//! chromedriver for Chromium), and one UI flow both front ends must pass.
//!
//! The binaries come from `cargo xtask test`, which builds them and sets
//! `SIS_E2E_NODE_BIN`, `SIS_E2E_DESKTOP_BIN`, `SIS_E2E_WEB_DIR`, `SIS_E2E_XTASK_BIN` (itself,
//! which starts networks of nodes) and `SIS_E2E_ARTIFACTS`.
//!
//! # Layout
//! - [`process`]: child processes that stop when dropped, free ports, waiting for a port.
//! - [`node`]: a node with officers, started from the binary.
//! - [`display`]: an Xvfb server on a free display.
//! - [`webdriver`]: the WebDriver servers and a connected client.
//! - [`flow`]: the login / language / logout flow, with its screenshots.
//! - [`network`]: country nodes that trust each other, started by `xtask run --countries`.
//! - [`letters_flow`]: a letter from KZ to UZ and its answer, in two browsers.
//! - [`janus`]: Janus on loopback, the reference SFU of the meeting benchmark.
//! - [`media`]: synthetic media, meeting bots on the `webrtc` crate, what they receive.
//! - [`media_flow`]: Chromium's WebRTC and two bots in one meeting through our SFU.
//! - [`meetbot`]: a bot participant of a node's meeting, end to end (`sis-meetbot`).
//! - [`meeting`]: an SFU on loopback with bots joined to it through its API.
//! - [`meeting_flow`]: a meeting hosted in the browser with a guest on a socket.
//! - [`signal`]: an officer's session and meeting WebSocket, for bots and meeting tests.
//! - [`turn`]: a coturn TURN server on loopback.

pub mod desktop_meeting_flow;
pub mod display;
pub mod flow;
pub mod janus;
pub mod letters_flow;
pub mod media;
pub mod media_flow;
pub mod meetbot;
pub mod meeting;
pub mod meeting_flow;
pub mod network;
pub mod node;
pub mod process;
pub mod signal;
pub mod turn;
pub mod webdriver;

/// A required environment variable, with the reason it is needed in the error.
pub fn env_path(name: &str) -> anyhow::Result<std::path::PathBuf> {
    std::env::var_os(name).map(Into::into).ok_or_else(|| {
        anyhow::anyhow!("{name} is not set: run the UI tests through `cargo xtask test`")
    })
}
