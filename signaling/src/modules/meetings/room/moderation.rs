//! What only the host may do to others: admit from the lobby, mute, remove.

use sis_proto::meeting::{LeaveReason, MeetingEvent, MinutesKind};

use super::{MediaCommand, Outcome, Output, Room, RoomError, left_event, send};

impl Room {
    pub(super) fn admit(&mut self, now: i64, by: &str, who: String) -> Outcome {
        self.require_host(by)?;
        let Some(name) = self.lobby.remove(&who) else {
            return Err(RoomError::NotInLobby(who));
        };
        self.admitted.insert(who.clone());
        Ok(self.enter(now, who, name))
    }

    /// Anyone may mute itself; only the host others, and nobody may unmute another.
    pub(super) fn mute(&mut self, by: String, who: String, muted: bool) -> Outcome {
        if who != by {
            self.require_host(&by)?;
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
            by,
        };
        Ok(self.broadcast(event))
    }

    /// Takes `who` out of the room or the lobby for the rest of the meeting.
    pub(super) fn remove(&mut self, now: i64, by: String, who: String) -> Outcome {
        self.require_host(&by)?;
        if who == by {
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
            out.push(self.record(now, MinutesKind::Removed, Some(&by), Some(&who), None));
            out.push(Output::StayEnded {
                login: who.clone(),
                at: now,
                why: LeaveReason::Removed,
            });
            out.push(Output::Media(MediaCommand::Leave { login: who.clone() }));
            out.extend(self.broadcast(left_event(&who, LeaveReason::Removed)));
        }
        out.push(send(&who, MeetingEvent::Removed { by }));
        Ok(out)
    }
}
