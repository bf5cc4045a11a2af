//! A bot participant of a node's meeting, end to end: it signs in, creates or joins a
//! meeting over the officer WebSocket, waits in the lobby until admitted, publishes
//! replayed Opus and VP8 through the node's SFU, answers the SFU's renegotiations, counts
//! what it receives from each other participant, and reports it (`sis-meetbot`). A bot
//! that created the meeting is its host and admits whoever knocks.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::bail;
use serde::Serialize;
use sis_proto::ApiError;
use sis_proto::meeting::{LeaveReason, MeetingEvent, MeetingId, MeetingOp};
use sis_proto::ws::ServerMessage;

use crate::media::bot::{Bot, BotOptions};
use crate::media::publisher::Source;
use crate::signal::{MeetingSocket, Officer};
use tokio::sync::mpsc;
use webrtc::ice_transport::ice_server::RTCIceServer;

/// Which meeting the bot goes to.
#[derive(Debug, Clone)]
pub enum Target {
    /// Creates one with this title, inviting these logins.
    Create { title: String, invite: Vec<String> },
    /// Joins an existing one.
    Meeting(MeetingId),
}

/// What a bot does.
#[derive(Debug, Clone)]
pub struct Plan {
    pub node: String,
    pub login: String,
    pub password: String,
    pub target: Target,
    /// How long to stay once admitted.
    pub stay: Duration,
    pub sources: Vec<Source>,
    pub options: BotOptions,
    /// Also use the node's ICE servers (`GET /api/v1/meetings/ice-servers`), with the TURN
    /// credentials it makes for this officer: with `options.relay_only`, the bot meets only
    /// through the node's TURN server, as an officer behind a strict firewall does.
    pub ice_from_node: bool,
}

/// The bot's report: one JSON line.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub meeting: MeetingId,
    /// From opening the WebSocket to the first media packet received; `None` when nothing
    /// arrived.
    pub time_to_first_media_ms: Option<u64>,
    pub remote: Vec<RemoteReport>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RemoteReport {
    pub participant: String,
    pub tracks: Vec<TrackReport>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TrackReport {
    pub kind: &'static str,
    pub packets: u64,
    pub bitrate_kbps: f64,
    pub loss: f64,
}

/// Runs the plan; `admitted` is told the meeting once the bot is in it (for a caller that
/// starts more bots into a meeting this one created).
pub async fn run(
    plan: Plan,
    admitted: Option<tokio::sync::oneshot::Sender<MeetingId>>,
) -> anyhow::Result<Report> {
    let participant = Participant::start(&plan).await?;
    if let Some(admitted) = admitted {
        let _ = admitted.send(participant.meeting);
    }
    tokio::time::sleep(plan.stay).await;
    participant.finish().await
}

/// A bot in a meeting, its signaling running in a task: the caller can send more ops
/// (moderation, chat) and look at what it receives while it is in.
#[derive(Debug)]
pub struct Participant {
    pub meeting: MeetingId,
    pub bot: Arc<Bot>,
    connected_at: Instant,
    ops: mpsc::UnboundedSender<MeetingOp>,
    /// Set when the meeting ended for it or it was removed.
    out: Arc<AtomicBool>,
    /// Every event of the meeting the bot received, in order.
    events: Arc<Mutex<Vec<MeetingEvent>>>,
    /// Errors the node sent it, not yet taken by [`Participant::take_errors`]: any left
    /// fail [`Participant::finish`].
    errors: Arc<Mutex<Vec<ApiError>>>,
    signaling: tokio::task::JoinHandle<anyhow::Result<()>>,
}

impl Participant {
    /// Signs in, creates or joins the meeting, waits until admitted, publishes and offers.
    /// A bot that created the meeting is its host and admits whoever knocks.
    pub async fn start(plan: &Plan) -> anyhow::Result<Participant> {
        let officer = Officer::sign_in(&plan.node, &plan.login, &plan.password).await?;
        let host = matches!(plan.target, Target::Create { .. });
        let meeting = match &plan.target {
            Target::Create { title, invite } => {
                let invite: Vec<&str> = invite.iter().map(String::as_str).collect();
                officer.create_meeting(title, &invite).await?.id
            }
            Target::Meeting(id) => *id,
        };
        let connected_at = Instant::now();
        let mut socket = officer.connect().await?;
        socket.send(meeting, MeetingOp::Join).await?;
        loop {
            match socket.next_event().await? {
                (m, MeetingEvent::Admitted { .. }) if m == meeting => break,
                (m, MeetingEvent::Ended { .. } | MeetingEvent::Removed { .. }) if m == meeting => {
                    bail!("meeting {meeting} ended before {} was admitted", plan.login)
                }
                _ => {}
            }
        }
        let mut options = plan.options.clone();
        if plan.ice_from_node {
            let servers = officer.ice_servers().await?;
            options
                .ice_servers
                .extend(servers.ice_servers.into_iter().map(|s| RTCIceServer {
                    urls: s.urls,
                    username: s.username.unwrap_or_default(),
                    credential: s.credential.unwrap_or_default(),
                }));
        }
        let bot = Arc::new(Bot::new(&plan.login, options).await?);
        for source in &plan.sources {
            bot.publish(*source).await?;
        }
        let offer = bot.offer().await?;
        socket
            .send(meeting, MeetingOp::Offer { sdp: offer })
            .await?;
        let (ops, rx) = mpsc::unbounded_channel();
        let out = Arc::new(AtomicBool::new(false));
        let (events, errors) = (Arc::default(), Arc::default());
        let seen = Seen {
            out: out.clone(),
            events: Arc::clone(&events),
            errors: Arc::clone(&errors),
        };
        let signaling = tokio::spawn(signal(socket, rx, bot.clone(), meeting, host, seen));
        Ok(Participant {
            meeting,
            bot,
            connected_at,
            ops,
            out,
            events,
            errors,
            signaling,
        })
    }

    /// The events of the meeting received so far, in order.
    pub fn events(&self) -> Vec<MeetingEvent> {
        lock(&self.events).clone()
    }

    /// The errors the node sent since the last call; taking them means they were expected.
    pub fn take_errors(&self) -> Vec<ApiError> {
        std::mem::take(&mut *lock(&self.errors))
    }

    /// Whether `login` left the meeting for `reason`, as this bot was told.
    pub fn saw_leave(&self, login: &str, reason: LeaveReason) -> bool {
        lock(&self.events).iter().any(|e| {
            matches!(e, MeetingEvent::ParticipantLeft { login: l, reason: r } if l == login && *r == reason)
        })
    }

    /// Drops the bot's WebSocket without a word (no leave, no close frame), as a browser
    /// tab that crashes or a network that goes away does. Its peer connection stays open.
    pub fn cut_socket(&self) {
        self.signaling.abort();
    }

    /// Sends an op about the meeting (admit, mute, remove, chat, …).
    pub fn send(&self, op: MeetingOp) {
        let _ = self.ops.send(op);
    }

    /// Whether the meeting ended for this bot, or it was removed.
    pub fn is_out(&self) -> bool {
        self.out.load(Ordering::SeqCst)
    }

    /// Leaves and reports what it received.
    pub async fn finish(self) -> anyhow::Result<Report> {
        let received = self.bot.received.snapshot();
        // Dropping the sender ends the signaling task, which leaves and closes the socket.
        drop(self.ops);
        match self.signaling.await {
            Ok(done) => done?,
            // Its socket was cut on purpose.
            Err(e) if e.is_cancelled() => {}
            Err(e) => return Err(e.into()),
        }
        self.bot.vanish().await;
        let errors = std::mem::take(&mut *lock(&self.errors));
        if !errors.is_empty() {
            bail!("the node refused requests of {}: {errors:?}", self.bot.name);
        }
        let first = received.values().map(|t| t.first_packet_at).min();
        let mut remote: BTreeMap<String, Vec<TrackReport>> = BTreeMap::new();
        for (key, stats) in &received {
            remote
                .entry(key.stream.clone())
                .or_default()
                .push(TrackReport {
                    kind: stats.kind,
                    packets: stats.packets,
                    bitrate_kbps: (stats.bitrate() / 100.0).round() / 10.0,
                    loss: stats.loss_ratio(),
                });
        }
        Ok(Report {
            meeting: self.meeting,
            time_to_first_media_ms: first.map(|at| {
                u64::try_from(at.duration_since(self.connected_at).as_millis()).unwrap_or(u64::MAX)
            }),
            remote: remote
                .into_iter()
                .map(|(participant, tracks)| RemoteReport {
                    participant,
                    tracks,
                })
                .collect(),
        })
    }
}

/// What the signaling task tells the [`Participant`].
struct Seen {
    out: Arc<AtomicBool>,
    events: Arc<Mutex<Vec<MeetingEvent>>>,
    errors: Arc<Mutex<Vec<ApiError>>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The bot's side of the meeting's signaling until the caller is done or it is out. Errors
/// the node sends are recorded, not fatal: a test may provoke them.
async fn signal(
    mut socket: MeetingSocket,
    mut ops: mpsc::UnboundedReceiver<MeetingOp>,
    bot: Arc<Bot>,
    meeting: MeetingId,
    host: bool,
    seen: Seen,
) -> anyhow::Result<()> {
    loop {
        tokio::select! {
            op = ops.recv() => match op {
                Some(op) => socket.send(meeting, op).await?,
                None => break,
            },
            message = socket.next() => {
                let event = match message? {
                    ServerMessage::Meeting { meeting: m, event } if m == meeting => event,
                    ServerMessage::Error { error } => {
                        lock(&seen.errors).push(error);
                        continue;
                    }
                    ServerMessage::SessionEnded { reason } => bail!("session ended: {reason:?}"),
                    _ => continue,
                };
                lock(&seen.events).push(event.clone());
                match event {
                    MeetingEvent::Answer { sdp } => bot.accept_answer(sdp).await?,
                    MeetingEvent::Offer { sdp } => {
                        let answer = bot.answer(sdp).await?;
                        socket.send(meeting, MeetingOp::Answer { sdp: answer }).await?;
                    }
                    MeetingEvent::Knocking { participant } if host => {
                        let login = participant.login;
                        socket.send(meeting, MeetingOp::Admit { login }).await?;
                    }
                    MeetingEvent::Error { error } => lock(&seen.errors).push(error),
                    MeetingEvent::Ended { .. } | MeetingEvent::Removed { .. } => {
                        seen.out.store(true, Ordering::SeqCst);
                        // Stay on the socket until the caller is done: nothing more to do.
                        while ops.recv().await.is_some() {}
                        socket.close().await;
                        return Ok(());
                    }
                    // Candidates come inside the SDPs too; participants' events are not media.
                    _ => {}
                }
            }
        }
    }
    let _ = socket.send(meeting, MeetingOp::Leave).await;
    socket.close().await;
    Ok(())
}
