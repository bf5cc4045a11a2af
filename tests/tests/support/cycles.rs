//! Join/leave cycles next to a resident participant, counting what the SFU and the
//! resident's connection hold after each: shared by the always-run test and the 1,000-cycle
//! one, which runs in a process of its own so that its RSS is its own.

use std::time::Duration;

use sis_e2e::media::bot::Bot;
use sis_e2e::media::publisher::Source;
use sis_e2e::meeting::{Meeting, eventually};
use sis_sfu::{ParticipantId, SfuConfig};
use webrtc::peer_connection::peer_connection_state::RTCPeerConnectionState;

/// Generous: ICE, DTLS and a renegotiation on a loaded 2-core machine.
const WITHIN: Duration = Duration::from_secs(20);
/// A visitor connects in well under a second; one not connected after this is stuck.
const CONNECT_WITHIN: Duration = Duration::from_secs(10);

/// Visitors that may stay stuck connecting before the cycles fail: none in the always-run
/// 100 cycles, one per 500 in longer runs. Earlier runs on this 2-core machine saw between
/// about 1 in 300 and 1 in 2,000 connections never leave ICE's checking state; about 12,000
/// later ones (with the SFU on its own thread, under extra load, with bots forced to reuse
/// ports) saw none, and the cause was never found. A stuck visitor is left, counted and
/// replaced, so that the memory check runs its full count of cycles; the count is part of
/// the result, and any beyond this allowance fails the run.
pub fn stuck_allowed(cycles: usize) -> usize {
    cycles / 500
}

/// A visitor that connected; one stuck connecting is left, counted and replaced.
async fn visitor(
    meeting: &Meeting,
    resident: &Bot,
    stuck: &mut usize,
    cycles: usize,
) -> anyhow::Result<std::sync::Arc<Bot>> {
    loop {
        let bot = meeting.join("visitor", &[Source::Microphone]).await?;
        let connected = eventually(CONNECT_WITHIN, "the visitor connected", || async {
            match bot.state() {
                RTCPeerConnectionState::Connected => Ok(()),
                s => Err(format!("{s}")),
            }
        })
        .await;
        match connected {
            Ok(()) => return Ok(bot),
            Err(e) if *stuck < stuck_allowed(cycles) => {
                *stuck += 1;
                eprintln!("visitor {stuck} stuck, retrying: {e:#}");
                meeting.leave(&bot).await?;
                drop(bot);
                eventually(WITHIN, "the SFU back to the resident alone", || async {
                    let now = held(meeting, resident).await;
                    if now == AFTER_A_CYCLE {
                        Ok(())
                    } else {
                        Err(format!("{now:?}"))
                    }
                })
                .await?;
            }
            Err(e) => return Err(e.context(format!("{stuck} visitors were already stuck"))),
        }
    }
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
/// object per cycle shows at once), closed connections must be freed, the tasks (the SFU's
/// runtime's and this test's, where the bots run) must come back to their number after the
/// warm-up, and RSS after the last cycle may exceed
/// RSS after the warm-up by at most `bound` bytes, if given (RSS is the whole test process':
/// meaningful only when this test runs alone).
///
/// Returns how many visitors stayed stuck connecting (each replaced by another); more than
/// [`stuck_allowed`] fails the run.
pub async fn join_leave_cycles(cycles: usize, bound: Option<u64>) -> anyhow::Result<usize> {
    let meeting = Meeting::start(SfuConfig::default()).await?;
    let resident = meeting.join("resident", &[Source::Microphone]).await?;
    let metrics = tokio::runtime::Handle::current().metrics();
    let tasks = || async { meeting.sfu.stats().await.tasks + metrics.num_alive_tasks() };
    let started = std::time::Instant::now();
    let (mut baseline, mut baseline_tasks) = (0, 0);
    let warm_up = (cycles / 10).max(1);
    let mut stuck = 0;
    for i in 0..cycles {
        let bot = visitor(&meeting, &resident, &mut stuck, cycles).await?;
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
            baseline_tasks = tasks().await;
        }
    }
    // The last visitor's connection and tasks end in the background: closing takes a moment.
    eventually(
        WITHIN,
        "closed connections freed and tasks ended",
        || async {
            let (connections, tasks) = (meeting.sfu.stats().await.connections, tasks().await);
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
        "{cycles} join/leave cycles in {:?} ({stuck} visitors stuck connecting, retried); RSS \
         after warm-up {} KiB, at the end {} KiB",
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
    assert!(
        stuck <= stuck_allowed(cycles),
        "{stuck} visitors stuck connecting in {cycles} cycles (allowed {})",
        stuck_allowed(cycles)
    );
    drop(resident);
    meeting.close().await;
    Ok(stuck)
}
