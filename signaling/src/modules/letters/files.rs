//! Letters' files, stored once by content hash under the node's data folder
//! (`files/<first two hex digits>/<sha256>`): the same file attached to many letters, or
//! received from several countries, is kept once, and a receiver proves it holds the very
//! file that was sent by its name.

use std::path::{Path, PathBuf};

use axum::body::Body;
use futures_util::StreamExt;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

/// Why a file was not stored.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FileError {
    #[error("the file is larger than {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("the file is empty")]
    Empty,
    #[error("the upload broke off: {0}")]
    Upload(String),
    #[error("storing the file: {0}")]
    Io(#[from] std::io::Error),
}

/// A stored file: its hash (64 lower-case hex digits) and size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub sha256: String,
    pub size: u64,
}

/// The folder of the files.
#[derive(Debug, Clone)]
pub struct Files {
    dir: PathBuf,
}

impl Files {
    pub fn new(dir: impl Into<PathBuf>) -> Files {
        Files { dir: dir.into() }
    }

    /// Where the file of this hash is (or would be).
    pub fn path(&self, sha256: &str) -> PathBuf {
        let shard = sha256.get(..2).unwrap_or("00");
        self.dir.join(shard).join(sha256)
    }

    /// Streams `body` to disk, at most `limit` bytes: into a temporary file first, renamed
    /// to its hash once complete and synced, so a file under its hash is always whole.
    pub async fn store(&self, body: Body, limit: u64) -> Result<Stored, FileError> {
        let incoming = self.dir.join("incoming");
        tokio::fs::create_dir_all(&incoming).await?;
        let temp = incoming.join(uuid::Uuid::now_v7().to_string());
        let result = write(&temp, body, limit).await;
        let stored = match result {
            Ok(stored) => stored,
            Err(e) => {
                let _ = tokio::fs::remove_file(&temp).await;
                return Err(e);
            }
        };
        let target = self.path(&stored.sha256);
        if let Some(parent) = target.parent() {
            tokio::fs::create_dir_all(parent).await?;
        }
        tokio::fs::rename(&temp, &target).await?;
        Ok(stored)
    }

    /// The file of this hash, to stream out.
    pub async fn open(&self, sha256: &str) -> std::io::Result<tokio::fs::File> {
        tokio::fs::File::open(self.path(sha256)).await
    }
}

async fn write(temp: &Path, body: Body, limit: u64) -> Result<Stored, FileError> {
    let mut file = tokio::fs::File::create(temp).await?;
    let mut hasher = Sha256::new();
    let mut size = 0u64;
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| FileError::Upload(e.to_string()))?;
        size += chunk.len() as u64;
        if size > limit {
            return Err(FileError::TooLarge { limit });
        }
        hasher.update(&chunk);
        file.write_all(&chunk).await?;
    }
    if size == 0 {
        return Err(FileError::Empty);
    }
    file.sync_all().await?;
    Ok(Stored {
        sha256: hex::encode(hasher.finalize()),
        size,
    })
}
