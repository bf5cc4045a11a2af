//! One meeting's room: the lobby, a tile per participant, our own controls, the chat, the
//! host's controls and the decisions. Joined over the node's WebSocket by
//! [`Presence`](crate::presence::Presence); the desktop app (whose webview has no WebRTC)
//! joins the same way, without video.
//!
//! Element ids, for tests (logins contain dots, so participants are found by `data-login`
//! rather than by id):
//! - `#meeting-room` with `data-meeting-id` and `data-phase` (`connecting`, `joining`,
//!   `lobby`, `in`, `left`, `removed`, `ended`, `refused`); `#meeting-title`;
//!   `#meeting-status` (the phase in words); `#meeting-error` (the last refused request).
//! - `#meeting-media-status` with `data-state` (`off`, `starting`, `connecting`,
//!   `connected`, `unavailable`, `no-devices`, `failed`, `not-in-desktop`) and
//!   `data-local-tracks` (camera and microphone tracks we send).
//! - `#meeting-lobby` (host): `li.lobby-entry[data-login]`, each with `button.admit`.
//! - `#meeting-waiting` while we wait in the lobby (or cannot join, or are still joining
//!   with nothing to show); the participants, chat and decisions (`.meeting-main`) are
//!   hidden meanwhile.
//! - `#meeting-grid`: `div.tile[data-login]` with `data-media` (`1` when a stream is
//!   attached), `.tile-name`, `.badge-host`, `.badge-muted`, `.badge-hand`,
//!   `video.tile-video`, and for the host on others' tiles `button.mute-participant` and
//!   `button.remove-participant`.
//! - Our controls: `#meeting-mute`, `#meeting-camera`, `#meeting-hand`, `#meeting-leave`,
//!   `#meeting-back`.
//! - Chat: `#meeting-chat` with `li.chat-line[data-from][data-seq]` (`.chat-from`,
//!   `.chat-text`); `#meeting-chat-input`, `#meeting-chat-send`.
//! - Decisions: `#meeting-decisions` with `li.decision`; the host's
//!   `#meeting-decision-input`, `#meeting-decision-record` and `#meeting-end`.
//! - `window.__sisMeeting.stats()` while media runs (see [`crate::media`]).

use std::collections::HashMap;
use std::rc::Rc;

use leptos::html::Video;
use leptos::prelude::*;
use sis_proto::meeting::{Meeting, MeetingOp, Participant};

use crate::api::AuthenticatedApi;
use crate::i18n::Key;
use crate::language::use_locale;
use crate::meeting::{MediaState, Phase, RoomState};
use crate::pages::alert::ErrorAlert;
use crate::pages::time::{Precision, local_time};
use crate::presence::{Presence, RoomSignals};

#[component]
pub fn MeetingRoom(
    api: AuthenticatedApi,
    meeting: Meeting,
    me: String,
    desktop: bool,
    on_back: Callback<()>,
) -> impl IntoView {
    let locale = use_locale();
    let signals = RoomSignals {
        state: RwSignal::new(RoomState::new(&meeting, &me)),
        media: RwSignal::new(if desktop {
            MediaState::NotInDesktop
        } else {
            MediaState::Off
        }),
        streams: RwSignal::new_local(HashMap::new()),
        local_tracks: RwSignal::new(0),
        camera_on: RwSignal::new(true),
    };
    let state = signals.state;
    let presence = match Presence::enter(&api, &meeting, &me, signals, !desktop) {
        Ok(p) => Some(p),
        Err(e) => {
            state.update(|s| s.error = Some(e));
            None
        }
    };
    let presence = StoredValue::new_local(presence);
    on_cleanup(move || {
        if let Some(Some(p)) = presence.try_get_value() {
            p.shut();
        }
    });
    // Runs `f` with the presence, when there is one.
    let with = move |f: &dyn Fn(&Rc<Presence>)| {
        if let Some(Some(p)) = presence.try_get_value() {
            f(&p);
        }
    };
    let send = move |op: MeetingOp| with(&|p| p.send(op.clone()));

    let phase = move || state.with(|s| s.phase.clone());
    let in_room = move || phase() == Phase::In;
    let is_host = move || state.with(RoomState::is_host);
    let own = move || state.with(|s| s.own().cloned());

    // Before we are let in there is nothing to show under the participants, chat and
    // decisions headings: a lobby notice stands in for them.
    let waiting = move || {
        state.with(|s| match s.phase {
            Phase::Lobby | Phase::Refused => true,
            Phase::Connecting | Phase::Joining => s.participants.is_empty() && s.chat.is_empty(),
            _ => false,
        })
    };
    let waiting_notice = move || {
        (phase() == Phase::Lobby).then(|| {
            view! {
                <section id="meeting-waiting" class="meeting-waiting" role="status">
                    <h2>{locale.text(Key::MeetingWaitingTitle)}</h2>
                    <p class="muted">{locale.text(Key::MeetingWaitingHint)}</p>
                </section>
            }
        })
    };

    let media = signals.media;
    let media_status = view! {
        <p
            id="meeting-media-status"
            class=move || match media.get() {
                MediaState::Unavailable | MediaState::Failed | MediaState::NoDevices => "notice",
                _ => "muted",
            }
            data-state=move || media.get().as_str()
            data-local-tracks=move || signals.local_tracks.get().to_string()
            role="status"
        >
            {move || locale.text(media.get().key())()}
        </p>
    };

    let controls = move || {
        in_room().then(|| {
            let muted = move || own().is_some_and(|p| p.muted);
            let hand = move || own().is_some_and(|p| p.hand_raised);
            let camera_on = signals.camera_on;
            view! {
                <div class="meeting-controls">
                    <button
                        id="meeting-mute"
                        type="button"
                        aria-pressed=move || muted().to_string()
                        on:click=move |_| {
                            let now_muted = !muted();
                            with(&|p| p.set_muted(now_muted));
                        }
                    >
                        {move || {
                            if muted() {
                                locale.text(Key::MeetingUnmute)()
                            } else {
                                locale.text(Key::MeetingMute)()
                            }
                        }}
                    </button>
                    <button
                        id="meeting-camera"
                        type="button"
                        aria-pressed=move || (!camera_on.get()).to_string()
                        on:click=move |_| {
                            let on = !camera_on.get_untracked();
                            with(&|p| p.set_camera(on));
                        }
                    >
                        {move || {
                            if camera_on.get() {
                                locale.text(Key::MeetingCameraOff)()
                            } else {
                                locale.text(Key::MeetingCameraOn)()
                            }
                        }}
                    </button>
                    <button
                        id="meeting-hand"
                        type="button"
                        aria-pressed=move || hand().to_string()
                        on:click=move |_| send(MeetingOp::Hand { raised: !hand() })
                    >
                        {move || {
                            if hand() {
                                locale.text(Key::MeetingLowerHand)()
                            } else {
                                locale.text(Key::MeetingRaiseHand)()
                            }
                        }}
                    </button>
                    <button id="meeting-leave" type="button" on:click=move |_| send(MeetingOp::Leave)>
                        {locale.text(Key::MeetingLeave)}
                    </button>
                </div>
            }
        })
    };

    let lobby = move || {
        let waiting = state.with(|s| s.lobby.clone());
        (is_host() && in_room() && !waiting.is_empty()).then(|| {
            let entries = waiting
                .into_iter()
                .map(|p| {
                    let login = p.login.clone();
                    let (entry_login, shown_login) = (p.login.clone(), p.login.clone());
                    view! {
                        <li class="lobby-entry" data-login=entry_login>
                            <span>{p.name}</span>
                            <span class="muted">{shown_login}</span>
                            <button
                                type="button"
                                class="admit primary"
                                data-login=p.login
                                on:click=move |_| send(MeetingOp::Admit { login: login.clone() })
                            >
                                {locale.text(Key::MeetingAdmit)}
                            </button>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <section class="meeting-lobby">
                    <h2>{locale.text(Key::MeetingLobby)}</h2>
                    <ul id="meeting-lobby">{entries}</ul>
                </section>
            }
        })
    };

    let grid = view! {
        <h2 class="meeting-grid-title">{locale.text(Key::MeetingParticipants)}</h2>
        <div id="meeting-grid" class="meeting-grid">
            <For
                each=move || state.with(|s| s.participants.clone())
                key=|p| p.login.clone()
                children=move |p| tile(p, signals, send)
            />
        </div>
    };

    let chat_text = RwSignal::new(String::new());
    let chat = view! {
        <section class="meeting-chat">
            <h2>{locale.text(Key::MeetingChat)}</h2>
            <ul id="meeting-chat" aria-live="polite">
                <For
                    each=move || state.with(|s| s.chat.clone())
                    key=|l| l.seq
                    children=move |line| {
                        let from = line.from.clone();
                        let name = move || {
                            state
                                .with(|s| s.participant(&from).map(|p| p.name.clone()))
                                .unwrap_or_else(|| from.clone())
                        };
                        let at = line.at;
                        view! {
                            <li class="chat-line" data-from=line.from.clone() data-seq=line.seq.to_string()>
                                <span class="chat-from">{name}</span>
                                <span class="chat-time muted">
                                    {move || local_time(locale.get().tag(), at, Precision::Minute)}
                                </span>
                                <span class="chat-text">{line.text}</span>
                            </li>
                        }
                    }
                />
            </ul>
            {move || {
                in_room()
                    .then(|| {
                        view! {
                            <form
                                class="meeting-say"
                                on:submit=move |ev| {
                                    ev.prevent_default();
                                    let text = chat_text.get_untracked();
                                    if text.trim().is_empty() {
                                        return;
                                    }
                                    send(MeetingOp::Chat { text });
                                    chat_text.set(String::new());
                                }
                            >
                                <input
                                    id="meeting-chat-input"
                                    type="text"
                                    autocomplete="off"
                                    maxlength="2000"
                                    placeholder=locale.text(Key::MeetingChatPlaceholder)
                                    prop:value=chat_text
                                    on:input=move |ev| chat_text.set(event_target_value(&ev))
                                />
                                <button id="meeting-chat-send" type="submit">
                                    {locale.text(Key::MeetingSend)}
                                </button>
                            </form>
                        }
                    })
            }}
        </section>
    };

    let decision_text = RwSignal::new(String::new());
    let decisions = view! {
        <section class="meeting-decisions">
            <h2>{locale.text(Key::MeetingDecisions)}</h2>
            <ul id="meeting-decisions">
                <For
                    each=move || state.with(|s| s.decisions.clone())
                    key=|d| d.seq
                    children=|d| view! { <li class="decision">{d.text}</li> }
                />
            </ul>
            {move || {
                (is_host() && in_room())
                    .then(|| {
                        view! {
                            <form
                                class="meeting-decide"
                                on:submit=move |ev| {
                                    ev.prevent_default();
                                    let text = decision_text.get_untracked();
                                    if text.trim().is_empty() {
                                        return;
                                    }
                                    send(MeetingOp::Decision { text });
                                    decision_text.set(String::new());
                                }
                            >
                                <input
                                    id="meeting-decision-input"
                                    type="text"
                                    autocomplete="off"
                                    maxlength="2000"
                                    placeholder=locale.text(Key::MeetingDecisionPlaceholder)
                                    prop:value=decision_text
                                    on:input=move |ev| decision_text.set(event_target_value(&ev))
                                />
                                <button id="meeting-decision-record" type="submit">
                                    {locale.text(Key::MeetingRecordDecision)}
                                </button>
                            </form>
                            <button
                                id="meeting-end"
                                type="button"
                                class="danger"
                                on:click=move |_| send(MeetingOp::End)
                            >
                                {locale.text(Key::MeetingEnd)}
                            </button>
                        }
                    })
            }}
        </section>
    };

    let about = [meeting.case_id.clone(), meeting.document_id.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
    view! {
        <section
            id="meeting-room"
            class="meeting-room"
            data-meeting-id=meeting.id.to_string()
            data-phase=move || state.with(|s| s.phase.as_str())
        >
            <div class="meeting-head">
                <button id="meeting-back" type="button" class="link" on:click=move |_| on_back.run(())>
                    {locale.text(Key::MeetingBack)}
                </button>
                <h2 id="meeting-title">{meeting.title.clone()}</h2>
                <span class="muted">{about}</span>
            </div>
            <p id="meeting-status" role="status">
                {move || {
                    let phase = phase();
                    let sentence = locale.text(phase.key())();
                    match phase {
                        Phase::Removed { by } => format!("{sentence} ({by})"),
                        _ => sentence.to_owned(),
                    }
                }}
            </p>
            {media_status}
            <ErrorAlert id="meeting-error" error=Signal::derive(move || state.with(|s| s.error.clone())) />
            {controls}
            {lobby}
            {waiting_notice}
            <div class="meeting-main" hidden=waiting>
                {grid}
                <div class="meeting-side">{chat} {decisions}</div>
            </div>
        </section>
    }
}

/// A participant's tile: name, badges, video, and the host's controls for the others.
fn tile(
    p: Participant,
    signals: RoomSignals,
    send: impl Fn(MeetingOp) + Copy + 'static,
) -> impl IntoView {
    let locale = use_locale();
    let state = signals.state;
    let streams = signals.streams;
    let login = p.login.clone();
    let current = {
        let login = login.clone();
        move || state.with(|s| s.participant(&login).cloned())
    };
    let muted = {
        let current = current.clone();
        move || current().is_some_and(|p| p.muted)
    };
    let hand = {
        let current = current.clone();
        move || current().is_some_and(|p| p.hand_raised)
    };
    let is_me = state.with_untracked(|s| s.me == login);
    let host_controls = state.with_untracked(|s| s.is_host()) && !is_me;

    let video = NodeRef::<Video>::new();
    {
        let login = login.clone();
        Effect::new(move |_| {
            let stream = streams.with(|m| m.get(&login).cloned());
            if let Some(element) = video.get() {
                element.set_src_object(stream.as_ref());
            }
        });
    }
    let has_media = {
        let login = login.clone();
        move || {
            if streams.with(|m| m.contains_key(&login)) {
                "1"
            } else {
                "0"
            }
        }
    };

    let moderation = host_controls.then(|| {
        let (mute_login, remove_login) = (login.clone(), login.clone());
        let muted = muted.clone();
        view! {
            <div class="tile-actions">
                <button
                    type="button"
                    class="mute-participant"
                    data-login=login.clone()
                    disabled=muted
                    on:click=move |_| {
                        send(MeetingOp::Mute {
                            login: mute_login.clone(),
                            muted: true,
                        })
                    }
                >
                    {locale.text(Key::MeetingMuteParticipant)}
                </button>
                <button
                    type="button"
                    class="remove-participant danger"
                    data-login=login.clone()
                    on:click=move |_| send(MeetingOp::Remove { login: remove_login.clone() })
                >
                    {locale.text(Key::MeetingRemoveParticipant)}
                </button>
            </div>
        }
    });

    view! {
        <div class="tile" data-login=login.clone() data-media=has_media>
            <video class="tile-video" node_ref=video autoplay playsinline prop:muted=is_me></video>
            <div class="tile-label">
                <span class="tile-name">{p.name.clone()}</span>
                {is_me.then(|| view! { <span class="muted">" (" {locale.text(Key::MeetingYou)} ")"</span> })}
                {p.host.then(|| view! { <span class="badge badge-host">{locale.text(Key::MeetingHost)}</span> })}
                {move || muted().then(|| view! { <span class="badge badge-muted">{locale.text(Key::MeetingMutedBadge)}</span> })}
                {move || hand().then(|| view! { <span class="badge badge-hand">{locale.text(Key::MeetingHandBadge)}</span> })}
            </div>
            {moderation}
        </div>
    }
}
