//! The body of `POST /api/v1/session`, the one request anyone may send unauthenticated.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sis_proto::LoginRequest;

fuzz_target!(|data: &[u8]| {
    if let Ok(req) = serde_json::from_slice::<LoginRequest>(data) {
        let again = serde_json::to_vec(&req).expect("a parsed request serialises");
        let back: LoginRequest = serde_json::from_slice(&again).expect("and parses again");
        assert_eq!(back, req);
    }
});
