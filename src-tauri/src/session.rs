//! The signed-in session: the bearer token and the node that issued it.
//!
//! The token never leaves the Rust side: the page gets the officer, not the token. It is
//! kept in memory for this run and in a [`TokenVault`] for the next one, together with the
//! node's address, so a token is only ever sent back to the node that issued it — never to
//! another node the settings point at later.

use std::sync::{Mutex, PoisonError};

use serde::{Deserialize, Serialize};

use crate::settings::NodeUrl;
use crate::vault::{TokenVault, VaultError};

/// A bearer token. It has no `Display`, and its `Debug` hides it, so it cannot reach a log
/// through a format string.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Token(String);

impl Token {
    /// `None` for an empty token: the node never issues one, so it is a broken answer.
    pub fn new(token: String) -> Option<Token> {
        (!token.is_empty()).then_some(Token(token))
    }

    /// The token itself, for the `Authorization` header.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

/// What the vault holds, as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct KeptSession {
    /// The address of the node that issued the token, as [`NodeUrl::as_str`] writes it.
    node_url: String,
    token: Token,
}

/// The session of this run, mirrored into a vault.
#[derive(Debug)]
pub struct SessionKeeper {
    vault: Box<dyn TokenVault>,
    current: Mutex<Option<KeptSession>>,
}

impl SessionKeeper {
    /// Reads the session an earlier run kept, if any. A vault that cannot be read, or holds
    /// something unreadable, means signing in again, not a failure to start.
    pub fn open(vault: Box<dyn TokenVault>) -> SessionKeeper {
        let current = match vault.load() {
            Ok(Some(secret)) => match serde_json::from_str::<KeptSession>(&secret) {
                Ok(session) => Some(session),
                Err(_) => {
                    tracing::warn!("the kept session is unreadable; signing in is needed");
                    None
                }
            },
            Ok(None) => None,
            Err(err) => {
                tracing::warn!(%err, "the kept session could not be read; signing in is needed");
                None
            }
        };
        SessionKeeper {
            vault,
            current: Mutex::new(current),
        }
    }

    /// The token to send to `node`: only the one that node issued.
    pub fn token_for(&self, node: &NodeUrl) -> Option<Token> {
        self.lock()
            .as_ref()
            .filter(|session| session.node_url == node.as_str())
            .map(|session| session.token.clone())
    }

    /// Makes `token` from `node` the session. It is in force for this run even when the
    /// vault fails; the error says that it will not outlive the run.
    pub fn keep(&self, node: &NodeUrl, token: Token) -> Result<(), VaultError> {
        let session = KeptSession {
            node_url: node.as_str().to_owned(),
            token,
        };
        let secret = serde_json::to_string(&session).expect("two strings always serialise to JSON");
        *self.lock() = Some(session);
        self.vault.store(&secret)
    }

    /// Ends the session here and in the vault.
    pub fn forget(&self) -> Result<(), VaultError> {
        *self.lock() = None;
        self.vault.clear()
    }

    /// Ends the session only if it still holds `token`: a request that failed with an old
    /// token must not end a session begun since it was sent.
    pub fn forget_token(&self, token: &Token) -> Result<(), VaultError> {
        let mut current = self.lock();
        if current.as_ref().is_some_and(|s| &s.token == token) {
            *current = None;
            drop(current);
            self.vault.clear()
        } else {
            Ok(())
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<KeptSession>> {
        // The data is a plain value, valid even if a holder panicked.
        self.current.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vault::FileVault;

    fn node(url: &str) -> NodeUrl {
        NodeUrl::parse(url).expect("valid test address")
    }

    fn token(text: &str) -> Token {
        Token::new(text.to_owned()).expect("non-empty")
    }

    #[test]
    fn debug_output_hides_the_token() {
        let shown = format!("{:?}", token("very-secret-token"));
        assert!(!shown.contains("very-secret"), "{shown}");
    }

    #[test]
    fn a_token_goes_only_to_the_node_that_issued_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let keeper = SessionKeeper::open(Box::new(FileVault::new(dir.path().join("s"))));
        let issuer = node("https://kz.sis.example");
        keeper.keep(&issuer, token("t1")).expect("keep");
        assert_eq!(keeper.token_for(&issuer), Some(token("t1")));
        assert_eq!(keeper.token_for(&node("https://kg.sis.example")), None);
    }

    #[test]
    fn the_session_outlives_the_run_and_ends_with_forget() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("s");
        let issuer = node("http://127.0.0.1:8080");
        SessionKeeper::open(Box::new(FileVault::new(file.clone())))
            .keep(&issuer, token("t1"))
            .expect("keep");

        let next_run = SessionKeeper::open(Box::new(FileVault::new(file.clone())));
        assert_eq!(next_run.token_for(&issuer), Some(token("t1")));
        next_run.forget().expect("forget");
        assert_eq!(next_run.token_for(&issuer), None);
        assert!(!file.exists(), "forgetting clears the vault");
    }

    #[test]
    fn a_stale_failure_does_not_end_a_newer_session() {
        let dir = tempfile::tempdir().expect("temp dir");
        let keeper = SessionKeeper::open(Box::new(FileVault::new(dir.path().join("s"))));
        let issuer = node("http://127.0.0.1:8080");
        keeper.keep(&issuer, token("new")).expect("keep");
        keeper.forget_token(&token("old")).expect("no-op");
        assert_eq!(keeper.token_for(&issuer), Some(token("new")));
        keeper.forget_token(&token("new")).expect("forget");
        assert_eq!(keeper.token_for(&issuer), None);
    }

    #[test]
    fn an_unreadable_kept_session_means_signed_out() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("s");
        std::fs::write(&file, "not json").expect("write");
        let keeper = SessionKeeper::open(Box::new(FileVault::new(file)));
        assert_eq!(keeper.token_for(&node("http://127.0.0.1:8080")), None);
    }
}
