//! One participant's peer connection with the SFU and its offer/answer state.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use tokio::sync::Mutex;
use webrtc::peer_connection::RTCPeerConnection;
use webrtc::peer_connection::sdp::sdp_type::RTCSdpType;
use webrtc::peer_connection::sdp::session_description::RTCSessionDescription;
use webrtc::peer_connection::signaling_state::RTCSignalingState;

use crate::error::SdpKind;
use crate::{ParticipantId, RoomId, SfuError, sdp_check};

fn invalid_offer(source: webrtc::Error) -> SfuError {
    SfuError::InvalidSdp {
        kind: SdpKind::Offer,
        source,
    }
}

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
    ///
    /// An offer the SFU cannot use leaves the connection usable: it is checked before the
    /// stack sees it (`sdp_check`), because the stack moves to have-remote-offer before it
    /// finds most faults and has no rollback out of that state; a later offer would then be
    /// refused for ever. Should the stack still fail half-way, the exchange is closed with
    /// an answer that is never sent ([`Peer::back_to_stable`]).
    pub async fn answer_client_offer(
        &self,
        negotiation: &mut Negotiation,
        sdp: String,
    ) -> Result<String, SfuError> {
        let offer = RTCSessionDescription::offer(sdp).map_err(invalid_offer)?;
        sdp_check::offer(&offer.unmarshal().map_err(invalid_offer)?).map_err(invalid_offer)?;
        self.apply_offer(negotiation, offer).await
    }

    /// The stack's part of [`Peer::answer_client_offer`], for an offer already checked.
    pub(crate) async fn apply_offer(
        &self,
        negotiation: &mut Negotiation,
        offer: RTCSessionDescription,
    ) -> Result<String, SfuError> {
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
        if let Err(error) = self.pc.set_remote_description(offer).await {
            self.back_to_stable().await;
            return Err(invalid_offer(error));
        }
        let answer = match self.pc.create_answer(None).await {
            Ok(answer) => answer,
            Err(error) => {
                // Nothing in common with what the SFU takes (codecs, directions).
                self.back_to_stable().await;
                return Err(invalid_offer(error));
            }
        };
        if let Err(error) = self.pc.set_local_description(answer).await {
            self.back_to_stable().await;
            return Err(error.into());
        }
        self.described().await
    }

    /// Ends an exchange the stack left in have-remote-offer: it allows no rollback there,
    /// only an answer, so one is made and set but never sent. The client, told its offer
    /// was refused, keeps its side as it was; its next offer starts a fresh exchange.
    async fn back_to_stable(&self) {
        if self.pc.signaling_state() != RTCSignalingState::HaveRemoteOffer {
            return;
        }
        let closed = match self.pc.create_answer(None).await {
            Ok(answer) => self.pc.set_local_description(answer).await,
            Err(error) => Err(error),
        };
        if let Err(error) = closed {
            tracing::warn!(room = %self.room, participant = %self.id, %error,
                "a refused offer left the connection half-changed");
        }
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
        let invalid = |source| SfuError::InvalidSdp {
            kind: SdpKind::Answer,
            source,
        };
        let answer = RTCSessionDescription::answer(sdp).map_err(invalid)?;
        self.pc
            .set_remote_description(answer)
            .await
            .map_err(invalid)?;
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
