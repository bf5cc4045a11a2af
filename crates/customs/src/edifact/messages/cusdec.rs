//! CUSDEC, the customs declaration, and [`SwApplication`]: a trader's application or
//! declaration to the Single Window, submitted once for every agency concerned.
//!
//! ```text
//! BGM+929+UZSW-2025-0031487+9'              goods declaration for importation, reference
//! CST++IM::ZZZ'                             the procedure (mutually defined codes)
//! LOC+25+UZ'                                the country of the Single Window
//! DTM+137:202503120915:203'                 submitted at (UTC)
//! DOC+:::invoice+ADM-2025/0314'  DTM+182:20250310:102'   each document relied on
//! NAD+DT+…'                                 the applicant (declarant)
//! NAD+DO+++Customs Committee of the Republic of Uzbekistan+++++UZ'   each agency to decide
//! UNS+D'
//! CST+1+110100'  FTX+AAA+++…'  MEA+…'  PAC+240++BG'  MOA+38:3840.00:USD'   each goods item
//! UNS+S'  CNT+5:3'                          the number of goods items, as a check
//! ```

use crate::CountryCode;
use crate::documents::{
    Agency, DateTime, GoodsItem, Party, Procedure, ReferencedDocument, SwApplication,
};
use crate::edifact::{Message, Tag};

use super::error::{At, MappingError};
use super::goods::{self, GoodsReader};
use super::parties::{agency_nad, nad, read_agency, read_party};
use super::read::{Fields, Result, SegmentReader, Slot, original, read_message};
use super::write::{composite, empty, segment, simple};
use super::{BGM, CNT, CST, DOC, DTM, FTX, LOC, MEA, MOA, NAD, ORIGINAL, PAC, UNS, dates, write};

pub const MESSAGE_TYPE: &str = "CUSDEC";

/// UNCL 1001 goods declarations: for importation, exportation, customs transit.
const IMPORT_DECLARATION: &str = "929";
const EXPORT_DECLARATION: &str = "830";
const TRANSIT_DECLARATION: &str = "950";
/// UNCL 3055 mutually defined: the procedure codes are this mapping's own.
const MUTUALLY_DEFINED: &str = "ZZZ";
/// UNCL 3227 country.
const COUNTRY: &str = "25";
/// UNCL 2005 document/message date (the submission) and issue date (of a document).
const DOCUMENT_DATE: &str = "137";
const ISSUE_DATE: &str = "182";
/// UNCL 3035 declarant, and document recipient for each agency that must decide.
const APPLICANT: &str = "DT";
const AGENCY: &str = "DO";
/// Section identification (0081): the detail and the summary follow.
const DETAIL: &str = "D";
const SUMMARY: &str = "S";
/// UNCL 6069 number of customs item detail lines.
const CUSTOMS_ITEMS: &str = "5";

/// The procedure codes of the header `CST`, and the `BGM` document each belongs under.
const PROCEDURES: [(Procedure, &str, &str); 5] = [
    (Procedure::Import, "IM", IMPORT_DECLARATION),
    (Procedure::Export, "EX", EXPORT_DECLARATION),
    (Procedure::Transit, "TR", TRANSIT_DECLARATION),
    (Procedure::TemporaryAdmission, "TA", IMPORT_DECLARATION),
    (Procedure::ReExport, "RE", EXPORT_DECLARATION),
];

fn procedure_codes(procedure: Procedure) -> (&'static str, &'static str) {
    PROCEDURES
        .iter()
        .find(|(p, _, _)| *p == procedure)
        .map_or(("IM", IMPORT_DECLARATION), |&(_, code, document)| {
            (code, document)
        })
}

pub fn to_message(application: &SwApplication) -> Message {
    let (procedure, document) = procedure_codes(application.procedure);
    let mut s = vec![
        segment(
            BGM,
            vec![
                simple(document),
                simple(&application.reference),
                simple(ORIGINAL),
            ],
        ),
        segment(
            CST,
            vec![empty(), composite(&[procedure, "", MUTUALLY_DEFINED])],
        ),
        segment(
            LOC,
            vec![simple(COUNTRY), simple(application.country.as_str())],
        ),
        dates::date_time(DOCUMENT_DATE, application.submitted_at),
    ];
    for referenced in &application.documents {
        s.push(segment(
            DOC,
            vec![
                composite(&["", "", "", &referenced.kind]),
                simple(&referenced.number),
            ],
        ));
        if let Some(issued_on) = referenced.issued_on {
            s.push(dates::date(ISSUE_DATE, issued_on));
        }
    }
    s.push(nad(APPLICANT, &application.applicant));
    for agency in &application.agencies {
        s.push(agency_nad(AGENCY, agency));
    }
    s.push(segment(UNS, vec![simple(DETAIL)]));
    for (index, item) in application.goods.iter().enumerate() {
        s.push(goods::cst(index + 1, item));
        s.extend(goods::body(item));
        s.push(goods::pac(&item.packages));
        s.push(goods::value(item));
    }
    s.push(segment(UNS, vec![simple(SUMMARY)]));
    s.push(segment(
        CNT,
        vec![composite(&[
            CUSTOMS_ITEMS,
            &application.goods.len().to_string(),
        ])],
    ));
    write::message(MESSAGE_TYPE, s)
}

/// Reads a CUSDEC standing alone (message 1 in positions).
pub fn from_message(message: &Message) -> std::result::Result<SwApplication, MappingError> {
    read(message, 1)
}

pub(super) fn read(message: &Message, number: usize) -> Result<SwApplication> {
    read_message(message, number, MESSAGE_TYPE, Reading::new())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Header,
    Items,
    Summary,
}

#[derive(Debug)]
struct Reading {
    section: Section,
    reference: Slot<String>,
    /// The `BGM` document code and where it stands, checked against the procedure.
    document: Slot<(At, String)>,
    procedure: Slot<(At, Procedure)>,
    country: Slot<CountryCode>,
    submitted_at: Slot<DateTime>,
    applicant: Slot<Party>,
    documents: Vec<ReferencedDocument>,
    /// The `DOC` a `DTM+182` right after it dates.
    open_document: Option<usize>,
    agencies: Vec<Agency>,
    goods: Vec<GoodsItem>,
    item: Option<GoodsReader>,
    item_count: Slot<(At, usize)>,
}

impl Reading {
    fn new() -> Self {
        Self {
            section: Section::Header,
            reference: Slot::new("BGM (the reference)"),
            document: Slot::new("BGM (the declaration's document code)"),
            procedure: Slot::new("CST (the procedure)"),
            country: Slot::new("LOC+25 (the Single Window's country)"),
            submitted_at: Slot::new("DTM+137 (the time of submission)"),
            applicant: Slot::new("NAD+DT (the applicant)"),
            documents: Vec::new(),
            open_document: None,
            agencies: Vec::new(),
            goods: Vec::new(),
            item: None,
            item_count: Slot::new("CNT+5 (the number of goods items)"),
        }
    }

    fn bgm(&mut self, fields: &mut Fields<'_>) -> Result<()> {
        let at = fields.at();
        let document = fields.qualifier(
            1,
            1,
            &[IMPORT_DECLARATION, EXPORT_DECLARATION, TRANSIT_DECLARATION],
            "929 (goods declaration for importation), 830 (for exportation) and 950 \
             (for customs transit)",
        )?;
        self.document
            .set(at, (fields.value_at(1, 1), document.to_owned()))?;
        let reference = fields.require(2, 1, "the reference (1004)")?;
        original(fields)?;
        self.reference.set(at, reference.to_owned())
    }

    fn procedure(&mut self, fields: &mut Fields<'_>) -> Result<()> {
        let code = fields.qualifier(
            2,
            1,
            &["IM", "EX", "TR", "TA", "RE"],
            "IM (import), EX (export), TR (transit), TA (temporary admission) and RE (re-export)",
        )?;
        fields.code(2, 3, &[MUTUALLY_DEFINED], "ZZZ (mutually defined)")?;
        let procedure = PROCEDURES
            .iter()
            .find(|(_, c, _)| *c == code)
            .map_or(Procedure::Import, |&(p, _, _)| p);
        self.procedure
            .set(fields.at(), (fields.value_at(2, 1), procedure))
    }

    fn dtm(&mut self, fields: &mut Fields<'_>, open_document: Option<usize>) -> Result<()> {
        let at = fields.at();
        let qualifier = fields.qualifier(
            1,
            1,
            &[DOCUMENT_DATE, ISSUE_DATE],
            "137 (the submission) and 182 (a document's issue date)",
        )?;
        if qualifier == DOCUMENT_DATE {
            let submitted_at = dates::read_date_time(fields)?;
            return self.submitted_at.set(at, submitted_at);
        }
        let Some(document) = open_document.and_then(|i| self.documents.get_mut(i)) else {
            return Err(MappingError::Misplaced {
                at,
                belongs: "right after the DOC it dates",
            });
        };
        document.issued_on = Some(dates::read_date(fields)?);
        Ok(())
    }

    fn uns(&mut self, fields: &mut Fields<'_>) -> Result<()> {
        let at = fields.at();
        let section = fields.qualifier(
            1,
            1,
            &[DETAIL, SUMMARY],
            "D (detail section) and S (summary section)",
        )?;
        self.section = match (self.section, section) {
            (Section::Header, DETAIL) => Section::Items,
            (Section::Items, SUMMARY) => {
                self.finish_item()?;
                Section::Summary
            }
            (Section::Header, _) => {
                return Err(MappingError::Missing {
                    at,
                    what: "UNS+D (the detail section) before the summary",
                });
            }
            _ => {
                return Err(MappingError::Repeated {
                    at,
                    what: "the section's UNS",
                });
            }
        };
        Ok(())
    }

    fn finish_item(&mut self) -> Result<()> {
        if let Some(item) = self.item.take() {
            self.goods.push(item.finish()?);
        }
        Ok(())
    }
}

impl SegmentReader for Reading {
    type Document = SwApplication;

    fn segment(&mut self, fields: &mut Fields<'_>, tag: Tag) -> Result<()> {
        use Section::{Header, Items, Summary};
        let at = fields.at();
        let misplaced = |belongs| Err(MappingError::Misplaced { at, belongs });
        let open_document = self.open_document.take();
        match (tag, self.section) {
            (BGM, _) => self.bgm(fields),
            (CST, Header) => self.procedure(fields),
            (LOC, Header) => {
                fields.qualifier(1, 1, &[COUNTRY], "25 (country)")?;
                let country =
                    fields.parse_required(2, 1, "the country (3225)", CountryCode::parse)?;
                self.country.set(at, country)
            }
            (DTM, Header) => self.dtm(fields, open_document),
            (DOC, Header) => {
                let kind = fields
                    .require(1, 4, "the document's kind (1000)")?
                    .to_owned();
                let number = fields
                    .require(2, 1, "the document's number (1004)")?
                    .to_owned();
                self.documents.push(ReferencedDocument {
                    kind,
                    number,
                    issued_on: None,
                });
                self.open_document = Some(self.documents.len() - 1);
                Ok(())
            }
            (NAD, Header) => {
                let qualifier = fields.qualifier(
                    1,
                    1,
                    &[APPLICANT, AGENCY],
                    "DT (declarant, the applicant) and DO (document recipient, an agency)",
                )?;
                if qualifier == AGENCY {
                    self.agencies.push(read_agency(fields)?);
                    return Ok(());
                }
                let party = read_party(fields)?;
                self.applicant.set(at, party)
            }
            (LOC | DTM | DOC | NAD, _) => misplaced("in the header, before UNS+D"),
            (UNS, _) => self.uns(fields),
            (CST, Items) => {
                self.finish_item()?;
                let mut item = GoodsReader::new(at);
                item.cst(fields)?;
                self.item = Some(item);
                Ok(())
            }
            (FTX | MEA | PAC | MOA, _) => match self.item.as_mut() {
                Some(item) if self.section == Items => match tag {
                    FTX => item.ftx(fields),
                    MEA => item.mea(fields),
                    PAC => item.pac(fields),
                    _ => item.moa(fields),
                },
                _ => misplaced("in a goods item, after its CST"),
            },
            (CST, Summary) => misplaced("before UNS+S"),
            (CNT, Summary) => {
                fields.qualifier(
                    1,
                    1,
                    &[CUSTOMS_ITEMS],
                    "5 (number of customs item detail lines)",
                )?;
                let count = fields.count(1, 2, "the number of goods items (6066)")?;
                self.item_count.set(at, (fields.value_at(1, 2), count))
            }
            (CNT, _) => misplaced("in the summary, after UNS+S"),
            _ => Err(MappingError::UnmappedSegment {
                at,
                message_type: MESSAGE_TYPE,
            }),
        }
    }

    fn finish(mut self, at: At) -> Result<SwApplication> {
        self.finish_item()?;
        let (document_at, document) = self.document.take(at)?;
        let (procedure_at, procedure) = self.procedure.take(at)?;
        let (code, expected) = procedure_codes(procedure);
        if document != expected {
            return Err(MappingError::Invalid {
                at: document_at,
                reason: format!(
                    "the declaration is a {document}, but procedure {code} (at {procedure_at}) \
                     is declared on a {expected}"
                ),
            });
        }
        if let Some((count_at, count)) = self.item_count.into_option()
            && count != self.goods.len()
        {
            return Err(MappingError::Invalid {
                at: count_at,
                reason: format!(
                    "says {count} goods items, the message has {}",
                    self.goods.len()
                ),
            });
        }
        Ok(SwApplication {
            reference: self.reference.take(at)?,
            country: self.country.take(at)?,
            submitted_at: self.submitted_at.take(at)?,
            applicant: self.applicant.take(at)?,
            procedure,
            goods: self.goods,
            documents: self.documents,
            agencies: self.agencies,
        })
    }
}
