//! `cargo xtask run | test`: the only entry points a person needs.
//!
//! - `run`: installs what is missing, builds the web UI, starts a country node on embedded
//!   SQLite with a demo administrator, and opens the desktop app when a display exists;
//!   with `--countries kz,uz,kg`, a network of country nodes on loopback instead ([`net`]).
//! - `bench`: the benchmarks, each as a ratio to a reference measured in the same run.
//! - `fuzz`: the fuzz step of `test` alone.
//! - `soak`: three nodes exchanging letters while they are killed and restarted, then a
//!   partition healed ([`soak`]).
//! - `test`: everything CI runs: formatting, lints, all tests (the store suite also on a
//!   throwaway PostgreSQL), the desktop and the web UI driven end to end, and the Windows
//!   type-check of the desktop crate.
//!
//! # Layout
//! - [`accounts`]: the demo accounts, made through the node's CLI.
//! - [`deps`]: Debian packages, the wasm32 target, pinned cargo tools.
//! - [`web`]: building `frontend/dist` (wasm + wasm-bindgen + static files).
//! - [`fuzz`]: the seeds replayed through the fuzz targets, and short fuzzing runs.
//! - [`net`]: the network of country nodes on one machine (PKI, trust list, configs).
//! - [`postgres`]: a throwaway PostgreSQL cluster from Debian's packages.
//! - [`run`], [`test`]: the two commands.
//! - [`secret`]: random bytes, private files, key seeds.
//! - [`sh`]: running commands with their output shown.
//! - [`soak`]: the exchange under SIGKILL and partition, checked end to end.

mod accounts;
mod deps;
mod fuzz;
mod net;
mod postgres;
mod run;
mod secret;
mod sh;
mod soak;
mod test;
mod web;

use std::path::PathBuf;

fn usage() -> ! {
    eprintln!(
        "usage: cargo xtask <command>\n\n\
         commands:\n  \
         run [--no-desktop]   build and start a country node with the web UI (and the desktop app\n                       \
         when a display exists)\n  \
         run --countries kz,uz,kg [--no-desktop]\n                       \
         a network of those member countries' nodes on loopback (any of af,az,cn,ge,\n                       \
         kg,kz,mn,pk,tj,tm,uz, or `all`): a test PKI, a signed trust list, a config,\n                       \
         a demo admin and officer per node; writes <target>/demo-net/network.json;\n                       \
         Ctrl-C stops them all\n  \
         run --countries kz,uz --dir <folder> --node-bin <file> --web-dir <folder>\n                       \
         the same from binaries built already, its files in <folder>, on any free\n                       \
         ports (for tests; SIGTERM to its process group stops it)\n  \
         test                 everything CI runs\n  \
         fuzz                 the fuzz step of `test` alone: the seeds through every fuzz target,\n                       \
         then a few seconds of fuzzing each (SIS_FUZZ_SECONDS)\n  \
         bench                the benchmarks (figures as ratios to a reference measured in the same run)\n  \
         soak [--envelopes N] [--seed S]\n                       \
         three nodes exchange N letters' envelopes (default 10,000) while they are\n                       \
         killed with SIGKILL and restarted; every envelope must arrive once, with\n                       \
         receipts matching the logs, cosigned; then a cut link is healed"
    );
    std::process::exit(2)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run::run(&args[1..]),
        Some("test") => test::test(),
        Some("bench") => bench(),
        Some("fuzz") => fuzz::test(),
        Some("soak") => soak::command(&args[1..]),
        _ => usage(),
    };
    if let Err(e) = result {
        eprintln!("xtask: error: {e:#}");
        std::process::exit(1);
    }
}

/// `cargo xtask bench`: each benchmark prints its figures beside a reference measured in
/// the same run, since the machine is shared and absolute times are noise.
fn bench() -> anyhow::Result<()> {
    // The whole workspace selected in each call, as in `run` and `test` (see
    // `sh::cargo_bins`): one build of each dependency.
    sh::run(sh::cargo().args(["bench", "--workspace", "--bench", "directory_search"]))?;
    // Meetings: our SFU against Janus, both on loopback; the node as it ships (release).
    let all: Vec<&str> = deps::TEST.iter().chain(deps::BENCH).copied().collect();
    if !deps::apt(&all)? {
        anyhow::bail!("install the packages above (as root), then run `cargo xtask bench` again");
    }
    // The exchange between two nodes, on SQLite and on a throwaway PostgreSQL.
    let pg = postgres::Cluster::start()?;
    sh::run(
        sh::cargo()
            .args(["bench", "--workspace", "--bench", "exchange"])
            .env("SIS_TEST_POSTGRES_URL", &pg.url),
    )?;
    drop(pg);
    deps::wasm_target()?;
    deps::wasm_bindgen_matches()?;
    let dist = web::build()?;
    sh::run(sh::cargo_bins("build", &["sis-signaling"]).arg("--release"))?;
    let node_bin = target_dir().join("release").join("sis-signaling");
    sh::run(
        sh::cargo()
            .args(["bench", "--workspace", "--bench", "meetings"])
            .env("SIS_E2E_NODE_BIN", &node_bin)
            .env("SIS_E2E_WEB_DIR", &dist),
    )?;
    // Hostile load: 20,000 slowloris connections need more open files than the usual
    // default, so the bench runs under a raised limit where the hard limit allows it.
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    sh::run(
        std::process::Command::new("bash")
            .args([
                "-c",
                "ulimit -n 65536 2>/dev/null || ulimit -n \"$(ulimit -Hn)\"; exec \"$@\"",
                "bench",
            ])
            .arg(cargo)
            .args(["bench", "--workspace", "--bench", "hostile"])
            .current_dir(root())
            .env("SIS_E2E_NODE_BIN", &node_bin)
            .env("SIS_E2E_WEB_DIR", &dist),
    )
}

/// The workspace root (xtask lives one level below it).
pub fn root() -> PathBuf {
    // `cargo run` sets CARGO_MANIFEST_DIR for the program too. Prefer it to the value
    // compiled in: a build directory shared by two checkouts may hold an xtask built from
    // the other one.
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

/// Cargo's target folder: `CARGO_TARGET_DIR` or `<root>/target`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                root().join(dir)
            }
        }
        None => root().join("target"),
    }
}
