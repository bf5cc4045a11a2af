//! The witness decision: cosign what extends the last cosigned checkpoint, refuse what
//! is wrong, and prove a fork with two checkpoints the log signed.

mod common;

use sis_ledger::{
    CheckpointError, ForkKind, NoteError, ProofError, Refusal, SignedCheckpoint, Verdict, Witness,
};

use common::{Log, envelope_entry, kz_log_key, uz_witness_key};

const NOW: u64 = 1_790_000_000;

fn cosigned(verdict: Verdict) -> SignedCheckpoint {
    match verdict {
        Verdict::Cosign { checkpoint, .. } => checkpoint,
        other => panic!("expected a cosignature, got {other:?}"),
    }
}

#[test]
fn the_first_checkpoint_and_each_extension_are_cosigned() {
    let (log_key, cosigner) = (kz_log_key(), uz_witness_key());
    let witness = Witness {
        log_key: log_key.verifier(),
        cosigner: &cosigner,
    };
    let mut log = Log::with_envelopes(3);
    let first = log.checkpoint(&log_key).to_bytes();
    let last = cosigned(witness.observe(NOW, None, &first, &[]));
    for i in 3..9 {
        log.append(&envelope_entry(i));
    }
    let new = log.checkpoint(&log_key).to_bytes();
    let verdict = witness.observe(NOW + 60, Some(&last), &new, &log.consistency(3));
    let Verdict::Cosign {
        checkpoint,
        cosignature,
    } = verdict
    else {
        panic!("an extension is cosigned: {verdict:?}");
    };
    assert_eq!(
        cosignature.timestamp(),
        NOW + 60,
        "cosigned at the time given"
    );
    assert_eq!(checkpoint.checkpoint().size(), 9);
    assert_eq!(
        checkpoint.cosignatures(&[cosigner.verifier()]),
        vec![cosignature],
        "the stored checkpoint carries the cosignature"
    );
    // The same tree again is cosigned again (a fresh timestamp), with an empty proof.
    let again = witness.observe(NOW + 120, Some(&checkpoint), &new, &[]);
    assert_eq!(cosigned(again).checkpoint().size(), 9);
}

#[test]
fn a_log_growing_from_empty_needs_no_proof() {
    let (log_key, cosigner) = (kz_log_key(), uz_witness_key());
    let witness = Witness {
        log_key: log_key.verifier(),
        cosigner: &cosigner,
    };
    let empty = Log::default().checkpoint(&log_key).to_bytes();
    let last = cosigned(witness.observe(NOW, None, &empty, &[]));
    let grown = Log::with_envelopes(2).checkpoint(&log_key).to_bytes();
    assert_eq!(
        cosigned(witness.observe(NOW, Some(&last), &grown, &[]))
            .checkpoint()
            .size(),
        2
    );
}

#[test]
fn wrong_checkpoints_and_proofs_are_refused_and_change_nothing() {
    let (log_key, cosigner) = (kz_log_key(), uz_witness_key());
    let witness = Witness {
        log_key: log_key.verifier(),
        cosigner: &cosigner,
    };
    let mut log = Log::with_envelopes(5);
    let last = cosigned(witness.observe(NOW, None, &log.checkpoint(&log_key).to_bytes(), &[]));
    let older = Log::with_envelopes(4).checkpoint(&log_key).to_bytes();
    for i in 5..12 {
        log.append(&envelope_entry(i));
    }
    let new = log.checkpoint(&log_key).to_bytes();
    let proof = log.consistency(5);

    let refusal = |verdict: Verdict| match verdict {
        Verdict::Refuse(r) => r,
        other => panic!("expected a refusal, got {other:?}"),
    };
    assert_eq!(
        refusal(witness.observe(NOW, Some(&last), &older, &[])),
        Refusal::Smaller { last: 5, new: 4 }
    );
    let mut bad_proof = proof.clone();
    bad_proof[1][0] ^= 1;
    assert_eq!(
        refusal(witness.observe(NOW, Some(&last), &new, &bad_proof)),
        Refusal::Proof(ProofError::RootMismatch)
    );
    assert!(matches!(
        refusal(witness.observe(NOW, Some(&last), &new, &proof[1..])),
        Refusal::Proof(ProofError::WrongLength { .. })
    ));
    let tampered = String::from_utf8(new.clone())
        .expect("UTF-8")
        .replacen("\n12\n", "\n13\n", 1);
    let r = refusal(witness.observe(NOW, Some(&last), tampered.as_bytes(), &proof));
    assert!(
        matches!(
            r,
            Refusal::Checkpoint(CheckpointError::Note(NoteError::InvalidSignature { .. }))
        ),
        "{r:?}"
    );
    assert_eq!(r.code(), "note.invalid_signature");
    // Signed by someone else under the log's name: no signature by the log's key.
    let impostor = sis_ledger::SignerKey::from_seed(
        "carec-sis.org/kz/log",
        sis_ledger::KeyKind::Ed25519,
        &[0x66; 32],
    )
    .expect("valid");
    let forged = log.checkpoint(&impostor).to_bytes();
    assert_eq!(
        refusal(witness.observe(NOW, Some(&last), &forged, &proof)).code(),
        "note.unverified"
    );
}

#[test]
fn two_roots_for_one_size_are_a_fork_with_evidence() {
    let (log_key, cosigner) = (kz_log_key(), uz_witness_key());
    let witness = Witness {
        log_key: log_key.verifier(),
        cosigner: &cosigner,
    };
    let log = Log::with_envelopes(6);
    let last = cosigned(witness.observe(NOW, None, &log.checkpoint(&log_key).to_bytes(), &[]));
    let mut other = Log::with_envelopes(5);
    other.append(b"another sixth entry");
    let verdict = witness.observe(
        NOW,
        Some(&last),
        &other.checkpoint(&log_key).to_bytes(),
        &[],
    );
    let Verdict::Fork(evidence) = verdict else {
        panic!("a fork: {verdict:?}");
    };
    assert_eq!(evidence.kind, ForkKind::SameSizeDifferentRoot);
    assert_eq!(evidence.earlier, last);
    assert_eq!(evidence.verify(log_key.verifier()), Ok(()));
    let shown = evidence.to_string();
    assert!(shown.contains("carec-sis.org/kz/log\n6\n"), "{shown}");
}

#[test]
fn a_later_tree_that_rewrites_history_is_a_fork_with_evidence() {
    let (log_key, cosigner) = (kz_log_key(), uz_witness_key());
    let witness = Witness {
        log_key: log_key.verifier(),
        cosigner: &cosigner,
    };
    let honest = Log::with_envelopes(6);
    let last = cosigned(witness.observe(NOW, None, &honest.checkpoint(&log_key).to_bytes(), &[]));
    // The log drops envelope 2 from its history, grows on, and answers with a proof
    // from its rewritten tree: the proof holds for the new root, not for the old one.
    let mut rewritten = Log::default();
    for i in (0..6).filter(|&i| i != 2) {
        rewritten.append(&envelope_entry(i));
    }
    rewritten.append(b"a replacement entry");
    for i in 6..10 {
        rewritten.append(&envelope_entry(i));
    }
    let new = rewritten.checkpoint(&log_key).to_bytes();
    let verdict = witness.observe(NOW, Some(&last), &new, &rewritten.consistency(6));
    let Verdict::Fork(evidence) = verdict else {
        panic!("a fork: {verdict:?}");
    };
    assert_eq!(evidence.kind, ForkKind::NotAnExtension);
    assert_eq!(evidence.later.checkpoint().size(), 10);
    assert_eq!(evidence.verify(log_key.verifier()), Ok(()));
    // Evidence that does not hold up is refused when checked again.
    let mut weak = evidence.clone();
    weak.proof[0][0] ^= 1;
    assert!(weak.verify(log_key.verifier()).is_err());
    let mut honest_grown = honest.clone();
    for i in 6..10 {
        honest_grown.append(&envelope_entry(i));
    }
    let mut not_a_fork = evidence;
    not_a_fork.later = honest_grown.checkpoint(&log_key);
    not_a_fork.proof = honest_grown.consistency(6);
    assert!(not_a_fork.verify(log_key.verifier()).is_err());
}

#[test]
fn two_empty_trees_with_different_roots_are_a_fork_too() {
    let (log_key, cosigner) = (kz_log_key(), uz_witness_key());
    let witness = Witness {
        log_key: log_key.verifier(),
        cosigner: &cosigner,
    };
    let empty = Log::default().checkpoint(&log_key).to_bytes();
    let last = cosigned(witness.observe(NOW, None, &empty, &[]));
    let bogus = sis_ledger::Checkpoint::new("carec-sis.org/kz/log", 0, [7; 32])
        .and_then(|c| c.sign(&log_key))
        .expect("valid");
    let Verdict::Fork(evidence) = witness.observe(NOW, Some(&last), &bogus.to_bytes(), &[]) else {
        panic!("a fork");
    };
    assert_eq!(evidence.verify(log_key.verifier()), Ok(()));
}
