//! A coturn `turnserver` on loopback for relay tests (Debian package `coturn`).

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;

use crate::process::{Owned, free_port, wait_for_port};

pub const USER: &str = "sis";
pub const PASSWORD: &str = "relay-test";

/// A TURN server that relays only on 127.0.0.1; stopped when dropped.
#[derive(Debug)]
pub struct TurnServer {
    pub port: u16,
    /// coturn's log so far (`--simple-log` on stdout).
    log: Arc<Mutex<Vec<String>>>,
    _process: Owned,
}

impl TurnServer {
    /// With one long-term credential: [`USER`], [`PASSWORD`].
    pub fn start() -> anyhow::Result<TurnServer> {
        TurnServer::spawn(&[
            "--lt-cred-mech".to_owned(),
            format!("--user={USER}:{PASSWORD}"),
        ])
    }

    /// With time-limited credentials made from `secret` (the TURN REST API), as a node's
    /// coturn is set up in docs/turn.md.
    pub fn with_secret(secret: &str) -> anyhow::Result<TurnServer> {
        TurnServer::spawn(&[
            "--use-auth-secret".to_owned(),
            format!("--static-auth-secret={secret}"),
        ])
    }

    fn spawn(auth: &[String]) -> anyhow::Result<TurnServer> {
        let found = Command::new("turnserver")
            .arg("-h")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        if found.is_err() {
            anyhow::bail!(
                "`turnserver` is not installed: the relay test needs coturn \
                 (`apt-get install coturn`)"
            );
        }
        let port = free_port()?;
        let relay_min = free_port()?.max(20_000);
        let mut process = Owned::spawn(
            "turnserver",
            Command::new("turnserver")
                .args(["-n", "--no-cli", "--no-tls", "--no-dtls", "--fingerprint"])
                .args(auth)
                .args(["--realm", "carec-sis.test"])
                .args(["--listening-ip", "127.0.0.1", "--relay-ip", "127.0.0.1"])
                .arg(format!("--listening-port={port}"))
                .arg(format!("--min-port={relay_min}"))
                .arg(format!("--max-port={}", relay_min + 100))
                // coturn refuses to relay to loopback peers unless told: the SFU is one here.
                .arg("--allow-loopback-peers")
                .args(["--log-file", "stdout", "--simple-log", "--verbose"])
                .stdout(Stdio::piped())
                .stderr(Stdio::null()),
        )?;
        let log: Arc<Mutex<Vec<String>>> = Arc::default();
        let stdout = process.child.stdout.take().context("turnserver's stdout")?;
        let keep = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                keep.lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push(line);
            }
        });
        wait_for_port(&mut process, port, Duration::from_secs(10))
            .context("waiting for turnserver")?;
        Ok(TurnServer {
            port,
            log,
            _process: process,
        })
    }

    /// The lines coturn logged so far.
    pub fn log(&self) -> Vec<String> {
        self.log
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// The URL a WebRTC client is configured with.
    pub fn url(&self) -> String {
        format!("turn:127.0.0.1:{}?transport=udp", self.port)
    }
}
