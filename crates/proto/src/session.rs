//! Logging in and the signed-in officer.

use serde::{Deserialize, Serialize};

/// What a user may do. Every request is checked against it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Role {
    /// A customs officer: works with documents of its own agency.
    Officer,
    /// An officer who also approves and oversees the work of its agency.
    Supervisor,
    /// Runs the node: accounts, configuration, audit log.
    Admin,
    /// A trader on the business platform: sees its own documents only.
    Trader,
    /// The national customs system's adapter.
    System,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Officer,
        Role::Supervisor,
        Role::Admin,
        Role::Trader,
        Role::System,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Role::Officer => "officer",
            Role::Supervisor => "supervisor",
            Role::Admin => "admin",
            Role::Trader => "trader",
            Role::System => "system",
        }
    }

    /// Parses the stored or typed spelling; `None` for anything else.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Body of `POST /api/v1/session`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub login: String,
    pub password: String,
}

// The password must never reach a log through `{:?}`.
impl std::fmt::Debug for LoginRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginRequest")
            .field("login", &self.login)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// Answer to a successful login.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginResponse {
    /// Opaque bearer token; the node keeps only its hash.
    pub token: String,
    pub officer: Officer,
    /// When the session ends at the latest (Unix milliseconds); idleness may end it sooner.
    pub expires_at: i64,
}

impl std::fmt::Debug for LoginResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginResponse")
            .field("token", &"<redacted>")
            .field("officer", &self.officer)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// An account as the node shows it to its holder and to admins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Officer {
    pub login: String,
    pub name: String,
    pub role: Role,
    /// The agency within the country's customs service (e.g. a regional office or checkpoint).
    pub agency: String,
    /// ISO 3166-1 alpha-2 code of the node's country.
    pub country: String,
    pub disabled: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_spelling_round_trips() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
            let json = serde_json::to_string(&role).expect("serialises");
            assert_eq!(json, format!("\"{role}\""));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn debug_output_hides_secrets() {
        let req = LoginRequest {
            login: "a".into(),
            password: "hunter2".into(),
        };
        assert!(!format!("{req:?}").contains("hunter2"));
    }
}
