//! Prerequisites: Debian packages (installed when running as root, else the exact
//! `apt-get` line is printed), the wasm32 target, and cargo tools at pinned versions.

use std::process::Command;

use anyhow::{Context, bail};

use crate::sh;

/// What the desktop app needs to build and run (Tauri on WebKitGTK).
pub const DESKTOP: &[&str] = &[
    "libwebkit2gtk-4.1-dev",
    "libgtk-3-dev",
    "libsoup-3.0-dev",
    "libjavascriptcoregtk-4.1-dev",
    "librsvg2-dev",
    "libayatana-appindicator3-dev",
    "libxdo-dev",
    "libssl-dev",
    "pkg-config",
    "build-essential",
    "file",
];

/// What the tests need beyond the desktop's packages: a display server, the webview's and
/// Chromium's WebDriver servers, PostgreSQL, an independent XML checker, and a TURN server
/// (meetings through a relay).
pub const TEST: &[&str] = &[
    "xvfb",
    "xauth",
    "webkit2gtk-driver",
    "chromium",
    "chromium-driver",
    "postgresql",
    "dbus",
    "libxml2-utils",
    "coturn",
];

/// What `cargo xtask bench` needs beyond the tests': Janus, the reference SFU the
/// meeting benchmark compares ours with (its loopback shim is built with the C compiler
/// of `build-essential`).
pub const BENCH: &[&str] = &["janus"];

/// tauri-driver drives the desktop app through WebKitWebDriver.
const TAURI_DRIVER_VERSION: &str = "2.1.0";

fn missing_packages(packages: &[&str]) -> Vec<String> {
    packages
        .iter()
        .filter(|p| {
            !Command::new("dpkg-query")
                .args(["-W", "-f=${Status}", p])
                .output()
                .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
        })
        .map(|p| p.to_string())
        .collect()
}

/// Whether all these Debian packages are installed (false off Debian).
pub fn installed(packages: &[&str]) -> bool {
    sh::on_path("dpkg-query") && missing_packages(packages).is_empty()
}

fn is_root() -> bool {
    sh::output(Command::new("id").arg("-u")).is_ok_and(|s| s.trim() == "0")
}

/// Installs missing Debian packages. Returns false (after printing the command to run)
/// when they are missing and this process cannot install them.
pub fn apt(packages: &[&str]) -> anyhow::Result<bool> {
    if !sh::on_path("dpkg-query") {
        eprintln!("xtask: not a Debian-like system; make sure these are installed: {packages:?}");
        return Ok(false);
    }
    let missing = missing_packages(packages);
    if missing.is_empty() {
        return Ok(true);
    }
    sh::once(
        &format!("installing {} Debian packages", missing.len()),
        "about a minute",
    );
    let line = format!("apt-get install -y {}", missing.join(" "));
    if !is_root() {
        eprintln!(
            "xtask: missing packages; install them with:\n  sudo apt-get update && sudo {line}"
        );
        return Ok(false);
    }
    sh::run(Command::new("apt-get").args(["update", "-qq"]))?;
    sh::run(
        Command::new("apt-get")
            .args(["install", "-y", "-qq", "--no-install-recommends"])
            .args(&missing)
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )?;
    Ok(true)
}

pub fn wasm_target() -> anyhow::Result<()> {
    let installed = sh::output(Command::new("rustup").args(["target", "list", "--installed"]))
        .context("rustup is needed to add the wasm32 target")?;
    if !installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        sh::once("adding the wasm32 target to the toolchain", "about 20 s");
        sh::run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    Ok(())
}

/// The version of a package in Cargo.lock.
fn locked_version(name: &str) -> anyhow::Result<String> {
    let lock =
        std::fs::read_to_string(crate::root().join("Cargo.lock")).context("reading Cargo.lock")?;
    let needle = format!("name = \"{name}\"\nversion = \"");
    let start = lock
        .find(&needle)
        .with_context(|| format!("{name} is not in Cargo.lock"))?
        + needle.len();
    let len = lock[start..].find('"').context("malformed Cargo.lock")?;
    Ok(lock[start..start + len].to_owned())
}

pub fn cargo_installed(krate: &str, version: &str) -> bool {
    sh::output(sh::cargo().args(["install", "--list"])).is_ok_and(|list| {
        list.lines()
            .any(|l| l.starts_with(&format!("{krate} v{version}:")))
    })
}

/// The wasm-bindgen library in xtask must be the version of the wasm-bindgen crate the
/// frontend is built with; a bump of one without the other is caught here, before a build.
pub fn wasm_bindgen_matches() -> anyhow::Result<()> {
    let crate_version = locked_version("wasm-bindgen")?;
    let support = locked_version("wasm-bindgen-cli-support")?;
    if crate_version != support {
        bail!(
            "Cargo.lock has wasm-bindgen {crate_version} but wasm-bindgen-cli-support \
             {support}: set `wasm-bindgen-cli-support = \"={crate_version}\"` in xtask/Cargo.toml"
        );
    }
    Ok(())
}

pub fn tauri_driver() -> anyhow::Result<()> {
    if !cargo_installed("tauri-driver", TAURI_DRIVER_VERSION) {
        sh::once("installing tauri-driver", "about a minute");
        sh::run(sh::cargo().args([
            "install",
            "tauri-driver",
            "--locked",
            "--version",
            TAURI_DRIVER_VERSION,
        ]))?;
    }
    Ok(())
}

/// Everything `cargo xtask test` needs; fails with the install line when it cannot install.
pub fn for_tests() -> anyhow::Result<()> {
    let all: Vec<&str> = DESKTOP.iter().chain(TEST).copied().collect();
    if !apt(&all)? {
        bail!("install the packages above (as root), then run `cargo xtask test` again");
    }
    wasm_target()?;
    wasm_bindgen_matches()?;
    tauri_driver()?;
    Ok(())
}
