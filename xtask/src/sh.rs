//! Running commands: echoed, output shown, failure an error naming the command.

use std::process::Command;

use anyhow::{Context, bail};

fn describe(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for a in cmd.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

/// Runs `cmd`, inheriting stdio; fails unless it exits 0.
pub fn run(cmd: &mut Command) -> anyhow::Result<()> {
    let line = describe(cmd);
    eprintln!("xtask: $ {line}");
    let status = cmd.status().with_context(|| format!("starting `{line}`"))?;
    if !status.success() {
        bail!("`{line}` failed ({status})");
    }
    Ok(())
}

/// Runs `cmd` and returns its stdout; fails unless it exits 0.
pub fn output(cmd: &mut Command) -> anyhow::Result<String> {
    let line = describe(cmd);
    let out = cmd.output().with_context(|| format!("starting `{line}`"))?;
    if !out.status.success() {
        bail!(
            "`{line}` failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// A line before a step that can take long, with how long it takes on a first run (a
/// clean build folder, 2 cores) and on later runs.
pub fn step(what: &str, first_run: &str, later: &str) {
    eprintln!("xtask: == {what} (first run: {first_run}; later runs: {later})");
}

/// A line before an installation that later runs skip.
pub fn once(what: &str, takes: &str) {
    eprintln!("xtask: == {what} ({takes}, once)");
}

/// `cargo <subcommand> --workspace --bin <name>…`: the binaries asked for, with the
/// dependencies' features resolved for the whole workspace. `cargo build -p a` and
/// `cargo build -p b` resolve features per selection, so each rebuilt hundreds of crates
/// the other had built; selecting the workspace in every call of xtask (and `cargo test
/// --workspace`) keeps one build of each dependency.
pub fn cargo_bins(subcommand: &str, bins: &[&str]) -> Command {
    let mut c = cargo();
    c.args([subcommand, "--workspace"]);
    for bin in bins {
        c.args(["--bin", bin]);
    }
    c
}

/// `cargo` as invoked by this process (so the same toolchain is used).
pub fn cargo() -> Command {
    let mut c = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    c.current_dir(crate::root());
    c
}

/// Whether a program is on PATH.
pub fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}
