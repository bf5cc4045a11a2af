//! What participants say and show: chat, the host's decisions, screen sharing. Chat and
//! decisions go into the minutes before anyone hears them.

use sis_proto::meeting::{ChatLine, MeetingEvent, MinutesKind};

use super::{CHAT_BACKLOG, MAX_TEXT_CHARS, Outcome, Output, Room, RoomError};
use crate::ids::Login;
use crate::modules::meetings::minutes::Event;

impl Room {
    pub(super) fn chat(&mut self, now: i64, login: Login, text: String) -> Outcome {
        check_text("text", &text)?;
        self.member(&login).take_chat(now)?;
        let entry = self.head.append(
            self.id,
            Event {
                at: now,
                kind: MinutesKind::Chat,
                actor: Some(login.to_string()),
                subject: None,
                text: Some(text.clone()),
            },
        );
        let line = ChatLine {
            seq: entry.seq,
            at: now,
            from: login.into_string(),
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

    pub(super) fn decision(&mut self, now: i64, login: Login, text: String) -> Outcome {
        self.require_host(&login)?;
        check_text("text", &text)?;
        let entry = self.head.append(
            self.id,
            Event {
                at: now,
                kind: MinutesKind::Decision,
                actor: Some(login.into_string()),
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

    pub(super) fn screen_share(
        &mut self,
        login: Login,
        on: bool,
        track: Option<String>,
    ) -> Outcome {
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
        Ok(self.broadcast(MeetingEvent::ScreenShare {
            login: login.into_string(),
            on,
            track,
        }))
    }
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
