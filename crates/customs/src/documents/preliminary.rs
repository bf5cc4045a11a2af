//! Preliminary (advance) information: what a consignment carries and how it travels, sent
//! before it reaches the border so the checkpoint has it on arrival, finds the vehicle by
//! plate or container and matches the arrival to it.

use serde::{Deserialize, Serialize};

use super::container::ContainerNumber;
use super::correlation::CorrelationId;
use super::dates::DateTime;
use super::goods::GoodsItem;
use super::party::{Party, Place};
use super::validate::{Check, Checker, Limit, Text};
use super::vehicle::Plate;
use crate::TransportMode;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PreliminaryInformation {
    /// The declarant's own reference for this notice.
    pub reference: String,
    /// Follows the consignment across countries: the arrival, the risk hits and the letters
    /// about it carry the same id.
    pub correlation_id: CorrelationId,
    pub declarant: Party,
    pub consignor: Party,
    pub consignee: Party,
    pub carrier: Party,
    pub transport_mode: TransportMode,
    /// The motor vehicle or tractor; required for road transport.
    pub vehicle: Option<Plate>,
    /// Trailers and semi-trailers, in order from the tractor.
    pub trailers: Vec<Plate>,
    pub containers: Vec<ContainerNumber>,
    /// Where the consignment will cross into the receiving country.
    pub border_crossing: BorderCrossing,
    pub departure: Place,
    pub destination: Place,
    pub expected_arrival: DateTime,
    pub goods: Vec<GoodsItem>,
    pub references: References,
}

/// A border crossing point: its code in the receiving country's customs office list and its
/// name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BorderCrossing {
    pub code: String,
    pub name: String,
}

/// The documents the consignment travels under.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct References {
    /// The commercial (single) invoice number.
    pub invoice_number: Option<String>,
    /// The transit declaration number or TIR carnet number.
    pub transit_number: Option<String>,
}

/// A declaration has at most 999 goods items, as CUSDEC and the EU's customs systems allow.
pub(super) const MAX_GOODS_ITEMS: usize = 999;

/// A road train pulls at most two trailers; three leaves room for an unusual combination.
const MAX_TRAILERS: usize = 3;

/// Rec 19 road transport.
const ROAD: &str = "3";

impl Check for PreliminaryInformation {
    fn check(&self, c: &mut Checker) {
        c.text("reference", &self.reference, Text::Id);
        c.part("declarant", &self.declarant);
        c.part("consignor", &self.consignor);
        c.part("consignee", &self.consignee);
        c.part("carrier", &self.carrier);
        match &self.vehicle {
            Some(vehicle) => c.part("vehicle", vehicle),
            None if self.transport_mode.as_str() == ROAD => {
                c.report_at("vehicle", "is required for road transport")
            }
            None => {}
        }
        c.parts("trailers", &self.trailers, Limit::up_to(MAX_TRAILERS));
        c.no_repeats("trailers", &self.trailers, None, |p| {
            (p.country, p.search_key())
        });
        c.no_repeats("containers", &self.containers, None, |n| *n);
        c.at("border_crossing", |c| {
            c.text("code", &self.border_crossing.code, Text::Id);
            c.text("name", &self.border_crossing.name, Text::Line);
        });
        c.part("departure", &self.departure);
        c.part("destination", &self.destination);
        c.parts("goods", &self.goods, Limit::one_to(MAX_GOODS_ITEMS));
        c.at("references", |c| {
            let r = &self.references;
            c.optional_text("invoice_number", r.invoice_number.as_deref(), Text::Id);
            c.optional_text("transit_number", r.transit_number.as_deref(), Text::Id);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::examples::example_preliminary_information;
    use crate::documents::validate::problem_lines;
    use crate::documents::{Decimal, Document, Kilograms, decode};

    fn problems(change: impl FnOnce(&mut PreliminaryInformation)) -> Vec<String> {
        let mut info = example_preliminary_information();
        change(&mut info);
        problem_lines(info)
    }

    fn mode(code: &str) -> TransportMode {
        TransportMode::parse(code).expect(code)
    }

    #[test]
    fn the_kazakh_truck_to_uzbekistan_is_valid() {
        let info = example_preliminary_information();
        assert_eq!(
            (
                info.departure.country.as_str(),
                info.destination.country.as_str()
            ),
            ("KZ", "UZ")
        );
        assert_eq!(problems(|_| {}), Vec::<String>::new());
    }

    #[test]
    fn road_transport_needs_the_vehicle() {
        assert_eq!(
            problems(|i| i.vehicle = None),
            ["vehicle: is required for road transport"]
        );
        assert_eq!(
            problems(|i| {
                i.vehicle = None;
                i.trailers.clear();
                i.transport_mode = mode("2");
            }),
            Vec::<String>::new(),
            "a train has no plates"
        );
        assert_eq!(
            problems(|i| {
                if let Some(v) = &mut i.vehicle {
                    v.number = "123/ABZ 02".to_owned();
                }
                i.trailers.push(Plate {
                    number: "45-aka-02".to_owned(),
                    country: i.trailers[0].country,
                });
            }),
            [
                "vehicle.number: may hold only letters, digits, spaces and hyphens",
                "trailers[1]: repeats trailers[0]",
            ]
        );
    }

    #[test]
    fn containers_are_listed_once() {
        assert_eq!(
            problems(|i| i.containers.push(i.containers[0])),
            ["containers[1]: repeats containers[0]"]
        );
    }

    #[test]
    fn goods_items_are_required_bounded_and_weighed_consistently() {
        assert_eq!(
            problems(|i| i.goods.clear()),
            ["goods: must have at least one entry"]
        );
        assert_eq!(
            problems(|i| {
                let item = i.goods[0].clone();
                i.goods = vec![item; 1000];
            }),
            ["goods: has 1000 entries; at most 999 are allowed"]
        );
        assert_eq!(
            problems(|i| {
                i.goods[2].net_weight_kg = Kilograms(Decimal::parse("3000.5").expect("decimal"));
                i.goods[1].description.clear();
            }),
            [
                "goods[1].description: must not be empty",
                "goods[2].net_weight_kg: 3000.5 kg is more than the gross weight, 3000 kg",
            ]
        );
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        assert_eq!(
            problems(|i| {
                i.reference.clear();
                i.consignee.city.clear();
                i.border_crossing.name = "x".repeat(141);
                i.references.transit_number = Some(" ".to_owned());
            }),
            [
                "reference: must not be empty",
                "consignee.city: must not be empty",
                "border_crossing.name: is 141 characters long; at most 140 are allowed",
                "references.transit_number: must not be empty",
            ]
        );
    }

    #[test]
    fn json_round_trip() {
        let info = example_preliminary_information();
        let json = serde_json::to_string(&info).expect("ser");
        let back: PreliminaryInformation = serde_json::from_str(&json).expect("de");
        assert_eq!(back, info);
    }

    /// The example as JSON with one string replaced.
    fn json_with(from: &str, to: &str) -> String {
        let json = serde_json::to_string(&example_preliminary_information()).expect("ser");
        assert!(json.contains(from), "{from} is in the example");
        json.replacen(from, to, 1)
    }

    fn decode_json<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, (String, String)> {
        decode(&mut serde_json::Deserializer::from_str(json)).map_err(|p| (p.path, p.reason))
    }

    #[test]
    fn decoding_names_the_failing_field() {
        let json = json_with("\"190219\"", "\"847199\"");
        let (path, reason) =
            decode_json::<PreliminaryInformation>(&json).expect_err("847199 is not in HS 2022");
        assert_eq!(path, "goods[1].hs_code");
        assert!(
            reason.starts_with("\"847199\" is not an HS 2022 subheading"),
            "{reason}"
        );

        let (path, reason) =
            decode_json::<PreliminaryInformation>(&json_with("CSQU3054383", "CSQU3054384"))
                .expect_err("bad check digit");
        assert_eq!(path, "containers[0]");
        assert!(reason.starts_with("\"CSQU3054384\" has check digit 4; ISO 6346 gives 3"));

        let (path, _) = decode_json::<PreliminaryInformation>(&json_with(
            "\"2025-03-14T06:30:00Z\"",
            "\"2025-03-14 06:30\"",
        ))
        .expect_err("not ISO 8601 UTC");
        assert_eq!(path, "expected_arrival");

        let (path, reason) = decode_json::<PreliminaryInformation>(&json_with(
            r#""value":"3840.00""#,
            r#""value":"3840.001""#,
        ))
        .expect_err("a tenth of a cent");
        assert_eq!(path, "goods[0].value");
        assert!(
            reason.starts_with("3840.001 has too many decimals for USD"),
            "{reason}"
        );

        let (path, _) = decode_json::<PreliminaryInformation>(&json_with(
            r#""country":"UZ""#,
            r#""country":"uz""#,
        ))
        .expect_err("lower case");
        assert_eq!(path, "consignee.country");
    }

    #[test]
    fn decoding_a_document_prefixes_its_type() {
        let doc = Document::PreliminaryInformation(example_preliminary_information());
        let json = serde_json::to_string(&doc)
            .expect("ser")
            .replacen("\"151219\"", "\"1512\"", 1);
        let (path, _) = decode_json::<Document>(&json).expect_err("a heading, not a subheading");
        assert_eq!(path, "preliminary-information.goods[2].hs_code");
        let (path, reason) =
            decode_json::<Document>("{\"invoice\": {}}").expect_err("no such type");
        assert_eq!(path, "");
        assert!(reason.starts_with("unknown variant `invoice`"), "{reason}");
    }
}
