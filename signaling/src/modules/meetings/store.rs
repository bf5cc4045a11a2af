//! Meetings, their invitations, who attended when, and the hash-chained minutes (chat and
//! decisions included). Minutes rows are only inserted, never updated.

use std::collections::BTreeMap;

use sis_proto::meeting::{
    ChatLine, LeaveReason, Meeting, MeetingId, MinutesEntry, MinutesKind, MinutesSignature,
};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::store::{Store, StoreError};

/// What `POST /api/v1/meetings` stores.
#[derive(Debug, Clone)]
pub struct NewMeetingRecord<'a> {
    pub title: &'a str,
    pub case_id: Option<&'a str>,
    pub document_id: Option<&'a str>,
    pub host: &'a str,
    pub invited: &'a [String],
}

/// A stored meeting and, once ended, the signature over its minutes.
#[derive(Debug, Clone)]
pub struct MeetingRecord {
    pub meeting: Meeting,
    pub signature: Option<MinutesSignature>,
}

/// One stay of an officer in a meeting's room.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attendance {
    pub login: String,
    pub joined_at: i64,
    pub left_at: Option<i64>,
    /// `left`, `disconnected`, `removed` or `ended`.
    pub left_why: Option<String>,
}

const COLUMNS: &str = "id, title, case_id, document_id, host, created_at, ended_at, \
                       minutes_key, minutes_signature, signed_at";

fn from_row(row: &AnyRow, invited: Vec<String>) -> Result<MeetingRecord, StoreError> {
    let key: Option<String> = row.try_get("minutes_key")?;
    let sig: Option<String> = row.try_get("minutes_signature")?;
    let signed_at: Option<i64> = row.try_get("signed_at")?;
    let signature = match (key, sig, signed_at) {
        (Some(public_key), Some(signature), Some(signed_at)) => Some(MinutesSignature {
            public_key,
            signature,
            signed_at,
        }),
        _ => None,
    };
    Ok(MeetingRecord {
        meeting: Meeting {
            id: MeetingId(row.try_get("id")?),
            title: row.try_get("title")?,
            case_id: row.try_get("case_id")?,
            document_id: row.try_get("document_id")?,
            host: row.try_get("host")?,
            invited,
            created_at: row.try_get("created_at")?,
            ended_at: row.try_get("ended_at")?,
        },
        signature,
    })
}

fn entry_from_row(row: &AnyRow) -> Result<MinutesEntry, StoreError> {
    let kind: String = row.try_get("kind")?;
    let kind = MinutesKind::parse(&kind)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown minutes kind {kind:?}")))?;
    let seq: i64 = row.try_get("seq")?;
    Ok(MinutesEntry {
        seq: u64::try_from(seq)
            .map_err(|_| StoreError::Corrupt(format!("negative minutes seq {seq}")))?,
        at: row.try_get("at")?,
        kind,
        actor: row.try_get("actor")?,
        subject: row.try_get("subject")?,
        text: row.try_get("body")?,
        prev_hash: row.try_get("prev_hash")?,
        hash: row.try_get("hash")?,
        withheld: false,
    })
}

/// A new meeting's id: random, so ids cannot be guessed or counted, and below 2^53, so any
/// JSON reader (JavaScript's numbers among them) reads it exactly. A collision among 2^53
/// ids is refused by the primary key, not overwritten.
fn new_meeting_id() -> MeetingId {
    use rand::Rng;
    MeetingId(rand::rngs::OsRng.gen_range(1..(1i64 << 53)))
}

fn seq_of(entry: &MinutesEntry) -> Result<i64, StoreError> {
    i64::try_from(entry.seq).map_err(|_| StoreError::Corrupt("minutes seq overflow".into()))
}

impl Store {
    /// Stores a meeting with its invitations and its first minutes entry (made by
    /// `first_entry` from the new id), all or nothing.
    pub async fn insert_meeting(
        &self,
        m: &NewMeetingRecord<'_>,
        now: i64,
        first_entry: impl FnOnce(MeetingId) -> MinutesEntry,
    ) -> Result<MeetingId, StoreError> {
        let mut tx = self.pool.begin().await?;
        let id = new_meeting_id();
        sqlx::query(
            "INSERT INTO meetings (id, title, case_id, document_id, host, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id.0)
        .bind(m.title)
        .bind(m.case_id)
        .bind(m.document_id)
        .bind(m.host)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(|e| StoreError::from_insert(e, "meeting id"))?;
        for login in m.invited {
            sqlx::query("INSERT INTO meeting_invitations (meeting_id, login) VALUES ($1, $2)")
                .bind(id.0)
                .bind(login.as_str())
                .execute(&mut *tx)
                .await
                .map_err(|e| StoreError::from_insert(e, "invited login"))?;
        }
        insert_entry(&mut *tx, id, &first_entry(id)).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn meeting_by_id(&self, id: MeetingId) -> Result<Option<MeetingRecord>, StoreError> {
        let Some(row) = sqlx::query(&format!("SELECT {COLUMNS} FROM meetings WHERE id = $1"))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?
        else {
            return Ok(None);
        };
        let invited = sqlx::query(
            "SELECT login FROM meeting_invitations WHERE meeting_id = $1 ORDER BY login",
        )
        .bind(id.0)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| r.try_get("login"))
        .collect::<Result<Vec<String>, _>>()?;
        from_row(&row, invited).map(Some)
    }

    /// The meetings `login` hosts or is invited to, newest first (at most `limit`).
    pub async fn meetings_of(&self, login: &str, limit: u32) -> Result<Vec<Meeting>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM meetings WHERE host = $1 OR id IN \
             (SELECT meeting_id FROM meeting_invitations WHERE login = $1) \
             ORDER BY created_at DESC, id DESC LIMIT $2"
        ))
        .bind(login)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        let Some(oldest) = rows.last() else {
            return Ok(Vec::new());
        };
        // Ids are random: the listed meetings are the newest, not the highest ids.
        let oldest: i64 = oldest.try_get("created_at")?;
        // The invitations of every listed meeting in one query.
        let mut invited: BTreeMap<i64, Vec<String>> = BTreeMap::new();
        for r in sqlx::query(
            "SELECT i.meeting_id, i.login FROM meeting_invitations i JOIN meetings m \
             ON m.id = i.meeting_id WHERE m.created_at >= $2 AND (m.host = $1 OR m.id IN \
             (SELECT meeting_id FROM meeting_invitations WHERE login = $1)) \
             ORDER BY i.meeting_id, i.login",
        )
        .bind(login)
        .bind(oldest)
        .fetch_all(&self.pool)
        .await?
        {
            invited
                .entry(r.try_get("meeting_id")?)
                .or_default()
                .push(r.try_get("login")?);
        }
        rows.iter()
            .map(|r| {
                let id: i64 = r.try_get("id")?;
                from_row(r, invited.remove(&id).unwrap_or_default()).map(|m| m.meeting)
            })
            .collect()
    }

    pub async fn append_minutes(
        &self,
        meeting: MeetingId,
        entry: &MinutesEntry,
    ) -> Result<(), StoreError> {
        let mut conn = self.pool.acquire().await?;
        insert_entry(&mut *conn, meeting, entry).await
    }

    /// Every entry, in order.
    pub async fn minutes(&self, meeting: MeetingId) -> Result<Vec<MinutesEntry>, StoreError> {
        sqlx::query(
            "SELECT seq, at, kind, actor, subject, body, prev_hash, hash FROM meeting_minutes \
             WHERE meeting_id = $1 ORDER BY seq",
        )
        .bind(meeting.0)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(entry_from_row)
        .collect()
    }

    /// The last entry, where a live room continues the chain.
    pub async fn last_minutes_entry(
        &self,
        meeting: MeetingId,
    ) -> Result<Option<MinutesEntry>, StoreError> {
        sqlx::query(
            "SELECT seq, at, kind, actor, subject, body, prev_hash, hash FROM meeting_minutes \
             WHERE meeting_id = $1 ORDER BY seq DESC LIMIT 1",
        )
        .bind(meeting.0)
        .fetch_optional(&self.pool)
        .await?
        .as_ref()
        .map(entry_from_row)
        .transpose()
    }

    /// The latest `limit` chat lines, oldest first.
    pub async fn recent_chat(
        &self,
        meeting: MeetingId,
        limit: u32,
    ) -> Result<Vec<ChatLine>, StoreError> {
        let rows = sqlx::query(
            "SELECT seq, at, kind, actor, subject, body, prev_hash, hash FROM meeting_minutes \
             WHERE meeting_id = $1 AND kind = 'chat' ORDER BY seq DESC LIMIT $2",
        )
        .bind(meeting.0)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        let mut lines = rows
            .iter()
            .map(|r| {
                let e = entry_from_row(r)?;
                Ok(ChatLine {
                    seq: e.seq,
                    at: e.at,
                    from: e.actor.unwrap_or_default(),
                    text: e.text.unwrap_or_default(),
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        lines.reverse();
        Ok(lines)
    }

    /// Marks the meeting ended with the signature over its minutes; `false` when it had
    /// already ended (the first end stands).
    pub async fn seal_meeting(
        &self,
        meeting: MeetingId,
        ended_at: i64,
        signature: &MinutesSignature,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE meetings SET ended_at = $1, minutes_key = $2, minutes_signature = $3, \
             signed_at = $4 WHERE id = $5 AND ended_at IS NULL",
        )
        .bind(ended_at)
        .bind(signature.public_key.as_str())
        .bind(signature.signature.as_str())
        .bind(signature.signed_at)
        .bind(meeting.0)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn attendance_begin(
        &self,
        meeting: MeetingId,
        login: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO meeting_attendance (meeting_id, login, joined_at) VALUES ($1, $2, $3)",
        )
        .bind(meeting.0)
        .bind(login)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Closes `login`'s open stay (all open stays when `login` is `None`).
    pub async fn attendance_end(
        &self,
        meeting: MeetingId,
        login: Option<&str>,
        now: i64,
        why: Option<LeaveReason>,
    ) -> Result<(), StoreError> {
        let why = match why {
            Some(LeaveReason::Disconnected) => "disconnected",
            Some(LeaveReason::Removed) => "removed",
            Some(_) => "left",
            None => "ended",
        };
        let sql = match login {
            Some(_) => {
                "UPDATE meeting_attendance SET left_at = $1, left_why = $2 \
                 WHERE meeting_id = $3 AND left_at IS NULL AND login = $4"
            }
            None => {
                "UPDATE meeting_attendance SET left_at = $1, left_why = $2 \
                 WHERE meeting_id = $3 AND left_at IS NULL"
            }
        };
        let mut q = sqlx::query(sql).bind(now).bind(why).bind(meeting.0);
        if let Some(login) = login {
            q = q.bind(login);
        }
        q.execute(&self.pool).await?;
        Ok(())
    }

    /// Every stay, in the order they began.
    pub async fn attendance(&self, meeting: MeetingId) -> Result<Vec<Attendance>, StoreError> {
        sqlx::query(
            "SELECT login, joined_at, left_at, left_why FROM meeting_attendance \
             WHERE meeting_id = $1 ORDER BY id",
        )
        .bind(meeting.0)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(Attendance {
                login: r.try_get("login")?,
                joined_at: r.try_get("joined_at")?,
                left_at: r.try_get("left_at")?,
                left_why: r.try_get("left_why")?,
            })
        })
        .collect()
    }
}

async fn insert_entry<'c, E>(
    exec: E,
    meeting: MeetingId,
    e: &MinutesEntry,
) -> Result<(), StoreError>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query(
        "INSERT INTO meeting_minutes (meeting_id, seq, at, kind, actor, subject, body, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(meeting.0)
    .bind(seq_of(e)?)
    .bind(e.at)
    .bind(e.kind.as_str())
    .bind(e.actor.as_deref())
    .bind(e.subject.as_deref())
    .bind(e.text.as_deref())
    .bind(e.prev_hash.as_str())
    .bind(e.hash.as_str())
    .execute(exec)
    .await
    .map_err(|e| StoreError::from_insert(e, "minutes entry"))?;
    Ok(())
}
