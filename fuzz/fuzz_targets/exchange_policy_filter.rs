//! The data-sharing filter over a payload from a national system or a peer: any bytes
//! must be filtered or refused without panicking, and what the filter lets out holds none
//! of the withheld elements.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sis_exchange::ElementPath;
use sis_exchange::xml_filter::{find, remove};

fuzz_target!(|data: &[u8]| {
    let paths = [
        ElementPath::parse("OfficialLetter/attachments/attachment/sha256").expect("a path"),
        ElementPath::parse("a/b").expect("a path"),
    ];
    let Ok(out) = remove(data, &paths) else {
        return;
    };
    match find(&out, &paths) {
        Ok(None) => {}
        Ok(Some(path)) => panic!("{path} is still there after removal"),
        Err(e) => panic!("the filtered output no longer parses: {e}"),
    }
});
