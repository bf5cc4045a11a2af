//! Which field of a form a refused request is about. The node starts the message of a
//! field's error with the field's path and a colon (`title: must be 1 to 200 printable
//! characters`, `invited[0]: "nobody.here" is not an active officer of this node`), the
//! path naming the request's field as it is on the wire. A form shows such a message beside
//! the field it names, in the node's own words, and anything else under the form
//! (`pages::form` draws both).

use sis_proto::ApiError;

/// The path a node's message starts with, as in `invited[0]: …` or `origin.country: …`:
/// names of `a-z`, `0-9` and `_` (starting with a letter or `_`), joined by `.` or followed
/// by `[index]`, then `": "`. `None` for a message that starts with anything else (a
/// sentence such as `Unreadable message: …`).
pub fn field_path(message: &str) -> Option<&str> {
    let (path, rest) = message.split_once(':')?;
    if !rest.starts_with(' ') || rest.trim().is_empty() {
        return None;
    }
    let mut chars = path.chars().peekable();
    loop {
        // A name.
        match chars.next() {
            Some(c) if c.is_ascii_lowercase() || c == '_' => {}
            _ => return None,
        }
        while chars
            .peek()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
        {
            chars.next();
        }
        // Its indexes.
        while chars.peek() == Some(&'[') {
            chars.next();
            let mut digits = 0;
            while chars.peek().is_some_and(char::is_ascii_digit) {
                chars.next();
                digits += 1;
            }
            if digits == 0 || chars.next() != Some(']') {
                return None;
            }
        }
        match chars.next() {
            None => return Some(path),
            Some('.') => {}
            Some(_) => return None,
        }
    }
}

/// The request field a path is about: its first name (`invited` for `invited[0]`, `origin`
/// for `origin.country`).
pub fn field_name(path: &str) -> &str {
    path.split(['.', '[']).next().unwrap_or(path)
}

/// Of a form's `fields` (their names on the wire), the one `error` is about, if any.
pub fn named_field(error: &ApiError, fields: &[&'static str]) -> Option<&'static str> {
    let name = field_name(field_path(&error.message)?);
    fields.iter().copied().find(|f| *f == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sis_proto::ErrorCode;

    #[test]
    fn the_nodes_field_messages_name_their_path() {
        assert_eq!(
            field_path("title: must be 1 to 200 printable characters"),
            Some("title")
        );
        assert_eq!(
            field_path(r#"invited[0]: "nobody.here" is not an active officer of this node"#),
            Some("invited[0]")
        );
        assert_eq!(
            field_path("case_id: must be 1 to 100 printable characters"),
            Some("case_id")
        );
        assert_eq!(
            field_path("goods[12].hs_code: unknown code"),
            Some("goods[12].hs_code")
        );
        assert_eq!(
            field_path("origin.country: not a CAREC member"),
            Some("origin.country")
        );
    }

    #[test]
    fn sentences_are_not_paths() {
        for message in [
            "Unreadable message: expected value",
            "Wrong login or password.",
            "The request could not be encoded for the node.",
            "title:no space",
            "title: ",
            "invited[]: empty index",
            "invited[x]: not an index",
            "invited[0: unclosed",
            "a..b: empty name",
            "a.: trailing dot",
            ": no path",
            "9lives: starts with a digit",
            "Title: capital",
            "",
        ] {
            assert_eq!(field_path(message), None, "{message:?}");
        }
    }

    #[test]
    fn an_error_belongs_to_the_field_of_its_first_name() {
        const FIELDS: [&str; 4] = ["title", "case_id", "document_id", "invited"];
        let error = |m: &str| ApiError::new(ErrorCode::BadRequest, m);
        assert_eq!(
            named_field(
                &error("title: must be 1 to 200 printable characters"),
                &FIELDS
            ),
            Some("title")
        );
        assert_eq!(
            named_field(
                &error(r#"invited[3]: "x.y" is not an active officer"#),
                &FIELDS
            ),
            Some("invited")
        );
        assert_eq!(
            named_field(&error("invited: at most 100 officers"), &FIELDS),
            Some("invited")
        );
        assert_eq!(
            named_field(&error("meeting: there is no meeting 4"), &FIELDS),
            None,
            "a path the form has no field for goes under the form"
        );
        assert_eq!(
            named_field(&error("Send JSON text messages."), &FIELDS),
            None
        );
        assert_eq!(field_name("goods[1].hs_code"), "goods");
    }
}
