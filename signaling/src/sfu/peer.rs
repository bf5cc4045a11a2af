//! One participant's peer connection with the SFU and its offer/answer state.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use tokio::sync::Mutex;
use webrtc::peer_connection::RTCPeerConnection;
use webrtc::peer_connection::sdp::sdp_type::RTCSdpType;
use webrtc::peer_connection::sdp::session_description::RTCSessionDescription;
use webrtc::peer_connection::signaling_state::RTCSignalingState;

use super::{ParticipantId, RoomId, SfuError};

/// How long the SFU waits for its own candidates before handing out a description; host
/// candidates on the muxed socket are known at once, so this only bounds a broken setup.
const GATHERING_LIMIT: Duration = Duration::from_secs(2);

#[derive(Debug)]
pub(super) struct Peer {
    pub room: RoomId,
    pub id: ParticipantId,
    /// Tells this peer from an earlier one of the same participant, so a late drop of a
    /// dead connection cannot remove the participant's new one.
    pub serial: u64,
    pub pc: Arc<RTCPeerConnection>,
    /// Set once the client's first offer is answered: only then may the SFU add tracks of
    /// others, which it does through its own offers.
    pub ready: AtomicBool,
    /// Serialises offers and answers in both directions.
    pub negotiation: Mutex<Negotiation>,
}

#[derive(Debug, Default)]
pub(super) struct Negotiation {
    /// Tracks changed while an offer was outstanding (or was rolled back): offer again once
    /// the connection is stable.
    pub wanted: bool,
}

impl Peer {
    /// Applies the client's offer and returns the SFU's answer. When the SFU's own offer
    /// crossed it, the SFU yields (it is the polite side): its offer is rolled back, and
    /// `wanted` makes it offer again after this exchange.
    pub async fn answer_client_offer(
        &self,
        negotiation: &mut Negotiation,
        sdp: String,
    ) -> Result<String, SfuError> {
        let offer = RTCSessionDescription::offer(sdp)?;
        if self.pc.signaling_state() == RTCSignalingState::HaveLocalOffer {
            // The stack parses a rollback like any description, so it carries the offer's SDP.
            let mut rollback = RTCSessionDescription::default();
            rollback.sdp_type = RTCSdpType::Rollback;
            rollback.sdp = self
                .pc
                .local_description()
                .await
                .map(|d| d.sdp)
                .unwrap_or_default();
            self.pc.set_local_description(rollback).await?;
            negotiation.wanted = true;
        }
        self.pc.set_remote_description(offer).await?;
        let answer = self.pc.create_answer(None).await?;
        self.pc.set_local_description(answer).await?;
        self.described().await
    }

    /// Makes an offer for the current set of tracks, or records that one is wanted when
    /// an exchange is in progress. Returns the SDP to send, if any.
    pub async fn make_offer(
        &self,
        negotiation: &mut Negotiation,
    ) -> Result<Option<String>, SfuError> {
        if self.pc.signaling_state() != RTCSignalingState::Stable {
            negotiation.wanted = true;
            return Ok(None);
        }
        negotiation.wanted = false;
        let offer = self.pc.create_offer(None).await?;
        self.pc.set_local_description(offer).await?;
        self.described().await.map(Some)
    }

    /// Applies the client's answer to the SFU's offer.
    pub async fn accept_answer(&self, sdp: String) -> Result<(), SfuError> {
        if self.pc.signaling_state() != RTCSignalingState::HaveLocalOffer {
            return Err(SfuError::UnexpectedAnswer {
                participant: self.id.clone(),
            });
        }
        let answer = RTCSessionDescription::answer(sdp)?;
        self.pc.set_remote_description(answer).await?;
        Ok(())
    }

    /// The local description once gathering is complete, so it carries every candidate.
    async fn described(&self) -> Result<String, SfuError> {
        let mut gathered = self.pc.gathering_complete_promise().await;
        let _ = tokio::time::timeout(GATHERING_LIMIT, gathered.recv()).await;
        self.pc
            .local_description()
            .await
            .map(|d| d.sdp)
            .ok_or(SfuError::NoLocalDescription)
    }
}
