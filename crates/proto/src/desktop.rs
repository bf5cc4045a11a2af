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
}
