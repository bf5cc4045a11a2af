//! Letters, their files and their recipients' statuses; registration numbers counted per
//! series in the same transaction as the letter they number, so no number is lost or given
//! twice.

use sis_proto::letter::{AttachmentView, LetterStatus, Mailbox};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::rules;
use crate::store::{Backend, Store, StoreError};

/// A letter as stored, with what the API shows of it.
#[derive(Debug, Clone)]
pub struct LetterRecord {
    pub id: String,
    pub mailbox: Mailbox,
    pub number: Option<String>,
    pub their_number: Option<String>,
    pub sender: String,
    pub recipients: Vec<String>,
    pub agency: String,
    pub subject: String,
    pub body: String,
    pub reply_to: Option<String>,
    pub case_id: String,
    pub deadline: Option<String>,
    pub author: Option<String>,
    /// Outbox: `draft` or `sent`. Inbox: `registered`, `read` or `answered`.
    pub status: String,
    pub created_at: i64,
    pub read_at: Option<i64>,
    pub attachments: Vec<AttachmentView>,
    /// Inbox: the envelope the letter came in (an outgoing letter has one per recipient).
    pub envelope_id: Option<String>,
}

/// One recipient's delivery, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecipientRecord {
    pub country: String,
    pub status: LetterStatus,
    pub envelope_id: Option<String>,
    pub received_at: Option<i64>,
    pub log_index: Option<i64>,
    pub their_number: Option<String>,
    pub refusal: Option<(String, String)>,
    pub updated_at: i64,
}

/// An outgoing letter to store.
#[derive(Debug, Clone)]
pub struct NewOutgoing<'a> {
    pub id: &'a str,
    pub sender: &'a str,
    pub recipients: &'a [String],
    pub agency: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub reply_to: Option<&'a str>,
    pub case_id: &'a str,
    pub deadline: Option<String>,
    pub author: &'a str,
    /// Registration series when sent at once (`KZ-OUT-2026`); `None` keeps a draft.
    pub send_in: Option<&'a str>,
    pub at: i64,
}

const COLUMNS: &str = "id, mailbox, number, their_number, sender, recipients, agency, subject, \
                       body, reply_to, case_id, deadline, author, status, created_at, read_at, \
                       envelope_id";

fn mailbox(s: &str) -> Result<Mailbox, StoreError> {
    match s {
        "inbox" => Ok(Mailbox::Inbox),
        "outbox" => Ok(Mailbox::Outbox),
        other => Err(StoreError::Corrupt(format!("letter mailbox {other:?}"))),
    }
}

pub(crate) fn status_text(s: LetterStatus) -> &'static str {
    match s {
        LetterStatus::Draft => "draft",
        LetterStatus::Queued => "queued",
        LetterStatus::Delivered => "delivered",
        LetterStatus::Registered => "registered",
        LetterStatus::Read => "read",
        LetterStatus::Answered => "answered",
        LetterStatus::Refused => "refused",
        _ => "queued",
    }
}

pub(crate) fn status_of(s: &str) -> Result<LetterStatus, StoreError> {
    Ok(match s {
        "draft" => LetterStatus::Draft,
        "queued" | "sent" => LetterStatus::Queued,
        "delivered" => LetterStatus::Delivered,
        "registered" => LetterStatus::Registered,
        "read" => LetterStatus::Read,
        "answered" => LetterStatus::Answered,
        "refused" => LetterStatus::Refused,
        other => return Err(StoreError::Corrupt(format!("letter status {other:?}"))),
    })
}

fn from_row(row: &AnyRow) -> Result<LetterRecord, StoreError> {
    let recipients: String = row.try_get("recipients")?;
    Ok(LetterRecord {
        id: row.try_get("id")?,
        mailbox: mailbox(&row.try_get::<String, _>("mailbox")?)?,
        number: row.try_get("number")?,
        their_number: row.try_get("their_number")?,
        sender: row.try_get("sender")?,
        recipients: recipients.split(',').map(String::from).collect(),
        agency: row.try_get("agency")?,
        subject: row.try_get("subject")?,
        body: row.try_get("body")?,
        reply_to: row.try_get("reply_to")?,
        case_id: row.try_get("case_id")?,
        deadline: row.try_get("deadline")?,
        author: row.try_get("author")?,
        status: row.try_get("status")?,
        created_at: row.try_get("created_at")?,
        read_at: row.try_get("read_at")?,
        attachments: Vec::new(),
        envelope_id: row.try_get("envelope_id")?,
    })
}

/// Takes the next number of `series` inside `tx`.
async fn next_number(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    series: &str,
) -> Result<String, StoreError> {
    let n: i64 = sqlx::query(
        "INSERT INTO letter_numbers (series, last) VALUES ($1, 1) \
         ON CONFLICT (series) DO UPDATE SET last = letter_numbers.last + 1 RETURNING last",
    )
    .bind(series)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    Ok(rules::number(series, n))
}

/// Stores an outgoing letter in `tx`, numbered and queued for each recipient when it is
/// sent at once (its number), a draft otherwise.
pub async fn insert_outgoing(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    new: &NewOutgoing<'_>,
) -> Result<Option<String>, StoreError> {
    let number = match new.send_in {
        Some(series) => Some(next_number(tx, series).await?),
        None => None,
    };
    let (status, recipient_status) = match number {
        Some(_) => ("sent", LetterStatus::Queued),
        None => ("draft", LetterStatus::Draft),
    };
    sqlx::query(
        "INSERT INTO letters (id, mailbox, number, sender, recipients, agency, subject, \
         body, reply_to, case_id, deadline, author, status, created_at) \
         VALUES ($1, 'outbox', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(new.id)
    .bind(number.clone())
    .bind(new.sender)
    .bind(new.recipients.join(","))
    .bind(new.agency)
    .bind(new.subject)
    .bind(new.body)
    .bind(new.reply_to)
    .bind(new.case_id)
    .bind(new.deadline.clone())
    .bind(new.author)
    .bind(status)
    .bind(new.at)
    .execute(&mut **tx)
    .await?;
    for country in new.recipients {
        sqlx::query(
            "INSERT INTO letter_recipients (letter_id, country, status, updated_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(new.id)
        .bind(country)
        .bind(status_text(recipient_status))
        .bind(new.at)
        .execute(&mut **tx)
        .await?;
    }
    Ok(number)
}

/// Numbers a draft in `tx` and queues it for each recipient; its number. `NotFound` when
/// there is no draft of that id (unknown, or sent already).
pub async fn send_draft(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: &str,
    series: &str,
    at: i64,
) -> Result<String, StoreError> {
    let draft = sqlx::query("SELECT 1 FROM letters WHERE id = $1 AND status = 'draft'")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    if draft.is_none() {
        return Err(StoreError::NotFound("draft"));
    }
    let number = next_number(tx, series).await?;
    sqlx::query("UPDATE letters SET number = $1, status = 'sent', created_at = $2 WHERE id = $3")
        .bind(&number)
        .bind(at)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "UPDATE letter_recipients SET status = 'queued', updated_at = $1 WHERE letter_id = $2",
    )
    .bind(at)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(number)
}

/// One letter with its files, read in `tx` (a letter written in it and not yet committed).
pub async fn letter_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: &str,
) -> Result<Option<LetterRecord>, StoreError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM letters WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let mut letter = from_row(&row)?;
    letter.attachments = attachments_of(&mut **tx, id).await?;
    Ok(Some(letter))
}

async fn attachments_of<'e>(
    exec: impl sqlx::Executor<'e, Database = sqlx::Any>,
    id: &str,
) -> Result<Vec<AttachmentView>, StoreError> {
    sqlx::query(
        "SELECT name, media_type, size_bytes, sha256 FROM letter_attachments \
         WHERE letter_id = $1 ORDER BY name",
    )
    .bind(id)
    .fetch_all(exec)
    .await?
    .iter()
    .map(|r| {
        Ok(AttachmentView {
            name: r.try_get("name")?,
            media_type: r.try_get("media_type")?,
            size_bytes: r.try_get::<i64, _>("size_bytes")? as u64,
            sha256: r.try_get("sha256")?,
        })
    })
    .collect()
}

/// Marks, in `tx`, an incoming letter answered (by a letter this node sends).
pub async fn mark_answered(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: &str,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE letters SET status = 'answered' WHERE id = $1 AND mailbox = 'inbox'")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Marks, in `tx`, an incoming letter read the first time an officer opens it; `true` when
/// this call did.
pub async fn mark_read(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: &str,
    at: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE letters SET status = 'read', read_at = $1 \
         WHERE id = $2 AND mailbox = 'inbox' AND status = 'registered'",
    )
    .bind(at)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Notes, in `tx`, the envelope that carries a letter to one recipient.
pub async fn set_envelope(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: &str,
    country: &str,
    envelope_id: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE letter_recipients SET envelope_id = $1 WHERE letter_id = $2 AND country = $3",
    )
    .bind(envelope_id)
    .bind(id)
    .bind(country)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// Adds (or replaces) a file of a draft. `NotFound` when there is no draft of that id.
    pub async fn add_letter_attachment(
        &self,
        id: &str,
        file: &AttachmentView,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let draft = sqlx::query("SELECT 1 FROM letters WHERE id = $1 AND status = 'draft'")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        if draft.is_none() {
            return Err(StoreError::NotFound("draft"));
        }
        sqlx::query("DELETE FROM letter_attachments WHERE letter_id = $1 AND name = $2")
            .bind(id)
            .bind(&file.name)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO letter_attachments (letter_id, name, media_type, size_bytes, sha256) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(&file.name)
        .bind(&file.media_type)
        .bind(file.size_bytes as i64)
        .bind(&file.sha256)
        .execute(&mut *tx)
        .await?;
        let names: Vec<String> =
            sqlx::query("SELECT name FROM letter_attachments WHERE letter_id = $1 ORDER BY name")
                .bind(id)
                .fetch_all(&mut *tx)
                .await?
                .iter()
                .map(|r| r.try_get(0))
                .collect::<Result<_, _>>()?;
        sqlx::query("UPDATE letters SET files = $1 WHERE id = $2")
            .bind(names.join(" "))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The received letter an envelope brought.
    pub async fn letter_by_envelope(
        &self,
        envelope_id: &str,
    ) -> Result<Option<LetterRecord>, StoreError> {
        let row = sqlx::query("SELECT id FROM letters WHERE envelope_id = $1")
            .bind(envelope_id)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(row) => self.letter(&row.try_get::<String, _>("id")?).await,
            None => Ok(None),
        }
    }

    /// One letter with its files.
    pub async fn letter(&self, id: &str) -> Result<Option<LetterRecord>, StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM letters WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let mut letter = from_row(&row)?;
        letter.attachments = self.letter_attachments(id).await?;
        Ok(Some(letter))
    }

    async fn letter_attachments(&self, id: &str) -> Result<Vec<AttachmentView>, StoreError> {
        attachments_of(&self.pool, id).await
    }

    /// Each recipient of an outgoing letter, in the order written.
    pub async fn letter_recipients(&self, id: &str) -> Result<Vec<RecipientRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT country, status, envelope_id, received_at, log_index, their_number, \
             refusal_code, refusal_message, updated_at FROM letter_recipients \
             WHERE letter_id = $1",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let code: Option<String> = r.try_get("refusal_code")?;
                let message: Option<String> = r.try_get("refusal_message")?;
                Ok(RecipientRecord {
                    country: r.try_get("country")?,
                    status: status_of(&r.try_get::<String, _>("status")?)?,
                    envelope_id: r.try_get("envelope_id")?,
                    received_at: r.try_get("received_at")?,
                    log_index: r.try_get("log_index")?,
                    their_number: r.try_get("their_number")?,
                    refusal: code.map(|c| (c, message.unwrap_or_default())),
                    updated_at: r.try_get("updated_at")?,
                })
            })
            .collect()
    }

    /// The letters of a mailbox, newest first, narrowed by a search.
    pub async fn list_letters(
        &self,
        mailbox: Mailbox,
        search: Option<&rules::Search>,
        case_id: Option<&str>,
        limit: u32,
    ) -> Result<Vec<LetterRecord>, StoreError> {
        let boxed = match mailbox {
            Mailbox::Inbox => "inbox",
            Mailbox::Outbox => "outbox",
        };
        let columns = COLUMNS
            .split(", ")
            .map(|c| format!("l.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut sql = format!("SELECT {columns} FROM letters l WHERE l.mailbox = $1");
        let (query, text) = match (search, self.backend()) {
            (None, _) => {
                sql.push_str(" AND $2 IS NULL AND $5 IS NULL");
                (None, None)
            }
            (Some(s), Backend::Sqlite) => {
                sql.push_str(
                    " AND l.rowid IN (SELECT rowid FROM letters_fts WHERE letters_fts MATCH $2) \
                     AND $5 IS NOT NULL",
                );
                (Some(s.fts5.as_str()), Some(s.text.as_str()))
            }
            (Some(s), Backend::Postgres) => {
                sql.push_str(
                    " AND (l.search @@ to_tsquery('simple', $2) \
                     OR l.search @@ plainto_tsquery('russian', $5) \
                     OR l.search @@ plainto_tsquery('english', $5))",
                );
                (Some(s.tsquery.as_str()), Some(s.text.as_str()))
            }
        };
        sql.push_str(
            " AND ($3 IS NULL OR l.case_id = $3) ORDER BY l.created_at DESC, l.id DESC LIMIT $4",
        );
        let rows = sqlx::query(&sql)
            .bind(boxed)
            .bind(query)
            .bind(case_id)
            .bind(i64::from(limit))
            .bind(text)
            .fetch_all(&self.pool)
            .await?;
        let mut letters = Vec::with_capacity(rows.len());
        for row in &rows {
            let mut letter = from_row(row)?;
            letter.attachments = self.letter_attachments(&letter.id).await?;
            letters.push(letter);
        }
        Ok(letters)
    }
}
