//! Encoded frames from the fixtures, parsed once per process.

use std::io::Cursor;
use std::sync::OnceLock;
use std::time::Duration;

use bytes::Bytes;
use webrtc::media::io::ivf_reader::IVFReader;

const VP8_IVF: &[u8] = include_bytes!("fixtures/testsrc-640x360-30fps.ivf");
const OPUS_OGG: &[u8] = include_bytes!("fixtures/tone-440hz.ogg");

/// Duration of one video frame of the fixture (30 fps).
pub const VIDEO_FRAME: Duration = Duration::from_nanos(1_000_000_000 / 30);
/// Duration of one Opus packet of the fixture.
pub const AUDIO_FRAME: Duration = Duration::from_millis(20);

/// VP8 frames, 640x360, in display order; the first is a keyframe.
pub fn vp8() -> &'static [Bytes] {
    static FRAMES: OnceLock<Vec<Bytes>> = OnceLock::new();
    FRAMES.get_or_init(|| {
        let (mut reader, _header) =
            IVFReader::new(Cursor::new(VP8_IVF)).expect("the VP8 fixture is a valid IVF file");
        let mut frames = Vec::new();
        while let Ok((frame, _)) = reader.parse_next_frame() {
            frames.push(frame.freeze());
        }
        assert!(
            frames.first().is_some_and(|f| is_vp8_keyframe(f)),
            "the VP8 fixture must start with a keyframe"
        );
        frames
    })
}

/// Opus packets of 20 ms (the Ogg header pages are skipped).
pub fn opus() -> &'static [Bytes] {
    static PACKETS: OnceLock<Vec<Bytes>> = OnceLock::new();
    PACKETS.get_or_init(|| {
        let packets = ogg_packets(OPUS_OGG);
        // The first two packets are the OpusHead and OpusTags headers.
        assert!(
            packets.first().is_some_and(|p| p.starts_with(b"OpusHead")),
            "the Opus fixture must be Opus in Ogg"
        );
        packets.into_iter().skip(2).collect()
    })
}

/// Whether a VP8 frame is a keyframe (bit 0 of the first byte is 0, RFC 6386 §9.1).
pub fn is_vp8_keyframe(frame: &[u8]) -> bool {
    frame.first().is_some_and(|b| b & 1 == 0)
}

/// Splits an Ogg stream into packets by the pages' lacing values (RFC 3533): a packet
/// continues while a lacing value is 255, also across pages.
fn ogg_packets(mut data: &[u8]) -> Vec<Bytes> {
    let mut packets = Vec::new();
    let mut packet = Vec::new();
    while data.len() >= 27 && data.starts_with(b"OggS") {
        let segments = usize::from(data[26]);
        let lacing = &data[27..27 + segments];
        let mut body = &data[27 + segments..];
        let page_len = 27 + segments + lacing.iter().map(|&l| usize::from(l)).sum::<usize>();
        for &len in lacing {
            let (part, rest) = body.split_at(usize::from(len));
            packet.extend_from_slice(part);
            body = rest;
            if len < 255 {
                packets.push(Bytes::from(std::mem::take(&mut packet)));
            }
        }
        data = &data[page_len..];
    }
    packets
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixtures_hold_the_announced_media() {
        let video = vp8();
        assert_eq!(video.len(), 60, "2 s at 30 fps");
        let bits: usize = video.iter().map(|f| f.len() * 8).sum();
        let kbps = bits / 2 / 1000;
        assert!(
            (800..1600).contains(&kbps),
            "video at about 1.2 Mbit/s, got {kbps} kbit/s"
        );
        let audio = opus();
        assert!(
            (49..=51).contains(&audio.len()),
            "1 s of 20 ms packets, got {}",
            audio.len()
        );
        // The low two bits of the TOC byte (RFC 6716 §3.1) count the frames of a packet.
        assert!(
            audio.iter().all(|p| p[0] & 0b11 == 0),
            "one frame per packet"
        );
    }
}
