//! What the commands do, free of Tauri so tests can drive it: the settings, the session and
//! the HTTP client, and the rules that tie them together.

use serde_json::Value;
use sis_proto::desktop::DesktopSettings;
use sis_proto::endpoint::{CreateSession, DeleteSession, Me};
use sis_proto::{ApiError, LoginRequest, LoginResponse, Officer};

use crate::error;
use crate::node_client::NodeClient;
use crate::session::{SessionKeeper, Token};
use crate::settings::{NodeUrl, SettingsStore};

#[derive(Debug)]
pub struct Shell {
    node: NodeClient,
    settings: SettingsStore,
    session: SessionKeeper,
    /// Where saved files go.
    downloads: std::path::PathBuf,
}

impl Shell {
    pub fn new(node: NodeClient, settings: SettingsStore, session: SessionKeeper) -> Shell {
        Shell {
            node,
            settings,
            session,
            downloads: std::env::temp_dir(),
        }
    }

    /// Saves files in `dir`.
    pub fn with_downloads(mut self, dir: std::path::PathBuf) -> Shell {
        self.downloads = dir;
        self
    }

    /// Adds a file to a letter's draft: `path` is the attachment's API path.
    pub async fn put_file(
        &self,
        path: &str,
        content_type: &str,
        bytes: Vec<u8>,
    ) -> Result<Value, ApiError> {
        let (node, token) = self.session()?;
        let result = self
            .node
            .put_file(&node, &token, path, content_type, bytes)
            .await;
        self.check_session(&token, &result);
        result
    }

    /// Fetches the attachment at `path` and saves it in the downloads folder as `name` (or a
    /// free variant of it); the file written.
    pub async fn save_file(&self, path: &str, name: &str) -> Result<std::path::PathBuf, ApiError> {
        let (node, token) = self.session()?;
        let result = self.node.get_file(&node, &token, path).await;
        self.check_session(&token, &result);
        let bytes = result?;
        let saved = crate::downloads::save_unique(&self.downloads, name, &bytes)
            .map_err(|err| error::local("The file could not be saved on this computer.", &err))?;
        tracing::info!(file = %saved.display(), "attachment saved");
        Ok(saved)
    }

    fn check_session<T>(&self, token: &Token, result: &Result<T, ApiError>) {
        if let Err(err) = result
            && error::ends_session(err)
        {
            self.drop_dead_token(token);
        }
    }

    /// Signs in at the node in the settings and keeps the token; the answer goes back to the
    /// page with its token emptied.
    pub async fn login(&self, request: LoginRequest) -> Result<LoginResponse, ApiError> {
        let node = self.settings.node();
        let mut response = self
            .node
            .call::<CreateSession>(&node, None, &request)
            .await?;
        let token = Token::new(std::mem::take(&mut response.token)).ok_or_else(|| {
            ApiError::new(
                sis_proto::ErrorCode::Network,
                "The node accepted the login but sent no session. Ask the node's administrator.",
            )
        })?;
        if let Err(err) = self.session.keep(&node, token) {
            // Signed in all the same; only the next start will ask for the password again.
            tracing::warn!(%err, "the session could not be kept for the next start");
        }
        tracing::info!(login = %response.officer.login, "signed in");
        Ok(response)
    }

    /// Ends the session at the node, then here. The node's answer does not matter: an
    /// unreachable node must not keep a person signed in on this computer.
    pub async fn logout(&self) -> Result<(), ApiError> {
        let node = self.settings.node();
        if let Some(token) = self.session.token_for(&node)
            && let Err(err) = self
                .node
                .call::<DeleteSession>(&node, Some(&token), &())
                .await
        {
            tracing::info!(%err, "the node did not confirm the logout; forgetting the session anyway");
        }
        self.session.forget().map_err(|err| {
            error::local(
                "Signed out, but the saved session could not be deleted from this computer.",
                &err,
            )
        })?;
        tracing::info!("signed out");
        Ok(())
    }

    /// The officer of the kept session, `None` when there is none or the node no longer
    /// accepts it (which also forgets it). Other failures, such as an unreachable node, are
    /// errors: they say nothing about whether the session is still good.
    pub async fn current_officer(&self) -> Result<Option<Officer>, ApiError> {
        let node = self.settings.node();
        let Some(token) = self.session.token_for(&node) else {
            return Ok(None);
        };
        match self.node.call::<Me>(&node, Some(&token), &()).await {
            Ok(officer) => Ok(Some(officer)),
            Err(err) if error::ends_session(&err) => {
                self.drop_dead_token(&token);
                Ok(None)
            }
            Err(err) => Err(err),
        }
    }

    /// Any other authenticated call of the page.
    pub async fn api_request(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, ApiError> {
        let node = self.settings.node();
        let token = self
            .session
            .token_for(&node)
            .ok_or_else(error::not_signed_in)?;
        let result = self.node.request(&node, &token, method, path, body).await;
        if let Err(err) = &result
            && error::ends_session(err)
        {
            self.drop_dead_token(&token);
        }
        result
    }

    /// The node and the kept session for it, for the WebSocket the shell holds.
    pub fn session(&self) -> Result<(NodeUrl, Token), ApiError> {
        let node = self.settings.node();
        let token = self
            .session
            .token_for(&node)
            .ok_or_else(error::not_signed_in)?;
        Ok((node, token))
    }

    /// The settings in force (`SIS_NODE_URL`, when set, shows as the node address).
    pub fn settings(&self) -> DesktopSettings {
        self.settings.current()
    }

    pub fn save_settings(&self, settings: &DesktopSettings) -> Result<(), ApiError> {
        self.settings.save(settings)
    }

    fn drop_dead_token(&self, token: &Token) {
        tracing::info!("the node no longer accepts the session; forgetting it");
        if let Err(err) = self.session.forget_token(token) {
            tracing::warn!(%err, "the dead session could not be deleted from the vault");
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::TcpListener;
    use std::path::PathBuf;
    use std::sync::{Arc, Mutex};

    use serde_json::json;
    use sis_proto::{ErrorCode, Role};

    use super::*;
    use crate::vault::FileVault;

    /// One request as the test node received it.
    #[derive(Debug, Clone)]
    struct Seen {
        method: String,
        /// Path and query.
        target: String,
        authorization: Option<String>,
        body: String,
    }

    /// A node on a loopback port that answers each request with `respond`'s status and
    /// JSON, and records what it was sent.
    struct TestNode {
        url: String,
        seen: Arc<Mutex<Vec<Seen>>>,
    }

    impl TestNode {
        fn start(respond: impl Fn(&Seen) -> (u16, String) + Send + 'static) -> TestNode {
            let listener = TcpListener::bind("127.0.0.1:0").expect("bind port 0");
            let url = format!("http://{}", listener.local_addr().expect("bound address"));
            let seen = Arc::new(Mutex::new(Vec::new()));
            let record = Arc::clone(&seen);
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    let Ok(mut stream) = stream else { continue };
                    let Some(request) = read_request(&mut stream) else {
                        continue;
                    };
                    record.lock().expect("not poisoned").push(request.clone());
                    let (status, body) = respond(&request);
                    let answer = format!(
                        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n\
                         content-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = stream.write_all(answer.as_bytes());
                }
            });
            TestNode { url, seen }
        }

        fn seen(&self) -> Vec<Seen> {
            self.seen.lock().expect("not poisoned").clone()
        }
    }

    fn read_request(stream: &mut std::net::TcpStream) -> Option<Seen> {
        let mut reader = BufReader::new(stream.try_clone().ok()?);
        let mut line = String::new();
        reader.read_line(&mut line).ok()?;
        let mut parts = line.split_whitespace();
        let method = parts.next()?.to_owned();
        let target = parts.next()?.to_owned();
        let (mut length, mut authorization) = (0, None);
        loop {
            let mut header = String::new();
            reader.read_line(&mut header).ok()?;
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            let (name, value) = header.split_once(':')?;
            match name.to_ascii_lowercase().as_str() {
                "content-length" => length = value.trim().parse().ok()?,
                "authorization" => authorization = Some(value.trim().to_owned()),
                _ => {}
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).ok()?;
        Some(Seen {
            method,
            target,
            authorization,
            body: String::from_utf8(body).ok()?,
        })
    }

    fn officer() -> Officer {
        Officer {
            login: "aigerim".into(),
            name: "Aigerim N.".into(),
            role: Role::Officer,
            agency: "Khorgos checkpoint".into(),
            country: "KZ".into(),
            disabled: false,
        }
    }

    fn shell_for(node_url: &str, token_file: PathBuf) -> Shell {
        let dir = token_file.parent().expect("file in a folder").to_owned();
        Shell::new(
            NodeClient::new().expect("HTTP client"),
            SettingsStore::open(dir.join("settings.json"), Some(node_url)),
            SessionKeeper::open(Box::new(FileVault::new(token_file))),
        )
    }

    fn credentials() -> LoginRequest {
        LoginRequest {
            login: "aigerim".into(),
            password: "correct horse".into(),
        }
    }

    #[tokio::test]
    async fn login_keeps_the_token_in_the_shell_and_sends_it_back_on_later_calls() {
        let node = TestNode::start(|request| {
            match request.target.as_str() {
            "/api/v1/session" => (
                200,
                json!({"token": "tok-123", "officer": officer(), "expires_at": 1_900_000_000_000_i64})
                    .to_string(),
            ),
            "/api/v1/me" => (200, json!(officer()).to_string()),
            _ => (404, json!({"code": "not_found", "message": "Nothing here."}).to_string()),
        }
        });
        let dir = tempfile::tempdir().expect("temp dir");
        let token_file = dir.path().join("session");
        let shell = shell_for(&node.url, token_file.clone());

        let response = shell.login(credentials()).await.expect("login succeeds");
        assert_eq!(response.token, "", "the page must never see the token");
        assert_eq!(response.officer, officer());
        let kept = std::fs::read_to_string(&token_file).expect("the session was kept");
        assert!(kept.contains("tok-123"), "the vault holds the token");

        let current = shell.current_officer().await.expect("the node answers");
        assert_eq!(current, Some(officer()));

        let seen = node.seen();
        assert_eq!(seen[0].method, "POST");
        assert_eq!(
            serde_json::from_str::<Value>(&seen[0].body).expect("JSON body"),
            json!({"login": "aigerim", "password": "correct horse"})
        );
        assert_eq!(seen[0].authorization, None, "logging in sends no token");
        assert_eq!(seen[1].method, "GET");
        assert_eq!(seen[1].target, "/api/v1/me");
        assert_eq!(seen[1].authorization.as_deref(), Some("Bearer tok-123"));
    }

    #[tokio::test]
    async fn a_refused_login_passes_the_nodes_error_through_and_keeps_nothing() {
        let node = TestNode::start(|_| {
            (
                401,
                json!({"code": "invalid_credentials", "message": "Wrong login or password."})
                    .to_string(),
            )
        });
        let dir = tempfile::tempdir().expect("temp dir");
        let token_file = dir.path().join("session");
        let shell = shell_for(&node.url, token_file.clone());

        let err = shell.login(credentials()).await.expect_err("refused");
        assert_eq!(
            err,
            ApiError::new(ErrorCode::InvalidCredentials, "Wrong login or password.")
        );
        assert!(!token_file.exists());
    }

    #[tokio::test]
    async fn a_session_the_node_has_ended_is_forgotten() {
        let node = TestNode::start(|_| {
            (
                401,
                json!({"code": "session_expired", "message": "Your session has ended."})
                    .to_string(),
            )
        });
        let dir = tempfile::tempdir().expect("temp dir");
        let token_file = dir.path().join("session");
        let shell = shell_for(&node.url, token_file.clone());
        shell
            .session
            .keep(
                &shell.settings.node(),
                Token::new("old".into()).expect("non-empty"),
            )
            .expect("keep");

        assert_eq!(shell.current_officer().await.expect("not an error"), None);
        assert!(!token_file.exists(), "the dead token left the vault");
        let err = shell
            .api_request("GET", "/api/v1/audit", None)
            .await
            .expect_err("no session any more");
        assert_eq!(err.code, ErrorCode::Unauthenticated);
        assert_eq!(node.seen().len(), 1, "without a token nothing is sent");
    }

    #[tokio::test]
    async fn logout_forgets_the_session_even_when_the_node_is_unreachable() {
        let closed_port = {
            let listener = TcpListener::bind("127.0.0.1:0").expect("bind port 0");
            listener.local_addr().expect("bound address").port()
        };
        let dir = tempfile::tempdir().expect("temp dir");
        let token_file = dir.path().join("session");
        let shell = shell_for(
            &format!("http://127.0.0.1:{closed_port}"),
            token_file.clone(),
        );
        shell
            .session
            .keep(
                &shell.settings.node(),
                Token::new("t".into()).expect("non-empty"),
            )
            .expect("keep");

        shell.logout().await.expect("logout succeeds offline");
        assert!(!token_file.exists());
        assert_eq!(
            shell.current_officer().await.expect("no network needed"),
            None
        );
    }

    #[tokio::test]
    async fn logout_ends_the_session_at_the_node() {
        let node = TestNode::start(|_| (204, String::new()));
        let dir = tempfile::tempdir().expect("temp dir");
        let shell = shell_for(&node.url, dir.path().join("session"));
        shell
            .session
            .keep(
                &shell.settings.node(),
                Token::new("t-9".into()).expect("non-empty"),
            )
            .expect("keep");

        shell.logout().await.expect("logout");
        let seen = node.seen();
        assert_eq!(seen.len(), 1);
        assert_eq!(
            (seen[0].method.as_str(), seen[0].target.as_str()),
            ("DELETE", "/api/v1/session")
        );
        assert_eq!(seen[0].authorization.as_deref(), Some("Bearer t-9"));
    }

    #[tokio::test]
    async fn api_requests_carry_the_token_and_a_gets_body_as_query() {
        let node = TestNode::start(|request| match request.method.as_str() {
            "GET" => (200, json!({"entries": []}).to_string()),
            _ => (201, request.body.clone()),
        });
        let dir = tempfile::tempdir().expect("temp dir");
        let shell = shell_for(&node.url, dir.path().join("session"));
        shell
            .session
            .keep(
                &shell.settings.node(),
                Token::new("t-1".into()).expect("non-empty"),
            )
            .expect("keep");

        let page = shell
            .api_request("GET", "/api/v1/audit", Some(json!({"limit": 5})))
            .await
            .expect("answered");
        assert_eq!(page, json!({"entries": []}));
        let echoed = shell
            .api_request("POST", "/api/v1/officers", Some(json!({"login": "b"})))
            .await
            .expect("answered");
        assert_eq!(
            echoed,
            json!({"login": "b"}),
            "a POST's body is sent as JSON"
        );

        let seen = node.seen();
        assert_eq!(seen[0].target, "/api/v1/audit?limit=5");
        assert_eq!(seen[0].body, "", "a GET carries no body");
        assert!(
            seen.iter()
                .all(|s| s.authorization.as_deref() == Some("Bearer t-1")),
            "{seen:?}"
        );
    }

    #[tokio::test]
    async fn api_request_refuses_the_session_path() {
        let node = TestNode::start(|_| (200, "{}".into()));
        let dir = tempfile::tempdir().expect("temp dir");
        let shell = shell_for(&node.url, dir.path().join("session"));
        shell
            .session
            .keep(
                &shell.settings.node(),
                Token::new("t".into()).expect("non-empty"),
            )
            .expect("keep");
        let err = shell
            .api_request("POST", "/api/v1/session", Some(json!({"login": "x"})))
            .await
            .expect_err("the page may not mint tokens");
        assert!(err.message.starts_with("path: "), "{}", err.message);
        assert!(node.seen().is_empty());
    }
}
