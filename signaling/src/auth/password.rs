//! Password hashing with argon2id (RustCrypto's defaults: 19 MiB, 2 passes), and the
//! password rules accounts must meet.

use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

/// Shortest password accepted: long enough that the lockout makes guessing hopeless.
pub const MIN_LEN: usize = 10;
/// Longest accepted, so a login request cannot make the node hash megabytes.
pub const MAX_LEN: usize = 256;

/// Why a new password is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PasswordRuleError {
    #[error("password: must have at least {MIN_LEN} characters")]
    TooShort,
    #[error("password: must have at most {MAX_LEN} characters")]
    TooLong,
}

/// Checks a password an administrator sets.
pub fn check_rules(password: &str) -> Result<(), PasswordRuleError> {
    let n = password.chars().count();
    if n < MIN_LEN {
        Err(PasswordRuleError::TooShort)
    } else if n > MAX_LEN {
        Err(PasswordRuleError::TooLong)
    } else {
        Ok(())
    }
}

/// PHC string (`$argon2id$v=19$…`) of a password with a fresh random salt.
pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// Whether `password` matches the stored PHC string. A malformed stored hash never matches.
pub fn verify(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A hash of a password no account has, with this node's parameters: verifying against it
/// costs what a real verification costs.
pub fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash("a password no account has").unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_salted_and_verify() {
        let a = hash("correct horse battery").expect("hashes");
        let b = hash("correct horse battery").expect("hashes");
        assert!(a.starts_with("$argon2id$"), "{a}");
        assert_ne!(a, b, "each hash has its own salt");
        assert!(verify("correct horse battery", &a));
        assert!(!verify("correct horse batterY", &a));
        assert!(!verify("anything", "not a phc string"));
    }

    #[test]
    fn rules_name_the_problem() {
        assert_eq!(check_rules("short"), Err(PasswordRuleError::TooShort));
        assert_eq!(
            check_rules(&"x".repeat(300)),
            Err(PasswordRuleError::TooLong)
        );
        assert_eq!(check_rules("длинный пароль"), Ok(()));
    }
}
