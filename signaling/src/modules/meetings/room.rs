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
        login: String,
        name: String,
        op: MeetingOp,
    },
    /// The officer's WebSocket closed (or it joined again from another one).
    Disconnected { login: String },
    /// The media server answered the participant's offer.
    MediaAnswer { login: String, sdp: String },
    /// The media server refused the participant's offer or candidate.
    MediaFailed { login: String, error: ApiError },
    /// The media server offers the participant a new session (server-initiated
    /// renegotiation).
    MediaOffer { login: String, sdp: String },
    /// A trickled ICE candidate of the media server for the participant.
    MediaCandidate {
        login: String,
        candidate: IceCandidate,
    },
}

/// What the media server is to do for a participant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MediaCommand {
    Join {
        login: String,
    },
    Offer {
        login: String,
        sdp: String,
    },
    Answer {
        login: String,
        sdp: String,
    },
    Candidate {
        login: String,
        candidate: IceCandidate,
    },
    Leave {
        login: String,
    },
}

/// What the IO around the room carries out, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// Append to the stored minutes (before the events that announce it go out).
    Minutes(MinutesEntry),
    Send {
        to: String,
        event: MeetingEvent,
    },
    Media(MediaCommand),
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
    pub host: String,
    pub invited: BTreeSet<String>,
    pub head: Head,
    /// The latest chat lines, oldest first.
    pub chat: Vec<ChatLine>,
}

#[derive(Debug)]
pub struct Room {
    id: MeetingId,
    host: String,
    invited: BTreeSet<String>,
    head: Head,
    ended: bool,
    members: BTreeMap<String, Member>,
    /// Waiting officers and their display names.
    lobby: BTreeMap<String, String>,
    /// Admitted once: they skip the lobby when they come back.
    admitted: BTreeSet<String>,
    removed: BTreeSet<String>,
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
        self.members.keys().map(String::as_str)
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

    fn client(&mut self, now: i64, login: String, name: String, op: MeetingOp) -> Outcome {
        if self.ended {
            return Err(RoomError::Ended);
        }
        if op == MeetingOp::Join {
            return self.join(now, login, name);
        }
        if op == MeetingOp::Leave && self.lobby.contains_key(&login) {
            return Ok(self.depart(now, &login, LeaveReason::Left));
        }
        if !self.members.contains_key(&login) {
            return Err(RoomError::OutOfOrder(
                "Join the meeting (and be admitted) first.",
            ));
        }
        match op {
            MeetingOp::Join => unreachable!("handled above"),
            MeetingOp::Leave => Ok(self.depart(now, &login, LeaveReason::Left)),
            MeetingOp::Offer { sdp } => {
                check_sdp(&sdp)?;
                let m = self.member(&login);
                match m.signal {
                    Signal::Stable => {}
                    Signal::ClientOffered => {
                        return Err(RoomError::OutOfOrder(
                            "Your previous offer is still being answered.",
                        ));
                    }
                    Signal::ServerOffered => {
                        return Err(RoomError::OutOfOrder(
                            "Answer the node's offer before offering again.",
                        ));
                    }
                }
                m.signal = Signal::ClientOffered;
                Ok(vec![Output::Media(MediaCommand::Offer { login, sdp })])
            }
            MeetingOp::Answer { sdp } => {
                check_sdp(&sdp)?;
                let m = self.member(&login);
                if m.signal != Signal::ServerOffered {
                    return Err(RoomError::OutOfOrder(
                        "There is no offer from the node to answer.",
                    ));
                }
                m.signal = Signal::Stable;
                m.negotiated = true;
                Ok(vec![Output::Media(MediaCommand::Answer { login, sdp })])
            }
            MeetingOp::Candidate { candidate } => {
                if candidate.candidate.len() > 1024 {
                    return Err(RoomError::Invalid {
                        field: "candidate",
                        reason: "longer than 1024 bytes",
                    });
                }
                let m = self.member(&login);
                if !m.negotiated && m.signal == Signal::Stable {
                    return Err(RoomError::OutOfOrder("Send an offer before candidates."));
                }
                Ok(vec![Output::Media(MediaCommand::Candidate {
                    login,
                    candidate,
                })])
            }
            MeetingOp::Admit { login: who } => {
                self.require_host(&login)?;
                let Some(name) = self.lobby.remove(&who) else {
                    return Err(RoomError::NotInLobby(who));
                };
                self.admitted.insert(who.clone());
                Ok(self.enter(now, who, name))
            }
            MeetingOp::Mute { login: who, muted } => {
                if who != login {
                    self.require_host(&login)?;
                    if !muted {
                        return Err(RoomError::Invalid {
                            field: "muted",
                            reason: "only a participant may unmute itself",
                        });
                    }
                }
                let Some(m) = self.members.get_mut(&who) else {
                    return Err(RoomError::NoParticipant(who));
                };
                m.muted = muted;
                let event = MeetingEvent::Muted {
                    login: who,
                    muted,
                    by: login,
                };
                Ok(self.broadcast(event))
            }
            MeetingOp::Remove { login: who } => {
                self.require_host(&login)?;
                if who == login {
                    return Err(RoomError::Invalid {
                        field: "login",
                        reason: "the host cannot remove itself; leave or end the meeting",
                    });
                }
                if !self.is_present(&who) {
                    return Err(RoomError::NoParticipant(who));
                }
                self.removed.insert(who.clone());
                self.admitted.remove(&who);
                let mut out = Vec::new();
                if self.lobby.remove(&who).is_some() {
                    out.push(send(&self.host, left_event(&who, LeaveReason::Removed)));
                } else {
                    self.members.remove(&who);
                    out.push(self.record(
                        now,
                        MinutesKind::Removed,
                        Some(&login),
                        Some(&who),
                        None,
                    ));
                    out.push(Output::Media(MediaCommand::Leave { login: who.clone() }));
                    out.extend(self.broadcast(left_event(&who, LeaveReason::Removed)));
                }
                out.push(send(&who, MeetingEvent::Removed { by: login }));
                Ok(out)
            }
            MeetingOp::Hand { raised } => {
                self.member(&login).hand_raised = raised;
                Ok(self.broadcast(MeetingEvent::Hand { login, raised }))
            }
            MeetingOp::ScreenShare { on, track } => {
                if track
                    .as_ref()
                    .is_some_and(|t| t.is_empty() || t.len() > 256)
                {
                    return Err(RoomError::Invalid {
                        field: "track",
                        reason: "must be 1 to 256 bytes",
                    });
                }
                let track = if on { track } else { None };
                let m = self.member(&login);
                m.screen_share = on;
                m.screen_track = track.clone();
                Ok(self.broadcast(MeetingEvent::ScreenShare { login, on, track }))
            }
            MeetingOp::Chat { text } => {
                check_text("text", &text)?;
                self.member(&login).take_chat(now)?;
                let entry = self.head.append(
                    self.id,
                    Event {
                        at: now,
                        kind: MinutesKind::Chat,
                        actor: Some(login.clone()),
                        subject: None,
                        text: Some(text.clone()),
                    },
                );
                let line = ChatLine {
                    seq: entry.seq,
                    at: now,
                    from: login,
                    text,
                };
                self.chat.push_back(line.clone());
                if self.chat.len() > CHAT_BACKLOG {
                    self.chat.pop_front();
                }
                let mut out = vec![Output::Minutes(entry)];
                out.extend(self.broadcast(MeetingEvent::Chat { line }));
                Ok(out)
            }
            MeetingOp::Decision { text } => {
                self.require_host(&login)?;
                check_text("text", &text)?;
                let entry = self.head.append(
                    self.id,
                    Event {
                        at: now,
                        kind: MinutesKind::Decision,
                        actor: Some(login),
                        subject: None,
                        text: Some(text.clone()),
                    },
                );
                let event = MeetingEvent::Decision {
                    seq: entry.seq,
                    at: now,
                    text,
                };
                let mut out = vec![Output::Minutes(entry)];
                out.extend(self.broadcast(event));
                Ok(out)
            }
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

    /// Ends the meeting on the host's behalf (also used when the host ends it over HTTP
    /// without being in the room).
    pub fn end(&mut self, now: i64, by: &str) -> Vec<Output> {
        if self.ended {
            return Vec::new();
        }
        self.ended = true;
        let mut out = vec![self.record(now, MinutesKind::Ended, Some(by), None, None)];
        let everyone: Vec<String> = self
            .members
            .keys()
            .chain(self.lobby.keys())
            .cloned()
            .collect();
        for login in self.members.keys() {
            out.push(Output::Media(MediaCommand::Leave {
                login: login.clone(),
            }));
        }
        for login in everyone {
            out.push(send(&login, MeetingEvent::Ended { at: now }));
        }
        self.members.clear();
        self.lobby.clear();
        out.push(Output::Ended { at: now });
        out
    }

    fn join(&mut self, now: i64, login: String, name: String) -> Outcome {
        if self.removed.contains(&login) {
            return Err(RoomError::Removed);
        }
        let is_host = login == self.host;
        if !is_host && !self.invited.contains(&login) {
            return Err(RoomError::NotInvited);
        }
        if self.members.contains_key(&login) {
            return Err(RoomError::OutOfOrder("You are already in this meeting."));
        }
        if self.lobby.contains_key(&login) {
            return Err(RoomError::OutOfOrder(
                "You are already waiting in the lobby.",
            ));
        }
        if is_host || self.admitted.contains(&login) {
            return Ok(self.enter(now, login, name));
        }
        let knock = MeetingEvent::Knocking {
            participant: Participant {
                login: login.clone(),
                name: name.clone(),
                host: false,
                muted: false,
                hand_raised: false,
                screen_share: false,
                screen_track: None,
            },
        };
        self.lobby.insert(login.clone(), name);
        let mut out = vec![send(&login, MeetingEvent::InLobby)];
        if self.members.contains_key(&self.host) {
            out.push(send(&self.host, knock));
        }
        Ok(out)
    }

    fn enter(&mut self, now: i64, login: String, name: String) -> Vec<Output> {
        let member = Member {
            name,
            muted: false,
            hand_raised: false,
            screen_share: false,
            screen_track: None,
            signal: Signal::Stable,
            negotiated: false,
            chat_allowance: CHAT_BURST,
            chat_refilled_at: now,
        };
        let joined = MeetingEvent::ParticipantJoined {
            participant: self.participant(&login, &member),
        };
        let mut out = vec![self.record(now, MinutesKind::Joined, Some(&login), None, None)];
        out.extend(self.broadcast(joined));
        self.members.insert(login.clone(), member);
        out.push(Output::Media(MediaCommand::Join {
            login: login.clone(),
        }));
        let participants = self
            .members
            .iter()
            .map(|(l, m)| self.participant(l, m))
            .collect();
        out.push(send(
            &login,
            MeetingEvent::Admitted {
                host: self.host.clone(),
                participants,
                chat: self.chat.iter().cloned().collect(),
            },
        ));
        if login == self.host {
            for (l, n) in &self.lobby {
                let participant = Participant {
                    login: l.clone(),
                    name: n.clone(),
                    host: false,
                    muted: false,
                    hand_raised: false,
                    screen_share: false,
                    screen_track: None,
                };
                out.push(send(&login, MeetingEvent::Knocking { participant }));
            }
        }
        out
    }

    /// `login` leaves the room or the lobby; nothing when it is in neither.
    fn depart(&mut self, now: i64, login: &str, reason: LeaveReason) -> Vec<Output> {
        let mut out = Vec::new();
        if self.lobby.remove(login).is_some() {
            if self.members.contains_key(&self.host) {
                out.push(send(&self.host, left_event(login, reason)));
            }
        } else if self.members.remove(login).is_some() {
            let why = match reason {
                LeaveReason::Disconnected => "disconnected",
                _ => "left",
            };
            out.push(self.record(now, MinutesKind::Left, Some(login), None, Some(why)));
            out.push(Output::Media(MediaCommand::Leave {
                login: login.to_owned(),
            }));
            out.extend(self.broadcast(left_event(login, reason)));
        } else {
            return out;
        }
        if reason == LeaveReason::Left {
            out.push(send(login, MeetingEvent::Left));
        }
        out
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

    fn require_host(&self, login: &str) -> Result<(), RoomError> {
        if login == self.host {
            Ok(())
        } else {
            Err(RoomError::NotHost)
        }
    }

    fn member(&mut self, login: &str) -> &mut Member {
        self.members
            .get_mut(login)
            .expect("callers check membership before asking for the member")
    }

    fn participant(&self, login: &str, m: &Member) -> Participant {
        Participant {
            login: login.to_owned(),
            name: m.name.clone(),
            host: login == self.host,
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

fn send(to: &str, event: MeetingEvent) -> Output {
    Output::Send {
        to: to.to_owned(),
        event,
    }
}

fn left_event(login: &str, reason: LeaveReason) -> MeetingEvent {
    MeetingEvent::ParticipantLeft {
        login: login.to_owned(),
        reason,
    }
}

fn check_sdp(sdp: &str) -> Result<(), RoomError> {
    if sdp.trim().is_empty() {
        return Err(RoomError::Invalid {
            field: "sdp",
            reason: "is empty",
        });
    }
    if sdp.len() > MAX_SDP_BYTES {
        return Err(RoomError::Invalid {
            field: "sdp",
            reason: "is longer than 32 KiB",
        });
    }
    Ok(())
}

/// Chat and decisions: 1 to [`MAX_TEXT_CHARS`] characters, not blank, no control
/// characters but new lines and tabs.
fn check_text(field: &'static str, text: &str) -> Result<(), RoomError> {
    if text.trim().is_empty() {
        return Err(RoomError::Invalid {
            field,
            reason: "is empty",
        });
    }
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(RoomError::Invalid {
            field,
            reason: "is longer than 2000 characters",
        });
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(RoomError::Invalid {
            field,
            reason: "holds control characters",
        });
    }
    Ok(())
}

#[cfg(test)]
#[path = "room_tests.rs"]
mod tests;
