//! The meeting benchmark: our node's SFU against Janus 1.1's videoroom in the same run,
//! with the same bots, media and window. `cargo xtask bench` builds the node in release
//! mode and runs this with `SIS_E2E_NODE_BIN` and `SIS_E2E_WEB_DIR` set.
//!
//! 1. Join time: a bot joins a meeting where one participant already publishes; from
//!    opening its connection to the node (WebSocket) or to Janus (HTTP session) to the
//!    first media packet it receives. p50 and p99 over the joins, and the ratio of ours
//!    to Janus's.
//! 2. Forwarding cost: meetings of N bots (4, 8, 12), each publishing VP8 at about
//!    1.2 Mbit/s (640x360, 30 fps, replayed) and Opus at about 40 kbit/s, no simulcast.
//!    CPU milliseconds of the SFU's process (user + system, from /proc) per forwarded
//!    stream-second over a fixed window after a warm-up, and the packet loss the bots
//!    saw; then the ratio of our CPU to Janus's.
//!
//! Environment: `SIS_BENCH_SIZES` (default `4,8,12`), `SIS_BENCH_WINDOW_S` (default 10),
//! `SIS_BENCH_JOINS` (default 20; 0 skips the join times), `SIS_BENCH_ROUNDS` (default 3:
//! forwarding rounds per size, ours and Janus alternating, then the medians),
//! `SIS_BENCH_SFUS` (default `ours,janus`; one of them alone, e.g. to profile our node,
//! prints no ratio).

use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use sis_e2e::janus::{Janus, api::Session};
use sis_e2e::media::bot::{Bot, BotOptions};
use sis_e2e::media::publisher::Source;
use sis_e2e::meetbot::{self, Plan, Target};
use sis_e2e::node::{Account, Node};
use webrtc::peer_connection::peer_connection_state::RTCPeerConnectionState;

const PASSWORD: &str = "a long demo password";
const WARM_UP: Duration = Duration::from_secs(4);
const AV: [Source; 2] = [Source::Microphone, Source::Camera];

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

/// CPU time (user + system) of a process so far.
fn cpu_time(pid: u32) -> anyhow::Result<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = stat.rsplit_once(')').context("a stat line")?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = fields[11].parse::<u64>()? + fields[12].parse::<u64>()?;
    // Linux reports in USER_HZ, which is 100 on every platform Debian ships.
    Ok(Duration::from_millis(ticks * 10))
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn logins(n: usize) -> Vec<String> {
    (1..=n).map(|i| format!("bot{i:02}.kz")).collect()
}

fn start_node(n: usize) -> anyhow::Result<Node> {
    let logins = logins(n);
    let accounts: Vec<Account<'_>> = logins
        .iter()
        .map(|login| Account {
            login,
            name: login,
            role: "officer",
            agency: "Khorgos customs",
            password: PASSWORD,
        })
        .collect();
    Node::start(&accounts)
}

fn plan(node: &Node, login: &str, target: Target, stay: Duration) -> Plan {
    Plan {
        node: node.url.clone(),
        login: login.to_owned(),
        password: PASSWORD.to_owned(),
        target,
        stay,
        sources: AV.to_vec(),
        options: BotOptions::default(),
        ice_from_node: false,
    }
}

/// What one SFU did with one meeting size.
#[derive(Clone, Copy)]
struct Cost {
    cpu_ms_per_stream_second: f64,
    loss: f64,
}

impl std::fmt::Display for Cost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:.2} ms (loss {:.2}%)",
            self.cpu_ms_per_stream_second,
            self.loss * 100.0
        )
    }
}

/// Packets lost over packets expected, over every track the bots received, each given as
/// (packets received, loss ratio).
fn loss_of(tracks: impl IntoIterator<Item = (u64, f64)>) -> f64 {
    let (mut lost, mut expected) = (0.0, 0.0);
    for (packets, loss) in tracks {
        let packets = packets as f64;
        let total = packets / (1.0 - loss).max(1e-9);
        lost += total - packets;
        expected += total;
    }
    if expected == 0.0 {
        1.0
    } else {
        lost / expected
    }
}

async fn ours_cost(n: usize, window: Duration) -> anyhow::Result<Cost> {
    let node = start_node(n)?;
    let logins = logins(n);
    let stay = WARM_UP + window + Duration::from_secs(2);
    let (tx, rx) = tokio::sync::oneshot::channel();
    let host = tokio::spawn(meetbot::run(
        plan(
            &node,
            &logins[0],
            Target::Create {
                title: "benchmark".to_owned(),
                invite: logins[1..].to_vec(),
            },
            stay + Duration::from_secs(3),
        ),
        Some(tx),
    ));
    let meeting = rx.await?;
    let guests: Vec<_> = logins[1..]
        .iter()
        .map(|login| {
            tokio::spawn(meetbot::run(
                plan(&node, login, Target::Meeting(meeting), stay),
                None,
            ))
        })
        .collect();
    tokio::time::sleep(WARM_UP + Duration::from_secs(1)).await;
    let before = cpu_time(node.pid())?;
    let started = Instant::now();
    tokio::time::sleep(window).await;
    let cpu = cpu_time(node.pid())? - before;
    let elapsed = started.elapsed();
    let mut reports = Vec::new();
    for guest in guests {
        reports.push(guest.await??);
    }
    reports.push(host.await??);
    let streams = (n * (n - 1) * AV.len()) as f64;
    Ok(Cost {
        cpu_ms_per_stream_second: cpu.as_secs_f64() * 1000.0 / (streams * elapsed.as_secs_f64()),
        loss: loss_of(
            reports
                .iter()
                .flat_map(|r| &r.remote)
                .flat_map(|r| &r.tracks)
                .map(|t| (t.packets, t.loss)),
        ),
    })
}

/// A bot in Janus's videoroom: a publishing connection and one subscription to every other
/// publisher, each a bot of its own.
struct JanusBot {
    session: Session,
    publisher: Bot,
    subscriber: Option<Bot>,
    feed: u64,
}

async fn janus_publish(janus: &Janus, name: &str) -> anyhow::Result<JanusBot> {
    let session = Session::create(&janus.url).await?;
    let handle = session.attach().await?;
    let publisher = Bot::new(name, BotOptions::default()).await?;
    for source in AV {
        publisher.publish(source).await?;
    }
    let (feed, answer) = session
        .publish(handle, name, &publisher.offer().await?)
        .await?;
    publisher.accept_answer(answer).await?;
    // Janus lists a feed for subscription only once its media is up.
    let deadline = Instant::now() + Duration::from_secs(10);
    while publisher.state() != RTCPeerConnectionState::Connected {
        if Instant::now() > deadline {
            bail!("the publisher {name} did not connect to Janus");
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    Ok(JanusBot {
        session,
        publisher,
        subscriber: None,
        feed,
    })
}

async fn janus_subscribe(bot: &mut JanusBot, feeds: &[u64]) -> anyhow::Result<()> {
    let handle = bot.session.attach().await?;
    let offer = bot.session.subscribe(handle, feeds).await?;
    let subscriber = Bot::new(&format!("{}-sub", bot.feed), BotOptions::default()).await?;
    let answer = subscriber.answer(offer).await?;
    bot.session.start(handle, &answer).await?;
    bot.subscriber = Some(subscriber);
    Ok(())
}

async fn janus_cost(n: usize, window: Duration) -> anyhow::Result<Cost> {
    let janus = Janus::start(n + 1)?;
    let mut bots = Vec::new();
    for login in logins(n) {
        bots.push(janus_publish(&janus, &login).await?);
    }
    let feeds: Vec<u64> = bots.iter().map(|b| b.feed).collect();
    for bot in &mut bots {
        let others: Vec<u64> = feeds.iter().copied().filter(|f| *f != bot.feed).collect();
        janus_subscribe(bot, &others).await?;
    }
    tokio::time::sleep(WARM_UP).await;
    let before = cpu_time(janus.pid())?;
    let started = Instant::now();
    tokio::time::sleep(window).await;
    let cpu = cpu_time(janus.pid())? - before;
    let elapsed = started.elapsed();
    let received: Vec<(u64, f64)> = bots
        .iter()
        .filter_map(|b| b.subscriber.as_ref())
        .flat_map(|s| s.received.snapshot().into_values())
        .map(|stats| (stats.packets, stats.loss_ratio()))
        .collect();
    let tracks = received.len();
    let wanted = n * (n - 1) * AV.len();
    if tracks < wanted {
        bail!("Janus delivered {tracks} of {wanted} tracks to the bots");
    }
    for bot in &bots {
        bot.publisher.vanish().await;
        if let Some(s) = &bot.subscriber {
            s.vanish().await;
        }
        bot.session.destroy().await;
    }
    let streams = wanted as f64;
    Ok(Cost {
        cpu_ms_per_stream_second: cpu.as_secs_f64() * 1000.0 / (streams * elapsed.as_secs_f64()),
        loss: loss_of(received),
    })
}

/// Join times through our node: a resident publishes; each joiner measures WebSocket
/// open to first media. Also how many joiners got no media while they stayed (2 s): they
/// are counted, not timed, and printed beside the percentiles.
async fn ours_join_times(joins: usize) -> anyhow::Result<(Vec<f64>, usize)> {
    let node = start_node(2)?;
    let logins = logins(2);
    let (tx, rx) = tokio::sync::oneshot::channel();
    let total = Duration::from_secs(4 + 4 * joins as u64);
    let resident = tokio::spawn(meetbot::run(
        plan(
            &node,
            &logins[0],
            Target::Create {
                title: "join times".to_owned(),
                invite: vec![logins[1].clone()],
            },
            total,
        ),
        Some(tx),
    ));
    let meeting = rx.await?;
    let (mut times, mut without_media) = (Vec::new(), 0);
    for _ in 0..joins {
        let report = meetbot::run(
            plan(
                &node,
                &logins[1],
                Target::Meeting(meeting),
                Duration::from_secs(2),
            ),
            None,
        )
        .await?;
        match report.time_to_first_media_ms {
            Some(ms) => times.push(ms as f64),
            None => without_media += 1,
        }
    }
    resident.abort();
    Ok((times, without_media))
}

/// Join times through Janus: session, publish, subscribe to the resident, first packet.
async fn janus_join_times(joins: usize) -> anyhow::Result<Vec<f64>> {
    let janus = Janus::start(4)?;
    let resident = janus_publish(&janus, "resident").await?;
    let mut times = Vec::new();
    for i in 0..joins {
        let started = Instant::now();
        let mut bot = janus_publish(&janus, &format!("joiner{i}")).await?;
        janus_subscribe(&mut bot, &[resident.feed]).await?;
        let subscriber = bot.subscriber.as_ref().context("subscribed")?;
        let deadline = Instant::now() + Duration::from_secs(10);
        let first = loop {
            if let Some(at) = subscriber
                .received
                .snapshot()
                .values()
                .map(|s| s.first_packet_at)
                .min()
            {
                break at;
            }
            if Instant::now() > deadline {
                bail!("no media from Janus within 10 s");
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        };
        times.push(first.duration_since(started).as_secs_f64() * 1000.0);
        bot.publisher.vanish().await;
        subscriber.vanish().await;
        bot.session.destroy().await;
    }
    resident.session.destroy().await;
    Ok(times)
}

/// The median round by CPU (the upper one of an even count), with that round's loss.
fn median(rounds: &[Cost]) -> Option<Cost> {
    let mut sorted: Vec<&Cost> = rounds.iter().collect();
    sorted.sort_by(|a, b| {
        a.cpu_ms_per_stream_second
            .total_cmp(&b.cpu_ms_per_stream_second)
    });
    sorted.get(sorted.len() / 2).map(|c| **c)
}

fn summary(mut times: Vec<f64>) -> (f64, f64) {
    times.sort_by(f64::total_cmp);
    (percentile(&times, 50.0), percentile(&times, 99.0))
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let sizes: Vec<usize> = env_or("SIS_BENCH_SIZES", "4,8,12")
        .split(',')
        .map(|s| s.trim().parse())
        .collect::<Result<_, _>>()
        .context("SIS_BENCH_SIZES")?;
    let window = Duration::from_secs(env_or("SIS_BENCH_WINDOW_S", "10").parse()?);
    let joins: usize = env_or("SIS_BENCH_JOINS", "20").parse()?;
    let rounds: usize = env_or("SIS_BENCH_ROUNDS", "3").parse::<usize>()?.max(1);
    let sfus = env_or("SIS_BENCH_SFUS", "ours,janus");
    let (ours, janus) = (sfus.contains("ours"), sfus.contains("janus"));

    if joins > 0 {
        println!("meeting join time (connection opened to first media), {joins} joins");
        let ours = if ours {
            let (times, without_media) = ours_join_times(joins).await?;
            let (p50, p99) = summary(times);
            println!(
                "  ours:  p50 {p50:.0} ms  p99 {p99:.0} ms  ({without_media} of {joins} joins \
                 got no media within 2 s)"
            );
            Some((p50, p99))
        } else {
            None
        };
        let janus = if janus {
            let (p50, p99) = summary(janus_join_times(joins).await?);
            println!("  janus: p50 {p50:.0} ms  p99 {p99:.0} ms");
            Some((p50, p99))
        } else {
            None
        };
        if let (Some((o50, o99)), Some((j50, j99))) = (ours, janus) {
            println!(
                "  ratio ours/janus: p50 {:.2}  p99 {:.2}",
                o50 / j50,
                o99 / j99
            );
        }
    }

    println!(
        "forwarding cost: CPU ms of the SFU process per forwarded stream-second (audio + video), \
         {}-s window",
        window.as_secs()
    );
    for n in sizes {
        // Alternating rounds, so a burst of load on the shared machine hits both SFUs alike;
        // each line is one round, the last the medians.
        let (mut ours_rounds, mut janus_rounds) = (Vec::new(), Vec::new());
        for round in 1..=rounds {
            let mut line = format!("  {n:>2} bots, round {round}:");
            if ours {
                let cost = ours_cost(n, window).await?;
                line += &format!(" ours {cost}");
                ours_rounds.push(cost);
            }
            if janus {
                let cost = janus_cost(n, window).await?;
                line += &format!("  janus {cost}");
                janus_rounds.push(cost);
            }
            if let (Some(o), Some(j)) = (ours_rounds.last(), janus_rounds.last()) {
                line += &format!(
                    "  ratio {:.2}",
                    o.cpu_ms_per_stream_second / j.cpu_ms_per_stream_second
                );
            }
            println!("{line}");
        }
        let mut line = format!("  {n:>2} bots, median:");
        let ours = median(&ours_rounds);
        let janus = median(&janus_rounds);
        if let Some(o) = &ours {
            line += &format!(" ours {o}");
        }
        if let Some(j) = &janus {
            line += &format!("  janus {j}");
        }
        if let (Some(o), Some(j)) = (ours, janus) {
            line += &format!(
                "  ratio {:.2}",
                o.cpu_ms_per_stream_second / j.cpu_ms_per_stream_second
            );
        }
        println!("{line}");
    }
    Ok(())
}
