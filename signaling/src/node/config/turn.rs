//! The `[turn]` section: the STUN and TURN servers handed to officers and the secret their
//! TURN credentials are made from (`crate::node::turn`).

use std::path::PathBuf;

use anyhow::{Context, bail};
use serde::Deserialize;

use crate::node::turn::{TurnSecret, UrlKind, check_url};

/// TURN (and STUN) servers handed to officers for their meeting connections, with TURN
/// credentials that expire, made from a secret shared with the TURN server (coturn's
/// `use-auth-secret`; docs/turn.md). Without URLs officers reach the SFU directly.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TurnConfig {
    /// `turn:host:port?transport=udp`, `turns:host:5349?transport=tcp`, `stun:host:port`.
    /// Default: none. Env `SIS_TURN_URLS`, comma-separated.
    pub urls: Vec<String>,
    /// A file whose content (surrounding white space dropped) is the secret shared with the
    /// TURN server (coturn's `static-auth-secret`). Required with `turn:`/`turns:` URLs
    /// unless env `SIS_TURN_SECRET` holds the secret itself. The secret is not a key of
    /// this file: configuration files are read by more people than secrets should be.
    /// Env `SIS_TURN_SECRET_FILE`.
    pub secret_file: Option<PathBuf>,
    /// How long a credential is valid after it is handed out. Default 720 (12 hours), the
    /// default session lifetime: a credential is fetched when media starts and must last
    /// the longest meeting (the browser reuses it to refresh its relay and to restart ICE),
    /// and no officer stays signed in longer than a session, so a longer one would only
    /// widen what a leaked credential allows. Env `SIS_TURN_LIFETIME_MINUTES`.
    pub lifetime_minutes: u32,
    /// The secret, from `SIS_TURN_SECRET` or `secret_file`; filled by
    /// [`Config::load`](super::Config::load).
    #[serde(skip)]
    pub secret: Option<TurnSecret>,
}

/// A credential lifetime above this is a mistake (minutes taken for seconds) more likely
/// than a wish: a week.
const MAX_TURN_LIFETIME_MINUTES: u32 = 7 * 24 * 60;

impl Default for TurnConfig {
    fn default() -> Self {
        TurnConfig {
            urls: Vec::new(),
            secret_file: None,
            lifetime_minutes: 720,
            secret: None,
        }
    }
}

impl TurnConfig {
    /// Reads `secret_file` into `secret`, unless the secret came from the environment.
    pub(super) fn read_secret_file(&mut self) -> anyhow::Result<()> {
        let Some(path) = &self.secret_file else {
            return Ok(());
        };
        if self.secret.is_some() {
            bail!(
                "SIS_TURN_SECRET: turn.secret_file ({}) is set too; give the secret one way",
                path.display()
            );
        }
        // The error names the file, never its content.
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("turn.secret_file: cannot read {}", path.display()))?;
        let secret = text.trim();
        if secret.is_empty() {
            bail!("turn.secret_file: {} is empty", path.display());
        }
        self.secret = Some(TurnSecret::new(secret));
        Ok(())
    }

    pub(super) fn check(&self) -> anyhow::Result<()> {
        if self.lifetime_minutes == 0 || self.lifetime_minutes > MAX_TURN_LIFETIME_MINUTES {
            bail!(
                "turn.lifetime_minutes: {} is not 1 to {MAX_TURN_LIFETIME_MINUTES} (a week)",
                self.lifetime_minutes
            );
        }
        let mut needs_secret = false;
        for (i, url) in self.urls.iter().enumerate() {
            match check_url(url) {
                Ok(kind) => needs_secret |= kind == UrlKind::Turn,
                Err(why) => bail!("turn.urls[{i}]: {url:?} {why}"),
            }
        }
        match &self.secret {
            Some(secret) if secret.is_empty() => bail!("turn.secret: SIS_TURN_SECRET is empty"),
            None if needs_secret => bail!(
                "turn.secret: the turn: URLs need the secret shared with the TURN server; \
                 set turn.secret_file or SIS_TURN_SECRET"
            ),
            _ => Ok(()),
        }
    }

    /// A credential's lifetime in seconds.
    pub fn lifetime_s(&self) -> i64 {
        i64::from(self.lifetime_minutes) * 60
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_secret_file_is_read_without_its_new_line() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("turn-secret");
        std::fs::write(&path, "north-wind-4f1c9a\n").expect("write");
        let text = format!(
            "urls = [\"turn:127.0.0.1:3478\"]\nsecret_file = {:?}\n",
            path.display().to_string()
        );
        let mut c: TurnConfig = toml::from_str(&text).expect("valid toml");
        c.read_secret_file().expect("readable");
        c.check().expect("valid");
        let secret = c.secret.as_ref().expect("read");
        assert_eq!(
            crate::node::turn::credential(secret, "1767225600:ann.kz"),
            crate::node::turn::credential(
                &TurnSecret::new("north-wind-4f1c9a"),
                "1767225600:ann.kz"
            ),
        );

        // Given twice (SIS_TURN_SECRET and a file), the secret is refused rather than one
        // way silently winning.
        let mut twice: TurnConfig = toml::from_str(&text).expect("valid toml");
        twice.secret = Some(TurnSecret::new("other"));
        let err = twice.read_secret_file().expect_err("two secrets");
        assert!(err.to_string().starts_with("SIS_TURN_SECRET"), "{err}");

        std::fs::write(&path, " \n").expect("write");
        let mut empty: TurnConfig = toml::from_str(&text).expect("valid toml");
        let err = empty.read_secret_file().expect_err("empty");
        assert!(err.to_string().starts_with("turn.secret_file"), "{err}");

        let mut missing: TurnConfig = toml::from_str(&text).expect("valid toml");
        missing.secret_file = Some(dir.path().join("nothing-here"));
        let err = missing.read_secret_file().expect_err("missing");
        assert!(
            format!("{err:#}").starts_with("turn.secret_file"),
            "{err:#}"
        );
    }

    #[test]
    fn bad_settings_name_their_field_and_reason() {
        let with = |urls: &[&str], secret: Option<&str>, lifetime_minutes: u32| TurnConfig {
            urls: urls.iter().map(|u| (*u).to_owned()).collect(),
            secret: secret.map(TurnSecret::new),
            lifetime_minutes,
            secret_file: None,
        };
        with(&["stun:stun.example.org:3478"], None, 720)
            .check()
            .expect("stun needs no secret");
        for (config, field, reason) in [
            (
                with(
                    &["stun:a.example", "https://turn.example.org"],
                    Some("s"),
                    720,
                ),
                "turn.urls[1]",
                "scheme",
            ),
            (
                with(&["turn://turn.example.org"], Some("s"), 720),
                "turn.urls[0]",
                "//",
            ),
            (
                with(&["turn:turn.example.org:3478"], None, 720),
                "turn.secret",
                "SIS_TURN_SECRET",
            ),
            (
                with(&["turn:turn.example.org:3478"], Some(""), 720),
                "turn.secret",
                "empty",
            ),
            (with(&[], None, 0), "turn.lifetime_minutes", "1 to"),
            (with(&[], None, 20_000), "turn.lifetime_minutes", "1 to"),
        ] {
            let err = config.check().expect_err(field).to_string();
            assert!(err.starts_with(field) && err.contains(reason), "{err}");
        }
        // The secret is no key of the file.
        let err = toml::from_str::<TurnConfig>("secret = \"s\"").expect_err("secret key");
        assert!(err.to_string().contains("secret"), "{err}");
    }
}
