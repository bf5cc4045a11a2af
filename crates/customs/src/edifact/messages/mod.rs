//! The UN/EDIFACT messages national customs systems exchange with their country's node,
//! mapped to and from the documents of the standard, for **directory D.96B** (every `UNH`
//! says `TYPE:D:96B:UN`):
//!
//! | Message | Document | Module |
//! |---|---|---|
//! | CUSCAR, customs cargo report | [`PreliminaryInformation`](crate::documents::PreliminaryInformation) | [`cuscar`] |
//! | INVOIC, invoice | [`SingleInvoice`](crate::documents::SingleInvoice) | [`invoic`] |
//! | CUSDEC, customs declaration | [`SwApplication`](crate::documents::SwApplication) | [`cusdec`] |
//! | CUSRES, customs response | [`SwDecision`](crate::documents::SwDecision) | [`cusres`] |
//!
//! Each module has `to_message(&document) -> Message` and `from_message(&Message)`; above
//! them, [`document_to_interchange`] and [`interchange_to_documents`] choose the mapping by
//! the document type and by the message type, and [`interchange_to_valid_documents`] runs
//! [`validate`](crate::documents::validate) on what was read and returns every problem.
//! Bytes are the syntax layer's business ([`EdifactSyntax`](super::EdifactSyntax)); the
//! character set travels in the [`Envelope`].
//!
//! # Reading is strict
//!
//! Every value in a message must have a field to go to. A segment the mapping has no place
//! for, a qualifier it does not know, a component it does not read: each is refused with
//! its position ([`At`]), never dropped, because a value dropped between a partner's
//! system and ours is one nobody would notice was lost. The one exception is the `DTM+137`
//! of a CUSCAR, the message's own date, which the advance information has no field for and
//! every national system sends. Segments are taken in the groups the directory puts them
//! in (header, consignment, goods item, line, summary); their order within a group is not
//! checked.
//!
//! Writing keeps everything: a document that [`validate`](crate::documents::validate)
//! accepts comes back equal from its message. Where the directory's lengths are shorter
//! than the standard's, names and texts are cut into the pieces the composite has
//! (`NAD` C080 five of 35, `FTX` C108 five of 70, `IMD` C273 two of 35, and further
//! segments for a longer text, see `text`), and the few values with no piece to spare
//! (a street line, a city, a place name over 35 characters) are written whole.
//!
//! # The mapping, field by field
//!
//! Codes are from the UN/EDIFACT code lists (UNCL) and the UN/ECE recommendations. A
//! party is always `NAD+q+tax id:167++name+street lines+city++postcode+country`; an
//! agency `NAD+q+++name+++++country`; a date `DTM+q:CCYYMMDD:102`; a time (UTC)
//! `DTM+q:CCYYMMDDHHMM:203`, or `:204` with seconds.
//!
//! ## CUSCAR ↔ PreliminaryInformation
//!
//! | Field | Segment / element / qualifier |
//! |---|---|
//! | `reference` | `BGM` 1004; 1001 = 85 customs manifest (933 read too); 1225 = 9 |
//! | `correlation_id` | `RFF+ZZZ` (mutually defined: no standard qualifier), 32 hex digits |
//! | `references.invoice_number` | `RFF+IV` |
//! | `references.transit_number` | `RFF+ABT` customs declaration number (transit, TIR) |
//! | `declarant`, `carrier` | `NAD+DT`, `NAD+CA` in the header |
//! | `consignor`, `consignee` | `NAD+CZ`, `NAD+CN` after `CNI+1` |
//! | `transport_mode` | `TDT+20` (main carriage) C220 8067, Rec 19 |
//! | `vehicle` | `TDT` C222: 8213 plate, 1131 = 146, 8453 country |
//! | `trailers` | `EQD+TE` (trailer) C237: 8260 plate, 3207 country |
//! | `containers` | `EQD+CN` C237 8260 (ISO 6346, check digit verified) |
//! | `border_crossing` | `LOC+41` (customs office of entry) C517: 3225 code, 3224 name |
//! | `departure` | `LOC+5` 3224 name, `LOC+35` (country of dispatch) 3225 |
//! | `destination` | `LOC+8` 3224 name, `LOC+28` (country of destination) 3225 |
//! | `expected_arrival` | `DTM+132` (arrival, estimated) |
//! | `goods[]` | `GID` group, see below |
//!
//! ## Goods items (CUSCAR `GID` group, CUSDEC `CST` group)
//!
//! | Field | Segment / element / qualifier |
//! |---|---|
//! | `hs_code` | `CST` C246 7361, six digits of HS 2022 |
//! | `description` | `FTX+AAA` (goods description) C108 |
//! | `gross_weight_kg`, `net_weight_kg` | `MEA+WT+AAB` / `MEA+WT+AAA`, C174 `KGM:value` |
//! | `quantity` | `MEA+AAE` (measurement) C174 `unit:value`, Rec 20 |
//! | `value` | `MOA+38` (invoice item amount) C516 `38:value:currency` |
//! | `packages` | `GID` C213 `count:type` (CUSCAR), `PAC+count++type` (CUSDEC), Rec 21 |
//!
//! ## INVOIC ↔ SingleInvoice
//!
//! | Field | Segment / element / qualifier |
//! |---|---|
//! | `number` | `BGM` 1004; 1001 = 380 commercial invoice |
//! | `issue_date` | `DTM+137` |
//! | `country_of_origin` | `ALI` 3239 |
//! | `seller`, `buyer`, `manufacturer` | `NAD+SE`, `NAD+BY`, `NAD+MF` |
//! | `currency` | `CUX+2:currency:4` (reference currency, invoicing currency) |
//! | `transport_mode` | `TDT+20++mode`, absent when the invoice does not say |
//! | `incoterms` | `TOD+6++rule::4` (delivery condition; 3055 = 4, ICC), `LOC+1` 3224 place |
//! | `lines[]` | `LIN+n`, then: |
//! | `lines[].hs_code` | `PIA+1+code:HS` (additional identification; Harmonised system) |
//! | `lines[].description` | `IMD+F++:::text:text` |
//! | `lines[].gross/net_weight_kg` | `MEA+WT+AAB` / `MEA+WT+AAA` |
//! | `lines[].quantity` | `QTY+47:value:unit` (invoiced quantity) |
//! | `lines[].value` | `MOA+203` (line item amount), in the invoice currency |
//! | `lines[].unit_price` | `PRI+AAA` (calculation net) |
//! | `lines[].packages` | `PAC+count++type` |
//! | `totals` | after `UNS+S`: `CNT+7` gross, `CNT+18` net (`KGM`), `CNT+11` packages, `MOA+79` |
//!
//! ## CUSDEC ↔ SwApplication
//!
//! | Field | Segment / element / qualifier |
//! |---|---|
//! | `reference` | `BGM` 1004; 1001 = 929 import, 830 export, 950 transit declaration |
//! | `procedure` | header `CST` C246 7361, 3055 = ZZZ: IM, EX, TR, TA, RE (no UN list exists; the `BGM` code must agree) |
//! | `country` | `LOC+25` (country) 3225 |
//! | `submitted_at` | `DTM+137` |
//! | `documents[]` | `DOC` C002 1000 kind in words, C503 1004 number; `DTM+182` (issue date) after it |
//! | `applicant` | `NAD+DT` (declarant) |
//! | `agencies[]` | `NAD+DO` (document recipient), name and country |
//! | `goods[]` | after `UNS+D`, a `CST` group each (see above); `UNS+S`, `CNT+5` their number |
//!
//! ## CUSRES ↔ SwDecision
//!
//! | Field | Segment / element / qualifier |
//! |---|---|
//! | `outcome` | `BGM` 4343: AP accepted, RE rejected, AJ pending (more information needed) |
//! | `decided_on` | `DTM+137` |
//! | `agency` | `NAD+MS` (document issuer) |
//! | `application_reference` | `RFF+ABT` (customs declaration number) |
//! | `reasons[]` | each an `ERP+1` (the whole application), `ERC+ZZZ` (in words), `FTX+ACD` (reason; AAO read too) |
//!
//! # Layout
//! - `cuscar`, `invoic`, `cusdec`, `cusres`: one file per message.
//! - `parties` (`NAD`), `dates` (`DTM`), `goods` (goods items and weights), `text`
//!   (texts longer than an element): the parts they share.
//! - `read` (walking a message, taking values, refusing the rest), `write` (building
//!   segments), `error` ([`MappingError`] and its position [`At`]).

use crate::documents::{Document, validate};

use super::{
    Charset, Interchange, InterchangeHeader, Message, Party, Preparation, ServiceChars,
    SyntaxIdentifier, SyntaxVersion, Tag,
};

pub mod cuscar;
pub mod cusdec;
pub mod cusres;
pub mod invoic;

mod dates;
mod error;
mod goods;
mod parties;
mod read;
mod text;
mod write;

pub use error::{At, MappingError};

/// The directory every message is mapped for: version, release and agency of `UNH` S009.
pub const DIRECTORY: (&str, &str, &str) = ("D", "96B", "UN");

/// UNCL 1225 message function: original.
const ORIGINAL: &str = "9";

const ALI: Tag = Tag::literal("ALI");
const BGM: Tag = Tag::literal("BGM");
const CNI: Tag = Tag::literal("CNI");
const CNT: Tag = Tag::literal("CNT");
const CST: Tag = Tag::literal("CST");
const CUX: Tag = Tag::literal("CUX");
const DOC: Tag = Tag::literal("DOC");
const DTM: Tag = Tag::literal("DTM");
const EQD: Tag = Tag::literal("EQD");
const ERC: Tag = Tag::literal("ERC");
const ERP: Tag = Tag::literal("ERP");
const FTX: Tag = Tag::literal("FTX");
const GID: Tag = Tag::literal("GID");
const IMD: Tag = Tag::literal("IMD");
const LIN: Tag = Tag::literal("LIN");
const LOC: Tag = Tag::literal("LOC");
const MEA: Tag = Tag::literal("MEA");
const MOA: Tag = Tag::literal("MOA");
const NAD: Tag = Tag::literal("NAD");
const PAC: Tag = Tag::literal("PAC");
const PIA: Tag = Tag::literal("PIA");
const PRI: Tag = Tag::literal("PRI");
const QTY: Tag = Tag::literal("QTY");
const RFF: Tag = Tag::literal("RFF");
const TDT: Tag = Tag::literal("TDT");
const TOD: Tag = Tag::literal("TOD");
const UNS: Tag = Tag::literal("UNS");

/// What an interchange carrying one document needs besides the document: who sends it to
/// whom, when, under which reference, and in which character set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// `UNOC` (Latin-1) for Latin text, `UNOE` (ISO 8859-5) for Russian, `UNOW` (UTF-8,
    /// syntax version 4) for anything, Kazakh and Uzbek letters included. The syntax
    /// version follows: 4 for `UNOW` and `UNOY`, 3 for the others.
    pub charset: Charset,
    pub sender: Party,
    pub recipient: Party,
    /// `YYMMDD` in syntax version 3, `CCYYMMDD` in version 4; the caller's clock.
    pub prepared: Preparation,
    /// `UNB` 0020, repeated by the `UNZ`.
    pub control_reference: String,
    /// `UNH` 0062, repeated by the `UNT`. `1` unless set.
    pub message_reference: String,
    /// The `UNA` to write; `None` writes none, and the defaults apply.
    pub una: Option<ServiceChars>,
}

impl Envelope {
    pub fn new(
        charset: Charset,
        sender: Party,
        recipient: Party,
        prepared: Preparation,
        control_reference: impl Into<String>,
    ) -> Self {
        Self {
            charset,
            sender,
            recipient,
            prepared,
            control_reference: control_reference.into(),
            message_reference: "1".to_owned(),
            una: None,
        }
    }
}

/// The message of a document, for the four types that have one.
pub fn document_to_message(document: &Document) -> Result<Message, MappingError> {
    Ok(match document {
        Document::PreliminaryInformation(d) => cuscar::to_message(d),
        Document::SingleInvoice(d) => invoic::to_message(d),
        Document::SwApplication(d) => cusdec::to_message(d),
        Document::SwDecision(d) => cusres::to_message(d),
        other => return Err(MappingError::NoMessage(other.document_type())),
    })
}

/// An interchange of one message carrying `document`. Writing it to bytes, where a
/// character the set cannot hold is refused, is [`EdifactSyntax::write`](super::EdifactSyntax::write).
pub fn document_to_interchange(
    document: &Document,
    envelope: &Envelope,
) -> Result<Interchange, MappingError> {
    let mut message = document_to_message(document)?;
    message.reference.clone_from(&envelope.message_reference);
    let version = match envelope.charset {
        Charset::UnoW | Charset::UnoY => SyntaxVersion::V4,
        _ => SyntaxVersion::V3,
    };
    Ok(Interchange {
        una: envelope.una,
        header: InterchangeHeader {
            syntax: SyntaxIdentifier::new(envelope.charset, version),
            sender: envelope.sender.clone(),
            recipient: envelope.recipient.clone(),
            prepared: envelope.prepared.clone(),
            control_reference: envelope.control_reference.clone(),
            further: Vec::new(),
        },
        messages: vec![message],
    })
}

/// The document of message `number` (from 1) of an interchange, by its message type.
pub fn message_to_document(message: &Message, number: usize) -> Result<Document, MappingError> {
    Ok(match message.identifier.message_type.as_str() {
        cuscar::MESSAGE_TYPE => cuscar::read(message, number)?.into(),
        invoic::MESSAGE_TYPE => invoic::read(message, number)?.into(),
        cusdec::MESSAGE_TYPE => cusdec::read(message, number)?.into(),
        cusres::MESSAGE_TYPE => cusres::read(message, number)?.into(),
        other => {
            return Err(MappingError::UnknownMessageType {
                at: At::message(number),
                found: other.to_owned(),
            });
        }
    })
}

/// The documents of every message, in order; the first message that cannot be read
/// stops the reading. The documents are not validated: see
/// [`interchange_to_valid_documents`].
pub fn interchange_to_documents(interchange: &Interchange) -> Result<Vec<Document>, MappingError> {
    interchange
        .messages
        .iter()
        .enumerate()
        .map(|(index, message)| message_to_document(message, index + 1))
        .collect()
}

/// The documents of every message, read and then validated: all of them, or every fault
/// found: the mapping fault of each message that could not be read, and each problem
/// [`validate`] finds in the documents that could.
pub fn interchange_to_valid_documents(
    interchange: &Interchange,
) -> Result<Vec<Document>, Vec<MappingError>> {
    let mut documents = Vec::new();
    let mut faults = Vec::new();
    for (index, message) in interchange.messages.iter().enumerate() {
        let number = index + 1;
        match message_to_document(message, number) {
            Ok(document) => match validate(&document) {
                Ok(()) => documents.push(document),
                Err(problems) => faults.extend(problems.into_iter().map(|problem| {
                    MappingError::InvalidDocument {
                        message: number,
                        problem,
                    }
                })),
            },
            Err(fault) => faults.push(fault),
        }
    }
    if faults.is_empty() {
        Ok(documents)
    } else {
        Err(faults)
    }
}
