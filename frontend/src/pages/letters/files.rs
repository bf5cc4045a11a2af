//! A letter's files: their names, types and sizes, each a button that downloads it. The
//! node wants the bearer token, which a plain link cannot carry, so the file is fetched
//! (`GET /api/v1/letters/{id}/attachments/{name}`) and handed to the browser to save; in the
//! desktop app the shell saves it in the downloads folder and the page says where.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use sis_proto::letter::AttachmentView;
use sis_proto::{ApiError, ErrorCode};
use wasm_bindgen::JsCast;
use web_sys::{Blob, HtmlAnchorElement, Url};

use crate::api::{AuthenticatedApi, Fetched};
use crate::i18n::Key;
use crate::language::use_locale;
use crate::letter::size_text;
use crate::pages::alert::ErrorAlert;

/// How long a downloaded file's object URL lives: the browser has begun saving by then.
const OBJECT_URL_LIFETIME: Duration = Duration::from_secs(60);

#[component]
pub fn FileList(
    api: AuthenticatedApi,
    letter_id: String,
    files: Vec<AttachmentView>,
) -> impl IntoView {
    let locale = use_locale();
    let error = RwSignal::new(None::<ApiError>);
    let api = StoredValue::new(api);
    let letter_id = StoredValue::new(letter_id);
    if files.is_empty() {
        return view! { <p id="letter-files-list" class="muted">{locale.text(Key::LetterNoFiles)}</p> }
            .into_any();
    }
    let saved_at = RwSignal::new(None::<String>);
    let items = files
        .into_iter()
        .map(|file| {
            let name = file.name.clone();
            let download = move |_| {
                let api = api.get_value();
                let id = letter_id.get_value();
                let name = name.clone();
                error.set(None);
                saved_at.set(None);
                spawn_local_scoped_with_cancellation(async move {
                    let saved = match api.file(&id, &name).await {
                        Ok(Fetched::Blob(blob)) => save(&blob, &name),
                        Ok(Fetched::SavedAt(path)) => {
                            saved_at.set(Some(path));
                            Ok(())
                        }
                        Err(e) => Err(e),
                    };
                    if let Err(e) = saved {
                        error.set(Some(e));
                    }
                });
            };
            let size = file.size_bytes;
            view! {
                <li>
                    <button
                        type="button"
                        class="link letter-file"
                        data-name=file.name.clone()
                        title=file.sha256.clone()
                        on:click=download
                    >
                        {file.name.clone()}
                    </button>
                    " "
                    <span class="muted">
                        {file.media_type.clone()} ", " {move || size_text(locale.get(), size)}
                    </span>
                </li>
            }
        })
        .collect_view();
    view! {
        <ul id="letter-files-list" class="letter-files">{items}</ul>
        {move || {
            saved_at
                .get()
                .map(|path| {
                    view! {
                        <p id="letter-file-saved" class="hint" role="status">
                            {locale.text(Key::LetterFileSaved)} " " <code>{path}</code>
                        </p>
                    }
                })
        }}
        <ErrorAlert id="letter-file-error" error=error />
    }
    .into_any()
}

/// Hands `blob` to the browser to save as `name`, through a temporary object URL.
fn save(blob: &Blob, name: &str) -> Result<(), ApiError> {
    let failed = |_| ApiError::new(ErrorCode::Internal, "The browser could not save the file.");
    let url = Url::create_object_url_with_blob(blob).map_err(failed)?;
    let anchor: HtmlAnchorElement = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|a| a.dyn_into().ok())
        .ok_or_else(|| failed(wasm_bindgen::JsValue::NULL))?;
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    set_timeout(
        move || {
            let _ = Url::revoke_object_url(&url);
        },
        OBJECT_URL_LIFETIME,
    );
    Ok(())
}
