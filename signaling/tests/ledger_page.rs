//! `GET /api/v1/exchange/log` on a real node of a two-member network: after letters went
//! both ways it shows the tree the node signed, its entries newest first a page at a time,
//! a checkpoint that opens with the node's log key, and a peer's cosignature once the peer
//! has cosigned; only administrators read it, and a bad `limit` is refused by name.

mod common;

use std::time::Duration;

use common::network::{Join, Network};
use common::{NodeSetup, TestDb, TestNode, add_officer_of};
use serde_json::json;
use sis_proto::Role;
use sis_proto::ledger::LedgerPage;
use sis_proto::letter::{Letter, LetterStatus};

struct Member {
    node: TestNode,
    /// An officer's session: officers write the letters.
    officer: String,
    /// An administrator's session: administrators read the log.
    admin: String,
}

async fn member(join: Join, db: TestDb) -> Member {
    let country = join.country;
    let setup = NodeSetup {
        country: Some(country),
        network: Some(join),
        ..NodeSetup::default()
    };
    let node = TestNode::start_setup(db, setup).await;
    let cc = country.to_ascii_lowercase();
    let (officer, admin) = (format!("officer.{cc}"), format!("admin.{cc}"));
    add_officer_of(&node.store, &officer, Role::Officer, country).await;
    add_officer_of(&node.store, &admin, Role::Admin, country).await;
    let client = reqwest::Client::new();
    Member {
        officer: node.login(&client, &officer).await,
        admin: node.login(&client, &admin).await,
        node,
    }
}

impl Member {
    /// Sends a letter to `to`, as it is once written.
    async fn send(&self, to: &str, subject: &str) -> Letter {
        let resp = reqwest::Client::new()
            .post(self.node.url("/api/v1/letters"))
            .bearer_auth(&self.officer)
            .json(&json!({"to": [to], "subject": subject, "body": "Please inspect the seal."}))
            .send()
            .await
            .expect("send");
        assert_eq!(resp.status(), 201);
        resp.json().await.expect("letter")
    }

    /// Sends a letter to `to` and waits until it is delivered and acknowledged; its
    /// envelope id.
    async fn deliver(&self, to: &str, subject: &str) -> String {
        let letter = self.send(to, subject).await;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        loop {
            let now: Letter = reqwest::Client::new()
                .get(
                    self.node
                        .url(&format!("/api/v1/letters/{}", letter.summary.id)),
                )
                .bearer_auth(&self.officer)
                .send()
                .await
                .expect("get")
                .json()
                .await
                .expect("letter");
            // Registered: the recipient's acknowledgement is back and logged here too.
            if now.recipients[0].status == LetterStatus::Registered {
                return now.recipients[0].envelope_id.clone().expect("an envelope");
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "not acknowledged within 20 s: {now:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// `GET /api/v1/exchange/log` with `query`, as `token`.
    async fn log_as(&self, token: Option<&str>, query: &str) -> reqwest::Response {
        let mut req =
            reqwest::Client::new().get(self.node.url(&format!("/api/v1/exchange/log{query}")));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        req.send().await.expect("request")
    }

    async fn log(&self, query: &str) -> LedgerPage {
        let resp = self.log_as(Some(&self.admin), query).await;
        assert_eq!(resp.status(), 200, "an administrator reads the log");
        let text = resp.text().await.expect("text");
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
    }
}

fn indexes(page: &LedgerPage) -> Vec<u64> {
    page.entries.iter().map(|e| e.index).collect()
}

#[tokio::test]
async fn the_log_page_shows_the_signed_tree_its_entries_and_the_peers_cosignatures() {
    // KZ's store on every backend configured; UZ, its peer, on SQLite.
    for db in TestDb::each().await {
        log_page_of_a_node_that_exchanged(db).await;
    }
}

async fn log_page_of_a_node_that_exchanged(db: TestDb) {
    let dir = tempfile::tempdir().expect("dir");
    let mut net = Network::new(&["KZ", "UZ"]);
    let kz = member(net.join(0, dir.path()), db).await;
    let uz = member(net.join(1, dir.path()), TestDb::sqlite()).await;

    let empty = kz.log("").await;
    assert_eq!((empty.tree_size, empty.entries.len()), (0, 0));
    assert_eq!(
        empty.root_hash, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "the empty tree's root is SHA-256 of nothing"
    );
    assert_eq!(empty.origin, "carec-sis.org/kz/log");

    // Three sent, each followed by UZ's acknowledgement; then one accepted, with KZ's
    // acknowledgement in the same transaction: leaves 0 to 7, one at a time.
    let mut sent = Vec::new();
    for subject in ["One", "Two", "Three"] {
        sent.push(kz.deliver("UZ", subject).await);
    }
    let accepted = uz.deliver("KZ", "Answer").await;

    let page = kz.log("").await;
    assert_eq!(page.tree_size, 8);
    assert_eq!(indexes(&page), [7, 6, 5, 4, 3, 2, 1, 0], "newest first");
    let ids: Vec<&str> = page
        .entries
        .iter()
        .map(|e| e.envelope_id.as_str())
        .collect();
    assert_eq!(
        [ids[1], ids[3], ids[5], ids[7]],
        [accepted.as_str(), &sent[2], &sent[1], &sent[0]]
    );
    assert_eq!(page.next_before, None, "the whole log fits in one page");
    let kinds: Vec<(&str, &str, Option<&str>)> = page
        .entries
        .iter()
        .map(|e| {
            (
                e.direction.as_str(),
                e.sender.as_str(),
                e.doc_type.as_deref(),
            )
        })
        .collect();
    let ack = Some("letter-acknowledgement");
    assert_eq!(
        kinds[..4],
        [
            ("sent", "KZ", ack),
            ("accepted", "UZ", Some("letter")),
            ("accepted", "UZ", ack),
            ("sent", "KZ", Some("letter")),
        ]
    );
    let newest = &page.entries[1];
    assert_eq!(newest.recipients, ["KZ"]);
    assert_eq!(newest.envelope_sha256.len(), 64);
    assert!(newest.logged_at.is_some(), "{newest:?}");
    let oldest = &page.entries[7];
    assert_eq!(
        (oldest.direction.as_str(), oldest.sender.as_str()),
        ("sent", "KZ")
    );
    assert_eq!(oldest.recipients, ["UZ"]);

    // Paging: two by two, each page below the last one shown.
    let first = kz.log("?limit=2").await;
    assert_eq!(indexes(&first), [7, 6]);
    assert_eq!(first.next_before, Some(6));
    let second = kz.log("?limit=2&before=2").await;
    assert_eq!(indexes(&second), [1, 0]);
    assert_eq!(
        second.next_before, None,
        "leaf 0 was shown: nothing is older"
    );
    assert_eq!(indexes(&kz.log("?before=1").await), [0]);

    // The checkpoint opens with KZ's log key as the trust list publishes it, and is of the
    // tree the page shows.
    let log_key = sis_ledger::VerifierKey::parse(&net.content.members[0].log_key).expect("key");
    let checkpoint = page.checkpoint.clone().expect("a signed checkpoint");
    let signed = sis_ledger::SignedCheckpoint::open(checkpoint.note.as_bytes(), &log_key)
        .expect("the checkpoint verifies with the node's log key");
    assert_eq!(signed.checkpoint().size(), page.tree_size);
    assert_eq!(checkpoint.tree_size, page.tree_size);
    assert_eq!(hex::encode(signed.checkpoint().root()), page.root_hash);
    assert!(
        checkpoint.cosignatures.is_empty(),
        "no peer has cosigned yet"
    );
    assert_eq!(page.checkpoints[0].tree_size, 8);
    assert_eq!(page.checkpoints[0].cosignatures, 0);
    assert!(
        page.checkpoints
            .windows(2)
            .all(|w| w[0].tree_size > w[1].tree_size),
        "newest checkpoint first: {:?}",
        page.checkpoints
    );

    // UZ witnesses KZ's log: its cosignature is then listed under the checkpoint, and
    // verifies with UZ's witness key.
    use sis_signaling::external::delivery::Clients;
    use sis_signaling::external::witness::{Seen, observe_all};
    let seen = observe_all(&uz.node.exchange, &Clients::default()).await;
    assert_eq!(
        seen,
        [(kz.node.exchange.country, Seen::Cosigned { size: 8 })]
    );
    let cosigned = kz.log("?limit=1").await;
    let checkpoint = cosigned.checkpoint.expect("a signed checkpoint");
    let [cosignature] = checkpoint.cosignatures.as_slice() else {
        panic!("one cosignature, UZ's: {checkpoint:?}");
    };
    assert_eq!(cosignature.peer.as_deref(), Some("UZ"));
    assert_eq!(cosignature.witness, "carec-sis.org/uz/witness");
    assert!(cosignature.cosigned_at > 0 && cosignature.received_at > 0);
    let witness = sis_signaling::external::exchange::witness_verifier(
        uz.node.exchange.country,
        &net.content.members[1].log_key,
    )
    .expect("witness key");
    let with_line = format!("{}{}\n", checkpoint.note, cosignature.line);
    let opened = sis_ledger::SignedCheckpoint::open(with_line.as_bytes(), &log_key)
        .expect("the checkpoint with the cosignature line still opens");
    let found = opened.cosignatures(&[&witness]);
    assert_eq!(found.len(), 1, "{with_line}");
    found[0]
        .verify(opened.checkpoint(), &witness)
        .expect("UZ's cosignature verifies");
    assert_eq!(
        i64::try_from(found[0].timestamp()).expect("time") * 1000,
        cosignature.cosigned_at
    );
    assert_eq!(cosigned.checkpoints[0].cosignatures, 1);
}

/// A letter sent to a member that is down is logged and signed at once: the checkpoint peers
/// fetch covers it before any receipt comes back.
#[tokio::test]
async fn what_is_sent_is_covered_by_a_signed_checkpoint_at_once() {
    let dir = tempfile::tempdir().expect("dir");
    let mut net = Network::new(&["KZ", "UZ"]);
    let kz = member(net.join(0, dir.path()), TestDb::sqlite()).await;
    kz.send("UZ", "While UZ is down").await;
    let page = kz.log("").await;
    assert_eq!(page.tree_size, 1);
    let checkpoint = page.checkpoint.expect("a signed checkpoint");
    assert_eq!(checkpoint.tree_size, 1, "the checkpoint covers the letter");
    let served = kz
        .node
        .exchange
        .log
        .cosigned_checkpoint()
        .await
        .expect("served");
    assert_eq!(served.checkpoint().size(), 1);
}

#[tokio::test]
async fn only_administrators_read_the_log_and_a_bad_limit_is_refused_by_name() {
    let dir = tempfile::tempdir().expect("dir");
    let mut net = Network::new(&["KZ", "UZ"]);
    let kz = member(net.join(0, dir.path()), TestDb::sqlite()).await;

    let resp = kz.log_as(None, "").await;
    assert_eq!(resp.status(), 401, "anonymous");
    let resp = kz.log_as(Some(&kz.officer), "").await;
    assert_eq!(resp.status(), 403, "an officer is not an administrator");

    for (query, starts) in [
        ("?limit=0", true),
        ("?limit=201", true),
        ("?limit=many", false),
        ("?limit=-1", false),
    ] {
        let resp = kz.log_as(Some(&kz.admin), query).await;
        assert_eq!(resp.status(), 400, "{query}");
        let err: sis_proto::ApiError = resp.json().await.expect("error body");
        assert_eq!(err.code, sis_proto::ErrorCode::BadRequest, "{query}");
        let named = if starts {
            err.message.starts_with("limit:")
        } else {
            err.message.contains("limit")
        };
        assert!(
            named,
            "{query}: the message names the field: {}",
            err.message
        );
    }
    let resp = kz.log_as(Some(&kz.admin), "?before=minus").await;
    assert_eq!(resp.status(), 400);
    let err: sis_proto::ApiError = resp.json().await.expect("error body");
    assert!(err.message.contains("before"), "{}", err.message);
    // The largest limit is allowed.
    assert!(kz.log("?limit=200").await.entries.is_empty());
}
