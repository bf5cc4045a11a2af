//! An endpoint's request as it goes on the wire: method, path (its `{placeholders}` filled),
//! query parameters, JSON body. Both transports start from [`prepare_at`], so they cannot
//! disagree on the encoding.

use std::fmt;
use std::marker::PhantomData;

use serde::Serialize;
use serde_json::{Map, Value};
use sis_proto::{ApiError, Endpoint, ErrorCode, Method};

/// The path of endpoint `E` with its `{placeholders}` filled in, e.g. `SearchDirectory`'s
/// `/api/v1/directories/{directory}` as `/api/v1/directories/hs`. Calls take one, so a path
/// is only ever built from its endpoint's own template.
pub struct EndpointPath<E> {
    path: String,
    endpoint: PhantomData<fn() -> E>,
}

impl<E: Endpoint> EndpointPath<E> {
    /// `E::PATH` with each `{name}` replaced by its value in `values`, percent-encoded as one
    /// path segment. Refuses a placeholder left without a value, a value for no placeholder,
    /// and values that are empty, `.` or `..`.
    pub fn fill(values: &[(&str, &str)]) -> Result<Self, ApiError> {
        Ok(Self {
            path: fill_path(E::PATH, values)?,
            endpoint: PhantomData,
        })
    }

    /// `E::PATH` of an endpoint without placeholders; an error for one with them.
    pub fn plain() -> Result<Self, ApiError> {
        Self::fill(&[])
    }

    pub fn as_str(&self) -> &str {
        &self.path
    }
}

// By hand: derives would ask `E` (a marker type) to be `Clone` and `Debug` too.
impl<E> Clone for EndpointPath<E> {
    fn clone(&self) -> Self {
        Self {
            path: self.path.clone(),
            endpoint: PhantomData,
        }
    }
}

impl<E> fmt::Debug for EndpointPath<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("EndpointPath").field(&self.path).finish()
    }
}

/// `template` with every `{name}` replaced by the percent-encoded value named `name`.
pub fn fill_path(template: &str, values: &[(&str, &str)]) -> Result<String, ApiError> {
    let mut used = vec![false; values.len()];
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or_else(unencodable)?;
        let name = &after[..close];
        let index = values
            .iter()
            .position(|(n, _)| *n == name)
            .ok_or_else(unencodable)?;
        let value = values[index].1;
        if value.is_empty() || value == "." || value == ".." {
            return Err(unencodable());
        }
        used[index] = true;
        out.push_str(&encode(value));
        rest = &after[close + 1..];
    }
    if rest.contains('}') || used.contains(&false) {
        return Err(unencodable());
    }
    out.push_str(rest);
    Ok(out)
}

/// A request ready for either transport.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    pub method: Method,
    /// Path under the node's origin, placeholders filled, without a query string.
    pub path: String,
    /// `GET` and `DELETE` parameters: the request's non-empty fields, by name, a sequence's
    /// items each under its field's name.
    pub query: Vec<(String, String)>,
    /// JSON body, for `POST` only.
    pub body: Option<Value>,
}

impl Prepared {
    /// The path with its query string, as `fetch` asks for it.
    pub fn url(&self) -> String {
        if self.query.is_empty() {
            return self.path.clone();
        }
        let pairs: Vec<String> = self
            .query
            .iter()
            .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
            .collect();
        format!("{}?{}", self.path, pairs.join("&"))
    }

    /// The `body` of the desktop shell's `api_request`, which takes a bare path: a `POST`'s
    /// JSON body, or a `GET`'s parameters as an object of strings (a repeated name as a
    /// list) that the shell turns into the query string itself. A `DELETE` has no way to
    /// carry parameters there, so one with parameters is refused.
    pub fn shell_body(&self) -> Result<Option<Value>, ApiError> {
        match self.method {
            Method::Post => Ok(self.body.clone()),
            _ if self.query.is_empty() => Ok(None),
            Method::Delete => Err(unencodable()),
            Method::Get => {
                let mut fields = Map::new();
                for (name, value) in &self.query {
                    let value = Value::String(value.clone());
                    match fields.get_mut(name) {
                        None => {
                            fields.insert(name.clone(), value);
                        }
                        Some(Value::Array(items)) => items.push(value),
                        Some(first) => *first = Value::Array(vec![first.take(), value]),
                    }
                }
                Ok(Some(Value::Object(fields)))
            }
        }
    }
}

/// `POST` carries the request as a JSON body; `GET` and `DELETE` carry it as query parameters.
pub fn prepare_at<E: Endpoint>(
    path: &EndpointPath<E>,
    request: &E::Request,
) -> Result<Prepared, ApiError> {
    match E::METHOD {
        Method::Post => Ok(Prepared {
            method: E::METHOD,
            path: path.as_str().to_owned(),
            query: Vec::new(),
            body: Some(serde_json::to_value(request).map_err(|_| unencodable())?),
        }),
        Method::Get | Method::Delete => Ok(Prepared {
            method: E::METHOD,
            path: path.as_str().to_owned(),
            query: query_pairs(request)?,
            body: None,
        }),
    }
}

/// The query parameters of a request struct: its non-empty fields, by name. Sequences
/// repeat their name; nested objects have no agreed encoding and are refused. Names come in
/// alphabetical order whatever map order serde_json was built with, so a URL never depends on
/// which features another crate of the workspace turned on.
pub fn query_pairs<T: Serialize>(request: &T) -> Result<Vec<(String, String)>, ApiError> {
    let fields = match serde_json::to_value(request).map_err(|_| unencodable())? {
        Value::Null => return Ok(Vec::new()),
        Value::Object(fields) => fields,
        _ => return Err(unencodable()),
    };
    let mut fields: Vec<(String, Value)> = fields.into_iter().collect();
    fields.sort_by(|a, b| a.0.cmp(&b.0));
    let mut pairs = Vec::new();
    for (name, value) in fields {
        match value {
            Value::Array(items) => {
                for item in &items {
                    if let Some(text) = scalar_text(item)? {
                        pairs.push((name.clone(), text));
                    }
                }
            }
            other => {
                if let Some(text) = scalar_text(&other)? {
                    pairs.push((name, text));
                }
            }
        }
    }
    Ok(pairs)
}

/// The text of one query value; `None` for an empty one (unset options, empty strings).
fn scalar_text(value: &Value) -> Result<Option<String>, ApiError> {
    Ok(match value {
        Value::Null => None,
        Value::String(s) if s.is_empty() => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(_) | Value::Object(_) => return Err(unencodable()),
    })
}

/// Percent-encoding of everything but RFC 3986's unreserved characters, byte by byte of the
/// UTF-8 text; fit for a query name or value and for a path segment alike.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A request type that does not fit its endpoint's encoding is a bug in this client, but it
/// still reaches the person as an error rather than a panic.
fn unencodable() -> ApiError {
    ApiError::new(
        ErrorCode::BadRequest,
        "The request could not be encoded for the node.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use sis_proto::LoginRequest;
    use sis_proto::audit::AuditQuery;
    use sis_proto::directory::{Directory, DirectoryQuery};
    use sis_proto::endpoint::{
        CreateSession, DeleteSession, GetDirectoryEntry, ListAudit, Me, SearchDirectory,
    };

    /// [`prepare_at`] for an endpoint without placeholders in its path.
    fn prepare<E: Endpoint>(request: &E::Request) -> Result<Prepared, ApiError> {
        prepare_at(&EndpointPath::<E>::plain()?, request)
    }

    /// `?a=1&b=x`, or `""` without parameters.
    fn query_string<T: Serialize>(request: &T) -> Result<String, ApiError> {
        let prepared = Prepared {
            method: Method::Get,
            path: String::new(),
            query: query_pairs(request)?,
            body: None,
        };
        Ok(prepared.url())
    }

    #[test]
    fn get_requests_put_only_the_set_fields_in_the_query() {
        let all = AuditQuery {
            limit: Some(50),
            before: Some(1234),
        };
        let p = prepare::<ListAudit>(&all).expect("an audit query encodes");
        assert_eq!(p.method, Method::Get);
        assert_eq!(p.path, "/api/v1/audit", "the path alone, without the query");
        assert_eq!(p.url(), "/api/v1/audit?before=1234&limit=50");
        assert_eq!(p.body, None);

        let first_page = AuditQuery {
            limit: Some(50),
            before: None,
        };
        let p = prepare::<ListAudit>(&first_page).expect("an audit query encodes");
        assert_eq!(p.url(), "/api/v1/audit?limit=50");

        let p = prepare::<ListAudit>(&AuditQuery::default()).expect("an empty query encodes");
        assert_eq!(p.url(), "/api/v1/audit", "no fields, no question mark");
    }

    #[test]
    fn unit_requests_have_neither_query_nor_body() {
        let p = prepare::<Me>(&()).expect("unit encodes");
        assert_eq!(
            (p.method, p.url().as_str(), p.body),
            (Method::Get, "/api/v1/me", None)
        );
        let p = prepare::<DeleteSession>(&()).expect("unit encodes");
        assert_eq!(p.method, Method::Delete);
        assert_eq!(p.url(), "/api/v1/session");
        assert_eq!(p.shell_body().expect("nothing to carry"), None);
    }

    #[test]
    fn post_requests_travel_as_a_json_body() {
        let req = LoginRequest {
            login: "a.officer".into(),
            password: "p&ss word".into(),
        };
        let p = prepare::<CreateSession>(&req).expect("a login encodes");
        assert_eq!(
            p.url(),
            "/api/v1/session",
            "a body never leaks into the URL"
        );
        let body = serde_json::json!({"login": "a.officer", "password": "p&ss word"});
        assert_eq!(p.body, Some(body.clone()));
        assert_eq!(p.shell_body().expect("a body"), Some(body));
    }

    #[test]
    fn query_values_are_percent_encoded_and_empty_ones_skipped() {
        #[derive(Serialize)]
        struct Search {
            plate: &'static str,
            container: &'static str,
            lanes: Vec<&'static str>,
            exact: bool,
        }
        let q = query_string(&Search {
            plate: "01 KZ 123&=/é",
            container: "",
            lanes: vec!["red", "", "yellow"],
            exact: true,
        })
        .expect("flat structs encode");
        assert_eq!(
            q,
            "?exact=true&lanes=red&lanes=yellow&plate=01%20KZ%20123%26%3D%2F%C3%A9"
        );
    }

    #[test]
    fn nested_objects_are_refused_not_mangled() {
        #[derive(Serialize)]
        struct Nested {
            inner: AuditQuery,
        }
        let e = query_string(&Nested {
            inner: AuditQuery::default(),
        })
        .expect_err("a nested object has no query encoding");
        assert_eq!(e.code, ErrorCode::BadRequest);
    }

    #[test]
    fn the_desktop_shell_gets_a_bare_path_and_the_same_parameters_as_a_body() {
        // The shell refuses a path with `?` and builds the query from the body itself.
        let query = AuditQuery {
            limit: Some(100),
            before: Some(7),
        };
        let p = prepare::<ListAudit>(&query).expect("an audit query encodes");
        assert!(!p.path.contains('?'));
        assert_eq!(
            p.shell_body().expect("GET parameters go in the body"),
            Some(serde_json::json!({"before": "7", "limit": "100"}))
        );

        #[derive(Serialize)]
        struct Lanes {
            lanes: Vec<&'static str>,
            plate: &'static str,
        }
        let pairs = query_pairs(&Lanes {
            lanes: vec!["red", "", "green", "yellow"],
            plate: "",
        })
        .expect("flat structs encode");
        let p = Prepared {
            method: Method::Get,
            path: "/api/v1/x".into(),
            query: pairs,
            body: None,
        };
        assert_eq!(
            p.shell_body().expect("encodes"),
            Some(serde_json::json!({"lanes": ["red", "green", "yellow"]})),
            "repeated names become a list; empty values stay out, as in the URL"
        );

        let p = Prepared {
            method: Method::Delete,
            path: "/api/v1/x".into(),
            query: vec![("id".into(), "1".into())],
            body: None,
        };
        assert_eq!(
            p.shell_body().expect_err("no carrier").code,
            ErrorCode::BadRequest
        );
    }

    #[test]
    fn placeholders_are_filled_with_path_segments() {
        let path = EndpointPath::<SearchDirectory>::fill(&[("directory", "hs")])
            .expect("one placeholder, one value");
        assert_eq!(path.as_str(), "/api/v1/directories/hs");
        for dir in Directory::ALL {
            let path = EndpointPath::<SearchDirectory>::fill(&[("directory", dir.slug())])
                .expect("every slug fills");
            assert_eq!(
                path.as_str(),
                format!("/api/v1/directories/{}", dir.slug()),
                "slugs need no encoding"
            );
        }

        let entry =
            EndpointPath::<GetDirectoryEntry>::fill(&[("code", "8507.10"), ("directory", "hs")])
                .expect("values are found by name, in any order");
        assert_eq!(entry.as_str(), "/api/v1/directories/hs/8507.10");

        assert_eq!(
            fill_path("/a/{x}/b", &[("x", "1/2 ?#тг")]).expect("encodes"),
            "/a/1%2F2%20%3F%23%D1%82%D0%B3/b",
            "a value stays one segment: separators, spaces and UTF-8 are escaped"
        );
    }

    #[test]
    fn placeholders_and_values_must_match_up() {
        let refused = |template: &str, values: &[(&str, &str)]| {
            fill_path(template, values)
                .map(|p| panic!("{template} with {values:?} gave {p}"))
                .unwrap_err()
                .code
        };
        assert_eq!(refused("/a/{x}", &[]), ErrorCode::BadRequest, "missing");
        assert_eq!(refused("/a/{x}", &[("y", "1")]), ErrorCode::BadRequest);
        assert_eq!(
            refused("/a", &[("x", "1")]),
            ErrorCode::BadRequest,
            "unused"
        );
        assert_eq!(refused("/a/{x", &[("x", "1")]), ErrorCode::BadRequest);
        assert_eq!(refused("/a/x}", &[]), ErrorCode::BadRequest);
        for bad in ["", ".", ".."] {
            assert_eq!(refused("/a/{x}", &[("x", bad)]), ErrorCode::BadRequest);
        }
        assert!(
            EndpointPath::<SearchDirectory>::plain().is_err(),
            "a path with placeholders cannot be called unfilled"
        );
        assert_eq!(
            EndpointPath::<Me>::plain()
                .expect("no placeholders")
                .as_str(),
            "/api/v1/me"
        );
    }

    #[test]
    fn directory_searches_encode_words_in_utf8() {
        let path =
            EndpointPath::<SearchDirectory>::fill(&[("directory", "currencies")]).expect("fills");
        let query = DirectoryQuery {
            q: Some("казахстанский тенге & co".into()),
            limit: Some(50),
        };
        let p = prepare_at(&path, &query).expect("a directory query encodes");
        assert_eq!(
            p.url(),
            "/api/v1/directories/currencies?limit=50&q=\
             %D0%BA%D0%B0%D0%B7%D0%B0%D1%85%D1%81%D1%82%D0%B0%D0%BD%D1%81%D0%BA%D0%B8%D0%B9\
             %20%D1%82%D0%B5%D0%BD%D0%B3%D0%B5%20%26%20co"
        );
        assert_eq!(
            p.shell_body().expect("encodes"),
            Some(serde_json::json!({"limit": "50", "q": "казахстанский тенге & co"}))
        );
    }
}
