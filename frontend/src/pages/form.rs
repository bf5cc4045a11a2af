//! Forms whose refused requests show where the officer looks: the node's message beside
//! the field whose path it starts with (`title: must be 1 to 200 printable characters`
//! beside the title), anything else under the form. A form makes one [`FormError`] with the
//! names its fields have on the wire, draws its inputs with [`TextField`] and its general
//! error with [`ErrorAlert`](super::alert::ErrorAlert) over [`FormError::general`].
//!
//! Element ids, for tests: a field's input has the `id` it is given; its error is
//! `#<id>-error` (`p.error.field-error`), and the input then has `aria-invalid="true"`.

use leptos::prelude::*;
use sis_proto::ApiError;

use crate::form::named_field;
use crate::i18n::Key;
use crate::language::use_locale;

/// A form's last refused request, and the fields (wire names) it can be shown beside.
#[derive(Debug, Clone, Copy)]
pub struct FormError {
    error: RwSignal<Option<ApiError>>,
    fields: &'static [&'static str],
}

impl FormError {
    pub fn new(fields: &'static [&'static str]) -> Self {
        Self {
            error: RwSignal::new(None),
            fields,
        }
    }

    pub fn set(self, error: Option<ApiError>) {
        self.error.set(error);
    }

    /// The error while it names `field`.
    pub fn for_field(self, field: &'static str) -> Signal<Option<ApiError>> {
        Signal::derive(move || {
            self.error.with(|e| {
                e.as_ref()
                    .filter(|e| named_field(e, self.fields) == Some(field))
                    .cloned()
            })
        })
    }

    /// The error while it names none of the form's fields.
    pub fn general(self) -> Signal<Option<ApiError>> {
        Signal::derive(move || {
            self.error.with(|e| {
                e.as_ref()
                    .filter(|e| named_field(e, self.fields).is_none())
                    .cloned()
            })
        })
    }

    /// Forgets the error when it is about `field` (the officer is correcting it).
    pub fn corrected(self, field: &'static str) {
        let about_field = self.error.with_untracked(|e| {
            e.as_ref()
                .is_some_and(|e| named_field(e, self.fields) == Some(field))
        });
        if about_field {
            self.error.set(None);
        }
    }
}

/// A labelled one-line input for the request field `name`, with the node's message for that
/// field under it.
#[component]
pub fn TextField(
    form: FormError,
    /// The field's name in the request, as the node's messages spell it.
    name: &'static str,
    id: &'static str,
    label: Key,
    value: RwSignal<String>,
    /// The input's `type`: `text`, or one with the same string value (`date`, `search`).
    #[prop(default = "text")]
    kind: &'static str,
) -> impl IntoView {
    let locale = use_locale();
    let error = form.for_field(name);
    let error_id = format!("{id}-error");
    let described = error_id.clone();
    view! {
        <label for=id>{locale.text(label)}</label>
        <input
            id=id
            name=name
            type=kind
            autocomplete="off"
            aria-invalid=move || error.with(Option::is_some).then_some("true")
            aria-describedby=move || error.with(Option::is_some).then(|| described.clone())
            prop:value=value
            on:input=move |ev| {
                value.set(event_target_value(&ev));
                form.corrected(name);
            }
        />
        {field_error(error, error_id)}
    }
}

/// A labelled multi-line text area for the request field `name`, with the node's message
/// for that field under it.
#[component]
pub fn TextArea(
    form: FormError,
    name: &'static str,
    id: &'static str,
    label: Key,
    value: RwSignal<String>,
    #[prop(default = 8)] rows: u32,
) -> impl IntoView {
    let locale = use_locale();
    let error = form.for_field(name);
    let error_id = format!("{id}-error");
    let described = error_id.clone();
    view! {
        <label for=id>{locale.text(label)}</label>
        <textarea
            id=id
            name=name
            rows=rows
            aria-invalid=move || error.with(Option::is_some).then_some("true")
            aria-describedby=move || error.with(Option::is_some).then(|| described.clone())
            prop:value=value
            on:input=move |ev| {
                value.set(event_target_value(&ev));
                form.corrected(name);
            }
        ></textarea>
        {field_error(error, error_id)}
    }
}

/// The node's message under a field, `#<id>-error`, while there is one.
pub fn field_error(error: Signal<Option<ApiError>>, error_id: String) -> impl IntoView {
    move || {
        error.get().map(|e| {
            view! {
                <p id=error_id.clone() class="error field-error" role="alert">
                    {e.message}
                </p>
            }
        })
    }
}
