//! Opaque session tokens: 256 random bits, shown once to the client; the store keeps
//! only their SHA-256.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Prefix that makes a leaked token recognisable to secret scanners.
const PREFIX: &str = "sis_";

pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// Hex SHA-256 of a token, the form kept in the store.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unique_and_well_formed() {
        let a = new_token();
        let b = new_token();
        assert_ne!(a, b);
        assert!(a.starts_with(PREFIX) && a.len() == PREFIX.len() + 43, "{a}");
        assert_ne!(token_hash(&a), token_hash(&b));
    }

    /// Stored sessions are found by this hash: a change to it logs every officer out.
    /// The token is the one `new_token` makes of the bytes 0, 1, …, 31; its hash was
    /// computed apart from this code, as `printf '%s' TOKEN | sha256sum`.
    #[test]
    fn the_token_hash_is_the_hex_sha256_of_the_token_text() {
        let token = "sis_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
        let bytes: Vec<u8> = (0..32).collect();
        assert_eq!(format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(&bytes)), token);
        assert_eq!(
            token_hash(token),
            "8a569f49b188d53218d870f3a84e25fe8f57e928d3b008d110df3fb93660446a"
        );
    }
}
