//! The UI driven as officers use it: the desktop app (real webview, under Xvfb) and the
//! same frontend served by the node to headless Chromium. Both run against a node started
//! from the built binary; the letters test against two nodes that trust each other, in two
//! Chromium browsers. Run by `cargo xtask test`, which builds what they need.

use sis_e2e::letters_flow::{self, Officers};
use sis_e2e::network::Network;
use sis_e2e::node::{Account, Node};
use sis_e2e::webdriver;
use sis_e2e::{desktop_meeting_flow, flow, media_flow, meeting_flow};

const ADMIN: Account<'static> = Account {
    login: "g.admin",
    name: "Gulnara Abenova",
    role: "admin",
    agency: "Almaty customs",
    password: "a long demo password",
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built node, web UI and Chromium: run through `cargo xtask test`"]
async fn web_ui_in_headless_chromium() -> anyhow::Result<()> {
    let node = Node::start(&[ADMIN])?;
    let browser = webdriver::chromium().await?;
    browser.client.goto(&node.url).await?;
    let result = flow::login_language_logout(&browser.client, &ADMIN, "chromium").await;
    browser.close().await?;
    result
}

const HOST: Account<'static> = Account {
    login: "a.seitkali",
    name: "Arman Seitkali",
    role: "officer",
    agency: "Khorgos customs post",
    password: "a long host password",
};

const GUEST: Account<'static> = Account {
    login: "d.nurlanova",
    name: "Dana Nurlanova",
    role: "supervisor",
    agency: "Almaty customs",
    password: "a long guest password",
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built node, web UI and Chromium: run through `cargo xtask test`"]
async fn meetings_in_headless_chromium() -> anyhow::Result<()> {
    // A node without a media server: everything but audio and video must work.
    let node = Node::start_with(&[HOST, GUEST], &[("SIS_MEDIA", "off")])?;
    let browser = webdriver::chromium().await?;
    browser.client.goto(&node.url).await?;
    let result = meeting_flow::host_with_a_guest(&browser.client, &node.url, &HOST, &GUEST).await;
    browser.close().await?;
    result
}

const BOTS: [Account<'static>; 2] = [
    Account {
        login: "bot.ann",
        name: "Ann (bot)",
        role: "officer",
        agency: "Khorgos customs post",
        password: "a long bot password",
    },
    Account {
        login: "bot.bob",
        name: "Bob (bot)",
        role: "officer",
        agency: "Khorgos customs post",
        password: "a long bot password",
    },
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built node, web UI and Chromium: run through `cargo xtask test`"]
async fn chromium_and_two_bots_exchange_media_through_the_sfu() -> anyhow::Result<()> {
    let node = Node::start(&[GUEST, BOTS[0], BOTS[1]])?;
    let browser = webdriver::chromium().await?;
    browser.client.goto(&node.url).await?;
    let result =
        media_flow::browser_with_two_bots(&browser.client, &node.url, &GUEST, [&BOTS[0], &BOTS[1]])
            .await;
    browser.close().await?;
    result
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built node, web UI, xtask and Chromium: run through `cargo xtask test`"]
async fn letters_between_two_nodes_in_headless_chromium() -> anyhow::Result<()> {
    // Two real nodes with mutual TLS and a signed trust list, as `cargo xtask run
    // --countries kz,uz` makes them; a browser for each country's officer.
    let network = Network::start("kz,uz")?;
    let (kz, uz) = (network.node("KZ")?, network.node("UZ")?);
    let kz_browser = webdriver::chromium().await?;
    let uz_browser = webdriver::chromium().await?;
    let files = tempfile::tempdir()?;
    let downloads = uz_browser.downloads();
    let officers = Officers {
        kz: (&kz_browser.client, kz),
        uz: (&uz_browser.client, uz),
        uz_downloads: &downloads,
    };
    let result = letters_flow::between_kz_and_uz(&officers, files.path()).await;
    kz_browser.close().await?;
    uz_browser.close().await?;
    // The failure first, then what the nodes logged up to it.
    result.map_err(|e| anyhow::anyhow!("{e:?}\n\nthe nodes' logs:\n{}", network.logs()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built node and desktop app, Xvfb and tauri-driver: run through `cargo xtask test`"]
async fn desktop_app_under_xvfb() -> anyhow::Result<()> {
    let node = Node::start(&[ADMIN])?;
    let app = webdriver::desktop(&node.url).await?;
    let result = flow::login_language_logout(&app.client, &ADMIN, "desktop").await;
    app.close().await?;
    result
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built node and desktop app, Xvfb and tauri-driver: run through `cargo xtask test`"]
async fn a_meeting_in_the_desktop_app_over_its_shells_socket() -> anyhow::Result<()> {
    let node = Node::start_with(&[HOST, GUEST], &[("SIS_MEDIA", "off")])?;
    let app = webdriver::desktop(&node.url).await?;
    let result = desktop_meeting_flow::host_hears_a_guest_in_the_desktop(
        &app.client,
        &node.url,
        &HOST,
        &GUEST,
    )
    .await;
    app.close().await?;
    result
}
