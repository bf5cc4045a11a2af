//! CUSRES, the customs response, and [`SwDecision`]: one agency's decision on a Single
//! Window application.
//!
//! ```text
//! BGM+++9+AP'                                accepted (AP), rejected (RE) or pending (AJ)
//! DTM+137:20250313:102'                      the day of the decision
//! NAD+MS+++Agency for Plant Quarantine and Protection+++++UZ'   the deciding agency
//! RFF+ABT:UZSW-2025-0031487'                 the application decided on
//! ERP+1'  ERC+ZZZ'  FTX+ACD+++…'             each reason: on the application as a whole,
//!                                            given in words
//! ```

use crate::documents::{Agency, Date, Outcome, SwDecision};
use crate::edifact::{Message, Tag};

use super::error::{At, MappingError};
use super::parties::{agency_nad, read_agency};
use super::read::{Fields, Result, SegmentReader, Slot, original, read_message};
use super::text::{Joined, Shape, ftx, read_ftx};
use super::write::{empty, rff, segment, simple};
use super::{BGM, DTM, ERC, ERP, FTX, NAD, ORIGINAL, RFF, dates, write};

pub const MESSAGE_TYPE: &str = "CUSRES";

/// UNCL 4343 response types.
const ACCEPTED: &str = "AP";
const REJECTED: &str = "RE";
/// "Being dealt with": the agency needs more before it decides.
const PENDING: &str = "AJ";
/// UNCL 2005 document/message date.
const DOCUMENT_DATE: &str = "137";
/// UNCL 3035 document/message issuer.
const ISSUER: &str = "MS";
/// UNCL 1153 customs declaration number: the Single Window's reference.
const DECLARATION: &str = "ABT";
/// UNCL 1049 heading section: the reason concerns the application as a whole.
const WHOLE_APPLICATION: &str = "1";
/// UNCL 9321 left to the partners: the reason is given in words.
const IN_WORDS: &str = "ZZZ";
/// UNCL 4451 reason for a response; error description is read as well.
const REASON: &str = "ACD";
const ERROR_DESCRIPTION: &str = "AAO";

fn response_type(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Approved => ACCEPTED,
        Outcome::Rejected => REJECTED,
        Outcome::MoreInfoNeeded => PENDING,
    }
}

pub fn to_message(decision: &SwDecision) -> Message {
    let mut s = vec![
        segment(
            BGM,
            vec![
                empty(),
                empty(),
                simple(ORIGINAL),
                simple(response_type(decision.outcome)),
            ],
        ),
        dates::date(DOCUMENT_DATE, decision.decided_on),
        agency_nad(ISSUER, &decision.agency),
        rff(DECLARATION, &decision.application_reference),
    ];
    for reason in &decision.reasons {
        s.push(segment(ERP, vec![simple(WHOLE_APPLICATION)]));
        s.push(segment(ERC, vec![simple(IN_WORDS)]));
        s.extend(ftx(REASON, reason));
    }
    write::message(MESSAGE_TYPE, s)
}

/// Reads a CUSRES standing alone (message 1 in positions).
pub fn from_message(message: &Message) -> std::result::Result<SwDecision, MappingError> {
    read(message, 1)
}

pub(super) fn read(message: &Message, number: usize) -> Result<SwDecision> {
    read_message(message, number, MESSAGE_TYPE, Reading::new())
}

#[derive(Debug)]
struct Reading {
    outcome: Slot<Outcome>,
    decided_on: Slot<Date>,
    agency: Slot<Agency>,
    application_reference: Slot<String>,
    /// Each reason: where its `ERP` stands, and its text so far.
    reasons: Vec<(At, Joined)>,
}

impl Reading {
    fn new() -> Self {
        Self {
            outcome: Slot::new("BGM (the outcome, 4343)"),
            decided_on: Slot::new("DTM+137 (the day of the decision)"),
            agency: Slot::new("NAD+MS (the deciding agency)"),
            application_reference: Slot::new("RFF+ABT (the application's reference)"),
            reasons: Vec::new(),
        }
    }
}

impl SegmentReader for Reading {
    type Document = SwDecision;

    fn segment(&mut self, fields: &mut Fields<'_>, tag: Tag) -> Result<()> {
        let at = fields.at();
        let in_header = self.reasons.is_empty();
        match tag {
            BGM => {
                original(fields)?;
                let outcome = match fields.qualifier(
                    4,
                    1,
                    &[ACCEPTED, REJECTED, PENDING],
                    "AP (accepted), RE (rejected) and AJ (pending: more information needed)",
                )? {
                    ACCEPTED => Outcome::Approved,
                    REJECTED => Outcome::Rejected,
                    _ => Outcome::MoreInfoNeeded,
                };
                self.outcome.set(at, outcome)
            }
            DTM | NAD | RFF if !in_header => Err(MappingError::Misplaced {
                at,
                belongs: "in the header, before the first ERP",
            }),
            DTM => {
                fields.qualifier(1, 1, &[DOCUMENT_DATE], "137 (the day of the decision)")?;
                let day = dates::read_date(fields)?;
                self.decided_on.set(at, day)
            }
            NAD => {
                fields.qualifier(1, 1, &[ISSUER], "MS (document issuer, the deciding agency)")?;
                let agency = read_agency(fields)?;
                self.agency.set(at, agency)
            }
            RFF => {
                fields.qualifier(1, 1, &[DECLARATION], "ABT (the application's reference)")?;
                let reference = fields.require(1, 2, "the reference (1154)")?.to_owned();
                self.application_reference.set(at, reference)
            }
            ERP => {
                fields.qualifier(1, 1, &[WHOLE_APPLICATION], "1 (the application as a whole)")?;
                self.reasons.push((at, Joined::new(Shape::FTX)));
                Ok(())
            }
            ERC | FTX => match self.reasons.last_mut() {
                None => Err(MappingError::Misplaced {
                    at,
                    belongs: "in a reason, after its ERP",
                }),
                Some(_) if tag == ERC => {
                    fields.qualifier(1, 1, &[IN_WORDS], "ZZZ (the reason in words, in FTX)")?;
                    Ok(())
                }
                Some((_, text)) => {
                    fields.qualifier(
                        1,
                        1,
                        &[REASON, ERROR_DESCRIPTION],
                        "ACD (reason) and AAO (error description)",
                    )?;
                    read_ftx(fields, text);
                    Ok(())
                }
            },
            _ => Err(MappingError::UnmappedSegment {
                at,
                message_type: MESSAGE_TYPE,
            }),
        }
    }

    fn finish(self, at: At) -> Result<SwDecision> {
        let reasons = self
            .reasons
            .into_iter()
            .map(|(at, text)| {
                if text.is_empty() {
                    Err(MappingError::Missing {
                        at,
                        what: "the reason's text (FTX+ACD)",
                    })
                } else {
                    Ok(text.finish())
                }
            })
            .collect::<Result<_>>()?;
        Ok(SwDecision {
            application_reference: self.application_reference.take(at)?,
            agency: self.agency.take(at)?,
            outcome: self.outcome.take(at)?,
            reasons,
            decided_on: self.decided_on.take(at)?,
        })
    }
}
