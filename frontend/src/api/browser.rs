//! The browser transport: same-origin `fetch` of the node's endpoints.

use sis_proto::{ApiError, Endpoint, ErrorCode};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, Request, RequestInit, Response, Storage};

use super::request::{EndpointPath, prepare_at};
use super::response::{Failure, decode};

/// `sessionStorage` key of the bearer token: per tab, gone when the tab closes.
const TOKEN_KEY: &str = "sis.session-token";

fn session_storage() -> Option<Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

pub(super) fn stored_token() -> Option<String> {
    session_storage()?
        .get_item(TOKEN_KEY)
        .ok()
        .flatten()
        .filter(|t| !t.is_empty())
}

pub(super) fn store_token(token: &str) {
    // Without storage (a locked-down browser) the session lasts until the next reload.
    if let Some(storage) = session_storage() {
        let _ = storage.set_item(TOKEN_KEY, token);
    }
}

pub(super) fn forget_token() {
    if let Some(storage) = session_storage() {
        let _ = storage.remove_item(TOKEN_KEY);
    }
}

/// Calls `E` at `path` on the node that served this page, with `token` as bearer when given.
pub(super) async fn call<E: Endpoint>(
    token: Option<&str>,
    path: &EndpointPath<E>,
    request: &E::Request,
) -> Result<E::Response, Failure> {
    let prepared = prepare_at(path, request).map_err(Failure::without_status)?;

    let headers = headers(token, "application/json")?;
    let init = RequestInit::new();
    init.set_method(prepared.method.as_str());
    if let Some(body) = &prepared.body {
        headers
            .set("Content-Type", "application/json")
            .map_err(network)?;
        init.set_body(&JsValue::from_str(&body.to_string()));
    }
    init.set_headers(&headers);
    let response = fetch(&prepared.url(), &init).await?;
    let status = response.status();
    decode(status, &text(&response).await?)
}

/// Request headers: what is accepted in return, and `token` as bearer when given.
pub(super) fn headers(token: Option<&str>, accept: &str) -> Result<Headers, Failure> {
    let headers = Headers::new().map_err(network)?;
    headers.set("Accept", accept).map_err(network)?;
    if let Some(token) = token {
        headers
            .set("Authorization", &format!("Bearer {token}"))
            .map_err(network)?;
    }
    Ok(headers)
}

/// `fetch(url, init)` on the node that served this page: the response, whatever its status.
pub(super) async fn fetch(url: &str, init: &RequestInit) -> Result<Response, Failure> {
    let request = Request::new_with_str_and_init(url, init).map_err(network)?;
    let window = web_sys::window().ok_or_else(|| network(JsValue::NULL))?;
    JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(network)?
        .dyn_into()
        .map_err(network)
}

/// The response's body as text (empty when it has none).
pub(super) async fn text(response: &Response) -> Result<String, Failure> {
    Ok(JsFuture::from(response.text().map_err(network)?)
        .await
        .map_err(network)?
        .as_string()
        .unwrap_or_default())
}

/// `fetch` rejects only when no answer arrived (offline, refused, blocked); the JS error's
/// text is for developers, so the person gets the stable network code.
pub(super) fn network(_: JsValue) -> Failure {
    Failure::without_status(ApiError::new(
        ErrorCode::Network,
        "The node could not be reached.",
    ))
}
