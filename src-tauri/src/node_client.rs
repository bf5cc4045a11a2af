//! HTTP calls to the country node's internal face.
//!
//! Endpoints declared in [`sis_proto::endpoint`] are called through [`NodeClient::call`],
//! typed by their [`Endpoint`]; the page's other calls go through [`NodeClient::request`],
//! which checks the method and path it is given. Both share one way of building the URL,
//! sending, and reading the answer.

use std::time::Duration;

use reqwest::Url;
use serde_json::Value;
use sis_proto::{ApiError, Endpoint};

use crate::error;
use crate::session::Token;
use crate::settings::NodeUrl;

/// How long sending or fetching one attachment (up to 20 MB) may take.
const FILE_TIMEOUT: Duration = Duration::from_secs(300);

/// Every path the page may ask for starts here.
const API_PREFIX: &str = "/api/v1/";

/// Signing in and out change the token the shell holds, so only the `login` and `logout`
/// commands may call this path; through `api_request` the page could read a fresh token.
const SESSION_PATH: &str = sis_proto::endpoint::CreateSession::PATH;

#[derive(Debug, Clone)]
pub struct NodeClient {
    http: reqwest::Client,
}

impl NodeClient {
    pub fn new() -> Result<NodeClient, reqwest::Error> {
        let http = reqwest::Client::builder()
            .user_agent(concat!("carec-sis-desktop/", env!("CARGO_PKG_VERSION")))
            // A checkpoint's link can be slow, but a person waiting on a button should hear
            // within half a minute that it is not coming.
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(30))
            .build()?;
        Ok(NodeClient { http })
    }

    /// Calls endpoint `E` on `node`. Its request is the JSON body of a `POST` or the query of
    /// a `GET`.
    pub async fn call<E: Endpoint>(
        &self,
        node: &NodeUrl,
        token: Option<&Token>,
        request: &E::Request,
    ) -> Result<E::Response, ApiError> {
        if E::AUTHENTICATED && token.is_none() {
            return Err(error::not_signed_in());
        }
        let body = serde_json::to_value(request)
            .map_err(|err| error::local("The request could not be prepared for the node.", &err))?;
        let method = match E::METHOD {
            sis_proto::Method::Get => reqwest::Method::GET,
            sis_proto::Method::Post => reqwest::Method::POST,
            sis_proto::Method::Delete => reqwest::Method::DELETE,
        };
        let answer = self
            .send(method, node.join(E::PATH), token, non_null(body))
            .await?;
        serde_json::from_value(answer).map_err(|err| error::unreadable_answer(&err))
    }

    /// `api_request`: `method` and `path` from the page, checked before anything is sent.
    pub async fn request(
        &self,
        node: &NodeUrl,
        token: &Token,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, ApiError> {
        let method = parse_method(method)?;
        let url = api_url(node, path)?;
        self.send(method, url, Some(token), body.and_then(non_null))
            .await
    }

    /// `PUT path` with `bytes` as a letter attachment of type `content_type`; the draft.
    pub async fn put_file(
        &self,
        node: &NodeUrl,
        token: &Token,
        path: &str,
        content_type: &str,
        bytes: Vec<u8>,
    ) -> Result<Value, ApiError> {
        let url = attachment_url(node, path)?;
        let content_type = reqwest::header::HeaderValue::from_str(content_type)
            .map_err(|_| error::bad_request("content-type", "must be a plain media type."))?;
        let request = self
            .http
            .put(url)
            .header(reqwest::header::ACCEPT, "application/json")
            .header(reqwest::header::CONTENT_TYPE, content_type)
            .bearer_auth(token.expose())
            // A large file over a slow link takes longer than a JSON call.
            .timeout(FILE_TIMEOUT)
            .body(bytes);
        let body = answer(request).await?;
        serde_json::from_slice(&body).map_err(|err| error::unreadable_answer(&err))
    }

    /// `GET path`: a letter attachment's bytes.
    pub async fn get_file(
        &self,
        node: &NodeUrl,
        token: &Token,
        path: &str,
    ) -> Result<Vec<u8>, ApiError> {
        let url = attachment_url(node, path)?;
        let request = self
            .http
            .get(url)
            .bearer_auth(token.expose())
            .timeout(FILE_TIMEOUT);
        answer(request).await
    }

    async fn send(
        &self,
        method: reqwest::Method,
        mut url: Url,
        token: Option<&Token>,
        body: Option<Value>,
    ) -> Result<Value, ApiError> {
        let is_get = method == reqwest::Method::GET;
        if is_get && let Some(parameters) = &body {
            set_query(&mut url, parameters)?;
        }
        let mut request = self
            .http
            .request(method, url)
            .header(reqwest::header::ACCEPT, "application/json");
        if let Some(token) = token {
            request = request.bearer_auth(token.expose());
        }
        if !is_get && let Some(body) = &body {
            request = request.json(body);
        }

        let bytes = answer(request).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            // `204 No Content` and friends: the endpoint's response is `()`.
            return Ok(Value::Null);
        }
        serde_json::from_slice(&bytes).map_err(|err| error::unreadable_answer(&err))
    }
}

/// Sends `request`; the body of a success, or the node's error.
async fn answer(request: reqwest::RequestBuilder) -> Result<Vec<u8>, ApiError> {
    let response = request.send().await.map_err(|e| error::network(&e))?;
    let status = response.status();
    let body = response.bytes().await.map_err(|e| error::network(&e))?;
    if !status.is_success() {
        return Err(error::from_node_response(status.as_u16(), &body));
    }
    Ok(body.to_vec())
}

/// `null` is how `()` serialises; it means "no body" and "no parameters".
fn non_null(value: Value) -> Option<Value> {
    (!value.is_null()).then_some(value)
}

fn parse_method(method: &str) -> Result<reqwest::Method, ApiError> {
    match method.to_ascii_uppercase().as_str() {
        "GET" => Ok(reqwest::Method::GET),
        "POST" => Ok(reqwest::Method::POST),
        "PUT" => Ok(reqwest::Method::PUT),
        "PATCH" => Ok(reqwest::Method::PATCH),
        "DELETE" => Ok(reqwest::Method::DELETE),
        _ => Err(error::bad_request(
            "method",
            "must be GET, POST, PUT, PATCH or DELETE.",
        )),
    }
}

/// The URL of an API `path` the page asked for on `node`. The path must name a resource
/// under `/api/v1/` and nothing else: no way up (`..`), no query or fragment (a `GET`'s
/// parameters come from the body), and not the session, which has its own commands.
fn api_url(node: &NodeUrl, path: &str) -> Result<Url, ApiError> {
    let invalid = |reason| error::bad_request("path", reason);
    if !path.starts_with(API_PREFIX) {
        return Err(invalid("must start with /api/v1/."));
    }
    if path
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '?' | '#' | '\\'))
    {
        return Err(invalid(
            "must be a plain path without spaces, ?, # or \\; pass parameters in body.",
        ));
    }
    if path.split('/').any(is_dot_segment) {
        return Err(invalid("must not contain . or .. segments."));
    }
    if path.trim_end_matches('/') == SESSION_PATH {
        return Err(invalid(
            "signing in and out go through the login and logout commands.",
        ));
    }
    let url = node.join(path);
    // The checks above leave nothing for URL normalisation to move; this makes sure of it.
    if !url
        .path()
        .starts_with(&format!("{}{API_PREFIX}", node.prefix()))
    {
        return Err(invalid("must stay under /api/v1/."));
    }
    Ok(url)
}

/// The URL of a letter attachment's `path`: an API path of the form
/// `/api/v1/letters/{id}/attachments/{name}`, and no other.
fn attachment_url(node: &NodeUrl, path: &str) -> Result<Url, ApiError> {
    let parts: Vec<&str> = path
        .strip_prefix("/api/v1/letters/")
        .unwrap_or_default()
        .split('/')
        .collect();
    if !matches!(parts.as_slice(), [id, "attachments", name] if !id.is_empty() && !name.is_empty())
    {
        return Err(error::bad_request(
            "path",
            "must name a letter's attachment: /api/v1/letters/{id}/attachments/{name}.",
        ));
    }
    api_url(node, path)
}

/// `.` or `..`, written plainly or escaped: URL parsing treats `%2e` as a dot.
fn is_dot_segment(segment: &str) -> bool {
    let unescaped = segment.to_ascii_lowercase().replace("%2e", ".");
    unescaped == "." || unescaped == ".."
}

/// Turns a `GET`'s body, an object of plain values, into the URL's query: strings as they
/// are, numbers and booleans as written in JSON, arrays as a repeated name, `null` left out.
fn set_query(url: &mut Url, parameters: &Value) -> Result<(), ApiError> {
    let invalid = || {
        error::bad_request(
            "body",
            "a GET request's parameters must be an object of strings, numbers, booleans or \
             lists of them.",
        )
    };
    let Value::Object(fields) = parameters else {
        return Err(invalid());
    };
    let mut pairs = Vec::new();
    for (name, value) in fields {
        match value {
            Value::Array(items) => {
                for item in items {
                    pairs.push((name, scalar(item).ok_or_else(invalid)?));
                }
            }
            Value::Null => {}
            other => pairs.push((name, scalar(other).ok_or_else(invalid)?)),
        }
    }
    // Only touch the query when there is one: an empty serializer still leaves a bare `?`.
    if !pairs.is_empty() {
        url.query_pairs_mut().extend_pairs(pairs);
    }
    Ok(())
}

fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use sis_proto::ErrorCode;

    use super::*;

    fn node() -> NodeUrl {
        NodeUrl::parse("https://sis.example:8443").expect("valid")
    }

    fn query_of(parameters: Value) -> Result<Option<String>, ApiError> {
        let mut url = node().join("/api/v1/audit");
        set_query(&mut url, &parameters)?;
        Ok(url.query().map(str::to_owned))
    }

    #[test]
    fn plain_values_become_query_pairs() {
        let query = query_of(json!({"limit": 50, "before": -7, "active": true, "note": null}))
            .expect("valid parameters");
        // serde_json keeps object keys sorted, so the order is stable.
        assert_eq!(query.as_deref(), Some("active=true&before=-7&limit=50"));
    }

    #[test]
    fn strings_are_encoded_and_arrays_repeat_the_name() {
        let query = query_of(json!({"q": "a&b=c d/é", "role": ["officer", "admin"]}))
            .expect("valid parameters");
        assert_eq!(
            query.as_deref(),
            Some("q=a%26b%3Dc+d%2F%C3%A9&role=officer&role=admin")
        );
        let url = {
            let mut url = node().join("/api/v1/audit");
            set_query(&mut url, &json!({"q": "a&b=c d/é"})).expect("valid");
            url
        };
        let decoded: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        assert_eq!(
            decoded,
            [("q".to_owned(), "a&b=c d/é".to_owned())],
            "the node must read back exactly what the page sent"
        );
    }

    #[test]
    fn an_empty_object_adds_no_question_mark() {
        assert_eq!(query_of(json!({})).expect("valid"), None);
        assert_eq!(query_of(json!({"x": null})).expect("valid"), None);
    }

    #[test]
    fn nested_or_non_object_parameters_are_refused_naming_body() {
        for parameters in [
            json!({"filter": {"role": "admin"}}),
            json!({"ids": [[1, 2]]}),
            json!({"ids": [null]}),
            json!([1, 2]),
            json!("limit=5"),
            json!(5),
        ] {
            let err = query_of(parameters.clone()).expect_err("not plain parameters");
            assert_eq!(err.code, ErrorCode::BadRequest, "{parameters}");
            assert!(err.message.starts_with("body: "), "{}", err.message);
        }
    }

    #[test]
    fn api_paths_are_joined_under_the_node() {
        let url = api_url(&node(), "/api/v1/audit").expect("valid path");
        assert_eq!(url.as_str(), "https://sis.example:8443/api/v1/audit");
        let prefixed = NodeUrl::parse("https://gw.example/sis").expect("valid");
        let url = api_url(&prefixed, "/api/v1/documents/KZ-1").expect("valid path");
        assert_eq!(url.as_str(), "https://gw.example/sis/api/v1/documents/KZ-1");
        let escaped = api_url(&node(), "/api/v1/documents/KZ%2F1").expect("escapes are fine");
        assert_eq!(escaped.path(), "/api/v1/documents/KZ%2F1");
    }

    #[test]
    fn paths_outside_the_api_are_refused_naming_path() {
        for path in [
            "/etc/passwd",
            "api/v1/me",
            "/api/v2/me",
            "/api/v1",
            "/api/v1/../admin",
            "/api/v1/./me",
            "/api/v1/%2e%2e/admin",
            "/api/v1/.%2E/admin",
            "/api/v1/me?admin=1",
            "/api/v1/me#x",
            "/api/v1/a\\..\\b",
            "/api/v1/a b",
            "/api/v1/session",
            "/api/v1/session/",
            "https://evil.example/api/v1/me",
            "//evil.example/api/v1/me",
        ] {
            let err = api_url(&node(), path).expect_err(path);
            assert_eq!(err.code, ErrorCode::BadRequest, "{path}");
            assert!(err.message.starts_with("path: "), "{path}: {}", err.message);
        }
    }

    #[test]
    fn methods_are_checked_and_case_insensitive() {
        assert_eq!(parse_method("get").expect("valid"), reqwest::Method::GET);
        assert_eq!(
            parse_method("PATCH").expect("valid"),
            reqwest::Method::PATCH
        );
        let err = parse_method("TRACE").expect_err("not allowed");
        assert!(err.message.starts_with("method: "), "{}", err.message);
    }
}
