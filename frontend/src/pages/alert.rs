//! The error paragraph pages and forms show under what failed: the node's error in the
//! officer's language, announced by screen readers (`role="alert"`), or nothing. A refused
//! request (`bad_request`) also shows the node's own message, which says what was refused;
//! forms put that message beside the field it names instead ([`super::form`]).

use leptos::prelude::*;
use sis_proto::ApiError;

use crate::i18n::{error_detail, error_text};
use crate::language::use_locale;

/// `<p id=… class="error" role="alert">` while `error` holds an error; tests find it by `id`.
/// The node's message, when it adds to the sentence, follows in `span.error-detail`.
#[component]
pub fn ErrorAlert(
    id: &'static str,
    #[prop(into)] error: Signal<Option<ApiError>>,
) -> impl IntoView {
    let locale = use_locale();
    move || {
        error.get().map(|e| {
            let detail = error_detail(&e).map(|d| {
                view! { <span class="error-detail">{d.to_owned()}</span> }
            });
            view! {
                <p id=id class="error" role="alert">
                    {error_text(locale.get(), &e)}
                    {detail}
                </p>
            }
        })
    }
}
