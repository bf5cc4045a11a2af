//! HTTPS on the internal face with a generated test CA.

mod common;

use std::path::Path;

use common::{EXPIRED_AT, Pki, TestDb, TestNode};
use rustls::pki_types::{ServerName, UnixTime};
use rustls::{CertificateError, Error as TlsError};
use sis_signaling::auth::SessionPolicy;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn node_with(cert: &Path, key: &Path) -> TestNode {
    let cfg = sis_signaling::node::tls::server_config(cert, key).expect("tls config");
    TestNode::start_with(TestDb::sqlite(), Some(cfg), SessionPolicy::default()).await
}

/// The rustls error that failed a request, wherever it is in the chain of causes.
fn tls_error(err: &reqwest::Error) -> Option<&TlsError> {
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = next {
        if let Some(tls) = e.downcast_ref::<TlsError>() {
            return Some(tls);
        }
        // An io::Error's `source` skips the error it wraps: go to that one instead.
        next = match e
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(wrapped) => Some(wrapped),
            None => e.source(),
        };
    }
    None
}

/// The certificate error a request failed with; panics when it failed otherwise.
async fn certificate_error(client: &reqwest::Client, url: &str) -> CertificateError {
    let err = client.get(url).send().await.expect_err("refused");
    match tls_error(&err) {
        Some(TlsError::InvalidCertificate(e)) => e.clone(),
        other => panic!("not a certificate error: {other:?} in {err:?}"),
    }
}

#[tokio::test]
async fn https_serves_with_the_configured_certificate() {
    let pki = Pki::generate();
    let node = node_with(&pki.path("node.crt"), &pki.path("node.key")).await;
    let ca = reqwest::Certificate::from_pem(pki.ca_pem.as_bytes()).expect("ca");
    let trusting = reqwest::Client::builder()
        .add_root_certificate(ca.clone())
        // A name the certificate does not hold, for the same node.
        .resolve("other.example", node.addr)
        .build()
        .expect("client");
    let url = format!("https://localhost:{}/healthz", node.addr.port());
    let resp = trusting.get(&url).send().await.expect("https request");
    assert_eq!(resp.status(), 200);

    // A client that does not trust the test CA cannot talk to it.
    let strict = reqwest::Client::new();
    assert_eq!(
        certificate_error(&strict, &url).await,
        CertificateError::UnknownIssuer
    );
    // Nor can one that trusts it but asks for another name.
    let other = format!("https://other.example:{}/healthz", node.addr.port());
    match certificate_error(&trusting, &other).await {
        CertificateError::NotValidForNameContext { expected, .. } => assert_eq!(
            expected,
            ServerName::try_from("other.example").expect("a name")
        ),
        e => panic!("{e:?}"),
    }

    // Nor does plain HTTP get an answer on the TLS port: the node answers with one TLS
    // record, a fatal decode_error alert (type 21, TLS 1.2 framing, level 2, code 50),
    // and closes the connection.
    let mut plain = tokio::net::TcpStream::connect(node.addr)
        .await
        .expect("connect");
    plain
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .expect("request");
    let mut answer = Vec::new();
    let read = plain.read_to_end(&mut answer);
    let read = tokio::time::timeout(std::time::Duration::from_secs(10), read).await;
    assert!(read.is_ok(), "the node closes the connection");
    assert_eq!(
        answer,
        [21, 3, 3, 0, 2, 2, 50],
        "{:?}",
        String::from_utf8_lossy(&answer)
    );
}

#[tokio::test]
async fn an_expired_certificate_is_refused_as_expired() {
    let pki = Pki::generate();
    let node = node_with(&pki.path("expired.crt"), &pki.path("expired.key")).await;
    let ca = reqwest::Certificate::from_pem(pki.ca_pem.as_bytes()).expect("ca");
    let client = reqwest::Client::builder()
        .add_root_certificate(ca)
        .build()
        .expect("client");
    let url = format!("https://localhost:{}/healthz", node.addr.port());
    match certificate_error(&client, &url).await {
        CertificateError::ExpiredContext { not_after, .. } => assert_eq!(
            not_after,
            UnixTime::since_unix_epoch(std::time::Duration::from_secs(EXPIRED_AT))
        ),
        e => panic!("{e:?}"),
    }
}

/// `server_config`'s error, with its causes, as the node prints it.
fn config_error(cert: &Path, key: &Path) -> String {
    let err = sis_signaling::node::tls::server_config(cert, key).expect_err("refused");
    format!("{err:#}")
}

#[test]
fn unusable_certificate_files_are_named_in_the_error() {
    let pki = Pki::generate();
    let (cert, key) = (pki.path("node.crt"), pki.path("node.key"));
    let missing = pki.path("missing.pem");
    let not_pem = pki.path("not.pem");
    std::fs::write(&not_pem, "not pem").expect("write");
    let (c, k, m, n) = (
        cert.display(),
        key.display(),
        missing.display(),
        not_pem.display(),
    );

    assert_eq!(
        config_error(&missing, &key),
        format!("tls_cert: cannot read {m}: No such file or directory (os error 2)")
    );
    assert_eq!(
        config_error(&not_pem, &key),
        format!("tls_cert: {n} holds no certificate")
    );
    assert_eq!(
        config_error(&key, &key),
        format!("tls_cert: {k} holds no certificate"),
        "a key where the certificate should be"
    );

    assert_eq!(
        config_error(&cert, &missing),
        format!("tls_key: cannot read {m}: No such file or directory (os error 2)")
    );
    assert_eq!(
        config_error(&cert, &not_pem),
        format!("tls_key: {n} holds no PEM private key: no items found")
    );
    assert_eq!(
        config_error(&cert, &cert),
        format!("tls_key: {c} holds no PEM private key: no items found"),
        "a certificate where the key should be"
    );
    let garbled = pki.path("garbled.key");
    std::fs::write(
        &garbled,
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
    )
    .expect("write");
    assert_eq!(
        config_error(&cert, &garbled),
        format!(
            "tls_key: {} holds no usable private key: unexpected error: failed to parse \
             private key as RSA, ECDSA, or EdDSA",
            garbled.display()
        )
    );
    let other_key = pki.path("expired.key");
    assert_eq!(
        config_error(&cert, &other_key),
        format!(
            "tls_key: {} is not the key of the certificate in tls_cert {c}",
            other_key.display()
        )
    );
}
