//! Test harness: real databases (a SQLite file in a temp dir; PostgreSQL when
//! `SIS_TEST_POSTGRES_URL` is set) and a real node on a port-0 loopback listener.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::Arc;

pub mod network;

use sis_customs::CountryCode;
use sis_proto::Role;
use sis_signaling::auth::{PasswordPool, SessionPolicy};
use sis_signaling::modules::meetings::SharedMedia;
use sis_signaling::node::key::NodeKey;
use sis_signaling::node::metrics::Metrics;
use sis_signaling::node::server::ConnLimits;
use sis_signaling::node::state::AppState;
use sis_signaling::node::turn::IceServerIssuer;
use sis_signaling::officer::{self, AddOfficer};
use sis_signaling::store::Store;
use tokio::sync::oneshot;

/// A database for one test; dropped with the test.
pub enum TestDb {
    Sqlite(tempfile::TempDir),
    Postgres { url: String },
}

impl TestDb {
    pub fn sqlite() -> TestDb {
        TestDb::Sqlite(tempfile::tempdir().expect("temp dir"))
    }

    /// A fresh database on the PostgreSQL server of `SIS_TEST_POSTGRES_URL`; `None` (and a
    /// note) when it is unset, unless `SIS_TEST_REQUIRE_POSTGRES=1`, which `cargo xtask test`
    /// sets so the PostgreSQL half of the suite can never be skipped silently in CI.
    pub async fn postgres() -> Option<TestDb> {
        let Ok(base) = std::env::var("SIS_TEST_POSTGRES_URL") else {
            assert!(
                std::env::var("SIS_TEST_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                "SIS_TEST_REQUIRE_POSTGRES=1 but SIS_TEST_POSTGRES_URL is not set"
            );
            eprintln!("note: SIS_TEST_POSTGRES_URL unset; PostgreSQL half skipped");
            return None;
        };
        use sqlx::Connection;
        let name = format!("t_{}", uuid_like());
        let mut admin = sqlx::PgConnection::connect(&base)
            .await
            .expect("connect to the test PostgreSQL server");
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await
            .expect("create a test database");
        let url = match base.rfind('/') {
            Some(i) if i > "postgres://".len() => format!("{}/{name}", &base[..i]),
            _ => format!("{base}/{name}"),
        };
        Some(TestDb::Postgres { url })
    }

    /// A SQLite database, and a PostgreSQL one when the server is configured: for tests
    /// that must hold on both.
    pub async fn each() -> Vec<TestDb> {
        let mut dbs = vec![TestDb::sqlite()];
        dbs.extend(TestDb::postgres().await);
        dbs
    }

    pub fn url(&self) -> String {
        match self {
            TestDb::Sqlite(dir) => format!("sqlite://{}", dir.path().join("sis.sqlite").display()),
            TestDb::Postgres { url } => url.clone(),
        }
    }

    pub async fn open(&self) -> Store {
        Store::open(&self.url()).await.expect("open the store")
    }
}

fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!(
        "{}_{}_{}",
        std::process::id(),
        t,
        N.fetch_add(1, Ordering::Relaxed)
    )
}

pub const PASSWORD: &str = "correct horse battery";

/// Adds an account with [`PASSWORD`].
pub async fn add_officer(store: &Store, login: &str, role: Role) {
    add_officer_of(store, login, role, "KZ").await
}

/// Adds an account with [`PASSWORD`] on the node of `country`.
pub async fn add_officer_of(store: &Store, login: &str, role: Role, country: &str) {
    officer::add(
        store,
        &AddOfficer {
            login,
            name: &format!("Officer {login}"),
            role,
            agency: "Almaty customs",
            country,
        },
        PASSWORD,
    )
    .await
    .expect("add officer");
}

/// A node serving on a loopback port; stops when dropped.
pub struct TestNode {
    pub addr: SocketAddr,
    pub store: Store,
    pub base: String,
    stop: Option<oneshot::Sender<()>>,
    pub db: TestDb,
    /// The key the node signs meeting minutes with.
    pub node_key: ed25519_dalek::VerifyingKey,
    pub metrics: Arc<Metrics>,
    /// Letters' files.
    pub files: tempfile::TempDir,
    pub exchange: Arc<sis_signaling::external::exchange::Exchange>,
    stop_external: Option<oneshot::Sender<()>>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

/// How a test node differs from the default one.
#[derive(Default)]
pub struct NodeSetup {
    pub tls: Option<Arc<rustls::ServerConfig>>,
    pub policy: SessionPolicy,
    pub media: Option<SharedMedia>,
    pub ice: IceServerIssuer,
    pub limits: ConnLimits,
    pub web_dir: Option<std::path::PathBuf>,
    pub origins: Vec<String>,
    pub passwords: Option<PasswordPool>,
    /// The node's country; default KZ.
    pub country: Option<&'static str>,
    /// Joins a network: an external face and a connected exchange.
    pub network: Option<network::Join>,
}

impl TestNode {
    pub async fn start() -> TestNode {
        Self::start_with(TestDb::sqlite(), None, SessionPolicy::default()).await
    }

    pub async fn start_with(
        db: TestDb,
        tls: Option<Arc<rustls::ServerConfig>>,
        policy: SessionPolicy,
    ) -> TestNode {
        Self::start_full(db, tls, policy, None, IceServerIssuer::default()).await
    }

    /// A node whose meetings use `media` as their media server.
    pub async fn start_with_media(media: SharedMedia) -> TestNode {
        Self::start_full(
            TestDb::sqlite(),
            None,
            SessionPolicy::default(),
            Some(media),
            IceServerIssuer::default(),
        )
        .await
    }

    /// A node that hands officers `ice` as their meetings' ICE servers.
    pub async fn start_with_ice_servers(ice: IceServerIssuer) -> TestNode {
        Self::start_full(TestDb::sqlite(), None, SessionPolicy::default(), None, ice).await
    }

    async fn start_full(
        db: TestDb,
        tls: Option<Arc<rustls::ServerConfig>>,
        policy: SessionPolicy,
        media: Option<SharedMedia>,
        ice: IceServerIssuer,
    ) -> TestNode {
        let setup = NodeSetup {
            tls,
            policy,
            media,
            ice,
            ..NodeSetup::default()
        };
        Self::start_setup(db, setup).await
    }

    /// A node as `setup` describes it.
    pub async fn start_setup(db: TestDb, setup: NodeSetup) -> TestNode {
        let store = db.open().await;
        let files = tempfile::tempdir().expect("files dir");
        let country = CountryCode::parse(setup.country.unwrap_or("KZ")).expect("country");
        let mut state = AppState::new(
            store.clone(),
            country,
            setup.policy,
            files.path().to_owned(),
        );
        if let Some(media) = setup.media {
            state = state.with_meetings(NodeKey::ephemeral(), media);
        }
        state.ice = setup.ice;
        state.max_body_bytes = 4096;
        state.ws_recheck = std::time::Duration::from_millis(200);
        state.ws_auth_deadline = std::time::Duration::from_millis(500);
        state.tls = setup.tls.is_some();
        state.origins = setup.origins;
        if let Some(passwords) = setup.passwords {
            state.passwords = passwords;
        }
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind port 0");
        let addr = listener.local_addr().expect("local addr");
        let scheme = if setup.tls.is_some() { "https" } else { "http" };
        let (stop, stopped) = oneshot::channel::<()>();
        let node_key = state.meetings.node_key().public();
        let metrics = state.metrics.clone();
        let (mut stop_external, mut tasks) = (None, Vec::new());
        if let Some(join) = setup.network {
            let (exchange, face) = join.prepare(store.clone(), country, state.letter_files.clone());
            state = state.with_exchange(exchange.clone());
            let (stop, stopped) = oneshot::channel::<()>();
            tasks = sis_signaling::external::start::spawn(exchange, face, setup.limits, async {
                let _ = stopped.await;
            })
            .expect("external face");
            stop_external = Some(stop);
        }
        let exchange = state.exchange.clone();
        let app = sis_signaling::internal::app(state, setup.web_dir.as_deref());
        tokio::spawn(sis_signaling::node::server::serve_with(
            listener,
            setup.tls,
            app,
            setup.limits,
            Some(metrics.clone()),
            async {
                let _ = stopped.await;
            },
        ));
        TestNode {
            addr,
            base: format!("{scheme}://{addr}"),
            store,
            stop: Some(stop),
            db,
            node_key,
            metrics,
            files,
            exchange,
            stop_external,
            tasks,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Stops the node (its faces close, its workers end) and hands back its database, for
    /// a restart on the same store.
    pub async fn stop(mut self) -> TestDb {
        let db = std::mem::replace(&mut self.db, TestDb::sqlite());
        drop(self);
        // The listeners close when their accept loops see the stop.
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        db
    }

    /// Logs in and returns the bearer token.
    pub async fn login(&self, client: &reqwest::Client, login: &str) -> String {
        let resp = client
            .post(self.url("/api/v1/session"))
            .json(&serde_json::json!({"login": login, "password": PASSWORD}))
            .send()
            .await
            .expect("request");
        assert_eq!(resp.status(), 200, "login of {login} should succeed");
        let body: sis_proto::LoginResponse = resp.json().await.expect("login response");
        body.token
    }

    /// The node's `/metrics` text, read with `token`'s session.
    pub async fn metrics_text(&self, client: &reqwest::Client, token: &str) -> String {
        let resp = client
            .get(self.url("/metrics"))
            .bearer_auth(token)
            .send()
            .await
            .expect("metrics");
        assert_eq!(resp.status(), 200, "metrics with this session");
        resp.text().await.expect("text")
    }
}

impl Drop for TestNode {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(stop) = self.stop_external.take() {
            let _ = stop.send(());
        }
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// 2020-01-01T00:00:00Z, when the expired certificate ends.
pub const EXPIRED_AT: u64 = 1_577_836_800;

/// A test CA and two leaves it signed for localhost and 127.0.0.1, written in `dir`:
/// `node.crt`/`node.key`, valid now, and `expired.crt`/`expired.key`, that ended at
/// [`EXPIRED_AT`].
pub struct Pki {
    pub ca_pem: String,
    pub dir: tempfile::TempDir,
}

impl Pki {
    pub fn generate() -> Pki {
        use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};
        let ca_key = KeyPair::generate().expect("ca key");
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("ca params");
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "SIS test CA");
        let ca = ca_params.self_signed(&ca_key).expect("ca cert");
        let dir = tempfile::tempdir().expect("dir");
        for (name, expired) in [("node", false), ("expired", true)] {
            let key = KeyPair::generate().expect("key");
            let mut params =
                CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()])
                    .expect("params");
            if expired {
                params.not_before = rcgen::date_time_ymd(2019, 1, 1);
                params.not_after = rcgen::date_time_ymd(2020, 1, 1);
            }
            let cert = params.signed_by(&key, &ca, &ca_key).expect("leaf");
            std::fs::write(dir.path().join(format!("{name}.crt")), cert.pem()).expect("write");
            std::fs::write(dir.path().join(format!("{name}.key")), key.serialize_pem())
                .expect("write");
        }
        Pki {
            ca_pem: ca.pem(),
            dir,
        }
    }

    pub fn path(&self, name: &str) -> std::path::PathBuf {
        self.dir.path().join(name)
    }

    /// The node's TLS configuration with the valid leaf.
    pub fn server_config(&self) -> Arc<rustls::ServerConfig> {
        sis_signaling::node::tls::server_config(&self.path("node.crt"), &self.path("node.key"))
            .expect("tls config")
    }

    /// A client that trusts the test CA.
    pub fn client(&self) -> reqwest::Client {
        let ca = reqwest::Certificate::from_pem(self.ca_pem.as_bytes()).expect("ca");
        reqwest::Client::builder()
            .add_root_certificate(ca)
            .build()
            .expect("client")
    }
}
