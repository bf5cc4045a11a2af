//! The external face over real mutual TLS on loopback: only a current member's node
//! certificate gets in, the country comes from the CA that issued it, and a member removed
//! from the trust list is refused at once, on a connection it already holds too.

mod common;

use std::net::SocketAddr;
use std::sync::Arc;

use common::network::CountryPki;
use rustls::pki_types::ServerName;
use sis_customs::CountryCode;
use sis_signaling::external::{self, ExternalState, Peers};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::oneshot;

/// KZ's external face, trusting the given members.
struct Face {
    addr: SocketAddr,
    peers: Arc<Peers>,
    _stop: oneshot::Sender<()>,
}

async fn kz_face(kz: &CountryPki, members: &[&CountryPki]) -> Face {
    let members: Vec<_> = members.iter().map(|m| m.member()).collect();
    let peers = Peers::new(&members).expect("members");
    let tls = external::tls::server_config(&kz.path("node.crt"), &kz.path("node.key"), &peers)
        .expect("server config");
    let state = ExternalState {
        country: CountryCode::parse("KZ").expect("KZ"),
        peers: peers.clone(),
        max_body_bytes: 1 << 20,
        exchange: None,
    };
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(sis_signaling::node::server::serve(
        listener,
        Some(tls),
        external::app(state),
        async {
            let _ = stopped.await;
        },
    ));
    Face {
        addr,
        peers,
        _stop: stop,
    }
}

type Stream = tokio_rustls::client::TlsStream<tokio::net::TcpStream>;

/// Connects with `config`; the handshake's outcome (a TLS 1.3 server refuses the client's
/// certificate after the client thinks it is done, so a first read is part of it).
async fn connect(addr: SocketAddr, config: Arc<rustls::ClientConfig>) -> std::io::Result<Stream> {
    let tcp = tokio::net::TcpStream::connect(addr).await?;
    let connector = tokio_rustls::TlsConnector::from(config);
    connector
        .connect(ServerName::try_from("localhost").expect("name"), tcp)
        .await
}

/// `GET /external/v1/hello` on an open connection (kept alive): status and body.
async fn hello(stream: &mut Stream) -> std::io::Result<(u16, serde_json::Value)> {
    stream
        .write_all(b"GET /external/v1/hello HTTP/1.1\r\nhost: localhost\r\n\r\n")
        .await?;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buf).to_string();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length: usize = head
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse().expect("length"))
                })
                .expect("content-length");
            if body.len() >= length {
                let status = head[9..12].parse().expect("status");
                let json = serde_json::from_str(&body[..length]).expect("json body");
                return Ok((status, json));
            }
        }
    }
}

/// The rustls error under an I/O error, as the handshake or the first read reports it.
fn tls_error(e: &std::io::Error) -> String {
    match e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
    {
        Some(tls) => format!("{tls:?}"),
        None => format!("{e:?}"),
    }
}

async fn refused(addr: SocketAddr, config: Arc<rustls::ClientConfig>) -> String {
    let result = match connect(addr, config).await {
        Ok(mut stream) => hello(&mut stream).await.map(|_| ()),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => panic!("the connection was served"),
        Err(e) => tls_error(&e),
    }
}

#[tokio::test]
async fn a_member_is_named_by_the_ca_that_issued_its_certificate() {
    let (kz, uz, kg) = (
        CountryPki::generate("KZ"),
        CountryPki::generate("UZ"),
        CountryPki::generate("KG"),
    );
    let face = kz_face(&kz, &[&kz, &uz, &kg]).await;
    for (pki, country) in [(&uz, "UZ"), (&kg, "KG")] {
        let mut stream = connect(face.addr, pki.client_config("node", &kz))
            .await
            .expect("handshake");
        let (status, body) = hello(&mut stream).await.expect("hello");
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["peer"], country);
        assert_eq!(body["node"], "KZ");
    }
}

#[tokio::test]
async fn certificates_of_no_member_are_refused_in_the_handshake() {
    let (kz, uz, stranger, impostor) = (
        CountryPki::generate("KZ"),
        CountryPki::generate("UZ"),
        CountryPki::generate("TJ"),
        CountryPki::generate("UZ"),
    );
    uz.issue("expired", Some((2019, 2020)));
    let face = kz_face(&kz, &[&kz, &uz]).await;

    // A CA the trust list does not name.
    let err = refused(face.addr, stranger.client_config("node", &kz)).await;
    assert!(err.contains("UnknownCA"), "{err}");
    // A CA with the very name of UZ's: its signature does not verify under UZ's key.
    let err = refused(face.addr, impostor.client_config("node", &kz)).await;
    assert!(err.contains("DecryptError"), "{err}");
    // A member's CA, but the certificate has expired.
    let err = refused(face.addr, uz.client_config("expired", &kz)).await;
    assert!(err.contains("CertificateExpired"), "{err}");
    // No certificate at all.
    let anonymous = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("versions")
    .with_root_certificates({
        let mut roots = rustls::RootCertStore::empty();
        let ca = rustls::pki_types::pem::PemObject::from_pem_slice(kz.ca_pem.as_bytes())
            .expect("ca pem");
        roots.add(ca).expect("root");
        roots
    })
    .with_no_client_auth();
    let err = refused(face.addr, Arc::new(anonymous)).await;
    assert!(err.contains("CertificateRequired"), "{err}");
}

#[tokio::test]
async fn a_member_removed_from_the_trust_list_is_refused_at_once() {
    let (kz, uz) = (CountryPki::generate("KZ"), CountryPki::generate("UZ"));
    let face = kz_face(&kz, &[&kz, &uz]).await;
    let mut held = connect(face.addr, uz.client_config("node", &kz))
        .await
        .expect("handshake");
    assert_eq!(hello(&mut held).await.expect("hello").0, 200);

    face.peers.replace(&[kz.member()]).expect("reload");
    // The connection it already holds: the next request is refused.
    let (status, body) = hello(&mut held).await.expect("answered");
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["code"], "not_member");
    // A new connection: refused in the handshake.
    let err = refused(face.addr, uz.client_config("node", &kz)).await;
    assert!(err.contains("UnknownCA"), "{err}");

    // Back in the list, it is served again.
    face.peers
        .replace(&[kz.member(), uz.member()])
        .expect("reload");
    let mut stream = connect(face.addr, uz.client_config("node", &kz))
        .await
        .expect("handshake");
    assert_eq!(hello(&mut stream).await.expect("hello").1["peer"], "UZ");
}

#[tokio::test]
async fn a_ca_listed_for_two_members_speaks_for_neither() {
    let (kz, uz) = (CountryPki::generate("KZ"), CountryPki::generate("UZ"));
    let mut twin = uz.member();
    twin.country = CountryCode::parse("TJ").expect("TJ");
    let face = kz_face(&kz, &[&kz, &uz]).await;
    face.peers
        .replace(&[kz.member(), uz.member(), twin])
        .expect("reload");
    let mut stream = connect(face.addr, uz.client_config("node", &kz))
        .await
        .expect("handshake");
    let (status, body) = hello(&mut stream).await.expect("answered");
    assert_eq!((status, body["code"].as_str()), (403, Some("not_member")));
}

#[test]
fn a_trust_list_member_without_a_usable_ca_is_named() {
    let mut bad = CountryPki::generate("UZ").member();
    bad.tls_ca_pem = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n".into();
    let err = Peers::new(&[bad]).expect_err("unusable CA").to_string();
    assert!(err.starts_with("members[UZ].tls_ca_pem: "), "{err}");
}
