//! The room's rules, input by input, on a made-up clock.

use std::collections::BTreeSet;

use sis_proto::ErrorCode;
use sis_proto::meeting::{
    IceCandidate, LeaveReason, MeetingEvent, MeetingId, MeetingOp, MinutesKind,
};

use super::*;
use crate::modules::meetings::minutes::{Head, verify_chain};

const T: i64 = 1_800_000_000_000;
const ID: MeetingId = MeetingId(1);

fn l(login: &str) -> Login {
    Login::parse(login).expect("a valid login")
}

fn room() -> Room {
    Room::new(RoomSetup {
        id: ID,
        host: l("host"),
        invited: BTreeSet::from([l("ann"), l("bob")]),
        head: Head::EMPTY,
        chat: Vec::new(),
    })
}

fn op(r: &mut Room, login: &str, op: MeetingOp) -> Result<Vec<Output>, RoomError> {
    r.handle(
        T,
        Input::Client {
            login: l(login),
            name: format!("Officer {login}"),
            op,
        },
    )
}

fn ok(r: &mut Room, login: &str, o: MeetingOp) -> Vec<Output> {
    op(r, login, o.clone()).unwrap_or_else(|e| panic!("{login} {o:?} should succeed: {e}"))
}

/// Events addressed to `to`, in order.
fn to(outputs: &[Output], to: &str) -> Vec<MeetingEvent> {
    outputs
        .iter()
        .filter_map(|o| match o {
            Output::Send { to: t, event } if *t == *to => Some(event.clone()),
            _ => None,
        })
        .collect()
}

fn minutes(outputs: &[Output]) -> Vec<MinutesKind> {
    outputs
        .iter()
        .filter_map(|o| match o {
            Output::Minutes(e) => Some(e.kind),
            _ => None,
        })
        .collect()
}

fn media(outputs: &[Output]) -> Vec<MediaCommand> {
    outputs
        .iter()
        .filter_map(|o| match o {
            Output::Media(m) => Some(m.clone()),
            _ => None,
        })
        .collect()
}

/// Host in, `ann` admitted.
fn with_ann() -> Room {
    let mut r = room();
    ok(&mut r, "host", MeetingOp::Join);
    ok(&mut r, "ann", MeetingOp::Join);
    ok(
        &mut r,
        "host",
        MeetingOp::Admit {
            login: "ann".into(),
        },
    );
    r
}

#[test]
fn the_host_enters_and_invited_officers_wait_in_the_lobby_until_admitted() {
    let mut r = room();
    let out = ok(&mut r, "host", MeetingOp::Join);
    assert!(matches!(
        to(&out, "host").as_slice(),
        [MeetingEvent::Admitted { participants, .. }] if participants.len() == 1
    ));
    assert_eq!(minutes(&out), [MinutesKind::Joined]);
    assert_eq!(media(&out), [MediaCommand::Join { login: l("host") }]);

    let out = ok(&mut r, "ann", MeetingOp::Join);
    assert_eq!(to(&out, "ann"), [MeetingEvent::InLobby]);
    assert!(matches!(
        to(&out, "host").as_slice(),
        [MeetingEvent::Knocking { participant }] if participant.login == "ann"
    ));
    assert!(
        minutes(&out).is_empty(),
        "waiting in the lobby is not attending"
    );
    assert_eq!(r.members().collect::<Vec<_>>(), ["host"]);

    // Only the host admits.
    ok(&mut r, "bob", MeetingOp::Join);
    let err = op(
        &mut r,
        "bob",
        MeetingOp::Admit {
            login: "ann".into(),
        },
    )
    .expect_err("bob is in the lobby, not the room");
    assert_eq!(err.code(), ErrorCode::OutOfOrder);

    let out = ok(
        &mut r,
        "host",
        MeetingOp::Admit {
            login: "ann".into(),
        },
    );
    assert!(matches!(
        to(&out, "ann").as_slice(),
        [MeetingEvent::Admitted { participants, host, .. }]
            if participants.len() == 2 && host == "host"
    ));
    assert!(matches!(
        to(&out, "host").as_slice(),
        [MeetingEvent::ParticipantJoined { participant }] if participant.login == "ann"
    ));
    assert_eq!(r.members().collect::<Vec<_>>(), ["ann", "host"]);

    let err = op(
        &mut r,
        "host",
        MeetingOp::Admit {
            login: "zed".into(),
        },
    )
    .expect_err("not in the lobby");
    assert_eq!(err, RoomError::NotInLobby("zed".into()));
}

#[test]
fn strangers_are_refused_and_a_host_joining_late_hears_the_lobby() {
    let mut r = room();
    assert_eq!(
        op(&mut r, "eve", MeetingOp::Join),
        Err(RoomError::NotInvited)
    );
    ok(&mut r, "ann", MeetingOp::Join);
    let out = ok(&mut r, "host", MeetingOp::Join);
    let host_events = to(&out, "host");
    assert!(matches!(host_events[0], MeetingEvent::Admitted { .. }));
    assert!(matches!(
        &host_events[1],
        MeetingEvent::Knocking { participant } if participant.login == "ann"
    ));
    assert_eq!(
        op(&mut r, "host", MeetingOp::Join),
        Err(RoomError::OutOfOrder("You are already in this meeting."))
    );
}

#[test]
fn chat_reaches_everyone_and_is_chained_into_the_minutes() {
    let mut r = with_ann();
    let out = ok(
        &mut r,
        "ann",
        MeetingOp::Chat {
            text: "Truck KZ 123 is at the gate".into(),
        },
    );
    assert_eq!(minutes(&out), [MinutesKind::Chat]);
    for who in ["ann", "host"] {
        assert!(matches!(
            to(&out, who).as_slice(),
            [MeetingEvent::Chat { line }] if line.from == "ann" && line.seq == 2
        ));
    }
    for bad in ["", "   ", "bell\u{7}"] {
        let err = op(&mut r, "ann", MeetingOp::Chat { text: bad.into() }).expect_err(bad);
        assert_eq!(err.code(), ErrorCode::BadRequest, "{bad:?}");
        assert!(err.to_string().starts_with("text:"), "{err}");
    }
    let long = "x".repeat(MAX_TEXT_CHARS + 1);
    assert!(op(&mut r, "ann", MeetingOp::Chat { text: long }).is_err());

    // A joiner gets the chat so far.
    ok(&mut r, "bob", MeetingOp::Join);
    let out = ok(
        &mut r,
        "host",
        MeetingOp::Admit {
            login: "bob".into(),
        },
    );
    assert!(matches!(
        to(&out, "bob").as_slice(),
        [MeetingEvent::Admitted { chat, .. }] if chat.len() == 1
    ));
}

#[test]
fn the_host_mutes_removes_and_records_decisions_and_nobody_else_may() {
    let mut r = with_ann();
    let mute = |login: &str, muted| MeetingOp::Mute {
        login: login.into(),
        muted,
    };
    assert_eq!(
        op(&mut r, "ann", mute("host", true)),
        Err(RoomError::NotHost)
    );
    let out = ok(&mut r, "host", mute("ann", true));
    assert!(matches!(
        to(&out, "ann").as_slice(),
        [MeetingEvent::Muted { login, muted: true, by }] if login == "ann" && by == "host"
    ));
    let err = op(&mut r, "host", mute("ann", false)).expect_err("no unmuting others");
    assert_eq!(err.code(), ErrorCode::BadRequest);
    ok(&mut r, "ann", mute("ann", false));

    let decision = MeetingOp::Decision {
        text: "Joint inspection on Monday".into(),
    };
    assert_eq!(op(&mut r, "ann", decision.clone()), Err(RoomError::NotHost));
    assert_eq!(
        minutes(&ok(&mut r, "host", decision)),
        [MinutesKind::Decision]
    );

    let out = ok(&mut r, "ann", MeetingOp::Hand { raised: true });
    assert_eq!(
        to(&out, "host"),
        [MeetingEvent::Hand {
            login: "ann".into(),
            raised: true
        }]
    );

    let remove = |login: &str| MeetingOp::Remove {
        login: login.into(),
    };
    assert_eq!(op(&mut r, "ann", remove("host")), Err(RoomError::NotHost));
    assert!(op(&mut r, "host", remove("host")).is_err());
    let out = ok(&mut r, "host", remove("ann"));
    assert_eq!(minutes(&out), [MinutesKind::Removed]);
    assert_eq!(media(&out), [MediaCommand::Leave { login: l("ann") }]);
    assert_eq!(
        to(&out, "ann"),
        [MeetingEvent::Removed { by: "host".into() }]
    );
    assert_eq!(
        to(&out, "host"),
        [MeetingEvent::ParticipantLeft {
            login: "ann".into(),
            reason: LeaveReason::Removed
        }]
    );
    assert!(!r.is_present("ann"));
    assert_eq!(op(&mut r, "ann", MeetingOp::Join), Err(RoomError::Removed));
    // After a refusal, everything is as it was.
    assert_eq!(r.members().collect::<Vec<_>>(), ["host"]);
}

#[test]
fn leaving_and_rejoining_skips_the_lobby_and_disconnects_are_leaves() {
    let mut r = with_ann();
    let out = ok(&mut r, "ann", MeetingOp::Leave);
    assert_eq!(to(&out, "ann"), [MeetingEvent::Left]);
    assert_eq!(minutes(&out), [MinutesKind::Left]);
    assert_eq!(
        to(&out, "host"),
        [MeetingEvent::ParticipantLeft {
            login: "ann".into(),
            reason: LeaveReason::Left
        }]
    );
    let out = ok(&mut r, "ann", MeetingOp::Join);
    assert!(matches!(
        to(&out, "ann").as_slice(),
        [MeetingEvent::Admitted { .. }]
    ));

    let out = r
        .handle(T, Input::Disconnected { login: l("ann") })
        .expect("a disconnect is always accepted");
    assert!(
        to(&out, "ann").is_empty(),
        "nobody to tell on a dead socket"
    );
    assert_eq!(
        to(&out, "host"),
        [MeetingEvent::ParticipantLeft {
            login: "ann".into(),
            reason: LeaveReason::Disconnected
        }]
    );
    assert_eq!(
        op(&mut r, "ann", MeetingOp::Leave).map(|_| ()),
        Err(RoomError::OutOfOrder(
            "Join the meeting (and be admitted) first."
        ))
    );
}

#[test]
fn the_host_leaving_keeps_the_meeting_and_the_lobby_waits_for_it() {
    let mut r = with_ann();
    ok(&mut r, "host", MeetingOp::Leave);
    assert!(!r.is_ended());
    ok(
        &mut r,
        "ann",
        MeetingOp::Chat {
            text: "still here".into(),
        },
    );
    let out = ok(&mut r, "bob", MeetingOp::Join);
    assert_eq!(to(&out, "bob"), [MeetingEvent::InLobby]);
    assert!(to(&out, "host").is_empty(), "the host is away");
    let out = ok(&mut r, "host", MeetingOp::Join);
    assert!(to(&out, "host").iter().any(
        |e| matches!(e, MeetingEvent::Knocking { participant } if participant.login == "bob")
    ));
}

#[test]
fn ending_tells_everyone_cuts_media_and_refuses_everything_after() {
    let mut r = with_ann();
    ok(&mut r, "bob", MeetingOp::Join);
    assert_eq!(op(&mut r, "ann", MeetingOp::End), Err(RoomError::NotHost));
    let out = ok(&mut r, "host", MeetingOp::End);
    assert_eq!(minutes(&out), [MinutesKind::Ended]);
    for who in ["host", "ann", "bob"] {
        assert_eq!(to(&out, who), [MeetingEvent::Ended { at: T }], "{who}");
    }
    assert_eq!(media(&out).len(), 2, "both members' media is closed");
    assert_eq!(out.last(), Some(&Output::Ended { at: T }));
    assert!(r.is_ended() && r.is_empty());
    let err = op(&mut r, "host", MeetingOp::Join).expect_err("ended");
    assert_eq!(err.code(), ErrorCode::MeetingEnded);
    assert!(r.end(T, &l("host")).is_empty(), "ending twice does nothing");
}

#[test]
fn signaling_must_come_in_order_and_a_refusal_changes_nothing() {
    let mut r = with_ann();
    let offer = || MeetingOp::Offer {
        sdp: "v=0\r\n".into(),
    };
    let answer = || MeetingOp::Answer {
        sdp: "v=0\r\n".into(),
    };
    let cand = || MeetingOp::Candidate {
        candidate: IceCandidate {
            candidate: "candidate:1 1 udp 1 127.0.0.1 9 typ host".into(),
            sdp_mid: Some("0".into()),
            sdp_mline_index: Some(0),
            username_fragment: None,
        },
    };

    // Not in the room: offer before join.
    assert_eq!(
        op(&mut r, "bob", offer()).map(|_| ()).map_err(|e| e.code()),
        Err(ErrorCode::OutOfOrder)
    );
    // Answer with no offer from the node, candidate with no session.
    assert_eq!(
        op(&mut r, "ann", answer()).map_err(|e| e.code()),
        Err(ErrorCode::OutOfOrder)
    );
    assert_eq!(
        op(&mut r, "ann", cand()).map_err(|e| e.code()),
        Err(ErrorCode::OutOfOrder)
    );
    assert_eq!(
        op(&mut r, "ann", MeetingOp::Offer { sdp: " ".into() }).map_err(|e| e.to_string()),
        Err("sdp: is empty".into())
    );

    let out = ok(&mut r, "ann", offer());
    assert_eq!(
        media(&out),
        [MediaCommand::Offer {
            login: l("ann"),
            sdp: "v=0\r\n".into()
        }]
    );
    // Candidates may trickle while the offer is being answered.
    ok(&mut r, "ann", cand());
    assert_eq!(
        op(&mut r, "ann", offer()).map_err(|e| e.code()),
        Err(ErrorCode::OutOfOrder)
    );
    let out = r
        .handle(
            T,
            Input::MediaAnswer {
                login: l("ann"),
                sdp: "answer".into(),
            },
        )
        .expect("media answer");
    assert_eq!(
        to(&out, "ann"),
        [MeetingEvent::Answer {
            sdp: "answer".into()
        }]
    );

    // Server-initiated renegotiation: the node offers, the client answers once.
    let out = r
        .handle(
            T,
            Input::MediaOffer {
                login: l("ann"),
                sdp: "reoffer".into(),
            },
        )
        .expect("media offer");
    assert_eq!(
        to(&out, "ann"),
        [MeetingEvent::Offer {
            sdp: "reoffer".into()
        }]
    );
    assert_eq!(
        op(&mut r, "ann", offer()).map_err(|e| e.code()),
        Err(ErrorCode::OutOfOrder)
    );
    assert_eq!(media(&ok(&mut r, "ann", answer())).len(), 1);
    assert_eq!(
        op(&mut r, "ann", answer()).map_err(|e| e.code()),
        Err(ErrorCode::OutOfOrder)
    );

    // A media failure goes to that participant only, and it may offer again.
    ok(&mut r, "ann", offer());
    let out = r
        .handle(
            T,
            Input::MediaFailed {
                login: l("ann"),
                error: sis_proto::ApiError::new(ErrorCode::MediaUnavailable, "no SFU"),
            },
        )
        .expect("failure");
    assert_eq!(out.len(), 1);
    assert!(
        matches!(&to(&out, "ann")[0], MeetingEvent::Error { error } if error.code == ErrorCode::MediaUnavailable)
    );
    ok(&mut r, "ann", offer());

    // Media events for someone gone are dropped.
    assert!(
        r.handle(
            T,
            Input::MediaOffer {
                login: l("bob"),
                sdp: "x".into()
            }
        )
        .expect("ignored")
        .is_empty()
    );
}

#[test]
fn screen_sharing_is_announced_with_its_track() {
    let mut r = with_ann();
    let out = ok(
        &mut r,
        "ann",
        MeetingOp::ScreenShare {
            on: true,
            track: Some("screen-1".into()),
        },
    );
    assert_eq!(
        to(&out, "host"),
        [MeetingEvent::ScreenShare {
            login: "ann".into(),
            on: true,
            track: Some("screen-1".into())
        }]
    );
    ok(&mut r, "bob", MeetingOp::Join);
    let out = ok(
        &mut r,
        "host",
        MeetingOp::Admit {
            login: "bob".into(),
        },
    );
    let MeetingEvent::Admitted { participants, .. } = &to(&out, "bob")[0] else {
        panic!("bob is admitted");
    };
    let ann = participants
        .iter()
        .find(|p| p.login == "ann")
        .expect("ann is listed");
    assert!(ann.screen_share && ann.screen_track.as_deref() == Some("screen-1"));
}

#[test]
fn the_minutes_the_room_emits_form_a_valid_chain() {
    let mut r = room();
    let mut entries = Vec::new();
    let mut keep = |out: Vec<Output>| {
        for o in out {
            if let Output::Minutes(e) = o {
                entries.push(e);
            }
        }
    };
    keep(ok(&mut r, "host", MeetingOp::Join));
    keep(ok(&mut r, "ann", MeetingOp::Join));
    keep(ok(
        &mut r,
        "host",
        MeetingOp::Admit {
            login: "ann".into(),
        },
    ));
    keep(ok(&mut r, "ann", MeetingOp::Chat { text: "hi".into() }));
    keep(ok(&mut r, "ann", MeetingOp::Leave));
    keep(ok(&mut r, "host", MeetingOp::End));
    let kinds: Vec<_> = entries.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [
            MinutesKind::Joined,
            MinutesKind::Joined,
            MinutesKind::Chat,
            MinutesKind::Left,
            MinutesKind::Ended
        ]
    );
    let head = verify_chain(ID, &entries).expect("the room chains correctly");
    assert_eq!(head, r.head());
}

#[test]
fn chat_is_rate_limited_per_participant_with_a_clear_error() {
    let mut r = room();
    ok(&mut r, "host", MeetingOp::Join);
    let chat = |r: &mut Room, login: &str, at: i64| {
        r.handle(
            at,
            Input::Client {
                login: l(login),
                name: format!("Officer {login}"),
                op: MeetingOp::Chat {
                    text: "line".into(),
                },
            },
        )
    };
    for i in 0..CHAT_BURST {
        chat(&mut r, "host", T + i).unwrap_or_else(|e| panic!("message {i} of the burst: {e}"));
    }
    let refused = chat(&mut r, "host", T + CHAT_BURST).expect_err("past the burst");
    assert_eq!(refused, RoomError::ChatTooFast);
    assert_eq!(refused.to_api().code, ErrorCode::RateLimited);
    assert!(refused.to_string().starts_with("text: "), "{refused}");
    // A refused message is not in the minutes: the head did not move.
    let head = r.head;
    let _ = chat(&mut r, "host", T + CHAT_BURST + 1);
    assert_eq!(r.head, head);
    // One message a second goes on.
    chat(&mut r, "host", T + CHAT_REFILL_MS + 5).expect("a second later, one more");
    assert_eq!(
        chat(&mut r, "host", T + CHAT_REFILL_MS + 6),
        Err(RoomError::ChatTooFast)
    );
}

fn stays(outputs: &[Output]) -> Vec<Output> {
    outputs
        .iter()
        .filter(|o| matches!(o, Output::StayBegan { .. } | Output::StayEnded { .. }))
        .cloned()
        .collect()
}

/// Who may read which minutes depends on the stays; the room says when each begins and
/// ends and why, so nothing around it reads that from the minutes' text.
#[test]
fn stays_begin_on_entering_and_end_with_their_reason() {
    let mut r = room();
    let out = ok(&mut r, "host", MeetingOp::Join);
    let began = |login: &str| Output::StayBegan {
        login: l(login),
        at: T,
    };
    let ended = |login: &str, why| Output::StayEnded {
        login: l(login),
        at: T,
        why,
    };
    assert_eq!(stays(&out), [began("host")]);
    // Waiting in the lobby is no stay.
    let out = ok(&mut r, "ann", MeetingOp::Join);
    assert_eq!(stays(&out), []);
    let admit = MeetingOp::Admit {
        login: "ann".into(),
    };
    assert_eq!(stays(&ok(&mut r, "host", admit)), [began("ann")]);
    let out = r
        .handle(T, Input::Disconnected { login: l("ann") })
        .unwrap();
    assert_eq!(stays(&out), [ended("ann", LeaveReason::Disconnected)]);
    assert_eq!(stays(&ok(&mut r, "ann", MeetingOp::Join)), [began("ann")]);
    let out = ok(&mut r, "ann", MeetingOp::Leave);
    assert_eq!(stays(&out), [ended("ann", LeaveReason::Left)]);
    ok(&mut r, "ann", MeetingOp::Join);
    let remove = MeetingOp::Remove {
        login: "ann".into(),
    };
    let out = ok(&mut r, "host", remove);
    assert_eq!(stays(&out), [ended("ann", LeaveReason::Removed)]);
}
