//! The desktop transport: commands of the Tauri shell through
//! `window.__TAURI_INTERNALS__.invoke(cmd, args)`, which resolves with the command's value or
//! rejects with its serialised [`ApiError`].

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use sis_proto::desktop::commands;
use sis_proto::{ApiError, Endpoint, ErrorCode};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::request::{EndpointPath, prepare_at};

const INTERNALS: &str = "__TAURI_INTERNALS__";

fn internals() -> Option<JsValue> {
    let window = web_sys::window()?;
    js_sys::Reflect::get(&window, &JsValue::from_str(INTERNALS))
        .ok()
        .filter(|v| v.is_object())
}

/// Whether this page runs inside the desktop shell.
pub(super) fn available() -> bool {
    internals().is_some()
}

/// Arguments of a command that takes none.
#[derive(Serialize)]
pub(super) struct NoArgs {}

/// Runs a shell command.
pub(super) async fn invoke<A: Serialize, R: DeserializeOwned>(
    command: &str,
    args: &A,
) -> Result<R, ApiError> {
    // JSON-compatible: plain objects rather than ES `Map`s, which the shell's deserialiser
    // would not take for structs and JSON values.
    let args = args
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|_| shell_error("The request could not be encoded for the desktop shell."))?;
    let value = invoke_js(command, &args, &JsValue::UNDEFINED).await?;
    serde_wasm_bindgen::from_value(value).map_err(|_| {
        ApiError::new(
            ErrorCode::Network,
            "The desktop shell's answer could not be read.",
        )
    })
}

/// Runs a shell command with `args` as they are (an object, or bytes for a raw body) and
/// Tauri's invoke `options` (its headers).
async fn invoke_js(command: &str, args: &JsValue, options: &JsValue) -> Result<JsValue, ApiError> {
    let internals =
        internals().ok_or_else(|| shell_error("The desktop shell is not available."))?;
    let invoke: js_sys::Function = js_sys::Reflect::get(&internals, &JsValue::from_str("invoke"))
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or_else(|| shell_error("The desktop shell cannot run commands."))?;
    let promise: js_sys::Promise = invoke
        .call3(&internals, &JsValue::from_str(command), args, options)
        .ok()
        .and_then(|p| p.dyn_into().ok())
        .ok_or_else(|| shell_error("The desktop shell did not accept the command."))?;
    JsFuture::from(promise).await.map_err(rejected)
}

/// `file_put`: `file`'s bytes as the raw body, its attachment `path` and `content_type` as
/// headers; the draft as it now stands.
pub(super) async fn put_file(
    path: &str,
    file: &web_sys::Blob,
    content_type: &str,
) -> Result<sis_proto::letter::Letter, ApiError> {
    let unreadable = |_| shell_error("The chosen file could not be read.");
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(unreadable)?;
    let bytes = js_sys::Uint8Array::new(&buffer);
    let headers = js_sys::Object::new();
    let set = |target: &js_sys::Object, name: &str, value: &JsValue| {
        js_sys::Reflect::set(target, &JsValue::from_str(name), value)
            .map(|_| ())
            .map_err(|_| shell_error("The request could not be encoded for the desktop shell."))
    };
    set(
        &headers,
        sis_proto::desktop::FILE_PATH_HEADER,
        &JsValue::from_str(path),
    )?;
    set(&headers, "content-type", &JsValue::from_str(content_type))?;
    let options = js_sys::Object::new();
    set(&options, "headers", &headers)?;
    let value = invoke_js(commands::FILE_PUT, &bytes, &options).await?;
    serde_wasm_bindgen::from_value(value).map_err(|_| {
        ApiError::new(
            ErrorCode::Network,
            "The desktop shell's answer could not be read.",
        )
    })
}

/// `file_save` arguments.
#[derive(Serialize)]
struct FileSaveArgs<'a> {
    path: &'a str,
    name: &'a str,
}

/// `file_save`: the shell fetches the attachment at `path` and saves it as `name`; where.
pub(super) async fn save_file(path: &str, name: &str) -> Result<String, ApiError> {
    invoke(commands::FILE_SAVE, &FileSaveArgs { path, name }).await
}

/// A rejection is the command's `ApiError`; Tauri itself rejects with a bare string (unknown
/// command, arguments it could not deserialise).
fn rejected(rejection: JsValue) -> ApiError {
    if let Ok(error) = serde_wasm_bindgen::from_value::<ApiError>(rejection.clone()) {
        return error;
    }
    match rejection.as_string() {
        Some(text) => shell_error(text),
        None => shell_error("The desktop shell refused the command."),
    }
}

fn shell_error(message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::Internal, message)
}

/// `api_request` arguments: the endpoint's method, its bare path (the shell refuses a query
/// string there) and a body: a `POST`'s JSON, a `GET`'s parameters.
#[derive(Serialize)]
struct ApiRequestArgs<'a> {
    method: &'static str,
    path: &'a str,
    body: Option<Value>,
}

/// Calls `E` at `path` through the shell, which adds the session's token.
pub(super) async fn call<E: Endpoint>(
    path: &EndpointPath<E>,
    request: &E::Request,
) -> Result<E::Response, ApiError> {
    let prepared = prepare_at(path, request)?;
    let args = ApiRequestArgs {
        method: prepared.method.as_str(),
        path: &prepared.path,
        body: prepared.shell_body()?,
    };
    invoke(commands::API_REQUEST, &args).await
}

/// Listens to the shell's event `event` as `@tauri-apps/api`'s `listen` does: the handler is
/// registered with `transformCallback` and `plugin:event|listen` returns the listener's id,
/// which [`unlisten`] takes. The handler gets each event's `payload`.
pub(super) async fn listen(event: &str, handler: &js_sys::Function) -> Result<u32, ApiError> {
    let internals =
        internals().ok_or_else(|| shell_error("The desktop shell is not available."))?;
    let transform: js_sys::Function =
        js_sys::Reflect::get(&internals, &JsValue::from_str("transformCallback"))
            .ok()
            .and_then(|f| f.dyn_into().ok())
            .ok_or_else(|| shell_error("The desktop shell cannot deliver events."))?;
    let callback = transform
        .call1(&internals, handler)
        .map_err(|_| shell_error("The desktop shell did not take the event handler."))?;
    #[derive(Serialize)]
    struct Target {
        kind: &'static str,
    }
    #[derive(Serialize)]
    struct Args<'a> {
        event: &'a str,
        target: Target,
        handler: u32,
    }
    let handler = callback
        .as_f64()
        .ok_or_else(|| shell_error("The desktop shell gave no handler id."))?
        as u32;
    let args = Args {
        event,
        target: Target { kind: "Any" },
        handler,
    };
    invoke("plugin:event|listen", &args).await
}

/// Stops the listener [`listen`] registered.
pub(super) async fn unlisten(event: &str, event_id: u32) -> Result<(), ApiError> {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Args<'a> {
        event: &'a str,
        event_id: u32,
    }
    invoke("plugin:event|unlisten", &Args { event, event_id }).await
}
