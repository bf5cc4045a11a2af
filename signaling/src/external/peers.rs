//! Which member country a client certificate belongs to, from the trust list's CAs.
//!
//! The country is the member whose CA issued the certificate, never something the
//! certificate says about itself: a member's CA speaks for that member only. The set of
//! members is replaced when the trust list is reloaded; a handshake and every request
//! after it are checked against the set current at that moment, so a member removed from
//! the list is refused at once, on its open connections too.

use std::sync::{Arc, RwLock};

use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, UnixTime};
use rustls::server::WebPkiClientVerifier;
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{DigitallySignedStruct, DistinguishedName, RootCertStore, SignatureScheme};
use sis_customs::CountryCode;

/// One member as the transport sees it: its country and the CA of its node certificates.
#[derive(Debug, Clone)]
pub struct Member {
    pub country: CountryCode,
    /// PEM of one or more CA certificates.
    pub tls_ca_pem: String,
}

/// Why a set of members cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PeersError {
    #[error("members[{country}].tls_ca_pem: {reason}")]
    BadCa {
        country: CountryCode,
        reason: String,
    },
}

/// The members' verifiers: one that accepts any member (for the handshake), one per member
/// (to name the country).
#[derive(Default)]
struct Snapshot {
    any: Option<Arc<dyn ClientCertVerifier>>,
    each: Vec<(CountryCode, Arc<dyn ClientCertVerifier>)>,
}

/// The current members; shared by the TLS acceptor and the request handlers.
pub struct Peers {
    provider: Arc<CryptoProvider>,
    current: RwLock<Arc<Snapshot>>,
}

impl std::fmt::Debug for Peers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let countries: Vec<CountryCode> = self.snapshot().each.iter().map(|(c, _)| *c).collect();
        f.debug_struct("Peers")
            .field("members", &countries)
            .finish()
    }
}

impl Peers {
    pub fn new(members: &[Member]) -> Result<Arc<Peers>, PeersError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let snapshot = build(&provider, members)?;
        Ok(Arc::new(Peers {
            provider,
            current: RwLock::new(Arc::new(snapshot)),
        }))
    }

    /// Replaces the members; on error the current ones stay.
    pub fn replace(&self, members: &[Member]) -> Result<(), PeersError> {
        let snapshot = Arc::new(build(&self.provider, members)?);
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = snapshot;
        Ok(())
    }

    fn snapshot(&self) -> Arc<Snapshot> {
        self.current
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The member whose CA issued `chain[0]` (the rest are intermediates), as of now; `None`
    /// for a certificate no current member's CA issued, or that two members' CAs both
    /// issued (a trust list must not let one certificate speak for two countries).
    pub fn country_of(&self, chain: &[CertificateDer<'_>]) -> Option<CountryCode> {
        let (end_entity, intermediates) = chain.split_first()?;
        let now = UnixTime::now();
        let snapshot = self.snapshot();
        let mut found = snapshot.each.iter().filter(|(_, verifier)| {
            verifier
                .verify_client_cert(end_entity, intermediates, now)
                .is_ok()
        });
        match (found.next(), found.next()) {
            (Some((country, _)), None) => Some(*country),
            _ => None,
        }
    }

    /// The handshake's verifier: it accepts a certificate of any current member.
    pub fn verifier(self: &Arc<Self>) -> Arc<dyn ClientCertVerifier> {
        Arc::new(MemberVerifier(self.clone()))
    }
}

fn build(provider: &Arc<CryptoProvider>, members: &[Member]) -> Result<Snapshot, PeersError> {
    let mut all = RootCertStore::empty();
    let mut each = Vec::with_capacity(members.len());
    for member in members {
        let bad = |reason: String| PeersError::BadCa {
            country: member.country,
            reason,
        };
        let certs = CertificateDer::pem_slice_iter(member.tls_ca_pem.as_bytes())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| bad(format!("not PEM certificates ({e})")))?;
        if certs.is_empty() {
            return Err(bad("holds no certificate".into()));
        }
        let mut roots = RootCertStore::empty();
        for cert in certs {
            roots
                .add(cert.clone())
                .map_err(|e| bad(format!("not a usable CA certificate ({e})")))?;
            all.add(cert).map_err(|e| bad(e.to_string()))?;
        }
        let verifier =
            WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                .build()
                .map_err(|e| bad(e.to_string()))?;
        each.push((member.country, verifier));
    }
    let any = if each.is_empty() {
        None
    } else {
        Some(
            WebPkiClientVerifier::builder_with_provider(Arc::new(all), provider.clone())
                .build()
                .map_err(|e| PeersError::BadCa {
                    country: each[0].0,
                    reason: e.to_string(),
                })?,
        )
    };
    Ok(Snapshot { any, each })
}

/// Delegates to the current members' verifier, so a reload takes effect at the next
/// handshake without a new TLS configuration.
#[derive(Debug)]
struct MemberVerifier(Arc<Peers>);

impl ClientCertVerifier for MemberVerifier {
    fn client_auth_mandatory(&self) -> bool {
        true
    }

    /// No hints: they would be borrowed from a snapshot that a reload may drop; a client
    /// presents its one node certificate anyway.
    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &[]
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        match &self.0.snapshot().any {
            Some(verifier) => verifier.verify_client_cert(end_entity, intermediates, now),
            None => Err(rustls::Error::General("no member in the trust list".into())),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0
            .provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}
