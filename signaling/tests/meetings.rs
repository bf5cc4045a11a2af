//! Meetings over real TCP: the REST endpoints with their authorisation, and several
//! officers' WebSockets seeing each other in one room: lobby, chat, moderation, bad
//! signaling, and the signed minutes at the end.

mod common;

use std::time::Duration;

use common::{TestNode, add_officer};
use futures_util::{SinkExt, StreamExt};
use reqwest::StatusCode;
use serde_json::json;
use sis_proto::audit::AuditPage;
use sis_proto::meeting::{
    IceServer, IceServers, LeaveReason, Meeting, MeetingEvent, MeetingId, MeetingList, Minutes,
    MinutesKind,
};
use sis_proto::ws::ServerMessage;
use sis_proto::{ApiError, ErrorCode, Role};
use sis_signaling::modules::meetings::minutes::{MinutesError, verify};
use sis_signaling::node::turn::{IceServerIssuer, TurnSecret};
use tokio_tungstenite::tungstenite::Message;

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// A node with a host (`host`), two invited officers (`ann`, `bob`), an officer who is not
/// invited (`eve`), an admin and a trader.
async fn node() -> TestNode {
    staffed(TestNode::start().await).await
}

async fn staffed(node: TestNode) -> TestNode {
    for (login, role) in [
        ("host.kz", Role::Officer),
        ("ann.kz", Role::Officer),
        ("bob.kz", Role::Supervisor),
        ("eve.kz", Role::Officer),
        ("adm.kz", Role::Admin),
        ("trader.kz", Role::Trader),
    ] {
        add_officer(&node.store, login, role).await;
    }
    node
}

async fn error_of(resp: reqwest::Response) -> (StatusCode, ApiError) {
    let status = resp.status();
    let body: ApiError = resp.json().await.expect("error bodies are {code, message}");
    (status, body)
}

async fn create(node: &TestNode, c: &reqwest::Client, token: &str) -> Meeting {
    let resp = c
        .post(node.url("/api/v1/meetings"))
        .bearer_auth(token)
        .json(&json!({
            "title": "Consignment held at Khorgos",
            "case_id": "KZ-2026-0042",
            "invited": ["ann.kz", "bob.kz", "host.kz"],
        }))
        .send()
        .await
        .expect("create");
    assert_eq!(resp.status(), StatusCode::CREATED);
    resp.json().await.expect("meeting")
}

#[tokio::test]
async fn create_list_get_and_end_with_authorisation() {
    let node = node().await;
    let c = reqwest::Client::new();
    let host = node.login(&c, "host.kz").await;
    let ann = node.login(&c, "ann.kz").await;
    let eve = node.login(&c, "eve.kz").await;

    let m = create(&node, &c, &host).await;
    assert_eq!(m.host, "host.kz");
    assert_eq!(
        m.invited,
        ["ann.kz", "bob.kz"],
        "the host is not its own guest"
    );
    assert_eq!(m.case_id.as_deref(), Some("KZ-2026-0042"));

    for token in [&host, &ann] {
        let list: MeetingList = c
            .get(node.url("/api/v1/meetings"))
            .bearer_auth(token)
            .send()
            .await
            .expect("list")
            .json()
            .await
            .expect("list body");
        assert_eq!(list.meetings, std::slice::from_ref(&m));
        let got: Meeting = c
            .get(node.url(&format!("/api/v1/meetings/{}", m.id)))
            .bearer_auth(token)
            .send()
            .await
            .expect("get")
            .json()
            .await
            .expect("meeting");
        assert_eq!(got, m);
    }
    let list: MeetingList = c
        .get(node.url("/api/v1/meetings"))
        .bearer_auth(&eve)
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("list body");
    assert!(
        list.meetings.is_empty(),
        "eve sees no meeting she is not in"
    );

    // Authorisation failures.
    let path = format!("/api/v1/meetings/{}", m.id);
    // Someone else's meeting answers exactly as a meeting that does not exist.
    let missing = format!("/api/v1/meetings/{}", m.id.0 ^ 1);
    for p in [path.clone(), format!("{path}/minutes")] {
        let (status, err) = error_of(
            c.get(node.url(&p))
                .bearer_auth(&eve)
                .send()
                .await
                .expect("get"),
        )
        .await;
        let (missing_status, missing_err) = error_of(
            c.get(node.url(&p.replace(&path, &missing)))
                .bearer_auth(&eve)
                .send()
                .await
                .expect("get"),
        )
        .await;
        assert_eq!(
            (status, err.code),
            (StatusCode::NOT_FOUND, ErrorCode::NotFound),
            "{p}"
        );
        assert_eq!(
            (status, &err),
            (missing_status, &missing_err),
            "{p}: not yours = not there"
        );
    }
    let (status, err) = error_of(
        c.post(node.url(&format!("{path}/end")))
            .bearer_auth(&ann)
            .send()
            .await
            .expect("end"),
    )
    .await;
    assert_eq!(
        (status, err.code),
        (StatusCode::FORBIDDEN, ErrorCode::Forbidden),
        "only the host ends"
    );
    for (method, p) in [
        ("GET", "/api/v1/meetings".to_owned()),
        ("POST", "/api/v1/meetings".to_owned()),
        ("GET", path.clone()),
        ("POST", format!("{path}/end")),
        ("GET", format!("{path}/minutes")),
    ] {
        let resp = c
            .request(method.parse().expect("method"), node.url(&p))
            .send()
            .await
            .expect("request");
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "{method} {p}");
    }
    let trader = node.login(&c, "trader.kz").await;
    let resp = c
        .post(node.url("/api/v1/meetings"))
        .bearer_auth(&trader)
        .json(&json!({"title": "x"}))
        .send()
        .await
        .expect("create");
    assert_eq!(resp.status(), StatusCode::FORBIDDEN, "traders do not host");

    // Bad input names the field.
    for (body, field) in [
        (json!({"title": "  "}), "title"),
        (
            json!({"title": "t", "invited": ["ann.kz", "ghost"]}),
            "invited[1]",
        ),
        (
            json!({"title": "t", "invited": ["trader.kz"]}),
            "invited[0]",
        ),
        (json!({"title": "t", "case_id": ""}), "case_id"),
    ] {
        let (status, err) = error_of(
            c.post(node.url("/api/v1/meetings"))
                .bearer_auth(&host)
                .json(&body)
                .send()
                .await
                .expect("create"),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(err.message.starts_with(field), "{body}: {}", err.message);
    }
    let (status, err) = error_of(
        c.get(node.url("/api/v1/meetings/abc"))
            .bearer_auth(&host)
            .send()
            .await
            .expect("get"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(err.message.starts_with("id:"), "{}", err.message);
    let (status, _) = error_of(
        c.get(node.url("/api/v1/meetings/9999"))
            .bearer_auth(&host)
            .send()
            .await
            .expect("get"),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The host ends it (nobody in the room); a second end is a conflict.
    let ended: Meeting = c
        .post(node.url(&format!("{path}/end")))
        .bearer_auth(&host)
        .send()
        .await
        .expect("end")
        .json()
        .await
        .expect("ended meeting");
    assert!(ended.ended_at.is_some());
    let (status, err) = error_of(
        c.post(node.url(&format!("{path}/end")))
            .bearer_auth(&host)
            .send()
            .await
            .expect("end again"),
    )
    .await;
    assert_eq!(
        (status, err.code),
        (StatusCode::CONFLICT, ErrorCode::MeetingEnded)
    );
    let minutes: Minutes = c
        .get(node.url(&format!("{path}/minutes")))
        .bearer_auth(&ann)
        .send()
        .await
        .expect("minutes")
        .json()
        .await
        .expect("minutes body");
    let kinds: Vec<_> = minutes.entries.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [MinutesKind::Created, MinutesKind::Ended]);
    let sig = minutes.signature.expect("ended minutes are signed");
    verify(m.id, &minutes.entries, &sig, &node.node_key).expect("signature verifies");

    // Every write is audited, refusals too.
    let admin = node.login(&c, "adm.kz").await;
    let audit: AuditPage = c
        .get(node.url("/api/v1/audit?limit=100"))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("audit")
        .json()
        .await
        .expect("audit page");
    let target = format!("meeting/{}", m.id);
    let seen: Vec<(&str, &str, &str)> = audit
        .entries
        .iter()
        .filter(|e| e.target.as_deref() == Some(target.as_str()))
        .map(|e| {
            (
                e.actor.as_deref().unwrap_or(""),
                e.action.as_str(),
                e.outcome.as_str(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("host.kz", "meeting.end", "ok"),
            ("ann.kz", "meeting.end", "forbidden"),
            ("host.kz", "meeting.create", "ok"),
        ]
    );
}

// ---- ICE servers ----

const ICE_SERVERS: &str = "/api/v1/meetings/ice-servers";

async fn ice_servers(node: &TestNode, c: &reqwest::Client, token: &str) -> IceServers {
    let resp = c
        .get(node.url(ICE_SERVERS))
        .bearer_auth(token)
        .send()
        .await
        .expect("ice servers");
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        resp.headers()
            .get(reqwest::header::CACHE_CONTROL)
            .and_then(|v| v.to_str().ok()),
        Some("no-store"),
        "a credential is not cached"
    );
    resp.json().await.expect("ice servers body")
}

fn unix_s() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs() as i64
}

#[tokio::test]
async fn officers_get_turn_credentials_of_their_own_that_expire() {
    let secret = TurnSecret::new("north-wind-4f1c9a");
    let urls = [
        "turn:turn.example.org:3478?transport=udp".to_owned(),
        "turns:turn.example.org:5349?transport=tcp".to_owned(),
        "stun:turn.example.org:3478".to_owned(),
    ];
    let lifetime_s = 600;
    let node = staffed(
        TestNode::start_with_ice_servers(IceServerIssuer::new(
            &urls,
            Some(secret.clone()),
            lifetime_s,
        ))
        .await,
    )
    .await;
    let c = reqwest::Client::new();

    for login in ["ann.kz", "bob.kz", "adm.kz"] {
        let token = node.login(&c, login).await;
        let before = unix_s();
        let got = ice_servers(&node, &c, &token).await;
        let after = unix_s();
        let [turn, stun] = got.ice_servers.as_slice() else {
            panic!("a TURN and a STUN entry: {got:?}");
        };
        assert_eq!(turn.urls, urls[..2]);
        let username = turn.username.as_deref().expect("a TURN username");
        let (expiry, who) = username.split_once(':').expect("expiry:login");
        assert_eq!(who, login, "the credential names its officer");
        let expiry: i64 = expiry.parse().expect("unix seconds");
        assert!(
            (before + lifetime_s..=after + lifetime_s).contains(&expiry),
            "expiry {expiry} is now + {lifetime_s} s (now {before}..{after})"
        );
        assert_eq!(got.expires_at, Some(expiry * 1000));
        assert_eq!(
            turn.credential.as_deref(),
            Some(sis_signaling::node::turn::credential(&secret, username).as_str())
        );
        assert_eq!(
            stun,
            &IceServer {
                urls: vec![urls[2].clone()],
                username: None,
                credential: None,
            }
        );
    }

    // Without a session: 401. Traders are in no meeting, so get no right to relay: 403.
    let (status, err) = error_of(c.get(node.url(ICE_SERVERS)).send().await.expect("get")).await;
    assert_eq!(
        (status, err.code),
        (StatusCode::UNAUTHORIZED, ErrorCode::Unauthenticated)
    );
    let trader = node.login(&c, "trader.kz").await;
    let (status, err) = error_of(
        c.get(node.url(ICE_SERVERS))
            .bearer_auth(&trader)
            .send()
            .await
            .expect("get"),
    )
    .await;
    assert_eq!(
        (status, err.code),
        (StatusCode::FORBIDDEN, ErrorCode::Forbidden)
    );
}

#[tokio::test]
async fn without_turn_configured_the_list_is_empty() {
    let node = node().await;
    let c = reqwest::Client::new();
    let token = node.login(&c, "ann.kz").await;
    let got = ice_servers(&node, &c, &token).await;
    assert_eq!(
        got,
        IceServers {
            ice_servers: Vec::new(),
            expires_at: None,
        }
    );
}

// ---- WebSocket ----

async fn socket(node: &TestNode, token: &str) -> Socket {
    let url = format!("ws://{}/api/v1/ws", node.addr);
    let mut ws = tokio_tungstenite::connect_async(url)
        .await
        .expect("upgrade")
        .0;
    send_raw(
        &mut ws,
        &json!({"type": "auth", "token": token}).to_string(),
    )
    .await;
    assert!(matches!(next(&mut ws).await, ServerMessage::Ready { .. }));
    ws
}

async fn send_raw(ws: &mut Socket, text: &str) {
    ws.send(Message::Text(text.into())).await.expect("send");
}

async fn op(ws: &mut Socket, meeting: MeetingId, op: serde_json::Value) {
    send_raw(
        ws,
        &json!({"type": "meeting", "meeting": meeting, "op": op}).to_string(),
    )
    .await;
}

async fn next(ws: &mut Socket) -> ServerMessage {
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(5), ws.next())
            .await
            .expect("the node answers within 5 s")
            .expect("the socket stays open")
            .expect("a frame");
        if let Message::Text(t) = msg {
            return serde_json::from_str(&t).expect("a server message");
        }
    }
}

/// The next meeting event on the socket.
async fn event(ws: &mut Socket, meeting: MeetingId) -> MeetingEvent {
    match next(ws).await {
        ServerMessage::Meeting { meeting: m, event } if m == meeting => event,
        other => panic!("expected an event of meeting {meeting}, got {other:?}"),
    }
}

async fn refused(ws: &mut Socket, meeting: MeetingId) -> ErrorCode {
    match event(ws, meeting).await {
        MeetingEvent::Error { error } => error.code,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// Proves the socket has nothing else queued: a ping's pong comes next.
async fn quiet(ws: &mut Socket) {
    send_raw(ws, r#"{"type":"ping","nonce":99}"#).await;
    assert_eq!(next(ws).await, ServerMessage::Pong { nonce: 99 });
}

#[tokio::test]
async fn three_officers_meet_chat_and_the_host_moderates() {
    let node = node().await;
    let c = reqwest::Client::new();
    let host_token = node.login(&c, "host.kz").await;
    let m = create(&node, &c, &host_token).await;
    let id = m.id;
    let mut host = socket(&node, &host_token).await;
    let mut ann = socket(&node, &node.login(&c, "ann.kz").await).await;
    let mut bob = socket(&node, &node.login(&c, "bob.kz").await).await;
    let mut eve = socket(&node, &node.login(&c, "eve.kz").await).await;

    // Bad and out-of-order signaling before anyone is in: typed errors, the socket lives.
    op(&mut ann, id, json!({"kind": "offer", "sdp": "v=0"})).await;
    assert_eq!(refused(&mut ann, id).await, ErrorCode::OutOfOrder);
    op(&mut ann, MeetingId(4242), json!({"kind": "join"})).await;
    assert_eq!(
        refused(&mut ann, MeetingId(4242)).await,
        ErrorCode::NotFound
    );
    op(&mut eve, id, json!({"kind": "join"})).await;
    assert_eq!(refused(&mut eve, id).await, ErrorCode::NotFound);
    send_raw(
        &mut ann,
        r#"{"type":"meeting","meeting":1,"op":{"kind":"dance"}}"#,
    )
    .await;
    assert!(
        matches!(next(&mut ann).await, ServerMessage::Error { error } if error.code == ErrorCode::BadRequest)
    );
    send_raw(&mut ann, "{not json").await;
    assert!(
        matches!(next(&mut ann).await, ServerMessage::Error { error } if error.code == ErrorCode::BadRequest)
    );

    // The host enters; ann and bob wait in the lobby and the host hears them knock.
    op(&mut host, id, json!({"kind": "join"})).await;
    assert!(
        matches!(event(&mut host, id).await, MeetingEvent::Admitted { participants, .. } if participants.len() == 1)
    );
    op(&mut ann, id, json!({"kind": "join"})).await;
    assert_eq!(event(&mut ann, id).await, MeetingEvent::InLobby);
    assert!(
        matches!(event(&mut host, id).await, MeetingEvent::Knocking { participant } if participant.login == "ann.kz")
    );
    op(&mut bob, id, json!({"kind": "join"})).await;
    assert_eq!(event(&mut bob, id).await, MeetingEvent::InLobby);
    assert!(
        matches!(event(&mut host, id).await, MeetingEvent::Knocking { participant } if participant.login == "bob.kz")
    );

    // Someone in the lobby cannot admit.
    op(&mut ann, id, json!({"kind": "admit", "login": "bob.kz"})).await;
    assert_eq!(refused(&mut ann, id).await, ErrorCode::OutOfOrder);

    op(&mut host, id, json!({"kind": "admit", "login": "ann.kz"})).await;
    assert!(
        matches!(event(&mut host, id).await, MeetingEvent::ParticipantJoined { participant } if participant.login == "ann.kz")
    );
    assert!(
        matches!(event(&mut ann, id).await, MeetingEvent::Admitted { participants, .. } if participants.len() == 2)
    );
    op(&mut host, id, json!({"kind": "admit", "login": "bob.kz"})).await;
    for ws in [&mut host, &mut ann] {
        assert!(
            matches!(event(ws, id).await, MeetingEvent::ParticipantJoined { participant } if participant.login == "bob.kz")
        );
    }
    assert!(
        matches!(event(&mut bob, id).await, MeetingEvent::Admitted { participants, .. } if participants.len() == 3)
    );

    // Chat reaches all three.
    op(
        &mut ann,
        id,
        json!({"kind": "chat", "text": "The seals are intact."}),
    )
    .await;
    for ws in [&mut host, &mut ann, &mut bob] {
        assert!(
            matches!(event(ws, id).await, MeetingEvent::Chat { line } if line.from == "ann.kz" && line.text == "The seals are intact.")
        );
    }
    // Hand, mute and a decision.
    op(&mut bob, id, json!({"kind": "hand", "raised": true})).await;
    for ws in [&mut host, &mut ann, &mut bob] {
        assert_eq!(
            event(ws, id).await,
            MeetingEvent::Hand {
                login: "bob.kz".into(),
                raised: true
            }
        );
    }
    op(
        &mut ann,
        id,
        json!({"kind": "mute", "login": "bob.kz", "muted": true}),
    )
    .await;
    assert_eq!(refused(&mut ann, id).await, ErrorCode::Forbidden);
    op(
        &mut host,
        id,
        json!({"kind": "mute", "login": "bob.kz", "muted": true}),
    )
    .await;
    for ws in [&mut host, &mut ann, &mut bob] {
        assert!(
            matches!(event(ws, id).await, MeetingEvent::Muted { login, muted: true, .. } if login == "bob.kz")
        );
    }
    op(
        &mut host,
        id,
        json!({"kind": "decision", "text": "Release after joint inspection."}),
    )
    .await;
    for ws in [&mut host, &mut ann, &mut bob] {
        assert!(matches!(event(ws, id).await, MeetingEvent::Decision { .. }));
    }

    // Signaling without a media server: the offer is refused with a clear code, and out
    // of order messages too; nothing changes for the others.
    op(&mut ann, id, json!({"kind": "offer", "sdp": "v=0\r\n"})).await;
    assert_eq!(refused(&mut ann, id).await, ErrorCode::MediaUnavailable);
    op(&mut ann, id, json!({"kind": "answer", "sdp": "v=0\r\n"})).await;
    assert_eq!(refused(&mut ann, id).await, ErrorCode::OutOfOrder);
    op(&mut ann, id, json!({"kind": "candidate", "candidate": {"candidate": "candidate:1 1 udp 1 127.0.0.1 9 typ host", "sdpMid": "0"}})).await;
    assert_eq!(refused(&mut ann, id).await, ErrorCode::OutOfOrder);
    op(&mut ann, id, json!({"kind": "chat", "text": ""})).await;
    assert_eq!(refused(&mut ann, id).await, ErrorCode::BadRequest);
    quiet(&mut host).await;
    quiet(&mut bob).await;

    // A second socket of bob that has not joined cannot act for him.
    let mut bob2 = socket(&node, &node.login(&c, "bob.kz").await).await;
    op(&mut bob2, id, json!({"kind": "chat", "text": "hijack"})).await;
    assert_eq!(refused(&mut bob2, id).await, ErrorCode::OutOfOrder);
    quiet(&mut ann).await;

    // The host removes bob: he is told, the others see him leave, he cannot come back.
    op(&mut host, id, json!({"kind": "remove", "login": "bob.kz"})).await;
    assert_eq!(
        event(&mut bob, id).await,
        MeetingEvent::Removed {
            by: "host.kz".into()
        }
    );
    for ws in [&mut host, &mut ann] {
        assert_eq!(
            event(ws, id).await,
            MeetingEvent::ParticipantLeft {
                login: "bob.kz".into(),
                reason: LeaveReason::Removed
            }
        );
    }
    op(&mut bob, id, json!({"kind": "join"})).await;
    assert_eq!(refused(&mut bob, id).await, ErrorCode::Forbidden);
    op(&mut bob, id, json!({"kind": "chat", "text": "still here?"})).await;
    assert_eq!(refused(&mut bob, id).await, ErrorCode::OutOfOrder);

    // Ann drops (socket closed) and comes back without the lobby.
    drop(ann);
    assert_eq!(
        event(&mut host, id).await,
        MeetingEvent::ParticipantLeft {
            login: "ann.kz".into(),
            reason: LeaveReason::Disconnected
        }
    );
    let mut ann = socket(&node, &node.login(&c, "ann.kz").await).await;
    op(&mut ann, id, json!({"kind": "join"})).await;
    match event(&mut ann, id).await {
        MeetingEvent::Admitted { chat, .. } => {
            assert_eq!(chat.len(), 1, "the chat so far comes with admission");
        }
        other => panic!("expected admission, got {other:?}"),
    }
    assert!(matches!(
        event(&mut host, id).await,
        MeetingEvent::ParticipantJoined { .. }
    ));

    // The host ends the meeting over the socket: everyone hears it, the minutes are signed.
    op(&mut ann, id, json!({"kind": "end"})).await;
    assert_eq!(refused(&mut ann, id).await, ErrorCode::Forbidden);
    op(&mut host, id, json!({"kind": "end"})).await;
    for ws in [&mut host, &mut ann] {
        assert!(matches!(event(ws, id).await, MeetingEvent::Ended { .. }));
    }
    op(&mut ann, id, json!({"kind": "join"})).await;
    assert_eq!(refused(&mut ann, id).await, ErrorCode::MeetingEnded);

    let minutes: Minutes = c
        .get(node.url(&format!("/api/v1/meetings/{id}/minutes")))
        .bearer_auth(&host_token)
        .send()
        .await
        .expect("minutes")
        .json()
        .await
        .expect("minutes body");
    let kinds: Vec<_> = minutes.entries.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [
            MinutesKind::Created,
            MinutesKind::Joined,
            MinutesKind::Joined,
            MinutesKind::Joined,
            MinutesKind::Chat,
            MinutesKind::Decision,
            MinutesKind::Removed,
            MinutesKind::Left,
            MinutesKind::Joined,
            MinutesKind::Ended,
        ]
    );
    let sig = minutes.signature.clone().expect("signed at the end");
    verify(id, &minutes.entries, &sig, &node.node_key).expect("the signature verifies");

    // Tampering is detected: an edited chat line, a dropped entry, a forged signature.
    let mut edited = minutes.entries.clone();
    edited[4].text = Some("The seals are broken.".into());
    assert_eq!(
        verify(id, &edited, &sig, &node.node_key),
        Err(MinutesError::BadHash { index: 4 })
    );
    let mut dropped = minutes.entries.clone();
    dropped.remove(6);
    assert!(verify(id, &dropped, &sig, &node.node_key).is_err());
    // One bit of the last byte flipped: never the real signature, whatever its bytes.
    let mut forged = sig.clone();
    let last = u8::from_str_radix(&forged.signature[126..], 16).expect("hex signature");
    forged.signature = format!("{}{:02x}", &forged.signature[..126], last ^ 1);
    assert_ne!(forged.signature, sig.signature);
    assert_eq!(
        verify(id, &minutes.entries, &forged, &node.node_key),
        Err(MinutesError::BadSignature("does not match the minutes"))
    );

    let stays = node.store.attendance(id).await.expect("attendance");
    let bob_stay = stays
        .iter()
        .find(|s| s.login == "bob.kz")
        .expect("bob attended");
    assert_eq!(bob_stay.left_why.as_deref(), Some("removed"));
    assert!(
        stays.iter().all(|s| s.left_at.is_some()),
        "every stay is closed at the end"
    );
}

/// A media server that answers every offer at once and, when a second participant joins,
/// offers the first one a new session (as an SFU does when tracks arrive). It stands in
/// for the SFU behind the same trait; the SFU's own tests use real WebRTC.
#[derive(Debug, Default)]
struct ScriptedMedia {
    events: std::sync::Mutex<Option<sis_signaling::modules::meetings::MediaEvents>>,
    joined: std::sync::Mutex<Vec<String>>,
    calls: std::sync::Mutex<Vec<String>>,
}

#[async_trait::async_trait]
impl sis_signaling::modules::meetings::MediaServer for ScriptedMedia {
    fn set_events(&self, events: sis_signaling::modules::meetings::MediaEvents) {
        *self.events.lock().expect("lock") = Some(events);
    }

    async fn join(
        &self,
        room: MeetingId,
        participant: &str,
    ) -> Result<(), sis_signaling::modules::meetings::MediaError> {
        self.calls
            .lock()
            .expect("lock")
            .push(format!("join {participant}"));
        let mut joined = self.joined.lock().expect("lock");
        let events = self
            .events
            .lock()
            .expect("lock")
            .clone()
            .expect("events set at start");
        for earlier in joined.iter() {
            events.offer(
                room,
                earlier,
                format!("renegotiate {earlier} for {participant}"),
            );
        }
        joined.push(participant.to_owned());
        Ok(())
    }

    async fn offer(
        &self,
        room: MeetingId,
        participant: &str,
        sdp: &str,
    ) -> Result<String, sis_signaling::modules::meetings::MediaError> {
        self.calls
            .lock()
            .expect("lock")
            .push(format!("offer {participant}"));
        let events = self
            .events
            .lock()
            .expect("lock")
            .clone()
            .expect("events set at start");
        events.candidate(
            room,
            participant,
            sis_proto::meeting::IceCandidate {
                candidate: "candidate:1 1 udp 2130706431 127.0.0.1 40000 typ host".into(),
                sdp_mid: Some("0".into()),
                sdp_mline_index: Some(0),
                username_fragment: None,
            },
        );
        Ok(format!("answer to {sdp}"))
    }

    async fn answer(
        &self,
        _: MeetingId,
        participant: &str,
        sdp: &str,
    ) -> Result<(), sis_signaling::modules::meetings::MediaError> {
        self.calls
            .lock()
            .expect("lock")
            .push(format!("answer {participant} {sdp}"));
        Ok(())
    }

    async fn candidate(
        &self,
        _: MeetingId,
        participant: &str,
        _: &sis_proto::meeting::IceCandidate,
    ) -> Result<(), sis_signaling::modules::meetings::MediaError> {
        self.calls
            .lock()
            .expect("lock")
            .push(format!("candidate {participant}"));
        Ok(())
    }

    async fn leave(&self, _: MeetingId, participant: &str) {
        self.calls
            .lock()
            .expect("lock")
            .push(format!("leave {participant}"));
        self.joined
            .lock()
            .expect("lock")
            .retain(|p| p != participant);
    }
}

#[tokio::test]
async fn offers_answers_candidates_and_server_renegotiation_reach_the_media_server() {
    let media = std::sync::Arc::new(ScriptedMedia::default());
    let node = TestNode::start_with_media(media.clone()).await;
    for login in ["host.kz", "ann.kz"] {
        add_officer(&node.store, login, Role::Officer).await;
    }
    let c = reqwest::Client::new();
    let host_token = node.login(&c, "host.kz").await;
    let resp = c
        .post(node.url("/api/v1/meetings"))
        .bearer_auth(&host_token)
        .json(&json!({"title": "Media", "invited": ["ann.kz"]}))
        .send()
        .await
        .expect("create");
    let id = resp.json::<Meeting>().await.expect("meeting").id;
    let mut host = socket(&node, &host_token).await;
    op(&mut host, id, json!({"kind": "join"})).await;
    assert!(matches!(
        event(&mut host, id).await,
        MeetingEvent::Admitted { .. }
    ));

    // The client offers; the answer and the server's trickled candidate come back.
    op(&mut host, id, json!({"kind": "offer", "sdp": "host-offer"})).await;
    let mut got = [event(&mut host, id).await, event(&mut host, id).await];
    got.sort_by_key(|e| matches!(e, MeetingEvent::Candidate { .. }));
    assert_eq!(
        got[0],
        MeetingEvent::Answer {
            sdp: "answer to host-offer".into()
        }
    );
    assert!(matches!(got[1], MeetingEvent::Candidate { .. }));
    op(&mut host, id, json!({"kind": "candidate", "candidate": {"candidate": "candidate:2 1 udp 1 127.0.0.1 9 typ host", "sdpMid": "0"}})).await;

    // Ann arrives: the media server renegotiates the host's session; the host answers.
    let mut ann = socket(&node, &node.login(&c, "ann.kz").await).await;
    op(&mut ann, id, json!({"kind": "join"})).await;
    assert_eq!(event(&mut ann, id).await, MeetingEvent::InLobby);
    assert!(matches!(
        event(&mut host, id).await,
        MeetingEvent::Knocking { .. }
    ));
    op(&mut host, id, json!({"kind": "admit", "login": "ann.kz"})).await;
    assert!(matches!(
        event(&mut host, id).await,
        MeetingEvent::ParticipantJoined { .. }
    ));
    assert_eq!(
        event(&mut host, id).await,
        MeetingEvent::Offer {
            sdp: "renegotiate host.kz for ann.kz".into()
        }
    );
    // Offering now would cross the node's offer.
    op(&mut host, id, json!({"kind": "offer", "sdp": "glare"})).await;
    assert_eq!(refused(&mut host, id).await, ErrorCode::OutOfOrder);
    op(
        &mut host,
        id,
        json!({"kind": "answer", "sdp": "host-answer"}),
    )
    .await;
    quiet(&mut host).await;

    op(&mut ann, id, json!({"kind": "leave"})).await;
    assert!(matches!(
        event(&mut ann, id).await,
        MeetingEvent::Admitted { .. }
    ));
    assert_eq!(event(&mut ann, id).await, MeetingEvent::Left);
    quiet(&mut ann).await;

    let calls = media.calls.lock().expect("lock").clone();
    assert_eq!(
        calls,
        [
            "join host.kz",
            "offer host.kz",
            "candidate host.kz",
            "join ann.kz",
            "answer host.kz host-answer",
            "leave ann.kz",
        ]
    );
}

async fn minutes_as(node: &TestNode, c: &reqwest::Client, token: &str, id: MeetingId) -> Minutes {
    let resp = c
        .get(node.url(&format!("/api/v1/meetings/{id}/minutes")))
        .bearer_auth(token)
        .send()
        .await
        .expect("minutes");
    assert_eq!(resp.status(), StatusCode::OK);
    resp.json().await.expect("minutes")
}

/// Chat texts in the minutes as one reader sees them (`None` where withheld).
fn chat_texts(minutes: &Minutes) -> Vec<Option<String>> {
    minutes
        .entries
        .iter()
        .filter(|e| e.kind == MinutesKind::Chat)
        .map(|e| {
            assert_eq!(e.withheld, e.text.is_none(), "withheld entries say so");
            e.text.clone()
        })
        .collect()
}

#[tokio::test]
async fn only_those_in_the_room_read_its_chat_and_ids_are_not_sequential() {
    let node = node().await;
    let c = reqwest::Client::new();
    let (host_t, ann_t, bob_t) = (
        node.login(&c, "host.kz").await,
        node.login(&c, "ann.kz").await,
        node.login(&c, "bob.kz").await,
    );
    let m = create(&node, &c, &host_t).await;
    let other = create(&node, &c, &host_t).await;
    assert!(
        (m.id.0 - other.id.0).abs() > 1 && m.id.0 < 1 << 53 && other.id.0 < 1 << 53,
        "ids are random below 2^53: {} and {}",
        m.id,
        other.id
    );
    let id = m.id;
    let (mut host, mut ann, mut bob) = (
        socket(&node, &host_t).await,
        socket(&node, &ann_t).await,
        socket(&node, &bob_t).await,
    );
    op(&mut host, id, json!({"kind": "join"})).await;
    event(&mut host, id).await;
    op(&mut ann, id, json!({"kind": "join"})).await;
    assert_eq!(event(&mut ann, id).await, MeetingEvent::InLobby);
    event(&mut host, id).await;
    op(&mut host, id, json!({"kind": "admit", "login": "ann.kz"})).await;
    event(&mut host, id).await;
    event(&mut ann, id).await;
    // Bob knocks and is never admitted.
    op(&mut bob, id, json!({"kind": "join"})).await;
    assert_eq!(event(&mut bob, id).await, MeetingEvent::InLobby);
    event(&mut host, id).await;

    op(
        &mut host,
        id,
        json!({"kind": "chat", "text": "Ann is here."}),
    )
    .await;
    event(&mut host, id).await;
    event(&mut ann, id).await;
    // Ann is removed; what is said after is not hers to read.
    op(&mut host, id, json!({"kind": "remove", "login": "ann.kz"})).await;
    event(&mut host, id).await;
    event(&mut ann, id).await;
    op(
        &mut host,
        id,
        json!({"kind": "chat", "text": "Ann has gone."}),
    )
    .await;
    event(&mut host, id).await;

    let said = |t: &str| Some(t.to_owned());
    assert_eq!(
        chat_texts(&minutes_as(&node, &c, &host_t, id).await),
        [said("Ann is here."), said("Ann has gone.")],
        "the host reads everything"
    );
    assert_eq!(
        chat_texts(&minutes_as(&node, &c, &ann_t, id).await),
        [said("Ann is here."), None],
        "the removed participant reads only what was said while she was in"
    );
    let bobs = minutes_as(&node, &c, &bob_t, id).await;
    assert_eq!(
        chat_texts(&bobs),
        [None, None],
        "invited but never admitted: no chat"
    );
    assert!(
        bobs.entries
            .iter()
            .filter(|e| e.withheld)
            .all(|e| e.actor.is_none()),
        "nor who said it"
    );
}
