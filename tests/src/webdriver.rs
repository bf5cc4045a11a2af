//! WebDriver servers and a client connected to them: chromedriver driving headless
//! Chromium, and tauri-driver driving the desktop app's webview (WebKitWebDriver) on Xvfb.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::Context;
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Map, Value, json};

use crate::display::Xvfb;
use crate::env_path;
use crate::process::{Owned, free_port, wait_for_port};

/// A browser or app under WebDriver control; everything stops when it is dropped.
#[derive(Debug)]
pub struct Session {
    pub client: Client,
    // Dropped after the client (field order): the driver outlives the session it serves.
    _server: Owned,
    _display: Option<Xvfb>,
    _profile: tempfile::TempDir,
}

impl Session {
    /// Where the browser saves downloaded files (Chromium only).
    pub fn downloads(&self) -> std::path::PathBuf {
        self._profile.path().join("downloads")
    }

    /// Ends the WebDriver session (closing the browser or app) before the servers stop.
    pub async fn close(self) -> anyhow::Result<()> {
        self.client
            .clone()
            .close()
            .await
            .context("closing the session")?;
        Ok(())
    }
}

async fn connect(port: u16, caps: Value) -> anyhow::Result<Client> {
    let Value::Object(caps) = caps else {
        unreachable!("capabilities are built as a JSON object")
    };
    let caps: Map<String, Value> = caps;
    ClientBuilder::new(HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .context("opening a WebDriver session")
}

/// Headless Debian Chromium through chromedriver, with a fresh profile, fake media devices,
/// and without the background traffic it would otherwise send to hosts it cannot reach.
pub async fn chromium() -> anyhow::Result<Session> {
    let profile = tempfile::tempdir()?;
    let port = free_port()?;
    let mut server = Owned::spawn(
        "chromedriver",
        Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null()),
    )?;
    wait_for_port(&mut server, port, Duration::from_secs(20))?;
    let caps = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--window-size=1280,900", "--lang=en-US",
                // Meetings: a synthetic camera and microphone, granted without a prompt, and
                // remote media that plays without a click.
                "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                "--autoplay-policy=no-user-gesture-required",
                format!("--user-data-dir={}", profile.path().display()),
            ],
            // Files saved without a prompt, into the profile, where a test can read them.
            "prefs": {
                "download.default_directory": profile.path().join("downloads"),
                "download.prompt_for_download": false,
            },
        },
    });
    let client = connect(port, caps).await?;
    Ok(Session {
        client,
        _server: server,
        _display: None,
        _profile: profile,
    })
}

/// The desktop app (`SIS_E2E_DESKTOP_BIN`) on a fresh Xvfb display, pointed at `node_url`,
/// with its settings and token kept in a fresh folder.
pub async fn desktop(node_url: &str) -> anyhow::Result<Session> {
    let app = env_path("SIS_E2E_DESKTOP_BIN")?;
    let display = Xvfb::start()?;
    let data = tempfile::tempdir()?;
    let (port, native_port) = (free_port()?, free_port()?);
    let mut server = Owned::spawn(
        "tauri-driver",
        Command::new("tauri-driver")
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .env("DISPLAY", &display.display)
            .env_remove("WAYLAND_DISPLAY")
            .env("SIS_NODE_URL", node_url)
            .env("SIS_DESKTOP_DATA_DIR", data.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null()),
    )?;
    wait_for_port(&mut server, port, Duration::from_secs(20))?;
    let caps = json!({
        "browserName": "wry",
        "tauri:options": { "application": path_str(&app)? },
    });
    let client = connect(port, caps).await?;
    Ok(Session {
        client,
        _server: server,
        _display: Some(display),
        _profile: data,
    })
}

fn path_str(p: &Path) -> anyhow::Result<&str> {
    p.to_str().context("binary path is not UTF-8")
}
