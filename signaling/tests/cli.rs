//! The `sis-signaling` binary as an operator uses it: officer administration and `serve`.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use sis_signaling::auth::{self, AuthError, SessionPolicy};
use sis_signaling::node::state::now_ms;
use sis_signaling::store::Store;

const BIN: &str = env!("CARGO_BIN_EXE_sis-signaling");

struct Node {
    dir: tempfile::TempDir,
}

impl Node {
    fn new() -> Node {
        Node {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn cmd(&self) -> Command {
        let mut c = Command::new(BIN);
        c.env_clear()
            .env("SIS_DATA_DIR", self.dir.path())
            .env("SIS_COUNTRY", "UZ")
            .env("PATH", std::env::var("PATH").unwrap_or_default());
        c
    }

    /// Runs with `stdin` piped in; returns (success, stdout, stderr).
    fn run(&self, args: &[&str], stdin: &str) -> (bool, String, String) {
        let mut child = self
            .cmd()
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(stdin.as_bytes())
            .expect("write stdin");
        let out = child.wait_with_output().expect("wait");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// The node's store, as the commands left it.
    async fn store(&self) -> Store {
        let url = format!("sqlite://{}", self.dir.path().join("sis.sqlite").display());
        Store::open(&url).await.expect("open the store")
    }
}

/// Runs a future to completion (the commands themselves run without a runtime).
fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
}

const ADD: [&str; 10] = [
    "officer",
    "add",
    "--login",
    "d.karimov",
    "--name",
    "Dilshod Karimov",
    "--role",
    "supervisor",
    "--agency",
    "Tashkent",
];

#[test]
fn officer_accounts_from_the_command_line() {
    let node = Node::new();
    let (ok, out, err) = node.run(&ADD, "a long enough password\n");
    assert!(ok, "{err}");
    assert!(
        out.contains("added d.karimov (supervisor, Tashkent, UZ)"),
        "{out}"
    );
    assert!(
        node.dir.path().join("sis.sqlite").is_file(),
        "SQLite file created on first use"
    );

    let (ok, _, err) = node.run(&ADD, "a long enough password\n");
    assert!(!ok);
    assert!(
        err.contains("login: an account \"d.karimov\" already exists"),
        "{err}"
    );

    let mut bad_role = ADD;
    bad_role[7] = "root";
    let (ok, _, err) = node.run(&bad_role, "a long enough password\n");
    assert!(!ok);
    assert!(err.contains("unknown role \"root\""), "{err}");

    let mut other = ADD;
    other[3] = "x.short";
    let (ok, _, err) = node.run(&other, "short\n");
    assert!(!ok);
    assert!(
        err.contains("password: must have at least 10 characters"),
        "{err}"
    );

    let (ok, out, _) = node.run(&["officer", "list"], "");
    assert!(ok);
    assert!(
        !out.contains("x.short"),
        "a refused account is not stored: {out}"
    );
    assert_eq!(
        table(&out),
        [
            ["LOGIN", "ROLE", "STATUS", "AGENCY", "NAME"],
            [
                "d.karimov",
                "supervisor",
                "active",
                "Tashkent",
                "Dilshod Karimov"
            ],
        ]
    );

    let (ok, _, err) = node.run(&["officer", "disable", "--login", "d.karimov"], "");
    assert!(ok, "{err}");
    let (_, out, _) = node.run(&["officer", "list"], "");
    assert_eq!(table(&out)[1][2], "disabled", "{out}");
    let (ok, _, err) = node.run(&["officer", "enable", "--login", "d.karimov"], "");
    assert!(ok, "{err}");
    let (_, out, _) = node.run(&["officer", "list"], "");
    assert_eq!(table(&out)[1][2], "active", "{out}");
    let (ok, _, err) = node.run(&["officer", "disable", "--login", "ghost"], "");
    assert!(!ok);
    assert!(err.contains("login: no account \"ghost\""), "{err}");
}

/// Splits `officer list` output into its cells by the header's column starts, checking
/// that every value starts exactly there, with at least one space before it.
fn table(out: &str) -> Vec<[String; 5]> {
    let lines: Vec<Vec<char>> = out.lines().map(|l| l.chars().collect()).collect();
    let header: String = lines.first().expect("a header line").iter().collect();
    let starts: Vec<usize> = ["LOGIN", "ROLE", "STATUS", "AGENCY", "NAME"]
        .iter()
        .map(|h| {
            let at = header
                .find(h)
                .unwrap_or_else(|| panic!("{h} in {header:?}"));
            header[..at].chars().count()
        })
        .collect();
    assert_eq!(starts[0], 0, "{header:?}");
    lines
        .iter()
        .map(|line| {
            std::array::from_fn(|i| {
                let end = starts.get(i + 1).map_or(line.len(), |&e| e.min(line.len()));
                let cell: String = line[starts[i].min(end)..end].iter().collect();
                assert!(
                    !cell.starts_with(' ') && (end == line.len() || cell.ends_with(' ')),
                    "column {i} out of line in {:?}\n{out}",
                    line.iter().collect::<String>()
                );
                cell.trim_end().to_owned()
            })
        })
        .collect()
}

#[test]
fn officer_list_lines_up_long_and_cyrillic_values_under_a_header() {
    let node = Node::new();
    let accounts = [
        (
            "a.ivanov",
            "Андрей Иванов",
            "officer",
            "Алматы, пост Хоргос",
        ),
        (
            "kz-border-checkpoint-supervisor-01",
            "B. Nurlanov",
            "supervisor",
            "HQ",
        ),
        ("adm", "Admin", "admin", "Customs Committee, Astana"),
    ];
    for (login, name, role, agency) in accounts {
        let args = [
            "officer", "add", "--login", login, "--name", name, "--role", role, "--agency", agency,
        ];
        let (ok, _, err) = node.run(&args, "a long enough password\n");
        assert!(ok, "{err}");
    }
    let (ok, out, err) = node.run(&["officer", "list"], "");
    assert!(ok, "{err}");
    let mut rows = table(&out);
    assert_eq!(
        rows.remove(0),
        ["LOGIN", "ROLE", "STATUS", "AGENCY", "NAME"]
    );
    rows.sort();
    let mut expected: Vec<[String; 5]> = accounts
        .iter()
        .map(|(login, name, role, agency)| {
            [*login, *role, "active", *agency, *name].map(str::to_owned)
        })
        .collect();
    expected.sort();
    assert_eq!(rows, expected, "{out}");
}

/// `d.karimov` logging in with `password`, as the login endpoint does.
async fn log_in(
    store: &sis_signaling::store::Store,
    policy: &SessionPolicy,
    password: &str,
    now: i64,
) -> Result<auth::LoggedIn, AuthError> {
    let pool = auth::PasswordPool::for_this_machine();
    auth::login(store, policy, &pool, "d.karimov", password, None, now).await
}

#[test]
fn a_new_password_replaces_the_old_one_and_ends_the_sessions() {
    let node = Node::new();
    let (old, new) = ("a long enough password", "another long password");
    let (ok, _, err) = node.run(&ADD, &format!("{old}\n"));
    assert!(ok, "{err}");
    let policy = SessionPolicy::default();
    let session = block_on(async {
        let store = node.store().await;
        let session = log_in(&store, &policy, old, now_ms()).await;
        store.close().await;
        session.expect("the first password logs in").token
    });

    let (ok, _, err) = node.run(
        &["officer", "passwd", "--login", "d.karimov"],
        &format!("{new}\n"),
    );
    assert!(ok, "{err}");

    block_on(async {
        let store = node.store().await;
        let now = now_ms();
        let before = auth::authenticate(&store, &policy, &session, now).await;
        assert!(
            matches!(before, Err(AuthError::Unauthenticated)),
            "the session of the old password ends: {before:?}"
        );
        let with_old = log_in(&store, &policy, old, now).await;
        assert!(
            matches!(with_old, Err(AuthError::InvalidCredentials)),
            "{with_old:?}"
        );
        let with_new = log_in(&store, &policy, new, now).await;
        let with_new = with_new.expect("the new password logs in");
        assert_eq!(with_new.who.officer.login, "d.karimov");
        store.close().await;
    });

    let (ok, _, err) = node.run(
        &["officer", "passwd", "--login", "ghost"],
        &format!("{new}\n"),
    );
    assert!(!ok);
    assert!(err.contains("login: no account \"ghost\""), "{err}");
}

/// The name of the user this test runs as, by the system's `id`, apart from the code
/// under test.
fn os_user() -> String {
    let out = Command::new("id").arg("-un").output().expect("id -un");
    assert!(out.status.success(), "id -un: {out:?}");
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .trim()
        .to_owned()
}

#[test]
fn the_audit_names_the_operating_system_user_whatever_user_says() {
    let node = Node::new();
    let (ok, _, err) = node.run(&ADD, "a long enough password\n");
    assert!(ok, "{err}");
    // `cmd` clears the environment, so USER and LOGNAME are unset for `add`; here they
    // name someone else.
    let out = node
        .cmd()
        .args(["officer", "disable", "--login", "d.karimov"])
        .env("USER", "somebody-else")
        .env("LOGNAME", "somebody-else")
        .env("USERNAME", "somebody-else")
        .output()
        .expect("run");
    assert!(out.status.success(), "{out:?}");

    let entries = block_on(async {
        let store = node.store().await;
        let entries = store.list_audit(10, None).await.expect("audit log");
        store.close().await;
        entries
    });
    let actor = format!("cli:{}", os_user());
    let found: Vec<_> = entries
        .iter()
        .rev()
        .map(|e| {
            (
                e.actor.as_deref(),
                e.action.as_str(),
                e.target.as_deref(),
                e.address.as_deref(),
                e.outcome.as_str(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                Some(actor.as_str()),
                "officer.add",
                Some("d.karimov"),
                Some("cli"),
                "ok"
            ),
            (
                Some(actor.as_str()),
                "officer.disable",
                Some("d.karimov"),
                Some("cli"),
                "ok"
            ),
        ]
    );
}

/// A user id the system has no name for is audited by its number. Needs root (to run
/// the command as another user, with util-linux's `setpriv`); skipped otherwise.
#[test]
fn a_user_id_without_a_name_is_audited_by_number() {
    const UID: &str = "54321";
    let root = Command::new("id").arg("-u").output().expect("id -u");
    let named = Command::new("getent").args(["passwd", UID]).output();
    if String::from_utf8_lossy(&root.stdout).trim() != "0"
        || !named.is_ok_and(|o| o.stdout.is_empty())
        || Command::new("setpriv").arg("--version").output().is_err()
    {
        eprintln!("note: not root, no setpriv, or uid {UID} has a name; skipped");
        return;
    }
    let node = Node::new();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(node.dir.path(), std::fs::Permissions::from_mode(0o777))
        .expect("chmod");
    // The store is made by that user, so it can write it.
    let mut child = Command::new("setpriv")
        .args([&format!("--reuid={UID}"), &format!("--regid={UID}")])
        .arg("--clear-groups")
        .arg(BIN)
        .args(ADD)
        .env_clear()
        .env("SIS_DATA_DIR", node.dir.path())
        .env("SIS_COUNTRY", "UZ")
        .env("USER", "root")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("setpriv");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"a long enough password\n")
        .expect("write stdin");
    let out = child.wait_with_output().expect("wait");
    assert!(out.status.success(), "{out:?}");
    let entries = block_on(async {
        let store = node.store().await;
        let entries = store.list_audit(10, None).await.expect("audit log");
        store.close().await;
        entries
    });
    let actors: Vec<_> = entries.iter().map(|e| e.actor.as_deref()).collect();
    assert_eq!(actors, [Some(format!("cli:uid:{UID}").as_str())]);
}

#[test]
fn serve_answers_and_stops_gracefully_on_sigterm() {
    let node = Node::new();
    let mut child = node
        .cmd()
        .args(["serve"])
        .env("SIS_LISTEN", "127.0.0.1:0")
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let stderr = child.stderr.take().expect("stderr");
    // Stops the node even when an assertion below fails.
    struct Reap(std::process::Child);
    impl Drop for Reap {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut child = Reap(child);
    let mut lines = BufReader::new(stderr).lines();
    let addr = loop {
        let line = lines
            .next()
            .expect("the node logs its address before exiting")
            .expect("utf-8 log");
        if let Some(rest) = line.split("node listening on http://").nth(1) {
            break rest
                .split_whitespace()
                .next()
                .expect("an address")
                .to_owned();
        }
    };
    // Keep draining the log so the node never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    let mut stream = std::net::TcpStream::connect(&addr).expect("connect");
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .expect("request");
    let mut response = String::new();
    std::io::Read::read_to_string(&mut stream, &mut response).expect("response");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");

    let status = Command::new("kill")
        .args(["-TERM", &child.0.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let exit = child.0.wait().expect("wait");
    assert!(exit.success(), "graceful shutdown exits 0, got {exit}");
}

#[test]
fn plain_http_off_loopback_and_bad_settings_are_refused() {
    let node = Node::new();
    let (ok, _, err) = {
        let out = node
            .cmd()
            .args(["serve"])
            .env("SIS_LISTEN", "0.0.0.0:0")
            .output()
            .expect("run");
        (
            out.status.success(),
            (),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    assert!(!ok);
    assert!(
        err.contains("listen: 0.0.0.0:0 is not a loopback address"),
        "{err}"
    );

    let out = node
        .cmd()
        .args(["serve"])
        .env("SIS_COUNTRY", "XX")
        .output()
        .expect("run");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("country") && err.contains("\"XX\""), "{err}");
}
