//! Files and folders of the node that only its own user may read: the database holds
//! password hashes and sessions, the data folder the node's signing key.

use std::path::Path;

/// Creates `dir` (and its parents) when missing; the folder itself is the node's user's
/// alone (0700 on Unix). A folder that exists, belongs to someone else and is open to
/// others (an operator's choice the node may not change) is used with a warning.
pub fn private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir)?.permissions().mode();
        if mode & 0o077 != 0
            && let Err(e) = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
        {
            tracing::warn!(
                "data folder {} is open to other users (mode {:o}) and cannot be closed: {e}",
                dir.display(),
                mode & 0o777
            );
        }
    }
    Ok(())
}

/// The SQLite file and its WAL companions readable and writable by the node's user only
/// (0600 on Unix).
pub(super) fn private_files(db: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let name = db.as_os_str().to_owned();
        for suffix in ["", "-wal", "-shm"] {
            let mut path = name.clone();
            path.push(suffix);
            match std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                other => other?,
            }
        }
    }
    #[cfg(not(unix))]
    let _ = db;
    Ok(())
}
