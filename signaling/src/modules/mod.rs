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
    /// Its folder's name, and the first part of its audit actions (`meeting.create`).
    pub name: &'static str,
    /// Its routes on the internal face, each with its access type.
    pub routes: fn() -> Vec<Route>,
    /// The audit actions it writes; no other module writes them.
    pub audit: &'static [AuditAction],
}

/// Every module of the node.
pub const ALL: &[Module] = &[directories::MODULE, meetings::MODULE];

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

/// Tells the modules that a socket closed.
pub fn on_close(state: &AppState, conn: &Conn, hold: SocketHold) {
    state.meetings.disconnected(conn, hold.meetings);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_module_writes_only_its_own_audit_actions() {
        let mut seen = BTreeSet::new();
        for module in ALL {
            for action in module.audit {
                let area = action.as_str().split('.').next().unwrap_or_default();
                assert_eq!(
                    area,
                    module.name.trim_end_matches('s'),
                    "{action} in {}",
                    module.name
                );
                assert!(seen.insert(action.as_str()), "{action} claimed twice");
            }
        }
        // The node's own actions (sessions, officers) belong to no module; every other
        // action belongs to exactly one.
        for action in AuditAction::ALL {
            let area = action.as_str().split('.').next().unwrap_or_default();
            let core = matches!(area, "session" | "officer");
            assert_eq!(core, !seen.contains(action.as_str()), "{action}");
        }
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
