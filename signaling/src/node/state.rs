//! What every request handler is handed.

use std::sync::Arc;

use sis_customs::CountryCode;
use tokio::sync::broadcast;

use crate::auth::{PasswordPool, SessionPolicy};
use crate::external::exchange::Exchange;
use crate::ids::SessionId;
use crate::modules::letters::Files;
use crate::modules::meetings::{Meetings, NoMedia, SharedMedia};
use crate::node::key::NodeKey;
use crate::node::metrics::Metrics;
use crate::node::turn::IceServerIssuer;
use crate::store::Store;
use sis_exchange::KeyId;

/// Something that happened which open WebSockets may need to hear about.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum HubEvent {
    /// These sessions were ended (logout); their sockets close.
    SessionEnded { session_id: SessionId },
}

/// Shared state of the internal face; cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState {
    pub store: Store,
    pub country: CountryCode,
    pub policy: SessionPolicy,
    /// Where login passwords are verified: a bounded number at a time.
    pub passwords: PasswordPool,
    pub max_body_bytes: usize,
    pub metrics: Arc<Metrics>,
    pub hub: broadcast::Sender<HubEvent>,
    /// How often an open WebSocket re-checks its session (catches expiry, disabling).
    pub ws_recheck: std::time::Duration,
    /// How long a new WebSocket has to send its `auth` message. Default 10 s.
    pub ws_auth_deadline: std::time::Duration,
    /// Live meeting rooms, the media server behind them and the key that signs minutes.
    pub meetings: Meetings,
    /// The STUN and TURN servers officers' meeting connections use; none by default.
    pub ice: IceServerIssuer,
    /// Origins of the web UI besides the node's own address (`scheme://host:port`): a page
    /// from anywhere else may not open the WebSocket.
    pub origins: Vec<String>,
    /// Whether the node is reached over TLS: responses then carry HSTS.
    pub tls: bool,
    /// Letters' files (`<data_dir>/files`).
    pub letter_files: Files,
    /// Envelopes to and from other member countries, and the node's log.
    pub exchange: Arc<Exchange>,
}

impl AppState {
    /// State over `store`; letters' files go under `files_dir`.
    pub fn new(
        store: Store,
        country: CountryCode,
        policy: SessionPolicy,
        files_dir: std::path::PathBuf,
    ) -> AppState {
        let exchange = Arc::new(Exchange::new(
            store.clone(),
            country,
            NodeKey::ephemeral(),
            default_kid(country),
        ));
        AppState {
            store: store.clone(),
            country,
            policy,
            passwords: PasswordPool::for_this_machine(),
            max_body_bytes: 64 * 1024,
            metrics: Arc::new(Metrics::new()),
            hub: broadcast::channel(1024).0,
            ws_recheck: std::time::Duration::from_secs(30),
            ws_auth_deadline: std::time::Duration::from_secs(10),
            // Without a stored key or a media server the node still runs meetings: the
            // minutes are signed by a key that lives as long as the process.
            meetings: Meetings::new(store, NodeKey::ephemeral(), Arc::new(NoMedia)),
            ice: IceServerIssuer::default(),
            origins: Vec::new(),
            tls: false,
            letter_files: Files::new(files_dir),
            exchange,
        }
    }

    /// The exchange `exchange` (its key, its network) in place of the default one.
    pub fn with_exchange(mut self, exchange: Arc<Exchange>) -> AppState {
        self.exchange = exchange;
        self
    }

    /// Meetings signed with `key` and carried by `media`.
    pub fn with_meetings(mut self, key: NodeKey, media: SharedMedia) -> AppState {
        self.meetings = Meetings::new(self.store.clone(), key, media);
        self
    }
}

/// The key id of a node's signing key when the configuration names none: `kz-1`.
pub fn default_kid(country: CountryCode) -> KeyId {
    KeyId::parse(&format!("{}-1", country.as_str().to_ascii_lowercase()))
        .expect("a country code makes a valid key id")
}

/// Milliseconds since the Unix epoch. The one place the node reads the wall clock for
/// request handling; the auth core takes `now` as an argument.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
