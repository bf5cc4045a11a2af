//! How a letter's status and deadline look wherever they appear.

use leptos::prelude::*;
use sis_proto::letter::LetterStatus;

use crate::i18n::Key;
use crate::language::Locale;
use crate::letter::{status_key, status_slug};

/// The status as a badge: its word in the interface language, its wire name in
/// `data-status` (and the class, so a refusal stands out).
pub fn status_badge(locale: Locale, status: LetterStatus, id: Option<String>) -> impl IntoView {
    let slug = status_slug(status);
    view! {
        <span id=id class=format!("badge letter-status status-{slug}") data-status=slug>
            {locale.text(status_key(status))}
        </span>
    }
}

/// The deadline, marked when it has passed without an answer.
pub fn deadline_cell(locale: Locale, deadline: Option<String>, overdue: bool) -> impl IntoView {
    view! {
        <span class="nowrap">{deadline}</span>
        {overdue
            .then(|| {
                view! {
                    <span class="badge overdue-badge" title=locale.text(Key::LetterOverdue)>
                        {locale.text(Key::LetterOverdue)}
                    </span>
                }
            })}
    }
}
