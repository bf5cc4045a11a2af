//! The "verified" badge's pure half: checking a [`LedgerProof`] from
//! `GET /api/v1/ledger/proof/{envelope_id}` in the browser, with RFC 6962 alone, rather than
//! trusting the node's word that an envelope is in its log.
//!
//! A proof verifies when
//! - the logged entry is the one of the envelope asked about (its second line is the id:
//!   `carec-sis/log-entry/v1\n<envelope id>\n…`), so a node cannot answer with another leaf;
//! - the audit path folds the entry's leaf hash, `SHA-256(0x00 || entry)`, up to
//!   `root_hash` as RFC 9162 §2.1.3.2 does;
//! - the checkpoint note's second and third lines are `tree_size` and base64(`root_hash`),
//!   so the root proven is the one the note names.
//!
//! The checkpoint's signature is not checked here: the browser has no verifier key for the
//! node's log (no endpoint serves the trust list's log keys yet). The badge therefore says
//! "in this node's log", and the cosignatures are counted, not verified.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};
use sis_proto::ledger::LedgerProof;

/// A SHA-256 hash.
pub type Hash = [u8; 32];

/// What a verified proof shows the officer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verified {
    pub leaf_index: u64,
    pub tree_size: u64,
    /// Other members' cosignature lines on the checkpoint.
    pub cosigned_by: usize,
}

/// Why a proof does not verify. The codes are those of the ledger's conformance vectors
/// (`tests/vectors/ledger/README.md`) where one applies.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProofError {
    #[error("leaf: not base64")]
    LeafEncoding,
    #[error("leaf: the logged entry is not of envelope {expected}")]
    OtherEnvelope { expected: String },
    #[error("audit_path[{index}]: not 32 bytes of hex")]
    PathHash { index: usize },
    #[error("root_hash: not 32 bytes of hex")]
    RootEncoding,
    #[error("leaf_index: {index} is not below tree_size {size}")]
    IndexOutOfRange { index: u64, size: u64 },
    #[error("audit_path: more or fewer hashes than leaf_index and tree_size need")]
    WrongLength,
    #[error("audit_path: does not lead to root_hash")]
    RootMismatch,
    #[error("checkpoint: line {line} does not say {expected}")]
    Checkpoint { line: usize, expected: String },
}

impl ProofError {
    /// A stable code, for `data-reason` and tests.
    pub fn code(&self) -> &'static str {
        match self {
            ProofError::LeafEncoding => "proof.leaf_encoding",
            ProofError::OtherEnvelope { .. } => "proof.other_envelope",
            ProofError::PathHash { .. } => "proof.path_hash",
            ProofError::RootEncoding => "proof.root_encoding",
            ProofError::IndexOutOfRange { .. } => "proof.index_out_of_range",
            ProofError::WrongLength => "proof.wrong_length",
            ProofError::RootMismatch => "proof.root_mismatch",
            ProofError::Checkpoint { .. } => "proof.checkpoint",
        }
    }
}

/// RFC 6962 §2.1: the hash of a leaf, `SHA-256(0x00 || entry)`.
pub fn leaf_hash(entry: &[u8]) -> Hash {
    Sha256::new()
        .chain_update([0x00])
        .chain_update(entry)
        .finalize()
        .into()
}

/// RFC 6962 §2.1: the hash of an interior node, `SHA-256(0x01 || left || right)`.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    Sha256::new()
        .chain_update([0x01])
        .chain_update(left)
        .chain_update(right)
        .finalize()
        .into()
}

/// RFC 9162 §2.1.3.2: the root that `path` (leaf to root) leads to from the leaf hash
/// `leaf` at `index` in a tree of `size` leaves.
pub fn root_from_inclusion(
    index: u64,
    size: u64,
    leaf: Hash,
    path: &[Hash],
) -> Result<Hash, ProofError> {
    if index >= size {
        return Err(ProofError::IndexOutOfRange { index, size });
    }
    let (mut fn_, mut sn) = (index, size - 1);
    let mut r = leaf;
    for p in path {
        if sn == 0 {
            return Err(ProofError::WrongLength);
        }
        if fn_ & 1 == 1 || fn_ == sn {
            r = node_hash(p, &r);
            // Climb past the levels where this node is a left child with no right sibling.
            while fn_ & 1 == 0 && fn_ != 0 {
                fn_ >>= 1;
                sn >>= 1;
            }
        } else {
            r = node_hash(&r, p);
        }
        fn_ >>= 1;
        sn >>= 1;
    }
    if sn != 0 {
        return Err(ProofError::WrongLength);
    }
    Ok(r)
}

/// Checks `proof` for the envelope `envelope_id` (the one the page asked about).
pub fn verify(envelope_id: &str, proof: &LedgerProof) -> Result<Verified, ProofError> {
    let entry = STANDARD
        .decode(proof.leaf.trim())
        .map_err(|_| ProofError::LeafEncoding)?;
    if entry_envelope(&entry) != Some(envelope_id) {
        return Err(ProofError::OtherEnvelope {
            expected: envelope_id.to_owned(),
        });
    }
    let path = proof
        .audit_path
        .iter()
        .enumerate()
        .map(|(index, h)| decode_hash(h).ok_or(ProofError::PathHash { index }))
        .collect::<Result<Vec<_>, _>>()?;
    let root = decode_hash(&proof.root_hash).ok_or(ProofError::RootEncoding)?;
    let computed =
        root_from_inclusion(proof.leaf_index, proof.tree_size, leaf_hash(&entry), &path)?;
    if computed != root {
        return Err(ProofError::RootMismatch);
    }
    check_checkpoint(&proof.checkpoint, proof.tree_size, &root)?;
    Ok(Verified {
        leaf_index: proof.leaf_index,
        tree_size: proof.tree_size,
        cosigned_by: proof.cosignatures.len(),
    })
}

/// C2SP `tlog-checkpoint`: the note's text is the origin, the tree size in decimal and the
/// root hash in standard base64, one a line. Compared as text: the spec allows one spelling
/// of each (no leading zeros, padded base64).
pub fn check_checkpoint(note: &str, size: u64, root: &Hash) -> Result<(), ProofError> {
    // The first line is the origin: it names the log, which the badge does not claim to know.
    let lines: Vec<&str> = note.split('\n').take(3).collect();
    for (line, expected) in [(2, size.to_string()), (3, STANDARD.encode(root))] {
        if lines.get(line - 1) != Some(&expected.as_str()) {
            return Err(ProofError::Checkpoint { line, expected });
        }
    }
    Ok(())
}

/// The envelope id a log entry (`carec-sis/log-entry/v1\n<envelope id>\n…`) is of.
fn entry_envelope(entry: &[u8]) -> Option<&str> {
    let text = std::str::from_utf8(entry).ok()?;
    let mut lines = text.split('\n');
    (lines.next()? == "carec-sis/log-entry/v1").then_some(())?;
    lines.next()
}

/// 32 bytes in hex, either case (the node writes lower case; nothing forbids upper).
fn decode_hash(text: &str) -> Option<Hash> {
    let text = text.trim().as_bytes();
    if text.len() != 64 || !text.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let mut out = [0u8; 32];
    for (byte, pair) in out.iter_mut().zip(text.chunks(2)) {
        let pair = std::str::from_utf8(pair).ok()?;
        *byte = u8::from_str_radix(pair, 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests;
