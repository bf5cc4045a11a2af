//! `cargo xtask run`: a country node on embedded SQLite with the web UI and a demo
//! administrator, and the desktop app when there is a display.

use std::io::Write;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use crate::{deps, sh, web};

const DEMO_LOGIN: &str = "demo.admin";

pub fn run(args: &[String]) -> anyhow::Result<()> {
    let started = Instant::now();
    let no_desktop = args.iter().any(|a| a == "--no-desktop");
    if let Some(other) = args.iter().find(|a| *a != "--no-desktop") {
        bail!("unknown option {other:?} (try `cargo xtask run --no-desktop`)");
    }
    let has_display =
        std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some();
    let desktop = has_display && !no_desktop && deps::apt(deps::DESKTOP)?;
    let desktop_packages = desktop || deps::installed(deps::DESKTOP);
    deps::wasm_target()?;
    deps::wasm_bindgen_matches()?;
    let dist = web::build()?;

    let mut bins = vec!["sis-signaling"];
    if desktop {
        bins.push("sis-desktop");
        sh::step(
            "building the node and the desktop app (debug)",
            "8 to 15 minutes, 4 to 7 if the node was built",
            "seconds",
        );
    } else {
        sh::step("building the node (debug)", "4 to 8 minutes", "seconds");
    }
    sh::run(&mut sh::cargo_bins("build", &bins))?;
    let bin = crate::target_dir().join("debug");
    let node_bin = bin.join("sis-signaling");

    let data = crate::target_dir().join("demo-node");
    std::fs::create_dir_all(&data)?;
    let password = demo_account(&node_bin, &data)?;

    let listen = std::env::var("SIS_LISTEN").unwrap_or_else(|_| default_listen());
    let mut node = Command::new(&node_bin)
        .arg("serve")
        .env("SIS_DATA_DIR", &data)
        .env("SIS_WEB_DIR", &dist)
        .env("SIS_LISTEN", &listen)
        .spawn()
        .context("starting the node")?;
    let addr: SocketAddr = listen.parse().context("SIS_LISTEN")?;
    wait_until_listening(&mut node, addr)?;
    let url = format!("http://{addr}");
    println!();
    println!("  ready after {:.0} s", started.elapsed().as_secs_f64());
    println!("  CAREC SIS node (KZ) running at {url}");
    println!("  log in as {DEMO_LOGIN} with password: {password}");
    println!("  data in {}", data.display());
    println!();

    if desktop {
        println!("  opening the desktop app; close it to stop the node");
        let status = Command::new(bin.join("sis-desktop"))
            .env("SIS_NODE_URL", &url)
            .status()
            .context("starting the desktop app")?;
        if !status.success() {
            eprintln!("xtask: the desktop app exited with {status}");
        }
        stop(&mut node);
    } else {
        if has_display {
            println!("  (desktop app skipped)");
        } else {
            println!("  no display: open {url} in a browser");
        }
        if has_display && desktop_packages {
            prebuild_desktop()?;
        }
        println!("  press Ctrl-C to stop");
        // Ctrl-C reaches the node too (same process group) and it shuts down gracefully.
        let status = node.wait()?;
        if !status.success() {
            bail!("the node stopped with {status}");
        }
    }
    Ok(())
}

/// With `--no-desktop` on a machine that could run the desktop app: its build, in the
/// background at the lowest priority while the node serves, so that a later `cargo xtask
/// run` opens it within a minute instead of compiling for minutes first. Ctrl-C stops it
/// with the node; what it compiled by then is kept.
fn prebuild_desktop() -> anyhow::Result<()> {
    let log = crate::target_dir().join("desktop-prebuild.log");
    let out = std::fs::File::create(&log).with_context(|| format!("{}", log.display()))?;
    let build = sh::cargo_bins("build", &["sis-signaling", "sis-desktop"]);
    let cargo = build.get_program().to_owned();
    let args: Vec<_> = build.get_args().map(|a| a.to_owned()).collect();
    let spawned = Command::new("nice")
        .args(["-n", "19"])
        .arg(cargo)
        .args(args)
        .current_dir(crate::root())
        .stdout(out.try_clone()?)
        .stderr(out)
        .spawn();
    if spawned.is_ok() {
        println!(
            "  building the desktop app in the background (4 to 7 minutes on a first run, \
             lowest priority; log in {}) so that `cargo xtask run` opens it at once",
            log.display()
        );
    }
    Ok(())
}

/// 127.0.0.1:8080, or another free loopback port when 8080 is taken.
fn default_listen() -> String {
    match TcpListener::bind("127.0.0.1:8080") {
        Ok(_) => "127.0.0.1:8080".into(),
        Err(_) => TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.to_string())
            .unwrap_or_else(|_| "127.0.0.1:8080".into()),
    }
}

/// Creates the demo administrator on first run and returns its password (kept beside the
/// database, readable only by its owner, so later runs print it again).
fn demo_account(node_bin: &Path, data: &Path) -> anyhow::Result<String> {
    let file: PathBuf = data.join("demo-admin-password.txt");
    if let Ok(existing) = std::fs::read_to_string(&file) {
        return Ok(existing.trim().to_owned());
    }
    let password = random_password()?;
    let mut child = Command::new(node_bin)
        .args([
            "officer",
            "add",
            "--login",
            DEMO_LOGIN,
            "--name",
            "Demo Administrator",
        ])
        .args(["--role", "admin", "--agency", "Central customs office"])
        .env("SIS_DATA_DIR", data)
        .stdin(Stdio::piped())
        .spawn()
        .context("creating the demo account")?;
    child
        .stdin
        .take()
        .context("stdin")?
        .write_all(format!("{password}\n").as_bytes())?;
    let status = child.wait()?;
    if !status.success() {
        bail!("creating the demo account failed ({status})");
    }
    write_private(&file, &password)?;
    Ok(password)
}

fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut f = options
        .open(path)
        .with_context(|| format!("writing {}", path.display()))?;
    f.write_all(text.as_bytes())?;
    Ok(())
}

/// 16 characters from an alphabet without look-alikes, from the OS's random source.
fn random_password() -> anyhow::Result<String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut bytes = [0u8; 16];
    std::io::Read::read_exact(
        &mut std::fs::File::open("/dev/urandom").context("opening /dev/urandom")?,
        &mut bytes,
    )?;
    Ok(bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect())
}

fn wait_until_listening(node: &mut Child, addr: SocketAddr) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
            return Ok(());
        }
        if let Some(status) = node.try_wait()? {
            bail!("the node exited ({status}) before listening");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    bail!("the node did not listen on {addr} within a minute")
}

fn stop(node: &mut Child) {
    let _ = Command::new("kill")
        .args(["-TERM", &node.id().to_string()])
        .status();
    let _ = node.wait();
}
