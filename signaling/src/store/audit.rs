//! The audit log: append-only; nothing in the node updates or deletes a row.

use sis_proto::audit::AuditEntry;
use sqlx::Row;

use super::{Store, StoreError};

/// What an audit entry records: every write the node does has one, named here, so the
/// log's vocabulary is fixed and searchable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuditAction {
    SessionCreate,
    SessionDelete,
    /// A login from an address, or an address, reached its limit of failures.
    SessionLockout,
    OfficerAdd,
    OfficerDisable,
    OfficerEnable,
    OfficerPasswd,
    MeetingCreate,
    MeetingJoin,
    MeetingLeave,
    MeetingAdmit,
    MeetingMute,
    MeetingRemove,
    MeetingChat,
    MeetingDecision,
    MeetingEnd,
    LetterCreate,
    LetterAttach,
    LetterSend,
    LetterRead,
}

impl AuditAction {
    /// Every action, for the registry's check that each has one owner.
    pub const ALL: &[AuditAction] = &[
        AuditAction::SessionCreate,
        AuditAction::SessionDelete,
        AuditAction::SessionLockout,
        AuditAction::OfficerAdd,
        AuditAction::OfficerDisable,
        AuditAction::OfficerEnable,
        AuditAction::OfficerPasswd,
        AuditAction::MeetingCreate,
        AuditAction::MeetingJoin,
        AuditAction::MeetingLeave,
        AuditAction::MeetingAdmit,
        AuditAction::MeetingMute,
        AuditAction::MeetingRemove,
        AuditAction::MeetingChat,
        AuditAction::MeetingDecision,
        AuditAction::MeetingEnd,
        AuditAction::LetterCreate,
        AuditAction::LetterAttach,
        AuditAction::LetterSend,
        AuditAction::LetterRead,
    ];

    /// What the action is about: `meeting` of `meeting.create`.
    pub fn area(self) -> &'static str {
        self.as_str().split('.').next().unwrap_or_default()
    }

    /// As stored and shown: `area.verb`.
    pub const fn as_str(self) -> &'static str {
        match self {
            AuditAction::SessionCreate => "session.create",
            AuditAction::SessionDelete => "session.delete",
            AuditAction::SessionLockout => "session.lockout",
            AuditAction::OfficerAdd => "officer.add",
            AuditAction::OfficerDisable => "officer.disable",
            AuditAction::OfficerEnable => "officer.enable",
            AuditAction::OfficerPasswd => "officer.passwd",
            AuditAction::MeetingCreate => "meeting.create",
            AuditAction::MeetingJoin => "meeting.join",
            AuditAction::MeetingLeave => "meeting.leave",
            AuditAction::MeetingAdmit => "meeting.admit",
            AuditAction::MeetingMute => "meeting.mute",
            AuditAction::MeetingRemove => "meeting.remove",
            AuditAction::MeetingChat => "meeting.chat",
            AuditAction::MeetingDecision => "meeting.decision",
            AuditAction::MeetingEnd => "meeting.end",
            AuditAction::LetterCreate => "letter.create",
            AuditAction::LetterAttach => "letter.attach",
            AuditAction::LetterSend => "letter.send",
            AuditAction::LetterRead => "letter.read",
        }
    }
}

impl std::fmt::Display for AuditAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone)]
pub struct NewAuditEntry<'a> {
    pub actor: Option<&'a str>,
    pub action: AuditAction,
    pub target: Option<&'a str>,
    pub address: Option<&'a str>,
    pub outcome: &'a str,
}

impl Store {
    pub async fn append_audit(&self, e: &NewAuditEntry<'_>, now: i64) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "INSERT INTO audit_log (at, actor, action, target, address, outcome) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(now)
        .bind(e.actor)
        .bind(e.action.as_str())
        .bind(e.target)
        .bind(e.address)
        .bind(e.outcome)
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get("id")?)
    }

    /// Newest first; `before` pages backwards by id.
    pub async fn list_audit(
        &self,
        limit: u32,
        before: Option<i64>,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, at, actor, action, target, address, outcome FROM audit_log \
             WHERE id < $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(before.unwrap_or(i64::MAX))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditEntry {
                    id: r.try_get("id")?,
                    at: r.try_get("at")?,
                    actor: r.try_get("actor")?,
                    action: r.try_get("action")?,
                    target: r.try_get("target")?,
                    address: r.try_get("address")?,
                    outcome: r.try_get("outcome")?,
                })
            })
            .collect()
    }
}
