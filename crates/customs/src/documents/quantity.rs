//! Quantities in UN/ECE Rec 20 units, weights in kilograms, and packages.

use serde::{Deserialize, Serialize};

use super::decimal::Decimal;
use crate::{PackageType, UnitCode};

/// An amount of goods in a Rec 20 unit: `12000 KGM`, `3000 LTR`, `40 H87`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Quantity {
    pub value: Decimal,
    pub unit: UnitCode,
}

/// A weight in kilograms: customs weighs in kilograms everywhere, so the unit is the type
/// rather than a field that could say otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Kilograms(pub Decimal);

impl std::fmt::Display for Kilograms {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} kg", self.0)
    }
}

/// How many packages, of which Rec 21 type.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Packages {
    /// Zero only for goods in bulk or unpacked.
    pub count: u32,
    pub kind: PackageType,
}

impl Packages {
    /// Rec 21 types for goods that travel without packages, which are counted as zero.
    pub const BULK_OR_UNPACKED: [&'static str; 8] =
        ["VG", "VL", "VO", "VQ", "VR", "VS", "VY", "NE"];

    pub fn is_bulk_or_unpacked(&self) -> bool {
        Packages::BULK_OR_UNPACKED.contains(&self.kind.as_str())
    }
}
