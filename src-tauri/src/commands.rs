//! The Tauri commands, one per name in [`sis_proto::desktop::commands`]. Each hands its
//! arguments to [`Shell`]; the function and argument names are the contract with the page.

use std::sync::Arc;

use serde_json::Value;
use sis_proto::desktop::{DesktopSettings, LIVE_EVENT};
use sis_proto::ws::ClientMessage;
use sis_proto::{ApiError, LoginRequest, LoginResponse, Officer};
use tauri::{AppHandle, Emitter, State};

use crate::live::Live;
use crate::shell::Shell;

/// `login { request } -> LoginResponse`, with the token field empty: the shell keeps it.
#[tauri::command]
pub async fn login(
    shell: State<'_, Shell>,
    request: LoginRequest,
) -> Result<LoginResponse, ApiError> {
    shell.login(request).await
}

/// `logout {} -> ()`: ends the session at the node if it answers, and here in any case.
#[tauri::command]
pub async fn logout(shell: State<'_, Shell>, live: State<'_, Live>) -> Result<(), ApiError> {
    live.close();
    shell.logout().await
}

/// `current_officer {} -> Option<Officer>`: who the kept session belongs to, if it is still
/// good.
#[tauri::command]
pub async fn current_officer(shell: State<'_, Shell>) -> Result<Option<Officer>, ApiError> {
    shell.current_officer().await
}

/// `api_request { method, path, body } -> json`: any other call under `/api/v1/`, with the
/// session's token. A `GET`'s body becomes its query string.
#[tauri::command]
pub async fn api_request(
    shell: State<'_, Shell>,
    method: String,
    path: String,
    body: Option<Value>,
) -> Result<Value, ApiError> {
    shell.api_request(&method, &path, body).await
}

/// `get_settings {} -> DesktopSettings`.
#[tauri::command]
pub async fn get_settings(shell: State<'_, Shell>) -> Result<DesktopSettings, ApiError> {
    Ok(shell.settings())
}

/// `save_settings { settings } -> ()`: refused with `bad_request` naming `node_url` when the
/// address is not acceptable.
#[tauri::command]
pub async fn save_settings(
    shell: State<'_, Shell>,
    settings: DesktopSettings,
) -> Result<(), ApiError> {
    shell.save_settings(&settings)
}

/// `live_open {} -> bool`: opens the node's WebSocket with the kept session (or keeps the
/// one open; `true` when that one is ready already); its events reach the page as
/// `sis-live` events.
#[tauri::command]
pub async fn live_open(
    app: AppHandle,
    shell: State<'_, Shell>,
    live: State<'_, Live>,
) -> Result<bool, ApiError> {
    let (node, token) = shell.session()?;
    Ok(live.open(
        &node,
        token,
        Arc::new(move |event| {
            if let Err(err) = app.emit(LIVE_EVENT, &event) {
                tracing::warn!(%err, "a WebSocket event could not be handed to the page");
            }
        }),
    ))
}

/// `live_send { message } -> bool`: `false` when the socket is not ready or too far behind.
#[tauri::command]
pub async fn live_send(live: State<'_, Live>, message: ClientMessage) -> Result<bool, ApiError> {
    // The shell authenticates the socket itself; the page has no token to send.
    if matches!(message, ClientMessage::Auth { .. }) {
        return Ok(false);
    }
    Ok(live.send(message))
}

/// `live_close {} -> ()`.
#[tauri::command]
pub async fn live_close(live: State<'_, Live>) -> Result<(), ApiError> {
    live.close();
    Ok(())
}

/// `file_put` (raw body: the file; headers `sis-path` and `Content-Type`) -> json: adds the
/// file to a letter's draft; the draft as it now stands.
#[tauri::command]
pub async fn file_put(
    shell: State<'_, Shell>,
    request: tauri::ipc::Request<'_>,
) -> Result<Value, ApiError> {
    let tauri::ipc::InvokeBody::Raw(bytes) = request.body() else {
        return Err(crate::error::bad_request(
            "body",
            "must be the file's bytes, not JSON.",
        ));
    };
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
            .ok_or_else(|| crate::error::bad_request(name, "is missing."))
    };
    let path = header(sis_proto::desktop::FILE_PATH_HEADER)?;
    let content_type = header("content-type")?;
    shell.put_file(&path, &content_type, bytes.clone()).await
}

/// `file_save { path, name } -> string`: saves the attachment at `path` in the downloads
/// folder; where it was saved.
#[tauri::command]
pub async fn file_save(
    shell: State<'_, Shell>,
    path: String,
    name: String,
) -> Result<String, ApiError> {
    let saved = shell.save_file(&path, &name).await?;
    Ok(saved.display().to_string())
}
