//! Finding and removing elements of a payload by their path from the root, streaming,
//! with every byte outside the removed elements copied as it was.

use std::fmt;

use quick_xml::Reader;
use quick_xml::events::Event;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An element's path from the root by local names (`OfficialLetter/attachments/attachment`);
/// it matches every element at that path, whatever its namespace prefix.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ElementPath(Vec<String>);

/// A path that is empty or has an empty or spaced segment.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an element path (names separated by `/`)")]
pub struct InvalidPath(pub String);

impl ElementPath {
    pub fn parse(s: &str) -> Result<Self, InvalidPath> {
        let segments: Vec<String> = s.split('/').map(str::to_owned).collect();
        let ok = segments.iter().all(|seg| {
            !seg.is_empty() && !seg.contains(|c: char| c.is_whitespace() || "<>&\"'=".contains(c))
        });
        if ok {
            Ok(ElementPath(segments))
        } else {
            Err(InvalidPath(s.to_owned()))
        }
    }

    fn matches(&self, stack: &[Vec<u8>]) -> bool {
        self.0.len() == stack.len() && self.0.iter().zip(stack).all(|(a, b)| a.as_bytes() == b)
    }
}

impl fmt::Display for ElementPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join("/"))
    }
}

impl Serialize for ElementPath {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ElementPath {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        ElementPath::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// The payload is not XML the filter can walk.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum XmlFilterError {
    #[error("at byte {position}: {message}")]
    Syntax { position: u64, message: String },
    #[error("a DOCTYPE is not allowed (entities could hide elements from the policy)")]
    Doctype,
    #[error("element <{0}> is not closed")]
    Unclosed(String),
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// One step of the walk: an element that matched a path, with the byte range it covers.
struct Matched<'p> {
    path: &'p ElementPath,
    /// Where a whitespace-only text just before it began, or the element's `<`.
    cut_from: usize,
    end: usize,
}

/// Walks `xml`, calling `found` with each element (outermost only) at one of `paths`.
/// Stops early if `found` returns `false`.
fn walk<'p>(
    xml: &[u8],
    paths: &'p [ElementPath],
    mut found: impl FnMut(Matched<'p>) -> bool,
) -> Result<(), XmlFilterError> {
    // The reader drops a UTF-8 byte order mark without counting it in its positions, so
    // the walk starts after it and adds it back; a second mark would be dropped as well
    // and is not XML anyway.
    let base = if xml.starts_with(UTF8_BOM) {
        UTF8_BOM.len()
    } else {
        0
    };
    if xml[base..].starts_with(UTF8_BOM) {
        return Err(XmlFilterError::Syntax {
            position: base as u64,
            message: "a second byte order mark".to_owned(),
        });
    }
    let mut reader = Reader::from_reader(&xml[base..]);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Vec<u8>> = Vec::new();
    // The element being removed: its path, where its cut starts, and its depth.
    let mut open: Option<(&ElementPath, usize, usize)> = None;
    let mut whitespace_from: Option<usize> = None;
    loop {
        let at = |position: u64| base + usize::try_from(position).expect("positions fit memory");
        let start = at(reader.buffer_position());
        let event = reader.read_event().map_err(|e| XmlFilterError::Syntax {
            position: (base as u64) + reader.error_position(),
            message: e.to_string(),
        })?;
        let end = at(reader.buffer_position());
        let cut_from = whitespace_from.take().unwrap_or(start);
        match event {
            Event::Start(e) => {
                stack.push(e.local_name().as_ref().to_vec());
                if open.is_none()
                    && let Some(path) = paths.iter().find(|p| p.matches(&stack))
                {
                    open = Some((path, cut_from, stack.len()));
                }
            }
            Event::End(_) => {
                if let Some((path, cut_from, depth)) = open
                    && depth == stack.len()
                {
                    open = None;
                    if !found(Matched {
                        path,
                        cut_from,
                        end,
                    }) {
                        return Ok(());
                    }
                }
                stack.pop();
            }
            Event::Empty(e) => {
                stack.push(e.local_name().as_ref().to_vec());
                if open.is_none()
                    && let Some(path) = paths.iter().find(|p| p.matches(&stack))
                    && !found(Matched {
                        path,
                        cut_from,
                        end,
                    })
                {
                    return Ok(());
                }
                stack.pop();
            }
            Event::Text(t) if t.iter().all(u8::is_ascii_whitespace) => {
                whitespace_from = Some(start);
            }
            Event::DocType(_) => return Err(XmlFilterError::Doctype),
            Event::Eof => break,
            _ => {}
        }
    }
    match stack.last() {
        Some(name) => Err(XmlFilterError::Unclosed(
            String::from_utf8_lossy(name).into_owned(),
        )),
        None => Ok(()),
    }
}

/// `xml` without the elements at `paths` (each with the whitespace just before it).
pub fn remove(xml: &[u8], paths: &[ElementPath]) -> Result<Vec<u8>, XmlFilterError> {
    let mut out = Vec::with_capacity(xml.len());
    let mut copied_to = 0;
    walk(xml, paths, |m| {
        out.extend_from_slice(&xml[copied_to..m.cut_from]);
        copied_to = m.end;
        true
    })?;
    out.extend_from_slice(&xml[copied_to..]);
    Ok(out)
}

/// The first of `paths` that `xml` holds an element at.
pub fn find<'p>(
    xml: &[u8],
    paths: &'p [ElementPath],
) -> Result<Option<&'p ElementPath>, XmlFilterError> {
    let mut first = None;
    walk(xml, paths, |m| {
        first = Some(m.path);
        false
    })?;
    Ok(first)
}
