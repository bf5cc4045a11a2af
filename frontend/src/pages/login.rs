//! The login page: `#login`, `#password`, `#login-submit`, and `#login-error` with the
//! translated sentence for the error's code. In the desktop it also opens the connection
//! settings, since nobody can sign in before the node's address is set.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sis_proto::{ApiError, LoginRequest};

use crate::api::{DesktopShell, UnauthenticatedApi};
use crate::app::Session;
use crate::i18n::Key;
use crate::language::{LanguageSwitch, use_locale};
use crate::pages::alert::ErrorAlert;
use crate::pages::settings::SettingsForm;

#[component]
pub fn Login(
    api: UnauthenticatedApi,
    desktop: Option<DesktopShell>,
    /// The error to show: why the last session ended, or why the last attempt failed.
    notice: RwSignal<Option<ApiError>>,
    on_sign_in: Callback<Session>,
) -> impl IntoView {
    let locale = use_locale();
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let api = StoredValue::new(api);

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let request = LoginRequest {
            login: login.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
        };
        pending.set(true);
        notice.set(None);
        let api = api.get_value();
        spawn_local(async move {
            match api.login(&request).await {
                Ok((api, officer)) => on_sign_in.run(Session { api, officer }),
                Err(error) => {
                    password.set(String::new());
                    notice.set(Some(error));
                    pending.set(false);
                }
            }
        });
    };

    let connection_settings = desktop.map(|shell| {
        let open = RwSignal::new(false);
        view! {
            <div class="login-settings">
                <button
                    id="login-settings"
                    type="button"
                    class="link"
                    aria-expanded=move || open.get().to_string()
                    on:click=move |_| open.update(|o| *o = !*o)
                >
                    {locale.text(Key::ConnectionSettings)}
                </button>
                <Show when=move || open.get()>
                    <SettingsForm shell />
                </Show>
            </div>
        }
    });

    view! {
        <div id="login-page" class="login-page">
            <div class="login-lang">
                <LanguageSwitch />
            </div>
            <main class="login-card">
                <div class="login-brand">
                    <span class="brand-mark">"CAREC SIS"</span>
                    <span class="brand-title">{locale.text(Key::AppTitle)}</span>
                </div>
                <h1>{locale.text(Key::SignInTitle)}</h1>
                <p class="muted">{locale.text(Key::SignInIntro)}</p>
                <form class="form" on:submit=submit>
                    <label for="login">{locale.text(Key::LoginLabel)}</label>
                    <input
                        id="login"
                        name="login"
                        type="text"
                        autocomplete="username"
                        autocapitalize="none"
                        spellcheck="false"
                        required
                        autofocus
                        prop:value=login
                        on:input=move |ev| login.set(event_target_value(&ev))
                    />
                    <label for="password">{locale.text(Key::PasswordLabel)}</label>
                    <input
                        id="password"
                        name="password"
                        type="password"
                        autocomplete="current-password"
                        required
                        prop:value=password
                        on:input=move |ev| password.set(event_target_value(&ev))
                    />
                    <ErrorAlert id="login-error" error=notice />
                    <button id="login-submit" type="submit" class="primary" disabled=pending>
                        {move || {
                            if pending.get() {
                                locale.text(Key::SigningIn)()
                            } else {
                                locale.text(Key::SignIn)()
                            }
                        }}
                    </button>
                </form>
                {connection_settings}
            </main>
        </div>
    }
}
