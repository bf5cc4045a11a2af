//! `cargo xtask test`: everything CI runs, in the order that fails fastest.

use anyhow::Context;

use crate::{deps, fuzz, postgres, sh, web};

pub fn test() -> anyhow::Result<()> {
    deps::for_tests()?;
    sh::run(sh::cargo().args(["fmt", "--all", "--", "--check"]))?;

    // The desktop crate embeds the built UI, so it comes first.
    let dist = web::build()?;
    sh::step("clippy on the workspace", "several minutes", "seconds");
    sh::run(sh::cargo().args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    sh::run(sh::cargo().args([
        "clippy",
        "-p",
        "sis-frontend",
        "--target",
        "wasm32-unknown-unknown",
        "--",
        "-D",
        "warnings",
    ]))?;

    // Fuzz targets live outside the workspace (cargo-fuzz builds them on nightly): every
    // seed through every target, then a few seconds of fuzzing each.
    fuzz::test()?;

    // Binaries the end-to-end tests start as users would.
    sh::step(
        "building the node and the desktop app (debug)",
        "8 to 15 minutes",
        "seconds",
    );
    sh::run(&mut sh::cargo_bins(
        "build",
        &["sis-signaling", "sis-desktop"],
    ))?;
    let bin = crate::target_dir().join("debug");
    let artifacts = crate::target_dir().join("ui-artifacts");

    sh::step(
        "all tests, the UI driven end to end included",
        "ten minutes or more",
        "several minutes",
    );
    let pg = postgres::Cluster::start().context("starting a throwaway PostgreSQL")?;
    let tests = sh::run(
        sh::cargo()
            .args(["test", "--workspace", "--", "--include-ignored"])
            .env("SIS_TEST_POSTGRES_URL", &pg.url)
            .env("SIS_TEST_REQUIRE_POSTGRES", "1")
            .env("SIS_E2E_NODE_BIN", bin.join("sis-signaling"))
            .env("SIS_E2E_DESKTOP_BIN", bin.join("sis-desktop"))
            .env("SIS_E2E_WEB_DIR", &dist)
            // The letters test starts its two nodes as `run --countries` does, by this
            // very binary, so the network it gets is the one people get.
            .env("SIS_E2E_XTASK_BIN", std::env::current_exe()?)
            .env("SIS_E2E_ARTIFACTS", &artifacts),
    );
    drop(pg);
    tests?;
    eprintln!("xtask: UI screenshots in {}", artifacts.display());

    // The app ships for Windows, which nothing here can run: keep the code compiling for it.
    sh::run(
        std::process::Command::new("bash").arg(crate::root().join("src-tauri/check-windows.sh")),
    )?;
    eprintln!("xtask: all checks passed");
    Ok(())
}
