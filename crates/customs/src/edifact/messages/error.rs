//! What can go wrong between a message and a document, each fault with the place it lies.

use std::fmt;

use crate::documents::{DocumentType, Problem};
use crate::edifact::Tag;

/// Where in an interchange a mapping fault lies: the message (counted from 1 in the
/// interchange), and where it matters the segment (counted from 1 at the `UNH`, as the
/// `UNT` counts them and as CONTRL reports them), its tag, the data element (1 is the
/// first after the tag) and the component.
///
/// Displayed as `message 1, segment 12 (CST): element 2`. The first component of an
/// element is the element itself in the text, so a composite's leading value reads as
/// `element 2`, and only a later component is named: `element 4, component 2`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct At {
    pub message: usize,
    /// The segment's position and tag, when the fault is in one segment.
    pub segment: Option<(usize, Tag)>,
    pub element: Option<usize>,
    pub component: Option<usize>,
}

impl At {
    /// The message as a whole.
    pub fn message(message: usize) -> Self {
        Self {
            message,
            segment: None,
            element: None,
            component: None,
        }
    }

    /// Segment `segment` (the `UNH` is 1) of the message.
    #[must_use]
    pub fn segment(self, segment: usize, tag: Tag) -> Self {
        Self {
            segment: Some((segment, tag)),
            element: None,
            component: None,
            ..self
        }
    }

    /// Data element `element`, component `component` of the segment.
    #[must_use]
    pub fn value(self, element: usize, component: usize) -> Self {
        Self {
            element: Some(element),
            component: Some(component),
            ..self
        }
    }
}

impl fmt::Display for At {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "message {}", self.message)?;
        if let Some((segment, tag)) = self.segment {
            write!(f, ", segment {segment} ({tag})")?;
        }
        if let Some(element) = self.element {
            write!(f, ": element {element}")?;
            if let Some(component) = self.component.filter(|&c| c > 1) {
                write!(f, ", component {component}")?;
            }
        }
        Ok(())
    }
}

/// Why a message could not become a document, or a document a message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MappingError {
    #[error(
        "{at}: message type {found} has no mapping; the mapped types are CUSCAR, CUSDEC, \
         CUSRES and INVOIC"
    )]
    UnknownMessageType { at: At, found: String },

    #[error("{at}: expected a {expected} message, found {found}")]
    WrongMessageType {
        at: At,
        expected: &'static str,
        found: String,
    },

    #[error("{at}: {message_type} is mapped for directory D:96B:UN, not {found}")]
    WrongDirectory {
        at: At,
        message_type: String,
        found: String,
    },

    #[error("{at}: {what} is missing")]
    Missing { at: At, what: &'static str },

    #[error("{at}: {found:?} is not {expected}")]
    InvalidValue {
        at: At,
        found: String,
        expected: &'static str,
    },

    /// A value that is well formed but wrong, or two values that disagree.
    #[error("{at}: {reason}")]
    Invalid { at: At, reason: String },

    #[error("{at}: unknown qualifier {found:?}; this mapping reads {known}")]
    UnknownQualifier {
        at: At,
        found: String,
        known: &'static str,
    },

    #[error("{at}: the {message_type} mapping has no place for this segment")]
    UnmappedSegment { at: At, message_type: &'static str },

    #[error("{at}: cannot stand here; it belongs {belongs}")]
    Misplaced { at: At, belongs: &'static str },

    #[error("{at}: repeats {what}")]
    Repeated { at: At, what: &'static str },

    /// A value where the mapping reads none: accepting it would drop it unseen.
    #[error("{at}: holds {found:?}, which this mapping does not read")]
    Unread { at: At, found: String },

    #[error(
        "there is no UN/EDIFACT message for a document of type {0}; mapped are preliminary-information (CUSCAR), \
         single-invoice (INVOIC), sw-application (CUSDEC) and sw-decision (CUSRES)"
    )]
    NoMessage(DocumentType),

    /// The message mapped to a document that breaks one of the standard's rules.
    #[error("message {message}: {problem}")]
    InvalidDocument { message: usize, problem: Problem },
}
