//! The network `cargo xtask run --countries` starts, used as an officer uses it: two nodes
//! from the built binary, a letter from KZ to UZ over their external faces, the receipt
//! back. Needs the node's binary (`SIS_E2E_NODE_BIN`, set by `cargo xtask test`).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use sis_proto::Endpoint as _;
use sis_proto::endpoint::{CreateLetter, GetLetter, ListLetters};
use sis_proto::letter::{LetterQuery, LetterStatus, NewLetter};

use super::api::Session;
use super::{Layout, Options, countries, nodes, ports::Ports, prepare};

/// Asks `probe` every 200 ms until it gives a value, for at most a minute.
fn eventually<T>(what: &str, mut probe: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(v) = probe() {
            return v;
        }
        assert!(Instant::now() < deadline, "{what}: not within a minute");
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
#[ignore = "starts nodes from SIS_E2E_NODE_BIN, which `cargo xtask test` builds and sets"]
fn a_letter_from_kz_reaches_uz_and_comes_back_delivered() {
    let bin = PathBuf::from(
        std::env::var_os("SIS_E2E_NODE_BIN").expect("SIS_E2E_NODE_BIN: the node's binary"),
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let web =
        std::env::var_os("SIS_E2E_WEB_DIR").map_or_else(|| dir.path().join("web"), PathBuf::from);
    let layout = Layout::under(dir.path());
    let list = countries::parse("kz,uz").expect("countries");
    let net =
        prepare(&layout, &list, &web, &mut Ports::any(), &Options::default()).expect("prepared");
    let running = nodes::start(&bin, &net.nodes).expect("the nodes start and listen");
    let entries = running.entries();
    let (kz, uz) = (&entries[0], &entries[1]);
    assert_eq!((kz.country.as_str(), uz.country.as_str()), ("KZ", "UZ"));

    let kz_officer = Session::new(&kz.url, &kz.officer);
    let letter = NewLetter {
        to: vec!["UZ".into()],
        agency: None,
        subject: "Demo network check".into(),
        body: "Over the external faces.".into(),
        reply_to: None,
        deadline: None,
        case: None,
        draft: false,
    };
    let sent = kz_officer
        .call::<CreateLetter>(CreateLetter::PATH, &letter)
        .expect("KZ's officer sends a letter");
    let id = sent.summary.id;

    let uz_officer = Session::new(&uz.url, &uz.officer);
    let received = eventually("the letter in UZ's inbox", || {
        let list = uz_officer
            .call::<ListLetters>(ListLetters::PATH, &LetterQuery::default())
            .expect("UZ's inbox");
        list.letters
            .into_iter()
            .find(|l| l.subject == "Demo network check")
    });
    assert_eq!(received.from, "KZ", "{received:?}");

    let delivered = eventually("KZ's letter delivered", || {
        let letter = kz_officer
            .call::<GetLetter>(&format!("/api/v1/letters/{id}"), &())
            .expect("KZ's letter");
        let uz = letter.recipients.into_iter().find(|r| r.country == "UZ")?;
        (uz.status != LetterStatus::Queued).then_some(uz)
    });
    // Only listed in UZ, not opened: it moves no further than registered there.
    assert!(
        matches!(
            delivered.status,
            LetterStatus::Delivered | LetterStatus::Registered
        ),
        "UZ signed a receipt for the letter: {delivered:?}"
    );
    assert!(delivered.receipt.is_some(), "{delivered:?}");
    running.stop();
}
