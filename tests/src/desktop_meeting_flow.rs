//! A meeting in the desktop app, over the WebSocket its shell holds for the page: the host
//! creates it and is in at once (without video: the webview has no WebRTC, and the page
//! says so), admits a guest from the lobby, hears the guest's chat line and its own line
//! reaches the guest. The guest is a plain WebSocket client of the node.

use anyhow::Context;
use fantoccini::Client;
use sis_proto::meeting::{MeetingEvent, MeetingId, MeetingOp};

use crate::flow::{screenshot, type_into, wait_for, wait_for_text};
use crate::meeting_flow::{click, sign_in};
use crate::node::Account;
use crate::signal::Officer;

pub async fn host_hears_a_guest_in_the_desktop(
    c: &Client,
    node_url: &str,
    host: &Account<'_>,
    guest: &Account<'_>,
) -> anyhow::Result<()> {
    sign_in(c, host).await?;
    click(c, "#nav-meetings").await?;
    type_into(c, "#meeting-new-title", "Seal check from the desktop").await?;
    type_into(c, "#meeting-new-invited", guest.login).await?;
    click(c, "#meeting-create").await?;

    let room = wait_for(c, "#meeting-room[data-phase='in']")
        .await
        .context("the desktop joins the meeting over its shell's socket")?;
    let meeting = MeetingId(
        room.attr("data-meeting-id")
            .await?
            .context("the room names its meeting")?
            .parse()?,
    );
    wait_for(c, "#meeting-media-status[data-state='not-in-desktop']").await?;
    wait_for(c, &format!(".tile[data-login='{}']", host.login)).await?;

    let guest_officer = Officer::sign_in(node_url, guest.login, guest.password).await?;
    let mut other = guest_officer.connect().await?;
    other.send(meeting, MeetingOp::Join).await?;
    other
        .until(meeting, "the lobby", |e| *e == MeetingEvent::InLobby)
        .await?;
    click(c, &format!("button.admit[data-login='{}']", guest.login)).await?;
    other
        .until(meeting, "being admitted", |e| {
            matches!(e, MeetingEvent::Admitted { .. })
        })
        .await?;

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
        "the guest's line, pushed to the desktop",
        |t| t == "The seals are intact.",
    )
    .await?;
    type_into(c, "#meeting-chat-input", "Release the truck.").await?;
    click(c, "#meeting-chat-send").await?;
    other
        .until(meeting, "the desktop host's line", |e| {
            matches!(e, MeetingEvent::Chat { line }
                if line.from == host.login && line.text == "Release the truck.")
        })
        .await?;
    screenshot(c, "desktop-meeting-chat").await?;
    Ok(())
}
