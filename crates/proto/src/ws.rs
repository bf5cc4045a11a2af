//! Messages on the client's WebSocket (`/api/v1/ws`). Tagged by `type`, one JSON object per
//! text frame. Meetings and document arrivals add variants here.

use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::meeting::{MeetingEvent, MeetingId, MeetingOp};
use crate::session::Officer;

/// Client → node.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum ClientMessage {
    /// Must be the first message; browsers cannot set headers on a WebSocket.
    Auth { token: String },
    /// Liveness check; answered by [`ServerMessage::Pong`] with the same nonce.
    Ping { nonce: u64 },
    /// A request about one meeting: join, signaling, moderation, chat.
    Meeting { meeting: MeetingId, op: MeetingOp },
}

impl std::fmt::Debug for ClientMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ClientMessage::Auth { .. } => f.write_str("Auth { token: <redacted> }"),
            ClientMessage::Ping { nonce } => write!(f, "Ping {{ nonce: {nonce} }}"),
            ClientMessage::Meeting { meeting, op } => f
                .debug_struct("Meeting")
                .field("meeting", meeting)
                .field("op", op)
                .finish(),
        }
    }
}

/// Node → client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ServerMessage {
    /// The socket is authenticated as this officer; pushed events follow.
    Ready {
        officer: Officer,
    },
    Pong {
        nonce: u64,
    },
    /// The session was ended (logout elsewhere, expiry, account disabled); the socket closes.
    SessionEnded {
        reason: ApiError,
    },
    /// A message the node could not accept; the socket stays open unless it was `Auth`.
    Error {
        error: ApiError,
    },
    /// Something about one meeting the client is in, waits for, or asked about.
    Meeting {
        meeting: MeetingId,
        event: MeetingEvent,
    },
    /// A letter arrived from another member country and was registered in this node's inbox
    /// (to the node's staff).
    Letter {
        letter: crate::letter::LetterSummary,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_tagged_by_type() {
        let m: ClientMessage =
            serde_json::from_str(r#"{"type":"ping","nonce":7}"#).expect("valid ping");
        assert_eq!(m, ClientMessage::Ping { nonce: 7 });
        assert!(serde_json::from_str::<ClientMessage>(r#"{"type":"offer"}"#).is_err());
        let m: ClientMessage = serde_json::from_str(
            r#"{"type":"meeting","meeting":3,"op":{"kind":"offer","sdp":"v=0"}}"#,
        )
        .expect("valid meeting op");
        assert_eq!(
            m,
            ClientMessage::Meeting {
                meeting: MeetingId(3),
                op: MeetingOp::Offer { sdp: "v=0".into() }
            }
        );
        let e = ServerMessage::Meeting {
            meeting: MeetingId(3),
            event: MeetingEvent::InLobby,
        };
        assert_eq!(
            serde_json::to_string(&e).expect("serialises"),
            r#"{"type":"meeting","meeting":3,"event":{"kind":"in_lobby"}}"#
        );
    }
}
