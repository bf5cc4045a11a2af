//! The soak's checks once every node is up for good, read through the nodes' own APIs as
//! an officer would: the letters whose fate was unknown are looked up, every recipient's
//! status reaches `delivered`, the receipts are read, and each inbox holds exactly the
//! letters sent to it, each once. The logs' checks are in [`super::logs`].

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use sis_proto::Endpoint as _;
use sis_proto::endpoint::{CreateLetter, GetLetter, ListLetters, ListPeers};
use sis_proto::letter::{Letter, LetterQuery, LetterStatus, LetterSummary, Mailbox};

use super::plan::{CASE_SIZE, Plan, number_in, subject};
use super::traffic::{Outcome, Sent, new_letter};
use crate::net::api::Session;

/// How often a wait looks again.
const POLL: Duration = Duration::from_millis(250);

/// The network as the checks use it, node by node.
#[derive(Debug)]
pub struct Net {
    /// Upper-case country codes.
    pub countries: Vec<String>,
    pub officers: Vec<Session>,
    pub admins: Vec<Session>,
}

/// One envelope delivered, as its sender's letter tells it.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub n: usize,
    pub from: usize,
    pub to: usize,
    pub envelope_id: String,
    /// Where the receipt says the receiver logged it.
    pub log_index: u64,
    /// From the letter's creation at the sender to its receipt at the receiver.
    pub latency: Duration,
}

/// What became of the letters whose connection broke.
#[derive(Debug, Default, Clone, Copy)]
pub struct Reconciled {
    /// The node had created them before it died.
    pub created: usize,
    /// It had not: they were sent again once all nodes were up.
    pub absent: usize,
}

fn case_query(plan: &Plan, case: usize, box_: Mailbox) -> LetterQuery {
    LetterQuery {
        box_,
        q: None,
        case: Some(plan.cases[case].clone()),
        limit: Some(200),
    }
}

/// One case's letters of one mailbox; more than [`CASE_SIZE`] means duplicates.
fn list_case(
    who: &Session,
    plan: &Plan,
    case: usize,
    box_: Mailbox,
) -> anyhow::Result<Vec<LetterSummary>> {
    let list = who.call::<ListLetters>(ListLetters::PATH, &case_query(plan, case, box_))?;
    Ok(list.letters)
}

fn letter(who: &Session, id: &str) -> anyhow::Result<Letter> {
    Ok(who.call::<GetLetter>(&format!("/api/v1/letters/{id}"), &())?)
}

/// The letters sent, the unknown ones looked up in their sender's outbox; those the node
/// had not created are sent again now that every node is up, so that the run carries every
/// envelope it planned.
pub fn reconcile(
    net: &Net,
    plan: &Plan,
    outcomes: Vec<Outcome>,
) -> anyhow::Result<(Vec<Sent>, Reconciled)> {
    let mut sent = Vec::with_capacity(outcomes.len());
    let mut reconciled = Reconciled::default();
    for outcome in outcomes {
        let n = match outcome {
            Outcome::Sent(s) => {
                sent.push(s);
                continue;
            }
            Outcome::Unknown(n) => n,
        };
        let planned = &plan.letters[n];
        let officer = &net.officers[planned.from];
        let outbox = list_case(officer, plan, planned.case(), Mailbox::Outbox)?;
        let found: Vec<&LetterSummary> =
            outbox.iter().filter(|l| l.subject == subject(n)).collect();
        let created = match found.as_slice() {
            [] => {
                reconciled.absent += 1;
                let again = new_letter(planned, plan, &net.countries);
                officer.call::<CreateLetter>(CreateLetter::PATH, &again)?
            }
            [one] => {
                reconciled.created += 1;
                letter(officer, &one.id)?
            }
            more => bail!(
                "letter {n} is in {}'s outbox {} times: one request made several letters",
                net.countries[planned.from],
                more.len()
            ),
        };
        sent.push(Sent::of(planned, created, &net.countries)?);
    }
    sent.sort_by_key(|s| s.n);
    Ok((sent, reconciled))
}

/// Waits until every letter sent is past `queued` for all its recipients, for at most
/// `within`; refusals and lost letters fail at once. How long it took.
pub fn wait_delivered(
    net: &Net,
    plan: &Plan,
    sent: &[Sent],
    within: Duration,
) -> anyhow::Result<Duration> {
    let started = Instant::now();
    let mut groups: BTreeMap<(usize, usize), BTreeSet<usize>> = BTreeMap::new();
    for s in sent {
        let planned = &plan.letters[s.n];
        groups
            .entry((planned.from, planned.case()))
            .or_default()
            .insert(s.n);
    }
    loop {
        let mut queued = 0;
        for ((from, case), wanted) in &groups {
            let outbox = list_case(&net.officers[*from], plan, *case, Mailbox::Outbox)?;
            let mut seen = BTreeSet::new();
            for summary in &outbox {
                let Some(n) = number_in(&summary.subject).filter(|n| wanted.contains(n)) else {
                    continue;
                };
                if !seen.insert(n) {
                    bail!("letter {n} is twice in {}'s outbox", net.countries[*from]);
                }
                match summary.status {
                    LetterStatus::Queued => queued += 1,
                    LetterStatus::Refused | LetterStatus::Draft => {
                        bail!("letter {n} is {:?}: {summary:?}", summary.status)
                    }
                    _ => {}
                }
            }
            if let Some(n) = wanted.difference(&seen).next() {
                bail!(
                    "letter {n} is missing from {}'s outbox",
                    net.countries[*from]
                );
            }
        }
        if queued == 0 {
            return Ok(started.elapsed());
        }
        if started.elapsed() > within {
            bail!(
                "{queued} letter(s) still queued after {within:?}; the peers' state: {}",
                peer_errors(net)
            );
        }
        std::thread::sleep(POLL);
    }
}

/// Each node's last delivery error per peer, to say why letters wait.
fn peer_errors(net: &Net) -> String {
    let mut out = Vec::new();
    for (country, admin) in net.countries.iter().zip(&net.admins) {
        match admin.call::<ListPeers>(ListPeers::PATH, &()) {
            Ok(list) => out.extend(list.peers.iter().map(|p| {
                format!(
                    "{country}→{}: {} queued, {} in flight, last error {:?}",
                    p.country, p.queued, p.in_flight, p.last_error
                )
            })),
            Err(e) => out.push(format!("{country}: {e}")),
        }
    }
    out.join("; ")
}

/// Every envelope's receipt, from its sender's letter; each must match what was recorded
/// when the letter was created.
pub fn receipts(net: &Net, sent: &[Sent]) -> anyhow::Result<Vec<Delivery>> {
    let mut out = Vec::new();
    for s in sent {
        let from = s.from;
        let whole = letter(&net.officers[from], &s.id)?;
        if whole.recipients.len() != s.envelopes.len() {
            bail!(
                "letter {} has {} recipients, sent to {}",
                s.n,
                whole.recipients.len(),
                s.envelopes.len()
            );
        }
        for (to, envelope_id) in &s.envelopes {
            let r = whole
                .recipients
                .iter()
                .find(|r| r.country == net.countries[*to])
                .with_context(|| format!("letter {}: no recipient {}", s.n, net.countries[*to]))?;
            if r.envelope_id.as_deref() != Some(envelope_id.as_str()) {
                bail!(
                    "letter {}: the envelope to {} changed: {r:?}",
                    s.n,
                    r.country
                );
            }
            let receipt = r
                .receipt
                .as_ref()
                .with_context(|| format!("letter {} to {}: no receipt: {r:?}", s.n, r.country))?;
            let latency = u64::try_from(receipt.received_at - whole.summary.at).unwrap_or(0);
            out.push(Delivery {
                n: s.n,
                from,
                to: *to,
                envelope_id: envelope_id.clone(),
                log_index: receipt.log_index,
                latency: Duration::from_millis(latency),
            });
        }
    }
    Ok(out)
}

/// Each node's inbox, case by case, holds exactly the letters sent to it, each once.
pub fn inboxes(net: &Net, plan: &Plan, deliveries: &[Delivery]) -> anyhow::Result<usize> {
    let mut expected: BTreeMap<(usize, usize), BTreeSet<usize>> = BTreeMap::new();
    for d in deliveries {
        expected
            .entry((d.to, d.n / CASE_SIZE))
            .or_default()
            .insert(d.n);
    }
    let mut problems = Vec::new();
    let mut listed = 0;
    for (to, officer) in net.officers.iter().enumerate() {
        for case in 0..plan.cases.len() {
            let inbox = list_case(officer, plan, case, Mailbox::Inbox)?;
            listed += inbox.len();
            let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
            for summary in &inbox {
                match number_in(&summary.subject) {
                    Some(n) => *counts.entry(n).or_default() += 1,
                    None => problems.push(format!("a stranger: {summary:?}")),
                }
            }
            let want = expected.remove(&(to, case)).unwrap_or_default();
            let node = &net.countries[to];
            for (n, count) in &counts {
                if *count > 1 {
                    problems.push(format!("letter {n} is {count} times in {node}'s inbox"));
                }
                if !want.contains(n) {
                    problems.push(format!("letter {n} is in {node}'s inbox, not sent to it"));
                }
            }
            for n in want.iter().filter(|n| !counts.contains_key(n)) {
                problems.push(format!("letter {n} is missing from {node}'s inbox"));
            }
        }
    }
    if !problems.is_empty() {
        bail!("{} problem(s): {}", problems.len(), problems.join("; "));
    }
    Ok(listed)
}
