//! The signed error: the receiver's signed refusal of an envelope, with a stable code.

use ed25519_dalek::SigningKey;
use serde::{Deserialize, Deserializer, Serialize};
use sis_customs::CountryCode;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::codes::{ErrorCode, Refusal};
use crate::envelope::Envelope;
use crate::ids::KeyId;
use crate::signed_json::{self, AnswerError, SignedJson};
use crate::timestamp::serde_rfc3339;
use crate::trust::TrustList;

/// The `typ` of a signed error's protected header.
pub const ERROR_TYP: &str = "carec-sis-error+jws";

/// A signed error's payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// The envelope refused, or `null` when its id could not be read. Required, even null.
    #[serde(deserialize_with = "required_option")]
    pub envelope: Option<Uuid>,
    /// One of [`ErrorCode`]'s strings; kept as text, since a newer peer may send a code
    /// this version does not know.
    pub code: String,
    pub message: String,
    /// The refusing node's country, who signs.
    pub by: CountryCode,
    #[serde(with = "serde_rfc3339")]
    pub at: OffsetDateTime,
}

/// An `Option` field that must be present (null allowed): with `deserialize_with` and no
/// `default`, serde refuses the field's absence.
fn required_option<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Uuid>, D::Error> {
    Option::<Uuid>::deserialize(d)
}

impl ErrorBody {
    pub fn from_refusal(refusal: &Refusal, by: CountryCode, at: OffsetDateTime) -> ErrorBody {
        ErrorBody {
            envelope: refusal.envelope,
            code: refusal.code.as_str().to_owned(),
            message: refusal.message.clone(),
            by,
            at,
        }
    }

    /// The code, if this version knows it.
    pub fn known_code(&self) -> Option<ErrorCode> {
        ErrorCode::parse(&self.code)
    }
}

/// A signed error that verified, or that this node signed.
#[derive(Debug, Clone)]
pub struct SignedError {
    body: ErrorBody,
    bytes: Vec<u8>,
}

impl SignedError {
    pub fn seal(body: ErrorBody, kid: &KeyId, key: &SigningKey) -> SignedError {
        let bytes = signed_json::seal(ERROR_TYP, &body, kid, key)
            .to_json()
            .into_bytes();
        SignedError { body, bytes }
    }

    /// Verifies an error answering `sent`, which went to `recipient`: signed by
    /// `recipient`'s key valid `now`, about this envelope (or about none).
    pub fn verify(
        bytes: &[u8],
        sent: &Envelope,
        recipient: CountryCode,
        trust: &TrustList,
        now: OffsetDateTime,
    ) -> Result<SignedError, AnswerError> {
        let parsed: SignedJson<ErrorBody> = SignedJson::parse(bytes, ERROR_TYP)?;
        parsed.verify_by(recipient, trust, now)?;
        let body = parsed.body;
        if body.by != recipient {
            return Err(AnswerError::WrongSigner {
                signer: body.by,
                recipient,
            });
        }
        if let Some(answered) = body.envelope
            && answered != sent.id()
        {
            return Err(AnswerError::WrongEnvelope {
                answered,
                sent: sent.id(),
            });
        }
        Ok(SignedError {
            body,
            bytes: bytes.to_vec(),
        })
    }

    pub fn body(&self) -> &ErrorBody {
        &self.body
    }

    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}
