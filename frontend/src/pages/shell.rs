//! The app after login: the top bar (`#officer-name`, `#officer-role`, `#officer-agency`,
//! `#officer-country`, language, `#logout`), the module navigation (`#sidenav`), and the
//! current page under its `#page-title`.
//!
//! In windows narrower than 900 px the navigation folds away behind `#nav-toggle`
//! (`aria-expanded`), which opens it over the content until a page is chosen; the shell then
//! has the class `nav-open`. Wider windows keep it beside the content and hide the toggle.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::DesktopShell;
use crate::app::Session;
use crate::i18n::{Key, country_label, role_label, t};
use crate::language::{LanguageSwitch, use_locale};
use crate::pages::audit::AuditPage;
use crate::pages::directories::DirectoriesPage;
use crate::pages::ledger::LogPage;
use crate::pages::letters::LettersPage;
use crate::pages::meetings::MeetingsPage;
use crate::pages::module::ModulePage;
use crate::pages::network::NetworkPage;
use crate::pages::settings::SettingsForm;
use crate::route::Page;

#[component]
pub fn Shell(
    session: Session,
    desktop: Option<DesktopShell>,
    on_sign_out: Callback<()>,
) -> impl IntoView {
    let locale = use_locale();
    let Session { api, officer } = session;
    let role = officer.role;
    let in_desktop = desktop.is_some();
    let page = RwSignal::new(Page::HOME);
    // The page shown: one the navigation does not offer this officer is never rendered.
    let shown = move || {
        Some(page.get())
            .filter(|p| p.visible(role, in_desktop))
            .unwrap_or(Page::HOME)
    };
    let api = StoredValue::new(api);
    let signing_out = RwSignal::new(false);
    // The folded navigation of narrow windows, opened.
    let nav_open = RwSignal::new(false);

    let sign_out = move |_| {
        if signing_out.get_untracked() {
            return;
        }
        signing_out.set(true);
        let api = api.get_value();
        spawn_local(async move {
            if let Err(error) = api.logout().await {
                leptos::logging::warn!("the node did not confirm the logout: {error}");
            }
            on_sign_out.run(());
        });
    };

    let navigation = Page::offered(role, in_desktop)
        .map(|target| {
            let current = move || page.get() == target;
            view! {
                <li>
                    <a
                        id=target.nav_id()
                        href="#"
                        class=move || if current() { "nav-link active" } else { "nav-link" }
                        aria-current=move || current().then_some("page")
                        on:click=move |ev| {
                            ev.prevent_default();
                            page.set(target);
                            nav_open.set(false);
                        }
                    >
                        {locale.text(target.title())}
                    </a>
                </li>
            }
        })
        .collect_view();

    let country = officer.country.clone();
    let name = officer.name.clone();
    let agency = officer.agency.clone();
    view! {
        <div id="shell" class=move || if nav_open.get() { "shell nav-open" } else { "shell" }>
            <header class="topbar">
                <button
                    id="nav-toggle"
                    type="button"
                    class="ghost nav-toggle"
                    aria-controls="sidenav"
                    aria-expanded=move || nav_open.get().to_string()
                    aria-label=locale.text(Key::NavToggle)
                    title=locale.text(Key::NavToggle)
                    on:click=move |_| nav_open.update(|open| *open = !*open)
                >
                    <span aria-hidden="true">"☰"</span>
                </button>
                <div class="brand">
                    <span class="brand-mark">"CAREC SIS"</span>
                    <span class="brand-title">{locale.text(Key::AppTitle)}</span>
                </div>
                <div class="officer">
                    <span id="officer-name" class="officer-name">{name}</span>
                    <span id="officer-role" class="badge">{move || role_label(locale.get(), role)}</span>
                    <span id="officer-agency" class="officer-agency">{agency}</span>
                    <span id="officer-country" class="officer-country">
                        {move || country_label(locale.get(), &country)}
                    </span>
                </div>
                <LanguageSwitch />
                <button id="logout" type="button" class="ghost" disabled=signing_out on:click=sign_out>
                    {locale.text(Key::SignOut)}
                </button>
            </header>
            <nav id="sidenav" class="sidenav" aria-label=locale.text(Key::ModulesNav)>
                <ul>{navigation}</ul>
            </nav>
            <main class="content">
                <h1 id="page-title">{move || t(locale.get(), shown().title())}</h1>
                {move || match (shown(), desktop) {
                    (Page::Directories, _) => {
                        view! { <DirectoriesPage api=api.get_value() /> }.into_any()
                    }
                    (Page::Audit, _) => view! { <AuditPage api=api.get_value() /> }.into_any(),
                    (Page::Network, _) => view! { <NetworkPage api=api.get_value() /> }.into_any(),
                    (Page::Ledger, _) => view! { <LogPage api=api.get_value() /> }.into_any(),
                    (Page::Documents, _) => {
                        view! { <LettersPage api=api.get_value() officer=officer.clone() /> }
                            .into_any()
                    }
                    (Page::Meetings, _) => {
                        view! {
                            <MeetingsPage
                                api=api.get_value()
                                officer=officer.clone()
                                desktop=in_desktop
                            />
                        }
                            .into_any()
                    }
                    (Page::Settings, Some(shell)) => view! { <SettingsForm shell /> }.into_any(),
                    (other, _) => view! { <ModulePage page=other /> }.into_any(),
                }}
            </main>
        </div>
    }
}
