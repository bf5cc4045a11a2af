//! The international directories (any signed-in officer): pick one in `#directory-select`,
//! type in `#directory-q`, and `GET /api/v1/directories/{directory}?q=&limit=` answers as you
//! type into `#directory-results` (`tr.directory-hit` rows), or `#directory-empty` when
//! nothing matches.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use sis_proto::ApiError;
use sis_proto::directory::{Directory, DirectoryHit};

use crate::api::AuthenticatedApi;
use crate::directory::{
    DEBOUNCE_MS, SEARCH_LIMIT, attribute_heading, attribute_text, label, matched_badge, names,
    search_path, search_query,
};
use crate::i18n::Key;
use crate::language::{Locale, use_locale};
use crate::pages::alert::ErrorAlert;

/// What the table shows: the hits of one search, and the search they answer.
#[derive(Debug, Clone, PartialEq)]
struct Answer {
    directory: Directory,
    /// Whether words were searched for, rather than the first entries listed.
    searched: bool,
    hits: Vec<DirectoryHit>,
}

#[component]
pub fn DirectoriesPage(api: AuthenticatedApi) -> impl IntoView {
    let locale = use_locale();
    let directory = RwSignal::new(Directory::ALL[0]);
    let typed = RwSignal::new(String::new());
    let answer = RwSignal::new(None::<Answer>);
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    // Bumped by every change of directory or text: a pause timer or an answer that belongs
    // to an older one is dropped, so a slow answer never overwrites a newer one.
    let generation = StoredValue::new(0_u64);
    let api = StoredValue::new(api);
    // Timers run outside the component; searches they start are still cancelled with it.
    let owner = StoredValue::new(Owner::current());

    let search = move |current: u64| {
        let (Some(dir), Some(text)) = (directory.try_get_untracked(), typed.try_get_untracked())
        else {
            return;
        };
        let query = search_query(&text);
        let searched = query.q.is_some();
        let api = api.get_value();
        pending.set(true);
        spawn_local_scoped_with_cancellation(async move {
            let outcome = match search_path(dir) {
                Ok(path) => api.call_at(&path, &query).await,
                Err(e) => Err(e),
            };
            if generation.try_get_value() != Some(current) {
                return;
            }
            match outcome {
                Ok(page) => {
                    error.set(None);
                    answer.set(Some(Answer {
                        directory: dir,
                        searched,
                        hits: page.hits,
                    }));
                }
                Err(e) => {
                    // Hits of an earlier search under the error would look like this one's.
                    answer.set(None);
                    error.set(Some(e));
                }
            }
            pending.set(false);
        });
    };

    // A new search after `delay_ms` unless another change comes first.
    let schedule = move |delay_ms: u64| {
        let Some(current) = generation.try_update_value(|g| {
            *g += 1;
            *g
        }) else {
            return;
        };
        if delay_ms == 0 {
            search(current);
            return;
        }
        set_timeout(
            move || {
                if generation.try_get_value() != Some(current) {
                    return;
                }
                match owner.try_get_value().flatten() {
                    Some(owner) => owner.with(|| search(current)),
                    None => search(current),
                }
            },
            Duration::from_millis(delay_ms),
        );
    };
    schedule(0);

    view! {
        <section class="directories">
            <p class="muted intro">{locale.text(Key::AboutDirectories)}</p>
            {controls(locale, directory, typed, schedule)}
            {results_table(locale, answer, pending)}
            <ErrorAlert id="directory-error" error=error />
            {move || result_status(locale, answer, error)}
        </section>
    }
}

/// The directory chooser and the search field; each change schedules a search.
fn controls(
    locale: Locale,
    directory: RwSignal<Directory>,
    typed: RwSignal<String>,
    schedule: impl Fn(u64) + Copy + 'static,
) -> impl IntoView {
    let options = Directory::ALL
        .into_iter()
        .map(|dir| {
            view! {
                <option value=dir.slug() prop:selected=move || directory.get() == dir>
                    {move || label(locale.get(), dir)}
                </option>
            }
        })
        .collect_view();

    view! {
        <div class="directory-controls">
            <div class="field">
                <label for="directory-select">{locale.text(Key::DirectoryLabel)}</label>
                <select
                    id="directory-select"
                    on:change=move |ev| {
                        if let Some(dir) = Directory::from_slug(&event_target_value(&ev)) {
                            directory.set(dir);
                            schedule(0);
                        }
                    }
                >
                    {options}
                </select>
            </div>
            <div class="field grow">
                <label for="directory-q">{locale.text(Key::DirectorySearchLabel)}</label>
                <input
                    id="directory-q"
                    type="search"
                    autocomplete="off"
                    autocapitalize="none"
                    spellcheck="false"
                    autofocus
                    placeholder=locale.text(Key::DirectorySearchPlaceholder)
                    prop:value=typed
                    on:input=move |ev| {
                        typed.set(event_target_value(&ev));
                        schedule(DEBOUNCE_MS);
                    }
                />
            </div>
        </div>
    }
}

/// The hits of the latest answer, with the attribute column of its directory.
fn results_table(
    locale: Locale,
    answer: RwSignal<Option<Answer>>,
    pending: RwSignal<bool>,
) -> impl IntoView {
    let shown_directory = move || answer.with(|a| a.as_ref().map(|a| a.directory));
    view! {
        <div class="table-wrap">
            <table
                id="directory-results"
                class="data"
                aria-busy=move || pending.get().to_string()
                aria-live="polite"
            >
                <thead>
                    <tr>
                        <th scope="col">{locale.text(Key::DirectoryCode)}</th>
                        <th scope="col" class="directory-names">
                            {locale.text(Key::DirectoryName)}
                        </th>
                        {move || {
                            shown_directory()
                                .and_then(attribute_heading)
                                .map(|key| view! { <th scope="col">{locale.text(key)}</th> })
                        }}
                        <th scope="col">{locale.text(Key::DirectoryMatched)}</th>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        answer
                            .get()
                            .map(|Answer { directory, hits, .. }| {
                                hits.into_iter()
                                    .map(|hit| hit_row(locale, directory, hit))
                                    .collect_view()
                            })
                    }}
                </tbody>
            </table>
        </div>
    }
}

/// Under the table: loading, nothing found, or that there are more than shown.
fn result_status(
    locale: Locale,
    answer: RwSignal<Option<Answer>>,
    error: RwSignal<Option<ApiError>>,
) -> AnyView {
    match answer.with(|a| a.as_ref().map(|a| (a.searched, a.hits.len()))) {
        None if error.with(Option::is_none) => {
            view! { <p class="muted status">{locale.text(Key::Loading)}</p> }.into_any()
        }
        None => ().into_any(),
        Some((searched, 0)) => {
            let key = if searched {
                Key::DirectoryNoHits
            } else {
                Key::DirectoryNoEntries
            };
            view! {
                <p id="directory-empty" class="notice" role="status">
                    {locale.text(key)}
                </p>
            }
            .into_any()
        }
        Some((_, shown)) if shown >= SEARCH_LIMIT as usize => view! {
            <p id="directory-more" class="hint status">
                {locale.text(Key::DirectoryMore)}
            </p>
        }
        .into_any(),
        Some(_) => ().into_any(),
    }
}

/// One hit: code, names (the interface language's first), attribute, what matched.
fn hit_row(locale: Locale, directory: Directory, hit: DirectoryHit) -> impl IntoView {
    let DirectoryHit { entry, matched } = hit;
    let code = entry.code.clone();
    let data_code = code.clone();
    let attribute = attribute_heading(directory).map(|_| {
        let attribute = entry.attribute.clone();
        view! {
            <td class="nowrap directory-attribute">
                {move || attribute_text(locale.get(), directory, &attribute)}
            </td>
        }
    });
    let badge = matched.map(|matched| {
        let (text, explanation) = matched_badge(matched);
        view! {
            <span
                class=format!("match-badge match-{text}")
                title=locale.text(explanation)
                aria-label=locale.text(explanation)
            >
                {text}
            </span>
        }
    });
    view! {
        <tr class="directory-hit" data-code=data_code>
            <td class="nowrap">
                <code class="directory-code">{code}</code>
            </td>
            <td class="directory-names">
                {move || {
                    let shown = names(locale.get(), &entry);
                    let (primary, primary_lang) = shown.primary;
                    let secondary = shown
                        .secondary
                        .map(|(name, lang)| {
                            view! {
                                <div class="name-secondary" lang=lang.tag()>
                                    {name.to_owned()}
                                </div>
                            }
                        });
                    view! {
                        <div class="name-primary" lang=primary_lang.tag()>
                            {primary.to_owned()}
                        </div>
                        {secondary}
                    }
                }}
            </td>
            {attribute}
            <td class="nowrap">{badge}</td>
        </tr>
    }
}
