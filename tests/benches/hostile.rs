//! Hostile load against a node as it ships (release build, its default limits): the node
//! process's resident memory and the `/healthz` latency a probe sees, first on the idle node
//! and then under each attack, all in the same run:
//! - 500 concurrent logins with a wrong password;
//! - 20,000 slowloris connections (a request's headers begun, never finished);
//! - a WebSocket flood: 2,000 clients connect, authenticate, ping and leave, 200 at a time
//!   (before the slowloris connections, so that what stays after it is its own).
//!
//! Run with `cargo xtask bench` (which raises the open-files limit for the slowloris
//! connections), or alone: `SIS_E2E_NODE_BIN=target/release/sis-signaling
//! SIS_E2E_WEB_DIR=frontend/dist cargo bench -p sis-e2e --bench hostile`.
//!
//! "settled" is the node's memory 5 s after a load ended: what it gives back. To compare
//! allocator settings, `SIS_BENCH_NODE_ENV="MALLOC_ARENA_MAX=2 LD_PRELOAD=..."` starts the
//! node with those variables.

use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use sis_e2e::node::{Account, Node};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;

const PASSWORD: &str = "correct horse battery";
const OFFICER: Account<'static> = Account {
    login: "a.ivanov",
    name: "Aibek Ivanov",
    role: "officer",
    agency: "Almaty customs",
    password: PASSWORD,
};

/// Resident memory of process `pid`, in KiB.
fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// Open files this process may hold.
fn open_files_limit() -> usize {
    std::fs::read_to_string("/proc/self/limits")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("Max open files"))
        .and_then(|l| l.split_whitespace().nth(3))
        .and_then(|n| n.parse().ok())
        .unwrap_or(1024)
}

/// What a probe saw while a load ran.
struct Figures {
    p50_ms: f64,
    p99_ms: f64,
    failed: usize,
    peak_kib: u64,
    after_kib: u64,
    /// 5 s after the load ended.
    settled_kib: u64,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// Probes `/healthz` on a fresh connection every 10 ms while `load` runs (at least 200
/// probes), sampling the node's memory.
async fn measure<F: std::future::Future<Output = ()>>(node: &Node, load: F) -> Figures {
    let probe = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client");
    let url = format!("{}/healthz", node.url);
    let pid = node.pid();
    let mut times = Vec::new();
    let mut failed = 0;
    let mut peak = rss_kib(pid);
    tokio::pin!(load);
    let mut load_done = false;
    while !load_done || times.len() + failed < 200 {
        let started = Instant::now();
        tokio::select! {
            _ = &mut load, if !load_done => { load_done = true; continue; }
            r = probe.get(&url).send() => match r {
                Ok(resp) if resp.status() == 200 => times.push(started.elapsed().as_secs_f64() * 1e3),
                _ => failed += 1,
            },
        }
        peak = peak.max(rss_kib(pid));
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    times.sort_by(f64::total_cmp);
    let after_kib = rss_kib(pid);
    tokio::time::sleep(Duration::from_secs(5)).await;
    Figures {
        p50_ms: percentile(&times, 0.5),
        p99_ms: percentile(&times, 0.99),
        failed,
        peak_kib: peak,
        after_kib,
        settled_kib: rss_kib(pid),
    }
}

async fn wrong_logins(url: &str, n: usize) {
    let c = reqwest::Client::new();
    let tasks: Vec<_> = (0..n)
        .map(|_| {
            let (c, url) = (c.clone(), format!("{url}/api/v1/session"));
            tokio::spawn(async move {
                let _ = c
                    .post(url)
                    .json(&serde_json::json!({"login": "a.ivanov", "password": "a wrong guess"}))
                    .send()
                    .await;
            })
        })
        .collect();
    for t in tasks {
        let _ = t.await;
    }
}

async fn slowloris(addr: &str, n: usize, hold: Duration) -> usize {
    let mut open = Vec::with_capacity(n);
    for _ in 0..n {
        let Ok(mut s) = TcpStream::connect(addr).await else {
            break;
        };
        let _ = s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").await;
        open.push(s);
    }
    let opened = open.len();
    tokio::time::sleep(hold).await;
    opened
}

async fn websocket_flood(url: &str, token: &str, clients: usize, at_once: usize) {
    let ws_url = format!("{}/api/v1/ws", url.replacen("http", "ws", 1));
    for _ in 0..clients / at_once {
        let batch: Vec<_> = (0..at_once)
            .map(|i| {
                let (ws_url, token) = (ws_url.clone(), token.to_owned());
                tokio::spawn(async move {
                    let Ok((mut ws, _)) = tokio_tungstenite::connect_async(ws_url).await else {
                        return;
                    };
                    let auth = serde_json::json!({"type": "auth", "token": token}).to_string();
                    let ping = serde_json::json!({"type": "ping", "nonce": i}).to_string();
                    let _ = ws.send(Message::Text(auth.into())).await;
                    let _ = ws.next().await;
                    let _ = ws.send(Message::Text(ping.into())).await;
                    let _ = ws.next().await;
                    let _ = ws.close(None).await;
                })
            })
            .collect();
        for t in batch {
            let _ = t.await;
        }
    }
}

fn row(name: &str, f: &Figures, idle: &Figures) {
    println!(
        "{name:<28} {:>9.1} {:>9.1} {:>11.1} {:>8.2} {:>8.2} {:>7.2} {:>7}",
        f.peak_kib as f64 / 1024.0,
        f.after_kib as f64 / 1024.0,
        f.settled_kib as f64 / 1024.0,
        f.p50_ms,
        f.p99_ms,
        f.p99_ms / idle.p99_ms,
        f.failed
    );
}

fn main() -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    rt.block_on(async {
        let node_env = std::env::var("SIS_BENCH_NODE_ENV").unwrap_or_default();
        let node_env: Vec<(&str, &str)> = node_env
            .split_whitespace()
            .filter_map(|kv| kv.split_once('='))
            .collect();
        let node = Node::start_with(&[OFFICER], &node_env)?;
        let addr = node.url.trim_start_matches("http://").to_owned();
        let token: String = {
            let resp: serde_json::Value = reqwest::Client::new()
                .post(format!("{}/api/v1/session", node.url))
                .json(&serde_json::json!({"login": OFFICER.login, "password": PASSWORD}))
                .send()
                .await?
                .json()
                .await?;
            resp["token"].as_str().unwrap_or_default().to_owned()
        };
        let connections = 20_000.min(open_files_limit().saturating_sub(500));
        println!("hostile load on a release node; healthz probed on a fresh connection");
        println!(
            "{:<28} {:>9} {:>9} {:>11} {:>8} {:>8} {:>7} {:>7}",
            "load",
            "peak MiB",
            "after MiB",
            "settled MiB",
            "p50 ms",
            "p99 ms",
            "p99/idle",
            "failed"
        );
        let idle = measure(&node, async {}).await;
        row("idle", &idle, &idle);
        let logins = measure(&node, wrong_logins(&node.url, 500)).await;
        row("500 wrong logins at once", &logins, &idle);
        let before_ws = rss_kib(node.pid());
        let flood = measure(&node, websocket_flood(&node.url, &token, 2000, 200)).await;
        row("2,000 WebSocket clients", &flood, &idle);
        println!(
            "after the WebSocket clients left: {:.1} MiB against {:.1} MiB before ({:+.1}%)",
            flood.settled_kib as f64 / 1024.0,
            before_ws as f64 / 1024.0,
            (flood.settled_kib as f64 / before_ws as f64 - 1.0) * 100.0
        );
        let mut opened = 0;
        let lor = measure(&node, async {
            opened = slowloris(&addr, connections, Duration::from_secs(3)).await;
        })
        .await;
        row(&format!("{opened} slowloris conns"), &lor, &idle);
        anyhow::Ok(())
    })
}
