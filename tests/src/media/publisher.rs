//! Local tracks fed with the pre-encoded frames in real time.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use tokio::task::JoinHandle;
use tokio::time::MissedTickBehavior;
use webrtc::api::media_engine::{MIME_TYPE_OPUS, MIME_TYPE_VP8};
use webrtc::media::Sample;
use webrtc::rtp_transceiver::rtp_codec::RTCRtpCodecCapability;
use webrtc::track::track_local::track_local_static_sample::TrackLocalStaticSample;

use super::frames;

/// What a bot publishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Opus, 20 ms packets, about 40 kbit/s.
    Microphone,
    /// VP8 640x360 at 30 fps, about 1.2 Mbit/s.
    Camera,
    /// A second VP8 track, as a screen share is.
    Screen,
}

impl Source {
    pub fn track_id(self) -> &'static str {
        match self {
            Source::Microphone => "audio",
            Source::Camera => "camera",
            Source::Screen => "screen",
        }
    }

    fn capability(self) -> RTCRtpCodecCapability {
        match self {
            Source::Microphone => RTCRtpCodecCapability {
                mime_type: MIME_TYPE_OPUS.to_owned(),
                clock_rate: 48_000,
                channels: 2,
                ..Default::default()
            },
            Source::Camera | Source::Screen => RTCRtpCodecCapability {
                mime_type: MIME_TYPE_VP8.to_owned(),
                clock_rate: 90_000,
                ..Default::default()
            },
        }
    }

    fn frames(self) -> (&'static [Bytes], Duration) {
        match self {
            Source::Microphone => (frames::opus(), frames::AUDIO_FRAME),
            Source::Camera | Source::Screen => (frames::vp8(), frames::VIDEO_FRAME),
        }
    }
}

/// A local track and the task that writes the fixture's frames into it, looping, at the
/// media's own rate. The task stops when this is dropped.
#[derive(Debug)]
pub struct Publisher {
    pub source: Source,
    pub track: Arc<TrackLocalStaticSample>,
    pump: JoinHandle<()>,
}

impl Publisher {
    /// `stream_id` groups the tracks of one participant (its msid).
    pub fn start(source: Source, stream_id: &str) -> Publisher {
        let track = Arc::new(TrackLocalStaticSample::new(
            source.capability(),
            source.track_id().to_owned(),
            stream_id.to_owned(),
        ));
        let pump = tokio::spawn(pump(track.clone(), source));
        Publisher {
            source,
            track,
            pump,
        }
    }
}

impl Drop for Publisher {
    fn drop(&mut self) {
        self.pump.abort();
    }
}

async fn pump(track: Arc<TrackLocalStaticSample>, source: Source) {
    let (frames, duration) = source.frames();
    let mut ticks = tokio::time::interval(duration);
    // A late tick is sent late, not followed by a burst: a real source never catches up.
    ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
    for frame in frames.iter().cycle() {
        ticks.tick().await;
        let sample = Sample {
            data: frame.clone(),
            duration,
            ..Default::default()
        };
        // Before the connection is up the track has no binding and the write is a no-op:
        // the frame is dropped, as a live camera's would be.
        let _ = track.write_sample(&sample).await;
    }
}
