//! `cargo xtask run`: a country node on embedded SQLite with the web UI and a demo
//! administrator, and the desktop app when there is a display; with `--countries`, a
//! network of country nodes instead ([`crate::net`]).

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use crate::{accounts, deps, net, sh, web};

pub fn run(args: &[String]) -> anyhow::Result<()> {
    let started = Instant::now();
    let options = Options::parse(args)?;
    if let Some(countries) = &options.countries {
        let countries = net::countries::parse(countries)?;
        let layout = match &options.dir {
            Some(dir) => net::Layout { root: dir.clone() },
            None => net::Layout::under(&crate::target_dir()),
        };
        if let Some(prebuilt) = &options.prebuilt {
            return net::run_prebuilt(&countries, &layout, prebuilt, started);
        }
        let built = build(options.no_desktop)?;
        return net::run(&countries, &layout, &built, started);
    }
    if options.dir.is_some() || options.prebuilt.is_some() {
        bail!("--dir, --node-bin and --web-dir go with --countries");
    }
    let built = build(options.no_desktop)?;
    let Built {
        bin,
        dist,
        has_display,
        desktop,
        desktop_packages,
    } = built;
    let node_bin = bin.join("sis-signaling");

    let data = crate::target_dir().join("demo-node");
    std::fs::create_dir_all(&data)?;
    let mut create = Command::new(&node_bin);
    create.env("SIS_DATA_DIR", &data);
    let password = accounts::ensure(create, &data, &accounts::ADMIN)?;

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
    println!(
        "  log in as {} with password: {password}",
        accounts::ADMIN.login
    );
    println!("  data in {}", data.display());
    println!();

    if desktop {
        println!("  opening the desktop app; close it to stop the node");
        open_desktop(&bin, &url)?;
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

/// The options of `cargo xtask run`.
#[derive(Debug, Default, PartialEq, Eq)]
struct Options {
    no_desktop: bool,
    /// `--countries kz,uz,kg` (or `--countries=…`), as written.
    countries: Option<String>,
    /// `--dir <folder>`: the network's folder instead of `<target>/demo-net`, so that a
    /// test can have a network of its own.
    dir: Option<PathBuf>,
    /// `--node-bin <file> --web-dir <folder>`: binaries built already (by the caller), so
    /// nothing is installed or built and no cargo runs.
    prebuilt: Option<Prebuilt>,
}

/// The node's binary and the built web UI, given on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prebuilt {
    pub node_bin: PathBuf,
    pub web_dir: PathBuf,
}

impl Options {
    fn parse(args: &[String]) -> anyhow::Result<Options> {
        let mut options = Options::default();
        let (mut node_bin, mut web_dir) = (None, None);
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut path = |name: &str| {
                args.next()
                    .map(PathBuf::from)
                    .with_context(|| format!("{name}: give a path"))
            };
            if arg == "--dir" {
                options.dir = Some(path("--dir")?);
            } else if arg == "--node-bin" {
                node_bin = Some(path("--node-bin")?);
            } else if arg == "--web-dir" {
                web_dir = Some(path("--web-dir")?);
            } else if arg == "--no-desktop" {
                options.no_desktop = true;
            } else if arg == "--countries" {
                let list = args
                    .next()
                    .context("--countries: give the countries, e.g. `--countries kz,uz,kg`")?;
                options.countries = Some(list.clone());
            } else if let Some(list) = arg.strip_prefix("--countries=") {
                options.countries = Some(list.to_owned());
            } else {
                bail!(
                    "unknown option {arg:?} (try `cargo xtask run --no-desktop` or \
                     `cargo xtask run --countries kz,uz,kg`)"
                );
            }
        }
        options.prebuilt = match (node_bin, web_dir) {
            (Some(node_bin), Some(web_dir)) => Some(Prebuilt { node_bin, web_dir }),
            (None, None) => None,
            _ => bail!("--node-bin and --web-dir go together"),
        };
        Ok(options)
    }
}

/// What [`build`] made, and whether the desktop app is to be opened.
#[derive(Debug)]
pub struct Built {
    /// `<target>/debug`, where the node's and the desktop app's binaries are.
    pub bin: PathBuf,
    /// The built web UI.
    pub dist: PathBuf,
    pub has_display: bool,
    /// Whether to open the desktop app (a display, its packages, no `--no-desktop`).
    pub desktop: bool,
    /// Whether the desktop app's packages are installed, so it could be prebuilt.
    pub desktop_packages: bool,
}

/// Installs what is missing, builds the web UI and the node (and the desktop app when it is
/// to be opened).
fn build(no_desktop: bool) -> anyhow::Result<Built> {
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
    Ok(Built {
        bin: crate::target_dir().join("debug"),
        dist,
        has_display,
        desktop,
        desktop_packages,
    })
}

/// Opens the desktop app on the node at `url` and returns when it is closed.
pub fn open_desktop(bin: &std::path::Path, url: &str) -> anyhow::Result<()> {
    let status = Command::new(bin.join("sis-desktop"))
        .env("SIS_NODE_URL", url)
        .status()
        .context("starting the desktop app")?;
    if !status.success() {
        eprintln!("xtask: the desktop app exited with {status}");
    }
    Ok(())
}

/// With `--no-desktop` on a machine that could run the desktop app: its build, in the
/// background at the lowest priority while the node serves, so that a later `cargo xtask
/// run` opens it within a minute instead of compiling for minutes first. Ctrl-C stops it
/// with the node; what it compiled by then is kept.
pub fn prebuild_desktop() -> anyhow::Result<()> {
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

/// Waits until `addr` accepts connections; fails when `node` exits first.
pub fn wait_until_listening(node: &mut Child, addr: SocketAddr) -> anyhow::Result<()> {
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

/// SIGTERM, so the node shuts down gracefully, and waits for it.
pub fn stop(node: &mut Child) {
    let _ = Command::new("kill")
        .args(["-TERM", &node.id().to_string()])
        .status();
    let _ = node.wait();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> anyhow::Result<Options> {
        Options::parse(&args.iter().map(|a| a.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn countries_are_an_option_of_run_in_either_spelling() {
        assert_eq!(
            parse(&[]).expect("none"),
            Options::default(),
            "one node, as before"
        );
        let want = Options {
            no_desktop: true,
            countries: Some("kz,uz".into()),
            ..Options::default()
        };
        assert_eq!(
            parse(&["--countries", "kz,uz", "--no-desktop"]).expect("ok"),
            want
        );
        assert_eq!(
            parse(&["--no-desktop", "--countries=kz,uz"]).expect("ok"),
            want
        );
        let err = parse(&["--countries"]).expect_err("no list").to_string();
        assert!(err.starts_with("--countries: give"), "{err}");
        let prebuilt = parse(&[
            "--countries",
            "kz,uz",
            "--dir",
            "/tmp/net",
            "--node-bin",
            "/b/sis-signaling",
            "--web-dir",
            "/w",
        ])
        .expect("prebuilt");
        assert_eq!(prebuilt.dir, Some(PathBuf::from("/tmp/net")));
        assert_eq!(
            prebuilt.prebuilt,
            Some(Prebuilt {
                node_bin: "/b/sis-signaling".into(),
                web_dir: "/w".into(),
            })
        );
        let err = parse(&["--node-bin", "/b/sis-signaling"])
            .expect_err("half of prebuilt")
            .to_string();
        assert!(
            err.starts_with("--node-bin and --web-dir go together"),
            "{err}"
        );
        let err = parse(&["--country", "kz"])
            .expect_err("unknown")
            .to_string();
        assert!(err.starts_with("unknown option \"--country\""), "{err}");
    }
}
