//! Starting the network's nodes (each with a demo administrator and a demo officer),
//! watching them, and stopping them all when one stops or the run ends.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{Context, bail};
use sis_customs::CountryCode;

use crate::accounts::{self, DemoAccount};
use crate::net::PreparedNode;
use crate::net::manifest::{Credentials, NodeEntry};
use crate::run::{stop, wait_until_listening};

/// The nodes started; dropping this stops those still running.
#[derive(Debug)]
pub struct Running {
    nodes: Vec<RunningNode>,
}

#[derive(Debug)]
struct RunningNode {
    country: CountryCode,
    child: Child,
    entry: NodeEntry,
    log: std::path::PathBuf,
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

/// Creates the demo accounts where missing, starts every node (output into its log), and
/// returns once all faces accept connections.
pub fn start(bin: &Path, prepared: &[PreparedNode]) -> anyhow::Result<Running> {
    let mut running = Running { nodes: Vec::new() };
    for node in prepared {
        let admin = credentials(bin, node, &accounts::ADMIN)?;
        let officer = credentials(bin, node, &accounts::OFFICER)?;
        let log = std::fs::File::create(&node.log)
            .with_context(|| format!("creating {}", node.log.display()))?;
        let child = node_command(bin, &node.config)
            .arg("serve")
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()
            .with_context(|| format!("starting the {} node", node.country))?;
        running.nodes.push(RunningNode {
            country: node.country,
            entry: NodeEntry {
                country: node.country.to_string(),
                url: format!("http://{}", node.internal),
                external_url: node.external_url.clone(),
                pid: child.id(),
                admin,
                officer,
            },
            child,
            log: node.log.clone(),
        });
    }
    // Started together, waited for together: the nodes open their databases in parallel.
    for (node, spec) in running.nodes.iter_mut().zip(prepared) {
        for addr in [spec.internal, spec.external] {
            if let Err(e) = wait_until_listening(&mut node.child, addr) {
                bail!(
                    "{} node: {e:#}; see its log {}",
                    node.country,
                    node.log.display()
                );
            }
        }
    }
    Ok(running)
}

impl Running {
    /// What `network.json` says of each node.
    pub fn entries(&self) -> Vec<NodeEntry> {
        self.nodes.iter().map(|n| n.entry.clone()).collect()
    }

    /// Returns when a node stops (Ctrl-C stops them all: they share the terminal's process
    /// group) after stopping the others; an error when one stopped on its own.
    pub fn supervise(mut self) -> anyhow::Result<()> {
        loop {
            let mut stopped = None;
            for node in &mut self.nodes {
                if let Some(status) = node.child.try_wait()? {
                    stopped = Some((node.country, status, node.log.clone()));
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
