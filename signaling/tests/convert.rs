//! `sis-signaling convert` and `validate` as an integrator runs them: the binary, standard
//! input, standard output, standard error and the exit status.

use std::io::Write;
use std::process::{Command, Stdio};

use sis_customs::documents::Document;
use sis_customs::documents::examples::*;
use sis_customs::xml;

struct Run {
    status: i32,
    stdout: Vec<u8>,
    stderr: String,
}

impl Run {
    fn stdout_text(&self) -> String {
        String::from_utf8(self.stdout.clone()).expect("UTF-8 output")
    }

    fn problems(&self) -> Vec<&str> {
        self.stderr.lines().collect()
    }
}

fn sis(args: &[&str], input: &[u8]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sis-signaling"))
        .args(args)
        // The document commands must not need a configuration, even a broken one.
        .env("SIS_CONFIG", "/nonexistent/sis.toml")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        // The command may stop reading early (over the limit): a broken pipe is fine.
        let _ = stdin.write_all(&input);
    });
    let output = child.wait_with_output().expect("the binary ends");
    writer.join().expect("the writer ends");
    Run {
        status: output.status.code().expect("an exit status"),
        stdout: output.stdout,
        stderr: String::from_utf8(output.stderr).expect("UTF-8 errors"),
    }
}

fn json(document: &Document) -> Vec<u8> {
    serde_json::to_vec(document).expect("documents serialise")
}

#[test]
fn xml_to_edifact_and_back_gives_the_same_xml() {
    let invoice: Document = example_single_invoice().into();
    let original = xml::write(&invoice);

    let edifact = sis(
        &[
            "convert",
            "--from",
            "xml",
            "--to",
            "edifact",
            "--sender",
            "KZ-ASTANA-1",
        ],
        original.as_bytes(),
    );
    assert_eq!((edifact.status, edifact.stderr.as_str()), (0, ""));
    let text = edifact.stdout_text();
    assert!(
        text.starts_with("UNB+UNOC:3+KZ-ASTANA-1+NATIONAL-SYSTEM+"),
        "{text}"
    );
    assert!(text.contains("UNH+1+INVOIC:D:96B:UN'"), "{text}");

    // The form is told from the first characters when --from is absent.
    let back = sis(&["convert", "--to", "xml"], &edifact.stdout);
    assert_eq!((back.status, back.stderr.as_str()), (0, ""));
    assert_eq!(back.stdout_text(), original);
}

#[test]
fn russian_text_goes_out_in_unoe_and_comes_back_equal() {
    let mut info = example_preliminary_information();
    info.consignee.name = "ООО \"Ташкент Нон Савдо\"".to_owned();
    info.goods[0].description = "Мука пшеничная высшего сорта".to_owned();
    let document: Document = info.into();

    let edifact = sis(
        &["convert", "--from", "json", "--to", "edifact"],
        &json(&document),
    );
    assert_eq!((edifact.status, edifact.stderr.as_str()), (0, ""));
    assert!(
        edifact.stdout.starts_with(b"UNB+UNOE:3+"),
        "the first set that holds Cyrillic: {}",
        String::from_utf8_lossy(&edifact.stdout)
    );

    let back = sis(
        &[
            "convert",
            "--to",
            "json",
            "--type",
            "preliminary-information",
        ],
        &edifact.stdout,
    );
    assert_eq!((back.status, back.stderr.as_str()), (0, ""));
    let read: Document = serde_json::from_slice(&back.stdout).expect("JSON");
    assert_eq!(read, document);

    let latin_only = sis(
        &["convert", "--to", "edifact", "--charset", "unoc"],
        &json(&document),
    );
    assert_eq!(latin_only.status, 1);
    assert!(latin_only.stdout.is_empty(), "nothing written");
    let problems = latin_only.problems();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].ends_with("cannot be written in the UNOC character set"),
        "{problems:?}"
    );
}

#[test]
fn validate_accepts_every_form_of_a_valid_document() {
    let decision: Document = example_sw_decision().into();
    let edifact = sis(&["convert", "--to", "edifact"], &json(&decision));
    assert_eq!(edifact.status, 0, "{}", edifact.stderr);
    for input in [
        json(&decision),
        xml::write(&decision).into_bytes(),
        edifact.stdout,
    ] {
        let run = sis(&["validate"], &input);
        assert_eq!((run.status, run.stderr.as_str()), (0, ""));
        assert_eq!(run.stdout_text(), "valid sw-decision\n");
    }
}

#[test]
fn validate_reports_every_problem_one_a_line_with_its_field() {
    let mut invoice = example_single_invoice();
    // A valid change (another subheading of the code list, that of line 1): no problem.
    invoice.lines[1].hs_code = "110100".parse().expect("an HS code");
    invoice.totals.value = "1.00".parse().expect("an amount");
    invoice.seller.name = String::new();
    let run = sis(&["validate"], xml::write(&invoice.into()).as_bytes());
    assert_eq!(run.status, 1);
    assert!(run.stdout.is_empty());
    assert_eq!(
        run.problems(),
        [
            "seller.name: must not be empty",
            "totals.value: 1.00 is not the sum of the line values, 11990.00",
        ]
    );
}

#[test]
fn a_value_outside_its_code_list_is_named_by_its_path() {
    let text = xml::write(&example_single_invoice().into()).replacen(
        "<hsCode>190219</hsCode>",
        "<hsCode>847199</hsCode>",
        1,
    );
    let run = sis(&["validate"], text.as_bytes());
    assert_eq!(run.status, 1);
    let problems = run.problems();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with(
            "SingleInvoice/lines/line[2]/hsCode: \"847199\" is not an HS 2022 subheading"
        ),
        "{problems:?}"
    );
}

#[test]
fn wrong_types_and_inputs_are_refused_with_a_reason() {
    let letter: Document = example_official_letter().into();
    let run = sis(&["convert", "--to", "edifact"], &json(&letter));
    assert_eq!(run.status, 1);
    assert!(
        run.stderr.starts_with(
            "there is no UN/EDIFACT message for a document of type official-letter; mapped are"
        ),
        "{}",
        run.stderr
    );

    let run = sis(&["validate", "--type", "single-invoice"], &json(&letter));
    assert_eq!(run.status, 1);
    assert_eq!(
        run.problems(),
        ["the input is of type official-letter, not single-invoice as --type says"]
    );

    let run = sis(&["validate"], b"ISA*00*          *00*");
    assert_eq!(run.status, 1);
    assert!(
        run.stderr.starts_with("input: neither UN/EDIFACT"),
        "{}",
        run.stderr
    );

    let run = sis(&["validate", "--type", "passport"], b"{}");
    assert_eq!(run.status, 2, "a usage error, as clap reports it");
    assert!(
        run.stderr.contains("unknown document type \"passport\""),
        "{}",
        run.stderr
    );

    let two = serde_json::to_vec(&[letter.clone(), letter]).expect("JSON");
    let run = sis(&["convert", "--to", "xml"], &two);
    assert_eq!(run.status, 1);
    assert!(
        run.stderr
            .starts_with("input: holds 2 documents; an XML file holds one"),
        "{}",
        run.stderr
    );
}

#[test]
fn input_over_16_mib_is_refused() {
    let mut input = b"<SingleInvoice xmlns=\"urn:carec:sis:2026\" version=\"1\"><number>".to_vec();
    input.resize(17 * 1024 * 1024, b'x');
    let run = sis(&["validate"], &input);
    assert_eq!(run.status, 1);
    assert_eq!(run.problems(), ["input: over the limit of 16777216 bytes"]);
}
