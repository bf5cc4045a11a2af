//! The planned kills: when the traffic reaches a kill's moment, the node is marked down
//! (senders stop choosing it), killed with SIGKILL wherever it is (mid-request, mid-delivery,
//! mid-transaction), left down for the planned time, and started again on the same
//! configuration and data.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use super::plan::PlannedKill;
use super::traffic::{Live, Progress};
use crate::net::nodes::Running;

/// How often the chaos thread looks at the traffic's progress.
const PROGRESS_POLL: Duration = Duration::from_millis(5);

/// One kill as it happened.
#[derive(Debug, Clone)]
pub struct Killed {
    pub node: usize,
    /// Envelopes handed to senders when it was killed.
    pub at_envelopes: usize,
    /// From the SIGKILL until the restarted node listened again.
    pub down: Duration,
    /// Of that, how long the node took to start and listen.
    pub restart: Duration,
}

/// Carries out `kills` in order; returns when the last node killed is up again.
pub fn run(
    running: &mut Running,
    kills: &[PlannedKill],
    live: &Live,
    progress: &Progress,
) -> anyhow::Result<Vec<Killed>> {
    let mut done = Vec::with_capacity(kills.len());
    for kill in kills {
        while progress.envelopes.load(Ordering::Acquire) < kill.after_envelopes {
            if progress.abort.load(Ordering::Acquire) {
                bail!("stopped: the traffic failed");
            }
            std::thread::sleep(PROGRESS_POLL);
        }
        let at_envelopes = progress.envelopes.load(Ordering::Acquire);
        live.set(kill.node, false);
        let killed_at = Instant::now();
        running.kill(kill.node)?;
        std::thread::sleep(kill.down);
        let starting = Instant::now();
        running
            .restart(kill.node)
            .with_context(|| format!("restarting node {} after its SIGKILL", kill.node))?;
        live.set(kill.node, true);
        done.push(Killed {
            node: kill.node,
            at_envelopes,
            down: killed_at.elapsed(),
            restart: starting.elapsed(),
        });
    }
    Ok(done)
}
