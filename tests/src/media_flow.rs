//! Chromium's own WebRTC stack against our SFU: an officer in the browser joins a meeting
//! two bots are in, and media must flow both ways. The browser's counts come from
//! `getStats()` (the page's `window.__sisMeeting.stats()`), the bots' from their receivers.

use std::time::Duration;

use anyhow::{Context, bail};
use fantoccini::Client;
use serde_json::Value;

use crate::flow::{screenshot, wait_for};
use crate::media::bot::BotOptions;
use crate::media::publisher::Source;
use crate::meetbot::{Participant, Plan, Target};
use crate::meeting_flow::{click, sign_in};
use crate::node::Account;
use sis_proto::meeting::LeaveReason;

const WAIT: Duration = Duration::from_secs(40);

/// The page's stats: `{remote: [{participant, kind, packetsReceived}], localSent: [...]}`.
async fn stats(c: &Client) -> anyhow::Result<Value> {
    let text = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             if (!window.__sisMeeting) { done('null'); return; }
             window.__sisMeeting.stats().then(s => done(JSON.stringify(s)), e => done('null'));",
            vec![],
        )
        .await?;
    Ok(serde_json::from_str(text.as_str().unwrap_or("null"))?)
}

/// Packets the browser received of `kind` from `participant`.
fn browser_received(stats: &Value, participant: &str, kind: &str) -> u64 {
    stats["remote"]
        .as_array()
        .map(|tracks| {
            tracks
                .iter()
                .filter(|t| t["participant"] == participant && t["kind"] == kind)
                .filter_map(|t| t["packetsReceived"].as_u64())
                .sum()
        })
        .unwrap_or(0)
}

/// Packets a bot received of `kind` from `from`.
fn bot_received(bot: &Participant, from: &str, kind: &str) -> u64 {
    bot.bot
        .received
        .snapshot()
        .iter()
        .filter(|(key, stats)| key.stream == from && stats.kind == kind)
        .map(|(_, stats)| stats.packets)
        .sum()
}

pub async fn browser_with_two_bots(
    c: &Client,
    node_url: &str,
    officer: &Account<'_>,
    bots: [&Account<'_>; 2],
) -> anyhow::Result<()> {
    let plan = |bot: &Account<'_>, target: Target| Plan {
        node: node_url.to_owned(),
        login: bot.login.to_owned(),
        password: bot.password.to_owned(),
        target,
        stay: WAIT,
        sources: vec![Source::Microphone, Source::Camera],
        options: BotOptions::default(),
        ice_from_node: false,
    };
    // The first bot hosts and admits whoever knocks.
    let host = Participant::start(&plan(
        bots[0],
        Target::Create {
            title: "Media with the browser".to_owned(),
            invite: vec![officer.login.to_owned(), bots[1].login.to_owned()],
        },
    ))
    .await?;
    let guest = Participant::start(&plan(bots[1], Target::Meeting(host.meeting))).await?;

    sign_in(c, officer).await?;
    click(c, "#nav-meetings").await?;
    click(
        c,
        &format!(
            "tr.meeting-row[data-meeting-id='{}'] button.meeting-open",
            host.meeting
        ),
    )
    .await?;
    wait_for(c, "#meeting-room[data-phase='in']")
        .await
        .context("the bot host admits the officer")?;
    wait_for(c, "#meeting-media-status[data-state='connected']")
        .await
        .context("the browser's connection to the SFU")?;

    let deadline = tokio::time::Instant::now() + WAIT;
    let mut last = Value::Null;
    loop {
        last = stats(c).await.unwrap_or(last);
        let browser_gets_bots = bots.iter().all(|bot| {
            ["audio", "video"]
                .iter()
                .all(|kind| browser_received(&last, bot.login, kind) > 50)
        });
        let bots_get_browser = [&host, &guest].iter().all(|bot| {
            ["audio", "video"]
                .iter()
                .all(|kind| bot_received(bot, officer.login, kind) > 50)
        });
        if browser_gets_bots && bots_get_browser {
            break;
        }
        if tokio::time::Instant::now() > deadline {
            let from_browser: Vec<_> = [&host, &guest]
                .iter()
                .map(|b| {
                    (
                        bot_received(b, officer.login, "audio"),
                        bot_received(b, officer.login, "video"),
                    )
                })
                .collect();
            bail!(
                "media did not flow both ways within {WAIT:?}: the browser's stats {last}; \
                 the bots' (audio, video) packets from the browser {from_browser:?}"
            );
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    screenshot(c, "chromium-meeting-media").await?;
    click(c, "#meeting-leave").await?;

    // The departure: the page says it left, both bots are told, and the browser's media
    // stops reaching them (the node took its connection out of the SFU).
    wait_for(c, "#meeting-room[data-phase='left']")
        .await
        .context("the page after leaving")?;
    let deadline = tokio::time::Instant::now() + WAIT;
    while ![&host, &guest]
        .iter()
        .all(|bot| bot.saw_leave(officer.login, LeaveReason::Left))
    {
        if tokio::time::Instant::now() > deadline {
            bail!(
                "the bots were not told that {} left: {:?}",
                officer.login,
                host.events()
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Packets in flight may still land: settle, then the counts must stand still.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let from_browser = |bot: &Participant| {
        bot_received(bot, officer.login, "audio") + bot_received(bot, officer.login, "video")
    };
    let had = [from_browser(&host), from_browser(&guest)];
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        [from_browser(&host), from_browser(&guest)],
        had,
        "nothing of the browser reaches the bots after it left"
    );
    // The bots go on meeting without it.
    let host_had = bot_received(&host, bots[1].login, "video");
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(
        bot_received(&host, bots[1].login, "video") > host_had,
        "the bots still receive each other"
    );
    host.finish().await?;
    guest.finish().await?;
    Ok(())
}
