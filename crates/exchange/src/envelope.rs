//! The envelope: a document's payload in a flattened JWS whose protected header says what
//! it is, who sent it to whom, when, and the payload's SHA-256.

use std::collections::BTreeMap;

use ed25519_dalek::SigningKey;
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use sis_customs::CountryCode;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::codes::{ErrorCode, Refusal};
use crate::ids::{DocType, KeyId, Recipients};
use crate::jws::{ALG, FlattenedJws, JwsError, Object, check_typ};
use crate::timestamp;
use crate::trust::TrustList;

/// The `typ` of an envelope's protected header.
pub const ENVELOPE_TYP: &str = "carec-sis-envelope+jws";

/// The header fields this protocol defines beyond RFC 7515's, which `crit` may name.
const ENVELOPE_FIELDS: [&str; 7] = ["id", "doc", "from", "to", "created", "corr", "sha256"];

/// The protected header of an envelope, read and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct EnvelopeHeader {
    pub kid: KeyId,
    /// A UUIDv7, so ids sort by creation and the receiver deduplicates on it.
    pub id: Uuid,
    pub doc: DocType,
    pub from: CountryCode,
    pub to: Recipients,
    pub created: OffsetDateTime,
    /// One id that follows a case across countries; any UUID.
    pub corr: Uuid,
    pub sha256: [u8; 32],
    /// Header fields this version does not define: kept, and ignored.
    pub extra: BTreeMap<String, Value>,
}

impl EnvelopeHeader {
    fn read(mut h: Object) -> Result<EnvelopeHeader, JwsError> {
        check_typ(&h, ENVELOPE_TYP)?;
        let kid = read_kid(&h)?;
        let id = read_uuid(&h, "id")?;
        if id.get_version_num() != 7 {
            return Err(JwsError::field("id", "must be a UUIDv7"));
        }
        let doc =
            DocType::parse(h.string("doc")?).map_err(|e| JwsError::field("doc", e.to_string()))?;
        let from = read_country(&h, "from")?;
        let to = match h.0.get("to") {
            None => return Err(JwsError::field("to", "missing")),
            Some(Value::Array(items)) => {
                let strings = items
                    .iter()
                    .map(|v| {
                        v.as_str()
                            .ok_or_else(|| JwsError::field("to", "must be an array of strings"))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Recipients::from_strings(strings).map_err(|r| JwsError::field("to", r))?
            }
            Some(_) => return Err(JwsError::field("to", "must be an array of strings")),
        };
        let created = read_time(&h, "created")?;
        let corr = read_uuid(&h, "corr")?;
        let sha256 = crate::timestamp::parse_sha256(h.string("sha256")?)
            .ok_or_else(|| JwsError::field("sha256", "must be 64 hex digits"))?;
        for known in ["alg", "kid", "typ", "crit"].iter().chain(&ENVELOPE_FIELDS) {
            h.0.remove(*known);
        }
        Ok(EnvelopeHeader {
            kid,
            id,
            doc,
            from,
            to,
            created,
            corr,
            sha256,
            extra: h.0,
        })
    }
}

pub(crate) fn read_kid(h: &Object) -> Result<KeyId, JwsError> {
    KeyId::parse(h.string("kid")?).map_err(|e| JwsError::field("kid", e.to_string()))
}

fn read_country(h: &Object, name: &str) -> Result<CountryCode, JwsError> {
    CountryCode::parse(h.string(name)?).map_err(|e| JwsError::field(name, e.to_string()))
}

fn read_time(h: &Object, name: &str) -> Result<OffsetDateTime, JwsError> {
    timestamp::parse(h.string(name)?)
        .ok_or_else(|| JwsError::field(name, "must be an RFC 3339 date-time"))
}

/// A UUID in its canonical 36-character hyphenated form (either case), the form other
/// implementations compare as a string.
fn read_uuid(h: &Object, name: &str) -> Result<Uuid, JwsError> {
    let text = h.string(name)?;
    let bad = || JwsError::field(name, "must be a UUID in hyphenated form");
    if text.len() != 36 {
        return Err(bad());
    }
    Uuid::try_parse(text).map_err(|_| bad())
}

/// An envelope read from the network whose signature has not been checked yet: only the
/// inbox looks inside, in the order it trusts things.
#[derive(Debug, Clone)]
pub struct UnverifiedEnvelope {
    pub(crate) header: EnvelopeHeader,
    pub(crate) payload: Vec<u8>,
    pub(crate) jws: FlattenedJws,
    pub(crate) raw: Vec<u8>,
}

impl UnverifiedEnvelope {
    /// Parses the JWS and its header; nothing is trusted yet.
    pub fn parse(bytes: &[u8]) -> Result<UnverifiedEnvelope, JwsError> {
        let jws = FlattenedJws::parse(bytes)?;
        let header = EnvelopeHeader::read(jws.sig.protected_header(&ENVELOPE_FIELDS)?)?;
        let payload = jws.payload_bytes()?;
        Ok(UnverifiedEnvelope {
            header,
            payload,
            jws,
            raw: bytes.to_vec(),
        })
    }

    /// The header as claimed, before the signature is checked.
    pub fn claimed_header(&self) -> &EnvelopeHeader {
        &self.header
    }

    /// Checks, in this order, that the key named is the sender's and valid at `created`,
    /// that the signature verifies with it, and that the payload has the header's hash.
    pub fn verify(self, trust: &TrustList) -> Result<Envelope, Refusal> {
        let h = &self.header;
        let key = trust
            .key_for(h.from, &h.kid, h.created)
            .map_err(|e| Refusal::new(e.code(), e.to_string()).about(h.id))?;
        self.jws
            .verify(key)
            .map_err(|e| Refusal::new(e.code(), e.to_string()).about(h.id))?;
        if sha256(&self.payload) != h.sha256 {
            return Err(Refusal::new(
                ErrorCode::PayloadHashMismatch,
                "`sha256`: the payload has another SHA-256",
            )
            .about(h.id));
        }
        Ok(Envelope(self))
    }
}

/// An envelope whose signature and payload hash verified, or that this node sealed.
#[derive(Debug, Clone)]
pub struct Envelope(UnverifiedEnvelope);

impl Envelope {
    pub fn header(&self) -> &EnvelopeHeader {
        &self.0.header
    }

    pub fn id(&self) -> Uuid {
        self.0.header.id
    }

    /// The document's XML bytes.
    pub fn payload(&self) -> &[u8] {
        &self.0.payload
    }

    /// The envelope's bytes as received or as written: what is stored, logged and hashed.
    pub fn bytes(&self) -> &[u8] {
        &self.0.raw
    }
}

/// What the sender fills in; [`seal`] writes and signs it.
#[derive(Debug, Clone)]
pub struct NewEnvelope {
    /// A UUIDv7 the caller generated (this crate draws no random numbers).
    pub id: Uuid,
    pub doc: DocType,
    pub from: CountryCode,
    pub to: Recipients,
    /// Written with millisecond precision.
    pub created: OffsetDateTime,
    pub corr: Uuid,
    pub payload: Vec<u8>,
}

/// Why an envelope could not be sealed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SealError {
    #[error("`id` must be a UUIDv7")]
    IdNotV7,
    #[error("`created` must lie in the years 0000 to 9999")]
    CreatedOutOfRange,
}

#[derive(Serialize)]
struct HeaderOut<'a> {
    alg: &'a str,
    kid: &'a KeyId,
    typ: &'a str,
    id: String,
    doc: &'a DocType,
    from: CountryCode,
    to: Vec<String>,
    created: String,
    corr: String,
    sha256: String,
}

/// Writes and signs an envelope with the sender's current document-signing key.
pub fn seal(new: NewEnvelope, kid: &KeyId, key: &SigningKey) -> Result<Envelope, SealError> {
    if new.id.get_version_num() != 7 {
        return Err(SealError::IdNotV7);
    }
    let created = timestamp::format_millis(new.created).ok_or(SealError::CreatedOutOfRange)?;
    let hash = sha256(&new.payload);
    let out = HeaderOut {
        alg: ALG,
        kid,
        typ: ENVELOPE_TYP,
        id: new.id.hyphenated().to_string(),
        doc: &new.doc,
        from: new.from,
        to: new.to.to_strings(),
        created,
        corr: new.corr.hyphenated().to_string(),
        sha256: hex::encode(hash),
    };
    let header_json = serde_json::to_vec(&out).expect("an envelope header serialises");
    let jws = FlattenedJws::sign(&header_json, &new.payload, key);
    let raw = jws.to_json().into_bytes();
    Ok(Envelope(UnverifiedEnvelope {
        header: EnvelopeHeader {
            kid: kid.clone(),
            id: new.id,
            doc: new.doc,
            from: new.from,
            to: new.to,
            created: timestamp::truncate_millis(new.created),
            corr: new.corr,
            sha256: hash,
            extra: BTreeMap::new(),
        },
        payload: new.payload,
        jws,
        raw,
    }))
}

pub(crate) fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}
