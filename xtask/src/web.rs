//! Building the web UI into `frontend/dist`: the wasm crate for wasm32, then
//! wasm-bindgen (the library, linked into xtask), then the static files. Served by the node and embedded by the desktop.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;

use crate::sh;

/// Static files copied as they are.
const STATIC: &[&str] = &["index.html", "style.css", "boot.js"];

pub fn dist_dir() -> PathBuf {
    crate::root().join("frontend/dist")
}

pub fn build() -> anyhow::Result<PathBuf> {
    sh::step(
        "building the web UI (wasm32, release)",
        "3 to 7 minutes",
        "seconds",
    );
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
    // `wasm-bindgen --target web --no-typescript --out-name sis_frontend`, as a library.
    let started = Instant::now();
    eprintln!(
        "xtask: wasm-bindgen {} -> {}",
        wasm.display(),
        dist.display()
    );
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&wasm)
        .web(true)?
        .typescript(false)
        // The CLI's default, not the library's: `init()` finds the .wasm beside the script.
        .omit_default_module_path(false)
        .out_name("sis_frontend")
        .generate(&dist)
        .context("wasm-bindgen")?;
    eprintln!(
        "xtask: wasm-bindgen done in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let src = crate::root().join("frontend");
    for file in STATIC {
        std::fs::copy(src.join(file), dist.join(file))
            .with_context(|| format!("copying frontend/{file}"))?;
    }
    Ok(dist)
}
