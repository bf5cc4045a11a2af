//! Joining the network at start: the trust list, the node certificate, the exchange with
//! its delivery worker, and the external face on its own listener.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use base64::Engine;
use sis_customs::CountryCode;
use sis_exchange::{KeyId, TrustListSigner, TrustListVerifier};

use crate::external::exchange::Exchange;
use crate::external::trust::TrustState;
use crate::external::{ExternalState, delivery};
use crate::node::config::ExternalConfig;
use crate::node::key::NodeKey;
use crate::node::server::{self, ConnLimits};
use crate::node::tls::Identity;
use crate::store::Store;

/// How often the trust list's file is checked for a new list.
const TRUST_LIST_CHECK: Duration = Duration::from_secs(2);
/// How often files of received letters still missing are asked for again.
const FILES_EVERY: Duration = Duration::from_secs(30);

/// The external face ready to serve.
#[derive(Debug)]
pub struct Face {
    pub listener: TcpListener,
    pub tls: Arc<rustls::ServerConfig>,
    pub state: ExternalState,
    /// How often every other member's log is fetched, checked and cosigned.
    pub witness_every: Duration,
}

/// `<kid>:<base64 key>` entries of `external.trust_signers`.
pub fn signers(config: &ExternalConfig) -> anyhow::Result<TrustListVerifier> {
    let mut signers = Vec::new();
    for (i, entry) in config.trust_signers.iter().enumerate() {
        let what = || format!("external.trust_signers[{i}]");
        let Some((kid, key)) = entry.split_once(':') else {
            bail!("{}: must be <kid>:<base64 Ed25519 public key>", what());
        };
        let kid = KeyId::parse(kid.trim()).with_context(what)?;
        let bytes: [u8; 32] = base64::engine::general_purpose::STANDARD
            .decode(key.trim())
            .ok()
            .and_then(|b| b.try_into().ok())
            .with_context(|| format!("{}: the key is not 32 bytes of base64", what()))?;
        let key = ed25519_dalek::VerifyingKey::from_bytes(&bytes)
            .with_context(|| format!("{}: not an Ed25519 public key", what()))?;
        signers.push(TrustListSigner { kid, key });
    }
    Ok(TrustListVerifier {
        signers,
        threshold: config.threshold(),
    })
}

/// The data-sharing policy in `path` (TOML).
pub fn policy(path: &std::path::Path) -> anyhow::Result<sis_exchange::Policy> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("external.policy: cannot read {}", path.display()))?;
    toml::from_str(&text)
        .with_context(|| format!("external.policy: {} is not a valid policy", path.display()))
}

/// The node's exchange, connected to the network when `external.listen` is set (then with
/// its face to serve).
pub fn prepare(
    config: &ExternalConfig,
    store: Store,
    country: CountryCode,
    key: NodeKey,
    files: crate::modules::letters::Files,
) -> anyhow::Result<(Exchange, Option<Face>)> {
    let kid = KeyId::parse(&config.kid(country.as_str())).context("external.signing_kid")?;
    let mut exchange = Exchange::new(store, country, key, kid).with_files(files);
    if let Some(path) = &config.policy {
        exchange.policy = policy(path)?;
    }
    if let Some(max) = config.max_envelope_bytes {
        exchange.max_envelope_bytes = max;
    }
    exchange.max_backoff = config.max_backoff();
    let (Some(listen), Some(list), Some(cert), Some(tls_key)) = (
        config.listen,
        &config.trust_list,
        &config.tls_cert,
        &config.tls_key,
    ) else {
        return Ok((exchange, None));
    };
    let trust = TrustState::load(list, signers(config)?)?;
    let identity = Identity::load("external.tls", cert, tls_key)?;
    let tls = crate::external::tls::server_config(cert, tls_key, trust.peers())?;
    let listener = TcpListener::bind(listen)
        .with_context(|| format!("external.listen: cannot bind {listen}"))?;
    let state = ExternalState {
        country,
        peers: trust.peers().clone(),
        max_body_bytes: exchange.max_envelope_bytes,
        exchange: None,
    };
    let exchange = exchange.connected(trust, identity);
    Ok((
        exchange,
        Some(Face {
            listener,
            tls,
            state,
            witness_every: config.witness_every(),
        }),
    ))
}

/// Starts the delivery worker, the trust list's watch and the face; the face runs until
/// `shutdown` resolves, the others until their handles are aborted or the node stops.
pub fn spawn(
    exchange: Arc<Exchange>,
    face: Face,
    limits: ConnLimits,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<Vec<tokio::task::JoinHandle<()>>> {
    let mut tasks = Vec::new();
    if let Some(trust) = &exchange.trust {
        tasks.push(trust.watch(TRUST_LIST_CHECK));
    }
    tasks.push(delivery::spawn(exchange.clone()));
    tasks.push(crate::external::witness::spawn(
        exchange.clone(),
        face.witness_every,
    ));
    tasks.push(crate::external::files::spawn(exchange.clone(), FILES_EVERY));
    let Face {
        listener,
        tls,
        mut state,
        ..
    } = face;
    tracing::info!(
        "external face on https://{} (mutual TLS, {} members)",
        listener.local_addr()?,
        exchange
            .trust
            .as_ref()
            .map_or(0, |t| t.current().content().members.len())
    );
    state.exchange = Some(exchange);
    tokio::spawn(server::serve_with(
        listener,
        Some(tls),
        crate::external::app(state),
        limits,
        None,
        shutdown,
    ));
    Ok(tasks)
}
