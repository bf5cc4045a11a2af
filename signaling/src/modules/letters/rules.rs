//! The rules of official letters, pure: what a new letter must carry, its registration
//! numbers, a file's name and type, where a letter stands over its recipients, when it is
//! overdue, and how a search is put to the full-text index.

use sis_customs::CountryCode;
use sis_customs::documents::{CorrelationId, Date};
use sis_proto::letter::{LetterStatus, NewLetter};

use crate::text::{TextError, one_line};

/// A letter goes to at most this many countries: every other member.
const MAX_RECIPIENTS: usize = 10;
const MAX_SUBJECT: usize = 200;
const MAX_BODY: usize = 100_000;
const MAX_AGENCY: usize = 200;
const MAX_FILE_NAME: usize = 200;
/// The service a letter is addressed to when the author names none.
pub const DEFAULT_AGENCY: &str = "Customs service";

/// Why a letter or a file is refused; each message names the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LetterRuleError {
    #[error(transparent)]
    Text(#[from] TextError),
    #[error("to: must name 1 to {MAX_RECIPIENTS} member countries")]
    RecipientCount,
    #[error("to[{index}]: {value:?} is not a CAREC member country")]
    NotMember { index: usize, value: String },
    #[error("to[{index}]: {value} is this node's own country")]
    OwnCountry { index: usize, value: String },
    #[error("to[{index}]: {value} is named twice")]
    Repeated { index: usize, value: String },
    #[error("body: must be 1 to {MAX_BODY} characters, not only spaces")]
    BodyLength,
    #[error("deadline: {value:?} is not a date YYYY-MM-DD")]
    BadDeadline { value: String },
    #[error("deadline: {value} is before today ({today})")]
    PastDeadline { value: String, today: String },
    #[error("case: {value:?} is not a UUID in lower-case hexadecimal with hyphens")]
    BadCase { value: String },
    #[error(
        "name: {value:?} must be a file name of 1 to {MAX_FILE_NAME} characters without a directory"
    )]
    BadFileName { value: String },
    #[error("Content-Type: {value:?} is not a media type like application/pdf")]
    BadMediaType { value: String },
}

/// A new letter, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft<'a> {
    pub to: Vec<CountryCode>,
    pub agency: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub deadline: Option<Date>,
    pub case: Option<CorrelationId>,
}

/// Checks what an officer of `own` wrote on `today`.
pub fn draft<'a>(
    req: &'a NewLetter,
    own: CountryCode,
    today: Date,
) -> Result<Draft<'a>, LetterRuleError> {
    if req.to.is_empty() || req.to.len() > MAX_RECIPIENTS {
        return Err(LetterRuleError::RecipientCount);
    }
    let mut to = Vec::with_capacity(req.to.len());
    for (index, value) in req.to.iter().enumerate() {
        let value = value.trim().to_ascii_uppercase();
        let country = CountryCode::parse(&value)
            .ok()
            .filter(CountryCode::is_carec_member)
            .ok_or_else(|| LetterRuleError::NotMember {
                index,
                value: value.clone(),
            })?;
        if country == own {
            return Err(LetterRuleError::OwnCountry { index, value });
        }
        if to.contains(&country) {
            return Err(LetterRuleError::Repeated { index, value });
        }
        to.push(country);
    }
    let agency = match &req.agency {
        Some(agency) => one_line("agency", agency, MAX_AGENCY)?,
        None => DEFAULT_AGENCY,
    };
    let subject = one_line("subject", &req.subject, MAX_SUBJECT)?;
    if req.body.trim().is_empty() || req.body.chars().count() > MAX_BODY {
        return Err(LetterRuleError::BodyLength);
    }
    let deadline = match &req.deadline {
        None => None,
        Some(value) => {
            let date = Date::parse(value).map_err(|_| LetterRuleError::BadDeadline {
                value: value.clone(),
            })?;
            if date < today {
                return Err(LetterRuleError::PastDeadline {
                    value: value.clone(),
                    today: today.to_string(),
                });
            }
            Some(date)
        }
    };
    let case = match &req.case {
        None => None,
        Some(value) => Some(
            CorrelationId::parse(value).map_err(|_| LetterRuleError::BadCase {
                value: value.clone(),
            })?,
        ),
    };
    Ok(Draft {
        to,
        agency,
        subject,
        body: &req.body,
        deadline,
        case,
    })
}

/// Outgoing or incoming, as in a registration number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Out,
    In,
}

/// The series a registration number is counted in: `KZ-OUT-2026`.
pub fn series(country: CountryCode, direction: Direction, year: i32) -> String {
    let d = match direction {
        Direction::Out => "OUT",
        Direction::In => "IN",
    };
    format!("{country}-{d}-{year}")
}

/// The `n`th number of a series: `KZ-OUT-2026-000123` (six digits, more when needed).
pub fn number(series: &str, n: i64) -> String {
    format!("{series}-{n:06}")
}

/// A file's name as stored: a name without a directory, printable, at most 200 characters.
pub fn file_name(value: &str) -> Result<&str, LetterRuleError> {
    let bad = || LetterRuleError::BadFileName {
        value: value.to_owned(),
    };
    let name = one_line("name", value, MAX_FILE_NAME).map_err(|_| bad())?;
    if name != value || name.contains(['/', '\\']) || name == "." || name == ".." {
        return Err(bad());
    }
    Ok(name)
}

/// A media type `type/subtype` (parameters dropped), lower case.
pub fn media_type(value: &str) -> Result<String, LetterRuleError> {
    let essence = value.split(';').next().unwrap_or_default().trim();
    let token = |s: &str| {
        !s.is_empty()
            && s.len() <= 127
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b))
    };
    match essence.split_once('/') {
        Some((t, s)) if token(t) && token(s) => Ok(essence.to_ascii_lowercase()),
        _ => Err(LetterRuleError::BadMediaType {
            value: value.to_owned(),
        }),
    }
}

/// How far each status is along the way, to find the least advanced of several.
fn rank(status: LetterStatus) -> u8 {
    match status {
        LetterStatus::Refused => 0,
        LetterStatus::Draft => 1,
        LetterStatus::Queued => 2,
        LetterStatus::Delivered => 3,
        LetterStatus::Registered => 4,
        LetterStatus::Read => 5,
        LetterStatus::Answered => 6,
        // Statuses added later sort as the most advanced until ranked.
        #[allow(unreachable_patterns)]
        _ => u8::MAX,
    }
}

/// An outgoing letter's status over its recipients: the least advanced one, so "delivered"
/// means delivered everywhere and a refusal anywhere shows.
pub fn overall(statuses: impl IntoIterator<Item = LetterStatus>) -> LetterStatus {
    statuses
        .into_iter()
        .min_by_key(|s| rank(*s))
        .unwrap_or(LetterStatus::Draft)
}

/// A letter is overdue when its deadline has passed and it is not answered (nor refused:
/// a refused letter waits for no answer).
pub fn overdue(deadline: Option<Date>, status: LetterStatus, today: Date) -> bool {
    match deadline {
        Some(deadline) => {
            deadline < today && !matches!(status, LetterStatus::Answered | LetterStatus::Refused)
        }
        None => false,
    }
}

/// A search put to the full-text index: every word must occur, as a word or the start of
/// one. Quotes and operators are not the searcher's: only letters and digits make words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Search {
    /// SQLite FTS5: `"word"* "word"*`.
    pub fts5: String,
    /// PostgreSQL `to_tsquery('simple', …)`: `word:* & word:*`.
    pub tsquery: String,
    /// The words as typed, for PostgreSQL's stemmed match (`plainto_tsquery`).
    pub text: String,
}

/// `None` when the search has no word.
pub fn search(q: &str) -> Option<Search> {
    let words: Vec<String> = q
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(16)
        .map(str::to_lowercase)
        .collect();
    if words.is_empty() {
        return None;
    }
    Some(Search {
        fts5: words
            .iter()
            .map(|w| format!("\"{w}\"*"))
            .collect::<Vec<_>>()
            .join(" "),
        tsquery: words
            .iter()
            .map(|w| format!("{w}:*"))
            .collect::<Vec<_>>()
            .join(" & "),
        text: words.join(" "),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn country(c: &str) -> CountryCode {
        CountryCode::parse(c).expect("country")
    }

    fn date(d: &str) -> Date {
        Date::parse(d).expect("date")
    }

    fn letter() -> NewLetter {
        NewLetter {
            to: vec!["uz".into(), "KG".into()],
            agency: None,
            subject: "  Broken seal No. 0047712 ".into(),
            body: "Please inspect.".into(),
            reply_to: None,
            deadline: Some("2026-12-20".into()),
            case: None,
            draft: false,
        }
    }

    fn refused(change: impl FnOnce(&mut NewLetter)) -> String {
        let mut req = letter();
        change(&mut req);
        draft(&req, country("KZ"), date("2026-12-05"))
            .expect_err("refused")
            .to_string()
    }

    #[test]
    fn a_letter_to_members_with_a_future_deadline() {
        let req = letter();
        let d = draft(&req, country("KZ"), date("2026-12-05")).expect("valid");
        assert_eq!(d.to, [country("UZ"), country("KG")]);
        assert_eq!(d.subject, "Broken seal No. 0047712");
        assert_eq!(d.agency, DEFAULT_AGENCY);
        assert_eq!(d.deadline, Some(date("2026-12-20")));
    }

    #[test]
    fn each_refusal_names_its_field() {
        assert_eq!(
            refused(|l| l.to.clear()),
            "to: must name 1 to 10 member countries"
        );
        assert_eq!(
            refused(|l| l.to.push("FR".into())),
            "to[2]: \"FR\" is not a CAREC member country"
        );
        assert_eq!(
            refused(|l| l.to.push("kz".into())),
            "to[2]: KZ is this node's own country"
        );
        assert_eq!(
            refused(|l| l.to.push("UZ".into())),
            "to[2]: UZ is named twice"
        );
        assert_eq!(
            refused(|l| l.subject = " ".into()),
            "subject: must be 1 to 200 printable characters"
        );
        assert_eq!(
            refused(|l| l.body = "я".repeat(100_001)),
            "body: must be 1 to 100000 characters, not only spaces"
        );
        assert_eq!(
            refused(|l| l.body = " \n ".into()),
            "body: must be 1 to 100000 characters, not only spaces"
        );
        assert_eq!(
            refused(|l| l.deadline = Some("20.12.2026".into())),
            "deadline: \"20.12.2026\" is not a date YYYY-MM-DD"
        );
        assert_eq!(
            refused(|l| l.deadline = Some("2026-12-04".into())),
            "deadline: 2026-12-04 is before today (2026-12-05)"
        );
        assert_eq!(
            refused(|l| l.case = Some("case-17".into())),
            "case: \"case-17\" is not a UUID in lower-case hexadecimal with hyphens"
        );
    }

    #[test]
    fn registration_numbers_count_per_series_and_year() {
        let s = series(country("KZ"), Direction::Out, 2026);
        assert_eq!(number(&s, 123), "KZ-OUT-2026-000123");
        assert_eq!(
            number(&series(country("UZ"), Direction::In, 2026), 45),
            "UZ-IN-2026-000045"
        );
        assert_eq!(number(&s, 1_234_567), "KZ-OUT-2026-1234567");
    }

    #[test]
    fn files_are_plain_names_with_media_types() {
        assert_eq!(file_name("act 0047712.pdf"), Ok("act 0047712.pdf"));
        for bad in [
            "",
            "../etc/passwd",
            "a\\b.pdf",
            "..",
            " padded.pdf",
            "tab\t.pdf",
        ] {
            assert!(file_name(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            media_type("Application/PDF; charset=binary").as_deref(),
            Ok("application/pdf")
        );
        assert_eq!(
            media_type("pdf").map_err(|e| e.to_string()),
            Err("Content-Type: \"pdf\" is not a media type like application/pdf".into())
        );
    }

    #[test]
    fn the_overall_status_is_the_least_advanced() {
        use LetterStatus as S;
        assert_eq!(overall([S::Read, S::Delivered, S::Answered]), S::Delivered);
        assert_eq!(overall([S::Answered, S::Refused]), S::Refused);
        assert_eq!(overall([S::Answered]), S::Answered);
    }

    #[test]
    fn overdue_after_the_deadline_until_answered() {
        let deadline = Some(date("2026-12-04"));
        let today = date("2026-12-05");
        assert!(overdue(deadline, LetterStatus::Read, today));
        assert!(!overdue(deadline, LetterStatus::Answered, today));
        assert!(!overdue(deadline, LetterStatus::Refused, today));
        assert!(
            !overdue(Some(today), LetterStatus::Read, today),
            "due today"
        );
        assert!(!overdue(None, LetterStatus::Queued, today));
    }

    #[test]
    fn searches_are_prefix_words_without_operators() {
        let s = search("Пломба \"seal\" OR 0047:*").expect("words");
        assert_eq!(s.fts5, "\"пломба\"* \"seal\"* \"or\"* \"0047\"*");
        assert_eq!(s.tsquery, "пломба:* & seal:* & or:* & 0047:*");
        assert_eq!(s.text, "пломба seal or 0047");
        assert_eq!(search(" -*- "), None);
    }
}
