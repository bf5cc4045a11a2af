//! Test PKIs of member countries: per country a CA and a node certificate it issued, as the
//! external face expects them.

use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
use sis_signaling::node::tls::Identity;

/// One country's CA and node certificate (PEM), written in a temporary folder.
pub struct CountryPki {
    pub country: &'static str,
    pub ca_pem: String,
    ca: rcgen::Certificate,
    ca_key: KeyPair,
    pub dir: tempfile::TempDir,
}

impl CountryPki {
    pub fn generate(country: &'static str) -> CountryPki {
        let ca_key = KeyPair::generate().expect("ca key");
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("ca params");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(DnType::CommonName, format!("{country} customs node CA"));
        params.distinguished_name.push(DnType::CountryName, country);
        let ca = params.self_signed(&ca_key).expect("ca cert");
        let pki = CountryPki {
            country,
            ca_pem: ca.pem(),
            ca,
            ca_key,
            dir: tempfile::tempdir().expect("dir"),
        };
        pki.issue("node", None);
        pki
    }

    /// Issues `<name>.crt`/`<name>.key` for localhost; `validity` (not before, not after)
    /// as years, or valid now.
    pub fn issue(&self, name: &str, validity: Option<(i32, i32)>) {
        let key = KeyPair::generate().expect("key");
        let mut params =
            CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()])
                .expect("params");
        params
            .distinguished_name
            .push(DnType::CommonName, format!("{} node", self.country));
        if let Some((from, to)) = validity {
            params.not_before = rcgen::date_time_ymd(from, 1, 1);
            params.not_after = rcgen::date_time_ymd(to, 1, 1);
        }
        let cert = params
            .signed_by(&key, &self.ca, &self.ca_key)
            .expect("leaf");
        std::fs::write(self.path(&format!("{name}.crt")), cert.pem()).expect("write");
        std::fs::write(self.path(&format!("{name}.key")), key.serialize_pem()).expect("write");
    }

    pub fn path(&self, name: &str) -> std::path::PathBuf {
        self.dir.path().join(name)
    }

    /// The identity `<name>.crt`/`<name>.key`.
    pub fn identity(&self, name: &str) -> Identity {
        Identity::load(
            "test",
            &self.path(&format!("{name}.crt")),
            &self.path(&format!("{name}.key")),
        )
        .expect("identity")
    }

    pub fn member(&self) -> sis_signaling::external::Member {
        sis_signaling::external::Member {
            country: sis_customs::CountryCode::parse(self.country).expect("country"),
            tls_ca_pem: self.ca_pem.clone(),
        }
    }

    /// A client configuration presenting `<name>` and trusting `server`'s CA.
    pub fn client_config(&self, name: &str, server: &CountryPki) -> Arc<rustls::ClientConfig> {
        sis_signaling::external::tls::client_config(&self.identity(name), &server.ca_pem)
            .expect("client config")
    }
}
