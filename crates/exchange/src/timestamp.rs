//! RFC 3339 timestamps: written in UTC with milliseconds, read in any form RFC 3339 allows.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// `t` in UTC with exactly three fractional digits (`2026-03-01T08:00:00.000Z`), the form
/// every timestamp this crate writes takes. `None` if the year is outside 0000–9999, which
/// RFC 3339 cannot write.
pub fn format_millis(t: OffsetDateTime) -> Option<String> {
    let t = t.to_offset(time::UtcOffset::UTC);
    if !(0..=9999).contains(&t.year()) {
        return None;
    }
    Some(format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    ))
}

/// Reads any RFC 3339 date-time (any offset, any number of fractional digits).
pub fn parse(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s, &Rfc3339).ok()
}

/// `t` cut to whole milliseconds, so what is written and what is read back compare equal.
pub fn truncate_millis(t: OffsetDateTime) -> OffsetDateTime {
    let ms = t.millisecond();
    t.replace_nanosecond(u32::from(ms) * 1_000_000)
        .expect("whole milliseconds are a valid nanosecond")
}

/// Serde for RFC 3339 fields of JSON payloads: written with milliseconds in UTC, read in
/// any RFC 3339 form.
pub(crate) mod serde_rfc3339 {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::OffsetDateTime;

    pub fn serialize<S: Serializer>(t: &OffsetDateTime, s: S) -> Result<S::Ok, S::Error> {
        let text = super::format_millis(*t)
            .ok_or_else(|| serde::ser::Error::custom("year outside 0000-9999"))?;
        s.serialize_str(&text)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<OffsetDateTime, D::Error> {
        let text = String::deserialize(d)?;
        super::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("{text:?} is not an RFC 3339 date-time"))
        })
    }
}

/// Serde for SHA-256 digests as 64 hex digits (either case read, lower case written).
pub(crate) mod serde_sha256 {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(h: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(h))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
        let text = String::deserialize(d)?;
        super::parse_sha256(&text)
            .ok_or_else(|| serde::de::Error::custom("must be 64 hex digits (a SHA-256)"))
    }
}

pub(crate) fn parse_sha256(text: &str) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    hex::decode_to_slice(text, &mut out).ok()?;
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_in_utc_with_milliseconds() {
        let t = parse("2026-03-01T13:00:00.1234+05:00").unwrap();
        assert_eq!(format_millis(t).unwrap(), "2026-03-01T08:00:00.123Z");
        let whole = parse("2026-03-01T08:00:00Z").unwrap();
        assert_eq!(format_millis(whole).unwrap(), "2026-03-01T08:00:00.000Z");
    }

    #[test]
    fn every_rfc3339_form_is_read() {
        for ok in [
            "2026-03-01T08:00:00Z",
            "2026-03-01t08:00:00z",
            "2026-03-01T08:00:00.5+06:00",
            "2026-03-01T08:00:00.123456789-00:00",
        ] {
            parse(ok).expect(ok);
        }
        for bad in [
            "2026-03-01",
            "2026-03-01 08:00:00",
            "2026-03-01T08:00:00",
            "yesterday",
        ] {
            assert!(parse(bad).is_none(), "{bad}");
        }
    }
}
