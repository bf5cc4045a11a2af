//! TURN for meetings: the STUN and TURN servers handed to officers, with time-limited TURN
//! credentials made from a secret the node shares with the TURN server (the "TURN REST API"
//! that coturn implements with `use-auth-secret` / `static-auth-secret`; see docs/turn.md).
//!
//! The username is `"<unix expiry>:<login>"` and the password is
//! `base64(HMAC-SHA1(secret, username))`. The TURN server recomputes the password from the
//! username and refuses it once the expiry has passed, so the node stores nothing and the
//! TURN server needs no user list.

use std::sync::Arc;

use base64::Engine;
use hmac::{Hmac, Mac};
use sis_proto::meeting::{IceServer, IceServers};

/// The secret shared with the TURN server. Whoever holds it can make credentials for anyone,
/// so it is never printed: its `Debug` is redacted and it has no `Display` or `Serialize`.
#[derive(Clone)]
pub struct TurnSecret(Arc<str>);

impl TurnSecret {
    pub fn new(secret: impl Into<Arc<str>>) -> TurnSecret {
        TurnSecret(secret.into())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Debug for TurnSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TurnSecret(<redacted>)")
    }
}

/// What a configured URL is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlKind {
    /// `stun:`: no credentials.
    Stun,
    /// `turn:` or `turns:`: needs credentials, so the secret.
    Turn,
}

/// Checks an ICE server URL as browsers and coturn read it (RFC 7064 for `stun:`, RFC 7065
/// for `turn:`/`turns:`): `scheme:host[:port][?transport=udp|tcp]`. The error is the reason,
/// for a message that also names the field.
pub fn check_url(url: &str) -> Result<UrlKind, String> {
    let (scheme, rest) = url
        .split_once(':')
        .ok_or("has no scheme (turn:, turns: or stun:)")?;
    let kind = match scheme.to_ascii_lowercase().as_str() {
        "turn" | "turns" => UrlKind::Turn,
        "stun" => UrlKind::Stun,
        _ => {
            return Err(format!(
                "has scheme {scheme:?}; only turn:, turns: and stun: are ICE servers"
            ));
        }
    };
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("contains spaces or control characters".into());
    }
    // `turn://host` is a common slip; browsers refuse it when the peer connection is made,
    // where the officer cannot fix it.
    if rest.starts_with("//") {
        return Err(format!(
            "has no \"//\" after the scheme ({scheme}:host:port)"
        ));
    }
    let (address, query) = match rest.split_once('?') {
        Some((a, q)) => (a, Some(q)),
        None => (rest, None),
    };
    let (host, port) = split_host_port(address)?;
    if host.is_empty() {
        return Err("has no host".into());
    }
    if let Some(port) = port
        && !port.parse::<u16>().is_ok_and(|p| p > 0)
    {
        return Err(format!("has port {port:?}, not 1 to 65535"));
    }
    match (kind, query) {
        (_, None) => {}
        (UrlKind::Turn, Some("transport=udp" | "transport=tcp")) => {}
        (UrlKind::Turn, Some(q)) => {
            return Err(format!(
                "has query {q:?}; only transport=udp or transport=tcp"
            ));
        }
        (UrlKind::Stun, Some(_)) => return Err("has a query; stun: URLs take none".into()),
    }
    Ok(kind)
}

/// `host[:port]` or `[v6]:port`.
fn split_host_port(address: &str) -> Result<(&str, Option<&str>), String> {
    if let Some(v6) = address.strip_prefix('[') {
        let (host, after) = v6.split_once(']').ok_or("has an unclosed [ in its host")?;
        return match after {
            "" => Ok((host, None)),
            _ => after
                .strip_prefix(':')
                .map(|port| (host, Some(port)))
                .ok_or_else(|| format!("has {after:?} after its host")),
        };
    }
    Ok(match address.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (address, None),
    })
}

/// The TURN REST API username: `"<unix expiry>:<login>"`. Logins have no `:`, so the TURN
/// server's split at the first one gives the expiry back.
pub fn username(expiry_unix_s: i64, login: &str) -> String {
    format!("{expiry_unix_s}:{login}")
}

/// The password that goes with `username`: base64 of its HMAC-SHA1 under the secret.
pub fn credential(secret: &TurnSecret, username: &str) -> String {
    // HMAC takes a key of any length, so this cannot fail.
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(secret.0.as_bytes())
        .expect("HMAC accepts keys of any length");
    mac.update(username.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// Hands each officer the node's ICE servers, TURN ones with credentials of their own.
#[derive(Debug, Clone, Default)]
pub struct IceServerIssuer {
    stun: Vec<String>,
    turn: Vec<String>,
    secret: Option<TurnSecret>,
    lifetime_s: i64,
}

impl IceServerIssuer {
    /// From checked configuration (`Config::check`): TURN URLs without a secret are left
    /// out, since no credential could be made for them.
    pub fn new(urls: &[String], secret: Option<TurnSecret>, lifetime_s: i64) -> IceServerIssuer {
        let mut issuer = IceServerIssuer {
            secret: secret.filter(|s| !s.is_empty()),
            lifetime_s,
            ..IceServerIssuer::default()
        };
        for url in urls {
            match check_url(url) {
                Ok(UrlKind::Stun) => issuer.stun.push(url.clone()),
                Ok(UrlKind::Turn) if issuer.secret.is_some() => issuer.turn.push(url.clone()),
                Ok(UrlKind::Turn) | Err(_) => {}
            }
        }
        issuer
    }

    /// The servers for `login`, TURN credentials valid until `now + lifetime`.
    pub fn for_officer(&self, login: &str, now_unix_s: i64) -> IceServers {
        let mut servers = Vec::new();
        let mut expires_at = None;
        if let Some(secret) = &self.secret
            && !self.turn.is_empty()
        {
            let expiry = now_unix_s + self.lifetime_s;
            let username = username(expiry, login);
            servers.push(IceServer {
                urls: self.turn.clone(),
                credential: Some(credential(secret, &username)),
                username: Some(username),
            });
            expires_at = Some(expiry * 1000);
        }
        if !self.stun.is_empty() {
            servers.push(IceServer {
                urls: self.stun.clone(),
                username: None,
                credential: None,
            });
        }
        IceServers {
            ice_servers: servers,
            expires_at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Computed independently of this code, with Python's standard library:
    /// `base64.b64encode(hmac.new(b"north-wind-4f1c9a", b"1767225600:ann.kz",
    /// hashlib.sha1).digest())`, and again with
    /// `printf '1767225600:ann.kz' | openssl dgst -sha1 -hmac north-wind-4f1c9a -binary | base64`.
    #[test]
    fn the_credential_is_the_base64_hmac_sha1_of_the_username() {
        let secret = TurnSecret::new("north-wind-4f1c9a");
        let user = username(1_767_225_600, "ann.kz");
        assert_eq!(user, "1767225600:ann.kz");
        assert_eq!(credential(&secret, &user), "BxTJGvJRiXdwTRyS+U9cgwwEn2c=");
        // Also Python's: hmac.new(b"secret", b"1433895918:user", hashlib.sha1), base64.
        assert_eq!(
            credential(&TurnSecret::new("secret"), "1433895918:user"),
            "duY86vsmGEXM+Ma7pGS//SXJIv0="
        );
    }

    #[test]
    fn the_secret_never_prints() {
        let secret = TurnSecret::new("north-wind-4f1c9a");
        let issuer = IceServerIssuer::new(&[], Some(secret.clone()), 60);
        for text in [format!("{secret:?}"), format!("{issuer:?}")] {
            assert!(!text.contains("north-wind"), "{text}");
        }
    }

    #[test]
    fn an_officer_gets_turn_with_own_credentials_and_stun_without() {
        let urls = [
            "turn:turn.example.org:3478?transport=udp".to_owned(),
            "stun:turn.example.org:3478".to_owned(),
            "turns:turn.example.org:5349?transport=tcp".to_owned(),
        ];
        let issuer = IceServerIssuer::new(&urls, Some(TurnSecret::new("north-wind-4f1c9a")), 600);
        let got = issuer.for_officer("ann.kz", 1_767_225_000);
        assert_eq!(got.expires_at, Some(1_767_225_600_000));
        assert_eq!(
            got.ice_servers,
            [
                IceServer {
                    urls: vec![urls[0].clone(), urls[2].clone()],
                    username: Some("1767225600:ann.kz".to_owned()),
                    credential: Some("BxTJGvJRiXdwTRyS+U9cgwwEn2c=".to_owned()),
                },
                IceServer {
                    urls: vec![urls[1].clone()],
                    username: None,
                    credential: None,
                },
            ]
        );
    }

    #[test]
    fn nothing_configured_gives_no_servers() {
        let got = IceServerIssuer::default().for_officer("ann.kz", 1_767_225_000);
        assert!(got.ice_servers.is_empty());
        assert_eq!(got.expires_at, None);
    }

    #[test]
    fn urls_are_checked_as_browsers_read_them() {
        for good in [
            "turn:turn.example.org:3478?transport=udp",
            "turns:turn.example.org:5349?transport=tcp",
            "turn:203.0.113.10",
            "TURN:[2001:db8::1]:3478",
            "stun:stun.example.org:3478",
        ] {
            assert!(check_url(good).is_ok(), "{good}: {:?}", check_url(good));
        }
        for (bad, reason) in [
            ("https://turn.example.org", "scheme"),
            ("turn.example.org:3478", "scheme"),
            ("turn://turn.example.org:3478", "//"),
            ("turn:", "host"),
            ("turn::3478", "host"),
            ("turn:turn.example.org:0", "port"),
            ("turn:turn.example.org:http", "port"),
            ("turn:turn.example.org?transport=sctp", "query"),
            ("stun:stun.example.org?transport=udp", "query"),
            ("turn:turn example.org", "spaces"),
            ("turn:[2001:db8::1", "["),
        ] {
            let err = check_url(bad).expect_err(bad);
            assert!(err.contains(reason), "{bad}: {err}");
        }
    }
}
