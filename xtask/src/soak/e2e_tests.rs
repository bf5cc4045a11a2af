//! The soak and the partition as CI runs them: short, on the node binary `cargo xtask test`
//! builds (`SIS_E2E_NODE_BIN`). Every check is inside [`super::run`] and
//! [`super::partition::run`]; these say what a run must have gone through.

use std::path::PathBuf;
use std::time::Duration;

use super::{Settings, partition, run};

fn node_bin() -> PathBuf {
    PathBuf::from(
        std::env::var_os("SIS_E2E_NODE_BIN").expect("SIS_E2E_NODE_BIN: the node's binary"),
    )
}

#[test]
#[ignore = "starts nodes from SIS_E2E_NODE_BIN, which `cargo xtask test` builds and sets"]
fn three_nodes_killed_at_random_deliver_every_envelope_once_with_receipts_and_cosigned_logs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let seed = u64::from_le_bytes(crate::secret::random_bytes().expect("a seed"));
    let mut settings = Settings::new(150, seed);
    settings.kills = 3;
    settings.down = (Duration::from_millis(200), Duration::from_millis(1500));
    let summary = run(&node_bin(), &dir.path().join("network"), &settings)
        .unwrap_or_else(|e| panic!("the soak failed (seed {seed}): {e:#}"));
    println!("{summary}");
    assert_eq!(summary.kills.len(), 3, "three nodes were killed: {summary}");
    assert_eq!(
        summary.envelopes, 150,
        "every envelope planned was delivered: {summary}"
    );
    assert!(
        summary.total < Duration::from_secs(120),
        "the short soak runs in CI, well under two minutes: {summary}"
    );
}

#[test]
#[ignore = "starts nodes from SIS_E2E_NODE_BIN, which `cargo xtask test` builds and sets"]
fn letters_queued_behind_a_cut_link_are_all_delivered_within_the_bound_after_the_heal() {
    let dir = tempfile::tempdir().expect("temp dir");
    let settings = partition::Settings {
        letters: 10,
        cut_for: Duration::from_secs(7),
        max_backoff_seconds: 3,
    };
    let healed = partition::run(&node_bin(), dir.path(), settings)
        .unwrap_or_else(|e| panic!("the partition failed: {e:#}"));
    println!("{healed}");
    assert!(healed.resets > 0, "KZ tried the cut link: {healed}");
    assert!(healed.delivered_after <= healed.bound, "{healed}");
}
