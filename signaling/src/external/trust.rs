//! The trust list in force: read from its file, verified against the configured signers,
//! and read again when the file changes, without a restart. A new list replaces the
//! members the TLS face accepts at once; a list that does not verify (or goes back in
//! version) is refused with a log line and the one in force stays.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use anyhow::Context;
use sis_exchange::{TrustList, TrustListVerifier};

use crate::external::peers::{Member, Peers};

/// The list in force and the peers it admits.
#[derive(Debug)]
pub struct TrustState {
    path: Option<PathBuf>,
    verifier: TrustListVerifier,
    current: RwLock<Arc<TrustList>>,
    peers: Arc<Peers>,
    /// The file's bytes as last read (the list in force, or one refused), so a check reads
    /// the small file and compares, whatever the file system's clock granularity.
    seen: Mutex<Vec<u8>>,
}

fn members(list: &TrustList) -> Vec<Member> {
    list.content()
        .members
        .iter()
        .map(|m| Member {
            country: m.country,
            tls_ca_pem: m.tls_ca_pem.clone(),
        })
        .collect()
}

impl TrustState {
    /// Reads and verifies the list at `path`; the node does not start without a valid one.
    pub fn load(path: &Path, verifier: TrustListVerifier) -> anyhow::Result<Arc<TrustState>> {
        let bytes = std::fs::read(path)
            .with_context(|| format!("external.trust_list: cannot read {}", path.display()))?;
        let list = TrustList::parse_and_verify(&bytes, &verifier, None).with_context(|| {
            format!(
                "external.trust_list: {} is not a valid trust list",
                path.display()
            )
        })?;
        let state = TrustState::new(list, verifier)?;
        Ok(Arc::new(TrustState {
            path: Some(path.to_owned()),
            seen: Mutex::new(bytes),
            ..state
        }))
    }

    /// A state over a list already verified (tests; a list received another way).
    pub fn new(list: TrustList, verifier: TrustListVerifier) -> anyhow::Result<TrustState> {
        let peers = Peers::new(&members(&list)).context("external.trust_list")?;
        Ok(TrustState {
            path: None,
            verifier,
            current: RwLock::new(Arc::new(list)),
            peers,
            seen: Mutex::new(Vec::new()),
        })
    }

    pub fn current(&self) -> Arc<TrustList> {
        self.current
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub fn peers(&self) -> &Arc<Peers> {
        &self.peers
    }

    /// Puts `bytes` in force if they verify and do not go back in version.
    pub fn offer(&self, bytes: &[u8]) -> Result<(), String> {
        let current = self.current();
        let list = TrustList::parse_and_verify(bytes, &self.verifier, Some(&current))
            .map_err(|e| format!("{} ({})", e, e.code()))?;
        self.peers
            .replace(&members(&list))
            .map_err(|e| e.to_string())?;
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(list);
        Ok(())
    }

    /// Reads the file again and takes it when its bytes changed since last read; `true` when a new list came
    /// into force.
    pub fn reload_if_changed(&self) -> bool {
        let Some(path) = &self.path else { return false };
        let Ok(bytes) = std::fs::read(path) else {
            return false;
        };
        {
            let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
            if bytes == *seen {
                return false;
            }
            seen.clone_from(&bytes);
        }
        let before = self.current().version();
        match self.offer(&bytes) {
            Ok(()) => {
                let after = self.current().version();
                tracing::info!(from = before, to = after, "trust list reloaded");
                true
            }
            Err(e) => {
                tracing::warn!(
                    file = %path.display(),
                    "trust list not reloaded, version {before} stays in force: {e}"
                );
                false
            }
        }
    }

    /// Checks the file every `every` until the node stops.
    pub fn watch(self: &Arc<Self>, every: Duration) -> tokio::task::JoinHandle<()> {
        let state = Arc::downgrade(self);
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(every).await;
                let Some(state) = state.upgrade() else { return };
                state.reload_if_changed();
            }
        })
    }
}
