//! The desktop shell of CAREC SIS: a Tauri window around the frontend (`frontend/`), with
//! the Rust side holding the session and making every call to the country node.
//!
//! The page never sees the bearer token and never talks to the node itself: it invokes the
//! commands named in [`sis_proto::desktop::commands`], and the shell adds the token, checks
//! what the page asks for, and hands back the node's answer or an [`sis_proto::ApiError`].
//!
//! # Layout
//! - [`commands`]: the Tauri commands, thin wrappers over [`shell::Shell`].
//! - [`shell`]: what the commands do: login, logout, the current officer, other API calls,
//!   settings.
//! - [`live`]: the node's WebSocket, held for the page with the kept session; its events
//!   reach the page as `sis-live` events.
//! - [`node_client`]: HTTP to the node: typed [`sis_proto::Endpoint`] calls, checked paths,
//!   query strings.
//! - [`session`]: the token and the node that issued it, in memory and in a vault.
//! - [`vault`]: where the token waits between runs: the OS keyring, or an owner-only file.
//! - [`settings`]: the node's address and the language, saved as JSON; [`settings::NodeUrl`]
//!   only holds an acceptable address.
//! - [`paths`]: the app's files and the environment variables that move them
//!   (`SIS_DESKTOP_DATA_DIR`, `SIS_NODE_URL`).
//! - [`error`]: how failures become an [`sis_proto::ApiError`] for the page.
//!
//! Build-time parts live beside `src/`: `tauri.conf.json` (window, CSP, bundles),
//! `capabilities/` (what the main window may call) and `build.rs`.

pub mod commands;
pub mod downloads;
pub mod error;
pub mod live;
pub mod node_client;
pub mod paths;
pub mod session;
pub mod settings;
pub mod shell;
pub mod vault;

use tauri::plugin::TauriPlugin;
use tauri::{AppHandle, Manager, Runtime};

use crate::paths::{AppPaths, Environment};
use crate::shell::Shell;

/// Label of the one window, as in `tauri.conf.json`.
const MAIN_WINDOW: &str = "main";

/// Logs to stderr; `RUST_LOG` picks what, `info` by default.
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // A second initialisation (only possible in tests) keeps the first subscriber.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Colour codes only help a person at a terminal; in a log file they are noise.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}

/// Runs the app until its window closes.
pub fn run() -> Result<(), tauri::Error> {
    let env = Environment::from_process();
    let context = tauri::generate_context!();
    let identifier = context.config().identifier.clone();

    let mut app = tauri::Builder::default();
    // Registered first, so a second launch hands over before anything else starts.
    if let Some(plugin) = single_instance(&identifier, &env) {
        app = app.plugin(plugin);
    }
    app.plugin(window_state(&env))
        .invoke_handler(tauri::generate_handler![
            commands::login,
            commands::logout,
            commands::current_officer,
            commands::api_request,
            commands::get_settings,
            commands::save_settings,
            commands::live_open,
            commands::live_send,
            commands::live_close,
            commands::file_put,
            commands::file_save,
        ])
        .setup(move |app| {
            let shell = open_shell(app.handle(), &identifier, &env)?;
            app.manage(shell);
            app.manage(live::Live::default());
            open_main_window(app.handle(), &env)?;
            Ok(())
        })
        .run(context)
}

fn open_shell<R: Runtime>(
    app: &AppHandle<R>,
    identifier: &str,
    env: &Environment,
) -> Result<Shell, Box<dyn std::error::Error>> {
    let paths = AppPaths::resolve(app, env)?;
    let settings = settings::SettingsStore::open(paths.settings_file, env.node_url.as_deref());
    // A moved data folder keeps the session in its own file: the keyring is one per user,
    // and runs that are meant to be apart must not share a session through it.
    let vault = vault::open(identifier, paths.token_file, env.data_dir.is_none());
    let session = session::SessionKeeper::open(vault);
    let node = node_client::NodeClient::new()?;
    tracing::info!(node = %settings.node().as_str(), "shell ready");
    Ok(Shell::new(node, settings, session).with_downloads(paths.downloads))
}

/// Opens the window described in `tauri.conf.json` (where it is marked `create: false`).
/// It is built here rather than by Tauri so that, with `SIS_DESKTOP_DATA_DIR` set, the
/// webview's own storage (local storage, caches) moves into that folder as well.
fn open_main_window<R: Runtime>(app: &AppHandle<R>, env: &Environment) -> tauri::Result<()> {
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|window| window.label == MAIN_WINDOW)
        .cloned()
        .ok_or_else(|| tauri::Error::WindowNotFound)?;
    let mut window = tauri::WebviewWindowBuilder::from_config(app, &config)?;
    if let Some(dir) = env.webview_data_dir() {
        window = window.data_directory(dir);
    }
    window.build()?;
    Ok(())
}

/// A second launch focuses the first window instead of opening another.
///
/// The instance is one per data folder: with `SIS_DESKTOP_DATA_DIR` set, Linux keys it by
/// the folder; Windows can only key it by the app's identifier, so there the plugin is left
/// out rather than let one isolated run stop another.
fn single_instance<R: Runtime>(identifier: &str, env: &Environment) -> Option<TauriPlugin<R>> {
    let builder =
        tauri_plugin_single_instance::Builder::new().callback(|app, _args, _cwd| focus_main(app));
    match &env.data_dir {
        None => Some(builder.build()),
        #[cfg(target_os = "linux")]
        Some(dir) => {
            use std::hash::{Hash, Hasher};
            let mut hasher = std::hash::DefaultHasher::new();
            dir.hash(&mut hasher);
            Some(
                builder
                    .dbus_id(format!("{identifier}.d{:016x}", hasher.finish()))
                    .build(),
            )
        }
        #[cfg(not(target_os = "linux"))]
        Some(_) => {
            let _ = identifier;
            None
        }
    }
}

fn focus_main<R: Runtime>(app: &AppHandle<R>) {
    tracing::info!("the app was launched again; bringing its window forward");
    let Some(window) = app.get_webview_window(MAIN_WINDOW) else {
        return;
    };
    for (step, result) in [
        ("unminimize", window.unminimize()),
        ("show", window.show()),
        ("focus", window.set_focus()),
    ] {
        if let Err(err) = result {
            tracing::debug!(%err, step, "could not bring the window forward");
        }
    }
}

/// Remembers the window's size and place between runs.
fn window_state<R: Runtime>(env: &Environment) -> TauriPlugin<R> {
    let mut builder = tauri_plugin_window_state::Builder::new();
    if let Some(file) = env.window_state_file() {
        builder = builder.with_filename(file.to_string_lossy());
    }
    builder.build()
}
