//! The log page's pure half: the element ids tests find, how a direction, the recipients
//! and a hash read, and the entries shown as pages of older ones are added.

use sis_proto::ledger::{LedgerCosignature, LedgerEntry, LedgerPage};

use crate::i18n::{Key, Language, t};

/// Entries per request: a screenful, the node's default.
pub const PAGE_SIZE: u32 = 50;

/// `ledger-entry-<index>`: the id of an entry's row.
pub fn entry_id(index: u64) -> String {
    format!("ledger-entry-{index}")
}

/// `ledger-cosignature-<CC>`: the id of a cosignature, by the member that made it; a
/// witness name of another form keeps its characters that an id may hold.
pub fn cosignature_id(c: &LedgerCosignature) -> String {
    let who = match &c.peer {
        Some(cc) => cc.to_ascii_uppercase(),
        None => c
            .witness
            .chars()
            .map(|ch| if ch.is_ascii_alphanumeric() { ch } else { '-' })
            .collect(),
    };
    format!("ledger-cosignature-{who}")
}

/// `sent` and `accepted` in the interface language; another word as it came.
pub fn direction_label(lang: Language, direction: &str) -> String {
    match direction {
        "sent" => t(lang, Key::LedgerSent).to_owned(),
        "accepted" => t(lang, Key::LedgerAccepted).to_owned(),
        other => other.to_owned(),
    }
}

/// The recipients as a line: `*` (every member) in words, countries by code.
pub fn recipients_label(lang: Language, recipients: &[String]) -> String {
    if recipients.iter().any(|r| r == "*") {
        return t(lang, Key::LedgerAllMembers).to_owned();
    }
    recipients.join(", ")
}

/// The first 16 hex digits of a hash and an ellipsis, for a table cell; the whole hash
/// goes in the cell's title.
pub fn short_hash(hex: &str) -> String {
    match hex.get(..16) {
        Some(head) if hex.len() > 16 => format!("{head}…"),
        _ => hex.to_owned(),
    }
}

/// The entries shown after an older page arrived: those already shown, then the page's,
/// leaving out any already there (the log grew between the requests, so indexes moved
/// under no one, but a repeated request must not show a row twice).
pub fn with_older(mut shown: Vec<LedgerEntry>, older: &LedgerPage) -> Vec<LedgerEntry> {
    let oldest = shown.last().map(|e| e.index);
    shown.extend(
        older
            .entries
            .iter()
            .filter(|e| oldest.is_none_or(|o| e.index < o))
            .cloned(),
    );
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(index: u64) -> LedgerEntry {
        LedgerEntry {
            index,
            envelope_id: format!("envelope-{index}"),
            direction: "sent".to_owned(),
            sender: "KZ".to_owned(),
            envelope_sha256: "ab".repeat(32),
            doc_type: Some("letter".to_owned()),
            recipients: vec!["UZ".to_owned()],
            logged_at: Some(1_790_000_000_000),
        }
    }

    fn page(indexes: &[u64]) -> LedgerPage {
        LedgerPage {
            origin: "carec-sis.org/kz/log".to_owned(),
            tree_size: 10,
            root_hash: "00".repeat(32),
            checkpoint: None,
            checkpoints: Vec::new(),
            entries: indexes.iter().copied().map(entry).collect(),
            next_before: indexes.last().copied().filter(|i| *i > 0),
        }
    }

    fn cosignature(peer: Option<&str>, witness: &str) -> LedgerCosignature {
        LedgerCosignature {
            witness: witness.to_owned(),
            peer: peer.map(str::to_owned),
            cosigned_at: 0,
            received_at: 0,
            line: String::new(),
        }
    }

    #[test]
    fn ids_name_the_entry_and_the_cosigning_member() {
        assert_eq!(entry_id(7), "ledger-entry-7");
        let uz = cosignature(Some("uz"), "carec-sis.org/uz/witness");
        assert_eq!(cosignature_id(&uz), "ledger-cosignature-UZ");
        let other = cosignature(None, "example.org/w");
        assert_eq!(cosignature_id(&other), "ledger-cosignature-example-org-w");
    }

    #[test]
    fn directions_and_recipients_read_in_the_interface_language() {
        assert_eq!(direction_label(Language::En, "sent"), "sent");
        assert_eq!(direction_label(Language::Ru, "accepted"), "принят");
        assert_eq!(direction_label(Language::En, "odd"), "odd");
        let two = ["KZ".to_owned(), "UZ".to_owned()];
        assert_eq!(recipients_label(Language::En, &two), "KZ, UZ");
        for lang in Language::ALL {
            assert_eq!(
                recipients_label(lang, &["*".to_owned()]),
                t(lang, Key::LedgerAllMembers)
            );
        }
    }

    #[test]
    fn a_hash_is_shortened_for_its_cell() {
        let hash = "0123456789abcdef".repeat(4);
        assert_eq!(short_hash(&hash), "0123456789abcdef…");
        assert_eq!(short_hash("abcd"), "abcd");
    }

    #[test]
    fn an_older_page_goes_below_and_repeats_nothing() {
        let shown = page(&[9, 8, 7]).entries;
        let indexes = |v: &[LedgerEntry]| v.iter().map(|e| e.index).collect::<Vec<_>>();
        assert_eq!(
            indexes(&with_older(shown.clone(), &page(&[6, 5]))),
            [9, 8, 7, 6, 5]
        );
        assert_eq!(
            indexes(&with_older(shown.clone(), &page(&[7, 6]))),
            [9, 8, 7, 6],
            "a row already shown is not shown twice"
        );
        assert_eq!(indexes(&with_older(Vec::new(), &page(&[3]))), [3]);
    }
}
