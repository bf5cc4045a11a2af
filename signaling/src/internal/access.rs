//! Who may call a handler, as a type in its signature. Each extractor authenticates the
//! bearer token (the session, its idle timeout and lifetime, the account's country) and
//! checks the role before the handler runs, so no handler checks a role by hand:
//!
//! | type | roles |
//! |---|---|
//! | [`SignedIn`] | any account of this node |
//! | [`Staff`] | officer, supervisor, admin (the node's own people; an administrator is staff too) |
//! | [`Supervisor`] | supervisor, admin |
//! | [`Admin`] | admin |
//! | [`Trader`] | trader |
//! | [`System`] | system (the national system's adapter) |
//! | [`Scraper`] | admin, system (reads the metrics) |
//!
//! The external face will add `Peer(CountryCode)`, from the verified client certificate.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use sis_proto::Role;

use crate::auth::{self, Authenticated};
use crate::internal::error::AppError;
use crate::internal::extract::{bearer, of_this_node};
use crate::node::state::{AppState, now_ms};

/// What a route asks of its caller; the route table ([`crate::internal::routes`]) names one for
/// every route, and a test checks each route against it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Access {
    /// Anyone, without a session (logging in, health, static files).
    Public,
    /// A session is proven inside the connection (the WebSocket's first message).
    InBand,
    /// A session whose role is one of these.
    Roles(&'static [Role]),
}

const ANY: &[Role] = &[
    Role::Officer,
    Role::Supervisor,
    Role::Admin,
    Role::Trader,
    Role::System,
];

async fn authorised(
    parts: &Parts,
    state: &AppState,
    roles: &[Role],
) -> Result<Authenticated, AppError> {
    let token = bearer(parts).ok_or(auth::AuthError::Unauthenticated)?;
    let who = auth::authenticate(&state.store, &state.policy, token, now_ms()).await?;
    let who = of_this_node(state, who)?;
    if roles.contains(&who.officer.role) {
        Ok(who)
    } else {
        Err(AppError::forbidden(format!(
            "Your role ({}) does not allow this.",
            who.officer.role
        )))
    }
}

macro_rules! access_type {
    ($(#[$doc:meta])* $name:ident, $roles:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        pub struct $name(pub Authenticated);

        impl $name {
            /// The roles this type admits.
            pub const ROLES: &'static [Role] = $roles;
            /// As the route table names it.
            pub const ACCESS: Access = Access::Roles($roles);
        }

        impl FromRequestParts<AppState> for $name {
            type Rejection = AppError;

            async fn from_request_parts(
                parts: &mut Parts,
                state: &AppState,
            ) -> Result<Self, AppError> {
                authorised(parts, state, Self::ROLES).await.map($name)
            }
        }
    };
}

access_type!(
    /// Any signed-in account of this node.
    SignedIn,
    ANY
);
access_type!(
    /// The node's own people: officers, supervisors and administrators.
    Staff,
    &[Role::Officer, Role::Supervisor, Role::Admin]
);
access_type!(
    /// Supervisors (and administrators).
    Supervisor,
    &[Role::Supervisor, Role::Admin]
);
access_type!(
    /// Administrators of the node.
    Admin,
    &[Role::Admin]
);
access_type!(
    /// A trader (the business platform).
    Trader,
    &[Role::Trader]
);
access_type!(
    /// The national customs system's adapter.
    System,
    &[Role::System]
);
access_type!(
    /// Whoever reads the metrics: an administrator, or a scraper's system account.
    Scraper,
    &[Role::Admin, Role::System]
);
