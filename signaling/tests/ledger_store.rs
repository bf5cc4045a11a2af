//! The node's transparency log on a real store: appends in transactions, tree heads equal to
//! RFC 6962's over the same leaves, proofs that verify against signed checkpoints, and a
//! rolled-back append that leaves no trace.

mod common;

use common::TestDb;
use sis_ledger::{KeyKind, SignedCheckpoint, SignerKey, leaf_hash};
use sis_signaling::external::log::Log;

fn signer() -> SignerKey {
    SignerKey::from_seed("carec-sis.org/kz/log", KeyKind::Ed25519, &[7; 32]).expect("key")
}

fn entry(i: u64) -> Vec<u8> {
    format!("entry {i}\n").into_bytes()
}

#[tokio::test]
async fn appends_commit_into_a_tree_whose_proofs_verify_against_signed_checkpoints() {
    for db in TestDb::each().await {
        appends_and_proofs(&db).await;
    }
}

async fn appends_and_proofs(db: &TestDb) {
    let log = Log::new(db.open().await, signer());
    let mut leaves = Vec::new();
    let mut checkpoints: Vec<SignedCheckpoint> = Vec::new();
    // Batches of 1, 2, 3, … leaves, a checkpoint after each.
    for batch in 1..=9u64 {
        let mut appending = log.begin_append().await.expect("begin");
        for _ in 0..batch {
            let i = leaves.len() as u64;
            let index = appending
                .append(&format!("envelope-{i}"), &entry(i))
                .await
                .expect("append");
            assert_eq!(index, i);
            leaves.push(leaf_hash(&entry(i)));
        }
        appending.commit().await.expect("commit");
        let checkpoint = log
            .checkpoint_covering(leaves.len() as u64)
            .await
            .expect("checkpoint");
        assert_eq!(checkpoint.checkpoint().size(), leaves.len() as u64);
        assert_eq!(
            *checkpoint.checkpoint().root(),
            sis_ledger::root(&leaves),
            "RFC 6962 head of {} leaves",
            leaves.len()
        );
        checkpoints.push(checkpoint);
    }
    let size = leaves.len() as u64;
    let head = checkpoints
        .last()
        .expect("one")
        .checkpoint()
        .root()
        .to_owned();
    for (i, leaf) in leaves.iter().enumerate() {
        let proof = log.inclusion(i as u64, size).await.expect("proof");
        proof.verify(leaf, &head).expect("inclusion verifies");
        assert_eq!(
            log.entry(i as u64).await.expect("read"),
            Some(entry(i as u64))
        );
    }
    for earlier in &checkpoints[..checkpoints.len() - 1] {
        let old = earlier.checkpoint();
        let proof = log.consistency(old.size(), size).await.expect("proof");
        proof.verify(old.root(), &head).expect("consistent");
    }
    // A checkpoint asked for again is the same one, not a new signature.
    let again = log.checkpoint_covering(size).await.expect("checkpoint");
    assert_eq!(
        again.to_bytes(),
        checkpoints.last().expect("one").to_bytes()
    );
}

#[tokio::test]
async fn an_append_rolled_back_leaves_no_trace_and_an_envelope_is_logged_once() {
    for db in TestDb::each().await {
        rollback_and_duplicates(&db).await;
    }
}

async fn rollback_and_duplicates(db: &TestDb) {
    let log = Log::new(db.open().await, signer());
    let mut appending = log.begin_append().await.expect("begin");
    appending.append("kept", &entry(0)).await.expect("append");
    appending.commit().await.expect("commit");

    let mut appending = log.begin_append().await.expect("begin");
    appending
        .append("dropped", &entry(1))
        .await
        .expect("append");
    drop(appending);
    assert_eq!(log.size().await.expect("size"), 1);

    let mut appending = log.begin_append().await.expect("begin");
    let err = appending
        .append("kept", &entry(2))
        .await
        .expect_err("an envelope is logged once");
    assert!(err.to_string().contains("already exists"), "{err}");
    drop(appending);
    let mut appending = log.begin_append().await.expect("begin");
    assert_eq!(
        appending.append("next", &entry(1)).await.expect("append"),
        1
    );
    appending.commit().await.expect("commit");
    let root = log.root(2).await.expect("root");
    assert_eq!(
        root,
        sis_ledger::root(&[leaf_hash(&entry(0)), leaf_hash(&entry(1))])
    );
}
