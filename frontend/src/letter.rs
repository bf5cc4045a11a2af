//! The letters pages' pure half: the mailbox and thread queries, the countries a letter can
//! go to, the request a compose form makes, what a reply starts from, a file's address and
//! how statuses and sizes read.

use sis_proto::ApiError;
use sis_proto::directory::{Directory, DirectoryEntry, DirectoryQuery};
use sis_proto::letter::{
    ATTACHMENT_PATH, Letter, LetterQuery, LetterStatus, LetterSummary, MAX_ATTACHMENT_BYTES,
    Mailbox, NewLetter,
};

use crate::api::fill_path;
use crate::directory::names;
use crate::i18n::{CAREC_MEMBERS, Key, Language, country_name, t};

/// Letters asked for per mailbox page: the node's most is 200; a screenful or two is what
/// an officer scans before searching.
pub const LIST_LIMIT: u32 = 100;

/// Media type sent for a file the browser cannot name (no extension it knows).
pub const UNKNOWN_MEDIA_TYPE: &str = "application/octet-stream";

/// The mailbox as listed, newest first, with the words typed in the search box.
pub fn list_query(mailbox: Mailbox, typed: &str) -> LetterQuery {
    let typed = typed.trim();
    LetterQuery {
        box_: mailbox,
        q: (!typed.is_empty()).then(|| typed.to_owned()),
        case: None,
        limit: Some(LIST_LIMIT),
    }
}

/// The two queries that find a case's letters: the node lists one mailbox at a time, and a
/// thread is what was received and what was sent.
pub fn thread_queries(case: &str) -> [LetterQuery; 2] {
    [Mailbox::Inbox, Mailbox::Outbox].map(|box_| LetterQuery {
        box_,
        q: None,
        case: Some(case.to_owned()),
        limit: Some(LIST_LIMIT),
    })
}

/// A case's letters from both mailboxes, newest first, without the one being read.
pub fn thread(
    inbox: Vec<LetterSummary>,
    outbox: Vec<LetterSummary>,
    reading: &str,
) -> Vec<LetterSummary> {
    let mut all: Vec<LetterSummary> = inbox
        .into_iter()
        .chain(outbox)
        .filter(|l| l.id != reading)
        .collect();
    // Stable, so letters of the same millisecond keep the node's order.
    all.sort_by_key(|l| std::cmp::Reverse(l.at));
    all
}

/// The countries directory in full (a few hundred entries, under the node's limit of 500):
/// the recipients' names come from it.
pub fn countries_query() -> (Directory, DirectoryQuery) {
    (
        Directory::Countries,
        DirectoryQuery {
            q: None,
            limit: Some(500),
        },
    )
}

/// A country a letter can go to, as the picker shows it: `KZ · Kazakhstan`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub code: &'static str,
    pub name: String,
}

impl Choice {
    pub fn label(&self) -> String {
        format!("{} · {}", self.code, self.name)
    }
}

/// The CAREC members but `own`, each named as the countries directory names it in `lang`
/// (the interface's own name where the directory is not loaded or lacks it), in the order
/// of their names.
pub fn recipient_choices(lang: Language, own: &str, countries: &[DirectoryEntry]) -> Vec<Choice> {
    let own = own.trim().to_ascii_uppercase();
    let mut choices: Vec<Choice> = CAREC_MEMBERS
        .into_iter()
        .filter(|code| *code != own)
        .map(|code| {
            let name = match countries.iter().find(|e| e.code.eq_ignore_ascii_case(code)) {
                Some(entry) => names(lang, entry).primary.0.to_owned(),
                None => country_name(lang, code).unwrap_or(code).to_owned(),
            };
            Choice { code, name }
        })
        .collect();
    choices.sort_by(|a, b| a.name.cmp(&b.name));
    choices
}

/// What the compose form holds, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Compose {
    /// Country codes, in the order they were ticked.
    pub to: Vec<String>,
    pub agency: String,
    pub subject: String,
    pub body: String,
    /// `YYYY-MM-DD` from the date input, or empty.
    pub deadline: String,
    pub reply_to: Option<String>,
    /// Files were chosen: the letter is made a draft, the files are added, then it is sent.
    pub with_files: bool,
}

/// The `POST /api/v1/letters` body for a compose form. Empty optional fields are left out so
/// the node applies its defaults (agency: the customs service); the subject and body go as
/// typed, for the node to judge.
pub fn new_letter(form: &Compose) -> NewLetter {
    let optional = |s: &str| Some(s.trim()).filter(|s| !s.is_empty()).map(str::to_owned);
    NewLetter {
        to: form.to.clone(),
        agency: optional(&form.agency),
        subject: form.subject.clone(),
        body: form.body.clone(),
        reply_to: form.reply_to.clone(),
        deadline: optional(&form.deadline),
        case: None,
        draft: form.with_files,
    }
}

/// A reply to `letter`, read at the node of `own`: to its sender when it was received, to
/// the same countries when it was sent here (a follow-up); `Re: ` before its subject once.
pub fn reply_to(letter: &Letter, own: &str) -> Compose {
    let summary = &letter.summary;
    let to = match summary.box_ {
        Mailbox::Inbox => vec![summary.from.clone()],
        Mailbox::Outbox => summary.to.clone(),
    };
    let subject = if summary.subject.to_lowercase().starts_with("re:") {
        summary.subject.clone()
    } else {
        format!("Re: {}", summary.subject)
    };
    Compose {
        to: to
            .into_iter()
            .filter(|c| !c.eq_ignore_ascii_case(own))
            .collect(),
        subject,
        reply_to: Some(summary.id.clone()),
        ..Compose::default()
    }
}

/// `GET`/`PUT /api/v1/letters/{id}/attachments/{name}` for one file.
pub fn attachment_path(letter_id: &str, name: &str) -> Result<String, ApiError> {
    fill_path(ATTACHMENT_PATH, &[("id", letter_id), ("name", name)])
}

/// The `Content-Type` a file is sent with: what the browser says it is, or
/// [`UNKNOWN_MEDIA_TYPE`] when it does not know.
pub fn content_type(browser_type: &str) -> &str {
    match browser_type.trim() {
        "" => UNKNOWN_MEDIA_TYPE,
        known => known,
    }
}

/// The first of `files` (name, size) that the node would refuse as too large: checked
/// before anything is sent, so a letter is not left half made for a file that cannot go.
pub fn first_too_large(files: &[(String, u64)]) -> Option<&str> {
    files
        .iter()
        .find(|(_, size)| *size > MAX_ATTACHMENT_BYTES)
        .map(|(name, _)| name.as_str())
}

/// How a status reads.
pub fn status_key(status: LetterStatus) -> Key {
    match status {
        LetterStatus::Draft => Key::LetterStatusDraft,
        LetterStatus::Queued => Key::LetterStatusQueued,
        LetterStatus::Delivered => Key::LetterStatusDelivered,
        LetterStatus::Registered => Key::LetterStatusRegistered,
        LetterStatus::Read => Key::LetterStatusRead,
        LetterStatus::Answered => Key::LetterStatusAnswered,
        LetterStatus::Refused => Key::LetterStatusRefused,
        // A status from a newer node.
        _ => Key::LetterStatusOther,
    }
}

/// A status's wire name, for `data-status` attributes that tests and styles read.
pub fn status_slug(status: LetterStatus) -> &'static str {
    match status {
        LetterStatus::Draft => "draft",
        LetterStatus::Queued => "queued",
        LetterStatus::Delivered => "delivered",
        LetterStatus::Registered => "registered",
        LetterStatus::Read => "read",
        LetterStatus::Answered => "answered",
        LetterStatus::Refused => "refused",
        _ => "other",
    }
}

/// A file size as people read it: `512 B`, `14.2 KB`, `3.1 MB` (binary multiples, as file
/// managers show them; the decimal separator of the language).
pub fn size_text(lang: Language, bytes: u64) -> String {
    const KIB: u64 = 1024;
    let (value, unit) = match bytes {
        b if b < KIB => return format!("{b} {}", t(lang, Key::SizeBytes)),
        b if b < KIB * KIB => (b as f64 / KIB as f64, Key::SizeKb),
        b => (b as f64 / (KIB * KIB) as f64, Key::SizeMb),
    };
    let number = format!("{value:.1}");
    let number = match lang {
        Language::Ru => number.replace('.', ","),
        Language::En => number,
    };
    format!("{number} {}", t(lang, unit))
}

/// `UZ, KG`: a letter's countries for a table cell.
pub fn countries_text(codes: &[String]) -> String {
    codes.join(", ")
}

/// The id of a letter's row in a mailbox: `letter-row-<number>` (a draft, which has no
/// number yet, by its id).
pub fn row_id(letter: &LetterSummary) -> String {
    if letter.number.is_empty() {
        format!("letter-row-{}", letter.id)
    } else {
        format!("letter-row-{}", letter.number)
    }
}

#[cfg(test)]
mod tests;
