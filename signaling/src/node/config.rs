//! Node configuration: one TOML file (see `sis.example.toml`), then `SIS_*` environment
//! variables over it. Every field has a default, so a node starts with no configuration.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde::Deserialize;
use sis_customs::CountryCode;

use crate::auth::SessionPolicy;
use crate::node::turn::TurnSecret;

mod external;
mod turn;
pub use external::ExternalConfig;
pub use turn::TurnConfig;

/// How log lines are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// ISO 3166-1 alpha-2 code of the country this node serves. Default `KZ`.
    /// Env `SIS_COUNTRY`.
    pub country: String,
    /// Address of the internal face. Default `127.0.0.1:8080`. Env `SIS_LISTEN`.
    pub listen: SocketAddr,
    /// Folder for the SQLite file, the node's signing key (`node-signing.key`, created at
    /// first start, mode 0600) and other state. Default `data`. Env `SIS_DATA_DIR`.
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`. Default: `sqlite://<data_dir>/sis.sqlite`.
    /// Env `SIS_DATABASE_URL`.
    pub database_url: Option<String>,
    /// Built frontend served at `/`. Default `frontend/dist`. Env `SIS_WEB_DIR`.
    pub web_dir: PathBuf,
    /// PEM certificate chain and key of the internal face. Without them the node speaks
    /// plain HTTP, which it allows only on a loopback address. Env `SIS_TLS_CERT`,
    /// `SIS_TLS_KEY`.
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    /// `text` or `json`. Default `text`. Env `SIS_LOG_FORMAT`.
    pub log_format: LogFormat,
    /// Origins (`https://host:port`) the web UI is served from besides this node's own
    /// address, e.g. behind a reverse proxy; pages from any other origin cannot open the
    /// WebSocket. Default: none.
    pub origins: Vec<String>,
    pub sessions: SessionsConfig,
    pub login: LoginConfig,
    pub limits: LimitsConfig,
    pub media: MediaConfig,
    pub turn: TurnConfig,
    pub external: ExternalConfig,
}

/// The meetings' media server (SFU): one UDP port for every participant's audio and video.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MediaConfig {
    /// Whether the node forwards meeting media. Without it meetings have chat, moderation
    /// and minutes only. Default true. Env `SIS_MEDIA` (`on`/`off`).
    pub enabled: bool,
    /// The UDP address of the SFU; open this port to the officers' networks. Default: the
    /// `listen` address's IP with port 0 (any free port, for a node on one machine).
    /// Env `SIS_MEDIA_UDP`.
    pub udp: Option<SocketAddr>,
    /// Addresses the SFU announces instead of its interfaces' (1:1 NAT: the public address
    /// of a node behind a port forward). Default: none, or 127.0.0.1 when `udp` is on
    /// loopback. Env `SIS_MEDIA_ANNOUNCE`, comma-separated.
    pub announced_ips: Vec<std::net::IpAddr>,
}

impl Default for MediaConfig {
    fn default() -> Self {
        MediaConfig {
            enabled: true,
            udp: None,
            announced_ips: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SessionsConfig {
    /// A session ends this long after login at the latest. Default 720 (12 hours).
    pub lifetime_minutes: u32,
    /// A session ends after this long without a request. Default 30.
    pub idle_minutes: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LoginConfig {
    /// Failed logins for one login from one client address before that pair is locked;
    /// each further failure doubles the wait, from one minute. Default 5.
    pub max_failures: u32,
    /// Failed logins from one address, whatever the login, before the address is locked.
    /// Default 50.
    pub address_budget: u32,
    /// How long failures count, and so how long a lock lasts. Default 15.
    pub lockout_minutes: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LimitsConfig {
    /// Largest JSON body the API accepts, in bytes. Default 65536.
    pub max_body_bytes: usize,
    /// Connections open at once; at the cap the oldest idle one makes room. Default 4096.
    pub max_connections: usize,
    /// Seconds a client has to finish the TLS handshake. Default 10.
    pub tls_handshake_timeout_seconds: u32,
    /// Seconds a new connection has to send its first request's headers. Default 10.
    pub header_read_timeout_seconds: u32,
    /// Seconds a kept-alive connection may wait for its next request. Default 60.
    pub idle_timeout_seconds: u32,
}

impl LimitsConfig {
    /// The connection limits of the internal face.
    pub fn conn_limits(&self) -> crate::node::server::ConnLimits {
        let s = |n: u32| std::time::Duration::from_secs(u64::from(n));
        crate::node::server::ConnLimits {
            max_connections: self.max_connections,
            tls_handshake_timeout: s(self.tls_handshake_timeout_seconds),
            header_read_timeout: s(self.header_read_timeout_seconds),
            idle_timeout: s(self.idle_timeout_seconds),
        }
    }

    fn check(&self) -> anyhow::Result<()> {
        if self.max_connections == 0 {
            bail!("limits.max_connections: must be above 0");
        }
        for (name, v) in [
            (
                "tls_handshake_timeout_seconds",
                self.tls_handshake_timeout_seconds,
            ),
            (
                "header_read_timeout_seconds",
                self.header_read_timeout_seconds,
            ),
            ("idle_timeout_seconds", self.idle_timeout_seconds),
        ] {
            if !(1..=3600).contains(&v) {
                bail!("limits.{name}: must be 1 to 3600 seconds, not {v}");
            }
        }
        Ok(())
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            country: "KZ".into(),
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("data"),
            database_url: None,
            web_dir: PathBuf::from("frontend/dist"),
            tls_cert: None,
            tls_key: None,
            log_format: LogFormat::Text,
            origins: Vec::new(),
            sessions: SessionsConfig::default(),
            login: LoginConfig::default(),
            limits: LimitsConfig::default(),
            media: MediaConfig::default(),
            turn: TurnConfig::default(),
            external: ExternalConfig::default(),
        }
    }
}

impl Default for SessionsConfig {
    fn default() -> Self {
        SessionsConfig {
            lifetime_minutes: 720,
            idle_minutes: 30,
        }
    }
}

impl Default for LoginConfig {
    fn default() -> Self {
        LoginConfig {
            max_failures: 5,
            address_budget: 50,
            lockout_minutes: 15,
        }
    }
}

impl Default for LimitsConfig {
    fn default() -> Self {
        LimitsConfig {
            max_body_bytes: 64 * 1024,
            max_connections: 4096,
            tls_handshake_timeout_seconds: 10,
            header_read_timeout_seconds: 10,
            idle_timeout_seconds: 60,
        }
    }
}

impl Config {
    /// Reads the file (when given) and applies the environment over it.
    pub fn load(file: Option<&Path>) -> anyhow::Result<Config> {
        let mut config = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("reading configuration {}", path.display()))?;
                toml::from_str(&text)
                    .with_context(|| format!("configuration {}", path.display()))?
            }
            None => Config::default(),
        };
        config.apply_env(|k| std::env::var(k).ok())?;
        config.turn.read_secret_file()?;
        config.check()?;
        Ok(config)
    }

    fn apply_env(&mut self, var: impl Fn(&str) -> Option<String>) -> anyhow::Result<()> {
        if let Some(v) = var("SIS_COUNTRY") {
            self.country = v;
        }
        if let Some(v) = var("SIS_LISTEN") {
            self.listen = v
                .parse()
                .with_context(|| format!("SIS_LISTEN: {v:?} is not an address:port"))?;
        }
        if let Some(v) = var("SIS_DATA_DIR") {
            self.data_dir = v.into();
        }
        if let Some(v) = var("SIS_DATABASE_URL") {
            self.database_url = Some(v);
        }
        if let Some(v) = var("SIS_WEB_DIR") {
            self.web_dir = v.into();
        }
        if let Some(v) = var("SIS_TLS_CERT") {
            self.tls_cert = Some(v.into());
        }
        if let Some(v) = var("SIS_TLS_KEY") {
            self.tls_key = Some(v.into());
        }
        if let Some(v) = var("SIS_MEDIA") {
            self.media.enabled = match v.as_str() {
                "on" => true,
                "off" => false,
                _ => bail!("SIS_MEDIA: {v:?} is neither \"on\" nor \"off\""),
            };
        }
        if let Some(v) = var("SIS_MEDIA_UDP") {
            self.media.udp = Some(
                v.parse()
                    .with_context(|| format!("SIS_MEDIA_UDP: {v:?} is not an address:port"))?,
            );
        }
        if let Some(v) = var("SIS_MEDIA_ANNOUNCE") {
            self.media.announced_ips = v
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|ip| {
                    ip.parse()
                        .with_context(|| format!("SIS_MEDIA_ANNOUNCE: {ip:?} is not an IP address"))
                })
                .collect::<anyhow::Result<_>>()?;
        }
        if let Some(v) = var("SIS_TURN_URLS") {
            self.turn.urls = v
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect();
        }
        if let Some(v) = var("SIS_TURN_SECRET_FILE") {
            self.turn.secret_file = Some(v.into());
        }
        if let Some(v) = var("SIS_TURN_SECRET") {
            // Not trimmed: it is the value itself, as coturn's static-auth-secret takes it.
            self.turn.secret = Some(TurnSecret::new(v));
        }
        if let Some(v) = var("SIS_TURN_LIFETIME_MINUTES") {
            self.turn.lifetime_minutes = v.parse().with_context(|| {
                format!("SIS_TURN_LIFETIME_MINUTES: {v:?} is not a number of minutes")
            })?;
        }
        if let Some(v) = var("SIS_LOG_FORMAT") {
            self.log_format = match v.as_str() {
                "text" => LogFormat::Text,
                "json" => LogFormat::Json,
                _ => bail!("SIS_LOG_FORMAT: {v:?} is neither \"text\" nor \"json\""),
            };
        }
        self.external.apply_env(&var)
    }

    fn check(&self) -> anyhow::Result<()> {
        CountryCode::parse(&self.country).context("country")?;
        if self.tls_cert.is_some() != self.tls_key.is_some() {
            bail!("tls_cert and tls_key: set both or neither");
        }
        if self.tls_cert.is_none() && !self.listen.ip().is_loopback() {
            bail!(
                "listen: {} is not a loopback address, and plain HTTP is allowed only on \
                 loopback; set tls_cert and tls_key",
                self.listen
            );
        }
        if self.sessions.idle_minutes == 0 || self.sessions.lifetime_minutes == 0 {
            bail!("sessions: lifetime_minutes and idle_minutes must be above 0");
        }
        if self.login.max_failures == 0 {
            bail!("login.max_failures must be above 0");
        }
        if self.login.address_budget < self.login.max_failures {
            bail!("login.address_budget: must be at least login.max_failures");
        }
        self.limits.check()?;
        self.turn.check()?;
        self.external.check()
    }

    /// The SFU's UDP address: `media.udp`, or the listening IP with any free port.
    pub fn media_udp(&self) -> SocketAddr {
        self.media
            .udp
            .unwrap_or_else(|| SocketAddr::new(self.listen.ip(), 0))
    }

    /// The addresses the SFU announces: `media.announced_ips`, or 127.0.0.1 for a loopback
    /// socket (which offers no candidates of its own otherwise).
    pub fn media_announced_ips(&self) -> Vec<std::net::IpAddr> {
        let udp = self.media_udp();
        if self.media.announced_ips.is_empty() && udp.ip().is_loopback() {
            vec![udp.ip()]
        } else {
            self.media.announced_ips.clone()
        }
    }

    /// The database URL, defaulting to a SQLite file in the data folder.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!("sqlite://{}", self.data_dir.join("sis.sqlite").display()),
        }
    }

    pub fn country_code(&self) -> CountryCode {
        // `check` ran in `load`; a Config built in code is checked here instead.
        CountryCode::parse(&self.country).unwrap_or(sis_customs::CAREC_MEMBERS[5])
    }

    pub fn session_policy(&self) -> SessionPolicy {
        let minutes = |m: u32| i64::from(m) * 60_000;
        SessionPolicy {
            lifetime_ms: minutes(self.sessions.lifetime_minutes),
            idle_ms: minutes(self.sessions.idle_minutes),
            max_failures: i64::from(self.login.max_failures),
            address_budget: i64::from(self.login.address_budget),
            failure_window_ms: minutes(self.login.lockout_minutes),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn defaults_run() {
        let c = Config::default();
        c.check().expect("defaults are valid");
        assert_eq!(c.database_url(), "sqlite://data/sis.sqlite");
    }

    #[test]
    fn environment_overrides_the_file() {
        let mut c: Config =
            toml::from_str("country = \"KG\"\nlisten = \"127.0.0.1:9000\"").expect("valid toml");
        c.apply_env(env(&[
            ("SIS_COUNTRY", "UZ"),
            ("SIS_DATA_DIR", "/var/lib/sis"),
        ]))
        .expect("valid env");
        assert_eq!(c.country, "UZ");
        assert_eq!(c.listen.port(), 9000);
        assert_eq!(c.database_url(), "sqlite:///var/lib/sis/sis.sqlite");
    }

    #[test]
    fn the_example_file_is_a_valid_configuration() {
        let c: Config = toml::from_str(include_str!("../../sis.example.toml"))
            .expect("sis.example.toml parses");
        c.check().expect("and is valid");
        assert!(c.media.enabled);
        assert_eq!(
            c.turn.lifetime_minutes,
            TurnConfig::default().lifetime_minutes
        );
        assert!(c.turn.urls.is_empty(), "TURN is off unless configured");
    }

    #[test]
    fn the_example_files_turn_lines_are_valid_once_uncommented() {
        let example = include_str!("../../sis.example.toml");
        let (before, turn) = example.split_once("[turn]").expect("a [turn] section");
        let turn = turn
            .replace("# urls =", "urls =")
            .replace("# secret_file =", "secret_file =");
        let mut c: Config = toml::from_str(&format!("{before}[turn]{turn}")).expect("parses");
        assert_eq!(c.turn.urls.len(), 2);
        assert!(c.turn.secret_file.is_some());
        c.turn.secret = Some(TurnSecret::new("from the file"));
        c.check().expect("valid");
    }

    #[test]
    fn media_listens_where_the_node_does_and_announces_loopback_there() {
        let mut c = Config::default();
        assert_eq!(c.media_udp(), SocketAddr::from(([127, 0, 0, 1], 0)));
        assert_eq!(
            c.media_announced_ips(),
            ["127.0.0.1".parse::<std::net::IpAddr>().unwrap()]
        );
        c.apply_env(env(&[
            ("SIS_MEDIA_UDP", "0.0.0.0:3479"),
            ("SIS_MEDIA_ANNOUNCE", "203.0.113.10, 198.51.100.7"),
        ]))
        .expect("valid env");
        assert_eq!(c.media_udp(), SocketAddr::from(([0, 0, 0, 0], 3479)));
        assert_eq!(c.media_announced_ips().len(), 2);
        for (name, value) in [
            ("SIS_MEDIA", "yes"),
            ("SIS_MEDIA_UDP", "3479"),
            ("SIS_MEDIA_ANNOUNCE", "node.example"),
        ] {
            let err = Config::default()
                .apply_env(env(&[(name, value)]))
                .expect_err("bad");
            assert!(err.to_string().starts_with(name), "{err}");
        }
        c.apply_env(env(&[("SIS_MEDIA", "off")])).expect("valid");
        assert!(!c.media.enabled);
    }

    #[test]
    fn turn_comes_from_the_environment_and_its_secret_never_prints() {
        let mut c = Config::default();
        c.apply_env(env(&[
            (
                "SIS_TURN_URLS",
                "turn:turn.example.org:3478?transport=udp, turns:turn.example.org:5349?transport=tcp",
            ),
            ("SIS_TURN_SECRET", "north-wind-4f1c9a"),
            ("SIS_TURN_LIFETIME_MINUTES", "60"),
        ]))
        .expect("valid env");
        c.turn.read_secret_file().expect("no file to read");
        c.check().expect("valid");
        assert_eq!(c.turn.urls.len(), 2);
        assert_eq!(c.turn.lifetime_s(), 3600);
        assert!(!format!("{c:?}").contains("north-wind"), "{c:?}");
    }

    #[test]
    fn the_exchange_waits_and_witnesses_as_configured_or_as_the_protocol_says() {
        use std::time::Duration;
        let c = Config::default();
        assert_eq!(c.external.max_backoff(), Duration::from_secs(300));
        assert_eq!(c.external.witness_every(), Duration::from_secs(30));
        let c: Config = toml::from_str("[external]\nmax_backoff_seconds = 5\nwitness_seconds = 2")
            .expect("parses");
        c.check().expect("valid");
        assert_eq!(c.external.max_backoff(), Duration::from_secs(5));
        assert_eq!(c.external.witness_every(), Duration::from_secs(2));
    }

    #[test]
    fn bad_values_name_their_field() {
        let mut c = Config::default();
        let err = c
            .apply_env(env(&[("SIS_LISTEN", "everywhere")]))
            .expect_err("bad");
        assert!(err.to_string().starts_with("SIS_LISTEN"), "{err}");

        let c = Config {
            country: "XX".into(),
            ..Config::default()
        };
        assert!(format!("{:#}", c.check().expect_err("XX")).starts_with("country"));

        let c = Config {
            listen: "0.0.0.0:8080".parse().expect("addr"),
            ..Config::default()
        };
        assert!(
            c.check()
                .expect_err("plain http")
                .to_string()
                .starts_with("listen")
        );

        let err = Config::default()
            .apply_env(env(&[("SIS_TURN_LIFETIME_MINUTES", "12h")]))
            .expect_err("not minutes");
        assert!(
            err.to_string().starts_with("SIS_TURN_LIFETIME_MINUTES"),
            "{err}"
        );

        for (toml, field) in [
            ("max_backoff_seconds = 0", "external.max_backoff_seconds"),
            ("max_backoff_seconds = 301", "external.max_backoff_seconds"),
            ("witness_seconds = 0", "external.witness_seconds"),
        ] {
            let c: Config = toml::from_str(&format!("[external]\n{toml}")).expect("parses");
            let err = c.check().expect_err(toml).to_string();
            assert!(err.starts_with(field), "{toml}: {err}");
        }

        let err = toml::from_str::<Config>("contry = \"KZ\"").expect_err("typo");
        assert!(err.to_string().contains("contry"), "{err}");
    }
}
