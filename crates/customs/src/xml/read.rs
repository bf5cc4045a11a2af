//! The tree into a typed document, through the documents' own serde implementations (so
//! every code, number and date is parsed by its type, as from JSON), with the elements in
//! the order the types declare them, none unknown and none repeated. An error carries the
//! path of the element it arose in, built on the way out.

use std::fmt::{self, Display, Write as _};

use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, Visitor};

use super::tree::{Node, Tree};
use super::{XmlError, is_xml_whitespace, line_at, names, shown};
use crate::documents::{
    CarrierEvent, CarrierRecord, Document, DocumentType, LetterAcknowledgement, OfficialLetter,
    PreliminaryInformation, RiskHit, RiskProfile, SingleInvoice, SwApplication, SwDecision,
    TradeStatistics,
};

pub(super) fn document(tree: &Tree, input: &str) -> Result<Document, XmlError> {
    match tree.document_type {
        DocumentType::SingleInvoice => typed::<SingleInvoice>(tree, input),
        DocumentType::PreliminaryInformation => typed::<PreliminaryInformation>(tree, input),
        DocumentType::CarrierRecord => typed::<CarrierRecord>(tree, input),
        DocumentType::CarrierEvent => typed::<CarrierEvent>(tree, input),
        DocumentType::OfficialLetter => typed::<OfficialLetter>(tree, input),
        DocumentType::LetterAcknowledgement => typed::<LetterAcknowledgement>(tree, input),
        DocumentType::SwApplication => typed::<SwApplication>(tree, input),
        DocumentType::SwDecision => typed::<SwDecision>(tree, input),
        DocumentType::TradeStatistics => typed::<TradeStatistics>(tree, input),
        DocumentType::RiskProfile => typed::<RiskProfile>(tree, input),
        DocumentType::RiskHit => typed::<RiskHit>(tree, input),
    }
}

fn typed<T: DeserializeOwned + Into<Document>>(
    tree: &Tree,
    input: &str,
) -> Result<Document, XmlError> {
    T::deserialize(NodeDe(&tree.root))
        .map(Into::into)
        .map_err(|e| e.into_xml_error(&tree.root, input))
}

/// One step of a field path: a field or variant name, or a list position.
#[derive(Debug)]
enum FieldStep {
    Name(&'static str),
    Index(usize),
}

/// A failure while deserialising, with the path from the element it arose in up to the
/// element being read, which grows as the error passes up through each element.
#[derive(Debug)]
pub(super) struct DeError {
    reason: String,
    /// Element steps, innermost first (`hsCode`, `line[2]`, `lines`).
    elements: Vec<String>,
    /// The same steps as a field path, innermost first.
    fields: Vec<FieldStep>,
    /// Where the element the error is about begins.
    offset: Option<usize>,
}

impl DeError {
    fn new(reason: impl Into<String>) -> DeError {
        DeError {
            reason: reason.into(),
            elements: Vec::new(),
            fields: Vec::new(),
            offset: None,
        }
    }

    /// The error is about the element at `offset`, unless an inner one was named already.
    fn at(mut self, offset: usize) -> DeError {
        self.offset.get_or_insert(offset);
        self
    }

    /// The error passes up out of `node`, reached from its parent by `field`.
    fn within(mut self, element: String, field: FieldStep, node: &Node) -> DeError {
        self.elements.push(element);
        self.fields.push(field);
        self.at(node.offset)
    }

    fn into_xml_error(self, root: &Node, input: &str) -> XmlError {
        let mut path = root.name.to_owned();
        for element in self.elements.iter().rev() {
            path.push('/');
            path.push_str(element);
        }
        let mut field = String::new();
        for step in self.fields.iter().rev() {
            match step {
                FieldStep::Name(name) => {
                    if !field.is_empty() {
                        field.push('.');
                    }
                    field.push_str(name);
                }
                // Writing to a String cannot fail.
                FieldStep::Index(index) => _ = write!(field, "[{index}]"),
            }
        }
        XmlError::Invalid {
            path,
            field,
            line: line_at(input, self.offset.unwrap_or(root.offset)),
            reason: self.reason,
        }
    }
}

impl Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: Display>(msg: T) -> Self {
        DeError::new(msg.to_string())
    }

    fn missing_field(field: &'static str) -> Self {
        DeError::new(format!(
            "the element <{}> is missing",
            names::element_name(field)
        ))
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        DeError::new(format!(
            "{:?} is not one of {}",
            shown(variant),
            expected.join(", ")
        ))
    }
}

/// Element names for a message: `<a>, <b>`.
fn element_list<'n>(names: impl IntoIterator<Item = &'n str>) -> String {
    names
        .into_iter()
        .map(|name| format!("<{}>", names::element_name(name)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Deserialises the value of one element.
#[derive(Clone, Copy)]
struct NodeDe<'n, 'a>(&'n Node<'a>);

impl<'n> NodeDe<'n, '_> {
    /// The text of an element that must hold text only.
    fn text(self) -> Result<&'n str, DeError> {
        match self.0.children.first() {
            Some(child) => Err(DeError::new(format!(
                "holds the element <{}> where text is expected",
                child.name
            ))
            .at(child.offset)),
            None => Ok(&self.0.text),
        }
    }

    /// Checks that an element that must hold elements holds no text.
    fn no_text(self) -> Result<(), DeError> {
        if is_xml_whitespace(&self.0.text) {
            Ok(())
        } else {
            Err(DeError::new(format!(
                "holds the text {:?} where elements are expected",
                shown(&self.0.text)
            )))
        }
    }

    /// A whole number up to `max`: digits only, with the white space around them that XSD
    /// integer types allow.
    fn unsigned(self, max: u64) -> Result<u64, DeError> {
        let text = self
            .text()?
            .trim_matches(|ch| matches!(ch, ' ' | '\t' | '\n' | '\r'));
        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DeError::new(format!(
                "{:?} is not a whole number",
                shown(text)
            )));
        }
        match text.parse::<u64>() {
            Ok(n) if n <= max => Ok(n),
            _ => Err(DeError::new(format!("{} is more than {max}", shown(text)))),
        }
    }

    fn signed(self, min: i64, max: i64) -> Result<i64, DeError> {
        let text = self
            .text()?
            .trim_matches(|ch| matches!(ch, ' ' | '\t' | '\n' | '\r'));
        match text.parse::<i64>() {
            Ok(n) if (min..=max).contains(&n) => Ok(n),
            _ => Err(DeError::new(format!(
                "{:?} is not a whole number from {min} to {max}",
                shown(text)
            ))),
        }
    }
}

macro_rules! unsigned {
    ($($method:ident: $t:ty),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
            visitor.visit_u64(self.unsigned(u64::from(<$t>::MAX))?)
        }
    )*};
}

macro_rules! signed {
    ($($method:ident: $t:ty),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
            visitor.visit_i64(self.signed(i64::from(<$t>::MIN), i64::from(<$t>::MAX))?)
        }
    )*};
}

macro_rules! no_xml_form {
    ($($method:ident: $what:literal),*) => {$(
        fn $method<V: Visitor<'de>>(self, _: V) -> Result<V::Value, DeError> {
            Err(DeError::new(concat!($what, " has no XML form")))
        }
    )*};
}

impl<'de> de::Deserializer<'de> for NodeDe<'_, '_> {
    type Error = DeError;

    unsigned!(deserialize_u8: u8, deserialize_u16: u16, deserialize_u32: u32, deserialize_u64: u64);
    signed!(deserialize_i8: i8, deserialize_i16: i16, deserialize_i32: i32, deserialize_i64: i64);
    no_xml_form!(
        deserialize_f32: "a float",
        deserialize_f64: "a float",
        deserialize_bytes: "bytes",
        deserialize_byte_buf: "bytes",
        deserialize_map: "a map"
    );

    /// Only what the documents' types never ask for reaches here; text is the one guess.
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_str(self.text()?)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.text()? {
            "true" => visitor.visit_bool(true),
            "false" => visitor.visit_bool(false),
            other => Err(DeError::new(format!(
                "{:?} is neither true nor false",
                shown(other)
            ))),
        }
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let text = self.text()?;
        let mut chars = text.chars();
        match (chars.next(), chars.next()) {
            (Some(ch), None) => visitor.visit_char(ch),
            _ => Err(DeError::new(format!(
                "{:?} is not one character",
                shown(text)
            ))),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_str(self.text()?)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_str(self.text()?)
    }

    /// An element that is there is a present value; an absent one never gets here (serde
    /// gives its field `None`).
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_some(self)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if self.text()?.is_empty() {
            visitor.visit_unit()
        } else {
            Err(DeError::new("must be empty"))
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.no_text()?;
        visitor.visit_seq(Entries {
            list: self.0,
            entry: names::entry_name(self.0.name),
            next: 0,
        })
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value, DeError> {
        Err(DeError::new("a tuple has no XML form"))
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        _: V,
    ) -> Result<V::Value, DeError> {
        Err(DeError::new("a tuple has no XML form"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.no_text()?;
        visitor.visit_map(Fields {
            parent: self.0,
            fields,
            next: 0,
            last: None,
            value: None,
        })
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        if !names::is_choice(name) {
            return visitor.visit_enum(self.text()?.into_deserializer());
        }
        self.no_text()?;
        let mut children = self.0.children.iter();
        let Some(child) = children.next() else {
            return Err(DeError::new(format!(
                "must hold one of {}",
                element_list(variants.iter().copied())
            )));
        };
        if let Some(extra) = children.next() {
            return Err(DeError::new(format!(
                "holds <{}> after <{}>; only one of {} is allowed",
                extra.name,
                child.name,
                element_list(variants.iter().copied())
            ))
            .at(extra.offset));
        }
        let Some(variant) = variants
            .iter()
            .find(|v| names::is_element_of(child.name, v))
        else {
            return Err(DeError::new(format!(
                "<{}> is not one of {}",
                shown(child.name),
                element_list(variants.iter().copied())
            ))
            .at(child.offset));
        };
        visitor.visit_enum(Choice { child, variant })
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_str(self.text()?)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }
}

/// The children of a struct's element, each the element of the next field.
struct Fields<'n, 'a> {
    parent: &'n Node<'a>,
    fields: &'static [&'static str],
    /// The next child to read.
    next: usize,
    /// The field of the last child read, which the next must come after.
    last: Option<usize>,
    /// The child whose key was given and whose value is asked for next.
    value: Option<(&'n Node<'a>, &'static str)>,
}

impl<'de> de::MapAccess<'de> for Fields<'_, '_> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        let Some(child) = self.parent.children.get(self.next) else {
            return Ok(None);
        };
        self.next += 1;
        let field = self
            .fields
            .iter()
            .position(|f| names::is_element_of(child.name, f));
        let after_last = self.last.map_or(0, |last| last + 1);
        let Some(field) = field else {
            let rest = self.fields.get(after_last..).unwrap_or_default();
            let expected = if rest.is_empty() {
                format!("nothing may follow <{}>", self.last_element())
            } else {
                format!("expected one of {}", element_list(rest.iter().copied()))
            };
            return Err(DeError::new(format!(
                "<{}> is not an element of <{}>; {expected}",
                shown(child.name),
                self.parent.name
            ))
            .at(child.offset));
        };
        if field < after_last {
            let reason = if Some(field) == self.last {
                format!("<{}> appears twice", child.name)
            } else {
                format!(
                    "<{}> must come before <{}>",
                    child.name,
                    self.last_element()
                )
            };
            return Err(DeError::new(reason).at(child.offset));
        }
        self.last = Some(field);
        let name = self.fields[field];
        self.value = Some((child, name));
        seed.deserialize(name.into_deserializer()).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let Some((child, field)) = self.value.take() else {
            return Err(DeError::new("a value was asked for before its field"));
        };
        seed.deserialize(NodeDe(child))
            .map_err(|e| e.within(child.name.to_owned(), FieldStep::Name(field), child))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.parent.children.len() - self.next)
    }
}

impl Fields<'_, '_> {
    fn last_element(&self) -> String {
        self.last
            .and_then(|last| self.fields.get(last))
            .map_or_else(String::new, |f| names::element_name(f))
    }
}

/// The children of a list's element, each an entry.
struct Entries<'n, 'a> {
    list: &'n Node<'a>,
    entry: &'static str,
    next: usize,
}

impl<'de> de::SeqAccess<'de> for Entries<'_, '_> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        let Some(child) = self.list.children.get(self.next) else {
            return Ok(None);
        };
        let index = self.next;
        self.next += 1;
        if child.name != self.entry {
            return Err(DeError::new(format!(
                "<{}> is not an entry of <{}>, whose entries are <{}>",
                shown(child.name),
                self.list.name,
                self.entry
            ))
            .at(child.offset));
        }
        seed.deserialize(NodeDe(child)).map(Some).map_err(|e| {
            e.within(
                format!("{}[{}]", self.entry, index + 1),
                FieldStep::Index(index),
                child,
            )
        })
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.list.children.len() - self.next)
    }
}

/// The one child element of a choice, and the variant it names.
struct Choice<'n, 'a> {
    child: &'n Node<'a>,
    variant: &'static str,
}

impl Choice<'_, '_> {
    fn within(&self, e: DeError) -> DeError {
        e.within(
            self.child.name.to_owned(),
            FieldStep::Name(self.variant),
            self.child,
        )
    }
}

impl<'de> de::EnumAccess<'de> for Choice<'_, '_> {
    type Error = DeError;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self), DeError> {
        let value = seed.deserialize(self.variant.into_deserializer())?;
        Ok((value, self))
    }
}

impl<'de> de::VariantAccess<'de> for Choice<'_, '_> {
    type Error = DeError;

    fn unit_variant(self) -> Result<(), DeError> {
        let empty = self.child.children.is_empty() && is_xml_whitespace(&self.child.text);
        if empty {
            Ok(())
        } else {
            Err(self.within(DeError::new("must be empty")))
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, DeError> {
        seed.deserialize(NodeDe(self.child))
            .map_err(|e| self.within(e))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value, DeError> {
        Err(self.within(DeError::new("a tuple has no XML form")))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        de::Deserializer::deserialize_struct(NodeDe(self.child), "", fields, visitor)
            .map_err(|e| self.within(e))
    }
}
