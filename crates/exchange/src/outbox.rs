//! Delivery of one envelope to one recipient, as a pure state machine the node stores and
//! drives: Queued → InFlight → Delivered | Refused, or back to Queued after a transport
//! failure, at a time the retry schedule picks.

use std::time::Duration;

use time::OffsetDateTime;

use crate::receipt::Receipt;
use crate::signed_error::SignedError;

/// First retry ceiling.
pub const BACKOFF_BASE: Duration = Duration::from_secs(1);
/// No wait is longer than this, however many attempts failed.
pub const BACKOFF_CAP: Duration = Duration::from_secs(300);

/// The wait before the next attempt after `failures` consecutive failures (1 for the
/// first): "full jitter", uniform in `[0, min(cap, base · 2^(failures-1))]`, which spreads
/// a crowd of senders that lost one peer at the same moment. `random` is a uniformly
/// random `u64` the caller draws.
pub fn backoff(failures: u32, random: u64) -> Duration {
    backoff_capped(failures, random, BACKOFF_CAP)
}

/// [`backoff`] with another cap: a node may wait less than [`BACKOFF_CAP`] between
/// attempts (a network on one machine, a test that cuts and heals a link), never more: a
/// larger `cap` counts as [`BACKOFF_CAP`], so that a peer that was down is never left
/// waiting longer than the protocol says.
pub fn backoff_capped(failures: u32, random: u64, cap: Duration) -> Duration {
    let exponent = failures.saturating_sub(1).min(31);
    let cap = cap.min(BACKOFF_CAP);
    let ceiling_ms = (BACKOFF_BASE.as_millis() << exponent).min(cap.as_millis());
    // random / 2^64 scaled onto [0, ceiling]; 128-bit arithmetic cannot overflow here.
    let wait_ms = (ceiling_ms * (u128::from(random) + 1)) >> 64;
    Duration::from_millis(u64::try_from(wait_ms).expect("at most the cap"))
}

/// Where one (envelope, recipient) delivery stands.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Delivery {
    /// Waiting for an attempt at or after `next_attempt_at`.
    Queued {
        next_attempt_at: OffsetDateTime,
        /// Attempts so far that failed in transport.
        failures: u32,
    },
    /// A worker is sending it.
    InFlight {
        /// 1 for the first attempt.
        attempt: u32,
        started_at: OffsetDateTime,
    },
    /// The recipient's verified receipt. Final: never sent again.
    Delivered { receipt: Receipt },
    /// The recipient's verified signed error. Final: never retried, since the verdict is
    /// on the bytes, which would not change.
    Refused { error: SignedError },
}

/// A transition the current state does not allow; the state is unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot {attempted} a delivery that is {state}")]
pub struct TransitionError {
    pub attempted: &'static str,
    pub state: &'static str,
}

impl Delivery {
    /// A new delivery, due at once.
    pub fn new(now: OffsetDateTime) -> Delivery {
        Delivery::Queued {
            next_attempt_at: now,
            failures: 0,
        }
    }

    pub fn state_name(&self) -> &'static str {
        match self {
            Delivery::Queued { .. } => "queued",
            Delivery::InFlight { .. } => "in_flight",
            Delivery::Delivered { .. } => "delivered",
            Delivery::Refused { .. } => "refused",
        }
    }

    /// Whether a worker should pick it up at `now`.
    pub fn is_due(&self, now: OffsetDateTime) -> bool {
        matches!(self, Delivery::Queued { next_attempt_at, .. } if *next_attempt_at <= now)
    }

    fn refuse(&self, attempted: &'static str) -> TransitionError {
        TransitionError {
            attempted,
            state: self.state_name(),
        }
    }

    /// Queued and due → InFlight.
    pub fn start(&self, now: OffsetDateTime) -> Result<Delivery, TransitionError> {
        match self {
            Delivery::Queued { failures, .. } if self.is_due(now) => Ok(Delivery::InFlight {
                attempt: failures.saturating_add(1),
                started_at: now,
            }),
            Delivery::Queued { .. } => Err(TransitionError {
                attempted: "start",
                state: "queued and not yet due",
            }),
            _ => Err(self.refuse("start")),
        }
    }

    /// InFlight → Delivered, with a receipt the caller verified against the envelope.
    pub fn delivered(&self, receipt: Receipt) -> Result<Delivery, TransitionError> {
        match self {
            Delivery::InFlight { .. } => Ok(Delivery::Delivered { receipt }),
            _ => Err(self.refuse("mark delivered")),
        }
    }

    /// InFlight → Refused, with a signed error the caller verified. An `internal` error
    /// is the receiver's own failure, so it is a transport failure instead.
    pub fn refused(
        &self,
        error: SignedError,
        now: OffsetDateTime,
        random: u64,
    ) -> Result<Delivery, TransitionError> {
        let retryable = error.body().known_code().is_some_and(|c| c.is_retryable());
        match self {
            Delivery::InFlight { .. } if retryable => self.failed(now, random),
            Delivery::InFlight { .. } => Ok(Delivery::Refused { error }),
            _ => Err(self.refuse("mark refused")),
        }
    }

    /// InFlight → Queued after a transport failure (no answer, a timeout, an answer that
    /// did not verify), due after the backoff.
    pub fn failed(&self, now: OffsetDateTime, random: u64) -> Result<Delivery, TransitionError> {
        match self {
            Delivery::InFlight { attempt, .. } => Ok(Delivery::Queued {
                next_attempt_at: now + backoff(*attempt, random),
                failures: *attempt,
            }),
            _ => Err(self.refuse("mark failed")),
        }
    }

    /// InFlight → Queued, due now: for a node that restarts and finds attempts it was
    /// making when it stopped. The receiver deduplicates by id, so resending is safe.
    pub fn interrupted(&self, now: OffsetDateTime) -> Result<Delivery, TransitionError> {
        match self {
            Delivery::InFlight { attempt, .. } => Ok(Delivery::Queued {
                next_attempt_at: now,
                failures: attempt.saturating_sub(1),
            }),
            _ => Err(self.refuse("requeue")),
        }
    }
}
