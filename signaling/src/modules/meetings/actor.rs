//! The task around one [`Room`]: it takes commands one at a time, feeds them to the pure
//! room with the clock's `now`, and carries out the outputs in order (store the minutes,
//! call the media server, send events, audit), so a room's minutes chain and its
//! signaling never interleave.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use sis_proto::meeting::{MeetingEvent, MeetingId, MeetingOp};
use tokio::sync::{mpsc, oneshot};

use super::media::MediaEvent;
use super::minutes;
use super::registry::{Conn, Inner, retire};
use super::room::{Input, MediaCommand, Output, Room, RoomError};
use crate::ids::Login;
use crate::node::state::now_ms;
use crate::store::{AuditAction, NewAuditEntry};

#[derive(Debug)]
pub(super) enum Command {
    Client {
        conn: Conn,
        op: MeetingOp,
    },
    Disconnected {
        conn_id: u64,
        login: Login,
    },
    Media(MediaEvent),
    /// The host ended the meeting over HTTP.
    End {
        by: Login,
        address: Option<String>,
        reply: oneshot::Sender<Result<(), RoomError>>,
    },
}

struct Actor {
    room: Room,
    inner: Arc<Inner>,
    /// The socket each present officer joined from; events go there.
    conns: HashMap<Login, Conn>,
}

pub(super) async fn run(room: Room, mut rx: mpsc::UnboundedReceiver<Command>, inner: Arc<Inner>) {
    let id = room.id();
    let mut actor = Actor {
        room,
        inner,
        conns: HashMap::new(),
    };
    while let Some(command) = rx.recv().await {
        actor.command(command).await;
        if actor.room.is_ended() {
            // Nothing can happen in an ended room: refuse what is queued and stop.
            let queued = {
                let _ = retire(&actor.inner, id, &mut rx);
                let mut rest = Vec::new();
                while let Ok(c) = rx.try_recv() {
                    rest.push(c);
                }
                rest
            };
            for c in queued {
                refuse_ended(id, c);
            }
            // A command queued between the drain and removal cannot exist: `retire`
            // removed the room under the lock every sender takes, and the drain ran after.
            return;
        }
        if actor.room.is_empty() && retire(&actor.inner, id, &mut rx) {
            return;
        }
    }
}

fn refuse_ended(id: MeetingId, command: Command) {
    match command {
        Command::Client { conn, .. } => conn.refuse(id, RoomError::Ended.to_api()),
        Command::End { reply, .. } => {
            let _ = reply.send(Err(RoomError::Ended));
        }
        Command::Disconnected { .. } | Command::Media(_) => {}
    }
}

/// What the audit log calls a client request, when it changes something.
fn audited(op: &MeetingOp) -> Option<(AuditAction, Option<&str>)> {
    Some(match op {
        MeetingOp::Join => (AuditAction::MeetingJoin, None),
        MeetingOp::Leave => (AuditAction::MeetingLeave, None),
        MeetingOp::Admit { login } => (AuditAction::MeetingAdmit, Some(login)),
        MeetingOp::Mute { login, .. } => (AuditAction::MeetingMute, Some(login)),
        MeetingOp::Remove { login } => (AuditAction::MeetingRemove, Some(login)),
        MeetingOp::Chat { .. } => (AuditAction::MeetingChat, None),
        MeetingOp::Decision { .. } => (AuditAction::MeetingDecision, None),
        MeetingOp::End => (AuditAction::MeetingEnd, None),
        _ => return None,
    })
}

impl Actor {
    fn id(&self) -> MeetingId {
        self.room.id()
    }

    async fn command(&mut self, command: Command) {
        match command {
            Command::Client { conn, op } => self.client(conn, op).await,
            Command::Disconnected { conn_id, login } => {
                if self.conns.get(&login).is_some_and(|c| c.id == conn_id) {
                    self.input(Input::Disconnected { login }).await;
                }
            }
            Command::Media(event) => self.media_event(event).await,
            Command::End { by, address, reply } => {
                if self.room.is_ended() {
                    let _ = reply.send(Err(RoomError::Ended));
                    return;
                }
                let outputs = self.room.end(now_ms(), &by);
                self.carry_out(outputs).await;
                self.audit(
                    by.as_str(),
                    AuditAction::MeetingEnd,
                    None,
                    address.as_deref(),
                    "ok",
                )
                .await;
                let _ = reply.send(Ok(()));
            }
        }
    }

    /// What the media server said of a participant. Its participants are the logins the
    /// room gave it; anything else is not one of this room's and is dropped.
    async fn media_event(&mut self, event: MediaEvent) {
        let input = match event {
            MediaEvent::Offer {
                participant, sdp, ..
            } => Login::parse(&participant).map(|login| Input::MediaOffer { login, sdp }),
            MediaEvent::Candidate {
                participant,
                candidate,
                ..
            } => Login::parse(&participant).map(|login| Input::MediaCandidate { login, candidate }),
        };
        match input {
            Ok(input) => self.input(input).await,
            Err(e) => tracing::debug!(meeting = %self.id(), "media event dropped: {e}"),
        }
    }

    async fn client(&mut self, conn: Conn, op: MeetingOp) {
        let id = self.id();
        let login = conn.login.clone();
        let registered = self.conns.get(&login).map(|c| c.id);
        if op == MeetingOp::Join {
            if let Some(old) = registered.filter(|old| *old != conn.id)
                && self.room.is_present(login.as_str())
            {
                // Joining from a second socket moves the officer there.
                if let Some(old_conn) = self.conns.get(&login) {
                    old_conn.tell(id, MeetingEvent::Left);
                }
                tracing::debug!(meeting = %id, %login, old, "rejoined from another socket");
                self.input(Input::Disconnected {
                    login: login.clone(),
                })
                .await;
            }
            self.conns.insert(login.clone(), conn.clone());
        } else if registered != Some(conn.id) {
            conn.refuse(
                id,
                RoomError::OutOfOrder("Join the meeting from this connection first.").to_api(),
            );
            return;
        }
        let audit = audited(&op).map(|(a, s)| (a, s.map(str::to_owned)));
        let input = Input::Client {
            login: login.clone(),
            name: conn.name.clone(),
            op,
        };
        let outcome = match self.room.handle(now_ms(), input) {
            Ok(outputs) => {
                self.carry_out(outputs).await;
                "ok"
            }
            Err(e) => {
                conn.refuse(id, e.to_api());
                e.code().as_str()
            }
        };
        if let Some((action, subject)) = audit {
            self.audit(
                login.as_str(),
                action,
                subject.as_deref(),
                conn.address.as_deref(),
                outcome,
            )
            .await;
        }
        self.forget_absent();
    }

    /// Feeds the room an input that is not a client's request; a refusal there is the
    /// room ignoring something stale, so it is only logged.
    async fn input(&mut self, input: Input) {
        match self.room.handle(now_ms(), input) {
            Ok(outputs) => self.carry_out(outputs).await,
            Err(e) => tracing::debug!(meeting = %self.id(), "room ignored an input: {e}"),
        }
        self.forget_absent();
    }

    fn forget_absent(&mut self) {
        let room = &self.room;
        self.conns
            .retain(|login, _| room.is_present(login.as_str()));
    }

    async fn carry_out(&mut self, outputs: Vec<Output>) {
        let id = self.id();
        let mut queue: VecDeque<Output> = outputs.into();
        while let Some(output) = queue.pop_front() {
            match output {
                Output::Minutes(entry) => {
                    let store = &self.inner.store;
                    if let Err(e) = store.append_minutes(id, &entry).await {
                        tracing::error!(meeting = %id, seq = entry.seq, "storing minutes: {e:#}");
                    }
                }
                Output::StayBegan { login, at } => {
                    let store = &self.inner.store;
                    let result = store.attendance_begin(id, login.as_str(), at).await;
                    if let Err(e) = result {
                        tracing::error!(meeting = %id, "storing attendance: {e:#}");
                    }
                }
                Output::StayEnded { login, at, why } => {
                    let store = &self.inner.store;
                    let result = store
                        .attendance_end(id, Some(login.as_str()), at, Some(why))
                        .await;
                    if let Err(e) = result {
                        tracing::error!(meeting = %id, "storing attendance: {e:#}");
                    }
                }
                Output::Send { to, event } => {
                    if let Some(conn) = self.conns.get(&to) {
                        conn.tell(id, event);
                    }
                }
                Output::Media(command) => {
                    if let Some(input) = self.media(command).await {
                        match self.room.handle(now_ms(), input) {
                            Ok(more) => queue.extend(more),
                            Err(e) => tracing::debug!(meeting = %id, "room ignored media: {e}"),
                        }
                    }
                }
                Output::Ended { at } => self.seal(at).await,
            }
        }
    }

    /// Calls the media server; a failure becomes an input for the room.
    async fn media(&self, command: MediaCommand) -> Option<Input> {
        let id = self.id();
        let media = &self.inner.media;
        let (login, result) = match command {
            MediaCommand::Join { login } => {
                let r = media.join(id, login.as_str()).await;
                (login, r.map(|()| None))
            }
            MediaCommand::Offer { login, sdp } => {
                let r = media.offer(id, login.as_str(), &sdp).await;
                (login, r.map(Some))
            }
            MediaCommand::Answer { login, sdp } => {
                let r = media.answer(id, login.as_str(), &sdp).await;
                (login, r.map(|()| None))
            }
            MediaCommand::Candidate { login, candidate } => {
                let r = media.candidate(id, login.as_str(), &candidate).await;
                (login, r.map(|()| None))
            }
            MediaCommand::Leave { login } => {
                media.leave(id, login.as_str()).await;
                return None;
            }
        };
        match result {
            Ok(Some(sdp)) => Some(Input::MediaAnswer { login, sdp }),
            Ok(None) => None,
            Err(e) => Some(Input::MediaFailed {
                login,
                error: e.to_api(),
            }),
        }
    }

    /// The meeting ended: sign the minutes and close every open stay.
    async fn seal(&mut self, at: i64) {
        let id = self.id();
        let signature = minutes::sign(self.inner.key.signing(), id, &self.room.head(), at);
        let store = &self.inner.store;
        if let Err(e) = store.seal_meeting(id, at, &signature).await {
            tracing::error!(meeting = %id, "sealing the minutes: {e:#}");
        }
        if let Err(e) = store.attendance_end(id, None, at, None).await {
            tracing::error!(meeting = %id, "closing attendance: {e:#}");
        }
        tracing::info!(meeting = %id, "meeting ended; minutes signed");
    }

    async fn audit(
        &self,
        actor: &str,
        action: AuditAction,
        subject: Option<&str>,
        address: Option<&str>,
        outcome: &str,
    ) {
        let target = match subject {
            Some(s) => format!("meeting/{}/{s}", self.id()),
            None => format!("meeting/{}", self.id()),
        };
        let entry = NewAuditEntry {
            actor: Some(actor),
            action,
            target: Some(&target),
            address,
            outcome,
        };
        if let Err(e) = self.inner.store.append_audit(&entry, now_ms()).await {
            tracing::error!("audit of {action} on {target}: {e:#}");
        }
    }
}
