//! Receipts and signed errors: sealed by the receiver, verified by the sender against the
//! envelope it sent; forged or mismatched ones are typed errors.

mod common;

use common::*;
use sis_exchange::{AnswerError, ErrorBody, ErrorCode, Receipt, ReceiptBody, Refusal, SignedError};

fn receipt_body() -> ReceiptBody {
    ReceiptBody::for_envelope(
        &kz_letter(1),
        cc("UZ"),
        at("2026-03-01T08:00:01.250Z"),
        41,
        "uz.sis.test/log\n42\nAAAA\n\n— uz.sis.test abcd\n".to_owned(),
    )
}

fn uz_seal(body: &ReceiptBody) -> Vec<u8> {
    Receipt::seal(body.clone(), &kid("uz-2026"), &member_key("UZ", "uz-2026"))
        .bytes()
        .to_vec()
}

fn verify(bytes: &[u8]) -> Result<Receipt, AnswerError> {
    Receipt::verify(bytes, &kz_letter(1), cc("UZ"), &trust(), at(NOW))
}

#[test]
fn a_receipt_from_the_recipient_verifies() {
    let r = verify(&uz_seal(&receipt_body())).expect("a genuine receipt");
    assert_eq!(r.body().log_index, 41);
    assert_eq!(r.body().envelope, id(1));
    assert_eq!(r.kid().as_str(), "uz-2026");
}

#[test]
fn forged_or_mismatched_receipts_are_refused_each_with_its_error() {
    let mut other_id = receipt_body();
    other_id.envelope = id(2);
    let mut other_hash = receipt_body();
    other_hash.sha256 = [7; 32];
    let mut other_sender = receipt_body();
    other_sender.from = cc("KG");
    let mut other_signer = receipt_body();
    other_signer.by = cc("KG");
    let forged_by_kg = Receipt::seal(
        receipt_body(),
        &kid("uz-2026"),
        &member_key("KG", "kg-2026"),
    );

    let cases = [
        ("another envelope", uz_seal(&other_id), "wrong_envelope"),
        ("another hash", uz_seal(&other_hash), "wrong_hash"),
        ("another sender", uz_seal(&other_sender), "wrong_sender"),
        ("claims KG signed", uz_seal(&other_signer), "wrong_signer"),
        (
            "KG's key under UZ's kid",
            forged_by_kg.bytes().to_vec(),
            "bad_signature",
        ),
        ("not JSON", b"receipt".to_vec(), "malformed"),
    ];
    for (name, bytes, code) in cases {
        let err = verify(&bytes).expect_err(name);
        assert_eq!(err.code(), code, "{name}: {err}");
    }
}

#[test]
fn a_receipt_signed_by_a_key_expired_now_is_refused() {
    let bytes = uz_seal(&receipt_body());
    let err = Receipt::verify(
        &bytes,
        &kz_letter(1),
        cc("UZ"),
        &trust(),
        at("2027-02-01T00:00:00Z"),
    )
    .unwrap_err();
    assert_eq!(err.code(), "key_not_valid_at_created");
}

#[test]
fn an_envelope_is_not_a_receipt() {
    let err = verify(kz_letter(1).bytes()).unwrap_err();
    assert_eq!(err.code(), "malformed");
    assert!(err.to_string().contains("`typ`"), "{err}");
}

#[test]
fn a_signed_error_round_trips_and_names_its_code() {
    let refusal = Refusal {
        code: ErrorCode::PolicyRefused,
        message: "document type letter is not accepted from KZ".into(),
        envelope: Some(id(1)),
    };
    let body = ErrorBody::from_refusal(&refusal, cc("UZ"), at(NOW));
    let sealed = SignedError::seal(body, &kid("uz-2026"), &member_key("UZ", "uz-2026"));
    let got = SignedError::verify(sealed.bytes(), &kz_letter(1), cc("UZ"), &trust(), at(NOW))
        .expect("a genuine signed error");
    assert_eq!(got.body().known_code(), Some(ErrorCode::PolicyRefused));
    assert_eq!(got.body().envelope, Some(id(1)));

    let for_other = SignedError::verify(sealed.bytes(), &kz_letter(2), cc("UZ"), &trust(), at(NOW));
    assert_eq!(for_other.unwrap_err().code(), "wrong_envelope");
}

#[test]
fn a_signed_error_must_carry_envelope_even_if_null() {
    let key = member_key("UZ", "uz-2026");
    let payload = serde_json::json!({"code": "malformed", "message": "m", "by": "UZ", "at": NOW});
    let header =
        serde_json::json!({"alg": "EdDSA", "kid": "uz-2026", "typ": "carec-sis-error+jws"});
    let bytes = sign_raw(&header, payload.to_string().as_bytes(), &key);
    let err = SignedError::verify(&bytes, &kz_letter(1), cc("UZ"), &trust(), at(NOW)).unwrap_err();
    assert!(err.to_string().contains("envelope"), "{err}");

    let mut with_null = payload.clone();
    with_null["envelope"] = serde_json::Value::Null;
    let bytes = sign_raw(&header, with_null.to_string().as_bytes(), &key);
    let ok = SignedError::verify(&bytes, &kz_letter(1), cc("UZ"), &trust(), at(NOW)).unwrap();
    assert_eq!(ok.body().envelope, None);
}
