//! The live rooms of this node. A room is opened from the store when the first request
//! for its meeting arrives, runs as one task (`actor.rs`), and retires when nobody is left
//! in it or the meeting ends; its state that matters (minutes, chat) is in the store, so
//! the next request opens it again where it stopped.
//!
//! Every command reaches a room through [`Meetings::send`], under the registry's lock: a
//! retiring room removes itself under the same lock once its queue is empty, so no
//! command can land in a room that is gone.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};

use sis_proto::meeting::{MeetingEvent, MeetingId, MeetingOp};
use sis_proto::ws::ServerMessage;
use sis_proto::{ApiError, ErrorCode};
use tokio::sync::{mpsc, oneshot};

use super::actor::{self, Command};
use super::media::{MediaEvent, MediaEvents, SharedMedia};
use super::minutes::{Head, parse_hash};
use super::room::{CHAT_BACKLOG, Room, RoomError, RoomSetup};
use crate::ids::Login;
use crate::node::key::NodeKey;
use crate::store::{Store, StoreError};

/// A client's WebSocket as the rooms see it.
#[derive(Debug, Clone)]
pub struct Conn {
    /// Tells two sockets of one officer apart.
    pub id: u64,
    pub login: Login,
    pub name: String,
    /// For the audit log.
    pub address: Option<String>,
    /// The socket's outgoing queue, bounded: see [`Conn::push`].
    pub tx: mpsc::Sender<ServerMessage>,
    /// Told when the queue overflowed; the socket then closes.
    pub overflow: Arc<tokio::sync::Notify>,
}

impl Conn {
    /// Queues `msg` for the socket. A client that does not read its socket fills the queue;
    /// it is then disconnected (its socket closes with 1013) rather than buffered without
    /// end.
    pub fn push(&self, msg: ServerMessage) {
        match self.tx.try_send(msg) {
            Ok(()) => {}
            Err(mpsc::error::TrySendError::Full(_)) => self.overflow.notify_one(),
            // A closed socket is being torn down; its disconnect follows.
            Err(mpsc::error::TrySendError::Closed(_)) => {}
        }
    }

    pub fn tell(&self, meeting: MeetingId, event: MeetingEvent) {
        self.push(ServerMessage::Meeting { meeting, event });
    }

    pub fn refuse(&self, meeting: MeetingId, error: ApiError) {
        self.tell(meeting, MeetingEvent::Error { error });
    }
}

pub(super) struct Inner {
    pub(super) store: Store,
    pub(super) key: NodeKey,
    pub(super) media: SharedMedia,
    rooms: Mutex<HashMap<MeetingId, mpsc::UnboundedSender<Command>>>,
}

/// The registry of live rooms; cheap to clone.
#[derive(Clone)]
pub struct Meetings(Arc<Inner>);

impl std::fmt::Debug for Meetings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Meetings")
            .field("media", &self.0.media)
            .field("key", &self.0.key)
            .finish_non_exhaustive()
    }
}

/// Why a meeting could not be reached.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// Said exactly as [`RoomError::NotInvited`] is, so that ids cannot be probed.
    #[error("meeting: there is no such meeting that you may see")]
    NotFound(MeetingId),
    #[error(transparent)]
    Room(#[from] RoomError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Meetings {
    /// The registry, with `media` told where to send its events.
    pub fn new(store: Store, key: NodeKey, media: SharedMedia) -> Meetings {
        let inner = Arc::new(Inner {
            store,
            key,
            media,
            rooms: Mutex::new(HashMap::new()),
        });
        let weak: Weak<Inner> = Arc::downgrade(&inner);
        inner.media.set_events(MediaEvents::new(move |event| {
            if let Some(inner) = weak.upgrade() {
                let room = match &event {
                    MediaEvent::Offer { room, .. } | MediaEvent::Candidate { room, .. } => *room,
                };
                // A room that is gone has nobody to tell.
                let _ = Meetings(inner).send(room, Command::Media(event));
            }
        }));
        Meetings(inner)
    }

    pub fn node_key(&self) -> &NodeKey {
        &self.0.key
    }

    /// Carries a client's request to its room; refusals go back on the client's socket.
    pub async fn dispatch(&self, conn: &Conn, meeting: MeetingId, op: MeetingOp) {
        let command = Command::Client {
            conn: conn.clone(),
            op,
        };
        if let Err(e) = self.deliver(meeting, command).await {
            conn.refuse(meeting, open_error(e));
        }
    }

    /// The socket closed: every room it was in hears so (rooms it was not in ignore it).
    pub fn disconnected(&self, conn: &Conn, meetings: impl IntoIterator<Item = MeetingId>) {
        for meeting in meetings {
            let command = Command::Disconnected {
                conn_id: conn.id,
                login: conn.login.clone(),
            };
            let _ = self.send(meeting, command);
        }
    }

    /// Ends the meeting on behalf of `by` (whom the caller checked is the host).
    pub async fn end(
        &self,
        meeting: MeetingId,
        by: &Login,
        address: Option<String>,
    ) -> Result<(), OpenError> {
        let (reply, done) = oneshot::channel();
        let command = Command::End {
            by: by.clone(),
            address,
            reply,
        };
        self.deliver(meeting, command).await?;
        match done.await {
            Ok(result) => result.map_err(OpenError::Room),
            // The room task stopped without answering: only when the node is stopping.
            Err(_) => Err(OpenError::Room(RoomError::Ended)),
        }
    }

    /// Sends to the live room, opening it first when there is none.
    async fn deliver(&self, meeting: MeetingId, command: Command) -> Result<(), OpenError> {
        let Some(command) = self.send(meeting, command) else {
            return Ok(());
        };
        let room = self.load(meeting).await?;
        let mut rooms = self
            .0
            .rooms
            .lock()
            .expect("the rooms lock is never poisoned");
        // Another request may have opened it while this one read the store.
        if let Some(tx) = rooms.get(&meeting) {
            let _ = tx.send(command);
            return Ok(());
        }
        let (tx, rx) = mpsc::unbounded_channel();
        let _ = tx.send(command);
        rooms.insert(meeting, tx);
        tokio::spawn(actor::run(room, rx, self.0.clone()));
        Ok(())
    }

    /// Sends to the live room; gives the command back when there is none.
    fn send(&self, meeting: MeetingId, command: Command) -> Option<Command> {
        let rooms = self
            .0
            .rooms
            .lock()
            .expect("the rooms lock is never poisoned");
        match rooms.get(&meeting) {
            Some(tx) => tx.send(command).err().map(|e| e.0),
            None => Some(command),
        }
    }

    async fn load(&self, meeting: MeetingId) -> Result<Room, OpenError> {
        let store = &self.0.store;
        let record = store
            .meeting_by_id(meeting)
            .await?
            .ok_or(OpenError::NotFound(meeting))?;
        if record.meeting.ended_at.is_some() {
            return Err(RoomError::Ended.into());
        }
        let head = match store.last_minutes_entry(meeting).await? {
            Some(last) => Head {
                next_seq: last.seq + 1,
                last_hash: parse_hash(&last.hash).ok_or_else(|| {
                    StoreError::Corrupt(format!("meeting {meeting}: minutes hash is not hex"))
                })?,
            },
            None => Head::EMPTY,
        };
        let chat = store.recent_chat(meeting, CHAT_BACKLOG as u32).await?;
        let login = |l: &str| {
            Login::parse(l).map_err(|e| StoreError::Corrupt(format!("meeting {meeting}: {e}")))
        };
        let invited = record.meeting.invited.iter().map(|l| login(l));
        Ok(Room::new(RoomSetup {
            id: meeting,
            host: login(&record.meeting.host)?,
            invited: invited.collect::<Result<_, _>>()?,
            head,
            chat,
        }))
    }
}

/// Called by a room's task when it has nothing left to do: it leaves the registry if no
/// command is queued (checked under the lock every sender takes).
pub(super) fn retire(
    inner: &Inner,
    meeting: MeetingId,
    rx: &mut mpsc::UnboundedReceiver<Command>,
) -> bool {
    let mut rooms = inner
        .rooms
        .lock()
        .expect("the rooms lock is never poisoned");
    if !rx.is_empty() {
        return false;
    }
    rooms.remove(&meeting);
    true
}

/// The error a client sees when its meeting could not be reached.
pub fn open_error(e: OpenError) -> ApiError {
    match e {
        OpenError::NotFound(_) => ApiError::new(ErrorCode::NotFound, e.to_string()),
        OpenError::Room(r) => r.to_api(),
        OpenError::Store(s) => {
            tracing::error!("opening a meeting: {s:#}");
            ApiError::new(
                ErrorCode::Unavailable,
                "The node could not open the meeting; the fault is recorded in its log.",
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_socket_that_is_not_read_is_told_to_close_once_its_queue_is_full() {
        let (tx, mut rx) = mpsc::channel(2);
        let overflow = Arc::new(tokio::sync::Notify::new());
        let conn = Conn {
            id: 1,
            login: crate::ids::Login::parse("ann").unwrap(),
            name: "Ann".into(),
            address: None,
            tx,
            overflow: overflow.clone(),
        };
        let ping = |n| ServerMessage::Pong { nonce: n };
        conn.push(ping(1));
        conn.push(ping(2));
        let told = || futures_util::FutureExt::now_or_never(overflow.notified()).is_some();
        assert!(!told(), "a full queue is not yet an overflow");
        conn.push(ping(3));
        assert!(told(), "the third message overflows a queue of two");
        // What was queued is kept in order; the overflowing message is not queued.
        assert_eq!(rx.try_recv().ok(), Some(ping(1)));
        assert_eq!(rx.try_recv().ok(), Some(ping(2)));
        assert!(rx.try_recv().is_err());
    }
}
