//! Messages a client sends on its WebSocket: any bytes must parse or fail, never panic,
//! and what parses must survive a round trip.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sis_proto::ws::ClientMessage;

fuzz_target!(|data: &[u8]| {
    if let Ok(msg) = serde_json::from_slice::<ClientMessage>(data) {
        let again = serde_json::to_vec(&msg).expect("a parsed message serialises");
        let back: ClientMessage = serde_json::from_slice(&again).expect("and parses again");
        assert_eq!(back, msg);
    }
});
