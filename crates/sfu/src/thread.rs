//! The SFU's own thread: a single-threaded runtime that runs every peer connection, the UDP
//! mux and the forwarding loops.
//!
//! Why not the node's runtime: a forwarded packet passes through half a dozen tasks (the
//! mux's read loop, ICE, DTLS/SRTP demultiplexing, the track reader, the forwarder, each
//! subscriber's writer). On a multi-threaded runtime each hand-over may wake a parked worker
//! on another core, and those wake-ups (futexes, epoll wait and return, cache misses) cost
//! more than the forwarding itself. On one thread a hand-over is a queue push. The bench
//! (`cargo xtask bench`) measured it: see the meetings benchmark.
//!
//! The node's other work (HTTP, WebSockets, the store) stays on the node's runtime; calls
//! into the SFU are spawned onto this one and awaited from there.

use std::future::Future;

use tokio::runtime::Handle;
use tokio::sync::oneshot;

use super::SfuError;

/// Owns the SFU's thread; dropping it stops the thread, which drops every task left.
#[derive(Debug)]
pub(super) struct MediaThread {
    handle: Handle,
    stop: Option<oneshot::Sender<()>>,
}

impl MediaThread {
    pub fn start() -> Result<MediaThread, SfuError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .thread_name("sfu-media")
            .build()
            .map_err(SfuError::Runtime)?;
        let handle = runtime.handle().clone();
        let (stop, stopped) = oneshot::channel::<()>();
        std::thread::Builder::new()
            .name("sfu-media".to_owned())
            .spawn(move || {
                // Either a stop or the sender dropped ends the thread.
                runtime.block_on(async {
                    let _ = stopped.await;
                });
                // The runtime is dropped here, on its own thread, outside any async
                // context: that is where tokio allows it.
            })
            .map_err(SfuError::Runtime)?;
        Ok(MediaThread {
            handle,
            stop: Some(stop),
        })
    }

    /// The runtime, for setting up what spawns tasks (the UDP mux) on it.
    pub fn handle(&self) -> &Handle {
        &self.handle
    }

    /// Runs `work` on the SFU's thread and waits for it. The work goes on to the end even
    /// when the caller stops waiting, so no call is left half done. A panic in it is the
    /// caller's, as if it had run inline.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl Future<Output = T> + Send + 'static,
    ) -> Result<T, SfuError> {
        match self.handle.spawn(work).await {
            Ok(value) => Ok(value),
            Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
            Err(_) => Err(SfuError::Stopped),
        }
    }
}

impl Drop for MediaThread {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
