//! What arrives on each remote track: packets, bytes, bitrate, loss, time to first packet.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use webrtc::rtp_transceiver::rtp_codec::RTPCodecType;
use webrtc::track::track_remote::TrackRemote;

/// A remote track by the publisher's stream id (the participant) and its track id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TrackKey {
    pub stream: String,
    pub track: String,
}

/// Counts of one remote track.
#[derive(Debug, Clone)]
pub struct TrackStats {
    /// `audio` or `video`.
    pub kind: &'static str,
    pub packets: u64,
    pub bytes: u64,
    /// Packets missing from the sequence numbers seen so far (never negative: duplicates
    /// and retransmissions do not make up for other losses).
    pub lost: u64,
    /// From the bot's start to the first packet of this track.
    pub first_packet_after: Duration,
    pub first_packet_at: Instant,
    pub last_packet_at: Instant,
    /// Extended sequence numbers (with wrap-arounds): first and highest seen.
    first_seq: u64,
    highest_seq: u64,
}

impl TrackStats {
    /// Payload bits per second since the first packet.
    pub fn bitrate(&self) -> f64 {
        let secs = self
            .last_packet_at
            .duration_since(self.first_packet_at)
            .as_secs_f64();
        if secs <= 0.0 {
            return 0.0;
        }
        self.bytes as f64 * 8.0 / secs
    }

    /// Lost packets over the packets expected.
    pub fn loss_ratio(&self) -> f64 {
        let expected = self.highest_seq - self.first_seq + 1;
        self.lost as f64 / expected as f64
    }

    fn record(&mut self, seq: u16, payload: usize, now: Instant) {
        // Extend the 16-bit number to the one nearest the highest seen.
        let last = self.highest_seq;
        let candidate = (last & !0xffff) | u64::from(seq);
        let extended = [
            candidate.wrapping_sub(0x1_0000),
            candidate,
            candidate + 0x1_0000,
        ]
        .into_iter()
        .filter(|c| *c < u64::MAX / 2)
        .min_by_key(|c| c.abs_diff(last))
        .unwrap_or(candidate);
        self.packets += 1;
        self.bytes += payload as u64;
        self.last_packet_at = now;
        self.highest_seq = self.highest_seq.max(extended);
        let expected = self.highest_seq - self.first_seq + 1;
        self.lost = expected.saturating_sub(self.packets);
    }
}

/// Per-track counts of one bot, shared with the tasks that read the tracks.
#[derive(Debug, Clone)]
pub struct Received {
    started: Instant,
    tracks: Arc<Mutex<BTreeMap<TrackKey, TrackStats>>>,
}

impl Received {
    pub fn new() -> Received {
        Received {
            started: Instant::now(),
            tracks: Default::default(),
        }
    }

    /// Reads a remote track until it ends, counting what arrives.
    pub async fn read(&self, track: Arc<TrackRemote>) {
        let key = TrackKey {
            stream: track.stream_id(),
            track: track.id(),
        };
        let kind = match track.kind() {
            RTPCodecType::Audio => "audio",
            _ => "video",
        };
        while let Ok((packet, _)) = track.read_rtp().await {
            let now = Instant::now();
            let mut tracks = self
                .tracks
                .lock()
                .expect("stats lock never held across a panic");
            let seq = packet.header.sequence_number;
            tracks
                .entry(key.clone())
                .or_insert_with(|| TrackStats {
                    kind,
                    packets: 0,
                    bytes: 0,
                    lost: 0,
                    first_packet_after: now.duration_since(self.started),
                    first_packet_at: now,
                    last_packet_at: now,
                    first_seq: u64::from(seq) + 0x1_0000,
                    highest_seq: u64::from(seq) + 0x1_0000,
                })
                .record(seq, packet.payload.len(), now);
        }
    }

    /// A snapshot of every track's counts.
    pub fn snapshot(&self) -> BTreeMap<TrackKey, TrackStats> {
        self.tracks
            .lock()
            .expect("stats lock never held across a panic")
            .clone()
    }
}

impl Default for Received {
    fn default() -> Self {
        Received::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats(seqs: &[u16]) -> TrackStats {
        let now = Instant::now();
        let first = u64::from(seqs[0]) + 0x1_0000;
        let mut s = TrackStats {
            kind: "video",
            packets: 0,
            bytes: 0,
            lost: 0,
            first_packet_after: Duration::ZERO,
            first_packet_at: now,
            last_packet_at: now,
            first_seq: first,
            highest_seq: first,
        };
        for &seq in seqs {
            s.record(seq, 100, now);
        }
        s
    }

    #[test]
    fn loss_counts_gaps_across_the_wrap() {
        assert_eq!(stats(&[65533, 65534, 65535, 0, 1]).lost, 0);
        assert_eq!(stats(&[65534, 0, 2]).lost, 2, "65535 and 1 are missing");
        assert_eq!(stats(&[10, 12, 11, 13]).lost, 0, "reordering is not loss");
    }
}
