//! The receipt: the receiver's signed statement that it accepted, stored and logged an
//! envelope, with the log index and its checkpoint so either side can later prove it.

use ed25519_dalek::SigningKey;
use serde::{Deserialize, Serialize};
use sis_customs::CountryCode;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::envelope::Envelope;
use crate::ids::KeyId;
use crate::signed_json::{self, AnswerError, SignedJson};
use crate::timestamp::{serde_rfc3339, serde_sha256};
use crate::trust::TrustList;

/// The `typ` of a receipt's protected header.
pub const RECEIPT_TYP: &str = "carec-sis-receipt+jws";

/// A receipt's payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptBody {
    /// The envelope's id.
    pub envelope: Uuid,
    /// SHA-256 of the payload the receiver got.
    #[serde(with = "serde_sha256")]
    pub sha256: [u8; 32],
    /// The envelope's sender.
    pub from: CountryCode,
    /// The receiver, who signs.
    pub by: CountryCode,
    #[serde(with = "serde_rfc3339")]
    pub received: OffsetDateTime,
    /// Where the receiver's log holds the envelope.
    pub log_index: u64,
    /// The receiver's signed checkpoint note covering `log_index`; opaque here.
    pub checkpoint: String,
}

impl ReceiptBody {
    /// The receipt for `envelope`, as the receiving node `by` fills it in.
    pub fn for_envelope(
        envelope: &Envelope,
        by: CountryCode,
        received: OffsetDateTime,
        log_index: u64,
        checkpoint: String,
    ) -> ReceiptBody {
        ReceiptBody {
            envelope: envelope.id(),
            sha256: crate::envelope::sha256(envelope.payload()),
            from: envelope.header().from,
            by,
            received,
            log_index,
            checkpoint,
        }
    }
}

/// A receipt whose signature verified against the envelope it answers, or one this node
/// signed.
#[derive(Debug, Clone)]
pub struct Receipt {
    body: ReceiptBody,
    kid: KeyId,
    bytes: Vec<u8>,
}

impl Receipt {
    /// Signs a receipt with the receiver's document-signing key.
    pub fn seal(body: ReceiptBody, kid: &KeyId, key: &SigningKey) -> Receipt {
        let bytes = signed_json::seal(RECEIPT_TYP, &body, kid, key)
            .to_json()
            .into_bytes();
        Receipt {
            body,
            kid: kid.clone(),
            bytes,
        }
    }

    /// Verifies a receipt for `sent`, which went to `recipient`: signed by `recipient`'s
    /// key valid `now`, for this envelope id, this payload hash and this sender.
    pub fn verify(
        bytes: &[u8],
        sent: &Envelope,
        recipient: CountryCode,
        trust: &TrustList,
        now: OffsetDateTime,
    ) -> Result<Receipt, AnswerError> {
        let parsed: SignedJson<ReceiptBody> = SignedJson::parse(bytes, RECEIPT_TYP)?;
        parsed.verify_by(recipient, trust, now)?;
        let body = parsed.body;
        if body.by != recipient {
            return Err(AnswerError::WrongSigner {
                signer: body.by,
                recipient,
            });
        }
        if body.envelope != sent.id() {
            return Err(AnswerError::WrongEnvelope {
                answered: body.envelope,
                sent: sent.id(),
            });
        }
        if body.sha256 != sent.header().sha256 {
            return Err(AnswerError::WrongHash);
        }
        if body.from != sent.header().from {
            return Err(AnswerError::WrongSender {
                claimed: body.from,
                sender: sent.header().from,
            });
        }
        Ok(Receipt {
            body,
            kid: parsed.kid,
            bytes: bytes.to_vec(),
        })
    }

    pub fn body(&self) -> &ReceiptBody {
        &self.body
    }

    pub fn kid(&self) -> &KeyId {
        &self.kid
    }

    /// The receipt's bytes as signed: what is stored and sent again for a duplicate.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}
