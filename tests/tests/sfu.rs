//! The SFU with real WebRTC peers (bots on the `webrtc` crate) over UDP on 127.0.0.1,
//! driven through its API as the signaling layer drives it.

mod support;

use support::cycles::join_leave_cycles;

use std::collections::BTreeMap;
use std::time::Duration;

use sis_e2e::media::bot::{Bot, BotOptions};
use sis_e2e::media::publisher::Source;
use sis_e2e::media::receiver::TrackKey;
use sis_e2e::meeting::{Meeting, eventually};
use sis_e2e::turn::{self, TurnServer};
use sis_sfu::{ParticipantId, SfuConfig};
use webrtc::ice_transport::ice_server::RTCIceServer;

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

/// Every track every bot receives is healthy: little loss, the first packet within seconds of
/// joining, and the bitrate the bots send (Opus at about 40 kbit/s, VP8 replayed at about
/// 1.2 Mbit/s; far below means forwarding stalls or drops).
fn assert_healthy(bots: &[std::sync::Arc<Bot>]) {
    for bot in bots {
        let received = bot.received.snapshot();
        assert_eq!(
            received.len(),
            AV.len() * (bots.len() - 1),
            "{} receives audio and video of each other bot: {:?}",
            bot.name,
            received.keys().collect::<Vec<_>>()
        );
        for (key, stats) in received {
            let (kbps, loss) = (stats.bitrate() / 1000.0, stats.loss_ratio());
            println!(
                "{} <- {:?}: {} packets, {kbps:.0} kbit/s, loss {:.2}%, first after {:?}",
                bot.name,
                key,
                stats.packets,
                loss * 100.0,
                stats.first_packet_after
            );
            assert!(
                loss < 0.05,
                "{} <- {key:?}: loss {:.2}%",
                bot.name,
                loss * 100.0
            );
            assert!(
                stats.first_packet_after < Duration::from_secs(10),
                "{} <- {key:?}: first packet after {:?}",
                bot.name,
                stats.first_packet_after
            );
            let least = if stats.kind == "video" { 300.0 } else { 20.0 };
            assert!(
                kbps > least,
                "{} <- {key:?}: {} at {kbps:.0} kbit/s (at least {least})",
                bot.name,
                stats.kind
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_participants_receive_each_other() -> anyhow::Result<()> {
    let (meeting, bots) = meeting_of(3).await?;
    // Three seconds of audio: enough for a bitrate and a loss ratio to mean something.
    everyone_receives_everyone(&bots, 150).await?;
    assert_healthy(&bots);
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

/// The always-run guard against per-cycle leaks: exact counts after every cycle catch one
/// object per cycle. No RSS bound: the other tests of this binary run in the same process at
/// the same time (a five-party video call moves RSS by megabytes), and 100 cycles of a small
/// leak would hide in that noise anyway.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn join_leave_cycles_keep_memory_flat() -> anyhow::Result<()> {
    let stuck = join_leave_cycles(100, None).await?;
    assert_eq!(stuck, 0, "every visitor of 100 connects");
    Ok(())
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
