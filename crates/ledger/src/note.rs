//! C2SP signed-note: a text, a blank line, and signature lines
//! `— <key name> base64(key ID || signature)`. Parsing accepts every note the spec
//! allows (blank lines inside the text, several signatures, signatures from keys we do
//! not know, which are kept and ignored) and refuses the rest with the reason.
//!
//! Trust follows the spec: a signature whose name and key ID match a known key must
//! verify, or the whole note is refused; a note with no verified signature is refused.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::{Signature, Signer as _, Verifier as _};

use crate::keys::{KeyKind, SignerKey, VerifierKey, is_valid_key_name};

/// More signatures than this and the note is refused before any is checked (Go's
/// `sumdb/note` limit; the spec asks to accept at least 16).
pub const MAX_SIGNATURES: usize = 100;

const SIGNATURE_PREFIX: &str = "— ";

/// Why a note is refused. Checkpoints come from peers, hence codes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NoteError {
    #[error("the note is not valid UTF-8")]
    NotUtf8,
    #[error("the note holds an ASCII control character other than newline at byte {offset}")]
    ControlCharacter { offset: usize },
    #[error("the note text is empty or does not end with a newline")]
    Text,
    #[error("no blank line followed by signature lines ending in a newline")]
    NoSignatureBlock,
    #[error("signature line {line} does not start with an em dash and a space")]
    SignaturePrefix { line: usize },
    #[error("signature line {line}: the key name is empty or holds a '+' or a space")]
    KeyName { line: usize },
    #[error("signature line {line}: the signature is not standard base64")]
    SignatureBase64 { line: usize },
    #[error("signature line {line}: the signature is shorter than a key ID and one byte")]
    SignatureTooShort { line: usize },
    #[error("more than {max} signatures")]
    TooManySignatures { max: usize },
    #[error("two known keys share the name {name} and key ID {id:08x}")]
    AmbiguousKey { name: String, id: u32 },
    #[error("the signature by {name} (key ID {id:08x}) does not verify")]
    InvalidSignature { name: String, id: u32 },
    #[error("no signature by a known key")]
    Unverified,
}

impl NoteError {
    /// Stable code for the wire and the conformance vectors.
    pub fn code(&self) -> &'static str {
        match self {
            NoteError::NotUtf8 => "note.not_utf8",
            NoteError::ControlCharacter { .. } => "note.control_character",
            NoteError::Text => "note.text",
            NoteError::NoSignatureBlock => "note.no_signature_block",
            NoteError::SignaturePrefix { .. } => "note.signature_prefix",
            NoteError::KeyName { .. } => "note.key_name",
            NoteError::SignatureBase64 { .. } => "note.signature_base64",
            NoteError::SignatureTooShort { .. } => "note.signature_too_short",
            NoteError::TooManySignatures { .. } => "note.too_many_signatures",
            NoteError::AmbiguousKey { .. } => "note.ambiguous_key",
            NoteError::InvalidSignature { .. } => "note.invalid_signature",
            NoteError::Unverified => "note.unverified",
        }
    }
}

/// One signature line of a note, verified or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteSignature {
    name: String,
    key_id: u32,
    /// What follows the key ID: for Ed25519 the 64-byte signature, for a cosignature
    /// the timestamp and the signature, for a type we do not know whatever it holds.
    signature: Vec<u8>,
}

impl NoteSignature {
    /// A signature line's content; `None` if the name is not a valid key name.
    pub fn new(name: &str, key_id: u32, signature: Vec<u8>) -> Option<Self> {
        is_valid_key_name(name).then(|| NoteSignature {
            name: name.to_owned(),
            key_id,
            signature,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn key_id(&self) -> u32 {
        self.key_id
    }

    pub fn signature(&self) -> &[u8] {
        &self.signature
    }

    /// Whether this signature claims to be by `key` (same name and key ID).
    pub fn is_by(&self, key: &VerifierKey) -> bool {
        self.name == key.name() && self.key_id == key.id()
    }
}

/// The line without its final newline: `— <name> base64(key ID || signature)`.
impl fmt::Display for NoteSignature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut bytes = self.key_id.to_be_bytes().to_vec();
        bytes.extend_from_slice(&self.signature);
        write!(
            f,
            "{SIGNATURE_PREFIX}{} {}",
            self.name,
            STANDARD.encode(bytes)
        )
    }
}

/// A note: its text and its signatures, in the order they came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    text: String,
    signatures: Vec<NoteSignature>,
}

impl Note {
    /// An unsigned note. The text must be non-empty, end with a newline and hold no
    /// ASCII control character other than newline.
    pub fn new(text: impl Into<String>) -> Result<Self, NoteError> {
        let text = text.into();
        check_characters(text.as_bytes())?;
        if !text.ends_with('\n') {
            return Err(NoteError::Text);
        }
        Ok(Note {
            text,
            signatures: Vec::new(),
        })
    }

    /// Parses a signed note, checking its form but no signature.
    pub fn parse(msg: &[u8]) -> Result<Self, NoteError> {
        let msg = std::str::from_utf8(msg).map_err(|_| NoteError::NotUtf8)?;
        check_characters(msg.as_bytes())?;
        // The text may hold blank lines: the signatures start after the last one.
        let split = msg.rfind("\n\n").ok_or(NoteError::NoSignatureBlock)?;
        let (text, block) = (&msg[..split + 1], &msg[split + 2..]);
        let Some(block) = block.strip_suffix('\n') else {
            return Err(NoteError::NoSignatureBlock);
        };
        let mut signatures = Vec::new();
        for (i, line) in block.split('\n').enumerate() {
            if i == MAX_SIGNATURES {
                return Err(NoteError::TooManySignatures {
                    max: MAX_SIGNATURES,
                });
            }
            signatures.push(parse_signature_line(line, i + 1)?);
        }
        Ok(Note {
            text: text.to_owned(),
            signatures,
        })
    }

    /// Parses and verifies: the note if a signature by one of `known` verifies and none
    /// by them fails.
    pub fn open(msg: &[u8], known: &[&VerifierKey]) -> Result<Self, NoteError> {
        let note = Note::parse(msg)?;
        note.verify(known)?;
        Ok(note)
    }

    /// Checks every signature by a key in `known` and returns those that verified (at
    /// least one). Signatures by other keys are left alone, as the spec requires.
    pub fn verify(&self, known: &[&VerifierKey]) -> Result<Vec<&NoteSignature>, NoteError> {
        for (i, a) in known.iter().enumerate() {
            if known[i + 1..]
                .iter()
                .any(|b| a.name() == b.name() && a.id() == b.id())
            {
                return Err(NoteError::AmbiguousKey {
                    name: a.name().to_owned(),
                    id: a.id(),
                });
            }
        }
        let mut verified = Vec::new();
        for sig in &self.signatures {
            let Some(key) = known.iter().find(|k| sig.is_by(k)) else {
                continue;
            };
            if !verify_one(key, self.text.as_bytes(), &sig.signature) {
                return Err(NoteError::InvalidSignature {
                    name: sig.name.clone(),
                    id: sig.key_id,
                });
            }
            verified.push(sig);
        }
        if verified.is_empty() {
            return Err(NoteError::Unverified);
        }
        Ok(verified)
    }

    /// Signs the text with an Ed25519 (0x01) key, replacing an earlier signature by the
    /// same key. A cosigner key signs through [`crate::cosignature::cosign`] instead.
    pub fn sign(&mut self, signer: &SignerKey) {
        debug_assert_eq!(signer.verifier().kind(), KeyKind::Ed25519);
        let sig: Signature = signer.signing_key().sign(self.text.as_bytes());
        let v = signer.verifier();
        self.add_signature(NoteSignature {
            name: v.name().to_owned(),
            key_id: v.id(),
            signature: sig.to_bytes().to_vec(),
        });
    }

    /// Adds a signature line, replacing one with the same name and key ID.
    pub fn add_signature(&mut self, sig: NoteSignature) {
        match self
            .signatures
            .iter_mut()
            .find(|s| s.name == sig.name && s.key_id == sig.key_id)
        {
            Some(old) => *old = sig,
            None => self.signatures.push(sig),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn signatures(&self) -> &[NoteSignature] {
        &self.signatures
    }

    /// The signed note as it travels.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.to_string().into_bytes()
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The text ends in a newline; one more makes the blank separating line.
        writeln!(f, "{}", self.text)?;
        for sig in &self.signatures {
            writeln!(f, "{sig}")?;
        }
        Ok(())
    }
}

/// Whether `signature` (what follows the key ID) is `key`'s over `text`.
fn verify_one(key: &VerifierKey, text: &[u8], signature: &[u8]) -> bool {
    match key.kind() {
        // RFC 8032 verification as Go's crypto/ed25519 does it, which the other
        // implementations of these specs use, so that all accept the same signatures.
        KeyKind::Ed25519 => Signature::from_slice(signature)
            .is_ok_and(|sig| key.public_key().verify(text, &sig).is_ok()),
        KeyKind::CosignatureV1 => crate::cosignature::verify_signature(key, text, signature),
    }
}

fn check_characters(bytes: &[u8]) -> Result<(), NoteError> {
    match bytes.iter().position(|&b| b < 0x20 && b != b'\n') {
        Some(offset) => Err(NoteError::ControlCharacter { offset }),
        None => Ok(()),
    }
}

fn parse_signature_line(line: &str, number: usize) -> Result<NoteSignature, NoteError> {
    let rest = line
        .strip_prefix(SIGNATURE_PREFIX)
        .ok_or(NoteError::SignaturePrefix { line: number })?;
    let (name, b64) = rest
        .split_once(' ')
        .ok_or(NoteError::SignatureBase64 { line: number })?;
    if !is_valid_key_name(name) {
        return Err(NoteError::KeyName { line: number });
    }
    let bytes = STANDARD
        .decode(b64)
        .map_err(|_| NoteError::SignatureBase64 { line: number })?;
    if bytes.len() < 5 {
        return Err(NoteError::SignatureTooShort { line: number });
    }
    let (id, signature) = bytes.split_at(4);
    Ok(NoteSignature {
        name: name.to_owned(),
        key_id: u32::from_be_bytes([id[0], id[1], id[2], id[3]]),
        signature: signature.to_vec(),
    })
}
