//! The `[external]` section: the external face, where other member countries' nodes
//! connect over mutual TLS (`crate::external`).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, bail};
use serde::Deserialize;

/// The external face is off unless `listen` is set; then the certificate, its key and the
/// trust list are required.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ExternalConfig {
    /// Address of the external face, e.g. `0.0.0.0:8443`. Default: none (the node is not
    /// part of a network). Env `SIS_EXTERNAL_LISTEN`.
    pub listen: Option<SocketAddr>,
    /// The node's certificate (PEM chain) for the external face, issued by the CA the trust
    /// list names for this country; presented as server and as client certificate.
    /// Env `SIS_EXTERNAL_TLS_CERT`.
    pub tls_cert: Option<PathBuf>,
    /// Its private key (PEM). Env `SIS_EXTERNAL_TLS_KEY`.
    pub tls_key: Option<PathBuf>,
    /// The signed trust list (`docs/exchange-protocol.md`); re-read when it changes.
    /// Env `SIS_TRUST_LIST`.
    pub trust_list: Option<PathBuf>,
    /// The keys whose signatures make a trust list valid, each `<kid>:<base64 Ed25519
    /// public key>`. Env `SIS_TRUST_SIGNERS`, comma-separated.
    pub trust_signers: Vec<String>,
    /// How many of `trust_signers` must have signed. Default 1.
    pub trust_threshold: Option<usize>,
    /// The id under which the trust list names this node's signing key (the key in
    /// `<data_dir>/node-signing.key`, which also signs minutes and the log's checkpoints).
    /// Default `<country in lower case>-1`. Env `SIS_EXTERNAL_SIGNING_KID`.
    pub signing_kid: Option<String>,
    /// The data-sharing policy (TOML, `docs/exchange-protocol.md` §11): per document type,
    /// which members may receive it, whom it is accepted from, which elements are withheld.
    /// Default: letters to and from every member, whole. Env `SIS_EXCHANGE_POLICY`.
    pub policy: Option<PathBuf>,
    /// How long a peer's envelope may be, in bytes. Default 1 MiB.
    pub max_envelope_bytes: Option<usize>,
    /// The longest wait between two attempts to deliver one envelope, in seconds, 1 to 300.
    /// Default 300, the protocol's cap (`docs/exchange-protocol.md` §10.5); lower on a network
    /// on one machine or in tests, so that a peer back from an outage hears sooner.
    pub max_backoff_seconds: Option<u64>,
    /// How often every other member's log is fetched, checked and cosigned, in seconds, at
    /// least 1. Default 30.
    pub witness_seconds: Option<u64>,
}

/// The protocol's cap on the wait between attempts.
const MAX_BACKOFF_SECONDS: u64 = 300;
/// How often peers' logs are witnessed unless configured.
const WITNESS_SECONDS: u64 = 30;

impl ExternalConfig {
    pub(super) fn apply_env(
        &mut self,
        var: &impl Fn(&str) -> Option<String>,
    ) -> anyhow::Result<()> {
        if let Some(v) = var("SIS_EXTERNAL_LISTEN") {
            self.listen =
                Some(v.parse().with_context(|| {
                    format!("SIS_EXTERNAL_LISTEN: {v:?} is not an address:port")
                })?);
        }
        for (name, slot) in [
            ("SIS_EXTERNAL_TLS_CERT", &mut self.tls_cert),
            ("SIS_EXTERNAL_TLS_KEY", &mut self.tls_key),
            ("SIS_TRUST_LIST", &mut self.trust_list),
            ("SIS_EXCHANGE_POLICY", &mut self.policy),
        ] {
            if let Some(v) = var(name) {
                *slot = Some(PathBuf::from(v));
            }
        }
        if let Some(v) = var("SIS_TRUST_SIGNERS") {
            self.trust_signers = v
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect();
        }
        if let Some(v) = var("SIS_EXTERNAL_SIGNING_KID") {
            self.signing_kid = Some(v);
        }
        Ok(())
    }

    /// With `listen` set, everything the face needs must be there.
    pub(super) fn check(&self) -> anyhow::Result<()> {
        if let Some(s) = self.max_backoff_seconds
            && !(1..=MAX_BACKOFF_SECONDS).contains(&s)
        {
            bail!("external.max_backoff_seconds: must be 1 to {MAX_BACKOFF_SECONDS}, not {s}");
        }
        if self.witness_seconds == Some(0) {
            bail!("external.witness_seconds: must be at least 1, not 0");
        }
        if self.listen.is_none() {
            return Ok(());
        }
        for (name, missing) in [
            ("external.tls_cert", self.tls_cert.is_none()),
            ("external.tls_key", self.tls_key.is_none()),
            ("external.trust_list", self.trust_list.is_none()),
        ] {
            if missing {
                bail!("{name}: required when external.listen is set");
            }
        }
        if self.trust_signers.is_empty() {
            bail!(
                "external.trust_signers: at least one key is required when external.listen is set"
            );
        }
        let threshold = self.threshold();
        if threshold == 0 || threshold > self.trust_signers.len() {
            bail!(
                "external.trust_threshold: must be 1 to {} (the number of trust_signers), not {threshold}",
                self.trust_signers.len()
            );
        }
        Ok(())
    }

    /// The key id of this node's signing key in the trust list.
    pub fn kid(&self, country: &str) -> String {
        self.signing_kid
            .clone()
            .unwrap_or_else(|| format!("{}-1", country.to_ascii_lowercase()))
    }

    /// The longest wait between two attempts of one delivery.
    pub fn max_backoff(&self) -> Duration {
        Duration::from_secs(self.max_backoff_seconds.unwrap_or(MAX_BACKOFF_SECONDS))
    }

    /// How often peers' logs are witnessed.
    pub fn witness_every(&self) -> Duration {
        Duration::from_secs(self.witness_seconds.unwrap_or(WITNESS_SECONDS))
    }

    pub fn threshold(&self) -> usize {
        self.trust_threshold.unwrap_or(1)
    }
}
