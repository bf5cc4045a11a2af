//! `network.json`: the running network as a list, per node its country, its faces, its
//! process and its demo accounts, for people and for scripts that drive the network.

use std::path::Path;

use serde::{Deserialize, Serialize};

/// One node of the network, as written in `network.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeEntry {
    /// ISO 3166-1 alpha-2, upper case.
    pub country: String,
    /// The internal face: the web UI and the officers' API (`http://127.0.0.1:<port>`).
    pub url: String,
    /// The external face peers reach over mutual TLS (`https://localhost:<port>`).
    pub external_url: String,
    pub pid: u32,
    pub admin: Credentials,
    pub officer: Credentials,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credentials {
    pub login: String,
    pub password: String,
}

/// Writes `nodes` into `path`, readable by its owner only (it holds passwords).
pub fn write(path: &Path, nodes: &[NodeEntry]) -> anyhow::Result<()> {
    let mut text = serde_json::to_string_pretty(nodes)?;
    text.push('\n');
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
        _ => {}
    }
    crate::secret::write_private(path, text.as_bytes())
}
