//! The single invoice: one commercial invoice structure for all members. Unlike the EN 16931
//! core profiles it names the manufacturer and carries origin, Incoterms and an HS code per
//! line, which customs needs.

use serde::{Deserialize, Serialize};

use super::amount::check_minor_units;
use super::dates::Date;
use super::decimal::{Decimal, Exact};
use super::party::Party;
use super::quantity::{Kilograms, Packages, Quantity};
use super::validate::{Check, Checker, Limit, Text, sum};
use crate::{CountryCode, CurrencyCode, HsCode, Incoterm, TransportMode};

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SingleInvoice {
    /// The seller's invoice number.
    pub number: String,
    pub issue_date: Date,
    pub seller: Party,
    pub buyer: Party,
    pub manufacturer: Party,
    pub country_of_origin: CountryCode,
    pub incoterms: IncotermsTerm,
    /// How the goods travel, where the invoice says; sea-only Incoterms rules are checked
    /// against it.
    pub transport_mode: Option<TransportMode>,
    /// The currency of every price and value on the invoice.
    pub currency: CurrencyCode,
    pub lines: Vec<InvoiceLine>,
    pub totals: InvoiceTotals,
}

/// An Incoterms 2020 rule with its named place: `DAP Tashkent`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct IncotermsTerm {
    pub rule: Incoterm,
    pub place: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct InvoiceLine {
    pub hs_code: HsCode,
    pub description: String,
    pub quantity: Quantity,
    /// The price of one unit of `quantity`, in the invoice currency; may have more decimals
    /// than the currency (a screw at 0.0125 USD).
    pub unit_price: Decimal,
    /// Quantity × unit price, rounded to the currency's decimals.
    pub value: Decimal,
    pub net_weight_kg: Kilograms,
    pub gross_weight_kg: Kilograms,
    pub packages: Packages,
}

/// The sums over the lines, stated so the receiver can tell a lost or altered line.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct InvoiceTotals {
    pub value: Decimal,
    pub net_weight_kg: Kilograms,
    pub gross_weight_kg: Kilograms,
    pub packages: u64,
}

/// At most this many lines: EDIFACT INVOIC numbers lines in four digits in practice, and
/// a bigger invoice is split.
const MAX_LINES: usize = 9_999;

/// Transport modes under which a sea-only rule is wrong: all known modes but maritime (1)
/// and inland water (8). Unspecified (0) and not applicable (9) say nothing.
fn excludes_sea_rules(mode: TransportMode) -> bool {
    !matches!(mode.as_str(), "0" | "1" | "8" | "9")
}

impl Check for SingleInvoice {
    fn check(&self, c: &mut Checker) {
        c.text("number", &self.number, Text::Id);
        c.part("seller", &self.seller);
        c.part("buyer", &self.buyer);
        c.part("manufacturer", &self.manufacturer);
        c.at("incoterms", |c| {
            if let Some(mode) = self.transport_mode
                && self.incoterms.rule.sea_only()
                && excludes_sea_rules(mode)
            {
                c.report_at(
                    "rule",
                    format!(
                        "{} is for sea and inland waterway transport only, but the transport \
                         mode is {} ({})",
                        self.incoterms.rule,
                        mode,
                        mode.entry().en
                    ),
                );
            }
            c.text("place", &self.incoterms.place, Text::Line);
        });
        c.list("lines", &self.lines, Limit::one_to(MAX_LINES), |c, line| {
            line.check_in(self.currency, c)
        });
        self.check_totals(c);
    }
}

impl InvoiceLine {
    fn check_in(&self, currency: CurrencyCode, c: &mut Checker) {
        c.text("description", &self.description, Text::Paragraph);
        c.quantity("quantity", &self.quantity);
        c.at("value", |c| {
            if let Err(e) = check_minor_units(&self.value, currency) {
                c.report(e.to_string());
            }
            let Some(product) =
                Exact::of(&self.quantity.value).checked_mul(Exact::of(&self.unit_price))
            else {
                return c.report("quantity × unit price is too large to check");
            };
            let expected = match currency.minor_units() {
                Some(digits) => product.rounded(u32::from(digits)),
                None => product,
            };
            if Exact::of(&self.value) != expected {
                let rounding = if expected.to_string() == product.to_string() {
                    String::new()
                } else {
                    format!(", which rounds to {expected}")
                };
                c.report(format!(
                    "{} is not quantity × unit price ({} × {} = {product}{rounding})",
                    self.value, self.quantity.value, self.unit_price
                ));
            }
        });
        c.net_within_gross(&self.net_weight_kg, &self.gross_weight_kg);
        c.packages("packages", &self.packages);
    }
}

impl SingleInvoice {
    fn check_totals(&self, c: &mut Checker) {
        let totals = &self.totals;
        let of_lines =
            |f: fn(&InvoiceLine) -> &Decimal| sum(self.lines.iter().map(|l| Exact::of(f(l))));
        c.at("totals", |c| {
            if let Err(e) = check_minor_units(&totals.value, self.currency) {
                c.report_at("value", e.to_string());
            }
            c.total(
                "value",
                Exact::of(&totals.value),
                of_lines(|l| &l.value),
                "the line values",
            );
            c.total(
                "net_weight_kg",
                Exact::of(&totals.net_weight_kg.0),
                of_lines(|l| &l.net_weight_kg.0),
                "the lines' net weights",
            );
            c.total(
                "gross_weight_kg",
                Exact::of(&totals.gross_weight_kg.0),
                of_lines(|l| &l.gross_weight_kg.0),
                "the lines' gross weights",
            );
            c.total(
                "packages",
                Exact::from_integer(totals.packages),
                sum(self
                    .lines
                    .iter()
                    .map(|l| Exact::from_integer(u64::from(l.packages.count)))),
                "the lines' packages",
            );
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::examples::example_single_invoice;
    use crate::documents::validate::problem_lines;

    /// The problems of the example after `change`.
    fn problems(change: impl FnOnce(&mut SingleInvoice)) -> Vec<String> {
        let mut invoice = example_single_invoice();
        change(&mut invoice);
        problem_lines(invoice)
    }

    fn dec(s: &str) -> Decimal {
        Decimal::parse(s).expect(s)
    }

    #[test]
    fn the_example_is_valid() {
        assert_eq!(problems(|_| {}), Vec::<String>::new());
    }

    #[test]
    fn a_line_value_must_be_quantity_times_unit_price() {
        assert_eq!(
            problems(|i| i.lines[1].value = dec("3700.00")),
            [
                "lines[1].value: 3700.00 is not quantity × unit price (4000 × 0.95 = 3800.00)",
                "totals.value: 11990.00 is not the sum of the line values, 11890.00",
            ]
        );
    }

    #[test]
    fn a_line_value_is_the_product_rounded_to_the_currency() {
        let third = |value: &str| {
            let value = dec(value);
            move |i: &mut SingleInvoice| {
                i.lines.truncate(1);
                let line = &mut i.lines[0];
                line.quantity.value = dec("3");
                line.unit_price = dec("0.3333");
                line.value = value.clone();
                i.totals = InvoiceTotals {
                    value,
                    net_weight_kg: line.net_weight_kg.clone(),
                    gross_weight_kg: line.gross_weight_kg.clone(),
                    packages: u64::from(line.packages.count),
                };
            }
        };
        assert_eq!(problems(third("1.00")), Vec::<String>::new());
        assert_eq!(
            problems(third("0.99")),
            [
                "lines[0].value: 0.99 is not quantity × unit price (3 × 0.3333 = 0.9999, which \
              rounds to 1.00)"
            ]
        );
        assert_eq!(
            problems(third("0.9999")),
            [
                "lines[0].value: 0.9999 has too many decimals for USD, which allows 2",
                "lines[0].value: 0.9999 is not quantity × unit price (3 × 0.3333 = 0.9999, \
                 which rounds to 1.00)",
                "totals.value: 0.9999 has too many decimals for USD, which allows 2",
            ]
        );
    }

    #[test]
    fn totals_are_the_sums_of_the_lines() {
        assert_eq!(
            problems(|i| {
                i.totals.value = dec("11990.000");
                i.totals.net_weight_kg = Kilograms(dec("18760.0"));
                i.totals.gross_weight_kg = Kilograms(dec("19000"));
                i.totals.packages = 941;
            }),
            [
                "totals.value: 11990.000 has too many decimals for USD, which allows 2",
                "totals.gross_weight_kg: 19000 is not the sum of the lines' gross weights, 19240",
                "totals.packages: 941 is not the sum of the lines' packages, 940",
            ],
            "18760.0 kg equals 18760 kg"
        );
    }

    #[test]
    fn net_weight_cannot_exceed_gross() {
        assert_eq!(
            problems(|i| i.lines[0].net_weight_kg = Kilograms(dec("12100"))),
            [
                "lines[0].net_weight_kg: 12100 kg is more than the gross weight, 12060 kg",
                "totals.net_weight_kg: 18760 is not the sum of the lines' net weights, 18860",
            ]
        );
    }

    #[test]
    fn an_invoice_needs_lines() {
        assert_eq!(
            problems(|i| {
                i.lines.clear();
                i.totals = InvoiceTotals {
                    value: dec("0.00"),
                    net_weight_kg: Kilograms(dec("0")),
                    gross_weight_kg: Kilograms(dec("0")),
                    packages: 0,
                };
            }),
            ["lines: must have at least one entry"]
        );
    }

    #[test]
    fn sea_only_rules_need_a_sea_or_waterway_mode_where_one_is_known() {
        let with = |rule: &str, mode: Option<&str>| {
            let rule = Incoterm::parse(rule).expect(rule);
            let mode = mode.map(|m| TransportMode::parse(m).expect(m));
            problems(move |i| {
                i.incoterms.rule = rule;
                i.transport_mode = mode;
            })
        };
        assert_eq!(
            with("FOB", Some("3")),
            [
                "incoterms.rule: FOB is for sea and inland waterway transport only, but the \
              transport mode is 3 (Road transport)"
            ]
        );
        assert_eq!(with("CIF", Some("4")).len(), 1, "air");
        for fine in [
            with("FOB", Some("1")),
            with("CIF", Some("8")),
            with("FOB", None),
            with("FAS", Some("0")),
            with("DAP", Some("3")),
        ] {
            assert_eq!(fine, Vec::<String>::new());
        }
    }

    #[test]
    fn text_fields_are_required_and_bounded() {
        assert_eq!(
            problems(|i| {
                i.number = "ADM-2025/0314-ADDITIONAL-SHIPMENT-01".to_owned();
                i.seller.name = "  ".to_owned();
                i.buyer.address.clear();
                i.manufacturer.tax_id = Some(String::new());
                i.incoterms.place = "Tashkent\nSergeli".to_owned();
                i.lines[2].description = "oil ".repeat(251);
            }),
            [
                "number: is 36 characters long; at most 35 are allowed",
                "seller.name: must not be empty",
                "buyer.address: must have at least one entry",
                "manufacturer.tax_id: must not be empty",
                "incoterms.place: must be one line without control characters",
                "lines[2].description: is 1004 characters long; at most 1000 are allowed",
            ]
        );
    }

    #[test]
    fn packages_and_quantities() {
        assert_eq!(
            problems(|i| {
                i.lines[0].packages.count = 0;
                i.totals.packages = 700;
            }),
            [
                "lines[0].packages.count: must be at least 1 unless the goods are in bulk or \
              unpacked (VG, VL, VO, VQ, VR, VS, VY, NE)"
            ]
        );
        assert_eq!(
            problems(|i| {
                i.lines[0].packages = Packages {
                    count: 0,
                    kind: crate::PackageType::parse("VY").expect("powders"),
                };
                i.totals.packages = 700;
            }),
            Vec::<String>::new(),
            "flour in bulk has no packages"
        );
        assert_eq!(
            problems(|i| {
                i.lines[0].quantity.value = dec("0");
                i.lines[0].unit_price = dec("0");
                i.lines[0].value = dec("0.00");
                i.totals.value = dec("8150.00");
            }),
            ["lines[0].quantity.value: must be more than zero"]
        );
    }

    #[test]
    fn json_round_trip() {
        let invoice = example_single_invoice();
        let json = serde_json::to_string_pretty(&invoice).expect("ser");
        assert!(
            json.contains(r#""unit_price": "0.32""#),
            "decimals are strings: {json}"
        );
        let back: SingleInvoice = serde_json::from_str(&json).expect("de");
        assert_eq!(back, invoice);
    }
}
