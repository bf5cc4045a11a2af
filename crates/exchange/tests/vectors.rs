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

/// The files being written and the cases that name them.
#[derive(Default)]
struct Vectors {
    files: BTreeMap<String, Vec<u8>>,
    cases: Vec<Value>,
}

impl Vectors {
    /// An envelope arriving at UZ from `peer`; returns the case to add fields to.
    fn envelope(&mut self, name: &str, bytes: Vec<u8>, peer: &str, expect: &str) -> &mut Value {
        let file = format!("envelopes/{name}.json");
        self.cases.push(
            json!({"name": name, "kind": "envelope", "file": file, "peer": peer,
            "receiver": "UZ", "now": NOW, "max_size": MAX_SIZE, "expect": expect}),
        );
        self.files.insert(file, bytes);
        self.cases.last_mut().expect("just pushed")
    }

    /// A receipt or error (`kind`) answering valid-letter, which went to UZ.
    fn answer(&mut self, kind: &str, name: &str, bytes: &[u8], expect: &str) {
        let file = format!("{kind}s/{name}.json");
        self.cases.push(
            json!({"name": format!("{kind}-{name}"), "kind": kind, "file": file,
            "answers": "envelopes/valid-letter.json", "recipient": "UZ", "now": NOW,
            "expect": expect}),
        );
        self.files.insert(file, bytes.to_vec());
    }
}

/// The letter's XML with one detail changed: what a tamperer or a careless sender sends.
fn other_xml() -> Vec<u8> {
    String::from_utf8(letter_xml())
        .unwrap()
        .replace("0047712", "0047713")
        .into_bytes()
}

fn accepted_envelopes(v: &mut Vectors) {
    let kz26 = member_key("KZ", "kz-2026");
    v.envelope(
        "valid-letter",
        kz_letter(1).bytes().to_vec(),
        "KZ",
        "accept",
    );
    let bcast = seal(new_letter(2, &["*"]), &kid("kz-2026"), &kz26).unwrap();
    v.envelope("valid-broadcast", bcast.bytes().to_vec(), "KZ", "accept");
    let kz25 = member_key("KZ", "kz-2025");
    let old = seal(new_letter(3, &["UZ"]), &kid("kz-2025"), &kz25).unwrap();
    v.envelope(
        "valid-old-key-inside-its-window",
        old.bytes().to_vec(),
        "KZ",
        "accept",
    );
    let mut h = letter_header(4, "kz-2026");
    h["x-priority"] = "urgent".into();
    h["crit"] = json!(["corr"]);
    let bytes = sign_raw(&h, &letter_xml(), &kz26);
    v.envelope(
        "valid-unknown-field-and-understood-crit",
        bytes,
        "KZ",
        "accept",
    );
}

/// A refused envelope made by changing valid-letter's header: name, test number, the
/// change, the expected code.
type HeaderCase = (&'static str, u16, fn(&mut Value), &'static str);

/// Envelopes refused for their header, signature, size or addressing.
fn refused_envelopes(v: &mut Vectors) {
    let xml = letter_xml();
    let kz26 = member_key("KZ", "kz-2026");
    let valid = kz_letter(1).bytes().to_vec();

    let mut tampered: Value = serde_json::from_slice(&valid).unwrap();
    tampered["payload"] = b64url(&other_xml()).into();
    let tampered = tampered.to_string().into_bytes();
    v.envelope("tampered-payload", tampered, "KZ", "bad_signature");
    let uz_key = member_key("UZ", "uz-2026");
    let forged = sign_raw(&letter_header(5, "kz-2026"), &xml, &uz_key);
    v.envelope("bad-signature", forged, "KZ", "bad_signature");
    let mut late = new_letter(6, &["UZ"]);
    late.created = at("2026-05-01T00:00:00.000Z");
    let late = seal(late, &kid("kz-2025"), &member_key("KZ", "kz-2025")).unwrap();
    v.envelope(
        "key-outside-its-window",
        late.bytes().to_vec(),
        "KZ",
        "key_not_valid_at_created",
    );
    v.envelope("sender-mismatch", valid.clone(), "KG", "sender_mismatch");
    v.envelope("too-large", valid, "KZ", "too_large")["max_size"] = 1024.into();
    let not_us = seal(new_letter(12, &["KG"]), &kid("kz-2026"), &kz26).unwrap();
    v.envelope(
        "not-a-recipient",
        not_us.bytes().to_vec(),
        "KZ",
        "not_a_recipient",
    );

    let header_cases: [HeaderCase; 5] = [
        (
            "unknown-key",
            7,
            |h| h["kid"] = "kz-1999".into(),
            "unknown_key",
        ),
        (
            "unknown-crit",
            8,
            |h| {
                h["crit"] = json!(["exp"]);
                h["exp"] = 1_900_000_000.into();
            },
            "malformed",
        ),
        (
            "malformed-header-missing-corr",
            9,
            |h| {
                h.as_object_mut().unwrap().remove("corr");
            },
            "malformed",
        ),
        (
            "malformed-header-to-not-an-array",
            10,
            |h| h["to"] = "UZ".into(),
            "malformed",
        ),
        (
            "payload-hash-mismatch",
            11,
            |h| {
                h["sha256"] = hex::encode(Sha256::digest(b"other bytes")).into();
            },
            "payload_hash_mismatch",
        ),
    ];
    for (name, n, change, expect) in header_cases {
        let mut h = letter_header(n, "kz-2026");
        change(&mut h);
        v.envelope(name, sign_raw(&h, &xml, &kz26), "KZ", expect);
    }
    let outsider = key("carec-sis test key outsider");
    for (name, country, code) in [
        ("not-member", "CN", "not_member"),
        ("removed-member", "TJ", "removed_member"),
    ] {
        let mut h = letter_header(13, "x-1");
        h["from"] = country.into();
        v.envelope(name, sign_raw(&h, &xml, &outsider), country, code);
    }
}

/// The receipt UZ signed for valid-letter.
fn receipt_body() -> ReceiptBody {
    ReceiptBody::for_envelope(
        &kz_letter(1),
        cc("UZ"),
        at("2026-03-01T08:00:00.250Z"),
        41,
        "uz.sis.test/log\n42\nq6Gu0uJ3sWvGu+9HKbB6Fp+/Bs0gn2kwF7GyvPCqxso=\n\n— uz.sis.test Ab3xJ2k=\n"
            .into(),
    )
}

/// valid-letter sent again, and another letter under its id, to a node holding it.
fn duplicates(v: &mut Vectors) {
    let valid = kz_letter(1).bytes().to_vec();
    let held = json!({"envelope_sha256": hex::encode(envelope_bytes_sha256(&valid)),
        "receipt": "receipts/valid.json"});
    v.envelope("duplicate-same-bytes", valid, "KZ", "duplicate")["held"] = held.clone();
    let mut conflict = new_letter(1, &["UZ"]);
    conflict.payload = other_xml();
    let conflict = seal(conflict, &kid("kz-2026"), &member_key("KZ", "kz-2026")).unwrap();
    let bytes = conflict.bytes().to_vec();
    v.envelope(
        "duplicate-different-bytes",
        bytes,
        "KZ",
        "duplicate_conflict",
    )["held"] = held;
}

fn answers(v: &mut Vectors) {
    let uz26 = member_key("UZ", "uz-2026");
    let uz = kid("uz-2026");
    let receipt = Receipt::seal(receipt_body(), &uz, &uz26);
    v.answer("receipt", "valid", receipt.bytes(), "valid");
    let forged = Receipt::seal(receipt_body(), &uz, &member_key("KG", "kg-2026"));
    v.answer(
        "receipt",
        "forged-by-another-key",
        forged.bytes(),
        "bad_signature",
    );
    let mut wrong = receipt_body();
    wrong.envelope = id(2);
    let wrong = Receipt::seal(wrong, &uz, &uz26);
    v.answer(
        "receipt",
        "for-another-envelope",
        wrong.bytes(),
        "wrong_envelope",
    );
    let mut wrong = receipt_body();
    wrong.sha256 = Sha256::digest(b"other bytes").into();
    let wrong = Receipt::seal(wrong, &uz, &uz26);
    v.answer(
        "receipt",
        "for-another-payload",
        wrong.bytes(),
        "wrong_hash",
    );

    let refusal = Refusal {
        code: ErrorCode::PolicyRefused,
        message: "document type letter is not accepted from KZ".into(),
        envelope: Some(id(1)),
    };
    let unreadable = Refusal::new(ErrorCode::Malformed, "not a JSON object");
    for (name, refusal) in [
        ("policy-refused", refusal),
        ("malformed-without-envelope-id", unreadable),
    ] {
        let body = ErrorBody::from_refusal(&refusal, cc("UZ"), at(NOW));
        v.answer(
            "error",
            name,
            SignedError::seal(body, &uz, &uz26).bytes(),
            "valid",
        );
    }
}

fn trust_lists(v: &mut Vectors) {
    v.files
        .insert("trust-list.json".into(), signed_trust_list().into_bytes());
    let stranger = key("carec-sis test key stranger");
    let by_stranger = TrustList::seal(&trust_content(8), &[(kid("tl-a"), &stranger)]);
    let file = "trust-list-signed-by-a-stranger.json";
    v.files.insert(file.into(), by_stranger.into_bytes());
    v.cases.push(
        json!({"name": "trust-list", "kind": "trust_list", "file": "trust-list.json",
        "threshold": 1, "expect": "valid", "version": 7}),
    );
    v.cases.push(
        json!({"name": "trust-list-signed-by-a-stranger", "kind": "trust_list",
        "file": file, "threshold": 1, "expect": "trust_list_below_threshold"}),
    );
}

/// Every file, by its path under the vectors folder.
fn generate() -> BTreeMap<String, Vec<u8>> {
    let mut v = Vectors::default();
    accepted_envelopes(&mut v);
    refused_envelopes(&mut v);
    duplicates(&mut v);
    answers(&mut v);
    trust_lists(&mut v);
    v.files.insert("keys.json".into(), pretty(&keys_json()));
    v.files.insert("cases.json".into(), pretty(&json!(v.cases)));
    v.files
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
