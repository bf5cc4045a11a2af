//! The page of a module whose screens are not built yet: what it will hold, so an officer
//! finding it knows what is coming.

use leptos::prelude::*;

use crate::i18n::Key;
use crate::language::use_locale;
use crate::route::Page;

#[component]
pub fn ModulePage(page: Page) -> impl IntoView {
    let locale = use_locale();
    view! {
        <section class="module" id="module-page">
            {page.about().map(|about| view! { <p class="lead">{locale.text(about)}</p> })}
            <p class="notice">{locale.text(Key::NotYetBuilt)}</p>
        </section>
    }
}
