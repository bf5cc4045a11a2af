//! TLS for the internal face with rustls on the `ring` provider.

use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, bail};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::{InconsistentKeys, ServerConfig};

/// Server configuration from a PEM chain and key. HTTP/1.1 only: the WebSocket upgrade
/// needs it, and nothing here gains from HTTP/2 yet. Each error names the setting
/// (`tls_cert`, `tls_key`), the file and what is wrong with it.
pub fn server_config(cert: &Path, key: &Path) -> anyhow::Result<Arc<ServerConfig>> {
    let (cert_name, key_name) = (cert.display(), key.display());
    let cert_pem =
        std::fs::read(cert).with_context(|| format!("tls_cert: cannot read {cert_name}"))?;
    let chain = CertificateDer::pem_slice_iter(&cert_pem)
        .collect::<Result<Vec<_>, _>>()
        .with_context(|| format!("tls_cert: {cert_name} is not a PEM certificate chain"))?;
    if chain.is_empty() {
        bail!("tls_cert: {cert_name} holds no certificate");
    }
    let key_pem = std::fs::read(key).with_context(|| format!("tls_key: cannot read {key_name}"))?;
    let key_der = PrivateKeyDer::from_pem_slice(&key_pem)
        .with_context(|| format!("tls_key: {key_name} holds no PEM private key"))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    provider
        .key_provider
        .load_private_key(key_der.clone_key())
        .with_context(|| format!("tls_key: {key_name} holds no usable private key"))?;
    let builder = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .context("TLS protocol versions")?
        .with_no_client_auth();
    let mut config = match builder.with_single_cert(chain, key_der) {
        Ok(config) => config,
        Err(rustls::Error::InconsistentKeys(InconsistentKeys::KeyMismatch)) => {
            bail!("tls_key: {key_name} is not the key of the certificate in tls_cert {cert_name}")
        }
        Err(e) => {
            return Err(e).with_context(|| {
                format!("tls_cert {cert_name} and tls_key {key_name} do not form a usable pair")
            });
        }
    };
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}
