//! The audit log (admins): `GET /api/v1/audit`, newest first, a page at a time; "load more"
//! asks for the entries before the oldest one shown.

use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use sis_proto::ApiError;
use sis_proto::audit::{AuditEntry, AuditQuery};
use sis_proto::endpoint::ListAudit;

use crate::api::AuthenticatedApi;
use crate::i18n::Key;
use crate::language::use_locale;
use crate::pages::alert::ErrorAlert;
use crate::pages::time::{Precision, local_time};

/// Entries per request: a screenful or two, well under the node's cap of 1000.
const PAGE_SIZE: u32 = 100;

#[component]
pub fn AuditPage(api: AuthenticatedApi) -> impl IntoView {
    let locale = use_locale();
    let entries = RwSignal::new(Vec::<AuditEntry>::new());
    let error = RwSignal::new(None::<ApiError>);
    let loading = RwSignal::new(false);
    let loaded = RwSignal::new(false);
    // A page shorter than asked for was the last one.
    let exhausted = RwSignal::new(false);
    let api = StoredValue::new(api);

    let load_more = move || {
        if loading.get_untracked() {
            return;
        }
        loading.set(true);
        error.set(None);
        let before = entries.with_untracked(|shown| shown.last().map(|e| e.id));
        let api = api.get_value();
        spawn_local_scoped_with_cancellation(async move {
            let query = AuditQuery {
                limit: Some(PAGE_SIZE),
                before,
            };
            match api.call::<ListAudit>(&query).await {
                Ok(page) => {
                    exhausted.set(page.entries.len() < PAGE_SIZE as usize);
                    entries.update(|shown| shown.extend(page.entries));
                }
                Err(e) => error.set(Some(e)),
            }
            loaded.set(true);
            loading.set(false);
        });
    };
    load_more();

    let none_shown = move || entries.with(Vec::is_empty);
    view! {
        <section class="audit">
            <p class="muted">{locale.text(Key::AuditIntro)}</p>
            <div class="table-wrap">
                <table id="audit-table" class="data">
                    <thead>
                        <tr>
                            <th scope="col">{locale.text(Key::AuditTime)}</th>
                            <th scope="col">{locale.text(Key::AuditActor)}</th>
                            <th scope="col">{locale.text(Key::AuditAction)}</th>
                            <th scope="col">{locale.text(Key::AuditTarget)}</th>
                            <th scope="col">{locale.text(Key::AuditAddress)}</th>
                            <th scope="col">{locale.text(Key::AuditOutcome)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || entries.get() key=|entry| entry.id children=audit_row />
                    </tbody>
                </table>
            </div>
            <ErrorAlert id="audit-error" error=error />
            <div class="table-actions">
                {move || {
                    if !loaded.get() {
                        view! { <p class="muted">{locale.text(Key::Loading)}</p> }.into_any()
                    } else if none_shown() {
                        let empty = error.with(Option::is_none);
                        view! {
                            <p class="muted">{move || empty.then(locale.text(Key::AuditEmpty))}</p>
                        }
                            .into_any()
                    } else if exhausted.get() {
                        view! { <p class="muted">{locale.text(Key::AuditNoOlder)}</p> }.into_any()
                    } else {
                        view! {
                            <button
                                id="audit-more"
                                type="button"
                                disabled=loading
                                on:click=move |_| load_more()
                            >
                                {move || {
                                    if loading.get() {
                                        locale.text(Key::Loading)()
                                    } else {
                                        locale.text(Key::AuditLoadMore)()
                                    }
                                }}
                            </button>
                        }
                            .into_any()
                    }
                }}
            </div>
        </section>
    }
}

fn audit_row(entry: AuditEntry) -> impl IntoView {
    let locale = use_locale();
    let at = entry.at;
    let outcome_class = if entry.outcome == "ok" {
        "outcome ok"
    } else {
        "outcome failed"
    };
    view! {
        <tr>
            <td class="nowrap">{move || local_time(locale.get().tag(), at, Precision::Second)}</td>
            <td>{or_dash(entry.actor)}</td>
            <td>
                <code>{entry.action}</code>
            </td>
            <td>{or_dash(entry.target)}</td>
            <td class="nowrap">{or_dash(entry.address)}</td>
            <td>
                <span class=outcome_class>{entry.outcome}</span>
            </td>
        </tr>
    }
}

/// An absent actor is the node itself or an anonymous attempt; absent target or address
/// simply do not apply. A dash says "none" without claiming which.
fn or_dash(value: Option<String>) -> String {
    value.unwrap_or_else(|| "—".to_owned())
}
