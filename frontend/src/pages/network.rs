//! The network (admins): `GET /api/v1/exchange/peers`: the trust list in force
//! (`#network-trust-list`), and per member a row `#peer-row-<CC>` with its deliveries
//! (`#peer-queued-<CC>`, `#peer-in-flight-<CC>`, `#peer-delivered-<CC>`,
//! `#peer-refused-<CC>`), the last delivery error, the size of its log this node last
//! cosigned, and the forks of its log this node holds evidence of (`#peer-forks-<CC>`; any
//! raises `#network-fork-alert`). `#network-refresh` asks again.

use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use sis_proto::ApiError;
use sis_proto::endpoint::ListPeers;
use sis_proto::ledger::{PeerList, PeerState};

use crate::api::AuthenticatedApi;
use crate::i18n::{Key, country_label};
use crate::language::{Locale, use_locale};
use crate::network::{fork_alert, forked, peer_cell_id, sorted};
use crate::pages::alert::ErrorAlert;
use crate::pages::time::{Precision, local_time};

#[component]
pub fn NetworkPage(api: AuthenticatedApi) -> impl IntoView {
    let locale = use_locale();
    let list = RwSignal::new(None::<PeerList>);
    let error = RwSignal::new(None::<ApiError>);
    let loading = RwSignal::new(false);
    let api = StoredValue::new(api);

    let load = move || {
        if loading.get_untracked() {
            return;
        }
        loading.set(true);
        error.set(None);
        let api = api.get_value();
        spawn_local_scoped_with_cancellation(async move {
            match api.call::<ListPeers>(&()).await {
                Ok(peers) => list.set(Some(sorted(peers))),
                Err(e) => error.set(Some(e)),
            }
            loading.set(false);
        });
    };
    load();

    let trust_list = move || {
        list.with(|l| l.as_ref().map(|l| l.trust_list_version))
            .map(|version| match version {
                Some(v) => view! {
                    <p id="network-trust-list" data-version=v>
                        {locale.text(Key::NetworkTrustList)} ": " <strong>{v}</strong>
                    </p>
                }
                .into_any(),
                None => view! {
                    <p id="network-trust-list" class="muted">{locale.text(Key::NetworkNoTrustList)}</p>
                }
                .into_any(),
            })
    };
    let alert = move || {
        list.with(|l| {
            let l = l.as_ref()?;
            let countries = forked(&l.peers);
            (!countries.is_empty()).then(|| fork_alert(locale.get(), &countries))
        })
        .map(|text| view! { <p id="network-fork-alert" class="error" role="alert">{text}</p> })
    };
    let table = move || {
        list.get().map(|l| {
            if l.peers.is_empty() {
                let empty = l
                    .trust_list_version
                    .is_some()
                    .then(|| locale.text(Key::NetworkNoPeers));
                return view! { <p id="network-empty" class="muted">{empty}</p> }.into_any();
            }
            peer_table(locale, l.peers).into_any()
        })
    };
    view! {
        <section class="network">
            <p class="muted">{locale.text(Key::NetworkIntro)}</p>
            {trust_list}
            {alert}
            <div class="table-actions">
                <button id="network-refresh" type="button" disabled=loading on:click=move |_| load()>
                    {move || {
                        if loading.get() {
                            locale.text(Key::Loading)()
                        } else {
                            locale.text(Key::NetworkRefresh)()
                        }
                    }}
                </button>
            </div>
            {table}
            <ErrorAlert id="network-error" error=error />
        </section>
    }
}

fn peer_table(locale: Locale, peers: Vec<PeerState>) -> impl IntoView {
    let head = [
        Key::NetworkCountry,
        Key::NetworkName,
        Key::NetworkEndpoint,
        Key::NetworkQueued,
        Key::NetworkInFlight,
        Key::NetworkDelivered,
        Key::NetworkRefused,
        Key::NetworkLastError,
        Key::NetworkCosigned,
        Key::NetworkForks,
    ]
    .map(|key| view! { <th scope="col">{locale.text(key)}</th> });
    let rows = peers
        .into_iter()
        .map(|p| peer_row(locale, p))
        .collect_view();
    view! {
        <div class="table-wrap">
            <table id="network-peers" class="data">
                <thead><tr>{head.collect_view()}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

fn peer_row(locale: Locale, p: PeerState) -> impl IntoView {
    let cc = p.country.to_ascii_uppercase();
    let id = |what: &str| peer_cell_id(what, &cc);
    let country = p.country.clone();
    let cosigned = match (p.cosigned_size, p.cosigned_at) {
        (Some(size), at) => view! {
            {locale.text(Key::NetworkCosignedSize)} " " <strong>{size}</strong>
            {at.map(|at| view! {
                <br />
                <span class="muted nowrap">{move || local_time(locale.get().tag(), at, Precision::Second)}</span>
            })}
        }
        .into_any(),
        (None, _) => view! { <span class="muted">{locale.text(Key::NetworkNotCosigned)}</span> }.into_any(),
    };
    let (row_class, forks_class) = if p.forks > 0 {
        ("peer forked", "count alert")
    } else {
        ("peer", "count")
    };
    view! {
        <tr id=id("row") class=row_class data-country=cc.clone()>
            <td class="nowrap">{move || country_label(locale.get(), &country)}</td>
            <td id=id("name")>{p.name}</td>
            <td id=id("url")><code>{p.external_url}</code></td>
            <td id=id("queued") class="count">{p.queued}</td>
            <td id=id("in-flight") class="count">{p.in_flight}</td>
            <td id=id("delivered") class="count">{p.delivered}</td>
            <td id=id("refused") class="count">{p.refused}</td>
            <td id=id("error")>{p.last_error}</td>
            <td id=id("cosigned") data-size=p.cosigned_size>{cosigned}</td>
            <td id=id("forks") class=forks_class data-forks=p.forks>{p.forks}</td>
        </tr>
    }
}
