//! A trust list fetched from a distribution point: any bytes must be accepted or refused
//! without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sis_exchange::{KeyId, TrustList, TrustListSigner, TrustListVerifier};

fuzz_target!(|data: &[u8]| {
    let signer = TrustListSigner {
        kid: KeyId::parse("tl-a").expect("a kid"),
        key: ed25519_dalek::SigningKey::from_bytes(&[7; 32]).verifying_key(),
    };
    let _ = TrustList::parse_and_verify(data, &TrustListVerifier::new(vec![signer]), None);
});
