//! JSON Web Signatures as this protocol uses them (RFC 7515 with RFC 8037's `EdDSA`): the
//! flattened serialization for envelopes, receipts and signed errors, the general one for
//! the trust list. Every check works on the base64url text as received: the signing input
//! is `protected || "." || payload` exactly as they arrived, never re-encoded.

use std::collections::BTreeMap;
use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_json::Value;

use crate::codes::ErrorCode;

/// The only algorithm accepted (RFC 8037 §3.1: Ed25519 when the key is an Ed25519 key).
pub const ALG: &str = "EdDSA";

/// The header parameters RFC 7515 and RFC 7518 define for JWS; RFC 7515 §4.1.11 forbids
/// them in `crit`.
const JWS_REGISTERED: [&str; 11] = [
    "alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit",
];

/// A JWS that is not one of this protocol's, or whose signature fails.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JwsError {
    #[error("not a JSON object: {0}")]
    NotJson(String),
    #[error("`{field}`: {reason}")]
    Field { field: String, reason: String },
    #[error("`crit` names `{0}`, an extension this implementation does not understand")]
    UnknownCrit(String),
    #[error("the signature does not verify")]
    BadSignature,
}

impl JwsError {
    pub(crate) fn field(field: impl Into<String>, reason: impl Into<String>) -> Self {
        JwsError::Field {
            field: field.into(),
            reason: reason.into(),
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            JwsError::BadSignature => ErrorCode::BadSignature,
            _ => ErrorCode::Malformed,
        }
    }
}

/// A JSON object whose member names are unique. RFC 7515 §4 lets a parser either refuse
/// duplicates or keep the last; refusing means two implementations can never read
/// different `from`s out of one signed header.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Object(pub BTreeMap<String, Value>);

impl<'de> serde::Deserialize<'de> for Object {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Unique;
        impl<'de> Visitor<'de> for Unique {
            type Value = Object;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Object, A::Error> {
                let mut out = BTreeMap::new();
                while let Some(key) = map.next_key::<String>()? {
                    if out.contains_key(&key) {
                        return Err(de::Error::custom(format!("member `{key}` appears twice")));
                    }
                    let value = map.next_value()?;
                    out.insert(key, value);
                }
                Ok(Object(out))
            }
        }
        d.deserialize_map(Unique)
    }
}

impl Object {
    pub(crate) fn parse(bytes: &[u8]) -> Result<Object, JwsError> {
        serde_json::from_slice(bytes).map_err(|e| JwsError::NotJson(e.to_string()))
    }

    /// A member that must be a string.
    pub(crate) fn string(&self, name: &str) -> Result<&str, JwsError> {
        match self.0.get(name) {
            None => Err(JwsError::field(name, "missing")),
            Some(Value::String(s)) => Ok(s),
            Some(_) => Err(JwsError::field(name, "must be a string")),
        }
    }
}

pub(crate) fn b64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Base64url without padding, as RFC 7515 §2 requires; padding, other alphabets and
/// non-canonical trailing bits are refused.
pub(crate) fn from_b64url(field: &str, text: &str) -> Result<Vec<u8>, JwsError> {
    URL_SAFE_NO_PAD
        .decode(text)
        .map_err(|_| JwsError::field(field, "must be base64url without padding"))
}

/// One signature: the protected header and signature as received, the unprotected header.
#[derive(Debug, Clone, PartialEq)]
pub struct SignatureParts {
    pub protected: String,
    /// The unprotected `header`, if any: kept, never trusted.
    pub header: Object,
    pub signature: String,
}

impl SignatureParts {
    fn from_object(obj: &Object, at: &str) -> Result<Self, JwsError> {
        let protected = obj
            .string("protected")
            .map_err(|e| prefix(e, at))?
            .to_owned();
        let signature = obj
            .string("signature")
            .map_err(|e| prefix(e, at))?
            .to_owned();
        let header = match obj.0.get("header") {
            None => Object::default(),
            Some(Value::Object(m)) => Object(m.clone().into_iter().collect()),
            Some(_) => return Err(JwsError::field(format!("{at}header"), "must be an object")),
        };
        Ok(SignatureParts {
            protected,
            header,
            signature,
        })
    }

    /// The protected header, decoded and checked: unique names, disjoint from the
    /// unprotected header (RFC 7515 §7.2.1), `alg` `EdDSA`, `crit` naming only
    /// extensions in `understood`.
    pub fn protected_header(&self, understood: &[&str]) -> Result<Object, JwsError> {
        let json = from_b64url("protected", &self.protected)?;
        let header = Object::parse(&json)
            .map_err(|e| JwsError::field("protected", format!("is not a JSON object ({e})")))?;
        if let Some(name) = header.0.keys().find(|k| self.header.0.contains_key(*k)) {
            return Err(JwsError::field(
                name.clone(),
                "is in both the protected and the unprotected header",
            ));
        }
        let alg = header.string("alg")?;
        if alg != ALG {
            return Err(JwsError::field(
                "alg",
                format!("must be {ALG:?}, not {alg:?}"),
            ));
        }
        check_crit(&header, understood)?;
        if self.header.0.contains_key("crit") {
            return Err(JwsError::field("crit", "must be in the protected header"));
        }
        Ok(header)
    }

    /// Ed25519 over the ASCII of `protected` and `payload` as received.
    pub fn verify(&self, payload: &str, key: &VerifyingKey) -> Result<(), JwsError> {
        let sig = from_b64url("signature", &self.signature)?;
        let sig: [u8; 64] = sig
            .try_into()
            .map_err(|_| JwsError::field("signature", "must be 64 bytes"))?;
        let sig = Signature::from_bytes(&sig);
        // verify_strict also refuses small-order keys and non-canonical R, so one message
        // has one valid signature per key.
        key.verify_strict(&signing_input(&self.protected, payload), &sig)
            .map_err(|_| JwsError::BadSignature)
    }
}

fn prefix(e: JwsError, at: &str) -> JwsError {
    match e {
        JwsError::Field { field, reason } => JwsError::Field {
            field: format!("{at}{field}"),
            reason,
        },
        other => other,
    }
}

fn check_crit(header: &Object, understood: &[&str]) -> Result<(), JwsError> {
    let Some(crit) = header.0.get("crit") else {
        return Ok(());
    };
    let Value::Array(names) = crit else {
        return Err(JwsError::field("crit", "must be an array of strings"));
    };
    if names.is_empty() {
        return Err(JwsError::field(
            "crit",
            "must not be empty (RFC 7515 §4.1.11)",
        ));
    }
    let mut seen = Vec::new();
    for name in names {
        let Value::String(name) = name else {
            return Err(JwsError::field("crit", "must be an array of strings"));
        };
        if JWS_REGISTERED.contains(&name.as_str()) {
            return Err(JwsError::field(
                "crit",
                format!("names `{name}`, which RFC 7515 defines"),
            ));
        }
        if seen.contains(&name) {
            return Err(JwsError::field("crit", format!("names `{name}` twice")));
        }
        if !understood.contains(&name.as_str()) {
            return Err(JwsError::UnknownCrit(name.clone()));
        }
        if !header.0.contains_key(name) {
            return Err(JwsError::field(
                "crit",
                format!("names `{name}`, which the header does not hold"),
            ));
        }
        seen.push(name);
    }
    Ok(())
}

fn signing_input(protected: &str, payload: &str) -> Vec<u8> {
    let mut input = Vec::with_capacity(protected.len() + 1 + payload.len());
    input.extend_from_slice(protected.as_bytes());
    input.push(b'.');
    input.extend_from_slice(payload.as_bytes());
    input
}

/// A JWS in the flattened JSON serialization (RFC 7515 §7.2.2), parts as received.
#[derive(Debug, Clone, PartialEq)]
pub struct FlattenedJws {
    pub payload: String,
    pub sig: SignatureParts,
}

impl FlattenedJws {
    /// The members of a flattened JWS object. Members RFC 7515 does not define are
    /// ignored, as §7.2 requires; `signatures` is refused (that is the general syntax).
    pub fn parse(bytes: &[u8]) -> Result<Self, JwsError> {
        let obj = Object::parse(bytes)?;
        if obj.0.contains_key("signatures") {
            return Err(JwsError::field(
                "signatures",
                "belongs to the general syntax; this must be flattened",
            ));
        }
        let payload = obj.string("payload")?.to_owned();
        let sig = SignatureParts::from_object(&obj, "")?;
        Ok(FlattenedJws { payload, sig })
    }

    /// Signs `payload` under the protected header `header_json`.
    pub fn sign(header_json: &[u8], payload: &[u8], key: &SigningKey) -> Self {
        let protected = b64url(header_json);
        let payload = b64url(payload);
        let signature = key.sign(&signing_input(&protected, &payload));
        FlattenedJws {
            payload,
            sig: SignatureParts {
                protected,
                header: Object::default(),
                signature: b64url(&signature.to_bytes()),
            },
        }
    }

    pub fn payload_bytes(&self) -> Result<Vec<u8>, JwsError> {
        from_b64url("payload", &self.payload)
    }

    pub fn verify(&self, key: &VerifyingKey) -> Result<(), JwsError> {
        self.sig.verify(&self.payload, key)
    }

    /// The JSON text of a JWS this node signed (no unprotected header).
    pub fn to_json(&self) -> String {
        serde_json::to_string(&FlattenedOut {
            protected: &self.sig.protected,
            payload: &self.payload,
            signature: &self.sig.signature,
        })
        .expect("strings serialise")
    }
}

/// A JWS in the general JSON serialization (RFC 7515 §7.2.1): one payload, several
/// signatures.
#[derive(Debug, Clone, PartialEq)]
pub struct GeneralJws {
    pub payload: String,
    pub signatures: Vec<SignatureParts>,
}

impl GeneralJws {
    pub fn parse(bytes: &[u8]) -> Result<Self, JwsError> {
        let obj = Object::parse(bytes)?;
        let payload = obj.string("payload")?.to_owned();
        let Some(Value::Array(list)) = obj.0.get("signatures") else {
            return Err(JwsError::field("signatures", "missing or not an array"));
        };
        let signatures = list
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let at = format!("signatures[{i}].");
                let Value::Object(m) = v else {
                    return Err(JwsError::field(at, "must be an object"));
                };
                let obj = Object(m.clone().into_iter().collect());
                SignatureParts::from_object(&obj, &at)
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(GeneralJws {
            payload,
            signatures,
        })
    }

    /// Signs `payload` once per key, each under its own protected header.
    pub fn sign(payload: &[u8], signers: &[(Vec<u8>, &SigningKey)]) -> Self {
        let payload = b64url(payload);
        let signatures = signers
            .iter()
            .map(|(header_json, key)| {
                let protected = b64url(header_json);
                let signature = key.sign(&signing_input(&protected, &payload));
                SignatureParts {
                    protected,
                    header: Object::default(),
                    signature: b64url(&signature.to_bytes()),
                }
            })
            .collect();
        GeneralJws {
            payload,
            signatures,
        }
    }

    pub fn to_json(&self) -> String {
        let signatures: Vec<_> = self
            .signatures
            .iter()
            .map(|s| SignatureOut {
                protected: &s.protected,
                signature: &s.signature,
            })
            .collect();
        serde_json::to_string(&GeneralOut {
            payload: &self.payload,
            signatures,
        })
        .expect("strings serialise")
    }
}

// What this crate writes is serialised from structs, so its bytes (and so its signatures
// and the conformance vectors) do not depend on whether some other crate in the build
// turns on serde_json's `preserve_order`.
#[derive(serde::Serialize)]
struct FlattenedOut<'a> {
    protected: &'a str,
    payload: &'a str,
    signature: &'a str,
}

#[derive(serde::Serialize)]
struct SignatureOut<'a> {
    protected: &'a str,
    signature: &'a str,
}

#[derive(serde::Serialize)]
struct GeneralOut<'a> {
    payload: &'a str,
    signatures: Vec<SignatureOut<'a>>,
}

/// The protected header of a receipt, signed error or trust-list signature.
#[derive(serde::Serialize)]
pub(crate) struct ProtectedOut<'a> {
    pub alg: &'a str,
    pub kid: &'a crate::ids::KeyId,
    pub typ: &'a str,
}

impl ProtectedOut<'_> {
    pub(crate) fn to_vec(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("strings serialise")
    }
}

/// `typ` matches `expected` as RFC 7515 §4.1.9 allows: case-insensitively, with or without
/// the `application/` prefix.
pub(crate) fn check_typ(header: &Object, expected: &str) -> Result<(), JwsError> {
    let typ = header.string("typ")?;
    let bare = match typ.get(..12) {
        Some(p) if p.eq_ignore_ascii_case("application/") => &typ[12..],
        _ => typ,
    };
    if bare.eq_ignore_ascii_case(expected) {
        Ok(())
    } else {
        Err(JwsError::field(
            "typ",
            format!("must be {expected:?}, not {typ:?}"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 8037 Appendix A.1 (the private key d) and A.4 (the JWS), written by its authors,
    // not by this crate.
    const RFC8037_D: &str = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A";
    const RFC8037_X: &str = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
    const RFC8037_PROTECTED: &str = "eyJhbGciOiJFZERTQSJ9";
    const RFC8037_PAYLOAD: &str = "RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc";
    const RFC8037_SIGNATURE: &str =
        "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";

    fn rfc8037_public() -> VerifyingKey {
        let x: [u8; 32] = from_b64url("x", RFC8037_X).unwrap().try_into().unwrap();
        VerifyingKey::from_bytes(&x).unwrap()
    }

    fn rfc8037_flattened() -> String {
        serde_json::json!({
            "protected": RFC8037_PROTECTED,
            "payload": RFC8037_PAYLOAD,
            "signature": RFC8037_SIGNATURE,
        })
        .to_string()
    }

    #[test]
    fn rfc8037_example_verifies() {
        let jws = FlattenedJws::parse(rfc8037_flattened().as_bytes()).unwrap();
        jws.verify(&rfc8037_public())
            .expect("RFC 8037 A.4 verifies");
        assert_eq!(jws.payload_bytes().unwrap(), b"Example of Ed25519 signing");
        let header = jws.sig.protected_header(&[]).unwrap();
        assert_eq!(header.string("alg").unwrap(), "EdDSA");
    }

    #[test]
    fn signing_reproduces_the_rfc8037_signature() {
        let d: [u8; 32] = from_b64url("d", RFC8037_D).unwrap().try_into().unwrap();
        let key = SigningKey::from_bytes(&d);
        assert_eq!(key.verifying_key(), rfc8037_public());
        let jws = FlattenedJws::sign(br#"{"alg":"EdDSA"}"#, b"Example of Ed25519 signing", &key);
        assert_eq!(jws.sig.protected, RFC8037_PROTECTED);
        assert_eq!(jws.payload, RFC8037_PAYLOAD);
        assert_eq!(jws.sig.signature, RFC8037_SIGNATURE);
    }

    #[test]
    fn one_changed_character_fails_verification() {
        let tampered = rfc8037_flattened().replace("RXhhbXBsZSBvZiBF", "RXhhbXBsZSBvZiBG");
        let jws = FlattenedJws::parse(tampered.as_bytes()).unwrap();
        assert_eq!(jws.verify(&rfc8037_public()), Err(JwsError::BadSignature));
    }

    #[test]
    fn verification_uses_the_header_as_received() {
        // The same header JSON with a space: a verifier that re-serialised the header
        // would accept this; one that uses the received text must not.
        let respaced = b64url(br#"{"alg": "EdDSA"}"#);
        let text = rfc8037_flattened().replace(RFC8037_PROTECTED, &respaced);
        let jws = FlattenedJws::parse(text.as_bytes()).unwrap();
        assert_eq!(jws.verify(&rfc8037_public()), Err(JwsError::BadSignature));
    }

    fn header_of(json: &str) -> Result<Object, JwsError> {
        SignatureParts {
            protected: b64url(json.as_bytes()),
            header: Object::default(),
            signature: String::new(),
        }
        .protected_header(&["from"])
    }

    #[test]
    fn headers_are_refused_naming_the_field() {
        let cases = [
            (
                r#"{"alg":"none"}"#,
                "`alg`: must be \"EdDSA\", not \"none\"",
            ),
            (r#"{"kid":"a"}"#, "`alg`: missing"),
            (r#"{"alg":5}"#, "`alg`: must be a string"),
            (
                r#"{"alg":"EdDSA","crit":["exp"],"exp":1}"#,
                "`crit` names `exp`, an extension this implementation does not understand",
            ),
            (
                r#"{"alg":"EdDSA","crit":[]}"#,
                "`crit`: must not be empty (RFC 7515 §4.1.11)",
            ),
            (
                r#"{"alg":"EdDSA","crit":["alg"]}"#,
                "`crit`: names `alg`, which RFC 7515 defines",
            ),
            (
                r#"{"alg":"EdDSA","crit":["from"]}"#,
                "`crit`: names `from`, which the header does not hold",
            ),
        ];
        for (json, message) in cases {
            let err = header_of(json).expect_err(json);
            assert_eq!(err.to_string(), message, "{json}");
            assert_eq!(err.code(), ErrorCode::Malformed);
        }
        header_of(r#"{"alg":"EdDSA","crit":["from"],"from":"KZ"}"#)
            .expect("a crit naming an understood field is accepted");
    }

    #[test]
    fn duplicate_header_names_are_refused() {
        let err = header_of(r#"{"alg":"EdDSA","alg":"EdDSA"}"#).unwrap_err();
        assert!(err.to_string().contains("appears twice"), "{err}");
    }

    #[test]
    fn padded_base64_is_refused() {
        let text = rfc8037_flattened().replace(RFC8037_PROTECTED, "eyJhbGciOiJFZERTQSJ9=");
        let jws = FlattenedJws::parse(text.as_bytes()).unwrap();
        let err = jws.sig.protected_header(&[]).unwrap_err();
        assert_eq!(
            err,
            JwsError::field("protected", "must be base64url without padding")
        );
    }

    #[test]
    fn the_unprotected_header_is_allowed_but_never_overrides() {
        let with_header = |header: serde_json::Value| {
            let mut jws: serde_json::Value = serde_json::from_str(&rfc8037_flattened()).unwrap();
            jws["header"] = header;
            FlattenedJws::parse(jws.to_string().as_bytes()).unwrap()
        };
        let jws = with_header(serde_json::json!({"x-trace": "abc"}));
        jws.sig
            .protected_header(&[])
            .expect("a disjoint unprotected header is fine");
        jws.verify(&rfc8037_public())
            .expect("and is not signed over");
        let err = with_header(serde_json::json!({"alg": "none"}))
            .sig
            .protected_header(&[])
            .unwrap_err();
        assert_eq!(
            err,
            JwsError::field("alg", "is in both the protected and the unprotected header")
        );
        let err = with_header(serde_json::json!({"crit": ["x"]}))
            .sig
            .protected_header(&[])
            .unwrap_err();
        assert_eq!(
            err,
            JwsError::field("crit", "must be in the protected header")
        );
    }

    #[test]
    fn typ_matches_as_rfc7515_allows() {
        for typ in [
            "carec-sis-envelope+jws",
            "application/CAREC-SIS-Envelope+JWS",
        ] {
            let h = Object::parse(format!(r#"{{"typ":"{typ}"}}"#).as_bytes()).unwrap();
            check_typ(&h, "carec-sis-envelope+jws").expect(typ);
        }
        let h = Object::parse(br#"{"typ":"carec-sis-receipt+jws"}"#).unwrap();
        assert!(check_typ(&h, "carec-sis-envelope+jws").is_err());
    }
}
