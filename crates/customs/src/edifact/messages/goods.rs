//! A goods item, as the cargo report (`GID` group) and the declaration (`CST` group) both
//! carry it, and the weights an invoice line carries the same way.
//!
//! | Field | Segment |
//! |---|---|
//! | `description` | `FTX+AAA+++…` (goods description), as many as it takes |
//! | `gross_weight_kg` | `MEA+WT+AAB+KGM:12060` (weights; unit gross weight) |
//! | `net_weight_kg` | `MEA+WT+AAA+KGM:12000` (weights; unit net weight) |
//! | `quantity` | `MEA+AAE++LTR:3000` (measurement, in its Rec 20 unit) |
//! | `value` | `MOA+38:3840.00:USD` (invoice item amount, with its currency) |
//! | `hs_code` | `CST+1+110100` (C246, the customs identity code) |
//! | `packages` | `GID+1+240:BG` in a cargo report, `PAC+240++BG` in a declaration |

use crate::documents::{Amount, GoodsItem, Kilograms, Packages, Quantity};
use crate::edifact::Segment;
use crate::{HsCode, PackageType, UnitCode};

use super::error::{At, MappingError};
use super::read::{Fields, Result, Slot};
use super::text::{Joined, Shape, read_ftx};
use super::write::{composite, empty, segment, simple};
use super::{CST, GID, MEA, MOA, PAC};

/// UNCL 4451 goods description.
pub(super) const GOODS_DESCRIPTION: &str = "AAA";
/// UNCL 6311 weights.
const WEIGHTS: &str = "WT";
/// UNCL 6311 measurement: the quantity in its own unit.
const MEASUREMENT: &str = "AAE";
/// UNCL 6313 unit gross weight: the weight with packing, as customs weighs goods.
const GROSS: &str = "AAB";
/// UNCL 6313 unit net weight.
const NET: &str = "AAA";
/// Rec 20 kilogram, the one unit of every weight.
const KILOGRAM: &str = "KGM";
/// UNCL 5025 invoice item amount.
const ITEM_AMOUNT: &str = "38";

/// `MEA+WT+AAB+KGM:12060` and `MEA+WT+AAA+KGM:12000`.
pub(super) fn weights(gross: &Kilograms, net: &Kilograms) -> [Segment; 2] {
    let weight = |code: &str, kg: &Kilograms| {
        segment(
            MEA,
            vec![
                simple(WEIGHTS),
                simple(code),
                composite(&[KILOGRAM, kg.0.as_str()]),
            ],
        )
    };
    [weight(GROSS, gross), weight(NET, net)]
}

/// The item's description, weights, quantity and value, in the order of both groups.
pub(super) fn body(item: &GoodsItem) -> Vec<Segment> {
    let mut segments = super::text::ftx(GOODS_DESCRIPTION, &item.description);
    segments.extend(weights(&item.gross_weight_kg, &item.net_weight_kg));
    segments.push(segment(
        MEA,
        vec![
            simple(MEASUREMENT),
            empty(),
            composite(&[item.quantity.unit.as_str(), item.quantity.value.as_str()]),
        ],
    ));
    segments
}

/// `MOA+38:3840.00:USD`.
pub(super) fn value(item: &GoodsItem) -> Segment {
    segment(
        MOA,
        vec![composite(&[
            ITEM_AMOUNT,
            item.value.value().as_str(),
            item.value.currency().as_str(),
        ])],
    )
}

/// `CST+1+110100`.
pub(super) fn cst(number: usize, item: &GoodsItem) -> Segment {
    segment(
        CST,
        vec![simple(&number.to_string()), simple(item.hs_code.as_str())],
    )
}

/// `GID+1+240:BG`.
pub(super) fn gid(number: usize, packages: &Packages) -> Segment {
    segment(
        GID,
        vec![
            simple(&number.to_string()),
            composite(&[packages.count.to_string().as_str(), packages.kind.as_str()]),
        ],
    )
}

/// `PAC+240++BG`.
pub(super) fn pac(packages: &Packages) -> Segment {
    segment(
        PAC,
        vec![
            simple(&packages.count.to_string()),
            empty(),
            simple(packages.kind.as_str()),
        ],
    )
}

/// Which weight a `MEA+WT` gives.
pub(super) enum Weight {
    Gross,
    Net,
}

/// The weight of a `MEA` whose measurement application (6311) the caller has read as
/// `WT`.
pub(super) fn read_weight(fields: &mut Fields<'_>) -> Result<(Weight, Kilograms)> {
    let code = fields.qualifier(
        2,
        1,
        &[GROSS, NET],
        "AAB (unit gross weight) and AAA (unit net weight)",
    )?;
    let weight = if code == GROSS {
        Weight::Gross
    } else {
        Weight::Net
    };
    Ok((weight, read_kilograms(fields, 3, 1, 2)?))
}

/// Reads the 6311 of a `MEA` in an invoice line, where only weights are given.
pub(super) fn weights_only(fields: &mut Fields<'_>) -> Result<()> {
    fields.qualifier(1, 1, &[WEIGHTS], "WT (weights)")?;
    Ok(())
}

/// A weight in kilograms: the unit and the value at the given components of `element`
/// (`MEA` C174 is unit then value; `CNT` C270 is qualifier, value, unit).
pub(super) fn read_kilograms(
    fields: &mut Fields<'_>,
    element: usize,
    unit_at: usize,
    value_at: usize,
) -> Result<Kilograms> {
    let unit = fields.require(element, unit_at, "the unit (6411)")?;
    if unit != KILOGRAM {
        return Err(MappingError::InvalidValue {
            at: fields.value_at(element, unit_at),
            found: unit.to_owned(),
            expected: "KGM, the unit of every weight",
        });
    }
    fields
        .decimal(element, value_at, "the weight")
        .map(Kilograms)
}

/// Reads one goods item, segment by segment, from the segment that opens it.
#[derive(Debug)]
pub(super) struct GoodsReader {
    start: At,
    hs_code: Slot<HsCode>,
    description: Joined,
    quantity: Slot<Quantity>,
    gross: Slot<Kilograms>,
    net: Slot<Kilograms>,
    value: Slot<Amount>,
    packages: Slot<Packages>,
}

impl GoodsReader {
    /// A goods item opened by the segment at `start` (its `GID` or `CST`).
    pub(super) fn new(start: At) -> Self {
        Self {
            start,
            hs_code: Slot::new("the goods item's HS code (CST)"),
            description: Joined::new(Shape::FTX),
            quantity: Slot::new("the goods item's quantity (MEA+AAE)"),
            gross: Slot::new("the goods item's gross weight (MEA+WT+AAB)"),
            net: Slot::new("the goods item's net weight (MEA+WT+AAA)"),
            value: Slot::new("the goods item's value (MOA+38)"),
            packages: Slot::new("the goods item's packages"),
        }
    }

    /// The HS code from C246 of a `CST`.
    pub(super) fn cst(&mut self, fields: &mut Fields<'_>) -> Result<()> {
        fields.get(1, 1);
        let hs = fields.parse_required(2, 1, "the HS code (7361)", HsCode::parse)?;
        self.hs_code.set(fields.at(), hs)
    }

    /// The packages from the first C213 of a `GID`.
    pub(super) fn gid(&mut self, fields: &mut Fields<'_>) -> Result<()> {
        fields.get(1, 1);
        let packages = Packages {
            count: fields.count(2, 1, "the number of packages (7224)")?,
            kind: fields.parse_required(2, 2, "the package type (7065)", PackageType::parse)?,
        };
        self.packages.set(fields.at(), packages)
    }

    /// The packages of a `PAC`.
    pub(super) fn pac(&mut self, fields: &mut Fields<'_>) -> Result<()> {
        let packages = read_pac(fields)?;
        self.packages.set(fields.at(), packages)
    }

    pub(super) fn ftx(&mut self, fields: &mut Fields<'_>) -> Result<()> {
        fields.qualifier(1, 1, &[GOODS_DESCRIPTION], "AAA (goods description)")?;
        read_ftx(fields, &mut self.description);
        Ok(())
    }

    pub(super) fn mea(&mut self, fields: &mut Fields<'_>) -> Result<()> {
        let at = fields.at();
        let application = fields.qualifier(
            1,
            1,
            &[WEIGHTS, MEASUREMENT],
            "WT (weights) and AAE (measurement)",
        )?;
        if application == MEASUREMENT {
            let quantity = Quantity {
                unit: fields.parse_required(3, 1, "the unit (6411)", UnitCode::parse)?,
                value: fields.decimal(3, 2, "the quantity (6314)")?,
            };
            return self.quantity.set(at, quantity);
        }
        match read_weight(fields)? {
            (Weight::Gross, kg) => self.gross.set(at, kg),
            (Weight::Net, kg) => self.net.set(at, kg),
        }
    }

    pub(super) fn moa(&mut self, fields: &mut Fields<'_>) -> Result<()> {
        fields.qualifier(1, 1, &[ITEM_AMOUNT], "38 (invoice item amount)")?;
        let amount = fields.decimal(1, 2, "the amount (5004)")?;
        let currency =
            fields.parse_required(1, 3, "the currency (6345)", crate::CurrencyCode::parse)?;
        let value = Amount::new(amount, currency).map_err(|e| MappingError::Invalid {
            at: fields.value_at(1, 2),
            reason: e.to_string(),
        })?;
        self.value.set(fields.at(), value)
    }

    pub(super) fn finish(self) -> Result<GoodsItem> {
        let at = self.start;
        if self.description.is_empty() {
            return Err(MappingError::Missing {
                at,
                what: "the goods item's description (FTX+AAA)",
            });
        }
        Ok(GoodsItem {
            hs_code: self.hs_code.take(at)?,
            description: self.description.finish(),
            quantity: self.quantity.take(at)?,
            gross_weight_kg: self.gross.take(at)?,
            net_weight_kg: self.net.take(at)?,
            value: self.value.take(at)?,
            packages: self.packages.take(at)?,
        })
    }
}

/// `PAC+240++BG`: the number (7224) and the Rec 21 type (C202, 7065).
pub(super) fn read_pac(fields: &mut Fields<'_>) -> Result<Packages> {
    Ok(Packages {
        count: fields.count(1, 1, "the number of packages (7224)")?,
        kind: fields.parse_required(3, 1, "the package type (7065)", PackageType::parse)?,
    })
}
