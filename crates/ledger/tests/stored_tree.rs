//! The stored-hash tree against the in-memory reading of RFC 9162, and against the
//! RFC 6962 reference roots.

use std::cell::RefCell;

use sis_ledger::{
    Hash, HashReader, MissingHash, ProofError, TreeError, consistency_proof, inclusion_proof,
    leaf_hash, prove_consistency, prove_inclusion, root, stored_hash_count, stored_hash_index,
    stored_hashes, tree_hash,
};

fn leaves(n: usize) -> Vec<Hash> {
    (0..n)
        .map(|i| leaf_hash(format!("envelope {i}").as_bytes()))
        .collect()
}

/// Appends every leaf the way the node does and returns the store.
fn append_all(leaves: &[Hash]) -> Vec<Hash> {
    let mut store = Vec::new();
    for (n, leaf) in leaves.iter().enumerate() {
        let n = n as u64;
        assert_eq!(
            stored_hash_index(0, n),
            store.len() as u64,
            "leaf {n}'s hashes go right after what is stored"
        );
        let new = stored_hashes(n, *leaf, &store).expect("earlier hashes are stored");
        store.extend(new);
        assert_eq!(stored_hash_count(n + 1), store.len() as u64);
    }
    store
}

fn hex(h: &[u8]) -> String {
    h.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn storage_layout_is_that_of_go_sumdb_tlog() {
    // Leaf 1 completes the subtree of leaves 0–1, leaf 3 those of 2–3 and 0–3.
    let want = [
        (0, 0, 0),
        (0, 1, 1),
        (1, 0, 2),
        (0, 2, 3),
        (0, 3, 4),
        (1, 1, 5),
        (2, 0, 6),
    ];
    for (level, n, index) in want {
        assert_eq!(stored_hash_index(level, n), index, "level {level} n {n}");
    }
    assert_eq!(stored_hash_index(0, 4), 7);
    assert_eq!(stored_hash_count(0), 0);
    assert_eq!(stored_hash_count(4), 7);
    assert_eq!(stored_hash_count(5), 8);
}

#[test]
fn stored_tree_hashes_are_the_rfc6962_reference_roots() {
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
    // testonly/constants.go of transparency-dev/merkle: RootHashes, by tree size.
    let want = [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];
    let l: Vec<Hash> = inputs.iter().map(|d| leaf_hash(d)).collect();
    let store = append_all(&l);
    for (size, want) in want.iter().enumerate() {
        let got = tree_hash(size as u64, &store).expect("stored");
        assert_eq!(
            hex(&got),
            *want,
            "root of the first {size} reference leaves"
        );
    }
}

#[test]
fn stored_and_in_memory_trees_agree_for_every_size_up_to_70() {
    let all = leaves(70);
    let store = append_all(&all);
    for n in 1..=70usize {
        let l = &all[..n];
        let r = tree_hash(n as u64, &store).expect("stored");
        assert_eq!(r, root(l), "root of {n}");
        for i in 0..n {
            let stored = prove_inclusion(n as u64, i as u64, &store).expect("in range");
            assert_eq!(
                Some(&stored),
                inclusion_proof(l, i).as_ref(),
                "leaf {i} of {n}"
            );
            assert_eq!(stored.verify(&l[i], &r), Ok(()), "leaf {i} of {n}");
        }
        for m in 1..=n {
            let stored = prove_consistency(m as u64, n as u64, &store).expect("valid sizes");
            assert_eq!(Some(&stored), consistency_proof(l, m).as_ref(), "{m} → {n}");
            assert_eq!(stored.verify(&root(&l[..m]), &r), Ok(()), "{m} → {n}");
        }
    }
}

#[test]
fn a_consistency_proof_against_a_rewritten_history_shows_the_fork() {
    let honest = leaves(13);
    let mut forked = honest.clone();
    forked[4] = leaf_hash(b"an envelope the log pretends it never sent");
    let proof = consistency_proof(&honest, 7).expect("valid sizes");
    // The proof and new root are the honest log's; the old root is one it signed for a
    // different history: the proof still leads to the new root, the old tree differs.
    assert_eq!(
        proof.verify(&root(&forked[..7]), &root(&honest)),
        Err(ProofError::Inconsistent)
    );
    // A proof that does not even lead to the new root says nothing about the log.
    assert_eq!(
        proof.verify(&root(&honest[..7]), &root(&forked)),
        Err(ProofError::RootMismatch)
    );
    let mut short = proof.clone();
    short.path.pop();
    assert!(matches!(
        short.verify(&root(&honest[..7]), &root(&honest)),
        Err(ProofError::WrongLength { .. })
    ));
}

/// Counts the hashes read and checks the order the contract promises.
struct Counting<'a> {
    store: &'a [Hash],
    read: RefCell<usize>,
}

impl HashReader for Counting<'_> {
    type Error = MissingHash;

    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, MissingHash> {
        assert!(
            indexes.windows(2).all(|w| w[0] < w[1]),
            "indexes come increasing, without repeats: {indexes:?}"
        );
        *self.read.borrow_mut() += indexes.len();
        self.store.read_hashes(indexes)
    }
}

#[test]
fn trees_and_proofs_read_a_logarithmic_number_of_hashes() {
    let all = leaves(1500);
    let store = append_all(&all);
    for n in [1u64, 2, 7, 64, 65, 1000, 1023, 1024, 1025, 1500] {
        // Each proof hash or tree hash is at most the fold of one stored hash per level.
        let bound = 2 * (64 - n.leading_zeros() as usize) + 2;
        let counting = Counting {
            store: &store,
            read: RefCell::new(0),
        };
        tree_hash(n, &counting).expect("stored");
        for i in [0, n / 3, n - 1] {
            prove_inclusion(n, i, &counting).expect("in range");
        }
        for m in [1, n / 2 + 1, n] {
            prove_consistency(m, n, &counting).expect("valid sizes");
        }
        let per_call = *counting.read.borrow() as f64 / 7.0;
        assert!(
            per_call <= bound as f64,
            "size {n}: {per_call} hashes a call"
        );
        let one = Counting {
            store: &store,
            read: RefCell::new(0),
        };
        prove_consistency(n / 2 + 1, n, &one).expect("valid sizes");
        let worst = *one.read.borrow();
        assert!(worst <= bound, "size {n}: {worst} hashes for one proof");
    }
}

#[test]
fn the_store_is_asked_only_for_what_it_holds_and_its_errors_come_back() {
    let all = leaves(9);
    let store = append_all(&all);
    let short = &store[..stored_hash_count(8) as usize];
    assert!(
        tree_hash(8, short).is_ok(),
        "a tree of 8 needs nothing past leaf 8"
    );
    assert!(matches!(
        tree_hash(9, short),
        Err(TreeError::Read(MissingHash { .. }))
    ));
    assert!(matches!(
        prove_inclusion(9, 9, &store),
        Err(TreeError::IndexOutOfRange { index: 9, size: 9 })
    ));
    assert!(matches!(
        prove_consistency(0, 9, &store),
        Err(TreeError::InvalidSizes { old: 0, new: 9 })
    ));
    assert!(matches!(
        prove_consistency(10, 9, &store),
        Err(TreeError::InvalidSizes { .. })
    ));
}
