//! Official letters between customs services (the "Electronic Document Management" page):
//! the inbox and outbox ([`mailbox`]), a new letter or a reply ([`compose`], with its
//! countries from [`recipients`]), and one letter with its delivery to each country, its
//! files ([`files`]), whether this node's log proves each envelope ([`log_badge`]) and the
//! other letters of its case ([`reading`]).
//!
//! Element ids, for tests:
//! - Mailboxes: tabs `#letters-inbox`, `#letters-outbox` (`aria-selected="true"` on the one
//!   shown); `#letters-compose`; search `#letters-q`; `#letters-refresh`; the table
//!   `#letters-list`, each row `tr.letter-row` with id `letter-row-<registration number>`
//!   (a draft: `letter-row-<id>`) and `data-letter-id`, `data-number`, `data-subject`,
//!   `data-status` (the wire name: `queued`, `delivered`, …), `data-unread` and
//!   `data-overdue` (`1` or `0`); `#letters-empty`, `#letters-error`.
//! - Compose (`#letter-compose`): the countries `fieldset#letter-to` of checkboxes
//!   `#letter-to-<CC>` (`#letter-to-UZ`); `#letter-agency`, `#letter-subject`, `#letter-body`,
//!   `#letter-deadline` (a date), `#letter-files` (file input; disabled in the desktop);
//!   `#letter-replying` when answering; `#letter-send`, `#letter-cancel`. The node's message
//!   about a field under it as `#letter-to-error`, `#letter-subject-error`, …; a file that
//!   could not be added as `#letter-files-error`; anything else as `#letter-send-error`;
//!   `#letter-draft-kept` once a draft waits for its files.
//! - A letter (`#letter-view`, `data-letter-id`, `data-status`): `#letter-back`,
//!   `#letter-number`, `#letter-status`, `#letter-from`, `#letter-to-countries`,
//!   `#letter-agency-name`, `#letter-view-subject`, `#letter-view-body`,
//!   `#letter-deadline-date`, `#letter-overdue`, `#letter-their-number` (incoming),
//!   `#letter-log` (incoming: the badge `#letter-verified-<sender's CC>` of the envelope it
//!   came in, as below), `#letter-reply`, `#letter-send-draft` (a draft); files `#letter-files-list` of `button.letter-file` with `data-name` (a failed
//!   download: `#letter-file-error`); the
//!   delivery table `#letter-recipients`, one row per country with cells
//!   `#letter-status-<CC>` (`data-status`), `#letter-their-number-<CC>`,
//!   `#letter-receipt-<CC>` (the log index), `#letter-refusal-<CC>`, `#letter-log-<CC>`
//!   holding the badge `#letter-verified-<CC>` (`data-verified="true|false"`, the proof
//!   checked in the browser, [`log_badge`]) and `#letter-cosigned-<CC>`; the thread
//!   `#letter-thread` (rows as in the mailboxes) or `#letter-thread-empty`
//!   (`#letter-thread-error`); `#letter-error`.

mod compose;
mod files;
mod log_badge;
mod mailbox;
mod reading;
mod recipients;
mod status;

use leptos::prelude::*;
use sis_proto::Officer;
use sis_proto::letter::Mailbox;

use crate::api::AuthenticatedApi;
use crate::letter::Compose;

use compose::ComposeForm;
use mailbox::MailboxView;
use reading::LetterView;

/// What the page shows.
#[derive(Debug, Clone)]
enum Shown {
    Mailbox,
    /// A new letter; when answering, the number of the letter answered, to show.
    Compose(Compose, Option<String>),
    /// One letter, by id.
    Letter(String),
}

#[component]
pub fn LettersPage(api: AuthenticatedApi, officer: Officer) -> impl IntoView {
    let shown = RwSignal::new(Shown::Mailbox);
    // Kept across views, so "back" returns to the tab and search the officer left.
    let mailbox = RwSignal::new(Mailbox::Inbox);
    let typed = RwSignal::new(String::new());
    let api = StoredValue::new(api);
    let own = StoredValue::new(officer.country);

    let open = Callback::new(move |id: String| shown.set(Shown::Letter(id)));
    // A letter just sent is shown; "back" from it leads to the outbox where it now is.
    let sent = Callback::new(move |id: String| {
        mailbox.set(Mailbox::Outbox);
        shown.set(Shown::Letter(id));
    });
    let back = Callback::new(move |()| shown.set(Shown::Mailbox));
    let compose = Callback::new(move |(form, replying): (Compose, Option<String>)| {
        shown.set(Shown::Compose(form, replying));
    });

    move || match shown.get() {
        Shown::Mailbox => view! {
            <MailboxView api=api.get_value() mailbox typed on_open=open on_compose=compose />
        }
        .into_any(),
        Shown::Compose(form, replying) => view! {
            <ComposeForm
                api=api.get_value()
                own=own.get_value()
                form
                replying
                on_sent=sent
                on_cancel=back
            />
        }
        .into_any(),
        Shown::Letter(id) => view! {
            <LetterView
                api=api.get_value()
                own=own.get_value()
                id
                on_back=back
                on_open=open
                on_reply=compose
            />
        }
        .into_any(),
    }
}
