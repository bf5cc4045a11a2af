//! Ed25519 keys as C2SP signed-note names and encodes them: the verifier key
//! `<name>+<hex key ID>+<base64(type || public key)>` that peers publish in the trust
//! list, and the signer key `PRIVATE+KEY+<name>+<hex key ID>+<base64(type || seed)>` of
//! Go's `sumdb/note`, which a node keeps secret.
//!
//! One Ed25519 key pair serves one purpose, named by its signature type: `0x01` signs
//! the node's own checkpoints, `0x04` cosigns other logs' checkpoints (C2SP
//! tlog-cosignature). The type is part of the key ID, so the two never mix.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::{SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

/// What a key signs: the signature type byte of C2SP signed-note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyKind {
    /// `0x01`: Ed25519 over the note text (the log's own checkpoint signature).
    Ed25519,
    /// `0x04`: timestamped Ed25519 cosignature of a checkpoint (C2SP tlog-cosignature).
    CosignatureV1,
}

impl KeyKind {
    /// The signature type byte.
    pub fn type_byte(self) -> u8 {
        match self {
            KeyKind::Ed25519 => 0x01,
            KeyKind::CosignatureV1 => 0x04,
        }
    }

    fn from_type_byte(b: u8) -> Option<KeyKind> {
        match b {
            0x01 => Some(KeyKind::Ed25519),
            0x04 => Some(KeyKind::CosignatureV1),
            _ => None,
        }
    }
}

/// Why a key string or key name is refused. Keys arrive in the trust list, hence codes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    #[error("a key has three parts separated by '+' (five with PRIVATE+KEY+ in front)")]
    Format,
    #[error("key name {0:?} is empty or holds a space or a '+'")]
    Name(String),
    #[error("the key ID is not 8 lowercase hex digits")]
    IdHex,
    #[error("the key material is not standard base64")]
    Base64,
    #[error("signature type {0:#04x} is not one this node uses (0x01 or 0x04)")]
    UnknownType(u8),
    #[error("the key material has {got} bytes after the type, not 32")]
    Length { got: usize },
    #[error("the public key is not a valid Ed25519 point")]
    PublicKey,
    #[error("key ID {given:08x} does not match the key ({computed:08x})")]
    IdMismatch { given: u32, computed: u32 },
}

impl KeyError {
    /// Stable code for the wire.
    pub fn code(&self) -> &'static str {
        match self {
            KeyError::Format => "key.format",
            KeyError::Name(_) => "key.name",
            KeyError::IdHex => "key.id_hex",
            KeyError::Base64 => "key.base64",
            KeyError::UnknownType(_) => "key.unknown_type",
            KeyError::Length { .. } => "key.length",
            KeyError::PublicKey => "key.public_key",
            KeyError::IdMismatch { .. } => "key.id_mismatch",
        }
    }
}

/// A key name as signed-note allows it: non-empty, no Unicode space, no `+`.
pub fn is_valid_key_name(name: &str) -> bool {
    !name.is_empty() && !name.contains(char::is_whitespace) && !name.contains('+')
}

/// `SHA-256(name || 0x0A || type || public key)[:4]`, big-endian: the key ID that
/// signed-note recommends and that Ed25519 (0x01) and cosignature (0x04) keys must use.
pub fn key_id(name: &str, kind: KeyKind, public_key: &[u8; 32]) -> u32 {
    let digest = Sha256::new()
        .chain_update(name.as_bytes())
        .chain_update([b'\n', kind.type_byte()])
        .chain_update(public_key)
        .finalize();
    u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]])
}

/// A public key that checks signatures by one named signer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifierKey {
    name: String,
    id: u32,
    kind: KeyKind,
    key: VerifyingKey,
}

impl VerifierKey {
    pub fn new(name: &str, kind: KeyKind, key: VerifyingKey) -> Result<Self, KeyError> {
        if !is_valid_key_name(name) {
            return Err(KeyError::Name(name.to_owned()));
        }
        Ok(VerifierKey {
            name: name.to_owned(),
            id: key_id(name, kind, key.as_bytes()),
            kind,
            key,
        })
    }

    /// Parses a verifier key `<name>+<hex ID>+<base64(type || key)>`.
    pub fn parse(vkey: &str) -> Result<Self, KeyError> {
        // The base64 part may itself hold '+': only the first two separate.
        let parts: Vec<&str> = vkey.splitn(3, '+').collect();
        let [name, id, material] = parts[..] else {
            return Err(KeyError::Format);
        };
        let (kind, bytes) = parse_material(name, id, material)?;
        let key = VerifyingKey::from_bytes(&bytes).map_err(|_| KeyError::PublicKey)?;
        let built = VerifierKey::new(name, kind, key)?;
        check_id(id, built.id)?;
        Ok(built)
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn id(&self) -> u32 {
        self.id
    }

    pub fn kind(&self) -> KeyKind {
        self.kind
    }

    pub fn public_key(&self) -> &VerifyingKey {
        &self.key
    }
}

/// The verifier key string, as peers publish it.
impl fmt::Display for VerifierKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut material = vec![self.kind.type_byte()];
        material.extend_from_slice(self.key.as_bytes());
        write!(
            f,
            "{}+{:08x}+{}",
            self.name,
            self.id,
            STANDARD.encode(material)
        )
    }
}

/// A private key with its name. Its `Debug` shows the name and ID, never the seed.
#[derive(Clone)]
pub struct SignerKey {
    verifier: VerifierKey,
    key: SigningKey,
}

impl SignerKey {
    /// The signer for an Ed25519 seed (the 32-byte private key of RFC 8032).
    pub fn from_seed(name: &str, kind: KeyKind, seed: &[u8; 32]) -> Result<Self, KeyError> {
        let key = SigningKey::from_bytes(seed);
        let verifier = VerifierKey::new(name, kind, key.verifying_key())?;
        Ok(SignerKey { verifier, key })
    }

    /// Parses `PRIVATE+KEY+<name>+<hex ID>+<base64(type || seed)>`.
    pub fn parse(skey: &str) -> Result<Self, KeyError> {
        let rest = skey.strip_prefix("PRIVATE+KEY+").ok_or(KeyError::Format)?;
        let parts: Vec<&str> = rest.splitn(3, '+').collect();
        let [name, id, material] = parts[..] else {
            return Err(KeyError::Format);
        };
        let (kind, seed) = parse_material(name, id, material)?;
        let signer = SignerKey::from_seed(name, kind, &seed)?;
        check_id(id, signer.verifier.id)?;
        Ok(signer)
    }

    /// The secret key string. Not `Display`, so that it is never formatted by accident.
    pub fn to_secret_string(&self) -> String {
        let mut material = vec![self.verifier.kind.type_byte()];
        material.extend_from_slice(self.key.as_bytes());
        format!(
            "PRIVATE+KEY+{}+{:08x}+{}",
            self.verifier.name,
            self.verifier.id,
            STANDARD.encode(material)
        )
    }

    pub fn verifier(&self) -> &VerifierKey {
        &self.verifier
    }

    pub(crate) fn signing_key(&self) -> &SigningKey {
        &self.key
    }
}

impl fmt::Debug for SignerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignerKey")
            .field("name", &self.verifier.name)
            .field("id", &format_args!("{:08x}", self.verifier.id))
            .field("kind", &self.verifier.kind)
            .finish_non_exhaustive()
    }
}

/// The name, ID and `base64(type || 32 bytes)` parts common to both key strings.
fn parse_material(name: &str, id: &str, material: &str) -> Result<(KeyKind, [u8; 32]), KeyError> {
    if !is_valid_key_name(name) {
        return Err(KeyError::Name(name.to_owned()));
    }
    parse_id(id)?;
    let bytes = STANDARD.decode(material).map_err(|_| KeyError::Base64)?;
    let (&type_byte, key) = bytes.split_first().ok_or(KeyError::Length { got: 0 })?;
    let kind = KeyKind::from_type_byte(type_byte).ok_or(KeyError::UnknownType(type_byte))?;
    let key = <[u8; 32]>::try_from(key).map_err(|_| KeyError::Length { got: key.len() })?;
    Ok((kind, key))
}

fn parse_id(id: &str) -> Result<u32, KeyError> {
    let lower_hex = |c: char| c.is_ascii_digit() || ('a'..='f').contains(&c);
    if id.len() != 8 || !id.chars().all(lower_hex) {
        return Err(KeyError::IdHex);
    }
    u32::from_str_radix(id, 16).map_err(|_| KeyError::IdHex)
}

fn check_id(given: &str, computed: u32) -> Result<(), KeyError> {
    let given = parse_id(given)?;
    if given == computed {
        Ok(())
    } else {
        Err(KeyError::IdMismatch { given, computed })
    }
}
