//! The client's WebSocket (`/api/v1/ws`). The first message must authenticate it; then the
//! node answers pings and pushes events, and closes the socket when the session ends.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use futures_util::{SinkExt, StreamExt};
use sis_proto::ws::{ClientMessage, ServerMessage};
use sis_proto::{ApiError, ErrorCode};
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::mpsc;

use crate::api::error::AppError;
use crate::api::extract::ClientAddr;
use crate::auth::{self, Authenticated};
use crate::meetings::Conn;
use crate::state::{AppState, HubEvent, now_ms};

/// How long a client has to send its `auth` message.
const AUTH_DEADLINE: Duration = Duration::from_secs(10);
/// Largest message accepted from a client.
const MAX_MESSAGE: usize = 64 * 1024;

/// Numbers the sockets, so a room can tell an officer's two sockets apart.
static NEXT_CONN: AtomicU64 = AtomicU64::new(1);

/// # `GET /api/v1/ws` (upgraded to a WebSocket)
pub async fn upgrade(
    State(state): State<AppState>,
    ClientAddr(address): ClientAddr,
    ws: WebSocketUpgrade,
) -> Response {
    ws.max_message_size(MAX_MESSAGE)
        .on_upgrade(move |socket| run(socket, state, address))
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
    let first = tokio::time::timeout(AUTH_DEADLINE, socket.next())
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
            auth::authenticate(&state.store, &state.policy, &token, now_ms())
                .await
                .map_err(|e| error_of(e.into()))
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
    let (events, mut pushed) = mpsc::unbounded_channel();
    let conn = Conn {
        id: NEXT_CONN.fetch_add(1, Ordering::Relaxed),
        login: who.officer.login.clone(),
        name: who.officer.name.clone(),
        address,
        tx: events,
    };
    let mut meetings = BTreeSet::new();
    let mut recheck = tokio::time::interval(state.ws_recheck);
    recheck.tick().await;
    loop {
        tokio::select! {
            incoming = socket.next() => {
                let Some(Ok(msg)) = incoming else { break };
                let reply = match msg {
                    Message::Text(text) => match serde_json::from_str::<ClientMessage>(&text) {
                        Ok(ClientMessage::Ping { nonce }) => ServerMessage::Pong { nonce },
                        Ok(ClientMessage::Meeting { meeting, op }) => {
                            meetings.insert(meeting);
                            state.meetings.dispatch(&conn, meeting, op).await;
                            continue;
                        }
                        Ok(ClientMessage::Auth { .. }) => ServerMessage::Error {
                            error: ApiError::new(ErrorCode::BadRequest, "This socket is already authenticated."),
                        },
                        Ok(_) => ServerMessage::Error {
                            error: ApiError::new(ErrorCode::BadRequest, "This node does not handle that message yet."),
                        },
                        Err(e) => ServerMessage::Error {
                            error: ApiError::new(ErrorCode::BadRequest, format!("Unreadable message: {e}")),
                        },
                    },
                    Message::Close(_) => break,
                    // Pings are answered by the WebSocket layer; binary is not part of the protocol.
                    Message::Ping(_) | Message::Pong(_) => continue,
                    Message::Binary(_) => ServerMessage::Error {
                        error: ApiError::new(ErrorCode::BadRequest, "Send JSON text messages."),
                    },
                };
                if !send(&mut socket, &reply).await { break }
            }
            Some(event) = pushed.recv() => {
                if !send(&mut socket, &event).await { break }
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
            _ = recheck.tick() => {
                // Expiry, idleness and disabling (possibly by another process) end the socket too.
                let token_check = auth::authenticate_session(&state.store, &state.policy, who.session_id, now_ms()).await;
                if let Err(e) = token_check {
                    let reason = error_of(e.into());
                    send(&mut socket, &ServerMessage::SessionEnded { reason }).await;
                    break;
                }
            }
        }
    }
    state.meetings.disconnected(&conn, meetings);
    state.metrics.websockets.dec();
    let _ = socket.close().await;
}
