use sis_proto::letter::{AttachmentView, Recipient};

use super::*;
use crate::api::{EndpointPath, prepare_at};
use crate::directory::search_path;
use sis_proto::endpoint::{CreateLetter, ListLetters};

fn summary(id: &str, number: &str, at: i64, box_: Mailbox) -> LetterSummary {
    LetterSummary {
        id: id.into(),
        number: number.into(),
        box_,
        from: "UZ".into(),
        to: vec!["KZ".into()],
        subject: format!("letter {id}"),
        at,
        deadline: None,
        overdue: false,
        unread: false,
        case: "0190c3a2-0000-7000-8000-000000000001".into(),
        status: LetterStatus::Delivered,
        files: 0,
    }
}

fn letter(summary: LetterSummary) -> Letter {
    Letter {
        summary,
        agency: "Customs service".into(),
        body: String::new(),
        their_number: None,
        reply_to: None,
        attachments: Vec::<AttachmentView>::new(),
        recipients: Vec::<Recipient>::new(),
        author: None,
        envelope_id: None,
    }
}

fn country(code: &str, en: &str, ru: Option<&str>) -> DirectoryEntry {
    DirectoryEntry {
        code: code.into(),
        en: en.into(),
        ru: ru.map(str::to_owned),
        zh: None,
        attribute: String::new(),
        parent: None,
    }
}

#[test]
fn a_mailbox_is_asked_for_with_the_words_typed() {
    let path = EndpointPath::<ListLetters>::plain().expect("no placeholders");
    let p = prepare_at(&path, &list_query(Mailbox::Outbox, "  ")).expect("encodes");
    assert_eq!(p.url(), "/api/v1/letters?box=outbox&limit=100");
    let p = prepare_at(&path, &list_query(Mailbox::Inbox, " пломба seal ")).expect("encodes");
    assert_eq!(
        p.url(),
        "/api/v1/letters?box=inbox&limit=100&q=%D0%BF%D0%BB%D0%BE%D0%BC%D0%B1%D0%B0%20seal",
        "trimmed, and the node's `box` name, not the Rust field's"
    );
    assert_eq!(
        p.shell_body().expect("encodes"),
        Some(serde_json::json!({"box": "inbox", "limit": "100", "q": "пломба seal"})),
        "the desktop shell gets the same parameters"
    );
}

#[test]
fn a_thread_is_both_mailboxes_of_the_case_newest_first_without_the_open_letter() {
    let case = "0190c3a2-0000-7000-8000-000000000001";
    let path = EndpointPath::<ListLetters>::plain().expect("no placeholders");
    let urls: Vec<String> = thread_queries(case)
        .iter()
        .map(|q| prepare_at(&path, q).expect("encodes").url())
        .collect();
    assert_eq!(
        urls,
        [
            format!("/api/v1/letters?box=inbox&case={case}&limit=100"),
            format!("/api/v1/letters?box=outbox&case={case}&limit=100"),
        ]
    );

    let inbox = vec![
        summary("b", "KZ-IN-2026-000002", 300, Mailbox::Inbox),
        summary("a", "KZ-IN-2026-000001", 100, Mailbox::Inbox),
    ];
    let outbox = vec![
        summary("open", "KZ-OUT-2026-000007", 400, Mailbox::Outbox),
        summary("c", "KZ-OUT-2026-000006", 200, Mailbox::Outbox),
    ];
    let ids: Vec<String> = thread(inbox, outbox, "open")
        .into_iter()
        .map(|l| l.id)
        .collect();
    assert_eq!(ids, ["b", "c", "a"]);
}

#[test]
fn recipients_are_the_other_carec_members_named_from_the_directory() {
    let directory = [
        country("KG", "Kyrgyzstan", Some("Киргизия")),
        country("FR", "France", Some("Франция")),
        country("UZ", "Uzbekistan", Some("Узбекистан")),
    ];
    let choices = recipient_choices(Language::Ru, "kz", &directory);
    let codes: Vec<&str> = choices.iter().map(|c| c.code).collect();
    assert_eq!(codes.len(), 10, "eleven members but this node's own");
    assert!(
        !codes.contains(&"KZ"),
        "a letter never goes to its own country"
    );
    assert!(!codes.contains(&"FR"), "only CAREC members receive letters");
    let kg = choices.iter().find(|c| c.code == "KG").expect("KG offered");
    assert_eq!(
        kg.label(),
        "KG · Киргизия",
        "the directory's name comes first"
    );
    let tj = choices.iter().find(|c| c.code == "TJ").expect("TJ offered");
    assert_eq!(
        tj.label(),
        "TJ · Таджикистан",
        "a member missing from the directory keeps the interface's name"
    );
    let names: Vec<&str> = choices.iter().map(|c| c.name.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted, "in the order of their names");
    assert_eq!(
        recipient_choices(Language::En, "KZ", &[])[0].label(),
        "AF · Afghanistan"
    );
}

#[test]
fn the_directory_is_asked_for_all_countries_within_the_nodes_limit() {
    let (directory, query) = countries_query();
    let p = prepare_at(&search_path(directory).expect("fills"), &query).expect("encodes");
    assert_eq!(p.url(), "/api/v1/directories/countries?limit=500");
}

#[test]
fn a_composed_letter_leaves_empty_options_to_the_node_and_is_a_draft_with_files() {
    let form = Compose {
        to: vec!["UZ".into(), "KG".into()],
        agency: "  ".into(),
        subject: " Broken seal ".into(),
        body: "Please inspect.".into(),
        deadline: String::new(),
        reply_to: None,
        with_files: false,
    };
    let path = EndpointPath::<CreateLetter>::plain().expect("no placeholders");
    let p = prepare_at(&path, &new_letter(&form)).expect("encodes");
    assert_eq!(
        p.body,
        Some(serde_json::json!({
            "to": ["UZ", "KG"],
            "subject": " Broken seal ",
            "body": "Please inspect.",
            "draft": false,
        })),
        "no agency, deadline or reply_to keys: the node's defaults apply"
    );

    let with_all = Compose {
        agency: " State Revenue Committee ".into(),
        deadline: "2026-12-31".into(),
        reply_to: Some("0190c3a2".into()),
        with_files: true,
        ..form
    };
    let request = new_letter(&with_all);
    assert_eq!(request.agency.as_deref(), Some("State Revenue Committee"));
    assert_eq!(request.deadline.as_deref(), Some("2026-12-31"));
    assert_eq!(request.reply_to.as_deref(), Some("0190c3a2"));
    assert!(request.draft, "files go onto a draft before it is sent");
}

#[test]
fn a_reply_goes_back_to_the_sender_once_prefixed() {
    let received = letter(summary("in-1", "KZ-IN-2026-000001", 1, Mailbox::Inbox));
    let reply = reply_to(&received, "KZ");
    assert_eq!(reply.to, ["UZ"]);
    assert_eq!(reply.subject, "Re: letter in-1");
    assert_eq!(reply.reply_to.as_deref(), Some("in-1"));

    let mut sent = summary("out-1", "KZ-OUT-2026-000001", 1, Mailbox::Outbox);
    sent.from = "KZ".into();
    sent.to = vec!["UZ".into(), "TJ".into()];
    sent.subject = "RE: Broken seal".into();
    let follow_up = reply_to(&letter(sent), "KZ");
    assert_eq!(
        follow_up.to,
        ["UZ", "TJ"],
        "a follow-up to the same countries"
    );
    assert_eq!(follow_up.subject, "RE: Broken seal", "not `Re: RE: …`");
}

#[test]
fn a_files_address_keeps_its_name_one_path_segment() {
    assert_eq!(
        attachment_path("0190c3a2-aaaa", "Акт осмотра 1/2.pdf").expect("fills"),
        "/api/v1/letters/0190c3a2-aaaa/attachments/\
         %D0%90%D0%BA%D1%82%20%D0%BE%D1%81%D0%BC%D0%BE%D1%82%D1%80%D0%B0%201%2F2.pdf"
    );
    assert!(attachment_path("id", "").is_err(), "a file has a name");
}

#[test]
fn files_without_a_known_type_go_as_bytes_and_oversized_ones_are_caught_first() {
    assert_eq!(content_type(""), "application/octet-stream");
    assert_eq!(content_type("application/pdf"), "application/pdf");
    let files = vec![
        ("act.pdf".to_owned(), 20 * 1024 * 1024),
        ("scan.tiff".to_owned(), 20 * 1024 * 1024 + 1),
    ];
    assert_eq!(
        first_too_large(&files),
        Some("scan.tiff"),
        "20 MiB is allowed, a byte more is not"
    );
    assert_eq!(first_too_large(&files[..1]), None);
}

#[test]
fn statuses_read_in_both_languages_and_keep_their_wire_names() {
    for status in [
        LetterStatus::Draft,
        LetterStatus::Queued,
        LetterStatus::Delivered,
        LetterStatus::Registered,
        LetterStatus::Read,
        LetterStatus::Answered,
        LetterStatus::Refused,
    ] {
        let wire = serde_json::to_value(status).expect("serialises");
        assert_eq!(wire.as_str(), Some(status_slug(status)));
        assert_ne!(status_key(status), Key::LetterStatusOther, "{status:?}");
    }
    assert_eq!(
        t(Language::Ru, status_key(LetterStatus::Refused)),
        "Отклонено"
    );
    assert_eq!(t(Language::En, status_key(LetterStatus::Queued)), "Queued");
}

#[test]
fn sizes_read_as_people_read_them() {
    assert_eq!(size_text(Language::En, 512), "512 B");
    assert_eq!(size_text(Language::En, 1536), "1.5 KB");
    assert_eq!(size_text(Language::Ru, 3 * 1024 * 1024 + 104_858), "3,1 МБ");
}

#[test]
fn rows_are_found_by_registration_number_drafts_by_id() {
    let sent = summary("x", "KZ-OUT-2026-000123", 1, Mailbox::Outbox);
    assert_eq!(row_id(&sent), "letter-row-KZ-OUT-2026-000123");
    let draft = summary("0190c3a2-bbbb", "", 1, Mailbox::Outbox);
    assert_eq!(row_id(&draft), "letter-row-0190c3a2-bbbb");
}
