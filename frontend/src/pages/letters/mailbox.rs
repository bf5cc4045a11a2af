//! The inbox and the outbox: two tabs, a search over subjects, texts and file names, and the
//! letters newest first (`GET /api/v1/letters?box=&q=&limit=`). Unread letters are bold,
//! overdue ones marked. The table is also the thread's, in [`super::reading`].

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use sis_proto::ApiError;
use sis_proto::endpoint::ListLetters;
use sis_proto::letter::{LetterSummary, Mailbox};
use sis_proto::ws::ServerMessage;

use super::status::{deadline_cell, status_badge};
use crate::api::{AuthenticatedApi, SocketEvent};
use crate::directory::DEBOUNCE_MS;
use crate::i18n::Key;
use crate::language::{Locale, use_locale};
use crate::letter::{Compose, countries_text, list_query, row_id, status_slug};
use crate::pages::alert::ErrorAlert;
use crate::pages::time::{Precision, local_time};

#[component]
pub fn MailboxView(
    api: AuthenticatedApi,
    mailbox: RwSignal<Mailbox>,
    typed: RwSignal<String>,
    on_open: Callback<String>,
    on_compose: Callback<(Compose, Option<String>)>,
) -> impl IntoView {
    let locale = use_locale();
    let letters = RwSignal::new(None::<Vec<LetterSummary>>);
    let error = RwSignal::new(None::<ApiError>);
    // Bumped by every change of tab or search: an answer to an older one is dropped, so a
    // slow answer never replaces a newer one.
    let generation = StoredValue::new(0_u64);
    let api = StoredValue::new(api);
    let owner = StoredValue::new(Owner::current());

    let load = move |current: u64| {
        let (Some(shown), Some(text)) = (mailbox.try_get_untracked(), typed.try_get_untracked())
        else {
            return;
        };
        let query = list_query(shown, &text);
        let api = api.get_value();
        spawn_local_scoped_with_cancellation(async move {
            let outcome = api.call::<ListLetters>(&query).await;
            if generation.try_get_value() != Some(current) {
                return;
            }
            match outcome {
                Ok(list) => {
                    error.set(None);
                    letters.set(Some(list.letters));
                }
                Err(e) => {
                    letters.set(None);
                    error.set(Some(e));
                }
            }
        });
    };
    // A new listing after `delay_ms` (typing) or at once (a tab, a refresh).
    let schedule = move |delay_ms: u64| {
        let Some(current) = generation.try_update_value(|g| {
            *g += 1;
            *g
        }) else {
            return;
        };
        if delay_ms == 0 {
            load(current);
            return;
        }
        set_timeout(
            move || {
                if generation.try_get_value() != Some(current) {
                    return;
                }
                match owner.try_get_value().flatten() {
                    Some(owner) => owner.with(|| load(current)),
                    None => load(current),
                }
            },
            Duration::from_millis(delay_ms),
        );
    };
    schedule(0);

    // Letters the node pushes as they arrive: a line saying so, and the inbox listed again.
    // In the desktop app the shell holds the socket; the page hears it the same way.
    let arrived = RwSignal::new(None::<LetterSummary>);
    let socket = api
        .get_value()
        .socket(move |event| {
            if let SocketEvent::Message(ServerMessage::Letter { letter }) = event {
                arrived.try_set(Some(letter));
                if mailbox.try_get_untracked() == Some(Mailbox::Inbox) {
                    schedule(0);
                }
            }
        })
        .ok();
    let socket = StoredValue::new_local(socket);
    on_cleanup(move || {
        if let Some(Some(socket)) = socket.try_update_value(Option::take) {
            socket.close();
        }
    });

    let searched = Signal::derive(move || !typed.with(|t| t.trim().is_empty()));
    view! {
        <section class="letters">
            <p class="muted intro">{locale.text(Key::AboutDocuments)}</p>
            {toolbar(locale, mailbox, typed, schedule, on_compose)}
            {move || arrived.get().map(|l| view! {
                <p class="notice" id="letters-arrived" role="status">
                    {locale.text(Key::LetterArrived)}
                    {format!(": {} — {}: {}", l.number, l.from, l.subject)}
                </p>
            })}
            <LetterTable letters=letters on_open table_id="letters-list" />
            <ErrorAlert id="letters-error" error=error />
            {move || empty_status(locale, letters, error, searched)}
        </section>
    }
}

/// The tabs, the search box, refresh and "new letter".
fn toolbar(
    locale: Locale,
    mailbox: RwSignal<Mailbox>,
    typed: RwSignal<String>,
    schedule: impl Fn(u64) + Copy + 'static,
    on_compose: Callback<(Compose, Option<String>)>,
) -> impl IntoView {
    let tab = move |target: Mailbox, id: &'static str, label: Key| {
        let current = move || mailbox.get() == target;
        view! {
            <button
                id=id
                type="button"
                role="tab"
                class=move || if current() { "tab active" } else { "tab" }
                aria-selected=move || current().to_string()
                on:click=move |_| {
                    if mailbox.get_untracked() != target {
                        mailbox.set(target);
                        schedule(0);
                    }
                }
            >
                {locale.text(label)}
            </button>
        }
    };
    view! {
        <div class="letters-toolbar">
            <div class="tabs" role="tablist">
                {tab(Mailbox::Inbox, "letters-inbox", Key::LettersInbox)}
                {tab(Mailbox::Outbox, "letters-outbox", Key::LettersOutbox)}
            </div>
            <div class="field grow">
                <label for="letters-q" class="visually-hidden">
                    {locale.text(Key::LettersSearchLabel)}
                </label>
                <input
                    id="letters-q"
                    type="search"
                    autocomplete="off"
                    placeholder=locale.text(Key::LettersSearchPlaceholder)
                    aria-label=locale.text(Key::LettersSearchLabel)
                    prop:value=typed
                    on:input=move |ev| {
                        typed.set(event_target_value(&ev));
                        schedule(DEBOUNCE_MS);
                    }
                />
            </div>
            <button id="letters-refresh" type="button" on:click=move |_| schedule(0)>
                {locale.text(Key::LettersRefresh)}
            </button>
            <button
                id="letters-compose"
                type="button"
                class="primary"
                on:click=move |_| on_compose.run((Compose::default(), None))
            >
                {locale.text(Key::LettersCompose)}
            </button>
        </div>
    }
}

/// "No letters", "nothing matches", or "loading" under the table.
fn empty_status(
    locale: Locale,
    letters: RwSignal<Option<Vec<LetterSummary>>>,
    error: RwSignal<Option<ApiError>>,
    searched: Signal<bool>,
) -> impl IntoView {
    match letters.with(|l| l.as_ref().map(Vec::is_empty)) {
        Some(true) => {
            let key = if searched.get() {
                Key::LettersNoHits
            } else {
                Key::LettersEmpty
            };
            view! {
                <p id="letters-empty" class="notice" role="status">
                    {locale.text(key)}
                </p>
            }
            .into_any()
        }
        None if error.with(Option::is_none) => {
            view! { <p class="muted status">{locale.text(Key::Loading)}</p> }.into_any()
        }
        _ => ().into_any(),
    }
}

/// Letters as a table, a row per letter; a click on a row opens it.
#[component]
pub fn LetterTable(
    #[prop(into)] letters: Signal<Option<Vec<LetterSummary>>>,
    on_open: Callback<String>,
    table_id: &'static str,
) -> impl IntoView {
    let locale = use_locale();
    let head = [
        Key::LetterNumber,
        Key::LetterFrom,
        Key::LetterTo,
        Key::LetterSubject,
        Key::LetterDate,
        Key::LetterDeadline,
        Key::LetterStatusLabel,
        Key::LetterFiles,
    ]
    .map(|key| view! { <th scope="col">{locale.text(key)}</th> });
    view! {
        <div class="table-wrap">
            <table id=table_id class="data letters-table">
                <thead>
                    <tr>{head.collect_view()}</tr>
                </thead>
                <tbody>
                    {move || {
                        letters
                            .get()
                            .map(|list| {
                                list.into_iter().map(|l| letter_row(locale, l, on_open)).collect_view()
                            })
                    }}
                </tbody>
            </table>
        </div>
    }
}

fn letter_row(locale: Locale, l: LetterSummary, on_open: Callback<String>) -> impl IntoView {
    let flag = |b: bool| if b { "1" } else { "0" };
    let class = match (l.unread, l.overdue) {
        (true, true) => "letter-row unread overdue",
        (true, false) => "letter-row unread",
        (false, true) => "letter-row overdue",
        (false, false) => "letter-row",
    };
    let at = l.at;
    let id = l.id.clone();
    let opened = l.id.clone();
    view! {
        <tr
            id=row_id(&l)
            class=class
            data-letter-id=id
            data-number=l.number.clone()
            data-subject=l.subject.clone()
            data-status=status_slug(l.status)
            data-unread=flag(l.unread)
            data-overdue=flag(l.overdue)
            on:click=move |_| on_open.run(opened.clone())
        >
            <td class="nowrap">{l.number.clone()}</td>
            <td>{l.from.clone()}</td>
            <td>{countries_text(&l.to)}</td>
            <td class="letter-subject-cell">
                <button type="button" class="link letter-open">{l.subject.clone()}</button>
                {l.unread.then(|| view! { <span class="visually-hidden">{locale.text(Key::LetterUnread)}</span> })}
            </td>
            <td class="nowrap">{move || local_time(locale.get().tag(), at, Precision::Minute)}</td>
            <td>{deadline_cell(locale, l.deadline.clone(), l.overdue)}</td>
            <td>{status_badge(locale, l.status, None)}</td>
            <td class="files-count">{(l.files > 0).then_some(l.files)}</td>
        </tr>
    }
}
