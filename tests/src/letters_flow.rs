//! Official letters between two country nodes, driven in two browsers as the two officers
//! use them: KZ writes to UZ with a deadline and a PDF, sees its outgoing number and UZ's
//! receipt; UZ sees the letter arrive in its inbox without reloading, reads it with the
//! log's badge checked in the browser, and answers; KZ finds the answer in its inbox,
//! threaded with the letter it answers.

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, bail, ensure};
use fantoccini::{Client, Locator};

use crate::flow::{screenshot, type_into, wait_for, wait_for_text};
use crate::network::NetNode;

/// A letter crosses the exchange and its receipt comes back within this, on a busy machine.
const DELIVERY: Duration = Duration::from_secs(60);

const SUBJECT: &str = "Consignment 4471 held at Khorgos";
const BODY: &str = "Please confirm the origin certificate of consignment 4471.";
const REPLY_BODY: &str = "The certificate is confirmed; the consignment may proceed.";
const PDF_NAME: &str = "origin-certificate.pdf";

/// The smallest PDF a reader opens: one empty page.
const PDF: &[u8] = b"%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj
trailer << /Root 1 0 R >>
%%EOF
";

/// The two officers' browsers, and the nodes they log in to.
#[derive(Debug)]
pub struct Officers<'a> {
    pub kz: (&'a Client, &'a NetNode),
    pub uz: (&'a Client, &'a NetNode),
    /// Where UZ's browser saves files.
    pub uz_downloads: &'a Path,
}

/// The whole exchange; screenshots are named `letters-….png`, and `letters-kz-failed.png`
/// / `letters-uz-failed.png` show both browsers when a step fails.
pub async fn between_kz_and_uz(officers: &Officers<'_>, files: &Path) -> anyhow::Result<()> {
    let result = exchange(officers, files).await;
    if result.is_err() {
        let _ = screenshot(officers.kz.0, "letters-kz-failed").await;
        let _ = screenshot(officers.uz.0, "letters-uz-failed").await;
    }
    result
}

async fn exchange(officers: &Officers<'_>, files: &Path) -> anyhow::Result<()> {
    let (kz, kz_node) = officers.kz;
    let (uz, uz_node) = officers.uz;
    // UZ's officer waits on the inbox before the letter is written: it must arrive there
    // pushed by the node, without a reload.
    sign_in(uz, uz_node).await?;
    open_letters(uz).await?;
    wait_for(uz, "#letters-empty").await?;

    sign_in(kz, kz_node).await?;
    open_letters(kz).await?;
    let pdf = files.join(PDF_NAME);
    std::fs::write(&pdf, PDF)?;
    let (kz_number, deadline) = compose_to_uz(kz, &pdf).await?;
    delivered_to_uz(kz, &kz_number).await?;

    let uz_number = arrived_in_uz(uz, &kz_number).await?;
    read_in_uz(uz, officers.uz_downloads, &kz_number, &uz_number, &deadline).await?;
    let reply_number = reply_from_uz(uz, &uz_number).await?;

    reply_in_kz(kz, &kz_number, &reply_number).await
}

async fn sign_in(c: &Client, node: &NetNode) -> anyhow::Result<()> {
    c.goto(&node.url).await?;
    type_into(c, "#login", &node.officer.login).await?;
    type_into(c, "#password", &node.officer.password).await?;
    click(c, "#login-submit").await?;
    wait_for_text(c, "#officer-country", "the node's country", |t| {
        t.contains(&node.country)
    })
    .await?;
    Ok(())
}

async fn click(c: &Client, css: &str) -> anyhow::Result<()> {
    wait_for(c, css)
        .await?
        .click()
        .await
        .with_context(|| format!("clicking {css}"))?;
    Ok(())
}

/// An attribute of the first element matching `css`, once there is one.
async fn attr(c: &Client, css: &str, name: &str) -> anyhow::Result<String> {
    wait_for(c, css)
        .await?
        .attr(name)
        .await?
        .with_context(|| format!("{css} has no {name}"))
}

/// Polls `name` of `css` until `pred` holds, clicking `again` (a refresh) between looks
/// when given; bounded by `within`.
async fn wait_for_attr(
    c: &Client,
    css: &str,
    name: &str,
    within: Duration,
    again: Option<&str>,
    pred: impl Fn(&str) -> bool,
) -> anyhow::Result<String> {
    let deadline = tokio::time::Instant::now() + within;
    let mut last = None;
    while tokio::time::Instant::now() < deadline {
        if let Ok(el) = c.find(Locator::Css(css)).await
            && let Ok(value) = el.attr(name).await
        {
            if let Some(v) = value.as_deref()
                && pred(v)
            {
                return Ok(v.to_owned());
            }
            last = value;
        }
        let mut pause = Duration::from_millis(250);
        if let Some(again) = again
            && let Ok(button) = c.find(Locator::Css(again)).await
        {
            // A click that misses (the list re-rendering) is tried again next round. Not
            // faster than a listing answers: a newer refresh drops the older one's answer.
            let _ = button.click().await;
            pause = Duration::from_secs(1);
        }
        tokio::time::sleep(pause).await;
    }
    bail!("{css} never had the expected {name} within {within:?}; last {last:?}")
}

async fn open_letters(c: &Client) -> anyhow::Result<()> {
    click(c, "#nav-documents").await?;
    wait_for(c, "#letters-list").await?;
    Ok(())
}

/// Writes the letter to UZ and sends it; its KZ-OUT number, and the deadline as entered.
async fn compose_to_uz(c: &Client, pdf: &Path) -> anyhow::Result<(String, String)> {
    click(c, "#letters-compose").await?;
    wait_for(c, "#letter-compose").await?;
    // The countries come from the node's directory; UZ's box appears once it answers.
    click(c, "#letter-to-UZ").await?;
    type_into(c, "#letter-subject", SUBJECT).await?;
    type_into(c, "#letter-body", BODY).await?;
    // A date input takes keys in the browser's locale order; the value is set as a script
    // would, a month ahead of the browser's today, and the form told as typing tells it.
    let deadline = c
        .execute(
            "const input = document.getElementById('letter-deadline');
             const day = new Date(Date.now() + 30 * 86400000).toISOString().slice(0, 10);
             input.value = day;
             input.dispatchEvent(new Event('input', { bubbles: true }));
             return day;",
            vec![],
        )
        .await?;
    let deadline = deadline
        .as_str()
        .context("the deadline as a string")?
        .to_owned();
    let path = pdf.to_str().context("a UTF-8 temp path")?;
    wait_for(c, "#letter-files").await?.send_keys(path).await?;
    wait_for_text(c, ".chosen-files", "the chosen file", |t| {
        t.contains(PDF_NAME)
    })
    .await?;
    screenshot(c, "letters-kz-compose").await?;
    click(c, "#letter-send").await?;

    // Sent, the letter is shown; its number is the outgoing series of KZ.
    wait_for_text(c, "#letter-view-subject", "the subject", |t| t == SUBJECT).await?;
    let number = wait_for_text(c, "#letter-number", "a KZ-OUT number", |t| {
        t.starts_with("KZ-OUT-")
    })
    .await?;
    Ok((number, deadline))
}

/// The outbox lists the letter under its number; UZ's receipt and then its acknowledgement
/// make it `registered` (under UZ's own number), there and in the letter's delivery table,
/// whose badge this browser checks against the log.
async fn delivered_to_uz(c: &Client, number: &str) -> anyhow::Result<()> {
    click(c, "#letter-back").await?;
    wait_for_attr(c, "#letters-outbox", "aria-selected", DELIVERY, None, |v| {
        v == "true"
    })
    .await
    .context("back from a letter just sent leads to the outbox")?;
    let row = format!("#letter-row-{number}");
    // The outbox is not pushed: Refresh until the receipt has moved the letter on.
    wait_for_attr(
        c,
        &row,
        "data-status",
        DELIVERY,
        Some("#letters-refresh"),
        |s| s == "registered",
    )
    .await
    .context("UZ's receipt and acknowledgement within the delivery bound")?;
    screenshot(c, "letters-kz-outbox").await?;
    click(c, &format!("{row} .letter-open")).await?;
    let status = attr(c, "#letter-status-UZ", "data-status").await?;
    ensure!(status == "registered", "UZ's row says {status}");
    let theirs = wait_for(c, "#letter-their-number-UZ").await?.text().await?;
    ensure!(
        theirs.starts_with("UZ-IN-"),
        "UZ's registration number, not {theirs:?}"
    );
    let receipt = wait_for(c, "#letter-receipt-UZ").await?.text().await?;
    ensure!(
        receipt.trim().parse::<u64>().is_ok(),
        "the receipt shows UZ's log index, not {receipt:?}"
    );
    wait_for_attr(
        c,
        "#letter-verified-UZ",
        "data-verified",
        DELIVERY,
        None,
        |v| v == "true",
    )
    .await
    .context("the envelope sent to UZ is proved in KZ's log")?;
    screenshot(c, "letters-kz-delivered").await?;
    Ok(())
}

/// The letter appears in UZ's open inbox, pushed, under a UZ-IN number, unread.
async fn arrived_in_uz(c: &Client, kz_number: &str) -> anyhow::Result<String> {
    wait_for_text(c, "#letters-arrived", "the arrival notice", |t| {
        t.contains(SUBJECT)
    })
    .await?;
    let row = format!("#letters-list tr.letter-row[data-subject=\"{SUBJECT}\"]");
    let number = attr(c, &row, "data-number").await?;
    ensure!(
        number.starts_with("UZ-IN-"),
        "UZ registers it in its incoming series, not as {number}"
    );
    ensure!(
        attr(c, &row, "data-unread").await? == "1",
        "a letter not yet opened is unread"
    );
    ensure!(
        !number.contains(kz_number),
        "UZ's number is its own, not KZ's"
    );
    screenshot(c, "letters-uz-inbox").await?;
    click(c, &format!("{row} .letter-open")).await?;
    Ok(number)
}

/// The letter as UZ reads it: both numbers, the text, the deadline, the PDF, and the badge
/// of the envelope it came in, checked in this browser.
async fn read_in_uz(
    c: &Client,
    downloads: &Path,
    kz_number: &str,
    uz_number: &str,
    deadline: &str,
) -> anyhow::Result<()> {
    wait_for_text(c, "#letter-number", "UZ's number", |t| t == uz_number).await?;
    wait_for_text(c, "#letter-their-number", "KZ's number", |t| t == kz_number).await?;
    wait_for_text(c, "#letter-view-subject", "the subject", |t| t == SUBJECT).await?;
    wait_for_text(c, "#letter-view-body", "the text", |t| t == BODY).await?;
    wait_for_text(c, "#letter-from", "the sender", |t| t.starts_with("KZ")).await?;
    wait_for_text(c, "#letter-deadline-date", "the deadline", |t| {
        t.contains(deadline)
    })
    .await?;
    let file = format!("#letter-files-list button.letter-file[data-name=\"{PDF_NAME}\"]");
    wait_for_text(c, &file, "the file's name", |t| t == PDF_NAME).await?;
    wait_for_attr(
        c,
        "#letter-verified-KZ",
        "data-verified",
        DELIVERY,
        None,
        |v| v == "true",
    )
    .await
    .context("the envelope from KZ is proved in UZ's log")?;
    // The file is fetched with the officer's token and handed to the browser to save: the
    // bytes saved are those KZ's officer attached.
    click(c, &file).await?;
    let saved = downloads.join(PDF_NAME);
    let deadline = tokio::time::Instant::now() + DELIVERY;
    while std::fs::read(&saved).ok().as_deref() != Some(PDF) {
        if let Ok(error) = c.find(Locator::Css("#letter-file-error")).await
            && let Ok(text) = error.text().await
            && !text.trim().is_empty()
        {
            bail!("the download failed: {text}");
        }
        ensure!(
            tokio::time::Instant::now() < deadline,
            "{} never held the PDF as attached",
            saved.display()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    screenshot(c, "letters-uz-read").await?;
    Ok(())
}

/// UZ answers; the answer goes back to KZ under a UZ-OUT number.
async fn reply_from_uz(c: &Client, uz_number: &str) -> anyhow::Result<String> {
    click(c, "#letter-reply").await?;
    wait_for_text(c, "#letter-replying", "the number answered", |t| {
        t.contains(uz_number)
    })
    .await?;
    let to_kz = wait_for(c, "#letter-to-KZ").await?;
    ensure!(
        to_kz.prop("checked").await?.as_deref() == Some("true"),
        "a reply goes back to the sender"
    );
    let subject = wait_for(c, "#letter-subject").await?.prop("value").await?;
    ensure!(
        subject.as_deref() == Some(&format!("Re: {SUBJECT}")),
        "the reply's subject is {subject:?}"
    );
    type_into(c, "#letter-body", REPLY_BODY).await?;
    click(c, "#letter-send").await?;
    wait_for_text(c, "#letter-view-body", "the reply's text", |t| {
        t == REPLY_BODY
    })
    .await?;
    let number = wait_for_text(c, "#letter-number", "a UZ-OUT number", |t| {
        t.starts_with("UZ-OUT-")
    })
    .await?;
    screenshot(c, "letters-uz-replied").await?;
    Ok(number)
}

/// KZ's inbox holds the answer; opened, its thread holds the letter it answers, which is
/// `answered` now.
async fn reply_in_kz(c: &Client, kz_number: &str, reply_number: &str) -> anyhow::Result<()> {
    click(c, "#letter-back").await?;
    click(c, "#letters-inbox").await?;
    let reply = format!("Re: {SUBJECT}");
    let row = format!("#letters-list tr.letter-row[data-subject=\"{reply}\"]");
    let number = wait_for_attr(
        c,
        &row,
        "data-number",
        DELIVERY,
        Some("#letters-refresh"),
        |n| n.starts_with("KZ-IN-"),
    )
    .await
    .context("UZ's answer in KZ's inbox")?;
    click(c, &format!("{row} .letter-open")).await?;
    wait_for_text(c, "#letter-number", "KZ's incoming number", |t| t == number).await?;
    wait_for_text(c, "#letter-their-number", "UZ's number", |t| {
        t == reply_number
    })
    .await?;
    wait_for_text(c, "#letter-view-body", "the reply's text", |t| {
        t == REPLY_BODY
    })
    .await?;
    let original = format!("#letter-thread #letter-row-{kz_number}");
    wait_for(c, &original)
        .await
        .context("the answer is threaded with the letter it answers")?;
    let status = attr(c, &original, "data-status").await?;
    ensure!(
        status == "answered",
        "the letter answered is {status}, not answered"
    );
    screenshot(c, "letters-kz-thread").await?;
    Ok(())
}
