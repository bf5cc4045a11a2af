//! The transparency log every node keeps of what it sent and accepted, in the form
//! Certificate Transparency uses (RFC 6962 / RFC 9162): an append-only Merkle tree whose
//! root commits to every entry, with proofs that an entry is included and that a later
//! tree extends an earlier one. Tree heads travel as C2SP checkpoints (signed notes),
//! and other countries' nodes cosign them once they have checked them.
//!
//! Pure: no IO, no clock, no database. The node stores hashes and hands them in through
//! [`HashReader`], and passes the time to the functions that need it.
//!
//! # Layout
//! - [`hash`]: leaf and node hashing with RFC 6962's domain separation.
//! - [`proof`]: inclusion and consistency proofs and their RFC 9162 verification.
//! - [`tree`]: the same proofs over a list of leaf hashes in memory, as the RFC writes them.
//! - [`stored`]: the tree over the node's stored hashes (Go `sumdb/tlog` layout).
//! - [`entry`]: the bytes logged for each envelope sent or accepted.
//! - [`keys`]: Ed25519 signer and verifier keys in signed-note form, key IDs.
//! - [`note`]: C2SP signed notes: parsing, signing, verifying.
//! - [`checkpoint`]: C2SP checkpoints (the signed tree head) and log origins.
//! - [`cosignature`]: C2SP `cosignature/v1`, made and checked.
//! - [`witness`]: the decision to cosign, refuse, or report a fork with its evidence.
//!
//! # Choices
//! The Rust crates for these specs were read and left. `signed_note` and `tlog_tiles`
//! (Cloudflare's ports of Go's `sumdb/note` and `sumdb/tlog`) pull in `base64` 0.21 and
//! `thiserror` 1 beside the workspace's 0.22 and 2, are young 0.x releases, and carry
//! no stable error codes, which peers need here. `ct-merkle` 0.3 is built on `digest`
//! 0.11 (a second `sha2`) and indexes stored nodes its own way, not in the layout of
//! Go's tlog that the C2SP tile specs share. The specs are short: this crate follows
//! them and Go's reference code, and is tested against their published vectors.

pub mod checkpoint;
pub mod cosignature;
pub mod entry;
pub mod hash;
pub mod keys;
pub mod note;
pub mod proof;
pub mod stored;
pub mod tree;
pub mod witness;

pub use checkpoint::{Checkpoint, CheckpointError, SignedCheckpoint, log_origin};
pub use cosignature::{Cosignature, CosignatureError, cosign};
pub use entry::{Direction, EntryError, log_entry};
pub use keys::{KeyError, KeyKind, SignerKey, VerifierKey, key_id};
pub use note::{Note, NoteError, NoteSignature};
pub use witness::{ForkEvidence, ForkKind, Refusal, Verdict, Witness};

pub use hash::{Hash, leaf_hash, node_hash};
pub use proof::{ConsistencyProof, InclusionProof, ProofError};
pub use stored::{
    HashReader, MissingHash, TreeError, prove_consistency, prove_inclusion, stored_hash_count,
    stored_hash_index, stored_hashes, tree_hash,
};
pub use tree::{consistency_proof, inclusion_proof, root};
