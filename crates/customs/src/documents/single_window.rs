//! The Single Window: a trader's application or declaration, submitted once for every
//! agency concerned, and each agency's decision on it.

use serde::{Deserialize, Serialize};

use super::dates::{Date, DateTime};
use super::goods::GoodsItem;
use super::party::{Agency, Party};
use super::preliminary::MAX_GOODS_ITEMS;
use super::validate::{Check, Checker, Limit, Text};
use crate::CountryCode;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SwApplication {
    /// The Single Window's reference, quoted by every decision on the application.
    pub reference: String,
    /// The country whose Single Window received the application.
    pub country: CountryCode,
    pub submitted_at: DateTime,
    pub applicant: Party,
    pub procedure: Procedure,
    pub goods: Vec<GoodsItem>,
    /// Invoices, certificates and permits the application relies on.
    pub documents: Vec<ReferencedDocument>,
    /// The agencies that must decide: customs, and the inspections the goods call for.
    pub agencies: Vec<Agency>,
}

/// The customs procedure applied for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Procedure {
    Import,
    Export,
    Transit,
    TemporaryAdmission,
    ReExport,
}

/// A document an application relies on, by kind and number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ReferencedDocument {
    /// What it is, in words: "invoice", "certificate of origin CT-1", "phytosanitary
    /// certificate".
    pub kind: String,
    pub number: String,
    pub issued_on: Option<Date>,
}

/// One agency's decision on an application.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SwDecision {
    /// The [`SwApplication::reference`] decided on.
    pub application_reference: String,
    pub agency: Agency,
    pub outcome: Outcome,
    /// Why; at least one unless the outcome is approval.
    pub reasons: Vec<String>,
    pub decided_on: Date,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Approved,
    Rejected,
    MoreInfoNeeded,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Approved => "approved",
            Outcome::Rejected => "rejected",
            Outcome::MoreInfoNeeded => "more-info-needed",
        }
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Enough for any real application; bounds what one can make a node hold.
const MAX_DOCUMENTS: usize = 99;
const MAX_AGENCIES: usize = 20;
const MAX_REASONS: usize = 50;

impl Check for SwApplication {
    fn check(&self, c: &mut Checker) {
        c.text("reference", &self.reference, Text::Id);
        c.part("applicant", &self.applicant);
        c.parts("goods", &self.goods, Limit::one_to(MAX_GOODS_ITEMS));
        c.list(
            "documents",
            &self.documents,
            Limit::up_to(MAX_DOCUMENTS),
            |c, d| {
                c.text("kind", &d.kind, Text::Line);
                c.text("number", &d.number, Text::Id);
            },
        );
        c.parts("agencies", &self.agencies, Limit::one_to(MAX_AGENCIES));
        c.no_repeats("agencies", &self.agencies, None, Clone::clone);
    }
}

impl Check for SwDecision {
    fn check(&self, c: &mut Checker) {
        c.text(
            "application_reference",
            &self.application_reference,
            Text::Id,
        );
        c.part("agency", &self.agency);
        c.list(
            "reasons",
            &self.reasons,
            Limit::up_to(MAX_REASONS),
            |c, r| c.check_text(r, Text::Paragraph),
        );
        if self.reasons.is_empty() && self.outcome != Outcome::Approved {
            c.report_at(
                "reasons",
                format!(
                    "must give at least one reason when the outcome is {}",
                    self.outcome
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PackageType;
    use crate::documents::examples::{example_sw_application, example_sw_decision};
    use crate::documents::validate::problem_lines;

    fn application(change: impl FnOnce(&mut SwApplication)) -> Vec<String> {
        let mut a = example_sw_application();
        change(&mut a);
        problem_lines(a)
    }

    fn decision(change: impl FnOnce(&mut SwDecision)) -> Vec<String> {
        let mut d = example_sw_decision();
        change(&mut d);
        problem_lines(d)
    }

    #[test]
    fn the_examples_are_valid() {
        assert_eq!(application(|_| {}), Vec::<String>::new());
        assert_eq!(decision(|_| {}), Vec::<String>::new());
    }

    #[test]
    fn an_application_names_goods_agencies_and_documents() {
        assert_eq!(
            application(|a| {
                a.goods.clear();
                a.agencies.clear();
                a.documents[1].number.clear();
            }),
            [
                "goods: must have at least one entry",
                "documents[1].number: must not be empty",
                "agencies: must have at least one entry",
            ]
        );
        assert_eq!(
            application(|a| a.agencies.push(a.agencies[1].clone())),
            ["agencies[3]: repeats agencies[1]"]
        );
    }

    #[test]
    fn goods_without_packages_must_be_in_bulk() {
        assert_eq!(
            application(|a| a.goods[0].packages.count = 0),
            [
                "goods[0].packages.count: must be at least 1 unless the goods are in bulk or \
              unpacked (VG, VL, VO, VQ, VR, VS, VY, NE)"
            ]
        );
        assert_eq!(
            application(|a| {
                a.goods[0].packages.count = 0;
                a.goods[0].packages.kind = PackageType::parse("VR").expect("grains");
            }),
            Vec::<String>::new()
        );
    }

    #[test]
    fn refusals_give_reasons() {
        for outcome in [Outcome::Rejected, Outcome::MoreInfoNeeded] {
            assert_eq!(
                decision(|d| {
                    d.outcome = outcome;
                    d.reasons.clear();
                }),
                [format!(
                    "reasons: must give at least one reason when the outcome is {outcome}"
                )]
            );
        }
        assert_eq!(decision(|d| d.reasons.clear()), Vec::<String>::new());
        assert_eq!(
            decision(|d| d.reasons.push(String::new())),
            ["reasons[1]: must not be empty"]
        );
    }

    #[test]
    fn json_round_trip() {
        let a = example_sw_application();
        let json = serde_json::to_string(&a).expect("ser");
        assert!(json.contains(r#""procedure":"import""#));
        assert_eq!(serde_json::from_str::<SwApplication>(&json).expect("de"), a);
        let mut d = example_sw_decision();
        d.outcome = Outcome::MoreInfoNeeded;
        let json = serde_json::to_string(&d).expect("ser");
        assert!(json.contains(r#""outcome":"more-info-needed""#));
        assert_eq!(serde_json::from_str::<SwDecision>(&json).expect("de"), d);
    }
}
