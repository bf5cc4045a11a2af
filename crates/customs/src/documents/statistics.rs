//! Trade statistics for mirror comparison: what one country recorded as traded with a
//! partner in a month, by HS chapter or heading, to be set against the partner's record of
//! the opposite flow.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::amount::Amount;
use super::dates::YearMonth;
use super::quantity::Quantity;
use super::validate::{Check, Checker};
use crate::{CountryCode, InvalidCode, codelist};

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TradeStatistics {
    pub reporter: CountryCode,
    pub partner: CountryCode,
    pub flow: Flow,
    pub hs: HsChapterOrHeading,
    pub period: YearMonth,
    pub value: Amount,
    /// In the unit the partner's figures use for the heading; absent for a chapter whose
    /// goods have no common unit.
    pub quantity: Option<Quantity>,
}

/// The direction as the reporter sees it; the mirror of A's exports to B are B's imports
/// from A.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Flow {
    Import,
    Export,
}

impl Flow {
    /// The flow the partner records for the same goods.
    pub fn mirror(self) -> Flow {
        match self {
            Flow::Import => Flow::Export,
            Flow::Export => Flow::Import,
        }
    }
}

/// An HS 2022 chapter (`11`) or heading (`1101`): the levels statistics are compared at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HsChapterOrHeading(&'static str);

impl HsChapterOrHeading {
    pub fn parse(s: &str) -> Result<Self, InvalidCode> {
        let level = match s.len() {
            2 => "chapter",
            4 => "heading",
            _ => "",
        };
        match codelist::hs().get(s) {
            Some(e) if e.extra == level => Ok(HsChapterOrHeading(e.code)),
            _ => Err(InvalidCode {
                value: s.to_owned(),
                list: "an HS 2022 chapter or heading",
            }),
        }
    }

    pub fn as_str(&self) -> &'static str {
        self.0
    }

    /// The chapter: itself, or the first two digits of a heading.
    pub fn chapter(&self) -> &'static str {
        &self.0[..2]
    }

    pub fn is_heading(&self) -> bool {
        self.0.len() == 4
    }
}

impl std::fmt::Display for HsChapterOrHeading {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl std::str::FromStr for HsChapterOrHeading {
    type Err = InvalidCode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        HsChapterOrHeading::parse(s)
    }
}

impl Serialize for HsChapterOrHeading {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

impl<'de> Deserialize<'de> for HsChapterOrHeading {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        HsChapterOrHeading::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl Check for TradeStatistics {
    fn check(&self, c: &mut Checker) {
        if self.partner == self.reporter {
            c.report_at(
                "partner",
                format!("{} is the reporter itself", self.partner),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::examples::example_trade_statistics;
    use crate::documents::validate::problem_lines;

    #[test]
    fn the_example_is_valid_and_a_country_has_no_trade_with_itself() {
        let mut stats = example_trade_statistics();
        assert_eq!(problem_lines(stats.clone()), Vec::<String>::new());
        stats.partner = stats.reporter;
        assert_eq!(problem_lines(stats), ["partner: KZ is the reporter itself"]);
    }

    #[test]
    fn only_chapters_and_headings_of_hs_2022() {
        for good in ["11", "1101", "85", "8524", "8806"] {
            let hs = HsChapterOrHeading::parse(good).expect(good);
            assert_eq!(hs.as_str(), good);
        }
        assert_eq!(
            HsChapterOrHeading::parse("1101").map(|h| h.chapter()),
            Ok("11")
        );
        for bad in ["110100", "77", "99", "1", "I", "9999", "110", "", "11.01"] {
            let err = HsChapterOrHeading::parse(bad).expect_err(bad);
            assert_eq!(
                err.to_string(),
                format!("{bad:?} is not an HS 2022 chapter or heading")
            );
        }
    }

    #[test]
    fn json_round_trip_and_the_mirror_flow() {
        let stats = example_trade_statistics();
        let json = serde_json::to_string(&stats).expect("ser");
        assert!(json.contains(r#""hs":"1101""#) && json.contains(r#""period":"2025-02""#));
        assert_eq!(
            serde_json::from_str::<TradeStatistics>(&json).expect("de"),
            stats
        );
        assert_eq!(stats.flow.mirror(), Flow::Import);
        let problem = crate::documents::decode::<TradeStatistics, _>(
            &mut serde_json::Deserializer::from_str(&json.replace("\"1101\"", "\"110100\"")),
        )
        .expect_err("a subheading");
        assert_eq!(problem.path, "hs");
    }
}
