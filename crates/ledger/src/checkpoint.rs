//! C2SP tlog-checkpoint: the signed tree head a node publishes after each batch. The
//! note text is the origin line, the tree size in decimal, the base64 root hash, and
//! optional extension lines:
//!
//! ```text
//! carec-sis.org/kz/log
//! 20852163
//! CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=
//! ```
//!
//! In CAREC SIS a log's origin is `carec-sis.org/<country lower>/log` ([`log_origin`])
//! and its checkpoint key carries the same name, so a checkpoint is opened with the
//! log's verifier key and its origin must equal that key's name.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::cosignature::Cosignature;
use crate::hash::Hash;
use crate::keys::{KeyKind, SignerKey, VerifierKey};
use crate::note::{Note, NoteError};

/// Why a checkpoint is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CheckpointError {
    #[error(transparent)]
    Note(#[from] NoteError),
    #[error("a checkpoint has at least three non-empty lines: origin, size, root hash")]
    Lines,
    #[error("the origin line is empty or holds a control character")]
    Origin,
    #[error("the tree size {0:?} is not a decimal number without leading zeros below 2^64")]
    Size(String),
    #[error("the root hash {0:?} is not the standard base64 of 32 bytes")]
    RootHash(String),
    #[error("extension line {0} is empty or holds a control character")]
    Extension(usize),
    #[error("the checkpoint is for {got:?}, not for the log {expected:?}")]
    WrongOrigin { expected: String, got: String },
    #[error("the key is a {0:?} key, not a log's Ed25519 checkpoint key")]
    KeyKind(KeyKind),
}

impl CheckpointError {
    /// Stable code for the wire and the conformance vectors.
    pub fn code(&self) -> &'static str {
        match self {
            CheckpointError::Note(e) => e.code(),
            CheckpointError::Lines => "checkpoint.lines",
            CheckpointError::Origin => "checkpoint.origin",
            CheckpointError::Size(_) => "checkpoint.size",
            CheckpointError::RootHash(_) => "checkpoint.root_hash",
            CheckpointError::Extension(_) => "checkpoint.extension",
            CheckpointError::WrongOrigin { .. } => "checkpoint.wrong_origin",
            CheckpointError::KeyKind(_) => "checkpoint.key_kind",
        }
    }
}

/// A tree head: which log, how many leaves, which root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    origin: String,
    size: u64,
    root: Hash,
    extensions: Vec<String>,
}

impl Checkpoint {
    pub fn new(origin: &str, size: u64, root: Hash) -> Result<Self, CheckpointError> {
        if !is_line(origin) {
            return Err(CheckpointError::Origin);
        }
        Ok(Checkpoint {
            origin: origin.to_owned(),
            size,
            root,
            extensions: Vec::new(),
        })
    }

    /// Adds an extension line (opaque; the spec advises against them, they are accepted
    /// because the spec allows them).
    pub fn with_extension(mut self, line: &str) -> Result<Self, CheckpointError> {
        if !is_line(line) {
            return Err(CheckpointError::Extension(self.extensions.len() + 1));
        }
        self.extensions.push(line.to_owned());
        Ok(self)
    }

    /// Parses a checkpoint note text (lines ending in newlines).
    pub fn parse_text(text: &str) -> Result<Self, CheckpointError> {
        let body = text.strip_suffix('\n').ok_or(CheckpointError::Lines)?;
        let lines: Vec<&str> = body.split('\n').collect();
        let [origin, size, root, extensions @ ..] = &lines[..] else {
            return Err(CheckpointError::Lines);
        };
        if origin.is_empty() || size.is_empty() || root.is_empty() {
            return Err(CheckpointError::Lines);
        }
        let mut checkpoint = Checkpoint::new(origin, parse_size(size)?, parse_root(root)?)?;
        for line in extensions {
            checkpoint = checkpoint.with_extension(line)?;
        }
        Ok(checkpoint)
    }

    /// The note text: one line each for origin, size, root, extensions.
    pub fn to_text(&self) -> String {
        let mut text = format!(
            "{}\n{}\n{}\n",
            self.origin,
            self.size,
            STANDARD.encode(self.root)
        );
        for line in &self.extensions {
            text.push_str(line);
            text.push('\n');
        }
        text
    }

    /// Signs with the log's Ed25519 key, whose name must be the origin.
    pub fn sign(&self, log_key: &SignerKey) -> Result<SignedCheckpoint, CheckpointError> {
        check_log_key(log_key.verifier(), &self.origin)?;
        let mut note = Note::new(self.to_text())?;
        note.sign(log_key);
        Ok(SignedCheckpoint {
            checkpoint: self.clone(),
            note,
        })
    }

    pub fn origin(&self) -> &str {
        &self.origin
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    pub fn root(&self) -> &Hash {
        &self.root
    }

    pub fn extensions(&self) -> &[String] {
        &self.extensions
    }
}

/// A checkpoint with its note: the log's signature and any cosignatures, kept as they
/// came so that the bytes can be shown and passed on unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedCheckpoint {
    checkpoint: Checkpoint,
    note: Note,
}

impl SignedCheckpoint {
    /// Parses a signed checkpoint and checks the log's signature on it.
    pub fn open(msg: &[u8], log_key: &VerifierKey) -> Result<Self, CheckpointError> {
        let note = Note::parse(msg)?;
        let checkpoint = Checkpoint::parse_text(note.text())?;
        check_log_key(log_key, &checkpoint.origin)?;
        note.verify(&[log_key])?;
        Ok(SignedCheckpoint { checkpoint, note })
    }

    pub fn checkpoint(&self) -> &Checkpoint {
        &self.checkpoint
    }

    pub fn note(&self) -> &Note {
        &self.note
    }

    /// The signed note as it travels (the `checkpoint` field of a proof answer).
    pub fn to_bytes(&self) -> Vec<u8> {
        self.note.to_bytes()
    }

    /// Adds (or replaces) a witness's cosignature line.
    pub fn add_cosignature(&mut self, cosignature: &Cosignature) {
        self.note.add_signature(cosignature.to_note_signature());
    }

    /// The cosignatures on this checkpoint by `witnesses` that verify. A line that claims
    /// a witness's key but does not verify is left out, not trusted.
    pub fn cosignatures(&self, witnesses: &[&VerifierKey]) -> Vec<Cosignature> {
        self.note
            .signatures()
            .iter()
            .filter_map(|sig| {
                let key = witnesses.iter().find(|k| sig.is_by(k))?;
                let c = Cosignature::from_note_signature(sig).ok()?;
                c.verify(&self.checkpoint, key).ok()?;
                Some(c)
            })
            .collect()
    }
}

/// Origin of a country's log, `carec-sis.org/<country lower>/log`, from the upper-case
/// ISO 3166-1 alpha-2 code the envelopes carry.
pub fn log_origin(country: &str) -> Result<String, crate::entry::EntryError> {
    crate::entry::check_country(country)?;
    Ok(format!(
        "carec-sis.org/{}/log",
        country.to_ascii_lowercase()
    ))
}

fn check_log_key(key: &VerifierKey, origin: &str) -> Result<(), CheckpointError> {
    if key.kind() != KeyKind::Ed25519 {
        return Err(CheckpointError::KeyKind(key.kind()));
    }
    if key.name() != origin {
        return Err(CheckpointError::WrongOrigin {
            expected: key.name().to_owned(),
            got: origin.to_owned(),
        });
    }
    Ok(())
}

/// A non-empty line without newline or other control character.
fn is_line(s: &str) -> bool {
    !s.is_empty() && !s.bytes().any(|b| b < 0x20)
}

fn parse_size(s: &str) -> Result<u64, CheckpointError> {
    let canonical = s.bytes().all(|b| b.is_ascii_digit()) && (s == "0" || !s.starts_with('0'));
    match s.parse::<u64>() {
        Ok(n) if canonical => Ok(n),
        _ => Err(CheckpointError::Size(s.to_owned())),
    }
}

fn parse_root(s: &str) -> Result<Hash, CheckpointError> {
    STANDARD
        .decode(s)
        .ok()
        .and_then(|b| <Hash>::try_from(b.as_slice()).ok())
        .ok_or_else(|| CheckpointError::RootHash(s.to_owned()))
}
