//! The WebRTC stack as the SFU uses it: which codecs it takes, which RTCP it handles, and
//! the one UDP socket every peer's media goes through.

use std::net::IpAddr;
use std::sync::Arc;

use webrtc::api::interceptor_registry::register_default_interceptors;
use webrtc::api::media_engine::{MIME_TYPE_OPUS, MIME_TYPE_VP8, MediaEngine};
use webrtc::api::setting_engine::SettingEngine;
use webrtc::api::{API, APIBuilder};
use webrtc::ice::mdns::MulticastDnsMode;
use webrtc::ice::udp_mux::{UDPMuxDefault, UDPMuxParams};
use webrtc::ice::udp_network::UDPNetwork;
use webrtc::ice_transport::ice_candidate_type::RTCIceCandidateType;
use webrtc::interceptor::registry::Registry;
use webrtc::rtp_transceiver::RTCPFeedback;
use webrtc::rtp_transceiver::rtp_codec::{
    RTCRtpCodecCapability, RTCRtpCodecParameters, RTPCodecType,
};

use super::{SfuConfig, SfuError};

/// Payload types as browsers number them, so SDPs read the same on both sides.
const OPUS_PAYLOAD_TYPE: u8 = 111;
const VP8_PAYLOAD_TYPE: u8 = 96;

/// Only Opus and VP8: every client (browsers, the desktop's Rust engine, the bots) has both,
/// and one codec per kind means the SFU never has to transcode or choose per subscriber.
pub fn media_engine() -> Result<MediaEngine, webrtc::Error> {
    let mut media = MediaEngine::default();
    media.register_codec(
        RTCRtpCodecParameters {
            capability: RTCRtpCodecCapability {
                mime_type: MIME_TYPE_OPUS.to_owned(),
                clock_rate: 48_000,
                channels: 2,
                sdp_fmtp_line: "minptime=10;useinbandfec=1".to_owned(),
                rtcp_feedback: vec![],
            },
            payload_type: OPUS_PAYLOAD_TYPE,
            ..Default::default()
        },
        RTPCodecType::Audio,
    )?;
    // NACK, PLI and transport-cc are added by the interceptors below; FIR and REMB are
    // accepted so older clients can ask for keyframes and report bandwidth their way.
    let feedback = ["goog-remb", "ccm fir"]
        .iter()
        .map(|fb| {
            let (typ, parameter) = fb.split_once(' ').unwrap_or((fb, ""));
            RTCPFeedback {
                typ: typ.to_owned(),
                parameter: parameter.to_owned(),
            }
        })
        .collect();
    media.register_codec(
        RTCRtpCodecParameters {
            capability: RTCRtpCodecCapability {
                mime_type: MIME_TYPE_VP8.to_owned(),
                clock_rate: 90_000,
                channels: 0,
                sdp_fmtp_line: String::new(),
                rtcp_feedback: feedback,
            },
            payload_type: VP8_PAYLOAD_TYPE,
            ..Default::default()
        },
        RTPCodecType::Video,
    )?;
    Ok(media)
}

/// The WebRTC API every SFU peer connection is made from, and the UDP mux it shares.
pub fn build(
    socket: tokio::net::UdpSocket,
    config: &SfuConfig,
) -> Result<(API, Arc<UDPMuxDefault>), SfuError> {
    let local_ip = socket.local_addr().map_err(SfuError::Socket)?.ip();
    let mut media = media_engine()?;
    // NACK generator and responder, sender/receiver reports, transport-cc feedback to
    // publishers (their bandwidth estimation runs on it).
    let registry = register_default_interceptors(Registry::new(), &mut media)?;

    let mux = UDPMuxDefault::new(UDPMuxParams::new(socket));
    let mut settings = SettingEngine::default();
    settings.set_udp_network(UDPNetwork::Muxed(mux.clone()));
    settings.set_lite(config.ice_lite);
    // Stream stats cost a channel message per packet sent, per subscriber; nothing reads
    // them on the server (clients keep their own).
    settings.disable_stream_stats(true);
    // mDNS would open sockets of its own and hide the address the SFU is reached at.
    settings.set_ice_multicast_dns_mode(MulticastDnsMode::Disabled);
    settings.set_ice_timeouts(
        Some(config.ice_disconnected_timeout),
        Some(config.ice_failed_timeout),
        Some(config.ice_keepalive_interval),
    );
    let loopback = local_ip.is_loopback() || config.announced_ips.iter().any(IpAddr::is_loopback);
    settings.set_include_loopback_candidate(loopback);
    if !local_ip.is_unspecified() {
        // The socket is bound to one address: that is the only one peers can reach.
        settings.set_ip_filter(Box::new(move |ip| ip == local_ip));
    }
    if !config.announced_ips.is_empty() {
        settings.set_nat_1to1_ips(
            config
                .announced_ips
                .iter()
                .map(ToString::to_string)
                .collect(),
            RTCIceCandidateType::Host,
        );
    }

    let api = APIBuilder::new()
        .with_media_engine(media)
        .with_interceptor_registry(registry)
        .with_setting_engine(settings)
        .build();
    Ok((api, mux))
}
