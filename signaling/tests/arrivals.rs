//! Envelopes that arrive at once are recorded together (group commit): each still gets its
//! own signed receipt, at its own log index, under a checkpoint that proves it; the same
//! envelope delivered several times at once is stored once and answered with one receipt;
//! and an arrival that fails in a batch does not take the others down with it.

mod common;

use common::network::{Network, jws_payload as payload, post_envelope};
use common::{NodeSetup, TestDb, TestNode};
use sqlx::Row;

/// A letter envelope from `from` to `to`, properly sealed by `from`'s node.
fn letter_envelope(from: &TestNode, to: &TestNode, subject: &str) -> sis_exchange::Envelope {
    let mut letter = sis_customs::documents::examples::example_official_letter();
    letter.subject = subject.to_owned();
    sis_exchange::seal(
        sis_exchange::NewEnvelope {
            id: uuid::Uuid::now_v7(),
            doc: sis_exchange::DocType::parse("letter").expect("doc"),
            from: from.exchange.country,
            to: sis_exchange::Recipients::Countries(vec![to.exchange.country]),
            created: time::OffsetDateTime::now_utc(),
            corr: uuid::Uuid::now_v7(),
            payload: sis_customs::xml::write(&sis_customs::documents::Document::OfficialLetter(
                letter,
            ))
            .into_bytes(),
        },
        from.exchange.kid(),
        from.exchange.signing_key(),
    )
    .expect("seal")
}

#[tokio::test]
async fn envelopes_arriving_at_once_each_get_a_receipt_that_proves_them_and_a_duplicate_is_kept_once()
 {
    let dir = tempfile::tempdir().expect("dir");
    let mut net = Network::new(&["KZ", "UZ"]);
    let setup = |country, join| NodeSetup {
        country: Some(country),
        network: Some(join),
        ..NodeSetup::default()
    };
    let kz = TestNode::start_setup(TestDb::sqlite(), setup("KZ", net.join(0, dir.path()))).await;
    let uz = TestNode::start_setup(TestDb::sqlite(), setup("UZ", net.join(1, dir.path()))).await;
    let net = std::sync::Arc::new(net);

    const DISTINCT: usize = 40;
    const COPIES: usize = 4;
    let envelopes: Vec<_> = (0..DISTINCT)
        .map(|i| letter_envelope(&kz, &uz, &format!("Batch letter {i}")))
        .collect();
    let twice = envelopes[7].bytes().to_vec();
    // All at once: the distinct ones and copies of one of them, interleaved.
    let mut sending = tokio::task::JoinSet::new();
    for (i, envelope) in envelopes.iter().enumerate() {
        let (n, bytes) = (net.clone(), envelope.bytes().to_vec());
        sending.spawn(async move { (i, post_envelope(&n, 0, 1, "KZ", bytes).await) });
        if i % 10 == 0 {
            for _ in 0..COPIES {
                let (n, bytes) = (net.clone(), twice.clone());
                sending.spawn(async move { (7, post_envelope(&n, 0, 1, "KZ", bytes).await) });
            }
        }
    }
    let mut receipts: Vec<Vec<Vec<u8>>> = vec![Vec::new(); DISTINCT];
    while let Some(joined) = sending.join_next().await {
        let (i, (status, mut body)) = joined.expect("task");
        if status == 503 {
            // A copy that lost the race inside a batch is told to retry; the retry gets the
            // receipt of the copy that won.
            assert_eq!(payload(&body)["code"], "internal", "{i}");
            let (again, retried) =
                post_envelope(&net, 0, 1, "KZ", envelopes[i].bytes().to_vec()).await;
            assert_eq!(
                again,
                200,
                "retry of {i}: {}",
                String::from_utf8_lossy(&retried)
            );
            body = retried;
        } else {
            assert_eq!(status, 200, "{i}: {}", String::from_utf8_lossy(&body));
        }
        receipts[i].push(body);
    }

    let log = &uz.exchange.log;
    let mut indexes = std::collections::BTreeSet::new();
    for (i, (envelope, got)) in envelopes.iter().zip(&receipts).enumerate() {
        assert!(
            got.iter().all(|r| r == &got[0]),
            "every copy of envelope {i} is answered with one receipt"
        );
        let receipt = payload(&got[0]);
        assert_eq!(receipt["envelope"], envelope.id().to_string());
        let index = receipt["log_index"].as_u64().expect("log_index");
        assert!(indexes.insert(index), "log index {index} given twice");
        // The checkpoint in the receipt is UZ's, covers the index, and UZ's log proves the
        // leaf names this envelope under that root.
        let note = receipt["checkpoint"].as_str().expect("checkpoint");
        let checkpoint =
            sis_ledger::SignedCheckpoint::open(note.as_bytes(), log.verifier()).expect("signed");
        let size = checkpoint.checkpoint().size();
        assert!(index < size, "checkpoint of {size} covers {index}");
        let entry = log.entry(index).await.expect("read").expect("entry");
        assert!(
            String::from_utf8_lossy(&entry).contains(&envelope.id().to_string()),
            "leaf {index} is envelope {i}'s"
        );
        let proof = log.inclusion(index, size).await.expect("proof");
        proof
            .verify(
                &sis_ledger::leaf_hash(&entry),
                checkpoint.checkpoint().root(),
            )
            .expect("the leaf is in the tree the receipt's checkpoint signs");
    }

    let raw = sqlx::SqlitePool::connect(&uz.db.url()).await.expect("raw");
    let count = |sql: &'static str| {
        let raw = raw.clone();
        async move {
            sqlx::query(sql)
                .fetch_one(&raw)
                .await
                .expect("count")
                .get::<i64, _>(0)
        }
    };
    assert_eq!(
        count("SELECT COUNT(*) FROM envelopes WHERE direction = 'accepted'").await,
        DISTINCT as i64
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM letters WHERE mailbox = 'inbox'").await,
        DISTINCT as i64,
        "each letter registered once"
    );
    // Each accepted letter was acknowledged: its envelope logged beside it.
    assert_eq!(
        count("SELECT COUNT(*) FROM log_leaves").await,
        2 * DISTINCT as i64
    );
    // The incoming numbers run without a gap or a repeat.
    let numbers: Vec<String> = sqlx::query("SELECT number FROM letters ORDER BY number")
        .fetch_all(&raw)
        .await
        .expect("numbers")
        .iter()
        .map(|r| r.get("number"))
        .collect();
    let mut expected: Vec<String> = (1..=DISTINCT)
        .map(|n| format!("UZ-IN-{}-{n:06}", time::OffsetDateTime::now_utc().year()))
        .collect();
    expected.sort();
    assert_eq!(numbers, expected);
    drop(kz);
}
