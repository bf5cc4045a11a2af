//! One officer's presence in one meeting, in the browser: the node's WebSocket, the media
//! link, and the signals the room page draws from. It joins when the socket is ready
//! (again, after a drop), feeds the node's events to [`RoomState::apply`] and carries out
//! the [`Effect`] each one asks for.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use leptos::prelude::*;
use sis_proto::endpoint::GetIceServers;
use sis_proto::meeting::{Meeting, MeetingId, MeetingOp};
use sis_proto::ws::{ClientMessage, ServerMessage};
use sis_proto::{ApiError, ErrorCode};
use web_sys::MediaStream;

use crate::api::{AuthenticatedApi, Socket, SocketEvent};
use crate::media::{MediaHooks, MediaLink, Signal, StartError};
use crate::meeting::{Effect, MediaState, Phase, RoomState};

/// What the room page reads; all `Copy`, so views can hold them.
#[derive(Debug, Clone, Copy)]
pub struct RoomSignals {
    pub state: RwSignal<RoomState>,
    pub media: RwSignal<MediaState>,
    /// Stream per participant login: ours (the camera preview) and the others' from the SFU.
    pub streams: RwSignal<HashMap<String, MediaStream>, LocalStorage>,
    pub local_tracks: RwSignal<u32>,
    pub camera_on: RwSignal<bool>,
}

pub struct Presence {
    api: AuthenticatedApi,
    meeting: MeetingId,
    me: String,
    signals: RoomSignals,
    socket: RefCell<Option<Socket>>,
    link: RefCell<Option<MediaLink>>,
    /// Bumped whenever media stops: a link that finishes starting after that is closed,
    /// and its hooks fall silent.
    media_generation: Cell<u64>,
    /// Whether this page carries media: not in the desktop app, whose webview has no
    /// WebRTC; there the room is joined for its participants, chat and decisions.
    with_media: bool,
}

impl std::fmt::Debug for Presence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Presence")
            .field("meeting", &self.meeting)
            .field("me", &self.me)
            .finish_non_exhaustive()
    }
}

impl Presence {
    /// Opens the socket; the meeting is joined as soon as it is ready. Without media
    /// (`with_media` false: the desktop app) the room is the same but for the video.
    pub fn enter(
        api: &AuthenticatedApi,
        meeting: &Meeting,
        me: &str,
        signals: RoomSignals,
        with_media: bool,
    ) -> Result<Rc<Presence>, ApiError> {
        let presence = Rc::new(Presence {
            api: api.clone(),
            meeting: meeting.id,
            me: me.to_owned(),
            signals,
            socket: RefCell::new(None),
            link: RefCell::new(None),
            media_generation: Cell::new(0),
            with_media,
        });
        let weak = Rc::downgrade(&presence);
        let socket = api.socket(move |event| {
            if let Some(presence) = weak.upgrade() {
                presence.on_socket(event);
            }
        })?;
        *presence.socket.borrow_mut() = Some(socket);
        Ok(presence)
    }

    /// Sends a request about this meeting; a socket that is reopening is said so.
    pub fn send(&self, op: MeetingOp) {
        let message = ClientMessage::Meeting {
            meeting: self.meeting,
            op,
        };
        let sent = self
            .socket
            .borrow()
            .as_ref()
            .is_some_and(|s| s.send(&message));
        if !sent {
            let error = ApiError::new(ErrorCode::Network, "The node's socket is not open.");
            self.signals.state.try_update(|s| s.error = Some(error));
        }
    }

    /// Mutes or unmutes ourselves: the microphone at once, the badge when the node says.
    pub fn set_muted(&self, muted: bool) {
        if let Some(link) = self.link.borrow().as_ref() {
            link.set_audio(!muted);
        }
        self.send(MeetingOp::Mute {
            login: self.me.clone(),
            muted,
        });
    }

    /// Turns our camera on or off (not a meeting op: the others see black frames).
    pub fn set_camera(&self, on: bool) {
        self.signals.camera_on.set(on);
        if let Some(link) = self.link.borrow().as_ref() {
            link.set_video(on);
        }
    }

    /// The page goes away: leave the meeting (rather than be counted as disconnected),
    /// release the devices, close the socket.
    pub fn shut(&self) {
        let present = self
            .signals
            .state
            .try_with_untracked(|s| matches!(s.phase, Phase::In | Phase::Lobby))
            .unwrap_or(false);
        if present {
            self.send(MeetingOp::Leave);
        }
        self.stop_media();
        if let Some(socket) = self.socket.borrow_mut().take() {
            socket.close();
        }
    }

    fn on_socket(self: &Rc<Self>, event: SocketEvent) {
        match event {
            SocketEvent::Ready => {
                if self.signals.state.with_untracked(|s| s.phase.is_final()) {
                    return;
                }
                self.signals.state.update(RoomState::rejoining);
                self.send(MeetingOp::Join);
            }
            SocketEvent::Lost => {
                let effect = self
                    .signals
                    .state
                    .try_update(RoomState::connection_lost)
                    .unwrap_or(Effect::Nothing);
                self.carry_out(effect);
            }
            SocketEvent::Message(ServerMessage::Meeting { meeting, event })
                if meeting == self.meeting =>
            {
                let effect = self
                    .signals
                    .state
                    .try_update(|s| s.apply(event))
                    .unwrap_or(Effect::Nothing);
                self.carry_out(effect);
            }
            SocketEvent::Message(ServerMessage::Error { error }) => {
                self.signals.state.update(|s| s.error = Some(error));
            }
            SocketEvent::Message(_) => {}
        }
    }

    fn carry_out(self: &Rc<Self>, effect: Effect) {
        let signal = match effect {
            Effect::Nothing => return,
            Effect::StartMedia if !self.with_media => return,
            Effect::StartMedia => return self.start_media(),
            Effect::StopMedia => return self.stop_media(),
            Effect::SilenceMicrophone => {
                if let Some(link) = self.link.borrow().as_ref() {
                    link.set_audio(false);
                }
                return;
            }
            Effect::MediaRefused(error) => {
                self.stop_media();
                leptos::logging::log!("meeting media refused: {error}");
                self.signals.media.set(MediaState::Unavailable);
                return;
            }
            Effect::ApplyAnswer(sdp) => Signal::Answer(sdp),
            Effect::AnswerOffer(sdp) => Signal::Offer(sdp),
            Effect::AddCandidate(candidate) => Signal::Candidate(candidate),
        };
        if let Some(link) = self.link.borrow().as_ref() {
            link.signal(signal);
        }
    }

    fn start_media(self: &Rc<Self>) {
        self.stop_media();
        let generation = self.media_generation.get();
        let current = {
            let weak = Rc::downgrade(self);
            move || {
                weak.upgrade()
                    .filter(|p| p.media_generation.get() == generation)
            }
        };
        let hooks = MediaHooks {
            send: Box::new({
                let current = current.clone();
                move |op| {
                    if let Some(p) = current() {
                        p.send(op);
                    }
                }
            }),
            remote: Box::new({
                let current = current.clone();
                move |stream_id, stream| {
                    // Our own login cannot name a stream the SFU sends us.
                    if let Some(p) = current()
                        && stream_id != p.me
                    {
                        p.signals.streams.update(|m| {
                            m.insert(stream_id, stream);
                        });
                    }
                }
            }),
            state: Box::new({
                let current = current.clone();
                move |state| {
                    if let Some(p) = current() {
                        p.signals.media.set(state);
                    }
                }
            }),
        };
        let api = self.api.clone();
        leptos::task::spawn_local(async move {
            // Asked at every start, so a link made late in a long day gets credentials
            // that are still valid. Without them the SFU may still be reachable directly.
            let ice_servers = match api.call::<GetIceServers>(&()).await {
                Ok(servers) => servers.ice_servers,
                Err(error) => {
                    leptos::logging::warn!("no ICE servers from the node: {error}");
                    Vec::new()
                }
            };
            let started = MediaLink::start(hooks, &ice_servers).await;
            let Some(presence) = current() else {
                // Media stopped (or the page closed) while the devices were being opened.
                if let Ok(link) = started {
                    link.close();
                }
                return;
            };
            match started {
                Ok(link) => {
                    let muted = presence
                        .signals
                        .state
                        .with_untracked(|s| s.own().is_some_and(|p| p.muted));
                    link.set_audio(!muted);
                    link.set_video(presence.signals.camera_on.get_untracked());
                    presence.signals.local_tracks.set(link.local_track_count());
                    let me = presence.me.clone();
                    let local = link.local_stream();
                    presence.signals.streams.update(|m| {
                        m.insert(me, local);
                    });
                    *presence.link.borrow_mut() = Some(link);
                }
                Err(StartError::NoDevices) => presence.signals.media.set(MediaState::NoDevices),
                Err(StartError::Failed) => presence.signals.media.set(MediaState::Failed),
            }
        });
    }

    fn stop_media(&self) {
        self.media_generation.set(self.media_generation.get() + 1);
        if let Some(link) = self.link.borrow_mut().take() {
            link.close();
        }
        self.signals.streams.try_update(HashMap::clear);
        self.signals.local_tracks.try_set(0);
        self.signals.media.try_set(MediaState::Off);
    }
}
