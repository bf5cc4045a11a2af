//! An interchange as data: the service string advice, the `UNB` header, the messages
//! with their segments.
//!
//! The trailers are not stored. A `UNT` says how many segments its message has and
//! repeats the `UNH` reference; a `UNZ` says how many messages there are and repeats the
//! `UNB` control reference. Reading checks each of those against what it read; writing
//! computes them ([`Message::segment_count`], [`Interchange::message_count`]). Kept as
//! fields they could disagree with the content, and then there would be two truths.

use std::fmt;

use super::charset::Charset;

/// A segment tag: three capital ASCII letters (`NAD`). Stored inline, so a segment
/// costs no allocation for its tag.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Tag([u8; 3]);

impl Tag {
    pub const UNB: Tag = Tag::literal("UNB");
    pub const UNH: Tag = Tag::literal("UNH");
    pub const UNT: Tag = Tag::literal("UNT");
    pub const UNZ: Tag = Tag::literal("UNZ");

    /// The tag spelled by `text`, if it is three capital letters.
    pub fn new(text: &str) -> Option<Self> {
        Self::from_bytes(text.as_bytes())
    }

    pub(crate) fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let bytes: [u8; 3] = bytes.try_into().ok()?;
        bytes
            .iter()
            .all(u8::is_ascii_uppercase)
            .then_some(Self(bytes))
    }

    /// A tag written in the source: `const BGM: Tag = Tag::literal("BGM");`.
    ///
    /// # Panics
    ///
    /// When `text` is not three capital letters; in a `const` that is a compile error.
    pub const fn literal(text: &str) -> Self {
        let bytes = text.as_bytes();
        assert!(bytes.len() == 3, "a segment tag has three letters");
        let mut i = 0;
        while i < 3 {
            assert!(
                bytes[i].is_ascii_uppercase(),
                "a segment tag is capital letters"
            );
            i += 1;
        }
        Self([bytes[0], bytes[1], bytes[2]])
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("a tag is three ASCII letters, hence UTF-8")
    }

    pub(crate) fn as_bytes(&self) -> &[u8; 3] {
        &self.0
    }

    /// `UNB`, `UNH`, `UNT` and `UNZ` frame the interchange; one of them inside a
    /// message's content would break that frame.
    pub fn is_envelope(&self) -> bool {
        [Tag::UNB, Tag::UNH, Tag::UNT, Tag::UNZ].contains(self)
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Tag({})", self.as_str())
    }
}

/// One component: `None` when empty. `Some("")` is written as empty too and reads back
/// as `None`; the constructors below never make it.
pub type Component = Option<String>;

/// A data element: its components (one for a simple element), and, in a syntax version 4
/// interchange, further occurrences of it separated by the repetition separator.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Element {
    /// The components of the first occurrence. Reading always gives at least one.
    pub components: Vec<Component>,
    /// The second and later occurrences; empty unless the element repeats.
    pub repeats: Vec<Vec<Component>>,
}

impl Element {
    /// An element of the given components; empty strings become `None`.
    /// `Element::of(["CUSCAR", "D", "96B", "UN"])`.
    pub fn of<I, S>(components: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            components: components_of(components),
            repeats: Vec::new(),
        }
    }

    /// A simple (one-component) element.
    pub fn simple(value: impl Into<String>) -> Self {
        Self::of([value])
    }

    /// An element with nothing in it, to keep the position of the ones after it.
    pub fn empty() -> Self {
        Self {
            components: vec![None],
            repeats: Vec::new(),
        }
    }

    /// The element with one more occurrence.
    #[must_use]
    pub fn and_repeat<I, S>(mut self, components: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.repeats.push(components_of(components));
        self
    }

    /// Component `n`, counted from 1 as in the directories, of the first occurrence;
    /// `None` when absent or empty.
    pub fn component(&self, n: usize) -> Option<&str> {
        self.components.get(n.checked_sub(1)?)?.as_deref()
    }

    /// All occurrences, the first included.
    pub fn occurrences(&self) -> impl Iterator<Item = &[Component]> {
        std::iter::once(self.components.as_slice()).chain(self.repeats.iter().map(Vec::as_slice))
    }

    /// Whether no component of any occurrence has a value.
    pub fn is_empty(&self) -> bool {
        self.occurrences().flatten().all(Option::is_none)
    }
}

fn components_of<I, S>(components: I) -> Vec<Component>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    let components: Vec<Component> = components
        .into_iter()
        .map(|c| Some(c.into()).filter(|c: &String| !c.is_empty()))
        .collect();
    if components.is_empty() {
        vec![None]
    } else {
        components
    }
}

/// A segment: its tag and data elements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub tag: Tag,
    pub elements: Vec<Element>,
}

impl Segment {
    pub fn new(tag: Tag, elements: Vec<Element>) -> Self {
        Self { tag, elements }
    }

    /// Data element `n`, counted from 1 as in the directories.
    pub fn element(&self, n: usize) -> Option<&Element> {
        self.elements.get(n.checked_sub(1)?)
    }

    /// Component `component` of element `element`, both counted from 1; `None` when
    /// absent or empty.
    pub fn component(&self, element: usize, component: usize) -> Option<&str> {
        self.element(element)?.component(component)
    }
}

/// The service characters, as a `UNA` states them or as the defaults imply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ServiceChars {
    component: u8,
    element: u8,
    decimal: u8,
    release: u8,
    /// A space: not used (syntax versions 1 to 3 have no repetition).
    repetition: u8,
    terminator: u8,
}

impl ServiceChars {
    /// The defaults of syntax versions 1 to 3: `UNA:+.? '`.
    pub const DEFAULT: ServiceChars = ServiceChars {
        component: b':',
        element: b'+',
        decimal: b'.',
        release: b'?',
        repetition: b' ',
        terminator: b'\'',
    };

    /// The defaults of syntax version 4, which adds the repetition separator: `UNA:+.?*'`.
    pub const DEFAULT_V4: ServiceChars = ServiceChars {
        repetition: b'*',
        ..ServiceChars::DEFAULT
    };

    /// The defaults for an interchange without a `UNA`.
    pub fn defaults_for(version: SyntaxVersion) -> Self {
        match version {
            SyntaxVersion::V4 => Self::DEFAULT_V4,
            _ => Self::DEFAULT,
        }
    }

    /// Service characters in the order a `UNA` gives them. `repetition: None` is the
    /// space of versions 1 to 3. Each active separator, the release character and the
    /// terminator must be printable ASCII other than a letter or a digit (a tag could not
    /// be told from them otherwise) and differ from one another; the decimal mark, which
    /// a recipient ignores, may be any printable ASCII character or a space.
    pub fn new(
        component: char,
        element: char,
        decimal: char,
        release: char,
        repetition: Option<char>,
        terminator: char,
    ) -> Result<Self, super::EdifactError> {
        let byte = |c: char| u8::try_from(c).unwrap_or(0);
        Self::from_una([
            byte(component),
            byte(element),
            byte(decimal),
            byte(release),
            repetition.map_or(b' ', byte),
            byte(terminator),
        ])
    }

    /// The six bytes after `UNA`.
    pub(crate) fn from_una(bytes: [u8; 6]) -> Result<Self, super::EdifactError> {
        use super::EdifactError;
        use super::error::ShownByte;
        let [component, element, decimal, release, repetition, terminator] = bytes;
        if !(decimal.is_ascii_graphic() || decimal == b' ') {
            return Err(EdifactError::UnaCharacterNotAllowed {
                role: "decimal mark",
                byte: ShownByte(decimal),
            });
        }
        let chars = Self {
            component,
            element,
            decimal,
            release,
            repetition,
            terminator,
        };
        let active = chars.active();
        for (i, &(role, byte)) in active.iter().enumerate() {
            if !byte.is_ascii_graphic() || byte.is_ascii_alphanumeric() {
                return Err(EdifactError::UnaCharacterNotAllowed {
                    role,
                    byte: ShownByte(byte),
                });
            }
            if let Some(&(second, _)) = active[i + 1..].iter().find(|(_, other)| *other == byte) {
                return Err(EdifactError::UnaCharacterRepeated {
                    first: role,
                    second,
                    byte: ShownByte(byte),
                });
            }
        }
        Ok(chars)
    }

    /// The characters with a meaning to the syntax, in `UNA` order, with their names.
    fn active(&self) -> Vec<(&'static str, u8)> {
        let mut active = vec![
            ("component separator", self.component),
            ("element separator", self.element),
            ("release character", self.release),
        ];
        if let Some(repetition) = self.repetition() {
            active.push(("repetition separator", repetition as u8));
        }
        active.push(("segment terminator", self.terminator));
        active
    }

    /// The six bytes a `UNA` carries.
    pub(crate) fn una_bytes(&self) -> [u8; 6] {
        [
            self.component,
            self.element,
            self.decimal,
            self.release,
            self.repetition,
            self.terminator,
        ]
    }

    pub fn component(&self) -> char {
        char::from(self.component)
    }
    pub fn element(&self) -> char {
        char::from(self.element)
    }
    pub fn decimal(&self) -> char {
        char::from(self.decimal)
    }
    pub fn release(&self) -> char {
        char::from(self.release)
    }
    /// `None` when repetition is not used.
    pub fn repetition(&self) -> Option<char> {
        (self.repetition != b' ').then_some(char::from(self.repetition))
    }
    pub fn terminator(&self) -> char {
        char::from(self.terminator)
    }

    pub(crate) fn component_byte(&self) -> u8 {
        self.component
    }
    pub(crate) fn element_byte(&self) -> u8 {
        self.element
    }
    pub(crate) fn release_byte(&self) -> u8 {
        self.release
    }
    pub(crate) fn repetition_byte(&self) -> Option<u8> {
        (self.repetition != b' ').then_some(self.repetition)
    }
    pub(crate) fn terminator_byte(&self) -> u8 {
        self.terminator
    }

    /// Whether `character` must be preceded by the release character in a value.
    pub(crate) fn needs_release(&self, character: char) -> bool {
        u8::try_from(character).is_ok_and(|b| {
            b == self.component
                || b == self.element
                || b == self.release
                || b == self.terminator
                || Some(b) == self.repetition_byte()
        })
    }
}

impl Default for ServiceChars {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// The syntax version of S001 (data element 0002).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SyntaxVersion {
    V1,
    V2,
    V3,
    V4,
}

impl SyntaxVersion {
    pub fn from_digit(text: &str) -> Option<Self> {
        match text {
            "1" => Some(Self::V1),
            "2" => Some(Self::V2),
            "3" => Some(Self::V3),
            "4" => Some(Self::V4),
            _ => None,
        }
    }

    pub fn digit(self) -> &'static str {
        match self {
            Self::V1 => "1",
            Self::V2 => "2",
            Self::V3 => "3",
            Self::V4 => "4",
        }
    }
}

/// S001: the character set and syntax version, `UNOC:3`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxIdentifier {
    pub charset: Charset,
    pub version: SyntaxVersion,
    /// Data element 0080, service code list directory version number (version 4).
    pub service_code_list_version: Option<String>,
    /// Data element 0133, character encoding, coded (version 4).
    pub character_encoding: Option<String>,
}

impl SyntaxIdentifier {
    pub fn new(charset: Charset, version: SyntaxVersion) -> Self {
        Self {
            charset,
            version,
            service_code_list_version: None,
            character_encoding: None,
        }
    }
}

/// S002 or S003: the sender or the recipient of an interchange.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    /// Data element 0004 (sender) or 0010 (recipient).
    pub id: String,
    /// Data element 0007, identification code qualifier (`14` for a GLN, `ZZZ` mutually
    /// defined).
    pub qualifier: Option<String>,
    /// Data element 0008 / 0014: internal identification (version 4), address for
    /// reverse routing (versions 1 to 3).
    pub internal_id: Option<String>,
    /// Data element 0042 / 0046: internal sub-identification (version 4).
    pub internal_sub_id: Option<String>,
}

impl Party {
    pub fn new(id: impl Into<String>, qualifier: Option<&str>) -> Self {
        Self {
            id: id.into(),
            qualifier: qualifier.map(str::to_owned),
            internal_id: None,
            internal_sub_id: None,
        }
    }
}

/// S004: date and time of preparation, as digits: `YYMMDD` (versions 1 to 3) or
/// `CCYYMMDD` (version 4), and `HHMM`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preparation {
    pub date: String,
    pub time: String,
}

impl Preparation {
    pub fn new(date: impl Into<String>, time: impl Into<String>) -> Self {
        Self {
            date: date.into(),
            time: time.into(),
        }
    }
}

/// The `UNB` interchange header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterchangeHeader {
    pub syntax: SyntaxIdentifier,
    pub sender: Party,
    pub recipient: Party,
    pub prepared: Preparation,
    /// Data element 0020, repeated by the `UNZ`.
    pub control_reference: String,
    /// Elements 6 to 11 as read (recipient reference, application reference, processing
    /// priority, acknowledgement request, agreement identifier, test indicator); empty
    /// in most interchanges.
    pub further: Vec<Element>,
}

/// S009: what a message is, `CUSCAR:D:96B:UN`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageIdentifier {
    /// Data element 0065: `CUSCAR`, `CUSDEC`, `CUSRES`, `INVOIC`, …
    pub message_type: String,
    /// Data element 0052: `D`.
    pub version: String,
    /// Data element 0054: `96B`.
    pub release: String,
    /// Data element 0051: `UN`.
    pub agency: String,
    /// Data element 0057, association assigned code (an implementation guide).
    pub association_code: Option<String>,
    /// Data element 0110, code list directory version number (version 4).
    pub code_list_version: Option<String>,
    /// Data element 0113, message type sub-function identification (version 4).
    pub sub_function: Option<String>,
}

impl MessageIdentifier {
    pub fn new(
        message_type: impl Into<String>,
        version: impl Into<String>,
        release: impl Into<String>,
        agency: impl Into<String>,
    ) -> Self {
        Self {
            message_type: message_type.into(),
            version: version.into(),
            release: release.into(),
            agency: agency.into(),
            association_code: None,
            code_list_version: None,
            sub_function: None,
        }
    }
}

impl fmt::Display for MessageIdentifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}:{}",
            self.message_type, self.version, self.release, self.agency
        )?;
        if let Some(code) = &self.association_code {
            write!(f, ":{code}")?;
        }
        Ok(())
    }
}

/// One message: its `UNH` and the segments between it and its `UNT`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Data element 0062, message reference number, repeated by the `UNT`.
    pub reference: String,
    pub identifier: MessageIdentifier,
    /// `UNH` elements 3 to 7 as read (common access reference, status of the transfer,
    /// subset, guideline and scenario identification); usually empty.
    pub further: Vec<Element>,
    /// The content: everything between `UNH` and `UNT`, neither included.
    pub segments: Vec<Segment>,
}

impl Message {
    pub fn new(
        reference: impl Into<String>,
        identifier: MessageIdentifier,
        segments: Vec<Segment>,
    ) -> Self {
        Self {
            reference: reference.into(),
            identifier,
            further: Vec::new(),
            segments,
        }
    }

    /// What the `UNT` says: the segments from `UNH` to `UNT`, both included.
    pub fn segment_count(&self) -> usize {
        self.segments.len() + 2
    }
}

/// A whole interchange, `UNA` to `UNZ`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interchange {
    /// The `UNA` as written, or `None` when the interchange had none (and is written
    /// without one): then the defaults of its syntax version apply.
    pub una: Option<ServiceChars>,
    pub header: InterchangeHeader,
    pub messages: Vec<Message>,
}

impl Interchange {
    /// The service characters in force: the `UNA`'s, or the defaults.
    pub fn service_chars(&self) -> ServiceChars {
        self.una
            .unwrap_or_else(|| ServiceChars::defaults_for(self.header.syntax.version))
    }

    /// What the `UNZ` says.
    pub fn message_count(&self) -> usize {
        self.messages.len()
    }
}
