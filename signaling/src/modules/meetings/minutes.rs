//! The minutes' hash chain and the node's signature over it. Pure: hashing and Ed25519,
//! no clock and no IO, so a client holding the node's public key can check minutes with
//! the same code.
//!
//! Entry hash: `SHA-256("sis-minutes-entry-v1" ‖ prev_hash ‖ meeting ‖ seq ‖ at ‖ kind ‖
//! actor ‖ subject ‖ text)`, integers as 8 big-endian bytes, strings as a 4-byte
//! big-endian length and their UTF-8 bytes, an absent string as the length `0xFFFFFFFF`
//! (so `None` and `""` differ, and no two field lists share an encoding).
//!
//! Signature: Ed25519 over `"sis-minutes-head-v1" ‖ meeting ‖ entry count ‖ last hash`.
//! Signing the head signs every entry, because each hash commits to all before it.

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use sha2::{Digest, Sha256};
use sis_proto::meeting::{MeetingId, MinutesEntry, MinutesKind, MinutesSignature};

pub type Hash = [u8; 32];

/// `prev_hash` of the first entry.
pub const GENESIS: Hash = [0; 32];

/// The fields of an entry before it is chained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub at: i64,
    pub kind: MinutesKind,
    pub actor: Option<String>,
    pub subject: Option<String>,
    pub text: Option<String>,
}

/// Where a chain ends: the next entry's `seq` and `prev_hash`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Head {
    pub next_seq: u64,
    pub last_hash: Hash,
}

impl Head {
    pub const EMPTY: Head = Head {
        next_seq: 0,
        last_hash: GENESIS,
    };

    /// Chains `event` after this head and moves the head past it.
    pub fn append(&mut self, meeting: MeetingId, event: Event) -> MinutesEntry {
        let hash = entry_hash(meeting, self.next_seq, &self.last_hash, &event);
        let entry = MinutesEntry {
            seq: self.next_seq,
            at: event.at,
            kind: event.kind,
            actor: event.actor,
            subject: event.subject,
            text: event.text,
            prev_hash: hex::encode(self.last_hash),
            hash: hex::encode(hash),
            withheld: false,
        };
        self.next_seq += 1;
        self.last_hash = hash;
        entry
    }
}

fn put_str(h: &mut Sha256, s: Option<&str>) {
    match s {
        Some(s) => {
            // Entries are bounded far below 4 GiB by the API's limits.
            h.update((s.len() as u32).to_be_bytes());
            h.update(s.as_bytes());
        }
        None => h.update(u32::MAX.to_be_bytes()),
    }
}

fn entry_hash(meeting: MeetingId, seq: u64, prev: &Hash, e: &Event) -> Hash {
    let mut h = Sha256::new();
    h.update(b"sis-minutes-entry-v1");
    h.update(prev);
    h.update(meeting.0.to_be_bytes());
    h.update(seq.to_be_bytes());
    h.update(e.at.to_be_bytes());
    put_str(&mut h, Some(e.kind.as_str()));
    put_str(&mut h, e.actor.as_deref());
    put_str(&mut h, e.subject.as_deref());
    put_str(&mut h, e.text.as_deref());
    h.finalize().into()
}

fn head_message(meeting: MeetingId, count: u64, last: &Hash) -> Vec<u8> {
    let mut m = b"sis-minutes-head-v1".to_vec();
    m.extend_from_slice(&meeting.0.to_be_bytes());
    m.extend_from_slice(&count.to_be_bytes());
    m.extend_from_slice(last);
    m
}

/// Why minutes do not check out. Each names the first place it went wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MinutesError {
    #[error("entry {index}: seq is {found}, expected {index}")]
    Sequence { index: usize, found: u64 },
    #[error("entry {index}: prev_hash does not match the previous entry")]
    BrokenLink { index: usize },
    #[error("entry {index}: hash does not match its contents")]
    BadHash { index: usize },
    #[error("signature: {0}")]
    BadSignature(&'static str),
}

/// Checks the chain and returns its head.
pub fn verify_chain(meeting: MeetingId, entries: &[MinutesEntry]) -> Result<Head, MinutesError> {
    let mut head = Head::EMPTY;
    for (index, e) in entries.iter().enumerate() {
        if e.seq != index as u64 {
            return Err(MinutesError::Sequence {
                index,
                found: e.seq,
            });
        }
        if e.prev_hash != hex::encode(head.last_hash) {
            return Err(MinutesError::BrokenLink { index });
        }
        let event = Event {
            at: e.at,
            kind: e.kind,
            actor: e.actor.clone(),
            subject: e.subject.clone(),
            text: e.text.clone(),
        };
        let recomputed = head.append(meeting, event);
        if recomputed.hash != e.hash {
            return Err(MinutesError::BadHash { index });
        }
    }
    Ok(head)
}

/// Signs a chain's head with the node's key.
pub fn sign(key: &SigningKey, meeting: MeetingId, head: &Head, now: i64) -> MinutesSignature {
    let sig = key.sign(&head_message(meeting, head.next_seq, &head.last_hash));
    MinutesSignature {
        public_key: hex::encode(key.verifying_key().as_bytes()),
        signature: hex::encode(sig.to_bytes()),
        signed_at: now,
    }
}

/// Checks the chain and that `signature` covers it and was made by `expected_key` (the
/// node's published key; a signature by any other key is refused).
pub fn verify(
    meeting: MeetingId,
    entries: &[MinutesEntry],
    signature: &MinutesSignature,
    expected_key: &VerifyingKey,
) -> Result<(), MinutesError> {
    let head = verify_chain(meeting, entries)?;
    if signature.public_key != hex::encode(expected_key.as_bytes()) {
        return Err(MinutesError::BadSignature("made by another key"));
    }
    let bytes: [u8; 64] = hex::decode(&signature.signature)
        .ok()
        .and_then(|v| v.try_into().ok())
        .ok_or(MinutesError::BadSignature("not 64 bytes of hex"))?;
    expected_key
        .verify(
            &head_message(meeting, head.next_seq, &head.last_hash),
            &Signature::from_bytes(&bytes),
        )
        .map_err(|_| MinutesError::BadSignature("does not match the minutes"))
}

/// Parses a stored hash.
pub fn parse_hash(s: &str) -> Option<Hash> {
    hex::decode(s).ok()?.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const M: MeetingId = MeetingId(7);

    fn chain() -> Vec<MinutesEntry> {
        let mut head = Head::EMPTY;
        let ev = |at, kind, actor: &str, text: Option<&str>| Event {
            at,
            kind,
            actor: Some(actor.into()),
            subject: None,
            text: text.map(Into::into),
        };
        vec![
            head.append(M, ev(1, MinutesKind::Created, "host", Some("Border"))),
            head.append(M, ev(2, MinutesKind::Joined, "host", None)),
            head.append(M, ev(3, MinutesKind::Chat, "host", Some("hello"))),
            head.append(M, ev(4, MinutesKind::Ended, "host", None)),
        ]
    }

    #[test]
    fn a_signed_chain_verifies_and_any_change_is_caught() {
        let key = SigningKey::from_bytes(&[9; 32]);
        let entries = chain();
        let head = verify_chain(M, &entries).expect("fresh chain");
        let sig = sign(&key, M, &head, 5);
        verify(M, &entries, &sig, &key.verifying_key()).expect("signed chain verifies");

        let mut edited = entries.clone();
        edited[2].text = Some("goodbye".into());
        assert_eq!(
            verify(M, &edited, &sig, &key.verifying_key()),
            Err(MinutesError::BadHash { index: 2 })
        );

        let mut dropped = entries.clone();
        dropped.remove(1);
        assert_eq!(
            verify_chain(M, &dropped),
            Err(MinutesError::Sequence { index: 1, found: 2 })
        );

        // Truncating the tail keeps a valid chain, but the signature covers the count.
        let truncated = &entries[..3];
        assert_eq!(
            verify(M, truncated, &sig, &key.verifying_key()),
            Err(MinutesError::BadSignature("does not match the minutes"))
        );

        // The same entries under another meeting id do not verify.
        assert!(verify_chain(MeetingId(8), &entries).is_err());

        let other = SigningKey::from_bytes(&[1; 32]);
        assert!(verify(M, &entries, &sig, &other.verifying_key()).is_err());
    }

    #[test]
    fn absent_and_empty_text_hash_differently() {
        let mut a = Head::EMPTY;
        let mut b = Head::EMPTY;
        let e = |text: Option<&str>| Event {
            at: 1,
            kind: MinutesKind::Chat,
            actor: None,
            subject: None,
            text: text.map(Into::into),
        };
        assert_ne!(a.append(M, e(None)).hash, b.append(M, e(Some(""))).hash);
    }
}
