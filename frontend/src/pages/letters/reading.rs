//! One letter (`GET /api/v1/letters/{id}`, which marks an incoming letter read): its
//! numbers, countries, agency, subject, text, deadline and files, how far it got in each
//! country it went to, "Reply", a draft's "Send", and the other letters of its case.

use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use sis_proto::ApiError;
use sis_proto::endpoint::{GetLetter, ListLetters, SendLetter};
use sis_proto::letter::{Letter, LetterStatus, LetterSummary, Recipient};

use super::files::FileList;
use super::log_badge::LogBadge;
use super::mailbox::LetterTable;
use super::status::{deadline_cell, status_badge};
use crate::api::{AuthenticatedApi, EndpointPath};
use crate::i18n::{Key, country_label};
use crate::language::{Locale, use_locale};
use crate::letter::{Compose, reply_to, thread, thread_queries};
use crate::pages::alert::ErrorAlert;
use crate::pages::time::{Precision, local_time};

#[component]
pub fn LetterView(
    api: AuthenticatedApi,
    own: String,
    id: String,
    on_back: Callback<()>,
    on_open: Callback<String>,
    on_reply: Callback<(Compose, Option<String>)>,
) -> impl IntoView {
    let locale = use_locale();
    let letter = RwSignal::new(None::<Letter>);
    let error = RwSignal::new(None::<ApiError>);
    let api = StoredValue::new(api);
    let path = EndpointPath::<GetLetter>::fill(&[("id", &id)]);
    let loader = api.get_value();
    spawn_local_scoped_with_cancellation(async move {
        let outcome = match path {
            Ok(path) => loader.call_at(&path, &()).await,
            Err(e) => Err(e),
        };
        match outcome {
            Ok(l) => letter.set(Some(l)),
            Err(e) => error.set(Some(e)),
        }
    });

    let own = StoredValue::new(own);
    let shown = move || {
        letter.get().map(|l| {
            let reply = reply_to(&l, &own.get_value());
            let number = l.summary.number.clone();
            let on_reply = Callback::new(move |()| on_reply.run((reply.clone(), Some(number.clone()))));
            view! {
                {head(locale, &l, on_reply, api, letter, error)}
                {details(locale, api, &l)}
                <h2>{locale.text(Key::LetterFiles)}</h2>
                <FileList api=api.get_value() letter_id=l.summary.id.clone() files=l.attachments.clone() />
                {(!l.recipients.is_empty()).then(|| delivery(locale, api, l.recipients.clone()))}
                <Thread api=api.get_value() case=l.summary.case.clone() reading=l.summary.id.clone() on_open />
            }
        })
    };
    view! {
        <section id="letter-view" class="letter-view" data-letter-id=id
            data-status=move || letter.with(|l| l.as_ref().map(|l| crate::letter::status_slug(l.summary.status)))>
            <button id="letter-back" type="button" class="link" on:click=move |_| on_back.run(())>
                {locale.text(Key::LetterBack)}
            </button>
            {shown}
            <ErrorAlert id="letter-error" error=error />
            {move || (letter.with(Option::is_none) && error.with(Option::is_none))
                .then(|| view! { <p class="muted status">{locale.text(Key::Loading)}</p> })}
        </section>
    }
}

/// Number, status, subject, and what can be done: reply, or send a draft.
fn head(
    locale: Locale,
    l: &Letter,
    on_reply: Callback<()>,
    api: StoredValue<AuthenticatedApi>,
    letter: RwSignal<Option<Letter>>,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView + use<> {
    let s = &l.summary;
    let draft = s.status == LetterStatus::Draft;
    let id = s.id.clone();
    let send = move |_| {
        let api = api.get_value();
        let path = EndpointPath::<SendLetter>::fill(&[("id", &id)]);
        error.set(None);
        spawn_local_scoped_with_cancellation(async move {
            let outcome = match path {
                Ok(path) => api.call_at(&path, &()).await,
                Err(e) => Err(e),
            };
            match outcome {
                Ok(sent) => letter.set(Some(sent)),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let action = if draft {
        view! {
            <button id="letter-send-draft" type="button" class="primary" on:click=send>
                {locale.text(Key::LetterSendDraft)}
            </button>
        }
        .into_any()
    } else {
        view! {
            <button id="letter-reply" type="button" class="primary" on:click=move |_| on_reply.run(())>
                {locale.text(Key::LetterReply)}
            </button>
        }
        .into_any()
    };
    view! {
        <div class="letter-head">
            <span id="letter-number" class="letter-number">{s.number.clone()}</span>
            {status_badge(locale, s.status, Some("letter-status".to_owned()))}
            {action}
        </div>
        <h2 id="letter-view-subject" class="letter-subject">{s.subject.clone()}</h2>
    }
}

/// The letter's particulars, and its text.
fn details(
    locale: Locale,
    api: StoredValue<AuthenticatedApi>,
    l: &Letter,
) -> impl IntoView + use<> {
    let s = &l.summary;
    let at = s.at;
    let from = s.from.clone();
    let to = s.to.clone();
    let row = |key: Key, value: AnyView| {
        view! {
            <dt>{locale.text(key)}</dt>
            <dd>{value}</dd>
        }
    };
    let body = if l.body.trim().is_empty() {
        view! { <p id="letter-view-body" class="letter-body muted">{locale.text(Key::LetterNoText)}</p> }.into_any()
    } else {
        view! { <div id="letter-view-body" class="letter-body">{l.body.clone()}</div> }.into_any()
    };
    let their = l.their_number.clone().map(|n| {
        row(
            Key::LetterSenderNumber,
            view! { <span id="letter-their-number">{n}</span> }.into_any(),
        )
    });
    // An incoming letter's envelope, as this node's log accepted it: the same badge as a
    // recipient's row of an outgoing letter, under the sender's country.
    let logged = l.envelope_id.clone().map(|envelope_id| {
        let cc = s.from.clone();
        row(
            Key::LedgerColumn,
            view! { <span id="letter-log"><LogBadge api=api.get_value() country=cc envelope_id /></span> }
                .into_any(),
        )
    });
    let author = l.author.clone().map(|a| {
        row(
            Key::LetterAuthor,
            view! { <span id="letter-author">{a}</span> }.into_any(),
        )
    });
    view! {
        <dl class="letter-details">
            {row(Key::LetterFrom, view! { <span id="letter-from">{move || country_label(locale.get(), &from)}</span> }.into_any())}
            {row(Key::LetterTo, view! {
                <span id="letter-to-countries">
                    {move || to.iter().map(|c| country_label(locale.get(), c)).collect::<Vec<_>>().join(", ")}
                </span>
            }.into_any())}
            {row(Key::LetterAgency, view! { <span id="letter-agency-name">{l.agency.clone()}</span> }.into_any())}
            {row(Key::LetterDate, view! { <span>{move || local_time(locale.get().tag(), at, Precision::Minute)}</span> }.into_any())}
            {s.deadline.clone().map(|d| row(Key::LetterDeadline, view! {
                <span id="letter-deadline-date">{deadline_cell(locale, Some(d), false)}</span>
                {s.overdue.then(|| view! { <span id="letter-overdue" class="badge overdue-badge">{locale.text(Key::LetterOverdue)}</span> })}
            }.into_any()))}
            {their}
            {logged}
            {author}
            {row(Key::LetterCase, view! { <code class="letter-case">{s.case.clone()}</code> }.into_any())}
        </dl>
        {body}
    }
}

/// How far the letter got in each country: status, their number, the receipt's log index,
/// a refusal's code and message, and whether this node's log proves the envelope.
fn delivery(
    locale: Locale,
    api: StoredValue<AuthenticatedApi>,
    recipients: Vec<Recipient>,
) -> impl IntoView {
    let rows = recipients
        .into_iter()
        .map(|r| {
            let cc = r.country.clone();
            let updated = r.updated_at;
            let refusal = r.refusal.map(|f| view! { <code>{f.code}</code> " " {f.message} });
            let logged = r.envelope_id.map(|envelope_id| {
                view! { <LogBadge api=api.get_value() country=cc.clone() envelope_id /> }
            });
            view! {
                <tr class="letter-recipient" data-country=cc.clone()>
                    <td>{move || country_label(locale.get(), &r.country)}</td>
                    <td id=format!("letter-status-{cc}") data-status=crate::letter::status_slug(r.status)>
                        {status_badge(locale, r.status, None)}
                    </td>
                    <td id=format!("letter-their-number-{cc}")>{r.their_number}</td>
                    <td id=format!("letter-receipt-{cc}")>{r.receipt.map(|rc| rc.log_index)}</td>
                    <td id=format!("letter-refusal-{cc}")>{refusal}</td>
                    <td id=format!("letter-log-{cc}")>{logged}</td>
                    <td class="nowrap">{move || local_time(locale.get().tag(), updated, Precision::Minute)}</td>
                </tr>
            }
        })
        .collect_view();
    let head = [
        Key::LetterCountry,
        Key::LetterStatusLabel,
        Key::LetterTheirNumber,
        Key::LetterReceipt,
        Key::LetterRefusal,
        Key::LedgerColumn,
        Key::LetterUpdated,
    ]
    .map(|key| view! { <th scope="col">{locale.text(key)}</th> });
    view! {
        <h2>{locale.text(Key::LetterDelivery)}</h2>
        <div class="table-wrap">
            <table id="letter-recipients" class="data">
                <thead><tr>{head.collect_view()}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// The other letters of the case, received and sent, newest first.
#[component]
fn Thread(
    api: AuthenticatedApi,
    case: String,
    reading: String,
    on_open: Callback<String>,
) -> impl IntoView {
    let locale = use_locale();
    let letters = RwSignal::new(None::<Vec<LetterSummary>>);
    let error = RwSignal::new(None::<ApiError>);
    spawn_local_scoped_with_cancellation(async move {
        let [inbox, outbox] = thread_queries(&case);
        let found = async {
            let inbox = api.call::<ListLetters>(&inbox).await?;
            let outbox = api.call::<ListLetters>(&outbox).await?;
            Ok::<_, ApiError>(thread(inbox.letters, outbox.letters, &reading))
        };
        match found.await {
            Ok(list) => letters.set(Some(list)),
            Err(e) => error.set(Some(e)),
        }
    });
    view! {
        <h2>{locale.text(Key::LetterThread)}</h2>
        {move || match letters.with(|l| l.as_ref().map(Vec::is_empty)) {
            Some(true) => view! {
                <p id="letter-thread-empty" class="muted">{locale.text(Key::LetterThreadEmpty)}</p>
            }.into_any(),
            Some(false) => view! { <LetterTable letters=letters on_open table_id="letter-thread" /> }.into_any(),
            None => ().into_any(),
        }}
        <ErrorAlert id="letter-thread-error" error=error />
    }
}
