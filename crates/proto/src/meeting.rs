//! Video meetings between agencies: the REST types (create, list, get, end, minutes, ICE
//! servers) and the meeting messages carried on the client's WebSocket inside
//! [`crate::ws::ClientMessage::Meeting`] and [`crate::ws::ServerMessage::Meeting`].
//!
//! A participant is named by its officer login; an officer is in a meeting at most once.
//! Media travels as WebRTC between the client and the node's SFU; these messages carry only
//! its signaling (SDP and trickled ICE candidates).
//!
//! # Whose track is whose
//!
//! A client has one peer connection to the SFU, which carries every other participant's
//! tracks. The SFU sets the **stream id** (the first value of `a=msid:`) of every track it
//! forwards to the **publisher's login**, unchanged: logins are 3 to 64 characters of
//! `a-z 0-9 . _ -`, all valid in an msid. A receiving client attaches a track to the tile of
//! the participant whose login is the track's `MediaStream` id; a track whose stream id is
//! no participant's is not shown. Track ids are the publisher's own, so a screen share is
//! recognised by [`Participant::screen_track`].

use serde::{Deserialize, Serialize};

use crate::error::ApiError;

/// A meeting's id on its node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MeetingId(pub i64);

impl std::fmt::Display for MeetingId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Body of `POST /api/v1/meetings`. The caller becomes the host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewMeeting {
    /// 1 to 200 printable characters.
    pub title: String,
    /// The case the meeting is about, when there is one (up to 100 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_id: Option<String>,
    /// The document the meeting is about, when there is one (up to 100 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// Logins of the officers of this node who may join (at most 100). The host need not
    /// be listed.
    #[serde(default)]
    pub invited: Vec<String>,
}

/// A meeting as its host and invited officers see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    pub id: MeetingId,
    pub title: String,
    pub case_id: Option<String>,
    pub document_id: Option<String>,
    /// Login of the officer who created it; only the host moderates.
    pub host: String,
    pub invited: Vec<String>,
    /// Unix milliseconds.
    pub created_at: i64,
    /// Set once the host ended it; an ended meeting cannot be joined again.
    pub ended_at: Option<i64>,
}

/// Answer of `GET /api/v1/meetings`: the meetings the caller hosts or is invited to,
/// newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingList {
    pub meetings: Vec<Meeting>,
}

/// What a minutes entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum MinutesKind {
    /// The meeting was created (actor: the host; text: the title).
    Created,
    /// A participant entered the room (after the lobby, when there was one).
    Joined,
    /// A participant left or its connection dropped.
    Left,
    /// The host removed `subject`.
    Removed,
    Chat,
    /// A decision the host recorded.
    Decision,
    Ended,
}

impl MinutesKind {
    pub const ALL: [MinutesKind; 7] = [
        MinutesKind::Created,
        MinutesKind::Joined,
        MinutesKind::Left,
        MinutesKind::Removed,
        MinutesKind::Chat,
        MinutesKind::Decision,
        MinutesKind::Ended,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            MinutesKind::Created => "created",
            MinutesKind::Joined => "joined",
            MinutesKind::Left => "left",
            MinutesKind::Removed => "removed",
            MinutesKind::Chat => "chat",
            MinutesKind::Decision => "decision",
            MinutesKind::Ended => "ended",
        }
    }

    pub fn parse(s: &str) -> Option<MinutesKind> {
        MinutesKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One entry of a meeting's minutes. Entries form a hash chain: `hash` is the SHA-256 of
/// the previous entry's hash and this entry's fields (the node's `meetings::minutes`
/// module defines the exact bytes), so no entry can be changed, dropped or reordered
/// without breaking every later hash and the signature over the last one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MinutesEntry {
    /// 0 for the first entry, then one more for each.
    pub seq: u64,
    /// Unix milliseconds.
    pub at: i64,
    pub kind: MinutesKind,
    /// Who acted; `None` for the node itself.
    pub actor: Option<String>,
    /// Whom it was about, when not the actor (the removed participant).
    pub subject: Option<String>,
    /// Chat text, the decision, or the title.
    pub text: Option<String>,
    /// Hex SHA-256 of the previous entry (64 zeros for the first).
    pub prev_hash: String,
    /// Hex SHA-256 of this entry.
    pub hash: String,
    /// Set when the reader may not see this entry's content (a chat message written while
    /// the reader was not in the room): `actor` and `text` are then empty, and the entry's
    /// hashes still show its place in the signed chain.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub withheld: bool,
}

/// The node's Ed25519 signature over a meeting's minutes, made when the meeting ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MinutesSignature {
    /// Hex of the node's 32-byte Ed25519 public key.
    pub public_key: String,
    /// Hex of the 64-byte signature over the minutes head (meeting id, entry count, last
    /// hash; see the node's `meetings::minutes` module).
    pub signature: String,
    /// Unix milliseconds.
    pub signed_at: i64,
}

/// Answer of `GET /api/v1/meetings/{id}/minutes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Minutes {
    pub meeting: MeetingId,
    pub entries: Vec<MinutesEntry>,
    /// `None` until the meeting has ended.
    pub signature: Option<MinutesSignature>,
}

/// An ICE candidate as the browser's `RTCIceCandidateInit` spells it, so a page can pass
/// it through unchanged. An empty `candidate` marks the end of candidates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IceCandidate {
    pub candidate: String,
    #[serde(rename = "sdpMid", default, skip_serializing_if = "Option::is_none")]
    pub sdp_mid: Option<String>,
    #[serde(
        rename = "sdpMLineIndex",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub sdp_mline_index: Option<u16>,
    #[serde(
        rename = "usernameFragment",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub username_fragment: Option<String>,
}

/// A STUN or TURN server for a meeting's peer connection, spelt as the browser's
/// `RTCIceServer` so a page can pass it through.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IceServer {
    /// `turn:`, `turns:` or `stun:` URLs (RFC 7064, 7065).
    pub urls: Vec<String>,
    /// For TURN: `"<unix expiry>:<login>"` (the TURN REST API's time-limited username).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// For TURN: the password that goes with `username`, valid until its expiry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential: Option<String>,
}

/// The credential lets anyone relay through the node's TURN server until it expires, so it
/// stays out of logs and panic messages.
impl std::fmt::Debug for IceServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IceServer")
            .field("urls", &self.urls)
            .field("username", &self.username)
            .field(
                "credential",
                &self.credential.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// Answer of `GET /api/v1/meetings/ice-servers`: the servers the caller's meeting peer
/// connections use, TURN ones with credentials made for the caller. Empty when the node has
/// none (its SFU is reached directly).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IceServers {
    pub ice_servers: Vec<IceServer>,
    /// Unix milliseconds after which the TURN credentials are refused: ask again for a new
    /// connection after that. `None` when there are no credentials.
    pub expires_at: Option<i64>,
}

/// What a client asks of a meeting (`{"type":"meeting","meeting":7,"op":{"kind":…}}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum MeetingOp {
    /// Enter the meeting: the host enters at once, an invited officer waits in the lobby
    /// until the host admits it (once admitted, it re-enters directly).
    Join,
    Leave,
    /// The client's SDP offer (first connection, or when it adds or removes a track, such
    /// as a screen share). Answered by [`MeetingEvent::Answer`].
    Offer {
        sdp: String,
    },
    /// The client's answer to a server-initiated [`MeetingEvent::Offer`].
    Answer {
        sdp: String,
    },
    /// A trickled ICE candidate of the client.
    Candidate {
        candidate: IceCandidate,
    },
    /// Host only: let `login` in from the lobby.
    Admit {
        login: String,
    },
    /// Mute or unmute oneself; the host may also mute (not unmute) another participant.
    Mute {
        login: String,
        muted: bool,
    },
    /// Host only: put `login` out of the meeting; it cannot rejoin this room.
    Remove {
        login: String,
    },
    Hand {
        raised: bool,
    },
    /// 1 to 2000 printable characters (new lines allowed); kept in the minutes.
    Chat {
        text: String,
    },
    /// Host only: record a decision in the minutes (1 to 2000 characters).
    Decision {
        text: String,
    },
    /// The client's second video track is (or no longer is) a screen share; `track` is
    /// its track or stream id in the SDP, so the others can tell it from the camera.
    ScreenShare {
        on: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        track: Option<String>,
    },
    /// Host only: end the meeting for everyone and seal the minutes.
    End,
}

/// A participant as the others see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    pub login: String,
    pub name: String,
    pub host: bool,
    pub muted: bool,
    pub hand_raised: bool,
    /// Whether its second video track is a screen share.
    pub screen_share: bool,
    /// The screen share's track id, when the client named it.
    pub screen_track: Option<String>,
}

/// One chat message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatLine {
    /// The minutes entry that holds it.
    pub seq: u64,
    pub at: i64,
    pub from: String,
    pub text: String,
}

/// Why a participant is no longer in the room.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LeaveReason {
    Left,
    /// Its WebSocket closed (or it joined again from another connection).
    Disconnected,
    Removed,
}

/// What the node tells a client about a meeting
/// (`{"type":"meeting","meeting":7,"event":{"kind":…}}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum MeetingEvent {
    /// You are in: who is there and the chat so far. Send your offer next.
    Admitted {
        host: String,
        participants: Vec<Participant>,
        chat: Vec<ChatLine>,
    },
    /// You wait in the lobby until the host admits you.
    InLobby,
    /// To the host: `participant` waits in the lobby.
    Knocking {
        participant: Participant,
    },
    /// Someone entered the room.
    ParticipantJoined {
        participant: Participant,
    },
    /// Someone is no longer in the room (or no longer waits in the lobby).
    ParticipantLeft {
        login: String,
        reason: LeaveReason,
    },
    /// Your `leave` was done.
    Left,
    Muted {
        login: String,
        muted: bool,
        by: String,
    },
    Hand {
        login: String,
        raised: bool,
    },
    ScreenShare {
        login: String,
        on: bool,
        track: Option<String>,
    },
    Chat {
        line: ChatLine,
    },
    Decision {
        seq: u64,
        at: i64,
        text: String,
    },
    /// The host removed you; your media is cut.
    Removed {
        by: String,
    },
    /// The host ended the meeting; its minutes are signed.
    Ended {
        at: i64,
    },
    /// The SFU's answer to your offer.
    Answer {
        sdp: String,
    },
    /// The SFU offers a new session description (tracks came or went); send an `answer`.
    Offer {
        sdp: String,
    },
    /// A trickled ICE candidate of the SFU.
    Candidate {
        candidate: IceCandidate,
    },
    /// Your request about this meeting was refused; the room is unchanged.
    Error {
        error: ApiError,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_kinds_round_trip() {
        for k in MinutesKind::ALL {
            assert_eq!(MinutesKind::parse(k.as_str()), Some(k));
            assert_eq!(
                serde_json::to_string(&k).expect("serialises"),
                format!("\"{}\"", k.as_str())
            );
        }
    }

    #[test]
    fn ice_servers_use_the_browser_spelling_and_hide_the_credential() {
        let server = IceServer {
            urls: vec!["turn:turn.example:3478?transport=udp".to_owned()],
            username: Some("1767225600:ann.kz".to_owned()),
            credential: Some("c2VjcmV0".to_owned()),
        };
        assert_eq!(
            serde_json::to_value(&server).expect("serialises"),
            serde_json::json!({
                "urls": ["turn:turn.example:3478?transport=udp"],
                "username": "1767225600:ann.kz",
                "credential": "c2VjcmV0",
            })
        );
        let stun: IceServer =
            serde_json::from_str(r#"{"urls":["stun:stun.example"]}"#).expect("stun server");
        assert_eq!(stun.credential, None);
        assert!(!format!("{server:?}").contains("c2VjcmV0"));
    }

    #[test]
    fn candidates_use_the_browser_spelling() {
        let c: IceCandidate = serde_json::from_str(
            r#"{"candidate":"candidate:1 1 udp 1 127.0.0.1 5000 typ host","sdpMid":"0","sdpMLineIndex":0}"#,
        )
        .expect("browser candidate");
        assert_eq!(c.sdp_mid.as_deref(), Some("0"));
        assert_eq!(c.sdp_mline_index, Some(0));
    }
}
