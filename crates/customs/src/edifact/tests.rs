//! The syntax layer as a national system meets it: interchanges in each character set,
//! the release character, `UNA` present and absent, every envelope fault with its exact
//! message, hostile sizes, and generated interchanges that must survive writing and
//! reading back.

use super::*;

fn syntax() -> EdifactRsSyntax {
    EdifactRsSyntax::default()
}

fn parse(bytes: &[u8]) -> Result<Interchange, EdifactError> {
    syntax().parse(bytes)
}

fn parse_err(bytes: &[u8]) -> String {
    match parse(bytes) {
        Ok(interchange) => panic!("expected a refusal, read {interchange:#?}"),
        Err(error) => error.to_string(),
    }
}

fn write(interchange: &Interchange) -> Vec<u8> {
    syntax()
        .write(interchange)
        .unwrap_or_else(|e| panic!("writing failed: {e}"))
}

/// Write, read back, and demand the same interchange.
fn round_trip(interchange: &Interchange) -> Vec<u8> {
    let bytes = write(interchange);
    let back = parse(&bytes).unwrap_or_else(|e| {
        panic!(
            "reading back what was written failed: {e}\n{}",
            String::from_utf8_lossy(&bytes)
        )
    });
    assert_eq!(
        &back,
        interchange,
        "written as {:?}",
        String::from_utf8_lossy(&bytes)
    );
    bytes
}

const NAD: Tag = Tag::literal("NAD");
const FTX: Tag = Tag::literal("FTX");
const BGM: Tag = Tag::literal("BGM");

/// A cargo report from `sender` with a carrier named `carrier` and a free text `text`.
fn cuscar(charset: Charset, version: SyntaxVersion, carrier: &str, text: &str) -> Interchange {
    Interchange {
        una: None,
        header: InterchangeHeader {
            syntax: SyntaxIdentifier::new(charset, version),
            sender: Party::new("KZ-ASTANA-1", Some("ZZZ")),
            recipient: Party::new("CAREC-NODE-KZ", Some("ZZZ")),
            prepared: Preparation::new("240315", "1030"),
            control_reference: "IC0001".into(),
            further: Vec::new(),
        },
        messages: vec![Message::new(
            "1",
            MessageIdentifier::new("CUSCAR", "D", "96B", "UN"),
            vec![
                Segment::new(BGM, vec![Element::simple("85"), Element::simple("CR-7731")]),
                Segment::new(
                    NAD,
                    vec![
                        Element::simple("CA"),
                        Element::empty(),
                        Element::empty(),
                        Element::simple(carrier),
                    ],
                ),
                Segment::new(
                    FTX,
                    vec![
                        Element::simple("AAA"),
                        Element::empty(),
                        Element::empty(),
                        Element::simple(text),
                    ],
                ),
            ],
        )],
    }
}

/// A well-formed `UNOC` interchange as a partner would send it: segments 1 (UNB) to
/// 7 (UNZ); the message is segments 2 (UNH) to 6 (UNT).
const UNOC_TEXT: &str = "UNB+UNOC:3+SENDER:ZZZ+KZ-NODE:ZZZ+240315:1030+IC0001'\
UNH+1+CUSCAR:D:96B:UN'\
BGM+85+CR-7731+9'\
NAD+CA+++Spedition?+Co'\
FTX+AAA+++Fragile'\
UNT+5+1'\
UNZ+1+IC0001'";

fn unoc_with(from: &str, to: &str) -> Vec<u8> {
    assert!(UNOC_TEXT.contains(from), "the sample has {from:?}");
    UNOC_TEXT.replacen(from, to, 1).into_bytes()
}

// ----- character sets -----

#[test]
fn unoc_round_trip_keeps_latin_1_letters_as_single_bytes() {
    let interchange = cuscar(
        Charset::UnoC,
        SyntaxVersion::V3,
        "Müller Spedition GmbH",
        "Käse, Öl, Straße; Ærøskøbing – ÿ",
    );
    // '–' (en dash) is not Latin-1; the round trip needs text Latin-1 can hold.
    let err = syntax().write(&interchange).unwrap_err();
    assert_eq!(
        err.to_string(),
        "segment 5 (FTX): element 4, component 1: '–' cannot be written in the UNOC character set"
    );
    let interchange = cuscar(
        Charset::UnoC,
        SyntaxVersion::V3,
        "Müller Spedition GmbH",
        "Käse, Öl, Straße; Ærøskøbing ÿ",
    );
    let bytes = round_trip(&interchange);
    let needle = b"M\xFCller";
    assert!(
        bytes.windows(needle.len()).any(|w| w == needle),
        "ü is the single byte 0xFC in ISO 8859-1, not UTF-8"
    );
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "UNOC output is not UTF-8"
    );
}

#[test]
fn unoc_reads_each_byte_as_its_own_code_point() {
    let mut bytes = b"UNB+UNOC:3+S+R+240315:1030+1'UNH+1+INVOIC:D:96A:UN'NAD+SE+++".to_vec();
    bytes.extend_from_slice(b"Fa\xE7ade \xA9 \xFF");
    bytes.extend_from_slice(b"'UNT+3+1'UNZ+1+1'");
    let interchange = parse(&bytes).unwrap();
    assert_eq!(
        interchange.messages[0].segments[0].component(4, 1),
        Some("Façade © ÿ")
    );
}

#[test]
fn unoe_round_trip_of_russian_text() {
    let interchange = cuscar(
        Charset::UnoE,
        SyntaxVersion::V3,
        "ТОО \"Алтын Жол\"",
        "Груз: хлопок, 20 т; № 5 — нет",
    );
    assert_eq!(
        syntax().write(&interchange).unwrap_err().to_string(),
        "segment 5 (FTX): element 4, component 1: '—' cannot be written in the UNOE character set",
        "an em dash is not in ISO 8859-5"
    );
    let interchange = cuscar(
        Charset::UnoE,
        SyntaxVersion::V3,
        "ТОО \"Алтын Жол\"",
        "Груз: хлопок, 20 т; № 5, Ёё",
    );
    let bytes = round_trip(&interchange);
    // "ТОО" in ISO 8859-5: Т = 0xC2, О = 0xBE.
    let needle = b"NAD+CA+++\xC2\xBE\xBE \"\xB0\xDB\xE2\xEB\xDD \xB6\xDE\xDB\"'";
    assert!(
        bytes.windows(needle.len()).any(|w| w == needle),
        "written as {bytes:X?}"
    );
    let text = b"FTX+AAA+++\xB3\xE0\xE3\xD7?: \xE5\xDB\xDE\xDF\xDE\xDA, 20 \xE2; \xF0 5, \xA1\xF1'";
    assert!(
        bytes.windows(text.len()).any(|w| w == text),
        "written as {bytes:X?}"
    );
}

#[test]
fn unoe_refuses_to_write_kazakh_letters_it_cannot_hold() {
    let interchange = cuscar(Charset::UnoE, SyntaxVersion::V3, "Қазақ Темір Жолы", "");
    assert_eq!(
        syntax().write(&interchange).unwrap_err(),
        EdifactError::CharacterOutsideCharset {
            at: Position::segment(4, NAD).element(4).component(1),
            character: 'Қ',
            charset: Charset::UnoE,
        }
    );
    // The same text goes out in UTF-8.
    round_trip(&cuscar(
        Charset::UnoW,
        SyntaxVersion::V4,
        "Қазақ Темір Жолы",
        "中文 😀",
    ));
    round_trip(&cuscar(
        Charset::UnoY,
        SyntaxVersion::V4,
        "Қазақ Темір Жолы",
        "Ұлттық",
    ));
}

#[test]
fn unoa_refuses_small_letters_and_non_ascii_bytes_on_reading() {
    let level_a = unoc_with("UNOC", "UNOA")
        .replace_bytes("Spedition?+Co", "SPEDITION?+CO")
        .replace_bytes("Fragile", "FRAGILE");
    parse(&level_a).expect("capital letters and released separators are level A");
    assert_eq!(
        parse_err(&level_a.clone().replace_bytes("SPEDITION", "SPEDiTION")),
        "segment 4 (NAD): element 4, component 1: byte 0x69 'i' is not in the UNOA character set"
    );
    let mut bytes = level_a.clone();
    let at = find(&bytes, b"FRAGILE");
    bytes[at + 1] = 0xC4;
    assert_eq!(
        parse(&bytes).unwrap_err(),
        EdifactError::ByteOutsideCharset {
            at: Position::segment(5, FTX).element(4).component(1),
            byte: ShownByte(0xC4),
            charset: Charset::UnoA,
        }
    );
    // Level B has the small letters.
    let interchange = parse(&unoc_with("UNOC", "UNOB")).unwrap();
    assert_eq!(interchange.header.syntax.charset, Charset::UnoB);
}

#[test]
fn unoa_refuses_small_letters_on_writing() {
    let interchange = cuscar(Charset::UnoA, SyntaxVersion::V3, "ACME", "Fragile");
    assert_eq!(
        syntax().write(&interchange).unwrap_err().to_string(),
        "segment 5 (FTX): element 4, component 1: 'r' cannot be written in the UNOA character set"
    );
    round_trip(&cuscar(
        Charset::UnoA,
        SyntaxVersion::V3,
        "ACME (KZ) LTD.",
        "FRAGILE: 2/3 + 'X'?",
    ));
}

#[test]
fn utf_8_sets_refuse_broken_sequences_with_their_position() {
    let mut bytes = unoc_with("UNOC:3", "UNOY:4");
    let at = find(&bytes, b"Fragile");
    bytes[at + 2] = 0xE2;
    assert_eq!(
        parse_err(&bytes),
        "segment 5 (FTX): element 4, component 1: byte 0xE2 is not in the UNOY character set"
    );
}

#[test]
fn unknown_syntax_identifier_and_version() {
    assert_eq!(
        parse_err(&unoc_with("UNOC", "UNOX")),
        "segment 1 (UNB): element 1, component 1: unknown syntax identifier \"UNOX\"; \
         known are UNOA, UNOB, UNOC, UNOE, UNOW and UNOY"
    );
    assert_eq!(
        parse_err(&unoc_with("UNOC:3", "UNOC:5")),
        "segment 1 (UNB): element 1, component 2: syntax version \"5\" is not 1, 2, 3 or 4"
    );
    assert_eq!(
        parse_err(&unoc_with("UNOC:3", "UNOC")),
        "segment 1 (UNB): element 1, component 2 (syntax version number) is missing"
    );
    assert!(matches!(
        parse(&unoc_with("UNOC", "unoc")),
        Err(EdifactError::UnknownSyntaxIdentifier { .. })
    ));
}

// ----- the release character -----

#[test]
fn release_character_is_resolved_on_reading() {
    let bytes = unoc_with("FTX+AAA+++Fragile", "FTX+AAA+++A?+B?:C?'D??E");
    let interchange = parse(&bytes).unwrap();
    let segments = &interchange.messages[0].segments;
    assert_eq!(segments[2].component(4, 1), Some("A+B:C'D?E"));
    assert_eq!(segments[1].component(4, 1), Some("Spedition+Co"));
    assert_eq!(
        segments[2].elements.len(),
        4,
        "released separators split nothing"
    );
}

#[test]
fn release_character_is_written_before_every_service_character() {
    let interchange = cuscar(Charset::UnoC, SyntaxVersion::V3, "A+B", "x:y'z?w*v");
    let bytes = round_trip(&interchange);
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.contains("NAD+CA+++A?+B'"), "{text}");
    // Version 3 has no repetition separator: `*` is data and stays as it is.
    assert!(text.contains("FTX+AAA+++x?:y?'z??w*v'"), "{text}");

    // Version 4 has one, `*` by default, and releases it.
    let interchange = cuscar(Charset::UnoC, SyntaxVersion::V4, "A+B", "x:y'z?w*v");
    let text = String::from_utf8(round_trip(&interchange)).unwrap();
    assert!(text.contains("FTX+AAA+++x?:y?'z??w?*v'"), "{text}");
}

#[test]
fn release_character_in_a_una_of_its_own() {
    let mut interchange = cuscar(Charset::UnoC, SyntaxVersion::V3, "A|B^C", "x~y!z:+'?");
    interchange.una = Some(ServiceChars::new('|', '^', ',', '!', None, '~').unwrap());
    let text = String::from_utf8(round_trip(&interchange)).unwrap();
    assert!(text.starts_with("UNA|^,! ~UNB^UNOC|3^"), "{text}");
    assert!(text.contains("NAD^CA^^^A!|B!^C~"), "{text}");
    assert!(text.contains("FTX^AAA^^^x!~y!!z:+'?~"), "{text}");
}

#[test]
fn repeating_elements_need_a_repetition_separator() {
    let mut interchange = cuscar(Charset::UnoC, SyntaxVersion::V4, "X", "Y");
    interchange.messages[0].segments[0]
        .elements
        .push(Element::of(["ON", "1"]).and_repeat(["ON", "2"]));
    let text = String::from_utf8(round_trip(&interchange)).unwrap();
    assert!(text.contains("BGM+85+CR-7731+ON:1*ON:2'"), "{text}");

    interchange.header.syntax.version = SyntaxVersion::V3;
    assert_eq!(
        syntax().write(&interchange).unwrap_err().to_string(),
        "segment 3 (BGM): element 3: the element repeats, but the interchange has no repetition separator"
    );
    // A UNA can give version 3 one.
    interchange.una = Some(ServiceChars::DEFAULT_V4);
    round_trip(&interchange);
}

// ----- UNA -----

#[test]
fn una_present_and_absent() {
    let absent = parse(UNOC_TEXT.as_bytes()).unwrap();
    assert_eq!(absent.una, None);
    assert_eq!(absent.service_chars(), ServiceChars::DEFAULT);
    assert!(!write(&absent).starts_with(b"UNA"), "no UNA in, none out");

    let with_una = format!("UNA:+.? '\r\n{UNOC_TEXT}");
    let present = parse(with_una.as_bytes()).unwrap();
    assert_eq!(present.una, Some(ServiceChars::DEFAULT));
    assert_eq!(present.header, absent.header);
    assert_eq!(present.messages, absent.messages);
    assert!(write(&present).starts_with(b"UNA:+.? 'UNB+UNOC:3+"));

    let v4 = parse(&unoc_with("UNOC:3", "UNOC:4")).unwrap();
    assert_eq!(
        v4.service_chars().repetition(),
        Some('*'),
        "version 4 defaults"
    );
}

#[test]
fn una_with_other_separators_is_read() {
    let text = "UNA|^,! ~UNB^UNOC|3^S^R^240315|1030^9~UNH^1^CUSCAR|D|96B|UN~\
                FTX^AAA^^^a!^b|c~UNT^3^1~UNZ^1^9~";
    let interchange = parse(text.as_bytes()).unwrap();
    let ftx = &interchange.messages[0].segments[0];
    assert_eq!(ftx.component(4, 1), Some("a^b"));
    assert_eq!(ftx.component(4, 2), Some("c"));
    assert_eq!(interchange.service_chars().decimal(), ',');
}

#[test]
fn una_faults() {
    assert_eq!(
        parse_err(b"UNA:+."),
        "UNA: the service string advice needs 6 characters, the input has 3"
    );
    assert_eq!(
        parse_err(b"UNA:+.?:'UNB"),
        "UNA: the component separator and the repetition separator are both 0x3A ':'"
    );
    assert_eq!(
        parse_err(b"UNA:X.? 'UNB"),
        "UNA: the element separator 0x58 'X' is not a printable ASCII character other than a letter or digit"
    );
    assert!(ServiceChars::new(':', '+', '.', '?', None, '\'').is_ok());
}

// ----- the envelope -----

#[test]
fn envelope_counts_and_references_are_checked() {
    assert_eq!(
        parse_err(&unoc_with("UNT+5+1", "UNT+12+1")),
        "segment 6 (UNT): element 1 says 12 segments, the message has 5"
    );
    assert_eq!(
        parse(&unoc_with("UNT+5+1", "UNT+4+1")).unwrap_err(),
        EdifactError::SegmentCountMismatch {
            at: Position::segment(6, Tag::UNT).element(1),
            declared: 4,
            actual: 5,
        }
    );
    assert_eq!(
        parse_err(&unoc_with("UNT+5+1", "UNT+5+2")),
        "segment 6 (UNT): element 2 says message reference \"2\", the UNH says \"1\""
    );
    assert_eq!(
        parse_err(&unoc_with("UNZ+1+IC0001", "UNZ+2+IC0001")),
        "segment 7 (UNZ): element 1 says 2 messages, the interchange has 1"
    );
    assert_eq!(
        parse_err(&unoc_with("UNZ+1+IC0001", "UNZ+1+IC0002")),
        "segment 7 (UNZ): element 2 says control reference \"IC0002\", the UNB says \"IC0001\""
    );
    assert_eq!(
        parse_err(&unoc_with("UNT+5+1", "UNT+five+1")),
        "segment 6 (UNT): element 1: \"five\" is not a number of segments"
    );
    assert_eq!(
        parse_err(&unoc_with("UNZ+1+", "UNZ+99999999999999999999999+")),
        "segment 7 (UNZ): element 1: \"99999999999999999999999\" is not a number of messages"
    );
}

#[test]
fn mandatory_elements_must_be_present() {
    assert_eq!(
        parse_err(&unoc_with("+IC0001'UNH", "'UNH")),
        "segment 1 (UNB): element 5 (interchange control reference) is missing"
    );
    assert_eq!(
        parse_err(&unoc_with("CUSCAR:D:96B:UN", "CUSCAR:D:96B")),
        "segment 2 (UNH): element 2, component 4 (controlling agency) is missing"
    );
    assert_eq!(
        parse_err(&unoc_with("SENDER:ZZZ", ":ZZZ")),
        "segment 1 (UNB): element 2, component 1 (interchange sender identification) is missing"
    );
    assert_eq!(
        parse_err(&unoc_with("UNT+5+1", "UNT+5")),
        "segment 6 (UNT): element 2 (message reference number) is missing"
    );
    assert_eq!(
        parse_err(&unoc_with("240315:1030", "240315:10h30")),
        "segment 1 (UNB): element 4, component 2: \"10h30\" is not a time of 4 digits"
    );
    assert_eq!(
        parse_err(&unoc_with("UNZ+1+IC0001", "UNZ+1+IC0001+X")),
        "segment 7 (UNZ): element 3 is not defined for UNZ"
    );
    assert_eq!(
        parse_err(&unoc_with("SENDER:ZZZ", "SENDER:ZZZ:A:B:C")),
        "segment 1 (UNB): element 2, component 5 is not defined for UNB"
    );
}

#[test]
fn segments_out_of_place_are_refused() {
    assert_eq!(
        parse_err(&unoc_with("UNB+", "BGM+")),
        "segment 1 (BGM): expected UNB"
    );
    assert_eq!(
        parse_err(&unoc_with("UNZ+1+IC0001'", "UNZ+1+IC0001'BGM+1'")),
        "segment 8 (BGM): expected nothing after the UNZ"
    );
    assert_eq!(
        parse_err(&unoc_with("UNT+5+1'", "UNT+5+1'BGM+1'")),
        "segment 7 (BGM): expected UNH or UNZ"
    );
    assert_eq!(
        parse_err(&unoc_with("FTX+AAA+++Fragile'", "UNH+2+CUSCAR:D:96B:UN'")),
        "segment 5 (UNH): expected the UNT of the open message"
    );
    assert_eq!(
        parse_err(&unoc_with("BGM+85", "bgm+85")),
        "segment 3 (from byte 75): \"bgm\" is not a segment tag of three capital letters"
    );
    // Line breaks between segments are how many systems write; they are not content.
    let lines = UNOC_TEXT.replace('\'', "'\r\n");
    assert_eq!(
        parse(lines.as_bytes()).unwrap(),
        parse(UNOC_TEXT.as_bytes()).unwrap()
    );
}

#[test]
fn truncated_input_is_refused_at_every_cut() {
    let bytes = UNOC_TEXT.as_bytes();
    for cut in 0..bytes.len() {
        let error = parse(&bytes[..cut]).expect_err("a cut interchange is not an interchange");
        assert!(
            matches!(
                error,
                EdifactError::Truncated { .. } | EdifactError::Ended { .. }
            ),
            "cut at {cut}: {error}"
        );
    }
    assert_eq!(
        parse_err(&bytes[..bytes.len() - 3]),
        "the input ends inside segment 7 (from byte 141), before its terminator"
    );
    let after_unt = find(bytes, b"UNZ");
    assert_eq!(
        parse_err(&bytes[..after_unt]),
        "the input ends after 6 segments, before the UNZ"
    );
    assert_eq!(
        parse_err(b""),
        "the input ends after 0 segments, before the UNB"
    );
    assert_eq!(
        parse_err(&unoc_with("Fragile'", "Fragile?")[..find(UNOC_TEXT.as_bytes(), b"Fragile") + 8]),
        "the input ends inside segment 5 (from byte 115), before its terminator",
        "a release character at the very end escapes nothing"
    );
}

#[test]
fn the_writer_refuses_what_could_not_be_read_back() {
    let mut interchange = cuscar(Charset::UnoC, SyntaxVersion::V3, "X", "Y");
    interchange.messages[0]
        .segments
        .push(Segment::new(Tag::UNT, vec![Element::simple("1")]));
    assert_eq!(
        syntax().write(&interchange).unwrap_err().to_string(),
        "segment 6 (UNT): a service segment cannot stand in a message's content"
    );

    let mut interchange = cuscar(Charset::UnoC, SyntaxVersion::V3, "X", "Y");
    interchange.header.control_reference.clear();
    assert_eq!(
        syntax().write(&interchange).unwrap_err().to_string(),
        "segment 1 (UNB): element 5 (interchange control reference) is missing"
    );
    let mut interchange = cuscar(Charset::UnoC, SyntaxVersion::V3, "X", "Y");
    interchange.header.prepared.date = "2024-03-15".into();
    assert_eq!(
        syntax().write(&interchange).unwrap_err().to_string(),
        "segment 1 (UNB): element 4, component 1: \"2024-03-15\" is not a date of 6 or 8 digits"
    );
}

#[test]
fn trailers_are_computed_on_writing() {
    let mut interchange = cuscar(Charset::UnoC, SyntaxVersion::V3, "X", "Y");
    let second = Message::new(
        "2",
        MessageIdentifier::new("CUSRES", "D", "96B", "UN"),
        vec![],
    );
    interchange.messages.push(second);
    let text = String::from_utf8(round_trip(&interchange)).unwrap();
    assert!(
        text.contains("'UNT+5+1'UNH+2+CUSRES:D:96B:UN'UNT+2+2'UNZ+2+IC0001'"),
        "{text}"
    );
}

// ----- hostile input -----

#[test]
fn interchange_over_the_limit_is_refused_unread() {
    let small = EdifactRsSyntax::new(Limits {
        max_interchange_bytes: 100,
        ..Limits::default()
    });
    assert_eq!(
        small.parse(UNOC_TEXT.as_bytes()).unwrap_err().to_string(),
        format!(
            "the interchange is {} bytes, over the limit of 100",
            UNOC_TEXT.len()
        )
    );
    let exact = EdifactRsSyntax::new(Limits {
        max_interchange_bytes: UNOC_TEXT.len(),
        ..Limits::default()
    });
    assert!(
        exact.parse(UNOC_TEXT.as_bytes()).is_ok(),
        "the limit itself is allowed"
    );
}

#[test]
fn segment_over_the_limit_is_refused() {
    // The UNB, the longest segment of the sample, is 52 bytes.
    let limits = Limits {
        max_segment_bytes: 60,
        ..Limits::default()
    };
    let long = "F".repeat(43);
    // "FTX+AAA+++" and 50 letters: 60 bytes, the limit itself.
    let bytes = unoc_with("Fragile", &format!("Fragile{long}"));
    assert!(EdifactRsSyntax::new(limits).parse(&bytes).is_ok());
    let bytes = unoc_with("Fragile", &format!("Fragile{long}X"));
    assert_eq!(
        EdifactRsSyntax::new(limits)
            .parse(&bytes)
            .unwrap_err()
            .to_string(),
        "segment 5 (from byte 115) is longer than the limit of 60 bytes"
    );
}

#[test]
fn values_over_the_limit_are_refused_before_they_are_copied() {
    let limits = |max_values| Limits {
        max_values,
        ..Limits::default()
    };
    // UNB 9 values, UNH 5, BGM 3, NAD 4, FTX 4, UNT 2, UNZ 2: 29.
    assert!(
        EdifactRsSyntax::new(limits(29))
            .parse(UNOC_TEXT.as_bytes())
            .is_ok()
    );
    assert_eq!(
        EdifactRsSyntax::new(limits(28))
            .parse(UNOC_TEXT.as_bytes())
            .unwrap_err()
            .to_string(),
        "segment 7 takes the interchange over the limit of 28 data values"
    );
    // Empty elements: one byte each on the wire, dozens once read. Refused at the
    // segment that crosses the limit, before its values are copied.
    let mut bytes = b"UNB+UNOC:3+S+R+240315:1030+1'UNH+1+CUSCAR:D:96B:UN'".to_vec();
    for _ in 0..20 {
        bytes.extend_from_slice(b"FTX");
        bytes.extend(std::iter::repeat_n(b'+', 1_000));
        bytes.push(b'\'');
    }
    assert_eq!(
        EdifactRsSyntax::new(limits(10_000))
            .parse(&bytes)
            .unwrap_err(),
        EdifactError::TooManyValues {
            segment: 12,
            limit: 10_000,
        },
        "14 values in UNB and UNH, then 1000 a segment: the tenth FTX (segment 12) crosses"
    );
    assert_eq!(Limits::default().max_values, 2 * 1024 * 1024);
}

/// 100 MB of one element with no terminator. The search for the terminator must stop at
/// the limit: had anything read on, the invalid byte after the first MiB (or the missing
/// terminator) would be the error instead.
#[test]
fn a_100_mb_segment_is_refused_after_reading_past_its_limit_only() {
    let head = b"UNB+UNOA:3+S+R+240315:1030+1'UNH+1+CUSCAR:D:96B:UN'FTX+AAA+++";
    let mut bytes = Vec::with_capacity(head.len() + 100_000_000);
    bytes.extend_from_slice(head);
    bytes.resize(head.len() + 100_000_000, b'A');
    bytes[head.len() + (1 << 20)] = 0xFF;

    let roomy = EdifactRsSyntax::new(Limits {
        max_interchange_bytes: 256 << 20,
        ..Limits::default()
    });
    assert_eq!(
        roomy.parse(&bytes).unwrap_err(),
        EdifactError::SegmentTooLarge {
            segment: 3,
            offset: find(head, b"FTX"),
            limit: 64 * 1024,
        }
    );
    assert_eq!(
        syntax().parse(&bytes).unwrap_err(),
        EdifactError::InterchangeTooLarge {
            size: bytes.len(),
            limit: 16 << 20,
        }
    );
}

// ----- generated interchanges -----

/// xorshift64*: deterministic, so a failure names its seed and can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Characters each set can hold, the service characters among them, so that values
/// need releasing.
fn alphabet(charset: Charset, chars: ServiceChars) -> Vec<char> {
    let mut alphabet: Vec<char> = "ABCXYZ0189 .,-()/='+:?!\"%&*;<>".chars().collect();
    let more = match charset {
        Charset::UnoA => "",
        Charset::UnoB => "abcxyz",
        Charset::UnoC => "abcäöüßéÆÿ©|^~#",
        Charset::UnoE => "abcАЯабяЁё№§І|^~#",
        _ => "abcҚәӨ中😀|^~#\u{A0}",
    };
    alphabet.extend(more.chars());
    alphabet.extend(
        [
            chars.component(),
            chars.element(),
            chars.release(),
            chars.terminator(),
        ]
        .into_iter()
        .chain(chars.repetition())
        .filter(|&c| charset.contains(c)),
    );
    alphabet
}

fn text(rng: &mut Rng, alphabet: &[char]) -> String {
    (0..1 + rng.below(8)).map(|_| *rng.pick(alphabet)).collect()
}

fn element(rng: &mut Rng, alphabet: &[char], repeats: bool) -> Element {
    let occurrence = |rng: &mut Rng| -> Vec<Component> {
        (0..1 + rng.below(4))
            .map(|_| (!rng.chance(30)).then(|| text(rng, alphabet)))
            .collect()
    };
    Element {
        components: occurrence(rng),
        repeats: match repeats && rng.chance(20) {
            true => (0..1 + rng.below(2)).map(|_| occurrence(rng)).collect(),
            false => Vec::new(),
        },
    }
}

fn generate(rng: &mut Rng) -> Interchange {
    let charset = *rng.pick(&Charset::ALL);
    let version = *rng.pick(&[
        SyntaxVersion::V1,
        SyntaxVersion::V2,
        SyntaxVersion::V3,
        SyntaxVersion::V4,
    ]);
    let una = match rng.below(4) {
        0 => None,
        1 => Some(ServiceChars::DEFAULT),
        2 => Some(ServiceChars::DEFAULT_V4),
        _ => Some(ServiceChars::new('|', '^', ',', '!', Some('#'), '~').unwrap()),
    };
    let chars = una.unwrap_or(ServiceChars::defaults_for(version));
    let alphabet = alphabet(charset, chars);
    let repeats = chars.repetition().is_some();
    let optional = |rng: &mut Rng| rng.chance(50).then(|| text(rng, &alphabet));
    let party = |rng: &mut Rng| Party {
        id: text(rng, &alphabet),
        qualifier: optional(rng),
        internal_id: optional(rng),
        internal_sub_id: optional(rng),
    };
    let digits = |rng: &mut Rng, n: usize| -> String {
        (0..n)
            .map(|_| char::from(b'0' + rng.below(10) as u8))
            .collect()
    };
    let date_length = *rng.pick(&[6, 8]);
    let tags = [
        BGM,
        NAD,
        FTX,
        Tag::literal("UNS"),
        Tag::literal("LOC"),
        Tag::literal("GID"),
    ];
    Interchange {
        una,
        header: InterchangeHeader {
            syntax: SyntaxIdentifier {
                charset,
                version,
                service_code_list_version: optional(rng),
                character_encoding: optional(rng),
            },
            sender: party(rng),
            recipient: party(rng),
            prepared: Preparation::new(digits(rng, date_length), digits(rng, 4)),
            control_reference: text(rng, &alphabet),
            further: (0..rng.below(3))
                .map(|_| element(rng, &alphabet, repeats))
                .collect(),
        },
        messages: (0..rng.below(4))
            .map(|_| Message {
                reference: text(rng, &alphabet),
                identifier: MessageIdentifier {
                    message_type: text(rng, &alphabet),
                    version: text(rng, &alphabet),
                    release: text(rng, &alphabet),
                    agency: text(rng, &alphabet),
                    association_code: optional(rng),
                    code_list_version: optional(rng),
                    sub_function: optional(rng),
                },
                further: (0..rng.below(2))
                    .map(|_| element(rng, &alphabet, repeats))
                    .collect(),
                segments: (0..rng.below(6))
                    .map(|_| Segment {
                        tag: *rng.pick(&tags),
                        elements: (0..rng.below(5))
                            .map(|_| element(rng, &alphabet, repeats))
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

#[test]
fn generated_interchanges_survive_writing_and_reading() {
    for seed in 1..=600u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let interchange = generate(&mut rng);
        let bytes = syntax()
            .write(&interchange)
            .unwrap_or_else(|e| panic!("seed {seed}: writing failed: {e}\n{interchange:#?}"));
        let back = parse(&bytes).unwrap_or_else(|e| {
            panic!(
                "seed {seed}: reading back failed: {e}\n{}",
                String::from_utf8_lossy(&bytes)
            )
        });
        assert_eq!(
            back,
            interchange,
            "seed {seed}: {}",
            String::from_utf8_lossy(&bytes)
        );
    }
}

/// What the fuzz target asks, on mutated interchanges: no panic, and whatever reads
/// writes and reads back the same.
#[test]
fn mutated_interchanges_never_panic_and_what_reads_round_trips() {
    let interesting = [
        b'+', b':', b'\'', b'?', b'*', b'\r', b'\n', b' ', 0x00, 0x80, 0xC3, 0xD0, 0xFF, b'U',
        b'N', b'A', b'B', b'H', b'T', b'Z', b'1', b'9',
    ];
    let mut rng = Rng(0x5EED_CAFE);
    let mut seeds: Vec<Vec<u8>> = vec![
        UNOC_TEXT.as_bytes().to_vec(),
        format!("UNA:+.?*'{UNOC_TEXT}").into_bytes(),
        unoc_with("UNOC:3", "UNOE:4"),
        unoc_with("UNOC:3", "UNOY:4"),
        unoc_with("UNOC:3", "UNOA:2"),
    ];
    for _ in 0..20 {
        seeds.push(write(&generate(&mut rng)));
    }
    let mut read = 0;
    for round in 0..6000 {
        let mut bytes = rng.pick(&seeds).clone();
        for _ in 0..1 + rng.below(4) {
            if bytes.is_empty() {
                break;
            }
            let at = rng.below(bytes.len());
            match rng.below(5) {
                0 => bytes[at] = *rng.pick(&interesting),
                1 => bytes[at] = rng.next() as u8,
                2 => {
                    bytes.remove(at);
                }
                3 => bytes.insert(at, *rng.pick(&interesting)),
                _ => bytes.truncate(at),
            }
        }
        let Ok(interchange) = parse(&bytes) else {
            continue;
        };
        read += 1;
        let written = syntax().write(&interchange).unwrap_or_else(|e| {
            panic!(
                "round {round}: read but not writable: {e}\n{}",
                String::from_utf8_lossy(&bytes)
            )
        });
        assert_eq!(
            parse(&written).as_ref(),
            Ok(&interchange),
            "round {round}: {}",
            String::from_utf8_lossy(&bytes)
        );
    }
    assert!(
        read > 100,
        "the mutations must leave some interchanges readable, {read} were"
    );
}

// ----- helpers -----

fn find(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .position(|w| w == needle)
        .unwrap_or_else(|| panic!("{:?} is in the sample", String::from_utf8_lossy(needle)))
}

trait ReplaceBytes {
    fn replace_bytes(self, from: &str, to: &str) -> Vec<u8>;
}

impl ReplaceBytes for Vec<u8> {
    fn replace_bytes(self, from: &str, to: &str) -> Vec<u8> {
        String::from_utf8(self)
            .expect("the samples are UTF-8 before any byte is changed")
            .replacen(from, to, 1)
            .into_bytes()
    }
}
