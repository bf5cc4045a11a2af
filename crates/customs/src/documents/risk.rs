//! Risk management: profiles that a country owns and shares, evaluated at every node on the
//! documents arriving there, and the hits and inspection results sent back to the owner.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::dates::{Date, DateTime};
use super::decimal::Decimal;
use super::fields::{self, FieldKind, RISK_TARGETS};
use super::validate::{Check, Checker, Limit, Text};
use super::{DocumentRef, DocumentType};
use crate::{CountryCode, InvalidCode};

/// A risk profile: documents of one type that meet every criterion are sent to its lane.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RiskProfile {
    /// Unique among the owner's profiles.
    pub id: String,
    pub owner: CountryCode,
    pub name: String,
    /// The document type the criteria are written over; one of [`RISK_TARGETS`].
    pub document_type: DocumentType,
    /// All must hold for a hit. A criterion on a list field (`goods[].hs_code`) holds if it
    /// holds for any entry; two criteria may be met by different entries.
    pub criteria: Vec<Criterion>,
    pub lane: Lane,
    pub valid_from: Date,
    /// Required, so that a profile nobody reviews runs out instead of selecting forever.
    pub valid_to: Date,
}

/// A test of one field.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Criterion {
    pub field: FieldPath,
    pub test: Test,
}

/// How a field's value is tested. Values are written as in the serialised document
/// (`"8471"`, `"20000"`, `"2025-03-14"`); `gt` and `lt` compare numbers, dates and
/// date-times by value.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Test {
    Eq(String),
    In(Vec<String>),
    Prefix(String),
    Gt(String),
    Lt(String),
}

/// The selectivity lanes: green is release, yellow a documentary check, red a physical
/// inspection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Lane {
    Green,
    Yellow,
    Red,
}

/// A profile's hit on a document, with the result of the control it led to; sent to the
/// profile's owner.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RiskHit {
    pub profile_id: String,
    /// The owner of the profile, to whom the hit is reported.
    pub profile_owner: CountryCode,
    pub document: DocumentRef,
    pub lane: Lane,
    pub result: InspectionResult,
    /// What was found, or anything else the officer adds.
    pub notes: Option<String>,
    pub reporting_country: CountryCode,
    pub reported_at: DateTime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InspectionResult {
    Found,
    NothingFound,
}

/// The path of a field in a serialised document: names of lower-case letters, digits and
/// `_` joined by `.`, a name followed by `[]` for any entry of a list (`goods[].hs_code`).
/// Whether the field exists depends on the document type, which validation checks.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldPath(String);

impl FieldPath {
    pub fn parse(s: &str) -> Result<Self, InvalidCode> {
        let segment = |seg: &str| {
            let name = seg.strip_suffix("[]").unwrap_or(seg);
            let mut bytes = name.bytes();
            bytes.next().is_some_and(|b| b.is_ascii_lowercase())
                && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        };
        if s.len() <= 200 && s.split('.').all(segment) {
            Ok(FieldPath(s.to_owned()))
        } else {
            Err(InvalidCode {
                value: s.to_owned(),
                list: "a field path like goods[].hs_code",
            })
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for FieldPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for FieldPath {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for FieldPath {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        FieldPath::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl RiskProfile {
    /// Whether the profile applies at `now`: from the start of `valid_from` to the end of
    /// `valid_to`, in UTC.
    pub fn in_force(&self, now: DateTime) -> bool {
        (self.valid_from..=self.valid_to).contains(&now.date())
    }
}

/// A profile has at most this many criteria, and an `in` test this many values: enough for
/// a list of HS headings or traders, not a way to ship a database.
const MAX_CRITERIA: usize = 50;
const MAX_VALUES: usize = 1_000;

impl Check for RiskProfile {
    fn check(&self, c: &mut Checker) {
        c.text("id", &self.id, Text::Id);
        c.text("name", &self.name, Text::Line);
        let targeted = RISK_TARGETS.contains(&self.document_type);
        if !targeted {
            c.report_at(
                "document_type",
                format!(
                    "risk profiles apply to {} documents, not {}",
                    RISK_TARGETS.map(DocumentType::as_str).join(", "),
                    self.document_type
                ),
            );
        }
        c.list(
            "criteria",
            &self.criteria,
            Limit::one_to(MAX_CRITERIA),
            |c, criterion| {
                if targeted {
                    criterion.check_on(self.document_type, c);
                }
            },
        );
        c.not_before(
            ("valid_from", &self.valid_from),
            ("valid_to", &self.valid_to),
        );
    }
}

impl Criterion {
    fn check_on(&self, document_type: DocumentType, c: &mut Checker) {
        let Some(kind) = fields::field_kind(document_type, self.field.as_str()) else {
            return c.report_at(
                "field",
                format!("{} is not a field of {document_type}", self.field),
            );
        };
        let field = &self.field;
        c.at("test", |c| match &self.test {
            Test::Eq(value) => c.at("eq", |c| check_value(kind, value, c)),
            Test::In(values) => {
                c.list("in", values, Limit::one_to(MAX_VALUES), |c, value| {
                    check_value(kind, value, c)
                });
            }
            Test::Prefix(value) => c.at("prefix", |c| {
                if kind == FieldKind::Text {
                    c.check_text(value, Text::Line);
                } else {
                    c.report(format!("applies to text, and {field} is {}", kind.as_str()));
                }
            }),
            Test::Gt(value) => c.at("gt", |c| check_ordered(kind, field, value, c)),
            Test::Lt(value) => c.at("lt", |c| check_ordered(kind, field, value, c)),
        });
    }
}

/// Checks a `gt` or `lt` bound: only values with an order can be compared.
fn check_ordered(kind: FieldKind, field: &FieldPath, value: &str, c: &mut Checker) {
    if kind == FieldKind::Text {
        c.report(format!(
            "compares numbers, dates and date-times, and {field} is text"
        ));
    } else {
        check_value(kind, value, c);
    }
}

/// Checks that `value` can be compared with a field of `kind`.
fn check_value(kind: FieldKind, value: &str, c: &mut Checker) {
    let parsed = match kind {
        FieldKind::Text => return c.check_text(value, Text::Line),
        FieldKind::Number => Decimal::parse(value).map(drop),
        FieldKind::Date => Date::parse(value).map(drop),
        FieldKind::DateTime => DateTime::parse(value).map(drop),
    };
    if let Err(e) = parsed {
        c.report(e.to_string());
    }
}

impl Check for RiskHit {
    fn check(&self, c: &mut Checker) {
        c.text("profile_id", &self.profile_id, Text::Id);
        c.part("document", &self.document);
        match &self.notes {
            Some(notes) => c.text("notes", notes, Text::Paragraph),
            None if self.result == InspectionResult::Found => {
                c.report_at("notes", "must say what was found")
            }
            None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::examples::{example_risk_hit, example_risk_profile};
    use crate::documents::validate::problem_lines;

    fn profile(change: impl FnOnce(&mut RiskProfile)) -> Vec<String> {
        let mut p = example_risk_profile();
        change(&mut p);
        problem_lines(p)
    }

    fn criterion(field: &str, test: Test) -> Criterion {
        Criterion {
            field: FieldPath::parse(field).expect(field),
            test,
        }
    }

    #[test]
    fn the_examples_are_valid() {
        assert_eq!(profile(|_| {}), Vec::<String>::new());
        assert_eq!(problem_lines(example_risk_hit()), Vec::<String>::new());
    }

    #[test]
    fn criteria_name_fields_of_the_document_type() {
        assert_eq!(
            profile(|p| p.criteria[0].field = FieldPath::parse("goods[].hs_cod").expect("path")),
            ["criteria[0].field: goods[].hs_cod is not a field of preliminary-information"]
        );
        assert_eq!(
            profile(|p| p.document_type = DocumentType::SingleInvoice),
            [
                "criteria[0].field: goods[].hs_code is not a field of single-invoice",
                "criteria[2].field: goods[].gross_weight_kg is not a field of single-invoice",
                "criteria[3].field: departure.country is not a field of single-invoice",
                "criteria[4].field: expected_arrival is not a field of single-invoice",
            ],
            "transport_mode is a field of both"
        );
        assert_eq!(
            profile(|p| p.document_type = DocumentType::CarrierRecord),
            [
                "document_type: risk profiles apply to preliminary-information, single-invoice, \
              sw-application documents, not carrier-record"
            ]
        );
    }

    #[test]
    fn tests_suit_the_kind_of_field() {
        assert_eq!(
            profile(|p| {
                p.criteria = vec![
                    criterion("goods[].gross_weight_kg", Test::Prefix("1".to_owned())),
                    criterion("consignor.name", Test::Gt("A".to_owned())),
                    criterion("goods[].value.value", Test::Lt("ten".to_owned())),
                    criterion("departure.country", Test::In(Vec::new())),
                    criterion("expected_arrival", Test::Gt("2025-03-14".to_owned())),
                    criterion(
                        "goods[].packages.count",
                        Test::In(vec!["1".into(), "x".into()]),
                    ),
                    criterion("consignor.tax_id", Test::Eq(String::new())),
                ];
            }),
            [
                "criteria[0].test.prefix: applies to text, and goods[].gross_weight_kg is a \
                 number",
                "criteria[1].test.gt: compares numbers, dates and date-times, and \
                 consignor.name is text",
                "criteria[2].test.lt: \"ten\" is not a decimal number like 1250.50 (at most 18 \
                 digits, 9 after the point)",
                "criteria[3].test.in: must have at least one entry",
                "criteria[4].test.gt: \"2025-03-14\" is not a UTC date-time written \
                 YYYY-MM-DDThh:mm:ssZ",
                "criteria[5].test.in[1]: \"x\" is not a decimal number like 1250.50 (at most 18 \
                 digits, 9 after the point)",
                "criteria[6].test.eq: must not be empty",
            ]
        );
    }

    #[test]
    fn a_profile_has_criteria_and_an_ordered_validity() {
        assert_eq!(
            profile(|p| {
                p.criteria.clear();
                p.valid_to = Date::parse("2024-12-31").expect("date");
            }),
            [
                "criteria: must have at least one entry",
                "valid_to: 2024-12-31 is before valid_from 2025-01-01",
            ]
        );
    }

    #[test]
    fn a_profile_is_in_force_within_its_days() {
        let p = example_risk_profile();
        let at = |s: &str| DateTime::parse(s).expect(s);
        assert!(p.in_force(at("2025-01-01T00:00:00Z")));
        assert!(p.in_force(at("2025-12-31T23:59:59Z")));
        assert!(!p.in_force(at("2024-12-31T23:59:59Z")));
        assert!(!p.in_force(at("2026-01-01T00:00:00Z")));
    }

    #[test]
    fn field_paths_are_dotted_names_with_list_markers() {
        for good in [
            "goods[].hs_code",
            "transport_mode",
            "consignor.address[]",
            "a1.b_2",
        ] {
            assert_eq!(FieldPath::parse(good).expect(good).as_str(), good);
        }
        for bad in [
            "",
            ".",
            "goods.",
            "goods[0].hs_code",
            "Goods",
            "goods[]]",
            "1goods",
            "goods..x",
            "goods[].HS",
            "goods hs",
        ] {
            assert!(FieldPath::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_finding_is_described() {
        let mut hit = example_risk_hit();
        hit.result = InspectionResult::Found;
        hit.notes = None;
        hit.document.number.clear();
        assert_eq!(
            problem_lines(hit),
            [
                "document.number: must not be empty",
                "notes: must say what was found"
            ]
        );
    }

    #[test]
    fn json_round_trip() {
        let p = example_risk_profile();
        let json = serde_json::to_string(&p).expect("ser");
        assert!(json.contains(r#"{"field":"goods[].hs_code","test":{"prefix":"1101"}}"#));
        assert!(json.contains(r#""lane":"yellow""#));
        assert_eq!(serde_json::from_str::<RiskProfile>(&json).expect("de"), p);
        let hit = example_risk_hit();
        let json = serde_json::to_string(&hit).expect("ser");
        assert!(json.contains(r#""result":"nothing-found""#));
        assert!(json.contains(r#""document_type":"preliminary-information""#));
        assert_eq!(serde_json::from_str::<RiskHit>(&json).expect("de"), hit);
    }
}
