//! The XML form against the documents and against an independent validator: every example
//! and every document `validate` accepts reads back equal and validates against its XSD
//! with `xmllint` (libxml2); broken documents are refused by the schema and the reader
//! alike; hostile input is refused with its own error and without panicking.

use std::fs;
use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;
use sis_customs::documents::examples::{self, *};
use sis_customs::documents::{CarrierEventKind, Document, DocumentType, decode, validate};
use sis_customs::xml::{self, Limits, XmlError};

mod common;
use common::{XorShift, mutate, replace_once, strings, variants};

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

fn schemas_dir() -> PathBuf {
    // Cargo sets the variable when it runs the test, too. Prefer it to the value compiled in:
    // a build directory shared by two checkouts may reuse a test binary built in the other.
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from)
        .join("schemas")
}

/// A directory of its own for a test's files, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir =
            std::env::temp_dir().join(format!("sis-customs-xml-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("the temporary directory is writable");
        Scratch(dir)
    }

    fn file(&self, name: &str, content: &str) -> PathBuf {
        let path = self.0.join(name);
        fs::write(&path, content).expect("the temporary directory is writable");
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Runs `xmllint --noout --schema schemas/<type>.xsd` on `files`: `Err` with what it said
/// if any file does not validate.
fn xmllint(document_type: DocumentType, files: &[PathBuf]) -> Result<(), String> {
    let schema = schemas_dir().join(xml::schema_file_name(document_type));
    let output = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&schema)
        .args(files)
        .output();
    let output = match output {
        Ok(output) => output,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => panic!(
            "xmllint is not installed; these tests validate against the XSDs with it: install \
             Debian's libxml2-utils (cargo xtask installs it)"
        ),
        Err(e) => panic!("xmllint could not be run: {e}"),
    };
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

/// Writes each document and validates it against its type's schema, one `xmllint` run per
/// type; panics with what `xmllint` said about any that fails.
fn assert_schema_valid(documents: &[Document], name: &str) {
    let scratch = Scratch::new(name);
    for document_type in DocumentType::ALL {
        let files: Vec<PathBuf> = documents
            .iter()
            .enumerate()
            .filter(|(_, d)| d.document_type() == document_type)
            .map(|(i, d)| scratch.file(&format!("{document_type}-{i}.xml"), &xml::write(d)))
            .collect();
        if files.is_empty() {
            continue;
        }
        if let Err(said) = xmllint(document_type, &files) {
            panic!("written {document_type} documents fail their schema:\n{said}");
        }
    }
}

/// The errors in what `xmllint` said, each as `line N: ` and its message as libxml2 words
/// it (which names the element, with its namespace, and the rule broken), without the
/// file's path and the closing "fails to validate".
fn schema_errors(said: &str) -> Vec<String> {
    let mut errors: Vec<String> = Vec::new();
    for line in said.lines() {
        let error = line
            .split_once(".xml:")
            .and_then(|(_, rest)| rest.split_once(": Schemas validity error : "));
        match (error, errors.last_mut()) {
            (Some((place, message)), _) => {
                let number = place.split(':').next().unwrap_or(place);
                errors.push(format!("line {number}: {message}"));
            }
            (None, _) if line.ends_with(".xml fails to validate") => {}
            // A value that spans lines is quoted over them.
            (None, Some(last)) => {
                last.push('\n');
                last.push_str(line);
            }
            (None, None) => errors.push(line.to_owned()),
        }
    }
    errors
}

/// An `Invalid` error: the element's path, the field's, the line and the reason.
fn refused(path: &str, field: &str, line: usize, reason: &str) -> XmlError {
    XmlError::Invalid {
        path: path.to_owned(),
        field: field.to_owned(),
        line,
        reason: reason.to_owned(),
    }
}

/// The line (from 1) of the first occurrence of `needle` in `text`.
fn line_of(text: &str, needle: &str) -> usize {
    let at = text.find(needle).expect("the needle is in the text");
    text[..at].matches('\n').count() + 1
}

// ---------------------------------------------------------------------------------------
// Round trips and the schemas
// ---------------------------------------------------------------------------------------

#[test]
fn every_example_reads_back_equal() {
    for document in examples::all() {
        let text = xml::write(&document);
        let root = xml::root_element(document.document_type());
        assert!(
            text.starts_with(&format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<{root} xmlns=\"urn:carec:sis:2026\" \
                 version=\"1\">\n"
            )),
            "a declaration, then the root with its namespace and version:\n{text}"
        );
        assert_eq!(xml::read(&text), Ok(document.clone()), "{text}");
        assert_eq!(
            xml::read(text.as_bytes()),
            Ok(document),
            "bytes read as text does"
        );
    }
}

#[test]
fn every_variant_is_valid_and_reads_back_equal() {
    for document in variants() {
        assert_eq!(
            validate(&document),
            Ok(()),
            "{} variants are valid documents",
            document.document_type()
        );
        let text = xml::write(&document);
        assert_eq!(xml::read(&text), Ok(document), "{text}");
    }
}

#[test]
fn the_form_names_elements_as_documented() {
    let invoice = xml::write(&example_single_invoice().into());
    for expected in [
        "  <issueDate>2025-03-10</issueDate>\n",
        "  <lines>\n    <line>\n      <hsCode>110100</hsCode>\n",
        "      <netWeightKg>12000</netWeightKg>\n",
        "    <address>\n      <line>Promyshlennaya zona 12</line>\n    </address>\n",
    ] {
        assert!(invoice.contains(expected), "{expected:?} in\n{invoice}");
    }

    let mut event = example_carrier_event();
    event.kind = CarrierEventKind::CleanTrip;
    let text = xml::write(&event.into());
    assert!(
        text.contains("  <kind>\n    <cleanTrip/>\n  </kind>\n"),
        "{text}"
    );

    let profile = xml::write(&example_risk_profile().into());
    assert!(
        profile.contains("<in>\n          <value>KZ</value>\n          <value>RU</value>\n"),
        "{profile}"
    );

    let mut rail = example_preliminary_information();
    rail.trailers.clear();
    rail.references.transit_number = None;
    rail.references.invoice_number = None;
    let text = xml::write(&rail.into());
    assert!(
        text.contains("  <trailers/>\n") && text.contains("  <references/>\n"),
        "empty lists and structs are empty elements:\n{text}"
    );

    let mut invoice = example_single_invoice();
    invoice.seller.name = "A & B <C> ]]>\r\n".to_owned();
    let text = xml::write(&invoice.into());
    assert!(
        text.contains("<name>A &amp; B &lt;C&gt; ]]&gt;&#13;\n</name>"),
        "escaped, and the carriage return kept: {text}"
    );
}

#[test]
fn every_written_document_validates_against_its_schema() {
    let mut documents = examples::all();
    documents.extend(variants());
    assert_schema_valid(&documents, "examples");
}

#[test]
fn the_schemas_are_the_committed_files() {
    let files = xml::schema_files();
    assert_eq!(files.len(), 1 + DocumentType::ALL.len());
    for (name, text) in files {
        let on_disk = fs::read_to_string(schemas_dir().join(name)).expect("committed");
        assert_eq!(text, on_disk, "{name}");
        assert!(
            text.contains(r#"targetNamespace="urn:carec:sis:2026""#),
            "{name}"
        );
    }
    for document_type in DocumentType::ALL {
        let schema = xml::schema(document_type);
        assert!(schema.contains(r#"<xs:include schemaLocation="common.xsd"/>"#));
        assert!(
            schema.contains(&format!(
                r#"<xs:element name="{0}" type="{0}"/>"#,
                xml::root_element(document_type)
            )),
            "{document_type} declares its root"
        );
    }
}

/// Each broken document is refused by the schema and by the reader, each for the fault put
/// in it: the schemas are not permissive, and the reader is not more permissive than they
/// are. Both are held to their own words: a refusal for another reason (a typo in the case,
/// a document broken twice) would hide a permissive schema or reader.
#[test]
fn broken_documents_are_refused_by_the_schema_and_the_reader() {
    let invoice = xml::write(&example_single_invoice().into());
    let record = xml::write(&example_carrier_record().into());
    let event = xml::write(&example_carrier_event().into());
    let letter = xml::write(&example_official_letter().into());
    let info = xml::write(&example_preliminary_information().into());
    use DocumentType as T;
    // What is broken, where, what xmllint says and what the reader refuses it with.
    let cases: Vec<(&str, DocumentType, String, &str, XmlError)> = vec![
        (
            "a required element removed",
            T::SingleInvoice,
            replace_once(&invoice, "  <issueDate>2025-03-10</issueDate>\n", ""),
            "line 4: Element '{urn:carec:sis:2026}seller': This element is not expected. \
             Expected is ( {urn:carec:sis:2026}issueDate ).",
            refused("SingleInvoice", "", 2, "the element <issueDate> is missing"),
        ),
        (
            "two elements in the wrong order",
            T::SingleInvoice,
            replace_once(
                &invoice,
                "  <number>ADM-2025/0314</number>\n  <issueDate>2025-03-10</issueDate>\n",
                "  <issueDate>2025-03-10</issueDate>\n  <number>ADM-2025/0314</number>\n",
            ),
            "line 3: Element '{urn:carec:sis:2026}issueDate': This element is not expected. \
             Expected is ( {urn:carec:sis:2026}number ).",
            refused(
                "SingleInvoice",
                "",
                4,
                "<number> must come before <issueDate>",
            ),
        ),
        (
            "an unknown element",
            T::SingleInvoice,
            replace_once(
                &invoice,
                "  <currency>USD</currency>\n",
                "  <currency>USD</currency>\n  <discount>5</discount>\n",
            ),
            "line 42: Element '{urn:carec:sis:2026}discount': This element is not expected. \
             Expected is ( {urn:carec:sis:2026}lines ).",
            refused(
                "SingleInvoice",
                "",
                42,
                "<discount> is not an element of <SingleInvoice>; expected one of <lines>, \
                 <totals>",
            ),
        ),
        (
            "an element repeated",
            T::SingleInvoice,
            replace_once(
                &invoice,
                "  <currency>USD</currency>\n",
                "  <currency>USD</currency>\n  <currency>USD</currency>\n",
            ),
            "line 42: Element '{urn:carec:sis:2026}currency': This element is not expected. \
             Expected is ( {urn:carec:sis:2026}lines ).",
            refused("SingleInvoice", "", 42, "<currency> appears twice"),
        ),
        (
            "a country code in lower case",
            T::SingleInvoice,
            replace_once(&invoice, "<country>KZ</country>", "<country>kz</country>"),
            "line 12: Element '{urn:carec:sis:2026}country': [facet 'pattern'] The value 'kz' \
             is not accepted by the pattern '[A-Z]{2}'.",
            refused(
                "SingleInvoice/seller/country",
                "seller.country",
                12,
                "\"kz\" is not an ISO 3166-1 alpha-2 country code",
            ),
        ),
        (
            "a decimal with a sign",
            T::SingleInvoice,
            replace_once(
                &invoice,
                "<unitPrice>0.32</unitPrice>",
                "<unitPrice>-0.32</unitPrice>",
            ),
            "line 50: Element '{urn:carec:sis:2026}unitPrice': [facet 'pattern'] The value \
             '-0.32' is not accepted by the pattern '(0|[1-9][0-9]{0,17})(\\.[0-9]{1,9})?'.",
            refused(
                "SingleInvoice/lines/line[1]/unitPrice",
                "lines[0].unit_price",
                50,
                "\"-0.32\" is not a decimal number like 1250.50 (at most 18 digits, 9 after the \
                 point)",
            ),
        ),
        (
            "a date without leading zeros",
            T::SingleInvoice,
            replace_once(&invoice, "2025-03-10", "2025-3-10"),
            "line 4: Element '{urn:carec:sis:2026}issueDate': [facet 'pattern'] The value \
             '2025-3-10' is not accepted by the pattern \
             '[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])'.",
            refused(
                "SingleInvoice/issueDate",
                "issue_date",
                4,
                "\"2025-3-10\" is not a date written YYYY-MM-DD",
            ),
        ),
        (
            "a list entry with the wrong name",
            T::SingleInvoice,
            replace_once(
                &invoice,
                "<line>\n      <hsCode>",
                "<entry>\n      <hsCode>",
            )
            .replacen("</packages>\n    </line>", "</packages>\n    </entry>", 1),
            "line 43: Element '{urn:carec:sis:2026}entry': This element is not expected. \
             Expected is ( {urn:carec:sis:2026}line ).",
            refused(
                "SingleInvoice/lines",
                "lines",
                43,
                "<entry> is not an entry of <lines>, whose entries are <line>",
            ),
        ),
        (
            "text beside elements",
            T::SingleInvoice,
            replace_once(&invoice, "<seller>\n", "<seller>Altyn Dala\n"),
            "line 5: Element '{urn:carec:sis:2026}seller': Character content other than \
             whitespace is not allowed because the content type is 'element-only'.",
            XmlError::Malformed {
                line: 6,
                reason: "<seller> holds both text and elements".to_owned(),
            },
        ),
        (
            "no version attribute",
            T::SingleInvoice,
            replace_once(&invoice, r#" version="1""#, ""),
            "line 2: Element '{urn:carec:sis:2026}SingleInvoice': The attribute 'version' is \
             required but missing.",
            XmlError::UnsupportedVersion {
                line: 2,
                found: None,
            },
        ),
        (
            "another version",
            T::SingleInvoice,
            replace_once(&invoice, r#"version="1""#, r#"version="2""#),
            "line 2: Element '{urn:carec:sis:2026}SingleInvoice', attribute 'version': [facet \
             'enumeration'] The value '2' is not an element of the set {'1'}.",
            XmlError::UnsupportedVersion {
                line: 2,
                found: Some("2".to_owned()),
            },
        ),
        (
            "another namespace",
            T::SingleInvoice,
            replace_once(&invoice, "urn:carec:sis:2026", "urn:carec:sis:2025"),
            "line 2: Element '{urn:carec:sis:2025}SingleInvoice': No matching global \
             declaration available for the validation root.",
            XmlError::WrongNamespace {
                line: 2,
                element: "SingleInvoice".to_owned(),
                found: Some("urn:carec:sis:2025".to_owned()),
            },
        ),
        (
            "an attribute the standard does not define",
            T::SingleInvoice,
            replace_once(&invoice, "<number>", r#"<number id="n1">"#),
            "line 3: Element '{urn:carec:sis:2026}number', attribute 'id': The attribute 'id' \
             is not allowed.",
            XmlError::UnexpectedAttribute {
                line: 3,
                element: "number".to_owned(),
                attribute: "id".to_owned(),
            },
        ),
        (
            "an unknown enumeration value",
            T::CarrierRecord,
            replace_once(
                &record,
                "<status>approved</status>",
                "<status>excluded</status>",
            ),
            "line 16: Element '{urn:carec:sis:2026}status': [facet 'enumeration'] The value \
             'excluded' is not an element of the set {'approved', 'suspended', 'withdrawn'}.",
            refused(
                "CarrierRecord/status",
                "status",
                16,
                "\"excluded\" is not one of approved, suspended, withdrawn",
            ),
        ),
        (
            "two values of a choice",
            T::CarrierEvent,
            replace_once(&event, "  </kind>", "    <cleanTrip/>\n  </kind>"),
            "line 10: Element '{urn:carec:sis:2026}cleanTrip': This element is not expected.",
            refused(
                "CarrierEvent/kind",
                "kind",
                10,
                "holds <cleanTrip> after <violation>; only one of <violation>, <cleanTrip>, \
                 <statusChange> is allowed",
            ),
        ),
        (
            "an empty choice",
            T::CarrierEvent,
            {
                let start = event.find("  <kind>").expect("kind");
                let end = event.find("  </kind>\n").expect("kind") + "  </kind>\n".len();
                format!("{}  <kind/>\n{}", &event[..start], &event[end..])
            },
            "line 5: Element '{urn:carec:sis:2026}kind': Missing child element(s). Expected is \
             one of ( {urn:carec:sis:2026}violation, {urn:carec:sis:2026}cleanTrip, \
             {urn:carec:sis:2026}statusChange ).",
            refused(
                "CarrierEvent/kind",
                "kind",
                5,
                "must hold one of <violation>, <cleanTrip>, <statusChange>",
            ),
        ),
        (
            "a digest in upper case",
            T::OfficialLetter,
            replace_once(&letter, "109d5b6b", "109D5B6B"),
            "line 23: Element '{urn:carec:sis:2026}sha256': [facet 'pattern'] The value \
             '109D5B6B65a6d0c3141cc595dad68c1fe2ce234433c14e7900490f094cfeef8b' is not \
             accepted by the pattern '[0-9a-f]{64}'.",
            refused(
                "OfficialLetter/attachments/attachment[1]/sha256",
                "attachments[0].sha256",
                23,
                "\"109D5B6B65a6d0c3141cc595dad68c1fe2ce234433c14e7900490f094cfeef8b\" is not a \
                 SHA-256 digest in 64 lower-case hexadecimal digits",
            ),
        ),
        (
            "a count that is not a number",
            T::OfficialLetter,
            replace_once(
                &letter,
                "<sizeBytes>284311</sizeBytes>",
                "<sizeBytes>284 KB</sizeBytes>",
            ),
            "line 24: Element '{urn:carec:sis:2026}sizeBytes': '284 KB' is not a valid value \
             of the atomic type '{urn:carec:sis:2026}LargeCount'.",
            refused(
                "OfficialLetter/attachments/attachment[1]/sizeBytes",
                "attachments[0].size_bytes",
                24,
                "\"284 KB\" is not a whole number",
            ),
        ),
        (
            "a correlation id in upper case",
            T::PreliminaryInformation,
            replace_once(&info, "0195903c-7a4e", "0195903C-7A4E"),
            "line 4: Element '{urn:carec:sis:2026}correlationId': [facet 'pattern'] The value \
             '0195903C-7A4E-7c1d-9b2f-4c8e1a2b3c4d' is not accepted by the pattern \
             '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'.",
            refused(
                "PreliminaryInformation/correlationId",
                "correlation_id",
                4,
                "\"0195903C-7A4E-7c1d-9b2f-4c8e1a2b3c4d\" is not a UUID written in lower-case \
                 hexadecimal with hyphens (8-4-4-4-12)",
            ),
        ),
    ];
    let scratch = Scratch::new("broken");
    for (i, (what, document_type, text, schema_says, reader_says)) in cases.iter().enumerate() {
        let file = scratch.file(&format!("{i}.xml"), text);
        let said = xmllint(*document_type, &[file]).expect_err(what);
        assert_eq!(
            schema_errors(&said),
            [*schema_says],
            "the schema refuses {what}"
        );
        assert_eq!(
            xml::read(text).as_ref(),
            Err(reader_says),
            "the reader refuses {what}"
        );
    }
}

/// What a type holds but `validate` refuses, the schemas refuse too: a document that
/// reads but does not validate is not schema-valid either, and for the same rule.
#[test]
fn the_schemas_refuse_what_validate_refuses() {
    let invoice = xml::write(&example_single_invoice().into());
    // What is wrong, what `validate` says and what xmllint says.
    let cases: Vec<(&str, String, &str, &str)> = vec![
        (
            "a number over 35 characters",
            replace_once(
                &invoice,
                "<number>ADM-2025/0314</number>",
                "<number>ADM-2025/0314-ADDITIONAL-SHIPMENT-01</number>",
            ),
            "number: is 36 characters long; at most 35 are allowed",
            "line 3: Element '{urn:carec:sis:2026}number': [facet 'maxLength'] The value has a \
             length of '36'; this exceeds the allowed maximum length of '35'.",
        ),
        (
            "a blank name",
            replace_once(
                &invoice,
                "<name>Altyn Dala Milling LLP</name>",
                "<name>   </name>",
            ),
            "seller.name: must not be empty",
            "line 6: Element '{urn:carec:sis:2026}name': [facet 'pattern'] The value '   ' is \
             not accepted by the pattern ' *[^\\p{Cc} ][^\\p{Cc}]*'.",
        ),
        (
            "a name on two lines",
            replace_once(
                &invoice,
                "<name>Altyn Dala Milling LLP</name>",
                "<name>Altyn Dala\nMilling LLP</name>",
            ),
            "seller.name: must be one line without control characters",
            "line 6: Element '{urn:carec:sis:2026}name': [facet 'pattern'] The value 'Altyn \
             Dala\nMilling LLP' is not accepted by the pattern ' *[^\\p{Cc} ][^\\p{Cc}]*'.",
        ),
        (
            "five address lines",
            replace_once(
                &invoice,
                "<line>Promyshlennaya zona 12</line>",
                &"<line>Promyshlennaya zona 12</line>".repeat(5),
            ),
            "seller.address: has 5 entries; at most 4 are allowed",
            // The fifth <line>, which the schema's maxOccurs="4" does not expect.
            "line 8: Element '{urn:carec:sis:2026}line': This element is not expected.",
        ),
    ];
    let scratch = Scratch::new("invalid");
    for (i, (what, text, validate_says, schema_says)) in cases.iter().enumerate() {
        let document = xml::read(text).unwrap_or_else(|e| panic!("{what} reads: {e}"));
        let problems = validate(&document).expect_err(what);
        assert_eq!(
            problems.iter().map(ToString::to_string).collect::<Vec<_>>(),
            [*validate_says],
            "validate refuses {what}"
        );
        let file = scratch.file(&format!("{i}.xml"), text);
        let said = xmllint(DocumentType::SingleInvoice, &[file]).expect_err(what);
        assert_eq!(
            schema_errors(&said),
            [*schema_says],
            "the schema refuses {what}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Reading errors
// ---------------------------------------------------------------------------------------

/// The path, field and line of an `Invalid` error, and its reason.
fn invalid(result: Result<Document, XmlError>) -> (String, String, usize, String) {
    match result {
        Err(XmlError::Invalid {
            path,
            field,
            line,
            reason,
        }) => (path, field, line, reason),
        other => panic!("expected an invalid document, got {other:?}"),
    }
}

#[test]
fn reading_errors_name_the_element_the_field_and_the_line() {
    let invoice = xml::write(&example_single_invoice().into());

    let text = replace_once(
        &invoice,
        "<hsCode>190219</hsCode>",
        "<hsCode>847199</hsCode>",
    );
    let error = xml::read(&text).expect_err("847199 is not in HS 2022");
    let line = line_of(&text, "<hsCode>847199");
    assert_eq!(
        error.to_string(),
        format!(
            "SingleInvoice/lines/line[2]/hsCode: \"847199\" is not an HS 2022 subheading (line \
             {line})"
        )
    );
    assert_eq!(
        invalid(Err(error)),
        (
            "SingleInvoice/lines/line[2]/hsCode".to_owned(),
            "lines[1].hs_code".to_owned(),
            line,
            "\"847199\" is not an HS 2022 subheading".to_owned()
        ),
        "the field path is the one validate and the JSON form use"
    );

    let text = replace_once(&invoice, "<country>UZ</country>", "<country>uz</country>");
    let (path, field, _, reason) = invalid(xml::read(&text));
    assert_eq!(
        (path.as_str(), field.as_str()),
        ("SingleInvoice/buyer/country", "buyer.country")
    );
    assert!(reason.contains("ISO 3166-1"), "{reason}");

    let text = replace_once(&invoice, "  <issueDate>2025-03-10</issueDate>\n", "");
    assert_eq!(
        invalid(xml::read(&text)),
        (
            "SingleInvoice".to_owned(),
            String::new(),
            2,
            "the element <issueDate> is missing".to_owned()
        )
    );

    let text = replace_once(&invoice, "<city>Kostanay</city>", "<town>Kostanay</town>");
    let (path, _, line, reason) = invalid(xml::read(&text));
    assert_eq!(path, "SingleInvoice/seller");
    assert_eq!(
        line,
        line_of(&text, "<town>"),
        "the line of the unknown element"
    );
    assert_eq!(
        reason,
        "<town> is not an element of <seller>; expected one of <city>, <postcode>, \
         <country>, <taxId>"
    );

    let text = replace_once(
        &invoice,
        "      <unitPrice>0.32</unitPrice>\n      <value>3840.00</value>\n",
        "      <value>3840.00</value>\n      <unitPrice>0.32</unitPrice>\n",
    );
    let (path, _, _, reason) = invalid(xml::read(&text));
    assert_eq!(path, "SingleInvoice/lines/line[1]");
    assert_eq!(reason, "<unitPrice> must come before <value>");

    let text = replace_once(&invoice, "<count>400</count>", "<count>4294967296</count>");
    let (path, field, _, reason) = invalid(xml::read(&text));
    assert_eq!(
        (path.as_str(), field.as_str(), reason.as_str()),
        (
            "SingleInvoice/lines/line[2]/packages/count",
            "lines[1].packages.count",
            "4294967296 is more than 4294967295"
        )
    );

    let info = xml::write(&example_preliminary_information().into());
    let text = replace_once(
        &info,
        "<value>3840.00</value>\n        <currency>USD",
        "<value>3840.001</value>\n        <currency>USD",
    );
    let (path, field, _, reason) = invalid(xml::read(&text));
    assert_eq!(
        (path.as_str(), field.as_str()),
        (
            "PreliminaryInformation/goods/item[1]/value",
            "goods[0].value"
        )
    );
    assert!(
        reason.starts_with("3840.001 has too many decimals for USD"),
        "{reason}"
    );
    let text = replace_once(&info, "CSQU3054383", "CSQU3054384");
    let (path, field, _, reason) = invalid(xml::read(&text));
    assert_eq!(
        (path.as_str(), field.as_str()),
        (
            "PreliminaryInformation/containers/container[1]",
            "containers[0]"
        )
    );
    assert_eq!(
        reason,
        "\"CSQU3054384\" has check digit 4; ISO 6346 gives 3"
    );

    let record = xml::write(&example_carrier_record().into());
    let text = replace_once(
        &record,
        "<status>approved</status>",
        "<status>excluded</status>",
    );
    assert_eq!(
        invalid(xml::read(&text)).3,
        "\"excluded\" is not one of approved, suspended, withdrawn"
    );

    let event = xml::write(&example_carrier_event().into());
    let text = replace_once(&event, "seal-tampering", "smuggling");
    let (path, field, _, _) = invalid(xml::read(&text));
    assert_eq!(
        (path.as_str(), field.as_str()),
        (
            "CarrierEvent/kind/violation/violationType",
            "kind.violation.violation_type"
        ),
        "the field path is validate's"
    );
    let text = replace_once(&event, "  </kind>", "    <cleanTrip/>\n  </kind>");
    assert_eq!(
        invalid(xml::read(&text)).3,
        "holds <cleanTrip> after <violation>; only one of <violation>, <cleanTrip>, \
         <statusChange> is allowed"
    );

    let profile = xml::write(&example_risk_profile().into());
    let text = replace_once(&profile, "<value>RU</value>", "<item>RU</item>");
    let (path, field, _, reason) = invalid(xml::read(&text));
    assert_eq!(
        (path.as_str(), field.as_str(), reason.as_str()),
        (
            "RiskProfile/criteria/criterion[4]/test/in",
            "criteria[3].test.in",
            "<item> is not an entry of <in>, whose entries are <value>"
        )
    );
}

#[test]
fn namespace_prefixes_comments_cdata_and_a_byte_order_mark_read_the_same() {
    let document: Document = example_official_letter().into();
    let text = xml::write(&document);
    let prefixed = text
        .replace("</", "\u{0}")
        .replace('<', "<sis:")
        .replace('\u{0}', "</sis:")
        .replace("<sis:?xml", "<?xml")
        .replace(r#"xmlns="#, r#"xmlns:sis="#);
    assert!(prefixed.contains("<sis:OfficialLetter xmlns:sis="));
    assert_eq!(xml::read(&prefixed), Ok(document.clone()), "{prefixed}");

    let decorated = replace_once(
        &text,
        "<registrationNumber>01-15/2317</registrationNumber>",
        "<!-- registered --><registrationNumber><![CDATA[01-15/]]>2317<?note x?></registrationNumber>",
    );
    assert_eq!(xml::read(&decorated), Ok(document.clone()));

    let mut with_bom = b"\xEF\xBB\xBF".to_vec();
    with_bom.extend_from_slice(text.as_bytes());
    assert_eq!(xml::read(&with_bom), Ok(document.clone()));
    let mut twice = b"\xEF\xBB\xBF".to_vec();
    twice.extend_from_slice(&with_bom);
    assert!(
        matches!(xml::read(&twice), Err(xml::XmlError::Malformed { ref reason, .. }) if reason.contains("byte order mark")),
        "{:?}",
        xml::read(&twice)
    );

    let crlf = text.replace('\n', "\r\n");
    assert_eq!(
        xml::read(&crlf),
        Ok(document),
        "line ends are normalised as XML requires"
    );
}

/// XML 1.0 cannot carry these characters; they are written as U+FFFD.
#[test]
fn characters_xml_cannot_carry_are_replaced() {
    let mut invoice = example_single_invoice();
    invoice.seller.name = "Altyn\u{FFFF}Dala\u{7}".to_owned();
    let text = xml::write(&invoice.clone().into());
    let back = xml::read(&text).expect("written documents read");
    let Document::SingleInvoice(back) = back else {
        panic!("an invoice");
    };
    assert_eq!(back.seller.name, "Altyn\u{FFFD}Dala\u{FFFD}");
}

// ---------------------------------------------------------------------------------------
// Generated documents
// ---------------------------------------------------------------------------------------

/// Mutated examples: every document `validate` accepts reads back equal and validates
/// against its schema; every other document whose text XML can carry reads back equal too;
/// none panics.
#[test]
fn whatever_validate_accepts_reads_back_equal_and_fits_its_schema() {
    let mut rng = XorShift(0x005e_ed0f_c0de_2026);
    let mut valid = Vec::new();
    let (mut round_trips, mut replaced) = (0, 0);
    for example in examples::all().into_iter().chain(variants()) {
        let original = serde_json::to_value(&example).expect("ser");
        for _ in 0..100 {
            let mut json = original.clone();
            for _ in 0..=rng.below(3) {
                mutate(&mut json, &mut rng);
            }
            let text = json.to_string();
            let Ok(document) =
                decode::<Document, _>(&mut serde_json::Deserializer::from_str(&text))
            else {
                continue;
            };
            let written = xml::write(&document);
            let back = xml::read(&written);
            if xml_characters_only(&json) {
                round_trips += 1;
                assert_eq!(back.as_ref(), Ok(&document), "{written}");
                if validate(&document).is_ok() {
                    valid.push(document);
                }
            } else {
                replaced += 1;
                assert!(
                    validate(&document).is_err(),
                    "validate refuses controls: {text}"
                );
                assert!(back.is_ok(), "written documents read: {back:?}");
            }
        }
    }
    assert!(
        valid.len() > 300 && round_trips > 1_000 && replaced > 20,
        "every path ran: {} valid, {round_trips} round trips, {replaced} replaced",
        valid.len()
    );
    assert_schema_valid(&valid, "generated");
}

/// Mangled XML text, and bytes that are not text at all: refused or read, never a panic;
/// what is read writes and reads back the same.
#[test]
fn mangled_xml_never_panics() {
    let snippets: [&[u8]; 24] = [
        b"<",
        b">",
        b"&",
        b"&amp;",
        b"&#0;",
        b"&#x110000;",
        b"&#1;",
        b"&lol;",
        b"<!DOCTYPE a>",
        b"<!ENTITY x \"y\">",
        b"]]>",
        b"<![CDATA[x]]>",
        b"<?pi x?>",
        b"<!-- - -->",
        b"\xEF\xBF\xBF",
        b"\xFF",
        b"\xC3",
        b" xmlns=\"urn:x\"",
        b" xmlns:p=\"\"",
        b"<p:a>",
        b"</a>",
        b"<a>",
        b"\r",
        b"<cleanTrip/>",
    ];
    let mut rng = XorShift(0x00ba_df00_d0dd_ba11);
    let (mut read, mut refused) = (0, 0);
    for example in examples::all() {
        let original = xml::write(&example).into_bytes();
        for _ in 0..400 {
            let mut bytes = original.clone();
            for _ in 0..=rng.below(3) {
                let at = rng.below(bytes.len() + 1);
                match rng.below(4) {
                    0 => {
                        let end = (at + rng.below(40)).min(bytes.len());
                        bytes.drain(at..end);
                    }
                    1 => {
                        let end = (at + rng.below(200)).min(bytes.len());
                        let copy = bytes[at..end].to_vec();
                        let to = rng.below(bytes.len() + 1);
                        bytes.splice(to..to, copy);
                    }
                    2 => {
                        let snippet = snippets[rng.below(snippets.len())];
                        bytes.splice(at..at, snippet.iter().copied());
                    }
                    _ => {
                        if let Some(b) = bytes.get_mut(at) {
                            *b ^= 1 << rng.below(8);
                        }
                    }
                }
            }
            match xml::read(&bytes) {
                Ok(document) => {
                    read += 1;
                    let again = xml::write(&document);
                    assert_eq!(xml::read(&again), Ok(document), "{again}");
                }
                Err(e) => {
                    refused += 1;
                    assert!(!e.to_string().is_empty());
                }
            }
        }
    }
    assert!(
        read > 100 && refused > 1_000,
        "{read} read, {refused} refused"
    );
}

// ---------------------------------------------------------------------------------------
// Hostile input
// ---------------------------------------------------------------------------------------

const ROOT: &str = r#"<SingleInvoice xmlns="urn:carec:sis:2026" version="1">"#;

#[test]
fn a_billion_laughs_is_refused_at_its_doctype() {
    let mut text = String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE SingleInvoice [\n");
    text.push_str("  <!ENTITY lol0 \"lol\">\n");
    for i in 1..10 {
        let previous = format!("&lol{};", i - 1).repeat(10);
        text.push_str(&format!("  <!ENTITY lol{i} \"{previous}\">\n"));
    }
    text.push_str(&format!(
        "]>\n{ROOT}<number>&lol9;</number></SingleInvoice>\n"
    ));
    assert_eq!(xml::read(&text), Err(XmlError::Doctype { line: 2 }));
}

#[test]
fn external_entities_are_refused_at_their_doctype() {
    for doctype in [
        r#"<!DOCTYPE SingleInvoice [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>"#,
        r#"<!DOCTYPE SingleInvoice [<!ENTITY % remote SYSTEM "http://example.invalid/x.dtd"> %remote;]>"#,
        r#"<!DOCTYPE SingleInvoice SYSTEM "http://example.invalid/invoice.dtd">"#,
        r#"<!DOCTYPE SingleInvoice>"#,
    ] {
        let text = format!("{doctype}\n{ROOT}<number>&xxe;</number></SingleInvoice>");
        assert_eq!(
            xml::read(&text),
            Err(XmlError::Doctype { line: 1 }),
            "{doctype}"
        );
    }
    // Without a DOCTYPE an entity reference is simply unknown.
    let invoice = xml::write(&example_single_invoice().into());
    let text = replace_once(&invoice, "ADM-2025/0314", "&xxe;");
    match xml::read(&text) {
        Err(XmlError::Malformed { line: 3, reason }) => {
            assert!(
                reason.starts_with("&xxe;: only the five predefined"),
                "{reason}"
            )
        }
        other => panic!("an unknown entity is malformed: {other:?}"),
    }
}

#[test]
fn deep_nesting_is_refused_before_it_is_built() {
    let depth = 100_000;
    let mut text = String::with_capacity(depth * 8 + 100);
    text.push_str(ROOT);
    for _ in 0..depth {
        text.push_str("<a>");
    }
    for _ in 0..depth {
        text.push_str("</a>");
    }
    text.push_str("</SingleInvoice>");
    assert_eq!(
        xml::read(&text),
        Err(XmlError::TooDeep { line: 1, limit: 32 })
    );
    let shallow = Limits {
        max_depth: 3,
        ..Limits::default()
    };
    assert!(
        matches!(
            xml::read_with(xml::write(&example_single_invoice().into()), &shallow),
            Err(XmlError::TooDeep { limit: 3, .. })
        ),
        "an invoice nests five deep"
    );
}

#[test]
fn a_100_mb_text_node_is_refused_by_its_size_first() {
    let size = 100 * 1024 * 1024;
    let mut text = String::with_capacity(size + 200);
    text.push_str(ROOT);
    text.push_str("<number>");
    text.extend(std::iter::repeat_n('x', size));
    text.push_str("</number></SingleInvoice>");
    assert_eq!(
        xml::read(&text),
        Err(XmlError::TooLarge {
            size: text.len(),
            limit: 16 * 1024 * 1024
        })
    );
}

#[test]
fn a_2_mb_text_node_is_refused_under_a_raised_size_limit() {
    let letter = xml::write(&example_official_letter().into());
    let body = "Ж".repeat(1024 * 1024);
    let text = replace_once(&letter, "<body>The seal", &format!("<body>{body}The seal"));
    let limits = Limits {
        max_document_bytes: 4 * 1024 * 1024,
        ..Limits::default()
    };
    assert_eq!(
        xml::read_with(&text, &limits),
        Err(XmlError::TextTooLong {
            line: line_of(&text, "<body>"),
            limit: 1024 * 1024
        })
    );
    let limits = Limits {
        max_text_bytes: 3 * 1024 * 1024,
        ..limits
    };
    assert!(
        matches!(
            xml::read_with(&text, &limits),
            Ok(Document::OfficialLetter(_))
        ),
        "under a raised text limit it reads (and validate refuses its length)"
    );
}

#[test]
fn too_many_elements_are_refused() {
    let limits = Limits {
        max_elements: 50,
        ..Limits::default()
    };
    assert!(matches!(
        xml::read_with(xml::write(&example_single_invoice().into()), &limits),
        Err(XmlError::TooManyElements { limit: 50, .. })
    ));
}

#[test]
fn only_the_standard_roots_namespace_and_version_are_accepted() {
    let invoice = xml::write(&example_single_invoice().into());
    assert_eq!(
        xml::read(r#"<Invoice xmlns="urn:carec:sis:2026" version="1"/>"#),
        Err(XmlError::UnknownRoot {
            line: 1,
            found: "Invoice".to_owned()
        })
    );
    assert_eq!(
        xml::read(replace_once(
            &invoice,
            "urn:carec:sis:2026",
            "urn:carec:sis:2025"
        )),
        Err(XmlError::WrongNamespace {
            line: 2,
            element: "SingleInvoice".to_owned(),
            found: Some("urn:carec:sis:2025".to_owned())
        })
    );
    assert_eq!(
        xml::read(replace_once(&invoice, r#" xmlns="urn:carec:sis:2026""#, "")),
        Err(XmlError::WrongNamespace {
            line: 2,
            element: "SingleInvoice".to_owned(),
            found: None
        })
    );
    assert_eq!(
        xml::read(replace_once(
            &invoice,
            "<number>",
            r#"<number xmlns="urn:other">"#
        )),
        Err(XmlError::WrongNamespace {
            line: 3,
            element: "number".to_owned(),
            found: Some("urn:other".to_owned())
        })
    );
    assert_eq!(
        xml::read(replace_once(&invoice, r#"version="1""#, r#"version="2""#)),
        Err(XmlError::UnsupportedVersion {
            line: 2,
            found: Some("2".to_owned())
        })
    );
    assert_eq!(
        xml::read(replace_once(&invoice, r#" version="1""#, "")),
        Err(XmlError::UnsupportedVersion {
            line: 2,
            found: None
        })
    );
    assert_eq!(
        xml::read(replace_once(&invoice, "<number>", r#"<number id="n1">"#)),
        Err(XmlError::UnexpectedAttribute {
            line: 3,
            element: "number".to_owned(),
            attribute: "id".to_owned()
        })
    );
    let long_name = format!("<{} xmlns=\"urn:carec:sis:2026\"/>", "A".repeat(10_000));
    match xml::read(&long_name) {
        Err(XmlError::UnknownRoot { found, .. }) => {
            assert_eq!(
                found.chars().count(),
                65,
                "cut to 64 characters and an ellipsis"
            )
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn text_that_is_not_a_well_formed_utf_8_document_is_refused() {
    let invoice = xml::write(&example_single_invoice().into());
    let mut latin1 = invoice.clone().into_bytes();
    let at = invoice.find("Altyn").expect("a name");
    latin1[at] = 0xC0;
    assert_eq!(xml::read(&latin1), Err(XmlError::NotUtf8 { offset: at }));
    assert_eq!(
        xml::read(replace_once(&invoice, "UTF-8", "ISO-8859-1")),
        Err(XmlError::Encoding {
            line: 1,
            declared: "ISO-8859-1".to_owned()
        })
    );
    // Each with the line and the reason that point the sender at the fault.
    for (what, text, line, reason) in [
        (
            "a second root",
            format!("{invoice}{ROOT}</SingleInvoice>"),
            99,
            "a second root element",
        ),
        (
            "text after the root",
            format!("{invoice}trailing"),
            98,
            "text outside the root element",
        ),
        (
            "no end tag",
            invoice.replace("</SingleInvoice>", ""),
            99,
            "the document ends inside <SingleInvoice>",
        ),
        (
            "a mismatched end tag",
            invoice.replace("</number>", "</numbr>"),
            3,
            "ill-formed document: expected `</number>`, but `</numbr>` was found",
        ),
        (
            "text beside elements",
            replace_once(&invoice, "<seller>", "<seller>Altyn"),
            6,
            "<seller> holds both text and elements",
        ),
        (
            "a character XML forbids",
            replace_once(&invoice, "Altyn", "&#1;Altyn"),
            6,
            "U+0001 is not a character XML 1.0 allows",
        ),
        (
            "a raw control character",
            replace_once(&invoice, "Altyn", "\u{1}Altyn"),
            6,
            "U+0001 is not a character XML 1.0 allows",
        ),
        (
            "a bare ampersand",
            replace_once(&invoice, "Altyn", "A & B"),
            6,
            "an & that begins no reference (write & as &amp;)",
        ),
        (
            "a late XML declaration",
            replace_once(&invoice, "<number>", "<?xml version=\"1.0\"?><number>"),
            3,
            "an XML declaration anywhere but at the start",
        ),
        ("nothing", String::new(), 1, "no root element"),
        (
            "only a declaration",
            "<?xml version=\"1.0\"?>".to_owned(),
            1,
            "no root element",
        ),
    ] {
        assert_eq!(
            xml::read(&text),
            Err(XmlError::Malformed {
                line,
                reason: reason.to_owned()
            }),
            "{what}"
        );
    }
}

/// Whether every string in `value` is made of characters XML 1.0 can carry: the `Char`
/// production written out here, not taken from the reader it checks.
fn xml_characters_only(value: &Value) -> bool {
    let allowed = |ch: char| matches!(ch, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..);
    let mut texts = Vec::new();
    strings(value, &mut texts);
    texts.iter().all(|text| text.chars().all(allowed))
}
