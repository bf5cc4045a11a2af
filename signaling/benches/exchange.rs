//! The exchange between two nodes (KZ → UZ) on loopback with real mutual TLS, in one
//! process: envelopes per second and end-to-end latency (sealed and queued at the sender →
//! the sender holds the recipient's verified receipt), beside the raw rate of single-row
//! fsync'd transactions on the same kind of database in the same run. On SQLite, and on
//! PostgreSQL when `SIS_TEST_POSTGRES_URL` names a server (`cargo xtask bench` starts one).
//!
//! `cargo xtask bench` runs it; alone: `cargo bench -p sis-signaling --bench exchange`.
//! `SIS_BENCH_ENVELOPES` sets how many (default 2,000).

#[path = "../tests/common/mod.rs"]
mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::network::Network;
use common::{NodeSetup, TestDb, TestNode};
use sqlx::Row;

/// Senders writing at once: officers and systems sending at the same time.
const WRITERS: usize = 16;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// Single-row transactions per second on a fresh database like `db`, `WRITERS` at a time.
async fn raw_insert_rate(db: &TestDb, n: usize) -> f64 {
    let store = db.open().await;
    let started = Instant::now();
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..WRITERS {
        let (store, next) = (store.clone(), next.clone());
        tasks.spawn(async move {
            while next.fetch_add(1, std::sync::atomic::Ordering::Relaxed) < n {
                let mut tx = store.begin_write().await.expect("begin");
                sqlx::query("INSERT INTO peer_logs (country, tree_size, checkpoint, seen_at) VALUES ($1, 0, $2, 0)")
                    .bind(uuid::Uuid::now_v7().to_string())
                    .bind("x".repeat(600))
                    .execute(&mut *tx)
                    .await
                    .expect("insert");
                tx.commit().await.expect("commit");
            }
        });
    }
    while tasks.join_next().await.is_some() {}
    n as f64 / started.elapsed().as_secs_f64()
}

/// Sends `n` letters' worth of envelopes KZ → UZ; (envelopes per second, latencies in ms).
async fn exchange_run(kz_db: TestDb, uz_db: TestDb, n: usize) -> Run {
    let dir = tempfile::tempdir().expect("dir");
    let mut net = Network::new(&["KZ", "UZ"]);
    let kz = TestNode::start_setup(
        kz_db,
        NodeSetup {
            country: Some("KZ"),
            network: Some(net.join(0, dir.path())),
            ..NodeSetup::default()
        },
    )
    .await;
    let uz = TestNode::start_setup(
        uz_db,
        NodeSetup {
            country: Some("UZ"),
            network: Some(net.join(1, dir.path())),
            ..NodeSetup::default()
        },
    )
    .await;
    let payload = sis_customs::xml::write(&sis_customs::documents::Document::OfficialLetter(
        sis_customs::documents::examples::example_official_letter(),
    ));
    let payload = Arc::new(payload.into_bytes());
    let doc = sis_exchange::DocType::parse("letter").expect("doc");
    let to = uz.exchange.country;
    let started = Instant::now();
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..WRITERS {
        let (exchange, next, payload, doc) = (
            kz.exchange.clone(),
            next.clone(),
            payload.clone(),
            doc.clone(),
        );
        tasks.spawn(async move {
            while next.fetch_add(1, std::sync::atomic::Ordering::Relaxed) < n {
                let mut appending = exchange.log.begin_append().await.expect("begin");
                let now = sis_signaling::node::state::now_ms();
                exchange
                    .enqueue(
                        &mut appending,
                        &doc,
                        to,
                        uuid::Uuid::now_v7(),
                        &payload,
                        now,
                    )
                    .await
                    .expect("enqueue");
                appending.commit().await.expect("commit");
                exchange.wake();
            }
        });
    }
    while tasks.join_next().await.is_some() {}
    println!(
        "  (sealing, logging and queueing {n} at the sender took {:.2} s)",
        started.elapsed().as_secs_f64()
    );
    let raw = sqlx::AnyPool::connect(&kz.db.url()).await.expect("pool");
    all_delivered(&raw, started).await;
    let rate = n as f64 / started.elapsed().as_secs_f64();
    let burst = latencies(&raw, 0).await;
    // At half that rate, paced for 10 s: the latency of an exchange that keeps up.
    let paced_from = sis_signaling::node::state::now_ms();
    let per_second = (rate / 2.0).max(1.0);
    let count = (per_second * 10.0) as usize;
    let gap = Duration::from_secs_f64(1.0 / per_second);
    let mut tick = tokio::time::interval(gap);
    for _ in 0..count {
        tick.tick().await;
        let mut appending = kz.exchange.log.begin_append().await.expect("begin");
        let now = sis_signaling::node::state::now_ms();
        kz.exchange
            .enqueue(
                &mut appending,
                &doc,
                to,
                uuid::Uuid::now_v7(),
                &payload,
                now,
            )
            .await
            .expect("enqueue");
        appending.commit().await.expect("commit");
        kz.exchange.wake();
    }
    all_delivered(&raw, Instant::now()).await;
    let paced = latencies(&raw, paced_from).await;
    drop(uz);
    Run {
        rate,
        burst,
        per_second,
        paced,
    }
}

/// What one backend gave.
struct Run {
    rate: f64,
    burst: Vec<f64>,
    per_second: f64,
    paced: Vec<f64>,
}

async fn all_delivered(raw: &sqlx::AnyPool, started: Instant) {
    loop {
        let left: i64 = sqlx::query("SELECT COUNT(*) FROM outbox WHERE state <> 'delivered'")
            .fetch_one(raw)
            .await
            .expect("count")
            .try_get(0)
            .expect("n");
        if left == 0 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(600),
            "{left} never delivered"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Queued → receipt verified, in ms, of the envelopes stored from `since` (Unix ms) on.
async fn latencies(raw: &sqlx::AnyPool, since: i64) -> Vec<f64> {
    let rows = sqlx::query(
        "SELECT o.updated_at - e.stored_at AS ms FROM outbox o \
         JOIN envelopes e ON e.id = o.envelope_id WHERE e.stored_at >= $1",
    )
    .bind(since)
    .fetch_all(raw)
    .await
    .expect("latencies");
    let mut ms: Vec<f64> = rows
        .iter()
        .map(|r| r.try_get::<i64, _>("ms").expect("ms") as f64)
        .collect();
    ms.sort_by(f64::total_cmp);
    ms
}

async fn backend(name: &str, dbs: impl Fn() -> TestDb, n: usize) {
    let raw = raw_insert_rate(&dbs(), n).await;
    let run = exchange_run(dbs(), dbs(), n).await;
    let (rate, ms, paced) = (run.rate, &run.burst, &run.paced);
    println!(
        "exchange on {name}: {n} envelopes KZ → UZ, {WRITERS} senders at once\n  \
         envelopes/s {rate:>8.0}   (backlog included) p50 {:>6.1} ms  p99 {:>6.1} ms\n  \
         paced at {:.0}/s for 10 s: end to end p50 {:>6.1} ms  p99 {:>6.1} ms\n  \
         raw single-row fsync'd transactions/s on {name}: {raw:>8.0}\n  \
         ratio envelopes/s ÷ raw transactions/s: {:.2}",
        percentile(ms, 0.5),
        percentile(ms, 0.99),
        run.per_second,
        percentile(paced, 0.5),
        percentile(paced, 0.99),
        rate / raw
    );
}

fn main() {
    let n: usize = std::env::var("SIS_BENCH_ENVELOPES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        backend("SQLite", TestDb::sqlite, n).await;
        if std::env::var_os("SIS_TEST_POSTGRES_URL").is_some() {
            let mut dbs = Vec::new();
            for _ in 0..3 {
                dbs.push(TestDb::postgres().await.expect("a PostgreSQL database"));
            }
            let dbs = std::sync::Mutex::new(dbs);
            backend(
                "PostgreSQL",
                || dbs.lock().expect("dbs").pop().expect("db"),
                n,
            )
            .await;
        } else {
            println!("exchange on PostgreSQL: skipped (SIS_TEST_POSTGRES_URL unset)");
        }
    });
}
