//! The client's WebSocket (`/api/v1/ws`). The first message must authenticate it; then the
//! node answers pings and pushes events, and closes the socket when the session ends.
//!
//! The socket obeys what HTTP requests obey: the session's idle timeout and lifetime (what
//! the client sends is activity; an open socket alone is not), the account's country, and
//! limits: a browser page from another origin cannot open it, a message over
//! [`MAX_MESSAGE`] closes it with 1009, and a client that does not read what the node
//! sends is closed with 1013 once [`OUTBOX`] messages wait for it.

use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade, close_code};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use futures_util::{SinkExt, StreamExt};
use sis_proto::ws::{ClientMessage, ServerMessage};
use sis_proto::{ApiError, ErrorCode};
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::mpsc;

use crate::auth::{self, Authenticated};
use crate::internal::error::AppError;
use crate::internal::extract::{ClientAddr, of_this_node};
use crate::modules::{self, Conn, SocketHold};
use crate::node::state::{AppState, HubEvent, now_ms};

/// Largest message accepted from a client; a larger one closes the socket with 1009.
pub const MAX_MESSAGE: usize = 64 * 1024;
/// What the WebSocket layer reads at most before it gives up on a message: above
/// [`MAX_MESSAGE`], so that an over-long message is read, answered with 1009, and
/// refused, while a client still cannot make the node buffer megabytes.
const READ_CEILING: usize = 4 * MAX_MESSAGE;
/// Messages that may wait for a slow client before it is disconnected.
pub const OUTBOX: usize = 256;

/// Numbers the sockets, so a room can tell an officer's two sockets apart.
static NEXT_CONN: AtomicU64 = AtomicU64::new(1);

/// # `GET /api/v1/ws` (upgraded to a WebSocket)
pub async fn upgrade(
    State(state): State<AppState>,
    ClientAddr(address): ClientAddr,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    // A page of another site may not open a socket with the officer's browser; clients that
    // are not browsers send no Origin and authenticate with their token like everyone.
    if let Some(origin) = headers.get(axum::http::header::ORIGIN)
        && !same_origin(
            origin,
            headers.get(axum::http::header::HOST),
            &state.origins,
        )
    {
        return AppError::forbidden("origin: this node's WebSocket is for its own pages only.")
            .into_response();
    }
    ws.max_message_size(READ_CEILING)
        .max_frame_size(READ_CEILING)
        .read_buffer_size(16 * 1024)
        .write_buffer_size(16 * 1024)
        .on_upgrade(move |socket| run(socket, state, address))
}

/// Whether a browser's `Origin` is this node: the host it asked for, or one of the
/// configured origins of the web UI.
fn same_origin(
    origin: &axum::http::HeaderValue,
    host: Option<&axum::http::HeaderValue>,
    configured: &[String],
) -> bool {
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    if configured.iter().any(|o| o.eq_ignore_ascii_case(origin)) {
        return true;
    }
    let authority = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"));
    match (authority, host.and_then(|h| h.to_str().ok())) {
        (Some(authority), Some(host)) => authority.eq_ignore_ascii_case(host),
        _ => false,
    }
}

/// Closes the socket with `code` and a reason for the client.
async fn close_with(socket: &mut WebSocket, code: u16, reason: &'static str) {
    let frame = CloseFrame {
        code,
        reason: reason.into(),
    };
    let _ = socket.send(Message::Close(Some(frame))).await;
}

async fn send(socket: &mut WebSocket, msg: &ServerMessage) -> bool {
    match serde_json::to_string(msg) {
        Ok(text) => socket.send(Message::Text(text.into())).await.is_ok(),
        Err(_) => false,
    }
}

fn error_of(e: AppError) -> ApiError {
    e.body
}

/// Waits for the `auth` message and checks its token.
async fn authenticate(socket: &mut WebSocket, state: &AppState) -> Result<Authenticated, ApiError> {
    let first = tokio::time::timeout(state.ws_auth_deadline, socket.next())
        .await
        .map_err(|_| {
            ApiError::new(
                ErrorCode::Unauthenticated,
                "Send an auth message first; none came in time.",
            )
        })?;
    let Some(Ok(Message::Text(text))) = first else {
        return Err(ApiError::new(
            ErrorCode::Unauthenticated,
            "The first message must be an auth message.",
        ));
    };
    match serde_json::from_str::<ClientMessage>(&text) {
        Ok(ClientMessage::Auth { token }) => {
            let who = auth::authenticate(&state.store, &state.policy, &token, now_ms())
                .await
                .map_err(|e| error_of(e.into()))?;
            of_this_node(state, who).map_err(error_of)
        }
        _ => Err(ApiError::new(
            ErrorCode::Unauthenticated,
            "The first message must be an auth message.",
        )),
    }
}

async fn run(mut socket: WebSocket, state: AppState, address: Option<String>) {
    let who = match authenticate(&mut socket, &state).await {
        Ok(who) => who,
        Err(error) => {
            send(&mut socket, &ServerMessage::Error { error }).await;
            let _ = socket.close().await;
            return;
        }
    };
    // Subscribe before announcing readiness, so a logout right after cannot be missed.
    let mut hub = state.hub.subscribe();
    let mut accepted = state.exchange.accepted.subscribe();
    let mut accepting = true;
    let staff = crate::internal::access::Staff::ROLES.contains(&who.officer.role);
    if !send(
        &mut socket,
        &ServerMessage::Ready {
            officer: who.officer.clone(),
        },
    )
    .await
    {
        return;
    }
    state.metrics.websockets.inc();
    // Meeting rooms push their events to the socket through this queue.
    let (events, mut pushed) = mpsc::channel(OUTBOX);
    let overflow = std::sync::Arc::new(tokio::sync::Notify::new());
    let conn = Conn {
        id: NEXT_CONN.fetch_add(1, Ordering::Relaxed),
        login: who.login.clone(),
        name: who.officer.name.clone(),
        address,
        tx: events,
        overflow: overflow.clone(),
    };
    let mut hold = SocketHold::default();
    let mut recheck = tokio::time::interval(state.ws_recheck);
    recheck.tick().await;
    loop {
        tokio::select! {
            incoming = socket.next() => {
                let reply = match incoming {
                    Some(Ok(msg)) => receive(&state, &who, &conn, &mut hold, msg).await,
                    Some(Err(e)) if too_long(&e) => Received::TooLong,
                    _ => Received::Closed,
                };
                match reply {
                    Received::Nothing => {}
                    Received::Reply(reply) => if !send(&mut socket, &reply).await { break },
                    Received::TooLong => {
                        close_with(&mut socket, close_code::SIZE, "message too long").await;
                        break;
                    }
                    Received::Closed => break,
                }
            }
            Some(event) = pushed.recv() => {
                if !send(&mut socket, &event).await { break }
            }
            _ = overflow.notified() => {
                tracing::warn!(
                    login = %who.login,
                    "WebSocket closed: the client left {OUTBOX} messages unread"
                );
                close_with(&mut socket, close_code::AGAIN, "too many unread messages").await;
                break;
            }
            event = hub.recv() => match event {
                Ok(HubEvent::SessionEnded { session_id }) if session_id == who.session_id => {
                    let reason = ApiError::new(ErrorCode::Unauthenticated, "You logged out.");
                    send(&mut socket, &ServerMessage::SessionEnded { reason }).await;
                    break;
                }
                Ok(_) | Err(RecvError::Lagged(_)) => {}
                Err(RecvError::Closed) => break,
            },
            event = accepted.recv(), if accepting => match event {
                Ok(accepted) if staff => {
                    if let Some(message) = modules::on_accepted(&state, &accepted).await {
                        send(&mut socket, &message).await;
                    }
                }
                Ok(_) | Err(RecvError::Lagged(_)) => {}
                Err(RecvError::Closed) => accepting = false,
            },
            _ = recheck.tick() => {
                // Expiry, idleness and disabling (possibly by another process) end the socket too.
                let token_check = auth::authenticate_session(&state.store, &state.policy, who.session_id, now_ms())
                    .await
                    .map_err(AppError::from)
                    .and_then(|who| of_this_node(&state, who));
                if let Err(e) = token_check {
                    let reason = error_of(e);
                    send(&mut socket, &ServerMessage::SessionEnded { reason }).await;
                    break;
                }
            }
        }
    }
    modules::on_close(&state, &conn, hold);
    state.metrics.websockets.dec();
    let _ = socket.close().await;
}

/// What became of one message from the client.
enum Received {
    /// A module took it, or the WebSocket layer answered it.
    Nothing,
    Reply(ServerMessage),
    TooLong,
    Closed,
}

fn bad_request(message: impl Into<String>) -> Received {
    Received::Reply(ServerMessage::Error {
        error: ApiError::new(ErrorCode::BadRequest, message),
    })
}

/// Reads one message of an authenticated client and hands it to the module it is for.
async fn receive(
    state: &AppState,
    who: &Authenticated,
    conn: &Conn,
    hold: &mut SocketHold,
    msg: Message,
) -> Received {
    if message_len(&msg) > MAX_MESSAGE {
        return Received::TooLong;
    }
    let text = match msg {
        Message::Text(text) => text,
        Message::Close(_) => return Received::Closed,
        // Pings are answered by the WebSocket layer; binary is not part of the protocol.
        Message::Ping(_) | Message::Pong(_) => return Received::Nothing,
        Message::Binary(_) => return bad_request("Send JSON text messages."),
    };
    // What the client sends is activity, as a request over HTTP is.
    if let Err(e) = auth::touch_session(&state.store, who.session_id, now_ms()).await {
        tracing::warn!("recording WebSocket activity: {e}");
    }
    let message = match serde_json::from_str::<ClientMessage>(&text) {
        Ok(message) => message,
        Err(e) => return bad_request(format!("Unreadable message: {e}")),
    };
    match modules::on_message(state, conn, hold, message).await {
        Ok(()) => Received::Nothing,
        Err(ClientMessage::Ping { nonce }) => Received::Reply(ServerMessage::Pong { nonce }),
        Err(ClientMessage::Auth { .. }) => bad_request("This socket is already authenticated."),
        Err(_) => bad_request("This node does not handle that message yet."),
    }
}

fn message_len(msg: &Message) -> usize {
    match msg {
        Message::Text(t) => t.len(),
        Message::Binary(b) => b.len(),
        _ => 0,
    }
}

/// Whether the WebSocket layer gave up on a message for its size.
fn too_long(e: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = source {
        if let Some(tungstenite::Error::Capacity(_)) = err.downcast_ref::<tungstenite::Error>() {
            return true;
        }
        source = err.source();
    }
    false
}
