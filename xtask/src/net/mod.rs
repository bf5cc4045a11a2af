//! `cargo xtask run --countries kz,uz,kg`: a network of country nodes on one machine, as a
//! country's operators try the network before joining it.
//!
//! Per country, under `<target>/demo-net/<cc>/`: a test PKI (`pki/`: its CA and the node
//! certificate it issued), the node's signing key (`data/node-signing.key`, written before
//! the first start so that the trust list can name it), the node's configuration
//! (`sis.toml`) and its log (`node.log`). Shared: the trust-list signer
//! (`trust-signer.key`), the trust list naming every node (`trust-list.json`, a new version
//! on each run) and, once the nodes listen, `network.json`. Keys, PKI and data are kept
//! from run to run; ports are chosen again. With `--dir`, all of it goes into that folder
//! instead (a test's network, with `--node-bin` and `--web-dir`: nothing is built).
//!
//! # Layout
//! - [`api`]: a typed client of a node's internal face, for tools that drive the network.
//! - [`countries`]: parsing `--countries`, the members' names.
//! - [`ports`]: the faces' loopback ports.
//! - [`pki`], [`trust`], [`node_config`]: what [`prepare`] writes.
//! - [`nodes`]: starting the nodes with their demo accounts, and stopping them.
//! - [`manifest`]: what `network.json` holds, and writing it.

pub mod api;
pub mod countries;
pub mod manifest;
pub mod node_config;
pub mod nodes;
pub mod pki;
pub mod ports;
pub mod trust;

#[cfg(test)]
mod e2e_tests;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Instant;

use sis_customs::CountryCode;

use crate::run::Built;
use node_config::{ExternalConfig, NodeConfig};
use ports::Ports;

/// Where the demo network keeps its files.
#[derive(Debug, Clone)]
pub struct Layout {
    pub root: PathBuf,
}

impl Layout {
    /// `<target>/demo-net`.
    pub fn under(target: &Path) -> Layout {
        Layout {
            root: target.join("demo-net"),
        }
    }

    pub fn country(&self, c: CountryCode) -> PathBuf {
        self.root.join(c.as_str().to_ascii_lowercase())
    }

    /// The node's `data_dir`.
    pub fn data(&self, c: CountryCode) -> PathBuf {
        self.country(c).join("data")
    }

    pub fn pki(&self, c: CountryCode) -> PathBuf {
        self.country(c).join("pki")
    }

    pub fn config(&self, c: CountryCode) -> PathBuf {
        self.country(c).join("sis.toml")
    }

    pub fn log(&self, c: CountryCode) -> PathBuf {
        self.country(c).join("node.log")
    }

    pub fn trust_list(&self) -> PathBuf {
        self.root.join("trust-list.json")
    }

    pub fn signer(&self) -> PathBuf {
        self.root.join("trust-signer.key")
    }

    pub fn manifest(&self) -> PathBuf {
        self.root.join("network.json")
    }
}

/// One node, ready to start.
#[derive(Debug, Clone)]
pub struct PreparedNode {
    pub country: CountryCode,
    pub internal: SocketAddr,
    pub external: SocketAddr,
    /// `https://localhost:<port>`, as the trust list names it (a proxy's when
    /// [`Options::external_url_of`] says so).
    pub external_url: String,
    pub config: PathBuf,
    pub data: PathBuf,
    pub log: PathBuf,
}

/// How a network differs from the one `cargo xtask run --countries` starts: what tests
/// that break it (the soak, a partition) need.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The URL the trust list gives for a member instead of its own external face: a proxy
    /// between it and its peers.
    pub external_url_of: BTreeMap<CountryCode, String>,
    /// `external.max_backoff_seconds` of every node; the node's default when none.
    pub max_backoff_seconds: Option<u64>,
    /// `external.witness_seconds` of every node; the node's default when none.
    pub witness_seconds: Option<u64>,
}

/// The network written by [`prepare`].
#[derive(Debug, Clone)]
pub struct Prepared {
    pub nodes: Vec<PreparedNode>,
    pub trust_version: u64,
}

/// Writes everything the nodes of `countries` need to start as one network: keys and PKI
/// (kept when they exist), the trust list and each node's configuration.
pub fn prepare(
    layout: &Layout,
    countries: &[CountryCode],
    web_dir: &Path,
    ports: &mut Ports,
    options: &Options,
) -> anyhow::Result<Prepared> {
    crate::secret::private_dir(&layout.root)?;
    let signer = trust::Signer::load_or_create(&layout.signer())?;
    let mut nodes = Vec::new();
    let mut members = Vec::new();
    for (i, &country) in countries.iter().enumerate() {
        let offset = u16::try_from(i)?;
        let internal = ports.take(ports::INTERNAL_FROM + offset)?;
        let external = ports.take(ports::EXTERNAL_FROM + offset)?;
        let pki = pki::CountryPki::load_or_generate(&layout.pki(country), country)?;
        let data = layout.data(country);
        crate::secret::private_dir(&data)?;
        // The node reads this file as its key (`signaling/src/node/key.rs`); written here
        // first, the trust list can name the key before the node has ever run.
        let seed = crate::secret::seed(&data.join("node-signing.key"))?;
        let external_url = options
            .external_url_of
            .get(&country)
            .cloned()
            .unwrap_or_else(|| format!("https://localhost:{}", external.port()));
        members.push(trust::member(&trust::MemberInfo {
            country,
            external_url: external_url.clone(),
            ca_pem: &pki.ca_pem,
            seed: &seed,
        })?);
        let config = NodeConfig {
            country: country.to_string(),
            listen: internal,
            data_dir: data.clone(),
            web_dir: web_dir.to_owned(),
            external: ExternalConfig {
                listen: external,
                tls_cert: pki.node_cert.clone(),
                tls_key: pki.node_key.clone(),
                trust_list: layout.trust_list(),
                trust_signers: vec![signer.config_entry()],
                signing_kid: trust::kid(country)?.as_str().to_owned(),
                max_backoff_seconds: options.max_backoff_seconds,
                witness_seconds: options.witness_seconds,
            },
        };
        config.write(&layout.config(country))?;
        nodes.push(PreparedNode {
            country,
            internal,
            external,
            external_url,
            config: layout.config(country),
            data,
            log: layout.log(country),
        });
    }
    let trust_version = trust::write(&layout.trust_list(), &signer, members)?;
    Ok(Prepared {
        nodes,
        trust_version,
    })
}

/// Prepares the network, starts its nodes, writes `network.json`, and serves until Ctrl-C
/// (or, with the desktop app, until the app is closed).
pub fn run(
    countries: &[CountryCode],
    layout: &Layout,
    built: &Built,
    started: Instant,
) -> anyhow::Result<()> {
    let node_bin = built.bin.join("sis-signaling");
    let (prepared, running) = start(
        countries,
        layout,
        &node_bin,
        &built.dist,
        Ports::preferred(),
    )?;
    print_ready(layout, &prepared, &running, started);
    let first = &running.entries()[0].url;
    if built.desktop {
        println!("  opening the desktop app on {first}; close it to stop the network");
        crate::run::open_desktop(&built.bin, first)?;
        running.stop();
        Ok(())
    } else {
        if built.has_display && built.desktop_packages {
            crate::run::prebuild_desktop()?;
        }
        println!("  press Ctrl-C to stop them all");
        running.supervise()
    }
}

/// As [`run`], from binaries built by the caller (`--node-bin`, `--web-dir`): for tests
/// that start a network of their own. Stopped as a terminal stops it: SIGTERM to the
/// process group reaches every node.
pub fn run_prebuilt(
    countries: &[CountryCode],
    layout: &Layout,
    prebuilt: &crate::run::Prebuilt,
    started: Instant,
) -> anyhow::Result<()> {
    // Any free ports: such a network runs beside a person's own, which keeps the usual ones.
    let (prepared, running) = start(
        countries,
        layout,
        &prebuilt.node_bin,
        &prebuilt.web_dir,
        Ports::any(),
    )?;
    print_ready(layout, &prepared, &running, started);
    running.supervise()
}

/// Prepares the network, starts its nodes, and writes `network.json` once they listen.
fn start(
    countries: &[CountryCode],
    layout: &Layout,
    node_bin: &Path,
    web_dir: &Path,
    mut ports: Ports,
) -> anyhow::Result<(Prepared, nodes::Running)> {
    let prepared = prepare(layout, countries, web_dir, &mut ports, &Options::default())?;
    let running = nodes::start(node_bin, &prepared.nodes)?;
    manifest::write(&layout.manifest(), &running.entries())?;
    Ok((prepared, running))
}

fn print_ready(layout: &Layout, prepared: &Prepared, running: &nodes::Running, started: Instant) {
    let entries = running.entries();

    println!();
    println!("  ready after {:.0} s", started.elapsed().as_secs_f64());
    println!(
        "  CAREC SIS network of {} node(s), trust list version {}:",
        entries.len(),
        prepared.trust_version
    );
    for (entry, node) in entries.iter().zip(&prepared.nodes) {
        println!();
        println!(
            "  {}  {}  (external face {})",
            entry.country, entry.url, entry.external_url
        );
        for who in [&entry.admin, &entry.officer] {
            println!("      {:<14} password: {}", who.login, who.password);
        }
        println!("      log {}", node.log.display());
    }
    println!();
    println!("  the network as JSON: {}", layout.manifest().display());
    println!("  trust list: {}", layout.trust_list().display());
    println!();
}
