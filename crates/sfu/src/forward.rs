//! A published track and its copies: RTP from the publisher to one local track per
//! subscriber, keyframe requests from the subscribers back to the publisher.

use std::collections::HashMap;
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use tokio::sync::{RwLock, oneshot};
use webrtc::peer_connection::RTCPeerConnection;
use webrtc::rtcp::payload_feedbacks::full_intra_request::FullIntraRequest;
use webrtc::rtcp::payload_feedbacks::picture_loss_indication::PictureLossIndication;
use webrtc::rtp_transceiver::rtp_codec::RTPCodecType;
use webrtc::rtp_transceiver::rtp_sender::RTCRtpSender;
use webrtc::track::track_local::TrackLocalWriter;
use webrtc::track::track_local::track_local_static_rtp::TrackLocalStaticRTP;
use webrtc::track::track_remote::TrackRemote;

use super::ParticipantId;

/// Keyframe requests closer together than this are merged: every new subscriber and every
/// lossy one asks, and a keyframe costs the publisher several normal frames.
const KEYFRAME_REQUEST_SPACING: Duration = Duration::from_millis(250);

/// One track a participant sends, and where it is forwarded.
#[derive(Debug)]
pub(super) struct Publication {
    pub publisher: ParticipantId,
    pub track: Arc<TrackRemote>,
    /// Weak: the publisher's connection owns this publication's callbacks, not the reverse.
    publisher_pc: Weak<RTCPeerConnection>,
    pub subscribers: RwLock<HashMap<ParticipantId, Subscription>>,
    last_keyframe_request: std::sync::Mutex<Option<Instant>>,
}

/// The copy of a publication that one subscriber receives.
#[derive(Debug)]
pub(super) struct Subscription {
    pub track: Arc<TrackLocalStaticRTP>,
    pub sender: Arc<RTCRtpSender>,
    /// Dropped with the subscription, which ends its keyframe relay: a sender stopped before
    /// it ever sent (the subscriber left or the track went before the exchange finished)
    /// never fails `read_rtcp`, so the relay would otherwise wait, and hold it, for ever.
    pub _relay: oneshot::Sender<()>,
}

impl Publication {
    pub fn new(
        publisher: ParticipantId,
        track: Arc<TrackRemote>,
        publisher_pc: &Arc<RTCPeerConnection>,
    ) -> Publication {
        Publication {
            publisher,
            track,
            publisher_pc: Arc::downgrade(publisher_pc),
            subscribers: RwLock::new(HashMap::new()),
            last_keyframe_request: std::sync::Mutex::new(None),
        }
    }

    /// A local track for one subscriber, with the publisher's codec. Its stream id is the
    /// publisher, so the subscriber can group the tracks by participant.
    pub fn local_track(&self) -> Arc<TrackLocalStaticRTP> {
        Arc::new(TrackLocalStaticRTP::new(
            self.track.codec().capability,
            self.track.id(),
            self.publisher.0.clone(),
        ))
    }

    /// Copies every RTP packet to every subscriber until the publisher's track ends.
    pub async fn forward(&self) {
        while let Ok((mut packet, _)) = self.track.read_rtp().await {
            // Header extension ids are negotiated per connection: the publisher's ids mean
            // other things (or nothing) to a subscriber, whose own interceptors add theirs.
            packet.header.extension = false;
            packet.header.extension_profile = 0;
            packet.header.extensions.clear();
            let subscribers = self.subscribers.read().await;
            for subscription in subscribers.values() {
                // A subscriber whose connection is going away fails here; it is removed by
                // its own state change, the others keep receiving.
                let _ = subscription.track.write_rtp(&packet).await;
            }
        }
    }

    /// Asks the publisher for a keyframe (video only), at most once per spacing.
    pub async fn request_keyframe(&self) {
        if self.track.kind() != RTPCodecType::Video {
            return;
        }
        {
            let mut last = self
                .last_keyframe_request
                .lock()
                .expect("the keyframe timestamp lock is never held across a panic");
            let now = Instant::now();
            if last.is_some_and(|at| now.duration_since(at) < KEYFRAME_REQUEST_SPACING) {
                return;
            }
            *last = Some(now);
        }
        if let Some(pc) = self.publisher_pc.upgrade() {
            let pli = PictureLossIndication {
                sender_ssrc: 0,
                media_ssrc: self.track.ssrc(),
            };
            let _ = pc.write_rtcp(&[Box::new(pli)]).await;
        }
    }
}

/// Reads a subscriber's RTCP for one forwarded track (the NACK interceptors only run when it
/// is read) and turns its keyframe requests into requests to the publisher.
pub(super) async fn relay_keyframe_requests(
    sender: Arc<RTCRtpSender>,
    publication: Weak<Publication>,
    mut ended: oneshot::Receiver<()>,
) {
    loop {
        let read = tokio::select! {
            read = sender.read_rtcp() => read,
            _ = &mut ended => break,
        };
        let Ok((packets, _)) = read else { break };
        let wants_keyframe = packets.iter().any(|p| {
            let any = p.as_any();
            any.is::<PictureLossIndication>() || any.is::<FullIntraRequest>()
        });
        if wants_keyframe {
            match publication.upgrade() {
                Some(publication) => publication.request_keyframe().await,
                None => break,
            }
        }
    }
}
