//! The configuration file of one node of the demo network (`sis.toml`, read by
//! `sis-signaling --config`): what an operator writes to join a network, and so what a
//! country's operators can copy from.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Serialize;

/// The keys of the node's configuration this file sets (`signaling/src/node/config.rs`);
/// every other one keeps its default.
#[derive(Debug, Serialize)]
pub struct NodeConfig {
    pub country: String,
    /// The internal face (officers, the web UI), on loopback.
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    pub web_dir: PathBuf,
    pub external: ExternalConfig,
}

/// The `[external]` section (`signaling/src/node/config/external.rs`).
#[derive(Debug, Serialize)]
pub struct ExternalConfig {
    pub listen: SocketAddr,
    pub tls_cert: PathBuf,
    pub tls_key: PathBuf,
    pub trust_list: PathBuf,
    /// `<kid>:<base64 Ed25519 public key>` of the trust-list signer.
    pub trust_signers: Vec<String>,
    pub signing_kid: String,
    /// The longest wait between delivery attempts; the node's default (300 s) when none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_backoff_seconds: Option<u64>,
    /// How often peers' logs are cosigned; the node's default (30 s) when none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub witness_seconds: Option<u64>,
}

impl NodeConfig {
    pub fn write(&self, path: &Path) -> anyhow::Result<()> {
        let text = toml::to_string(self).context("the node's configuration as TOML")?;
        let text =
            format!("# Written by `cargo xtask run --countries`; rewritten on each run.\n{text}");
        std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
    }
}
