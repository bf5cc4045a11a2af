//! What can go wrong when driving the SFU, and what of it a client may be told.
//!
//! Every [`SfuError`] has an [`ErrorKind`] with a fixed sentence for a person
//! ([`ErrorKind::message`]) and a stable code ([`ErrorKind::code`]). The `Display` of the
//! error itself carries the WebRTC stack's own text: it is for the log, never for a client.

use std::fmt;

use crate::{ParticipantId, RoomId};

/// Which description of the client the SFU refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SdpKind {
    Offer,
    Answer,
}

impl fmt::Display for SdpKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SdpKind::Offer => "offer",
            SdpKind::Answer => "answer",
        })
    }
}

/// An error of the SFU's API. The variants that wrap [`webrtc::Error`] keep what the WebRTC
/// stack said, for the log.
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
    /// The client's SDP could not be used. The participant's connection is as it was before
    /// (an offer of the SFU that it crossed is made again).
    #[error("the client's {kind} was refused: {source}")]
    InvalidSdp {
        kind: SdpKind,
        #[source]
        source: webrtc::Error,
    },
    /// A trickled candidate could not be used.
    #[error("the client's candidate was refused: {0}")]
    InvalidCandidate(#[source] webrtc::Error),
    #[error("the SFU's settings: {0}")]
    Config(#[from] crate::config::ConfigError),
    #[error("the SFU's peer connection produced no local description")]
    NoLocalDescription,
    #[error("the media UDP socket: {0}")]
    Socket(#[source] std::io::Error),
    #[error("the SFU's thread: {0}")]
    Runtime(#[source] std::io::Error),
    #[error("the SFU has stopped")]
    Stopped,
    /// The WebRTC stack failed on the SFU's side (not because of what the client sent).
    #[error("WebRTC: {0}")]
    WebRtc(#[from] webrtc::Error),
}

/// What kind of failure an [`SfuError`] is, as a client may be told it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The participant already has a connection in the room.
    AlreadyJoined,
    /// The participant has no connection in the room (never joined, left or was dropped).
    NotJoined,
    /// An answer with no offer of the SFU outstanding.
    UnexpectedAnswer,
    /// The client's offer or answer could not be used.
    InvalidSdp,
    /// The client's candidate could not be used.
    InvalidCandidate,
    /// The SFU is not running (its socket or thread failed, or it was stopped).
    Unavailable,
    /// The SFU failed on its own side.
    Internal,
}

impl ErrorKind {
    /// A stable identifier, for clients and logs: it never changes once released.
    pub const fn code(self) -> &'static str {
        match self {
            ErrorKind::AlreadyJoined => "sfu_already_joined",
            ErrorKind::NotJoined => "sfu_not_joined",
            ErrorKind::UnexpectedAnswer => "sfu_unexpected_answer",
            ErrorKind::InvalidSdp => "sfu_invalid_sdp",
            ErrorKind::InvalidCandidate => "sfu_invalid_candidate",
            ErrorKind::Unavailable => "sfu_unavailable",
            ErrorKind::Internal => "sfu_internal",
        }
    }

    /// A sentence for the person whose client made the request; it names no library.
    pub const fn message(self) -> &'static str {
        match self {
            ErrorKind::AlreadyJoined => {
                "Your device already has a media connection in this meeting."
            }
            ErrorKind::NotJoined => {
                "Your device has no media connection in this meeting: send an offer first."
            }
            ErrorKind::UnexpectedAnswer => "There is no offer from the media server to answer.",
            ErrorKind::InvalidSdp => {
                "The media server could not use this session description. Your connection is \
                 unchanged; send a complete offer again."
            }
            ErrorKind::InvalidCandidate => "The media server could not use this network candidate.",
            ErrorKind::Unavailable => {
                "The media server is not running: audio and video are unavailable for now."
            }
            ErrorKind::Internal => {
                "The media server could not complete the request. Try again; if it keeps \
                 failing, tell the node's operator."
            }
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl SfuError {
    /// What kind of failure this is: its code and the sentence a client may see.
    pub fn kind(&self) -> ErrorKind {
        match self {
            SfuError::AlreadyJoined { .. } => ErrorKind::AlreadyJoined,
            SfuError::NotJoined { .. } => ErrorKind::NotJoined,
            SfuError::UnexpectedAnswer { .. } => ErrorKind::UnexpectedAnswer,
            SfuError::InvalidSdp { .. } => ErrorKind::InvalidSdp,
            SfuError::InvalidCandidate(_) => ErrorKind::InvalidCandidate,
            SfuError::Config(_)
            | SfuError::Socket(_)
            | SfuError::Runtime(_)
            | SfuError::Stopped => ErrorKind::Unavailable,
            SfuError::NoLocalDescription | SfuError::WebRtc(_) => ErrorKind::Internal,
        }
    }

    /// Whether the client's request was at fault (as opposed to the SFU).
    pub fn is_client_error(&self) -> bool {
        matches!(
            self.kind(),
            ErrorKind::AlreadyJoined
                | ErrorKind::NotJoined
                | ErrorKind::UnexpectedAnswer
                | ErrorKind::InvalidSdp
                | ErrorKind::InvalidCandidate
        )
    }
}
