//! An officer as a program rather than a browser: signs in over HTTP, then speaks the
//! node's WebSocket protocol (`sis_proto::ws`) as the web UI does. Used as the other side of
//! a meeting the browser is in.

use std::time::Duration;

use anyhow::{Context, bail};
use futures_util::{SinkExt, StreamExt};
use sis_proto::meeting::{MeetingEvent, MeetingId, MeetingOp, Minutes};
use sis_proto::ws::{ClientMessage, ServerMessage};
use sis_proto::{LoginRequest, LoginResponse};
use tokio_tungstenite::tungstenite::Message;

use crate::node::Account;

type Stream =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// How long an awaited event may take.
const WAIT: Duration = Duration::from_secs(30);

#[derive(Debug)]
pub struct OfficerSocket {
    node_url: String,
    token: String,
    stream: Stream,
}

impl OfficerSocket {
    /// Signs `account` in on the node at `node_url` and opens its authenticated socket.
    pub async fn sign_in(node_url: &str, account: &Account<'_>) -> anyhow::Result<OfficerSocket> {
        let response = reqwest::Client::new()
            .post(format!("{node_url}/api/v1/session"))
            .json(&LoginRequest {
                login: account.login.into(),
                password: account.password.into(),
            })
            .send()
            .await
            .context("signing in")?
            .error_for_status()
            .context("signing in")?;
        let LoginResponse { token, .. } = response.json().await.context("the login answer")?;
        let ws_url = format!(
            "{}{}",
            node_url.replacen("http", "ws", 1),
            sis_proto::endpoint::WS_PATH
        );
        let (stream, _) = tokio_tungstenite::connect_async(ws_url.as_str())
            .await
            .context("opening the WebSocket")?;
        let mut socket = OfficerSocket {
            node_url: node_url.to_owned(),
            token: token.clone(),
            stream,
        };
        socket.send(&ClientMessage::Auth { token }).await?;
        match socket.next().await? {
            ServerMessage::Ready { .. } => Ok(socket),
            other => bail!("expected ready after auth, got {other:?}"),
        }
    }

    async fn send(&mut self, message: &ClientMessage) -> anyhow::Result<()> {
        let text = serde_json::to_string(message)?;
        self.stream
            .send(Message::Text(text.into()))
            .await
            .context("sending on the WebSocket")
    }

    async fn next(&mut self) -> anyhow::Result<ServerMessage> {
        loop {
            let frame = tokio::time::timeout(WAIT, self.stream.next())
                .await
                .context("no message from the node in time")?
                .context("the node closed the WebSocket")??;
            if let Message::Text(text) = frame {
                return serde_json::from_str(&text).context("an unreadable server message");
            }
        }
    }

    /// Sends a request about `meeting`.
    pub async fn op(&mut self, meeting: MeetingId, op: MeetingOp) -> anyhow::Result<()> {
        self.send(&ClientMessage::Meeting { meeting, op }).await
    }

    /// Skips events of `meeting` until one satisfies `want`; fails on a refusal meanwhile.
    pub async fn until(
        &mut self,
        meeting: MeetingId,
        what: &str,
        want: impl Fn(&MeetingEvent) -> bool,
    ) -> anyhow::Result<MeetingEvent> {
        loop {
            match self
                .next()
                .await
                .with_context(|| format!("waiting for {what}"))?
            {
                ServerMessage::Meeting { meeting: m, event } if m == meeting => {
                    if want(&event) {
                        return Ok(event);
                    }
                    if let MeetingEvent::Error { error } = event {
                        bail!("the node refused a request while waiting for {what}: {error}");
                    }
                }
                ServerMessage::Error { error } => {
                    bail!("the node refused a message while waiting for {what}: {error}")
                }
                _ => {}
            }
        }
    }

    /// `GET /api/v1/meetings/{id}/minutes` as this officer.
    pub async fn minutes(&self, meeting: MeetingId) -> anyhow::Result<Minutes> {
        reqwest::Client::new()
            .get(format!(
                "{}/api/v1/meetings/{meeting}/minutes",
                self.node_url
            ))
            .bearer_auth(&self.token)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await
            .context("the minutes")
    }
}
