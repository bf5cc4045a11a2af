//! The demo network's trust list: one member per country (its external URL, its CA, its
//! node key as document-signing key and as log key), signed by a trust-list signer kept
//! beside the network, and the `external.trust_signers` entry every node configures.

use std::path::Path;

use anyhow::Context;
use base64::Engine as _;
use ed25519_dalek::SigningKey;
use sis_customs::CountryCode;
use sis_exchange::{
    KeyId, Member, MemberKey, TrustList, TrustListContent, TrustListSigner, TrustListVerifier,
};
use time::OffsetDateTime;

use crate::net::countries;

/// The key id of the demo network's trust-list signer.
pub const SIGNER_KID: &str = "carec-demo-1";

/// The trust-list signer of the demo network.
#[derive(Debug)]
pub struct Signer(SigningKey);

impl Signer {
    /// The signer whose seed is in `path`, created there on the first run.
    pub fn load_or_create(path: &Path) -> anyhow::Result<Signer> {
        Ok(Signer(SigningKey::from_bytes(&crate::secret::seed(path)?)))
    }

    fn kid() -> KeyId {
        KeyId::parse(SIGNER_KID).expect("a valid key id")
    }

    /// The `external.trust_signers` entry: `<kid>:<base64 Ed25519 public key>`.
    pub fn config_entry(&self) -> String {
        let key =
            base64::engine::general_purpose::STANDARD.encode(self.0.verifying_key().as_bytes());
        format!("{SIGNER_KID}:{key}")
    }

    pub fn verifier(&self) -> TrustListVerifier {
        TrustListVerifier::new(vec![TrustListSigner {
            kid: Signer::kid(),
            key: self.0.verifying_key(),
        }])
    }

    pub fn seal(&self, content: &TrustListContent) -> String {
        TrustList::seal(content, &[(Signer::kid(), &self.0)])
    }
}

/// What the trust list says of one node.
#[derive(Debug, Clone)]
pub struct MemberInfo<'a> {
    pub country: CountryCode,
    /// `https://localhost:<port>`.
    pub external_url: String,
    pub ca_pem: &'a str,
    /// The seed of the node's `node-signing.key`.
    pub seed: &'a [u8; 32],
}

/// The id under which the trust list names a node's key: the node's default
/// (`external.signing_kid`).
pub fn kid(country: CountryCode) -> anyhow::Result<KeyId> {
    KeyId::parse(&format!("{}-1", country.as_str().to_ascii_lowercase()))
        .context("the node's key id")
}

/// The member entry of a node. Its key is valid from 2020 to 2100: the seed is kept from
/// run to run, and letters a node stored in an earlier run must still verify.
pub fn member(info: &MemberInfo<'_>) -> anyhow::Result<Member> {
    let key = SigningKey::from_bytes(info.seed);
    // The log signs with the node key under the log's origin as the note's key name, as
    // the node does (`external::exchange::log_signer`).
    let origin = sis_ledger::log_origin(info.country.as_str())?;
    let log = sis_ledger::SignerKey::from_seed(&origin, sis_ledger::KeyKind::Ed25519, info.seed)?;
    Ok(Member {
        country: info.country,
        name: countries::service_name(info.country),
        external_url: info.external_url.clone(),
        tls_ca_pem: info.ca_pem.to_owned(),
        keys: vec![MemberKey {
            kid: kid(info.country)?,
            ed25519: key.verifying_key(),
            not_before: OffsetDateTime::from_unix_timestamp(1_577_836_800)?, // 2020-01-01
            not_after: OffsetDateTime::from_unix_timestamp(4_102_444_800)?,  // 2100-01-01
        }],
        log_key: log.verifier().to_string(),
    })
}

/// The version for a new list: one above the list in `path` when it is ours, else 1. A node
/// refuses a list older than the one in force, so versions only go up.
pub fn next_version(path: &Path, signer: &Signer) -> u64 {
    std::fs::read(path)
        .ok()
        .and_then(|bytes| TrustList::parse_and_verify(&bytes, &signer.verifier(), None).ok())
        .map_or(1, |list| list.version() + 1)
}

/// Writes the trust list sealed from `members` into `path`, with the next version; the
/// file is replaced in one rename, since running nodes re-read it when it changes.
pub fn write(path: &Path, signer: &Signer, members: Vec<Member>) -> anyhow::Result<u64> {
    let version = next_version(path, signer);
    let content = TrustListContent {
        version,
        issued: OffsetDateTime::now_utc(),
        members,
        removed: Vec::new(),
    };
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, signer.seal(&content))
        .with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))?;
    Ok(version)
}
