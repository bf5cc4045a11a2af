//! A new letter, or a reply: countries, agency, subject, text, deadline, files.
//!
//! Without files it is one `POST /api/v1/letters`. With files it is made a draft first,
//! each file is `PUT` under it as raw bytes with its own `Content-Type`, and then
//! `POST /api/v1/letters/{id}/send` sends it. A file the node refuses leaves the draft
//! kept: its text can no longer change (the API has no way to edit a draft), but the
//! officer can choose the files again and send, and what was already added is not sent
//! twice.

use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use sis_proto::endpoint::{CreateLetter, SendLetter};
use sis_proto::letter::Letter;
use wasm_bindgen::JsCast;
use web_sys::{File, HtmlInputElement};

use super::recipients::RecipientPicker;
use crate::api::{AuthenticatedApi, EndpointPath};
use crate::i18n::{Key, error_detail, error_text, t};
use crate::language::{Locale, use_locale};
use crate::letter::{Compose, content_type, first_too_large, new_letter, size_text};
use crate::pages::alert::ErrorAlert;
use crate::pages::form::{FormError, TextArea, TextField};

/// The fields of `NewLetter` as the node names them in its messages.
const FIELDS: &[&str] = &["to", "agency", "subject", "body", "deadline", "reply_to"];

/// Where sending stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Idle,
    Creating,
    Uploading,
    Sending,
}

/// A file that was not added, and why, in the interface language.
#[derive(Debug, Clone)]
struct FileRefusal {
    name: String,
    reason: String,
}

/// The chosen files, and the draft they go onto once made.
#[derive(Clone, Copy)]
struct Files {
    chosen: StoredValue<Vec<File>, LocalStorage>,
    /// Names and sizes, for the list under the input and the size check.
    listed: RwSignal<Vec<(String, u64)>>,
    /// The draft made for them, and the names already added to it.
    draft: RwSignal<Option<Letter>>,
    refused: RwSignal<Option<FileRefusal>>,
}

#[component]
pub fn ComposeForm(
    api: AuthenticatedApi,
    own: String,
    form: Compose,
    /// The registration number of the letter answered.
    replying: Option<String>,
    on_sent: Callback<String>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let locale = use_locale();
    let to = RwSignal::new(form.to);
    let agency = RwSignal::new(form.agency);
    let subject = RwSignal::new(form.subject);
    let body = RwSignal::new(form.body);
    let deadline = RwSignal::new(form.deadline);
    let reply_to = form.reply_to;
    let error = FormError::new(FIELDS);
    let phase = RwSignal::new(Phase::Idle);
    let files = Files {
        chosen: StoredValue::new_local(Vec::new()),
        listed: RwSignal::new(Vec::new()),
        draft: RwSignal::new(None),
        refused: RwSignal::new(None),
    };
    let api = StoredValue::new(api);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if phase.get_untracked() != Phase::Idle {
            return;
        }
        let compose = Compose {
            to: to.get_untracked(),
            agency: agency.get_untracked(),
            subject: subject.get_untracked(),
            body: body.get_untracked(),
            deadline: deadline.get_untracked(),
            reply_to: reply_to.clone(),
            with_files: !files.listed.with_untracked(Vec::is_empty),
        };
        if let Some(name) = files
            .listed
            .with_untracked(|l| first_too_large(l).map(str::to_owned))
        {
            let reason = t(locale.get_untracked(), Key::LetterFileTooLarge).to_owned();
            files.refused.set(Some(FileRefusal { name, reason }));
            return;
        }
        error.set(None);
        files.refused.set(None);
        let api = api.get_value();
        spawn_local_scoped_with_cancellation(async move {
            if let Some(sent) = deliver(&api, compose, files, phase, error, locale).await {
                on_sent.run(sent);
            }
            phase.set(Phase::Idle);
        });
    };

    let kept = move || files.draft.with(Option::is_some);
    view! {
        <form id="letter-compose" class="form letter-compose" on:submit=submit>
            <h2>{locale.text(Key::LettersCompose)}</h2>
            {replying.map(|number| view! {
                <p id="letter-replying" class="notice">{locale.text(Key::LetterReplyTo)} " " {number}</p>
            })}
            <fieldset class="plain" disabled=kept>
                <RecipientPicker
                    api=api.get_value()
                    own
                    selected=to
                    error=error.for_field("to")
                    on_change=Callback::new(move |()| error.corrected("to"))
                />
                <TextField form=error name="agency" id="letter-agency" label=Key::LetterAgency value=agency />
                <p class="hint">{locale.text(Key::LetterAgencyHint)}</p>
                <TextField form=error name="subject" id="letter-subject" label=Key::LetterSubject value=subject />
                <TextArea form=error name="body" id="letter-body" label=Key::LetterBody value=body rows=10 />
                <TextField form=error name="deadline" id="letter-deadline" label=Key::LetterDeadline value=deadline kind="date" />
            </fieldset>
            {file_input(locale, files)}
            {move || kept().then(|| view! {
                <p id="letter-draft-kept" class="notice" role="status">{locale.text(Key::LetterDraftKept)}</p>
            })}
            <div class="form-actions">
                <button id="letter-send" type="submit" class="primary" disabled=move || phase.get() != Phase::Idle>
                    {move || locale.text(phase_label(phase.get()))()}
                </button>
                <button id="letter-cancel" type="button" on:click=move |_| on_cancel.run(())>
                    {locale.text(Key::LetterCancel)}
                </button>
            </div>
            <ErrorAlert id="letter-send-error" error=error.general() />
        </form>
    }
}

fn phase_label(phase: Phase) -> Key {
    match phase {
        Phase::Idle => Key::LetterSend,
        Phase::Creating | Phase::Sending => Key::LetterSending,
        Phase::Uploading => Key::LetterUploading,
    }
}

/// Creates the letter (a draft when there are files), adds the files not yet added, sends
/// it. The letter's id once sent; `None` after an error, which is shown where it belongs.
async fn deliver(
    api: &AuthenticatedApi,
    compose: Compose,
    files: Files,
    phase: RwSignal<Phase>,
    error: FormError,
    locale: Locale,
) -> Option<String> {
    let draft = match files.draft.get_untracked() {
        Some(draft) => draft,
        None => {
            phase.set(Phase::Creating);
            match api.call::<CreateLetter>(&new_letter(&compose)).await {
                Ok(letter) if !compose.with_files => return Some(letter.summary.id),
                Ok(letter) => {
                    files.draft.set(Some(letter.clone()));
                    letter
                }
                Err(e) => {
                    error.set(Some(e));
                    return None;
                }
            }
        }
    };
    let id = draft.summary.id.clone();
    phase.set(Phase::Uploading);
    for file in files.chosen.get_value() {
        let name = file.name();
        let added = files.draft.with_untracked(|d| {
            d.as_ref()
                .is_some_and(|d| d.attachments.iter().any(|a| a.name == name))
        });
        if added {
            continue;
        }
        match api
            .put_file(&id, &name, &file, content_type(&file.type_()))
            .await
        {
            Ok(letter) => files.draft.set(Some(letter)),
            Err(e) => {
                // The translated sentence, and the node's own words for a refused file
                // (`name: …`, `Content-Type: …`), which say what exactly was wrong.
                let lang = locale.get_untracked();
                let reason = match error_detail(&e) {
                    Some(detail) => format!("{} {detail}", error_text(lang, &e)),
                    None => error_text(lang, &e),
                };
                files.refused.set(Some(FileRefusal { name, reason }));
                return None;
            }
        }
    }
    phase.set(Phase::Sending);
    let sent = match EndpointPath::<SendLetter>::fill(&[("id", &id)]) {
        Ok(path) => api.call_at(&path, &()).await,
        Err(e) => Err(e),
    };
    match sent {
        Ok(letter) => Some(letter.summary.id),
        Err(e) => {
            error.set(Some(e));
            None
        }
    }
}

/// The file input, the chosen files with their sizes, and a refused file's message.
fn file_input(locale: Locale, files: Files) -> impl IntoView {
    let chose = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        else {
            return;
        };
        let mut chosen = Vec::new();
        if let Some(list) = input.files() {
            chosen = (0..list.length()).filter_map(|i| list.get(i)).collect();
        }
        files
            .listed
            .set(chosen.iter().map(|f| (f.name(), f.size() as u64)).collect());
        files.chosen.set_value(chosen);
        files.refused.set(None);
    };
    let listed = move || {
        files
            .listed
            .get()
            .into_iter()
            .map(|(name, size)| {
                view! { <li>{name} " " <span class="muted">{move || size_text(locale.get(), size)}</span></li> }
            })
            .collect_view()
    };
    let refused = move || {
        files.refused.get().map(|r| {
            view! {
                <p id="letter-files-error" class="error field-error" role="alert">
                    {r.name} " " {locale.text(Key::LetterFileNotAdded)} " " {r.reason}
                </p>
            }
        })
    };
    view! {
        <label for="letter-files">{locale.text(Key::LetterAttach)}</label>
        <input id="letter-files" type="file" multiple on:change=chose />
        <p class="hint">{locale.text(Key::LetterFilesHint)}</p>
        <ul class="chosen-files">{listed}</ul>
        {refused}
    }
}
