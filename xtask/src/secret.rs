//! Secrets on disk: random bytes from the OS, files only their owner can read, and the
//! 32-byte seeds of Ed25519 keys (a node's signing key, the demo network's trust-list
//! signer), created once and read back on later runs.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, bail};

/// `N` bytes from the OS's random source.
pub fn random_bytes<const N: usize>() -> anyhow::Result<[u8; N]> {
    let mut bytes = [0u8; N];
    std::io::Read::read_exact(
        &mut std::fs::File::open("/dev/urandom").context("opening /dev/urandom")?,
        &mut bytes,
    )?;
    Ok(bytes)
}

/// 16 characters from an alphabet without look-alikes, from the OS's random source.
pub fn random_password() -> anyhow::Result<String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    Ok(random_bytes::<16>()?
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect())
}

/// Creates `path` (it must not exist) readable and writable by its owner only, with `bytes`.
pub fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut f = options
        .open(path)
        .with_context(|| format!("writing {}", path.display()))?;
    f.write_all(bytes)
        .and_then(|()| f.sync_all())
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// Creates `dir` (and its parents), and closes it to other users: it holds keys.
pub fn private_dir(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .with_context(|| format!("closing {} to other users", dir.display()))?;
    }
    Ok(())
}

/// The 32-byte seed in `path` (raw, as the node keeps `node-signing.key`), or a new one
/// written there when the file is absent, so a key outlives the run that made it.
pub fn seed(path: &Path) -> anyhow::Result<[u8; 32]> {
    match std::fs::read(path) {
        Ok(bytes) => match <[u8; 32]>::try_from(bytes.as_slice()) {
            Ok(seed) => Ok(seed),
            Err(_) => bail!(
                "{}: holds {} bytes, a key seed has 32 (delete it to make a new key)",
                path.display(),
                bytes.len()
            ),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let seed = random_bytes::<32>()?;
            write_private(path, &seed)?;
            Ok(seed)
        }
        Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_is_created_private_once_and_read_back() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("k.key");
        let first = seed(&path).expect("created");
        assert_eq!(
            seed(&path).expect("read back"),
            first,
            "a second run keeps the key"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path)
                .expect("exists")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "a key seed is its owner's alone");
        }
        std::fs::write(&path, b"short").expect("write");
        let err = seed(&path).expect_err("a 5-byte seed is refused");
        assert!(err.to_string().contains("holds 5 bytes"), "{err}");
    }
}
