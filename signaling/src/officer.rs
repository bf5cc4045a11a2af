//! `sis-signaling officer …`: account administration from the node's own machine. Each
//! change is audited with the actor `cli` and the operating-system user.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::{Context, bail};
use sis_proto::Role;

use crate::auth::password;
use crate::ids::Login;
use crate::node::state::now_ms;
use crate::store::{AuditAction, NewAuditEntry, NewOfficer, Store, StoreError};

/// Checks a login name: 3–64 characters of `a-z 0-9 . _ -`, starting with a letter or digit.
pub fn check_login(login: &str) -> anyhow::Result<Login> {
    Ok(Login::parse(login)?)
}

/// Reads a new password: from stdin when piped (first line), else prompted twice.
pub fn read_new_password() -> anyhow::Result<String> {
    let pw = if std::io::stdin().is_terminal() {
        let a = rpassword::prompt_password("New password: ").context("reading the password")?;
        let b = rpassword::prompt_password("Repeat it: ").context("reading the password")?;
        if a != b {
            bail!("password: the two entries differ");
        }
        a
    } else {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("reading the password from standard input")?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    };
    password::check_rules(&pw)?;
    Ok(pw)
}

/// The operating-system user running the command, from the process's real user id and
/// the system's user database, not from `$USER`, which the caller sets as it likes (and
/// which is often unset under cron, systemd or `env -i`). A user id without a name is
/// written as `uid:N`.
#[cfg(unix)]
pub fn os_user() -> String {
    let uid = uzers::get_current_uid();
    match uzers::get_user_by_uid(uid) {
        Some(user) => user.name().to_string_lossy().into_owned(),
        None => format!("uid:{uid}"),
    }
}

/// The operating-system user running the command (from the environment off Unix).
#[cfg(not(unix))]
pub fn os_user() -> String {
    std::env::var("USERNAME").unwrap_or_else(|_| "unknown".into())
}

async fn audit(
    store: &Store,
    action: AuditAction,
    target: &str,
    outcome: &str,
) -> anyhow::Result<()> {
    let actor = format!("cli:{}", os_user());
    store
        .append_audit(
            &NewAuditEntry {
                actor: Some(&actor),
                action,
                target: Some(target),
                address: Some("cli"),
                outcome,
            },
            now_ms(),
        )
        .await?;
    Ok(())
}

#[derive(Debug)]
pub struct AddOfficer<'a> {
    pub login: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub agency: &'a str,
    pub country: &'a str,
}

/// Creates an account with the given password.
pub async fn add(store: &Store, o: &AddOfficer<'_>, password: &str) -> anyhow::Result<()> {
    check_login(o.login)?;
    let name = crate::text::one_line("name", o.name, 200)?;
    let agency = crate::text::one_line("agency", o.agency, 100)?;
    password::check_rules(password)?;
    let hash = password::hash(password).map_err(|e| anyhow::anyhow!("hashing: {e}"))?;
    let result = store
        .insert_officer(
            &NewOfficer {
                login: o.login,
                name,
                role: o.role,
                agency,
                country: o.country,
                password_hash: &hash,
            },
            now_ms(),
        )
        .await;
    match result {
        Ok(_) => {
            audit(store, AuditAction::OfficerAdd, o.login, "ok").await?;
            Ok(())
        }
        Err(StoreError::Duplicate { .. }) => {
            bail!("login: an account {:?} already exists", o.login)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn set_disabled(store: &Store, login: &str, disabled: bool) -> anyhow::Result<()> {
    let typed = check_login(login)?;
    match store.set_officer_disabled(&typed, disabled, now_ms()).await {
        Ok(()) => {
            let action = if disabled {
                AuditAction::OfficerDisable
            } else {
                AuditAction::OfficerEnable
            };
            audit(store, action, login, "ok").await
        }
        Err(StoreError::NotFound(_)) => bail!("login: no account {login:?}"),
        Err(e) => Err(e.into()),
    }
}

pub async fn set_password(store: &Store, login: &str, password: &str) -> anyhow::Result<()> {
    let typed = check_login(login)?;
    password::check_rules(password)?;
    let hash = password::hash(password).map_err(|e| anyhow::anyhow!("hashing: {e}"))?;
    match store.set_officer_password(&typed, &hash, now_ms()).await {
        Ok(()) => audit(store, AuditAction::OfficerPasswd, login, "ok").await,
        Err(StoreError::NotFound(_)) => bail!("login: no account {login:?}"),
        Err(e) => Err(e.into()),
    }
}

/// Prints the accounts as a table: a header, then one account a line, each column as
/// wide as its longest value.
pub async fn list(store: &Store, out: &mut impl Write) -> anyhow::Result<()> {
    let rows = store.list_officers().await?;
    let rows: Vec<[String; 5]> = rows
        .into_iter()
        .map(|r| {
            let o = r.officer;
            let status = if o.disabled { "disabled" } else { "active" };
            [
                o.login,
                o.role.as_str().to_owned(),
                status.to_owned(),
                o.agency,
                o.name,
            ]
        })
        .collect();
    out.write_all(table(&["LOGIN", "ROLE", "STATUS", "AGENCY", "NAME"], &rows).as_bytes())?;
    Ok(())
}

/// Lays out `rows` under `header` in columns two spaces apart; widths are counted in
/// characters, so Cyrillic text lines up too. The last column is not padded.
fn table<const N: usize>(header: &[&str; N], rows: &[[String; N]]) -> String {
    let mut widths = header.map(|h| h.chars().count());
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut text = String::new();
    let lines = std::iter::once(header.map(str::to_owned)).chain(rows.iter().cloned());
    for line in lines {
        for (i, cell) in line.iter().enumerate() {
            text.push_str(cell);
            if i + 1 < N {
                let pad = widths[i] - cell.chars().count() + 2;
                text.extend(std::iter::repeat_n(' ', pad));
            }
        }
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_are_checked() {
        for ok in ["a.ivanov", "kz-admin", "off1cer_7"] {
            check_login(ok).expect(ok);
        }
        for bad in ["ab", "Ivanov", "-x-y", "a b c", "иванов", &"a".repeat(65)] {
            let err = check_login(bad).expect_err(bad);
            assert!(err.to_string().starts_with("login:"), "{err}");
        }
    }

    #[test]
    fn tables_line_up_in_characters() {
        let rows = [
            ["a.ivanov".to_owned(), "Алматы".to_owned(), "x".to_owned()],
            [
                "kz-admin-longer".to_owned(),
                "HQ".to_owned(),
                "y".to_owned(),
            ],
        ];
        assert_eq!(
            table(&["LOGIN", "AGENCY", "NAME"], &rows),
            "LOGIN            AGENCY  NAME\n\
             a.ivanov         Алматы  x\n\
             kz-admin-longer  HQ      y\n"
        );
    }
}
