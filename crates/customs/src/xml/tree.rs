//! The text of a document into a tree of elements, read event by event with every limit
//! checked before the element or text it concerns is kept, and the root (its name,
//! namespace and version) checked as soon as its start tag is read. Names and most text
//! borrow from the input; only text with references or carriage returns is copied.

use std::borrow::Cow;

use quick_xml::NsReader;
use quick_xml::escape::{EscapeError, unescape};
use quick_xml::events::{BytesDecl, BytesStart, Event};
use quick_xml::name::ResolveResult;

use super::{
    Limits, NAMESPACE, VERSION, XmlError, is_xml_char, is_xml_whitespace, line_at, names, shown,
};
use crate::documents::DocumentType;

/// An element: its local name, where its start tag begins, and either its text or its
/// children (white space between children is dropped; other text beside them is refused).
#[derive(Debug)]
pub(super) struct Node<'a> {
    pub(super) name: &'a str,
    pub(super) offset: usize,
    pub(super) text: Cow<'a, str>,
    pub(super) children: Vec<Node<'a>>,
}

#[derive(Debug)]
pub(super) struct Tree<'a> {
    pub(super) document_type: DocumentType,
    pub(super) root: Node<'a>,
}

/// Reads `input` (the document without a byte order mark) into a tree.
pub(super) fn parse<'a>(input: &'a str, limits: &Limits) -> Result<Tree<'a>, XmlError> {
    let mut reader = NsReader::from_str(input);
    let config = reader.config_mut();
    config.expand_empty_elements = true;
    config.check_comments = true;
    config.check_end_names = true;
    config.trim_text(false);

    let malformed = |offset: usize, reason: String| XmlError::Malformed {
        line: line_at(input, offset),
        reason,
    };
    // The elements open from the root down, and the root once it is closed.
    let mut open: Vec<Node<'a>> = Vec::new();
    let mut root: Option<Node<'a>> = None;
    let mut document_type = None;
    let mut elements = 0usize;
    // The line of the current event, counted forward from the last one so that the whole
    // parse counts each line feed once (a line per event from the start would be
    // quadratic in the size of the document).
    let (mut counted_to, mut line_no) = (0usize, 1usize);
    loop {
        let offset = to_usize(reader.buffer_position());
        if let Some(between) = input.as_bytes().get(counted_to..offset) {
            line_no += between.iter().filter(|&&b| b == b'\n').count();
            counted_to = offset;
        }
        let line = || line_no;
        let (namespace, event) = match reader.read_resolved_event() {
            Ok(resolved) => resolved,
            Err(e) => return Err(malformed(to_usize(reader.error_position()), e.to_string())),
        };
        match event {
            Event::Decl(decl) => declaration(&decl, offset, line())?,
            Event::DocType(_) => return Err(XmlError::Doctype { line: line() }),
            Event::PI(_) | Event::Comment(_) => {}
            Event::Start(start) => {
                elements += 1;
                within_limits(elements, open.len(), limits, line())?;
                if root.is_some() {
                    return Err(malformed(offset, "a second root element".to_owned()));
                }
                let name = local_name(input, offset, &start)
                    .ok_or_else(|| malformed(offset, "a start tag without a name".to_owned()))?;
                in_namespace(&namespace, name, line())?;
                let is_root = open.is_empty();
                if is_root {
                    document_type =
                        Some(
                            names::document_type(name).ok_or_else(|| XmlError::UnknownRoot {
                                line: line(),
                                found: shown(name),
                            })?,
                        );
                }
                attributes(&start, name, is_root, line())?;
                if let Some(parent) = open.last_mut() {
                    if !is_xml_whitespace(&parent.text) {
                        return Err(mixed(parent, line()));
                    }
                    parent.text = Cow::Borrowed("");
                }
                open.push(Node {
                    name,
                    offset,
                    text: Cow::Borrowed(""),
                    children: Vec::new(),
                });
            }
            Event::End(_) => {
                let node = open
                    .pop()
                    .ok_or_else(|| malformed(offset, "an end tag with no start tag".to_owned()))?;
                match open.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => root = Some(node),
                }
            }
            Event::Text(text) => {
                let raw = utf8(text.into_inner()).ok_or_else(|| not_utf8(offset))?;
                add_text(open.last_mut(), raw, true, limits, line())?;
            }
            Event::CData(cdata) => {
                let raw = utf8(cdata.into_inner()).ok_or_else(|| not_utf8(offset))?;
                add_text(open.last_mut(), raw, false, limits, line())?;
            }
            Event::Empty(_) => {
                // `expand_empty_elements` reads `<a/>` as a start and an end tag.
                return Err(malformed(
                    offset,
                    "an empty-element tag read unexpanded".to_owned(),
                ));
            }
            Event::Eof => break,
        }
    }
    if let Some(unclosed) = open.last() {
        return Err(malformed(
            input.len(),
            format!("the document ends inside <{}>", shown(unclosed.name)),
        ));
    }
    match (document_type, root) {
        (Some(document_type), Some(root)) => Ok(Tree {
            document_type,
            root,
        }),
        _ => Err(malformed(0, "no root element".to_owned())),
    }
}

/// Refuses the `elements`-th element, opened at `depth`, beyond the limits.
fn within_limits(
    elements: usize,
    depth: usize,
    limits: &Limits,
    line: usize,
) -> Result<(), XmlError> {
    if elements > limits.max_elements {
        return Err(XmlError::TooManyElements {
            line,
            limit: limits.max_elements,
        });
    }
    if depth >= limits.max_depth {
        return Err(XmlError::TooDeep {
            line,
            limit: limits.max_depth,
        });
    }
    Ok(())
}

/// The bytes of a text event as text. They are a slice of the input, which is UTF-8, cut at
/// markup, which is ASCII; the check only keeps a broken assumption from panicking.
fn utf8(bytes: Cow<'_, [u8]>) -> Option<Cow<'_, str>> {
    match bytes {
        Cow::Borrowed(bytes) => std::str::from_utf8(bytes).ok().map(Cow::Borrowed),
        Cow::Owned(bytes) => String::from_utf8(bytes).ok().map(Cow::Owned),
    }
}

fn not_utf8(offset: usize) -> XmlError {
    XmlError::NotUtf8 { offset }
}

fn to_usize(position: u64) -> usize {
    usize::try_from(position).unwrap_or(usize::MAX)
}

/// The local name of the start tag at `offset`, borrowed from the input rather than from
/// the event, so that the tree can keep it.
fn local_name<'a>(input: &'a str, offset: usize, start: &BytesStart) -> Option<&'a str> {
    let length = start.name().as_ref().len();
    let qualified = input.get(offset + 1..offset + 1 + length)?;
    let local = qualified
        .rsplit_once(':')
        .map_or(qualified, |(_, local)| local);
    (!local.is_empty()).then_some(local)
}

fn declaration(decl: &BytesDecl, offset: usize, line: usize) -> Result<(), XmlError> {
    let malformed = |reason: String| XmlError::Malformed { line, reason };
    if offset != 0 {
        return Err(malformed(
            "an XML declaration anywhere but at the start".to_owned(),
        ));
    }
    let version = decl.version().map_err(|e| malformed(e.to_string()))?;
    if version.as_ref() != b"1.0" {
        return Err(malformed(format!(
            "XML version {}; documents are XML 1.0",
            shown(&String::from_utf8_lossy(&version))
        )));
    }
    if let Some(encoding) = decl.encoding() {
        let encoding = encoding.map_err(|e| malformed(e.to_string()))?;
        if !encoding.eq_ignore_ascii_case(b"utf-8") {
            return Err(XmlError::Encoding {
                line,
                declared: shown(&String::from_utf8_lossy(&encoding)),
            });
        }
    }
    Ok(())
}

fn in_namespace(namespace: &ResolveResult, name: &str, line: usize) -> Result<(), XmlError> {
    let found = match namespace {
        ResolveResult::Bound(ns) if ns.as_ref() == NAMESPACE.as_bytes() => return Ok(()),
        ResolveResult::Bound(ns) => Some(shown(&String::from_utf8_lossy(ns.as_ref()))),
        ResolveResult::Unbound => None,
        ResolveResult::Unknown(prefix) => {
            return Err(XmlError::Malformed {
                line,
                reason: format!(
                    "the prefix {} of <{}> is not declared",
                    shown(&String::from_utf8_lossy(prefix)),
                    shown(name)
                ),
            });
        }
    };
    Err(XmlError::WrongNamespace {
        line,
        element: shown(name),
        found,
    })
}

/// Checks the attributes of a start tag: namespace declarations anywhere, and `version`
/// on the root, which must be [`VERSION`].
fn attributes(start: &BytesStart, name: &str, is_root: bool, line: usize) -> Result<(), XmlError> {
    let malformed = |reason: String| XmlError::Malformed { line, reason };
    let mut version = None;
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|e| malformed(e.to_string()))?;
        if attribute.key.as_namespace_binding().is_some() {
            continue;
        }
        if is_root && attribute.key.as_ref() == b"version" {
            let value = attribute
                .unescape_value()
                .map_err(|e| malformed(e.to_string()))?;
            version = Some(value);
            continue;
        }
        return Err(XmlError::UnexpectedAttribute {
            line,
            element: shown(name),
            attribute: shown(&String::from_utf8_lossy(attribute.key.as_ref())),
        });
    }
    if is_root && version.as_deref() != Some(VERSION) {
        return Err(XmlError::UnsupportedVersion {
            line,
            found: version.as_deref().map(shown),
        });
    }
    Ok(())
}

fn mixed(node: &Node, line: usize) -> XmlError {
    XmlError::Malformed {
        line,
        reason: format!("<{}> holds both text and elements", shown(node.name)),
    }
}

/// Adds a text node (`escaped`) or CDATA section to the element being read, or refuses it.
fn add_text<'a>(
    node: Option<&mut Node<'a>>,
    raw: Cow<'a, str>,
    escaped: bool,
    limits: &Limits,
    line: usize,
) -> Result<(), XmlError> {
    let held = node.as_ref().map_or(0, |n| n.text.len());
    if raw.len().saturating_add(held) > limits.max_text_bytes {
        return Err(XmlError::TextTooLong {
            line,
            limit: limits.max_text_bytes,
        });
    }
    let malformed = |reason: String| XmlError::Malformed { line, reason };
    let Some(node) = node else {
        return if escaped && is_xml_whitespace(&raw) {
            Ok(())
        } else {
            Err(malformed("text outside the root element".to_owned()))
        };
    };
    let text = decode(raw, escaped).map_err(malformed)?;
    if !node.children.is_empty() {
        return if is_xml_whitespace(&text) {
            Ok(())
        } else {
            Err(mixed(node, line))
        };
    }
    if node.text.is_empty() {
        node.text = text;
    } else {
        node.text.to_mut().push_str(&text);
    }
    Ok(())
}

/// The characters of a text node or CDATA section: line ends normalised to line feeds
/// (XML 1.0, 2.11), then references resolved in a text node, then checked against the
/// characters XML 1.0 allows.
fn decode(raw: Cow<'_, str>, escaped: bool) -> Result<Cow<'_, str>, String> {
    let normalised = if raw.contains('\r') {
        Cow::Owned(raw.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        raw
    };
    let text = match (escaped, normalised) {
        (false, text) => text,
        (true, Cow::Borrowed(raw)) => unescape(raw).map_err(reference)?,
        (true, Cow::Owned(raw)) => Cow::Owned(unescape(&raw).map_err(reference)?.into_owned()),
    };
    match text.chars().find(|&ch| !is_xml_char(ch)) {
        Some(ch) => Err(format!(
            "U+{:04X} is not a character XML 1.0 allows",
            u32::from(ch)
        )),
        None => Ok(text),
    }
}

fn reference(e: EscapeError) -> String {
    match e {
        EscapeError::UnrecognizedEntity(_, name) => format!(
            "&{};: only the five predefined entities (&amp; &lt; &gt; &quot; &apos;) and \
             character references are accepted",
            shown(&name)
        ),
        EscapeError::UnterminatedEntity(_) => {
            "an & that begins no reference (write & as &amp;)".to_owned()
        }
        EscapeError::InvalidCharRef(e) => format!("a malformed character reference: {e}"),
    }
}
