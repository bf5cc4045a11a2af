//! Builds the conformance vectors of `tests/vectors/ledger/` from fixed keys and inputs.
//! Ed25519 signatures are deterministic, so the same code always gives the same files.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::{Signer as _, SigningKey};
use serde_json::{Value, json};
use sis_ledger::{
    Checkpoint, Direction, Hash, KeyKind, Note, NoteSignature, SignerKey, cosign, leaf_hash,
    log_entry, prove_inclusion, tree_hash,
};

use crate::common::{Log, envelope_entry, kz_log_key, uz_witness_key};

pub const TREE_SIZE: u64 = 13;
pub const NOW: u64 = 1_790_000_000;

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn hexes(hashes: &[Hash]) -> Vec<String> {
    hashes.iter().map(|h| hex(h)).collect()
}

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).expect("notes are UTF-8")
}

fn log_of(size: u64) -> Log {
    Log::with_envelopes(size)
}

/// Every file: its name and content.
pub fn all() -> Vec<(&'static str, Value)> {
    vec![
        ("keys.json", keys()),
        ("log_entries.json", log_entries()),
        ("tree.json", tree()),
        ("checkpoints.json", checkpoints()),
        ("cosignatures.json", cosignatures()),
        ("witness.json", witness()),
    ]
}

fn keys() -> Value {
    let key = |k: &SignerKey, seed: u8| {
        json!({
            "name": k.verifier().name(),
            "seed_hex": hex(&[seed; 32]),
            "signer_key": k.to_secret_string(),
            "verifier_key": k.verifier().to_string(),
            "key_id_hex": format!("{:08x}", k.verifier().id()),
        })
    };
    json!({
        "description": "Test keys only: their private seeds are public. The log is Kazakhstan's, the witness Uzbekistan's.",
        "log": key(&kz_log_key(), 0x4b),
        "witness": key(&uz_witness_key(), 0x55),
    })
}

fn log_entries() -> Value {
    let valid: Vec<Value> = [
        (
            "0190b0c4-8d5e-7a3b-9c1d-2e3f4a5b6c7d",
            Direction::Sent,
            "KZ",
            "<envelope/>",
        ),
        (
            "0190b0c5-0000-7000-8000-000000000001",
            Direction::Accepted,
            "UZ",
            "<envelope xmlns=\"urn:carec-sis:envelope:1\">Ташкент → Алматы</envelope>",
        ),
    ]
    .into_iter()
    .map(|(id, dir, country, envelope)| {
        let entry = log_entry(id, dir, country, envelope.as_bytes()).expect("valid");
        json!({
            "envelope_id": id,
            "direction": dir.as_str(),
            "sender_country": country,
            "envelope_base64": STANDARD.encode(envelope),
            "entry": text(entry.clone()),
            "leaf_hash": hex(&leaf_hash(&entry)),
        })
    })
    .collect();
    let invalid = json!([
        {"description": "upper-case envelope id", "envelope_id": "0190B0C4-8D5E-7A3B-9C1D-2E3F4A5B6C7D",
         "direction": "sent", "sender_country": "KZ", "envelope_base64": "", "error": "entry.envelope_id"},
        {"description": "envelope id without hyphens", "envelope_id": "0190b0c48d5e7a3b9c1d2e3f4a5b6c7d",
         "direction": "sent", "sender_country": "KZ", "envelope_base64": "", "error": "entry.envelope_id"},
        {"description": "lower-case country", "envelope_id": "0190b0c4-8d5e-7a3b-9c1d-2e3f4a5b6c7d",
         "direction": "sent", "sender_country": "kz", "envelope_base64": "", "error": "entry.country"},
    ]);
    json!({ "valid": valid, "invalid": invalid })
}

fn tree() -> Value {
    let log = log_of(TREE_SIZE);
    let leaves: Vec<Value> = (0..TREE_SIZE)
        .map(|i| {
            let e = envelope_entry(i);
            json!({ "entry": text(e.clone()), "leaf_hash": hex(&leaf_hash(&e)) })
        })
        .collect();
    let root = |n| tree_hash(n, &log.store).expect("stored");
    let roots: Vec<Value> = (0..=TREE_SIZE)
        .map(|n| json!({ "tree_size": n, "root_hash": hex(&root(n)) }))
        .collect();
    let mut inclusion = Vec::new();
    let mut consistency = Vec::new();
    for n in 1..=TREE_SIZE {
        for i in 0..n {
            let p = prove_inclusion(n, i, &log.store).expect("in range");
            inclusion.push(json!({
                "leaf_index": i, "tree_size": n,
                "leaf_hash": hex(&leaf_hash(&envelope_entry(i))),
                "audit_path": hexes(&p.path), "root_hash": hex(&root(n)),
            }));
        }
        for m in 1..=n {
            let p = log_of(n).consistency(m);
            consistency.push(json!({
                "old_size": m, "new_size": n,
                "old_root": hex(&root(m)), "new_root": hex(&root(n)),
                "proof": hexes(&p),
            }));
        }
    }
    json!({
        "description": "The log of the first 13 made-up envelopes of log_entries' format. Hashes in lower-case hex; audit paths leaf to root as RFC 9162 §2.1.3.1 builds them, consistency proofs as §2.1.4.1.",
        "leaves": leaves, "roots": roots,
        "inclusion": inclusion, "consistency": consistency,
        "invalid_inclusion": invalid_inclusion(&log),
        "invalid_consistency": invalid_consistency(&log),
    })
}

fn invalid_inclusion(log: &Log) -> Value {
    let case = |desc: &str, i: u64, n: u64, leaf: Hash, path: &[Hash], root: Hash, error: &str| {
        json!({"description": desc, "leaf_index": i, "tree_size": n, "leaf_hash": hex(&leaf),
               "audit_path": hexes(path), "root_hash": hex(&root), "error": error})
    };
    let root = log.root();
    let leaf = leaf_hash(&envelope_entry(5));
    let path = prove_inclusion(TREE_SIZE, 5, &log.store)
        .expect("in range")
        .path;
    let mut flipped = path.clone();
    flipped[2][31] ^= 1;
    let mut extra = path.clone();
    extra.push(root);
    let other = leaf_hash(&envelope_entry(6));
    json!([
        case(
            "leaf index equal to the tree size",
            13,
            13,
            leaf,
            &path,
            root,
            "proof.index_out_of_range"
        ),
        case(
            "a hash missing from the path",
            5,
            13,
            leaf,
            &path[..3],
            root,
            "proof.wrong_length"
        ),
        case(
            "a hash too many",
            5,
            13,
            leaf,
            &extra,
            root,
            "proof.wrong_length"
        ),
        case(
            "one bit of the path changed",
            5,
            13,
            leaf,
            &flipped,
            root,
            "proof.root_mismatch"
        ),
        case(
            "another leaf",
            5,
            13,
            other,
            &path,
            root,
            "proof.root_mismatch"
        ),
        case(
            "another index",
            4,
            13,
            leaf,
            &path,
            root,
            "proof.root_mismatch"
        ),
    ])
}

fn invalid_consistency(log: &Log) -> Value {
    let case = |desc: &str, m: u64, n: u64, old: Hash, new: Hash, proof: &[Hash], error: &str| {
        json!({"description": desc, "old_size": m, "new_size": n, "old_root": hex(&old),
               "new_root": hex(&new), "proof": hexes(proof), "error": error})
    };
    let (old, new) = (log_of(6).root(), log.root());
    let proof = log.consistency(6);
    let mut flipped = proof.clone();
    flipped[proof.len() - 1][0] ^= 1;
    // A log that rewrote envelope 2 and answers with a proof from its rewritten tree.
    let mut rewritten = Log::default();
    for i in 0..TREE_SIZE {
        rewritten.append(&if i == 2 {
            b"rewritten".to_vec()
        } else {
            envelope_entry(i)
        });
    }
    json!([
        case(
            "from the empty tree",
            0,
            13,
            sis_ledger::tree::root(&[]),
            new,
            &[],
            "proof.empty_old_tree"
        ),
        case(
            "old tree larger than the new",
            13,
            6,
            new,
            old,
            &proof,
            "proof.old_larger_than_new"
        ),
        case(
            "a hash missing",
            6,
            13,
            old,
            new,
            &proof[1..],
            "proof.wrong_length"
        ),
        case(
            "equal sizes with a non-empty proof",
            13,
            13,
            new,
            new,
            &proof[..1],
            "proof.wrong_length"
        ),
        case(
            "one bit of the last hash changed",
            6,
            13,
            old,
            new,
            &flipped,
            "proof.root_mismatch"
        ),
        case(
            "equal sizes, different roots",
            13,
            13,
            rewritten.root(),
            new,
            &[],
            "proof.inconsistent"
        ),
        case(
            "the new tree rewrote an old entry",
            6,
            13,
            old,
            rewritten.root(),
            &rewritten.consistency(6),
            "proof.inconsistent"
        ),
    ])
}

fn checkpoints() -> Value {
    let key = kz_log_key();
    let expect = |log: &Log, ext: &[&str]| {
        json!({"origin": key.verifier().name(), "tree_size": log.size, "root_hash": hex(&log.root()),
               "extensions": ext})
    };
    let mut with_others = log_of(TREE_SIZE).checkpoint(&key);
    let c = cosign(with_others.checkpoint(), &uz_witness_key(), NOW).expect("witness key");
    with_others.add_cosignature(&c);
    let unknown = NoteSignature::new("example.com/unknown", 0x01020304, vec![7; 64]).expect("name");
    let mut note = with_others.note().clone();
    note.add_signature(unknown);
    let extended = Checkpoint::new(key.verifier().name(), 1, log_of(1).root())
        .and_then(|c| c.with_extension("batch 2026-12-05T07:00:00Z"))
        .and_then(|c| c.sign(&key))
        .expect("valid");
    let valid = json!([
        {"description": "the empty log", "note": text(log_of(0).checkpoint(&key).to_bytes()), "expect": expect(&log_of(0), &[])},
        {"description": "one envelope, an extension line", "note": text(extended.to_bytes()),
         "expect": expect(&log_of(1), &["batch 2026-12-05T07:00:00Z"])},
        {"description": "thirteen envelopes, a cosignature and a signature by an unknown key, which are ignored",
         "note": note.to_string(), "expect": expect(&log_of(TREE_SIZE), &[])},
    ]);
    json!({
        "description": "Signed checkpoints of the log in keys.json, opened with its verifier key. Invalid ones give the error code.",
        "valid": valid, "invalid": invalid_checkpoints(&key),
    })
}

/// A note over any text, signed by `key`: how a badly formed checkpoint gets signed.
fn signed_text(text: &str, key: &SignerKey) -> String {
    let mut note = Note::new(text).expect("a note text");
    note.sign(key);
    note.to_string()
}

fn invalid_checkpoints(key: &SignerKey) -> Value {
    let good = text(log_of(5).checkpoint(key).to_bytes());
    let root = STANDARD.encode(log_of(5).root());
    let origin = key.verifier().name();
    let impostor = SignerKey::from_seed(origin, KeyKind::Ed25519, &[0x66; 32]).expect("valid");
    let uz =
        SignerKey::from_seed("carec-sis.org/uz/log", KeyKind::Ed25519, &[0x75; 32]).expect("valid");
    let case = |d: &str, note: String, e: &str| json!({"description": d, "note": note, "error": e});
    json!([
        case(
            "tree size changed after signing",
            good.replacen("\n5\n", "\n6\n", 1),
            "note.invalid_signature"
        ),
        case(
            "signed by another key under the log's name",
            text(log_of(5).checkpoint(&impostor).to_bytes()),
            "note.unverified"
        ),
        case(
            "another country's log",
            text(log_of(5).checkpoint(&uz).to_bytes()),
            "checkpoint.wrong_origin"
        ),
        case(
            "no signature",
            good[..good.find("\n\n").expect("split") + 2].to_owned(),
            "note.no_signature_block"
        ),
        case(
            "a carriage return",
            good.replacen("log\n", "log\r\n", 1),
            "note.control_character"
        ),
        case(
            "a signature line without the em dash",
            good.replacen("— ", "- ", 1),
            "note.signature_prefix"
        ),
        case(
            "size with a leading zero",
            signed_text(&format!("{origin}\n05\n{root}\n"), key),
            "checkpoint.size"
        ),
        case(
            "size that is not a number",
            signed_text(&format!("{origin}\nfive\n{root}\n"), key),
            "checkpoint.size"
        ),
        case(
            "root hash of 31 bytes",
            signed_text(
                &format!("{origin}\n5\n{}\n", STANDARD.encode([0u8; 31])),
                key
            ),
            "checkpoint.root_hash"
        ),
        case(
            "root hash in hex",
            signed_text(&format!("{origin}\n5\n{}\n", hex(&log_of(5).root())), key),
            "checkpoint.root_hash"
        ),
        case(
            "no root hash line",
            signed_text(&format!("{origin}\n5\n"), key),
            "checkpoint.lines"
        ),
    ])
}

fn cosignatures() -> Value {
    let (log_key, witness) = (kz_log_key(), uz_witness_key());
    let signed = log_of(TREE_SIZE).checkpoint(&log_key);
    let c = cosign(signed.checkpoint(), &witness, NOW).expect("witness key");
    let mut good = signed.clone();
    good.add_cosignature(&c);
    let line = c.to_note_signature();
    let with_line = |sig: Vec<u8>| {
        let mut n = signed.note().clone();
        n.add_signature(NoteSignature::new(line.name(), line.key_id(), sig).expect("name"));
        n.to_string()
    };
    let mut later = line.signature().to_vec();
    later[7] ^= 1;
    let other = log_of(TREE_SIZE - 1).checkpoint(&log_key);
    let mut moved = other.note().clone();
    moved.add_signature(line.clone());
    // A timestamp of 2^63, signed as a witness would, beyond what the spec allows.
    let too_late = 1u64 << 63;
    let msg = sis_ledger::cosignature::signed_message(signed.note().text(), too_late);
    let sig = SigningKey::from_bytes(&[0x55; 32]).sign(&msg);
    let mut late = too_late.to_be_bytes().to_vec();
    late.extend_from_slice(&sig.to_bytes());
    let case = |d: &str, note: String, e: &str| json!({"description": d, "note": note, "error": e});
    json!({
        "description": "Checkpoints of the log in keys.json with the witness's cosignature/v1 line; the cosignature is the signature line by the witness key.",
        "valid": [{"description": "cosigned at a time", "note": text(good.to_bytes()), "timestamp": NOW}],
        "invalid": [
            case("timestamp changed after signing", with_line(later), "cosignature.invalid"),
            case("cosignature moved onto another checkpoint", moved.to_string(), "cosignature.invalid"),
            case("a plain Ed25519 signature under the cosigner key", with_line(line.signature()[8..].to_vec()), "cosignature.length"),
            case("timestamp above 2^63 - 1", with_line(late), "cosignature.timestamp"),
        ],
    })
}

fn witness() -> Value {
    let key = kz_log_key();
    let cp = |log: &Log| text(log.checkpoint(&key).to_bytes());
    let (five, thirteen) = (log_of(5), log_of(TREE_SIZE));
    let mut rewritten = Log::default();
    for i in 0..TREE_SIZE {
        rewritten.append(&if i == 2 {
            b"rewritten".to_vec()
        } else {
            envelope_entry(i)
        });
    }
    let mut rewritten5 = Log::default();
    for i in 0..5 {
        rewritten5.append(&if i == 2 {
            b"rewritten".to_vec()
        } else {
            envelope_entry(i)
        });
    }
    let mut bad = thirteen.consistency(5);
    bad[0][0] ^= 1;
    let forged = text(
        thirteen
            .checkpoint(
                &SignerKey::from_seed(key.verifier().name(), KeyKind::Ed25519, &[0x66; 32])
                    .expect("valid"),
            )
            .to_bytes(),
    );
    let case = |d: &str, last: Option<String>, new: String, proof: Vec<Hash>, expect: Value| json!({"description": d, "last": last, "new": new, "proof": hexes(&proof), "expect": expect});
    let cosign = || json!({"verdict": "cosign"});
    let refuse = |e: &str| json!({"verdict": "refuse", "error": e});
    let fork = |k: &str| json!({"verdict": "fork", "kind": k});
    json!({
        "description": "The witness in keys.json decides on a new checkpoint of the log, given the last one it cosigned (null: none yet) and a consistency proof (hex).",
        "cases": [
            case("first checkpoint seen", None, cp(&five), vec![], cosign()),
            case("an extension with its proof", Some(cp(&five)), cp(&thirteen), thirteen.consistency(5), cosign()),
            case("the same checkpoint again", Some(cp(&thirteen)), cp(&thirteen), vec![], cosign()),
            case("a smaller tree", Some(cp(&thirteen)), cp(&five), vec![], refuse("witness.smaller_tree")),
            case("a wrong proof", Some(cp(&five)), cp(&thirteen), bad, refuse("proof.root_mismatch")),
            case("a proof too short", Some(cp(&five)), cp(&thirteen), thirteen.consistency(5)[1..].to_vec(), refuse("proof.wrong_length")),
            case("not signed by the log", Some(cp(&five)), forged, thirteen.consistency(5), refuse("note.unverified")),
            case("same size, another root", Some(cp(&five)), cp(&rewritten5), vec![], fork("same_size_different_root")),
            case("a tree that rewrote history", Some(cp(&five)), cp(&rewritten), rewritten.consistency(5), fork("not_an_extension")),
        ],
    })
}
