//! The external face: where other countries' nodes connect, over mutual TLS, to exchange
//! signed and receipted documents (DESIGN.md §3, `docs/exchange-protocol.md`).
//!
//! Empty until the external platform is built. What goes here: its own listener, the
//! client-certificate verifier that turns a peer's certificate into `Peer(CountryCode)`
//! (the access type of every route of this face), the outbox sender and the inbox. Modules
//! that exchange documents register their document types with it; its rules (envelopes,
//! receipts, trust list) are pure and live in `crates/exchange`, its log in `crates/ledger`.
