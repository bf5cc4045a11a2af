//! The command line of `sis-signaling`.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use sis_customs::documents::DocumentType;
use sis_customs::edifact::Charset;
use sis_proto::Role;

use crate::convert::Form;

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
    /// Convert a document between UN/EDIFACT, XML and JSON: standard input to standard
    /// output. The input is validated first; every problem goes to standard error, one a
    /// line, and nothing is written unless it is valid.
    Convert {
        /// The form of the input; told from its first characters when absent.
        #[arg(long, value_enum)]
        from: Option<Form>,
        /// The form to write.
        #[arg(long, value_enum)]
        to: Form,
        /// The document type the input must be (single-invoice, preliminary-information,
        /// sw-application, sw-decision, …).
        #[arg(long = "type", value_parser = parse_document_type)]
        document_type: Option<DocumentType>,
        /// EDIFACT character set to write: UNOC, UNOE (Cyrillic) or UNOW (UTF-8); by
        /// default the first of these that holds the text.
        #[arg(long, value_parser = parse_charset)]
        charset: Option<Charset>,
        /// EDIFACT interchange sender (UNB 0004).
        #[arg(long, default_value = "CAREC-SIS")]
        sender: String,
        /// EDIFACT interchange recipient (UNB 0010).
        #[arg(long, default_value = "NATIONAL-SYSTEM")]
        recipient: String,
        /// EDIFACT interchange control reference (UNB 0020); the time by default.
        #[arg(long)]
        control_reference: Option<String>,
    },
    /// Validate documents read from standard input (UN/EDIFACT, XML or JSON, told from the
    /// first characters): exit status 0 only when valid; every problem on standard error,
    /// one a line.
    Validate {
        #[arg(long, value_enum)]
        from: Option<Form>,
        #[arg(long = "type", value_parser = parse_document_type)]
        document_type: Option<DocumentType>,
    },
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

fn parse_document_type(s: &str) -> Result<DocumentType, String> {
    DocumentType::parse(s).map_err(|_| {
        let all: Vec<_> = DocumentType::ALL.iter().map(|t| t.as_str()).collect();
        format!(
            "unknown document type {s:?}: expected one of {}",
            all.join(", ")
        )
    })
}

fn parse_charset(s: &str) -> Result<Charset, String> {
    match Charset::from_identifier(&s.to_ascii_uppercase()) {
        Some(charset @ (Charset::UnoC | Charset::UnoE | Charset::UnoW)) => Ok(charset),
        _ => Err(format!(
            "unknown character set {s:?}: expected UNOC, UNOE or UNOW"
        )),
    }
}
