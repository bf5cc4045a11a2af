//! The documents of the common data standard, one type per kind of document that members
//! exchange, built from the validated codes so that a document cannot hold an unknown
//! country, currency, unit or HS code. [`validate`] checks the rules between fields and
//! reports every problem at once by its path; [`decode`] reads raw input and names the
//! field that failed.
//!
//! # Layout
//! - One file per document: `invoice`, `preliminary`, `carrier` (record and event),
//!   `letter`, `single_window` (application and decision), `statistics`, `risk` (profile and
//!   hit).
//! - Their parts: `party` (parties, agencies, places), `goods`, `amount` (money), `quantity`
//!   (quantities, kilograms, packages), `decimal` (exact numbers), `dates`, `vehicle`
//!   (plates), `container` (ISO 6346), `correlation` (case ids), `attachment`, `hex`.
//! - `validate`: the walk that tracks paths, the shared rules and [`validate`]; `decode`:
//!   [`decode`]; `fields`: what risk criteria may test.
//! - [`examples`]: one realistic valid document of each type.

use serde::{Deserialize, Serialize};

use crate::InvalidCode;

mod amount;
mod attachment;
mod carrier;
mod container;
mod correlation;
mod dates;
mod decimal;
mod decode;
pub mod examples;
mod fields;
mod goods;
mod hex;
mod invoice;
mod letter;
mod party;
mod preliminary;
mod quantity;
mod risk;
mod single_window;
mod statistics;
mod validate;
mod vehicle;

pub use amount::{Amount, TooManyDecimals, check_minor_units};
pub use attachment::{Attachment, Sha256Digest};
pub use carrier::{CarrierEvent, CarrierEventKind, CarrierRecord, CarrierStatus, ViolationType};
pub use container::{ContainerNumber, InvalidContainerNumber};
pub use correlation::CorrelationId;
pub use dates::{Date, DateTime, YearMonth};
pub use decimal::Decimal;
pub use decode::decode;
pub use fields::{FieldKind, RISK_TARGETS, field_kind, fields};
pub use goods::GoodsItem;
pub use invoice::{IncotermsTerm, InvoiceLine, InvoiceTotals, SingleInvoice};
pub use letter::{LetterAcknowledgement, LetterState, OfficialLetter};
pub use party::{Agency, Party, Place};
pub use preliminary::{BorderCrossing, PreliminaryInformation, References};
pub use quantity::{Kilograms, Packages, Quantity};
pub use risk::{Criterion, FieldPath, InspectionResult, Lane, RiskHit, RiskProfile, Test};
pub use single_window::{Outcome, Procedure, ReferencedDocument, SwApplication, SwDecision};
pub use statistics::{Flow, HsChapterOrHeading, TradeStatistics};
pub use validate::{Problem, validate};
pub use vehicle::Plate;

/// Any document of the standard. Serialised with its type as the key:
/// `{"single-invoice": {…}}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[allow(
    clippy::large_enum_variant,
    reason = "a document is built once per message and seldom moved; boxes would only make \
              every construction and match noisier"
)]
pub enum Document {
    SingleInvoice(SingleInvoice),
    PreliminaryInformation(PreliminaryInformation),
    CarrierRecord(CarrierRecord),
    CarrierEvent(CarrierEvent),
    OfficialLetter(OfficialLetter),
    LetterAcknowledgement(LetterAcknowledgement),
    SwApplication(SwApplication),
    SwDecision(SwDecision),
    TradeStatistics(TradeStatistics),
    RiskProfile(RiskProfile),
    RiskHit(RiskHit),
}

/// The kind of a document, by a name that never changes once exchanged: envelopes,
/// data-sharing policies and stored records refer to documents by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum DocumentType {
    SingleInvoice,
    PreliminaryInformation,
    CarrierRecord,
    CarrierEvent,
    OfficialLetter,
    LetterAcknowledgement,
    SwApplication,
    SwDecision,
    TradeStatistics,
    RiskProfile,
    RiskHit,
}

impl DocumentType {
    pub const ALL: [DocumentType; 11] = [
        DocumentType::SingleInvoice,
        DocumentType::PreliminaryInformation,
        DocumentType::CarrierRecord,
        DocumentType::CarrierEvent,
        DocumentType::OfficialLetter,
        DocumentType::LetterAcknowledgement,
        DocumentType::SwApplication,
        DocumentType::SwDecision,
        DocumentType::TradeStatistics,
        DocumentType::RiskProfile,
        DocumentType::RiskHit,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            DocumentType::SingleInvoice => "single-invoice",
            DocumentType::PreliminaryInformation => "preliminary-information",
            DocumentType::CarrierRecord => "carrier-record",
            DocumentType::CarrierEvent => "carrier-event",
            DocumentType::OfficialLetter => "official-letter",
            DocumentType::LetterAcknowledgement => "letter-acknowledgement",
            DocumentType::SwApplication => "sw-application",
            DocumentType::SwDecision => "sw-decision",
            DocumentType::TradeStatistics => "trade-statistics",
            DocumentType::RiskProfile => "risk-profile",
            DocumentType::RiskHit => "risk-hit",
        }
    }

    pub fn parse(s: &str) -> Result<Self, InvalidCode> {
        DocumentType::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| InvalidCode {
                value: s.to_owned(),
                list: "a CAREC SIS document type",
            })
    }
}

impl std::fmt::Display for DocumentType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for DocumentType {
    type Err = InvalidCode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DocumentType::parse(s)
    }
}

impl Document {
    pub fn document_type(&self) -> DocumentType {
        match self {
            Document::SingleInvoice(_) => DocumentType::SingleInvoice,
            Document::PreliminaryInformation(_) => DocumentType::PreliminaryInformation,
            Document::CarrierRecord(_) => DocumentType::CarrierRecord,
            Document::CarrierEvent(_) => DocumentType::CarrierEvent,
            Document::OfficialLetter(_) => DocumentType::OfficialLetter,
            Document::LetterAcknowledgement(_) => DocumentType::LetterAcknowledgement,
            Document::SwApplication(_) => DocumentType::SwApplication,
            Document::SwDecision(_) => DocumentType::SwDecision,
            Document::TradeStatistics(_) => DocumentType::TradeStatistics,
            Document::RiskProfile(_) => DocumentType::RiskProfile,
            Document::RiskHit(_) => DocumentType::RiskHit,
        }
    }
}

/// A document named by its type and the number its issuer gave it (an invoice number, a
/// preliminary information reference, a letter's registration number).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DocumentRef {
    pub document_type: DocumentType,
    pub number: String,
}

impl validate::Check for DocumentRef {
    fn check(&self, c: &mut validate::Checker) {
        c.text("number", &self.number, validate::Text::Id);
    }
}

/// `From` each document into [`Document`].
macro_rules! into_document {
    ($($variant:ident),*) => {$(
        impl From<$variant> for Document {
            fn from(d: $variant) -> Document {
                Document::$variant(d)
            }
        }
    )*};
}

into_document!(
    SingleInvoice,
    PreliminaryInformation,
    CarrierRecord,
    CarrierEvent,
    OfficialLetter,
    LetterAcknowledgement,
    SwApplication,
    SwDecision,
    TradeStatistics,
    RiskProfile,
    RiskHit
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_are_stable_and_match_the_serialised_keys() {
        let names: Vec<_> = DocumentType::ALL.map(DocumentType::as_str).into();
        assert_eq!(
            names,
            [
                "single-invoice",
                "preliminary-information",
                "carrier-record",
                "carrier-event",
                "official-letter",
                "letter-acknowledgement",
                "sw-application",
                "sw-decision",
                "trade-statistics",
                "risk-profile",
                "risk-hit"
            ]
        );
        for t in DocumentType::ALL {
            assert_eq!(DocumentType::parse(t.as_str()), Ok(t));
            assert_eq!(
                serde_json::to_string(&t).expect("ser"),
                format!("\"{t}\""),
                "serde and as_str agree"
            );
        }
        assert!(DocumentType::parse("invoice").is_err());
        for doc in examples::all() {
            let json = serde_json::to_value(&doc).expect("ser");
            let key = json.as_object().and_then(|o| o.keys().next().cloned());
            assert_eq!(key.as_deref(), Some(doc.document_type().as_str()));
        }
    }

    #[test]
    fn every_example_is_valid_and_round_trips_through_json() {
        let all = examples::all();
        let mut types: Vec<_> = all.iter().map(Document::document_type).collect();
        types.dedup();
        assert_eq!(
            types,
            DocumentType::ALL,
            "one example of each type, in order"
        );
        for doc in all {
            assert_eq!(validate(&doc), Ok(()), "{}", doc.document_type());
            let json = serde_json::to_string(&doc).expect("ser");
            let back: Document = serde_json::from_str(&json).expect("de");
            assert_eq!(back, doc, "{json}");
        }
    }
}
