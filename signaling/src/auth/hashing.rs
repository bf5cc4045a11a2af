//! A bounded pool for password verification. Each argon2id verification needs 19 MiB and
//! a core for tens of milliseconds; run without bound, a crowd of logins (or an attacker's
//! flood of wrong passwords) takes all of the node's memory. So verifications run at most
//! `slots` at a time, each in a block of memory allocated once and reused for the life of
//! the process; a login that finds no free slot within `wait` is turned away with a "busy,
//! retry after" answer instead of queueing without end.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use argon2::{Argon2, Block, PasswordHash};
use tokio::sync::Semaphore;

/// The memory of one verification: enough for the argon2id parameters this node writes
/// (RustCrypto's defaults, 19 MiB). A stored hash that asks for more gets its own
/// allocation for that one verification.
const POOLED_BLOCKS: usize = argon2::Params::DEFAULT_M_COST as usize;

/// Why a verification did not run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HashingError {
    #[error("every password-hashing slot stayed busy; retry after {retry_after_s} s")]
    Busy { retry_after_s: u64 },
    #[error("the password-hashing task failed")]
    Failed,
}

/// The pool; cheap to clone.
#[derive(Debug, Clone)]
pub struct PasswordPool {
    permits: Arc<Semaphore>,
    memory: Arc<Mutex<Vec<Vec<Block>>>>,
    wait: Duration,
    slots: usize,
}

impl PasswordPool {
    /// At most `slots` verifications at once; a caller waits `wait` at most for a slot.
    pub fn new(slots: usize, wait: Duration) -> PasswordPool {
        let slots = slots.max(1);
        PasswordPool {
            permits: Arc::new(Semaphore::new(slots)),
            memory: Arc::new(Mutex::new(Vec::new())),
            wait,
            slots,
        }
    }

    /// One slot per core, and a two-second wait: longer than a burst of real logins takes.
    pub fn for_this_machine() -> PasswordPool {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        PasswordPool::new(cores, Duration::from_secs(2))
    }

    /// How many verifications may run at once.
    pub fn slots(&self) -> usize {
        self.slots
    }

    /// Whether `password` matches the stored PHC string; a malformed one never matches.
    pub async fn verify(&self, password: &str, stored: &str) -> Result<bool, HashingError> {
        let permit = tokio::time::timeout(self.wait, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| HashingError::Busy {
                retry_after_s: self.wait.as_secs().max(1),
            })?
            .map_err(|_| HashingError::Failed)?;
        let mut memory = self
            .memory
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .pop()
            .unwrap_or_default();
        let (password, stored) = (password.to_owned(), stored.to_owned());
        let (ok, memory) = tokio::task::spawn_blocking(move || {
            let ok = verify_in(&password, &stored, &mut memory);
            (ok, memory)
        })
        .await
        .map_err(|_| HashingError::Failed)?;
        self.memory
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(memory);
        drop(permit);
        Ok(ok)
    }

    /// Spends the same time as a real verification, for logins that do not exist, so the
    /// response time does not tell which logins exist.
    pub async fn verify_dummy(&self, password: &str) -> Result<(), HashingError> {
        self.verify(password, super::password::dummy_hash())
            .await
            .map(|_| ())
    }
}

/// Verifies in `memory`, which grows once to the pooled size and is then reused.
fn verify_in(password: &str, stored: &str, memory: &mut Vec<Block>) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    let Some(expected) = parsed.hash else {
        return false;
    };
    let Ok(params) = argon2::Params::try_from(&parsed) else {
        return false;
    };
    let Ok(algorithm) = argon2::Algorithm::try_from(parsed.algorithm) else {
        return false;
    };
    let version = parsed
        .version
        .and_then(|v| argon2::Version::try_from(v).ok())
        .unwrap_or_default();
    let mut salt = [0u8; 64];
    let Some(salt) = parsed.salt.and_then(|s| s.decode_b64(&mut salt).ok()) else {
        return false;
    };
    let needed = params.block_count();
    let mut own;
    let blocks = if needed <= POOLED_BLOCKS {
        if memory.len() < POOLED_BLOCKS {
            memory.resize(POOLED_BLOCKS, Block::default());
        }
        &mut memory[..needed]
    } else {
        own = vec![Block::default(); needed];
        &mut own[..]
    };
    let mut out = vec![0u8; expected.len()];
    let argon = Argon2::new(algorithm, version, params);
    if argon
        .hash_password_into_with_memory(password.as_bytes(), salt, &mut out, blocks)
        .is_err()
    {
        return false;
    }
    // `Output`'s comparison takes the same time wherever the bytes differ.
    argon2::password_hash::Output::new(&out).is_ok_and(|computed| computed == expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn verifies_hashes_of_the_usual_kind() {
        let pool = PasswordPool::new(1, Duration::from_secs(5));
        let stored = super::super::password::hash("correct horse battery").expect("hashes");
        assert_eq!(
            pool.verify("correct horse battery", &stored).await,
            Ok(true)
        );
        assert_eq!(
            pool.verify("correct horse batterY", &stored).await,
            Ok(false)
        );
        assert_eq!(pool.verify("anything", "not a phc string").await, Ok(false));
    }

    #[tokio::test]
    async fn verifies_a_hash_written_elsewhere_with_other_parameters() {
        // Written by the reference implementation (through Python's argon2-cffi):
        // hash_secret(b"password", b"somesalt", time_cost=2, memory_cost=65536,
        // parallelism=4, hash_len=24, type=ID / I). 64 MiB: more than the pooled memory.
        let pool = PasswordPool::new(1, Duration::from_secs(5));
        for stored in [
            "$argon2id$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$F1jG2CV3/Nr+yRuIsPKw0J9r4s7cJHBU",
            "$argon2i$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG",
        ] {
            assert_eq!(pool.verify("password", stored).await, Ok(true), "{stored}");
            assert_eq!(pool.verify("passwore", stored).await, Ok(false), "{stored}");
        }
    }

    #[tokio::test]
    async fn a_caller_that_finds_no_slot_in_time_is_told_to_retry() {
        let pool = PasswordPool::new(1, Duration::from_millis(20));
        let held = pool.permits.clone().acquire_owned().await.expect("open");
        assert_eq!(
            pool.verify("x", "y").await,
            Err(HashingError::Busy { retry_after_s: 1 })
        );
        drop(held);
        assert_eq!(pool.verify("x", "y").await, Ok(false));
    }
}
