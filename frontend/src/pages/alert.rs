//! The error paragraph pages and forms show under what failed: the node's error in the
//! officer's language, announced by screen readers (`role="alert"`), or nothing.

use leptos::prelude::*;
use sis_proto::ApiError;

use crate::i18n::error_text;
use crate::language::use_locale;

/// `<p id=… class="error" role="alert">` while `error` holds an error; tests find it by `id`.
#[component]
pub fn ErrorAlert(
    id: &'static str,
    #[prop(into)] error: Signal<Option<ApiError>>,
) -> impl IntoView {
    let locale = use_locale();
    move || {
        error.get().map(|e| {
            view! {
                <p id=id class="error" role="alert">
                    {error_text(locale.get(), &e)}
                </p>
            }
        })
    }
}
