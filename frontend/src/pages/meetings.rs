//! Video meetings: the list (`GET /api/v1/meetings`), the create form (`POST
//! /api/v1/meetings`) and, once one is opened, its room ([`super::meeting_room`]).
//!
//! Element ids, for tests:
//! - `#meetings-list`: the table; each row is `tr.meeting-row` with `data-meeting-id`,
//!   `data-title` and `data-ended` (`1` once the host ended it). A meeting still running
//!   has its open button `button.meeting-open`; an ended one, which cannot be joined again,
//!   has `button.meeting-minutes` instead (both with the same `data-meeting-id`).
//! - `#meetings-empty` when there are none; `#meetings-error` when the list failed.
//! - The form (officers, supervisors, admins): `#meeting-new-title`, `#meeting-new-case`,
//!   `#meeting-new-document`, `#meeting-new-invited` (logins separated by commas),
//!   `#meeting-create`; the node's message about one field under it as
//!   `#meeting-new-title-error` and so on ([`super::form`]), any other error as
//!   `#meeting-create-error`. A created meeting opens at once.
//! - An ended meeting's minutes: `#meeting-minutes` with `data-meeting-id`, `#minutes-back`,
//!   `#minutes-title`, rows `tr.minutes-entry` with `data-kind` (`created`, `joined`, `chat`,
//!   `decision`, …) and `.minutes-text`; `#minutes-signed` once signed, `#minutes-error`.

use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use sis_proto::endpoint::{CreateMeeting, GetMinutes, ListMeetings};
use sis_proto::meeting::{Meeting, Minutes, MinutesKind};
use sis_proto::{ApiError, Officer, Role};

use crate::api::{AuthenticatedApi, EndpointPath};
use crate::i18n::Key;
use crate::language::use_locale;
use crate::meeting::new_meeting;
use crate::pages::alert::ErrorAlert;
use crate::pages::form::{FormError, TextField};
use crate::pages::meeting_room::MeetingRoom;
use crate::pages::time::{Precision, local_time};

/// Who may host: the node refuses others (traders, national systems), so they get no form.
const HOSTS: [Role; 3] = [Role::Officer, Role::Supervisor, Role::Admin];

/// What the page shows besides the list.
#[derive(Debug, Clone)]
enum Opened {
    Room(Meeting),
    Minutes(Meeting),
}

#[component]
pub fn MeetingsPage(api: AuthenticatedApi, officer: Officer, desktop: bool) -> impl IntoView {
    let locale = use_locale();
    let open = RwSignal::new(None::<Opened>);
    let api = StoredValue::new(api);
    let me = officer.login.clone();
    let can_host = HOSTS.contains(&officer.role);

    move || match open.get() {
        Some(Opened::Minutes(meeting)) => view! {
            <MinutesView
                api=api.get_value()
                meeting
                on_back=Callback::new(move |()| open.set(None))
            />
        }
        .into_any(),
        Some(Opened::Room(meeting)) => view! {
            <MeetingRoom
                api=api.get_value()
                meeting
                me=me.clone()
                desktop
                on_back=Callback::new(move |()| open.set(None))
            />
        }
        .into_any(),
        None => view! {
            <section class="meetings">
                <p class="muted intro">{locale.text(Key::AboutMeetings)}</p>
                <MeetingList
                    api=api.get_value()
                    on_open=Callback::new(move |m| open.set(Some(Opened::Room(m))))
                    on_minutes=Callback::new(move |m| open.set(Some(Opened::Minutes(m))))
                />
                {can_host
                    .then(|| {
                        view! {
                            <NewMeetingForm
                                api=api.get_value()
                                on_created=Callback::new(move |m| open.set(Some(Opened::Room(m))))
                            />
                        }
                    })}
            </section>
        }
        .into_any(),
    }
}

#[component]
fn MeetingList(
    api: AuthenticatedApi,
    on_open: Callback<Meeting>,
    on_minutes: Callback<Meeting>,
) -> impl IntoView {
    let locale = use_locale();
    let meetings = RwSignal::new(None::<Vec<Meeting>>);
    let error = RwSignal::new(None::<ApiError>);
    spawn_local_scoped_with_cancellation(async move {
        match api.call::<ListMeetings>(&()).await {
            Ok(list) => meetings.set(Some(list.meetings)),
            Err(e) => error.set(Some(e)),
        }
    });

    let row = move |m: Meeting| {
        let id = m.id.to_string();
        let ended = m.ended_at.is_some();
        let created = m.created_at;
        let about = [m.case_id.clone(), m.document_id.clone()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · ");
        let invited = m.invited.join(", ");
        let opened = m.clone();
        let row_id = id.clone();
        // An ended meeting cannot be joined again: what is left of it is its minutes.
        let action = if ended {
            view! {
                <button
                    type="button"
                    class="meeting-minutes"
                    data-meeting-id=id
                    on:click=move |_| on_minutes.run(opened.clone())
                >
                    {locale.text(Key::MeetingMinutes)}
                </button>
            }
            .into_any()
        } else {
            view! {
                <button
                    type="button"
                    class="meeting-open"
                    data-meeting-id=id
                    on:click=move |_| on_open.run(opened.clone())
                >
                    {locale.text(Key::MeetingOpen)}
                </button>
            }
            .into_any()
        };
        view! {
            <tr
                class="meeting-row"
                data-meeting-id=row_id
                data-title=m.title.clone()
                data-ended=if ended { "1" } else { "0" }
            >
                <td>
                    <strong>{m.title.clone()}</strong>
                    {ended.then(|| view! { <span class="badge muted-badge">{locale.text(Key::MeetingEndedBadge)}</span> })}
                    <div class="muted">{about}</div>
                </td>
                <td>{m.host.clone()}</td>
                <td>{invited}</td>
                <td class="nowrap">{move || local_time(locale.get().tag(), created, Precision::Minute)}</td>
                <td>{action}</td>
            </tr>
        }
    };

    view! {
        <p class="muted">{locale.text(Key::MeetingsIntro)}</p>
        <div class="table-wrap">
            <table id="meetings-list" class="data">
                <thead>
                    <tr>
                        <th scope="col">{locale.text(Key::MeetingTitleLabel)}</th>
                        <th scope="col">{locale.text(Key::MeetingHost)}</th>
                        <th scope="col">{locale.text(Key::MeetingInvitedLabel)}</th>
                        <th scope="col">{locale.text(Key::MeetingCreated)}</th>
                        <th scope="col"></th>
                    </tr>
                </thead>
                <tbody>
                    {move || meetings.get().map(|list| list.into_iter().map(row).collect_view())}
                </tbody>
            </table>
        </div>
        <ErrorAlert id="meetings-error" error=error />
        {move || match meetings.with(|m| m.as_ref().map(Vec::is_empty)) {
            Some(true) => {
                view! {
                    <p id="meetings-empty" class="notice" role="status">
                        {locale.text(Key::MeetingsEmpty)}
                    </p>
                }
                    .into_any()
            }
            None if error.with(Option::is_none) => {
                view! { <p class="muted status">{locale.text(Key::Loading)}</p> }.into_any()
            }
            _ => ().into_any(),
        }}
    }
}

#[component]
fn NewMeetingForm(api: AuthenticatedApi, on_created: Callback<Meeting>) -> impl IntoView {
    let locale = use_locale();
    let title = RwSignal::new(String::new());
    let case_id = RwSignal::new(String::new());
    let document_id = RwSignal::new(String::new());
    let invited = RwSignal::new(String::new());
    let creating = RwSignal::new(false);
    // The fields as `NewMeeting` names them on the wire.
    let error = FormError::new(&["title", "case_id", "document_id", "invited"]);
    let api = StoredValue::new(api);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if creating.get_untracked() {
            return;
        }
        let request = new_meeting(
            &title.get_untracked(),
            &case_id.get_untracked(),
            &document_id.get_untracked(),
            &invited.get_untracked(),
        );
        creating.set(true);
        error.set(None);
        let api = api.get_value();
        spawn_local_scoped_with_cancellation(async move {
            let outcome = api.call::<CreateMeeting>(&request).await;
            creating.set(false);
            match outcome {
                Ok(meeting) => on_created.run(meeting),
                Err(e) => error.set(Some(e)),
            }
        });
    };

    view! {
        <form class="form meeting-new" on:submit=submit>
            <h2>{locale.text(Key::MeetingsNew)}</h2>
            <TextField
                form=error
                name="title"
                id="meeting-new-title"
                label=Key::MeetingTitleLabel
                value=title
            />
            <TextField
                form=error
                name="case_id"
                id="meeting-new-case"
                label=Key::MeetingCaseLabel
                value=case_id
            />
            <TextField
                form=error
                name="document_id"
                id="meeting-new-document"
                label=Key::MeetingDocumentLabel
                value=document_id
            />
            <TextField
                form=error
                name="invited"
                id="meeting-new-invited"
                label=Key::MeetingInvitedLabel
                value=invited
            />
            <p class="hint">{locale.text(Key::MeetingInvitedHint)}</p>
            <div class="form-actions">
                <button id="meeting-create" type="submit" class="primary" disabled=creating>
                    {move || {
                        if creating.get() {
                            locale.text(Key::MeetingCreating)()
                        } else {
                            locale.text(Key::MeetingCreate)()
                        }
                    }}
                </button>
            </div>
            <ErrorAlert id="meeting-create-error" error=error.general() />
        </form>
    }
}

/// An ended meeting's minutes, as the node keeps them: who joined and left, what was said
/// and decided, and whether the node has signed them.
#[component]
fn MinutesView(api: AuthenticatedApi, meeting: Meeting, on_back: Callback<()>) -> impl IntoView {
    let locale = use_locale();
    let minutes = RwSignal::new(None::<Minutes>);
    let error = RwSignal::new(None::<ApiError>);
    let id = meeting.id.to_string();
    let path = EndpointPath::<GetMinutes>::fill(&[("id", &id)]);
    spawn_local_scoped_with_cancellation(async move {
        let outcome = match path {
            Ok(path) => api.call_at(&path, &()).await,
            Err(e) => Err(e),
        };
        match outcome {
            Ok(m) => minutes.set(Some(m)),
            Err(e) => error.set(Some(e)),
        }
    });

    let entries = move || {
        minutes.get().map(|m| {
            m.entries
                .into_iter()
                .map(|e| {
                    let who = match (e.actor, e.subject) {
                        (Some(actor), Some(subject)) => format!("{actor} → {subject}"),
                        (Some(actor), None) => actor,
                        (None, Some(subject)) => subject,
                        (None, None) => String::new(),
                    };
                    let at = e.at;
                    // A message written while this officer was not in the room: its place
                    // in the signed record shows, its words do not.
                    let text = if e.withheld {
                        Some(locale.text(Key::MinutesWithheld)().to_owned())
                    } else {
                        e.text
                    };
                    view! {
                        <tr class="minutes-entry" data-kind=e.kind.as_str() data-withheld=e.withheld.then_some("1")>
                            <td class="nowrap">{move || local_time(locale.get().tag(), at, Precision::Minute)}</td>
                            <td class="nowrap">{locale.text(minutes_kind(e.kind))}</td>
                            <td>{who}</td>
                            <td class="minutes-text">{text}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    let signed = move || {
        minutes.get().map(|m| match m.signature {
            Some(sig) => view! {
                <p id="minutes-signed" class="success" role="status">
                    {locale.text(Key::MinutesSigned)} " "
                    {move || local_time(locale.get().tag(), sig.signed_at, Precision::Minute)}
                </p>
            }
            .into_any(),
            None => view! {
                <p class="notice" role="status">{locale.text(Key::MinutesNotSigned)}</p>
            }
            .into_any(),
        })
    };

    view! {
        <section id="meeting-minutes" class="meeting-minutes" data-meeting-id=id>
            <div class="meeting-head">
                <button id="minutes-back" type="button" class="link" on:click=move |_| on_back.run(())>
                    {locale.text(Key::MeetingBack)}
                </button>
                <h2 id="minutes-title">{meeting.title.clone()}</h2>
                <span class="badge muted-badge">{locale.text(Key::MeetingEndedBadge)}</span>
            </div>
            <h2>{locale.text(Key::MeetingMinutes)}</h2>
            <div class="table-wrap">
                <table class="data">
                    <thead>
                        <tr>
                            <th scope="col">{locale.text(Key::MinutesTime)}</th>
                            <th scope="col">{locale.text(Key::MinutesEvent)}</th>
                            <th scope="col">{locale.text(Key::MinutesWho)}</th>
                            <th scope="col">{locale.text(Key::MinutesText)}</th>
                        </tr>
                    </thead>
                    <tbody>{entries}</tbody>
                </table>
            </div>
            {signed}
            <ErrorAlert id="minutes-error" error=error />
            {move || {
                (minutes.with(Option::is_none) && error.with(Option::is_none))
                    .then(|| view! { <p class="muted status">{locale.text(Key::Loading)}</p> })
            }}
        </section>
    }
}

/// How a minutes entry's kind reads.
fn minutes_kind(kind: MinutesKind) -> Key {
    match kind {
        MinutesKind::Created => Key::MinutesCreated,
        MinutesKind::Joined => Key::MinutesJoined,
        MinutesKind::Left => Key::MinutesLeft,
        MinutesKind::Removed => Key::MinutesRemoved,
        MinutesKind::Chat => Key::MinutesChat,
        MinutesKind::Decision => Key::MinutesDecision,
        MinutesKind::Ended => Key::MinutesEnded,
        // A kind from a newer node.
        _ => Key::MinutesOther,
    }
}
