//! The data-sharing policy: its TOML form, withheld elements removed byte-for-byte on the
//! way out and refused on the way in.

mod common;

use common::*;
use sis_exchange::policy::OutgoingError;
use sis_exchange::{Audience, DocType, ErrorCode, Policy};

const TOML: &str = r#"
[documents.letter]
share_with = "all"
withheld = ["OfficialLetter/attachments/attachment/sha256", "OfficialLetter/replyTo"]

[documents.risk-alert]
share_with = ["KZ", "UZ"]
accept_from = ["KZ", "UZ", "KG"]
"#;

fn policy() -> Policy {
    toml::from_str(TOML).expect("the example policy parses")
}

#[test]
fn the_policy_reads_from_toml() {
    let p = policy();
    let risk = &p.documents[&DocType::parse("risk-alert").unwrap()];
    assert_eq!(
        risk.share_with,
        Audience::Countries(vec![cc("KZ"), cc("UZ")])
    );
    assert!(risk.accept_from.as_ref().unwrap().includes(cc("KG")));
    for bad in [
        "[documents.letter]\nshare_with = \"everyone\"",
        "[documents.letter]\nshare_with = [\"kz\"]",
        "[documents.Letter]\nshare_with = \"all\"",
        "[documents.letter]\nshare_with = \"all\"\nwithheld = [\"a//b\"]",
        "[documents.letter]\nshare_wiht = \"all\"",
    ] {
        assert!(toml::from_str::<Policy>(bad).is_err(), "{bad}");
    }
}

#[test]
fn withheld_elements_never_leave_and_everything_else_is_kept_byte_for_byte() {
    let xml = String::from_utf8(letter_xml()).unwrap();
    assert!(
        xml.contains("<sha256>") && xml.contains("<replyTo>"),
        "the example has them"
    );
    let out = policy()
        .apply_outgoing(&letter_doc(), cc("UZ"), xml.as_bytes())
        .unwrap();
    let out = String::from_utf8(out).unwrap();
    assert!(!out.contains("sha256") && !out.contains("replyTo"), "{out}");

    // Taking out the two elements with the whitespace before each gives the same text.
    let mut expected = xml.clone();
    for element in ["sha256", "replyTo"] {
        let start = expected.find(&format!("<{element}>")).unwrap();
        let ws = expected[..start].trim_end_matches([' ', '\n']).len();
        let end = expected.find(&format!("</{element}>")).unwrap() + element.len() + 3;
        expected.replace_range(ws..end, "");
    }
    assert_eq!(out, expected);
}

#[test]
fn the_filter_keeps_what_it_does_not_understand() {
    let xml = "<?xml version=\"1.0\"?>\n<!-- c --><a xmlns:p=\"u\"><p:b x='1'>&amp;<c/></p:b><b/>\
               <keep><![CDATA[<b>]]></keep></a>";
    let paths = [sis_exchange::ElementPath::parse("a/b").unwrap()];
    let out = sis_exchange::xml_filter::remove(xml.as_bytes(), &paths).unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "<?xml version=\"1.0\"?>\n<!-- c --><a xmlns:p=\"u\"><keep><![CDATA[<b>]]></keep></a>",
        "prefixed and empty elements at the path go; comments, CDATA and declarations stay"
    );
    for bad in [
        "<a><b></a>",
        "<a>",
        "<!DOCTYPE a [<!ENTITY e \"<b/>\">]><a>&e;</a>",
    ] {
        assert!(
            sis_exchange::xml_filter::remove(bad.as_bytes(), &paths).is_err(),
            "{bad}"
        );
    }
}

#[test]
fn the_filter_cuts_at_the_right_bytes_after_a_byte_order_mark() {
    // A national system that writes UTF-8 with a byte order mark: the mark is kept and
    // the cut falls exactly around the withheld element.
    let paths = [sis_exchange::ElementPath::parse("a/b").unwrap()];
    let xml = b"\xEF\xBB\xBF<?xml version=\"1.0\"?><a><keep>x</keep>\n <b>y</b><c/></a>";
    let out = sis_exchange::xml_filter::remove(xml, &paths).unwrap();
    assert_eq!(
        out,
        b"\xEF\xBB\xBF<?xml version=\"1.0\"?><a><keep>x</keep><c/></a>".to_vec()
    );
    assert_eq!(sis_exchange::xml_filter::find(&out, &paths), Ok(None));
    let twice = b"\xEF\xBB\xBF\xEF\xBB\xBF<a><b/></a>";
    let err = sis_exchange::xml_filter::remove(twice, &paths).unwrap_err();
    assert!(err.to_string().contains("byte order mark"), "{err}");
}

#[test]
fn the_sender_refuses_a_recipient_the_policy_does_not_share_with() {
    let p = policy();
    let risk = DocType::parse("risk-alert").unwrap();
    assert!(p.apply_outgoing(&risk, cc("UZ"), b"<r/>").is_ok());
    let err = p.apply_outgoing(&risk, cc("KG"), b"<r/>").unwrap_err();
    assert_eq!(err.code(), "policy_refused");
    assert!(matches!(err, OutgoingError::NotShared { .. }));
    let unknown = DocType::parse("carrier-event").unwrap();
    assert!(matches!(
        p.apply_outgoing(&unknown, cc("UZ"), b"<r/>"),
        Err(OutgoingError::UnknownType(_))
    ));
}

#[test]
fn the_receiver_refuses_by_sender_and_by_withheld_element() {
    let p = policy();
    let risk = DocType::parse("risk-alert").unwrap();
    p.check_incoming(&risk, cc("KG"), b"<r/>")
        .expect("accept_from includes KG");
    let err = p.check_incoming(&risk, cc("TJ"), b"<r/>").unwrap_err();
    assert_eq!(err.code, ErrorCode::PolicyRefused);
    assert_eq!(
        err.message,
        "document type risk-alert is not accepted from TJ"
    );

    let err = p
        .check_incoming(&letter_doc(), cc("KZ"), &letter_xml())
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::PolicyRefused);
    assert!(
        err.message
            .contains("OfficialLetter/attachments/attachment/sha256"),
        "{}",
        err.message
    );

    let filtered = p
        .apply_outgoing(&letter_doc(), cc("UZ"), &letter_xml())
        .unwrap();
    p.check_incoming(&letter_doc(), cc("KZ"), &filtered)
        .expect("what the sender's policy lets out, the same policy lets in");
}
