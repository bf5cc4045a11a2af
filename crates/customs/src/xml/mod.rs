//! The XML form of the documents: one namespace, one root element per document type, one
//! XSD per type (`schemas/`), and a reader that refuses hostile input before it costs
//! memory.
//!
//! # The form
//!
//! ```xml
//! <?xml version="1.0" encoding="UTF-8"?>
//! <SingleInvoice xmlns="urn:carec:sis:2026" version="1">
//!   <number>ADM-2025/0314</number>
//!   <issueDate>2025-03-10</issueDate>
//!   <seller>
//!     <name>Altyn Dala Milling LLP</name>
//!     <address>
//!       <line>Promyshlennaya zona 12</line>
//!     </address>
//!   …
//! ```
//!
//! - Every element is in the namespace [`NAMESPACE`]; the root carries `version="1"`
//!   ([`VERSION`]). `schemas/README.md` says how both change.
//! - The root element is the document type in UpperCamelCase ([`root_element`]:
//!   `single-invoice` → `SingleInvoice`). Every other element is a field, named as the
//!   field is in JSON but in lowerCamelCase (`net_weight_kg` → `netWeightKg`), in the order
//!   the types declare them, which the XSDs fix with `xs:sequence`.
//! - An absent optional field has no element. A list is a wrapper element with one element
//!   per entry, named in the singular (`<lines><line>…</line></lines>`,
//!   `<goods><item>…</item></goods>`), written even when empty (`<trailers/>`).
//! - Codes, numbers, dates and the values of enumerations are text, spelt as in JSON
//!   (`<status>approved</status>`, `<result>nothing-found</result>`). The two enumerations
//!   whose values carry data are a choice of one child element per value:
//!   `<kind><violation>…</violation></kind>`, `<kind><cleanTrip/></kind>`,
//!   `<test><in><value>KZ</value><value>RU</value></in></test>`.
//! - Text is written as it is, with `&`, `<` and `>` escaped and carriage returns written
//!   `&#13;` so that a conforming parser keeps them. XML 1.0 cannot carry the C0 controls
//!   other than tab, line feed and carriage return, nor U+FFFE and U+FFFF: these are
//!   written as U+FFFD. [`validate`](crate::documents::validate) refuses the controls in
//!   every text field, so only a document it refuses, or one holding U+FFFE or U+FFFF,
//!   reads back different.
//!
//! # Hostile input
//!
//! [`read`] refuses, each with its own [`XmlError`], and in this order:
//! - input over [`Limits::max_document_bytes`], before any byte is looked at;
//! - any DOCTYPE, which refuses entity declarations, and with them entity expansion (the
//!   billion laughs) and external entities (files and URLs), outright;
//! - while reading event by event, before the element or text concerned is kept: nesting
//!   deeper than [`Limits::max_depth`], more than [`Limits::max_elements`] elements, and a
//!   text node over [`Limits::max_text_bytes`]; an unknown root element, another
//!   namespace, a version other than [`VERSION`], and attributes the standard does not
//!   define.
//!
//! Only a tree that passed all of these is deserialised, so the memory a document takes is
//! bounded by the limits, and the recursion of deserialising by the depth. Content errors
//! ([`XmlError::Invalid`]) name the element path (`SingleInvoice/lines/line[2]/hsCode`,
//! counting entries from 1 as XPath does), the field path the JSON form and
//! [`validate`](crate::documents::validate) use (`lines[1].hs_code`), and the line.
//! Nothing panics on any input.
//!
//! # Layout
//! - `names`: root elements, element names, list entries, which enumerations are choices.
//! - `write`: [`write`], a serde serialiser that writes the form above.
//! - `tree`: the bytes into a tree of elements, with every limit and the root checked.
//! - `read`: the tree into a [`Document`], a serde deserialiser that tracks the path.
//! - `error`: [`XmlError`].

mod error;
mod names;
mod read;
mod tree;
mod write;

pub use error::XmlError;

use crate::documents::{Document, DocumentType};

/// The namespace of every element of every document.
pub const NAMESPACE: &str = "urn:carec:sis:2026";

/// The version of the document structures within [`NAMESPACE`], written on each root
/// element; the only one [`read`] accepts.
pub const VERSION: &str = "1";

/// How much a document may weigh before it is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The whole document, in bytes, checked before anything else. Default 16 MiB.
    pub max_document_bytes: usize,
    /// How deep elements may nest, the root being 1. Default 32; the documents need 6.
    pub max_depth: usize,
    /// One text node (an element's text, or the run of text between two tags), in bytes
    /// as written. Default 1 MiB; the longest field, a letter's body, is 100,000
    /// characters.
    pub max_text_bytes: usize,
    /// Elements in the whole document. Default 256 Ki: an invoice of 9,999 lines, the most
    /// there may be, has about 130,000. It bounds the tree, which costs some 80 bytes an
    /// element however short the element is written.
    pub max_elements: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_document_bytes: 16 * 1024 * 1024,
            max_depth: 32,
            max_text_bytes: 1024 * 1024,
            max_elements: 256 * 1024,
        }
    }
}

/// Writes `document` as UTF-8 XML with an XML declaration, indented by two spaces.
///
/// ```
/// use sis_customs::{documents::examples, xml};
///
/// let invoice = examples::all().remove(0);
/// let text = xml::write(&invoice);
/// assert!(text.contains(r#"<SingleInvoice xmlns="urn:carec:sis:2026" version="1">"#));
/// assert_eq!(xml::read(&text), Ok(invoice));
/// ```
pub fn write(document: &Document) -> String {
    write::document(document)
}

/// Reads a document with the default [`Limits`]; its root element decides its type.
pub fn read(input: impl AsRef<[u8]>) -> Result<Document, XmlError> {
    read_with(input, &Limits::default())
}

/// Reads a document within `limits`.
pub fn read_with(input: impl AsRef<[u8]>, limits: &Limits) -> Result<Document, XmlError> {
    let bytes = input.as_ref();
    if bytes.len() > limits.max_document_bytes {
        return Err(XmlError::TooLarge {
            size: bytes.len(),
            limit: limits.max_document_bytes,
        });
    }
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    let (bom, bytes) = match bytes.strip_prefix(BOM) {
        Some(rest) => (BOM.len(), rest),
        None => (0, bytes),
    };
    // The reader would drop a second mark too and count positions from after it.
    if bytes.starts_with(BOM) {
        return Err(XmlError::Malformed {
            line: 1,
            reason: "a second byte order mark".to_owned(),
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| XmlError::NotUtf8 {
        offset: bom + e.valid_up_to(),
    })?;
    let tree = tree::parse(text, limits)?;
    read::document(&tree, text)
}

/// The root element of a document type: `SingleInvoice`.
pub fn root_element(document_type: DocumentType) -> &'static str {
    names::root_element(document_type)
}

/// The XSD of a document type, as committed in `schemas/`. It includes
/// [`COMMON_SCHEMA`], which a validator must find beside it as [`COMMON_SCHEMA_FILE`];
/// [`schema_files`] gives every file for writing the set to a directory.
pub fn schema(document_type: DocumentType) -> &'static str {
    match document_type {
        DocumentType::SingleInvoice => include_str!("../../schemas/single-invoice.xsd"),
        DocumentType::PreliminaryInformation => {
            include_str!("../../schemas/preliminary-information.xsd")
        }
        DocumentType::CarrierRecord => include_str!("../../schemas/carrier-record.xsd"),
        DocumentType::CarrierEvent => include_str!("../../schemas/carrier-event.xsd"),
        DocumentType::OfficialLetter => include_str!("../../schemas/official-letter.xsd"),
        DocumentType::LetterAcknowledgement => {
            include_str!("../../schemas/letter-acknowledgement.xsd")
        }
        DocumentType::SwApplication => include_str!("../../schemas/sw-application.xsd"),
        DocumentType::SwDecision => include_str!("../../schemas/sw-decision.xsd"),
        DocumentType::TradeStatistics => include_str!("../../schemas/trade-statistics.xsd"),
        DocumentType::RiskProfile => include_str!("../../schemas/risk-profile.xsd"),
        DocumentType::RiskHit => include_str!("../../schemas/risk-hit.xsd"),
    }
}

/// The file name of a document type's XSD: its type name with `.xsd`
/// (`single-invoice.xsd`).
pub fn schema_file_name(document_type: DocumentType) -> &'static str {
    match document_type {
        DocumentType::SingleInvoice => "single-invoice.xsd",
        DocumentType::PreliminaryInformation => "preliminary-information.xsd",
        DocumentType::CarrierRecord => "carrier-record.xsd",
        DocumentType::CarrierEvent => "carrier-event.xsd",
        DocumentType::OfficialLetter => "official-letter.xsd",
        DocumentType::LetterAcknowledgement => "letter-acknowledgement.xsd",
        DocumentType::SwApplication => "sw-application.xsd",
        DocumentType::SwDecision => "sw-decision.xsd",
        DocumentType::TradeStatistics => "trade-statistics.xsd",
        DocumentType::RiskProfile => "risk-profile.xsd",
        DocumentType::RiskHit => "risk-hit.xsd",
    }
}

/// The types the document schemas share, which each of them includes.
pub const COMMON_SCHEMA: &str = include_str!("../../schemas/common.xsd");

/// The name under which the document schemas include [`COMMON_SCHEMA`].
pub const COMMON_SCHEMA_FILE: &str = "common.xsd";

/// Every schema file, as (file name, content): the common types, then one per document
/// type in [`DocumentType::ALL`] order.
pub fn schema_files() -> Vec<(&'static str, &'static str)> {
    std::iter::once((COMMON_SCHEMA_FILE, COMMON_SCHEMA))
        .chain(
            DocumentType::ALL
                .into_iter()
                .map(|t| (schema_file_name(t), schema(t))),
        )
        .collect()
}

/// Whether XML 1.0 can carry `ch` (its `Char` production).
fn is_xml_char(ch: char) -> bool {
    matches!(ch,
        '\t' | '\n' | '\r'
        | '\u{20}'..='\u{D7FF}'
        | '\u{E000}'..='\u{FFFD}'
        | '\u{10000}'..='\u{10FFFF}')
}

/// Whether `s` is only XML white space (space, tab, line feed, carriage return).
fn is_xml_whitespace(s: &str) -> bool {
    s.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
}

/// `s` for an error message: at most 64 characters, so that a megabyte of input never
/// becomes a megabyte of message.
fn shown(s: &str) -> String {
    const MAX: usize = 64;
    match s.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_owned(),
    }
}

/// The line (from 1) of byte `offset` of `input`.
fn line_at(input: &str, offset: usize) -> usize {
    let before = input.as_bytes().get(..offset).unwrap_or(input.as_bytes());
    before.iter().filter(|&&b| b == b'\n').count() + 1
}
