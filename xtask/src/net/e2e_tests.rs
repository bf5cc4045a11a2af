//! The network `cargo xtask run --countries` starts, used as an officer uses it: two nodes
//! from the built binary, a letter from KZ to UZ over their external faces, the receipt
//! back. Needs the node's binary (`SIS_E2E_NODE_BIN`, set by `cargo xtask test`).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::manifest::NodeEntry;
use super::{Layout, countries, nodes, ports::Ports, prepare};

/// One request over a fresh connection. HTTP/1.0 so that the answer comes whole, without
/// chunks, and the connection closes after it.
fn http(
    url: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> (u16, Value) {
    let addr = url.strip_prefix("http://").expect("an http:// url");
    let mut stream = TcpStream::connect(addr).expect("connect to the internal face");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    let body = body.map(Value::to_string).unwrap_or_default();
    let mut request = format!("{method} {path} HTTP/1.0\r\nHost: {addr}\r\n");
    if let Some(token) = token {
        request.push_str(&format!("Authorization: Bearer {token}\r\n"));
    }
    if !body.is_empty() {
        request.push_str("Content-Type: application/json\r\n");
    }
    request.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    stream.write_all(request.as_bytes()).expect("send");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).expect("answer");
    let answer = String::from_utf8(answer).expect("UTF-8 answer");
    let (head, body) = answer.split_once("\r\n\r\n").expect("head and body");
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let json = serde_json::from_str(body).unwrap_or(Value::Null);
    (status, json)
}

fn officer_token(node: &NodeEntry) -> String {
    let login = json!({"login": node.officer.login, "password": node.officer.password});
    let (status, answer) = http(&node.url, "POST", "/api/v1/session", None, Some(&login));
    assert_eq!(
        status, 200,
        "the demo officer of {} logs in: {answer}",
        node.country
    );
    answer["token"].as_str().expect("a token").to_owned()
}

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
    let net = prepare(&layout, &list, &web, &mut Ports::any()).expect("prepared");
    let running = nodes::start(&bin, &net.nodes).expect("the nodes start and listen");
    let entries = running.entries();
    let (kz, uz) = (&entries[0], &entries[1]);
    assert_eq!((kz.country.as_str(), uz.country.as_str()), ("KZ", "UZ"));

    let kz_token = officer_token(kz);
    let letter =
        json!({"to": ["UZ"], "subject": "Demo network check", "body": "Over the external faces."});
    let (status, sent) = http(
        &kz.url,
        "POST",
        "/api/v1/letters",
        Some(&kz_token),
        Some(&letter),
    );
    assert_eq!(status, 201, "KZ's officer sends a letter: {sent}");
    let id = sent["id"].as_str().expect("the letter's id").to_owned();

    let uz_token = officer_token(uz);
    let received = eventually("the letter in UZ's inbox", || {
        let (status, list) = http(
            &uz.url,
            "GET",
            "/api/v1/letters?box=inbox",
            Some(&uz_token),
            None,
        );
        assert_eq!(status, 200, "{list}");
        list["letters"]
            .as_array()?
            .iter()
            .find(|l| l["subject"] == "Demo network check")
            .cloned()
    });
    assert_eq!(received["from"], "KZ", "{received}");

    let delivered = eventually("KZ's letter delivered", || {
        let (status, letter) = http(
            &kz.url,
            "GET",
            &format!("/api/v1/letters/{id}"),
            Some(&kz_token),
            None,
        );
        assert_eq!(status, 200, "{letter}");
        let uz = letter["recipients"]
            .as_array()?
            .iter()
            .find(|r| r["country"] == "UZ")?
            .clone();
        (uz["status"] != "queued").then_some(uz)
    });
    // Only listed in UZ, not opened: nothing moves it past `delivered`.
    assert_eq!(
        delivered["status"], "delivered",
        "UZ signed a receipt for the letter: {delivered}"
    );
    assert!(delivered["receipt"]["log_index"].is_u64(), "{delivered}");
    running.stop();
}
