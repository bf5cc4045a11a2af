//! How the documents' serde names become XML names. The writer and the reader both ask
//! here, so that the two cannot disagree; the XSDs spell out the result.

use crate::documents::DocumentType;

pub(super) fn root_element(document_type: DocumentType) -> &'static str {
    match document_type {
        DocumentType::SingleInvoice => "SingleInvoice",
        DocumentType::PreliminaryInformation => "PreliminaryInformation",
        DocumentType::CarrierRecord => "CarrierRecord",
        DocumentType::CarrierEvent => "CarrierEvent",
        DocumentType::OfficialLetter => "OfficialLetter",
        DocumentType::LetterAcknowledgement => "LetterAcknowledgement",
        DocumentType::SwApplication => "SwApplication",
        DocumentType::SwDecision => "SwDecision",
        DocumentType::TradeStatistics => "TradeStatistics",
        DocumentType::RiskProfile => "RiskProfile",
        DocumentType::RiskHit => "RiskHit",
    }
}

/// The document type whose root element is `name`.
pub(super) fn document_type(name: &str) -> Option<DocumentType> {
    DocumentType::ALL
        .into_iter()
        .find(|&t| root_element(t) == name)
}

/// Every root element, for a message.
pub(super) fn root_elements() -> String {
    DocumentType::ALL.map(root_element).join(", ")
}

/// The characters of the element name of a serde field or variant name: snake_case or
/// kebab-case into lowerCamelCase (`net_weight_kg` → `netWeightKg`, `status-change` →
/// `statusChange`). Serde names in this crate are ASCII.
fn element_chars(serde_name: &str) -> impl Iterator<Item = char> + '_ {
    let mut word_start = false;
    serde_name.chars().filter_map(move |ch| {
        if ch == '_' || ch == '-' {
            word_start = true;
            None
        } else if word_start {
            word_start = false;
            Some(ch.to_ascii_uppercase())
        } else {
            Some(ch)
        }
    })
}

/// The element name of a serde field or variant name.
pub(super) fn element_name(serde_name: &str) -> String {
    element_chars(serde_name).collect()
}

/// Whether `element` is the element of the serde field or variant `serde_name`, without
/// building the name.
pub(super) fn is_element_of(element: &str, serde_name: &str) -> bool {
    element.chars().eq(element_chars(serde_name))
}

/// The name of each entry of the list whose element is `list`.
pub(super) fn entry_name(list: &str) -> &'static str {
    match list {
        "address" | "lines" => "line",
        "goods" => "item",
        "trailers" => "trailer",
        "containers" => "container",
        "recipients" => "recipient",
        "attachments" => "attachment",
        "documents" => "document",
        "agencies" => "agency",
        "reasons" => "reason",
        "criteria" => "criterion",
        "in" => "value",
        // A list added to a document without a name here; the XSD tests catch it.
        _ => "entry",
    }
}

/// The enumerations with data in some value, by their Rust names, which serde reports.
/// Each value is a child element; the values of every other enumeration are text.
const CHOICES: [&str; 2] = ["CarrierEventKind", "Test"];

pub(super) fn is_choice(enum_name: &str) -> bool {
    CHOICES.contains(&enum_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_names_become_lower_camel_case() {
        for (serde, xml) in [
            ("hs_code", "hsCode"),
            ("net_weight_kg", "netWeightKg"),
            ("sha256", "sha256"),
            ("status-change", "statusChange"),
            ("in", "in"),
        ] {
            assert_eq!(element_name(serde), xml);
            assert!(is_element_of(xml, serde));
        }
        assert!(
            !is_element_of("hs_code", "hs_code"),
            "only the XML spelling"
        );
        assert!(!is_element_of("hsCod", "hs_code"));
        assert!(!is_element_of("hsCodes", "hs_code"));
    }

    #[test]
    fn root_elements_name_each_type_once() {
        for t in DocumentType::ALL {
            assert_eq!(document_type(root_element(t)), Some(t));
        }
        assert_eq!(document_type("Invoice"), None);
    }
}
