//! What only the host may do to others: admit from the lobby, mute, remove. The others
//! are named by the login the host's client sent; a name nobody has is nobody present.

use sis_proto::meeting::{LeaveReason, MeetingEvent, MinutesKind};

use super::{MediaCommand, Outcome, Output, Room, RoomError, left_event, send};
use crate::ids::Login;

impl Room {
    pub(super) fn admit(&mut self, now: i64, by: &Login, who: String) -> Outcome {
        self.require_host(by)?;
        let Some((who, name)) = self.lobby.remove_entry(who.as_str()) else {
            return Err(RoomError::NotInLobby(who));
        };
        self.admitted.insert(who.clone());
        Ok(self.enter(now, who, name))
    }

    /// Anyone may mute itself; only the host others, and nobody may unmute another.
    pub(super) fn mute(&mut self, by: Login, who: String, muted: bool) -> Outcome {
        if by != who {
            self.require_host(&by)?;
            if !muted {
                return Err(RoomError::Invalid {
                    field: "muted",
                    reason: "only a participant may unmute itself",
                });
            }
        }
        let Some(m) = self.members.get_mut(who.as_str()) else {
            return Err(RoomError::NoParticipant(who));
        };
        m.muted = muted;
        let event = MeetingEvent::Muted {
            login: who,
            muted,
            by: by.into_string(),
        };
        Ok(self.broadcast(event))
    }

    /// Takes `who` out of the room or the lobby for the rest of the meeting.
    pub(super) fn remove(&mut self, now: i64, by: Login, who: String) -> Outcome {
        self.require_host(&by)?;
        if by == who {
            return Err(RoomError::Invalid {
                field: "login",
                reason: "the host cannot remove itself; leave or end the meeting",
            });
        }
        let mut out = Vec::new();
        let who = if let Some((who, _)) = self.lobby.remove_entry(who.as_str()) {
            out.push(send(&self.host, left_event(&who, LeaveReason::Removed)));
            who
        } else if let Some((who, _)) = self.members.remove_entry(who.as_str()) {
            out.push(self.record(
                now,
                MinutesKind::Removed,
                Some(by.as_str()),
                Some(who.as_str()),
                None,
            ));
            out.push(Output::StayEnded {
                login: who.clone(),
                at: now,
                why: LeaveReason::Removed,
            });
            out.push(Output::Media(MediaCommand::Leave { login: who.clone() }));
            out.extend(self.broadcast(left_event(&who, LeaveReason::Removed)));
            who
        } else {
            return Err(RoomError::NoParticipant(who));
        };
        self.admitted.remove(&who);
        out.push(send(
            &who,
            MeetingEvent::Removed {
                by: by.into_string(),
            },
        ));
        self.removed.insert(who);
        Ok(out)
    }
}
