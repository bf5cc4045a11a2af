//! The pages of the app and who sees them. Routing is a signal holding a [`Page`]: the app
//! is one screen with a navigation, and a URL router would add nothing yet.

use sis_proto::Role;

use crate::i18n::Key;

/// One page of the shell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Page {
    SingleWindow,
    Carriers,
    Preliminary,
    Documents,
    Invoice,
    Business,
    Statistics,
    Risk,
    Meetings,
    Directories,
    Network,
    Ledger,
    Audit,
    Settings,
}

impl Page {
    /// In navigation order.
    pub const ALL: [Page; 14] = [
        Page::SingleWindow,
        Page::Carriers,
        Page::Preliminary,
        Page::Documents,
        Page::Invoice,
        Page::Business,
        Page::Statistics,
        Page::Risk,
        Page::Meetings,
        Page::Directories,
        Page::Network,
        Page::Ledger,
        Page::Audit,
        Page::Settings,
    ];

    /// Where an officer lands after signing in.
    pub const HOME: Page = Page::SingleWindow;

    /// The element id of the page's navigation link; end-to-end tests click these.
    pub const fn nav_id(self) -> &'static str {
        match self {
            Page::SingleWindow => "nav-single-window",
            Page::Carriers => "nav-carriers",
            Page::Preliminary => "nav-preliminary",
            Page::Documents => "nav-documents",
            Page::Invoice => "nav-invoice",
            Page::Business => "nav-business",
            Page::Statistics => "nav-statistics",
            Page::Risk => "nav-risk",
            Page::Meetings => "nav-meetings",
            Page::Directories => "nav-directories",
            Page::Network => "nav-network",
            Page::Ledger => "nav-ledger",
            Page::Audit => "nav-audit",
            Page::Settings => "nav-settings",
        }
    }

    pub const fn title(self) -> Key {
        match self {
            Page::SingleWindow => Key::PageSingleWindow,
            Page::Carriers => Key::PageCarriers,
            Page::Preliminary => Key::PagePreliminary,
            Page::Documents => Key::PageDocuments,
            Page::Invoice => Key::PageInvoice,
            Page::Business => Key::PageBusiness,
            Page::Statistics => Key::PageStatistics,
            Page::Risk => Key::PageRisk,
            Page::Meetings => Key::PageMeetings,
            Page::Directories => Key::PageDirectories,
            Page::Network => Key::PageNetwork,
            Page::Ledger => Key::PageLedger,
            Page::Audit => Key::PageAudit,
            Page::Settings => Key::PageSettings,
        }
    }

    /// What a module page will hold, for the modules whose screens are not built yet;
    /// `None` for pages that have their own component (the letters, meetings and directories
    /// pages show their text as their introduction).
    pub const fn about(self) -> Option<Key> {
        Some(match self {
            Page::SingleWindow => Key::AboutSingleWindow,
            Page::Carriers => Key::AboutCarriers,
            Page::Preliminary => Key::AboutPreliminary,
            Page::Invoice => Key::AboutInvoice,
            Page::Business => Key::AboutBusiness,
            Page::Statistics => Key::AboutStatistics,
            Page::Risk => Key::AboutRisk,
            Page::Documents
            | Page::Meetings
            | Page::Directories
            | Page::Network
            | Page::Ledger
            | Page::Audit
            | Page::Settings => {
                return None;
            }
        })
    }

    /// Whether the page is offered to this officer. The node authorises every call anyway;
    /// this only keeps out of sight what would answer "forbidden".
    pub fn visible(self, role: Role, desktop: bool) -> bool {
        match self {
            // The exchange's state, the fork evidence and the node's own log are the node
            // administrators' (`GET /api/v1/exchange/peers` and `/log` answer nobody else).
            Page::Audit | Page::Network | Page::Ledger => role == Role::Admin,
            // Letters are between customs services: the node's own staff write and read
            // them, traders and national systems do not.
            Page::Documents => matches!(role, Role::Officer | Role::Supervisor | Role::Admin),
            // Settings are the desktop shell's (node address, language kept on disk); a
            // browser is served by its node and keeps its language itself.
            Page::Settings => desktop,
            _ => true,
        }
    }

    /// The pages offered to this officer, in navigation order.
    pub fn offered(role: Role, desktop: bool) -> impl Iterator<Item = Page> {
        Page::ALL
            .into_iter()
            .filter(move |page| page.visible(role, desktop))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_audit_log_is_offered_to_admins_only() {
        for role in Role::ALL {
            let offered: Vec<Page> = Page::offered(role, false).collect();
            assert_eq!(
                offered.contains(&Page::Audit),
                role == Role::Admin,
                "{role}"
            );
        }
    }

    #[test]
    fn the_network_is_offered_to_admins_only() {
        for role in Role::ALL {
            for desktop in [false, true] {
                assert_eq!(
                    Page::offered(role, desktop).any(|p| p == Page::Network),
                    role == Role::Admin,
                    "{role}: the node answers `forbidden` to anyone else"
                );
            }
        }
        assert_eq!(Page::Network.nav_id(), "nav-network");
    }

    #[test]
    fn the_nodes_log_is_offered_to_admins_only() {
        for role in Role::ALL {
            for desktop in [false, true] {
                assert_eq!(
                    Page::offered(role, desktop).any(|p| p == Page::Ledger),
                    role == Role::Admin,
                    "{role}: the node answers `forbidden` to anyone else"
                );
            }
        }
        assert_eq!(Page::Ledger.nav_id(), "nav-ledger");
    }

    #[test]
    fn letters_are_offered_to_the_nodes_staff_only() {
        for role in Role::ALL {
            let staff = matches!(role, Role::Officer | Role::Supervisor | Role::Admin);
            for desktop in [false, true] {
                assert_eq!(
                    Page::offered(role, desktop).any(|p| p == Page::Documents),
                    staff,
                    "{role}: the node answers `forbidden` to anyone else"
                );
            }
        }
    }

    #[test]
    fn settings_are_offered_in_the_desktop_only() {
        assert!(Page::offered(Role::Officer, true).any(|p| p == Page::Settings));
        assert!(!Page::offered(Role::Admin, false).any(|p| p == Page::Settings));
    }

    #[test]
    fn every_module_page_says_what_it_will_hold() {
        for page in Page::ALL {
            let own_component = matches!(
                page,
                Page::Documents
                    | Page::Meetings
                    | Page::Directories
                    | Page::Network
                    | Page::Ledger
                    | Page::Audit
                    | Page::Settings
            );
            assert_eq!(page.about().is_none(), own_component, "{page:?}");
        }
    }

    #[test]
    fn navigation_ids_are_distinct() {
        let mut ids: Vec<&str> = Page::ALL.iter().map(|p| p.nav_id()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), Page::ALL.len());
    }
}
