//! The node's WebSocket (`GET /api/v1/ws`), held by the shell for the page: the page never
//! holds the token, so it cannot authenticate a socket of its own. The shell opens it with
//! the kept session, hands the page every event ([`LiveEvent`]) and sends what the page
//! asks. Like the browser's socket it is reopened after a pause that doubles from half a
//! second up to ten seconds, and it is not reopened once the node has ended the session.
//!
//! Free of Tauri, like [`crate::shell`]: the events go to a [`Sink`], which the app turns into
//! Tauri events and the tests into a channel.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use sis_proto::desktop::LiveEvent;
use sis_proto::ws::{ClientMessage, ServerMessage};
use sis_proto::{ApiError, ErrorCode};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;

use crate::session::Token;
use crate::settings::NodeUrl;

const FIRST_RETRY: Duration = Duration::from_millis(500);
const LONGEST_RETRY: Duration = Duration::from_secs(10);
/// How long the node has to answer the connection and the `auth` message.
const HANDSHAKE: Duration = Duration::from_secs(15);
/// Messages of the page waiting to go out. A page that sends faster than the node takes is
/// told so (`false`) rather than queued without end.
const OUTGOING: usize = 256;

/// Where the events go.
pub type Sink = Arc<dyn Fn(LiveEvent) + Send + Sync>;

/// The one socket of the app, if open.
#[derive(Default)]
pub struct Live {
    running: Mutex<Option<Running>>,
}

impl std::fmt::Debug for Live {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Live").finish_non_exhaustive()
    }
}

struct Running {
    /// The node and session it was opened for: another of either opens a new one.
    url: String,
    token: Token,
    outgoing: mpsc::Sender<ClientMessage>,
    ready: Arc<AtomicBool>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The WebSocket address of `node`: its scheme's WebSocket form, under its prefix.
pub fn socket_url(node: &NodeUrl) -> String {
    let mut url = node.join("/api/v1/ws");
    let scheme = if url.scheme() == "https" { "wss" } else { "ws" };
    // Both are special schemes of the same kind, which `set_scheme` allows.
    let _ = url.set_scheme(scheme);
    url.to_string()
}

impl Live {
    /// Opens the socket to `node` with `token`, unless one for the same node and session
    /// runs already (a page reloaded, a second view asking). `true` when that one is ready
    /// now: its `Ready` event went out before this caller listened. Must run inside a Tokio
    /// runtime.
    pub fn open(&self, node: &NodeUrl, token: Token, sink: Sink) -> bool {
        let url = socket_url(node);
        let mut running = self.running.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(r) = running.as_ref()
            && r.url == url
            && r.token == token
            && !r.task.is_finished()
        {
            return r.ready.load(Ordering::Acquire);
        }
        let (outgoing, rx) = mpsc::channel(OUTGOING);
        let ready = Arc::new(AtomicBool::new(false));
        let task = tokio::spawn(run(
            url.clone(),
            token.clone(),
            rx,
            Arc::clone(&ready),
            sink,
        ));
        // The old one, if any, is dropped here, which stops it.
        *running = Some(Running {
            url,
            token,
            outgoing,
            ready,
            task,
        });
        false
    }

    /// Sends `message` if the socket is ready and not too far behind; `false` otherwise.
    pub fn send(&self, message: ClientMessage) -> bool {
        let running = self.running.lock().unwrap_or_else(|p| p.into_inner());
        running.as_ref().is_some_and(|r| {
            r.ready.load(Ordering::Acquire) && r.outgoing.try_send(message).is_ok()
        })
    }

    /// Closes the socket for good (signing out, or the page no longer wants it).
    pub fn close(&self) {
        self.running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
    }
}

/// How one connection ended.
enum Ended {
    /// Dropped, refused or timed out: try again.
    Dropped,
    /// The node ended the session: stop.
    Session(ApiError),
    /// The app closed the socket: stop.
    Closed,
}

async fn run(
    url: String,
    token: Token,
    mut outgoing: mpsc::Receiver<ClientMessage>,
    ready: Arc<AtomicBool>,
    sink: Sink,
) {
    let mut failures = 0u32;
    loop {
        let ended = connection(&url, &token, &mut outgoing, &ready, &sink, &mut failures).await;
        let was_ready = ready.swap(false, Ordering::AcqRel);
        match ended {
            Ended::Session(reason) => {
                sink(LiveEvent::SessionEnded { reason });
                return;
            }
            Ended::Closed => return,
            Ended::Dropped => {
                if was_ready {
                    sink(LiveEvent::Lost);
                }
            }
        }
        let pause = FIRST_RETRY
            .saturating_mul(1_u32 << failures.min(5))
            .min(LONGEST_RETRY);
        failures = failures.saturating_add(1);
        tracing::debug!(?pause, "the node's WebSocket is closed; reopening");
        tokio::time::sleep(pause).await;
    }
}

async fn connection(
    url: &str,
    token: &Token,
    outgoing: &mut mpsc::Receiver<ClientMessage>,
    ready: &AtomicBool,
    sink: &Sink,
    failures: &mut u32,
) -> Ended {
    let connected = tokio::time::timeout(HANDSHAKE, tokio_tungstenite::connect_async(url)).await;
    let Ok(Ok((mut ws, _))) = connected else {
        return Ended::Dropped;
    };
    let auth = ClientMessage::Auth {
        token: token.expose().to_owned(),
    };
    let Ok(text) = serde_json::to_string(&auth) else {
        return Ended::Dropped;
    };
    if ws.send(Message::text(text)).await.is_err() {
        return Ended::Dropped;
    }
    let handshake = tokio::time::sleep(HANDSHAKE);
    tokio::pin!(handshake);
    loop {
        tokio::select! {
            frame = ws.next() => {
                let text = match frame {
                    Some(Ok(Message::Text(text))) => text,
                    Some(Ok(Message::Close(_))) | Some(Err(_)) | None => return Ended::Dropped,
                    // Pings are answered by the library; binary frames are not the node's.
                    Some(Ok(_)) => continue,
                };
                // A message this shell cannot read (from a newer node) is skipped, not fatal.
                let Ok(message) = serde_json::from_str::<ServerMessage>(text.as_str()) else {
                    continue;
                };
                match message {
                    ServerMessage::Ready { .. } => {
                        ready.store(true, Ordering::Release);
                        *failures = 0;
                        sink(LiveEvent::Ready);
                    }
                    ServerMessage::SessionEnded { reason } => return Ended::Session(reason),
                    // Before `ready`, an error is the node refusing the token.
                    ServerMessage::Error { error } if !ready.load(Ordering::Acquire) => {
                        return Ended::Session(if error.code == ErrorCode::Unauthenticated {
                            error
                        } else {
                            ApiError::new(ErrorCode::Unauthenticated, error.message)
                        });
                    }
                    other => sink(LiveEvent::Message { message: other }),
                }
            }
            message = outgoing.recv() => {
                let Some(message) = message else { return Ended::Closed };
                let Ok(text) = serde_json::to_string(&message) else { continue };
                if ws.send(Message::text(text)).await.is_err() {
                    return Ended::Dropped;
                }
            }
            () = &mut handshake, if !ready.load(Ordering::Acquire) => return Ended::Dropped,
        }
    }
}
