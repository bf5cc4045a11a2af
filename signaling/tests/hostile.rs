//! The internal face against clients that misbehave: stalled and slow connections, stalled
//! TLS handshakes, invented methods and paths, and the HTTP hygiene a browser relies on.

mod common;

use std::time::Duration;

use common::{NodeSetup, Pki, TestDb, TestNode, add_officer};
use sis_proto::Role;
use sis_signaling::node::server::ConnLimits;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Short limits, so that a test sees them act.
fn tight() -> ConnLimits {
    ConnLimits {
        max_connections: 64,
        tls_handshake_timeout: Duration::from_secs(1),
        header_read_timeout: Duration::from_secs(1),
        idle_timeout: Duration::from_secs(2),
    }
}

async fn node_with(limits: ConnLimits, tls: Option<&Pki>) -> TestNode {
    let setup = NodeSetup {
        limits,
        tls: tls.map(Pki::server_config),
        ..NodeSetup::default()
    };
    TestNode::start_setup(TestDb::sqlite(), setup).await
}

/// Whether the node closes `stream` within `within` (end of stream or a reset).
async fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    let mut buf = [0u8; 1024];
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            // A 408 or similar before the close is fine; keep reading to the end.
            Ok(Ok(_)) => {}
        }
    }
}

/// A fresh connection for every request, so each must get past the connection cap.
fn fresh_client() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client")
}

#[tokio::test]
async fn stalled_connections_neither_stay_nor_keep_real_clients_out() {
    let node = node_with(tight(), None).await;
    // Far more half-sent requests than the cap allows.
    let mut stalled = Vec::new();
    for _ in 0..600 {
        let mut s = TcpStream::connect(node.addr).await.expect("connect");
        let _ = s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").await;
        stalled.push(s);
    }
    let c = fresh_client();
    for i in 0..20 {
        let resp = c
            .get(node.url("/healthz"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("health check {i} among stalled connections: {e}"));
        assert_eq!(resp.status(), 200);
    }
    assert!(
        node.metrics.connections_evicted.get() > 0,
        "the cap made room by closing stalled connections"
    );
    // The last stalled connection (not evicted: newer ones were admitted after it) is
    // closed by the header timeout.
    let mut last = stalled.pop().expect("one");
    assert!(
        closed_within(&mut last, Duration::from_secs(5)).await,
        "a connection that never finishes its headers is closed"
    );
}

/// At the cap, the oldest idle connection is closed at once, long before any timeout
/// would close it: the cap holds for sockets, not only in the node's count.
#[tokio::test]
async fn at_the_cap_the_oldest_idle_connection_is_closed_at_once() {
    let patient = ConnLimits {
        header_read_timeout: Duration::from_secs(60),
        idle_timeout: Duration::from_secs(60),
        ..tight()
    };
    let node = node_with(patient, None).await;
    let mut stalled = Vec::new();
    for _ in 0..64 {
        let mut s = TcpStream::connect(node.addr).await.expect("connect");
        let _ = s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").await;
        stalled.push(s);
    }
    let mut oldest = stalled.remove(0);
    let mut second = stalled.remove(0);
    let resp = fresh_client()
        .get(node.url("/healthz"))
        .send()
        .await
        .expect("a health check at the cap");
    assert_eq!(resp.status(), 200);
    assert!(
        closed_within(&mut oldest, Duration::from_secs(5)).await,
        "the oldest stalled connection made room"
    );
    assert!(
        !closed_within(&mut second, Duration::from_millis(300)).await,
        "only one connection was closed for one newcomer"
    );
    assert_eq!(node.metrics.connections_evicted.get(), 1);
}

#[tokio::test]
async fn a_kept_alive_connection_is_closed_after_the_idle_timeout() {
    let node = node_with(tight(), None).await;
    let mut s = TcpStream::connect(node.addr).await.expect("connect");
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .expect("send");
    let mut buf = vec![0u8; 4096];
    let n = s.read(&mut buf).await.expect("answer");
    assert!(buf[..n].starts_with(b"HTTP/1.1 200"), "{:?}", &buf[..n]);
    assert!(
        closed_within(&mut s, Duration::from_secs(6)).await,
        "an idle kept-alive connection is closed"
    );
}

#[tokio::test]
async fn a_stalled_tls_handshake_is_closed_and_tls_answers_carry_hsts() {
    let pki = Pki::generate();
    let node = node_with(tight(), Some(&pki)).await;
    let mut silent = TcpStream::connect(node.addr).await.expect("connect");
    assert!(
        closed_within(&mut silent, Duration::from_secs(5)).await,
        "a client that never starts its handshake is closed"
    );
    let resp = pki
        .client()
        .get(format!("https://localhost:{}/healthz", node.addr.port()))
        .send()
        .await
        .expect("https");
    assert_eq!(resp.status(), 200);
    assert_eq!(
        resp.headers()
            .get("strict-transport-security")
            .and_then(|v| v.to_str().ok()),
        Some("max-age=31536000")
    );
    assert_eq!(resp.version(), reqwest::Version::HTTP_11, "HTTP/1.1 only");
}

/// The number of `sis_http_requests` series in the node's metrics.
async fn request_series(node: &TestNode, c: &reqwest::Client, token: &str) -> Vec<String> {
    let text = node.metrics_text(c, token).await;
    text.lines()
        .filter(|l| l.starts_with("sis_http_requests_total{"))
        .map(|l| {
            l.rsplit_once(' ')
                .map_or(l, |(series, _)| series)
                .to_owned()
        })
        .collect()
}

#[tokio::test]
async fn invented_methods_and_paths_add_no_metric_series() {
    let node = TestNode::start().await;
    add_officer(&node.store, "k.admin", Role::Admin).await;
    let c = reqwest::Client::new();
    let token = node.login(&c, "k.admin").await;
    let invent = |round: u32, i: u32| {
        let method = reqwest::Method::from_bytes(format!("M{round}X{i}").as_bytes())
            .expect("a method token");
        let path = format!("/r{round}/{i}/x");
        (method, path)
    };
    let send_round = |round: u32, n: u32| {
        let (c, node) = (&c, &node);
        async move {
            for i in 0..n {
                let (method, path) = invent(round, i);
                c.request(method, node.url(&path))
                    .send()
                    .await
                    .expect("send");
                let (method, _) = invent(round, i + n);
                c.request(method, node.url("/api/v1/me"))
                    .send()
                    .await
                    .expect("send");
            }
        }
    };
    send_round(0, 20).await;
    // Reading the metrics is a request too: its series exists from the first reading on.
    request_series(&node, &c, &token).await;
    let before = request_series(&node, &c, &token).await;
    send_round(1, 1000).await;
    let after = request_series(&node, &c, &token).await;
    assert_eq!(before, after, "2,000 more invented requests, no new series");
    assert!(
        after
            .iter()
            .all(|s| !s.contains("M0X") && !s.contains("/r0/")),
        "neither methods nor raw paths are labels: {after:?}"
    );
}

#[tokio::test]
async fn the_web_ui_has_no_open_redirect_and_api_answers_are_not_cached() {
    let web = tempfile::tempdir().expect("dir");
    std::fs::write(
        web.path().join("index.html"),
        "<!doctype html><title>SIS</title>",
    )
    .expect("index");
    std::fs::create_dir(web.path().join("assets")).expect("assets");
    std::fs::write(web.path().join("assets/app.css"), "body{}").expect("css");
    let node = TestNode::start_setup(
        TestDb::sqlite(),
        NodeSetup {
            web_dir: Some(web.path().to_owned()),
            ..NodeSetup::default()
        },
    )
    .await;
    add_officer(&node.store, "a.ivanov", Role::Officer).await;
    // A raw request: an HTTP client would normalise the path.
    for path in ["//assets", "//evil.example/", "/assets"] {
        let mut s = TcpStream::connect(node.addr).await.expect("connect");
        s.write_all(
            format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes(),
        )
        .await
        .expect("send");
        let mut answer = String::new();
        s.read_to_string(&mut answer).await.expect("read");
        let head = answer
            .split("\r\n\r\n")
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        assert!(!head.contains("\r\nlocation:"), "{path} redirects: {head}");
        assert!(head.starts_with("http/1.1 200"), "{path}: {head}");
    }
    let c = reqwest::Client::new();
    let resp = c
        .post(node.url("/api/v1/session"))
        .json(&serde_json::json!({"login": "a.ivanov", "password": common::PASSWORD}))
        .send()
        .await
        .expect("login");
    assert_eq!(resp.status(), 200);
    assert_eq!(
        resp.headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("no-store"),
        "a response with a token is never cached"
    );
    assert!(
        resp.headers().get("strict-transport-security").is_none(),
        "no HSTS on plain HTTP"
    );
    let csp = resp
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        csp.contains("connect-src 'self';") && !csp.contains("ws:"),
        "the page connects to its own node only: {csp}"
    );
}
