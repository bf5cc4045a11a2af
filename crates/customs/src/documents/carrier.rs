//! The Unified Register of Carriers: each country's record of a carrier it licensed, and the
//! events any country reports about a carrier (violations, clean trips, status changes),
//! from which the register derives a good-faith level traced to the reporting countries.

use serde::{Deserialize, Serialize};

use super::dates::Date;
use super::party::Party;
use super::validate::{Check, Checker, Text};
use crate::CountryCode;

/// A carrier licensed by one country to move goods under customs control.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CarrierRecord {
    pub carrier: Party,
    /// The licence number, unique within the registering country.
    pub licence_number: String,
    pub valid_from: Date,
    /// The last day of validity; `None` for a licence without an end date.
    pub valid_to: Option<Date>,
    pub status: CarrierStatus,
    /// The country that issued the licence and answers for this record.
    pub registering_country: CountryCode,
}

/// The statuses the UN's register of TIR carnet holders keeps, with suspension added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CarrierStatus {
    Approved,
    Suspended,
    Withdrawn,
}

/// Something a country saw a carrier do.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CarrierEvent {
    pub licence_number: String,
    /// The country whose licence `licence_number` is: numbers are unique only within it.
    pub licensing_country: CountryCode,
    pub kind: CarrierEventKind,
    pub date: Date,
    /// The country that saw the event and answers for it.
    pub reporting_country: CountryCode,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CarrierEventKind {
    Violation {
        violation_type: ViolationType,
        description: String,
    },
    /// A trip completed without findings: good faith is built from these as well.
    CleanTrip,
    /// The licensing country changed the licence's status.
    StatusChange { to: CarrierStatus },
}

/// Kinds of violation, so that countries count the same things alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ViolationType {
    /// Goods found that were not declared.
    UndeclaredGoods,
    /// Goods declared with a wrong description, quantity, value or origin.
    FalseDeclaration,
    /// A customs seal broken, missing or tampered with.
    SealTampering,
    /// A prescribed route left.
    RouteDeviation,
    /// Goods not delivered to the destination office within the time limit.
    LateDelivery,
    /// Forged, altered or missing documents.
    DocumentIrregularity,
    Other,
}

impl CarrierRecord {
    /// Whether the carrier may move goods under customs control on `day`: approved, and
    /// `day` within the validity.
    pub fn is_licensed_on(&self, day: Date) -> bool {
        self.status == CarrierStatus::Approved
            && self.valid_from <= day
            && self.valid_to.is_none_or(|to| day <= to)
    }
}

impl Check for CarrierRecord {
    fn check(&self, c: &mut Checker) {
        c.part("carrier", &self.carrier);
        c.text("licence_number", &self.licence_number, Text::Id);
        if let Some(to) = &self.valid_to {
            c.not_before(("valid_from", &self.valid_from), ("valid_to", to));
        }
    }
}

impl Check for CarrierEvent {
    fn check(&self, c: &mut Checker) {
        c.text("licence_number", &self.licence_number, Text::Id);
        if let CarrierEventKind::Violation { description, .. } = &self.kind {
            c.at("kind", |c| {
                c.at("violation", |c| {
                    c.text("description", description, Text::Paragraph)
                })
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::examples::{example_carrier_event, example_carrier_record};
    use crate::documents::validate::problem_lines;

    fn date(s: &str) -> Date {
        Date::parse(s).expect(s)
    }

    #[test]
    fn the_examples_are_valid() {
        assert_eq!(
            problem_lines(example_carrier_record()),
            Vec::<String>::new()
        );
        assert_eq!(problem_lines(example_carrier_event()), Vec::<String>::new());
    }

    #[test]
    fn validity_is_ordered() {
        let mut record = example_carrier_record();
        record.valid_to = Some(date("2022-12-31"));
        record.licence_number.clear();
        assert_eq!(
            problem_lines(record.clone()),
            [
                "licence_number: must not be empty",
                "valid_to: 2022-12-31 is before valid_from 2023-03-01",
            ]
        );
        record.valid_to = Some(record.valid_from);
        record.licence_number = "KZ-TIR-042317".to_owned();
        assert_eq!(
            problem_lines(record),
            Vec::<String>::new(),
            "one day is a validity"
        );
    }

    #[test]
    fn a_carrier_is_licensed_while_approved_and_valid() {
        let mut record = example_carrier_record();
        assert!(record.is_licensed_on(date("2025-03-14")));
        assert!(
            record.is_licensed_on(date("2028-02-29")),
            "the last day counts"
        );
        assert!(!record.is_licensed_on(date("2028-03-01")));
        assert!(!record.is_licensed_on(date("2023-02-28")));
        record.valid_to = None;
        assert!(record.is_licensed_on(date("2099-01-01")));
        record.status = CarrierStatus::Suspended;
        assert!(!record.is_licensed_on(date("2025-03-14")));
    }

    #[test]
    fn a_violation_is_described() {
        let mut event = example_carrier_event();
        event.kind = CarrierEventKind::Violation {
            violation_type: ViolationType::RouteDeviation,
            description: String::new(),
        };
        assert_eq!(
            problem_lines(event),
            ["kind.violation.description: must not be empty"]
        );
    }

    #[test]
    fn json_shapes_and_round_trips() {
        let mut event = example_carrier_event();
        let json = serde_json::to_value(&event).expect("ser");
        assert_eq!(
            json["kind"]["violation"]["violation_type"],
            "seal-tampering"
        );
        for kind in [
            CarrierEventKind::CleanTrip,
            CarrierEventKind::StatusChange {
                to: CarrierStatus::Withdrawn,
            },
        ] {
            event.kind = kind;
            let json = serde_json::to_string(&event).expect("ser");
            assert_eq!(
                serde_json::from_str::<CarrierEvent>(&json).expect("de"),
                event
            );
        }
        assert!(
            serde_json::to_string(&event)
                .expect("ser")
                .contains(r#""kind":{"status-change":{"to":"withdrawn"}}"#)
        );
        event.kind = CarrierEventKind::CleanTrip;
        assert!(
            serde_json::to_string(&event)
                .expect("ser")
                .contains(r#""kind":"clean-trip""#)
        );

        let record = example_carrier_record();
        let json = serde_json::to_string(&record).expect("ser");
        assert!(json.contains(r#""status":"approved""#));
        assert_eq!(
            serde_json::from_str::<CarrierRecord>(&json).expect("de"),
            record
        );
        let problem = crate::documents::decode::<CarrierRecord, _>(
            &mut serde_json::Deserializer::from_str(&json.replace("approved", "excluded")),
        )
        .expect_err("not a status");
        assert_eq!(problem.path, "status");
    }
}
