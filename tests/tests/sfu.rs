//! The SFU with real WebRTC peers (bots on the `webrtc` crate) over UDP on 127.0.0.1,
//! driven through its API as the signaling layer drives it.

use std::collections::BTreeMap;
use std::time::Duration;

use sis_e2e::media::bot::{Bot, BotOptions};
use sis_e2e::media::publisher::Source;
use sis_e2e::media::receiver::TrackKey;
use sis_e2e::meeting::{Meeting, eventually};
use sis_e2e::turn::{self, TurnServer};
use sis_signaling::sfu::{ParticipantId, SfuConfig};
use webrtc::ice_transport::ice_server::RTCIceServer;
use webrtc::peer_connection::peer_connection_state::RTCPeerConnectionState;

const AV: &[Source] = &[Source::Microphone, Source::Camera];
/// Generous: ICE, DTLS and a renegotiation per participant on a loaded 2-core machine.
const WITHIN: Duration = Duration::from_secs(20);

/// Packets received per (publisher, track).
fn packets(bot: &Bot) -> BTreeMap<TrackKey, u64> {
    bot.received
        .snapshot()
        .into_iter()
        .map(|(k, s)| (k, s.packets))
        .collect()
}

/// Every bot receives audio and video of every other, at least `min` packets of each.
async fn everyone_receives_everyone(bots: &[std::sync::Arc<Bot>], min: u64) -> anyhow::Result<()> {
    eventually(
        WITHIN,
        "every bot receiving every other's audio and video",
        || async {
            for bot in bots {
                let got = packets(bot);
                for other in bots.iter().filter(|o| o.name != bot.name) {
                    for source in AV {
                        let key = TrackKey {
                            stream: other.name.clone(),
                            track: source.track_id().to_owned(),
                        };
                        let n = got.get(&key).copied().unwrap_or(0);
                        if n < min {
                            return Err(format!("{} has {n} packets of {key:?}", bot.name));
                        }
                    }
                }
            }
            Ok(())
        },
    )
    .await
}

async fn meeting_of(n: usize) -> anyhow::Result<(Meeting, Vec<std::sync::Arc<Bot>>)> {
    let meeting = Meeting::start(SfuConfig::default()).await?;
    let mut bots = Vec::new();
    for i in 0..n {
        bots.push(meeting.join(&format!("p{i}"), AV).await?);
    }
    Ok((meeting, bots))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_participants_receive_each_other() -> anyhow::Result<()> {
    let (meeting, bots) = meeting_of(3).await?;
    everyone_receives_everyone(&bots, 50).await?;
    for bot in &bots {
        for (key, stats) in bot.received.snapshot() {
            println!(
                "{} <- {:?}: {} packets, {:.0} kbit/s, loss {:.2}%, first after {:?}",
                bot.name,
                key,
                stats.packets,
                stats.bitrate() / 1000.0,
                stats.loss_ratio() * 100.0,
                stats.first_packet_after
            );
        }
    }
    meeting.close().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_participants_receive_each_other() -> anyhow::Result<()> {
    let (meeting, bots) = meeting_of(5).await?;
    everyone_receives_everyone(&bots, 50).await?;
    meeting.close().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_participant_that_leaves_stops_receiving_and_can_rejoin() -> anyhow::Result<()> {
    let (meeting, bots) = meeting_of(2).await?;
    everyone_receives_everyone(&bots, 20).await?;
    let (a, b) = (&bots[0], &bots[1]);

    // Removed by the SFU while its client keeps the connection open: nothing more arrives.
    meeting
        .sfu
        .leave(&meeting.room, &ParticipantId(b.name.clone()))
        .await?;
    assert_eq!(
        meeting.sfu.participants(&meeting.room).await,
        vec![ParticipantId(a.name.clone())]
    );
    assert!(
        !meeting
            .sfu
            .publications(&meeting.room)
            .await
            .contains_key(&ParticipantId(b.name.clone())),
        "a participant that left publishes nothing"
    );
    // Packets in flight may still land: settle, then the counts must stand still.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (b_before, a_before) = (packets(b), packets(a));
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        packets(b),
        b_before,
        "a removed participant receives nothing"
    );
    assert_eq!(
        packets(a),
        a_before,
        "nothing of a removed participant is forwarded"
    );
    b.vanish().await;

    // The same participant comes back with a new connection.
    let b = meeting.join(&b.name, AV).await?;
    eventually(
        WITHIN,
        "the rejoined participant receiving again",
        || async {
            let got = packets(&b);
            let n = got.values().copied().min().unwrap_or(0);
            if got.len() == 2 && n >= 20 {
                Ok(())
            } else {
                Err(format!("{got:?}"))
            }
        },
    )
    .await?;
    eventually(
        WITHIN,
        "the others receiving the rejoined participant again",
        || async {
            let now = packets(a);
            let grown = a_before
                .iter()
                .all(|(k, n)| now.get(k).is_some_and(|m| m >= &(n + 20)));
            if grown {
                Ok(())
            } else {
                Err(format!("before {a_before:?}, now {now:?}"))
            }
        },
    )
    .await?;
    meeting.close().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_vanished_participant_is_dropped_within_seconds() -> anyhow::Result<()> {
    let (meeting, bots) = meeting_of(3).await?;
    everyone_receives_everyone(&bots, 20).await?;
    let gone = &bots[2];
    gone.vanish().await;
    let id = ParticipantId(gone.name.clone());
    eventually(WITHIN, "the vanished participant dropped", || async {
        let present = meeting.sfu.participants(&meeting.room).await;
        if present.contains(&id) {
            Err(format!("still in {present:?}"))
        } else {
            Ok(())
        }
    })
    .await?;
    assert!(
        !meeting
            .sfu
            .publications(&meeting.room)
            .await
            .contains_key(&id),
        "the dropped participant's tracks are gone"
    );
    eventually(WITHIN, "the drop reported as an event", || async {
        if meeting.dropped.lock().await.contains(&id) {
            Ok(())
        } else {
            Err("no event".into())
        }
    })
    .await?;
    // The others keep receiving each other.
    let before = packets(&bots[0]);
    everyone_receives_everyone(&bots[..2], before.values().copied().max().unwrap_or(0) + 20)
        .await?;
    meeting.close().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_screen_share_reaches_the_others_and_goes_away() -> anyhow::Result<()> {
    let (meeting, bots) = meeting_of(2).await?;
    everyone_receives_everyone(&bots, 20).await?;
    let (a, b) = (&bots[0], &bots[1]);
    a.publish(Source::Screen).await?;
    meeting.renegotiate(a).await?;
    let screen = TrackKey {
        stream: a.name.clone(),
        track: Source::Screen.track_id().to_owned(),
    };
    eventually(WITHIN, "the screen share arriving", || async {
        let n = packets(b).get(&screen).copied().unwrap_or(0);
        if n >= 50 {
            Ok(())
        } else {
            Err(format!("{n} packets"))
        }
    })
    .await?;
    assert_eq!(
        meeting.sfu.publications(&meeting.room).await[&ParticipantId(a.name.clone())],
        3
    );

    a.unpublish(Source::Screen).await?;
    meeting.renegotiate(a).await?;
    eventually(WITHIN, "the screen share withdrawn", || async {
        let n = meeting.sfu.publications(&meeting.room).await[&ParticipantId(a.name.clone())];
        if n == 2 {
            Ok(())
        } else {
            Err(format!("{n} publications"))
        }
    })
    .await?;
    meeting.close().await;
    Ok(())
}

/// Resident set size of this process, in bytes.
fn rss() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").expect("Linux has /proc/self/statm");
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .expect("statm's second field");
    pages * 4096
}

/// What a cycle leaves behind, counted: the SFU's own objects and the resident bot's m-lines.
#[derive(Debug, PartialEq, Eq)]
struct Held {
    participants: usize,
    publications: usize,
    subscriptions: usize,
    /// Transceivers of the resident's connection on the SFU: its own track and one slot for
    /// the visitor's, reused by every visitor.
    sfu_transceivers: usize,
    /// The same m-lines on the resident's side.
    bot_transceivers: usize,
}

async fn held(meeting: &Meeting, resident: &Bot) -> Held {
    let stats = meeting.sfu.stats().await;
    let key = (meeting.room.clone(), ParticipantId(resident.name.clone()));
    Held {
        participants: stats.participants,
        publications: stats.publications,
        subscriptions: stats.subscriptions,
        sfu_transceivers: stats.transceivers.get(&key).copied().unwrap_or(0),
        bot_transceivers: resident.transceivers().await,
    }
}

/// After every visitor's leave, once the removal is negotiated: one participant, its track,
/// and the resident's two m-lines (its own, the reusable slot of the visitor's).
const AFTER_A_CYCLE: Held = Held {
    participants: 1,
    publications: 1,
    subscriptions: 0,
    sfu_transceivers: 2,
    bot_transceivers: 2,
};

/// Join (connect, publish) and leave `cycles` times next to one resident participant. After
/// every cycle the SFU must hold what one resident holds (an exact count: a leak of one
/// object per cycle shows at once), closed connections must be freed, the runtime's tasks
/// must come back to their number after the warm-up, and RSS after the last cycle may exceed
/// RSS after the warm-up by at most `bound` bytes, if given (RSS is the whole test process':
/// meaningful only when this test runs alone).
async fn join_leave_cycles(cycles: usize, bound: Option<u64>) -> anyhow::Result<()> {
    let meeting = Meeting::start(SfuConfig::default()).await?;
    let resident = meeting.join("resident", &[Source::Microphone]).await?;
    let metrics = tokio::runtime::Handle::current().metrics();
    let started = std::time::Instant::now();
    let (mut baseline, mut baseline_tasks) = (0, 0);
    let warm_up = (cycles / 10).max(1);
    for i in 0..cycles {
        let bot = meeting.join("visitor", &[Source::Microphone]).await?;
        eventually(WITHIN, "the visitor connected", || async {
            match bot.state() {
                RTCPeerConnectionState::Connected => Ok(()),
                s => Err(format!("{s}")),
            }
        })
        .await?;
        meeting.leave(&bot).await?;
        drop(bot);
        // The removal is renegotiated with the resident in the background.
        eventually(WITHIN, "the SFU back to the resident alone", || async {
            let now = held(&meeting, &resident).await;
            if now == AFTER_A_CYCLE {
                Ok(())
            } else {
                Err(format!("after cycle {i}: {now:?}"))
            }
        })
        .await?;
        if i + 1 == warm_up {
            baseline = rss();
            baseline_tasks = metrics.num_alive_tasks();
        }
    }
    // The last visitor's connection and tasks end in the background: closing takes a moment.
    eventually(
        WITHIN,
        "closed connections freed and tasks ended",
        || async {
            let (connections, tasks) = (
                meeting.sfu.stats().await.connections,
                metrics.num_alive_tasks(),
            );
            // Some slack: closing connections' timers end at their own pace, more slowly when the
            // other tests load the machine. A task kept per cycle, or even per tenth of the
            // cycles of the long run (as a stuck keyframe relay was), still exceeds it.
            if connections == 1 && tasks <= baseline_tasks + 10 {
                Ok(())
            } else {
                Err(format!(
                    "{connections} connections, {tasks} tasks (after the warm-up {baseline_tasks})"
                ))
            }
        },
    )
    .await?;
    let end = rss();
    println!(
        "{cycles} join/leave cycles in {:?}; RSS after warm-up {} KiB, at the end {} KiB",
        started.elapsed(),
        baseline / 1024,
        end / 1024
    );
    if let Some(bound) = bound {
        assert!(
            end <= baseline + bound,
            "memory grew by {} KiB over {} cycles (bound {} KiB): something of a left participant stays",
            end.saturating_sub(baseline) / 1024,
            cycles - warm_up,
            bound / 1024
        );
    }
    assert_eq!(
        meeting.sfu.participants(&meeting.room).await,
        vec![ParticipantId("resident".into())]
    );
    drop(resident);
    meeting.close().await;
    Ok(())
}

/// The always-run guard against per-cycle leaks: exact counts after every cycle catch one
/// object per cycle. No RSS bound: the other tests of this binary run in the same process at
/// the same time (a five-party video call moves RSS by megabytes), and 100 cycles of a small
/// leak would hide in that noise anyway.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn join_leave_cycles_keep_memory_flat() -> anyhow::Result<()> {
    join_leave_cycles(100, None).await
}

/// The figure: 1,000 join/leave cycles. Before the SFU reused the m-lines of tracks
/// that left, RSS grew by about 45 KiB per cycle (25 MB to 66 MB); with reuse about 7 KiB per
/// cycle remains (21.0 to 27.6 MB), per-SSRC state the `webrtc` stack never prunes in the
/// resident's long-lived connections (SRTP streams and contexts, the stats interceptor), each
/// new forwarded track having a new SSRC. The bound allows that and catches a leak of the old
/// size. Run alone: other tests in the same process raise the baseline and hide growth.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "minutes on 2 cores; run alone with --ignored"]
async fn a_thousand_join_leave_cycles_keep_memory_flat() -> anyhow::Result<()> {
    join_leave_cycles(1000, Some(10 << 20)).await
}

/// A client behind a NAT that lets only TURN through: it gathers relayed candidates only,
/// and still exchanges media with the SFU and, through it, with a direct participant.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_only_client_connects_through_turn() -> anyhow::Result<()> {
    let turn = TurnServer::start()?;
    let meeting = Meeting::start(SfuConfig::default()).await?;
    let direct = meeting.join("direct", AV).await?;
    let options = BotOptions {
        ice_servers: vec![RTCIceServer {
            urls: vec![turn.url()],
            username: turn::USER.to_owned(),
            credential: turn::PASSWORD.to_owned(),
        }],
        relay_only: true,
        ..Default::default()
    };
    let relayed = meeting.join_with("relayed", AV, options).await?;
    everyone_receives_everyone(&[direct, relayed.clone()], 50).await?;
    let sdp = relayed.local_sdp().await.unwrap_or_default();
    assert!(
        sdp.contains("typ relay") && !sdp.contains("typ host"),
        "the relay-only client announces relayed candidates only:\n{sdp}"
    );
    meeting.close().await;
    Ok(())
}
