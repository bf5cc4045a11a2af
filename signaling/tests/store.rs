//! The store suite: the same tests on a SQLite file and on a real PostgreSQL
//! (`SIS_TEST_POSTGRES_URL`), covering accounts, sessions, lockout and the audit log.

mod common;

use common::{PASSWORD, TestDb, add_officer};
use sis_proto::Role;
use sis_signaling::auth::PasswordPool;
use sis_signaling::auth::{self, AuthError, SessionPolicy};
use sis_signaling::ids::Login;
use sis_signaling::store::{NewAuditEntry, Store, StoreError};

const T0: i64 = 1_800_000_000_000;

fn pool() -> PasswordPool {
    PasswordPool::for_this_machine()
}

async fn officers_are_stored_and_unique(store: Store) {
    add_officer(&store, "a.ivanov", Role::Officer).await;
    add_officer(&store, "b.admin", Role::Admin).await;
    let rec = store
        .officer_by_login(&Login::parse("a.ivanov").unwrap())
        .await
        .expect("query")
        .expect("exists");
    assert_eq!(rec.officer.role, Role::Officer);
    assert_eq!(rec.officer.country, "KZ");
    assert!(rec.password_hash.starts_with("$argon2id$"));
    assert!(!rec.officer.disabled);

    let err = sis_signaling::officer::add(
        &store,
        &sis_signaling::officer::AddOfficer {
            login: "a.ivanov",
            name: "Someone Else",
            role: Role::Admin,
            agency: "Other",
            country: "KZ",
        },
        PASSWORD,
    )
    .await
    .expect_err("duplicate login");
    assert!(err.to_string().starts_with("login:"), "{err}");
    let again = store
        .officer_by_login(&Login::parse("a.ivanov").unwrap())
        .await
        .expect("q")
        .expect("still there");
    assert_eq!(
        again.officer.name, "Officer a.ivanov",
        "the first account is unchanged"
    );
    let logins: Vec<_> = store
        .list_officers()
        .await
        .expect("list")
        .into_iter()
        .map(|r| r.officer.login)
        .collect();
    assert_eq!(logins, ["a.ivanov", "b.admin"]);
}

async fn login_opens_a_session_and_logout_ends_it(store: Store) {
    add_officer(&store, "a.ivanov", Role::Officer).await;
    let p = SessionPolicy::default();
    let done = auth::login(
        &store,
        &p,
        &pool(),
        "a.ivanov",
        PASSWORD,
        Some("10.0.0.9"),
        T0,
    )
    .await
    .expect("login");
    assert_eq!(done.expires_at, T0 + p.lifetime_ms);
    let who = auth::authenticate(&store, &p, &done.token, T0 + 1000)
        .await
        .expect("token valid");
    assert_eq!(who.officer.login, "a.ivanov");
    auth::logout(&store, &who, None, T0 + 2000)
        .await
        .expect("logout");
    assert!(matches!(
        auth::authenticate(&store, &p, &done.token, T0 + 3000).await,
        Err(AuthError::Unauthenticated)
    ));
    assert!(matches!(
        auth::authenticate(&store, &p, "sis_not-a-token", T0).await,
        Err(AuthError::Unauthenticated)
    ));
}

async fn sessions_expire_by_lifetime_and_idleness(store: Store) {
    add_officer(&store, "a.ivanov", Role::Officer).await;
    let p = SessionPolicy {
        lifetime_ms: 10 * 60_000,
        idle_ms: 3 * 60_000,
        ..SessionPolicy::default()
    };
    let t = auth::login(&store, &p, &pool(), "a.ivanov", PASSWORD, None, T0)
        .await
        .expect("login")
        .token;
    // Activity every two minutes keeps it alive past the idle timeout...
    for minute in [2, 4, 6, 8] {
        auth::authenticate(&store, &p, &t, T0 + minute * 60_000)
            .await
            .unwrap_or_else(|e| panic!("alive at minute {minute}: {e}"));
    }
    // ...but not past its lifetime.
    assert!(matches!(
        auth::authenticate(&store, &p, &t, T0 + 10 * 60_000).await,
        Err(AuthError::SessionExpired)
    ));
    let t2 = auth::login(&store, &p, &pool(), "a.ivanov", PASSWORD, None, T0)
        .await
        .expect("login")
        .token;
    assert!(matches!(
        auth::authenticate(&store, &p, &t2, T0 + 3 * 60_000).await,
        Err(AuthError::SessionExpired)
    ));
}

async fn repeated_failures_lock_the_login_from_that_address_only(store: Store) {
    add_officer(&store, "a.ivanov", Role::Officer).await;
    let p = SessionPolicy::default();
    let stranger = Some("203.0.113.7");
    let office = Some("10.0.0.9");
    let login = |password: &'static str, from: Option<&'static str>, at: i64| {
        let store = store.clone();
        async move { auth::login(&store, &p, &pool(), "a.ivanov", password, from, at).await }
    };
    for i in 0..p.max_failures {
        assert!(matches!(
            login("wrong password", stranger, T0 + i).await,
            Err(AuthError::InvalidCredentials)
        ));
    }
    // Locked for the stranger: even the right password is refused from there...
    match login(PASSWORD, stranger, T0 + 100).await {
        Err(AuthError::TooManyAttempts { retry_after_s }) => {
            assert_eq!(retry_after_s, 60, "the first lock lasts a minute")
        }
        other => panic!("expected a lock, got {other:?}"),
    }
    // ...while the officer logs in from the office as usual.
    login(PASSWORD, office, T0 + 200)
        .await
        .expect("the real user is not locked out by a stranger's guesses");
    // Each further failure doubles the wait.
    let after_first_lock = T0 + 4 + 60_000;
    assert!(matches!(
        login("wrong again", stranger, after_first_lock).await,
        Err(AuthError::InvalidCredentials)
    ));
    match login(PASSWORD, stranger, after_first_lock + 1).await {
        Err(AuthError::TooManyAttempts { retry_after_s }) => assert_eq!(retry_after_s, 120),
        other => panic!("expected a doubled lock, got {other:?}"),
    }
    // After the window, success clears the count of that address.
    let later = T0 + p.failure_window_ms + 60_100;
    login(PASSWORD, stranger, later).await.expect("unlocked");
    assert_eq!(
        store
            .login_failures_since("a.ivanov", "203.0.113.7", 0)
            .await
            .expect("count")
            .0,
        0
    );
    // Unknown logins are counted too, so probing them is throttled alike.
    auth::login(&store, &p, &pool(), "nobody", PASSWORD, None, T0)
        .await
        .expect_err("unknown");
    assert_eq!(
        store
            .login_failures_since("nobody", "local", 0)
            .await
            .expect("count")
            .0,
        1
    );
    // The lockout itself is in the audit log, once.
    let lockouts: Vec<_> = store
        .list_audit(1000, None)
        .await
        .expect("audit")
        .into_iter()
        .filter(|e| e.action == "session.lockout")
        .map(|e| (e.target, e.address, e.outcome))
        .collect();
    assert_eq!(
        lockouts,
        [(
            Some("a.ivanov".to_owned()),
            Some("203.0.113.7".to_owned()),
            "login_from_address".to_owned()
        )]
    );
}

async fn one_address_has_a_budget_across_logins(store: Store) {
    add_officer(&store, "a.ivanov", Role::Officer).await;
    let p = SessionPolicy {
        max_failures: 3,
        address_budget: 6,
        ..SessionPolicy::default()
    };
    let from = Some("198.51.100.1");
    // Spread over many logins, no pair reaches its own threshold...
    for i in 0..p.address_budget {
        let who = format!("guess{}", i % 3);
        assert!(matches!(
            auth::login(&store, &p, &pool(), &who, "wrong password", from, T0 + i).await,
            Err(AuthError::InvalidCredentials)
        ));
    }
    // ...but the address has spent its budget: a login never tried from it is refused.
    assert!(matches!(
        auth::login(&store, &p, &pool(), "a.ivanov", PASSWORD, from, T0 + 100).await,
        Err(AuthError::TooManyAttempts { .. })
    ));
    auth::login(
        &store,
        &p,
        &pool(),
        "a.ivanov",
        PASSWORD,
        Some("10.0.0.9"),
        T0 + 100,
    )
    .await
    .expect("another address is not affected");
    let audited = store
        .list_audit(1000, None)
        .await
        .expect("audit")
        .into_iter()
        .filter(|e| e.action == "session.lockout" && e.outcome == "address")
        .count();
    assert_eq!(audited, 1, "the address lockout is audited once");
}

async fn disabling_or_new_password_ends_sessions(store: Store) {
    add_officer(&store, "a.ivanov", Role::Officer).await;
    let p = SessionPolicy::default();
    let now = sis_signaling::node::state::now_ms();
    let t = auth::login(&store, &p, &pool(), "a.ivanov", PASSWORD, None, now)
        .await
        .expect("login")
        .token;
    sis_signaling::officer::set_disabled(&store, "a.ivanov", true)
        .await
        .expect("disable");
    assert!(auth::authenticate(&store, &p, &t, now + 1).await.is_err());
    assert!(matches!(
        auth::login(&store, &p, &pool(), "a.ivanov", PASSWORD, None, now + 2).await,
        Err(AuthError::AccountDisabled)
    ));
    sis_signaling::officer::set_disabled(&store, "a.ivanov", false)
        .await
        .expect("enable");
    let t = auth::login(&store, &p, &pool(), "a.ivanov", PASSWORD, None, now + 3)
        .await
        .expect("login")
        .token;
    sis_signaling::officer::set_password(&store, "a.ivanov", "a brand new passphrase")
        .await
        .expect("passwd");
    assert!(auth::authenticate(&store, &p, &t, now + 4).await.is_err());
    auth::login(
        &store,
        &p,
        &pool(),
        "a.ivanov",
        "a brand new passphrase",
        None,
        now + 5,
    )
    .await
    .expect("new password works");
    let missing = sis_signaling::officer::set_disabled(&store, "ghost", true).await;
    assert!(
        missing
            .expect_err("no such login")
            .to_string()
            .contains("ghost")
    );
}

async fn audit_log_pages_newest_first(store: Store) {
    for i in 0..5 {
        store
            .append_audit(
                &NewAuditEntry {
                    actor: Some("b.admin"),
                    action: sis_signaling::store::AuditAction::MeetingChat,
                    target: Some(&format!("item-{i}")),
                    address: Some("127.0.0.1"),
                    outcome: "ok",
                },
                T0 + i,
            )
            .await
            .expect("append");
    }
    let first = store.list_audit(3, None).await.expect("page 1");
    let targets: Vec<_> = first.iter().filter_map(|e| e.target.clone()).collect();
    assert_eq!(targets, ["item-4", "item-3", "item-2"]);
    let second = store
        .list_audit(3, Some(first[2].id))
        .await
        .expect("page 2");
    let targets: Vec<_> = second.iter().filter_map(|e| e.target.clone()).collect();
    assert_eq!(targets, ["item-1", "item-0"]);
    assert_eq!(second[0].at, T0 + 1);
}

async fn login_attempts_are_audited(store: Store) {
    add_officer(&store, "a.ivanov", Role::Officer).await;
    let p = SessionPolicy::default();
    auth::login(
        &store,
        &p,
        &pool(),
        "a.ivanov",
        "wrong",
        Some("192.0.2.7"),
        T0,
    )
    .await
    .expect_err("wrong");
    auth::login(
        &store,
        &p,
        &pool(),
        "a.ivanov",
        PASSWORD,
        Some("192.0.2.7"),
        T0 + 1,
    )
    .await
    .expect("ok");
    let log = store.list_audit(10, None).await.expect("list");
    let sessions: Vec<_> = log
        .iter()
        .filter(|e| e.action == "session.create")
        .map(|e| (e.outcome.as_str(), e.address.as_deref()))
        .collect();
    assert_eq!(
        sessions,
        [
            ("ok", Some("192.0.2.7")),
            ("invalid_credentials", Some("192.0.2.7"))
        ]
    );
    assert!(
        log.iter()
            .any(|e| e.action == "officer.add" && e.address.as_deref() == Some("cli"))
    );
}

async fn duplicate_token_hash_is_a_typed_error(store: Store) {
    add_officer(&store, "a.ivanov", Role::Officer).await;
    let id = store
        .officer_by_login(&Login::parse("a.ivanov").unwrap())
        .await
        .expect("q")
        .expect("exists")
        .id;
    let s = sis_signaling::store::NewSession {
        token_hash: "abc",
        officer_id: id,
        expires_at: T0 + 1,
        address: None,
    };
    store.insert_session(&s, T0).await.expect("first");
    assert!(matches!(
        store.insert_session(&s, T0).await,
        Err(StoreError::Duplicate { field: "token" })
    ));
}

macro_rules! store_suite {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let db = super::TestDb::sqlite();
                    super::$name(db.open().await).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    let Some(db) = super::TestDb::postgres().await else { return };
                    super::$name(db.open().await).await;
                }
            )*
        }
    };
}

async fn meetings_minutes_and_attendance_are_stored(store: Store) {
    use sis_proto::meeting::{MinutesKind, MinutesSignature};
    use sis_signaling::modules::meetings::minutes::{Event, Head, verify_chain};
    use sis_signaling::modules::meetings::store::NewMeetingRecord;

    let invited = ["b.petrov".to_owned(), "c.sidorov".to_owned()];
    let mut head = Head::EMPTY;
    let event = |at, kind, actor: &str, text: Option<&str>| Event {
        at,
        kind,
        actor: Some(actor.into()),
        subject: None,
        text: text.map(Into::into),
    };
    let id = store
        .insert_meeting(
            &NewMeetingRecord {
                title: "Border crossing",
                case_id: Some("CASE-7"),
                document_id: None,
                host: "a.ivanov",
                invited: &invited,
            },
            T0,
            |id| {
                head.append(
                    id,
                    event(
                        T0,
                        MinutesKind::Created,
                        "a.ivanov",
                        Some("Border crossing"),
                    ),
                )
            },
        )
        .await
        .expect("insert meeting");
    let other = store
        .insert_meeting(
            &NewMeetingRecord {
                title: "Other",
                case_id: None,
                document_id: Some("DOC-1"),
                host: "c.sidorov",
                invited: &[],
            },
            T0 + 1,
            |id| {
                let mut h = Head::EMPTY;
                h.append(id, event(T0 + 1, MinutesKind::Created, "c.sidorov", None))
            },
        )
        .await
        .expect("insert second");

    let rec = store.meeting_by_id(id).await.expect("q").expect("exists");
    assert_eq!(rec.meeting.invited, invited);
    assert_eq!(rec.meeting.case_id.as_deref(), Some("CASE-7"));
    assert_eq!(rec.meeting.ended_at, None);
    assert!(rec.signature.is_none());
    assert!(
        store
            .meeting_by_id(sis_proto::meeting::MeetingId(999))
            .await
            .expect("q")
            .is_none()
    );

    let ids =
        |ms: Vec<sis_proto::meeting::Meeting>| ms.into_iter().map(|m| m.id).collect::<Vec<_>>();
    assert_eq!(
        ids(store.meetings_of("c.sidorov", 10).await.expect("list")),
        [other, id],
        "newest first, hosted and invited"
    );
    assert_eq!(
        ids(store.meetings_of("a.ivanov", 10).await.expect("list")),
        [id]
    );
    assert!(
        store
            .meetings_of("nobody", 10)
            .await
            .expect("list")
            .is_empty()
    );
    let listed = store.meetings_of("c.sidorov", 10).await.expect("list");
    assert_eq!(listed[1].invited, invited, "invitations come with the list");

    for (at, kind, actor, text) in [
        (T0 + 10, MinutesKind::Joined, "a.ivanov", None),
        (T0 + 20, MinutesKind::Chat, "a.ivanov", Some("hello")),
        (T0 + 30, MinutesKind::Chat, "b.petrov", Some("привет")),
    ] {
        let entry = head.append(id, event(at, kind, actor, text));
        store.append_minutes(id, &entry).await.expect("append");
    }
    // The same seq twice is refused: the chain cannot fork in storage.
    let mut forked = Head {
        next_seq: 1,
        ..Head::EMPTY
    };
    let dup = forked.append(id, event(T0, MinutesKind::Chat, "x", Some("fork")));
    assert!(matches!(
        store.append_minutes(id, &dup).await,
        Err(StoreError::Duplicate { .. })
    ));

    let entries = store.minutes(id).await.expect("minutes");
    assert_eq!(entries.len(), 4);
    assert_eq!(
        verify_chain(id, &entries).expect("stored chain verifies"),
        head
    );
    assert_eq!(
        store.last_minutes_entry(id).await.expect("q"),
        entries.last().cloned()
    );
    let chat = store.recent_chat(id, 1).await.expect("chat");
    assert_eq!(chat.len(), 1);
    assert_eq!(
        (chat[0].from.as_str(), chat[0].text.as_str()),
        ("b.petrov", "привет")
    );

    store
        .attendance_begin(id, "a.ivanov", T0 + 10)
        .await
        .expect("begin");
    store
        .attendance_begin(id, "b.petrov", T0 + 11)
        .await
        .expect("begin");
    store
        .attendance_end(
            id,
            Some("b.petrov"),
            T0 + 40,
            Some(sis_proto::meeting::LeaveReason::Removed),
        )
        .await
        .expect("end one");
    store
        .attendance_end(id, None, T0 + 50, None)
        .await
        .expect("end all");
    let stays = store.attendance(id).await.expect("attendance");
    assert_eq!(
        stays
            .iter()
            .map(|s| (s.login.as_str(), s.left_at, s.left_why.as_deref()))
            .collect::<Vec<_>>(),
        [
            ("a.ivanov", Some(T0 + 50), Some("ended")),
            ("b.petrov", Some(T0 + 40), Some("removed")),
        ]
    );

    let sig = MinutesSignature {
        public_key: "ab".repeat(32),
        signature: "cd".repeat(64),
        signed_at: T0 + 60,
    };
    assert!(store.seal_meeting(id, T0 + 60, &sig).await.expect("seal"));
    assert!(
        !store
            .seal_meeting(id, T0 + 70, &sig)
            .await
            .expect("second seal"),
        "the first end stands"
    );
    let rec = store.meeting_by_id(id).await.expect("q").expect("exists");
    assert_eq!(rec.meeting.ended_at, Some(T0 + 60));
    assert_eq!(rec.signature, Some(sig));
}

store_suite!(
    meetings_minutes_and_attendance_are_stored,
    officers_are_stored_and_unique,
    login_opens_a_session_and_logout_ends_it,
    sessions_expire_by_lifetime_and_idleness,
    repeated_failures_lock_the_login_from_that_address_only,
    one_address_has_a_budget_across_logins,
    rechecks_are_not_activity,
    disabling_or_new_password_ends_sessions,
    audit_log_pages_newest_first,
    login_attempts_are_audited,
    duplicate_token_hash_is_a_typed_error,
);

#[tokio::test]
async fn sqlite_file_is_created_in_wal_mode_and_survives_reopening() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("nested/folder/sis.sqlite");
    let url = format!("sqlite://{}", path.display());
    let store = Store::open(&url).await.expect("created on first start");
    add_officer(&store, "a.ivanov", Role::Officer).await;
    store.close().await;
    assert!(path.is_file());
    let store = Store::open(&url)
        .await
        .expect("reopened; migrations already applied");
    assert!(
        store
            .officer_by_login(&Login::parse("a.ivanov").unwrap())
            .await
            .expect("q")
            .is_some()
    );
    store.close().await;
    let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(&url)
        .await
        .expect("direct connection");
    let (mode,): (String,) = sqlx::query_as("PRAGMA journal_mode")
        .fetch_one(&mut conn)
        .await
        .expect("pragma");
    assert_eq!(mode, "wal");
}

#[tokio::test]
async fn unsupported_database_urls_are_refused_with_the_password_hidden() {
    let err = Store::open("mysql://root:hunter2@db/sis")
        .await
        .expect_err("mysql");
    let text = err.to_string();
    assert!(
        text.contains("sqlite://") && !text.contains("hunter2"),
        "{text}"
    );
}

#[cfg(unix)]
#[tokio::test]
async fn the_sqlite_file_and_its_folder_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let url = format!("sqlite://{}", data.join("sis.sqlite").display());
    let store = Store::open(&url).await.expect("open");
    add_officer(&store, "a.ivanov", Role::Officer).await;
    let mode =
        |p: &std::path::Path| std::fs::metadata(p).expect("exists").permissions().mode() & 0o777;
    assert_eq!(mode(&data), 0o700, "the data folder");
    assert_eq!(mode(&data.join("sis.sqlite")), 0o600, "the database");
    assert_eq!(
        mode(&data.join("sis.sqlite-wal")),
        0o600,
        "its write-ahead log"
    );
    store.close().await;
}

/// A WebSocket re-checks its session; the check is not activity (an open socket alone does
/// not keep a session alive), while a message over it is.
async fn rechecks_are_not_activity(store: Store) {
    add_officer(&store, "a.ivanov", Role::Officer).await;
    let p = SessionPolicy {
        idle_ms: 90_000,
        ..SessionPolicy::default()
    };
    let done = auth::login(&store, &p, &pool(), "a.ivanov", PASSWORD, None, T0)
        .await
        .expect("login");
    let id = done.who.session_id;
    auth::authenticate_session(&store, &p, id, T0 + 61_000)
        .await
        .expect("alive at 61 s");
    assert!(matches!(
        auth::authenticate_session(&store, &p, id, T0 + 91_000).await,
        Err(AuthError::SessionExpired)
    ));
    // A message at 61 s would have kept it alive.
    let again = auth::login(&store, &p, &pool(), "a.ivanov", PASSWORD, None, T0)
        .await
        .expect("login");
    auth::touch_session(&store, again.who.session_id, T0 + 61_000)
        .await
        .expect("touch");
    auth::authenticate_session(&store, &p, again.who.session_id, T0 + 91_000)
        .await
        .expect("alive after activity");
}

/// Writers whose requests are dropped half-way (a client gone, a timeout) leave no
/// connection inside a transaction: afterwards every connection of the pool writes at once,
/// where a leaked transaction would hold SQLite's write lock and make them all wait and fail
/// with "database is locked".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writers_cancelled_part_way_leave_the_write_lock_free() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("sis.sqlite").display());
    let store = Store::open(&url).await.expect("open");
    // Dropped at every point from before the BEGIN is sent to after it is acknowledged:
    // polled one to three times, with the database's thread given a little time between.
    for round in 0..600u64 {
        let mut begin = std::pin::pin!(store.begin_write());
        for _ in 0..=round % 3 {
            if futures_util::poll!(begin.as_mut()).is_ready() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_micros(round / 3 % 10 * 60));
        }
    }
    // Eight writers at once, each needing the write lock in turn, all within a second
    // (SQLite's busy wait is five seconds: a leaked lock would fail or stall them).
    let started = std::time::Instant::now();
    let writers = (0..8).map(|i| {
        let store = store.clone();
        tokio::spawn(async move {
            let mut tx = store.begin_write().await?;
            sqlx::query("CREATE TABLE IF NOT EXISTS probe (n BIGINT)")
                .execute(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO probe (n) VALUES ($1)")
                .bind(i as i64)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })
    });
    for writer in futures_util::future::join_all(writers).await {
        writer.expect("joined").expect("the writer wrote");
    }
    assert!(
        started.elapsed() < std::time::Duration::from_secs(2),
        "the writers waited {:?} for the lock",
        started.elapsed()
    );
}
