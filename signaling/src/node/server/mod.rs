//! Serving the internal face on a listener it is handed, until `shutdown` resolves; then
//! open requests get a grace period to finish.
//!
//! HTTP/1.1 only, over plain TCP or TLS: the WebSocket upgrade needs it, and the limits below
//! are simplest to reason about with one request at a time per connection. Every connection
//! is bounded in time and number, so slow or stalled clients cannot hold the node:
//! - a TLS handshake must finish within `tls_handshake_timeout`;
//! - the first request's headers must arrive within `header_read_timeout`;
//! - a kept-alive connection waiting for its next request is closed after `idle_timeout`
//!   (hyper's header timer, which runs whenever it waits for a request head);
//! - at most `max_connections` are open; beyond that the oldest idle one makes room
//!   ([`slots`]).

mod slots;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tower::ServiceExt;

use crate::external::PeerCertificates;
use crate::node::metrics::Metrics;
use slots::{Admission, Slot, Slots};

/// How long open requests may take to finish after shutdown begins.
const GRACE: Duration = Duration::from_secs(10);
/// Pause after a failed `accept` (out of file descriptors, say) before trying again; the
/// kernel keeps the waiting connections meanwhile.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);

/// Bounds on the connections of one listener (`[limits]` in the configuration).
#[derive(Debug, Clone, Copy)]
pub struct ConnLimits {
    pub max_connections: usize,
    pub tls_handshake_timeout: Duration,
    pub header_read_timeout: Duration,
    pub idle_timeout: Duration,
}

impl Default for ConnLimits {
    fn default() -> Self {
        ConnLimits {
            max_connections: 4096,
            tls_handshake_timeout: Duration::from_secs(10),
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
        }
    }
}

/// Serves `app` on `listener` (plain HTTP when `tls` is `None`) with the default limits.
pub async fn serve(
    listener: std::net::TcpListener,
    tls: Option<Arc<rustls::ServerConfig>>,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    serve_with(listener, tls, app, ConnLimits::default(), None, shutdown).await
}

/// Serves `app` on `listener` within `limits`; `metrics`, when given, counts connections.
pub async fn serve_with(
    listener: std::net::TcpListener,
    tls: Option<Arc<rustls::ServerConfig>>,
    app: Router,
    limits: ConnLimits,
    metrics: Option<Arc<Metrics>>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    listener
        .set_nonblocking(true)
        .context("setting the listener non-blocking")?;
    let listener =
        tokio::net::TcpListener::from_std(listener).context("handing the listener to tokio")?;
    let acceptor = tls.map(tokio_rustls::TlsAcceptor::from);
    let metrics = metrics.unwrap_or_default();
    let slots = Slots::new(limits.max_connections, metrics.connections_open.clone());
    let (stop, stopping) = watch::channel(false);
    let mut connections = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        let (tcp, peer) = tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    tracing::warn!("accepting a connection: {e}");
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                    continue;
                }
            },
        };
        while connections.try_join_next().is_some() {}
        let Some((slot, admission)) = slots.admit() else {
            metrics.connections_refused.inc();
            continue;
        };
        if admission == Admission::Evicted {
            metrics.connections_evicted.inc();
        }
        let _ = tcp.set_nodelay(true);
        let conn = Connection {
            peer,
            app: app.clone(),
            limits,
            slot,
            stopping: stopping.clone(),
        };
        connections.spawn(conn.run(tcp, acceptor.clone()));
    }
    tracing::info!("shutting down; finishing open requests");
    let _ = stop.send(true);
    drop(listener);
    let drained = tokio::time::timeout(GRACE, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tracing::warn!("requests still open after {GRACE:?}: closing them");
    }
    Ok(())
}

/// One accepted connection.
struct Connection {
    peer: SocketAddr,
    app: Router,
    limits: ConnLimits,
    slot: Slot,
    stopping: watch::Receiver<bool>,
}

impl Connection {
    async fn run(self, tcp: tokio::net::TcpStream, tls: Option<tokio_rustls::TlsAcceptor>) {
        let Some(acceptor) = tls else {
            return self.serve(tcp, None).await;
        };
        let handshake =
            tokio::time::timeout(self.limits.tls_handshake_timeout, acceptor.accept(tcp));
        let stream = tokio::select! {
            done = handshake => done,
            _ = self.slot.state.evicted() => return,
        };
        match stream {
            Ok(Ok(stream)) => {
                // A client certificate (external face) goes with every request of the
                // connection; who it belongs to is decided per request.
                let certs = stream.get_ref().1.peer_certificates().map(|chain| {
                    PeerCertificates(chain.iter().map(|c| c.clone().into_owned()).collect())
                });
                self.serve(stream, certs).await
            }
            Ok(Err(e)) => tracing::debug!(peer = %self.peer, "TLS handshake failed: {e}"),
            Err(_) => tracing::debug!(peer = %self.peer, "TLS handshake timed out"),
        }
    }

    async fn serve<I>(mut self, io: I, certs: Option<PeerCertificates>)
    where
        I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        let state = self.slot.state.clone();
        let (app, peer) = (self.app.clone(), self.peer);
        let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
            req.extensions_mut().insert(ConnectInfo(peer));
            if let Some(certs) = &certs {
                req.extensions_mut().insert(certs.clone());
            }
            let in_flight = state.begin();
            let app = app.clone();
            async move {
                let response = app.oneshot(req).await;
                drop(in_flight);
                response
            }
        });
        let mut http = hyper::server::conn::http1::Builder::new();
        http.timer(TokioTimer::new())
            .header_read_timeout(self.limits.idle_timeout);
        let conn = http
            .serve_connection(TokioIo::new(io), service)
            .with_upgrades();
        tokio::pin!(conn);
        let first_request = tokio::time::sleep(self.limits.header_read_timeout);
        tokio::pin!(first_request);
        let mut draining = false;
        loop {
            tokio::select! {
                done = conn.as_mut() => {
                    if let Err(e) = done {
                        tracing::debug!(peer = %self.peer, "connection ended: {e}");
                    }
                    return;
                }
                _ = &mut first_request, if !self.slot.state.started() => {
                    if !self.slot.state.started() {
                        tracing::debug!(peer = %self.peer, "no request within the header timeout");
                        return;
                    }
                }
                _ = self.slot.state.evicted() => {
                    tracing::debug!(peer = %self.peer, "idle connection closed to make room");
                    return;
                }
                _ = self.stopping.changed(), if !draining => {
                    draining = true;
                    conn.as_mut().graceful_shutdown();
                }
            }
        }
    }
}

/// Resolves on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
