//! The node's identities as types: parsed once where they come in (a request, a row, the
//! command line), then carried as these, never as bare strings and numbers.

use std::borrow::Borrow;
use std::fmt;

pub use sis_customs::CountryCode;
pub use sis_proto::meeting::MeetingId;

/// An officer's login name: 3–64 characters of `a-z 0-9 . _ -`, starting with a letter or
/// digit. Lower case only, so two spellings never name one officer twice.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Login(String);

/// A login name that breaks the rule; the message names the field and the rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "login: {0:?} must be 3 to 64 characters of a-z, 0-9, '.', '_' or '-', starting with a \
     letter or digit"
)]
pub struct LoginError(pub String);

impl Login {
    pub fn parse(login: &str) -> Result<Login, LoginError> {
        let ok_chars = login
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
        let ok_start = login
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
        if (3..=64).contains(&login.len()) && ok_chars && ok_start {
            Ok(Login(login.to_owned()))
        } else {
            Err(LoginError(login.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for Login {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Login {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// So maps keyed by login can be asked with a `&str` from the wire.
impl Borrow<str> for Login {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for Login {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<String> for Login {
    fn eq(&self, other: &String) -> bool {
        &self.0 == other
    }
}

/// An officer account's row id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OfficerId(pub i64);

/// A session's row id (not its token, which is never kept).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SessionId(pub i64);

impl fmt::Display for OfficerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Display for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_follow_the_rule_and_the_error_names_it() {
        for ok in ["ann", "a.b-c_1", "007", &"x".repeat(64)] {
            assert_eq!(Login::parse(ok).unwrap().as_str(), ok);
        }
        for bad in [
            "an",
            "Ann",
            ".ann",
            "-ann",
            "ann smith",
            "анна",
            "",
            &"x".repeat(65),
        ] {
            let e = Login::parse(bad).unwrap_err();
            assert_eq!(e, LoginError(bad.to_owned()));
            assert!(e.to_string().starts_with("login: "), "{e}");
        }
    }
}
