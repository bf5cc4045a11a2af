//! Country nodes that trust each other, started as `cargo xtask run --countries` starts them:
//! the test PKI, the signed trust list and each node's configuration come from that same
//! code, run by the xtask binary (`SIS_E2E_XTASK_BIN`) on the node binary and web UI built
//! already, in a folder private to the test. Its `network.json` says where each node
//! listens and how its demo officer logs in.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde::Deserialize;

use crate::env_path;

/// How long preparing the PKI and starting the nodes may take on a busy machine.
const START_WITHIN: Duration = Duration::from_secs(120);
/// How long the nodes get to shut down after SIGTERM.
const STOP_WITHIN: Duration = Duration::from_secs(15);

/// One node of the network, as `network.json` describes it.
#[derive(Debug, Clone, Deserialize)]
pub struct NetNode {
    /// Upper case, `KZ`.
    pub country: String,
    /// The internal face: the web UI and the officers' API.
    pub url: String,
    /// The face its peers reach over mutual TLS.
    pub external_url: String,
    pub pid: u32,
    pub admin: Credentials,
    pub officer: Credentials,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Credentials {
    pub login: String,
    pub password: String,
}

/// The running network; dropping it stops every node and removes its folder.
#[derive(Debug)]
pub struct Network {
    pub nodes: Vec<NetNode>,
    xtask: std::process::Child,
    root: PathBuf,
    // Removed last (field order), after the nodes have stopped writing into it.
    _dir: tempfile::TempDir,
}

impl Network {
    /// Starts the nodes of `countries` (`"kz,uz"`) and returns once all of them listen on
    /// both faces.
    pub fn start(countries: &str) -> anyhow::Result<Network> {
        let xtask = env_path("SIS_E2E_XTASK_BIN")?;
        let node_bin = env_path("SIS_E2E_NODE_BIN")?;
        let web = env_path("SIS_E2E_WEB_DIR")?;
        let dir = tempfile::tempdir()?;
        let root = dir.path().join("net");
        let log = std::fs::File::create(dir.path().join("xtask.log"))?;
        let mut cmd = Command::new(&xtask);
        cmd.args(["run", "--countries", countries, "--dir"])
            .arg(&root)
            .arg("--node-bin")
            .arg(&node_bin)
            .arg("--web-dir")
            .arg(&web)
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log);
        // A group of its own, with the nodes it starts: one SIGTERM to the group stops them
        // all, as Ctrl-C does in a terminal, and nothing else of the test's is signalled.
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        let child = cmd
            .spawn()
            .with_context(|| format!("starting {}", xtask.display()))?;
        let mut network = Network {
            nodes: Vec::new(),
            xtask: child,
            root,
            _dir: dir,
        };
        network.nodes = network.wait_for_manifest()?;
        Ok(network)
    }

    /// The node of `country` (`"KZ"`).
    pub fn node(&self, country: &str) -> anyhow::Result<&NetNode> {
        self.nodes
            .iter()
            .find(|n| n.country == country)
            .with_context(|| format!("no {country} node in the network"))
    }

    /// The last lines of a node's log, and of xtask's, to explain a failure.
    pub fn logs(&self) -> String {
        let mut out = String::new();
        let mut add = |name: &str, path: &Path| {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            let lines: Vec<&str> = text.lines().collect();
            let tail = &lines[lines.len().saturating_sub(40)..];
            out.push_str(&format!(
                "--- {name} ({})\n{}\n",
                path.display(),
                tail.join("\n")
            ));
        };
        add("xtask", &self.root.with_file_name("xtask.log"));
        for n in &self.nodes {
            let cc = n.country.to_ascii_lowercase();
            add(&n.country, &self.root.join(cc).join("node.log"));
        }
        out
    }

    /// `network.json` is written once every face listens; until then xtask may still fail.
    fn wait_for_manifest(&mut self) -> anyhow::Result<Vec<NetNode>> {
        let path = self.root.join("network.json");
        let deadline = Instant::now() + START_WITHIN;
        loop {
            // Read whole or not at all: a half-written file fails to parse and is read again.
            if let Ok(text) = std::fs::read_to_string(&path)
                && let Ok(nodes) = serde_json::from_str::<Vec<NetNode>>(&text)
            {
                return Ok(nodes);
            }
            if let Some(status) = self.xtask.try_wait()? {
                bail!(
                    "xtask exited ({status}) before the network listened:\n{}",
                    self.logs()
                );
            }
            if Instant::now() > deadline {
                bail!(
                    "the network did not listen within {START_WITHIN:?}:\n{}",
                    self.logs()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// SIGTERM to the group (the nodes shut down gracefully), then waits for xtask and for
    /// each node; SIGKILL to the group only when they overstay.
    fn stop(&mut self) {
        let group = format!("-{}", self.xtask.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let deadline = Instant::now() + STOP_WITHIN;
        let pids: Vec<u32> = self.nodes.iter().map(|n| n.pid).collect();
        loop {
            let xtask_done = matches!(self.xtask.try_wait(), Ok(Some(_)));
            if xtask_done && pids.iter().all(|&pid| !alive(pid)) {
                return;
            }
            if Instant::now() > deadline {
                let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
                let _ = self.xtask.wait();
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Network {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Whether `pid` still runs. The nodes are xtask's children, not ours: once xtask is gone
/// they are reaped by another process, and a zombie left for a moment counts as stopped.
fn alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The state follows the command name in parentheses, which may hold spaces.
        Ok(stat) => stat
            .rsplit_once(')')
            .is_some_and(|(_, rest)| !rest.trim_start().starts_with(['Z', 'X'])),
        Err(_) => false,
    }
}
