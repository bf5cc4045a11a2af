//! The pure core of the exchange between country nodes: envelopes, receipts, signed
//! errors, the trust list, the receiving decision, the delivery state machine and the
//! data-sharing policy. No IO, no clock (callers pass `now`), no randomness (callers pass
//! a random number): the node does HTTP, TLS and storage around it.
//!
//! # The wire format
//!
//! Every message is a JSON Web Signature (RFC 7515) with `alg` `EdDSA` (RFC 8037,
//! Ed25519). The signature is over `ASCII(protected) || "." || ASCII(payload)` exactly as
//! received; nothing is re-serialised before verifying. Base64url is without padding.
//!
//! **Envelope** — flattened JSON serialization (RFC 7515 §7.2.2):
//! `{"protected": …, "payload": …, "signature": …}`. The protected header holds
//! - `alg` `"EdDSA"`, `kid` (a key id of the sender's in the trust list),
//!   `typ` `"carec-sis-envelope+jws"` (RFC 7515 §4.1.9 matching: case-insensitive, the
//!   `application/` prefix optional);
//! - `id`: a UUIDv7, hyphenated; `doc`: the document type (`letter`, `carrier-event`,
//!   `risk-alert`: `a-z`, `0-9`, `-`);
//! - `from`: the sender's ISO 3166-1 alpha-2 code, upper case; `to`: an array of
//!   recipients' codes, or `["*"]` for every member;
//! - `created`: RFC 3339 (written in UTC with milliseconds, any RFC 3339 form read);
//! - `corr`: a UUID that follows one case across countries;
//! - `sha256`: the hex SHA-256 of the payload bytes.
//!
//! The payload is the document's XML. Header fields this version does not define are
//! kept and ignored; `crit` may name only the fields above (any other is refused, as RFC
//! 7515 §4.1.11 requires); a missing or ill-typed field, or a name appearing twice, is
//! refused naming the field. An unprotected `header` member is allowed and never trusted.
//!
//! **Receipt** — the same shape, `typ` `"carec-sis-receipt+jws"`, protected header `alg`,
//! `kid`, `typ`, signed by the receiver. Payload JSON: `envelope` (id), `sha256` (of the
//! payload received), `from` (the sender), `by` (the receiver), `received` (RFC 3339),
//! `log_index` (u64), `checkpoint` (the receiver's signed checkpoint note, text).
//!
//! **Signed error** — `typ` `"carec-sis-error+jws"`, payload JSON: `envelope` (id, or
//! `null` if it could not be read), `code` (one of [`ErrorCode`]'s strings), `message`,
//! `by`, `at` (RFC 3339).
//!
//! **Trust list** — general JSON serialization (RFC 7515 §7.2.1):
//! `{"payload": …, "signatures": [{"protected": …, "signature": …}, …]}`, each protected
//! header `{"alg":"EdDSA","kid":…,"typ":"carec-sis-trust-list+jws"}`. Accepted when at
//! least `threshold` distinct configured signers' signatures verify. Payload JSON:
//! `version` (u64, never lower than the list in force; the same version must be the same
//! bytes), `issued`, `members` (each `country`, `name`, `external_url`, `tls_ca_pem`,
//! `keys` (each `kid`, `ed25519` standard base64, `not_before`, `not_after`: the window
//! `[not_before, not_after)` in which `created` must fall), `log_key`), and optionally
//! `removed` (countries no longer members, refused with `removed_member`).
//!
//! # Layout
//! - [`jws`]: flattened and general JWS, header checks, Ed25519 over the received text.
//! - [`envelope`]: the envelope header, [`seal`]ing, and verification.
//! - [`receipt`], [`signed_error`]: the answers, sealed by a receiver and verified by the
//!   sender against the envelope it sent.
//! - [`trust`]: the trust list, its threshold signatures, key rollover windows.
//! - [`inbox`]: the receiving decision, in the order the checks must run.
//! - [`outbox`]: the delivery state machine and its backoff.
//! - [`policy`] and [`xml_filter`]: the data-sharing policy and the streaming removal of
//!   withheld elements.
//! - [`codes`]: the error codes; [`ids`]: document types, key ids, recipients, [`Peer`];
//!   [`timestamp`]: RFC 3339.

pub mod codes;
pub mod envelope;
pub mod ids;
pub mod inbox;
pub mod jws;
pub mod outbox;
pub mod policy;
pub mod receipt;
pub mod signed_error;
mod signed_json;
pub mod timestamp;
pub mod trust;
pub mod xml_filter;

pub use codes::{ErrorCode, Refusal};
pub use envelope::{Envelope, EnvelopeHeader, NewEnvelope, SealError, UnverifiedEnvelope, seal};
pub use ids::{DocType, KeyId, Peer, Recipients};
pub use inbox::{Arrival, Decision, Held, InvalidPayload, Screened, receive, screen};
pub use outbox::{Delivery, TransitionError, backoff, backoff_capped};
pub use policy::{Audience, DocumentPolicy, Policy};
pub use receipt::{Receipt, ReceiptBody};
pub use signed_error::{ErrorBody, SignedError};
pub use signed_json::AnswerError;
pub use trust::{
    KeyError, Member, MemberKey, TrustList, TrustListContent, TrustListError, TrustListSigner,
    TrustListVerifier,
};
pub use xml_filter::ElementPath;
