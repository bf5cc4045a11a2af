//! The data-sharing policy: per document type, which countries may receive it, which it is
//! accepted from, and which elements never leave the sender. The sender applies it before
//! signing; the receiver checks it again and refuses what should not have been sent.
//!
//! ```toml
//! [documents.letter]
//! share_with = "all"
//! withheld = ["OfficialLetter/attachments/attachment/sha256"]
//!
//! [documents.risk-alert]
//! share_with = ["KZ", "UZ"]
//! accept_from = ["KZ", "UZ", "KG"]
//! ```

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use sis_customs::CountryCode;

use crate::codes::{ErrorCode, Refusal};
use crate::ids::DocType;
use crate::xml_filter::{self, ElementPath, XmlFilterError};

/// The policy of one node. A document type it does not list is neither sent nor accepted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    #[serde(default)]
    pub documents: BTreeMap<DocType, DocumentPolicy>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentPolicy {
    /// Who may receive this type from us.
    pub share_with: Audience,
    /// Whom we accept it from. Default: the same countries as `share_with`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accept_from: Option<Audience>,
    /// Elements removed before sending, and refused on receipt. Default: none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub withheld: Vec<ElementPath>,
}

/// A set of countries: `"all"` members of the trust list, or a list.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Audience {
    All,
    Countries(Vec<CountryCode>),
}

impl Audience {
    pub fn includes(&self, country: CountryCode) -> bool {
        match self {
            Audience::All => true,
            Audience::Countries(list) => list.contains(&country),
        }
    }
}

impl Serialize for Audience {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Audience::All => s.serialize_str("all"),
            Audience::Countries(list) => list.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Audience {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Audience;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(r#""all" or a list of country codes"#)
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Audience, E> {
                if s == "all" {
                    Ok(Audience::All)
                } else {
                    Err(E::invalid_value(de::Unexpected::Str(s), &self))
                }
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Audience, A::Error> {
                let mut list = Vec::new();
                while let Some(c) = seq.next_element::<CountryCode>()? {
                    if !list.contains(&c) {
                        list.push(c);
                    }
                }
                Ok(Audience::Countries(list))
            }
        }
        d.deserialize_any(V)
    }
}

/// Why the policy stopped a document on its way out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OutgoingError {
    #[error("the policy has no entry for document type {0}")]
    UnknownType(DocType),
    #[error("the policy does not share {doc} with {recipient}")]
    NotShared {
        doc: DocType,
        recipient: CountryCode,
    },
    #[error("the payload is not well-formed XML: {0}")]
    Xml(#[from] XmlFilterError),
}

impl OutgoingError {
    pub fn code(&self) -> &'static str {
        match self {
            OutgoingError::UnknownType(_) | OutgoingError::NotShared { .. } => "policy_refused",
            OutgoingError::Xml(_) => "payload_invalid",
        }
    }
}

impl Policy {
    /// The payload as it may go to `recipient`: withheld elements removed, every other byte
    /// as it was.
    pub fn apply_outgoing(
        &self,
        doc: &DocType,
        recipient: CountryCode,
        xml: &[u8],
    ) -> Result<Vec<u8>, OutgoingError> {
        let entry = self
            .documents
            .get(doc)
            .ok_or_else(|| OutgoingError::UnknownType(doc.clone()))?;
        if !entry.share_with.includes(recipient) {
            return Err(OutgoingError::NotShared {
                doc: doc.clone(),
                recipient,
            });
        }
        Ok(xml_filter::remove(xml, &entry.withheld)?)
    }

    /// Refuses (`policy_refused`) a document of a type not accepted from `sender`, or
    /// holding an element the policy withholds, naming it.
    pub fn check_incoming(
        &self,
        doc: &DocType,
        sender: CountryCode,
        xml: &[u8],
    ) -> Result<(), Refusal> {
        let refuse = |m: String| Refusal::new(ErrorCode::PolicyRefused, m);
        let entry = self
            .documents
            .get(doc)
            .ok_or_else(|| refuse(format!("document type {doc} is not accepted")))?;
        let from = entry.accept_from.as_ref().unwrap_or(&entry.share_with);
        if !from.includes(sender) {
            return Err(refuse(format!(
                "document type {doc} is not accepted from {sender}"
            )));
        }
        match xml_filter::find(xml, &entry.withheld) {
            Ok(None) => Ok(()),
            Ok(Some(path)) => Err(refuse(format!(
                "element {path} is withheld by the policy for {doc} and must not be sent"
            ))),
            Err(e) => Err(Refusal::new(
                ErrorCode::PayloadInvalid,
                format!("the payload is not well-formed XML: {e}"),
            )),
        }
    }
}
