//! Who is in which room and who receives what: joining, publishing, leaving.
//!
//! One lock guards every room's membership and publications, taken only for bookkeeping
//! and for adding tracks to connections (no network waits); offers are made after it is
//! released, each under its peer's own negotiation lock, in spawned tasks so a callback of
//! the WebRTC stack never waits on another peer.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};

use tokio::sync::{Mutex, mpsc};
use webrtc::api::API;
use webrtc::ice::udp_mux::UDPMuxDefault;
use webrtc::peer_connection::RTCPeerConnection;
use webrtc::peer_connection::peer_connection_state::RTCPeerConnectionState;
use webrtc::rtp_transceiver::RTCRtpTransceiverInit;
use webrtc::rtp_transceiver::rtp_transceiver_direction::RTCRtpTransceiverDirection;
use webrtc::track::track_remote::TrackRemote;

use super::forward::{Publication, Subscription, relay_keyframe_requests};
use super::peer::Peer;
use super::{
    DropReason, IceCandidate, ParticipantId, RoomId, SfuConfig, SfuError, SfuEvent, SfuEventKind,
};

#[derive(Debug, Default)]
pub(super) struct Room {
    pub peers: HashMap<ParticipantId, Arc<Peer>>,
    pub publications: Vec<Arc<Publication>>,
}

pub(super) struct Inner {
    pub api: API,
    pub config: SfuConfig,
    pub mux: Arc<UDPMuxDefault>,
    pub events: mpsc::UnboundedSender<SfuEvent>,
    pub rooms: Mutex<HashMap<RoomId, Room>>,
    pub next_serial: AtomicU64,
    /// Every connection the SFU made that is still allocated, for [`super::Sfu::stats`]: a
    /// closed connection that stays allocated is a leak that membership counts do not show.
    /// Pruned whenever one is added, so it holds at most the live ones plus those closed
    /// since the last join.
    pub connections: std::sync::Mutex<Vec<Weak<RTCPeerConnection>>>,
}

impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Inner")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Inner {
    pub fn emit(&self, room: &RoomId, participant: &ParticipantId, kind: SfuEventKind) {
        // The receiver gone means the node is shutting down: nobody is left to tell.
        let _ = self.events.send(SfuEvent {
            room: room.clone(),
            participant: participant.clone(),
            kind,
        });
    }

    pub async fn peer(
        &self,
        room: &RoomId,
        participant: &ParticipantId,
    ) -> Result<Arc<Peer>, SfuError> {
        self.rooms
            .lock()
            .await
            .get(room)
            .and_then(|r| r.peers.get(participant))
            .cloned()
            .ok_or_else(|| SfuError::NotJoined {
                room: room.clone(),
                participant: participant.clone(),
            })
    }

    /// A new peer connection for a participant, with the callbacks that report its
    /// candidates, publish its tracks and drop it when its connection dies.
    pub async fn new_peer(
        self: &Arc<Self>,
        room: &RoomId,
        participant: &ParticipantId,
    ) -> Result<Arc<Peer>, SfuError> {
        let pc = Arc::new(self.api.new_peer_connection(Default::default()).await?);
        {
            let mut connections = self
                .connections
                .lock()
                .expect("the connection list lock is never held across a panic");
            connections.retain(|c| c.strong_count() > 0);
            connections.push(Arc::downgrade(&pc));
        }
        let serial = self.next_serial.fetch_add(1, Ordering::Relaxed);
        let peer = Arc::new(Peer {
            room: room.clone(),
            id: participant.clone(),
            serial,
            pc: pc.clone(),
            ready: false.into(),
            negotiation: Mutex::default(),
        });

        // Callbacks hold the SFU and the peer weakly: the connection owns the callbacks.
        let weak_inner = Arc::downgrade(self);
        let (r, p) = (room.clone(), participant.clone());
        pc.on_ice_candidate(Box::new(move |candidate| {
            let (inner, r, p) = (weak_inner.clone(), r.clone(), p.clone());
            Box::pin(async move {
                if let (Some(inner), Some(candidate)) = (inner.upgrade(), candidate)
                    && let Ok(init) = candidate.to_json()
                {
                    let candidate = IceCandidate {
                        candidate: init.candidate,
                        sdp_mid: init.sdp_mid,
                        sdp_mline_index: init.sdp_mline_index,
                        username_fragment: init.username_fragment,
                    };
                    inner.emit(&r, &p, SfuEventKind::Candidate(candidate));
                }
            })
        }));

        let weak_inner = Arc::downgrade(self);
        let weak_peer = Arc::downgrade(&peer);
        pc.on_track(Box::new(move |track, _receiver, _transceiver| {
            if let (Some(inner), Some(peer)) = (weak_inner.upgrade(), weak_peer.upgrade()) {
                tokio::spawn(async move { inner.publish(&peer, track).await });
            }
            Box::pin(async {})
        }));

        let weak_inner = Arc::downgrade(self);
        let (r, p) = (room.clone(), participant.clone());
        pc.on_peer_connection_state_change(Box::new(move |state| {
            let (inner, r, p) = (weak_inner.clone(), r.clone(), p.clone());
            Box::pin(async move { watch_state(inner, r, p, serial, state) })
        }));
        Ok(peer)
    }

    /// A track arrived from `peer`: every other ready participant gets a copy.
    async fn publish(self: Arc<Self>, peer: &Arc<Peer>, track: Arc<TrackRemote>) {
        let publication = Arc::new(Publication::new(peer.id.clone(), track, &peer.pc));
        let subscribers = {
            let mut rooms = self.rooms.lock().await;
            let Some(room) = rooms.get_mut(&peer.room) else {
                return;
            };
            let still_joined = room.peers.get(&peer.id).map(|p| p.serial) == Some(peer.serial);
            if !still_joined {
                return; // left while the track was being set up
            }
            room.publications.push(publication.clone());
            let mut subscribers = Vec::new();
            for other in room.peers.values() {
                if other.id != peer.id
                    && other.ready.load(Ordering::Acquire)
                    && subscribe(other, &publication).await
                {
                    subscribers.push(other.clone());
                }
            }
            subscribers
        };
        for subscriber in subscribers {
            self.renegotiate(subscriber);
        }
        publication.forward().await;
        // The track ended: its publisher renegotiated it away or its connection closed.
        self.unpublish(&peer.room, &publication).await;
    }

    /// Takes a publication from its room and from every subscriber. Idempotent.
    pub async fn unpublish(self: &Arc<Self>, room_id: &RoomId, publication: &Arc<Publication>) {
        let affected = {
            let mut rooms = self.rooms.lock().await;
            let Some(room) = rooms.get_mut(room_id) else {
                return;
            };
            room.publications.retain(|p| !Arc::ptr_eq(p, publication));
            let subscriptions: Vec<_> = publication.subscribers.write().await.drain().collect();
            subscriptions
                .into_iter()
                .filter_map(|(id, s)| room.peers.get(&id).map(|peer| (peer.clone(), s)))
                .collect::<Vec<_>>()
        };
        for (subscriber, subscription) in affected {
            // Fails only when the subscriber's connection is already closed: nothing to undo.
            let _ = subscriber.pc.remove_track(&subscription.sender).await;
            self.renegotiate(subscriber);
        }
    }

    /// Marks a peer whose first exchange is done as ready and gives it every publication of
    /// the others in the room.
    pub async fn subscribe_to_room(self: &Arc<Self>, peer: &Arc<Peer>) {
        let subscribed = {
            let rooms = self.rooms.lock().await;
            let Some(room) = rooms.get(&peer.room) else {
                return;
            };
            peer.ready.store(true, Ordering::Release);
            let mut any = false;
            for publication in &room.publications {
                if publication.publisher != peer.id {
                    any |= subscribe(peer, publication).await;
                }
            }
            any
        };
        if subscribed {
            self.renegotiate(peer.clone());
        }
    }

    /// Asks every video publication `peer` receives for a keyframe, so a subscriber that just
    /// completed an exchange does not wait for the next periodic one.
    pub async fn request_keyframes_for(&self, peer: &Peer) {
        let publications: Vec<_> = match self.rooms.lock().await.get(&peer.room) {
            Some(room) => room.publications.clone(),
            None => return,
        };
        for publication in publications {
            if publication.subscribers.read().await.contains_key(&peer.id) {
                publication.request_keyframe().await;
            }
        }
    }

    /// Offers the peer its current tracks, now or once the exchange in progress is over.
    pub fn renegotiate(self: &Arc<Self>, peer: Arc<Peer>) {
        let inner = self.clone();
        tokio::spawn(async move {
            let mut negotiation = peer.negotiation.lock().await;
            match peer.make_offer(&mut negotiation).await {
                Ok(Some(sdp)) => inner.emit(&peer.room, &peer.id, SfuEventKind::Offer { sdp }),
                Ok(None) => {}
                // Its connection closed meanwhile (it left, or the meeting ended): normal.
                Err(error) if peer.pc.connection_state() == RTCPeerConnectionState::Closed => {
                    tracing::debug!(room = %peer.room, participant = %peer.id, %error, "no renegotiation of a closed connection");
                }
                Err(error) => {
                    tracing::warn!(room = %peer.room, participant = %peer.id, %error, "renegotiation failed");
                }
            }
        });
    }

    /// Takes a participant out of its room: closes its connection, removes its publications
    /// from the others and its subscriptions from the publications. `serial` limits the
    /// removal to one particular peer of the participant.
    pub async fn remove(
        self: &Arc<Self>,
        room_id: &RoomId,
        participant: &ParticipantId,
        serial: Option<u64>,
    ) -> Result<(), SfuError> {
        let not_joined = || SfuError::NotJoined {
            room: room_id.clone(),
            participant: participant.clone(),
        };
        let (peer, own) = {
            let mut rooms = self.rooms.lock().await;
            let room = rooms.get_mut(room_id).ok_or_else(not_joined)?;
            let peer = room
                .peers
                .get(participant)
                .cloned()
                .ok_or_else(not_joined)?;
            if serial.is_some_and(|s| s != peer.serial) {
                return Err(not_joined());
            }
            room.peers.remove(participant);
            let mut own = Vec::new();
            for publication in &room.publications {
                if publication.publisher == *participant {
                    own.push(publication.clone());
                } else {
                    publication.subscribers.write().await.remove(participant);
                }
            }
            (peer, own)
        };
        for publication in &own {
            self.unpublish(room_id, publication).await;
        }
        {
            let mut rooms = self.rooms.lock().await;
            if rooms.get(room_id).is_some_and(|r| r.peers.is_empty()) {
                rooms.remove(room_id);
            }
        }
        if let Err(error) = peer.pc.close().await {
            tracing::debug!(room = %room_id, %participant, %error, "closing a peer connection");
        }
        Ok(())
    }
}

/// Adds a copy of `publication` to `subscriber`'s connection. False when it already has
/// one, or when the connection refused the track (it is closing).
async fn subscribe(subscriber: &Arc<Peer>, publication: &Arc<Publication>) -> bool {
    let mut subscribers = publication.subscribers.write().await;
    if subscribers.contains_key(&subscriber.id) {
        return false;
    }
    let track = publication.local_track();
    // The m-line of a track that left is reused when there is one: transceivers are never
    // dropped, so adding one per forwarded track would grow a long-lived participant's
    // connection (and its client's) by an m-line for every track that ever came and went.
    let reused = subscriber
        .pc
        .reuse_transceiver(track.clone(), RTCRtpTransceiverDirection::Sendonly)
        .await;
    let added = match reused {
        Ok(Some(t)) => Ok(t),
        Ok(None) => {
            let init = RTCRtpTransceiverInit {
                direction: RTCRtpTransceiverDirection::Sendonly,
                send_encodings: vec![],
            };
            subscriber
                .pc
                .add_transceiver_from_track(track.clone(), Some(init))
                .await
        }
        Err(error) => Err(error),
    };
    let transceiver = match added {
        Ok(t) => t,
        Err(error) => {
            tracing::debug!(participant = %subscriber.id, %error, "cannot add a forwarded track");
            return false;
        }
    };
    let sender = transceiver.sender().await;
    let (relay, ended) = tokio::sync::oneshot::channel();
    tokio::spawn(relay_keyframe_requests(
        sender.clone(),
        Arc::downgrade(publication),
        ended,
    ));
    subscribers.insert(
        subscriber.id.clone(),
        Subscription {
            track,
            sender,
            _relay: relay,
        },
    );
    true
}

/// Drops a peer whose connection failed at once, and one that stays disconnected longer
/// than the grace (ICE may recover from a short outage, e.g. a network switch).
fn watch_state(
    inner: Weak<Inner>,
    room: RoomId,
    participant: ParticipantId,
    serial: u64,
    state: RTCPeerConnectionState,
) {
    let reason = match state {
        RTCPeerConnectionState::Failed => DropReason::ConnectionFailed,
        RTCPeerConnectionState::Disconnected => DropReason::Disconnected,
        _ => return,
    };
    tokio::spawn(async move {
        if reason == DropReason::Disconnected {
            let Some(grace) = inner.upgrade().map(|i| i.config.disconnect_grace) else {
                return;
            };
            tokio::time::sleep(grace).await;
        }
        let Some(inner) = inner.upgrade() else { return };
        let Ok(peer) = inner.peer(&room, &participant).await else {
            return;
        };
        let still_down = matches!(
            peer.pc.connection_state(),
            RTCPeerConnectionState::Disconnected | RTCPeerConnectionState::Failed
        );
        if peer.serial != serial || !still_down {
            return;
        }
        if inner
            .remove(&room, &participant, Some(serial))
            .await
            .is_ok()
        {
            tracing::info!(%room, %participant, ?reason, "dropped a participant whose connection died");
            inner.emit(&room, &participant, SfuEventKind::Dropped { reason });
        }
    });
}
