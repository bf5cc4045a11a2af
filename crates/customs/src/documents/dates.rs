//! Calendar dates, UTC date-times and months, written as ISO 8601 (`2025-03-14`,
//! `2025-03-14T06:30:00Z`, `2025-03`). Only real dates parse (no 30 February), and only
//! one spelling of each (UTC, no fractions, no offsets), so the written order of two values
//! is their order in time.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::InvalidCode;

/// A calendar date, `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

/// A moment in UTC to the second, `YYYY-MM-DDThh:mm:ssZ`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DateTime {
    date: Date,
    hour: u8,
    minute: u8,
    second: u8,
}

/// A calendar month, `YYYY-MM`: the period of trade statistics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct YearMonth {
    year: u16,
    month: u8,
}

/// A fixed-width run of ASCII digits, or `None`.
fn number(s: &str) -> Option<u16> {
    crate::parse_digits(s)
}

/// The fields of `YYYY-MM`, checked for shape and month range.
fn year_month(s: &str) -> Option<(u16, u8)> {
    let (y, m) = (s.get(0..4)?, s.get(5..7)?);
    if s.len() != 7 || s.as_bytes()[4] != b'-' {
        return None;
    }
    let (year, month) = (number(y)?, u8::try_from(number(m)?).ok()?);
    (1..=12).contains(&month).then_some((year, month))
}

fn days_in_month(year: u16, month: u8) -> u8 {
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Date {
    pub fn parse(s: &str) -> Result<Self, InvalidCode> {
        Date::fields(s).ok_or_else(|| InvalidCode {
            value: s.to_owned(),
            list: "a date written YYYY-MM-DD",
        })
    }

    fn fields(s: &str) -> Option<Date> {
        if s.len() != 10 || s.as_bytes().get(7) != Some(&b'-') {
            return None;
        }
        let (year, month) = year_month(s.get(0..7)?)?;
        let day = u8::try_from(number(s.get(8..10)?)?).ok()?;
        (1..=days_in_month(year, month))
            .contains(&day)
            .then_some(Date { year, month, day })
    }

    /// The month the date falls in.
    pub fn year_month(&self) -> YearMonth {
        YearMonth {
            year: self.year,
            month: self.month,
        }
    }
}

impl DateTime {
    pub fn parse(s: &str) -> Result<Self, InvalidCode> {
        DateTime::fields(s).ok_or_else(|| InvalidCode {
            value: s.to_owned(),
            list: "a UTC date-time written YYYY-MM-DDThh:mm:ssZ",
        })
    }

    fn fields(s: &str) -> Option<DateTime> {
        let b = s.as_bytes();
        if s.len() != 20 || b[10] != b'T' || b[13] != b':' || b[16] != b':' || b[19] != b'Z' {
            return None;
        }
        let date = Date::fields(s.get(0..10)?)?;
        let part = |range| u8::try_from(number(s.get(range)?)?).ok();
        let (hour, minute, second) = (part(11..13)?, part(14..16)?, part(17..19)?);
        (hour < 24 && minute < 60 && second < 60).then_some(DateTime {
            date,
            hour,
            minute,
            second,
        })
    }

    pub fn date(&self) -> Date {
        self.date
    }
}

impl YearMonth {
    pub fn parse(s: &str) -> Result<Self, InvalidCode> {
        year_month(s)
            .map(|(year, month)| YearMonth { year, month })
            .ok_or_else(|| InvalidCode {
                value: s.to_owned(),
                list: "a month written YYYY-MM",
            })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}T{:02}:{:02}:{:02}Z",
            self.date, self.hour, self.minute, self.second
        )
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// `FromStr` and serde (as the ISO 8601 string) for each type, through its `parse`.
macro_rules! text_form {
    ($($name:ident),*) => {$(
        impl std::str::FromStr for $name {
            type Err = InvalidCode;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $name::parse(s)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                $name::parse(&s).map_err(serde::de::Error::custom)
            }
        }
    )*};
}

text_form!(Date, DateTime, YearMonth);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_dates_parse_and_print_as_written() {
        for good in [
            "2025-03-14",
            "2024-02-29",
            "2000-02-29",
            "0001-01-01",
            "9999-12-31",
        ] {
            assert_eq!(Date::parse(good).expect(good).to_string(), good);
        }
        for bad in [
            "2025-02-29",
            "1900-02-29",
            "2025-04-31",
            "2025-13-01",
            "2025-00-10",
            "2025-01-00",
            "2025-1-01",
            "25-01-01",
            "2025/01/01",
            "2025-01-01T",
            "+025-01-01",
            "2025-01-0١",
            "",
        ] {
            assert_eq!(Date::parse(bad).expect_err(bad).value, bad);
        }
    }

    #[test]
    fn date_times_are_utc_to_the_second() {
        let t = DateTime::parse("2025-03-14T06:30:00Z").expect("valid");
        assert_eq!(t.to_string(), "2025-03-14T06:30:00Z");
        assert_eq!(t.date(), Date::parse("2025-03-14").expect("valid"));
        for bad in [
            "2025-03-14T24:00:00Z",
            "2025-03-14T06:60:00Z",
            "2025-03-14T06:30:60Z",
            "2025-03-14T06:30:00",
            "2025-03-14T06:30:00+05:00",
            "2025-03-14T06:30:00.5Z",
            "2025-03-14 06:30:00Z",
            "2025-02-30T06:30:00Z",
        ] {
            assert!(DateTime::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn order_is_time_order() {
        let d = |s| Date::parse(s).expect(s);
        assert!(d("2024-12-31") < d("2025-01-01"));
        assert!(d("2025-02-01") < d("2025-10-01"));
        let t = |s| DateTime::parse(s).expect(s);
        assert!(t("2025-03-14T23:59:59Z") < t("2025-03-15T00:00:00Z"));
        assert_eq!(
            d("2025-03-14").year_month(),
            YearMonth::parse("2025-03").expect("ok")
        );
        assert!(YearMonth::parse("2025-13").is_err() && YearMonth::parse("2025-3").is_err());
    }

    #[test]
    fn serde_uses_the_iso_string() {
        let d: Date = serde_json::from_str("\"2025-03-14\"").expect("valid");
        assert_eq!(serde_json::to_string(&d).expect("ser"), "\"2025-03-14\"");
        let err = serde_json::from_str::<Date>("\"2025-02-30\"").expect_err("no such day");
        assert!(err.to_string().contains("YYYY-MM-DD"), "{err}");
    }
}
