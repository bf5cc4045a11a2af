//! Identifiers and what the SFU tells the signaling layer on its own initiative.

use std::fmt;

/// A meeting room, as the signaling layer names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RoomId(pub String);

/// A participant of a room, unique within it. It is also the media stream id (msid) of every
/// track the participant publishes, so subscribers can tell whose track they receive.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ParticipantId(pub String);

impl fmt::Display for RoomId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for ParticipantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One ICE candidate as trickled over signaling (the fields of `RTCIceCandidateInit`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IceCandidate {
    pub candidate: String,
    pub sdp_mid: Option<String>,
    pub sdp_mline_index: Option<u16>,
    pub username_fragment: Option<String>,
}

/// Something the signaling layer must pass to one participant's client.
#[derive(Debug, Clone)]
pub struct SfuEvent {
    pub room: RoomId,
    pub participant: ParticipantId,
    pub kind: SfuEventKind,
}

#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum SfuEventKind {
    /// A renegotiation offer: other participants' tracks came or went. The client answers
    /// through [`super::Sfu::answer`].
    Offer { sdp: String },
    /// A local candidate of the SFU. Every SDP the SFU hands out already carries all of its
    /// candidates (host candidates on one socket are known at once), so a client may ignore
    /// these, and must tolerate one that arrives before the description it belongs to.
    Candidate(IceCandidate),
    /// The SFU dropped the participant (its connection failed or stayed disconnected); its
    /// tracks are gone from the others. The participant is no longer in the room.
    Dropped { reason: DropReason },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DropReason {
    /// ICE or DTLS failed.
    ConnectionFailed,
    /// No traffic for longer than the configured grace.
    Disconnected,
}
