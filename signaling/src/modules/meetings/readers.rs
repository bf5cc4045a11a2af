//! Who may read which part of a meeting's minutes (pure).
//!
//! The host reads everything. Anyone else invited reads the record of the meeting (who came
//! and went, decisions, the end), but a chat message only if they were in the room when it
//! was written: an officer invited but never admitted, or removed, does not read what was
//! said without them. A withheld message keeps its place and hashes in the chain, so the
//! reader still sees that the signed record is whole.

use sis_proto::meeting::{MinutesEntry, MinutesKind};

/// One stay of a participant in the room: from `joined_at` to `left_at` (open while there).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stay {
    pub joined_at: i64,
    pub left_at: Option<i64>,
}

impl Stay {
    fn covers(&self, at: i64) -> bool {
        self.joined_at <= at && self.left_at.is_none_or(|left| at <= left)
    }
}

/// The minutes as `reader` may see them; `stays` are the reader's own.
pub fn minutes_for(
    entries: Vec<MinutesEntry>,
    reader_is_host: bool,
    stays: &[Stay],
) -> Vec<MinutesEntry> {
    if reader_is_host {
        return entries;
    }
    entries
        .into_iter()
        .map(|mut e| {
            if e.kind == MinutesKind::Chat && !stays.iter().any(|s| s.covers(e.at)) {
                e.text = None;
                e.actor = None;
                e.withheld = true;
            }
            e
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(seq: u64, at: i64, kind: MinutesKind, text: &str) -> MinutesEntry {
        MinutesEntry {
            seq,
            at,
            kind,
            actor: Some("host".into()),
            subject: None,
            text: Some(text.into()),
            prev_hash: format!("{seq:064}"),
            hash: format!("{:064}", seq + 1),
            withheld: false,
        }
    }

    fn texts(entries: &[MinutesEntry]) -> Vec<Option<&str>> {
        entries.iter().map(|e| e.text.as_deref()).collect()
    }

    #[test]
    fn chat_is_read_only_by_who_was_in_the_room_when_it_was_written() {
        let minutes = vec![
            entry(0, 100, MinutesKind::Created, "title"),
            entry(1, 200, MinutesKind::Chat, "before ann came"),
            entry(2, 300, MinutesKind::Chat, "while ann was there"),
            entry(3, 400, MinutesKind::Decision, "a decision"),
            entry(4, 500, MinutesKind::Chat, "after ann was removed"),
        ];
        let ann = [Stay {
            joined_at: 250,
            left_at: Some(450),
        }];
        let seen = minutes_for(minutes.clone(), false, &ann);
        assert_eq!(
            texts(&seen),
            [
                Some("title"),
                None,
                Some("while ann was there"),
                Some("a decision"),
                None
            ]
        );
        assert!(seen[1].withheld && seen[1].actor.is_none());
        assert_eq!(
            seen.iter().map(|e| &e.hash).collect::<Vec<_>>(),
            minutes.iter().map(|e| &e.hash).collect::<Vec<_>>(),
            "the chain stays whole"
        );
        // Invited, never admitted: no chat at all.
        let never = minutes_for(minutes.clone(), false, &[]);
        assert!(
            never
                .iter()
                .filter(|e| e.kind == MinutesKind::Chat)
                .all(|e| e.withheld)
        );
        // The host reads everything.
        assert_eq!(minutes_for(minutes.clone(), true, &[]), minutes);
    }

    #[test]
    fn a_stay_still_open_covers_everything_after_it_began() {
        let open = Stay {
            joined_at: 10,
            left_at: None,
        };
        assert!(open.covers(10) && open.covers(i64::MAX));
        assert!(!open.covers(9));
    }
}
