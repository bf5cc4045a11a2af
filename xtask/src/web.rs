//! Building the web UI into `frontend/dist`: the wasm crate for wasm32, then
//! wasm-bindgen, then the static files. Served by the node and embedded by the desktop.

use std::path::PathBuf;
use std::process::Command;

use anyhow::Context;

use crate::sh;

/// Static files copied as they are.
const STATIC: &[&str] = &["index.html", "style.css", "boot.js"];

pub fn dist_dir() -> PathBuf {
    crate::root().join("frontend/dist")
}

pub fn build() -> anyhow::Result<PathBuf> {
    sh::run(sh::cargo().args([
        "build",
        "--release",
        "--target",
        "wasm32-unknown-unknown",
        "-p",
        "sis-frontend",
    ]))?;
    let wasm = crate::target_dir().join("wasm32-unknown-unknown/release/sis-frontend.wasm");
    let dist = dist_dir();
    std::fs::create_dir_all(&dist).context("creating frontend/dist")?;
    sh::run(
        Command::new("wasm-bindgen")
            .args([
                "--target",
                "web",
                "--no-typescript",
                "--out-name",
                "sis_frontend",
                "--out-dir",
            ])
            .arg(&dist)
            .arg(&wasm),
    )?;
    let src = crate::root().join("frontend");
    for file in STATIC {
        std::fs::copy(src.join(file), dist.join(file))
            .with_context(|| format!("copying frontend/{file}"))?;
    }
    Ok(dist)
}
