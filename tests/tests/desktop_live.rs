//! The desktop shell's hold of the node's WebSocket, against the node binary: it
//! authenticates with the kept session, hands the page what the node pushes, sends what
//! the page asks, and stops for good when the node ends the session. Run by
//! `cargo xtask test`, which builds the node.

use std::sync::Arc;
use std::time::Duration;

use sis_desktop::live::Live;
use sis_desktop::session::Token;
use sis_desktop::settings::NodeUrl;
use sis_e2e::node::{Account, Node};
use sis_proto::desktop::LiveEvent;
use sis_proto::ws::{ClientMessage, ServerMessage};
use tokio::sync::mpsc;

const OFFICER: Account<'static> = Account {
    login: "s.karimova",
    name: "Saule Karimova",
    role: "officer",
    agency: "Khorgos customs post",
    password: "a long officer password",
};

async fn next(events: &mut mpsc::UnboundedReceiver<LiveEvent>) -> LiveEvent {
    tokio::time::timeout(Duration::from_secs(20), events.recv())
        .await
        .expect("an event within 20 s")
        .expect("the socket's sink is alive")
}

async fn login(node: &Node) -> anyhow::Result<String> {
    let answer: serde_json::Value = reqwest::Client::new()
        .post(format!("{}/api/v1/session", node.url))
        .json(&serde_json::json!({"login": OFFICER.login, "password": OFFICER.password}))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    Ok(answer["token"].as_str().unwrap_or_default().to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built node: run through `cargo xtask test`"]
async fn the_shell_holds_the_nodes_websocket_for_the_page() -> anyhow::Result<()> {
    let node = Node::start(&[OFFICER])?;
    let token = login(&node).await?;
    let (tx, mut events) = mpsc::unbounded_channel();
    let live = Live::default();
    let node_url = NodeUrl::parse(&node.url).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let ready_now = live.open(
        &node_url,
        Token::new(token.clone()).expect("a token"),
        Arc::new(move |event| {
            let _ = tx.send(event);
        }),
    );
    assert!(!ready_now, "a new socket is not ready before its handshake");
    assert_eq!(next(&mut events).await, LiveEvent::Ready);
    // Asked again for the same node and session (a second view): the same socket, which
    // says it is ready since that view missed the event.
    assert!(live.open(
        &node_url,
        Token::new(token.clone()).expect("a token"),
        Arc::new(|_| panic!("a second socket was opened")),
    ));

    // The page's message reaches the node and its answer comes back.
    assert!(live.send(ClientMessage::Ping { nonce: 7 }));
    assert_eq!(
        next(&mut events).await,
        LiveEvent::Message {
            message: ServerMessage::Pong { nonce: 7 }
        }
    );

    // The session ends at the node: the shell says so and does not reopen the socket.
    reqwest::Client::new()
        .delete(format!("{}/api/v1/session", node.url))
        .bearer_auth(&token)
        .send()
        .await?
        .error_for_status()?;
    let ended = loop {
        match next(&mut events).await {
            LiveEvent::SessionEnded { reason } => break reason,
            LiveEvent::Lost => continue,
            other => panic!("after the logout: {other:?}"),
        }
    };
    assert_eq!(
        ended.code,
        sis_proto::ErrorCode::Unauthenticated,
        "{ended:?}"
    );
    assert!(
        !live.send(ClientMessage::Ping { nonce: 8 }),
        "nothing is sent any more"
    );
    let quiet = tokio::time::timeout(Duration::from_secs(3), events.recv()).await;
    assert!(
        matches!(quiet, Err(_) | Ok(None)),
        "no socket after the session ended: {quiet:?}"
    );
    Ok(())
}
