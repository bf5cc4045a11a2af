//! Building segments: values become components, empty values become empty components,
//! and what trails empty is left out, as ISO 9735 asks (`NAD+CZ++…`, never `LOC+5+:::`).

use crate::edifact::{Element, Message, MessageIdentifier, Segment, Tag};

use super::DIRECTORY;

/// A segment of the given elements, without its trailing empty elements.
pub(super) fn segment(tag: Tag, elements: Vec<Element>) -> Segment {
    let mut elements = elements;
    while elements.len() > 1 && elements.last().is_some_and(Element::is_empty) {
        elements.pop();
    }
    Segment::new(tag, elements)
}

/// A composite element of the given components (`""` for an empty one), without its
/// trailing empty components.
pub(super) fn composite<S: AsRef<str>>(components: &[S]) -> Element {
    let mut components: Vec<Option<String>> = components
        .iter()
        .map(|c| Some(c.as_ref().to_owned()).filter(|c| !c.is_empty()))
        .collect();
    while components.len() > 1 && components.last() == Some(&None) {
        components.pop();
    }
    if components.is_empty() {
        components.push(None);
    }
    Element {
        components,
        repeats: Vec::new(),
    }
}

/// A simple element.
pub(super) fn simple(value: &str) -> Element {
    composite(&[value])
}

/// An element left empty to keep the place of the ones after it.
pub(super) fn empty() -> Element {
    Element::empty()
}

/// `RFF+qualifier:number`.
pub(super) fn rff(qualifier: &str, number: &str) -> Segment {
    segment(super::RFF, vec![composite(&[qualifier, number])])
}

/// A message of the mapped directory.
pub(super) fn message(message_type: &str, segments: Vec<Segment>) -> Message {
    let (version, release, agency) = DIRECTORY;
    Message::new(
        "1",
        MessageIdentifier::new(message_type, version, release, agency),
        segments,
    )
}
