//! The desktop's settings (`get_settings` / `save_settings`): the node's address and the
//! language. Shown as a page in the shell and, before login, from the login page.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use sis_proto::ApiError;
use sis_proto::desktop::{DesktopSettings, Language};

use crate::api::DesktopShell;
use crate::i18n::{Key, error_text};
use crate::language::{language_options, use_locale};

#[component]
pub fn SettingsForm(shell: DesktopShell) -> impl IntoView {
    let locale = use_locale();
    let node_url = RwSignal::new(String::new());
    let language = RwSignal::new(locale.get_untracked());
    let loaded = RwSignal::new(false);
    let saving = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Result<(), ApiError>>);

    spawn_local_scoped_with_cancellation(async move {
        match shell.settings().await {
            Ok(settings) => {
                node_url.set(settings.node_url);
                language.set(settings.language);
            }
            Err(error) => outcome.set(Some(Err(error))),
        }
        loaded.set(true);
    });

    let save = move |ev: SubmitEvent| {
        ev.prevent_default();
        let settings = DesktopSettings {
            node_url: node_url.get_untracked().trim().to_owned(),
            language: language.get_untracked(),
        };
        saving.set(true);
        outcome.set(None);
        spawn_local_scoped_with_cancellation(async move {
            let saved = shell.save_settings(&settings).await;
            if saved.is_ok() {
                locale.show(settings.language);
            }
            outcome.set(Some(saved));
            saving.set(false);
        });
    };

    view! {
        <form id="settings-form" class="form settings" on:submit=save>
            <label for="settings-node-url">{locale.text(Key::SettingsNodeUrl)}</label>
            <input
                id="settings-node-url"
                type="url"
                required
                placeholder="https://"
                spellcheck="false"
                prop:value=node_url
                on:input=move |ev| node_url.set(event_target_value(&ev))
            />
            <p class="hint">{locale.text(Key::SettingsNodeUrlHint)}</p>
            <label for="settings-language">{locale.text(Key::Language)}</label>
            <select
                id="settings-language"
                on:change=move |ev| {
                    if let Some(lang) = Language::from_tag(&event_target_value(&ev)) {
                        language.set(lang);
                    }
                }
            >
                {language_options(move || language.get())}
            </select>
            <div class="form-actions">
                <button
                    id="settings-save"
                    type="submit"
                    class="primary"
                    disabled=move || saving.get() || !loaded.get()
                >
                    {locale.text(Key::SettingsSave)}
                </button>
            </div>
            {move || match outcome.get() {
                None => ().into_any(),
                Some(Ok(())) => {
                    view! {
                        <p id="settings-status" class="success" role="status">
                            {locale.text(Key::SettingsSaved)}
                        </p>
                    }
                        .into_any()
                }
                Some(Err(error)) => {
                    view! {
                        <p id="settings-status" class="error" role="alert">
                            {error_text(locale.get(), &error)}
                        </p>
                    }
                        .into_any()
                }
            }}
        </form>
    }
}
