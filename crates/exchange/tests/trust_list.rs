//! The trust list: threshold signatures from configured signers, versions that never go
//! back, key windows.

mod common;

use common::*;
use sis_exchange::{KeyError, TrustList, TrustListVerifier};

#[test]
fn a_list_signed_by_a_configured_signer_is_accepted() {
    let list = trust();
    assert_eq!(list.version(), 7);
    assert!(list.is_member(cc("KZ")));
    assert!(!list.is_member(cc("CN")));
    assert!(!list.is_member(cc("TJ")), "removed is not a member");
    assert_eq!(list.raw(), signed_trust_list().as_bytes());
}

#[test]
fn the_threshold_counts_distinct_configured_signers() {
    let s = signers();
    let one = TrustList::seal(&trust_content(7), &[(s[0].0.clone(), &s[0].1)]);
    let same_twice = TrustList::seal(
        &trust_content(7),
        &[(s[0].0.clone(), &s[0].1), (s[0].0.clone(), &s[0].1)],
    );
    let both = TrustList::seal(
        &trust_content(7),
        &[(s[0].0.clone(), &s[0].1), (s[1].0.clone(), &s[1].1)],
    );
    let stranger = key("a stranger");
    let by_stranger = TrustList::seal(&trust_content(7), &[(kid("tl-a"), &stranger)]);

    let two = TrustListVerifier {
        threshold: 2,
        ..verifier()
    };
    let outcome = |bytes: &str, v: &TrustListVerifier| {
        TrustList::parse_and_verify(bytes.as_bytes(), v, None).map_err(|e| e.code())
    };
    assert!(outcome(&one, &verifier()).is_ok());
    assert_eq!(outcome(&one, &two), Err("trust_list_below_threshold"));
    assert_eq!(
        outcome(&same_twice, &two),
        Err("trust_list_below_threshold")
    );
    assert!(outcome(&both, &two).is_ok());
    assert_eq!(
        outcome(&by_stranger, &verifier()),
        Err("trust_list_below_threshold")
    );
}

#[test]
fn the_version_never_goes_back() {
    let s = signers();
    let current = trust();
    let seal = |v| TrustList::seal(&trust_content(v), &[(s[0].0.clone(), &s[0].1)]);
    let older = TrustList::parse_and_verify(seal(6).as_bytes(), &verifier(), Some(&current));
    assert_eq!(older.unwrap_err().code(), "trust_list_version_went_back");
    TrustList::parse_and_verify(seal(7).as_bytes(), &verifier(), Some(&current))
        .expect("reloading the same list is fine");
    let mut changed = trust_content(7);
    changed.members.pop();
    let reused = TrustList::seal(&changed, &[(s[0].0.clone(), &s[0].1)]);
    let err = TrustList::parse_and_verify(reused.as_bytes(), &verifier(), Some(&current));
    assert_eq!(err.unwrap_err().code(), "trust_list_version_reused");
    TrustList::parse_and_verify(seal(8).as_bytes(), &verifier(), Some(&current))
        .expect("a newer list is accepted");
}

#[test]
fn keys_are_valid_inside_their_window_only() {
    let list = trust();
    let kz = cc("KZ");
    let k25 = kid("kz-2025");
    let k26 = kid("kz-2026");
    // Inside the overlap both keys are valid; before and after it only one.
    assert!(
        list.key_for(kz, &k25, at("2026-03-31T23:59:59.999Z"))
            .is_ok()
    );
    assert!(
        list.key_for(kz, &k26, at("2026-03-31T23:59:59.999Z"))
            .is_ok()
    );
    assert!(
        matches!(
            list.key_for(kz, &k25, at("2026-04-01T00:00:00Z")),
            Err(KeyError::NotValidAt { .. })
        ),
        "not_after is exclusive"
    );
    assert!(matches!(
        list.key_for(kz, &k26, at("2026-01-31T23:59:59Z")),
        Err(KeyError::NotValidAt { .. })
    ));
    assert!(
        list.key_for(kz, &k26, at("2026-02-01T00:00:00Z")).is_ok(),
        "not_before is inclusive"
    );
    assert!(
        matches!(
            list.key_for(kz, &kid("uz-2026"), at(NOW)),
            Err(KeyError::UnknownKey { .. })
        ),
        "a kid is looked up within the country's own keys"
    );
    assert_eq!(
        list.key_for(kz, &k26, at(NOW)).unwrap(),
        &member_key("KZ", "kz-2026").verifying_key()
    );
}

#[test]
fn invalid_content_is_refused_naming_the_field() {
    let s = signers();
    let seal_json = |json: &serde_json::Value| {
        let content: sis_exchange::TrustListContent = serde_json::from_value(json.clone()).unwrap();
        TrustList::seal(&content, &[(s[0].0.clone(), &s[0].1)])
    };
    let good = serde_json::to_value(trust_content(7)).unwrap();

    let mut twice = good.clone();
    let first = twice["members"][0].clone();
    twice["members"].as_array_mut().unwrap().push(first);
    let err =
        TrustList::parse_and_verify(seal_json(&twice).as_bytes(), &verifier(), None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "content: `members[3].country`: KZ is listed twice"
    );

    let mut window = good.clone();
    window["members"][0]["keys"][0]["not_after"] = "2024-01-01T00:00:00.000Z".into();
    let err =
        TrustList::parse_and_verify(seal_json(&window).as_bytes(), &verifier(), None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "content: `members[0].keys[0].not_after`: must be after not_before"
    );
}

#[test]
fn an_ill_typed_field_is_named_by_its_path() {
    // Signed as raw JSON, since the typed content cannot hold the error.
    let s = signers();
    let mut json = serde_json::to_value(trust_content(7)).unwrap();
    json["members"][1]["keys"][0]["ed25519"] = "not base64!".into();
    let payload = json.to_string();
    let header =
        serde_json::json!({"alg": "EdDSA", "kid": "tl-a", "typ": "carec-sis-trust-list+jws"});
    let jws = sis_exchange::jws::GeneralJws::sign(
        payload.as_bytes(),
        &[(header.to_string().into_bytes(), &s[0].1)],
    );
    let err = TrustList::parse_and_verify(jws.to_json().as_bytes(), &verifier(), None).unwrap_err();
    assert_eq!(err.code(), "trust_list_invalid");
    assert!(
        err.to_string().contains("members[1].keys[0].ed25519"),
        "{err}"
    );
}
