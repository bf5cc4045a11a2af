//! The service segments (`UNB`, `UNH`, `UNT`, `UNZ`) between their typed form and a
//! [`Segment`]. Reading uses `*_from_segment`; writing builds the segment and reads it
//! back through the same function, so the two sides cannot disagree on what is
//! mandatory.

use super::charset::Charset;
use super::error::{EdifactError, Position};
use super::model::{
    Element, InterchangeHeader, MessageIdentifier, Party, Preparation, Segment, SyntaxIdentifier,
    SyntaxVersion, Tag,
};

/// The components of one service segment, read with their positions.
struct Fields<'a> {
    segment: &'a Segment,
    at: Position,
}

impl<'a> Fields<'a> {
    /// Refuses elements past `shapes.len()` and, for each element with a shape, more
    /// components than it has, or a repetition. `None` leaves an element as read.
    fn new(
        segment: &'a Segment,
        index: usize,
        shapes: &[Option<usize>],
    ) -> Result<Self, EdifactError> {
        let at = Position::segment(index, segment.tag);
        if segment.elements.len() > shapes.len() {
            return Err(EdifactError::Superfluous {
                at: at.element(shapes.len() + 1),
            });
        }
        for (n, (element, shape)) in segment.elements.iter().zip(shapes).enumerate() {
            let Some(components) = *shape else { continue };
            if !element.repeats.is_empty() {
                return Err(EdifactError::Superfluous {
                    at: at.element(n + 1).repetition(2),
                });
            }
            if element.components.len() > components {
                return Err(EdifactError::Superfluous {
                    at: at.element(n + 1).component(components + 1),
                });
            }
        }
        Ok(Self { segment, at })
    }

    fn optional(&self, element: usize, component: usize) -> Option<String> {
        self.segment
            .component(element, component)
            .map(str::to_owned)
    }

    fn required(
        &self,
        element: usize,
        component: usize,
        name: &'static str,
    ) -> Result<String, EdifactError> {
        self.optional(element, component)
            .ok_or(EdifactError::MissingElement {
                at: self.position(element, component),
                name,
            })
    }

    /// A required value of digits only, of one of the given lengths.
    fn digits(
        &self,
        element: usize,
        component: usize,
        name: &'static str,
        lengths: &[usize],
        expected: &'static str,
    ) -> Result<String, EdifactError> {
        let value = self.required(element, component, name)?;
        if value.bytes().all(|b| b.is_ascii_digit()) && lengths.contains(&value.len()) {
            Ok(value)
        } else {
            Err(EdifactError::InvalidValue {
                at: self.position(element, component),
                found: value,
                expected,
            })
        }
    }

    fn count(
        &self,
        element: usize,
        name: &'static str,
        expected: &'static str,
    ) -> Result<u64, EdifactError> {
        let value = self.required(element, 1, name)?;
        crate::parse_digits(&value).ok_or(EdifactError::InvalidValue {
            at: self.position(element, 1),
            found: value,
            expected,
        })
    }

    /// Element `element`, and the component when the element is a composite.
    fn position(&self, element: usize, component: usize) -> Position {
        let at = self.at.element(element);
        match component {
            0 | 1 if !self.is_composite(element) => at,
            _ => at.component(component),
        }
    }

    /// Whether the directory gives the element more than one component; read off the
    /// segment, which is what a reader of the message sees.
    fn is_composite(&self, element: usize) -> bool {
        matches!(
            (self.segment.tag, element),
            (Tag::UNB, 1..=4) | (Tag::UNH, 2)
        )
    }

    fn further(&self, from: usize) -> Vec<Element> {
        self.segment
            .elements
            .iter()
            .skip(from - 1)
            .cloned()
            .collect()
    }
}

/// The character set and syntax version named by S001; shared by the first look at the
/// raw `UNB` (the bytes cannot be decoded before the set is known) and the reading of it.
pub(crate) fn syntax_of(
    identifier: Option<&str>,
    version: Option<&str>,
    unb: Position,
) -> Result<(Charset, SyntaxVersion), EdifactError> {
    let identifier_at = unb.element(1).component(1);
    let identifier = identifier.ok_or(EdifactError::MissingElement {
        at: identifier_at,
        name: "syntax identifier",
    })?;
    let charset = Charset::from_identifier(identifier).ok_or_else(|| {
        EdifactError::UnknownSyntaxIdentifier {
            at: identifier_at,
            found: identifier.to_owned(),
        }
    })?;
    let version_at = unb.element(1).component(2);
    let version = version.ok_or(EdifactError::MissingElement {
        at: version_at,
        name: "syntax version number",
    })?;
    let version =
        SyntaxVersion::from_digit(version).ok_or_else(|| EdifactError::UnknownSyntaxVersion {
            at: version_at,
            found: version.to_owned(),
        })?;
    Ok((charset, version))
}

pub(crate) fn header_from_segment(
    segment: &Segment,
    index: usize,
) -> Result<InterchangeHeader, EdifactError> {
    let fields = Fields::new(
        segment,
        index,
        &[
            Some(4),
            Some(4),
            Some(4),
            Some(2),
            Some(1),
            None,
            None,
            None,
            None,
            None,
            None,
        ],
    )?;
    let (charset, version) =
        syntax_of(segment.component(1, 1), segment.component(1, 2), fields.at)?;
    let party = |element: usize, name: &'static str| -> Result<Party, EdifactError> {
        Ok(Party {
            id: fields.required(element, 1, name)?,
            qualifier: fields.optional(element, 2),
            internal_id: fields.optional(element, 3),
            internal_sub_id: fields.optional(element, 4),
        })
    };
    Ok(InterchangeHeader {
        syntax: SyntaxIdentifier {
            charset,
            version,
            service_code_list_version: fields.optional(1, 3),
            character_encoding: fields.optional(1, 4),
        },
        sender: party(2, "interchange sender identification")?,
        recipient: party(3, "interchange recipient identification")?,
        prepared: Preparation {
            date: fields.digits(
                4,
                1,
                "date of preparation",
                &[6, 8],
                "a date of 6 or 8 digits",
            )?,
            time: fields.digits(4, 2, "time of preparation", &[4], "a time of 4 digits")?,
        },
        control_reference: fields.required(5, 1, "interchange control reference")?,
        further: fields.further(6),
    })
}

pub(crate) fn header_to_segment(header: &InterchangeHeader) -> Segment {
    let syntax = &header.syntax;
    let party = |p: &Party| {
        composite([
            Some(p.id.as_str()),
            p.qualifier.as_deref(),
            p.internal_id.as_deref(),
            p.internal_sub_id.as_deref(),
        ])
    };
    let mut elements = vec![
        composite([
            Some(syntax.charset.identifier()),
            Some(syntax.version.digit()),
            syntax.service_code_list_version.as_deref(),
            syntax.character_encoding.as_deref(),
        ]),
        party(&header.sender),
        party(&header.recipient),
        composite([
            Some(header.prepared.date.as_str()),
            Some(header.prepared.time.as_str()),
        ]),
        Element::simple(header.control_reference.as_str()),
    ];
    elements.extend(header.further.iter().cloned());
    Segment::new(Tag::UNB, elements)
}

/// A `UNH`: the message reference, the identifier and the elements after it.
pub(crate) fn unh_from_segment(
    segment: &Segment,
    index: usize,
) -> Result<(String, MessageIdentifier, Vec<Element>), EdifactError> {
    let fields = Fields::new(
        segment,
        index,
        &[Some(1), Some(7), None, None, None, None, None],
    )?;
    let reference = fields.required(1, 1, "message reference number")?;
    let identifier = MessageIdentifier {
        message_type: fields.required(2, 1, "message type")?,
        version: fields.required(2, 2, "message version number")?,
        release: fields.required(2, 3, "message release number")?,
        agency: fields.required(2, 4, "controlling agency")?,
        association_code: fields.optional(2, 5),
        code_list_version: fields.optional(2, 6),
        sub_function: fields.optional(2, 7),
    };
    Ok((reference, identifier, fields.further(3)))
}

pub(crate) fn unh_to_segment(
    reference: &str,
    identifier: &MessageIdentifier,
    further: &[Element],
) -> Segment {
    let mut elements = vec![
        Element::simple(reference),
        composite([
            Some(identifier.message_type.as_str()),
            Some(identifier.version.as_str()),
            Some(identifier.release.as_str()),
            Some(identifier.agency.as_str()),
            identifier.association_code.as_deref(),
            identifier.code_list_version.as_deref(),
            identifier.sub_function.as_deref(),
        ]),
    ];
    elements.extend(further.iter().cloned());
    Segment::new(Tag::UNH, elements)
}

/// A `UNT`: the segment count and the message reference.
pub(crate) fn unt_from_segment(
    segment: &Segment,
    index: usize,
) -> Result<(u64, String), EdifactError> {
    let fields = Fields::new(segment, index, &[Some(1), Some(1)])?;
    Ok((
        fields.count(
            1,
            "number of segments in the message",
            "a number of segments",
        )?,
        fields.required(2, 1, "message reference number")?,
    ))
}

/// A `UNZ`: the message count and the control reference.
pub(crate) fn unz_from_segment(
    segment: &Segment,
    index: usize,
) -> Result<(u64, String), EdifactError> {
    let fields = Fields::new(segment, index, &[Some(1), Some(1)])?;
    Ok((
        fields.count(1, "interchange control count", "a number of messages")?,
        fields.required(2, 1, "interchange control reference")?,
    ))
}

/// A trailer (`UNT` or `UNZ`): a count and a reference.
pub(crate) fn trailer_to_segment(tag: Tag, count: usize, reference: &str) -> Segment {
    Segment::new(
        tag,
        vec![
            Element::simple(count.to_string()),
            Element::simple(reference),
        ],
    )
}

/// A composite element without its trailing empty components, which ISO 9735 says to
/// leave out.
fn composite<const N: usize>(components: [Option<&str>; N]) -> Element {
    let mut components: Vec<Option<String>> = components
        .into_iter()
        .map(|c| c.filter(|c| !c.is_empty()).map(str::to_owned))
        .collect();
    while components.len() > 1 && components.last() == Some(&None) {
        components.pop();
    }
    Element {
        components,
        repeats: Vec::new(),
    }
}
