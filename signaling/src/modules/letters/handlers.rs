//! Letters over HTTP: compose, list, open, send a draft, and a draft's files in and out.
//! Thin: parse, call [`super::rules`] and the store, map the result.

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sis_customs::CountryCode;
use sis_customs::documents::{Date, LetterState};
use sis_proto::letter::{
    AttachmentView, Letter, LetterList, LetterQuery, MAX_ATTACHMENT_BYTES, Mailbox, NewLetter,
};

use super::acknowledge::{self, Acknowledging};
use super::files::FileError;
use super::outgoing::{self, Sending};
use super::rules::{self, Direction, LetterRuleError};
use super::store::{self, LetterRecord, NewOutgoing};
use super::view;
use crate::external::exchange::ExchangeError;
use crate::external::log::LogError;
use crate::internal::access::Staff;
use crate::internal::error::AppError;
use crate::internal::extract::{ApiJson, ApiQuery, ClientAddr};
use crate::node::state::{AppState, now_ms};
use crate::store::{AuditAction, NewAuditEntry};

const DEFAULT_LIMIT: u32 = 50;
const MAX_LIMIT: u32 = 200;

impl From<LetterRuleError> for AppError {
    fn from(e: LetterRuleError) -> AppError {
        AppError::bad_request(e.to_string())
    }
}

impl From<ExchangeError> for AppError {
    fn from(e: ExchangeError) -> AppError {
        match e {
            ExchangeError::Policy { .. } | ExchangeError::Invalid(_) => {
                AppError::bad_request(e.to_string())
            }
            ExchangeError::Store(store) => store.into(),
            other => AppError::internal(other),
        }
    }
}

impl From<LogError> for AppError {
    fn from(e: LogError) -> AppError {
        match e {
            LogError::Store(store) => store.into(),
            other => AppError::internal(other),
        }
    }
}

impl From<FileError> for AppError {
    fn from(e: FileError) -> AppError {
        match e {
            FileError::TooLarge { .. } => AppError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                sis_proto::ErrorCode::PayloadTooLarge,
                format!("file: {e}"),
            ),
            FileError::Empty | FileError::Upload(_) => AppError::bad_request(format!("file: {e}")),
            FileError::Io(io) => AppError::internal(io),
        }
    }
}

/// Today in UTC, for deadlines.
pub(crate) fn today(now_ms: i64) -> Date {
    let at = time::OffsetDateTime::from_unix_timestamp(now_ms.div_euclid(1000))
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let d = at.date();
    Date::parse(&format!(
        "{:04}-{:02}-{:02}",
        d.year(),
        u8::from(d.month()),
        d.day()
    ))
    .expect("a calendar date formats as YYYY-MM-DD")
}

fn year(now_ms: i64) -> i32 {
    time::OffsetDateTime::from_unix_timestamp(now_ms.div_euclid(1000))
        .map(|t| t.year())
        .unwrap_or(1970)
}

/// A letter a member of staff may see: any letter of the node but another officer's draft
/// (a draft is its author's until sent). The same answer for "none" and "not yours".
async fn visible(state: &AppState, id: &str, login: &str) -> Result<LetterRecord, AppError> {
    match state.store.letter(id).await? {
        Some(l) if l.status != "draft" || l.author.as_deref() == Some(login) => Ok(l),
        _ => Err(AppError::not_found_with("There is no such letter.")),
    }
}

/// A letter as stored, whoever may see it.
async fn stored(state: &AppState, id: &str) -> Result<LetterRecord, AppError> {
    state
        .store
        .letter(id)
        .await?
        .ok_or_else(|| AppError::not_found_with("There is no such letter."))
}

/// A letter as written so far in `tx`, with its files.
async fn in_tx(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: &str,
) -> Result<LetterRecord, AppError> {
    store::letter_in(tx, id)
        .await?
        .ok_or_else(|| AppError::not_found_with("There is no such letter."))
}

/// The number the other side knows a letter by: the sender's for one received, ours for one
/// sent.
fn known_as(letter: &LetterRecord) -> Option<String> {
    match letter.mailbox {
        Mailbox::Inbox => letter.their_number.clone(),
        _ => letter.number.clone(),
    }
}

async fn answer(state: &AppState, letter: LetterRecord) -> Result<Json<Letter>, AppError> {
    let recipients = state.store.letter_recipients(&letter.id).await?;
    Ok(Json(view::letter(letter, recipients, today(now_ms()))?))
}

async fn audit(
    state: &AppState,
    actor: &str,
    action: AuditAction,
    target: &str,
    address: Option<&str>,
) -> Result<(), AppError> {
    let target = format!("letter/{target}");
    state
        .store
        .append_audit(
            &NewAuditEntry {
                actor: Some(actor),
                action,
                target: Some(&target),
                address,
                outcome: "ok",
            },
            now_ms(),
        )
        .await?;
    Ok(())
}

/// # `POST /api/v1/letters`
pub async fn create(
    Staff(caller): Staff,
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    ApiJson(req): ApiJson<NewLetter>,
) -> Result<(StatusCode, Json<Letter>), AppError> {
    let now = now_ms();
    let draft = rules::draft(&req, state.country, today(now))?;
    let login = caller.login.as_str();
    let reply_to = match &req.reply_to {
        Some(id) => Some(visible(&state, id, login).await.map_err(|_| {
            AppError::bad_request(format!("reply_to: {id:?} is not a letter of this node"))
        })?),
        None => None,
    };
    let case_id = match (draft.case, &reply_to) {
        (Some(case), _) => case.to_string(),
        (None, Some(answered)) => answered.case_id.clone(),
        (None, None) => uuid::Uuid::now_v7().to_string(),
    };
    let id = uuid::Uuid::now_v7().to_string();
    let recipients: Vec<String> = draft.to.iter().map(|c| c.to_string()).collect();
    let series = rules::series(state.country, Direction::Out, year(now));
    let mut appending = state.exchange.log.begin_append().await?;
    let number = store::insert_outgoing(
        &mut appending.tx,
        &NewOutgoing {
            id: &id,
            sender: state.country.as_str(),
            recipients: &recipients,
            agency: draft.agency,
            subject: draft.subject,
            body: draft.body,
            reply_to: reply_to.as_ref().map(|l| l.id.as_str()),
            case_id: &case_id,
            deadline: draft.deadline.map(|d| d.to_string()),
            author: login,
            send_in: (!req.draft).then_some(series.as_str()),
            at: now,
        },
    )
    .await?;
    if let Some(number) = &number {
        let letter = in_tx(&mut appending.tx, &id).await?;
        let sending = Sending {
            letter: &letter,
            number,
            sender_agency: &caller.officer.agency,
            reply_to: reply_to.as_ref().and_then(known_as),
            today: today(now),
        };
        outgoing::enqueue(&state.exchange, &mut appending, &sending, now).await?;
        if let Some(answered) = &reply_to {
            store::mark_answered(&mut appending.tx, &answered.id).await?;
        }
    }
    appending.commit().await?;
    state.exchange.wake();
    audit(
        &state,
        login,
        AuditAction::LetterCreate,
        &id,
        addr.as_deref(),
    )
    .await?;
    if !req.draft {
        audit(&state, login, AuditAction::LetterSend, &id, addr.as_deref()).await?;
    }
    let letter = visible(&state, &id, login).await?;
    Ok((StatusCode::CREATED, answer(&state, letter).await?))
}

/// # `GET /api/v1/letters?box=&q=&case=&limit=`
pub async fn list(
    Staff(caller): Staff,
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<LetterQuery>,
) -> Result<Json<LetterList>, AppError> {
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
    let search = match q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(text) => match rules::search(text) {
            Some(search) => Some(search),
            None => {
                return Ok(Json(LetterList {
                    letters: Vec::new(),
                }));
            }
        },
    };
    let letters = state
        .store
        .list_letters(q.box_, search.as_ref(), q.case.as_deref(), limit)
        .await?;
    let today = today(now_ms());
    let mut out = Vec::with_capacity(letters.len());
    for letter in letters {
        if letter.status == "draft" && letter.author.as_deref() != Some(caller.login.as_str()) {
            continue;
        }
        let recipients = match letter.mailbox {
            Mailbox::Outbox => state.store.letter_recipients(&letter.id).await?,
            _ => Vec::new(),
        };
        out.push(view::summary(&letter, &recipients, today)?);
    }
    Ok(Json(LetterList { letters: out }))
}

/// # `GET /api/v1/letters/{id}`: opening an incoming letter marks it read.
pub async fn get(
    Staff(caller): Staff,
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    Path(id): Path<String>,
) -> Result<Json<Letter>, AppError> {
    let login = caller.login.as_str();
    let mut letter = visible(&state, &id, login).await?;
    if letter.mailbox == Mailbox::Inbox
        && letter.status == "registered"
        && mark_read(&state, &letter, &caller.officer.agency).await?
    {
        audit(&state, login, AuditAction::LetterRead, &id, addr.as_deref()).await?;
        letter = visible(&state, &id, login).await?;
    }
    answer(&state, letter).await
}

/// Marks an incoming letter read and seals the acknowledgement that tells its sender, in
/// one transaction; `true` when this call did (two officers opening it at once: one does).
async fn mark_read(
    state: &AppState,
    letter: &LetterRecord,
    agency: &str,
) -> Result<bool, AppError> {
    let now = now_ms();
    let mut appending = state.exchange.log.begin_append().await?;
    if !store::mark_read(&mut appending.tx, &letter.id, now).await? {
        return Ok(false);
    }
    let corrupt = |what: &str| {
        AppError::from(crate::store::StoreError::Corrupt(format!(
            "stored letter {}: {what}",
            letter.id
        )))
    };
    if let (Some(theirs), Some(ours)) = (&letter.their_number, &letter.number) {
        let acknowledging = Acknowledging {
            letter: theirs,
            ours,
            agency,
            to: CountryCode::parse(&letter.sender).map_err(|_| corrupt("sender"))?,
            case: uuid::Uuid::parse_str(&letter.case_id).map_err(|_| corrupt("case"))?,
            state: LetterState::Read,
        };
        acknowledge::send(&state.exchange, &mut appending, &acknowledging, now).await?;
    }
    appending.commit().await?;
    state.exchange.wake();
    Ok(true)
}

/// # `POST /api/v1/letters/{id}/send`
pub async fn send(
    Staff(caller): Staff,
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    Path(id): Path<String>,
) -> Result<Json<Letter>, AppError> {
    let login = caller.login.as_str();
    let letter = visible(&state, &id, login).await?;
    if letter.status != "draft" {
        return Err(AppError::new(
            StatusCode::CONFLICT,
            sis_proto::ErrorCode::Conflict,
            format!(
                "The letter was sent already, as {}.",
                letter.number.unwrap_or_default()
            ),
        ));
    }
    let now = now_ms();
    let series = rules::series(state.country, Direction::Out, year(now));
    let reply_to = match &letter.reply_to {
        Some(answered) => stored(&state, answered).await.ok(),
        None => None,
    };
    let mut appending = state.exchange.log.begin_append().await?;
    let number = store::send_draft(&mut appending.tx, &id, &series, now).await?;
    let sending = Sending {
        letter: &letter,
        number: &number,
        sender_agency: &caller.officer.agency,
        reply_to: reply_to.as_ref().and_then(known_as),
        today: today(now),
    };
    outgoing::enqueue(&state.exchange, &mut appending, &sending, now).await?;
    if let Some(answered) = &reply_to {
        store::mark_answered(&mut appending.tx, &answered.id).await?;
    }
    appending.commit().await?;
    state.exchange.wake();
    audit(&state, login, AuditAction::LetterSend, &id, addr.as_deref()).await?;
    answer(&state, visible(&state, &id, login).await?).await
}

/// # `PUT /api/v1/letters/{id}/attachments/{name}`: the body is the file.
pub async fn put_attachment(
    Staff(caller): Staff,
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    Path((id, name)): Path<(String, String)>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<Letter>, AppError> {
    let login = caller.login.as_str();
    let letter = visible(&state, &id, login).await?;
    if letter.status != "draft" {
        return Err(AppError::new(
            StatusCode::CONFLICT,
            sis_proto::ErrorCode::Conflict,
            "Files are added to drafts only: this letter was sent.",
        ));
    }
    let name = rules::file_name(&name)?.to_owned();
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let media_type = rules::media_type(content_type)?;
    let stored = state.letter_files.store(body, MAX_ATTACHMENT_BYTES).await?;
    let file = AttachmentView {
        name,
        media_type,
        size_bytes: stored.size,
        sha256: stored.sha256,
    };
    state.store.add_letter_attachment(&id, &file).await?;
    let target = format!("{id}/{}", file.name);
    audit(
        &state,
        login,
        AuditAction::LetterAttach,
        &target,
        addr.as_deref(),
    )
    .await?;
    answer(&state, visible(&state, &id, login).await?).await
}

/// # `GET /api/v1/letters/{id}/attachments/{name}`: the file itself.
pub async fn get_attachment(
    Staff(caller): Staff,
    State(state): State<AppState>,
    Path((id, name)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let letter = visible(&state, &id, caller.login.as_str()).await?;
    let Some(file) = letter.attachments.iter().find(|a| a.name == name).cloned() else {
        return Err(AppError::not_found_with(
            "The letter has no file of that name.",
        ));
    };
    let opened = match state.letter_files.open(&file.sha256).await {
        Ok(opened) => opened,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && letter.mailbox == Mailbox::Inbox => {
            return Err(AppError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                sis_proto::ErrorCode::Unavailable,
                "The file has not arrived from the sender yet; try again shortly.",
            )
            .retry_after(5));
        }
        Err(e) => return Err(AppError::internal(e)),
    };
    let stream = tokio_util::io::ReaderStream::new(opened);
    let disposition = format!(
        "attachment; filename*=UTF-8''{}",
        percent_encode(&file.name)
    );
    Ok((
        [
            (header::CONTENT_TYPE, file.media_type),
            (header::CONTENT_LENGTH, file.size_bytes.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}

/// RFC 5987 value characters kept, every other byte percent-encoded.
fn percent_encode(name: &str) -> String {
    name.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
