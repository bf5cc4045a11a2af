//! C2SP tlog-cosignature, Ed25519 `cosignature/v1`: another country's node (a witness)
//! states that, at a time, this checkpoint is the largest consistent one it has seen of
//! the log. The cosignature is a note signature line by the witness's `0x04` key whose
//! bytes are `timestamp (u64 big-endian) || Ed25519 signature` over
//!
//! ```text
//! cosignature/v1
//! time <timestamp>
//! <the checkpoint note text>
//! ```

use ed25519_dalek::{Signature, Signer as _, Verifier as _};

use crate::checkpoint::Checkpoint;
use crate::keys::{KeyKind, SignerKey, VerifierKey};
use crate::note::NoteSignature;

/// The spec caps timestamps at 2^63 - 1 seconds.
pub const MAX_TIMESTAMP: u64 = i64::MAX as u64;

/// Why a cosignature is refused or cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CosignatureError {
    #[error("a cosignature holds 8 timestamp and 64 signature bytes, not {0}")]
    Length(usize),
    #[error("timestamp {0} is above 2^63 - 1")]
    Timestamp(u64),
    #[error("the key is a {0:?} key, not a cosignature/v1 key")]
    KeyKind(KeyKind),
    #[error("the cosignature is by another key")]
    WrongKey,
    #[error("the cosignature does not verify")]
    Invalid,
}

impl CosignatureError {
    /// Stable code for the wire and the conformance vectors.
    pub fn code(&self) -> &'static str {
        match self {
            CosignatureError::Length(_) => "cosignature.length",
            CosignatureError::Timestamp(_) => "cosignature.timestamp",
            CosignatureError::KeyKind(_) => "cosignature.key_kind",
            CosignatureError::WrongKey => "cosignature.wrong_key",
            CosignatureError::Invalid => "cosignature.invalid",
        }
    }
}

/// A witness's cosignature of one checkpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cosignature {
    name: String,
    key_id: u32,
    timestamp: u64,
    signature: [u8; 64],
}

/// Cosigns `checkpoint` at `timestamp` (seconds since the epoch) with a witness key.
/// The caller has checked that the checkpoint extends the last one it cosigned.
pub fn cosign(
    checkpoint: &Checkpoint,
    witness: &SignerKey,
    timestamp: u64,
) -> Result<Cosignature, CosignatureError> {
    let v = witness.verifier();
    if v.kind() != KeyKind::CosignatureV1 {
        return Err(CosignatureError::KeyKind(v.kind()));
    }
    if timestamp > MAX_TIMESTAMP {
        return Err(CosignatureError::Timestamp(timestamp));
    }
    let message = signed_message(&checkpoint.to_text(), timestamp);
    Ok(Cosignature {
        name: v.name().to_owned(),
        key_id: v.id(),
        timestamp,
        signature: witness.signing_key().sign(&message).to_bytes(),
    })
}

/// The message a `cosignature/v1` signs: header line, time line, checkpoint text.
pub fn signed_message(checkpoint_text: &str, timestamp: u64) -> Vec<u8> {
    format!("cosignature/v1\ntime {timestamp}\n{checkpoint_text}").into_bytes()
}

impl Cosignature {
    /// Reads a note signature line as a cosignature (its bytes' shape only).
    pub fn from_note_signature(sig: &NoteSignature) -> Result<Self, CosignatureError> {
        let (timestamp, signature) = split(sig.signature())?;
        Ok(Cosignature {
            name: sig.name().to_owned(),
            key_id: sig.key_id(),
            timestamp,
            signature,
        })
    }

    /// The note signature line that carries it.
    pub fn to_note_signature(&self) -> NoteSignature {
        let mut bytes = self.timestamp.to_be_bytes().to_vec();
        bytes.extend_from_slice(&self.signature);
        NoteSignature::new(&self.name, self.key_id, bytes)
            .expect("the name came from a valid key or a parsed note")
    }

    /// Checks that `witness` cosigned `checkpoint` with this line.
    pub fn verify(
        &self,
        checkpoint: &Checkpoint,
        witness: &VerifierKey,
    ) -> Result<(), CosignatureError> {
        if witness.kind() != KeyKind::CosignatureV1 {
            return Err(CosignatureError::KeyKind(witness.kind()));
        }
        if self.name != witness.name() || self.key_id != witness.id() {
            return Err(CosignatureError::WrongKey);
        }
        if self.timestamp > MAX_TIMESTAMP {
            return Err(CosignatureError::Timestamp(self.timestamp));
        }
        let message = signed_message(&checkpoint.to_text(), self.timestamp);
        witness
            .public_key()
            .verify(&message, &Signature::from_bytes(&self.signature))
            .map_err(|_| CosignatureError::Invalid)
    }

    /// The witness's key name.
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn key_id(&self) -> u32 {
        self.key_id
    }

    /// When the witness cosigned, in seconds since the epoch.
    pub fn timestamp(&self) -> u64 {
        self.timestamp
    }
}

/// The note layer's check of a `0x04` signature over any note text.
pub(crate) fn verify_signature(key: &VerifierKey, text: &[u8], bytes: &[u8]) -> bool {
    let Ok((timestamp, signature)) = split(bytes) else {
        return false;
    };
    let Ok(text) = std::str::from_utf8(text) else {
        return false;
    };
    timestamp <= MAX_TIMESTAMP
        && key
            .public_key()
            .verify(
                &signed_message(text, timestamp),
                &Signature::from_bytes(&signature),
            )
            .is_ok()
}

fn split(bytes: &[u8]) -> Result<(u64, [u8; 64]), CosignatureError> {
    let (ts, sig) = bytes
        .split_first_chunk::<8>()
        .ok_or(CosignatureError::Length(bytes.len()))?;
    let sig = <[u8; 64]>::try_from(sig).map_err(|_| CosignatureError::Length(bytes.len()))?;
    Ok((u64::from_be_bytes(*ts), sig))
}
