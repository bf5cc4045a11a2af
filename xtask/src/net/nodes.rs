//! Starting the network's nodes (each with a demo administrator and a demo officer),
//! watching them, and stopping them all when one stops or the run ends.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{Context, bail};

use crate::accounts::{self, DemoAccount};
use crate::net::PreparedNode;
use crate::net::manifest::{Credentials, NodeEntry};
use crate::run::{stop, wait_until_listening};

/// The nodes started; dropping this stops those still running.
#[derive(Debug)]
pub struct Running {
    /// The node's binary, for restarts.
    bin: PathBuf,
    nodes: Vec<RunningNode>,
}

#[derive(Debug)]
struct RunningNode {
    spec: PreparedNode,
    child: Child,
    entry: NodeEntry,
}

/// The node's binary with `config` as its whole configuration. `SIS_*` variables win
/// over the file in the node, so those of the caller's shell are left out: one
/// `SIS_LISTEN` would otherwise send every node to one port.
fn node_command(bin: &Path, config: &Path) -> Command {
    let mut cmd = Command::new(bin);
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("SIS_") {
            cmd.env_remove(name);
        }
    }
    cmd.arg("--config").arg(config);
    cmd
}

fn credentials(bin: &Path, node: &PreparedNode, who: &DemoAccount) -> anyhow::Result<Credentials> {
    let mut cmd = node_command(bin, &node.config);
    cmd.stdout(Stdio::null());
    let password =
        accounts::ensure(cmd, &node.data, who).with_context(|| format!("{} node", node.country))?;
    Ok(Credentials {
        login: who.login.to_owned(),
        password,
    })
}

/// `sis-signaling serve` for `node`, its output into its log: a new log on the first
/// start, the same one continued on a restart, so that the log tells the whole story.
fn serve(bin: &Path, node: &PreparedNode, restart: bool) -> anyhow::Result<Child> {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .append(restart)
        .truncate(!restart)
        .open(&node.log)
        .with_context(|| format!("opening {}", node.log.display()))?;
    node_command(bin, &node.config)
        .arg("serve")
        .stdout(log.try_clone()?)
        .stderr(log)
        .spawn()
        .with_context(|| format!("starting the {} node", node.country))
}

/// Waits until both faces of `node` accept connections.
fn listening(child: &mut Child, node: &PreparedNode) -> anyhow::Result<()> {
    for addr in [node.internal, node.external] {
        if let Err(e) = wait_until_listening(child, addr) {
            bail!(
                "{} node: {e:#}; see its log {}",
                node.country,
                node.log.display()
            );
        }
    }
    Ok(())
}

/// Creates the demo accounts where missing, starts every node (output into its log), and
/// returns once all faces accept connections.
pub fn start(bin: &Path, prepared: &[PreparedNode]) -> anyhow::Result<Running> {
    let mut running = Running {
        bin: bin.to_owned(),
        nodes: Vec::new(),
    };
    for node in prepared {
        let admin = credentials(bin, node, &accounts::ADMIN)?;
        let officer = credentials(bin, node, &accounts::OFFICER)?;
        let child = serve(bin, node, false)?;
        running.nodes.push(RunningNode {
            entry: NodeEntry {
                country: node.country.to_string(),
                url: format!("http://{}", node.internal),
                external_url: node.external_url.clone(),
                pid: child.id(),
                admin,
                officer,
            },
            child,
            spec: node.clone(),
        });
    }
    // Started together, waited for together: the nodes open their databases in parallel.
    for node in &mut running.nodes {
        listening(&mut node.child, &node.spec)?;
    }
    Ok(running)
}

impl Running {
    /// What `network.json` says of each node.
    pub fn entries(&self) -> Vec<NodeEntry> {
        self.nodes.iter().map(|n| n.entry.clone()).collect()
    }

    /// Kills node `i` with SIGKILL, as a crash or a power cut would: no shutdown, no flush.
    pub fn kill(&mut self, i: usize) -> anyhow::Result<()> {
        let node = &mut self.nodes[i];
        // std's `Child::kill` is SIGKILL on Unix.
        node.child
            .kill()
            .with_context(|| format!("killing the {} node", node.spec.country))?;
        node.child.wait()?;
        Ok(())
    }

    /// Starts node `i` again, on the same configuration and data, and waits until it listens.
    pub fn restart(&mut self, i: usize) -> anyhow::Result<()> {
        let node = &mut self.nodes[i];
        if matches!(node.child.try_wait(), Ok(None)) {
            bail!("the {} node is running", node.spec.country);
        }
        node.child = serve(&self.bin, &node.spec, true)?;
        node.entry.pid = node.child.id();
        listening(&mut node.child, &node.spec)
    }

    /// Returns when a node stops (Ctrl-C stops them all: they share the terminal's process
    /// group) after stopping the others; an error when one stopped on its own.
    pub fn supervise(mut self) -> anyhow::Result<()> {
        loop {
            let mut stopped = None;
            for node in &mut self.nodes {
                if let Some(status) = node.child.try_wait()? {
                    stopped = Some((node.spec.country, status, node.spec.log.clone()));
                    break;
                }
            }
            if let Some((country, status, log)) = stopped {
                self.stop_all();
                if status.success() {
                    return Ok(());
                }
                bail!(
                    "the {country} node stopped with {status}; the others were stopped \
                     (its log: {})",
                    log.display()
                );
            }
            // Nothing to wait on for "any of these children" in std; a quarter second is
            // soon enough to notice a node that died.
            std::thread::sleep(Duration::from_millis(250));
        }
    }

    /// Stops every node still running, gracefully (SIGTERM), and waits for them.
    pub fn stop(mut self) {
        self.stop_all();
    }

    fn stop_all(&mut self) {
        for node in &mut self.nodes {
            // A reaped child keeps its status, and is not signalled: its pid may be
            // another process's by now.
            if matches!(node.child.try_wait(), Ok(None)) {
                stop(&mut node.child);
            }
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.stop_all();
    }
}
