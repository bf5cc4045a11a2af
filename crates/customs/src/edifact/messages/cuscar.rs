//! CUSCAR, the customs cargo report, and [`PreliminaryInformation`]: what a consignment
//! carries and how it travels, sent before it reaches the border.
//!
//! ```text
//! BGM+85+KZ-PI-2025-000871+9'                    customs manifest, the reference, original
//! RFF+ZZZ:0195903c7a4e7c1d9b2f4c8e1a2b3c4d'      the correlation id
//! RFF+IV:ADM-2025/0314'                          the invoice number
//! RFF+ABT:XC73510442'                            the transit declaration or TIR carnet
//! NAD+DT+…'  NAD+CA+…'                           the declarant and the carrier
//! TDT+20++3+++++123 ABZ 02:146:::KZ'             main carriage, Rec 19 mode, the vehicle
//! LOC+41+UZ26010:::Gisht Kuprik'                 the border crossing (office of entry)
//! LOC+5+:::Kostanay'  LOC+35+KZ'                 the place and country of departure
//! LOC+8+:::Tashkent'  LOC+28+UZ'                 the place and country of destination
//! DTM+132:202503140630:203'                      the expected arrival (UTC)
//! EQD+TE+45 AKA 02:::KZ'  EQD+CN+CSQU3054383'    trailers and containers, in order
//! CNI+1'                                         the consignment
//! NAD+CZ+…'  NAD+CN+…'                           the consignor and the consignee
//! GID+1+240:BG'  FTX+AAA+++…'  MEA+…'  MOA+…'  CST+1+110100'   each goods item
//! ```

use crate::documents::{
    BorderCrossing, ContainerNumber, CorrelationId, DateTime, GoodsItem, Party, Place, Plate,
    PreliminaryInformation, References,
};
use crate::edifact::{Message, Segment, Tag};
use crate::{CountryCode, InvalidCode, TransportMode};

use super::error::{At, MappingError};
use super::goods::{self, GoodsReader};
use super::parties::{nad, read_party};
use super::read::{Fields, Result, SegmentReader, Slot, original, read_message};
use super::write::{composite, empty, rff, segment, simple};
use super::{
    BGM, CNI, CST, DTM, EQD, FTX, GID, LOC, MEA, MOA, NAD, ORIGINAL, RFF, TDT, dates, write,
};

pub const MESSAGE_TYPE: &str = "CUSCAR";

/// UNCL 1001 customs manifest; a cargo declaration (arrival), 933, is read as well.
const MANIFEST: &str = "85";
const CARGO_DECLARATION_ARRIVAL: &str = "933";
/// UNCL 1153 mutually defined reference: the correlation id has no standard qualifier.
const CORRELATION: &str = "ZZZ";
/// UNCL 1153 invoice number.
const INVOICE: &str = "IV";
/// UNCL 1153 customs declaration number: a transit declaration or a TIR carnet.
const TRANSIT: &str = "ABT";
/// UNCL 3035 parties.
const DECLARANT: &str = "DT";
const CONSIGNOR: &str = "CZ";
const CONSIGNEE: &str = "CN";
const CARRIER: &str = "CA";
/// UNCL 8051 main carriage transport.
const MAIN_CARRIAGE: &str = "20";
/// UNCL 1131 means of transport identification, qualifying the plate in C222.
const MEANS_OF_TRANSPORT: &str = "146";
/// UNCL 3227 places.
const ENTRY_OFFICE: &str = "41";
const DEPARTURE: &str = "5";
const DISPATCH_COUNTRY: &str = "35";
const DESTINATION: &str = "8";
const DESTINATION_COUNTRY: &str = "28";
/// UNCL 2005 arrival date/time, estimated; 137, the message's date, is read and left.
const ARRIVAL_ESTIMATED: &str = "132";
const DOCUMENT_DATE: &str = "137";
/// UNCL 8053 trailer and container.
const TRAILER: &str = "TE";
const CONTAINER: &str = "CN";

pub fn to_message(info: &PreliminaryInformation) -> Message {
    let mut s = vec![segment(
        BGM,
        vec![simple(MANIFEST), simple(&info.reference), simple(ORIGINAL)],
    )];
    s.push(rff(
        CORRELATION,
        &info.correlation_id.to_string().replace('-', ""),
    ));
    if let Some(number) = &info.references.invoice_number {
        s.push(rff(INVOICE, number));
    }
    if let Some(number) = &info.references.transit_number {
        s.push(rff(TRANSIT, number));
    }
    s.push(nad(DECLARANT, &info.declarant));
    s.push(nad(CARRIER, &info.carrier));
    s.push(tdt(info.transport_mode, info.vehicle.as_ref()));
    let crossing = &info.border_crossing;
    s.push(loc(ENTRY_OFFICE, &[&crossing.code, "", "", &crossing.name]));
    s.push(loc(DEPARTURE, &["", "", "", &info.departure.name]));
    s.push(loc(DISPATCH_COUNTRY, &[info.departure.country.as_str()]));
    s.push(loc(DESTINATION, &["", "", "", &info.destination.name]));
    s.push(loc(
        DESTINATION_COUNTRY,
        &[info.destination.country.as_str()],
    ));
    s.push(dates::date_time(ARRIVAL_ESTIMATED, info.expected_arrival));
    for plate in &info.trailers {
        s.push(segment(
            EQD,
            vec![
                simple(TRAILER),
                composite(&[plate.number.as_str(), "", "", plate.country.as_str()]),
            ],
        ));
    }
    for container in &info.containers {
        s.push(segment(
            EQD,
            vec![simple(CONTAINER), simple(container.as_str())],
        ));
    }
    s.push(segment(CNI, vec![simple("1")]));
    s.push(nad(CONSIGNOR, &info.consignor));
    s.push(nad(CONSIGNEE, &info.consignee));
    for (index, item) in info.goods.iter().enumerate() {
        s.push(goods::gid(index + 1, &item.packages));
        s.extend(goods::body(item));
        s.push(goods::value(item));
        s.push(goods::cst(index + 1, item));
    }
    write::message(MESSAGE_TYPE, s)
}

fn loc(qualifier: &str, location: &[&str]) -> Segment {
    segment(LOC, vec![simple(qualifier), composite(location)])
}

fn tdt(mode: TransportMode, vehicle: Option<&Plate>) -> Segment {
    let mut elements = vec![simple(MAIN_CARRIAGE), empty(), simple(mode.as_str())];
    if let Some(plate) = vehicle {
        elements.extend([empty(), empty(), empty(), empty()]);
        elements.push(composite(&[
            plate.number.as_str(),
            MEANS_OF_TRANSPORT,
            "",
            "",
            plate.country.as_str(),
        ]));
    }
    segment(TDT, elements)
}

/// Reads a CUSCAR standing alone (message 1 in positions).
pub fn from_message(
    message: &Message,
) -> std::result::Result<PreliminaryInformation, MappingError> {
    read(message, 1)
}

pub(super) fn read(message: &Message, number: usize) -> Result<PreliminaryInformation> {
    read_message(message, number, MESSAGE_TYPE, Reading::new())
}

/// Where the reading stands: the header until the `CNI`, the consignment's parties until
/// the first `GID`, then goods items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Header,
    Consignment,
    Goods,
}

#[derive(Debug)]
struct Reading {
    section: Section,
    reference: Slot<String>,
    correlation_id: Slot<CorrelationId>,
    invoice_number: Slot<String>,
    transit_number: Slot<String>,
    declarant: Slot<Party>,
    consignor: Slot<Party>,
    consignee: Slot<Party>,
    carrier: Slot<Party>,
    transport: Slot<(TransportMode, Option<Plate>)>,
    border_crossing: Slot<BorderCrossing>,
    departure: Slot<String>,
    dispatch_country: Slot<CountryCode>,
    destination: Slot<String>,
    destination_country: Slot<CountryCode>,
    expected_arrival: Slot<DateTime>,
    trailers: Vec<Plate>,
    containers: Vec<ContainerNumber>,
    consignment: Slot<()>,
    goods: Vec<GoodsItem>,
    item: Option<GoodsReader>,
}

impl Reading {
    fn new() -> Self {
        Self {
            section: Section::Header,
            reference: Slot::new("BGM (the reference)"),
            correlation_id: Slot::new("RFF+ZZZ (the correlation id)"),
            invoice_number: Slot::new("RFF+IV (the invoice number)"),
            transit_number: Slot::new("RFF+ABT (the transit declaration or TIR carnet number)"),
            declarant: Slot::new("NAD+DT (the declarant)"),
            consignor: Slot::new("NAD+CZ (the consignor)"),
            consignee: Slot::new("NAD+CN (the consignee)"),
            carrier: Slot::new("NAD+CA (the carrier)"),
            transport: Slot::new("TDT (the transport mode)"),
            border_crossing: Slot::new("LOC+41 (the border crossing)"),
            departure: Slot::new("LOC+5 (the place of departure)"),
            dispatch_country: Slot::new("LOC+35 (the country of dispatch)"),
            destination: Slot::new("LOC+8 (the place of destination)"),
            destination_country: Slot::new("LOC+28 (the country of destination)"),
            expected_arrival: Slot::new("DTM+132 (the expected arrival)"),
            trailers: Vec::new(),
            containers: Vec::new(),
            consignment: Slot::new("CNI (one consignment a message)"),
            goods: Vec::new(),
            item: None,
        }
    }

    fn bgm(&mut self, fields: &mut Fields<'_>) -> Result<()> {
        fields.qualifier(
            1,
            1,
            &[MANIFEST, CARGO_DECLARATION_ARRIVAL],
            "85 (customs manifest) and 933 (cargo declaration, arrival)",
        )?;
        let reference = fields.require(2, 1, "the reference (1004)")?;
        original(fields)?;
        self.reference.set(fields.at(), reference.to_owned())
    }

    fn rff(&mut self, fields: &mut Fields<'_>) -> Result<()> {
        let qualifier = fields.qualifier(
            1,
            1,
            &[CORRELATION, INVOICE, TRANSIT],
            "ZZZ (correlation id), IV (invoice) and ABT (transit declaration or TIR carnet)",
        )?;
        let at = fields.at();
        if qualifier == CORRELATION {
            let id = fields.parse_required(1, 2, "the reference (1154)", correlation_id)?;
            return self.correlation_id.set(at, id);
        }
        let number = fields.require(1, 2, "the reference (1154)")?.to_owned();
        match qualifier {
            INVOICE => self.invoice_number.set(at, number),
            _ => self.transit_number.set(at, number),
        }
    }

    fn nad(&mut self, fields: &mut Fields<'_>) -> Result<()> {
        let qualifier = fields.qualifier(
            1,
            1,
            &[DECLARANT, CONSIGNOR, CONSIGNEE, CARRIER],
            "DT (declarant), CZ (consignor), CN (consignee) and CA (carrier)",
        )?;
        let party = read_party(fields)?;
        let slot = match qualifier {
            DECLARANT => &mut self.declarant,
            CONSIGNOR => &mut self.consignor,
            CONSIGNEE => &mut self.consignee,
            _ => &mut self.carrier,
        };
        slot.set(fields.at(), party)
    }

    fn tdt(&mut self, fields: &mut Fields<'_>) -> Result<()> {
        fields.qualifier(1, 1, &[MAIN_CARRIAGE], "20 (main carriage)")?;
        let mode =
            fields.parse_required(3, 1, "the transport mode (8067)", TransportMode::parse)?;
        let number = fields.get(8, 1);
        fields.code(
            8,
            2,
            &[MEANS_OF_TRANSPORT],
            "146 (means of transport identification)",
        )?;
        let country = fields.parse(8, 5, CountryCode::parse)?;
        let vehicle = match (number, country) {
            (Some(number), Some(country)) => Some(Plate {
                number: number.to_owned(),
                country,
            }),
            (None, None) => None,
            (Some(_), None) => {
                return Err(MappingError::Missing {
                    at: fields.value_at(8, 5),
                    what: "the vehicle's nationality (8453)",
                });
            }
            (None, Some(_)) => {
                return Err(MappingError::Missing {
                    at: fields.value_at(8, 1),
                    what: "the vehicle's registration number (8213)",
                });
            }
        };
        self.transport.set(fields.at(), (mode, vehicle))
    }

    fn loc(&mut self, fields: &mut Fields<'_>) -> Result<()> {
        let qualifier = fields.qualifier(
            1,
            1,
            &[
                ENTRY_OFFICE,
                DEPARTURE,
                DISPATCH_COUNTRY,
                DESTINATION,
                DESTINATION_COUNTRY,
            ],
            "41 (office of entry), 5 (departure), 35 (country of dispatch), 8 (destination) \
             and 28 (country of destination)",
        )?;
        let at = fields.at();
        let name = |fields: &mut Fields<'_>| {
            fields
                .require(2, 4, "the place's name (3224)")
                .map(str::to_owned)
        };
        let country = |fields: &mut Fields<'_>| {
            fields.parse_required(2, 1, "the country (3225)", CountryCode::parse)
        };
        match qualifier {
            ENTRY_OFFICE => {
                let code = fields.require(2, 1, "the office's code (3225)")?.to_owned();
                let crossing = BorderCrossing {
                    code,
                    name: name(fields)?,
                };
                self.border_crossing.set(at, crossing)
            }
            DEPARTURE => self.departure.set(at, name(fields)?),
            DESTINATION => self.destination.set(at, name(fields)?),
            DISPATCH_COUNTRY => self.dispatch_country.set(at, country(fields)?),
            _ => self.destination_country.set(at, country(fields)?),
        }
    }

    fn dtm(&mut self, fields: &mut Fields<'_>) -> Result<()> {
        let qualifier = fields.qualifier(
            1,
            1,
            &[ARRIVAL_ESTIMATED, DOCUMENT_DATE],
            "132 (arrival, estimated) and 137 (the message's date, which is not kept)",
        )?;
        if qualifier == DOCUMENT_DATE {
            fields.get(1, 2);
            fields.get(1, 3);
            return Ok(());
        }
        let arrival = dates::read_date_time(fields)?;
        self.expected_arrival.set(fields.at(), arrival)
    }

    fn eqd(&mut self, fields: &mut Fields<'_>) -> Result<()> {
        let qualifier = fields.qualifier(
            1,
            1,
            &[TRAILER, CONTAINER],
            "TE (trailer) and CN (container)",
        )?;
        let number = fields.require(2, 1, "the equipment's number (8260)")?;
        if qualifier == TRAILER {
            let country =
                fields.parse_required(2, 4, "the trailer's country (3207)", CountryCode::parse)?;
            self.trailers.push(Plate {
                number: number.to_owned(),
                country,
            });
            return Ok(());
        }
        let container = ContainerNumber::parse(number).map_err(|e| MappingError::Invalid {
            at: fields.value_at(2, 1),
            reason: e.to_string(),
        })?;
        self.containers.push(container);
        Ok(())
    }

    fn finish_item(&mut self) -> Result<()> {
        if let Some(item) = self.item.take() {
            self.goods.push(item.finish()?);
        }
        Ok(())
    }
}

/// A correlation id as this mapping writes it (32 hexadecimal digits, since 1154 is
/// an..35 and the hyphenated form has 36) or in its canonical form; either case.
fn correlation_id(value: &str) -> std::result::Result<CorrelationId, InvalidCode> {
    let lower = value.to_ascii_lowercase();
    let canonical = if lower.len() == 32 && lower.is_ascii() {
        format!(
            "{}-{}-{}-{}-{}",
            &lower[..8],
            &lower[8..12],
            &lower[12..16],
            &lower[16..20],
            &lower[20..]
        )
    } else {
        lower
    };
    CorrelationId::parse(&canonical).map_err(|_| InvalidCode {
        value: value.to_owned(),
        list: "a correlation id (a UUID as 32 hexadecimal digits)",
    })
}

impl SegmentReader for Reading {
    type Document = PreliminaryInformation;

    fn segment(&mut self, fields: &mut Fields<'_>, tag: Tag) -> Result<()> {
        use Section::{Consignment, Goods, Header};
        let at = fields.at();
        let misplaced = |belongs| Err(MappingError::Misplaced { at, belongs });
        match (tag, self.section) {
            (BGM, _) => self.bgm(fields),
            (RFF, Header) => self.rff(fields),
            (TDT, Header) => self.tdt(fields),
            (LOC, Header) => self.loc(fields),
            (DTM, Header) => self.dtm(fields),
            (EQD, Header) => self.eqd(fields),
            (RFF | TDT | LOC | DTM | EQD, _) => misplaced("in the header, before the CNI"),
            (NAD, Header | Consignment) => self.nad(fields),
            (NAD, Goods) => misplaced("before the first GID"),
            (CNI, _) => {
                fields.get(1, 1);
                self.consignment.set(fields.at(), ())?;
                self.section = Consignment;
                Ok(())
            }
            (GID, Header) => misplaced("after the CNI"),
            (GID, _) => {
                self.finish_item()?;
                let mut item = GoodsReader::new(fields.at());
                item.gid(fields)?;
                self.item = Some(item);
                self.section = Goods;
                Ok(())
            }
            (FTX | MEA | MOA | CST, _) => match self.item.as_mut() {
                Some(item) if tag == FTX => item.ftx(fields),
                Some(item) if tag == MEA => item.mea(fields),
                Some(item) if tag == MOA => item.moa(fields),
                Some(item) => item.cst(fields),
                None => misplaced("in a goods item, after its GID"),
            },
            _ => Err(MappingError::UnmappedSegment {
                at,
                message_type: MESSAGE_TYPE,
            }),
        }
    }

    fn finish(mut self, at: At) -> Result<PreliminaryInformation> {
        self.finish_item()?;
        let (transport_mode, vehicle) = self.transport.take(at)?;
        Ok(PreliminaryInformation {
            reference: self.reference.take(at)?,
            correlation_id: self.correlation_id.take(at)?,
            declarant: self.declarant.take(at)?,
            consignor: self.consignor.take(at)?,
            consignee: self.consignee.take(at)?,
            carrier: self.carrier.take(at)?,
            transport_mode,
            vehicle,
            trailers: self.trailers,
            containers: self.containers,
            border_crossing: self.border_crossing.take(at)?,
            departure: Place {
                name: self.departure.take(at)?,
                country: self.dispatch_country.take(at)?,
            },
            destination: Place {
                name: self.destination.take(at)?,
                country: self.destination_country.take(at)?,
            },
            expected_arrival: self.expected_arrival.take(at)?,
            goods: self.goods,
            references: References {
                invoice_number: self.invoice_number.into_option(),
                transit_number: self.transit_number.into_option(),
            },
        })
    }
}
