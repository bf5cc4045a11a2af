//! What every request handler is handed.

use std::sync::Arc;

use sis_customs::CountryCode;
use tokio::sync::broadcast;

use crate::auth::SessionPolicy;
use crate::metrics::Metrics;
use crate::store::Store;

/// Something that happened which open WebSockets may need to hear about.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum HubEvent {
    /// These sessions were ended (logout); their sockets close.
    SessionEnded { session_id: i64 },
}

/// Shared state of the internal face; cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState {
    pub store: Store,
    pub country: CountryCode,
    pub policy: SessionPolicy,
    pub max_body_bytes: usize,
    pub metrics: Arc<Metrics>,
    pub hub: broadcast::Sender<HubEvent>,
    /// How often an open WebSocket re-checks its session (catches expiry, disabling).
    pub ws_recheck: std::time::Duration,
}

impl AppState {
    pub fn new(store: Store, country: CountryCode, policy: SessionPolicy) -> AppState {
        AppState {
            store,
            country,
            policy,
            max_body_bytes: 64 * 1024,
            metrics: Arc::new(Metrics::new()),
            hub: broadcast::channel(1024).0,
            ws_recheck: std::time::Duration::from_secs(30),
        }
    }
}

/// Milliseconds since the Unix epoch. The one place the node reads the wall clock for
/// request handling; the auth core takes `now` as an argument.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
