//! Mutual TLS on the external face: the node's server side accepts only clients whose
//! certificate a current member's CA issued ([`Peers`]); its client side presents the node
//! certificate and trusts, for each peer, that peer's CA alone.

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use rustls::{ClientConfig, RootCertStore, ServerConfig};

use crate::external::peers::Peers;
use crate::node::tls::{Identity, provider, server_builder};

/// The external listener's configuration: the node's certificate, client certificates
/// required and checked against the members. HTTP/1.1, as the internal face.
pub fn server_config(
    cert: &Path,
    key: &Path,
    peers: &Arc<Peers>,
) -> anyhow::Result<Arc<ServerConfig>> {
    let identity = Identity::load("external.tls", cert, key)?;
    let mut config = server_builder()?
        .with_client_cert_verifier(peers.verifier())
        .with_single_cert(identity.chain, identity.key)
        .context("external.tls_cert and external.tls_key do not form a usable pair")?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// The configuration for connecting to one peer: its CA (PEM) as the only root, the node's
/// identity as the client certificate.
pub fn client_config(identity: &Identity, peer_ca_pem: &str) -> anyhow::Result<Arc<ClientConfig>> {
    let mut roots = RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(peer_ca_pem.as_bytes()) {
        let cert = cert.context("the peer's tls_ca_pem is not PEM")?;
        roots
            .add(cert)
            .context("the peer's tls_ca_pem is not a usable CA certificate")?;
    }
    let mut config = ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .context("TLS protocol versions")?
        .with_root_certificates(roots)
        .with_client_auth_cert(identity.chain.clone(), identity.key.clone_key())
        .context("the node's external certificate and key")?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}
