//! `cargo xtask soak`: the exchange under failure, on real node processes over real mutual
//! TLS on loopback. Three nodes (KZ, UZ, KG) exchange letters written over their internal
//! APIs while the nodes are killed with SIGKILL at random moments and started again on the
//! same configuration and data; then every envelope must have been delivered exactly once,
//! each receipt must match the receiver's proof, and every log must be cosigned by every
//! peer at exactly the size the traffic makes, with no fork. A partition run follows: a
//! proxy between KZ and UZ is cut and healed, and what waited is delivered in bounded time.
//!
//! Every random choice comes from one seed, printed, and given again with `--seed` to draw
//! the same plan (the moments the kills land on still depend on the machine's timing).
//!
//! # Layout
//! - [`rng`], [`plan`]: the seed and what it decides.
//! - [`traffic`]: sending the letters from several threads.
//! - [`chaos`]: the kills and restarts.
//! - [`verify`], [`logs`]: the checks at the end.
//! - [`report`]: the summary printed.
//! - [`proxy`], [`partition`]: the cut link and its scenario.

pub mod chaos;
pub mod logs;
pub mod partition;
pub mod plan;
pub mod proxy;
pub mod report;
pub mod rng;
pub mod traffic;
pub mod verify;

#[cfg(test)]
mod e2e_tests;

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use sis_exchange::TrustList;
use sis_ledger::VerifierKey;

use crate::net::api::Session;
use crate::net::{Layout, Options, countries, nodes, ports::Ports, prepare, trust};
use plan::Size;
use report::Summary;
use traffic::{Live, Progress};
use verify::Net;

/// How a soak runs.
#[derive(Debug, Clone)]
pub struct Settings {
    pub envelopes: usize,
    pub kills: usize,
    pub seed: u64,
    /// Threads writing letters at once.
    pub senders: usize,
    /// The shortest and longest time a killed node stays down.
    pub down: (Duration, Duration),
    /// `external.max_backoff_seconds` of the nodes: a node back from the dead hears from
    /// its peers within this, not within the protocol's five minutes.
    pub max_backoff_seconds: u64,
    /// `external.witness_seconds` of the nodes.
    pub witness_seconds: u64,
}

impl Settings {
    /// `envelopes` envelopes, a kill per 400 of them (3 at least).
    pub fn new(envelopes: usize, seed: u64) -> Settings {
        Settings {
            envelopes,
            kills: (envelopes / 400).max(3),
            seed,
            senders: 3,
            down: (Duration::from_millis(200), Duration::from_millis(3000)),
            max_backoff_seconds: 2,
            witness_seconds: 2,
        }
    }

    /// The longest the end may take to deliver what waited: sending may run ahead of
    /// delivery, so a margin per envelope beyond a minute.
    fn delivery_bound(&self) -> Duration {
        Duration::from_secs(60) + Duration::from_millis(20) * self.envelopes as u32
    }

    /// Two witness rounds after the last delivery, and a margin.
    fn cosign_bound(&self) -> Duration {
        Duration::from_secs(3 * self.witness_seconds + 30)
    }
}

/// The log key of each node, from the trust list the nodes use.
fn log_keys(layout: &Layout, countries: &[String]) -> anyhow::Result<Vec<VerifierKey>> {
    let signer = trust::Signer::load_or_create(&layout.signer())?;
    let bytes = std::fs::read(layout.trust_list())?;
    let list = TrustList::parse_and_verify(&bytes, &signer.verifier(), None)?;
    countries
        .iter()
        .map(|c| {
            let member = list
                .content()
                .members
                .iter()
                .find(|m| m.country.as_str() == c)
                .with_context(|| format!("{c} in the trust list"))?;
            VerifierKey::parse(&member.log_key).map_err(|e| anyhow::anyhow!("{c}'s log key: {e}"))
        })
        .collect()
}

/// A line on how far a long run got.
fn step(what: &str) {
    eprintln!("xtask: soak: {what}");
}

/// Runs a soak with the node binary `bin`, its files under `dir` (which must be empty or
/// absent: the checks count every letter and leaf).
pub fn run(bin: &Path, dir: &Path, settings: &Settings) -> anyhow::Result<Summary> {
    let started = Instant::now();
    let layout = Layout {
        root: dir.to_owned(),
    };
    let list = countries::parse("kz,uz,kg")?;
    let options = Options {
        max_backoff_seconds: Some(settings.max_backoff_seconds),
        witness_seconds: Some(settings.witness_seconds),
        ..Options::default()
    };
    let prepared = prepare(
        &layout,
        &list,
        &dir.join("web"),
        &mut Ports::any(),
        &options,
    )?;
    let mut running = nodes::start(bin, &prepared.nodes)?;
    let entries = running.entries();
    let countries: Vec<String> = entries.iter().map(|e| e.country.clone()).collect();
    let net = Net {
        officers: entries
            .iter()
            .map(|e| Session::new(&e.url, &e.officer))
            .collect(),
        admins: entries
            .iter()
            .map(|e| Session::new(&e.url, &e.admin))
            .collect(),
        countries: countries.clone(),
    };
    let log_keys = log_keys(&layout, &countries)?;
    let plan = plan::draw(
        &mut rng::Rng::seeded(settings.seed),
        Size {
            nodes: countries.len(),
            envelopes: settings.envelopes,
            kills: settings.kills,
            down: settings.down,
        },
    );

    let (live, progress) = (Live::all_up(countries.len()), Progress::default());
    let sending_started = Instant::now();
    let (outcomes, kills) = std::thread::scope(|scope| {
        let chaos = scope.spawn(|| {
            let result = chaos::run(&mut running, &plan.kills, &live, &progress);
            if result.is_err() {
                progress
                    .abort
                    .store(true, std::sync::atomic::Ordering::Release);
            }
            result
        });
        let outcomes = traffic::send_all(
            &plan,
            &net.officers,
            &countries,
            &live,
            &progress,
            settings.senders,
        );
        let kills = chaos
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("the chaos thread panicked")));
        (outcomes, kills)
    });
    let (outcomes, kills) = (outcomes?, kills?);
    let sending = sending_started.elapsed();
    step(&format!(
        "{} letters sent in {:.0} s through {} kills; waiting for every delivery",
        plan.letters.len(),
        sending.as_secs_f64(),
        kills.len()
    ));

    let (sent, reconciled) = verify::reconcile(&net, &plan, outcomes)?;
    let catching_up = verify::wait_delivered(&net, &plan, &sent, settings.delivery_bound())?;
    step("all delivered; reading every receipt, inbox and proof");
    let deliveries = verify::receipts(&net, &sent)?;
    verify::inboxes(&net, &plan, &deliveries)?;
    logs::proofs(&net, &log_keys, &deliveries)?;
    step("receipts, inboxes and proofs agree; waiting for every log to be cosigned");
    let cosigning = logs::cosigned(&net, &deliveries, settings.cosign_bound())?;
    running.stop();

    let mut latencies: Vec<Duration> = deliveries.iter().map(|d| d.latency).collect();
    latencies.sort();
    Ok(Summary {
        seed: settings.seed,
        nodes: countries,
        letters: sent.len(),
        envelopes: deliveries.len(),
        reconciled,
        kills,
        sending,
        catching_up,
        cosigning,
        total: started.elapsed(),
        latencies,
    })
}

/// `cargo xtask soak [--envelopes N] [--seed S]`.
pub fn command(args: &[String]) -> anyhow::Result<()> {
    let mut envelopes = 10_000;
    let mut seed = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .with_context(|| format!("{name}: a number is missing"))?
                .parse::<u64>()
                .with_context(|| format!("{name}: not a number"))
        };
        match arg.as_str() {
            "--envelopes" => envelopes = usize::try_from(value("--envelopes")?)?,
            "--seed" => seed = Some(value("--seed")?),
            other => bail!("soak: unknown argument {other:?} (--envelopes N, --seed S)"),
        }
    }
    if envelopes < 100 {
        bail!("--envelopes: at least 100, so that kills land inside the traffic");
    }
    let seed = match seed {
        Some(seed) => seed,
        None => u64::from_le_bytes(crate::secret::random_bytes()?),
    };
    crate::sh::step("building the node (debug)", "8 to 15 minutes", "seconds");
    crate::sh::run(&mut crate::sh::cargo_bins("build", &["sis-signaling"]))?;
    let bin = crate::target_dir().join("debug").join("sis-signaling");
    let dir = crate::target_dir().join("soak");
    for part in ["network", "partition"] {
        match std::fs::remove_dir_all(dir.join(part)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
            _ => {}
        }
    }
    let settings = Settings::new(envelopes, seed);
    eprintln!(
        "xtask: soak of {envelopes} envelopes with {} kills, seed {seed}; node logs under {}",
        settings.kills,
        dir.display()
    );
    let summary = run(&bin, &dir.join("network"), &settings)
        .with_context(|| format!("the soak (seed {seed}); node logs under {}", dir.display()))?;
    println!("{summary}");
    let healed = partition::run(
        &bin,
        &dir.join("partition"),
        partition::Settings {
            letters: 20,
            cut_for: Duration::from_secs(10),
            max_backoff_seconds: 5,
        },
    )
    .context("the partition run")?;
    println!("{healed}");
    Ok(())
}
