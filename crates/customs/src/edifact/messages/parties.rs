//! `NAD`: traders with their structured address, agencies by name and country.
//!
//! `NAD+CZ+081240012345:167++Altyn Dala Milling LLP+Promyshlennaya zona 12+Kostanay++110000+KZ`:
//! the tax or registration number in C082 (code list 167, tax party identification), the
//! name in C080 (cut into 35-character pieces), the street lines in C059 (one line a
//! component), the city (3164), the postcode (3251) and the country (3207).
//!
//! C059 and 3164 are an..35 in the directory; the standard allows 140 characters for an
//! address line or a city, and a longer one is written whole rather than cut, so that it
//! comes back as it went.

use crate::CountryCode;
use crate::documents::{Agency, Party};
use crate::edifact::Segment;

use super::NAD;
use super::error::MappingError;
use super::read::{Fields, Result};
use super::text::pieces;
use super::write::{composite, empty, segment, simple};

/// UNCL 1131 code list 167, tax party identification.
const TAX_ID: &str = "167";

/// C080: five components of an..35.
const NAME_PIECES: usize = 5;
const NAME_PIECE_CHARS: usize = 35;

pub(super) fn nad(qualifier: &str, party: &Party) -> Segment {
    let id = match &party.tax_id {
        Some(id) => composite(&[id.as_str(), TAX_ID]),
        None => empty(),
    };
    segment(
        NAD,
        vec![
            simple(qualifier),
            id,
            empty(),
            name(&party.name),
            composite(&party.address),
            simple(&party.city),
            empty(),
            simple(party.postcode.as_deref().unwrap_or_default()),
            simple(party.country.as_str()),
        ],
    )
}

/// The party of a `NAD` whose qualifier the caller has read.
pub(super) fn read_party(fields: &mut Fields<'_>) -> Result<Party> {
    let tax_id = fields.get(2, 1).map(str::to_owned);
    fields.code(2, 2, &[TAX_ID], "167 (tax party identification)")?;
    Ok(Party {
        name: read_name(fields)?,
        address: fields.all(5).into_iter().map(str::to_owned).collect(),
        city: fields.require(6, 1, "the city (3164)")?.to_owned(),
        postcode: fields.get(8, 1).map(str::to_owned),
        country: read_country(fields)?,
        tax_id,
    })
}

/// An agency: `NAD+DO+++Customs Committee of the Republic of Uzbekistan+++++UZ`.
pub(super) fn agency_nad(qualifier: &str, agency: &Agency) -> Segment {
    segment(
        NAD,
        vec![
            simple(qualifier),
            empty(),
            empty(),
            name(&agency.name),
            empty(),
            empty(),
            empty(),
            empty(),
            simple(agency.country.as_str()),
        ],
    )
}

/// The agency of a `NAD` whose qualifier the caller has read.
pub(super) fn read_agency(fields: &mut Fields<'_>) -> Result<Agency> {
    Ok(Agency {
        name: read_name(fields)?,
        country: read_country(fields)?,
    })
}

fn name(name: &str) -> crate::edifact::Element {
    composite(&pieces(name, NAME_PIECES, NAME_PIECE_CHARS))
}

fn read_name(fields: &mut Fields<'_>) -> Result<String> {
    fields
        .joined(4, 1..=NAME_PIECES)
        .ok_or(MappingError::Missing {
            at: fields.value_at(4, 1),
            what: "the name (C080)",
        })
}

fn read_country(fields: &mut Fields<'_>) -> Result<CountryCode> {
    fields.parse_required(9, 1, "the country (3207)", CountryCode::parse)
}
