//! A country node started from the `sis-signaling` binary, with officers added through its
//! command line as an operator would.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

use anyhow::{Context, bail};

use crate::env_path;
use crate::process::Owned;

#[derive(Debug)]
pub struct Node {
    pub url: String,
    /// Every line the node logged so far (stderr).
    log: Arc<Mutex<Vec<String>>>,
    _process: Owned,
    _data: tempfile::TempDir,
}

/// An account to create before the node starts.
#[derive(Debug, Clone, Copy)]
pub struct Account<'a> {
    pub login: &'a str,
    pub name: &'a str,
    pub role: &'a str,
    pub agency: &'a str,
    pub password: &'a str,
}

fn base_command(bin: &std::path::Path, data: &std::path::Path) -> Command {
    let mut c = Command::new(bin);
    c.env("SIS_DATA_DIR", data)
        .env("SIS_COUNTRY", "KZ")
        .env_remove("SIS_CONFIG")
        .env_remove("SIS_DATABASE_URL");
    c
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Node {
    /// The lines the node logged so far.
    pub fn log(&self) -> Vec<String> {
        lock(&self.log).clone()
    }

    /// Waits up to `within` for a log line that contains every one of `parts`; the log so
    /// far is in the error.
    pub async fn log_line(
        &self,
        parts: &[&str],
        within: std::time::Duration,
    ) -> anyhow::Result<String> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            if let Some(line) = self
                .log()
                .into_iter()
                .find(|l| parts.iter().all(|p| l.contains(p)))
            {
                return Ok(line);
            }
            if tokio::time::Instant::now() > deadline {
                bail!(
                    "no log line with {parts:?} within {within:?}; the log:\n{}",
                    self.log().join("\n")
                );
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }

    /// The node's process id, for reading its CPU time.
    pub fn pid(&self) -> u32 {
        self._process.child.id()
    }

    pub fn start(accounts: &[Account<'_>]) -> anyhow::Result<Node> {
        Node::start_with(accounts, &[])
    }

    /// A node with `env` set for `serve` (e.g. `SIS_MEDIA=off`).
    pub fn start_with(accounts: &[Account<'_>], env: &[(&str, &str)]) -> anyhow::Result<Node> {
        let bin = env_path("SIS_E2E_NODE_BIN")?;
        let web = env_path("SIS_E2E_WEB_DIR")?;
        let data = tempfile::tempdir()?;
        for a in accounts {
            let mut child = base_command(&bin, data.path())
                .args(["officer", "add", "--login", a.login, "--name", a.name])
                .args(["--role", a.role, "--agency", a.agency])
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .spawn()
                .context("starting sis-signaling officer add")?;
            child
                .stdin
                .take()
                .context("stdin")?
                .write_all(format!("{}\n", a.password).as_bytes())?;
            let status = child.wait()?;
            if !status.success() {
                bail!("officer add {} failed ({status})", a.login);
            }
        }
        let mut process = Owned::spawn(
            "sis-signaling serve",
            base_command(&bin, data.path())
                .arg("serve")
                // Its default log filter, as an operator runs it, unless `env` sets one.
                .env_remove("RUST_LOG")
                .env("SIS_LISTEN", "127.0.0.1:0")
                .env("SIS_WEB_DIR", &web)
                .envs(env.iter().copied())
                .stderr(Stdio::piped()),
        )?;
        let stderr = process.child.stderr.take().context("stderr")?;
        let mut lines = BufReader::new(stderr).lines();
        let log: Arc<Mutex<Vec<String>>> = Arc::default();
        let url = loop {
            let Some(line) = lines.next() else {
                bail!("the node exited before listening");
            };
            let line = line?;
            lock(&log).push(line.clone());
            if let Some(rest) = line.split("node listening on ").nth(1) {
                break rest
                    .split_whitespace()
                    .next()
                    .context("an address after 'listening on'")?
                    .to_owned();
            }
        };
        // Keep reading the log so the node never blocks writing to a full pipe.
        let keep = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                lock(&keep).push(line);
            }
        });
        Ok(Node {
            url,
            log,
            _process: process,
            _data: data,
        })
    }
}
