//! `DTM`: dates as `CCYYMMDD` (format 102), UTC date-times as `CCYYMMDDHHMM` (203) or,
//! when the seconds are not zero, `CCYYMMDDHHMMSS` (204).

use crate::InvalidCode;
use crate::documents::{Date, DateTime};
use crate::edifact::Segment;

use super::DTM;
use super::read::{Fields, Result};
use super::write::{composite, segment};

pub(super) fn date(qualifier: &str, date: Date) -> Segment {
    segment(
        DTM,
        vec![composite(&[qualifier, &digits(&date.to_string()), "102"])],
    )
}

pub(super) fn date_time(qualifier: &str, time: DateTime) -> Segment {
    let digits = digits(&time.to_string());
    let (value, format) = match digits.strip_suffix("00") {
        Some(minutes) => (minutes.to_owned(), "203"),
        None => (digits, "204"),
    };
    segment(DTM, vec![composite(&[qualifier, &value, format])])
}

fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// The date of a `DTM` whose qualifier the caller has read.
pub(super) fn read_date(fields: &mut Fields<'_>) -> Result<Date> {
    fields.qualifier(1, 3, &["102"], "102 (CCYYMMDD)")?;
    fields.parse_required(1, 2, "the date", |value| {
        iso(value, 8)
            .and_then(|iso| Date::parse(&iso).ok())
            .ok_or_else(|| invalid(value, "a date written CCYYMMDD"))
    })
}

/// The UTC date-time of a `DTM` whose qualifier the caller has read.
pub(super) fn read_date_time(fields: &mut Fields<'_>) -> Result<DateTime> {
    let format = fields.qualifier(
        1,
        3,
        &["203", "204"],
        "203 (CCYYMMDDHHMM) and 204 (CCYYMMDDHHMMSS)",
    )?;
    let (length, expected) = match format {
        "203" => (12, "a date-time written CCYYMMDDHHMM"),
        _ => (14, "a date-time written CCYYMMDDHHMMSS"),
    };
    fields.parse_required(1, 2, "the date-time", |value| {
        iso(value, length)
            .and_then(|iso| DateTime::parse(&iso).ok())
            .ok_or_else(|| invalid(value, expected))
    })
}

/// `CCYYMMDD[HHMM[SS]]` in the ISO form the documents parse.
fn iso(value: &str, length: usize) -> Option<String> {
    if value.len() != length || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let part = |range: std::ops::Range<usize>| value.get(range).unwrap_or("00");
    let date = format!("{}-{}-{}", part(0..4), part(4..6), part(6..8));
    Some(if length == 8 {
        date
    } else {
        format!("{date}T{}:{}:{}Z", part(8..10), part(10..12), part(12..14))
    })
}

fn invalid(value: &str, list: &'static str) -> InvalidCode {
    InvalidCode {
        value: value.to_owned(),
        list,
    }
}
