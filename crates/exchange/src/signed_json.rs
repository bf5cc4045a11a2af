//! The shape receipts and signed errors share: a flattened JWS with a protected header of
//! `alg`, `kid` and `typ`, and a JSON payload, signed by the node that answers.

use ed25519_dalek::SigningKey;
use serde::Serialize;
use serde::de::DeserializeOwned;
use sis_customs::CountryCode;
use time::OffsetDateTime;

use crate::ids::KeyId;
use crate::jws::{ALG, FlattenedJws, JwsError, ProtectedOut, check_typ};
use crate::trust::{KeyError, TrustList};

/// A signed JSON answer, parsed; its signature not yet checked.
#[derive(Debug, Clone)]
pub(crate) struct SignedJson<T> {
    pub kid: KeyId,
    pub body: T,
    pub jws: FlattenedJws,
}

/// Why a signed answer (receipt or error) was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AnswerError {
    #[error("malformed: {0}")]
    Malformed(#[from] JwsError),
    #[error("payload: `{field}`: {reason}")]
    Body { field: String, reason: String },
    #[error("key: {0}")]
    Key(#[from] KeyError),
    #[error("the signature does not verify")]
    BadSignature,
    #[error("signed by {signer}, but the envelope went to {recipient}")]
    WrongSigner {
        signer: CountryCode,
        recipient: CountryCode,
    },
    #[error("it answers envelope {answered}, not {sent}")]
    WrongEnvelope {
        answered: uuid::Uuid,
        sent: uuid::Uuid,
    },
    #[error("its `sha256` is not the hash of the payload sent")]
    WrongHash,
    #[error("its `from` is {claimed}, but the envelope was sent by {sender}")]
    WrongSender {
        claimed: CountryCode,
        sender: CountryCode,
    },
}

impl AnswerError {
    /// A stable code for logs and the admin pages.
    pub fn code(&self) -> &'static str {
        match self {
            AnswerError::Malformed(_) | AnswerError::Body { .. } => "malformed",
            AnswerError::Key(k) => k.code().as_str(),
            AnswerError::BadSignature => "bad_signature",
            AnswerError::WrongSigner { .. } => "wrong_signer",
            AnswerError::WrongEnvelope { .. } => "wrong_envelope",
            AnswerError::WrongHash => "wrong_hash",
            AnswerError::WrongSender { .. } => "wrong_sender",
        }
    }
}

impl<T: DeserializeOwned> SignedJson<T> {
    pub fn parse(bytes: &[u8], typ: &str) -> Result<SignedJson<T>, AnswerError> {
        let jws = FlattenedJws::parse(bytes)?;
        let header = jws.sig.protected_header(&[])?;
        check_typ(&header, typ)?;
        let kid = crate::envelope::read_kid(&header)?;
        let payload = jws.payload_bytes()?;
        let de = &mut serde_json::Deserializer::from_slice(&payload);
        let body = serde_path_to_error::deserialize(de).map_err(|e| AnswerError::Body {
            field: e.path().to_string(),
            reason: e.inner().to_string(),
        })?;
        Ok(SignedJson { kid, body, jws })
    }

    /// Checks that `signer`'s key `kid`, valid at `now`, signed it.
    pub fn verify_by(
        &self,
        signer: CountryCode,
        trust: &TrustList,
        now: OffsetDateTime,
    ) -> Result<(), AnswerError> {
        let key = trust.key_for(signer, &self.kid, now)?;
        self.jws.verify(key).map_err(|e| match e {
            JwsError::BadSignature => AnswerError::BadSignature,
            other => AnswerError::Malformed(other),
        })
    }
}

/// Signs `body` as JSON under `typ`.
pub(crate) fn seal<T: Serialize>(
    typ: &str,
    body: &T,
    kid: &KeyId,
    key: &SigningKey,
) -> FlattenedJws {
    let header = ProtectedOut { alg: ALG, kid, typ };
    let payload = serde_json::to_vec(body).expect("answers serialise");
    FlattenedJws::sign(&header.to_vec(), &payload, key)
}
