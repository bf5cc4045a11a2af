//! A meeting's audio and video in the browser: one `RTCPeerConnection` to the node's SFU,
//! which carries our camera and microphone up and every other participant's tracks down.
//!
//! The order of things (see `sis_proto::meeting` and the node's `meetings::media`):
//! - [`MediaLink::start`]: `getUserMedia` (audio and video), the tracks added to a new peer
//!   connection configured with the node's ICE servers (`GET /api/v1/meetings/ice-servers`:
//!   TURN for networks that let no UDP through to the SFU), an offer sent as the `offer` op.
//! - The node's `answer` event completes it; its `offer` events (others' tracks came or
//!   went) are answered with the `answer` op; `candidate` events are added. These are
//!   applied one after another ([`MediaLink::signal`]), never concurrently, so a candidate
//!   never meets a connection whose remote description is still being set.
//! - Our own candidates are held until the node has answered our first offer, then
//!   trickled: a node without a media server refuses the offer, and candidates sent after
//!   that refusal would only be refused too.
//! - A received track is named by its `MediaStream` id, which the SFU sets to the
//!   publisher's login; the page puts it on that participant's tile.
//!
//! For tests, `window.__sisMeeting.stats()` resolves to the counters of `getStats()`:
//! `{"connectionState", "localTracks", "remote": [{"participant", "kind", "trackId",
//! "packetsReceived", "bytesReceived"}], "localSent": [{"kind", "packetsSent",
//! "bytesSent"}]}`.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};
use std::rc::{Rc, Weak};

use serde::Serialize;
use sis_proto::meeting::{IceCandidate, IceServer, MeetingOp};
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    MediaStream, MediaStreamConstraints, MediaStreamTrack, RtcConfiguration, RtcIceCandidateInit,
    RtcIceServer, RtcPeerConnection, RtcPeerConnectionIceEvent, RtcPeerConnectionState, RtcSdpType,
    RtcSessionDescriptionInit, RtcTrackEvent,
};

use crate::meeting::MediaState;

/// The name of the test hook on `window`.
const HOOK: &str = "__sisMeeting";

/// What the link tells the page.
pub struct MediaHooks {
    /// Sends a meeting op (our offer, answer or candidate) on the socket.
    pub send: Box<dyn Fn(MeetingOp)>,
    /// A remote stream arrived (or gained a track), named by its stream id.
    pub remote: Box<dyn Fn(String, MediaStream)>,
    pub state: Box<dyn Fn(MediaState)>,
}

/// Signaling from the node, applied in order.
#[derive(Debug, Clone)]
pub enum Signal {
    Answer(String),
    Offer(String),
    Candidate(IceCandidate),
}

/// Our peer connection and devices; closing it stops both.
#[derive(Clone)]
pub struct MediaLink(Rc<Inner>);

impl std::fmt::Debug for MediaLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MediaLink").finish_non_exhaustive()
    }
}

struct Inner {
    pc: RtcPeerConnection,
    local: MediaStream,
    hooks: MediaHooks,
    queue: RefCell<VecDeque<Signal>>,
    /// A task is draining `queue`.
    draining: Cell<bool>,
    /// The node answered our first offer: our candidates go out as they come.
    answered: Cell<bool>,
    held: RefCell<Vec<IceCandidate>>,
    closed: Cell<bool>,
    /// Remote transceiver mid → the stream id (publisher's login) it came in, for the stats.
    /// Not the track id: two publishers' tracks may carry the same one (a bot's `audio`).
    owners: RefCell<HashMap<String, String>>,
    handlers: RefCell<Vec<Handler>>,
    hook: RefCell<Option<Closure<dyn FnMut() -> js_sys::Promise>>>,
}

/// A DOM event handler, kept alive as long as the connection it listens to.
type Handler = Closure<dyn FnMut(JsValue)>;

/// Why the link could not start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartError {
    /// No camera or microphone could be had.
    NoDevices,
    /// The browser has no WebRTC, or refused to make the offer.
    Failed,
}

impl MediaLink {
    /// Opens the camera and microphone, connects them to a new peer connection that uses
    /// `ice_servers` (the node's; none means the SFU is reached directly) and sends its offer.
    pub async fn start(
        hooks: MediaHooks,
        ice_servers: &[IceServer],
    ) -> Result<MediaLink, StartError> {
        (hooks.state)(MediaState::Starting);
        let local = user_media().await.ok_or(StartError::NoDevices)?;
        let pc = match peer_connection(ice_servers) {
            Some(pc) => pc,
            None => {
                stop_tracks(&local);
                return Err(StartError::Failed);
            }
        };
        for track in local.get_tracks().iter() {
            let track: MediaStreamTrack = track.unchecked_into();
            pc.add_track_0(&track, &local);
        }
        let link = MediaLink(Rc::new(Inner {
            pc,
            local,
            hooks,
            queue: RefCell::new(VecDeque::new()),
            draining: Cell::new(false),
            answered: Cell::new(false),
            held: RefCell::new(Vec::new()),
            closed: Cell::new(false),
            owners: RefCell::new(HashMap::new()),
            handlers: RefCell::new(Vec::new()),
            hook: RefCell::new(None),
        }));
        link.listen();
        link.expose_stats();
        match link.offer().await {
            Some(sdp) => {
                (link.0.hooks.send)(MeetingOp::Offer { sdp });
                (link.0.hooks.state)(MediaState::Connecting);
                Ok(link)
            }
            None => {
                link.close();
                Err(StartError::Failed)
            }
        }
    }

    /// Our camera and microphone, for our own tile.
    pub fn local_stream(&self) -> MediaStream {
        self.0.local.clone()
    }

    pub fn local_track_count(&self) -> u32 {
        self.0.local.get_tracks().length()
    }

    /// Queues signaling from the node; applied after whatever came before it.
    pub fn signal(&self, signal: Signal) {
        if self.0.closed.get() {
            return;
        }
        self.0.queue.borrow_mut().push_back(signal);
        if self.0.draining.replace(true) {
            return;
        }
        let inner = Rc::clone(&self.0);
        leptos::task::spawn_local(async move {
            loop {
                let next = inner.queue.borrow_mut().pop_front();
                let Some(signal) = next else { break };
                if inner.closed.get() {
                    break;
                }
                apply(&inner, signal).await;
            }
            inner.draining.set(false);
        });
    }

    /// Turns the microphone on or off (the track stays negotiated; it sends silence).
    pub fn set_audio(&self, on: bool) {
        set_enabled(&self.0.local.get_audio_tracks(), on);
    }

    /// Turns the camera on or off (it sends black frames).
    pub fn set_video(&self, on: bool) {
        set_enabled(&self.0.local.get_video_tracks(), on);
    }

    /// Closes the connection and releases the devices. Idempotent.
    pub fn close(&self) {
        if self.0.closed.replace(true) {
            return;
        }
        self.0.pc.set_onicecandidate(None);
        self.0.pc.set_ontrack(None);
        self.0.pc.set_onconnectionstatechange(None);
        self.0.pc.close();
        stop_tracks(&self.0.local);
        self.0.queue.borrow_mut().clear();
        if let Some(window) = web_sys::window() {
            let _ = js_sys::Reflect::delete_property(&window, &JsValue::from_str(HOOK));
        }
        // The handlers may be running now (a state change that closes the link): they are
        // freed on the next turn.
        let handlers = std::mem::take(&mut *self.0.handlers.borrow_mut());
        let hook = self.0.hook.borrow_mut().take();
        leptos::prelude::set_timeout(
            move || {
                drop(handlers);
                drop(hook);
            },
            std::time::Duration::ZERO,
        );
    }

    async fn offer(&self) -> Option<String> {
        let offer = JsFuture::from(self.0.pc.create_offer()).await.ok()?;
        let sdp = sdp_of(&offer)?;
        set_description(&self.0.pc, RtcSdpType::Offer, &sdp, true)
            .await
            .then_some(sdp)
    }

    fn listen(&self) {
        let weak = Rc::downgrade(&self.0);
        let on_candidate = handler(&weak, |inner, event| {
            let event: RtcPeerConnectionIceEvent = event.unchecked_into();
            let candidate = match event.candidate() {
                Some(c) => IceCandidate {
                    candidate: c.candidate(),
                    sdp_mid: c.sdp_mid(),
                    sdp_mline_index: c.sdp_m_line_index(),
                    username_fragment: js_sys::Reflect::get(&c, &"usernameFragment".into())
                        .ok()
                        .and_then(|v| v.as_string()),
                },
                // Gathering is complete: the empty candidate says so.
                None => IceCandidate {
                    candidate: String::new(),
                    sdp_mid: None,
                    sdp_mline_index: None,
                    username_fragment: None,
                },
            };
            if inner.answered.get() {
                (inner.hooks.send)(MeetingOp::Candidate { candidate });
            } else {
                inner.held.borrow_mut().push(candidate);
            }
        });
        let on_track = handler(&weak, |inner, event| {
            let event: RtcTrackEvent = event.unchecked_into();
            // The SFU puts every forwarded track in a stream named after its publisher; a
            // track without a stream cannot be attributed and is not shown.
            let Some(stream) = event.streams().get(0).dyn_into::<MediaStream>().ok() else {
                return;
            };
            let owner = stream.id();
            if let Some(mid) = event.transceiver().mid() {
                inner.owners.borrow_mut().insert(mid, owner.clone());
            }
            (inner.hooks.remote)(owner, stream);
        });
        let on_state = handler(&weak, |inner, _| match inner.pc.connection_state() {
            RtcPeerConnectionState::Connected => (inner.hooks.state)(MediaState::Connected),
            RtcPeerConnectionState::Failed => (inner.hooks.state)(MediaState::Failed),
            _ => {}
        });
        self.0
            .pc
            .set_onicecandidate(Some(on_candidate.as_ref().unchecked_ref()));
        self.0
            .pc
            .set_ontrack(Some(on_track.as_ref().unchecked_ref()));
        self.0
            .pc
            .set_onconnectionstatechange(Some(on_state.as_ref().unchecked_ref()));
        self.0
            .handlers
            .borrow_mut()
            .extend([on_candidate, on_track, on_state]);
    }

    /// Sets `window.__sisMeeting` to this link's stats.
    fn expose_stats(&self) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let weak = Rc::downgrade(&self.0);
        let stats = Closure::<dyn FnMut() -> js_sys::Promise>::new(move || {
            let weak = weak.clone();
            wasm_bindgen_futures::future_to_promise(async move {
                let Some(inner) = weak.upgrade() else {
                    return Ok(JsValue::NULL);
                };
                Ok(stats(&inner).await)
            })
        });
        let hook = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&hook, &"stats".into(), stats.as_ref());
        let _ = js_sys::Reflect::set(&window, &JsValue::from_str(HOOK), &hook);
        *self.0.hook.borrow_mut() = Some(stats);
    }
}

/// A peer connection with `servers`. Should the browser refuse them (the node checks its
/// URLs, but browsers differ), it is made without: a network that reaches the SFU directly
/// still meets.
fn peer_connection(servers: &[IceServer]) -> Option<RtcPeerConnection> {
    if servers.is_empty() {
        return RtcPeerConnection::new().ok();
    }
    let list = js_sys::Array::new();
    for server in servers {
        let entry = RtcIceServer::new();
        let urls: js_sys::Array = server.urls.iter().map(|u| JsValue::from_str(u)).collect();
        entry.set_urls(&urls);
        if let Some(username) = &server.username {
            entry.set_username(username);
        }
        if let Some(credential) = &server.credential {
            entry.set_credential(credential);
        }
        list.push(&entry);
    }
    let config = RtcConfiguration::new();
    config.set_ice_servers(&list);
    match RtcPeerConnection::new_with_configuration(&config) {
        Ok(pc) => Some(pc),
        Err(error) => {
            leptos::logging::warn!("the node's ICE servers were refused ({error:?}); none used");
            RtcPeerConnection::new().ok()
        }
    }
}

fn handler(weak: &Weak<Inner>, run: impl Fn(&Rc<Inner>, JsValue) + 'static) -> Handler {
    let weak = weak.clone();
    Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
        if let Some(inner) = weak.upgrade()
            && !inner.closed.get()
        {
            run(&inner, event);
        }
    })
}

async fn apply(inner: &Rc<Inner>, signal: Signal) {
    match signal {
        Signal::Answer(sdp) => {
            if !set_description(&inner.pc, RtcSdpType::Answer, &sdp, false).await {
                (inner.hooks.state)(MediaState::Failed);
                return;
            }
            if !inner.answered.replace(true) {
                let held = std::mem::take(&mut *inner.held.borrow_mut());
                for candidate in held {
                    (inner.hooks.send)(MeetingOp::Candidate { candidate });
                }
            }
        }
        Signal::Offer(sdp) => {
            if !set_description(&inner.pc, RtcSdpType::Offer, &sdp, false).await {
                (inner.hooks.state)(MediaState::Failed);
                return;
            }
            let Ok(answer) = JsFuture::from(inner.pc.create_answer()).await else {
                (inner.hooks.state)(MediaState::Failed);
                return;
            };
            let Some(sdp) = sdp_of(&answer) else { return };
            if set_description(&inner.pc, RtcSdpType::Answer, &sdp, true).await {
                (inner.hooks.send)(MeetingOp::Answer { sdp });
            } else {
                (inner.hooks.state)(MediaState::Failed);
            }
        }
        Signal::Candidate(c) => {
            let init = RtcIceCandidateInit::new(&c.candidate);
            init.set_sdp_mid(c.sdp_mid.as_deref());
            init.set_sdp_m_line_index(c.sdp_mline_index);
            if let Some(ufrag) = &c.username_fragment {
                let _ = js_sys::Reflect::set(&init, &"usernameFragment".into(), &ufrag.into());
            }
            let added = inner
                .pc
                .add_ice_candidate_with_opt_rtc_ice_candidate_init(Some(&init));
            // A candidate the browser cannot use is not fatal: others may work.
            if JsFuture::from(added).await.is_err() {
                leptos::logging::warn!("an ICE candidate of the node was not usable");
            }
        }
    }
}

async fn user_media() -> Option<MediaStream> {
    let devices = web_sys::window()?.navigator().media_devices().ok()?;
    let constraints = MediaStreamConstraints::new();
    constraints.set_audio_bool(true);
    constraints.set_video_bool(true);
    let promise = devices.get_user_media_with_constraints(&constraints).ok()?;
    JsFuture::from(promise).await.ok()?.dyn_into().ok()
}

async fn set_description(pc: &RtcPeerConnection, kind: RtcSdpType, sdp: &str, local: bool) -> bool {
    let init = RtcSessionDescriptionInit::new(kind);
    init.set_sdp(sdp);
    let promise = if local {
        pc.set_local_description(&init)
    } else {
        pc.set_remote_description(&init)
    };
    JsFuture::from(promise).await.is_ok()
}

fn sdp_of(description: &JsValue) -> Option<String> {
    js_sys::Reflect::get(description, &"sdp".into())
        .ok()?
        .as_string()
}

fn set_enabled(tracks: &js_sys::Array, on: bool) {
    for track in tracks.iter() {
        track.unchecked_into::<MediaStreamTrack>().set_enabled(on);
    }
}

fn stop_tracks(stream: &MediaStream) {
    for track in stream.get_tracks().iter() {
        track.unchecked_into::<MediaStreamTrack>().stop();
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Stats {
    connection_state: String,
    local_tracks: u32,
    remote: Vec<RemoteTrack>,
    local_sent: Vec<SentTrack>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RemoteTrack {
    participant: Option<String>,
    kind: String,
    track_id: String,
    packets_received: f64,
    bytes_received: f64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SentTrack {
    kind: String,
    packets_sent: f64,
    bytes_sent: f64,
}

async fn stats(inner: &Rc<Inner>) -> JsValue {
    let mut out = Stats {
        connection_state: format!("{:?}", inner.pc.connection_state()).to_lowercase(),
        local_tracks: inner.local.get_tracks().length(),
        remote: Vec::new(),
        local_sent: Vec::new(),
    };
    if let Ok(report) = JsFuture::from(inner.pc.get_stats()).await {
        for entry in report_values(&report) {
            let text = |name: &str| {
                js_sys::Reflect::get(&entry, &name.into())
                    .ok()
                    .and_then(|v| v.as_string())
                    .unwrap_or_default()
            };
            let number = |name: &str| {
                js_sys::Reflect::get(&entry, &name.into())
                    .ok()
                    .and_then(|v| v.as_f64())
                    .unwrap_or(0.0)
            };
            match text("type").as_str() {
                "inbound-rtp" => {
                    let track_id = text("trackIdentifier");
                    out.remote.push(RemoteTrack {
                        participant: inner.owners.borrow().get(&text("mid")).cloned(),
                        kind: text("kind"),
                        track_id,
                        packets_received: number("packetsReceived"),
                        bytes_received: number("bytesReceived"),
                    });
                }
                "outbound-rtp" => out.local_sent.push(SentTrack {
                    kind: text("kind"),
                    packets_sent: number("packetsSent"),
                    bytes_sent: number("bytesSent"),
                }),
                _ => {}
            }
        }
    }
    out.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or(JsValue::NULL)
}

/// The entries of an `RTCStatsReport` (a JS maplike: `values()` is an iterator).
fn report_values(report: &JsValue) -> Vec<JsValue> {
    let values = js_sys::Reflect::get(report, &"values".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call0(report).ok());
    let Some(iterator) = values else {
        return Vec::new();
    };
    match js_sys::try_iter(&iterator) {
        Ok(Some(iter)) => iter.filter_map(Result::ok).collect(),
        _ => Vec::new(),
    }
}
