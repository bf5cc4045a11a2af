//! An SFU on loopback with bots joined to it directly through its API: the SFU's events
//! are carried to the bots the way the signaling layer carries them to clients.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use sis_sfu::{ParticipantId, RoomId, Sfu, SfuConfig, SfuEvent, SfuEventKind};
use tokio::sync::{Mutex, mpsc};
use tokio::task::JoinHandle;

use crate::media::bot::{Bot, BotOptions};
use crate::media::publisher::Source;

/// Events of one participant, queued until its join is complete, then handled in order (the
/// signaling layer's contract: the answer to the join first, then the events).
type Inboxes = Arc<Mutex<HashMap<ParticipantId, Inbox>>>;

#[derive(Debug)]
struct Inbox {
    tx: mpsc::UnboundedSender<SfuEvent>,
    rx: Option<mpsc::UnboundedReceiver<SfuEvent>>,
}

impl Inbox {
    fn new() -> Inbox {
        let (tx, rx) = mpsc::unbounded_channel();
        Inbox { tx, rx: Some(rx) }
    }
}

/// One room on one SFU.
#[derive(Debug)]
pub struct Meeting {
    pub sfu: Sfu,
    pub room: RoomId,
    inboxes: Inboxes,
    /// Participants the SFU dropped on its own, in order.
    pub dropped: Arc<Mutex<Vec<ParticipantId>>>,
    router: JoinHandle<()>,
}

impl Meeting {
    /// An SFU on 127.0.0.1, a free port, announcing 127.0.0.1.
    pub async fn start(mut config: SfuConfig) -> anyhow::Result<Meeting> {
        let socket = tokio::net::UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        config.announced_ips = vec![IpAddr::V4(Ipv4Addr::LOCALHOST)];
        let (events, mut rx) = mpsc::unbounded_channel();
        let sfu = Sfu::new(socket, config, events)?;
        let inboxes: Inboxes = Default::default();
        let dropped: Arc<Mutex<Vec<ParticipantId>>> = Default::default();
        let router = tokio::spawn({
            let (inboxes, dropped) = (inboxes.clone(), dropped.clone());
            async move {
                while let Some(event) = rx.recv().await {
                    if let SfuEventKind::Dropped { .. } = event.kind {
                        dropped.lock().await.push(event.participant.clone());
                    }
                    let mut inboxes = inboxes.lock().await;
                    let inbox = inboxes
                        .entry(event.participant.clone())
                        .or_insert_with(Inbox::new);
                    let _ = inbox.tx.send(event);
                }
            }
        });
        Ok(Meeting {
            sfu,
            room: RoomId("room".to_owned()),
            inboxes,
            dropped,
            router,
        })
    }

    /// A bot that publishes `sources` and joins the room.
    pub async fn join(&self, name: &str, sources: &[Source]) -> anyhow::Result<Arc<Bot>> {
        self.join_with(name, sources, BotOptions::default()).await
    }

    pub async fn join_with(
        &self,
        name: &str,
        sources: &[Source],
        options: BotOptions,
    ) -> anyhow::Result<Arc<Bot>> {
        let bot = Arc::new(Bot::new(name, options).await?);
        for &source in sources {
            bot.publish(source).await?;
        }
        let participant = ParticipantId(name.to_owned());
        let mut rx = {
            let mut inboxes = self.inboxes.lock().await;
            inboxes.insert(participant.clone(), Inbox::new());
            inboxes
                .get_mut(&participant)
                .and_then(|i| i.rx.take())
                .context("a fresh inbox has its receiver")?
        };
        let offer = bot.offer().await?;
        let answer = self
            .sfu
            .join(self.room.clone(), participant.clone(), offer)
            .await?;
        bot.accept_answer(answer).await?;
        // From now on the bot handles the SFU's events, in order.
        let (sfu, room, handling) = (self.sfu.clone(), self.room.clone(), bot.clone());
        tokio::spawn(async move {
            while let Some(event) = rx.recv().await {
                if let SfuEventKind::Offer { sdp } = event.kind {
                    let answered = match handling.answer(sdp).await {
                        Ok(answer) => sfu
                            .answer(&room, &participant, answer)
                            .await
                            .map_err(Into::into),
                        Err(error) => Err(error),
                    };
                    if let Err(error) = answered {
                        tracing::warn!(bot = %handling.name, %error, "answering the SFU's offer");
                    }
                }
            }
        });
        Ok(bot)
    }

    /// The bot changed what it publishes: it offers, the SFU answers.
    pub async fn renegotiate(&self, bot: &Bot) -> anyhow::Result<()> {
        let offer = bot.offer().await?;
        let participant = ParticipantId(bot.name.clone());
        let answer = self.sfu.offer(&self.room, &participant, offer).await?;
        bot.accept_answer(answer).await
    }

    /// The bot leaves through the API, and closes its connection.
    pub async fn leave(&self, bot: &Bot) -> anyhow::Result<()> {
        let participant = ParticipantId(bot.name.clone());
        self.inboxes.lock().await.remove(&participant);
        self.sfu.leave(&self.room, &participant).await?;
        bot.vanish().await;
        Ok(())
    }

    pub async fn close(self) {
        self.router.abort();
        self.sfu.close().await;
    }
}

/// Polls `check` every 100 ms until it holds or `limit` passes; the last failure is the
/// error. For "within seconds" conditions only, never for timing itself.
pub async fn eventually<F, Fut>(limit: Duration, what: &str, mut check: F) -> anyhow::Result<()>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<(), String>>,
{
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        match check().await {
            Ok(()) => return Ok(()),
            Err(why) if tokio::time::Instant::now() >= deadline => {
                anyhow::bail!("{what} not within {limit:?}: {why}")
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}
