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

pub mod hash;
pub mod proof;
pub mod stored;
pub mod tree;

pub use hash::{Hash, leaf_hash, node_hash};
pub use proof::{ConsistencyProof, InclusionProof, ProofError};
pub use stored::{
    HashReader, MissingHash, TreeError, prove_consistency, prove_inclusion, stored_hash_count,
    stored_hash_index, stored_hashes, tree_hash,
};
pub use tree::{consistency_proof, inclusion_proof, root};
