//! The interface language of this page: its first choice, keeping the person's choice
//! (`localStorage` in a browser, the shell's settings in the desktop), and applying it to
//! `<html lang dir>`. Components read it through [`Locale`], provided as context.

use leptos::prelude::*;
use leptos::task::spawn_local;
use sis_proto::desktop::Language;

use crate::api::DesktopShell;
use crate::i18n::{self, Key};

/// `localStorage` key of the browser's language choice (per origin, kept across sessions).
const LANGUAGE_KEY: &str = "sis.language";

/// The current language, and where a choice is kept.
#[derive(Debug, Clone, Copy)]
pub struct Locale {
    lang: RwSignal<Language>,
    desktop: Option<DesktopShell>,
}

impl Locale {
    /// The current language; tracked, so a view reading it re-renders on a switch.
    pub fn get(self) -> Language {
        self.lang.get()
    }

    pub fn get_untracked(self) -> Language {
        self.lang.get_untracked()
    }

    /// A text that follows the language: every label is one of these, so a switch
    /// re-renders them all at once.
    pub fn text(self, key: Key) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        move || i18n::t(self.lang.get(), key)
    }

    /// Switches to `lang` and keeps the choice for next time.
    pub fn choose(self, lang: Language) {
        self.lang.set(lang);
        match self.desktop {
            None => remember_in_browser(lang),
            Some(shell) => spawn_local(async move {
                let saved = async {
                    let mut settings = shell.settings().await?;
                    settings.language = lang;
                    shell.save_settings(&settings).await
                };
                if let Err(error) = saved.await {
                    leptos::logging::warn!("the language choice was not saved: {error}");
                }
            }),
        }
    }

    /// Switches to `lang` that the caller has already kept (the settings page saves it with
    /// the rest of the settings).
    pub fn show(self, lang: Language) {
        self.lang.set(lang);
    }
}

/// Creates the page's [`Locale`] and provides it as context.
pub fn provide_locale(desktop: Option<DesktopShell>) -> Locale {
    let initial = match desktop {
        None => browser_language(),
        Some(_) => Language::default(),
    };
    let locale = Locale {
        lang: RwSignal::new(initial),
        desktop,
    };
    if let Some(shell) = desktop {
        // The desktop keeps the language with its settings; until they arrive (a few
        // milliseconds) the page shows the default.
        spawn_local(async move {
            match shell.settings().await {
                Ok(settings) => locale.lang.set(settings.language),
                Err(error) => leptos::logging::warn!("desktop settings unavailable: {error}"),
            }
        });
    }
    Effect::new(move |_| apply_to_document(locale.lang.get()));
    provide_context(locale);
    locale
}

/// The page's [`Locale`]; [`provide_locale`] runs in the root component, above every user.
pub fn use_locale() -> Locale {
    expect_context::<Locale>()
}

/// The language kept by this browser, else the browser's own preference, else the default.
fn browser_language() -> Language {
    let Some(window) = web_sys::window() else {
        return Language::default();
    };
    let kept = window
        .local_storage()
        .ok()
        .flatten()
        .and_then(|storage| storage.get_item(LANGUAGE_KEY).ok().flatten())
        .and_then(|tag| Language::from_tag(&tag));
    kept.or_else(|| {
        window
            .navigator()
            .language()
            .and_then(|tag| i18n::language_for_browser_tag(&tag))
    })
    .unwrap_or_default()
}

fn remember_in_browser(lang: Language) {
    let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten());
    // Without storage the choice lasts until the page is reloaded.
    if let Some(storage) = storage {
        let _ = storage.set_item(LANGUAGE_KEY, lang.tag());
    }
}

/// `<html lang>` lets screen readers and hyphenation follow; `dir` turns the layout.
fn apply_to_document(lang: Language) {
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("lang", lang.tag());
        let _ = root.set_attribute("dir", i18n::direction(lang));
    }
}

/// `<option>`s for every language, named in their own language, `current` selected.
pub fn language_options(
    current: impl Fn() -> Language + Copy + Send + Sync + 'static,
) -> impl IntoView {
    Language::ALL
        .into_iter()
        .map(move |lang| {
            view! {
                <option value=lang.tag() prop:selected=move || current() == lang>
                    {i18n::native_name(lang)}
                </option>
            }
        })
        .collect_view()
}

/// The `#lang-switch` select of the top bar and the login page.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let locale = use_locale();
    view! {
        <select
            id="lang-switch"
            class="lang-switch"
            aria-label=locale.text(Key::Language)
            title=locale.text(Key::Language)
            on:change=move |ev| {
                if let Some(lang) = Language::from_tag(&event_target_value(&ev)) {
                    locale.choose(lang);
                }
            }
        >
            {language_options(move || locale.get())}
        </select>
    }
}
