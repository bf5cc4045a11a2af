//! The one rule for short text fields people type (names, titles, references): one line of
//! printable characters, trimmed, not empty, not longer than the field allows.

/// Why a text field is refused; the message names the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: must be 1 to {max} printable characters")]
pub struct TextError {
    pub field: String,
    pub max: usize,
}

/// `value` trimmed, when it is 1 to `max` characters with no control characters.
pub fn one_line<'a>(field: &str, value: &'a str, max: usize) -> Result<&'a str, TextError> {
    let v = value.trim();
    let n = v.chars().count();
    if n == 0 || n > max || v.chars().any(char::is_control) {
        return Err(TextError {
            field: field.to_owned(),
            max,
        });
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_trimmed_printable_line_within_the_limit() {
        assert_eq!(one_line("title", "  Khorgos  ", 10), Ok("Khorgos"));
        assert_eq!(
            one_line("name", "Айбек", 5),
            Ok("Айбек"),
            "characters, not bytes"
        );
        for bad in ["", "   ", "a\u{7}b", "two\nlines", "elevenchars"] {
            assert_eq!(
                one_line("title", bad, 10).map_err(|e| e.to_string()),
                Err("title: must be 1 to 10 printable characters".to_owned()),
                "{bad:?}"
            );
        }
    }
}
