//! The four UN/EDIFACT messages against the documents, through bytes: every example and
//! every document `validate` accepts comes back equal from CUSCAR, INVOIC, CUSDEC or
//! CUSRES in each character set that can hold its text (UNOC, UNOE for Cyrillic, UNOW);
//! what a partner's system could send wrong is refused with its position.

use sis_customs::documents::examples::{self, *};
use sis_customs::documents::{Document, DocumentType, decode, validate};
use sis_customs::edifact::messages::{
    self, At, Envelope, MappingError, document_to_interchange, interchange_to_documents,
    interchange_to_valid_documents,
};
use sis_customs::edifact::{
    Charset, EdifactError, EdifactRsSyntax, EdifactSyntax, Party, Preparation, Tag,
};

mod common;
use common::{XorShift, mutate, replace_once, strings, variants};

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

const MAPPED: [DocumentType; 4] = [
    DocumentType::PreliminaryInformation,
    DocumentType::SingleInvoice,
    DocumentType::SwApplication,
    DocumentType::SwDecision,
];

fn envelope(charset: Charset) -> Envelope {
    // Syntax version 4 (UNOW, UNOY) dates the interchange CCYYMMDD, version 3 YYMMDD.
    let date = match charset {
        Charset::UnoW | Charset::UnoY => "20250314",
        _ => "250314",
    };
    Envelope::new(
        charset,
        Party::new("KZ-ASTANA-1", Some("ZZZ")),
        Party::new("CAREC-NODE-KZ", Some("ZZZ")),
        Preparation::new(date, "0630"),
        "KZ0000317",
    )
}

/// The bytes of `document` as an interchange in `charset`.
fn to_bytes(document: &Document, charset: Charset) -> Result<Vec<u8>, String> {
    let interchange =
        document_to_interchange(document, &envelope(charset)).map_err(|e| e.to_string())?;
    EdifactRsSyntax::default()
        .write(&interchange)
        .map_err(|e| e.to_string())
}

/// The documents read back from `bytes`, validated.
fn from_bytes(bytes: &[u8]) -> Result<Vec<Document>, Vec<String>> {
    let interchange = EdifactRsSyntax::default()
        .parse(bytes)
        .map_err(|e| vec![e.to_string()])?;
    interchange_to_valid_documents(&interchange)
        .map_err(|faults| faults.iter().map(ToString::to_string).collect())
}

/// Whether `charset` holds every character of every text of `document`.
fn fits(document: &Document, charset: Charset) -> bool {
    let json = serde_json::to_value(document).expect("documents serialise");
    let mut texts = Vec::new();
    strings(&json, &mut texts);
    texts
        .iter()
        .all(|text| text.chars().all(|c| charset.contains(c)))
}

fn is_mapped(document: &Document) -> bool {
    MAPPED.contains(&document.document_type())
}

/// The text of an interchange written in UNOC or UNOW, for looking at its segments.
fn text_of(document: &Document) -> String {
    let bytes = to_bytes(document, Charset::UnoW).expect("writes");
    String::from_utf8(bytes).expect("UNOW is UTF-8")
}

/// The faults found reading `text`, a UNOW interchange of one message, after the `UNT`
/// count is set to what the text now holds: so that a test edits segments freely and
/// only the mapping is at fault.
fn faults(text: &str) -> Vec<String> {
    let text = recount(text);
    from_bytes(text.as_bytes()).expect_err("the interchange is refused")
}

/// The mapping fault of `text`, recounted as [`faults`] does, as the value a caller
/// matches on: the variant, and the position as numbers.
fn fault(text: &str) -> MappingError {
    let text = recount(text);
    let interchange = EdifactRsSyntax::default()
        .parse(text.as_bytes())
        .expect("the syntax is sound");
    interchange_to_documents(&interchange).expect_err("the mapping refuses it")
}

/// Segment `segment` (the `UNH` is 1) of message 1, tagged `tag`.
fn segment(segment: usize, tag: &str) -> At {
    At::message(1).segment(segment, Tag::new(tag).expect("a tag"))
}

/// `text` with its `UNT` counting the segments from `UNH` to `UNT`.
fn recount(text: &str) -> String {
    let mut segments = Vec::new();
    let mut start = 0;
    let mut released = false;
    for (i, c) in text.char_indices() {
        match c {
            '?' if !released => released = true,
            '\'' if !released => {
                segments.push(&text[start..=i]);
                start = i + 1;
            }
            _ => released = false,
        }
    }
    let unh = segments
        .iter()
        .position(|s| s.starts_with("UNH+"))
        .expect("UNH");
    let unt = segments
        .iter()
        .position(|s| s.starts_with("UNT+"))
        .expect("UNT");
    let reference = segments[unt].rsplit('+').next().expect("UNT reference");
    let counted = format!("UNT+{}+{reference}", unt - unh + 1);
    segments
        .iter()
        .enumerate()
        .map(|(i, s)| if i == unt { counted.as_str() } else { s })
        .collect()
}

/// A preliminary information in Russian, which UNOE (ISO 8859-5) holds and UNOC does not.
fn russian_preliminary_information() -> Document {
    let mut info = example_preliminary_information();
    info.consignor.name = "ТОО \"Алтын Дала Милинг\"".to_owned();
    info.consignor.city = "Костанай".to_owned();
    info.consignee.name = "ООО \"Ташкент Нон Савдо\" № 2".to_owned();
    info.consignee.city = "Ташкент".to_owned();
    info.departure.name = "Костанай".to_owned();
    info.destination.name = "Ташкент".to_owned();
    info.goods[0].description =
        "Мука пшеничная высшего сорта в полипропиленовых мешках по 50 кг".to_owned();
    info.into()
}

// ---------------------------------------------------------------------------------------
// Round trips
// ---------------------------------------------------------------------------------------

#[test]
fn every_mapped_example_comes_back_equal_in_each_character_set_that_holds_it() {
    let mut through = std::collections::BTreeMap::<&str, usize>::new();
    let documents: Vec<Document> = examples::all()
        .into_iter()
        .chain(variants())
        .chain([russian_preliminary_information()])
        .filter(is_mapped)
        .collect();
    assert!(documents.len() >= 8, "examples and variants of all four");
    for document in &documents {
        for charset in [Charset::UnoC, Charset::UnoE, Charset::UnoW] {
            if !fits(document, charset) {
                let written = to_bytes(document, charset);
                assert!(
                    written
                        .as_ref()
                        .is_err_and(|e| e.contains("cannot be written in the")),
                    "a character {charset:?} lacks is refused on writing: {written:?}"
                );
                continue;
            }
            let bytes = to_bytes(document, charset).expect("a valid document writes");
            let header = format!("UNB+{}:", charset.identifier());
            assert!(
                bytes.starts_with(header.as_bytes()),
                "the UNB declares {charset:?}"
            );
            assert_eq!(
                from_bytes(&bytes),
                Ok(vec![document.clone()]),
                "{} through {charset:?}:\n{}",
                document.document_type(),
                String::from_utf8_lossy(&bytes)
            );
            *through.entry(charset.identifier()).or_default() += 1;
        }
    }
    // Every set was exercised: the Latin examples in UNOC, the Russian text in UNOE.
    assert!(through["UNOC"] >= 4, "{through:?}");
    assert!(through["UNOE"] >= 1, "{through:?}");
    assert_eq!(through["UNOW"], documents.len(), "UTF-8 holds everything");
}

#[test]
fn russian_text_travels_in_iso_8859_5() {
    let document = russian_preliminary_information();
    assert!(!fits(&document, Charset::UnoC));
    let bytes = to_bytes(&document, Charset::UnoE).expect("UNOE holds Cyrillic");
    // "Т" is 0xC2 in ISO 8859-5; in UTF-8 it would be two bytes, 0xD0 0xA2.
    assert!(bytes.contains(&0xC2), "Cyrillic is one byte a letter");
    assert!(
        !bytes.windows(2).any(|w| w == [0xD0, 0xA2]),
        "no UTF-8 in a UNOE interchange"
    );
    assert_eq!(from_bytes(&bytes), Ok(vec![document]));
}

#[test]
fn every_document_validate_accepts_comes_back_equal() {
    let mut rng = XorShift(0x0ed1_fac7_0000_2026);
    let (mut round_trips, mut refused_by_validate) = (0, 0);
    for example in examples::all()
        .into_iter()
        .chain(variants())
        .filter(is_mapped)
    {
        let original = serde_json::to_value(&example).expect("ser");
        for _ in 0..150 {
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
            if validate(&document).is_err() {
                refused_by_validate += 1;
                continue;
            }
            let charset = if fits(&document, Charset::UnoC) {
                Charset::UnoC
            } else {
                Charset::UnoW
            };
            let bytes = to_bytes(&document, charset).expect("a valid document writes");
            assert_eq!(
                from_bytes(&bytes),
                Ok(vec![document]),
                "{}",
                String::from_utf8_lossy(&bytes)
            );
            round_trips += 1;
        }
    }
    assert!(
        round_trips > 300 && refused_by_validate > 50,
        "every path ran: {round_trips} round trips, {refused_by_validate} refused"
    );
}

#[test]
fn several_messages_in_one_interchange_read_in_order() {
    let invoice: Document = example_single_invoice().into();
    let info: Document = example_preliminary_information().into();
    let mut interchange = document_to_interchange(&invoice, &envelope(Charset::UnoC)).unwrap();
    let mut second = messages::document_to_message(&info).unwrap();
    second.reference = "2".to_owned();
    interchange.messages.push(second);
    let syntax = EdifactRsSyntax::default();
    let bytes = syntax.write(&interchange).unwrap();
    let back = syntax.parse(&bytes).unwrap();
    assert_eq!(interchange_to_documents(&back), Ok(vec![invoice, info]));
}

#[test]
fn documents_without_a_message_are_refused_by_name() {
    for document in examples::all().into_iter().filter(|d| !is_mapped(d)) {
        let error =
            document_to_interchange(&document, &envelope(Charset::UnoC)).expect_err("no message");
        assert_eq!(error, MappingError::NoMessage(document.document_type()));
        assert!(
            error.to_string().starts_with(&format!(
                "there is no UN/EDIFACT message for a document of type {};",
                document.document_type()
            )),
            "{error}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// The form
// ---------------------------------------------------------------------------------------

#[test]
fn messages_are_written_as_documented() {
    let cuscar = text_of(&example_preliminary_information().into());
    for segment in [
        "UNH+1+CUSCAR:D:96B:UN'",
        "BGM+85+KZ-PI-2025-000871+9'",
        "RFF+ZZZ:0195903c7a4e7c1d9b2f4c8e1a2b3c4d'",
        "LOC+41+UZ26010:::Gisht Kuprik'",
        "LOC+35+KZ'",
        "LOC+28+UZ'",
        "DTM+132:202503140630:203'",
        "EQD+CN+CSQU3054383'",
        "CNI+1'",
        "CST+1+110100'",
    ] {
        assert!(cuscar.contains(segment), "{segment} in\n{cuscar}");
    }
    let invoic = text_of(&example_single_invoice().into());
    for segment in [
        "UNH+1+INVOIC:D:96B:UN'",
        "BGM+380+ADM-2025/0314+9'",
        "UNS+S'",
        "MOA+203:3840.00'",
    ] {
        assert!(invoic.contains(segment), "{segment} in\n{invoic}");
    }
    let cusdec = text_of(&example_sw_application().into());
    assert!(cusdec.contains("UNH+1+CUSDEC:D:96B:UN'"), "{cusdec}");
    let cusres = text_of(&example_sw_decision().into());
    assert!(cusres.contains("UNH+1+CUSRES:D:96B:UN'"), "{cusres}");
    // The envelope counts: UNT holds the message's segments, UNZ the messages.
    let segments = cusres.matches('\'').count();
    assert!(cusres.ends_with("UNZ+1+KZ0000317'"), "{cusres}");
    assert!(
        cusres.contains(&format!("UNT+{}+1'", segments - 2)),
        "UNT counts UNH to UNT, without UNB and UNZ:\n{cusres}"
    );
}

// ---------------------------------------------------------------------------------------
// What a partner could send wrong
// ---------------------------------------------------------------------------------------

#[test]
fn an_hs_code_not_in_hs_2022_is_refused_with_the_field() {
    let text = text_of(&example_preliminary_information().into());
    let text = replace_once(&text, "CST+1+110100'", "CST+1+847199'");
    assert_eq!(
        faults(&text),
        vec![
            "message 1, segment 26 (CST): element 2: \"847199\" is not an HS 2022 subheading"
                .to_owned()
        ],
        "the position of the value, which is what the sender's system can find"
    );
}

#[test]
fn every_problem_of_the_document_is_reported_at_once_with_its_field() {
    let text = text_of(&example_single_invoice().into());
    let text = replace_once(&text, "CNT+7:19240:KGM'", "CNT+7:19000:KGM'");
    let text = replace_once(&text, "MOA+79:11990.00'", "MOA+79:11000.00'");
    let found = faults(&text);
    assert_eq!(
        found,
        [
            "message 1: totals.value: 11000.00 is not the sum of the line values, 11990.00",
            "message 1: totals.gross_weight_kg: 19000 is not the sum of the lines' gross \
             weights, 19240",
        ],
        "both, each naming the field as validate and the JSON form do"
    );
}

#[test]
fn a_segment_the_mapping_has_no_place_for_is_refused_not_dropped() {
    // An invoice says nothing in free text: an FTX in it would be dropped unseen.
    let text = text_of(&example_single_invoice().into());
    let text = replace_once(
        &text,
        "ALI+KZ'",
        "ALI+KZ'FTX+AAI+++a remark nobody would read'",
    );
    assert_eq!(
        faults(&text),
        ["message 1, segment 5 (FTX): the INVOIC mapping has no place for this segment"]
    );
    assert_eq!(
        fault(&text),
        MappingError::UnmappedSegment {
            at: segment(5, "FTX"),
            message_type: "INVOIC"
        }
    );
}

#[test]
fn a_value_the_mapping_does_not_read_is_refused_with_its_position() {
    // The country of dispatch is a code; a name beside it has no field to go to.
    let text = text_of(&example_preliminary_information().into());
    let text = replace_once(&text, "LOC+35+KZ'", "LOC+35+KZ:::Kazakhstan'");
    assert_eq!(
        faults(&text),
        [
            "message 1, segment 11 (LOC): element 2, component 4: holds \"Kazakhstan\", which \
             this mapping does not read"
        ]
    );
    assert_eq!(
        fault(&text),
        MappingError::Unread {
            at: segment(11, "LOC").value(2, 4),
            found: "Kazakhstan".to_owned()
        }
    );
}

#[test]
fn a_segment_outside_its_group_is_refused_with_where_it_belongs() {
    // A goods description before any GID: no goods item to give it to.
    let info = text_of(&example_preliminary_information().into());
    let text = replace_once(
        &info,
        "CNI+1'",
        "CNI+1'FTX+AAA+++a description before its goods item'",
    );
    assert_eq!(
        faults(&text),
        [
            "message 1, segment 18 (FTX): cannot stand here; it belongs in a goods item, after \
             its GID"
        ]
    );

    // The country of dispatch among the consignment's parties: the header's, moved.
    let text = replace_once(&info, "LOC+35+KZ'", "");
    let text = replace_once(&text, "CNI+1'", "CNI+1'LOC+35+KZ'");
    assert_eq!(
        faults(&text),
        [
            "message 1, segment 17 (LOC): cannot stand here; it belongs in the header, before \
             the CNI"
        ]
    );
    assert_eq!(
        fault(&text),
        MappingError::Misplaced {
            at: segment(17, "LOC"),
            belongs: "in the header, before the CNI"
        }
    );

    // The BGM after another segment: a message that does not begin by saying what it is.
    let invoice = text_of(&example_single_invoice().into());
    let text = replace_once(
        &invoice,
        "BGM+380+ADM-2025/0314+9'DTM+137:20250310:102'",
        "DTM+137:20250310:102'BGM+380+ADM-2025/0314+9'",
    );
    assert_eq!(
        faults(&text),
        ["message 1, segment 3 (BGM): cannot stand here; it belongs first, right after the UNH"]
    );

    // A total before the summary section.
    let text = replace_once(&invoice, "UNS+S'CNT+7:19240:KGM'", "CNT+7:19240:KGM'UNS+S'");
    assert_eq!(
        faults(&text),
        [
            "message 1, segment 39 (CNT): cannot stand here; it belongs in the summary, after \
             the UNS"
        ]
    );
}

#[test]
fn a_segment_that_may_not_repeat_is_refused_at_its_second() {
    // Two expected arrivals: keeping either would be a guess.
    let info = text_of(&example_preliminary_information().into());
    let text = replace_once(
        &info,
        "DTM+132:202503140630:203'",
        "DTM+132:202503140630:203'DTM+132:202503150630:203'",
    );
    assert_eq!(
        faults(&text),
        ["message 1, segment 15 (DTM): repeats DTM+132 (the expected arrival)"]
    );
    assert_eq!(
        fault(&text),
        MappingError::Repeated {
            at: segment(15, "DTM"),
            what: "DTM+132 (the expected arrival)"
        }
    );

    // One consignment a message: a second CNI would merge two consignments' goods.
    let text = replace_once(&info, "CNI+1'", "CNI+1'CNI+2'");
    assert_eq!(
        faults(&text),
        ["message 1, segment 18 (CNI): repeats CNI (one consignment a message)"]
    );

    let invoice = text_of(&example_single_invoice().into());
    let text = replace_once(&invoice, "UNS+S'", "UNS+S'UNS+S'");
    assert_eq!(
        faults(&text),
        ["message 1, segment 40 (UNS): repeats UNS (the summary section)"]
    );
}

/// A count is digits only: `+940` would parse as a Rust number, but no partner writes a
/// count with a sign, and one that does has a system to fix.
#[test]
fn a_count_with_a_sign_is_refused_with_its_position() {
    let text = text_of(&example_single_invoice().into());
    // `?+` is a `+` in the value, not the start of another element.
    let text = replace_once(&text, "CNT+11:940'", "CNT+11:?+940'");
    assert_eq!(
        faults(&text),
        [
            "message 1, segment 42 (CNT): element 1, component 2: \"+940\" is not a whole \
             number within range"
        ]
    );
}

#[test]
fn a_container_number_with_a_wrong_check_digit_is_refused_with_the_right_one() {
    let text = text_of(&example_preliminary_information().into());
    let text = replace_once(&text, "EQD+CN+CSQU3054383'", "EQD+CN+CSQU3054384'");
    assert_eq!(
        faults(&text),
        [
            "message 1, segment 16 (EQD): element 2: \"CSQU3054384\" has check digit 4; ISO \
             6346 gives 3"
        ],
        "the value's position, and the digit the sender's system can compare"
    );
    assert_eq!(
        fault(&text),
        MappingError::Invalid {
            at: segment(16, "EQD").value(2, 1),
            reason: "\"CSQU3054384\" has check digit 4; ISO 6346 gives 3".to_owned()
        }
    );
}

#[test]
fn an_unknown_qualifier_is_refused_with_its_position() {
    let text = text_of(&example_preliminary_information().into());
    let text = replace_once(&text, "LOC+35+KZ'", "LOC+99+KZ'");
    // With the qualifiers this mapping reads, so the sender sees what it meant to write.
    assert_eq!(
        faults(&text),
        [
            "message 1, segment 11 (LOC): element 1: unknown qualifier \"99\"; this mapping \
             reads 41 (office of entry), 5 (departure), 35 (country of dispatch), 8 \
             (destination) and 28 (country of destination)"
        ]
    );
}

#[test]
fn another_directory_or_message_type_is_refused() {
    let text = text_of(&example_single_invoice().into());
    let d01b = replace_once(&text, "INVOIC:D:96B:UN", "INVOIC:D:01B:UN");
    assert_eq!(
        faults(&d01b),
        vec!["message 1: INVOIC is mapped for directory D:96B:UN, not D:01B:UN".to_owned()]
    );
    let orders = replace_once(&text, "INVOIC:D:96B:UN", "ORDERS:D:96B:UN");
    assert_eq!(
        faults(&orders),
        vec![
            "message 1: message type ORDERS has no mapping; the mapped types are CUSCAR, \
             CUSDEC, CUSRES and INVOIC"
                .to_owned()
        ]
    );
}

/// A module's `from_message` reads its own message type only: an INVOIC handed to the
/// CUSCAR reader is refused by its type, not read as a cargo report with faults.
#[test]
fn a_message_of_another_type_is_refused_by_each_reader() {
    let invoice = messages::document_to_message(&example_single_invoice().into()).unwrap();
    let info = messages::document_to_message(&example_preliminary_information().into()).unwrap();
    let wrong = |expected, found: &str| MappingError::WrongMessageType {
        at: At::message(1),
        expected,
        found: found.to_owned(),
    };
    let error = messages::cuscar::from_message(&invoice).expect_err("an INVOIC");
    assert_eq!(error, wrong("CUSCAR", "INVOIC"));
    assert_eq!(
        error.to_string(),
        "message 1: expected a CUSCAR message, found INVOIC"
    );
    assert_eq!(
        messages::invoic::from_message(&info).expect_err("a CUSCAR"),
        wrong("INVOIC", "CUSCAR")
    );
    assert_eq!(
        messages::cusdec::from_message(&info).expect_err("a CUSCAR"),
        wrong("CUSDEC", "CUSCAR")
    );
    assert_eq!(
        messages::cusres::from_message(&invoice).expect_err("an INVOIC"),
        wrong("CUSRES", "INVOIC")
    );
}

#[test]
fn a_mandatory_segment_missing_is_named() {
    let text = text_of(&example_single_invoice().into());
    let start = text.find("DTM+137:").expect("the issue date");
    let end = start + text[start..].find('\'').unwrap() + 1;
    let without = format!("{}{}", &text[..start], &text[end..]);
    // Missing from the message, so the message is the position; the segment is named by
    // its tag and qualifier, and by what it carries.
    assert_eq!(
        faults(&without),
        ["message 1: DTM+137 (the issue date) is missing"]
    );
    assert_eq!(
        fault(&without),
        MappingError::Missing {
            at: At::message(1),
            what: "DTM+137 (the issue date)"
        }
    );
}

#[test]
fn broken_syntax_is_refused_before_the_mapping() {
    let text = text_of(&example_sw_decision().into());
    let wrong_count = replace_once(&text, "UNZ+1+", "UNZ+2+");
    // The syntax layer's position: segments counted from the UNB, not the UNH.
    assert_eq!(
        faults(&wrong_count),
        ["segment 11 (UNZ): element 1 says 2 messages, the interchange has 1"]
    );
}

#[test]
fn a_100_mb_segment_is_refused_by_its_size() {
    let text = text_of(&example_sw_decision().into());
    let mut huge = text.replacen(
        "FTX+ACD+++",
        &format!("FTX+ACD+++{}", "A".repeat(100 << 20)),
        1,
    );
    huge.shrink_to_fit();
    let error = EdifactRsSyntax::default()
        .parse(huge.as_bytes())
        .expect_err("refused");
    assert!(
        matches!(error, EdifactError::InterchangeTooLarge { .. }),
        "over the interchange limit before anything is read: {error}"
    );
    // Under a limit raised for the whole interchange, the segment limit still holds.
    let syntax = EdifactRsSyntax::new(sis_customs::edifact::Limits {
        max_interchange_bytes: 200 << 20,
        ..Default::default()
    });
    let error = syntax.parse(huge.as_bytes()).expect_err("refused");
    assert!(
        matches!(error, EdifactError::SegmentTooLarge { .. }),
        "the segment is refused by its own limit: {error}"
    );
}
