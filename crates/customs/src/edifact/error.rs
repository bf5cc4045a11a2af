//! What can go wrong reading or writing an interchange, each fault with the place it happened.

use std::fmt;

use super::charset::Charset;
use super::model::Tag;

/// Where in an interchange a fault lies: the segment (counted from 1 at the `UNB`; a `UNA`
/// is not a segment), its tag, and, where it matters, the data element (1 is the first
/// element after the tag), the repetition of a repeating element (syntax version 4) and
/// the component (1 is the first component of a composite). Displayed as
/// `segment 4 (NAD): element 3, component 2`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub segment: usize,
    pub tag: Tag,
    pub element: Option<usize>,
    /// Only set when the element repeats, so the common case reads without it.
    pub repetition: Option<usize>,
    pub component: Option<usize>,
}

impl Position {
    /// The whole segment.
    pub fn segment(segment: usize, tag: Tag) -> Self {
        Self {
            segment,
            tag,
            element: None,
            repetition: None,
            component: None,
        }
    }

    /// Data element `element` of the segment.
    #[must_use]
    pub fn element(self, element: usize) -> Self {
        Self {
            element: Some(element),
            ..self
        }
    }

    /// Component `component` of the element.
    #[must_use]
    pub fn component(self, component: usize) -> Self {
        Self {
            component: Some(component),
            ..self
        }
    }

    /// Repetition `repetition` of the element.
    #[must_use]
    pub fn repetition(self, repetition: usize) -> Self {
        Self {
            repetition: Some(repetition),
            ..self
        }
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "segment {} ({})", self.segment, self.tag)?;
        if let Some(element) = self.element {
            write!(f, ": element {element}")?;
        }
        if let Some(repetition) = self.repetition {
            write!(f, ", repetition {repetition}")?;
        }
        if let Some(component) = self.component {
            write!(f, ", component {component}")?;
        }
        Ok(())
    }
}

/// A byte shown the way a reader of a hex dump would look for it: `0xE9`, and the
/// character as well when it is printable ASCII: `0x61 'a'`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShownByte(pub u8);

impl fmt::Display for ShownByte {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "0x{:02X}", self.0)?;
        if self.0.is_ascii_graphic() || self.0 == b' ' {
            write!(f, " {:?}", char::from(self.0))?;
        }
        Ok(())
    }
}

/// Why an interchange could not be read or written. Every variant names where: a byte
/// offset before segments exist, a [`Position`] after.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EdifactError {
    #[error("the interchange is {size} bytes, over the limit of {limit}")]
    InterchangeTooLarge { size: usize, limit: usize },

    #[error("segment {segment} (from byte {offset}) is longer than the limit of {limit} bytes")]
    SegmentTooLarge {
        segment: usize,
        offset: usize,
        limit: usize,
    },

    #[error("segment {segment} takes the interchange over the limit of {limit} data values")]
    TooManyValues { segment: usize, limit: usize },

    #[error("the input ends inside segment {segment} (from byte {offset}), before its terminator")]
    Truncated { segment: usize, offset: usize },

    #[error("the input ends after {segments} segments, before the {expected}")]
    Ended {
        segments: usize,
        expected: &'static str,
    },

    #[error("UNA: the service string advice needs 6 characters, the input has {found}")]
    UnaTruncated { found: usize },

    #[error(
        "UNA: the {role} {byte} is not a printable ASCII character other than a letter or digit"
    )]
    UnaCharacterNotAllowed { role: &'static str, byte: ShownByte },

    #[error("UNA: the {first} and the {second} are both {byte}")]
    UnaCharacterRepeated {
        first: &'static str,
        second: &'static str,
        byte: ShownByte,
    },

    #[error(
        "segment {segment} (from byte {offset}): {found:?} is not a segment tag of three capital letters"
    )]
    InvalidTag {
        segment: usize,
        offset: usize,
        found: String,
    },

    #[error("segment {segment} (from byte {offset}): {fault}")]
    Malformed {
        segment: usize,
        offset: usize,
        fault: SyntaxFault,
    },

    #[error(
        "{at}: unknown syntax identifier {found:?}; known are UNOA, UNOB, UNOC, UNOE, UNOW and UNOY"
    )]
    UnknownSyntaxIdentifier { at: Position, found: String },

    #[error("{at}: syntax version {found:?} is not 1, 2, 3 or 4")]
    UnknownSyntaxVersion { at: Position, found: String },

    #[error("{at}: byte {byte} is not in the {charset} character set")]
    ByteOutsideCharset {
        at: Position,
        byte: ShownByte,
        charset: Charset,
    },

    #[error("{at}: {character:?} cannot be written in the {charset} character set")]
    CharacterOutsideCharset {
        at: Position,
        character: char,
        charset: Charset,
    },

    #[error("{at} ({name}) is missing")]
    MissingElement { at: Position, name: &'static str },

    #[error("{at}: {found:?} is not {expected}")]
    InvalidValue {
        at: Position,
        found: String,
        expected: &'static str,
    },

    #[error("{at} is not defined for {}", at.tag)]
    Superfluous { at: Position },

    #[error("{at}: the element repeats, but the interchange has no repetition separator")]
    RepetitionWithoutSeparator { at: Position },

    #[error("{at}: expected {expected}")]
    UnexpectedSegment {
        at: Position,
        expected: &'static str,
    },

    #[error("{at}: a service segment cannot stand in a message's content")]
    ServiceSegmentInContent { at: Position },

    #[error("{at} says {declared} segments, the message has {actual}")]
    SegmentCountMismatch {
        at: Position,
        declared: u64,
        actual: usize,
    },

    #[error("{at} says message reference {declared:?}, the UNH says {expected:?}")]
    MessageReferenceMismatch {
        at: Position,
        declared: String,
        expected: String,
    },

    #[error("{at} says {declared} messages, the interchange has {actual}")]
    MessageCountMismatch {
        at: Position,
        declared: u64,
        actual: usize,
    },

    #[error("{at} says control reference {declared:?}, the UNB says {expected:?}")]
    ControlReferenceMismatch {
        at: Position,
        declared: String,
        expected: String,
    },
}

/// A fault inside one segment that the tokeniser found. The framing and the tag check
/// before it catch nearly everything, so these are the residue.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SyntaxFault {
    #[error("byte {byte} stands where a separator or terminator belongs")]
    UnexpectedByte { byte: ShownByte },
    #[error("a release character escapes nothing")]
    DanglingRelease,
    #[error("data stands where no element is open")]
    MisplacedData,
    #[error("the segment cannot be split into elements")]
    Unreadable,
}
