//! The error codes a node puts in a signed error: stable strings other implementations
//! match on, so a code is never renamed, only added.

use std::fmt;

/// Why a node refused an envelope. Each has a stable snake_case string ([`ErrorCode::as_str`])
/// that travels in the signed error's `code`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// The Ed25519 signature does not verify with the key the header names.
    BadSignature,
    /// The sender's entry in the trust list has no key with that `kid`.
    UnknownKey,
    /// The key exists but `created` lies outside its validity window.
    KeyNotValidAtCreated,
    /// The TLS client certificate's country is not the envelope's `from`.
    SenderMismatch,
    /// The receiving country is not among the envelope's `to`.
    NotARecipient,
    /// The payload's SHA-256 is not the header's `sha256`.
    PayloadHashMismatch,
    /// The payload does not validate against its document type's XSD.
    PayloadInvalid,
    /// The data-sharing policy does not allow this document from this sender.
    PolicyRefused,
    /// The receiver already holds different bytes under this envelope id.
    DuplicateConflict,
    /// The envelope is not a well-formed JWS of this protocol; the message names the field.
    Malformed,
    /// The envelope is larger than the receiver accepts.
    TooLarge,
    /// The sender is not in the trust list.
    NotMember,
    /// The sender was a member and the current trust list removed it.
    RemovedMember,
    /// The receiver failed; the sender may retry.
    Internal,
}

impl ErrorCode {
    /// Every code, for tests and for documents that list them.
    pub const ALL: [ErrorCode; 14] = [
        ErrorCode::BadSignature,
        ErrorCode::UnknownKey,
        ErrorCode::KeyNotValidAtCreated,
        ErrorCode::SenderMismatch,
        ErrorCode::NotARecipient,
        ErrorCode::PayloadHashMismatch,
        ErrorCode::PayloadInvalid,
        ErrorCode::PolicyRefused,
        ErrorCode::DuplicateConflict,
        ErrorCode::Malformed,
        ErrorCode::TooLarge,
        ErrorCode::NotMember,
        ErrorCode::RemovedMember,
        ErrorCode::Internal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::BadSignature => "bad_signature",
            ErrorCode::UnknownKey => "unknown_key",
            ErrorCode::KeyNotValidAtCreated => "key_not_valid_at_created",
            ErrorCode::SenderMismatch => "sender_mismatch",
            ErrorCode::NotARecipient => "not_a_recipient",
            ErrorCode::PayloadHashMismatch => "payload_hash_mismatch",
            ErrorCode::PayloadInvalid => "payload_invalid",
            ErrorCode::PolicyRefused => "policy_refused",
            ErrorCode::DuplicateConflict => "duplicate_conflict",
            ErrorCode::Malformed => "malformed",
            ErrorCode::TooLarge => "too_large",
            ErrorCode::NotMember => "not_member",
            ErrorCode::RemovedMember => "removed_member",
            ErrorCode::Internal => "internal",
        }
    }

    /// The code a string names, or `None` for a code this version does not know (a newer
    /// peer may send one; it is still a refusal).
    pub fn parse(s: &str) -> Option<ErrorCode> {
        ErrorCode::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Whether the sender may usefully send the same envelope again. Only a receiver's own
    /// failure is; every other code is a verdict on the bytes, which will not change.
    pub fn is_retryable(self) -> bool {
        matches!(self, ErrorCode::Internal)
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A refusal before it is signed: the code, a message a person can act on (naming the
/// field and the reason, never internals), and the envelope id when it was readable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct Refusal {
    pub code: ErrorCode,
    pub message: String,
    pub envelope: Option<uuid::Uuid>,
}

impl Refusal {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Refusal {
            code,
            message: message.into(),
            envelope: None,
        }
    }

    pub(crate) fn about(mut self, envelope: uuid::Uuid) -> Self {
        self.envelope = Some(envelope);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_the_strings_the_protocol_fixes() {
        // Written out again here, not derived from as_str, so a rename fails this test.
        let expected = [
            "bad_signature",
            "unknown_key",
            "key_not_valid_at_created",
            "sender_mismatch",
            "not_a_recipient",
            "payload_hash_mismatch",
            "payload_invalid",
            "policy_refused",
            "duplicate_conflict",
            "malformed",
            "too_large",
            "not_member",
            "removed_member",
            "internal",
        ];
        let actual: Vec<_> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(actual, expected);
        for c in ErrorCode::ALL {
            assert_eq!(ErrorCode::parse(c.as_str()), Some(c), "round trip of {c}");
        }
        assert_eq!(ErrorCode::parse("BAD_SIGNATURE"), None, "codes are exact");
    }
}
