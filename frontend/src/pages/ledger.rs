//! The node's own log (admins): `GET /api/v1/exchange/log`. Its name (`#ledger-origin`),
//! size (`#ledger-tree-size`) and root (`#ledger-root`); the newest signed checkpoint as
//! its note text (`#ledger-checkpoint`) with one item per cosignature
//! (`#ledger-cosignature-<CC>`, or `#ledger-no-cosignatures`); the newest checkpoints
//! (`#ledger-checkpoints`); and the entries newest first (`#ledger-entry-<index>`), a page
//! at a time: `#ledger-older` asks for the entries before the oldest shown, and
//! `#ledger-refresh` starts again from the newest.

use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use sis_proto::ApiError;
use sis_proto::endpoint::GetExchangeLog;
use sis_proto::ledger::{
    CheckpointSummary, LedgerCheckpoint, LedgerEntry, LedgerPage, LedgerQuery,
};

use crate::api::AuthenticatedApi;
use crate::i18n::{Key, country_label};
use crate::language::{Locale, use_locale};
use crate::ledger::{
    PAGE_SIZE, cosignature_id, direction_label, entry_id, recipients_label, short_hash, with_older,
};
use crate::pages::alert::ErrorAlert;
use crate::pages::time::{Precision, local_time};

#[component]
pub fn LogPage(api: AuthenticatedApi) -> impl IntoView {
    let locale = use_locale();
    // The newest page: the log's head, its checkpoints, and where the older pages start.
    let head = RwSignal::new(None::<LedgerPage>);
    let entries = RwSignal::new(Vec::<LedgerEntry>::new());
    let next_before = RwSignal::new(None::<u64>);
    let error = RwSignal::new(None::<ApiError>);
    let loading = RwSignal::new(false);
    let api = StoredValue::new(api);

    // `older`: the next page below the entries shown; otherwise the newest page again.
    let load = move |older: bool| {
        if loading.get_untracked() {
            return;
        }
        let before = if older {
            match next_before.get_untracked() {
                Some(b) => Some(b),
                None => return,
            }
        } else {
            None
        };
        loading.set(true);
        error.set(None);
        let api = api.get_value();
        spawn_local_scoped_with_cancellation(async move {
            let query = LedgerQuery {
                before,
                limit: Some(PAGE_SIZE),
            };
            match api.call::<GetExchangeLog>(&query).await {
                Ok(page) => {
                    next_before.set(page.next_before);
                    if older {
                        entries.update(|shown| *shown = with_older(std::mem::take(shown), &page));
                    } else {
                        entries.set(page.entries.clone());
                        head.set(Some(page));
                    }
                }
                Err(e) => error.set(Some(e)),
            }
            loading.set(false);
        });
    };
    load(false);

    let summary = move || head.get().map(|page| summary(locale, page));
    let more = move || {
        head.with(Option::is_some).then(|| {
            if next_before.get().is_some() {
                view! {
                    <button id="ledger-older" type="button" disabled=loading on:click=move |_| load(true)>
                        {move || {
                            if loading.get() {
                                locale.text(Key::Loading)()
                            } else {
                                locale.text(Key::LedgerOlder)()
                            }
                        }}
                    </button>
                }
                .into_any()
            } else if entries.with(Vec::is_empty) {
                view! { <p id="ledger-empty" class="muted">{locale.text(Key::LedgerEmpty)}</p> }
                    .into_any()
            } else {
                view! { <p class="muted">{locale.text(Key::LedgerNoOlder)}</p> }.into_any()
            }
        })
    };
    view! {
        <section class="ledger">
            <p class="muted">{locale.text(Key::LedgerIntro)}</p>
            <div class="table-actions">
                <button id="ledger-refresh" type="button" disabled=loading on:click=move |_| load(false)>
                    {locale.text(Key::LedgerRefresh)}
                </button>
            </div>
            {summary}
            <h2>{locale.text(Key::LedgerEntriesTitle)}</h2>
            <div class="table-wrap">
                <table id="ledger-entries" class="data">
                    <thead>
                        <tr>
                            <th scope="col">{locale.text(Key::LedgerIndex)}</th>
                            <th scope="col">{locale.text(Key::LedgerLoggedAt)}</th>
                            <th scope="col">{locale.text(Key::LedgerDirection)}</th>
                            <th scope="col">{locale.text(Key::LedgerDocType)}</th>
                            <th scope="col">{locale.text(Key::LedgerSender)}</th>
                            <th scope="col">{locale.text(Key::LedgerRecipients)}</th>
                            <th scope="col">{locale.text(Key::LedgerEnvelope)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || entries.get() key=|e| e.index children=move |e| entry_row(locale, e) />
                    </tbody>
                </table>
            </div>
            <ErrorAlert id="ledger-error" error=error />
            <div class="table-actions">{more}</div>
        </section>
    }
}

/// The log's head, its newest checkpoint with the cosignatures, and the newest checkpoints.
fn summary(locale: Locale, page: LedgerPage) -> impl IntoView {
    let checkpoint = match page.checkpoint {
        Some(c) => checkpoint_view(locale, c).into_any(),
        None => view! { <p id="ledger-checkpoint-none" class="muted">{locale.text(Key::LedgerNoCheckpoint)}</p> }
            .into_any(),
    };
    let root = page.root_hash.clone();
    view! {
        <dl class="ledger-head">
            <dt>{locale.text(Key::LedgerOrigin)}</dt>
            <dd id="ledger-origin"><code>{page.origin}</code></dd>
            <dt>{locale.text(Key::LedgerTreeSize)}</dt>
            <dd id="ledger-tree-size" data-size=page.tree_size>{page.tree_size}</dd>
            <dt>{locale.text(Key::LedgerRoot)}</dt>
            <dd id="ledger-root" data-root=root><code class="hash">{page.root_hash}</code></dd>
        </dl>
        <h2>{locale.text(Key::LedgerCheckpointTitle)}</h2>
        {checkpoint}
        <h2>{locale.text(Key::LedgerCheckpointsTitle)}</h2>
        {checkpoint_table(locale, page.checkpoints)}
    }
}

fn checkpoint_view(locale: Locale, c: LedgerCheckpoint) -> impl IntoView {
    let signed_at = c.signed_at;
    let cosignatures = if c.cosignatures.is_empty() {
        view! { <p id="ledger-no-cosignatures" class="muted">{locale.text(Key::LedgerNoCosignatures)}</p> }
            .into_any()
    } else {
        let items = c
            .cosignatures
            .into_iter()
            .map(|s| {
                let id = cosignature_id(&s);
                let (cosigned, received) = (s.cosigned_at, s.received_at);
                let who = s.peer.clone();
                let witness = s.witness.clone();
                view! {
                    <li id=id data-witness=witness>
                        <strong>
                            {move || match &who {
                                Some(cc) => country_label(locale.get(), cc),
                                None => String::new(),
                            }}
                        </strong>
                        " " <code title=locale.text(Key::LedgerWitness)>{s.witness}</code> " · "
                        {locale.text(Key::LedgerCosignedAt)} " "
                        <span class="nowrap">{move || local_time(locale.get().tag(), cosigned, Precision::Second)}</span>
                        " · " {locale.text(Key::LedgerReceivedAt)} " "
                        <span class="nowrap">{move || local_time(locale.get().tag(), received, Precision::Second)}</span>
                        <pre class="note-line">{s.line}</pre>
                    </li>
                }
            })
            .collect_view();
        view! { <ul id="ledger-cosignatures" class="cosignatures">{items}</ul> }.into_any()
    };
    view! {
        <p class="muted">
            {locale.text(Key::LedgerSignedAt)} " "
            <span class="nowrap">{move || local_time(locale.get().tag(), signed_at, Precision::Second)}</span>
        </p>
        <pre id="ledger-checkpoint" class="note" data-size=c.tree_size>{c.note}</pre>
        <h3>{locale.text(Key::LedgerCosignaturesTitle)}</h3>
        {cosignatures}
    }
}

fn checkpoint_table(locale: Locale, checkpoints: Vec<CheckpointSummary>) -> impl IntoView {
    let rows = checkpoints
        .into_iter()
        .map(|c| {
            let at = c.signed_at;
            view! {
                <tr id=format!("ledger-checkpoint-{}", c.tree_size)>
                    <td class="count">{c.tree_size}</td>
                    <td class="nowrap">{move || local_time(locale.get().tag(), at, Precision::Second)}</td>
                    <td title=c.root_hash.clone()><code>{short_hash(&c.root_hash)}</code></td>
                    <td class="count" data-cosignatures=c.cosignatures>{c.cosignatures}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table id="ledger-checkpoints" class="data">
                <thead>
                    <tr>
                        <th scope="col">{locale.text(Key::LedgerSize)}</th>
                        <th scope="col">{locale.text(Key::LedgerSignedAt)}</th>
                        <th scope="col">{locale.text(Key::LedgerRoot)}</th>
                        <th scope="col">{locale.text(Key::LedgerCosignaturesTitle)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

fn entry_row(locale: Locale, e: LedgerEntry) -> impl IntoView {
    let at = e.logged_at;
    let direction = e.direction.clone();
    let recipients = e.recipients.clone();
    let sender = e.sender.clone();
    let (envelope, logged_direction) = (e.envelope_id.clone(), e.direction.clone());
    view! {
        <tr id=entry_id(e.index) data-envelope=envelope data-direction=logged_direction>
            <td class="count">{e.index}</td>
            <td class="nowrap">
                {move || at.map(|at| local_time(locale.get().tag(), at, Precision::Second))}
            </td>
            <td>{move || direction_label(locale.get(), &direction)}</td>
            <td>{e.doc_type.map(|d| view! { <code>{d}</code> })}</td>
            <td class="nowrap">{move || country_label(locale.get(), &sender)}</td>
            <td>{move || recipients_label(locale.get(), &recipients)}</td>
            <td title=e.envelope_sha256><code>{e.envelope_id}</code></td>
        </tr>
    }
}
