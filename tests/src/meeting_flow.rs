//! A meeting as a host runs it in the browser, with a guest on the other end of the node's
//! WebSocket: create, admit from the lobby, chat both ways, a raised hand, a decision,
//! mute, remove, end; then the signed minutes hold what was said.
//!
//! The node runs without a media server, so the page must say media is unavailable while
//! everything else works. That state is reached only after the browser opened its (fake)
//! camera and microphone and sent an offer, so it also shows the page's WebRTC half ran.

use std::time::Duration;

use anyhow::{Context, bail, ensure};
use fantoccini::{Client, Locator};
use sis_proto::meeting::{MeetingEvent, MeetingId, MeetingOp, MinutesKind};

use crate::flow::{screenshot, type_into, wait_for, wait_for_text};
use crate::node::Account;
use crate::signal::Officer;

const WAIT: Duration = Duration::from_secs(30);
const TITLE: &str = "Consignment held at Khorgos";

pub(crate) async fn sign_in(c: &Client, account: &Account<'_>) -> anyhow::Result<()> {
    wait_for(c, "#login").await?;
    type_into(c, "#login", account.login).await?;
    type_into(c, "#password", account.password).await?;
    wait_for(c, "#login-submit").await?.click().await?;
    wait_for(c, "#shell").await?;
    Ok(())
}

pub(crate) async fn click(c: &Client, css: &str) -> anyhow::Result<()> {
    wait_for(c, css)
        .await?
        .click()
        .await
        .with_context(|| format!("clicking {css}"))?;
    Ok(())
}

/// Waits until nothing matches `css`.
async fn wait_gone(c: &Client, css: &str) -> anyhow::Result<()> {
    let deadline = tokio::time::Instant::now() + WAIT;
    while tokio::time::Instant::now() < deadline {
        if c.find(Locator::Css(css)).await.is_err() {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bail!("{css} is still shown")
}

pub async fn host_with_a_guest(
    c: &Client,
    node_url: &str,
    host: &Account<'_>,
    guest: &Account<'_>,
) -> anyhow::Result<()> {
    sign_in(c, host).await?;
    click(c, "#nav-meetings").await?;
    wait_for(c, "#meetings-empty").await?;
    type_into(c, "#meeting-new-title", TITLE).await?;
    type_into(c, "#meeting-new-case", "KZ-2026-0042").await?;
    type_into(c, "#meeting-new-invited", guest.login).await?;
    click(c, "#meeting-create").await?;

    // The host enters at once; its media is refused by a node without a media server.
    let room = wait_for(c, "#meeting-room[data-phase='in']").await?;
    let id: i64 = room
        .attr("data-meeting-id")
        .await?
        .context("the room names its meeting")?
        .parse()?;
    let meeting = MeetingId(id);
    wait_for_text(c, "#meeting-title", "the title", |t| t == TITLE).await?;
    wait_for(c, "#meeting-media-status[data-state='unavailable']")
        .await
        .context("the refused offer must show as media unavailable")?;
    wait_for_text(c, "#meeting-media-status", "the media sentence", |t| {
        t.contains("Media unavailable")
    })
    .await?;
    wait_for(c, &format!(".tile[data-login='{}']", host.login)).await?;

    // The guest knocks; the host admits it from the lobby.
    let guest_officer = Officer::sign_in(node_url, guest.login, guest.password).await?;
    let mut other = guest_officer.connect().await?;
    other.send(meeting, MeetingOp::Join).await?;
    other
        .until(meeting, "the lobby", |e| *e == MeetingEvent::InLobby)
        .await?;
    let entry = format!("#meeting-lobby .lobby-entry[data-login='{}']", guest.login);
    wait_for(c, &entry).await?;
    screenshot(c, "chromium-meeting-lobby").await?;
    click(c, &format!("button.admit[data-login='{}']", guest.login)).await?;
    let admitted = other
        .until(meeting, "being admitted", |e| {
            matches!(e, MeetingEvent::Admitted { .. })
        })
        .await?;
    let MeetingEvent::Admitted { participants, .. } = admitted else {
        unreachable!("matched above")
    };
    ensure!(
        participants.iter().any(|p| p.login == host.login && p.host),
        "the guest sees the host in the room: {participants:?}"
    );
    wait_gone(c, &entry).await?;
    let guest_tile = format!(".tile[data-login='{}']", guest.login);
    wait_for_text(
        c,
        &format!("{guest_tile} .tile-name"),
        "the guest's name",
        |t| t == guest.name,
    )
    .await?;

    // Chat both ways.
    other
        .send(
            meeting,
            MeetingOp::Chat {
                text: "The seals are intact.".into(),
            },
        )
        .await?;
    wait_for_text(
        c,
        &format!(".chat-line[data-from='{}'] .chat-text", guest.login),
        "the guest's line",
        |t| t == "The seals are intact.",
    )
    .await?;
    type_into(
        c,
        "#meeting-chat-input",
        "Release the truck after inspection.",
    )
    .await?;
    click(c, "#meeting-chat-send").await?;
    other
        .until(meeting, "the host's line", |e| {
            matches!(e, MeetingEvent::Chat { line }
                if line.from == host.login && line.text == "Release the truck after inspection.")
        })
        .await?;

    // A raised hand shows on the guest's tile; the host's own hand reaches the guest.
    other
        .send(meeting, MeetingOp::Hand { raised: true })
        .await?;
    wait_for(c, &format!("{guest_tile} .badge-hand")).await?;
    click(c, "#meeting-hand").await?;
    wait_for(
        c,
        &format!(".tile[data-login='{}'] .badge-hand", host.login),
    )
    .await?;
    other
        .until(meeting, "the host's hand", |e| {
            *e == MeetingEvent::Hand {
                login: host.login.into(),
                raised: true,
            }
        })
        .await?;

    // A decision, recorded by the host.
    type_into(
        c,
        "#meeting-decision-input",
        "Inspect on arrival at Almaty.",
    )
    .await?;
    click(c, "#meeting-decision-record").await?;
    wait_for_text(c, "#meeting-decisions .decision", "the decision", |t| {
        t == "Inspect on arrival at Almaty."
    })
    .await?;
    other
        .until(meeting, "the decision", |e| {
            matches!(e, MeetingEvent::Decision { text, .. } if text == "Inspect on arrival at Almaty.")
        })
        .await?;

    // The host mutes the guest, then removes it.
    click(
        c,
        &format!("button.mute-participant[data-login='{}']", guest.login),
    )
    .await?;
    other
        .until(meeting, "being muted", |e| {
            *e == MeetingEvent::Muted {
                login: guest.login.into(),
                muted: true,
                by: host.login.into(),
            }
        })
        .await?;
    wait_for(c, &format!("{guest_tile} .badge-muted")).await?;
    screenshot(c, "chromium-meeting-room").await?;
    click(
        c,
        &format!("button.remove-participant[data-login='{}']", guest.login),
    )
    .await?;
    other
        .until(
            meeting,
            "being removed",
            |e| matches!(e, MeetingEvent::Removed { by } if by == host.login),
        )
        .await?;
    wait_gone(c, &guest_tile).await?;

    // The host ends the meeting; the page says so, in Russian too.
    click(c, "#meeting-end").await?;
    wait_for(c, "#meeting-room[data-phase='ended']").await?;
    wait_for(c, "#meeting-media-status[data-state='off']").await?;
    wait_for_text(c, "#meeting-status", "the end", |t| {
        t.contains("The meeting has ended")
    })
    .await?;
    wait_for(c, "#lang-switch")
        .await?
        .select_by_value("ru")
        .await?;
    wait_for_text(c, "#meeting-status", "the end in Russian", |t| {
        t.contains("Совещание завершено")
    })
    .await?;
    screenshot(c, "chromium-meeting-ended-ru").await?;
    wait_for(c, "#lang-switch")
        .await?
        .select_by_value("en")
        .await?;

    // The chat and the decision are kept with the meeting, in its signed minutes.
    let minutes = guest_officer.minutes(meeting).await?;
    ensure!(
        minutes.signature.is_some(),
        "an ended meeting's minutes are signed"
    );
    let said: Vec<(MinutesKind, Option<&str>)> = minutes
        .entries
        .iter()
        .filter(|e| matches!(e.kind, MinutesKind::Chat | MinutesKind::Decision))
        .map(|e| (e.kind, e.text.as_deref()))
        .collect();
    ensure!(
        said == [
            (MinutesKind::Chat, Some("The seals are intact.")),
            (
                MinutesKind::Chat,
                Some("Release the truck after inspection.")
            ),
            (MinutesKind::Decision, Some("Inspect on arrival at Almaty.")),
        ],
        "the minutes hold the chat and the decision in order: {said:?}"
    );
    ensure!(
        minutes
            .entries
            .iter()
            .any(|e| e.kind == MinutesKind::Removed && e.subject.as_deref() == Some(guest.login)),
        "the removal is in the minutes"
    );

    // Back to the list, which shows the meeting as ended.
    click(c, "#meeting-back").await?;
    wait_for(c, &format!("tr.meeting-row[data-meeting-id='{id}']")).await?;
    Ok(())
}
