//! A CUSCAR, INVOIC, CUSDEC or CUSRES from a national customs system, past the syntax: any
//! interchange must map to documents or be refused with a fault, never a panic; and a
//! document that was read and is valid must write and read back equal.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sis_customs::documents::validate;
use sis_customs::edifact::messages::{Envelope, document_to_interchange, message_to_document};
use sis_customs::edifact::{Charset, EdifactRsSyntax, EdifactSyntax, Limits, Party, Preparation};

fuzz_target!(|data: &[u8]| {
    let syntax = EdifactRsSyntax::new(Limits {
        max_interchange_bytes: 64 * 1024,
        max_segment_bytes: 2048,
        max_values: 8192,
    });
    let Ok(interchange) = syntax.parse(data) else {
        return;
    };
    for (index, message) in interchange.messages.iter().enumerate() {
        let Ok(document) = message_to_document(message, index + 1) else {
            continue;
        };
        if validate(&document).is_err() {
            continue;
        }
        let envelope = Envelope::new(
            Charset::UnoW,
            Party::new("FUZZ", None),
            Party::new("NODE", None),
            Preparation::new("20250314", "0630"),
            "1",
        );
        let out = document_to_interchange(&document, &envelope).expect("a mapped type");
        let bytes = EdifactRsSyntax::default().write(&out).expect("UNOW holds any text");
        let back = EdifactRsSyntax::default().parse(&bytes).expect("what was written reads");
        assert_eq!(
            message_to_document(&back.messages[0], 1).as_ref(),
            Ok(&document),
            "written as {}",
            String::from_utf8_lossy(&bytes)
        );
    }
});
