//! Prometheus metrics of the node, exposed as text at `/metrics`.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    /// One of the standard methods or `OTHER`: a client may send any token as a method,
    /// and each would otherwise become a series of its own.
    pub method: &'static str,
    /// The route pattern (`/api/v1/me`), never the raw path, so cardinality stays bounded.
    pub route: String,
    pub status: u16,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct LoginLabels {
    pub outcome: String,
}

/// The label of a request's method, from a fixed set.
pub fn method_label(method: &axum::http::Method) -> &'static str {
    use axum::http::Method as M;
    const KNOWN: [M; 9] = [
        M::GET,
        M::HEAD,
        M::POST,
        M::PUT,
        M::DELETE,
        M::CONNECT,
        M::OPTIONS,
        M::TRACE,
        M::PATCH,
    ];
    KNOWN
        .iter()
        .find(|m| *m == method)
        .map(|m| m.as_str())
        .unwrap_or("OTHER")
}

#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    pub requests: Family<RequestLabels, Counter>,
    pub logins: Family<LoginLabels, Counter>,
    pub websockets: Gauge,
    /// Connections open on the internal face (after the TLS handshake or not).
    pub connections_open: Gauge,
    /// Idle connections closed to make room for a new one at the connection cap.
    pub connections_evicted: Counter,
    /// Connections closed at once because every open one was busy.
    pub connections_refused: Counter,
    /// Logins answered `503` because every password-hashing slot stayed busy.
    pub logins_shed: Counter,
    /// Forks of peers' logs this node detected (two conflicting signed checkpoints).
    pub log_forks: Counter,
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("sis");
        let requests = Family::<RequestLabels, Counter>::default();
        let logins = Family::<LoginLabels, Counter>::default();
        let websockets = Gauge::default();
        let connections_open = Gauge::default();
        let connections_evicted = Counter::default();
        let connections_refused = Counter::default();
        let logins_shed = Counter::default();
        let log_forks = Counter::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by route and status",
            requests.clone(),
        );
        registry.register("logins", "Login attempts by outcome", logins.clone());
        registry.register(
            "websockets_open",
            "Authenticated WebSockets currently open",
            websockets.clone(),
        );
        registry.register(
            "connections_open",
            "Connections open on the internal face",
            connections_open.clone(),
        );
        registry.register(
            "connections_evicted",
            "Idle connections closed to make room at the connection cap",
            connections_evicted.clone(),
        );
        registry.register(
            "connections_refused",
            "Connections closed at once because every open one was busy",
            connections_refused.clone(),
        );
        registry.register(
            "logins_shed",
            "Logins refused with 503 because password hashing was saturated",
            logins_shed.clone(),
        );
        registry.register(
            "log_forks_detected",
            "Peers' logs seen to fork: two conflicting signed checkpoints, kept as evidence",
            log_forks.clone(),
        );
        Metrics {
            registry,
            requests,
            logins,
            websockets,
            connections_open,
            connections_evicted,
            connections_refused,
            logins_shed,
            log_forks,
        }
    }

    pub fn encode(&self) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invented_methods_share_one_label() {
        let invented = axum::http::Method::from_bytes(b"BREW").expect("a valid token");
        assert_eq!(method_label(&invented), "OTHER");
        assert_eq!(method_label(&axum::http::Method::PATCH), "PATCH");
    }
}
