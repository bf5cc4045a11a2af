//! Reading an interchange: limits, `UNA`, framing, decoding, tokenising each segment,
//! and the envelope checks, one segment at a time so that a fault stops the work where
//! it is found.

use std::borrow::Cow;

use super::Limits;
use super::charset::Charset;
use super::envelope::{
    header_from_segment, syntax_of, unh_from_segment, unt_from_segment, unz_from_segment,
};
use super::error::{EdifactError, Position, ShownByte, SyntaxFault};
use super::framing::{Framer, RawSegment, is_line_break};
use super::model::{Component, Element, Interchange, Message, Segment, ServiceChars, Tag};

pub(crate) fn parse(bytes: &[u8], limits: &Limits) -> Result<Interchange, EdifactError> {
    if bytes.len() > limits.max_interchange_bytes {
        return Err(EdifactError::InterchangeTooLarge {
            size: bytes.len(),
            limit: limits.max_interchange_bytes,
        });
    }
    let mut start = bytes.iter().take_while(|&&b| is_line_break(b)).count();
    let una = match bytes[start..].strip_prefix(b"UNA") {
        Some(rest) => {
            let advice: [u8; 6] = rest
                .get(..6)
                .and_then(|advice| advice.try_into().ok())
                .ok_or(EdifactError::UnaTruncated { found: rest.len() })?;
            start += 9;
            Some(ServiceChars::from_una(advice)?)
        }
        None => None,
    };
    // Framing needs only the terminator and the release character, which the syntax
    // version (not yet read) does not change.
    let framing = una.unwrap_or_default();
    let mut framer = Framer::new(
        bytes,
        start,
        framing.terminator_byte(),
        framing.release_byte(),
        limits.max_segment_bytes,
    );

    let first = next_raw(&mut framer, "UNB")?;
    let tag = first.tag(framing.element_byte())?;
    if tag != Tag::UNB {
        return Err(EdifactError::UnexpectedSegment {
            at: Position::segment(first.index, tag),
            expected: "UNB",
        });
    }
    let (charset, version) = sniff_syntax(&first, framing)?;
    let mut reader = SegmentReader {
        charset,
        chars: una.unwrap_or(ServiceChars::defaults_for(version)),
        values: 0,
        max_values: limits.max_values,
    };
    let header = header_from_segment(&reader.read(first)?, first.index)?;

    let mut messages = Vec::new();
    loop {
        let raw = next_raw(&mut framer, "UNZ")?;
        let segment = reader.read(raw)?;
        let at = Position::segment(raw.index, segment.tag);
        match segment.tag {
            Tag::UNH => messages.push(read_message(&mut framer, &mut reader, &segment, raw.index)?),
            Tag::UNZ => {
                let (declared, reference) = unz_from_segment(&segment, raw.index)?;
                if declared != messages.len() as u64 {
                    return Err(EdifactError::MessageCountMismatch {
                        at: at.element(1),
                        declared,
                        actual: messages.len(),
                    });
                }
                if reference != header.control_reference {
                    return Err(EdifactError::ControlReferenceMismatch {
                        at: at.element(2),
                        declared: reference,
                        expected: header.control_reference,
                    });
                }
                if let Some(after) = framer.next() {
                    let after = after?;
                    return Err(EdifactError::UnexpectedSegment {
                        at: Position::segment(after.index, after.tag(reader.chars.element_byte())?),
                        expected: "nothing after the UNZ",
                    });
                }
                return Ok(Interchange {
                    una,
                    header,
                    messages,
                });
            }
            _ => {
                return Err(EdifactError::UnexpectedSegment {
                    at,
                    expected: "UNH or UNZ",
                });
            }
        }
    }
}

fn next_raw<'a>(
    framer: &mut Framer<'a>,
    expected: &'static str,
) -> Result<RawSegment<'a>, EdifactError> {
    match framer.next() {
        Some(raw) => raw,
        None => Err(EdifactError::Ended {
            segments: framer.segments(),
            expected,
        }),
    }
}

fn read_message(
    framer: &mut Framer<'_>,
    reader: &mut SegmentReader,
    unh: &Segment,
    unh_index: usize,
) -> Result<Message, EdifactError> {
    let (reference, identifier, further) = unh_from_segment(unh, unh_index)?;
    let mut segments = Vec::new();
    loop {
        let raw = next_raw(framer, "UNT")?;
        let segment = reader.read(raw)?;
        let at = Position::segment(raw.index, segment.tag);
        match segment.tag {
            Tag::UNT => {
                let (declared, unt_reference) = unt_from_segment(&segment, raw.index)?;
                let actual = segments.len() + 2;
                if declared != actual as u64 {
                    return Err(EdifactError::SegmentCountMismatch {
                        at: at.element(1),
                        declared,
                        actual,
                    });
                }
                if unt_reference != reference {
                    return Err(EdifactError::MessageReferenceMismatch {
                        at: at.element(2),
                        declared: unt_reference,
                        expected: reference,
                    });
                }
                return Ok(Message {
                    reference,
                    identifier,
                    further,
                    segments,
                });
            }
            tag if tag.is_envelope() => {
                return Err(EdifactError::UnexpectedSegment {
                    at,
                    expected: "the UNT of the open message",
                });
            }
            _ => segments.push(segment),
        }
    }
}

/// The syntax identifier and version, read off the raw `UNB` before the character set
/// is known. ISO 9735 keeps everything up to them within ASCII so that this works.
fn sniff_syntax(
    unb: &RawSegment<'_>,
    chars: ServiceChars,
) -> Result<(Charset, super::model::SyntaxVersion), EdifactError> {
    let text = |bytes: Option<&[u8]>| {
        bytes
            .filter(|b| !b.is_empty())
            .map(|b| String::from_utf8_lossy(b).into_owned())
    };
    let mut components = unb
        .bytes
        .get(4..)
        .filter(|_| unb.bytes.get(3) == Some(&chars.element_byte()))
        .map(|rest| first_element_components(rest, chars))
        .unwrap_or_default()
        .into_iter();
    let identifier = text(components.next());
    let version = text(components.next());
    syntax_of(
        identifier.as_deref(),
        version.as_deref(),
        Position::segment(unb.index, Tag::UNB),
    )
}

/// The first two components of the element `bytes` starts with.
fn first_element_components(bytes: &[u8], chars: ServiceChars) -> Vec<&[u8]> {
    let mut components = Vec::with_capacity(2);
    let mut from = 0;
    let mut cursor = 0;
    while cursor < bytes.len() && components.len() < 2 {
        let byte = bytes[cursor];
        if byte == chars.release_byte() {
            cursor += 2;
            continue;
        }
        if byte == chars.component_byte() || byte == chars.element_byte() {
            components.push(&bytes[from..cursor]);
            if byte == chars.element_byte() {
                return components;
            }
            from = cursor + 1;
        }
        cursor += 1;
    }
    if components.len() < 2 {
        components.push(bytes.get(from..).unwrap_or_default());
    }
    components
}

/// Where byte `offset` of a raw segment lies: which element, repetition and component.
fn locate(raw: &RawSegment<'_>, offset: usize, tag: Tag, chars: ServiceChars) -> Position {
    let (mut element, mut repetition, mut component) = (0, 1, 1);
    let mut cursor = 0;
    while cursor < offset.min(raw.bytes.len()) {
        let byte = raw.bytes[cursor];
        if byte == chars.release_byte() {
            cursor += 2;
            continue;
        }
        if byte == chars.element_byte() {
            (element, repetition, component) = (element + 1, 1, 1);
        } else if byte == chars.component_byte() {
            component += 1;
        } else if Some(byte) == chars.repetition_byte() {
            (repetition, component) = (repetition + 1, 1);
        }
        cursor += 1;
    }
    let at = Position::segment(raw.index, tag);
    match (element, repetition) {
        (0, _) => at,
        (_, 1) => at.element(element).component(component),
        _ => at
            .element(element)
            .repetition(repetition)
            .component(component),
    }
}

/// Turns one raw segment into a [`Segment`]: decodes it from the interchange's
/// character set, then lets the library split it into elements and components and
/// resolve the release characters.
struct SegmentReader {
    charset: Charset,
    chars: ServiceChars,
    /// Data values read so far, against [`Limits::max_values`].
    values: usize,
    max_values: usize,
}

impl SegmentReader {
    fn read(&mut self, raw: RawSegment<'_>) -> Result<Segment, EdifactError> {
        let tag = raw.tag(self.chars.element_byte())?;
        let text =
            self.charset
                .decode(raw.bytes)
                .map_err(|offset| EdifactError::ByteOutsideCharset {
                    at: locate(&raw, offset, tag, self.chars),
                    byte: ShownByte(raw.bytes.get(offset).copied().unwrap_or_default()),
                    charset: self.charset,
                })?;
        let elements = self.tokenise(&raw, text)?;
        let segment = Segment { tag, elements };
        self.check_repertoire(&segment, raw.index)?;
        Ok(segment)
    }

    fn tokenise(
        &mut self,
        raw: &RawSegment<'_>,
        text: Cow<'_, str>,
    ) -> Result<Vec<Element>, EdifactError> {
        let malformed = |fault| EdifactError::Malformed {
            segment: raw.index,
            offset: raw.offset,
            fault,
        };
        let mut bytes = text.into_owned().into_bytes();
        bytes.push(self.chars.terminator_byte());
        let advice = edifact_rs::ServiceStringAdvice {
            element_sep: self.chars.element_byte(),
            component_sep: self.chars.component_byte(),
            release_char: self.chars.release_byte(),
            decimal_mark: u8::try_from(self.chars.decimal()).unwrap_or(b'.'),
            repetition_sep: self.chars.repetition_byte().unwrap_or(b' '),
            segment_term: self.chars.terminator_byte(),
        };
        // The framer has already held the segment to the limit; decoding may have made
        // it longer (two UTF-8 bytes for one Latin-1 or Cyrillic byte).
        let tokenizer = edifact_rs::Tokenizer::for_segment(&bytes, advice, usize::MAX);
        let mut parser = edifact_rs::Parser::new(tokenizer);
        let parsed = match parser.next() {
            Some(Ok(parsed)) => parsed,
            Some(Err(error)) => return Err(malformed(syntax_fault(&error))),
            None => return Err(malformed(SyntaxFault::Unreadable)),
        };
        if parser.next().is_some() {
            return Err(malformed(SyntaxFault::Unreadable));
        }
        // Counted before anything is copied into the model, where an empty value costs
        // dozens of bytes for the one byte of its separator.
        self.values = parsed
            .elements
            .iter()
            .flat_map(|element| element.repetitions())
            .fold(self.values, |sum, occurrence| {
                sum.saturating_add(occurrence.len())
            });
        if self.values > self.max_values {
            return Err(EdifactError::TooManyValues {
                segment: raw.index,
                limit: self.max_values,
            });
        }
        let own = |components: &edifact_rs::Components<'_>| -> Vec<Component> {
            components
                .iter()
                .map(|(value, _)| {
                    Some(value.as_ref())
                        .filter(|v| !v.is_empty())
                        .map(str::to_owned)
                })
                .collect()
        };
        Ok(parsed
            .elements
            .iter()
            .map(|element| Element {
                components: own(&element.components),
                repeats: element.repeats.iter().map(own).collect(),
            })
            .collect())
    }

    /// `UNOA` and `UNOB` hold less than ASCII; checked on the values, after release
    /// characters are resolved, so that a released `+` is data like any other.
    fn check_repertoire(&self, segment: &Segment, index: usize) -> Result<(), EdifactError> {
        for (e, element) in segment.elements.iter().enumerate() {
            let repeats = !element.repeats.is_empty();
            for (r, occurrence) in element.occurrences().enumerate() {
                for (c, component) in occurrence.iter().enumerate() {
                    let Some(outside) = component
                        .as_deref()
                        .and_then(|value| self.charset.first_outside(value))
                    else {
                        continue;
                    };
                    let mut at = Position::segment(index, segment.tag).element(e + 1);
                    if repeats {
                        at = at.repetition(r + 1);
                    }
                    return Err(EdifactError::ByteOutsideCharset {
                        at: at.component(c + 1),
                        byte: ShownByte(
                            u8::try_from(outside)
                                .expect("UNOA and UNOB text was refused at decoding unless ASCII"),
                        ),
                        charset: self.charset,
                    });
                }
            }
        }
        Ok(())
    }
}

fn syntax_fault(error: &edifact_rs::EdifactError) -> SyntaxFault {
    match error {
        edifact_rs::EdifactError::InvalidDelimiter { byte, .. } => SyntaxFault::UnexpectedByte {
            byte: ShownByte(*byte),
        },
        edifact_rs::EdifactError::InvalidReleaseSequence { .. } => SyntaxFault::DanglingRelease,
        edifact_rs::EdifactError::UnexpectedDataToken { .. } => SyntaxFault::MisplacedData,
        _ => SyntaxFault::Unreadable,
    }
}
