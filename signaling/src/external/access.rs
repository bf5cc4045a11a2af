//! `Peer(CountryCode)`: the access type of every route of the external face. The country is
//! the member whose CA issued the client certificate of this connection, checked against
//! the trust list as it is at this request; the handler runs only for a current member.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use rustls::pki_types::CertificateDer;
use sis_customs::CountryCode;

use crate::external::ExternalState;
use crate::external::error::ExternalError;

/// The certificates a client presented in the TLS handshake of its connection; the server
/// puts them on every request of that connection.
#[derive(Debug, Clone)]
pub struct PeerCertificates(pub Arc<[CertificateDer<'static>]>);

/// A request from the node of this member country.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Peer(pub CountryCode);

impl FromRequestParts<ExternalState> for Peer {
    type Rejection = ExternalError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &ExternalState,
    ) -> Result<Self, Self::Rejection> {
        let Some(PeerCertificates(chain)) = parts.extensions.get::<PeerCertificates>() else {
            return Err(ExternalError::NoCertificate);
        };
        match state.peers.country_of(chain) {
            Some(country) => Ok(Peer(country)),
            None => Err(ExternalError::NotMember),
        }
    }
}
