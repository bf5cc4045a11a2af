//! The conformance vectors in `tests/vectors/exchange/`: one test reads every case from
//! the files and checks its outcome with this crate; another regenerates the files and
//! fails if they differ from what is committed, so code and files cannot drift.
//!
//! Regenerate with `SIS_REGENERATE_VECTORS=1 cargo test -p sis-exchange --test vectors`.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use common::*;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use sis_exchange::inbox::envelope_bytes_sha256;
use sis_exchange::{
    Arrival, Decision, ErrorBody, ErrorCode, Held, KeyId, Peer, Receipt, ReceiptBody, Refusal,
    SignedError, TrustList, TrustListSigner, TrustListVerifier, UnverifiedEnvelope, receive, seal,
};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors/exchange")
}

/// The largest envelope the cases are judged with, except where a case says otherwise.
const MAX_SIZE: usize = 65_536;

/// Every file, by its path under the vectors folder.
fn generate() -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut cases = Vec::new();
    let kz26 = member_key("KZ", "kz-2026");
    let xml = letter_xml();

    let mut envelope = |name: &str, bytes: Vec<u8>, peer: &str, expect: &str, extra: Value| {
        let file = format!("envelopes/{name}.json");
        let mut case = json!({"name": name, "kind": "envelope", "file": file, "peer": peer,
            "receiver": "UZ", "now": NOW, "max_size": MAX_SIZE, "expect": expect});
        if let Value::Object(extra) = extra {
            case.as_object_mut().unwrap().extend(extra);
        }
        cases.push(case);
        files.insert(file, bytes);
    };

    let valid = kz_letter(1).bytes().to_vec();
    envelope("valid-letter", valid.clone(), "KZ", "accept", Value::Null);
    let bcast = seal(new_letter(2, &["*"]), &kid("kz-2026"), &kz26).unwrap();
    envelope(
        "valid-broadcast",
        bcast.bytes().to_vec(),
        "KZ",
        "accept",
        Value::Null,
    );
    let old = seal(
        new_letter(3, &["UZ"]),
        &kid("kz-2025"),
        &member_key("KZ", "kz-2025"),
    )
    .unwrap();
    envelope(
        "valid-old-key-inside-its-window",
        old.bytes().to_vec(),
        "KZ",
        "accept",
        Value::Null,
    );
    let mut h = letter_header(4, "kz-2026");
    h["x-priority"] = "urgent".into();
    h["crit"] = json!(["corr"]);
    envelope(
        "valid-unknown-field-and-understood-crit",
        sign_raw(&h, &xml, &kz26),
        "KZ",
        "accept",
        Value::Null,
    );

    let mut tampered: Value = serde_json::from_slice(&valid).unwrap();
    let other_xml = String::from_utf8(xml.clone())
        .unwrap()
        .replace("0047712", "0047713");
    tampered["payload"] = b64url(other_xml.as_bytes()).into();
    envelope(
        "tampered-payload",
        tampered.to_string().into_bytes(),
        "KZ",
        "bad_signature",
        Value::Null,
    );
    let forged = sign_raw(
        &letter_header(5, "kz-2026"),
        &xml,
        &member_key("UZ", "uz-2026"),
    );
    envelope("bad-signature", forged, "KZ", "bad_signature", Value::Null);
    let mut late = new_letter(6, &["UZ"]);
    late.created = at("2026-05-01T00:00:00.000Z");
    let late = seal(late, &kid("kz-2025"), &member_key("KZ", "kz-2025")).unwrap();
    envelope(
        "key-outside-its-window",
        late.bytes().to_vec(),
        "KZ",
        "key_not_valid_at_created",
        Value::Null,
    );
    envelope(
        "unknown-key",
        sign_raw(&letter_header(7, "kz-1999"), &xml, &kz26),
        "KZ",
        "unknown_key",
        Value::Null,
    );
    envelope(
        "sender-mismatch",
        valid.clone(),
        "KG",
        "sender_mismatch",
        Value::Null,
    );
    let mut h = letter_header(8, "kz-2026");
    h["crit"] = json!(["exp"]);
    h["exp"] = 1_900_000_000.into();
    envelope(
        "unknown-crit",
        sign_raw(&h, &xml, &kz26),
        "KZ",
        "malformed",
        Value::Null,
    );
    let mut h = letter_header(9, "kz-2026");
    h.as_object_mut().unwrap().remove("corr");
    envelope(
        "malformed-header-missing-corr",
        sign_raw(&h, &xml, &kz26),
        "KZ",
        "malformed",
        Value::Null,
    );
    let mut h = letter_header(10, "kz-2026");
    h["to"] = "UZ".into();
    envelope(
        "malformed-header-to-not-an-array",
        sign_raw(&h, &xml, &kz26),
        "KZ",
        "malformed",
        Value::Null,
    );
    let mut h = letter_header(11, "kz-2026");
    h["sha256"] = hex::encode(Sha256::digest(b"other bytes")).into();
    envelope(
        "payload-hash-mismatch",
        sign_raw(&h, &xml, &kz26),
        "KZ",
        "payload_hash_mismatch",
        Value::Null,
    );
    let not_us = seal(new_letter(12, &["KG"]), &kid("kz-2026"), &kz26).unwrap();
    envelope(
        "not-a-recipient",
        not_us.bytes().to_vec(),
        "KZ",
        "not_a_recipient",
        Value::Null,
    );
    for (name, country, code) in [
        ("not-member", "CN", "not_member"),
        ("removed-member", "TJ", "removed_member"),
    ] {
        let mut h = letter_header(13, "x-1");
        h["from"] = country.into();
        envelope(
            name,
            sign_raw(&h, &xml, &key("carec-sis test key outsider")),
            country,
            code,
            Value::Null,
        );
    }
    envelope(
        "too-large",
        valid.clone(),
        "KZ",
        "too_large",
        json!({"max_size": 1024}),
    );

    // The receipt UZ signed for valid-letter; a replay gets it back.
    let receipt_body = ReceiptBody::for_envelope(
        &kz_letter(1),
        cc("UZ"),
        at("2026-03-01T08:00:00.250Z"),
        41,
        "uz.sis.test/log\n42\nq6Gu0uJ3sWvGu+9HKbB6Fp+/Bs0gn2kwF7GyvPCqxso=\n\n— uz.sis.test Ab3xJ2k=\n".into(),
    );
    let uz26 = member_key("UZ", "uz-2026");
    let receipt = Receipt::seal(receipt_body.clone(), &kid("uz-2026"), &uz26);
    let held = json!({"envelope_sha256": hex::encode(envelope_bytes_sha256(&valid)),
        "receipt": "receipts/valid.json"});
    envelope(
        "duplicate-same-bytes",
        valid.clone(),
        "KZ",
        "duplicate",
        json!({"held": held}),
    );
    let mut conflict = new_letter(1, &["UZ"]);
    conflict.payload = other_xml.clone().into_bytes();
    let conflict = seal(conflict, &kid("kz-2026"), &kz26).unwrap();
    envelope(
        "duplicate-different-bytes",
        conflict.bytes().to_vec(),
        "KZ",
        "duplicate_conflict",
        json!({"held": held}),
    );

    let mut answer = |kind: &str, name: &str, bytes: Vec<u8>, expect: &str| {
        let file = format!("{kind}s/{name}.json");
        cases.push(json!({"name": format!("{kind}-{name}"), "kind": kind, "file": file,
            "answers": "envelopes/valid-letter.json", "recipient": "UZ", "now": NOW, "expect": expect}));
        files.insert(file, bytes);
    };
    answer("receipt", "valid", receipt.bytes().to_vec(), "valid");
    let forged = Receipt::seal(
        receipt_body.clone(),
        &kid("uz-2026"),
        &member_key("KG", "kg-2026"),
    );
    answer(
        "receipt",
        "forged-by-another-key",
        forged.bytes().to_vec(),
        "bad_signature",
    );
    let mut wrong = receipt_body.clone();
    wrong.envelope = id(2);
    answer(
        "receipt",
        "for-another-envelope",
        Receipt::seal(wrong, &kid("uz-2026"), &uz26)
            .bytes()
            .to_vec(),
        "wrong_envelope",
    );
    let mut wrong = receipt_body.clone();
    wrong.sha256 = Sha256::digest(b"other bytes").into();
    answer(
        "receipt",
        "for-another-payload",
        Receipt::seal(wrong, &kid("uz-2026"), &uz26)
            .bytes()
            .to_vec(),
        "wrong_hash",
    );

    let refusal = Refusal {
        code: ErrorCode::PolicyRefused,
        message: "document type letter is not accepted from KZ".into(),
        envelope: Some(id(1)),
    };
    let err = SignedError::seal(
        ErrorBody::from_refusal(&refusal, cc("UZ"), at(NOW)),
        &kid("uz-2026"),
        &uz26,
    );
    answer("error", "policy-refused", err.bytes().to_vec(), "valid");
    let unreadable = Refusal::new(ErrorCode::Malformed, "not a JSON object");
    let err = SignedError::seal(
        ErrorBody::from_refusal(&unreadable, cc("UZ"), at(NOW)),
        &kid("uz-2026"),
        &uz26,
    );
    answer(
        "error",
        "malformed-without-envelope-id",
        err.bytes().to_vec(),
        "valid",
    );

    files.insert("trust-list.json".into(), signed_trust_list().into_bytes());
    let stranger = key("carec-sis test key stranger");
    let by_stranger = TrustList::seal(&trust_content(8), &[(kid("tl-a"), &stranger)]);
    files.insert(
        "trust-list-signed-by-a-stranger.json".into(),
        by_stranger.into_bytes(),
    );
    cases.push(
        json!({"name": "trust-list", "kind": "trust_list", "file": "trust-list.json",
        "threshold": 1, "expect": "valid", "version": 7}),
    );
    cases.push(
        json!({"name": "trust-list-signed-by-a-stranger", "kind": "trust_list",
        "file": "trust-list-signed-by-a-stranger.json", "threshold": 1,
        "expect": "trust_list_below_threshold"}),
    );

    files.insert("keys.json".into(), pretty(&keys_json()));
    files.insert("cases.json".into(), pretty(&json!(cases)));
    files
}

fn pretty(v: &Value) -> Vec<u8> {
    let mut s = serde_json::to_string_pretty(v).unwrap();
    s.push('\n');
    s.into_bytes()
}

fn b64url(b: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

fn keys_json() -> Value {
    let b64 = |k: &ed25519_dalek::SigningKey| {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(k.verifying_key().as_bytes())
    };
    let signers: Vec<_> = TRUST_SIGNERS
        .iter()
        .map(|(k, label)| {
            json!({"kid": k, "seed_label": label,
            "seed_hex": hex::encode(key(label).to_bytes()), "ed25519": b64(&key(label))})
        })
        .collect();
    let members: Vec<_> = MEMBER_KEYS
        .iter()
        .map(|(c, k, label, nb, na)| {
            json!({"country": c, "kid": k, "seed_label": label,
            "seed_hex": hex::encode(key(label).to_bytes()), "ed25519": b64(&key(label)),
            "not_before": nb, "not_after": na})
        })
        .collect();
    json!({"note": "Each seed is SHA-256 of its seed_label (UTF-8); test keys only.",
        "trust_list_signers": signers, "member_keys": members})
}

#[test]
fn the_committed_vectors_are_what_the_code_writes() {
    let files = generate();
    if std::env::var_os("SIS_REGENERATE_VECTORS").is_some() {
        for (path, bytes) in &files {
            let path = dir().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
    }
    for (path, bytes) in &files {
        let on_disk = std::fs::read(dir().join(path))
            .unwrap_or_else(|e| panic!("{path}: {e}; regenerate the vectors (see this file)"));
        // The signed files must match to the byte; the two index files, written with
        // json!, are compared as JSON so that key order cannot matter.
        let same = if path == "cases.json" || path == "keys.json" {
            serde_json::from_slice::<Value>(&on_disk).ok()
                == Some(serde_json::from_slice::<Value>(bytes).unwrap())
        } else {
            &on_disk == bytes
        };
        assert!(same, "{path} differs from what the code writes; regenerate");
    }
}

fn read(path: &str) -> Vec<u8> {
    std::fs::read(dir().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn s<'a>(case: &'a Value, field: &str) -> &'a str {
    case[field]
        .as_str()
        .unwrap_or_else(|| panic!("case field {field}: {case}"))
}

/// The trust-list signers, taken from keys.json, not from the code that signed.
fn verifier_from_files() -> TrustListVerifier {
    let keys: Value = serde_json::from_slice(&read("keys.json")).unwrap();
    let signers = keys["trust_list_signers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            use base64::Engine as _;
            let raw = base64::engine::general_purpose::STANDARD
                .decode(s(k, "ed25519"))
                .unwrap();
            TrustListSigner {
                kid: KeyId::parse(s(k, "kid")).unwrap(),
                key: ed25519_dalek::VerifyingKey::from_bytes(&raw.try_into().unwrap()).unwrap(),
            }
        })
        .collect();
    TrustListVerifier::new(signers)
}

#[test]
fn every_vector_has_its_expected_outcome() {
    let cases: Vec<Value> = serde_json::from_slice(&read("cases.json")).unwrap();
    let verifier = verifier_from_files();
    let trust = TrustList::parse_and_verify(&read("trust-list.json"), &verifier, None)
        .expect("the committed trust list verifies with the committed signer keys");
    let policy = open_policy();
    let mut seen_codes = std::collections::BTreeSet::new();
    for case in &cases {
        let name = s(case, "name");
        let bytes = read(s(case, "file"));
        let outcome = match s(case, "kind") {
            "envelope" => {
                let held = case.get("held").map(|h| Held {
                    envelope_sha256: hex::decode(s(h, "envelope_sha256"))
                        .unwrap()
                        .try_into()
                        .unwrap(),
                    receipt: read(s(h, "receipt")),
                });
                let arrival = Arrival {
                    trust: &trust,
                    peer: Peer(cc(s(case, "peer"))),
                    us: cc(s(case, "receiver")),
                    bytes: &bytes,
                    max_size: case["max_size"].as_u64().unwrap() as usize,
                    policy: &policy,
                };
                let expected_receipt = held.as_ref().map(|h| h.receipt.clone());
                match receive(arrival, |_| held, |_, _| Ok(())) {
                    Decision::Accept(env) => {
                        assert_eq!(env.bytes(), bytes.as_slice(), "{name}");
                        "accept".to_owned()
                    }
                    Decision::Duplicate { receipt } => {
                        assert_eq!(Some(receipt), expected_receipt, "{name}");
                        "duplicate".to_owned()
                    }
                    Decision::Refuse(r) => r.code.as_str().to_owned(),
                    other => panic!("{name}: {other:?}"),
                }
            }
            kind @ ("receipt" | "error") => {
                let sent_bytes = read(s(case, "answers"));
                let sent = UnverifiedEnvelope::parse(&sent_bytes)
                    .unwrap()
                    .verify(&trust)
                    .unwrap();
                let (recipient, now) = (cc(s(case, "recipient")), at(s(case, "now")));
                let result = if kind == "receipt" {
                    Receipt::verify(&bytes, &sent, recipient, &trust, now).map(|_| ())
                } else {
                    SignedError::verify(&bytes, &sent, recipient, &trust, now).map(|_| ())
                };
                match result {
                    Ok(()) => "valid".to_owned(),
                    Err(e) => e.code().to_owned(),
                }
            }
            "trust_list" => {
                let v = TrustListVerifier {
                    threshold: case["threshold"].as_u64().unwrap() as usize,
                    ..verifier.clone()
                };
                match TrustList::parse_and_verify(&bytes, &v, None) {
                    Ok(list) => {
                        assert_eq!(Some(list.version()), case["version"].as_u64(), "{name}");
                        "valid".to_owned()
                    }
                    Err(e) => e.code().to_owned(),
                }
            }
            other => panic!("{name}: unknown kind {other}"),
        };
        assert_eq!(outcome, s(case, "expect"), "case {name}");
        seen_codes.insert(outcome);
    }
    for code in [
        "bad_signature",
        "key_not_valid_at_created",
        "sender_mismatch",
        "malformed",
        "duplicate_conflict",
        "duplicate",
        "accept",
        "wrong_envelope",
        "wrong_hash",
    ] {
        assert!(seen_codes.contains(code), "no vector exercises {code}");
    }
}
