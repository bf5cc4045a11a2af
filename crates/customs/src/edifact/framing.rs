//! Finding where each segment ends, on the raw bytes, before anything is decoded or
//! allocated.
//!
//! This is what makes hostile input cheap to refuse: the scan for a terminator stops
//! after `max_segment_bytes + 1` bytes, so a segment of 100 MB costs 64 KiB of looking
//! and no allocation at all. Done here rather than in the tokenising library because the
//! character set has to be known, and applied, before that library can look at the
//! bytes (it reads UTF-8 only), and decoding a segment first needs to know where it ends.

use super::EdifactError;
use super::model::Tag;

/// The raw bytes of one segment, terminator excluded.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RawSegment<'a> {
    /// Counted from 1 at the first segment after any `UNA`.
    pub index: usize,
    /// Offset of the segment's first byte in the interchange.
    pub offset: usize,
    pub bytes: &'a [u8],
}

impl RawSegment<'_> {
    /// The tag: the bytes before the first element separator (or the terminator).
    pub(crate) fn tag(&self, element_separator: u8) -> Result<Tag, EdifactError> {
        let end = self
            .bytes
            .iter()
            .position(|&b| b == element_separator)
            .unwrap_or(self.bytes.len());
        let found = &self.bytes[..end];
        Tag::from_bytes(found).ok_or_else(|| EdifactError::InvalidTag {
            segment: self.index,
            offset: self.offset,
            found: String::from_utf8_lossy(&found[..found.len().min(16)]).into_owned(),
        })
    }
}

/// Splits an interchange into segments at unreleased terminators. Line breaks between
/// segments are skipped: many systems write one segment per line.
#[derive(Debug)]
pub(crate) struct Framer<'a> {
    input: &'a [u8],
    position: usize,
    terminator: u8,
    release: u8,
    max_segment_bytes: usize,
    segments: usize,
}

impl<'a> Framer<'a> {
    pub(crate) fn new(
        input: &'a [u8],
        start: usize,
        terminator: u8,
        release: u8,
        max_segment_bytes: usize,
    ) -> Self {
        Self {
            input,
            position: start,
            terminator,
            release,
            max_segment_bytes,
            segments: 0,
        }
    }

    /// How many segments have been handed out.
    pub(crate) fn segments(&self) -> usize {
        self.segments
    }
}

/// Bytes allowed between segments.
pub(crate) fn is_line_break(byte: u8) -> bool {
    byte == b'\r' || byte == b'\n'
}

impl<'a> Iterator for Framer<'a> {
    type Item = Result<RawSegment<'a>, EdifactError>;

    fn next(&mut self) -> Option<Self::Item> {
        while self
            .input
            .get(self.position)
            .is_some_and(|&b| is_line_break(b))
        {
            self.position += 1;
        }
        if self.position >= self.input.len() {
            return None;
        }
        let start = self.position;
        let index = self.segments + 1;
        // Never look further than one byte past the limit: finding no terminator there
        // is already the answer.
        let window_end = start
            .saturating_add(self.max_segment_bytes)
            .saturating_add(1)
            .min(self.input.len());
        let mut cursor = start;
        let mut end = None;
        while cursor < window_end {
            let byte = self.input[cursor];
            if byte == self.release {
                // The released byte is data whatever it is, the terminator included.
                cursor += 2;
            } else if byte == self.terminator {
                end = Some(cursor);
                break;
            } else {
                cursor += 1;
            }
        }
        // Whatever happens now, this segment is consumed; after an error the framer
        // stops.
        self.segments = index;
        let fault = match end {
            Some(end) if end - start <= self.max_segment_bytes => {
                self.position = end + 1;
                return Some(Ok(RawSegment {
                    index,
                    offset: start,
                    bytes: &self.input[start..end],
                }));
            }
            Some(_) => EdifactError::SegmentTooLarge {
                segment: index,
                offset: start,
                limit: self.max_segment_bytes,
            },
            None if window_end < self.input.len() || cursor - start > self.max_segment_bytes => {
                EdifactError::SegmentTooLarge {
                    segment: index,
                    offset: start,
                    limit: self.max_segment_bytes,
                }
            }
            None => EdifactError::Truncated {
                segment: index,
                offset: start,
            },
        };
        self.position = self.input.len();
        Some(Err(fault))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Index, offset and bytes of each segment.
    type Framed<'a> = Result<(usize, usize, &'a [u8]), EdifactError>;

    fn frame(input: &[u8], limit: usize) -> Vec<Framed<'_>> {
        Framer::new(input, 0, b'\'', b'?', limit)
            .map(|r| r.map(|s| (s.index, s.offset, s.bytes)))
            .collect()
    }

    #[test]
    fn splits_at_unreleased_terminators_and_skips_line_breaks() {
        assert_eq!(
            frame(b"AAA+1'\r\nBBB+x?'y'CCC'", 100),
            vec![
                Ok((1, 0, &b"AAA+1"[..])),
                Ok((2, 8, &b"BBB+x?'y"[..])),
                Ok((3, 17, &b"CCC"[..])),
            ]
        );
    }

    #[test]
    fn a_released_release_does_not_escape_the_terminator() {
        assert_eq!(
            frame(b"AAA+x??'BBB'", 100),
            vec![Ok((1, 0, &b"AAA+x??"[..])), Ok((2, 8, &b"BBB"[..]))]
        );
    }

    #[test]
    fn a_segment_of_exactly_the_limit_passes_and_one_more_byte_fails() {
        assert_eq!(frame(b"AAA+12'", 6), vec![Ok((1, 0, &b"AAA+12"[..]))]);
        assert_eq!(
            frame(b"AAA+123'", 6),
            vec![Err(EdifactError::SegmentTooLarge {
                segment: 1,
                offset: 0,
                limit: 6
            })]
        );
        // No terminator at all, and more input than the limit: too large, not truncated.
        assert_eq!(
            frame(b"AAA+1234567", 6),
            vec![Err(EdifactError::SegmentTooLarge {
                segment: 1,
                offset: 0,
                limit: 6
            })]
        );
    }

    #[test]
    fn input_ending_inside_a_segment_is_truncated() {
        assert_eq!(
            frame(b"AAA'BBB+1", 100),
            vec![
                Ok((1, 0, &b"AAA"[..])),
                Err(EdifactError::Truncated {
                    segment: 2,
                    offset: 4
                })
            ]
        );
        // A release character as the last byte escapes a byte that never came.
        assert_eq!(
            frame(b"AAA+?", 100),
            vec![Err(EdifactError::Truncated {
                segment: 1,
                offset: 0
            })]
        );
        assert_eq!(frame(b"\r\n", 100), vec![]);
    }
}
