//! The entry a node logs for each envelope it sends or accepts (the leaf of its log):
//!
//! ```text
//! carec-sis/log-entry/v1\n
//! <envelope id>\n
//! <direction: sent | accepted>\n
//! <sender country>\n
//! <hex SHA-256 of the exact envelope bytes>\n
//! ```
//!
//! - envelope id: the envelope's UUID in its canonical form, 36 characters, lower-case
//!   hex and hyphens (`0190b0c4-8d5e-7a3b-9c1d-2e3f4a5b6c7d`);
//! - direction: `sent` when this node is the sender, `accepted` when it received the
//!   envelope and answered it with a receipt;
//! - sender country: the sender's upper-case ISO 3166-1 alpha-2 code (`KZ`);
//! - the hash: lower-case hex, 64 characters, of the envelope bytes as sent on the
//!   wire, signature included, so that either side can show the very bytes logged.
//!
//! All ASCII, every line ending in `\n` (0x0A), no other bytes. The leaf hash is the
//! RFC 6962 `SHA-256(0x00 || entry)`. The first line names the format's version.

use sha2::{Digest, Sha256};

/// Why an entry cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EntryError {
    #[error("envelope id {0:?} is not a UUID in lower-case hyphenated form")]
    EnvelopeId(String),
    #[error("country {0:?} is not an upper-case ISO 3166-1 alpha-2 code")]
    Country(String),
}

impl EntryError {
    /// Stable code for the wire.
    pub fn code(&self) -> &'static str {
        match self {
            EntryError::EnvelopeId(_) => "entry.envelope_id",
            EntryError::Country(_) => "entry.country",
        }
    }
}

/// Whether the node sent the envelope or accepted it from a peer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Direction {
    Sent,
    Accepted,
}

impl Direction {
    /// The word on the entry's third line.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Sent => "sent",
            Direction::Accepted => "accepted",
        }
    }
}

/// First line of every entry.
pub const ENTRY_HEADER: &str = "carec-sis/log-entry/v1";

/// The bytes logged for one envelope.
pub fn log_entry(
    envelope_id: &str,
    direction: Direction,
    sender_country: &str,
    envelope: &[u8],
) -> Result<Vec<u8>, EntryError> {
    check_envelope_id(envelope_id)?;
    check_country(sender_country)?;
    let digest: String = Sha256::digest(envelope)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(format!(
        "{ENTRY_HEADER}\n{envelope_id}\n{}\n{sender_country}\n{digest}\n",
        direction.as_str()
    )
    .into_bytes())
}

fn check_envelope_id(id: &str) -> Result<(), EntryError> {
    let ok = id.len() == 36
        && id.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_digit() || (b'a'..=b'f').contains(&b),
        });
    if ok {
        Ok(())
    } else {
        Err(EntryError::EnvelopeId(id.to_owned()))
    }
}

pub(crate) fn check_country(country: &str) -> Result<(), EntryError> {
    if country.len() == 2 && country.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(EntryError::Country(country.to_owned()))
    }
}
