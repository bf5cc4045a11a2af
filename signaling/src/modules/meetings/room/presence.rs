//! Coming and going: joining (the lobby or the room), entering, leaving, and the end.

use sis_proto::meeting::{LeaveReason, MeetingEvent, MinutesKind, Participant};

use crate::ids::Login;

use super::{
    CHAT_BURST, MediaCommand, Member, Outcome, Output, Room, RoomError, Signal, left_event, send,
};

impl Room {
    /// Ends the meeting on the host's behalf (also used when the host ends it over HTTP
    /// without being in the room).
    pub fn end(&mut self, now: i64, by: &Login) -> Vec<Output> {
        if self.ended {
            return Vec::new();
        }
        self.ended = true;
        let mut out = vec![self.record(now, MinutesKind::Ended, Some(by.as_str()), None, None)];
        let everyone: Vec<Login> = self
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

    pub(super) fn join(&mut self, now: i64, login: Login, name: String) -> Outcome {
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
                login: login.to_string(),
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

    pub(super) fn enter(&mut self, now: i64, login: Login, name: String) -> Vec<Output> {
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
        let mut out = vec![
            self.record(now, MinutesKind::Joined, Some(login.as_str()), None, None),
            Output::StayBegan {
                login: login.clone(),
                at: now,
            },
        ];
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
                host: self.host.to_string(),
                participants,
                chat: self.chat.iter().cloned().collect(),
            },
        ));
        if login == self.host {
            for (l, n) in &self.lobby {
                let participant = Participant {
                    login: l.to_string(),
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
    pub(super) fn depart(&mut self, now: i64, login: &Login, reason: LeaveReason) -> Vec<Output> {
        let mut out = Vec::new();
        if self.lobby.remove(login.as_str()).is_some() {
            if self.members.contains_key(&self.host) {
                out.push(send(&self.host, left_event(login, reason)));
            }
        } else if self.members.remove(login.as_str()).is_some() {
            let why = match reason {
                LeaveReason::Disconnected => "disconnected",
                _ => "left",
            };
            out.push(self.record(
                now,
                MinutesKind::Left,
                Some(login.as_str()),
                None,
                Some(why),
            ));
            out.push(Output::StayEnded {
                login: login.clone(),
                at: now,
                why: reason,
            });
            out.push(Output::Media(MediaCommand::Leave {
                login: login.clone(),
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
}
