//! The app's settings: which node to talk to and in which language, kept as JSON in the
//! app's config folder.
//!
//! The node's address is parsed into a [`NodeUrl`] once, when it is read or saved, so every
//! request is built from an address that is known to be acceptable.

use std::path::{Path, PathBuf};
use std::sync::{PoisonError, RwLock};

use sis_proto::ApiError;
use sis_proto::desktop::{DesktopSettings, Language};
use url::{Host, Url};

use crate::error;

/// The node a fresh installation talks to: one running on this computer.
pub const DEFAULT_NODE_URL: &str = "http://127.0.0.1:8080";

/// Name of the settings field holding the node's address, as the page knows it.
const NODE_URL_FIELD: &str = "node_url";

/// The base address of a country node: `http` or `https`, with a host, no credentials, no
/// query. Plain `http` only reaches this computer: a password must not cross a network in
/// clear text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeUrl(Url);

impl NodeUrl {
    pub fn parse(text: &str) -> Result<NodeUrl, ApiError> {
        let invalid = |reason| error::bad_request(NODE_URL_FIELD, reason);
        let url = Url::parse(text.trim()).map_err(|_| {
            invalid("not a web address; write it like https://sis.customs.example:8443.")
        })?;
        let host = url
            .host()
            .ok_or_else(|| invalid("the address names no host."))?;
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(&host) => {}
            "http" => {
                return Err(invalid(
                    "plain http is allowed only for a node on this computer (localhost); \
                     use https for a node on the network.",
                ));
            }
            _ => return Err(invalid("the address must start with https://.")),
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(invalid(
                "the address must not hold a user name or password; sign in instead.",
            ));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(invalid("the address must not have a ? or # part."));
        }
        Ok(NodeUrl(url))
    }

    /// The URL of `path` (which starts with `/`) on this node, under the address's own path
    /// if the node sits behind a prefix such as `https://gateway.example/sis`.
    pub fn join(&self, path: &str) -> Url {
        let mut url = self.0.clone();
        let prefix = self.prefix();
        url.set_path(&format!("{prefix}{path}"));
        url
    }

    /// The address's own path without its trailing `/` (empty for most nodes).
    pub fn prefix(&self) -> &str {
        self.0.path().trim_end_matches('/')
    }

    /// The address as shown in the settings: no trailing `/`, so it reads as typed.
    pub fn as_str(&self) -> &str {
        self.0.as_str().trim_end_matches('/')
    }
}

fn is_loopback(host: &Host<&str>) -> bool {
    match host {
        Host::Domain(name) => name.eq_ignore_ascii_case("localhost"),
        Host::Ipv4(ip) => ip.is_loopback(),
        Host::Ipv6(ip) => ip.is_loopback(),
    }
}

/// The settings in force, and the file they are saved in.
#[derive(Debug)]
pub struct SettingsStore {
    file: PathBuf,
    /// Set from `SIS_NODE_URL`: it wins over the saved address, so a test (or an
    /// administrator's launcher) can point the app at a node without touching its files.
    node_override: Option<NodeUrl>,
    saved: RwLock<Saved>,
}

/// What the file holds, with its address already parsed.
#[derive(Debug, Clone)]
struct Saved {
    node: NodeUrl,
    language: Language,
}

impl SettingsStore {
    /// Reads `file`. A missing file means defaults; an unreadable one is logged and replaced
    /// by defaults too, since a broken settings file must not keep the app from starting.
    /// `node_override` is the text of `SIS_NODE_URL`, if set.
    pub fn open(file: PathBuf, node_override: Option<&str>) -> SettingsStore {
        let node_override = node_override.and_then(|text| match NodeUrl::parse(text) {
            Ok(url) => Some(url),
            Err(err) => {
                tracing::error!(%err, "SIS_NODE_URL is ignored");
                None
            }
        });
        let default_node = node_override
            .clone()
            .unwrap_or_else(|| NodeUrl::parse(DEFAULT_NODE_URL).expect("the default is valid"));
        let saved = match read(&file) {
            Ok(Some(settings)) => match NodeUrl::parse(&settings.node_url) {
                Ok(node) => Saved {
                    node,
                    language: settings.language,
                },
                Err(err) => {
                    tracing::warn!(%err, "the saved node address is not usable; using the default");
                    Saved {
                        node: default_node,
                        language: settings.language,
                    }
                }
            },
            Ok(None) => Saved {
                node: default_node,
                language: Language::default(),
            },
            Err(err) => {
                tracing::warn!(file = %file.display(), %err, "settings file unreadable; using defaults");
                Saved {
                    node: default_node,
                    language: Language::default(),
                }
            }
        };
        SettingsStore {
            file,
            node_override,
            saved: RwLock::new(saved),
        }
    }

    /// The settings in force: the saved ones, with `SIS_NODE_URL` over the node address.
    pub fn current(&self) -> DesktopSettings {
        DesktopSettings {
            node_url: self.node().as_str().to_owned(),
            language: self.read_saved().language,
        }
    }

    /// The node every request goes to.
    pub fn node(&self) -> NodeUrl {
        match &self.node_override {
            Some(node) => node.clone(),
            None => self.read_saved().node,
        }
    }

    /// Checks and saves `settings`; they are in force once this returns `Ok`.
    pub fn save(&self, settings: &DesktopSettings) -> Result<(), ApiError> {
        let node = NodeUrl::parse(&settings.node_url)?;
        let to_write = DesktopSettings {
            node_url: node.as_str().to_owned(),
            language: settings.language,
        };
        let mut saved = self.saved.write().unwrap_or_else(PoisonError::into_inner);
        write(&self.file, &to_write).map_err(|err| {
            error::local("The settings could not be saved on this computer.", &err)
        })?;
        *saved = Saved {
            node,
            language: settings.language,
        };
        Ok(())
    }

    fn read_saved(&self) -> Saved {
        self.saved
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// Why the settings file could not be read.
#[derive(Debug, thiserror::Error)]
enum ReadError {
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error("not valid settings JSON: {0}")]
    Json(#[from] serde_json::Error),
}

fn read(file: &Path) -> Result<Option<DesktopSettings>, ReadError> {
    match std::fs::read(file) {
        Ok(bytes) => Ok(Some(serde_json::from_slice(&bytes)?)),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(err.into()),
    }
}

/// Writes through a temporary file and a rename, so a crash mid-write leaves the old file.
fn write(file: &Path, settings: &DesktopSettings) -> std::io::Result<()> {
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let json = serde_json::to_vec_pretty(settings).map_err(std::io::Error::other)?;
    let temporary = file.with_extension("json.tmp");
    std::fs::write(&temporary, json)?;
    std::fs::rename(&temporary, file)
}

#[cfg(test)]
mod tests {
    use sis_proto::ErrorCode;

    use super::*;

    fn rejected(text: &str) -> ApiError {
        NodeUrl::parse(text).expect_err(text)
    }

    #[test]
    fn https_and_loopback_http_are_accepted() {
        for text in [
            "https://sis.customs.example:8443",
            "https://sis.customs.example/",
            "https://gateway.example/sis",
            "http://127.0.0.1:8080",
            "http://127.3.4.5:9000",
            "http://localhost:8080",
            "http://LOCALHOST",
            "http://[::1]:8080",
            "  https://padded.example  ",
        ] {
            assert!(NodeUrl::parse(text).is_ok(), "{text} should be accepted");
        }
    }

    #[test]
    fn every_rejection_is_a_bad_request_naming_node_url() {
        for text in [
            "http://sis.customs.example",
            "http://10.0.0.5:8080",
            "http://[2001:db8::1]",
            "http://localhost.evil.example",
            "ftp://sis.customs.example",
            "file:///etc/passwd",
            "sis.customs.example",
            "",
            "https://user:secret@sis.customs.example",
            "https://sis.customs.example/?x=1",
            "https://sis.customs.example/#top",
        ] {
            let err = rejected(text);
            assert_eq!(err.code, ErrorCode::BadRequest, "{text}");
            assert!(
                err.message.starts_with("node_url: "),
                "{text}: the message must name the field: {}",
                err.message
            );
        }
    }

    #[test]
    fn plain_http_to_another_host_is_refused_with_the_reason() {
        let err = rejected("http://sis.customs.example:8080");
        assert!(err.message.contains("https"), "{}", err.message);
    }

    #[test]
    fn paths_are_joined_under_the_nodes_prefix() {
        let plain = NodeUrl::parse("https://sis.example:8443/").expect("valid");
        assert_eq!(
            plain.join("/api/v1/me").as_str(),
            "https://sis.example:8443/api/v1/me"
        );
        let prefixed = NodeUrl::parse("https://gateway.example/sis/").expect("valid");
        assert_eq!(
            prefixed.join("/api/v1/me").as_str(),
            "https://gateway.example/sis/api/v1/me"
        );
        assert_eq!(prefixed.as_str(), "https://gateway.example/sis");
    }

    #[test]
    fn without_a_file_the_defaults_apply() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = SettingsStore::open(dir.path().join("settings.json"), None);
        assert_eq!(
            store.current(),
            DesktopSettings {
                node_url: DEFAULT_NODE_URL.to_owned(),
                language: Language::En,
            }
        );
    }

    #[test]
    fn saved_settings_survive_a_restart() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("nested").join("settings.json");
        let settings = DesktopSettings {
            node_url: "https://sis.customs.example:8443/".to_owned(),
            language: Language::Ru,
        };
        SettingsStore::open(file.clone(), None)
            .save(&settings)
            .expect("saves");
        let reopened = SettingsStore::open(file, None);
        assert_eq!(
            reopened.current(),
            DesktopSettings {
                node_url: "https://sis.customs.example:8443".to_owned(),
                language: Language::Ru,
            }
        );
    }

    #[test]
    fn an_invalid_address_is_not_saved() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("settings.json");
        let store = SettingsStore::open(file.clone(), None);
        let err = store
            .save(&DesktopSettings {
                node_url: "http://sis.customs.example".to_owned(),
                language: Language::Ru,
            })
            .expect_err("plain http to a remote host");
        assert!(err.message.starts_with("node_url: "), "{}", err.message);
        assert!(
            !file.exists(),
            "nothing may be written for rejected settings"
        );
        assert_eq!(
            store.current().language,
            Language::En,
            "the old settings stay"
        );
    }

    #[test]
    fn the_environments_node_wins_over_the_saved_one() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("settings.json");
        SettingsStore::open(file.clone(), None)
            .save(&DesktopSettings {
                node_url: "https://saved.example".to_owned(),
                language: Language::Ru,
            })
            .expect("saves");
        let store = SettingsStore::open(file, Some("http://127.0.0.1:40001"));
        assert_eq!(store.node().as_str(), "http://127.0.0.1:40001");
        assert_eq!(store.current().language, Language::Ru);
    }

    #[test]
    fn an_unusable_environment_node_is_ignored() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = SettingsStore::open(
            dir.path().join("settings.json"),
            Some("http://remote.example"),
        );
        assert_eq!(store.node().as_str(), DEFAULT_NODE_URL);
    }

    #[test]
    fn a_corrupt_file_falls_back_to_defaults() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("settings.json");
        std::fs::write(&file, b"{ not json").expect("write");
        let store = SettingsStore::open(file, None);
        assert_eq!(store.node().as_str(), DEFAULT_NODE_URL);
    }
}
