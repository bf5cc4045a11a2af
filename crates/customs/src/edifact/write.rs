//! Writing an interchange: the service segments from the typed header, the trailers
//! computed, every value escaped with the release character and encoded in the
//! interchange's character set.
//!
//! Done here rather than by the library: its writer reports a character the set cannot
//! hold by byte offset only, and does not know `UNOW` or the level A and B repertoires.

use super::charset::Charset;
use super::envelope::{
    header_from_segment, header_to_segment, trailer_to_segment, unh_from_segment, unh_to_segment,
};
use super::error::{EdifactError, Position};
use super::model::{Interchange, Segment, ServiceChars, Tag};

pub(crate) fn write(interchange: &Interchange) -> Result<Vec<u8>, EdifactError> {
    let mut writer = Writer {
        out: Vec::new(),
        chars: interchange.service_chars(),
        charset: interchange.header.syntax.charset,
        segments: 0,
    };
    if let Some(una) = &interchange.una {
        writer.out.extend_from_slice(b"UNA");
        writer.out.extend_from_slice(&una.una_bytes());
    }
    let header = &interchange.header;
    let unb = header_to_segment(header);
    // Read back by the reader's own rules: what cannot be read is not written.
    header_from_segment(&unb, 1)?;
    writer.segment(&unb)?;
    for message in &interchange.messages {
        let unh = unh_to_segment(&message.reference, &message.identifier, &message.further);
        unh_from_segment(&unh, writer.segments + 1)?;
        writer.segment(&unh)?;
        for segment in &message.segments {
            if segment.tag.is_envelope() {
                return Err(EdifactError::ServiceSegmentInContent {
                    at: Position::segment(writer.segments + 1, segment.tag),
                });
            }
            writer.segment(segment)?;
        }
        writer.segment(&trailer_to_segment(
            Tag::UNT,
            message.segment_count(),
            &message.reference,
        ))?;
    }
    writer.segment(&trailer_to_segment(
        Tag::UNZ,
        interchange.message_count(),
        &header.control_reference,
    ))?;
    Ok(writer.out)
}

struct Writer {
    out: Vec<u8>,
    chars: ServiceChars,
    charset: Charset,
    /// Segments written so far, for positions in errors.
    segments: usize,
}

impl Writer {
    fn segment(&mut self, segment: &Segment) -> Result<(), EdifactError> {
        self.segments += 1;
        let at = Position::segment(self.segments, segment.tag);
        self.out.extend_from_slice(segment.tag.as_bytes());
        for (e, element) in segment.elements.iter().enumerate() {
            let at = at.element(e + 1);
            self.out.push(self.chars.element_byte());
            let repeats = !element.repeats.is_empty();
            let repetition = match (repeats, self.chars.repetition_byte()) {
                (false, _) => None,
                (true, Some(separator)) => Some(separator),
                (true, None) => return Err(EdifactError::RepetitionWithoutSeparator { at }),
            };
            for (r, occurrence) in element.occurrences().enumerate() {
                let at = if repeats { at.repetition(r + 1) } else { at };
                if r > 0 {
                    // Only a repeating element has a second occurrence, and it has a
                    // separator or has been refused above.
                    self.out.extend(repetition);
                }
                for (c, component) in occurrence.iter().enumerate() {
                    if c > 0 {
                        self.out.push(self.chars.component_byte());
                    }
                    if let Some(value) = component {
                        self.value(value, at.component(c + 1))?;
                    }
                }
            }
        }
        self.out.push(self.chars.terminator_byte());
        Ok(())
    }

    fn value(&mut self, value: &str, at: Position) -> Result<(), EdifactError> {
        let mut buf = [0; 4];
        for character in value.chars() {
            if self.chars.needs_release(character) {
                self.out.push(self.chars.release_byte());
            }
            let bytes = self.charset.encode_char(character, &mut buf).ok_or(
                EdifactError::CharacterOutsideCharset {
                    at,
                    character,
                    charset: self.charset,
                },
            )?;
            self.out.extend_from_slice(bytes);
        }
        Ok(())
    }
}
