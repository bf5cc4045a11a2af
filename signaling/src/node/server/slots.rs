//! The cap on open connections. When every slot is taken, a new connection takes the slot of
//! the oldest connection that has no request in flight (a client that connected and sent
//! nothing, or a kept-alive one waiting between requests): a flood of stalled connections
//! then cannot keep a real client out, which refusing new connections at the cap would.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use prometheus_client::metrics::gauge::Gauge;
use tokio::sync::Notify;

/// The open connections, oldest first.
#[derive(Debug)]
pub(crate) struct Slots {
    max: usize,
    next_id: AtomicU64,
    live: Mutex<BTreeMap<u64, Arc<SlotState>>>,
    /// Follows the number of open connections, for `/metrics`.
    gauge: Gauge,
}

/// What the accept loop and the connection share about one connection.
#[derive(Debug, Default)]
pub(crate) struct SlotState {
    /// Requests being answered now; a connection with none may be evicted.
    in_flight: AtomicUsize,
    /// Whether a first request has arrived (the header deadline no longer applies).
    started: AtomicBool,
    evict: Notify,
}

/// One connection's place among the open ones; freed when dropped.
#[derive(Debug)]
pub(crate) struct Slot {
    id: u64,
    pub(crate) state: Arc<SlotState>,
    slots: Arc<Slots>,
}

/// Held while a request is answered.
#[derive(Debug)]
pub(crate) struct InFlight(Arc<SlotState>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

/// What admitting a connection cost.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Admission {
    /// A free slot.
    Free,
    /// The oldest idle connection was told to close.
    Evicted,
}

impl Slots {
    pub(crate) fn new(max: usize, gauge: Gauge) -> Arc<Slots> {
        Arc::new(Slots {
            max: max.max(1),
            next_id: AtomicU64::new(0),
            live: Mutex::new(BTreeMap::new()),
            gauge,
        })
    }

    /// A slot for a new connection, or `None` when every open connection is busy with a
    /// request (the new one is then closed at once).
    pub(crate) fn admit(self: &Arc<Self>) -> Option<(Slot, Admission)> {
        let mut live = self.live.lock().unwrap_or_else(|p| p.into_inner());
        let mut admission = Admission::Free;
        if live.len() >= self.max {
            let victim = live
                .iter()
                .find(|(_, s)| s.in_flight.load(Ordering::Acquire) == 0)
                .map(|(id, _)| *id)?;
            if let Some(state) = live.remove(&victim) {
                // A permit is stored if the connection is not waiting yet: it still closes.
                state.evict.notify_one();
            }
            admission = Admission::Evicted;
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let state = Arc::new(SlotState::default());
        live.insert(id, state.clone());
        self.gauge.set(live.len() as i64);
        Some((
            Slot {
                id,
                state,
                slots: self.clone(),
            },
            admission,
        ))
    }

    #[cfg(test)]
    pub(crate) fn open(&self) -> usize {
        self.live.lock().unwrap_or_else(|p| p.into_inner()).len()
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut live = self.slots.live.lock().unwrap_or_else(|p| p.into_inner());
        live.remove(&self.id);
        self.slots.gauge.set(live.len() as i64);
    }
}

impl SlotState {
    /// Marks a request as begun; the guard ends it.
    pub(crate) fn begin(self: &Arc<Self>) -> InFlight {
        self.in_flight.fetch_add(1, Ordering::AcqRel);
        self.started.store(true, Ordering::Release);
        InFlight(self.clone())
    }

    pub(crate) fn started(&self) -> bool {
        self.started.load(Ordering::Acquire)
    }

    /// Resolves when the connection's slot was given to a newer one.
    pub(crate) async fn evicted(&self) {
        self.evict.notified().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_house_evicts_the_oldest_idle_connection_not_a_busy_one() {
        let slots = Slots::new(2, Gauge::default());
        let (old, a) = slots.admit().expect("free");
        let (young, b) = slots.admit().expect("free");
        assert_eq!((a, b), (Admission::Free, Admission::Free));
        let busy = old.state.begin();
        let (_new, c) = slots.admit().expect("the idle one makes room");
        assert_eq!(c, Admission::Evicted);
        assert_eq!(slots.open(), 2, "the cap holds");
        // The young idle connection was chosen, the busy old one kept.
        assert!(
            futures_util::FutureExt::now_or_never(young.state.evicted()).is_some(),
            "the idle connection is told to close"
        );
        assert!(futures_util::FutureExt::now_or_never(old.state.evicted()).is_none());
        drop(busy);
        drop(young);
        assert_eq!(slots.open(), 2, "an evicted slot is not freed twice");
    }

    #[test]
    fn when_every_connection_is_busy_the_newcomer_is_refused() {
        let slots = Slots::new(1, Gauge::default());
        let (only, _) = slots.admit().expect("free");
        let _busy = only.state.begin();
        assert!(slots.admit().is_none());
        drop(_busy);
        assert!(slots.admit().is_some());
    }
}
