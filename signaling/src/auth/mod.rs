//! Who is calling: passwords, session tokens, logging in and authenticating a request.
//! Transport-free: the HTTP and WebSocket layers call these with the clock's `now`.

pub mod hashing;
pub mod password;
pub mod session;
pub mod token;

pub use hashing::{HashingError, PasswordPool};
pub use session::{
    AuthError, Authenticated, LoggedIn, SessionPolicy, authenticate, authenticate_session, login,
    logout, touch_session,
};
