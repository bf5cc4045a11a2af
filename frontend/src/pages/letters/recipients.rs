//! The countries a letter goes to: a checkbox for each CAREC member but this node's own,
//! named as the countries directory names them (`GET /api/v1/directories/countries`). The
//! directory only adds the names: without it the interface's own names stand in, so a
//! letter can still be written when the directory does not answer.

use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use sis_proto::ApiError;
use sis_proto::directory::DirectoryEntry;

use crate::api::AuthenticatedApi;
use crate::directory::search_path;
use crate::i18n::Key;
use crate::language::use_locale;
use crate::letter::{countries_query, recipient_choices};
use crate::pages::form::field_error;

#[component]
pub fn RecipientPicker(
    api: AuthenticatedApi,
    /// This node's country, never offered.
    own: String,
    /// The ticked codes, in the order they were ticked.
    selected: RwSignal<Vec<String>>,
    /// The node's message about `to`, shown under the countries.
    error: Signal<Option<ApiError>>,
    /// Called when a box changes, so the form forgets an error about `to`.
    on_change: Callback<()>,
) -> impl IntoView {
    let locale = use_locale();
    let countries = RwSignal::new(Vec::<DirectoryEntry>::new());
    spawn_local_scoped_with_cancellation(async move {
        let (directory, query) = countries_query();
        let outcome = match search_path(directory) {
            Ok(path) => api.call_at(&path, &query).await,
            Err(e) => Err(e),
        };
        match outcome {
            Ok(page) => countries.set(page.hits.into_iter().map(|h| h.entry).collect()),
            Err(e) => leptos::logging::warn!("countries directory unavailable: {e}"),
        }
    });

    let boxes = move || {
        countries
            .with(|entries| recipient_choices(locale.get(), &own, entries))
            .into_iter()
            .map(|choice| {
                let code = choice.code;
                let id = format!("letter-to-{code}");
                let ticked = move || selected.with(|s| s.iter().any(|c| c == code));
                view! {
                    <label class="country-choice" for=format!("letter-to-{code}")>
                        <input
                            id=id
                            type="checkbox"
                            value=code
                            prop:checked=ticked
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                selected.update(|s| {
                                    s.retain(|c| c != code);
                                    if on {
                                        s.push(code.to_owned());
                                    }
                                });
                                on_change.run(());
                            }
                        />
                        {choice.label()}
                    </label>
                }
            })
            .collect_view()
    };
    view! {
        <fieldset
            id="letter-to"
            class="country-choices"
            aria-invalid=move || error.with(Option::is_some).then_some("true")
        >
            <legend>{locale.text(Key::LetterTo)}</legend>
            <p class="hint">{locale.text(Key::LetterRecipientsHint)}</p>
            <div class="country-grid">{boxes}</div>
        </fieldset>
        {field_error(error, "letter-to-error".to_owned())}
    }
}
