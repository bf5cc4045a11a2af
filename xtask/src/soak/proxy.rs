//! A TCP proxy a test puts between two nodes and cuts at will: open, it forwards bytes both
//! ways (TLS passes through untouched, end to end); cut, it resets every connection it
//! carries and every new one at once, as a network that lost its route does to the
//! connections that try it. Healed, it forwards again. It runs on its own small runtime,
//! so that the blocking code of the soak can own it.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::Context;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// What the proxy did, for a report.
#[derive(Debug, Default)]
pub struct Counts {
    /// Connections forwarded.
    pub forwarded: AtomicU64,
    /// Connections reset because the link was cut (when they came, or while open).
    pub reset: AtomicU64,
}

/// The proxy; dropping it stops it and closes every connection.
#[derive(Debug)]
pub struct Proxy {
    /// `true` while the link is up.
    open: watch::Sender<bool>,
    pub counts: Arc<Counts>,
    /// Runs the proxy's tasks; dropped with it, which ends them.
    _runtime: tokio::runtime::Runtime,
}

impl Proxy {
    /// Forwards what comes to `listener` to `upstream`.
    pub fn start(listener: std::net::TcpListener, upstream: SocketAddr) -> anyhow::Result<Proxy> {
        listener.set_nonblocking(true)?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_io()
            .build()
            .context("the proxy's runtime")?;
        let (open, watching) = watch::channel(true);
        let counts = Arc::new(Counts::default());
        let listener = {
            let _entered = runtime.enter();
            TcpListener::from_std(listener)?
        };
        runtime.spawn(accept(listener, upstream, watching, counts.clone()));
        Ok(Proxy {
            open,
            counts,
            _runtime: runtime,
        })
    }

    /// Cuts the link: every connection through it is reset, and so is every new one.
    pub fn cut(&self) {
        self.open.send_replace(false);
    }

    /// Restores the link.
    pub fn heal(&self) {
        self.open.send_replace(true);
    }
}

/// An RST rather than a FIN: the peer's read fails at once instead of seeing a clean end.
fn reset(stream: TcpStream, counts: &Counts) {
    // Counted first: whoever sees the reset may look at the count at once.
    counts.reset.fetch_add(1, Ordering::Relaxed);
    let _ = stream.set_zero_linger();
    drop(stream);
}

async fn accept(
    listener: TcpListener,
    upstream: SocketAddr,
    open: watch::Receiver<bool>,
    counts: Arc<Counts>,
) {
    loop {
        let Ok((client, _)) = listener.accept().await else {
            continue;
        };
        if !*open.borrow() {
            reset(client, &counts);
            continue;
        }
        tokio::spawn(forward(client, upstream, open.clone(), counts.clone()));
    }
}

async fn forward(
    mut client: TcpStream,
    upstream: SocketAddr,
    mut open: watch::Receiver<bool>,
    counts: Arc<Counts>,
) {
    let Ok(mut server) = TcpStream::connect(upstream).await else {
        reset(client, &counts);
        return;
    };
    counts.forwarded.fetch_add(1, Ordering::Relaxed);
    tokio::select! {
        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
        _ = open.wait_for(|up| !*up) => {
            reset(client, &counts);
            let _ = server.set_zero_linger();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};
    use std::net::TcpStream as StdStream;

    use super::*;

    /// An upstream that answers each line with the same line.
    fn echo() -> SocketAddr {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                std::thread::spawn(move || {
                    let mut buf = [0; 64];
                    while let Ok(n @ 1..) = stream.read(&mut buf) {
                        if stream.write_all(&buf[..n]).is_err() {
                            return;
                        }
                    }
                });
            }
        });
        addr
    }

    fn roundtrip(stream: &mut StdStream, bytes: &[u8]) -> std::io::Result<Vec<u8>> {
        stream.write_all(bytes)?;
        let mut back = vec![0; bytes.len()];
        stream.read_exact(&mut back)?;
        Ok(back)
    }

    /// A proxy to an echo server, and where it listens.
    fn proxy() -> (Proxy, SocketAddr) {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        (Proxy::start(listener, echo()).expect("proxy"), addr)
    }

    fn connect(addr: SocketAddr) -> StdStream {
        let stream = StdStream::connect(addr).expect("connect");
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(5)))
            .expect("timeout");
        stream
    }

    #[test]
    fn open_it_forwards_cut_it_resets_old_and_new_healed_it_forwards_again() {
        let (proxy, addr) = proxy();
        let mut before = connect(addr);
        assert_eq!(roundtrip(&mut before, b"ping").expect("through"), b"ping");

        proxy.cut();
        // The open connection is reset, not left hanging.
        let mut buf = [0; 4];
        let read = before.read(&mut buf);
        assert!(
            matches!(read, Ok(0) | Err(_)),
            "a connection open across the cut ends: {read:?}"
        );
        // A new one is accepted and reset at once: nothing comes back.
        let mut during = connect(addr);
        assert!(
            roundtrip(&mut during, b"lost").is_err(),
            "nothing crosses a cut link"
        );
        assert!(proxy.counts.reset.load(Ordering::Relaxed) >= 2);

        proxy.heal();
        let mut after = connect(addr);
        assert_eq!(roundtrip(&mut after, b"back").expect("healed"), b"back");
        assert_eq!(proxy.counts.forwarded.load(Ordering::Relaxed), 2);
    }
}
