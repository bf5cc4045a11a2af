//! The receiving decision: each refusal with its code, and the order the checks run in.

mod common;

use common::*;
use sis_exchange::inbox::envelope_bytes_sha256;
use sis_exchange::{
    Arrival, Decision, DocType, ErrorCode, Held, InvalidPayload, Peer, Policy, TrustList, receive,
};

struct Node {
    trust: TrustList,
    policy: Policy,
    us: &'static str,
}

impl Node {
    fn uz() -> Node {
        Node {
            trust: trust(),
            policy: open_policy(),
            us: "UZ",
        }
    }

    fn receive_from(&self, peer: &str, bytes: &[u8], held: Option<Held>) -> Decision {
        let arrival = Arrival {
            trust: &self.trust,
            peer: Peer(cc(peer)),
            us: cc(self.us),
            bytes,
            max_size: 1 << 20,
            policy: &self.policy,
        };
        receive(arrival, |_| held, xml_is_a_document)
    }

    /// The code it refuses with, and the message; panics on anything but a refusal.
    fn refusal(&self, peer: &str, bytes: &[u8]) -> (ErrorCode, String) {
        match self.receive_from(peer, bytes, None) {
            Decision::Refuse(r) => (r.code, r.message),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }
}

/// The node's XSD hook, here the customs reader, which checks a document's structure.
fn xml_is_a_document(_doc: &DocType, xml: &[u8]) -> Result<(), InvalidPayload> {
    sis_customs::xml::read(xml)
        .map(|_| ())
        .map_err(|e| InvalidPayload(e.to_string()))
}

#[test]
fn a_letter_signed_by_its_sender_is_accepted_with_its_exact_bytes() {
    let sent = kz_letter(1);
    match Node::uz().receive_from("KZ", sent.bytes(), None) {
        Decision::Accept(env) => {
            assert_eq!(env.id(), id(1));
            assert_eq!(env.payload(), letter_xml().as_slice());
            assert_eq!(env.bytes(), sent.bytes(), "stored as received");
            assert_eq!(env.header().corr, corr());
        }
        other => panic!("refused a valid letter: {other:?}"),
    }
}

#[test]
fn the_old_key_still_verifies_inside_its_window_after_rollover() {
    let old = sis_exchange::seal(
        new_letter(2, &["UZ"]),
        &kid("kz-2025"),
        &member_key("KZ", "kz-2025"),
    )
    .unwrap();
    assert!(matches!(
        Node::uz().receive_from("KZ", old.bytes(), None),
        Decision::Accept(_)
    ));
}

#[test]
fn a_key_outside_its_window_is_refused() {
    let mut late = new_letter(3, &["UZ"]);
    late.created = at("2026-05-01T00:00:00Z");
    let env = sis_exchange::seal(late, &kid("kz-2025"), &member_key("KZ", "kz-2025")).unwrap();
    let (code, message) = Node::uz().refusal("KZ", env.bytes());
    assert_eq!(code, ErrorCode::KeyNotValidAtCreated, "{message}");
    assert!(message.contains("kz-2025"), "{message}");
}

#[test]
fn each_refusal_has_its_code() {
    let node = Node::uz();
    let kz = member_key("KZ", "kz-2026");
    let xml = letter_xml();
    let with = |field: &str, value: serde_json::Value| {
        let mut h = letter_header(10, "kz-2026");
        h[field] = value;
        sign_raw(&h, &xml, &kz)
    };
    let cases: Vec<(&str, &str, Vec<u8>, ErrorCode)> = vec![
        ("not JSON", "KZ", b"<xml/>".to_vec(), ErrorCode::Malformed),
        (
            "sender mismatch",
            "KG",
            kz_letter(10).bytes().to_vec(),
            ErrorCode::SenderMismatch,
        ),
        (
            "unknown kid",
            "KZ",
            with("kid", "kz-1999".into()),
            ErrorCode::UnknownKey,
        ),
        (
            "signed by UZ's key under KZ's kid",
            "KZ",
            sign_raw(
                &letter_header(10, "kz-2026"),
                &xml,
                &member_key("UZ", "uz-2026"),
            ),
            ErrorCode::BadSignature,
        ),
        (
            "hash of other bytes",
            "KZ",
            with("sha256", hex::encode([0u8; 32]).into()),
            ErrorCode::PayloadHashMismatch,
        ),
        (
            "to KG only",
            "KZ",
            with("to", serde_json::json!(["KG"])),
            ErrorCode::NotARecipient,
        ),
        (
            "unknown crit",
            "KZ",
            with("crit", serde_json::json!(["exp"])),
            ErrorCode::Malformed,
        ),
        (
            "id not v7",
            "KZ",
            with("id", "5f0c6a52-2b1e-4f7e-9d7a-3c8e1b2a4d60".into()),
            ErrorCode::Malformed,
        ),
    ];
    for (name, peer, bytes, expected) in cases {
        let (code, message) = node.refusal(peer, &bytes);
        assert_eq!(code, expected, "{name}: {message}");
    }
}

#[test]
fn a_tampered_payload_fails_the_signature() {
    let sent = kz_letter(11);
    let text = String::from_utf8(sent.bytes().to_vec()).unwrap();
    let mut jws: serde_json::Value = serde_json::from_str(&text).unwrap();
    let xml = String::from_utf8(letter_xml())
        .unwrap()
        .replace("0047712", "0047713");
    jws["payload"] = base64url(xml.as_bytes()).into();
    let (code, _) = Node::uz().refusal("KZ", jws.to_string().as_bytes());
    assert_eq!(code, ErrorCode::BadSignature);
}

fn base64url(b: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

#[test]
fn a_missing_or_ill_typed_field_is_refused_by_name() {
    let kz = member_key("KZ", "kz-2026");
    for (field, value, says) in [
        ("corr", None, "`corr`: missing"),
        (
            "created",
            Some(serde_json::json!(1772352000)),
            "`created`: must be a string",
        ),
        (
            "created",
            Some("yesterday".into()),
            "`created`: must be an RFC 3339 date-time",
        ),
        (
            "from",
            Some("kz".into()),
            "`from`: \"kz\" is not an ISO 3166-1 alpha-2 country code",
        ),
        (
            "to",
            Some(serde_json::json!([])),
            "`to`: must name at least one recipient",
        ),
        (
            "to",
            Some(serde_json::json!(["*", "UZ"])),
            "`to`: `*` must be the only entry",
        ),
        (
            "typ",
            Some("JWT".into()),
            "`typ`: must be \"carec-sis-envelope+jws\", not \"JWT\"",
        ),
    ] {
        let mut h = letter_header(12, "kz-2026");
        match value {
            Some(v) => h[field] = v,
            None => {
                h.as_object_mut().unwrap().remove(field);
            }
        }
        let (code, message) = Node::uz().refusal("KZ", &sign_raw(&h, &letter_xml(), &kz));
        assert_eq!(code, ErrorCode::Malformed);
        assert_eq!(message, says);
    }
}

#[test]
fn unknown_header_fields_are_kept_and_ignored() {
    let mut h = letter_header(13, "kz-2026");
    h["priority"] = "urgent".into();
    let bytes = sign_raw(&h, &letter_xml(), &member_key("KZ", "kz-2026"));
    match Node::uz().receive_from("KZ", &bytes, None) {
        Decision::Accept(env) => assert_eq!(env.header().extra["priority"], "urgent"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_sender_is_checked_against_the_peer_before_the_body_is_trusted() {
    // From KG's TLS connection, claiming KZ, with a signature that would fail anyway and
    // too for a country not in the list: the peer mismatch is what is reported.
    let forged = sign_raw(
        &letter_header(14, "kz-2026"),
        &letter_xml(),
        &member_key("KG", "kg-2026"),
    );
    assert_eq!(
        Node::uz().refusal("KG", &forged).0,
        ErrorCode::SenderMismatch
    );
}

#[test]
fn size_is_checked_before_parsing() {
    let node = Node {
        policy: open_policy(),
        trust: trust(),
        us: "UZ",
    };
    let arrival = Arrival {
        trust: &node.trust,
        peer: Peer(cc("KZ")),
        us: cc("UZ"),
        bytes: &[b'x'; 101],
        max_size: 100,
        policy: &node.policy,
    };
    let Decision::Refuse(r) = receive(arrival, |_| None, xml_is_a_document) else {
        panic!("accepted 101 bytes with a limit of 100")
    };
    assert_eq!(r.code, ErrorCode::TooLarge);
}

#[test]
fn non_members_and_removed_members_are_refused() {
    let node = Node::uz();
    for (country, expected) in [
        ("CN", ErrorCode::NotMember),
        ("TJ", ErrorCode::RemovedMember),
    ] {
        let mut h = letter_header(15, "x-1");
        h["from"] = country.into();
        let bytes = sign_raw(&h, &letter_xml(), &key("not in any list"));
        assert_eq!(node.refusal(country, &bytes).0, expected, "{country}");
    }
}

#[test]
fn broadcast_reaches_every_member() {
    let env = sis_exchange::seal(
        new_letter(16, &["*"]),
        &kid("kz-2026"),
        &member_key("KZ", "kz-2026"),
    )
    .unwrap();
    assert!(matches!(
        Node::uz().receive_from("KZ", env.bytes(), None),
        Decision::Accept(_)
    ));
}

#[test]
fn an_invalid_payload_is_refused_by_the_hook() {
    let mut new = new_letter(17, &["UZ"]);
    new.payload = b"<OfficialLetter xmlns=\"urn:carec:sis:2026\" version=\"1\"/>".to_vec();
    let env = sis_exchange::seal(new, &kid("kz-2026"), &member_key("KZ", "kz-2026")).unwrap();
    let (code, message) = Node::uz().refusal("KZ", env.bytes());
    assert_eq!(code, ErrorCode::PayloadInvalid, "{message}");
}

#[test]
fn the_policy_refuses_what_the_sender_should_have_withheld() {
    let mut node = Node::uz();
    node.policy = withholding_policy();
    let (code, message) = node.refusal("KZ", kz_letter(18).bytes());
    assert_eq!(code, ErrorCode::PolicyRefused);
    assert!(
        message.contains("OfficialLetter/attachments/attachment/sha256"),
        "{message}"
    );

    node.policy = Policy::default();
    let (code, message) = node.refusal("KZ", kz_letter(18).bytes());
    assert_eq!(code, ErrorCode::PolicyRefused);
    assert_eq!(message, "document type letter is not accepted");
}

#[test]
fn a_duplicate_gets_the_original_receipt_and_a_conflict_is_refused() {
    let node = Node::uz();
    let first = kz_letter(19);
    let held = Held {
        envelope_sha256: envelope_bytes_sha256(first.bytes()),
        receipt: b"the original receipt".to_vec(),
    };
    match node.receive_from("KZ", first.bytes(), Some(held.clone())) {
        Decision::Duplicate { receipt } => assert_eq!(receipt, b"the original receipt"),
        other => panic!("a replay was not a duplicate: {other:?}"),
    }

    let mut other = new_letter(19, &["UZ"]);
    other.payload = String::from_utf8(letter_xml())
        .unwrap()
        .replace("0047712", "0047799")
        .into_bytes();
    let second = sis_exchange::seal(other, &kid("kz-2026"), &member_key("KZ", "kz-2026")).unwrap();
    let Decision::Refuse(r) = node.receive_from("KZ", second.bytes(), Some(held)) else {
        panic!("different bytes under a held id were not refused")
    };
    assert_eq!(r.code, ErrorCode::DuplicateConflict);
    assert_eq!(r.envelope, Some(id(19)));
}

#[test]
fn every_truncation_of_an_envelope_is_refused_as_malformed() {
    // A cheap stand-in for the fuzz target: cut anywhere, the bytes are refused with a
    // code, never accepted and never a panic.
    let node = Node::uz();
    let bytes = kz_letter(20).bytes().to_vec();
    for len in 0..bytes.len() {
        let (code, message) = node.refusal("KZ", &bytes[..len]);
        assert_eq!(code, ErrorCode::Malformed, "cut at {len}: {message}");
    }
}
