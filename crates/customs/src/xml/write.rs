//! Writing a document: a serde serialiser that writes each value as an element named for
//! its field, straight into the output text.

use std::fmt::{self, Display};

use serde::Serialize;
use serde::ser::{self, Impossible};

use super::{NAMESPACE, VERSION, is_xml_char, names};
use crate::documents::Document;

pub(super) fn document(document: &Document) -> String {
    let root = names::root_element(document.document_type());
    let attributes = format!(r#" xmlns="{NAMESPACE}" version="{VERSION}""#);
    let mut out = String::with_capacity(8 * 1024);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let element = Element {
        out: &mut out,
        name: root.to_owned(),
        depth: 0,
        attributes: &attributes,
    };
    let written = match document {
        Document::SingleInvoice(d) => d.serialize(element),
        Document::PreliminaryInformation(d) => d.serialize(element),
        Document::CarrierRecord(d) => d.serialize(element),
        Document::CarrierEvent(d) => d.serialize(element),
        Document::OfficialLetter(d) => d.serialize(element),
        Document::LetterAcknowledgement(d) => d.serialize(element),
        Document::SwApplication(d) => d.serialize(element),
        Document::SwDecision(d) => d.serialize(element),
        Document::TradeStatistics(d) => d.serialize(element),
        Document::RiskProfile(d) => d.serialize(element),
        Document::RiskHit(d) => d.serialize(element),
    };
    if let Err(Unsupported(what)) = written {
        // Documents are built of structs, lists, options, enumerations, strings and
        // integers, which all have a form; the tests write every document type.
        unreachable!("a document holds {what}, which has no XML form");
    }
    out
}

/// A shape of data that no document has (a map, a tuple, bytes, data in an enumeration
/// that `names` does not list as a choice).
#[derive(Debug)]
pub(super) struct Unsupported(String);

impl Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unsupported {}

impl ser::Error for Unsupported {
    fn custom<T: Display>(msg: T) -> Self {
        Unsupported(msg.to_string())
    }
}

fn unsupported<T>(what: &str) -> Result<T, Unsupported> {
    Err(Unsupported(what.to_owned()))
}

/// Appends `text` as element content.
fn push_text(out: &mut String, text: &str) {
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            // Only `]]>` needs it, but always escaping is simpler than finding that.
            '>' => out.push_str("&gt;"),
            // A raw carriage return would be read back as a line feed (XML 1.0, 2.11).
            '\r' => out.push_str("&#13;"),
            ch if is_xml_char(ch) => out.push(ch),
            _ => out.push('\u{FFFD}'),
        }
    }
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}

/// The element a value is written as: its name, its depth (the root is 0) and, for the
/// root, its attributes.
struct Element<'o> {
    out: &'o mut String,
    name: String,
    depth: usize,
    attributes: &'o str,
}

impl<'o> Element<'o> {
    /// A child element of this one.
    fn child(out: &'o mut String, name: String, depth: usize) -> Element<'o> {
        Element {
            out,
            name,
            depth,
            attributes: "",
        }
    }

    fn leaf(self, text: &str) -> Result<(), Unsupported> {
        indent(self.out, self.depth);
        if text.is_empty() {
            self.out
                .push_str(&format!("<{}{}/>\n", self.name, self.attributes));
        } else {
            self.out
                .push_str(&format!("<{}{}>", self.name, self.attributes));
            push_text(self.out, text);
            self.out.push_str(&format!("</{}>\n", self.name));
        }
        Ok(())
    }

    /// Opens the element for children, which [`Open::close`] closes.
    fn open(self) -> Open<'o> {
        let start = self.out.len();
        indent(self.out, self.depth);
        self.out
            .push_str(&format!("<{}{}>\n", self.name, self.attributes));
        Open {
            content: self.out.len(),
            out: self.out,
            name: self.name,
            depth: self.depth,
            attributes: self.attributes,
            start,
        }
    }
}

/// An element whose children are being written.
struct Open<'o> {
    out: &'o mut String,
    name: String,
    depth: usize,
    attributes: &'o str,
    /// Where the start tag begins, and where the content begins.
    start: usize,
    content: usize,
}

impl<'o> Open<'o> {
    fn child(&mut self, name: String) -> Element<'_> {
        Element::child(self.out, name, self.depth + 1)
    }

    /// Writes the end tag, or turns an element with no children into `<name/>`.
    fn close(self) -> &'o mut String {
        if self.out.len() == self.content {
            self.out.truncate(self.start);
            indent(self.out, self.depth);
            self.out
                .push_str(&format!("<{}{}/>\n", self.name, self.attributes));
        } else {
            indent(self.out, self.depth);
            self.out.push_str(&format!("</{}>\n", self.name));
        }
        self.out
    }
}

/// The fields of a struct, or of a struct value of a choice (then inside its wrapper).
struct Fields<'o> {
    element: Open<'o>,
    /// The choice's element, closed after the value's.
    wrapper: Option<(String, usize)>,
}

impl Fields<'_> {
    fn field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        value.serialize(self.element.child(names::element_name(key)))
    }

    fn end(self) -> Result<(), Unsupported> {
        let out = self.element.close();
        if let Some((name, depth)) = self.wrapper {
            indent(out, depth);
            out.push_str(&format!("</{name}>\n"));
        }
        Ok(())
    }
}

impl ser::SerializeStruct for Fields<'_> {
    type Ok = ();
    type Error = Unsupported;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        self.field(key, value)
    }

    fn end(self) -> Result<(), Unsupported> {
        Fields::end(self)
    }
}

impl ser::SerializeStructVariant for Fields<'_> {
    type Ok = ();
    type Error = Unsupported;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        self.field(key, value)
    }

    fn end(self) -> Result<(), Unsupported> {
        Fields::end(self)
    }
}

/// The entries of a list.
struct Entries<'o> {
    element: Open<'o>,
    entry: &'static str,
}

impl ser::SerializeSeq for Entries<'_> {
    type Ok = ();
    type Error = Unsupported;

    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Unsupported> {
        value.serialize(self.element.child(self.entry.to_owned()))
    }

    fn end(self) -> Result<(), Unsupported> {
        self.element.close();
        Ok(())
    }
}

impl<'o> ser::Serializer for Element<'o> {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = Entries<'o>;
    type SerializeTuple = Impossible<(), Unsupported>;
    type SerializeTupleStruct = Impossible<(), Unsupported>;
    type SerializeTupleVariant = Impossible<(), Unsupported>;
    type SerializeMap = Impossible<(), Unsupported>;
    type SerializeStruct = Fields<'o>;
    type SerializeStructVariant = Fields<'o>;

    fn serialize_bool(self, v: bool) -> Result<(), Unsupported> {
        self.leaf(if v { "true" } else { "false" })
    }

    fn serialize_i8(self, v: i8) -> Result<(), Unsupported> {
        self.leaf(&v.to_string())
    }

    fn serialize_i16(self, v: i16) -> Result<(), Unsupported> {
        self.leaf(&v.to_string())
    }

    fn serialize_i32(self, v: i32) -> Result<(), Unsupported> {
        self.leaf(&v.to_string())
    }

    fn serialize_i64(self, v: i64) -> Result<(), Unsupported> {
        self.leaf(&v.to_string())
    }

    fn serialize_u8(self, v: u8) -> Result<(), Unsupported> {
        self.leaf(&v.to_string())
    }

    fn serialize_u16(self, v: u16) -> Result<(), Unsupported> {
        self.leaf(&v.to_string())
    }

    fn serialize_u32(self, v: u32) -> Result<(), Unsupported> {
        self.leaf(&v.to_string())
    }

    fn serialize_u64(self, v: u64) -> Result<(), Unsupported> {
        self.leaf(&v.to_string())
    }

    fn serialize_f32(self, _: f32) -> Result<(), Unsupported> {
        unsupported("a float")
    }

    fn serialize_f64(self, _: f64) -> Result<(), Unsupported> {
        unsupported("a float")
    }

    fn serialize_char(self, v: char) -> Result<(), Unsupported> {
        self.leaf(v.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(self, v: &str) -> Result<(), Unsupported> {
        self.leaf(v)
    }

    fn serialize_bytes(self, _: &[u8]) -> Result<(), Unsupported> {
        unsupported("bytes")
    }

    /// An absent optional field has no element.
    fn serialize_none(self) -> Result<(), Unsupported> {
        Ok(())
    }

    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), Unsupported> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Unsupported> {
        self.leaf("")
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Unsupported> {
        self.leaf("")
    }

    fn serialize_unit_variant(
        self,
        name: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Unsupported> {
        if names::is_choice(name) {
            let mut open = self.open();
            open.child(names::element_name(variant)).leaf("")?;
            open.close();
            Ok(())
        } else {
            self.leaf(variant)
        }
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        name: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        if !names::is_choice(name) {
            return unsupported(&format!("data in {name}, which is not listed as a choice"));
        }
        let mut open = self.open();
        value.serialize(open.child(names::element_name(variant)))?;
        open.close();
        Ok(())
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Entries<'o>, Unsupported> {
        let entry = names::entry_name(&self.name);
        Ok(Entries {
            element: self.open(),
            entry,
        })
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Unsupported> {
        unsupported("a tuple")
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Unsupported> {
        unsupported("a tuple struct")
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Unsupported> {
        unsupported("a tuple variant")
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Unsupported> {
        unsupported("a map")
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Fields<'o>, Unsupported> {
        Ok(Fields {
            element: self.open(),
            wrapper: None,
        })
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Fields<'o>, Unsupported> {
        if !names::is_choice(name) {
            return unsupported(&format!("data in {name}, which is not listed as a choice"));
        }
        let wrapper = (self.name.clone(), self.depth);
        let depth = self.depth + 1;
        let out = self.open().into_content();
        Ok(Fields {
            element: Element::child(out, names::element_name(variant), depth).open(),
            wrapper: Some(wrapper),
        })
    }
}

impl<'o> Open<'o> {
    /// The output, to write the content of an element whose end tag the caller writes.
    fn into_content(self) -> &'o mut String {
        self.out
    }
}
