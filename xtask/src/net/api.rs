//! A client of a node's internal face for the tools that drive a network (the end-to-end
//! tests, the soak): blocking, one HTTP/1.0 request per connection, typed by the endpoints
//! of `sis_proto::endpoint`. It tells apart a request the node never saw (the connection was
//! refused) from one whose fate is unknown (the connection broke after the request went
//! out), which a test that kills nodes must not confuse.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Mutex;
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;
use sis_proto::endpoint::{CreateSession, Endpoint, Method};
use sis_proto::session::LoginRequest;

use super::manifest::Credentials;

/// How long a node may take to answer one request.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(30);

/// Why a call gave no typed answer.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CallError {
    /// No connection: the node did not see the request.
    #[error("{addr}: not reachable ({source})")]
    Refused {
        addr: String,
        source: std::io::Error,
    },
    /// The connection broke once the request was on its way: the node may have acted on it.
    #[error("{addr}: the connection broke before the whole answer came ({source})")]
    Lost {
        addr: String,
        source: std::io::Error,
    },
    /// An answer that is not HTTP.
    #[error("{addr}: not an HTTP answer")]
    NotHttp { addr: String },
    /// An answer with a status other than success.
    #[error("HTTP {status}: {body}")]
    Status { status: u16, body: String },
    /// A success whose body is not what the endpoint answers.
    #[error("the answer is not the endpoint's response ({reason}): {body}")]
    Decode { reason: String, body: String },
}

impl CallError {
    /// True when the node certainly did not act on the request.
    pub fn not_sent(&self) -> bool {
        matches!(self, CallError::Refused { .. })
    }
}

/// A node's internal face, `http://127.0.0.1:<port>`.
#[derive(Debug, Clone)]
pub struct Api {
    addr: String,
}

/// A status and a body, as they came.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub body: Vec<u8>,
}

impl Api {
    /// `url` as `network.json` names it (`http://<addr>`).
    pub fn new(url: &str) -> Api {
        Api {
            addr: url.strip_prefix("http://").unwrap_or(url).to_owned(),
        }
    }

    /// One request over a fresh connection. HTTP/1.0, so that the answer comes whole,
    /// without chunks, and the connection closes after it.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        json: Option<&[u8]>,
    ) -> Result<Answer, CallError> {
        let addr = self.addr.clone();
        let mut stream = TcpStream::connect(&self.addr).map_err(|source| CallError::Refused {
            addr: addr.clone(),
            source,
        })?;
        let lost = |source| CallError::Lost {
            addr: addr.clone(),
            source,
        };
        stream
            .set_read_timeout(Some(ANSWER_TIMEOUT))
            .map_err(lost)?;
        let body = json.unwrap_or_default();
        let mut head = format!("{method} {path} HTTP/1.0\r\nHost: {}\r\n", self.addr);
        if let Some(token) = token {
            head.push_str(&format!("Authorization: Bearer {token}\r\n"));
        }
        if json.is_some() {
            head.push_str("Content-Type: application/json\r\n");
        }
        head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
        stream.write_all(head.as_bytes()).map_err(lost)?;
        stream.write_all(body).map_err(lost)?;
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).map_err(lost)?;
        match parse(&answer) {
            Parsed::Whole(answer) => Ok(answer),
            // A node killed mid-answer closes the connection as if it had finished.
            Parsed::Cut => Err(lost(std::io::ErrorKind::UnexpectedEof.into())),
            Parsed::NotHttp => Err(CallError::NotHttp { addr }),
        }
    }

    /// `E` at `path` (the endpoint's path with its parameters filled in): `request` as the
    /// JSON body of a `POST`, as the query string of a `GET`.
    pub fn call<E: Endpoint>(
        &self,
        path: &str,
        token: Option<&str>,
        request: &E::Request,
    ) -> Result<E::Response, CallError> {
        let method = E::METHOD.as_str();
        let answer = match E::METHOD {
            Method::Post => self.request(method, path, token, Some(&json_bytes(request)))?,
            _ => {
                let query = query_string(request);
                let path = if query.is_empty() {
                    path.to_owned()
                } else {
                    format!("{path}?{query}")
                };
                self.request(method, &path, token, None)?
            }
        };
        decode::<E::Response>(answer)
    }

    /// Logs `who` in; the bearer token.
    pub fn login(&self, who: &Credentials) -> Result<String, CallError> {
        let request = LoginRequest {
            login: who.login.clone(),
            password: who.password.clone(),
        };
        Ok(self
            .call::<CreateSession>(CreateSession::PATH, None, &request)?
            .token)
    }
}

fn json_bytes(value: &impl Serialize) -> Vec<u8> {
    serde_json::to_vec(value).expect("the endpoints' requests serialise")
}

/// The fields of a query type as `name=value&…`, those without a value left out.
fn query_string(request: &impl Serialize) -> String {
    let serde_json::Value::Object(fields) =
        serde_json::to_value(request).expect("the endpoints' queries serialise")
    else {
        return String::new();
    };
    let mut pairs = Vec::new();
    for (name, value) in fields {
        let value = match value {
            serde_json::Value::Null => continue,
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        };
        pairs.push(format!("{name}={}", percent_encode(&value)));
    }
    pairs.join("&")
}

/// RFC 3986 §2.3: everything but unreserved characters, percent-encoded.
fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn decode<T: DeserializeOwned>(answer: Answer) -> Result<T, CallError> {
    let body = || String::from_utf8_lossy(&answer.body).into_owned();
    if !(200..300).contains(&answer.status) {
        return Err(CallError::Status {
            status: answer.status,
            body: body(),
        });
    }
    // `()` answers come as an empty body.
    let bytes: &[u8] = if answer.body.is_empty() {
        b"null"
    } else {
        &answer.body
    };
    serde_json::from_slice(bytes).map_err(|e| CallError::Decode {
        reason: e.to_string(),
        body: body(),
    })
}

/// What came back over a connection that closed.
#[derive(Debug)]
enum Parsed {
    Whole(Answer),
    /// The head or the body (shorter than its `Content-Length`) stops short.
    Cut,
    NotHttp,
}

fn parse(answer: &[u8]) -> Parsed {
    let Some(split) = answer.windows(4).position(|w| w == b"\r\n\r\n") else {
        return Parsed::Cut;
    };
    let Some(head) = std::str::from_utf8(&answer[..split]).ok() else {
        return Parsed::NotHttp;
    };
    let Some(status) = head.split(' ').nth(1).and_then(|s| s.parse().ok()) else {
        return Parsed::NotHttp;
    };
    let body = answer[split + 4..].to_vec();
    let length = head.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.eq_ignore_ascii_case("content-length")
            .then(|| value.trim().parse::<usize>().ok())
            .flatten()
    });
    if length.is_some_and(|n| body.len() < n) {
        return Parsed::Cut;
    }
    Parsed::Whole(Answer { status, body })
}

/// A logged-in user of one node, logging in again when the node forgot the session.
#[derive(Debug)]
pub struct Session {
    pub api: Api,
    who: Credentials,
    token: Mutex<Option<String>>,
}

impl Session {
    pub fn new(url: &str, who: &Credentials) -> Session {
        Session {
            api: Api::new(url),
            who: who.clone(),
            token: Mutex::new(None),
        }
    }

    /// `E` at `path` with this user's token; on a 401, logs in again and retries once.
    pub fn call<E: Endpoint>(
        &self,
        path: &str,
        request: &E::Request,
    ) -> Result<E::Response, CallError> {
        let mut retried = false;
        loop {
            let token = self.token()?;
            match self.api.call::<E>(path, Some(&token), request) {
                Err(CallError::Status { status: 401, .. }) if !retried => {
                    *self.token.lock().unwrap_or_else(|p| p.into_inner()) = None;
                    retried = true;
                }
                other => return other,
            }
        }
    }

    fn token(&self) -> Result<String, CallError> {
        let mut slot = self.token.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(token) = slot.as_ref() {
            return Ok(token.clone());
        }
        let token = self.api.login(&self.who)?;
        *slot = Some(token.clone());
        Ok(token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_splits_into_status_and_body_and_a_cut_one_is_told_apart() {
        let Parsed::Whole(answer) = parse(b"HTTP/1.1 201 Created\r\ncontent-length: 2\r\n\r\n{}")
        else {
            panic!("a whole answer")
        };
        assert_eq!((answer.status, answer.body.as_slice()), (201, &b"{}"[..]));
        for cut in [
            &b""[..],
            b"HTTP/1.1 201 Created\r\n",
            b"HTTP/1.1 201 Created\r\nContent-Length: 20\r\n\r\n{\"id\"",
        ] {
            assert!(matches!(parse(cut), Parsed::Cut), "{cut:?} stops short");
        }
        assert!(matches!(parse(b"SSH-2.0-OpenSSH\r\n\r\n"), Parsed::NotHttp));
    }

    #[test]
    fn a_query_names_the_fields_that_have_a_value_encoded() {
        use sis_proto::letter::{LetterQuery, Mailbox};
        let query = LetterQuery {
            box_: Mailbox::Outbox,
            q: Some("seal & stamp".into()),
            case: None,
            limit: Some(200),
        };
        assert_eq!(
            query_string(&query),
            "box=outbox&limit=200&q=seal%20%26%20stamp"
        );
        assert_eq!(query_string(&()), "", "no query for `()`");
    }

    #[test]
    fn a_closed_port_is_not_sent_and_an_error_status_is_kept() {
        let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = closed.local_addr().expect("addr");
        drop(closed);
        let err = Api::new(&format!("http://{addr}"))
            .request("GET", "/", None, None)
            .expect_err("nothing listens");
        assert!(err.not_sent(), "{err}");
        let err = decode::<()>(Answer {
            status: 409,
            body: b"{\"code\":\"conflict\"}".to_vec(),
        })
        .expect_err("409");
        assert!(
            matches!(err, CallError::Status { status: 409, .. }),
            "{err}"
        );
        assert!(!err.not_sent(), "the node answered, so it saw the request");
    }
}
