//! The command line of `sis-signaling`.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use sis_proto::Role;

#[derive(Debug, Parser)]
#[command(name = "sis-signaling", version, about = "CAREC SIS country node")]
pub struct Cli {
    /// Configuration file (TOML); see sis.example.toml. Environment variables SIS_* win over it.
    #[arg(long, global = true, env = "SIS_CONFIG")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the node.
    Serve,
    /// Manage officer accounts.
    #[command(subcommand)]
    Officer(OfficerCommand),
}

#[derive(Debug, Subcommand)]
pub enum OfficerCommand {
    /// Create an account. The password is read from standard input when it is not a
    /// terminal, else prompted for twice.
    Add {
        #[arg(long)]
        login: String,
        /// Full name as shown to others.
        #[arg(long)]
        name: String,
        /// officer, supervisor, admin, trader or system.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// The agency within the customs service (office, checkpoint, department).
        #[arg(long)]
        agency: String,
    },
    /// List the accounts.
    List,
    /// Disable an account and end its sessions.
    Disable {
        #[arg(long)]
        login: String,
    },
    /// Enable a disabled account.
    Enable {
        #[arg(long)]
        login: String,
    },
    /// Set a new password (read like `add`) and end the account's sessions.
    Passwd {
        #[arg(long)]
        login: String,
    },
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| {
        let all: Vec<_> = Role::ALL.iter().map(|r| r.as_str()).collect();
        format!("unknown role {s:?}: expected one of {}", all.join(", "))
    })
}
