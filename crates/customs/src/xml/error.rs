//! Why a document could not be read, each reason with where it was found.

/// A document refused by [`read`](super::read). Lines count from 1. Names and values
/// quoted from the input are cut to 64 characters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum XmlError {
    /// Refused before any byte was looked at.
    #[error("the document is {size} bytes; at most {limit} are accepted")]
    TooLarge { size: usize, limit: usize },

    #[error("the document is not UTF-8: byte {offset} starts no UTF-8 character")]
    NotUtf8 { offset: usize },

    #[error("line {line}: the XML declaration names encoding {declared:?}; documents are UTF-8")]
    Encoding { line: usize, declared: String },

    /// Refused whatever it declares: a DOCTYPE is where entities are declared, so without
    /// one no entity can expand (the billion laughs) or fetch a file or URL (external
    /// entities).
    #[error("line {line}: a DOCTYPE is not accepted; documents declare no entities")]
    Doctype { line: usize },

    #[error("line {line}: elements are nested deeper than {limit}")]
    TooDeep { line: usize, limit: usize },

    #[error("line {line}: a text node is longer than {limit} bytes")]
    TextTooLong { line: usize, limit: usize },

    #[error("line {line}: the document has more than {limit} elements")]
    TooManyElements { line: usize, limit: usize },

    /// Not well-formed XML 1.0, or XML that no document can be: text beside elements, text
    /// outside the root, an entity other than the five predefined ones.
    #[error("line {line}: {reason}")]
    Malformed { line: usize, reason: String },

    #[error(
        "line {line}: <{found}> is not a document of the standard; the root element is one of \
         {}",
        super::names::root_elements()
    )]
    UnknownRoot { line: usize, found: String },

    /// `found` is `None` for an element in no namespace.
    #[error(
        "line {line}: <{element}> is in {}; documents are in namespace {}",
        found.as_ref().map_or("no namespace".to_owned(), |ns| format!("namespace {ns}")),
        super::NAMESPACE
    )]
    WrongNamespace {
        line: usize,
        element: String,
        found: Option<String>,
    },

    /// `found` is `None` when the root has no `version` attribute.
    #[error(
        "line {line}: {}; this reader knows version {}",
        found.as_ref().map_or("the root element has no version attribute".to_owned(),
            |v| format!("version {v:?} is not supported")),
        super::VERSION
    )]
    UnsupportedVersion { line: usize, found: Option<String> },

    #[error(
        "line {line}: <{element}> has an attribute {attribute}, which the standard does not define"
    )]
    UnexpectedAttribute {
        line: usize,
        element: String,
        attribute: String,
    },

    /// Well-formed, but not a valid document: an element missing, unknown or out of order,
    /// or a value its field refuses.
    #[error("{path}: {reason} (line {line})")]
    Invalid {
        /// The elements from the root, entries of a list counted from 1:
        /// `SingleInvoice/lines/line[2]/hsCode`.
        path: String,
        /// The same place as a field path of the JSON form and of
        /// [`Problem`](crate::documents::Problem), entries counted from 0:
        /// `lines[1].hs_code`. Empty for the document as a whole.
        field: String,
        line: usize,
        reason: String,
    },
}
