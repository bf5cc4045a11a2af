//! TLS for both faces with rustls on the `ring` provider: the internal face's server
//! configuration here, the external face's (mutual TLS) in [`crate::external::tls`] on the
//! same loading of certificates and keys.

use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, bail};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::{ConfigBuilder, InconsistentKeys, ServerConfig, WantsVerifier};

/// A certificate chain and its private key, read from PEM files and checked to belong
/// together.
#[derive(Debug)]
pub struct Identity {
    pub chain: Vec<CertificateDer<'static>>,
    pub key: PrivateKeyDer<'static>,
}

impl Identity {
    /// Reads `cert` and `key`. Each error names the setting (`<setting>_cert`,
    /// `<setting>_key`, e.g. `tls_cert`), the file and what is wrong with it.
    pub fn load(setting: &str, cert: &Path, key: &Path) -> anyhow::Result<Identity> {
        let (cert_name, key_name) = (cert.display(), key.display());
        let cert_pem = std::fs::read(cert)
            .with_context(|| format!("{setting}_cert: cannot read {cert_name}"))?;
        let chain = CertificateDer::pem_slice_iter(&cert_pem)
            .collect::<Result<Vec<_>, _>>()
            .with_context(|| {
                format!("{setting}_cert: {cert_name} is not a PEM certificate chain")
            })?;
        if chain.is_empty() {
            bail!("{setting}_cert: {cert_name} holds no certificate");
        }
        let key_pem =
            std::fs::read(key).with_context(|| format!("{setting}_key: cannot read {key_name}"))?;
        let key = PrivateKeyDer::from_pem_slice(&key_pem)
            .with_context(|| format!("{setting}_key: {key_name} holds no PEM private key"))?;
        let signing = provider()
            .key_provider
            .load_private_key(key.clone_key())
            .with_context(|| format!("{setting}_key: {key_name} holds no usable private key"))?;
        match rustls::sign::CertifiedKey::new(chain.clone(), signing).keys_match() {
            Ok(()) => {}
            Err(rustls::Error::InconsistentKeys(InconsistentKeys::KeyMismatch)) => bail!(
                "{setting}_key: {key_name} is not the key of the certificate in {setting}_cert {cert_name}"
            ),
            // The certificate's key could not be read to compare: rustls checks it again
            // when the configuration is built.
            Err(_) => {}
        }
        Ok(Identity { chain, key })
    }
}

/// The one crypto provider of the node.
pub fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// A configuration builder on [`provider`] with rustls's safe protocol versions.
pub fn server_builder() -> anyhow::Result<ConfigBuilder<ServerConfig, WantsVerifier>> {
    ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .context("TLS protocol versions")
}

/// Server configuration from a PEM chain and key. HTTP/1.1 only: the WebSocket upgrade
/// needs it, and nothing here gains from HTTP/2 yet.
pub fn server_config(cert: &Path, key: &Path) -> anyhow::Result<Arc<ServerConfig>> {
    let identity = Identity::load("tls", cert, key)?;
    let mut config = server_builder()?
        .with_no_client_auth()
        .with_single_cert(identity.chain, identity.key)
        .context("tls_cert and tls_key do not form a usable pair")?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}
