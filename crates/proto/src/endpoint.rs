//! Every endpoint of the internal face, as data: method, path, request and response types
//! side by side, so the node's router and both client transports cannot disagree.

use serde::{Serialize, de::DeserializeOwned};

use crate::audit::{AuditPage, AuditQuery};
use crate::directory::{DirectoryEntry, DirectoryPage, DirectoryQuery};
use crate::ledger::{LedgerPage, LedgerProof, LedgerQuery, PeerList};
use crate::letter::{Letter, LetterList, LetterQuery, NewLetter};
use crate::meeting::{IceServers, Meeting, MeetingList, Minutes, NewMeeting};
use crate::session::{LoginRequest, LoginResponse, Officer};

/// HTTP method of an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Delete,
}

impl Method {
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        }
    }
}

/// One endpoint of the node's internal face.
pub trait Endpoint {
    const METHOD: Method;
    /// Path under the node's origin, e.g. `/api/v1/session`.
    const PATH: &'static str;
    /// Whether a bearer token is required. Only logging in is open.
    const AUTHENTICATED: bool = true;
    /// JSON body for `POST`, query string for `GET`; `()` when there is none.
    type Request: Serialize + DeserializeOwned;
    type Response: Serialize + DeserializeOwned;
}

/// # `POST /api/v1/session` — log in with login and password.
#[derive(Debug)]
pub struct CreateSession;
impl Endpoint for CreateSession {
    const METHOD: Method = Method::Post;
    const PATH: &'static str = "/api/v1/session";
    const AUTHENTICATED: bool = false;
    type Request = LoginRequest;
    type Response = LoginResponse;
}

/// # `DELETE /api/v1/session` — log out: the bearer token stops working at once.
#[derive(Debug)]
pub struct DeleteSession;
impl Endpoint for DeleteSession {
    const METHOD: Method = Method::Delete;
    const PATH: &'static str = "/api/v1/session";
    type Request = ();
    type Response = ();
}

/// # `GET /api/v1/me` — the officer the bearer token belongs to.
#[derive(Debug)]
pub struct Me;
impl Endpoint for Me {
    const METHOD: Method = Method::Get;
    const PATH: &'static str = "/api/v1/me";
    type Request = ();
    type Response = Officer;
}

/// # `GET /api/v1/audit` — the audit log, newest first (admins only).
#[derive(Debug)]
pub struct ListAudit;
impl Endpoint for ListAudit {
    const METHOD: Method = Method::Get;
    const PATH: &'static str = "/api/v1/audit";
    type Request = AuditQuery;
    type Response = AuditPage;
}

/// # `GET /api/v1/directories/{directory}?q=&limit=` — search a code list (any signed-in
/// user). `{directory}` is a [`crate::directory::Directory`] slug.
#[derive(Debug)]
pub struct SearchDirectory;
impl Endpoint for SearchDirectory {
    const METHOD: Method = Method::Get;
    const PATH: &'static str = "/api/v1/directories/{directory}";
    type Request = DirectoryQuery;
    type Response = DirectoryPage;
}

/// # `GET /api/v1/directories/{directory}/{code}` — one entry.
#[derive(Debug)]
pub struct GetDirectoryEntry;
impl Endpoint for GetDirectoryEntry {
    const METHOD: Method = Method::Get;
    const PATH: &'static str = "/api/v1/directories/{directory}/{code}";
    type Request = ();
    type Response = DirectoryEntry;
}

/// # `POST /api/v1/meetings` — create a meeting; the caller hosts it. Officers,
/// supervisors and admins only.
#[derive(Debug)]
pub struct CreateMeeting;
impl Endpoint for CreateMeeting {
    const METHOD: Method = Method::Post;
    const PATH: &'static str = "/api/v1/meetings";
    type Request = NewMeeting;
    type Response = Meeting;
}

/// # `GET /api/v1/meetings` — the meetings the caller hosts or is invited to.
#[derive(Debug)]
pub struct ListMeetings;
impl Endpoint for ListMeetings {
    const METHOD: Method = Method::Get;
    const PATH: &'static str = "/api/v1/meetings";
    type Request = ();
    type Response = MeetingList;
}

/// # `GET /api/v1/meetings/{id}` — one meeting (its host and invited officers only).
#[derive(Debug)]
pub struct GetMeeting;
impl Endpoint for GetMeeting {
    const METHOD: Method = Method::Get;
    const PATH: &'static str = "/api/v1/meetings/{id}";
    type Request = ();
    type Response = Meeting;
}

/// # `POST /api/v1/meetings/{id}/end` — end the meeting for everyone and sign its minutes
/// (the host only).
#[derive(Debug)]
pub struct EndMeeting;
impl Endpoint for EndMeeting {
    const METHOD: Method = Method::Post;
    const PATH: &'static str = "/api/v1/meetings/{id}/end";
    type Request = ();
    type Response = Meeting;
}

/// # `GET /api/v1/meetings/{id}/minutes` — the hash-chained minutes and, once the meeting
/// has ended, the node's signature (its host and invited officers only).
#[derive(Debug)]
pub struct GetMinutes;
impl Endpoint for GetMinutes {
    const METHOD: Method = Method::Get;
    const PATH: &'static str = "/api/v1/meetings/{id}/minutes";
    type Request = ();
    type Response = Minutes;
}

/// # `GET /api/v1/meetings/ice-servers` — the STUN and TURN servers for the caller's
/// meeting peer connections, with TURN credentials made for the caller (officers,
/// supervisors and admins: those who can be in a meeting).
#[derive(Debug)]
pub struct GetIceServers;
impl Endpoint for GetIceServers {
    const METHOD: Method = Method::Get;
    const PATH: &'static str = "/api/v1/meetings/ice-servers";
    type Request = ();
    type Response = IceServers;
}

/// Path of the client's WebSocket (`GET`, upgraded); the first message authenticates it.
pub const WS_PATH: &str = "/api/v1/ws";

/// # `POST /api/v1/letters` — write a letter to other member countries; sent at once unless
/// it is a draft.
#[derive(Debug)]
pub struct CreateLetter;
impl Endpoint for CreateLetter {
    const METHOD: Method = Method::Post;
    const PATH: &'static str = "/api/v1/letters";
    type Request = NewLetter;
    type Response = Letter;
}

/// # `GET /api/v1/letters?box=inbox|outbox&q=&case=&limit=` — the inbox or the outbox,
/// newest first.
#[derive(Debug)]
pub struct ListLetters;
impl Endpoint for ListLetters {
    const METHOD: Method = Method::Get;
    const PATH: &'static str = "/api/v1/letters";
    type Request = LetterQuery;
    type Response = LetterList;
}

/// # `GET /api/v1/letters/{id}` — one letter with each recipient's status. Opening an
/// incoming letter marks it read.
#[derive(Debug)]
pub struct GetLetter;
impl Endpoint for GetLetter {
    const METHOD: Method = Method::Get;
    const PATH: &'static str = "/api/v1/letters/{id}";
    type Request = ();
    type Response = Letter;
}

/// # `POST /api/v1/letters/{id}/send` — send a draft.
#[derive(Debug)]
pub struct SendLetter;
impl Endpoint for SendLetter {
    const METHOD: Method = Method::Post;
    const PATH: &'static str = "/api/v1/letters/{id}/send";
    type Request = ();
    type Response = Letter;
}

/// # `GET /api/v1/ledger/proof/{envelope_id}` — where an envelope this node sent or accepted
/// stands in its log, with the proof.
#[derive(Debug)]
pub struct GetLedgerProof;
impl Endpoint for GetLedgerProof {
    const METHOD: Method = Method::Get;
    const PATH: &'static str = "/api/v1/ledger/proof/{envelope_id}";
    type Request = ();
    type Response = LedgerProof;
}

/// # `GET /api/v1/exchange/peers` — every member and how the exchange with it stands
/// (administrators).
#[derive(Debug)]
pub struct ListPeers;
impl Endpoint for ListPeers {
    const METHOD: Method = Method::Get;
    const PATH: &'static str = "/api/v1/exchange/peers";
    type Request = ();
    type Response = PeerList;
}

/// # `GET /api/v1/exchange/log?before=&limit=` — this node's own log: its size and root,
/// the newest checkpoint with the peers' cosignatures, the newest checkpoints, and a page
/// of entries, newest first (administrators).
#[derive(Debug)]
pub struct GetExchangeLog;
impl Endpoint for GetExchangeLog {
    const METHOD: Method = Method::Get;
    const PATH: &'static str = "/api/v1/exchange/log";
    type Request = LedgerQuery;
    type Response = LedgerPage;
}
