//! The web interface of CAREC SIS: a Leptos app rendered in the client and compiled to
//! wasm. The country node serves it to browsers; the desktop shell (`src-tauri/`) embeds it.
//! All wire types come from `sis-proto`.
//!
//! # Layout
//! - [`app`]: the root component: picks the transport, resumes a session, shows the login
//!   page or the shell.
//! - [`api`]: the typed API every page uses. `request` and `response` turn an
//!   [`Endpoint`](sis_proto::Endpoint) call into wire form and back; `browser` (same-origin
//!   `fetch`) and `desktop` (Tauri commands) carry it; `session` holds the handles
//!   `UnauthenticatedApi` → `AuthenticatedApi` and `DesktopShell`.
//! - [`form`]: which field of a form a refused request names (the path its message starts
//!   with), so the form shows the node's message beside that field.
//! - [`i18n`]: compile-time checked texts (`en`, `ru`), role, country and error labels.
//! - [`language`]: the current language: its first choice, keeping it, `<html lang dir>`,
//!   the language switch.
//! - [`route`]: the pages, their navigation ids and who sees them.
//! - [`directory`]: the directories page's pure half: names, search request, how an entry
//!   reads in each language.
//! - [`letter`]: the letters pages' pure half: mailbox and thread queries, the countries a
//!   letter can go to, the compose request, replies, a file's path, statuses and sizes.
//! - [`proof`]: a ledger proof checked in the browser (RFC 9162 inclusion, the checkpoint's
//!   size and root lines), for the letters' "verified" badge.
//! - [`network`]: the network page's and the badge's pure half: peer order, forks, ids,
//!   texts with numbers.
//! - [`ledger`]: the log page's pure half: ids, directions, recipients, hashes, paging.
//! - [`meeting`]: a meeting room's pure half: the room as one officer sees it, updated by the
//!   node's events, and what each event asks the page to do.
//! - `presence` (browser only): one officer in one meeting: the WebSocket, the media and the
//!   signals the room page draws.
//! - `media` (browser only): the `RTCPeerConnection` to the node's SFU and the camera.
//! - [`pages`]: `login`, `shell` (top bar, navigation, content), `module` (modules not built
//!   yet), `directories` (code-list search), `audit`, `network` (admins: peers, trust list,
//!   cosigned logs, forks) and `ledger` (admins: the node's own log, its checkpoints and
//!   cosignatures), `settings` (desktop),
//!   `letters` (inbox, outbox, compose, one letter and its thread),
//!   `meetings` (list, create, minutes) and `meeting_room` (lobby, tiles, chat, moderation);
//!   `alert` and `form` draw errors under a form and beside its fields.
//!
//! Only `i18n`, `form`, `route`, `directory`, `letter`, `meeting`, `proof`, `network`,
//! `ledger` and the pure halves of `api` compile on the host, so that
//! `cargo test -p sis-frontend` runs there without building the UI stack.

// The pure modules are used by UI code that exists only in the wasm build; on the host only
// their tests use them.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod api;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod directory;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod form;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod i18n;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod ledger;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod letter;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod meeting;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod network;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod proof;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod route;

#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod language;
#[cfg(target_arch = "wasm32")]
mod media;
#[cfg(target_arch = "wasm32")]
mod pages;
#[cfg(target_arch = "wasm32")]
mod presence;

#[cfg(target_arch = "wasm32")]
fn main() {
    // A panic's message goes to the browser console instead of a bare "unreachable".
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "sis-frontend runs in a browser or the desktop shell: build it with \
         --target wasm32-unknown-unknown"
    );
    std::process::exit(2);
}
