//! Tree heads and proofs over a list of leaf hashes held in memory, written as RFC 9162
//! §2.1 defines them (`MTH`, `PATH`, `PROOF`). The node uses [`crate::stored`]; these
//! stay as the plain reading of the RFC that the stored versions are tested against.

use crate::hash::{Hash, empty_root, node_hash};
use crate::proof::{ConsistencyProof, InclusionProof};

/// Largest power of two strictly below `n` (n ≥ 2): where RFC 6962 splits a tree.
fn split(n: usize) -> usize {
    debug_assert!(n >= 2);
    1 << (usize::BITS - 1 - (n - 1).leading_zeros())
}

/// Merkle tree hash of the given leaf hashes.
pub fn root(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => empty_root(),
        1 => leaves[0],
        n => {
            let k = split(n);
            node_hash(&root(&leaves[..k]), &root(&leaves[k..]))
        }
    }
}

/// Inclusion proof of `leaves[index]`; `None` when the index is outside the tree.
pub fn inclusion_proof(leaves: &[Hash], index: usize) -> Option<InclusionProof> {
    if index >= leaves.len() {
        return None;
    }
    let mut path = Vec::new();
    collect_path(leaves, index, &mut path);
    Some(InclusionProof {
        index: index as u64,
        size: leaves.len() as u64,
        path,
    })
}

fn collect_path(leaves: &[Hash], index: usize, path: &mut Vec<Hash>) {
    if leaves.len() <= 1 {
        return;
    }
    let k = split(leaves.len());
    if index < k {
        collect_path(&leaves[..k], index, path);
        path.push(root(&leaves[k..]));
    } else {
        collect_path(&leaves[k..], index - k, path);
        path.push(root(&leaves[..k]));
    }
}

/// Consistency proof from the first `old_size` leaves to all of them (RFC 9162 §2.1.4.1);
/// `None` unless `0 < old_size <= leaves.len()`.
pub fn consistency_proof(leaves: &[Hash], old_size: usize) -> Option<ConsistencyProof> {
    if old_size == 0 || old_size > leaves.len() {
        return None;
    }
    let mut path = Vec::new();
    subproof(old_size, leaves, true, &mut path);
    Some(ConsistencyProof {
        old_size: old_size as u64,
        new_size: leaves.len() as u64,
        path,
    })
}

/// `SUBPROOF(m, D[n], b)`: `b` says whether the subtree of the first `m` leaves is the
/// old tree itself, whose root the verifier already holds.
fn subproof(m: usize, leaves: &[Hash], whole_old_tree: bool, path: &mut Vec<Hash>) {
    let n = leaves.len();
    if m == n {
        if !whole_old_tree {
            path.push(root(leaves));
        }
        return;
    }
    let k = split(n);
    if m <= k {
        subproof(m, &leaves[..k], whole_old_tree, path);
        path.push(root(&leaves[k..]));
    } else {
        subproof(m - k, &leaves[k..], false, path);
        path.push(root(&leaves[..k]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::leaf_hash;
    use crate::proof::ProofError;

    fn leaves(n: usize) -> Vec<Hash> {
        (0..n)
            .map(|i| leaf_hash(format!("envelope {i}").as_bytes()))
            .collect()
    }

    fn hex(h: &Hash) -> String {
        h.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn empty_tree_root_is_the_hash_of_nothing() {
        assert_eq!(
            hex(&root(&[])),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn rfc6962_reference_root_for_eight_leaves() {
        // The eight leaves of the RFC 6962 reference implementation's test suite.
        let inputs: [&[u8]; 8] = [
            b"",
            b"\x00",
            b"\x10",
            b"\x20\x21",
            b"\x30\x31",
            b"\x40\x41\x42\x43",
            b"\x50\x51\x52\x53\x54\x55\x56\x57",
            b"\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f",
        ];
        let l: Vec<Hash> = inputs.iter().map(|d| leaf_hash(d)).collect();
        assert_eq!(
            hex(&root(&l)),
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"
        );
        assert_eq!(
            hex(&root(&l[..3])),
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77"
        );
    }

    #[test]
    fn every_leaf_of_every_size_has_a_proof_that_verifies() {
        for n in 1..=33 {
            let l = leaves(n);
            let r = root(&l);
            for i in 0..n {
                let proof = inclusion_proof(&l, i).expect("index in range");
                assert_eq!(proof.verify(&l[i], &r), Ok(()), "leaf {i} of {n}");
            }
        }
    }

    #[test]
    fn a_proof_does_not_hold_for_another_leaf_or_root() {
        let l = leaves(7);
        let r = root(&l);
        let proof = inclusion_proof(&l, 3).expect("index in range");
        assert_eq!(proof.verify(&l[4], &r), Err(ProofError::RootMismatch));
        assert_eq!(
            proof.verify(&l[3], &root(&l[..6])),
            Err(ProofError::RootMismatch)
        );
        let mut short = proof.clone();
        short.path.pop();
        assert!(matches!(
            short.verify(&l[3], &r),
            Err(ProofError::WrongLength { .. })
        ));
        assert!(inclusion_proof(&l, 7).is_none());
    }
}
