//! The media server of CAREC SIS meetings, a selective forwarding unit: every participant of
//! a meeting sends its tracks once, and the SFU forwards each to every other participant of
//! the same room.
//!
//! The crate knows nothing of HTTP, WebSockets, officers or the store: it takes SDPs and
//! candidates keyed by room and participant, and hands back answers and events. The country
//! node (`sis-signaling`, `meetings::sfu_media`) puts it behind meeting signaling; the
//! end-to-end tests drive it directly with bots.
//!
//! Built on the `webrtc` crate (pinned to one 0.17 patch: a leak test of many join/leave
//! cycles decided it, see the tests crate), with one method patched in
//! (`vendor/webrtc/PATCHED.md`): 0.17.2 never drops a transceiver, so the SFU reuses the
//! m-line of a forwarded track that left for the next one, and a long-lived participant's
//! connection holds as many m-lines as tracks at once, not as many as ever came and went.
//! [`Sfu::stats`] counts what the SFU holds. Media of every peer goes through one UDP socket
//! (ICE demultiplexes by username fragment), so a node opens one port for meetings.
//!
//! The API is plain async calls plus an event channel; the signaling layer wraps it:
//! - [`Sfu::join`] takes a participant's first offer and returns the answer;
//! - [`Sfu::offer`] takes a later offer of the client (it starts or stops a track);
//! - [`Sfu::candidate`] takes a trickled candidate;
//! - [`Sfu::answer`] takes the answer to an offer the SFU sent as an event;
//! - [`Sfu::leave`] removes a participant.
//!
//! Events ([`SfuEvent`]) carry the SFU's renegotiation offers (tracks of others came or
//! went), its candidates, and drops of participants whose connection died.
//!
//! # Contract with the signaling layer
//! - Deliver the answer returned by `join`/`offer` to the client before any event of that
//!   participant that was queued meanwhile (handling a client's message inline in its socket
//!   loop does this): an offer of the SFU may follow immediately.
//! - The SFU is meant to be the polite side of "perfect negotiation": when its offer crosses
//!   one of the client's, it rolls its own back, answers the client and offers again
//!   afterwards. Known limit: `webrtc` 0.17 refuses every rollback
//!   (`ErrSignalingStateProposedTransitionInvalid`), so a crossing client offer is refused
//!   with [`ErrorKind::Internal`] instead; the node's rooms keep the two sides from offering
//!   at once, which leaves only the moment an SFU offer is on its way.
//!
//! Everything runs on a thread of the SFU's own (`thread`): the calls above are handed to it.
//!
//! # Layout
//! - `thread`: the SFU's single-threaded runtime. `calls`: what each call does there.
//! - [`config`]: [`SfuConfig`]. [`error`]: [`SfuError`], its [`ErrorKind`] (code and client
//!   message). [`event`]: ids and events.
//! - `engine`: codecs (Opus, VP8), interceptors (NACK, reports, transport-cc), the UDP mux.
//! - `peer`: one participant's connection and its offer/answer steps; `sdp_check`: what a
//!   client's offer must hold before the stack sees it.
//! - `forward`: a published track, its copies, keyframe requests back to the publisher.
//! - `room`: membership, publishing, subscribing, removal.

mod calls;
pub mod config;
mod engine;
pub mod error;
pub mod event;
mod forward;
mod peer;
mod room;
mod sdp_check;
mod thread;

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::Arc;

use tokio::sync::mpsc;

pub use config::{ConfigError, SfuConfig};
pub use error::{ErrorKind, SdpKind, SfuError};
pub use event::{DropReason, IceCandidate, ParticipantId, RoomId, SfuEvent, SfuEventKind};

use room::Inner;
use thread::MediaThread;

/// What [`Sfu::stats`] reports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SfuStats {
    pub rooms: usize,
    pub participants: usize,
    /// Tracks published, over all rooms.
    pub publications: usize,
    /// Forwarded copies of those tracks, over all subscribers.
    pub subscriptions: usize,
    /// Transceivers (m-lines) of each participant's connection.
    pub transceivers: BTreeMap<(RoomId, ParticipantId), usize>,
    /// Peer connections still allocated, present participants' and closed ones alike: a
    /// closed one is freed once its last task ends, so more than `participants` for long
    /// means something holds on to the connections of participants that left.
    pub connections: usize,
    /// Tasks alive on the SFU's runtime (connections, forwarding, timers): like
    /// `connections`, it should follow who is present, not how many came and went.
    pub tasks: usize,
}

/// The media server of a node. Cheap to clone; all clones drive the same rooms.
#[derive(Debug, Clone)]
pub struct Sfu {
    inner: Arc<Inner>,
    /// Shared by the clones; the last one dropped stops the thread and with it every room.
    thread: Arc<MediaThread>,
    local_addr: SocketAddr,
}

impl Sfu {
    /// A media server on `socket` (bound by the caller: a fixed port in production, port 0 on
    /// loopback in tests), sending its events to `events`.
    pub fn new(
        socket: tokio::net::UdpSocket,
        config: SfuConfig,
        events: mpsc::UnboundedSender<SfuEvent>,
    ) -> Result<Sfu, SfuError> {
        config.validate()?;
        let local_addr = socket.local_addr().map_err(SfuError::Socket)?;
        let thread = MediaThread::start()?;
        // The socket moves to the SFU's runtime, whose reactor then polls it, and the mux's
        // read loop is spawned there.
        let socket = socket.into_std().map_err(SfuError::Socket)?;
        let _on_thread = thread.handle().enter();
        let socket = tokio::net::UdpSocket::from_std(socket).map_err(SfuError::Socket)?;
        let (api, mux) = engine::build(socket, &config)?;
        let inner = Arc::new(Inner {
            api,
            config,
            mux,
            events,
            rooms: Default::default(),
            next_serial: Default::default(),
            connections: Default::default(),
        });
        Ok(Sfu {
            inner,
            thread: Arc::new(thread),
            local_addr,
        })
    }

    /// The address of the media socket.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Adds a participant to a room (created on first use) from its first offer, and returns
    /// the SFU's answer. The tracks of the others follow in an [`SfuEventKind::Offer`].
    pub async fn join(
        &self,
        room: RoomId,
        participant: ParticipantId,
        offer_sdp: String,
    ) -> Result<String, SfuError> {
        let inner = self.inner.clone();
        self.thread
            .run(async move { inner.join(room, participant, offer_sdp).await })
            .await?
    }

    /// A later offer of a joined participant (it added or removed a track of its own).
    /// Returns the answer.
    pub async fn offer(
        &self,
        room: &RoomId,
        participant: &ParticipantId,
        offer_sdp: String,
    ) -> Result<String, SfuError> {
        let (inner, room, participant) = (self.inner.clone(), room.clone(), participant.clone());
        self.thread
            .run(async move { inner.offer(&room, &participant, offer_sdp).await })
            .await?
    }

    /// The client's answer to the SFU's last offer.
    pub async fn answer(
        &self,
        room: &RoomId,
        participant: &ParticipantId,
        answer_sdp: String,
    ) -> Result<(), SfuError> {
        let (inner, room, participant) = (self.inner.clone(), room.clone(), participant.clone());
        self.thread
            .run(async move { inner.answer(&room, &participant, answer_sdp).await })
            .await?
    }

    /// A candidate trickled by the client. An empty candidate (end of candidates) is
    /// accepted and ignored.
    pub async fn candidate(
        &self,
        room: &RoomId,
        participant: &ParticipantId,
        candidate: IceCandidate,
    ) -> Result<(), SfuError> {
        let (inner, room, participant) = (self.inner.clone(), room.clone(), participant.clone());
        self.thread
            .run(async move { inner.candidate(&room, &participant, candidate).await })
            .await?
    }

    /// Removes a participant: its connection closes, its tracks leave the others (who get
    /// offers without them), and it stops receiving.
    pub async fn leave(&self, room: &RoomId, participant: &ParticipantId) -> Result<(), SfuError> {
        let (inner, room, participant) = (self.inner.clone(), room.clone(), participant.clone());
        self.thread
            .run(async move { inner.remove(&room, &participant, None).await })
            .await?
    }

    /// Participants of a room now, sorted (rooms exist while someone is in them).
    pub async fn participants(&self, room: &RoomId) -> Vec<ParticipantId> {
        let (inner, room) = (self.inner.clone(), room.clone());
        // Only a stopped SFU fails this, and it has nobody in any room.
        self.thread
            .run(async move { inner.participants(&room).await })
            .await
            .unwrap_or_default()
    }

    /// How many tracks each participant of a room publishes now.
    pub async fn publications(&self, room: &RoomId) -> HashMap<ParticipantId, usize> {
        let (inner, room) = (self.inner.clone(), room.clone());
        self.thread
            .run(async move { inner.publications(&room).await })
            .await
            .unwrap_or_default()
    }

    /// Counts of what the SFU holds now, for monitoring and for leak tests: each should follow
    /// the participants present and their tracks, never how many came and went.
    pub async fn stats(&self) -> SfuStats {
        let inner = self.inner.clone();
        let mut stats = self
            .thread
            .run(async move { inner.stats().await })
            .await
            .unwrap_or_default();
        // Counted after the call's own task has ended.
        stats.tasks = self.thread.handle().metrics().num_alive_tasks();
        stats
    }

    /// Removes everyone and releases the UDP socket.
    pub async fn close(&self) {
        let inner = self.inner.clone();
        let _ = self.thread.run(async move { inner.close().await }).await;
    }
}

#[cfg(test)]
mod tests;
