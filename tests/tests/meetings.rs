//! Meetings end to end: a node started from the built binary with its SFU on loopback, and
//! bots that sign in, meet over the officer WebSocket, and send and receive real RTP,
//! directly or through coturn with the TURN credentials the node hands out.

use std::time::Duration;

use sis_e2e::media::bot::BotOptions;
use sis_e2e::media::publisher::Source;
use sis_e2e::meetbot::{self, Plan, Report, Target};
use sis_e2e::node::{Account, Node};
use sis_e2e::turn::TurnServer;

const PASSWORD: &str = "a long demo password";

fn account(login: &'static str) -> Account<'static> {
    Account {
        login,
        name: login,
        role: "officer",
        agency: "Khorgos customs",
        password: PASSWORD,
    }
}

fn plan(node: &Node, login: &str, target: Target, stay: Duration) -> Plan {
    Plan {
        node: node.url.clone(),
        login: login.to_owned(),
        password: PASSWORD.to_owned(),
        target,
        stay,
        sources: vec![Source::Microphone, Source::Camera],
        options: BotOptions::default(),
        ice_from_node: false,
    }
}

/// `n` bots in one meeting for `stay`; the first creates it and admits the others.
async fn meeting_of(node: &Node, logins: &[&str], stay: Duration) -> anyhow::Result<Vec<Report>> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let invite = logins[1..].iter().map(|s| (*s).to_owned()).collect();
    let host = tokio::spawn(meetbot::run(
        plan(
            node,
            logins[0],
            Target::Create {
                title: "Consignment held at Khorgos".to_owned(),
                invite,
            },
            // The host stays until every guest has had its time in the meeting.
            stay + Duration::from_secs(4),
        ),
        Some(tx),
    ));
    let meeting = rx.await?;
    let guests: Vec<_> = logins[1..]
        .iter()
        .map(|login| {
            tokio::spawn(meetbot::run(
                plan(node, login, Target::Meeting(meeting), stay),
                None,
            ))
        })
        .collect();
    let mut reports = Vec::new();
    for guest in guests {
        reports.push(guest.await??);
    }
    reports.insert(0, host.await??);
    Ok(reports)
}

/// Whether `report` shows audio and video flowing from each of `others`.
fn receives_everyone(report: &Report, others: &[&str]) -> Result<(), String> {
    for other in others {
        let Some(remote) = report.remote.iter().find(|r| r.participant == *other) else {
            return Err(format!("nothing from {other}: {report:?}"));
        };
        for kind in ["audio", "video"] {
            let flowing = remote
                .tracks
                .iter()
                .any(|t| t.kind == kind && t.packets > 20 && t.loss < 0.05);
            if !flowing {
                return Err(format!("no {kind} from {other}: {remote:?}"));
            }
        }
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built node: run through `cargo xtask test`"]
async fn five_bots_receive_each_others_audio_and_video_through_the_node() -> anyhow::Result<()> {
    let logins = ["host.kz", "ann.kz", "bob.kz", "cem.kz", "dan.kz"];
    let node = Node::start(&logins.map(account))?;
    let reports = meeting_of(&node, &logins, Duration::from_secs(6)).await?;
    for (login, report) in logins.iter().zip(&reports) {
        let others: Vec<&str> = logins.iter().copied().filter(|l| l != login).collect();
        if let Err(why) = receives_everyone(report, &others) {
            panic!("{login}: {why}");
        }
        let first = report
            .time_to_first_media_ms
            .expect("media arrived, so a first packet time");
        assert!(first < 10_000, "{login}: first media after {first} ms");
        // Video at about 1.2 Mbit/s replayed; anything far below means forwarding stalls.
        for remote in &report.remote {
            for track in remote.tracks.iter().filter(|t| t.kind == "video") {
                assert!(
                    track.bitrate_kbps > 300.0,
                    "{login} from {}: video at {} kbit/s",
                    remote.participant,
                    track.bitrate_kbps
                );
            }
        }
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built node: run through `cargo xtask test`"]
async fn the_meetbot_binary_prints_its_report() -> anyhow::Result<()> {
    let node = Node::start(&[account("host.kz")])?;
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_sis-meetbot"))
        .args([
            "--node", &node.url, "--login", "host.kz", "--create", "Alone",
        ])
        .args(["--seconds", "1"])
        .env("SIS_MEETBOT_PASSWORD", PASSWORD)
        .output()
        .await?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let line = String::from_utf8(output.stdout)?;
    let report: serde_json::Value = serde_json::from_str(line.trim())?;
    assert!(
        report["meeting"].as_i64().is_some_and(|m| m > 0),
        "{report}"
    );
    assert_eq!(
        report["remote"],
        serde_json::json!([]),
        "alone, it receives nothing"
    );
    assert!(report["time_to_first_media_ms"].is_null(), "{report}");

    let wrong = tokio::process::Command::new(env!("CARGO_BIN_EXE_sis-meetbot"))
        .args([
            "--node",
            &node.url,
            "--login",
            "host.kz",
            "--meeting",
            "999",
        ])
        .env("SIS_MEETBOT_PASSWORD", PASSWORD)
        .output()
        .await?;
    assert!(!wrong.status.success());
    assert!(
        String::from_utf8_lossy(&wrong.stderr).contains("refused"),
        "an unknown meeting is refused: {}",
        String::from_utf8_lossy(&wrong.stderr)
    );
    Ok(())
}

/// Packets received so far from `from`, audio and video together.
fn packets_from(participant: &meetbot::Participant, from: &str) -> u64 {
    participant
        .bot
        .received
        .snapshot()
        .iter()
        .filter(|(key, _)| key.stream == from)
        .map(|(_, stats)| stats.packets)
        .sum()
}

async fn until(what: &str, mut check: impl FnMut() -> bool) -> anyhow::Result<()> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    while !check() {
        if tokio::time::Instant::now() > deadline {
            anyhow::bail!("not within 15 s: {what}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built node: run through `cargo xtask test`"]
async fn a_removed_participant_stops_receiving_and_the_others_stop_receiving_it()
-> anyhow::Result<()> {
    let logins = ["host.kz", "ann.kz", "bob.kz"];
    let node = Node::start(&logins.map(account))?;
    let stay = Duration::from_secs(60);
    let create = Target::Create {
        title: "Removal".to_owned(),
        invite: vec!["ann.kz".to_owned(), "bob.kz".to_owned()],
    };
    let host = meetbot::Participant::start(&plan(&node, "host.kz", create, stay)).await?;
    let meeting = Target::Meeting(host.meeting);
    let ann = meetbot::Participant::start(&plan(&node, "ann.kz", meeting.clone(), stay)).await?;
    let bob = meetbot::Participant::start(&plan(&node, "bob.kz", meeting, stay)).await?;
    until("everyone receives everyone", || {
        packets_from(&host, "bob.kz") > 50
            && packets_from(&ann, "bob.kz") > 50
            && packets_from(&bob, "ann.kz") > 50
            && packets_from(&bob, "host.kz") > 50
    })
    .await?;

    host.send(sis_proto::meeting::MeetingOp::Remove {
        login: "bob.kz".to_owned(),
    });
    until("bob is told he was removed", || bob.is_out()).await?;
    // Give packets already in flight time to land, then nothing more may arrive.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let (bob_had, ann_had) = (packets_from(&bob, "ann.kz"), packets_from(&ann, "bob.kz"));
    let host_from_ann = packets_from(&host, "ann.kz");
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        packets_from(&bob, "ann.kz"),
        bob_had,
        "bob receives nothing more"
    );
    assert_eq!(
        packets_from(&ann, "bob.kz"),
        ann_had,
        "nobody receives bob any more"
    );
    assert!(
        packets_from(&host, "ann.kz") > host_from_ann + 50,
        "the others go on meeting"
    );
    for participant in [host, ann, bob] {
        participant.finish().await?;
    }
    Ok(())
}

/// The secret the node and coturn share in the TURN tests.
const TURN_SECRET: &str = "north-wind-4f1c9a";

/// A node that hands out `turn` with credentials made from `secret`.
fn node_with_turn(
    logins: &[&'static str],
    turn: &TurnServer,
    secret: &str,
) -> anyhow::Result<Node> {
    let accounts: Vec<Account<'static>> = logins.iter().map(|l| account(l)).collect();
    Node::start_with(
        &accounts,
        &[("SIS_TURN_URLS", &turn.url()), ("SIS_TURN_SECRET", secret)],
    )
}

/// A bot that reaches the SFU only through TURN, with the node's servers and credentials.
fn relayed(mut plan: Plan) -> Plan {
    plan.ice_from_node = true;
    plan.options.relay_only = true;
    plan
}

/// coturn (`use-auth-secret`) accepts the credentials the node makes: an officer who can
/// only relay meets one who connects directly, media both ways.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built node: run through `cargo xtask test`"]
async fn a_relay_only_bot_meets_through_turn_with_the_nodes_credentials() -> anyhow::Result<()> {
    let turn = TurnServer::with_secret(TURN_SECRET)?;
    let node = node_with_turn(&["host.kz", "ann.kz"], &turn, TURN_SECRET)?;
    let stay = Duration::from_secs(60);
    let create = Target::Create {
        title: "Through TURN".to_owned(),
        invite: vec!["ann.kz".to_owned()],
    };
    let host = meetbot::Participant::start(&plan(&node, "host.kz", create, stay)).await?;
    let meeting = Target::Meeting(host.meeting);
    let ann = meetbot::Participant::start(&relayed(plan(&node, "ann.kz", meeting, stay))).await?;
    let sdp = ann.bot.local_sdp().await.unwrap_or_default();
    assert!(
        sdp.contains("typ relay") && !sdp.contains("typ host"),
        "coturn gave the relay-only bot a relay with the node's credentials:\n{sdp}"
    );
    until("media both ways through the relay", || {
        packets_from(&host, "ann.kz") > 50 && packets_from(&ann, "host.kz") > 50
    })
    .await?;
    for participant in [host, ann] {
        participant.finish().await?;
    }
    Ok(())
}

/// A node whose secret is not coturn's hands out credentials coturn refuses: no relay, so
/// a relay-only bot never connects.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built node: run through `cargo xtask test`"]
async fn credentials_from_a_wrong_secret_get_no_relay() -> anyhow::Result<()> {
    let turn = TurnServer::with_secret(TURN_SECRET)?;
    let node = node_with_turn(&["host.kz"], &turn, "not-the-turn-servers-secret")?;
    let create = Target::Create {
        title: "Wrong secret".to_owned(),
        invite: Vec::new(),
    };
    let stay = Duration::from_secs(60);
    let host = meetbot::Participant::start(&relayed(plan(&node, "host.kz", create, stay))).await?;
    let sdp = host.bot.local_sdp().await.unwrap_or_default();
    assert!(
        !sdp.contains("typ relay"),
        "coturn refused the allocation, so no relayed candidate:\n{sdp}"
    );
    // Long enough for ICE to connect on loopback had there been a candidate.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_ne!(
        host.bot.state(),
        webrtc::peer_connection::peer_connection_state::RTCPeerConnectionState::Connected
    );
    host.finish().await?;
    Ok(())
}
