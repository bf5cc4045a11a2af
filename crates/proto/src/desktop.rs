//! What the desktop shell (Tauri commands) and its webview exchange beyond the node's API.

use serde::{Deserialize, Serialize};

/// Interface language. Russian and English from the start; more are added as variants.
/// Deliberately exhaustive: the frontend matches on it per translation key, so a new
/// language fails to compile until every label has it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    #[default]
    En,
    Ru,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::En, Language::Ru];

    /// BCP 47 tag, for `<html lang>`.
    pub const fn tag(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Ru => "ru",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Language> {
        Language::ALL.into_iter().find(|l| l.tag() == tag)
    }
}

/// Settings of the desktop app, kept by the Rust side in the app's config folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DesktopSettings {
    /// Base URL of the country node's internal face, e.g. `https://sis.customs.example:8443`.
    pub node_url: String,
    pub language: Language,
}

/// Tauri command names, shared so the frontend cannot misspell one.
pub mod commands {
    /// `login { request: LoginRequest } -> LoginResponse` (the token stays in the shell;
    /// the response's token field is empty).
    pub const LOGIN: &str = "login";
    /// `logout {} -> ()`.
    pub const LOGOUT: &str = "logout";
    /// `current_officer {} -> Option<Officer>`: the session the shell kept (keyring or owner-only file), if still valid.
    pub const CURRENT_OFFICER: &str = "current_officer";
    /// `api_request { method, path, body: Option<json> } -> json`: any other authenticated call.
    pub const API_REQUEST: &str = "api_request";
    /// `get_settings {} -> DesktopSettings`.
    pub const GET_SETTINGS: &str = "get_settings";
    /// `save_settings { settings: DesktopSettings } -> ()`.
    pub const SAVE_SETTINGS: &str = "save_settings";
    /// `live_open {} -> bool`: the shell opens the node's WebSocket for the kept session (or
    /// keeps the one open, `true` when it is ready already); what happens on it reaches the
    /// page as [`super::LIVE_EVENT`] events.
    pub const LIVE_OPEN: &str = "live_open";
    /// `live_send { message: ClientMessage } -> bool`: `false` when the socket is not ready
    /// (reopening) or too far behind, so the page can say the request was not sent.
    pub const LIVE_SEND: &str = "live_send";
    /// `live_close {} -> ()`.
    pub const LIVE_CLOSE: &str = "live_close";
    /// `file_put` with the file's bytes as the raw body and headers [`super::FILE_PATH_HEADER`]
    /// (a letter attachment's API path) and `Content-Type` -> the draft as JSON: a file
    /// added to a letter, sent by the shell with the session's token.
    pub const FILE_PUT: &str = "file_put";
    /// `file_save { path, name } -> string`: the shell fetches the attachment at `path` and
    /// saves it in the downloads folder under `name` (made unique there); the saved file's
    /// full path.
    pub const FILE_SAVE: &str = "file_save";
}

/// The header of a `file_put` call naming the attachment's API path.
pub const FILE_PATH_HEADER: &str = "sis-path";

/// The event name under which the shell hands the page what happens on the node's
/// WebSocket, each a [`LiveEvent`].
pub const LIVE_EVENT: &str = "sis-live";

/// What happens on the node's WebSocket that the shell holds for the page: the same events
/// a browser's own socket gives its owner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum LiveEvent {
    /// The socket is (again) authenticated; messages sent from now on reach the node.
    Ready,
    /// A message of the node other than the handshake's.
    Message { message: crate::ws::ServerMessage },
    /// The socket dropped; the shell is reopening it.
    Lost,
    /// The node ended the session (or refused it): the socket is not reopened.
    SessionEnded { reason: crate::ApiError },
}
