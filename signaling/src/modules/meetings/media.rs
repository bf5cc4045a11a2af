//! The seam between meeting signaling and the media server (the SFU). The rooms decide
//! *who* is in a meeting and *when* a signaling message is in order; the media server
//! owns the peer connections and forwards RTP. The node runs without one ([`NoMedia`]):
//! meetings, chat, moderation and minutes work, and offers are refused with
//! `media_unavailable`.
//!
//! # Implementing it (an SFU on the `webrtc` crate, 0.17)
//!
//! One `RTCPeerConnection` per participant, keyed by `(room, participant)`:
//!
//! - [`MediaServer::join`]: the participant was admitted to the room. Prepare its state
//!   (nothing to negotiate yet; its offer follows).
//! - [`MediaServer::offer`]: the client's offer (first connection, or a change in what it
//!   sends, such as a screen share as a second video track). Create the connection if
//!   there is none, `set_remote_description(offer)`, add the tracks the other
//!   participants already publish, `create_answer`, `set_local_description`, return the
//!   answer's SDP. Trickle: return at once and hand the gathered candidates to
//!   [`MediaEvents::candidate`] (`on_ice_candidate`). Each remote track that arrives
//!   (`on_track`) is forwarded to every other participant of the room.
//! - Server-initiated renegotiation: when another participant's tracks come or go, add or
//!   remove the forwarding tracks on this participant's connection, `create_offer`,
//!   `set_local_description`, and send the SDP with [`MediaEvents::offer`]. The node
//!   relays it to the client, which answers; the answer comes back through
//!   [`MediaServer::answer`] (`set_remote_description`). The node never lets the client
//!   offer while a server offer is unanswered, nor the reverse; if the SFU wants to offer
//!   while a client offer is being answered, it should wait for that exchange to end.
//! - [`MediaServer::candidate`]: a client candidate (`add_ice_candidate`). An empty
//!   `candidate` string is the client's end-of-candidates.
//! - [`MediaServer::leave`]: the participant left, was removed, disconnected, or the
//!   meeting ended: close its connection, stop forwarding its tracks and remove them from
//!   the others (renegotiating them). Must be idempotent and must not fail.
//!
//! The node calls these from the room's task; a call should not block for long (ICE
//! gathering belongs in the background, reported through the events). Errors become a
//! `bad_request`, `out_of_order`, `media_unavailable` or `internal` error to that client
//! only, with a fixed sentence (never a library's text, which goes to the log); the room
//! goes on.

use std::sync::Arc;

use async_trait::async_trait;
use sis_proto::meeting::{IceCandidate, MeetingId};
use sis_proto::{ApiError, ErrorCode};

/// Why the media server refused a request. Sent to the client with a stable code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MediaError {
    /// The node has no media server, or it cannot take more.
    #[error("{0}")]
    Unavailable(String),
    /// The SDP or candidate could not be used (its parser's complaint, for a person).
    #[error("{field}: {reason}")]
    Rejected { field: &'static str, reason: String },
    /// The SFU refused or failed the request: its stable code and fixed sentence (what the
    /// WebRTC stack said is in the node's log, never sent).
    #[error("{} ({})", .0.message(), .0.code())]
    Sfu(sis_sfu::ErrorKind),
}

impl MediaError {
    /// The error its client sees.
    pub fn to_api(&self) -> ApiError {
        match self {
            MediaError::Unavailable(m) => ApiError::new(ErrorCode::MediaUnavailable, m.clone()),
            MediaError::Rejected { .. } => ApiError::new(ErrorCode::BadRequest, self.to_string()),
            MediaError::Sfu(kind) => ApiError::new(sfu_error_code(*kind), sfu_error_message(*kind)),
        }
    }
}

/// The API code of an SFU error: the client's fault, out of order, or the media server's.
fn sfu_error_code(kind: sis_sfu::ErrorKind) -> ErrorCode {
    use sis_sfu::ErrorKind as K;
    match kind {
        K::InvalidSdp | K::InvalidCandidate => ErrorCode::BadRequest,
        K::AlreadyJoined | K::NotJoined | K::UnexpectedAnswer => ErrorCode::OutOfOrder,
        K::Unavailable => ErrorCode::MediaUnavailable,
        // Internal, and kinds a newer SFU may add.
        _ => ErrorCode::Internal,
    }
}

/// The sentence a client sees: the SFU's fixed one, with the SFU's own code for a support
/// request (the log carries the same code).
pub fn sfu_error_message(kind: sis_sfu::ErrorKind) -> String {
    format!("{} ({})", kind.message(), kind.code())
}

/// The media server behind the meetings of this node. Participants are officer logins.
#[async_trait]
pub trait MediaServer: Send + Sync + std::fmt::Debug {
    /// Called once at start, before any other method: where server-initiated offers and
    /// the server's ICE candidates go.
    fn set_events(&self, events: MediaEvents);

    /// The participant was admitted to the room.
    async fn join(&self, room: MeetingId, participant: &str) -> Result<(), MediaError>;

    /// The client's offer; returns the answer's SDP.
    async fn offer(
        &self,
        room: MeetingId,
        participant: &str,
        sdp: &str,
    ) -> Result<String, MediaError>;

    /// The client's answer to the last [`MediaEvents::offer`] for it.
    async fn answer(&self, room: MeetingId, participant: &str, sdp: &str)
    -> Result<(), MediaError>;

    /// A trickled ICE candidate of the client.
    async fn candidate(
        &self,
        room: MeetingId,
        participant: &str,
        candidate: &IceCandidate,
    ) -> Result<(), MediaError>;

    /// The participant is gone from the room (idempotent).
    async fn leave(&self, room: MeetingId, participant: &str);
}

/// Something the media server tells a participant on its own initiative.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MediaEvent {
    /// A new session description for the participant (renegotiation); it answers.
    Offer {
        room: MeetingId,
        participant: String,
        sdp: String,
    },
    /// A gathered ICE candidate of the server's side.
    Candidate {
        room: MeetingId,
        participant: String,
        candidate: IceCandidate,
    },
}

/// Where a media server sends its [`MediaEvent`]s; cheap to clone, never blocks (the
/// event is queued to the room's task).
#[derive(Clone)]
pub struct MediaEvents(Arc<dyn Fn(MediaEvent) + Send + Sync>);

impl std::fmt::Debug for MediaEvents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MediaEvents")
    }
}

impl MediaEvents {
    pub fn new(sink: impl Fn(MediaEvent) + Send + Sync + 'static) -> MediaEvents {
        MediaEvents(Arc::new(sink))
    }

    /// Server-initiated renegotiation: `sdp` is an offer the participant must answer.
    pub fn offer(&self, room: MeetingId, participant: &str, sdp: String) {
        (self.0)(MediaEvent::Offer {
            room,
            participant: participant.to_owned(),
            sdp,
        });
    }

    /// A gathered ICE candidate of the server's side of the participant's connection.
    pub fn candidate(&self, room: MeetingId, participant: &str, candidate: IceCandidate) {
        (self.0)(MediaEvent::Candidate {
            room,
            participant: participant.to_owned(),
            candidate,
        });
    }
}

/// A node without a media server: every offer is refused with a clear error.
#[derive(Debug, Default)]
pub struct NoMedia;

const NO_MEDIA: &str = "This node has no media server configured: audio and video are \
                        unavailable, chat and moderation work.";

#[async_trait]
impl MediaServer for NoMedia {
    fn set_events(&self, _: MediaEvents) {}

    async fn join(&self, _: MeetingId, _: &str) -> Result<(), MediaError> {
        Ok(())
    }

    async fn offer(&self, _: MeetingId, _: &str, _: &str) -> Result<String, MediaError> {
        Err(MediaError::Unavailable(NO_MEDIA.into()))
    }

    async fn answer(&self, _: MeetingId, _: &str, _: &str) -> Result<(), MediaError> {
        Err(MediaError::Unavailable(NO_MEDIA.into()))
    }

    async fn candidate(&self, _: MeetingId, _: &str, _: &IceCandidate) -> Result<(), MediaError> {
        Err(MediaError::Unavailable(NO_MEDIA.into()))
    }

    async fn leave(&self, _: MeetingId, _: &str) {}
}

/// The media server a node runs with.
pub type SharedMedia = Arc<dyn MediaServer>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sfu_errors_reach_clients_as_fixed_sentences_with_a_code() {
        let invalid = MediaError::Sfu(sis_sfu::ErrorKind::InvalidSdp).to_api();
        assert_eq!(invalid.code, ErrorCode::BadRequest);
        assert_eq!(
            invalid.message,
            format!(
                "{} (sfu_invalid_sdp)",
                sis_sfu::ErrorKind::InvalidSdp.message()
            )
        );
        let order = MediaError::Sfu(sis_sfu::ErrorKind::NotJoined).to_api();
        assert_eq!(order.code, ErrorCode::OutOfOrder);
        let down = MediaError::Sfu(sis_sfu::ErrorKind::Unavailable).to_api();
        assert_eq!(down.code, ErrorCode::MediaUnavailable);
        let internal = MediaError::Sfu(sis_sfu::ErrorKind::Internal).to_api();
        assert_eq!(internal.code, ErrorCode::Internal);
    }
}
