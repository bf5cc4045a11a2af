//! INVOIC, the invoice, and [`SingleInvoice`]: the commercial invoice with the manufacturer,
//! origin, Incoterms and an HS code per line, as customs needs it.
//!
//! ```text
//! BGM+380+ADM-2025/0314+9'           commercial invoice, its number, original
//! DTM+137:20250310:102'              the issue date
//! ALI+KZ'                            the country of origin
//! NAD+SE+…'  NAD+BY+…'  NAD+MF+…'    seller, buyer, manufacturer
//! CUX+2:USD:4'                       the invoicing currency
//! TDT+20++3'                         the transport mode, where the invoice says
//! TOD+6++DAP::4'  LOC+1+:::Tashkent, Sergeli wholesale terminal'   Incoterms 2020 (ICC)
//! LIN+1'  PIA+1+110100:HS'  IMD+F++:::Wheat flour…'  MEA+WT+AAB+KGM:12060'
//!   MEA+WT+AAA+KGM:12000'  QTY+47:12000:KGM'  MOA+203:3840.00'  PRI+AAA:0.32'  PAC+240++BG'
//! UNS+S'  CNT+7:19240:KGM'  CNT+18:18760:KGM'  CNT+11:940'  MOA+79:11990.00'
//! ```

use crate::documents::{
    Date, Decimal, IncotermsTerm, InvoiceLine, InvoiceTotals, Kilograms, Packages, Party, Quantity,
    SingleInvoice,
};
use crate::edifact::{Message, Segment, Tag};
use crate::{CountryCode, CurrencyCode, HsCode, Incoterm, TransportMode, UnitCode};

use super::error::{At, MappingError};
use super::goods::{self, Weight, read_kilograms, read_pac, read_weight, weights_only};
use super::parties::{nad, read_party};
use super::read::{Fields, Result, SegmentReader, Slot, original, read_message};
use super::text::{Joined, Shape, cut};
use super::write::{composite, empty, segment, simple};
use super::{
    ALI, BGM, CNT, CUX, DTM, IMD, LIN, LOC, MEA, MOA, NAD, ORIGINAL, PAC, PIA, PRI, QTY, TDT, TOD,
    UNS, dates, write,
};

pub const MESSAGE_TYPE: &str = "INVOIC";

/// UNCL 1001 commercial invoice.
const COMMERCIAL_INVOICE: &str = "380";
/// UNCL 2005 document/message date: the invoice's issue date.
const DOCUMENT_DATE: &str = "137";
/// UNCL 3035 parties.
const SELLER: &str = "SE";
const BUYER: &str = "BY";
const MANUFACTURER: &str = "MF";
/// UNCL 6347 reference currency and 6343 invoicing currency.
const REFERENCE_CURRENCY: &str = "2";
const INVOICING_CURRENCY: &str = "4";
/// UNCL 8051 main carriage transport.
const MAIN_CARRIAGE: &str = "20";
/// UNCL 4055 delivery condition, and 3055 ICC: the rule is an Incoterms 2020 code.
const DELIVERY_CONDITION: &str = "6";
const ICC: &str = "4";
/// UNCL 3227 place of terms of delivery.
const TERMS_PLACE: &str = "1";
/// UNCL 4347 additional identification, 7143 Harmonised system.
const ADDITIONAL_ID: &str = "1";
const HARMONISED_SYSTEM: &str = "HS";
/// UNCL 7077 free-form description.
const FREE_FORM: &str = "F";
/// UNCL 6063 invoiced quantity.
const INVOICED_QUANTITY: &str = "47";
/// UNCL 5025 line item amount and total line items amount.
const LINE_AMOUNT: &str = "203";
const TOTAL_LINE_ITEMS: &str = "79";
/// UNCL 5125 calculation net: the price of one unit of the invoiced quantity.
const NET_PRICE: &str = "AAA";
/// Section identification (0081): the summary follows.
const SUMMARY: &str = "S";
/// UNCL 6069 total gross weight, total reported quantity in net weight, total packages.
const TOTAL_GROSS: &str = "7";
const TOTAL_NET: &str = "18";
const TOTAL_PACKAGES: &str = "11";

pub fn to_message(invoice: &SingleInvoice) -> Message {
    let mut s = vec![
        segment(
            BGM,
            vec![
                simple(COMMERCIAL_INVOICE),
                simple(&invoice.number),
                simple(ORIGINAL),
            ],
        ),
        dates::date(DOCUMENT_DATE, invoice.issue_date),
        segment(ALI, vec![simple(invoice.country_of_origin.as_str())]),
        nad(SELLER, &invoice.seller),
        nad(BUYER, &invoice.buyer),
        nad(MANUFACTURER, &invoice.manufacturer),
        segment(
            CUX,
            vec![composite(&[
                REFERENCE_CURRENCY,
                invoice.currency.as_str(),
                INVOICING_CURRENCY,
            ])],
        ),
    ];
    if let Some(mode) = invoice.transport_mode {
        s.push(segment(
            TDT,
            vec![simple(MAIN_CARRIAGE), empty(), simple(mode.as_str())],
        ));
    }
    s.push(segment(
        TOD,
        vec![
            simple(DELIVERY_CONDITION),
            empty(),
            composite(&[invoice.incoterms.rule.as_str(), "", ICC]),
        ],
    ));
    s.push(segment(
        LOC,
        vec![
            simple(TERMS_PLACE),
            composite(&["", "", "", &invoice.incoterms.place]),
        ],
    ));
    for (index, line) in invoice.lines.iter().enumerate() {
        s.push(segment(LIN, vec![simple(&(index + 1).to_string())]));
        s.push(segment(
            PIA,
            vec![
                simple(ADDITIONAL_ID),
                composite(&[line.hs_code.as_str(), HARMONISED_SYSTEM]),
            ],
        ));
        s.extend(imd(&line.description));
        s.extend(goods::weights(&line.gross_weight_kg, &line.net_weight_kg));
        s.push(segment(
            QTY,
            vec![composite(&[
                INVOICED_QUANTITY,
                line.quantity.value.as_str(),
                line.quantity.unit.as_str(),
            ])],
        ));
        s.push(segment(
            MOA,
            vec![composite(&[LINE_AMOUNT, line.value.as_str()])],
        ));
        s.push(segment(
            PRI,
            vec![composite(&[NET_PRICE, line.unit_price.as_str()])],
        ));
        s.push(goods::pac(&line.packages));
    }
    let totals = &invoice.totals;
    s.push(segment(UNS, vec![simple(SUMMARY)]));
    s.push(cnt_kg(TOTAL_GROSS, &totals.gross_weight_kg));
    s.push(cnt_kg(TOTAL_NET, &totals.net_weight_kg));
    s.push(segment(
        CNT,
        vec![composite(&[TOTAL_PACKAGES, &totals.packages.to_string()])],
    ));
    s.push(segment(
        MOA,
        vec![composite(&[TOTAL_LINE_ITEMS, totals.value.as_str()])],
    ));
    write::message(MESSAGE_TYPE, s)
}

/// `IMD+F++:::…:…` segments holding the description.
fn imd(description: &str) -> Vec<Segment> {
    cut(description, Shape::IMD)
        .into_iter()
        .map(|pieces| {
            if pieces.is_empty() {
                return segment(IMD, vec![simple(FREE_FORM)]);
            }
            let mut c273 = vec![String::new(); 3];
            c273.extend(pieces);
            segment(IMD, vec![simple(FREE_FORM), empty(), composite(&c273)])
        })
        .collect()
}

fn cnt_kg(qualifier: &str, kg: &Kilograms) -> Segment {
    segment(CNT, vec![composite(&[qualifier, kg.0.as_str(), "KGM"])])
}

/// Reads an INVOIC standing alone (message 1 in positions).
pub fn from_message(message: &Message) -> std::result::Result<SingleInvoice, MappingError> {
    read(message, 1)
}

pub(super) fn read(message: &Message, number: usize) -> Result<SingleInvoice> {
    read_message(message, number, MESSAGE_TYPE, Reading::new())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Header,
    Lines,
    Summary,
}

#[derive(Debug)]
struct Reading {
    section: Section,
    number: Slot<String>,
    issue_date: Slot<Date>,
    country_of_origin: Slot<CountryCode>,
    seller: Slot<Party>,
    buyer: Slot<Party>,
    manufacturer: Slot<Party>,
    currency: Slot<CurrencyCode>,
    transport_mode: Slot<TransportMode>,
    rule: Slot<Incoterm>,
    place: Slot<String>,
    lines: Vec<InvoiceLine>,
    line: Option<LineReader>,
    total_value: Slot<Decimal>,
    total_gross: Slot<Kilograms>,
    total_net: Slot<Kilograms>,
    total_packages: Slot<u64>,
    /// Currencies stated on amounts, checked against the `CUX` once all is read.
    amount_currencies: Vec<(At, CurrencyCode)>,
}

impl Reading {
    fn new() -> Self {
        Self {
            section: Section::Header,
            number: Slot::new("BGM (the invoice number)"),
            issue_date: Slot::new("DTM+137 (the issue date)"),
            country_of_origin: Slot::new("ALI (the country of origin)"),
            seller: Slot::new("NAD+SE (the seller)"),
            buyer: Slot::new("NAD+BY (the buyer)"),
            manufacturer: Slot::new("NAD+MF (the manufacturer)"),
            currency: Slot::new("CUX (the invoicing currency)"),
            transport_mode: Slot::new("TDT (the transport mode)"),
            rule: Slot::new("TOD (the Incoterms rule)"),
            place: Slot::new("LOC+1 (the Incoterms place)"),
            lines: Vec::new(),
            line: None,
            total_value: Slot::new("MOA+79 (the total of the lines)"),
            total_gross: Slot::new("CNT+7 (the total gross weight)"),
            total_net: Slot::new("CNT+18 (the total net weight)"),
            total_packages: Slot::new("CNT+11 (the total number of packages)"),
            amount_currencies: Vec::new(),
        }
    }

    fn bgm(&mut self, fields: &mut Fields<'_>) -> Result<()> {
        fields.qualifier(1, 1, &[COMMERCIAL_INVOICE], "380 (commercial invoice)")?;
        let number = fields.require(2, 1, "the invoice number (1004)")?;
        original(fields)?;
        self.number.set(fields.at(), number.to_owned())
    }

    fn nad(&mut self, fields: &mut Fields<'_>) -> Result<()> {
        let qualifier = fields.qualifier(
            1,
            1,
            &[SELLER, BUYER, MANUFACTURER],
            "SE (seller), BY (buyer) and MF (manufacturer)",
        )?;
        let party = read_party(fields)?;
        let slot = match qualifier {
            SELLER => &mut self.seller,
            BUYER => &mut self.buyer,
            _ => &mut self.manufacturer,
        };
        slot.set(fields.at(), party)
    }

    fn cux(&mut self, fields: &mut Fields<'_>) -> Result<()> {
        fields.qualifier(1, 1, &[REFERENCE_CURRENCY], "2 (reference currency)")?;
        let currency = fields.parse_required(1, 2, "the currency (6345)", CurrencyCode::parse)?;
        fields.code(1, 3, &[INVOICING_CURRENCY], "4 (invoicing currency)")?;
        self.currency.set(fields.at(), currency)
    }

    fn cnt(&mut self, fields: &mut Fields<'_>) -> Result<()> {
        let at = fields.at();
        let qualifier = fields.qualifier(
            1,
            1,
            &[TOTAL_GROSS, TOTAL_NET, TOTAL_PACKAGES],
            "7 (total gross weight), 18 (total net weight) and 11 (total number of packages)",
        )?;
        match qualifier {
            TOTAL_PACKAGES => {
                let packages = fields.count(1, 2, "the number of packages (6066)")?;
                self.total_packages.set(at, packages)
            }
            TOTAL_GROSS => {
                let kg = read_kilograms(fields, 1, 3, 2)?;
                self.total_gross.set(at, kg)
            }
            _ => {
                let kg = read_kilograms(fields, 1, 3, 2)?;
                self.total_net.set(at, kg)
            }
        }
    }

    fn finish_line(&mut self) -> Result<()> {
        if let Some(line) = self.line.take() {
            self.lines.push(line.finish()?);
        }
        Ok(())
    }
}

/// Reads one invoice line from its `LIN`.
#[derive(Debug)]
struct LineReader {
    start: At,
    hs_code: Slot<HsCode>,
    description: Joined,
    quantity: Slot<Quantity>,
    unit_price: Slot<Decimal>,
    value: Slot<Decimal>,
    gross: Slot<Kilograms>,
    net: Slot<Kilograms>,
    packages: Slot<Packages>,
}

impl LineReader {
    fn new(start: At) -> Self {
        Self {
            start,
            hs_code: Slot::new("the line's HS code (PIA)"),
            description: Joined::new(Shape::IMD),
            quantity: Slot::new("the line's quantity (QTY+47)"),
            unit_price: Slot::new("the line's unit price (PRI+AAA)"),
            value: Slot::new("the line's value (MOA+203)"),
            gross: Slot::new("the line's gross weight (MEA+WT+AAB)"),
            net: Slot::new("the line's net weight (MEA+WT+AAA)"),
            packages: Slot::new("the line's packages (PAC)"),
        }
    }

    fn segment(
        &mut self,
        fields: &mut Fields<'_>,
        tag: Tag,
        currencies: &mut Vec<(At, CurrencyCode)>,
    ) -> Result<()> {
        let at = fields.at();
        match tag {
            PIA => {
                fields.qualifier(1, 1, &[ADDITIONAL_ID], "1 (additional identification)")?;
                let hs = fields.parse_required(2, 1, "the HS code (7140)", HsCode::parse)?;
                fields.qualifier(2, 2, &[HARMONISED_SYSTEM], "HS (Harmonised system)")?;
                self.hs_code.set(at, hs)
            }
            IMD => {
                fields.qualifier(1, 1, &[FREE_FORM], "F (free-form description)")?;
                let pieces: Vec<&str> = [4, 5]
                    .into_iter()
                    .filter_map(|component| fields.get(3, component))
                    .collect();
                self.description.push(pieces);
                Ok(())
            }
            MEA => {
                weights_only(fields)?;
                match read_weight(fields)? {
                    (Weight::Gross, kg) => self.gross.set(at, kg),
                    (Weight::Net, kg) => self.net.set(at, kg),
                }
            }
            QTY => {
                fields.qualifier(1, 1, &[INVOICED_QUANTITY], "47 (invoiced quantity)")?;
                let quantity = Quantity {
                    value: fields.decimal(1, 2, "the quantity (6060)")?,
                    unit: fields.parse_required(1, 3, "the unit (6411)", UnitCode::parse)?,
                };
                self.quantity.set(at, quantity)
            }
            MOA => {
                fields.qualifier(1, 1, &[LINE_AMOUNT], "203 (line item amount)")?;
                let value = fields.decimal(1, 2, "the amount (5004)")?;
                if let Some(currency) = fields.parse(1, 3, CurrencyCode::parse)? {
                    currencies.push((fields.value_at(1, 3), currency));
                }
                self.value.set(at, value)
            }
            PRI => {
                fields.qualifier(1, 1, &[NET_PRICE], "AAA (calculation net)")?;
                let price = fields.decimal(1, 2, "the price (5118)")?;
                self.unit_price.set(at, price)
            }
            _ => {
                let packages = read_pac(fields)?;
                self.packages.set(at, packages)
            }
        }
    }

    fn finish(self) -> Result<InvoiceLine> {
        let at = self.start;
        if self.description.is_empty() {
            return Err(MappingError::Missing {
                at,
                what: "the line's description (IMD)",
            });
        }
        Ok(InvoiceLine {
            hs_code: self.hs_code.take(at)?,
            description: self.description.finish(),
            quantity: self.quantity.take(at)?,
            unit_price: self.unit_price.take(at)?,
            value: self.value.take(at)?,
            net_weight_kg: self.net.take(at)?,
            gross_weight_kg: self.gross.take(at)?,
            packages: self.packages.take(at)?,
        })
    }
}

impl SegmentReader for Reading {
    type Document = SingleInvoice;

    fn segment(&mut self, fields: &mut Fields<'_>, tag: Tag) -> Result<()> {
        use Section::{Header, Lines, Summary};
        let at = fields.at();
        let misplaced = |belongs| Err(MappingError::Misplaced { at, belongs });
        match (tag, self.section) {
            (BGM, _) => self.bgm(fields),
            (DTM, Header) => {
                fields.qualifier(1, 1, &[DOCUMENT_DATE], "137 (the issue date)")?;
                let date = dates::read_date(fields)?;
                self.issue_date.set(at, date)
            }
            (ALI, Header) => {
                let origin =
                    fields.parse_required(1, 1, "the country (3239)", CountryCode::parse)?;
                self.country_of_origin.set(at, origin)
            }
            (NAD, Header) => self.nad(fields),
            (CUX, Header) => self.cux(fields),
            (TDT, Header) => {
                fields.qualifier(1, 1, &[MAIN_CARRIAGE], "20 (main carriage)")?;
                let mode = fields.parse_required(
                    3,
                    1,
                    "the transport mode (8067)",
                    TransportMode::parse,
                )?;
                self.transport_mode.set(at, mode)
            }
            (TOD, Header) => {
                fields.code(1, 1, &[DELIVERY_CONDITION], "6 (delivery condition)")?;
                let rule =
                    fields.parse_required(3, 1, "the Incoterms rule (4053)", Incoterm::parse)?;
                fields.code(3, 3, &[ICC], "4 (ICC)")?;
                self.rule.set(at, rule)
            }
            (LOC, Header) => {
                fields.qualifier(1, 1, &[TERMS_PLACE], "1 (place of terms of delivery)")?;
                let place = fields.require(2, 4, "the place's name (3224)")?.to_owned();
                self.place.set(at, place)
            }
            (DTM | ALI | NAD | CUX | TDT | TOD | LOC, _) => {
                misplaced("in the header, before the first LIN")
            }
            (LIN, Header | Lines) => {
                fields.get(1, 1);
                self.finish_line()?;
                self.line = Some(LineReader::new(at));
                self.section = Lines;
                Ok(())
            }
            (LIN, Summary) => misplaced("before the UNS"),
            (PIA | IMD | MEA | QTY | PRI | PAC, _) | (MOA, Header | Lines) => {
                match self.line.as_mut() {
                    Some(line) if self.section == Lines => {
                        line.segment(fields, tag, &mut self.amount_currencies)
                    }
                    _ => misplaced("in an invoice line, after its LIN"),
                }
            }
            (UNS, Header | Lines) => {
                fields.qualifier(1, 1, &[SUMMARY], "S (summary section)")?;
                self.finish_line()?;
                self.section = Summary;
                Ok(())
            }
            (UNS, Summary) => Err(MappingError::Repeated {
                at,
                what: "UNS (the summary section)",
            }),
            (CNT, Summary) => self.cnt(fields),
            (MOA, Summary) => {
                fields.qualifier(1, 1, &[TOTAL_LINE_ITEMS], "79 (total line items amount)")?;
                let value = fields.decimal(1, 2, "the amount (5004)")?;
                if let Some(currency) = fields.parse(1, 3, CurrencyCode::parse)? {
                    self.amount_currencies
                        .push((fields.value_at(1, 3), currency));
                }
                self.total_value.set(at, value)
            }
            (CNT, _) => misplaced("in the summary, after the UNS"),
            _ => Err(MappingError::UnmappedSegment {
                at,
                message_type: MESSAGE_TYPE,
            }),
        }
    }

    fn finish(mut self, at: At) -> Result<SingleInvoice> {
        self.finish_line()?;
        let currency = self.currency.take(at)?;
        if let Some((at, other)) = self.amount_currencies.iter().find(|(_, c)| *c != currency) {
            return Err(MappingError::Invalid {
                at: *at,
                reason: format!("the amount is in {other}, the invoice (CUX) in {currency}"),
            });
        }
        Ok(SingleInvoice {
            number: self.number.take(at)?,
            issue_date: self.issue_date.take(at)?,
            seller: self.seller.take(at)?,
            buyer: self.buyer.take(at)?,
            manufacturer: self.manufacturer.take(at)?,
            country_of_origin: self.country_of_origin.take(at)?,
            incoterms: IncotermsTerm {
                rule: self.rule.take(at)?,
                place: self.place.take(at)?,
            },
            transport_mode: self.transport_mode.into_option(),
            currency,
            lines: self.lines,
            totals: InvoiceTotals {
                value: self.total_value.take(at)?,
                net_weight_kg: self.total_net.take(at)?,
                gross_weight_kg: self.total_gross.take(at)?,
                packages: self.total_packages.take(at)?,
            },
        })
    }
}
