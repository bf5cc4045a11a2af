//! A document in the XML form from a national system or a partner node: any bytes must be
//! read or refused without panicking, and a document that was read must write and read
//! back equal.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sis_customs::documents::validate;
use sis_customs::xml::{self, Limits};

fuzz_target!(|data: &[u8]| {
    // Small limits so that the fuzzer also reaches the refusals of oversized input.
    let limits = Limits {
        max_document_bytes: 64 * 1024,
        max_depth: 12,
        max_elements: 2_000,
        max_text_bytes: 4 * 1024,
    };
    let Ok(document) = xml::read_with(data, &limits) else {
        return;
    };
    let written = xml::write(&document);
    let back = xml::read(&written).expect("a written document reads");
    // The writer replaces the characters XML 1.0 cannot carry (C0 controls, U+FFFE,
    // U+FFFF) with U+FFFD; validate refuses the controls. Everything else comes back.
    let json = serde_json::to_string(&document).expect("documents serialise");
    if validate(&document).is_ok() && !json.contains(['\u{fffe}', '\u{ffff}']) {
        assert_eq!(back, document, "written as {written}");
    }
});
