//! The meeting page's pure half: what one officer knows of a meeting room, updated by the
//! node's [`MeetingEvent`]s, and what the page must do about each one (start or stop its
//! media, pass signaling to the peer connection). No browser types, so it is tested on the
//! host.

use sis_proto::meeting::{
    ChatLine, IceCandidate, Meeting, MeetingEvent, MeetingId, NewMeeting, Participant,
};
use sis_proto::{ApiError, ErrorCode};

use crate::i18n::Key;

/// Where this officer stands in the meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    /// The WebSocket is being opened (or reopened after it dropped).
    Connecting,
    /// `join` was sent; no answer yet.
    Joining,
    /// Waiting for the host to admit us.
    Lobby,
    /// In the room.
    In,
    /// We left.
    Left,
    /// The host put us out; we cannot come back to this meeting.
    Removed {
        by: String,
    },
    Ended,
    /// The node refused to let us in (not invited, removed earlier); the error says why.
    Refused,
}

impl Phase {
    /// The `data-phase` value tests read.
    pub const fn as_str(&self) -> &'static str {
        match self {
            Phase::Connecting => "connecting",
            Phase::Joining => "joining",
            Phase::Lobby => "lobby",
            Phase::In => "in",
            Phase::Left => "left",
            Phase::Removed { .. } => "removed",
            Phase::Ended => "ended",
            Phase::Refused => "refused",
        }
    }

    /// The sentence shown for it.
    pub const fn key(&self) -> Key {
        match self {
            Phase::Connecting => Key::MeetingConnecting,
            Phase::Joining => Key::MeetingJoining,
            Phase::Lobby => Key::MeetingInLobby,
            Phase::In => Key::MeetingInRoom,
            Phase::Left => Key::MeetingLeftNotice,
            Phase::Removed { .. } => Key::MeetingRemovedNotice,
            Phase::Ended => Key::MeetingEndedNotice,
            Phase::Refused => Key::MeetingRefused,
        }
    }

    /// Whether the meeting is over for us: nothing more will come on this page.
    pub const fn is_final(&self) -> bool {
        matches!(
            self,
            Phase::Left | Phase::Removed { .. } | Phase::Ended | Phase::Refused
        )
    }
}

/// Where this officer's audio and video stand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MediaState {
    /// Not in the room, or the meeting is over.
    Off,
    /// Asking the browser for the camera and microphone.
    Starting,
    /// Offer sent, waiting for the node's media server.
    Connecting,
    Connected,
    /// The node has no media server (or it refused us): the meeting goes on without media.
    Unavailable,
    /// The browser gave no camera or microphone (refused, or none present).
    NoDevices,
    /// The peer connection failed.
    Failed,
    /// The desktop app does not carry meeting media yet (its webview has no WebRTC).
    NotInDesktop,
}

impl MediaState {
    /// The `data-state` value tests read.
    pub const fn as_str(&self) -> &'static str {
        match self {
            MediaState::Off => "off",
            MediaState::Starting => "starting",
            MediaState::Connecting => "connecting",
            MediaState::Connected => "connected",
            MediaState::Unavailable => "unavailable",
            MediaState::NoDevices => "no-devices",
            MediaState::Failed => "failed",
            MediaState::NotInDesktop => "not-in-desktop",
        }
    }

    pub const fn key(&self) -> Key {
        match self {
            MediaState::Off => Key::MediaOff,
            MediaState::Starting => Key::MediaStarting,
            MediaState::Connecting => Key::MediaConnecting,
            MediaState::Connected => Key::MediaConnected,
            MediaState::Unavailable => Key::MediaUnavailable,
            MediaState::NoDevices => Key::MediaNoDevices,
            MediaState::Failed => Key::MediaFailed,
            MediaState::NotInDesktop => Key::MediaNotInDesktop,
        }
    }
}

/// A decision the host recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub seq: u64,
    pub at: i64,
    pub text: String,
}

/// What the page must do after an event, besides showing the new state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Nothing,
    /// We are in the room: open the camera and microphone and offer them to the SFU.
    StartMedia,
    /// We are out of the room: close the peer connection and release the devices.
    StopMedia,
    /// The host muted us: silence the microphone too, not only the badge.
    SilenceMicrophone,
    /// The SFU's answer to our offer.
    ApplyAnswer(String),
    /// The SFU renegotiates: apply its offer and send our answer.
    AnswerOffer(String),
    /// A trickled candidate of the SFU.
    AddCandidate(IceCandidate),
    /// The node would not take our media; the meeting goes on without it.
    MediaRefused(ApiError),
}

/// One officer's view of one meeting room.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomState {
    pub meeting: MeetingId,
    /// Our login.
    pub me: String,
    pub host: String,
    pub phase: Phase,
    /// In the order they entered, us included.
    pub participants: Vec<Participant>,
    /// Who waits to be admitted (the host sees it).
    pub lobby: Vec<Participant>,
    pub chat: Vec<ChatLine>,
    pub decisions: Vec<Decision>,
    /// The last request of ours the node refused.
    pub error: Option<ApiError>,
}

impl RoomState {
    pub fn new(meeting: &Meeting, me: &str) -> RoomState {
        RoomState {
            meeting: meeting.id,
            me: me.to_owned(),
            host: meeting.host.clone(),
            phase: Phase::Connecting,
            participants: Vec::new(),
            lobby: Vec::new(),
            chat: Vec::new(),
            decisions: Vec::new(),
            error: None,
        }
    }

    pub fn is_host(&self) -> bool {
        self.me == self.host
    }

    pub fn participant(&self, login: &str) -> Option<&Participant> {
        self.participants.iter().find(|p| p.login == login)
    }

    /// Our own entry, once we are in.
    pub fn own(&self) -> Option<&Participant> {
        self.participant(&self.me)
    }

    /// The socket is (again) authenticated and `join` is being sent. After a dropped socket
    /// the node counted us as gone, so what we knew of the room is stale until it answers.
    pub fn rejoining(&mut self) {
        self.phase = Phase::Joining;
        self.participants.clear();
        self.lobby.clear();
        self.error = None;
    }

    /// The socket dropped; it is being reopened.
    pub fn connection_lost(&mut self) -> Effect {
        if self.phase.is_final() {
            return Effect::Nothing;
        }
        self.phase = Phase::Connecting;
        Effect::StopMedia
    }

    /// Takes one event of this meeting; returns what the page must do besides re-render.
    pub fn apply(&mut self, event: MeetingEvent) -> Effect {
        match event {
            MeetingEvent::Admitted {
                host,
                participants,
                chat,
            } => {
                self.host = host;
                self.participants = participants;
                self.lobby
                    .retain(|p| self.participants.iter().all(|q| q.login != p.login));
                // The backlog is the room's chat so far; after a rejoin it replaces what we
                // had rather than repeating it.
                self.chat = chat;
                self.phase = Phase::In;
                self.error = None;
                return Effect::StartMedia;
            }
            MeetingEvent::InLobby => self.phase = Phase::Lobby,
            MeetingEvent::Knocking { participant } => {
                self.lobby.retain(|p| p.login != participant.login);
                self.lobby.push(participant);
            }
            MeetingEvent::ParticipantJoined { participant } => {
                self.lobby.retain(|p| p.login != participant.login);
                self.participants.retain(|p| p.login != participant.login);
                self.participants.push(participant);
            }
            MeetingEvent::ParticipantLeft { login, .. } => {
                self.lobby.retain(|p| p.login != login);
                self.participants.retain(|p| p.login != login);
            }
            MeetingEvent::Left => {
                self.phase = Phase::Left;
                self.participants.clear();
                self.lobby.clear();
                return Effect::StopMedia;
            }
            MeetingEvent::Muted { login, muted, by } => {
                if let Some(p) = self.participants.iter_mut().find(|p| p.login == login) {
                    p.muted = muted;
                }
                if login == self.me && muted && by != self.me {
                    return Effect::SilenceMicrophone;
                }
            }
            MeetingEvent::Hand { login, raised } => {
                if let Some(p) = self.participants.iter_mut().find(|p| p.login == login) {
                    p.hand_raised = raised;
                }
            }
            MeetingEvent::ScreenShare { login, on, track } => {
                if let Some(p) = self.participants.iter_mut().find(|p| p.login == login) {
                    p.screen_share = on;
                    p.screen_track = track;
                }
            }
            // A line or decision already shown (the backlog after a rejoin) is not repeated.
            MeetingEvent::Chat { line } if self.chat.iter().all(|l| l.seq != line.seq) => {
                self.chat.push(line);
            }
            MeetingEvent::Decision { seq, at, text }
                if self.decisions.iter().all(|d| d.seq != seq) =>
            {
                self.decisions.push(Decision { seq, at, text });
            }
            MeetingEvent::Removed { by } => {
                self.phase = Phase::Removed { by };
                self.participants.clear();
                self.lobby.clear();
                return Effect::StopMedia;
            }
            MeetingEvent::Ended { .. } => {
                self.phase = Phase::Ended;
                self.participants.clear();
                self.lobby.clear();
                return Effect::StopMedia;
            }
            MeetingEvent::Answer { sdp } => return Effect::ApplyAnswer(sdp),
            MeetingEvent::Offer { sdp } => return Effect::AnswerOffer(sdp),
            MeetingEvent::Candidate { candidate } => return Effect::AddCandidate(candidate),
            MeetingEvent::Error { error } => return self.refused(error),
            // An event added to the protocol after this client was built.
            _ => {}
        }
        Effect::Nothing
    }

    fn refused(&mut self, error: ApiError) -> Effect {
        match error.code {
            // The media server's refusals concern our media only; the room goes on.
            ErrorCode::MediaUnavailable => return Effect::MediaRefused(error),
            ErrorCode::MeetingEnded => {
                self.phase = Phase::Ended;
                self.participants.clear();
                self.lobby.clear();
                self.error = Some(error);
                return Effect::StopMedia;
            }
            _ if self.phase == Phase::Joining => self.phase = Phase::Refused,
            _ => {}
        }
        self.error = Some(error);
        Effect::Nothing
    }
}

/// The WebSocket address of the node that served the page at `protocol` (`https:`) and
/// `host` (`name:port`).
pub fn socket_url(protocol: &str, host: &str) -> String {
    let scheme = if protocol == "https:" { "wss" } else { "ws" };
    format!("{scheme}://{host}{}", sis_proto::endpoint::WS_PATH)
}

/// The create form's fields as the node takes them: trimmed, empty optional fields left
/// out, invited logins separated by commas, semicolons or white space.
pub fn new_meeting(title: &str, case_id: &str, document_id: &str, invited: &str) -> NewMeeting {
    let optional = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
    let mut logins: Vec<String> = invited
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|l| !l.is_empty())
        .map(|l| l.to_lowercase())
        .collect();
    logins.dedup();
    NewMeeting {
        title: title.trim().to_owned(),
        case_id: optional(case_id),
        document_id: optional(document_id),
        invited: logins,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sis_proto::meeting::LeaveReason;

    fn meeting() -> Meeting {
        Meeting {
            id: MeetingId(7),
            title: "Consignment held at Khorgos".into(),
            case_id: None,
            document_id: None,
            host: "host.kz".into(),
            invited: vec!["ann.kz".into()],
            created_at: 0,
            ended_at: None,
        }
    }

    fn person(login: &str) -> Participant {
        Participant {
            login: login.into(),
            name: login.to_uppercase(),
            host: login == "host.kz",
            muted: false,
            hand_raised: false,
            screen_share: false,
            screen_track: None,
        }
    }

    fn line(seq: u64, from: &str, text: &str) -> ChatLine {
        ChatLine {
            seq,
            at: 0,
            from: from.into(),
            text: text.into(),
        }
    }

    fn admitted(participants: &[&str], chat: Vec<ChatLine>) -> MeetingEvent {
        MeetingEvent::Admitted {
            host: "host.kz".into(),
            participants: participants.iter().map(|l| person(l)).collect(),
            chat,
        }
    }

    #[test]
    fn the_host_sees_a_knock_admits_it_and_the_guest_enters() {
        let mut s = RoomState::new(&meeting(), "host.kz");
        s.rejoining();
        assert_eq!(s.apply(admitted(&["host.kz"], vec![])), Effect::StartMedia);
        assert_eq!(s.phase, Phase::In);
        assert!(s.is_host());
        s.apply(MeetingEvent::Knocking {
            participant: person("ann.kz"),
        });
        assert_eq!(s.lobby.len(), 1);
        s.apply(MeetingEvent::ParticipantJoined {
            participant: person("ann.kz"),
        });
        assert!(s.lobby.is_empty(), "an admitted guest leaves the lobby");
        assert_eq!(
            s.participants
                .iter()
                .map(|p| p.login.as_str())
                .collect::<Vec<_>>(),
            ["host.kz", "ann.kz"]
        );
    }

    #[test]
    fn a_guest_waits_in_the_lobby_then_gets_the_chat_backlog_once() {
        let mut s = RoomState::new(&meeting(), "ann.kz");
        s.rejoining();
        assert_eq!(s.apply(MeetingEvent::InLobby), Effect::Nothing);
        assert_eq!(s.phase, Phase::Lobby);
        let backlog = vec![line(1, "host.kz", "hello")];
        assert_eq!(
            s.apply(admitted(&["host.kz", "ann.kz"], backlog.clone())),
            Effect::StartMedia
        );
        s.apply(MeetingEvent::Chat {
            line: line(1, "host.kz", "hello"),
        });
        assert_eq!(s.chat, backlog, "a line already shown is not repeated");
        // After a dropped socket the room sends the backlog again on rejoin.
        assert_eq!(s.connection_lost(), Effect::StopMedia);
        s.rejoining();
        s.apply(admitted(&["host.kz", "ann.kz"], backlog.clone()));
        assert_eq!(s.chat, backlog);
    }

    #[test]
    fn badges_follow_mute_and_hand_and_a_host_mute_silences_us() {
        let mut s = RoomState::new(&meeting(), "ann.kz");
        s.apply(admitted(&["host.kz", "ann.kz"], vec![]));
        assert_eq!(
            s.apply(MeetingEvent::Hand {
                login: "ann.kz".into(),
                raised: true
            }),
            Effect::Nothing
        );
        assert!(s.own().expect("in the room").hand_raised);
        let by_host = MeetingEvent::Muted {
            login: "ann.kz".into(),
            muted: true,
            by: "host.kz".into(),
        };
        assert_eq!(s.apply(by_host), Effect::SilenceMicrophone);
        assert!(s.own().expect("in").muted);
        let by_self = MeetingEvent::Muted {
            login: "ann.kz".into(),
            muted: false,
            by: "ann.kz".into(),
        };
        assert_eq!(
            s.apply(by_self),
            Effect::Nothing,
            "unmuting is ours to do, the page already did it"
        );
        assert!(!s.own().expect("in").muted);
    }

    #[test]
    fn removal_and_the_end_stop_the_media_and_empty_the_room() {
        let mut s = RoomState::new(&meeting(), "ann.kz");
        s.apply(admitted(&["host.kz", "ann.kz"], vec![]));
        assert_eq!(
            s.apply(MeetingEvent::Removed {
                by: "host.kz".into()
            }),
            Effect::StopMedia
        );
        assert_eq!(
            s.phase,
            Phase::Removed {
                by: "host.kz".into()
            }
        );
        assert!(s.participants.is_empty());
        assert_eq!(
            s.connection_lost(),
            Effect::Nothing,
            "a socket closing after the removal changes nothing"
        );

        let mut h = RoomState::new(&meeting(), "host.kz");
        h.apply(admitted(&["host.kz", "ann.kz"], vec![]));
        h.apply(MeetingEvent::ParticipantLeft {
            login: "ann.kz".into(),
            reason: LeaveReason::Removed,
        });
        assert_eq!(h.participants.len(), 1);
        assert_eq!(h.apply(MeetingEvent::Ended { at: 1 }), Effect::StopMedia);
        assert_eq!(h.phase, Phase::Ended);
    }

    #[test]
    fn a_media_refusal_is_not_a_room_error_but_other_refusals_are() {
        let mut s = RoomState::new(&meeting(), "host.kz");
        s.apply(admitted(&["host.kz"], vec![]));
        let no_media = ApiError::new(ErrorCode::MediaUnavailable, "no media server");
        assert_eq!(
            s.apply(MeetingEvent::Error {
                error: no_media.clone()
            }),
            Effect::MediaRefused(no_media)
        );
        assert_eq!(s.error, None);
        assert_eq!(s.phase, Phase::In);
        let forbidden = ApiError::new(ErrorCode::Forbidden, "not the host");
        s.apply(MeetingEvent::Error {
            error: forbidden.clone(),
        });
        assert_eq!(s.error, Some(forbidden));
        assert_eq!(
            s.phase,
            Phase::In,
            "a refused request leaves us in the room"
        );
    }

    #[test]
    fn a_refused_join_is_final() {
        let mut s = RoomState::new(&meeting(), "eve.kz");
        s.rejoining();
        s.apply(MeetingEvent::Error {
            error: ApiError::new(ErrorCode::Forbidden, "not invited"),
        });
        assert_eq!(s.phase, Phase::Refused);
        assert!(s.phase.is_final());
        let mut s = RoomState::new(&meeting(), "ann.kz");
        s.rejoining();
        s.apply(MeetingEvent::Error {
            error: ApiError::new(ErrorCode::MeetingEnded, "over"),
        });
        assert_eq!(s.phase, Phase::Ended);
    }

    #[test]
    fn signaling_is_passed_to_the_peer_connection() {
        let mut s = RoomState::new(&meeting(), "ann.kz");
        s.apply(admitted(&["host.kz", "ann.kz"], vec![]));
        assert_eq!(
            s.apply(MeetingEvent::Answer { sdp: "v=0".into() }),
            Effect::ApplyAnswer("v=0".into())
        );
        assert_eq!(
            s.apply(MeetingEvent::Offer { sdp: "v=0".into() }),
            Effect::AnswerOffer("v=0".into())
        );
    }

    #[test]
    fn the_socket_follows_the_pages_scheme() {
        assert_eq!(
            socket_url("https:", "sis.example:8443"),
            "wss://sis.example:8443/api/v1/ws"
        );
        assert_eq!(
            socket_url("http:", "127.0.0.1:8080"),
            "ws://127.0.0.1:8080/api/v1/ws"
        );
    }

    #[test]
    fn the_create_form_is_read_as_the_node_takes_it() {
        let m = new_meeting("  Khorgos  ", " ", "DOC-1", "ann.kz, Bob.KZ;\n eve.kz");
        assert_eq!(m.title, "Khorgos");
        assert_eq!(m.case_id, None);
        assert_eq!(m.document_id.as_deref(), Some("DOC-1"));
        assert_eq!(m.invited, ["ann.kz", "bob.kz", "eve.kz"]);
    }
}
