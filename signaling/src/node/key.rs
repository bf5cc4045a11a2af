//! The node's Ed25519 signing key: it signs meeting minutes (and, with the federation,
//! tree heads and envelopes). Generated at first start into the data folder, readable by
//! the node's user only.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail};
use ed25519_dalek::{SigningKey, VerifyingKey};
use rand::RngCore;

/// File name of the key in the data folder: the 32-byte secret seed, raw.
pub const FILE_NAME: &str = "node-signing.key";

/// The node's key; cheap to clone.
#[derive(Clone)]
pub struct NodeKey(Arc<SigningKey>);

// The secret must never reach a log through `{:?}`.
impl std::fmt::Debug for NodeKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("NodeKey")
            .field(&hex::encode(self.public().as_bytes()))
            .finish()
    }
}

impl NodeKey {
    /// A fresh key held in memory only (tests, and nodes that keep no state).
    pub fn ephemeral() -> NodeKey {
        let mut seed = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut seed);
        NodeKey(Arc::new(SigningKey::from_bytes(&seed)))
    }

    /// The key of this 32-byte seed (tools that issue a network's keys, tests).
    pub fn from_seed(seed: &[u8; 32]) -> NodeKey {
        NodeKey(Arc::new(SigningKey::from_bytes(seed)))
    }

    pub fn signing(&self) -> &SigningKey {
        &self.0
    }

    pub fn public(&self) -> VerifyingKey {
        self.0.verifying_key()
    }

    /// Reads `<data_dir>/node-signing.key`, or creates it (mode 0600) when absent.
    pub fn load_or_create(data_dir: &Path) -> anyhow::Result<NodeKey> {
        let path = data_dir.join(FILE_NAME);
        match std::fs::read(&path) {
            Ok(bytes) => {
                let seed: [u8; 32] = bytes.try_into().map_err(|b: Vec<u8>| {
                    anyhow::anyhow!(
                        "{}: holds {} bytes, a node key has 32",
                        path.display(),
                        b.len()
                    )
                })?;
                check_private(&path)?;
                Ok(NodeKey(Arc::new(SigningKey::from_bytes(&seed))))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => create(&path),
            Err(e) => Err(e).with_context(|| format!("reading the node key {}", path.display())),
        }
    }
}

fn create(path: &PathBuf) -> anyhow::Result<NodeKey> {
    if let Some(dir) = path.parent() {
        crate::store::private_dir(dir)
            .with_context(|| format!("creating the data folder {}", dir.display()))?;
    }
    let key = NodeKey::ephemeral();
    let mut options = std::fs::OpenOptions::new();
    // `create_new`: two nodes starting at once on one folder must not overwrite each
    // other's key after one of them has signed with it.
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .with_context(|| format!("creating the node key {}", path.display()))?;
    file.write_all(key.signing().as_bytes())
        .and_then(|()| file.sync_all())
        .with_context(|| format!("writing the node key {}", path.display()))?;
    tracing::info!(path = %path.display(), "generated the node's signing key");
    Ok(key)
}

/// Refuses a key file others can read: its signatures could be forged.
fn check_private(path: &Path) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .with_context(|| format!("reading {}", path.display()))?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            bail!(
                "{}: readable by other users (mode {:o}); run `chmod 600` on it",
                path.display(),
                mode & 0o777
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_created_private_and_read_back() {
        let dir = tempfile::tempdir().expect("temp dir");
        let data = dir.path().join("data");
        let first = NodeKey::load_or_create(&data).expect("created");
        let again = NodeKey::load_or_create(&data).expect("read back");
        assert_eq!(first.public(), again.public());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(data.join(FILE_NAME))
                .expect("exists")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
            std::fs::set_permissions(data.join(FILE_NAME), std::fs::Permissions::from_mode(0o644))
                .expect("chmod");
            let err = NodeKey::load_or_create(&data).expect_err("world-readable key");
            assert!(err.to_string().contains("chmod 600"), "{err}");
        }
        std::fs::write(data.join(FILE_NAME), b"short").expect("write");
        assert!(NodeKey::load_or_create(&data).is_err());
    }
}
