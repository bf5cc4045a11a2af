//! Who and where: traders and carriers, the government agencies that exchange documents,
//! and named places.

use serde::{Deserialize, Serialize};

use super::validate::{Check, Checker, Limit, Text};
use crate::CountryCode;

/// A trader, carrier or manufacturer, as the parties of UN/EDIFACT NAD are named.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Party {
    pub name: String,
    /// Street lines, one to four, in the order they are written on an envelope.
    pub address: Vec<String>,
    pub city: String,
    /// Optional because not every place in the region uses postcodes.
    pub postcode: Option<String>,
    pub country: CountryCode,
    /// The tax or registration number in its own country (BIN in Kazakhstan, INN in
    /// Uzbekistan), where the party has one.
    pub tax_id: Option<String>,
}

impl Check for Party {
    fn check(&self, c: &mut Checker) {
        c.text("name", &self.name, Text::Line);
        c.list("address", &self.address, Limit::one_to(4), |c, line| {
            c.check_text(line, Text::Line)
        });
        c.text("city", &self.city, Text::Line);
        c.optional_text("postcode", self.postcode.as_deref(), Text::Id);
        c.optional_text("tax_id", self.tax_id.as_deref(), Text::Id);
    }
}

/// A government agency of a member: a customs service, a phytosanitary inspection.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Agency {
    pub country: CountryCode,
    pub name: String,
}

impl Check for Agency {
    fn check(&self, c: &mut Checker) {
        c.text("name", &self.name, Text::Line);
    }
}

/// A named place in a country: a city, a terminal, a warehouse.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Place {
    pub country: CountryCode,
    pub name: String,
}

impl Check for Place {
    fn check(&self, c: &mut Checker) {
        c.text("name", &self.name, Text::Line);
    }
}
