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

/// A network of member nodes on loopback: per country a PKI, a node key, a listener for the
/// external face, and one trust list naming them all, signed by a test signer.
pub struct Network {
    pub members: Vec<NetMember>,
    pub signer: ed25519_dalek::SigningKey,
    pub content: sis_exchange::TrustListContent,
}

/// What one member node needs to join.
pub struct NetMember {
    pub pki: CountryPki,
    pub key: sis_signaling::node::key::NodeKey,
    /// Taken by the node when it starts.
    pub listener: Option<std::net::TcpListener>,
    pub port: u16,
}

pub const SIGNER_KID: &str = "carec-test";

impl Network {
    pub fn new(countries: &[&'static str]) -> Network {
        use sis_exchange::{KeyId, Member, MemberKey, TrustListContent};
        let year = |y: i64| {
            time::OffsetDateTime::from_unix_timestamp((y - 1970) * 31_556_952).expect("year")
        };
        let mut members = Vec::new();
        let mut listed = Vec::new();
        for (i, country) in countries.iter().enumerate() {
            let pki = CountryPki::generate(country);
            let key = sis_signaling::node::key::NodeKey::from_seed(&[i as u8 + 1; 32]);
            let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
            let port = listener.local_addr().expect("addr").port();
            let code = sis_customs::CountryCode::parse(country).expect("country");
            let log = sis_signaling::external::exchange::log_signer(code, &key);
            listed.push(Member {
                country: code,
                name: format!("{country} customs"),
                external_url: format!("https://localhost:{port}"),
                tls_ca_pem: pki.ca_pem.clone(),
                keys: vec![MemberKey {
                    kid: KeyId::parse(&format!("{}-1", country.to_ascii_lowercase())).expect("kid"),
                    ed25519: key.public(),
                    not_before: year(2020),
                    not_after: year(2100),
                }],
                log_key: log.verifier().to_string(),
            });
            members.push(NetMember {
                pki,
                key,
                listener: Some(listener),
                port,
            });
        }
        Network {
            members,
            signer: ed25519_dalek::SigningKey::from_bytes(&[99; 32]),
            content: TrustListContent {
                version: 1,
                issued: time::OffsetDateTime::now_utc(),
                members: listed,
                removed: Vec::new(),
            },
        }
    }

    /// The trust list of `content`, signed.
    pub fn sealed(&self, content: &sis_exchange::TrustListContent) -> String {
        let kid = sis_exchange::KeyId::parse(SIGNER_KID).expect("kid");
        sis_exchange::TrustList::seal(content, &[(kid, &self.signer)])
    }

    pub fn verifier(&self) -> sis_exchange::TrustListVerifier {
        sis_exchange::TrustListVerifier {
            signers: vec![sis_exchange::TrustListSigner {
                kid: sis_exchange::KeyId::parse(SIGNER_KID).expect("kid"),
                key: self.signer.verifying_key(),
            }],
            threshold: 1,
        }
    }
}

/// What a test node needs to join a network (see [`Network::join`]).
pub struct Join {
    pub country: &'static str,
    pub key: sis_signaling::node::key::NodeKey,
    pub cert: std::path::PathBuf,
    pub cert_key: std::path::PathBuf,
    pub trust_file: std::path::PathBuf,
    pub verifier: sis_exchange::TrustListVerifier,
    pub listener: std::net::TcpListener,
    /// The data-sharing policy; the default one when `None`.
    pub policy: Option<sis_exchange::Policy>,
}

impl Join {
    /// The connected exchange over `store`, and the face to serve.
    pub fn prepare(
        self,
        store: sis_signaling::store::Store,
        country: sis_customs::CountryCode,
        files: sis_signaling::modules::letters::Files,
    ) -> (
        Arc<sis_signaling::external::exchange::Exchange>,
        sis_signaling::external::start::Face,
    ) {
        use sis_signaling::external::{ExternalState, exchange::Exchange, trust::TrustState};
        let trust = TrustState::load(&self.trust_file, self.verifier).expect("trust list");
        let identity = Identity::load("external.tls", &self.cert, &self.cert_key).expect("id");
        let tls =
            sis_signaling::external::tls::server_config(&self.cert, &self.cert_key, trust.peers())
                .expect("tls");
        let kid = sis_exchange::KeyId::parse(&format!("{}-1", self.country.to_ascii_lowercase()))
            .expect("kid");
        let state = ExternalState {
            country,
            peers: trust.peers().clone(),
            max_body_bytes: 1 << 20,
            exchange: None,
        };
        let mut exchange = Exchange::new(store, country, self.key, kid)
            .with_files(files)
            .connected(trust, identity);
        if let Some(policy) = self.policy {
            exchange.policy = policy;
        }
        let exchange = Arc::new(exchange);
        let face = sis_signaling::external::start::Face {
            listener: self.listener,
            tls,
            state,
            // The tests that need a witness round run one themselves.
            witness_every: std::time::Duration::from_secs(30),
        };
        (exchange, face)
    }
}

impl Network {
    /// Writes the trust list into `dir` and hands member `i` what it needs to join; the
    /// member's listener is taken, or bound again on its port after a restart.
    pub fn join(&mut self, i: usize, dir: &std::path::Path) -> Join {
        let trust_file = dir.join("trust-list.json");
        if !trust_file.exists() {
            std::fs::write(&trust_file, self.sealed(&self.content)).expect("write trust list");
        }
        let verifier = self.verifier();
        let m = &mut self.members[i];
        let listener = m.listener.take().unwrap_or_else(|| {
            std::net::TcpListener::bind(("127.0.0.1", m.port)).expect("bind the same port again")
        });
        Join {
            country: m.pki.country,
            key: m.key.clone(),
            cert: m.pki.path("node.crt"),
            cert_key: m.pki.path("node.key"),
            trust_file,
            verifier,
            listener,
            policy: None,
        }
    }
}

/// Posts `bytes` to `to`'s external face as `from` (its node certificate), claiming `sender`.
pub async fn post_envelope(
    net: &Network,
    from: usize,
    to: usize,
    sender: &str,
    bytes: Vec<u8>,
) -> (u16, Vec<u8>) {
    let tls = net.members[from]
        .pki
        .client_config("node", &net.members[to].pki);
    let client = reqwest::Client::builder()
        .use_preconfigured_tls((*tls).clone())
        .build()
        .expect("client");
    let resp = client
        .post(format!(
            "https://localhost:{}/external/v1/envelopes",
            net.members[to].port
        ))
        .header("carec-sender", sender)
        .header("content-type", "application/jose+json")
        .body(bytes)
        .send()
        .await
        .expect("post");
    (
        resp.status().as_u16(),
        resp.bytes().await.expect("body").to_vec(),
    )
}

/// The payload of a signed answer (a receipt or a signed error), as JSON.
pub fn jws_payload(bytes: &[u8]) -> serde_json::Value {
    use base64::Engine;
    let jws: serde_json::Value = serde_json::from_slice(bytes).expect("a JWS");
    let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(jws["payload"].as_str().expect("payload"))
        .expect("base64url");
    serde_json::from_slice(&payload).expect("json")
}

/// The `code` of a signed error's payload.
pub fn error_code(bytes: &[u8]) -> String {
    jws_payload(bytes)["code"]
        .as_str()
        .expect("code")
        .to_owned()
}
