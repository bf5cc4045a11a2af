//! Meetings over HTTP: create, list, get, end, minutes, and the ICE servers for their
//! media. Joining and everything inside a
//! meeting go over the WebSocket (`crate::modules::meetings`).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use sis_proto::ErrorCode;
use sis_proto::meeting::{
    IceServers, Meeting, MeetingId, MeetingList, Minutes, MinutesKind, NewMeeting,
};

use super::rules::{self, MeetingRuleError};
use super::store::{MeetingRecord, NewMeetingRecord};
use crate::ids::Login;
use crate::internal::access::Staff;
use crate::internal::error::AppError;
use crate::internal::extract::{ApiJson, ClientAddr};
use crate::modules::meetings::OpenError;
use crate::modules::meetings::minutes::{Event, Head};
use crate::modules::meetings::readers::{Stay, minutes_for};
use crate::modules::meetings::room::RoomError;
use crate::node::state::{AppState, now_ms};
use crate::store::{AuditAction, NewAuditEntry};

const LIST_LIMIT: u32 = 200;

/// # `POST /api/v1/meetings`
pub async fn create(
    Staff(caller): Staff,
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    ApiJson(req): ApiJson<NewMeeting>,
) -> Result<(StatusCode, Json<Meeting>), AppError> {
    let host = caller.login.as_str();
    let draft = rules::draft(&req, &caller.login)?;
    let mut found = Vec::with_capacity(draft.invitees.len());
    for (_, login) in &draft.invitees {
        found.push(match Login::parse(login) {
            Ok(login) => state.store.officer_by_login(&login).await?,
            Err(_) => None,
        });
    }
    let invited: Vec<String> = rules::invitees(&draft, &found, state.country)?
        .into_iter()
        .map(Login::into_string)
        .collect();
    let (title, case_id, document_id) = (draft.title, draft.case_id, draft.document_id);
    let now = now_ms();
    let id = state
        .store
        .insert_meeting(
            &NewMeetingRecord {
                title,
                case_id,
                document_id,
                host,
                invited: &invited,
            },
            now,
            |id| {
                let mut head = Head::EMPTY;
                head.append(
                    id,
                    Event {
                        at: now,
                        kind: MinutesKind::Created,
                        actor: Some(host.to_owned()),
                        subject: None,
                        text: Some(title.to_owned()),
                    },
                )
            },
        )
        .await?;
    audit(
        &state,
        host,
        AuditAction::MeetingCreate,
        id,
        addr.as_deref(),
        "ok",
    )
    .await?;
    let meeting = Meeting {
        id,
        title: title.to_owned(),
        case_id: case_id.map(Into::into),
        document_id: document_id.map(Into::into),
        host: host.to_owned(),
        invited,
        created_at: now,
        ended_at: None,
    };
    Ok((StatusCode::CREATED, Json(meeting)))
}

/// # `GET /api/v1/meetings`
pub async fn list(
    Staff(who): Staff,
    State(state): State<AppState>,
) -> Result<Json<MeetingList>, AppError> {
    let meetings = state
        .store
        .meetings_of(who.login.as_str(), LIST_LIMIT)
        .await?;
    Ok(Json(MeetingList { meetings }))
}

/// # `GET /api/v1/meetings/{id}`
pub async fn get(
    caller: Staff,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Meeting>, AppError> {
    let record = visible(&state, &caller, &id).await?;
    Ok(Json(record.meeting))
}

/// # `POST /api/v1/meetings/{id}/end`
pub async fn end(
    caller: Staff,
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    Path(id): Path<String>,
) -> Result<Json<Meeting>, AppError> {
    let record = visible(&state, &caller, &id).await?;
    let login = caller.0.login.as_str();
    let id = record.meeting.id;
    if !rules::may_end(&record.meeting, &caller.0.login) {
        audit(
            &state,
            login,
            AuditAction::MeetingEnd,
            id,
            addr.as_deref(),
            "forbidden",
        )
        .await?;
        return Err(AppError::forbidden("Only the host may end the meeting."));
    }
    match state.meetings.end(id, &caller.0.login, addr.clone()).await {
        Ok(()) => {}
        Err(OpenError::Room(RoomError::Ended)) => {
            return Err(AppError::new(
                StatusCode::CONFLICT,
                ErrorCode::MeetingEnded,
                "The meeting has already ended.",
            ));
        }
        Err(OpenError::NotFound(_)) => return Err(no_meeting(id)),
        Err(OpenError::Store(e)) => return Err(e.into()),
        Err(OpenError::Room(e)) => return Err(AppError::internal(e)),
    }
    let record = state
        .store
        .meeting_by_id(id)
        .await?
        .ok_or_else(|| no_meeting(id))?;
    Ok(Json(record.meeting))
}

/// # `GET /api/v1/meetings/{id}/minutes`
pub async fn minutes(
    caller: Staff,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Minutes>, AppError> {
    let record = visible(&state, &caller, &id).await?;
    let login = caller.0.login.as_str();
    let entries = state.store.minutes(record.meeting.id).await?;
    let stays: Vec<Stay> = state
        .store
        .attendance(record.meeting.id)
        .await?
        .into_iter()
        .filter(|a| a.login == *login)
        .map(|a| Stay {
            joined_at: a.joined_at,
            left_at: a.left_at,
        })
        .collect();
    Ok(Json(Minutes {
        meeting: record.meeting.id,
        entries: minutes_for(entries, record.meeting.host == *login, &stays),
        signature: record.signature,
    }))
}

/// # `GET /api/v1/meetings/ice-servers`
///
/// For whoever may be in a meeting: a TURN credential is a right to relay through the node's
/// TURN server, so traders and the national system get none. It only reads, so it is not
/// audited; it carries a credential, so nothing may cache it.
pub async fn ice_servers(
    caller: Staff,
    State(state): State<AppState>,
) -> Result<([(header::HeaderName, &'static str); 1], Json<IceServers>), AppError> {
    let servers = state
        .ice
        .for_officer(caller.0.login.as_str(), now_ms().div_euclid(1000));
    Ok(([(header::CACHE_CONTROL, "no-store")], Json(servers)))
}

/// The meeting, when the caller hosts it or is invited. A meeting the caller may not see
/// answers exactly as one that does not exist, so ids cannot be probed.
async fn visible(state: &AppState, caller: &Staff, id: &str) -> Result<MeetingRecord, AppError> {
    let id = rules::meeting_id(id)?;
    let record = state
        .store
        .meeting_by_id(id)
        .await?
        .ok_or_else(|| no_meeting(id))?;
    if !rules::may_see(&record.meeting, &caller.0.login) {
        return Err(no_meeting(id));
    }
    Ok(record)
}

/// Said exactly as the WebSocket says it ([`OpenError::NotFound`]).
fn no_meeting(id: MeetingId) -> AppError {
    AppError::not_found_with(OpenError::NotFound(id).to_string())
}

impl From<MeetingRuleError> for AppError {
    fn from(e: MeetingRuleError) -> AppError {
        AppError::bad_request(e.to_string())
    }
}

async fn audit(
    state: &AppState,
    actor: &str,
    action: AuditAction,
    id: MeetingId,
    address: Option<&str>,
    outcome: &str,
) -> Result<(), AppError> {
    let target = format!("meeting/{id}");
    state
        .store
        .append_audit(
            &NewAuditEntry {
                actor: Some(actor),
                action,
                target: Some(&target),
                address,
                outcome,
            },
            now_ms(),
        )
        .await?;
    Ok(())
}
