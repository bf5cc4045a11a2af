//! The trees here are built from RFC 6962's definition directly (recursively, splitting at
//! the largest power of two below the size), not with the fold under test; the ledger's
//! conformance vectors, written by the log's own implementation, check the same fold
//! against another implementation.

use serde::Deserialize;

use super::*;

/// RFC 6962 §2.1 MTH: the root of `leaves` (already leaf-hashed).
fn mth(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => Sha256::digest([]).into(),
        1 => leaves[0],
        n => {
            let k = split(n);
            node_hash(&mth(&leaves[..k]), &mth(&leaves[k..]))
        }
    }
}

/// The largest power of two smaller than `n` (n ≥ 2).
fn split(n: usize) -> usize {
    let mut k = 1;
    while k * 2 < n {
        k *= 2;
    }
    k
}

/// RFC 6962 §2.1.1 PATH(m, D[n]), leaf to root.
fn path(m: usize, leaves: &[Hash]) -> Vec<Hash> {
    let n = leaves.len();
    if n <= 1 {
        return Vec::new();
    }
    let k = split(n);
    if m < k {
        let mut p = path(m, &leaves[..k]);
        p.push(mth(&leaves[k..]));
        p
    } else {
        let mut p = path(m - k, &leaves[k..]);
        p.push(mth(&leaves[..k]));
        p
    }
}

fn envelope_id(i: usize) -> String {
    format!("0190b0c4-8d5e-7a3b-9c1d-00000000000{i}")
}

fn entry(i: usize) -> Vec<u8> {
    format!(
        "carec-sis/log-entry/v1\n{}\nsent\nKZ\n{}\n",
        envelope_id(i),
        "ab".repeat(32)
    )
    .into_bytes()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The proof a correct node serves for leaf `m` of a log of `n` entries.
fn served(m: usize, n: usize) -> LedgerProof {
    let entries: Vec<Vec<u8>> = (0..n).map(entry).collect();
    let leaves: Vec<Hash> = entries.iter().map(|e| leaf_hash(e)).collect();
    let root = mth(&leaves);
    LedgerProof {
        envelope_id: envelope_id(m),
        direction: "sent".to_owned(),
        leaf_index: m as u64,
        tree_size: n as u64,
        leaf: STANDARD.encode(&entries[m]),
        audit_path: path(m, &leaves).iter().map(|h| hex(h)).collect(),
        root_hash: hex(&root),
        checkpoint: format!(
            "carec-sis.org/kz/log\n{n}\n{}\n\n\u{2014} carec-sis.org/kz/log AAAA\n",
            STANDARD.encode(root)
        ),
        cosignatures: vec!["\u{2014} carec-sis.org/uz/witness BBBB".to_owned()],
    }
}

#[test]
fn every_leaf_of_trees_of_one_to_five_entries_verifies() {
    for n in 1..=5 {
        for m in 0..n {
            let proof = served(m, n);
            assert_eq!(
                verify(&envelope_id(m), &proof),
                Ok(Verified {
                    leaf_index: m as u64,
                    tree_size: n as u64,
                    cosigned_by: 1
                }),
                "leaf {m} of {n}"
            );
        }
    }
}

#[test]
fn a_changed_path_hash_fails() {
    let mut proof = served(2, 5);
    let mut h = decode_hash(&proof.audit_path[1]).expect("hex from the test");
    h[31] ^= 1;
    proof.audit_path[1] = hex(&h);
    assert_eq!(
        verify(&envelope_id(2), &proof),
        Err(ProofError::RootMismatch)
    );
}

#[test]
fn another_index_fails() {
    // Index 3 of 5 has a path of the same length as index 2: only the fold can tell.
    let mut proof = served(2, 5);
    proof.leaf_index = 3;
    assert_eq!(
        verify(&envelope_id(2), &proof),
        Err(ProofError::RootMismatch)
    );
    proof.leaf_index = 5;
    assert_eq!(
        verify(&envelope_id(2), &proof).map_err(|e| e.code()),
        Err("proof.index_out_of_range")
    );
}

#[test]
fn another_root_fails_even_with_a_matching_checkpoint() {
    let mut proof = served(1, 4);
    let other = mth(&[leaf_hash(b"x"), leaf_hash(b"y")]);
    proof.root_hash = hex(&other);
    proof.checkpoint = format!("o\n4\n{}\n", STANDARD.encode(other));
    assert_eq!(
        verify(&envelope_id(1), &proof),
        Err(ProofError::RootMismatch)
    );
}

#[test]
fn a_path_too_short_or_too_long_fails() {
    let mut proof = served(0, 5);
    let last = proof.audit_path.pop().expect("5 leaves need 3 hashes");
    assert_eq!(
        verify(&envelope_id(0), &proof),
        Err(ProofError::WrongLength)
    );
    proof.audit_path.push(last.clone());
    proof.audit_path.push(last);
    assert_eq!(
        verify(&envelope_id(0), &proof),
        Err(ProofError::WrongLength)
    );
}

#[test]
fn the_checkpoint_must_name_the_size_and_root_proven() {
    let good = served(1, 3);
    let root = decode_hash(&good.root_hash).expect("hex");
    let mut proof = good.clone();
    proof.checkpoint = proof.checkpoint.replacen("\n3\n", "\n4\n", 1);
    assert_eq!(
        verify(&envelope_id(1), &proof),
        Err(ProofError::Checkpoint {
            line: 2,
            expected: "3".to_owned()
        })
    );
    let mut proof = good.clone();
    proof.checkpoint = format!("o\n3\n{}\n", STANDARD.encode([0u8; 32]));
    assert_eq!(
        verify(&envelope_id(1), &proof).map_err(|e| e.code()),
        Err("proof.checkpoint")
    );
    // Hex instead of base64, a leading zero: one spelling only.
    assert!(check_checkpoint(&format!("o\n3\n{}\n", hex(&root)), 3, &root).is_err());
    assert!(check_checkpoint(&format!("o\n03\n{}\n", STANDARD.encode(root)), 3, &root).is_err());
    assert!(check_checkpoint("o\n3\n", 3, &root).is_err());
}

#[test]
fn a_proof_of_another_envelope_fails() {
    let proof = served(1, 3);
    assert_eq!(
        verify(&envelope_id(2), &proof).map_err(|e| e.code()),
        Err("proof.other_envelope"),
        "a node must not pass off another leaf as the letter's"
    );
}

#[test]
fn malformed_fields_are_named() {
    let mut proof = served(1, 3);
    proof.audit_path[0].push('0');
    assert_eq!(
        verify(&envelope_id(1), &proof),
        Err(ProofError::PathHash { index: 0 })
    );
    let mut proof = served(1, 3);
    proof.root_hash = format!("+{}", &proof.root_hash[1..]);
    assert_eq!(
        verify(&envelope_id(1), &proof),
        Err(ProofError::RootEncoding)
    );
    let mut proof = served(1, 3);
    proof.leaf = "not base64!".to_owned();
    assert_eq!(
        verify(&envelope_id(1), &proof),
        Err(ProofError::LeafEncoding)
    );
    let mut proof = served(1, 3);
    proof.root_hash = proof.root_hash.to_uppercase();
    assert!(
        verify(&envelope_id(1), &proof).is_ok(),
        "hex in upper case is hex"
    );
}

#[derive(Deserialize)]
struct TreeVectors {
    inclusion: Vec<Inclusion>,
    invalid_inclusion: Vec<Inclusion>,
}

#[derive(Deserialize)]
struct Inclusion {
    leaf_index: u64,
    tree_size: u64,
    leaf_hash: String,
    audit_path: Vec<String>,
    root_hash: String,
    #[serde(default)]
    error: Option<String>,
}

fn vector_root(case: &Inclusion) -> Result<(Hash, Hash), ProofError> {
    let leaf = decode_hash(&case.leaf_hash).expect("vector leaf hash");
    let path: Vec<Hash> = case
        .audit_path
        .iter()
        .map(|h| decode_hash(h).expect("vector path hash"))
        .collect();
    let root = root_from_inclusion(case.leaf_index, case.tree_size, leaf, &path)?;
    Ok((root, decode_hash(&case.root_hash).expect("vector root")))
}

#[test]
fn the_ledgers_conformance_vectors_agree() {
    let vectors: TreeVectors =
        serde_json::from_str(include_str!("../../../tests/vectors/ledger/tree.json"))
            .expect("tree.json");
    assert!(vectors.inclusion.len() > 50, "every proof of a 13-leaf log");
    for case in &vectors.inclusion {
        let (computed, root) = vector_root(case).expect("a valid proof");
        assert_eq!(
            computed, root,
            "leaf {} of {}",
            case.leaf_index, case.tree_size
        );
    }
    for case in &vectors.invalid_inclusion {
        let outcome = match vector_root(case) {
            Ok((computed, root)) if computed != root => Err(ProofError::RootMismatch),
            other => other.map(|_| ()),
        };
        assert_eq!(
            outcome.map_err(|e| e.code()).err(),
            case.error.as_deref(),
            "leaf {} of {}",
            case.leaf_index,
            case.tree_size
        );
    }
}

#[derive(Deserialize)]
struct CheckpointVectors {
    valid: Vec<SignedCheckpoint>,
}

#[derive(Deserialize)]
struct SignedCheckpoint {
    note: String,
    expect: Expected,
}

#[derive(Deserialize)]
struct Expected {
    tree_size: u64,
    root_hash: String,
}

#[test]
fn the_ledgers_signed_checkpoints_name_their_size_and_root() {
    let vectors: CheckpointVectors = serde_json::from_str(include_str!(
        "../../../tests/vectors/ledger/checkpoints.json"
    ))
    .expect("checkpoints.json");
    assert!(!vectors.valid.is_empty());
    for case in &vectors.valid {
        let root = decode_hash(&case.expect.root_hash).expect("vector root");
        assert_eq!(
            check_checkpoint(&case.note, case.expect.tree_size, &root),
            Ok(())
        );
        assert!(check_checkpoint(&case.note, case.expect.tree_size + 1, &root).is_err());
    }
}
