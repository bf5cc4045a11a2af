//! The `q` of `GET /api/v1/directories/{directory}`: any text must search without panicking
//! and return no more hits than asked for.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sis_customs::codelist::ListId;
use sis_customs::search;

fuzz_target!(|data: &[u8]| {
    if let Ok(q) = std::str::from_utf8(data) {
        for id in [ListId::Hs, ListId::Units, ListId::Countries] {
            assert!(search::index(id).search(q, 20).len() <= 20);
        }
    }
});
