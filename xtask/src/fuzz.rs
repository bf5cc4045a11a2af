//! The fuzz targets in `cargo xtask test`: every committed seed replayed through every
//! target, then a short fuzzing run per target. A panic in a target fails the run.
//!
//! cargo-fuzz needs a nightly toolchain. When there is none and rustup cannot install
//! one, the targets are built on stable without coverage instrumentation and the seeds are
//! only replayed (libFuzzer runs the files it is given and stops).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, bail};

use crate::sh;

/// Pinned, like the other tools; installed with `--locked`.
const CARGO_FUZZ_VERSION: &str = "0.13.2";

/// Seconds of fuzzing per target (after the replay); `SIS_FUZZ_SECONDS` changes it, 0
/// skips fuzzing and keeps the replay.
const DEFAULT_SECONDS: u64 = 8;

/// The targets, as `fuzz/Cargo.toml` names its `[[bin]]`s.
fn targets() -> anyhow::Result<Vec<String>> {
    let manifest = std::fs::read_to_string(fuzz_dir().join("Cargo.toml"))
        .context("reading fuzz/Cargo.toml")?;
    let mut names = Vec::new();
    let mut in_bin = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_bin = line == "[[bin]]";
        } else if in_bin && let Some(rest) = line.strip_prefix("name") {
            let name = rest
                .trim_start()
                .trim_start_matches('=')
                .trim()
                .trim_matches('"');
            names.push(name.to_owned());
        }
    }
    if names.is_empty() {
        bail!("no [[bin]] in fuzz/Cargo.toml");
    }
    Ok(names)
}

fn fuzz_dir() -> PathBuf {
    crate::root().join("fuzz")
}

/// The folders `fuzz/seeds/*/`.
fn seed_dirs() -> anyhow::Result<Vec<PathBuf>> {
    let seeds = fuzz_dir().join("seeds");
    let mut dirs = Vec::new();
    for dir in std::fs::read_dir(&seeds).with_context(|| format!("reading {}", seeds.display()))? {
        let dir = dir?.path();
        if dir.is_dir() {
            dirs.push(dir);
        }
    }
    dirs.sort();
    Ok(dirs)
}

/// Every file under `fuzz/seeds/*/`.
fn seed_files() -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for dir in seed_dirs()? {
        for file in std::fs::read_dir(&dir)? {
            let file = file?.path();
            if file.is_file() {
                files.push(file);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// A command for the nightly toolchain, cleared of what the stable cargo running xtask
/// put in the environment (it would pick stable's cargo and rustc again).
fn nightly(program: &str) -> Command {
    let mut c = Command::new("rustup");
    c.args(["run", "nightly", program])
        .current_dir(crate::root());
    for var in [
        "CARGO",
        "RUSTC",
        "RUSTDOC",
        "RUSTUP_TOOLCHAIN",
        "CARGO_MANIFEST_DIR",
    ] {
        c.env_remove(var);
    }
    c
}

fn has_nightly() -> bool {
    nightly("rustc")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A nightly toolchain (the one installed, or a new minimal one) and cargo-fuzz at its
/// pinned version. False when no nightly can be had.
fn nightly_and_cargo_fuzz() -> anyhow::Result<bool> {
    if !has_nightly() {
        sh::once(
            "no nightly toolchain: installing a minimal one",
            "about a minute",
        );
        let installed = Command::new("rustup")
            .args(["toolchain", "install", "nightly", "--profile", "minimal"])
            .status()
            .is_ok_and(|s| s.success());
        if !installed || !has_nightly() {
            return Ok(false);
        }
    }
    if !crate::deps::cargo_installed("cargo-fuzz", CARGO_FUZZ_VERSION) {
        sh::once(
            &format!("installing cargo-fuzz {CARGO_FUZZ_VERSION}"),
            "about 2 minutes",
        );
        sh::run(sh::cargo().args([
            "install",
            "cargo-fuzz",
            "--locked",
            "--version",
            CARGO_FUZZ_VERSION,
        ]))?;
    }
    Ok(true)
}

pub fn test() -> anyhow::Result<()> {
    let started = Instant::now();
    let targets = targets()?;
    let seeds = seed_files()?;
    if nightly_and_cargo_fuzz()? {
        with_cargo_fuzz(&targets, &seeds)?;
    } else {
        eprintln!(
            "xtask: no nightly toolchain could be had: the fuzz targets are built on stable \
             and only replay the seeds"
        );
        replay_on_stable(&targets, &seeds)?;
    }
    eprintln!(
        "xtask: fuzz targets passed ({} targets, {} seeds each, {:.0} s)",
        targets.len(),
        seeds.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn seconds() -> anyhow::Result<u64> {
    match std::env::var("SIS_FUZZ_SECONDS") {
        Ok(s) => s.parse().context("SIS_FUZZ_SECONDS: a number of seconds"),
        Err(_) => Ok(DEFAULT_SECONDS),
    }
}

fn with_cargo_fuzz(targets: &[String], seeds: &[PathBuf]) -> anyhow::Result<()> {
    let target_dir = crate::target_dir().join("fuzz");
    sh::step(
        "building the fuzz targets with cargo-fuzz (nightly, AddressSanitizer, debug assertions)",
        "about 3 minutes",
        "seconds",
    );
    sh::run(
        nightly("cargo")
            .args(["fuzz", "build", "--target-dir"])
            .arg(&target_dir),
    )?;
    // cargo-fuzz builds for the host triple, explicitly.
    let host = sh::output(nightly("rustc").arg("-vV"))?
        .lines()
        .find_map(|l| l.strip_prefix("host: ").map(str::to_owned))
        .context("no host in `rustc -vV`")?;
    let bins = target_dir.join(host).join("release");
    let artifacts = fuzz_dir().join("artifacts");

    // Given files, libFuzzer runs each once and stops; a panic aborts it with a non-zero
    // status and the input is written under fuzz/artifacts/<target>/.
    eprintln!(
        "xtask: replaying {} seeds (fuzz/seeds/*/*) through each fuzz target",
        seeds.len()
    );
    for target in targets {
        let mut c = libfuzzer(&bins, &artifacts, target)?;
        c.args(seeds);
        run_target(target, "replay", &mut c, Some(seeds.len()))?;
    }

    let seconds = seconds()?;
    if seconds == 0 {
        return Ok(());
    }
    // A fresh corpus and a fixed libFuzzer seed each time, so that a run is repeatable on
    // the same machine; every seed folder is where each target starts (the first folder
    // given is where libFuzzer writes what it finds).
    eprintln!("xtask: fuzzing each target for {seconds} s (SIS_FUZZ_SECONDS)");
    let scratch = target_dir.join("corpus");
    for target in targets {
        let corpus = scratch.join(target);
        let _ = std::fs::remove_dir_all(&corpus);
        std::fs::create_dir_all(&corpus)?;
        let mut c = libfuzzer(&bins, &artifacts, target)?;
        c.arg(format!("-max_total_time={seconds}"))
            .arg("-seed=1")
            .arg(&corpus)
            .args(seed_dirs()?);
        run_target(target, "fuzz", &mut c, None)?;
    }
    Ok(())
}

/// A libFuzzer binary, writing what makes it fail under `fuzz/artifacts/<target>/` as
/// `cargo fuzz run` does.
fn libfuzzer(bins: &Path, artifacts: &Path, target: &str) -> anyhow::Result<Command> {
    let dir = artifacts.join(target);
    std::fs::create_dir_all(&dir)?;
    let mut c = Command::new(bins.join(target));
    c.arg(format!("-artifact_prefix={}/", dir.display()));
    Ok(c)
}

/// Runs a target's binary with its output in `<target dir>/fuzz/logs/<target>.<step>.log`
/// (libFuzzer writes thousands of lines); `files`: how many input files end its command
/// line (echoed as their number). On failure the end of the log is shown.
fn run_target(
    target: &str,
    step: &str,
    cmd: &mut Command,
    files: Option<usize>,
) -> anyhow::Result<()> {
    let args: Vec<String> = cmd
        .get_args()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let shown = args.len() - files.unwrap_or(0);
    let mut line = cmd.get_program().to_string_lossy().into_owned();
    for a in &args[..shown] {
        line.push(' ');
        line.push_str(a);
    }
    if let Some(n) = files {
        line.push_str(&format!(" <the {n} seed files>"));
    }
    let logs = crate::target_dir().join("fuzz").join("logs");
    std::fs::create_dir_all(&logs)?;
    let log = logs.join(format!("{target}.{step}.log"));
    let out = std::fs::File::create(&log).with_context(|| format!("{}", log.display()))?;
    cmd.stdout(out.try_clone()?).stderr(out);
    eprintln!("xtask: $ {line} > {}", log.display());
    let status = cmd.status().with_context(|| format!("starting {target}"))?;
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    if !status.success() {
        // The input, the panic, and where libFuzzer wrote the input; the stack traces stay
        // in the log.
        let lines: Vec<&str> = text.lines().collect();
        let last_input = lines.iter().rposition(|l| l.starts_with("Running: "));
        for (i, l) in lines.iter().enumerate() {
            let panic = l.contains(" panicked at ")
                || i.checked_sub(1)
                    .is_some_and(|p| lines[p].contains(" panicked at "));
            if Some(i) == last_input
                || panic
                || l.starts_with("SUMMARY:")
                || l.contains("Test unit written to")
                || l.starts_with("Base64:")
            {
                eprintln!("  | {l}");
            }
        }
        bail!(
            "fuzz target {target} failed ({status}); the whole output is in {}; reproduce \
             with `cargo +nightly fuzz run {target} <the input>`",
            log.display()
        );
    }
    if let Some(done) = text.lines().rev().find(|l| l.starts_with("Done ")) {
        eprintln!("xtask:   {target}: {done}");
    }
    Ok(())
}

/// Without nightly: the targets built on stable (no coverage, no sanitizer), each binary
/// given every seed file.
fn replay_on_stable(targets: &[String], seeds: &[PathBuf]) -> anyhow::Result<()> {
    let target_dir = crate::target_dir().join("fuzz-stable");
    sh::run(
        sh::cargo()
            .args(["build", "--manifest-path", "fuzz/Cargo.toml", "--bins"])
            .arg("--target-dir")
            .arg(&target_dir),
    )?;
    for target in targets {
        let bin: &Path = &target_dir.join("debug").join(target);
        run_target(
            target,
            "replay",
            Command::new(bin).args(seeds),
            Some(seeds.len()),
        )?;
    }
    Ok(())
}
