//! Our proof verification against the Certificate Transparency test data of
//! transparency-dev/merkle (see `vectors/README.md`): every good case verifies, every bad
//! one is refused.

use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;
use sis_ledger::{ConsistencyProof, Hash, InclusionProof};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Inclusion {
    leaf_idx: u64,
    tree_size: u64,
    root: String,
    leaf_hash: String,
    proof: Option<Vec<String>>,
    want_err: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Consistency {
    size1: u64,
    size2: u64,
    root1: String,
    root2: String,
    proof: Option<Vec<String>>,
    want_err: bool,
}

/// A vector's hash, or `None` for a value that is not 32 bytes long: our API holds only
/// real SHA-256 hashes, so such a value is refused where a peer's proof is parsed.
fn hash(b64: &str) -> Option<Hash> {
    let bytes = STANDARD.decode(b64).expect("vectors are base64");
    <Hash>::try_from(bytes.as_slice()).ok()
}

fn hashes(p: &Option<Vec<String>>) -> Option<Vec<Hash>> {
    p.iter().flatten().map(|h| hash(h)).collect()
}

/// The one case the reference library accepts with values that are not hashes: for equal
/// sizes it compares the roots byte for byte without checking their length. We refuse
/// it when parsing, which is stricter.
const NOT_HASHES_ACCEPTED_BY_REFERENCE: &str = "sizes-are-equal-one-and-proof-is-empty.json";

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("vector folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

fn vectors(kind: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/transparency-dev");
    let mut files = Vec::new();
    json_files(&dir.join(kind), &mut files);
    files.sort();
    files
}

#[test]
fn transparency_dev_inclusion_vectors() {
    let files = vectors("inclusion");
    assert_eq!(files.len(), 98, "all inclusion vectors are found");
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable");
        let v: Inclusion = serde_json::from_str(&text).expect("inclusion vector");
        let (Some(path), Some(leaf), Some(root)) =
            (hashes(&v.proof), hash(&v.leaf_hash), hash(&v.root))
        else {
            assert!(v.want_err, "{}: refused as not hashes", file.display());
            continue;
        };
        let proof = InclusionProof {
            index: v.leaf_idx,
            size: v.tree_size,
            path,
        };
        let got = proof.verify(&leaf, &root);
        assert_eq!(got.is_err(), v.want_err, "{}: {got:?}", file.display());
    }
}

#[test]
fn transparency_dev_consistency_vectors() {
    let files = vectors("consistency");
    assert_eq!(files.len(), 98, "all consistency vectors are found");
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable");
        let v: Consistency = serde_json::from_str(&text).expect("consistency vector");
        let (Some(path), Some(root1), Some(root2)) =
            (hashes(&v.proof), hash(&v.root1), hash(&v.root2))
        else {
            let exception = file.ends_with(NOT_HASHES_ACCEPTED_BY_REFERENCE);
            assert!(
                v.want_err || exception,
                "{}: refused as not hashes",
                file.display()
            );
            continue;
        };
        let proof = ConsistencyProof {
            old_size: v.size1,
            new_size: v.size2,
            path,
        };
        let got = proof.verify(&root1, &root2);
        assert_eq!(got.is_err(), v.want_err, "{}: {got:?}", file.display());
    }
}
