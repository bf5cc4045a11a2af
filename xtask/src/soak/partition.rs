//! Partition and heal: KZ reaches UZ's external face only through a [`Proxy`] (the trust
//! list names the proxy as UZ's endpoint). A first letter crosses; the link is cut; letters
//! written at KZ meanwhile stay queued there and nothing reaches UZ; the link is healed;
//! every letter is delivered within [`bound`], and UZ's inbox holds each once.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use sis_customs::CountryCode;
use sis_customs::documents::CorrelationId;
use sis_proto::Endpoint as _;
use sis_proto::endpoint::{CreateLetter, GetLetter, ListLetters, ListPeers};
use sis_proto::letter::{LetterQuery, LetterStatus, Mailbox, NewLetter};

use super::proxy::Proxy;
use crate::net::api::Session;
use crate::net::{Layout, Options, nodes, ports::Ports, prepare};

/// What the bound allows beyond the backoff cap: the delivery worker's look at its outbox
/// (every 0.5 s when idle), a TLS handshake and the request on a debug build, on a loaded
/// two-core machine.
pub const MARGIN: Duration = Duration::from_secs(5);

/// How long after the heal every letter must be delivered: a queued delivery's next
/// attempt is at most the backoff cap away (full jitter never waits longer), plus
/// [`MARGIN`].
pub fn bound(max_backoff_seconds: u64) -> Duration {
    Duration::from_secs(max_backoff_seconds) + MARGIN
}

/// How a partition run goes.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Letters written while the link is cut.
    pub letters: usize,
    /// How long the link stays cut: longer than the cap, so that the backoff reaches it.
    pub cut_for: Duration,
    pub max_backoff_seconds: u64,
}

/// What a partition run measured.
#[derive(Debug, Clone)]
pub struct Healed {
    pub letters: usize,
    pub cut_for: Duration,
    /// From the heal until every letter was delivered.
    pub delivered_after: Duration,
    pub bound: Duration,
    /// Connections the proxy reset while the link was cut.
    pub resets: u64,
}

impl std::fmt::Display for Healed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "partition passed: {} letters KZ→UZ queued through a {:.0} s cut ({} connections reset), \
             all delivered {:.1} s after the heal (bound {:.0} s: backoff cap + {:.0} s)",
            self.letters,
            self.cut_for.as_secs_f64(),
            self.resets,
            self.delivered_after.as_secs_f64(),
            self.bound.as_secs_f64(),
            MARGIN.as_secs_f64()
        )
    }
}

fn letter(subject: String, case: &str) -> NewLetter {
    NewLetter {
        to: vec!["UZ".into()],
        agency: None,
        subject,
        body: "Written while the link to UZ was cut.".into(),
        reply_to: None,
        deadline: None,
        case: Some(case.to_owned()),
        draft: false,
    }
}

/// The status of each of `ids` at KZ, for UZ.
fn statuses(kz: &Session, ids: &[String]) -> anyhow::Result<Vec<LetterStatus>> {
    ids.iter()
        .map(|id| {
            let l = kz.call::<GetLetter>(&format!("/api/v1/letters/{id}"), &())?;
            Ok(l.recipients.first().context("a recipient")?.status)
        })
        .collect()
}

/// Waits until every one of `ids` is delivered, for at most `within`; how long it took.
fn until_delivered(kz: &Session, ids: &[String], within: Duration) -> anyhow::Result<Duration> {
    let started = Instant::now();
    loop {
        let now = statuses(kz, ids)?;
        // Delivered, or acknowledged since as registered.
        if now
            .iter()
            .all(|s| matches!(s, LetterStatus::Delivered | LetterStatus::Registered))
        {
            return Ok(started.elapsed());
        }
        if started.elapsed() > within {
            bail!("not all delivered within {within:?}: {now:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Runs the scenario with the node binary `bin`, its files under `dir`.
pub fn run(bin: &Path, dir: &Path, settings: Settings) -> anyhow::Result<Healed> {
    let (kz_code, uz_code) = (CountryCode::parse("KZ")?, CountryCode::parse("UZ")?);
    let proxy_listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let proxy_port = proxy_listener.local_addr()?.port();
    let options = Options {
        external_url_of: BTreeMap::from([(uz_code, format!("https://localhost:{proxy_port}"))]),
        max_backoff_seconds: Some(settings.max_backoff_seconds),
        witness_seconds: None,
    };
    let layout = Layout {
        root: dir.to_owned(),
    };
    let web = dir.join("web");
    let net = prepare(
        &layout,
        &[kz_code, uz_code],
        &web,
        &mut Ports::any(),
        &options,
    )?;
    let proxy = Proxy::start(proxy_listener, net.nodes[1].external)?;
    let running = nodes::start(bin, &net.nodes)?;
    let entries = running.entries();
    let kz = Session::new(&entries[0].url, &entries[0].officer);
    let kz_admin = Session::new(&entries[0].url, &entries[0].admin);
    let uz = Session::new(&entries[1].url, &entries[1].officer);
    let case = CorrelationId::from_bytes(crate::secret::random_bytes()?).to_string();

    let first =
        kz.call::<CreateLetter>(CreateLetter::PATH, &letter("Before the cut".into(), &case))?;
    until_delivered(&kz, &[first.summary.id], Duration::from_secs(30))
        .context("a letter through the proxy before any cut")?;

    proxy.cut();
    let cut_at = Instant::now();
    let mut ids = Vec::new();
    for i in 0..settings.letters {
        let l = letter(format!("During the cut {i:03}"), &case);
        ids.push(kz.call::<CreateLetter>(CreateLetter::PATH, &l)?.summary.id);
    }
    std::thread::sleep(settings.cut_for.saturating_sub(cut_at.elapsed()));
    let during = statuses(&kz, &ids)?;
    if during.iter().any(|s| *s != LetterStatus::Queued) {
        bail!("letters left KZ through a cut link: {during:?}");
    }
    let peers = kz_admin.call::<ListPeers>(ListPeers::PATH, &())?;
    let to_uz = peers
        .peers
        .iter()
        .find(|p| p.country == "UZ")
        .context("UZ among KZ's peers")?;
    if to_uz.queued + to_uz.in_flight != settings.letters as u64 || to_uz.last_error.is_none() {
        bail!("KZ's admin page should show the letters waiting, with the error: {to_uz:?}");
    }
    let resets = proxy
        .counts
        .reset
        .load(std::sync::atomic::Ordering::Relaxed);

    proxy.heal();
    let bound = bound(settings.max_backoff_seconds);
    let delivered_after = until_delivered(&kz, &ids, bound)
        .with_context(|| format!("after the heal, within {bound:?}"))?;

    let query = LetterQuery {
        box_: Mailbox::Inbox,
        q: None,
        case: Some(case),
        limit: Some(200),
    };
    let mut subjects: Vec<String> = uz
        .call::<ListLetters>(ListLetters::PATH, &query)?
        .letters
        .into_iter()
        .map(|l| l.subject)
        .collect();
    subjects.sort();
    let mut want: Vec<String> = (0..settings.letters)
        .map(|i| format!("During the cut {i:03}"))
        .collect();
    want.insert(0, "Before the cut".into());
    if subjects != want {
        bail!("UZ's inbox should hold each letter once: {subjects:?}");
    }
    running.stop();
    Ok(Healed {
        letters: settings.letters,
        cut_for: settings.cut_for,
        delivered_after,
        bound,
        resets,
    })
}
