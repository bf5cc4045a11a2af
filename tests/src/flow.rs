//! The flow an officer goes through, the same in the desktop app and in a browser: a wrong
//! password, logging in, the shell with the officer's details, Russian labels, logging out.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, bail};
use fantoccini::{Client, Locator};

use crate::node::Account;

const WAIT: Duration = Duration::from_secs(30);

/// Where screenshots go: `SIS_E2E_ARTIFACTS`, else a folder under the temp dir.
pub fn artifacts_dir() -> PathBuf {
    std::env::var_os("SIS_E2E_ARTIFACTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("sis-ui-artifacts"))
}

pub(crate) async fn screenshot(c: &Client, name: &str) -> anyhow::Result<()> {
    let dir = artifacts_dir();
    std::fs::create_dir_all(&dir)?;
    let png = c.screenshot().await.context("taking a screenshot")?;
    std::fs::write(dir.join(format!("{name}.png")), png)?;
    Ok(())
}

pub(crate) async fn wait_for(
    c: &Client,
    css: &str,
) -> anyhow::Result<fantoccini::elements::Element> {
    c.wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await
        .with_context(|| format!("waiting for {css}"))
}

/// Polls `css`'s text until it satisfies `pred` (the UI re-renders asynchronously).
pub(crate) async fn wait_for_text(
    c: &Client,
    css: &str,
    what: &str,
    pred: impl Fn(&str) -> bool,
) -> anyhow::Result<String> {
    let deadline = tokio::time::Instant::now() + WAIT;
    let mut last = String::new();
    while tokio::time::Instant::now() < deadline {
        if let Ok(el) = c.find(Locator::Css(css)).await
            && let Ok(text) = el.text().await
        {
            if pred(&text) {
                return Ok(text);
            }
            last = text;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bail!("{css} never showed {what}; last text {last:?}")
}

pub(crate) async fn type_into(c: &Client, css: &str, text: &str) -> anyhow::Result<()> {
    let el = wait_for(c, css).await?;
    el.clear()
        .await
        .with_context(|| format!("clearing {css}"))?;
    el.send_keys(text)
        .await
        .with_context(|| format!("typing into {css}"))?;
    Ok(())
}

/// Runs the flow for `account` (an admin of Almaty customs); screenshots are named
/// `<label>-….png`.
pub async fn login_language_logout(
    c: &Client,
    account: &Account<'_>,
    label: &str,
) -> anyhow::Result<()> {
    wait_for(c, "#login").await?;
    type_into(c, "#login", account.login).await?;
    type_into(c, "#password", "certainly not the password").await?;
    wait_for(c, "#login-submit").await?.click().await?;
    wait_for_text(c, "#login-error", "the wrong-password sentence", |t| {
        t.contains("Wrong login or password")
    })
    .await?;
    screenshot(c, &format!("{label}-wrong-password")).await?;

    type_into(c, "#password", account.password).await?;
    wait_for(c, "#login-submit").await?.click().await?;
    wait_for(c, "#shell").await?;
    wait_for_text(c, "#officer-name", "the officer's name", |t| {
        t == account.name
    })
    .await?;
    wait_for_text(c, "#officer-role", "the role", |t| t == "Administrator").await?;
    wait_for_text(c, "#officer-agency", "the agency", |t| {
        t.contains(account.agency)
    })
    .await?;
    wait_for_text(c, "#officer-country", "the country", |t| t.contains("KZ")).await?;
    wait_for_text(c, "#nav-preliminary", "the English label", |t| {
        t.contains("Preliminary Information")
    })
    .await?;

    directory_search(c, label).await?;

    wait_for(c, "#lang-switch")
        .await?
        .select_by_value("ru")
        .await?;
    wait_for_text(c, "#nav-preliminary", "the Russian label", |t| {
        t.contains("Предварительная информация")
    })
    .await?;
    wait_for_text(c, "#officer-role", "the Russian role", |t| {
        t == "Администратор"
    })
    .await?;
    wait_for(c, "#nav-preliminary").await?.click().await?;
    wait_for_text(c, "#page-title", "the page heading", |t| {
        t.contains("Предварительная информация")
    })
    .await?;
    screenshot(c, &format!("{label}-shell-ru")).await?;

    wait_for(c, "#lang-switch")
        .await?
        .select_by_value("en")
        .await?;
    wait_for(c, "#logout").await?.click().await?;
    wait_for(c, "#login").await?;
    if c.find(Locator::Css("#shell")).await.is_ok() {
        bail!("the shell is still shown after logout");
    }
    screenshot(c, &format!("{label}-logged-out")).await?;
    Ok(())
}

/// The code of the first result row, once one is shown for the current query.
async fn first_hit(c: &Client, want: &str) -> anyhow::Result<()> {
    let deadline = tokio::time::Instant::now() + WAIT;
    let mut last = None;
    while tokio::time::Instant::now() < deadline {
        if let Ok(row) = c
            .find(Locator::Css("#directory-results tr.directory-hit"))
            .await
        {
            last = row.attr("data-code").await.ok().flatten();
            if last.as_deref() == Some(want) {
                return Ok(());
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bail!("the first directory hit never became {want}; last {last:?}")
}

/// Search-as-you-type in the directories: an HS heading by code, a currency by its
/// Russian name (the node matches the word form).
async fn directory_search(c: &Client, label: &str) -> anyhow::Result<()> {
    wait_for(c, "#nav-directories").await?.click().await?;
    wait_for(c, "#directory-select")
        .await?
        .select_by_value("hs")
        .await?;
    type_into(c, "#directory-q", "8507").await?;
    first_hit(c, "8507").await?;
    wait_for(c, "#directory-select")
        .await?
        .select_by_value("currencies")
        .await?;
    type_into(c, "#directory-q", "тенге").await?;
    first_hit(c, "KZT").await?;
    screenshot(c, &format!("{label}-directory")).await?;
    Ok(())
}
