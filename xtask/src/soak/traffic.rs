//! Sending the planned letters over the nodes' internal faces, from a few threads at once,
//! while nodes die under them. A letter whose node refused the connection is sent again
//! once the node is back; one whose connection broke after the request went out may or may
//! not exist, and is never sent again (a second letter would be a true duplicate): it is
//! looked up after the run ([`super::verify::reconcile`]).

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use anyhow::{Context, bail};
use sis_proto::Endpoint as _;
use sis_proto::endpoint::CreateLetter;
use sis_proto::letter::{Letter, NewLetter};

use super::plan::{Plan, PlannedLetter, subject};
use crate::net::api::{CallError, Session};

/// How long a sender waits before it looks again at a node that is down.
const DOWN_POLL: Duration = Duration::from_millis(20);

/// Which nodes are up; the chaos thread says so before it kills and after it restarts.
#[derive(Debug)]
pub struct Live(Vec<AtomicBool>);

impl Live {
    pub fn all_up(nodes: usize) -> Live {
        Live((0..nodes).map(|_| AtomicBool::new(true)).collect())
    }

    pub fn is_up(&self, node: usize) -> bool {
        self.0[node].load(Ordering::Acquire)
    }

    pub fn set(&self, node: usize, up: bool) {
        self.0[node].store(up, Ordering::Release);
    }
}

/// A letter the sending node created.
#[derive(Debug, Clone)]
pub struct Sent {
    pub n: usize,
    /// The index of the sending node.
    pub from: usize,
    /// Its id at the sender.
    pub id: String,
    /// (recipient node, envelope id), one per recipient.
    pub envelopes: Vec<(usize, String)>,
}

impl Sent {
    /// `created`, the letter the node answered for `planned`.
    pub fn of(
        planned: &PlannedLetter,
        created: Letter,
        countries: &[String],
    ) -> anyhow::Result<Sent> {
        let mut envelopes = Vec::new();
        for r in created.recipients {
            let node = countries
                .iter()
                .position(|c| *c == r.country)
                .with_context(|| format!("a recipient {} not in the run", r.country))?;
            let envelope = r
                .envelope_id
                .with_context(|| format!("no envelope for {}", r.country))?;
            envelopes.push((node, envelope));
        }
        Ok(Sent {
            n: planned.n,
            from: planned.from,
            id: created.summary.id,
            envelopes,
        })
    }
}

/// What became of one planned letter.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Outcome {
    Sent(Sent),
    /// The connection broke after the request went out: it may exist.
    Unknown(usize),
}

/// The shared progress of a run.
#[derive(Debug, Default)]
pub struct Progress {
    /// The next planned letter to take.
    next: AtomicUsize,
    /// Envelopes of the letters taken so far: the chaos thread's clock.
    pub envelopes: AtomicUsize,
    /// Set when a thread of the run failed, so that the others stop.
    pub abort: AtomicBool,
}

/// The letter `planned` as its sender's officer writes it.
pub fn new_letter(planned: &PlannedLetter, plan: &Plan, countries: &[String]) -> NewLetter {
    NewLetter {
        to: planned.to.iter().map(|&i| countries[i].clone()).collect(),
        agency: None,
        subject: subject(planned.n),
        body: format!(
            "Letter {} of a soak: sent while nodes are killed and restarted.",
            planned.n
        ),
        reply_to: None,
        deadline: None,
        case: Some(plan.cases[planned.case()].clone()),
        draft: false,
    }
}

/// Sends every planned letter from `threads` threads; each letter's outcome, in plan order.
pub fn send_all(
    plan: &Plan,
    officers: &[Session],
    countries: &[String],
    live: &Live,
    progress: &Progress,
    threads: usize,
) -> anyhow::Result<Vec<Outcome>> {
    let outcomes = Mutex::new(Vec::with_capacity(plan.letters.len()));
    let result = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| -> anyhow::Result<()> {
                    loop {
                        let i = progress.next.fetch_add(1, Ordering::AcqRel);
                        let Some(planned) = plan.letters.get(i) else {
                            return Ok(());
                        };
                        progress
                            .envelopes
                            .fetch_add(planned.to.len(), Ordering::AcqRel);
                        let letter = new_letter(planned, plan, countries);
                        let outcome =
                            send_one(planned, &letter, officers, countries, live, progress)
                                .with_context(|| format!("sending letter {}", planned.n))?;
                        outcomes
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .push(outcome);
                        if progress.abort.load(Ordering::Acquire) {
                            bail!("stopped: another thread failed");
                        }
                    }
                })
            })
            .collect();
        let mut first_error = None;
        for worker in workers {
            let result = worker
                .join()
                .unwrap_or_else(|_| Err(anyhow::anyhow!("a sender thread panicked")));
            if let Err(e) = result {
                progress.abort.store(true, Ordering::Release);
                first_error.get_or_insert(e);
            }
        }
        first_error.map_or(Ok(()), Err)
    });
    result?;
    let mut outcomes = outcomes.into_inner().unwrap_or_else(|p| p.into_inner());
    outcomes.sort_by_key(|o| match o {
        Outcome::Sent(s) => s.n,
        Outcome::Unknown(n) => *n,
    });
    Ok(outcomes)
}

fn send_one(
    planned: &PlannedLetter,
    letter: &NewLetter,
    officers: &[Session],
    countries: &[String],
    live: &Live,
    progress: &Progress,
) -> anyhow::Result<Outcome> {
    loop {
        while !live.is_up(planned.from) {
            if progress.abort.load(Ordering::Acquire) {
                bail!("stopped while its node was down");
            }
            std::thread::sleep(DOWN_POLL);
        }
        match officers[planned.from].call::<CreateLetter>(CreateLetter::PATH, letter) {
            Ok(created) => return Ok(Outcome::Sent(Sent::of(planned, created, countries)?)),
            // Killed between our look at `live` and the connection: try once it is back.
            Err(e) if e.not_sent() => std::thread::sleep(DOWN_POLL),
            Err(CallError::Lost { .. }) => return Ok(Outcome::Unknown(planned.n)),
            Err(e) => return Err(e.into()),
        }
    }
}
