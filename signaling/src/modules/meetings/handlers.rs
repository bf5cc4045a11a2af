//! Meetings over HTTP: create, list, get, end, minutes, and the ICE servers for their
//! media. Joining and everything inside a
//! meeting go over the WebSocket (`crate::modules::meetings`).

use std::collections::BTreeSet;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use sis_proto::ErrorCode;
use sis_proto::meeting::{
    IceServers, Meeting, MeetingId, MeetingList, Minutes, MinutesKind, NewMeeting,
};

use super::store::{MeetingRecord, NewMeetingRecord};
use crate::internal::access::Staff;
use crate::internal::error::AppError;
use crate::internal::extract::{ApiJson, ClientAddr};
use crate::modules::meetings::OpenError;
use crate::modules::meetings::minutes::{Event, Head};
use crate::modules::meetings::readers::{Stay, minutes_for};
use crate::modules::meetings::room::RoomError;
use crate::node::state::{AppState, now_ms};
use crate::store::{AuditAction, NewAuditEntry};

const MAX_INVITED: usize = 100;
const LIST_LIMIT: u32 = 200;

/// # `POST /api/v1/meetings`
pub async fn create(
    caller: Staff,
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    ApiJson(req): ApiJson<NewMeeting>,
) -> Result<(StatusCode, Json<Meeting>), AppError> {
    let host = &caller.0.officer.login;
    let title = check_text("title", &req.title, 200)?;
    let case_id = req
        .case_id
        .as_deref()
        .map(|v| check_text("case_id", v, 100))
        .transpose()?;
    let document_id = req
        .document_id
        .as_deref()
        .map(|v| check_text("document_id", v, 100))
        .transpose()?;
    if req.invited.len() > MAX_INVITED {
        return Err(AppError::bad_request(format!(
            "invited: at most {MAX_INVITED} officers"
        )));
    }
    let mut invited = BTreeSet::new();
    for (i, login) in req.invited.iter().enumerate() {
        if login == host {
            continue;
        }
        let known = match state.store.officer_by_login(login).await? {
            Some(rec) => {
                Staff::ROLES.contains(&rec.officer.role)
                    && !rec.officer.disabled
                    && rec.officer.country == state.country.as_str()
            }
            None => false,
        };
        if !known {
            return Err(AppError::bad_request(format!(
                "invited[{i}]: {login:?} is not an active officer of this node"
            )));
        }
        invited.insert(login.clone());
    }
    let invited: Vec<String> = invited.into_iter().collect();
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
                        actor: Some(host.clone()),
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
        host: host.clone(),
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
        .meetings_of(&who.officer.login, LIST_LIMIT)
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
    let login = &caller.0.officer.login;
    let id = record.meeting.id;
    if *login != record.meeting.host {
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
    match state.meetings.end(id, login, addr.clone()).await {
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
    let login = &caller.0.officer.login;
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
        .for_officer(&caller.0.officer.login, now_ms().div_euclid(1000));
    Ok(([(header::CACHE_CONTROL, "no-store")], Json(servers)))
}

/// The meeting, when the caller hosts it or is invited. A meeting the caller may not see
/// answers exactly as one that does not exist, so ids cannot be probed.
async fn visible(state: &AppState, caller: &Staff, id: &str) -> Result<MeetingRecord, AppError> {
    let id = id
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .map(MeetingId)
        .ok_or_else(|| AppError::bad_request("id: must be a positive meeting number"))?;
    let record = state
        .store
        .meeting_by_id(id)
        .await?
        .ok_or_else(|| no_meeting(id))?;
    let login = &caller.0.officer.login;
    if record.meeting.host != *login && !record.meeting.invited.contains(login) {
        return Err(no_meeting(id));
    }
    Ok(record)
}

/// Said exactly as the WebSocket says it ([`OpenError::NotFound`]).
fn no_meeting(id: MeetingId) -> AppError {
    AppError::not_found_with(OpenError::NotFound(id).to_string())
}

/// A text field of the request, or a `bad_request` naming it.
fn check_text<'a>(field: &str, value: &'a str, max: usize) -> Result<&'a str, AppError> {
    crate::text::one_line(field, value, max).map_err(|e| AppError::bad_request(e.to_string()))
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
