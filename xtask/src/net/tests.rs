//! The network `prepare` writes, read back as a node reads it: its configuration file, the
//! trust list verified with the signer that file names, and each member's keys and CA
//! checked against the files the node will use.

use std::path::Path;
use std::sync::Arc;

use base64::Engine as _;
use ed25519_dalek::{SigningKey, VerifyingKey};
use rustls::RootCertStore;
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::ServerCertVerifier;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use sis_exchange::{KeyId, TrustList, TrustListSigner, TrustListVerifier};

use super::{Layout, Options, Prepared, countries, ports::Ports, prepare};

fn prepared(layout: &Layout, list: &str) -> Prepared {
    prepared_with(layout, list, &Options::default())
}

fn prepared_with(layout: &Layout, list: &str, options: &Options) -> Prepared {
    let countries = countries::parse(list).expect("countries");
    prepare(
        layout,
        &countries,
        Path::new("/srv/web"),
        &mut Ports::any(),
        options,
    )
    .expect("prepared")
}

fn config(path: &Path) -> toml::Table {
    let text = std::fs::read_to_string(path).expect("config written");
    text.parse().expect("the config is TOML")
}

fn str_at<'a>(t: &'a toml::Table, keys: &[&str]) -> &'a str {
    let mut v = t
        .get(keys[0])
        .unwrap_or_else(|| panic!("{keys:?} in the config"));
    for k in &keys[1..] {
        v = v.get(k).unwrap_or_else(|| panic!("{keys:?} in the config"));
    }
    v.as_str().unwrap_or_else(|| panic!("{keys:?} is a string"))
}

/// The verifier a node builds from `external.trust_signers` (`<kid>:<base64 key>`).
fn verifier_of(config: &toml::Table) -> TrustListVerifier {
    let entries = config["external"]["trust_signers"]
        .as_array()
        .expect("trust_signers is a list");
    assert_eq!(entries.len(), 1, "one signer for the demo network");
    let (kid, key) = entries[0]
        .as_str()
        .and_then(|e| e.split_once(':'))
        .expect("<kid>:<key>");
    let bytes: [u8; 32] = base64::engine::general_purpose::STANDARD
        .decode(key)
        .expect("base64")
        .try_into()
        .expect("32 bytes");
    TrustListVerifier::new(vec![TrustListSigner {
        kid: KeyId::parse(kid).expect("kid"),
        key: VerifyingKey::from_bytes(&bytes).expect("an Ed25519 key"),
    }])
}

fn node_public_key(data_dir: &str) -> VerifyingKey {
    let seed: [u8; 32] = std::fs::read(Path::new(data_dir).join("node-signing.key"))
        .expect("the node key is written before the first start")
        .try_into()
        .expect("a raw 32-byte seed, as the node reads it");
    SigningKey::from_bytes(&seed).verifying_key()
}

/// Whether the certificate in `cert_file` chains to `ca_pem` for `name`, as a peer's
/// client checks the node's external face.
fn chains(cert_file: &str, ca_pem: &str, name: &'static str) -> bool {
    let mut roots = RootCertStore::empty();
    for ca in CertificateDer::pem_slice_iter(ca_pem.as_bytes()) {
        roots.add(ca.expect("the CA is PEM")).expect("a usable CA");
    }
    let verifier = WebPkiServerVerifier::builder_with_provider(
        Arc::new(roots),
        Arc::new(rustls::crypto::ring::default_provider()),
    )
    .build()
    .expect("verifier");
    let cert = CertificateDer::from_pem_file(cert_file).expect("the node certificate is PEM");
    verifier
        .verify_server_cert(
            &cert,
            &[],
            &ServerName::try_from(name).expect("name"),
            &[],
            UnixTime::now(),
        )
        .is_ok()
}

#[test]
fn three_countries_get_a_trust_list_each_node_accepts_naming_its_keys_and_ca() {
    let dir = tempfile::tempdir().expect("temp dir");
    let layout = Layout::under(dir.path());
    let net = prepared(&layout, "kz,uz,kg");
    assert_eq!(net.trust_version, 1);

    let configs: Vec<toml::Table> = net.nodes.iter().map(|n| config(&n.config)).collect();
    let list_file = str_at(&configs[0], &["external", "trust_list"]);
    let bytes = std::fs::read(list_file).expect("trust list written");
    for c in &configs {
        assert_eq!(
            str_at(c, &["external", "trust_list"]),
            list_file,
            "one list for all"
        );
    }
    let list = TrustList::parse_and_verify(&bytes, &verifier_of(&configs[0]), None)
        .expect("the trust list verifies with the signer the nodes configure");
    let members = &list.content().members;
    let countries: Vec<&str> = members.iter().map(|m| m.country.as_str()).collect();
    assert_eq!(countries, ["KZ", "UZ", "KG"]);

    for ((node, c), m) in net.nodes.iter().zip(&configs).zip(members) {
        let cc = node.country.as_str();
        assert_eq!(str_at(c, &["country"]), cc);
        assert_eq!(str_at(c, &["listen"]), node.internal.to_string());
        assert_eq!(str_at(c, &["web_dir"]), "/srv/web");
        let external = str_at(c, &["external", "listen"]);
        assert_eq!(external, node.external.to_string());
        assert_eq!(
            m.external_url,
            format!("https://localhost:{}", node.external.port()),
            "peers reach {cc} at the port its external face listens on"
        );
        assert_ne!(node.internal.port(), node.external.port());

        let key = node_public_key(str_at(c, &["data_dir"]));
        assert_eq!(m.keys.len(), 1);
        assert_eq!(
            m.keys[0].kid.as_str(),
            str_at(c, &["external", "signing_kid"]),
            "the node signs under the kid the list names"
        );
        assert_eq!(m.keys[0].kid.as_str(), format!("{}-1", cc.to_lowercase()));
        assert_eq!(
            m.keys[0].ed25519, key,
            "{cc}'s document key is its node key"
        );
        let now = time::OffsetDateTime::now_utc();
        assert!(m.keys[0].not_before <= now && now < m.keys[0].not_after);

        let log = sis_ledger::VerifierKey::parse(&m.log_key).expect("log_key is a vkey");
        assert_eq!(
            log.name(),
            format!("carec-sis.org/{}/log", cc.to_lowercase())
        );
        assert_eq!(
            log.public_key(),
            &key,
            "{cc}'s log is signed with its node key"
        );

        let cert = str_at(c, &["external", "tls_cert"]);
        assert!(
            chains(cert, &m.tls_ca_pem, "localhost"),
            "{cc}: for localhost"
        );
        assert!(
            chains(cert, &m.tls_ca_pem, "127.0.0.1"),
            "{cc}: for 127.0.0.1"
        );
        for other in members.iter().filter(|o| o.country != m.country) {
            assert!(
                !chains(cert, &other.tls_ca_pem, "localhost"),
                "{cc}'s certificate must not pass as {}'s",
                other.country
            );
        }
        assert!(Path::new(str_at(c, &["external", "tls_key"])).is_file());
    }
    let ports: std::collections::BTreeSet<u16> = net
        .nodes
        .iter()
        .flat_map(|n| [n.internal.port(), n.external.port()])
        .collect();
    assert_eq!(ports.len(), 6, "no two faces share a port");
}

#[test]
fn options_put_a_proxy_in_the_trust_list_and_tuning_in_every_config() {
    let dir = tempfile::tempdir().expect("temp dir");
    let layout = Layout::under(dir.path());
    let uz = sis_customs::CountryCode::parse("UZ").expect("UZ");
    let options = Options {
        external_url_of: [(uz, "https://localhost:1".to_owned())].into(),
        max_backoff_seconds: Some(4),
        witness_seconds: Some(2),
    };
    let net = prepared_with(&layout, "kz,uz", &options);
    let bytes = std::fs::read(layout.trust_list()).expect("trust list written");
    let kz_config = config(&net.nodes[0].config);
    let list = TrustList::parse_and_verify(&bytes, &verifier_of(&kz_config), None)
        .expect("the list verifies");
    let url_of = |cc: &str| {
        list.content()
            .members
            .iter()
            .find(|m| m.country.as_str() == cc)
            .map(|m| m.external_url.clone())
            .expect("a member")
    };
    assert_eq!(
        url_of("UZ"),
        "https://localhost:1",
        "peers reach UZ at the proxy"
    );
    assert_eq!(net.nodes[1].external_url, "https://localhost:1");
    assert_eq!(
        url_of("KZ"),
        format!("https://localhost:{}", net.nodes[0].external.port()),
        "a member without a proxy is reached at its face"
    );
    for node in &net.nodes {
        let external = config(&node.config)["external"].clone();
        assert_eq!(external["max_backoff_seconds"].as_integer(), Some(4));
        assert_eq!(external["witness_seconds"].as_integer(), Some(2));
    }

    let plain = prepared(&Layout::under(&dir.path().join("plain")), "kz");
    let external = config(&plain.nodes[0].config)["external"].clone();
    assert!(
        external.get("max_backoff_seconds").is_none() && external.get("witness_seconds").is_none(),
        "without options the node's defaults hold: {external}"
    );
}

#[test]
fn a_second_run_keeps_keys_pki_and_data_and_issues_a_newer_list_the_nodes_take() {
    let dir = tempfile::tempdir().expect("temp dir");
    let layout = Layout::under(dir.path());
    let first = prepared(&layout, "kz,uz");
    let read = |p: &Path| std::fs::read(p).expect("read");
    let kz = &first.nodes[0];
    let key = read(&kz.data.join("node-signing.key"));
    let ca = read(&layout.pki(kz.country).join("ca.crt"));
    let signer = read(&layout.signer());
    std::fs::write(kz.data.join("sis.sqlite"), b"kept").expect("a database");
    let old = read(&layout.trust_list());

    let second = prepared(&layout, "kz,uz,kg");
    assert_eq!(second.trust_version, 2);
    assert_eq!(
        read(&kz.data.join("node-signing.key")),
        key,
        "the node key is kept"
    );
    assert_eq!(
        read(&layout.pki(kz.country).join("ca.crt")),
        ca,
        "the CA is kept"
    );
    assert_eq!(read(&layout.signer()), signer, "the list signer is kept");
    assert_eq!(
        read(&kz.data.join("sis.sqlite")),
        b"kept",
        "the data is kept"
    );

    let verifier = verifier_of(&config(&second.nodes[0].config));
    let v1 = TrustList::parse_and_verify(&old, &verifier, None).expect("v1");
    let v2 = TrustList::parse_and_verify(&read(&layout.trust_list()), &verifier, Some(&v1))
        .expect("a node holding the first list takes the second");
    assert_eq!(v2.content().members.len(), 3, "KG joined");
}

#[test]
fn a_missing_piece_of_a_pki_makes_a_new_one_whole() {
    let dir = tempfile::tempdir().expect("temp dir");
    let layout = Layout::under(dir.path());
    let first = prepared(&layout, "tj");
    let pki = layout.pki(first.nodes[0].country);
    let ca = std::fs::read(pki.join("ca.crt")).expect("ca");
    std::fs::remove_file(pki.join("node.key")).expect("rm");
    let second = prepared(&layout, "tj");
    assert_ne!(
        std::fs::read(pki.join("ca.crt")).expect("ca"),
        ca,
        "a new CA"
    );
    let c = config(&second.nodes[0].config);
    let list = TrustList::parse_and_verify(
        &std::fs::read(layout.trust_list()).expect("list"),
        &verifier_of(&c),
        None,
    )
    .expect("list");
    assert!(
        chains(
            str_at(&c, &["external", "tls_cert"]),
            &list.content().members[0].tls_ca_pem,
            "localhost"
        ),
        "the new certificate chains to the CA the new list names"
    );
}
