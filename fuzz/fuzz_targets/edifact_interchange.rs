//! An interchange from a national customs system: any bytes must be read or refused
//! without panicking, and whatever is read must write and read back unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sis_customs::edifact::{EdifactRsSyntax, EdifactSyntax, Limits};

fuzz_target!(|data: &[u8]| {
    // Small limits so that the fuzzer also reaches the refusals of oversized input.
    let syntax = EdifactRsSyntax::new(Limits {
        max_interchange_bytes: 64 * 1024,
        max_segment_bytes: 512,
        max_values: 4096,
    });
    let Ok(interchange) = syntax.parse(data) else {
        return;
    };
    let written = syntax
        .write(&interchange)
        .expect("an interchange that was read can be written");
    let roomy = EdifactRsSyntax::new(Limits {
        max_interchange_bytes: usize::MAX,
        max_segment_bytes: usize::MAX,
        max_values: usize::MAX,
    });
    assert_eq!(
        roomy.parse(&written).as_ref(),
        Ok(&interchange),
        "written back as {:?}",
        String::from_utf8_lossy(&written)
    );
});
