//! Where the app keeps its files, and the environment variables that move them.

use std::path::PathBuf;

use tauri::{AppHandle, Manager, Runtime};

/// Puts settings, the token file and the window state under one folder instead of the OS's
/// folders, so test runs (or a portable install) stay apart from each other.
pub const DATA_DIR_ENV: &str = "SIS_DESKTOP_DATA_DIR";
/// Overrides the saved node address, so a test can point the app at a node it started.
pub const NODE_URL_ENV: &str = "SIS_NODE_URL";

const SETTINGS_FILE: &str = "settings.json";
const TOKEN_FILE: &str = "session-token";
const WINDOW_STATE_FILE: &str = "window-state.json";
const WEBVIEW_DIR: &str = "webview";
const DOWNLOADS_DIR: &str = "downloads";

/// The environment variables the app reads, read once at start.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    /// `SIS_DESKTOP_DATA_DIR`, made absolute.
    pub data_dir: Option<PathBuf>,
    /// `SIS_NODE_URL`, as written; [`crate::settings`] checks it.
    pub node_url: Option<String>,
}

impl Environment {
    pub fn from_process() -> Environment {
        let non_empty = |name| std::env::var_os(name).filter(|value| !value.is_empty());
        Environment {
            data_dir: non_empty(DATA_DIR_ENV)
                .map(PathBuf::from)
                .map(|dir| std::path::absolute(&dir).unwrap_or(dir)),
            node_url: non_empty(NODE_URL_ENV).map(|url| url.to_string_lossy().into_owned()),
        }
    }

    /// The window-state plugin's file when the data folder is moved; `None` leaves it in the
    /// plugin's default place, the app's config folder. The plugin joins this to its folder,
    /// and joining an absolute path yields that path.
    pub fn window_state_file(&self) -> Option<PathBuf> {
        self.data_dir
            .as_ref()
            .map(|dir| dir.join(WINDOW_STATE_FILE))
    }

    /// The webview's storage when the data folder is moved; `None` leaves it in the OS's
    /// place for the app.
    pub fn webview_data_dir(&self) -> Option<PathBuf> {
        self.data_dir.as_ref().map(|dir| dir.join(WEBVIEW_DIR))
    }
}

/// The files the shell itself reads and writes.
#[derive(Debug, Clone)]
pub struct AppPaths {
    pub settings_file: PathBuf,
    pub token_file: PathBuf,
    /// Where letters' files are saved: the OS's downloads folder, or `downloads` in the
    /// moved data folder.
    pub downloads: PathBuf,
}

impl AppPaths {
    /// Under `SIS_DESKTOP_DATA_DIR` when set (created if missing), else the settings in the
    /// app's config folder and the token in its data folder.
    pub fn resolve<R: Runtime>(
        app: &AppHandle<R>,
        env: &Environment,
    ) -> Result<AppPaths, std::io::Error> {
        if let Some(dir) = &env.data_dir {
            std::fs::create_dir_all(dir)?;
            return Ok(AppPaths {
                settings_file: dir.join(SETTINGS_FILE),
                token_file: dir.join(TOKEN_FILE),
                downloads: dir.join(DOWNLOADS_DIR),
            });
        }
        let folder = |found: tauri::Result<PathBuf>| found.map_err(std::io::Error::other);
        Ok(AppPaths {
            settings_file: folder(app.path().app_config_dir())?.join(SETTINGS_FILE),
            token_file: folder(app.path().app_data_dir())?.join(TOKEN_FILE),
            downloads: match app.path().download_dir() {
                Ok(dir) => dir,
                // No downloads folder known (a minimal Linux session): the home folder.
                Err(_) => folder(app.path().home_dir())?,
            },
        })
    }
}
