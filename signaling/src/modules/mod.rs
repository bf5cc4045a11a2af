//! The node's modules, each in its own room (`modules/<name>/`), and the one registry that
//! mounts them: their routes on the internal face, their WebSocket messages, and the audit
//! actions they write.
//!
//! A module's room holds `mod.rs` (its [`Module`] entry and what it exports), `handlers.rs`
//! (thin HTTP handlers: parse, call the rules, map the result), `rules.rs` (its business
//! rules as pure functions, tested without a node) and `store.rs` (its tables, as `impl
//! Store` blocks over the node's one pool). A new module adds its folder and one line to
//! [`ALL`]; nothing else in the node names it. `docs/architecture.md` draws the rooms.

pub mod directories;
pub mod exchange;
pub mod letters;
pub mod meetings;

use std::collections::BTreeSet;

use sis_proto::meeting::MeetingId;
use sis_proto::ws::ClientMessage;

use crate::internal::routes::Route;
use crate::node::state::AppState;
use crate::store::AuditAction;

pub use meetings::Conn;

/// What the registry knows of a module.
#[derive(Debug)]
pub struct Module {
    /// Its folder's name.
    pub name: &'static str,
    /// Its routes on the internal face, each with its access type.
    pub routes: fn() -> Vec<Route>,
    /// The first part of the audit actions it writes (`meeting` of `meeting.create`); no
    /// other module writes them. `None`: it writes nothing.
    pub audit_area: Option<&'static str>,
}

impl Module {
    /// The audit actions the module writes.
    pub fn audit_actions(&self) -> impl Iterator<Item = AuditAction> + '_ {
        AuditAction::ALL
            .iter()
            .copied()
            .filter(|a| Some(a.area()) == self.audit_area)
    }
}

/// Areas of the audit log that are the node's own, not a module's.
pub const NODE_AUDIT_AREAS: &[&str] = &["session", "officer"];

/// Every module of the node.
pub const ALL: &[Module] = &[
    directories::MODULE,
    meetings::MODULE,
    letters::MODULE,
    exchange::MODULE,
];

/// Every module's routes, for the internal face's route table.
pub fn routes() -> Vec<Route> {
    ALL.iter().flat_map(|m| (m.routes)()).collect()
}

/// What one WebSocket holds in the modules while it is open: what it must be taken out of
/// when it closes.
#[derive(Debug, Default)]
pub struct SocketHold {
    meetings: BTreeSet<MeetingId>,
}

/// Hands a client's WebSocket message to the module it is for. Gives the message back
/// when it is no module's (pings, a second `auth`), for the socket to answer itself.
pub async fn on_message(
    state: &AppState,
    conn: &Conn,
    hold: &mut SocketHold,
    message: ClientMessage,
) -> Result<(), ClientMessage> {
    match message {
        ClientMessage::Meeting { meeting, op } => {
            hold.meetings.insert(meeting);
            state.meetings.dispatch(conn, meeting, op).await;
            Ok(())
        }
        other => Err(other),
    }
}

/// What an officer's socket shows of an envelope accepted from another member: a module's
/// event, or nothing.
pub async fn on_accepted(
    state: &AppState,
    accepted: &crate::external::exchange::Accepted,
) -> Option<sis_proto::ws::ServerMessage> {
    match accepted.doc.as_str() {
        "letter" => letters::pushed(state, &accepted.envelope_id).await,
        _ => None,
    }
}

/// Tells the modules that a socket closed.
pub fn on_close(state: &AppState, conn: &Conn, hold: SocketHold) {
    state.meetings.disconnected(conn, hold.meetings);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_audit_action_has_one_owner() {
        for action in AuditAction::ALL {
            let node = NODE_AUDIT_AREAS.contains(&action.area());
            let modules: Vec<_> = ALL
                .iter()
                .filter(|m| m.audit_actions().any(|a| a == *action))
                .map(|m| m.name)
                .collect();
            assert_eq!(
                usize::from(node) + modules.len(),
                1,
                "{action}: node {node}, modules {modules:?}"
            );
        }
        let meetings: Vec<_> = meetings::MODULE.audit_actions().collect();
        assert!(meetings.contains(&AuditAction::MeetingEnd), "{meetings:?}");
        assert_eq!(directories::MODULE.audit_actions().count(), 0);
    }

    #[test]
    fn module_routes_are_mounted_under_the_api() {
        for module in ALL {
            for route in (module.routes)() {
                assert!(
                    route.path.starts_with("/api/v1/"),
                    "{route:?} of {}",
                    module.name
                );
            }
        }
    }
}
