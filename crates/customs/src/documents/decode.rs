//! Reading raw input with the path of the field that failed: serde stops at the first
//! error, and without the path its message ("unknown variant", "expected a string") does
//! not say which of a hundred fields it means.

use serde::{Deserialize, Deserializer};

use super::validate::Problem;

/// Deserialises a `T` (a [`Document`](super::Document) or one document type) from any serde
/// format, reporting a failure as a [`Problem`] at the failing field's path:
/// `goods[0].hs_code: "847199" is not an HS 2022 subheading`. For a `Document` the path
/// starts with the document type (`single-invoice.lines[0].hs_code`).
///
/// ```
/// use sis_customs::documents::{Amount, decode};
///
/// let json = r#"{"value": "12.50", "currency": "ABC"}"#;
/// let problem = decode::<Amount, _>(&mut serde_json::Deserializer::from_str(json))
///     .expect_err("ABC is no currency");
/// assert_eq!(problem.path, "currency");
/// assert!(problem.reason.starts_with(r#""ABC" is not an active ISO 4217 currency code"#));
/// ```
pub fn decode<'de, T, D>(deserializer: D) -> Result<T, Problem>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    serde_path_to_error::deserialize(deserializer).map_err(|e| {
        let path = e.path().to_string();
        Problem {
            // The crate writes the root as ".".
            path: if path == "." { String::new() } else { path },
            reason: e.into_inner().to_string(),
        }
    })
}
