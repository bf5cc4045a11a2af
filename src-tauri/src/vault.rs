//! Where the session's secret is kept between runs: the OS keyring when it works, else a
//! file only the user can read.
//!
//! The secret is opaque here (the [`crate::session`] module decides what it holds), and no
//! function in this module logs it.

use std::io::Write;
use std::path::{Path, PathBuf};

/// A place that keeps one secret for the app.
pub trait TokenVault: Send + Sync + std::fmt::Debug {
    /// The kept secret, `None` when there is none.
    fn load(&self) -> Result<Option<String>, VaultError>;
    /// Keeps `secret` in place of any earlier one.
    fn store(&self, secret: &str) -> Result<(), VaultError>;
    /// Forgets the secret; forgetting nothing is not an error.
    fn clear(&self) -> Result<(), VaultError>;
}

#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error("OS keyring: {0}")]
    Keyring(#[from] keyring::Error),
    #[error("token file {path}: {source}")]
    File {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// The OS keyring: the Credential Manager on Windows, the Keychain on macOS, the kernel's
/// key store on Linux (which needs no daemon but forgets everything at a restart: the person
/// then signs in again, as after the session's own expiry).
#[derive(Debug)]
pub struct KeyringVault {
    entry: keyring::Entry,
}

impl KeyringVault {
    /// Opens the app's entry after checking, with a throwaway entry, that the keyring can
    /// store, return and delete a secret: many Linux machines have no usable keyring, and
    /// finding out at login would lose the session.
    pub fn probe(service: &str) -> Result<KeyringVault, VaultError> {
        let probe = keyring::Entry::new(service, "availability-probe")?;
        probe.set_password("probe")?;
        let read_back = probe.get_password();
        // Delete before judging, so a half-working keyring keeps no leftovers.
        let deleted = probe.delete_credential();
        if read_back? != "probe" {
            return Err(keyring::Error::NoEntry.into());
        }
        deleted?;
        Ok(KeyringVault {
            entry: keyring::Entry::new(service, "session")?,
        })
    }
}

impl TokenVault for KeyringVault {
    fn load(&self) -> Result<Option<String>, VaultError> {
        match self.entry.get_password() {
            Ok(secret) => Ok(Some(secret)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(err) => Err(err.into()),
        }
    }

    fn store(&self, secret: &str) -> Result<(), VaultError> {
        Ok(self.entry.set_password(secret)?)
    }

    fn clear(&self) -> Result<(), VaultError> {
        match self.entry.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(err) => Err(err.into()),
        }
    }
}

/// A file in the app's data folder, readable and writable by its owner only (mode 0600 on
/// Unix; on Windows the folder under the user's profile is already private to the user).
#[derive(Debug)]
pub struct FileVault {
    path: PathBuf,
}

impl FileVault {
    pub fn new(path: PathBuf) -> FileVault {
        FileVault { path }
    }

    fn fail(&self, source: std::io::Error) -> VaultError {
        VaultError::File {
            path: self.path.clone(),
            source,
        }
    }
}

impl TokenVault for FileVault {
    fn load(&self) -> Result<Option<String>, VaultError> {
        match std::fs::read_to_string(&self.path) {
            Ok(secret) if secret.trim().is_empty() => Ok(None),
            Ok(secret) => Ok(Some(secret.trim().to_owned())),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(err) => Err(self.fail(err)),
        }
    }

    fn store(&self, secret: &str) -> Result<(), VaultError> {
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| self.fail(e))?;
        }
        // Written beside the real file and renamed over it, so a crash leaves either the old
        // secret or the new one, never half of one.
        let temporary = self.path.with_extension("tmp");
        write_private(&temporary, secret).map_err(|e| self.fail(e))?;
        std::fs::rename(&temporary, &self.path).map_err(|e| self.fail(e))
    }

    fn clear(&self) -> Result<(), VaultError> {
        match std::fs::remove_file(&self.path) {
            Ok(()) => Ok(()),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(err) => Err(self.fail(err)),
        }
    }
}

/// Creates or truncates `path` with owner-only permissions and writes `content` to it.
fn write_private(path: &Path, content: &str) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        let mut file = options.open(path)?;
        // `mode` only applies to a file this call creates; one left by an earlier run may
        // have wider permissions, so narrow them before the secret is written.
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        file.write_all(content.as_bytes())?;
        file.sync_all()
    }
    #[cfg(not(unix))]
    {
        let mut file = options.open(path)?;
        file.write_all(content.as_bytes())?;
        file.sync_all()
    }
}

/// The vault this run uses: the keyring if `use_keyring` and it passes its probe, else the
/// file at `token_file`.
pub fn open(service: &str, token_file: PathBuf, use_keyring: bool) -> Box<dyn TokenVault> {
    if use_keyring {
        match KeyringVault::probe(service) {
            Ok(vault) => {
                tracing::info!("the session is kept in the OS keyring");
                return Box::new(vault);
            }
            Err(err) => tracing::info!(%err, "the OS keyring is not usable"),
        }
    }
    tracing::info!(file = %token_file.display(), "the session is kept in a private file");
    Box::new(FileVault::new(token_file))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vault_in(dir: &tempfile::TempDir) -> FileVault {
        FileVault::new(dir.path().join("data").join("session"))
    }

    #[test]
    fn the_file_vault_stores_loads_and_clears() {
        let dir = tempfile::tempdir().expect("temp dir");
        let vault = vault_in(&dir);
        assert_eq!(vault.load().expect("load"), None, "a fresh vault is empty");

        vault.store("first-secret").expect("store");
        assert_eq!(vault.load().expect("load").as_deref(), Some("first-secret"));

        vault.store("second").expect("store again");
        assert_eq!(
            vault.load().expect("load").as_deref(),
            Some("second"),
            "a new secret replaces the old one entirely"
        );

        vault.clear().expect("clear");
        assert_eq!(vault.load().expect("load"), None);
        assert!(
            !dir.path().join("data").join("session").exists(),
            "clearing deletes the file"
        );
        vault
            .clear()
            .expect("clearing an empty vault is not an error");
    }

    #[test]
    fn a_new_vault_on_the_same_file_sees_the_secret() {
        let dir = tempfile::tempdir().expect("temp dir");
        vault_in(&dir).store("kept").expect("store");
        assert_eq!(
            vault_in(&dir).load().expect("load").as_deref(),
            Some("kept")
        );
    }

    #[cfg(unix)]
    #[test]
    fn the_token_file_is_private_to_its_owner() {
        use std::os::unix::fs::PermissionsExt;

        let dir = tempfile::tempdir().expect("temp dir");
        let vault = vault_in(&dir);
        vault.store("secret").expect("store");
        let path = dir.path().join("data").join("session");
        let mode = std::fs::metadata(&path).expect("stat").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "mode {mode:o}");

        // A file left world-readable (by hand, by an older version) is narrowed on store.
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        std::fs::write(path.with_extension("tmp"), b"stale").expect("stale temp file");
        std::fs::set_permissions(
            path.with_extension("tmp"),
            std::fs::Permissions::from_mode(0o666),
        )
        .expect("chmod");
        vault.store("secret-2").expect("store");
        let mode = std::fs::metadata(&path).expect("stat").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "mode {mode:o}");
        assert_eq!(vault.load().expect("load").as_deref(), Some("secret-2"));
    }

    #[test]
    fn without_the_keyring_the_file_is_used() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("session");
        let vault = open("org.carec.sis.desktop.test", path.clone(), false);
        vault.store("x").expect("store");
        assert!(path.exists(), "the secret went to the file");
    }
}
