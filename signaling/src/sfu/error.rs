//! What can go wrong when driving the SFU.

use super::{ParticipantId, RoomId};

/// An error of the SFU's API. `WebRtc` wraps what the WebRTC stack refused (a malformed SDP,
/// a codec the SFU does not take, a closed connection).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SfuError {
    #[error("participant {participant} is already in room {room}")]
    AlreadyJoined {
        room: RoomId,
        participant: ParticipantId,
    },
    #[error("participant {participant} is not in room {room}")]
    NotJoined {
        room: RoomId,
        participant: ParticipantId,
    },
    #[error("an answer arrived from {participant} but the SFU has no offer outstanding to it")]
    UnexpectedAnswer { participant: ParticipantId },
    #[error("the SFU's peer connection produced no local description")]
    NoLocalDescription,
    #[error("the media UDP socket: {0}")]
    Socket(#[source] std::io::Error),
    #[error("the SFU's thread: {0}")]
    Runtime(#[source] std::io::Error),
    #[error("the SFU has stopped")]
    Stopped,
    #[error("WebRTC: {0}")]
    WebRtc(#[from] webrtc::Error),
}
