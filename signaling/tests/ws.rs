//! The client's WebSocket: authentication by first message, ping/pong, bad messages, and
//! the push when the session ends.

mod common;

use std::time::Duration;

use common::{TestNode, add_officer};
use futures_util::{SinkExt, StreamExt};
use sis_proto::ErrorCode;
use sis_proto::Role;
use sis_proto::ws::ServerMessage;
use tokio_tungstenite::tungstenite::Message;

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn connect(node: &TestNode) -> Socket {
    let url = format!("ws://{}/api/v1/ws", node.addr);
    tokio_tungstenite::connect_async(url)
        .await
        .expect("upgrade")
        .0
}

async fn next(ws: &mut Socket) -> Option<ServerMessage> {
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(5), ws.next())
            .await
            .expect("the node answers within 5 s")?;
        match msg.expect("a frame") {
            Message::Text(t) => return Some(serde_json::from_str(&t).expect("a server message")),
            Message::Close(_) => return None,
            _ => {}
        }
    }
}

async fn send(ws: &mut Socket, json: &str) {
    ws.send(Message::Text(json.into())).await.expect("send");
}

#[tokio::test]
async fn authenticated_socket_answers_pings_and_reports_bad_messages() {
    let node = TestNode::start().await;
    add_officer(&node.store, "a.ivanov", Role::Officer).await;
    let token = node.login(&reqwest::Client::new(), "a.ivanov").await;
    let mut ws = connect(&node).await;
    send(&mut ws, &format!(r#"{{"type":"auth","token":"{token}"}}"#)).await;
    match next(&mut ws).await {
        Some(ServerMessage::Ready { officer }) => assert_eq!(officer.login, "a.ivanov"),
        other => panic!("expected ready, got {other:?}"),
    }
    send(&mut ws, r#"{"type":"ping","nonce":42}"#).await;
    assert_eq!(next(&mut ws).await, Some(ServerMessage::Pong { nonce: 42 }));

    send(&mut ws, r#"{"type":"offer","sdp":"v=0"}"#).await;
    match next(&mut ws).await {
        Some(ServerMessage::Error { error }) => assert_eq!(error.code, ErrorCode::BadRequest),
        other => panic!("expected an error, got {other:?}"),
    }
    // The socket survives a bad message.
    send(&mut ws, r#"{"type":"ping","nonce":43}"#).await;
    assert_eq!(next(&mut ws).await, Some(ServerMessage::Pong { nonce: 43 }));
}

#[tokio::test]
async fn a_socket_without_a_valid_token_is_refused() {
    let node = TestNode::start().await;
    for first in [
        r#"{"type":"auth","token":"sis_forged"}"#,
        r#"{"type":"ping","nonce":1}"#,
        "hello",
    ] {
        let mut ws = connect(&node).await;
        send(&mut ws, first).await;
        match next(&mut ws).await {
            Some(ServerMessage::Error { error }) => {
                assert_eq!(error.code, ErrorCode::Unauthenticated, "after {first}")
            }
            other => panic!("expected an error after {first}, got {other:?}"),
        }
        assert_eq!(
            next(&mut ws).await,
            None,
            "the node closes the socket after {first}"
        );
    }
}

#[tokio::test]
async fn logout_and_disabling_end_the_socket() {
    let node = TestNode::start().await;
    add_officer(&node.store, "a.ivanov", Role::Officer).await;
    let c = reqwest::Client::new();
    let token = node.login(&c, "a.ivanov").await;
    let mut ws = connect(&node).await;
    send(&mut ws, &format!(r#"{{"type":"auth","token":"{token}"}}"#)).await;
    assert!(matches!(
        next(&mut ws).await,
        Some(ServerMessage::Ready { .. })
    ));
    c.delete(node.url("/api/v1/session"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("logout");
    assert!(matches!(
        next(&mut ws).await,
        Some(ServerMessage::SessionEnded { .. })
    ));
    assert_eq!(next(&mut ws).await, None);

    // Disabling from the command line (another process) is noticed by the periodic re-check.
    let token = node.login(&c, "a.ivanov").await;
    let mut ws = connect(&node).await;
    send(&mut ws, &format!(r#"{{"type":"auth","token":"{token}"}}"#)).await;
    assert!(matches!(
        next(&mut ws).await,
        Some(ServerMessage::Ready { .. })
    ));
    sis_signaling::officer::set_disabled(&node.store, "a.ivanov", true)
        .await
        .expect("disable");
    match next(&mut ws).await {
        Some(ServerMessage::SessionEnded { reason }) => {
            assert_eq!(reason.code, ErrorCode::Unauthenticated)
        }
        other => panic!("expected session_ended, got {other:?}"),
    }
}

async fn ready(node: &TestNode, login: &str) -> Socket {
    let token = node.login(&reqwest::Client::new(), login).await;
    let mut ws = connect(node).await;
    send(&mut ws, &format!(r#"{{"type":"auth","token":"{token}"}}"#)).await;
    assert!(matches!(
        next(&mut ws).await,
        Some(ServerMessage::Ready { .. })
    ));
    ws
}

/// The close code the node sends next, skipping other frames.
async fn close_code(ws: &mut Socket) -> Option<u16> {
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(5), ws.next())
            .await
            .expect("the node answers within 5 s")?;
        match msg {
            Ok(Message::Close(frame)) => return frame.map(|f| u16::from(f.code)),
            Ok(_) => {}
            Err(_) => return None,
        }
    }
}

#[tokio::test]
async fn an_over_long_message_closes_the_socket_with_1009() {
    let node = TestNode::start().await;
    add_officer(&node.store, "a.ivanov", Role::Officer).await;
    for size in [
        sis_signaling::internal::ws::MAX_MESSAGE + 1,
        // Past what the WebSocket layer reads at all.
        sis_signaling::internal::ws::MAX_MESSAGE * 8,
    ] {
        let mut ws = ready(&node, "a.ivanov").await;
        let text = format!(
            r#"{{"type":"ping","nonce":1,"pad":"{}"}}"#,
            "x".repeat(size)
        );
        let _ = ws.send(Message::Text(text.into())).await;
        assert_eq!(
            close_code(&mut ws).await,
            Some(1009),
            "a {size}-byte message"
        );
    }
}

#[tokio::test]
async fn pages_of_other_origins_cannot_open_the_socket() {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let node = TestNode::start().await;
    let attempt = |origin: Option<&'static str>| {
        let url = format!("ws://{}/api/v1/ws", node.addr);
        async move {
            let mut req = url.into_client_request().expect("request");
            if let Some(o) = origin {
                req.headers_mut()
                    .insert("origin", o.parse().expect("header"));
            }
            match tokio_tungstenite::connect_async(req).await {
                Ok(_) => 101,
                Err(tokio_tungstenite::tungstenite::Error::Http(resp)) => resp.status().as_u16(),
                Err(e) => panic!("unexpected failure: {e}"),
            }
        }
    };
    let own = format!("http://{}", node.addr);
    let own: &'static str = Box::leak(own.into_boxed_str());
    assert_eq!(attempt(Some("https://evil.example")).await, 403);
    assert_eq!(attempt(Some("null")).await, 403);
    assert_eq!(attempt(Some(own)).await, 101, "the node's own pages");
    assert_eq!(attempt(None).await, 101, "clients that are not browsers");
}

#[tokio::test]
async fn an_account_of_another_country_cannot_use_the_socket() {
    let node = TestNode::start().await;
    sis_signaling::officer::add(
        &node.store,
        &sis_signaling::officer::AddOfficer {
            login: "u.tashkent",
            name: "Officer from elsewhere",
            role: Role::Officer,
            agency: "Tashkent customs",
            country: "UZ",
        },
        common::PASSWORD,
    )
    .await
    .expect("add");
    // The login itself works (the account exists here), but it may not act here.
    let token = node.login(&reqwest::Client::new(), "u.tashkent").await;
    let mut ws = connect(&node).await;
    send(&mut ws, &format!(r#"{{"type":"auth","token":"{token}"}}"#)).await;
    match next(&mut ws).await {
        Some(ServerMessage::Error { error }) => assert_eq!(error.code, ErrorCode::Forbidden),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn a_socket_that_never_authenticates_is_closed_at_the_deadline() {
    let node = TestNode::start().await;
    let mut ws = connect(&node).await;
    let started = std::time::Instant::now();
    match next(&mut ws).await {
        Some(ServerMessage::Error { error }) => {
            assert_eq!(error.code, ErrorCode::Unauthenticated);
            assert!(error.message.contains("auth"), "{}", error.message);
        }
        other => panic!("expected the deadline's error, got {other:?}"),
    }
    assert_eq!(next(&mut ws).await, None, "then the socket closes");
    assert!(
        started.elapsed() >= Duration::from_millis(400),
        "not before the deadline: {:?}",
        started.elapsed()
    );
}
