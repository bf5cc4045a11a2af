//! Inclusion and consistency proofs and their verification, exactly as RFC 9162 §2.1.3.2
//! and §2.1.4.2 write the algorithms, so that a verifier built from the RFC alone agrees
//! with ours on every proof, good or bad.

use crate::hash::{Hash, node_hash};

/// Why a proof does not hold. Crosses the network (a peer's proof refused), hence [`code`].
///
/// [`code`]: ProofError::code
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProofError {
    #[error("leaf index {index} is outside a tree of {size} leaves")]
    IndexOutOfRange { index: u64, size: u64 },
    #[error("the proof has {got} hashes where these tree sizes need {expected}")]
    WrongLength { got: usize, expected: usize },
    #[error("the proof leads to a different root")]
    RootMismatch,
    /// RFC 9162 defines no consistency proof from the empty tree: every tree extends it.
    #[error("a consistency proof must start from a tree of at least one leaf")]
    EmptyOldTree,
    #[error("the old tree ({old} leaves) is larger than the new one ({new})")]
    OldLargerThanNew { old: u64, new: u64 },
    /// The proof does lead to the new root, but the old tree it contains is not the one
    /// the verifier holds: the log signed two histories that cannot both be true.
    #[error("the new tree does not contain the old one: the log forked")]
    Inconsistent,
}

impl ProofError {
    /// Stable code for the wire and the conformance vectors.
    pub fn code(&self) -> &'static str {
        match self {
            ProofError::IndexOutOfRange { .. } => "proof.index_out_of_range",
            ProofError::WrongLength { .. } => "proof.wrong_length",
            ProofError::RootMismatch => "proof.root_mismatch",
            ProofError::EmptyOldTree => "proof.empty_old_tree",
            ProofError::OldLargerThanNew { .. } => "proof.old_larger_than_new",
            ProofError::Inconsistent => "proof.inconsistent",
        }
    }
}

/// Proof that the leaf at `index` is in the tree of `size` leaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InclusionProof {
    pub index: u64,
    pub size: u64,
    /// Sibling hashes from the leaf up to the root.
    pub path: Vec<Hash>,
}

/// Proof that the tree of `old_size` leaves is a prefix of the tree of `new_size` leaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsistencyProof {
    pub old_size: u64,
    pub new_size: u64,
    /// RFC 9162 §2.1.4.1 `PROOF(m, D[n])`, in the order the RFC produces it.
    pub path: Vec<Hash>,
}

impl InclusionProof {
    /// Checks the proof against a leaf hash and a trusted root (RFC 9162 §2.1.3.2).
    pub fn verify(&self, leaf: &Hash, expected_root: &Hash) -> Result<(), ProofError> {
        if self.index >= self.size {
            return Err(ProofError::IndexOutOfRange {
                index: self.index,
                size: self.size,
            });
        }
        let expected = inclusion_len(self.index, self.size);
        if self.path.len() != expected {
            return Err(ProofError::WrongLength {
                got: self.path.len(),
                expected,
            });
        }
        let (mut fn_, mut sn) = (self.index, self.size - 1);
        let mut r = *leaf;
        for p in &self.path {
            if fn_ & 1 == 1 || fn_ == sn {
                r = node_hash(p, &r);
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
        debug_assert_eq!(sn, 0, "the length check leaves sn at zero");
        if &r == expected_root {
            Ok(())
        } else {
            Err(ProofError::RootMismatch)
        }
    }
}

impl ConsistencyProof {
    /// Checks that `old_root` (of `old_size` leaves) and `new_root` (of `new_size`) are two
    /// heads of one append-only log (RFC 9162 §2.1.4.2). Equal sizes need an empty proof
    /// and equal roots, as the RFC's `PROOF(n, D[n])` is empty.
    ///
    /// A proof that leads to `new_root` from a different old tree gives
    /// [`ProofError::Inconsistent`], which the witness keeps as evidence of a fork; any
    /// other failure only says the proof is wrong.
    pub fn verify(&self, old_root: &Hash, new_root: &Hash) -> Result<(), ProofError> {
        let (m, n) = (self.old_size, self.new_size);
        if m == 0 {
            return Err(ProofError::EmptyOldTree);
        }
        if m > n {
            return Err(ProofError::OldLargerThanNew { old: m, new: n });
        }
        let expected = consistency_len(m, n);
        if self.path.len() != expected {
            return Err(ProofError::WrongLength {
                got: self.path.len(),
                expected,
            });
        }
        if m == n {
            return if old_root == new_root {
                Ok(())
            } else {
                Err(ProofError::Inconsistent)
            };
        }
        // Step 2: a power-of-two old tree is a complete subtree of the new one, so its
        // root is the first node of the path and the log leaves it out.
        let mut path = self.path.iter();
        let seed = if m.is_power_of_two() {
            *old_root
        } else {
            *path
                .next()
                .expect("the length check gives a non-power-of-two old tree ≥ 1 hash")
        };
        let (mut fn_, mut sn) = (m - 1, n - 1);
        while fn_ & 1 == 1 {
            fn_ >>= 1;
            sn >>= 1;
        }
        let (mut fr, mut sr) = (seed, seed);
        for c in path {
            if fn_ & 1 == 1 || fn_ == sn {
                fr = node_hash(c, &fr);
                sr = node_hash(c, &sr);
                while fn_ & 1 == 0 && fn_ != 0 {
                    fn_ >>= 1;
                    sn >>= 1;
                }
            } else {
                sr = node_hash(&sr, c);
            }
            fn_ >>= 1;
            sn >>= 1;
        }
        debug_assert_eq!(sn, 0, "the length check leaves sn at zero");
        if &sr != new_root {
            Err(ProofError::RootMismatch)
        } else if &fr != old_root {
            Err(ProofError::Inconsistent)
        } else {
            Ok(())
        }
    }
}

/// Number of hashes in the inclusion proof of `index` in a tree of `size` (index < size):
/// the iterations of RFC 9162 §2.1.3.2 until `sn` reaches zero.
fn inclusion_len(index: u64, size: u64) -> usize {
    let (mut fn_, mut sn, mut n) = (index, size - 1, 0);
    while sn != 0 {
        if fn_ & 1 == 1 || fn_ == sn {
            while fn_ & 1 == 0 && fn_ != 0 {
                fn_ >>= 1;
                sn >>= 1;
            }
        }
        fn_ >>= 1;
        sn >>= 1;
        n += 1;
    }
    n
}

/// Number of hashes in the consistency proof from `m` to `n` leaves (0 < m ≤ n), counted
/// with the walk of RFC 9162 §2.1.4.2 so that a proof of another length is refused before
/// any hashing.
fn consistency_len(m: u64, n: u64) -> usize {
    if m == n {
        return 0;
    }
    let (mut fn_, mut sn) = (m - 1, n - 1);
    while fn_ & 1 == 1 {
        fn_ >>= 1;
        sn >>= 1;
    }
    let mut steps = 0;
    while sn != 0 {
        if fn_ & 1 == 1 || fn_ == sn {
            while fn_ & 1 == 0 && fn_ != 0 {
                fn_ >>= 1;
                sn >>= 1;
            }
        }
        fn_ >>= 1;
        sn >>= 1;
        steps += 1;
    }
    if m.is_power_of_two() {
        steps
    } else {
        steps + 1
    }
}
