//! The internal face over real TCP: login, sessions, authorisation, bad input, audit,
//! health and metrics.

mod common;

use common::{PASSWORD, TestNode, add_officer};
use reqwest::StatusCode;
use serde_json::json;
use sis_proto::audit::AuditPage;
use sis_proto::{ApiError, ErrorCode, Officer, Role};

async fn error_of(resp: reqwest::Response) -> (StatusCode, ApiError) {
    let status = resp.status();
    let body: ApiError = resp.json().await.expect("error bodies are {code, message}");
    (status, body)
}

fn client() -> reqwest::Client {
    reqwest::Client::new()
}

#[tokio::test]
async fn login_me_logout() {
    let node = TestNode::start().await;
    add_officer(&node.store, "a.ivanov", Role::Supervisor).await;
    let c = client();
    let token = node.login(&c, "a.ivanov").await;

    let me: Officer = c
        .get(node.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("me")
        .json()
        .await
        .expect("officer");
    assert_eq!(
        (
            me.login.as_str(),
            me.role,
            me.country.as_str(),
            me.agency.as_str()
        ),
        ("a.ivanov", Role::Supervisor, "KZ", "Almaty customs")
    );

    let resp = c
        .delete(node.url("/api/v1/session"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("logout");
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);

    let (status, err) = error_of(
        c.get(node.url("/api/v1/me"))
            .bearer_auth(&token)
            .send()
            .await
            .expect("me"),
    )
    .await;
    assert_eq!(
        (status, err.code),
        (StatusCode::UNAUTHORIZED, ErrorCode::Unauthenticated)
    );
}

/// A path of the route table with its parameters filled in.
fn concrete(path: &str) -> String {
    path.replace("{directory}", "countries")
        .replace("{code}", "KZ")
        .replace("{id}", "1")
        .replace("{*rest}", "nothing/here")
}

#[tokio::test]
async fn every_route_asks_for_the_access_its_table_names() {
    use sis_signaling::internal::access::Access;
    let node = TestNode::start().await;
    let c = client();
    let roles = [
        Role::Officer,
        Role::Supervisor,
        Role::Admin,
        Role::Trader,
        Role::System,
    ];
    for role in roles {
        add_officer(&node.store, &format!("someone.{role}"), role).await;
    }
    let routes = sis_signaling::internal::routes::all();
    // The routes open without a session, each on purpose.
    let open: Vec<String> = routes
        .iter()
        .filter(|r| matches!(r.access, Access::Public | Access::InBand))
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(
        open,
        [
            "POST /api/v1/session",
            "GET /api/v1/ws",
            "GET /api/{*rest}",
            "GET /healthz"
        ],
        "login, the WebSocket (its session is its first message), unknown API paths and the \
         health check; static files are the fallback"
    );
    for r in &routes {
        let Access::Roles(allowed) = r.access else {
            continue;
        };
        let url = node.url(&concrete(r.path));
        let what = format!("{} {}", r.method, r.path);
        for token in [None, Some("sis_forged")] {
            let mut req = c.request(r.method.clone(), &url);
            if let Some(t) = token {
                req = req.bearer_auth(t);
            }
            let (status, err) = error_of(req.send().await.expect("send")).await;
            assert_eq!(
                (status, err.code),
                (StatusCode::UNAUTHORIZED, ErrorCode::Unauthenticated),
                "{what} with token {token:?}"
            );
        }
        for role in &roles {
            // A session of its own each time: one of the routes ends the session it is sent with.
            let token = node.login(&c, &format!("someone.{role}")).await;
            let resp = c
                .request(r.method.clone(), &url)
                .bearer_auth(&token)
                .json(&json!({}))
                .send()
                .await
                .expect("send");
            let status = resp.status();
            if allowed.contains(role) {
                assert!(
                    status != StatusCode::UNAUTHORIZED && status != StatusCode::FORBIDDEN,
                    "{what} is for {role}: {status}"
                );
            } else {
                let (status, err) = error_of(resp).await;
                assert_eq!(
                    (status, err.code),
                    (StatusCode::FORBIDDEN, ErrorCode::Forbidden),
                    "{what} is not for {role}"
                );
            }
        }
    }
}

#[tokio::test]
async fn wrong_password_unknown_login_and_disabled_account() {
    let node = TestNode::start().await;
    add_officer(&node.store, "a.ivanov", Role::Officer).await;
    let c = client();
    let login = |login: &str, password: &str| {
        c.post(node.url("/api/v1/session"))
            .json(&json!({"login": login, "password": password}))
            .send()
    };
    let (status, err) = error_of(login("a.ivanov", "not my password").await.expect("send")).await;
    assert_eq!(
        (status, err.code),
        (StatusCode::UNAUTHORIZED, ErrorCode::InvalidCredentials)
    );
    assert!(err.message.contains("wrong"), "{}", err.message);
    let (_, unknown) = error_of(login("nobody", PASSWORD).await.expect("send")).await;
    assert_eq!(
        unknown, err,
        "an unknown login looks exactly like a wrong password"
    );

    sis_signaling::officer::set_disabled(&node.store, "a.ivanov", true)
        .await
        .expect("disable");
    let (status, err) = error_of(login("a.ivanov", PASSWORD).await.expect("send")).await;
    assert_eq!(
        (status, err.code),
        (StatusCode::FORBIDDEN, ErrorCode::AccountDisabled)
    );
}

#[tokio::test]
async fn too_many_failed_logins_lock_the_login_from_that_address() {
    let node = TestNode::start().await;
    add_officer(&node.store, "a.ivanov", Role::Officer).await;
    let c = client();
    for _ in 0..5 {
        let resp = c
            .post(node.url("/api/v1/session"))
            .json(&json!({"login": "a.ivanov", "password": "guess guess guess"}))
            .send()
            .await
            .expect("send");
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    }
    let resp = c
        .post(node.url("/api/v1/session"))
        .json(&json!({"login": "a.ivanov", "password": PASSWORD}))
        .send()
        .await
        .expect("send");
    assert_eq!(
        resp.headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok()),
        Some("60"),
        "the client is told when to try again"
    );
    let (status, err) = error_of(resp).await;
    assert_eq!(
        (status, err.code),
        (StatusCode::TOO_MANY_REQUESTS, ErrorCode::TooManyAttempts)
    );
    assert!(err.message.contains("1 minute"), "{}", err.message);
}

#[tokio::test]
async fn malformed_and_oversized_bodies_are_refused_and_change_nothing() {
    let node = TestNode::start().await;
    add_officer(&node.store, "a.ivanov", Role::Officer).await;
    let before = node
        .store
        .list_audit(1000, None)
        .await
        .expect("audit")
        .len();
    let c = client();
    let post = |body: String| {
        c.post(node.url("/api/v1/session"))
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let (status, err) = error_of(post("{\"login\": ".into()).await.expect("send")).await;
    assert_eq!(
        (status, err.code),
        (StatusCode::BAD_REQUEST, ErrorCode::BadRequest)
    );
    assert!(err.message.contains("not valid JSON"), "{}", err.message);

    let (_, err) = error_of(post(r#"{"login":"a.ivanov"}"#.into()).await.expect("send")).await;
    assert_eq!(err.code, ErrorCode::BadRequest);
    assert!(
        err.message.contains("password"),
        "names the missing field: {}",
        err.message
    );

    let (_, err) = error_of(
        post(r#"{"login":"a.ivanov","password":"x","role":"admin"}"#.into())
            .await
            .expect("send"),
    )
    .await;
    assert!(
        err.message.contains("role"),
        "names the unknown field: {}",
        err.message
    );

    let (_, err) = error_of(
        post(r#"{"login":"","password":"x"}"#.into())
            .await
            .expect("send"),
    )
    .await;
    assert!(err.message.starts_with("login:"), "{}", err.message);

    let huge = json!({"login": "a.ivanov", "password": "x".repeat(10_000)}).to_string();
    let (status, err) = error_of(post(huge).await.expect("send")).await;
    assert_eq!(
        (status, err.code),
        (StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::PayloadTooLarge)
    );

    let after = node
        .store
        .list_audit(1000, None)
        .await
        .expect("audit")
        .len();
    assert_eq!(before, after, "refused requests write nothing");
    assert_eq!(
        node.store
            .login_failures_since("a.ivanov", "127.0.0.1", 0)
            .await
            .expect("count")
            .0,
        0
    );
}

#[tokio::test]
async fn audit_log_is_for_admins_and_records_who_and_from_where() {
    let node = TestNode::start().await;
    add_officer(&node.store, "a.ivanov", Role::Officer).await;
    add_officer(&node.store, "k.admin", Role::Admin).await;
    let c = client();
    let officer = node.login(&c, "a.ivanov").await;
    let admin = node.login(&c, "k.admin").await;

    let (status, err) = error_of(
        c.get(node.url("/api/v1/audit"))
            .bearer_auth(&officer)
            .send()
            .await
            .expect("send"),
    )
    .await;
    assert_eq!(
        (status, err.code),
        (StatusCode::FORBIDDEN, ErrorCode::Forbidden)
    );

    let page: AuditPage = c
        .get(node.url("/api/v1/audit?limit=2"))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("page");
    assert_eq!(page.entries.len(), 2);
    let newest = &page.entries[0];
    assert_eq!(
        (
            newest.action.as_str(),
            newest.actor.as_deref(),
            newest.address.as_deref()
        ),
        ("session.create", Some("k.admin"), Some("127.0.0.1"))
    );
    let older: AuditPage = c
        .get(node.url(&format!("/api/v1/audit?before={}", page.entries[1].id)))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("page");
    assert!(older.entries.iter().all(|e| e.id < page.entries[1].id));
    assert!(older.entries.iter().any(|e| e.action == "officer.add"));

    let (_, err) = error_of(
        c.get(node.url("/api/v1/audit?limit=0"))
            .bearer_auth(&admin)
            .send()
            .await
            .expect("send"),
    )
    .await;
    assert!(err.message.starts_with("limit:"), "{}", err.message);
    let (_, err) = error_of(
        c.get(node.url("/api/v1/audit?limit=many"))
            .bearer_auth(&admin)
            .send()
            .await
            .expect("send"),
    )
    .await;
    assert_eq!(err.code, ErrorCode::BadRequest);
    assert!(err.message.contains("limit"), "{}", err.message);
}

#[tokio::test]
async fn health_metrics_and_unknown_paths() {
    let node = TestNode::start().await;
    add_officer(&node.store, "k.admin", Role::Admin).await;
    add_officer(&node.store, "a.ivanov", Role::Officer).await;
    let c = client();
    let resp = c.get(node.url("/healthz")).send().await.expect("healthz");
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.text().await.expect("body"), "ok\n");

    let admin = node.login(&c, "k.admin").await;
    let officer = node.login(&c, "a.ivanov").await;
    let resp = c
        .get(node.url("/metrics"))
        .bearer_auth(&officer)
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let text = node.metrics_text(&c, &admin).await;
    assert!(
        text.contains("sis_logins_total{outcome=\"ok\"} 2"),
        "{text}"
    );
    assert!(
        text.contains("route=\"/api/v1/session\"") && text.contains("status=\"403\""),
        "{text}"
    );

    let (status, err) = error_of(
        c.get(node.url("/api/v1/no-such-thing"))
            .send()
            .await
            .expect("send"),
    )
    .await;
    assert_eq!(
        (status, err.code),
        (StatusCode::NOT_FOUND, ErrorCode::NotFound)
    );
    let resp = c.get(node.url("/healthz")).send().await.expect("send");
    assert_eq!(
        resp.headers()
            .get("x-content-type-options")
            .map(|v| v.as_bytes()),
        Some(&b"nosniff"[..])
    );
}

#[tokio::test]
async fn directories_search_in_english_and_russian_and_look_up_codes() {
    use sis_proto::directory::{DirectoryEntry, DirectoryPage, MatchedOn};
    let node = TestNode::start().await;
    add_officer(&node.store, "a.ivanov", Role::Officer).await;
    let c = client();
    let token = node.login(&c, "a.ivanov").await;
    let search = |path: &str| c.get(node.url(path)).bearer_auth(&token).send();

    let page: DirectoryPage = search("/api/v1/directories/hs?q=8507&limit=5")
        .await
        .expect("send")
        .json()
        .await
        .expect("page");
    assert_eq!(page.hits[0].entry.code, "8507");
    assert_eq!(page.hits[0].matched, Some(MatchedOn::Code));
    assert_eq!(page.hits[0].entry.parent.as_deref(), Some("85"));
    assert!(page.hits.len() <= 5);

    let page: DirectoryPage =
        search("/api/v1/directories/currencies?q=%D1%82%D0%B5%D0%BD%D0%B3%D0%B5")
            .await
            .expect("send")
            .json()
            .await
            .expect("page");
    let kzt = page
        .hits
        .iter()
        .find(|h| h.entry.code == "KZT")
        .expect("тенге finds KZT");
    assert_eq!(kzt.matched, Some(MatchedOn::Ru));

    let entry: DirectoryEntry = search("/api/v1/directories/units/KGM")
        .await
        .expect("send")
        .json()
        .await
        .expect("entry");
    assert_eq!(
        (entry.en.as_str(), entry.attribute.as_str()),
        ("kilogram", "current")
    );

    let (status, err) =
        error_of(search("/api/v1/directories/hs/999999").await.expect("send")).await;
    assert_eq!(
        (status, err.code),
        (StatusCode::NOT_FOUND, ErrorCode::NotFound)
    );
    assert!(err.message.starts_with("code:"), "{}", err.message);
    let (_, err) = error_of(
        search("/api/v1/directories/planets?q=x")
            .await
            .expect("send"),
    )
    .await;
    assert!(err.message.starts_with("directory:") && err.message.contains("package-types"));
    let (_, err) = error_of(
        search("/api/v1/directories/hs?limit=9999")
            .await
            .expect("send"),
    )
    .await;
    assert!(err.message.starts_with("limit:"), "{}", err.message);

    let resp = c
        .get(node.url("/api/v1/directories/hs?q=horse"))
        .send()
        .await
        .expect("send");
    assert_eq!(
        resp.status(),
        StatusCode::UNAUTHORIZED,
        "directories need a session"
    );
}

#[tokio::test]
async fn a_database_that_stops_answering_is_503_without_its_words() {
    let node = TestNode::start().await;
    add_officer(&node.store, "a.ivanov", Role::Officer).await;
    let c = client();
    let token = node.login(&c, "a.ivanov").await;
    node.store.close().await;
    let resp = c
        .get(node.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("me");
    assert_eq!(
        resp.headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok()),
        Some("5")
    );
    let (status, err) = error_of(resp).await;
    assert_eq!(
        (status, err.code),
        (StatusCode::SERVICE_UNAVAILABLE, ErrorCode::Unavailable)
    );
    let lower = err.message.to_lowercase();
    assert!(
        !["pool", "sqlx", "sqlite", "closed"]
            .iter()
            .any(|w| lower.contains(w)),
        "the database's own words stay in the log: {}",
        err.message
    );
    let health = c.get(node.url("/healthz")).send().await.expect("healthz");
    assert_eq!(health.status(), StatusCode::SERVICE_UNAVAILABLE);
}
