//! An endpoint's request as it goes on the wire: method, path with its query string, JSON
//! body. Both transports start from [`prepare`], so they cannot disagree on the encoding.

use serde::Serialize;
use serde_json::Value;
use sis_proto::{ApiError, Endpoint, ErrorCode, Method};

/// A request ready for either transport.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    pub method: Method,
    /// Path under the node's origin, with the query string for `GET` and `DELETE`.
    pub path: String,
    /// JSON body, for `POST` only.
    pub body: Option<Value>,
}

/// `POST` carries the request as a JSON body; `GET` and `DELETE` carry it in the query string.
pub fn prepare<E: Endpoint>(request: &E::Request) -> Result<Prepared, ApiError> {
    match E::METHOD {
        Method::Post => Ok(Prepared {
            method: E::METHOD,
            path: E::PATH.to_owned(),
            body: Some(serde_json::to_value(request).map_err(|_| unencodable())?),
        }),
        Method::Get | Method::Delete => Ok(Prepared {
            method: E::METHOD,
            path: format!("{}{}", E::PATH, query_string(request)?),
            body: None,
        }),
    }
}

/// `?a=1&b=x` from a request struct's non-empty fields, or `""` when none is set. Sequences
/// repeat their key; nested objects have no agreed encoding and are refused. Keys come in
/// alphabetical order whatever map order serde_json was built with, so a URL never depends on
/// which features another crate of the workspace turned on.
pub fn query_string<T: Serialize>(request: &T) -> Result<String, ApiError> {
    let fields = match serde_json::to_value(request).map_err(|_| unencodable())? {
        Value::Null => return Ok(String::new()),
        Value::Object(fields) => fields,
        _ => return Err(unencodable()),
    };
    let mut fields: Vec<(&String, &Value)> = fields.iter().collect();
    fields.sort_by(|a, b| a.0.cmp(b.0));
    let mut pairs = Vec::new();
    for (name, value) in fields {
        match value {
            Value::Array(items) => {
                for item in items {
                    if let Some(text) = scalar_text(item)? {
                        pairs.push(format!("{}={}", encode(name), encode(&text)));
                    }
                }
            }
            other => {
                if let Some(text) = scalar_text(other)? {
                    pairs.push(format!("{}={}", encode(name), encode(&text)));
                }
            }
        }
    }
    if pairs.is_empty() {
        Ok(String::new())
    } else {
        Ok(format!("?{}", pairs.join("&")))
    }
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

/// Percent-encoding of everything but RFC 3986's unreserved characters.
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
    use sis_proto::endpoint::{CreateSession, DeleteSession, ListAudit, Me};

    #[test]
    fn get_requests_put_only_the_set_fields_in_the_query() {
        let all = AuditQuery {
            limit: Some(50),
            before: Some(1234),
        };
        let p = prepare::<ListAudit>(&all).expect("an audit query encodes");
        assert_eq!(p.method, Method::Get);
        assert_eq!(p.path, "/api/v1/audit?before=1234&limit=50");
        assert_eq!(p.body, None);

        let first_page = AuditQuery {
            limit: Some(50),
            before: None,
        };
        let p = prepare::<ListAudit>(&first_page).expect("an audit query encodes");
        assert_eq!(p.path, "/api/v1/audit?limit=50");

        let p = prepare::<ListAudit>(&AuditQuery::default()).expect("an empty query encodes");
        assert_eq!(p.path, "/api/v1/audit", "no fields, no question mark");
    }

    #[test]
    fn unit_requests_have_neither_query_nor_body() {
        let p = prepare::<Me>(&()).expect("unit encodes");
        assert_eq!(
            (p.method, p.path.as_str(), p.body),
            (Method::Get, "/api/v1/me", None)
        );
        let p = prepare::<DeleteSession>(&()).expect("unit encodes");
        assert_eq!(p.method, Method::Delete);
        assert_eq!(p.path, "/api/v1/session");
    }

    #[test]
    fn post_requests_travel_as_a_json_body() {
        let req = LoginRequest {
            login: "a.officer".into(),
            password: "p&ss word".into(),
        };
        let p = prepare::<CreateSession>(&req).expect("a login encodes");
        assert_eq!(p.path, "/api/v1/session", "a body never leaks into the URL");
        assert_eq!(
            p.body,
            Some(serde_json::json!({"login": "a.officer", "password": "p&ss word"}))
        );
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
}
