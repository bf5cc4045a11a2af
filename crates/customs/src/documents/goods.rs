//! A goods item as advance information and Single Window applications carry it.

use serde::{Deserialize, Serialize};

use super::amount::Amount;
use super::quantity::{Kilograms, Packages, Quantity};
use super::validate::{Check, Checker, Text};
use crate::HsCode;

/// One kind of goods in a consignment or application.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct GoodsItem {
    pub hs_code: HsCode,
    /// The goods in plain words, as on the commercial documents.
    pub description: String,
    pub quantity: Quantity,
    pub gross_weight_kg: Kilograms,
    pub net_weight_kg: Kilograms,
    pub value: Amount,
    pub packages: Packages,
}

impl Check for GoodsItem {
    fn check(&self, c: &mut Checker) {
        c.text("description", &self.description, Text::Paragraph);
        c.quantity("quantity", &self.quantity);
        c.net_within_gross(&self.net_weight_kg, &self.gross_weight_kg);
        c.packages("packages", &self.packages);
    }
}
