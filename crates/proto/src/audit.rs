//! The audit log: every write on the node, who did it, when and from where.

use serde::{Deserialize, Serialize};

/// One audited action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    /// Unix milliseconds.
    pub at: i64,
    /// Login of the actor; `None` for the node itself or an anonymous attempt.
    pub actor: Option<String>,
    /// Dotted action name, e.g. `session.create`, `officer.add`.
    pub action: String,
    /// What the action was about (a login, a document id).
    pub target: Option<String>,
    /// Client address for requests; `cli` for the command line.
    pub address: Option<String>,
    /// `ok` or the error code the action ended with.
    pub outcome: String,
}

/// Query of `GET /api/v1/audit`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQuery {
    /// At most this many entries (default 100, at most 1000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Only entries with an id below this one (the previous page's last id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
}
