//! Demo accounts, created through the node's own CLI (`sis-signaling officer add`) so that
//! they are made exactly as an operator makes them; each password is kept beside the
//! database, readable only by its owner, so that later runs print it again.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context, bail};

use crate::secret;

/// An account `cargo xtask run` creates on a node.
#[derive(Debug, Clone, Copy)]
pub struct DemoAccount {
    pub login: &'static str,
    pub name: &'static str,
    /// A role `sis-signaling officer add --role` accepts.
    pub role: &'static str,
    /// Where its password is kept, in the node's data folder.
    pub password_file: &'static str,
}

pub const ADMIN: DemoAccount = DemoAccount {
    login: "demo.admin",
    name: "Demo Administrator",
    role: "admin",
    password_file: "demo-admin-password.txt",
};

pub const OFFICER: DemoAccount = DemoAccount {
    login: "demo.officer",
    name: "Demo Officer",
    role: "officer",
    password_file: "demo-officer-password.txt",
};

const AGENCY: &str = "Central customs office";

/// Creates `account` on first run and returns its password. `node` is the node's binary
/// already pointed at the node's data (environment or `--config`); the subcommand is added
/// here.
pub fn ensure(mut node: Command, data: &Path, account: &DemoAccount) -> anyhow::Result<String> {
    let file = data.join(account.password_file);
    if let Ok(existing) = std::fs::read_to_string(&file) {
        return Ok(existing.trim().to_owned());
    }
    let password = secret::random_password()?;
    let mut child = node
        .args(["officer", "add", "--login", account.login])
        .args(["--name", account.name])
        .args(["--role", account.role, "--agency", AGENCY])
        .stdin(Stdio::piped())
        .spawn()
        .with_context(|| format!("creating the demo account {}", account.login))?;
    child
        .stdin
        .take()
        .context("stdin")?
        .write_all(format!("{password}\n").as_bytes())?;
    let status = child.wait()?;
    if !status.success() {
        bail!(
            "creating the demo account {} failed ({status})",
            account.login
        );
    }
    secret::write_private(&file, password.as_bytes())?;
    Ok(password)
}
