//! The conformance vectors of `tests/vectors/ledger/` (repository root), which other
//! countries' implementers build against. One test regenerates them in memory and
//! compares with the files, so code and files cannot drift; the other reads the files
//! as another implementation would and checks each outcome through the public API.
//!
//! To rewrite the files after a deliberate change:
//! `REGENERATE_LEDGER_VECTORS=1 cargo test -p sis-ledger --test conformance`.

#[path = "../common/mod.rs"]
mod common;

mod check;
mod generate;

use std::path::PathBuf;

fn vectors_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors/ledger")
}

#[test]
fn the_files_are_what_the_code_generates() {
    let dir = vectors_dir();
    let regenerate = std::env::var_os("REGENERATE_LEDGER_VECTORS").is_some();
    for (name, value) in generate::all() {
        let path = dir.join(name);
        if regenerate {
            std::fs::create_dir_all(&dir).expect("vector folder");
            let mut text = serde_json::to_string_pretty(&value).expect("JSON");
            text.push('\n');
            std::fs::write(&path, text).expect("write vectors");
            continue;
        }
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e}; regenerate the vectors", path.display()));
        let on_disk: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        assert!(
            on_disk == value,
            "{name} differs from what the code generates: regenerate it (see the module doc) and review the diff"
        );
    }
}

#[test]
fn every_vector_has_the_outcome_it_states() {
    check::all(&vectors_dir());
}
