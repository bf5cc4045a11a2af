//! The node's SFU ([`crate::sfu`], the `sis-sfu` crate) as the meetings' [`MediaServer`]: a meeting is an SFU
//! room (its id in decimal), a participant its officer login, which the SFU also makes the
//! stream id (msid) of every track it forwards, so clients know whose media they receive.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use sis_proto::meeting::{IceCandidate, MeetingId};
use tokio::sync::mpsc;

use super::media::{MediaError, MediaEvents, MediaServer};
use crate::sfu::{self, ParticipantId, RoomId, Sfu, SfuConfig, SfuError, SfuEvent, SfuEventKind};

/// The SFU behind the meetings.
#[derive(Debug)]
pub struct SfuMedia {
    sfu: Sfu,
    events: Arc<Mutex<Option<MediaEvents>>>,
    /// Participants with a peer connection: their next offer renegotiates it, any other
    /// offer opens one.
    connected: Mutex<HashSet<(MeetingId, String)>>,
}

impl SfuMedia {
    /// Binds the SFU's UDP socket at `udp` and starts relaying its events.
    pub async fn bind(udp: SocketAddr, config: SfuConfig) -> Result<Arc<SfuMedia>, SfuError> {
        let socket = tokio::net::UdpSocket::bind(udp)
            .await
            .map_err(SfuError::Socket)?;
        let (tx, rx) = mpsc::unbounded_channel();
        let sfu = Sfu::new(socket, config, tx)?;
        let media = Arc::new(SfuMedia {
            sfu,
            events: Arc::new(Mutex::new(None)),
            connected: Mutex::new(HashSet::new()),
        });
        tokio::spawn(relay(rx, Arc::downgrade(&media)));
        Ok(media)
    }

    /// The SFU's UDP address.
    pub fn local_addr(&self) -> SocketAddr {
        self.sfu.local_addr()
    }

    fn connected(&self) -> std::sync::MutexGuard<'_, HashSet<(MeetingId, String)>> {
        // A panic while holding this lock cannot leave the set half-changed: each use is
        // one insert, remove or lookup.
        self.connected
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Hands the SFU's events to the rooms, until the SFU is gone.
async fn relay(mut rx: mpsc::UnboundedReceiver<SfuEvent>, media: std::sync::Weak<SfuMedia>) {
    while let Some(event) = rx.recv().await {
        let Some(media) = media.upgrade() else {
            return;
        };
        let Ok(meeting) = event.room.0.parse::<i64>().map(MeetingId) else {
            continue;
        };
        let login = event.participant.0;
        let sink = media
            .events
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        match event.kind {
            SfuEventKind::Offer { sdp } => {
                if let Some(sink) = sink {
                    sink.offer(meeting, &login, sdp);
                }
            }
            SfuEventKind::Candidate(c) => {
                if let Some(sink) = sink {
                    sink.candidate(
                        meeting,
                        &login,
                        IceCandidate {
                            candidate: c.candidate,
                            sdp_mid: c.sdp_mid,
                            sdp_mline_index: c.sdp_mline_index,
                            username_fragment: c.username_fragment,
                        },
                    );
                }
            }
            SfuEventKind::Dropped { reason } => {
                // Its connection died; it may offer again to reconnect.
                media.connected().remove(&(meeting, login.clone()));
                tracing::info!(%meeting, participant = %login, ?reason, "media connection dropped");
            }
            // Kinds a newer SFU may add: nothing a client needs to hear of.
            _ => {}
        }
    }
}

fn ids(room: MeetingId, participant: &str) -> (RoomId, ParticipantId) {
    (
        RoomId(room.to_string()),
        ParticipantId(participant.to_owned()),
    )
}

/// What a client is told of an SFU error: the kind's fixed sentence under a stable code. The
/// WebRTC stack's own text goes to the log only, with the participant it concerns.
fn refused(room: MeetingId, participant: &str, what: &'static str, error: SfuError) -> MediaError {
    let kind = error.kind();
    if error.is_client_error() {
        tracing::info!(%room, %participant, code = kind.code(), %error, "media {what} refused");
    } else {
        tracing::warn!(%room, %participant, code = kind.code(), %error, "media {what} failed");
    }
    MediaError::Sfu(kind)
}

#[async_trait]
impl MediaServer for SfuMedia {
    fn set_events(&self, events: MediaEvents) {
        *self
            .events
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(events);
    }

    async fn join(&self, _room: MeetingId, _participant: &str) -> Result<(), MediaError> {
        // The peer connection is made from the participant's first offer.
        Ok(())
    }

    async fn offer(
        &self,
        room: MeetingId,
        participant: &str,
        sdp: &str,
    ) -> Result<String, MediaError> {
        let (room_id, who) = ids(room, participant);
        let key = (room, participant.to_owned());
        if self.connected().contains(&key) {
            return self
                .sfu
                .offer(&room_id, &who, sdp.to_owned())
                .await
                .map_err(|e| refused(room, participant, "offer", e));
        }
        let answer = self
            .sfu
            .join(room_id, who, sdp.to_owned())
            .await
            .map_err(|e| refused(room, participant, "offer", e))?;
        self.connected().insert(key);
        Ok(answer)
    }

    async fn answer(
        &self,
        room: MeetingId,
        participant: &str,
        sdp: &str,
    ) -> Result<(), MediaError> {
        let (room_id, who) = ids(room, participant);
        self.sfu
            .answer(&room_id, &who, sdp.to_owned())
            .await
            .map_err(|e| refused(room, participant, "answer", e))
    }

    async fn candidate(
        &self,
        room: MeetingId,
        participant: &str,
        candidate: &IceCandidate,
    ) -> Result<(), MediaError> {
        let (room_id, who) = ids(room, participant);
        self.sfu
            .candidate(
                &room_id,
                &who,
                sfu::IceCandidate {
                    candidate: candidate.candidate.clone(),
                    sdp_mid: candidate.sdp_mid.clone(),
                    sdp_mline_index: candidate.sdp_mline_index,
                    username_fragment: candidate.username_fragment.clone(),
                },
            )
            .await
            .map_err(|e| refused(room, participant, "candidate", e))
    }

    async fn leave(&self, room: MeetingId, participant: &str) {
        let (room_id, who) = ids(room, participant);
        if self.connected().remove(&(room, participant.to_owned())) {
            match self.sfu.leave(&room_id, &who).await {
                Ok(()) => tracing::info!(%room, %participant, "media connection closed"),
                // Already gone (dropped) is fine: leaving is idempotent.
                Err(error) => tracing::debug!(%room, %participant, %error, "media leave"),
            }
        }
    }
}
