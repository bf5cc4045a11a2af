//! An X server for the desktop app: Xvfb on a display number it picks itself
//! (`-displayfd`), so parallel runs never collide.

use std::io::Read;
use std::process::{Command, Stdio};

use anyhow::{Context, bail};

use crate::process::Owned;

#[derive(Debug)]
pub struct Xvfb {
    pub display: String,
    _process: Owned,
}

impl Xvfb {
    pub fn start() -> anyhow::Result<Xvfb> {
        let mut process = Owned::spawn(
            "Xvfb",
            Command::new("Xvfb")
                .args([
                    "-displayfd",
                    "1",
                    "-screen",
                    "0",
                    "1280x1024x24",
                    "-nolisten",
                    "tcp",
                ])
                .stdout(Stdio::piped())
                .stderr(Stdio::null()),
        )?;
        let mut stdout = process.child.stdout.take().context("stdout")?;
        let mut number = String::new();
        let mut byte = [0u8; 1];
        // Xvfb writes the display number and a newline once it accepts clients.
        while stdout.read(&mut byte)? == 1 && byte[0] != b'\n' {
            number.push(byte[0] as char);
        }
        if number.trim().parse::<u32>().is_err() {
            bail!("Xvfb did not report a display number (got {number:?})");
        }
        Ok(Xvfb {
            display: format!(":{}", number.trim()),
            _process: process,
        })
    }
}
