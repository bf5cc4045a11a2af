//! What each call of [`super::Sfu`] does, run on the SFU's thread.

use std::collections::HashMap;
use std::sync::Arc;

use webrtc::ice::udp_mux::UDPMux;
use webrtc::ice_transport::ice_candidate::RTCIceCandidateInit;

use super::room::Inner;
use super::{IceCandidate, ParticipantId, RoomId, SfuError, SfuStats, peer};

impl Inner {
    /// Adds a participant to a room (created on first use) from its first offer, and returns
    /// the SFU's answer. The tracks of the others follow in an [`super::SfuEventKind::Offer`].
    pub(super) async fn join(
        self: &Arc<Self>,
        room: RoomId,
        participant: ParticipantId,
        offer_sdp: String,
    ) -> Result<String, SfuError> {
        let peer = self.new_peer(&room, &participant).await?;
        {
            let mut rooms = self.rooms.lock().await;
            let members = &mut rooms.entry(room.clone()).or_default().peers;
            if members.contains_key(&participant) {
                drop(rooms);
                let _ = peer.pc.close().await;
                return Err(SfuError::AlreadyJoined { room, participant });
            }
            members.insert(participant.clone(), peer.clone());
        }
        let answered = {
            let mut negotiation = peer.negotiation.lock().await;
            peer.answer_client_offer(&mut negotiation, offer_sdp).await
        };
        match answered {
            Ok(answer) => {
                self.subscribe_to_room(&peer).await;
                Ok(answer)
            }
            Err(error) => {
                let _ = self.remove(&room, &participant, Some(peer.serial)).await;
                Err(error)
            }
        }
    }

    /// A later offer of a joined participant (it added or removed a track of its own).
    /// Returns the answer.
    pub(super) async fn offer(
        self: &Arc<Self>,
        room: &RoomId,
        participant: &ParticipantId,
        offer_sdp: String,
    ) -> Result<String, SfuError> {
        let peer = self.peer(room, participant).await?;
        let (answered, offer_again) = {
            let mut negotiation = peer.negotiation.lock().await;
            let answered = peer.answer_client_offer(&mut negotiation, offer_sdp).await;
            (answered, negotiation.wanted)
        };
        // Also after a refused offer: an offer of the SFU it crossed and rolled back, or one
        // deferred meanwhile, is still owed to the client.
        if offer_again {
            self.renegotiate(peer);
        }
        answered
    }

    /// The client's answer to the SFU's last offer.
    pub(super) async fn answer(
        self: &Arc<Self>,
        room: &RoomId,
        participant: &ParticipantId,
        answer_sdp: String,
    ) -> Result<(), SfuError> {
        let peer = self.peer(room, participant).await?;
        let offer_again = {
            let negotiation = peer.negotiation.lock().await;
            peer.accept_answer(answer_sdp).await?;
            negotiation.wanted
        };
        self.request_keyframes_for(&peer).await;
        if offer_again {
            self.renegotiate(peer);
        }
        Ok(())
    }

    /// A candidate trickled by the client. An empty candidate (end of candidates) is
    /// accepted and ignored.
    pub(super) async fn candidate(
        self: &Arc<Self>,
        room: &RoomId,
        participant: &ParticipantId,
        candidate: IceCandidate,
    ) -> Result<(), SfuError> {
        let peer = self.peer(room, participant).await?;
        if candidate.candidate.is_empty() {
            return Ok(());
        }
        peer.pc
            .add_ice_candidate(RTCIceCandidateInit {
                candidate: candidate.candidate,
                sdp_mid: candidate.sdp_mid,
                sdp_mline_index: candidate.sdp_mline_index,
                username_fragment: candidate.username_fragment,
            })
            .await
            .map_err(SfuError::InvalidCandidate)?;
        Ok(())
    }

    /// Participants of a room now, sorted (rooms exist while someone is in them).
    pub(super) async fn participants(self: &Arc<Self>, room: &RoomId) -> Vec<ParticipantId> {
        let rooms = self.rooms.lock().await;
        let mut ids: Vec<_> = rooms
            .get(room)
            .map(|r| r.peers.keys().cloned().collect())
            .unwrap_or_default();
        ids.sort();
        ids
    }

    /// How many tracks each participant of a room publishes now.
    pub(super) async fn publications(
        self: &Arc<Self>,
        room: &RoomId,
    ) -> HashMap<ParticipantId, usize> {
        let rooms = self.rooms.lock().await;
        let mut counts = HashMap::new();
        for publication in rooms
            .get(room)
            .map(|r| r.publications.as_slice())
            .unwrap_or_default()
        {
            *counts.entry(publication.publisher.clone()).or_default() += 1;
        }
        counts
    }

    /// Counts of what the SFU holds now, for monitoring and for leak tests: each should follow
    /// the participants present and their tracks, never how many came and went.
    pub(super) async fn stats(&self) -> SfuStats {
        let mut stats = SfuStats::default();
        let peers: Vec<Arc<peer::Peer>> = {
            let rooms = self.rooms.lock().await;
            stats.rooms = rooms.len();
            for room in rooms.values() {
                stats.participants += room.peers.len();
                stats.publications += room.publications.len();
                for publication in &room.publications {
                    stats.subscriptions += publication.subscribers.read().await.len();
                }
            }
            rooms
                .values()
                .flat_map(|r| r.peers.values().cloned())
                .collect()
        };
        // Asked outside the room lock: the connections take locks of their own.
        for peer in peers {
            let transceivers = peer.pc.get_transceivers().await.len();
            stats
                .transceivers
                .insert((peer.room.clone(), peer.id.clone()), transceivers);
        }
        stats.connections = self
            .connections
            .lock()
            .expect("the connection list lock is never held across a panic")
            .iter()
            .filter(|c| c.strong_count() > 0)
            .count();
        stats
    }

    /// Removes everyone and releases the UDP socket.
    pub(super) async fn close(self: &Arc<Self>) {
        let everyone: Vec<(RoomId, ParticipantId)> = {
            let rooms = self.rooms.lock().await;
            rooms
                .iter()
                .flat_map(|(r, room)| room.peers.keys().map(move |p| (r.clone(), p.clone())))
                .collect()
        };
        for (room, participant) in everyone {
            let _ = self.remove(&room, &participant, None).await;
        }
        let _ = self.mux.close().await;
    }
}
