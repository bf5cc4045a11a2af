//! Signed notes and keys against the examples of C2SP signed-note and of Go's
//! `golang.org/x/mod/sumdb/note` tests.

use sis_ledger::{KeyError, KeyKind, Note, NoteError, SignerKey, VerifierKey};

const PETER_VKEY: &str = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const PETER_SKEY: &str =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const ENOCH_VKEY: &str = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
const TEXT: &str = "If you think cryptography is the answer to your problem,\n\
                    then you don't know what your problem is.\n";
const PETER_SIG: &str = "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
const ENOCH_SIG: &str = "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

fn peter() -> VerifierKey {
    VerifierKey::parse(PETER_VKEY).expect("Go's test key")
}

fn enoch() -> VerifierKey {
    VerifierKey::parse(ENOCH_VKEY).expect("Go's test key")
}

#[test]
fn the_spec_example_note_verifies_with_its_key() {
    let vkey =
        VerifierKey::parse("example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k")
            .expect("the spec's verifier key");
    assert_eq!(vkey.kind(), KeyKind::Ed25519);
    let msg = "This is an example message.\n\n— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";
    let note = Note::open(msg.as_bytes(), &[&vkey]).expect("the spec says it verifies");
    assert_eq!(note.text(), "This is an example message.\n");
    assert_eq!(note.to_string(), msg, "a note passes on byte for byte");
}

#[test]
fn a_text_with_blank_lines_ends_at_the_last_one() {
    // The spec's first example: the poem keeps its blank line.
    let msg = "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n\n— quasimodo.example/salvatore NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=\n";
    let note = Note::parse(msg.as_bytes()).expect("well formed");
    assert_eq!(
        note.text(),
        "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n"
    );
    assert_eq!(note.signatures().len(), 1);
    assert_eq!(note.signatures()[0].name(), "quasimodo.example/salvatore");
    assert_eq!(note.signatures()[0].key_id(), 0x367ba04b);
}

#[test]
fn signing_gives_gos_bytes_and_replaces_an_old_signature_by_the_same_key() {
    let signer = SignerKey::parse(PETER_SKEY).expect("Go's test key");
    assert_eq!(signer.verifier().to_string(), PETER_VKEY);
    assert_eq!(signer.to_secret_string(), PETER_SKEY);
    let mut note = Note::new(TEXT).expect("valid text");
    note.sign(&signer);
    let want = format!("{TEXT}\n{PETER_SIG}");
    assert_eq!(note.to_string(), want);
    note.sign(&signer);
    assert_eq!(note.to_string(), want, "signing twice leaves one line");
    assert!(
        !format!("{signer:?}").contains("AYEKFALV"),
        "Debug never shows the seed"
    );
}

#[test]
fn unknown_signatures_are_kept_and_ignored() {
    let msg = format!("{TEXT}\n{PETER_SIG}{ENOCH_SIG}");
    let (p, e) = (peter(), enoch());
    let note = Note::open(msg.as_bytes(), &[&p]).expect("Peter's signature verifies");
    assert_eq!(note.signatures().len(), 2, "Enoch's line is kept");
    let verified = note.verify(&[&p]).expect("verifies");
    assert_eq!(verified.len(), 1);
    assert_eq!(verified[0].name(), "PeterNeumann");
    assert_eq!(note.verify(&[&p, &e]).expect("both verify").len(), 2);
    assert_eq!(note.verify(&[]), Err(NoteError::Unverified));
    assert_eq!(note.to_string(), msg, "passed on unchanged");
}

#[test]
fn a_failing_signature_by_a_known_key_refuses_the_note() {
    let bad = format!("{}ABCD{}", &PETER_SIG[..60], &PETER_SIG[60..]);
    let msg = format!("{TEXT}\n{bad}");
    assert!(matches!(
        Note::open(msg.as_bytes(), &[&peter()]),
        Err(NoteError::InvalidSignature { id: 0xc74f20a3, .. })
    ));
    // The same bad line is ignored by a verifier that does not know Peter's key.
    let msg = format!("{TEXT}\n{bad}{ENOCH_SIG}");
    assert!(Note::open(msg.as_bytes(), &[&enoch()]).is_ok());
}

#[test]
fn two_known_keys_with_one_name_and_id_are_ambiguous() {
    let msg = format!("{TEXT}\n{ENOCH_SIG}");
    let (p, e) = (peter(), enoch());
    assert!(matches!(
        Note::open(msg.as_bytes(), &[&e, &p, &e]),
        Err(NoteError::AmbiguousKey { id: 0xaf0cfe78, .. })
    ));
}

#[test]
fn malformed_notes_are_refused_with_the_reason() {
    let cases: Vec<(String, &str)> = vec![
        (TEXT.to_owned(), "note.no_signature_block"),
        (format!("{TEXT}\n"), "note.no_signature_block"),
        (
            format!("{TEXT}\n{}", &PETER_SIG[..PETER_SIG.len() - 1]),
            "note.no_signature_block",
        ),
        (format!("\x01{TEXT}\n{PETER_SIG}"), "note.control_character"),
        (format!("{TEXT}\r\n{PETER_SIG}"), "note.control_character"),
        (
            format!(
                "{TEXT}\n— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
            ),
            "note.signature_base64",
        ),
        (
            format!("{TEXT}\n{PETER_SIG}Unexpected line.\n"),
            "note.signature_prefix",
        ),
        (
            format!("{TEXT}\n-- PeterNeumann AAAAAAA=\n"),
            "note.signature_prefix",
        ),
        (format!("{TEXT}\n— a+b x08go/ZJ\n"), "note.key_name"),
        (
            format!("{TEXT}\n— PeterNeumann x08g\n"),
            "note.signature_too_short",
        ),
        (
            format!("{TEXT}\n— PeterNeumann x08go/Z\n"),
            "note.signature_base64",
        ),
        (
            format!("{TEXT}\n{}", PETER_SIG.repeat(101)),
            "note.too_many_signatures",
        ),
    ];
    for (msg, code) in cases {
        let err = Note::open(msg.as_bytes(), &[&peter()]).expect_err(&msg);
        assert_eq!(err.code(), code, "{msg:?}: {err}");
    }
    let mut not_utf8 = b"\xff".to_vec();
    not_utf8.extend_from_slice(format!("{TEXT}\n{PETER_SIG}").as_bytes());
    assert_eq!(Note::parse(&not_utf8), Err(NoteError::NotUtf8));
    // A hundred signatures are accepted (the spec asks for at least 16).
    let msg = format!("{TEXT}\n{}", PETER_SIG.repeat(100));
    assert!(Note::open(msg.as_bytes(), &[&peter()]).is_ok());
}

#[test]
fn note_texts_must_end_in_a_newline_and_hold_no_control_character() {
    assert_eq!(Note::new("abc").map(|_| ()), Err(NoteError::Text));
    assert_eq!(Note::new("").map(|_| ()), Err(NoteError::Text));
    assert!(matches!(
        Note::new("a\tb\n"),
        Err(NoteError::ControlCharacter { offset: 1 })
    ));
}

#[test]
fn every_mangled_key_string_is_refused() {
    // Go's TestNewVerifier and TestNewSigner: every proper substring and every
    // single-byte change of a valid key fails.
    for good in [PETER_VKEY, PETER_SKEY] {
        let parse = |s: &str| {
            if good.starts_with("PRIVATE") {
                SignerKey::parse(s).map(|_| ())
            } else {
                VerifierKey::parse(s).map(|_| ())
            }
        };
        assert!(parse(good).is_ok());
        let b = good.as_bytes();
        for i in 0..=b.len() {
            for j in i + 1..=b.len() {
                if (i, j) != (0, b.len()) {
                    let s = String::from_utf8_lossy(&b[i..j]);
                    assert!(parse(&s).is_err(), "{s:?} accepted");
                }
            }
        }
        for i in 0..b.len() {
            let mut m = b.to_vec();
            m[i] = m[i].wrapping_add(1);
            let s = String::from_utf8_lossy(&m);
            assert!(parse(&s).is_err(), "{s:?} accepted");
        }
    }
}

#[test]
fn key_strings_are_refused_with_the_reason() {
    let cases = [
        (
            // RFC 4648 §3.5 lets a decoder refuse non-zero pad bits ("Y=="); we do.
            "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",
            KeyError::Base64,
        ),
        (
            "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEA==",
            KeyError::Length { got: 36 },
        ),
        (
            "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
            KeyError::UnknownType(0x65),
        ),
        (
            "PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
            KeyError::IdHex,
        ),
        (
            "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
            KeyError::IdMismatch {
                given: 0xc74f20a4,
                computed: 0xc74f20a3,
            },
        ),
        (
            "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
            KeyError::Name("Peter Neumann".into()),
        ),
        ("PeterNeumann+c74f20a3", KeyError::Format),
    ];
    for (vkey, want) in cases {
        assert_eq!(VerifierKey::parse(vkey), Err(want), "{vkey}");
    }
    // The same public key as a cosigner key has another ID (the type is hashed in).
    let p = peter();
    let cosigner = VerifierKey::new("PeterNeumann", KeyKind::CosignatureV1, *p.public_key())
        .expect("valid name");
    assert_ne!(cosigner.id(), p.id());
    assert!(
        cosigner
            .to_string()
            .starts_with(&format!("PeterNeumann+{:08x}+BB", cosigner.id()))
    );
}
