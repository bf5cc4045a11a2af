//! Two member nodes on loopback, each with its own store, external face and delivery worker,
//! exchange letters over real mutual TLS: delivered with a signed receipt, registered at the
//! recipient, logged at both ends; a recipient that was down receives what waited for it;
//! replays, tampering and false senders are answered with signed errors and change nothing.

mod common;

use std::time::Duration;

use common::network::{Join, Network, error_code, post_envelope};
use common::{NodeSetup, TestDb, TestNode, add_officer_of};
use serde_json::json;
use sis_proto::Role;
use sis_proto::letter::{Letter, LetterList, LetterStatus};

struct Member {
    node: TestNode,
    token: String,
}

async fn member(join: Join, db: TestDb) -> Member {
    sis_signaling::node::init_logging(sis_signaling::node::config::LogFormat::Text);
    let country = join.country;
    let setup = NodeSetup {
        country: Some(country),
        network: Some(join),
        ..NodeSetup::default()
    };
    let node = TestNode::start_setup(db, setup).await;
    let login = format!("officer.{}", country.to_ascii_lowercase());
    let parsed = sis_signaling::ids::Login::parse(&login).expect("login");
    if node
        .store
        .officer_by_login(&parsed)
        .await
        .expect("read")
        .is_none()
    {
        add_officer_of(&node.store, &login, Role::Officer, country).await;
    }
    let token = node.login(&reqwest::Client::new(), &login).await;
    Member { node, token }
}

impl Member {
    async fn send(&self, to: &str, subject: &str) -> Letter {
        let resp = reqwest::Client::new()
            .post(self.node.url("/api/v1/letters"))
            .bearer_auth(&self.token)
            .json(&json!({"to": [to], "subject": subject, "body": "Please inspect the seal."}))
            .send()
            .await
            .expect("send");
        assert_eq!(resp.status(), 201);
        resp.json().await.expect("letter")
    }

    async fn letter(&self, id: &str) -> Letter {
        reqwest::Client::new()
            .get(self.node.url(&format!("/api/v1/letters/{id}")))
            .bearer_auth(&self.token)
            .send()
            .await
            .expect("get")
            .json()
            .await
            .expect("letter")
    }

    async fn inbox(&self) -> LetterList {
        let resp = reqwest::Client::new()
            .get(self.node.url("/api/v1/letters?box=inbox"))
            .bearer_auth(&self.token)
            .send()
            .await
            .expect("list");
        let text = resp.text().await.expect("text");
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
    }

    /// Waits until the letter's status for its first recipient is `status` or past it (the
    /// recipient's acknowledgements may move it on before a look).
    async fn until(&self, id: &str, status: LetterStatus, within: Duration) -> Letter {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let letter = self.letter(id).await;
            let now = letter.recipients[0].status;
            if now == status || (progress(status) > 0 && progress(now) >= progress(status)) {
                return letter;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "still {:?} after {within:?}: {letter:?}",
                letter.recipients[0].status
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// How far a letter has come at a recipient (a refusal ends the way).
fn progress(status: LetterStatus) -> u8 {
    match status {
        LetterStatus::Queued => 1,
        LetterStatus::Delivered => 2,
        LetterStatus::Registered => 3,
        LetterStatus::Read => 4,
        LetterStatus::Answered => 5,
        _ => 0,
    }
}

fn year() -> i32 {
    time::OffsetDateTime::now_utc().year()
}

#[tokio::test]
async fn a_letter_travels_is_receipted_registered_and_logged_at_both_ends() {
    let dir = tempfile::tempdir().expect("dir");
    let mut net = Network::new(&["KZ", "UZ"]);
    let kz = member(net.join(0, dir.path()), TestDb::sqlite()).await;
    let uz = member(net.join(1, dir.path()), TestDb::sqlite()).await;

    // A UZ officer's socket is told when the letter arrives.
    let mut socket = socket_of(&uz).await;
    let sent = kz.send("UZ", "Broken seal No. 0047712").await;
    assert_eq!(sent.recipients[0].status, LetterStatus::Queued);
    let envelope = sent.recipients[0].envelope_id.clone().expect("an envelope");
    let delivered = kz
        .until(
            &sent.summary.id,
            LetterStatus::Delivered,
            Duration::from_secs(20),
        )
        .await;
    let receipt = delivered.recipients[0].receipt.clone().expect("receipt");

    let pushed = pushed_letter(&mut socket).await;
    assert_eq!(
        (pushed.subject.as_str(), pushed.from.as_str()),
        ("Broken seal No. 0047712", "KZ")
    );
    let inbox = uz.inbox().await.letters;
    assert_eq!(inbox.len(), 1, "{inbox:?}");
    assert_eq!(inbox[0].id, pushed.id);
    let got = &inbox[0];
    assert_eq!(got.number, format!("UZ-IN-{}-000001", year()));
    assert_eq!(got.from, "KZ");
    assert_eq!(got.subject, "Broken seal No. 0047712");
    assert_eq!(got.case, sent.summary.case, "one case across countries");
    assert!(got.unread);

    // UZ's node tells KZ's under which number it registered the letter.
    let registered = kz
        .until(
            &sent.summary.id,
            LetterStatus::Registered,
            Duration::from_secs(20),
        )
        .await;
    assert_eq!(registered.recipients[0].status, LetterStatus::Registered);
    assert_eq!(
        registered.recipients[0].their_number.as_deref(),
        Some(got.number.as_str())
    );
    assert_eq!(
        registered.recipients[0].receipt, delivered.recipients[0].receipt,
        "the receipt stays"
    );

    // A UZ officer opens it: KZ sees it read there.
    let opened = uz.letter(&got.id).await;
    assert_eq!(opened.summary.status, LetterStatus::Read);
    let read = kz
        .until(
            &sent.summary.id,
            LetterStatus::Read,
            Duration::from_secs(20),
        )
        .await;
    assert_eq!(read.recipients[0].status, LetterStatus::Read);
    assert_eq!(
        opened.their_number.as_deref(),
        Some(sent.summary.number.as_str())
    );
    assert_eq!(opened.body, "Please inspect the seal.");
    assert_eq!(
        opened.envelope_id.as_deref(),
        Some(envelope.as_str()),
        "the incoming letter names the envelope it came in, whose proof its page checks"
    );
    assert_eq!(
        sent.envelope_id, None,
        "an outgoing letter's envelopes are its recipients'"
    );

    // Logged by both: the receiver at the index its receipt names, the sender too.
    let uz_entry = uz
        .node
        .exchange
        .log
        .entry(receipt.log_index)
        .await
        .expect("read");
    let uz_entry = String::from_utf8(uz_entry.expect("an entry")).expect("text");
    assert!(
        uz_entry.contains(&envelope) && uz_entry.contains("accepted"),
        "{uz_entry}"
    );
    let kz_entry = kz
        .node
        .exchange
        .log
        .entry(0)
        .await
        .expect("read")
        .expect("entry");
    let kz_entry = String::from_utf8(kz_entry).expect("text");
    assert!(
        kz_entry.contains(&envelope) && kz_entry.contains("sent"),
        "{kz_entry}"
    );

    // The proof an officer's "verified" badge rests on holds by RFC 6962 alone, at both ends.
    for (m, direction) in [(&uz, "accepted"), (&kz, "sent")] {
        let proof = proof_of(m, &envelope).await;
        assert_eq!(proof["direction"], direction);
        assert!(rfc6962_inclusion_holds(&proof), "{proof}");
        let size = proof["tree_size"].as_u64().expect("size");
        let checkpoint = proof["checkpoint"].as_str().expect("note");
        let root = hex::decode(proof["root_hash"].as_str().expect("root")).expect("hex");
        use base64::Engine;
        let root_line = base64::engine::general_purpose::STANDARD.encode(&root);
        let cc = m.node.exchange.country.as_str().to_lowercase();
        let head = format!("carec-sis.org/{cc}/log\n{size}\n{root_line}\n");
        assert!(checkpoint.starts_with(&head), "{checkpoint}");
    }
    // UZ answers: the answer arrives in KZ's inbox in the same case, and KZ's letter shows
    // UZ's status as answered; UZ's letter shows it answered.
    let resp = reqwest::Client::new()
        .post(uz.node.url("/api/v1/letters"))
        .bearer_auth(&uz.token)
        .json(
            &json!({"to": ["KZ"], "subject": "Re: seal", "body": "Inspected.", "reply_to": got.id}),
        )
        .send()
        .await
        .expect("reply");
    assert_eq!(resp.status(), 201);
    kz.until(
        &sent.summary.id,
        LetterStatus::Answered,
        Duration::from_secs(20),
    )
    .await;
    let answer = &kz.inbox().await.letters[0];
    assert_eq!(
        (answer.subject.as_str(), answer.case.as_str()),
        ("Re: seal", sent.summary.case.as_str())
    );
    assert_eq!(
        kz.letter(&answer.id).await.reply_to.as_deref(),
        Some(sent.summary.id.as_str())
    );
    assert_eq!(
        uz.letter(&got.id).await.summary.status,
        LetterStatus::Answered
    );

    let resp = reqwest::Client::new()
        .get(
            kz.node
                .url("/api/v1/ledger/proof/00000000-0000-7000-8000-000000000000"),
        )
        .bearer_auth(&kz.token)
        .send()
        .await
        .expect("proof");
    assert_eq!(resp.status(), 404);
}

async fn proof_of(m: &Member, envelope: &str) -> serde_json::Value {
    reqwest::Client::new()
        .get(m.node.url(&format!("/api/v1/ledger/proof/{envelope}")))
        .bearer_auth(&m.token)
        .send()
        .await
        .expect("proof")
        .json()
        .await
        .expect("json")
}

/// RFC 6962 §2.1.1 inclusion (as RFC 9162 §2.1.3.2 checks it), written from the RFC for
/// this test: the leaf hash folded with the audit path must give the root.
fn rfc6962_inclusion_holds(proof: &serde_json::Value) -> bool {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    let node = |l: &[u8], r: &[u8]| -> Vec<u8> {
        Sha256::new()
            .chain_update([1u8])
            .chain_update(l)
            .chain_update(r)
            .finalize()
            .to_vec()
    };
    let leaf = base64::engine::general_purpose::STANDARD
        .decode(proof["leaf"].as_str().expect("leaf"))
        .expect("base64");
    let (mut fnum, mut snum) = (
        proof["leaf_index"].as_u64().expect("index"),
        proof["tree_size"].as_u64().expect("size") - 1,
    );
    let mut r: Vec<u8> = Sha256::new()
        .chain_update([0u8])
        .chain_update(&leaf)
        .finalize()
        .to_vec();
    for p in proof["audit_path"].as_array().expect("path") {
        let p = hex::decode(p.as_str().expect("hex")).expect("hex");
        if snum == 0 {
            return false;
        }
        if fnum % 2 == 1 || fnum == snum {
            r = node(&p, &r);
            if fnum % 2 == 0 {
                while fnum % 2 == 0 && fnum != 0 {
                    fnum >>= 1;
                    snum >>= 1;
                }
            }
        } else {
            r = node(&r, &p);
        }
        fnum >>= 1;
        snum >>= 1;
    }
    snum == 0 && hex::encode(r) == proof["root_hash"].as_str().expect("root")
}

#[tokio::test]
async fn a_recipient_that_was_down_receives_what_waited_once_back() {
    let dir = tempfile::tempdir().expect("dir");
    let mut net = Network::new(&["KZ", "UZ"]);
    let kz = member(net.join(0, dir.path()), TestDb::sqlite()).await;
    let uz_db = TestDb::sqlite();
    let uz_url = uz_db.url();
    let uz = member(net.join(1, dir.path()), uz_db).await;
    let first = kz.send("UZ", "First").await;
    kz.until(
        &first.summary.id,
        LetterStatus::Delivered,
        Duration::from_secs(20),
    )
    .await;

    // UZ stops; two letters wait at KZ.
    let uz_db = uz.node.stop().await;
    let waiting = [kz.send("UZ", "Second").await, kz.send("UZ", "Third").await];
    tokio::time::sleep(Duration::from_millis(1500)).await;
    for letter in &waiting {
        let now = kz.letter(&letter.summary.id).await;
        assert_eq!(now.recipients[0].status, LetterStatus::Queued, "UZ is down");
    }

    // UZ comes back on its store and port: everything arrives, once.
    assert_eq!(uz_db.url(), uz_url);
    let uz = member(net.join(1, dir.path()), uz_db).await;
    for letter in &waiting {
        kz.until(
            &letter.summary.id,
            LetterStatus::Delivered,
            Duration::from_secs(40),
        )
        .await;
    }
    let mut subjects: Vec<String> = uz
        .inbox()
        .await
        .letters
        .into_iter()
        .map(|l| l.subject)
        .collect();
    subjects.sort();
    assert_eq!(subjects, ["First", "Second", "Third"]);
}

/// A node on SQLite killed while a delivery was in flight leaves its row leased; once
/// started again it sends it at once (`docs/exchange-protocol.md` §10.2), not when the
/// lease runs out.
#[tokio::test]
async fn a_sender_stopped_mid_delivery_sends_again_as_soon_as_it_restarts() {
    let dir = tempfile::tempdir().expect("dir");
    let mut net = Network::new(&["KZ", "UZ"]);
    let kz = member(net.join(0, dir.path()), TestDb::sqlite()).await;
    let letter = kz.send("UZ", "Sent while UZ was away").await;
    let kz_db = kz.node.stop().await;

    // What a worker killed mid-send leaves behind: the row leased for a long while yet.
    let an_hour_on = sis_signaling::node::state::now_ms() + 3_600_000;
    let raw = sqlx::SqlitePool::connect(&kz_db.url()).await.expect("raw");
    let leased =
        sqlx::query("UPDATE outbox SET state = 'in_flight', lease_until = ?, next_attempt_at = ?")
            .bind(an_hour_on)
            .bind(an_hour_on)
            .execute(&raw)
            .await
            .expect("lease the row");
    assert_eq!(leased.rows_affected(), 1, "one delivery, to UZ");
    raw.close().await;

    let _uz = member(net.join(1, dir.path()), TestDb::sqlite()).await;
    let kz = member(net.join(0, dir.path()), kz_db).await;
    kz.until(
        &letter.summary.id,
        LetterStatus::Delivered,
        Duration::from_secs(20),
    )
    .await;
}

/// The outbox row and the letter learn of the receipt in one transaction: when the
/// letter's side cannot be written, the outbox does not say delivered either, and the
/// delivery is made again (the receiver answers its original receipt) once it can.
#[tokio::test]
async fn a_receipt_is_recorded_in_the_outbox_and_the_letter_together_or_not_at_all() {
    let dir = tempfile::tempdir().expect("dir");
    let mut net = Network::new(&["KZ", "UZ"]);
    let kz = member(net.join(0, dir.path()), TestDb::sqlite()).await;
    let letter = kz.send("UZ", "Receipt kept whole").await;
    let kz_db = kz.node.stop().await;
    let raw = sqlx::SqlitePool::connect(&kz_db.url()).await.expect("raw");
    // A failure between the two writes, as a crash there would be.
    sqlx::query(
        "CREATE TRIGGER no_status BEFORE UPDATE ON letter_recipients \
         BEGIN SELECT RAISE(ABORT, 'the letter cannot be written'); END",
    )
    .execute(&raw)
    .await
    .expect("trigger");
    let outbox_state = || async {
        sqlx::query_scalar::<_, String>("SELECT state FROM outbox")
            .fetch_one(&raw)
            .await
            .expect("state")
    };

    let uz = member(net.join(1, dir.path()), TestDb::sqlite()).await;
    let kz = member(net.join(0, dir.path()), kz_db).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while uz.inbox().await.letters.is_empty() {
        assert!(tokio::time::Instant::now() < deadline, "UZ never got it");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // KZ got the receipt but could not record it in the letter: nothing says delivered.
    for _ in 0..10 {
        assert_ne!(
            outbox_state().await,
            "delivered",
            "the outbox ran ahead of the letter"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    sqlx::query("DROP TRIGGER no_status")
        .execute(&raw)
        .await
        .expect("drop");
    let kz_db = kz.node.stop().await;
    let kz = member(net.join(0, dir.path()), kz_db).await;
    kz.until(
        &letter.summary.id,
        LetterStatus::Delivered,
        Duration::from_secs(20),
    )
    .await;
    assert_eq!(outbox_state().await, "delivered");
    assert_eq!(uz.inbox().await.letters.len(), 1, "delivered once");
}

#[tokio::test]
async fn peers_cosign_each_others_logs_and_a_rewritten_log_is_caught() {
    use sis_signaling::external::delivery::Clients;
    use sis_signaling::external::witness::{Seen, observe_all};
    let dir = tempfile::tempdir().expect("dir");
    let mut net = Network::new(&["KZ", "UZ"]);
    let kz = member(net.join(0, dir.path()), TestDb::sqlite()).await;
    let uz_db = TestDb::sqlite();
    let uz_url = uz_db.url();
    let uz = member(net.join(1, dir.path()), uz_db).await;
    for subject in ["One", "Two"] {
        let sent = kz.send("UZ", subject).await;
        kz.until(
            &sent.summary.id,
            LetterStatus::Delivered,
            Duration::from_secs(20),
        )
        .await;
    }
    let clients = Clients::default();
    let seen = observe_all(&kz.node.exchange, &clients).await;
    // UZ logged each letter and, in the same transaction, the acknowledgement it sent back.
    assert_eq!(
        seen,
        [(uz.node.exchange.country, Seen::Cosigned { size: 4 })]
    );
    // UZ serves its checkpoint with KZ's cosignature, which verifies with KZ's witness key.
    let served = uz
        .node
        .exchange
        .log
        .cosigned_checkpoint()
        .await
        .expect("checkpoint");
    let witness = sis_signaling::external::exchange::witness_verifier(
        kz.node.exchange.country,
        &net.content.members[0].log_key,
    )
    .expect("witness key");
    let cosignatures = served.cosignatures(&[&witness]);
    assert_eq!(
        cosignatures.len(),
        1,
        "{}",
        String::from_utf8_lossy(&served.to_bytes())
    );
    cosignatures[0]
        .verify(served.checkpoint(), &witness)
        .expect("KZ's cosignature verifies");

    // The log grows: cosigned again, on a consistency proof.
    let third = kz.send("UZ", "Three").await;
    kz.until(
        &third.summary.id,
        LetterStatus::Delivered,
        Duration::from_secs(20),
    )
    .await;
    let seen = observe_all(&kz.node.exchange, &clients).await;
    assert_eq!(seen[0].1, Seen::Cosigned { size: 6 });
    // A proof in a tree of six (three letters, each followed by its acknowledgement), with
    // KZ's cosignature of UZ's checkpoint beside it.
    let envelope = third.recipients[0].envelope_id.clone().expect("envelope");
    let proof = proof_of(&uz, &envelope).await;
    assert_eq!(
        (proof["leaf_index"].as_u64(), proof["tree_size"].as_u64()),
        (Some(4), Some(6))
    );
    assert!(rfc6962_inclusion_holds(&proof), "{proof}");
    let mut tampered = proof.clone();
    tampered["leaf_index"] = 1.into();
    assert!(!rfc6962_inclusion_holds(&tampered), "the check can fail");
    let lines = proof["cosignatures"].as_array().expect("list");
    assert_eq!(lines.len(), 1, "{proof}");
    assert!(
        lines[0]
            .as_str()
            .expect("line")
            .starts_with("\u{2014} carec-sis.org/kz/witness "),
        "{proof}"
    );

    // UZ rewrites its history: six other entries, a new checkpoint of the same size.
    let raw = sqlx::SqlitePool::connect(&uz_url).await.expect("raw");
    for table in [
        "log_leaves",
        "log_hashes",
        "log_checkpoints",
        "log_cosignatures",
    ] {
        sqlx::query(&format!("DELETE FROM {table}"))
            .execute(&raw)
            .await
            .expect("rewrite");
    }
    let mut appending = uz.node.exchange.log.begin_append().await.expect("begin");
    for i in 0..6 {
        appending
            .append(&format!("forged-{i}"), format!("forged {i}\n").as_bytes())
            .await
            .expect("append");
    }
    appending.commit().await.expect("commit");
    let before = kz.node.exchange.forks_detected.get();
    let seen = observe_all(&kz.node.exchange, &clients).await;
    let Seen::Fork { evidence_id } = &seen[0].1 else {
        panic!("a fork must be seen: {seen:?}");
    };
    assert_eq!(kz.node.exchange.forks_detected.get(), before + 1);
    let kz_raw = sqlx::SqlitePool::connect(&kz.node.db.url())
        .await
        .expect("raw");
    let (kind, evidence): (String, String) =
        sqlx::query_as("SELECT kind, evidence FROM log_forks WHERE id = ?")
            .bind(evidence_id)
            .fetch_one(&kz_raw)
            .await
            .expect("evidence kept");
    assert_eq!(kind, "same_size_different_root");
    assert!(evidence.contains("carec-sis.org/uz/log"), "{evidence}");
}

#[tokio::test]
async fn replays_tampering_and_false_senders_get_signed_errors_and_change_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let mut net = Network::new(&["KZ", "UZ", "KG"]);
    let kz = member(net.join(0, dir.path()), TestDb::sqlite()).await;
    let uz = member(net.join(1, dir.path()), TestDb::sqlite()).await;
    let sent = kz.send("UZ", "Original").await;
    kz.until(
        &sent.summary.id,
        LetterStatus::Delivered,
        Duration::from_secs(20),
    )
    .await;
    let envelope = sent.recipients[0].envelope_id.clone().expect("envelope");
    let (bytes, _) = kz
        .node
        .exchange
        .stored(&envelope)
        .await
        .expect("read")
        .expect("stored");
    let inbox = || async { uz.inbox().await.letters.len() };
    assert_eq!(inbox().await, 1);

    // An exact replay: the first receipt again, nothing new.
    let (status, first) = post_envelope(&net, 0, 1, "KZ", bytes.clone()).await;
    let (again, second) = post_envelope(&net, 0, 1, "KZ", bytes.clone()).await;
    assert_eq!((status, again), (200, 200));
    assert_eq!(first, second, "the same receipt bytes");
    assert_eq!(inbox().await, 1);

    // One character of the payload changed.
    let text = String::from_utf8(bytes.clone()).expect("json");
    let jws: serde_json::Value = serde_json::from_str(&text).expect("jws");
    let payload = jws["payload"].as_str().expect("payload");
    let flipped = if payload.ends_with('A') { 'B' } else { 'A' };
    let tampered_payload = format!("{}{flipped}", &payload[..payload.len() - 1]);
    let tampered = text.replace(payload, &tampered_payload);
    let (status, body) = post_envelope(&net, 0, 1, "KZ", tampered.into_bytes()).await;
    assert_eq!(status, 400);
    assert_eq!(error_code(&body), "bad_signature");

    // KZ's certificate claiming to be KG, and KG's certificate carrying KZ's envelope.
    let (status, body) = post_envelope(&net, 0, 1, "KG", bytes.clone()).await;
    assert_eq!(
        (status, error_code(&body).as_str()),
        (403, "sender_mismatch")
    );
    let (status, body) = post_envelope(&net, 2, 1, "KG", bytes.clone()).await;
    assert_eq!(
        (status, error_code(&body).as_str()),
        (403, "sender_mismatch")
    );

    // A document type UZ's policy does not accept, properly signed by KZ.
    let other = sis_exchange::seal(
        sis_exchange::NewEnvelope {
            id: uuid::Uuid::now_v7(),
            doc: sis_exchange::DocType::parse("risk-alert").expect("doc"),
            from: kz.node.exchange.country,
            to: sis_exchange::Recipients::Countries(vec![uz.node.exchange.country]),
            created: time::OffsetDateTime::now_utc(),
            corr: uuid::Uuid::now_v7(),
            payload: sis_customs::xml::write(&sis_customs::documents::Document::RiskHit(
                sis_customs::documents::examples::example_risk_hit(),
            ))
            .into_bytes(),
        },
        kz.node.exchange.kid(),
        kz.node.exchange.signing_key(),
    )
    .expect("seal");
    let (status, body) = post_envelope(&net, 0, 1, "KZ", other.bytes().to_vec()).await;
    assert_eq!(
        (status, error_code(&body).as_str()),
        (403, "policy_refused")
    );
    assert_eq!(inbox().await, 1, "nothing refused was stored");
    let kept: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM envelopes WHERE direction = 'accepted'")
            .fetch_one(
                &sqlx::SqlitePool::connect(&uz.node.db.url())
                    .await
                    .expect("raw"),
            )
            .await
            .expect("count");
    assert_eq!(kept, 1);
}

#[tokio::test]
async fn a_letters_files_follow_it_and_only_to_its_recipients() {
    let dir = tempfile::tempdir().expect("dir");
    let mut net = Network::new(&["KZ", "UZ", "KG"]);
    let kz = member(net.join(0, dir.path()), TestDb::sqlite()).await;
    let uz = member(net.join(1, dir.path()), TestDb::sqlite()).await;
    let c = reqwest::Client::new();
    let draft: Letter = c
        .post(kz.node.url("/api/v1/letters"))
        .bearer_auth(&kz.token)
        .json(&json!({"to": ["UZ"], "subject": "Seal act", "body": "Attached.", "draft": true}))
        .send()
        .await
        .expect("draft")
        .json()
        .await
        .expect("letter");
    let id = &draft.summary.id;
    let pdf: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 256) as u8).collect();
    let resp = c
        .put(
            kz.node
                .url(&format!("/api/v1/letters/{id}/attachments/act.pdf")),
        )
        .bearer_auth(&kz.token)
        .header("content-type", "application/pdf")
        .body(pdf.clone())
        .send()
        .await
        .expect("file");
    assert_eq!(resp.status(), 200);
    let sent: Letter = c
        .post(kz.node.url(&format!("/api/v1/letters/{id}/send")))
        .bearer_auth(&kz.token)
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("letter");
    kz.until(
        &sent.summary.id,
        LetterStatus::Delivered,
        Duration::from_secs(20),
    )
    .await;
    let received = uz.inbox().await.letters[0].id.clone();
    let path = uz
        .node
        .url(&format!("/api/v1/letters/{received}/attachments/act.pdf"));
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let resp = c
            .get(&path)
            .bearer_auth(&uz.token)
            .send()
            .await
            .expect("get");
        if resp.status() == 200 {
            assert_eq!(resp.bytes().await.expect("bytes").as_ref(), pdf.as_slice());
            break;
        }
        assert_eq!(resp.status(), 503, "not arrived yet is said as such");
        assert!(
            tokio::time::Instant::now() < deadline,
            "the file did not follow"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // KG, a member the letter was not sent to, is not given the file.
    let sha = &sent.attachments[0].sha256;
    let tls = net.members[2]
        .pki
        .client_config("node", &net.members[0].pki);
    let kg = reqwest::Client::builder()
        .use_preconfigured_tls((*tls).clone())
        .build()
        .expect("client");
    let resp = kg
        .get(format!(
            "https://localhost:{}/external/v1/files/{sha}",
            net.members[0].port
        ))
        .send()
        .await
        .expect("get");
    assert_eq!(resp.status(), 404);
}

/// Two instances of KZ's node on one PostgreSQL database share the outbox: every envelope
/// is delivered once, each row taken by one worker (`FOR UPDATE SKIP LOCKED`).
#[tokio::test]
async fn two_instances_on_one_postgresql_share_the_outbox() {
    let Some(kz_db) = TestDb::postgres().await else {
        return;
    };
    let url = kz_db.url();
    let dir = tempfile::tempdir().expect("dir");
    let mut net = Network::new(&["KZ", "UZ"]);
    let first = member(net.join(0, dir.path()), kz_db).await;
    let mut second_join = net.join(1, dir.path());
    let uz = member(second_join, TestDb::sqlite()).await;
    // The second KZ instance: the same keys and database, a face of its own.
    second_join = Join {
        country: "KZ",
        key: net.members[0].key.clone(),
        cert: net.members[0].pki.path("node.crt"),
        cert_key: net.members[0].pki.path("node.key"),
        trust_file: dir.path().join("trust-list.json"),
        verifier: net.verifier(),
        listener: std::net::TcpListener::bind("127.0.0.1:0").expect("bind"),
        policy: None,
    };
    let second = member(second_join, TestDb::Postgres { url }).await;

    let doc = sis_exchange::DocType::parse("letter").expect("doc");
    let payload = sis_customs::xml::write(&sis_customs::documents::Document::OfficialLetter(
        sis_customs::documents::examples::example_official_letter(),
    ));
    const N: usize = 120;
    for i in 0..N {
        let exchange = if i % 2 == 0 {
            &first.node.exchange
        } else {
            &second.node.exchange
        };
        let mut appending = exchange.log.begin_append().await.expect("begin");
        let now = sis_signaling::node::state::now_ms();
        exchange
            .enqueue(
                &mut appending,
                &doc,
                uz.node.exchange.country,
                uuid::Uuid::now_v7(),
                payload.as_bytes(),
                now,
            )
            .await
            .expect("enqueue");
        appending.commit().await.expect("commit");
        exchange.wake();
    }
    let pg = sqlx::PgPool::connect(&first.node.db.url())
        .await
        .expect("pg");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        let left: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE state <> 'delivered'")
                .fetch_one(&pg)
                .await
                .expect("count");
        if left == 0 {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{left} not delivered"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let attempts: Vec<i64> = sqlx::query_scalar("SELECT attempts FROM outbox")
        .fetch_all(&pg)
        .await
        .expect("attempts");
    assert_eq!(attempts.len(), N);
    assert!(
        attempts.iter().all(|a| *a == 1),
        "a row was taken twice: {attempts:?}"
    );
    let raw = sqlx::SqlitePool::connect(&uz.node.db.url())
        .await
        .expect("raw");
    let received: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM envelopes WHERE direction = 'accepted'")
            .fetch_one(&raw)
            .await
            .expect("count");
    assert_eq!(received, N as i64);
    // Both instances appended to one log: its leaves are numbered without a gap, the N
    // envelopes sent and UZ's acknowledgements as they come back.
    // One statement, one snapshot: acknowledgements may still be arriving.
    let (leaves, top): (i64, i64) = sqlx::query_as("SELECT COUNT(*), MAX(idx) FROM log_leaves")
        .fetch_one(&pg)
        .await
        .expect("count");
    assert_eq!(top, leaves - 1, "no gap");
    let sent: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM log_leaves l JOIN envelopes e ON e.id = l.envelope_id \
         WHERE e.direction = 'sent'",
    )
    .fetch_one(&pg)
    .await
    .expect("count");
    assert_eq!(sent, N as i64);
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// `m`'s officer's WebSocket, authenticated.
async fn socket_of(m: &Member) -> Socket {
    use futures_util::SinkExt;
    let url = format!("ws://{}/api/v1/ws", m.node.addr);
    let mut ws = tokio_tungstenite::connect_async(url)
        .await
        .expect("upgrade")
        .0;
    let auth = format!(r#"{{"type":"auth","token":"{}"}}"#, m.token);
    ws.send(tokio_tungstenite::tungstenite::Message::Text(auth.into()))
        .await
        .expect("auth");
    ws
}

/// The next letter pushed on `ws` (other messages skipped), within 20 s.
async fn pushed_letter(ws: &mut Socket) -> sis_proto::letter::LetterSummary {
    use futures_util::StreamExt;
    loop {
        let frame = tokio::time::timeout(Duration::from_secs(20), ws.next())
            .await
            .expect("a letter is pushed within 20 s")
            .expect("the socket stays open")
            .expect("a frame");
        if let tokio_tungstenite::tungstenite::Message::Text(text) = frame
            && let Ok(sis_proto::ws::ServerMessage::Letter { letter }) = serde_json::from_str(&text)
        {
            return letter;
        }
    }
}

#[tokio::test]
async fn a_withheld_element_never_leaves_and_a_receiver_refuses_it() {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("policy.toml");
    std::fs::write(
        &file,
        "[documents.letter]\nshare_with = \"all\"\nwithheld = [\"OfficialLetter/deadline\"]\n",
    )
    .expect("write");
    let policy = sis_signaling::external::start::policy(&file).expect("a policy");
    let mut net = Network::new(&["KZ", "UZ", "KG"]);
    let mut join = net.join(0, dir.path());
    join.policy = Some(policy.clone());
    let kz = member(join, TestDb::sqlite()).await;
    let mut join = net.join(1, dir.path());
    join.policy = Some(policy);
    let uz = member(join, TestDb::sqlite()).await;
    // KG shares letters whole.
    let kg = member(net.join(2, dir.path()), TestDb::sqlite()).await;

    let with_deadline = json!({"to": ["UZ"], "subject": "Due soon", "body": "Answer by the deadline.", "deadline": "2099-01-31"});
    let post = |m: &Member, body: serde_json::Value| {
        let (url, token) = (m.node.url("/api/v1/letters"), m.token.clone());
        async move {
            let resp = reqwest::Client::new()
                .post(url)
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .expect("send");
            assert_eq!(resp.status(), 201);
            resp.json::<Letter>().await.expect("letter")
        }
    };
    let sent = post(&kz, with_deadline.clone()).await;
    assert_eq!(
        sent.summary.deadline.as_deref(),
        Some("2099-01-31"),
        "kept at home"
    );
    kz.until(
        &sent.summary.id,
        LetterStatus::Delivered,
        Duration::from_secs(20),
    )
    .await;
    let got = &uz.inbox().await.letters[0];
    assert_eq!(
        (got.subject.as_str(), got.deadline.as_deref()),
        ("Due soon", None)
    );

    let refused = post(&kg, with_deadline).await;
    let refused = kg
        .until(
            &refused.summary.id,
            LetterStatus::Refused,
            Duration::from_secs(20),
        )
        .await;
    let refusal = refused.recipients[0].refusal.clone().expect("a refusal");
    assert_eq!(refusal.code, "policy_refused");
    assert!(
        refusal.message.contains("OfficialLetter/deadline"),
        "{}",
        refusal.message
    );
    assert_eq!(
        uz.inbox().await.letters.len(),
        1,
        "nothing refused was stored"
    );
}

/// The trust list is read again from its file while the nodes run: a key whose window has
/// closed no longer signs anything UZ accepts, and a new version with the key's successor
/// (the windows overlapping) lets letters through again; an older version is not taken.
#[tokio::test]
async fn a_reloaded_trust_list_retires_a_key_and_its_successor_takes_over() {
    let dir = tempfile::tempdir().expect("dir");
    let mut net = Network::new(&["KZ", "UZ"]);
    let kz = member(net.join(0, dir.path()), TestDb::sqlite()).await;
    let uz_dir = tempfile::tempdir().expect("uz dir");
    let uz = member(net.join(1, uz_dir.path()), TestDb::sqlite()).await;
    let first = kz.send("UZ", "Before").await;
    kz.until(
        &first.summary.id,
        LetterStatus::Delivered,
        Duration::from_secs(20),
    )
    .await;

    // Version 2 at UZ: KZ's key kz-1 ended an hour ago.
    let hour_ago = time::OffsetDateTime::now_utc() - time::Duration::hours(1);
    let mut retired = net.content.clone();
    retired.version = 2;
    retired.members[0].keys[0].not_after = hour_ago;
    let uz_list = uz_dir.path().join("trust-list.json");
    std::fs::write(&uz_list, net.sealed(&retired)).expect("write");
    let trust = uz.node.exchange.trust.clone().expect("in a network");
    assert!(trust.reload_if_changed(), "version 2 comes into force");
    let refused = kz.send("UZ", "Signed with a retired key").await;
    let refused = kz
        .until(
            &refused.summary.id,
            LetterStatus::Refused,
            Duration::from_secs(20),
        )
        .await;
    let refusal = refused.recipients[0].refusal.clone().expect("refusal");
    assert_eq!(
        refusal.code, "key_not_valid_at_created",
        "{}",
        refusal.message
    );

    // An older list offered again is not taken.
    std::fs::write(&uz_list, net.sealed(&net.content)).expect("write");
    assert!(!trust.reload_if_changed(), "version 1 after 2 is refused");
    assert_eq!(trust.current().version(), 2);

    // Version 3 names kz-2 (the same key material here; a real rollover brings a new key)
    // from before now on: KZ, configured to sign as kz-2, is accepted again.
    let mut rolled = retired.clone();
    rolled.version = 3;
    let mut successor = rolled.members[0].keys[0].clone();
    successor.kid = sis_exchange::KeyId::parse("kz-2").expect("kid");
    successor.not_before = hour_ago - time::Duration::hours(1);
    successor.not_after = hour_ago + time::Duration::days(365);
    rolled.members[0].keys.push(successor);
    std::fs::write(&uz_list, net.sealed(&rolled)).expect("write");
    assert!(trust.reload_if_changed(), "version 3 comes into force");
    let kz_list = dir.path().join("trust-list.json");
    std::fs::write(&kz_list, net.sealed(&rolled)).expect("write");
    let kz_trust = kz.node.exchange.trust.clone().expect("in a network");
    assert!(kz_trust.reload_if_changed());
    let resealed = sis_exchange::seal(
        sis_exchange::NewEnvelope {
            id: uuid::Uuid::now_v7(),
            doc: sis_exchange::DocType::parse("letter").expect("doc"),
            from: kz.node.exchange.country,
            to: sis_exchange::Recipients::Countries(vec![uz.node.exchange.country]),
            created: time::OffsetDateTime::now_utc(),
            corr: uuid::Uuid::now_v7(),
            payload: sis_customs::xml::write(&sis_customs::documents::Document::OfficialLetter(
                sis_customs::documents::examples::example_official_letter(),
            ))
            .into_bytes(),
        },
        &sis_exchange::KeyId::parse("kz-2").expect("kid"),
        kz.node.exchange.signing_key(),
    )
    .expect("seal");
    let (status, body) = post_envelope(&net, 0, 1, "KZ", resealed.bytes().to_vec()).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
}
