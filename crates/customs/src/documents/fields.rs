//! The fields of each document type that risk criteria can test, with the kind of value
//! each holds. Paths are as in the serialised document, with `[]` for "any entry of the
//! list": `goods[].hs_code`.

use std::sync::OnceLock;

use super::DocumentType;

/// What a field holds, which decides how a criterion may test it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldKind {
    /// Free text and codes: compared for equality or by prefix.
    Text,
    /// Decimals and counts: compared by value.
    Number,
    Date,
    DateTime,
}

impl FieldKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FieldKind::Text => "text",
            FieldKind::Number => "a number",
            FieldKind::Date => "a date",
            FieldKind::DateTime => "a date-time",
        }
    }
}

/// The document types risk profiles are evaluated on: those that describe goods on the move.
pub const RISK_TARGETS: [DocumentType; 3] = [
    DocumentType::PreliminaryInformation,
    DocumentType::SingleInvoice,
    DocumentType::SwApplication,
];

/// The kind of the field at `path` in a document of `document_type`; `None` if there is no
/// such field, or criteria cannot be set on that type.
pub fn field_kind(document_type: DocumentType, path: &str) -> Option<FieldKind> {
    fields(document_type)
        .iter()
        .find(|(p, _)| p == path)
        .map(|(_, kind)| *kind)
}

/// Every field criteria can test in a document of `document_type`, in document order;
/// empty for types that are not [`RISK_TARGETS`].
pub fn fields(document_type: DocumentType) -> &'static [(String, FieldKind)] {
    static INVOICE: OnceLock<Vec<(String, FieldKind)>> = OnceLock::new();
    static PRELIMINARY: OnceLock<Vec<(String, FieldKind)>> = OnceLock::new();
    static APPLICATION: OnceLock<Vec<(String, FieldKind)>> = OnceLock::new();
    match document_type {
        DocumentType::SingleInvoice => INVOICE.get_or_init(invoice),
        DocumentType::PreliminaryInformation => PRELIMINARY.get_or_init(preliminary),
        DocumentType::SwApplication => APPLICATION.get_or_init(application),
        _ => &[],
    }
}

/// Builds a field list, with the shapes the documents share.
#[derive(Default)]
struct Fields(Vec<(String, FieldKind)>);

impl Fields {
    fn add(&mut self, path: &str, kind: FieldKind) -> &mut Self {
        self.0.push((path.to_owned(), kind));
        self
    }

    fn text(&mut self, paths: &[&str]) -> &mut Self {
        for path in paths {
            self.add(path, FieldKind::Text);
        }
        self
    }

    fn number(&mut self, paths: &[&str]) -> &mut Self {
        for path in paths {
            self.add(path, FieldKind::Number);
        }
        self
    }

    /// The fields of a [`Party`](super::Party) at `prefix`.
    fn party(&mut self, prefix: &str) -> &mut Self {
        for field in ["name", "address[]", "city", "postcode", "country", "tax_id"] {
            self.add(&format!("{prefix}.{field}"), FieldKind::Text);
        }
        self
    }

    fn plate(&mut self, prefix: &str) -> &mut Self {
        self.text(&[&format!("{prefix}.number"), &format!("{prefix}.country")])
    }

    fn place(&mut self, prefix: &str) -> &mut Self {
        self.text(&[&format!("{prefix}.country"), &format!("{prefix}.name")])
    }

    /// The fields of the [`GoodsItem`](super::GoodsItem)s in the list `list`.
    fn goods(&mut self, list: &str) -> &mut Self {
        let f = |field: &str| format!("{list}[].{field}");
        self.text(&[&f("hs_code"), &f("description")])
            .number(&[&f("quantity.value")])
            .text(&[&f("quantity.unit")])
            .number(&[
                &f("gross_weight_kg"),
                &f("net_weight_kg"),
                &f("value.value"),
            ])
            .text(&[&f("value.currency")])
            .number(&[&f("packages.count")])
            .text(&[&f("packages.kind")])
    }

    fn done(&mut self) -> Vec<(String, FieldKind)> {
        std::mem::take(&mut self.0)
    }
}

fn invoice() -> Vec<(String, FieldKind)> {
    Fields::default()
        .text(&["number"])
        .add("issue_date", FieldKind::Date)
        .party("seller")
        .party("buyer")
        .party("manufacturer")
        .text(&[
            "country_of_origin",
            "incoterms.rule",
            "incoterms.place",
            "transport_mode",
            "currency",
            "lines[].hs_code",
            "lines[].description",
        ])
        .number(&["lines[].quantity.value"])
        .text(&["lines[].quantity.unit"])
        .number(&[
            "lines[].unit_price",
            "lines[].value",
            "lines[].net_weight_kg",
            "lines[].gross_weight_kg",
            "lines[].packages.count",
        ])
        .text(&["lines[].packages.kind"])
        .number(&[
            "totals.value",
            "totals.net_weight_kg",
            "totals.gross_weight_kg",
            "totals.packages",
        ])
        .done()
}

fn preliminary() -> Vec<(String, FieldKind)> {
    Fields::default()
        .text(&["reference", "correlation_id"])
        .party("declarant")
        .party("consignor")
        .party("consignee")
        .party("carrier")
        .text(&["transport_mode"])
        .plate("vehicle")
        .plate("trailers[]")
        .text(&[
            "containers[]",
            "border_crossing.code",
            "border_crossing.name",
        ])
        .place("departure")
        .place("destination")
        .add("expected_arrival", FieldKind::DateTime)
        .goods("goods")
        .text(&["references.invoice_number", "references.transit_number"])
        .done()
}

fn application() -> Vec<(String, FieldKind)> {
    Fields::default()
        .text(&["reference", "country"])
        .add("submitted_at", FieldKind::DateTime)
        .party("applicant")
        .text(&["procedure"])
        .goods("goods")
        .text(&["documents[].kind", "documents[].number"])
        .add("documents[].issued_on", FieldKind::Date)
        .text(&["agencies[].country", "agencies[].name"])
        .done()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::{Date, DateTime, Decimal, examples};
    use serde_json::Value;

    /// Every leaf of a JSON value with its path, lists written `[]`.
    fn leaves(value: &Value, path: &str, out: &mut Vec<(String, Value)>) {
        match value {
            Value::Object(fields) => {
                for (name, v) in fields {
                    let sub = if path.is_empty() {
                        name.clone()
                    } else {
                        format!("{path}.{name}")
                    };
                    leaves(v, &sub, out);
                }
            }
            Value::Array(items) => {
                for item in items {
                    leaves(item, &format!("{path}[]"), out);
                }
            }
            leaf => out.push((path.to_owned(), leaf.clone())),
        }
    }

    /// The table and the examples (in which every optional field is present) agree: each
    /// field of the serialised example is listed, each listed field is in the example, and
    /// each example value reads as the kind the table gives.
    #[test]
    fn the_tables_match_the_serialised_examples() {
        let targets: [(DocumentType, Value); 3] = [
            (
                DocumentType::PreliminaryInformation,
                serde_json::to_value(examples::example_preliminary_information()).expect("ser"),
            ),
            (
                DocumentType::SingleInvoice,
                serde_json::to_value(examples::example_single_invoice()).expect("ser"),
            ),
            (
                DocumentType::SwApplication,
                serde_json::to_value(examples::example_sw_application()).expect("ser"),
            ),
        ];
        assert_eq!(targets.each_ref().map(|(t, _)| *t), RISK_TARGETS);
        for (document_type, json) in targets {
            let mut found = Vec::new();
            leaves(&json, "", &mut found);
            for (path, value) in &found {
                let kind = field_kind(document_type, path)
                    .unwrap_or_else(|| panic!("{document_type}: {path} is not listed"));
                let text = match value {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                let reads = match kind {
                    FieldKind::Text => value.is_string(),
                    FieldKind::Number => Decimal::parse(&text).is_ok(),
                    FieldKind::Date => Date::parse(&text).is_ok(),
                    FieldKind::DateTime => DateTime::parse(&text).is_ok(),
                };
                assert!(
                    reads,
                    "{document_type}: {path} = {value} is not {}",
                    kind.as_str()
                );
            }
            for (path, _) in fields(document_type) {
                assert!(
                    found.iter().any(|(p, _)| p == path),
                    "{document_type}: {path} is listed but not in the example"
                );
            }
        }
        assert!(fields(DocumentType::RiskHit).is_empty());
    }
}
