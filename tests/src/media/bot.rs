//! A meeting participant on the `webrtc` crate: publishes replayed media, answers the SFU's
//! offers and counts what it receives. It knows nothing of signaling: the caller carries
//! its SDPs (every SDP carries all candidates, so no trickle is needed).

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use tokio::sync::Mutex;
use webrtc::api::APIBuilder;
use webrtc::api::interceptor_registry::register_default_interceptors;
use webrtc::api::media_engine::MediaEngine;
use webrtc::api::setting_engine::SettingEngine;
use webrtc::ice::mdns::MulticastDnsMode;
use webrtc::ice_transport::ice_server::RTCIceServer;
use webrtc::interceptor::registry::Registry;
use webrtc::peer_connection::RTCPeerConnection;
use webrtc::peer_connection::configuration::RTCConfiguration;
use webrtc::peer_connection::peer_connection_state::RTCPeerConnectionState;
use webrtc::peer_connection::policy::ice_transport_policy::RTCIceTransportPolicy;
use webrtc::peer_connection::sdp::session_description::RTCSessionDescription;
use webrtc::rtp_transceiver::RTCRtpTransceiverInit;
use webrtc::rtp_transceiver::rtp_sender::RTCRtpSender;
use webrtc::rtp_transceiver::rtp_transceiver_direction::RTCRtpTransceiverDirection;

use super::publisher::{Publisher, Source};
use super::receiver::Received;

/// How a bot reaches the SFU.
#[derive(Debug, Clone, Default)]
pub struct BotOptions {
    /// STUN/TURN servers.
    pub ice_servers: Vec<RTCIceServer>,
    /// Use only relayed candidates (through TURN), as a client behind a strict NAT must.
    pub relay_only: bool,
    /// Offer candidates on every interface, not only loopback: for a node on another
    /// machine. Tests keep their traffic on loopback.
    pub all_interfaces: bool,
}

#[derive(Debug)]
pub struct Bot {
    pub name: String,
    pc: Arc<RTCPeerConnection>,
    publishing: Mutex<Vec<(Publisher, Arc<RTCRtpSender>)>>,
    pub received: Received,
}

impl Bot {
    /// A bot whose host candidates are on loopback only unless `options.all_interfaces`:
    /// test traffic never leaves the machine.
    pub async fn new(name: &str, options: BotOptions) -> anyhow::Result<Bot> {
        let mut media = MediaEngine::default();
        media.register_default_codecs()?;
        let registry = register_default_interceptors(Registry::new(), &mut media)?;
        let mut settings = SettingEngine::default();
        settings.set_ice_multicast_dns_mode(MulticastDnsMode::Disabled);
        settings.set_include_loopback_candidate(true);
        if !options.all_interfaces {
            settings.set_ip_filter(Box::new(|ip: IpAddr| ip.is_loopback()));
        }
        let api = APIBuilder::new()
            .with_media_engine(media)
            .with_interceptor_registry(registry)
            .with_setting_engine(settings)
            .build();
        let config = RTCConfiguration {
            ice_servers: options.ice_servers,
            ice_transport_policy: if options.relay_only {
                RTCIceTransportPolicy::Relay
            } else {
                RTCIceTransportPolicy::All
            },
            ..Default::default()
        };
        let pc = Arc::new(api.new_peer_connection(config).await?);
        let received = Received::new();
        let counting = received.clone();
        pc.on_track(Box::new(move |track, _, _| {
            let counting = counting.clone();
            tokio::spawn(async move { counting.read(track).await });
            Box::pin(async {})
        }));
        Ok(Bot {
            name: name.to_owned(),
            pc,
            publishing: Mutex::new(Vec::new()),
            received,
        })
    }

    /// Starts sending a source (the caller then makes an offer).
    pub async fn publish(&self, source: Source) -> anyhow::Result<()> {
        let publisher = Publisher::start(source, &self.name);
        let init = RTCRtpTransceiverInit {
            direction: RTCRtpTransceiverDirection::Sendonly,
            send_encodings: vec![],
        };
        let transceiver = self
            .pc
            .add_transceiver_from_track(publisher.track.clone(), Some(init))
            .await?;
        let sender = transceiver.sender().await;
        // RTCP must be read for the interceptors (NACK responder, reports) to run.
        let reading = sender.clone();
        tokio::spawn(async move { while reading.read_rtcp().await.is_ok() {} });
        self.publishing.lock().await.push((publisher, sender));
        Ok(())
    }

    /// Stops sending a source (the caller then makes an offer).
    pub async fn unpublish(&self, source: Source) -> anyhow::Result<()> {
        let mut publishing = self.publishing.lock().await;
        let index = publishing
            .iter()
            .position(|(p, _)| p.source == source)
            .context("the source is not published")?;
        let (_, sender) = publishing.remove(index);
        self.pc.remove_track(&sender).await?;
        Ok(())
    }

    /// An offer with every candidate in it.
    pub async fn offer(&self) -> anyhow::Result<String> {
        let offer = self.pc.create_offer(None).await?;
        self.pc.set_local_description(offer).await?;
        self.described().await
    }

    pub async fn accept_answer(&self, sdp: String) -> anyhow::Result<()> {
        self.pc
            .set_remote_description(RTCSessionDescription::answer(sdp)?)
            .await?;
        Ok(())
    }

    /// Answers an offer of the SFU.
    pub async fn answer(&self, sdp: String) -> anyhow::Result<String> {
        self.pc
            .set_remote_description(RTCSessionDescription::offer(sdp)?)
            .await?;
        let answer = self.pc.create_answer(None).await?;
        self.pc.set_local_description(answer).await?;
        self.described().await
    }

    /// The SDP this bot last set as its own.
    pub async fn local_sdp(&self) -> Option<String> {
        self.pc.local_description().await.map(|d| d.sdp)
    }

    /// Transceivers (m-lines) of the bot's connection: what it sends and receives, plus
    /// whatever stays of tracks that came and went.
    pub async fn transceivers(&self) -> usize {
        self.pc.get_transceivers().await.len()
    }

    pub fn state(&self) -> RTCPeerConnectionState {
        self.pc.connection_state()
    }

    /// Closes the connection without telling anyone, as a crashed client would.
    pub async fn vanish(&self) {
        self.publishing.lock().await.clear();
        let _ = self.pc.close().await;
    }

    async fn described(&self) -> anyhow::Result<String> {
        let mut gathered = self.pc.gathering_complete_promise().await;
        // Relay candidates need a round trip to the TURN server; host ones are immediate.
        let _ = tokio::time::timeout(Duration::from_secs(10), gathered.recv()).await;
        Ok(self
            .pc
            .local_description()
            .await
            .context("no local description after setting one")?
            .sdp)
    }
}
