//! UN/EDIFACT for the national systems (syntax layer and message mappings).
//!
//! The syntax layer (ISO 9735) reads an interchange into an [`Interchange`] and writes
//! one back: the service string advice (`UNA`), the interchange header (`UNB`), each
//! message (`UNH` … `UNT`) and the trailer (`UNZ`); the character set the `UNB` declares
//! (`UNOA`, `UNOB`, `UNOC`, `UNOE`, `UNOW`, `UNOY`); the release character; the counts
//! and references the trailers repeat. Reading refuses, with the position, anything that
//! does not add up.
//!
//! It is reached through the [`EdifactSyntax`] trait, so that the library that splits
//! segments into elements ([`EdifactRsSyntax`]) can be replaced without touching the
//! mappings above it.
//!
//! # Layout
//! - `model`: the interchange as data ([`Interchange`], [`Message`], [`Segment`],
//!   [`Element`], [`ServiceChars`], the `UNB` and `UNH` parts).
//! - `charset`: the character sets ([`Charset`]), with the ISO 8859-5 table of `UNOE`.
//! - `framing`: where each segment ends, found on the raw bytes within the size limit.
//! - `envelope`: `UNB`, `UNH`, `UNT`, `UNZ` between their typed form and a [`Segment`].
//! - `read`, `write`: the two directions.
//! - `error`: [`EdifactError`], each variant with its [`Position`].
//! - [`messages`]: CUSCAR, INVOIC, CUSDEC and CUSRES (directory D.96B) to and from the documents.
//!
//! # Hostile input
//!
//! An interchange over [`Limits::max_interchange_bytes`] is refused before any byte is
//! looked at; a segment over [`Limits::max_segment_bytes`] when the search for its
//! terminator passes the limit, before it is decoded or split. Nothing panics on any
//! input. [`Limits::max_values`] bounds the model, which costs more memory than the
//! bytes it comes from (an empty element `+` becomes some 80 bytes of vectors).

mod charset;
mod envelope;
mod error;
mod framing;
pub mod messages;
mod model;
mod read;
mod write;

#[cfg(test)]
mod tests;

pub use charset::Charset;
pub use error::{EdifactError, Position, ShownByte, SyntaxFault};
pub use model::{
    Component, Element, Interchange, InterchangeHeader, Message, MessageIdentifier, Party,
    Preparation, Segment, ServiceChars, SyntaxIdentifier, SyntaxVersion, Tag,
};

/// How much an interchange may weigh before it is refused unread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The whole interchange, in bytes. Default 16 MiB.
    pub max_interchange_bytes: usize,
    /// One segment, in bytes, tag included, terminator excluded. Default 64 KiB, far
    /// above any segment a customs message carries.
    pub max_segment_bytes: usize,
    /// Data values (components, in every repetition) in the whole interchange. Default
    /// 2 Mi, about what 16 MiB of real messages hold at 8 bytes a value. It bounds
    /// the memory of the model: an empty value is one separator byte on the wire and
    /// dozens of bytes once read, so without it 16 MiB of `+` would take over a GiB.
    pub max_values: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_interchange_bytes: 16 * 1024 * 1024,
            max_segment_bytes: 64 * 1024,
            max_values: 2 * 1024 * 1024,
        }
    }
}

/// Reading and writing interchanges.
pub trait EdifactSyntax {
    /// Reads an interchange: its `UNB` decides how the bytes are decoded, and every
    /// envelope count and reference is checked.
    fn parse(&self, bytes: &[u8]) -> Result<Interchange, EdifactError>;

    /// Writes an interchange in the character set its `UNB` declares, with a `UNA` if it
    /// has one, computing the `UNT` and `UNZ` counts. Refuses what could not be read
    /// back: a character the set cannot hold, an empty mandatory value, a repeating
    /// element without a repetition separator, a service segment among the content.
    fn write(&self, interchange: &Interchange) -> Result<Vec<u8>, EdifactError>;
}

/// The syntax layer with the `edifact-rs` tokeniser splitting each segment into elements,
/// components and repetitions and resolving release characters. Framing, limits,
/// character sets, the envelope and writing are this module's own (each file says why).
#[derive(Debug, Clone, Copy, Default)]
pub struct EdifactRsSyntax {
    limits: Limits,
}

impl EdifactRsSyntax {
    pub fn new(limits: Limits) -> Self {
        Self { limits }
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }
}

impl EdifactSyntax for EdifactRsSyntax {
    fn parse(&self, bytes: &[u8]) -> Result<Interchange, EdifactError> {
        read::parse(bytes, &self.limits)
    }

    fn write(&self, interchange: &Interchange) -> Result<Vec<u8>, EdifactError> {
        write::write(interchange)
    }
}
