//! A meeting as a host runs it in the browser, with a guest on the other end of the node's
//! WebSocket: create (after the node refused an empty title and an unknown invitee, each
//! message shown beside its field), admit from the lobby, chat both ways, a raised hand, a
//! decision, mute, remove, end; then the signed minutes hold what was said, and the list
//! offers the ended meeting's minutes rather than opening it. Then the browser's officer
//! waits in the lobby of the guest's meeting and is admitted. Before all that, the shell in
//! an 800 px window: the navigation folded behind its toggle, the brand whole.
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

/// Whether `css` is shown (found and displayed).
async fn shown(c: &Client, css: &str) -> anyhow::Result<bool> {
    match c.find(Locator::Css(css)).await {
        Ok(el) => Ok(el.is_displayed().await?),
        Err(_) => Ok(false),
    }
}

/// Waits until `css` is shown (`want`) or not.
async fn wait_shown(c: &Client, css: &str, want: bool) -> anyhow::Result<()> {
    let deadline = tokio::time::Instant::now() + WAIT;
    while tokio::time::Instant::now() < deadline {
        if shown(c, css).await? == want {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bail!("{css} is {}shown", if want { "not " } else { "still " })
}

/// A JavaScript expression's value as JSON.
async fn eval(c: &Client, expression: &str) -> anyhow::Result<serde_json::Value> {
    c.execute(&format!("return {expression};"), vec![])
        .await
        .with_context(|| format!("evaluating {expression}"))
}

/// Whether the brand in the top bar is shown whole and clear of the officer's details.
async fn brand_whole(c: &Client, language: &str) -> anyhow::Result<()> {
    let brand = eval(
        c,
        "(() => { const b = document.querySelector('.topbar .brand'); \
         const m = b.querySelector('.brand-mark').getBoundingClientRect(); \
         const o = document.querySelector('.topbar .officer').getBoundingClientRect(); \
         return {clipped: b.scrollWidth > b.clientWidth + 1 \
                 || m.right > b.getBoundingClientRect().right + 1, \
                 overlaps: m.right > o.left + 1}; })()",
    )
    .await?;
    ensure!(
        brand["clipped"] == false && brand["overlaps"] == false,
        "the brand is clipped or under the officer's details at 800 px in {language}: {brand}"
    );
    Ok(())
}

/// The shell at 800 px: the navigation folds behind `#nav-toggle`, opens over the content
/// and folds again once a page is chosen; the brand is shown whole, clear of the officer's
/// details.
async fn narrow_window(c: &Client) -> anyhow::Result<()> {
    c.set_window_size(800, 900).await?;
    wait_shown(c, "#nav-toggle", true)
        .await
        .context("an 800 px window must offer the navigation behind a toggle")?;
    wait_shown(c, "#sidenav", false).await?;
    brand_whole(c, "English").await?;
    screenshot(c, "chromium-800px").await?;
    wait_for(c, "#lang-switch")
        .await?
        .select_by_value("ru")
        .await?;
    wait_for_text(c, "#logout", "the Russian labels", |t| t == "Выйти").await?;
    brand_whole(c, "Russian").await?;
    screenshot(c, "chromium-800px-ru").await?;
    wait_for(c, "#lang-switch")
        .await?
        .select_by_value("en")
        .await?;
    click(c, "#nav-toggle").await?;
    wait_shown(c, "#sidenav", true).await?;
    wait_for(c, "#nav-toggle[aria-expanded='true']").await?;
    screenshot(c, "chromium-800px-nav-open").await?;
    click(c, "#nav-meetings").await?;
    wait_shown(c, "#sidenav", false).await?;
    wait_for(c, "#nav-toggle[aria-expanded='false']").await?;
    wait_for_text(c, "#page-title", "the meetings page", |t| {
        t == "Video Conferencing"
    })
    .await?;

    c.set_window_size(1280, 900).await?;
    wait_shown(c, "#nav-toggle", false).await?;
    wait_shown(c, "#sidenav", true).await?;
    Ok(())
}

/// The node's refusals of the form, each shown beside the field it names.
async fn refused_fields(c: &Client) -> anyhow::Result<()> {
    click(c, "#meeting-create").await?;
    wait_for_text(
        c,
        "#meeting-new-title-error",
        "the node's title message",
        |t| t.contains("title: must be 1 to 200 printable characters"),
    )
    .await
    .context("an empty title must show the node's message beside the title")?;
    wait_for(c, "#meeting-new-title[aria-invalid='true']").await?;
    ensure!(
        !shown(c, "#meeting-create-error").await?,
        "a field's error is shown beside the field, not under the form"
    );
    screenshot(c, "chromium-meeting-title-refused").await?;

    type_into(c, "#meeting-new-title", TITLE).await?;
    wait_gone(c, "#meeting-new-title-error").await?;
    type_into(c, "#meeting-new-invited", "nobody.here").await?;
    click(c, "#meeting-create").await?;
    wait_for_text(
        c,
        "#meeting-new-invited-error",
        "the node's invitee message",
        |t| t.contains(r#"invited[0]: "nobody.here" is not an active officer of this node"#),
    )
    .await?;
    ensure!(
        !shown(c, "#meeting-new-title-error").await?,
        "the title was accepted this time"
    );
    Ok(())
}

pub async fn host_with_a_guest(
    c: &Client,
    node_url: &str,
    host: &Account<'_>,
    guest: &Account<'_>,
) -> anyhow::Result<()> {
    sign_in(c, host).await?;
    narrow_window(c).await?;
    wait_for(c, "#meetings-empty").await?;
    refused_fields(c).await?;
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

    // A decision, recorded by the host; its whole placeholder fits in the input.
    let fit = eval(
        c,
        "(() => { const i = document.getElementById('meeting-decision-input'); \
         const s = getComputedStyle(i); \
         const g = document.createElement('canvas').getContext('2d'); \
         g.font = s.font; \
         return {text: g.measureText(i.placeholder).width, \
                 room: i.clientWidth - parseFloat(s.paddingLeft) \
                       - parseFloat(s.paddingRight)}; })()",
    )
    .await?;
    let (text, room) = (fit["text"].as_f64(), fit["room"].as_f64());
    let (Some(text), Some(room)) = (text, room) else {
        bail!("the decision input was not measured: {fit}")
    };
    ensure!(
        text <= room,
        "the decision input cuts its placeholder off: {fit}"
    );
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

    // The guest hosts a meeting of its own, with the browser's officer invited.
    let lobby_meeting = guest_officer
        .create_meeting("Transit documents", &[host.login])
        .await?;

    // Back to the list, which shows the meeting as ended: its minutes, no way back in.
    click(c, "#meeting-back").await?;
    let row = format!("tr.meeting-row[data-meeting-id='{id}']");
    wait_for(c, &format!("{row}[data-ended='1']")).await?;
    ensure!(
        c.find(Locator::Css(&format!("{row} button.meeting-open")))
            .await
            .is_err(),
        "an ended meeting cannot be opened again"
    );
    click(c, &format!("{row} button.meeting-minutes")).await?;
    wait_for(c, &format!("#meeting-minutes[data-meeting-id='{id}']")).await?;
    wait_for_text(
        c,
        "tr.minutes-entry[data-kind='decision'] .minutes-text",
        "the decision in the minutes",
        |t| t == "Inspect on arrival at Almaty.",
    )
    .await?;
    wait_for(c, "#minutes-signed").await?;
    screenshot(c, "chromium-meeting-minutes").await?;
    click(c, "#minutes-back").await?;

    // The browser's officer waits in the lobby of the guest's meeting: a lobby notice, no
    // empty participants, chat or decisions.
    let other_id = lobby_meeting.id;
    click(
        c,
        &format!(
            "tr.meeting-row[data-meeting-id='{other_id}'][data-ended='0'] button.meeting-open"
        ),
    )
    .await?;
    wait_for(c, "#meeting-room[data-phase='lobby']").await?;
    wait_for_text(c, "#meeting-waiting", "the lobby notice", |t| {
        t.contains("Waiting for the host to admit you")
    })
    .await?;
    for hidden in ["#meeting-grid", "#meeting-chat", "#meeting-decisions"] {
        ensure!(
            !shown(c, hidden).await?,
            "{hidden} is shown to an officer waiting in the lobby"
        );
    }
    screenshot(c, "chromium-meeting-waiting").await?;
    wait_for(c, "#lang-switch")
        .await?
        .select_by_value("ru")
        .await?;
    wait_for_text(c, "#meeting-waiting", "the lobby notice in Russian", |t| {
        t.contains("Ожидание допуска от ведущего")
    })
    .await?;
    wait_for(c, "#lang-switch")
        .await?
        .select_by_value("en")
        .await?;

    // Its host comes in and admits the browser's officer, who then sees the room.
    let mut hosting = guest_officer.connect().await?;
    hosting.send(other_id, MeetingOp::Join).await?;
    hosting
        .until(other_id, "the host entering", |e| {
            matches!(e, MeetingEvent::Admitted { .. })
        })
        .await?;
    hosting
        .send(
            other_id,
            MeetingOp::Admit {
                login: host.login.into(),
            },
        )
        .await?;
    wait_for(c, "#meeting-room[data-phase='in']").await?;
    wait_shown(c, "#meeting-grid", true).await?;
    wait_gone(c, "#meeting-waiting").await?;
    wait_for(c, &format!(".tile[data-login='{}']", guest.login)).await?;
    click(c, "#meeting-leave").await?;
    wait_for(c, "#meeting-room[data-phase='left']").await?;
    hosting.close().await;
    Ok(())
}
