//! `sis-signaling convert` and `sis-signaling validate`: the documents of the common data
//! standard between the forms national systems use (UN/EDIFACT, XML) and the node's JSON,
//! for integrators who test their exports without a running node.
//!
//! Both commands read the whole input first (at most [`MAX_INPUT_BYTES`]), read every
//! document in it, and run [`validate`] on each, so that every problem is reported at
//! once, one per line, before anything is written: a conversion writes either the whole
//! output or nothing.

use std::io::Read;

use sis_customs::documents::{Document, DocumentType, validate};
use sis_customs::edifact::messages::{
    Envelope, document_to_interchange, interchange_to_valid_documents,
};
use sis_customs::edifact::{
    Charset, EdifactError, EdifactRsSyntax, EdifactSyntax, Limits, Party, Preparation,
};
use sis_customs::xml;

/// The most a command reads. The readers have the same limit, but a limit on what is read
/// from a pipe keeps a runaway producer from filling memory before they see it.
pub const MAX_INPUT_BYTES: usize = 16 * 1024 * 1024;

/// A form a document is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Form {
    /// A UN/EDIFACT interchange (directory D.96B): CUSCAR, INVOIC, CUSDEC, CUSRES.
    Edifact,
    /// The XML form, one document per file (`urn:carec:sis:2026`).
    Xml,
    /// The node's JSON: `{"single-invoice": {…}}`, or an array of such.
    Json,
}

impl Form {
    /// The form of `input` by its first characters: `UNA`/`UNB`, `<`, `{` or `[`.
    pub fn sniff(input: &[u8]) -> Option<Form> {
        let text = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
        let start = text.iter().position(|b| !b.is_ascii_whitespace())?;
        let text = &text[start..];
        if text.starts_with(b"UNA") || text.starts_with(b"UNB") {
            Some(Form::Edifact)
        } else if text.starts_with(b"<") {
            Some(Form::Xml)
        } else if text.starts_with(b"{") || text.starts_with(b"[") {
            Some(Form::Json)
        } else {
            None
        }
    }
}

/// What an interchange needs beyond its documents.
#[derive(Debug, Clone)]
pub struct EdifactOptions {
    /// `None`: the first of UNOC, UNOE, UNOW that holds every character.
    pub charset: Option<Charset>,
    pub sender: String,
    pub recipient: String,
    /// `UNB` 0020; the preparation time (`YYMMDDHHMMSS`) when `None`.
    pub control_reference: Option<String>,
}

/// Reads at most [`MAX_INPUT_BYTES`] from `reader`; more is an error.
pub fn read_input(reader: &mut impl Read) -> Result<Vec<u8>, Vec<String>> {
    let mut input = Vec::new();
    let limit = u64::try_from(MAX_INPUT_BYTES).unwrap_or(u64::MAX) + 1;
    reader
        .take(limit)
        .read_to_end(&mut input)
        .map_err(|e| vec![format!("input: cannot be read: {e}")])?;
    if input.len() > MAX_INPUT_BYTES {
        return Err(vec![format!(
            "input: over the limit of {MAX_INPUT_BYTES} bytes"
        )]);
    }
    Ok(input)
}

/// Every document of `input`, read as `from` (sniffed when `None`) and validated, or every
/// problem found. With `expected`, a document of another type is a problem too.
pub fn read_documents(
    input: &[u8],
    from: Option<Form>,
    expected: Option<DocumentType>,
) -> Result<Vec<Document>, Vec<String>> {
    let form = match from.or_else(|| Form::sniff(input)) {
        Some(form) => form,
        None => {
            return Err(vec![
                "input: neither UN/EDIFACT (UNA or UNB), XML (<) nor JSON ({ or [); say which \
                 with --from"
                    .to_owned(),
            ]);
        }
    };
    let documents = match form {
        Form::Edifact => read_edifact(input)?,
        Form::Xml => vec![xml::read(input).map_err(|e| vec![one_line(&e.to_string())])?],
        Form::Json => read_json(input)?,
    };
    let mut problems = Vec::new();
    let many = documents.len() > 1;
    for (index, document) in documents.iter().enumerate() {
        // An interchange's messages are counted in its own faults; JSON arrays here.
        let prefix = if many && form != Form::Edifact {
            format!("document {}: ", index + 1)
        } else {
            String::new()
        };
        if let Some(expected) = expected
            && document.document_type() != expected
        {
            problems.push(format!(
                "{prefix}the input is of type {}, not {expected} as --type says",
                document.document_type()
            ));
            continue;
        }
        // EDIFACT documents were validated with their message numbers.
        if form != Form::Edifact
            && let Err(found) = validate(document)
        {
            problems.extend(
                found
                    .iter()
                    .map(|p| format!("{prefix}{}", one_line(&p.to_string()))),
            );
        }
    }
    if problems.is_empty() {
        Ok(documents)
    } else {
        Err(problems)
    }
}

fn read_edifact(input: &[u8]) -> Result<Vec<Document>, Vec<String>> {
    let syntax = EdifactRsSyntax::new(Limits {
        max_interchange_bytes: MAX_INPUT_BYTES,
        ..Limits::default()
    });
    let interchange = syntax
        .parse(input)
        .map_err(|e| vec![one_line(&e.to_string())])?;
    interchange_to_valid_documents(&interchange)
        .map_err(|faults| faults.iter().map(|f| one_line(&f.to_string())).collect())
}

fn read_json(input: &[u8]) -> Result<Vec<Document>, Vec<String>> {
    let text = std::str::from_utf8(input)
        .map_err(|e| vec![format!("input: not UTF-8 at byte {}", e.valid_up_to())])?;
    let many = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('[');
    let text = text.trim_start_matches('\u{feff}');
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let documents = if many {
        sis_customs::documents::decode::<Vec<Document>, _>(&mut deserializer)
    } else {
        sis_customs::documents::decode::<Document, _>(&mut deserializer).map(|d| vec![d])
    }
    .map_err(|p| vec![one_line(&p.to_string())])?;
    deserializer
        .end()
        .map_err(|e| vec![format!("input: after the document: {e}")])?;
    Ok(documents)
}

/// `documents` written as `to`.
pub fn write_documents(
    documents: &[Document],
    to: Form,
    edifact: &EdifactOptions,
) -> Result<Vec<u8>, Vec<String>> {
    match to {
        Form::Xml => match documents {
            [document] => Ok(xml::write(document).into_bytes()),
            _ => Err(vec![format!(
                "input: holds {} documents; an XML file holds one (convert to json or edifact \
                 for several)",
                documents.len()
            )]),
        },
        Form::Json => {
            let mut out = match documents {
                [document] => serde_json::to_vec_pretty(document),
                _ => serde_json::to_vec_pretty(documents),
            }
            .map_err(|e| vec![format!("output: {e}")])?;
            out.push(b'\n');
            Ok(out)
        }
        Form::Edifact => write_edifact(documents, edifact),
    }
}

fn write_edifact(documents: &[Document], options: &EdifactOptions) -> Result<Vec<u8>, Vec<String>> {
    let now = time::OffsetDateTime::now_utc();
    let candidates = match options.charset {
        Some(charset) => vec![charset],
        None => vec![Charset::UnoC, Charset::UnoE, Charset::UnoW],
    };
    let control = options.control_reference.clone().unwrap_or_else(|| {
        format!(
            "{:02}{:02}{:02}{:02}{:02}{:02}",
            now.year() % 100,
            u8::from(now.month()),
            now.day(),
            now.hour(),
            now.minute(),
            now.second()
        )
    });
    let mut last = None;
    for charset in candidates {
        // Syntax version 4 (UNOW, UNOY) dates the interchange CCYYMMDD, version 3 YYMMDD.
        let date = match charset {
            Charset::UnoW | Charset::UnoY => {
                format!(
                    "{:04}{:02}{:02}",
                    now.year(),
                    u8::from(now.month()),
                    now.day()
                )
            }
            _ => format!(
                "{:02}{:02}{:02}",
                now.year() % 100,
                u8::from(now.month()),
                now.day()
            ),
        };
        let envelope = Envelope::new(
            charset,
            Party::new(options.sender.clone(), None),
            Party::new(options.recipient.clone(), None),
            Preparation::new(date, format!("{:02}{:02}", now.hour(), now.minute())),
            control.clone(),
        );
        let mut interchange = None;
        for (index, document) in documents.iter().enumerate() {
            let mut one = document_to_interchange(document, &envelope)
                .map_err(|e| vec![one_line(&e.to_string())])?;
            match interchange.as_mut() {
                None => interchange = Some(one),
                Some(whole) => {
                    let mut message = one.messages.remove(0);
                    message.reference = (index + 1).to_string();
                    whole.messages.push(message);
                }
            }
        }
        let Some(interchange) = interchange else {
            return Err(vec!["input: holds no document".to_owned()]);
        };
        match EdifactRsSyntax::default().write(&interchange) {
            Ok(bytes) => return Ok(bytes),
            Err(e @ EdifactError::CharacterOutsideCharset { .. }) => last = Some(e),
            Err(e) => return Err(vec![one_line(&e.to_string())]),
        }
    }
    Err(vec![one_line(
        &last.map_or_else(String::new, |e| e.to_string()),
    )])
}

/// A message on one line: the commands print one problem a line.
fn one_line(message: &str) -> String {
    message.replace(['\r', '\n'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_are_told_by_their_first_characters() {
        assert_eq!(Form::sniff(b"UNA:+.? 'UNB+"), Some(Form::Edifact));
        assert_eq!(Form::sniff(b"\r\nUNB+UNOC:3+"), Some(Form::Edifact));
        assert_eq!(Form::sniff(b"\xEF\xBB\xBF<?xml"), Some(Form::Xml));
        assert_eq!(Form::sniff(b"  {\"single-invoice\""), Some(Form::Json));
        assert_eq!(Form::sniff(b"[]"), Some(Form::Json));
        assert_eq!(Form::sniff(b"ISA*00*"), None, "X12 is not read");
        assert_eq!(Form::sniff(b""), None);
    }

    #[test]
    fn input_over_the_limit_is_refused_unread() {
        let mut endless = std::io::repeat(b'x');
        let error = read_input(&mut endless).expect_err("refused");
        assert_eq!(
            error,
            [format!("input: over the limit of {MAX_INPUT_BYTES} bytes")]
        );
    }
}
