//! This node's transparency log in its store: every envelope it sends or accepts is a leaf
//! (`sis_ledger::log_entry`), appended in the same transaction as the envelope; the stored
//! hashes follow Go's tlog layout, so the tree head and any proof read O(log n) rows; a
//! checkpoint is signed for the tree as it stands after each batch of appends.

use std::collections::HashMap;
use std::sync::{Arc, Mutex as StdMutex};

use sis_ledger::{
    ConsistencyProof, Hash, HashReader, InclusionProof, SignedCheckpoint, SignerKey, TreeError,
};
use sqlx::Row;

use crate::store::{Backend, Store, StoreError};

/// Why the log could not be read or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LogError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the log's stored hashes are incomplete or damaged: {0}")]
    Corrupt(String),
}

impl From<sqlx::Error> for LogError {
    fn from(e: sqlx::Error) -> LogError {
        LogError::Store(StoreError::Database(e))
    }
}

/// The ledger asks for hashes synchronously; the store answers asynchronously. So each
/// computation runs twice: once recording the indexes it needs, then over those rows.
#[derive(Debug)]
enum Reader {
    Recording(StdMutex<Vec<u64>>),
    Loaded(HashMap<u64, Hash>),
}

#[derive(Debug, thiserror::Error)]
enum ReadError {
    #[error("indexes recorded")]
    Recorded,
    #[error("stored hash {0} is missing")]
    Missing(u64),
}

impl HashReader for Reader {
    type Error = ReadError;
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, ReadError> {
        match self {
            Reader::Recording(seen) => {
                seen.lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .extend_from_slice(indexes);
                Err(ReadError::Recorded)
            }
            Reader::Loaded(map) => indexes
                .iter()
                .map(|i| map.get(i).copied().ok_or(ReadError::Missing(*i)))
                .collect(),
        }
    }
}

/// Runs `f` over the stored hashes it asks for, read with `exec`.
async fn with_hashes<'e, T, E>(
    exec: E,
    f: impl Fn(&Reader) -> Result<T, TreeError<ReadError>>,
) -> Result<T, LogError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    with_known_hashes(exec, &HashMap::new(), f).await
}

/// As [`with_hashes`], taking from `known` what it holds and reading only the rest.
async fn with_known_hashes<'e, T, E>(
    exec: E,
    known: &HashMap<u64, Hash>,
    f: impl Fn(&Reader) -> Result<T, TreeError<ReadError>>,
) -> Result<T, LogError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let recording = Reader::Recording(StdMutex::new(Vec::new()));
    let needed = match f(&recording) {
        Ok(value) => return Ok(value),
        Err(TreeError::Read(ReadError::Recorded)) => match recording {
            Reader::Recording(seen) => seen.into_inner().unwrap_or_else(|p| p.into_inner()),
            Reader::Loaded(_) => unreachable!("the recorder records"),
        },
        Err(e) => return Err(LogError::Corrupt(e.to_string())),
    };
    let mut map = HashMap::with_capacity(needed.len());
    let mut missing = Vec::new();
    for i in needed {
        match known.get(&i) {
            Some(hash) => {
                map.insert(i, *hash);
            }
            None => missing.push(i.to_string()),
        }
    }
    if missing.is_empty() {
        return f(&Reader::Loaded(map)).map_err(|e| LogError::Corrupt(e.to_string()));
    }
    // Integers only, formatted here: nothing a client sent reaches this text.
    let rows = sqlx::query(&format!(
        "SELECT idx, hash FROM log_hashes WHERE idx IN ({})",
        missing.join(",")
    ))
    .fetch_all(exec)
    .await?;
    for row in rows {
        let idx: i64 = row.try_get("idx")?;
        let bytes: Vec<u8> = row.try_get("hash")?;
        let hash: Hash = bytes
            .try_into()
            .map_err(|_| LogError::Corrupt(format!("stored hash {idx} is not 32 bytes")))?;
        map.insert(idx as u64, hash);
    }
    f(&Reader::Loaded(map)).map_err(|e| LogError::Corrupt(e.to_string()))
}

/// The log of this node: its store and the key that signs its checkpoints.
#[derive(Debug, Clone)]
pub struct Log {
    store: Store,
    signer: Arc<SignerKey>,
    /// Appends of this process one at a time (on PostgreSQL, an advisory lock also keeps
    /// other instances out); checkpoints likewise.
    append: Arc<tokio::sync::Mutex<()>>,
    checkpoint: Arc<tokio::sync::Mutex<()>>,
}

/// Taken by [`Log::begin_append`]; appends go through it, then it commits.
#[derive(Debug)]
pub struct Appending<'a> {
    pub tx: sqlx::Transaction<'static, sqlx::Any>,
    _held: tokio::sync::MutexGuard<'a, ()>,
    next: u64,
    /// Leaves appended since the last checkpoint signed in this transaction.
    unsigned: bool,
    signer: Arc<SignerKey>,
    /// The hashes this transaction stored: the next appends and the checkpoint need most of
    /// them again, and need not read them back.
    written: HashMap<u64, Hash>,
}

/// The log as it stood at a savepoint of an [`Appending`].
#[derive(Debug)]
#[must_use = "release the savepoint or roll back to it"]
pub struct Savepoint {
    next: u64,
    unsigned: bool,
}

/// An arbitrary but fixed key for PostgreSQL's transaction-level advisory lock over the log.
const PG_LOG_LOCK: i64 = 0x0053_4953_5f4c_4f47;

impl Log {
    pub fn new(store: Store, signer: SignerKey) -> Log {
        Log {
            store,
            signer: Arc::new(signer),
            append: Arc::default(),
            checkpoint: Arc::default(),
        }
    }

    /// The origin line of this log's checkpoints.
    pub fn origin(&self) -> &str {
        self.signer.verifier().name()
    }

    /// The key its checkpoints verify with.
    pub fn verifier(&self) -> &sis_ledger::VerifierKey {
        self.signer.verifier()
    }

    /// A transaction in which to append: business records written in it and the log's
    /// leaves commit together or not at all.
    pub async fn begin_append(&self) -> Result<Appending<'_>, LogError> {
        let held = self.append.lock().await;
        let mut tx = self.store.begin_write().await?;
        if self.store.backend() == Backend::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(PG_LOG_LOCK)
                .execute(&mut *tx)
                .await?;
        }
        let next: i64 = sqlx::query("SELECT COALESCE(MAX(idx) + 1, 0) FROM log_leaves")
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
        Ok(Appending {
            tx,
            _held: held,
            next: next as u64,
            unsigned: false,
            signer: self.signer.clone(),
            written: HashMap::new(),
        })
    }

    /// The number of leaves.
    pub async fn size(&self) -> Result<u64, LogError> {
        let n: i64 = sqlx::query("SELECT COALESCE(MAX(idx) + 1, 0) FROM log_leaves")
            .fetch_one(&self.store.pool)
            .await?
            .try_get(0)?;
        Ok(n as u64)
    }

    /// The tree head of `size` leaves.
    pub async fn root(&self, size: u64) -> Result<Hash, LogError> {
        with_hashes(&self.store.pool, |r| sis_ledger::tree_hash(size, r)).await
    }

    pub async fn inclusion(&self, index: u64, size: u64) -> Result<InclusionProof, LogError> {
        with_hashes(&self.store.pool, |r| {
            sis_ledger::prove_inclusion(size, index, r)
        })
        .await
    }

    pub async fn consistency(&self, old: u64, new: u64) -> Result<ConsistencyProof, LogError> {
        with_hashes(&self.store.pool, |r| {
            sis_ledger::prove_consistency(old, new, r)
        })
        .await
    }

    /// The entry at `index`.
    pub async fn entry(&self, index: u64) -> Result<Option<Vec<u8>>, LogError> {
        let row = sqlx::query("SELECT entry FROM log_leaves WHERE idx = $1")
            .bind(index as i64)
            .fetch_optional(&self.store.pool)
            .await?;
        Ok(match row {
            Some(row) => Some(row.try_get("entry")?),
            None => None,
        })
    }

    /// A signed checkpoint of at least `size` leaves: the latest one when it covers them,
    /// else a new one of the whole log. Concurrent callers share one signature.
    pub async fn checkpoint_covering(&self, size: u64) -> Result<SignedCheckpoint, LogError> {
        let _held = self.checkpoint.lock().await;
        if let Some(latest) = self.latest_checkpoint().await?
            && latest.checkpoint().size() >= size
        {
            return Ok(latest);
        }
        let size = self.size().await?;
        let root = self.root(size).await?;
        let checkpoint = sis_ledger::Checkpoint::new(self.origin(), size, root)
            .and_then(|c| c.sign(&self.signer))
            .map_err(|e| LogError::Corrupt(e.to_string()))?;
        let note = String::from_utf8(checkpoint.to_bytes())
            .map_err(|e| LogError::Corrupt(e.to_string()))?;
        sqlx::query(
            "INSERT INTO log_checkpoints (tree_size, note, signed_at) VALUES ($1, $2, $3) \
             ON CONFLICT (tree_size) DO NOTHING",
        )
        .bind(size as i64)
        .bind(note)
        .bind(crate::node::state::now_ms())
        .execute(&self.store.pool)
        .await?;
        Ok(checkpoint)
    }

    /// The checkpoint signed for `size`, as stored.
    pub async fn checkpoint_at(&self, size: u64) -> Result<Option<SignedCheckpoint>, LogError> {
        let row = sqlx::query("SELECT note FROM log_checkpoints WHERE tree_size = $1")
            .bind(size as i64)
            .fetch_optional(&self.store.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let note: String = row.try_get("note")?;
        SignedCheckpoint::open(note.as_bytes(), self.signer.verifier())
            .map(Some)
            .map_err(|e| LogError::Corrupt(format!("stored checkpoint: {e}")))
    }

    /// Keeps a witness's cosignature of the checkpoint of `size` (one per witness; a newer
    /// one replaces it).
    pub async fn keep_cosignature(
        &self,
        size: u64,
        cosignature: &sis_ledger::Cosignature,
    ) -> Result<(), LogError> {
        let sig = cosignature.to_note_signature();
        let line = format!("{}:{}", sig.key_id(), hex::encode(sig.signature()));
        sqlx::query(
            "INSERT INTO log_cosignatures (tree_size, witness, line, at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (tree_size, witness) DO UPDATE SET line = $3, at = $4",
        )
        .bind(size as i64)
        .bind(sig.name())
        .bind(line)
        .bind(crate::node::state::now_ms())
        .execute(&self.store.pool)
        .await?;
        Ok(())
    }

    /// The cosignatures kept for the checkpoint of `size`.
    pub async fn cosignatures(&self, size: u64) -> Result<Vec<sis_ledger::Cosignature>, LogError> {
        Ok(self
            .cosignatures_received(size)
            .await?
            .into_iter()
            .map(|(cosignature, _)| cosignature)
            .collect())
    }

    /// The cosignatures kept for the checkpoint of `size`, each with when this node received
    /// it (Unix ms), by witness name.
    pub async fn cosignatures_received(
        &self,
        size: u64,
    ) -> Result<Vec<(sis_ledger::Cosignature, i64)>, LogError> {
        let rows = sqlx::query(
            "SELECT witness, line, at FROM log_cosignatures WHERE tree_size = $1 \
             ORDER BY witness",
        )
        .bind(size as i64)
        .fetch_all(&self.store.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let witness: String = row.try_get("witness")?;
            let line: String = row.try_get("line")?;
            let at: i64 = row.try_get("at")?;
            let corrupt = || LogError::Corrupt(format!("cosignature of {witness}"));
            let (id, sig) = line.split_once(':').ok_or_else(corrupt)?;
            let id: u32 = id.parse().map_err(|_| corrupt())?;
            let sig = hex::decode(sig).map_err(|_| corrupt())?;
            let note = sis_ledger::NoteSignature::new(&witness, id, sig).ok_or_else(corrupt)?;
            let cosignature =
                sis_ledger::Cosignature::from_note_signature(&note).map_err(|_| corrupt())?;
            out.push((cosignature, at));
        }
        Ok(out)
    }

    /// The newest checkpoint with the cosignatures kept for it.
    pub async fn cosigned_checkpoint(&self) -> Result<SignedCheckpoint, LogError> {
        // Of the whole log: a log appended to outside an `Appending` (none does) is still
        // served signed.
        let size = self.size().await?;
        let mut checkpoint = self.checkpoint_covering(size).await?;
        for cosignature in self.cosignatures(checkpoint.checkpoint().size()).await? {
            checkpoint.add_cosignature(&cosignature);
        }
        Ok(checkpoint)
    }

    /// The newest signed checkpoint, if any.
    pub async fn latest_checkpoint(&self) -> Result<Option<SignedCheckpoint>, LogError> {
        let row = sqlx::query("SELECT note FROM log_checkpoints ORDER BY tree_size DESC LIMIT 1")
            .fetch_optional(&self.store.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let note: String = row.try_get("note")?;
        SignedCheckpoint::open(note.as_bytes(), self.signer.verifier())
            .map(Some)
            .map_err(|e| LogError::Corrupt(format!("stored checkpoint: {e}")))
    }
}

impl Appending<'_> {
    /// Appends `entry` (the bytes of [`sis_ledger::log_entry`]) for `envelope_id`; its index.
    pub async fn append(&mut self, envelope_id: &str, entry: &[u8]) -> Result<u64, LogError> {
        let n = self.next;
        let leaf = sis_ledger::leaf_hash(entry);
        let hashes = with_known_hashes(&mut *self.tx, &self.written, |r| {
            sis_ledger::stored_hashes(n, leaf, r)
        })
        .await?;
        sqlx::query("INSERT INTO log_leaves (idx, envelope_id, entry) VALUES ($1, $2, $3)")
            .bind(n as i64)
            .bind(envelope_id)
            .bind(entry.to_vec())
            .execute(&mut *self.tx)
            .await
            .map_err(|e| StoreError::from_insert(e, "envelope id in the log"))?;
        let base = sis_ledger::stored_hash_index(0, n);
        // One statement for the leaf's hashes (one, or a few when it completes subtrees).
        let values = (0..hashes.len())
            .map(|i| format!("(${}, ${})", 2 * i + 1, 2 * i + 2))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!("INSERT INTO log_hashes (idx, hash) VALUES {values}");
        let mut insert = sqlx::query(&sql);
        for (i, hash) in hashes.iter().enumerate() {
            insert = insert.bind((base + i as u64) as i64).bind(hash.to_vec());
            self.written.insert(base + i as u64, *hash);
        }
        insert.execute(&mut *self.tx).await?;
        self.next = n + 1;
        self.unsigned = true;
        Ok(n)
    }

    /// Marks where to come back to if what follows fails: one arrival of a batch that
    /// fails leaves the others of its transaction as they were.
    pub async fn savepoint(&mut self) -> Result<Savepoint, LogError> {
        sqlx::query("SAVEPOINT arrival")
            .execute(&mut *self.tx)
            .await?;
        Ok(Savepoint {
            next: self.next,
            unsigned: self.unsigned,
        })
    }

    /// Keeps what was written since `point`.
    pub async fn release(&mut self, point: Savepoint) -> Result<(), LogError> {
        let _ = point;
        sqlx::query("RELEASE SAVEPOINT arrival")
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Undoes what was written since `point`, leaves appended since then included.
    pub async fn roll_back_to(&mut self, point: Savepoint) -> Result<(), LogError> {
        sqlx::query("ROLLBACK TO SAVEPOINT arrival")
            .execute(&mut *self.tx)
            .await?;
        sqlx::query("RELEASE SAVEPOINT arrival")
            .execute(&mut *self.tx)
            .await?;
        self.next = point.next;
        self.unsigned = point.unsigned;
        // Stored hash indexes grow with the leaves: what the undone leaves stored is above.
        let first_undone = sis_ledger::stored_hash_index(0, point.next);
        self.written.retain(|i, _| *i < first_undone);
        Ok(())
    }

    /// Signs, in the transaction, a checkpoint of the log as it will be once committed:
    /// the leaves, the business rows and the checkpoint that covers them land together.
    pub async fn checkpoint(&mut self) -> Result<SignedCheckpoint, LogError> {
        self.unsigned = false;
        let size = self.next;
        let root = with_known_hashes(&mut *self.tx, &self.written, |r| {
            sis_ledger::tree_hash(size, r)
        })
        .await?;
        let checkpoint = sis_ledger::Checkpoint::new(self.signer.verifier().name(), size, root)
            .and_then(|c| c.sign(&self.signer))
            .map_err(|e| LogError::Corrupt(e.to_string()))?;
        let note = String::from_utf8(checkpoint.to_bytes())
            .map_err(|e| LogError::Corrupt(e.to_string()))?;
        sqlx::query(
            "INSERT INTO log_checkpoints (tree_size, note, signed_at) VALUES ($1, $2, $3) \
             ON CONFLICT (tree_size) DO NOTHING",
        )
        .bind(size as i64)
        .bind(note)
        .bind(crate::node::state::now_ms())
        .execute(&mut *self.tx)
        .await?;
        Ok(checkpoint)
    }

    /// Commits the appends and what was written beside them, with a checkpoint covering
    /// them (one per batch, as the protocol says) unless one was signed after the last.
    pub async fn commit(mut self) -> Result<(), LogError> {
        if self.unsigned {
            self.checkpoint().await?;
        }
        self.tx.commit().await?;
        Ok(())
    }
}
