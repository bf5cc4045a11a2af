//! The receiving decision, pure: given what arrived, from whom, and what is already held
//! under its id, accept it, answer a duplicate with the original receipt, or refuse it
//! with a code.
//!
//! The checks run in this order, and the first that fails decides:
//! 1. size (before a byte is parsed);
//! 2. parse (a flattened JWS with a complete envelope header);
//! 3. `from` equals the TLS peer's country (before anything else of the body is trusted);
//! 4. the sender is a member (`not_member`, `removed_member`);
//! 5. exactly these bytes already held under this id: the original receipt, nothing else;
//! 6. the key named is valid at `created`; 7. the signature; 8. the payload hash;
//! 9. the same id held with other bytes (`duplicate_conflict`: the sender signed two
//!    documents under one id, and the receiver keeps the evidence);
//! 10. we are among the recipients (or `*`); 11. the payload validates (the node's XSD
//!     hook); 12. the data-sharing policy.

use sis_customs::CountryCode;
use uuid::Uuid;

use crate::codes::{ErrorCode, Refusal};
use crate::envelope::{Envelope, UnverifiedEnvelope, sha256};
use crate::ids::{DocType, Peer};
use crate::policy::Policy;
use crate::trust::TrustList;

/// What arrived and the context it is judged in.
#[derive(Debug, Clone, Copy)]
pub struct Arrival<'a> {
    pub trust: &'a TrustList,
    /// The country the TLS client certificate proved.
    pub peer: Peer,
    /// This node's country.
    pub us: CountryCode,
    /// The request body, exactly as received.
    pub bytes: &'a [u8],
    /// The largest envelope accepted, in bytes.
    pub max_size: usize,
    pub policy: &'a Policy,
}

/// What the node already holds under an envelope id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    /// SHA-256 of the envelope's exact bytes as first received.
    pub envelope_sha256: [u8; 32],
    /// The receipt that was sent for them.
    pub receipt: Vec<u8>,
}

/// A payload the node's XSD validation refused; the message says where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidPayload(pub String);

/// The decision.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Decision {
    /// Store it, log it, and answer a receipt.
    Accept(Box<Envelope>),
    /// Already accepted: send this receipt again and change nothing.
    Duplicate { receipt: Vec<u8> },
    /// Answer a signed error with this code and message.
    Refuse(Refusal),
}

/// An arrival that passed steps 1–4: the node looks up what it holds under [`Self::id`]
/// (from its store, possibly asynchronously) and calls [`Self::decide`].
#[derive(Debug)]
pub struct Screened<'a> {
    envelope: UnverifiedEnvelope,
    arrival: Arrival<'a>,
}

/// Steps 1–4.
pub fn screen(arrival: Arrival<'_>) -> Result<Screened<'_>, Refusal> {
    if arrival.bytes.len() > arrival.max_size {
        return Err(Refusal::new(
            ErrorCode::TooLarge,
            format!(
                "the envelope is {} bytes; at most {} are accepted",
                arrival.bytes.len(),
                arrival.max_size
            ),
        ));
    }
    let envelope = UnverifiedEnvelope::parse(arrival.bytes)
        .map_err(|e| Refusal::new(ErrorCode::Malformed, e.to_string()))?;
    let h = envelope.claimed_header();
    let Peer(peer) = arrival.peer;
    if h.from != peer {
        return Err(Refusal::new(
            ErrorCode::SenderMismatch,
            format!(
                "`from` is {}, but the TLS client certificate is {peer}'s",
                h.from
            ),
        )
        .about(h.id));
    }
    arrival
        .trust
        .check_member(h.from)
        .map_err(|e| Refusal::new(e.code(), e.to_string()).about(h.id))?;
    Ok(Screened { envelope, arrival })
}

impl Screened<'_> {
    /// The envelope id, to look up what is held under it.
    pub fn id(&self) -> Uuid {
        self.envelope.claimed_header().id
    }

    /// Steps 5–12. `validate` is the node's XSD validation of the payload for a type.
    pub fn decide(
        self,
        held: Option<&Held>,
        validate: impl FnOnce(&DocType, &[u8]) -> Result<(), InvalidPayload>,
    ) -> Decision {
        let Screened { envelope, arrival } = self;
        let id = envelope.claimed_header().id;
        if let Some(held) = held
            && held.envelope_sha256 == sha256(arrival.bytes)
        {
            return Decision::Duplicate {
                receipt: held.receipt.clone(),
            };
        }
        let envelope = match envelope.verify(arrival.trust) {
            Ok(e) => e,
            Err(refusal) => return Decision::Refuse(refusal),
        };
        if held.is_some() {
            return Decision::Refuse(
                Refusal::new(
                    ErrorCode::DuplicateConflict,
                    format!("envelope {id} was already received with different bytes"),
                )
                .about(id),
            );
        }
        let h = envelope.header();
        if !h.to.includes(arrival.us) {
            return Decision::Refuse(
                Refusal::new(
                    ErrorCode::NotARecipient,
                    format!("`to` does not include {}", arrival.us),
                )
                .about(id),
            );
        }
        if let Err(InvalidPayload(message)) = validate(&h.doc, envelope.payload()) {
            return Decision::Refuse(Refusal::new(ErrorCode::PayloadInvalid, message).about(id));
        }
        if let Err(refusal) = arrival
            .policy
            .check_incoming(&h.doc, h.from, envelope.payload())
        {
            return Decision::Refuse(refusal.about(id));
        }
        Decision::Accept(Box::new(envelope))
    }
}

/// The whole decision in one call, for a node whose lookup is synchronous.
pub fn receive(
    arrival: Arrival<'_>,
    held: impl FnOnce(Uuid) -> Option<Held>,
    validate: impl FnOnce(&DocType, &[u8]) -> Result<(), InvalidPayload>,
) -> Decision {
    match screen(arrival) {
        Ok(screened) => {
            let held = held(screened.id());
            screened.decide(held.as_ref(), validate)
        }
        Err(refusal) => Decision::Refuse(refusal),
    }
}

/// The hash [`Held::envelope_sha256`] holds, of an envelope's exact bytes.
pub fn envelope_bytes_sha256(bytes: &[u8]) -> [u8; 32] {
    sha256(bytes)
}
