//! The test network: deterministic keys (each seed is the SHA-256 of a label, so another
//! implementation can derive them), a trust list, and envelopes between its members.
#![allow(dead_code)]

use ed25519_dalek::SigningKey;
use sha2::{Digest, Sha256};
use sis_customs::CountryCode;
use sis_customs::documents::Document;
use sis_customs::documents::examples::example_official_letter;
use sis_exchange::{
    Audience, DocType, DocumentPolicy, ElementPath, Envelope, KeyId, Member, MemberKey,
    NewEnvelope, Policy, Recipients, TrustList, TrustListContent, TrustListSigner,
    TrustListVerifier, seal,
};
use time::OffsetDateTime;
use uuid::Uuid;

pub fn cc(s: &str) -> CountryCode {
    CountryCode::parse(s).expect("a test country")
}

pub fn at(s: &str) -> OffsetDateTime {
    sis_exchange::timestamp::parse(s).expect("a test time")
}

pub fn kid(s: &str) -> KeyId {
    KeyId::parse(s).expect("a test kid")
}

/// A key pair whose seed is SHA-256 of `label`.
pub fn key(label: &str) -> SigningKey {
    SigningKey::from_bytes(&Sha256::digest(label.as_bytes()).into())
}

/// The members' document-signing keys: (country, kid, seed label, not_before, not_after).
/// KZ rolls over: kz-2025 and kz-2026 overlap through February and March 2026.
pub const MEMBER_KEYS: [(&str, &str, &str, &str, &str); 4] = [
    (
        "KZ",
        "kz-2025",
        "carec-sis test key kz-2025",
        "2025-01-01T00:00:00Z",
        "2026-04-01T00:00:00Z",
    ),
    (
        "KZ",
        "kz-2026",
        "carec-sis test key kz-2026",
        "2026-02-01T00:00:00Z",
        "2027-03-01T00:00:00Z",
    ),
    (
        "UZ",
        "uz-2026",
        "carec-sis test key uz-2026",
        "2026-01-01T00:00:00Z",
        "2027-01-01T00:00:00Z",
    ),
    (
        "KG",
        "kg-2026",
        "carec-sis test key kg-2026",
        "2026-01-01T00:00:00Z",
        "2027-01-01T00:00:00Z",
    ),
];

/// The trust-list signers: (kid, seed label).
pub const TRUST_SIGNERS: [(&str, &str); 2] = [
    ("tl-a", "carec-sis test trust-list signer a"),
    ("tl-b", "carec-sis test trust-list signer b"),
];

/// When the tests happen: inside every key's window, and inside KZ's overlap.
pub const NOW: &str = "2026-03-01T08:00:00.000Z";

pub fn member_key(country: &str, k: &str) -> SigningKey {
    let (_, _, label, _, _) = MEMBER_KEYS
        .iter()
        .find(|(c, id, ..)| *c == country && *id == k)
        .expect("a test member key");
    key(label)
}

pub fn trust_content(version: u64) -> TrustListContent {
    let members = ["KZ", "UZ", "KG"]
        .into_iter()
        .map(|country| Member {
            country: cc(country),
            name: format!("Customs service of {country}"),
            external_url: format!("https://{}.sis.test:9443", country.to_lowercase()),
            tls_ca_pem: format!(
                "-----BEGIN CERTIFICATE-----\nTEST-CA-{country}\n-----END CERTIFICATE-----\n"
            ),
            keys: MEMBER_KEYS
                .iter()
                .filter(|(c, ..)| *c == country)
                .map(|(_, k, label, nb, na)| MemberKey {
                    kid: kid(k),
                    ed25519: key(label).verifying_key(),
                    not_before: at(nb),
                    not_after: at(na),
                })
                .collect(),
            log_key: format!("{}.sis.test+0a1b2c3d+AQ==", country.to_lowercase()),
        })
        .collect();
    TrustListContent {
        version,
        issued: at("2026-01-15T00:00:00Z"),
        members,
        removed: vec![cc("TJ")],
    }
}

pub fn signers() -> Vec<(KeyId, SigningKey)> {
    TRUST_SIGNERS
        .iter()
        .map(|(k, l)| (kid(k), key(l)))
        .collect()
}

/// The verifier every test node configures: both signers, threshold 1.
pub fn verifier() -> TrustListVerifier {
    TrustListVerifier::new(
        signers()
            .into_iter()
            .map(|(kid, k)| TrustListSigner {
                kid,
                key: k.verifying_key(),
            })
            .collect(),
    )
}

/// The trust list, signed by signer a alone.
pub fn signed_trust_list() -> String {
    let s = signers();
    TrustList::seal(&trust_content(7), &[(s[0].0.clone(), &s[0].1)])
}

pub fn trust() -> TrustList {
    TrustList::parse_and_verify(signed_trust_list().as_bytes(), &verifier(), None)
        .expect("the test trust list verifies")
}

pub fn letter_doc() -> DocType {
    DocType::parse("letter").unwrap()
}

/// The official letter of `crates/customs`'s examples, as XML.
pub fn letter_xml() -> Vec<u8> {
    sis_customs::xml::write(&Document::OfficialLetter(example_official_letter())).into_bytes()
}

/// Letters shared with every member, nothing withheld.
pub fn open_policy() -> Policy {
    let mut p = Policy::default();
    p.documents.insert(
        letter_doc(),
        DocumentPolicy {
            share_with: Audience::All,
            accept_from: None,
            withheld: vec![],
        },
    );
    p
}

/// Letters whose attachments' hashes never leave the sender.
pub fn withholding_policy() -> Policy {
    let mut p = open_policy();
    p.documents.get_mut(&letter_doc()).unwrap().withheld =
        vec![ElementPath::parse("OfficialLetter/attachments/attachment/sha256").unwrap()];
    p
}

/// A fixed UUIDv7 for test number `n`.
pub fn id(n: u16) -> Uuid {
    Uuid::parse_str(&format!("01956a3e-8a00-7000-8000-{n:012x}")).unwrap()
}

pub fn corr() -> Uuid {
    Uuid::parse_str("5f0c6a52-2b1e-4f7e-9d7a-3c8e1b2a4d60").unwrap()
}

pub fn new_letter(n: u16, to: &[&str]) -> NewEnvelope {
    NewEnvelope {
        id: id(n),
        doc: letter_doc(),
        from: cc("KZ"),
        to: if to == ["*"] {
            Recipients::All
        } else {
            Recipients::Countries(to.iter().map(|c| cc(c)).collect())
        },
        created: at(NOW),
        corr: corr(),
        payload: letter_xml(),
    }
}

/// A letter from KZ to UZ, signed with kz-2026.
pub fn kz_letter(n: u16) -> Envelope {
    seal(
        new_letter(n, &["UZ"]),
        &kid("kz-2026"),
        &member_key("KZ", "kz-2026"),
    )
    .unwrap()
}

/// The header `seal` writes for a letter from KZ to UZ, as JSON to alter.
pub fn letter_header(n: u16, k: &str) -> serde_json::Value {
    serde_json::json!({
        "alg": "EdDSA",
        "kid": k,
        "typ": "carec-sis-envelope+jws",
        "id": id(n).to_string(),
        "doc": "letter",
        "from": "KZ",
        "to": ["UZ"],
        "created": NOW,
        "corr": corr().to_string(),
        "sha256": hex::encode(Sha256::digest(letter_xml())),
    })
}

/// An envelope with any header at all, signed by `key`: for the cases `seal` refuses to
/// write.
pub fn sign_raw(header: &serde_json::Value, payload: &[u8], key: &SigningKey) -> Vec<u8> {
    sis_exchange::jws::FlattenedJws::sign(header.to_string().as_bytes(), payload, key)
        .to_json()
        .into_bytes()
}
