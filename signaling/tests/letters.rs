//! Official letters on one node, over its API, on a real store: composing, registration
//! numbers, drafts with files, who sees what, search, and refusals that name the field.

mod common;

use common::{TestDb, TestNode, add_officer};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sis_proto::letter::{Letter, LetterList, LetterStatus};
use sis_proto::{ApiError, Role};
use sis_signaling::auth::SessionPolicy;

struct Desk {
    node: TestNode,
    c: reqwest::Client,
    /// a.ivanov's session.
    ivanov: String,
    /// b.petrova's session.
    petrova: String,
}

async fn desk() -> Desk {
    desk_on(TestDb::sqlite()).await
}

async fn desk_on(db: TestDb) -> Desk {
    sis_signaling::node::init_logging(sis_signaling::node::config::LogFormat::Text);
    let node = TestNode::start_with(db, None, SessionPolicy::default()).await;
    add_officer(&node.store, "a.ivanov", Role::Officer).await;
    add_officer(&node.store, "b.petrova", Role::Officer).await;
    let c = reqwest::Client::new();
    let ivanov = node.login(&c, "a.ivanov").await;
    let petrova = node.login(&c, "b.petrova").await;
    Desk {
        node,
        c,
        ivanov,
        petrova,
    }
}

impl Desk {
    async fn post(&self, token: &str, path: &str, body: Value) -> reqwest::Response {
        self.c
            .post(self.node.url(path))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .expect("send")
    }

    async fn write(&self, body: Value) -> Letter {
        let resp = self.post(&self.ivanov, "/api/v1/letters", body).await;
        assert_eq!(resp.status(), StatusCode::CREATED);
        resp.json().await.expect("letter")
    }

    async fn get(&self, token: &str, path: &str) -> reqwest::Response {
        self.c
            .get(self.node.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("send")
    }

    async fn list(&self, token: &str, query: &str) -> Vec<String> {
        let resp = self.get(token, &format!("/api/v1/letters?{query}")).await;
        assert_eq!(resp.status(), StatusCode::OK, "{query}");
        let list: LetterList = resp.json().await.expect("list");
        list.letters.into_iter().map(|l| l.subject).collect()
    }

    async fn put_file(
        &self,
        token: &str,
        id: &str,
        name: &str,
        kind: &str,
        bytes: Vec<u8>,
    ) -> reqwest::Response {
        self.c
            .put(
                self.node
                    .url(&format!("/api/v1/letters/{id}/attachments/{name}")),
            )
            .bearer_auth(token)
            .header("content-type", kind)
            .body(bytes)
            .send()
            .await
            .expect("send")
    }
}

async fn refusal(resp: reqwest::Response) -> (StatusCode, String) {
    let status = resp.status();
    let err: ApiError = resp.json().await.expect("error body");
    (status, err.message)
}

fn year() -> i32 {
    time::OffsetDateTime::now_utc().year()
}

#[tokio::test]
async fn a_sent_letter_is_numbered_in_its_series_and_queued_for_each_country() {
    let d = desk().await;
    let first = d
        .write(json!({"to": ["UZ", "kg"], "subject": "Broken seal No. 0047712", "body": "Please inspect."}))
        .await;
    let second = d
        .write(json!({"to": ["TJ"], "subject": "Second", "body": "Text."}))
        .await;
    assert_eq!(first.summary.number, format!("KZ-OUT-{}-000001", year()));
    assert_eq!(second.summary.number, format!("KZ-OUT-{}-000002", year()));
    assert_eq!(first.summary.to, ["UZ", "KG"]);
    assert_eq!(first.summary.status, LetterStatus::Queued);
    let statuses: Vec<_> = first
        .recipients
        .iter()
        .map(|r| (r.country.as_str(), r.status))
        .collect();
    assert_eq!(
        statuses,
        [("UZ", LetterStatus::Queued), ("KG", LetterStatus::Queued)]
    );
    assert_eq!(first.author.as_deref(), Some("a.ivanov"));
    // The case: a new one, and an answer stays in it.
    let answer = d
        .write(
            json!({"to": ["UZ"], "subject": "Re: seal", "body": "Text.", "reply_to": first.summary.id}),
        )
        .await;
    assert_eq!(answer.summary.case, first.summary.case);
    assert_eq!(answer.reply_to.as_deref(), Some(first.summary.id.as_str()));
    // Every write is audited.
    let audit = d.node.store.list_audit(100, None).await.expect("audit");
    let letters: Vec<_> = audit
        .iter()
        .filter(|e| e.action.starts_with("letter."))
        .map(|e| e.action.as_str())
        .collect();
    assert_eq!(
        letters.iter().filter(|a| **a == "letter.send").count(),
        3,
        "{letters:?}"
    );
    assert_eq!(
        letters.iter().filter(|a| **a == "letter.create").count(),
        3,
        "{letters:?}"
    );
}

#[tokio::test]
async fn refusals_name_the_field_and_store_nothing() {
    let d = desk().await;
    for (body, message) in [
        (
            json!({"to": ["KZ"], "subject": "s", "body": "Text."}),
            "to[0]: KZ is this node's own country",
        ),
        (
            json!({"to": ["FR"], "subject": "s", "body": "Text."}),
            "to[0]: \"FR\" is not a CAREC member country",
        ),
        (
            json!({"to": ["UZ"], "subject": "", "body": "Text."}),
            "subject: must be 1 to 200 printable characters",
        ),
        (
            json!({"to": ["UZ"], "subject": "s", "body": " \n "}),
            "body: must be 1 to 100000 characters, not only spaces",
        ),
        (
            json!({"to": ["UZ"], "subject": "s", "body": "Text.", "deadline": "2001-01-01"}),
            "deadline: 2001-01-01 is before today",
        ),
        (
            json!({"to": ["UZ"], "subject": "s", "body": "Text.", "reply_to": "nothing"}),
            "reply_to: \"nothing\" is not a letter of this node",
        ),
    ] {
        let (status, got) = refusal(d.post(&d.ivanov, "/api/v1/letters", body).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(
            got.starts_with(message),
            "{got:?} should start with {message:?}"
        );
    }
    assert!(d.list(&d.ivanov, "box=outbox").await.is_empty());
    // The next letter is still number 1.
    let letter = d
        .write(json!({"to": ["UZ"], "subject": "s", "body": "Text."}))
        .await;
    assert!(
        letter.summary.number.ends_with("-000001"),
        "{}",
        letter.summary.number
    );
}

#[tokio::test]
async fn a_draft_takes_files_is_its_authors_until_sent_and_then_keeps_them() {
    let d = desk().await;
    let draft = d
        .write(json!({"to": ["UZ"], "subject": "Seal act", "body": "Attached.", "draft": true}))
        .await;
    let id = draft.summary.id.clone();
    assert_eq!(draft.summary.status, LetterStatus::Draft);
    assert_eq!(draft.summary.number, "");
    let pdf: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    let resp = d
        .put_file(
            &d.ivanov,
            &id,
            "seal act 0047712.pdf",
            "application/pdf",
            pdf.clone(),
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let with_file: Letter = resp.json().await.expect("letter");
    let file = &with_file.attachments[0];
    assert_eq!(
        (file.name.as_str(), file.size_bytes),
        ("seal act 0047712.pdf", 300_000)
    );
    assert_eq!(
        file.sha256,
        hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&pdf))
    );

    // Refused files change nothing.
    let (status, message) =
        refusal(d.put_file(&d.ivanov, &id, "a.pdf", "pdf", vec![1]).await).await;
    assert_eq!(
        (status, message.as_str()),
        (
            StatusCode::BAD_REQUEST,
            "Content-Type: \"pdf\" is not a media type like application/pdf"
        )
    );
    let big = vec![0u8; 20 * 1024 * 1024 + 1];
    let (status, message) = refusal(
        d.put_file(&d.ivanov, &id, "big.bin", "application/octet-stream", big)
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{message}");
    assert!(
        message.starts_with("file: the file is larger than 20971520 bytes"),
        "{message}"
    );

    // Another officer does not see the draft, nor can add to it.
    let path = format!("/api/v1/letters/{id}");
    assert_eq!(
        d.get(&d.petrova, &path).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        d.put_file(&d.petrova, &id, "x.pdf", "application/pdf", vec![1])
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert!(d.list(&d.petrova, "box=outbox").await.is_empty());

    let sent: Letter = d
        .post(&d.ivanov, &format!("{path}/send"), json!({}))
        .await
        .json()
        .await
        .expect("sent");
    assert_eq!(sent.summary.number, format!("KZ-OUT-{}-000001", year()));
    assert_eq!(sent.summary.status, LetterStatus::Queued);
    assert_eq!(sent.attachments.len(), 1);
    assert_eq!(
        d.post(&d.ivanov, &format!("{path}/send"), json!({}))
            .await
            .status(),
        StatusCode::CONFLICT
    );
    assert_eq!(
        d.put_file(&d.ivanov, &id, "late.pdf", "application/pdf", vec![1])
            .await
            .status(),
        StatusCode::CONFLICT
    );

    // Now every officer sees it and downloads the very bytes.
    let resp = d
        .get(
            &d.petrova,
            &format!("{path}/attachments/seal act 0047712.pdf"),
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["content-type"], "application/pdf");
    assert_eq!(
        resp.headers()["content-disposition"],
        "attachment; filename*=UTF-8''seal%20act%200047712.pdf"
    );
    assert_eq!(resp.bytes().await.expect("bytes").as_ref(), pdf.as_slice());
    assert_eq!(
        d.get(&d.petrova, &format!("{path}/attachments/other.pdf"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn search_finds_words_of_subjects_bodies_and_file_names() {
    for db in TestDb::each().await {
        search_on(desk_on(db).await).await;
    }
}

async fn search_on(d: Desk) {
    d.write(json!({"to": ["UZ"], "subject": "Нарушение пломбы на посту Хоргос", "body": "Акт прилагается."})).await;
    d.write(json!({"to": ["KG"], "subject": "Carrier register update", "body": "The TIR holder KZ/123/45 was suspended."})).await;
    let draft = d
        .write(json!({"to": ["TJ"], "subject": "Invoice copy", "body": "Text.", "draft": true}))
        .await;
    let resp = d
        .put_file(
            &d.ivanov,
            &draft.summary.id,
            "invoice-1187.pdf",
            "application/pdf",
            vec![7; 10],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    d.post(
        &d.ivanov,
        &format!("/api/v1/letters/{}/send", draft.summary.id),
        json!({}),
    )
    .await;

    assert_eq!(
        d.list(&d.ivanov, "box=outbox&q=пломб").await,
        ["Нарушение пломбы на посту Хоргос"]
    );
    assert_eq!(
        d.list(&d.ivanov, "box=outbox&q=suspended holder").await,
        ["Carrier register update"]
    );
    assert_eq!(
        d.list(&d.ivanov, "box=outbox&q=invoice-1187").await,
        ["Invoice copy"]
    );
    assert!(
        d.list(&d.ivanov, "box=outbox&q=suspended пломбы")
            .await
            .is_empty(),
        "every word must occur"
    );
    assert!(d.list(&d.ivanov, "box=outbox&q=\" OR *").await.is_empty());
    assert_eq!(d.list(&d.ivanov, "box=outbox").await.len(), 3);
    assert!(d.list(&d.ivanov, "box=inbox").await.is_empty());
}
