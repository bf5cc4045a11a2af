//! One live meeting as a pure state machine: [`Room::handle`] takes `now` and an
//! [`Input`] (a client's request, or what the media server said) and returns the
//! [`Output`]s to carry out: events to send, media commands, minutes entries. No IO, no
//! clock, no tasks; the room's actor (`actor.rs`) does the IO in the order given.
//!
//! Rules:
//! - Only the host and invited officers may join; a participant the host removed may not
//!   come back to this room.
//! - The host enters at once; others wait in the lobby until the host admits them, and
//!   enter directly when they rejoin later.
//! - The host leaving does not end the meeting: the others stay, the lobby waits until
//!   the host is back. Only `end` ends it.
//! - Signaling follows the offer/answer order: the client offers, the media server
//!   answers; the media server may offer (tracks came or went) and the client answers.
//!   A message out of that order is refused and changes nothing.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use sis_proto::meeting::{
    ChatLine, IceCandidate, LeaveReason, MeetingEvent, MeetingId, MeetingOp, MinutesEntry,
    MinutesKind, Participant,
};
use sis_proto::{ApiError, ErrorCode};

use super::minutes::{Event, Head};
use crate::ids::Login;

mod moderation;
mod presence;
mod signal;
mod talk;

/// Chat lines a joiner is sent; older ones stay in the minutes.
pub const CHAT_BACKLOG: usize = 100;
/// Longest chat message or decision, in characters.
pub const MAX_TEXT_CHARS: usize = 2000;
/// Longest SDP accepted from a client, in bytes.
pub const MAX_SDP_BYTES: usize = 32 * 1024;

/// What the room is told.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Input {
    /// A request of the officer `login` (whose display name is `name`).
    Client {
        login: Login,
        name: String,
        op: MeetingOp,
    },
    /// The officer's WebSocket closed (or it joined again from another one).
    Disconnected { login: Login },
    /// The media server answered the participant's offer.
    MediaAnswer { login: Login, sdp: String },
    /// The media server refused the participant's offer or candidate.
    MediaFailed { login: Login, error: ApiError },
    /// The media server offers the participant a new session (server-initiated
    /// renegotiation).
    MediaOffer { login: Login, sdp: String },
    /// A trickled ICE candidate of the media server for the participant.
    MediaCandidate {
        login: Login,
        candidate: IceCandidate,
    },
}

/// What the media server is to do for a participant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MediaCommand {
    Join {
        login: Login,
    },
    Offer {
        login: Login,
        sdp: String,
    },
    Answer {
        login: Login,
        sdp: String,
    },
    Candidate {
        login: Login,
        candidate: IceCandidate,
    },
    Leave {
        login: Login,
    },
}

/// What the IO around the room carries out, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// Append to the stored minutes (before the events that announce it go out).
    Minutes(MinutesEntry),
    Send {
        to: Login,
        event: MeetingEvent,
    },
    Media(MediaCommand),
    /// An officer entered the room: its stay, which decides what of the minutes it may
    /// read, begins ...
    StayBegan {
        login: Login,
        at: i64,
    },
    /// ... and ends when it leaves, is disconnected or removed.
    StayEnded {
        login: Login,
        at: i64,
        why: LeaveReason,
    },
    /// The meeting has ended: seal the minutes and retire the room.
    Ended {
        at: i64,
    },
}

/// Why the room refused an input. The room is unchanged after any of these.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RoomError {
    /// Said as a missing meeting is, so that ids cannot be probed.
    #[error("meeting: there is no such meeting that you may see")]
    NotInvited,
    #[error("The host removed you from this meeting.")]
    Removed,
    #[error("The meeting has ended.")]
    Ended,
    #[error("Only the host may do this.")]
    NotHost,
    #[error("{0}")]
    OutOfOrder(&'static str),
    #[error("login: {0:?} is not in this meeting.")]
    NoParticipant(String),
    #[error("login: {0:?} is not waiting in the lobby.")]
    NotInLobby(String),
    #[error("{field}: {reason}")]
    Invalid {
        field: &'static str,
        reason: &'static str,
    },
    #[error("text: more than {CHAT_BURST} chat messages in a row; wait a moment and send again")]
    ChatTooFast,
}

impl RoomError {
    pub fn code(&self) -> ErrorCode {
        match self {
            RoomError::Removed | RoomError::NotHost => ErrorCode::Forbidden,
            RoomError::NotInvited => ErrorCode::NotFound,
            RoomError::Ended => ErrorCode::MeetingEnded,
            RoomError::OutOfOrder(_) => ErrorCode::OutOfOrder,
            RoomError::NoParticipant(_) | RoomError::NotInLobby(_) => ErrorCode::NotFound,
            RoomError::Invalid { .. } => ErrorCode::BadRequest,
            RoomError::ChatTooFast => ErrorCode::RateLimited,
        }
    }

    pub fn to_api(&self) -> ApiError {
        ApiError::new(self.code(), self.to_string())
    }
}

/// Where a participant's offer/answer exchange stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Signal {
    /// Nothing pending.
    Stable,
    /// The client offered; the media server's answer is awaited.
    ClientOffered,
    /// The media server offered; the client's answer is awaited.
    ServerOffered,
}

#[derive(Debug, Clone)]
struct Member {
    name: String,
    muted: bool,
    hand_raised: bool,
    screen_share: bool,
    screen_track: Option<String>,
    signal: Signal,
    /// Whether one offer/answer has completed, so candidates have a session to go to.
    negotiated: bool,
    /// Chat messages the member may send now (a token bucket: [`CHAT_BURST`] at most,
    /// refilled at one per [`CHAT_REFILL_MS`]), and when it was last refilled.
    chat_allowance: i64,
    chat_refilled_at: i64,
}

/// Chat messages one participant may send in a burst ...
pub const CHAT_BURST: i64 = 10;
/// ... and how fast the allowance comes back: one message a second goes on for ever, a
/// script pasting thousands does not fill every minutes table and every screen.
pub const CHAT_REFILL_MS: i64 = 1000;

impl Member {
    /// Takes one chat message from the allowance, refilled up to `now`.
    fn take_chat(&mut self, now: i64) -> Result<(), RoomError> {
        let earned = (now - self.chat_refilled_at).max(0) / CHAT_REFILL_MS;
        if earned > 0 {
            self.chat_allowance = (self.chat_allowance + earned).min(CHAT_BURST);
            self.chat_refilled_at += earned * CHAT_REFILL_MS;
        }
        if self.chat_allowance == 0 {
            return Err(RoomError::ChatTooFast);
        }
        if self.chat_allowance == CHAT_BURST {
            // A full bucket does not bank time.
            self.chat_refilled_at = now;
        }
        self.chat_allowance -= 1;
        Ok(())
    }
}

/// What a room starts from: the stored meeting and the end of its stored minutes.
#[derive(Debug, Clone)]
pub struct RoomSetup {
    pub id: MeetingId,
    pub host: Login,
    pub invited: BTreeSet<Login>,
    pub head: Head,
    /// The latest chat lines, oldest first.
    pub chat: Vec<ChatLine>,
}

#[derive(Debug)]
pub struct Room {
    id: MeetingId,
    host: Login,
    invited: BTreeSet<Login>,
    head: Head,
    ended: bool,
    members: BTreeMap<Login, Member>,
    /// Waiting officers and their display names.
    lobby: BTreeMap<Login, String>,
    /// Admitted once: they skip the lobby when they come back.
    admitted: BTreeSet<Login>,
    removed: BTreeSet<Login>,
    chat: VecDeque<ChatLine>,
}

type Outcome = Result<Vec<Output>, RoomError>;

impl Room {
    pub fn new(setup: RoomSetup) -> Room {
        let mut chat: VecDeque<ChatLine> = setup.chat.into();
        while chat.len() > CHAT_BACKLOG {
            chat.pop_front();
        }
        Room {
            id: setup.id,
            host: setup.host,
            invited: setup.invited,
            head: setup.head,
            ended: false,
            members: BTreeMap::new(),
            lobby: BTreeMap::new(),
            admitted: BTreeSet::new(),
            removed: BTreeSet::new(),
            chat,
        }
    }

    pub fn id(&self) -> MeetingId {
        self.id
    }

    pub fn is_ended(&self) -> bool {
        self.ended
    }

    /// Nobody in the room or the lobby: the actor may retire it (its state is stored).
    pub fn is_empty(&self) -> bool {
        self.members.is_empty() && self.lobby.is_empty()
    }

    /// Logins in the room (not the lobby).
    pub fn members(&self) -> impl Iterator<Item = &str> {
        self.members.keys().map(Login::as_str)
    }

    /// Whether `login` is in the room or waits in its lobby.
    pub fn is_present(&self, login: &str) -> bool {
        self.members.contains_key(login) || self.lobby.contains_key(login)
    }

    pub fn head(&self) -> Head {
        self.head
    }

    pub fn handle(&mut self, now: i64, input: Input) -> Outcome {
        match input {
            Input::Client { login, name, op } => self.client(now, login, name, op),
            Input::Disconnected { login } => {
                Ok(self.depart(now, &login, LeaveReason::Disconnected))
            }
            Input::MediaAnswer { login, sdp } => Ok(match self.members.get_mut(&login) {
                Some(m) if m.signal == Signal::ClientOffered => {
                    m.signal = Signal::Stable;
                    m.negotiated = true;
                    vec![send(&login, MeetingEvent::Answer { sdp })]
                }
                // It left, or renegotiated meanwhile: the answer has no session to go to.
                _ => Vec::new(),
            }),
            Input::MediaFailed { login, error } => Ok(match self.members.get_mut(&login) {
                Some(m) => {
                    if m.signal == Signal::ClientOffered {
                        m.signal = Signal::Stable;
                    }
                    vec![send(&login, MeetingEvent::Error { error })]
                }
                None => Vec::new(),
            }),
            Input::MediaOffer { login, sdp } => Ok(match self.members.get_mut(&login) {
                Some(m) => {
                    m.signal = Signal::ServerOffered;
                    vec![send(&login, MeetingEvent::Offer { sdp })]
                }
                None => Vec::new(),
            }),
            Input::MediaCandidate { login, candidate } => {
                Ok(if self.members.contains_key(&login) {
                    vec![send(&login, MeetingEvent::Candidate { candidate })]
                } else {
                    Vec::new()
                })
            }
        }
    }

    fn client(&mut self, now: i64, login: Login, name: String, op: MeetingOp) -> Outcome {
        if self.ended {
            return Err(RoomError::Ended);
        }
        if op == MeetingOp::Join {
            return self.join(now, login, name);
        }
        if op == MeetingOp::Leave && self.lobby.contains_key(login.as_str()) {
            return Ok(self.depart(now, &login, LeaveReason::Left));
        }
        if !self.members.contains_key(login.as_str()) {
            return Err(RoomError::OutOfOrder(
                "Join the meeting (and be admitted) first.",
            ));
        }
        match op {
            MeetingOp::Join => unreachable!("handled above"),
            MeetingOp::Leave => Ok(self.depart(now, &login, LeaveReason::Left)),
            MeetingOp::Offer { sdp } => self.client_offer(login, sdp),
            MeetingOp::Answer { sdp } => self.client_answer(login, sdp),
            MeetingOp::Candidate { candidate } => self.client_candidate(login, candidate),
            MeetingOp::Admit { login: who } => self.admit(now, &login, who),
            MeetingOp::Mute { login: who, muted } => self.mute(login, who, muted),
            MeetingOp::Remove { login: who } => self.remove(now, login, who),
            MeetingOp::Hand { raised } => {
                self.member(&login).hand_raised = raised;
                let login = login.into_string();
                Ok(self.broadcast(MeetingEvent::Hand { login, raised }))
            }
            MeetingOp::ScreenShare { on, track } => self.screen_share(login, on, track),
            MeetingOp::Chat { text } => self.chat(now, login, text),
            MeetingOp::Decision { text } => self.decision(now, login, text),
            MeetingOp::End => {
                self.require_host(&login)?;
                Ok(self.end(now, &login))
            }
            // A request added to the protocol after this node was built.
            _ => Err(RoomError::Invalid {
                field: "op",
                reason: "is not supported by this node",
            }),
        }
    }

    fn record(
        &mut self,
        now: i64,
        kind: MinutesKind,
        actor: Option<&str>,
        subject: Option<&str>,
        text: Option<&str>,
    ) -> Output {
        Output::Minutes(self.head.append(
            self.id,
            Event {
                at: now,
                kind,
                actor: actor.map(Into::into),
                subject: subject.map(Into::into),
                text: text.map(Into::into),
            },
        ))
    }

    fn require_host(&self, login: &Login) -> Result<(), RoomError> {
        if *login == self.host {
            Ok(())
        } else {
            Err(RoomError::NotHost)
        }
    }

    fn member(&mut self, login: &Login) -> &mut Member {
        self.members
            .get_mut(login.as_str())
            .expect("callers check membership before asking for the member")
    }

    fn participant(&self, login: &Login, m: &Member) -> Participant {
        Participant {
            login: login.to_string(),
            name: m.name.clone(),
            host: *login == self.host,
            muted: m.muted,
            hand_raised: m.hand_raised,
            screen_share: m.screen_share,
            screen_track: m.screen_track.clone(),
        }
    }

    /// The event to everyone in the room.
    fn broadcast(&self, event: MeetingEvent) -> Vec<Output> {
        self.members
            .keys()
            .map(|to| send(to, event.clone()))
            .collect()
    }
}

fn send(to: &Login, event: MeetingEvent) -> Output {
    Output::Send {
        to: to.clone(),
        event,
    }
}

fn left_event(login: &Login, reason: LeaveReason) -> MeetingEvent {
    MeetingEvent::ParticipantLeft {
        login: login.to_string(),
        reason,
    }
}

#[cfg(test)]
mod tests;
