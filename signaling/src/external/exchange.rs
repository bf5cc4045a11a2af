//! The node's side of the exchange: sealing a module's document into an envelope and
//! writing it, its log leaf and its delivery row in the module's own transaction (so a
//! letter is never stored without its envelope, nor an envelope without its letter); what
//! the delivery worker ([`super::delivery`]) and the inbox ([`super::inbox`]) share.

use std::sync::Arc;

use sis_customs::CountryCode;
use sis_exchange::{
    Audience, DocType, DocumentPolicy, Envelope, KeyId, NewEnvelope, Policy, Recipients, seal,
};
use sqlx::Row;
use time::OffsetDateTime;
use tokio::sync::Notify;
use uuid::Uuid;

use crate::external::log::{Appending, Log, LogError};
use crate::external::trust::TrustState;
use crate::node::key::NodeKey;
use crate::node::tls::Identity;
use crate::store::{Store, StoreError};

/// Why a document could not be put on its way.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExchangeError {
    #[error(transparent)]
    Log(#[from] LogError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the data-sharing policy does not let {doc} go to {to}: {reason}")]
    Policy {
        doc: String,
        to: CountryCode,
        reason: String,
    },
    #[error("sealing the envelope: {0}")]
    Seal(String),
    /// The document breaks the rules a receiver applies; the message names the field.
    #[error("{0}")]
    Invalid(String),
}

impl From<sqlx::Error> for ExchangeError {
    fn from(e: sqlx::Error) -> ExchangeError {
        ExchangeError::Store(StoreError::Database(e))
    }
}

/// An envelope this node accepted, for whoever shows what arrives (the officers' sockets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    pub doc: String,
    pub envelope_id: String,
}

/// The exchange of one node.
#[derive(Debug)]
pub struct Exchange {
    pub country: CountryCode,
    pub store: Store,
    pub log: Log,
    key: NodeKey,
    kid: KeyId,
    /// None while the node is not part of a network: envelopes wait in the outbox.
    pub trust: Option<Arc<TrustState>>,
    pub policy: Policy,
    /// The node certificate presented to peers when delivering.
    pub identity: Option<Arc<Identity>>,
    pub max_envelope_bytes: usize,
    /// The longest wait between two attempts of one delivery (`external.max_backoff_seconds`).
    pub max_backoff: std::time::Duration,
    wake: Notify,
    /// Files that travel beside documents (letters' attachments).
    pub files: Option<crate::modules::letters::Files>,
    files_wanted: Notify,
    /// Envelopes accepted, as they are.
    pub accepted: tokio::sync::broadcast::Sender<Accepted>,
    /// Counts forks of peers' logs (shared with the node's metrics).
    pub forks_detected: prometheus_client::metrics::counter::Counter,
    /// The writer of accepted envelopes, started with the first.
    arrivals: std::sync::OnceLock<crate::external::arrivals::Queue>,
}

/// The policy of a node that configures none: letters and their acknowledgements to and
/// from every member, whole.
pub fn default_policy() -> Policy {
    let mut policy = Policy::default();
    for doc in ["letter", crate::modules::letters::acknowledge::DOC] {
        policy.documents.insert(
            DocType::parse(doc).expect("a valid document type"),
            DocumentPolicy {
                share_with: Audience::All,
                accept_from: None,
                withheld: Vec::new(),
            },
        );
    }
    policy
}

/// The log key's name for `country` (`carec-sis.org/kz/log`), the origin of its checkpoints.
pub fn log_signer(country: CountryCode, key: &NodeKey) -> sis_ledger::SignerKey {
    let origin =
        sis_ledger::log_origin(country.as_str()).expect("a country code makes a valid origin");
    sis_ledger::SignerKey::from_seed(
        &origin,
        sis_ledger::KeyKind::Ed25519,
        key.signing().as_bytes(),
    )
    .expect("a valid key name")
}

/// The witness key name of `country`.
pub fn witness_name(country: CountryCode) -> String {
    format!(
        "carec-sis.org/{}/witness",
        country.as_str().to_ascii_lowercase()
    )
}

/// The member whose witness key name is `name`: [`witness_name`] read back; `None` for a
/// name of any other form.
pub fn witness_country(name: &str) -> Option<CountryCode> {
    let code = name
        .strip_prefix("carec-sis.org/")?
        .strip_suffix("/witness")?;
    // Only the lower-case form `witness_name` writes is that member's name.
    if code.bytes().any(|b| !b.is_ascii_lowercase()) {
        return None;
    }
    CountryCode::parse(&code.to_ascii_uppercase()).ok()
}

fn witness_signer(country: CountryCode, key: &NodeKey) -> sis_ledger::SignerKey {
    sis_ledger::SignerKey::from_seed(
        &witness_name(country),
        sis_ledger::KeyKind::CosignatureV1,
        key.signing().as_bytes(),
    )
    .expect("a valid key name")
}

/// The witness verifier of a member whose log key is `log_key` (same public key).
pub fn witness_verifier(
    country: CountryCode,
    log_key: &str,
) -> Result<sis_ledger::VerifierKey, sis_ledger::KeyError> {
    let log = sis_ledger::VerifierKey::parse(log_key)?;
    sis_ledger::VerifierKey::new(
        &witness_name(country),
        sis_ledger::KeyKind::CosignatureV1,
        *log.public_key(),
    )
}

impl Exchange {
    /// The exchange of a node not (yet) in a network.
    pub fn new(store: Store, country: CountryCode, key: NodeKey, kid: KeyId) -> Exchange {
        let log = Log::new(store.clone(), log_signer(country, &key));
        Exchange {
            country,
            store,
            log,
            key,
            kid,
            trust: None,
            policy: default_policy(),
            identity: None,
            max_envelope_bytes: 1 << 20,
            max_backoff: sis_exchange::outbox::BACKOFF_CAP,
            wake: Notify::new(),
            forks_detected: Default::default(),
            files: None,
            files_wanted: Notify::new(),
            accepted: tokio::sync::broadcast::channel(256).0,
            arrivals: std::sync::OnceLock::new(),
        }
    }

    /// Joins the network the trust list describes, presenting `identity` to peers.
    pub fn connected(mut self, trust: Arc<TrustState>, identity: Identity) -> Exchange {
        self.trust = Some(trust);
        self.identity = Some(Arc::new(identity));
        self
    }

    /// This node's witness key: the node key, as a C2SP cosignature/v1 key named
    /// `carec-sis.org/<cc>/witness` (peers derive its verifier from the trust list's
    /// `log_key`, the same public key).
    pub fn witness_signer(&self) -> sis_ledger::SignerKey {
        witness_signer(self.country, &self.key)
    }

    pub fn kid(&self) -> &KeyId {
        &self.kid
    }

    pub fn signing_key(&self) -> &ed25519_dalek::SigningKey {
        self.key.signing()
    }

    /// Keeps files in `files` (and serves them to the members they were sent to).
    pub fn with_files(mut self, files: crate::modules::letters::Files) -> Exchange {
        self.files = Some(files);
        self
    }

    /// Tells the file fetcher a document naming files arrived.
    pub fn want_files(&self) {
        self.files_wanted.notify_one();
    }

    pub(crate) async fn files_wanted(&self) {
        self.files_wanted.notified().await;
    }

    /// Where the inbox hands accepted envelopes to be recorded together.
    pub(crate) fn arrivals(self: &Arc<Self>) -> &crate::external::arrivals::Queue {
        self.arrivals
            .get_or_init(|| crate::external::arrivals::spawn(self))
    }

    /// Tells the delivery worker there is something to send.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    pub(crate) async fn woken(&self) {
        self.wake.notified().await;
    }

    /// Seals `payload` (a document of type `doc`) for `to`, as the policy lets it go, and
    /// writes the envelope, its log leaf and its delivery in `appending`. The envelope's id.
    pub async fn enqueue(
        &self,
        appending: &mut Appending<'_>,
        doc: &DocType,
        to: CountryCode,
        corr: Uuid,
        payload: &[u8],
        now_ms: i64,
    ) -> Result<Uuid, ExchangeError> {
        let payload =
            self.policy
                .apply_outgoing(doc, to, payload)
                .map_err(|e| ExchangeError::Policy {
                    doc: doc.to_string(),
                    to,
                    reason: e.to_string(),
                })?;
        let created = OffsetDateTime::from_unix_timestamp_nanos(i128::from(now_ms) * 1_000_000)
            .map_err(|e| ExchangeError::Seal(e.to_string()))?;
        let envelope = seal(
            NewEnvelope {
                id: Uuid::now_v7(),
                doc: doc.clone(),
                from: self.country,
                to: Recipients::Countries(vec![to]),
                created,
                corr,
                payload,
            },
            &self.kid,
            self.key.signing(),
        )
        .map_err(|e| ExchangeError::Seal(e.to_string()))?;
        self.record(appending, &envelope, sis_ledger::Direction::Sent, now_ms)
            .await?;
        sqlx::query(
            "INSERT INTO outbox (envelope_id, recipient, doc_type, state, attempts, \
             next_attempt_at, updated_at) VALUES ($1, $2, $3, 'queued', 0, $4, $4)",
        )
        .bind(envelope.id().to_string())
        .bind(to.as_str())
        .bind(doc.as_str())
        .bind(now_ms)
        .execute(&mut *appending.tx)
        .await?;
        Ok(envelope.id())
    }

    /// Writes an envelope sent or accepted, and its log leaf; its log index.
    pub(crate) async fn record(
        &self,
        appending: &mut Appending<'_>,
        envelope: &Envelope,
        direction: sis_ledger::Direction,
        now_ms: i64,
    ) -> Result<u64, ExchangeError> {
        let h = envelope.header();
        let id = envelope.id().to_string();
        let entry = sis_ledger::log_entry(&id, direction, h.from.as_str(), envelope.bytes())
            .map_err(|e| ExchangeError::Seal(e.to_string()))?;
        let index = appending.append(&id, &entry).await?;
        let recipients = match &h.to {
            Recipients::All => "*".to_owned(),
            Recipients::Countries(list) => list
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(","),
            #[allow(unreachable_patterns)]
            _ => String::new(),
        };
        sqlx::query(
            "INSERT INTO envelopes (id, direction, doc_type, sender, recipients, case_id, \
             created_at, stored_at, sha256, bytes, log_index) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(&id)
        .bind(match direction {
            sis_ledger::Direction::Sent => "sent",
            _ => "accepted",
        })
        .bind(h.doc.as_str())
        .bind(h.from.as_str())
        .bind(recipients)
        .bind(h.corr.to_string())
        .bind((h.created.unix_timestamp_nanos() / 1_000_000) as i64)
        .bind(now_ms)
        .bind(hex::encode(sis_exchange::inbox::envelope_bytes_sha256(
            envelope.bytes(),
        )))
        .bind(envelope.bytes().to_vec())
        .bind(index as i64)
        .execute(&mut *appending.tx)
        .await
        .map_err(|e| StoreError::from_insert(e, "envelope id"))?;
        Ok(index)
    }

    /// The envelope stored under `id`: its exact bytes, and the log index.
    pub async fn stored(&self, id: &str) -> Result<Option<(Vec<u8>, u64)>, ExchangeError> {
        let row = sqlx::query("SELECT bytes, log_index FROM envelopes WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.store.pool)
            .await?;
        Ok(match row {
            Some(r) => Some((
                r.try_get("bytes")?,
                r.try_get::<i64, _>("log_index")? as u64,
            )),
            None => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_witness_name_reads_back_as_its_country() {
        let uz = CountryCode::parse("UZ").expect("country");
        assert_eq!(witness_country(&witness_name(uz)), Some(uz));
        for other in [
            "carec-sis.org/uz/log",
            "carec-sis.org/UZ/witness",
            "example.org/uz/witness",
            "carec-sis.org/uzb/witness",
            "carec-sis.org//witness",
        ] {
            assert_eq!(witness_country(other), None, "{other}");
        }
    }
}
