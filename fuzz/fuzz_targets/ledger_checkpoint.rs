//! What a peer's log and witnesses send: a signed checkpoint note (with cosignature lines),
//! a cosignature, a consistency proof. Any bytes must be read or refused with a code, never
//! panic; a checkpoint that opens is signed by the log's key, and reads back as it came.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sis_ledger::{Checkpoint, KeyKind, Note, SignedCheckpoint, SignerKey, VerifierKey, Witness};
use std::sync::LazyLock;

static LOG: LazyLock<SignerKey> = LazyLock::new(|| {
    SignerKey::from_seed("carec-sis.org/uz/log", KeyKind::Ed25519, &[7; 32]).expect("log key")
});
static WITNESS: LazyLock<SignerKey> = LazyLock::new(|| {
    SignerKey::from_seed("carec-sis.org/kz/witness", KeyKind::CosignatureV1, &[9; 32])
        .expect("witness key")
});

fuzz_target!(|data: &[u8]| {
    let log_key: &VerifierKey = LOG.verifier();
    if let Ok(note) = Note::parse(data) {
        let _ = Checkpoint::parse_text(note.text());
        let _ = note.verify(&[log_key]);
    }
    if let Ok(signed) = SignedCheckpoint::open(data, log_key) {
        assert_eq!(signed.checkpoint().origin(), "carec-sis.org/uz/log");
        let again = SignedCheckpoint::open(&signed.to_bytes(), log_key).expect("reads back");
        assert_eq!(again.checkpoint(), signed.checkpoint());
    }
    // As a witness sees it: no last checkpoint, then one of size 1 to compare against.
    let witness = Witness {
        log_key,
        cosigner: &WITNESS,
    };
    let _ = witness.observe(1_790_000_000, None, data, &[]);
    let proof: Vec<[u8; 32]> = data.chunks_exact(32).take(8).map(|c| c.try_into().expect("32")).collect();
    let last = Checkpoint::new("carec-sis.org/uz/log", 1, [1; 32])
        .and_then(|c| c.sign(&LOG))
        .expect("a checkpoint");
    let _ = witness.observe(1_790_000_000, Some(&last), data, &proof);
    let _ = VerifierKey::parse(&String::from_utf8_lossy(data));
});
