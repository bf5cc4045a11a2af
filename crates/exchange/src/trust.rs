//! The trust list: the members, their endpoints, TLS CAs, document-signing keys with
//! validity windows, and log keys; a JSON document signed in the general JWS serialization
//! by the trust-list signers every node configures, accepted with a threshold of them.

use std::collections::BTreeSet;

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use ed25519_dalek::{SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use sis_customs::CountryCode;
use time::OffsetDateTime;

use crate::codes::ErrorCode;
use crate::ids::KeyId;
use crate::jws::{ALG, GeneralJws, JwsError, ProtectedOut, check_typ, from_b64url};
use crate::timestamp::serde_rfc3339;

/// The `typ` of each trust-list signature's protected header.
pub const TRUST_LIST_TYP: &str = "carec-sis-trust-list+jws";

/// The trust list's content, as signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustListContent {
    /// Increases with every list issued; a node never goes back to a lower one.
    pub version: u64,
    #[serde(with = "serde_rfc3339")]
    pub issued: OffsetDateTime,
    pub members: Vec<Member>,
    /// Countries that were members and are no longer, so their envelopes are refused with
    /// `removed_member` rather than `not_member`. Optional; an addition to the members.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<CountryCode>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub country: CountryCode,
    pub name: String,
    /// Where its external face listens (`https://…`).
    pub external_url: String,
    /// The PEM of the CA that issues this member's node certificates: a client certificate
    /// chaining to it proves the member's country.
    pub tls_ca_pem: String,
    pub keys: Vec<MemberKey>,
    /// The C2SP signed-note verifier key of its transparency log.
    pub log_key: String,
}

/// A document-signing key and the window `[not_before, not_after)` in which envelopes may
/// say they were created with it. Windows of successive keys overlap so that a rollover
/// loses nothing in flight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberKey {
    pub kid: KeyId,
    #[serde(with = "serde_ed25519")]
    pub ed25519: VerifyingKey,
    #[serde(with = "serde_rfc3339")]
    pub not_before: OffsetDateTime,
    #[serde(with = "serde_rfc3339")]
    pub not_after: OffsetDateTime,
}

/// Standard base64 (RFC 4648 §4), padded or not.
const STANDARD_ANY_PADDING: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

mod serde_ed25519 {
    use super::*;
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(k: &VerifyingKey, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(k.as_bytes()))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<VerifyingKey, D::Error> {
        use serde::de::Error;
        let text = String::deserialize(d)?;
        let bytes = STANDARD_ANY_PADDING
            .decode(&text)
            .map_err(|_| D::Error::custom("must be base64"))?;
        let bytes: [u8; 32] = bytes
            .try_into()
            .map_err(|_| D::Error::custom("must be 32 bytes"))?;
        let key = VerifyingKey::from_bytes(&bytes)
            .map_err(|_| D::Error::custom("is not an Ed25519 public key"))?;
        if key.is_weak() {
            return Err(D::Error::custom("is a small-order (weak) key"));
        }
        Ok(key)
    }
}

/// A key every node configures as a trust-list signer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustListSigner {
    pub kid: KeyId,
    pub key: VerifyingKey,
}

/// What a node needs to accept a trust list: its signers and how many must have signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustListVerifier {
    pub signers: Vec<TrustListSigner>,
    /// Distinct configured signers whose signature must verify. Default 1.
    pub threshold: usize,
}

impl TrustListVerifier {
    pub fn new(signers: Vec<TrustListSigner>) -> Self {
        TrustListVerifier {
            signers,
            threshold: 1,
        }
    }
}

/// Why a trust list was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TrustListError {
    #[error("not a general JWS: {0}")]
    Jws(#[from] JwsError),
    #[error("content: {0}")]
    Content(String),
    #[error("{valid} valid signature(s) from configured signers, {threshold} required")]
    BelowThreshold { valid: usize, threshold: usize },
    #[error("version {offered} is older than the current {current}")]
    VersionWentBack { offered: u64, current: u64 },
    #[error("version {0} is the current one, with different content")]
    VersionReused(u64),
}

impl TrustListError {
    pub fn code(&self) -> &'static str {
        match self {
            TrustListError::Jws(_) => "trust_list_malformed",
            TrustListError::Content(_) => "trust_list_invalid",
            TrustListError::BelowThreshold { .. } => "trust_list_below_threshold",
            TrustListError::VersionWentBack { .. } => "trust_list_version_went_back",
            TrustListError::VersionReused(_) => "trust_list_version_reused",
        }
    }
}

/// Why no key was found for a signature.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    #[error("{0} is not a member")]
    NotMember(CountryCode),
    #[error("{0} was removed from the trust list")]
    RemovedMember(CountryCode),
    #[error("{country} has no key {kid:?}")]
    UnknownKey { country: CountryCode, kid: KeyId },
    #[error("key {kid:?} of {country} is not valid at {at}")]
    NotValidAt {
        country: CountryCode,
        kid: KeyId,
        at: String,
    },
}

impl KeyError {
    pub fn code(&self) -> ErrorCode {
        match self {
            KeyError::NotMember(_) => ErrorCode::NotMember,
            KeyError::RemovedMember(_) => ErrorCode::RemovedMember,
            KeyError::UnknownKey { .. } => ErrorCode::UnknownKey,
            KeyError::NotValidAt { .. } => ErrorCode::KeyNotValidAtCreated,
        }
    }
}

/// A trust list whose signatures met the threshold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustList {
    content: TrustListContent,
    /// The signed payload bytes, to tell a re-issue of one version from a reload.
    payload: Vec<u8>,
    /// The JWS as received, for serving to peers and admins.
    raw: Vec<u8>,
}

impl TrustList {
    /// Parses and verifies `bytes` against the configured signers, and against `current`
    /// (the list in force) so the version never goes back.
    pub fn parse_and_verify(
        bytes: &[u8],
        verifier: &TrustListVerifier,
        current: Option<&TrustList>,
    ) -> Result<TrustList, TrustListError> {
        let jws = GeneralJws::parse(bytes)?;
        let mut valid = BTreeSet::new();
        for sig in &jws.signatures {
            let Ok(header) = sig.protected_header(&[]) else {
                continue;
            };
            if check_typ(&header, TRUST_LIST_TYP).is_err() {
                continue;
            }
            let Ok(kid) = header.string("kid") else {
                continue;
            };
            // A signature by a key nobody configured, or one that fails, counts for
            // nothing; it does not spoil the others (signers may be added one node at a
            // time).
            for signer in verifier.signers.iter().filter(|s| s.kid.as_str() == kid) {
                if sig.verify(&jws.payload, &signer.key).is_ok() {
                    valid.insert(signer.key.to_bytes());
                }
            }
        }
        if valid.len() < verifier.threshold.max(1) {
            return Err(TrustListError::BelowThreshold {
                valid: valid.len(),
                threshold: verifier.threshold.max(1),
            });
        }
        let payload = from_b64url("payload", &jws.payload)?;
        let content = parse_content(&payload)?;
        if let Some(current) = current {
            let now = current.content.version;
            if content.version < now {
                return Err(TrustListError::VersionWentBack {
                    offered: content.version,
                    current: now,
                });
            }
            if content.version == now && payload != current.payload {
                return Err(TrustListError::VersionReused(now));
            }
        }
        Ok(TrustList {
            content,
            payload,
            raw: bytes.to_vec(),
        })
    }

    /// Signs `content` with each of `signers` (kid and key), for the tool that issues
    /// trust lists and for tests.
    pub fn seal(content: &TrustListContent, signers: &[(KeyId, &SigningKey)]) -> String {
        let payload = serde_json::to_vec(content).expect("trust list content serialises");
        let headers: Vec<(Vec<u8>, &SigningKey)> = signers
            .iter()
            .map(|(kid, key)| {
                let header = ProtectedOut {
                    alg: ALG,
                    kid,
                    typ: TRUST_LIST_TYP,
                };
                (header.to_vec(), *key)
            })
            .collect();
        GeneralJws::sign(&payload, &headers).to_json()
    }

    pub fn content(&self) -> &TrustListContent {
        &self.content
    }

    pub fn version(&self) -> u64 {
        self.content.version
    }

    /// The JWS exactly as it was received.
    pub fn raw(&self) -> &[u8] {
        &self.raw
    }

    pub fn is_member(&self, country: CountryCode) -> bool {
        self.member(country).is_some()
    }

    pub fn member(&self, country: CountryCode) -> Option<&Member> {
        self.content.members.iter().find(|m| m.country == country)
    }

    /// Whether `country` may exchange with us at all: a member, or why not.
    pub fn check_member(&self, country: CountryCode) -> Result<&Member, KeyError> {
        match self.member(country) {
            Some(m) => Ok(m),
            None if self.content.removed.contains(&country) => {
                Err(KeyError::RemovedMember(country))
            }
            None => Err(KeyError::NotMember(country)),
        }
    }

    /// The key `country` signs with under `kid`, if `at` lies in its window.
    pub fn key_for(
        &self,
        country: CountryCode,
        kid: &KeyId,
        at: OffsetDateTime,
    ) -> Result<&VerifyingKey, KeyError> {
        let member = self.check_member(country)?;
        let key =
            member
                .keys
                .iter()
                .find(|k| &k.kid == kid)
                .ok_or_else(|| KeyError::UnknownKey {
                    country,
                    kid: kid.clone(),
                })?;
        if key.not_before <= at && at < key.not_after {
            Ok(&key.ed25519)
        } else {
            Err(KeyError::NotValidAt {
                country,
                kid: kid.clone(),
                at: crate::timestamp::format_millis(at).unwrap_or_else(|| at.to_string()),
            })
        }
    }
}

fn parse_content(payload: &[u8]) -> Result<TrustListContent, TrustListError> {
    let de = &mut serde_json::Deserializer::from_slice(payload);
    let content: TrustListContent = serde_path_to_error::deserialize(de)
        .map_err(|e| TrustListError::Content(format!("`{}`: {}", e.path(), e.inner())))?;
    let mut countries = BTreeSet::new();
    for (i, m) in content.members.iter().enumerate() {
        if !countries.insert(m.country) {
            return Err(TrustListError::Content(format!(
                "`members[{i}].country`: {} is listed twice",
                m.country
            )));
        }
        if content.removed.contains(&m.country) {
            return Err(TrustListError::Content(format!(
                "`members[{i}].country`: {} is also in `removed`",
                m.country
            )));
        }
        let mut kids = BTreeSet::new();
        for (j, k) in m.keys.iter().enumerate() {
            let at = format!("members[{i}].keys[{j}]");
            if !kids.insert(&k.kid) {
                return Err(TrustListError::Content(format!("`{at}.kid`: used twice")));
            }
            if k.not_before >= k.not_after {
                return Err(TrustListError::Content(format!(
                    "`{at}.not_after`: must be after not_before"
                )));
            }
        }
    }
    Ok(content)
}
