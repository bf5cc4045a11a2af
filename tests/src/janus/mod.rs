//! Janus 1.1 (Debian's `janus`) as the reference SFU of the meeting benchmark: an instance
//! of its own, started with a configuration written for the run, the videoroom plugin and
//! the HTTP transport only, on 127.0.0.1, with RTP in a small port range and no STUN.
//!
//! Janus offers no loopback candidates whatever it is told, so its process gets
//! `loopback_shim.c` preloaded (compiled with the system C compiler at start), which hides
//! the loopback flag of `lo`; `ice_enforce_list = "lo"` keeps every other interface out.
//!
//! # Layout
//! - this file: the process and its configuration.
//! - [`api`]: the HTTP API: sessions, handles, the videoroom's publish and subscribe.

pub mod api;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::{Context, bail};

use crate::process::{Owned, free_port, wait_for_port};

/// Where Debian installs the modules.
const MODULES: &str = "/usr/lib/x86_64-linux-gnu/janus";
/// The room every benchmark meeting uses; created from the configuration.
pub const ROOM: u64 = 1234;

/// A running Janus; stopped when dropped.
#[derive(Debug)]
pub struct Janus {
    process: Owned,
    /// `http://127.0.0.1:PORT/janus`.
    pub url: String,
    _dir: tempfile::TempDir,
}

impl Janus {
    /// Starts Janus with a videoroom `ROOM` for up to `publishers` publishers.
    pub fn start(publishers: usize) -> anyhow::Result<Janus> {
        let binary = Path::new("/usr/bin/janus");
        if !binary.exists() {
            bail!("Janus is not installed: apt-get install janus");
        }
        let dir = tempfile::tempdir()?;
        let port = free_port()?;
        let (rtp_from, rtp_to) = rtp_range()?;
        let shim = compile_shim(dir.path())?;
        let folders = ["plugins", "transports", "events", "loggers"].map(|f| dir.path().join(f));
        for folder in &folders {
            std::fs::create_dir(folder)?;
        }
        // Only the modules the benchmark needs: the others would start threads and ports.
        for (folder, module) in [
            ("plugins", "libjanus_videoroom.so"),
            ("transports", "libjanus_http.so"),
        ] {
            std::os::unix::fs::symlink(
                Path::new(MODULES).join(folder).join(module),
                dir.path().join(folder).join(module),
            )?;
        }
        let config = dir.path().join("config");
        std::fs::create_dir(&config)?;
        let [plugins, transports, events, loggers] = folders.map(|f| f.display().to_string());
        write(
            &config.join("janus.jcfg"),
            &format!(
                "general: {{\n configs_folder = \"{cfg}\"\n plugins_folder = \"{plugins}\"\n \
                 transports_folder = \"{transports}\"\n events_folder = \"{events}\"\n \
                 loggers_folder = \"{loggers}\"\n debug_level = 3\n session_timeout = 0\n \
                 protected_folders = []\n}}\ncertificates: {{}}\nmedia: {{\n rtp_port_range = \
                 \"{rtp_from}-{rtp_to}\"\n}}\nnat: {{\n nice_debug = false\n full_trickle = \
                 false\n ice_enforce_list = \"lo\"\n ignore_mdns = true\n}}\nplugins: {{}}\n\
                 transports: {{}}\nloggers: {{}}\nevents: {{\n broadcast = false\n}}\n",
                cfg = config.display()
            ),
        )?;
        write(
            &config.join("janus.transport.http.jcfg"),
            &format!(
                "general: {{\n json = \"compact\"\n base_path = \"/janus\"\n http = true\n port = \
                 {port}\n ip = \"127.0.0.1\"\n https = false\n}}\nadmin: {{\n admin_http = \
                 false\n}}\ncors: {{}}\n"
            ),
        )?;
        write(
            &config.join("janus.plugin.videoroom.jcfg"),
            &format!(
                "general: {{}}\nroom-{ROOM}: {{\n description = \"benchmark\"\n publishers = \
                 {publishers}\n bitrate = 4000000\n fir_freq = 10\n audiocodec = \"opus\"\n \
                 videocodec = \"vp8\"\n record = false\n}}\n"
            ),
        )?;
        let mut process = Owned::spawn(
            "janus",
            Command::new(binary)
                .args(["-F", &config.display().to_string()])
                .args(["-C", &config.join("janus.jcfg").display().to_string()])
                .env("LD_PRELOAD", &shim)
                .stdout(Stdio::null())
                .stderr(Stdio::null()),
        )?;
        wait_for_port(&mut process, port, Duration::from_secs(20))?;
        Ok(Janus {
            process,
            url: format!("http://127.0.0.1:{port}/janus"),
            _dir: dir,
        })
    }

    /// The process id, for reading its CPU time.
    pub fn pid(&self) -> u32 {
        self.process.child.id()
    }
}

fn write(path: &Path, text: &str) -> anyhow::Result<()> {
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

/// Forty free UDP ports in a row above 20000 (two per peer connection is plenty: Janus
/// bundles and muxes RTCP).
fn rtp_range() -> anyhow::Result<(u16, u16)> {
    let mut from = 20_000u16 + u16::try_from(std::process::id() % 200).unwrap_or(0) * 100;
    while from < 60_000 {
        let free = (from..from + 200).all(|p| std::net::UdpSocket::bind(("127.0.0.1", p)).is_ok());
        if free {
            return Ok((from, from + 199));
        }
        from += 200;
    }
    bail!("no free UDP port range for Janus")
}

fn compile_shim(dir: &Path) -> anyhow::Result<PathBuf> {
    let source = dir.join("loopback_shim.c");
    std::fs::write(&source, include_str!("loopback_shim.c"))?;
    let library = dir.join("loopback_shim.so");
    let status = Command::new("cc")
        .args(["-shared", "-fPIC", "-O2", "-o"])
        .arg(&library)
        .arg(&source)
        .arg("-ldl")
        .status()
        .context("running the C compiler (apt-get install gcc)")?;
    if !status.success() {
        bail!("compiling the loopback shim failed: {status}");
    }
    Ok(library)
}
