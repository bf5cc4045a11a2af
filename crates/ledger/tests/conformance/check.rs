//! Reads the vector files as another implementation would (typed, from the JSON alone)
//! and checks that this crate gives each stated outcome.

use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use sis_ledger::{
    ConsistencyProof, Cosignature, Direction, Hash, InclusionProof, KeyKind, Note,
    SignedCheckpoint, SignerKey, Verdict, VerifierKey, Witness, leaf_hash, log_entry,
};

fn read<T: DeserializeOwned>(dir: &Path, name: &str) -> T {
    let text = std::fs::read_to_string(dir.join(name)).expect("vector file");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn hash(hex: &str) -> Hash {
    assert_eq!(hex.len(), 64, "{hex}");
    let mut h = [0u8; 32];
    for (i, b) in h.iter_mut().enumerate() {
        *b = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).expect("hex");
    }
    h
}

fn hashes(hexes: &[String]) -> Vec<Hash> {
    hexes.iter().map(|h| hash(h)).collect()
}

#[derive(Deserialize)]
struct Key {
    name: String,
    seed_hex: String,
    signer_key: String,
    verifier_key: String,
    key_id_hex: String,
}

#[derive(Deserialize)]
struct Keys {
    log: Key,
    witness: Key,
}

struct Ready {
    log: VerifierKey,
    witness: VerifierKey,
    cosigner: SignerKey,
}

fn keys(dir: &Path) -> Ready {
    let k: Keys = read(dir, "keys.json");
    let check = |k: &Key, kind| {
        let signer = SignerKey::from_seed(&k.name, kind, &hash(&k.seed_hex)).expect("seed");
        assert_eq!(signer.to_secret_string(), k.signer_key, "{}", k.name);
        let vkey = VerifierKey::parse(&k.verifier_key).expect("verifier key");
        assert_eq!(signer.verifier(), &vkey, "{}", k.name);
        assert_eq!(format!("{:08x}", vkey.id()), k.key_id_hex);
        signer
    };
    let log = check(&k.log, KeyKind::Ed25519);
    let cosigner = check(&k.witness, KeyKind::CosignatureV1);
    Ready {
        log: log.verifier().clone(),
        witness: cosigner.verifier().clone(),
        cosigner,
    }
}

pub fn all(dir: &Path) {
    let keys = keys(dir);
    log_entries(dir);
    tree(dir);
    checkpoints(dir, &keys);
    cosignatures(dir, &keys);
    witness(dir, &keys);
}

#[derive(Deserialize)]
struct Entry {
    #[serde(default)]
    description: String,
    envelope_id: String,
    direction: String,
    sender_country: String,
    envelope_base64: String,
    entry: Option<String>,
    leaf_hash: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize)]
struct Valid<T> {
    valid: Vec<T>,
    invalid: Vec<T>,
}

fn log_entries(dir: &Path) {
    let v: Valid<Entry> = read(dir, "log_entries.json");
    assert!(!v.valid.is_empty() && !v.invalid.is_empty());
    for e in v.valid.iter().chain(&v.invalid) {
        let direction = match e.direction.as_str() {
            "sent" => Direction::Sent,
            "accepted" => Direction::Accepted,
            other => panic!("direction {other}"),
        };
        let envelope = STANDARD.decode(&e.envelope_base64).expect("base64");
        let got = log_entry(&e.envelope_id, direction, &e.sender_country, &envelope);
        match (&e.error, got) {
            (None, Ok(entry)) => {
                assert_eq!(
                    Some(String::from_utf8(entry.clone()).expect("ASCII")),
                    e.entry
                );
                assert_eq!(Some(super::generate::hex(&leaf_hash(&entry))), e.leaf_hash);
            }
            (Some(code), Err(err)) => assert_eq!(err.code(), code, "{}", e.description),
            (want, got) => panic!("{}: want {want:?}, got {got:?}", e.description),
        }
    }
}

#[derive(Deserialize)]
struct Leaf {
    entry: String,
    leaf_hash: String,
}

#[derive(Deserialize)]
struct Root {
    tree_size: u64,
    root_hash: String,
}

#[derive(Deserialize)]
struct Inclusion {
    #[serde(default)]
    description: String,
    leaf_index: u64,
    tree_size: u64,
    leaf_hash: String,
    audit_path: Vec<String>,
    root_hash: String,
    error: Option<String>,
}

#[derive(Deserialize)]
struct Consistency {
    #[serde(default)]
    description: String,
    old_size: u64,
    new_size: u64,
    old_root: String,
    new_root: String,
    proof: Vec<String>,
    error: Option<String>,
}

#[derive(Deserialize)]
struct Tree {
    leaves: Vec<Leaf>,
    roots: Vec<Root>,
    inclusion: Vec<Inclusion>,
    consistency: Vec<Consistency>,
    invalid_inclusion: Vec<Inclusion>,
    invalid_consistency: Vec<Consistency>,
}

fn tree(dir: &Path) {
    let t: Tree = read(dir, "tree.json");
    let leaves: Vec<Hash> = t
        .leaves
        .iter()
        .map(|l| {
            let h = leaf_hash(l.entry.as_bytes());
            assert_eq!(h, hash(&l.leaf_hash));
            h
        })
        .collect();
    for r in &t.roots {
        let root = sis_ledger::root(&leaves[..r.tree_size as usize]);
        assert_eq!(root, hash(&r.root_hash), "root of {}", r.tree_size);
    }
    let valid = t.inclusion.len() + t.consistency.len();
    assert!(valid > 150, "every proof of the 13-leaf log is there");
    for p in t.inclusion.iter().chain(&t.invalid_inclusion) {
        let proof = InclusionProof {
            index: p.leaf_index,
            size: p.tree_size,
            path: hashes(&p.audit_path),
        };
        let got = proof.verify(&hash(&p.leaf_hash), &hash(&p.root_hash));
        let got = got.map_err(|e| e.code().to_owned()).err();
        assert_eq!(
            got, p.error,
            "inclusion {} {}/{}",
            p.description, p.leaf_index, p.tree_size
        );
    }
    for p in t.consistency.iter().chain(&t.invalid_consistency) {
        let proof = ConsistencyProof {
            old_size: p.old_size,
            new_size: p.new_size,
            path: hashes(&p.proof),
        };
        let got = proof.verify(&hash(&p.old_root), &hash(&p.new_root));
        let got = got.map_err(|e| e.code().to_owned()).err();
        assert_eq!(
            got, p.error,
            "consistency {} {}→{}",
            p.description, p.old_size, p.new_size
        );
    }
}

#[derive(Deserialize)]
struct Expected {
    origin: String,
    tree_size: u64,
    root_hash: String,
    extensions: Vec<String>,
}

#[derive(Deserialize)]
struct CheckpointCase {
    description: String,
    note: String,
    expect: Option<Expected>,
    error: Option<String>,
    timestamp: Option<u64>,
}

fn checkpoints(dir: &Path, keys: &Ready) {
    let v: Valid<CheckpointCase> = read(dir, "checkpoints.json");
    assert!(!v.valid.is_empty() && !v.invalid.is_empty());
    for c in v.valid.iter().chain(&v.invalid) {
        match (
            SignedCheckpoint::open(c.note.as_bytes(), &keys.log),
            &c.expect,
            &c.error,
        ) {
            (Ok(got), Some(want), None) => {
                let got = got.checkpoint();
                assert_eq!(got.origin(), want.origin, "{}", c.description);
                assert_eq!(got.size(), want.tree_size, "{}", c.description);
                assert_eq!(got.root(), &hash(&want.root_hash), "{}", c.description);
                assert_eq!(got.extensions(), want.extensions, "{}", c.description);
            }
            (Err(e), None, Some(code)) => assert_eq!(e.code(), code, "{}", c.description),
            (got, _, want) => panic!("{}: want {want:?}, got {got:?}", c.description),
        }
    }
}

fn cosignatures(dir: &Path, keys: &Ready) {
    let v: Valid<CheckpointCase> = read(dir, "cosignatures.json");
    assert!(!v.valid.is_empty() && !v.invalid.is_empty());
    for c in v.valid.iter().chain(&v.invalid) {
        let signed = SignedCheckpoint::open(c.note.as_bytes(), &keys.log).expect(&c.description);
        let note = Note::parse(c.note.as_bytes()).expect("parsed above");
        let line = note
            .signatures()
            .iter()
            .find(|s| s.is_by(&keys.witness))
            .expect("a line by the witness key");
        let got = Cosignature::from_note_signature(line)
            .and_then(|cs| cs.verify(signed.checkpoint(), &keys.witness).map(|()| cs));
        match (got, &c.error) {
            (Ok(cs), None) => assert_eq!(Some(cs.timestamp()), c.timestamp, "{}", c.description),
            (Err(e), Some(code)) => assert_eq!(e.code(), code, "{}", c.description),
            (got, want) => panic!("{}: want {want:?}, got {got:?}", c.description),
        }
    }
}

#[derive(Deserialize)]
struct WitnessCase {
    description: String,
    last: Option<String>,
    new: String,
    proof: Vec<String>,
    expect: WitnessExpect,
}

#[derive(Deserialize)]
struct WitnessExpect {
    verdict: String,
    error: Option<String>,
    kind: Option<String>,
}

#[derive(Deserialize)]
struct WitnessFile {
    cases: Vec<WitnessCase>,
}

fn witness(dir: &Path, keys: &Ready) {
    let f: WitnessFile = read(dir, "witness.json");
    let witness = Witness {
        log_key: &keys.log,
        cosigner: &keys.cosigner,
    };
    for c in &f.cases {
        let last = c.last.as_ref().map(|n| {
            SignedCheckpoint::open(n.as_bytes(), &keys.log).expect("the last one was cosigned")
        });
        let verdict = witness.observe(1, last.as_ref(), c.new.as_bytes(), &hashes(&c.proof));
        let e = &c.expect;
        match (verdict, e.verdict.as_str()) {
            (Verdict::Cosign { cosignature, .. }, "cosign") => {
                assert_eq!(cosignature.name(), keys.witness.name());
            }
            (Verdict::Refuse(r), "refuse") => {
                assert_eq!(Some(r.code()), e.error.as_deref(), "{}", c.description);
            }
            (Verdict::Fork(ev), "fork") => {
                assert_eq!(
                    Some(ev.kind.as_str()),
                    e.kind.as_deref(),
                    "{}",
                    c.description
                );
                assert_eq!(ev.verify(&keys.log), Ok(()), "{}", c.description);
            }
            (got, want) => panic!("{}: want {want}, got {got:?}", c.description),
        }
    }
}
