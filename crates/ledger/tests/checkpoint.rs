//! Checkpoints, cosignatures and log entries: formats as the C2SP specs write them.

mod common;

use sis_ledger::{
    Checkpoint, CheckpointError, Cosignature, CosignatureError, Direction, EntryError, Note,
    NoteError, SignedCheckpoint, cosign, leaf_hash, log_entry, log_origin,
};

use common::{Log, kz_log_key, uz_witness_key};

const SPEC_TEXT: &str =
    "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";

#[test]
fn the_spec_checkpoint_parses_and_prints_back() {
    let c = Checkpoint::parse_text(SPEC_TEXT).expect("the spec's example");
    assert_eq!(c.origin(), "example.com/behind-the-sofa");
    assert_eq!(c.size(), 20852163);
    assert_eq!(c.root()[..3], [0x0a, 0xc5, 0x18]);
    assert_eq!(c.to_text(), SPEC_TEXT);
}

#[test]
fn a_node_signs_its_checkpoint_and_a_peer_opens_it() {
    let key = kz_log_key();
    assert_eq!(key.verifier().name(), "carec-sis.org/kz/log");
    let log = Log::with_envelopes(5);
    let signed = log.checkpoint(&key);
    let bytes = signed.to_bytes();
    let text = String::from_utf8(bytes.clone()).expect("UTF-8");
    assert!(text.starts_with("carec-sis.org/kz/log\n5\n"), "{text}");
    assert!(text.contains("\n\n— carec-sis.org/kz/log "), "{text}");
    let opened = SignedCheckpoint::open(&bytes, key.verifier()).expect("signed by the log");
    assert_eq!(opened.checkpoint().size(), 5);
    assert_eq!(opened.checkpoint().root(), &log.root());
}

#[test]
fn extension_lines_are_kept_and_signed() {
    let key = kz_log_key();
    let c = Checkpoint::new("carec-sis.org/kz/log", 0, sis_ledger::tree::root(&[]))
        .and_then(|c| c.with_extension("batch 2026-12-05T07:00Z"))
        .expect("valid");
    let signed = c.sign(&key).expect("the log's key");
    let opened = SignedCheckpoint::open(&signed.to_bytes(), key.verifier()).expect("verifies");
    assert_eq!(
        opened.checkpoint().extensions(),
        ["batch 2026-12-05T07:00Z"]
    );
}

#[test]
fn malformed_checkpoint_texts_are_refused_with_the_reason() {
    let root = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=";
    let cases = [
        ("o\n1\n".to_owned(), "checkpoint.lines"),
        (format!("o\n1\n{root}"), "checkpoint.lines"),
        (format!("\n1\n{root}\n"), "checkpoint.lines"),
        (format!("o\n01\n{root}\n"), "checkpoint.size"),
        (format!("o\n+1\n{root}\n"), "checkpoint.size"),
        (format!("o\n-1\n{root}\n"), "checkpoint.size"),
        (
            format!("o\n18446744073709551616\n{root}\n"),
            "checkpoint.size",
        ),
        (
            "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n".to_owned(),
            "checkpoint.root_hash",
        ),
        (
            "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jx\n".to_owned(),
            "checkpoint.root_hash",
        ),
        (format!("o\n1\n{root}\n\nx\n"), "checkpoint.extension"),
    ];
    for (text, code) in cases {
        let err = Checkpoint::parse_text(&text).expect_err(&text);
        assert_eq!(err.code(), code, "{text:?}: {err}");
    }
    assert_eq!(
        Checkpoint::parse_text(&format!("o\n0\n{root}\n")).map(|c| c.size()),
        Ok(0),
        "size 0 is written 0"
    );
    assert!(Checkpoint::parse_text(&format!("o p\n18446744073709551615\n{root}\n")).is_ok());
}

#[test]
fn a_checkpoint_of_another_log_or_badly_signed_is_refused() {
    let key = kz_log_key();
    let log = Log::with_envelopes(3);
    let signed = log.checkpoint(&key);
    let uz = sis_ledger::SignerKey::from_seed(
        "carec-sis.org/uz/log",
        sis_ledger::KeyKind::Ed25519,
        &[0x75; 32],
    )
    .expect("valid");
    assert!(matches!(
        SignedCheckpoint::open(&signed.to_bytes(), uz.verifier()),
        Err(CheckpointError::WrongOrigin { .. })
    ));
    let tampered = String::from_utf8(signed.to_bytes())
        .expect("UTF-8")
        .replacen("\n3\n", "\n2\n", 1);
    assert!(matches!(
        SignedCheckpoint::open(tampered.as_bytes(), key.verifier()),
        Err(CheckpointError::Note(NoteError::InvalidSignature { .. }))
    ));
    // A checkpoint key must be the log's: a witness key cannot sign one.
    let c = signed.checkpoint().clone();
    assert!(matches!(
        c.sign(&uz_witness_key()),
        Err(CheckpointError::KeyKind(_))
    ));
}

#[test]
fn the_cosigned_message_is_the_one_the_spec_shows() {
    let got = sis_ledger::cosignature::signed_message(SPEC_TEXT, 1679315147);
    let want = "cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
    assert_eq!(String::from_utf8(got).expect("UTF-8"), want);
}

#[test]
fn the_spec_cosignature_line_reads_as_its_time() {
    let msg = format!(
        "{SPEC_TEXT}\n— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n— witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n"
    );
    let note = Note::parse(msg.as_bytes()).expect("the spec's example");
    let c = Cosignature::from_note_signature(&note.signatures()[1]).expect("72 bytes");
    assert_eq!(c.name(), "witness.example.com/w1");
    assert_eq!(c.timestamp(), 1679315147);
    assert_eq!(
        Cosignature::from_note_signature(&note.signatures()[0]).map(|_| ()),
        Err(CosignatureError::Length(64)),
        "a plain Ed25519 signature is no cosignature"
    );
}

#[test]
fn a_witness_cosigns_and_anyone_checks_it() {
    let (log_key, witness) = (kz_log_key(), uz_witness_key());
    let mut signed = Log::with_envelopes(4).checkpoint(&log_key);
    let c = cosign(signed.checkpoint(), &witness, 1_790_000_000).expect("a witness key");
    assert_eq!(c.verify(signed.checkpoint(), witness.verifier()), Ok(()));
    signed.add_cosignature(&c);
    let bytes = signed.to_bytes();
    // Opened by the log key alone (the cosignature is an unknown line to it)...
    let opened = SignedCheckpoint::open(&bytes, log_key.verifier()).expect("log signed");
    // ...and the witness's cosignature found and checked by its key.
    assert_eq!(opened.cosignatures(&[witness.verifier()]), vec![c.clone()]);
    // A cosignature does not carry over to another checkpoint or another time.
    let other = Log::with_envelopes(5).checkpoint(&log_key);
    assert_eq!(
        c.verify(other.checkpoint(), witness.verifier()),
        Err(CosignatureError::Invalid)
    );
    // Another time on the same signature does not verify either.
    let line = c.to_note_signature();
    let mut later = line.signature().to_vec();
    later[7] += 1;
    let moved = sis_ledger::NoteSignature::new(line.name(), line.key_id(), later).expect("name");
    let moved = Cosignature::from_note_signature(&moved).expect("72 bytes");
    assert_eq!(moved.timestamp(), 1_790_000_001);
    assert_eq!(
        moved.verify(signed.checkpoint(), witness.verifier()),
        Err(CosignatureError::Invalid)
    );
    let mut with_moved = opened.clone();
    with_moved.add_cosignature(&moved);
    assert!(with_moved.cosignatures(&[witness.verifier()]).is_empty());
    // The note layer checks a cosigner key's line as a cosignature/v1 too.
    let cosigned = Note::parse(&signed.to_bytes()).expect("well formed");
    assert_eq!(
        cosigned.verify(&[witness.verifier()]).map(|v| v.len()),
        Ok(1)
    );
    let mut wrong = cosigned.clone();
    let mut bytes = line.signature().to_vec();
    bytes[7] ^= 1;
    wrong.add_signature(
        sis_ledger::NoteSignature::new(line.name(), line.key_id(), bytes).expect("name"),
    );
    assert!(matches!(
        wrong.verify(&[witness.verifier()]),
        Err(NoteError::InvalidSignature { .. })
    ));
    // A log key cannot cosign.
    assert_eq!(
        cosign(signed.checkpoint(), &log_key, 1).map(|_| ()),
        Err(CosignatureError::KeyKind(sis_ledger::KeyKind::Ed25519))
    );
    assert_eq!(
        cosign(signed.checkpoint(), &witness, 1 << 63).map(|_| ()),
        Err(CosignatureError::Timestamp(1 << 63))
    );
}

#[test]
fn the_log_entry_has_the_documented_bytes() {
    let entry = log_entry(
        "0190b0c4-8d5e-7a3b-9c1d-2e3f4a5b6c7d",
        Direction::Sent,
        "KZ",
        b"<envelope/>",
    )
    .expect("valid");
    // SHA-256("<envelope/>") and the leaf hash computed apart from this crate.
    let want = "carec-sis/log-entry/v1\n0190b0c4-8d5e-7a3b-9c1d-2e3f4a5b6c7d\nsent\nKZ\n\
                5b070da3eea2a29c4fb0af75119b378200c19dc65c8cf88e4a68498ba87f8127\n";
    assert_eq!(String::from_utf8(entry.clone()).expect("ASCII"), want);
    let hex: String = leaf_hash(&entry)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(
        hex,
        "3080e681dfe1c9a692d4147b7cd22bf1adbf4f77d1581ee2fad4cc253d1ea2e2"
    );
    let accepted = log_entry(
        "0190b0c4-8d5e-7a3b-9c1d-2e3f4a5b6c7d",
        Direction::Accepted,
        "KZ",
        b"<envelope/>",
    )
    .expect("valid");
    assert_ne!(accepted, entry, "the direction is logged");
}

#[test]
fn log_entries_and_origins_refuse_malformed_fields() {
    let env = b"<envelope/>";
    let id = "0190b0c4-8d5e-7a3b-9c1d-2e3f4a5b6c7d";
    for bad in [
        "0190B0C4-8D5E-7A3B-9C1D-2E3F4A5B6C7D",
        "0190b0c48d5e7a3b9c1d2e3f4a5b6c7d",
        "0190b0c4-8d5e-7a3b-9c1d-2e3f4a5b6c7d\n",
        "",
    ] {
        assert_eq!(
            log_entry(bad, Direction::Sent, "KZ", env),
            Err(EntryError::EnvelopeId(bad.into()))
        );
    }
    for bad in ["kz", "KAZ", "K", "K\n"] {
        assert_eq!(
            log_entry(id, Direction::Sent, bad, env),
            Err(EntryError::Country(bad.into()))
        );
        assert_eq!(log_origin(bad), Err(EntryError::Country(bad.into())));
    }
    assert_eq!(log_origin("UZ").as_deref(), Ok("carec-sis.org/uz/log"));
}
