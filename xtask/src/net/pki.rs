//! A country's test PKI: its own CA, and the node certificate that CA issued for
//! `localhost` and `127.0.0.1`, presented by the external face as server and as client.
//! The trust list names the CA, so a client certificate chaining to it proves the country.

use std::path::{Path, PathBuf};

use anyhow::Context;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
use sis_customs::CountryCode;

use crate::secret;

/// The PEM files of one country's PKI, in its folder.
#[derive(Debug, Clone)]
pub struct CountryPki {
    /// The CA's certificate, for the trust list.
    pub ca_pem: String,
    /// The node certificate (`external.tls_cert`).
    pub node_cert: PathBuf,
    /// Its private key (`external.tls_key`).
    pub node_key: PathBuf,
}

const CA_CERT: &str = "ca.crt";
const CA_KEY: &str = "ca.key";
const NODE_CERT: &str = "node.crt";
const NODE_KEY: &str = "node.key";

impl CountryPki {
    /// The PKI in `dir` when all its files are there, else a new one written there. The
    /// CA is kept beside its key so that another tool can issue from it; this one does not
    /// reissue (rcgen reads a CA back only with its `x509-parser` feature), so a partial
    /// set is replaced whole.
    pub fn load_or_generate(dir: &Path, country: CountryCode) -> anyhow::Result<CountryPki> {
        let pki = CountryPki {
            ca_pem: String::new(),
            node_cert: dir.join(NODE_CERT),
            node_key: dir.join(NODE_KEY),
        };
        let all_there = [CA_CERT, CA_KEY, NODE_CERT, NODE_KEY]
            .iter()
            .all(|f| dir.join(f).is_file());
        if all_there {
            let ca_pem = std::fs::read_to_string(dir.join(CA_CERT))
                .with_context(|| format!("reading {}", dir.join(CA_CERT).display()))?;
            return Ok(CountryPki { ca_pem, ..pki });
        }
        secret::private_dir(dir)?;
        for f in [CA_CERT, CA_KEY, NODE_CERT, NODE_KEY] {
            match std::fs::remove_file(dir.join(f)) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(e).with_context(|| format!("removing {}", dir.join(f).display()));
                }
                _ => {}
            }
        }
        let (ca_pem, files) = generate(country)?;
        for (name, text) in files {
            secret::write_private(&dir.join(name), text.as_bytes())?;
        }
        Ok(CountryPki { ca_pem, ..pki })
    }
}

/// A CA named for `country` and a node certificate it issued: the CA's PEM, and the four
/// files by name.
fn generate(country: CountryCode) -> anyhow::Result<(String, [(&'static str, String); 4])> {
    let ca_key = KeyPair::generate().context("generating the CA key")?;
    let mut params = CertificateParams::new(Vec::<String>::new())?;
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(
        DnType::CommonName,
        format!("{country} customs node CA (demo)"),
    );
    params
        .distinguished_name
        .push(DnType::CountryName, country.as_str());
    let ca = params.self_signed(&ca_key).context("signing the CA")?;

    let node_key = KeyPair::generate().context("generating the node key")?;
    // Peers reach the node as `https://localhost:<port>`; 127.0.0.1 for tools given the
    // address.
    let mut params =
        CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()])?;
    params
        .distinguished_name
        .push(DnType::CommonName, format!("{country} customs node"));
    params
        .distinguished_name
        .push(DnType::CountryName, country.as_str());
    let node = params
        .signed_by(&node_key, &ca, &ca_key)
        .context("issuing the node certificate")?;
    Ok((
        ca.pem(),
        [
            (CA_CERT, ca.pem()),
            (CA_KEY, ca_key.serialize_pem()),
            (NODE_CERT, node.pem()),
            (NODE_KEY, node_key.serialize_pem()),
        ],
    ))
}
