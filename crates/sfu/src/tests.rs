//! The SFU's bookkeeping through its API, on a loopback socket: no media flows, and the only
//! peer is an in-process client connection that makes offers (the end-to-end tests in
//! `tests/` exchange real media with bots).

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use tokio::sync::mpsc;
use webrtc::api::APIBuilder;
use webrtc::peer_connection::RTCPeerConnection;
use webrtc::peer_connection::sdp::session_description::RTCSessionDescription;
use webrtc::peer_connection::signaling_state::RTCSignalingState;
use webrtc::rtp_transceiver::rtp_codec::RTPCodecType;

use crate::error::ErrorKind;
use crate::{ParticipantId, RoomId, Sfu, SfuConfig, SfuError, SfuEvent, SfuEventKind};

async fn sfu() -> (Sfu, mpsc::UnboundedReceiver<SfuEvent>) {
    let socket = tokio::net::UdpSocket::bind((Ipv4Addr::LOCALHOST, 0))
        .await
        .expect("a loopback UDP port");
    let config = SfuConfig {
        announced_ips: vec![IpAddr::V4(Ipv4Addr::LOCALHOST)],
        ..Default::default()
    };
    let (tx, rx) = mpsc::unbounded_channel();
    (Sfu::new(socket, config, tx).expect("an SFU"), rx)
}

fn ids(room: &str, participant: &str) -> (RoomId, ParticipantId) {
    (
        RoomId(room.to_owned()),
        ParticipantId(participant.to_owned()),
    )
}

/// A client connection with one receive-only audio m-line (the SFU's codecs, no media).
async fn client() -> RTCPeerConnection {
    let api = APIBuilder::new()
        .with_media_engine(crate::engine::media_engine().expect("codecs"))
        .build();
    let pc = api
        .new_peer_connection(Default::default())
        .await
        .expect("a client connection");
    pc.add_transceiver_from_kind(RTPCodecType::Audio, None)
        .await
        .expect("an audio m-line");
    pc
}

/// The client's next offer, with its candidates.
async fn offer(pc: &RTCPeerConnection) -> String {
    let offer = pc.create_offer(None).await.expect("an offer");
    let mut gathered = pc.gathering_complete_promise().await;
    pc.set_local_description(offer).await.expect("set offer");
    let _ = tokio::time::timeout(Duration::from_secs(5), gathered.recv()).await;
    pc.local_description().await.expect("described").sdp
}

/// Offers without ICE credentials: parsed, but unusable.
fn without_ice(sdp: &str) -> String {
    sdp.split_inclusive("\r\n")
        .filter(|l| !l.starts_with("a=ice-ufrag") && !l.starts_with("a=ice-pwd"))
        .collect()
}

#[tokio::test]
async fn calls_about_someone_absent_are_refused_as_not_joined() {
    let (sfu, _events) = sfu().await;
    let (room, who) = ids("1", "nobody");
    let not_joined = |r: Result<_, SfuError>| {
        let e = r.expect_err("nobody is in the room");
        assert_eq!(e.kind(), ErrorKind::NotJoined, "{e}");
        assert!(e.is_client_error());
    };
    not_joined(sfu.offer(&room, &who, "v=0".to_owned()).await.map(drop));
    not_joined(sfu.answer(&room, &who, "v=0".to_owned()).await);
    not_joined(sfu.leave(&room, &who).await);
    let candidate = crate::IceCandidate {
        candidate: "candidate:1 1 udp 1 127.0.0.1 9 typ host".to_owned(),
        sdp_mid: Some("0".to_owned()),
        sdp_mline_index: Some(0),
        username_fragment: None,
    };
    not_joined(sfu.candidate(&room, &who, candidate).await);
    assert!(sfu.participants(&room).await.is_empty());
    let stats = sfu.stats().await;
    assert_eq!((stats.rooms, stats.participants), (0, 0));
    sfu.close().await;
}

#[tokio::test]
async fn a_refused_first_offer_leaves_no_room_and_no_connection() {
    let (sfu, _events) = sfu().await;
    let (room, who) = ids("2", "ann");
    let pc = client().await;
    for bad in [
        "not an SDP at all".to_owned(),
        without_ice(&offer(&pc).await),
    ] {
        let error = sfu
            .join(room.clone(), who.clone(), bad)
            .await
            .expect_err("an unusable offer");
        assert_eq!(error.kind(), ErrorKind::InvalidSdp, "{error}");
        assert!(sfu.participants(&room).await.is_empty());
        assert_eq!(sfu.stats().await.rooms, 0, "no empty room is kept");
    }
    // The refused connections are closed and freed.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while sfu.stats().await.connections > 0 {
        assert!(tokio::time::Instant::now() < deadline, "connections left");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The same participant joins with a usable offer afterwards.
    let answer = sfu
        .join(room.clone(), who.clone(), offer(&pc).await)
        .await
        .expect("a usable offer is answered");
    assert!(answer.contains("a=ice-ufrag"), "{answer}");
    assert_eq!(sfu.participants(&room).await, vec![who.clone()]);
    let _ = pc.close().await;
    sfu.close().await;
}

#[tokio::test]
async fn membership_and_counts_follow_joins_and_leaves() {
    let (sfu, _events) = sfu().await;
    let (room, ann) = ids("3", "ann");
    let bob = ParticipantId("bob".to_owned());
    let (a, b) = (client().await, client().await);
    sfu.join(room.clone(), ann.clone(), offer(&a).await)
        .await
        .expect("ann joins");
    sfu.join(room.clone(), bob.clone(), offer(&b).await)
        .await
        .expect("bob joins");
    let again = sfu
        .join(room.clone(), ann.clone(), offer(&a).await)
        .await
        .expect_err("a second join of the same participant");
    assert_eq!(again.kind(), ErrorKind::AlreadyJoined);
    // Sorted, whatever the order of joining.
    assert_eq!(
        sfu.participants(&room).await,
        vec![ann.clone(), bob.clone()]
    );
    let stats = sfu.stats().await;
    assert_eq!((stats.rooms, stats.participants), (1, 2));
    assert_eq!(
        stats.publications, 0,
        "receive-only clients publish nothing"
    );
    assert!(
        stats
            .transceivers
            .contains_key(&(room.clone(), ann.clone()))
    );
    // Another room is another room.
    assert!(sfu.participants(&RoomId("4".to_owned())).await.is_empty());

    sfu.leave(&room, &ann).await.expect("ann leaves");
    assert_eq!(sfu.participants(&room).await, vec![bob.clone()]);
    let twice = sfu.leave(&room, &ann).await.expect_err("leaving twice");
    assert_eq!(twice.kind(), ErrorKind::NotJoined);
    sfu.leave(&room, &bob).await.expect("bob leaves");
    assert_eq!(sfu.stats().await.rooms, 0, "the empty room is gone");
    for pc in [a, b] {
        let _ = pc.close().await;
    }
    sfu.close().await;
}

#[tokio::test]
async fn a_refused_later_offer_leaves_the_connection_stable_and_usable() {
    let (sfu, _events) = sfu().await;
    let (room, ann) = ids("5", "ann");
    let pc = client().await;
    let answer = sfu
        .join(room.clone(), ann.clone(), offer(&pc).await)
        .await
        .expect("ann joins");
    pc.set_remote_description(
        RTCSessionDescription::answer(answer).expect("the SFU's answer parses"),
    )
    .await
    .expect("the client takes the answer");

    let bad = without_ice(&offer(&pc).await);
    let error = sfu
        .offer(&room, &ann, bad)
        .await
        .expect_err("an offer without ICE credentials");
    assert_eq!(error.kind(), ErrorKind::InvalidSdp);
    // The library's text is kept for the log, and is not the client's message.
    assert!(error.to_string().contains("refused"), "{error}");
    assert!(!ErrorKind::InvalidSdp.message().contains("ice"));
    let peer = sfu.inner.peer(&room, &ann).await.expect("still joined");
    assert_eq!(peer.pc.signaling_state(), RTCSignalingState::Stable);

    // The same offer past the check, as if the check missed it: the stack fails half-way,
    // and the connection is brought back to stable all the same.
    let unchecked =
        RTCSessionDescription::offer(without_ice(&offer(&pc).await)).expect("it parses");
    let inner = sfu.inner.clone();
    let half_way = sfu
        .thread
        .run(async move {
            let peer = inner
                .peer(&RoomId("5".to_owned()), &ParticipantId("ann".to_owned()))
                .await?;
            let mut negotiation = peer.negotiation.lock().await;
            peer.apply_offer(&mut negotiation, unchecked).await
        })
        .await
        .expect("the SFU runs");
    let error = half_way.expect_err("the stack refuses it");
    assert_eq!(error.kind(), ErrorKind::InvalidSdp, "{error}");
    assert_eq!(peer.pc.signaling_state(), RTCSignalingState::Stable);

    // The client's next usable offer is answered. (This stack has no rollback: the client
    // offers again from have-local-offer.)
    let answer = sfu
        .offer(&room, &ann, offer(&pc).await)
        .await
        .expect("the next usable offer is answered");
    assert_eq!(peer.pc.signaling_state(), RTCSignalingState::Stable);
    pc.set_remote_description(RTCSessionDescription::answer(answer).expect("parses"))
        .await
        .expect("the client takes the answer");
    let _ = pc.close().await;
    sfu.close().await;
}

#[tokio::test]
async fn an_invalid_config_is_refused_before_anything_starts() {
    let socket = tokio::net::UdpSocket::bind((Ipv4Addr::LOCALHOST, 0))
        .await
        .expect("a loopback UDP port");
    let config = SfuConfig {
        disconnect_grace: Duration::ZERO,
        ..Default::default()
    };
    let (tx, _rx) = mpsc::unbounded_channel();
    let error = Sfu::new(socket, config, tx).expect_err("a zero grace");
    assert!(matches!(error, SfuError::Config(_)), "{error}");
    assert_eq!(error.kind(), ErrorKind::Unavailable);
}

#[test]
fn error_kinds_have_distinct_codes_and_messages_that_name_no_library() {
    let kinds = [
        ErrorKind::AlreadyJoined,
        ErrorKind::NotJoined,
        ErrorKind::UnexpectedAnswer,
        ErrorKind::InvalidSdp,
        ErrorKind::InvalidCandidate,
        ErrorKind::Unavailable,
        ErrorKind::Internal,
    ];
    let codes: std::collections::HashSet<_> = kinds.iter().map(|k| k.code()).collect();
    assert_eq!(codes.len(), kinds.len(), "codes are distinct");
    for kind in kinds {
        assert!(kind.code().starts_with("sfu_"), "{kind}");
        assert_eq!(kind.to_string(), kind.code());
        let message = kind.message().to_lowercase();
        for library in ["webrtc", "ice", "dtls", "sdp:", "err", "rtc"] {
            assert!(
                !message
                    .split(|c: char| !c.is_alphanumeric() && c != ':')
                    .any(|w| w == library),
                "{kind}: {message}"
            );
        }
        assert!(message.ends_with('.'), "a sentence: {message}");
    }
}

#[test]
fn errors_map_to_their_kind() {
    let (room, participant) = ids("1", "ann");
    let cases = [
        (
            SfuError::NotJoined {
                room: room.clone(),
                participant: participant.clone(),
            },
            ErrorKind::NotJoined,
            true,
        ),
        (
            SfuError::InvalidSdp {
                kind: crate::SdpKind::Offer,
                source: webrtc::Error::ErrSessionDescriptionMissingIceUfrag,
            },
            ErrorKind::InvalidSdp,
            true,
        ),
        (
            SfuError::InvalidCandidate(webrtc::Error::ErrICECandidateTypeUnknown),
            ErrorKind::InvalidCandidate,
            true,
        ),
        (SfuError::Stopped, ErrorKind::Unavailable, false),
        (SfuError::NoLocalDescription, ErrorKind::Internal, false),
        (
            SfuError::WebRtc(webrtc::Error::ErrConnectionClosed),
            ErrorKind::Internal,
            false,
        ),
    ];
    for (error, kind, client) in cases {
        assert_eq!(error.kind(), kind, "{error}");
        assert_eq!(error.is_client_error(), client, "{error}");
    }
    // The log keeps the library's words.
    let invalid = SfuError::InvalidSdp {
        kind: crate::SdpKind::Offer,
        source: webrtc::Error::ErrSessionDescriptionMissingIceUfrag,
    };
    assert!(
        invalid
            .to_string()
            .contains(&webrtc::Error::ErrSessionDescriptionMissingIceUfrag.to_string())
    );
}

#[test]
fn ids_display_as_given_and_events_carry_them() {
    let (room, participant) = ids("42", "ann.kz");
    assert_eq!(room.to_string(), "42");
    assert_eq!(participant.to_string(), "ann.kz");
    let event = SfuEvent {
        room,
        participant,
        kind: SfuEventKind::Dropped {
            reason: crate::DropReason::Disconnected,
        },
    };
    assert!(matches!(
        event.kind,
        SfuEventKind::Dropped {
            reason: crate::DropReason::Disconnected
        }
    ));
    assert_ne!(
        crate::DropReason::Disconnected,
        crate::DropReason::ConnectionFailed
    );
}
