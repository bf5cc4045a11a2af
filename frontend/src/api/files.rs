//! A letter's files as raw bytes, not JSON (`PUT` and `GET` of
//! [`ATTACHMENT_PATH`](sis_proto::letter::ATTACHMENT_PATH)), over the browser's `fetch` with
//! the bearer token: a chosen file goes as the request body with its own `Content-Type`,
//! and one downloaded comes back as a `Blob` for the page to save. The desktop shell's
//! `api_request` carries JSON only, so these exist for the browser alone.

use sis_proto::letter::Letter;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, RequestInit};

use super::browser::{fetch, headers, network, text};
use super::response::{Failure, decode, error_from};

/// `PUT path` with `file` as the body, sent as `content_type`: the draft as it now stands.
pub(super) async fn put(
    token: &str,
    path: &str,
    file: &Blob,
    content_type: &str,
) -> Result<Letter, Failure> {
    let headers = headers(Some(token), "application/json")?;
    headers.set("Content-Type", content_type).map_err(network)?;
    let init = RequestInit::new();
    init.set_method("PUT");
    init.set_headers(&headers);
    // The file itself, streamed by the browser: never read into the page's memory.
    init.set_body(file);
    let response = fetch(path, &init).await?;
    let status = response.status();
    decode(status, &text(&response).await?)
}

/// `GET path`: the file's bytes, or the node's error.
pub(super) async fn get(token: &str, path: &str) -> Result<Blob, Failure> {
    let headers = headers(Some(token), "*/*")?;
    let init = RequestInit::new();
    init.set_method("GET");
    init.set_headers(&headers);
    let response = fetch(path, &init).await?;
    let status = response.status();
    if !(200..300).contains(&status) {
        return Err(Failure {
            status: Some(status),
            error: error_from(status, &text(&response).await?),
        });
    }
    let blob = JsFuture::from(response.blob().map_err(network)?)
        .await
        .map_err(network)?;
    Ok(Blob::from(blob))
}
