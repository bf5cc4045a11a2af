//! Official letters between member countries' customs services: what an officer composes,
//! the inbox and outbox, one letter with each recipient's status.

use serde::{Deserialize, Serialize};

/// # `PUT` and `GET /api/v1/letters/{id}/attachments/{name}`: a letter's file as raw bytes
/// (not JSON). `PUT` adds it to a draft, the body being the file (up to
/// [`MAX_ATTACHMENT_BYTES`]) and its `Content-Type` the media type, and answers the
/// [`Letter`]; `GET` answers the file.
pub const ATTACHMENT_PATH: &str = "/api/v1/letters/{id}/attachments/{name}";

/// The largest file a letter carries: 20 MiB.
pub const MAX_ATTACHMENT_BYTES: u64 = 20 * 1024 * 1024;

/// # `POST /api/v1/letters` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewLetter {
    /// Member countries the letter goes to (ISO 3166-1 alpha-2), 1 to 10, not this node's.
    pub to: Vec<String>,
    /// The service addressed in those countries; default "Customs service".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<String>,
    /// 1 to 200 printable characters.
    pub subject: String,
    /// Up to 100,000 characters.
    pub body: String,
    /// The id of the letter this one answers (a letter of this node's inbox or outbox).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<String>,
    /// The day an answer is asked for, `YYYY-MM-DD`, not before today.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<String>,
    /// The case the letter belongs to: a UUID that follows it across countries. Default: the
    /// case of the letter it answers, or a new one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<String>,
    /// Keep it as a draft, to add attachments (`PUT /api/v1/letters/{id}/attachments/{name}`)
    /// and send it later (`POST /api/v1/letters/{id}/send`). Default false: sent at once.
    #[serde(default)]
    pub draft: bool,
}

/// Which letters `GET /api/v1/letters` lists.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mailbox {
    #[default]
    Inbox,
    Outbox,
}

/// # `GET /api/v1/letters` query.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterQuery {
    #[serde(default, rename = "box")]
    pub box_: Mailbox,
    /// Words searched in subjects, bodies and attachment names (all must occur).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    /// Letters of this case (thread) only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<String>,
    /// At most this many, newest first; default 50, at most 200.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

/// Where a letter is, for one recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LetterStatus {
    /// Not sent yet: attachments may still be added.
    Draft,
    /// Waiting for delivery to the recipient's node.
    Queued,
    /// The recipient's node signed a receipt for it.
    Delivered,
    /// The recipient registered it under its incoming number.
    Registered,
    /// An officer of the recipient opened it.
    Read,
    /// The recipient answered it.
    Answered,
    /// The recipient's node refused it with a signed error.
    Refused,
}

/// A signed receipt, as the sender keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptView {
    /// When the recipient's node received it (Unix ms).
    pub received_at: i64,
    /// Where the recipient logged it.
    pub log_index: u64,
}

/// A refusal, as the recipient's node signed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefusalView {
    pub code: String,
    pub message: String,
}

/// One recipient of a letter and how far the letter got there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipient {
    pub country: String,
    pub status: LetterStatus,
    /// The envelope that carries the letter to this recipient (none for a draft).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub envelope_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt: Option<ReceiptView>,
    /// The number the recipient registered it under, once registered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub their_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal: Option<RefusalView>,
    /// When the status last changed (Unix ms).
    pub updated_at: i64,
}

/// A file of a letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentView {
    pub name: String,
    pub media_type: String,
    pub size_bytes: u64,
    pub sha256: String,
}

/// A letter as the lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterSummary {
    pub id: String,
    /// This node's registration number: `KZ-OUT-2026-000123`, `UZ-IN-2026-000045`.
    pub number: String,
    /// `outbox` (written here) or `inbox` (received).
    #[serde(rename = "box")]
    pub box_: Mailbox,
    pub from: String,
    pub to: Vec<String>,
    pub subject: String,
    /// Unix ms: when it was written (outbox) or received (inbox).
    pub at: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<String>,
    /// The deadline has passed and the letter is not answered.
    pub overdue: bool,
    /// Inbox: no officer of this node opened it yet.
    pub unread: bool,
    pub case: String,
    /// The least advanced status over the recipients (outbox), or this node's (inbox).
    pub status: LetterStatus,
    /// How many files it carries.
    pub files: u32,
}

/// # `GET /api/v1/letters` response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterList {
    pub letters: Vec<LetterSummary>,
}

/// # `GET /api/v1/letters/{id}` response: the whole letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Letter {
    #[serde(flatten)]
    pub summary: LetterSummary,
    pub agency: String,
    pub body: String,
    /// The sender's registration number (inbox).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub their_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<String>,
    pub attachments: Vec<AttachmentView>,
    /// Outbox: every recipient and its status.
    pub recipients: Vec<Recipient>,
    /// The officer who wrote it (outbox).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Inbox: the envelope it came in, which this node's log holds (the page checks its
    /// proof, as it does each recipient's envelope of an outgoing letter).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub envelope_id: Option<String>,
}
