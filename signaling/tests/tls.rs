//! HTTPS on the internal face with a generated test CA.

mod common;

use common::{TestDb, TestNode};
use sis_signaling::auth::SessionPolicy;

struct Pki {
    ca_pem: String,
    dir: tempfile::TempDir,
}

fn make_pki() -> Pki {
    use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};
    let ca_key = KeyPair::generate().expect("ca key");
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("ca params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "SIS test CA");
    let ca = ca_params.self_signed(&ca_key).expect("ca cert");
    let key = KeyPair::generate().expect("key");
    let params =
        CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()]).expect("p");
    let cert = params.signed_by(&key, &ca, &ca_key).expect("leaf");
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(dir.path().join("node.crt"), cert.pem()).expect("write");
    std::fs::write(dir.path().join("node.key"), key.serialize_pem()).expect("write");
    Pki {
        ca_pem: ca.pem(),
        dir,
    }
}

#[tokio::test]
async fn https_serves_with_the_configured_certificate() {
    let pki = make_pki();
    let cfg = sis_signaling::tls::server_config(
        &pki.dir.path().join("node.crt"),
        &pki.dir.path().join("node.key"),
    )
    .expect("tls config");
    let node = TestNode::start_with(TestDb::sqlite(), Some(cfg), SessionPolicy::default()).await;
    let ca = reqwest::Certificate::from_pem(pki.ca_pem.as_bytes()).expect("ca");
    let client = reqwest::Client::builder()
        .add_root_certificate(ca)
        .build()
        .expect("client");
    let url = format!("https://localhost:{}/healthz", node.addr.port());
    let resp = client.get(&url).send().await.expect("https request");
    assert_eq!(resp.status(), 200);

    // A client that does not trust the test CA cannot talk to it.
    let strict = reqwest::Client::new();
    assert!(strict.get(&url).send().await.is_err());
    // Nor does plain HTTP get an answer on the TLS port.
    let plain = reqwest::Client::new()
        .get(format!("http://127.0.0.1:{}/healthz", node.addr.port()))
        .send()
        .await;
    assert!(plain.is_err() || plain.is_ok_and(|r| r.status() != 200));
}

#[test]
fn unusable_certificate_files_are_named_in_the_error() {
    let dir = tempfile::tempdir().expect("dir");
    let cert = dir.path().join("missing.crt");
    let key = dir.path().join("missing.key");
    let err = sis_signaling::tls::server_config(&cert, &key).expect_err("missing");
    assert!(format!("{err:#}").starts_with("tls_cert"), "{err:#}");
    std::fs::write(&cert, "not pem").expect("write");
    let err = sis_signaling::tls::server_config(&cert, &key).expect_err("not pem");
    assert!(format!("{err:#}").starts_with("tls_cert"), "{err:#}");
}
