//! A flood of wrong passwords: password checks run a bounded number at a time, the rest are
//! told to come back (`503` with `Retry-After`), the node's memory stays bounded and its
//! health check answers throughout. A test binary of its own, so that the process's memory
//! is this test's alone.

mod common;

use std::time::Duration;

use common::{NodeSetup, TestDb, TestNode, add_officer};
use sis_proto::Role;
use sis_signaling::auth::{PasswordPool, SessionPolicy};

/// Resident and peak resident memory of this process, in KiB.
fn memory_kib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn five_hundred_wrong_passwords_at_once_are_shed_not_queued() {
    let policy = SessionPolicy {
        // This test is about hashing, not lockout: no lock gets in the way.
        max_failures: 100_000,
        address_budget: 100_000,
        ..SessionPolicy::default()
    };
    let node = TestNode::start_setup(
        TestDb::sqlite(),
        NodeSetup {
            policy,
            passwords: Some(PasswordPool::new(2, Duration::from_millis(300))),
            ..NodeSetup::default()
        },
    )
    .await;
    add_officer(&node.store, "a.ivanov", Role::Officer).await;
    let c = reqwest::Client::builder()
        .pool_max_idle_per_host(600)
        .build()
        .expect("client");
    // One real login first: the pool's memory is allocated once and kept.
    node.login(&c, "a.ivanov").await;
    let (baseline, _) = memory_kib();

    let flood = (0..500).map(|_| {
        let c = c.clone();
        let url = node.url("/api/v1/session");
        tokio::spawn(async move {
            let resp = c
                .post(url)
                .json(&serde_json::json!({"login": "a.ivanov", "password": "not the password"}))
                .send()
                .await
                .expect("an answer");
            let retry = resp
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            (resp.status().as_u16(), retry)
        })
    });
    let flood: Vec<_> = flood.collect();
    // The node keeps answering its health check during the flood.
    let health = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client");
    for i in 0..5 {
        let resp = health
            .get(node.url("/healthz"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("health check {i} during the flood: {e}"));
        assert_eq!(resp.status(), 200);
    }
    let mut answers = std::collections::BTreeMap::new();
    for task in flood {
        let (status, retry) = task.await.expect("task");
        if status == 503 {
            assert_eq!(
                retry.as_deref(),
                Some("1"),
                "a busy answer says when to retry"
            );
        }
        *answers.entry(status).or_insert(0) += 1;
    }
    let (_, peak) = memory_kib();
    eprintln!("answers {answers:?}; RSS baseline {baseline} KiB, peak {peak} KiB");
    assert_eq!(
        answers.keys().copied().collect::<Vec<_>>(),
        [401, 503],
        "wrong passwords are refused, the excess shed: {answers:?}"
    );
    assert!(
        peak.saturating_sub(baseline) < 200 * 1024,
        "memory stays bounded: peak {peak} KiB against {baseline} KiB before"
    );
    assert!(node.metrics.logins_shed.get() > 0);
}
