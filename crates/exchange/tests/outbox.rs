//! Delivery per (envelope, recipient): transitions, the retry schedule, and the two
//! promises: a refused envelope is never retried, a delivered one never resent.

mod common;

use std::time::Duration;

use common::*;
use sis_exchange::outbox::{BACKOFF_CAP, backoff, backoff_capped};
use sis_exchange::{Delivery, ErrorBody, ErrorCode, Receipt, ReceiptBody, Refusal, SignedError};

fn receipt() -> Receipt {
    let body = ReceiptBody::for_envelope(&kz_letter(1), cc("UZ"), at(NOW), 0, String::new());
    Receipt::seal(body, &kid("uz-2026"), &member_key("UZ", "uz-2026"))
}

fn signed_error(code: ErrorCode) -> SignedError {
    let body = ErrorBody::from_refusal(&Refusal::new(code, "m"), cc("UZ"), at(NOW));
    SignedError::seal(body, &kid("uz-2026"), &member_key("UZ", "uz-2026"))
}

#[test]
fn full_jitter_stays_under_a_doubling_ceiling_up_to_the_cap() {
    for (failures, ceiling) in [(1, 1), (2, 2), (3, 4), (9, 256), (10, 300), (40, 300)] {
        let ceiling = Duration::from_secs(ceiling);
        assert_eq!(
            backoff(failures, u64::MAX),
            ceiling,
            "after {failures} failures"
        );
        assert_eq!(
            backoff(failures, 0),
            Duration::ZERO,
            "full jitter starts at zero"
        );
        let mid = backoff(failures, u64::MAX / 2);
        assert!(
            mid.abs_diff(ceiling / 2) <= Duration::from_millis(1),
            "{mid:?}"
        );
    }
    assert_eq!(backoff(u32::MAX, u64::MAX), BACKOFF_CAP);
}

#[test]
fn a_lower_cap_bounds_every_wait_and_a_higher_one_is_the_protocols() {
    let five = Duration::from_secs(5);
    for (failures, ceiling) in [(1, 1), (3, 4), (4, 5), (10, 5), (u32::MAX, 5)] {
        assert_eq!(
            backoff_capped(failures, u64::MAX, five),
            Duration::from_secs(ceiling),
            "after {failures} failures with a 5 s cap"
        );
    }
    // A cap under the first ceiling bounds the first wait too.
    assert_eq!(
        backoff_capped(1, u64::MAX, Duration::from_millis(300)),
        Duration::from_millis(300)
    );
    // A node may not make a peer wait longer than the protocol's five minutes.
    assert_eq!(
        backoff_capped(40, u64::MAX, Duration::from_secs(3600)),
        BACKOFF_CAP
    );
    assert_eq!(
        backoff_capped(40, u64::MAX, BACKOFF_CAP),
        backoff(40, u64::MAX)
    );
}

#[test]
fn a_transport_failure_requeues_after_the_backoff() {
    let now = at(NOW);
    let queued = Delivery::new(now);
    let flying = queued.start(now).unwrap();
    assert!(matches!(flying, Delivery::InFlight { attempt: 1, .. }));
    let again = flying.failed(now, u64::MAX).unwrap();
    let Delivery::Queued {
        next_attempt_at,
        failures,
    } = again
    else {
        panic!("{again:?}")
    };
    assert_eq!((next_attempt_at - now).whole_seconds(), 1);
    assert_eq!(failures, 1);
    assert!(again.start(now).is_err(), "not due yet");
    let second = again.start(next_attempt_at).unwrap();
    assert!(matches!(second, Delivery::InFlight { attempt: 2, .. }));
    let third = second.failed(next_attempt_at, u64::MAX).unwrap();
    let Delivery::Queued {
        next_attempt_at: t3,
        ..
    } = third
    else {
        panic!()
    };
    assert_eq!(
        (t3 - next_attempt_at).whole_seconds(),
        2,
        "the ceiling doubles"
    );
}

#[test]
fn a_delivered_envelope_is_never_sent_again() {
    let now = at(NOW);
    let done = Delivery::new(now)
        .start(now)
        .unwrap()
        .delivered(receipt())
        .unwrap();
    assert!(!done.is_due(now + Duration::from_secs(86_400)));
    assert!(done.start(now).is_err());
    assert!(done.failed(now, 0).is_err());
    assert!(done.interrupted(now).is_err());
    assert!(done.delivered(receipt()).is_err());
}

#[test]
fn a_refused_envelope_is_never_retried() {
    let now = at(NOW);
    let refused = Delivery::new(now)
        .start(now)
        .unwrap()
        .refused(signed_error(ErrorCode::PolicyRefused), now, 0)
        .unwrap();
    assert_eq!(refused.state_name(), "refused");
    assert!(!refused.is_due(now + Duration::from_secs(86_400)));
    assert!(refused.start(now + Duration::from_secs(86_400)).is_err());
    assert!(refused.failed(now, 0).is_err());
}

#[test]
fn an_internal_error_at_the_receiver_is_retried() {
    let now = at(NOW);
    let d = Delivery::new(now)
        .start(now)
        .unwrap()
        .refused(signed_error(ErrorCode::Internal), now, u64::MAX)
        .unwrap();
    assert_eq!(d.state_name(), "queued");
}

#[test]
fn an_attempt_cut_short_by_a_restart_is_due_at_once() {
    let now = at(NOW);
    let d = Delivery::new(now)
        .start(now)
        .unwrap()
        .interrupted(now)
        .unwrap();
    assert!(d.is_due(now));
    assert!(matches!(
        d.start(now).unwrap(),
        Delivery::InFlight { attempt: 1, .. }
    ));
    assert!(
        Delivery::new(now).interrupted(now).is_err(),
        "only an attempt is interrupted"
    );
    assert!(
        Delivery::new(now).delivered(receipt()).is_err(),
        "a receipt answers an attempt"
    );
}
