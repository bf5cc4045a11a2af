//! The transparency log every node keeps of what it sent and accepted, in the form
//! Certificate Transparency uses (RFC 6962 / RFC 9162): an append-only Merkle tree whose
//! root commits to every entry, with proofs that an entry is included. Pure: hashing only.
//!
//! # Layout
//! - [`hash`]: leaf and node hashing with RFC 6962's domain separation.
//! - [`tree`]: the root of a list of leaves, inclusion proofs and their verification.
//!
//! Signed tree heads, consistency proofs and cosignatures come with the federation.

pub mod hash;
pub mod tree;

pub use hash::{Hash, leaf_hash, node_hash};
pub use tree::{InclusionProof, ProofError, inclusion_proof, root};
