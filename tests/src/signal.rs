//! A node's officer API as a meeting participant uses it: sign in over HTTP, create a
//! meeting, read its minutes, then the authenticated WebSocket for joining and signaling,
//! as the web UI speaks it. Bots, and the guest of a meeting the browser hosts, drive
//! meetings through this.

use std::time::Duration;

use anyhow::{Context, bail};
use futures_util::{SinkExt, StreamExt};
use sis_proto::meeting::{
    IceServers, Meeting, MeetingEvent, MeetingId, MeetingOp, Minutes, NewMeeting,
};
use sis_proto::session::{LoginRequest, LoginResponse};
use sis_proto::ws::{ClientMessage, ServerMessage};
use tokio_tungstenite::tungstenite::Message;

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// A signed-in officer of one node.
#[derive(Debug, Clone)]
pub struct Officer {
    base: String,
    http: reqwest::Client,
    token: String,
    pub login: String,
}

impl Officer {
    /// Signs in at `base` (`http://127.0.0.1:8443` or `https://…`).
    pub async fn sign_in(base: &str, login: &str, password: &str) -> anyhow::Result<Officer> {
        let base = base.trim_end_matches('/').to_owned();
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()?;
        let response = http
            .post(format!("{base}/api/v1/session"))
            .json(&LoginRequest {
                login: login.to_owned(),
                password: password.to_owned(),
            })
            .send()
            .await
            .with_context(|| format!("signing in at {base}"))?;
        if !response.status().is_success() {
            bail!(
                "signing in as {login}: {} {}",
                response.status(),
                response.text().await.unwrap_or_default()
            );
        }
        let session: LoginResponse = response.json().await.context("the session")?;
        Ok(Officer {
            base,
            http,
            token: session.token,
            login: login.to_owned(),
        })
    }

    /// Creates a meeting with `invited` as guests; the officer is its host.
    pub async fn create_meeting(&self, title: &str, invited: &[&str]) -> anyhow::Result<Meeting> {
        let body = NewMeeting {
            title: title.to_owned(),
            case_id: None,
            document_id: None,
            invited: invited.iter().map(|s| (*s).to_owned()).collect(),
        };
        let response = self
            .http
            .post(format!("{}/api/v1/meetings", self.base))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await?;
        if !response.status().is_success() {
            bail!(
                "creating a meeting: {} {}",
                response.status(),
                response.text().await.unwrap_or_default()
            );
        }
        Ok(response.json().await?)
    }

    /// `GET /api/v1/meetings/{id}/minutes`.
    pub async fn minutes(&self, meeting: MeetingId) -> anyhow::Result<Minutes> {
        self.get(
            &format!("/api/v1/meetings/{meeting}/minutes"),
            "the minutes",
        )
        .await
    }

    /// `GET /api/v1/meetings/ice-servers`: the STUN and TURN servers the node hands this
    /// officer, with TURN credentials of its own.
    pub async fn ice_servers(&self) -> anyhow::Result<IceServers> {
        self.get("/api/v1/meetings/ice-servers", "the ICE servers")
            .await
    }

    /// An authenticated GET of `path`, its JSON answer read as `T` (`what` names it in errors).
    async fn get<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        what: &str,
    ) -> anyhow::Result<T> {
        self.http
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await
            .with_context(|| what.to_owned())
    }

    /// Opens the WebSocket and authenticates it.
    pub async fn connect(&self) -> anyhow::Result<MeetingSocket> {
        let url = format!(
            "{}{}",
            self.base
                .replacen("https://", "wss://", 1)
                .replacen("http://", "ws://", 1),
            sis_proto::endpoint::WS_PATH
        );
        let (mut socket, _) = tokio_tungstenite::connect_async(&url)
            .await
            .with_context(|| format!("connecting to {url}"))?;
        let auth = serde_json::to_string(&ClientMessage::Auth {
            token: self.token.clone(),
        })?;
        socket.send(Message::text(auth)).await?;
        let mut socket = MeetingSocket { socket };
        match socket.next().await? {
            ServerMessage::Ready { .. } => Ok(socket),
            other => bail!("expected ready after auth, got {other:?}"),
        }
    }
}

/// An authenticated WebSocket.
#[derive(Debug)]
pub struct MeetingSocket {
    socket: Socket,
}

impl MeetingSocket {
    /// Sends `op` about `meeting`.
    pub async fn send(&mut self, meeting: MeetingId, op: MeetingOp) -> anyhow::Result<()> {
        let text = serde_json::to_string(&ClientMessage::Meeting { meeting, op })?;
        self.socket.send(Message::text(text)).await?;
        Ok(())
    }

    /// The next message from the node, skipping WebSocket pings.
    pub async fn next(&mut self) -> anyhow::Result<ServerMessage> {
        loop {
            let frame = self
                .socket
                .next()
                .await
                .context("the node closed the socket")??;
            match frame {
                Message::Text(text) => {
                    return serde_json::from_str(&text)
                        .with_context(|| format!("a message from the node: {text}"));
                }
                Message::Close(frame) => bail!("the node closed the socket: {frame:?}"),
                _ => {}
            }
        }
    }

    /// The next event about a meeting; a refused request is an error.
    pub async fn next_event(&mut self) -> anyhow::Result<(MeetingId, MeetingEvent)> {
        loop {
            match self.next().await? {
                ServerMessage::Meeting { meeting, event } => {
                    if let MeetingEvent::Error { error } = &event {
                        bail!("meeting {meeting}: refused: {error:?}");
                    }
                    return Ok((meeting, event));
                }
                ServerMessage::Error { error } => bail!("refused: {error:?}"),
                ServerMessage::SessionEnded { reason } => bail!("session ended: {reason:?}"),
                _ => {}
            }
        }
    }

    /// Skips events of `meeting` until one satisfies `want`, for at most 30 s; a refusal
    /// meanwhile is an error.
    pub async fn until(
        &mut self,
        meeting: MeetingId,
        what: &str,
        want: impl Fn(&MeetingEvent) -> bool,
    ) -> anyhow::Result<MeetingEvent> {
        let waiting = async {
            loop {
                let (m, event) = self.next_event().await?;
                if m == meeting && want(&event) {
                    return Ok::<_, anyhow::Error>(event);
                }
            }
        };
        tokio::time::timeout(Duration::from_secs(30), waiting)
            .await
            .with_context(|| format!("no {what} within 30 s"))?
            .with_context(|| format!("waiting for {what}"))
    }

    /// Closes the socket politely.
    pub async fn close(mut self) {
        let _ = self.socket.close(None).await;
    }
}
