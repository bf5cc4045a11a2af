//! Reading a message: its identifier checked, its segments walked with their positions,
//! each segment's values taken one by one, and anything left unread refused.
//!
//! Refusing what is not read is the point: a value this mapping has no field for would
//! otherwise vanish between the partner's system and ours without anyone noticing.

use std::ops::RangeInclusive;

use crate::InvalidCode;
use crate::documents::Decimal;
use crate::edifact::{Message, Segment, Tag};

use super::error::{At, MappingError};
use super::{BGM, DIRECTORY, ORIGINAL};

pub(super) type Result<T> = std::result::Result<T, MappingError>;

/// What reads one message type: takes its segments one by one, then makes the document.
pub(super) trait SegmentReader {
    type Document;
    /// Takes one content segment; `fields` must be read to its last value.
    fn segment(&mut self, fields: &mut Fields<'_>, tag: Tag) -> Result<()>;
    /// The document, or what is missing from the message (`at`, the message as a whole).
    fn finish(self, at: At) -> Result<Self::Document>;
}

/// Message `number` of its interchange read as `message_type` by `reader`: the `UNH`
/// checked, then every content segment in turn, each read to its last value (a value left
/// unread is refused), then the document.
pub(super) fn read_message<R: SegmentReader>(
    message: &Message,
    number: usize,
    message_type: &'static str,
    mut reader: R,
) -> Result<R::Document> {
    let walk = Walk::new(message, number, message_type)?;
    for (at, segment) in walk.segments()? {
        let mut fields = Fields::new(segment, at);
        reader.segment(&mut fields, segment.tag)?;
        fields.finish()?;
    }
    reader.finish(walk.at())
}

/// A message to be read as `expected`, number `number` in its interchange.
#[derive(Debug, Clone, Copy)]
pub(super) struct Walk<'a> {
    message: &'a Message,
    number: usize,
}

impl<'a> Walk<'a> {
    /// Checks the `UNH` message identifier: the type, then the directory.
    pub(super) fn new(message: &'a Message, number: usize, expected: &'static str) -> Result<Self> {
        let id = &message.identifier;
        if id.message_type != expected {
            return Err(MappingError::WrongMessageType {
                at: At::message(number),
                expected,
                found: id.message_type.clone(),
            });
        }
        check_directory(message, number)?;
        Ok(Self { message, number })
    }

    /// The message as a whole, for what is missing from it.
    pub(super) fn at(&self) -> At {
        At::message(self.number)
    }

    /// The content segments with their positions, once the first is known to be the `BGM`.
    pub(super) fn segments(&self) -> Result<impl Iterator<Item = (At, &'a Segment)> + 'a> {
        let number = self.number;
        let at = move |index: usize, segment: &Segment| {
            At::message(number).segment(index + 2, segment.tag)
        };
        if self.message.segments.first().map(|s| s.tag) != Some(BGM) {
            let found = self
                .message
                .segments
                .iter()
                .enumerate()
                .find(|(_, s)| s.tag == BGM);
            return Err(match found {
                Some((index, segment)) => MappingError::Misplaced {
                    at: at(index, segment),
                    belongs: "first, right after the UNH",
                },
                None => MappingError::Missing {
                    at: self.at(),
                    what: "BGM (the beginning of the message)",
                },
            });
        }
        Ok(self
            .message
            .segments
            .iter()
            .enumerate()
            .map(move |(index, segment)| (at(index, segment), segment)))
    }
}

/// Whether the message is of directory D.96B, controlled by the UN.
pub(super) fn check_directory(message: &Message, number: usize) -> Result<()> {
    let id = &message.identifier;
    if (id.version.as_str(), id.release.as_str(), id.agency.as_str()) == DIRECTORY {
        Ok(())
    } else {
        Err(MappingError::WrongDirectory {
            at: At::message(number),
            message_type: id.message_type.clone(),
            found: format!("{}:{}:{}", id.version, id.release, id.agency),
        })
    }
}

/// One segment's values, taken by element and component (both from 1); [`Fields::finish`]
/// refuses any value that was not taken.
#[derive(Debug)]
pub(super) struct Fields<'a> {
    segment: &'a Segment,
    at: At,
    taken: Vec<(usize, usize)>,
}

impl<'a> Fields<'a> {
    pub(super) fn new(segment: &'a Segment, at: At) -> Self {
        Self {
            segment,
            at,
            taken: Vec::new(),
        }
    }

    /// The segment.
    pub(super) fn at(&self) -> At {
        self.at
    }

    /// One value of the segment.
    pub(super) fn value_at(&self, element: usize, component: usize) -> At {
        self.at.value(element, component)
    }

    /// The value, if there is one.
    pub(super) fn get(&mut self, element: usize, component: usize) -> Option<&'a str> {
        self.taken.push((element, component));
        self.segment.component(element, component)
    }

    pub(super) fn require(
        &mut self,
        element: usize,
        component: usize,
        what: &'static str,
    ) -> Result<&'a str> {
        self.get(element, component).ok_or(MappingError::Missing {
            at: self.value_at(element, component),
            what,
        })
    }

    /// The value parsed, if there is one.
    pub(super) fn parse<T>(
        &mut self,
        element: usize,
        component: usize,
        parse: impl FnOnce(&str) -> std::result::Result<T, InvalidCode>,
    ) -> Result<Option<T>> {
        let at = self.value_at(element, component);
        self.get(element, component)
            .map(|value| {
                parse(value).map_err(|e| MappingError::InvalidValue {
                    at,
                    found: value.to_owned(),
                    expected: e.list,
                })
            })
            .transpose()
    }

    pub(super) fn parse_required<T>(
        &mut self,
        element: usize,
        component: usize,
        what: &'static str,
        parse: impl FnOnce(&str) -> std::result::Result<T, InvalidCode>,
    ) -> Result<T> {
        self.parse(element, component, parse)?
            .ok_or(MappingError::Missing {
                at: self.value_at(element, component),
                what,
            })
    }

    /// A code from a closed list, if there is one.
    pub(super) fn code(
        &mut self,
        element: usize,
        component: usize,
        allowed: &[&str],
        known: &'static str,
    ) -> Result<Option<&'a str>> {
        let at = self.value_at(element, component);
        match self.get(element, component) {
            Some(code) if !allowed.contains(&code) => Err(MappingError::UnknownQualifier {
                at,
                found: code.to_owned(),
                known,
            }),
            code => Ok(code),
        }
    }

    /// A qualifier that must be there and be one of `allowed`.
    pub(super) fn qualifier(
        &mut self,
        element: usize,
        component: usize,
        allowed: &[&str],
        known: &'static str,
    ) -> Result<&'a str> {
        self.code(element, component, allowed, known)?
            .ok_or(MappingError::Missing {
                at: self.value_at(element, component),
                what: "the qualifier",
            })
    }

    /// The values of components `components` of `element` run together, or `None` when
    /// all are empty.
    pub(super) fn joined(
        &mut self,
        element: usize,
        components: RangeInclusive<usize>,
    ) -> Option<String> {
        let joined: String = components
            .filter_map(|component| self.get(element, component))
            .collect();
        Some(joined).filter(|j| !j.is_empty())
    }

    /// Every value of `element`, in order, empty ones left out.
    pub(super) fn all(&mut self, element: usize) -> Vec<&'a str> {
        let count = self
            .segment
            .element(element)
            .map_or(0, |e| e.components.len());
        (1..=count)
            .filter_map(|component| self.get(element, component))
            .collect()
    }

    /// A number. ISO 9735 allows a comma as the decimal mark as well as a point.
    pub(super) fn decimal(
        &mut self,
        element: usize,
        component: usize,
        what: &'static str,
    ) -> Result<Decimal> {
        self.parse_required(element, component, what, |value| {
            Decimal::parse(&value.replace(',', ".")).map_err(|e| InvalidCode {
                value: value.to_owned(),
                ..e
            })
        })
    }

    /// A count of things: digits only.
    pub(super) fn count<T: std::str::FromStr>(
        &mut self,
        element: usize,
        component: usize,
        what: &'static str,
    ) -> Result<T> {
        self.parse_required(element, component, what, |value| {
            crate::parse_digits(value).ok_or_else(|| InvalidCode {
                value: value.to_owned(),
                list: "a whole number within range",
            })
        })
    }

    /// Refuses the segment if it holds a value that was not taken.
    pub(super) fn finish(self) -> Result<()> {
        for (e, element) in self.segment.elements.iter().enumerate() {
            let unread = element
                .components
                .iter()
                .enumerate()
                .filter(|(c, _)| !self.taken.contains(&(e + 1, c + 1)))
                .chain(element.repeats.iter().flat_map(|r| r.iter().enumerate()))
                .find_map(|(c, value)| value.as_ref().map(|v| (c, v)));
            if let Some((c, value)) = unread {
                return Err(MappingError::Unread {
                    at: self.at.value(e + 1, c + 1),
                    found: value.clone(),
                });
            }
        }
        Ok(())
    }
}

/// A field that a message gives once: set once, or refused as repeated; taken, or
/// refused as missing.
#[derive(Debug)]
pub(super) struct Slot<T> {
    what: &'static str,
    value: Option<T>,
}

impl<T> Slot<T> {
    pub(super) fn new(what: &'static str) -> Self {
        Self { what, value: None }
    }

    /// Sets the value read at `at`.
    pub(super) fn set(&mut self, at: At, value: T) -> Result<()> {
        if self.value.is_some() {
            return Err(MappingError::Repeated {
                at,
                what: self.what,
            });
        }
        self.value = Some(value);
        Ok(())
    }

    /// The value, or a refusal at `at`, where it should have been.
    pub(super) fn take(self, at: At) -> Result<T> {
        self.value.ok_or(MappingError::Missing {
            at,
            what: self.what,
        })
    }

    pub(super) fn into_option(self) -> Option<T> {
        self.value
    }
}

/// The `BGM` message function (1225): only an original is read; a replacement or a
/// cancellation would mean something the document cannot say.
pub(super) fn original(fields: &mut Fields<'_>) -> Result<()> {
    fields.code(3, 1, &[ORIGINAL], "9 (original)")?;
    Ok(())
}
