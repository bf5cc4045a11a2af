//! An envelope from a peer node: any bytes must be accepted, answered as a duplicate or
//! refused with a code, never panic; and only an envelope from the peer whose signature
//! verifies is accepted.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sis_customs::CountryCode;
use sis_exchange::{
    Arrival, Decision, KeyId, Peer, Policy, TrustList, TrustListSigner, TrustListVerifier,
    receive,
};
use std::sync::LazyLock;

static TRUST: LazyLock<TrustList> = LazyLock::new(|| {
    // The conformance vectors' trust list and its signer (tl-a, whose public key is in
    // tests/vectors/exchange/keys.json).
    let list = include_bytes!("../../tests/vectors/exchange/trust-list.json");
    let keys: serde_json::Value =
        serde_json::from_slice(include_bytes!("../../tests/vectors/exchange/keys.json"))
            .expect("keys.json is JSON");
    let signers = keys["trust_list_signers"]
        .as_array()
        .expect("a list of signers")
        .iter()
        .map(|s| {
            let hex = s["seed_hex"].as_str().expect("a seed");
            let mut seed = [0u8; 32];
            for (i, b) in seed.iter_mut().enumerate() {
                *b = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).expect("hex");
            }
            TrustListSigner {
                kid: KeyId::parse(s["kid"].as_str().expect("a kid")).expect("a valid kid"),
                key: ed25519_dalek::SigningKey::from_bytes(&seed).verifying_key(),
            }
        })
        .collect();
    TrustList::parse_and_verify(list, &TrustListVerifier::new(signers), None)
        .expect("the vectors' trust list verifies")
});

static POLICY: LazyLock<Policy> = LazyLock::new(|| {
    serde_json::from_str(r#"{"documents":{"letter":{"share_with":"all"}}}"#)
        .expect("a valid policy")
});

fuzz_target!(|data: &[u8]| {
    let kz = CountryCode::parse("KZ").expect("KZ");
    let arrival = Arrival {
        trust: &TRUST,
        peer: Peer(kz),
        us: CountryCode::parse("UZ").expect("UZ"),
        bytes: data,
        max_size: 64 * 1024,
        policy: &POLICY,
    };
    if let Decision::Accept(envelope) = receive(arrival, |_| None, |_, _| Ok(())) {
        assert_eq!(envelope.header().from, kz, "accepted from the peer only");
        assert_eq!(envelope.bytes(), data, "kept exactly as received");
    }
});
